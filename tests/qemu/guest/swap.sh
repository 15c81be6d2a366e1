# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since
# Helpers shared by the frontswap scenarios (swap.sh, swap-full.sh,
# swapoff.sh, zswap.sh) and the benchmark's swap workload: a swap disk,
# xt-swapfill in a memory cgroup, and counter snapshots. Sourced as
# /lib/xt/swap.sh after lib.sh.

XT_FS=$XT_SYS/frontswap
XT_ZSWAP=/sys/kernel/debug/zswap
XT_FSDBG=/sys/kernel/debug/frontswap
XT_SWAPFILL=/opt/xt/xt-swapfill
# Counters the checks use: xen_tmem's frontswap/ (f_) and hypercalls/
# (h_), the emulator's (e_), zswap's and frontswap's debugfs (z_, k_),
# the swap disk (disk_).
SW_FS="stores store_failures refused store_skipped backoffs store_nomap loads
load_hits load_misses load_not_held invalidate_pages invalidate_not_held
invalidate_areas pools_created pools_failed pools_recreated
err_enomem err_enospc err_other"
SW_HC="put_page get_page flush_page flush_object total"
SW_EMU="persist_pages persist_puts_enomem puts gets hits misses bad_ops"
SW_Z="stored_pages reject_compress_poor reject_alloc_fail pool_limit_hit
written_back_pages duplicate_entry"
SW_K="succ_stores failed_stores loads invalidates"

# num FILE: the file's number, 0 when it is missing (before a module
# loads, or zswap's debugfs before its first store).
num() {
	_v=$(cat "$1" 2> /dev/null) || _v=0
	is_num "$_v" || _v=0
	echo "$_v"
}

fs_stat() { val "$XT_FS/$1"; }
hc_num() { num "$XT_SYS/hypercalls/$1"; }
# hv_num NAME: hv_stat NAME as a number (0 when the hypervisor has none).
hv_num() {
	_v=$(hv_stat "$1")
	is_num "$_v" || _v=0
	echo "$_v"
}
z_stat() { num "$XT_ZSWAP/$1"; }

# uptime_cs: /proc/uptime in centiseconds.
uptime_cs() {
	awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' /proc/uptime
}

# sw_snap DEV: remember every counter and the time; sw_since DEV then
# sets d_NAME to the growth (disk_rd, disk_wr, cs: centiseconds).
sw_snap() {
	for _c in $SW_FS; do eval "s0_f_$_c=$(num "$XT_FS/$_c")"; done
	for _c in $SW_EMU; do eval "s0_e_$_c=$(hv_num "$_c")"; done
	for _c in $SW_Z; do eval "s0_z_$_c=$(z_stat "$_c")"; done
	for _c in $SW_K; do eval "s0_k_$_c=$(num "$XT_FSDBG/$_c")"; done
	for _c in $SW_HC; do eval "s0_h_$_c=$(hc_num "$_c")"; done
	s0_disk_rd=$(disk_sectors "$1" rd)
	s0_disk_wr=$(disk_sectors "$1" wr)
	s0_cs=$(uptime_cs)
}

sw_since() {
	for _c in $SW_FS; do eval "d_f_$_c=\$(($(num "$XT_FS/$_c") - s0_f_$_c))"; done
	for _c in $SW_EMU; do eval "d_e_$_c=\$(($(hv_num "$_c") - s0_e_$_c))"; done
	for _c in $SW_Z; do eval "d_z_$_c=\$(($(z_stat "$_c") - s0_z_$_c))"; done
	for _c in $SW_K; do eval "d_k_$_c=\$(($(num "$XT_FSDBG/$_c") - s0_k_$_c))"; done
	for _c in $SW_HC; do eval "d_h_$_c=\$(($(hc_num "$_c") - s0_h_$_c))"; done
	d_disk_rd=$(($(disk_sectors "$1" rd) - s0_disk_rd))
	d_disk_wr=$(($(disk_sectors "$1" wr) - s0_disk_wr))
	d_cs=$(($(uptime_cs) - s0_cs))
	# Pages swapped out: every one is offered to frontswap first; pages
	# swapped in: those frontswap loaded, and those read from the swap
	# disk (8 sectors a page; the test kernel counts no pswpin).
	d_out=$((d_k_succ_stores + d_k_failed_stores))
	d_in=$((d_k_loads + d_disk_rd / 8))
}

# sw_report TAG: the growth since sw_snap (after sw_since) on one line.
sw_report() {
	echo "REPORT[$1] disk_wr=$d_disk_wr disk_rd=$d_disk_rd" \
		"secs=$((d_cs / 100)).$(printf %02d $((d_cs % 100)))" \
		"stores=$d_f_stores store_failures=$d_f_store_failures" \
		"refused=$d_f_refused loads=$d_f_loads load_hits=$d_f_load_hits" \
		"load_misses=$d_f_load_misses inv_pages=$d_f_invalidate_pages" \
		"inv_areas=$d_f_invalidate_areas err_enomem=$d_f_err_enomem" \
		"hv_persist_pages=$(hv_stat persist_pages)" \
		"emu_puts_enomem=$d_e_persist_puts_enomem emu_puts=$d_e_puts" \
		"emu_gets=$d_e_gets emu_misses=$d_e_misses" \
		"zswap_stored=$(z_stat stored_pages)" \
		"zswap_reject_poor=$d_z_reject_compress_poor" \
		"fs_succ_stores=$d_k_succ_stores fs_failed_stores=$d_k_failed_stores" \
		"fs_loads=$d_k_loads"
	sw_hcalls "$1"
}

# sw_wait_skipped N SECONDS: wait (at most SECONDS) until xen_tmem has
# skipped N stores since sw_snap: it backs off from a full pool.
sw_wait_skipped() {
	_i=0
	while [ $(($(num "$XT_FS/store_skipped") - s0_f_store_skipped)) -lt "$1" ] &&
		[ "$_i" -lt $(($2 * 10)) ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	rm_window=$(fs_stat backoff_window)
}

# sw_first_taken: room has just appeared in a full pool, with swapping
# going on: poll (every 0.1 s, at most 120 s) until a store is taken
# again. Sets ft_taken (1, or 0 when none was), ft_skipped and ft_failed
# (stores skipped and refused from the call until then: an upper bound,
# as stores go on during a poll) and ft_cs (centiseconds until then).
# sw_after_room, later, sets rm_skipped, rm_failed and rm_taken: the
# stores skipped, refused and taken since the call.
# shellcheck disable=SC2034 # for the scenarios
sw_first_taken() {
	rm_skip0=$(num "$XT_FS/store_skipped")
	rm_fail0=$(num "$XT_FS/store_failures")
	rm_good0=$(($(num "$XT_FS/stores") - rm_fail0))
	_t0=$(uptime_cs)
	ft_taken=0
	_i=0
	while [ "$_i" -lt 1200 ]; do
		_f=$(num "$XT_FS/store_failures")
		_s=$(num "$XT_FS/store_skipped")
		if [ $(($(num "$XT_FS/stores") - _f)) -gt "$rm_good0" ]; then
			ft_taken=1
			break
		fi
		sleep 0.1
		_i=$((_i + 1))
	done
	ft_cs=$(($(uptime_cs) - _t0))
	ft_skipped=$((_s - rm_skip0))
	ft_failed=$((_f - rm_fail0))
}

# shellcheck disable=SC2034 # for the scenarios
sw_after_room() {
	_f=$(num "$XT_FS/store_failures")
	rm_skipped=$(($(num "$XT_FS/store_skipped") - rm_skip0))
	rm_failed=$((_f - rm_fail0))
	rm_taken=$(($(num "$XT_FS/stores") - _f - rm_good0))
	echo "REPORT[$1] window_before=$rm_window" \
		"skipped_until_taken=$ft_skipped failed_until_taken=$ft_failed" \
		"cs_until_taken=$ft_cs taken=$ft_taken skipped_after=$rm_skipped" \
		"failed_after=$rm_failed taken_after=$rm_taken"
}

# sw_hcalls TAG: xen_tmem's hypercalls per swapped page (after sw_since).
# A swapped-out page costs its put and, once its slot is freed, its
# flush (or the flush that followed a refused put); a swapped-in page its
# get.
sw_hcalls() {
	echo "REPORT[$1-hcalls] pages_out=$d_out pages_in=$d_in" \
		"put=$d_h_put_page get=$d_h_get_page flush=$d_h_flush_page" \
		"flush_object=$d_h_flush_object total=$d_h_total" \
		"per_out=$(ratio "$((d_h_put_page + d_h_flush_page))" "$d_out" 3)" \
		"per_in=$(ratio "$d_h_get_page" "$d_in" 3)" \
		"store_failures=$d_f_store_failures store_skipped=$d_f_store_skipped" \
		"backoffs=$d_f_backoffs load_not_held=$d_f_load_not_held" \
		"invalidate_not_held=$d_f_invalidate_not_held" \
		"refused_pct=$(ratio "$((d_f_store_failures * 100))" "$d_out" 3)"
}

# fs_dump TAG: every counter of xen_tmem's frontswap/ on one line.
fs_dump() {
	[ -d "$XT_FS" ] && echo "REPORT[$1] xen_tmem/frontswap: $(dir_kv "$XT_FS")"
	[ -d "$XT_ZSWAP" ] && echo "REPORT[$1] zswap: $(dir_kv "$XT_ZSWAP")"
	[ -d "$XT_FSDBG" ] && echo "REPORT[$1] frontswap: $(dir_kv "$XT_FSDBG")"
	return 0
}

# --- swap disk -------------------------------------------------------------------
# swap_setup DEV: mkswap and swapon the whole disk (required).
swap_setup() {
	require "mkswap /dev/$1" mkswap "/dev/$1"
	require "swapon /dev/$1" swapon "/dev/$1"
	check "/dev/$1 in /proc/swaps" grep -q "^/dev/$1 " /proc/swaps
}

# zswap_set Y|N
zswap_set() {
	echo "$1" > /sys/module/zswap/parameters/enabled
	check_eq "zswap enabled=$1" "$1" "$(cat /sys/module/zswap/parameters/enabled)"
}

# fs_set_enabled 0|1: xen_tmem's enabled switch.
fs_set_enabled() {
	echo "$1" > "$XT_PARAMS/enabled"
	check_eq "xen_tmem enabled=$1" "$1" "$(param enabled | tr YN 10)"
}

# load_persist [EMU_ARG...]: the emulator (with EMU_ARGs; nothing on a
# real Xen), then xen_tmem with a frontswap backend (required).
# shellcheck disable=SC2120 # scenarios pass arguments or none
load_persist() {
	[ "$XT_HV" = xen ] || load_emu "$@"
	hv_ops_mark
	load_tmem "$XT_TRANSPORT" pool_flags=shared,persist
	require "xen_tmem frontswap statistics in $XT_FS" test -d "$XT_FS"
}

# --- memory cgroup and xt-swapfill ---------------------------------------------
# memcg_event NAME KEY: a value of NAME's memory.events.
memcg_event() {
	awk -v k="$2" '$1 == k { print $2 }' "$XT_CG/$1/memory.events"
}

# sf_var TAG: the name of the variable that keeps TAG's pid.
sf_var() {
	echo "sf_pid_$1" | tr -c 'A-Za-z0-9_\n' _
}

# swapfill_start TAG MEMCG ARG...: xt-swapfill ARG... in the memory
# cgroup MEMCG, in the background (output: /tmp/swapfill.TAG).
swapfill_start() {
	_t=$1
	_cg=$2
	shift 2
	: > "/tmp/swapfill.$_t"
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh \
		"$XT_CG/$_cg" "$XT_SWAPFILL" -T "$_t" "$@" \
		> "/tmp/swapfill.$_t" 2>&1 &
	eval "$(sf_var "$_t")=$!"
}

# swapfill_ready TAG: wait (at most 600 s) until it waits for its file.
swapfill_ready() {
	_i=0
	while ! grep -q '^xt-swapfill: waiting' "/tmp/swapfill.$1"; do
		eval "kill -0 \$$(sf_var "$1")" 2> /dev/null || break
		_i=$((_i + 1))
		[ "$_i" -lt 6000 ] || break
		sleep 0.1
	done
	check "swapfill $1: filled and waiting" \
		grep -q '^xt-swapfill: waiting' "/tmp/swapfill.$1"
}

# swapfill_hold TAG MEMCG ARG...: start it with -w /tmp/go.TAG, wait
# until it has filled its memory, then set held to the hypervisor's
# persistent pages and check there are some. swapfill_go TAG lets it on.
swapfill_hold() {
	swapfill_start "$@" -w "/tmp/go.$1"
	swapfill_ready "$1"
	held=$(hv_stat persist_pages)
	check_gt "$1, filled: hypervisor persist_pages" "$held" 0
}

swapfill_go() {
	touch "/tmp/go.$1"
}

# swapfill_end TAG MEMCG: wait for it; print its output; checks: exit
# status 0, no mismatch, every page verified, no OOM kill in MEMCG.
# Sets sf_pages, sf_verified and sf_ms (its time without the waits).
swapfill_end() {
	_t=$1
	_cg=$2
	eval "wait \$$(sf_var "$_t")"
	_rc=$?
	cat "/tmp/swapfill.$_t"
	# shellcheck disable=SC2034 # for the benchmark
	sf_ms=$(sed -n 's/^REPORT\[.*\] .* ms=\([0-9]*\) .*/\1/p' "/tmp/swapfill.$_t")
	_line=$(grep '^xt-swapfill: pages ' "/tmp/swapfill.$_t" | tail -n 1)
	# "xt-swapfill: pages N verified M mismatches K gen G seed S"
	# shellcheck disable=SC2086 # split the line
	set -- $_line
	sf_pages=${3:-0}
	sf_verified=${5:-0}
	check_eq "swapfill $_t: exit status" 0 "$_rc"
	check_eq "swapfill $_t: mismatches" 0 "${7:-none}"
	check_gt "swapfill $_t: pages verified" "$sf_verified" "$sf_pages"
	check_eq "memcg $_cg: no OOM kill" 0 "$(memcg_event "$_cg" oom_kill)"
}

# swapfill_run TAG MEMCG ARG...: start, then end.
swapfill_run() {
	swapfill_start "$@"
	swapfill_end "$1" "$2"
}

# swap_used_pages: swap slots in use, all swap areas (/proc/swaps).
swap_used_pages() {
	awk 'NR > 1 { s += $4 } END { print s / 4 }' /proc/swaps
}

# persist_drained TAG: after a program exited, its pages leave the pool
# (frontswap invalidates a page when its swap slot is freed). The kernel
# may keep a few slots a while longer, for pages still in the swap cache
# that nothing maps (reclaim frees them lazily, under memory pressure):
# the emulator must hold no more persistent pages than there are slots in
# use. A swapoff then empties the pool (see the scenarios).
persist_drained() {
	_i=0
	while [ "$(hv_num persist_pages)" -gt 0 ] &&
		[ "$_i" -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_held=$(hv_num persist_pages)
	_used=$(swap_used_pages)
	echo "REPORT[$1-drained] hv_persist_pages=$_held swap_slots_used=$_used" \
		"swap_cached_kib=$(awk '/^SwapCached:/ { print $2 }' /proc/meminfo)"
	check_le "$1: after exit, hypervisor persist_pages <= swap slots in use" \
		"$_held" "$_used"
}

# ratio A B [DIGITS]: A / B with two decimals, or DIGITS ("inf" when B
# is 0).
ratio() {
	awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {
		if (b == 0) print "inf"; else printf "%." d "f\n", a / b }'
}
