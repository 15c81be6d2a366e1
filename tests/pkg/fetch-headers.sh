#!/bin/sh
# Download Debian's prebuilt kernel headers of a suite (the kernel that
# linux-headers-amd64 points to, with its -common and linux-kbuild
# packages), extract them into CACHE/SUITE/root and print the
# linux-headers-<kver>-amd64 folder. A second run reuses the extracted tree
# without the network.
#
# usage: tests/pkg/fetch-headers.sh bookworm|bullseye CACHE
#
# bookworm comes from the machine's own apt sources (Debian 12); bullseye
# through a private apt configuration under CACHE/apt-bullseye, so the
# machine's sources are never changed. The amd64 Makefile includes the
# -common one by its absolute /usr/src path; that line is pointed into the
# cache so the tree can build modules.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

[ $# -eq 2 ] || xt_die "usage: $0 bookworm|bullseye CACHE"
suite=$1
c=$2/$suite
hdr() {
	ls -d "$c"/root/usr/src/linux-headers-*-amd64
}
if [ -e "$c/root/.extracted" ]; then
	hdr
	exit 0
fi

apt=
case $suite in
bullseye)
	a=$2/apt-bullseye
	mkdir -p "$a/lists/partial" "$a/cache/archives/partial"
	: > "$a/status"
	mirror=$(xt_mirror)
	[ -n "$mirror" ] || xt_die "no Debian mirror found in /etc/apt (set XT_MIRROR)"
	echo "deb $mirror bullseye main" > "$a/sources.list"
	apt="-o Dir::Etc::sourcelist=$a/sources.list -o Dir::Etc::sourceparts=-
		-o Dir::State::Lists=$a/lists -o Dir::Cache=$a/cache
		-o Dir::State::status=$a/status -o Debug::NoLocking=1"
	# shellcheck disable=SC2086
	apt-get $apt -qq update >&2
	;;
bookworm)
	apt-cache show linux-headers-amd64 > /dev/null 2>&1 || apt-get -qq update >&2
	;;
*) xt_die "unknown suite: $suite" ;;
esac

rm -rf "$c"
mkdir -p "$c/debs"
cd "$c/debs"
get() {
	# shellcheck disable=SC2086
	apt-get $apt -qq -o APT::Sandbox::User=root download "$@" >&2
}
get linux-headers-amd64
# Depends: linux-headers-<kver>-amd64 (= <version>)
dep=$(dpkg-deb -f linux-headers-amd64_*.deb Depends | cut -d, -f1)
pkg=${dep%% *}
ver=$(echo "$dep" | sed 's/.*= *\([^)]*\)).*/\1/')
rm -f linux-headers-amd64_*.deb
get "$pkg=$ver"
for p in $(dpkg-deb -f "${pkg}"_*.deb Depends | tr ',' '\n' |
	sed -n 's/^ *\(linux-headers-[^ ]*-common\|linux-kbuild-[^ ]*\) .*/\1/p'); do
	get "$p=$ver"
done

mkdir -p "$c/root"
for d in "$c"/debs/*.deb; do
	dpkg-deb -x "$d" "$c/root"
done
sed -i "s|/usr/src/|$c/root/usr/src/|" "$(hdr)/Makefile"
: > "$c/root/.extracted"
hdr
