#!/bin/sh
# Get promtool, Prometheus's own checker, from Debian's prometheus package
# without installing that package (its postinst would start a server):
# apt-get download the .deb into CACHE, extract promtool from it and print
# its path. A second run reuses the extracted tree without the
# network.
#
# usage: tests/pkg/fetch-promtool.sh CACHE
#
# Exit status 0 with the path on stdout; 1 with the reason on stderr when
# apt cannot get the package (no network, no such package).
set -eu

[ $# -eq 1 ] || {
	echo "usage: $0 CACHE" >&2
	exit 2
}
c=$1/promtool
tool=$c/root/usr/bin/promtool
if [ -e "$c/root/.extracted" ] && [ -x "$tool" ]; then
	echo "$tool"
	exit 0
fi

rm -rf "$c"
mkdir -p "$c/debs"
cd "$c/debs"
apt-cache show prometheus > /dev/null 2>&1 || apt-get -qq update >&2 || true
if ! apt-get -qq -o APT::Sandbox::User=root download prometheus >&2; then
	echo "apt-get download prometheus failed" >&2
	exit 1
fi
deb=$(ls prometheus_*.deb)
dpkg-deb -x "$deb" "$c/x"
[ -x "$c/x/usr/bin/promtool" ] || {
	echo "$deb has no usr/bin/promtool" >&2
	exit 1
}
# Only promtool is kept (the server and its web assets are 100 MiB).
mkdir -p "$c/root/usr/bin"
mv "$c/x/usr/bin/promtool" "$tool"
rm -rf "$c/x" "$c/debs"
echo "$deb" > "$c/root/.extracted"
echo "$tool"
