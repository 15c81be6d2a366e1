// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_emu: fault injection, seeded and reproducible.
 *
 * Every op passes through xtemu_fault_pick() (under xtemu_lock), which may
 * give it one fault of an enabled kind, with the side effects Xen has
 * (emu_fault.h). Which op gets which fault follows a xorshift64* sequence
 * started from fault_seed, so the same seed and the same sequence of ops
 * give the same faults.
 *
 * A kind is only picked for an op whose answer is then exactly that
 * kind's error, so that each faults_<kind> counter equals the number of
 * such answers the module under test got:
 *
 *   put_enomem   PUT of a new page: -ENOMEM, nothing stored
 *   put_enospc   PUT of a page already stored (a duplicate): the old copy
 *                is dropped, -ENOSPC
 *   put_efrozen  PUT of a new page: -EFROZEN (Xen lets duplicates through)
 *   put_efault   any PUT: -EFAULT, as a bad frame (a duplicate loses its
 *                old copy); not where persist_capacity_pages refuses it
 *                first (-ENOMEM, or -ENOSPC for a duplicate)
 *   get_efault   GET that would hit, ephemeral pool: -EFAULT, the page
 *                is lost (private ephemeral pool, as Xen 4.12)
 *   get_eempty   GET on an ephemeral pool that has pages: -EEMPTY,
 *                nothing changes
 *   new_eperm    NEW_POOL while a slot is free: -EPERM (as a full table)
 *   new_enomem   NEW_POOL while a slot is free: -ENOMEM
 *   forget       PUT, GET or FLUSH_OBJECT on a live ephemeral pool: the
 *                hypervisor forgets that pool first, so the op answers
 *                -ENODEV. Not FLUSH_PAGE: a module ignores the answer of
 *                the flush it sends after a failed put, so nobody would
 *                count it.
 *   evict        any op while ephemeral pages are held: 1 to
 *                fault_evict_pages of the oldest ephemeral pages are
 *                evicted first (as Xen does when its heap runs short);
 *                later gets of them miss
 *
 * (NEW_POOL faults assume valid flags: Xen's flag checks come first.)
 *
 * Persistent pools (frontswap): the PUT faults apply to them as to any
 * pool; a failed store is a normal outcome, the kernel then writes the
 * page to the swap device. The GET faults, forget and evict never touch
 * a persistent pool or page: on Xen a GET of a stored persistent page
 * does not fail, and persistent pages are never evicted nor dropped by a
 * save/restore. A lost persistent page would be silent corruption of
 * guest memory, which no module could survive, so it is not a fault to
 * inject. (forget_pools=<id> can still forget a persistent pool on
 * purpose.)
 *
 * /sys/module/xen_tmem_emu/parameters/, writable at insmod and at run time:
 *   fault_seed         (0644) u64; writing it restarts the sequence
 *   fault_rate         (0644) each enabled kind gives its fault to 1 in N
 *                      of the ops it applies to (0: never, 1: always);
 *                      default 0. Kinds draw one after the other, in the
 *                      order above; an op gets one fault at most
 *   fault_kinds        (0644) comma-separated kinds, "all" or "none"; an
 *                      item "kind:N" (or "all:N") has its own 1 in N
 *   fault_once         (0644) kinds (or "all"): each gives its fault to the
 *                      next op it applies to, whatever the rate; reads the
 *                      pending ones; "none" cancels
 *   fault_evict_pages  (0644) most pages one evict fault evicts (16)
 * read-only (0444):
 *   fault_state            the sequence's state, hex (0 until the first
 *                          draw after seeding): the same seed and ops
 *                          leave the same state
 *   faults_<kind>          faults injected, one per kind above
 *   faults_evicted_pages   pages the evict faults evicted (these are
 *                          also in the evictions counter)
 *   real_eempty            -EEMPTY answers that were not injected
 *   real_enodev            -ENODEV answers (ops on a missing pool) that
 *                          no forget fault of the same op caused
 *   faults                 all of the above on one line, "name=count ..."
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "emu_store.h"
#include "emu_fault.h"

enum {
	XTEMU_FAULT_PUT_ENOMEM,
	XTEMU_FAULT_PUT_ENOSPC,
	XTEMU_FAULT_PUT_EFROZEN,
	XTEMU_FAULT_PUT_EFAULT,
	XTEMU_FAULT_GET_EFAULT,
	XTEMU_FAULT_GET_EEMPTY,
	XTEMU_FAULT_NEW_EPERM,
	XTEMU_FAULT_NEW_ENOMEM,
	XTEMU_FAULT_FORGET,
	XTEMU_FAULT_EVICT,
	XTEMU_FAULT_NR
};

#define XTEMU_FAULT_ALL		(BIT(XTEMU_FAULT_NR) - 1)

static const struct {
	const char *name;
	int err;		/* the op's answer; 0: acts before the op */
} xtemu_fault_kind[XTEMU_FAULT_NR] = {
	[XTEMU_FAULT_PUT_ENOMEM] = { "put_enomem", -ENOMEM },
	[XTEMU_FAULT_PUT_ENOSPC] = { "put_enospc", -ENOSPC },
	[XTEMU_FAULT_PUT_EFROZEN] = { "put_efrozen", -XTMEM_EFROZEN },
	[XTEMU_FAULT_PUT_EFAULT] = { "put_efault", -EFAULT },
	[XTEMU_FAULT_GET_EFAULT] = { "get_efault", -EFAULT },
	[XTEMU_FAULT_GET_EEMPTY] = { "get_eempty", -XTMEM_EEMPTY },
	[XTEMU_FAULT_NEW_EPERM] = { "new_eperm", -EPERM },
	[XTEMU_FAULT_NEW_ENOMEM] = { "new_enomem", -ENOMEM },
	[XTEMU_FAULT_FORGET] = { "forget", 0 },
	[XTEMU_FAULT_EVICT] = { "evict", 0 },
};

/* The configuration; everything here is under xtemu_lock. */
static u64 xtemu_fault_seed;
static u64 xtemu_fault_state;		/* 0: start again from the seed */
static unsigned int xtemu_fault_rate;
static unsigned long xtemu_fault_mask;	/* enabled kinds */
static unsigned int xtemu_fault_kind_rate[XTEMU_FAULT_NR]; /* 0: fault_rate */
static unsigned long xtemu_fault_pending;	/* fault_once */
static unsigned int xtemu_fault_evict_max = 16;

/* Counters, under xtemu_lock. */
static u64 xtemu_faults[XTEMU_FAULT_NR];
static u64 xtemu_faults_evicted_pages;
static u64 xtemu_real_eempty;
static u64 xtemu_real_enodev;

/* --- the sequence ------------------------------------------------------- */

static u64 xtemu_fault_mix(u64 x)
{
	/* splitmix64: spreads any seed, 0 included, over the state space. */
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The next number of the sequence (xorshift64*). */
static u32 xtemu_fault_random(void)
{
	u64 x = xtemu_fault_state;

	if (!x) {
		x = xtemu_fault_mix(xtemu_fault_seed);
		if (!x)		/* xorshift needs a non-zero state */
			x = 0x9e3779b97f4a7c15ULL;
	}
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	xtemu_fault_state = x;
	return (x * 0x2545f4914f6cdd1dULL) >> 32;
}

/* True one time in n (never for 0, always for 1). */
static bool xtemu_fault_chance(unsigned int n)
{
	if (n <= 1)
		return n == 1;
	return xtemu_fault_random() % n == 0;
}

/* --- the hook ------------------------------------------------------------ */

/* What the op is about to meet. */
struct xtemu_fault_op {
	const struct xtmem_op *op;
	struct xtemu_pool *pool;	/* commands on a pool: it, or NULL */
	bool on_pool;			/* the command looks its pool up */
	bool stored;			/* PUT/GET: the page is stored */
};

static bool xtemu_fault_on_pool(u32 cmd)
{
	switch (cmd) {
	case XTMEM_CONTROL:
	case XTMEM_AUTH:
	case XTMEM_RESTORE_NEW:
	case XTMEM_NEW_POOL:
	case XTMEM_DESTROY_POOL:
		return false;
	}
	return true;
}

static bool xtemu_fault_free_slot(void)
{
	u32 id;

	for (id = 0; id < XTEMU_MAX_POOLS; id++)
		if (!xtemu_pool_lookup(id))
			return true;
	return false;
}

static void xtemu_fault_look(const struct xtmem_op *op,
			     struct xtemu_fault_op *fo, bool faults)
{
	struct xtemu_obj *obj;

	fo->op = op;
	fo->on_pool = xtemu_fault_on_pool(op->cmd);
	fo->pool = fo->on_pool ? xtemu_pool_lookup((u32)op->pool_id) : NULL;
	fo->stored = false;
	if (!faults || !fo->pool ||
	    (op->cmd != XTMEM_PUT_PAGE && op->cmd != XTMEM_GET_PAGE))
		return;
	obj = xtemu_obj_find(fo->pool, op->u.gen.oid);
	fo->stored = obj && xtemu_page_find(obj, op->u.gen.index);
}

/* Does a fault of this kind give this op exactly the kind's answer? */
static bool xtemu_fault_applies(int kind, const struct xtemu_fault_op *fo)
{
	u32 cmd = fo->op->cmd;
	bool put = cmd == XTMEM_PUT_PAGE && fo->pool;
	bool get = cmd == XTMEM_GET_PAGE && fo->pool;

	switch (kind) {
	case XTEMU_FAULT_PUT_ENOMEM:
	case XTEMU_FAULT_PUT_EFROZEN:
		return put && !fo->stored;
	case XTEMU_FAULT_PUT_ENOSPC:
		return put && fo->stored;
	case XTEMU_FAULT_PUT_EFAULT:
		/* The persistent limit answers before the frame is read. */
		return put && !xtemu_store_persist_full(fo->pool, fo->stored);
	case XTEMU_FAULT_GET_EFAULT:
		return get && !fo->pool->persistent && fo->stored;
	case XTEMU_FAULT_GET_EEMPTY:
		return get && !fo->pool->persistent && fo->pool->npages;
	case XTEMU_FAULT_NEW_EPERM:
	case XTEMU_FAULT_NEW_ENOMEM:
		return cmd == XTMEM_NEW_POOL && xtemu_fault_free_slot();
	case XTEMU_FAULT_FORGET:
		return fo->pool && !fo->pool->persistent &&
		       (cmd == XTMEM_PUT_PAGE || cmd == XTMEM_GET_PAGE ||
			cmd == XTMEM_FLUSH_OBJECT);
	case XTEMU_FAULT_EVICT:
		return xtemu_store_eph_pages() > 0;
	}
	return false;
}

/* The kind this op gets, or -1: a pending one-shot first, then by chance. */
static int xtemu_fault_choose(const struct xtemu_fault_op *fo)
{
	unsigned long want = xtemu_fault_mask | xtemu_fault_pending;
	unsigned long cand = 0;
	int kind;

	for_each_set_bit(kind, &want, XTEMU_FAULT_NR)
		if (xtemu_fault_applies(kind, fo))
			cand |= BIT(kind);
	if (cand & xtemu_fault_pending) {
		kind = __ffs(cand & xtemu_fault_pending);
		xtemu_fault_pending &= ~BIT(kind);
		return kind;
	}
	cand &= xtemu_fault_mask;
	for_each_set_bit(kind, &cand, XTEMU_FAULT_NR) {
		unsigned int n = xtemu_fault_kind_rate[kind];

		if (xtemu_fault_chance(n ? n : xtemu_fault_rate))
			return kind;
	}
	return -1;
}

/* Do what the kind does before the op; returns the op's answer or 0. */
static int xtemu_fault_apply(int kind, const struct xtemu_fault_op *fo)
{
	unsigned long nr;

	switch (kind) {
	case XTEMU_FAULT_FORGET:
		xtemu_pool_destroy((u32)fo->op->pool_id);
		break;
	case XTEMU_FAULT_EVICT:
		nr = 1 + xtemu_fault_random() % max(xtemu_fault_evict_max, 1U);
		nr = xtemu_store_evict(nr);
		if (!nr)	/* no ephemeral page: nothing happened */
			return 0;
		xtemu_faults_evicted_pages += nr;
		break;
	}
	xtemu_faults[kind]++;
	return xtemu_fault_kind[kind].err;
}

int xtemu_fault_pick(const struct xtmem_op *op)
{
	struct xtemu_fault_op fo;
	struct xtemu_pool *pool;
	int kind = -1;
	int err = 0;

	lockdep_assert_held(&xtemu_lock);
	xtemu_fault_look(op, &fo, xtemu_fault_mask | xtemu_fault_pending);
	if (xtemu_fault_mask | xtemu_fault_pending)
		kind = xtemu_fault_choose(&fo);
	if (kind >= 0)
		err = xtemu_fault_apply(kind, &fo);

	/* The answers the store will give by itself, after what we did. */
	if (!fo.on_pool)
		return err;
	pool = xtemu_pool_lookup((u32)op->pool_id);
	if (!pool) {
		if (kind != XTEMU_FAULT_FORGET)
			xtemu_real_enodev++;
	} else if (op->cmd == XTMEM_GET_PAGE && !pool->npages) {
		xtemu_real_eempty++;
	}
	return err;
}

/* --- parameters ---------------------------------------------------------- */

/* The .set of read-only parameters (reached through insmod arguments). */
static int xtemu_fault_count_set(const char *val, const struct kernel_param *kp)
{
	pr_err("%s is read-only\n", kp->name);
	return -EPERM;
}

/*
 * Parse a list of kinds: names, "all" or "none", comma-separated. With
 * rates, "name:N" also sets rate[kind] = N (and "all:N" for every kind).
 */
static int xtemu_fault_parse(const char *param, const char *val,
			     unsigned long *mask, unsigned int *rate)
{
	char buf[256], *s = buf, *item;
	int kind;

	*mask = 0;
	if (rate)
		memset(rate, 0, sizeof(*rate) * XTEMU_FAULT_NR);
	if (strscpy(buf, val, sizeof(buf)) < 0)
		goto bad;
	while ((item = strsep(&s, ","))) {
		char *colon;
		unsigned int n = 0;
		unsigned long bits;

		item = strim(item);
		if (!*item)
			continue;
		colon = strchr(item, ':');
		if (colon) {
			*colon = '\0';
			if (!rate || kstrtouint(colon + 1, 0, &n) || !n)
				goto bad;
		}
		if (!strcmp(item, "none") && !colon) {
			*mask = 0;
			if (rate)
				memset(rate, 0, sizeof(*rate) * XTEMU_FAULT_NR);
			continue;
		}
		if (!strcmp(item, "all")) {
			bits = XTEMU_FAULT_ALL;
		} else {
			for (kind = 0; kind < XTEMU_FAULT_NR; kind++)
				if (!strcmp(item, xtemu_fault_kind[kind].name))
					break;
			if (kind == XTEMU_FAULT_NR)
				goto bad;
			bits = BIT(kind);
		}
		*mask |= bits;
		if (rate)
			for_each_set_bit(kind, &bits, XTEMU_FAULT_NR)
				rate[kind] = n;
	}
	return 0;
bad:
	pr_err("%s: '%.*s' is not valid; valid: comma-separated put_enomem, put_enospc, put_efrozen, put_efault, get_efault, get_eempty, new_eperm, new_enomem, forget, evict, all, none%s\n",
	       param, (int)strcspn(val, "\n"), val,
	       rate ? " (each may end in :N, a rate of 1 in N)" : "");
	return -EINVAL;
}

/* "name[:N],..." of the kinds in mask, or "none". */
static int xtemu_fault_print(char *buf, unsigned long mask,
			     const unsigned int *rate)
{
	int kind, len = 0;

	if (!mask)
		return scnprintf(buf, PAGE_SIZE, "none\n");
	for_each_set_bit(kind, &mask, XTEMU_FAULT_NR) {
		len += scnprintf(buf + len, PAGE_SIZE - len, "%s%s",
				 len ? "," : "", xtemu_fault_kind[kind].name);
		if (rate && rate[kind])
			len += scnprintf(buf + len, PAGE_SIZE - len, ":%u",
					 rate[kind]);
	}
	return len + scnprintf(buf + len, PAGE_SIZE - len, "\n");
}

static int xtemu_fault_kinds_set(const char *val, const struct kernel_param *kp)
{
	unsigned int rate[XTEMU_FAULT_NR];
	unsigned long mask, flags;
	int ret;

	ret = xtemu_fault_parse(kp->name, val, &mask, rate);
	if (ret)
		return ret;
	spin_lock_irqsave(&xtemu_lock, flags);
	xtemu_fault_mask = mask;
	memcpy(xtemu_fault_kind_rate, rate, sizeof(rate));
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return 0;
}

static int xtemu_fault_kinds_get(char *buf, const struct kernel_param *kp)
{
	unsigned int rate[XTEMU_FAULT_NR];
	unsigned long mask, flags;

	spin_lock_irqsave(&xtemu_lock, flags);
	mask = xtemu_fault_mask;
	memcpy(rate, xtemu_fault_kind_rate, sizeof(rate));
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return xtemu_fault_print(buf, mask, rate);
}

static const struct kernel_param_ops xtemu_fault_kinds_ops = {
	.set = xtemu_fault_kinds_set,
	.get = xtemu_fault_kinds_get,
};

module_param_cb(fault_kinds, &xtemu_fault_kinds_ops, NULL, 0644);
MODULE_PARM_DESC(fault_kinds,
		 "Faults to inject: comma-separated put_enomem, put_enospc, put_efrozen, put_efault, get_efault, get_eempty, new_eperm, new_enomem, forget, evict, all or none; kind:N has its own rate (default none)");

static int xtemu_fault_once_set(const char *val, const struct kernel_param *kp)
{
	unsigned long mask, flags;
	int ret;

	ret = xtemu_fault_parse(kp->name, val, &mask, NULL);
	if (ret)
		return ret;
	spin_lock_irqsave(&xtemu_lock, flags);
	if (mask)
		xtemu_fault_pending |= mask;
	else
		xtemu_fault_pending = 0;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return 0;
}

static int xtemu_fault_once_get(char *buf, const struct kernel_param *kp)
{
	unsigned long mask, flags;

	spin_lock_irqsave(&xtemu_lock, flags);
	mask = xtemu_fault_pending;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return xtemu_fault_print(buf, mask, NULL);
}

static const struct kernel_param_ops xtemu_fault_once_ops = {
	.set = xtemu_fault_once_set,
	.get = xtemu_fault_once_get,
};

module_param_cb(fault_once, &xtemu_fault_once_ops, NULL, 0644);
MODULE_PARM_DESC(fault_once,
		 "Kinds whose fault the next op they apply to gets, whatever the rate; 'none' cancels");

static int xtemu_fault_seed_set(const char *val, const struct kernel_param *kp)
{
	unsigned long flags;
	u64 seed;

	if (kstrtou64(val, 0, &seed)) {
		pr_err("fault_seed must be a number\n");
		return -EINVAL;
	}
	spin_lock_irqsave(&xtemu_lock, flags);
	xtemu_fault_seed = seed;
	xtemu_fault_state = 0;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return 0;
}

static int xtemu_fault_seed_get(char *buf, const struct kernel_param *kp)
{
	unsigned long flags;
	u64 seed;

	spin_lock_irqsave(&xtemu_lock, flags);
	seed = xtemu_fault_seed;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return scnprintf(buf, PAGE_SIZE, "%llu\n", seed);
}

static const struct kernel_param_ops xtemu_fault_seed_ops = {
	.set = xtemu_fault_seed_set,
	.get = xtemu_fault_seed_get,
};

module_param_cb(fault_seed, &xtemu_fault_seed_ops, NULL, 0644);
MODULE_PARM_DESC(fault_seed,
		 "Seed of the fault sequence; writing it restarts the sequence (default 0)");

static int xtemu_fault_state_get(char *buf, const struct kernel_param *kp)
{
	unsigned long flags;
	u64 state;

	spin_lock_irqsave(&xtemu_lock, flags);
	state = xtemu_fault_state;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return scnprintf(buf, PAGE_SIZE, "%016llx\n", state);
}

static const struct kernel_param_ops xtemu_fault_state_ops = {
	.set = xtemu_fault_count_set,
	.get = xtemu_fault_state_get,
};

module_param_cb(fault_state, &xtemu_fault_state_ops, NULL, 0444);
MODULE_PARM_DESC(fault_state,
		 "State of the fault sequence (0 until the first draw after seeding)");

/* An unsigned int under xtemu_lock; kp->arg points at it. */
static int xtemu_fault_uint_set(const char *val, const struct kernel_param *kp)
{
	unsigned long flags;
	unsigned int n;

	if (kstrtouint(val, 0, &n)) {
		pr_err("%s must be a number\n", kp->name);
		return -EINVAL;
	}
	spin_lock_irqsave(&xtemu_lock, flags);
	*(unsigned int *)kp->arg = n;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return 0;
}

static int xtemu_fault_uint_get(char *buf, const struct kernel_param *kp)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&xtemu_lock, flags);
	n = *(unsigned int *)kp->arg;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return scnprintf(buf, PAGE_SIZE, "%u\n", n);
}

static const struct kernel_param_ops xtemu_fault_uint_ops = {
	.set = xtemu_fault_uint_set,
	.get = xtemu_fault_uint_get,
};

module_param_cb(fault_rate, &xtemu_fault_uint_ops, &xtemu_fault_rate, 0644);
MODULE_PARM_DESC(fault_rate,
		 "An enabled kind's fault hits 1 in N of the ops it applies to; 0 never, 1 always (default 0)");
module_param_cb(fault_evict_pages, &xtemu_fault_uint_ops,
		&xtemu_fault_evict_max, 0644);
MODULE_PARM_DESC(fault_evict_pages,
		 "Most ephemeral pages one evict fault evicts (default 16)");

/* --- counters ------------------------------------------------------------ */

static int xtemu_fault_count_get(char *buf, const struct kernel_param *kp)
{
	const u64 *counter = kp->arg;
	unsigned long flags;
	u64 val;

	spin_lock_irqsave(&xtemu_lock, flags);
	val = *counter;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return scnprintf(buf, PAGE_SIZE, "%llu\n", val);
}

static const struct kernel_param_ops xtemu_fault_count_ops = {
	.set = xtemu_fault_count_set,
	.get = xtemu_fault_count_get,
};

module_param_cb(faults_put_enomem, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_PUT_ENOMEM], 0444);
MODULE_PARM_DESC(faults_put_enomem, "Injected put_enomem faults");
module_param_cb(faults_put_enospc, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_PUT_ENOSPC], 0444);
MODULE_PARM_DESC(faults_put_enospc, "Injected put_enospc faults");
module_param_cb(faults_put_efrozen, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_PUT_EFROZEN], 0444);
MODULE_PARM_DESC(faults_put_efrozen, "Injected put_efrozen faults");
module_param_cb(faults_put_efault, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_PUT_EFAULT], 0444);
MODULE_PARM_DESC(faults_put_efault, "Injected put_efault faults");
module_param_cb(faults_get_efault, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_GET_EFAULT], 0444);
MODULE_PARM_DESC(faults_get_efault, "Injected get_efault faults");
module_param_cb(faults_get_eempty, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_GET_EEMPTY], 0444);
MODULE_PARM_DESC(faults_get_eempty, "Injected get_eempty faults");
module_param_cb(faults_new_eperm, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_NEW_EPERM], 0444);
MODULE_PARM_DESC(faults_new_eperm, "Injected new_eperm faults");
module_param_cb(faults_new_enomem, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_NEW_ENOMEM], 0444);
MODULE_PARM_DESC(faults_new_enomem, "Injected new_enomem faults");
module_param_cb(faults_forget, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_FORGET], 0444);
MODULE_PARM_DESC(faults_forget, "Injected forget faults (pools forgotten)");
module_param_cb(faults_evict, &xtemu_fault_count_ops,
		&xtemu_faults[XTEMU_FAULT_EVICT], 0444);
MODULE_PARM_DESC(faults_evict, "Injected evict faults");
module_param_cb(faults_evicted_pages, &xtemu_fault_count_ops,
		&xtemu_faults_evicted_pages, 0444);
MODULE_PARM_DESC(faults_evicted_pages, "Pages evicted by evict faults");
module_param_cb(real_eempty, &xtemu_fault_count_ops, &xtemu_real_eempty,
		0444);
MODULE_PARM_DESC(real_eempty, "-EEMPTY answers that were not injected");
module_param_cb(real_enodev, &xtemu_fault_count_ops, &xtemu_real_enodev,
		0444);
MODULE_PARM_DESC(real_enodev,
		 "-ENODEV answers that no forget fault of the same op caused");

static int xtemu_faults_get(char *buf, const struct kernel_param *kp)
{
	u64 faults[XTEMU_FAULT_NR], evicted, eempty, enodev;
	unsigned long flags;
	int kind, len = 0;

	spin_lock_irqsave(&xtemu_lock, flags);
	memcpy(faults, xtemu_faults, sizeof(faults));
	evicted = xtemu_faults_evicted_pages;
	eempty = xtemu_real_eempty;
	enodev = xtemu_real_enodev;
	spin_unlock_irqrestore(&xtemu_lock, flags);

	for (kind = 0; kind < XTEMU_FAULT_NR; kind++)
		len += scnprintf(buf + len, PAGE_SIZE - len, "%s=%llu ",
				 xtemu_fault_kind[kind].name, faults[kind]);
	return len + scnprintf(buf + len, PAGE_SIZE - len,
			       "evicted_pages=%llu real_eempty=%llu real_enodev=%llu\n",
			       evicted, eempty, enodev);
}

static const struct kernel_param_ops xtemu_faults_ops = {
	.set = xtemu_fault_count_set,
	.get = xtemu_faults_get,
};

module_param_cb(faults, &xtemu_faults_ops, NULL, 0444);
MODULE_PARM_DESC(faults, "Every fault counter on one line, name=count");
