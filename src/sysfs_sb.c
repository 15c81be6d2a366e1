// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: /sys/kernel/mm/xen_tmem/selfballoon/, there when the guest has
 * a balloon. Pages of the guest's memory:
 *   active            1 while self-ballooning is on
 *   max_pages         the guest's memory when it was switched on
 *   current_pages     the guest's memory now
 *   given_back_pages  max_pages - current_pages: what the hypervisor has
 *   target_pages      the balloon's target, as last set
 *   goal_pages        what the guest needed at the last step
 *   floor_pages       the floor at the last step
 * and counters: adjustments (targets set), oom_rescues (times the
 * out-of-memory notifier gave the guest its memory back), rescued_pages
 * (what came back within those waits).
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "xtmem.h"

enum xtmem_sb_field {
	XTMEM_SBF_ACTIVE,
	XTMEM_SBF_MAX,
	XTMEM_SBF_CURRENT,
	XTMEM_SBF_GIVEN_BACK,
	XTMEM_SBF_TARGET,
	XTMEM_SBF_GOAL,
	XTMEM_SBF_FLOOR,
	XTMEM_SBF_ADJUSTMENTS,
	XTMEM_SBF_RESCUES,
	XTMEM_SBF_RESCUED,
};

struct xtmem_sb_attr {
	struct kobj_attribute ka;
	enum xtmem_sb_field field;
};

static u64 xtmem_sb_field(const struct xtmem_sb_stats *st,
			  enum xtmem_sb_field f)
{
	switch (f) {
	case XTMEM_SBF_ACTIVE:
		return st->active;
	case XTMEM_SBF_MAX:
		return st->max;
	case XTMEM_SBF_CURRENT:
		return st->cur;
	case XTMEM_SBF_GIVEN_BACK:
		return st->max > st->cur ? st->max - st->cur : 0;
	case XTMEM_SBF_TARGET:
		return st->target;
	case XTMEM_SBF_GOAL:
		return st->goal;
	case XTMEM_SBF_FLOOR:
		return st->floor;
	case XTMEM_SBF_ADJUSTMENTS:
		return st->adjustments;
	case XTMEM_SBF_RESCUES:
		return st->rescues;
	default:
		return st->rescued_pages;
	}
}

static ssize_t xtmem_sb_show(struct kobject *kobj, struct kobj_attribute *ka,
			     char *buf)
{
	struct xtmem_sb_attr *a = container_of(ka, struct xtmem_sb_attr, ka);
	struct xtmem_sb_stats st;

	xtmem_selfballoon_stats(&st);
	return sprintf(buf, "%llu\n",
		       (unsigned long long)xtmem_sb_field(&st, a->field));
}

#define XTMEM_SB_ATTR(_name, _field)					\
	static struct xtmem_sb_attr xtmem_sb_attr_##_name = {		\
		.ka = __ATTR(_name, 0444, xtmem_sb_show, NULL),		\
		.field = _field,					\
	}

XTMEM_SB_ATTR(active, XTMEM_SBF_ACTIVE);
XTMEM_SB_ATTR(max_pages, XTMEM_SBF_MAX);
XTMEM_SB_ATTR(current_pages, XTMEM_SBF_CURRENT);
XTMEM_SB_ATTR(given_back_pages, XTMEM_SBF_GIVEN_BACK);
XTMEM_SB_ATTR(target_pages, XTMEM_SBF_TARGET);
XTMEM_SB_ATTR(goal_pages, XTMEM_SBF_GOAL);
XTMEM_SB_ATTR(floor_pages, XTMEM_SBF_FLOOR);
XTMEM_SB_ATTR(adjustments, XTMEM_SBF_ADJUSTMENTS);
XTMEM_SB_ATTR(oom_rescues, XTMEM_SBF_RESCUES);
XTMEM_SB_ATTR(rescued_pages, XTMEM_SBF_RESCUED);

static struct attribute *xtmem_sb_attrs[] = {
	&xtmem_sb_attr_active.ka.attr,
	&xtmem_sb_attr_max_pages.ka.attr,
	&xtmem_sb_attr_current_pages.ka.attr,
	&xtmem_sb_attr_given_back_pages.ka.attr,
	&xtmem_sb_attr_target_pages.ka.attr,
	&xtmem_sb_attr_goal_pages.ka.attr,
	&xtmem_sb_attr_floor_pages.ka.attr,
	&xtmem_sb_attr_adjustments.ka.attr,
	&xtmem_sb_attr_oom_rescues.ka.attr,
	&xtmem_sb_attr_rescued_pages.ka.attr,
	NULL,
};

static const struct attribute_group xtmem_sb_group = {
	.name = "selfballoon",
	.attrs = xtmem_sb_attrs,
};

/* Add the directory; the module never unloads once it got this far. */
int xtmem_sysfs_add_selfballoon(void)
{
	return sysfs_create_group(xtmem_sysfs_root(), &xtmem_sb_group);
}
