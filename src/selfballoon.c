// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: self-ballooning. With selfballoon=1 the guest hands the memory
 * it does not use to the hypervisor through its balloon (on Xen, the
 * kernel's balloon driver), where tmem, and every other guest, can use it.
 * The clean pages the smaller guest evicts go to tmem through cleancache,
 * its swapped pages through frontswap.
 *
 * Every selfballoon_interval seconds a step moves the balloon's target
 * toward what the guest needs (src/sbcalc.h: the larger of Committed_AS
 * and the memory it cannot reclaim, plus a reserve), up at once, down by
 * an eighth of the gap, never below the floor nor above the memory the
 * guest had when self-ballooning was switched on ("max"). Switching it
 * off sets the target back to max.
 *
 * A guest whose memory grows faster than the steps follow can run out
 * before the next one. The out-of-memory notifier is the safety net: the
 * kernel calls it before it kills a process, and it sets the target back
 * to max at once, waits (at most XTMEM_SB_RESCUE_WAIT) for the balloon to
 * give memory back and reports what came back as freed, so the kernel
 * retries the allocation instead of killing. It reports nothing when the
 * balloon gave nothing back (the guest is at max, or the hypervisor has
 * no memory to return), and then the kernel's OOM killer does its job.
 * After a rescue the target does not go down for XTMEM_SB_HOLD steps.
 */
#include <linux/jiffies.h>
#include <linux/mman.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/oom.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "parse.h"
#include "sbcalc.h"
#include "xtmem.h"

/* How long a rescue waits for the balloon, and for how many steps after
 * it the target stays up.
 */
#define XTMEM_SB_RESCUE_WAIT	msecs_to_jiffies(1000)
#define XTMEM_SB_HOLD		10

static const struct xtmem_balloon *xtmem_sb_balloon;

/* Everything below is under xtmem_sb_lock. */
static DEFINE_MUTEX(xtmem_sb_lock);
static bool xtmem_sb_active;
static long xtmem_sb_bias;		/* balloon pages - totalram pages */
static unsigned long xtmem_sb_max;	/* guest pages when switched on */
static unsigned long xtmem_sb_target;	/* the last target set */
static unsigned long xtmem_sb_goal;	/* and the goal it moved toward */
static unsigned long xtmem_sb_floor;
static unsigned int xtmem_sb_hold;	/* steps to stay up after a rescue */
static u64 xtmem_sb_adjustments;
static u64 xtmem_sb_rescues;
static u64 xtmem_sb_rescued_pages;

static void xtmem_sb_step(struct work_struct *work);
static DECLARE_DELAYED_WORK(xtmem_sb_work, xtmem_sb_step);

/* The guest's memory now, in pages, as the balloon has it. */
static unsigned long xtmem_sb_current(void)
{
	long cur = (long)xtmem_sb_balloon->current_pages() - xtmem_sb_bias;

	return cur > 0 ? cur : 0;
}

static void xtmem_sb_set_target(unsigned long target)
{
	lockdep_assert_held(&xtmem_sb_lock);
	if (target == xtmem_sb_target)
		return;
	xtmem_sb_target = target;
	xtmem_sb_adjustments++;
	xtmem_sb_balloon->set_target(target + xtmem_sb_bias);
}

/* Memory the guest cannot reclaim now: total minus MemAvailable. */
static unsigned long xtmem_sb_unavailable(void)
{
	long avail = xtmem_mem_available();
	unsigned long total = xtmem_totalram_pages();

	if (avail < 0)
		avail = 0;
	return (unsigned long)avail < total ? total - avail : 0;
}

static unsigned long xtmem_sb_mb_or(int mb, unsigned long dflt)
{
	return mb < 0 ? dflt : XTMEM_SB_MB(mb);
}

/* The floor for a guest of MAX pages: the parameter's, or auto's. */
static unsigned long xtmem_sb_floor_of(unsigned long max)
{
	return xtmem_sb_mb_or(xtmem_param_sb_floor_mb(),
			      xtmem_sbc_auto_floor(max));
}

static void xtmem_sb_step(struct work_struct *work)
{
	unsigned long reserve, next;

	mutex_lock(&xtmem_sb_lock);
	if (!xtmem_sb_active) {
		mutex_unlock(&xtmem_sb_lock);
		return;
	}
	reserve = xtmem_sb_mb_or(xtmem_param_sb_reserve_mb(),
				 xtmem_sbc_auto_reserve(xtmem_sb_max));
	xtmem_sb_floor = xtmem_sb_floor_of(xtmem_sb_max);
	xtmem_sb_goal = xtmem_sbc_goal(vm_memory_committed(),
					 xtmem_sb_unavailable(), reserve);
	next = xtmem_sbc_next(xtmem_sb_target, xtmem_sb_goal, xtmem_sb_floor,
			     xtmem_sb_max);
	if (xtmem_sb_hold) {
		xtmem_sb_hold--;
		if (next < xtmem_sb_target)
			next = xtmem_sb_target;
	}
	xtmem_sb_set_target(next);
	queue_delayed_work(system_freezable_wq, &xtmem_sb_work,
			   xtmem_param_sb_interval() * HZ);
	mutex_unlock(&xtmem_sb_lock);
}

/*
 * The kernel is about to kill a process for memory: give the guest its
 * memory back and report what the balloon returned within the wait.
 */
static int xtmem_sb_oom(struct notifier_block *nb, unsigned long unused,
			void *parm)
{
	unsigned long *freed = parm;
	unsigned long before, now, deadline;

	mutex_lock(&xtmem_sb_lock);
	if (!xtmem_sb_active) {
		mutex_unlock(&xtmem_sb_lock);
		return NOTIFY_OK;
	}
	xtmem_sb_hold = XTMEM_SB_HOLD;
	before = xtmem_sb_current();
	if (before >= xtmem_sb_max) {
		mutex_unlock(&xtmem_sb_lock);
		return NOTIFY_OK;
	}
	xtmem_sb_set_target(xtmem_sb_max);
	xtmem_sb_rescues++;
	mutex_unlock(&xtmem_sb_lock);

	deadline = jiffies + XTMEM_SB_RESCUE_WAIT;
	do {
		schedule_timeout_uninterruptible(msecs_to_jiffies(10));
		now = xtmem_sb_current();
	} while (now < before + XTMEM_SB_MIN_STEP && now < xtmem_sb_max &&
		 time_before(jiffies, deadline));
	if (now > before) {
		*freed += now - before;
		mutex_lock(&xtmem_sb_lock);
		xtmem_sb_rescued_pages += now - before;
		mutex_unlock(&xtmem_sb_lock);
	}
	return NOTIFY_OK;
}

static struct notifier_block xtmem_sb_oom_nb = {
	.notifier_call = xtmem_sb_oom,
};

static const char *xtmem_sb_why_not(void)
{
#ifndef XTMEM_HAVE_XEN_BALLOON
	if (xtmem_param_transport() == XTMEM_TRANSPORT_XEN)
		return "this kernel has no Xen balloon driver (CONFIG_XEN_BALLOON is off)";
#endif
	return "the guest has no balloon";
}

bool xtmem_selfballoon_available(void)
{
	return xtmem_sb_balloon;
}

/*
 * Switch self-ballooning on or off: 0, or -ENODEV when the guest has no
 * balloon. Off sets the target back to the memory the guest had when it
 * was switched on.
 */
int xtmem_selfballoon_set(bool on)
{
	bool was;

	if (!xtmem_sb_balloon) {
		if (on)
			pr_err("selfballoon: %s; nothing changed\n",
			       xtmem_sb_why_not());
		return on ? -ENODEV : 0;
	}
	mutex_lock(&xtmem_sb_lock);
	was = xtmem_sb_active;
	if (on && !was) {
		xtmem_sb_bias = (long)xtmem_sb_balloon->current_pages() -
				(long)xtmem_totalram_pages();
		xtmem_sb_max = xtmem_sb_current();
		xtmem_sb_target = xtmem_sb_max;
		xtmem_sb_goal = xtmem_sb_max;
		xtmem_sb_hold = 0;
		xtmem_sb_active = true;
		queue_delayed_work(system_freezable_wq, &xtmem_sb_work, 0);
	} else if (!on && was) {
		xtmem_sb_active = false;
		xtmem_sb_set_target(xtmem_sb_max);
	}
	mutex_unlock(&xtmem_sb_lock);

	if (on && !was) {
		register_oom_notifier(&xtmem_sb_oom_nb);
		pr_info("self-ballooning on: %lu MiB now, floor %lu MiB\n",
			xtmem_sb_max >> (20 - PAGE_SHIFT),
			xtmem_sb_floor_of(xtmem_sb_max) >> (20 - PAGE_SHIFT));
	} else if (!on && was) {
		cancel_delayed_work_sync(&xtmem_sb_work);
		unregister_oom_notifier(&xtmem_sb_oom_nb);
		pr_info("self-ballooning off: the balloon goes back to %lu MiB\n",
			xtmem_sb_max >> (20 - PAGE_SHIFT));
	}
	return 0;
}

/* A new interval takes effect at once. */
void xtmem_selfballoon_kick(void)
{
	mutex_lock(&xtmem_sb_lock);
	if (xtmem_sb_active)
		mod_delayed_work(system_freezable_wq, &xtmem_sb_work, 0);
	mutex_unlock(&xtmem_sb_lock);
}

void xtmem_selfballoon_stats(struct xtmem_sb_stats *st)
{
	mutex_lock(&xtmem_sb_lock);
	st->active = xtmem_sb_active;
	st->max = xtmem_sb_max;
	st->target = xtmem_sb_target;
	st->goal = xtmem_sb_goal;
	st->floor = xtmem_sb_floor;
	st->cur = xtmem_sb_balloon ? xtmem_sb_current() : 0;
	st->adjustments = xtmem_sb_adjustments;
	st->rescues = xtmem_sb_rescues;
	st->rescued_pages = xtmem_sb_rescued_pages;
	mutex_unlock(&xtmem_sb_lock);
}

/*
 * At load, after registration: take the transport's balloon and, when
 * selfballoon=1 was given, switch on; without a balloon say so in one
 * line and load without it.
 */
void xtmem_selfballoon_init(const struct xtmem_transport *tp)
{
	xtmem_sb_balloon = tp->get_balloon ? tp->get_balloon() : NULL;
	if (xtmem_sb_balloon && xtmem_sysfs_add_selfballoon())
		pr_warn("no /sys/kernel/mm/xen_tmem/selfballoon: the statistics of self-ballooning are missing\n");
	if (!xtmem_param_sb_wanted())
		return;
	if (!xtmem_sb_balloon) {
		pr_warn("selfballoon=1 ignored: %s; everything else is on\n",
			xtmem_sb_why_not());
		xtmem_param_sb_clear();
		return;
	}
	xtmem_selfballoon_set(true);
}
