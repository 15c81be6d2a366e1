# shellcheck shell=sh
# A guest without a balloon (the emulator loaded with balloon=N; on Xen:
# a kernel built without CONFIG_XEN_BALLOON): selfballoon=1 at load is
# ignored with one line and everything else loads and works; a later
# write of 1 is refused with one line and changes nothing.
# disks: ext4:64M
# timeout: 120

load_emu balloon=N
klog_clear
load_tmem transport=emulated selfballoon=1
check "one line says why" klog_has \
	"xen_tmem: selfballoon=1 ignored: the guest has no balloon; everything else is on"
check_eq "selfballoon reads N" N "$(param selfballoon)"
check_not "no selfballoon statistics" test -e "$XT_SYS/selfballoon"
check_eq "cleancache registered all the same" 1 \
	"$(dmesg | grep -c 'xen_tmem: version .* cleancache pages go to tmem')"

klog_clear
check_not "a later selfballoon=1 is refused" \
	sh -c "echo 1 > '$XT_PARAMS/selfballoon'"
check "one line says why" klog_has \
	"xen_tmem: selfballoon: the guest has no balloon; nothing changed"
check_eq "selfballoon still reads N" N "$(param selfballoon)"
check "selfballoon=0 is accepted" sh -c "echo 0 > '$XT_PARAMS/selfballoon'"

# The rest works: a file read back through tmem.
mount_disk /dev/vda /mnt
fill_file /mnt/f 8
sums_record /tmp/sums /mnt/f
drop_caches 1
sums_verify "first read" /tmp/sums
drop_caches 1
sums_verify "second read" /tmp/sums
check_gt "hits" "$(tmem_stat hits)" 0
umount /mnt
