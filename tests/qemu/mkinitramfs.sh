#!/bin/sh
# Build the test initramfs: static busybox, /init, the guest helper
# library and one scenario.
#
# usage: tests/qemu/mkinitramfs.sh OUT.cpio.gz SCENARIO.sh [FILE...]
#
# FILEs ending in .ko go to /lib/modules/, any other FILE to /opt/xt/.
# BUSYBOX overrides the busybox binary (default /bin/busybox, which must
# be the static one from busybox-static).
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || xt_die "usage: $0 OUT.cpio.gz SCENARIO.sh [FILE...]"
out=$1
scenario=$2
shift 2
busybox=${BUSYBOX:-/bin/busybox}
guest=$XT_TOP/tests/qemu/guest

[ -r "$scenario" ] || xt_die "no such scenario: $scenario"
[ -x "$busybox" ] || xt_die "no busybox at $busybox (apt-get install busybox-static)"
if command -v file > /dev/null && ! file -L "$busybox" | grep -q 'statically linked'; then
	xt_die "$busybox is not statically linked (apt-get install busybox-static)"
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/xt-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/mnt" \
	"$root/etc" "$root/root" "$root/lib/xt" "$root/lib/modules" "$root/opt/xt"

cp "$busybox" "$root/bin/busybox"
"$busybox" --list-full | while IFS= read -r applet; do
	[ "$applet" = bin/busybox ] && continue
	ln -sf /bin/busybox "$root/$applet"
done

cp "$guest/init" "$root/init"
# lib.sh and the libraries scenarios may source (faults.sh).
cp "$guest"/*.sh "$root/lib/xt/"
cp "$scenario" "$root/scenario.sh"
chmod 755 "$root/init" "$root/scenario.sh"
name=$(basename "$scenario" .sh)
echo "$name" > "$root/etc/xt-scenario"

for f in "$@"; do
	[ -r "$f" ] || xt_die "no such file: $f"
	case $f in
	*.ko) cp "$f" "$root/lib/modules/" ;;
	*) cp "$f" "$root/opt/xt/" ;;
	esac
done

out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 | gzip -1 > "$out_abs")
