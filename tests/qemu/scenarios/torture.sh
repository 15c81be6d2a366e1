# shellcheck shell=sh
# Torture: xt-torture (tests/torture/xt-torture.c, in /opt/xt) on ext4 and
# btrfs at once, inside a small memory cgroup, on 2 vCPUs: 4 + 2 workers
# mixing buffered, mmap and O_DIRECT reads and writes, truncate, hole
# punching, collapse/insert range, unlink and re-create, rename, fsync and
# drop_caches, each read checked against the program's model of the file.
# Then again while the module is switched off and on, then after a
# remount against the saved models. ext4 must hit in tmem; btrfs (5.10)
# asks tmem (gets) but never gives it pages (no puts).
# Holes are punched and ranges zeroed with edges inside a block too (-u):
# on ext4, Linux's cleancache hooks miss those blocks, and the module's
# guard (src/guard.c) flushes them. On a kernel where the guard is not
# active (no kretprobes) ext4 gets whole blocks only, and the run says so:
# there any cleancache backend can return data from before the zeroing
# (tests/torture/zero-race.c). A kernel built
# without btrfs (RHEL 8 dropped it) runs the ext4 half alone and says so
# in REPORT[torture-fs].
# Bounds: the module itself allocates only a sysfs directory per pool
# (25 sysfs nodes) and its per-CPU counters (at load), so the kernel's
# unreclaimable slab and per-CPU memory, measured with the emulator
# emptied and the caches dropped, may grow only by file system noise over
# the whole run (TORTURE_RUN_LIMIT_KB), and by next to nothing over
# TORTURE_CYCLES unmount/mount cycles and switch flips, each of which
# deletes and adds a pool directory (TORTURE_CYCLE_LIMIT_KB; sysfs nodes
# counted in /proc/slabinfo when there is one). Under KASAN the numbers are
# reported, not checked: its quarantine keeps freed objects allocated for
# a while, and kmemleak (tests/debug.sh) looks for leaks there instead.
# Settings (kernel command line, APPEND): TORTURE_SECS (run time of the
# main phase, default 40), TORTURE_SEED, TORTURE_MEMCG (memory.max, 32M),
# TORTURE_RUN_LIMIT_KB (2048), TORTURE_CYCLES (30),
# TORTURE_CYCLE_LIMIT_KB (256), TORTURE_XOPS (operations left out on
# ext4, xt-torture -x: for a kernel whose ext4 is known to lose data on
# its own, tests/kernels/expect.sh says which and why).
# On either hypervisor; on a real Xen, a PV dom0 has 2 vCPUs (smp), a
# PVH dom0 one: under QEMU's TCG a 2-vCPU PVH dom0 crashed QEMU
# (multi-threaded TCG) or, on one TCG thread, double-faulted or hung in
# most torture runs (tests/xen/lib.sh).
# disks: ext4:384M btrfs:384M
# timeout: 480
# smp: 2
# smp-pvh: 1
# xen: torture tmem

SECS=${TORTURE_SECS:-40}
SEED=${TORTURE_SEED:-}
MEMCG=${TORTURE_MEMCG:-32M}
RUN_LIMIT_KB=${TORTURE_RUN_LIMIT_KB:-2048}
CYCLES=${TORTURE_CYCLES:-30}
CYCLE_LIMIT_KB=${TORTURE_CYCLE_LIMIT_KB:-256}
XOPS=${TORTURE_XOPS:-}
XT=/opt/xt/xt-torture
EN=$XT_PARAMS/enabled

require "xt-torture is in the initramfs" test -x "$XT"

# --- helpers -------------------------------------------------------------------
pools() {
	for _p in "$XT_SYS/pools"/*; do
		[ -d "$_p" ] && echo "${_p##*/}"
	done
}

# mount_fs TYPE DEV DIR: mount (required); MOUNT_POOL is the pool slot
# the mount got.
mount_fs() {
	_before=" $(pools | tr '\n' ' ')"
	mkdir -p "$3"
	require "mount $2 ($1) on $3" mount -t "$1" "$2" "$3"
	MOUNT_POOL=
	for _p in $(pools); do
		case $_before in
		*" $_p "*) ;;
		*) MOUNT_POOL=$_p ;;
		esac
	done
	check "$3 ($1) got a pool" is_num "$MOUNT_POOL"
}

pool_stat() {
	val "$XT_SYS/pools/$1/$2"
}

# kv FILE TAG KEY: KEY's value in FILE's REPORT[TAG] line.
kv() {
	sed -n "s/^REPORT\[$2\] .*[ ]$3=\([^ ]*\).*/\1/p" "$1" | head -n 1
}

# torture TAG DIR ARG...: run xt-torture in DIR/TAG (new) in the
# background; output and exit status in /tmp/out.TAG and /tmp/rc.TAG.
torture() {
	_tag=$1
	_dir=$2/$1
	shift 2
	mkdir -p "$_dir"
	(
		"$XT" -T "torture-$_tag" ${SEED:+-s "$SEED"} "$@" "$_dir" \
			> "/tmp/out.$_tag" 2>&1
		echo $? > "/tmp/rc.$_tag"
	) &
}

# judge TAG: the checks every run must pass.
judge() {
	cat "/tmp/out.$1"
	check_eq "$1: xt-torture exit status" 0 "$(cat "/tmp/rc.$1")"
	check_eq "$1: mismatches" 0 "$(kv "/tmp/out.$1" "torture-$1" mismatches)"
	check_gt "$1: operations" "$(kv "/tmp/out.$1" "torture-$1" ops)" 0
	check_gt "$1: verified reads" \
		"$(kv "/tmp/out.$1" "torture-$1" verified_reads)" 0
}

# meminfo KEY: the value in kB.
meminfo() {
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# slab_shrink: give SLUB's per-CPU slabs back to their caches
# (/sys/kernel/slab/CACHE/shrink), so that /proc/slabinfo's active
# objects count objects in use, not whole slabs that a CPU holds.
slab_shrink() {
	for _s in /sys/kernel/slab/*/shrink; do
		[ -w "$_s" ] && echo 1 > "$_s"
	done 2> /dev/null
	return 0
}

# mem_snapshot TAG: empty the hypervisor (enabled=0) and the caches, then
# record the kernel's own memory; REPORT[bounds-TAG] line.
mem_snapshot() {
	echo 0 > "$EN"
	drop_caches 3
	sleep 2
	drop_caches 3
	slab_shrink
	check_eq "bounds $1: hypervisor empty" 0 "$(hv_stat pages)"
	for _k in Slab SUnreclaim SReclaimable Percpu; do
		meminfo "$_k" > "/tmp/mem.$1.$_k"
	done
	if [ -r /proc/slabinfo ]; then
		# name, bytes of active objects, active objects
		awk 'NR > 2 { print $1, $2 * $4, $2 }' /proc/slabinfo |
			sort > "/tmp/slab.$1"
	fi
	echo "REPORT[bounds-$1] Slab=$(meminfo Slab)kB" \
		"SUnreclaim=$(meminfo SUnreclaim)kB" \
		"SReclaimable=$(meminfo SReclaimable)kB" \
		"Percpu=$(meminfo Percpu)kB pools=$(pool_count)" \
		"hv_pages=$(hv_stat pages)"
	echo 1 > "$EN"
}

# mem_delta A B KEY: growth of KEY from snapshot A to B in kB; NA when
# the kernel's /proc/meminfo has no KEY (RHEL 8's 4.18 has no Percpu).
mem_delta() {
	if [ -s "/tmp/mem.$1.$3" ] && [ -s "/tmp/mem.$2.$3" ]; then
		echo $(($(cat "/tmp/mem.$2.$3") - $(cat "/tmp/mem.$1.$3")))
	else
		echo NA
	fi
}

# --- set-up --------------------------------------------------------------------
load_both
mount_fs ext4 /dev/vda /mnt/ext4
ext4_pool=$MOUNT_POOL
FSES=ext4
if grep -qw btrfs /proc/filesystems; then
	FSES="ext4 btrfs"
	mount_fs btrfs /dev/vdb /mnt/btrfs
	btrfs_pool=$MOUNT_POOL
	info "pools: ext4 $ext4_pool, btrfs $btrfs_pool"
else
	info "kernel $(uname -r) has no btrfs: the torture runs on ext4 alone"
fi
echo "REPORT[torture-fs] kernel=$(uname -r) filesystems=$(echo "$FSES" | tr ' ' ,)"
NFS=$(echo "$FSES" | wc -w)
has_btrfs() {
	[ "$NFS" = 2 ]
}
mkdir -p "$XT_CG/torture"

# A short warm-up, so that the first snapshot already has what any file
# system work allocates once (workqueues, caches, the memory cgroup).
torture warm-ext4 /mnt/ext4 -t 3 -p 1 -j 1 -f 2
! has_btrfs || torture warm-btrfs /mnt/btrfs -t 3 -p 1 -j 1 -f 2
wait
rm -rf /mnt/ext4/warm-ext4 /mnt/btrfs/warm-btrfs
mem_snapshot before

# --- 1. the main run -------------------------------------------------------------
hits0=$(pool_stat "$ext4_pool" hits)
memcg_enter torture "$MEMCG"
[ -z "$XOPS" ] || info "ext4: leaving out $XOPS (TORTURE_XOPS)"
# Unaligned edges on ext4 only where the guard is active.
U4=-u
unaligned=yes
guard=$(val "$XT_SYS/guard_state")
if [ "$guard" != active ]; then
	U4=
	unaligned=no
	info "ext4: whole blocks only, the guard is not active ($guard)"
fi
echo "REPORT[torture-guard] ext4_unaligned=$unaligned guard_state=$guard"
torture ext4 /mnt/ext4 -t "$SECS" -p 2 -j 2 -f 4 -S 4M ${XOPS:+-x "$XOPS"} \
	$U4 -M /tmp/model.ext4
! has_btrfs ||
	torture btrfs /mnt/btrfs -t "$SECS" -p 1 -j 2 -f 4 -S 4M -u -M /tmp/model.btrfs
wait
memcg_leave torture
judge ext4
! has_btrfs || judge btrfs
check_eq "memcg: no OOM kill" 0 \
	"$(awk '$1 == "oom_kill" { print $2 }' "$XT_CG/torture/memory.events")"
report after-torture
echo "REPORT[torture-pools] ext4: $(dir_kv "$XT_SYS/pools/$ext4_pool")"
check_gt "ext4 pool: puts" "$(pool_stat "$ext4_pool" puts)" 0
check_gt "ext4 pool: hits" "$(pool_stat "$ext4_pool" hits)" "$hits0"
[ -z "$U4" ] ||
	check_gt "ext4 pool: the guard flushed pages" \
		"$(pool_stat "$ext4_pool" guard_flushes)" 0
if has_btrfs; then
	echo "REPORT[torture-pools] btrfs: $(dir_kv "$XT_SYS/pools/$btrfs_pool")"
	check_gt "btrfs pool: gets" "$(pool_stat "$btrfs_pool" gets)" 0
	check_eq "btrfs pool: no puts (5.10 btrfs never puts)" 0 \
		"$(pool_stat "$btrfs_pool" puts)"
	check_eq "btrfs pool: no hits" 0 "$(pool_stat "$btrfs_pool" hits)"
fi
check_eq "no put failures" 0 "$(tmem_stat put_failures)"

# --- 2. the same while the module is switched off and on -------------------------
memcg_enter torture "$MEMCG"
torture toggle-ext4 /mnt/ext4 -t $((SECS / 3 + 1)) -p 2 -j 1 -f 4 -E 400 \
	${XOPS:+-x "$XOPS"} $U4
! has_btrfs || torture toggle-btrfs /mnt/btrfs -t $((SECS / 3 + 1)) -p 1 -j 1 -f 4 -u
wait
memcg_leave torture
judge toggle-ext4
! has_btrfs || judge toggle-btrfs
check_gt "toggled" "$(kv /tmp/out.toggle-ext4 torture-toggle-ext4 toggles)" 1
check_eq "enabled is Y after the toggles" Y "$(param enabled)"

# --- 3. after a remount, against the saved models ---------------------------------
check "umount ext4" umount /mnt/ext4
! has_btrfs || check "umount btrfs" umount /mnt/btrfs
mount_fs ext4 /dev/vda /mnt/ext4
ext4_pool=$MOUNT_POOL
if has_btrfs; then
	mount_fs btrfs /dev/vdb /mnt/btrfs
	btrfs_pool=$MOUNT_POOL
fi
for fs in $FSES; do
	# From disk, then (ext4) from tmem once the page cache is dropped.
	for pass in 1 2; do
		drop_caches
		"$XT" -T "torture-$fs-remount$pass" -C "/tmp/model.$fs" \
			"/mnt/$fs/$fs" \
			> "/tmp/out.check" 2>&1
		rc=$?
		grep -e '^REPORT' -e 'MISMATCH' -e 'TORTURE' /tmp/out.check
		check_eq "$fs: remounted, pass $pass: files as modelled" 0 "$rc"
	done
done
check_gt "ext4 after remount: hits" "$(pool_stat "$ext4_pool" hits)" 0

# --- 4. bounds -------------------------------------------------------------------------
# slab_growth A B: the caches that grew most from snapshot A to B.
slab_growth() {
	[ -r "/tmp/slab.$1" ] && [ -r "/tmp/slab.$2" ] || return 0
	awk 'NR == FNR { b[$1] = $2; next }
		{ d = $2 - b[$1]; if (d > 0) print d, $1 }' \
		"/tmp/slab.$1" "/tmp/slab.$2" | sort -rn | head -n 6 |
		while read -r d c; do
			echo "REPORT[bounds] $1 -> $2: slab $c grew by $((d / 1024)) kB"
		done
}

KASAN=0
grep -q ' __asan_load8$' /proc/kallsyms && KASAN=1

# bounded A B LIMIT_KB: unreclaimable slab and per-CPU growth from A to B.
bounded() {
	for _k in SUnreclaim Slab Percpu; do
		echo "REPORT[bounds] $1 -> $2: $_k growth $(mem_delta "$1" "$2" "$_k") kB"
	done
	slab_growth "$1" "$2"
	if [ "$KASAN" = 1 ]; then
		info "bounds $1 -> $2: kasan kernel, growth not checked (quarantine)"
		return
	fi
	check_le "bounds $1 -> $2: unreclaimable slab growth (kB)" \
		"$(mem_delta "$1" "$2" SUnreclaim | sed 's/^-.*/0/')" "$3"
	if [ "$(mem_delta "$1" "$2" Percpu)" = NA ]; then
		info "bounds $1 -> $2: this kernel does not report per-CPU memory"
		return
	fi
	check_le "bounds $1 -> $2: per-CPU memory growth (kB)" \
		"$(mem_delta "$1" "$2" Percpu | sed 's/^-.*/0/')" 16
}

# kernfs_objs SNAPSHOT: active sysfs nodes (kernfs_node_cache objects).
kernfs_objs() {
	awk '$1 == "kernfs_node_cache" { print $3 }' "/tmp/slab.$1"
}

rm -rf /mnt/ext4/*
! has_btrfs || rm -rf /mnt/btrfs/*
mem_snapshot after-run
bounded before after-run "$RUN_LIMIT_KB"

info "$CYCLES unmount/mount cycles and switch flips"
i=0
while [ "$i" -lt "$CYCLES" ]; do
	umount /mnt/ext4
	mount -t ext4 /dev/vda /mnt/ext4
	echo 0 > "$EN"
	echo 1 > "$EN"
	i=$((i + 1))
done
check_eq "pools after the cycles" "$NFS" "$(pool_count)"
check_eq "pool directories after the cycles" "$NFS" \
	"$(find "$XT_SYS/pools" -mindepth 1 -maxdepth 1 -type d | wc -l)"
mem_snapshot after-cycles
bounded after-run after-cycles "$CYCLE_LIMIT_KB"
if [ -r /tmp/slab.after-cycles ]; then
	k0=$(kernfs_objs after-run)
	k1=$(kernfs_objs after-cycles)
	echo "REPORT[bounds] sysfs nodes: $k0 -> $k1 over $CYCLES cycles" \
		"(a pool directory has $(($(find "$XT_SYS/pools/$ext4_pool" | wc -l))) nodes)"
	# A leaked pool directory per cycle would add 25 nodes a cycle. With
	# the slabs shrunk the count grew by 0 on 4.18 and 5.15; before, a
	# CPU's slabs counted as active (up to 384 more nodes seen on 5.15).
	# The cache may be shared with others of its size, so allow half of
	# one leaked directory per cycle.
	[ "$KASAN" = 1 ] ||
		check_le "bounds: sysfs nodes after $CYCLES cycles" "${k1:-NA}" \
			"$((${k0:-0} + 25 * CYCLES / 2))"
fi

check "umount ext4" umount /mnt/ext4
! has_btrfs || check "umount btrfs" umount /mnt/btrfs
