// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/backoff.h: when frontswap stores come back to a
 * hypervisor that refused one for lack of room.
 *
 * The simulations drive the schedule with a hypervisor that has a number
 * of free pages (room): a put takes one or is refused. Time stands still
 * in them unless a test moves it, so the clock never fires by accident.
 */
#include <limits.h>
#include <stdbool.h>

#include "backoff.h"
#include "xt_test.h"

#define CLOCK 100ul	/* the clock's length, in the tests' time unit */

struct sim {
	struct xtmem_bo_state bo;
	unsigned long now;
	long room;		/* pages the hypervisor would take */
	bool room_lies;		/* pages given back do not make room */
	unsigned long stores, offered, refused, taken, skipped;
};

/* One store, as src/frontswap.c makes it. Returns true when taken. */
static bool sim_store(struct sim *s)
{
	enum xtmem_bo_verdict v = xtmem_bo_check(&s->bo, s->now, CLOCK);

	s->stores++;
	if (v == XTMEM_BO_SKIP) {
		s->skipped++;
		return false;
	}
	s->offered++;
	if (s->room > 0) {
		s->room--;
		s->taken++;
		xtmem_bo_stored(&s->bo, v);
		return true;
	}
	s->refused++;
	xtmem_bo_refused(&s->bo, v, s->now);
	return false;
}

/* The pool gives back @n pages (freed swap slots). */
static void sim_free(struct sim *s, unsigned long n)
{
	if (!s->room_lies)
		s->room += n;
	xtmem_bo_freed(&s->bo, n);
}

XT_TEST(backoff_not_backing_off_offers_every_store)
{
	struct sim s = { .room = 1000 };
	int i;

	for (i = 0; i < 1000; i++)
		XT_CHECK(sim_store(&s));
	XT_EQ_INT(s.skipped, 0);
	XT_EQ_INT(s.bo.on, 0);
	XT_EQ_INT(xtmem_bo_check(&s.bo, 0, CLOCK), XTMEM_BO_OFFER);
}

XT_TEST(backoff_window_doubles_to_512)
{
	struct xtmem_bo_state bo = { 0 };
	unsigned int want = 1, skips, i;
	int r;

	XT_EQ_INT(xtmem_bo_refused(&bo, XTMEM_BO_OFFER, 0), 1);
	for (r = 0; r < 14; r++) {
		XT_EQ_INT(bo.window, want);
		for (skips = 0;
		     xtmem_bo_check(&bo, 0, CLOCK) == XTMEM_BO_SKIP; skips++)
			;
		XT_EQ_INT(skips, want);
		/* The store that probed is refused again. */
		XT_EQ_INT(xtmem_bo_refused(&bo, XTMEM_BO_PROBE, 0), 0);
		if (want < XTMEM_BACKOFF_MAX)
			want *= 2;
	}
	XT_EQ_INT(bo.window, XTMEM_BACKOFF_MAX);
	/* A taken probe ends it. */
	for (i = 0; i < XTMEM_BACKOFF_MAX; i++)
		XT_EQ_INT(xtmem_bo_check(&bo, 0, CLOCK), XTMEM_BO_SKIP);
	XT_EQ_INT(xtmem_bo_check(&bo, 0, CLOCK), XTMEM_BO_PROBE);
	xtmem_bo_stored(&bo, XTMEM_BO_PROBE);
	XT_EQ_INT(bo.on, 0);
	XT_EQ_INT(xtmem_bo_check(&bo, 0, CLOCK), XTMEM_BO_OFFER);
}

/* The goal: a pool that stays full, at most 1 % refused. */
XT_TEST(backoff_full_pool_refuses_at_most_one_in_512)
{
	struct sim s = { .room = 0 };
	unsigned long i;

	for (i = 0; i < 1000000; i++)
		sim_store(&s);
	/* 10 while the window grows (1 ... 512), then one per 513 stores. */
	XT_CHECK(s.refused <= 10 + s.stores / (XTMEM_BACKOFF_MAX + 1) + 1);
	XT_CHECK(s.refused * 100 <= s.stores);
	XT_EQ_INT(s.refused, s.offered);
	XT_EQ_INT(s.skipped + s.offered, s.stores);
}

/* Room appears at any point of the window: taken within 513 stores. */
XT_TEST(backoff_room_found_within_the_window)
{
	unsigned long at;

	for (at = 0; at < 2 * XTMEM_BACKOFF_MAX; at += 37) {
		struct sim s = { .room = 0 };
		unsigned long i, n = 0;

		xt_case_begin("room after %lu more stores", at);
		for (i = 0; i < 20000 + at; i++)
			sim_store(&s);
		s.room = 1000000;
		while (!sim_store(&s) && n < 100000)
			n++;
		XT_CHECK(n <= XTMEM_BACKOFF_MAX);
		/* And then every store is offered and taken again. */
		for (i = 0; i < 1000; i++)
			XT_CHECK(sim_store(&s));
		XT_EQ_INT(s.bo.on, 0);
		xt_case_end();
	}
}

/* Few stores: the clock lets one through a clock's length after. */
XT_TEST(backoff_clock_bounds_the_wait)
{
	struct sim s = { .room = 0 };
	int i;

	for (i = 0; i < 5000; i++)
		sim_store(&s);
	XT_CHECK(s.bo.window == XTMEM_BACKOFF_MAX);
	s.room = 10;
	s.now += CLOCK - 1;
	XT_CHECK(!sim_store(&s));		/* still skipped */
	s.now += 1;
	XT_CHECK(sim_store(&s));		/* the clock ran out */
	XT_EQ_INT(s.bo.on, 0);
}

/* The clock compares times across a wrap of the counter. */
XT_TEST(backoff_clock_across_wrap)
{
	struct xtmem_bo_state bo = { 0 };
	unsigned long t = ULONG_MAX - 10;

	xtmem_bo_refused(&bo, XTMEM_BO_OFFER, t);
	bo.skip = 1000;
	XT_EQ_INT(xtmem_bo_check(&bo, t + 5, CLOCK), XTMEM_BO_SKIP);
	XT_EQ_INT(xtmem_bo_check(&bo, t + CLOCK - 1, CLOCK), XTMEM_BO_SKIP);
	XT_EQ_INT(xtmem_bo_check(&bo, t + CLOCK, CLOCK), XTMEM_BO_PROBE);
}

/* A full pool whose freed pages are room (Xen at max_pages): each freed
 * page is used at once, and refusals stay rare. */
XT_TEST(backoff_freed_pages_are_used)
{
	struct sim s = { .room = 0 };
	unsigned long i, frees = 0, taken0;

	for (i = 0; i < 10000; i++)
		sim_store(&s);
	taken0 = s.taken;
	for (i = 0; i < 200000; i++) {
		if (i % 4 == 0) {
			sim_free(&s, 1);
			frees++;
		}
		sim_store(&s);
	}
	XT_EQ_INT(s.taken - taken0, frees);
	XT_CHECK(s.refused * 100 <= s.stores);
	XT_CHECK(s.bo.on);
}

/* Freed pages that are not room (Xen itself out of memory): at most one
 * more refusal per window. */
XT_TEST(backoff_freed_pages_that_are_not_room)
{
	struct sim s = { .room = 0, .room_lies = true };
	unsigned long i;

	for (i = 0; i < 200000; i++) {
		if (i % 2 == 0)
			sim_free(&s, 1);
		sim_store(&s);
	}
	XT_EQ_INT(s.taken, 0);
	XT_CHECK(s.refused <= 2 * (10 + s.stores / XTMEM_BACKOFF_MAX + 1));
	XT_CHECK(s.refused * 100 <= s.stores);
}

XT_TEST(backoff_credits)
{
	struct xtmem_bo_state bo = { 0 };

	/* Not backing off: pages given back change nothing. */
	xtmem_bo_freed(&bo, 5);
	XT_EQ_INT(bo.credit, 0);
	xtmem_bo_refused(&bo, XTMEM_BO_OFFER, 0);
	xtmem_bo_freed(&bo, 2);
	XT_EQ_INT(xtmem_bo_check(&bo, 0, CLOCK), XTMEM_BO_CREDIT);
	/* Taken on credit: still backing off, the window unchanged. */
	xtmem_bo_stored(&bo, XTMEM_BO_CREDIT);
	XT_CHECK(bo.on);
	XT_EQ_INT(bo.window, 1);
	XT_EQ_INT(xtmem_bo_check(&bo, 0, CLOCK), XTMEM_BO_CREDIT);
	/* Refused on credit: credits rest, the window does not grow. */
	xtmem_bo_refused(&bo, XTMEM_BO_CREDIT, 0);
	XT_CHECK(bo.no_credit);
	XT_EQ_INT(bo.window, 1);
	xtmem_bo_freed(&bo, 3);
	XT_EQ_INT(bo.credit, 0);
	XT_EQ_INT(xtmem_bo_check(&bo, 0, CLOCK), XTMEM_BO_SKIP);
	XT_EQ_INT(xtmem_bo_check(&bo, 0, CLOCK), XTMEM_BO_PROBE);
	/* The next window takes credits again. */
	xtmem_bo_refused(&bo, XTMEM_BO_PROBE, 0);
	XT_CHECK(!bo.no_credit);
	XT_EQ_INT(bo.window, 2);
	/* Credits are capped. */
	xtmem_bo_freed(&bo, ULONG_MAX);
	XT_EQ_INT(bo.credit, XTMEM_BACKOFF_MAX);
	xtmem_bo_freed(&bo, 1);
	XT_EQ_INT(bo.credit, XTMEM_BACKOFF_MAX);
}
