# shellcheck shell=sh
# Result helpers of the TAP-like suites, tests/pkg/run.sh and
# tests/kernels/dkms.sh (sourced): one "ok - ..." or "not ok - ..." line
# per check, counted in $passed and $failed.
# shellcheck disable=SC2034 # rc is the caller's

passed=0
failed=0
ok() {
	passed=$((passed + 1))
	echo "ok - $*"
}
not_ok() {
	failed=$((failed + 1))
	echo "not ok - $*"
}
# check DESC COMMAND...: ok when COMMAND succeeds.
check() {
	_d=$1
	shift
	if "$@"; then ok "$_d"; else not_ok "$_d"; fi
}
# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (expected '$2', got '$3')"
	fi
}
# run LOG COMMAND...: run COMMAND with its output in LOG; its exit status
# in $rc (never stops the script).
run() {
	_log=$1
	shift
	rc=0
	"$@" > "$_log" 2>&1 || rc=$?
}
# show FILE [LINES]: the end of FILE (25 lines), indented (after a
# failed check).
show() {
	tail -n "${2:-25}" "$1" | sed 's/^/    # /'
}
note() {
	echo "# $*"
}
# check_quiet DESC LOG COMMAND...: ok when COMMAND succeeds and prints
# nothing (a checker's warnings count as failures); its output in LOG,
# shown when not.
check_quiet() {
	_d=$1
	_q=$2
	shift 2
	run "$_q" "$@"
	if [ "$rc" = 0 ] && [ ! -s "$_q" ]; then
		ok "$_d"
	else
		not_ok "$_d (exit $rc)"
		show "$_q"
	fi
}
