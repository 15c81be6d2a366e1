# shellcheck shell=sh
# Xen short of memory: a small machine (mem= on Xen's command line) with
# a large dom0 leaves Xen about 70 MiB to spare, and dom0 reads 160 MiB of
# files through a small memory cgroup, three times. Xen must evict its
# oldest ephemeral pages to take new ones (or refuse puts), and still
# every read is right; the module's counters equal what Xen says
# happened: every hypercall it made (Xen's Tt), every one that failed
# (Te) against the module's err_* counters, hits against Xen's found gets.
# disks: ext4:384M
# timeout: 420
# xen: short tmem mem=448M dom0_mem=320M,max:320M

N=4
MIB=40

load_both
mount_disk /dev/vda /mnt
memcg_make short 16M
free0=$(xen_physinfo free_pages)
info "Xen has $free0 free pages ($((free0 / 256)) MiB); write $((N * MIB)) MiB"
check_gt "the data ($((N * MIB)) MiB) is more than Xen has free" \
	$((N * MIB * 256)) "$free0"
i=1
while [ "$i" -le "$N" ]; do
	in_memcg short fill_file "/mnt/f$i" "$MIB"
	i=$((i + 1))
done
in_memcg short sums_record /tmp/sums /mnt/f*
grep "/mnt/f$N\$" /tmp/sums > /tmp/sums.last
drop_caches 3
for p in 1 2 3; do
	in_memcg short sums_verify "pass $p" /tmp/sums
	report "pass-$p"
	echo "REPORT[xen-pass-$p] free_pages=$(xen_physinfo free_pages)" \
		"tmem_pages=$(hv_stat pages) evicted=$(xen_global Et)" \
		"no_mem_puts=$(hv_stat puts_failed) low_on_memory=$(xen_global Lm)"
done

# Tmem evicts oldest first: a cyclic scan larger than Xen's room finds
# nothing (as a page cache would), the newest file is in it.
hits0=$(tmem_stat hits)
in_memcg short sums_verify "newest file" /tmp/sums.last
report newest
evicted=$(xen_global Et)
refused=$(tmem_stat put_failures)
echo "REPORT[short] xen_evicted=$evicted module_put_failures=$refused" \
	"err_enomem=$(tmem_stat err_enomem) xen_no_mem_puts=$(hv_stat puts_failed)" \
	"tmem_pages=$(hv_stat pages) free_pages=$(xen_physinfo free_pages)"
check_gt "Xen evicted pages or refused puts: it was short" $((evicted + refused)) 0
check_le "tmem holds no more than Xen had free" "$(hv_stat pages)" "$free0"
check_gt "the newest file came from tmem (hits)" "$(tmem_stat hits)" "$hits0"
check_eq "module put_failures = err_enomem (the only refusal here)" \
	"$refused" "$(tmem_stat err_enomem)"
hv_ops_check short
check "umount /mnt" umount /mnt
