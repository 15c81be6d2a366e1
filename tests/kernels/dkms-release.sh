#!/bin/sh
# Unpack one dkms release (a git archive tarball of its tag) into DIR and
# make it runnable from there, off the machine's own dkms: DIR/dkms is the
# script (2.8.x ship it, 3.x ship dkms.in; both get the substitutions
# their Makefile makes), and its /etc/dkms (its
# framework.conf and per-module overrides) is DIR/etc/dkms, whose
# framework.conf points the module-signing key and certificate at DIR too,
# so that a kernel with module signing never makes dkms create
# /var/lib/dkms/mok.*. The trees (--dkmstree, --sourcetree, --installtree)
# are given on each command line by the caller. Prints DIR/dkms.
# (Nothing else of dkms is changed.)
#
# usage: tests/kernels/dkms-release.sh TARBALL DIR
set -eu
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/../qemu/lib.sh"

[ $# -eq 2 ] || xt_die "usage: $0 TARBALL DIR"
tarball=$1
dir=$2
v=$(basename "$tarball" .tar.gz)
v=${v#dkms-}

rm -rf "$dir"
mkdir -p "$dir/src" "$dir/etc/dkms/framework.conf.d"
tar -xzf "$tarball" -C "$dir/src"
s=$(ls -d "$dir"/src/*/)
# The substitutions their Makefiles make: 2.8.1 [INSERT_VERSION_HERE] in
# dkms; 2.8.7 and 3.0.x #RELEASE_STRING#; 3.1 and later @RELEASE_STRING@
# and @MODDIR@ in dkms.in (the Makefile's default, /lib/modules, which
# --installtree overrides).
if [ -e "$s/dkms" ]; then
	in=$s/dkms
elif [ -e "$s/dkms.in" ]; then
	in=$s/dkms.in
else
	xt_die "$tarball: neither dkms nor dkms.in in it"
fi
sed -e "s/\\[INSERT_VERSION_HERE\\]/$v/" \
	-e "s/#RELEASE_STRING#/dkms-$v/" \
	-e "s,@RELEASE_STRING@,dkms-$v,g" \
	-e "s,@MODDIR@,/lib/modules,g" \
	"$in" > "$dir/dkms.orig"
# 2.8.x set PATH outright (PATH="/bin:/sbin:..."): $XT_DKMS_PATH, when
# set, goes in front, so that the caller's stand-ins are found there too.
sed -e "s,\\([^[:alnum:]_./-]\\)/etc/dkms/,\\1$dir/etc/dkms/,g" \
	-e "s,^PATH=\"/bin:,PATH=\"\${XT_DKMS_PATH:+\$XT_DKMS_PATH:}/bin:," \
	"$dir/dkms.orig" > "$dir/dkms"
rm -f "$dir/dkms.orig"
chmod 755 "$dir/dkms"
cat > "$dir/etc/dkms/framework.conf" << EOC
mok_signing_key="$dir/mok.key"
mok_certificate="$dir/mok.pub"
EOC
! sed "s,$dir/etc/dkms/,,g" "$dir/dkms" | grep -q '/etc/dkms/' ||
	xt_die "$dir/dkms: an /etc/dkms/ path is left in it"
echo "$dir/dkms"
