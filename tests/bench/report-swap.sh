#!/bin/sh
# Format the swap workload of the benchmark (tests/bench/run-swap.sh):
# the markdown section of RESULTS.md, or a summary.
#
# usage: tests/bench/report-swap.sh [DIR [md|summary]]
#
# DIR (default tests/bench/results) holds swap.log (the guest's BENCH,
# CHECK and REPORT lines), swap-env.txt and swap-hostload.txt. md (the
# default) prints section 6 of RESULTS.md (tests/bench/report.sh includes
# it when swap.log is there); summary prints the ratios. Exits non-zero
# if the log lacks a run or shows a failed check.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

dir=${1:-$XT_TOP/tests/bench/results}
mode=${2:-md}
log=$dir/swap.log
env=$dir/swap-env.txt
hostload=$dir/swap-hostload.txt
[ -r "$log" ] || xt_die "no $log (run tests/bench/run.sh swap)"
[ -r "$env" ] || xt_die "no $env"
if grep -q '^CHECK-FAIL' "$log"; then
	grep '^CHECK-FAIL' "$log" >&2
	xt_die "the swap run has failed checks (above)"
fi

envv() {
	sed -n "s/^$1=//p" "$env" | head -n 1
}

setup() {
	sed -n "s/^BENCH section=swapsetup.* $1=\([^ ]*\).*/\1/p" "$log" | head -n 1
}

# field PASS KEY: a value of the BENCH line of PASS.
field() {
	awk -v p="pass=$1" -v k="$2" '
		$1 == "BENCH" && $2 == "section=swap" && $3 == p {
			for (i = 4; i <= NF; i++)
				if (index($i, k "=") == 1) {
					print substr($i, length(k) + 2)
					exit
				}
		}' "$log"
}

passes() {
	sed -n 's/^BENCH section=swap pass=\([^ ]*\) .*/\1/p' "$log"
}

for v in disk zswap tmem; do
	[ -n "$(field "$v-1" wr_sectors)" ] || xt_die "$log has no run $v-1"
done

# median VARIANT KEY: the median of KEY over the runs of VARIANT.
median() {
	for p in $(passes); do
		[ "${p%-*}" = "$1" ] && field "$p" "$2"
	done | sort -n | awk '{ v[NR] = $1 }
		END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# rat A B: A / B, two decimals (four below 0.01); "-" when B is 0.
rat() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (b == 0) print "-"
		else if (a / b < 0.0001 && a != 0) print "<0.0001"
		else if (a / b < 0.01 && a != 0) printf "%.4f\n", a / b
		else printf "%.2f\n", a / b }'
}

fmt2() {
	awk -v x="$1" 'BEGIN { printf "%.2f", x }'
}

# others PASS: host cores other processes used during PASS (hostwatch.sh).
others() {
	[ -s "$hostload" ] || {
		echo -
		return
	}
	awk -v p="$1" '
		$13 == "swap" && $14 == p && ($12 == "BENCH-BEGIN" || $12 == "BENCH") {
			busy = $3 + $4 + $5 + $8 + $9 + $10
			if ($12 == "BENCH-BEGIN") {
				t = $1; q = $2; b = busy
			} else if (t && $1 > t) {
				printf "%.2f\n", (busy - b - ($2 - q)) / (($1 - t) / 10)
				done = 1
			}
		}
		END { if (!done) print "-" }' "$hostload"
}

name() {
	case $1 in
	disk) echo "disk only" ;;
	zswap) echo zswap ;;
	tmem) echo "xen_tmem frontswap" ;;
	full) echo "xen_tmem, full pool" ;;
	overflow) echo "xen_tmem, full pool, zswap" ;;
	esac
}

# has VARIANT: the log has runs of VARIANT with hypercall counts (older
# logs have neither the full-pool runs nor the counts).
has() {
	[ -n "$(field "$1-1" hc_total)" ]
}

# per VARIANT NUM_KEYS DEN_KEY: the median over the runs of VARIANT of
# (sum of the NUM_KEYS) / DEN_KEY, three decimals.
per() {
	for p in $(passes); do
		[ "${p%-*}" = "$1" ] || continue
		_n=0
		for k in $2; do
			_n=$((_n + $(field "$p" "$k")))
		done
		awk -v a="$_n" -v b="$(field "$p" "$3")" \
			'BEGIN { printf "%.3f\n", b ? a / b : 0 }'
	done | sort -n | awk '{ v[NR] = $1 }
		END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

hcall_table() {
	vs=
	for v in disk zswap tmem full overflow; do
		! has "$v" || vs="$vs $v"
	done
	[ -n "$vs" ] || return 0
	printf "| median of the runs |"
	for v in $vs; do printf " %s |" "$(name "$v")"; done
	printf "\n|---|"
	for v in $vs; do printf -- "---:|"; done
	echo
	for k in pages_out:"pages swapped out" pages_in:"pages swapped in" \
		hc_put:"put hypercalls" hc_get:"get hypercalls" \
		hc_flush:"flush hypercalls" store_failures:"puts refused" \
		store_skipped:"stores skipped (back-off)" \
		load_not_held:"loads answered without a hypercall" \
		invalidate_not_held:"invalidates answered without a hypercall"; do
		printf "| %s |" "${k#*:}"
		for v in $vs; do printf " %s |" "$(median "$v" "${k%%:*}")"; done
		echo
	done
	printf "| **hypercalls per swapped-out page** (put + flush) |"
	for v in $vs; do printf " %s |" "$(per "$v" "hc_put hc_flush" pages_out)"; done
	printf "\n| **hypercalls per swapped-in page** (get) |"
	for v in $vs; do printf " %s |" "$(per "$v" hc_get pages_in)"; done
	printf "\n| refused puts per page swapped out |"
	for v in $vs; do printf " %s |" "$(per "$v" store_failures pages_out)"; done
	echo
}

# full_how: how the runs with a full pool made it full.
full_how() {
	case $(envv hypervisor) in
	xen*) echo "dom0 ballooned up to its \`max_pages\` (twice its memory), so Xen refuses persistent puts with -ENOMEM" ;;
	*) echo "the emulator holds at most $(setup full_capacity_pages) persistent pages (as Xen at \`max_pages\`, it answers -ENOMEM beyond)" ;;
	esac
}

runs_table() {
	echo "| run | swap goes to | sectors written | sectors read | write requests | read requests | xt-swapfill s | idle+iowait s | sys s | frontswap stores | xen_tmem stores | zswap pages at end | xen_tmem pages at end | host cores used by others |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for p in $(passes); do
		echo "| $p | $(name "${p%-*}") | $(field "$p" wr_sectors) | $(field "$p" rd_sectors)" \
			"| $(field "$p" wr_ios) | $(field "$p" rd_ios)" \
			"| $(fmt2 "$(($(field "$p" ms)))e-3") | $(fmt2 "$(($(field "$p" idle) + $(field "$p" iowait)))e-2")" \
			"| $(fmt2 "$(field "$p" sys)e-2") | $(field "$p" fs_succ_stores) | $(field "$p" stores)" \
			"| $(field "$p" zswap_stored_end) | $(field "$p" persist_pages_end) | $(others "$p") |"
	done
}

ratio_table() {
	echo "| median of the runs | (a) disk only | (b) zswap | (c) xen_tmem | b/a | c/a | c/b |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for k in wr_sectors:"sectors written" rd_sectors:"sectors read" \
		wr_ios:"write requests" rd_ios:"read requests" ms:"xt-swapfill s"; do
		key=${k%%:*}
		a=$(median disk "$key")
		b=$(median zswap "$key")
		c=$(median tmem "$key")
		if [ "$key" = ms ]; then
			echo "| ${k#*:} | $(fmt2 "${a}e-3") | $(fmt2 "${b}e-3") | $(fmt2 "${c}e-3")" \
				"| $(rat "$b" "$a") | $(rat "$c" "$a") | $(rat "$c" "$b") |"
		else
			echo "| ${k#*:} | $a | $b | $c | $(rat "$b" "$a") | $(rat "$c" "$a") | $(rat "$c" "$b") |"
		fi
	done
}

a_ms=$(median disk ms)
b_ms=$(median zswap ms)
c_ms=$(median tmem ms)
mib=$(setup mib)

if [ "$mode" = summary ]; then
	cat << EOF
=== xen-tmem swap workload ($(envv accel), disk $(envv throttle_bps) B/s + $(envv throttle_iops) IOPS, $(envv run_seconds) s)
xt-swapfill $mib MiB in a $(setup memcg) memcg, median of $(setup reps) runs each:
  sectors written: disk $(median disk wr_sectors), zswap $(median zswap wr_sectors), xen_tmem $(median tmem wr_sectors)
  sectors read:    disk $(median disk rd_sectors), zswap $(median zswap rd_sectors), xen_tmem $(median tmem rd_sectors)
  wall time, s:    disk $(fmt2 "${a_ms}e-3"), zswap $(fmt2 "${b_ms}e-3"), xen_tmem $(fmt2 "${c_ms}e-3"); b/a $(rat "$b_ms" "$a_ms"), c/a $(rat "$c_ms" "$a_ms"), c/b $(rat "$c_ms" "$b_ms")
EOF
	for v in disk zswap tmem full overflow; do
		has "$v" || continue
		echo "  $(name "$v"): hypercalls per swapped-out page $(per "$v" "hc_put hc_flush" pages_out), per swapped-in page $(per "$v" hc_get pages_in), refused puts per swapped-out page $(per "$v" store_failures pages_out)"
	done
	exit 0
fi

cat << EOF
## 6. Swap (frontswap)

The same \`xt-swapfill\` run (tests/torture/xt-swapfill.c) three ways in
one boot: $mib MiB of anonymous memory ($(setup mib | awk '{ print $1 * 256 }')
pages) filled with a seeded pattern, a quarter of each page unique and
the rest a repeated 128-byte block of it (\`-c $(setup unique_pct)\`: zswap's
LZO compresses it; a page that does not compress is rejected by zswap),
in a memory cgroup with \`memory.max=$(setup memcg)\`; then every page
verified in order and in a random order, a quarter rewritten with a new
generation, and every page verified again in both orders. The swap area
is a raw virtio disk of $(($(setup swap_kib) / 1024)) MiB throttled like
the others (\`throttling.bps-total=$(envv throttle_bps)\`,
\`throttling.iops-total=$(envv throttle_iops)\`), \`vm.page-cluster=$(setup page_cluster)\`
(swap readahead of $((1 << $(setup page_cluster))) pages), swappiness
$(setup swappiness). The swap goes to (a) the disk only (xen_tmem loaded
with \`pool_flags=shared,persist\` but \`enabled=0\`, zswap off), (b)
zswap (\`$(setup zswap_compressor)\`, \`$(setup zswap_zpool)\`, at most $(setup zswap_max_pool_percent) % of RAM; xen_tmem
\`enabled=0\`), (c) xen_tmem's frontswap backend (\`enabled=1\`, zswap
off; the emulator's \`persist_capacity_pages=$(setup persist_capacity_pages)\`, room
for every page), then (d) xen_tmem into a full pool and (e) the same with
zswap on (see "Hypercalls per swapped page" below), in that order,
$(setup reps) times. Run of $(envv date),
sources $(envv git), $(envv guest_seconds) s in the guest; $(envv guest_smp) CPUs,
$(envv guest_mem_mib) MiB RAM. Log: \`results/swap.log\`; host load:
\`results/swap-hostload.txt\`. Every byte of every run was right (the
program checks each page's $((4096 / 8)) words; \`CHECK\` lines in the log).

Sectors and requests of the swap disk from \`/sys/block/vda/stat\`; "xt-swapfill s"
is the program's own time (all its phases); CPU seconds summed over both
CPUs from \`/proc/stat\`; "frontswap stores" is the kernel's
\`/sys/kernel/debug/frontswap/succ_stores\` (pages some backend took),
"xen_tmem stores" its \`frontswap/stores\` (stores that reached the
hypervisor); the pages zswap and the emulator held are sampled when the
program has finished its checks, before it exits.

$(runs_table)

$(ratio_table)

- written to the disk: zswap $(rat "$(median zswap wr_sectors)" "$(median disk wr_sectors)") of the disk-only run, xen_tmem $(rat "$(median tmem wr_sectors)" "$(median disk wr_sectors)");
  read: zswap $(rat "$(median zswap rd_sectors)" "$(median disk rd_sectors)"), xen_tmem $(rat "$(median tmem rd_sectors)" "$(median disk rd_sectors)").
- time: zswap $(rat "$b_ms" "$a_ms") x the disk-only run, xen_tmem $(rat "$c_ms" "$a_ms") x, xen_tmem against zswap $(rat "$c_ms" "$b_ms") x.
- The disk-only run waits for the disk: its $(median disk rd_ios) read requests
  (swap-ins of 1 to $((1 << $(setup page_cluster))) pages) at $(envv throttle_iops) requests/s alone take
  $(awk -v n="$(median disk rd_ios)" -v i="$(envv throttle_iops)" 'BEGIN { printf "%.0f", n / i }') s. zswap and xen_tmem keep every page of the program in
  memory (compressed, or in the hypervisor); what zswap sends to the
  disk is the $(median zswap zswap_reject_poor | awk '{ printf "%.0f", $1 }') pages a run it cannot compress (\`reject_compress_poor\`:
  not pattern pages but the program's own data, such as its array of
  the shuffled page order). A few sectors read in an xen_tmem run
  with none written are swap readahead of a slot that a run before
  left on the disk.
  Between zswap and xen_tmem the time is the CPU's: LZO compression and
  decompression against two page copies (the emulator's \`copy_page()\`),
  both run by TCG here, and the host's load moves it by a few seconds
  from run to run (last column); on Xen a tmem store or load is a
  hypercall with one page copy.
### Hypercalls per swapped page

What each swapped page costs in hypercalls (xen_tmem's
\`/sys/kernel/mm/xen_tmem/hypercalls/\`): a page swapped out costs its put
and, once its slot is freed, its flush; a page swapped in its get. Pages
swapped out are those the kernel offered frontswap (its \`succ_stores\` +
\`failed_stores\`), pages swapped in those frontswap loaded plus those read
from the swap disk (its sectors read, 8 a page). The runs with a full pool: $(full_how). After
a refusal xen_tmem backs off (it offers the hypervisor one store in up
to 512, one after a second, and one per page the pool gave back), and it
answers loads and invalidates of pages it does not hold (zswap's, the
disk's) from its record of held swap offsets, without a hypercall. The
"disk only" and "zswap" runs are those with xen_tmem \`enabled=0\`.

$(hcall_table)

- The pools hold nearly all $(setup mib | awk '{ print $1 * 256 }') pages at the end (the columns
  "pages at end"), not just the ones out of memory: a page read back
  keeps its swap slot, and its copy in zswap or the hypervisor, while
  it stays clean in the swap cache (frontswap loads do not remove the
  copy), so a clean page can be dropped again without a new store.
  Sizing a persistent pool therefore asks for the whole swapped working
  set, not only the part that is out of RAM.
EOF
