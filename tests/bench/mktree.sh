#!/bin/sh
# Make the source tree of the build-like load from a kernel source tree:
# every .c file under DIRS (the "compilation units") and the headers they
# include, two levels deep (the headers a compiler would open first).
#
# usage: tests/bench/mktree.sh KSRC OUT JOBS DIR...
#
# Writes OUT/tree/ (the files, same relative paths) and OUT/units.0 ..
# OUT/units.<JOBS-1>: one line per unit, "unit.c header.h ...", units
# dealt round-robin to the workers. Only headers present in KSRC are
# kept (generated ones do not exist in a source tree). Deterministic for
# a given source tree.
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

[ $# -ge 4 ] || xt_die "usage: $0 KSRC OUT JOBS DIR..."
ksrc=$1
out=$2
jobs=$3
shift 3
[ -d "$ksrc/include/linux" ] || xt_die "not a kernel source tree: $ksrc"
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$out/mktree.tmp
rm -rf "$tmp" "$out/tree"
mkdir -p "$tmp" "$out/tree"

# includes FILE...: "file included-path" for each #include line.
includes() {
	awk 'function norm(p,    n, a, i, k, r) {
		n = split(p, a, "/")
		k = 0
		for (i = 1; i <= n; i++) {
			if (a[i] == "." || a[i] == "")
				continue
			if (a[i] == ".." && k > 0 && s[k] != "..")
				k--
			else
				s[++k] = a[i]
		}
		r = s[1]
		for (i = 2; i <= k; i++)
			r = r "/" s[i]
		return r
	}
	FNR == 1 { d = FILENAME; sub(/\/[^\/]*$/, "", d) }
	/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
		l = $0
		sub(/^[ \t]*#[ \t]*include[ \t]*/, "", l)
		q = substr(l, 1, 1)
		l = substr(l, 2)
		sub(/[>"].*/, "", l)
		if (q == "\"")
			c = d "/" l
		else if (l ~ /^asm\//)
			c = "arch/x86/include/" l
		else
			c = "include/" l
		print FILENAME, norm(c)
	}' "$@"
}

# existing LIST: the paths of LIST that are regular files.
existing() {
	while IFS= read -r f; do
		[ -f "$f" ] && echo "$f"
	done < "$1"
	return 0
}

cd "$ksrc"
for d in "$@"; do
	[ -d "$d" ] || xt_die "no folder $d in $ksrc"
done
find "$@" -name '*.c' -type f | LC_ALL=C sort > "$tmp/units"
[ -s "$tmp/units" ] || xt_die "no .c files under $*"
# shellcheck disable=SC2046 # paths of a kernel tree, no spaces
includes $(cat "$tmp/units") > "$tmp/dep1"
cut -d' ' -f2 "$tmp/dep1" | LC_ALL=C sort -u > "$tmp/h1.all"
existing "$tmp/h1.all" > "$tmp/h1"
# shellcheck disable=SC2046
includes $(cat "$tmp/h1") > "$tmp/dep2"
cut -d' ' -f2 "$tmp/dep2" | LC_ALL=C sort -u > "$tmp/h2.all"
existing "$tmp/h2.all" > "$tmp/h2"
LC_ALL=C sort -u "$tmp/h1" "$tmp/h2" > "$tmp/headers"

# One line per unit: the unit, its headers, then theirs; no repeats.
awk -v jobs="$jobs" -v out="$out" '
	FILENAME == ARGV[1] { ok[$1] = 1; next }
	FILENAME == ARGV[2] { sub2[$1] = sub2[$1] " " $2; next }
	FILENAME == ARGV[3] { direct[$1] = direct[$1] " " $2; next }
	{
		u = $1
		line = u
		delete seen
		n = split(direct[u], a, " ")
		for (i = 1; i <= n; i++) {
			if (ok[a[i]] && !(a[i] in seen)) {
				seen[a[i]] = 1
				line = line " " a[i]
			}
			m = split(sub2[a[i]], b, " ")
			for (j = 1; j <= m; j++)
				if (ok[b[j]] && !(b[j] in seen)) {
					seen[b[j]] = 1
					line = line " " b[j]
				}
		}
		print line > (out "/units." (nu++ % jobs))
	}' "$tmp/headers" "$tmp/dep2" "$tmp/dep1" "$tmp/units"

cat "$tmp/units" "$tmp/headers" | tar -cf - -T - | tar -xf - -C "$out/tree"
rm -rf "$tmp"
