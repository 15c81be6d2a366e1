#!/bin/sh
# Unpack a kernel's linux-headers-*.deb with dpkg-deb -x (never installed)
# into CACHE/<sha256 of the .deb>/root and print the kernel build folder in
# it (usr/src/linux-headers-*). A re-run with the same .deb reuses the
# tree; CACHE/<sha256>/files.txt lists what was unpacked, for
# tests/kernels/untouched.sh.
#
# usage: tests/kernels/headers.sh DEB CACHE
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

[ $# -eq 2 ] || xt_die "usage: $0 DEB CACHE"
deb=$1
sum=$(sha256sum "$deb" | cut -d' ' -f1)
c=$2/$sum
if [ ! -e "$c/.unpacked" ]; then
	rm -rf "$c"
	mkdir -p "$c/root"
	dpkg-deb -x "$deb" "$c/root"
	(cd "$c/root" && find . | LC_ALL=C sort) > "$c/files.txt"
	: > "$c/.unpacked"
fi
set -- "$c"/root/usr/src/linux-headers-*
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	xt_die "$deb: no (or more than one) usr/src/linux-headers-* in it"
fi
echo "$1"
