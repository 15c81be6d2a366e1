/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tmem: the schedule by which frontswap stores come back to a
 * hypervisor that had no room (src/backoff.c says why this schedule).
 *
 * Static inline and free of kernel structures and locks, so that the
 * userspace unit tests run the very same code as the module; the caller
 * serialises the calls and passes the time (jiffies) and the clock's
 * length in the same unit.
 */
#ifndef XEN_TMEM_BACKOFF_H
#define XEN_TMEM_BACKOFF_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#endif

/* The longest window: stores skipped between two offers. */
#define XTMEM_BACKOFF_MAX	512u

/* What a store does. */
enum xtmem_bo_verdict {
	XTMEM_BO_OFFER,		/* not backing off: offer it */
	XTMEM_BO_SKIP,		/* skip the hypervisor */
	XTMEM_BO_PROBE,		/* offer it: the window or the clock ran out */
	XTMEM_BO_CREDIT,	/* offer it: the pool gave a page back */
};

struct xtmem_bo_state {
	bool on;		/* backing off */
	bool no_credit;		/* a store let through on credit failed */
	unsigned int window;	/* stores to skip after the last refusal */
	unsigned int skip;	/* of those, still to skip */
	unsigned int credit;	/* pages given back since the last refusal */
	unsigned long since;	/* time of the last refusal */
};

/* What a store does now, at time @now; @clock: the longest wait. */
static inline enum xtmem_bo_verdict
xtmem_bo_check(struct xtmem_bo_state *s, unsigned long now,
	       unsigned long clock)
{
	if (!s->on)
		return XTMEM_BO_OFFER;
	if (s->credit && !s->no_credit) {
		s->credit--;
		return XTMEM_BO_CREDIT;
	}
	if (!s->skip || (long)(now - (s->since + clock)) >= 0)
		return XTMEM_BO_PROBE;
	s->skip--;
	return XTMEM_BO_SKIP;
}

/*
 * The hypervisor had no room for a store that check() let through (@v).
 * Returns true when this begins a back-off.
 */
static inline bool xtmem_bo_refused(struct xtmem_bo_state *s,
				    enum xtmem_bo_verdict v, unsigned long now)
{
	bool began = !s->on;

	if (v == XTMEM_BO_CREDIT && s->on) {
		/* The room went elsewhere: no credit until the window ends. */
		s->no_credit = true;
		s->credit = 0;
		return false;
	}
	if (began)
		s->window = 1;
	else if (s->window < XTMEM_BACKOFF_MAX)
		s->window *= 2;
	s->on = true;
	s->skip = s->window;
	s->since = now;
	s->credit = 0;
	s->no_credit = false;
	return began;
}

/*
 * The hypervisor took a store that check() let through (@v). Only one
 * the window or the clock let through proves room; one on credit proves
 * only the room of the page given back.
 */
static inline void xtmem_bo_stored(struct xtmem_bo_state *s,
				   enum xtmem_bo_verdict v)
{
	if (v != XTMEM_BO_PROBE)
		return;
	s->on = false;
	s->window = 0;
	s->skip = 0;
	s->credit = 0;
	s->no_credit = false;
}

/* The pool gave back @pages of its pages. */
static inline void xtmem_bo_freed(struct xtmem_bo_state *s,
				  unsigned long pages)
{
	if (!s->on || s->no_credit)
		return;
	if (pages > XTMEM_BACKOFF_MAX - s->credit)
		s->credit = XTMEM_BACKOFF_MAX;
	else
		s->credit += pages;
}

#endif /* XEN_TMEM_BACKOFF_H */
