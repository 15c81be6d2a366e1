# shellcheck shell=sh
# Common settings for the QEMU test harness. Sourced, not run.
# shellcheck disable=SC2034
#
# XEN_TMEM_CACHE  where expensive artefacts (kernel source, kernel build)
#                 are kept between runs; default ~/.cache/xen-tmem.
# JOBS            parallel make jobs; default: number of CPUs.

XT_TOP=$(cd "$(dirname "$0")/../.." && pwd)
XT_CACHE=${XEN_TMEM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-tmem}
JOBS=${JOBS:-$(nproc)}
# Debian's kernel source for the test kernel (bullseye main).
XT_KSRC_PKG=linux-source-5.10
XT_KSRC_VER=${XT_KSRC_VER:-5.10.223-1}
XT_MIRROR=${XT_MIRROR:-}

xt_log() {
	printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2
}

xt_die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# Print the first Debian mirror URL configured on this machine.
xt_mirror() {
	if [ -n "$XT_MIRROR" ]; then
		echo "$XT_MIRROR"
		return
	fi
	{
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
			2>/dev/null || true
		grep -h '^URIs:' /etc/apt/sources.list.d/*.sources \
			2>/dev/null | sed 's/^URIs:/deb/' || true
	} | awk '$1 == "deb" {
			for (i = 2; i <= NF; i++)
				if ($i ~ /^https?:\/\// && $i !~ /security/) {
					print $i; exit
				}
		}'
}

# xt_kernel_dir: the test kernel's build folder: $XT_KDIR, or the default
# kernel plus the fragments in $XT_KCONFIG, built or reused by kernel.sh.
xt_kernel_dir() {
	_q=$XT_TOP/tests/qemu
	if [ -n "${XT_KDIR:-}" ]; then
		echo "$XT_KDIR"
	elif [ -n "${XT_KCONFIG:-}" ]; then
		# shellcheck disable=SC2086 # a list of fragment paths
		sh "$_q/kernel.sh" "$_q/config/cleancache-qemu.config" $XT_KCONFIG
	else
		sh "$_q/kernel.sh"
	fi
}

# xt_kernel_image KDIR: the image to boot: $XT_KIMAGE (a path, or a name
# in KDIR: vmlinux, through the PVH entry, or arch/x86/boot/bzImage),
# default KDIR/vmlinux.
xt_kernel_image() {
	case ${XT_KIMAGE:-vmlinux} in
	/*) _img=$XT_KIMAGE ;;
	*) _img=$1/${XT_KIMAGE:-vmlinux} ;;
	esac
	[ -r "$_img" ] || xt_die "no kernel image $_img"
	echo "$_img"
}

# xt_build_modules KDIR WORK: copy the sources ($XT_MOD_SRC, default the
# repository) to WORK/src and build xen_tmem and the emulator folder
# ($XT_EMU_SUBDIR, default tests/emu) there; with XT_TMEM_KO (a
# xen_tmem.ko built elsewhere, as by DKMS: tests/kernels) that one is
# used instead of building xen_tmem. Sets build, emu_sub, tmem_ko and
# emu_ko.
xt_build_modules() {
	_src=${XT_MOD_SRC:-$XT_TOP}
	emu_sub=${XT_EMU_SUBDIR:-tests/emu}
	build=$2/src
	xt_log "copy module sources to $build"
	rm -rf "$build"
	mkdir -p "$build"
	(cd "$_src" && tar -cf - --exclude=.git .) | (cd "$build" && tar -xf -)
	if [ -n "${XT_TMEM_KO:-}" ]; then
		xt_log "xen_tmem: $XT_TMEM_KO, built elsewhere"
		cp "$XT_TMEM_KO" "$build/xen_tmem.ko"
	else
		xt_log "build xen_tmem against $1"
		sh "$XT_TOP/tests/qemu/build-module.sh" "$1" "$build"
	fi
	xt_log "build xen_tmem_emu"
	sh "$XT_TOP/tests/qemu/build-module.sh" "$1" "$build/$emu_sub"
	tmem_ko=$build/xen_tmem.ko
	emu_ko=$build/$emu_sub/xen_tmem_emu.ko
	[ -r "$tmem_ko" ] || xt_die "the build made no $tmem_ko"
	[ -r "$emu_ko" ] || xt_die "the build made no $emu_ko"
}

# xt_header FILE KEY: the value of a "# KEY:" line.
xt_header() {
	sed -n "s/^# $2: *//p" "$1" | head -n 1
}

# xt_make_disks FILE DIR: create the disks of the "# disks:" line; prints paths.
xt_make_disks() {
	_i=0
	for _spec in $(xt_header "$1" disks); do
		_fs=${_spec%%:*}
		_size=${_spec#*:}
		_img=$2/disk$_i.img
		rm -f "$_img"
		truncate -s "$_size" "$_img"
		case $_fs in
		ext4) mkfs.ext4 -q -F -b 4096 "$_img" ;;
		btrfs) mkfs.btrfs -q -f "$_img" > /dev/null ;;
		raw) ;;
		*) xt_die "$1: unknown disk type $_fs" ;;
		esac
		echo "$_img"
		_i=$((_i + 1))
	done
}

# xt_split_jobs N: share work among N jobs: reads "WEIGHT ITEM" lines,
# prints "JOB ITEM" lines (JOB 1..N), the heaviest item first, each to
# the job with the least weight so far.
xt_split_jobs() {
	sort -rn | awk -v n="$1" '{
		b = 1
		for (j = 2; j <= n; j++)
			if (load[j] < load[b])
				b = j
		load[b] += $1
		print b, $2
	}'
}

# xt_run_jobs PLAN FUNC: run each job's items of PLAN ("JOB ITEM" lines,
# as xt_split_jobs prints) through FUNC ITEM, a job a background
# process, and wait for all of them.
xt_run_jobs() {
	_jobs=$(cut -d' ' -f1 "$1" | sort -un)
	_pids=
	for _j in $_jobs; do
		_list=$(awk -v j="$_j" '$1 == j { print $2 }' "$1")
		[ "$(echo "$_jobs" | wc -w)" = 1 ] ||
			xt_log "job $_j:$(for _i in $_list; do printf ' %s' "$(basename "$_i" .sh)"; done)"
		(for _i in $_list; do "$2" "$_i"; done) &
		_pids="$_pids $!"
	done
	for _p in $_pids; do
		wait "$_p" || true
	done
}

# xt_prune_runs GLOB: keep the newest XT_KEEP_RUNS (default 10) of the run
# folders $XT_CACHE/runs/GLOB/ (their names start with the time).
xt_prune_runs() {
	# shellcheck disable=SC2086 # GLOB is a pattern
	set -- "$XT_CACHE"/runs/$1/
	_n=$#
	while [ "$_n" -gt "${XT_KEEP_RUNS:-10}" ] && [ -d "$1" ]; do
		rm -rf "$1"
		shift
		_n=$((_n - 1))
	done
}

# xt_work_dir PREFIX: set work to $XT_WORK, or else to a new run folder
# $XT_CACHE/runs/PREFIX<time>-<pid>, keeping the newest XT_KEEP_RUNS of
# that runner's (xt_prune_runs); the folder exists, the path is absolute.
xt_work_dir() {
	if [ -n "${XT_WORK:-}" ]; then
		work=$XT_WORK
	else
		work=$XT_CACHE/runs/$1$(date +%Y%m%d-%H%M%S)-$$
		mkdir -p "$work"
		xt_prune_runs "$1[0-9]*"
	fi
	mkdir -p "$work"
	work=$(cd "$work" && pwd)
}
