/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tmem: the project's own copy of the Xen Transcendent Memory guest ABI
 * (tmem spec version 1, Xen 4.0.2 and 4.1 to 4.12; xen/include/public/tmem.h).
 *
 * Every name carries the XTMEM_/xtmem_ prefix so that this header can be
 * included next to the kernel's <xen/interface/xen.h>, which has its own
 * (different) struct tmem_op. It needs no kernel header: in userspace it
 * uses <stdint.h>, in the kernel <linux/types.h>.
 */
#ifndef XEN_TMEM_ABI_H
#define XEN_TMEM_ABI_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/* The hypercall number of tmem_op (xen/include/public/xen.h). */
#define XTMEM_HYPERCALL			38

#define XTMEM_SPEC_VERSION		1

/* Commands (struct xtmem_op.cmd). */
#define XTMEM_CONTROL			0	/* moved to a sysctl in 4.6 */
#define XTMEM_NEW_POOL			1
#define XTMEM_DESTROY_POOL		2
#define XTMEM_NEW_PAGE			3	/* Xen <= 4.3 only */
#define XTMEM_PUT_PAGE			4
#define XTMEM_GET_PAGE			5
#define XTMEM_FLUSH_PAGE		6
#define XTMEM_FLUSH_OBJECT		7
#define XTMEM_READ			8	/* Xen <= 4.3 only */
#define XTMEM_WRITE			9	/* Xen <= 4.3 only */
#define XTMEM_XCHG			10	/* never implemented */
#define XTMEM_AUTH			101	/* privileged */
#define XTMEM_RESTORE_NEW		102	/* privileged */

/* NEW_POOL flags word (struct xtmem_op.u.creat.flags). */
#define XTMEM_POOL_PERSIST		1
#define XTMEM_POOL_SHARED		2
#define XTMEM_POOL_PRECOMPRESSED	4
#define XTMEM_POOL_PAGESIZE_SHIFT	4
#define XTMEM_POOL_PAGESIZE_MASK	0xf
#define XTMEM_POOL_VERSION_SHIFT	24
#define XTMEM_POOL_VERSION_MASK		0xff
#define XTMEM_POOL_RESERVED_BITS	0x00ffff00

/* Client flags (save/restore). */
#define XTMEM_CLIENT_COMPRESS		1
#define XTMEM_CLIENT_FROZEN		2

/* tmem-specific error values, returned negated (-1000, -1001). */
#define XTMEM_EFROZEN			1000
#define XTMEM_EEMPTY			1001

/*
 * Xen's own errno for "no such hypercall" (xen/include/public/errno.h),
 * the answer of a hypervisor without tmem. Xen's errno values equal
 * Linux's on x86 (EPERM 1, ENOMEM 12, EFAULT 14, ENODEV 19, ENOSPC 28).
 */
#define XTMEM_ENOSYS			38

/* Maximum number of pools one domain may hold (MAX_POOLS_PER_DOMAIN). */
#define XTMEM_MAX_POOLS_PER_DOMAIN	16

/*
 * struct xtmem_op: the single argument of the hypercall.
 *
 * x86-64: 56 bytes, u.gen.index at 32, u.gen.cmfn at 48, u.creat.flags at 24.
 * i386:   52 bytes (cmfn is 4 bytes there).
 * cmfn is a xen_pfn_t (unsigned long on x86): the MFN of the page for PV
 * guests, the guest PFN for HVM and PVH guests.
 */
struct xtmem_op {
	uint32_t cmd;
	int32_t pool_id;
	union {
		struct {		/* NEW_POOL, AUTH, RESTORE_NEW */
			uint64_t uuid[2];
			uint32_t flags;
			uint32_t arg1;
		} creat;
		struct {		/* all other commands */
			uint64_t oid[3];
			uint32_t index;
			uint32_t tmem_offset;
			uint32_t pfn_offset;
			uint32_t len;
			unsigned long cmfn;
		} gen;
	} u;
};

/* The spec-version and page-size bits for a page of 2^page_shift bytes. */
#define XTMEM_POOL_FLAGS_FIXED(page_shift)				\
	(((uint32_t)XTMEM_SPEC_VERSION << XTMEM_POOL_VERSION_SHIFT) |	\
	 ((uint32_t)((page_shift) - 12) << XTMEM_POOL_PAGESIZE_SHIFT))

/* Layout pins: a change here breaks the guest/hypervisor contract. */
#define XTMEM_ABI_OFFSETOF(m) __builtin_offsetof(struct xtmem_op, m)
_Static_assert(XTMEM_ABI_OFFSETOF(cmd) == 0, "tmem_op.cmd");
_Static_assert(XTMEM_ABI_OFFSETOF(pool_id) == 4, "tmem_op.pool_id");
_Static_assert(XTMEM_ABI_OFFSETOF(u.creat.uuid) == 8, "tmem_op.creat.uuid");
_Static_assert(XTMEM_ABI_OFFSETOF(u.creat.flags) == 24, "tmem_op.creat.flags");
_Static_assert(XTMEM_ABI_OFFSETOF(u.creat.arg1) == 28, "tmem_op.creat.arg1");
_Static_assert(XTMEM_ABI_OFFSETOF(u.gen.oid) == 8, "tmem_op.gen.oid");
_Static_assert(XTMEM_ABI_OFFSETOF(u.gen.index) == 32, "tmem_op.gen.index");
_Static_assert(XTMEM_ABI_OFFSETOF(u.gen.tmem_offset) == 36, "tmem_op.gen.tmem_offset");
_Static_assert(XTMEM_ABI_OFFSETOF(u.gen.pfn_offset) == 40, "tmem_op.gen.pfn_offset");
_Static_assert(XTMEM_ABI_OFFSETOF(u.gen.len) == 44, "tmem_op.gen.len");
_Static_assert(XTMEM_ABI_OFFSETOF(u.gen.cmfn) == 48, "tmem_op.gen.cmfn");
#if defined(__x86_64__)
_Static_assert(sizeof(struct xtmem_op) == 56, "tmem_op size (x86-64)");
#elif defined(__i386__)
_Static_assert(sizeof(struct xtmem_op) == 52, "tmem_op size (i386)");
#endif
#undef XTMEM_ABI_OFFSETOF

#endif /* XEN_TMEM_ABI_H */
