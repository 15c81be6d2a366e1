# shellcheck shell=sh
# noxen: on bare metal (no Xen, no emulator) the module refuses to load
# with one clear line and registers nothing. busybox insmod tries
# finit_module and then init_module, so each line may appear twice.

klog_clear
check_not "insmod xen_tmem (transport=xen) fails" insmod "$XT_TMEM_KO"
check "dmesg: xen_tmem: not running on Xen" klog_has "xen_tmem: not running on Xen"
not_registered "transport=xen"
dmesg | grep 'xen_tmem' | sed 's/^/INFO: dmesg: /'

klog_clear
check_not "insmod xen_tmem transport=emulated without emulator fails" \
	insmod "$XT_TMEM_KO" transport=emulated
check "dmesg: xen_tmem line names xen_tmem_emu" \
	sh -c "dmesg | grep 'xen_tmem: ' | grep -q xen_tmem_emu"
not_registered "transport=emulated, no emulator"
dmesg | grep 'xen_tmem' | sed 's/^/INFO: dmesg: /'

# Nothing was left registered with cleancache: a good load still works.
load_both
check "$XT_SYS/total exists after a good load" test -d "$XT_SYS/total"
