#!/bin/sh
# Package tests of xen-tmem, as root on Debian 12: build the .deb and the
# .rpm, install the .deb, let DKMS build the module for the cleancache test
# kernel (tests/qemu/kernel.sh) and boot that kernel with the DKMS-built
# module, check the skip on Debian's kernels without cleancache (bullseye
# 5.10 and bookworm 6.1 headers), remove and purge the package, and test
# xen-tmem-stat in a guest, its --prometheus output with Prometheus's own
# promtool, and the systemd timer that ships off.
#
# usage: tests/pkg/run.sh
#
# Prints one "ok - ..." or "not ok - ..." line per check and ends with
# "N passed, M failed"; exit status 0 only when nothing failed. Logs are
# kept in $XEN_TMEM_CACHE/runs/pkg-<timestamp>/.
#
# What it changes on the machine, for the duration of the run only: it
# installs and purges xen-tmem-dkms (any earlier xen-tmem in DKMS is
# removed first), creates /lib/modules/<kver>/build links for the test
# kernels (and the /lib/modules/<kver> folders when they do not exist;
# those get a .xen-tmem-test marker), and removes all of that on exit, as
# well as the DKMS signing key /var/lib/dkms/mok.* if dkms created it during
# the run. It installs the Debian packages it needs when they are missing.
# The headers are cached in $XEN_TMEM_CACHE/pkg/headers/, promtool in
# $XEN_TMEM_CACHE/pkg/promtool/ (taken out of Debian's prometheus package,
# which is downloaded, never installed); the machine's apt sources are never
# changed (bullseye is read through a private apt configuration).
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

top=$XT_TOP
here=$top/tests/pkg
version=$(cat "$top/VERSION")
start=$(date +%s)

[ "$(id -u)" = 0 ] || xt_die "run as root: it installs packages and runs dkms"

# --- results ----------------------------------------------------------------
# shellcheck source=tests/checks.sh
. "$top/tests/checks.sh"
# has FILE REGEX / lacks FILE REGEX: FILE has (no) line matching REGEX.
has() {
	grep -Eq -- "$2" "$1"
}
lacks() {
	! grep -Eq -- "$2" "$1"
}
# fatal DESC [LOG]: a step the rest depends on failed: stop here.
fatal() {
	not_ok "$1"
	[ -z "${2:-}" ] || show "$2"
	exit 1
}

# --- machine state and its cleanup -------------------------------------------
work=$XT_CACHE/runs/pkg-$(date +%Y%m%d-%H%M%S)
mkdir -p "$work"
hdr_cache=$XT_CACHE/pkg/headers
marker=.xen-tmem-test
lm=/lib/modules
lm_created=
made_links=
mok_before=
[ -e /var/lib/dkms/mok.key ] && mok_before=yes

finish() {
	rc=$?
	set +e
	if dpkg-query -W -f='${Status}' xen-tmem-dkms 2>/dev/null | grep -q 'installed\|config-files'; then
		dpkg -P xen-tmem-dkms > "$work/cleanup-purge.log" 2>&1
	fi
	dkms_forget
	for l in $made_links; do
		rm -f "$l"
	done
	for d in "$lm"/*/"$marker"; do
		[ -e "$d" ] && rm -rf "${d%/"$marker"}"
	done
	[ -z "$lm_created" ] || rmdir "$lm" 2> /dev/null
	if [ -z "$mok_before" ] && [ -e /var/lib/dkms/mok.key ]; then
		rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	fi
	note "logs: $work"
	note "took $(($(date +%s) - start)) s"
	echo "$passed passed, $failed failed"
	[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && exit 0
	exit 1
}
trap finish EXIT
trap 'exit 130' INT TERM

# dkms_forget: take every version of xen-tmem out of DKMS.
dkms_forget() {
	for _v in $(dkms status -m xen-tmem 2> /dev/null |
		sed -n 's|^xen-tmem[/,] *\([^,:]*\).*|\1|p' | sort -u); do
		dkms remove -m xen-tmem -v "$_v" --all > /dev/null 2>&1
		rm -rf "/var/lib/dkms/xen-tmem/$_v"
	done
}

# link_build KVER DIR: point /lib/modules/KVER/build at DIR until exit.
link_build() {
	_d=$lm/$1
	if [ -L "$_d/build" ] || [ -e "$_d/build" ]; then
		[ "$(readlink "$_d/build")" = "$2" ] ||
			note "$1: using the headers installed on this machine ($(readlink "$_d/build"))"
		return 0
	fi
	if [ ! -d "$lm" ]; then
		mkdir -p "$lm"
		lm_created=yes
	fi
	if [ ! -d "$_d" ]; then
		mkdir -p "$_d"
		: > "$_d/$marker"
	else
		made_links="$made_links $_d/build"
	fi
	ln -s "$2" "$_d/build"
}

# --- host tools -------------------------------------------------------------------
"$top/tests/setup-host.sh"
need=
for p in dkms dh-dkms debhelper dpkg-dev rpm rpm2cpio lintian fakeroot; do
	dpkg-query -W -f='${Status}\n' "$p" 2> /dev/null |
		grep -q '^install ok installed$' || need="$need $p"
done
if [ -n "$need" ]; then
	note "installing:$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# No Recommends: dkms would pull in the machine's kernel headers.
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need > "$work/apt.log" 2>&1 ||
		fatal "apt-get install$need" "$work/apt.log"
fi
note "dkms $(dkms --version 2>&1 | sed 's/^dkms-//'), $(rpmbuild --version)"

kdir=$(sh "$top/tests/qemu/kernel.sh") || fatal "tests/qemu/kernel.sh"
kver=$(cat "$kdir/include/config/kernel.release")

# Leftovers of an earlier (interrupted) run or a manual dkms add.
if dpkg-query -W -f='${Status}' xen-tmem-dkms 2> /dev/null | grep -q 'installed\|config-files'; then
	note "purging the xen-tmem-dkms that was installed before"
	dpkg -P xen-tmem-dkms > "$work/pre-purge.log" 2>&1
fi
dkms_forget
for m in "$lm"/*/"$marker"; do
	[ -e "$m" ] && rm -rf "${m%/"$marker"}"
done

# --- shell scripts -------------------------------------------------------------------
check "shellcheck: tools and tests/pkg" shellcheck -x \
	"$top/tools/xen-tmem-stat" "$top/tools/mkpkg.sh" \
	"$top/tools/install-dkms-source.sh" "$here"/*.sh \
	"$here/guest/workload.sh" "$here"/scenarios/*.sh

# --- the .deb ---------------------------------------------------------------------
t0=$(date +%s)
run "$work/deb-build.log" sh "$top/tools/mkpkg.sh" deb "$work/pkg"
deb=$work/pkg/deb/xen-tmem-dkms_${version}_all.deb
if [ "$rc" != 0 ] || [ ! -r "$deb" ]; then
	fatal "build the .deb (tools/mkpkg.sh deb)" "$work/deb-build.log"
fi
ok "build the .deb: $(basename "$deb") ($(($(date +%s) - t0)) s)"

check_eq ".deb: version is VERSION" "$version" "$(dpkg-deb -f "$deb" Version)"
check_eq ".deb: Architecture all" all "$(dpkg-deb -f "$deb" Architecture)"
check_eq ".deb: Depends" dkms "$(dpkg-deb -f "$deb" Depends)"
check_eq ".deb: Recommends" "linux-headers-amd64 | linux-headers-generic | linux-headers" \
	"$(dpkg-deb -f "$deb" Recommends)"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./||' > "$work/deb-files.txt"
src_top=$(sed -n "s|^usr/src/xen-tmem-$version/\([^/][^/]*\).*|\1|p" "$work/deb-files.txt" |
	sort -u | tr '\n' ' ')
check_eq ".deb: /usr/src/xen-tmem-$version holds only what DKMS builds" \
	"Kbuild Makefile VERSION dkms.conf include src " "$src_top"
missing=
for f in $(cd "$top" && ls src/*.c src/*.h src/probe.sh include/xen-tmem/*.h); do
	[ "$f" = src/config.h ] && continue
	grep -qx "usr/src/xen-tmem-$version/$f" "$work/deb-files.txt" || missing="$missing $f"
done
check_eq ".deb: every source file is shipped" "" "$missing"
check ".deb: no tests, packaging or build artefacts in /usr/src" lacks "$work/deb-files.txt" \
	'^usr/src/.*(/tests/|/debian/|/rpm/|\.o$|\.ko$|/config\.h$)'

units="xen-tmem-stat-prometheus.service xen-tmem-stat-prometheus.timer"
for f in usr/bin/xen-tmem-stat usr/share/man/man1/xen-tmem-stat.1.gz \
	etc/modprobe.d/xen-tmem.conf etc/modules-load.d/xen-tmem.conf \
	lib/systemd/system/xen-tmem-stat-prometheus.service \
	lib/systemd/system/xen-tmem-stat-prometheus.timer; do
	check ".deb: ships /$f" grep -qx "$f" "$work/deb-files.txt"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles > "$work/deb-conffiles.txt"
check_eq ".deb: conffiles" "/etc/modprobe.d/xen-tmem.conf /etc/modules-load.d/xen-tmem.conf" \
	"$(sort "$work/deb-conffiles.txt" | tr '\n' ' ' | sed 's/ $//')"
rm -rf "$work/deb-root"
dpkg-deb -x "$deb" "$work/deb-root"
mp=$work/deb-root/etc/modprobe.d/xen-tmem.conf
for p in pool_flags shared_uuid enabled; do
	check ".deb: modprobe.d example of $p" \
		has "$mp" "^#options xen_tmem $p="
done
check ".deb: modprobe.d mentions transport, as test-only" \
	has "$mp" "^# project's tests only"
check ".deb: modules-load.d entry shipped commented out" \
	has "$work/deb-root/etc/modules-load.d/xen-tmem.conf" '^#xen_tmem$'
check ".deb: modules-load.d loads nothing as shipped" \
	lacks "$work/deb-root/etc/modules-load.d/xen-tmem.conf" '^[^#]'
check ".deb: modprobe.d sets nothing as shipped" lacks "$mp" '^[^#]'
for u in $units; do
	check ".deb: $u is tools/systemd's" \
		cmp "$top/tools/systemd/$u" "$work/deb-root/lib/systemd/system/$u"
done
check ".deb: the service writes into Debian's node exporter folder" \
	has "$work/deb-root/lib/systemd/system/xen-tmem-stat-prometheus.service" \
	'^Environment=XEN_TMEM_PROM_FILE=/var/lib/prometheus/node-exporter/xen_tmem\.prom$'
rm -rf "$work/deb-ctrl"
dpkg-deb -e "$deb" "$work/deb-ctrl"
cat "$work"/deb-ctrl/*inst "$work"/deb-ctrl/*rm > "$work/deb-scripts.txt"
check ".deb: no maintainer script enables or starts the timer" lacks "$work/deb-scripts.txt" \
	'deb-systemd-invoke +(start|restart)|systemctl .*(start|enable)'
check ".deb: the postinst enables the timer again only when it was enabled" \
	has "$work/deb-ctrl/postinst" "deb-systemd-helper --quiet was-enabled 'xen-tmem-stat-prometheus\\.timer'"
check ".deb: the prerm stops the timer on remove" \
	has "$work/deb-ctrl/prerm" 'deb-systemd-invoke stop xen-tmem-stat-prometheus\.timer'

run "$work/lintian.log" lintian --pedantic -I -E \
	"$work/pkg/deb/xen-tmem_${version}_amd64.changes"
if [ "$rc" = 0 ] && ! grep -q '^[EWIPX]: ' "$work/lintian.log"; then
	ok "lintian --pedantic -I -E: clean (overrides in debian/xen-tmem-dkms.lintian-overrides)"
else
	not_ok "lintian --pedantic -I -E (exit $rc)"
	grep '^[EWIPX]: ' "$work/lintian.log" | sed 's/^/    # /'
fi

# debian/rules refuses a changelog that disagrees with VERSION.
bad=$work/bad-version
rm -rf "$bad"
mkdir -p "$bad"
cp -r "$top/debian" "$bad/"
echo 9.9.9 > "$bad/VERSION"
(cd "$bad" && run "$work/bad-version.log" debian/rules clean)
check "debian/rules refuses a changelog that is not VERSION" \
	has "$work/bad-version.log" 'but VERSION has 9\.9\.9'

rm -rf "$bad"

# --- install ----------------------------------------------------------------------
run "$work/dpkg-i.log" dpkg -i "$deb"
[ "$rc" = 0 ] || fatal "dpkg -i $(basename "$deb")" "$work/dpkg-i.log"
ok "dpkg -i $(basename "$deb")"
dkms status -m xen-tmem > "$work/status-after-install.txt" 2>&1
check "dkms status: xen-tmem/$version added" \
	has "$work/status-after-install.txt" "^xen-tmem/${version}[:,]"
note "dkms status after dpkg -i: $(cat "$work/status-after-install.txt")"
check "/usr/src/xen-tmem-$version/dkms.conf installed" test -r "/usr/src/xen-tmem-$version/dkms.conf"

# The timer and its service, installed: off, and valid for systemd.
if command -v systemctl > /dev/null; then
	check_eq "dpkg -i: the timer is not enabled" disabled \
		"$(systemctl is-enabled xen-tmem-stat-prometheus.timer 2>&1)"
	check_eq "dpkg -i: the service is only started by the timer" static \
		"$(systemctl is-enabled xen-tmem-stat-prometheus.service 2>&1)"
else
	note "skipped: systemctl is-enabled: no systemctl on this machine"
fi
check "dpkg -i: no link enables the timer" \
	test -z "$(ls /etc/systemd/system/*.wants/xen-tmem-stat-prometheus.* 2> /dev/null)"
if command -v systemd-analyze > /dev/null; then
	# It checks that man:xen-tmem-stat(1) opens, with man.
	man_opt=--man=no
	command -v man > /dev/null && man_opt=--man=yes
	check_quiet "systemd-analyze verify $man_opt: the installed service and timer" \
		"$work/systemd-analyze.log" systemd-analyze verify "$man_opt" \
		/lib/systemd/system/xen-tmem-stat-prometheus.service \
		/lib/systemd/system/xen-tmem-stat-prometheus.timer
else
	note "skipped: systemd-analyze verify: no systemd-analyze on this machine"
fi

# --- DKMS build and install for the cleancache test kernel -------------------------------
link_build "$kver" "$kdir"
ko=$lm/$kver/updates/dkms/xen_tmem.ko
t0=$(date +%s)
run "$work/dkms-build-$kver.log" dkms build -m xen-tmem -v "$version" -k "$kver"
check_eq "dkms build -k $kver ($(($(date +%s) - t0)) s)" 0 "$rc"
[ "$rc" = 0 ] || show "$work/dkms-build-$kver.log"
run "$work/dkms-install-$kver.log" dkms install -m xen-tmem -v "$version" -k "$kver"
check_eq "dkms install -k $kver" 0 "$rc"
[ -r "$ko" ] || fatal "the module is installed as $ko" "$work/dkms-install-$kver.log"
ok "the module is installed as $ko"
installed="^xen-tmem/$version, $kver, [^:]*: installed"
dkms status -m xen-tmem > "$work/status.txt" 2>&1
check "dkms status: installed on $kver" has "$work/status.txt" "$installed"

# modinfo of the DKMS-built module.
modinfo "$ko" > "$work/modinfo.txt"
check_eq "modinfo: version is VERSION" "$version" "$(modinfo -F version "$ko")"
check_eq "modinfo: license" GPL "$(modinfo -F license "$ko")"
check "modinfo: vermagic $kver" has "$work/modinfo.txt" "^vermagic: +$kver "
for p in pool_flags shared_uuid transport enabled; do
	check "modinfo: parameter $p has a description" \
		has "$work/modinfo.txt" "^parm: +$p:.{20,}"
done

# A kernel upgrade rebuilds it: take it off the kernel, run the hook.
run "$work/dkms-unbuild-$kver.log" dkms unbuild -m xen-tmem -v "$version" -k "$kver"
check_eq "dkms unbuild -k $kver" 0 "$rc"
check "dkms unbuild -k $kver: module gone" test ! -e "$ko"
run "$work/postinst-$kver.log" /etc/kernel/postinst.d/dkms "$kver"
check_eq "/etc/kernel/postinst.d/dkms $kver: exit status" 0 "$rc"
check "/etc/kernel/postinst.d/dkms $kver: autoinstalled again" test -r "$ko"

# --- boot the test kernel with the DKMS-built module ---------------------------------------
# tests/emu includes ../../include: copy both.
rm -rf "$work/emu-tree"
mkdir -p "$work/emu-tree/tests"
cp -r "$top/include" "$work/emu-tree/"
cp -r "$top/tests/emu" "$work/emu-tree/tests/"
emu=$work/emu-tree/tests/emu
run "$work/emu-build.log" sh "$top/tests/qemu/build-module.sh" "$kdir" "$emu"
[ "$rc" = 0 ] || fatal "build xen_tmem_emu" "$work/emu-build.log"
root=$work/guest-root
rm -rf "$root"
mkdir -p "$root/lib/modules/$kver/updates/dkms" "$root/lib/modules/$kver/extra" \
	"$root/etc/modprobe.d"
cp "$ko" "$root/lib/modules/$kver/updates/dkms/"
cp "$emu/xen_tmem_emu.ko" "$root/lib/modules/$kver/extra/"
run "$work/depmod.log" depmod -b "$root" "$kver"
[ "$rc" = 0 ] || fatal "depmod -b $root $kver" "$work/depmod.log"
{
	cat /etc/modprobe.d/xen-tmem.conf
	echo "# Added by tests/pkg/run.sh:"
	echo "options xen_tmem transport=emulated pool_flags=none"
} > "$root/etc/modprobe.d/xen-tmem.conf"
cp "$top/VERSION" "$work/VERSION"
run "$work/boot-modprobe.log" sh "$here/boot.sh" --root "$root" --work "$work/modprobe" \
	"$here/scenarios/modprobe.sh" "$here/guest/workload.sh" "$work/VERSION"
check "guest: modprobe the DKMS-built module with modprobe.d options, hits: $(grep -E '^(PASS|FAIL) ' "$work/boot-modprobe.log")" \
	test "$rc" = 0
[ "$rc" = 0 ] || show "$work/boot-modprobe.log"

run "$work/boot-stat.log" sh "$here/boot.sh" --work "$work/stat" \
	"$here/scenarios/stat.sh" "$ko" "$emu/xen_tmem_emu.ko" \
	"$top/tools/xen-tmem-stat" "$here/guest/workload.sh"
check "guest: xen-tmem-stat against the live module: $(grep -E '^(PASS|FAIL) ' "$work/boot-stat.log")" \
	test "$rc" = 0
[ "$rc" = 0 ] || show "$work/boot-stat.log"

# The guest printed its --prometheus outputs (without the module, fake
# trees, the live module) between PROM-BEGIN NAME and PROM-END NAME
# lines=N; Prometheus's own promtool checks each. Any output of it, a lint
# warning too, is a failure.
promtool=$(sh "$here/fetch-promtool.sh" "$XT_CACHE/pkg" 2> "$work/promtool-fetch.log") || promtool=
if [ -z "$promtool" ]; then
	note "skipped: promtool check metrics: apt could not get Debian's prometheus package: $(tail -n 1 "$work/promtool-fetch.log")"
else
	note "promtool: $("$promtool" --version 2>&1 | head -n 1) ($(cat "$(dirname "$promtool")/../../.extracted"))"
	tr -d '\r' < "$work/stat/serial.log" > "$work/stat-serial.txt"
	for name in nomod fake gone live; do
		expo=$work/prom-$name.txt
		sed -n "/PROM-BEGIN $name\$/,/PROM-END $name lines=/p" "$work/stat-serial.txt" |
			sed -n 's/^PROM| //p' > "$expo"
		want=$(sed -n "s/^.*PROM-END $name lines=\([0-9]*\)\$/\1/p" "$work/stat-serial.txt")
		if [ -z "$want" ] || [ "$(wc -l < "$expo")" != "$want" ]; then
			not_ok "promtool check metrics: the '$name' exposition: not whole in the guest log ($(wc -l < "$expo") lines of '$want')"
			continue
		fi
		# shellcheck disable=SC2016 # for the inner sh
		check_quiet "promtool check metrics: the '$name' exposition ($want lines): clean" \
			"$work/promtool-$name.log" \
			sh -c '"$1" check metrics < "$2"' sh "$promtool" "$expo"
	done
fi

# --- kernels without cleancache: skipped, never failed -------------------------------
for suite in bullseye bookworm; do
	t0=$(date +%s)
	hdir=$(sh "$here/fetch-headers.sh" "$suite" "$hdr_cache" 2> "$work/headers-$suite.log") ||
		fatal "fetch the $suite linux-headers" "$work/headers-$suite.log"
	k=$(basename "$hdir")
	k=${k#linux-headers-}
	note "$suite headers: $k ($(($(date +%s) - t0)) s)"
	check "$k: its .config has no CONFIG_CLEANCACHE=y" \
		lacks "$hdir/.config" '^CONFIG_CLEANCACHE=y'

	link_build "$k" "$hdir"
	msg="xen-tmem: skipped for kernel $k: no CONFIG_CLEANCACHE=y in its config"

	run "$work/dkms-build-$k.log" dkms build -m xen-tmem -v "$version" -k "$k"
	check_eq "$k: dkms build exits 77 (skipped)" 77 "$rc"
	check "$k: dkms build says why" grep -qF "$msg" "$work/dkms-build-$k.log"
	run "$work/dkms-install-$k.log" dkms install -m xen-tmem -v "$version" -k "$k"
	check_eq "$k: dkms install exits 77 (skipped)" 77 "$rc"
	run "$work/dkms-autoinstall-$k.log" dkms autoinstall -k "$k"
	check_eq "$k: dkms autoinstall exits 0" 0 "$rc"
	check "$k: dkms autoinstall says why" grep -qF "$msg" "$work/dkms-autoinstall-$k.log"
	for hook in /etc/kernel/postinst.d/dkms /etc/kernel/header_postinst.d/dkms; do
		run "$work/hook-$(basename "$(dirname "$hook")")-$k.log" "$hook" "$k"
		check_eq "$k: $hook $k exits 0 (a kernel upgrade is not blocked)" 0 "$rc"
	done
	dkms status -m xen-tmem > "$work/status-$k.txt" 2>&1
	check "$k: nothing recorded for it in DKMS" lacks "$work/status-$k.txt" ", $k,"
	check "$k: nothing installed for it" test ! -e "$lm/$k/updates/dkms/xen_tmem.ko"
	note "$k skip: $(grep -m 1 -F "$msg" "$work/dkms-build-$k.log")"

	# Belt and braces: were it built anyway (a dkms that ignores
	# BUILD_EXCLUSIVE), the source builds a stub; no failed build.
	stub=$work/stub-$k
	rm -rf "$stub"
	sh "$top/tools/install-dkms-source.sh" "$stub"
	# The bullseye headers name gcc-10 (.kernelvariables); bookworm has gcc 12.
	run "$work/stub-$k.log" make -C "$hdir" M="$stub" CC=gcc -j"$JOBS" modules
	check_eq "$k: the source still builds (the stub that refuses to load)" 0 "$rc"
	[ "$rc" = 0 ] || show "$work/stub-$k.log"
	check_eq "$k: stub vermagic" "$k" \
		"$(modinfo -F vermagic "$stub/xen_tmem.ko" 2>&1 | cut -d' ' -f1)"
	[ "$rc" != 0 ] || rm -rf "$stub"
done
dkms status -m xen-tmem > "$work/status.txt" 2>&1
check "dkms status: still installed on $kver" has "$work/status.txt" "$installed"

# The package's own postinst (what "apt install" runs) with every kernel
# above present: it builds for all of them (autoinstall_all_kernels makes
# that the same on every machine), skips the two without cleancache.
run "$work/reconfigure.log" env autoinstall_all_kernels=1 \
	dpkg-reconfigure -fnoninteractive xen-tmem-dkms
check_eq "dpkg-reconfigure xen-tmem-dkms (postinst, all kernels): exit 0" 0 "$rc"
check "postinst: 'Skipped.' for the kernels without cleancache" \
	test "$(grep -c '^Skipped\.$' "$work/reconfigure.log")" -ge 2
dkms status -m xen-tmem > "$work/status.txt" 2>&1
check "postinst: installed on $kver" has "$work/status.txt" "$installed"
note "dkms status after the postinst: $(tr '\n' ';' < "$work/status.txt")"

# --- remove and purge ----------------------------------------------------------------
run "$work/dpkg-r.log" dpkg -r xen-tmem-dkms
check_eq "dpkg -r xen-tmem-dkms" 0 "$rc"
check_eq "dpkg -r: gone from DKMS" "" "$(dkms status -m xen-tmem 2>&1)"
check "dpkg -r: module gone from $lm/$kver" test ! -e "$ko"
check "dpkg -r: /usr/src/xen-tmem-$version gone" test ! -e "/usr/src/xen-tmem-$version"
check "dpkg -r: the timer and its service gone" \
	test -z "$(ls /lib/systemd/system/xen-tmem-stat-prometheus.* 2> /dev/null)"
check "dpkg -r: conffile /etc/modprobe.d/xen-tmem.conf kept" test -e /etc/modprobe.d/xen-tmem.conf
check_eq "dpkg -r: package state" "deinstall ok config-files" \
	"$(dpkg-query -W -f='${Status}' xen-tmem-dkms 2>&1)"
run "$work/dpkg-p.log" dpkg -P xen-tmem-dkms
check_eq "dpkg -P xen-tmem-dkms" 0 "$rc"
check "dpkg -P: /etc/modprobe.d/xen-tmem.conf gone" test ! -e /etc/modprobe.d/xen-tmem.conf
check "dpkg -P: /etc/modules-load.d/xen-tmem.conf gone" test ! -e /etc/modules-load.d/xen-tmem.conf
check_eq "dpkg -P: package state" "" "$(dpkg-query -W -f='${Status}' xen-tmem-dkms 2> /dev/null)"

# --- the .rpm ------------------------------------------------------------------------
t0=$(date +%s)
run "$work/rpm-build.log" sh "$top/tools/mkpkg.sh" rpm "$work/pkg"
rpmf=$work/pkg/rpm/RPMS/noarch/xen-tmem-dkms-$version-1.noarch.rpm
if [ "$rc" != 0 ] || [ ! -r "$rpmf" ]; then
	fatal "build the .rpm (tools/mkpkg.sh rpm)" "$work/rpm-build.log"
fi
ok "build the .rpm: $(basename "$rpmf") ($(($(date +%s) - t0)) s)"
check_eq ".rpm: version is VERSION" "$version" "$(rpm -qp --qf '%{VERSION}' "$rpmf")"
check_eq ".rpm: noarch" noarch "$(rpm -qp --qf '%{ARCH}' "$rpmf")"
rpm -qp --qf '[%{FILEMODES:perms} %{FILENAMES}\n]' "$rpmf" > "$work/rpm-files.txt"
src_top=$(sed -n "s|^.* /usr/src/xen-tmem-$version/\([^/][^/]*\).*|\1|p" "$work/rpm-files.txt" |
	sort -u | tr '\n' ' ')
check_eq ".rpm: /usr/src/xen-tmem-$version holds only what DKMS builds" \
	"Kbuild Makefile VERSION dkms.conf include src " "$src_top"
check_eq ".rpm: the same /usr/src files as the .deb" \
	"$(grep '^usr/src/.*[^/]$' "$work/deb-files.txt" | sort)" \
	"$(sed -n 's|^-[^ ]* /\(usr/src/.*\)|\1|p' "$work/rpm-files.txt" | sort)"
for f in /usr/bin/xen-tmem-stat /usr/share/man/man1/xen-tmem-stat.1 \
	/usr/lib/systemd/system/xen-tmem-stat-prometheus.service \
	/usr/lib/systemd/system/xen-tmem-stat-prometheus.timer; do
	check ".rpm: ships $f" has "$work/rpm-files.txt" "^-[^ ]* $f\$"
done
rm -rf "$work/rpm-root"
mkdir -p "$work/rpm-root"
(cd "$work/rpm-root" && rpm2cpio "$rpmf" | cpio -idm --quiet)
ru=$work/rpm-root/usr/lib/systemd/system
check ".rpm: the timer is tools/systemd's" \
	cmp "$top/tools/systemd/xen-tmem-stat-prometheus.timer" "$ru/xen-tmem-stat-prometheus.timer"
check_eq ".rpm: the service is tools/systemd's but for the node exporter folder" \
	"Environment=XEN_TMEM_PROM_FILE=/var/lib/node_exporter/textfile_collector/xen_tmem.prom" \
	"$(diff "$top/tools/systemd/xen-tmem-stat-prometheus.service" \
		"$ru/xen-tmem-stat-prometheus.service" | sed -n 's/^> //p')"
rpm -qp --scripts "$rpmf" > "$work/rpm-scripts.txt"
check ".rpm: no scriptlet enables or starts the timer (no systemd macros in this rpmbuild)" \
	lacks "$work/rpm-scripts.txt" 'systemctl|systemd-update-helper'
rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpmf" |
	grep '^[a-z]*c[a-z]* ' > "$work/rpm-config.txt"
check_eq ".rpm: %config(noreplace) files" \
	"cn /etc/modprobe.d/xen-tmem.conf cn /etc/modules-load.d/xen-tmem.conf" \
	"$(sort -k2 "$work/rpm-config.txt" | tr '\n' ' ' | sed 's/ $//')"
rpm -qpR "$rpmf" > "$work/rpm-requires.txt"
check ".rpm: Requires dkms" has "$work/rpm-requires.txt" '^dkms$'
check_eq ".rpm: Recommends kernel-devel" kernel-devel "$(rpm -qp --recommends "$rpmf")"

# The scriptlets, run against a stub dkms that logs its arguments.
stubbin=$work/stub-bin
mkdir -p "$stubbin"
cat > "$stubbin/dkms" << 'EOF'
#!/bin/sh
echo "$*" >> "$DKMS_LOG"
case $1 in
status) printf 'xen-tmem/0.0.9, 5.10.223, x86_64: installed\nxen-tmem/0.1.0: added\n' ;;
build) exit "${DKMS_BUILD_RC:-0}" ;;
esac
EOF
chmod 755 "$stubbin/dkms"
# scriptlet TAG ARG [ENV=VAL]: run the RPM's TAG scriptlet with $1=ARG;
# prints the dkms calls, ';'-separated.
scriptlet() {
	: > "$work/dkms-calls.log"
	rpm -qp --qf "%{$1}" "$rpmf" > "$work/scriptlet-$1.sh"
	env PATH="$stubbin:$PATH" DKMS_LOG="$work/dkms-calls.log" ${3:+"$3"} \
		sh "$work/scriptlet-$1.sh" "$2" > /dev/null 2>&1 || echo "exit $?"
	tr '\n' ';' < "$work/dkms-calls.log"
}
check_eq ".rpm %pre, fresh install: no dkms call" "" "$(scriptlet PREIN 1)"
check_eq ".rpm %pre, upgrade: takes every version out of DKMS" \
	"status -m xen-tmem;remove -m xen-tmem -v 0.0.9 --all;remove -m xen-tmem -v 0.1.0 --all;" \
	"$(scriptlet PREIN 2)"
check_eq ".rpm %post: dkms add (--rpm_safe_upgrade), build, install" \
	"add -m xen-tmem -v $version --rpm_safe_upgrade;build -m xen-tmem -v $version;install -m xen-tmem -v $version;" \
	"$(scriptlet POSTIN 1)"
check_eq ".rpm %post, kernel without cleancache (build exit 77): no install, exit 0" \
	"add -m xen-tmem -v $version --rpm_safe_upgrade;build -m xen-tmem -v $version;" \
	"$(scriptlet POSTIN 1 DKMS_BUILD_RC=77)"
check_eq ".rpm %preun, upgrade (\$1 = 1): the new build stays" "" "$(scriptlet PREUN 1)"
check_eq ".rpm %preun, erase (\$1 = 0): dkms remove" \
	"remove -m xen-tmem -v $version --all --rpm_safe_upgrade;" "$(scriptlet PREUN 0)"
