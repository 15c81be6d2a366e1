# shellcheck shell=sh
# tmem off: Xen 4.12 built with tmem but booted without "tmem" on its
# command line answers every tmem_op with -ENODEV. xen_tmem must refuse to
# load with the line that tells the admin what to do, register nothing
# and leave nothing behind, with and without persist; Xen's tmem control
# interface must agree that tmem is off.
# disks: ext4:64M
# timeout: 120
# xen: tmem-off

# refused ARG...: insmod xen_tmem ARG... fails with ENODEV and its line.
refused() {
	klog_clear
	_out=$(insmod "$XT_TMEM_KO" "$@" 2>&1)
	_rc=$?
	info "insmod xen_tmem $*: exit $_rc: $_out"
	check "insmod xen_tmem $* fails" test "$_rc" -ne 0
	check "insmod xen_tmem $*: No such device (ENODEV)" \
		contains "$_out" 'No such device'
	check "dmesg: tmem is disabled in the hypervisor: boot Xen with 'tmem'" \
		klog_has "xen_tmem: tmem is disabled in the hypervisor: boot Xen with 'tmem' on its command line; nothing registered"
	check_eq "dmesg: no other xen_tmem line" "" \
		"$(dmesg | grep 'xen_tmem' | grep -v -e 'tmem is disabled in the hypervisor' \
			-e 'loading out-of-tree module taints kernel')"
	not_registered "$*"
	check_not "$*: /sys/module/xen_tmem absent" test -e /sys/module/xen_tmem
	dmesg | grep 'xen_tmem' | sed 's/^/REPORT[dmesg] /'
}

check_eq "this is Xen" xen "$(val /sys/hypervisor/type)"
refused
refused pool_flags=shared,persist
refused pool_flags=none enabled=0
# Xen's own word: with tmem off its control sysctl has nothing to list.
check_not "Xen: the tmem control sysctl answers nothing (tmem off)" \
	sh -c "$XT_HVSTAT tmem 2> /dev/null | grep -q '^P='"
info "xt-hvstat tmem: $("$XT_HVSTAT" tmem 2>&1 | head -n 2 | tr '\n' ' ')"
check_eq "cleancache has no backend: no puts" 0 "$(cc_stat puts)"
mount_disk /dev/vda /mnt
fill_file /mnt/f 4
sums_record /tmp/sums /mnt/f
drop_caches 3
sums_verify "without tmem" /tmp/sums
check_eq "cleancache: still no gets or puts" "0 0" "$(cc_stat succ_gets) $(cc_stat puts)"
check "umount /mnt" umount /mnt
