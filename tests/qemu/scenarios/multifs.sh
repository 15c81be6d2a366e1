# shellcheck shell=sh
# Many filesystems: 18 byte-identical clones of one ext4 image (so every
# file has the same cleancache key: inode number and generation) mounted
# at once. Pools must keep their pages apart; past 16 pools a filesystem
# runs uncached; a pool slot freed by umount and reused by another
# filesystem must not return the old filesystem's pages.
# disks: ext4:8M raw:8M raw:128M
# timeout: 180

MIB=1048576
NLOOP=16

load_both
mount_disk /dev/vda /mnt
fill_file /mnt/f 1
check "umount template" umount /mnt

info "clone the template to vdb and to $NLOOP regions of vdc"
dd if=/dev/vda of=/dev/vdb bs=1M 2> /dev/null
i=0
while [ "$i" -lt "$NLOOP" ]; do
	dd if=/dev/vda of=/dev/vdc bs=1M seek=$((i * 8)) 2> /dev/null
	i=$((i + 1))
done
sync

# The loop devices come from /dev/loop-control (losetup -f): kernels
# since 5.11 no longer make one when a node past the first eight
# (CONFIG_BLK_DEV_LOOP_MIN_COUNT) is opened.
DEVS="/dev/vda /dev/vdb"
LOOPS=
i=0
while [ "$i" -lt "$NLOOP" ]; do
	loop=$(losetup -f)
	require "a free loop device ($loop)" test -b "$loop"
	losetup -o $((i * 8 * MIB)) "$loop" /dev/vdc
	DEVS="$DEVS $loop"
	LOOPS="$LOOPS $loop"
	i=$((i + 1))
done

klog_clear
n=0
for d in $DEVS; do
	mount_disk "$d" "/m/$n"
	n=$((n + 1))
done
report mounted
check_le "emulator pools <= 16" "$(emu_stat pools)" 16
check_eq "xen_tmem has 16 pools" 16 "$(pool_count)"
check "dmesg: filesystems past 16 pools run uncached" klog_has "runs uncached"
dmesg | grep 'xen_tmem' | sed 's/^/INFO: dmesg: /'

# Give every clone its own contents for the same file.
: > /tmp/sums
n=0
for d in $DEVS; do
	fill_file "/tmp/new" 1
	dd if=/tmp/new of="/m/$n/f" conv=notrunc bs=64k 2> /dev/null
	sha256sum "/m/$n/f" >> /tmp/sums
	n=$((n + 1))
done
rm /tmp/new
drop_caches
read_all /m/*/f
drop_caches
hits0=$(tmem_stat hits)
sums_verify "18 clones" /tmp/sums
check_gt "hits across the clones" "$(tmem_stat hits)" "$hits0"
report verified

# /m/0 (vda) leaves with its pages in tmem; the last clone (uncached so
# far) remounts and may get the freed slot: it must see only its own data.
last=$((n - 1))
read_all /m/0/f
drop_caches
check "umount /m/0" umount /m/0
check "umount /m/$last" umount "/m/$last"
mount_disk "${LOOPS##* }" "/m/$last"
check_eq "the remounted clone got the freed pool" 16 "$(pool_count)"
read_all "/m/$last/f"
drop_caches
grep -v ' /m/0/f$' /tmp/sums > /tmp/sums.left
sums_verify "after slot reuse" /tmp/sums.left
report reused

n=0
for d in $DEVS; do
	[ "$n" = 0 ] || check "umount /m/$n" umount "/m/$n"
	n=$((n + 1))
done
for loop in $LOOPS; do
	losetup -d "$loop"
done
check_eq "no pools left" 0 "$(emu_stat pools)"
