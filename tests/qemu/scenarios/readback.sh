# shellcheck shell=sh
# Readback: files written inside a small memory cgroup are read back
# there three times; the cgroup evicts their clean pages into tmem, so
# from the second pass on they come from hypervisor RAM instead of the
# disk: hits, far fewer sectors read, every sha256 right. Half the data
# is random, half hex text that compresses (Xen's tmem_compress).
# On either hypervisor: the emulator, or a real Xen with tmem, plain
# and with Xen compressing the pages it keeps.
# disks: ext4:256M
# timeout: 240
# xen: readback tmem
# xen: compress tmem tmem_compress

# Six files of EACH MiB: 48 MiB at full size.
EACH=$(scaled 8)
MIB=$((6 * EACH))

load_both
mount_disk /dev/vda /mnt

# Written in the cgroup (by child processes: in_memcg), so that the
# cgroup owns and evicts the pages; page cache charged elsewhere would
# never leave memory.
memcg_make readback "$(scaled 16)M"
info "write 3 x $EACH MiB of random data and 3 x $EACH MiB of text, in the cgroup"
for i in 1 2 3; do
	in_memcg readback fill_file /mnt/r$i "$EACH"
	in_memcg readback fill_text /mnt/t$i "$EACH"
done
in_memcg readback sums_record /tmp/sums /mnt/r* /mnt/t*
# Written pages are not put (only pages read from disk are): drop them.
drop_caches 3
report after-write
# Hold the files open, as a program reading them would: the cgroup owns
# their inodes too (they were made there), and evicting an inode under
# its pressure flushes the file's pages from tmem (seen on a PV dom0).
exec 3< /mnt/r1 4< /mnt/r2 5< /mnt/r3 6< /mnt/t1 7< /mnt/t2 8< /mnt/t3
flush0=$(tmem_stat flush_inodes)

# read_pass N: read every file in the cgroup; sets rd_N (sectors read from
# the disk), hits_N (xen_tmem hits) for the pass.
read_pass() {
	_rd0=$(disk_sectors vda rd)
	_h0=$(tmem_stat hits)
	in_memcg readback sums_verify "pass $1" /tmp/sums
	eval "rd_$1=\$((\$(disk_sectors vda rd) - _rd0))"
	eval "hits_$1=\$((\$(tmem_stat hits) - _h0))"
	report "pass-$1"
}
read_pass 1
check_gt "pass 1: pages evicted into tmem (puts)" "$(tmem_stat puts)" 0
check_gt "pass 1: the hypervisor holds pages" "$(hv_stat pages)" 0
read_pass 2
read_pass 3
check_eq "no file's pages flushed while held open (flush_inodes)" \
	"$flush0" "$(tmem_stat flush_inodes)"
exec 3<&- 4<&- 5<&- 6<&- 7<&- 8<&-
echo "REPORT[memcg-readback] $(tr '\n' ' ' < "$XT_CG/readback/memory.events")"
# shellcheck disable=SC2154 # rd_N, hits_N: set by pass (eval)
echo "REPORT[readback] hv=$XT_HV data_sectors=$((MIB * 2048))" \
	"sectors_read=$rd_1,$rd_2,$rd_3 hits=$hits_1,$hits_2,$hits_3" \
	"hv_pages=$(hv_stat pages) hv_hits=$(hv_stat hits)"
# shellcheck disable=SC2154
{
	# Pass 1 reads from the disk, or from tmem the pages that the
	# cgroup evicted once they were written back (clean then).
	check_le "pass 1: every page came from the disk or from tmem" \
		$((MIB * 256 * 9 / 10)) $((rd_1 / 8 + hits_1))
	check_le "pass 2: sectors read <= 10 % of the data" $((rd_2 * 10)) $((MIB * 2048))
	check_le "pass 3: sectors read <= 10 % of the data" $((rd_3 * 10)) $((MIB * 2048))
	check_gt "pass 2: hits" "$hits_2" $((MIB * 256 / 2))
	check_gt "pass 3: hits" "$hits_3" $((MIB * 256 / 2))
}
check_gt "cleancache succ_gets" "$(cc_stat succ_gets)" 0
check_gt "the hypervisor counted hits" "$(hv_stat hits)" 0
check_eq "no put failures" 0 "$(tmem_stat put_failures)"
check_eq "no hypervisor errors" 0 "$(tmem_stat err_other)"
hv_ops_check readback

if [ "$XT_CASE" = compress ]; then
	# Xen's client line: cp compressed pages, cb their bytes, cn pages
	# that did not compress (random), co the compress flag.
	cline=$(xen_tmem_list | grep '^C=CI:0,')
	echo "REPORT[compress] $cline"
	kv() { echo "$cline" | tr ',' '\n' | sed -n "s/^$1://p"; }
	check_eq "Xen compresses this client's pages (co)" 1 "$(kv co)"
	check_gt "Xen holds compressed pages (cp)" "$(kv cp)" 0
	check_gt "Xen kept random pages uncompressed (cn)" "$(kv cn)" 0
	check_gt "compressed text takes less than its pages (cb < cp x 4096)" \
		$(($(kv cp) * 4096)) "$(kv cb)"
fi
check "umount /mnt" umount /mnt
