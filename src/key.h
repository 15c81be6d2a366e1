/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xen-tmem: how a cleancache or frontswap key becomes a tmem key.
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

/*
 * Frontswap keys, swizzled as the in-tree driver did: the low four bits
 * of the swap offset pick one of 16 objects per swap type, so that no
 * single tmem object (a radix tree in Xen) holds a whole swap device, and
 * the rest of the offset is the index.
 */
#define XTMEM_SWIZ_BITS		4
#define XTMEM_SWIZ_MASK		((1u << XTMEM_SWIZ_BITS) - 1)

/*
 * xtmem_swap_oid() - the tmem object id of swizzle object @obj of a swap
 * type: {(type << 4) | obj, 0, 0}. Never a cleancache key, which lives
 * in other pools anyway.
 */
static inline void xtmem_swap_oid(unsigned int type, unsigned int obj,
				  uint64_t oid[3])
{
	oid[0] = ((uint64_t)type << XTMEM_SWIZ_BITS) | (obj & XTMEM_SWIZ_MASK);
	oid[1] = 0;
	oid[2] = 0;
}

/*
 * xtmem_swap_key() - the tmem key of a swapped page.
 * @type:   the swap type (swapon order, below MAX_SWAPFILES);
 * @offset: the page's offset in that swap area;
 * @oid, @index: receive the key.
 *
 * Returns false, leaving both untouched, when offset >> 4 does not fit in
 * 32 bits (a swap area beyond 64 TiB): such pages go to the swap device.
 */
static inline bool xtmem_swap_key(unsigned int type, unsigned long offset,
				  uint64_t oid[3], uint32_t *index)
{
	if (!xtmem_index_from_pgoff(offset >> XTMEM_SWIZ_BITS, index))
		return false;
	xtmem_swap_oid(type, offset & XTMEM_SWIZ_MASK, oid);
	return true;
}

#endif /* XEN_TMEM_KEY_H */
