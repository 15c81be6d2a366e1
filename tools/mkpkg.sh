#!/bin/sh
# Build the xen-tmem-dkms packages from a clean copy of the tree.
#
# usage: tools/mkpkg.sh deb|rpm [OUTDIR]
#
#   deb  dpkg-buildpackage (source and binary): OUTDIR/deb/
#        xen-tmem_V.dsc, xen-tmem_V.tar.xz, xen-tmem-dkms_V_all.deb, .changes
#   rpm  rpmbuild -ba: OUTDIR/rpm/RPMS/noarch/xen-tmem-dkms-V-1.noarch.rpm
#        and OUTDIR/rpm/SRPMS/. Works with Debian's rpm package: the spec
#        has no BuildRequires (its Requires are for installing it).
#
# OUTDIR defaults to build/pkg. V is the VERSION file; the RPM spec gets it
# stamped in, debian/changelog must already say it (debian/rules checks).
# The copy holds the files git knows (tracked or not ignored), or every
# file when this is not a git checkout, never build/ or build artefacts.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || {
	echo "usage: $0 deb|rpm [OUTDIR]" >&2
	exit 2
}
kind=$1
out=${2:-$top/build/pkg}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(cat "$top/VERSION")

# export_tree DEST: a clean copy of the source tree.
export_tree() {
	rm -rf "$1"
	mkdir -p "$1"
	(
		cd "$top"
		if git rev-parse --git-dir > /dev/null 2>&1; then
			git ls-files -z --cached --others --exclude-standard
		else
			find . -type f ! -path './.git/*' -print0 | sed -z 's|^\./||'
		fi
	) | grep -z -v -E '(^|/)build/|\.(o|ko|mod|mod\.c|cmd)$|(^|/)(modules\.order|Module\.symvers)$|^src/config\.h$' |
		(cd "$top" && xargs -0 -r cp --parents -t "$1" --)
}

case $kind in
deb)
	work=$out/deb
	rm -rf "$work"
	mkdir -p "$work"
	export_tree "$work/xen-tmem-$version"
	(cd "$work/xen-tmem-$version" && dpkg-buildpackage -us -uc)
	rm -rf "$work/xen-tmem-$version"
	ls "$work"/*.deb
	;;
rpm)
	work=$out/rpm
	rm -rf "$work"
	mkdir -p "$work/SOURCES" "$work/SPECS"
	export_tree "$work/xen-tmem-$version"
	tar -C "$work" -czf "$work/SOURCES/xen-tmem-$version.tar.gz" \
		--owner=0 --group=0 --sort=name "xen-tmem-$version"
	rm -rf "$work/xen-tmem-$version"
	sed "s/@VERSION@/$version/g" "$top/rpm/xen-tmem.spec" \
		> "$work/SPECS/xen-tmem.spec"
	rpmbuild -ba --define "_topdir $work" \
		"$work/SPECS/xen-tmem.spec"
	ls "$work"/RPMS/noarch/*.rpm
	;;
*)
	echo "$0: unknown package kind: $kind (deb or rpm)" >&2
	exit 2
	;;
esac
