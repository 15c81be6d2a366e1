/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tmem: declarations shared by the module's source files.
 */
#ifndef XTMEM_H
#define XTMEM_H

#include <linux/types.h>
#include <xen-tmem/abi.h>
#include <xen-tmem/transport.h>

#include "backoff.h"

struct kobject;
struct page;

/*
 * The module's pool table has as many slots as a Xen domain may hold
 * pools; cleancache is handed the slot index, the hypervisor's pool id
 * lives inside the slot.
 */
#define XTMEM_MAX_POOLS		XTMEM_MAX_POOLS_PER_DOMAIN

/* Statistics, per pool and in total (src/stats.c). */
enum xtmem_counter {
	XTMEM_PUTS,
	XTMEM_PUT_FAILURES,
	XTMEM_GETS,
	XTMEM_HITS,
	XTMEM_MISSES,
	XTMEM_FLUSH_PAGES,
	XTMEM_FLUSH_INODES,
	XTMEM_FLUSH_FS,
	/* Pages the ext4 partial-block guard flushed (src/guard.c). */
	XTMEM_GUARD_FLUSHES,
	XTMEM_POOLS_CREATED,
	XTMEM_POOLS_FAILED,
	XTMEM_POOLS_RECREATED,
	XTMEM_ERR_ENODEV,
	XTMEM_ERR_ENOSYS,
	XTMEM_ERR_EPERM,
	XTMEM_ERR_ENOMEM,
	XTMEM_ERR_ENOSPC,
	XTMEM_ERR_EFAULT,
	XTMEM_ERR_EFROZEN,
	XTMEM_ERR_EEMPTY,
	XTMEM_ERR_EINVAL,
	XTMEM_ERR_OTHER,
	/* Frontswap only: stores refused without asking the hypervisor, */
	XTMEM_REFUSED,
	/* stores skipped while backing off (src/backoff.c), back-offs, */
	XTMEM_SKIPPED,
	XTMEM_BACKOFFS,
	/* stores refused as the held-offsets record could not grow, */
	XTMEM_NOMAP,
	/* loads and invalidates of offsets the pool does not hold. */
	XTMEM_LOAD_NOT_HELD,
	XTMEM_INVAL_NOT_HELD,
	XTMEM_NR_COUNTERS
};

/* The counters a cleancache pool has. */
#define XTMEM_NR_CC_COUNTERS	XTMEM_REFUSED

/*
 * Slots past the cleancache pools: the frontswap pool (a pool slot and a
 * statistics slot, never handed to cleancache), then the cleancache
 * totals (statistics only; frontswap is not in them).
 */
#define XTMEM_SWAP		XTMEM_MAX_POOLS
#define XTMEM_TOTAL		(XTMEM_MAX_POOLS + 1)

int xtmem_stats_init(void);
void xtmem_stats_exit(void);
void xtmem_count(int slot, enum xtmem_counter c);
void xtmem_count_error(int slot, int err);
u64 xtmem_stat(int slot, enum xtmem_counter c);
void xtmem_stats_reset(int slot);
const char *xtmem_counter_name(enum xtmem_counter c);

/* Hypercalls, by tmem command (src/hcalls.c). */
enum xtmem_hcall {
	XTMEM_HC_NEW_POOL,
	XTMEM_HC_DESTROY_POOL,
	XTMEM_HC_PUT_PAGE,
	XTMEM_HC_GET_PAGE,
	XTMEM_HC_FLUSH_PAGE,
	XTMEM_HC_FLUSH_OBJECT,
	XTMEM_HC_OTHER,
	XTMEM_HC_TOTAL,		/* all of them */
	XTMEM_HC_FAILED,	/* those answered with an error */
	XTMEM_NR_HCALLS
};

int xtmem_hcalls_init(void);
void xtmem_hcalls_exit(void);
void xtmem_count_hcall(u32 cmd, int ret);
u64 xtmem_hcall_stat(enum xtmem_hcall h);
const char *xtmem_hcall_name(enum xtmem_hcall h);

/* Parameters (src/params.c, src/params_sb.c). */
#define XTMEM_BAD_LEN		40	/* a bad value, as quoted back */
struct kernel_param;
extern bool xtmem_param_enabled;
extern bool xtmem_param_guard;
u32 xtmem_param_pool_flags(void);
bool xtmem_param_persist(void);
bool xtmem_param_shared_uuid(u8 uuid[16]);
int xtmem_param_transport(void);
void xtmem_params_ready(void);
bool xtmem_params_are_ready(void);
int xtmem_param_onoff(const struct kernel_param *kp, const char *val,
		      bool *on);
int xtmem_param_onoff_get(char *buf, bool on);
bool xtmem_param_sb_wanted(void);
void xtmem_param_sb_clear(void);
unsigned int xtmem_param_sb_interval(void);
int xtmem_param_sb_floor_mb(void);
int xtmem_param_sb_reserve_mb(void);

/* The hypervisor, through the transport seam (src/hv.c). */
extern const struct xtmem_transport *xtmem_hv;
int xtmem_hv_new_pool(const u64 uuid[2], u32 flags);
int xtmem_hv_destroy_pool(int hv_id);
int xtmem_hv_page(u32 cmd, int hv_id, const u64 oid[3], u32 index,
		  struct page *page);
int xtmem_hv_flush_page(int hv_id, const u64 oid[3], u32 index);
int xtmem_hv_flush_object(int hv_id, const u64 oid[3]);

/* Transports (src/xen.c, src/transport.c). */
int xtmem_xen_transport_get(const struct xtmem_transport **tp);
int xtmem_transport_get(int which, const struct xtmem_transport **tp);
int xtmem_transport_probe(const struct xtmem_transport *tp);
void xtmem_transport_put(const struct xtmem_transport *tp);

/* The pool table (src/pool.c). */
enum xtmem_pool_kind {
	XTMEM_KIND_PRIVATE,
	XTMEM_KIND_SHARED,
	XTMEM_KIND_PERSISTENT,	/* the frontswap pool, slot XTMEM_SWAP */
};

int xtmem_pool_create(enum xtmem_pool_kind kind, const u8 fs_uuid[16]);
void xtmem_pool_destroy(int slot);
int xtmem_pool_create_swap(void);
bool xtmem_pool_put(int slot, const u64 oid[3], u32 index, struct page *page);
int xtmem_pool_store(int slot, const u64 oid[3], u32 index,
		     struct page *page, bool fresh);
bool xtmem_pool_get(int slot, const u64 oid[3], u32 index, struct page *page);
void xtmem_pool_flush_page(int slot, const u64 oid[3], u32 index);
void xtmem_pool_flush_object(int slot, const u64 oid[3]);
void xtmem_pool_guard_flush(int slot, const u64 oid[3], u32 index);
int xtmem_pool_set_enabled(bool on);
struct xtmem_pool_info {
	bool in_use;
	enum xtmem_pool_kind kind;
	int hv_id;
	u8 uuid[16];
};
bool xtmem_pool_info(int slot, struct xtmem_pool_info *info);

/* sysfs (src/sysfs.c). */
int xtmem_sysfs_init(void);
void xtmem_sysfs_exit(void);
int xtmem_sysfs_add_pool(int slot);
void xtmem_sysfs_del_pool(int slot);
struct kobject *xtmem_sysfs_root(void);
int xtmem_sysfs_add_selfballoon(void);

/* cleancache glue (src/cleancache.c). */
int xtmem_cleancache_register(void);

/* The ext4 partial-block guard (src/guard.c). */
void xtmem_guard_init(void);
ssize_t xtmem_guard_state(char *buf, size_t size);
u64 xtmem_guard_missed(void);

/* Swap offsets the frontswap pool holds, per swap area (src/swapmap.c). */
int xtmem_swapmap_mark(unsigned int type, pgoff_t offset);
bool xtmem_swapmap_test(unsigned int type, pgoff_t offset);
bool xtmem_swapmap_clear(unsigned int type, pgoff_t offset);
unsigned long xtmem_swapmap_drop(unsigned int type);
unsigned long xtmem_swapmap_held_pages(void);
unsigned long xtmem_swapmap_bytes(void);

/* Backing off from a frontswap pool without room (src/backoff.c). */
enum xtmem_bo_verdict xtmem_backoff_check(void);
void xtmem_backoff_refused(enum xtmem_bo_verdict v);
void xtmem_backoff_stored(enum xtmem_bo_verdict v);
void xtmem_backoff_freed(unsigned long pages);
unsigned int xtmem_backoff_window(void);

/* Self-ballooning (src/selfballoon.c); counts in pages. */
struct xtmem_sb_stats {
	bool active;
	unsigned long max, cur, target, goal, floor;
	u64 adjustments, rescues, rescued_pages;
};

void xtmem_selfballoon_init(const struct xtmem_transport *tp);
bool xtmem_selfballoon_available(void);
int xtmem_selfballoon_set(bool on);
void xtmem_selfballoon_kick(void);
void xtmem_selfballoon_stats(struct xtmem_sb_stats *st);

/* frontswap glue (src/frontswap.c). */
int xtmem_frontswap_check(void);
void xtmem_frontswap_register(void);

#endif /* XTMEM_H */
