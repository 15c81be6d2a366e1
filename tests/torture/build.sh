#!/bin/sh
# Build the guest test programs, static (the guest has no C library) and
# warning-free: xt-torture (the torture test), xt-swapfill (anonymous
# memory through swap, checked; the frontswap scenarios), zero-race (a
# reproducer of a kernel bug the module's guard closes; the zero-race
# scenario)
# and, from tests/xen, xt-hvstat (Xen's own memory and tmem statistics,
# read in a dom0).
#
# usage: tests/torture/build.sh OUTDIR
#
# Prints the paths of the programs it built, one a line (for
# mkinitramfs.sh, which puts them in the guest's /opt/xt/).
set -eu
here=$(cd "$(dirname "$0")" && pwd)

[ $# -eq 1 ] || {
	echo "usage: $0 OUTDIR" >&2
	exit 1
}
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)
command -v "${CC:-gcc}" > /dev/null || {
	echo "error: ${CC:-gcc} not found (apt-get install gcc libc6-dev)" >&2
	exit 1
}
for src in "$here/xt-torture.c" "$here/xt-swapfill.c" "$here/zero-race.c" \
	"$here/../xen/xt-hvstat.c"; do
	prog=$(basename "$src" .c)
	"${CC:-gcc}" -static -O2 -Wall -Wextra -Werror -pthread \
		-o "$out/$prog" "$src" || {
		echo "error: cannot build $prog (a static build needs libc6-dev's libc.a)" >&2
		exit 1
	}
	echo "$out/$prog"
done
