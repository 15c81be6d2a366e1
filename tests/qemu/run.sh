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
# XT_WORK (work folder; default $XT_CACHE/runs/<timestamp>-<pid>,
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
passed=0
failed=0
results=$work/results.txt
: > "$results"
for f in $scenarios; do
	name=$(basename "$f" .sh)
	dir=$work/$name
	mkdir -p "$dir"
	log=$dir/serial.log
	disks=$(xt_make_disks "$f" "$dir")
	# shellcheck disable=SC2086 # paths under $work, without spaces
	sh "$here/mkinitramfs.sh" "$dir/initramfs.cpio.gz" "$f" "$tmem_ko" \
		"$build/$emu_sub"/*.ko $progs "$XT_TOP/tools/xen-tmem-stat" \
		${XT_EXTRA_FILES:-}
	to=$(xt_header "$f" timeout)
	t0=$(date +%s.%N)
	xt_log "boot $name"
	# shellcheck disable=SC2086 # disk paths are under $work, without spaces
	TIMEOUT=${to:-${TIMEOUT:-180}} sh "$here/run-qemu.sh" "$kernel" \
		"$dir/initramfs.cpio.gz" "$log" $disks > "$dir/qemu.out" 2>&1 ||
		echo "qemu exit status $?" >> "$dir/qemu.out"
	t1=$(date +%s.%N)
	secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
	checks=$(tr -d '\r' < "$log" | grep -c -e 'CHECK-OK' -e 'CHECK-FAIL' || true)
	if sh "$here/check-log.sh" "$log" > "$dir/check.txt" 2>&1; then
		line="PASS $name ($checks checks, $secs s)"
		passed=$((passed + 1))
	else
		line="FAIL $name (see $log)"
		failed=$((failed + 1))
	fi
	echo "$line"
	echo "$line" >> "$results"
	if [ "$line" != "${line#FAIL}" ]; then
		sed 's/^/    /' "$dir/check.txt" | head -n 40
		[ ! -s "$dir/qemu.out" ] || sed 's/^/    qemu: /' "$dir/qemu.out"
	fi
	tr -d '\r' < "$log" | grep -o 'REPORT\[.*' | sed 's/^/    /' || true
	[ -n "${XT_KEEP_DISKS:-}" ] || rm -f "$dir"/disk*.img
done

echo "logs: $work"
echo "$passed passed, $failed failed" | tee -a "$results"
[ "$failed" -eq 0 ]
