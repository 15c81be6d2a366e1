# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since (eval)
# Swap: anonymous memory squeezed by a memory cgroup goes to xen_tmem's
# frontswap backend (one persistent pool in the emulated hypervisor) and
# comes back byte for byte (xt-swapfill), and the swap disk sees far
# fewer writes than in a baseline run of the same boot made before the
# module loads (swap disk only, zswap off). enabled=0 stops new stores,
# while the pages already in the pool still load; when the program
# exits its pages leave the pool (all of them at swapoff).
# disks: raw:256M
# timeout: 420

# shellcheck source=tests/qemu/guest/swap.sh
. /lib/xt/swap.sh

MIB=$(scaled 96)
LIMIT=$(scaled 32)M
SEED=0x5eed0001

check_eq "zswap is off" N "$(cat /sys/module/zswap/parameters/enabled)"
swap_setup vda
memcg_make swap "$LIMIT"

info "baseline: xt-swapfill $MIB MiB in a $LIMIT memory cgroup, swap disk only"
sw_snap vda
swapfill_run base swap -m "$MIB" -s "$SEED"
sw_since vda
sw_report baseline
base_wr=$d_disk_wr
base_rd=$d_disk_rd
base_cs=$d_cs
check_gt "baseline: swap disk sectors written" "$base_wr" 0
check_gt "baseline: swap disk sectors read" "$base_rd" 0
check_eq "baseline: no frontswap store" 0 "$d_k_succ_stores"

info "load the emulator and xen_tmem with a frontswap backend"
load_persist persist_capacity_pages=32768
fs_dump loaded

info "with xen_tmem: the same run"
sw_snap vda
swapfill_hold tmem swap -m "$MIB" -s "$SEED"
check_gt "filled: frontswap stores" "$(fs_stat stores)" 0
swapfill_go tmem
swapfill_end tmem swap
sw_since vda
sw_report with-xen_tmem
fs_dump with-xen_tmem
check_gt "xen_tmem: stores" "$d_f_stores" 0
check_gt "xen_tmem: load_hits" "$d_f_load_hits" 0
check_eq "xen_tmem: no store_failures" 0 "$d_f_store_failures"
check_eq "xen_tmem: no load_misses" 0 "$d_f_load_misses"
check_eq "xen_tmem: nothing refused" 0 "$d_f_refused"
check_gt "xen_tmem: invalidate_pages" "$d_f_invalidate_pages" 0
check_eq "kernel frontswap: failed_stores" 0 "$d_k_failed_stores"
check_eq "kernel frontswap: succ_stores = xen_tmem stores" \
	"$d_f_stores" "$d_k_succ_stores"
check_eq "emulator: no persist_puts_enomem" 0 "$d_e_persist_puts_enomem"
check_eq "zswap stored nothing" 0 "$(z_stat stored_pages)"
check_eq "hypercalls: a put per store" "$d_f_stores" "$d_h_put_page"
check_eq "hypercalls: a get per load" "$d_f_loads" "$d_h_get_page"
check_eq "hypercalls: a flush per invalidate" "$d_f_invalidate_pages" \
	"$d_h_flush_page"
check_eq "every invalidate was of a page xen_tmem held" 0 \
	"$d_f_invalidate_not_held"
check_eq "xen_tmem: no back-off" 0 "$d_f_backoffs"
check_le "swap disk sectors written <= 10 % of the baseline" \
	$((d_disk_wr * 10)) "$base_wr"
check_le "swap disk sectors read <= 10 % of the baseline" \
	$((d_disk_rd * 10)) "$base_rd"
echo "REPORT[swap-disk] baseline_wr=$base_wr baseline_rd=$base_rd" \
	"baseline_secs=$((base_cs / 100)) xen_tmem_wr=$d_disk_wr" \
	"xen_tmem_rd=$d_disk_rd xen_tmem_secs=$((d_cs / 100))" \
	"wr_ratio=$(ratio "$d_disk_wr" "$base_wr")" \
	"rd_ratio=$(ratio "$d_disk_rd" "$base_rd")" \
	"emu_persist_pages_filled=$held"
persist_drained xen_tmem

info "enabled=0 after the fill: no new store, the stored pages still load"
sw_snap vda
swapfill_hold off swap -m "$MIB" -s "$SEED"
fs_set_enabled 0
sw_snap vda
swapfill_go off
swapfill_end off swap
sw_since vda
sw_report enabled-0
check_eq "enabled=0: stores did not grow" 0 "$d_f_stores"
check_gt "enabled=0: stores refused" "$d_f_refused" 0
check_gt "enabled=0: pages stored before still load (load_hits)" \
	"$d_f_load_hits" 0
check_eq "enabled=0: no load_misses" 0 "$d_f_load_misses"
check_gt "enabled=0: the swap disk takes the new stores" "$d_disk_wr" 0
check_eq "enabled=0: emulator persist puts did not grow" 0 "$d_e_puts"
check_eq "enabled=0: no put hypercall" 0 "$d_h_put_page"
check_eq "enabled=0: a get hypercall per load, all hits" "$d_f_load_hits" \
	"$d_h_get_page"
persist_drained enabled-0
fs_set_enabled 1
areas0=$(num "$XT_FS/invalidate_areas")
check "swapoff /dev/vda" swapoff /dev/vda
check_gt "swapoff: invalidate_areas grew" "$(num "$XT_FS/invalidate_areas")" "$areas0"
check_eq "swapoff: emulator persist_pages is 0" 0 "$(emu_stat persist_pages)"
fs_dump end
