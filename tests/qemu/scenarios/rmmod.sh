# shellcheck shell=sh
# rmmod: cleancache has no unregister, so xen_tmem is permanent and pins
# its transport (the emulator); the cache keeps working after the attempts.
# disks: ext4:128M
# timeout: 120
# xen: rmmod tmem

load_both
mount_disk /dev/vda /mnt
for i in 1 2 3 4; do
	fill_file /mnt/r$i 4
done
sums_record /tmp/sums /mnt/r*
drop_caches
read_all /mnt/r*
drop_caches
sums_verify "before rmmod" /tmp/sums
check_gt "hits before rmmod" "$(tmem_stat hits)" 0

check_not "rmmod xen_tmem fails" rmmod xen_tmem
check "xen_tmem still in /proc/modules" is_loaded xen_tmem
check "$XT_SYS still there" test -d "$XT_SYS/total"
check "xen_tmem still in /proc/modules after -f" is_loaded xen_tmem
if [ "$XT_HV" != xen ]; then
	check_not "rmmod xen_tmem_emu fails (pinned)" rmmod xen_tmem_emu
	check "xen_tmem_emu still in /proc/modules" is_loaded xen_tmem_emu
fi

hits1=$(tmem_stat hits)
drop_caches
sums_verify "after rmmod attempts" /tmp/sums
report after-rmmod
check_gt "hits still grow" "$(tmem_stat hits)" "$hits1"
check "umount /mnt" umount /mnt
