# shellcheck shell=sh
# The demo: the same 64 MiB of files read by a process in a memory cgroup
# of 16 MiB, first with xen_tmem switched off, then on (emulated
# hypervisor). Prints, per pass, the sectors read from the disk and the
# module's hits, then the module's statistics.
# disks: ext4:256M
# timeout: 240

load_emu
load_tmem transport=emulated enabled=0
mount_disk /dev/vda /mnt

info "write 8 files of 8 MiB"
for i in 1 2 3 4 5 6 7 8; do
	fill_file /mnt/f$i 8
done
sums_record /tmp/sums /mnt/f*
drop_caches 3
read_all /mnt/f*	# pages read from disk are the ones cleancache keeps
drop_caches 1

sectors() {
	awk '{ print $3 }' /sys/block/vda/stat
}

uptime_cs() {
	awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' /proc/uptime
}

# pass NAME: read every file in the cgroup, report and verify.
pass_over() {
	s0=$(sectors)
	h0=$(tmem_stat hits)
	t0=$(uptime_cs)
	sums_verify "$1" /tmp/sums > /tmp/verify.out
	t1=$(uptime_cs)
	s1=$(sectors)
	h1=$(tmem_stat hits)
	cat /tmp/verify.out
	echo "REPORT[demo] $1: enabled=$(param enabled)" \
		"sectors_read=$((s1 - s0)) MiB_from_disk=$(((s1 - s0) / 2048))" \
		"tmem_hits=$((h1 - h0)) seconds=$(((t1 - t0) / 100)).$(((t1 - t0) % 100 / 10))"
	echo "$((s1 - s0))" > "/tmp/sectors.$1"
}

memcg_enter demo 16M
pass_over off-1
pass_over off-2
echo 1 > "$XT_PARAMS/enabled"
pass_over on-1
pass_over on-2
pass_over on-3
memcg_leave demo

off=$(cat /tmp/sectors.off-2)
on=$(cat /tmp/sectors.on-3)
check_gt "tmem hits while on" "$(tmem_stat hits)" 0
check_gt "fewer sectors read with xen_tmem" "$off" "$on"
check_eq "percent_fewer: none read is 100.0" 100.0 "$(percent_fewer "$off" 0)"
check_eq "percent_fewer: 1 of 1000 is 99.9" 99.9 "$(percent_fewer 1000 1)"
echo "REPORT[demo] sectors read without xen_tmem: $off, with: $on" \
	"($(percent_fewer "$off" "$on")% fewer)"
echo "REPORT[demo] hit ratio: $(tmem_stat hits) of $(tmem_stat gets) gets"
