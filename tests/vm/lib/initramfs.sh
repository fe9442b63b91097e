#!/bin/bash
# initramfs.sh - build a busybox-static initramfs for the cgmask VM tests.
#
#   initramfs.sh OUT.cpio.gz INIT_SCRIPT [SRC:DEST ...]
#
# The image holds /bin/busybox (static) with a symlink per applet in /bin or
# /sbin (/usr/bin and /usr/sbin are symlinks to them), the directories /proc
# /sys /dev /tmp /mnt /run /root /etc, /dev/console and /dev/null (when run as
# root), INIT_SCRIPT as /init, and each SRC copied to the absolute path DEST
# (parents created; a directory SRC is copied recursively to DEST). No shared
# libraries are added: copy static binaries only. Everything is owned by root.
# The archive is newc cpio compressed with gzip -1.
set -euo pipefail
shopt -s inherit_errexit

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

BUSYBOX=/bin/busybox

usage() {
	echo "usage: initramfs.sh OUT.cpio.gz INIT_SCRIPT [SRC:DEST ...]" >&2
	exit 2
}

# add_busybox ROOT: the static busybox and one symlink per applet.
add_busybox() {
	local root=$1 path dir
	file_is_static "$BUSYBOX" || die "$BUSYBOX is not static (install busybox-static)"
	mkdir -p "$root/bin" "$root/sbin" "$root/usr"
	ln -s ../bin "$root/usr/bin"
	ln -s ../sbin "$root/usr/sbin"
	cp "$BUSYBOX" "$root/bin/busybox"
	while IFS= read -r path; do
		case $path in
		sbin/* | usr/sbin/*) dir=sbin ;;
		*) dir=bin ;;
		esac
		[ -e "$root/$dir/${path##*/}" ] || ln -s /bin/busybox "$root/$dir/${path##*/}"
	done < <("$BUSYBOX" --list-full)
	[ -e "$root/bin/sh" ] || die "busybox has no sh applet"
}

# file_is_static FILE: FILE is not a dynamically linked ELF executable.
file_is_static() {
	! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
}

add_skeleton() {
	local root=$1 d
	for d in proc sys dev tmp mnt run root etc; do
		mkdir -p "$root/$d"
	done
	chmod 1777 "$root/tmp"
	if is_root; then
		mknod -m 600 "$root/dev/console" c 5 1
		mknod -m 666 "$root/dev/null" c 1 3
	fi
}

# add_file ROOT SRC:DEST
add_file() {
	local root=$1 spec=$2 src dest
	[[ $spec == *:* ]] || die "'$spec' is not SRC:DEST"
	src=${spec%:*}
	dest=${spec##*:}
	[[ $dest == /* ]] || die "DEST in '$spec' must be absolute"
	[ -e "$src" ] || die "SRC '$src' does not exist"
	if [ -d "$src" ]; then
		mkdir -p "$root$dest"
		cp -RL --preserve=mode,timestamps "$src/." "$root$dest/"
	else
		mkdir -p "$(dirname "$root$dest")"
		cp -L --preserve=mode,timestamps "$src" "$root$dest"
		if [ -x "$src" ] && ! file_is_static "$src"; then
			warn "$src is dynamically linked; its libraries are not in the initramfs"
		fi
	fi
}

pack() {
	local root=$1 out=$2
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp.$$" ||
		die "cannot write $out"
	mv -f "$out.tmp.$$" "$out"
}

main() {
	[ $# -ge 2 ] || usage
	local out=$1 init=$2 root spec
	shift 2
	[ -f "$init" ] || die "INIT_SCRIPT '$init' is not a file"
	host_pkgs_ensure busybox-static cpio gzip binutils
	mkdir -p "$(dirname "$out")" || die "cannot create the directory of $out"
	root=$(mktemp -d "${TMPDIR:-/tmp}/cgmask-initramfs.XXXXXX")
	cleanup_push rm -rf "$root"
	chmod 755 "$root"
	add_skeleton "$root"
	add_busybox "$root"
	cp "$init" "$root/init"
	chmod 755 "$root/init"
	for spec in "$@"; do
		add_file "$root" "$spec"
	done
	pack "$root" "$out"
	log "wrote $out ($(du -k "$out" | cut -f1) KiB)"
}

main "$@"
