# shellcheck shell=sh
# Guest helper library for the xen-tmem QEMU scenarios (busybox sh).
# Sourced by /init and by every scenario. Output conventions read by the
# host (check-log.sh, run.sh):
#   CHECK-OK: NAME / CHECK-FAIL: NAME   one line per assertion
#   REPORT[TAG] key=value ...           counters worth showing
#   INFO: ...                           progress
# Counters live in files under /tmp/.xt so that checks made in the
# scenario shell and in /init add up. They are not safe against concurrent
# updates: background jobs of a scenario record findings in files of their
# own, and the scenario checks those afterwards (see scenarios/stress.sh).

XT_KO_DIR=/lib/modules
XT_TMEM_KO=$XT_KO_DIR/xen_tmem.ko
XT_EMU_KO=$XT_KO_DIR/xen_tmem_emu.ko
XT_SYS=/sys/kernel/mm/xen_tmem
XT_PARAMS=/sys/module/xen_tmem/parameters
XT_EMU_PARAMS=/sys/module/xen_tmem_emu/parameters
XT_CC=/sys/kernel/debug/cleancache
XT_CG=/sys/fs/cgroup
XT_STATE=/tmp/.xt

# --- check counters --------------------------------------------------------
xt_state_init() {
	mkdir -p "$XT_STATE"
	echo 0 > "$XT_STATE/checks"
	echo 0 > "$XT_STATE/fails"
}

xt_state_get() {
	cat "$XT_STATE/$1" 2>/dev/null || echo 0
}

xt_state_inc() {
	echo $(($(xt_state_get "$1") + 1)) > "$XT_STATE/$1"
}

info() {
	echo "INFO: $*"
}

# pass NAME [DETAIL] / fail NAME [DETAIL]: record one assertion.
pass() {
	xt_state_inc checks
	echo "CHECK-OK: $1${2:+ ($2)}"
}

fail() {
	xt_state_inc checks
	xt_state_inc fails
	echo "CHECK-FAIL: $1${2:+ ($2)}"
}

# check NAME COMMAND...: passes when COMMAND succeeds; returns its verdict.
check() {
	_n=$1
	shift
	if "$@"; then
		pass "$_n"
	else
		fail "$_n" "command failed: $*"
		return 1
	fi
}

# require NAME COMMAND...: check, and end the scenario if it failed (the
# rest of it would only pile up failures that say nothing more).
require() {
	check "$@" || {
		echo "INFO: '$1' failed: the scenario stops here"
		exit 1
	}
}

# check_not NAME COMMAND...: passes when COMMAND fails.
check_not() {
	_n=$1
	shift
	if "$@"; then fail "$_n" "command succeeded: $*"; else pass "$_n"; fi
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected '$2', got '$3'"
	fi
}

is_num() {
	case $1 in
	'' | *[!0-9]*) return 1 ;;
	esac
}

# check_gt NAME A B: A > B (both non-negative integers).
check_gt() {
	if is_num "$2" && is_num "$3" && [ "$2" -gt "$3" ]; then
		pass "$1" "$2 > $3"
	else
		fail "$1" "expected $2 > $3"
	fi
}

# check_le NAME A B: A <= B.
check_le() {
	if is_num "$2" && is_num "$3" && [ "$2" -le "$3" ]; then
		pass "$1" "$2 <= $3"
	else
		fail "$1" "expected $2 <= $3"
	fi
}

# --- counters ----------------------------------------------------------------
# val FILE: the file's content, or NA.
val() {
	cat "$1" 2>/dev/null || echo NA
}

tmem_stat() { val "$XT_SYS/total/$1"; }
emu_stat() { val "$XT_EMU_PARAMS/$1"; }
cc_stat() { val "$XT_CC/$1"; }
param() { val "$XT_PARAMS/$1"; }

# pool_count: the number of pools under /sys/kernel/mm/xen_tmem/pools.
pool_count() {
	find "$XT_SYS/pools" -mindepth 1 -maxdepth 1 -type d 2> /dev/null | wc -l
}

# dir_kv DIR: "name=value ..." for the files of DIR.
dir_kv() {
	_out=
	for _f in "$1"/*; do
		[ -f "$_f" ] || continue
		_out="$_out ${_f##*/}=$(val "$_f")"
	done
	echo "${_out# }"
}

# report TAG: one line with the counters that tell the story.
report() {
	echo "REPORT[$1] puts=$(tmem_stat puts) gets=$(tmem_stat gets)" \
		"hits=$(tmem_stat hits) misses=$(tmem_stat misses)" \
		"put_failures=$(tmem_stat put_failures)" \
		"emu_pages=$(emu_stat pages) emu_evictions=$(emu_stat evictions)" \
		"cc_succ_gets=$(cc_stat succ_gets) cc_puts=$(cc_stat puts)"
}

# final_report: run by /init after every scenario.
final_report() {
	[ -d "$XT_SYS/total" ] &&
		echo "REPORT[final] xen_tmem/total: $(dir_kv "$XT_SYS/total")"
	if [ -d "$XT_SYS/pools" ]; then
		for _p in "$XT_SYS/pools"/*; do
			[ -d "$_p" ] || continue
			echo "REPORT[final] xen_tmem/pools/${_p##*/}: $(dir_kv "$_p")"
		done
	fi
	[ -d "$XT_CC" ] && echo "REPORT[final] cleancache: $(dir_kv "$XT_CC")"
	if [ -d "$XT_EMU_PARAMS" ]; then
		echo "REPORT[final] xen_tmem_emu: $(dir_kv "$XT_EMU_PARAMS")"
		check_eq "final: emulator bad_ops is 0" 0 "$(emu_stat bad_ops)"
	fi
}

# --- modules -----------------------------------------------------------------
is_loaded() {
	grep -q "^$1 " /proc/modules
}

# load_emu [ARG...]: load the emulated tmem hypervisor (required).
# shellcheck disable=SC2120 # scenarios pass arguments
load_emu() {
	require "insmod xen_tmem_emu${*:+ $*}" insmod "$XT_EMU_KO" "$@"
}

# load_tmem [ARG...]: load xen_tmem (required).
load_tmem() {
	require "insmod xen_tmem${*:+ $*}" insmod "$XT_TMEM_KO" "$@"
}

# load_both [ARG...]: emulator, then xen_tmem transport=emulated ARG...
load_both() {
	load_emu
	load_tmem transport=emulated "$@"
}

# not_registered TAG: assert that xen_tmem left nothing behind.
not_registered() {
	check_not "$1: xen_tmem not in /proc/modules" is_loaded xen_tmem
	check_not "$1: $XT_SYS absent" test -e "$XT_SYS"
}

# --- kernel log ----------------------------------------------------------------
klog_clear() {
	dmesg -c > /dev/null
}

# klog_has STRING: the kernel log (since klog_clear) has STRING.
klog_has() {
	dmesg | grep -q -F -- "$1"
}

# --- files ---------------------------------------------------------------------
# mount_disk DEV DIR: mount an ext4 disk (required).
mount_disk() {
	mkdir -p "$2"
	require "mount $1 on $2" mount -t ext4 "$1" "$2"
}

# fill_file PATH MIB: PATH gets MIB MiB of random data.
fill_file() {
	dd if=/dev/urandom of="$1" bs=1M count="$2" 2> /dev/null
}

sha_of() {
	sha256sum "$1" | cut -d' ' -f1
}

# drop_caches [MODE]: sync, then drop clean caches. MODE 1 (default) drops
# the page cache only: its clean, read-from-disk pages are put into tmem.
# MODE 3 also evicts unused inodes, and evicting an inode invalidates its
# pages in tmem (truncate_inode_pages_final), so it empties the cache too.
drop_caches() {
	sync
	echo "${1:-1}" > /proc/sys/vm/drop_caches
}

# read_all FILE...: read files through the page cache.
read_all() {
	cat "$@" > /dev/null
}

# sums_record LIST FILE...: store the sha256 of each FILE in LIST.
sums_record() {
	_l=$1
	shift
	sha256sum "$@" > "$_l"
}

# sums_verify TAG LIST: one check per file of LIST.
sums_verify() {
	while read -r _sum _file; do
		check_eq "$1: sha256 $_file" "$_sum" "$(sha_of "$_file")"
	done < "$2"
}

# --- memory cgroup -------------------------------------------------------------
# memcg_enter NAME LIMIT: move this shell into a memory cgroup with
# memory.max=LIMIT, to force eviction of its page cache.
memcg_enter() {
	grep -qw memory "$XT_CG/cgroup.subtree_control" ||
		echo +memory > "$XT_CG/cgroup.subtree_control"
	mkdir -p "$XT_CG/$1"
	echo "$2" > "$XT_CG/$1/memory.max"
	echo $$ > "$XT_CG/$1/cgroup.procs"
	check_eq "memcg $1: shell moved" "0::/$1" "$(cat /proc/self/cgroup)"
}

# memcg_leave NAME: back to the root cgroup; reports memory.events.
memcg_leave() {
	echo $$ > "$XT_CG/cgroup.procs"
	echo "REPORT[memcg-$1] $(tr '\n' ' ' < "$XT_CG/$1/memory.events")"
}
