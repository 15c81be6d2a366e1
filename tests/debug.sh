#!/bin/sh
# The module under a debug kernel: KASAN, lockdep, sleeping-in-atomic
# checks, kmemleak, list and spinlock debugging, soft-lockup and hung-task
# detectors (tests/qemu/config/debug.config and kasan.config), booted with
# panic_on_warn=1.
# A suite of `make test` (tests/run-all.sh).
#
# usage: tests/debug.sh [SCENARIO...]
#
# Builds (or reuses) that kernel (tests/qemu/kernel.sh: cached under
# $XEN_TMEM_CACHE/kbuild, keyed by source version, config fragments and
# gcc, like the test kernel), then boots every QEMU scenario under it
# (default: every tests/qemu/scenarios/*.sh, so a new scenario is in
# without a change here; the torture run included), each as it is plus
# tests/torture/kmemleak-epilogue.sh: a check that KASAN, lockdep (not
# turned off by a report of its own) and kmemleak are on, then two
# kmemleak scans, every report printed as a REPORT[kmemleak] line; none
# may mention xen_tmem. Timeouts are multiplied by XT_DEBUG_SLOWDOWN
# (default 3). XT_DEBUG_JOBS guests (default 2) run at a time: most
# scenarios keep one vCPU busy at most, so two 2-vCPU guests share 2 host
# cores well. A scenario passes when the harness passes it and its log
# has those checks. A guest that died before its scenario's first line
# (no HARNESS-BEGIN, which /init prints before it runs anything of the
# scenario; no module is loaded by then) is booted once more, and the
# report says so; one that died later is a failure. Prints the harness's
# lines, one verdict line per scenario with its kmemleak count, the
# kernel build and suite times, the kmemleak totals, and last
# "N passed, M failed".
#
# The scenarios run through tests/qemu/run.sh (btrfs disks and the guest
# programs in /opt/xt/, xt-torture, included). Logs: XT_WORK, default
# $XEN_TMEM_CACHE/debug-runs/<timestamp>-<pid> (the newest XT_KEEP_RUNS,
# default 10, are kept).
# Environment: as for tests/qemu/run.sh (APPEND is added to
# "panic_on_warn=1 no_timer_check TORTURE_SECS=30"), plus XT_DEBUG_SLOWDOWN,
# XT_DEBUG_JOBS and TORTURE_SECS (the torture run's main phase, 30 s here
# against 40 s under the plain kernel).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${XEN_TMEM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-tmem}
slow=${XT_DEBUG_SLOWDOWN:-3}
njobs=${XT_DEBUG_JOBS:-2}
qemu=$top/tests/qemu
runner=$qemu/run.sh

log() {
	printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2
}

t0=$(date +%s)
if [ -n "${XT_WORK:-}" ]; then
	work=$XT_WORK
else
	# Not under $cache/runs: tests/qemu/run.sh prunes that folder, and a
	# concurrent run would delete this run's logs.
	work=$cache/debug-runs/$(date +%Y%m%d-%H%M%S)-$$
	mkdir -p "$work"
	# Keep the newest XT_KEEP_RUNS (default 10) runs.
	n=0
	for d in "$cache"/debug-runs/*/; do
		n=$((n + 1))
	done
	for d in "$cache"/debug-runs/*/; do
		[ "$n" -gt "${XT_KEEP_RUNS:-10}" ] || break
		rm -rf "$d"
		n=$((n - 1))
	done
fi
mkdir -p "$work/scenarios"
work=$(cd "$work" && pwd)

# --- the debug kernel ------------------------------------------------------------
log "debug kernel (tests/qemu/config/debug.config, kasan.config)"
kdir=$(sh "$qemu/kernel.sh" "$qemu/config/cleancache-qemu.config" \
	"$qemu/config/debug.config" "$qemu/config/kasan.config")
t1=$(date +%s)
if [ $((t1 - t0)) -gt 60 ]; then
	kernel_line="debug kernel: built now in $(cat "$kdir/.build-seconds") s ($((t1 - t0)) s with the configuration)"
else
	kernel_line="debug kernel: cached ($kdir; its build took $(cat "$kdir/.build-seconds" 2> /dev/null || echo '?') s)"
fi
log "$kernel_line"

# --- the scenarios, each with the kmemleak check -----------------------------------
# By default every scenario but those whose "# debug: skip WHY" line says
# why the debug kernel adds nothing to what runs elsewhere; named on the
# command line, those run too.
named=$#
[ $# -gt 0 ] || set -- "$qemu"/scenarios/*.sh
all=
skips=
for s in "$@"; do
	case $s in
	*/*) f=$s ;;
	*) f=$qemu/scenarios/${s%.sh}.sh ;;
	esac
	[ -r "$f" ] || {
		echo "error: no such scenario: $s" >&2
		exit 1
	}
	why=$(sed -n 's/^# debug: skip *//p' "$f" | head -n 1)
	if [ "$named" = 0 ] && [ -n "$why" ]; then
		skips="${skips}debug: not run under the debug kernel: $(basename "$f" .sh) ($why)
"
		continue
	fi
	out=$work/scenarios/$(basename "$f")
	awk -v f="$slow" '
		/^# timeout:/ && !done { print "# timeout: " $3 * f; done = 1; next }
		{ print }
		END { if (!done) print "# timeout: " 180 * f }' "$f" > "$out"
	cat "$top/tests/torture/kmemleak-epilogue.sh" >> "$out"
	all="$all $out"
done

export XT_KDIR="$kdir"
export XT_KIMAGE=arch/x86/boot/bzImage
# no_timer_check: on a loaded host a slow TCG guest can fail the boot-time
# IO-APIC timer check ("Kernel panic - not syncing: IO-APIC + timer
# doesn't work!").
# xt_scale: the heavy scenarios at half size (tests/qemu/guest/lib.sh).
export APPEND="panic_on_warn=1 no_timer_check xt_scale=${XT_DEBUG_SCALE:-50} TORTURE_SECS=${TORTURE_SECS:-30}${APPEND:+ $APPEND}"
# shellcheck disable=SC2086 # paths under $work, without spaces
XT_JOBS=$njobs XT_WORK=$work/run sh "$runner" $all > "$work/run.out" 2>&1 || true
echo "=== the scenarios (tests/qemu/run.sh, $njobs guests at a time)"
cat "$work/run.out"

# A guest that died before its scenario's first line (no HARNESS-BEGIN)
# says nothing about the module: its scenario runs once more, and the
# report says so. The one such death seen, "BUG: KASAN: wild-memory-access
# in rcu_nmi_enter" at about 1 s of boot (2 of 88 boots on a loaded host),
# was KASAN's range check under 5-level paging; kasan.config turns that
# off. A second death, or any death after HARNESS-BEGIN, fails.
retry=
nretry=0
for out in $all; do
	name=$(basename "$out" .sh)
	d=$work/run/$name
	[ -r "$d/serial.log" ] || continue
	grep -a -q 'HARNESS-BEGIN' "$d/serial.log" && continue
	echo "debug: $name: the guest died before the scenario began:"
	tr -d '\r' < "$d/serial.log" | grep -a -E 'BUG:|Kernel panic|run-qemu:' |
		head -n 3 | sed 's/^/    /'
	retry="$retry $out"
	nretry=$((nretry + 1))
done
if [ -n "$retry" ]; then
	log "once more:$(for out in $retry; do printf ' %s' "$(basename "$out" .sh)"; done)"
	# shellcheck disable=SC2086 # paths under $work, without spaces
	XT_WORK=$work/job-retry sh "$runner" $retry 2>&1 |
		tee "$work/job-retry.out" || true
fi
t2=$(date +%s)

# --- verdict -------------------------------------------------------------------------
passed=0
failed=0
leaks=0
xt_leaks=0
for out in $all; do
	name=$(basename "$out" .sh)
	serial=
	results=
	for d in "$work"/run/"$name" "$work"/job-retry/"$name"; do
		[ -r "$d/serial.log" ] && serial=$d/serial.log && results=${d%/*}/results.txt
	done
	why=
	s=
	m=
	if [ -n "$serial" ]; then
		grep -qx "PASS $name .*" "$results" 2> /dev/null ||
			why="the harness failed it"
		grep -a -q 'REPORT\[debug-kernel\] kasan=1 lockdep=1 debug_locks=1 kmemleak=1 panic_on_warn=1' "$serial" ||
			why="${why:+$why; }KASAN, lockdep, kmemleak or panic_on_warn not on at its end"
		summary=$(tr -d '\r' < "$serial" | grep -a -o 'REPORT\[kmemleak-summary\].*' | tail -n 1)
		s=$(echo "$summary" | sed -n 's/.*suspected=\([0-9]*\).*/\1/p')
		m=$(echo "$summary" | sed -n 's/.*mentioning_xen_tmem=\([0-9]*\).*/\1/p')
		leaks=$((leaks + ${s:-0}))
		xt_leaks=$((xt_leaks + ${m:-0}))
		[ -n "$summary" ] || why="${why:+$why; }no kmemleak summary"
	else
		why="no boot log"
	fi
	# The harness's time for it, from "PASS name (N checks, S s)".
	secs=$(sed -n "s/^PASS $name (.*, \([0-9.]*\) s)$/\1/p" "$results" 2> /dev/null || true)
	case $serial in
	*/job-retry/*) again=", booted twice" ;;
	*) again= ;;
	esac
	detail="kmemleak ${s:-?} suspected, ${m:-?} mentioning xen_tmem${secs:+, $secs s}$again"
	if [ -z "$why" ]; then
		echo "debug: PASS $name ($detail)"
		passed=$((passed + 1))
	else
		echo "debug: FAIL $name ($why; $detail)"
		failed=$((failed + 1))
	fi
done
printf '%s' "$skips"
echo "$kernel_line"
echo "suite under the debug kernel: $((t2 - t1)) s ($njobs guests at a time); total $((t2 - t0)) s"
echo "guests booted again after dying before their scenario: $nretry"
echo "kmemleak: $leaks suspected leaks in all, $xt_leaks of them mentioning xen_tmem"
echo "logs: $work"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
