# shellcheck shell=sh
# The benchmark's self-ballooning section (the seed's setup: a kernel
# compile in a guest that self-balloons), sourced by bench.sh, which
# calls sb_section. The build-like load of section 4 with no memory
# cgroup: the whole guest is what shrinks. Three variants, one after the
# other, each a first pass (cold; with xen_tmem it fills the hypervisor)
# and SB_REPS measured passes, then the checksums of the tree:
#   sb    xen_tmem enabled=1, selfballoon=1 (selfballoon_floor_mb,
#         selfballoon_reserve_mb, selfballoon_interval from bench.conf;
#         vm.vfs_cache_pressure is SB_VFS in all three);
#         before the passes the balloon settles (given_back_pages moves by
#         less than 1 MiB over 3 intervals, at most SB_SETTLE_MAX s) and
#         a "pass=idle" line gives the memory given back while idle and
#         MemAvailable before (the idle memory)
#   off   no xen_tmem (enabled=0: pools flushed), selfballoon=0, the
#         balloon set by hand to the memory sb ended its passes with
#   tmem  xen_tmem enabled=1, selfballoon=0, the balloon back to full
# The balloon: on Xen, the kernel's balloon driver (target_kb,
# info/current_kb, KiB); on the emulator, xen_tmem_emu's (balloon_target:
# the guest's memory in pages, 0 = full). On the emulator the hypervisor's
# own capacity is SB_CAPACITY pages during the section: tmem's room is
# what the guest gave back (the balloon's pages raise the limit), as on a
# Xen host whose memory is all handed out to guests.
#
# Each timed pass line carries, besides bench.sh's counters:
# selfballoon (0/1), given_back_pages (xen_tmem's, pages of 4 KiB: the
# memory the guest had when self-ballooning was switched on minus its
# memory now) at the end of the pass and its mean, min and max over the
# pass (gb_mean, gb_min, gb_max, sampled every second), the balloon's
# memory (balloon_mem, in balloon_unit: kib on Xen, pages on the
# emulator), MemTotal, oom_rescues and rescued_pages (xen_tmem's
# counters since load) and, on the emulator, balloon_pages.
# CHECKs: every variant's checksums, hits in sb's measured passes, no OOM
# kill in the kernel log during the section.

XT_SB=$XT_SYS/selfballoon
XT_XBAL=/sys/devices/system/xen_memory/xen_memory0

sb_stat() { val "$XT_SB/$1"; }

# sb_meminfo TAG: /proc/meminfo on one REPORT line (kB).
sb_meminfo() {
	echo "REPORT[sb-meminfo-$1] $(awk '{ sub(":", "", $1); printf "%s=%s ", $1, $2 }' /proc/meminfo)"
}

meminfo() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# bal_mem: the guest's memory in the balloon's units (see bal_unit).
bal_mem() {
	if [ "$XT_HV" = xen ]; then
		val "$XT_XBAL/info/current_kb"
	else
		echo $(($(meminfo MemTotal) / 4))
	fi
}

bal_unit() {
	if [ "$XT_HV" = xen ]; then echo kib; else echo pages; fi
}

# bal_set MEM: the balloon's target by hand (MEM in bal_unit; "full" for
# the memory the section started with), then wait at most 120 s until the
# guest has it or the balloon did not move for 3 s (as swap.sh's
# balloon_to).
bal_set() {
	_want=$1
	if [ "$XT_HV" = xen ]; then
		[ "$_want" != full ] || _want=$SB_FULL
		echo "$_want" > "$XT_XBAL/target_kb"
	else
		[ "$_want" != full ] || _want=0
		echo "$_want" > "$XT_EMU_PARAMS/balloon_target"
		[ "$_want" != 0 ] || _want=$SB_FULL
	fi
	_i=0
	_still=0
	_last=
	while [ "$_i" -lt 120 ] && [ "$_still" -lt 3 ]; do
		sleep 1
		_i=$((_i + 1))
		_cur=$(bal_mem)
		[ "$_cur" != "$_want" ] || break
		if [ "$_cur" = "$_last" ]; then
			_still=$((_still + 1))
		else
			_still=0
		fi
		_last=$_cur
	done
	info "balloon: target $_want $(bal_unit), the guest has $(bal_mem) after ${_i} s"
}

sb_set() {
	echo "$1" > "$XT_PARAMS/selfballoon"
	check_eq "selfballoon=$1" "$1" "$(param selfballoon | tr YN 10)"
}

# sb_settle: wait until given_back_pages moved by less than 256 pages
# over 3 intervals, at most SB_SETTLE_MAX s; sets sb_settle_s, sb_settled.
sb_settle() {
	sb_settle_s=0
	sb_settled=0
	_same=0
	_last=$(sb_stat given_back_pages)
	while [ "$sb_settle_s" -lt "$SB_SETTLE_MAX" ]; do
		sleep "$SB_INTERVAL"
		sb_settle_s=$((sb_settle_s + SB_INTERVAL))
		_g=$(sb_stat given_back_pages)
		if [ $((_g - _last)) -lt 256 ] && [ $((_last - _g)) -lt 256 ]; then
			_same=$((_same + 1))
		else
			_same=0
		fi
		_last=$_g
		if [ "$_same" -ge 3 ]; then
			sb_settled=1
			break
		fi
	done
}

# The sampler: given_back_pages every second into /tmp/sb.samples, from
# the start of a pass until sb_run ends it.
sb_sampler() {
	while :; do
		sb_stat given_back_pages >> /tmp/sb.samples
		sleep 1
	done
}

# sb_run COMMAND...: COMMAND, then the sampler stops (in this shell, so
# that it can be waited for; timed takes its snapshot after).
sb_run() {
	"$@"
	_sbrc=$?
	kill "$sb_pid" 2> /dev/null
	wait "$sb_pid" 2> /dev/null
	return "$_sbrc"
}

# sb_extra: the fields added to a timed pass line (bench.sh's TIMED_EXTRA).
sb_extra() {
	_emu=
	[ "$XT_HV" = xen ] || _emu=" balloon_pages=$(emu_stat balloon_pages)"
	echo "selfballoon=$(sb_stat active)" \
		"given_back_pages=$(sb_stat given_back_pages)" \
		"$(awk 'NR == 1 { lo = hi = $1 } { s += $1; if ($1 < lo) lo = $1; if ($1 > hi) hi = $1 }
			END { printf "gb_mean=%.0f gb_min=%d gb_max=%d", NR ? s / NR : 0, lo, hi }' /tmp/sb.samples)" \
		"balloon_mem=$(bal_mem) balloon_unit=$(bal_unit)" \
		"memtotal_kib=$(meminfo MemTotal) memavail_kib=$(meminfo MemAvailable)" \
		"oom_rescues=$(sb_stat oom_rescues) rescued_pages=$(sb_stat rescued_pages)$_emu"
}

# sb_pass VARIANT PASS: one timed build with the sampler.
sb_pass() {
	: > /tmp/sb.samples
	sb_sampler &
	sb_pid=$!
	timed selfballoon "$1-$2" vdb sb_run build_all
}

# sb_variant VARIANT: the first pass, the measured ones, the checksums.
sb_variant() {
	sb_pass "$1" cold
	_r=1
	while [ "$_r" -le "$SB_REPS" ]; do
		sb_pass "$1" "$_r"
		_r=$((_r + 1))
	done
	sb_end=$(bal_mem)
	sb_meminfo "$1"
	echo "BENCH section=selfballoon pass=$1-end balloon_mem=$sb_end" \
		"balloon_unit=$(bal_unit) given_back_pages=$(sb_stat given_back_pages)"
	verify "selfballoon $1: tree" /opt/xt/tree.sums
}

# sb_hits VARIANT: the hits of its measured passes, summed.
sb_hits() {
	grep "^BENCH section=selfballoon pass=$1-[0-9]* " /tmp/bench.out |
		sed -n 's/.* hits=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}

sb_section() {
	info "self-ballooning: build-like load without a memory cgroup;" \
		"floor $SB_FLOOR_MB MiB, reserve $SB_RESERVE_MB MiB, interval $SB_INTERVAL s"
	require "self-ballooning statistics in $XT_SB" test -d "$XT_SB"
	klog_clear
	echo "$SB_VFS" > /proc/sys/vm/vfs_cache_pressure
	check_eq "selfballoon: vm.vfs_cache_pressure=$SB_VFS" "$SB_VFS" \
		"$(cat /proc/sys/vm/vfs_cache_pressure)"
	fresh 3
	[ "$XT_HV" = xen ] || set_capacity "$SB_CAPACITY"
	# shellcheck disable=SC2034 # read by bench.sh's timed
	TIMED_EXTRA=sb_extra
	SB_FULL=$(bal_mem)
	_avail0=$(meminfo MemAvailable)
	_total0=$(meminfo MemTotal)
	echo "$SB_FLOOR_MB" > "$XT_PARAMS/selfballoon_floor_mb"
	echo "$SB_RESERVE_MB" > "$XT_PARAMS/selfballoon_reserve_mb"
	echo "$SB_INTERVAL" > "$XT_PARAMS/selfballoon_interval"

	# 1. sb
	set_enabled 1
	sb_set 1
	sb_settle
	echo "BENCH section=selfballoon pass=idle" \
		"given_back_pages=$(sb_stat given_back_pages)" \
		"max_pages=$(sb_stat max_pages) target_pages=$(sb_stat target_pages)" \
		"goal_pages=$(sb_stat goal_pages) floor_pages=$(sb_stat floor_pages)" \
		"memavail0_kib=$_avail0 memtotal0_kib=$_total0" \
		"memtotal_kib=$(meminfo MemTotal) memavail_kib=$(meminfo MemAvailable)" \
		"settle_s=$sb_settle_s settled=$sb_settled full=$SB_FULL" \
		"min_free_kbytes=$(cat /proc/sys/vm/min_free_kbytes)" \
		"balloon_mem=$(bal_mem) balloon_unit=$(bal_unit)" | tee -a /tmp/bench.out
	sb_meminfo idle
	sb_variant sb
	check_gt "selfballoon sb: hits in the measured passes" "$(sb_hits sb)" 0
	_mem=$sb_end
	sb_set 0

	# 2. off: no xen_tmem, the balloon where sb ended by hand
	set_enabled 0
	bal_set "$_mem"
	drop_caches 3
	sb_variant off

	# 3. tmem: xen_tmem, full memory
	bal_set full
	fresh 3
	set_enabled 1
	sb_variant tmem

	unset TIMED_EXTRA
	set_enabled 0
	echo 100 > /proc/sys/vm/vfs_cache_pressure
	echo auto > "$XT_PARAMS/selfballoon_floor_mb"
	echo auto > "$XT_PARAMS/selfballoon_reserve_mb"
	[ "$XT_HV" = xen ] || set_capacity $((DATA_PAGES * 2))
	_oom=$(dmesg | grep -c -E 'Out of memory|oom-kill|oom_reaper')
	check_eq "selfballoon: no OOM kill in the kernel log" 0 "$_oom"
	[ "$_oom" = 0 ] || dmesg | grep -E 'Out of memory|oom-kill|oom_reaper' | head -n 5
}
