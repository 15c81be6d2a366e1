#!/bin/sh
# The benchmark of issue 4: what xen-tmem saves and what it costs, side by
# side in one boot of the 5.10 test kernel under QEMU (TCG).
#
# usage: tests/bench/run.sh [swap]
#
# "swap" runs only the swap workload (tests/bench/run-swap.sh: swap on a
# throttled disk, on zswap, on xen_tmem's frontswap backend with room, on
# a full pool, on a full pool with zswap; its own boot, about 15
# minutes); without it, the boot below runs first, then
# run-swap.sh (BENCH_SWAP=0 leaves the swap workload out).
#
# Steps: build (or reuse) the test kernel; build xen_tmem, xen_tmem_emu and
# xtmem_bench.ko from a fresh copy of the sources; make two ext4 disks on
# the host (the re-read data set, pseudo-random from a fixed seed, and a
# source tree taken from the kernel sources) with sha256 lists; boot once
# with both disks throttled like a real disk; run tests/bench/guest/bench.sh
# (cost per page, re-read under a memory cgroup with and without the
# module, a capacity sweep, a build-like load with and without, the same
# load in a self-ballooning guest: guest/sb.sh); judge the
# serial log with tests/qemu/check-log.sh; write the results
# (tests/bench/report.sh): $BENCH_OUT/{bench.log,env.txt,hostload.txt,
# capacity.dat,capacity.png} and tests/bench/RESULTS.md, and print a
# summary. The host's CPU use is recorded during the boot
# (tests/bench/hostwatch.sh): other work on the machine slows the guest.
#
# It fails (non-zero, with the reason) if a module did not load, a get
# never hit, a checksum did not match, or the guest log shows a kernel
# problem (BUG:, WARNING:, Oops, Call Trace, ...).
#
# Environment (defaults in brackets):
#   BENCH_OUT          results folder [tests/bench/results]
#   BENCH_RESULTS      the report [tests/bench/RESULTS.md]
#   BENCH_BPS          disk bandwidth limit, bytes/s [33554432 = 32 MiB/s]
#   BENCH_IOPS         disk request limit, requests/s [320]
#   BENCH_MEM          guest RAM, MiB [1024]; must hold the emulator's pages
#   BENCH_SMP          guest CPUs [2]
#   BENCH_DATA_MIB     re-read data set, MiB [384], in files of
#   BENCH_FILE_MIB     MiB [4]
#   BENCH_MEMCG_READ   memory.max of the re-read cgroup [32M]
#   BENCH_MEMCG_BUILD  memory.max of the build-like cgroup [12M]
#   BENCH_TREE_DIRS    kernel source folders whose .c files are the units
#   BENCH_JOBS         build-like workers [2]
#   BENCH_SWEEP        capacity points, % of the data set [25 50 100 200]
#   BENCH_BUILD_REPS   build-like pairs, default settings [1]
#   BENCH_TUNED_REPS   build-like pairs, vm.vfs_cache_pressure=10 [3]
#   BENCH_SB_REPS      self-ballooning: measured passes a variant [2]
#   BENCH_SB_FLOOR_MB  selfballoon_floor_mb [48]
#   BENCH_SB_RESERVE_MB selfballoon_reserve_mb [8]
#   BENCH_SB_INTERVAL  selfballoon_interval, s [2]
#   BENCH_SB_CAPACITY  the emulator's capacity_pages meanwhile [1024]
#   BENCH_SB_VFS       vm.vfs_cache_pressure meanwhile [10]
#   TIMEOUT            seconds before the guest is killed [3000; on Xen
#                      5400: a PV dom0's pass slows down most when other
#                      work shares the host]
#   BENCH_HV           emu [emu], or xen: the same boot as the dom0 of Xen
#                      4.12 with tmem (re-read, self-ballooning and swap
#                      only; results in BENCH_OUT/xen/; see boot.sh)
#   BENCH_SECTIONS     only these sections of guest/bench.sh (cost reread
#                      sweep build selfballoon); a partial run needs
#                      BENCH_OUT and BENCH_RESULTS (it must not replace the
#                      full results) and reports the self-ballooning only
#                      (tests/bench/report-sb.sh)
#   BENCH_SWAP         1: then the swap workload too, 0: not [1]; its own
#                      settings (BENCH_SWAP_*): see run-swap.sh
#   XT_KDIR, XT_ACCEL, QEMU_CPU, XEN_TMEM_CACHE as for tests/qemu.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"
# shellcheck source=tests/bench/boot.sh
. "$XT_TOP/tests/bench/boot.sh"

case ${1:-} in
swap) exec sh "$XT_TOP/tests/bench/run-swap.sh" ;;
'') ;;
*) xt_die "usage: $0 [swap]" ;;
esac
data_mib=${BENCH_DATA_MIB:-384}
file_mib=${BENCH_FILE_MIB:-4}
memcg_read=${BENCH_MEMCG_READ:-32M}
memcg_build=${BENCH_MEMCG_BUILD:-12M}
tree_dirs=${BENCH_TREE_DIRS:-kernel mm fs/ext4 block lib}
jobs=${BENCH_JOBS:-2}
sweep=${BENCH_SWEEP:-25 50 100 200}
build_reps=${BENCH_BUILD_REPS:-1}
tuned_reps=${BENCH_TUNED_REPS:-3}
sb_reps=${BENCH_SB_REPS:-2}
sb_floor=${BENCH_SB_FLOOR_MB:-48}
sb_reserve=${BENCH_SB_RESERVE_MB:-8}
sb_interval=${BENCH_SB_INTERVAL:-2}
sb_capacity=${BENCH_SB_CAPACITY:-1024}
sb_vfs=${BENCH_SB_VFS:-10}
cost_mib=8
# The sections: all on the emulator; on Xen the sweep needs the
# emulator's capacity knob and the cost its own pool.
sections=${BENCH_SECTIONS:-}
if [ -n "$sections" ]; then
	if [ -z "${BENCH_OUT:-}" ] || [ -z "${BENCH_RESULTS:-}" ]; then
		xt_die "BENCH_SECTIONS (a partial run) needs BENCH_OUT and BENCH_RESULTS elsewhere than tests/bench/"
	fi
elif [ "$hv" = xen ]; then
	sections="reread selfballoon"
else
	sections="cost reread sweep build selfballoon"
fi

# --- host tools -------------------------------------------------------------
need() {
	command -v "$1" > /dev/null && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
		xt_log "installing $2"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" > /dev/null
	fi
	command -v "$1" > /dev/null || xt_die "$1 not found (apt-get install $2)"
}
need qemu-system-x86_64 qemu-system-x86
need mkfs.ext4 e2fsprogs
need cpio cpio
need openssl openssl
need gnuplot gnuplot-nox
# Xen with tmem; without a Xen source: its "skipped:" line, exit 77.
[ "$hv" != xen ] || xen_tmem_build || exit 77

# --- work folder (the newest 3 are kept) ---------------------------------------
work=$XT_CACHE/bench/$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$work" "$out"
out=$(cd "$out" && pwd)
set -- "$XT_CACHE"/bench/*/
while [ $# -gt 3 ]; do
	rm -rf "$1"
	shift
done

# --- kernel and modules --------------------------------------------------------
kdir=${XT_KDIR:-$(sh "$qemu/kernel.sh")}
kernel=$kdir/vmlinux
[ -r "$kernel" ] || xt_die "no vmlinux in $kdir"
ksrc=$(readlink -f "$kdir/source")
[ -d "$ksrc/include/linux" ] || xt_die "no kernel source behind $kdir/source"

build=$work/src
xt_log "copy module sources to $build"
mkdir -p "$build"
(cd "$XT_TOP" && tar -cf - --exclude=.git .) | (cd "$build" && tar -xf -)
for m in . tests/emu tests/bench/kmod; do
	xt_log "build $m"
	sh "$qemu/build-module.sh" "$kdir" "$build/$m"
done
tmem_ko=$build/xen_tmem.ko
emu_ko=$build/tests/emu/xen_tmem_emu.ko
bench_ko=$build/tests/bench/kmod/xtmem_bench.ko
for ko in "$tmem_ko" "$emu_ko" "$bench_ko"; do
	[ -r "$ko" ] || xt_die "the build made no $ko"
done
# xt-hvstat: the hypervisor's counters on a real Xen (hv_stat).
sh "$XT_TOP/tests/torture/build.sh" "$work/bin" > /dev/null

# --- disks ------------------------------------------------------------------------
nfiles=$((data_mib / file_mib))
[ "$nfiles" -ge 2 ] || xt_die "BENCH_DATA_MIB must hold at least two files"
xt_log "data set: $nfiles files of $file_mib MiB"
sh "$bench/mkdata.sh" "$work/datafs" "$nfiles" "$file_mib" "$cost_mib"
xt_log "source tree: .c files of $tree_dirs and their headers"
# shellcheck disable=SC2086 # a list of folders
sh "$bench/mktree.sh" "$ksrc" "$work/build" "$jobs" $tree_dirs
units=$(cat "$work"/build/units.* | wc -l)
tree_files=$(find "$work/build/tree" -type f | wc -l)
tree_bytes=$(du -sb "$work/build/tree" | cut -f1)

# mkdisk DIR IMG: an ext4 image (4 KiB blocks) holding DIR.
mkdisk() {
	kib=$(du -sk "$1" | cut -f1)
	rm -f "$2"
	truncate -s $(((kib * 5 / 4 + 65536) / 1024))M "$2"
	mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 \
		-d "$1" "$2"
}
xt_log "ext4 images"
mkdisk "$work/datafs" "$work/data.img"
mkdisk "$work/build/tree" "$work/tree.img"

# The host's time for the guest's calibration (see guest/bench.sh).
busybox=${BUSYBOX:-/bin/busybox}
c0=$(date +%s%N)
for _ in 1 2 3 4 5 6 7 8; do
	"$busybox" md5sum "$work/datafs/cost.dat" > /dev/null
done
host_md5_ms=$((($(date +%s%N) - c0) / 1000000))

# sha256 lists with the paths the guest sees.
(cd "$work/datafs" && find . -type f | LC_ALL=C sort | xargs sha256sum) |
	sed 's#  \./#  /mnt/data/#' > "$work/data.sums"
(cd "$work/build/tree" && find . -type f | LC_ALL=C sort | xargs sha256sum) |
	sed 's#  \./#  /mnt/tree/#' > "$work/tree.sums"

# Seeded shuffled orders of the data files, one per sweep pass.
sweep_n=$(echo "$sweep" | wc -w)
(cd "$work/datafs/data" && ls) | awk -v n=$((4 + 4 * sweep_n)) '
	{ f[NR] = $1 }
	END {
		srand(4)
		for (k = 1; k <= n; k++) {
			for (i = NR; i > 1; i--) {
				j = int(rand() * i) + 1
				t = f[i]; f[i] = f[j]; f[j] = t
			}
			line = f[1]
			for (i = 2; i <= NR; i++)
				line = line " " f[i]
			print line
		}
	}' > "$work/orders"

cat > "$work/bench.conf" << EOF
DATA_PAGES=$((nfiles * file_mib * 256))
MEMCG_READ=$memcg_read
MEMCG_BUILD=$memcg_build
REREAD_OFF=2
REREAD_ON=3
BUILD_REPS=$build_reps
BUILD_TUNED_REPS=$tuned_reps
BUILD_JOBS=$jobs
SWEEP_PCTS="$sweep"
COST_PAGES=1024
COST_ROUNDS=15
SECTIONS="$sections"
SB_REPS=$sb_reps
SB_FLOOR_MB=$sb_floor
SB_RESERVE_MB=$sb_reserve
SB_INTERVAL=$sb_interval
SB_CAPACITY=$sb_capacity
SB_VFS=$sb_vfs
SB_SETTLE_MAX=120
EOF

# --- boot ---------------------------------------------------------------------------
initrd=$work/initramfs.cpio.gz
sh "$qemu/mkinitramfs.sh" "$initrd" "$bench/guest/bench.sh" \
	"$tmem_ko" "$emu_ko" "$bench_ko" "$work/bench.conf" "$bench/guest/sb.sh" \
	"$work/data.sums" \
	"$work/tree.sums" "$work/orders" "$work"/build/units.* "$work/bin/xt-hvstat"

to=3000
[ "$hv" != xen ] || to=5400
bench_boot "$work" "$kernel" "$initrd" "${TIMEOUT:-$to}" 20 \
	"$work/data.img" "$work/tree.img"
log=$work/serial.log
# Keep the logs, not the data (the images and their sources are rebuilt).
rm -rf "$work/data.img" "$work/tree.img" "$work/datafs" "$work/build/tree"

# --- results ------------------------------------------------------------------------
tr -d '\r' < "$log" |
	grep -E '^(BENCH|CHECK|REPORT|INFO|HARNESS)' > "$out/bench.log"
cp "$work/hostload.txt" "$out/hostload.txt"
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
	echo "memcg_read=$memcg_read"
	echo "memcg_build=$memcg_build"
	echo "data_mib=$data_mib"
	echo "file_mib=$file_mib"
	echo "data_files=$nfiles"
	echo "tree_dirs=$tree_dirs"
	echo "tree_units=$units"
	echo "tree_files=$tree_files"
	echo "tree_bytes=$tree_bytes"
	echo "build_jobs=$jobs"
	echo "sweep=$sweep"
	echo "sections=$sections"
	echo "sb_reps=$sb_reps"
	echo "sb_floor_mb=$sb_floor"
	echo "sb_reserve_mb=$sb_reserve"
	echo "sb_interval=$sb_interval"
	echo "sb_capacity=$sb_capacity"
	echo "sb_vfs_cache_pressure=$sb_vfs"
	echo "git=$(cd "$XT_TOP" && git rev-parse --short HEAD 2> /dev/null || echo none)$(cd "$XT_TOP" && git status --porcelain 2> /dev/null | grep -q . && echo +changes)"
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "host_md5_ms=$host_md5_ms"
	echo "hypervisor=$hv${xen_ver:+ $xen_ver}"
	echo "guest_seconds=$((t1 - t0))"
	echo "run_seconds=$(($(date +%s) - t_start))"
} > "$out/env.txt"
if [ -z "${BENCH_SECTIONS:-}" ]; then
	sh "$bench/report.sh" "${out%/xen}" "$results_md"
elif [ "${sections#*selfballoon}" != "$sections" ]; then
	# A partial run: the self-ballooning section alone.
	sh "$bench/report-sb.sh" "${out%/xen}" partial > "$results_md"
	sh "$bench/report-sb.sh" "${out%/xen}" summary
	echo "results: $results_md"
fi
echo "logs: $work"
if [ "${BENCH_SWAP:-1}" != 0 ]; then
	xt_log "the swap workload (tests/bench/run-swap.sh)"
	sh "$bench/run-swap.sh"
fi
