#!/usr/bin/env bash
# Boot every scenario of tests/vm/scenarios on one kernel and judge each run.
#   tests/vm/run.sh KERNEL OUTDIR
# KERNEL is a matrix name (5.10, 6.1, 6.12, 7.2) or "kunit" (the KASAN +
# lockdep kernel of tests/kunit). Prints KTAP per scenario; the last line is
# "N passed, N failed". Exit status 0 only when nothing failed.
# CGMASK_SCENARIOS="default v1" runs only those scenarios.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kernel=${1:?usage: run.sh KERNEL OUTDIR}
out=${2:?usage: run.sh KERNEL OUTDIR}
mkdir -p "$out"
passed=0 failed=0

kernel_sh() {
	if [ "$kernel" = kunit ]; then
		"$top/tests/kunit/kernel.sh" "$@"
	else
		"$here/lib/kernel.sh" "$1" "$kernel" "${@:2}"
	fi
}

point() { # STATUS NAME [DETAIL]
	if [ "$1" = ok ]; then
		passed=$((passed + 1))
		echo "ok $kernel/$2"
	else
		failed=$((failed + 1))
		echo "not ok $kernel/$2"
		[ -z "${3:-}" ] || sed 's/^/# /' <<<"$3"
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if ! env=$(kernel_sh prepare 2>"$out/prepare.log"); then
	point fail prepare "$(tail -n 20 "$out/prepare.log")"
	finish
fi
eval "$env"
point ok "prepare ($KVER)"

# The module must build warning-free (W=1, warnings are errors) and
# sparse-clean against this kernel's own headers and compiler.
if kernel_sh build "$top" "$out/build" W=1 KCFLAGS=-Werror >/dev/null 2>&1; then
	point ok build
else
	point fail build "$(grep -E 'error|warning' "$out/build/build.log" | head -n 20)"
	finish
fi
# KBUILD_CHECKSRC=2 too: some distribution headers (Debian's 7.x) lack
# scripts/checker-valid.sh, and kbuild then quietly turns C=2 off. The log
# must show sparse's CHECK lines, so a sparse that never ran cannot pass.
if kernel_sh build "$top" "$out/sparse" C=2 KBUILD_CHECKSRC=2 >/dev/null 2>&1 &&
   grep -qE '^ +CHECK +.*module/main\.c' "$out/sparse/build.log" &&
   ! grep -E '(warning|error):' "$out/sparse/build.log" >/dev/null; then
	point ok sparse
else
	point fail sparse "$(grep -E '(warning|error):|CHECK|not available' "$out/sparse/build.log" | head -n 20)"
fi

reader=$top/tools/cgmask
static=$top/tools/cgmask-static
# The reader for the checker and, static, for the guest: tests/run.sh has
# built both (this is then a no-op); a run of this script alone builds them.
if ! make -C "$top/tools" all static >"$out/tools-build.log" 2>&1; then
	point fail reader "$(tail -n 20 "$out/tools-build.log")"
	finish
fi
# The guest's load/unload loop, one process for all the cycles.
if gcc -std=c11 -Wall -Wextra -Werror -O2 -static -o "$out/modcycle" \
	"$here/guest/modcycle.c" >"$out/modcycle.log" 2>&1; then
	point ok modcycle
else
	point fail modcycle "$(head -n 20 "$out/modcycle.log")"
	finish
fi
while IFS=$'\t' read -r name append timeout debug; do
	case $name in '' | '#'*) continue ;; esac
	case " ${CGMASK_SCENARIOS:-$name} " in *" $name "*) ;; *) continue ;; esac
	dir=$out/$name
	mkdir -p "$dir"
	# The debug kernel's own settings come last: the guest keeps the last.
	[ "$kernel" != kunit ] || append+=" $debug"
	files=("$out/build/module/cgmask.ko:/cgmask.ko" "$out/modcycle:/bin/modcycle")
	files+=("$static:/bin/cgmask")
	files+=("$here/guest/tree.sh:/tree.sh")
	"$here/lib/initramfs.sh" "$dir/initrd.gz" "$here/guest/init.sh" "${files[@]}" \
		>"$dir/initramfs.log" 2>&1
	"$here/lib/boot.sh" "$VMLINUZ" "$dir/initrd.gz" "$dir/console.log" \
		--data "$dir/data.log" --timeout "${timeout:-${CGMASK_BOOT_TIMEOUT:-180}}" \
		--append "cgmask_test=$name $append" >"$dir/boot.log" 2>&1
	python3 "$here/check.py" --kernel "$kernel" --scenario "$name" \
		--console "$dir/console.log" --data "$dir/data.log" \
		--reader "$reader" >"$dir/ktap.txt" 2>"$dir/check.err"
	rc=$?
	# The checker fails its own run only with failing points; any other
	# exit (a crash, a usage error) must not pass silently.
	if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$dir/ktap.txt"; then
		point fail "$name/checker" "$(tail -n 15 "$dir/check.err")"
	fi
	while read -r line; do
		case $line in
		"ok "*) passed=$((passed + 1)) ;;
		"not ok "*) failed=$((failed + 1)); echo "$line" ;;
		"# "*) echo "$line" ;;
		esac
	done <"$dir/ktap.txt"
	echo "# $kernel/$name: $(grep -c '^ok ' "$dir/ktap.txt") passed, $(grep -c '^not ok ' "$dir/ktap.txt") failed"
	# The checker must be able to fail: replay this kernel's default run with
	# faults injected (tests/vm/selftest.py).
	if [ "$name" = default ]; then
		if python3 "$here/selftest.py" --kernel "$kernel" --dir "$dir" \
			--reader "$reader" >"$out/selftest.txt" 2>&1; then
			point ok checker_selftest
		else
			point fail checker_selftest "$(grep -v '^ok ' "$out/selftest.txt")"
		fi
	fi
done <"$here/scenarios"
finish
