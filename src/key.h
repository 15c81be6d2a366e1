/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tmem: how a cleancache key becomes a tmem key.
 *
 * Static inline and free of kernel structures, so that the userspace unit
 * tests use the very same code as the module.
 */
#ifndef XEN_TMEM_KEY_H
#define XEN_TMEM_KEY_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#endif

/*
 * sizeof(struct cleancache_filekey) in every kernel that has cleancache:
 * a union of ino_t and u32[6] (CLEANCACHE_KEY_MAX). The cleancache glue
 * checks this with BUILD_BUG_ON.
 */
#define XTMEM_FILEKEY_SIZE	24

/*
 * xtmem_oid_from_filekey() - the tmem object id of a cleancache file key.
 * @key24: the 24 bytes of a struct cleancache_filekey;
 * @oid:   receives them as three native-endian u64, as the in-tree driver
 *         did (*(struct tmem_oid *)&key). ext4 keys ({ino, 0...}) give
 *         {ino, 0, 0} on 64-bit; btrfs file handles fill up to 5 u32.
 */
static inline void xtmem_oid_from_filekey(const void *key24, uint64_t oid[3])
{
	memcpy(oid, key24, XTMEM_FILEKEY_SIZE);
}

/*
 * xtmem_index_from_pgoff() - the tmem page index of a page-cache offset.
 * @pgoff: page->index;
 * @index: receives the index when it fits.
 *
 * Returns false, leaving @index untouched, when @pgoff does not fit in
 * 32 bits: such pages are never put (and get/invalidate do nothing).
 */
static inline bool xtmem_index_from_pgoff(unsigned long pgoff,
					  uint32_t *index)
{
	if ((uint32_t)pgoff != pgoff)
		return false;
	*index = (uint32_t)pgoff;
	return true;
}

#endif /* XEN_TMEM_KEY_H */
