#!/usr/bin/env bash
# make run: build cgmask.ko and the reader, boot Debian's 6.1 kernel in
# qemu, load the module and print what it says. For machines where loading
# modules is impossible or unwise; on a test machine just
# `make && sudo insmod module/cgmask.ko && sudo tools/cgmask`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kernel=${CGMASK_RUN_KERNEL:-6.1}
out=${CGMASK_OUT:-$top/build/run}
rm -rf "$out"
mkdir -p "$out"

"$here/lib/deps.sh" >&2
eval "$("$here/lib/kernel.sh" prepare "$kernel")"
echo "cgmask: building for $KVER" >&2
"$here/lib/kernel.sh" build "$kernel" "$top" "$out/build" >/dev/null ||
	{ cat "$out/build/build.log" >&2; exit 1; }
make -s -C "$top/tools" static >&2
"$here/lib/initramfs.sh" "$out/initrd.gz" "$here/guest/init.sh" \
	"$out/build/module/cgmask.ko:/cgmask.ko" \
	"$top/tools/cgmask-static:/bin/cgmask" >/dev/null
echo "cgmask: booting $KVER in qemu (TCG)" >&2
"$here/lib/boot.sh" "$VMLINUZ" "$out/initrd.gz" "$out/console.log" \
	--data "$out/data.log" --append "cgmask_test=run" >/dev/null || true
if ! grep -q '^@@ DONE' "$out/data.log" 2>/dev/null; then
	echo "cgmask: the VM did not finish; console tail:" >&2
	tail -n 20 "$out/console.log" >&2
	exit 1
fi
tr -d '\r' <"$out/data.log" | grep -v '^@@ '
