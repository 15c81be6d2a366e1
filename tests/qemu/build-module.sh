#!/bin/sh
# Build an out-of-tree module folder against a kernel build folder, and
# fail loudly on compiler or modpost warnings and on undefined symbols.
#
# usage: tests/qemu/build-module.sh KDIR DIR
#
# DIR is cleaned first so that every source file is compiled (and every
# warning seen) on each run. The full make output is kept in DIR/build.log.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || xt_die "usage: $0 KDIR DIR"
kdir=$1
dir=$2
[ -e "$kdir/Module.symvers" ] || xt_die "not a built kernel folder: $kdir"
[ -d "$dir" ] || xt_die "no such folder: $dir"

log=$dir/build.log
make -C "$kdir" M="$dir" clean > /dev/null 2>&1 || true
rc=0
make -C "$kdir" M="$dir" -j"$JOBS" modules > "$log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	cat "$log" >&2
	xt_die "module build failed in $dir (make exit $rc)"
fi
if grep -i -e 'warning' -e 'undefined!' "$log" >&2; then
	xt_die "module build in $dir has warnings or undefined symbols (above)"
fi
