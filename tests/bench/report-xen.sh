#!/bin/sh
# The benchmark on real tmem next to the emulator: the re-read and the
# swap workload as run by `BENCH_HV=xen tests/bench/run.sh` (the same
# guest as the dom0 of Xen 4.12 with tmem; DIR/xen/) and by the plain run
# (the emulated hypervisor; DIR/), as the markdown section of RESULTS.md
# or a summary.
#
# usage: tests/bench/report-xen.sh [DIR [md|summary]]
#
# Each column's ratios are taken inside its own boot (the module off and
# on, one after the other); sector counts are exact, times are TCG's.
# Exits non-zero when DIR/xen/bench.log is missing or lacks a pass.
set -eu
bench=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$bench/results}
mode=${2:-md}
[ -r "$dir/xen/bench.log" ] || {
	echo "error: no $dir/xen/bench.log (BENCH_HV=xen tests/bench/run.sh)" >&2
	exit 1
}

# field LOG SECTION PASS KEY: a value of a BENCH line.
field() {
	sed -n "s/^BENCH section=$2 pass=$3 .* $4=\([0-9]*\).*/\1/p" "$1" | head -n 1
}

# mean LOG SECTION PREFIX KEY: the mean of KEY over the passes PREFIX-2..
# (the first pass of each kind fills the page cache or the hypervisor).
mean() {
	grep "^BENCH section=$2 pass=$3-[0-9]* " "$1" | grep -v "pass=$3-1 " |
		sed -n "s/.* $4=\([0-9]*\).*/\1/p" |
		awk '{ s += $1; n++ } END { if (n) printf "%.0f\n", s / n; else print "" }'
}

# median LOG SECTION PREFIX KEY: the median of KEY over PREFIX-1...
median() {
	grep "^BENCH section=$2 pass=$3-[0-9]* " "$1" |
		sed -n "s/.* $4=\([0-9]*\).*/\1/p" | sort -n |
		awk '{ v[NR] = $1 } END {
			if (!NR) print ""
			else if (NR % 2) print v[(NR + 1) / 2]
			else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

calc() {
	awk "BEGIN { printf \"%.2f\", $1 }"
}

# reread LOG: "off_sectors on_sectors reduction_pct speedup" of a log.
reread() {
	_off=$(mean "$1" reread off rd_sectors)
	_on=$(mean "$1" reread on rd_sectors)
	_offcs=$(mean "$1" reread off cs)
	_oncs=$(mean "$1" reread on cs)
	if [ -z "$_off" ] || [ -z "$_on" ] || [ -z "$_oncs" ]; then
		echo "error: $1 lacks the re-read passes" >&2
		exit 1
	fi
	echo "$_off $_on $(calc "100 * (1 - $_on / $_off)") $(calc "$_offcs / ($_oncs > 0 ? $_oncs : 1)")"
}

# swap LOG VARIANT KEY: the median of KEY over VARIANT's runs ("-" none).
swap() {
	_v=
	[ -r "$1" ] && _v=$(median "$1" swap "$2" "$3")
	echo "${_v:--}"
}

xver=$(sed -n 's/^hypervisor=xen //p' "$dir/xen/env.txt" 2> /dev/null)
# shellcheck disable=SC2046 # four numbers
set -- $(reread "$dir/bench.log") $(reread "$dir/xen/bench.log")
e_off=$1 e_on=$2 e_red=$3 e_spd=$4 x_off=$5 x_on=$6 x_red=$7 x_spd=$8

if [ "$mode" = summary ]; then
	echo "re-read on Xen ${xver:-4.12} with tmem: $x_off -> $x_on sectors a pass ($x_red % fewer), ${x_spd} x (TCG); emulator: $e_off -> $e_on ($e_red % fewer), ${e_spd} x"
	for v in disk zswap tmem full overflow; do
		echo "swap $v: written $(swap "$dir/xen/swap.log" "$v" wr_sectors) sectors on Xen, $(swap "$dir/swap.log" "$v" wr_sectors) on the emulator; hypercalls per page out / in on Xen $(hc "$dir/xen/swap.log" "$v"), on the emulator $(hc "$dir/swap.log" "$v")"
	done
	exit 0
fi

cat << EOF
## 7. On real tmem: Xen ${xver:-4.12} next to the emulator

\`BENCH_HV=xen tests/bench/run.sh\` boots the same guest, kernel, disks
and throttle as the dom0 of Xen ${xver:-4.12} built with tmem
(\`tests/xen/build-xen.sh\`; PV dom0 with $(sed -n 's/^guest_mem_mib=//p' "$dir/xen/env.txt") MiB, the rest of
the machine Xen's) and runs the re-read and the swap workload there;
xen_tmem uses the real hypercall. Each column is one boot: its module-off
and module-on passes ran one after the other in it. Sector counts are
exact; seconds are TCG's, on a shared host.

| re-read ($(sed -n 's/^data_mib=//p' "$dir/xen/env.txt") MiB, $(sed -n 's/^memcg_read=//p' "$dir/xen/env.txt") memcg), passes 2+ | emulator | Xen with tmem |
|---|---:|---:|
| sectors read a pass, module off | $e_off | $x_off |
| sectors read a pass, module on | $e_on | $x_on |
| fewer sectors | $e_red % | $x_red % |
| faster (TCG time, mean off / mean on) | $e_spd x | $x_spd x |

| swap (medians of the runs): the swap goes to | emulator: sectors written / read, s | Xen with tmem: sectors written / read, s | Xen: stores taken / refused, loads hit | hypercalls per page swapped out / in: emulator; Xen |
|---|---:|---:|---:|---:|
EOF
# cell LOG VARIANT: "written / read, seconds" of VARIANT's median run.
cell() {
	_ms=$(swap "$1" "$2" ms)
	[ "$_ms" = - ] || _ms=$(calc "$_ms / 1000")
	echo "$(swap "$1" "$2" wr_sectors) / $(swap "$1" "$2" rd_sectors), $_ms"
}
# fate LOG VARIANT: "stores taken / refused, loads hit" on Xen.
fate() {
	_st=$(swap "$1" "$2" stores)
	_sf=$(swap "$1" "$2" store_failures)
	if [ "$_st" = - ] || [ "$_sf" = - ]; then
		echo -
		return
	fi
	echo "$((_st - _sf)) / $_sf, $(swap "$1" "$2" load_hits)"
}
# hc LOG VARIANT: hypercalls per page swapped out (put + flush) and per
# page swapped in (get), of the medians ("-" for a log without them).
hc() {
	_o=$(swap "$1" "$2" pages_out)
	_i=$(swap "$1" "$2" pages_in)
	if [ "$_o" = - ] || [ "$_i" = - ] || [ "$(swap "$1" "$2" hc_put)" = - ]; then
		echo -
		return
	fi
	awk -v p="$(swap "$1" "$2" hc_put)" -v f="$(swap "$1" "$2" hc_flush)" \
		-v g="$(swap "$1" "$2" hc_get)" -v o="$_o" -v i="$_i" \
		'BEGIN { printf "%.3f / %.3f\n", o ? (p + f) / o : 0, i ? g / i : 0 }'
}
for v in disk zswap tmem full overflow; do
	x=$dir/xen/swap.log
	echo "| $v | $(cell "$dir/swap.log" "$v") | $(cell "$x" "$v") | $(fate "$x" "$v") | $(hc "$dir/swap.log" "$v"); $(hc "$x" "$v") |"
done
