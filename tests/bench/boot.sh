# shellcheck shell=sh
# What tests/bench/run.sh and run-swap.sh share (both source this after
# tests/qemu/lib.sh): their common settings, and the boot of one
# benchmark guest: QEMU (TCG, or KVM with XT_ACCEL=kvm) with every disk
# throttled alike, the host-load watcher (hostwatch.sh), and the serial
# log judged by tests/qemu/check-log.sh.

# Settings (environment, defaults in brackets; see run.sh): BENCH_OUT
# [tests/bench/results], BENCH_RESULTS [tests/bench/RESULTS.md],
# BENCH_BPS [33554432], BENCH_IOPS [320], BENCH_MEM [1024], BENCH_SMP [2].
# shellcheck disable=SC2034 # used by the scripts that source this
{
	t_start=$(date +%s)
	bench=$XT_TOP/tests/bench
	qemu=$XT_TOP/tests/qemu
	out=${BENCH_OUT:-$bench/results}
	results_md=${BENCH_RESULTS:-$bench/RESULTS.md}
}
bps=${BENCH_BPS:-33554432}
iops=${BENCH_IOPS:-320}
mem=${BENCH_MEM:-1024}
smp=${BENCH_SMP:-2}
# BENCH_HV=xen: the guest is the dom0 of Xen 4.12 with tmem
# (tests/xen/build-xen.sh), with $mem MiB (and room to $((mem * 2)) MiB
# for frontswap's pages) on a machine of BENCH_XEN_MACHINE MiB [$mem * 2
# + 512]: the rest is Xen's, for tmem. Results go to $out/xen/.
hv=${BENCH_HV:-emu}
case $hv in
emu) ;;
xen)
	out=$out/xen
	# shellcheck source=tests/xen/lib.sh
	. "$XT_TOP/tests/xen/lib.sh"
	;;
*) xt_die "BENCH_HV must be emu or xen" ;;
esac

# bench_boot WORK KERNEL INITRD TIMEOUT MINUTES DISK...
#   WORK     folder for serial.log, qemu.pid, hostload.txt, check.txt
#   TIMEOUT  seconds before the guest is killed
#   MINUTES  the expected run time, for the log line
#   DISK     raw images, each a virtio disk limited to $bps bytes/s and
#            $iops requests/s, with $mem MiB and $smp CPUs
# Sets accel, cpu (as QEMU got them), t0 and t1 (start and end, epoch
# seconds) for the caller's env.txt. Dies when the log shows a failure.
bench_boot() {
	_work=$1
	_kernel=$2
	_initrd=$3
	_to=$4
	_min=$5
	shift 5
	case ${XT_ACCEL:-tcg} in
	tcg) accel=tcg cpu=${QEMU_CPU:-max} ;;
	kvm) accel=kvm cpu=${QEMU_CPU:-host,-arch-capabilities,-cx16} ;;
	*) xt_die "XT_ACCEL must be tcg or kvm" ;;
	esac
	_drives=
	_i=0
	for _d; do
		_drives="$_drives -drive file=$_d,if=none,id=d$_i,format=raw,cache=unsafe,throttling.bps-total=$bps,throttling.iops-total=$iops"
		_drives="$_drives -device virtio-blk-pci,drive=d$_i"
		_i=$((_i + 1))
	done
	_log=$_work/serial.log

	# The host's CPU use at each pass boundary (other work on this
	# machine slows the TCG guest down).
	rm -f "$_work/qemu.pid"
	sh "$XT_TOP/tests/bench/hostwatch.sh" "$_log" "$_work/qemu.pid" \
		> "$_work/hostload.txt" &
	_watcher=$!

	xt_log "boot (TCG: about $_min minutes); serial log $_log"
	t0=$(date +%s)
	_rc=0
	if [ "$hv" = xen ]; then
		bench_boot_xen "$_work" "$_kernel" "$_initrd" "$_to" "$@" || _rc=$?
	else
		# shellcheck disable=SC2086 # $_drives: paths under $WORK, no spaces
		timeout --foreground -k 5 "$_to" \
			qemu-system-x86_64 -M q35 -accel "$accel" -cpu "$cpu" \
			-m "$mem" -smp "$smp" \
			-nographic -no-reboot -monitor none -serial stdio \
			-pidfile "$_work/qemu.pid" \
			-kernel "$_kernel" -initrd "$_initrd" \
			-append "console=ttyS0 panic=-1 oops=panic loglevel=6" \
			$_drives < /dev/null > "$_log" 2>&1 || _rc=$?
		case $_rc in
		124 | 137) echo "run-qemu: killed after $_to s" >> "$_log" ;;
		esac
	fi
	t1=$(date +%s)
	kill "$_watcher" 2> /dev/null || true
	wait "$_watcher" 2> /dev/null || true
	xt_log "guest ran $((t1 - t0)) s (qemu exit $_rc)"

	if [ "$hv" = xen ]; then
		# dom0's lines through check-log.sh, Xen's through xen_log_check.
		xen_judge "$_work" pv || {
			cat "$_work/check.txt" >&2
			xt_die "the benchmark on Xen failed (above; full log: $_work/serial.txt)"
		}
	elif ! sh "$XT_TOP/tests/qemu/check-log.sh" "$_log" \
		> "$_work/check.txt" 2>&1; then
		cat "$_work/check.txt" >&2
		xt_die "the benchmark failed (above; full log: $_log)"
	fi
}

# bench_boot_xen WORK KERNEL INITRD TIMEOUT DISK...: the same guest as a
# PV dom0 of Xen 4.12 with tmem (xen_elf, from xen_tmem_build), every disk
# throttled alike; the serial log (Xen's and dom0's lines) in
# WORK/serial.log.
bench_boot_xen() {
	_w=$1
	_k=$2
	_i=$3
	_t=$4
	shift 4
	accel=tcg
	cpu=max,-smap
	XEN_CMD="dom0_mem=${mem}M,max:$((mem * 2))M dom0_max_vcpus=$smp tmem" \
		XEN_DRIVE_OPTS=",throttling.bps-total=$bps,throttling.iops-total=$iops" \
		XEN_QEMU_ARGS="-pidfile $_w/qemu.pid" MEM=${BENCH_XEN_MACHINE:-$((mem * 2 + 512))} \
		SMP=$smp TIMEOUT=$_t APPEND="xt_hv=xen xt_case=bench" \
		xen_boot "$xen_elf" "$_k" "$_i" pv "$_w/serial.log" amd "$@"
}
