// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: a cleancache backend that keeps clean page-cache pages in Xen
 * Transcendent Memory (tmem), hypervisor RAM outside the guest.
 *
 * Loading checks that the hypervisor answers tmem, then registers with
 * cleancache. No kernel can unregister a cleancache backend, so once
 * registered the module holds a reference on itself and has no exit: it
 * stays until reboot, and rmmod says it is in use.
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
	err = xtmem_transport_get(xtmem_param_transport(), &tp);
	if (err)
		goto err_stats;
	err = xtmem_transport_probe(tp);
	if (err)
		goto err_transport;
	err = xtmem_sysfs_init();
	if (err)
		goto err_transport;
	xtmem_params_ready();
	err = xtmem_cleancache_register();
	if (err)
		goto err_sysfs;

	/* Registered for good: cleancache may call us until reboot. */
	__module_get(THIS_MODULE);
	xtmem_format_pool_flags(xtmem_param_pool_flags(), flags, sizeof(flags));
	pr_info("version %s: cleancache pages go to tmem through the %s transport (pool_flags=%s, enabled=%d)\n",
		XTMEM_VERSION, tp->name, flags, xtmem_param_enabled);
	return 0;

err_sysfs:
	xtmem_sysfs_exit();
err_transport:
	xtmem_hv = NULL;
	xtmem_transport_put(tp);
err_stats:
	xtmem_stats_exit();
	return err;
}
module_init(xtmem_init);

MODULE_AUTHOR("xen-tmem developers");
MODULE_DESCRIPTION("Cleancache backend storing clean page-cache pages in Xen Transcendent Memory (tmem)");
MODULE_LICENSE("GPL");
MODULE_VERSION(XTMEM_VERSION);
