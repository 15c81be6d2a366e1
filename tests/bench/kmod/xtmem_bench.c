// SPDX-License-Identifier: GPL-2.0
/*
 * xtmem_bench: what one page costs in xen_tmem, against a plain copy.
 *
 * Test-only. At load it opens a file on a filesystem that has a
 * cleancache pool, reads 2 * pages of it into the page cache, locks those
 * pages (cleancache requires it) and, in each of the rounds, times
 *   put        __cleancache_put_page() of the first half (new keys);
 *   get_miss   __cleancache_get_page() of the second half (never put);
 *   get_hit    __cleancache_get_page() of the first half (a private pool's
 *              get is exclusive: the hypervisor hands the page back and
 *              forgets it, so the next round puts new keys again);
 *   copy_page  copy_page() of each first-half page to a scratch page, the
 *              physical floor of moving 4 KiB;
 *   memcpy     memcpy() of 4 KiB between the same pages (what the
 *              emulated hypervisor does);
 *   put_get    a put and at once the get of the same page, page after
 *              page: the steady state of a re-read, where each get frees
 *              the hypervisor page that the next put reuses;
 *   page_alloc __get_free_page() and free_page() of one page, which a put
 *              and an exclusive get cost the hypervisor when it has no
 *              spare page;
 * and, when the emulated hypervisor xen_tmem_emu is loaded, the same page
 * operations straight into its tmem_op() on a pool of its own (emu_*):
 * the hypervisor's share; the rest is cleancache and xen_tmem.
 *
 * Each get that hits is compared with a copy taken before the put; the
 * gets of the cleancache path write into page-cache pages that already
 * hold the same bytes, so a correct backend changes nothing. The load
 * fails (and says why) if a get returned wrong data, a page never put hit,
 * or no get hit at all. One line per round and one line of medians
 * (ns per operation) go to the kernel log.
 */
#include <linux/cleancache.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <xen-tmem/transport.h>

#ifndef CONFIG_CLEANCACHE
#error "xtmem_bench needs a kernel with CONFIG_CLEANCACHE=y"
#endif

static char *path;
module_param(path, charp, 0444);
MODULE_PARM_DESC(path, "File to use, at least twice the pages parameter in pages");

static unsigned int pages = 1024;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "Pages per timed loop (default 1024)");

static unsigned int rounds = 9;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Rounds; the medians are reported (default 9)");

enum {
	XB_PUT,
	XB_GET_HIT,
	XB_GET_MISS,
	XB_COPY_PAGE,
	XB_MEMCPY,
	XB_PUT_GET,
	XB_PAGE_ALLOC,
	XB_EMU_PUT,
	XB_EMU_GET_HIT,
	XB_EMU_GET_MISS,
	XB_NR
};

static const char * const xb_names[XB_NR] = {
	[XB_PUT] = "put",
	[XB_GET_HIT] = "get_hit",
	[XB_GET_MISS] = "get_miss",
	[XB_COPY_PAGE] = "copy_page",
	[XB_MEMCPY] = "memcpy",
	[XB_PUT_GET] = "put_get",
	[XB_PAGE_ALLOC] = "page_alloc",
	[XB_EMU_PUT] = "emu_put",
	[XB_EMU_GET_HIT] = "emu_get_hit",
	[XB_EMU_GET_MISS] = "emu_get_miss",
};

struct xb_state {
	struct file *file;
	struct address_space *mapping;
	struct page **cache;	/* 2 * n page-cache pages, locked */
	struct page **scratch;	/* n private pages */
	void *shadow;		/* n pages: the data as read */
	unsigned int n;
	const struct xtmem_transport *emu;
	int emu_pool;
	u64 (*ns)[XB_NR];	/* [rounds][XB_NR], ns per op * 10 */
};

/* Object id of the benchmark's own pool in the emulator. */
static const u64 xb_oid[3] = { 0x78746d656d, 0x62656e6368, 1 };

static u64 xb_per_op(u64 t0, unsigned int n)
{
	return div_u64((ktime_get_ns() - t0) * 10, n);
}

static int xb_emu_op(struct xb_state *s, u32 cmd, u32 index,
		     struct page *page)
{
	struct xtmem_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = cmd;
	op.pool_id = s->emu_pool;
	memcpy(op.u.gen.oid, xb_oid, sizeof(xb_oid));
	op.u.gen.index = index;
	op.u.gen.cmfn = s->emu->page_to_frame(page);
	return s->emu->tmem_op(&op);
}

static int xb_emu_pool(struct xb_state *s, bool create)
{
	struct xtmem_op op;

	memset(&op, 0, sizeof(op));
	if (create) {
		op.cmd = XTMEM_NEW_POOL;
		op.u.creat.flags = XTMEM_POOL_FLAGS_FIXED(PAGE_SHIFT);
	} else {
		op.cmd = XTMEM_DESTROY_POOL;
		op.pool_id = s->emu_pool;
	}
	return s->emu->tmem_op(&op);
}

/* Compare page i of the first half (or of scratch) with the shadow. */
static bool xb_same(struct xb_state *s, struct page *page, unsigned int i)
{
	return !memcmp(page_address(page), s->shadow + i * PAGE_SIZE,
		       PAGE_SIZE);
}

static int xb_round_cleancache(struct xb_state *s, u64 *ns)
{
	unsigned int i, n = s->n, hits = 0, bad = 0;
	u64 t0;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		__cleancache_put_page(s->cache[i]);
	ns[XB_PUT] = xb_per_op(t0, n);

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (__cleancache_get_page(s->cache[n + i]) == 0)
			bad++;
	ns[XB_GET_MISS] = xb_per_op(t0, n);
	if (bad) {
		pr_err("FAIL: %u of %u pages that were never put hit\n",
		       bad, n);
		return -EIO;
	}

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (__cleancache_get_page(s->cache[i]) == 0)
			hits++;
	ns[XB_GET_HIT] = xb_per_op(t0, n);
	if (hits < n) {
		pr_err("FAIL: %u of %u gets hit (is xen_tmem enabled, has the hypervisor room?)\n",
		       hits, n);
		return -EIO;
	}
	for (i = 0; i < n; i++)
		if (!xb_same(s, s->cache[i], i))
			bad++;
	if (bad) {
		pr_err("FAIL: %u of %u gets returned wrong data\n", bad, n);
		return -EIO;
	}

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		__cleancache_put_page(s->cache[i]);
		if (__cleancache_get_page(s->cache[i]) == 0)
			hits++;
	}
	ns[XB_PUT_GET] = xb_per_op(t0, n);
	for (i = 0; i < n; i++)
		if (!xb_same(s, s->cache[i], i))
			bad++;
	if (bad || hits < 2 * n) {
		pr_err("FAIL: put then get: %u of %u hits, %u with wrong data\n",
		       hits - n, n, bad);
		return -EIO;
	}
	return 0;
}

static int xb_round_copy(struct xb_state *s, u64 *ns)
{
	unsigned int i, n = s->n;
	u64 t0;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		copy_page(page_address(s->scratch[i]),
			  page_address(s->cache[i]));
	ns[XB_COPY_PAGE] = xb_per_op(t0, n);

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		memcpy(page_address(s->scratch[i]),
		       page_address(s->cache[i]), PAGE_SIZE);
	ns[XB_MEMCPY] = xb_per_op(t0, n);

	/* The scratch pages are given back and allocated again, in a row. */
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		__free_page(s->scratch[i]);
	for (i = 0; i < n; i++)
		s->scratch[i] = alloc_page(GFP_KERNEL);
	ns[XB_PAGE_ALLOC] = xb_per_op(t0, n);
	for (i = 0; i < n; i++)
		if (!s->scratch[i])
			return -ENOMEM;
	return 0;
}

static int xb_round_emu(struct xb_state *s, u64 *ns)
{
	unsigned int i, n = s->n, bad = 0, hits = 0;
	u64 t0;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (xb_emu_op(s, XTMEM_PUT_PAGE, i, s->cache[i]) != 1)
			bad++;
	ns[XB_EMU_PUT] = xb_per_op(t0, n);
	if (bad) {
		pr_err("FAIL: %u of %u puts to the emulator failed\n", bad, n);
		return -EIO;
	}

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (xb_emu_op(s, XTMEM_GET_PAGE, n + i, s->scratch[i]) == 1)
			bad++;
	ns[XB_EMU_GET_MISS] = xb_per_op(t0, n);

	for (i = 0; i < n; i++)
		memset(page_address(s->scratch[i]), 0, PAGE_SIZE);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (xb_emu_op(s, XTMEM_GET_PAGE, i, s->scratch[i]) == 1)
			hits++;
	ns[XB_EMU_GET_HIT] = xb_per_op(t0, n);
	for (i = 0; i < n; i++)
		if (!xb_same(s, s->scratch[i], i))
			bad++;
	if (bad || hits < n) {
		pr_err("FAIL: emulator: %u wrong pages or false hits, %u of %u hits\n",
		       bad, hits, n);
		return -EIO;
	}
	return 0;
}

static void xb_print(const char *what, const u64 *ns)
{
	char line[400];
	int i, len = 0;

	for (i = 0; i < XB_NR; i++)
		len += scnprintf(line + len, sizeof(line) - len, " %s=%llu.%llu",
				 xb_names[i], ns[i] / 10, ns[i] % 10);
	pr_info("%s%s\n", what, line);
}

static int xb_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void xb_report(struct xb_state *s)
{
	u64 col[64], med[XB_NR];
	unsigned int r, k;

	for (k = 0; k < XB_NR; k++) {
		for (r = 0; r < rounds; r++)
			col[r] = s->ns[r][k];
		sort(col, rounds, sizeof(col[0]), xb_cmp_u64, NULL);
		med[k] = col[rounds / 2];
	}
	xb_print("median ns/op:", med);
}

static int xb_run(struct xb_state *s)
{
	unsigned int r;
	char tag[32];
	int ret;

	for (r = 0; r < rounds; r++) {
		u64 *ns = s->ns[r];

		ret = xb_round_cleancache(s, ns);
		if (ret)
			return ret;
		ret = xb_round_copy(s, ns);
		if (ret)
			return ret;
		if (s->emu) {
			ret = xb_round_emu(s, ns);
			if (ret)
				return ret;
		}
		snprintf(tag, sizeof(tag), "round %u ns/op:", r + 1);
		xb_print(tag, ns);
		cond_resched();
	}
	xb_report(s);
	pr_info("verified: %u rounds of %u puts, %u hits with the right data, %u misses\n",
		rounds, s->n, s->n, s->n);
	return 0;
}

/* Read 2 * n pages of the file into the page cache and lock them. */
static int xb_setup_cache(struct xb_state *s)
{
	unsigned int i;

	for (i = 0; i < 2 * s->n; i++) {
		struct page *page = read_mapping_page(s->mapping, i, s->file);

		if (IS_ERR(page))
			return PTR_ERR(page);
		lock_page(page);
		s->cache[i] = page;
		/* Start clean: no old copy of these pages in cleancache. */
		__cleancache_invalidate_page(s->mapping, page);
		if (i < s->n)
			memcpy(s->shadow + i * PAGE_SIZE, page_address(page),
			       PAGE_SIZE);
	}
	return 0;
}

/* Leave nothing of the file in cleancache, unlock, drop the references. */
static void xb_teardown(struct xb_state *s)
{
	unsigned int i;

	for (i = 0; i < 2 * s->n && s->cache[i]; i++) {
		__cleancache_invalidate_page(s->mapping, s->cache[i]);
		unlock_page(s->cache[i]);
		put_page(s->cache[i]);
	}
}

static int xb_alloc(struct xb_state *s)
{
	unsigned int i;

	s->cache = kvcalloc(2 * s->n, sizeof(*s->cache), GFP_KERNEL);
	s->scratch = kvcalloc(s->n, sizeof(*s->scratch), GFP_KERNEL);
	s->shadow = vmalloc(array_size(s->n, PAGE_SIZE));
	s->ns = kvcalloc(rounds, sizeof(*s->ns), GFP_KERNEL);
	if (!s->cache || !s->scratch || !s->shadow || !s->ns)
		return -ENOMEM;
	for (i = 0; i < s->n; i++) {
		s->scratch[i] = alloc_page(GFP_KERNEL);
		if (!s->scratch[i])
			return -ENOMEM;
	}
	return 0;
}

static void xb_free(struct xb_state *s)
{
	unsigned int i;

	for (i = 0; s->scratch && i < s->n; i++)
		if (s->scratch[i])
			__free_page(s->scratch[i]);
	kvfree(s->ns);
	vfree(s->shadow);
	kvfree(s->scratch);
	kvfree(s->cache);
}

static int xb_check_file(struct xb_state *s)
{
	struct inode *inode = s->mapping->host;

	if (inode->i_sb->cleancache_poolid < 0) {
		pr_err("FAIL: %s: its filesystem has no cleancache pool (xen_tmem not loaded before the mount, or refused)\n",
		       path);
		return -ENODEV;
	}
	if (i_size_read(inode) < (loff_t)2 * s->n * PAGE_SIZE) {
		pr_err("FAIL: %s: needs at least %u pages\n", path, 2 * s->n);
		return -EINVAL;
	}
	return 0;
}

static int __init xb_init(void)
{
	struct xb_state s = { .n = pages, .emu_pool = -1 };
	int ret;

	if (!path || !pages || !rounds || rounds > 64) {
		pr_err("usage: insmod xtmem_bench.ko path=FILE [pages=1..] [rounds=1..64]\n");
		return -EINVAL;
	}
	s.file = filp_open(path, O_RDONLY | O_LARGEFILE, 0);
	if (IS_ERR(s.file)) {
		pr_err("FAIL: cannot open %s (%ld)\n", path, PTR_ERR(s.file));
		return PTR_ERR(s.file);
	}
	s.mapping = s.file->f_mapping;
	ret = xb_check_file(&s);
	if (ret)
		goto out_file;
	ret = xb_alloc(&s);
	if (ret)
		goto out_free;
	ret = xb_setup_cache(&s);
	if (ret) {
		pr_err("FAIL: reading %s: %d\n", path, ret);
		goto out_pages;
	}

	s.emu = symbol_get(xtmem_emu_transport);
	if (s.emu) {
		s.emu_pool = xb_emu_pool(&s, true);
		if (s.emu_pool < 0) {
			pr_err("FAIL: the emulator refused a pool (%d)\n",
			       s.emu_pool);
			ret = -EIO;
			goto out_emu;
		}
	} else {
		pr_info("xen_tmem_emu not loaded: no emu_* breakdown\n");
	}

	pr_info("%s: %u pages per loop, %u rounds, pool %d, emulator %s\n",
		path, s.n, rounds, s.mapping->host->i_sb->cleancache_poolid,
		s.emu ? "yes" : "no");
	ret = xb_run(&s);

	if (s.emu_pool >= 0)
		xb_emu_pool(&s, false);
out_emu:
	if (s.emu)
		symbol_put(xtmem_emu_transport);
out_pages:
	xb_teardown(&s);
out_free:
	xb_free(&s);
out_file:
	filp_close(s.file, NULL);
	return ret;
}

static void __exit xb_exit(void)
{
}

module_init(xb_init);
module_exit(xb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test-only: cost of a cleancache put and get through xen_tmem against a 4 KiB copy");
