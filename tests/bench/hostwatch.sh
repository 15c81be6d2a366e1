#!/bin/sh
# Record the host's CPU use while the benchmark guest runs: QEMU's own
# CPU time and everybody else's, at the start and end of each timed pass
# (the guest prints "BENCH-BEGIN section=S pass=P" before a pass and
# "BENCH section=S pass=P ..." after it) and every 10 s.
#
# usage: tests/bench/hostwatch.sh SERIAL_LOG QEMU_PIDFILE > OUT
#
# One line per sample: milliseconds since the epoch, QEMU's CPU ticks
# (utime + stime, 1/100 s), the host's ticks (user nice system idle
# iowait irq softirq steal), the 1-minute load average, then "-" or the
# marker: BENCH-BEGIN|BENCH SECTION PASS. Runs until QEMU exits. A
# marker is seen within about 0.2 s of the guest printing it.
set -eu

[ $# -eq 2 ] || {
	echo "usage: $0 SERIAL_LOG QEMU_PIDFILE" >&2
	exit 1
}
log=$1
pidfile=$2

while [ ! -s "$pidfile" ]; do
	sleep 0.2
done
qpid=$(cat "$pidfile")

# sample TAG...: one line.
sample() {
	q=$(awk '{ print $14 + $15 }' "/proc/$qpid/stat" 2> /dev/null) || q=
	[ -n "$q" ] || return 0
	cpu=$(head -n 1 /proc/stat | awk '{ print $2, $3, $4, $5, $6, $7, $8, $9 }')
	echo "$(($(date +%s%N) / 1000000)) $q $cpu $(cut -d' ' -f1 /proc/loadavg) $*"
}

seen=0
last=0
while [ -r "/proc/$qpid/stat" ]; do
	marks=$(tr -d '\r' < "$log" 2> /dev/null |
		grep -E '^BENCH(-BEGIN)? section=[^ ]* pass=' | cut -d' ' -f1-3) || true
	n=$(printf '%s' "$marks" | grep -c . || true)
	if [ "$n" -gt "$seen" ]; then
		printf '%s\n' "$marks" | sed -n "$((seen + 1)),${n}p" |
			while read -r tag sec pass; do
				sample "$tag" "${sec#section=}" "${pass#pass=}"
			done
		seen=$n
	fi
	now=$(date +%s)
	if [ $((now - last)) -ge 10 ]; then
		sample -
		last=$now
	fi
	sleep 0.2
done
