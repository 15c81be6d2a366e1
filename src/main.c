// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: a cleancache backend that keeps clean page-cache pages in Xen
 * Transcendent Memory (tmem), hypervisor RAM outside the guest; with
 * pool_flags=persist also a frontswap backend for swapped pages.
 *
 * Loading checks that the hypervisor answers tmem, makes the frontswap
 * pool if asked, then registers with cleancache and frontswap. No kernel
 * can unregister either backend, so once registered the module holds a
 * reference on itself and has no exit: it stays until reboot, and rmmod
 * says it is in use.
 */
#include <linux/init.h>
#include <linux/module.h>

#include "parse.h"
#include "xtmem.h"

static int __init xtmem_init(void)
{
	const struct xtmem_transport *tp = NULL;
	char flags[64];
	int err;

	err = xtmem_stats_init();
	if (err)
		return err;
	err = xtmem_hcalls_init();
	if (err)
		goto err_stats;
	err = xtmem_transport_get(xtmem_param_transport(), &tp);
	if (err)
		goto err_hcalls;
	err = xtmem_transport_probe(tp);
	if (err)
		goto err_transport;
	if (xtmem_param_persist()) {
		err = xtmem_frontswap_check();
		if (err)
			goto err_transport;
		err = xtmem_pool_create_swap();
		if (err) {
			pr_err("the hypervisor refused the persistent pool frontswap needs (%d%s); nothing registered; load without persist in pool_flags to use cleancache only\n",
			       err, err == -ENOMEM ?
			       ": the guest is at its memory limit" : "");
			goto err_transport;
		}
	}
	err = xtmem_sysfs_init();
	if (err)
		goto err_swap;
	xtmem_params_ready();
	err = xtmem_cleancache_register();
	if (err)
		goto err_sysfs;
	if (xtmem_param_persist())
		xtmem_frontswap_register();
	xtmem_guard_init();
	xtmem_selfballoon_init(tp);

	/* Registered for good: the kernel may call us until reboot. */
	__module_get(THIS_MODULE);
	xtmem_format_pool_flags(xtmem_param_pool_flags(), flags, sizeof(flags));
	pr_info("version %s: cleancache%s pages go to tmem through the %s transport (pool_flags=%s, enabled=%d)\n",
		XTMEM_VERSION, xtmem_param_persist() ? " and frontswap" : "",
		tp->name, flags, xtmem_param_enabled);
	return 0;

err_sysfs:
	xtmem_sysfs_exit();
err_swap:
	xtmem_pool_destroy(XTMEM_SWAP);
err_transport:
	xtmem_hv = NULL;
	xtmem_transport_put(tp);
err_hcalls:
	xtmem_hcalls_exit();
err_stats:
	xtmem_stats_exit();
	return err;
}
module_init(xtmem_init);

MODULE_AUTHOR("xen-tmem developers");
MODULE_DESCRIPTION("Cleancache and frontswap backend storing clean page-cache pages and swapped pages in Xen Transcendent Memory (tmem)");
MODULE_LICENSE("GPL");
MODULE_VERSION(XTMEM_VERSION);
