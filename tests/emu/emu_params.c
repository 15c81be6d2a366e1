// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_emu: module parameters.
 *
 * /sys/module/xen_tmem_emu/parameters/
 *   capacity_pages  (0644) ephemeral pages the "hypervisor" holds at most
 *                   (its heap); lowering it evicts ephemeral pages down
 *                   to the new limit. Persistent pages do not count.
 *   persist_capacity_pages
 *                   (0644) pages the persistent pools may hold together,
 *                   as Xen charges them to the guest (d->max_pages): a
 *                   new persistent page at the limit answers -ENOMEM.
 *                   Lowering it drops nothing; only later puts fail.
 *   shared_auth     (0644) Y: shared pools are authorised (Xen <= 4.8, or
 *                   xl tmem-shared-auth); N: shared NEW_POOL requests
 *                   silently become private (Xen 4.9+ default)
 *   pages persist_pages persist_puts_enomem pools puts puts_failed gets
 *   hits misses flushes evictions
 *   bad_ops         (0444) counters, see struct xtemu_stats
 *   balloon_target  (0644) the guest's memory target in pages, as xen_tmem's
 *                   self-ballooning sets it through the transport: the
 *                   balloon (emu_balloon.c) takes what is missing from the
 *                   memory the guest had at load, in the background. 0:
 *                   no ballooning (the default); at load: applied in init
 *   balloon_pages   (0444) pages the balloon holds now, in the store or not;
 *                   they raise capacity_pages and persist_capacity_pages
 *   balloon_heap_pages
 *                   (0444) ... of them free on the heap list (not storing
 *                   a page)
 *   balloon_target_pages
 *                   (0444) pages the balloon should hold (0 for none)
 *   balloon_short   (0444) pages it holds over that and could not give back
 *                   at its last try: persistent pages are kept in them
 *   forget_pools    (0200) forget pools: "all" the ephemeral ones, as after
 *                   a save/restore; a pool id, that pool of any kind
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

#include "emu.h"

struct xtemu_stats xtemu_stats;
unsigned int xtemu_capacity = 65536;
unsigned int xtemu_persist_capacity = 16384;
bool xtemu_shared_auth = true;
/* Set once the store exists; read and written under kernel_param_lock. */
bool xtemu_ready;

static int xtemu_counter_get(char *buf, const struct kernel_param *kp)
{
	const u64 *counter = kp->arg;
	unsigned long flags;
	u64 val;

	spin_lock_irqsave(&xtemu_lock, flags);
	val = *counter;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return scnprintf(buf, PAGE_SIZE, "%llu\n", val);
}

static int xtemu_counter_set(const char *val, const struct kernel_param *kp)
{
	pr_err("%s is a read-only counter\n", kp->name);
	return -EPERM;
}

static const struct kernel_param_ops xtemu_counter_ops = {
	.set = xtemu_counter_set,
	.get = xtemu_counter_get,
};

module_param_cb(pages, &xtemu_counter_ops, &xtemu_stats.pages, 0444);
MODULE_PARM_DESC(pages, "Pages held now, all pools");
module_param_cb(persist_pages, &xtemu_counter_ops, &xtemu_stats.persist_pages,
		0444);
MODULE_PARM_DESC(persist_pages, "Pages held now in persistent pools");
module_param_cb(persist_puts_enomem, &xtemu_counter_ops,
		&xtemu_stats.persist_puts_enomem, 0444);
MODULE_PARM_DESC(persist_puts_enomem,
		 "Puts of new persistent pages refused at persist_capacity_pages (-ENOMEM)");
module_param_cb(pools, &xtemu_counter_ops, &xtemu_stats.pools, 0444);
MODULE_PARM_DESC(pools, "Live pool slots");
module_param_cb(puts, &xtemu_counter_ops, &xtemu_stats.puts, 0444);
MODULE_PARM_DESC(puts, "PUT_PAGE ops on existing pools");
module_param_cb(puts_failed, &xtemu_counter_ops, &xtemu_stats.puts_failed,
		0444);
MODULE_PARM_DESC(puts_failed, "PUT_PAGE ops that did not return 1");
module_param_cb(gets, &xtemu_counter_ops, &xtemu_stats.gets, 0444);
MODULE_PARM_DESC(gets, "GET_PAGE ops on existing pools");
module_param_cb(hits, &xtemu_counter_ops, &xtemu_stats.hits, 0444);
MODULE_PARM_DESC(hits, "GET_PAGE ops that returned 1");
module_param_cb(misses, &xtemu_counter_ops, &xtemu_stats.misses, 0444);
MODULE_PARM_DESC(misses, "GET_PAGE ops that returned 0 or -EEMPTY");
module_param_cb(flushes, &xtemu_counter_ops, &xtemu_stats.flushes, 0444);
MODULE_PARM_DESC(flushes, "FLUSH_PAGE and FLUSH_OBJECT ops on existing pools");
module_param_cb(evictions, &xtemu_counter_ops, &xtemu_stats.evictions,
		0444);
MODULE_PARM_DESC(evictions, "Ephemeral pages evicted to make room");
module_param_cb(bad_ops, &xtemu_counter_ops, &xtemu_stats.bad_ops, 0444);
MODULE_PARM_DESC(bad_ops, "Ops with a non-zero field the command does not use");

module_param_cb(balloon_pages, &xtemu_counter_ops, &xtemu_stats.balloon_pages,
		0444);
MODULE_PARM_DESC(balloon_pages,
		 "Pages the balloon holds now (raise both capacity limits)");
module_param_cb(balloon_heap_pages, &xtemu_counter_ops,
		&xtemu_stats.balloon_heap_pages, 0444);
MODULE_PARM_DESC(balloon_heap_pages,
		 "Balloon pages that hold no stored page");
module_param_cb(balloon_target_pages, &xtemu_counter_ops,
		&xtemu_stats.balloon_target_pages, 0444);
MODULE_PARM_DESC(balloon_target_pages, "Pages the balloon should hold");
module_param_cb(balloon_short, &xtemu_counter_ops, &xtemu_stats.balloon_short,
		0444);
MODULE_PARM_DESC(balloon_short,
		 "Balloon pages over the target that persistent pages keep from going back");

/* capacity_pages and persist_capacity_pages; kp->arg is the limit. */
static int xtemu_capacity_set(const char *val, const struct kernel_param *kp)
{
	unsigned int capacity;
	int ret;

	ret = kstrtouint(val, 0, &capacity);
	if (ret) {
		pr_err("%s must be a number of pages\n", kp->name);
		return ret;
	}
	if (!xtemu_ready) {
		/* At load: the store is sized from it in module init. */
		*(unsigned int *)kp->arg = capacity;
		return 0;
	}
	if (kp->arg == &xtemu_persist_capacity)
		xtemu_store_set_persist_capacity(capacity);
	else
		xtemu_store_set_capacity(capacity);
	return 0;
}

static const struct kernel_param_ops xtemu_capacity_ops = {
	.set = xtemu_capacity_set,
	.get = param_get_uint,
};

module_param_cb(capacity_pages, &xtemu_capacity_ops, &xtemu_capacity, 0644);
MODULE_PARM_DESC(capacity_pages,
		 "Most ephemeral pages held; lowering it evicts at once (default 65536)");
module_param_cb(persist_capacity_pages, &xtemu_capacity_ops,
		&xtemu_persist_capacity, 0644);
MODULE_PARM_DESC(persist_capacity_pages,
		 "Most pages in persistent pools (charged to the guest); new puts over it get -ENOMEM, lowering it evicts nothing (default 16384)");
/* balloon_target: as the transport's set_target(); kp->arg is the value. */
static int xtemu_balloon_target_set(const char *val,
				    const struct kernel_param *kp)
{
	unsigned long pages;
	int ret;

	ret = kstrtoul(val, 0, &pages);
	if (ret) {
		pr_err("%s must be a number of pages\n", kp->name);
		return ret;
	}
	if (!xtemu_ready) {
		/* At load: module init applies it once the balloon exists. */
		*(unsigned long *)kp->arg = pages;
		return 0;
	}
	xtemu_balloon_set_target(pages);
	return 0;
}

static const struct kernel_param_ops xtemu_balloon_target_ops = {
	.set = xtemu_balloon_target_set,
	.get = param_get_ulong,
};

module_param_cb(balloon_target, &xtemu_balloon_target_ops,
		&xtemu_balloon_target, 0644);
MODULE_PARM_DESC(balloon_target,
		 "The guest's memory target in pages (as the balloon's set_target); the balloon holds what is missing from the memory at load. 0: no ballooning (default)");
module_param_named(shared_auth, xtemu_shared_auth, bool, 0644);
MODULE_PARM_DESC(shared_auth,
		 "Authorise shared pools; N makes them private as Xen 4.9+ (default Y)");

/*
 * forget_pools: the hypervisor forgets pools. "all": every ephemeral
 * pool, as after a save/restore or a migration (Xen's toolstack carries
 * the persistent pools and their pages over: xc_tmem save/restore).
 * A pool id: that one pool, ephemeral or persistent, so that a test can
 * also meet a lost persistent pool. Every later op on a forgotten pool
 * answers -ENODEV.
 */
static int xtemu_forget_set(const char *val, const struct kernel_param *kp)
{
	unsigned long flags;
	unsigned int id;
	bool all = sysfs_streq(val, "all");

	if (!all && (kstrtouint(val, 0, &id) || id >= XTEMU_MAX_POOLS)) {
		pr_err("forget_pools takes 'all' or a pool id below %d\n",
		       XTEMU_MAX_POOLS);
		return -EINVAL;
	}
	if (!xtemu_ready)
		return 0;
	spin_lock_irqsave(&xtemu_lock, flags);
	if (all)
		xtemu_pool_destroy_ephemeral();
	else
		xtemu_pool_destroy(id);
	spin_unlock_irqrestore(&xtemu_lock, flags);
	pr_info("forgot %s\n", all ? "all ephemeral pools" : "one pool");
	return 0;
}

static const struct kernel_param_ops xtemu_forget_ops = {
	.set = xtemu_forget_set,
};

module_param_cb(forget_pools, &xtemu_forget_ops, NULL, 0200);
MODULE_PARM_DESC(forget_pools,
		 "Write 'all' (every ephemeral pool, as save/restore) or a pool id (any kind): the hypervisor forgets it (-ENODEV after)");
