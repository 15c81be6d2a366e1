# shellcheck shell=sh
# Reading the benchmark's logs, shared by the reports (sourced).
#
# A measured pass is one line of the guest's log:
#   BENCH section=SECTION pass=PASS KEY=VALUE ...

# bench_field LOG SECTION PASS KEY: the value of KEY on that pass's line
# (empty if there is none).
bench_field() {
	awk -v s="section=$2" -v p="pass=$3" -v k="$4" '
		$1 == "BENCH" && $2 == s && $3 == p {
			for (i = 4; i <= NF; i++)
				if (index($i, k "=") == 1) {
					print substr($i, length(k) + 2)
					exit
				}
		}' "$1"
}
