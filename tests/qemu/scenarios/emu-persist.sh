# shellcheck shell=sh
# emu-persist: the emulator's persistent pools (the frontswap side of Xen
# tmem), without xen_tmem. persist_capacity_pages stands for the guest's
# memory allowance that Xen charges persistent pages to: new puts over it
# answer -ENOMEM, a duplicate put replaces in place, lowering it drops
# nothing. Persistent pages do not count against capacity_pages and are
# never evicted; GET leaves them in place; forget_pools=all (save/restore)
# keeps them; GET/forget/evict faults spare them. The checks run inside
# the kernel in xen_tmem_persist_selftest (tests/emu/persist_selftest.c);
# each of its lines becomes one check here.
# timeout: 120
# debug: skip it tests the emulator, not xen_tmem

XT_SELFTEST_KO=$XT_KO_DIR/xen_tmem_persist_selftest.ko

load_emu
check_eq "persist_capacity_pages default" 16384 \
	"$(emu_stat persist_capacity_pages)"
check_eq "persist_pages starts at 0" 0 "$(emu_stat persist_pages)"
check_eq "persist_puts_enomem starts at 0" 0 "$(emu_stat persist_puts_enomem)"
check_not "persist_pages is read-only" \
	sh -c "echo 5 > $XT_EMU_PARAMS/persist_pages"
check_not "persist_capacity_pages refuses words" \
	sh -c "echo many > $XT_EMU_PARAMS/persist_capacity_pages"
check "persist_capacity_pages writable" \
	sh -c "echo 4096 > $XT_EMU_PARAMS/persist_capacity_pages"
check_eq "persist_capacity_pages reads back" 4096 \
	"$(emu_stat persist_capacity_pages)"
check "persist_capacity_pages back to the default" \
	sh -c "echo 16384 > $XT_EMU_PARAMS/persist_capacity_pages"

# The self-test, twice: with its default limits, then with others (and the
# emulator's counters not at zero any more).
selftest() {
	_t="selftest${*:+ $*}"
	klog_clear
	require "insmod xen_tmem_persist_selftest${*:+ $*}" \
		insmod "$XT_SELFTEST_KO" "$@"
	dmesg | grep -o 'emu-persist: .*' > /tmp/selftest.log
	while read -r _l; do
		case $_l in
		'emu-persist: ok: '*) pass "$_t: ${_l#emu-persist: ok: }" ;;
		'emu-persist: FAIL: '*) fail "$_t: ${_l#emu-persist: FAIL: }" ;;
		esac
	done < /tmp/selftest.log
	_sum=$(grep -o '[0-9]* passed, [0-9]* failed' /tmp/selftest.log | tail -n 1)
	echo "REPORT[$_t] $_sum"
	check_gt "$_t: checks passed" "${_sum%% passed*}" 40
	_f=${_sum#*passed, }
	check_eq "$_t: none failed" 0 "${_f%% failed}"
	check "$_t: rmmod" rmmod xen_tmem_persist_selftest
	check_eq "$_t: persist_capacity_pages put back" 16384 \
		"$(emu_stat persist_capacity_pages)"
	check_eq "$_t: capacity_pages put back" 65536 \
		"$(emu_stat capacity_pages)"
	check_eq "$_t: persist_pages 0 after" 0 "$(emu_stat persist_pages)"
	check_eq "$_t: pages 0 after" 0 "$(emu_stat pages)"
	check_eq "$_t: pools 0 after" 0 "$(emu_stat pools)"
}
selftest
check_gt "persist_puts_enomem counted" "$(emu_stat persist_puts_enomem)" 0
selftest limit=200 eph_capacity=100
echo "REPORT[emu] $(dir_kv "$XT_EMU_PARAMS")"
