// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: the self-ballooning parameters (src/selfballoon.c). As for the
 * others, every value is checked in its setter: a bad one fails modprobe
 * or the write with -EINVAL and one line naming it, and changes nothing.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "parse.h"
#include "xtmem.h"

#define XTMEM_SB_MAX_INTERVAL	3600		/* seconds */
#define XTMEM_SB_MAX_MB		(4 << 20)	/* 4 TiB, in MiB */
#define XTMEM_SB_AUTO		(-1)

static bool xtmem_sb_wanted;
static unsigned int xtmem_sb_interval = 2;
static int xtmem_sb_floor_mb = XTMEM_SB_AUTO;
static int xtmem_sb_reserve_mb = XTMEM_SB_AUTO;

bool xtmem_param_sb_wanted(void)
{
	return READ_ONCE(xtmem_sb_wanted);
}

/* selfballoon=1 at load, but the guest has no balloon. */
void xtmem_param_sb_clear(void)
{
	WRITE_ONCE(xtmem_sb_wanted, false);
}

unsigned int xtmem_param_sb_interval(void)
{
	return READ_ONCE(xtmem_sb_interval);
}

/* The floor and the reserve in MiB, or -1 for the automatic value. */
int xtmem_param_sb_floor_mb(void)
{
	return READ_ONCE(xtmem_sb_floor_mb);
}

int xtmem_param_sb_reserve_mb(void)
{
	return READ_ONCE(xtmem_sb_reserve_mb);
}

/* --- selfballoon --------------------------------------------------------- */

static int xtmem_sb_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err;

	if (xtmem_param_onoff(kp, val, &on))
		return -EINVAL;
	/* At load the switch acts once the transport is known. */
	if (xtmem_params_are_ready()) {
		err = xtmem_selfballoon_set(on);
		if (err)
			return err;
	}
	WRITE_ONCE(xtmem_sb_wanted, on);
	return 0;
}

static int xtmem_sb_get(char *buf, const struct kernel_param *kp)
{
	return xtmem_param_onoff_get(buf, READ_ONCE(xtmem_sb_wanted));
}

static const struct kernel_param_ops xtmem_sb_ops = {
	.set = xtmem_sb_set,
	.get = xtmem_sb_get,
};
module_param_cb(selfballoon, &xtmem_sb_ops, NULL, 0644);
MODULE_PARM_DESC(selfballoon,
		 "Self-ballooning: 1 hands the memory the guest does not need to the hypervisor through the balloon driver, where tmem can hold the pages the smaller guest evicts; the guest gets it back as it needs it, at once before an out-of-memory kill. 0 gives the guest back the memory it had when it was switched on. Needs the Xen balloon driver (CONFIG_XEN_BALLOON); without it selfballoon=1 is refused with one line (at load: ignored, all else works). Default: 0");

/* --- selfballoon_interval ------------------------------------------------ */

static int xtmem_sb_interval_set(const char *val,
				 const struct kernel_param *kp)
{
	unsigned int secs;

	if (kstrtouint(val, 10, &secs) || !secs ||
	    secs > XTMEM_SB_MAX_INTERVAL) {
		char bad[XTMEM_BAD_LEN];

		xtmem_parse_printable(val, bad, sizeof(bad));
		pr_err("%s: '%s' is not valid; valid: seconds, 1-%u\n",
		       kp->name, bad, XTMEM_SB_MAX_INTERVAL);
		return -EINVAL;
	}
	WRITE_ONCE(xtmem_sb_interval, secs);
	if (xtmem_params_are_ready())
		xtmem_selfballoon_kick();
	return 0;
}

static int xtmem_sb_interval_get(char *buf, const struct kernel_param *kp)
{
	return sprintf(buf, "%u\n", READ_ONCE(xtmem_sb_interval));
}

static const struct kernel_param_ops xtmem_sb_interval_ops = {
	.set = xtmem_sb_interval_set,
	.get = xtmem_sb_interval_get,
};
module_param_cb(selfballoon_interval, &xtmem_sb_interval_ops, NULL, 0644);
MODULE_PARM_DESC(selfballoon_interval,
		 "Seconds between two self-ballooning steps (1-3600). A step raises the balloon's target to what the guest needs at once, or lowers it by an eighth of the way. Default: 2");

/* --- selfballoon_floor_mb, selfballoon_reserve_mb ----------------------- */

static int xtmem_sb_mb_set(const char *val, const struct kernel_param *kp)
{
	unsigned int mb;
	int *dst = kp->arg;

	if (!strcmp(val, "auto") || !strcmp(val, "auto\n")) {
		WRITE_ONCE(*dst, XTMEM_SB_AUTO);
	} else if (!kstrtouint(val, 10, &mb) && mb <= XTMEM_SB_MAX_MB) {
		WRITE_ONCE(*dst, mb);
	} else {
		char bad[XTMEM_BAD_LEN];

		xtmem_parse_printable(val, bad, sizeof(bad));
		pr_err("%s: '%s' is not valid; valid: MiB (0-%u), or auto\n",
		       kp->name, bad, XTMEM_SB_MAX_MB);
		return -EINVAL;
	}
	if (xtmem_params_are_ready())
		xtmem_selfballoon_kick();
	return 0;
}

static int xtmem_sb_mb_get(char *buf, const struct kernel_param *kp)
{
	int mb = READ_ONCE(*(int *)kp->arg);

	if (mb == XTMEM_SB_AUTO)
		return sprintf(buf, "auto\n");
	return sprintf(buf, "%d\n", mb);
}

static const struct kernel_param_ops xtmem_sb_mb_ops = {
	.set = xtmem_sb_mb_set,
	.get = xtmem_sb_mb_get,
};
module_param_cb(selfballoon_floor_mb, &xtmem_sb_mb_ops, &xtmem_sb_floor_mb,
		0644);
MODULE_PARM_DESC(selfballoon_floor_mb,
		 "Self-ballooning never leaves the guest less memory than this (MiB; at most the memory it had when switched on), or 'auto': half of a guest below 128 MiB plus 8, a quarter plus 40 below 512 MiB, 1/32 plus 168 above (the in-tree driver's). Default: auto");
module_param_cb(selfballoon_reserve_mb, &xtmem_sb_mb_ops,
		&xtmem_sb_reserve_mb, 0644);
MODULE_PARM_DESC(selfballoon_reserve_mb,
		 "Memory self-ballooning leaves free above what the guest needs (MiB), for growth between two steps, or 'auto': a tenth of the guest's memory. Default: auto");
