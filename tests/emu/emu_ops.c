// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_emu: the do_tmem_op dispatcher (Xen 4.12 order of checks) and
 * the strictness check on fields the command does not use.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "emu.h"
#include "emu_fault.h"

DEFINE_SPINLOCK(xtemu_lock);

/*
 * Xen's errno 38 ("function not implemented"), its answer to a command it
 * does not know; Linux's errno has the same number.
 */
#define XTEMU_ERR_NOT_IMPLEMENTED	38

/* Fields that a command may not use; each must be zero. */
enum {
	XTEMU_F_POOL_ID,
	XTEMU_F_ARG1,
	XTEMU_F_CREAT_TAIL,
	XTEMU_F_OID,
	XTEMU_F_INDEX,
	XTEMU_F_TMEM_OFFSET,
	XTEMU_F_PFN_OFFSET,
	XTEMU_F_LEN,
	XTEMU_F_CMFN,
	XTEMU_F_NR
};

#define XTEMU_FIELD(m, name)						\
	{ name, offsetof(struct xtmem_op, m),				\
	  sizeof_field(struct xtmem_op, m) }

static const struct {
	const char *name;
	unsigned char off;
	unsigned char len;
} xtemu_fields[XTEMU_F_NR] = {
	[XTEMU_F_POOL_ID] = XTEMU_FIELD(pool_id, "pool_id"),
	[XTEMU_F_ARG1] = XTEMU_FIELD(u.creat.arg1, "u.creat.arg1"),
	[XTEMU_F_CREAT_TAIL] = { "bytes 32 and up (after u.creat)", 32,
				 sizeof(struct xtmem_op) - 32 },
	[XTEMU_F_OID] = XTEMU_FIELD(u.gen.oid, "u.gen.oid"),
	[XTEMU_F_INDEX] = XTEMU_FIELD(u.gen.index, "u.gen.index"),
	[XTEMU_F_TMEM_OFFSET] = XTEMU_FIELD(u.gen.tmem_offset,
					    "u.gen.tmem_offset"),
	[XTEMU_F_PFN_OFFSET] = XTEMU_FIELD(u.gen.pfn_offset,
					   "u.gen.pfn_offset"),
	[XTEMU_F_LEN] = XTEMU_FIELD(u.gen.len, "u.gen.len"),
	[XTEMU_F_CMFN] = XTEMU_FIELD(u.gen.cmfn, "u.gen.cmfn"),
};

#define XTEMU_UNUSED_PAGE						\
	(BIT(XTEMU_F_TMEM_OFFSET) | BIT(XTEMU_F_PFN_OFFSET) |		\
	 BIT(XTEMU_F_LEN))

static const struct {
	const char *name;
	unsigned int unused;
} xtemu_cmds[] = {
	[XTMEM_NEW_POOL] = { "NEW_POOL", BIT(XTEMU_F_POOL_ID) |
		BIT(XTEMU_F_ARG1) | BIT(XTEMU_F_CREAT_TAIL) },
	[XTMEM_DESTROY_POOL] = { "DESTROY_POOL", XTEMU_UNUSED_PAGE |
		BIT(XTEMU_F_OID) | BIT(XTEMU_F_INDEX) | BIT(XTEMU_F_CMFN) },
	[XTMEM_PUT_PAGE] = { "PUT_PAGE", XTEMU_UNUSED_PAGE },
	[XTMEM_GET_PAGE] = { "GET_PAGE", XTEMU_UNUSED_PAGE },
	[XTMEM_FLUSH_PAGE] = { "FLUSH_PAGE", XTEMU_UNUSED_PAGE |
		BIT(XTEMU_F_CMFN) },
	[XTMEM_FLUSH_OBJECT] = { "FLUSH_OBJECT", XTEMU_UNUSED_PAGE |
		BIT(XTEMU_F_INDEX) | BIT(XTEMU_F_CMFN) },
};

/*
 * The module under test must send fully initialised ops (the Linux driver
 * did not). Returns true if a field the command does not use is non-zero;
 * logs the first one. The op still runs: Xen ignores these fields.
 */
static bool xtemu_op_is_bad(const struct xtmem_op *op)
{
	const unsigned char *raw = (const unsigned char *)op;
	unsigned long unused;
	unsigned int f;

	if (op->cmd >= ARRAY_SIZE(xtemu_cmds) || !xtemu_cmds[op->cmd].name)
		return false;
	unused = xtemu_cmds[op->cmd].unused;
	for_each_set_bit(f, &unused, XTEMU_F_NR) {
		if (memchr_inv(raw + xtemu_fields[f].off, 0,
			       xtemu_fields[f].len)) {
			pr_warn_ratelimited("bad op: %s with non-zero %s\n",
					    xtemu_cmds[op->cmd].name,
					    xtemu_fields[f].name);
			return true;
		}
	}
	return false;
}

/* The guest frame named by cmfn, or NULL (the op then fails -EFAULT). */
static struct page *xtemu_frame(unsigned long cmfn)
{
	return pfn_valid(cmfn) ? pfn_to_page(cmfn) : NULL;
}

static int xtemu_page_op(struct xtemu_pool *pool, const struct xtmem_op *op,
			 int fault)
{
	const u64 *oid = op->u.gen.oid;
	u32 index = op->u.gen.index;
	int rc;

	switch (op->cmd) {
	case XTMEM_PUT_PAGE:
		rc = xtemu_store_put(pool, oid, index,
				     xtemu_frame(op->u.gen.cmfn), fault);
		xtemu_stats.puts++;
		if (rc != 1)
			xtemu_stats.puts_failed++;
		return rc;
	case XTMEM_GET_PAGE:
		rc = xtemu_store_get(pool, oid, index,
				     xtemu_frame(op->u.gen.cmfn), fault);
		xtemu_stats.gets++;
		if (rc == 1)
			xtemu_stats.hits++;
		else if (rc == 0 || rc == -XTMEM_EEMPTY)
			xtemu_stats.misses++;
		return rc;
	case XTMEM_FLUSH_PAGE:
		xtemu_store_flush_page(pool, oid, index);
		xtemu_stats.flushes++;
		return fault ? fault : 1;
	case XTMEM_FLUSH_OBJECT:
		xtemu_store_flush_object(pool, oid);
		xtemu_stats.flushes++;
		return fault ? fault : 1;
	default:
		/* 3, 8, 9 (Xen <= 4.3 only), 10 and anything else. */
		return -XTEMU_ERR_NOT_IMPLEMENTED;
	}
}

/* do_tmem_op of Xen 4.12 with tmem on, for an existing, live client. */
static int xtemu_dispatch(const struct xtmem_op *op)
{
	struct xtemu_pool *pool;
	int fault;

	fault = xtemu_fault_pick(op);
	switch (op->cmd) {
	case XTMEM_CONTROL:
	case XTMEM_AUTH:
	case XTMEM_RESTORE_NEW:
		return -EOPNOTSUPP;
	case XTMEM_NEW_POOL:
		return xtemu_pool_new(op->u.creat.flags, op->u.creat.uuid[0],
				      op->u.creat.uuid[1], fault);
	case XTMEM_DESTROY_POOL:
		return xtemu_pool_destroy((u32)op->pool_id);
	}
	/* Xen looks the pool up before it rejects an unknown command. */
	pool = xtemu_pool_lookup((u32)op->pool_id);
	if (!pool) {
		pr_debug("cmd %u on uncreated pool %d\n", op->cmd, op->pool_id);
		return -ENODEV;
	}
	return xtemu_page_op(pool, op, fault);
}

int xtemu_tmem_op(struct xtmem_op *uop)
{
	struct xtmem_op op;
	unsigned long flags;
	bool bad;
	int rc;

	if (!uop)
		return -EFAULT;
	/* Like Xen, work on a copy of the caller's op. */
	op = *uop;
	bad = xtemu_op_is_bad(&op);

	spin_lock_irqsave(&xtemu_lock, flags);
	if (bad)
		xtemu_stats.bad_ops++;
	rc = xtemu_dispatch(&op);
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return rc;
}
