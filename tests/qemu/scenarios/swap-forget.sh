# shellcheck shell=sh disable=SC2154 # d_*: set by sw_since (eval)
# swap-forget: the hypervisor forgets pools while pages are swapped out.
# 1. It forgets the ephemeral (cleancache) pools, as after a migration:
#    Xen carries persistent pools across, so xen_tmem must recreate the
#    cleancache pools and keep the frontswap pool (its id is probed, not
#    assumed): every swapped byte comes back right, and files too.
# 2. It forgets the frontswap pool itself, which no real Xen does: the
#    swapped pages are gone. The module cannot fail a swap-in, so the
#    program must see wrong pages, and the module must say so in one
#    critical line and go on with a new pool, on which swapping works.
# disks: raw:256M ext4:64M
# timeout: 480

# shellcheck source=tests/qemu/guest/swap.sh
. /lib/xt/swap.sh

load_persist persist_capacity_pages=32768
swap_setup vda
mount_disk /dev/vdb /mnt
MIB=$(scaled 64)
memcg_make hold "$(scaled 32)M"

info "cleancache pages for a pool that will be forgotten"
fill_file /mnt/f 16
sums_record /tmp/sums /mnt/f
drop_caches 3
read_all /mnt/f
drop_caches 1
check_gt "cleancache pages in the emulator" "$(emu_stat pages)" "$(emu_stat persist_pages)"

swapfill_hold keep hold -m "$MIB" -s 0x5eed0021
swap_id=$(fs_stat hv_pool)

info "1: the hypervisor forgets its ephemeral pools"
klog_clear
echo all > "$XT_EMU_PARAMS/forget_pools"
# The waiting program's last pages may still be going out: at least as
# many persistent pages as before (a forgotten pool would hold none).
check_le "frontswap pool kept by the emulator" "$held" "$(emu_stat persist_pages)"
sums_verify "files after the forget" /tmp/sums
check_gt "cleancache pools recreated" "$(tmem_stat pools_recreated)" 0
check "dmesg: cleancache recovery line" klog_has "xen_tmem: the hypervisor lost pool"
check_not "dmesg: no frontswap loss line" klog_has "lost the frontswap pool"
check_eq "frontswap hv_pool unchanged" "$swap_id" "$(fs_stat hv_pool)"
check_eq "frontswap pools_recreated 0" 0 "$(fs_stat pools_recreated)"
swapfill_go keep
swapfill_end keep hold
fs_dump after-ephemeral-forget

info "2: the hypervisor forgets the frontswap pool"
swapfill_hold lost hold -m "$MIB" -s 0x5eed0022
swap_id=$(fs_stat hv_pool)
klog_clear
echo "$swap_id" > "$XT_EMU_PARAMS/forget_pools"
swapfill_go lost
rc=0
wait "$sf_pid_lost" || rc=$?
grep -v 'MISMATCH' /tmp/swapfill.lost
grep -m 3 'MISMATCH' /tmp/swapfill.lost
# It reports wrong pages (1), or dies of them (a lost page of its own
# stack or data: 139, SIGSEGV).
check_gt "the program saw the lost pages (exit status $rc)" "$rc" 0
check "dmesg: frontswap loss line" klog_has "xen_tmem: the hypervisor lost the frontswap pool"
check "dmesg: goes on with a new pool" klog_has "goes on with a new, empty pool"
check_eq "frontswap pools_recreated 1" 1 "$(fs_stat pools_recreated)"
check_gt "frontswap err_enodev" "$(fs_stat err_enodev)" 0
check "frontswap has a pool again" test "$(fs_stat hv_pool)" -ge 0
dmesg | grep 'xen_tmem' | sed 's/^/INFO: dmesg: /'

info "3: swapping works on the new pool"
sw_snap vda
swapfill_run again hold -m "$MIB" -s 0x5eed0023
sw_since vda
sw_report after-loss
check_gt "new pool: stores" "$d_f_stores" 0
check_gt "new pool: load_hits" "$d_f_load_hits" 0
check_eq "new pool: no load_misses" 0 "$d_f_load_misses"
sums_verify "files at the end" /tmp/sums
fs_dump end

info "xen-tmem-stat shows the frontswap pool as sysfs has it"
out=$(/opt/xt/xen-tmem-stat)
echo "$out"
inv=$(($(fs_stat invalidate_pages) + $(fs_stat flush_objects)))
errs=0
for c in enodev enosys eperm enomem enospc efault efrozen einval other; do
	errs=$((errs + $(fs_stat "err_$c")))
done
check_eq "xen-tmem-stat: swap row" \
	"swap persist $(fs_stat stores) $(fs_stat loads) $(fs_stat load_hits) $inv $errs" \
	"$(echo "$out" | awk '$1 == "swap" && $2 == "persist" { print $1, $2, $3, $4, $5, $7, $8 }')"
check "xen-tmem-stat: failed and refused stores line" \
	sh -c "echo \"\$1\" | grep -q '^swap: $(fs_stat store_failures) stores failed, $(fs_stat store_skipped) skipped while the hypervisor had no room and $(fs_stat refused) refused'" sh "$out"
check "xen-tmem-stat: held pages line" \
	sh -c "echo \"\$1\" | grep -q '^swap: $(fs_stat held_pages) pages held (record of held pages: $(($(fs_stat map_bytes) / 1024)) KiB); $(fs_stat load_not_held) loads and $(fs_stat invalidate_not_held) invalidates'" sh "$out"
