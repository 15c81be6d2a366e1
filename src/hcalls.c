// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: every hypercall the module makes, counted by tmem command,
 * and those the hypervisor answered with an error, per CPU. Shown in
 * /sys/kernel/mm/xen_tmem/hypercalls/; Xen counts the same ops for the
 * domain (its tmem statistics' Tt and Te), so the two can be compared.
 */
#include <linux/errno.h>
#include <linux/percpu.h>

#include "xtmem.h"

struct xtmem_hcall_counts {
	u64 c[XTMEM_NR_HCALLS];
};

static struct xtmem_hcall_counts __percpu *xtmem_hcall_counts;

static const char * const xtmem_hcall_names[XTMEM_NR_HCALLS] = {
	[XTMEM_HC_NEW_POOL] = "new_pool",
	[XTMEM_HC_DESTROY_POOL] = "destroy_pool",
	[XTMEM_HC_PUT_PAGE] = "put_page",
	[XTMEM_HC_GET_PAGE] = "get_page",
	[XTMEM_HC_FLUSH_PAGE] = "flush_page",
	[XTMEM_HC_FLUSH_OBJECT] = "flush_object",
	[XTMEM_HC_OTHER] = "other",
	[XTMEM_HC_TOTAL] = "total",
	[XTMEM_HC_FAILED] = "failed",
};

const char *xtmem_hcall_name(enum xtmem_hcall h)
{
	return xtmem_hcall_names[h];
}

int xtmem_hcalls_init(void)
{
	xtmem_hcall_counts = alloc_percpu(struct xtmem_hcall_counts);
	return xtmem_hcall_counts ? 0 : -ENOMEM;
}

void xtmem_hcalls_exit(void)
{
	free_percpu(xtmem_hcall_counts);
	xtmem_hcall_counts = NULL;
}

/* One hypercall of tmem command CMD that returned RET. Any context. */
void xtmem_count_hcall(u32 cmd, int ret)
{
	enum xtmem_hcall h;

	switch (cmd) {
	case XTMEM_NEW_POOL:
		h = XTMEM_HC_NEW_POOL;
		break;
	case XTMEM_DESTROY_POOL:
		h = XTMEM_HC_DESTROY_POOL;
		break;
	case XTMEM_PUT_PAGE:
		h = XTMEM_HC_PUT_PAGE;
		break;
	case XTMEM_GET_PAGE:
		h = XTMEM_HC_GET_PAGE;
		break;
	case XTMEM_FLUSH_PAGE:
		h = XTMEM_HC_FLUSH_PAGE;
		break;
	case XTMEM_FLUSH_OBJECT:
		h = XTMEM_HC_FLUSH_OBJECT;
		break;
	default:
		h = XTMEM_HC_OTHER;
		break;
	}
	this_cpu_inc(xtmem_hcall_counts->c[h]);
	this_cpu_inc(xtmem_hcall_counts->c[XTMEM_HC_TOTAL]);
	if (ret < 0)
		this_cpu_inc(xtmem_hcall_counts->c[XTMEM_HC_FAILED]);
}

u64 xtmem_hcall_stat(enum xtmem_hcall h)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(xtmem_hcall_counts, cpu)->c[h];
	return sum;
}
