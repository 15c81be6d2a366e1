# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since (eval)
# swap-thp: transparent huge pages reach frontswap whole (THP_SWAP, on a
# swap disk the kernel treats as solid state): xen_tmem refuses each one
# (`refused`), as frontswap backends must, the kernel writes it to the
# disk, and every byte comes back right; small pages (a huge page split
# later, or never made huge) still go to the pool.
# disks: raw:256M
# timeout: 300

# shellcheck source=tests/qemu/guest/swap.sh
. /lib/xt/swap.sh

thp=/sys/kernel/mm/transparent_hugepage
require "the kernel has transparent huge pages" test -d "$thp"
# The kernel turns them off in guests below 512 MiB: only where asked.
echo madvise > "$thp/enabled"
check_eq "THP only where asked" "always [madvise] never" "$(cat "$thp/enabled")"
# Huge-page swap clusters exist only on non-rotational swap devices.
echo 0 > /sys/block/vda/queue/rotational
load_persist persist_capacity_pages=32768
swap_setup vda
memcg_make thp "$(scaled 32)M"

sw_snap vda
swapfill_run huge thp -m "$(scaled 96)" -s 0x5eed0031 -H
sw_since vda
sw_report thp
# tinyconfig has no /proc/vmstat event counters (thp_swpout): a huge
# page refused is seen on the disk instead, 4096 sectors written whole.
check_gt "xen_tmem refused huge pages (refused)" "$d_f_refused" 0
check_eq "the kernel saw those refusals (frontswap failed_stores)" \
	"$d_f_refused" "$d_k_failed_stores"
check_le "each refused huge page went to the disk whole" \
	$((d_f_refused * 4096)) "$d_disk_wr"
check_gt "small pages still went to the pool (stores)" "$d_f_stores" 0
check_eq "no store failures" 0 "$d_f_store_failures"
check_eq "a put hypercall per store, none for a refused huge page" \
	"$d_f_stores" "$d_h_put_page"
fs_dump end
check "swapoff /dev/vda" swapoff /dev/vda
check_eq "swapoff: emulator persist_pages is 0" 0 "$(emu_stat persist_pages)"
