#!/bin/sh
# Boot KERNEL with INITRAMFS under QEMU, serial console into LOG.
#
# usage: tests/qemu/run-qemu.sh KERNEL INITRAMFS LOG [DISK...]
#
# Each DISK is attached as a virtio-blk disk (raw, cache=unsafe), in order:
# /dev/vda, /dev/vdb, ... Environment:
#   MEM      guest memory in MiB (default 512)
#   SMP      guest CPUs (default 2)
#   TIMEOUT  seconds before QEMU is killed (default 180)
#   APPEND   extra kernel command line
#   XT_ACCEL tcg (default) or kvm; kvm only when set explicitly: the
#            /dev/kvm on the project machines cannot run these guests
#   QEMU_CPU CPU model (default max; host,-arch-capabilities,-cx16 for kvm)
# Exit status: QEMU's; 124 (or 137) when the timeout killed it.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || xt_die "usage: $0 KERNEL INITRAMFS LOG [DISK...]"
kernel=$1
initrd=$2
log=$3
shift 3
[ -r "$kernel" ] || xt_die "no such kernel: $kernel"
[ -r "$initrd" ] || xt_die "no such initramfs: $initrd"

case ${XT_ACCEL:-tcg} in
tcg)
	accel=tcg
	cpu=${QEMU_CPU:-max}
	;;
kvm)
	accel=kvm
	cpu=${QEMU_CPU:-host,-arch-capabilities,-cx16}
	;;
*) xt_die "XT_ACCEL must be tcg or kvm" ;;
esac

# Turn the DISK arguments into QEMU arguments, in place.
n=$#
i=0
while [ "$i" -lt "$n" ]; do
	d=$1
	shift
	[ -w "$d" ] || xt_die "disk not writable: $d"
	set -- "$@" -drive "file=$d,if=none,id=d$i,format=raw,cache=unsafe" \
		-device "virtio-blk-pci,drive=d$i"
	i=$((i + 1))
done

rc=0
timeout --foreground -k 5 "${TIMEOUT:-180}" \
	qemu-system-x86_64 -M q35 -accel "$accel" -cpu "$cpu" \
	-m "${MEM:-512}" -smp "${SMP:-2}" \
	-nographic -no-reboot -monitor none -serial stdio \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=6 ${APPEND:-}" \
	"$@" < /dev/null > "$log" 2>&1 || rc=$?
case $rc in
124 | 137) echo "run-qemu: killed after ${TIMEOUT:-180} s" >> "$log" ;;
esac
exit "$rc"
