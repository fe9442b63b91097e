#!/usr/bin/env bash
# make check: every test of the project. The line before the last counts
# skipped tests ("N skipped"); the last line is "N passed, N failed". The
# exit status is 0 only when nothing failed.
#   KERNELS="5.10 6.1 6.12 7.2 kunit"  which kernels to boot (default: all)
#   CGMASK_CACHE=/var/cache/cgmask     downloads, chroots, built kernels
#   CGMASK_OUT=build/check             logs of this run
#   CGMASK_JOBS=N                      suites run at once (default: nproc + 1)
#   FUZZ_SECONDS=60                    length of the libFuzzer smoke run
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
KERNELS=${KERNELS:-5.10 6.1 6.12 7.2 kunit}
out=${CGMASK_OUT:-$top/build/check}
passed=0 failed=0 skipped=0
failures=()

# add LABEL LOG: count a suite's own "N passed, N failed[, N skipped]" line
# (or "N passed, N failed" after a line "N skipped").
add() {
	local label=$1 log=$2 line p f s
	line=$(grep -E '^([a-z]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		failures+=("$label: no result line (see $log)")
		return
	fi
	p=$(sed -E 's/.*\b([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.*\b([0-9]+) failed.*/\1/' <<<"$line")
	s=$(sed -nE 's/.*\b([0-9]+) skipped.*/\1/p' <<<"$line")
	# Suites that print "N skipped" on a line of its own, before the last.
	[ -n "$s" ] || s=$(grep -E '^[0-9]+ skipped$' "$log" | tail -n 1 | cut -d' ' -f1)
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
	[ "$f" -eq 0 ] || failures+=("$label: $f failed (see $log)")
	echo "== $label: $line"
}

log_of() { echo "$out/$(tr '/ ' '__' <<<"$1").log"; }

# start_suite LABEL CMD...: run a suite in the background; its exit status
# goes to LOG.rc.
start_suite() {
	local label=$1 log
	shift
	log=$(log_of "$label")
	# Each suite gets its own output directory, never this script's.
	{ CGMASK_OUT=${log%.log}.out "$@" >"$log" 2>&1; echo $? >"$log.rc"; } &
}

# finish_suite LABEL: report and count a suite that has ended.
finish_suite() {
	local label=$1 log rc
	log=$(log_of "$label")
	rc=$(cat "$log.rc" 2>/dev/null || echo 1)
	grep -E '^(not ok|# )' "$log" | head -n 40
	add "$label" "$log"
	if [ "$rc" -ne 0 ] && ! grep -qE '[0-9]+ passed, [1-9][0-9]* failed' "$log"; then
		failed=$((failed + 1))
		failures+=("$label: exited $rc (see $log)")
		tail -n 20 "$log"
	fi
}

rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
"$top/tests/vm/lib/deps.sh" >"$out/deps.log" 2>&1 || { cat "$out/deps.log"; exit 1; }

make -C "$top/tools" all static >"$out/tools-build.log" 2>&1 || { cat "$out/tools-build.log"; exit 1; }

# Kernels first, one at a time (downloads, chroots, the KUnit kernel build),
# so the suites below never race to create the same cache entry; a failure
# here shows up again in the suites, which report it.
echo "== preparing kernels: $KERNELS"
matrix=()
for k in $KERNELS; do
	if [ "$k" = kunit ]; then
		"$top/tests/kunit/kernel.sh" prepare
	else
		matrix+=("$k")
		"$top/tests/vm/lib/kernel.sh" prepare "$k"
	fi >/dev/null 2>>"$out/prepare.log"
done
echo "== kernels ready after $(( $(date +%s) - start )) s"

# Every suite, CGMASK_JOBS at a time, the longest first so that the short
# ones fill the gaps at the end: each VM suite boots its own qemu and
# builds in its own scratch copy of the tree. One more than the CPUs: a
# guest that sleeps (kmemleak scans, rebinding waits) or a suite between
# boots leaves a CPU idle that a third job takes.
suites=()
for k in $KERNELS; do
	[ "$k" != kunit ] || suites+=("vm/kunit|$top/tests/vm/run.sh kunit $out/vm-kunit")
done
[ ${#matrix[@]} -eq 0 ] || suites+=("dkms|$top/tests/dkms/run.sh ${matrix[*]}")
for k in "${matrix[@]}"; do
	suites+=("vm/$k|$top/tests/vm/run.sh $k $out/vm-$k")
done
for k in $KERNELS; do
	if [ "$k" = kunit ]; then
		suites+=("kunit/lockdown|$top/tests/kunit/lockdown.sh")
		suites+=("kunit|$top/tests/kunit/run.sh")
	fi
done
suites+=("fuzz-smoke|make -C $top/tools fuzz-smoke FUZZ_SECONDS=${FUZZ_SECONDS:-60}")
suites+=("reader|make -C $top/tools check")
suites+=("style|$top/tests/style.sh")
# The VM checker must be able to fail: faults injected into recorded runs.
for f in "$top"/tests/vm/fixtures/*/; do
	f=${f%/}
	suites+=("checker/${f##*/}|python3 $top/tests/vm/selftest.py --kernel $(basename "$f" |
		cut -d- -f1) --dir $f --reader $top/tools/cgmask")
done
jobs_max=${CGMASK_JOBS:-$(($(nproc) + 1))}
running=0
for h in "${suites[@]}"; do
	if [ "$running" -ge "$jobs_max" ]; then
		wait -n
		running=$((running - 1))
	fi
	echo "== ${h%%|*} (started after $(( $(date +%s) - start )) s)"
	# shellcheck disable=SC2086 # the command is a list of words
	start_suite "${h%%|*}" ${h#*|}
	running=$((running + 1))
done
wait
for h in "${suites[@]}"; do
	echo "== ${h%%|*}"
	finish_suite "${h%%|*}"
done

echo "== took $(( $(date +%s) - start )) s; logs in $out"
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
