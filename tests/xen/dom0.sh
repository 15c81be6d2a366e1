# shellcheck shell=sh
# dom0: xen_tmem in the dom0 of a real Xen (Debian's 4.17, which has no
# tmem), run by tests/xen/run.sh through the harness's /init. The kernel
# command line says which kind of dom0 this is (xt_xen_mode=pv or pvh);
# /dev/vda is an empty ext4 disk with 4 KiB blocks.
#
# 1. this is a Xen dom0 of the expected kind;
# 2. insmod xen_tmem (transport=xen) is refused with "the hypervisor has
#    no tmem ... returned -38", nothing is left behind, the kernel does
#    not complain;
# 3. the emulator and transport=emulated still load and serve hits.

mode=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^xt_xen_mode=//p')
case $mode in
pv)
	want_type=PV
	want_detected='Hypervisor detected: Xen PV'
	;;
pvh)
	want_type=PVH
	want_detected='Hypervisor detected: Xen HVM'
	;;
*) require "xt_xen_mode=pv or pvh on the kernel command line" false ;;
esac

# --- 1. the hypervisor and the domain -------------------------------------------
hv_type=$(val /sys/hypervisor/type)
check_eq "/sys/hypervisor/type" xen "$hv_type"
[ "$hv_type" = xen ] || exit 1
hv_version=$(val /sys/hypervisor/version/major).$(val /sys/hypervisor/version/minor)$(val /sys/hypervisor/version/extra)
guest_type=$(val /sys/hypervisor/guest_type)
detected=$(dmesg | grep -o 'Hypervisor detected: .*' | head -n 1)
check_eq "/sys/hypervisor/guest_type" "$want_type" "$guest_type"
check_eq "dmesg: Hypervisor detected" "$want_detected" "$detected"
caps=NA
mount -t xenfs xenfs /proc/xen 2> /dev/null && caps=$(val /proc/xen/capabilities)
check_eq "dom0: /proc/xen/capabilities" control_d "$caps"
echo "REPORT[xen] mode=$mode type=$hv_type version=$hv_version" \
	"guest_type=$guest_type capabilities=$caps detected='${detected#Hypervisor detected: }'"

# --- 2. the real hypercall: refused --------------------------------------------
# busybox insmod tries finit_module, then init_module: the module's init
# runs twice and each line appears twice.
klog_clear
out=$(insmod "$XT_TMEM_KO" 2>&1)
rc=$?
info "insmod xen_tmem: exit $rc: $out"
check "insmod xen_tmem (transport=xen) fails" test "$rc" -ne 0
check "insmod says No such device (ENODEV)" contains "$out" 'No such device'
check "dmesg: xen_tmem: the hypervisor has no tmem" \
	klog_has "xen_tmem: the hypervisor has no tmem"
check "dmesg: ... tmem_op returned -38 (ENOSYS)" \
	sh -c "dmesg | grep 'xen_tmem: the hypervisor has no tmem' | grep -q 'returned -38'"
check_eq "dmesg: no other xen_tmem line" "" \
	"$(dmesg | grep 'xen_tmem' | grep -v -e 'the hypervisor has no tmem' \
		-e 'loading out-of-tree module taints kernel')"
check_not "dmesg: no kernel warning, bug, oops or call trace" \
	sh -c "dmesg | grep -q -e WARNING -e BUG -e Oops -e 'Call Trace'"
not_registered "transport=xen"
check_not "transport=xen: /sys/module/xen_tmem absent" test -e /sys/module/xen_tmem
dmesg | grep 'xen_tmem' | sed 's/^/REPORT[dmesg-xen] /'

# --- 3. the emulated hypervisor under Xen ---------------------------------------
klog_clear
load_both
check_eq "transport is emulated" emulated "$(val "$XT_SYS/transport")"
dmesg | grep 'xen_tmem' | sed 's/^/REPORT[dmesg-emulated] /'
mount_disk /dev/vda /mnt
check_eq "one pool for /mnt" 1 "$(pool_count)"

info "write 4 x 4 MiB of random data"
for i in 1 2 3 4; do
	fill_file "/mnt/f$i" 4
done
sums_record /tmp/sums /mnt/f*
# Written pages are never put: drop them, read once from the disk, then
# drop the page cache only, which puts the clean pages into tmem.
drop_caches 3
read_all /mnt/f*
puts0=$(tmem_stat puts)
drop_caches 1
check_gt "drop_caches put pages" "$(tmem_stat puts)" "$puts0"
check_gt "emulator holds pages" "$(emu_stat pages)" 0
sums_verify "round 1" /tmp/sums
report round-1
hits1=$(tmem_stat hits)
check_gt "xen_tmem hits" "$hits1" 0
drop_caches 1
sums_verify "round 2" /tmp/sums
report round-2
check_gt "xen_tmem hits grew in round 2" "$(tmem_stat hits)" "$hits1"
check_gt "cleancache succ_gets" "$(cc_stat succ_gets)" 0
check_eq "no put failures" 0 "$(tmem_stat put_failures)"
check "umount /mnt" umount /mnt
check_not "dmesg: no kernel warning, bug, oops or call trace (emulated)" \
	sh -c "dmesg | grep -q -e WARNING -e BUG -e Oops -e 'Call Trace'"
