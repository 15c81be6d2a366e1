/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen_tmem_emu: internal interfaces of the tmem hypervisor emulator.
 *
 * The emulator models one tmem client (this guest) of a Xen 4.12 hypervisor
 * with tmem enabled. Everything below is protected by xtemu_lock, taken
 * with spin_lock_irqsave() because the transport is called in atomic
 * context with interrupts disabled (page-cache deletion under the xa_lock).
 * Nothing here sleeps; the store allocates with XTEMU_GFP. The balloon's
 * heap list and counters are under xtemu_lock too; the balloon takes and
 * gives guest pages only in its worker, with no lock held.
 *
 * Layout:
 *   emu_main.c    module init/exit and the exported transport
 *   emu_params.c  module parameters: counters, capacity_pages,
 *                 persist_capacity_pages, shared_auth, forget_pools,
 *                 balloon_target
 *   emu_ops.c     the do_tmem_op dispatcher and the strictness check
 *   emu_pool.c    the client's 16 pool slots and the global shared pools
 *   emu_store.c   PUT/GET/FLUSH on the store, the ephemeral LRU, eviction
 *   emu_table.c   the store's hash tables and memory (emu_store.h)
 *   emu_fault.c   seeded, reproducible fault injection (knobs: fault_*)
 *   emu_balloon.c the guest's balloon and the hypervisor heap it feeds,
 *                 where the store keeps pages first (balloon_*)
 *
 * Ephemeral and persistent pages are kept apart, as in Xen:
 *  - ephemeral pages sit on one LRU and are limited by capacity_pages
 *    (the hypervisor's heap): a put at the limit evicts the oldest one;
 *  - persistent pages (private persistent pools, frontswap) are charged
 *    to the guest in Xen (alloc fails when d->tot_pages >= d->max_pages).
 *    Here persist_capacity_pages stands for that room: a put of a new
 *    page at the limit answers -ENOMEM. They are never on the LRU, never
 *    evicted (not for room, not by capacity_pages, not by evict faults),
 *    never forgotten by forget_pools=all or a forget fault, and a GET of
 *    one never fails by an injected fault and leaves the page in place.
 */
#ifndef XTEMU_EMU_H
#define XTEMU_EMU_H

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <xen-tmem/abi.h>
#include <xen-tmem/transport.h>

/* MAX_POOLS_PER_DOMAIN and MAX_GLOBAL_SHARED_POOLS of Xen. */
#define XTEMU_MAX_POOLS		XTMEM_MAX_POOLS_PER_DOMAIN
#define XTEMU_MAX_SHARED	16

/*
 * Allocation flags for everything the store takes while holding
 * xtemu_lock. GFP_NOWAIT rather than GFP_ATOMIC: puts arrive from page
 * reclaim, and a cache must not eat the emergency reserves that real
 * atomic allocations need. A failed allocation falls back to evicting
 * the oldest ephemeral page (as Xen's tmem_ensure_avail_pages does).
 */
#define XTEMU_GFP		(GFP_NOWAIT | __GFP_NOWARN)

struct page;

/*
 * A pool object. A private pool is referred to by one slot; a shared pool
 * by every slot that joined it (refs), and also sits in the global shared
 * table until its last slot is destroyed.
 */
struct xtemu_pool {
	struct list_head objs;		/* struct xtemu_obj, by pool_link */
	unsigned long npages;		/* pages held, for -EEMPTY */
	unsigned int refs;		/* client slots referring to it */
	bool persistent;
	bool shared;
	u64 uuid[2];
};

/* Counters, exported read-only as module parameters. */
struct xtemu_stats {
	u64 pages;		/* pages held, all pools */
	u64 persist_pages;	/* ... of them in persistent pools */
	u64 persist_puts_enomem; /* new persistent puts refused at the limit */
	u64 pools;		/* live pool slots */
	u64 puts;		/* PUT_PAGE on an existing pool */
	u64 puts_failed;	/* ... that did not return 1 */
	u64 gets;		/* GET_PAGE on an existing pool */
	u64 hits;		/* ... that returned 1 */
	u64 misses;		/* ... that returned 0 or -EEMPTY */
	u64 flushes;		/* FLUSH_PAGE/FLUSH_OBJECT on an existing pool */
	u64 evictions;		/* ephemeral pages evicted for room */
	u64 bad_ops;		/* ops with a non-zero unused field */
	u64 balloon_pages;	/* pages the balloon holds now */
	u64 balloon_heap_pages;	/* ... of them not used by the store */
	u64 balloon_target_pages; /* pages the balloon should hold */
	u64 balloon_short;	/* pages over that it cannot give back now */
};

/* emu_ops.c */
extern spinlock_t xtemu_lock;
int xtemu_tmem_op(struct xtmem_op *op);

/* emu_params.c; all read and written under xtemu_lock once loaded. */
extern struct xtemu_stats xtemu_stats;
extern unsigned int xtemu_capacity;
extern unsigned int xtemu_persist_capacity;
extern bool xtemu_shared_auth;
extern bool xtemu_ready;

/* emu_pool.c; called with xtemu_lock held. */
int xtemu_pool_new(u32 flags, u64 uuid_lo, u64 uuid_hi, int fault);
int xtemu_pool_destroy(u32 pool_id);
struct xtemu_pool *xtemu_pool_lookup(u32 pool_id);
void xtemu_pool_destroy_all(void);
void xtemu_pool_destroy_ephemeral(void);

/* emu_store.c; called with xtemu_lock held unless noted. */
int xtemu_store_put(struct xtemu_pool *pool, const u64 *oid, u32 index,
		    struct page *frame, int fault);
int xtemu_store_get(struct xtemu_pool *pool, const u64 *oid, u32 index,
		    struct page *frame, int fault);
void xtemu_store_flush_page(struct xtemu_pool *pool, const u64 *oid,
			    u32 index);
void xtemu_store_flush_object(struct xtemu_pool *pool, const u64 *oid);
void xtemu_store_flush_pool(struct xtemu_pool *pool);
unsigned long xtemu_store_evict(unsigned long nr);
void xtemu_store_evict_to_limit(void);
u64 xtemu_store_eph_pages(void);
bool xtemu_store_persist_full(const struct xtemu_pool *pool, bool dup);
/* Process context, take xtemu_lock themselves. */
void xtemu_store_set_capacity(unsigned int capacity);
void xtemu_store_set_persist_capacity(unsigned int capacity);
/* Hash table size for the two limits (no lock needed). */
unsigned int xtemu_store_size(unsigned int capacity, unsigned int persist);
int xtemu_store_init(unsigned int capacity);
void xtemu_store_exit(void);

/*
 * emu_balloon.c. xtemu_heap_take() and xtemu_heap_give() are called with
 * xtemu_lock held (a balloon page for the store's data, and back); the
 * rest in process context without it.
 */
extern u64 xtemu_balloon_eph;	/* xtemu_lock: balloon pages in eph. pools */
extern unsigned long xtemu_balloon_target;
extern const struct xtmem_balloon xtemu_balloon;
void *xtemu_heap_take(void);
void xtemu_heap_give(void *data);
void xtemu_balloon_set_target(unsigned long pages);
void xtemu_balloon_init(void);
void xtemu_balloon_stop(void);
void xtemu_balloon_exit(void);

/* emu_main.c: the seam xen_tmem finds with symbol_get(). */
extern const struct xtmem_transport xtmem_emu_transport;

#endif /* XTEMU_EMU_H */
