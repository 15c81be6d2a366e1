# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since (eval)
# Swapoff with pages in the pool: xt-swapfill fills, then waits while the
# swap disk is turned off; swapoff loads every page back (from the pool),
# xen_tmem invalidates the area and the hypervisor's persistent pool ends
# empty; then the program verifies every byte. Swapon again and one more
# run, and a second swapoff. On either hypervisor; on Xen, dom0 has room
# for persistent pages (max above its memory).
# disks: raw:256M
# timeout: 420
# xen: swapoff tmem dom0_mem=256M,max:512M

# shellcheck source=tests/qemu/guest/swap.sh
. /lib/xt/swap.sh

MIB=$(scaled 96)
LIMIT=$(scaled 32)M

load_persist persist_capacity_pages=32768
swap_setup vda
memcg_make off "$LIMIT"

sw_snap vda
swapfill_hold hold off -m "$MIB" -s 0x5eed0003
# swapoff brings every page back into memory, charged to the program's
# cgroup: lift its limit, or the memcg OOM killer ends the program.
echo max > "$XT_CG/off/memory.max"
hits0=$(num "$XT_FS/load_hits")
areas0=$(num "$XT_FS/invalidate_areas")
check_gt "held: xen_tmem's record of held pages" "$(fs_stat held_pages)" 0
check_gt "held: the record's memory" "$(fs_stat map_bytes)" 0
check "swapoff /dev/vda with the program alive" swapoff /dev/vda
check_not "/dev/vda gone from /proc/swaps" grep -q '^/dev/vda ' /proc/swaps
check_gt "swapoff: load_hits grew" "$(num "$XT_FS/load_hits")" "$hits0"
check_gt "swapoff: invalidate_areas grew" "$(num "$XT_FS/invalidate_areas")" "$areas0"
check_eq "swapoff: hypervisor persist_pages is 0" 0 "$(hv_stat persist_pages)"
check_eq "swapoff: no page in the record" 0 "$(fs_stat held_pages)"
check_eq "swapoff: the record freed" 0 "$(fs_stat map_bytes)"
fs_dump after-swapoff
swapfill_go hold
swapfill_end hold off
sw_since vda
sw_report swapoff
echo "REPORT[swapoff] held_before=$held load_hits=$d_f_load_hits" \
	"inv_areas=$d_f_invalidate_areas hv_persist_pages=$(hv_stat persist_pages)"

info "swapon again, one more run"
check "swapon /dev/vda" swapon /dev/vda
echo "$LIMIT" > "$XT_CG/off/memory.max"
sw_snap vda
swapfill_run again off -m "$MIB" -s 0x5eed0004
sw_since vda
sw_report swapon-again
check_gt "again: stores" "$d_f_stores" 0
check_gt "again: load_hits" "$d_f_load_hits" 0
check_eq "again: no store_failures" 0 "$d_f_store_failures"
check_eq "again: no load_misses" 0 "$d_f_load_misses"
persist_drained again
areas0=$(num "$XT_FS/invalidate_areas")
check "swapoff /dev/vda again" swapoff /dev/vda
check_gt "second swapoff: invalidate_areas grew" \
	"$(num "$XT_FS/invalidate_areas")" "$areas0"
check_eq "second swapoff: hypervisor persist_pages is 0" 0 "$(hv_stat persist_pages)"
fs_dump end
