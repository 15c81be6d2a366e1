// SPDX-License-Identifier: GPL-2.0
/*
 * xen_tmem_rival: a do-nothing cleancache backend, for testing only.
 *
 * Loaded first, it owns cleancache, so that a test can check that
 * xen_tmem then refuses to load (-EBUSY) and leaves nothing behind. Every
 * filesystem it is offered runs uncached. Like every cleancache backend
 * it cannot be unloaded.
 */
#include <linux/cleancache.h>
#include <linux/module.h>

static int xtrival_init_fs(size_t pagesize)
{
	return -1;
}

static int xtrival_init_shared_fs(uuid_t *uuid, size_t pagesize)
{
	return -1;
}

static int xtrival_get_page(int pool, struct cleancache_filekey key,
			    pgoff_t index, struct page *page)
{
	return -1;
}

static void xtrival_put_page(int pool, struct cleancache_filekey key,
			     pgoff_t index, struct page *page)
{
}

static void xtrival_invalidate_page(int pool, struct cleancache_filekey key,
				    pgoff_t index)
{
}

static void xtrival_invalidate_inode(int pool, struct cleancache_filekey key)
{
}

static void xtrival_invalidate_fs(int pool)
{
}

static const struct cleancache_ops xtrival_ops = {
	.init_fs = xtrival_init_fs,
	.init_shared_fs = xtrival_init_shared_fs,
	.get_page = xtrival_get_page,
	.put_page = xtrival_put_page,
	.invalidate_page = xtrival_invalidate_page,
	.invalidate_inode = xtrival_invalidate_inode,
	.invalidate_fs = xtrival_invalidate_fs,
};

static int __init xtrival_init(void)
{
	int ret = cleancache_register_ops(&xtrival_ops);

	pr_info("xen_tmem_rival: cleancache_register_ops returned %d\n", ret);
	return ret;
}
module_init(xtrival_init);

MODULE_DESCRIPTION("A do-nothing cleancache backend for xen-tmem tests");
MODULE_LICENSE("GPL");
