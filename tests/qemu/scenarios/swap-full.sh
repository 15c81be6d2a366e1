# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since (eval)
# Swap into a full pool: the emulated hypervisor may hold only 2048
# persistent pages (8 MiB); beyond that a PUT answers -ENOMEM (Xen at
# max_pages), xen_tmem fails the store and the page goes on to the swap
# disk. Every byte comes back. The module loads before swapon here (the
# swap area is announced to frontswap at swapon).
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
check_gt "xen_tmem: load_hits" "$d_f_load_hits" 0
check_eq "xen_tmem: no load_misses" 0 "$d_f_load_misses"
check_gt "emulator: persist_puts_enomem" "$d_e_persist_puts_enomem" 0
check_gt "kernel frontswap: failed_stores" "$d_k_failed_stores" 0
check_gt "swap disk: sectors written" "$d_disk_wr" 0
check_gt "swap disk: sectors read" "$d_disk_rd" 0
check_le "emulator: persist_pages <= $CAP" "$(emu_stat persist_pages)" $CAP
echo "REPORT[swap-disk] wr=$d_disk_wr rd=$d_disk_rd held_at_fill=$held cap=$CAP"
persist_drained full
areas0=$(num "$XT_FS/invalidate_areas")
check "swapoff /dev/vda" swapoff /dev/vda
check_gt "swapoff: invalidate_areas grew" "$(num "$XT_FS/invalidate_areas")" "$areas0"
check_eq "swapoff: emulator persist_pages is 0" 0 "$(emu_stat persist_pages)"
fs_dump end
