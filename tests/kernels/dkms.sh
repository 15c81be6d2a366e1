#!/bin/sh
# DKMS builds of xen-tmem for the kernels users run, each with the dkms
# release its distribution ships, and the skip path with every dkms
# release; as root on Debian 12. See tests/kernels/README.md.
#
# usage: tests/kernels/dkms.sh
#
# XT_KERNELS   the kernel folders (default ../shared/kernels next to the
#              repository), each with a linux-headers-*.deb
# XT_DKMS_DIR  the dkms release tarballs (default ../shared/dkms)
#
# Prints one "ok - ..." or "not ok - ..." line per check and ends with
# "N passed, M failed"; exit status 0 only when nothing failed, 77 (after
# one "skipped:" line) when there are no kernels. Nothing is installed on
# the machine: headers are unpacked into $XEN_TMEM_CACHE/kernels/headers/,
# each dkms runs from its own folder under the run folder
# ($XEN_TMEM_CACHE/runs/kernels-<time>/) with its own trees.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../checks.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/expect.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/boot.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/guard.sh"

top=$XT_TOP
here=$top/tests/kernels
kernels=${XT_KERNELS:-$top/../shared/kernels}
dkms_dir=${XT_DKMS_DIR:-$top/../shared/dkms}
version=$(cat "$top/VERSION")
start=$(date +%s)

set --
for d in "$kernels"/*/; do
	for deb in "$d"linux-headers-*.deb; do
		[ -r "$deb" ] && set -- "$@" "${d%/}"
		break
	done
done
if [ $# -eq 0 ]; then
	echo "skipped: no kernel folders with a linux-headers-*.deb in $kernels (issue 11 describes them; set XT_KERNELS=DIR to point elsewhere)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 77
fi
[ "$(id -u)" = 0 ] || xt_die "run as root: dkms wants root"
"$top/tests/setup-host.sh"

xt_work_dir kernels-
hdr_cache=$XT_CACHE/kernels/headers
finish() {
	_rc=$?
	note "logs: $work"
	note "took $(($(date +%s) - start)) s"
	echo "$passed passed, $failed failed"
	[ "$_rc" -eq 0 ] && [ "$failed" -eq 0 ] && exit 0
	exit 1
}
trap finish EXIT
trap 'exit 130' INT TERM

# Installing, dkms 2.8.x loads modules for the machine's devices
# (modprobe -a of every modalias) and restarts systemd-modules-load:
# harmless for a kernel the machine does not run, but not this test's
# business; these stand-ins log the calls instead. A make in front of the
# real one keeps a copy of the src/config.h the module's build wrote
# ($XT_CONFIG_COPY), as dkms removes its build folder afterwards.
stubs=$work/stub-bin
mkdir -p "$stubs"
for c in modprobe systemctl; do
	printf '#!/bin/sh\necho "%s $*" >> "%s/stub-calls.log"\n' "$c" "$work" > "$stubs/$c"
	chmod 755 "$stubs/$c"
done
real_make=$(command -v make)
cat > "$stubs/make" << EOF
#!/bin/sh
rc=0
"$real_make" "\$@" || rc=\$?
for a; do
	case \$a in
	clean) exit "\$rc" ;;
	M=*) m=\${a#M=} ;;
	esac
done
[ -z "\${m:-}" ] || [ -z "\${XT_CONFIG_COPY:-}" ] || [ ! -r "\$m/src/config.h" ] ||
	cp "\$m/src/config.h" "\$XT_CONFIG_COPY"
exit "\$rc"
EOF
chmod 755 "$stubs/make"

# System state that must stay as it was.
sys_before=$(ls -d /var/lib/dkms/xen-tmem /usr/src/xen-tmem-* /lib/modules/*/updates/dkms/xen_tmem.ko 2> /dev/null || true)

# private RELEASE NAME: a dkms RELEASE of its own in $work/NAME, with the
# module's source put where the package puts it ($p/usr/src/xen-tmem-V,
# tools/install-dkms-source.sh, as debian/rules and rpm/xen-tmem.spec do).
# Sets p and dkms_bin.
private() {
	p=$work/$2
	rm -rf "$p"
	mkdir -p "$p/var/lib/dkms" "$p/usr/src" "$p/lib/modules"
	dkms_bin=$(sh "$here/dkms-release.sh" "$dkms_dir/dkms-$1.tar.gz" "$p/dkms")
	sh "$top/tools/install-dkms-source.sh" "$p/usr/src/xen-tmem-$version"
	_rel=$1
}

# dkms_run ACTION [ARGS]: the private dkms with its own trees. With
# --kernelsourcedir (set $ksrc), dkms 2.8.x would "prepare" (make mrproper,
# oldconfig, prepare-all) and afterwards clean that tree; for a
# /lib/modules/<kernel>/build symlink, what users have, it does neither,
# and --no-prepare-kernel --no-clean-kernel say the same here. --no-depmod:
# the private install tree is no place for the machine's depmod.
dkms_run() {
	_a=$1
	shift
	set -- "$_a" "$@" --dkmstree "$p/var/lib/dkms" --sourcetree "$p/usr/src" \
		--installtree "$p/lib/modules"
	[ -z "${ksrc:-}" ] || set -- "$@" --kernelsourcedir "$ksrc"
	case $_rel in
	2.*) set -- "$@" --no-prepare-kernel --no-clean-kernel ;;
	esac
	case $_a in
	install) set -- "$@" --no-depmod ;;
	esac
	PATH=$stubs:$PATH XT_DKMS_PATH=$stubs XT_CONFIG_COPY=$p/config.h \
		bash "$dkms_bin" "$@"
}

# boot_ko FOLDER: "FOLDER HDIR KREL KO" of its first clean dkms build.
boot_ko() {
	grep "^$1 " "$work/built.txt" 2> /dev/null | head -n 1
}

# lacks FILE REGEX: no line of FILE matches.
lacks() {
	! grep -Eq -- "$2" "$1"
}

# nothing_for KERNEL: the private dkms has no build of it, and no module
# was installed.
nothing_for() {
	! grep -qF ", $1," "$p/status.log" &&
		! ls "$p"/lib/modules/*/updates/dkms/xen_tmem.ko > /dev/null 2>&1
}

# krelease HDIR: the kernel release string of a headers tree (uname -r,
# the start of vermagic): UTS_RELEASE, as Debian's include/config/
# kernel.release is the upstream version (6.1.192, not 6.1.0-57-amd64).
krelease() {
	_u=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h" 2> /dev/null)
	[ -n "$_u" ] || _u=$(cat "$1/include/config/kernel.release")
	echo "$_u"
}

# build_with FOLDER HDIR KREL RELEASE: add, build and install with RELEASE
# as the package's postinst does (rpm/xen-tmem.spec %post, dh_dkms), then
# check what the user sees and what was built.
build_with() {
	_k=$1
	_t="$1, dkms $4"
	private "$4" "$1-dkms-$4"
	ksrc=$2
	mkdir -p "$p/lib/modules/$3"
	ln -s "$2" "$p/lib/modules/$3/build"
	run "$p/add.log" dkms_run add -m xen-tmem -v "$version"
	check_eq "$_t: dkms add exits 0" 0 "$rc"
	[ "$rc" = 0 ] || show "$p/add.log"
	_t0=$(date +%s)
	run "$p/build.log" dkms_run build -m xen-tmem -v "$version" -k "$3" -j 2
	check_eq "$_t: dkms build -k $3 exits 0 ($(($(date +%s) - _t0)) s)" 0 "$rc"
	[ "$rc" = 0 ] || show "$p/build.log" 40
	run "$p/install.log" dkms_run install -m xen-tmem -v "$version" -k "$3"
	check_eq "$_t: dkms install -k $3 exits 0" 0 "$rc"
	[ "$rc" = 0 ] || show "$p/install.log"
	run "$p/status.log" dkms_run status -m xen-tmem
	check_eq "$_t: dkms status" "$(status_line "$4" "$3" "$version")" "$(cat "$p/status.log")"

	_ko=$p/lib/modules/$3/updates/dkms/xen_tmem.ko
	if [ -r "$_ko" ]; then
		_vm=$(modinfo -F vermagic "$_ko")
		case $_vm in
		"$3 "*) ok "$_t: installed xen_tmem.ko, vermagic '$_vm'" ;;
		*) not_ok "$_t: vermagic '$_vm' does not start with '$3 '" ;;
		esac
		check_eq "$_t: modinfo version" "$version" "$(modinfo -F version "$_ko")"
	else
		not_ok "$_t: no $_ko"
	fi

	_log=$p/var/lib/dkms/xen-tmem/$version/$3/x86_64/log/make.log
	if [ -r "$_log" ]; then
		grep -i -e 'warning' -e 'undefined!' "$_log" > "$p/warnings.txt" || true
		_n=$(grep -c . "$p/warnings.txt" || true)
		check_eq "$_t: no compiler or modpost warning in make.log" 0 "$_n"
		[ "$_n" = 0 ] || show "$p/warnings.txt" 30
	else
		not_ok "$_t: no make.log at $_log"
	fi

	# The config.h the DKMS build's probes wrote, against expect.sh.
	_cfg=$p/config.h
	if [ -r "$_cfg" ]; then
		check_eq "$_t: feature probes chose the expected era (src/config.h)" \
			"$(kernel_config "$_k" | tr '\n' ' ')" \
			"$(grep '^#define HAVE_' "$_cfg" | LC_ALL=C sort | tr '\n' ' ')"
	else
		not_ok "$_t: the build wrote no src/config.h"
	fi
	_ch=$(sh "$here/untouched.sh" "$2" 2>&1) && _crc=0 || _crc=$?
	check_eq "$_t: the headers tree is left as unpacked" 0 "$_crc"
	[ "$_crc" = 0 ] || printf '%s\n' "$_ch" | sed 's/^/    # /'
	ksrc=
}

# --- each kernel with its distribution's dkms ------------------------------------
note "kernels: $kernels; dkms releases: $dkms_dir"
results=
for kd in "$@"; do
	k=$(basename "$kd")
	rels=$(kernel_dkms "$k")
	if [ -z "$rels" ] || [ -z "$(kernel_config "$k")" ]; then
		not_ok "$k: no dkms release or expected probe answers for it in tests/kernels/expect.sh"
		continue
	fi
	hdir=$(sh "$here/unpack.sh" "$kd"/linux-headers-*.deb "$hdr_cache" "usr/src/linux-headers-*" 2> "$work/headers-$k.log") || {
		not_ok "$k: unpack its linux-headers .deb"
		show "$work/headers-$k.log"
		continue
	}
	krel=$(krelease "$hdir")
	note "$k: kernel release '$krel', headers $hdir"
	for r in $rels; do
		if [ ! -r "$dkms_dir/dkms-$r.tar.gz" ]; then
			not_ok "$k, dkms $r: no $dkms_dir/dkms-$r.tar.gz"
			continue
		fi
		f0=$failed
		build_with "$k" "$hdir" "$krel" "$r"
		if [ "$failed" = "$f0" ]; then
			results="$results$k $r built-clean
"
			# The first release's module is the one booted.
			[ -n "$(boot_ko "$k")" ] ||
				echo "$k $hdir $krel $p/lib/modules/$krel/updates/dkms/xen_tmem.ko" >> "$work/built.txt"
		else
			results="$results$k $r FAILED
"
		fi
	done
	guard_compiles "$k" "$hdir"
done

# --- the skip path: every dkms release, a kernel without cleancache --------------------
t0=$(date +%s)
shdir=$(sh "$top/tests/pkg/fetch-headers.sh" bookworm "$XT_CACHE/pkg/headers" 2> "$work/headers-bookworm.log") || {
	not_ok "fetch Debian 12's linux-headers (tests/pkg/fetch-headers.sh bookworm)"
	show "$work/headers-bookworm.log"
	exit 1
}
sk=$(krelease "$shdir")
note "kernel without cleancache: Debian 12's $sk ($(($(date +%s) - t0)) s)"
check "$sk: its .config has no CONFIG_CLEANCACHE=y" \
	lacks "$shdir/.config" '^CONFIG_CLEANCACHE=y'
msg="xen-tmem: skipped for kernel $sk: no CONFIG_CLEANCACHE=y in its config"
table=
for tb in "$dkms_dir"/dkms-*.tar.gz; do
	r=$(basename "$tb" .tar.gz)
	r=${r#dkms-}
	_t="$sk, dkms $r"
	private "$r" "skip-dkms-$r"
	ksrc=$shdir
	run "$p/add.log" dkms_run add -m xen-tmem -v "$version"
	check_eq "$_t: dkms add exits 0" 0 "$rc"
	want=$(skip_rc "$r")
	run "$p/build.log" dkms_run build -m xen-tmem -v "$version" -k "$sk"
	b_rc=$rc
	check_eq "$_t: dkms build exits $want, what its package postinst reports as 'Skipped.'" "$want" "$b_rc"
	check "$_t: dkms build says why" grep -qF "$msg" "$p/build.log"
	b_msg="$(grep -o -m 1 '^\(Error!\|Warning:\)' "$p/build.log" || true) $(tr '\n' ' ' < "$p/build.log" |
		grep -o 'BUILD_EXCLUSIVE directive *which does not match this [a-z/]*' || true)"
	# What the kernel's postinst hooks run: /etc/kernel/postinst.d/dkms
	# (Debian, Ubuntu; also RHEL's kernel-install hook of 2.8.7-3.0.x)
	# execs dkms_autoinstaller, which exits with the status of "dkms
	# autoinstall --kernelver K"; run-parts fails the kernel package on
	# anything but 0. From 3.1 the RHEL hook runs "dkms kernel_postinst
	# --kernelver K" (3.1.8 exits with its status; 3.2.2 always 0).
	run "$p/autoinstall.log" dkms_run autoinstall --kernelver "$sk"
	a_rc=$rc
	check_eq "$_t: dkms autoinstall exits 0 (a kernel upgrade is not blocked)" 0 "$a_rc"
	check "$_t: dkms autoinstall says why" grep -qF "$msg" "$p/autoinstall.log"
	kp_rc=-
	if grep -q '^kernel_postinst()' "$dkms_bin"; then
		run "$p/kernel_postinst.log" dkms_run kernel_postinst --kernelver "$sk"
		kp_rc=$rc
		check_eq "$_t: dkms kernel_postinst exits 0 (RHEL's kernel-install hook)" 0 "$kp_rc"
	fi
	run "$p/status.log" dkms_run status -m xen-tmem
	check "$_t: nothing built or installed for it" nothing_for "$sk"
	ksrc=
	table="$table| $r | build $b_rc | autoinstall $a_rc | kernel_postinst $kp_rc | $b_msg |
"
done

# --- nothing of it on the machine -------------------------------------------------------
sys_after=$(ls -d /var/lib/dkms/xen-tmem /usr/src/xen-tmem-* /lib/modules/*/updates/dkms/xen_tmem.ko 2> /dev/null || true)
check_eq "the machine's /var/lib/dkms, /usr/src and /lib/modules are as before" "$sys_before" "$sys_after"
if [ -r "$work/stub-calls.log" ]; then
	note "dkms's calls to modprobe and systemctl, not run: $(sort -u "$work/stub-calls.log" | cut -c1-60 | tr '\n' ';')"
fi

# --- each kernel booted with the module its dkms built ----------------------------------
if [ -n "${XT_KERNELS_NO_BOOT:-}" ]; then
	note "XT_KERNELS_NO_BOOT is set: no kernel is booted"
else
	for kd in "$@"; do
		k=$(basename "$kd")
		line=$(boot_ko "$k")
		if [ -z "$line" ]; then
			not_ok "$k: not booted, as no dkms build of it passed"
			continue
		fi
		# shellcheck disable=SC2086 # FOLDER HDIR KREL KO, without spaces
		boot_kernel $line
	done
	boot_xen_wait
fi

note "kernel x dkms:"
printf '%s' "$results" | sed 's/^/#   /'
if [ -r "$work/boots.txt" ]; then
	note "kernel x hypervisor: scenarios"
	awk '{ k = $1 " " $2; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
		if ($4 == "PASS") pass[k] = pass[k] " " $3; else fail[k] = fail[k] " " $3 }
		END { for (i = 1; i <= n; i++) { k = order[i]
			printf "#   %s: passed%s%s\n", k, (pass[k] == "" ? " none" : pass[k]),
				(fail[k] == "" ? "" : "; FAILED" fail[k]) } }' "$work/boots.txt"
fi
note "skip path on $sk, exit statuses (kernel_postinst: 3.1 and later):"
printf '%s' "$table" | sed 's/^/#   /'
