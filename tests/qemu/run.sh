#!/bin/sh
# Run the QEMU scenarios: the test entry point.
#
# usage: tests/qemu/run.sh [SCENARIO...]
#
# SCENARIO is a name (readback) or a path (tests/qemu/scenarios/readback.sh);
# default: every tests/qemu/scenarios/*.sh. Steps: build (or reuse) the
# cleancache test kernel, build xen_tmem and xen_tmem_emu against it from a
# fresh copy of the sources, then for each scenario make fresh disk images,
# an initramfs, boot once and judge the log.
#
# A scenario may carry header lines:
#   # disks: ext4:256M ext4:64M     disks /dev/vda, /dev/vdb (4 KiB blocks)
#   # timeout: 120                  seconds before the guest is killed
#
# Disk types: ext4, btrfs, raw (a swap disk is raw: the guest mkswaps
# it, see guest/swap.sh). The guest programs of tests/torture
# (xt-torture, xt-swapfill) are built and land in the guest's /opt/xt/,
# with tools/xen-tmem-stat.
# Environment: XT_EXTRA_FILES (more files for the guest's /opt/xt),
# XT_JOBS (guests at a time, default 1; most scenarios keep one vCPU
# busy), XT_WORK (work folder; default $XT_CACHE/runs/<timestamp>-<pid>,
# of which the newest XT_KEEP_RUNS, default 10, are kept), XT_KEEP_DISKS=1
# (keep the disk images), MEM, SMP, TIMEOUT, APPEND,
# XT_ACCEL (see run-qemu.sh), XT_MOD_SRC (module source tree; default the
# repository), XT_EMU_SUBDIR (emulator folder in it; default tests/emu),
# XT_KCONFIG (extra kernel config fragments, e.g. a debug one: a separate
# cached kernel), XT_KDIR (a built kernel folder, or a headers tree, to use
# as it is), XT_KIMAGE (the image to boot: a path, or one in the kernel
# folder: vmlinux, through the PVH entry, or arch/x86/boot/bzImage) and
# XT_TMEM_KO (a xen_tmem.ko built elsewhere, e.g. by DKMS, to test instead
# of building one).
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

here=$XT_TOP/tests/qemu
for tool in qemu-system-x86_64 mkfs.ext4 cpio gzip timeout make; do
	command -v "$tool" > /dev/null ||
		xt_die "$tool not found (apt-get install qemu-system-x86 busybox-static e2fsprogs cpio)"
done

# --- scenarios ----------------------------------------------------------------
[ $# -gt 0 ] || set -- "$here"/scenarios/*.sh
scenarios=
for s in "$@"; do
	case $s in
	*/*) f=$s ;;
	*) f=$here/scenarios/${s%.sh}.sh ;;
	esac
	[ -r "$f" ] || xt_die "no such scenario: $s"
	scenarios="$scenarios $(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
done

xt_work_dir ""

# --- kernel and modules -------------------------------------------------------
kdir=$(xt_kernel_dir)
kernel=$(xt_kernel_image "$kdir")

xt_build_modules "$kdir" "$work"
xt_log "build the guest programs (tests/torture)"
progs=$(sh "$XT_TOP/tests/torture/build.sh" "$work/bin" | tr '\n' ' ')

# --- one scenario -------------------------------------------------------------
# one FILE: boot the scenario, judge its log; writes DIR/result (the
# verdict line) and DIR/detail (the failed checks and QEMU's output of a
# failure).
one() {
	_f=$1
	_name=$(basename "$_f" .sh)
	_dir=$work/$_name
	mkdir -p "$_dir"
	_log=$_dir/serial.log
	_disks=$(xt_make_disks "$_f" "$_dir")
	# shellcheck disable=SC2086 # paths under $work, without spaces
	sh "$here/mkinitramfs.sh" "$_dir/initramfs.cpio.gz" "$_f" "$tmem_ko" \
		"$build/$emu_sub"/*.ko $progs "$XT_TOP/tools/xen-tmem-stat" \
		${XT_EXTRA_FILES:-}
	_to=$(xt_header "$_f" timeout)
	_t0=$(date +%s.%N)
	xt_log "boot $_name"
	# shellcheck disable=SC2086 # disk paths are under $work, without spaces
	TIMEOUT=${_to:-${TIMEOUT:-180}} sh "$here/run-qemu.sh" "$kernel" \
		"$_dir/initramfs.cpio.gz" "$_log" $_disks > "$_dir/qemu.out" 2>&1 ||
		echo "qemu exit status $?" >> "$_dir/qemu.out"
	_t1=$(date +%s.%N)
	_secs=$(echo "$_t0 $_t1" | awk '{ printf "%.1f", $2 - $1 }')
	_checks=$(tr -d '\r' < "$_log" | grep -c -e 'CHECK-OK' -e 'CHECK-FAIL' || true)
	: > "$_dir/detail"
	if sh "$here/check-log.sh" "$_log" > "$_dir/check.txt" 2>&1; then
		echo "PASS $_name ($_checks checks, $_secs s)" > "$_dir/result"
	else
		echo "FAIL $_name (see $_log)" > "$_dir/result"
		sed 's/^/    /' "$_dir/check.txt" | head -n 40 > "$_dir/detail"
		[ ! -s "$_dir/qemu.out" ] || sed 's/^/    qemu: /' "$_dir/qemu.out" >> "$_dir/detail"
	fi
	[ -n "${XT_KEEP_DISKS:-}" ] || rm -f "$_dir"/disk*.img
}

# XT_JOBS guests at a time, the scenarios shared among them longest
# (by timeout) first; the verdicts are printed in the order asked.
njobs=${XT_JOBS:-1}
for f in $scenarios; do
	echo "$(xt_header "$f" timeout | grep . || echo 180) $f"
done | xt_split_jobs "$njobs" > "$work/plan.txt"
xt_run_jobs "$work/plan.txt" one

passed=0
failed=0
results=$work/results.txt
: > "$results"
for f in $scenarios; do
	name=$(basename "$f" .sh)
	dir=$work/$name
	line=$(cat "$dir/result" 2> /dev/null || echo "FAIL $name (no verdict; see $dir)")
	case $line in
	PASS*) passed=$((passed + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
	echo "$line"
	echo "$line" >> "$results"
	[ ! -s "$dir/detail" ] || cat "$dir/detail"
	tr -d '\r' < "$dir/serial.log" 2> /dev/null | grep -o 'REPORT\[.*' | sed 's/^/    /' || true
done

echo "logs: $work"
echo "$passed passed, $failed failed" | tee -a "$results"
[ "$failed" -eq 0 ]
