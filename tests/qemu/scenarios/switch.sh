# shellcheck shell=sh
# Switch: enabled=0 flushes tmem and stops puts and gets; enabled=1
# brings the cache back. Data stays correct throughout.
# disks: ext4:128M
# timeout: 120

EN=$XT_PARAMS/enabled

load_both
check_eq "enabled reads Y" Y "$(param enabled)"
mount_disk /dev/vda /mnt
for i in 1 2 3 4; do
	fill_file /mnt/s$i 4
done
sums_record /tmp/sums /mnt/s*
drop_caches
read_all /mnt/s*
drop_caches
sums_verify "on" /tmp/sums
report on
check_gt "hits while on" "$(tmem_stat hits)" 0

check "echo 0 > enabled" sh -c "echo 0 > $EN"
check_eq "enabled reads N" N "$(param enabled)"
check_eq "emulator pages 0 after disable" 0 "$(emu_stat pages)"
hits1=$(tmem_stat hits)
puts1=$(tmem_stat puts)
emu_puts1=$(emu_stat puts)
drop_caches
sums_verify "off pass 1" /tmp/sums
drop_caches
sums_verify "off pass 2" /tmp/sums
drop_caches
report off
check_eq "hits do not grow while off" "$hits1" "$(tmem_stat hits)"
check_eq "puts do not grow while off" "$puts1" "$(tmem_stat puts)"
check_eq "emulator puts do not grow while off" "$emu_puts1" "$(emu_stat puts)"
check_eq "emulator pages stay 0 while off" 0 "$(emu_stat pages)"

check "echo 1 > enabled" sh -c "echo 1 > $EN"
check_eq "enabled reads Y again" Y "$(param enabled)"
read_all /mnt/s*
drop_caches
sums_verify "on again" /tmp/sums
report on-again
check_gt "puts grow again" "$(tmem_stat puts)" "$puts1"
check_gt "hits grow again" "$(tmem_stat hits)" "$hits1"
check "umount /mnt" umount /mnt
