#!/usr/bin/env bash
# make deb: build the cgmask source package and its two binary packages,
# cgmask-dkms (the module's source, built by DKMS on the target) and cgmask
# (the reader and its man page).
#   tests/dkms/deb.sh OUTDIR
# Copies the source (without build products) to OUTDIR/.work, runs
# dpkg-buildpackage -us -uc there and lintian on the result, and leaves in
# OUTDIR the .dsc, the source tarball, the .debs, the .buildinfo, the
# .changes and lintian.txt (lintian's output, then "lintian exit status: N");
# the tree itself is not written to. With DEB_CHROOT=yes (the default) both
# run in a cached chroot of the host's release with the build dependencies
# (tests/dkms/lib.sh; needs root); with DEB_CHROOT=no on this machine, which
# then needs debhelper, dh-dkms and lintian. Fails if lintian reports an
# error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

[ $# -eq 1 ] || { echo "usage: deb.sh OUTDIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd -P)
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
work=$out/.work
src=$work/cgmask-$version

rm -rf "$work" "$out"/cgmask*_* "$out/lintian.txt"
mkdir -p "$src"
cleanup_push rm -rf "$work"
files=()
for f in Kbuild Makefile dkms.conf README.md module tools docs debian; do
	[ ! -e "$top/$f" ] || files+=("$f")
done
tar -C "$top" -c --exclude-vcs --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.order' --exclude='*.symvers' \
	--exclude=tools/build --exclude=tools/cgmask --exclude=tools/cgmask-static \
	--exclude=__pycache__ "${files[@]}" | tar -C "$src" -x

# shellcheck disable=SC2016
build='cd "$1" && DEB_BUILD_OPTIONS="noautodbgsym ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc || exit
	lintian --fail-on error ../cgmask_*.changes >"$2/lintian.txt" 2>&1; rc=$?
	echo "lintian exit status: $rc" >>"$2/lintian.txt"
	cat "$2/lintian.txt"; exit $rc'
rc=0
if [ "${DEB_CHROOT:-yes}" = no ]; then
	bash -c "$build" build "$src" "$out" || rc=$?
else
	need_root "building in a chroot (or DEB_CHROOT=no)"
	dkms_log "$out/setup.log"
	ensure_build_chroot
	droot "$R" --bind "$out" --timeout 1200 bash -c "$build" build "$src" "$out" || rc=$?
fi
for f in "$work"/cgmask*_*; do
	[ ! -f "$f" ] || mv -f "$f" "$out/"
done
ls -l "$out"/cgmask*_* 2>/dev/null || true
[ $rc -eq 0 ] || echo "deb.sh: failed (rc=$rc)" >&2
exit $rc
