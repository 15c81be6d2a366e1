#!/bin/sh
# Format the results of tests/bench/run.sh: RESULTS.md, the capacity
# sweep's data file and plot, and a summary on stdout.
#
# usage: tests/bench/report.sh [DIR [RESULTS.md]]
#
# DIR (default tests/bench/results) holds bench.log (the guest's BENCH,
# CHECK and REPORT lines), env.txt (the machine and the settings) and
# hostload.txt (the host's load during the run), and swap.log with
# swap-env.txt and swap-hostload.txt when the swap workload ran
# (section 6, after ANALYSIS.md: tests/bench/report-swap.sh), and xen/
# with the same from Xen with tmem (section 7: report-xen.sh); the
# self-ballooning passes of either log make section 8 (report-sb.sh),
# its goals and a line of the summary; this writes
# DIR/capacity.dat, DIR/capacity.png and RESULTS.md (default
# tests/bench/RESULTS.md), so a re-run of the benchmark, or of this script
# on kept results, regenerates them. tests/bench/ANALYSIS.md, if present,
# is appended. Exits non-zero if the log lacks a section or a timed pass,
# or shows a failed check.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"
# shellcheck source=tests/bench/fields.sh
. "$XT_TOP/tests/bench/fields.sh"

bench=$XT_TOP/tests/bench
dir=${1:-$bench/results}
md=${2:-$bench/RESULTS.md}
log=$dir/bench.log
env=$dir/env.txt
hostload=$dir/hostload.txt
[ -r "$log" ] || xt_die "no $log (run tests/bench/run.sh)"
[ -r "$env" ] || xt_die "no $env"
command -v gnuplot > /dev/null || xt_die "gnuplot not found (apt-get install gnuplot-nox)"
if grep -q '^CHECK-FAIL' "$log"; then
	grep '^CHECK-FAIL' "$log" >&2
	xt_die "the run has failed checks (above)"
fi

# envv KEY: a value of env.txt.
envv() {
	sed -n "s/^$1=//p" "$env" | head -n 1
}

# setup KEY: a value of the guest's setup line.
setup() {
	sed -n "s/^BENCH section=setup.* $1=\([^ ]*\).*/\1/p" "$log" | head -n 1
}

# field SECTION PASS KEY: a value of a timed pass (empty if none).
field() {
	bench_field "$log" "$@"
}

# cost KEY: the median of xtmem_bench.ko for KEY, ns per operation.
cost() {
	sed -n "s/^BENCH section=cost xtmem_bench: median ns\/op:.* $1=\([0-9.]*\).*/\1/p" \
		"$log" | tail -n 1
}

# cost_ratio A B: the median over the rounds of A / B (same round).
cost_ratio() {
	sed -n 's/^BENCH section=cost xtmem_bench: round [0-9]* ns\/op://p' "$log" |
		awk -v a="$1" -v b="$2" '
		{
			for (i = 1; i <= NF; i++) {
				split($i, kv, "=")
				v[kv[1]] = kv[2]
			}
			r[++n] = v[a] / v[b]
		}
		END {
			for (i = 1; i <= n; i++)
				for (j = i + 1; j <= n; j++)
					if (r[j] < r[i]) {
						t = r[i]; r[i] = r[j]; r[j] = t
					}
			print (n % 2) ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
		}'
}

# calc EXPR: awk arithmetic.
calc() {
	awk "BEGIN { print ($1) }"
}

fmt0() {
	awk -v x="$1" 'BEGIN { printf "%.0f", x }'
}

fmt1() {
	awk -v x="$1" 'BEGIN { printf "%.1f", x }'
}

fmt2() {
	awk -v x="$1" 'BEGIN { printf "%.2f", x }'
}

# met 0|1: the verdict of a goal.
met() {
	if [ "$1" = 1 ]; then echo met; else echo "**not met**"; fi
}

# Sections and passes the report needs.
for p in reread:off-2 reread:on-3 sweep:loop-off sweep:shuffled-off \
	build:on-1 build-tuned:on-1 sweep:loop-100 calibrate:md5; do
	[ -n "$(field "${p%%:*}" "${p#*:}" rd_sectors)" ] ||
		xt_die "$log has no timed pass ${p#*:} of ${p%%:*}"
done
[ -n "$(cost put)" ] || xt_die "$log has no cost-per-page medians"

# --- derived numbers ---------------------------------------------------------------
c_put=$(cost put)
c_hit=$(cost get_hit)
c_miss=$(cost get_miss)
c_copy=$(cost copy_page)
c_pg=$(cost put_get)
c_eput=$(cost emu_put)
c_ehit=$(cost emu_get_hit)
c_emiss=$(cost emu_get_miss)
r_put=$(cost_ratio put copy_page)
r_hit=$(cost_ratio get_hit copy_page)
r_miss=$(cost_ratio get_miss copy_page)
r_pg=$(cost_ratio put_get copy_page)
r_put_mc=$(cost_ratio put memcpy)
r_hit_mc=$(cost_ratio get_hit memcpy)

# pair SECTION "BASE..." PASS: "reduction% speedup" of PASS against the
# mean of the BASE passes.
pair() {
	b_s=0
	b_t=0
	nb=0
	for b in $2; do
		b_s=$(calc "$b_s + $(field "$1" "$b" rd_sectors)")
		b_t=$(calc "$b_t + $(field "$1" "$b" cs)")
		nb=$((nb + 1))
	done
	o_s=$(field "$1" "$3" rd_sectors)
	o_t=$(field "$1" "$3" cs)
	calc "(1 - $o_s * $nb / ($b_s ? $b_s : 1)) * 100 \" \" $b_t / $nb / ($o_t ? $o_t : 1)"
}

# pairs SECTION: one "pass base reduction speedup" line per measured pass
# with the module. reread: on-2.. against off-2; build: on-R against the
# mean of off-R and off-R+1 (BASE is then "off-R+off-R+1").
pairs() {
	if [ "$1" = reread ]; then
		i=2
		while [ -n "$(field reread "on-$i" cs)" ]; do
			echo "on-$i off-2 $(pair reread off-2 "on-$i")"
			i=$((i + 1))
		done
	else
		i=1
		while [ -n "$(field "$1" "on-$i" cs)" ]; do
			bases="off-$i"
			[ -z "$(field "$1" "off-$((i + 1))" cs)" ] ||
				bases="$bases off-$((i + 1))"
			echo "on-$i $(echo "$bases" | tr ' ' '+') $(pair "$1" "$bases" "on-$i")"
			i=$((i + 1))
		done
	fi
}

# agg SECTION COLUMN min|median: over the pairs of SECTION.
agg() {
	pairs "$1" | awk -v c="$2" -v how="$3" '
		{ v[++n] = $c }
		END {
			for (i = 1; i <= n; i++)
				for (j = i + 1; j <= n; j++)
					if (v[j] < v[i]) {
						t = v[i]; v[i] = v[j]; v[j] = t
					}
			if (how == "min")
				print v[1]
			else
				print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}'
}

rr_red=$(agg reread 3 min)
rr_spd=$(agg reread 4 min)
b_red=$(agg build 3 median)
b_spd=$(agg build 4 median)
b_red_min=$(agg build 3 min)
b_spd_min=$(agg build 4 min)
t_red=$(agg build-tuned 3 median)
t_spd=$(agg build-tuned 4 median)
t_red_min=$(agg build-tuned 3 min)
t_spd_min=$(agg build-tuned 4 min)
ok_rr_red=$(calc "$rr_red >= 90")
ok_rr_spd=$(calc "$rr_spd >= 2")
ok_b_red=$(calc "$b_red > 52")
ok_b_spd=$(calc "$b_spd >= 1")
ok_t_red=$(calc "$t_red > 52")
ok_t_spd=$(calc "$t_spd >= 1")
ok_put=$(calc "$r_put <= 3")
ok_hit=$(calc "$r_hit <= 3")

# Host load while the guest ran: cores busy in all, by QEMU, by others.
host_load() {
	[ -s "$hostload" ] || {
		echo "not recorded"
		return
	}
	awk '
		{
			busy = $3 + $4 + $5 + $8 + $9 + $10
			if (NR == 1) { t0 = $1; b0 = busy; q0 = $2 }
			t1 = $1; b1 = busy; q1 = $2
			load += $11; if ($11 > lmax) lmax = $11
		}
		END {
			dt = (t1 > t0) ? (t1 - t0) / 10 : 1
			printf "%.2f of the host cores busy on average, %.2f of them by this QEMU, %.2f by other processes; 1-minute load average %.1f on average, %.1f at most",
				(b1 - b0) / dt, (q1 - q0) / dt, (b1 - b0 - q1 + q0) / dt,
				load / NR, lmax
		}' "$hostload"
}

# host_passes: "section pass qemu_cpu_s others_cores" for every pass whose
# start and end hostwatch.sh saw.
host_passes() {
	[ -s "$hostload" ] || return 0
	awk '
		$12 == "BENCH-BEGIN" || $12 == "BENCH" {
			k = $13 " " $14
			busy = $3 + $4 + $5 + $8 + $9 + $10
			if ($12 == "BENCH-BEGIN") {
				t[k] = $1; q[k] = $2; b[k] = busy
			} else if (k in t && $1 > t[k]) {
				dt = ($1 - t[k]) / 10
				printf "%s %.2f %.2f\n", k, ($2 - q[k]) / 100,
					(busy - b[k] - ($2 - q[k])) / dt
			}
		}' "$hostload"
}
host_passes > "$dir/.host_passes"
trap 'rm -f "$dir/.host_passes"' EXIT

# --- capacity sweep: data file and plot ------------------------------------------------
data_pages=$(setup data_pages)
base_loop=$(field sweep loop-off rd_sectors)
base_shuf=$(field sweep shuffled-off rd_sectors)
{
	echo "# xen-tmem capacity sweep (tests/bench/run.sh): data set $data_pages pages, read in a $(envv memcg_read) memory cgroup"
	echo "# columns: capacity_pct capacity_pages loop_sectors loop_reduction_pct loop_hit_pct loop_seconds shuffled_sectors shuffled_reduction_pct shuffled_hit_pct shuffled_seconds"
	echo "# without xen_tmem: loop $base_loop sectors, shuffled $base_shuf sectors"
	for pct in $(envv sweep); do
		line="$pct $((data_pages * pct / 100))"
		for pat in loop shuffled; do
			base=$base_loop
			[ "$pat" = loop ] || base=$base_shuf
			s=$(field sweep "$pat-$pct" rd_sectors)
			g=$(field sweep "$pat-$pct" gets)
			h=$(field sweep "$pat-$pct" hits)
			t=$(field sweep "$pat-$pct" cs)
			[ -n "$s" ] || xt_die "no sweep pass $pat-$pct"
			line="$line $s $(fmt1 "$(calc "(1 - $s / $base) * 100")")"
			line="$line $(fmt1 "$(calc "$h * 100 / ($g ? $g : 1)")")"
			line="$line $(fmt2 "$(calc "$t / 100")")"
		done
		echo "$line"
	done
} > "$dir/capacity.dat"

xtics=$(envv sweep | awk '{ for (i = 1; i <= NF; i++) printf "%s\"%s\" %s", (i > 1 ? ", " : ""), $i, $i }')
gnuplot << EOF
set terminal pngcairo size 820,520 font ",11"
set output "$dir/capacity.png"
set title "xen-tmem: disk reads saved against hypervisor capacity\\n$(envv data_mib) MiB re-read in a $(envv memcg_read) memory cgroup (QEMU $(envv accel), throttled virtio disk)"
set xlabel "emulated tmem capacity, % of the data set"
set ylabel "%"
set logscale x 2
set xtics ($xtics)
set xrange [*:*]
set offsets graph 0.05, graph 0.05, 0, 0
set yrange [-5:105]
set key left top
set grid
plot "$dir/capacity.dat" using 1:8 with linespoints lw 2 pt 7 title "fewer sectors read, shuffled order each pass", \\
     "$dir/capacity.dat" using 1:4 with linespoints lw 2 pt 5 title "fewer sectors read, same order each pass", \\
     "$dir/capacity.dat" using 1:9 with lines dt 2 lw 1 title "tmem hit ratio, shuffled", \\
     "$dir/capacity.dat" using 1:5 with lines dt 3 lw 1 title "tmem hit ratio, same order"
EOF

# --- tables ------------------------------------------------------------------------------
# passes_table SECTION: one row per timed pass.
passes_table() {
	echo "| pass | xen_tmem | sectors read | MiB from disk | read requests | wall s | gets | hits | hit % | puts | inodes flushed | user s | sys s | idle+iowait s | xen_tmem CPU s (est.) | QEMU CPU s | host cores used by others |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -v s="section=$1" -v cput="$c_put" -v chit="$c_hit" -v cmiss="$c_miss" \
		-v hp="$dir/.host_passes" '
		function v(k,    i) {
			for (i = 4; i <= NF; i++)
				if (index($i, k "=") == 1)
					return substr($i, length(k) + 2)
			return ""
		}
		BEGIN {
			while ((getline line < hp) > 0) {
				split(line, a, " ")
				qc[a[1] " " a[2]] = a[3]
				oc[a[1] " " a[2]] = a[4]
			}
		}
		$1 == "BENCH" && $2 == s && $3 ~ /^pass=/ {
			g = v("gets"); h = v("hits")
			est = (v("puts") * cput + h * chit + (g - h) * cmiss) / 1e9
			k = substr($2, 9) " " substr($3, 6)
			printf "| %s | %s | %d | %.1f | %d | %.2f | %d | %d | %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %s | %s |\n",
				substr($3, 6), (v("enabled") ~ /^[1Y]/ ? "on" : "off"),
				v("rd_sectors"), v("rd_sectors") / 2048, v("rd_ios"),
				v("cs") / 100, g, h,
				(g > 0 ? sprintf("%.1f", h * 100 / g) : "-"),
				v("puts"), v("flush_inodes"), v("user") / 100,
				v("sys") / 100, (v("idle") + v("iowait")) / 100, est,
				(k in qc ? qc[k] : "-"), (k in oc ? oc[k] : "-")
		}' "$log"
}

# model SECTION "BASE..." PASS: the speed-up expected on a quiet host:
# the pass without the module, minus the time its CPUs waited (idle and
# iowait, per CPU) beyond what PASS waited, plus the module's own CPU
# time (estimated, per CPU). The busy CPU time of the guest is assumed
# the same with and without; the host's load does not enter.
model() {
	ncpu=$(setup cpus)
	b_t=0
	b_w=0
	nb=0
	for b in $2; do
		b_t=$(calc "$b_t + $(field "$1" "$b" cs)")
		b_w=$(calc "$b_w + $(field "$1" "$b" idle) + $(field "$1" "$b" iowait)")
		nb=$((nb + 1))
	done
	o_w=$(calc "$(field "$1" "$3" idle) + $(field "$1" "$3" iowait)")
	g=$(field "$1" "$3" gets)
	h=$(field "$1" "$3" hits)
	est=$(calc "($(field "$1" "$3" puts) * $c_put + $h * $c_hit + ($g - $h) * $c_miss) / 1e7")
	calc "($b_t / $nb) / (($b_t - ($b_w - $o_w * $nb) / $ncpu + $est * $nb / $ncpu) / $nb)"
}

# ratio_table SECTION: each measured pass with the module against its
# passes without.
ratio_table() {
	if [ "$1" = reread ]; then
		echo "| with xen_tmem | without | sectors read, with / without | fewer sectors read | wall time, without / with |"
		echo "|---|---|---:|---:|---:|"
	else
		echo "| with xen_tmem | without (mean of) | sectors read, with / without | fewer sectors read | wall time, without / with | CPUs waiting (idle+iowait) s, without / with | expected on a quiet host (model) |"
		echo "|---|---|---:|---:|---:|---:|---:|"
	fi
	pairs "$1" | while read -r p b r s; do
		line="| $p | $b | $(fmt1 "$(calc "100 - $r")") % | $(fmt1 "$r") % | $(fmt2 "$s") x |"
		if [ "$1" != reread ]; then
			w=0
			n=0
			for x in $(echo "$b" | tr '+' ' '); do
				w=$(calc "$w + $(field "$1" "$x" idle) + $(field "$1" "$x" iowait)")
				n=$((n + 1))
			done
			ow=$(calc "$(field "$1" "$p" idle) + $(field "$1" "$p" iowait)")
			line="$line $(fmt2 "$(calc "$w / $n / 100")") / $(fmt2 "$(calc "$ow / 100")") | $(fmt2 "$(model "$1" "$(echo "$b" | tr '+' ' ')" "$p")") x |"
		fi
		echo "$line"
	done
}

# model_median SECTION: the median of the model over the pairs.
model_median() {
	pairs "$1" | while read -r p b _; do
		model "$1" "$(echo "$b" | tr '+' ' ')" "$p"
	done | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# flushes SECTION: the mean of inodes flushed over the measured passes.
flushes() {
	pairs "$1" | while read -r p _; do
		field "$1" "$p" flush_inodes
	done | awk '{ s += $1 } END { printf "%.0f", NR ? s / NR : 0 }'
}

# plural N WORD: "N WORD" or "N WORDs".
plural() {
	if [ "$1" = 1 ]; then echo "$1 $2"; else echo "$1 $2s"; fi
}

cost_table() {
	echo "| operation | ns per page, median of the rounds | / copy_page, median of the rounds |"
	echo "|---|---:|---:|"
	for k in put get_hit get_miss put_get copy_page memcpy page_alloc emu_put emu_get_hit emu_get_miss; do
		echo "| $k | $(cost "$k") | $(fmt2 "$(cost_ratio "$k" copy_page)") |"
	done
}

cost_rounds() {
	echo '```'
	sed -n 's/^BENCH section=cost xtmem_bench: //p' "$log"
	echo '```'
}

tree_mib=$(calc "$(envv tree_bytes) / 1048576")
bps_mib=$(calc "$(envv throttle_bps) / 1048576")
cost_pages=$(sed -n 's/.*xtmem_bench: .*: \([0-9]*\) pages per loop.*/\1/p' "$log" | head -n 1)
cost_rounds_n=$(sed -n 's/.* pages per loop, \([0-9]*\) rounds.*/\1/p' "$log" | head -n 1)
n_reps=$(pairs build | wc -l)
n_treps=$(pairs build-tuned | wc -l)

# --- RESULTS.md -----------------------------------------------------------------------------
{
	cat << EOF
# xen-tmem benchmark results

What xen-tmem saves (disk reads, wall time) and what it costs (CPU time
per page), measured side by side in one boot: the same workloads with the
module switched off (\`enabled=0\`) and on, against the emulated tmem
hypervisor (\`xen_tmem_emu\`). Generated by \`tests/bench/report.sh\` from
the log of \`tests/bench/run.sh\` (\`make bench\`); the guest's lines are
in \`results/bench.log\`, the settings in \`results/env.txt\`, the host's
load in \`results/hostload.txt\`. Run of $(envv date), sources
$(envv git), $(envv run_seconds) s in all ($(envv guest_seconds) s in
the guest).

## Machine and settings

| | |
|---|---|
| host | $(envv host_cpu), $(envv host_cores) cores, Linux $(envv host_kernel) |
| host load during the run | $(host_load) |
| QEMU | $(envv qemu), accel **$(envv accel)**, \`-cpu $(envv qemu_cpu)\` (KVM cannot run these guests on this machine) |
| guest | Linux $(setup kernel) (the test kernel of tests/qemu), $(envv guest_smp) CPUs, $(envv guest_mem_mib) MiB RAM, clocksource $(setup clocksource) |
| guest speed | 8 x busybox \`md5sum\` of an 8 MiB cached file: $(fmt2 "$(calc "$(field calibrate md5 cs) / 100")") s in the guest, $(fmt2 "$(calc "$(envv host_md5_ms) / 1000")") s on the host: TCG runs user-space code $(fmt1 "$(calc "$(field calibrate md5 cs) * 10 / $(envv host_md5_ms)")") x slower |
| disks | virtio-blk, raw, each throttled with \`throttling.bps-total=$(envv throttle_bps)\` ($(fmt1 "$bps_mib") MiB/s) and \`throttling.iops-total=$(envv throttle_iops)\`; ext4 with 4 KiB blocks, mounted read-only |
| re-read data set | $(envv data_files) files of $(envv file_mib) MiB = $(envv data_mib) MiB ($data_pages pages) on /dev/vda, pseudo-random (AES-CTR of a fixed seed), read with \`cat\` by one process in a memory cgroup with \`memory.max=$(envv memcg_read)\` |
| build-like tree | $(envv tree_files) files, $(fmt1 "$tree_mib") MiB on /dev/vdb: the $(envv tree_units) .c files of Linux $(setup kernel) \`$(envv tree_dirs)\` and the headers they include (two levels); $(envv build_jobs) workers in a memory cgroup with \`memory.max=$(envv memcg_build)\` |
| emulated hypervisor | \`capacity_pages=$((data_pages * 2))\` (200 % of the data set), except in the sweep |

## Summary against the goals

| goal | measured | |
|---|---|---|
| re-read, passes 2+ with capacity >= data set: >= 90 % fewer sectors read | $(fmt1 "$rr_red") % fewer (worst pass) | $(met "$ok_rr_red") |
| re-read, same passes: >= 2x faster on the throttled disk | $(fmt2 "$rr_spd") x (worst pass) | $(met "$ok_rr_spd") |
| build-like: fewer sectors read than the seed's 52 % reduction | default kernel settings: $(fmt1 "$b_red") % fewer (median of $(plural "$n_reps" pair); worst $(fmt1 "$b_red_min") %); $(flushes build) inodes flushed per pass | $(met "$ok_b_red") |
| | with \`vm.vfs_cache_pressure=10\`: $(fmt1 "$t_red") % fewer (median of $(plural "$n_treps" pair); worst $(fmt1 "$t_red_min") %); $(flushes build-tuned) inodes flushed per pass | $(met "$ok_t_red") |
| build-like: no slowdown | default: $(fmt2 "$b_spd") x (median; worst $(fmt2 "$b_spd_min") x); model for a quiet host $(fmt2 "$(model_median build)") x | $(met "$ok_b_spd") |
| | \`vfs_cache_pressure=10\`: $(fmt2 "$t_spd") x (median; worst $(fmt2 "$t_spd_min") x); model for a quiet host $(fmt2 "$(model_median build-tuned)") x | $(met "$ok_t_spd") |
| put within 3x of a 4 KiB copy | $(fmt2 "$r_put") x copy_page ($c_put ns against $c_copy ns) | $(met "$ok_put") |
| get (hit) within 3x of a 4 KiB copy | $(fmt2 "$r_hit") x copy_page ($c_hit ns) | $(met "$ok_hit") |
$(sh "$bench/report-sb.sh" "$dir" goals)

"x" is wall time without the module divided by wall time with it (above
1: faster with it). The build-like wall times depend on the host's load
(other processes share its cores); the model (section 3) takes the time
the guest's CPUs waited for the disk, with and without, and the module's
own CPU time, which do not. Every data file was checked against the host's sha256
after the timed passes of each section, and every page xtmem_bench.ko got
back was compared with its original; the guest log has no kernel
warnings (\`tests/qemu/check-log.sh\`).

## 1. Re-read under memory pressure

$(envv data_files) files, $(envv data_mib) MiB, read front to back by one
\`cat\` per pass. Passes \`off-*\` with \`enabled=0\`, then \`on-*\` after
\`echo 1 > /sys/module/xen_tmem/parameters/enabled\`; \`verify\` is the
sha256 check (module on; it also reads the 8 MiB file of section 4).
Sectors and requests from \`/sys/block/vda/stat\`, gets and hits from
\`/sys/kernel/mm/xen_tmem/total/\`, the guest's CPU seconds summed over
both CPUs from \`/proc/stat\` (idle+iowait: time the CPUs had nothing to
run, mostly waiting for the disk); "xen_tmem CPU s" estimates the
module's own CPU time from its counters and the medians of section 4;
the last two columns come from the host (\`tests/bench/hostwatch.sh\`).

$(passes_table reread)

$(ratio_table reread)

## 2. Capacity sweep

The re-read data set with the emulator's \`capacity_pages\` set at run
time to a share of it. Each point starts from an empty hypervisor and
page cache (module off, \`drop_caches\`, capacity, module on): a warm-up
pass, then the measured pass. Two orders: the same order every pass (the
loop of section 1) and a new seeded shuffled order of the files each
pass. The reductions are against the same order without the module,
measured the same way (second of two passes: loop $base_loop sectors,
shuffled $base_shuf sectors). Data: \`results/capacity.dat\`.

![capacity sweep](results/capacity.png)

| capacity | pages | same order: sectors | fewer | hit % | s | shuffled: sectors | fewer | hit % | s |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$(grep -v '^#' "$dir/capacity.dat" | awk '{ printf "| %s %% | %s | %s | %s %% | %s | %s | %s | %s %% | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }')

All sweep passes:

$(passes_table sweep)

## 3. Build-like load

Each "compilation unit" is one .c file: a worker reads the headers the
unit includes (\`cat\`), then compresses the unit (\`gzip -c\`, the CPU
work); $(envv build_jobs) workers share the units, as \`make -j$(envv build_jobs)\`.
A pass is a full build. After a cold pass, each repetition is a pass
without the module (\`off-R\`), one that switches it on and fills the
empty hypervisor (\`fill-R\`) and the measured one (\`on-R\`); a last
pass without closes the series. Each \`on-R\` is compared with the mean
of \`off-R\` and \`off-R+1\`, the passes without the module just before
and after it, which cancels a steady drift of the host's load (its
faster changes show in the last two columns: QEMU's CPU time during the
pass, and the host cores other processes used meanwhile). The model
column estimates the speed-up on a quiet host from what does not depend
on the host's load: the pass without the module, minus the extra time its
CPUs waited for the disk (idle+iowait, divided by the CPUs), plus the
module's own CPU time (estimated from its counters and section 4).

### 3a. Default kernel settings (vm.vfs_cache_pressure=100)

$(passes_table build)

$(ratio_table build)

### 3b. vm.vfs_cache_pressure=10

The same, with the guest keeping the inodes of cached files longer
(\`sysctl vm.vfs_cache_pressure=10\`): evicting an inode makes cleancache
drop the file's pages from the hypervisor (\`inodes flushed\`).

$(passes_table build-tuned)

$(ratio_table build-tuned)

## 4. Cost per page

\`tests/bench/kmod/xtmem_bench.ko\` locks $((cost_pages * 2)) page-cache
pages of an 8 MiB file on the data disk and, $cost_rounds_n rounds of
$cost_pages pages each, times loops of the kernel's exported cleancache
entry points (\`__cleancache_put_page\`, \`__cleancache_get_page\`:
cleancache, xen_tmem, the emulated hypervisor), of \`copy_page()\` and
\`memcpy()\` of 4 KiB between the same pages, of a put followed at once by
the get of the same page (\`put_get\`, the steady state of a re-read), of
\`__free_page()\` + \`alloc_page()\` (\`page_alloc\`), and of the same page
ops sent straight to the emulator's \`tmem_op()\` (\`emu_*\`: the
hypervisor's share). Clock: \`ktime_get_ns()\`. Every hit is compared with
the page's data. Ratios are taken within each round (the host's load
changes from round to round) and their median is shown.

$(cost_table)

- put: $(fmt2 "$r_put") x copy_page, $(fmt2 "$r_put_mc") x memcpy; the
  emulator takes $(fmt0 "$(calc "$c_eput * 100 / $c_put")") % of it, cleancache and xen_tmem
  $(fmt0 "$(calc "$c_put - $c_eput")") ns.
- get, hit: $(fmt2 "$r_hit") x copy_page, $(fmt2 "$r_hit_mc") x memcpy; the emulator
  $(fmt0 "$(calc "$c_ehit * 100 / $c_hit")") %, cleancache and xen_tmem $(fmt0 "$(calc "$c_hit - $c_ehit")") ns.
- get, miss: $(fmt2 "$r_miss") x copy_page; cleancache and xen_tmem
  $(fmt0 "$(calc "$c_miss - $c_emiss")") ns.
- a put and the get of the same page back to back: $c_pg ns ($(fmt2 "$r_pg") x
  copy_page), against $(fmt0 "$(calc "$c_put + $c_hit")") ns for a put and a get
  apart: the emulator reuses the page that the get gave back.
- the emulator copies whole pages with \`copy_page()\`, as Xen does; a
  \`memcpy()\` of 4 KiB is $(fmt2 "$(cost_ratio memcpy copy_page)") x \`copy_page()\` here.

Every round (ns per operation):

$(cost_rounds)
EOF
	if [ -r "$bench/ANALYSIS.md" ]; then
		echo
		cat "$bench/ANALYSIS.md"
	fi
	if [ -r "$dir/swap.log" ]; then
		echo
		sh "$bench/report-swap.sh" "$dir" md
	fi
	if [ -r "$dir/xen/bench.log" ]; then
		echo
		sh "$bench/report-xen.sh" "$dir" md
	fi
	if [ -n "$(sh "$bench/report-sb.sh" "$dir" goals)" ]; then
		echo
		sh "$bench/report-sb.sh" "$dir" md
	fi
} > "$md"

# --- summary on stdout ----------------------------------------------------------------------
cat << EOF
=== xen-tmem benchmark ($(envv accel), disk $(fmt1 "$bps_mib") MiB/s + $(envv throttle_iops) IOPS, $(envv run_seconds) s)
re-read $(envv data_mib) MiB, $(envv memcg_read) memcg, passes 2+: $(fmt1 "$rr_red") % fewer sectors (goal 90: $(met "$ok_rr_red")), $(fmt2 "$rr_spd") x faster (goal 2: $(met "$ok_rr_spd"))
build-like $(envv tree_files) files, $(envv memcg_build) memcg: $(fmt1 "$b_red") % fewer sectors (goal 52: $(met "$ok_b_red")), $(fmt2 "$b_spd") x (goal 1: $(met "$ok_b_spd"))
  with vm.vfs_cache_pressure=10: $(fmt1 "$t_red") % fewer sectors ($(met "$ok_t_red")), $(fmt2 "$t_spd") x ($(met "$ok_t_spd")); quiet-host model $(fmt2 "$(model_median build)") x / $(fmt2 "$(model_median build-tuned)") x
capacity sweep, % fewer sectors (same order/shuffled): $(grep -v '^#' "$dir/capacity.dat" | awk '{ printf "%s%s%%: %s/%s", (NR > 1 ? ", " : ""), $1, $4, $8 }')
cost per page: put $c_put ns = $(fmt2 "$r_put") x copy_page, get hit $c_hit ns = $(fmt2 "$r_hit") x, miss $c_miss ns = $(fmt2 "$r_miss") x (goal 3: put $(met "$ok_put"), get $(met "$ok_hit"))
host: $(host_load)
results: $md, $dir/capacity.png
EOF
sh "$bench/report-sb.sh" "$dir" summary
