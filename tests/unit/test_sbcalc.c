// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/sbcalc.h: the floor, the reserve, the goal and the
 * steps of self-ballooning. Pages of 4 KiB, as on x86.
 */
#define PAGE_SHIFT 12

#include "sbcalc.h"
#include "xt_test.h"

#define MB(x) XTMEM_SB_MB(x)

XT_TEST(sbcalc_auto_floor_is_the_in_tree_function)
{
	static const struct {
		unsigned long max_mb, floor_pages;
	} rows[] = {
		{ 0, 0 },			/* never above max */
		{ 8, MB(8) },			/* 8 + 4 > 8: all of it */
		{ 64, MB(8) + MB(32) },		/* half plus 8 */
		{ 127, MB(8) + MB(127) / 2 },
		{ 128, MB(40) + MB(32) },	/* a quarter plus 40 */
		{ 256, MB(40) + MB(64) },
		{ 511, MB(40) + MB(511) / 4 },
		{ 512, MB(168) + MB(16) },	/* 1/32 plus 168 */
		{ 1024, MB(168) + MB(32) },
		{ 16384, MB(168) + MB(512) },
	};
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		xt_case_begin("floor of %lu MiB", rows[i].max_mb);
		XT_EQ_INT(xtmem_sbc_auto_floor(MB(rows[i].max_mb)),
			  rows[i].floor_pages);
		xt_case_end();
	}
}

XT_TEST(sbcalc_auto_reserve_is_a_tenth)
{
	XT_EQ_INT(xtmem_sbc_auto_reserve(MB(1000)), MB(100));
	XT_EQ_INT(xtmem_sbc_auto_reserve(0), 0);
}

XT_TEST(sbcalc_goal_takes_the_larger_need_plus_the_reserve)
{
	XT_EQ_INT(xtmem_sbc_goal(MB(100), MB(40), MB(10)), MB(110));
	XT_EQ_INT(xtmem_sbc_goal(MB(40), MB(100), MB(10)), MB(110));
	XT_EQ_INT(xtmem_sbc_goal(0, 0, 0), 0);
}

XT_TEST(sbcalc_up_goes_to_the_goal_at_once)
{
	XT_EQ_INT(xtmem_sbc_next(MB(200), MB(900), MB(100), MB(1024)),
		  MB(900));
	/* but never above max */
	XT_EQ_INT(xtmem_sbc_next(MB(200), MB(5000), MB(100), MB(1024)),
		  MB(1024));
	/* a target that is above max (max shrank) comes down to it */
	XT_EQ_INT(xtmem_sbc_next(MB(2000), MB(5000), MB(100), MB(1024)),
		  MB(1024));
}

XT_TEST(sbcalc_down_closes_an_eighth_of_the_gap)
{
	/* 1024 -> goal 224: gap 800, step 100 */
	XT_EQ_INT(xtmem_sbc_next(MB(1024), MB(224), MB(100), MB(1024)),
		  MB(924));
}

XT_TEST(sbcalc_down_steps_at_least_a_mib_and_never_past_the_goal)
{
	/* gap 4 MiB: an eighth is 512 KiB, the step is 1 MiB */
	XT_EQ_INT(xtmem_sbc_next(MB(204), MB(200), MB(100), MB(1024)),
		  MB(203));
	/* gap of 3 pages: the step is the gap */
	XT_EQ_INT(xtmem_sbc_next(MB(200) + 3, MB(200), MB(100), MB(1024)),
		  MB(200));
	/* at the goal: stays */
	XT_EQ_INT(xtmem_sbc_next(MB(200), MB(200), MB(100), MB(1024)),
		  MB(200));
}

XT_TEST(sbcalc_never_below_the_floor)
{
	/* a goal below the floor: the steps go toward the floor */
	XT_EQ_INT(xtmem_sbc_next(MB(300), MB(10), MB(256), MB(1024)),
		  MB(300) - MB(44) / 8);
	XT_EQ_INT(xtmem_sbc_next(MB(257), MB(10), MB(256), MB(1024)),
		  MB(256));
	/* a floor above max is max */
	XT_EQ_INT(xtmem_sbc_next(MB(1024), 0, MB(4096), MB(1024)), MB(1024));
}

/* From max, with the goal fixed, the steps reach the goal and stop there,
 * each one smaller than the one before.
 */
XT_TEST(sbcalc_steps_converge_on_the_goal)
{
	unsigned long t = MB(1024), goal = MB(230), last_step = ~0ul;
	int steps = 0;

	while (t != goal && steps < 1000) {
		unsigned long n = xtmem_sbc_next(t, goal, MB(200), MB(1024));

		XT_CHECK(n < t);
		XT_CHECK(n >= goal);
		XT_CHECK(t - n <= last_step);
		last_step = t - n;
		t = n;
		steps++;
	}
	XT_EQ_INT(t, goal);
	/* 800 MiB closed by eighths, then 1 MiB steps: well under 100 */
	XT_CHECK(steps > 10 && steps < 100);
	XT_EQ_INT(xtmem_sbc_next(t, goal, MB(200), MB(1024)), goal);
}
