/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen_tmem_emu: the fault-injection hook.
 *
 * The dispatcher calls xtemu_fault_pick() with xtemu_lock held, for every
 * op, before the pool lookup. It returns 0 to run the op normally, or a
 * negative value that the op's handler produces at its first point of
 * failure, with Xen's side effects:
 *
 *   NEW_POOL      -EPERM, -ENOMEM: no pool is created.
 *   PUT_PAGE      -ENOMEM/-ENOSPC: a new page is not stored (-ENOMEM); a
 *                 duplicate loses its old copy and answers -ENOSPC.
 *                 -XTMEM_EFROZEN: a new page answers it, a duplicate put
 *                 still succeeds (Xen allows dup puts when frozen).
 *                 -EFAULT: as a bad frame (a duplicate loses its old copy).
 *   GET_PAGE      ephemeral pools only. -XTMEM_EEMPTY: answered at once
 *                 (after the real -EEMPTY check). -EFAULT: as a bad frame
 *                 on a hit (a private ephemeral page is lost, as in Xen
 *                 4.12).
 *   FLUSH_*       the flush is done, then the value is returned
 *                 (-XTMEM_EFROZEN).
 *
 * It may also act by itself before the op ("forget a pool" with
 * xtemu_pool_destroy(), random evictions with xtemu_store_evict()), so the
 * op then meets the changed state (-ENODEV, a miss). Both spare persistent
 * pools and pages, which Xen never loses (see emu_fault.c).
 *
 * emu_fault.c decides, from the fault_* module parameters and a seeded
 * pseudo-random sequence, which op gets which fault; it only picks a fault
 * where the op's answer is then exactly that fault's (see emu_fault.c), so
 * that its counters match what the module under test is told.
 */
#ifndef XTEMU_EMU_FAULT_H
#define XTEMU_EMU_FAULT_H

#include <xen-tmem/abi.h>

/* Called with xtemu_lock held (interrupts off); never sleeps. */
int xtemu_fault_pick(const struct xtmem_op *op);

#endif /* XTEMU_EMU_FAULT_H */
