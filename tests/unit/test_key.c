// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for src/key.h: cleancache file key -> tmem oid, page offset
 * -> tmem index.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "key.h"
#include "xt_test.h"

/* The kernel's struct cleancache_filekey (include/linux/cleancache.h). */
#define CLEANCACHE_KEY_MAX 6
struct cleancache_filekey {
	union {
		unsigned long ino;	/* ino_t */
		uint32_t fh[CLEANCACHE_KEY_MAX];
		uint32_t key[CLEANCACHE_KEY_MAX];
	} u;
};

_Static_assert(sizeof(struct cleancache_filekey) == XTMEM_FILEKEY_SIZE,
	       "filekey size");

/* btrfs's non-connectable file handle (struct btrfs_fid), 5 u32. */
struct btrfs_fid_head {
	uint64_t objectid;
	uint64_t root_objectid;
	uint32_t gen;
} __attribute__((packed));

_Static_assert(sizeof(struct btrfs_fid_head) == 5 * 4, "btrfs fid size");

XT_TEST(oid_ext4_inode)
{
	struct cleancache_filekey key = { .u.key = { 0 } };
	uint64_t oid[3] = { 1, 2, 3 };

	key.u.ino = 123456789ul;
	xtmem_oid_from_filekey(&key, oid);
#if ULONG_MAX > 0xffffffffu && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	XT_EQ_HEX(oid[0], 123456789ul);
#endif
	XT_EQ_MEM(&oid[0], &key.u.ino, sizeof(key.u.ino));
	XT_EQ_HEX(oid[1], 0);
	XT_EQ_HEX(oid[2], 0);
	XT_EQ_MEM(oid, &key, sizeof(oid));

	/* A large inode number keeps all its 64 bits. */
	key.u.ino = ULONG_MAX;
	xtmem_oid_from_filekey(&key, oid);
#if ULONG_MAX > 0xffffffffu
	XT_EQ_HEX(oid[0], ~0ull);
#endif
	XT_EQ_MEM(oid, &key, sizeof(oid));
}

XT_TEST(oid_btrfs_fh)
{
	struct cleancache_filekey key = { .u.key = { 0 } };
	struct btrfs_fid_head fid = {
		.objectid = 0x0000000100000101ull,
		.root_objectid = 5,
		.gen = 0xdeadbeef,
	};
	uint64_t oid[3];

	memcpy(key.u.fh, &fid, sizeof(fid));
	xtmem_oid_from_filekey(&key, oid);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	XT_EQ_HEX(oid[0], 0x0000000100000101ull);
	XT_EQ_HEX(oid[1], 5);
	XT_EQ_HEX(oid[2], 0xdeadbeefull);
#endif
	XT_EQ_MEM(oid, &key, sizeof(oid));

	/* All six u32 words land in the oid, in order. */
	{
		uint32_t w[6] = { 1, 2, 3, 4, 5, 6 };

		memcpy(key.u.key, w, sizeof(w));
		xtmem_oid_from_filekey(&key, oid);
		XT_EQ_MEM(oid, w, sizeof(w));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		XT_EQ_HEX(oid[0], 0x0000000200000001ull);
		XT_EQ_HEX(oid[2], 0x0000000600000005ull);
#endif
	}
}

/* The key needs no alignment: the glue may hand over any byte address. */
XT_TEST(oid_unaligned_key)
{
	unsigned char raw[XTMEM_FILEKEY_SIZE + 1];
	uint64_t oid[3];
	int i;

	for (i = 0; i < (int)sizeof(raw); i++)
		raw[i] = (unsigned char)(i * 7 + 1);
	xtmem_oid_from_filekey(raw + 1, oid);
	XT_EQ_MEM(oid, raw + 1, XTMEM_FILEKEY_SIZE);
}

XT_TEST(index_from_pgoff)
{
	uint32_t index;

	index = 77;
	XT_CHECK(xtmem_index_from_pgoff(0, &index));
	XT_EQ_HEX(index, 0);

	XT_CHECK(xtmem_index_from_pgoff(1, &index));
	XT_EQ_HEX(index, 1);

	XT_CHECK(xtmem_index_from_pgoff(0xfffffffful, &index));
	XT_EQ_HEX(index, 0xffffffffu);

#if ULONG_MAX > 0xffffffffu
	/* 2^32 and above: refused, index untouched. */
	index = 77;
	XT_CHECK(!xtmem_index_from_pgoff(0x100000000ul, &index));
	XT_EQ_HEX(index, 77);
	XT_CHECK(!xtmem_index_from_pgoff(0x100000001ul, &index));
	XT_EQ_HEX(index, 77);
	XT_CHECK(!xtmem_index_from_pgoff(0x1ffffffffful, &index));
	XT_EQ_HEX(index, 77);
	XT_CHECK(!xtmem_index_from_pgoff(ULONG_MAX, &index));
	XT_EQ_HEX(index, 77);
#else
	/* A 32-bit pgoff always fits. */
	XT_CHECK(xtmem_index_from_pgoff(ULONG_MAX, &index));
	XT_EQ_HEX(index, 0xffffffffu);
#endif
}

XT_TEST(swap_key_swizzle)
{
	uint64_t oid[3] = { 9, 9, 9 };
	uint32_t index = 77;

	/* The in-tree driver: oid {(type << 4) | (offset & 15), 0, 0}. */
	XT_CHECK(xtmem_swap_key(0, 0, oid, &index));
	XT_EQ_HEX(oid[0], 0);
	XT_EQ_HEX(oid[1], 0);
	XT_EQ_HEX(oid[2], 0);
	XT_EQ_HEX(index, 0);

	XT_CHECK(xtmem_swap_key(3, 0x12345, oid, &index));
	XT_EQ_HEX(oid[0], (3u << 4) | 5);
	XT_EQ_HEX(index, 0x1234);

	/* 16 consecutive offsets: 16 objects, one index. */
	{
		uint64_t seen = 0;
		unsigned long off;

		for (off = 32; off < 48; off++) {
			XT_CHECK(xtmem_swap_key(1, off, oid, &index));
			XT_EQ_HEX(index, 2);
			XT_EQ_HEX(oid[0] >> 4, 1);
			seen |= 1ull << (oid[0] & 15);
		}
		XT_EQ_HEX(seen, 0xffff);
	}

	/* Different types never share an object. */
	{
		uint64_t a[3], b[3];
		uint32_t ia, ib;

		XT_CHECK(xtmem_swap_key(1, 7, a, &ia));
		XT_CHECK(xtmem_swap_key(2, 7, b, &ib));
		XT_CHECK(a[0] != b[0]);
		XT_EQ_HEX(ia, ib);
	}

	/* The largest swap type (MAX_SWAPFILES is at most 32). */
	XT_CHECK(xtmem_swap_key(31, 15, oid, &index));
	XT_EQ_HEX(oid[0], 0x1ff);
}

XT_TEST(swap_key_bounds)
{
	uint64_t oid[3] = { 9, 9, 9 };
	uint32_t index = 77;

	/* offset >> 4 up to 2^32 - 1 fits: 2^36 - 1 is the last offset. */
	XT_CHECK(xtmem_swap_key(0, 0xffffffffful, oid, &index));
	XT_EQ_HEX(index, 0xffffffffu);
	XT_EQ_HEX(oid[0], 15);
#if ULONG_MAX > 0xffffffffu
	/* Beyond: refused, outputs untouched. */
	oid[0] = 9;
	index = 77;
	XT_CHECK(!xtmem_swap_key(0, 0x1000000000ul, oid, &index));
	XT_EQ_HEX(oid[0], 9);
	XT_EQ_HEX(index, 77);
	XT_CHECK(!xtmem_swap_key(2, ULONG_MAX, oid, &index));
	XT_EQ_HEX(index, 77);
#endif
}
