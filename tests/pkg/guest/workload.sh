# shellcheck shell=sh
# Guest helper of the package scenarios (copied to /opt/xt/ by
# tests/pkg/boot.sh; sourced after /lib/xt/lib.sh): make cleancache hits.

# make_hits DEV: mount DEV (ext4) on /mnt, write 4 x 8 MiB, read it once
# from disk, drop it (puts), then read it twice in a 16 MiB memory cgroup
# (gets and hits); checks the contents and that hits grew.
make_hits() {
	mount_disk "$1" /mnt
	for _i in 1 2 3 4; do
		fill_file "/mnt/w$_i" 8
	done
	sums_record /tmp/wsums /mnt/w*
	drop_caches 3
	read_all /mnt/w*
	_hits0=$(tmem_stat hits)
	drop_caches 1
	memcg_enter workload 16M
	sums_verify "workload pass 1" /tmp/wsums
	sums_verify "workload pass 2" /tmp/wsums
	memcg_leave workload
	report workload
	check_gt "workload: xen_tmem hits grew" "$(tmem_stat hits)" "$_hits0"
}
