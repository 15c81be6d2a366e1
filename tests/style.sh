#!/bin/sh
# Kernel coding style (checkpatch from the test kernel's tree) for the C
# sources, shellcheck for the shell scripts.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

kdir=$(tests/qemu/kernel.sh)
checkpatch=$(readlink -f "$kdir/source")/scripts/checkpatch.pl
rc=0

# shellcheck disable=SC2046
"$checkpatch" --no-tree --terse --show-types -f \
	$(git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'tests/emu/*.c' \
		'tests/emu/*.h' 'tests/bench/kmod/*.c') > "${TMPDIR:-/tmp}/xtmem-checkpatch.$$" 2>&1 || true
if grep -E ': (ERROR|WARNING|CHECK):' "${TMPDIR:-/tmp}/xtmem-checkpatch.$$"; then
	echo "checkpatch: not clean" >&2
	rc=1
else
	echo "checkpatch: clean"
fi
rm -f "${TMPDIR:-/tmp}/xtmem-checkpatch.$$"

# shellcheck disable=SC2046
if shellcheck -x $(git ls-files '*.sh' .ci/run tests/qemu/guest/init \
	tools/xen-tmem-stat); then
	echo "shellcheck: clean"
else
	rc=1
fi
# A script with a #! line is run as a command (tests/run-all.sh runs the
# suites so): git must keep it executable.
for f in $(git ls-files '*.sh' .ci/run tools/xen-tmem-stat); do
	head -n 1 "$f" | grep -q '^#!' || continue
	case $(git ls-files -s "$f" | cut -c1-6) in
	100755) ;;
	*)
		echo "$f: has a #! line but is not executable in git (git update-index --chmod=+x)" >&2
		rc=1
		;;
	esac
done
exit $rc
