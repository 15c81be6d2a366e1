# shellcheck shell=sh
# Hostile input: malformed values for every parameter of xen_tmem, at
# insmod time and through /sys/module/xen_tmem/parameters at run time:
# empty, huge, non-UTF-8, embedded newlines, spaces, overflowing and
# negative numbers, almost-valid UUIDs, "0x" alone, upper-case names,
# repeated names and parameters. Each is refused: insmod fails and nothing
# is registered, or the write fails and the value reads back unchanged;
# the module says so in one printable `xen_tmem: <param>:` line, unless
# the kernel refuses before the module sees the value (a parameter
# without "=" at insmod, any write to the read-only transport). A sysfs
# write longer than a page is not refused by the kernel (5.10 gives
# module parameters no atomic_write_len): it passes the first 4096 bytes
# on, and the module refuses those as too long. The kernel log stays free of splats, the module
# keeps working (hits grow afterwards) and the emulator sees no malformed
# op (bad_ops 0).
# disks: ext4:64M
# timeout: 420
# debug: skip its values reach the parsers that tests/unit runs under ASan and UBSan with the same kinds of values, through the setters that badparams runs under the debug kernel; here they cost 5 minutes of forks

UUID=4a6f686e-2d44-6f65-0000-78656e746d65
UUID_UP=4A6F686E-2D44-6F65-0000-78656E746D65
MSG_MAX=300	# longest acceptable refusal line (characters)

# --- values --------------------------------------------------------------------
# esc NAME FORMAT: NAME gets FORMAT with printf's escapes (\n, \t,
# \377...) expanded, trailing newlines kept (a command substitution would
# strip them).
esc() {
	# shellcheck disable=SC2059 # the escapes are the point
	_e=$(printf "$2X")
	eval "$1=\${_e%X}"
}

# chars N C: N times the character C.
chars() {
	head -c "$1" /dev/zero | tr '\0' "$2"
}

HUGE=$(chars 65536 a)
PAGE=$(chars 4096 a)		# the most a sysfs write can carry
OVERPAGE=$(chars 4097 a)
LONG65=$(chars 65 s)		# pool_flags takes at most 64
esc NONUTF8 '\377\376\375'
esc LATIN1 'shar\351d'
esc NL_INSIDE 'shared\nnone'
esc NL_TWICE 'shared\n\n'
esc NL_FIRST '\nshared'
esc NL_ALONE '\n'
esc TAB 'shared\t'
esc CR 'shared\r'
esc CRLF 'shared\r\n'
esc NBSP 'shared\240'
esc SHA_NL_RED 'sha\nred'
esc SHA_NBSP_RED 'sha\240red'
esc Y_NL_Y 'y\ny'
esc ON_NL_NL 'on\n\n'
esc ONE_NL '1\n'
esc UUID_NL "$UUID\\n"

# --- checks shared by both phases ----------------------------------------------
# Few processes per case: under the debug kernel every fork costs.

# verdict NAME WHY: pass when WHY is empty, else fail with WHY.
verdict() {
	if [ -z "$2" ]; then pass "$1"; else fail "$1" "$2"; fi
}

# The kernel log of one case, judged by one awk run. Input: the log; p:
# the parameter; how: "module" (the module must say why in one
# `xen_tmem: p:` message, printable ASCII, at most max characters; busybox
# insmod tries finit_module() and then init_module(), so a refused insmod
# logs it twice), "kernel" (the kernel's own "invalid for parameter" line
# and no module line), or "none" (no module line). Output, one a line:
# line|WHY  splat|WHY  says|TEXT (WHY empty when right).
cat > /tmp/judge.awk << 'EOF_AWK'
{
	sub(/\r$/, "")
	if ($0 ~ /WARNING:|BUG:|Call Trace|KASAN|lockdep|Oops/ && splat == "")
		splat = $0
	if ($0 ~ /xen_tmem: (pool_flags|shared_uuid|enabled|transport):/)
		anymod++
	if (index($0, "invalid for parameter `" p "'"))
		kern++
	if (!index($0, "xen_tmem: " p ":"))
		next
	msg = $0
	sub(/^\[[^]]*\] /, "", msg)
	if (!(msg in seen)) {
		seen[msg] = 1
		distinct++
	}
	if (msg ~ /[^ -~]/)
		bad = "not printable ASCII"
	if (length(msg) > max)
		bad = "longer than " max " characters"
	if (first == "")
		first = msg
}
END {
	why = ""
	if (how == "module") {
		if (!distinct)
			why = "no 'xen_tmem: " p ":' line"
		else if (distinct > 1)
			why = distinct " different messages"
		else if (bad != "")
			why = "the line is " bad
	} else {
		if (how == "kernel" && !kern)
			why = "no \"invalid for parameter `" p "'\" line"
		if (anymod)
			why = why (why == "" ? "" : "; ") "the module printed a line"
	}
	print "line|" why
	gsub(/[^ -~]/, "?", splat)
	print "splat|" splat
	if (first != "") {
		gsub(/[^ -~]/, "?", first)
		print "says|" first
	}
}
EOF_AWK

# judge LABEL PARAM HOW: the checks on the kernel log of one case.
judge() {
	dmesg > /tmp/klog
	awk -v p="$2" -v how="$3" -v max="$MSG_MAX" -f /tmp/judge.awk \
		/tmp/klog > /tmp/verdicts
	while IFS='|' read -r _kind _text; do
		case $_kind in
		line)
			case $3 in
			module) verdict "$1: one clear 'xen_tmem: $2:' line" "$_text" ;;
			kernel) verdict "$1: the kernel refuses, the module is silent" "$_text" ;;
			*) verdict "$1: the module is silent" "$_text" ;;
			esac
			;;
		splat) verdict "$1: no splat in dmesg" "$_text" ;;
		says) echo "INFO: says: $_text" ;;
		esac
	done < /tmp/verdicts
}

# --- 1. at insmod time ------------------------------------------------------------
# insmod_refused LABEL WHO ARG...: insmod xen_tmem transport=emulated ARG...
# fails and leaves nothing behind. WHO: the parameter whose line the
# module must print, or "kernel:PARAM" when the kernel refuses first.
insmod_refused() {
	_l=$1
	_who=$2
	shift 2
	klog_clear
	_why=
	insmod "$XT_TMEM_KO" transport=emulated "$@" 2> /dev/null &&
		_why="insmod succeeded"
	[ ! -d /sys/module/xen_tmem ] || _why="${_why:+$_why; }xen_tmem is loaded"
	[ ! -e "$XT_SYS" ] || _why="${_why:+$_why; }$XT_SYS exists"
	verdict "insmod $_l: refused, nothing left" "$_why"
	case $_who in
	kernel:*) judge "insmod $_l" "${_who#kernel:}" kernel ;;
	*) judge "insmod $_l" "$_who" module ;;
	esac
}

# refused LABEL PARAM VALUE: PARAM="VALUE" (quoted for the kernel's
# parser, so that it passes the value whole, spaces and newlines too).
refused() {
	insmod_refused "$1" "$2" "$2=\"$3\""
}

# insmod_all PARAM: what every parameter must refuse.
insmod_all() {
	refused "$1 empty" "$1" ""
	refused "$1 64 KiB" "$1" "$HUGE"
	refused "$1 4 KiB" "$1" "$PAGE"
	refused "$1 non-UTF-8" "$1" "$NONUTF8"
	refused "$1 newline inside" "$1" "$NL_INSIDE"
	refused "$1 two trailing newlines" "$1" "$NL_TWICE"
	refused "$1 leading newline" "$1" "$NL_FIRST"
	refused "$1 trailing tab" "$1" "$TAB"
	refused "$1 trailing CR" "$1" "$CR"
	refused "$1 trailing NBSP (0xa0)" "$1" "$NBSP"
	refused "$1 leading space" "$1" " shared"
	refused "$1 trailing space" "$1" "shared "
	refused "$1 overflowing number" "$1" 99999999999999999999
	refused "$1 2^32" "$1" 4294967296
	refused "$1 2^64+2" "$1" 18446744073709551618
	refused "$1 long hex" "$1" 0x100000000
	refused "$1 negative" "$1" -1
	refused "$1 minus zero" "$1" -0
	refused "$1 plus sign" "$1" +2
	refused "$1 0x alone" "$1" 0x
	refused "$1 0X alone" "$1" 0X
	refused "$1 with '='" "$1" "shared=none"
	insmod_refused "$1 without '='" "kernel:$1" "$1"
}

# bad_uuids FN: FN "shared_uuid 'V'" shared_uuid V for every malformed or
# almost-valid UUID, at load (refused) and at run time (wrefused).
bad_uuids() {
	for v in nonsense "none," NONE None " none" "none " \
		12345678-1234-1234-1234-12345678901 \
		12345678-1234-1234-1234-1234567890123 \
		1234567-1234-1234-1234-123456789012 \
		123456789-234-1234-1234-123456789012 \
		1234567-81234-1234-1234-123456789012 \
		12345678-1234-1234-12341-23456789012 \
		12345678123412341234123456789012 \
		12345678-1234-1234-1234-12345678-012 \
		1234567g-1234-1234-1234-123456789012 \
		12345678-1234-1234-1234-12345678901z \
		"{12345678-1234-1234-1234-123456789012}" \
		urn:uuid:12345678-1234-1234-1234-123456789012 \
		" 12345678-1234-1234-1234-123456789012" \
		"12345678-1234-1234-1234-123456789012 " \
		00000000-0000-0000-0000-000000000000 \
		ffffffff-ffff-ffff-ffff-ffffffffffff \
		FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF; do
		"$1" "shared_uuid '$v'" shared_uuid "$v"
	done
}

# The kernel log gets raw bytes of refused values (the kernel's own
# "invalid for parameter" line prints them as they are): keep them off
# the serial console, whose log the host reads as text. Splats are
# looked for in dmesg after each attempt instead.
echo 3 > /proc/sys/kernel/printk
load_emu

insmod_all pool_flags
# persist (1, 3) is valid at load: it makes the frontswap pool.
for v in SHARED Shared NONE None PERSIST precompressed \
	shared,shared none,none shared,none none,shared persist,none \
	"shared," ,shared shared,,none "shared;none" sharedX foo \
	4 8 0x10 0x100 0x1000000 0x80000000 02 00 0x-2 0xg 1e3 2.0; do
	refused "pool_flags '$v'" pool_flags "$v"
done
refused "pool_flags 65 characters" pool_flags "$LONG65"
refused "pool_flags Latin-1" pool_flags "$LATIN1"

insmod_all shared_uuid
bad_uuids refused

insmod_all enabled
for v in 2 yes no true false ON OFF On oFF 10 01 0x1 enabled \
	"y y" "1 " " 1"; do
	refused "enabled '$v'" enabled "$v"
done

insmod_all transport
for v in XEN Xen EMULATED Emulated xen,emulated "xen emulated" " xen" \
	"emulated " kvm 0 1 emulatedemulated1; do
	refused "transport '$v'" transport "$v"
done

# The kernel's parser splits unquoted values at white space (its isspace
# also takes 0xa0): the module sees the part before it.
insmod_refused "pool_flags unquoted 'sha red'" pool_flags "pool_flags=sha red"
insmod_refused "pool_flags unquoted newline" pool_flags \
	"pool_flags=$SHA_NL_RED"
insmod_refused "pool_flags unquoted 0xa0" pool_flags \
	"pool_flags=$SHA_NBSP_RED"
# Repeated parameters: each is set in turn; any bad one fails the load.
insmod_refused "pool_flags twice, bad second" pool_flags \
	pool_flags=shared pool_flags=foo
insmod_refused "pool_flags twice, bad first" pool_flags \
	pool_flags=foo pool_flags=shared
insmod_refused "shared_uuid twice, bad second" shared_uuid \
	"shared_uuid=$UUID" shared_uuid=nonsense
insmod_refused "enabled twice, bad second" enabled enabled=1 enabled=maybe
insmod_refused "transport twice, bad second" transport \
	transport=emulated transport=kvm
echo 6 > /proc/sys/kernel/printk

# --- 2. through sysfs at run time ------------------------------------------------------
load_tmem transport=emulated pool_flags=shared "shared_uuid=$UUID"
mount_disk /dev/vda /mnt
for i in 1 2 3 4; do
	fill_file "/mnt/h$i" 2
done
sums_record /tmp/sums /mnt/h*
drop_caches 3
read_all /mnt/h*
drop_caches
read_all /mnt/h*
check_gt "hits before the hostile writes" "$(tmem_stat hits)" 0

# sysfs_write PARAM FILE: write FILE to PARAM in one write(); the error
# text, if any, in /tmp/werr.
sysfs_write() {
	dd if="$2" of="$XT_PARAMS/$1" bs=70000 count=1 conv=notrunc \
		2> /tmp/werr > /dev/null
}

# write_refused LABEL PARAM FILE HOW: the write fails, PARAM reads back
# unchanged. HOW: module (its line, EINVAL), ro (read-only: EACCES, from
# the kernel; the module is silent).
write_refused() {
	_before=$(param "$2")
	klog_clear
	_why=
	if sysfs_write "$2" "$3"; then
		_why="the write succeeded"
	else
		read -r _err < /tmp/werr
		case $4:$_err in
		module:*"Invalid argument"* | ro:*"Permission denied"*) ;;
		*) _why="unexpected error: $_err" ;;
		esac
	fi
	_after=$(param "$2")
	[ "$_after" = "$_before" ] ||
		_why="${_why:+$_why; }$2 changed from '$_before' to '$_after'"
	verdict "write $1: refused, $2 unchanged" "$_why"
	case $4 in
	ro) judge "write $1" "$2" none ;;
	*) judge "write $1" "$2" module ;;
	esac
}

# wrefused LABEL PARAM VALUE [HOW]: write_refused with VALUE as it is.
wrefused() {
	printf '%s' "$3" > /tmp/val
	write_refused "$1" "$2" /tmp/val "${4:-module}"
}

# write_all PARAM: what every writable parameter must refuse.
write_all() {
	wrefused "$1 lone newline" "$1" "$NL_ALONE"
	wrefused "$1 64 KiB (the module gets 4 KiB)" "$1" "$HUGE"
	wrefused "$1 4097 bytes (the module gets 4096)" "$1" "$OVERPAGE"
	wrefused "$1 4096 bytes" "$1" "$PAGE"
	wrefused "$1 non-UTF-8" "$1" "$NONUTF8"
	wrefused "$1 newline inside" "$1" "$NL_INSIDE"
	wrefused "$1 two trailing newlines" "$1" "$NL_TWICE"
	wrefused "$1 leading newline" "$1" "$NL_FIRST"
	wrefused "$1 trailing tab" "$1" "$TAB"
	wrefused "$1 CR LF" "$1" "$CRLF"
	wrefused "$1 trailing NBSP (0xa0)" "$1" "$NBSP"
	wrefused "$1 leading space" "$1" " shared"
	wrefused "$1 trailing space" "$1" "shared "
	wrefused "$1 overflowing number" "$1" 99999999999999999999
	wrefused "$1 2^32" "$1" 4294967296
	wrefused "$1 2^64+2" "$1" 18446744073709551618
	wrefused "$1 long hex" "$1" 0x100000000
	wrefused "$1 negative" "$1" -1
	wrefused "$1 minus zero" "$1" -0
	wrefused "$1 plus sign" "$1" +2
	wrefused "$1 0x alone" "$1" 0x
	wrefused "$1 0X alone" "$1" 0X
	wrefused "$1 with '='" "$1" "shared=none"
	# A NUL ends the string the module gets: it sees "sha".
	printf 'sha\000red' > /tmp/val
	write_refused "$1 NUL inside" "$1" /tmp/val module
}

write_all pool_flags
# Loaded without persist: adding it at run time is refused too.
for v in SHARED Shared NONE None PERSIST persist precompressed \
	persist,shared shared,shared none,none shared,none none,shared \
	"shared," ,shared shared,,none "shared;none" sharedX foo \
	1 3 4 8 0x10 0x100 0x1000000 0x80000000 02 00 0x-2 0xg 1e3 2.0; do
	wrefused "pool_flags '$v'" pool_flags "$v"
done
wrefused "pool_flags 65 characters" pool_flags "$LONG65"
wrefused "pool_flags Latin-1" pool_flags "$LATIN1"

write_all shared_uuid
bad_uuids wrefused

write_all enabled
for v in 2 yes no true false ON OFF On oFF 10 01 0x1 enabled "y y" "1 " \
	" 1" "$Y_NL_Y" "$ON_NL_NL"; do
	wrefused "enabled '$v'" enabled "$v"
done

# transport is read-only: every write fails before the module sees it.
wrefused "transport xen" transport xen ro
wrefused "transport emulated" transport emulated ro
wrefused "transport lone newline" transport "$NL_ALONE" ro
wrefused "transport foo" transport foo ro
wrefused "transport 64 KiB" transport "$HUGE" ro
wrefused "transport non-UTF-8" transport "$NONUTF8" ro
wrefused "transport newline inside" transport "$NL_INSIDE" ro

# --- 3. the values that are valid still work, and so does the module --------------------
ok_write() {
	printf '%s' "$3" > /tmp/val
	klog_clear
	check "write $1: accepted" sysfs_write "$2" /tmp/val
	dmesg > /tmp/klog
	awk -v p="$2" -v how=any -v max="$MSG_MAX" -f /tmp/judge.awk \
		/tmp/klog > /tmp/verdicts
	verdict "write $1: no splat in dmesg" \
		"$(sed -n 's/^splat|//p' /tmp/verdicts)"
}
ok_write "shared_uuid upper case" shared_uuid "$UUID_UP"
check_eq "shared_uuid upper case reads back in lower case" "$UUID" \
	"$(param shared_uuid)"
ok_write "shared_uuid none" shared_uuid none
check_eq "shared_uuid reads none" none "$(param shared_uuid)"
ok_write "shared_uuid with one newline" shared_uuid "$UUID_NL"
check_eq "shared_uuid reads back" "$UUID" "$(param shared_uuid)"
ok_write "pool_flags 0" pool_flags 0
check_eq "pool_flags reads none" none "$(param pool_flags)"
ok_write "pool_flags 0x2" pool_flags 0x2
check_eq "pool_flags reads shared" shared "$(param pool_flags)"
ok_write "enabled off" enabled off
check_eq "enabled reads N" N "$(param enabled)"
ok_write "enabled 1 with a newline" enabled "$ONE_NL"
check_eq "enabled reads Y" Y "$(param enabled)"
check_eq "transport still emulated" emulated "$(param transport)"

# enabled off and on emptied the pools: read from disk, then from tmem.
drop_caches
read_all /mnt/h*
hits1=$(tmem_stat hits)
drop_caches
sums_verify "after the hostile writes" /tmp/sums
check_gt "hits grow after the hostile writes" "$(tmem_stat hits)" "$hits1"
check_eq "emulator bad_ops" 0 "$(emu_stat bad_ops)"
report hostile
check "umount /mnt" umount /mnt
