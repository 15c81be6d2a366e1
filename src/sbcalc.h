/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tmem: the arithmetic of self-ballooning (src/selfballoon.c says when
 * it runs and why). All counts are pages of the guest's memory.
 *
 * Static inline and free of kernel structures, so that the userspace unit
 * tests run the very same code as the module.
 */
#ifndef XEN_TMEM_SBCALC_H
#define XEN_TMEM_SBCALC_H

/* MiB in pages; the unit tests define PAGE_SHIFT. */
#define XTMEM_SB_MB(mb)		((unsigned long)(mb) << (20 - PAGE_SHIFT))

/* Going down, a step closes 1/XTMEM_SB_DOWN of the gap to the goal, */
#define XTMEM_SB_DOWN		8
/* and at least this much (or the whole gap when it is smaller). */
#define XTMEM_SB_MIN_STEP	XTMEM_SB_MB(1)

/*
 * The floor when none is set, a function of the guest's memory @max (the
 * one the in-tree driver used, xen-selfballoon.c): half of a small guest
 * plus 8 MiB, a quarter plus 40 MiB up to 512 MiB, 1/32 plus 168 MiB
 * above; never more than @max.
 */
static inline unsigned long xtmem_sbc_auto_floor(unsigned long max)
{
	unsigned long floor;

	if (max < XTMEM_SB_MB(128))
		floor = XTMEM_SB_MB(8) + max / 2;
	else if (max < XTMEM_SB_MB(512))
		floor = XTMEM_SB_MB(40) + max / 4;
	else
		floor = XTMEM_SB_MB(168) + max / 32;
	return floor < max ? floor : max;
}

/* The reserve when none is set: a tenth of the guest's memory. */
static inline unsigned long xtmem_sbc_auto_reserve(unsigned long max)
{
	return max / 10;
}

/*
 * What the guest needs now: the larger of the memory its programs have
 * committed (Committed_AS: what they may touch without asking again) and
 * the memory it cannot reclaim (total minus MemAvailable: anonymous
 * pages, tmpfs, the kernel's own), plus the reserve for growth until the
 * next step. The in-tree driver used Committed_AS alone, which misses the
 * kernel's memory and tmpfs, and made up for it with a larger reserve.
 */
static inline unsigned long xtmem_sbc_goal(unsigned long committed,
					  unsigned long unavailable,
					  unsigned long reserve)
{
	unsigned long need = committed > unavailable ? committed : unavailable;

	return need + reserve;
}

/*
 * The next target from the last one (@prev), toward @goal, within
 * [@floor, @max]: up to the goal at once (a guest that needs memory gets
 * it in one step), down by 1/XTMEM_SB_DOWN of the gap (a burst that ends
 * does not hand everything back before the next one).
 */
static inline unsigned long xtmem_sbc_next(unsigned long prev,
					  unsigned long goal,
					  unsigned long floor,
					  unsigned long max)
{
	unsigned long step;

	if (floor > max)
		floor = max;
	if (goal < floor)
		goal = floor;
	if (goal > max)
		goal = max;
	if (prev > max)
		prev = max;
	if (goal >= prev)
		return goal;
	step = (prev - goal) / XTMEM_SB_DOWN;
	if (step < XTMEM_SB_MIN_STEP)
		step = XTMEM_SB_MIN_STEP;
	if (step > prev - goal)
		step = prev - goal;
	return prev - step;
}

#endif /* XEN_TMEM_SBCALC_H */
