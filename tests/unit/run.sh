#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run unit-test binaries, pass their output through, and print one combined
# "N passed, M failed" line at the end. A binary that exits non-zero
# without reporting a failure (a sanitizer abort, a leak report, a crash)
# counts as one more failure.
#
# usage: run.sh BINARY...
set -u

total_pass=0
total_fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for bin in "$@"; do
	"$bin" >"$out"
	rc=$?
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
	grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$out"
	if [ -z "$summary" ]; then
		echo "FAIL $bin: no summary line (exit status $rc)"
		total_fail=$((total_fail + 1))
		continue
	fi
	pass=${summary%% passed*}
	fail=${summary#*, }
	fail=${fail%% failed}
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		echo "FAIL $bin: exit status $rc"
		total_fail=$((total_fail + 1))
	fi
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
