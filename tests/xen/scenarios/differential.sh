# shellcheck shell=sh
# Differential: one deterministic workload, the same on the emulator
# (tests/qemu/run.sh) and on Xen 4.12 (tests/xen/tmem.sh), compared by
# tests/xen/differential.sh: every counter of xen_tmem's total/,
# frontswap/ and hypercalls/ after each step must be equal on both. No
# memory cgroup and no memory pressure: pages leave the page cache only
# by drop_caches and swap only by MADV_PAGEOUT, so what the kernel asks
# of the backend depends on the workload alone, and any difference is
# the hypervisor's. Steps: files put, got back (exclusive gets), put
# again; overwrite, truncate, unlink and re-create; inode eviction; the
# switch; a remount (empty pool: -EEMPTY); swap out and in, twice.
# disks: ext4:128M raw:64M
# timeout: 300
# xen-diff: differential tmem dom0_mem=256M,max:512M

# shellcheck source=tests/qemu/guest/swap.sh
. /lib/xt/swap.sh

# step N: the module's counters after step N, on one line each.
step() {
	echo "REPORT[diff-$1] total: $(dir_kv "$XT_SYS/total")"
	echo "REPORT[diff-$1] frontswap: $(dir_kv "$XT_FS" | sed 's/ hv_pool=[^ ]*//')"
	echo "REPORT[diff-$1] hypercalls: $(dir_kv "$XT_SYS/hypercalls")"
}

# The same bytes on every run: files of a fixed pattern.
mkfile() {
	awk -v f="$1" -v pages="$2" 'BEGIN {
		for (p = 0; p < pages; p++)
			for (l = 0; l < 64; l++)
				printf "%-24s page %07d line %02d %017d\n", f, p, l, p * 64 + l
	}' > "/mnt/$1"
}

swap_setup vdb
load_persist persist_capacity_pages=16384
mount_disk /dev/vda /mnt
for f in a b c d e f; do
	mkfile $f 512
done
sums_record /tmp/sums /mnt/?
drop_caches 3
step 1

read_all /mnt/?
drop_caches 1
step 2-put
sums_verify "got back" /tmp/sums
step 3-get
drop_caches 1
step 4-put-again

dd if=/dev/zero of=/mnt/a bs=4096 seek=3 count=5 conv=notrunc 2> /dev/null
truncate -s 1048676 /mnt/b
rm /mnt/c
mkfile c 256
sums_record /tmp/sums /mnt/?
step 5-changed
sums_verify "changed" /tmp/sums
drop_caches 3
sums_verify "inodes evicted" /tmp/sums
drop_caches 1
step 6-evicted

fs_set_enabled 0
sums_verify "off" /tmp/sums
drop_caches 1
fs_set_enabled 1
read_all /mnt/?
drop_caches 1
sums_verify "on again" /tmp/sums
step 7-switch

check "umount /mnt" umount /mnt
mount_disk /dev/vda /mnt
sums_verify "remounted" /tmp/sums
step 8-remount

info "swap: 16 MiB paged out and in, twice (xt-swapfill -P)"
"$XT_SWAPFILL" -T diffswap -q -P -m 16 -s 0x5eed0d1f -r 50 -R 1 > /tmp/swapfill.diff 2>&1
rc=$?
cat /tmp/swapfill.diff
check_eq "swapfill: exit status" 0 "$rc"
check "swapfill: no mismatch" grep -q ' mismatches 0 ' /tmp/swapfill.diff
step 9-swap
check "swapoff /dev/vdb" swapoff /dev/vdb
step 10-swapoff
check_eq "after swapoff: the hypervisor holds no swapped page" 0 "$(hv_num persist_pages)"
check "umount /mnt" umount /mnt
step 11-end
hv_ops_check differential
