// SPDX-License-Identifier: GPL-2.0
/*
 * xt-hvstat: what Xen itself says about its memory and tmem, read in a
 * dom0 through /dev/xen/privcmd (the sysctl hypercall), for the tests on
 * a real tmem hypervisor (tests/xen). Built static, like the other guest
 * programs; it needs no Xen library.
 *
 *   xt-hvstat physinfo    total_pages=N free_pages=N scrub_pages=N
 *                         outstanding_pages=N (XEN_SYSCTL_physinfo)
 *   xt-hvstat tmem        tmem's own statistics, as Xen prints them for
 *                         the control tools (XEN_SYSCTL_TMEM_OP_LIST,
 *                         long form): one G= line (global), S= lines
 *                         (shared pools), C= and P= lines per client
 *   xt-hvstat freeable    freeable_mb=N (XEN_SYSCTL_TMEM_OP_QUERY_FREEABLE_MB)
 *
 * The sysctl layout is Xen 4.12's (interface version 0x12, the last
 * with tmem); XT_SYSCTL_VERSION=0xNN overrides it. Exit status: 0, or 1
 * with one line on stderr naming the failing step and errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* Linux's include/uapi/xen/privcmd.h */
struct xt_privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};

#define XT_IOCTL_PRIVCMD_HYPERCALL \
	_IOC(_IOC_NONE, 'P', 0, sizeof(struct xt_privcmd_hypercall))

/* Xen 4.12's xen/include/public/{xen,sysctl}.h */
#define XT_HYPERVISOR_SYSCTL 35
#define XT_SYSCTL_VERSION 0x00000012
#define XT_SYSCTL_PHYSINFO 3
#define XT_SYSCTL_TMEM_OP 24
#define XT_TMEM_OP_LIST 4
#define XT_TMEM_OP_QUERY_FREEABLE_MB 8
#define XT_TMEM_ALL_CLIENTS 0xFFFFU

struct xt_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus;
	uint32_t max_cpu_id;
	uint32_t nr_nodes;
	uint32_t max_node_id;
	uint32_t cpu_khz;
	uint32_t capabilities;
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t scrub_pages;
	uint64_t outstanding_pages;
	uint64_t max_mfn;
	uint32_t hw_cap[8];
};

struct xt_sysctl_tmem_op {
	uint32_t cmd;
	int32_t pool_id;
	uint32_t cli_id;
	uint32_t len;
	uint32_t arg;
	uint32_t pad;
	uint64_t oid[3];
	uint64_t buf;
};

struct xt_sysctl {
	uint32_t cmd;
	uint32_t interface_version;
	union {
		struct xt_physinfo physinfo;
		struct xt_sysctl_tmem_op tmem_op;
		uint8_t pad[128];
	} u;
};

_Static_assert(sizeof(struct xt_physinfo) == 104, "physinfo layout");
_Static_assert(sizeof(struct xt_sysctl_tmem_op) == 56, "tmem_op layout");
_Static_assert(sizeof(struct xt_sysctl) == 136, "sysctl layout");

#define XT_LIST_LEN (64 * 1024)

static int xt_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "xt-hvstat: %s: %s\n", what, strerror(errno));
	exit(1);
}

/*
 * Memory that Xen reads and writes during the hypercall must be present
 * (Xen does not take the guest's page faults): locked, and touched.
 */
static void *locked(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	if (mlock(p, len))
		die("mlock");
	memset(p, 0, len);
	return p;
}

static uint32_t version(void)
{
	const char *v = getenv("XT_SYSCTL_VERSION");

	return v ? (uint32_t)strtoul(v, NULL, 0) : XT_SYSCTL_VERSION;
}

static long sysctl(struct xt_sysctl *s, const char *what)
{
	struct xt_privcmd_hypercall h = { .op = XT_HYPERVISOR_SYSCTL };
	long rc;

	if (xt_fd < 0) {
		xt_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
		if (xt_fd < 0)
			die("open /dev/xen/privcmd");
	}
	s->interface_version = version();
	h.arg[0] = (uintptr_t)s;
	rc = ioctl(xt_fd, XT_IOCTL_PRIVCMD_HYPERCALL, &h);
	if (rc < 0)
		die(what);
	return rc;
}

static int physinfo(struct xt_sysctl *s)
{
	struct xt_physinfo *p = &s->u.physinfo;

	s->cmd = XT_SYSCTL_PHYSINFO;
	sysctl(s, "sysctl physinfo");
	printf("total_pages=%llu free_pages=%llu scrub_pages=%llu outstanding_pages=%llu nr_cpus=%u\n",
	       (unsigned long long)p->total_pages,
	       (unsigned long long)p->free_pages,
	       (unsigned long long)p->scrub_pages,
	       (unsigned long long)p->outstanding_pages, p->nr_cpus);
	return 0;
}

static int tmem_list(struct xt_sysctl *s)
{
	char *buf = locked(XT_LIST_LEN);
	struct xt_sysctl_tmem_op *t = &s->u.tmem_op;
	size_t i, n;

	s->cmd = XT_SYSCTL_TMEM_OP;
	t->cmd = XT_TMEM_OP_LIST;
	t->cli_id = XT_TMEM_ALL_CLIENTS;
	t->len = XT_LIST_LEN - 1;
	t->arg = 1;	/* the long form: every counter */
	t->buf = (uintptr_t)buf;
	sysctl(s, "sysctl tmem_op list");
	/* Xen copies each line with its NUL; the next line overwrites it. */
	n = strnlen(buf, XT_LIST_LEN);
	for (i = 0; i < n; i++)
		putchar(buf[i]);
	if (n && buf[n - 1] != '\n')
		putchar('\n');
	return 0;
}

static int freeable(struct xt_sysctl *s)
{
	struct xt_sysctl_tmem_op *t = &s->u.tmem_op;

	s->cmd = XT_SYSCTL_TMEM_OP;
	t->cmd = XT_TMEM_OP_QUERY_FREEABLE_MB;
	printf("freeable_mb=%ld\n", sysctl(s, "sysctl tmem_op query_freeable_mb"));
	return 0;
}

int main(int argc, char **argv)
{
	struct xt_sysctl *s;

	if (argc != 2) {
		fprintf(stderr, "usage: xt-hvstat physinfo|tmem|freeable\n");
		return 2;
	}
	s = locked(sizeof(*s));
	if (!strcmp(argv[1], "physinfo"))
		return physinfo(s);
	if (!strcmp(argv[1], "tmem"))
		return tmem_list(s);
	if (!strcmp(argv[1], "freeable"))
		return freeable(s);
	fprintf(stderr, "xt-hvstat: unknown command %s\n", argv[1]);
	return 2;
}
