# shellcheck shell=sh
# Self-ballooning never starves the guest. xen_tmem loads with
# selfballoon=1: the guest hands its idle memory to the hypervisor (at
# least half of what MemAvailable said when idle) and MemTotal drops by
# as much; files larger than what is left of the page cache read back
# right, partly from tmem. Then three programs grab anonymous memory at
# once, more than the ballooned guest has (300 MiB; less on the debug
# kernels, which have less memory), with no swap:
#  - "rescue": with steps 60 s apart, only the out-of-memory notifier can
#    give the memory back in time; it must, with no process killed;
#  - "step": with steps 1 s apart, as in use;
#  - "full": the same with self-ballooning off and all memory back, the
#    baseline of the delays.
# Every byte of the program's memory is checked (xt-swapfill), the
# delays are reported and bounded. Switching it off gives the guest all
# its memory back. Bad values of the parameters are refused and change
# nothing. Runs on the emulator (its balloon hands the pages to the
# emulated hypervisor) and on Xen (the kernel's balloon driver).
# disks: ext4:384M
# timeout: 900
# xen: selfballoon tmem dom0_mem=512M,max:512M

XT_SB=$XT_SYS/selfballoon
XT_SWAPFILL=/opt/xt/xt-swapfill
GROW_PROCS=3
FILES=4

sb() { val "$XT_SB/$1"; }
mib() { echo $(($1 * 4 / 1024)); }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
oom_kills() { dmesg | grep -c -E 'Out of memory|oom-kill|Killed process'; }

# sb_settle TAG: wait (at most 120 s) until the memory given back has not
# moved for 3 s; sets given (pages).
sb_settle() {
	_last=-1
	_same=0
	_i=0
	while [ "$_i" -lt 120 ]; do
		given=$(sb given_back_pages)
		if [ "$given" = "$_last" ]; then
			_same=$((_same + 1))
			[ "$_same" -lt 3 ] || break
		else
			_same=0
		fi
		_last=$given
		sleep 1
		_i=$((_i + 1))
	done
	info "$1: settled after $_i s, $(mib "$given") MiB given back"
	check_le "$1: settled within 120 s" "$_i" 119
}

# grow TAG N MIB: N xt-swapfill processes take MIB MiB each at once and
# check every byte; sets grow_ms (the slowest one's time: fill and
# verify). No process may be killed.
grow() {
	_k0=$(oom_kills)
	_r0=$(sb oom_rescues)
	_j=1
	_pids=
	while [ "$_j" -le "$2" ]; do
		"$XT_SWAPFILL" -m "$3" -s "0x5eedba1$_j" -R 1 -T "grow-$1-$_j" \
			> "/tmp/grow.$1.$_j" 2>&1 &
		_pids="$_pids $!"
		_j=$((_j + 1))
	done
	_j=1
	grow_ms=0
	for _p in $_pids; do
		_rc=0
		wait "$_p" || _rc=$?
		_f=/tmp/grow.$1.$_j
		cat "$_f"
		check_eq "$1 #$_j: xt-swapfill exit status (every byte right)" 0 "$_rc"
		# "xt-swapfill: pages N verified M mismatches K gen G seed S"
		# shellcheck disable=SC2046 # split the line
		set -- "$1" "$2" "$3" $(grep '^xt-swapfill: pages ' "$_f" | tail -n 1)
		check_eq "$1 #$_j: pages filled" $(($3 * 256)) "${6:-0}"
		check_gt "$1 #$_j: every page verified, more than once" "${8:-0}" "${6:-0}"
		check_eq "$1 #$_j: no mismatch" 0 "${10:-none}"
		_ms=$(sed -n 's/^REPORT\[.*\] .* ms=\([0-9]*\) .*/\1/p' "$_f")
		[ "${_ms:-0}" -le "$grow_ms" ] || grow_ms=$_ms
		_j=$((_j + 1))
	done
	check_eq "$1: no process killed for memory" "$_k0" "$(oom_kills)"
	echo "REPORT[sb-$1] procs=$2 mib=$3 ms=$grow_ms" \
		"rescues=$(($(sb oom_rescues) - _r0))" \
		"rescued_mib=$(mib "$(sb rescued_pages)")" \
		"current_mib=$(mib "$(sb current_pages)")" \
		"target_mib=$(mib "$(sb target_pages)")"
}

total0=$(meminfo MemTotal)
avail0=$(meminfo MemAvailable)
info "before: MemTotal $total0 kB, MemAvailable $avail0 kB"
load_both selfballoon=1 selfballoon_interval=1
require "self-ballooning statistics in $XT_SB" test -d "$XT_SB"
check_eq "selfballoon=Y" Y "$(param selfballoon)"
check_eq "active" 1 "$(sb active)"
check "the kernel log says it is on" klog_has "self-ballooning on:"

# --- idle ------------------------------------------------------------------------
sb_settle idle
max=$(sb max_pages)
cur=$(sb current_pages)
floor=$(sb floor_pages)
total1=$(meminfo MemTotal)
echo "REPORT[sb-idle] max_mib=$(mib "$max") current_mib=$(mib "$cur")" \
	"given_back_mib=$(mib "$given") idle_avail_mib=$((avail0 / 1024))" \
	"floor_mib=$(mib "$floor") goal_mib=$(mib "$(sb goal_pages)")" \
	"adjustments=$(sb adjustments) memtotal_kb=$total1"
check_gt "idle: memory given back" "$given" 0
check_le "idle: at least half of the idle memory given back" \
	"$avail0" $((given * 4 * 2))
check_le "idle: never below the floor" "$floor" "$cur"
check_le "idle: MemTotal dropped by what was given back (within 4 MiB)" \
	$((given * 4 - 4096)) $((total0 - total1))

# The sizes follow the memory measured, whatever the kernel (a debug
# kernel has less): the files are 64 MiB more than the guest has
# available once ballooned; the programs take half-way from its memory
# now to all of it together, at most 300 MiB.
FILE_MIB=$((($(meminfo MemAvailable) / 1024 + 64) / FILES))
grow_total=$((($(mib "$cur") + $(mib "$max")) / 2))
[ "$grow_total" -le 300 ] || grow_total=300
GROW_MIB=$((grow_total / GROW_PROCS))
info "files: $FILES x $FILE_MIB MiB; programs: $GROW_PROCS x $GROW_MIB MiB"

# --- files larger than the page cache left, through tmem -------------------------
mount_disk /dev/vda /mnt
i=1
while [ "$i" -le "$FILES" ]; do
	fill_file "/mnt/f$i" "$FILE_MIB"
	i=$((i + 1))
done
sums_record /tmp/sums /mnt/f*
drop_caches 1
h0=$(tmem_stat hits)
for p in 1 2; do
	sums_verify "ballooned, pass $p" /tmp/sums
done
report sb-files
check_gt "files: tmem hits while ballooned" $(($(tmem_stat hits) - h0)) 0
umount /mnt

# --- a program that grows fast ----------------------------------------------------
echo 60 > "$XT_PARAMS/selfballoon_interval"
check_eq "selfballoon_interval=60" 60 "$(param selfballoon_interval)"
sleep 2
check_le "rescue: the guest has less free memory than the programs need" \
	"$(meminfo MemAvailable)" $((GROW_PROCS * GROW_MIB * 1024))
grow rescue "$GROW_PROCS" "$GROW_MIB"
check_gt "rescue: the out-of-memory notifier gave memory back" \
	"$(sb oom_rescues)" 0
t_rescue=$grow_ms

echo 1 > "$XT_PARAMS/selfballoon_interval"
# After a rescue the target stays up for 10 steps.
sleep 12
sb_settle step-before
check_le "step: ballooned down again" "$(sb current_pages)" \
	$(((max + floor) / 2))
grow step "$GROW_PROCS" "$GROW_MIB"
t_step=$grow_ms

# One allocation larger than the ballooned guest's memory and swap: the
# kernel's default overcommit heuristic refuses it at mmap() (a clean
# ENOMEM, the program sees it; README "Self-ballooning"); with
# vm.overcommit_memory=1 it is granted and the guest grows into it.
sleep 12
sb_settle big-before
big=$((GROW_PROCS * GROW_MIB))
check_le "big: more than the guest has now" $(($(sb current_pages) / 256)) "$big"
rc=0
"$XT_SWAPFILL" -m "$big" -R 0 -T big-refused > /tmp/big 2>&1 || rc=$?
cat /tmp/big
check_eq "big, overcommit heuristic: refused with ENOMEM (exit 2)" 2 "$rc"
check "big: the program was told why" grep -q 'Cannot allocate memory' /tmp/big
echo 1 > /proc/sys/vm/overcommit_memory
grow big 1 "$big"
echo 0 > /proc/sys/vm/overcommit_memory

# --- off: all memory back -----------------------------------------------------------
echo 0 > "$XT_PARAMS/selfballoon"
check_eq "selfballoon=N" N "$(param selfballoon)"
check_eq "inactive" 0 "$(sb active)"
i=0
while [ "$(sb current_pages)" -lt "$max" ] && [ "$i" -lt 60 ]; do
	sleep 1
	i=$((i + 1))
done
check_eq "off: the guest has all its memory back" "$max" "$(sb current_pages)"
check_le "off: MemTotal back (within 4 MiB)" $((total0 - 4096)) \
	"$(meminfo MemTotal)"
echo "REPORT[sb-off] seconds=$i memtotal_kb=$(meminfo MemTotal)"
grow full "$GROW_PROCS" "$GROW_MIB"
t_full=$grow_ms
echo "REPORT[sb-delay] rescue_ms=$t_rescue step_ms=$t_step full_ms=$t_full" \
	"rescue_extra_ms=$((t_rescue - t_full)) step_extra_ms=$((t_step - t_full))"
# Bounded: the rescue waits for the balloon at most 1 s per call.
check_le "rescue: at most 30 s slower than with all memory" "$t_rescue" \
	$((t_full + 30000))
check_le "step: at most 30 s slower than with all memory" "$t_step" \
	$((t_full + 30000))

# --- parameters -----------------------------------------------------------------------
for bad in "selfballoon_interval 0" "selfballoon_interval 3601" \
	"selfballoon_interval x" "selfballoon_floor_mb -1" \
	"selfballoon_floor_mb 99999999" "selfballoon_reserve_mb lots" \
	"selfballoon maybe"; do
	# shellcheck disable=SC2086 # name and value
	set -- $bad
	before=$(param "$1")
	klog_clear
	check_not "$1=$2 refused" sh -c "echo '$2' > '$XT_PARAMS/$1'"
	check_eq "$1=$2: unchanged" "$before" "$(param "$1")"
	check "$1=$2: one line naming it" klog_has "$1: '$2' is not valid"
done
echo 64 > "$XT_PARAMS/selfballoon_floor_mb"
check_eq "selfballoon_floor_mb=64" 64 "$(param selfballoon_floor_mb)"
echo auto > "$XT_PARAMS/selfballoon_floor_mb"
check_eq "selfballoon_floor_mb=auto" auto "$(param selfballoon_floor_mb)"
check_eq "still off" 0 "$(sb active)"
