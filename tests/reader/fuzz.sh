#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# fuzz.sh FUZZER SECONDS: run the libFuzzer parser target (fuzz_parse.c)
# for SECONDS over a corpus seeded from tests/reader/dumps, trees and regress.
# A crash is saved in tests/reader/regress/. The last line is
# "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
fuzzer=$1 seconds=$2
corpus=$(dirname "$fuzzer")/corpus
log=$(dirname "$fuzzer")/fuzz.log
mkdir -p "$corpus" "$here/regress"
"$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -dict="$here/fuzz.dict" \
	-artifact_prefix="$here/regress/" "$corpus" "$here/dumps" "$here/trees" "$here/regress" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ "$rc" -eq 0 ]; then
	echo "ok 1 fuzz_parse ${seconds}s, ${runs:-?} runs, no crash"
	echo "1 passed, 0 failed"
else
	echo "not ok 1 fuzz_parse (exit $rc); crash input saved in $here/regress/:"
	grep -E 'ERROR|SUMMARY|Test unit written' "$log" | sed 's/^/# /' | head -n 20
	echo "0 passed, 1 failed"
	exit 1
fi
