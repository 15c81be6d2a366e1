# shellcheck shell=sh
# Common settings for the QEMU test harness. Sourced, not run.
# shellcheck disable=SC2034
#
# XEN_TMEM_CACHE  where expensive artefacts (kernel source, kernel build)
#                 are kept between runs; default ~/.cache/xen-tmem.
# JOBS            parallel make jobs; default: number of CPUs.

XT_TOP=$(cd "$(dirname "$0")/../.." && pwd)
XT_CACHE=${XEN_TMEM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xen-tmem}
JOBS=${JOBS:-$(nproc)}
# Debian's kernel source for the test kernel (bullseye main).
XT_KSRC_PKG=linux-source-5.10
XT_KSRC_VER=${XT_KSRC_VER:-5.10.223-1}
XT_MIRROR=${XT_MIRROR:-}

xt_log() {
	printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2
}

xt_die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# Print the first Debian mirror URL configured on this machine.
xt_mirror() {
	if [ -n "$XT_MIRROR" ]; then
		echo "$XT_MIRROR"
		return
	fi
	{
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
			2>/dev/null || true
		grep -h '^URIs:' /etc/apt/sources.list.d/*.sources \
			2>/dev/null | sed 's/^URIs:/deb/' || true
	} | awk '$1 == "deb" {
			for (i = 2; i <= NF; i++)
				if ($i ~ /^https?:\/\// && $i !~ /security/) {
					print $i; exit
				}
		}'
}
