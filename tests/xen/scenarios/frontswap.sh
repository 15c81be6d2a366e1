# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since (eval)
# Frontswap on a real Xen (pool_flags=shared,persist). Xen charges the
# pages of a persistent pool to the domain, so what a swapped page costs
# depends on the domain's room:
#   swap-max:  dom0 at its max_pages (dom0_mem=256M,max:256M): Xen refuses
#              puts with -ENOMEM (all but those it takes after dom0 freed
#              a page); xen_tmem backs off, skipping the hypervisor for
#              nearly every store (refused puts <= 1 % of the pages
#              swapped out), the pages go to the swap disk, and every
#              byte comes back right. Then dom0 balloons 64 MiB down in
#              the middle of a run (room for persistent pages): stores are
#              taken again within 1000 stores. Then zswap takes the
#              overflow of the full pool: loads and invalidates of its
#              pages make no hypercall;
#   swap-room: max:512M: every store taken, 0 sectors to or from the swap
#              disk, every byte right, the pool's pages counted by Xen,
#              and back to 0 once the program is gone and swap is off;
#              with enabled=0 and zswap on, next to no hypercall (only
#              for pages the pool still holds from the run before).
# Each run reports xen_tmem's hypercalls per swapped-out and per
# swapped-in page (REPORT[...-hcalls]).
# xt-swapfill: 96 MiB of anonymous memory in a 32 MiB memory cgroup.
# disks: raw:256M
# timeout: 600
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
	# its own (a flushed page of the pool, or a page a PVH dom0 gives
	# back now and then).
	good=$(xen_pool_sum ps P)
	check_gt "xen_tmem backed off" "$d_f_backoffs" 0
	check_gt "stores skipped while backing off" "$d_f_store_skipped" 0
	check_le "refused puts <= 1 % of the pages swapped out" \
		$((d_f_store_failures * 100)) "$d_out"
	check_eq "every failure was -ENOMEM" "$d_f_store_failures" "$d_f_err_enomem"
	# Xen 4.12 counts a put as no_mem_puts only when the page itself
	# could not be had; at max_pages it may fail earlier, allocating the
	# object from the domain's pages, and return -ENOMEM uncounted: so
	# compare with the puts it saw less those it took.
	check_eq "Xen refused as many as the module counted (puts - good puts)" \
		"$d_f_store_failures" $(($(xen_pool_sum pt P) - good))
	check_eq "the module's taken stores are Xen's good puts" \
		$((d_f_stores - d_f_store_failures)) "$good"
	check_eq "a put hypercall per store offered to Xen" "$d_f_stores" \
		"$d_h_put_page"
	check_le "Xen held no more pages than it took" "$filled" "$good"
	check_eq "no load missed" 0 "$d_f_load_misses"
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
	check_eq "a put hypercall per store" "$d_f_stores" "$d_h_put_page"
	check_eq "a get hypercall per load" "$d_f_loads" "$d_h_get_page"
	check_eq "no back-off" 0 "$d_f_backoffs"
	;;
esac
persist_drained "$XT_CASE"

# balloon_kib: dom0's current memory as the balloon driver has it.
XT_BALLOON=/sys/devices/system/xen_memory/xen_memory0
balloon_kib() { num "$XT_BALLOON/info/current_kb"; }

case $XT_CASE in
swap-max)
	info "dom0 balloons 64 MiB down in the middle of a run: room appears"
	require "the balloon driver" test -w "$XT_BALLOON/target_kb"
	sw_snap vda
	swapfill_start rec swap -m "$MIB" -s 0x5eed0102
	sw_wait_skipped 2048 300
	kib0=$(balloon_kib)
	echo $((kib0 - 65536)) > "$XT_BALLOON/target_kb"
	i=0
	while [ "$(balloon_kib)" -gt $((kib0 - 65536)) ] && [ "$i" -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sw_first_taken
	swapfill_end rec swap
	sw_since vda
	sw_report balloon-down
	sw_after_room balloon-down
	echo "REPORT[balloon-down] kib_before=$kib0 kib_after=$(balloon_kib)"
	check_gt "balloon: backing off before the room appeared" "$rm_window" 0
	check_le "balloon: dom0 gave 64 MiB back" "$(balloon_kib)" \
		$((kib0 - 65536))
	check_eq "balloon: a store taken after the room appeared" 1 "$ft_taken"
	check_le "balloon: stores skipped until then <= 1000" "$ft_skipped" 1000
	# The room is 16384 pages: the run fills it and Xen refuses again.
	check_gt "balloon: stores taken after the room appeared" "$rm_taken" 1000
	persist_drained balloon-down

	info "the pool full again, zswap on: zswap takes the overflow"
	echo "$kib0" > "$XT_BALLOON/target_kb"
	zswap_set Y
	sw_snap vda
	swapfill_run zs swap -m "$MIB" -c 25 -s 0x5eed0103
	sw_since vda
	sw_report zswap-overflow
	check_gt "zswap: took pages (kernel frontswap stores)" \
		"$d_k_succ_stores" "$d_f_stores"
	check_le "zswap: refused puts <= 1 % of the pages swapped out" \
		$((d_f_store_failures * 100)) "$d_out"
	check_eq "zswap: no load missed" 0 "$d_f_load_misses"
	check_gt "zswap: loads of its pages made no hypercall" \
		"$d_f_load_not_held" 0
	check_eq "zswap: get hypercalls = load hits" "$d_f_load_hits" \
		"$d_h_get_page"
	persist_drained zswap-overflow
	zswap_set N
	;;
swap-room)
	info "enabled=0 and zswap on: zswap takes everything, no hypercall"
	fs_set_enabled 0
	zswap_set Y
	sw_snap vda
	swapfill_run off swap -m "$MIB" -c 25 -s 0x5eed0104
	sw_since vda
	sw_report enabled-0
	check_eq "enabled=0: no store reached Xen" 0 "$d_f_stores"
	check_gt "enabled=0: zswap took the pages" "$d_k_succ_stores" 0
	check_gt "enabled=0: loads of zswap's pages came to xen_tmem" \
		"$d_f_load_not_held" 0
	check_eq "enabled=0: no load missed" 0 "$d_f_load_misses"
	check_eq "enabled=0: no put hypercall" 0 "$d_h_put_page"
	check_le "enabled=0: hypercalls <= 1 % of the pages swapped in and out" \
		$((d_h_total * 100)) $((d_in + d_out))
	zswap_set N
	fs_set_enabled 1
	;;
esac
check "swapoff /dev/vda" swapoff /dev/vda
check_eq "after swapoff: Xen's persistent pool is empty" 0 "$(hv_num persist_pages)"
hv_ops_check "$XT_CASE"
