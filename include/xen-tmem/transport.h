/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tmem: the transport seam between the module and "a tmem hypervisor".
 *
 * The production transport issues the Xen tmem_op hypercall. The test
 * emulator (tests/emu, module xen_tmem_emu) exports a struct of this type
 * named xtmem_emu_transport; xen_tmem finds it with symbol_get() when
 * loaded with transport=emulated, so the module under test is the module
 * that ships.
 *
 * Contract, as for the Xen hypercall:
 *  - tmem_op() may be called in atomic context (with interrupts disabled,
 *    from page-cache deletion) and must not sleep;
 *  - the op is fully initialised: every field and padding byte that the
 *    command does not use is zero;
 *  - u.gen.cmfn carries the value page_to_frame() returned for the page;
 *  - the return value is what Xen's do_tmem_op would return.
 */
#ifndef XEN_TMEM_TRANSPORT_H
#define XEN_TMEM_TRANSPORT_H

#include <xen-tmem/abi.h>

struct module;
struct page;

/*
 * A balloon: how the guest hands memory to the hypervisor and takes it
 * back (self-ballooning, src/selfballoon.c). Counts are in the balloon's
 * own pages, which may differ from totalram_pages() by a constant: the
 * caller works with differences. Both are called in process context only.
 */
struct xtmem_balloon {
	/* The guest's memory now, in pages. */
	unsigned long (*current_pages)(void);
	/*
	 * Ask for the guest to have @pages; returns at once, the balloon
	 * moves there in the background (and as far as it can).
	 */
	void (*set_target)(unsigned long pages);
};

struct xtmem_transport {
	const char *name;
	struct module *owner;
	/* The frame number to put into u.gen.cmfn for this page. */
	unsigned long (*page_to_frame)(struct page *page);
	/* Issue one tmem operation; returns the hypervisor's answer. */
	int (*tmem_op)(struct xtmem_op *op);
	/* The guest's balloon, or NULL when it has none. */
	const struct xtmem_balloon *(*get_balloon)(void);
};

/* Exported by the test emulator, tests/emu (xen_tmem_emu.ko). */
extern const struct xtmem_transport xtmem_emu_transport;

#endif /* XEN_TMEM_TRANSPORT_H */
