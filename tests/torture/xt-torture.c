// SPDX-License-Identifier: GPL-2.0
/*
 * xt-torture: an fsx-style file system torture test for the xen-tmem
 * cleancache backend, run inside the QEMU test guest.
 *
 * Several processes, each with several threads, hammer one directory. Each
 * thread (a "worker") owns a few files and keeps an exact model of what
 * each must contain, so every read of any kind is checked byte for byte:
 * buffered pread, whole-file read(), mmap, O_DIRECT. The operations mix
 * buffered and O_DIRECT writes (each O_DIRECT write is followed by a
 * buffered read of the range), truncate down and up, hole punching, zero
 * range, collapse and insert range, unlink and re-create (inode numbers
 * get reused), rename and rename over another file, fsync/fdatasync/
 * syncfs, closing and re-opening, and /proc/sys/vm/drop_caches (mode 1
 * mostly), so clean pages keep leaving the page cache (into tmem) and
 * coming back (from tmem or the disk). Run it inside a small memory
 * cgroup for eviction by memory pressure too.
 *
 * The model is compact: a file is a list of extents, each naming the
 * write that produced it (its "write id") and a shift; the byte at
 * position p of an extent with id w and shift d is a hash of (w, p + d),
 * 0 in holes. Memory use does not depend on the file sizes, so the
 * workers fit in a small cgroup, and a stale page (an older write of the
 * same file, another file's page) never looks right: the byte depends on
 * the write and on its position.
 *
 * usage: xt-torture [options] DIR
 *   -t SECS     run time (default 30); -n OPS: at most OPS ops per worker
 *   -s SEED     seed (default: from the clock; always printed)
 *   -p PROCS    processes (2); -j THREADS: workers per process (2)
 *   -f FILES    files per worker (4)
 *   -S SIZE     largest file size (4M; suffix K, M); -L LEN: largest I/O (1M)
 *   -E MS       flip xen_tmem's "enabled" parameter every MS ms meanwhile
 *   -T TAG      tag of the REPORT lines (default: torture)
 *   -M PREFIX   after the run, write the model to PREFIX.wNN (one per worker)
 *   -C PREFIX   no workload: check DIR against the model files PREFIX.wNN
 *   -x OP,...   leave out these operations (names as in the REPORT[TAG-ops] line)
 *   -w OP=N,... relative frequency of these operations (default: see op_weight)
 *   -u          punch holes and zero ranges with edges inside a block too
 *               (ext4 with cleancache then returns stale data now and then:
 *               a Linux bug, see zero-race.c); default: whole blocks
 *   -v          print every operation
 * Output: INFO lines, REPORT[TAG] key=value lines; on a wrong byte a
 * MISMATCH line with file, offset, expected and actual bytes, the
 * worker's last operations, and exit status 1; exit status 2 on an
 * unexpected error of a system call, 3 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS	64
#define MAX_FILES	32
#define BLK		4096u
#define LOG_LEN		40
#define LOG_WIDTH	120
#define HIST_LEN	64
#define SEG_COMPACT	400

#define DROP_CACHES	"/proc/sys/vm/drop_caches"
#define ENABLED_PARAM	"/sys/module/xen_tmem/parameters/enabled"

enum op {
	OP_READ, OP_READ_FULL, OP_READ_MMAP, OP_READ_DIRECT,
	OP_WRITE, OP_WRITE_APPEND, OP_WRITE_DIRECT,
	OP_TRUNC_DOWN, OP_TRUNC_UP, OP_PUNCH, OP_ZERO, OP_COLLAPSE, OP_INSERT,
	OP_RECREATE, OP_RENAME, OP_RENAME_OVER, OP_SYNC, OP_REOPEN, OP_DROP,
	OP_NR
};

static const char *const op_names[OP_NR] = {
	[OP_READ] = "read", [OP_READ_FULL] = "read_full",
	[OP_READ_MMAP] = "read_mmap", [OP_READ_DIRECT] = "read_direct",
	[OP_WRITE] = "write", [OP_WRITE_APPEND] = "append",
	[OP_WRITE_DIRECT] = "write_direct", [OP_TRUNC_DOWN] = "trunc_down",
	[OP_TRUNC_UP] = "trunc_up", [OP_PUNCH] = "punch", [OP_ZERO] = "zero",
	[OP_COLLAPSE] = "collapse", [OP_INSERT] = "insert",
	[OP_RECREATE] = "recreate", [OP_RENAME] = "rename",
	[OP_RENAME_OVER] = "rename_over", [OP_SYNC] = "sync",
	[OP_REOPEN] = "reopen", [OP_DROP] = "drop_caches",
};

/* Relative frequencies: reads dominate, as they are what is checked. */
static unsigned int op_weight[OP_NR] = {
	[OP_READ] = 30, [OP_READ_FULL] = 8, [OP_READ_MMAP] = 8,
	[OP_READ_DIRECT] = 4, [OP_WRITE] = 16, [OP_WRITE_APPEND] = 4,
	[OP_WRITE_DIRECT] = 6, [OP_TRUNC_DOWN] = 3, [OP_TRUNC_UP] = 2,
	[OP_PUNCH] = 3, [OP_ZERO] = 2, [OP_COLLAPSE] = 2, [OP_INSERT] = 2,
	[OP_RECREATE] = 3, [OP_RENAME] = 2, [OP_RENAME_OVER] = 1,
	[OP_SYNC] = 4, [OP_REOPEN] = 2, [OP_DROP] = 3,
};

struct stats {
	uint64_t ops;
	uint64_t verified_reads;
	uint64_t verified_bytes;
	uint64_t mismatches;
	uint64_t errors;
	uint64_t inode_reuse;
	uint64_t op_count[OP_NR];
	uint64_t unsupported[OP_NR];
	uint64_t done;
};

struct shared {
	volatile int stop;
	struct stats w[MAX_WORKERS];
};

struct seg {
	uint64_t start, end;	/* [start, end) in the file */
	uint64_t wid;		/* write id; 0: zeros */
	int64_t delta;		/* byte p holds gen(wid, p + delta) */
};

struct tfile {
	int idx;
	unsigned int gen;	/* bumped by rename and re-create */
	char name[48];
	int fd;			/* -1 when the file does not exist */
	ino_t ino;
	uint64_t size;
	struct seg *seg;
	size_t nseg, cap;
};

struct worker {
	int id;
	uint64_t rng;
	uint64_t next_wid;
	struct stats *st;
	struct tfile f[MAX_FILES];
	unsigned char *buf;
	ino_t last_unlinked[8];	/* inodes this worker deleted lately */
	unsigned int nunlinked;
	int no[OP_NR];		/* op unsupported by this file system */
	char log[LOG_LEN][LOG_WIDTH];
	unsigned int nlog;
	struct { uint64_t wid, op; int file; } hist[HIST_LEN];
	unsigned int nhist;
};

/* --- options --------------------------------------------------------------- */
static const char *opt_dir;
static const char *opt_tag = "torture";
static const char *opt_manifest;
static const char *opt_check;
static unsigned int opt_secs = 30;
static uint64_t opt_max_ops;
static uint64_t opt_seed;
static unsigned int opt_procs = 2, opt_threads = 2, opt_files = 4;
static uint64_t opt_max_size = 4u << 20, opt_max_len = 1u << 20;
static unsigned int opt_toggle_ms;
static int opt_verbose;
static int opt_unaligned;

static struct shared *sh;
static struct timespec t_start;
static double deadline;
static unsigned int total_weight;

/* --- helpers ---------------------------------------------------------------- */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dULL;
}

/* A number in [0, n); 0 when n is 0. */
static uint64_t below(struct worker *w, uint64_t n)
{
	return n ? rnd(w) % n : 0;
}

static uint64_t round_down(uint64_t v, uint64_t a)
{
	return v / a * a;
}

/* A length in [1, max]: often small, sometimes large, often whole pages. */
static uint64_t pick_len(struct worker *w, uint64_t max)
{
	uint64_t len, lim;

	if (max == 0)
		return 0;
	switch (below(w, 4)) {
	case 0:
		lim = 512;
		break;
	case 1:
		lim = BLK * 2;
		break;
	case 2:
		lim = 64 * 1024;
		break;
	default:
		lim = opt_max_len;
		break;
	}
	if (lim > max)
		lim = max;
	len = 1 + below(w, lim);
	if (below(w, 3) == 0 && len >= BLK)
		len = round_down(len, BLK);
	return len;
}

static void logop(struct worker *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void logop(struct worker *w, const char *fmt, ...)
{
	char *line = w->log[w->nlog % LOG_LEN];
	va_list ap;
	int n;

	n = snprintf(line, LOG_WIDTH, "op#%" PRIu64 " ", w->st->ops);
	va_start(ap, fmt);
	vsnprintf(line + n, LOG_WIDTH - n, fmt, ap);
	va_end(ap);
	w->nlog++;
	if (opt_verbose)
		printf("w%02d %s\n", w->id, line);
}

static void dump_log(struct worker *w)
{
	unsigned int i = w->nlog > LOG_LEN ? w->nlog - LOG_LEN : 0;

	printf("TORTURE-LOG w%02d: the last %u operations (seed %" PRIu64 "):\n",
	       w->id, w->nlog - i, opt_seed);
	for (; i < w->nlog; i++)
		printf("TORTURE-LOG w%02d:   %s\n", w->id, w->log[i % LOG_LEN]);
	fflush(stdout);
}

/* An unexpected system call failure: the run is void. */
static void __attribute__((noreturn)) die_errno(struct worker *w,
						const char *what,
						const char *name)
{
	int e = errno;

	printf("TORTURE-ERROR w%02d: %s %s/%s: %s (op#%" PRIu64 ", seed %" PRIu64 ")\n",
	       w->id, what, opt_dir, name ? name : "", strerror(e),
	       w->st->ops, opt_seed);
	w->st->errors++;
	sh->stop = 1;
	dump_log(w);
	exit(2);
}

/* --- the model -------------------------------------------------------------- */
static uint64_t wid_key(uint64_t wid)
{
	return mix64(wid ^ 0x5851f42d4c957f2dULL);
}

/* The byte at position q (already shifted) of the write whose key is k. */
static unsigned char gen_byte(uint64_t k, uint64_t q)
{
	return (unsigned char)(mix64(k + (q >> 3)) >> ((q & 7) * 8));
}

static void seg_push(struct seg **v, size_t *n, size_t *cap, struct seg s)
{
	if (s.end <= s.start)
		return;
	if (s.wid == 0)
		s.delta = 0;
	if (*n) {
		struct seg *l = &(*v)[*n - 1];

		if (l->wid == s.wid && l->delta == s.delta && l->end == s.start) {
			l->end = s.end;
			return;
		}
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = realloc(*v, *cap * sizeof(**v));
		if (!*v) {
			perror("realloc");
			exit(2);
		}
	}
	(*v)[(*n)++] = s;
}

/* Replace the model's extent list by a new one built with seg_push. */
struct segv {
	struct seg *v;
	size_t n, cap;
};

static void seg_commit(struct tfile *f, struct segv *nv)
{
	free(f->seg);
	f->seg = nv->v;
	f->nseg = nv->n;
	f->cap = nv->cap;
}

static void model_resize(struct tfile *f, uint64_t size)
{
	struct segv nv = { 0 };
	size_t i;

	for (i = 0; i < f->nseg; i++) {
		struct seg s = f->seg[i];

		if (s.start >= size)
			break;
		if (s.end > size)
			s.end = size;
		seg_push(&nv.v, &nv.n, &nv.cap, s);
	}
	if (size > f->size) {
		struct seg hole = { f->size, size, 0, 0 };

		seg_push(&nv.v, &nv.n, &nv.cap, hole);
	}
	seg_commit(f, &nv);
	f->size = size;
}

/* [start, end) now holds write wid (0: zeros); extends the file if needed. */
static void model_set(struct tfile *f, uint64_t start, uint64_t end,
		      uint64_t wid)
{
	struct segv nv = { 0 };
	struct seg mid = { start, end, wid, 0 };
	size_t i;

	if (end > f->size)
		model_resize(f, end);
	for (i = 0; i < f->nseg; i++) {
		struct seg s = f->seg[i];

		if (s.start < start) {
			struct seg a = s;

			if (a.end > start)
				a.end = start;
			seg_push(&nv.v, &nv.n, &nv.cap, a);
		}
	}
	seg_push(&nv.v, &nv.n, &nv.cap, mid);
	for (i = 0; i < f->nseg; i++) {
		struct seg s = f->seg[i];

		if (s.end > end) {
			if (s.start < end)
				s.start = end;
			seg_push(&nv.v, &nv.n, &nv.cap, s);
		}
	}
	seg_commit(f, &nv);
}

/* Remove [off, off + len) and shift the rest down (collapse range). */
static void model_collapse(struct tfile *f, uint64_t off, uint64_t len)
{
	struct segv nv = { 0 };
	size_t i;

	for (i = 0; i < f->nseg; i++) {
		struct seg s = f->seg[i], a = s;

		if (a.end > off)
			a.end = off;
		seg_push(&nv.v, &nv.n, &nv.cap, a);
	}
	for (i = 0; i < f->nseg; i++) {
		struct seg s = f->seg[i];

		if (s.end <= off + len)
			continue;
		if (s.start < off + len)
			s.start = off + len;
		s.start -= len;
		s.end -= len;
		s.delta += (int64_t)len;
		seg_push(&nv.v, &nv.n, &nv.cap, s);
	}
	seg_commit(f, &nv);
	f->size -= len;
}

/* Insert a hole of len at off, shifting the rest up (insert range). */
static void model_insert(struct tfile *f, uint64_t off, uint64_t len)
{
	struct segv nv = { 0 };
	struct seg hole = { off, off + len, 0, 0 };
	size_t i;

	for (i = 0; i < f->nseg; i++) {
		struct seg a = f->seg[i];

		if (a.end > off)
			a.end = off;
		seg_push(&nv.v, &nv.n, &nv.cap, a);
	}
	seg_push(&nv.v, &nv.n, &nv.cap, hole);
	for (i = 0; i < f->nseg; i++) {
		struct seg s = f->seg[i];

		if (s.end <= off)
			continue;
		if (s.start < off)
			s.start = off;
		s.start += len;
		s.end += len;
		s.delta -= (int64_t)len;
		seg_push(&nv.v, &nv.n, &nv.cap, s);
	}
	seg_commit(f, &nv);
	f->size += len;
}

/* The extents must tile [0, size) exactly; anything else is a bug here. */
static void model_check(struct worker *w, const struct tfile *f)
{
	uint64_t pos = 0;
	size_t i;

	for (i = 0; i < f->nseg; i++) {
		if (f->seg[i].start != pos || f->seg[i].end <= pos)
			break;
		pos = f->seg[i].end;
	}
	if (i == f->nseg && pos == f->size)
		return;
	printf("TORTURE-ERROR w%02d: internal: the model of %s is broken at extent %zu (size %" PRIu64 ")\n",
	       w->id, f->name, i, f->size);
	w->st->errors++;
	sh->stop = 1;
	exit(2);
}

/* Fill buf with what [off, off + len) of write wid holds. */
static void gen_fill(unsigned char *buf, uint64_t off, uint64_t len,
		     uint64_t wid)
{
	uint64_t k = wid_key(wid), i;

	for (i = 0; i < len; i++)
		buf[i] = gen_byte(k, off + i);
}

/* The index of the extent holding position pos (pos < size). */
static size_t seg_find(const struct tfile *f, uint64_t pos)
{
	size_t lo = 0, hi = f->nseg;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (f->seg[mid].start <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static unsigned char expected_at(const struct tfile *f, uint64_t pos)
{
	const struct seg *s = &f->seg[seg_find(f, pos)];

	return s->wid ? gen_byte(wid_key(s->wid), pos + s->delta) : 0;
}

/* The earlier write this worker made whose data would be at pos, if any. */
static int explain(struct worker *w, const unsigned char *got, uint64_t pos,
		   uint64_t avail, char *out, size_t outlen)
{
	unsigned int i, n = w->nhist < HIST_LEN ? w->nhist : HIST_LEN;
	uint64_t j, len = avail < 16 ? avail : 16;
	int zero = 1;

	for (j = 0; j < len; j++)
		zero &= got[j] == 0;
	if (zero) {
		snprintf(out, outlen, "the actual bytes are zeros");
		return 1;
	}
	for (i = 0; i < n; i++) {
		uint64_t k = wid_key(w->hist[i].wid);

		for (j = 0; j < len; j++)
			if (gen_byte(k, pos + j) != got[j])
				break;
		if (j == len) {
			snprintf(out, outlen,
				 "the actual bytes are what op#%" PRIu64 " (write id %" PRIu64 ", file slot %d) wrote at this offset: stale data",
				 w->hist[i].op, w->hist[i].wid, w->hist[i].file);
			return 1;
		}
	}
	return 0;
}

static void hex16(const unsigned char *p, uint64_t n, char *out)
{
	uint64_t i;

	out[0] = '\0';
	for (i = 0; i < n && i < 16; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* Bytes of [pos, pos + n) of buf that differ from the model. */
static uint64_t count_wrong(const struct tfile *f, const unsigned char *buf,
			    uint64_t pos, uint64_t n)
{
	uint64_t i, bad = 0;

	for (i = 0; i < n; i++)
		bad += buf[i] != expected_at(f, pos + i);
	return bad;
}

/*
 * After a wrong read at pos: is the disk right (O_DIRECT read of the
 * block), and does a second buffered read see the same? Tells a stale
 * page (page cache or tmem) from a file system that wrote wrong data.
 */
static void diagnose(struct worker *w, const struct tfile *f, uint64_t pos)
{
	uint64_t blk = round_down(pos, BLK), n;
	unsigned char *b;
	ssize_t r;
	int fd;

	if (posix_memalign((void **)&b, BLK, BLK))
		return;
	n = f->size - blk < BLK ? f->size - blk : BLK;
	fd = open(f->name, O_RDONLY | O_DIRECT | O_CLOEXEC);
	r = fd < 0 ? -1 : pread(fd, b, BLK, (off_t)blk);
	if (fd >= 0)
		close(fd);
	if (r < (ssize_t)n)
		printf("MISMATCH w%02d: diagnosis: no O_DIRECT read of the block at %" PRIu64 " (%s)\n",
		       w->id, blk, r < 0 ? strerror(errno) : "short");
	else
		printf("MISMATCH w%02d: diagnosis: on disk (O_DIRECT, after the file system wrote back what it had), the block at %" PRIu64 " has %" PRIu64 " wrong bytes\n",
		       w->id, blk, count_wrong(f, b, blk, n));
	fd = open(f->name, O_RDONLY | O_CLOEXEC);
	r = fd < 0 ? -1 : pread(fd, b, n, (off_t)blk);
	if (fd >= 0)
		close(fd);
	if (r == (ssize_t)n)
		printf("MISMATCH w%02d: diagnosis: a second buffered read of that block has %" PRIu64 " wrong bytes\n",
		       w->id, count_wrong(f, b, blk, n));
	free(b);
}

/*
 * Check that got[0..n) is [off, off + n) of file f, and that n is what a
 * read of want bytes at off must return. Returns 0 when right.
 */
static int verify(struct worker *w, struct tfile *f, const unsigned char *got,
		  uint64_t off, uint64_t n, uint64_t want, const char *how)
{
	uint64_t expect_n = off >= f->size ? 0 :
		(f->size - off < want ? f->size - off : want);
	uint64_t i, bad = 0, first = 0, last = 0;
	size_t si;
	char e[40], a[40], why[160];
	unsigned char exp[16];

	if (n != expect_n) {
		printf("MISMATCH w%02d: %s/%s (inode %lu) via %s: read of %" PRIu64 " bytes at offset %" PRIu64 " returned %" PRIu64 " bytes, expected %" PRIu64 " (model size %" PRIu64 "); seed %" PRIu64 "\n",
		       w->id, opt_dir, f->name, (unsigned long)f->ino, how,
		       want, off, n, expect_n, f->size, opt_seed);
		w->st->mismatches++;
		sh->stop = 1;
		dump_log(w);
		exit(1);
	}
	si = n ? seg_find(f, off) : 0;
	for (i = 0; i < n; ) {
		const struct seg *s = &f->seg[si];
		uint64_t end = s->end - off < n ? s->end - off : n;
		uint64_t k = s->wid ? wid_key(s->wid) : 0;

		for (; i < end; i++) {
			unsigned char x = s->wid ?
				gen_byte(k, off + i + s->delta) : 0;

			if (got[i] != x) {
				if (!bad)
					first = i;
				last = i;
				bad++;
			}
		}
		si++;
	}
	w->st->verified_reads++;
	w->st->verified_bytes += n;
	if (!bad)
		return 0;

	for (i = 0; i < 16 && first + i < n; i++)
		exp[i] = expected_at(f, off + first + i);
	hex16(exp, i, e);
	hex16(got + first, i, a);
	printf("MISMATCH w%02d: %s/%s (inode %lu) via %s: offset %" PRIu64 " (page %" PRIu64 " +%" PRIu64 "): expected %s, actual %s; %" PRIu64 " bytes differ in [%" PRIu64 ", %" PRIu64 "] of the read [%" PRIu64 ", +%" PRIu64 "); file size %" PRIu64 "; seed %" PRIu64 "\n",
	       w->id, opt_dir, f->name, (unsigned long)f->ino, how,
	       off + first, (off + first) / BLK, (off + first) % BLK, e, a,
	       bad, off + first, off + last, off, n, f->size, opt_seed);
	if (explain(w, got + first, off + first, n - first, why, sizeof(why)))
		printf("MISMATCH w%02d: %s\n", w->id, why);
	diagnose(w, f, off + first);
	w->st->mismatches++;
	sh->stop = 1;
	dump_log(w);
	exit(1);
}

/* --- file operations --------------------------------------------------------- */
static void set_name(struct worker *w, struct tfile *f)
{
	snprintf(f->name, sizeof(f->name), "w%02d.f%02d.g%u", w->id, f->idx,
		 f->gen);
}

static void note_wid(struct worker *w, uint64_t wid, int file)
{
	w->hist[w->nhist % HIST_LEN].wid = wid;
	w->hist[w->nhist % HIST_LEN].op = w->st->ops;
	w->hist[w->nhist % HIST_LEN].file = file;
	w->nhist++;
}

static uint64_t new_wid(struct worker *w, struct tfile *f)
{
	uint64_t wid = ((uint64_t)(w->id + 1) << 40) | ++w->next_wid;

	note_wid(w, wid, f->idx);
	return wid;
}

static void full_pwrite(struct worker *w, struct tfile *f, int fd,
			const unsigned char *p, uint64_t len, uint64_t off)
{
	while (len) {
		ssize_t r = pwrite(fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die_errno(w, "pwrite", f->name);
		p += r;
		off += (uint64_t)r;
		len -= (uint64_t)r;
	}
}

/*
 * Read up to len bytes at off; stops early only at end of file. An
 * O_DIRECT read (direct) that comes back short has met the end of the
 * file: asking again from there, at an offset and into a buffer no longer
 * block-aligned, is -EINVAL on kernels that check alignment before the
 * file size (RHEL 8's 4.18), 0 bytes on those that do the opposite.
 */
static uint64_t full_pread(struct worker *w, struct tfile *f, int fd,
			   unsigned char *p, uint64_t len, uint64_t off,
			   int direct)
{
	uint64_t got = 0;

	while (got < len) {
		ssize_t r = pread(fd, p + got, len - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die_errno(w, "pread", f->name);
		if (r == 0)
			break;
		got += (uint64_t)r;
		if (direct && got % BLK)
			break;
	}
	return got;
}

/* Write [off, off + len) with a new write id through fd (model too). */
static void write_range(struct worker *w, struct tfile *f, int fd,
			uint64_t off, uint64_t len)
{
	uint64_t wid = new_wid(w, f), done = 0;

	while (done < len) {
		uint64_t n = len - done < opt_max_len ? len - done : opt_max_len;

		gen_fill(w->buf, off + done, n, wid);
		full_pwrite(w, f, fd, w->buf, n, off + done);
		done += n;
	}
	model_set(f, off, off + len, wid);
}

static int open_file(struct worker *w, struct tfile *f, int flags)
{
	int fd = open(f->name, O_RDWR | O_CLOEXEC | flags, 0644);

	if (fd < 0)
		die_errno(w, "open", f->name);
	return fd;
}

static void create_file(struct worker *w, struct tfile *f)
{
	struct stat st;
	unsigned int i;

	f->gen++;
	set_name(w, f);
	f->fd = open_file(w, f, O_CREAT | O_EXCL);
	if (fstat(f->fd, &st))
		die_errno(w, "fstat", f->name);
	f->ino = st.st_ino;
	for (i = 0; i < 8; i++) {
		if (w->last_unlinked[i] == f->ino) {
			w->st->inode_reuse++;
			w->last_unlinked[i] = 0;
			break;
		}
	}
	free(f->seg);
	f->seg = NULL;
	f->nseg = f->cap = 0;
	f->size = 0;
	write_range(w, f, f->fd, 0, pick_len(w, opt_max_size / 2));
	logop(w, "create %s inode %lu size %" PRIu64, f->name,
	      (unsigned long)f->ino, f->size);
}

static void forget_file(struct worker *w, struct tfile *f)
{
	w->last_unlinked[w->nunlinked++ % 8] = f->ino;
	close(f->fd);
	f->fd = -1;
	f->size = 0;
	f->nseg = 0;
}

static void drop_caches(struct worker *w, int mode)
{
	char c = (char)('0' + mode);
	int fd = open(DROP_CACHES, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, &c, 1) != 1)
		die_errno(w, "write", DROP_CACHES);
	close(fd);
}

/* 0 when the file system says it cannot do this fallocate mode. */
static int try_fallocate(struct worker *w, struct tfile *f, enum op op,
			 int mode, uint64_t off, uint64_t len)
{
	if (!fallocate(f->fd, mode, (off_t)off, (off_t)len))
		return 1;
	if (errno == EOPNOTSUPP) {
		if (!w->no[op])
			printf("INFO: xt-torture w%02d: %s: fallocate %s not supported here, skipped from now on\n",
			       w->id, opt_dir, op_names[op]);
		w->no[op] = 1;
		w->st->unsupported[op]++;
		return 0;
	}
	die_errno(w, "fallocate", f->name);
}

static void do_op(struct worker *w, enum op op, struct tfile *f)
{
	uint64_t off, len, n;
	unsigned char *m;
	int fd;

	switch (op) {
	case OP_READ:
		off = below(w, f->size + BLK);
		len = pick_len(w, opt_max_len);
		logop(w, "read %s [%" PRIu64 ", +%" PRIu64 ")", f->name, off, len);
		n = full_pread(w, f, f->fd, w->buf, len, off, 0);
		verify(w, f, w->buf, off, n, len, "pread");
		break;
	case OP_READ_FULL:
		logop(w, "read_full %s size %" PRIu64, f->name, f->size);
		if (lseek(f->fd, 0, SEEK_SET))
			die_errno(w, "lseek", f->name);
		for (off = 0;; off += n) {
			ssize_t r = read(f->fd, w->buf, opt_max_len);

			if (r < 0)
				die_errno(w, "read", f->name);
			n = (uint64_t)r;
			/* Content right, and not past the end of the file. */
			if (n)
				verify(w, f, w->buf, off, n, n, "read()");
			else if (off != f->size)	/* EOF too early */
				verify(w, f, w->buf, off, 0, opt_max_len,
				       "read() to EOF");
			if (!n)
				break;
		}
		break;
	case OP_READ_MMAP:
		if (!f->size)
			break;
		off = below(w, f->size);
		len = pick_len(w, 4 * opt_max_len);
		if (len > f->size - off)
			len = f->size - off;
		logop(w, "read_mmap %s [%" PRIu64 ", +%" PRIu64 ")", f->name,
		      off, len);
		m = mmap(NULL, f->size, PROT_READ, MAP_SHARED, f->fd, 0);
		if (m == MAP_FAILED)
			die_errno(w, "mmap", f->name);
		verify(w, f, m + off, off, len, len, "mmap");
		munmap(m, f->size);
		break;
	case OP_READ_DIRECT:
		off = round_down(below(w, f->size + BLK), BLK);
		len = round_down(pick_len(w, opt_max_len), BLK);
		if (!len)
			len = BLK;
		logop(w, "read_direct %s [%" PRIu64 ", +%" PRIu64 ")", f->name,
		      off, len);
		fd = open(f->name, O_RDONLY | O_DIRECT | O_CLOEXEC);
		if (fd < 0 && errno == EINVAL) {
			w->no[OP_READ_DIRECT] = w->no[OP_WRITE_DIRECT] = 1;
			w->st->unsupported[op]++;
			break;
		}
		if (fd < 0)
			die_errno(w, "open O_DIRECT", f->name);
		n = full_pread(w, f, fd, w->buf, len, off, 1);
		close(fd);
		verify(w, f, w->buf, off, n, len, "O_DIRECT pread");
		break;
	case OP_WRITE:
	case OP_WRITE_APPEND:
		off = op == OP_WRITE_APPEND ? f->size :
			below(w, f->size + 64 * 1024);
		if (off >= opt_max_size)
			off = below(w, f->size);
		len = pick_len(w, opt_max_size - off);
		if (!len)
			break;
		logop(w, "%s %s [%" PRIu64 ", +%" PRIu64 ")", op_names[op],
		      f->name, off, len);
		write_range(w, f, f->fd, off, len);
		break;
	case OP_WRITE_DIRECT:
		off = round_down(below(w, f->size + 64 * 1024), BLK);
		if (off >= opt_max_size)
			off = 0;
		len = round_down(pick_len(w, opt_max_size - off), BLK);
		if (!len)
			len = BLK;
		logop(w, "write_direct %s [%" PRIu64 ", +%" PRIu64 ")", f->name,
		      off, len);
		fd = open(f->name, O_WRONLY | O_DIRECT | O_CLOEXEC);
		if (fd < 0 && errno == EINVAL) {
			w->no[OP_READ_DIRECT] = w->no[OP_WRITE_DIRECT] = 1;
			w->st->unsupported[op]++;
			break;
		}
		if (fd < 0)
			die_errno(w, "open O_DIRECT", f->name);
		write_range(w, f, fd, off, len);
		close(fd);
		/* The buffered view must show the direct write at once. */
		n = full_pread(w, f, f->fd, w->buf, len, off, 0);
		verify(w, f, w->buf, off, n, len, "pread after O_DIRECT write");
		break;
	case OP_TRUNC_DOWN:
	case OP_TRUNC_UP:
		if (op == OP_TRUNC_DOWN)
			off = below(w, f->size);
		else
			off = f->size + pick_len(w, opt_max_size - f->size);
		if (below(w, 2))
			off = round_down(off, BLK);
		logop(w, "truncate %s %" PRIu64 " -> %" PRIu64, f->name,
		      f->size, off);
		if (ftruncate(f->fd, (off_t)off))
			die_errno(w, "ftruncate", f->name);
		model_resize(f, off);
		break;
	case OP_PUNCH:
	case OP_ZERO:
		if (!f->size)
			break;
		off = below(w, f->size);
		len = pick_len(w, f->size - off + BLK);
		if (!opt_unaligned) {	/* see -u */
			off = round_down(off, BLK);
			len = round_down(len, BLK);
			if (!len)
				len = BLK;
		}
		logop(w, "%s %s [%" PRIu64 ", +%" PRIu64 ")", op_names[op],
		      f->name, off, len);
		if (!try_fallocate(w, f, op, FALLOC_FL_KEEP_SIZE |
				   (op == OP_PUNCH ? FALLOC_FL_PUNCH_HOLE :
				    FALLOC_FL_ZERO_RANGE), off, len))
			break;
		if (off + len > f->size)
			len = f->size - off;
		model_set(f, off, off + len, 0);
		break;
	case OP_COLLAPSE:
		/* Whole blocks, and the range must end before EOF. */
		if (f->size < 2 * BLK + 1)
			break;
		off = round_down(below(w, f->size - BLK - 1), BLK);
		len = round_down(pick_len(w, f->size - 1 - off), BLK);
		if (!len)
			break;
		logop(w, "collapse %s [%" PRIu64 ", +%" PRIu64 ")", f->name,
		      off, len);
		if (!try_fallocate(w, f, op, FALLOC_FL_COLLAPSE_RANGE, off, len))
			break;
		model_collapse(f, off, len);
		break;
	case OP_INSERT:
		if (!f->size || f->size + BLK > opt_max_size)
			break;
		off = round_down(below(w, f->size), BLK);
		len = round_down(pick_len(w, opt_max_size - f->size), BLK);
		if (!len)
			break;
		logop(w, "insert %s [%" PRIu64 ", +%" PRIu64 ")", f->name,
		      off, len);
		if (!try_fallocate(w, f, op, FALLOC_FL_INSERT_RANGE, off, len))
			break;
		model_insert(f, off, len);
		break;
	case OP_RECREATE:
		logop(w, "unlink %s inode %lu", f->name, (unsigned long)f->ino);
		if (unlink(f->name))
			die_errno(w, "unlink", f->name);
		forget_file(w, f);
		create_file(w, f);
		break;
	case OP_RENAME: {
		char old[sizeof(f->name)];

		memcpy(old, f->name, sizeof(old));
		f->gen++;
		set_name(w, f);
		logop(w, "rename %s -> %s", old, f->name);
		if (rename(old, f->name))
			die_errno(w, "rename", old);
		break;
	}
	case OP_RENAME_OVER: {
		struct tfile *t = &w->f[(f->idx + 1 + below(w, opt_files - 1)) %
				       opt_files];

		if (t == f || t->fd < 0)
			break;
		logop(w, "rename %s over %s (inode %lu)", f->name, t->name,
		      (unsigned long)t->ino);
		if (rename(f->name, t->name))
			die_errno(w, "rename", f->name);
		/* t is now f's inode under t's name; f no longer exists. */
		forget_file(w, t);
		t->fd = f->fd;
		t->ino = f->ino;
		t->size = f->size;
		free(t->seg);
		t->seg = f->seg;
		t->nseg = f->nseg;
		t->cap = f->cap;
		f->seg = NULL;
		f->nseg = f->cap = 0;
		f->fd = -1;
		f->size = 0;
		break;
	}
	case OP_SYNC:
		switch (below(w, 4)) {
		case 0:
			logop(w, "fdatasync %s", f->name);
			if (fdatasync(f->fd))
				die_errno(w, "fdatasync", f->name);
			break;
		case 1:
			logop(w, "syncfs");
			if (syncfs(f->fd))
				die_errno(w, "syncfs", f->name);
			break;
		default:
			logop(w, "fsync %s", f->name);
			if (fsync(f->fd))
				die_errno(w, "fsync", f->name);
			break;
		}
		break;
	case OP_REOPEN:
		logop(w, "reopen %s", f->name);
		close(f->fd);
		f->fd = open_file(w, f, 0);
		break;
	case OP_DROP:
		n = below(w, 10) ? 1 : 2 + below(w, 2);
		logop(w, "drop_caches %" PRIu64, n);
		drop_caches(w, (int)n);
		break;
	case OP_NR:
		break;
	}
}

static enum op pick_op(struct worker *w)
{
	for (;;) {
		unsigned int r = (unsigned int)below(w, total_weight), i;

		for (i = 0; i < OP_NR; i++) {
			if (r < op_weight[i])
				break;
			r -= op_weight[i];
		}
		if (!w->no[i])
			return (enum op)i;
	}
}

/* Check every file's size, then read it whole. */
static void verify_all(struct worker *w, const char *tag)
{
	unsigned int i;
	uint64_t off, n;
	struct stat st;

	for (i = 0; i < opt_files; i++) {
		struct tfile *f = &w->f[i];

		if (f->fd < 0)
			continue;
		logop(w, "%s: read %s whole", tag, f->name);
		if (fstat(f->fd, &st))
			die_errno(w, "fstat", f->name);
		if ((uint64_t)st.st_size != f->size) {
			printf("MISMATCH w%02d: %s/%s (inode %lu) %s: size %" PRIu64 ", expected %" PRIu64 "; seed %" PRIu64 "\n",
			       w->id, opt_dir, f->name, (unsigned long)f->ino,
			       tag, (uint64_t)st.st_size, f->size, opt_seed);
			w->st->mismatches++;
			sh->stop = 1;
			dump_log(w);
			exit(1);
		}
		for (off = 0; off < f->size; off += n) {
			uint64_t len = f->size - off < opt_max_len ?
				f->size - off : opt_max_len;

			n = full_pread(w, f, f->fd, w->buf, len, off, 0);
			verify(w, f, w->buf, off, n, len, tag);
			if (!n)
				break;
		}
	}
}

static void write_manifest(struct worker *w)
{
	char path[PATH_MAX];
	unsigned int i;
	size_t j;
	FILE *m;

	snprintf(path, sizeof(path), "%s.w%02d", opt_manifest, w->id);
	m = fopen(path, "w");
	if (!m)
		die_errno(w, "fopen", path);
	for (i = 0; i < opt_files; i++) {
		struct tfile *f = &w->f[i];

		if (f->fd < 0)
			continue;
		fprintf(m, "F %s %" PRIu64 " %zu\n", f->name, f->size, f->nseg);
		for (j = 0; j < f->nseg; j++)
			fprintf(m, "S %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64 "\n",
				f->seg[j].start, f->seg[j].end, f->seg[j].wid,
				f->seg[j].delta);
	}
	if (fclose(m))
		die_errno(w, "fclose", path);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned int i;

	w->rng = mix64(opt_seed + 0x1000 * (uint64_t)(w->id + 1)) | 1;
	if (posix_memalign((void **)&w->buf, BLK, opt_max_len)) {
		fprintf(stderr, "xt-torture: out of memory\n");
		exit(2);
	}
	for (i = 0; i < opt_files; i++) {
		w->f[i].idx = (int)i;
		w->f[i].fd = -1;
		create_file(w, &w->f[i]);
	}
	while (!sh->stop && now() < deadline &&
	       (!opt_max_ops || w->st->ops < opt_max_ops)) {
		enum op op = pick_op(w);
		struct tfile *f = &w->f[below(w, opt_files)];

		if (f->fd < 0) {	/* renamed over: make it again */
			create_file(w, f);
			continue;
		}
		do_op(w, op, f);
		model_check(w, f);
		w->st->op_count[op]++;
		w->st->ops++;
		/* Keep the model small: rewrite a fragmented file whole. */
		if (f->fd >= 0 && f->nseg > SEG_COMPACT) {
			logop(w, "compact %s", f->name);
			write_range(w, f, f->fd, 0, f->size);
		}
	}
	if (sh->stop)
		return NULL;
	/*
	 * The end: what is on disk, read from disk, then from wherever a
	 * clean page can come back from (tmem) after the page cache is gone.
	 */
	for (i = 0; i < opt_files; i++)
		if (w->f[i].fd >= 0 && fsync(w->f[i].fd))
			die_errno(w, "fsync", w->f[i].name);
	drop_caches(w, 1);
	verify_all(w, "final read 1");
	drop_caches(w, 1);
	verify_all(w, "final read 2");
	if (opt_manifest)
		write_manifest(w);
	for (i = 0; i < opt_files; i++)
		if (w->f[i].fd >= 0)
			close(w->f[i].fd);
	w->st->done = 1;
	return NULL;
}

static void process_main(int first)
{
	pthread_t tid[MAX_WORKERS];
	struct worker *w;
	unsigned int i;

	w = calloc(opt_threads, sizeof(*w));
	if (!w) {
		fprintf(stderr, "xt-torture: out of memory\n");
		exit(2);
	}
	for (i = 0; i < opt_threads; i++) {
		w[i].id = first + (int)i;
		w[i].st = &sh->w[w[i].id];
	}
	for (i = 1; i < opt_threads; i++)
		if (pthread_create(&tid[i], NULL, worker_main, &w[i])) {
			fprintf(stderr, "xt-torture: pthread_create failed\n");
			exit(2);
		}
	worker_main(&w[0]);
	for (i = 1; i < opt_threads; i++)
		pthread_join(tid[i], NULL);
	exit(sh->stop ? 1 : 0);
}

/* --- check mode ---------------------------------------------------------------- */
static void check_file(struct worker *w)
{
	if (w->f[0].fd < 0)
		return;
	verify_all(w, "check after remount");
	close(w->f[0].fd);
	w->f[0].fd = -1;
}

/* Verify DIR against the models that -M wrote (PREFIX.w00, .w01, ...). */
static int check_manifests(void)
{
	static struct worker w;
	struct tfile *f = &w.f[0];
	uint64_t files = 0;
	char path[PATH_MAX], line[256];
	struct stat st;
	int id;

	w.st = &sh->w[0];
	if (posix_memalign((void **)&w.buf, BLK, opt_max_len))
		return 2;
	opt_files = 1;
	f->fd = -1;
	for (id = 0; id < MAX_WORKERS; id++) {
		FILE *m;

		snprintf(path, sizeof(path), "%s.w%02d", opt_manifest, id);
		m = fopen(path, "r");
		if (!m)
			break;
		w.id = id;
		while (fgets(line, sizeof(line), m)) {
			struct seg s;
			uint64_t size;
			size_t nseg;
			char name[sizeof(f->name)];

			if (sscanf(line, "F %47s %" SCNu64 " %zu", name, &size,
				   &nseg) == 3) {
				check_file(&w);
				memcpy(f->name, name, sizeof(name));
				f->size = size;
				f->nseg = 0;
				f->fd = open(f->name, O_RDONLY | O_CLOEXEC);
				if (f->fd < 0)
					die_errno(&w, "open", f->name);
				if (!fstat(f->fd, &st))
					f->ino = st.st_ino;
				files++;
			} else if (sscanf(line, "S %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNd64,
					  &s.start, &s.end, &s.wid, &s.delta) == 4) {
				seg_push(&f->seg, &f->nseg, &f->cap, s);
			} else {
				fprintf(stderr, "xt-torture: %s: bad line: %s",
					path, line);
				return 2;
			}
		}
		fclose(m);
		check_file(&w);
	}
	printf("REPORT[%s-check] manifests=%d files=%" PRIu64 " verified_reads=%" PRIu64 " verified_mib=%.1f mismatches=%" PRIu64 "\n",
	       opt_tag, id, files, w.st->verified_reads,
	       w.st->verified_bytes / 1048576.0, w.st->mismatches);
	return id == 0 || files == 0 ? 2 : 0;
}

/* --- main ---------------------------------------------------------------------- */
static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end || end == s) {
		fprintf(stderr, "xt-torture: bad size '%s'\n", s);
		exit(3);
	}
	return v;
}

/* -x OP,... (weight 0) and -w OP=N,... (weight N). */
static void set_weights(char *list, int exclude)
{
	char *item, *save = NULL, *eq;
	unsigned int i;

	for (item = strtok_r(list, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		eq = strchr(item, '=');
		if (eq)
			*eq = '\0';
		for (i = 0; i < OP_NR; i++)
			if (!strcmp(item, op_names[i]))
				break;
		if (i == OP_NR || exclude == !!eq) {
			fprintf(stderr, "xt-torture: bad operation '%s'\n", item);
			exit(3);
		}
		op_weight[i] = exclude ? 0 : (unsigned int)strtoul(eq + 1, NULL, 0);
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xt-torture [-t SECS] [-n OPS] [-s SEED] [-p PROCS] [-j THREADS]\n"
		"                  [-f FILES] [-S SIZE] [-L LEN] [-E MS] [-T TAG]\n"
		"                  [-M PREFIX | -C PREFIX] [-x OP,...] [-w OP=N,...] [-u] [-v] DIR\n");
	exit(3);
}

static int write_param(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = write(fd, v, strlen(v));
	close(fd);
	return r == (ssize_t)strlen(v) ? 0 : -1;
}

int main(int argc, char **argv)
{
	pid_t pids[MAX_WORKERS];
	struct stats sum;
	unsigned int i, j, alive, toggles = 0, failed = 0;
	double next_toggle, secs;
	int c, on = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	opt_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((c = getopt(argc, argv, "t:n:s:p:j:f:S:L:E:T:M:C:x:w:uv")) != -1) {
		switch (c) {
		case 't': opt_secs = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'n': opt_max_ops = strtoull(optarg, NULL, 0); break;
		case 's': opt_seed = strtoull(optarg, NULL, 0); break;
		case 'p': opt_procs = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'j': opt_threads = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'f': opt_files = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'S': opt_max_size = parse_size(optarg); break;
		case 'L': opt_max_len = parse_size(optarg); break;
		case 'E': opt_toggle_ms = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'T': opt_tag = optarg; break;
		case 'M': opt_manifest = optarg; break;
		case 'C': opt_check = optarg; break;
		case 'x': set_weights(optarg, 1); break;
		case 'w': set_weights(optarg, 0); break;
		case 'u': opt_unaligned = 1; break;
		case 'v': opt_verbose = 1; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	opt_dir = argv[optind];
	if (!opt_procs || !opt_threads || opt_procs * opt_threads > MAX_WORKERS ||
	    opt_files < 2 || opt_files > MAX_FILES || opt_max_len < BLK ||
	    opt_max_len % BLK || opt_max_size < 4 * BLK || opt_max_size % BLK) {
		fprintf(stderr, "xt-torture: need 1 <= PROCS*THREADS <= %d, 2 <= FILES <= %d, LEN and SIZE multiples of %u (SIZE >= %u)\n",
			MAX_WORKERS, MAX_FILES, BLK, 4 * BLK);
		return 3;
	}
	if (chdir(opt_dir)) {
		fprintf(stderr, "xt-torture: %s: %s\n", opt_dir, strerror(errno));
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	if (opt_check) {
		opt_manifest = opt_check;
		return check_manifests();
	}
	for (i = 0; i < OP_NR; i++)
		total_weight += op_weight[i];
	if (!total_weight) {
		fprintf(stderr, "xt-torture: every operation has weight 0\n");
		return 3;
	}

	printf("INFO: xt-torture %s: seed=%" PRIu64 " secs=%u max_ops=%" PRIu64 " procs=%u threads=%u files=%u max_size=%" PRIu64 " max_len=%" PRIu64 " toggle_ms=%u unaligned=%d\n",
	       opt_dir, opt_seed, opt_secs, opt_max_ops, opt_procs, opt_threads,
	       opt_files, opt_max_size, opt_max_len, opt_toggle_ms,
	       opt_unaligned);
	deadline = now() + opt_secs;
	for (i = 0; i < opt_procs; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			sh->stop = 1;
			return 2;
		}
		if (pids[i] == 0)
			process_main((int)(i * opt_threads));
	}

	next_toggle = now() + opt_toggle_ms / 1000.0;
	for (alive = opt_procs; alive;) {
		int status;
		pid_t p = waitpid(-1, &status, opt_toggle_ms ? WNOHANG : 0);

		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0) {
			perror("waitpid");
			return 2;
		}
		if (p > 0) {
			alive--;
			if (WIFSIGNALED(status)) {
				printf("TORTURE-ERROR: worker process %d killed by signal %d%s\n",
				       (int)p, WTERMSIG(status),
				       WTERMSIG(status) == SIGKILL ?
				       " (the OOM killer?)" : "");
				sh->stop = 1;
				failed++;
			} else if (WEXITSTATUS(status)) {
				failed++;
			}
			continue;
		}
		if (sh->stop || now() < next_toggle) {
			usleep(10000);
			continue;
		}
		on = !on;
		if (write_param(ENABLED_PARAM, on ? "1\n" : "0\n")) {
			printf("TORTURE-ERROR: cannot write %s: %s\n",
			       ENABLED_PARAM, strerror(errno));
			sh->stop = 1;
			failed++;
		}
		toggles++;
		next_toggle = now() + (on ? 2 : 1) * opt_toggle_ms / 1000.0;
	}
	if (opt_toggle_ms && !on && write_param(ENABLED_PARAM, "1\n"))
		failed++;

	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < opt_procs * opt_threads; i++) {
		struct stats *s = &sh->w[i];

		sum.ops += s->ops;
		sum.verified_reads += s->verified_reads;
		sum.verified_bytes += s->verified_bytes;
		sum.mismatches += s->mismatches;
		sum.errors += s->errors;
		sum.inode_reuse += s->inode_reuse;
		sum.done += s->done;
		for (j = 0; j < OP_NR; j++) {
			sum.op_count[j] += s->op_count[j];
			sum.unsupported[j] += s->unsupported[j];
		}
	}
	secs = now() - (t_start.tv_sec + t_start.tv_nsec / 1e9);
	printf("REPORT[%s] seed=%" PRIu64 " secs=%.0f workers=%u ops=%" PRIu64 " verified_reads=%" PRIu64 " verified_mib=%.1f mismatches=%" PRIu64 " errors=%" PRIu64 " inode_reuse=%" PRIu64 " toggles=%u finished=%" PRIu64 "\n",
	       opt_tag, opt_seed, secs, opt_procs * opt_threads, sum.ops,
	       sum.verified_reads, sum.verified_bytes / 1048576.0,
	       sum.mismatches, sum.errors, sum.inode_reuse, toggles, sum.done);
	printf("REPORT[%s-ops]", opt_tag);
	for (j = 0; j < OP_NR; j++)
		printf(" %s=%" PRIu64, op_names[j], sum.op_count[j]);
	printf("\n");
	for (j = 0; j < OP_NR; j++)
		if (sum.unsupported[j])
			printf("INFO: xt-torture %s: %s unsupported (%" PRIu64 " tries)\n",
			       opt_dir, op_names[j], sum.unsupported[j]);
	if (sum.mismatches)
		return 1;
	if (failed || sum.errors || sum.done != opt_procs * opt_threads)
		return 2;
	return 0;
}
