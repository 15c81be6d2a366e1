# shellcheck shell=sh
# Forget: the hypervisor loses its pools (save/restore, migration) and
# answers -ENODEV. Two filesystems hold files with the same names, the same
# inode numbers and different contents, so a recreated pool that aliased
# the other filesystem's hypervisor pool would serve the wrong file. Every
# read must return the right data; the module recreates its pools empty.
# disks: ext4:64M ext4:64M
# timeout: 150

load_both
mount_disk /dev/vda /a
mount_disk /dev/vdb /b
for d in /a /b; do
	for i in 1 2 3; do
		fill_file $d/f$i 4
	done
done
sums_record /tmp/sums /a/f* /b/f*
check_eq "same inode numbers on both disks" \
	"$(stat -c %i /a/f1 /a/f2 /a/f3)" "$(stat -c %i /b/f1 /b/f2 /b/f3)"
check_eq "two pools" 2 "$(pool_count)"

# Fill tmem from both filesystems.
drop_caches 3
read_all /a/f* /b/f*
drop_caches
check_gt "emulator holds pages" "$(emu_stat pages)" 0

# /a's pool (hypervisor id 0) is forgotten: /a's gets answer -ENODEV and
# the module drops and recreates both pools, so /b's stale id cannot alias.
check "forget pool 0" sh -c "echo 0 > $XT_EMU_PARAMS/forget_pools"
sums_verify "after forgetting one pool" /tmp/sums
report after-forget-one
check_gt "err_enodev counted" "$(tmem_stat err_enodev)" 0
check_gt "pools recreated" "$(tmem_stat pools_recreated)" 0

# Everything forgotten, as after a save/restore. /b notices first: a
# module that recreated only the pool that failed would give /b the
# hypervisor id 0, which /a still holds; /b's pages would then be served
# for /a's files (same inode numbers).
drop_caches
check "forget all pools" sh -c "echo all > $XT_EMU_PARAMS/forget_pools"
check_eq "emulator empty" 0 "$(emu_stat pages)"
read_all /b/f*
drop_caches
sums_verify "after forgetting all" /tmp/sums
report after-forget-all

# The recreated pools work: hits come back.
hits0=$(tmem_stat hits)
drop_caches
sums_verify "recreated pools" /tmp/sums
check_gt "hits after recovery" "$(tmem_stat hits)" "$hits0"
report recovered
check "umount /a" umount /a
check "umount /b" umount /b
