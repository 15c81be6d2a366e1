// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_emu: PUT/GET/FLUSH on the page store, the LRU and eviction.
 *
 * Every ephemeral page is on one global LRU list, oldest first, as in
 * Xen's tmem_global.ephemeral_page_list; persistent pages are never on it
 * and are never evicted. capacity_pages limits the ephemeral pages only:
 * an ephemeral PUT that finds them at the limit evicts the oldest one and
 * reuses its memory.
 *
 * Persistent pages are charged to the guest in Xen: their frames come
 * from the domain's own allocation, which fails once d->tot_pages reaches
 * d->max_pages. persist_capacity_pages is that room. A PUT of a new page
 * to a persistent pool at the limit answers -ENOMEM and evicts nothing;
 * lowering the limit drops nothing, only later puts fail.
 *
 * The balloon (emu_balloon.c) raises both limits by the pages it holds:
 * the guest gave those frames to the hypervisor's heap, and so has that
 * much more room under its max_pages too. When it shrinks, ephemeral
 * pages over the lower limit are evicted at once.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "emu_store.h"

static LIST_HEAD(xtemu_lru);

static struct xtemu_page *xtemu_lookup(struct xtemu_pool *pool,
				       const u64 *oid, u32 index)
{
	struct xtemu_obj *obj = xtemu_obj_find(pool, oid);

	return obj ? xtemu_page_find(obj, index) : NULL;
}

/* Take a page out of its object; the caller frees an emptied object. */
static void xtemu_page_unlink(struct xtemu_page *pg)
{
	hlist_del(&pg->hnode);
	list_del(&pg->obj_link);
	list_del(&pg->lru);
	pg->obj->pool->npages--;
	xtemu_stats.pages--;
	if (pg->obj->pool->persistent)
		xtemu_stats.persist_pages--;
	else if (pg->heap)
		xtemu_balloon_eph--;
}

/* Remove one page, and its object if that was the object's last page. */
static void xtemu_page_drop(struct xtemu_page *pg)
{
	struct xtemu_obj *obj = pg->obj;

	xtemu_page_unlink(pg);
	xtemu_page_release(pg);
	if (list_empty(&obj->pages))
		xtemu_obj_free(obj);
}

static void xtemu_obj_destroy(struct xtemu_obj *obj)
{
	struct xtemu_page *pg, *tmp;

	list_for_each_entry_safe(pg, tmp, &obj->pages, obj_link) {
		xtemu_page_unlink(pg);
		xtemu_page_release(pg);
	}
	xtemu_obj_free(obj);
}

/* Pages held in ephemeral pools, the ones capacity_pages limits. */
u64 xtemu_store_eph_pages(void)
{
	return xtemu_stats.pages - xtemu_stats.persist_pages;
}

/* The limit on them: capacity_pages and the frames the balloon gave. */
static u64 xtemu_store_eph_limit(void)
{
	return (u64)xtemu_capacity + xtemu_stats.balloon_pages;
}

/*
 * Would the persistent limit refuse a PUT to @pool? A new page needs a
 * free page of room (Xen: d->tot_pages < d->max_pages; a guest that
 * ballooned down has that much more room). A duplicate
 * (@dup): do_tmem_dup_put frees the old frame first and then allocates
 * the new one, so it needs room once its own page is given back; it only
 * fails when the limit was lowered below the pages held.
 */
bool xtemu_store_persist_full(const struct xtemu_pool *pool, bool dup)
{
	u64 held = xtemu_stats.persist_pages;

	if (!pool->persistent)
		return false;
	if (dup)
		held--;
	return held >= (u64)xtemu_persist_capacity +
		       xtemu_stats.balloon_pages;
}

/* Evict the oldest ephemeral page and hand it over, or NULL. */
static struct xtemu_page *xtemu_evict_take(void)
{
	struct xtemu_page *pg;
	struct xtemu_obj *obj;

	pg = list_first_entry_or_null(&xtemu_lru, struct xtemu_page, lru);
	if (!pg)
		return NULL;
	obj = pg->obj;
	xtemu_page_unlink(pg);
	if (list_empty(&obj->pages))
		xtemu_obj_free(obj);
	xtemu_stats.evictions++;
	return pg;
}

/* Evict up to nr of the oldest ephemeral pages; returns how many went. */
unsigned long xtemu_store_evict(unsigned long nr)
{
	struct xtemu_page *pg;
	unsigned long done;

	lockdep_assert_held(&xtemu_lock);
	for (done = 0; done < nr; done++) {
		pg = xtemu_evict_take();
		if (!pg)
			break;
		xtemu_page_release(pg);
	}
	return done;
}

/* Evict ephemeral pages down to their limit, which was lowered. */
void xtemu_store_evict_to_limit(void)
{
	u64 eph = xtemu_store_eph_pages(), limit = xtemu_store_eph_limit();

	lockdep_assert_held(&xtemu_lock);
	if (eph > limit)
		xtemu_store_evict(eph - limit);
}

/*
 * Memory for one more page. Ephemeral: below their limit (capacity_pages
 * and the balloon's pages) it is allocated, at the limit the oldest
 * ephemeral page is evicted and reused.
 * Persistent pages do not count against capacity_pages (the caller
 * checked persist_capacity_pages). For both, an allocation failure
 * evicts an ephemeral page, as Xen evicts before a put when its heap runs
 * short; a persistent page is never evicted.
 */
static struct xtemu_page *xtemu_page_room(bool persistent)
{
	u64 limit = xtemu_store_eph_limit();
	struct xtemu_page *pg;

	while (!persistent && xtemu_store_eph_pages() >= limit) {
		pg = xtemu_evict_take();
		if (!pg)
			return NULL;
		if (xtemu_store_eph_pages() < limit)
			return pg;
		xtemu_page_release(pg);
	}
	pg = xtemu_page_alloc();
	return pg ? pg : xtemu_evict_take();
}

/*
 * Whole-page copies with copy_page(), as Xen copies frames with its page
 * copy routine; the store's pages come from __get_free_page(), aligned.
 */
static void xtemu_copy_from_frame(void *dst, struct page *frame)
{
	void *src = kmap_atomic(frame);

	copy_page(dst, src);
	kunmap_atomic(src);
}

static void xtemu_copy_to_frame(struct page *frame, const void *src)
{
	void *dst = kmap_atomic(frame);

	copy_page(dst, (void *)src);
	kunmap_atomic(dst);
}

/*
 * PUT_PAGE (do_tmem_put, do_tmem_dup_put). A duplicate is replaced in
 * place and needs no memory; if it cannot be replaced, the old copy is
 * flushed (-ENOSPC, or -EFAULT for a bad frame): Xen never fails a put
 * and leaves the old data readable. A persistent duplicate cannot be
 * replaced when persist_capacity_pages was lowered below the pages held
 * (Xen frees the old frame, then fails to allocate the new one): -ENOSPC,
 * old copy gone. A new persistent page at the limit: -ENOMEM.
 */
int xtemu_store_put(struct xtemu_pool *pool, const u64 *oid, u32 index,
		    struct page *frame, int fault)
{
	struct xtemu_obj *obj;
	struct xtemu_page *pg;
	u64 evictions;

	lockdep_assert_held(&xtemu_lock);
	if (fault == -EFAULT)
		frame = NULL;
	obj = xtemu_obj_find(pool, oid);
	pg = obj ? xtemu_page_find(obj, index) : NULL;
	if (pg) {
		if (fault == -ENOMEM || fault == -ENOSPC ||
		    xtemu_store_persist_full(pool, true)) {
			xtemu_page_drop(pg);
			return -ENOSPC;
		}
		if (!frame) {
			xtemu_page_drop(pg);
			return -EFAULT;
		}
		xtemu_copy_from_frame(pg->data, frame);
		return 1;
	}
	if (fault == -ENOSPC)
		fault = -ENOMEM;
	if (fault && fault != -EFAULT)
		return fault;
	/* Xen allocates the frame before it copies: -ENOMEM comes first. */
	if (xtemu_store_persist_full(pool, false)) {
		xtemu_stats.persist_puts_enomem++;
		return -ENOMEM;
	}
	if (!frame)
		return -EFAULT;

	evictions = xtemu_stats.evictions;
	pg = xtemu_page_room(pool->persistent);
	if (!pg)
		return -ENOMEM;
	/* An eviction may have freed the object found above. */
	if (obj && xtemu_stats.evictions != evictions)
		obj = xtemu_obj_find(pool, oid);
	if (!obj) {
		obj = xtemu_obj_new(pool, oid);
		if (!obj) {
			xtemu_page_release(pg);
			return -ENOMEM;
		}
	}

	xtemu_copy_from_frame(pg->data, frame);
	pg->obj = obj;
	pg->index = index;
	xtemu_page_hash(pg);
	list_add_tail(&pg->obj_link, &obj->pages);
	if (pool->persistent) {
		INIT_LIST_HEAD(&pg->lru);	/* never evicted */
		xtemu_stats.persist_pages++;
	} else {
		list_add_tail(&pg->lru, &xtemu_lru);
		if (pg->heap)
			xtemu_balloon_eph++;
	}
	pool->npages++;
	xtemu_stats.pages++;
	return 1;
}

/*
 * GET_PAGE (do_tmem_get): -EEMPTY for a pool without pages (checked
 * first), 0 for a miss, 1 for a hit. A private ephemeral pool gives the
 * page away (exclusive get); shared and persistent pools keep it, and a
 * shared hit makes the page the most recently used.
 */
int xtemu_store_get(struct xtemu_pool *pool, const u64 *oid, u32 index,
		    struct page *frame, int fault)
{
	struct xtemu_page *pg;
	bool exclusive = !pool->shared && !pool->persistent;

	lockdep_assert_held(&xtemu_lock);
	if (!pool->npages)
		return -XTMEM_EEMPTY;
	if (fault && fault != -EFAULT)
		return fault;
	pg = xtemu_lookup(pool, oid, index);
	if (!pg)
		return 0;
	if (fault == -EFAULT)
		frame = NULL;
	if (!frame) {
		/* Xen 4.12 unlinks before copying and loses the page. */
		if (exclusive)
			xtemu_page_drop(pg);
		return -EFAULT;
	}
	xtemu_copy_to_frame(frame, pg->data);
	if (exclusive)
		xtemu_page_drop(pg);
	else if (!pool->persistent)
		list_move_tail(&pg->lru, &xtemu_lru);
	return 1;
}

void xtemu_store_flush_page(struct xtemu_pool *pool, const u64 *oid,
			    u32 index)
{
	struct xtemu_page *pg;

	lockdep_assert_held(&xtemu_lock);
	pg = xtemu_lookup(pool, oid, index);
	if (pg)
		xtemu_page_drop(pg);
}

void xtemu_store_flush_object(struct xtemu_pool *pool, const u64 *oid)
{
	struct xtemu_obj *obj;

	lockdep_assert_held(&xtemu_lock);
	obj = xtemu_obj_find(pool, oid);
	if (obj)
		xtemu_obj_destroy(obj);
}

void xtemu_store_flush_pool(struct xtemu_pool *pool)
{
	struct xtemu_obj *obj, *tmp;

	lockdep_assert_held(&xtemu_lock);
	list_for_each_entry_safe(obj, tmp, &pool->objs, pool_link)
		xtemu_obj_destroy(obj);
}

/* Pages the hash tables are sized for: both limits, saturated. */
unsigned int xtemu_store_size(unsigned int capacity, unsigned int persist)
{
	return min_t(u64, (u64)capacity + persist, UINT_MAX);
}

/*
 * capacity_pages or persist_capacity_pages was written (both callers hold
 * kernel_param_lock, so the limits do not change under us): set them,
 * evict ephemeral pages down to their limit at once, and size the hash
 * tables for both. Persistent pages are never dropped here. If new tables
 * cannot be allocated, the old ones stay (slower, still correct).
 */
static void xtemu_store_set_limits(unsigned int capacity,
				   unsigned int persist)
{
	struct xtemu_table t;
	unsigned long flags;
	bool resize;

	resize = !xtemu_table_alloc(&t, xtemu_store_size(capacity, persist));

	spin_lock_irqsave(&xtemu_lock, flags);
	xtemu_capacity = capacity;
	xtemu_persist_capacity = persist;
	xtemu_store_evict_to_limit();
	if (resize)
		xtemu_table_swap(&t);
	spin_unlock_irqrestore(&xtemu_lock, flags);

	if (resize)
		xtemu_table_free(&t);	/* the old tables */
}

void xtemu_store_set_capacity(unsigned int capacity)
{
	xtemu_store_set_limits(capacity, READ_ONCE(xtemu_persist_capacity));
}

void xtemu_store_set_persist_capacity(unsigned int capacity)
{
	xtemu_store_set_limits(READ_ONCE(xtemu_capacity), capacity);
}
