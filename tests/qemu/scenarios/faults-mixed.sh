# shellcheck shell=sh disable=SC2154 # d_*, e_*, t0_*, e0_*: set by eval
# Faults, all kinds mixed: every kind of fault the emulator can inject
# (emulator knobs set at insmod), each at its own rate, over rounds of a
# file workload (overwrite, truncate and append, delete and re-create,
# reads under a memory cgroup). Every read must be right, the module's
# counters must account for every injected error, hits must go on, and a
# pool that the hypervisor forgot and then refused to make again comes
# back with enabled=1. The helpers are those of faults-single.sh (a
# scenario is one file in the guest).
# disks: ext4:128M
# timeout: 180

SEED=${SEED:-1303}
ROUNDS=${ROUNDS:-6}
# Each kind faults 1 in 30 of the ops it applies to, but get_eempty 1 in
# 10 and put_enospc 1 in 3 (only pages that a get_eempty miss left in
# tmem make the duplicate puts put_enospc needs, and evict faults take
# those oldest pages first), a forgotten pool loses
# everything (1 in 8000) and a pool is refused 1 in 4 + 1 in 4. So
# that each kind shows up whatever the random draws, rounds 2, 4 and 5
# also get one-shot faults: a forget in round 2, a forget whose recovery
# is refused (-EPERM, -ENOMEM) in rounds 4 and 5.
MIX=all,get_eempty:10,put_enospc:3,forget:8000,evict:40,new_eperm:4,new_enomem:4

# The workload and counter helpers: tests/qemu/guest/faults.sh.
# shellcheck source=tests/qemu/guest/faults.sh
. /lib/xt/faults.sh

# --- set-up --------------------------------------------------------------------
t_start=$(cut -d' ' -f1 /proc/uptime)
load_emu fault_seed="$SEED" fault_rate=30 fault_kinds=none fault_evict_pages=8
load_tmem transport=emulated
check_eq "fault_seed from insmod" "$SEED" "$(emu_stat fault_seed)"
check_eq "fault_rate from insmod" 30 "$(emu_stat fault_rate)"
check_eq "fault_evict_pages from insmod" 8 "$(emu_stat fault_evict_pages)"
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

# --- rounds of the workload with every kind of fault -----------------------------
snap
toggles=0
toggle_fails=0
emu_set fault_kinds "$MIX"
check_eq "fault_kinds read back" \
	put_enomem,put_enospc:3,put_efrozen,put_efault,get_efault,get_eempty:10,new_eperm:4,new_enomem:4,forget:8000,evict:40 \
	"$(emu_stat fault_kinds)"
r=0
while [ "$r" -lt "$ROUNDS" ]; do
	r=$((r + 1))
	case $r in
	2) emu_set fault_once forget ;;
	4) emu_set fault_once forget,new_eperm ;;
	5) emu_set fault_once forget,new_enomem ;;
	esac
	workload "mixed round $r"
	echo "REPORT[round$r] hv_pool=$(hv_pool) $(emu_stat faults)"
	# A pool lost and then refused stays away until enabled=1 (which
	# may be refused too: try again).
	n=0
	while [ "$(hv_pool)" = -1 ] && [ "$n" -lt 10 ]; do
		_pf=$(tmem_stat pools_failed)
		toggle
		toggles=$((toggles + 1))
		toggle_fails=$((toggle_fails + $(tmem_stat pools_failed) - _pf))
		n=$((n + 1))
	done
	check_eq "round $r: a pool" 0 "$(hv_pool)"
done
emu_set fault_kinds none
account mixed
for k in $KINDS; do
	check_gt "mixed: $k injected" "$(eval echo "\$e_faults_$k")" 0
done
check_gt "mixed: hits" "$d_hits" 0
# Every NEW_POOL came from enabled=1 or from the recovery of a forgotten
# pool: one recovery per forget fault (one filesystem), each of which
# recreated the pool unless that NEW_POOL was refused.
recoveries=$((d_pools_created + d_pools_failed - toggles))
echo "REPORT[mixed-pools] toggles=$toggles toggle_fails=$toggle_fails recoveries=$recoveries recreated=$d_pools_recreated"
check_eq "mixed: one recovery per forget fault" "$e_faults_forget" "$recoveries"
check_eq "mixed: pools_recreated = recoveries not refused" \
	$((recoveries - (d_pools_failed - toggle_fails))) "$d_pools_recreated"

# Without faults, the cache works as before.
snap
drop_caches
sums_verify "after faults" /tmp/sums
account clean
check_gt "clean: hits" "$d_hits" 0
# tmem may also hold pages from before: at least every page put hits.
check_le "clean: every page put comes back" "$d_puts" "$d_hits"

echo "REPORT[faults-mixed] time=$(awk -v a="$t_start" '{ printf "%.1f", $1 - a }' /proc/uptime)s seed=$SEED $(emu_stat faults)"
check "umount" umount /mnt
