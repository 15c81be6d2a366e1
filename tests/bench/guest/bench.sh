# shellcheck shell=sh
# The benchmark, run in the guest by /init after tests/qemu/guest/lib.sh
# (busybox sh). tests/bench/run.sh made the disks and /opt/xt/:
#   /dev/vda  ext4, read-only here: data/f* (the re-read data set) and
#             cost.dat (the file of the cost-per-page module)
#   /dev/vdb  ext4, read-only here: a source tree (the build-like load)
#   bench.conf      sizes and pass counts (shell variables)
#   data.sums tree.sums     sha256 of every file, computed on the host
#   units.0 units.1 one "compilation unit" per line: the .c file, then the
#                   headers it includes (two levels); one list per worker
#   orders          one shuffled order of the data files per line
#
# Sections: 1. cost per page (xtmem_bench.ko); 2. re-read under a memory
# cgroup, without then with the module; 3. capacity sweep; 4. build-like
# load, with the default vm.vfs_cache_pressure and with 10; 5. the
# build-like load in a self-ballooning guest (guest/sb.sh). SECTIONS in
# bench.conf (cost reread sweep build selfballoon) says which run; on a
# real Xen (dom0 of Xen 4.12 with tmem) run.sh asks for reread and
# selfballoon.
#
# Output: one "BENCH section=... pass=..." line per timed pass with the
# deltas of the disk's stat (rd_ios, rd_sectors), /proc/uptime (cs,
# centiseconds), /proc/stat (user, sys, iowait, idle: ticks of 1/100 s,
# all CPUs) and the counters of xen_tmem (gets, hits, puts, flush_inodes,
# put_failures) and of the emulator (evictions); "BENCH section=cost ..."
# lines from xtmem_bench.ko; CHECK lines for everything that must hold.
# TIMED_EXTRA, when set, names a function whose output ends the line.

# shellcheck source=/dev/null
. /opt/xt/bench.conf
# shellcheck source=tests/bench/guest/sb.sh
. /opt/xt/sb.sh

BENCH_KO=$XT_KO_DIR/xtmem_bench.ko

# snap DEV: the counters, as "name=value ..." on one line.
snap() {
	# shellcheck disable=SC2046 # split /proc/stat's cpu line into $1..
	set -- $(head -n 1 /proc/stat) $(cat "/sys/block/$1/stat")
	# cpu user nice system idle iowait irq softirq steal guest guest_nice,
	# then the disk: reads merges sectors ...
	echo "cs=$(awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' /proc/uptime)" \
		"user=$(($2 + $3)) sys=$(($4 + $7 + $8)) idle=$5 iowait=$6" \
		"rd_ios=${12} rd_sectors=${14}" \
		"gets=$(tmem_stat gets) hits=$(tmem_stat hits)" \
		"puts=$(tmem_stat puts) put_failures=$(tmem_stat put_failures)" \
		"flush_inodes=$(tmem_stat flush_inodes)" \
		"evictions=$(hv_stat evictions)"
}

# delta BEFORE AFTER: "name=after-before ..." for the names of snap.
delta() {
	echo "$1 $2" | awk '{
		n = NF / 2
		for (i = 1; i <= n; i++) {
			split($i, a, "="); split($(i + n), b, "=")
			printf "%s%s=%d", (i > 1 ? " " : ""), a[1], b[2] - a[2]
		}
		print ""
	}'
}

# timed SECTION PASS DEV COMMAND...: run COMMAND, print its BENCH line.
timed() {
	_sec=$1
	_pass=$2
	_dev=$3
	shift 3
	echo "BENCH-BEGIN section=$_sec pass=$_pass"
	_s0=$(snap "$_dev")
	"$@"
	_rc=$?
	_s1=$(snap "$_dev")
	echo "BENCH section=$_sec pass=$_pass enabled=$(param enabled)" \
		"capacity=$(emu_stat capacity_pages) emu_pages=$(hv_stat pages)" \
		"$(delta "$_s0" "$_s1")${TIMED_EXTRA:+ $($TIMED_EXTRA)}" |
		tee -a /tmp/bench.out
	[ "$_rc" -eq 0 ] || fail "$_sec $_pass: command failed ($_rc): $*"
}

set_enabled() {
	echo "$1" > "$XT_PARAMS/enabled"
	check_eq "enabled=$1" "$1" "$(param enabled | tr YN 10)"
}

set_capacity() {
	echo "$1" > "$XT_EMU_PARAMS/capacity_pages"
	check_eq "capacity_pages=$1" "$1" "$(emu_stat capacity_pages)"
}

# verify TAG SUMS: every file's sha256 against the host's list.
verify() {
	_n=$(wc -l < "$2")
	_ok=$(sha256sum -c "$2" 2> /dev/null | grep -c ': OK$')
	check_eq "$1: sha256 of $_n files match the host's" "$_n" "$_ok"
	if [ "$_ok" != "$_n" ]; then
		sha256sum -c "$2" 2>&1 | grep -v ': OK$' | head -n 20
	fi
}

# --- the data set, read by one process ---------------------------------------
data_files() (
	cd /mnt/data/data && ls
)

read_in_order() (
	cd /mnt/data/data && cat "$@" > /dev/null
)

# read_loop [N]: the files in name order (N is ignored).
read_loop() {
	# shellcheck disable=SC2046 # file names without spaces
	read_in_order $(data_files)
}

# read_shuffled N: the files in the order of line N of /opt/xt/orders.
read_shuffled() {
	# shellcheck disable=SC2046
	read_in_order $(sed -n "$1p" /opt/xt/orders)
}

# --- the build-like load -----------------------------------------------------
# Each of $BUILD_JOBS workers takes its list of units: reads the unit's
# headers, then "compiles" the unit (gzip into a scratch file).
build_worker() (
	cd /mnt/tree || exit 1
	while read -r _unit _hdrs; do
		# shellcheck disable=SC2086 # a list of paths without spaces
		cat $_hdrs < /dev/null > /dev/null || exit 1
		gzip -c "$_unit" > "/tmp/obj.$1" || exit 1
	done < "/opt/xt/units.$1"
)

build_all() {
	_pids=
	_w=0
	while [ "$_w" -lt "$BUILD_JOBS" ]; do
		build_worker "$_w" &
		_pids="$_pids $!"
		_w=$((_w + 1))
	done
	_bad=0
	for _p in $_pids; do
		wait "$_p" || _bad=1
	done
	return "$_bad"
}

# passes SECTION DEV PREFIX COUNT COMMAND...
passes() {
	_s=$1
	_d=$2
	_pre=$3
	_cnt=$4
	shift 4
	_i=1
	while [ "$_i" -le "$_cnt" ]; do
		timed "$_s" "$_pre-$_i" "$_d" "$@"
		_i=$((_i + 1))
	done
}

# fresh [MODE]: module off (its pools, and the hypervisor, emptied) and the
# page cache dropped without puts, so that a measurement starts from the
# disk alone; MODE 3 also drops inodes and dentries.
fresh() {
	set_enabled 0
	drop_caches "${1:-1}"
}

# build_variant SECTION VFS_CACHE_PRESSURE REPS: a cold pass, then REPS
# times a pass without the module, one with it that fills the hypervisor
# (switching it on starts empty) and one with it that is measured; then
# the checksums (served by the module) and a last pass without: each
# measured pass is compared with the passes without just before and
# just after it.
build_variant() {
	echo "$2" > /proc/sys/vm/vfs_cache_pressure
	check_eq "$1: vm.vfs_cache_pressure=$2" "$2" \
		"$(cat /proc/sys/vm/vfs_cache_pressure)"
	fresh 3
	timed "$1" cold vdb build_all
	_r=1
	while [ "$_r" -le "$3" ]; do
		set_enabled 0
		timed "$1" "off-$_r" vdb build_all
		set_enabled 1
		timed "$1" "fill-$_r" vdb build_all
		timed "$1" "on-$_r" vdb build_all
		_r=$((_r + 1))
	done
	timed "$1" verify vdb verify "$1 tree" /opt/xt/tree.sums
	check_gt "$1: hits in the last pass" "$(hits_of "$1" "on-$3")" 0
	set_enabled 0
	timed "$1" "off-$_r" vdb build_all
}

# hits_of SECTION PASS: the hits of a BENCH line printed earlier.
hits_of() {
	grep "^BENCH section=$1 pass=$2 " /tmp/bench.out |
		sed -n 's/.* hits=\([0-9]*\).*/\1/p' | tail -n 1
}

# =============================================================================
# On a real Xen (XT_HV=xen: tests/bench/run.sh with BENCH_HV=xen) only
# the sections in SECTIONS run: the emulator's knobs (capacity) and its
# own pool (cost) are not there.
[ "$XT_HV" = xen ] || load_emu "capacity_pages=$((DATA_PAGES * 2))"
load_tmem "$XT_TRANSPORT" enabled=0
check "xen_tmem statistics in $XT_SYS" test -d "$XT_SYS/total"
mkdir -p /mnt/data /mnt/tree
check "mount /dev/vda" mount -t ext4 -o ro /dev/vda /mnt/data
check "mount /dev/vdb" mount -t ext4 -o ro /dev/vdb /mnt/tree
check_eq "two cleancache pools" 2 "$(pool_count)"
echo "BENCH section=setup data_pages=$DATA_PAGES data_files=$(data_files | wc -l)" \
	"tree_files=$(wc -l < /opt/xt/tree.sums)" \
	"memtotal_kib=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)" \
	"cpus=$(nproc) kernel=$(uname -r)" \
	"vfs_cache_pressure=$(cat /proc/sys/vm/vfs_cache_pressure)" \
	"clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
: > /tmp/bench.out

# section NAME: NAME is one of the SECTIONS to run.
section() {
	case " ${SECTIONS:-cost reread sweep build selfballoon} " in
	*" $1 "*) return 0 ;;
	esac
	info "section $1: not run here"
	return 1
}

# --- 1. cost per page ----------------------------------------------------------
if section cost; then
info "cost per page: xtmem_bench.ko"
set_enabled 1
klog_clear
check "xtmem_bench: puts, gets and copies timed, data verified" \
	insmod "$BENCH_KO" path=/mnt/data/cost.dat \
	"pages=$COST_PAGES" "rounds=$COST_ROUNDS"
dmesg | grep -o 'xtmem_bench: .*' | sed 's/^/BENCH section=cost /'
rmmod xtmem_bench
# The guest's speed for user-space work, against the host's (run.sh
# times the same on the host): 8 x md5sum of the page-cached 8 MiB file.
timed calibrate md5 vda sh -c \
	'for i in 1 2 3 4 5 6 7 8; do md5sum /mnt/data/cost.dat; done > /dev/null'
fi

# --- 2. re-read under pressure ---------------------------------------------------
if section reread; then
info "re-read: $(data_files | wc -l) files, $((DATA_PAGES / 256)) MiB, memcg $MEMCG_READ"
fresh
memcg_enter reread "$MEMCG_READ"
passes reread vda off "$REREAD_OFF" read_loop
set_enabled 1
passes reread vda on "$REREAD_ON" read_loop
timed reread verify vda verify "re-read data" /opt/xt/data.sums
check_gt "re-read: hits in the last pass" "$(hits_of reread "on-$REREAD_ON")" 0
memcg_leave reread
fi

# --- 3. capacity sweep -----------------------------------------------------------
# loop: every pass in the same order (the worst case for an LRU);
# shuffled: each pass in a new seeded random order. Each point starts
# from an empty hypervisor and page cache: a warm-up pass, then the
# measured one; the baselines are the second of two passes without.
if section sweep; then
info "capacity sweep: $SWEEP_PCTS % of the data set"
memcg_enter sweep "$MEMCG_READ"
order=0
for pattern in loop shuffled; do
	fresh
	for pass in off-warm off; do
		order=$((order + 1))
		timed sweep "$pattern-$pass" vda "read_$pattern" "$order"
	done
	for pct in $SWEEP_PCTS; do
		fresh
		set_capacity $((DATA_PAGES * pct / 100))
		set_enabled 1
		for pass in "$pct-warm" "$pct"; do
			order=$((order + 1))
			timed sweep "$pattern-$pass" vda "read_$pattern" "$order"
		done
	done
done
check_gt "sweep: hits at 100%" "$(hits_of sweep loop-100)" 0
timed sweep verify vda verify "sweep data" /opt/xt/data.sums
memcg_leave sweep
fi

# --- 4. build-like load ----------------------------------------------------------
# Twice: with the kernel's default vm.vfs_cache_pressure (100), and with
# 10, which keeps the inodes of cached files (evicting an inode makes
# cleancache drop the file's pages from the hypervisor).
if section build; then
info "build-like: $(wc -l < /opt/xt/tree.sums) files, $BUILD_JOBS workers, memcg $MEMCG_BUILD"
fresh
set_capacity $((DATA_PAGES * 2))
memcg_enter build "$MEMCG_BUILD"
build_variant build 100 "$BUILD_REPS"
build_variant build-tuned 10 "$BUILD_TUNED_REPS"
echo 100 > /proc/sys/vm/vfs_cache_pressure
memcg_leave build
fi

# --- 5. self-ballooning -----------------------------------------------------------
# The build-like load in a guest that gives its memory back (guest/sb.sh).
if section selfballoon; then
sb_section
fi

report end
check_eq "no put failures" 0 "$(tmem_stat put_failures)"
umount /mnt/tree
umount /mnt/data
