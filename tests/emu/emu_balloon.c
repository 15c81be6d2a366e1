// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_emu: an emulated balloon, and the hypervisor heap it feeds.
 *
 * On Xen, a guest that balloons down hands frames to the hypervisor's free
 * heap, and tmem stores its pages in that heap; when the guest balloons up,
 * Xen takes frames back from the heap, and tmem evicts ephemeral pages to
 * make room (persistent pages are never evicted). Here:
 *
 *  - inflating takes pages from the guest with alloc_page() and removes
 *    them from its managed memory (adjust_managed_page_count(page, -1)),
 *    so that totalram_pages() drops as with Xen's balloon driver. They go
 *    on the heap list, under xtemu_lock.
 *  - the store takes the data page of a new stored page from the heap list
 *    first (xtemu_heap_take(), emu_table.c), and a released page that came
 *    from the heap goes back to it (xtemu_heap_give()).
 *  - the balloon raises the hypervisor's limits by the pages it holds:
 *    capacity_pages + balloon_pages for the ephemeral pages,
 *    persist_capacity_pages + balloon_pages for the persistent ones (the
 *    guest gave frames back, so it has room under its max_pages).
 *  - deflating gives heap pages back to the guest first; then it evicts
 *    the oldest ephemeral pages until the balloon pages they held come
 *    back. A balloon page holding a persistent page cannot be taken back:
 *    the balloon then stays larger than asked (balloon_short), and the
 *    worker tries again every second, as it does after a failed
 *    allocation (like Xen's balloon worker).
 *
 * balloon_pages (xtemu_stats) counts every page the balloon holds, on the
 * heap list or in the store; current_pages() is totalram_pages(), which
 * moves exactly with it. Pages move to and from the guest only in the
 * worker and at module exit (process context), never under xtemu_lock.
 */
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/workqueue.h>

#include "emu.h"

/* Pages per step of the worker, and evictions per xtemu_lock hold. */
#define XTEMU_BALLOON_BATCH	256

/* As Xen's GFP_BALLOON: do not try hard, never trigger the OOM killer. */
#define XTEMU_BALLOON_GFP \
	(GFP_HIGHUSER | __GFP_NORETRY | __GFP_NOWARN | __GFP_NOMEMALLOC)

/* Balloon pages that hold no stored page, by page->lru; xtemu_lock. */
static LIST_HEAD(xtemu_heap);
/* Balloon pages holding pages of ephemeral pools; xtemu_lock. */
u64 xtemu_balloon_eph;
/* The guest's memory target in pages, 0 for none (balloon_target). */
unsigned long xtemu_balloon_target;
/* totalram_pages() at load, with an empty balloon: the guest's maximum. */
static unsigned long xtemu_balloon_start;

/*
 * The worker runs on system_freezable_wq. Not on a workqueue of its own:
 * on 5.10, destroy_workqueue() right after a cancel_delayed_work_sync()
 * that waited for a running work races with the flush barrier's release
 * and warns of a busy pwq (the barrier has no flush color before 5.13).
 */
static void xtemu_balloon_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(xtemu_balloon_dwork, xtemu_balloon_work);

/*
 * Under xtemu_lock: a free heap page for the store, or NULL. None while
 * the balloon holds more than its target: those pages are on their way
 * back to the guest, and a store using them would keep them from it.
 */
void *xtemu_heap_take(void)
{
	struct page *page;

	lockdep_assert_held(&xtemu_lock);
	if (xtemu_stats.balloon_pages > xtemu_stats.balloon_target_pages)
		return NULL;
	page = list_first_entry_or_null(&xtemu_heap, struct page, lru);
	if (!page)
		return NULL;
	list_del(&page->lru);
	xtemu_stats.balloon_heap_pages--;
	return page_address(page);
}

/* Under xtemu_lock: a page from xtemu_heap_take() comes back. */
void xtemu_heap_give(void *data)
{
	lockdep_assert_held(&xtemu_lock);
	list_add(&virt_to_page(data)->lru, &xtemu_heap);
	xtemu_stats.balloon_heap_pages++;
}

/* Give pages taken off the heap back to the guest; no lock held. */
static void xtemu_balloon_release(struct list_head *pages)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, pages, lru) {
		list_del(&page->lru);
		adjust_managed_page_count(page, 1);
		__free_page(page);
	}
}

/*
 * Take up to @nr pages from the guest, towards @target; false if an
 * allocation failed. A lowered target (an OOM rescue) ends the step early.
 */
static bool xtemu_balloon_inflate(unsigned long nr, u64 target)
{
	unsigned long flags, got;
	struct page *page;
	bool failed = false;
	LIST_HEAD(pages);

	for (got = 0; got < nr; got++) {
		if (READ_ONCE(xtemu_stats.balloon_target_pages) < target)
			break;
		page = alloc_page(XTEMU_BALLOON_GFP);
		failed = !page;
		if (failed)
			break;
		adjust_managed_page_count(page, -1);
		list_add(&page->lru, &pages);
	}
	spin_lock_irqsave(&xtemu_lock, flags);
	list_splice(&pages, &xtemu_heap);
	xtemu_stats.balloon_pages += got;
	xtemu_stats.balloon_heap_pages += got;
	xtemu_stats.balloon_short = 0;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	return !failed;
}

/*
 * One step towards a smaller balloon: up to XTEMU_BALLOON_BATCH pages,
 * from the heap list, or freed by evicting ephemeral pages (at most
 * XTEMU_BALLOON_BATCH evictions, to bound the time with interrupts off).
 * Returns false if it could do nothing: the pages left are held by
 * persistent pages.
 */
static bool xtemu_balloon_deflate(void)
{
	unsigned long flags, nr, done = 0, evicted = 0;
	struct page *page;
	LIST_HEAD(pages);

	spin_lock_irqsave(&xtemu_lock, flags);
	if (xtemu_stats.balloon_pages <= xtemu_stats.balloon_target_pages) {
		spin_unlock_irqrestore(&xtemu_lock, flags);
		return true;	/* the target moved; look again */
	}
	nr = min_t(u64, xtemu_stats.balloon_pages -
		   xtemu_stats.balloon_target_pages, XTEMU_BALLOON_BATCH);
	while (done < nr) {
		page = list_first_entry_or_null(&xtemu_heap, struct page, lru);
		if (page) {
			list_move(&page->lru, &pages);
			done++;
			continue;
		}
		/*
		 * Evict the oldest ephemeral page; if it was in a balloon
		 * page, that page is now on the heap list. Pages outside the
		 * balloon are evicted on the way, as Xen evicts the oldest
		 * whatever frame it needs; none once no balloon page holds
		 * an ephemeral page, so that a balloon stuck on persistent
		 * pages does not empty the cache at every retry.
		 */
		if (!xtemu_balloon_eph || evicted >= XTEMU_BALLOON_BATCH ||
		    !xtemu_store_evict(1))
			break;
		evicted++;
	}
	xtemu_stats.balloon_pages -= done;
	xtemu_stats.balloon_heap_pages -= done;
	/* The ephemeral limit shrank with the balloon: evict down to it. */
	xtemu_store_evict_to_limit();
	if (done || evicted)
		xtemu_stats.balloon_short = 0;
	else
		xtemu_stats.balloon_short = xtemu_stats.balloon_pages -
					    xtemu_stats.balloon_target_pages;
	spin_unlock_irqrestore(&xtemu_lock, flags);

	xtemu_balloon_release(&pages);
	return done || evicted;
}

/*
 * Move the balloon towards its target in steps. After a failed allocation,
 * or when persistent pages keep the balloon from shrinking, try again in a
 * second rather than spin. A new target requeues the work at once.
 */
static void xtemu_balloon_work(struct work_struct *work)
{
	unsigned long flags;
	u64 held, target;
	bool moved;

	do {
		cond_resched();
		spin_lock_irqsave(&xtemu_lock, flags);
		held = xtemu_stats.balloon_pages;
		target = xtemu_stats.balloon_target_pages;
		spin_unlock_irqrestore(&xtemu_lock, flags);
		if (held < target)
			moved = xtemu_balloon_inflate(min_t(u64, target - held,
							    XTEMU_BALLOON_BATCH),
						      target);
		else if (held > target)
			moved = xtemu_balloon_deflate();
		else
			return;
	} while (moved);
	queue_delayed_work(system_freezable_wq, &xtemu_balloon_dwork, HZ);
}

/*
 * The guest should have @pages of memory (0: no ballooning): the balloon
 * should hold what is missing from the maximum. Returns at once; the
 * worker moves the balloon. Process context; never after
 * xtemu_balloon_stop() (xtemu_ready is false by then, and xen_tmem holds
 * a reference on this module while it uses the transport).
 */
void xtemu_balloon_set_target(unsigned long pages)
{
	unsigned long flags, wanted = 0;

	if (pages && pages < xtemu_balloon_start)
		wanted = xtemu_balloon_start - pages;
	spin_lock_irqsave(&xtemu_lock, flags);
	WRITE_ONCE(xtemu_balloon_target, pages);
	/* READ_ONCE() in xtemu_balloon_inflate(), outside the lock. */
	WRITE_ONCE(xtemu_stats.balloon_target_pages, wanted);
	spin_unlock_irqrestore(&xtemu_lock, flags);
	/* At once, also over a pending retry: deflating rescues an OOM. */
	mod_delayed_work(system_freezable_wq, &xtemu_balloon_dwork, 0);
}

/*
 * The guest's managed memory, totalram_pages(), through si_meminfo(): the
 * same on every kernel the emulator is built for (totalram_pages is a
 * variable before 5.0, a function since).
 */
static unsigned long xtemu_totalram(void)
{
	struct sysinfo si;

	si_meminfo(&si);
	return si.totalram;
}

/* The guest's memory: what the balloon took is no longer in it. */
static unsigned long xtemu_balloon_current_pages(void)
{
	return xtemu_totalram();
}

const struct xtmem_balloon xtemu_balloon = {
	.current_pages = xtemu_balloon_current_pages,
	.set_target = xtemu_balloon_set_target,
};

/* Module init, under kernel_param_lock; applies a balloon_target= at load. */
void xtemu_balloon_init(void)
{
	xtemu_balloon_start = xtemu_totalram();
	if (xtemu_balloon_target)
		xtemu_balloon_set_target(xtemu_balloon_target);
}

/*
 * Module exit, before the store goes: no balloon moves after this (the
 * work requeues itself, which the cancel prevents).
 */
void xtemu_balloon_stop(void)
{
	cancel_delayed_work_sync(&xtemu_balloon_dwork);
}

/*
 * Module exit, after every pool was destroyed (their balloon pages came
 * back to the heap list): every balloon page goes back to the guest.
 */
void xtemu_balloon_exit(void)
{
	unsigned long flags;
	LIST_HEAD(pages);

	spin_lock_irqsave(&xtemu_lock, flags);
	WARN_ON(xtemu_stats.balloon_pages != xtemu_stats.balloon_heap_pages ||
		xtemu_balloon_eph);
	list_splice_init(&xtemu_heap, &pages);
	xtemu_stats.balloon_pages = 0;
	xtemu_stats.balloon_heap_pages = 0;
	spin_unlock_irqrestore(&xtemu_lock, flags);
	xtemu_balloon_release(&pages);
}
