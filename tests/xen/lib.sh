# shellcheck shell=sh
# Booting a real Xen under QEMU TCG with the test kernel as dom0, and
# judging the boot: shared by tests/xen/run.sh (Debian's Xen 4.17, no
# tmem) and tests/xen/tmem.sh (Xen 4.12 built with tmem). Sourced after
# tests/qemu/lib.sh, not run.
#
# QEMU flags, as measured (see tests/xen/README.md):
#   PV:  -cpu max,-smap (with SMAP under TCG: "Hardware Dom0 halted", hang)
#   PVH: -cpu qemu64,+svm,+npt, q35 with kernel-irqchip=split and an
#        IOMMU (Xen needs one for a PVH dom0): Xen 4.17 takes QEMU's
#        intel-iommu with aw-bits=48 (else "setup 0000:00:03.0 for d0
#        failed (-12)" and the disk never appears); Xen 4.12, on this
#        AMD-flavoured CPU, looks for an AMD IOMMU only (amd-iommu). The
#        disks have iommu_platform=on, so their DMA goes through the
#        IOMMU that maps dom0's frames.

# xen_initrd_path PATH: PATH for QEMU's -initrd list, which is split on
# commas (",," is a literal one) and ends each file name at a space.
xen_initrd_path() {
	case $1 in
	*[[:space:]]*) xt_die "a path with white space cannot go into -initrd: $1" ;;
	esac
	printf '%s' "$1" | sed 's/,/,,/g'
}

# xen_boot XEN_ELF KERNEL INITRAMFS MODE LOG IOMMU [DISK...]: one boot of
# Xen with dom0 in MODE (pv or pvh), the serial console into LOG; IOMMU
# is intel or amd (PVH only). Environment: XEN_CMD (Xen's command line
# after the console settings; default dom0_mem=${DOM0_MEM:-256M},max:same),
# XEN_APPEND (more of it), APPEND (more dom0 kernel command line, no
# commas), MEM (MiB, 1024), SMP (1), TIMEOUT (s, 120), XEN_DRIVE_OPTS
# (appended to each disk's -drive, e.g. ",throttling.bps-total=N"),
# XEN_QEMU_ARGS (more QEMU arguments, no spaces in them). Returns QEMU's
# status.
xen_boot() {
	_elf=$1
	_kernel=$2
	_initrd=$3
	_mode=$4
	_log=$5
	_iommu=$6
	shift 6
	case ${APPEND:-} in
	*,*) xt_die "APPEND must not contain a comma: $APPEND" ;;
	esac
	_xen="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all ${XEN_CMD:-dom0_mem=${DOM0_MEM:-256M},max:${DOM0_MEM:-256M}}"
	_linux="console=hvc0 earlyprintk=xen panic=-1 oops=panic loglevel=6 xt_xen_mode=$_mode ${APPEND:-}"
	_dopts=
	_accel=tcg
	case $_mode in
	pv)
		_machine=q35
		_cpu=max,-smap
		_dev=
		;;
	pvh)
		_machine=q35,kernel-irqchip=split
		_cpu=qemu64,+svm,+npt
		# QEMU 7.2's multi-threaded TCG died of a segmentation fault
		# in a 2-vCPU PVH dom0's early PCI scan, before any module
		# was loaded, in 2 of 8 boots here (3 in a row once in
		# make test); with one TCG thread for both vCPUs, 0 of 20.
		# But then torture (2 workers a vCPU) double-faulted 3 times
		# in a row and hung once in 3 runs, so the cases boot a PVH
		# dom0 with one vCPU (torture.sh: "# smp-pvh: 1").
		[ "${SMP:-1}" -le 1 ] || _accel=tcg,thread=single
		_xen="$_xen dom0=pvh iommu=1"
		_dopts=,iommu_platform=on,disable-legacy=on
		case $_iommu in
		amd) _dev=amd-iommu ;;
		*) _dev=intel-iommu,intremap=on,aw-bits=48 ;;
		esac
		;;
	*) xt_die "unknown dom0 mode $_mode (pv or pvh)" ;;
	esac
	# The disks, then the IOMMU, as QEMU arguments, in place.
	_n=$#
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		_d=$1
		shift
		set -- "$@" -drive "file=$_d,if=none,id=d$_i,format=raw,cache=unsafe${XEN_DRIVE_OPTS:-}" \
			-device "virtio-blk-pci,drive=d$_i$_dopts"
		_i=$((_i + 1))
	done
	[ -z "$_dev" ] || set -- -device "$_dev" "$@"
	_rc=0
	# shellcheck disable=SC2086 # XEN_QEMU_ARGS: a list without spaces
	timeout --foreground -k 5 "${TIMEOUT:-120}" \
		qemu-system-x86_64 -M "$_machine" -accel "$_accel" -cpu "$_cpu" \
		-m "${MEM:-1024}" -smp "${SMP:-1}" \
		-nographic -no-reboot -monitor none -serial stdio \
		-kernel "$_elf" -append "$_xen ${XEN_APPEND:-}" \
		-initrd "$(xen_initrd_path "$_kernel") $_linux,$(xen_initrd_path "$_initrd")" \
		${XEN_QEMU_ARGS:-} "$@" < /dev/null > "$_log" 2>&1 || _rc=$?
	case $_rc in
	124 | 137) echo "run-qemu: killed after ${TIMEOUT:-120} s (tests/xen)" >> "$_log" ;;
	esac
	return "$_rc"
}

# xen_log_check XENLOG MODE: Xen built a dom0 of the kind MODE asked for,
# and its own lines do not say that Xen or dom0 died.
xen_log_check() {
	_bad=0
	case $2 in
	pv) _want='Building a PV Dom0' ;;
	pvh) _want='Building a PVH Dom0' ;;
	esac
	if ! grep -q "$_want" "$1"; then
		echo "xen-log: $1: no '$_want' line"
		_bad=1
	fi
	if grep -n -e 'Panic on CPU' -e 'FATAL' -e 'Xen BUG' -e 'Assertion' \
		-e 'Xen call trace' -e 'crashed' -e 'domain_crash' -e 'Unhandled' \
		-e 'Dom0 halted' "$1"; then
		echo "xen-log: $1: Xen reports a crash (lines above)"
		_bad=1
	fi
	# PVH dom0 always gets this one.
	if grep -n 'WARNING' "$1" |
		grep -v 'WARNING: PVH is an experimental mode with limited functionality'; then
		echo "xen-log: $1: unexpected Xen warning (lines above)"
		_bad=1
	fi
	return "$_bad"
}

# xen_judge DIR MODE: split DIR/serial.log into Xen's lines (xen.log)
# and dom0's (dom0.log), judge both into DIR/check.txt; sets xen_checks
# (the guest's check count); returns 0 when the boot passed.
xen_judge() {
	# Xen's lines start with "(XEN)"; the rest is dom0's console (hvc0).
	tr -d '\r' < "$1/serial.log" > "$1/serial.txt"
	grep '^(XEN)' "$1/serial.txt" > "$1/xen.log" || true
	grep -v '^(XEN)' "$1/serial.txt" > "$1/dom0.log" || true
	# shellcheck disable=SC2034 # for the caller
	xen_checks=$(grep -c -e 'CHECK-OK' -e 'CHECK-FAIL' "$1/dom0.log" || true)
	_jbad=0
	sh "$XT_TOP/tests/qemu/check-log.sh" "$1/dom0.log" > "$1/check.txt" 2>&1 || _jbad=1
	xen_log_check "$1/xen.log" "$2" >> "$1/check.txt" 2>&1 || _jbad=1
	return "$_jbad"
}

# xen_show DIR LINE: print a boot's verdict LINE; for a failure also its
# failed checks and QEMU's output; then the guest's REPORT lines.
xen_show() {
	echo "$2"
	if [ "$2" != "${2#FAIL}" ]; then
		sed 's/^/    /' "$1/check.txt" | head -n 40
		[ ! -s "$1/qemu.out" ] || sed 's/^/    qemu: /' "$1/qemu.out"
	fi
	grep -o 'REPORT\[.*' "$1/dom0.log" | sed 's/^/    /' || true
}

# xen_tmem_build: build (or reuse) Xen with tmem (tests/xen/build-xen.sh);
# sets xen_elf and xen_ver. Without a Xen source it prints build-xen.sh's
# "skipped:" line and returns 77.
xen_tmem_build() {
	_rc=0
	xen_elf=$(sh "$XT_TOP/tests/xen/build-xen.sh") || _rc=$?
	if [ "$_rc" = 77 ]; then
		echo "$xen_elf"
		return 77
	fi
	[ "$_rc" = 0 ] || xt_die "tests/xen/build-xen.sh failed"
	# shellcheck disable=SC2034 # for the caller
	xen_ver=$(cat "$(dirname "$xen_elf")/version")
}
