# shellcheck shell=sh
# xen-tmem-stat against the live module: its numbers are the sysfs
# counters, -i/-c work, and it fails clearly without the module.
# Needs /opt/xt/xen-tmem-stat and /opt/xt/workload.sh (tests/pkg/boot.sh
# puts the files it is given there) and the two modules in /lib/modules/.
# disks: ext4:256M
# timeout: 180

# shellcheck source-path=SCRIPTDIR source=../guest/workload.sh
. /opt/xt/workload.sh
stat=/opt/xt/xen-tmem-stat

# --- without the module ------------------------------------------------------
rc=0
"$stat" > /tmp/nomod 2>&1 || rc=$?
check_eq "no module: exit status 1" 1 "$rc"
check "no module: says the module is not loaded" \
	grep -q "xen_tmem module is not loaded" /tmp/nomod
info "stat without module: $(cat /tmp/nomod)"
rc=0
"$stat" -h > /tmp/help || rc=$?
check_eq "-h: exit status 0" 0 "$rc"
check "-h: prints usage" grep -q '^usage: xen-tmem-stat' /tmp/help
rc=0
"$stat" -i 0 2> /dev/null || rc=$?
check_eq "-i 0: exit status 2" 2 "$rc"

# --- the selfballoon lines, on a fake counter tree ------------------------------
# XEN_TMEM_SYSFS points the tool at /tmp/fake-xt: self-ballooning on, off
# while the balloon still deflates, off, and no balloon (no directory).
# The files count pages; the tool shows MiB, rounded down. Without a
# guard_state file there is no guard line: the lines follow the total row.
fake=/tmp/fake-xt
ps=$(getconf PAGESIZE 2> /dev/null) || ps=4096
mib=$((1048576 / ps))
rm -rf "$fake"
mkdir -p "$fake/total" "$fake/selfballoon"
echo 0.0.0 > "$fake/version"
echo emulated > "$fake/transport"
echo 7 > "$fake/total/puts"
# sb VALUE...: write the selfballoon files, in the order below.
sb() {
	for _f in active max_pages current_pages given_back_pages target_pages \
		goal_pages floor_pages adjustments oom_rescues rescued_pages; do
		echo "$1" > "$fake/selfballoon/$_f"
		shift
	done
}
# fake_stat: the tool's output on the fake tree, and its exit status.
fake_stat() {
	XEN_TMEM_SYSFS=$fake "$stat" > /tmp/fake.out 2>&1
	echo "exit $?" >> /tmp/fake.out
}
sb 1 $((1024 * mib)) $((212 * mib)) $((812 * mib)) $((212 * mib)) \
	$((180 * mib + mib / 2)) $((200 * mib)) 37 1 $((96 * mib + mib - 1))
fake_stat
check_eq "fake selfballoon on: the two lines last" \
	"selfballoon: on, 212 MiB of 1024 MiB (812 MiB given back), target 212 MiB, goal 180 MiB, floor 200 MiB
selfballoon: 37 adjustments, 1 out-of-memory rescue (96 MiB back)
exit 0" "$(tail -n 3 /tmp/fake.out)"
sb 1 $((512 * mib)) $((512 * mib)) 0 $((512 * mib)) $((600 * mib)) \
	$((296 * mib)) 1 3 $((40 * mib))
fake_stat
check_eq "fake selfballoon on: plurals, nothing given back" \
	"selfballoon: on, 512 MiB of 512 MiB (0 MiB given back), target 512 MiB, goal 600 MiB, floor 296 MiB
selfballoon: 1 adjustment, 3 out-of-memory rescues (40 MiB back)
exit 0" "$(tail -n 3 /tmp/fake.out)"
sb 1 $((512 * mib)) $((512 * mib)) 0 $((512 * mib)) $((512 * mib)) \
	$((296 * mib)) 0 0 0
fake_stat
check_eq "fake selfballoon on: no rescue, no amount" \
	"selfballoon: 0 adjustments, 0 out-of-memory rescues" "$(tail -n 2 /tmp/fake.out | head -n 1)"
sb 0 $((1024 * mib)) $((900 * mib)) $((124 * mib)) $((1024 * mib)) \
	$((180 * mib)) $((200 * mib)) 38 1 $((96 * mib))
fake_stat
check_eq "fake selfballoon off while deflating: one line with what is given back" \
	"total  -                   7            0            0      -          0        0  -
selfballoon: off, 124 MiB still given back
exit 0" "$(tail -n 3 /tmp/fake.out)"
sb 0 0 0 0 0 0 0 0 0 0
fake_stat
check_eq "fake selfballoon off: one line" \
	"total  -                   7            0            0      -          0        0  -
selfballoon: off
exit 0" "$(tail -n 3 /tmp/fake.out)"
rm -r "$fake/selfballoon"
fake_stat
check_eq "fake, no selfballoon directory: no selfballoon line" \
	"total  -                   7            0            0      -          0        0  -
exit 0" "$(tail -n 2 /tmp/fake.out)"
info "stat on the fake tree without selfballoon: $(cat /tmp/fake.out)"
rm -r "$fake"

# --- with the module and hits -------------------------------------------------
load_both
make_hits /dev/vda

# expected NAME DIR: the row xen-tmem-stat should print for a counter dir.
expected() {
	_d=$2
	_p=$(val "$_d/puts")
	_g=$(val "$_d/gets")
	_h=$(val "$_d/hits")
	_f=$(($(val "$_d/flush_pages") + $(val "$_d/flush_inodes") + $(val "$_d/flush_fs")))
	_e=0
	for _c in enodev enosys eperm enomem enospc efault efrozen einval other; do
		_e=$((_e + $(val "$_d/err_$_c")))
	done
	_r=$(awk -v h="$_h" -v g="$_g" 'BEGIN {
		if (g > 0) printf "%.1f%%", 100 * h / g; else printf "-" }')
	if [ "$1" = total ]; then
		_k=-
		_u=-
	else
		_k=$(val "$_d/kind")
		_u=$(val "$_d/uuid")
		[ "$_u" != none ] || _u=-
	fi
	echo "$1 $_k $_p $_g $_h $_r $_f $_e $_u"
}

# snapshot: every expected row, total last.
snapshot() {
	for _pd in "$XT_SYS"/pools/*; do
		[ -d "$_pd" ] && expected "${_pd##*/}" "$_pd"
	done
	expected total "$XT_SYS/total"
}

# The guest is idle now, but read the counters around the tool until they
# stand still, so that both saw the same numbers.
for try in 1 2 3 4 5; do
	before=$(snapshot)
	table=$("$stat")
	rc=$?
	after=$(snapshot)
	[ "$before" = "$after" ] && break
	info "counters moved while reading (try $try)"
done
check_eq "table: exit status 0" 0 "$rc"
echo "$table"
check_eq "table: header line" \
	"xen_tmem $(val "$XT_SYS/version"), transport emulated, enabled Y" \
	"$(echo "$table" | head -n 1)"
echo "$table" | tail -n +3 | grep -v -e '^guard: ' -e '^selfballoon: ' |
	awk '{ $1 = $1; print }' > /tmp/rows
check_eq "table: the guard line" \
	"guard: $(val "$XT_SYS/guard_state"), guard=$(val "$XT_PARAMS/guard"); $(val "$XT_SYS/total/guard_flushes") pages flushed, $(val "$XT_SYS/guard_missed") return probes missed" \
	"$(echo "$table" | grep '^guard: ')"
check_eq "table rows equal the sysfs counters" "$after" "$(cat /tmp/rows)"
# The module loads with selfballoon=N: "off", and nothing given back as
# it never was on; no line when the guest has no balloon.
if [ -d "$XT_SYS/selfballoon" ]; then
	check_eq "table: the selfballoon line last (selfballoon=$(val "$XT_PARAMS/selfballoon"))" \
		"selfballoon: off" "$(echo "$table" | tail -n 1)"
else
	check_eq "table: no selfballoon line without a balloon" "" \
		"$(echo "$table" | grep '^selfballoon')"
fi
check "table: a private pool row" grep -q '^[0-9][0-9]* private ' /tmp/rows
check_eq "table: the total row last" total "$(tail -n 1 /tmp/rows | cut -d' ' -f1)"
total_hits=$(awk '$1 == "total" { print $5 }' /tmp/rows)
check_gt "table: total hits > 0" "$total_hits" 0

# --- -i 1 -c 2 while pages are read back ------------------------------------------
drop_caches 1
(
	sleep 1
	read_all /mnt/w*
) &
rc=0
t0=$(cut -d. -f1 /proc/uptime)
"$stat" -i 1 -c 2 > /tmp/rates || rc=$?
t1=$(cut -d. -f1 /proc/uptime)
wait
cat /tmp/rates
check_eq "-i 1 -c 2: exit status 0" 0 "$rc"
check_eq "-i 1 -c 2: header and two lines" 3 "$(wc -l < /tmp/rates)"
check "-i 1 -c 2: header" grep -q '^ *puts/s  *gets/s  *hits/s  *hit%' /tmp/rates
tail -n 2 /tmp/rates > /tmp/rate-lines
# shellcheck disable=SC2016 # an awk program
check "-i 1 -c 2: six numbers a line" awk '
	NF != 6 { exit 1 }
	{ for (i = 1; i <= 6; i++) if (i != 4 && $i !~ /^[0-9]+\.[0-9]$/) exit 1 }
	$4 !~ /^([0-9]+\.[0-9]%|-)$/ { exit 1 }' /tmp/rate-lines
check_gt "-i 1 -c 2: some gets/s while reading" \
	"$(awk '{ s += $2 } END { printf "%d", s }' /tmp/rate-lines)" 0
check_le "-i 1 -c 2: took about 2 s" "$((t1 - t0))" 5
check "umount /mnt" umount /mnt
