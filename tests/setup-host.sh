#!/bin/sh
# Install the Debian packages the tests need (root; Debian 12). Packages
# already present are not touched, so a second run costs a second.
set -eu

pkgs="make gcc libc6-dev bc bison flex libelf-dev libssl-dev cpio xz-utils
	kmod e2fsprogs btrfs-progs busybox-static qemu-system-x86
	libxen-dev shellcheck perl python3"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing="$missing $p"
done
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ]; then
	echo "error: missing packages:$missing; run as root (or: sudo apt-get install$missing)" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
