# shellcheck shell=sh
# What tests/kernels/dkms.sh expects of each kernel in ../shared/kernels
# (sourced). A kernel folder missing here fails the suite: add its rows.
#
# kernel_dkms FOLDER: the dkms releases its distribution ships.
#   5.4.59    vanilla base of Ubuntu 20.04's kernels: Ubuntu 20.04's 2.8.1
#   5.15.100  vanilla base of Ubuntu 22.04's kernels: Ubuntu 22.04's 2.8.7
#   4.18.0-147.5.1.el8  RHEL 8.1: EPEL 8 carries the 3.x line
kernel_dkms() {
	case $1 in
	5.4.59) echo 2.8.1 ;;
	5.15.100) echo 2.8.7 ;;
	4.18.0-147.5.1.el8) echo 3.0.11 3.1.8 3.2.2 ;;
	esac
}

# kernel_scenarios FOLDER: the QEMU scenarios (tests/qemu/scenarios) run
# on that kernel with the module its dkms built (tests/kernels/boot.sh):
# every one on Ubuntu 20.04's base, the kernel most cleancache users
# run; on the others those that cover the data path, the parameters and
# the kernel interfaces the module uses (cleancache mount and invalidate
# hooks, frontswap chained with zswap), a short torture run,
# zero-race (the guard is off on these builds, which lack kretprobes: the
# scenario checks that the module says so and shows the hole), and
# selfballoon (the out-of-memory notifier; on 4.18 totalram_pages is
# still a variable).
kernel_scenarios() {
	case $1 in
	5.4.59)
		for _s in "$XT_TOP"/tests/qemu/scenarios/*.sh; do
			basename "$_s" .sh
		done
		;;
	5.15.100 | 4.18.0-147.5.1.el8)
		echo readback coherency premount switch forget badparams swap \
			zswap torture zero-race selfballoon
		;;
	esac
}

# kernel_torture_xops FOLDER: the xt-torture operations the torture
# scenario leaves out on that kernel (TORTURE_XOPS), because its ext4
# loses data with no cleancache backend at all:
#   4.18.0-147.5.1.el8: a one-block FALLOC_FL_ZERO_RANGE inside written
#   data leaves the blocks after it, to the end of their extent, reading
#   zeros, on the disk too (seen: zero [45056, +4096) -> [49152, 176128)
#   zeros). The ext4 torture without xen_tmem loaded: 3 of 6 40-second
#   runs lost data; with it loaded 2 of 6; without zero ranges 0 of 6
#   (xt-torture -x zero); every other operation kept.
kernel_torture_xops() {
	case $1 in
	4.18.0-147.5.1.el8) echo zero ;;
	esac
}

# kernel_xen_cases FOLDER: the cases of tests/xen/tmem.sh run with that
# kernel as the PV dom0 of Xen 4.12 with tmem: a distribution kernel on
# the real hypercall.
kernel_xen_cases() {
	echo readback
}

# kernel_config FOLDER: the HAVE_* lines src/probe.sh must write into
# src/config.h for that kernel, sorted. Read from each kernel's headers
# (the .deb's usr/src/linux-headers-*), not from a version number:
#
# 5.4.59 and 5.15.100:
#   include/linux/cleancache.h:41
#     extern int cleancache_register_ops(const struct cleancache_ops *ops);
#     -> HAVE_CLEANCACHE_REGISTER_INT, HAVE_CLEANCACHE_CONST_OPS
#   include/linux/cleancache.h:31
#     int (*init_shared_fs)(uuid_t *uuid, size_t);  -> HAVE_CLEANCACHE_UUID_T
#   include/linux/frontswap.h:26
#     extern void frontswap_register_ops(struct frontswap_ops *ops);
#     -> HAVE_FRONTSWAP_REGISTER_VOID
#   include/xen/page.h:32 (5.15: :31)
#     static inline unsigned long xen_page_to_gfn(struct page *page)
#     -> HAVE_XEN_PAGE_TO_GFN
# 4.18.0-147.5.1.el8 (RHEL 8.1; its cleancache.h is byte for byte 5.4's):
#   cleancache.h:41 int cleancache_register_ops(const ...), :31 uuid_t *;
#   frontswap.h:19 extern void frontswap_register_ops(...);
#   xen/page.h:32 xen_page_to_gfn(): the same five answers.
# All three (self-ballooning):
#   include/linux/mm.h: long si_mem_available(void);  -> HAVE_SI_MEM_AVAILABLE
#   include/xen/balloon.h: void balloon_set_new_target(unsigned long target);
#     -> HAVE_XEN_BALLOON_SET_TARGET
# 5.4.59 and 5.15.100 only:
#   include/linux/mm.h: static inline unsigned long totalram_pages(void)
#     -> HAVE_TOTALRAM_PAGES_FN (4.18: extern unsigned long totalram_pages;)
kernel_config() {
	case $1 in
	5.4.59 | 5.15.100 | 4.18.0-147.5.1.el8)
		echo "#define HAVE_CLEANCACHE_CONST_OPS 1"
		echo "#define HAVE_CLEANCACHE_REGISTER_INT 1"
		echo "#define HAVE_CLEANCACHE_UUID_T 1"
		echo "#define HAVE_FRONTSWAP_REGISTER_VOID 1"
		echo "#define HAVE_SI_MEM_AVAILABLE 1"
		case $1 in
		5.*) echo "#define HAVE_TOTALRAM_PAGES_FN 1" ;;
		esac
		echo "#define HAVE_XEN_BALLOON_SET_TARGET 1"
		echo "#define HAVE_XEN_PAGE_TO_GFN 1"
		;;
	esac
}

# status_line RELEASE KERNEL VERSION: the "dkms status" line of an
# installed build, as that release prints it (do_status in its dkms).
status_line() {
	case $1 in
	2.8.1) echo "xen-tmem, $3, $2, x86_64: installed" ;;
	*) echo "xen-tmem/$3, $2, x86_64: installed" ;;
	esac
}

# skip_rc RELEASE: the exit status of "dkms build" for a kernel dkms.conf
# excludes, and the one that release's own package postinst
# (dkms_common.postinst) reports as "Skipped." rather than failing: 9
# (BUILD_EXCLUSIVE_KERNEL) before 3.0.11, 77 from 3.0.11 on.
skip_rc() {
	case $1 in
	2.* | 3.0.[0-9] | 3.0.10) echo 9 ;;
	*) echo 77 ;;
	esac
}
