#!/usr/bin/env bash
# checkpatch --strict over the kernel code, shellcheck over the scripts. checkpatch.pl comes from
# Debian's linux-source-6.1 (extracted into the cache, never installed).
# The last line is "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${CGMASK_CACHE:-/var/cache/cgmask}
dir=$cache/checkpatch

fetch() {
	local deb tmp
	[ -x "$dir/scripts/checkpatch.pl" ] && return 0
	deb=$(find "$cache" -name 'linux-source-6.1_*.deb' 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		mkdir -p "$cache/debs"
		(cd "$cache/debs" && apt-get download -q linux-source-6.1 >&2) || return 1
		deb=$(find "$cache/debs" -name 'linux-source-6.1_*.deb' | head -n 1)
	fi
	tmp=$(mktemp -d "$cache/checkpatch.XXXXXX")
	dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/src/linux-source-6.1.tar.xz' |
		tar -xJ -C "$tmp" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch' || { rm -rf "$tmp"; return 1; }
	rm -rf "$dir"
	mv "$tmp" "$dir"
}

if ! fetch; then
	echo "not ok style: cannot fetch checkpatch.pl"
	echo "0 passed, 1 failed"
	exit 1
fi
passed=0 failed=0
cd "$top" || exit 1
for f in module/*.[ch] $(ls tests/kunit/*.[ch] 2>/dev/null); do
	# An out-of-tree module's compat layer must test LINUX_VERSION_CODE,
	# and its mask type's width varies by kernel version (coding-style 5b).
	ignore=
	[ "$f" = module/compat.h ] && ignore="--ignore LINUX_VERSION_CODE,NEW_TYPEDEFS"
	# shellcheck disable=SC2086
	if out=$(perl "$dir/scripts/checkpatch.pl" --no-tree --strict --terse \
		$ignore -f "$f" 2>&1) && ! grep -qE '(WARNING|ERROR|CHECK):' <<<"$out"; then
		passed=$((passed + 1))
		echo "ok checkpatch $f"
	else
		failed=$((failed + 1))
		echo "not ok checkpatch $f"
		sed 's/^/# /' <<<"$out"
	fi
done

# Every shell script of the project, tracked or new (not build products).
scripts=$( (git ls-files -co --exclude-standard 2>/dev/null || find . -type f) |
	while read -r f; do
		case $f in *.sh) echo "$f" ;; *)
			[ -f "$f" ] && head -c 64 "$f" | grep -qE '^#!.*\b(ba)?sh\b' && echo "$f" ;;
		esac
	done | sort -u)
for f in $scripts; do
	if out=$(shellcheck -S warning -x "$f" 2>&1); then
		passed=$((passed + 1))
		echo "ok shellcheck $f"
	else
		failed=$((failed + 1))
		echo "not ok shellcheck $f"
		sed 's/^/# /' <<<"$out" | head -n 30
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
