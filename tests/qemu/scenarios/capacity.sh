# shellcheck shell=sh
# Capacity: a hypervisor with little room evicts old ephemeral pages;
# the guest still reads correct data, and recent pages still hit.
# Lowering capacity_pages at run time evicts down to the new limit.
# disks: ext4:128M
# timeout: 120

load_emu capacity_pages=2048
load_tmem transport=emulated
mount_disk /dev/vda /mnt

info "write 6 x 4 MiB (6144 pages, three times the capacity)"
for i in 1 2 3 4 5 6; do
	fill_file /mnt/big$i 4
done
fill_file /mnt/small 2
sums_record /tmp/sums /mnt/big* /mnt/small
drop_caches 3
read_all /mnt/big*
drop_caches
report after-big
check_le "emulator pages <= capacity" "$(emu_stat pages)" 2048
check_gt "emulator evicted pages" "$(emu_stat evictions)" 0

memcg_enter capacity 8M
sums_verify "memcg pass 1" /tmp/sums
sums_verify "memcg pass 2" /tmp/sums
memcg_leave capacity
check_le "emulator pages <= capacity after memcg" "$(emu_stat pages)" 2048

# The most recently put pages survive eviction: they hit.
drop_caches
read_all /mnt/small
drop_caches
hits0=$(tmem_stat hits)
sums_verify "small file" /tmp/sums
check_gt "recent pages hit" "$(tmem_stat hits)" "$hits0"

read_all /mnt/big*
drop_caches
check "lower capacity_pages to 128" sh -c "echo 128 > $XT_EMU_PARAMS/capacity_pages"
check_le "emulator pages <= 128 after lowering" "$(emu_stat pages)" 128
sums_verify "after lowering capacity" /tmp/sums
report end
check "umount /mnt" umount /mnt
