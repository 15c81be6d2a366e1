// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_emu: hash tables and memory of the page store.
 *
 * Two fixed-size hash tables, both under xtemu_lock:
 *  - objects, keyed by (pool, oid[3]); each object lists its pages, so
 *    FLUSH_OBJECT and pool destruction cost one lookup plus the pages;
 *  - pages, keyed by (object, index).
 * The tables have one bucket per page of capacity (a power of two between
 * 2^XTEMU_HASH_MIN_BITS and 2^XTEMU_HASH_MAX_BITS). Inserting never
 * allocates table memory, so it is safe with interrupts off; the tables
 * are resized only when capacity_pages is written (process context).
 *
 * A new page's data comes from the balloon's heap list first
 * (emu_balloon.c), as Xen stores tmem pages in the frames that guests
 * ballooned out; such a page (pg->heap) gives its data back to that list
 * when it is released. Other freed pages go to a small spare list first,
 * so that the put/get cycle of a private ephemeral pool does not go
 * through the allocators each time.
 */
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "emu_store.h"

#define XTEMU_HASH_MIN_BITS	10
#define XTEMU_HASH_MAX_BITS	20
#define XTEMU_SPARE_MAX		32

static struct kmem_cache *xtemu_obj_cache;
static struct kmem_cache *xtemu_page_cache;
static struct xtemu_table xtemu_table;
static LIST_HEAD(xtemu_spare);
static unsigned int xtemu_nr_spare;

static unsigned int xtemu_bits_for(unsigned int capacity)
{
	unsigned int bits = capacity > 1 ? order_base_2(capacity) : 0;

	return clamp_t(unsigned int, bits, XTEMU_HASH_MIN_BITS,
		       XTEMU_HASH_MAX_BITS);
}

static struct hlist_head *xtemu_obj_bucket(const struct xtemu_table *t,
					   const struct xtemu_pool *pool,
					   const u64 *oid)
{
	u32 hash = jhash2((const u32 *)oid, 6, hash_ptr(pool, 32));

	return &t->objs[hash & ((1U << t->bits) - 1)];
}

static struct hlist_head *xtemu_page_bucket(const struct xtemu_table *t,
					    const struct xtemu_obj *obj,
					    u32 index)
{
	u32 hash = jhash_2words(hash_ptr(obj, 32), index, 0);

	return &t->pages[hash & ((1U << t->bits) - 1)];
}

struct xtemu_obj *xtemu_obj_find(struct xtemu_pool *pool, const u64 *oid)
{
	struct xtemu_obj *obj;

	hlist_for_each_entry(obj, xtemu_obj_bucket(&xtemu_table, pool, oid),
			     hnode)
		if (obj->pool == pool && obj->oid[0] == oid[0] &&
		    obj->oid[1] == oid[1] && obj->oid[2] == oid[2])
			return obj;
	return NULL;
}

struct xtemu_obj *xtemu_obj_new(struct xtemu_pool *pool, const u64 *oid)
{
	struct xtemu_obj *obj = kmem_cache_alloc(xtemu_obj_cache, XTEMU_GFP);

	if (!obj)
		return NULL;
	obj->pool = pool;
	memcpy(obj->oid, oid, sizeof(obj->oid));
	INIT_LIST_HEAD(&obj->pages);
	list_add_tail(&obj->pool_link, &pool->objs);
	hlist_add_head(&obj->hnode, xtemu_obj_bucket(&xtemu_table, pool, oid));
	return obj;
}

void xtemu_obj_free(struct xtemu_obj *obj)
{
	hlist_del(&obj->hnode);
	list_del(&obj->pool_link);
	kmem_cache_free(xtemu_obj_cache, obj);
}

struct xtemu_page *xtemu_page_find(struct xtemu_obj *obj, u32 index)
{
	struct xtemu_page *pg;

	hlist_for_each_entry(pg, xtemu_page_bucket(&xtemu_table, obj, index),
			     hnode)
		if (pg->obj == obj && pg->index == index)
			return pg;
	return NULL;
}

/* Make pg findable by (pg->obj, pg->index). */
void xtemu_page_hash(struct xtemu_page *pg)
{
	hlist_add_head(&pg->hnode,
		       xtemu_page_bucket(&xtemu_table, pg->obj, pg->index));
}

/*
 * A page record with its data: a balloon page, else from the spare list
 * or the allocators. Spare records never hold a balloon page.
 */
struct xtemu_page *xtemu_page_alloc(void)
{
	struct xtemu_page *pg;
	void *data = xtemu_heap_take();

	if (data) {
		pg = kmem_cache_alloc(xtemu_page_cache, XTEMU_GFP);
		if (!pg) {
			xtemu_heap_give(data);
			return NULL;
		}
		pg->data = data;
		pg->heap = true;
		return pg;
	}
	pg = list_first_entry_or_null(&xtemu_spare, struct xtemu_page, lru);
	if (pg) {
		list_del(&pg->lru);
		xtemu_nr_spare--;
		return pg;
	}
	pg = kmem_cache_alloc(xtemu_page_cache, XTEMU_GFP);
	if (!pg)
		return NULL;
	pg->data = (void *)__get_free_page(XTEMU_GFP);
	if (!pg->data) {
		kmem_cache_free(xtemu_page_cache, pg);
		return NULL;
	}
	pg->heap = false;
	return pg;
}

/* Give back a page record that is in no table or list. */
void xtemu_page_release(struct xtemu_page *pg)
{
	if (pg->heap) {
		/* Back to the hypervisor's heap, not to the guest. */
		xtemu_heap_give(pg->data);
		kmem_cache_free(xtemu_page_cache, pg);
		return;
	}
	if (xtemu_nr_spare < XTEMU_SPARE_MAX) {
		list_add(&pg->lru, &xtemu_spare);
		xtemu_nr_spare++;
		return;
	}
	free_page((unsigned long)pg->data);
	kmem_cache_free(xtemu_page_cache, pg);
}

int xtemu_table_alloc(struct xtemu_table *t, unsigned int capacity)
{
	size_t n;

	might_sleep();
	t->bits = xtemu_bits_for(capacity);
	if (t->bits == READ_ONCE(xtemu_table.bits))
		return -EEXIST;
	n = 1UL << t->bits;
	t->objs = kvmalloc_array(n, sizeof(*t->objs), GFP_KERNEL);
	t->pages = kvmalloc_array(n, sizeof(*t->pages), GFP_KERNEL);
	if (!t->objs || !t->pages) {
		xtemu_table_free(t);
		return -ENOMEM;
	}
	while (n--) {
		INIT_HLIST_HEAD(&t->objs[n]);
		INIT_HLIST_HEAD(&t->pages[n]);
	}
	return 0;
}

void xtemu_table_swap(struct xtemu_table *t)
{
	unsigned int i, n = 1U << xtemu_table.bits;
	struct hlist_node *tmp;
	struct xtemu_page *pg;
	struct xtemu_obj *obj;

	lockdep_assert_held(&xtemu_lock);
	for (i = 0; i < n; i++) {
		hlist_for_each_entry_safe(obj, tmp, &xtemu_table.objs[i],
					  hnode) {
			hlist_del(&obj->hnode);
			hlist_add_head(&obj->hnode,
				       xtemu_obj_bucket(t, obj->pool,
							obj->oid));
		}
		hlist_for_each_entry_safe(pg, tmp, &xtemu_table.pages[i],
					  hnode) {
			hlist_del(&pg->hnode);
			hlist_add_head(&pg->hnode,
				       xtemu_page_bucket(t, pg->obj,
							 pg->index));
		}
	}
	swap(xtemu_table, *t);
}

void xtemu_table_free(struct xtemu_table *t)
{
	kvfree(t->objs);
	kvfree(t->pages);
	t->objs = NULL;
	t->pages = NULL;
}

int xtemu_store_init(unsigned int capacity)
{
	struct xtemu_table t;

	xtemu_obj_cache = KMEM_CACHE(xtemu_obj, 0);
	xtemu_page_cache = KMEM_CACHE(xtemu_page, 0);
	if (!xtemu_obj_cache || !xtemu_page_cache)
		goto err;
	/* No table yet (bits 0), so any size is a new one. */
	if (xtemu_table_alloc(&t, capacity))
		goto err;
	xtemu_table = t;
	return 0;

err:
	kmem_cache_destroy(xtemu_page_cache);
	kmem_cache_destroy(xtemu_obj_cache);
	return -ENOMEM;
}

/* All pools must be gone; frees the spare pages and the tables. */
void xtemu_store_exit(void)
{
	struct xtemu_page *pg, *tmp;

	list_for_each_entry_safe(pg, tmp, &xtemu_spare, lru) {
		free_page((unsigned long)pg->data);
		kmem_cache_free(xtemu_page_cache, pg);
	}
	INIT_LIST_HEAD(&xtemu_spare);
	xtemu_nr_spare = 0;
	xtemu_table_free(&xtemu_table);
	kmem_cache_destroy(xtemu_page_cache);
	kmem_cache_destroy(xtemu_obj_cache);
}
