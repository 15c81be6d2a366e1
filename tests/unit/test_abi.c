// SPDX-License-Identifier: GPL-2.0
/*
 * include/xen-tmem/abi.h against Xen's own public header, <xen/tmem.h>
 * from Debian's libxen-dev (Xen 4.17 ships it for guests built against an
 * interface version below 4.13).
 *
 * The Makefile builds this file twice:
 *  - -D__XEN_INTERFACE_VERSION__=0x00040c00 (Xen 4.12, the last with tmem:
 *    u.gen.oid is a struct xen_tmem_oid);
 *  - -D__XEN_INTERFACE_VERSION__=0x00040300 (Xen 4.3: u.gen.oid is
 *    uint64_t[3] and NEW_PAGE/READ/WRITE/XCHG are still defined).
 * The versions are encoded 0x00MMmmpp, so 4.12 is 0x00040c00; 0x00041200
 * would mean 4.18 and is refused by xen-compat.h ("These header files do
 * not support the requested interface version": libxen-dev 4.17's
 * __XEN_LATEST_INTERFACE_VERSION__ is 0x00040e00).
 *
 * Xen's headers need <stdint.h> first; <xen/tmem.h> includes <xen/xen.h>
 * itself. TMEM_CONTROL (0) is not in any guest-visible form of the header
 * since 4.6, and MAX_POOLS_PER_DOMAIN is hypervisor-internal, so neither
 * can be compared here.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <xen-tmem/abi.h>
#include "parse.h"
#include "xt_test.h"

#ifndef __XEN_INTERFACE_VERSION__
#error "build with -D__XEN_INTERFACE_VERSION__=0x00040c00 (see Makefile)"
#endif

#if __XEN_INTERFACE_VERSION__ == 0x00040c00
#define ABI_T(n) XT_CAT(n, _xen4_12)
#elif __XEN_INTERFACE_VERSION__ == 0x00040300
#define ABI_T(n) XT_CAT(n, _xen4_3)
#else
#define ABI_T(n) XT_CAT(n, _xen_other)
#endif

#if !__has_include(<xen/tmem.h>)

XT_TEST(ABI_T(abi_xen_headers))
{
	xt_fail(__FILE__, __LINE__,
		"Xen's public headers (<xen/tmem.h>) are missing: "
		"apt-get install libxen-dev");
}

#else

#include <xen/xen.h>
#include <xen/tmem.h>

#define IS_UNSIGNED(x) ((__typeof__(x))-1 > (__typeof__(x))0)
#define OURS(m) (((struct xtmem_op *)0)->m)
#define XENS(m) (((struct tmem_op *)0)->m)

/* Offset, size and signedness of member @m in both structs. */
#define SAME_FIELD(m)							\
	do {								\
		xt_case_begin("tmem_op." #m);				\
		XT_EQ_INT(offsetof(struct xtmem_op, m),			\
			  offsetof(struct tmem_op, m));			\
		XT_EQ_INT(sizeof(OURS(m)), sizeof(XENS(m)));		\
		xt_case_end();						\
	} while (0)

#define SAME_SCALAR(m)							\
	do {								\
		SAME_FIELD(m);						\
		xt_case_begin("tmem_op." #m " signedness");		\
		XT_EQ_INT(IS_UNSIGNED(OURS(m)), IS_UNSIGNED(XENS(m)));	\
		xt_case_end();						\
	} while (0)

#if __XEN_INTERFACE_VERSION__ >= 0x00040600
#define XEN_OID(i) u.gen.oid.oid[i]
#else
#define XEN_OID(i) u.gen.oid[i]
#endif

XT_TEST(ABI_T(abi_layout))
{
	SAME_SCALAR(cmd);
	SAME_SCALAR(pool_id);
	SAME_FIELD(u);
	SAME_FIELD(u.creat);
	SAME_FIELD(u.creat.uuid);
	SAME_SCALAR(u.creat.uuid[0]);
	SAME_SCALAR(u.creat.uuid[1]);
	SAME_SCALAR(u.creat.flags);
	SAME_SCALAR(u.creat.arg1);
	SAME_FIELD(u.gen);
	SAME_FIELD(u.gen.oid);
	SAME_SCALAR(u.gen.index);
	SAME_SCALAR(u.gen.tmem_offset);
	SAME_SCALAR(u.gen.pfn_offset);
	SAME_SCALAR(u.gen.len);
	SAME_SCALAR(u.gen.cmfn);

	xt_case_begin("tmem_op.u.gen.oid[0..2]");
	XT_EQ_INT(offsetof(struct xtmem_op, u.gen.oid[0]),
		  offsetof(struct tmem_op, XEN_OID(0)));
	XT_EQ_INT(offsetof(struct xtmem_op, u.gen.oid[1]),
		  offsetof(struct tmem_op, XEN_OID(1)));
	XT_EQ_INT(offsetof(struct xtmem_op, u.gen.oid[2]),
		  offsetof(struct tmem_op, XEN_OID(2)));
	XT_EQ_INT(sizeof(OURS(u.gen.oid[0])), sizeof(XENS(XEN_OID(0))));
	XT_EQ_INT(IS_UNSIGNED(OURS(u.gen.oid[0])),
		  IS_UNSIGNED(XENS(XEN_OID(0))));
	xt_case_end();

	xt_case_begin("sizeof/alignof struct tmem_op");
	XT_EQ_INT(sizeof(struct xtmem_op), sizeof(struct tmem_op));
	XT_EQ_INT(_Alignof(struct xtmem_op), _Alignof(struct tmem_op));
	XT_EQ_INT(sizeof(xen_pfn_t), sizeof(unsigned long));
	xt_case_end();

#if defined(__x86_64__)
	/* The numbers measured for the design (DESIGN.md). */
	xt_case_begin("x86-64 numbers");
	XT_EQ_INT(sizeof(struct tmem_op), 56);
	XT_EQ_INT(offsetof(struct tmem_op, u.gen.index), 32);
	XT_EQ_INT(offsetof(struct tmem_op, u.gen.cmfn), 48);
	XT_EQ_INT(offsetof(struct tmem_op, u.creat.flags), 24);
	xt_case_end();
#endif
}

/* Values written through our struct read back through Xen's. */
XT_TEST(ABI_T(abi_round_trip))
{
	struct xtmem_op ours;
	struct tmem_op xens;

	memset(&ours, 0, sizeof(ours));
	ours.cmd = XTMEM_PUT_PAGE;
	ours.pool_id = -7;
	ours.u.gen.oid[0] = 0x0102030405060708ull;
	ours.u.gen.oid[1] = 0x1112131415161718ull;
	ours.u.gen.oid[2] = 0x2122232425262728ull;
	ours.u.gen.index = 0x31323334;
	ours.u.gen.tmem_offset = 0x41424344;
	ours.u.gen.pfn_offset = 0x51525354;
	ours.u.gen.len = 0x61626364;
	ours.u.gen.cmfn = (unsigned long)0x7172737475767778ull;
	memcpy(&xens, &ours, sizeof(xens));
	XT_EQ_INT(xens.cmd, TMEM_PUT_PAGE);
	XT_EQ_INT(xens.pool_id, -7);
	XT_EQ_HEX(xens.XEN_OID(0), ours.u.gen.oid[0]);
	XT_EQ_HEX(xens.XEN_OID(1), ours.u.gen.oid[1]);
	XT_EQ_HEX(xens.XEN_OID(2), ours.u.gen.oid[2]);
	XT_EQ_HEX(xens.u.gen.index, ours.u.gen.index);
	XT_EQ_HEX(xens.u.gen.tmem_offset, ours.u.gen.tmem_offset);
	XT_EQ_HEX(xens.u.gen.pfn_offset, ours.u.gen.pfn_offset);
	XT_EQ_HEX(xens.u.gen.len, ours.u.gen.len);
	XT_EQ_HEX(xens.u.gen.cmfn, ours.u.gen.cmfn);

	memset(&ours, 0, sizeof(ours));
	ours.cmd = XTMEM_NEW_POOL;
	ours.u.creat.uuid[0] = 0x8182838485868788ull;
	ours.u.creat.uuid[1] = 0x9192939495969798ull;
	ours.u.creat.flags = XTMEM_POOL_FLAGS_FIXED(12) | XTMEM_POOL_SHARED;
	ours.u.creat.arg1 = 0xa1a2a3a4;
	memcpy(&xens, &ours, sizeof(xens));
	XT_EQ_INT(xens.cmd, TMEM_NEW_POOL);
	XT_EQ_HEX(xens.u.creat.uuid[0], ours.u.creat.uuid[0]);
	XT_EQ_HEX(xens.u.creat.uuid[1], ours.u.creat.uuid[1]);
	XT_EQ_HEX(xens.u.creat.flags, 0x01000002);
	XT_EQ_HEX(xens.u.creat.arg1, 0xa1a2a3a4);
}

#define SAME_CONST(ours, xens)						\
	do {								\
		xt_case_begin(#ours " == " #xens);			\
		XT_EQ_HEX(ours, xens);					\
		xt_case_end();						\
	} while (0)

XT_TEST(ABI_T(abi_constants))
{
	SAME_CONST(XTMEM_HYPERCALL, __HYPERVISOR_tmem_op);
	SAME_CONST(__HYPERVISOR_tmem_op, 38);
	SAME_CONST(XTMEM_SPEC_VERSION, TMEM_SPEC_VERSION);

	SAME_CONST(XTMEM_NEW_POOL, TMEM_NEW_POOL);
	SAME_CONST(XTMEM_DESTROY_POOL, TMEM_DESTROY_POOL);
	SAME_CONST(XTMEM_PUT_PAGE, TMEM_PUT_PAGE);
	SAME_CONST(XTMEM_GET_PAGE, TMEM_GET_PAGE);
	SAME_CONST(XTMEM_FLUSH_PAGE, TMEM_FLUSH_PAGE);
	SAME_CONST(XTMEM_FLUSH_OBJECT, TMEM_FLUSH_OBJECT);
	SAME_CONST(XTMEM_AUTH, TMEM_AUTH);
	SAME_CONST(XTMEM_RESTORE_NEW, TMEM_RESTORE_NEW);
#if __XEN_INTERFACE_VERSION__ < 0x00040400
	SAME_CONST(XTMEM_NEW_PAGE, TMEM_NEW_PAGE);
	SAME_CONST(XTMEM_READ, TMEM_READ);
	SAME_CONST(XTMEM_WRITE, TMEM_WRITE);
	SAME_CONST(XTMEM_XCHG, TMEM_XCHG);
#endif
#ifdef TMEM_CONTROL
	SAME_CONST(XTMEM_CONTROL, TMEM_CONTROL);
#endif

	SAME_CONST(XTMEM_POOL_PERSIST, TMEM_POOL_PERSIST);
	SAME_CONST(XTMEM_POOL_SHARED, TMEM_POOL_SHARED);
	SAME_CONST(XTMEM_POOL_PRECOMPRESSED, TMEM_POOL_PRECOMPRESSED);
	SAME_CONST(XTMEM_POOL_PAGESIZE_SHIFT, TMEM_POOL_PAGESIZE_SHIFT);
	SAME_CONST(XTMEM_POOL_PAGESIZE_MASK, TMEM_POOL_PAGESIZE_MASK);
	SAME_CONST(XTMEM_POOL_VERSION_SHIFT, TMEM_POOL_VERSION_SHIFT);
	SAME_CONST(XTMEM_POOL_VERSION_MASK, TMEM_POOL_VERSION_MASK);
	SAME_CONST(XTMEM_POOL_RESERVED_BITS, TMEM_POOL_RESERVED_BITS);

	SAME_CONST(XTMEM_CLIENT_COMPRESS, TMEM_CLIENT_COMPRESS);
	SAME_CONST(XTMEM_CLIENT_FROZEN, TMEM_CLIENT_FROZEN);
	SAME_CONST(XTMEM_EFROZEN, EFROZEN);
	SAME_CONST(XTMEM_EEMPTY, EEMPTY);

	/* Derived values. */
	SAME_CONST(XTMEM_POOL_FLAGS_FIXED(12),
		   (TMEM_SPEC_VERSION << TMEM_POOL_VERSION_SHIFT) |
		   (0 << TMEM_POOL_PAGESIZE_SHIFT));
	SAME_CONST(XTMEM_POOL_FLAGS_FIXED(12), 0x01000000);
	SAME_CONST(XTMEM_POOL_PARSE_RESERVED,
		   0x8u |
		   ((uint32_t)TMEM_POOL_PAGESIZE_MASK <<
		    TMEM_POOL_PAGESIZE_SHIFT) |
		   (uint32_t)TMEM_POOL_RESERVED_BITS |
		   ((uint32_t)TMEM_POOL_VERSION_MASK <<
		    TMEM_POOL_VERSION_SHIFT));
	SAME_CONST(XTMEM_POOL_NAMED_BITS,
		   TMEM_POOL_PERSIST | TMEM_POOL_SHARED |
		   TMEM_POOL_PRECOMPRESSED);
}

#endif /* __has_include(<xen/tmem.h>) */
