// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: module parameters. Every value is checked in its setter, so a
 * bad value fails modprobe (and a later write to /sys/module/xen_tmem/
 * parameters) with -EINVAL and one line naming it, and changes nothing.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "parse.h"
#include "xtmem.h"

/* Pool kinds a user may ask for; the hypervisor refuses precompressed. */
#define XTMEM_ALLOWED_FLAGS	(XTMEM_POOL_SHARED | XTMEM_POOL_PERSIST)
#define XTMEM_VALID_FLAGS	"valid: a comma-separated list of shared and persist, or none; or the number of those bits (0-3)"

static u32 xtmem_pool_flags = XTMEM_POOL_SHARED;
static u8 xtmem_shared_uuid[16];
static bool xtmem_shared_uuid_set;
static DEFINE_SPINLOCK(xtmem_uuid_lock);
static int xtmem_transport = XTMEM_TRANSPORT_XEN;
bool xtmem_param_enabled = true;
bool xtmem_param_guard = true;
static bool xtmem_ready;	/* module initialised: the switch acts */

u32 xtmem_param_pool_flags(void)
{
	return READ_ONCE(xtmem_pool_flags);
}

/* Frontswap on a persistent pool: fixed once the module is loaded. */
bool xtmem_param_persist(void)
{
	return READ_ONCE(xtmem_pool_flags) & XTMEM_POOL_PERSIST;
}

/* Copy the shared-pool UUID override; false when none is set. */
bool xtmem_param_shared_uuid(u8 uuid[16])
{
	bool set;

	spin_lock(&xtmem_uuid_lock);
	set = xtmem_shared_uuid_set;
	memcpy(uuid, xtmem_shared_uuid, 16);
	spin_unlock(&xtmem_uuid_lock);
	return set;
}

int xtmem_param_transport(void)
{
	return xtmem_transport;
}

void xtmem_params_ready(void)
{
	xtmem_ready = true;
}

/* The module is initialised: a parameter write acts at once. */
bool xtmem_params_are_ready(void)
{
	return xtmem_ready;
}

/* --- pool_flags ---------------------------------------------------------- */

static int xtmem_pool_flags_set(const char *val, const struct kernel_param *kp)
{
	char bad[XTMEM_BAD_LEN];
	enum xtmem_parse_err e;
	u32 flags;

	e = xtmem_parse_pool_flags(val, XTMEM_ALLOWED_FLAGS, &flags,
				   bad, sizeof(bad));
	if (e == XTMEM_PARSE_NOT_ALLOWED) {
		pr_err("pool_flags: '%s' is not supported (the hypervisor refuses precompressed pools); %s\n",
		       bad, XTMEM_VALID_FLAGS);
		return -EINVAL;
	}
	if (e) {
		pr_err("pool_flags: '%s' is not valid (%s); %s\n",
		       bad, xtmem_parse_strerror(e), XTMEM_VALID_FLAGS);
		return -EINVAL;
	}
	if (xtmem_ready && (flags ^ xtmem_pool_flags) & XTMEM_POOL_PERSIST) {
		pr_err("pool_flags: persist can only be %s at load time (frontswap cannot unregister a backend); keep it %s, or change it in /etc/modprobe.d and reboot\n",
		       flags & XTMEM_POOL_PERSIST ? "added" : "removed",
		       xtmem_pool_flags & XTMEM_POOL_PERSIST ? "in" : "out");
		return -EINVAL;
	}
	WRITE_ONCE(xtmem_pool_flags, flags);
	return 0;
}

static int xtmem_pool_flags_get(char *buf, const struct kernel_param *kp)
{
	int n = xtmem_format_pool_flags(READ_ONCE(xtmem_pool_flags), buf,
					PAGE_SIZE - 1);

	return n + sprintf(buf + n, "\n");
}

static const struct kernel_param_ops xtmem_pool_flags_ops = {
	.set = xtmem_pool_flags_set,
	.get = xtmem_pool_flags_get,
};
module_param_cb(pool_flags, &xtmem_pool_flags_ops, NULL, 0644);
MODULE_PARM_DESC(pool_flags,
		 "Pool kinds the module may ask the hypervisor for, comma-separated: 'shared' lets filesystems that ask for a shared pool (OCFS2) get a shared ephemeral pool; 'persist' (load time only) also makes a private persistent pool and registers it with frontswap, so swapped pages go to hypervisor RAM (Xen charges them to the guest); 'none' gives every filesystem a private pool and no frontswap; or the number of those bits (0-3). shared affects filesystems mounted afterwards. Default: shared");

/* --- shared_uuid --------------------------------------------------------- */

static bool xtmem_is_none(const char *val)
{
	return !strcmp(val, "none") || !strcmp(val, "none\n");
}

static int xtmem_shared_uuid_set_cb(const char *val,
				    const struct kernel_param *kp)
{
	enum xtmem_parse_err e;
	u8 uuid[16];
	bool set = !xtmem_is_none(val);

	if (set) {
		e = xtmem_parse_uuid(val, uuid);
		if (e) {
			char bad[XTMEM_BAD_LEN];

			xtmem_parse_printable(val, bad, sizeof(bad));
			pr_err("shared_uuid: '%s' is not valid (%s); give a UUID as 8-4-4-4-12 hex digits, neither all zeros nor all f (Xen treats those as private), or 'none'\n",
			       bad, xtmem_parse_strerror(e));
			return -EINVAL;
		}
	} else {
		memset(uuid, 0, sizeof(uuid));
	}
	spin_lock(&xtmem_uuid_lock);
	memcpy(xtmem_shared_uuid, uuid, 16);
	xtmem_shared_uuid_set = set;
	spin_unlock(&xtmem_uuid_lock);
	return 0;
}

static int xtmem_shared_uuid_get(char *buf, const struct kernel_param *kp)
{
	u8 uuid[16];
	int n;

	if (!xtmem_param_shared_uuid(uuid))
		return sprintf(buf, "none\n");
	n = xtmem_format_uuid(uuid, buf, PAGE_SIZE - 1);
	return n + sprintf(buf + n, "\n");
}

static const struct kernel_param_ops xtmem_shared_uuid_ops = {
	.set = xtmem_shared_uuid_set_cb,
	.get = xtmem_shared_uuid_get,
};
module_param_cb(shared_uuid, &xtmem_shared_uuid_ops, NULL, 0644);
MODULE_PARM_DESC(shared_uuid,
		 "UUID (8-4-4-4-12 hex) of the shared pool a filesystem that asks for one joins instead of its own, e.g. one the dom0 admin authorised with 'xl tmem-shared-auth'. Only one filesystem at a time uses it; a second gets a private pool. Needs 'shared' in pool_flags. Default: none");

/* --- transport ----------------------------------------------------------- */

static int xtmem_transport_set(const char *val, const struct kernel_param *kp)
{
	enum xtmem_parse_err e;
	int which;

	e = xtmem_parse_transport(val, &which);
	if (e) {
		char bad[XTMEM_BAD_LEN];

		xtmem_parse_printable(val, bad, sizeof(bad));
		pr_err("transport: '%s' is not valid (%s); valid: xen, emulated (the test emulator)\n",
		       bad, xtmem_parse_strerror(e));
		return -EINVAL;
	}
	xtmem_transport = which;
	return 0;
}

static int xtmem_transport_get_cb(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%s\n", xtmem_transport == XTMEM_TRANSPORT_EMULATED ?
		       "emulated" : "xen");
}

static const struct kernel_param_ops xtmem_transport_ops = {
	.set = xtmem_transport_set,
	.get = xtmem_transport_get_cb,
};
module_param_cb(transport, &xtmem_transport_ops, NULL, 0444);
MODULE_PARM_DESC(transport,
		 "How to reach tmem: 'xen' (the hypercall) or 'emulated' (the test emulator module xen_tmem_emu, for testing only). Default: xen");

/* --- on/off parameters: enabled, guard ----------------------------------- */

/* Parse a boolean parameter; on a bad value one line naming it, nonzero. */
int xtmem_param_onoff(const struct kernel_param *kp, const char *val,
		      bool *on)
{
	char bad[XTMEM_BAD_LEN];

	if (!xtmem_parse_onoff(val, on))
		return 0;
	xtmem_parse_printable(val, bad, sizeof(bad));
	pr_err("%s: '%s' is not valid; valid: 1, 0, y, n, on, off\n",
	       kp->name, bad);
	return -EINVAL;
}

int xtmem_param_onoff_get(char *buf, bool on)
{
	return sprintf(buf, "%c\n", on ? 'Y' : 'N');
}

/* --- enabled ------------------------------------------------------------- */

static int xtmem_enabled_set(const char *val, const struct kernel_param *kp)
{
	bool on;

	if (xtmem_param_onoff(kp, val, &on))
		return -EINVAL;
	if (!xtmem_ready) {
		xtmem_param_enabled = on;
		return 0;
	}
	return xtmem_pool_set_enabled(on);
}

static int xtmem_enabled_get(char *buf, const struct kernel_param *kp)
{
	return xtmem_param_onoff_get(buf, READ_ONCE(xtmem_param_enabled));
}

static const struct kernel_param_ops xtmem_enabled_ops = {
	.set = xtmem_enabled_set,
	.get = xtmem_enabled_get,
};
module_param_cb(enabled, &xtmem_enabled_ops, NULL, 0644);
MODULE_PARM_DESC(enabled,
		 "Runtime switch: 1 stores clean pages (and, with persist, swapped pages) in the hypervisor; 0 stops, flushes every cleancache pool so the hypervisor gets its memory back, and sends new swap pages to the swap device (pages already in the frontswap pool stay until swapped in). Default: 1");

/* --- guard --------------------------------------------------------------- */

static int xtmem_guard_set(const char *val, const struct kernel_param *kp)
{
	bool on;

	if (xtmem_param_onoff(kp, val, &on))
		return -EINVAL;
	WRITE_ONCE(xtmem_param_guard, on);
	return 0;
}

static int xtmem_guard_get(char *buf, const struct kernel_param *kp)
{
	return xtmem_param_onoff_get(buf, READ_ONCE(xtmem_param_guard));
}

static const struct kernel_param_ops xtmem_guard_ops = {
	.set = xtmem_guard_set,
	.get = xtmem_guard_get,
};
module_param_cb(guard, &xtmem_guard_ops, NULL, 0644);
MODULE_PARM_DESC(guard,
		 "ext4 partial-block guard: 1 flushes from the hypervisor the pages whose blocks ext4 zeroes in part for a hole punch or a zeroed range, which Linux's cleancache hooks miss (a later read could return the old bytes); 0 leaves them (for measurements). Needs kretprobes; /sys/kernel/mm/xen_tmem/guard_state says whether it is active. Default: 1");
