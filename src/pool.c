// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: the pool table.
 *
 * cleancache knows a pool by the slot index this table hands out; the
 * hypervisor's pool id lives in the slot. That indirection lets the module
 * drop every hypervisor pool (runtime switch off) and create them again,
 * and recover when the hypervisor forgets its pools (it then answers
 * -ENODEV, as after save/restore or migration).
 *
 * One more slot, XTMEM_SWAP, holds frontswap's persistent pool. Its pages
 * exist nowhere else, so neither the switch nor a recovery ever destroys
 * it: the switch only stops new stores, and a recovery keeps it unless
 * the hypervisor lost it too.
 *
 * Locking: page operations run in any context, including with interrupts
 * off under the page cache's xa_lock, so the table is guarded by an
 * irq-safe rwlock: page operations hold it for reading across the
 * hypercall, so a slot's hypervisor id cannot change (or be reused by
 * another filesystem's pool) while an operation on it is in flight.
 * Changes to the table take it for writing. Mount, unmount and the switch
 * are serialised by a mutex, which also covers the sysfs directories.
 */
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "parse.h"
#include "xtmem.h"

struct xtmem_pool {
	bool in_use;
	bool override_uuid;	/* uses the shared_uuid parameter */
	enum xtmem_pool_kind kind;
	int hv_id;		/* hypervisor pool id, -1 when none */
	u32 flags;		/* NEW_POOL flags */
	u64 uuid[2];		/* NEW_POOL uuid words */
	u8 uuid_bytes[16];	/* the same, as the admin writes it */
};

static struct xtmem_pool xtmem_pools[XTMEM_MAX_POOLS + 1];
static DEFINE_RWLOCK(xtmem_pool_lock);
static DEFINE_MUTEX(xtmem_pool_mutex);
/* Bumped each time every hypervisor pool is recreated after a loss. */
static unsigned long xtmem_pool_gen;

/* Create the hypervisor pool of a slot. Write lock held. */
static int xtmem_pool_hv_create(int slot)
{
	struct xtmem_pool *p = &xtmem_pools[slot];
	int id;

	id = xtmem_hv_new_pool(p->uuid, p->flags);
	if (id < 0 || id >= XTMEM_MAX_POOLS_PER_DOMAIN) {
		if (id >= 0)	/* not a pool id Xen would give: drop it */
			xtmem_hv_destroy_pool(id);
		else
			xtmem_count_error(slot, id);
		xtmem_count(slot, XTMEM_POOLS_FAILED);
		p->hv_id = -1;
		return id < 0 ? id : -ERANGE;
	}
	xtmem_count(slot, XTMEM_POOLS_CREATED);
	p->hv_id = id;
	return 0;
}

/*
 * Give a slot's hypervisor pool back. Write lock held. A slot never used
 * has hv_id 0 from static initialisation: only a slot in use has a pool.
 */
static void xtmem_pool_hv_destroy(int slot)
{
	struct xtmem_pool *p = &xtmem_pools[slot];

	if (!p->in_use || p->hv_id < 0)
		return;
	xtmem_hv_destroy_pool(p->hv_id);
	p->hv_id = -1;
}

/*
 * Is the frontswap pool still there? A flush of a key frontswap never
 * uses (its object ids have zero upper words) changes nothing and answers
 * -ENODEV only when the hypervisor has no such pool. Write lock held.
 */
static bool xtmem_pool_swap_lost(int slot)
{
	static const u64 unused_oid[3] = { ~0ULL, ~0ULL, ~0ULL };
	struct xtmem_pool *p = &xtmem_pools[XTMEM_SWAP];

	if (!p->in_use || p->hv_id < 0)
		return false;
	return slot == XTMEM_SWAP ||
	       xtmem_hv_flush_page(p->hv_id, unused_oid, ~0U) == -ENODEV;
}

/*
 * The hypervisor answered -ENODEV for a pool it should have: it has lost
 * its pools. Other slots' ids may be stale too, and a recreated pool could
 * get an id that another slot still holds, so drop them all before
 * creating any: every pool comes back empty, nothing stale survives.
 * The frontswap pool is kept while the hypervisor still has it (Xen
 * carries persistent pools across save/restore); if it is gone, the pages
 * swapped to it are lost, which only a loud message can report.
 */
static void xtmem_pool_recover(int slot, unsigned long gen)
{
	unsigned long flags;
	int i, made = 0, refused = 0;
	bool swap_lost = false;

	write_lock_irqsave(&xtmem_pool_lock, flags);
	if (gen != xtmem_pool_gen)	/* someone else recovered already */
		goto out;
	xtmem_pool_gen++;
	swap_lost = xtmem_pool_swap_lost(slot);
	if (swap_lost)
		xtmem_pools[XTMEM_SWAP].hv_id = -1;	/* nothing to destroy */
	for (i = 0; i < XTMEM_MAX_POOLS; i++)
		xtmem_pool_hv_destroy(i);
	if (swap_lost) {
		if (xtmem_pool_hv_create(XTMEM_SWAP)) {
			refused++;
		} else {
			made++;
			xtmem_count(XTMEM_SWAP, XTMEM_POOLS_RECREATED);
		}
	}
	if (!xtmem_param_enabled)
		goto out;
	for (i = 0; i < XTMEM_MAX_POOLS; i++) {
		if (!xtmem_pools[i].in_use)
			continue;
		if (xtmem_pool_hv_create(i)) {
			refused++;
		} else {
			made++;
			xtmem_count(i, XTMEM_POOLS_RECREATED);
		}
	}
out:
	write_unlock_irqrestore(&xtmem_pool_lock, flags);
	if (swap_lost)
		pr_crit("the hypervisor lost the frontswap pool: the pages swapped to it are gone, and a process that had one swapped out reads wrong memory; frontswap %s\n",
			xtmem_pools[XTMEM_SWAP].hv_id >= 0 ?
			"goes on with a new, empty pool" : "stores nothing more");
	if (made || refused)
		pr_warn_ratelimited("the hypervisor lost pool %d (answered -ENODEV): %d pools recreated empty, %d refused (those filesystems run uncached until remounted or enabled is set again)\n",
				    slot, made, refused);
}

/*
 * Begin a page operation: take the read lock and return the hypervisor
 * pool id, or -1 (lock not held) when the slot is not cached right now.
 * With the switch off, a persistent pool still answers loads and flushes:
 * its pages are nowhere else.
 */
static int xtmem_pool_begin(int slot, bool store, unsigned long *flags,
			    unsigned long *gen)
{
	struct xtmem_pool *p;

	if (slot < 0 || slot > XTMEM_SWAP)
		return -1;
	p = &xtmem_pools[slot];
	read_lock_irqsave(&xtmem_pool_lock, *flags);
	if (!p->in_use || p->hv_id < 0 ||
	    (!xtmem_param_enabled &&
	     (store || p->kind != XTMEM_KIND_PERSISTENT))) {
		read_unlock_irqrestore(&xtmem_pool_lock, *flags);
		return -1;
	}
	*gen = xtmem_pool_gen;
	return p->hv_id;
}

static void xtmem_pool_end(int slot, int ret, unsigned long flags,
			   unsigned long gen)
{
	read_unlock_irqrestore(&xtmem_pool_lock, flags);
	if (ret < 0)
		xtmem_count_error(slot, ret);
	if (ret == -ENODEV)
		xtmem_pool_recover(slot, gen);
}

/*
 * Put a page: 0 when the hypervisor holds it, else why not (-EAGAIN when
 * the slot is not cached now, or the hypervisor's answer). A failed put
 * is followed by a flush of the key, so that no older copy can be served
 * later, unless the caller knows that the hypervisor holds none (@fresh).
 */
int xtmem_pool_store(int slot, const u64 oid[3], u32 index,
		     struct page *page, bool fresh)
{
	unsigned long flags, gen;
	int id, ret;

	id = xtmem_pool_begin(slot, true, &flags, &gen);
	if (id < 0)
		return -EAGAIN;
	xtmem_count(slot, XTMEM_PUTS);
	ret = xtmem_hv_page(XTMEM_PUT_PAGE, id, oid, index, page);
	if (ret != 1) {
		xtmem_count(slot, XTMEM_PUT_FAILURES);
		/*
		 * Xen already drops the old copy when a duplicate put fails;
		 * flush it anyway so that no hypervisor can serve it later.
		 */
		if (ret != -ENODEV && !fresh)
			xtmem_hv_flush_page(id, oid, index);
	}
	xtmem_pool_end(slot, ret, flags, gen);
	return ret == 1 ? 0 : ret < 0 ? ret : -EIO;
}

/* Returns true when the hypervisor holds the page. */
bool xtmem_pool_put(int slot, const u64 oid[3], u32 index, struct page *page)
{
	return !xtmem_pool_store(slot, oid, index, page, false);
}

bool xtmem_pool_get(int slot, const u64 oid[3], u32 index, struct page *page)
{
	unsigned long flags, gen;
	int id, ret;

	id = xtmem_pool_begin(slot, false, &flags, &gen);
	if (id < 0)
		return false;
	xtmem_count(slot, XTMEM_GETS);
	ret = xtmem_hv_page(XTMEM_GET_PAGE, id, oid, index, page);
	xtmem_count(slot, ret == 1 ? XTMEM_HITS : XTMEM_MISSES);
	xtmem_pool_end(slot, ret, flags, gen);
	return ret == 1;
}

/* Flush one page, counted as @c. Never sleeps (the guard's probes). */
static void xtmem_pool_flush_counted(int slot, const u64 oid[3], u32 index,
				     enum xtmem_counter c)
{
	unsigned long flags, gen;
	int id, ret;

	id = xtmem_pool_begin(slot, false, &flags, &gen);
	if (id < 0)
		return;
	xtmem_count(slot, c);
	ret = xtmem_hv_flush_page(id, oid, index);
	xtmem_pool_end(slot, ret, flags, gen);
}

void xtmem_pool_flush_page(int slot, const u64 oid[3], u32 index)
{
	xtmem_pool_flush_counted(slot, oid, index, XTMEM_FLUSH_PAGES);
}

void xtmem_pool_guard_flush(int slot, const u64 oid[3], u32 index)
{
	xtmem_pool_flush_counted(slot, oid, index, XTMEM_GUARD_FLUSHES);
}

void xtmem_pool_flush_object(int slot, const u64 oid[3])
{
	unsigned long flags, gen;
	int id, ret;

	id = xtmem_pool_begin(slot, false, &flags, &gen);
	if (id < 0)
		return;
	xtmem_count(slot, XTMEM_FLUSH_INODES);
	ret = xtmem_hv_flush_object(id, oid);
	xtmem_pool_end(slot, ret, flags, gen);
}

/* The NEW_POOL uuid words and flags of a filesystem asking for a pool. */
static void xtmem_pool_setup(struct xtmem_pool *p, enum xtmem_pool_kind kind,
			     const u8 fs_uuid[16])
{
	u8 override[16];

	memset(p, 0, sizeof(*p));
	p->hv_id = -1;
	p->flags = XTMEM_POOL_FLAGS_FIXED(PAGE_SHIFT);
	if (kind != XTMEM_KIND_SHARED)
		return;
	if (!(xtmem_param_pool_flags() & XTMEM_POOL_SHARED)) {
		pr_info("a filesystem asked for a shared pool; pool_flags does not allow shared: private pool\n");
		return;
	}
	if (xtmem_param_shared_uuid(override)) {
		int i;

		for (i = 0; i < XTMEM_MAX_POOLS; i++)
			if (xtmem_pools[i].in_use &&
			    xtmem_pools[i].override_uuid)
				break;
		if (i < XTMEM_MAX_POOLS) {
			pr_warn("shared_uuid is already used by pool %d; a second filesystem would mix pages with it: private pool\n",
				i);
			return;
		}
		memcpy(p->uuid_bytes, override, 16);
		p->override_uuid = true;
		xtmem_uuid_to_tmem(override, p->uuid);
	} else {
		/* The in-tree driver's convention: native-endian halves. */
		memcpy(p->uuid_bytes, fs_uuid, 16);
		memcpy(p->uuid, fs_uuid, 16);
	}
	p->kind = XTMEM_KIND_SHARED;
	p->flags |= XTMEM_POOL_SHARED;
}

/*
 * A filesystem is mounted: find a slot and create its hypervisor pool.
 * Returns the slot (cleancache's pool id) or a negative errno, in which
 * case the filesystem runs uncached.
 */
int xtmem_pool_create(enum xtmem_pool_kind kind, const u8 fs_uuid[16])
{
	struct xtmem_pool p;
	unsigned long flags;
	int slot, ret = 0;

	mutex_lock(&xtmem_pool_mutex);
	for (slot = 0; slot < XTMEM_MAX_POOLS; slot++)
		if (!xtmem_pools[slot].in_use)
			break;
	if (slot == XTMEM_MAX_POOLS) {
		pr_warn("all %d pools are in use: this filesystem runs uncached\n",
			XTMEM_MAX_POOLS);
		ret = -ENOSPC;
		goto out;
	}
	xtmem_pool_setup(&p, kind, fs_uuid);
	xtmem_stats_reset(slot);
	write_lock_irqsave(&xtmem_pool_lock, flags);
	xtmem_pools[slot] = p;
	xtmem_pools[slot].in_use = true;
	if (xtmem_param_enabled)
		ret = xtmem_pool_hv_create(slot);
	if (ret)
		xtmem_pools[slot].in_use = false;
	write_unlock_irqrestore(&xtmem_pool_lock, flags);
	if (ret) {
		pr_warn("the hypervisor refused a pool (%d): this filesystem runs uncached\n",
			ret);
		goto out;
	}
	xtmem_sysfs_add_pool(slot);
	ret = slot;
out:
	mutex_unlock(&xtmem_pool_mutex);
	return ret;
}

/*
 * The frontswap pool, made at load when pool_flags has persist: 0, or the
 * hypervisor's refusal.
 */
int xtmem_pool_create_swap(void)
{
	struct xtmem_pool *p = &xtmem_pools[XTMEM_SWAP];
	unsigned long flags;
	int ret;

	mutex_lock(&xtmem_pool_mutex);
	write_lock_irqsave(&xtmem_pool_lock, flags);
	memset(p, 0, sizeof(*p));
	p->kind = XTMEM_KIND_PERSISTENT;
	p->flags = XTMEM_POOL_FLAGS_FIXED(PAGE_SHIFT) | XTMEM_POOL_PERSIST;
	p->in_use = true;
	ret = xtmem_pool_hv_create(XTMEM_SWAP);
	if (ret)
		p->in_use = false;
	write_unlock_irqrestore(&xtmem_pool_lock, flags);
	mutex_unlock(&xtmem_pool_mutex);
	return ret;
}

/*
 * A filesystem is unmounted: its pool goes away. Also drops the frontswap
 * pool (XTMEM_SWAP) when a load is refused after it was made.
 */
void xtmem_pool_destroy(int slot)
{
	unsigned long flags;

	if (slot < 0 || slot > XTMEM_SWAP)
		return;
	mutex_lock(&xtmem_pool_mutex);
	write_lock_irqsave(&xtmem_pool_lock, flags);
	if (xtmem_pools[slot].in_use) {
		xtmem_count(slot, XTMEM_FLUSH_FS);
		xtmem_pool_hv_destroy(slot);
		xtmem_pools[slot].in_use = false;
		xtmem_pools[slot].override_uuid = false;
	}
	write_unlock_irqrestore(&xtmem_pool_lock, flags);
	if (slot < XTMEM_MAX_POOLS)
		xtmem_sysfs_del_pool(slot);
	mutex_unlock(&xtmem_pool_mutex);
}

/*
 * The runtime switch. Off: every cleancache pool is destroyed, so the
 * hypervisor gets its memory back; puts stop and gets miss. On: every
 * mounted filesystem gets a new, empty pool. The frontswap pool stays:
 * off only stops new stores (xtmem_pool_begin()).
 */
int xtmem_pool_set_enabled(bool on)
{
	unsigned long flags;
	int i, failed = 0;

	mutex_lock(&xtmem_pool_mutex);
	write_lock_irqsave(&xtmem_pool_lock, flags);
	xtmem_pool_gen++;
	for (i = 0; i < XTMEM_MAX_POOLS; i++) {
		if (!xtmem_pools[i].in_use)
			continue;
		xtmem_pool_hv_destroy(i);
		if (on && xtmem_pool_hv_create(i))
			failed++;
	}
	xtmem_param_enabled = on;
	write_unlock_irqrestore(&xtmem_pool_lock, flags);
	mutex_unlock(&xtmem_pool_mutex);
	if (failed)
		pr_warn("enabled: the hypervisor refused %d pools; those filesystems run uncached\n",
			failed);
	pr_info("%s\n", on ? "enabled: pages go to the hypervisor again" :
		xtmem_pools[XTMEM_SWAP].in_use ?
		"disabled: cleancache pools flushed; swapped pages stay in the frontswap pool until swapped in, new ones go to the swap device" :
		"disabled: all hypervisor pools flushed");
	return 0;
}

bool xtmem_pool_info(int slot, struct xtmem_pool_info *info)
{
	struct xtmem_pool *p = &xtmem_pools[slot];
	unsigned long flags;

	read_lock_irqsave(&xtmem_pool_lock, flags);
	info->in_use = p->in_use;
	info->kind = p->kind;
	info->hv_id = p->hv_id;
	memcpy(info->uuid, p->uuid_bytes, 16);
	read_unlock_irqrestore(&xtmem_pool_lock, flags);
	return info->in_use;
}
