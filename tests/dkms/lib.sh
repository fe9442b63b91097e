# shellcheck shell=bash
# tests/dkms/lib.sh - the chroots of the DKMS and package tests, cached under
# $CGMASK_CACHE/dkms and never the harness's own chroots (kernel.sh's
# chroots/ are only read, under its shared lock):
#
#   base/CODENAME   debootstrap --variant=minbase of the host's release, with
#                   the host's apt sources for it (the mirror, -updates and
#                   -security as the host has them), nothing else
#   kernels/KVER    KVER's DKMS chroot: a copy of the harness's chroot of that
#                   kernel (5.10, 6.12, 7.2: headers extracted, its gcc), or
#                   base + linux-headers-KVER (6.1, the host's kernel); plus
#                   dkms, kmod and openssl, so that DKMS signs what it builds
#   build           base + debian/control's Build-Depends + lintian
#   debtest/KVER    base + linux-headers-KVER, with dkms, openssl and a second
#                   kernel's headers downloaded but not installed; each run
#                   copies it and throws the copy away
#
# Each is built in a temporary directory and renamed when complete, under an
# exclusive flock in $CGMASK_CACHE/dkms/locks. A cached chroot made by an
# older recipe (DKMS_RECIPE) is made again. kernels/ and debtest/ of
# releases nobody tests any more are removed when their successor is made.
# Source this file.

DKMS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DKMS_TOP=$(cd "$DKMS_LIB/../.." && pwd)
# shellcheck source=../vm/lib/common.sh
. "$DKMS_TOP/tests/vm/lib/common.sh"

DKMS_CACHE=$CGMASK_CACHE/dkms
# Bump when what the chroots hold changes: older caches are then rebuilt.
DKMS_RECIPE=3
DKMS_LOG=/dev/stderr
STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# What a package build needs besides debian/control's Build-Depends.
BUILD_CHROOT_PKGS=(build-essential debhelper dh-dkms lintian fakeroot)
# In every DKMS chroot: openssl lets dkms (3.x) make its MOK key and sign.
KERNEL_CHROOT_PKGS=(dkms kmod openssl)

# dkms_log FILE: where the setup steps below log.
dkms_log() { DKMS_LOG=$1; }

# droot ROOT [--bind DIR] [--timeout SECS] CMD...: run CMD chrooted in ROOT,
# with a clean environment, /proc and (if given) the host directory DIR at the
# same path, in private mount and pid namespaces: when CMD ends or the timeout
# (default 600 s) kills it, every process it started dies and every mount
# goes away.
droot() {
	local root=$1 bind="" t=600
	shift
	while :; do
		case $1 in
		--bind) bind=$2; shift 2 ;;
		--timeout) t=$2; shift 2 ;;
		*) break ;;
		esac
	done
	# shellcheck disable=SC2016
	timeout -k 10 "$t" unshare --mount --propagation private --pid --fork --kill-child -- \
		/bin/bash -ec '
		root=$1 bind=$2
		shift 2
		mount -t proc proc "$root/proc"
		if [ -n "$bind" ]; then
			mkdir -p "$root$bind"
			mount --rbind "$bind" "$root$bind"
		fi
		exec chroot "$root" /usr/bin/env -i PATH="'"$STD_PATH"'" HOME=/root \
			LANG=C.UTF-8 LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
	' droot "$root" "$bind" "$@"
}

# dapt ROOT ARGS...: apt-get in chroot ROOT.
dapt() {
	local root=$1
	shift
	droot "$root" --timeout 900 apt-get -q -y -o DPkg::Lock::Timeout=60 "$@"
}

# dlogged CMD...: run CMD with its output appended to $DKMS_LOG; on failure
# show the tail and fail.
dlogged() {
	printf '\n### %s: %s\n' "$(date '+%F %T')" "$*" >>"$DKMS_LOG"
	"$@" >>"$DKMS_LOG" 2>&1 || {
		local rc=$?
		tail -n 25 "$DKMS_LOG" >&2
		log "failed (rc=$rc): $*"
		return "$rc"
	}
}

# net_setup ROOT: apt configuration and DNS for chroot ROOT.
net_setup() {
	cat >"$1/etc/apt/apt.conf.d/99cgmask" <<'EOF'
APT::Install-Recommends "false";
APT::Sandbox::User "root";
Acquire::Retries "2";
Acquire::http::Timeout "30";
Acquire::Check-Valid-Until "false";
Dpkg::Use-Pty "0";
// A throwaway chroot: no fsync per file.
DPkg::Options { "--force-unsafe-io"; };
EOF
	rm -f "$1/etc/resolv.conf"
	[ ! -e /etc/resolv.conf ] || cp -L /etc/resolv.conf "$1/etc/resolv.conf"
}

# host_sources CODENAME: one-line apt sources for the host's release, each
# suite (CODENAME, -updates, -security) from the URI the host's own apt uses
# for it; a suite the host does not use is left out.
host_sources() {
	local suite uri
	for suite in "$1" "$1-updates" "$1-security"; do
		if [ "$suite" = "$1" ]; then
			uri=$(debian_mirror)
		else
			uri=$(_mirror_deb822 "$suite" | head -n 1)
			[ -n "$uri" ] || uri=$(_mirror_oneline "$suite" | head -n 1)
		fi
		[ -z "$uri" ] || printf 'deb %s %s main\n' "${uri%/}" "$suite"
	done
}

# tmpdir_for FINAL: set tmp to a fresh temporary directory next to FINAL,
# removed at exit unless renamed. Removes what an interrupted run left.
tmpdir_for() {
	local final=$1 old
	mkdir -p "$(dirname "$final")"
	for old in "$final".tmp.*; do
		[ ! -d "$old" ] || rm -rf --one-file-system "$old"
	done
	tmp=$(mktemp -d "$final.tmp.XXXXXX")
	cleanup_push rm -rf --one-file-system "$tmp"
	chmod 755 "$tmp"
}

# ready DIR: DIR is a complete cached chroot of the current recipe.
ready() { [ "$(cat "$1/.cgmask-dkms/recipe" 2>/dev/null)" = "$DKMS_RECIPE" ]; }

# finish_chroot TMP FINAL [NAME]: mark TMP complete (NAME: what it is for,
# read by prune) and rename it to FINAL.
finish_chroot() {
	local tmp=$1 final=$2
	mkdir -p "$tmp/.cgmask-dkms"
	echo "$DKMS_RECIPE" >"$tmp/.cgmask-dkms/recipe"
	echo "${3:-}" >"$tmp/.cgmask-dkms/name"
	[ ! -e "$final" ] || rm -rf --one-file-system "$final"
	mv -T "$tmp" "$final"
}

# prune KEEP: remove the other chroots next to KEEP made for the same NAME
# (an older kernel of the same release), unless a run is using them.
prune() {
	local keep=$1 name d lock
	name=$(cat "$keep/.cgmask-dkms/name" 2>/dev/null)
	[ -n "$name" ] || return 0
	for d in "$(dirname "$keep")"/*/; do
		d=${d%/}
		{ [ "$d" != "$keep" ] && [ "$(cat "$d/.cgmask-dkms/name" 2>/dev/null)" = "$name" ]; } ||
			continue
		lock=$DKMS_CACHE/locks/use-$(basename "$d").lock
		log "removing $d (superseded by $(basename "$keep"))"
		flock -n "$lock" rm -rf --one-file-system "$d" || true
	done
}

# ensure_base: base/CODENAME. Sets R to its path.
ensure_base() {
	local codename final tmp mirror
	codename=$(host_codename)
	final=$DKMS_CACHE/base/$codename
	ready "$final" && { R=$final; return 0; }
	lock_take -x "$DKMS_CACHE/locks/base.lock"
	if ! ready "$final"; then
		need_root "creating a chroot"
		host_pkgs_ensure debootstrap
		mirror=$(debian_mirror)
		tmpdir_for "$final"
		log "debootstrap --variant=minbase $codename from $mirror"
		dlogged timeout 1200 unshare --mount --propagation private -- \
			debootstrap --variant=minbase "$codename" "$tmp" "$mirror" || return 1
		host_sources "$codename" >"$tmp/etc/apt/sources.list"
		net_setup "$tmp"
		dlogged dapt "$tmp" update || return 1
		finish_chroot "$tmp" "$final"
	fi
	lock_drop "$DKMS_CACHE/locks/base.lock"
	R=$final
}

# copy_base TMP: fill the empty directory TMP with a copy of base/CODENAME,
# its package lists refreshed (the archive moves on after base was made).
copy_base() {
	ensure_base || return 1
	lock_take -s "$DKMS_CACHE/locks/base.lock"
	cp -a --reflink=auto "$R/." "$1/"
	lock_drop "$DKMS_CACHE/locks/base.lock"
	rm -rf "$1/.cgmask-dkms"
	net_setup "$1"
	dlogged dapt "$1" update
}

# ensure_kernel_chroot NAME KVER ENV: kernels/KVER, the DKMS chroot of matrix
# kernel NAME (ENV as kernel.sh prepare prints it). Sets R to its path.
ensure_kernel_chroot() {
	local name=$1 kver=$2 env=$3 final=$DKMS_CACHE/kernels/$2 tmp src
	ready "$final" && { R=$final; return 0; }
	lock_take -x "$DKMS_CACHE/locks/kernel-$kver.lock"
	if ! ready "$final"; then
		need_root "creating a chroot"
		tmpdir_for "$final"
		case $env in
		chroot:*)
			src=${env#chroot:}
			log "$name: copying $src"
			# Under the harness's shared lock: nobody replaces it meanwhile.
			flock -s -w 900 "$CGMASK_CACHE/locks/$name.lock" \
				cp -a --reflink=auto "$src/." "$tmp/" || return 1
			rm -rf "$tmp/.cgmask"
			net_setup "$tmp"
			dlogged dapt "$tmp" update || return 1
			;;
		host)
			copy_base "$tmp" || return 1
			# gcc, libc6-dev: make install builds the reader too.
			log "$name: installing linux-headers-$kver gcc libc6-dev"
			dlogged dapt "$tmp" install "linux-headers-$kver" gcc libc6-dev || return 1
			;;
		*) die "unknown ENV $env" ;;
		esac
		log "$name: installing ${KERNEL_CHROOT_PKGS[*]}"
		dlogged dapt "$tmp" install "${KERNEL_CHROOT_PKGS[@]}" || return 1
		dlogged dapt "$tmp" clean || return 1
		[ -d "$tmp/lib/modules/$kver/build/" ] ||
			ln -sfn "/usr/src/linux-headers-$kver" "$tmp/lib/modules/$kver/build"
		sign_setup "$tmp"
		finish_chroot "$tmp" "$final" "kernel-$name"
		prune "$final"
	fi
	lock_drop "$DKMS_CACHE/locks/kernel-$kver.lock"
	R=$final
}

# dkms_signs_itself ROOT: ROOT's dkms makes its own MOK key and signs with it
# (3.x: mok_signing_key, default /var/lib/dkms/mok.key).
dkms_signs_itself() {
	grep -q mok_signing_key "$1/usr/sbin/dkms" "$1/usr/bin/dkms" 2>/dev/null
}

# sign_setup ROOT: on a dkms that does not sign by itself (2.8), the recipe
# of docs/dkms.md: a MOK key in /root and sign_tool in framework.conf.
sign_setup() {
	local root=$1
	dkms_signs_itself "$root" && return 0
	log "dkms signs nothing by itself here: /root/mok.priv and sign_tool"
	dlogged droot "$root" openssl req -new -x509 -nodes -days 36500 \
		-subj "/CN=cgmask test MOK" -newkey rsa:2048 \
		-keyout /root/mok.priv -outform DER -out /root/mok.der || return 1
	echo 'sign_tool="/etc/dkms/sign_helper.sh"' >>"$root/etc/dkms/framework.conf"
}

# mok_cert ROOT: the certificate (DER) whose key ROOT's dkms signs with.
mok_cert() {
	if dkms_signs_itself "$1"; then
		echo /var/lib/dkms/mok.pub
	else
		echo /root/mok.der
	fi
}

# ensure_build_chroot: the package build chroot. Sets R to its path.
ensure_build_chroot() {
	local final=$DKMS_CACHE/build tmp
	ready "$final" && { R=$final; return 0; }
	lock_take -x "$DKMS_CACHE/locks/build.lock"
	if ! ready "$final"; then
		need_root "creating a chroot"
		tmpdir_for "$final"
		copy_base "$tmp" || return 1
		log "build chroot: installing ${BUILD_CHROOT_PKGS[*]}"
		dlogged dapt "$tmp" install "${BUILD_CHROOT_PKGS[@]}" || return 1
		dlogged dapt "$tmp" clean || return 1
		finish_chroot "$tmp" "$final"
	fi
	lock_drop "$DKMS_CACHE/locks/build.lock"
	R=$final
}

# ensure_debtest_chroot KVER PKG...: debtest/KVER with linux-headers-KVER
# installed and PKG... downloaded into apt's cache. Sets R to its path.
ensure_debtest_chroot() {
	local kver=$1 final=$DKMS_CACHE/debtest/$1 tmp
	shift
	ready "$final" && { R=$final; return 0; }
	lock_take -x "$DKMS_CACHE/locks/debtest-$kver.lock"
	if ! ready "$final"; then
		need_root "creating a chroot"
		tmpdir_for "$final"
		copy_base "$tmp" || return 1
		log "package test chroot: linux-headers-$kver, downloading $*"
		dlogged dapt "$tmp" install "linux-headers-$kver" || return 1
		dlogged dapt "$tmp" install --download-only "$@" || return 1
		finish_chroot "$tmp" "$final" debtest
		prune "$final"
	fi
	lock_drop "$DKMS_CACHE/locks/debtest-$kver.lock"
	R=$final
}
