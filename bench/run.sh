#!/usr/bin/env bash
# make bench: measure cgmask in the test VM and write bench/RESULTS.md.
#
#   bench/run.sh [KERNEL...]      KERNEL: 5.10 6.1 6.12 7.2 (default: 6.1)
#
# Every kernel boots in qemu (TCG, never KVM, through tests/vm/lib) with one
# vCPU for the footprint and the read cost; the first kernel boots a second
# time with BENCH_SMP vCPUs for the tree scale (a mkdir on one vCPU while a
# dump runs on the other). Read cost and tree are separate boots because the
# ftrace method patches kernel text, which TCG does not do reliably with
# several vCPUs (7.2 oopsed on an int3 in __schedule). bench/guest.sh is
# /init, bench/bench.c (static) measures, bench/report.py turns what the
# guest printed into ratios. Numbers are compared only within one boot.
#
# Environment:
#   BENCH_TREE=1000,10000,100000  tree sizes for the first kernel ("" = none)
#   BENCH_SMP=2                   vCPUs of the tree boot (two, so that a mkdir
#                                 can run while a dump holds what it holds)
#   BENCH_MEM=3072                guest memory in MB (100k cgroups take ~0.8 GB)
#   BENCH_OUT=build/bench         logs and images
#   BENCH_RESULTS=bench/RESULTS.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
vm=$top/tests/vm
trees=${BENCH_TREE-1000,10000,100000}
smp=${BENCH_SMP:-2}
mem=${BENCH_MEM:-3072}
out=${BENCH_OUT:-$top/build/bench}
results=${BENCH_RESULTS:-$here/RESULTS.md}
start=$(date +%s)

die() {
	echo "bench: error: $*" >&2
	exit 1
}

[ $# -gt 0 ] || set -- 6.1
for k in "$@"; do
	case $k in 5.10 | 6.1 | 6.12 | 7.2) ;; *) die "unknown kernel '$k' (5.10 6.1 6.12 7.2)" ;; esac
done
[[ $trees =~ ^([0-9]+(,[0-9]+)*)?$ ]] || die "BENCH_TREE must be sizes separated by commas"
case $(cd "$(dirname "$out")" 2>/dev/null && pwd -P)/$(basename "$out") in
/ | //* | "$top" | "$top/" | "$HOME") die "BENCH_OUT=$out would remove too much" ;;
esac
rm -rf "$out"
mkdir -p "$out"

# src_id: the commit, and a hash of module/ and tools/ when they differ from it.
src_id() {
	local id
	id=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo "no git")
	if [ -n "$(git -C "$top" status --porcelain -- module tools 2>/dev/null)" ]; then
		id+=" with uncommitted changes to module/ or tools/ (sha256 $(cd "$top" &&
			find module tools -maxdepth 1 -type f \( -name '*.[ch]' -o -name Kbuild \) |
			LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12))"
	fi
	printf '%s\n' "$id"
}
src=$(src_id)

"$vm/lib/deps.sh" >&2
echo "bench: building bench and the static reader" >&2
gcc -std=c11 -O2 -Wall -Wextra -Werror -static -o "$out/bench" "$here/bench.c"
make -s -C "$top/tools" static >&2

# record KERNEL KVER STATUS: one line of runs.tsv for report.py.
record() {
	local ko=$out/$1/build/module/cgmask.ko
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" \
		"$(stat -c %s "$ko" 2>/dev/null || echo 0)" \
		"$out/$1/read/data.log" "$out/$1/tree/data.log" "$3" >>"$out/runs.tsv"
}

# vm KERNEL PHASE SMP TIMEOUT CMDLINE: boot $out/KERNEL/initrd.gz; its data
# port goes to $out/KERNEL/PHASE/data.log. False if the guest did not finish.
vm() {
	local d=$out/$1/$2 t0
	mkdir -p "$d"
	echo "bench: $1: $2 boot of $KVER ($3 vCPU, TCG, ${mem} MB; up to $4 s)" >&2
	t0=$(date +%s)
	"$vm/lib/boot.sh" "$VMLINUZ" "$out/$1/initrd.gz" "$d/console.log" \
		--data "$d/data.log" --timeout "$4" --mem "$mem" --smp "$3" \
		--append "$5" >"$d/boot.log" 2>&1 || true
	echo "bench: $1: $2 boot took $(($(date +%s) - t0)) s" >&2
	grep -q '^@@ DONE' "$d/data.log" && return 0
	tail -n 20 "$d/console.log" >&2
	echo "bench: $1: the $2 boot did not finish (see $d/console.log)" >&2
	return 1
}

first=1 failed=0
for k in "$@"; do
	dir=$out/$k
	mkdir -p "$dir/read" "$dir/tree"
	: >"$dir/read/data.log"
	: >"$dir/tree/data.log"
	if ! env=$("$vm/lib/kernel.sh" prepare "$k"); then
		echo "bench: $k: cannot prepare the kernel" >&2
		record "$k" "?" "no kernel"
		failed=1
		continue
	fi
	eval "$env"
	echo "bench: $k: building cgmask.ko for $KVER" >&2
	if ! "$vm/lib/kernel.sh" build "$k" "$top" "$dir/build" >/dev/null; then
		tail -n 20 "$dir/build/build.log" >&2
		echo "bench: $k: module build failed" >&2
		record "$k" "$KVER" "build failed"
		failed=1
		continue
	fi
	"$vm/lib/initramfs.sh" "$dir/initrd.gz" "$here/guest.sh" \
		"$dir/build/module/cgmask.ko:/cgmask.ko" \
		"$out/bench:/bin/bench" "$top/tools/cgmask-static:/bin/cgmask" >/dev/null
	width=16
	[ "${KVER%%.*}" -lt 7 ] || width=32
	status=ok
	vm "$k" read 1 900 "bench_mode=read bench_width=$width" ||
		status="read boot did not finish"
	if [ "$first" = 1 ] && [ -n "$trees" ]; then
		vm "$k" tree "$smp" 5400 "bench_mode=tree bench_tree=$trees" ||
			status="tree boot did not finish"
	fi
	[ "$status" = ok ] || failed=1
	record "$k" "$KVER" "$status"
	first=0
done

[ "$(src_id)" = "$src" ] || src+="; module/ or tools/ changed during the run"
python3 "$here/report.py" --runs "$out/runs.tsv" --smp "$smp" --mem "$mem" --source "$src" \
	--wall "$(($(date +%s) - start))" --qemu "$(qemu-system-x86_64 --version | head -n 1)" \
	>"$results.tmp"
mv -f "$results.tmp" "$results"
cat "$results"
echo "bench: wrote $results in $(($(date +%s) - start)) s" >&2
[ "$failed" = 0 ] || die "some kernels were not measured (see $results)"
