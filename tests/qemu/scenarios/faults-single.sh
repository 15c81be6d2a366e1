# shellcheck shell=sh disable=SC2154 # d_*, e_*, t0_*, e0_*: set by eval
# Faults, one kind at a time: the emulator answers as Xen does when it is
# out of memory (-ENOMEM, -ENOSPC on a duplicate put), frozen (-EFROZEN),
# handed a bad frame (-EFAULT), when it says -EEMPTY, refuses a pool
# (-EPERM, -ENOMEM), forgets a pool (-ENODEV after) or evicts pages. For
# each kind a file workload (overwrite, truncate and append, delete and
# re-create, reads under a memory cgroup) must read right every time, and
# the module's counters must account for every injected error exactly.
# Also: the knobs refuse bad values, and the same seed and ops give the
# same faults.
# disks: ext4:128M
# timeout: 240

FILES="f1 f2 f3 f4 f5 f6"
SH=/tmp/shadow
# Counters of xen_tmem (total/) and of the emulator that the checks use.
T_CTR="puts put_failures gets hits misses flush_pages flush_inodes
pools_created pools_failed pools_recreated err_enodev err_enosys err_eperm
err_enomem err_enospc err_efault err_efrozen err_eempty err_einval err_other"
KINDS="put_enomem put_enospc put_efrozen put_efault get_efault get_eempty
new_eperm new_enomem forget evict"
E_CTR="puts puts_failed gets hits misses flushes evictions faults_evicted_pages
real_eempty real_enodev"
for _k in $KINDS; do
	E_CTR="$E_CTR faults_$_k"
done

emu_set() {
	echo "$2" > "$XT_EMU_PARAMS/$1"
}

# --- accounting ----------------------------------------------------------------
# snap: remember every counter; since: d_NAME (xen_tmem) and e_NAME
# (emulator) are then the growth since snap.
snap() {
	for _c in $T_CTR; do
		eval "t0_$_c=$(tmem_stat "$_c")"
	done
	for _c in $E_CTR; do
		eval "e0_$_c=$(emu_stat "$_c")"
	done
}

since() {
	for _c in $T_CTR; do
		eval "d_$_c=\$(($(tmem_stat "$_c") - t0_$_c))"
	done
	for _c in $E_CTR; do
		eval "e_$_c=\$(($(emu_stat "$_c") - e0_$_c))"
	done
}

# account TAG: the module's counters account for every answer the
# emulator gave since snap, injected or not. -ENODEV answers by op are
# the module's ops the emulator did not count (it counts ops on live
# pools only).
account() {
	since
	_put_enodev=$((d_puts - e_puts))
	_get_enodev=$((d_gets - e_gets))
	_flush_enodev=$((d_err_enodev - _put_enodev - _get_enodev))
	_put_faults=$((e_faults_put_enomem + e_faults_put_enospc + e_faults_put_efrozen + e_faults_put_efault))
	_f=
	for _k in $KINDS; do
		_f="$_f $_k=$(eval echo "\$e_faults_$_k")"
	done
	echo "REPORT[$1-faults]$_f evicted_pages=$e_faults_evicted_pages real_eempty=$e_real_eempty real_enodev=$e_real_enodev"
	echo "REPORT[$1-module] puts=$d_puts put_failures=$d_put_failures gets=$d_gets hits=$d_hits misses=$d_misses flush_pages=$d_flush_pages flush_inodes=$d_flush_inodes pools_created=$d_pools_created pools_failed=$d_pools_failed pools_recreated=$d_pools_recreated err_enodev=$d_err_enodev err_eperm=$d_err_eperm err_enomem=$d_err_enomem err_enospc=$d_err_enospc err_efault=$d_err_efault err_efrozen=$d_err_efrozen err_eempty=$d_err_eempty"
	check_eq "$1: every failed put was injected" "$_put_faults" "$e_puts_failed"
	check_eq "$1: err_enomem = put_enomem + new_enomem faults" \
		$((e_faults_put_enomem + e_faults_new_enomem)) "$d_err_enomem"
	check_eq "$1: err_enospc = put_enospc faults" "$e_faults_put_enospc" "$d_err_enospc"
	check_eq "$1: err_efrozen = put_efrozen faults" "$e_faults_put_efrozen" "$d_err_efrozen"
	check_eq "$1: err_efault = put_efault + get_efault faults" \
		$((e_faults_put_efault + e_faults_get_efault)) "$d_err_efault"
	check_eq "$1: err_eempty = get_eempty faults + real -EEMPTY" \
		$((e_faults_get_eempty + e_real_eempty)) "$d_err_eempty"
	check_eq "$1: err_eperm = new_eperm faults" "$e_faults_new_eperm" "$d_err_eperm"
	check_eq "$1: err_enodev = forget faults + real -ENODEV" \
		$((e_faults_forget + e_real_enodev)) "$d_err_enodev"
	check_eq "$1: no err_enosys, err_einval, err_other" 0 \
		$((d_err_enosys + d_err_einval + d_err_other))
	check_eq "$1: pools_failed = new_eperm + new_enomem faults" \
		$((e_faults_new_eperm + e_faults_new_enomem)) "$d_pools_failed"
	check_eq "$1: put_failures = emulator's failed puts + -ENODEV puts" \
		$((e_puts_failed + _put_enodev)) "$d_put_failures"
	check_eq "$1: hits = emulator hits" "$e_hits" "$d_hits"
	check_eq "$1: gets = hits + misses" "$d_gets" $((d_hits + d_misses))
	check_eq "$1: misses = emulator misses + get_efault + -ENODEV gets" \
		$((e_misses + e_faults_get_efault + _get_enodev)) "$d_misses"
	# A failed put is followed by a flush the module does not count.
	check_eq "$1: emulator flushes = flushes + failed puts, less -ENODEV" \
		$((d_flush_pages + d_flush_inodes - _flush_enodev + d_put_failures - _put_enodev)) \
		"$e_flushes"
	check_eq "$1: every eviction was injected" "$e_faults_evicted_pages" "$e_evictions"
	check "$1: -ENODEV answers by op are not negative" \
		nonneg "$_put_enodev" "$_get_enodev" "$_flush_enodev"
}

nonneg() {
	for _n; do
		[ "$_n" -ge 0 ] || return 1
	done
}

# only KIND: no other kind of fault was injected since snap.
only() {
	_other=0
	for _k in $KINDS; do
		[ "$_k" = "$1" ] || _other=$((_other + $(eval echo "\$e_faults_$_k")))
	done
	check_eq "$1: no other kind injected" 0 "$_other"
}

# --- workload ------------------------------------------------------------------
# Every file has a shadow copy in tmpfs (never cached by cleancache): the
# expected contents, whatever tmem or the disk return.
sums_make() {
	for _f in $FILES; do
		echo "$(sha_of "$SH/$_f") /mnt/$_f"
	done > /tmp/sums
}

chunk() {
	dd if=/dev/urandom of=/tmp/chunk bs=1k count="$1" 2> /dev/null
}

# both FILE DDARG...: the same dd of /tmp/chunk into both copies.
both() {
	_f=$1
	shift
	dd if=/tmp/chunk of="$SH/$_f" "$@" 2> /dev/null
	dd if=/tmp/chunk of="/mnt/$_f" "$@" 2> /dev/null
}

# change ROUND: overwrite whole pages and a few bytes in place, truncate
# and append, delete and re-create; while the old pages sit in tmem.
change() {
	chunk 8
	both f1 bs=4096 seek=$((($1 * 7) % 250)) conv=notrunc
	chunk 1
	both f2 bs=1000 seek=$((($1 * 13) % 1000 + 5)) conv=notrunc
	truncate -s $((600 * 1024 + $1 * 100)) "$SH/f3" /mnt/f3
	chunk 300
	both f3 bs=1k oflag=append conv=notrunc
	rm "$SH/f4" /mnt/f4
	chunk 1024
	both f4 bs=1k
	sums_make
}

round=0
# workload TAG: puts (drop_caches), gets (reads), flushes (changes), and
# reads under memory pressure; every read is checked.
workload() {
	round=$((round + 1))
	drop_caches
	change "$round"
	sums_verify "$1: read after changes" /tmp/sums
	drop_caches
	memcg_enter faults 4M
	sums_verify "$1: memcg pass 1" /tmp/sums
	sums_verify "$1: memcg pass 2" /tmp/sums
	memcg_leave faults
}

# hv_pool: the hypervisor pool id of the mounted filesystem (-1: none).
hv_pool() {
	cat "$XT_SYS"/pools/*/hv_pool 2> /dev/null || echo none
}

toggle() {
	echo 0 > "$XT_PARAMS/enabled"
	echo 1 > "$XT_PARAMS/enabled"
}

# --- set-up --------------------------------------------------------------------
t_start=$(cut -d' ' -f1 /proc/uptime)
load_both
mount_disk /dev/vda /mnt
mkdir -p "$SH"
for f in $FILES; do
	chunk 1024
	cp /tmp/chunk "$SH/$f"
	cp /tmp/chunk "/mnt/$f"
done
sums_make
drop_caches 3
read_all /mnt/f*

# --- the knobs -----------------------------------------------------------------
check_eq "fault_kinds default" none "$(emu_stat fault_kinds)"
check_eq "fault_rate default" 0 "$(emu_stat fault_rate)"
for bad in bogus put_enomem,bogus forget:0 forget:x "evict:"; do
	check_not "fault_kinds '$bad' refused" emu_set fault_kinds "$bad"
done
check_eq "fault_kinds unchanged by bad values" none "$(emu_stat fault_kinds)"
check "fault_kinds with rates" emu_set fault_kinds " put_enomem , forget:500"
check_eq "fault_kinds read back" put_enomem,forget:500 "$(emu_stat fault_kinds)"
check "fault_kinds all" emu_set fault_kinds all
check_eq "fault_kinds all read back" \
	put_enomem,put_enospc,put_efrozen,put_efault,get_efault,get_eempty,new_eperm,new_enomem,forget,evict \
	"$(emu_stat fault_kinds)"
check "fault_kinds none" emu_set fault_kinds none
check_not "fault_once refuses a rate" emu_set fault_once forget:3
check_not "fault_rate refuses words" emu_set fault_rate often
check_not "fault_seed refuses words" emu_set fault_seed x
check_not "faults_forget is read-only" emu_set faults_forget 5
check "fault_once forget,evict" emu_set fault_once forget,evict
check_eq "fault_once pending" forget,evict "$(emu_stat fault_once)"
check "fault_once none" emu_set fault_once none
check_eq "fault_once cancelled" none "$(emu_stat fault_once)"
echo "REPORT[knobs] faults: $(emu_stat faults)"

# --- the same seed and the same ops give the same faults -----------------------
# put_enomem at 1 in 3 on the puts of two files, three times: seeds 7, 7, 8.
# drop_caches 3 first evicts the inodes, whose objects are flushed, so
# each run puts the same 512 new pages in the same order.
repro() {
	drop_caches 3
	read_all /mnt/f5 /mnt/f6
	emu_set fault_seed "$1"
	emu_set fault_kinds put_enomem:3
	_n0=$(emu_stat faults_put_enomem)
	drop_caches
	emu_set fault_kinds none
	echo "$(($(emu_stat faults_put_enomem) - _n0)) $(emu_stat fault_state)"
}
r1=$(repro 7)
r2=$(repro 7)
r3=$(repro 8)
echo "REPORT[repro] seed7=$r1 seed7-again=$r2 seed8=$r3"
check_eq "seed 7 twice: same faults, same state" "$r1" "$r2"
check_gt "seed 7 injected" "${r1%% *}" 0
check "seed 8: another sequence" [ "${r3#* }" != "${r1#* }" ]
emu_set fault_seed 20240501

# --- one kind at a time, at a rate ----------------------------------------------
# run KIND SPEC: the workload with fault_kinds=SPEC, then the accounting.
run() {
	info "kind $1: fault_kinds=$2"
	snap
	emu_set fault_kinds "$2"
	workload "$1"
	emu_set fault_kinds none
	account "$1"
	only "$1"
	check_gt "$1: injected" "$(eval echo "\$e_faults_$1")" 0
	check_gt "$1: hits" "$d_hits" 0
}

drop_caches 3
read_all /mnt/f*
run put_enomem put_enomem:4
run put_efrozen put_efrozen:4
run put_efault put_efault:4
run get_efault get_efault:4
run get_eempty get_eempty:4
run evict evict:20
# One in 1000 puts, gets and object flushes forgets the pool; each loss
# is noticed by the op that met it, and the single pool is made again.
run forget forget:1000
check_eq "forget: pools_recreated = forget faults" "$e_faults_forget" "$d_pools_recreated"
check_eq "forget: the pool is back" 0 "$(hv_pool)"

# put_enospc needs duplicate puts: with every get answered -EEMPTY (a
# miss that leaves the page in tmem), the files are read from disk while
# tmem still holds them; dropping them then puts duplicates, a third of
# which fail and lose the old copy.
info "kind put_enospc"
snap
drop_caches
read_all /mnt/f*
drop_caches
emu_set fault_kinds get_eempty:1
sums_verify "put_enospc: read with every get -EEMPTY" /tmp/sums
emu_set fault_kinds put_enospc:3
drop_caches
emu_set fault_kinds none
sums_verify "put_enospc: read after failed duplicates" /tmp/sums
memcg_enter faults 4M
sums_verify "put_enospc: memcg pass" /tmp/sums
memcg_leave faults
account put_enospc
check_gt "put_enospc: injected" "$e_faults_put_enospc" 0
check_gt "put_enospc: hits" "$d_hits" 0
check_eq "put_enospc: no other put fault" 0 \
	$((e_faults_put_enomem + e_faults_put_efrozen + e_faults_put_efault))

# --- NEW_POOL refused ------------------------------------------------------------
# At mount (-EPERM): the filesystem runs uncached until the next mount.
info "kind new_eperm"
snap
check "umount" umount /mnt
emu_set fault_once new_eperm
mount_disk /dev/vda /mnt
check_eq "new_eperm: no pool at mount" 0 "$(pool_count)"
workload new_eperm-uncached
since
check_eq "new_eperm: uncached: no puts" 0 "$d_puts"
check "umount" umount /mnt
mount_disk /dev/vda /mnt
check_eq "new_eperm: a pool at the next mount" 0 "$(hv_pool)"
drop_caches 3
read_all /mnt/f*
workload new_eperm-after
account new_eperm
only new_eperm
check_eq "new_eperm: one fault" 1 "$e_faults_new_eperm"
check_gt "new_eperm: hits after the next mount" "$d_hits" 0

# At enabled=1 (-ENOMEM, at a rate of 1: every NEW_POOL): the pool stays
# away, and the next enabled=1 without faults brings it back.
info "kind new_enomem"
snap
emu_set fault_kinds new_enomem:1
toggle
check_eq "new_enomem: no hypervisor pool" -1 "$(hv_pool)"
toggle
check_eq "new_enomem: still none" -1 "$(hv_pool)"
workload new_enomem-uncached
since
check_eq "new_enomem: uncached: no puts" 0 "$d_puts"
emu_set fault_kinds none
toggle
check_eq "new_enomem: pool back" 0 "$(hv_pool)"
read_all /mnt/f*
workload new_enomem-after
account new_enomem
only new_enomem
check_eq "new_enomem: two faults" 2 "$e_faults_new_enomem"
check_gt "new_enomem: hits after" "$d_hits" 0

# --- one-shot forget --------------------------------------------------------------
info "kind forget, once"
snap
drop_caches
emu_set fault_once forget
sums_verify "forget once: read" /tmp/sums
account forget-once
check_eq "forget once: one fault" 1 "$e_faults_forget"
check_eq "forget once: one pool recreated" 1 "$d_pools_recreated"
check_eq "forget once: nothing pending" none "$(emu_stat fault_once)"

echo "REPORT[faults-single] time=$(awk -v a="$t_start" '{ printf "%.1f", $1 - a }' /proc/uptime)s $(emu_stat faults)"
check "umount" umount /mnt
