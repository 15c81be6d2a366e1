#!/bin/sh
# Boot the cleancache test kernel once with one guest scenario, like
# tests/qemu/run.sh does, but with extra files and an optional root
# overlay (a /lib/modules/<kver> tree with its modules.dep, /etc files).
#
# usage: tests/pkg/boot.sh [--root DIR] [--work DIR] SCENARIO [FILE...]
#
# FILEs ending in .ko go to /lib/modules/, others to /opt/xt/ (see
# tests/qemu/mkinitramfs.sh); the files of DIR are packed into a second
# cpio archive that the kernel unpacks over the first. The scenario's
# "# disks:" and "# timeout:" lines work as in tests/qemu/run.sh.
# Prints "PASS NAME (N checks, S s)" or "FAIL NAME" with the failed checks;
# exit status 0 on PASS. The work folder (serial.log) is kept.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

qemu=$XT_TOP/tests/qemu
root=
work=
while [ $# -gt 0 ]; do
	case $1 in
	--root)
		root=$2
		shift 2
		;;
	--work)
		work=$2
		shift 2
		;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || xt_die "usage: $0 [--root DIR] [--work DIR] SCENARIO [FILE...]"
scenario=$1
shift
[ -r "$scenario" ] || xt_die "no such scenario: $scenario"
name=$(basename "$scenario" .sh)
work=${work:-$XT_CACHE/runs/pkg-$name-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$work"
work=$(cd "$work" && pwd)

kdir=$(sh "$qemu/kernel.sh")

header() {
	sed -n "s/^# $1: *//p" "$scenario" | head -n 1
}

# Disks of the "# disks:" line: ext4 with 4 KiB blocks, or raw.
disks=
i=0
for spec in $(header disks); do
	img=$work/disk$i.img
	rm -f "$img"
	truncate -s "${spec#*:}" "$img"
	case ${spec%%:*} in
	ext4) mkfs.ext4 -q -F -b 4096 "$img" ;;
	raw) ;;
	*) xt_die "$scenario: unknown disk type $spec" ;;
	esac
	disks="$disks $img"
	i=$((i + 1))
done

initrd=$work/initramfs.cpio.gz
sh "$qemu/mkinitramfs.sh" "$initrd" "$scenario" "$@"
if [ -n "$root" ]; then
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 | gzip -1) >> "$initrd"
fi

log=$work/serial.log
to=$(header timeout)
t0=$(date +%s)
# shellcheck disable=SC2086 # disk paths are under $work, without spaces
TIMEOUT=${to:-${TIMEOUT:-180}} sh "$qemu/run-qemu.sh" "$kdir/vmlinux" \
	"$initrd" "$log" $disks > "$work/qemu.out" 2>&1 ||
	echo "qemu exit status $?" >> "$work/qemu.out"
secs=$(($(date +%s) - t0))
rm -f "$work"/disk*.img
checks=$(tr -d '\r' < "$log" | grep -c -e 'CHECK-OK' -e 'CHECK-FAIL' || true)
if sh "$qemu/check-log.sh" "$log" > "$work/check.txt" 2>&1; then
	echo "PASS $name ($checks checks, $secs s)"
else
	echo "FAIL $name (see $log)"
	sed 's/^/    /' "$work/check.txt" | head -n 40
	exit 1
fi
