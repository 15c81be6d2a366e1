/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen_tmem_emu: the page store's records, shared by emu_table.c (hash
 * tables and memory) and emu_store.c (tmem semantics, LRU, eviction).
 * Everything is under xtemu_lock unless noted.
 */
#ifndef XTEMU_EMU_STORE_H
#define XTEMU_EMU_STORE_H

#include <linux/list.h>
#include <linux/types.h>

#include "emu.h"

/* A tmem object: the pages of one (pool, oid). */
struct xtemu_obj {
	struct hlist_node hnode;	/* in the object hash table */
	struct list_head pool_link;	/* in pool->objs */
	struct list_head pages;		/* struct xtemu_page, by obj_link */
	struct xtemu_pool *pool;
	u64 oid[3];
};

/* One stored page of an object. */
struct xtemu_page {
	struct hlist_node hnode;	/* in the page hash table */
	struct list_head obj_link;	/* in obj->pages */
	struct list_head lru;		/* ephemeral LRU or spare list */
	struct xtemu_obj *obj;
	void *data;			/* PAGE_SIZE bytes */
	u32 index;
	bool heap;			/* data is a balloon page */
};

/* A pair of hash tables of 2^bits buckets each. */
struct xtemu_table {
	struct hlist_head *objs;
	struct hlist_head *pages;
	unsigned int bits;
};

/* emu_table.c */
struct xtemu_obj *xtemu_obj_find(struct xtemu_pool *pool, const u64 *oid);
struct xtemu_obj *xtemu_obj_new(struct xtemu_pool *pool, const u64 *oid);
void xtemu_obj_free(struct xtemu_obj *obj);
struct xtemu_page *xtemu_page_find(struct xtemu_obj *obj, u32 index);
void xtemu_page_hash(struct xtemu_page *pg);
struct xtemu_page *xtemu_page_alloc(void);
void xtemu_page_release(struct xtemu_page *pg);
/* Process context: new tables for a capacity; -EEXIST if same size. */
int xtemu_table_alloc(struct xtemu_table *t, unsigned int capacity);
/* Under xtemu_lock: move every entry into *t, which gets the old tables. */
void xtemu_table_swap(struct xtemu_table *t);
void xtemu_table_free(struct xtemu_table *t);

#endif /* XTEMU_EMU_STORE_H */
