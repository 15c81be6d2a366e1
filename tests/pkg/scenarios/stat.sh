# shellcheck shell=sh
# xen-tmem-stat against the live module: its numbers are the sysfs
# counters, -i/-c work, and it fails clearly without the module;
# --prometheus: every sample is the file it came from, on the live module
# (loaded with persist, for frontswap/) and on fake counter trees. The
# expositions are printed between "PROM-BEGIN NAME" and "PROM-END NAME
# lines=N" lines, each line behind "PROM| ", for the host's promtool
# (tests/pkg/run.sh).
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

# prom_show NAME FILE: print an exposition for the host, between markers.
prom_show() {
	echo "PROM-BEGIN $1"
	sed 's/^/PROM| /' "$2"
	echo "PROM-END $1 lines=$(wc -l < "$2")"
}

rc=0
"$stat" --prometheus > /tmp/prom-nomod 2> /tmp/prom-nomod.err || rc=$?
check_eq "no module: --prometheus exit status 0" 0 "$rc"
check_eq "no module: --prometheus prints only xen_tmem_up 0" \
	"# HELP xen_tmem_up 1 when the xen_tmem module is loaded (its sysfs tree is there), else 0.
# TYPE xen_tmem_up gauge
xen_tmem_up 0" "$(cat /tmp/prom-nomod)"
check_eq "no module: --prometheus says nothing on stderr" "" "$(cat /tmp/prom-nomod.err)"
prom_show nomod /tmp/prom-nomod

# --- usage errors of the long options ------------------------------------------
# usage_err MESSAGE ARG...: exit status 2 and MESSAGE on stderr.
usage_err() {
	_m=$1
	shift
	_rc=0
	"$stat" "$@" > /tmp/usage.out 2> /tmp/usage.err || _rc=$?
	check_eq "usage: $*: exit status 2" 2 "$_rc"
	check "usage: $*: says '$_m'" grep -qF "xen-tmem-stat: $_m" /tmp/usage.err
	check_eq "usage: $*: nothing on stdout" "" "$(cat /tmp/usage.out)"
}
usage_err "--output needs --prometheus" --output /tmp/x.prom
usage_err "--output needs a file name" --prometheus --output
usage_err "--output needs a file name" --prometheus --output=
usage_err "--prometheus does not go with -i or -c" --prometheus -i 1
usage_err "--prometheus does not go with -i or -c" -c 2 --prometheus
usage_err "unknown option --prom" --prom
usage_err "unexpected argument: x" --prometheus x
check "usage: no file written" test ! -e /tmp/x.prom
rc=0
"$stat" --help > /tmp/help || rc=$?
check_eq "--help: exit status 0" 0 "$rc"
check "--help: names --prometheus and --output" \
	grep -q '^       xen-tmem-stat --prometheus \[--output FILE\]$' /tmp/help

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

# --- --prometheus: each sample is the file it came from ------------------------
# prom_map SYSDIR < EXPOSITION: each sample as "FILE HOW VALUE": the file
# it came from (under SYSDIR), how to compare (n: the number; b: pages, as
# bytes; g: 1 when the file says active, else 0; l: a label's text, empty
# when the file is not there; u: the uuid label, empty for "none"; 1: no
# file, always 1) and the sample's value or label. A metric it does not
# know is "? NAME VALUE".
prom_map() {
	# shellcheck disable=SC2016 # an awk program
	awk -v d="$1" -v params="$XT_PARAMS" '
	/^#/ { next }
	{
		v = $NF
		s = $0
		sub(/ [^ ]*$/, "", s)
		n = s
		sub(/\{.*/, "", n)
		for (k in L)
			delete L[k]
		if (s ~ /\{/) {
			lab = s
			sub(/^[^{]*\{/, "", lab)
			sub(/\}$/, "", lab)
			c = split(lab, a, ",")
			for (i = 1; i <= c; i++) {
				k = a[i]
				sub(/=.*/, "", k)
				x = a[i]
				sub(/^[^=]*="/, "", x)
				sub(/"$/, "", x)
				L[k] = x
			}
		}
		sb = "xen_tmem_selfballoon_"
		fs = "xen_tmem_frontswap_"
		pl = "xen_tmem_pool_"
		if (n == "xen_tmem_up" || n == "xen_tmem_info")
			print "- 1 " v
		if (n == "xen_tmem_up")
			next
		if (n == "xen_tmem_info") {
			print d "/version l " L["version"]
			print d "/transport l " L["transport"]
			print params "/enabled l " L["enabled"]
		} else if (n == "xen_tmem_guard_active")
			print d "/guard_state g " v
		else if (n == "xen_tmem_guard_missed_total")
			print d "/guard_missed n " v
		else if (n == "xen_tmem_errors_total")
			print d "/total/err_" L["error"] " n " v
		else if (n == "xen_tmem_hypercalls_total")
			print d "/hypercalls/" L["op"] " n " v
		else if (n == "xen_tmem_hypercalls_failed_total")
			print d "/hypercalls/failed n " v
		else if (index(n, pl) == 1) {
			p = d "/pools/" L["pool"]
			print p "/kind l " L["kind"]
			print p "/uuid u " L["uuid"]
			if (n == pl "errors_total")
				print p "/err_" L["error"] " n " v
			else {
				x = substr(n, length(pl) + 1)
				sub(/_total$/, "", x)
				print p "/" x " n " v
			}
		} else if (index(n, fs) == 1) {
			x = substr(n, length(fs) + 1)
			if (x == "errors_total")
				print d "/frontswap/err_" L["error"] " n " v
			else {
				sub(/_total$/, "", x)
				print d "/frontswap/" x " n " v
			}
		} else if (index(n, sb) == 1) {
			x = substr(n, length(sb) + 1)
			h = "n"
			if (x ~ /_bytes(_total)?$/) {
				sub(/_bytes/, "_pages", x)
				h = "b"
			}
			sub(/_total$/, "", x)
			print d "/selfballoon/" x " " h " " v
		} else if (n ~ /^xen_tmem_[a-z_]*_total$/) {
			x = substr(n, 10)
			sub(/_total$/, "", x)
			print d "/total/" x " n " v
		} else
			print "? " n " " v
	}'
}

# prom_verify NAME SYSDIR FILE: every sample of the exposition FILE is the
# file it came from, and every file of SYSDIR is in it (but for a pool's
# hv_pool and hypercalls/total, left out); prints what differs, in
# /tmp/prom-bad, and fails if anything does. The samples in $prom_n.
prom_verify() {
	prom_map "$2" < "$3" > /tmp/prom-map
	: > /tmp/prom-bad
	prom_n=$(grep -c -v '^#' "$3")
	while read -r _f _k _v; do
		case $_k in
		1) _e=1 ;;
		n) _e=$(val "$_f") ;;
		b) _e=$(($(val "$_f") * ps)) ;;
		g) if [ "$(val "$_f")" = active ]; then _e=1; else _e=0; fi ;;
		l)
			_e=$(val "$_f")
			[ "$_e" != NA ] || _e=
			;;
		u)
			_e=$(val "$_f")
			[ "$_e" != none ] || _e=
			;;
		*) _e="a known metric" ;;
		esac
		[ "$_e" = "$_v" ] ||
			echo "$1: $_f ($_k): the file says '$_e', the metric '$_v'" >> /tmp/prom-bad
	done < /tmp/prom-map
	for _f in "$2"/version "$2"/transport "$2"/guard_state "$2"/guard_missed \
		"$2"/total/* "$2"/pools/*/* "$2"/frontswap/* "$2"/hypercalls/* \
		"$2"/selfballoon/*; do
		[ -e "$_f" ] || continue
		case $_f in
		*/pools/*/hv_pool | */hypercalls/total) continue ;;
		esac
		awk -v f="$_f" '$1 == f { found = 1 } END { exit !found }' /tmp/prom-map ||
			echo "$1: $_f: in no metric" >> /tmp/prom-bad
	done
	[ ! -s /tmp/prom-bad ]
}

# A fake tree with everything: a private pool (uuid none) and a shared
# one, frontswap, hypercalls, self-ballooning; made-up numbers.
rm -rf "$fake"
mkdir -p "$fake/total" "$fake/pools/0" "$fake/pools/3" "$fake/frontswap" \
	"$fake/hypercalls" "$fake/selfballoon"
echo 0.0.0 > "$fake/version"
echo emulated > "$fake/transport"
echo active > "$fake/guard_state"
echo 2 > "$fake/guard_missed"
n=1
for f in puts put_failures gets hits misses flush_pages flush_inodes flush_fs \
	guard_flushes pools_created pools_failed pools_recreated err_enodev \
	err_enosys err_eperm err_enomem err_enospc err_efault err_efrozen \
	err_eempty err_einval err_other; do
	echo "$n" > "$fake/total/$f"
	echo "$((n + 100))" > "$fake/pools/0/$f"
	echo "$((n + 200))" > "$fake/pools/3/$f"
	n=$((n + 1))
done
echo private > "$fake/pools/0/kind"
echo none > "$fake/pools/0/uuid"
echo 0 > "$fake/pools/0/hv_pool"
uuid=01234567-89ab-cdef-0123-456789abcdef
echo shared > "$fake/pools/3/kind"
echo "$uuid" > "$fake/pools/3/uuid"
echo 5 > "$fake/pools/3/hv_pool"
for f in stores store_failures refused store_skipped backoffs store_nomap \
	loads load_hits load_misses load_not_held invalidate_pages \
	invalidate_not_held invalidate_areas flush_objects pools_created \
	pools_failed pools_recreated err_enodev err_enomem err_eempty; do
	echo "$n" > "$fake/frontswap/$f"
	n=$((n + 1))
done
echo 1 > "$fake/frontswap/hv_pool"
echo 77 > "$fake/frontswap/held_pages"
echo 16384 > "$fake/frontswap/map_bytes"
echo 512 > "$fake/frontswap/backoff_window"
for f in new_pool destroy_pool put_page get_page flush_page flush_object \
	other total failed; do
	echo "$n" > "$fake/hypercalls/$f"
	n=$((n + 1))
done
sb 1 $((1024 * mib)) $((212 * mib)) $((812 * mib)) $((212 * mib)) \
	$((180 * mib)) $((200 * mib)) 37 1 $((96 * mib))
rc=0
XEN_TMEM_SYSFS=$fake "$stat" --prometheus > /tmp/prom-fake 2> /tmp/prom-fake.err || rc=$?
check_eq "fake --prometheus: exit status 0" 0 "$rc"
check_eq "fake --prometheus: nothing on stderr" "" "$(cat /tmp/prom-fake.err)"
prom_show fake /tmp/prom-fake
if prom_verify fake "$fake" /tmp/prom-fake; then
	pass "fake --prometheus: each of the $prom_n samples is its file, each file is in one"
else
	fail "fake --prometheus: each sample is its file" "$(head -n 5 /tmp/prom-bad | tr '\n' ';')"
fi
# has_line DESC LINE: /tmp/prom-fake has that exact line.
has_line() {
	check "fake --prometheus: $1" grep -qxF "$2" /tmp/prom-fake
}
has_line "up" "xen_tmem_up 1"
has_line "info (no module: enabled empty)" \
	'xen_tmem_info{version="0.0.0",transport="emulated",enabled=""} 1'
has_line "total counter" "xen_tmem_hits_total 4"
has_line "total counter type" "# TYPE xen_tmem_hits_total counter"
has_line "errors by code" 'xen_tmem_errors_total{error="enomem"} 16'
has_line "uuid none is an empty label" \
	'xen_tmem_pool_hits_total{pool="0",kind="private",uuid=""} 104'
has_line "a shared pool's uuid" \
	"xen_tmem_pool_errors_total{pool=\"3\",kind=\"shared\",uuid=\"$uuid\",error=\"eempty\"} 220"
check "fake --prometheus: no hv_pool of a pool" \
	test -z "$(grep -e 'pool_hv_pool' -e 'pool_kind' -e 'pool_uuid' /tmp/prom-fake)"
has_line "frontswap counter" "xen_tmem_frontswap_stores_total 23"
has_line "frontswap errors" 'xen_tmem_frontswap_errors_total{error="enomem"} 41'
has_line "frontswap gauge" "xen_tmem_frontswap_held_pages 77"
has_line "frontswap gauge type" "# TYPE xen_tmem_frontswap_held_pages gauge"
has_line "frontswap hv_pool" "xen_tmem_frontswap_hv_pool 1"
has_line "hypercalls by op" 'xen_tmem_hypercalls_total{op="put_page"} 45'
has_line "hypercalls failed" "xen_tmem_hypercalls_failed_total 51"
check "fake --prometheus: no hypercalls total" \
	test -z "$(grep -e 'op="total"' /tmp/prom-fake)"
has_line "guard active" "xen_tmem_guard_active 1"
has_line "guard missed" "xen_tmem_guard_missed_total 2"
has_line "selfballoon active" "xen_tmem_selfballoon_active 1"
has_line "selfballoon bytes" "xen_tmem_selfballoon_given_back_bytes $((812 * 1048576))"
has_line "selfballoon bytes type" "# TYPE xen_tmem_selfballoon_given_back_bytes gauge"
has_line "selfballoon rescued bytes" "xen_tmem_selfballoon_rescued_bytes_total $((96 * 1048576))"
has_line "selfballoon counter" "xen_tmem_selfballoon_oom_rescues_total 1"
# shellcheck disable=SC2016 # an awk program
check "fake --prometheus: every family has one HELP and one TYPE, before its samples" awk '
	/^# HELP / { if ($3 in help) exit 1; help[$3] = 1; next }
	/^# TYPE / { if ($3 in type) exit 1; type[$3] = 1; next }
	/^#/ { exit 1 }
	{ n = $1; sub(/\{.*/, "", n); if (!(n in help) || !(n in type)) exit 1 }' /tmp/prom-fake

# A pool that goes away while it is read: a file it cannot read.
rm "$fake/pools/3/hits"
ln -s /nonexistent "$fake/pools/3/hits"
rc=0
XEN_TMEM_SYSFS=$fake "$stat" --prometheus > /tmp/prom-gone 2>&1 || rc=$?
check_eq "fake, a pool went away: exit status 0" 0 "$rc"
check_eq "fake, a pool went away: it is left out whole" "" "$(grep 'pool="3"' /tmp/prom-gone)"
check "fake, a pool went away: the other pool is there" \
	grep -qxF 'xen_tmem_pool_hits_total{pool="0",kind="private",uuid=""} 104' /tmp/prom-gone
prom_show gone /tmp/prom-gone
rm -r "$fake/pools/3" "$fake/frontswap" "$fake/selfballoon" "$fake/hypercalls"

# --output: the metrics go to FILE.tmp.PID in the same folder, renamed
# when complete. A counter file that is a FIFO holds the tool in the
# middle of its read: FILE.tmp.PID is there, FILE still the old one.
mkdir -p /tmp/textfile
out=/tmp/textfile/xen_tmem.prom
echo old > "$out"
mv "$fake/total/puts" /tmp/puts
mkfifo "$fake/total/puts"
XEN_TMEM_SYSFS=$fake "$stat" --prometheus --output "$out" > /tmp/out.stdout 2>&1 &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ ! -e "$out.tmp.$pid" ] || break
	sleep 1
done
check "--output: writes $out.tmp.PID first" test -e "$out.tmp.$pid"
check_eq "--output: the file is the old one meanwhile" old "$(cat "$out")"
# Let it go on: the counter's value into the FIFO, if it still reads.
if kill -0 "$pid" 2> /dev/null; then
	timeout 10 sh -c "cat /tmp/puts > '$fake/total/puts'"
fi
rc=0
wait "$pid" || rc=$?
rm "$fake/total/puts"
mv /tmp/puts "$fake/total/puts"
check_eq "--output: exit status 0" 0 "$rc"
check_eq "--output: nothing on stdout" "" "$(cat /tmp/out.stdout)"
XEN_TMEM_SYSFS=$fake "$stat" --prometheus > /tmp/prom-small
check "--output: then the file has the exposition" cmp /tmp/prom-small "$out"
check_eq "--output: only that file in the folder (no .tmp left)" xen_tmem.prom \
	"$(ls -A /tmp/textfile)"
rc=0
XEN_TMEM_SYSFS=$fake "$stat" --prometheus --output=/tmp/nodir/xen_tmem.prom \
	> /tmp/out.stdout 2> /tmp/out.err || rc=$?
check_eq "--output into a folder that is not there: exit status 1" 1 "$rc"
check "--output into a folder that is not there: says so" \
	grep -q 'xen-tmem-stat: cannot write /tmp/nodir/xen_tmem.prom.tmp.[0-9]*: is /tmp/nodir there, and writable?' /tmp/out.err
rc=0
XEN_TMEM_SYSFS=/tmp/nonexistent "$stat" --prometheus --output /tmp/textfile/xen_tmem.prom || rc=$?
check_eq "--output without the module: exit status 0" 0 "$rc"
check "--output without the module: the file says xen_tmem_up 0" \
	cmp /tmp/prom-nomod /tmp/textfile/xen_tmem.prom
rm -r "$fake" /tmp/textfile

# --- with the module and hits -------------------------------------------------
# persist: frontswap/ is there too (its swap row and lines are not checked
# here; tests/qemu's swap scenarios do).
load_both pool_flags=shared,persist
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
echo "$table" | tail -n +3 | grep -v -e '^guard: ' -e '^selfballoon: ' -e '^swap' |
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

# --- --prometheus against the live module ---------------------------------------
# Each sample is the sysfs file it came from and each file is in a sample
# (prom_verify); again until the counters stood still while it read them.
for try in 1 2 3 4 5; do
	rc=0
	"$stat" --prometheus > /tmp/prom-live 2> /tmp/prom-live.err || rc=$?
	prom_verify live "$XT_SYS" /tmp/prom-live && break
	info "counters moved while reading (try $try): $(head -n 3 /tmp/prom-bad | tr '\n' ';')"
done
check_eq "live --prometheus: exit status 0" 0 "$rc"
check_eq "live --prometheus: nothing on stderr" "" "$(cat /tmp/prom-live.err)"
if [ -s /tmp/prom-bad ]; then
	fail "live --prometheus: each sample is its sysfs file" "$(head -n 5 /tmp/prom-bad | tr '\n' ';')"
else
	pass "live --prometheus: each of the $prom_n samples is its sysfs file, each file is in one"
fi
prom_show live /tmp/prom-live
check "live --prometheus: info" grep -qxF \
	"xen_tmem_info{version=\"$(val "$XT_SYS/version")\",transport=\"emulated\",enabled=\"Y\"} 1" /tmp/prom-live
check "live --prometheus: a private pool's hits, with an empty uuid" \
	grep -q '^xen_tmem_pool_hits_total{pool="[0-9]*",kind="private",uuid=""} [1-9][0-9]*$' /tmp/prom-live
check "live --prometheus: frontswap (persist)" \
	grep -q '^xen_tmem_frontswap_stores_total [0-9][0-9]*$' /tmp/prom-live
check "live --prometheus: hypercalls" \
	grep -q '^xen_tmem_hypercalls_total{op="put_page"} [1-9][0-9]*$' /tmp/prom-live
check_gt "live --prometheus: xen_tmem_hits_total > 0" \
	"$(sed -n 's/^xen_tmem_hits_total //p' /tmp/prom-live)" 0
if [ -d "$XT_SYS/selfballoon" ]; then
	check "live --prometheus: selfballoon off" grep -qx 'xen_tmem_selfballoon_active 0' /tmp/prom-live
else
	check_eq "live --prometheus: no selfballoon metrics without a balloon" "" \
		"$(grep selfballoon /tmp/prom-live)"
fi

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
