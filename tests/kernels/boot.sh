# shellcheck shell=sh
# Booting the kernels users run (sourced by tests/kernels/dkms.sh, after
# tests/checks.sh and expect.sh; uses its top, here, kernels and work).
# shellcheck disable=SC2154 # top, here, kernels, work: dkms.sh's
#
# boot_kernel FOLDER HDIR KREL KO: unpack FOLDER's linux-image .deb (its
# /boot/vmlinuz-*, what the user boots), boot it under QEMU with KO (the
# xen_tmem.ko its distribution's dkms built and installed) and the
# emulator built against HDIR, and run kernel_scenarios FOLDER there
# (tests/qemu/run.sh, two guests at a time); then start it as the PV
# dom0 of Xen 4.12 with tmem for kernel_xen_cases FOLDER on the real
# hypercall (tests/xen/tmem.sh), in the background: one guest, beside
# the next kernel's. boot_xen_wait collects that. One ok/not ok line per
# scenario and case; the scenario's verdict line of the runner follows
# "QEMU"/"Xen". Appends "FOLDER HV SCENARIO PASS|FAIL" lines to
# $work/boots.txt.
boot_kernel() {
	_bk=$1
	_bh=$2
	_brel=$3
	_bko=$4
	_bimg=$(sh "$here/unpack.sh" "$kernels/$_bk"/linux-image-*.deb \
		"$XT_CACHE/kernels/images" "boot/vmlinuz-*" 2> "$work/image-$_bk.log") || {
		not_ok "$_bk: unpack its linux-image .deb"
		show "$work/image-$_bk.log"
		return 0
	}
	note "$_bk: boots $_bimg"
	# shellcheck disable=SC2046 # scenario names, without spaces
	set -- $(kernel_scenarios "$_bk")
	_bw=$work/boot-$_bk
	_bapp="TORTURE_SECS=${XT_KERNELS_TORTURE_SECS:-20}"
	_bx=$(kernel_torture_xops "$_bk")
	if [ -n "$_bx" ]; then
		note "$_bk: the torture leaves out '$_bx' (its ext4 loses data without the module: tests/kernels/expect.sh)"
		_bapp="$_bapp TORTURE_XOPS=$_bx"
	fi
	_t0=$(date +%s)
	XT_KDIR=$_bh XT_KIMAGE=$_bimg XT_TMEM_KO=$_bko XT_WORK=$_bw \
		XT_JOBS=${XT_JOBS:-2} APPEND="$_bapp" \
		sh "$top/tests/qemu/run.sh" "$@" > "$_bw.log" 2>&1 || true
	note "$_bk: $# scenarios under QEMU in $(($(date +%s) - _t0)) s (log $_bw.log)"
	boot_results "$_bk" QEMU "$_brel" "$_bw" "$@"

	boot_xen_wait
	# shellcheck disable=SC2046 # case names, without spaces
	set -- $(kernel_xen_cases "$_bk")
	[ $# -gt 0 ] || return 0
	_bw=$work/xen-$_bk
	(
		_t0=$(date +%s)
		_brc=0
		XT_KDIR=$_bh XT_KIMAGE=$_bimg XT_TMEM_KO=$_bko XT_WORK=$_bw \
			XT_XEN_MODES=pv sh "$top/tests/xen/tmem.sh" "$@" > "$_bw.log" 2>&1 || _brc=$?
		echo "$_brc $(($(date +%s) - _t0))" > "$_bw.rc"
	) &
	xen_pid=$!
	xen_args="$_bk $_brel $_bw $*"
}

# boot_xen_wait: wait for the Xen boots boot_kernel started, if any, and
# judge them.
boot_xen_wait() {
	[ -n "${xen_pid:-}" ] || return 0
	wait "$xen_pid" || true
	xen_pid=
	# shellcheck disable=SC2086 # FOLDER KREL WORK CASE..., without spaces
	set -- $xen_args
	_xk=$1
	_xrel=$2
	_xw=$3
	shift 3
	read -r _xrc _xs < "$_xw.rc" || _xrc=1
	if [ "$_xrc" = 77 ]; then
		note "$_xk: Xen with tmem skipped: $(grep -m 1 '^skipped:' "$_xw.log" || echo "see $_xw.log")"
		return 0
	fi
	note "$_xk: $# case(s) as the PV dom0 of Xen with tmem in ${_xs:-?} s (log $_xw.log)"
	_xcases=
	for _c; do
		_xcases="$_xcases $_c-pv"
	done
	# shellcheck disable=SC2086 # case names, without spaces
	boot_results "$_xk" Xen "$_xrel" "$_xw" $_xcases
}

# boot_results FOLDER HV KREL WORK NAME...: an ok/not ok line for each
# NAME from the runner's WORK/results.txt ("PASS NAME (...)", "PASS
# tmem-NAME (...)"), each boot's log showing the kernel KREL; a missing
# verdict fails too.
boot_results() {
	_rk=$1
	_rhv=$2
	_rrel=$3
	_rw=$4
	shift 4
	for _n; do
		_line=$(grep -E "^(PASS|FAIL) (tmem-)?$_n " "$_rw/results.txt" 2> /dev/null | head -n 1)
		_d=$_rw/$_n
		_log=$_d/serial.log
		case $_line in
		PASS*)
			if tr -d '\r' < "$_log" | grep -q "HARNESS-BEGIN .* kernel=$_rrel "; then
				ok "$_rk, $_rhv: $_line"
				echo "$_rk $_rhv $_n PASS" >> "$work/boots.txt"
				continue
			fi
			not_ok "$_rk, $_rhv: $_n: its log does not show kernel $_rrel ($_log)"
			;;
		FAIL*)
			not_ok "$_rk, $_rhv: $_line"
			[ ! -r "$_d/check.txt" ] || show "$_d/check.txt" 20
			;;
		*)
			not_ok "$_rk, $_rhv: $_n: no verdict (see $_rw.log)"
			show "$_rw.log" 15
			;;
		esac
		echo "$_rk $_rhv $_n FAIL" >> "$work/boots.txt"
	done
}
