# shellcheck shell=sh
# shellcheck disable=SC2154 # top, work, failed: dkms.sh's and checks.sh's
# The ext4 partial-block guard (src/guard.c) against a kernel's own
# kprobes API (sourced by tests/kernels/dkms.sh, after checks.sh).
#
# The kernels of ../shared/kernels were built without CONFIG_KPROBES, so
# the module built for them has the guard off (it says so at load, and
# the zero-race scenario shows the hole). Ubuntu's and RHEL's kernels have
# kretprobes. So that a change to the guard cannot break the DKMS build on
# those, guard_compiles builds the module once more against a private copy
# of the kernel's headers with CONFIG_KPROBES and CONFIG_KRETPROBES turned
# on: it must compile without a warning from the module's own files, and
# guard.o must call register_kretprobe() (the active guard, not the stub).
# Only modpost's "undefined" lines for the kprobes functions are expected
# (that kernel does not have them). Nothing is loaded or booted.

# guard_compiles FOLDER HDIR: the check described above.
guard_compiles() {
	_gk=$1
	_gt=$work/guard-$_gk
	_gl=$work/guard-$_gk.log
	_gf0=$failed
	rm -rf "$_gt"
	mkdir -p "$_gt"
	cp -a "$2" "$_gt/headers"
	printf '#define CONFIG_KPROBES 1\n#define CONFIG_KRETPROBES 1\n' \
		>> "$_gt/headers/include/generated/autoconf.h"
	printf 'CONFIG_KPROBES=y\nCONFIG_KRETPROBES=y\n' \
		>> "$_gt/headers/include/config/auto.conf"
	# The module's sources as DKMS gets them (no src/config.h).
	sh "$top/tools/install-dkms-source.sh" "$_gt/src"
	_grc=0
	make -C "$_gt/headers" M="$_gt/src" KBUILD_MODPOST_WARN=1 modules \
		> "$_gl" 2>&1 || _grc=$?
	check_eq "$_gk: with kretprobes on, the module builds" 0 "$_grc"
	check "$_gk: with kretprobes on, no warning but modpost's undefined kprobes functions" \
		sh -c "! grep -i 'warning' '$_gl' | grep -v -E '\"(un)?register_k(ret)?probe\" .* undefined!'"
	check "$_gk: with kretprobes on, guard.o is the active guard (calls register_kretprobe)" \
		sh -c "nm '$_gt/src/src/guard.o' | grep -q ' U register_kretprobe$'"
	[ "$failed" = "$_gf0" ] || show "$_gl"
	rm -rf "$_gt/headers"
}
