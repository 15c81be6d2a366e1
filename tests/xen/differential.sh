#!/bin/sh
# The emulator proven against Xen: tests/xen/scenarios/differential.sh,
# a deterministic workload (files, evictions, re-reads, overwrites,
# flushes, the switch, a remount, swap), runs on xen_tmem_emu (QEMU, the
# memory and vCPUs of the Xen runs' dom0) and on Xen 4.12 with tmem as a
# PV and a PVH dom0, in this one run. After every step every counter of
# xen_tmem's total/, frontswap/ and hypercalls/ must be the same on all
# three; each difference is printed (step, counter, the values).
#
# usage: tests/xen/differential.sh
#
# Output: the runs' verdicts, "same: N counters over S steps" or the
# differences, then "N passed, M failed" (one check per comparison: emu
# against pv, emu against pvh). Without a Xen source: "skipped: ...",
# exit 77. Environment: as for tests/xen/tmem.sh and tests/qemu/run.sh.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

here=$XT_TOP/tests/xen
scenario=$here/scenarios/differential.sh
xt_work_dir "xen-diff-"

rc=0
XT_WORK=$work/xen XT_XEN_HEADER=xen-diff sh "$here/tmem.sh" differential \
	> "$work/xen.out" 2>&1 || rc=$?
if [ "$rc" = 77 ]; then
	grep '^skipped:' "$work/xen.out"
	echo "0 passed, 0 failed, 1 skipped"
	exit 77
fi
grep -E '^(PASS|FAIL) ' "$work/xen.out" || true
# The emulator's guest as Xen's dom0: 256 MiB, one vCPU.
emu_ok=1
XT_WORK=$work/emu MEM=256 SMP=1 sh "$XT_TOP/tests/qemu/run.sh" "$scenario" \
	> "$work/emu.out" 2>&1 || emu_ok=0
grep -E '^(PASS|FAIL) ' "$work/emu.out" || true

# counters LOG OUT: "step/group/counter value" per line, sorted.
counters() {
	tr -d '\r' < "$1" | grep -a -o 'REPORT\[diff-[^]]*\] [a-z]*: .*' |
		awk '{
			step = substr($1, 13, length($1) - 13)
			group = substr($2, 1, length($2) - 1)
			for (i = 3; i <= NF; i++) {
				c = index($i, "=")
				printf "%s/%s/%s %s\n", step, group,
					substr($i, 1, c - 1), substr($i, c + 1)
			}
		}' | LC_ALL=C sort > "$2"
}

counters "$work/emu/differential/serial.log" "$work/emu.txt"
passed=0
failed=0
for mode in pv pvh; do
	counters "$work/xen/differential-$mode/dom0.log" "$work/$mode.txt"
	n=$(wc -l < "$work/emu.txt")
	steps=$(cut -d/ -f1 "$work/emu.txt" | sort -u | wc -l)
	# Both runs must have passed their own checks, too.
	runs_ok=$emu_ok
	grep -q "^PASS tmem-differential-$mode " "$work/xen/results.txt" || runs_ok=0
	if [ "$n" -gt 0 ] && [ "$runs_ok" = 1 ] && cmp -s "$work/emu.txt" "$work/$mode.txt"; then
		echo "ok emulator = Xen $mode: same $n counters over $steps steps"
		passed=$((passed + 1))
	else
		echo "not ok emulator = Xen $mode ($n counters; both runs passed: $runs_ok)"
		join -a 1 -a 2 -e missing -o 0,1.2,2.2 "$work/emu.txt" "$work/$mode.txt" |
			awk '$2 != $3 { printf "    %s: emulator %s, xen-%s %s\n", $1, $2, m, $3 }' m="$mode" |
			head -n 60
		failed=$((failed + 1))
	fi
done
echo "logs: $work"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
