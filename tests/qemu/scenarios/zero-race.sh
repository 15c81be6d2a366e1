# shellcheck shell=sh
# Zero-race: the ext4 partial-block guard (src/guard.c). tests/torture/
# zero-race.c punches holes and zeroes ranges with both edges inside a
# block of pages whose clean copies are in tmem, while page cache is
# dropped in a loop; Linux's own cleancache hooks miss those blocks, and
# without the guard some reads return the bytes from before fallocate().
# With the guard (the default): 0 stale pages in both modes, the guard
# flushed 2 pages per fallocate (before the zeroing and after it), none
# missed. With guard=0: stale pages again, so the test can fail. A bad
# guard value is refused and changes nothing. On a kernel without
# kretprobes the guard says why it is off, at load and in guard_state,
# and the hole is shown to be still there.
# Settings (APPEND): ZERO_RACE_ROUNDS (rounds of 64 pages per mode, 40).
# disks: ext4:256M
# timeout: 600
# smp: 2
# smp-pvh: 1
# xen: zero-race tmem

ROUNDS=${ZERO_RACE_ROUNDS:-40}
ZR=/opt/xt/zero-race
PER_ROUND=64	# fallocate calls a round makes (zero-race.c: NP)

require "zero-race is in the initramfs" test -x "$ZR"
klog_clear
load_both
mount_disk /dev/vda /mnt
state=$(val "$XT_SYS/guard_state")
echo "REPORT[guard] state=$state"

# race MODE: run zero-race; its exit status in $zr_rc, its stale page
# count in $zr_stale (NA if it did not say).
race() {
	zr_rc=0
	"$ZR" /mnt/zr "$1" "$ROUNDS" > "/tmp/zr.$1" 2>&1 || zr_rc=$?
	grep -v '^ZERO-RACE: ' "/tmp/zr.$1"
	grep '^ZERO-RACE: ' "/tmp/zr.$1" | head -n 3
	zr_stale=$(sed -n 's/^ZERO-RACE-RESULT .*stale_pages=\([0-9]*\).*/\1/p' "/tmp/zr.$1")
	zr_stale=${zr_stale:-NA}
}

if [ "$state" != active ]; then
	# No guard on this kernel: it must say so, and why.
	check "guard_state says why it is off" contains "$state" "inactive:"
	check "the load said the guard is off" klog_has "xen_tmem: guard: off"
	for mode in zero punch; do
		race "$mode"
		info "without the guard this kernel served $zr_stale stale pages of $((ROUNDS * PER_ROUND)) ($mode)"
		echo "REPORT[zero-race] guard=inactive mode=$mode stale=$zr_stale fallocates=$((PER_ROUND * ROUNDS))"
	done
	check_eq "guard flushed nothing" 0 "$(tmem_stat guard_flushes)"
	umount /mnt
	final_report
	exit 0
fi

check_eq "guard is on by default" Y "$(param guard)"
check_not "the load said nothing about the guard being off" \
	klog_has "xen_tmem: guard: off"

# --- 1. with the guard: nothing stale --------------------------------------------
for mode in zero punch; do
	f0=$(tmem_stat guard_flushes)
	race "$mode"
	f1=$(tmem_stat guard_flushes)
	check_eq "guard on, $mode: zero-race exit status" 0 "$zr_rc"
	check_eq "guard on, $mode: stale pages" 0 "$zr_stale"
	# One partial block per call: its page flushed before and after.
	check_eq "guard on, $mode: pages flushed by the guard" \
		$((2 * PER_ROUND * ROUNDS)) $((f1 - f0))
	echo "REPORT[zero-race] guard=on mode=$mode stale=$zr_stale fallocates=$((PER_ROUND * ROUNDS)) guard_flushes=$((f1 - f0))"
done
check_eq "guard: no return probe missed" 0 "$(val "$XT_SYS/guard_missed")"
# The race's own hits depend on its timing against the drops; a read
# after a drop does not: its pages must come from the pool.
# (Pages that were written are not kept; pages read from the disk are.)
fill_file /mnt/zr-hits 1
sum=$(sha_of /mnt/zr-hits)
drop_caches
read_all /mnt/zr-hits
drop_caches
h0=$(tmem_stat hits)
check_eq "a file read after a drop reads back right" "$sum" "$(sha_of /mnt/zr-hits)"
check_gt "the pool had hits (a read after a drop came from tmem)" \
	$(($(tmem_stat hits) - h0)) 0
rm -f /mnt/zr-hits

# --- 2. the parameter --------------------------------------------------------------
for bad in 2 maybe "" yes; do
	check_not "guard='$bad' refused" sh -c "echo '$bad' > $XT_PARAMS/guard"
	check_eq "guard='$bad' left it on" Y "$(param guard)"
done

# --- 3. without the guard: the hole is there (the test can fail) ---------------------
echo 0 > "$XT_PARAMS/guard"
check_eq "guard=0 took" N "$(param guard)"
stale_off=0
for mode in zero punch; do
	f0=$(tmem_stat guard_flushes)
	race "$mode"
	check_eq "guard off, $mode: the guard flushed nothing" "$f0" \
		"$(tmem_stat guard_flushes)"
	echo "REPORT[zero-race] guard=off mode=$mode stale=$zr_stale fallocates=$((PER_ROUND * ROUNDS))"
	! is_num "$zr_stale" || stale_off=$((stale_off + zr_stale))
done
check_gt "guard off: zero-race finds stale pages" "$stale_off" 0
echo 1 > "$XT_PARAMS/guard"
check_eq "guard=1 took" Y "$(param guard)"

umount /mnt
final_report
