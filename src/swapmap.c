// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: per swap area, the offsets whose page the hypervisor holds.
 *
 * frontswap keeps one bitmap per swap area of the pages that *some*
 * backend holds, and on a load or an invalidate of such a page it asks
 * every backend in turn. With zswap beside xen_tmem, each page zswap
 * holds would cost xen_tmem a hypercall that misses. This record lets
 * load and invalidate_page answer "not here" without one.
 *
 * It must never miss a page the hypervisor holds: a load answered "not
 * here" for such a page would let the kernel read a swap slot that was
 * never written. So a bit is set before the put and cleared only after
 * the put failed, or before the flush. Bits set for pages the hypervisor
 * no longer has (it lost the pool) only cost a get that misses.
 *
 * ops->init() is told the swap type, not the size of the area (that is in
 * struct swap_info_struct, which a module cannot look up), so the record
 * is a directory of one-page chunks, each for PAGE_SIZE * 8 offsets
 * (128 MiB of swap with 4 KiB pages), made when a store first lands in
 * the chunk's range: a 64 GiB swap area costs at most 512 chunks (2 MiB,
 * one bit per slot) and a 4 KiB directory, and only the part of the area
 * that is used is paid for. Stores run in reclaim, so the allocations
 * neither sleep nor reclaim (GFP_NOWAIT; reclaim's PF_MEMALLOC gives them
 * the reserves); one that fails costs that one store, which goes on to
 * the next backend or the swap device (counted in store_nomap).
 *
 * Lookups take no lock: the directory is RCU-protected, grows by being
 * replaced, and is only ever changed in place to fill an empty entry.
 * Chunks live until invalidate_area, when the kernel has emptied the area
 * already; even then they are freed after an RCU grace period, with the
 * directory that points to them.
 */
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/swap.h>

#include "xtmem.h"

#define XTMEM_CHUNK_BITS	(PAGE_SIZE * BITS_PER_BYTE)
#define XTMEM_DIR_MIN		16	/* entries of a first directory */
#define XTMEM_MAP_GFP		(GFP_NOWAIT | __GFP_NOWARN)

struct xtmem_swapdir {
	struct rcu_head rcu;
	unsigned long nr;		/* entries in chunk[] */
	unsigned long *chunk[];
};

static struct xtmem_swapdir __rcu *xtmem_swapdirs[MAX_SWAPFILES];
static DEFINE_SPINLOCK(xtmem_swapmap_lock);	/* changes to the above */
static atomic_long_t xtmem_map_bytes;
static atomic_long_t xtmem_map_held;

static size_t xtmem_swapdir_size(unsigned long nr)
{
	return sizeof(struct xtmem_swapdir) + nr * sizeof(unsigned long *);
}

/* The chunk of @offset, or NULL. Under rcu_read_lock(). */
static unsigned long *xtmem_swapmap_chunk(unsigned int type, pgoff_t offset)
{
	struct xtmem_swapdir *dir;
	unsigned long ci = offset / XTMEM_CHUNK_BITS;

	if (type >= MAX_SWAPFILES)
		return NULL;
	dir = rcu_dereference(xtmem_swapdirs[type]);
	if (!dir || ci >= dir->nr)
		return NULL;
	/* Pairs with the release in grow(): the chunk is zeroed first. */
	return smp_load_acquire(&dir->chunk[ci]);
}

/* Make the chunk of @offset exist. Never sleeps. */
static bool xtmem_swapmap_grow(unsigned int type, pgoff_t offset)
{
	struct xtmem_swapdir *dir, *old;
	unsigned long ci = offset / XTMEM_CHUNK_BITS, nr;
	unsigned long *chunk;
	bool ok = false;

	chunk = kzalloc(PAGE_SIZE, XTMEM_MAP_GFP);
	if (!chunk)
		return false;
	spin_lock(&xtmem_swapmap_lock);
	old = rcu_dereference_protected(xtmem_swapdirs[type],
			lockdep_is_held(&xtmem_swapmap_lock));
	dir = old;
	if (!dir || ci >= dir->nr) {
		nr = max(ci + 1, old ? 2 * old->nr : XTMEM_DIR_MIN);
		dir = kzalloc(xtmem_swapdir_size(nr), XTMEM_MAP_GFP);
		if (!dir)
			goto out;
		dir->nr = nr;
		if (old)
			memcpy(dir->chunk, old->chunk,
			       old->nr * sizeof(old->chunk[0]));
		rcu_assign_pointer(xtmem_swapdirs[type], dir);
		atomic_long_add(xtmem_swapdir_size(nr), &xtmem_map_bytes);
		if (old) {
			atomic_long_sub(xtmem_swapdir_size(old->nr),
					&xtmem_map_bytes);
			kfree_rcu(old, rcu);
		}
	}
	if (!dir->chunk[ci]) {
		/* Lockless readers see the chunk's zeroes before the pointer. */
		smp_store_release(&dir->chunk[ci], chunk);
		atomic_long_add(PAGE_SIZE, &xtmem_map_bytes);
		chunk = NULL;
	}
	ok = true;
out:
	spin_unlock(&xtmem_swapmap_lock);
	kfree(chunk);
	return ok;
}

/*
 * Mark @offset held, before its put: 1 when it was not, 0 when it was
 * already (a put over a page the hypervisor may hold), -ENOMEM when the
 * record could not grow (then the page must not be put).
 */
int xtmem_swapmap_mark(unsigned int type, pgoff_t offset)
{
	unsigned long *chunk;
	bool was;

	rcu_read_lock();
	chunk = xtmem_swapmap_chunk(type, offset);
	if (!chunk) {
		rcu_read_unlock();
		if (type >= MAX_SWAPFILES || !xtmem_swapmap_grow(type, offset))
			return -ENOMEM;
		rcu_read_lock();
		chunk = xtmem_swapmap_chunk(type, offset);
		if (!chunk) {	/* dropped meanwhile: swapoff */
			rcu_read_unlock();
			return -ENOMEM;
		}
	}
	was = test_and_set_bit(offset % XTMEM_CHUNK_BITS, chunk);
	rcu_read_unlock();
	if (!was)
		atomic_long_inc(&xtmem_map_held);
	return !was;
}

/* Does the hypervisor hold @offset (as far as this module knows)? */
bool xtmem_swapmap_test(unsigned int type, pgoff_t offset)
{
	unsigned long *chunk;
	bool held;

	rcu_read_lock();
	chunk = xtmem_swapmap_chunk(type, offset);
	held = chunk && test_bit(offset % XTMEM_CHUNK_BITS, chunk);
	rcu_read_unlock();
	return held;
}

/* Forget @offset; returns whether it was marked. */
bool xtmem_swapmap_clear(unsigned int type, pgoff_t offset)
{
	unsigned long *chunk;
	bool was;

	rcu_read_lock();
	chunk = xtmem_swapmap_chunk(type, offset);
	was = chunk && test_and_clear_bit(offset % XTMEM_CHUNK_BITS, chunk);
	rcu_read_unlock();
	if (was)
		atomic_long_dec(&xtmem_map_held);
	return was;
}

static void xtmem_swapdir_free(struct rcu_head *rcu)
{
	struct xtmem_swapdir *dir = container_of(rcu, struct xtmem_swapdir,
						 rcu);
	unsigned long i;

	for (i = 0; i < dir->nr; i++)
		kfree(dir->chunk[i]);
	kfree(dir);
}

/*
 * Forget a whole swap area (swapoff, or a swapon that reuses its type);
 * returns how many of its offsets were marked. Never sleeps: frontswap
 * may call it with spinlocks held.
 */
unsigned long xtmem_swapmap_drop(unsigned int type)
{
	struct xtmem_swapdir *dir;
	unsigned long i, bytes, held = 0;

	if (type >= MAX_SWAPFILES)
		return 0;
	spin_lock(&xtmem_swapmap_lock);
	dir = rcu_dereference_protected(xtmem_swapdirs[type],
			lockdep_is_held(&xtmem_swapmap_lock));
	RCU_INIT_POINTER(xtmem_swapdirs[type], NULL);
	spin_unlock(&xtmem_swapmap_lock);
	if (!dir)
		return 0;
	bytes = xtmem_swapdir_size(dir->nr);
	for (i = 0; i < dir->nr; i++) {
		if (!dir->chunk[i])
			continue;
		bytes += PAGE_SIZE;
		held += bitmap_weight(dir->chunk[i], XTMEM_CHUNK_BITS);
	}
	atomic_long_sub(held, &xtmem_map_held);
	atomic_long_sub(bytes, &xtmem_map_bytes);
	call_rcu(&dir->rcu, xtmem_swapdir_free);
	return held;
}

/* Pages marked held, over every swap area. */
unsigned long xtmem_swapmap_held_pages(void)
{
	return max(atomic_long_read(&xtmem_map_held), 0L);
}

/* Memory the record takes, in bytes. */
unsigned long xtmem_swapmap_bytes(void)
{
	return max(atomic_long_read(&xtmem_map_bytes), 0L);
}
