#!/bin/sh
# Build (or reuse) a Xen hypervisor with tmem (CONFIG_TMEM=y) from source
# and print the path of its ELF image (what QEMU's multiboot loader boots).
#
# usage: tests/xen/build-xen.sh
#
# The source is $XEN_TMEM_XEN_SRC: a Xen 4.x (<= 4.12, the last release
# with tmem) release tarball (.tar.gz, .tar.xz, .tar.bz2) or an unpacked
# tree; only its xen/ folder is built. Default: the project's copy of
# Xen 4.12.4's hypervisor tree, ../shared/xen/xen-4.12.4-hypervisor.tar.xz
# beside the repository, when it exists. Without a source the script
# prints one "skipped: ..." line and exits 77.
#
# The build is kept under $XEN_TMEM_CACHE/xen-tmem-hv/<key>/, the key
# made of the source's hash, this script's configuration steps and the
# compiler, so a second run only prints the path. 4.12 made tmem
# "deprecated": it has a prompt only with XEN_CONFIG_EXPERT=y; gcc 12
# warns where the gcc of 2019 did not (in code unrelated to tmem), hence
# -Wno-error; its build scripts want Python (Config.mk's PYTHON is
# "python", which Debian 12 does not have: python3 is given). About 3.5
# minutes on 2 cores.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

src=${XEN_TMEM_XEN_SRC:-}
if [ -z "$src" ]; then
	dflt=$(cd "$XT_TOP/.." && pwd)/shared/xen/xen-4.12.4-hypervisor.tar.xz
	[ -r "$dflt" ] && src=$dflt
fi
if [ -z "$src" ] || [ ! -e "$src" ]; then
	echo "skipped: no Xen source with tmem: set XEN_TMEM_XEN_SRC to a Xen 4.x (<= 4.12) release tarball or tree, e.g. xen-4.12.4.tar.gz from the Xen Project's downloads${src:+ ($src does not exist)}"
	exit 77
fi
for tool in make gcc flex bison python3 sha256sum tar gzip; do
	command -v "$tool" > /dev/null ||
		xt_die "$tool not found (tests/setup-host.sh installs the build tools)"
done

# The configuration steps, hashed into the key: change one, build anew.
steps='make XEN_CONFIG_EXPERT=y defconfig
CONFIG_TMEM=y CONFIG_EXPERT=y
make XEN_CONFIG_EXPERT=y olddefconfig
make XEN_CONFIG_EXPERT=y EXTRA_CFLAGS_XEN_CORE=-Wno-error'

# src_hash: the tarball's sha256, or that of every file of the tree.
src_hash() {
	if [ -d "$src" ]; then
		(cd "$src" && find . -path ./.git -prune -o -type f -print |
			LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16
	else
		sha256sum < "$src" | cut -c1-16
	fi
}

key=$( { src_hash; echo "$steps"; gcc --version | head -n 1; } |
	sha256sum | cut -c1-16)
out=$XT_CACHE/xen-tmem-hv/$key
if [ -e "$out/.built" ]; then
	echo "$out/xen.elf"
	exit 0
fi
mkdir -p "$XT_CACHE/xen-tmem-hv"
exec 9> "$out.lock"
flock 9
if [ -e "$out/.built" ]; then # built while we waited
	echo "$out/xen.elf"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out/src"
xt_log "xen: unpack $src"
if [ -d "$src" ]; then
	(cd "$src" && tar -cf - --exclude=.git .) | (cd "$out/src" && tar -xf -)
else
	case $src in
	*.tar.xz | *.txz) tar -xJf "$src" -C "$out/src" ;;
	*.tar.bz2) tar -xjf "$src" -C "$out/src" ;;
	*) tar -xzf "$src" -C "$out/src" ;;
	esac
fi
# The folder with Config.mk and xen/Makefile: the top or one level down.
top=
for d in "$out/src" "$out"/src/*; do
	if [ -r "$d/Config.mk" ] && [ -r "$d/xen/Makefile" ]; then
		top=$d
		break
	fi
done
[ -n "$top" ] || xt_die "$src: no Xen tree in it (no Config.mk and xen/Makefile)"
xen=$top/xen
grep -q '^config TMEM' "$xen/common/Kconfig" 2> /dev/null ||
	xt_die "$src: this Xen has no tmem (Kconfig has no TMEM: Xen 4.13 and later removed it)"

xt_log "xen: configure with CONFIG_TMEM=y"
make -s -C "$xen" XEN_CONFIG_EXPERT=y defconfig > "$out/config.log" 2>&1 ||
	xt_die "xen defconfig failed, see $out/config.log"
sed -i -e '/CONFIG_TMEM[ =]/d' -e '/CONFIG_EXPERT[ =]/d' "$xen/.config"
printf 'CONFIG_TMEM=y\nCONFIG_EXPERT=y\n' >> "$xen/.config"
make -s -C "$xen" XEN_CONFIG_EXPERT=y olddefconfig >> "$out/config.log" 2>&1 ||
	xt_die "xen olddefconfig failed, see $out/config.log"
grep -qx 'CONFIG_TMEM=y' "$xen/.config" ||
	xt_die "CONFIG_TMEM=y did not survive olddefconfig ($xen/.config)"

xt_log "xen: build ($JOBS jobs); about 3.5 minutes on 2 cores"
t0=$(date +%s)
make -C "$xen" -j"$JOBS" XEN_CONFIG_EXPERT=y PYTHON=python3 \
	EXTRA_CFLAGS_XEN_CORE=-Wno-error > "$out/build.log" 2>&1 || {
	tail -n 30 "$out/build.log" >&2
	xt_die "xen build failed, see $out/build.log"
}
t1=$(date +%s)
[ -r "$xen/xen.gz" ] || xt_die "the build made no $xen/xen.gz"
gzip -dc "$xen/xen.gz" > "$out/xen.elf"
cp "$xen/.config" "$out/config"
# xen-syms carries tmem's messages only when tmem is built in.
grep -q 'tmem: initialized' "$xen/xen-syms" ||
	xt_die "$xen/xen-syms has no tmem in it"
make -s -C "$xen" xenversion > "$out/version"
echo "$((t1 - t0))" > "$out/.build-seconds"
rm -rf "$out/src"
touch "$out/.built"
xt_log "xen: $(cat "$out/version") built in $((t1 - t0)) s"
echo "$out/xen.elf"
