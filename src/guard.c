// SPDX-License-Identifier: GPL-2.0
/*
 * xen-tmem: the ext4 partial-block guard.
 *
 * ext4 zeroes the partial blocks at the edges of a hole punch or a zeroed
 * range in ext4_zero_partial_blocks(): a page that is not in the page
 * cache is created, only its buffer is read and zeroed, the page stays
 * !PageUptodate, and nothing tells cleancache. The page's clean copy from
 * before the fallocate() stays in tmem, and a later ->readpage that asks
 * cleancache first gets it back (tests/torture/zero-race.c). Linux never
 * fixed this before it removed cleancache (5.17).
 *
 * The guard puts a kprobe and a kretprobe on that function and flushes
 * the edge pages' keys from the hypervisor before the zeroing and again
 * after it, with the key cleancache uses for ext4 (the inode number).
 * Before: nothing put earlier can be served once the block changes.
 * After: a copy of the old contents put while the zeroing ran (the page
 * read, then reclaimed, before ext4 locked its page) goes too. A get in
 * flight ends before ext4 can lock the page it fills, so it returns the
 * contents from before the zeroing, which ext4 then zeroes in place.
 *
 * Context: both handlers run with preemption off and must not sleep.
 * The flush is the same as cleancache's own invalidate_page: a read lock
 * taken with interrupts saved and one tmem hypercall, nothing that
 * sleeps. The first flush comes from a plain kprobe rather than the
 * kretprobe's entry handler, which is not called when no kretprobe
 * instance is free (more calls at once than maxactive): then only the
 * second flush is skipped, and guard_missed counts it.
 *
 * When the kernel has no kretprobes, or ext4 has no such function, the
 * guard stays off and says why in one line at load and in sysfs
 * ("guard_state"); the module loads all the same. ext4 built as a module
 * is followed through a module notifier: the probes go in when it comes,
 * and out when it goes.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/fs.h>

#include "compat.h"
#include "key.h"
#include "xtmem.h"

#define XTMEM_GUARD_SYMBOL	"ext4_zero_partial_blocks"
#define XTMEM_GUARD_FS		"ext4"

#if defined(XTMEM_HAVE_GUARD) && defined(XTMEM_HAVE_CLEANCACHE)

static DEFINE_MUTEX(xtmem_guard_mutex);
static bool xtmem_guard_on;		/* probes registered */
static const char *xtmem_guard_why = "not set up yet";

/* What the entry saves for the return: the call's arguments. */
struct xtmem_guard_call {
	struct inode *inode;
	loff_t start;
	loff_t len;
};

/*
 * Flush the pages holding the partial blocks at the edges of [start,
 * start + len): the blocks ext4_zero_partial_blocks() zeroes.
 */
static void xtmem_guard_flush(struct inode *inode, loff_t start, loff_t len)
{
	struct super_block *sb = inode->i_sb;
	unsigned long mask = sb->s_blocksize - 1;
	struct cleancache_filekey key = { .u.key = { 0 } };
	loff_t end = start + len;	/* first byte after the range */
	pgoff_t first, last;
	int pool = READ_ONCE(sb->cleancache_poolid);
	bool head, tail;
	u64 oid[3];
	u32 ind;

	if (pool < 0 || len <= 0)
		return;
	/* cleancache's key: a file handle where the fs encodes one (ext4: no) */
	if (sb->s_export_op && sb->s_export_op->encode_fh)
		return;
	key.u.ino = inode->i_ino;
	xtmem_oid_from_filekey(&key, oid);

	head = start & mask;
	tail = end & mask;
	first = start >> PAGE_SHIFT;
	last = (end - 1) >> PAGE_SHIFT;
	if (head && xtmem_index_from_pgoff(first, &ind))
		xtmem_pool_guard_flush(pool, oid, ind);
	if (tail && (last != first || !head) &&
	    xtmem_index_from_pgoff(last, &ind))
		xtmem_pool_guard_flush(pool, oid, ind);
}

/* int ext4_zero_partial_blocks(handle_t *, struct inode *, loff_t, loff_t) */
static void xtmem_guard_args(struct pt_regs *regs,
			     struct xtmem_guard_call *c)
{
	c->inode = (struct inode *)xtmem_kp_arg(regs, 1);
	c->start = (loff_t)xtmem_kp_arg(regs, 2);
	c->len = (loff_t)xtmem_kp_arg(regs, 3);
}

static int xtmem_guard_before(struct kprobe *kp, struct pt_regs *regs)
{
	struct xtmem_guard_call c;

	if (READ_ONCE(xtmem_param_guard)) {
		xtmem_guard_args(regs, &c);
		xtmem_guard_flush(c.inode, c.start, c.len);
	}
	return 0;
}

static int xtmem_guard_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	xtmem_guard_args(regs, (struct xtmem_guard_call *)ri->data);
	return 0;
}

static int xtmem_guard_after(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct xtmem_guard_call *c = (struct xtmem_guard_call *)ri->data;

	if (READ_ONCE(xtmem_param_guard))
		xtmem_guard_flush(c->inode, c->start, c->len);
	return 0;
}

static struct kprobe xtmem_guard_kp = {
	.symbol_name = XTMEM_GUARD_SYMBOL,
	.pre_handler = xtmem_guard_before,
};

static struct kretprobe xtmem_guard_krp = {
	.kp.symbol_name = XTMEM_GUARD_SYMBOL,
	.entry_handler = xtmem_guard_entry,
	.handler = xtmem_guard_after,
	.data_size = sizeof(struct xtmem_guard_call),
};

/* Put the probes in; with xtmem_guard_mutex held. */
static int xtmem_guard_arm(void)
{
	int err;

	if (xtmem_guard_on)
		return 0;
	/* Structures a kernel may have used before: start them afresh. */
	xtmem_guard_kp.addr = NULL;
	xtmem_guard_kp.flags = 0;
	xtmem_guard_krp.kp.addr = NULL;
	xtmem_guard_krp.kp.flags = 0;
	xtmem_guard_krp.nmissed = 0;
	xtmem_guard_krp.maxactive = max_t(int, 64, 8 * num_possible_cpus());
	err = register_kprobe(&xtmem_guard_kp);
	if (err) {
		xtmem_guard_why = err == -ENOENT ?
			"inactive: ext4 has no " XTMEM_GUARD_SYMBOL "() (ext4 not loaded yet, or a kernel that renamed it)" :
			"inactive: the kernel refused the kprobe";
		return err;
	}
	err = register_kretprobe(&xtmem_guard_krp);
	if (err) {
		unregister_kprobe(&xtmem_guard_kp);
		xtmem_guard_why = "inactive: the kernel refused the kretprobe";
		return err;
	}
	xtmem_guard_on = true;
	xtmem_guard_why = "active";
	return 0;
}

/* Take the probes out; with xtmem_guard_mutex held. */
static void xtmem_guard_disarm(const char *why)
{
	if (xtmem_guard_on) {
		unregister_kretprobe(&xtmem_guard_krp);
		unregister_kprobe(&xtmem_guard_kp);
		xtmem_guard_on = false;
	}
	xtmem_guard_why = why;
}

/* ext4 as a module: arm when it is live, disarm when it goes. */
static int xtmem_guard_module_event(struct notifier_block *nb,
				    unsigned long state, void *data)
{
	struct module *mod = data;
	int err;

	if (strcmp(mod->name, XTMEM_GUARD_FS))
		return NOTIFY_DONE;
	mutex_lock(&xtmem_guard_mutex);
	if (state == MODULE_STATE_LIVE) {
		err = xtmem_guard_arm();
		if (err)
			pr_warn("guard: ext4 loaded, but the guard stays off (%d): %s\n",
				err, xtmem_guard_why);
		else
			pr_info("guard: ext4 loaded, guard active\n");
	} else if (state == MODULE_STATE_GOING) {
		xtmem_guard_disarm("inactive: ext4 was unloaded; armed again when it is loaded");
	}
	mutex_unlock(&xtmem_guard_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block xtmem_guard_nb = {
	.notifier_call = xtmem_guard_module_event,
};

void xtmem_guard_init(void)
{
	int err;

	err = register_module_notifier(&xtmem_guard_nb);
	if (err)
		pr_warn("guard: no module notifier (%d): ext4 loaded later is not guarded\n",
			err);
	mutex_lock(&xtmem_guard_mutex);
	err = xtmem_guard_arm();
	mutex_unlock(&xtmem_guard_mutex);
	if (err == -ENOENT)
		pr_info("guard: off until ext4 is loaded: %s\n",
			xtmem_guard_why);
	else if (err)
		pr_warn("guard: off (%d): %s\n", err, xtmem_guard_why);
}

ssize_t xtmem_guard_state(char *buf, size_t size)
{
	ssize_t n;

	mutex_lock(&xtmem_guard_mutex);
	n = scnprintf(buf, size, "%s\n", xtmem_guard_why);
	mutex_unlock(&xtmem_guard_mutex);
	return n;
}

u64 xtmem_guard_missed(void)
{
	return READ_ONCE(xtmem_guard_krp.nmissed);
}

#else /* no kretprobes, or no cleancache */

void xtmem_guard_init(void)
{
	pr_info("guard: off: this kernel has no kretprobes (CONFIG_KPROBES and CONFIG_KRETPROBES); partial-block fallocate() on ext4 can then read data from before it (README, Known limits)\n");
}

ssize_t xtmem_guard_state(char *buf, size_t size)
{
	return scnprintf(buf, size,
			 "inactive: this kernel has no kretprobes (CONFIG_KRETPROBES)\n");
}

u64 xtmem_guard_missed(void)
{
	return 0;
}

#endif
