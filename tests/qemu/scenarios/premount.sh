# shellcheck shell=sh
# Premount: a filesystem mounted before the module loads gets a pool when
# the backend registers (cleancache iterates the mounted superblocks).
# disks: ext4:128M
# timeout: 120
# xen: premount tmem

mount_disk /dev/vda /mnt
for i in 1 2 3 4; do
	fill_file /mnt/p$i 4
done
sums_record /tmp/sums /mnt/p*
drop_caches
read_all /mnt/p*

load_both
check_eq "pools/ has a pool for the mounted fs" 1 "$(pool_count)"
for p in "$XT_SYS"/pools/*; do
	[ -d "$p" ] && echo "REPORT[premount] pool ${p##*/}: $(dir_kv "$p")"
done
puts0=$(tmem_stat puts)
hits0=$(tmem_stat hits)
drop_caches
check_gt "drop_caches put pages" "$(tmem_stat puts)" "$puts0"
sums_verify "after load" /tmp/sums
report after-read
check_gt "xen_tmem hits" "$(tmem_stat hits)" "$hits0"
check_gt "cleancache succ_gets" "$(cc_stat succ_gets)" 0
check "umount /mnt" umount /mnt
