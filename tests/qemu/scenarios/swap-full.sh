# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since (eval)
# Swap into a full pool: the emulated hypervisor may hold only 2048
# persistent pages (8 MiB); beyond that a PUT answers -ENOMEM (Xen at
# max_pages), xen_tmem fails the store and the page goes on to the swap
# disk. After a refusal xen_tmem backs off: it skips the hypervisor for
# most stores (at most 1 % of the pages swapped out are refused puts).
# Then the pool gets room in the middle of a run (the limit is raised):
# a store is taken again within 1000 stores, and the back-off has ended
# within 1024. Every byte comes back. The
# module loads before swapon here (the swap area is announced to
# frontswap at swapon).
# disks: raw:256M
# timeout: 300

# shellcheck source=tests/qemu/guest/swap.sh
. /lib/xt/swap.sh

CAP=2048
MIB=$(scaled 64)

check_eq "zswap is off" N "$(cat /sys/module/zswap/parameters/enabled)"
load_persist persist_capacity_pages=$CAP
check_eq "emulator persist_capacity_pages" $CAP "$(emu_stat persist_capacity_pages)"
swap_setup vda
memcg_make full "$(scaled 32)M"

sw_snap vda
swapfill_hold full full -m "$MIB" -s 0x5eed0002
check_le "filled: emulator persist_pages <= $CAP" "$held" $CAP
check_gt "filled: store_failures" "$(fs_stat store_failures)" 0
check_gt "filled: backing off (window)" "$(fs_stat backoff_window)" 0
swapfill_go full
swapfill_end full full
sw_since vda
sw_report full-pool
fs_dump full-pool
check_gt "xen_tmem: stores" "$d_f_stores" 0
check_gt "xen_tmem: store_failures" "$d_f_store_failures" 0
check_gt "xen_tmem: err_enomem" "$d_f_err_enomem" 0
check_eq "xen_tmem: every failure is -ENOMEM" "$d_f_store_failures" \
	"$d_f_err_enomem"
check_gt "xen_tmem: backed off" "$d_f_backoffs" 0
check_gt "xen_tmem: stores skipped while backing off" "$d_f_store_skipped" 0
check_le "xen_tmem: refused puts <= 1 % of the pages swapped out" \
	$((d_f_store_failures * 100)) "$d_out"
check_eq "xen_tmem: a put hypercall per store, no more" "$d_f_stores" \
	"$d_h_put_page"
check_eq "xen_tmem: no flush for a refused put of a new key" \
	"$d_f_invalidate_pages" "$d_h_flush_page"
check_gt "xen_tmem: load_hits" "$d_f_load_hits" 0
check_eq "xen_tmem: no load_misses" 0 "$d_f_load_misses"
check_gt "emulator: persist_puts_enomem" "$d_e_persist_puts_enomem" 0
check_gt "kernel frontswap: failed_stores" "$d_k_failed_stores" 0
check_gt "swap disk: sectors written" "$d_disk_wr" 0
check_gt "swap disk: sectors read" "$d_disk_rd" 0
echo "REPORT[swap-disk] wr=$d_disk_wr rd=$d_disk_rd held_at_fill=$held cap=$CAP"
persist_drained full

info "room appears in the middle of a run"
sw_snap vda
swapfill_start rec full -m "$MIB" -s 0x5eed0003
sw_wait_skipped 2048 120
echo $((CAP * 32)) > "$XT_EMU_PARAMS/persist_capacity_pages"
sw_first_taken
swapfill_end rec full
sw_since vda
sw_report recover
sw_after_room recover
check_gt "recover: backing off when room appeared (window)" "$rm_window" 0
check_eq "recover: a store taken after room appeared" 1 "$ft_taken"
check_le "recover: stores skipped until then <= 1000" "$ft_skipped" 1000
check_le "recover: refused puts until then (one per CPU at most)" \
	"$ft_failed" 2
# A store taken on a freed page's credit does not end the back-off, the
# next store the window lets through does: at most the rest of the window
# (512), or two windows if a put in flight at the raise was refused.
check_le "recover: the back-off ended within two windows (1024 stores)" \
	"$rm_skipped" 1024
check_gt "recover: stores taken after room appeared" "$rm_taken" 1000
check_eq "recover: no longer backing off" 0 "$(fs_stat backoff_window)"
persist_drained recover
areas0=$(num "$XT_FS/invalidate_areas")
check "swapoff /dev/vda" swapoff /dev/vda
check_gt "swapoff: invalidate_areas grew" "$(num "$XT_FS/invalidate_areas")" "$areas0"
check_eq "swapoff: emulator persist_pages is 0" 0 "$(emu_stat persist_pages)"
fs_dump end
