// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_emu: a test-only emulation of the Xen 4.12 tmem hypervisor.
 *
 * It exports xtmem_emu_transport, which xen_tmem finds with symbol_get()
 * when loaded with transport=emulated: the module under test then runs
 * unchanged against this emulator instead of the hypercall.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>

#include "emu.h"

static unsigned long xtemu_page_to_frame(struct page *page)
{
	return page_to_pfn(page);
}

/* balloon=N: a guest without a balloon, for xen_tmem's refusal. */
static bool xtemu_has_balloon = true;
module_param_named(balloon, xtemu_has_balloon, bool, 0444);
MODULE_PARM_DESC(balloon,
		 "N: the emulated guest has no balloon (xen_tmem then refuses selfballoon=1). Default: Y");

static const struct xtmem_balloon *xtemu_get_balloon(void)
{
	return xtemu_has_balloon ? &xtemu_balloon : NULL;
}

const struct xtmem_transport xtmem_emu_transport = {
	.name = "emulated",
	.owner = THIS_MODULE,
	.page_to_frame = xtemu_page_to_frame,
	.tmem_op = xtemu_tmem_op,
	.get_balloon = xtemu_get_balloon,
};
EXPORT_SYMBOL_GPL(xtmem_emu_transport);

static int __init xtemu_init(void)
{
	int ret;

	kernel_param_lock(THIS_MODULE);
	ret = xtemu_store_init(xtemu_store_size(xtemu_capacity,
						xtemu_persist_capacity));
	if (!ret) {
		xtemu_balloon_init();
		xtemu_ready = true;
	}
	kernel_param_unlock(THIS_MODULE);
	if (ret) {
		pr_err("cannot allocate the page store\n");
		return ret;
	}
	pr_info("emulated tmem (Xen 4.12 semantics): capacity %u pages, persistent %u pages, shared_auth %c\n",
		xtemu_capacity, xtemu_persist_capacity,
		xtemu_shared_auth ? 'Y' : 'N');
	return 0;
}

static void __exit xtemu_exit(void)
{
	unsigned long flags;

	kernel_param_lock(THIS_MODULE);
	xtemu_ready = false;
	kernel_param_unlock(THIS_MODULE);

	/*
	 * The balloon stops moving first; destroying the pools puts the
	 * balloon pages they held back on its heap list, and only then do
	 * they all go back to the guest.
	 */
	xtemu_balloon_stop();
	spin_lock_irqsave(&xtemu_lock, flags);
	xtemu_pool_destroy_all();
	spin_unlock_irqrestore(&xtemu_lock, flags);
	xtemu_store_exit();
	xtemu_balloon_exit();
}

module_init(xtemu_init);
module_exit(xtemu_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test-only emulation of the Xen tmem hypervisor (Xen 4.12 semantics)");
