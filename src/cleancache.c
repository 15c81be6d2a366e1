// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: the cleancache backend.
 *
 * Keys as the in-tree driver had them: the 24-byte cleancache file key is
 * the tmem object id, the page index the tmem index. Pages whose index
 * does not fit in 32 bits are never cached.
 */
#include <linux/mm.h>

#include "compat.h"
#include "key.h"
#include "xtmem.h"

#ifdef XTMEM_HAVE_CLEANCACHE

static int xtmem_cc_init_fs(size_t pagesize)
{
	if (pagesize != PAGE_SIZE)
		return -EINVAL;
	return xtmem_pool_create(XTMEM_KIND_PRIVATE, NULL);
}

static int xtmem_cc_init_shared_fs(XTMEM_CC_UUID_T *uuid, size_t pagesize)
{
	if (pagesize != PAGE_SIZE)
		return -EINVAL;
	return xtmem_pool_create(XTMEM_KIND_SHARED, xtmem_cc_uuid_bytes(uuid));
}

static int xtmem_cc_get_page(int pool, struct cleancache_filekey key,
			     pgoff_t index, struct page *page)
{
	u64 oid[3];
	u32 ind;

	if (!xtmem_index_from_pgoff(index, &ind))
		return -1;
	xtmem_oid_from_filekey(&key, oid);
	return xtmem_pool_get(pool, oid, ind, page) ? 0 : -1;
}

static void xtmem_cc_put_page(int pool, struct cleancache_filekey key,
			      pgoff_t index, struct page *page)
{
	u64 oid[3];
	u32 ind;

	if (!xtmem_index_from_pgoff(index, &ind))
		return;
	xtmem_oid_from_filekey(&key, oid);
	xtmem_pool_put(pool, oid, ind, page);
}

static void xtmem_cc_invalidate_page(int pool, struct cleancache_filekey key,
				     pgoff_t index)
{
	u64 oid[3];
	u32 ind;

	if (!xtmem_index_from_pgoff(index, &ind))
		return;
	xtmem_oid_from_filekey(&key, oid);
	xtmem_pool_flush_page(pool, oid, ind);
}

static void xtmem_cc_invalidate_inode(int pool, struct cleancache_filekey key)
{
	u64 oid[3];

	xtmem_oid_from_filekey(&key, oid);
	xtmem_pool_flush_object(pool, oid);
}

static void xtmem_cc_invalidate_fs(int pool)
{
	xtmem_pool_destroy(pool);
}

static XTMEM_CC_CONST struct cleancache_ops xtmem_cleancache_ops = {
	.init_fs = xtmem_cc_init_fs,
	.init_shared_fs = xtmem_cc_init_shared_fs,
	.get_page = xtmem_cc_get_page,
	.put_page = xtmem_cc_put_page,
	.invalidate_page = xtmem_cc_invalidate_page,
	.invalidate_inode = xtmem_cc_invalidate_inode,
	.invalidate_fs = xtmem_cc_invalidate_fs,
};

int xtmem_cleancache_register(void)
{
	int ret;

	BUILD_BUG_ON(sizeof(struct cleancache_filekey) != 3 * sizeof(u64));
	ret = xtmem_cc_register(&xtmem_cleancache_ops);
	if (ret == -EBUSY)
		pr_err("another cleancache backend is already registered (only one can be, and it cannot be replaced); nothing registered\n");
	else if (ret)
		pr_err("cleancache refused the backend (%d); nothing registered\n",
		       ret);
	return ret;
}

#else

int xtmem_cleancache_register(void)
{
	pr_err("this kernel has no usable cleancache (CONFIG_CLEANCACHE is off, Linux 5.17 or later, or older than 3.10): nothing registered\n");
	return -ENODEV;
}

#endif
