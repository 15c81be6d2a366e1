// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_persist_selftest: a test-only module that checks the persistent
 * pools of the tmem emulator (xen_tmem_emu) through its transport, as the
 * frontswap backend of xen_tmem uses them.
 *
 * Everything runs at insmod, in process context. Load it with the emulator
 * loaded and no other user of it (the checks read the emulator's global
 * counters). It sets the emulator's persist_capacity_pages to `limit` and
 * capacity_pages to `eph_capacity` through sysfs for the test, and puts
 * back the values it found. One line per check, "emu-persist: ok: NAME"
 * or "emu-persist: FAIL: NAME (...)", then "emu-persist: N passed, M
 * failed". The load itself succeeds whatever the result, so that the lines
 * can be read; rmmod it afterwards.
 */
#undef pr_fmt
#define pr_fmt(fmt) "emu-persist: " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <xen-tmem/abi.h>
#include <xen-tmem/transport.h>

#define XTST_PARAMS	"/sys/module/xen_tmem_emu/parameters/"
#define XTST_OBJS	4	/* persistent pages spread over objects */

static unsigned int limit = 64;
module_param(limit, uint, 0444);
MODULE_PARM_DESC(limit, "persist_capacity_pages during the test (default 64)");
static unsigned int eph_capacity = 32;
module_param(eph_capacity, uint, 0444);
MODULE_PARM_DESC(eph_capacity, "capacity_pages during the test (default 32)");

static const struct xtmem_transport *xt;
static struct page *xtst_frame;
static unsigned int xtst_passed, xtst_failed;

/* --- checks ---------------------------------------------------------------- */

static bool xtst_true(bool ok, const char *name)
{
	if (ok) {
		xtst_passed++;
		pr_info("ok: %s\n", name);
	} else {
		xtst_failed++;
		pr_err("FAIL: %s\n", name);
	}
	return ok;
}

static bool xtst_eq(long long got, long long want, const char *name)
{
	if (got == want) {
		xtst_passed++;
		pr_info("ok: %s (%lld)\n", name, got);
		return true;
	}
	xtst_failed++;
	pr_err("FAIL: %s (got %lld, want %lld)\n", name, got, want);
	return false;
}

/* --- the emulator's parameters, through sysfs ------------------------------ */

static int xtst_param_set(const char *name, const char *val)
{
	char path[96];
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	snprintf(path, sizeof(path), XTST_PARAMS "%s", name);
	f = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

static int xtst_param_set_uint(const char *name, unsigned long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", v);
	return xtst_param_set(name, buf);
}

/* The parameter as a number, or -1 if it cannot be read. */
static long long xtst_param(const char *name)
{
	char path[96], buf[32];
	unsigned long long v;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	snprintf(path, sizeof(path), XTST_PARAMS "%s", name);
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return -1;
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (kstrtoull(strim(buf), 0, &v))
		return -1;
	return v;
}

/* --- tmem ops -------------------------------------------------------------- */

static int xtst_new_pool(u32 flags)
{
	struct xtmem_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = XTMEM_NEW_POOL;
	op.u.creat.flags = XTMEM_POOL_FLAGS_FIXED(PAGE_SHIFT) | flags;
	return xt->tmem_op(&op);
}

static int xtst_destroy_pool(int pool)
{
	struct xtmem_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = XTMEM_DESTROY_POOL;
	op.pool_id = pool;
	return xt->tmem_op(&op);
}

/* Page i of a pool: object (i % XTST_OBJS) + 1, index i. */
static int xtst_page_op(u32 cmd, int pool, u32 i)
{
	struct xtmem_op op;

	memset(&op, 0, sizeof(op));
	op.cmd = cmd;
	op.pool_id = pool;
	op.u.gen.oid[0] = i % XTST_OBJS + 1;
	if (cmd != XTMEM_FLUSH_OBJECT)
		op.u.gen.index = i;
	if (cmd == XTMEM_PUT_PAGE || cmd == XTMEM_GET_PAGE)
		op.u.gen.cmfn = xt->page_to_frame(xtst_frame);
	return xt->tmem_op(&op);
}

/* The contents of a page: 32-bit words from seed. */
static u32 xtst_word(u32 seed, unsigned int w)
{
	return (seed + 1) * 2654435761U + w * 40503U;
}

static void xtst_fill(u32 seed)
{
	u32 *p = kmap(xtst_frame);
	unsigned int w;

	for (w = 0; w < PAGE_SIZE / sizeof(u32); w++)
		p[w] = xtst_word(seed, w);
	kunmap(xtst_frame);
}

static bool xtst_holds(u32 seed)
{
	u32 *p = kmap(xtst_frame);
	bool same = true;
	unsigned int w;

	for (w = 0; w < PAGE_SIZE / sizeof(u32) && same; w++)
		same = p[w] == xtst_word(seed, w);
	kunmap(xtst_frame);
	return same;
}

static int xtst_put(int pool, u32 i, u32 seed)
{
	xtst_fill(seed);
	return xtst_page_op(XTMEM_PUT_PAGE, pool, i);
}

/* GET page i into a scrubbed frame: its answer, and -EILSEQ on bad data. */
static int xtst_get(int pool, u32 i, u32 seed)
{
	int rc;

	memset(kmap(xtst_frame), 0xa5, PAGE_SIZE);
	kunmap(xtst_frame);
	rc = xtst_page_op(XTMEM_GET_PAGE, pool, i);
	if (rc == 1 && !xtst_holds(seed))
		return -EILSEQ;
	return rc;
}

/* Page i of the persistent pool holds seed i, or seed(i) after a rewrite. */
static u32 xtst_seed[1024];

/* Every page [0, n) of pool reads back right, twice (non-exclusive). */
static bool xtst_all_there(int pool, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (xtst_get(pool, i, xtst_seed[i]) != 1 ||
		    xtst_get(pool, i, xtst_seed[i]) != 1)
			return false;
	return true;
}

/* --- the test ---------------------------------------------------------------- */

static void xtst_run(void)
{
	long long base_pages, base_persist, enomem, evictions, v;
	u32 i, n = limit;
	int pp, ep, rc;

	base_pages = xtst_param("pages");
	base_persist = xtst_param("persist_pages");
	xtst_true(base_pages >= 0 && base_persist >= 0,
		  "counters pages and persist_pages readable");
	enomem = xtst_param("persist_puts_enomem");
	xtst_true(enomem >= 0, "counter persist_puts_enomem readable");

	/* Persistent NEW_POOL works. */
	pp = xtst_new_pool(XTMEM_POOL_PERSIST);
	if (!xtst_true(pp >= 0 && pp < XTMEM_MAX_POOLS_PER_DOMAIN,
		       "NEW_POOL persistent returns a pool id"))
		return;
	ep = xtst_new_pool(0);
	if (!xtst_true(ep >= 0 && ep != pp,
		       "NEW_POOL ephemeral returns another pool id"))
		goto destroy;
	xtst_eq(xtst_get(pp, 0, 0), -XTMEM_EEMPTY,
		"GET on the empty persistent pool: -EEMPTY");

	/* PUT until the limit, then -ENOMEM. */
	for (i = 0; i < n; i++) {
		xtst_seed[i] = i;
		rc = xtst_put(pp, i, i);
		if (rc != 1)
			break;
	}
	xtst_eq(i, n, "PUT of persist_capacity_pages new pages all return 1");
	xtst_eq(xtst_param("persist_pages") - base_persist, n,
		"persist_pages counts them");
	xtst_eq(xtst_put(pp, n, n), -ENOMEM,
		"PUT of a new page at the limit: -ENOMEM");
	xtst_eq(xtst_param("persist_puts_enomem") - enomem, 1,
		"persist_puts_enomem counts it");
	xtst_eq(xtst_get(pp, n, n), 0, "the refused page is not stored (miss)");
	xtst_eq(xtst_param("persist_pages") - base_persist, n,
		"persist_pages unchanged by the refused put");

	/* A duplicate PUT at the limit replaces the data (Xen frees first). */
	xtst_seed[0] = 100000;
	xtst_eq(xtst_put(pp, 0, xtst_seed[0]), 1,
		"duplicate PUT at the limit: 1 (replaced)");
	xtst_eq(xtst_get(pp, 0, xtst_seed[0]), 1,
		"duplicate PUT: GET returns the new data");
	xtst_eq(xtst_param("persist_pages") - base_persist, n,
		"duplicate PUT: persist_pages unchanged");

	/* GET is non-exclusive. */
	xtst_eq(xtst_get(pp, 5 % n, xtst_seed[5 % n]), 1,
		"GET persistent page: 1 with the right bytes");
	xtst_eq(xtst_get(pp, 5 % n, xtst_seed[5 % n]), 1,
		"second GET of the same page: 1 with the right bytes");
	xtst_true(xtst_all_there(pp, n),
		  "every persistent page reads back right, twice");

	/* Ephemeral capacity: persistent pages neither count nor go. */
	evictions = xtst_param("evictions");
	for (i = 0; i < eph_capacity; i++)
		if (xtst_put(ep, i, 50000 + i) != 1)
			break;
	xtst_eq(i, eph_capacity,
		"PUT of capacity_pages ephemeral pages all return 1");
	xtst_eq(xtst_param("evictions") - evictions, 0,
		"no eviction: persistent pages do not count against capacity_pages");
	xtst_eq(xtst_param("pages") - base_pages, (long long)n + eph_capacity,
		"pages counts both kinds");
	for (i = eph_capacity; i < 2 * eph_capacity; i++)
		if (xtst_put(ep, i, 50000 + i) != 1)
			break;
	xtst_eq(i, 2 * eph_capacity,
		"PUT of capacity_pages more ephemeral pages all return 1");
	xtst_eq(xtst_param("evictions") - evictions, eph_capacity,
		"ephemeral pages evicted, as many as put over capacity_pages");
	xtst_eq(xtst_param("persist_pages") - base_persist, n,
		"no persistent page evicted");
	xtst_true(xtst_all_there(pp, n),
		  "every persistent page still reads back right");
	if (eph_capacity) {
		i = 2 * eph_capacity - 1;
		xtst_eq(xtst_get(ep, i, 50000 + i), 1,
			"ephemeral GET of the newest page: 1");
		xtst_eq(xtst_get(ep, i, 50000 + i), 0,
			"ephemeral GET again: 0 (exclusive)");
	}
	/* Lowering capacity_pages evicts ephemeral pages only. */
	xtst_eq(xtst_param_set("capacity_pages", "0"), 0,
		"capacity_pages set to 0");
	xtst_eq(xtst_param("pages") - base_pages, n,
		"capacity_pages 0: only the persistent pages stay");
	xtst_true(xtst_all_there(pp, n),
		  "capacity_pages 0: every persistent page reads back right");
	xtst_eq(xtst_put(ep, 0, 0), -ENOMEM,
		"capacity_pages 0: ephemeral PUT -ENOMEM");
	xtst_eq(xtst_param_set_uint("capacity_pages", eph_capacity), 0,
		"capacity_pages set back");

	/*
	 * Fault injection spares persistent GETs and pages; with ephemeral
	 * pages held, an evict fault takes only those.
	 */
	for (i = 0; i < 4; i++)
		xtst_put(ep, i, 60000 + i);
	v = xtst_param("faults_get_efault") + xtst_param("faults_get_eempty") +
	    xtst_param("faults_forget");
	evictions = xtst_param("faults_evict");
	xtst_eq(xtst_param_set("fault_once",
			       "get_efault,get_eempty,forget,evict"), 0,
		"fault_once get_efault,get_eempty,forget,evict");
	xtst_eq(xtst_get(pp, 1 % n, xtst_seed[1 % n]), 1,
		"persistent GET with GET/forget/evict faults pending: 1");
	xtst_eq(xtst_get(pp, 1 % n, xtst_seed[1 % n]), 1,
		"persistent GET with GET/forget faults pending, again: 1");
	xtst_eq(xtst_param("faults_get_efault") +
		xtst_param("faults_get_eempty") +
		xtst_param("faults_forget") - v, 0,
		"no GET or forget fault given to a persistent pool");
	xtst_eq(xtst_param("faults_evict") - evictions, 1,
		"the evict fault fired (on ephemeral pages)");
	xtst_eq(xtst_param("persist_pages") - base_persist, n,
		"persist_pages unchanged by the faults");
	xtst_true(xtst_all_there(pp, n),
		  "after the faults: every persistent page reads back right");
	xtst_eq(xtst_param_set("fault_once", "none"), 0, "fault_once none");

	xtst_eq(xtst_page_op(XTMEM_FLUSH_PAGE, pp, 2 % n), 1,
		"FLUSH_PAGE persistent: 1");
	xtst_eq(xtst_get(pp, 2 % n, 0), 0, "flushed page misses");
	xtst_eq(xtst_param("persist_pages") - base_persist, n - 1,
		"FLUSH_PAGE frees one page of room");
	xtst_eq(xtst_param_set("fault_once", "put_enomem"), 0,
		"fault_once put_enomem");
	xtst_eq(xtst_put(pp, 2 % n, 7), -ENOMEM,
		"injected put_enomem on a persistent pool: -ENOMEM");
	xtst_eq(xtst_get(pp, 2 % n, 7), 0, "... nothing stored");
	xtst_seed[2 % n] = 200000;
	xtst_eq(xtst_put(pp, 2 % n, xtst_seed[2 % n]), 1,
		"after FLUSH_PAGE a new PUT succeeds");
	xtst_eq(xtst_param_set("fault_once", "put_enospc"), 0,
		"fault_once put_enospc");
	xtst_eq(xtst_put(pp, 3 % n, 300000), -ENOSPC,
		"injected put_enospc on a persistent duplicate: -ENOSPC");
	xtst_eq(xtst_get(pp, 3 % n, 0), 0,
		"... and the old copy is gone (no stale data)");
	xtst_seed[3 % n] = 300001;
	xtst_eq(xtst_put(pp, 3 % n, xtst_seed[3 % n]), 1,
		"PUT again after the failed duplicate: 1");

	/* Lowering the limit drops nothing; later puts fail. */
	xtst_eq(xtst_param_set_uint("persist_capacity_pages", n / 2), 0,
		"persist_capacity_pages lowered to half");
	xtst_eq(xtst_param("persist_pages") - base_persist, n,
		"lowering the limit drops no persistent page");
	xtst_true(xtst_all_there(pp, n),
		  "below the limit: every persistent page reads back right");
	xtst_eq(xtst_put(pp, n + 1, 1), -ENOMEM,
		"over the limit: new PUT -ENOMEM");
	xtst_eq(xtst_put(pp, 4 % n, 400000), -ENOSPC,
		"over the limit: duplicate PUT -ENOSPC");
	xtst_eq(xtst_get(pp, 4 % n, 0), 0,
		"... and the old copy is gone (no stale data)");
	xtst_eq(xtst_param("persist_pages") - base_persist, n - 1,
		"... persist_pages one less");
	xtst_eq(xtst_param_set_uint("persist_capacity_pages", n), 0,
		"persist_capacity_pages set back");
	xtst_seed[4 % n] = 400001;
	xtst_eq(xtst_put(pp, 4 % n, xtst_seed[4 % n]), 1,
		"limit back: the PUT succeeds");

	/* forget_pools=all forgets the ephemeral pools only. */
	xtst_eq(xtst_param_set("forget_pools", "all"), 0, "forget_pools=all");
	xtst_eq(xtst_get(ep, 0, 0), -ENODEV,
		"forget_pools=all: ephemeral pool answers -ENODEV");
	xtst_true(xtst_all_there(pp, n),
		  "forget_pools=all: persistent pool answers, every page right");
	xtst_eq(xtst_param("persist_pages") - base_persist, n,
		"forget_pools=all: persist_pages unchanged");

	/* FLUSH_OBJECT frees room. */
	xtst_eq(xtst_page_op(XTMEM_FLUSH_OBJECT, pp, 0), 1,
		"FLUSH_OBJECT persistent: 1");
	v = (n + XTST_OBJS - 1) / XTST_OBJS;
	xtst_eq(xtst_param("persist_pages") - base_persist, n - v,
		"FLUSH_OBJECT frees the object's pages");
	xtst_eq(xtst_get(pp, 0, 0), 0, "a page of the flushed object misses");
	xtst_eq(xtst_put(pp, n, n), 1, "after FLUSH_OBJECT a new PUT succeeds");

destroy:
	xtst_eq(xtst_destroy_pool(pp), 1, "DESTROY_POOL persistent: 1");
	xtst_eq(xtst_param("persist_pages"), base_persist,
		"DESTROY_POOL frees every persistent page");
	xtst_eq(xtst_param("pages"), base_pages, "pages back where it was");
	xtst_eq(xtst_get(pp, 1, 1), -ENODEV,
		"destroyed persistent pool answers -ENODEV");

	/* forget_pools=<id> forgets a persistent pool too. */
	pp = xtst_new_pool(XTMEM_POOL_PERSIST);
	xtst_true(pp >= 0, "NEW_POOL persistent again");
	if (pp < 0)
		return;
	xtst_eq(xtst_put(pp, 0, 0), 1, "PUT into the new persistent pool");
	xtst_eq(xtst_param_set_uint("forget_pools", pp), 0,
		"forget_pools=<persistent pool id>");
	xtst_eq(xtst_get(pp, 0, 0), -ENODEV,
		"forgotten persistent pool answers -ENODEV");
	xtst_eq(xtst_param("persist_pages"), base_persist,
		"forgotten persistent pool's pages are freed");
}

static int __init xtst_init(void)
{
	long long old_cap, old_persist;

	if (limit < 8 || limit > ARRAY_SIZE(xtst_seed) - 2) {
		pr_err("limit must be 8 to %zu\n", ARRAY_SIZE(xtst_seed) - 2);
		return -EINVAL;
	}
	xt = symbol_get(xtmem_emu_transport);
	if (!xt) {
		pr_err("xen_tmem_emu is not loaded\n");
		return -ENODEV;
	}
	xtst_frame = alloc_page(GFP_KERNEL);
	if (!xtst_frame) {
		symbol_put(xtmem_emu_transport);
		return -ENOMEM;
	}

	old_cap = xtst_param("capacity_pages");
	old_persist = xtst_param("persist_capacity_pages");
	xtst_eq(xtst_param_set_uint("persist_capacity_pages", limit), 0,
		"persist_capacity_pages set");
	xtst_eq(xtst_param_set_uint("capacity_pages", eph_capacity), 0,
		"capacity_pages set");
	xtst_eq(xtst_param("persist_capacity_pages"), limit,
		"persist_capacity_pages reads back");

	xtst_run();

	xtst_param_set("fault_once", "none");
	if (old_cap >= 0)
		xtst_param_set_uint("capacity_pages", old_cap);
	if (old_persist >= 0)
		xtst_param_set_uint("persist_capacity_pages", old_persist);
	__free_page(xtst_frame);
	symbol_put(xtmem_emu_transport);
	pr_info("%u passed, %u failed\n", xtst_passed, xtst_failed);
	return 0;
}

static void __exit xtst_exit(void)
{
}

module_init(xtst_init);
module_exit(xtst_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test-only self-test of the tmem emulator's persistent pools");
