// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: statistics in sysfs, readable without debugfs:
 *
 *   /sys/kernel/mm/xen_tmem/version, transport
 *   /sys/kernel/mm/xen_tmem/total/<counter>
 *   /sys/kernel/mm/xen_tmem/pools/<slot>/<counter>, kind, uuid, hv_pool
 *   /sys/kernel/mm/xen_tmem/frontswap/<counter>, hv_pool, held_pages,
 *	map_bytes, backoff_window (with persist)
 *   /sys/kernel/mm/xen_tmem/hypercalls/<tmem command>, total, failed
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "parse.h"
#include "xtmem.h"

struct xtmem_kobj {
	struct kobject kobj;
	int slot;		/* a pool slot, or XTMEM_TOTAL */
};

struct xtmem_attr {
	struct attribute attr;
	int counter;		/* enum xtmem_counter, or -1 */
	ssize_t (*show)(struct xtmem_kobj *xk, char *buf);
};

static struct kobject *xtmem_root;
static struct kobject *xtmem_pools_dir;
static struct xtmem_kobj *xtmem_total;
static struct xtmem_kobj *xtmem_swap;
static struct xtmem_kobj *xtmem_pool_kobjs[XTMEM_MAX_POOLS];

static ssize_t xtmem_attr_show(struct kobject *kobj, struct attribute *attr,
			       char *buf)
{
	struct xtmem_kobj *xk = container_of(kobj, struct xtmem_kobj, kobj);
	struct xtmem_attr *xa = container_of(attr, struct xtmem_attr, attr);

	if (xa->counter >= 0)
		return sprintf(buf, "%llu\n",
			       (unsigned long long)xtmem_stat(xk->slot,
							      xa->counter));
	return xa->show(xk, buf);
}

static const struct sysfs_ops xtmem_sysfs_ops = {
	.show = xtmem_attr_show,
};

static void xtmem_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct xtmem_kobj, kobj));
}

static struct kobj_type xtmem_ktype = {
	.sysfs_ops = &xtmem_sysfs_ops,
	.release = xtmem_kobj_release,
};

static struct xtmem_attr xtmem_counter_attrs[XTMEM_NR_CC_COUNTERS];
static struct attribute *xtmem_counter_list[XTMEM_NR_CC_COUNTERS + 1];
static const struct attribute_group xtmem_counter_group = {
	.attrs = xtmem_counter_list,
};

/* The frontswap directory names the counters in frontswap's words. */
static const struct {
	const char *name;
	enum xtmem_counter counter;
} xtmem_swap_names[] = {
	{ "stores", XTMEM_PUTS },
	{ "store_failures", XTMEM_PUT_FAILURES },
	{ "refused", XTMEM_REFUSED },
	{ "store_skipped", XTMEM_SKIPPED },
	{ "backoffs", XTMEM_BACKOFFS },
	{ "store_nomap", XTMEM_NOMAP },
	{ "loads", XTMEM_GETS },
	{ "load_hits", XTMEM_HITS },
	{ "load_misses", XTMEM_MISSES },
	{ "load_not_held", XTMEM_LOAD_NOT_HELD },
	{ "invalidate_pages", XTMEM_FLUSH_PAGES },
	{ "invalidate_not_held", XTMEM_INVAL_NOT_HELD },
	{ "invalidate_areas", XTMEM_FLUSH_FS },
	{ "flush_objects", XTMEM_FLUSH_INODES },
	{ "pools_created", XTMEM_POOLS_CREATED },
	{ "pools_failed", XTMEM_POOLS_FAILED },
	{ "pools_recreated", XTMEM_POOLS_RECREATED },
};

static ssize_t xtmem_kind_show(struct xtmem_kobj *xk, char *buf)
{
	struct xtmem_pool_info info;

	if (!xtmem_pool_info(xk->slot, &info))
		return sprintf(buf, "unused\n");
	return sprintf(buf, "%s\n", info.kind == XTMEM_KIND_SHARED ?
		       "shared" : "private");
}

static ssize_t xtmem_uuid_show(struct xtmem_kobj *xk, char *buf)
{
	struct xtmem_pool_info info;
	int n;

	if (!xtmem_pool_info(xk->slot, &info) ||
	    info.kind != XTMEM_KIND_SHARED)
		return sprintf(buf, "none\n");
	n = xtmem_format_uuid(info.uuid, buf, PAGE_SIZE - 1);
	return n + sprintf(buf + n, "\n");
}

static ssize_t xtmem_hv_pool_show(struct xtmem_kobj *xk, char *buf)
{
	struct xtmem_pool_info info;

	xtmem_pool_info(xk->slot, &info);
	return sprintf(buf, "%d\n", info.in_use ? info.hv_id : -1);
}

static ssize_t xtmem_held_show(struct xtmem_kobj *xk, char *buf)
{
	return sprintf(buf, "%lu\n", xtmem_swapmap_held_pages());
}

static ssize_t xtmem_map_bytes_show(struct xtmem_kobj *xk, char *buf)
{
	return sprintf(buf, "%lu\n", xtmem_swapmap_bytes());
}

static ssize_t xtmem_backoff_show(struct xtmem_kobj *xk, char *buf)
{
	return sprintf(buf, "%u\n", xtmem_backoff_window());
}

/* The frontswap directory's values that are not counters. */
static const struct {
	const char *name;
	ssize_t (*show)(struct xtmem_kobj *xk, char *buf);
} xtmem_swap_values[] = {
	{ "hv_pool", xtmem_hv_pool_show },
	{ "held_pages", xtmem_held_show },
	{ "map_bytes", xtmem_map_bytes_show },
	{ "backoff_window", xtmem_backoff_show },
};

#define XTMEM_NR_ERR_COUNTERS	(XTMEM_ERR_OTHER - XTMEM_ERR_ENODEV + 1)
#define XTMEM_NR_SWAP_ATTRS	\
	(ARRAY_SIZE(xtmem_swap_names) + XTMEM_NR_ERR_COUNTERS + \
	 ARRAY_SIZE(xtmem_swap_values))

static struct xtmem_attr xtmem_swap_attrs[XTMEM_NR_SWAP_ATTRS];
static struct attribute *xtmem_swap_list[XTMEM_NR_SWAP_ATTRS + 1];
static const struct attribute_group xtmem_swap_group = {
	.attrs = xtmem_swap_list,
};

static struct xtmem_attr xtmem_pool_attrs[] = {
	{ .attr = { .name = "kind", .mode = 0444 }, .counter = -1,
	  .show = xtmem_kind_show },
	{ .attr = { .name = "uuid", .mode = 0444 }, .counter = -1,
	  .show = xtmem_uuid_show },
	{ .attr = { .name = "hv_pool", .mode = 0444 }, .counter = -1,
	  .show = xtmem_hv_pool_show },
};

static struct attribute *xtmem_pool_list[] = {
	&xtmem_pool_attrs[0].attr,
	&xtmem_pool_attrs[1].attr,
	&xtmem_pool_attrs[2].attr,
	NULL,
};

static const struct attribute_group xtmem_pool_group = {
	.attrs = xtmem_pool_list,
};

static struct xtmem_kobj *xtmem_kobj_add(struct kobject *parent, int slot,
					 const char *name,
					 const struct attribute_group *group)
{
	struct xtmem_kobj *xk;
	int err;

	xk = kzalloc(sizeof(*xk), GFP_KERNEL);
	if (!xk)
		return NULL;
	xk->slot = slot;
	err = kobject_init_and_add(&xk->kobj, &xtmem_ktype, parent, "%s", name);
	if (!err)
		err = sysfs_create_group(&xk->kobj, group);
	if (!err && slot < XTMEM_MAX_POOLS)
		err = sysfs_create_group(&xk->kobj, &xtmem_pool_group);
	if (err) {
		kobject_put(&xk->kobj);
		return NULL;
	}
	return xk;
}

static void xtmem_kobj_del(struct xtmem_kobj *xk)
{
	if (!xk)
		return;
	kobject_del(&xk->kobj);
	kobject_put(&xk->kobj);
}

/* Called with the pool mutex held. */
int xtmem_sysfs_add_pool(int slot)
{
	char name[8];

	snprintf(name, sizeof(name), "%d", slot);
	xtmem_pool_kobjs[slot] = xtmem_kobj_add(xtmem_pools_dir, slot, name,
						&xtmem_counter_group);
	if (!xtmem_pool_kobjs[slot]) {
		pr_warn("pool %d works, but its sysfs directory could not be made\n",
			slot);
		return -ENOMEM;
	}
	return 0;
}

/* Called with the pool mutex held. */
void xtmem_sysfs_del_pool(int slot)
{
	xtmem_kobj_del(xtmem_pool_kobjs[slot]);
	xtmem_pool_kobjs[slot] = NULL;
}

static ssize_t xtmem_version_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sprintf(buf, "%s\n", XTMEM_VERSION);
}

static ssize_t xtmem_transport_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sprintf(buf, "%s\n", xtmem_hv ? xtmem_hv->name : "none");
}

static ssize_t xtmem_guard_state_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	return xtmem_guard_state(buf, PAGE_SIZE);
}

static ssize_t xtmem_guard_missed_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sprintf(buf, "%llu\n",
		       (unsigned long long)xtmem_guard_missed());
}

static struct kobj_attribute xtmem_version_attr =
	__ATTR(version, 0444, xtmem_version_show, NULL);
static struct kobj_attribute xtmem_guard_state_attr =
	__ATTR(guard_state, 0444, xtmem_guard_state_show, NULL);
static struct kobj_attribute xtmem_guard_missed_attr =
	__ATTR(guard_missed, 0444, xtmem_guard_missed_show, NULL);
static struct kobj_attribute xtmem_transport_attr =
	__ATTR(transport, 0444, xtmem_transport_show, NULL);

static struct attribute *xtmem_root_list[] = {
	&xtmem_version_attr.attr,
	&xtmem_transport_attr.attr,
	&xtmem_guard_state_attr.attr,
	&xtmem_guard_missed_attr.attr,
	NULL,
};

static const struct attribute_group xtmem_root_group = {
	.attrs = xtmem_root_list,
};

static struct kobj_attribute xtmem_hcall_attrs[XTMEM_NR_HCALLS];
static struct attribute *xtmem_hcall_list[XTMEM_NR_HCALLS + 1];
static const struct attribute_group xtmem_hcall_group = {
	.name = "hypercalls",
	.attrs = xtmem_hcall_list,
};

static ssize_t xtmem_hcall_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	enum xtmem_hcall h = attr - xtmem_hcall_attrs;

	return sprintf(buf, "%llu\n",
		       (unsigned long long)xtmem_hcall_stat(h));
}

static void xtmem_hcall_attrs_init(void)
{
	int i;

	for (i = 0; i < XTMEM_NR_HCALLS; i++) {
		xtmem_hcall_attrs[i].attr.name = xtmem_hcall_name(i);
		xtmem_hcall_attrs[i].attr.mode = 0444;
		xtmem_hcall_attrs[i].show = xtmem_hcall_show;
		xtmem_hcall_list[i] = &xtmem_hcall_attrs[i].attr;
	}
}

static void xtmem_attr_init(struct xtmem_attr *xa, struct attribute **slot,
			    const char *name, int counter)
{
	xa->attr.name = name;
	xa->attr.mode = 0444;
	xa->counter = counter;
	*slot = &xa->attr;
}

static void xtmem_swap_attrs_init(void)
{
	int i, n = ARRAY_SIZE(xtmem_swap_names);

	for (i = 0; i < n; i++)
		xtmem_attr_init(&xtmem_swap_attrs[i], &xtmem_swap_list[i],
				xtmem_swap_names[i].name,
				xtmem_swap_names[i].counter);
	for (i = 0; i < XTMEM_NR_ERR_COUNTERS; i++, n++)
		xtmem_attr_init(&xtmem_swap_attrs[n], &xtmem_swap_list[n],
				xtmem_counter_name(XTMEM_ERR_ENODEV + i),
				XTMEM_ERR_ENODEV + i);
	for (i = 0; i < ARRAY_SIZE(xtmem_swap_values); i++, n++) {
		xtmem_attr_init(&xtmem_swap_attrs[n], &xtmem_swap_list[n],
				xtmem_swap_values[i].name, -1);
		xtmem_swap_attrs[n].show = xtmem_swap_values[i].show;
	}
}

int xtmem_sysfs_init(void)
{
	int i, err;

	for (i = 0; i < XTMEM_NR_CC_COUNTERS; i++)
		xtmem_attr_init(&xtmem_counter_attrs[i], &xtmem_counter_list[i],
				xtmem_counter_name(i), i);
	xtmem_swap_attrs_init();
	xtmem_hcall_attrs_init();
	xtmem_root = kobject_create_and_add("xen_tmem", mm_kobj);
	if (!xtmem_root)
		return -ENOMEM;
	err = sysfs_create_group(xtmem_root, &xtmem_root_group);
	if (!err)
		err = sysfs_create_group(xtmem_root, &xtmem_hcall_group);
	if (err)
		goto err_root;
	xtmem_pools_dir = kobject_create_and_add("pools", xtmem_root);
	if (!xtmem_pools_dir) {
		err = -ENOMEM;
		goto err_root;
	}
	xtmem_total = xtmem_kobj_add(xtmem_root, XTMEM_TOTAL, "total",
				     &xtmem_counter_group);
	if (!xtmem_total) {
		err = -ENOMEM;
		goto err_pools;
	}
	if (xtmem_param_persist()) {
		xtmem_swap = xtmem_kobj_add(xtmem_root, XTMEM_SWAP, "frontswap",
					    &xtmem_swap_group);
		if (!xtmem_swap) {
			err = -ENOMEM;
			goto err_total;
		}
	}
	return 0;

err_total:
	xtmem_kobj_del(xtmem_total);
err_pools:
	kobject_put(xtmem_pools_dir);
err_root:
	kobject_put(xtmem_root);
	return err;
}

struct kobject *xtmem_sysfs_root(void)
{
	return xtmem_root;
}

/* Only on a refused load: nothing may be left behind. */
void xtmem_sysfs_exit(void)
{
	xtmem_kobj_del(xtmem_swap);
	xtmem_swap = NULL;
	xtmem_kobj_del(xtmem_total);
	kobject_put(xtmem_pools_dir);
	kobject_put(xtmem_root);
}
