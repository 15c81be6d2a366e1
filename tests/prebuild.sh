#!/bin/sh
# Build what the later suites of make test boot, ahead of them:
# tests/run-all.sh starts this at the lowest CPU priority (nice 19) beside
# the first suites, so the builds take the CPU time their guests leave
# idle (a guest runs one busy vCPU most of the time, the machine has two
# cores). In the order the suites need them: the test kernel, Xen 4.12
# with tmem (tests/kernels/ and tests/xen/), the debug kernel with KASAN
# (tests/debug.sh), the debug kernel without KASAN (the PV dom0 of
# tests/xen/debug.sh).
# Each build is cached and locked (tests/qemu/kernel.sh,
# tests/xen/build-xen.sh): a suite that needs one that is still being
# built waits for it, and one that failed here is tried again by its
# suite, which then reports the failure. Prints one line per build.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cfg=$top/tests/qemu/config

build() {
	_t0=$(date +%s)
	_rc=0
	"$@" > /dev/null 2>&1 || _rc=$?
	echo "prebuild: $* -> exit $_rc, $(($(date +%s) - _t0)) s"
}

build sh "$top/tests/qemu/kernel.sh"
build sh "$top/tests/xen/build-xen.sh"
build sh "$top/tests/qemu/kernel.sh" "$cfg/cleancache-qemu.config" \
	"$cfg/debug.config" "$cfg/kasan.config"
build sh "$top/tests/qemu/kernel.sh" "$cfg/cleancache-qemu.config" \
	"$cfg/debug.config"
