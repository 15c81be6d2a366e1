# shellcheck shell=sh
# Appended by tests/debug.sh to every scenario it runs under the debug
# kernel, and by tests/xen/debug.sh to those it runs under the debug dom0
# (guest side, busybox sh, after the scenario's own lines). First, that
# this is the debug kernel and its checkers are still on (KASAN too,
# unless the command line says xt_kasan=0: the dom0 kernel has none; lockdep
# turns itself off after its first report: debug_locks 0); the boot
# messages saying so are pr_info, below the console's loglevel, and the
# scenarios clear dmesg. Then ask kmemleak for a scan, twice (an object is
# reported only once it is 5 s old, unreferenced and unchanged since the
# scan before),
# print everything it reports as REPORT[kmemleak] lines, and fail if any
# report mentions xen_tmem (or xen_tmem_emu).

debug_kernel_check() {
	_kasan=0
	grep -q ' __asan_load8$' /proc/kallsyms && _kasan=1
	_lockdep=0
	[ -r /proc/lockdep_stats ] && _lockdep=1
	_dl=$(awk '$1 == "debug_locks:" { print $2 }' /proc/lockdep_stats 2> /dev/null)
	_kml=0
	[ -w /sys/kernel/debug/kmemleak ] && _kml=1
	_pow=$(cat /proc/sys/kernel/panic_on_warn 2> /dev/null)
	echo "REPORT[debug-kernel] kasan=$_kasan lockdep=$_lockdep" \
		"debug_locks=${_dl:-NA} kmemleak=$_kml panic_on_warn=${_pow:-NA}"
	# (no upper-case "KASAN" in the output: check-log.sh takes it for a
	# KASAN report)
	_want=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^xt_kasan=//p')
	check_eq "debug kernel: kasan" "${_want:-1}" "$_kasan"
	check_eq "debug kernel: lockdep still on (debug_locks)" 1 "${_dl:-NA}"
	check_eq "debug kernel: panic_on_warn" 1 "${_pow:-NA}"
}

kmemleak_check() {
	_k=/sys/kernel/debug/kmemleak
	if [ ! -w "$_k" ]; then
		fail "kmemleak: $_k is writable" "not a kmemleak kernel, or kmemleak is off"
		return
	fi
	# The first scan only records the objects' checksums (one that
	# changed between two scans is taken as in use); the second reports.
	echo scan > "$_k"
	sleep 5
	echo scan > "$_k"
	cat "$_k" > /tmp/kmemleak.txt
	sed 's/^/REPORT[kmemleak] /' /tmp/kmemleak.txt
	echo "REPORT[kmemleak-summary] suspected=$(grep -c '^unreferenced object' /tmp/kmemleak.txt)" \
		"mentioning_xen_tmem=$(grep -c 'xen_tmem' /tmp/kmemleak.txt)"
	check_not "kmemleak: no report mentions xen_tmem" \
		grep -q 'xen_tmem' /tmp/kmemleak.txt
}
debug_kernel_check
kmemleak_check
