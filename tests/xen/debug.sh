#!/bin/sh
# The debug kernel as a dom0 of the real tmem hypervisor, Xen 4.12 with
# tmem, xen_tmem on the real hypercall: lockdep, sleeping-in-atomic
# checks, kmemleak, list and VM debugging, soft-lockup and hung-task
# detectors (tests/qemu/config/debug.config), booted with panic_on_warn=1;
# as a PVH dom0 with KASAN too (kasan.config: the kernel of
# tests/debug.sh), as a PV dom0 without (Linux 5.10 has no KASAN support
# for Xen PV: see kasan.config). A suite of `make test` (tests/run-all.sh).
#
# usage: tests/xen/debug.sh [CASE[-pv|-pvh]...]
#        (default: readback, coherency and swap-room, each as PV and as
#        PVH; a CASE without a kind runs as both)
#
# Under QEMU's TCG a KASAN kernel as PVH dom0 is slow: Xen's nested
# paging is emulated, and KASAN's shadow accesses double the memory
# accesses through it (readback at full size: about 10 minutes, against
# 1 under the emulator in tests/debug.sh and 5 as the PV dom0 here). So
# the PVH dom0 runs the scenarios at a quarter of their size
# (XT_DEBUG_PVH_SCALE), the PV dom0 at half (XT_DEBUG_SCALE); measured
# on 2 shared cores: PVH readback 139 s, coherency 168 s, swap-room
# 183 s; PV 89, 75 and 80 s. The two kinds boot side by side, one guest
# each. The RCU stall and soft-lockup detectors get
# longer limits (rcupdate.rcu_cpu_stall_timeout=300, watchdog_thresh=60):
# with the default 21 s and 20 s they report the emulation's slowness
# (writeback holding the one vCPU for over a minute) as stalls.
#
# Each case runs through tests/xen/tmem.sh with
# tests/torture/kmemleak-epilogue.sh after the scenario's own lines: a
# check that lockdep (not turned off by a report of its own), kmemleak
# and panic_on_warn are on and KASAN is on exactly in the PVH kernel,
# then two kmemleak scans, every report printed as a REPORT[kmemleak]
# line; none may mention xen_tmem. A boot passes when tmem.sh passes it
# and its dom0 log has those lines. Timeouts: a case's "# timeout:" times
# XT_DEBUG_SLOWDOWN (default 8). Prints tmem.sh's lines, one "debug-dom0:
# PASS|FAIL CASE-MODE" line per boot with its kmemleak count, the kmemleak
# totals, then "N passed, M failed"; without a Xen source the skip of
# tmem.sh (exit 77).
#
# Logs: XT_WORK, default $XEN_TMEM_CACHE/runs/xen-debug-<time>-<pid>.
# Environment: as for tests/xen/tmem.sh (APPEND is added to
# "panic_on_warn=1 no_timer_check rcupdate.rcu_cpu_stall_timeout=300
# watchdog_thresh=60").
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

here=$XT_TOP/tests/xen
cfg=$XT_TOP/tests/qemu/config
xt_work_dir "xen-debug-"
[ $# -gt 0 ] || set -- readback coherency swap-room
pv=
pvh=
for c in "$@"; do
	case $c in
	*-pvh) pvh="$pvh $c" ;;
	*-pv) pv="$pv $c" ;;
	*) pv="$pv $c-pv" pvh="$pvh $c-pvh" ;;
	esac
done

# half MODE KASAN FRAGMENTS CASES SCALE: one tmem.sh run, one boot at a
# time, the scenarios' sizes at SCALE percent (xt_scale); its exit status
# in $work/MODE.rc.
half() {
	_rc=0
	# shellcheck disable=SC2086 # case names, without spaces
	XT_WORK=$work/$1 XT_KCONFIG=$3 XT_XEN_JOBS=1 \
		XT_XEN_EPILOGUE=$XT_TOP/tests/torture/kmemleak-epilogue.sh \
		XT_XEN_SLOWDOWN=${XT_DEBUG_SLOWDOWN:-8} \
		APPEND="panic_on_warn=1 no_timer_check rcupdate.rcu_cpu_stall_timeout=300 watchdog_thresh=60 xt_kasan=$2 xt_scale=$5${APPEND:+ $APPEND}" \
		sh "$here/tmem.sh" $4 > "$work/$1.out" 2>&1 || _rc=$?
	echo "$_rc" > "$work/$1.rc"
}

t0=$(date +%s)
pids=
if [ -n "$pv" ]; then
	half pv 0 "$cfg/debug.config" "$pv" "${XT_DEBUG_SCALE:-50}" &
	pids="$pids $!"
fi
if [ -n "$pvh" ]; then
	half pvh 1 "$cfg/debug.config $cfg/kasan.config" "$pvh" "${XT_DEBUG_PVH_SCALE:-25}" &
	pids="$pids $!"
fi
for pid in $pids; do
	wait "$pid" || true
done
t1=$(date +%s)
rc=0
for m in pv pvh; do
	[ -r "$work/$m.out" ] || continue
	cat "$work/$m.out"
	r=$(cat "$work/$m.rc" 2> /dev/null || echo 1)
	[ "$r" = 0 ] || rc=$r
done
if [ "$rc" = 77 ]; then
	exit 77
fi

passed=0
failed=0
leaks=0
xt_leaks=0
for d in "$work"/pv/*/ "$work"/pvh/*/; do
	d=${d%/}
	[ -r "$d/result" ] || continue
	case $d in *.first) continue ;; esac
	run=${d##*/}
	kasan=0
	[ "${run##*-}" = pv ] || kasan=1
	want="REPORT\\[debug-kernel\\] kasan=$kasan lockdep=1 debug_locks=1 kmemleak=1 panic_on_warn=1"
	why=
	grep -q '^PASS ' "$d/result" || why="tmem.sh failed it"
	log=$d/dom0.log
	tr -d '\r' < "$log" 2> /dev/null | grep -a -q "$want" ||
		why="${why:+$why; }not kasan=$kasan with lockdep, kmemleak and panic_on_warn on at its end"
	summary=$(tr -d '\r' < "$log" 2> /dev/null |
		grep -a -o 'REPORT\[kmemleak-summary\].*' | tail -n 1)
	s=$(echo "$summary" | sed -n 's/.*suspected=\([0-9]*\).*/\1/p')
	m=$(echo "$summary" | sed -n 's/.*mentioning_xen_tmem=\([0-9]*\).*/\1/p')
	[ -n "$summary" ] || why="${why:+$why; }no kmemleak summary"
	leaks=$((leaks + ${s:-0}))
	xt_leaks=$((xt_leaks + ${m:-0}))
	detail="kmemleak ${s:-?} suspected, ${m:-?} mentioning xen_tmem"
	if [ -z "$why" ]; then
		echo "debug-dom0: PASS $run ($detail)"
		passed=$((passed + 1))
	else
		echo "debug-dom0: FAIL $run ($why; $detail)"
		failed=$((failed + 1))
	fi
done
# A boot asked for that left no result fails too.
# shellcheck disable=SC2086 # case names, without spaces
asked=$(echo $pv $pvh | wc -w)
if [ $((passed + failed)) -lt "$asked" ]; then
	echo "debug-dom0: FAIL $((asked - passed - failed)) of the $asked boots left no result"
	failed=$((asked - passed))
fi
echo "debug dom0: $((t1 - t0)) s (the kernel's build included when it was not cached)"
echo "kmemleak: $leaks suspected leaks in all, $xt_leaks of them mentioning xen_tmem"
echo "logs: $work"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$rc" = 0 ]
