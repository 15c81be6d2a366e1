#!/bin/sh
# Build (or reuse) the cleancache test kernel and print its build folder.
#
# usage: tests/qemu/kernel.sh [FRAGMENT...]
#
# The kernel source is Debian's linux-source-5.10 from bullseye, fetched
# through a private apt configuration (the machine's sources are not
# touched). The build is kept under $XEN_TMEM_CACHE keyed by the source
# version, the config fragments and the compiler, so a re-run is instant.
# Default fragment: config/cleancache-qemu.config.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

cfgdir=$XT_TOP/tests/qemu/config
[ $# -gt 0 ] || set -- "$cfgdir/cleancache-qemu.config"
for f in "$@"; do
	[ -r "$f" ] || xt_die "no such config fragment: $f"
done

mkdir -p "$XT_CACHE"
# One lock for fetching the source, one per build folder for building:
# a run that needs an already built kernel never waits for another build.
exec 9>"$XT_CACHE/kernel.lock"
flock 9

# --- 1. kernel source -------------------------------------------------
apt_dir=$XT_CACHE/apt
apt_opts="-o Dir::Etc::sourcelist=$apt_dir/sources.list
	-o Dir::Etc::sourceparts=- -o Dir::State::Lists=$apt_dir/lists
	-o Dir::Cache=$apt_dir/cache -o Dir::Cache::archives=$apt_dir/cache/archives
	-o Dir::State::status=$apt_dir/status -o APT::Sandbox::User=root
	-o Debug::NoLocking=1"

fetch_source() {
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	: > "$apt_dir/status"
	mirror=$(xt_mirror)
	[ -n "$mirror" ] || xt_die "no Debian mirror found in /etc/apt (set XT_MIRROR)"
	echo "deb $mirror bullseye main" > "$apt_dir/sources.list"
	xt_log "apt: update (bullseye, private config)"
	# shellcheck disable=SC2086
	apt-get $apt_opts -qq update >&2
	want=$XT_KSRC_VER
	# shellcheck disable=SC2086
	if ! apt-cache $apt_opts show "$XT_KSRC_PKG=$want" >/dev/null 2>&1; then
		# shellcheck disable=SC2086
		want=$(apt-cache $apt_opts show "$XT_KSRC_PKG" |
			awk '/^Version:/ { print $2; exit }')
		[ -n "$want" ] || xt_die "$XT_KSRC_PKG not found on $mirror (bullseye)"
		xt_log "apt: $XT_KSRC_PKG=$XT_KSRC_VER is gone; using $want"
	fi
	xt_log "apt: download $XT_KSRC_PKG=$want"
	cd "$apt_dir/cache/archives"
	# shellcheck disable=SC2086
	apt-get $apt_opts -qq download "$XT_KSRC_PKG=$want" >&2
	cd - >/dev/null
	echo "$want" > "$apt_dir/version"
}

srcver=$(cat "$apt_dir/version" 2>/dev/null || true)
if [ -z "$srcver" ] || ! ls "$apt_dir/cache/archives/${XT_KSRC_PKG}_"*.deb >/dev/null 2>&1; then
	fetch_source
	srcver=$(cat "$apt_dir/version")
fi
deb=$(ls "$apt_dir/cache/archives/${XT_KSRC_PKG}_$(echo "$srcver" | sed 's/:/%3a/')_all.deb")
src=$XT_CACHE/src/$srcver
if [ ! -e "$src/.unpacked" ]; then
	xt_log "unpack $deb"
	rm -rf "$src"
	mkdir -p "$src"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO ./usr/src/linux-source-5.10.tar.xz |
		tar -xJ -C "$src" --strip-components=1
	touch "$src/.unpacked"
fi

# --- 2. configure ---------------------------------------------------------
key=$( { echo "$srcver"; cat "$@"; gcc --version | head -n 1; } |
	sha256sum | cut -c1-16)
obj=$XT_CACHE/kbuild/$srcver-$key
flock -u 9
if [ -e "$obj/.built" ]; then
	echo "$obj"
	exit 0
fi
mkdir -p "$XT_CACHE/kbuild"
exec 8>"$obj.lock"
flock 8
if [ -e "$obj/.built" ]; then	# built while we waited
	echo "$obj"
	exit 0
fi
xt_log "configure $obj"
rm -rf "$obj"
mkdir -p "$obj"
make -s -C "$src" O="$obj" tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$@" \
	> "$obj/merge_config.log" 2>&1 ||
	xt_die "merge_config.sh failed, see $obj/merge_config.log"
make -s -C "$src" O="$obj" olddefconfig >&2
# Every line of the fragments must have survived olddefconfig.
bad=0
for f in "$@"; do
	grep -E '^(CONFIG_|# CONFIG_)' "$f" | while IFS= read -r line; do
		grep -qxF "$line" "$obj/.config" || {
			echo "config line lost: $line" >&2
			echo x
		}
	done
done | grep -q x && bad=1
[ "$bad" = 0 ] || xt_die "kernel config does not honour the fragments"

# --- 3. build -------------------------------------------------------------
# "# xt-make: VAR=VALUE..." lines of the fragments go on make's command
# line (kasan.config: objects built without KASAN).
mflags=$(sed -n 's/^# xt-make: *//p' "$@" | tr '\n' ' ')
xt_log "build kernel ($JOBS jobs${mflags:+; $mflags}); takes a few minutes the first time"
t0=$(date +%s)
# shellcheck disable=SC2086 # a list of VAR=VALUE words, without spaces
make -s -C "$obj" -j"$JOBS" $mflags >&2
t1=$(date +%s)
xt_log "kernel built in $((t1 - t0)) s"
echo "$((t1 - t0))" > "$obj/.build-seconds"
touch "$obj/.built"
echo "$obj"
