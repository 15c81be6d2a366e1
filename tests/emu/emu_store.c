// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_emu: PUT/GET/FLUSH on the page store, the LRU and eviction.
 *
 * Every ephemeral page is on one global LRU list, oldest first, as in
 * Xen's tmem_global.ephemeral_page_list; persistent pages are never on it
 * and are never evicted. A PUT that finds the store at capacity_pages
 * evicts the oldest ephemeral page and reuses its memory.
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

/*
 * Memory for one more page: below capacity it is allocated, at capacity
 * the oldest ephemeral page is evicted and reused. An allocation failure
 * also evicts, as Xen evicts before a put when it runs short.
 */
static struct xtemu_page *xtemu_page_room(void)
{
	struct xtemu_page *pg;

	while (xtemu_stats.pages >= xtemu_capacity) {
		pg = xtemu_evict_take();
		if (!pg)
			return NULL;
		if (xtemu_stats.pages < xtemu_capacity)
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
 * and leaves the old data readable.
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
		if (fault == -ENOMEM || fault == -ENOSPC) {
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
	if (!frame)
		return -EFAULT;

	evictions = xtemu_stats.evictions;
	pg = xtemu_page_room();
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
	if (pool->persistent)
		INIT_LIST_HEAD(&pg->lru);
	else
		list_add_tail(&pg->lru, &xtemu_lru);
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

/*
 * capacity_pages was written: evict down to the new limit at once, and
 * size the hash tables for it. If new tables cannot be allocated, the
 * old ones stay (slower, still correct).
 */
void xtemu_store_set_capacity(unsigned int capacity)
{
	struct xtemu_table t;
	unsigned long flags;
	bool resize;

	resize = !xtemu_table_alloc(&t, capacity);

	spin_lock_irqsave(&xtemu_lock, flags);
	xtemu_capacity = capacity;
	if (xtemu_stats.pages > capacity)
		xtemu_store_evict(xtemu_stats.pages - capacity);
	if (resize)
		xtemu_table_swap(&t);
	spin_unlock_irqrestore(&xtemu_lock, flags);

	if (resize)
		xtemu_table_free(&t);	/* the old tables */
}
