/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tmem: every kernel-version difference, in one place.
 *
 * The HAVE_* macros come from src/probe.sh, which reads the target tree's
 * headers at build time (no LINUX_VERSION_CODE arithmetic). The eras:
 *   cleancache_register_ops(): returns the previous pointer (3.10-4.0),
 *     returns int / -EBUSY (4.1+), const ops (4.6+); the by-value API of
 *     3.0-3.9 is not supported (the module then builds but refuses to load);
 *   init_shared_fs(): char *uuid (<= 4.12), uuid_t *uuid (4.13+);
 *   frame number: pfn_to_mfn() for PV (<= 4.2), xen_page_to_gfn() (4.3+);
 *   frontswap_register_ops(): by value (3.5-3.9, not supported), returns
 *     the previous pointer with one backend at a time (3.10-4.1), void
 *     with backends chained (4.2-5.16), int and unexported (5.17-6.5, not
 *     supported: a module cannot call it), gone (6.6+);
 *   totalram_pages: a variable (<= 4.20), a function (5.0+);
 *   si_mem_available(): 4.6+;
 *   balloon_set_new_target(): with CONFIG_XEN_BALLOON (3.10-5.16 here).
 */
#ifndef XTMEM_COMPAT_H
#define XTMEM_COMPAT_H

#include "config.h"

#include <linux/kernel.h>
#include <linux/mm.h>

#if IS_ENABLED(CONFIG_CLEANCACHE) && \
	(defined(HAVE_CLEANCACHE_REGISTER_INT) || \
	 defined(HAVE_CLEANCACHE_REGISTER_PTR))
#define XTMEM_HAVE_CLEANCACHE 1
#include <linux/cleancache.h>

#ifdef HAVE_CLEANCACHE_CONST_OPS
#define XTMEM_CC_CONST const
#else
#define XTMEM_CC_CONST
#endif

/* The type init_shared_fs() gets the filesystem's 16-byte UUID as. */
#ifdef HAVE_CLEANCACHE_UUID_T
#define XTMEM_CC_UUID_T uuid_t
#else
#define XTMEM_CC_UUID_T char
#endif

static inline const u8 *xtmem_cc_uuid_bytes(const void *uuid)
{
	return uuid;
}

/* Register the backend: 0, or -EBUSY when another backend owns cleancache. */
static inline int xtmem_cc_register(XTMEM_CC_CONST struct cleancache_ops *ops)
{
#ifdef HAVE_CLEANCACHE_REGISTER_INT
	return cleancache_register_ops(ops);
#else
	/*
	 * Before 4.1 a second backend silently replaces the first; it can
	 * only be reported afterwards.
	 */
	if (cleancache_register_ops(ops))
		pr_warn("replaced another cleancache backend (kernels before 4.1 cannot refuse)\n");
	return 0;
#endif
}
#endif /* CONFIG_CLEANCACHE */

#if IS_ENABLED(CONFIG_FRONTSWAP) && \
	(defined(HAVE_FRONTSWAP_REGISTER_VOID) || \
	 defined(HAVE_FRONTSWAP_REGISTER_PTR))
#define XTMEM_HAVE_FRONTSWAP 1
#include <linux/frontswap.h>

/*
 * Register the backend: 0, or a negative errno. Chained kernels (4.2+)
 * try the most recently registered backend first, so a module loaded
 * after zswap is asked before it.
 */
static inline int xtmem_fs_register(struct frontswap_ops *ops)
{
#ifdef HAVE_FRONTSWAP_REGISTER_VOID
	frontswap_register_ops(ops);
	return 0;
#else
	struct frontswap_ops *old = frontswap_register_ops(ops);

	if (IS_ERR(old))
		return PTR_ERR(old);
	/* Before 4.2 one backend at a time: the old one (zswap?) is gone. */
	if (old)
		pr_warn("frontswap: replaced another frontswap backend, such as zswap (kernels before 4.2 keep one)\n");
	return 0;
#endif
}
#endif /* CONFIG_FRONTSWAP */

#if IS_ENABLED(CONFIG_XEN) && defined(CONFIG_X86)
#define XTMEM_HAVE_XEN 1
#include <xen/xen.h>
#include <xen/page.h>
#include <xen/interface/xen.h>

#ifndef __HYPERVISOR_tmem_op
#define __HYPERVISOR_tmem_op XTMEM_HYPERCALL
#endif

static inline unsigned long xtmem_xen_frame(struct page *page)
{
#ifdef HAVE_XEN_PAGE_TO_GFN
	return xen_page_to_gfn(page);
#else
	unsigned long pfn = page_to_pfn(page);

	return xen_pv_domain() ? pfn_to_mfn(pfn) : pfn;
#endif
}
#endif /* CONFIG_XEN && CONFIG_X86 */

/* The Xen balloon driver, for self-ballooning (off in RHEL 8's config). */
#if defined(XTMEM_HAVE_XEN) && IS_ENABLED(CONFIG_XEN_BALLOON) && \
	defined(HAVE_XEN_BALLOON_SET_TARGET)
#define XTMEM_HAVE_XEN_BALLOON 1
#include <xen/balloon.h>
#endif

/* The guest's managed memory: a function from 5.0, a variable before. */
static inline unsigned long xtmem_totalram_pages(void)
{
#ifdef HAVE_TOTALRAM_PAGES_FN
	return totalram_pages();
#else
	return totalram_pages;
#endif
}

/*
 * MemAvailable (4.6+). Before 4.6 there is none to ask: report all memory
 * as available, so that self-ballooning goes by Committed_AS alone, as the
 * in-tree driver did.
 */
static inline long xtmem_mem_available(void)
{
#ifdef HAVE_SI_MEM_AVAILABLE
	return si_mem_available();
#else
	return xtmem_totalram_pages();
#endif
}

/*
 * The ext4 partial-block guard (src/guard.c) needs kretprobes and reads a
 * probed function's arguments from the registers of the x86-64 calling
 * convention (the only one a Xen tmem guest has here).
 */
#if IS_ENABLED(CONFIG_KRETPROBES) && defined(CONFIG_X86_64)
#define XTMEM_HAVE_GUARD 1
#include <linux/kprobes.h>

/* The Nth (from 0) integer argument, at a probed function's entry. */
static inline unsigned long xtmem_kp_arg(struct pt_regs *regs, int n)
{
	switch (n) {
	case 0:
		return regs->di;
	case 1:
		return regs->si;
	case 2:
		return regs->dx;
	default:
		return regs->cx;
	}
}
#endif /* CONFIG_KRETPROBES && CONFIG_X86_64 */

#endif /* XTMEM_COMPAT_H */
