# shellcheck shell=sh
# The DKMS-built xen_tmem loaded the way an admin loads it: modprobe, with
# its options from /etc/modprobe.d/xen-tmem.conf (the packaged file plus
# the test's "options xen_tmem transport=emulated pool_flags=none"), and
# the modules.dep that host depmod made for /lib/modules/$(uname -r).
# Run by tests/pkg/run.sh through tests/pkg/boot.sh --root.
# disks: ext4:256M
# timeout: 180

# shellcheck source-path=SCRIPTDIR source=../guest/workload.sh
. /opt/xt/workload.sh

kdir=/lib/modules/$(uname -r)
check "modules.dep lists the DKMS module" \
	grep -q '^updates/dkms/xen_tmem.ko:' "$kdir/modules.dep"
check "modprobe.d has the options" \
	grep -q '^options xen_tmem transport=emulated' /etc/modprobe.d/xen-tmem.conf
check "modprobe xen_tmem_emu" modprobe xen_tmem_emu
check "modprobe xen_tmem (options from modprobe.d)" modprobe xen_tmem
check_eq "transport from modprobe.d" emulated "$(param transport)"
check_eq "pool_flags from modprobe.d" none "$(param pool_flags)"
check_eq "module version is VERSION" "$(cat /opt/xt/VERSION)" \
	"$(val "$XT_SYS/version")"
check "dmesg: registered through the emulated transport" \
	klog_has "xen_tmem: version $(cat /opt/xt/VERSION): cleancache pages go to tmem through the emulated transport"

make_hits /dev/vda
check_eq "no put failures" 0 "$(tmem_stat put_failures)"
check "umount /mnt" umount /mnt
