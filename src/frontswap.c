// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: the frontswap backend, on one private persistent tmem pool.
 *
 * Only with 'persist' in pool_flags at load. The pool is made at load
 * (so a hypervisor that refuses it fails modprobe with a clear line) and
 * serves every swap type; keys are swizzled as the in-tree driver did
 * (src/key.h). A store the hypervisor refuses (-ENOMEM: Xen charges
 * persistent pages to the guest, so a guest at its memory limit gets it)
 * returns -1 and the kernel writes the page to the swap device, or hands
 * it to the next frontswap backend (zswap) on kernels that chain them;
 * after such a refusal stores skip the hypervisor for a while
 * (src/backoff.c).
 *
 * Persistent gets leave the page in the hypervisor (the kernel keeps the
 * swap slot and frontswap bit too), so it is freed by invalidate_page
 * when the slot is freed, or by invalidate_area at swapoff. Loads and
 * invalidates of offsets the pool does not hold (pages zswap or the swap
 * device has) return without a hypercall (src/swapmap.c).
 */
#include <linux/mm.h>
#include <linux/page-flags.h>

#include "compat.h"
#include "key.h"
#include "xtmem.h"

#ifdef XTMEM_HAVE_FRONTSWAP

static void xtmem_fs_init(unsigned int type)
{
	/*
	 * The pool exists since load and serves every swap type. A record
	 * of held offsets left from an area of this type (only if frontswap
	 * never called invalidate_area for it) is not this area's.
	 */
	xtmem_swapmap_drop(type);
}

static int xtmem_fs_store(unsigned int type, pgoff_t offset,
			  struct page *page)
{
	enum xtmem_bo_verdict v;
	u64 oid[3];
	u32 ind;
	int mark, ret;

	/* Transparent huge pages are refused per page, as the kernel asks. */
	if (PageTransHuge(page) || !xtmem_swap_key(type, offset, oid, &ind) ||
	    !READ_ONCE(xtmem_param_enabled)) {
		xtmem_count(XTMEM_SWAP, XTMEM_REFUSED);
		return -1;
	}
	v = xtmem_backoff_check();
	if (v == XTMEM_BO_SKIP) {
		xtmem_count(XTMEM_SWAP, XTMEM_SKIPPED);
		return -1;
	}
	mark = xtmem_swapmap_mark(type, offset);
	if (mark < 0) {
		xtmem_count(XTMEM_SWAP, XTMEM_NOMAP);
		return -1;
	}
	/*
	 * frontswap invalidates an offset before storing to it again, so
	 * the hypervisor holds nothing under a key that was not marked.
	 */
	ret = xtmem_pool_store(XTMEM_SWAP, oid, ind, page, mark);
	if (!ret) {
		xtmem_backoff_stored(v);
		return 0;
	}
	xtmem_swapmap_clear(type, offset);
	if (ret == -ENOMEM || ret == -XTMEM_EFROZEN)
		xtmem_backoff_refused(v);
	return -1;
}

static int xtmem_fs_load(unsigned int type, pgoff_t offset,
			 struct page *page)
{
	u64 oid[3];
	u32 ind;

	if (!xtmem_swap_key(type, offset, oid, &ind))
		return -1;
	if (!xtmem_swapmap_test(type, offset)) {
		xtmem_count(XTMEM_SWAP, XTMEM_LOAD_NOT_HELD);
		return -1;
	}
	return xtmem_pool_get(XTMEM_SWAP, oid, ind, page) ? 0 : -1;
}

static void xtmem_fs_invalidate_page(unsigned int type, pgoff_t offset)
{
	u64 oid[3];
	u32 ind;

	if (!xtmem_swap_key(type, offset, oid, &ind))
		return;
	if (!xtmem_swapmap_clear(type, offset)) {
		xtmem_count(XTMEM_SWAP, XTMEM_INVAL_NOT_HELD);
		return;
	}
	xtmem_pool_flush_page(XTMEM_SWAP, oid, ind);
	xtmem_backoff_freed(1);
}

static void xtmem_fs_invalidate_area(unsigned int type)
{
	u64 oid[3];
	unsigned int obj;

	xtmem_count(XTMEM_SWAP, XTMEM_FLUSH_FS);
	for (obj = 0; obj <= XTMEM_SWIZ_MASK; obj++) {
		xtmem_swap_oid(type, obj, oid);
		xtmem_pool_flush_object(XTMEM_SWAP, oid);
	}
	xtmem_backoff_freed(xtmem_swapmap_drop(type));
}

static struct frontswap_ops xtmem_frontswap_ops = {
	.init = xtmem_fs_init,
	.store = xtmem_fs_store,
	.load = xtmem_fs_load,
	.invalidate_page = xtmem_fs_invalidate_page,
	.invalidate_area = xtmem_fs_invalidate_area,
};

/* Can this kernel take a frontswap backend from a module? 0 or -ENODEV. */
int xtmem_frontswap_check(void)
{
	return 0;
}

/*
 * Register for good (frontswap has no unregister). Called last in module
 * init, when nothing can fail any more.
 */
void xtmem_frontswap_register(void)
{
	struct xtmem_pool_info info;
	int err = xtmem_fs_register(&xtmem_frontswap_ops);

	xtmem_pool_info(XTMEM_SWAP, &info);
	if (err)
		pr_err("frontswap refused the backend (%d): swapped pages go to the swap device; cleancache works\n",
		       err);
	else
		pr_info("frontswap: swapped pages go to the hypervisor's persistent pool %d\n",
			info.hv_id);
}

#else

int xtmem_frontswap_check(void)
{
	pr_err("pool_flags: persist needs frontswap, which this kernel does not offer to modules (CONFIG_FRONTSWAP is off, Linux 5.17 or later, or older than 3.10); load without persist\n");
	return -ENODEV;
}

void xtmem_frontswap_register(void)
{
}

#endif
