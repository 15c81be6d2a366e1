#!/bin/sh
# Every test of the project, in order: host set-up, style, unit tests,
# the QEMU scenarios, the same scenarios under the debug kernel
# (tests/debug.sh: KASAN, lockdep, kmemleak; its own cached kernel), the
# packages, the real Xen. Prints one summary line per suite and a final
# "N passed, M failed" over the suites; exits non-zero if any failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

tests/setup-host.sh || exit 1

passed=0
failed=0
suite() {
	name=$1
	shift
	echo "=== $name: $*"
	if "$@"; then
		echo "=== $name: PASS"
		passed=$((passed + 1))
	else
		echo "=== $name: FAIL"
		failed=$((failed + 1))
	fi
}

suite style tests/style.sh
suite unit make -s -C tests/unit check
suite qemu tests/qemu/run.sh
suite debug tests/debug.sh
suite pkg tests/pkg/run.sh
suite xen tests/xen/run.sh

echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
