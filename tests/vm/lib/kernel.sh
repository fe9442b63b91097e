#!/bin/bash
# kernel.sh - real Debian kernels for the cgmask VM tests: a bootable vmlinuz
# and a module build environment with that kernel's own headers and gcc.
#
#   kernel.sh prepare NAME
#   kernel.sh build NAME SRC_DIR OUT_DIR [MAKE_ARGS...]
#   kernel.sh run [--bind HOSTDIR] NAME CMD...
#
# NAME is a matrix label: 5.10 (bullseye chroot), 6.1 (host, bookworm),
# 6.12 (trixie chroot), 7.2 (sid chroot; "whatever sid ships now").
# Everything is cached under $CGMASK_CACHE (default /var/cache/cgmask).
# See tests/vm/README.md for the cache layout and the environment variables.
set -euo pipefail
shopt -s inherit_errexit

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

RESOLVE_TTL=${CGMASK_RESOLVE_TTL:-21600}
OFFLINE=${CGMASK_OFFLINE:-0}
STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# Installed in every chroot, on top of what the headers package depends on.
CHROOT_BASE_PKGS=(make sparse)
# Needed on the host for the host (6.1) kernel.
HOST_BUILD_PKGS=(linux-headers-amd64 gcc make sparse kmod)

# Set by prepare_label: the label's resolved kernel.
NAME="" SUITE="" KVER="" VMLINUZ="" CHROOT="" KDIR="" RESOLVED_AT=0
PREP_LOG=/dev/null

usage() {
	cat >&2 <<'EOF'
usage: kernel.sh prepare NAME
       kernel.sh build NAME SRC_DIR OUT_DIR [MAKE_ARGS...]
       kernel.sh run [--bind HOSTDIR] NAME CMD...
NAME: 5.10 | 6.1 | 6.12 | 7.2
EOF
	exit 2
}

# ---------------------------------------------------------------- labels

set_label() {
	NAME=$1
	case $NAME in
	5.10) SUITE=bullseye ;;
	6.1) SUITE=host ;;
	6.12) SUITE=trixie ;;
	7.2) SUITE=sid ;;
	*) die "unknown kernel name '$NAME' (known: 5.10 6.1 6.12 7.2)" ;;
	esac
	PREP_LOG=$CGMASK_CACHE/logs/$NAME.log
}

label_env_file() { printf '%s\n' "$CGMASK_CACHE/labels/$NAME.env"; }
label_lock() { printf '%s\n' "$CGMASK_CACHE/locks/$NAME.lock"; }

load_label_env() {
	local f k v
	f=$(label_env_file)
	KVER="" VMLINUZ="" CHROOT="" RESOLVED_AT=0
	[ -f "$f" ] || return 0
	while IFS='=' read -r k v; do
		case $k in
		KVER) KVER=$v ;;
		VMLINUZ) VMLINUZ=$v ;;
		CHROOT) CHROOT=$v ;;
		RESOLVED_AT) RESOLVED_AT=$v ;;
		esac
	done <"$f"
	KDIR=/usr/src/linux-headers-$KVER
}

write_label_env() {
	local f
	f=$(label_env_file)
	mkdir -p "$(dirname "$f")"
	printf 'KVER=%s\nVMLINUZ=%s\nCHROOT=%s\nRESOLVED_AT=%s\n' \
		"$KVER" "$VMLINUZ" "$CHROOT" "$RESOLVED_AT" >"$f.tmp.$$"
	mv -f "$f.tmp.$$" "$f"
}

# label_valid: the loaded label points at a complete kernel.
label_valid() {
	[ -n "$KVER" ] && [ -s "$VMLINUZ" ] || return 1
	if [ -z "$CHROOT" ]; then
		[ -d "$KDIR" ]
	else
		[ -f "$CHROOT/.cgmask/kver" ] &&
			[ "$(cat "$CHROOT/.cgmask/kver")" = "$KVER" ] &&
			[ -d "$CHROOT$KDIR" ]
	fi
}

label_fresh() { [ $(($(date +%s) - RESOLVED_AT)) -lt "$RESOLVE_TTL" ]; }

print_env() {
	printf 'KVER=%s\n' "$KVER"
	printf 'VMLINUZ=%s\n' "$VMLINUZ"
	if [ -z "$CHROOT" ]; then
		printf 'ENV=host\n'
	else
		printf 'ENV=chroot:%s\n' "$CHROOT"
	fi
	printf 'KDIR=%s\n' "$KDIR"
	printf 'SUITE=%s\n' "$SUITE"
}

# ---------------------------------------------------------------- running things

# logged CMD...: run CMD with its output appended to the prepare log.
logged() {
	mkdir -p "$(dirname "$PREP_LOG")"
	printf '\n### %s: %s\n' "$(date '+%F %T')" "$*" >>"$PREP_LOG"
	"$@" >>"$PREP_LOG" 2>&1 || {
		local rc=$?
		tail -n 30 "$PREP_LOG" >&2
		die "failed (rc=$rc): $* (full log: $PREP_LOG)"
	}
}

# in_chroot ROOT BINDDIR WORKDIR [VAR=VALUE...] CMD...: run CMD chrooted in
# ROOT with a clean environment (only the VAR=VALUE given), in a private mount
# namespace holding /proc and, if BINDDIR is not empty, the host directory
# BINDDIR bound at the same path. The namespace dies with CMD, so these
# mounts never outlive it and are never visible on the host, even on SIGKILL.
in_chroot() {
	need_root "running commands in a chroot"
	local root=$1 bind=$2 wd=$3
	shift 3
	# shellcheck disable=SC2016
	unshare --mount --propagation private -- /bin/bash -ec '
		root=$1 bind=$2 wd=$3
		shift 3
		mount -t proc proc "$root/proc"
		if [ -n "$bind" ]; then
			mkdir -p "$root$bind"
			mount --rbind "$bind" "$root$bind"
		fi
		exec chroot "$root" /usr/bin/env -i -C "$wd" "$@"
	' in_chroot "$root" "$bind" "$wd" "$@"
}

chroot_cmd() {
	local root=$1
	shift
	in_chroot "$root" "" / PATH="$STD_PATH" HOME=/root LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

chroot_apt() {
	local root=$1
	shift
	chroot_cmd "$root" apt-get -q -y "$@"
}

# env_cmd ROOT CMD...: run CMD in chroot ROOT, or on the host if ROOT is empty.
env_cmd() {
	local root=$1
	shift
	if [ -z "$root" ]; then
		"$@"
	else
		chroot_cmd "$root" "$@"
	fi
}

# ---------------------------------------------------------------- apt queries

# pkg_deps ROOT PKG: names in PKG's Depends and Pre-Depends (first alternative).
pkg_deps() {
	local info
	info=$(env_cmd "$1" apt-cache show --no-all-versions "$2" 2>/dev/null) || return 1
	awk '/^(Pre-)?Depends:/ {
		sub(/^[^:]*:[ \t]*/, "")
		n = split($0, a, /,[ \t]*/)
		for (i = 1; i <= n; i++) {
			d = a[i]
			sub(/[ \t]*\|.*/, "", d); sub(/[ \t]*\(.*/, "", d); sub(/:any$/, "", d)
			if (d != "") print d
		}
	}' <<<"$info"
}

pkg_exists() { env_cmd "$1" apt-cache show --no-all-versions "$2" >/dev/null 2>&1; }

# resolve_kver ROOT: the kernel release linux-headers-amd64 currently points to.
resolve_kver() {
	local deps kver
	deps=$(pkg_deps "$1" linux-headers-amd64) || return 1
	kver=$(awk '/^linux-headers-/ { sub(/^linux-headers-/, ""); print; exit }' <<<"$deps")
	[[ $kver =~ ^[0-9][A-Za-z0-9.+~_-]*$ ]] || return 1
	printf '%s\n' "$kver"
}

# host_kver: the release of the host's installed linux-headers-amd64.
host_kver() {
	local deps kver
	deps=$(dpkg-query -W -f='${Depends}\n' linux-headers-amd64) || return 1
	kver=$(awk 'match($0, /linux-headers-[^ ,(]+/) {
		print substr($0, RSTART + 14, RLENGTH - 14); exit }' <<<"$deps")
	[[ $kver =~ ^[0-9][A-Za-z0-9.+~_-]*$ ]] || return 1
	printf '%s\n' "$kver"
}

# deb_path DIR PKG: the cached deb of PKG in DIR, if any.
deb_path() {
	local f
	for f in "$1/$2"_*.deb; do
		[ -f "$f" ] && printf '%s\n' "$f" && return 0
	done
	return 1
}

# download_debs ROOT DIR PKG...: make DIR hold a deb of each PKG, downloading
# the missing ones with apt-get download in chroot ROOT (or on the host).
download_debs() {
	local root=$1 dir=$2 tmp p f
	shift 2
	local -a want=()
	for p in "$@"; do
		deb_path "$dir" "$p" >/dev/null || want+=("$p")
	done
	[ "${#want[@]}" -gt 0 ] || return 0
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/.dl.XXXXXX")
	cleanup_push rm -rf "$tmp"
	log "downloading ${want[*]}"
	if [ -z "$root" ]; then
		host_download "$tmp" "${want[@]}"
	else
		logged in_chroot "$root" "$tmp" "$tmp" PATH="$STD_PATH" HOME=/root \
			apt-get -q download "${want[@]}"
	fi
	for f in "$tmp"/*.deb; do
		[ -f "$f" ] && mv -f "$f" "$dir/"
	done
	rm -rf "$tmp"
	for p in "${want[@]}"; do
		deb_path "$dir" "$p" >/dev/null || die "apt-get download gave no deb for $p"
	done
}

host_download() {
	local dir=$1
	shift
	if ! (cd "$dir" && apt-get -q -o APT::Sandbox::User=root download "$@") >>"$PREP_LOG" 2>&1; then
		need_root "updating the host's apt lists"
		log "host apt-get download failed; running apt-get update and retrying"
		lock_take -x "$CGMASK_CACHE/locks/host-apt.lock"
		logged host_apt -o Acquire::Check-Valid-Until=false update
		lock_drop "$CGMASK_CACHE/locks/host-apt.lock"
		(cd "$dir" && apt-get -q -o APT::Sandbox::User=root download "$@") >>"$PREP_LOG" 2>&1 ||
			die "apt-get download $* failed on the host (see $PREP_LOG)"
	fi
}

# ---------------------------------------------------------------- vmlinuz

# vmlinuz_pkg ROOT KVER: the package that ships KVER's vmlinuz: the unsigned
# image if there is one, else the image; if the image is split (sid), its
# linux-binary-* dependency.
vmlinuz_pkg() {
	local root=$1 img="linux-image-$2" deps bin
	if pkg_exists "$root" "$img-unsigned"; then
		img+=-unsigned
	fi
	deps=$(pkg_deps "$root" "$img") || return 1
	bin=$(awk '/^linux-binary-/ { print; exit }' <<<"$deps")
	printf '%s\n' "${bin:-$img}"
}

# extract_vmlinuz DEB OUT: copy the vmlinuz inside DEB (./boot/vmlinuz-* or
# ./usr/lib/modules/*/vmlinuz) to OUT, in one pass over the data.
extract_vmlinuz() {
	local deb=$1 out=$2 tmp found magic
	tmp=$(mktemp -d "$(dirname "$out")/.x.XXXXXX")
	cleanup_push rm -rf "$tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -x --wildcards -C "$tmp" '*vmlinuz*' ||
		die "no vmlinuz in $deb"
	found=$(find "$tmp" -type f \( -name vmlinuz -o -name 'vmlinuz-*' \) -print -quit)
	[ -n "$found" ] || die "no vmlinuz in $deb"
	magic=$(dd if="$found" bs=1 skip=514 count=4 2>/dev/null)
	[ "$magic" = HdrS ] || die "${found#"$tmp"} in $deb is not a bzImage"
	mv -f "$found" "$out"
	rm -rf "$tmp"
}

# ensure_vmlinuz ROOT KVER: cache KVER's vmlinuz; sets VMLINUZ.
ensure_vmlinuz() {
	local root=$1 kver=$2 kdir pkg deb
	kdir=$CGMASK_CACHE/kernels/$kver
	VMLINUZ=$kdir/vmlinuz
	[ -s "$VMLINUZ" ] && return 0
	pkg=$(vmlinuz_pkg "$root" "$kver") || die "cannot find the image package of $kver in apt"
	download_debs "$root" "$kdir/debs" "$pkg"
	deb=$(deb_path "$kdir/debs" "$pkg")
	extract_vmlinuz "$deb" "$VMLINUZ"
	log "$kver: vmlinuz from $(basename "$deb")"
}

# ---------------------------------------------------------------- chroots

# check_compiler ROOT KVER: the gcc named by the headers' .kernelvariables exists.
check_compiler() {
	local root=$1 kver=$2 kv cc
	kv=$root/usr/src/linux-headers-$kver/.kernelvariables
	[ -f "$kv" ] || { warn "$kver: no .kernelvariables; cannot check the compiler"; return 0; }
	cc=$(awk 'match($0, /gcc-[0-9]+/) { print substr($0, RSTART, RLENGTH); exit }' "$kv")
	[ -n "$cc" ] || { warn "$kver: no gcc-N in $kv"; return 0; }
	# shellcheck disable=SC2016
	env_cmd "$root" sh -c 'command -v "$1" || command -v "x86_64-linux-gnu-$1"' sh "$cc" \
		>/dev/null || die "$kver: the headers want $cc, which is not installed${root:+ in $root}"
}

# chroot_net_setup ROOT: before talking to the archive from chroot ROOT.
chroot_net_setup() {
	local root=$1
	chroot_apt_config "$root"
	rm -f "$root/etc/resolv.conf"
	if [ -e /etc/resolv.conf ]; then
		cp -L /etc/resolv.conf "$root/etc/resolv.conf"
	fi
}

chroot_apt_config() {
	cat >"$1/etc/apt/apt.conf.d/99cgmask" <<'EOF'
APT::Install-Recommends "false";
APT::Sandbox::User "root";
Acquire::Retries "2";
Acquire::http::Timeout "30";
// The mirror may be a frozen snapshot: sid's InRelease then looks expired.
// Signatures are still checked.
Acquire::Check-Valid-Until "false";
Dpkg::Use-Pty "0";
EOF
}

# extract_deb_into ROOT DEB: unpack DEB's files into chroot ROOT without
# installing it. --keep-directory-symlink keeps /lib -> usr/lib (merged /usr).
extract_deb_into() {
	local root=$1 deb=$2
	# shellcheck disable=SC2016
	logged in_chroot "$root" "$(dirname "$deb")" / PATH="$STD_PATH" \
		bash -o pipefail -c 'dpkg-deb --fsys-tarfile "$1" | tar -x --keep-directory-symlink -C /' \
		bash "$deb"
}

# setup_kernel ROOT KVER: headers, kbuild and compiler of KVER in chroot ROOT.
# Walks the Depends of linux-headers-KVER: kernel packages (headers, kbuild,
# base) are downloaded, kept in the cache and extracted; anything else (the
# gcc, pahole, libraries kbuild links to) is apt-get installed; image and
# module packages are skipped.
setup_kernel() {
	local root=$1 kver=$2 p deps_s debs
	local -a queue=("linux-headers-$kver") extract=() install=() deps=()
	local -A seen=()
	while [ "${#queue[@]}" -gt 0 ]; do
		p=${queue[0]}
		queue=("${queue[@]:1}")
		{ [ -n "$p" ] && [ -z "${seen[$p]:-}" ]; } || continue
		seen[$p]=1
		case $p in
		linux-image-* | linux-binary-* | linux-modules-* | linux-signed-* | linux-base | linux-doc*) ;;
		linux-headers-* | linux-kbuild-* | linux-base-*)
			extract+=("$p")
			deps_s=$(pkg_deps "$root" "$p") || die "$kver: apt-cache show $p failed"
			mapfile -t deps <<<"$deps_s"
			queue+=("${deps[@]}")
			;;
		*) install+=("$p") ;;
		esac
	done
	log "$kver: installing ${CHROOT_BASE_PKGS[*]} ${install[*]}"
	logged chroot_apt "$root" install "${CHROOT_BASE_PKGS[@]}" "${install[@]}"
	logged chroot_apt "$root" clean
	debs=$CGMASK_CACHE/kernels/$kver/debs
	download_debs "$root" "$debs" "${extract[@]}"
	log "$kver: extracting ${extract[*]}"
	for p in "${extract[@]}"; do
		extract_deb_into "$root" "$(deb_path "$debs" "$p")"
	done
	[ -f "$root/usr/src/linux-headers-$kver/Makefile" ] ||
		die "$kver: no /usr/src/linux-headers-$kver/Makefile after extraction"
	[ -d "$root/usr/src/linux-headers-$kver/scripts/" ] ||
		die "$kver: the headers' scripts/ link does not resolve"
	check_compiler "$root" "$kver"
}

suite_of() { cat "$1/.cgmask/suite" 2>/dev/null || true; }

# newest_chroot SUITE: the most recent complete chroot of SUITE, if any.
newest_chroot() {
	local d best=""
	for d in "$CGMASK_CACHE"/chroots/*/; do
		d=${d%/}
		{ [ -f "$d/.cgmask/kver" ] && [ "$(suite_of "$d")" = "$1" ]; } || continue
		if [ -z "$best" ] || [ "$d/.cgmask/kver" -nt "$best/.cgmask/kver" ]; then
			best=$d
		fi
	done
	printf '%s\n' "$best"
}

# create_chroot SUITE: debootstrap a fresh minbase chroot into a temp dir, set
# it up for the kernel the suite ships now and rename it to chroots/KVER only
# when complete. Sets CHROOT and KVER.
create_chroot() {
	local suite=$1 mirror tmp kver final t0=$SECONDS
	need_root "creating a chroot"
	host_pkgs_ensure debootstrap
	mirror=$(debian_mirror)
	mkdir -p "$CGMASK_CACHE/chroots"
	for tmp in "$CGMASK_CACHE/chroots/.tmp-$suite".*; do
		[ -e "$tmp" ] || continue
		log "removing the unfinished chroot $tmp"
		rm -rf --one-file-system "$tmp"
	done
	tmp=$(mktemp -d "$CGMASK_CACHE/chroots/.tmp-$suite.XXXXXX")
	cleanup_push rm -rf --one-file-system "$tmp"
	chmod 755 "$tmp"
	log "debootstrap --variant=minbase $suite from $mirror"
	logged unshare --mount --propagation private -- \
		debootstrap --variant=minbase "$suite" "$tmp" "$mirror"
	mkdir -p "$tmp/.cgmask"
	printf '%s\n' "$suite" >"$tmp/.cgmask/suite"
	chroot_net_setup "$tmp"
	logged chroot_apt "$tmp" update
	kver=$(resolve_kver "$tmp") || die "cannot resolve linux-headers-amd64 in $suite"
	log "$suite ships $kver"
	setup_kernel "$tmp" "$kver"
	ensure_vmlinuz "$tmp" "$kver"
	printf '%s\n' "$kver" >"$tmp/.cgmask/kver"
	final=$CGMASK_CACHE/chroots/$kver
	[ ! -e "$final" ] || rm -rf --one-file-system "$final"
	mv -T "$tmp" "$final"
	CHROOT=$final KVER=$kver
	log "$suite chroot ready: $final ($((SECONDS - t0)) s)"
}

# prune_chroots SUITE KEEP: remove the other chroots (and kernels) of SUITE.
prune_chroots() {
	local d old
	for d in "$CGMASK_CACHE"/chroots/*/; do
		d=${d%/}
		{ [ "$d" != "$2" ] && [ "$(suite_of "$d")" = "$1" ]; } || continue
		old=$(cat "$d/.cgmask/kver" 2>/dev/null || true)
		log "removing the superseded $1 chroot $d"
		rm -rf --one-file-system "$d"
		[ -z "$old" ] || rm -rf "$CGMASK_CACHE/kernels/$old"
	done
}

# refresh_chroot_label: (exclusive lock held) resolve the suite's current
# kernel and make sure its chroot and vmlinuz exist. Sets KVER CHROOT VMLINUZ.
refresh_chroot_label() {
	local prev kver=""
	prev=$(newest_chroot "$SUITE")
	if [ -n "$prev" ]; then
		chroot_net_setup "$prev"
		if chroot_apt "$prev" update >>"$PREP_LOG" 2>&1; then
			kver=$(resolve_kver "$prev") || die "cannot resolve linux-headers-amd64 in $prev"
		else
			kver=$(cat "$prev/.cgmask/kver")
			[ -s "$CGMASK_CACHE/kernels/$kver/vmlinuz" ] ||
				die "$SUITE archive unreachable and no cached vmlinuz for $kver"
			warn "$SUITE archive unreachable; using the cached $kver"
			CHROOT=$prev KVER=$kver VMLINUZ=$CGMASK_CACHE/kernels/$kver/vmlinuz
			return 0
		fi
	fi
	if [ -n "$kver" ] && [ -f "$CGMASK_CACHE/chroots/$kver/.cgmask/kver" ]; then
		CHROOT=$CGMASK_CACHE/chroots/$kver KVER=$kver
		ensure_vmlinuz "$CHROOT" "$KVER"
	else
		[ -z "$kver" ] || log "$SUITE moved to $kver; building a new chroot"
		create_chroot "$SUITE"
		ensure_vmlinuz "$CHROOT" "$KVER"
	fi
	RESOLVED_AT=$(date +%s)
	KDIR=/usr/src/linux-headers-$KVER
	write_label_env
	prune_chroots "$SUITE" "$CHROOT"
}

prepare_chroot_label() {
	lock_take -s "$(label_lock)"
	load_label_env
	if label_valid && { label_fresh || [ "$OFFLINE" = 1 ]; }; then
		return 0
	fi
	[ "$OFFLINE" != 1 ] || die "CGMASK_OFFLINE=1 but no cached kernel for $NAME"
	lock_drop "$(label_lock)"
	lock_take -x "$(label_lock)"
	load_label_env
	if ! { label_valid && label_fresh; }; then
		log "$NAME: resolving the kernel $SUITE ships (log: $PREP_LOG)"
		refresh_chroot_label
	fi
	lock_take -s "$(label_lock)"
	KDIR=/usr/src/linux-headers-$KVER
}

prepare_host_label() {
	local kver
	host_pkgs_ensure "${HOST_BUILD_PKGS[@]}"
	kver=$(host_kver) || die "cannot read the version of the host's linux-headers-amd64"
	KVER=$kver CHROOT="" KDIR=/usr/src/linux-headers-$kver
	[ -f "$KDIR/Makefile" ] || die "$KDIR/Makefile missing: reinstall linux-headers-$kver"
	VMLINUZ=$CGMASK_CACHE/kernels/$kver/vmlinuz
	lock_take -s "$(label_lock)"
	[ -s "$VMLINUZ" ] && return 0
	lock_drop "$(label_lock)"
	lock_take -x "$(label_lock)"
	check_compiler "" "$kver"
	ensure_vmlinuz "" "$kver"
	RESOLVED_AT=$(date +%s)
	write_label_env
	lock_take -s "$(label_lock)"
}

# prepare_label NAME: make NAME's kernel ready; leaves a shared lock on the
# label held, so that no prepare can replace the chroot while we use it.
prepare_label() {
	set_label "$1"
	[[ $CGMASK_CACHE =~ ^/[A-Za-z0-9._/+-]*$ ]] ||
		die "CGMASK_CACHE must be an absolute path of [A-Za-z0-9._/+-]"
	mkdir -p "$CGMASK_CACHE/logs" || die "cannot create $CGMASK_CACHE/logs"
	if [ "$SUITE" = host ]; then
		prepare_host_label
	else
		prepare_chroot_label
	fi
}

# ---------------------------------------------------------------- commands

# build_env_cmd CMD...: run CMD in the label's build environment.
build_env_cmd() {
	if [ -z "$CHROOT" ]; then
		env -i PATH="$STD_PATH" HOME="${HOME:-/root}" LC_ALL=C "$@"
	else
		in_chroot "$CHROOT" "" / PATH="$STD_PATH" HOME=/root LC_ALL=C "$@"
	fi
}

# copy_kos FROM TO: copy every *.ko under FROM to TO, keeping relative paths.
copy_kos() {
	local ko
	while IFS= read -r -d '' ko; do
		ko=${ko#./}
		mkdir -p "$2/$(dirname "$ko")"
		cp "$1/$ko" "$2/$ko"
		log "$NAME: built $2/$ko"
	done < <(cd "$1" && find . -name '*.ko' -type f -print0)
}

cmd_build() {
	[ $# -ge 3 ] || usage
	local src=$2 out=$3 base scratch rc=0 t0=$SECONDS
	[ -d "$src" ] || die "SRC_DIR $src is not a directory"
	[ -f "$src/Kbuild" ] || [ -f "$src/Makefile" ] || die "SRC_DIR $src has no Kbuild or Makefile"
	prepare_label "$1"
	shift 3
	mkdir -p "$out" || die "cannot create OUT_DIR $out"
	out=$(cd "$out" && pwd)
	find "$out" -name '*.ko' -type f -delete
	rm -f "$out/build.log"
	base=${TMPDIR:-/tmp}
	[ -z "$CHROOT" ] || base=$CHROOT/tmp
	scratch=$(mktemp -d "$base/cgmask-build.XXXXXX")
	cleanup_push rm -rf --one-file-system "$scratch"
	# Not build/ (logs, other suites' chroots), .git or tools' build products.
	tar -C "$src" --exclude=./build --exclude=./.git --exclude=./tools/build -cf - . |
		tar -C "$scratch" -xf - || die "cannot copy $src to $scratch"
	build_env_cmd make -C "$KDIR" M="${scratch#"$CHROOT"}" "$@" modules \
		>"$out/build.log" 2>&1 || rc=$?
	copy_kos "$scratch" "$out"
	if [ "$rc" -ne 0 ]; then
		tail -n 25 "$out/build.log" >&2
		log "$NAME: make failed with status $rc (log: $out/build.log)"
	else
		log "$NAME: make ok in $((SECONDS - t0)) s (log: $out/build.log)"
	fi
	return "$rc"
}

cmd_run() {
	local bind="" wd=/ rc=0
	case ${1:-} in
	--bind)
		[ $# -ge 2 ] || usage
		bind=$2
		shift 2
		;;
	--bind=*)
		bind=${1#--bind=}
		shift
		;;
	esac
	[ $# -ge 2 ] || usage
	if [ -n "$bind" ]; then
		[ -d "$bind" ] || die "--bind $bind is not a directory"
		bind=$(cd "$bind" && pwd -P)
		[ "$bind" != / ] || die "--bind / is not allowed"
	fi
	prepare_label "$1"
	shift
	if [ -z "$CHROOT" ]; then
		KDIR=$KDIR KVER=$KVER "$@" || rc=$?
		return "$rc"
	fi
	case $(pwd -P)/ in "$bind"/*) [ -z "$bind" ] || wd=$(pwd -P) ;; esac
	in_chroot "$CHROOT" "$bind" "$wd" PATH="$STD_PATH" HOME=/root LANG=C.UTF-8 \
		TERM="${TERM:-dumb}" KDIR="$KDIR" KVER="$KVER" "$@" || rc=$?
	return "$rc"
}

main() {
	[ $# -ge 1 ] || usage
	local cmd=$1
	shift
	case $cmd in
	prepare)
		[ $# -eq 1 ] || usage
		prepare_label "$1"
		print_env
		;;
	build) cmd_build "$@" ;;
	run) cmd_run "$@" ;;
	-h | --help | help) usage ;;
	*) usage ;;
	esac
}

main "$@"
