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
# QEMU flags, as measured (see tests/xen/README.md):
#   PV:  -cpu max,-smap (with SMAP under TCG: "Hardware Dom0 halted", hang)
#   PVH: -cpu qemu64,+svm,+npt, q35 with kernel-irqchip=split and an
#        intel-iommu (Xen needs an IOMMU for a PVH dom0) with aw-bits=48
#        (else Xen fails "setup 0000:00:03.0 for d0 failed (-12)" and the
#        disk never appears), and the disk with iommu_platform=on, so its
#        DMA goes through the IOMMU that maps dom0's frames.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

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
prune_runs() {
	set -- "$XT_CACHE"/runs/xen-*/
	n=$#
	while [ "$n" -gt "${XT_KEEP_RUNS:-10}" ] && [ -d "$1" ]; do
		rm -rf "$1"
		shift
		n=$((n - 1))
	done
}

if [ -n "${XT_WORK:-}" ]; then
	work=$XT_WORK
else
	work=$XT_CACHE/runs/xen-$(date +%Y%m%d-%H%M%S)-$$
	mkdir -p "$work"
	prune_runs
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)

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

# QEMU splits the -initrd list on commas (",," is a literal one) and each
# module's file name ends at the first space.
for f in "$kernel" "$initramfs"; do
	case $f in
	*[[:space:]]*) xt_die "a path with white space cannot go into -initrd: $f" ;;
	esac
done
case ${APPEND:-} in
*,*) xt_die "APPEND must not contain a comma: $APPEND" ;;
esac
initrd_path() {
	printf '%s' "$1" | sed 's/,/,,/g'
}

# --- one boot -------------------------------------------------------------------
# xen_log_check XENLOG MODE: Xen built a dom0 of the kind MODE asked for,
# and its own lines do not say that Xen or dom0 died.
xen_log_check() {
	bad=0
	case $2 in
	pv) want='Building a PV Dom0' ;;
	pvh) want='Building a PVH Dom0' ;;
	esac
	if ! grep -q "$want" "$1"; then
		echo "xen-log: $1: no '$want' line"
		bad=1
	fi
	if grep -n -e 'Panic on CPU' -e 'FATAL' -e 'Xen BUG' -e 'Assertion' \
		-e 'Xen call trace' -e 'crashed' -e 'domain_crash' -e 'Unhandled' \
		-e 'Dom0 halted' "$1"; then
		echo "xen-log: $1: Xen reports a crash (lines above)"
		bad=1
	fi
	# PVH dom0 always gets this one.
	if grep -n 'WARNING' "$1" |
		grep -v 'WARNING: PVH is an experimental mode with limited functionality'; then
		echo "xen-log: $1: unexpected Xen warning (lines above)"
		bad=1
	fi
	return "$bad"
}

# boot MODE DIR: one Xen boot with dom0 in MODE (pv or pvh); returns QEMU's
# status.
boot() {
	mode=$1
	dir=$2
	disk=$dir/disk.img
	rm -f "$disk"
	truncate -s 64M "$disk"
	mkfs.ext4 -q -F -b 4096 "$disk"
	xen_cmd="console=com1 com1=115200,8n1 dom0_mem=${DOM0_MEM:-256M},max:${DOM0_MEM:-256M} loglvl=all guest_loglvl=all"
	linux_cmd="console=hvc0 earlyprintk=xen panic=-1 oops=panic loglevel=6 xt_xen_mode=$mode ${APPEND:-}"
	case $mode in
	pv)
		machine=q35
		cpu=max,-smap
		disk_opts=
		set --
		;;
	pvh)
		machine=q35,kernel-irqchip=split
		cpu=qemu64,+svm,+npt
		xen_cmd="$xen_cmd dom0=pvh iommu=1"
		disk_opts=,iommu_platform=on,disable-legacy=on
		set -- -device intel-iommu,intremap=on,aw-bits=48
		;;
	esac
	to=${TIMEOUT:-120}
	rc=0
	timeout --foreground -k 5 "$to" \
		qemu-system-x86_64 -M "$machine" -accel tcg -cpu "$cpu" \
		-m "${MEM:-1024}" -smp "${SMP:-1}" \
		-nographic -no-reboot -monitor none -serial stdio \
		-kernel "$xen_elf" -append "$xen_cmd ${XEN_APPEND:-}" \
		-initrd "$(initrd_path "$kernel") $linux_cmd,$(initrd_path "$initramfs")" \
		"$@" \
		-drive "file=$disk,if=none,id=d0,format=raw,cache=unsafe" \
		-device "virtio-blk-pci,drive=d0$disk_opts" \
		< /dev/null > "$dir/serial.log" 2>&1 || rc=$?
	case $rc in
	124 | 137) echo "run-qemu: killed after $to s (tests/xen/run.sh)" >> "$dir/serial.log" ;;
	esac
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
	# Xen's lines start with "(XEN)"; the rest is dom0's console (hvc0).
	tr -d '\r' < "$dir/serial.log" > "$dir/serial.txt"
	grep '^(XEN)' "$dir/serial.txt" > "$dir/xen.log" || true
	grep -v '^(XEN)' "$dir/serial.txt" > "$dir/dom0.log" || true
	checks=$(grep -c -e 'CHECK-OK' -e 'CHECK-FAIL' "$dir/dom0.log" || true)
	ok=1
	sh "$qemu_dir/check-log.sh" "$dir/dom0.log" > "$dir/check.txt" 2>&1 || ok=0
	xen_log_check "$dir/xen.log" "$mode" >> "$dir/check.txt" 2>&1 || ok=0
	info=$(sed -n 's/^REPORT\[xen\] mode=[a-z]* type=\([a-z]*\) version=\([^ ]*\) guest_type=\([A-Za-z]*\).*/Xen \2, guest_type \3/p' \
		"$dir/dom0.log" | head -n 1)
	if [ "$ok" = 1 ]; then
		line="PASS $name (${info:+$info, }$checks checks, $secs s)"
		passed=$((passed + 1))
	else
		line="FAIL $name (see $dir/serial.log; $secs s)"
		failed=$((failed + 1))
	fi
	echo "$line"
	echo "$line" >> "$results"
	if [ "$ok" = 0 ]; then
		sed 's/^/    /' "$dir/check.txt" | head -n 40
		[ ! -s "$dir/qemu.out" ] || sed 's/^/    qemu: /' "$dir/qemu.out"
	fi
	grep -o 'REPORT\[.*' "$dir/dom0.log" | sed 's/^/    /' || true
done

echo "logs: $work"
echo "$passed passed, $failed failed" | tee -a "$results"
[ "$failed" -eq 0 ]
