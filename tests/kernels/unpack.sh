#!/bin/sh
# Unpack a kernel's .deb (linux-headers-* or linux-image-*) with dpkg-deb
# -x (never installed) into CACHE/<sha256 of the .deb>/root and print the
# one path in it that GLOB matches: usr/src/linux-headers-* (the kernel
# build folder DKMS builds against) or boot/vmlinuz-* (the image to
# boot). A re-run with the same .deb reuses the tree; CACHE/<sha256>/
# files.txt lists what was unpacked, for tests/kernels/untouched.sh.
#
# usage: tests/kernels/unpack.sh DEB CACHE GLOB
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

[ $# -eq 3 ] || xt_die "usage: $0 DEB CACHE GLOB"
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
# shellcheck disable=SC2086 # GLOB is a pattern
set -- "$c"/root/$3
if [ $# -ne 1 ] || [ ! -e "$1" ]; then
	xt_die "$deb: no (or more than one) $3 in it"
fi
echo "$1"
