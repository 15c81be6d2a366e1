# shellcheck shell=sh disable=SC2154 # d_*, sf_ms: set by swap.sh's helpers
# The benchmark's swap workload, run in the guest by /init after
# tests/qemu/guest/lib.sh (busybox sh). tests/bench/run-swap.sh made:
#   /dev/vda        a raw disk, throttled like the benchmark's disks: the
#                   swap area
#   /opt/xt/swap.conf   sizes and repetitions (shell variables)
#   /opt/xt/xt-swapfill the program (tests/torture/xt-swapfill.c)
#
# The same xt-swapfill run (MIB MiB of anonymous memory, seeded, in a
# memory cgroup of MEMCG; fill, verify in order and at random, rewrite a
# quarter, verify again) with the swap going to:
#   disk      the swap disk only (xen_tmem loaded with persist, enabled=0;
#             zswap off)
#   zswap     zswap (xen_tmem enabled=0)
#   tmem      xen_tmem's frontswap backend (enabled=1; zswap off), a pool
#             with room for every page
#   full      xen_tmem into a full pool (zswap off): the emulator holds at
#             most FULL_CAP persistent pages; on Xen dom0 balloons up to
#             its max_pages first, so Xen has no room left to charge
#   overflow  the full pool with zswap on: zswap takes the overflow
# in that order, REPS times. Output: one "BENCH section=swap pass=V-R"
# line per run with the deltas of the swap disk's stat (rd_ios,
# rd_sectors, wr_ios, wr_sectors), /proc/stat (user, sys, idle, iowait:
# ticks of 1/100 s, all CPUs), xt-swapfill's own time (ms, its phases),
# the frontswap counters of the kernel (fs_*), xen_tmem (stores,
# store_failures, store_skipped, refused, load_hits, load_misses,
# load_not_held, invalidate_not_held) and zswap, xen_tmem's hypercalls
# (hc_*) with the pages swapped out and in (pages_out, pages_in), and
# the pages zswap and the hypervisor held at the end of the run (before
# exit).

# shellcheck source=/dev/null
. /opt/xt/swap.conf
# shellcheck source=tests/qemu/guest/swap.sh
. /lib/xt/swap.sh

# cpu_disk DEV: "user sys idle iowait rd_ios rd_sectors wr_ios wr_sectors".
cpu_disk() {
	# shellcheck disable=SC2046 # split /proc/stat's cpu line and the stat
	set -- $(head -n 1 /proc/stat) $(cat "/sys/block/$1/stat")
	echo "$(($2 + $3)) $(($4 + $7 + $8)) $5 $6 ${12} ${14} ${16} ${18}"
}

XT_BALLOON=/sys/devices/system/xen_memory/xen_memory0

# balloon_to KIB: set dom0's balloon target and wait (at most 120 s) until
# the balloon driver has reached it or stopped moving.
balloon_to() {
	echo "$1" > "$XT_BALLOON/target_kb"
	_i=0
	_last=
	while [ "$_i" -lt 120 ]; do
		_cur=$(num "$XT_BALLOON/info/current_kb")
		if [ "$_cur" = "$1" ] || [ "$_cur" = "$_last" ]; then
			break
		fi
		_last=$_cur
		sleep 1
		_i=$((_i + 1))
	done
	echo "INFO: balloon target $1 KiB, current $(num "$XT_BALLOON/info/current_kb") KiB"
}

# pool_room yes|no: a persistent pool with room for every page, or a full
# one (the emulator's limit; on Xen, dom0 ballooned up to its max_pages).
pool_room() {
	if [ "$XT_HV" != xen ]; then
		_cap=$PERSIST_CAP
		[ "$1" = yes ] || _cap=$FULL_CAP
		echo "$_cap" > "$XT_EMU_PARAMS/persist_capacity_pages"
	elif [ "$1" = yes ]; then
		balloon_to "$BALLOON0"
	else
		# As far up as Xen lets it: the bench boots dom0 with twice its
		# memory as max_pages.
		balloon_to $((BALLOON0 * 2))
	fi
}

# variant NAME: the switches of NAME.
variant() {
	case $1 in
	disk)
		fs_set_enabled 0
		zswap_set N
		;;
	zswap)
		fs_set_enabled 0
		zswap_set Y
		;;
	tmem)
		zswap_set N
		pool_room yes
		fs_set_enabled 1
		;;
	full)
		zswap_set N
		pool_room no
		fs_set_enabled 1
		;;
	overflow)
		zswap_set Y
		pool_room no
		fs_set_enabled 1
		;;
	esac
}

# one_run NAME REP: one timed xt-swapfill run; its BENCH line.
one_run() {
	_p=$1-$2
	variant "$1"
	echo "BENCH-BEGIN section=swap pass=$_p"
	_c0=$(cpu_disk vda)
	sw_snap vda
	swapfill_start "$_p" swapbench -q -m "$MIB" -c "$UNIQUE" -s "$SEED" \
		-W "/tmp/hold.$_p"
	swapfill_ready "$_p"
	_zs=$(z_stat stored_pages)
	_zb=$(z_stat pool_total_size)
	_pp=$(hv_stat persist_pages)
	touch "/tmp/hold.$_p"
	swapfill_end "$_p" swapbench
	sw_since vda
	_c1=$(cpu_disk vda)
	echo "BENCH section=swap pass=$_p $(echo "$_c0 $_c1" | awk '{
		split("user sys idle iowait rd_ios rd_sectors wr_ios wr_sectors", k, " ")
		for (i = 1; i <= 8; i++)
			printf "%s=%d ", k[i], $(i + 8) - $i
	}')ms=$sf_ms pages=$sf_pages verified=$sf_verified" \
		"fs_succ_stores=$d_k_succ_stores fs_failed_stores=$d_k_failed_stores" \
		"fs_loads=$d_k_loads stores=$d_f_stores" \
		"store_failures=$d_f_store_failures refused=$d_f_refused" \
		"store_skipped=$d_f_store_skipped backoffs=$d_f_backoffs" \
		"load_hits=$d_f_load_hits load_misses=$d_f_load_misses" \
		"load_not_held=$d_f_load_not_held" \
		"invalidate_not_held=$d_f_invalidate_not_held" \
		"pages_out=$d_out pages_in=$d_in hc_put=$d_h_put_page" \
		"hc_get=$d_h_get_page hc_flush=$d_h_flush_page hc_total=$d_h_total" \
		"zswap_stored_end=$_zs zswap_pool_bytes_end=$_zb" \
		"zswap_reject_poor=$d_z_reject_compress_poor" \
		"zswap_written_back=$d_z_written_back_pages" \
		"persist_pages_end=$_pp emu_gets=$d_e_gets emu_misses=$d_e_misses"
	case $1 in
	disk)
		check_eq "$_p: no frontswap store" 0 "$d_k_succ_stores"
		;;
	zswap)
		check_eq "$_p: xen_tmem stored nothing" 0 "$d_f_stores"
		check_gt "$_p: zswap held pages" "$_zs" 0
		;;
	tmem)
		check_gt "$_p: xen_tmem stores" "$d_f_stores" 0
		check_eq "$_p: no store_failures" 0 "$d_f_store_failures"
		check_le "$_p: zswap stored no page" "$_zs" "$s0_z_stored_pages"
		;;
	full | overflow)
		check_gt "$_p: the pool was full (store_failures)" \
			"$d_f_store_failures" 0
		check_gt "$_p: xen_tmem backed off" "$d_f_store_skipped" 0
		check_le "$_p: refused puts <= 1 % of the pages swapped out" \
			$((d_f_store_failures * 100)) "$d_out"
		check_eq "$_p: no load missed" 0 "$d_f_load_misses"
		;;
	esac
	case $1 in
	disk | zswap)
		check_eq "$_p: no put hypercall" 0 "$d_h_put_page"
		check_eq "$_p: no load missed" 0 "$d_f_load_misses"
		;;
	esac
	persist_drained "$_p"
}

# =============================================================================
load_persist "persist_capacity_pages=$PERSIST_CAP"
BALLOON0=$(num "$XT_BALLOON/info/current_kb")
require "xen_tmem frontswap statistics in $XT_FS" test -d "$XT_FS"
fs_set_enabled 0
zswap_set N
swap_setup vda
memcg_make swapbench "$MEMCG"
echo "BENCH section=swapsetup mib=$MIB memcg=$MEMCG unique_pct=$UNIQUE" \
	"reps=$REPS seed=$SEED persist_capacity_pages=$PERSIST_CAP" \
	"full_capacity_pages=$FULL_CAP balloon_kib=$BALLOON0" \
	"memtotal_kib=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)" \
	"cpus=$(nproc) kernel=$(uname -r)" \
	"page_cluster=$(cat /proc/sys/vm/page-cluster)" \
	"swappiness=$(cat /proc/sys/vm/swappiness)" \
	"zswap_compressor=$(cat /sys/module/zswap/parameters/compressor)" \
	"zswap_zpool=$(cat /sys/module/zswap/parameters/zpool)" \
	"zswap_max_pool_percent=$(cat /sys/module/zswap/parameters/max_pool_percent)" \
	"swap_kib=$(awk 'NR == 2 { print $3 }' /proc/swaps)" \
	"clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"

r=1
while [ "$r" -le "$REPS" ]; do
	for v in disk zswap tmem full overflow; do
		one_run "$v" "$r"
	done
	r=$((r + 1))
done
zswap_set N
pool_room yes
fs_set_enabled 1
fs_dump end
check "swapoff /dev/vda" swapoff /dev/vda
check_eq "after swapoff: hypervisor persist_pages" 0 "$(hv_stat persist_pages)"
