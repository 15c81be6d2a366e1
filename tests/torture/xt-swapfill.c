// SPDX-License-Identifier: GPL-2.0
/*
 * xt-swapfill: fill anonymous memory with a pattern that names its page
 * and its generation, let it go to swap (run it in a memory cgroup well
 * below its size), and read it back checking every byte. It is the data
 * check of the frontswap scenarios and the swap workload of the
 * benchmark, run inside the QEMU test guest.
 *
 * Every 8-byte word of page p at generation g is a function of (seed, p,
 * g, word index); the first four words are a header (magic, seed, p, g),
 * so a page that comes back from the wrong place or from an older
 * generation is detected, and the mismatch report says where it came
 * from. Phases: fill (generation 1); optionally wait; verify in order and
 * in a seeded random order; then ROUNDS times: rewrite a seeded random
 * share of the pages with the next generation (the old copies in swap
 * must be invalidated, the new ones stored) and verify again in both
 * orders; optionally wait before exiting (memory still held).
 *
 * usage: xt-swapfill [options]
 *   -m MIB      anonymous memory to fill (default 64)
 *   -s SEED     seed (default: from the clock; always printed)
 *   -r PCT      share of the pages rewritten per round, % (default 25)
 *   -R ROUNDS   rewrite rounds (default 1; 0: none)
 *   -c PCT      share of each page that is unique, % (default 100: the
 *               page does not compress; lower: the rest of the page
 *               repeats a 128-byte block of the page, so zswap can
 *               compress it; every word still depends on page and
 *               generation)
 *   -w FILE     after the fill, wait until FILE exists or SIGUSR1 comes
 *   -W FILE     at the end, wait until FILE exists or SIGUSR1 comes
 *   -T TAG      tag of the REPORT line (default swapfill)
 *   -P          after the fill and each rewrite, page the whole area out
 *               (MADV_PAGEOUT, Linux 5.4+): every page goes to swap now,
 *               whatever the memory pressure, so the count of pages
 *               swapped out is the same from run to run
 *   -H          ask for transparent huge pages (MADV_HUGEPAGE on a
 *               2 MiB-aligned area; default MADV_NOHUGEPAGE), so that
 *               the kernel swaps huge pages whole where it can
 *   -q          no per-phase lines
 *   -X          self-test of the checker: after the fill, copy page 1
 *               over page 0 and write page 2 as generation 0 (needs 3
 *               pages; the run must then report 2 bad pages and exit 1)
 * Output: "xt-swapfill: phase NAME pages N ms T" per phase, a
 * "REPORT[TAG] ..." line (ms: the time of all phases but the waits), and "xt-swapfill: pages N verified M
 * mismatches K gen G seed S". On a wrong page a MISMATCH line (the first
 * few bad pages: page, byte offset of the first bad word, expected and
 * actual word, how many words are bad, whose header the page carries).
 * Exit status: 0 all correct, 1 a mismatch, 2 a system call failed,
 * 3 bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21	/* Linux 5.4 */
#endif

#define PAGE		4096u
#define HUGE		(2u << 20)	/* x86 transparent huge page */
#define WORDS		(PAGE / 8)
#define HDR_WORDS	4
#define REPEAT_WORDS	16
#define MAGIC		0x78742d7377617066ull	/* "xt-swapf" */
#define MAX_REPORTS	8

static uint64_t opt_seed;
static unsigned long opt_mib = 64;
static unsigned int opt_rewrite_pct = 25;
static unsigned int opt_rounds = 1;
static unsigned int opt_unique_pct = 100;
static const char *opt_wait_file;
static const char *opt_hold_file;
static const char *opt_tag = "swapfill";
static int opt_quiet;
static int opt_huge;
static int opt_pageout;
static int opt_selftest;

static uint64_t *mem;
static uint32_t *gens;
static uint32_t *order;
static size_t npages;
static unsigned int unique_words;
static uint64_t verified, mismatches, reports;
static double waited_ms;

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state += 0x9e3779b97f4a7c15ull;
	return mix64(rng_state);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t page_base(size_t p, uint32_t gen)
{
	return mix64(opt_seed ^ mix64(((uint64_t)p << 20) + gen));
}

/* word i (>= HDR_WORDS) of a page whose base is b */
static inline uint64_t word_of(uint64_t b, unsigned int i)
{
	if (i >= unique_words)
		i = unique_words - REPEAT_WORDS + i % REPEAT_WORDS;
	return b ^ (i * 0x9e3779b97f4a7c15ull);
}

static void fill_page(size_t p)
{
	uint64_t *w = mem + p * WORDS;
	uint64_t b = page_base(p, gens[p]);
	unsigned int i;

	w[0] = MAGIC;
	w[1] = opt_seed;
	w[2] = p;
	w[3] = gens[p];
	for (i = HDR_WORDS; i < WORDS; i++)
		w[i] = word_of(b, i);
}

static uint64_t expected_word(size_t p, unsigned int i)
{
	switch (i) {
	case 0: return MAGIC;
	case 1: return opt_seed;
	case 2: return p;
	case 3: return gens[p];
	}
	return word_of(page_base(p, gens[p]), i);
}

static void report_page(const char *phase, size_t p)
{
	const uint64_t *w = mem + p * WORDS;
	unsigned int i, first = WORDS, bad = 0;
	char from[160];

	for (i = 0; i < WORDS; i++) {
		if (w[i] != expected_word(p, i)) {
			bad++;
			if (first == WORDS)
				first = i;
		}
	}
	if (w[0] == MAGIC && w[1] == opt_seed)
		snprintf(from, sizeof(from), "its header names page %" PRIu64
			 " gen %" PRIu64 "%s", w[2], w[3],
			 w[2] == p && w[3] < gens[p] ? " (an older generation)" :
			 w[2] != p ? " (another page)" : "");
	else if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0)
		snprintf(from, sizeof(from), "its header is zero");
	else
		snprintf(from, sizeof(from), "no header (0x%016" PRIx64
			 " 0x%016" PRIx64 ")", w[0], w[1]);
	printf("xt-swapfill: MISMATCH phase %s page %zu (offset 0x%zx) word %u (byte 0x%x): expected 0x%016" PRIx64
	       " got 0x%016" PRIx64 ", %u of %u words bad, expected gen %u, %s\n",
	       phase, p, p * PAGE, first, first * 8,
	       first < WORDS ? expected_word(p, first) : 0,
	       first < WORDS ? w[first] : 0, bad, WORDS, gens[p], from);
}

static int check_page(const char *phase, size_t p)
{
	const uint64_t *w = mem + p * WORDS;
	uint64_t b = page_base(p, gens[p]);
	unsigned int i;
	int ok;

	ok = w[0] == MAGIC && w[1] == opt_seed && w[2] == p &&
	     w[3] == gens[p];
	for (i = HDR_WORDS; ok && i < WORDS; i++)
		ok = w[i] == word_of(b, i);
	verified++;
	if (ok)
		return 0;
	mismatches++;
	if (reports++ < MAX_REPORTS)
		report_page(phase, p);
	return 1;
}

static void phase_line(const char *name, size_t pages, double t0)
{
	if (!opt_quiet)
		printf("xt-swapfill: phase %s pages %zu ms %.0f mismatches %"
		       PRIu64 "\n", name, pages, now_ms() - t0, mismatches);
}

static void verify_seq(const char *name)
{
	double t0 = now_ms();
	size_t p;

	for (p = 0; p < npages; p++)
		check_page(name, p);
	phase_line(name, npages, t0);
}

static void verify_random(const char *name)
{
	double t0 = now_ms();
	size_t p, j;
	uint32_t t;

	for (p = npages - 1; p > 0; p--) {
		j = rng() % (p + 1);
		t = order[p];
		order[p] = order[j];
		order[j] = t;
	}
	for (p = 0; p < npages; p++)
		check_page(name, order[p]);
	phase_line(name, npages, t0);
}

static size_t rewrite(const char *name)
{
	double t0 = now_ms();
	size_t p, n = 0;

	for (p = 0; p < npages; p++) {
		if (rng() % 100 >= opt_rewrite_pct)
			continue;
		gens[p]++;
		fill_page(p);
		n++;
	}
	phase_line(name, n, t0);
	return n;
}

/* SIGUSR1 is blocked: it stays pending until sigtimedwait() takes it. */
static void wait_for(const char *file)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	double t0 = now_ms();
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	printf("xt-swapfill: waiting for %s or SIGUSR1 (pid %d)\n", file,
	       (int)getpid());
	while (access(file, F_OK) != 0)
		if (sigtimedwait(&set, NULL, &ts) == SIGUSR1)
			break;
	waited_ms += now_ms() - t0;
	phase_line("wait", 0, t0);
}

static void usage(void)
{
	fprintf(stderr, "Usage: xt-swapfill [-m MIB] [-s SEED] [-r PCT] [-R ROUNDS] [-c PCT] [-w FILE] [-W FILE] [-T TAG] [-H] [-P] [-q] [-X]\n");
	exit(3);
}

static unsigned long number(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max)
		usage();
	return v;
}

/* With -P: page the whole area out now. Returns non-zero on failure. */
static int pageout(const char *name)
{
	double t0 = now_ms();

	if (!opt_pageout)
		return 0;
	if (madvise(mem, npages * PAGE, MADV_PAGEOUT)) {
		printf("xt-swapfill: MADV_PAGEOUT: %s (Linux 5.4 or later needed)\n",
		       strerror(errno));
		return 1;
	}
	phase_line(name, npages, t0);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int r, top_gen = 1;
	sigset_t set;
	char name[32];
	double t0, t_all;
	size_t p, rewritten = 0;
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	opt_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((c = getopt(argc, argv, "m:s:r:R:c:w:W:T:HPqX")) != -1) {
		switch (c) {
		case 'm':
			opt_mib = number(optarg, 1ul << 20);
			break;
		case 's':
			opt_seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			opt_rewrite_pct = number(optarg, 100);
			break;
		case 'R':
			opt_rounds = number(optarg, 1000);
			break;
		case 'c':
			opt_unique_pct = number(optarg, 100);
			break;
		case 'w':
			opt_wait_file = optarg;
			break;
		case 'W':
			opt_hold_file = optarg;
			break;
		case 'T':
			opt_tag = optarg;
			break;
		case 'H':
			opt_huge = 1;
			break;
		case 'P':
			opt_pageout = 1;
			break;
		case 'q':
			opt_quiet = 1;
			break;
		case 'X':
			opt_selftest = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || !opt_mib)
		usage();
	npages = opt_mib * (1024 * 1024 / PAGE);
	unique_words = WORDS * opt_unique_pct / 100;
	if (unique_words < HDR_WORDS + REPEAT_WORDS)
		unique_words = HDR_WORDS + REPEAT_WORDS;
	rng_state = opt_seed;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);

	gens = calloc(npages, sizeof(*gens));
	order = calloc(npages, sizeof(*order));
	/* One huge page more, to start on a huge-page boundary. */
	mem = mmap(NULL, npages * PAGE + HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!gens || !order || mem == MAP_FAILED) {
		printf("xt-swapfill: out of memory for %lu MiB: %s\n", opt_mib,
		       strerror(errno));
		return 2;
	}
	mem = (uint64_t *)(((uintptr_t)mem + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
	if (madvise(mem, npages * PAGE,
		    opt_huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) && opt_huge) {
		printf("xt-swapfill: MADV_HUGEPAGE: %s (no transparent huge pages in this kernel?)\n",
		       strerror(errno));
		return 2;
	}
	for (p = 0; p < npages; p++)
		order[p] = p;
	printf("xt-swapfill: seed 0x%016" PRIx64 " pages %zu (%lu MiB) unique %u%% rewrite %u%% x %u\n",
	       opt_seed, npages, opt_mib, opt_unique_pct, opt_rewrite_pct,
	       opt_rounds);

	t_all = t0 = now_ms();
	for (p = 0; p < npages; p++) {
		gens[p] = 1;
		fill_page(p);
	}
	phase_line("fill", npages, t0);
	if (pageout("pageout"))
		return 2;
	if (opt_selftest) {
		memcpy(mem, mem + WORDS, PAGE);
		gens[2] = 0;
		fill_page(2);
		gens[2] = 1;
	}
	if (opt_wait_file)
		wait_for(opt_wait_file);
	verify_seq("verify-seq");
	verify_random("verify-random");
	for (r = 1; r <= opt_rounds; r++) {
		top_gen++;
		snprintf(name, sizeof(name), "rewrite-%u", r);
		rewritten += rewrite(name);
		snprintf(name, sizeof(name), "pageout-%u", r);
		if (pageout(name))
			return 2;
		snprintf(name, sizeof(name), "verify-seq-%u", r);
		verify_seq(name);
		snprintf(name, sizeof(name), "verify-random-%u", r);
		verify_random(name);
	}
	if (opt_hold_file)
		wait_for(opt_hold_file);
	printf("REPORT[%s] pages=%zu verified=%" PRIu64 " mismatches=%" PRIu64
	       " rewritten=%zu gen=%u ms=%.0f seed=0x%016" PRIx64 "\n", opt_tag,
	       npages, verified, mismatches, rewritten, top_gen,
	       now_ms() - t_all - waited_ms, opt_seed);
	printf("xt-swapfill: pages %zu verified %" PRIu64 " mismatches %" PRIu64
	       " gen %u seed 0x%016" PRIx64 "\n", npages, verified, mismatches,
	       top_gen, opt_seed);
	return mismatches ? 1 : 0;
}
