#!/bin/sh
# The benchmark's swap workload (issues 6 and 13): the same xt-swapfill
# run with the swap on a throttled disk only, on zswap, on xen_tmem's
# frontswap backend with room, on a full pool, and on a full pool with
# zswap taking the overflow, side by side in one boot of the 5.10 test
# kernel under QEMU (TCG), with xen_tmem's hypercalls per swapped page. `tests/bench/run.sh` runs it after its own boot;
# `tests/bench/run.sh swap` runs only this.
#
# usage: tests/bench/run-swap.sh
#
# Steps: build (or reuse) the test kernel; build xen_tmem and
# xen_tmem_emu from a fresh copy of the sources and xt-swapfill
# (tests/torture/build.sh); make a raw swap disk; boot once with the disk
# throttled as run.sh throttles its disks; run tests/bench/guest/swap.sh;
# judge the serial log with tests/qemu/check-log.sh; write
# $BENCH_OUT/{swap.log,swap-env.txt,swap-hostload.txt}; print the table
# (tests/bench/report-swap.sh) and, when $BENCH_OUT/bench.log is there,
# write RESULTS.md again with the swap section (tests/bench/report.sh).
#
# Environment (defaults in brackets):
#   BENCH_OUT, BENCH_RESULTS, BENCH_BPS, BENCH_IOPS, BENCH_MEM, BENCH_SMP
#                        as for run.sh
#   BENCH_SWAP_MIB       memory xt-swapfill fills, MiB [96]
#   BENCH_SWAP_MEMCG     memory.max of its cgroup [32M]
#   BENCH_SWAP_UNIQUE    unique share of each page, % (xt-swapfill -c) [25]
#   BENCH_SWAP_REPS      rounds of the three variants [2]
#   BENCH_SWAP_FULL_CAP  persistent pages the emulator holds in the runs
#                        with a full pool [2048]
#   TIMEOUT              seconds before the guest is killed [2400]
#   XT_KDIR, XT_ACCEL, QEMU_CPU, XEN_TMEM_CACHE as for tests/qemu.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"
# shellcheck source=tests/bench/boot.sh
. "$XT_TOP/tests/bench/boot.sh"

mib=${BENCH_SWAP_MIB:-96}
memcg=${BENCH_SWAP_MEMCG:-32M}
unique=${BENCH_SWAP_UNIQUE:-25}
reps=${BENCH_SWAP_REPS:-2}

for tool in qemu-system-x86_64 cpio gzip timeout make; do
	command -v "$tool" > /dev/null || xt_die "$tool not found"
done
# Xen with tmem; without a Xen source: its "skipped:" line, exit 77.
[ "$hv" != xen ] || xen_tmem_build || exit 77

work=$XT_CACHE/bench/swap-$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$work" "$out"
out=$(cd "$out" && pwd)

kdir=$(xt_kernel_dir)
kernel=$kdir/vmlinux
[ -r "$kernel" ] || xt_die "no vmlinux in $kdir"
xt_build_modules "$kdir" "$work"
xt_log "build xt-swapfill (tests/torture)"
sh "$XT_TOP/tests/torture/build.sh" "$work/bin" > /dev/null
swapfill=$work/bin/xt-swapfill
# xt-hvstat: the hypervisor's counters on a real Xen (hv_stat).
hvstat=$work/bin/xt-hvstat

# The swap area: room for every page, twice over.
disk=$work/swap.img
rm -f "$disk"
truncate -s $((mib * 2 + 64))M "$disk"

cat > "$work/swap.conf" << EOF
MIB=$mib
MEMCG=$memcg
UNIQUE=$unique
REPS=$reps
SEED=0x5eed5a4b
PERSIST_CAP=$((mib * 256 * 2))
FULL_CAP=${BENCH_SWAP_FULL_CAP:-2048}
EOF

initrd=$work/initramfs.cpio.gz
sh "$qemu/mkinitramfs.sh" "$initrd" "$bench/guest/swap.sh" \
	"$tmem_ko" "$emu_ko" "$swapfill" "$hvstat" "$work/swap.conf"

bench_boot "$work" "$kernel" "$initrd" "${TIMEOUT:-2400}" \
	$((reps * 5 + 1)) "$disk"
log=$work/serial.log
rm -f "$disk"

tr -d '\r' < "$log" |
	grep -E '^(BENCH|CHECK|REPORT|INFO|HARNESS)' > "$out/swap.log"
cp "$work/hostload.txt" "$out/swap-hostload.txt"
{
	echo "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "host_cores=$(nproc)"
	echo "host_kernel=$(uname -r)"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "accel=$accel"
	echo "qemu_cpu=$cpu"
	echo "guest_mem_mib=$mem"
	echo "guest_smp=$smp"
	echo "throttle_bps=$bps"
	echo "throttle_iops=$iops"
	echo "swap_mib=$mib"
	echo "swap_memcg=$memcg"
	echo "swap_unique_pct=$unique"
	echo "swap_reps=$reps"
	echo "hypervisor=$hv${xen_ver:+ $xen_ver}"
	echo "git=$(cd "$XT_TOP" && git rev-parse --short HEAD 2> /dev/null || echo none)$(cd "$XT_TOP" && git status --porcelain 2> /dev/null | grep -q . && echo +changes)"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "guest_seconds=$((t1 - t0))"
	echo "run_seconds=$(($(date +%s) - t_start))"
} > "$out/swap-env.txt"

sh "$bench/report-swap.sh" "$out" summary
if [ -r "${out%/xen}/bench.log" ] && [ -r "${out%/xen}/env.txt" ]; then
	sh "$bench/report.sh" "${out%/xen}" "$results_md" > /dev/null
	echo "results: $results_md (section 6)"
else
	echo "no $out/bench.log: run tests/bench/run.sh for RESULTS.md"
fi
echo "logs: $work"
