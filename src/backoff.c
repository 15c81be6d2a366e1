// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: stop offering swapped pages to a hypervisor that has no room.
 *
 * Xen charges persistent pages to the guest, so a guest at its max_pages
 * gets -ENOMEM for every put to the frontswap pool (and -EFROZEN while the
 * toolstack has frozen it): each such store is a trap into the hypervisor
 * for nothing before the page goes to the swap device anyway. After a
 * refusal, xen_tmem skips the hypervisor for the next stores (they go on
 * at once to the next backend or the swap device) and offers one again on
 * this schedule:
 *
 *  - a window of skipped stores that doubles with each refusal in a row,
 *    1, 2, 4 ... XTMEM_BACKOFF_MAX (512). A pool that stays full costs
 *    one refused put per 512 stores (0.2 %), plus 9 while the window
 *    grows; when room appears, it is found within 512 stores;
 *  - a clock: a store a second or more after the last refusal is offered
 *    whatever the window says, so a guest that swaps slowly still finds
 *    room within a second of it appearing, at the cost of at most one
 *    refusal per second;
 *  - credits: a page the pool gave back (invalidate_page or swapoff) is
 *    room the guest made itself (Xen uncharges it), so each such page
 *    lets one store through at once. If such a store is refused all the
 *    same (the room went elsewhere: Xen itself is out of memory), credits
 *    are ignored until the window ends, so they add at most one refusal
 *    per window.
 *
 * The window closes when a store the window or the clock let through is
 * accepted; one let through on credit proves only that page's room.
 *
 * The schedule itself is in src/backoff.h (unit-tested in userspace);
 * this file adds the lock and the clock. The lock is taken only while
 * backing off, when stores skip a hypercall and a disk write is coming.
 */
#include <linux/jiffies.h>
#include <linux/spinlock.h>

#include "backoff.h"
#include "xtmem.h"

#define XTMEM_BACKOFF_CLOCK	HZ

static struct xtmem_bo_state xtmem_bo;
static DEFINE_SPINLOCK(xtmem_bo_lock);

/* What a store does now: skip the hypervisor, or offer it the page. */
enum xtmem_bo_verdict xtmem_backoff_check(void)
{
	enum xtmem_bo_verdict v;
	unsigned long flags;

	if (!READ_ONCE(xtmem_bo.on))
		return XTMEM_BO_OFFER;
	spin_lock_irqsave(&xtmem_bo_lock, flags);
	v = xtmem_bo_check(&xtmem_bo, jiffies, XTMEM_BACKOFF_CLOCK);
	spin_unlock_irqrestore(&xtmem_bo_lock, flags);
	return v;
}

/* The hypervisor had no room for a store that check() let through. */
void xtmem_backoff_refused(enum xtmem_bo_verdict v)
{
	unsigned long flags;
	bool began;

	spin_lock_irqsave(&xtmem_bo_lock, flags);
	began = xtmem_bo_refused(&xtmem_bo, v, jiffies);
	spin_unlock_irqrestore(&xtmem_bo_lock, flags);
	if (began)
		xtmem_count(XTMEM_SWAP, XTMEM_BACKOFFS);
}

/* The hypervisor took a store that check() let through. */
void xtmem_backoff_stored(enum xtmem_bo_verdict v)
{
	unsigned long flags;

	if (v != XTMEM_BO_PROBE)
		return;
	spin_lock_irqsave(&xtmem_bo_lock, flags);
	xtmem_bo_stored(&xtmem_bo, v);
	spin_unlock_irqrestore(&xtmem_bo_lock, flags);
}

/* The pool gave back @pages of its pages. */
void xtmem_backoff_freed(unsigned long pages)
{
	unsigned long flags;

	if (!pages || !READ_ONCE(xtmem_bo.on))
		return;
	spin_lock_irqsave(&xtmem_bo_lock, flags);
	xtmem_bo_freed(&xtmem_bo, pages);
	spin_unlock_irqrestore(&xtmem_bo_lock, flags);
}

/* The current window, 0 when the hypervisor is offered every store. */
unsigned int xtmem_backoff_window(void)
{
	return READ_ONCE(xtmem_bo.on) ? READ_ONCE(xtmem_bo.window) : 0;
}
