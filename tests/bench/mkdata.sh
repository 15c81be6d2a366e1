#!/bin/sh
# Make the re-read data set: NFILES files of FILE_MIB MiB of pseudo-random
# bytes in DIR/data/, and DIR/cost.dat (COST_MIB MiB) for xtmem_bench.ko.
#
# usage: tests/bench/mkdata.sh DIR NFILES FILE_MIB COST_MIB [SEED]
#
# Deterministic: file N is AES-128-CTR of zeros with the key derived from
# SEED and the counter starting at N, so a re-run makes the same bytes
# (incompressible, no two pages alike). Prints nothing.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

[ $# -ge 4 ] || xt_die "usage: $0 DIR NFILES FILE_MIB COST_MIB [SEED]"
dir=$1
nfiles=$2
file_mib=$3
cost_mib=$4
seed=${5:-xen-tmem-bench}
command -v openssl > /dev/null || xt_die "openssl not found (apt-get install openssl)"

key=$(printf '%s' "$seed" | sha256sum | cut -c1-32)

# prng IV BYTES: BYTES pseudo-random bytes from counter block IV (hex).
prng() {
	openssl enc -aes-128-ctr -nosalt -K "$key" -iv "$1" -in /dev/zero \
		2> /dev/null | head -c "$2"
}

mkdir -p "$dir/data"
i=1
while [ "$i" -le "$nfiles" ]; do
	name=$(printf 'f%03d' "$i")
	prng "$(printf '%016x%016x' "$i" 0)" $((file_mib * 1048576)) \
		> "$dir/data/$name"
	i=$((i + 1))
done
prng "$(printf '%016x%016x' 0 0)" $((cost_mib * 1048576)) > "$dir/cost.dat"
