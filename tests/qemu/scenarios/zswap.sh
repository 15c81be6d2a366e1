# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since (eval)
# zswap and xen_tmem together. zswap (built in) registered its frontswap
# backend at boot, xen_tmem registers later, and 5.10's frontswap tries
# the most recent backend first, for stores and for loads: xen_tmem takes
# every page while its pool has room and zswap stores nothing; with the
# pool full (persist_capacity_pages 2048) xen_tmem's stores fail
# (-ENOMEM), xen_tmem backs off (skips the hypervisor for most stores)
# and zswap takes the overflow; every load and invalidate of a page zswap
# holds asks xen_tmem first, which answers from its record of held
# offsets without a hypercall; with xen_tmem enabled=0 zswap takes
# everything, and no hypercall at all is made. The pages are compressible
# (xt-swapfill -c 25: a quarter of each page unique), or zswap would
# reject them; the few pages that neither takes (the program's own
# arrays, which do not compress, when xen_tmem cannot take them) go to
# the disk. Every byte comes back in each run.
#
# The pool needs room for more than what is out of memory: a page read
# back from swap keeps its swap slot (and its copy in the pool: loads do
# not remove it) while it stays clean in the swap cache, so the pool
# ends up holding nearly the whole 64 MiB: the first part gives it
# 32768 pages.
# disks: raw:256M
# timeout: 420

# shellcheck source=tests/qemu/guest/swap.sh
. /lib/xt/swap.sh

MIB=$(scaled 64)
ARGS="-m $MIB -c 25"

zswap_set Y
swap_setup vda
load_persist persist_capacity_pages=32768
memcg_make z "$(scaled 32)M"

info "room in the pool: xen_tmem serves"
sw_snap vda
# shellcheck disable=SC2086 # a list of options
swapfill_start room z $ARGS -s 0x5eed0005 -w /tmp/go.room
swapfill_ready room
echo "REPORT[room-filled] emu_persist_pages=$(emu_stat persist_pages)" \
	"zswap_stored=$(z_stat stored_pages) xen_tmem_stores=$(fs_stat stores)"
check_gt "room, filled: emulator persist_pages" "$(emu_stat persist_pages)" 0
check_eq "room, filled: zswap stored_pages" 0 "$(z_stat stored_pages)"
touch /tmp/go.room
swapfill_end room z
sw_since vda
sw_report room
fs_dump room
check_gt "room: xen_tmem stores" "$d_f_stores" 0
check_eq "room: xen_tmem store_failures" 0 "$d_f_store_failures"
check_gt "room: xen_tmem load_hits" "$d_f_load_hits" 0
check_eq "room: xen_tmem load_misses" 0 "$d_f_load_misses"
check_eq "room: kernel frontswap succ_stores = xen_tmem stores" \
	"$d_f_stores" "$d_k_succ_stores"
check_eq "room: zswap stored_pages stays 0" 0 "$(z_stat stored_pages)"
check_eq "room: swap disk not written" 0 "$d_disk_wr"
persist_drained room

info "pool full (2048 pages): zswap takes the overflow"
echo 2048 > "$XT_EMU_PARAMS/persist_capacity_pages"
check_eq "persist_capacity_pages=2048" 2048 "$(emu_stat persist_capacity_pages)"
sw_snap vda
# shellcheck disable=SC2086
swapfill_start full z $ARGS -s 0x5eed0006 -w /tmp/go.full
swapfill_ready full
zfill=$(z_stat stored_pages)
echo "REPORT[full-filled] emu_persist_pages=$(emu_stat persist_pages)" \
	"zswap_stored=$zfill xen_tmem_stores=$(fs_stat stores)" \
	"xen_tmem_store_failures=$(fs_stat store_failures)"
check_gt "full, filled: zswap stored_pages" "$zfill" 0
check_le "full, filled: emulator persist_pages <= 2048" \
	"$(emu_stat persist_pages)" 2048
touch /tmp/go.full
swapfill_end full z
sw_since vda
sw_report full
fs_dump full
check_gt "full: xen_tmem stores" "$d_f_stores" 0
check_gt "full: xen_tmem store_failures" "$d_f_store_failures" 0
check_gt "full: xen_tmem err_enomem" "$d_f_err_enomem" 0
check_gt "full: emulator persist_puts_enomem" "$d_e_persist_puts_enomem" 0
check_gt "full: xen_tmem load_hits" "$d_f_load_hits" 0
check_gt "full: xen_tmem backed off (store_skipped)" "$d_f_store_skipped" 0
check_le "full: refused puts <= 1 % of the pages swapped out" \
	$((d_f_store_failures * 100)) "$d_out"
check_eq "full: no load misses" 0 "$d_f_load_misses"
check_gt "full: loads of pages zswap holds answered without a hypercall" \
	"$d_f_load_not_held" 0
check_gt "full: so were their invalidates" "$d_f_invalidate_not_held" 0
check_eq "full: get hypercalls = load hits" "$d_f_load_hits" "$d_h_get_page"
check_eq "full: put hypercalls = stores (none skipped counted)" \
	"$d_f_stores" "$d_h_put_page"
check_eq "full: pages neither took = pages zswap could not compress" \
	"$d_z_reject_compress_poor" "$d_k_failed_stores"
check_le "full: at most 1 % of the stores failed in both" \
	$((d_k_failed_stores * 100)) "$d_k_succ_stores"
persist_drained full
check_le "full: zswap stored_pages <= swap slots in use" \
	"$(z_stat stored_pages)" "$(swap_used_pages)"

info "xen_tmem enabled=0: zswap takes everything"
fs_set_enabled 0
sw_snap vda
# shellcheck disable=SC2086
swapfill_run off z $ARGS -s 0x5eed0007
sw_since vda
sw_report enabled-0
check_eq "enabled=0: xen_tmem stores" 0 "$d_f_stores"
check_gt "enabled=0: xen_tmem refused" "$d_f_refused" 0
check_gt "enabled=0: kernel frontswap succ_stores (zswap)" "$d_k_succ_stores" 0
check_eq "enabled=0: emulator persist puts" 0 "$d_e_puts"
check_gt "enabled=0: loads of pages zswap holds reached xen_tmem" \
	"$d_f_load_not_held" 0
check_eq "enabled=0: no load misses" 0 "$d_f_load_misses"
check_eq "enabled=0: no put hypercall" 0 "$d_h_put_page"
check_eq "enabled=0: get hypercalls only for pages the pool still held" \
	"$d_f_load_hits" "$d_h_get_page"
check_le "enabled=0: hypercalls <= 1 % of the pages swapped in and out" \
	$((d_h_total * 100)) $((d_in + d_out))
fs_set_enabled 1
fs_dump end
