#!/bin/sh
# Did anything change the headers tree tests/kernels/unpack.sh unpacked
# (a dkms that "prepares" or cleans a kernel tree would)? Prints what was
# added, removed or modified since, and exits 1 if anything was.
#
# usage: tests/kernels/untouched.sh HDIR
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

[ $# -eq 1 ] || xt_die "usage: $0 HDIR"
c=$(cd "$1/../../../.." && pwd)
[ -e "$c/.unpacked" ] || xt_die "$1: not unpacked by tests/kernels/unpack.sh"
changed=$( (cd "$c/root" && find . | LC_ALL=C sort) | diff "$c/files.txt" - | sed -n 's/^[<>] //p')
newer=$(cd "$c/root" && find . -newer "$c/.unpacked" ! -type d)
[ -z "$changed$newer" ] && exit 0
printf '%s\n%s\n' "$changed" "$newer" | grep . | sort -u | head -n 20
exit 1
