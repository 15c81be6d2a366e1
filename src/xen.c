// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: the production transport, Xen's tmem_op hypercall.
 *
 * PV guests pass the machine frame (MFN) of the page, HVM and PVH guests
 * their own frame number; the kernel's frame helper knows which applies.
 * Hypercalls never sleep, so this is safe in atomic context. The balloon
 * is the kernel's balloon driver, when the kernel has one.
 */
#include <linux/module.h>

#include "compat.h"
#include "xtmem.h"

#ifdef XTMEM_HAVE_XEN
/*
 * Only this file includes it (for _hypercall1()): before 5.1 it warns
 * with gcc 9 and later, see Kbuild and src/probe.sh.
 */
#include <asm/xen/hypercall.h>

static unsigned long xtmem_xen_page_to_frame(struct page *page)
{
	return xtmem_xen_frame(page);
}

static int xtmem_xen_tmem_op(struct xtmem_op *op)
{
	return _hypercall1(int, tmem_op, op);
}

#ifdef XTMEM_HAVE_XEN_BALLOON
/*
 * The kernel's balloon driver. Its page count includes pages the kernel
 * does not manage (self-ballooning works with differences), and its
 * worker moves toward the target in the background, retrying while Xen
 * has no memory to give.
 */
static unsigned long xtmem_xen_balloon_current(void)
{
	return READ_ONCE(balloon_stats.current_pages);
}

static void xtmem_xen_balloon_set_target(unsigned long pages)
{
	balloon_set_new_target(pages);
}

static const struct xtmem_balloon xtmem_xen_balloon = {
	.current_pages = xtmem_xen_balloon_current,
	.set_target = xtmem_xen_balloon_set_target,
};

static const struct xtmem_balloon *xtmem_xen_get_balloon(void)
{
	return &xtmem_xen_balloon;
}
#else
static const struct xtmem_balloon *xtmem_xen_get_balloon(void)
{
	return NULL;
}
#endif

static const struct xtmem_transport xtmem_xen_transport = {
	.name = "xen",
	.owner = THIS_MODULE,
	.page_to_frame = xtmem_xen_page_to_frame,
	.tmem_op = xtmem_xen_tmem_op,
	.get_balloon = xtmem_xen_get_balloon,
};

int xtmem_xen_transport_get(const struct xtmem_transport **tp)
{
	if (!xen_domain()) {
		pr_err("not running on Xen (no hypervisor found); nothing registered\n");
		return -ENODEV;
	}
	*tp = &xtmem_xen_transport;
	return 0;
}

#else

int xtmem_xen_transport_get(const struct xtmem_transport **tp)
{
	pr_err("not running on Xen: this kernel was built without Xen guest support (CONFIG_XEN) on x86; nothing registered\n");
	return -ENODEV;
}

#endif
