#!/bin/sh
# Judge a guest serial log: exit 0 only when the scenario finished, every
# check passed and the kernel complained about nothing.
#
# usage: tests/qemu/check-log.sh LOG
#
# Prints the offending lines (with line numbers) on failure. The log is
# CRLF and kernel messages may interleave with the scenario's output, so
# nothing is anchored to the start of a line.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || xt_die "usage: $0 LOG"
log=$1
[ -r "$log" ] || xt_die "no such log: $log"

clean=$(mktemp "${TMPDIR:-/tmp}/xt-log.XXXXXX")
trap 'rm -f "$clean"' EXIT
tr -d '\r' < "$log" > "$clean"

bad=0
complain() {
	echo "check-log: $log: $*"
	bad=1
}

if grep -n -e 'BUG:' -e 'WARNING:' -e 'Oops' -e 'Call Trace' \
	-e 'KASAN' -e 'kernel BUG' -e 'general protection fault' \
	-e 'Kernel panic' -e 'soft lockup' -e 'hung_task' \
	-e 'blocked for more than' -e 'CHECK-FAIL' -e 'run-qemu: killed' \
	"$clean"; then
	complain "kernel or scenario reported a problem (lines above)"
fi

if ! grep -q 'HARNESS-BEGIN' "$clean"; then
	complain "no HARNESS-BEGIN: the guest never reached /init"
fi
if ! grep -q 'HARNESS-END' "$clean"; then
	complain "no HARNESS-END: the scenario did not finish"
	tail -n 15 "$clean" | sed 's/^/  | /'
fi
rc=$(grep -o 'HARNESS-RC=[0-9]*' "$clean" | tail -n 1 | cut -d= -f2)
if [ -z "$rc" ]; then
	complain "no HARNESS-RC line"
elif [ "$rc" != 0 ]; then
	grep -n 'HARNESS-NOTE' "$clean" || true
	complain "HARNESS-RC=$rc ($rc failed checks)"
fi
exit "$bad"
