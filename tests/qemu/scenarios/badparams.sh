# shellcheck shell=sh
# Bad parameters: each bad value makes insmod fail with a line naming the
# parameter, leaving nothing loaded or registered; at run time a bad write
# fails and leaves the value unchanged; transport is read-only. On
# either hypervisor (transport=emulated, or xen on a real Xen).
# timeout: 180
# xen: badparams tmem

UUID=4a6f686e-2d44-6f65-0000-78656e746d65

# refuse PARAM=VALUE: insmod with it must fail cleanly.
refuse() {
	_p=${1%%=*}
	klog_clear
	check_not "insmod $1 fails" insmod "$XT_TMEM_KO" "$XT_TRANSPORT" "$1"
	case $_p in
	enabled | guard)
		# The kernel's own parser may be the one to say it.
		check "dmesg names $_p for $1" \
			sh -c "dmesg | grep 'xen_tmem: ' | grep -q -F '$_p'"
		;;
	*)
		check "dmesg has 'xen_tmem: $_p:' for $1" klog_has "xen_tmem: $_p:"
		;;
	esac
	dmesg | grep -F 'xen_tmem' | head -n 2 | sed 's/^/INFO: dmesg: /'
	not_registered "$1"
}

# runtime_refuse PARAM VALUE: writing VALUE must fail, value unchanged.
runtime_refuse() {
	_before=$(param "$1")
	check_not "write '$2' to $1 fails" sh -c "echo '$2' > $XT_PARAMS/$1"
	check_eq "$1 unchanged after '$2'" "$_before" "$(param "$1")"
}

hv_prepare

refuse pool_flags=foo
refuse pool_flags=precompressed
refuse pool_flags=persist,none
refuse pool_flags=0x100
refuse pool_flags=0x10
refuse pool_flags=0x1000000
refuse pool_flags=
refuse pool_flags=shared,,shared
refuse pool_flags=99999999999999999999
refuse shared_uuid=nonsense
refuse shared_uuid=00000000-0000-0000-0000-000000000000
refuse shared_uuid=ffffffff-ffff-ffff-ffff-ffffffffffff
refuse shared_uuid=12345678-1234-1234-1234-12345678901
refuse shared_uuid=12345678-1234-1234-1234-1234567890123
refuse shared_uuid=g2345678-1234-1234-1234-123456789012
refuse transport=foo
refuse transport=
refuse enabled=maybe
refuse guard=maybe
refuse guard=2

load_tmem "$XT_TRANSPORT" pool_flags=shared shared_uuid=$UUID
check "$XT_SYS exists after the good load" test -d "$XT_SYS"
check_eq "pool_flags reads back" shared "$(param pool_flags)"
check_eq "shared_uuid reads back" "$UUID" "$(param shared_uuid)"
check_eq "transport reads back" "${XT_TRANSPORT#transport=}" "$(param transport)"
check_eq "enabled reads back" Y "$(param enabled)"
check_eq "guard reads back (on by default)" Y "$(param guard)"

for v in foo precompressed persist 0x100 0x10 0x1000000 shared,,shared \
	99999999999999999999 ""; do
	runtime_refuse pool_flags "$v"
done
for v in nonsense 00000000-0000-0000-0000-000000000000 \
	ffffffff-ffff-ffff-ffff-ffffffffffff \
	12345678-1234-1234-1234-12345678901 \
	12345678-1234-1234-1234-1234567890123 \
	g2345678-1234-1234-1234-123456789012; do
	runtime_refuse shared_uuid "$v"
done
runtime_refuse enabled maybe
runtime_refuse guard maybe
runtime_refuse guard 2
runtime_refuse transport xen
runtime_refuse transport emulated
