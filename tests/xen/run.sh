#!/bin/sh
# Boot the test kernel as dom0 of a real Xen (Debian bookworm's 4.17,
# which has no tmem) under QEMU TCG, once as a PV and once as a PVH dom0,
# and run tests/xen/dom0.sh in it: xen_tmem must refuse to load with
# "the hypervisor has no tmem ... returned -38", and the emulated
# hypervisor must still serve hits there.
#
# usage: tests/xen/run.sh [pv|pvh]...        (default: pv pvh)
#
# Output: "PASS xen-MODE (...)" or "FAIL xen-MODE (see LOG)" per boot, the
# guest's REPORT lines, the log folder, then "N passed, M failed"; the
# exit status is non-zero if any failed.
#
# Xen comes from `apt-get download xen-hypervisor-4.17-amd64` (the
# machine's apt sources, else a private bookworm configuration), unpacked
# with dpkg-deb -x under $XEN_TMEM_CACHE/xen/ and never installed; the
# first download is kept and reused (XT_XEN_REFRESH=1 fetches the current
# one, XT_XEN_DEB=FILE uses that .deb, XT_XEN_APT=private skips the
# machine's apt sources). The kernel is the vmlinux of
# tests/qemu/kernel.sh; the modules are built against it from a fresh copy
# of the sources, as tests/qemu/run.sh does.
#
# Environment: XT_WORK (log folder; default $XT_CACHE/runs/xen-<time>-<pid>,
# of which the newest XT_KEEP_RUNS, default 10, are kept), XT_KEEP_DISKS=1,
# MEM (MiB for the machine, 1024; dom0 gets DOM0_MEM, 256M), SMP (1),
# TIMEOUT (s per boot, 120), APPEND (more dom0 kernel command line),
# XEN_APPEND (more Xen command line), XT_KDIR, XT_KCONFIG, XT_MOD_SRC,
# XT_EMU_SUBDIR (as for tests/qemu/run.sh).
#
# QEMU flags: tests/xen/lib.sh.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

qemu_dir=$XT_TOP/tests/qemu
here=$XT_TOP/tests/xen
for tool in qemu-system-x86_64 mkfs.ext4 cpio gzip timeout make \
	apt-get dpkg-deb flock; do
	command -v "$tool" > /dev/null ||
		xt_die "$tool not found (apt-get install qemu-system-x86 busybox-static e2fsprogs cpio)"
done

[ $# -gt 0 ] || set -- pv pvh
modes=
for m in "$@"; do
	case $m in
	pv | pvh) modes="$modes $m" ;;
	*) xt_die "unknown mode $m (pv or pvh)" ;;
	esac
done

# --- Xen ------------------------------------------------------------------------
xen_pkg=xen-hypervisor-4.17-amd64
xen_dir=$XT_CACHE/xen
mkdir -p "$xen_dir"

# xen_download DIR: apt-get download the package into the empty folder DIR,
# with the machine's apt sources, or else a private bookworm configuration.
xen_download() {
	if [ "${XT_XEN_APT:-}" != private ] &&
		(cd "$1" && apt-get -q -o APT::Sandbox::User=root download "$xen_pkg") >&2; then
		return 0
	fi
	[ "${XT_XEN_APT:-}" = private ] ||
		xt_log "apt: $xen_pkg not in this machine's sources; trying a private bookworm configuration"
	apt_dir=$xen_dir/apt
	apt_opts="-o Dir::Etc::sourcelist=$apt_dir/sources.list
		-o Dir::Etc::sourceparts=- -o Dir::State::Lists=$apt_dir/lists
		-o Dir::Cache=$apt_dir/cache -o Dir::State::status=$apt_dir/status
		-o APT::Sandbox::User=root -o Debug::NoLocking=1"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache"
	: > "$apt_dir/status"
	mirror=$(xt_mirror)
	[ -n "$mirror" ] || xt_die "no Debian mirror found in /etc/apt (set XT_MIRROR)"
	echo "deb $mirror bookworm main" > "$apt_dir/sources.list"
	# shellcheck disable=SC2086 # a list of options without spaces
	apt-get $apt_opts -qq update >&2
	# shellcheck disable=SC2086
	(cd "$1" && apt-get $apt_opts -q download "$xen_pkg") >&2
}

# xen_get: sets xen_ver and xen_elf (unpacked once, then reused).
xen_get() {
	exec 8> "$xen_dir/lock"
	flock 8
	xen_ver=$(cat "$xen_dir/version" 2> /dev/null || true)
	if [ -n "${XT_XEN_DEB:-}" ] || [ -n "${XT_XEN_REFRESH:-}" ] ||
		[ -z "$xen_ver" ] || [ ! -e "$xen_dir/$xen_ver/.unpacked" ]; then
		dl=$xen_dir/download
		rm -rf "$dl"
		mkdir -p "$dl"
		if [ -n "${XT_XEN_DEB:-}" ]; then
			cp "$XT_XEN_DEB" "$dl/"
		else
			xt_log "apt: download $xen_pkg (not installed)"
			xen_download "$dl"
		fi
		set -- "$dl"/*.deb
		if [ $# -ne 1 ] || [ ! -r "$1" ]; then
			xt_die "no single $xen_pkg .deb in $dl"
		fi
		xen_ver=$(dpkg-deb -f "$1" Version)
		mkdir -p "$xen_dir/debs"
		mv "$1" "$xen_dir/debs/"
		deb=$xen_dir/debs/$(basename "$1")
		out=$xen_dir/$xen_ver
		rm -rf "$out"
		mkdir -p "$out/root"
		dpkg-deb -x "$deb" "$out/root"
		set -- "$out"/root/boot/xen-*.gz
		[ -r "$1" ] || xt_die "$deb has no /boot/xen-*.gz"
		# QEMU's multiboot loader wants the ELF, not the .gz.
		gzip -dc "$1" > "$out/xen.elf"
		rm -rf "$out/root" "$dl"
		touch "$out/.unpacked"
		echo "$xen_ver" > "$xen_dir/version"
	fi
	xen_elf=$xen_dir/$xen_ver/xen.elf
	exec 8>&-
}

# --- work folder ----------------------------------------------------------------
xt_work_dir "xen-"

# --- Xen, kernel and modules ------------------------------------------------------
xen_get
xt_log "xen: $xen_pkg $xen_ver ($xen_elf)"

kdir=$(xt_kernel_dir)
# vmlinux: Xen's PV builder takes it, and only it has the PVH entry note.
kernel=$kdir/vmlinux
[ -r "$kernel" ] || xt_die "no kernel image $kernel"

xt_build_modules "$kdir" "$work"

initramfs=$work/initramfs.cpio.gz
sh "$qemu_dir/mkinitramfs.sh" "$initramfs" "$here/dom0.sh" "$tmem_ko" "$emu_ko"

# boot MODE DIR: one Xen boot with dom0 in MODE and an empty ext4 disk.
boot() {
	disk=$2/disk.img
	rm -f "$disk"
	truncate -s 64M "$disk"
	mkfs.ext4 -q -F -b 4096 "$disk"
	rc=0
	xen_boot "$xen_elf" "$kernel" "$initramfs" "$1" "$2/serial.log" intel \
		"$disk" || rc=$?
	[ -n "${XT_KEEP_DISKS:-}" ] || rm -f "$disk"
	return "$rc"
}

passed=0
failed=0
results=$work/results.txt
: > "$results"
for mode in $modes; do
	name=xen-$mode
	dir=$work/$name
	mkdir -p "$dir"
	xt_log "boot $name"
	t0=$(date +%s.%N)
	boot "$mode" "$dir" > "$dir/qemu.out" 2>&1 ||
		echo "qemu exit status $?" >> "$dir/qemu.out"
	t1=$(date +%s.%N)
	secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
	ok=1
	xen_judge "$dir" "$mode" || ok=0
	info=$(sed -n 's/^REPORT\[xen\] mode=[a-z]* type=\([a-z]*\) version=\([^ ]*\) guest_type=\([A-Za-z]*\).*/Xen \2, guest_type \3/p' \
		"$dir/dom0.log" | head -n 1)
	if [ "$ok" = 1 ]; then
		line="PASS $name (${info:+$info, }$xen_checks checks, $secs s)"
		passed=$((passed + 1))
	else
		line="FAIL $name (see $dir/serial.log; $secs s)"
		failed=$((failed + 1))
	fi
	echo "$line" >> "$results"
	xen_show "$dir" "$line"
done

echo "logs: $work"
echo "$passed passed, $failed failed" | tee -a "$results"
[ "$failed" -eq 0 ]
