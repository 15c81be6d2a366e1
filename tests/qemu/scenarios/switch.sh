# shellcheck shell=sh
# Switch: enabled=0 flushes tmem and stops puts and gets; enabled=1
# brings the cache back. Data stays correct throughout. On a real Xen,
# Xen's own figures show the memory given back: dom0's pools gone from
# tmem's list, and Xen's free memory (free pages plus tmem's list of
# free pages, which any allocation in Xen takes from) back where it was.
# disks: ext4:128M
# timeout: 120
# xen: switch tmem

EN=$XT_PARAMS/enabled

# xen_free: Xen's free memory in pages, counting tmem's free-page list
# (Ta), where tmem leaves the pages it frees for Xen's next allocation.
xen_free() {
	echo $(($(xen_physinfo free_pages) + $(xen_global Ta)))
}

[ "$XT_HV" != xen ] || free0=$(xen_free)
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
check_gt "the hypervisor holds pages while on" "$(hv_stat pages)" 0
sums_verify "on" /tmp/sums
report on
check_gt "hits while on" "$(tmem_stat hits)" 0
# A get from a private pool takes the page out of tmem: put them back.
drop_caches
held=$(hv_stat pages)
check_gt "the hypervisor holds the pages again before the switch" "$held" 0
if [ "$XT_HV" = xen ]; then
	free1=$(xen_free)
	echo "REPORT[xen-memory] on: free_before_load=$free0 free=$free1" \
		"tmem_pages=$held $(xen_physinfo total_pages | sed 's/^/total_pages=/')"
	check_le "Xen: its free memory fell by the pages tmem holds (less 5 %)" \
		$((held * 95 / 100)) $((free0 - free1))
fi

check "echo 0 > enabled" sh -c "echo 0 > $EN"
check_eq "enabled reads N" N "$(param enabled)"
check_eq "hypervisor pages 0 after disable" 0 "$(hv_stat pages)"
if [ "$XT_HV" = xen ]; then
	free2=$(xen_free)
	echo "REPORT[xen-memory] off: free=$free2 freed=$((free2 - free1))" \
		"dom0_pools=$(hv_stat pools) eph_pages=$(xen_global Ec)" \
		"$("$XT_HVSTAT" freeable)"
	check_eq "Xen: dom0 has no tmem pool left" 0 "$(hv_stat pools)"
	check_eq "Xen: tmem holds no ephemeral page (global Ec)" 0 "$(xen_global Ec)"
	check_le "Xen: the memory is free again (at least what tmem held, less 5 %)" \
		$((held * 95 / 100)) $((free2 - free1))
	check_le "Xen: free memory back to its level before the load (less 256 pages)" \
		$((free0 - 256)) "$free2"
fi
hits1=$(tmem_stat hits)
puts1=$(tmem_stat puts)
hv_puts1=$(hv_stat puts)
drop_caches
sums_verify "off pass 1" /tmp/sums
drop_caches
sums_verify "off pass 2" /tmp/sums
drop_caches
report off
check_eq "hits do not grow while off" "$hits1" "$(tmem_stat hits)"
check_eq "puts do not grow while off" "$puts1" "$(tmem_stat puts)"
check_eq "hypervisor puts do not grow while off" "$hv_puts1" "$(hv_stat puts)"
check_eq "hypervisor pages stay 0 while off" 0 "$(hv_stat pages)"

check "echo 1 > enabled" sh -c "echo 1 > $EN"
check_eq "enabled reads Y again" Y "$(param enabled)"
read_all /mnt/s*
drop_caches
check_gt "the hypervisor holds pages again" "$(hv_stat pages)" 0
sums_verify "on again" /tmp/sums
report on-again
check_gt "puts grow again" "$(tmem_stat puts)" "$puts1"
check_gt "hits grow again" "$(tmem_stat hits)" "$hits1"
check "umount /mnt" umount /mnt
