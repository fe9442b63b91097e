#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the cgmask KUnit suites on the KUnit kernel (KASAN, lockdep,
# kmemleak), under qemu TCG.
#
#   tests/kunit/run.sh [--selftest-fail]
#
# Prepares the kernel (kernel.sh), builds cgmask_kunit.ko against it, packs
# a busybox initramfs whose /init (init.sh) loads it, boots it with
# tests/vm/lib/boot.sh, and judges the console with report.py: one line
# per case ("ok N suite.case", "not ok N suite.case", skips as
# "ok N suite.case # SKIP reason"), a failing point per KASAN, lockdep,
# WARNING, BUG, call trace, oops, kmemleak report or timeout, and last
# "N passed, N failed, N skipped". Exit status 0 only when nothing failed.
#
# --selftest-fail builds with KCFLAGS=-DCGMASK_KUNIT_SELFTEST_FAIL: one
# deliberately wrong expectation, which must make this script fail naming
# cgmask_rule.cgmask_derive_read_values_win.
#
# Environment: CGMASK_KUNIT_OUT (default: a fresh directory under
# ${TMPDIR:-/tmp}) keeps the build, initramfs, console log and parse
# output; CGMASK_KUNIT_TIMEOUT (default 300) bounds the boot in seconds;
# plus kernel.sh's CGMASK_CACHE, CGMASK_JOBS, CGMASK_KUNIT_SOURCE_VERSION.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
CGMASK_PROG=kunit/run.sh
# shellcheck source-path=SCRIPTDIR source=../vm/lib/common.sh
. "$top/tests/vm/lib/common.sh"

# loglevel=8 overrides boot.sh's "quiet loglevel=4": KTAP is KERN_INFO.
# rdma disabled at boot gives cgmask_live a disabled controller to check.
APPEND="loglevel=8 cgroup_disable=rdma"
TIMEOUT=${CGMASK_KUNIT_TIMEOUT:-300}
MEM=1024

usage() {
	sed -n '4,26s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

# fail_early NAME DETAIL: the run cannot go on; report it in the format.
fail_early() {
	echo "not ok 1 $1"
	local line
	while IFS= read -r line; do echo "# $line"; done <<<"$2"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

main() {
	local selftest=0 out env src kcflags=() suites rc=0
	while [ $# -gt 0 ]; do
		case $1 in
		--selftest-fail) selftest=1 ;;
		-h | --help) usage ;;
		*) usage ;;
		esac
		shift
	done

	if [ -n "${CGMASK_KUNIT_OUT:-}" ]; then
		out=$CGMASK_KUNIT_OUT
		rm -rf "$out"
		mkdir -p "$out"
	else
		out=$(mktemp -d "${TMPDIR:-/tmp}/cgmask-kunit.XXXXXX")
	fi
	out=$(cd "$out" && pwd)
	log "output in $out"

	env=$("$here/kernel.sh" prepare 2>"$out/prepare.log") ||
		fail_early kernel.prepare "$(tail -n 20 "$out/prepare.log")"
	local KVER='' VMLINUZ='' KDIR=''
	eval "$env"
	log "kernel $KVER: $VMLINUZ"

	# kernel.sh build wants a top-level Kbuild: stage one that descends
	# into tests/kunit only, beside the module/ sources it includes.
	src=$out/src
	mkdir -p "$src/tests"
	cp -R "$top/module" "$src/module"
	cp -R "$here" "$src/tests/kunit"
	echo 'obj-m += tests/kunit/' >"$src/Kbuild"
	[ "$selftest" -eq 0 ] || kcflags=(KCFLAGS=-DCGMASK_KUNIT_SELFTEST_FAIL)
	"$here/kernel.sh" build "$src" "$out/build" "${kcflags[@]}" \
		2>"$out/build.err" >&2 ||
		fail_early build "$(tail -n 30 "$out/build.err")"
	local ko=$out/build/tests/kunit/cgmask_kunit.ko
	[ -f "$ko" ] || fail_early build "no $ko"

	# Suites the module holds: pointers in its .kunit_test_suites section.
	suites=$(LC_ALL=C readelf -SW "$ko" | awk '
		{ for (i = 1; i < NF; i++) if ($i == ".kunit_test_suites") { print $(i + 4); exit } }')
	[ -n "$suites" ] || fail_early build "$ko has no .kunit_test_suites section"
	suites=$((16#$suites / 8))
	log "$suites suites in cgmask_kunit.ko"

	"$top/tests/vm/lib/initramfs.sh" "$out/initrd.gz" "$here/init.sh" \
		"$ko:/cgmask_kunit.ko" >"$out/initramfs.log" 2>&1 ||
		fail_early initramfs "$(tail -n 20 "$out/initramfs.log")"

	log "booting (qemu TCG, timeout $TIMEOUT s)"
	"$top/tests/vm/lib/boot.sh" "$VMLINUZ" "$out/initrd.gz" "$out/console.log" \
		--append "$APPEND" --timeout "$TIMEOUT" --mem "$MEM" \
		>"$out/boot.log" 2>&1 || rc=$?
	# A timeout (124) is in the console log for report.py; anything else
	# means qemu itself failed.
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
		fail_early boot "$(tail -n 20 "$out/boot.log" "$out/console.log")"
	fi

	python3 "$here/report.py" --tree "$KDIR" --console "$out/console.log" \
		--suites "$suites" --out "$out"
}

main "$@"
