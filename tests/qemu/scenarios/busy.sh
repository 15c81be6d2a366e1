# shellcheck shell=sh
# busy: another cleancache backend owns cleancache, so xen_tmem refuses
# (-EBUSY) with one clear line and leaves nothing behind: not loaded, no
# sysfs, no frontswap pool, and its hold on the emulator is given back
# (rmmod works).
# disks: ext4:32M
# timeout: 90

check "insmod xen_tmem_rival" insmod "$XT_KO_DIR/xen_tmem_rival.ko"
load_emu
klog_clear
check_not "insmod xen_tmem fails while another backend is registered" \
	insmod "$XT_TMEM_KO" transport=emulated
check "dmesg: another cleancache backend" \
	klog_has "xen_tmem: another cleancache backend is already registered"
dmesg | grep 'xen_tmem' | sed 's/^/INFO: dmesg: /'
not_registered "busy"
check_eq "emulator pools all given back" 0 "$(emu_stat pools)"

# With persist the frontswap pool is made first: it must go back too.
klog_clear
check_not "insmod xen_tmem pool_flags=shared,persist fails too" \
	insmod "$XT_TMEM_KO" transport=emulated pool_flags=shared,persist
check "dmesg: another cleancache backend (persist)" \
	klog_has "xen_tmem: another cleancache backend is already registered"
check_not "dmesg: no frontswap registration" klog_has "xen_tmem: frontswap:"
not_registered "busy with persist"
check_eq "emulator pools all given back (persist)" 0 "$(emu_stat pools)"
check_eq "no persistent page or pool left" 0 "$(emu_stat persist_pages)"
check "rmmod xen_tmem_emu (no reference left)" rmmod xen_tmem_emu
check_not "xen_tmem_emu unloaded" is_loaded xen_tmem_emu

# The filesystem works uncached under the rival.
mount_disk /dev/vda /mnt
fill_file /mnt/f 4
sums_record /tmp/sums /mnt/f
drop_caches
sums_verify "under the rival backend" /tmp/sums
check "umount /mnt" umount /mnt
