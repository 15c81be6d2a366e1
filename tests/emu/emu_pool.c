// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_emu: pool slots (NEW_POOL, DESTROY_POOL), as do_tmem_new_pool
 * and do_tmem_destroy_pool of Xen 4.12 for the one client there is.
 *
 * Shared pools live in a global table of XTEMU_MAX_SHARED entries, matched
 * by (uuid[0], uuid[1]). A second shared NEW_POOL with the same uuid gets a
 * new slot that refers to the same pool object (refs counts the slots).
 *
 * Destroying a slot of a shared pool that other slots still use: Xen's
 * shared_pool_quit() destroys every object whose last_client is the
 * quitting client, which, with a single client, is every object. So the
 * pool's data is flushed and the pool object lives on for the other slots.
 * (Xen 4.12 then also clears the pool's first slot by mistake in
 * shared_pool_reassign(); that bug is not emulated.)
 */
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>

#include "emu.h"

static struct xtemu_pool *xtemu_slots[XTEMU_MAX_POOLS];
static struct xtemu_pool *xtemu_shared[XTEMU_MAX_SHARED];

struct xtemu_pool *xtemu_pool_lookup(u32 pool_id)
{
	lockdep_assert_held(&xtemu_lock);
	return pool_id < XTEMU_MAX_POOLS ? xtemu_slots[pool_id] : NULL;
}

static const char *xtemu_pool_kind(const struct xtemu_pool *pool)
{
	if (pool->persistent)
		return "persistent-private";
	return pool->shared ? "ephemeral-shared" : "ephemeral-private";
}

/*
 * Join the global shared pool with this uuid, or make @pool one. Returns
 * the pool the slot refers to, or NULL if all global shared slots are used.
 */
static struct xtemu_pool *xtemu_pool_share(struct xtemu_pool *pool)
{
	int i, unused = -1;

	for (i = 0; i < XTEMU_MAX_SHARED; i++) {
		struct xtemu_pool *sh = xtemu_shared[i];

		if (!sh) {
			if (unused < 0)
				unused = i;
		} else if (sh->uuid[0] == pool->uuid[0] &&
			   sh->uuid[1] == pool->uuid[1]) {
			kfree(pool);
			return sh;
		}
	}
	if (unused < 0) {
		kfree(pool);
		return NULL;
	}
	pool->shared = true;
	xtemu_shared[unused] = pool;
	return pool;
}

int xtemu_pool_new(u32 flags, u64 uuid_lo, u64 uuid_hi, int fault)
{
	bool persistent = flags & XTMEM_POOL_PERSIST;
	bool shared = flags & XTMEM_POOL_SHARED;
	u32 pagebits = (flags >> XTMEM_POOL_PAGESIZE_SHIFT) &
		       XTMEM_POOL_PAGESIZE_MASK;
	u32 version = (flags >> XTMEM_POOL_VERSION_SHIFT) &
		      XTMEM_POOL_VERSION_MASK;
	struct xtemu_pool *pool;
	u32 id;

	lockdep_assert_held(&xtemu_lock);
	/* The checks and their order of Xen 4.12. */
	if (version != XTMEM_SPEC_VERSION || (shared && persistent) ||
	    pagebits != PAGE_SHIFT - 12 ||
	    (flags & XTMEM_POOL_PRECOMPRESSED) ||
	    (flags & XTMEM_POOL_RESERVED_BITS)) {
		pr_info("NEW_POOL flags %#x refused\n", flags);
		return -EPERM;
	}
	for (id = 0; id < XTEMU_MAX_POOLS; id++)
		if (!xtemu_slots[id])
			break;
	if (id == XTEMU_MAX_POOLS) {
		pr_info("NEW_POOL: no more pool slots available\n");
		return -EPERM;
	}
	if (fault)
		return fault;

	/* Xen allocates the pool even when it then joins a shared one. */
	pool = kzalloc(sizeof(*pool), XTEMU_GFP);
	if (!pool)
		return -ENOMEM;
	INIT_LIST_HEAD(&pool->objs);
	pool->persistent = persistent;
	pool->uuid[0] = uuid_lo;
	pool->uuid[1] = uuid_hi;

	if (shared && uuid_lo == ~0ULL && uuid_hi == ~0ULL) {
		pr_info("NEW_POOL: invalid uuid, create non shared pool instead\n");
	} else if (shared && !READ_ONCE(xtemu_shared_auth)) {
		pr_info("NEW_POOL: shared auth failed, create non shared pool instead\n");
	} else if (shared) {
		pool = xtemu_pool_share(pool);
		if (!pool) {
			pr_info("NEW_POOL: no global shared pool slots available\n");
			return -EPERM;
		}
	}

	pool->refs++;
	xtemu_slots[id] = pool;
	xtemu_stats.pools++;
	pr_info("pool %u: %s, uuid %016llx.%016llx, slots %u\n", id,
		xtemu_pool_kind(pool), pool->uuid[1], pool->uuid[0],
		pool->refs);
	return id;
}

/* The slot is gone; free the pool object with its last slot. */
static void xtemu_pool_put(struct xtemu_pool *pool)
{
	int i;

	if (--pool->refs)
		return;
	for (i = 0; i < XTEMU_MAX_SHARED; i++)
		if (xtemu_shared[i] == pool)
			xtemu_shared[i] = NULL;
	kfree(pool);
}

int xtemu_pool_destroy(u32 pool_id)
{
	struct xtemu_pool *pool = xtemu_pool_lookup(pool_id);

	if (!pool)
		return 0;
	xtemu_slots[pool_id] = NULL;
	xtemu_stats.pools--;
	xtemu_store_flush_pool(pool);
	pr_info("pool %u: destroyed (%s, %u slots left)\n", pool_id,
		xtemu_pool_kind(pool), pool->refs - 1);
	xtemu_pool_put(pool);
	return 1;
}

void xtemu_pool_destroy_all(void)
{
	u32 id;

	for (id = 0; id < XTEMU_MAX_POOLS; id++)
		xtemu_pool_destroy(id);
}

/*
 * What a save/restore or a migration loses: Xen's toolstack saves and
 * restores persistent pools with their pages (xc_tmem_save/restore), so
 * only the ephemeral pools (private and shared slots) are forgotten.
 */
void xtemu_pool_destroy_ephemeral(void)
{
	u32 id;

	for (id = 0; id < XTEMU_MAX_POOLS; id++)
		if (xtemu_slots[id] && !xtemu_slots[id]->persistent)
			xtemu_pool_destroy(id);
}
