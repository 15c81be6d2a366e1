// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: statistics counters, per CPU so the hot path takes no shared
 * cache line. Slots 0..XTMEM_MAX_POOLS-1 are the cleancache pools,
 * XTMEM_SWAP the frontswap pool, XTMEM_TOTAL the sum over every cleancache
 * pool the module ever had.
 */
#include <linux/errno.h>
#include <linux/percpu.h>
#include <linux/string.h>

#include "xtmem.h"

struct xtmem_stats {
	u64 c[XTMEM_NR_COUNTERS];
};

static struct xtmem_stats __percpu *xtmem_stats;	/* [XTMEM_TOTAL + 1] */

static const char * const xtmem_counter_names[XTMEM_NR_COUNTERS] = {
	[XTMEM_PUTS] = "puts",
	[XTMEM_PUT_FAILURES] = "put_failures",
	[XTMEM_GETS] = "gets",
	[XTMEM_HITS] = "hits",
	[XTMEM_MISSES] = "misses",
	[XTMEM_FLUSH_PAGES] = "flush_pages",
	[XTMEM_FLUSH_INODES] = "flush_inodes",
	[XTMEM_FLUSH_FS] = "flush_fs",
	[XTMEM_GUARD_FLUSHES] = "guard_flushes",
	[XTMEM_POOLS_CREATED] = "pools_created",
	[XTMEM_POOLS_FAILED] = "pools_failed",
	[XTMEM_POOLS_RECREATED] = "pools_recreated",
	[XTMEM_ERR_ENODEV] = "err_enodev",
	[XTMEM_ERR_ENOSYS] = "err_enosys",
	[XTMEM_ERR_EPERM] = "err_eperm",
	[XTMEM_ERR_ENOMEM] = "err_enomem",
	[XTMEM_ERR_ENOSPC] = "err_enospc",
	[XTMEM_ERR_EFAULT] = "err_efault",
	[XTMEM_ERR_EFROZEN] = "err_efrozen",
	[XTMEM_ERR_EEMPTY] = "err_eempty",
	[XTMEM_ERR_EINVAL] = "err_einval",
	[XTMEM_ERR_OTHER] = "err_other",
	[XTMEM_REFUSED] = "refused",
	[XTMEM_SKIPPED] = "store_skipped",
	[XTMEM_BACKOFFS] = "backoffs",
	[XTMEM_NOMAP] = "store_nomap",
	[XTMEM_LOAD_NOT_HELD] = "load_not_held",
	[XTMEM_INVAL_NOT_HELD] = "invalidate_not_held",
};

const char *xtmem_counter_name(enum xtmem_counter c)
{
	return xtmem_counter_names[c];
}

int xtmem_stats_init(void)
{
	xtmem_stats = __alloc_percpu(sizeof(struct xtmem_stats) *
				     (XTMEM_TOTAL + 1),
				     __alignof__(struct xtmem_stats));
	return xtmem_stats ? 0 : -ENOMEM;
}

void xtmem_stats_exit(void)
{
	free_percpu(xtmem_stats);
	xtmem_stats = NULL;
}

/* Count one event for a pool and, for a cleancache pool, in the total. */
void xtmem_count(int slot, enum xtmem_counter c)
{
	this_cpu_inc(xtmem_stats[slot].c[c]);
	if (slot != XTMEM_SWAP)
		this_cpu_inc(xtmem_stats[XTMEM_TOTAL].c[c]);
}

/* Count a negative answer of the hypervisor by its code. */
void xtmem_count_error(int slot, int err)
{
	enum xtmem_counter c;

	switch (err) {
	case -ENODEV:
		c = XTMEM_ERR_ENODEV;
		break;
	case -XTMEM_ENOSYS:
		c = XTMEM_ERR_ENOSYS;
		break;
	case -EPERM:
		c = XTMEM_ERR_EPERM;
		break;
	case -ENOMEM:
		c = XTMEM_ERR_ENOMEM;
		break;
	case -ENOSPC:
		c = XTMEM_ERR_ENOSPC;
		break;
	case -EFAULT:
		c = XTMEM_ERR_EFAULT;
		break;
	case -XTMEM_EFROZEN:
		c = XTMEM_ERR_EFROZEN;
		break;
	case -XTMEM_EEMPTY:
		c = XTMEM_ERR_EEMPTY;
		break;
	case -EINVAL:
		c = XTMEM_ERR_EINVAL;
		break;
	default:
		c = XTMEM_ERR_OTHER;
		break;
	}
	xtmem_count(slot, c);
}

u64 xtmem_stat(int slot, enum xtmem_counter c)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(xtmem_stats, cpu)[slot].c[c];
	return sum;
}

/* Zero a pool slot's counters before the slot serves a new filesystem. */
void xtmem_stats_reset(int slot)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(&per_cpu_ptr(xtmem_stats, cpu)[slot], 0,
		       sizeof(struct xtmem_stats));
}
