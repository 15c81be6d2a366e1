// SPDX-License-Identifier: GPL-2.0
/*
 * zero-race: reproducer of a Linux (ext4 + cleancache) bug that makes a
 * read return data a fallocate() zeroed, with any cleancache backend.
 * xen_tmem's guard (src/guard.c) closes it; tests/qemu/scenarios/
 * zero-race.sh runs this with the guard and without. Built with
 * xt-torture into the guest's /opt/xt/.
 *
 * The bug: FALLOC_FL_PUNCH_HOLE or FALLOC_FL_ZERO_RANGE with an edge
 * inside a block zeroes that block through __ext4_block_zero_page_range():
 * a page not in the page cache is created, its buffer head read from disk
 * and zeroed in part, and the page left !PageUptodate (only the buffer is
 * uptodate). Nothing invalidates the page's clean copy in cleancache
 * (truncate_pagecache_range(), which would, is called only for whole
 * blocks). If reclaim or drop_caches then strips the buffers while a
 * reader holds a reference, so that the page stays in the cache without
 * buffers, the reader's ->readpage goes through ext4_mpage_readpages(),
 * which asks cleancache first and gets the copy from before the zeroing.
 *
 * What it does, ROUNDS times: write NP pages, fsync, read them from disk
 * and drop them (their clean copies go to cleancache), zero bytes
 * 100..299 of every page with fallocate, fsync, and read every page back
 * while a thread writes 1 to /proc/sys/vm/drop_caches in a loop. Each
 * page whose bytes 100..299 are not zero is reported.
 *
 * usage: zero-race FILE zero|punch ROUNDS
 * Output: ZERO-RACE-RESULT mode=... pages=N stale_pages=M; exit status 1
 * if any page was stale. Under QEMU (2 vCPUs, 5.10, xen_tmem enabled)
 * 40 rounds gave about 70 stale pages of 2560 for zero, 100 for punch
 * with xen_tmem's guard=0; with enabled=0, or with the guard, none.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NP	64
#define PG	4096

static volatile int stop;

static void drop(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "1", 1) != 1) {
		perror("drop_caches");
		exit(2);
	}
	close(fd);
}

static void *dropper(void *arg)
{
	(void)arg;
	while (!stop)
		drop();
	return NULL;
}

int main(int argc, char **argv)
{
	static unsigned char buf[NP * PG], pg[PG];
	int fd, i, j, mode, rounds, round, stale = 0;
	pthread_t t;

	if (argc != 4 || (strcmp(argv[2], "zero") && strcmp(argv[2], "punch"))) {
		fprintf(stderr, "usage: zero-race FILE zero|punch ROUNDS\n");
		return 3;
	}
	mode = FALLOC_FL_KEEP_SIZE | (!strcmp(argv[2], "punch") ?
		FALLOC_FL_PUNCH_HOLE : FALLOC_FL_ZERO_RANGE);
	rounds = atoi(argv[3]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pthread_create(&t, NULL, dropper, NULL))
		return 2;
	for (round = 0; round < rounds; round++) {
		fd = open(argv[1], O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			perror(argv[1]);
			return 2;
		}
		for (i = 0; i < NP; i++)
			memset(buf + i * PG, 'A' + (i + round) % 26, PG);
		if (pwrite(fd, buf, sizeof(buf), 0) != sizeof(buf) || fsync(fd))
			return 2;
		drop();
		/* Read from disk, then evicted clean: put into cleancache. */
		if (pread(fd, buf, sizeof(buf), 0) != sizeof(buf))
			return 2;
		drop();
		drop();
		for (i = 0; i < NP; i++)
			if (fallocate(fd, mode, (off_t)i * PG + 100, 200)) {
				perror("fallocate");
				return 2;
			}
		if (fsync(fd))
			return 2;
		for (i = 0; i < NP; i++) {
			if (pread(fd, pg, PG, (off_t)i * PG) != PG)
				return 2;
			for (j = 100; j < 300 && !pg[j]; j++)
				;
			if (j < 300) {
				stale++;
				printf("ZERO-RACE: round %d page %d: byte %d is '%c' (from before the %s), expected 0\n",
				       round, i, j, pg[j], argv[2]);
			}
		}
		close(fd);
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("ZERO-RACE-RESULT mode=%s rounds=%d pages=%d stale_pages=%d\n",
	       argv[2], rounds, rounds * NP, stale);
	return stale != 0;
}
