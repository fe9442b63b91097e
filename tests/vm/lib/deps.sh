#!/bin/bash
# deps.sh - install the host packages the tests need (from the host's own
# apt sources; never touches its apt configuration). Kernels, chroots and
# their packages are kernel.sh's business, not this script's.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

HOST_PKGS=(make gcc clang libc6-dev python3 busybox-static cpio gzip xz-utils
	zstd qemu-system-x86 debootstrap kmod sparse bc flex bison libelf-dev
	libssl-dev linux-headers-amd64 shellcheck)

host_pkgs_ensure "${HOST_PKGS[@]}"
