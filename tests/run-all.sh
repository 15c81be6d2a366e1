#!/bin/sh
# Every test of the project, in order: host set-up, style, unit tests,
# the QEMU scenarios, the packages, DKMS builds with each distribution's
# dkms for the kernels of ../shared/kernels, each booted with its module
# under QEMU and as the dom0 of Xen with tmem (tests/kernels/dkms.sh),
# Debian's Xen 4.17 (no tmem), the scenarios under the debug kernel
# (tests/debug.sh: KASAN, lockdep, kmemleak; its own cached kernel),
# then the real tmem hypervisor (Xen 4.12 built from source:
# tests/xen/tmem.sh; the debug kernels as its dom0: tests/xen/debug.sh;
# the emulator compared with it: tests/xen/differential.sh). The kernels
# and Xen are built beside the first suites (tests/prebuild.sh). Prints
# one summary line per suite (PASS, FAIL, or SKIP when a suite's input is
# missing) and a final "N passed, M failed, K skipped" over the suites;
# exits non-zero if any failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

tests/setup-host.sh || exit 1

# The kernels and Xen the later suites boot are built beside the first
# suites, at the lowest priority (tests/prebuild.sh).
cache=${XEN_TMEM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-tmem}
mkdir -p "$cache"
nice -n 19 tests/prebuild.sh > "$cache/prebuild.log" 2>&1 &
prebuild=$!

passed=0
failed=0
skipped=0
# suite NAME COMMAND...: a suite passes with exit 0 and is skipped with
# exit 77 (what it needs is not on this machine: it says what, in a
# "skipped:" line); anything else fails.
suite() {
	name=$1
	shift
	echo "=== $name: $*"
	rc=0
	"$@" || rc=$?
	case $rc in
	0)
		echo "=== $name: PASS"
		passed=$((passed + 1))
		;;
	77)
		echo "=== $name: SKIP"
		skipped=$((skipped + 1))
		;;
	*)
		echo "=== $name: FAIL"
		failed=$((failed + 1))
		;;
	esac
}

suite style tests/style.sh
suite unit make -s -C tests/unit check
suite qemu env XT_JOBS=2 tests/qemu/run.sh
# The suites that need no debug kernel come first, while tests/prebuild.sh
# builds it.
suite pkg tests/pkg/run.sh
suite kernels tests/kernels/dkms.sh
suite xen tests/xen/run.sh
suite debug tests/debug.sh
suite tmem tests/xen/tmem.sh
suite debug-dom0 tests/xen/debug.sh
suite diff tests/xen/differential.sh

wait "$prebuild" || true
cat "$cache/prebuild.log"
echo "suites: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
