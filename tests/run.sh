#!/usr/bin/env bash
# make check: every test of the project. The line before the last counts
# skipped tests ("N skipped"); the last line is "N passed, N failed". The
# exit status is 0 only when nothing failed.
#   KERNELS="5.10 6.1 6.12 7.2 kunit"  which kernels to boot (default: all)
#   CGMASK_CACHE=/var/cache/cgmask     downloads, chroots, built kernels
#   CGMASK_OUT=build/check             logs of this run
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
KERNELS=${KERNELS:-5.10 6.1 6.12 7.2 kunit}
out=${CGMASK_OUT:-$top/build/check}
passed=0 failed=0 skipped=0
failures=()

# add LABEL LOG: count a suite's own "N passed, N failed[, N skipped]" line.
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
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
	[ "$f" -eq 0 ] || failures+=("$label: $f failed (see $log)")
	echo "== $label: $line"
}

# suite LABEL CMD...: run one suite, keep its log, count its result line.
suite() {
	local label=$1 log
	shift
	log=$out/$(tr '/ ' '__' <<<"$label").log
	echo "== $label"
	"$@" >"$log" 2>&1
	local rc=$?
	grep -E '^(not ok|# )' "$log" | head -n 40
	add "$label" "$log"
	if [ $rc -ne 0 ] && ! grep -qE '[0-9]+ passed, [1-9][0-9]* failed' "$log"; then
		failed=$((failed + 1))
		failures+=("$label: exited $rc (see $log)")
		tail -n 20 "$log"
	fi
}

rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
"$top/tests/vm/lib/deps.sh" >"$out/deps.log" 2>&1 || { cat "$out/deps.log"; exit 1; }

suite reader make -C "$top/tools" check
make -C "$top/tools" all static >"$out/tools-build.log" 2>&1 || { cat "$out/tools-build.log"; exit 1; }
suite fuzz-smoke make -C "$top/tools" fuzz-smoke FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
suite style "$top/tests/style.sh"
# The VM checker must be able to fail: faults injected into recorded runs.
for f in "$top"/tests/vm/fixtures/*/; do
	f=${f%/}
	suite "checker/${f##*/}" python3 "$top/tests/vm/selftest.py" \
		--kernel "$(basename "$f" | cut -d- -f1)" --dir "$f" --reader "$top/tools/cgmask"
done
for k in $KERNELS; do
	[ "$k" = kunit ] && suite kunit "$top/tests/kunit/run.sh"
	suite "vm/$k" "$top/tests/vm/run.sh" "$k" "$out/vm-$k"
done

echo "== took $(( $(date +%s) - start )) s; logs in $out"
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
