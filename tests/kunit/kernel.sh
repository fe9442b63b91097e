#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The cgmask KUnit kernel: Debian's linux-source-6.1, tinyconfig plus
# tests/kunit/kunit.config (KUnit, KASAN, lockdep, kmemleak, every cgroup
# controller), built in place in the cache.
#
#   kernel.sh prepare
#       Build the kernel unless the cache has it. Prints, and nothing else
#       on stdout:  KVER=...  VMLINUZ=...  ENV=host  KDIR=...
#   kernel.sh build SRC_DIR OUT_DIR [MAKE_ARGS...]
#       Build the out-of-tree module(s) of SRC_DIR (which has a top-level
#       Kbuild) against the prepared tree, in a scratch copy of SRC_DIR.
#       Copies every *.ko (keeping relative paths) and build.log to OUT_DIR.
#       MAKE_ARGS go to make, e.g. KCFLAGS=-DCGMASK_KUNIT_SELFTEST_FAIL.
#
# Cache: ${CGMASK_CACHE:-/var/cache/cgmask}/kunit/<linux-source version>-
# <sha of kunit.config>/, holding linux-source-6.1/ (the built tree), the
# source .deb under kunit/debs/, and the stamp "complete", written last.
# The module signing key is the tree's own: the kernel build generates
# linux-source-6.1/certs/signing_key.pem (private key and certificate,
# O=cgmask in certs/x509.genkey, which build_tree writes) and
# builds its certificate in; tests/kunit/lockdown.sh signs with it. It
# lives and dies with the cached tree and is never copied anywhere else.
# The tree is never moved: kbuild bakes absolute paths into it, so a tree
# restored under another path rebuilds from scratch. A tree without the
# stamp is resumed (make is incremental); one whose extraction did not
# finish is deleted and extracted again.
#
# Environment: CGMASK_CACHE; CGMASK_KUNIT_SOURCE_VERSION pins the
# linux-source-6.1 version (default: apt's candidate, else the newest in
# the cache); CGMASK_JOBS (default: nproc).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CGMASK_PROG=kunit/kernel.sh
# shellcheck source=../vm/lib/common.sh
. "$here/../vm/lib/common.sh"

SRC_PKG=linux-source-6.1
FRAGMENT=$here/kunit.config
KUNIT_CACHE=$CGMASK_CACHE/kunit
JOBS=${CGMASK_JOBS:-$(nproc)}
HOST_PKGS=(make gcc flex bison bc libelf-dev libssl-dev openssl cpio
	xz-utils python3)

usage() {
	sed -n '4,16s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

# The linux-source-6.1 version to use.
source_version() {
	local v
	if [ -n "${CGMASK_KUNIT_SOURCE_VERSION:-}" ]; then
		printf '%s\n' "$CGMASK_KUNIT_SOURCE_VERSION"
		return
	fi
	v=$(apt-cache policy "$SRC_PKG" 2>/dev/null |
		awk '$1 == "Candidate:" { print $2 }')
	if [ -n "$v" ] && [ "$v" != "(none)" ]; then
		printf '%s\n' "$v"
		return
	fi
	# No apt lists: fall back to the newest .deb already in the cache.
	v=$(find "$KUNIT_CACHE/debs" -name "${SRC_PKG}_*_all.deb" 2>/dev/null |
		sed 's/.*_\(.*\)_all\.deb$/\1/' | sort -V | tail -n 1)
	[ -n "$v" ] || die "cannot tell which $SRC_PKG to use: no apt candidate and nothing cached (set CGMASK_KUNIT_SOURCE_VERSION)"
	printf '%s\n' "$v"
}

fragment_sha() { sha256sum "$FRAGMENT" | cut -c1-12; }

# fetch_deb VERSION: set DEB to the cached linux-source .deb, downloading it.
fetch_deb() {
	local ver=$1 dir=$KUNIT_CACHE/debs deb tmp
	deb=$dir/${SRC_PKG}_${ver}_all.deb
	DEB=$deb
	if [ ! -s "$deb" ]; then
		mkdir -p "$dir"
		tmp=$(mktemp -d "$dir/.dl.XXXXXX")
		cleanup_push rm -rf "$tmp"
		# _apt must be able to write here, or apt warns about sandboxing.
		chmod 0777 "$tmp"
		log "downloading $SRC_PKG=$ver"
		(cd "$tmp" && apt-get -q download "$SRC_PKG=$ver" >&2) ||
			die "apt-get download $SRC_PKG=$ver failed"
		mv "$tmp/${SRC_PKG}_${ver}_all.deb" "$deb" ||
			die "apt-get download did not produce ${SRC_PKG}_${ver}_all.deb"
	fi
}

# The fragment's lines that must appear verbatim in the final .config.
fragment_lines() {
	grep -E '^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$' "$FRAGMENT"
}

# check_config TREE: every fragment symbol took effect, else die naming them.
check_config() {
	local tree=$1 line sym got
	local -a bad=()
	while IFS= read -r line; do
		grep -qxF -- "$line" "$tree/.config" && continue
		sym=${line#\# }
		sym=${sym%%[= ]*}
		got=$(grep -E "^(${sym}=|# ${sym} is not set)" "$tree/.config" || true)
		bad+=("$sym (wanted '$line', got '${got:-absent}')")
	done < <(fragment_lines)
	if [ "${#bad[@]}" -gt 0 ]; then
		printf '%s: error: olddefconfig dropped or changed %d fragment symbol(s):\n' \
			"$CGMASK_PROG" "${#bad[@]}" >&2
		printf '  %s\n' "${bad[@]}" >&2
		exit 1
	fi
}

# write_genkey FILE: the openssl request the kernel build uses to generate
# certs/signing_key.pem when CONFIG_MODULE_SIG_KEY is left at its default
# (certs/Makefile copies default_x509.genkey only when FILE is missing).
# Written once: a newer FILE would make make generate a new key.
write_genkey() {
	[ -e "$1" ] && return 0
	cat >"$1" <<-'EOF'
		[ req ]
		default_bits = 4096
		distinguished_name = req_distinguished_name
		prompt = no
		string_mask = utf8only
		x509_extensions = myexts

		[ req_distinguished_name ]
		O = cgmask
		CN = cgmask KUnit kernel module signing key

		[ myexts ]
		basicConstraints=critical,CA:FALSE
		keyUsage=digitalSignature
		subjectKeyIdentifier=hash
		authorityKeyIdentifier=keyid
	EOF
}

# build_tree KEYDIR VERSION: extract, configure and build, in place.
build_tree() {
	local key=$1 ver=$2 tree=$1/$SRC_PKG deb t0
	t0=$(date +%s)
	if [ ! -e "$key/extracted" ]; then
		fetch_deb "$ver"
		deb=$DEB
		rm -rf "$tree"
		mkdir -p "$key"
		log "extracting $SRC_PKG $ver into $key"
		dpkg-deb --fsys-tarfile "$deb" |
			tar -xO "./usr/src/$SRC_PKG.tar.xz" |
			xz -dc -T0 | tar -x -C "$key" ||
			die "cannot extract $deb"
		[ -f "$tree/Makefile" ] || die "$deb did not contain $SRC_PKG/"
		: >"$key/extracted"
	fi
	write_genkey "$tree/certs/x509.genkey"
	log "configuring: tinyconfig + $(basename "$FRAGMENT")"
	{
		make -C "$tree" -s tinyconfig &&
			(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$FRAGMENT") &&
			make -C "$tree" -s olddefconfig
	} >"$key/config.log" 2>&1 || {
		tail -n 20 "$key/config.log" >&2
		die "configuring the tree failed (see $key/config.log)"
	}
	check_config "$tree"
	log "building bzImage and modules with -j$JOBS (about 6-8 min on 2 cores; log: $key/build.log)"
	if ! make -C "$tree" -j"$JOBS" bzImage modules >"$key/build.log" 2>&1; then
		tail -n 30 "$key/build.log" >&2
		die "kernel build failed (see $key/build.log)"
	fi
	cp "$tree/.config" "$key/config.final"
	make -C "$tree" -s kernelrelease >"$key/kernelrelease"
	log "kernel built in $(($(date +%s) - t0)) s"
	# Written last: only now is the tree trusted.
	{
		echo "source=$SRC_PKG $ver"
		echo "fragment=$(fragment_sha)"
		echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >"$key/complete.tmp"
	sync -f "$key/complete.tmp" 2>/dev/null || true
	mv "$key/complete.tmp" "$key/complete"
}

# Set KEY to the dir of a complete tree, building it when needed.
ensure_tree() {
	local ver key
	ver=$(source_version)
	key=$KUNIT_CACHE/$ver-$(fragment_sha)
	if [ ! -e "$key/complete" ]; then
		host_pkgs_ensure "${HOST_PKGS[@]}"
		lock_take -x "$KUNIT_CACHE/locks/$(basename "$key").lock"
		# Someone else may have finished it while we waited.
		[ -e "$key/complete" ] || build_tree "$key" "$ver"
		lock_drop "$KUNIT_CACHE/locks/$(basename "$key").lock"
	fi
	[ -f "$key/$SRC_PKG/arch/x86/boot/bzImage" ] && [ -f "$key/$SRC_PKG/Module.symvers" ] ||
		die "$key is stamped complete but has no bzImage or Module.symvers; delete it"
	KEY=$key
}

cmd_prepare() {
	local key
	[ $# -eq 0 ] || usage
	ensure_tree
	key=$KEY
	printf 'KVER=%s\n' "$(cat "$key/kernelrelease")"
	printf 'VMLINUZ=%s\n' "$key/$SRC_PKG/arch/x86/boot/bzImage"
	printf 'ENV=host\n'
	printf 'KDIR=%s\n' "$key/$SRC_PKG"
}

cmd_build() {
	local src out key kdir scratch rc ko n=0
	[ $# -ge 2 ] || usage
	src=$(cd "$1" && pwd) || die "no such directory: $1"
	out=$2
	shift 2
	[ -f "$src/Kbuild" ] || die "$src has no top-level Kbuild"
	ensure_tree
	key=$KEY
	kdir=$key/$SRC_PKG
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/cgmask-kunit-build.XXXXXX")
	cleanup_push rm -rf "$scratch"
	# A clean copy: no git metadata, no objects of earlier builds, no test
	# output (build/ holds other suites' logs and chroots, still changing).
	tar -C "$src" --exclude=./build --exclude=./tools/build --exclude=.git \
		--exclude='*.o' --exclude='*.ko' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
		--exclude=Module.symvers --exclude=modules.order -cf - . |
		tar -C "$scratch" -xf -
	log "building $src against $kdir${*:+ ($*)}"
	rc=0
	make -C "$kdir" M="$scratch" -j"$JOBS" "$@" modules >"$out/build.log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 30 "$out/build.log" >&2
		die "module build failed (see $out/build.log)"
	fi
	while IFS= read -r ko; do
		mkdir -p "$out/$(dirname "$ko")"
		cp "$scratch/$ko" "$out/$ko"
		n=$((n + 1))
	done < <(cd "$scratch" && find . -name '*.ko' -printf '%P\n')
	[ "$n" -gt 0 ] || die "the build produced no .ko (see $out/build.log)"
	log "copied $n module(s) to $out"
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case $cmd in
prepare) cmd_prepare "$@" ;;
build) cmd_build "$@" ;;
-h | --help | help) usage ;;
*) usage ;;
esac
