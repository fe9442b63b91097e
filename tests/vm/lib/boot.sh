#!/bin/bash
# boot.sh - boot a kernel + initramfs in qemu (TCG, never KVM) for the cgmask
# VM tests, the whole serial console going to LOG.
#
#   boot.sh VMLINUZ INITRD LOG [--append "EXTRA CMDLINE"] [--timeout SECS] [--mem MB]
#           [--data FILE] [--smp N]
#
# --data FILE adds a second serial port (the guest's ttyS1) written to FILE:
# a channel for test evidence that kernel messages never interleave with.
# --smp N gives the guest N vCPUs (default 1; TCG runs them on N host threads).
#
# Kernel command line: "console=ttyS0 panic=-1 quiet loglevel=4 EXTRA".
# Exit status: 0 when qemu exits normally (the guest ends with `reboot -f`,
# which -no-reboot turns into a qemu exit; a guest panic also ends that way),
# qemu's own status if it fails (e.g. cannot read the kernel), and 124 after
# the timeout (default 120 s): qemu's whole process group is then killed and
# "@@ cgmask-harness: TIMEOUT after N s" is appended to LOG. qemu is also
# killed if boot.sh itself is interrupted or terminated.
set -euo pipefail
shopt -s inherit_errexit

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

QEMU_PID=""

usage() {
	echo 'usage: boot.sh VMLINUZ INITRD LOG [--append "EXTRA CMDLINE"] [--timeout SECS] [--mem MB] [--data FILE] [--smp N]' >&2
	exit 2
}

# kill_qemu: TERM, then KILL, qemu's process group; wait for it to go.
kill_qemu() {
	local i
	[ -n "$QEMU_PID" ] || return 0
	kill -TERM -- "-$QEMU_PID" 2>/dev/null || true
	for ((i = 0; i < 30; i++)); do
		kill -0 "$QEMU_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "-$QEMU_PID" 2>/dev/null || true
	wait "$QEMU_PID" 2>/dev/null || true
	QEMU_PID=""
}

# start_qemu VMLINUZ INITRD LOG MEM CMDLINE [DATA]: start qemu in its own
# session (process group id = QEMU_PID), serial console and qemu messages to
# LOG, the second serial port (if DATA is given) to DATA.
start_qemu() {
	local -a serial=(-serial mon:stdio)
	[ -z "${6:-}" ] || serial+=(-serial "file:$6")
	setsid qemu-system-x86_64 -accel tcg -m "$4" -smp "${SMP:-1}" -display none \
		-no-reboot "${serial[@]}" \
		-kernel "$1" -initrd "$2" -append "$5" </dev/null >"$3" 2>&1 &
	QEMU_PID=$!
}

now_us() { printf '%s\n' "${EPOCHREALTIME/./}"; }

# wait_qemu TIMEOUT LOG: wait for qemu; returns its status or 124.
wait_qemu() {
	local timeout=$1 logf=$2 deadline rc=0
	deadline=$(($(now_us) + timeout * 1000000))
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		if [ "$(now_us)" -ge "$deadline" ]; then
			kill_qemu
			printf '\n@@ cgmask-harness: TIMEOUT after %s s\n' "$timeout" >>"$logf"
			return 124
		fi
		sleep 0.2
	done
	wait "$QEMU_PID" || rc=$?
	QEMU_PID=""
	return "$rc"
}

main() {
	[ $# -ge 3 ] || usage
	local vmlinuz=$1 initrd=$2 logf=$3 extra="" timeout=120 mem=512 data="" smp=1 rc=0 t0=$SECONDS
	shift 3
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || usage
		case $1 in
		--append) extra=$2 ;;
		--timeout) timeout=$2 ;;
		--mem) mem=$2 ;;
		--data) data=$2 ;;
		--smp) smp=$2 ;;
		*) usage ;;
		esac
		shift 2
	done
	[[ $timeout =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, not '$timeout'"
	[[ $mem =~ ^[1-9][0-9]*$ ]] || die "--mem must be a positive integer (MB), not '$mem'"
	[[ $smp =~ ^[1-9][0-9]?$ ]] || die "--smp must be 1..99, not '$smp'"
	[ -r "$vmlinuz" ] || die "cannot read VMLINUZ $vmlinuz"
	[ -r "$initrd" ] || die "cannot read INITRD $initrd"
	mkdir -p "$(dirname "$logf")" || die "cannot create the directory of $logf"
	[ -z "$data" ] || : >"$data" || die "cannot write --data file $data"
	host_pkgs_ensure qemu-system-x86
	cleanup_push kill_qemu
	SMP=$smp start_qemu "$vmlinuz" "$initrd" "$logf" "$mem" \
		"console=ttyS0 panic=-1 quiet loglevel=4${extra:+ $extra}" "$data"
	wait_qemu "$timeout" "$logf" || rc=$?
	case $rc in
	0) log "qemu exited after $((SECONDS - t0)) s (log: $logf)" ;;
	124) log "TIMEOUT after $timeout s; qemu killed (log: $logf)" ;;
	*) log "qemu failed with status $rc (log: $logf)" ;;
	esac
	return "$rc"
}

main "$@"
