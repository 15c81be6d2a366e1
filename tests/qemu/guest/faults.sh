# shellcheck shell=sh disable=SC2154 # d_*, e_*: set by since()
# Helpers shared by the fault scenarios (faults-single.sh, faults-mixed.sh):
# the file workload with its tmpfs shadow copy, and counter snapshots.
# Sourced by them as /lib/xt/faults.sh.

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
