// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: choosing the transport and checking that tmem answers.
 */
#include <linux/module.h>

#include "parse.h"
#include "xtmem.h"

static const struct xtmem_transport *xtmem_emu_held;

static int xtmem_emu_transport_get(const struct xtmem_transport **tp)
{
	const struct xtmem_transport *emu;

	emu = symbol_get(xtmem_emu_transport);
	if (!emu) {
		pr_err("transport=emulated needs the test emulator: load xen_tmem_emu first; nothing registered\n");
		return -ENODEV;
	}
	xtmem_emu_held = emu;
	*tp = emu;
	return 0;
}

/* Take the transport the parameter asks for. */
int xtmem_transport_get(int which, const struct xtmem_transport **tp)
{
	if (which == XTMEM_TRANSPORT_EMULATED)
		return xtmem_emu_transport_get(tp);
	return xtmem_xen_transport_get(tp);
}

/* Give it back after a refused load. */
void xtmem_transport_put(const struct xtmem_transport *tp)
{
	if (tp && tp == xtmem_emu_held) {
		symbol_put(xtmem_emu_transport);
		xtmem_emu_held = NULL;
	}
}

/*
 * Ask the hypervisor for a private ephemeral pool and give it back:
 * Xen without tmem (4.13+, or built without it) answers -ENOSYS, Xen
 * booted without "tmem" answers -ENODEV.
 */
int xtmem_transport_probe(const struct xtmem_transport *tp)
{
	static const u64 private_uuid[2];
	int id;

	xtmem_hv = tp;
	id = xtmem_hv_new_pool(private_uuid, XTMEM_POOL_FLAGS_FIXED(PAGE_SHIFT));
	if (id >= 0) {
		xtmem_hv_destroy_pool(id);
		return 0;
	}
	switch (id) {
	case -XTMEM_ENOSYS:
		pr_err("the hypervisor has no tmem (Xen 4.13 and later, or Xen built without CONFIG_TMEM): tmem_op returned %d; nothing registered\n",
		       id);
		return -ENODEV;
	case -ENODEV:
		pr_err("tmem is disabled in the hypervisor: boot Xen with 'tmem' on its command line; nothing registered\n");
		return -ENODEV;
	case -EPERM:
		pr_err("the hypervisor refused tmem (XSM policy or no free pool, tmem_op returned %d); nothing registered\n",
		       id);
		return -EPERM;
	default:
		pr_err("the hypervisor's tmem does not work: creating a test pool returned %d; nothing registered\n",
		       id);
		return -ENODEV;
	}
}
