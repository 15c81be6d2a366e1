# shellcheck shell=sh
# Readback: clean page-cache pages go to the emulated tmem and come back
# intact under memory-cgroup pressure.
# disks: ext4:256M
# timeout: 180

load_both
mount_disk /dev/vda /mnt

info "write 6 x 8 MiB of random data"
for i in 1 2 3 4 5 6; do
	fill_file /mnt/f$i 8
done
sums_record /tmp/sums /mnt/f*
# Written pages are not put (only pages read from disk are): drop them.
drop_caches 3
# Read once from disk: the pages are now PageMappedToDisk, so evicting
# them puts them into tmem.
read_all /mnt/f*
report after-first-read
cc_gets0=$(cc_stat succ_gets)
hits0=$(tmem_stat hits)
puts0=$(tmem_stat puts)
drop_caches 1
report after-drop
check_gt "drop_caches put pages" "$(tmem_stat puts)" "$puts0"
check_gt "emulator holds pages" "$(emu_stat pages)" 0

memcg_enter readback 16M
sums_verify "memcg pass 1" /tmp/sums
report after-memcg-1
sums_verify "memcg pass 2" /tmp/sums
report after-memcg-2
memcg_leave readback

check_gt "cleancache succ_gets grew" "$(cc_stat succ_gets)" "$cc_gets0"
check_gt "xen_tmem hits grew" "$(tmem_stat hits)" "$hits0"
check_gt "xen_tmem puts grew" "$(tmem_stat puts)" "$puts0"
check_gt "emulator hits" "$(emu_stat hits)" 0
check_eq "no put failures" 0 "$(tmem_stat put_failures)"
check "umount /mnt" umount /mnt
