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

# The workload and counter helpers: tests/qemu/guest/faults.sh.
# shellcheck source=tests/qemu/guest/faults.sh
. /lib/xt/faults.sh

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
