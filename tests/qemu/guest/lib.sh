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

# contains STRING PART: STRING has PART in it.
contains() {
	case $1 in
	*"$2"*) return 0 ;;
	esac
	return 1
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

# --- sizes -----------------------------------------------------------------
# XT_SCALE: the heavy scenarios' data and memory cgroup sizes in percent
# (xt_scale=N on the kernel command line, default 100): the debug kernels
# run them at half size, which walks the same code at half the cost.
XT_SCALE=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^xt_scale=//p')
XT_SCALE=${XT_SCALE:-100}
# scaled N: N times XT_SCALE percent, at least 1.
scaled() {
	_sc=$(($1 * XT_SCALE / 100))
	[ "$_sc" -ge 1 ] || _sc=1
	echo "$_sc"
}

# --- the hypervisor: the emulator, or a real Xen with tmem -------------------
# XT_HV is "emu" (xen_tmem_emu and transport=emulated; tests/qemu) or "xen"
# (this is the dom0 of a real tmem hypervisor and xen_tmem uses its
# hypercall; tests/xen/tmem.sh puts xt_hv=xen on the kernel command line).
# Scenarios written against hv_stat and load_both run on both.
XT_HV=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^xt_hv=//p')
XT_HV=${XT_HV:-emu}
# XT_CASE: the case of tests/xen/tmem.sh this boot runs ("# xen:" lines).
# shellcheck disable=SC2034 # for the scenarios
XT_CASE=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^xt_case=//p')
XT_HVSTAT=/opt/xt/xt-hvstat
# The transport argument xen_tmem needs for this hypervisor.
if [ "$XT_HV" = xen ]; then XT_TRANSPORT=transport=xen; else XT_TRANSPORT=transport=emulated; fi

# xen_tmem_list: Xen's own tmem statistics (xt-hvstat tmem: G=, S=, C=
# and P= lines of comma-separated key:value pairs).
xen_tmem_list() {
	[ -x "$XT_HVSTAT" ] || {
		echo "xen_tmem_list: no $XT_HVSTAT in this guest" >&2
		return 1
	}
	"$XT_HVSTAT" tmem
}

# xen_sum LINE KEY [KIND]: KEY summed over the LINE= lines of Xen's list
# (G: global, one line; P: pools, only dom0's, client 0); KIND E or P
# keeps only ephemeral or persistent pools; KEY "count" counts the lines.
xen_sum() {
	# NA, not 0, when Xen's list cannot be read (no xt-hvstat, no tmem).
	_list=$(xen_tmem_list) || {
		echo NA
		return
	}
	echo "$_list" | awk -v line="$1=" -v key="$2" -v kind="${3:-}" '
		index($0, line) == 1 {
			delete f
			n = split(substr($0, 3), kv, ",")
			for (i = 1; i <= n; i++) {
				c = index(kv[i], ":")
				f[substr(kv[i], 1, c - 1)] = substr(kv[i], c + 1)
			}
			if (line == "P=" && f["CI"] != 0) next
			if (kind != "" && substr(f["PT"], 1, 1) != kind) next
			s += key == "count" ? 1 : f[key]
		}
		END { print s + 0 }'
}

# xen_pool_sum KEY [KIND]: KEY summed over dom0's pools (see xen_sum).
xen_pool_sum() {
	xen_sum P "$@"
}

# xen_global KEY: a counter of Xen's G= line (global tmem statistics).
xen_global() {
	xen_sum G "$1"
}

# xen_physinfo KEY: a field of Xen's physinfo (free_pages, total_pages).
xen_physinfo() {
	"$XT_HVSTAT" physinfo | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# hv_stat NAME: a hypervisor counter by the emulator's names, on either
# hypervisor: pages, persist_pages, puts, puts_failed, gets, hits,
# misses, flushes, pools, evictions, persist_puts_enomem. Xen keeps its
# counters per pool, so there they cover the pools that exist now.
hv_stat() {
	if [ "$XT_HV" != xen ]; then
		emu_stat "$1"
		return
	fi
	case $1 in
	pages) xen_pool_sum Pc ;;
	persist_pages) xen_pool_sum Pc P ;;
	puts) xen_pool_sum pt ;;
	puts_failed) xen_pool_sum px ;;
	persist_puts_enomem) xen_pool_sum px P ;;
	gets) xen_pool_sum gt ;;
	hits) xen_pool_sum gs ;;
	misses) echo $(($(xen_pool_sum gt) - $(xen_pool_sum gs))) ;;
	flushes) echo $(($(xen_pool_sum ft) + $(xen_pool_sum ot))) ;;
	pools) xen_pool_sum count ;;
	evictions) xen_global Et ;;
	*) echo NA ;;
	esac
}

# hv_prepare: make the hypervisor ready for an insmod of xen_tmem: load
# the emulator (required), or nothing on Xen.
hv_prepare() {
	[ "$XT_HV" = xen ] || load_emu
}
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
		"hv_pages=$(hv_stat pages) hv_evictions=$(hv_stat evictions)" \
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
	if [ "$XT_HV" = xen ] && [ -x "$XT_HVSTAT" ]; then
		"$XT_HVSTAT" physinfo | sed 's/^/REPORT[final] xen physinfo: /'
		xen_tmem_list | sed 's/^/REPORT[final] xen tmem: /'
	fi
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

# load_both [ARG...]: the hypervisor (hv_prepare), then xen_tmem with its
# transport and ARG...
load_both() {
	hv_prepare
	hv_ops_mark
	load_tmem "$XT_TRANSPORT" "$@"
}

# hv_ops_mark: before a load, keep Xen's op counters for hv_ops_check.
hv_ops_mark() {
	[ "$XT_HV" = xen ] || return 0
	xen_global Tt > "$XT_STATE/xen-tt0"
	xen_global Te > "$XT_STATE/xen-te0"
}

# hcall NAME: a counter of xen_tmem's hypercalls/ (total, failed,
# put_page, get_page, flush_page, flush_object, new_pool, destroy_pool).
hcall() { val "$XT_SYS/hypercalls/$1"; }

# hv_ops_check TAG: the hypervisor saw exactly the tmem ops xen_tmem says
# it made since load_both (or load_persist). Xen: every op (its global Tt, only dom0 makes
# them here) and every failed op (Te). The emulator: puts, gets, flushes.
hv_ops_check() {
	if [ "$XT_HV" = xen ]; then
		_tt=$(($(xen_global Tt) - $(cat "$XT_STATE/xen-tt0")))
		_te=$(($(xen_global Te) - $(cat "$XT_STATE/xen-te0")))
		echo "REPORT[$1-ops] module_total=$(hcall total) xen_ops=$_tt" \
			"module_failed=$(hcall failed) xen_failed_ops=$_te"
		check_eq "$1: Xen saw every hypercall xen_tmem made (Tt)" "$(hcall total)" "$_tt"
		check_eq "$1: Xen failed as many as xen_tmem counted (Te)" "$(hcall failed)" "$_te"
		return
	fi
	echo "REPORT[$1-ops] module_put_page=$(hcall put_page) emu_puts=$(emu_stat puts)" \
		"module_get_page=$(hcall get_page) emu_gets=$(emu_stat gets)" \
		"module_flushes=$(($(hcall flush_page) + $(hcall flush_object))) emu_flushes=$(emu_stat flushes)"
	check_eq "$1: the emulator saw every put" "$(hcall put_page)" "$(emu_stat puts)"
	check_eq "$1: the emulator saw every get" "$(hcall get_page)" "$(emu_stat gets)"
	check_eq "$1: the emulator saw every flush" \
		$(($(hcall flush_page) + $(hcall flush_object))) "$(emu_stat flushes)"
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

# disk_sectors DEV FIELD: rd (sectors read) or wr (sectors written) of
# the block device DEV (vda) since boot.
disk_sectors() {
	# shellcheck disable=SC2046 # split the stat line
	set -- "$2" $(cat "/sys/block/$1/stat")
	case $1 in
	rd) echo "$4" ;;
	wr) echo "$8" ;;
	esac
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

# fill_text PATH MIB: PATH gets MIB MiB of text lines of 64 bytes, each
# naming its file, page and line and carrying random words: every page
# differs, and a compressor (Xen's LZO) halves it.
fill_text() {
	awk -v f="${1##*/}" -v pages=$(($2 * 256)) -v seed="$(od -An -N4 -tu4 /dev/urandom)" '
		BEGIN {
			srand(seed)
			for (p = 0; p < pages; p++)
				for (l = 0; l < 64; l++)
					printf "%-24s page %07d line %02d %08x %08x\n", f, p, l,
						int(rand() * 4294967295), int(rand() * 4294967295)
		}' > "$1"
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

# percent_fewer BEFORE AFTER: how much smaller AFTER is than BEFORE, in
# percent with one decimal, rounded down: 100.0 only when AFTER is 0, and
# never 99 for 100 (a measured 0 is printed as it is).
percent_fewer() {
	if [ "$1" -le 0 ]; then
		echo "-"
		return 0
	fi
	_t=$((($1 - $2) * 1000 / $1))
	if [ "$_t" -lt 0 ]; then
		echo "-$((-_t / 10)).$((-_t % 10))"
	else
		echo "$((_t / 10)).$((_t % 10))"
	fi
}

# --- memory cgroup -------------------------------------------------------------
# memcg_make NAME LIMIT: a memory cgroup with memory.max=LIMIT.
memcg_make() {
	grep -qw memory "$XT_CG/cgroup.subtree_control" ||
		echo +memory > "$XT_CG/cgroup.subtree_control"
	mkdir -p "$XT_CG/$1"
	echo "$2" > "$XT_CG/$1/memory.max"
}

# memcg_enter NAME LIMIT: move this shell into a memory cgroup with
# memory.max=LIMIT, to force eviction of its page cache.
memcg_enter() {
	memcg_make "$1" "$2"
	echo $$ > "$XT_CG/$1/cgroup.procs"
	check_eq "memcg $1: shell moved" "0::/$1" "$(cat /proc/self/cgroup)"
}

# in_memcg NAME COMMAND...: run COMMAND (a program or a function of this
# library) in a child shell that lives in the memory cgroup NAME, this
# shell staying where it is (its own memory is then never reclaimed or
# OOM-killed by the cgroup). Returns COMMAND's status.
in_memcg() {
	_cg=$1
	shift
	sh -c 'echo $$ > "$1/cgroup.procs" && shift && . /lib/xt/lib.sh && "$@"' \
		sh "$XT_CG/$_cg" "$@"
}

# memcg_leave NAME: back to the root cgroup; reports memory.events.
memcg_leave() {
	echo $$ > "$XT_CG/cgroup.procs"
	echo "REPORT[memcg-$1] $(tr '\n' ' ' < "$XT_CG/$1/memory.events")"
}
