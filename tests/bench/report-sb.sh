#!/bin/sh
# The self-ballooning section of the benchmark (guest/sb.sh: the
# build-like load in a guest that self-balloons, against no xen_tmem at
# the same balloon and xen_tmem at full memory), on the emulator
# (DIR/bench.log) and on Xen with tmem (DIR/xen/bench.log), whichever
# logs have it.
#
# usage: tests/bench/report-sb.sh [DIR [md|goals|summary|partial]]
#
#   md       the section of RESULTS.md (report.sh appends it)
#   goals    rows of RESULTS.md's goals table (none without the section)
#   summary  one line for the printed summary
#   partial  a small RESULTS.md of its own: goals and the section (the
#            report of a run.sh with BENCH_SECTIONS)
# Missed goals are reported, not failed. Exits non-zero when neither log
# has the section in the md and partial modes.
set -eu
bench=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$bench/results}
mode=${2:-md}
# shellcheck source=tests/bench/fields.sh
. "$bench/fields.sh"

# logs: "name log" of each hypervisor whose log has the section.
logs() {
	for _x in "emulator $dir/bench.log" "Xen $dir/xen/bench.log"; do
		_l=${_x#* }
		[ -r "$_l" ] && grep -q '^BENCH section=selfballoon pass=sb-1 ' "$_l" &&
			echo "$_x"
	done
	return 0
}

# mean LOG VARIANT KEY [min]: the mean (or the least) of KEY over
# VARIANT's measured passes.
mean() {
	awk -v v="$2" -v k="$3" -v how="${4:-mean}" '
		$1 == "BENCH" && $2 == "section=selfballoon" && $3 ~ ("^pass=" v "-[0-9]+$") {
			for (i = 4; i <= NF; i++)
				if (index($i, k "=") == 1) {
					x = substr($i, length(k) + 2) + 0
					if (!n || x < lo)
						lo = x
					s += x
					n++
				}
		}
		END {
			if (!n) print ""
			else if (how == "min") print lo
			else printf "%.0f\n", s / n
		}' "$1"
}

# kv LOG PASS KEY: a value of a line of the section.
kv() {
	bench_field "$1" selfballoon "$2" "$3"
}

# idle LOG KEY: a value of the idle line.
idle() {
	kv "$1" idle "$2"
}

# endv LOG VARIANT KEY: a value of the variant's end line.
endv() {
	kv "$1" "$2-end" "$3"
}

calc() {
	awk "BEGIN { printf \"%.${2:-1}f\", $1 }"
}

met() {
	if [ "$(awk "BEGIN { print ($1) ? 1 : 0 }")" = 1 ]; then
		echo met
	else
		echo "**not met**"
	fi
}

# stats LOG: sets s_* for the goals: sb and off sectors and times, the
# reduction, the speed-up (of the best passes: other work on the host
# only ever adds time), the idle numbers.
stats() {
	s_sb=$(mean "$1" sb rd_sectors)
	s_off=$(mean "$1" off rd_sectors)
	s_offcs=$(mean "$1" off cs)
	s_offbest=$(mean "$1" off cs min)
	s_red=$(calc "100 * (1 - $s_sb / ($s_off > 0 ? $s_off : 1))")
	s_spd=$(calc "$s_offbest / $(mean "$1" sb cs min)" 2)
	s_spdm=$(calc "$s_offcs / $(mean "$1" sb cs)" 2)
	s_gb=$(calc "$(idle "$1" given_back_pages) / 256" 0)
	s_avail=$(calc "$(idle "$1" memavail0_kib) / 1024" 0)
	s_flush=$(mean "$1" sb flush_inodes)
}

goals() {
	logs | while read -r name log; do
		stats "$log"
		echo "| self-ballooning ($name): >= 52 % fewer sectors read than no xen_tmem at the same balloon | $s_red % fewer ($s_sb against $s_off sectors a pass; $s_flush inodes flushed a pass) | $(met "$s_red >= 52") |"
		echo "| self-ballooning ($name): no slowdown | $s_spd x (wall time without / with, best passes; means: $s_spdm x) | $(met "$s_spd >= 1") |"
		echo "| self-ballooning ($name): given back while idle >= half of the idle memory | $s_gb MiB of $s_avail MiB (MemAvailable before) | $(met "$s_gb * 2 >= $s_avail") |"
	done
}

summary() {
	_line=$(logs | while read -r name log; do
		stats "$log"
		printf '; %s: %s %% fewer sectors than off (goal 52: %s), %s x (%s), idle %s of %s MiB given back (%s)' \
			"$name" "$s_red" "$(met "$s_red >= 52")" "$s_spd" "$(met "$s_spd >= 1")" \
			"$s_gb" "$s_avail" "$(met "$s_gb * 2 >= $s_avail")"
	done)
	[ -z "$_line" ] || echo "self-ballooning${_line#;}"
}

# variant_row LOG VARIANT: the row of the table of a hypervisor.
variant_row() {
	_s=$(mean "$1" "$2" rd_sectors)
	_cs=$(mean "$1" "$2" cs)
	_best=$(mean "$1" "$2" cs min)
	_red=-
	_spd=
	if [ "$2" != off ]; then
		_red="$(calc "100 * (1 - $_s / ($s_off > 0 ? $s_off : 1))") %"
		_spd="; $(calc "$s_offcs / $_cs" 2) x ($(calc "$s_offbest / $_best" 2) x)"
	fi
	echo "| \`$2\` | $_s | $_red | $(calc "$_cs / 100") s ($(calc "$_best / 100") s)$_spd | $(calc "$(mean "$1" "$2" gb_mean) / 256" 0) | $(mean "$1" "$2" hits) | $(mean "$1" "$2" flush_inodes) |"
}

# host LOG: "pass qemu_cpu_s others_cores" for each pass of the section
# whose start and end hostwatch.sh saw (hostload.txt next to LOG).
host() {
	_h=$(dirname "$1")/hostload.txt
	[ -s "$_h" ] || return 0
	awk '
		$13 == "selfballoon" && ($12 == "BENCH-BEGIN" || $12 == "BENCH") {
			busy = $3 + $4 + $5 + $8 + $9 + $10
			if ($12 == "BENCH-BEGIN") {
				t[$14] = $1; q[$14] = $2; b[$14] = busy
			} else if ($14 in t && $1 > t[$14]) {
				printf "%s %.1f %.2f\n", $14, ($2 - q[$14]) / 100,
					(busy - b[$14] - ($2 - q[$14])) / (($1 - t[$14]) / 10)
			}
		}' "$_h"
}

# meminfo LOG VARIANT KEY: a /proc/meminfo value (kB) after VARIANT.
meminfo() {
	awk -v t="REPORT[sb-meminfo-$2]" -v k="$3" '
		$1 == t {
			for (i = 2; i <= NF; i++)
				if (index($i, k "=") == 1) {
					print substr($i, length(k) + 2)
					exit
				}
		}' "$1"
}

# why LOG: what the numbers come from, from the counters.
why() {
	_g=$(mean "$1" sb gets)
	_h=$(mean "$1" sb hits)
	_fa=$(meminfo "$1" sb 'Active(file)')
	_fi=$(meminfo "$1" sb 'Inactive(file)')
	_pc=-
	[ -z "$_fa" ] || [ -z "$_fi" ] || _pc=$(calc "($_fa + $_fi) / 1024" 0)
	_w() {
		calc "($(mean "$1" "$2" idle) + $(mean "$1" "$2" iowait)) / 100"
	}
	_fl=$(mean "$1" sb flush_inodes)
	echo "Of the $_g gets a measured \`sb\` pass made, $_h hit" \
		"($(calc "100 * $_h / ($_g > 0 ? $_g : 1)") %), and it flushed" \
		"$_fl inodes a pass" \
		"(\`vm.vfs_cache_pressure=$(logenv "$1" sb_vfs_cache_pressure)\`):"
	if [ "${_fl:-0}" -gt 0 ]; then
		echo "the small guest evicts the inodes of cached files, and" \
			"evicting an inode makes cleancache drop the file's pages" \
			"from tmem, so those files come back from the disk."
	else
		echo "the small guest kept the inodes of its cached files, so" \
			"every page it dropped stayed in tmem."
	fi
	echo "After \`sb\`'s" \
		"passes the guest had $(calc "$(meminfo "$1" sb MemTotal) / 1024" 0)" \
		"MiB, $_pc MiB of it page cache,"
	echo "$(calc "$(meminfo "$1" sb MemFree) / 1024" 0) MiB free (the" \
		"kernel keeps its watermarks free:" \
		"\`min_free_kbytes=$(idle "$1" min_free_kbytes)\`), for a tree of" \
		"$(calc "$(envv tree_bytes) / 1048576") MiB in $(envv tree_files)" \
		"files ($(kv "$1" tmem-cold gets) pages,"
	echo "$(calc "$(kv "$1" tmem-cold gets) / 256") MiB, of page cache" \
		"when read cold). The passes are CPU-bound under TCG: the guest's" \
		"CPUs waited (idle and iowait, summed over them) $(_w "$1" sb) s a" \
		"pass with \`sb\`, $(_w "$1" off) s with \`off\`,"
	echo "$(_w "$1" tmem) s with \`tmem\`; the last two columns of the" \
		"table below show the host's other work, which only ever adds time."
}

# passes LOG: every pass of the section.
passes() {
	host "$1" > "$tmp"
	echo "| pass | sectors read | wall s | given back MiB: end, mean (min-max) | memory ($(endv "$1" sb balloon_unit)) | MemAvailable MiB | gets | hits | puts | inodes flushed | OOM rescues | QEMU CPU s | host cores used by others |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	awk -v hp="$tmp" '
		function v(k,    i) {
			for (i = 4; i <= NF; i++)
				if (index($i, k "=") == 1)
					return substr($i, length(k) + 2)
			return ""
		}
		BEGIN {
			while ((getline line < hp) > 0) {
				split(line, a, " ")
				qc[a[1]] = a[2]
				oc[a[1]] = a[3]
			}
		}
		$1 == "BENCH" && $2 == "section=selfballoon" && v("cs") != "" {
			p = substr($3, 6)
			printf "| %s | %d | %.1f | %.0f, %.0f (%.0f-%.0f) | %s | %.0f | %d | %d | %d | %d | %s | %s | %s |\n",
				p, v("rd_sectors"), v("cs") / 100,
				v("given_back_pages") / 256, v("gb_mean") / 256,
				v("gb_min") / 256, v("gb_max") / 256, v("balloon_mem"),
				v("memavail_kib") / 1024, v("gets"), v("hits"), v("puts"),
				v("flush_inodes"), v("oom_rescues"),
				(p in qc ? qc[p] : "-"), (p in oc ? oc[p] : "-")
		}' "$1"
}

md() {
	cat << EOF
## 8. Self-ballooning (the seed's setup)

The seed reported "up to 52 % fewer sectors read and up to 8 % faster on
a kernel compile, despite aggressive self-ballooning". The same here: the
build-like load of section 3 (the same tree and $(envv build_jobs) workers),
with no memory cgroup: the whole guest shrinks. Three variants one after
the other in one boot, each a first pass (cold; with xen_tmem it fills
the hypervisor), then $(envv sb_reps) measured passes, then the sha256 of
every file of the tree. All three run with \`vm.vfs_cache_pressure\` as
given below (10 by default: the kernel keeps the inodes of cached files
longer; evicting an inode drops its pages from tmem too, and the
ballooned guest is small):

- \`sb\`: xen_tmem on, \`selfballoon=1\` with
  \`selfballoon_floor_mb=$(envv sb_floor_mb)\`, \`selfballoon_reserve_mb=$(envv sb_reserve_mb)\`,
  \`selfballoon_interval=$(envv sb_interval)\`: every interval the balloon's target
  moves toward what the guest needs (Committed_AS, or the memory it cannot
  reclaim, plus the reserve), down by an eighth of the gap. Before the
  passes the guest idles until the balloon settles;
- \`off\`: no xen_tmem (\`enabled=0\`), self-ballooning off, the balloon
  set by hand to the memory \`sb\` had after its measured passes;
- \`tmem\`: xen_tmem on, self-ballooning off, the guest at full memory.

On the emulator the hypervisor's own capacity is \`capacity_pages=$(envv sb_capacity)\`
during the section: the room tmem has is what the guest gave back (the
balloon's pages become the emulated hypervisor's heap), as on a host whose
memory is handed out to guests. On Xen, tmem has the machine's free
memory besides. Sectors, wall time, hits and inodes flushed are means over
the measured passes; "given back" is xen_tmem's \`given_back_pages\`
(sampled every second during the pass, the mean), in MiB.
EOF
	logs | while read -r name log; do
		stats "$log"
		echo
		echo "### $name"
		echo
		if [ "$(idle "$log" settled)" = 1 ]; then st=settled; else st="not settled yet"; fi
		echo "While idle, $(idle "$log" settle_s) s after \`selfballoon=1\`" \
			"($st): $s_gb MiB given back, of the $s_avail MiB the guest had" \
			"available before (MemAvailable); the goal then was" \
			"$(calc "$(idle "$log" goal_pages) / 256" 0) MiB, the floor" \
			"$(calc "$(idle "$log" floor_pages) / 256" 0) MiB."
		echo "After its measured passes \`sb\` had" \
			"$(endv "$log" sb balloon_mem) $(endv "$log" sb balloon_unit)" \
			"($(calc "$(endv "$log" sb given_back_pages) / 256" 0) MiB given" \
			"back); \`off\` ran with that."
		echo
		echo "| variant | sectors read (measured passes) | fewer than \`off\` | wall time (best); off / variant (best) | given back (MiB) | tmem hits | inodes flushed |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
		for v in sb off tmem; do
			variant_row "$log" "$v"
		done
		echo
		why "$log"
		echo
		echo "Every pass:"
		echo
		passes "$log"
	done
}

envf=$dir/env.txt
[ -r "$envf" ] || envf=$dir/xen/env.txt
# logenv LOG KEY: a setting of the run that wrote LOG (its env.txt).
logenv() {
	sed -n "s/^$2=//p" "${1%/*}/env.txt" 2> /dev/null | head -n 1
}

# envv KEY: a setting of the run (env.txt; the emulator's when both ran).
envv() {
	sed -n "s/^$1=//p" "$envf" 2> /dev/null | head -n 1
}

tmp=$(mktemp "${TMPDIR:-/tmp}/xt-sb.XXXXXX")
trap 'rm -f "$tmp"' EXIT
case $mode in
goals) goals ;;
summary) summary ;;
md | partial)
	[ -n "$(logs)" ] || {
		echo "error: no self-ballooning passes in $dir/bench.log or $dir/xen/bench.log" >&2
		exit 1
	}
	if [ "$mode" = partial ]; then
		echo "# xen-tmem benchmark: self-ballooning only (BENCH_SECTIONS)"
		echo
		echo "| goal | measured | |"
		echo "|---|---|---|"
		goals
		echo
	fi
	md
	;;
*)
	echo "usage: $0 [DIR [md|goals|summary|partial]]" >&2
	exit 1
	;;
esac
