# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since (eval)
# Frontswap on a real Xen (pool_flags=shared,persist). Xen charges the
# pages of a persistent pool to the domain, so what a swapped page costs
# depends on the domain's room:
#   swap-max:  dom0 at its max_pages (dom0_mem=256M,max:256M): Xen refuses
#              the stores with -ENOMEM (all, or all but the few it takes
#              while dom0 has just freed a page of its own), the module
#              counts refused and taken stores as Xen does, the pages go
#              to the swap disk, and every byte comes back right;
#   swap-room: max:512M: every store taken, 0 sectors to or from the swap
#              disk, every byte right, the pool's pages counted by Xen,
#              and back to 0 once the program is gone and swap is off.
# xt-swapfill: 96 MiB of anonymous memory in a 32 MiB memory cgroup.
# disks: raw:256M
# timeout: 420
# xen: swap-max tmem dom0_mem=256M,max:256M
# xen: swap-room tmem dom0_mem=256M,max:512M

# shellcheck source=tests/qemu/guest/swap.sh
. /lib/xt/swap.sh

MIB=96

swap_setup vda
memcg_make swap 32M
load_persist
fs_dump loaded
check_eq "this is a real Xen" xen "$XT_HV"

sw_snap vda
swapfill_start fill swap -m "$MIB" -s 0x5eed0101 -w /tmp/go.fill
swapfill_ready fill
filled=$(hv_num persist_pages)
swapfill_go fill
swapfill_end fill swap
sw_since vda
sw_report "$XT_CASE"
fs_dump "$XT_CASE"
xpx=$(hv_num persist_puts_enomem)
echo "REPORT[$XT_CASE-xen] persist_pages_filled=$filled xen_no_mem_puts=$xpx" \
	"xen_persist_puts=$(xen_pool_sum pt P) xen_persist_good_puts=$(xen_pool_sum ps P)" \
	"xen_persist_gets=$(xen_pool_sum gt P) xen_persist_found=$(xen_pool_sum gs P)"
check_gt "the kernel offered stores" "$d_f_stores" 0
check_eq "nothing refused without asking" 0 "$d_f_refused"
case $XT_CASE in
swap-max)
	# At max_pages Xen takes a page only while dom0 has just freed one of
	# its own (a PVH dom0 does, now and then): next to none.
	good=$(xen_pool_sum ps P)
	check_le "nearly every store failed (>= 99 %)" $((d_f_stores * 99)) \
		$((d_f_store_failures * 100))
	check_eq "every failure was -ENOMEM" "$d_f_store_failures" "$d_f_err_enomem"
	# Xen 4.12 counts a put as no_mem_puts only when the page itself
	# could not be had; at max_pages it may fail earlier, allocating the
	# object from the domain's pages, and return -ENOMEM uncounted: so
	# compare with the puts it saw less those it took.
	check_eq "Xen refused as many as the module counted (puts - good puts)" \
		"$d_f_store_failures" $(($(xen_pool_sum pt P) - good))
	check_eq "the module's taken stores are Xen's good puts" \
		$((d_f_stores - d_f_store_failures)) "$good"
	check_le "Xen held no more pages than it took" "$filled" "$good"
	check_eq "no load missed (the kernel asks only for pages Xen took)" \
		0 "$d_f_load_misses"
	check_gt "the swap disk took the pages (sectors written)" "$d_disk_wr" \
		$((MIB * 2048 / 2))
	check_gt "and gave them back (sectors read)" "$d_disk_rd" 0
	;;
swap-room)
	check_eq "no store failed" 0 "$d_f_store_failures"
	check_gt "Xen held the swapped pages (persistent pool)" "$filled" 0
	check_gt "loads hit" "$d_f_load_hits" 0
	check_eq "no load missed" 0 "$d_f_load_misses"
	check_eq "0 sectors written to the swap disk" 0 "$d_disk_wr"
	check_eq "0 sectors read from the swap disk" 0 "$d_disk_rd"
	check_eq "Xen took every store (its good puts)" "$d_f_stores" \
		"$(xen_pool_sum ps P)"
	;;
esac
persist_drained "$XT_CASE"
check "swapoff /dev/vda" swapoff /dev/vda
check_eq "after swapoff: Xen's persistent pool is empty" 0 "$(hv_num persist_pages)"
hv_ops_check "$XT_CASE"
