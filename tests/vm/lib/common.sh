# shellcheck shell=bash
# Shared helpers for tests/vm/lib/*.sh: cache dir, logging, cleanup, locks,
# host package installation and the Debian mirror lookup.
# Source this file; it defines functions and variables only (plus the
# EXIT/INT/TERM traps that run the cleanup stack).

CGMASK_CACHE=${CGMASK_CACHE:-/var/cache/cgmask}
CGMASK_PROG=${CGMASK_PROG:-$(basename "$0")}

# ---------------------------------------------------------------- logging

log() { printf '%s: %s\n' "$CGMASK_PROG" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$CGMASK_PROG" "$*" >&2; }
die() {
	printf '%s: error: %s\n' "$CGMASK_PROG" "$*" >&2
	exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }
need_root() { is_root || die "$1 needs root"; }

# ---------------------------------------------------------------- cleanup

# cleanup_push CMD ARGS...: run CMD at exit (normal, error, INT or TERM),
# in reverse order of registration. Failures of cleanups are ignored.
_CGMASK_CLEANUP=()
cleanup_push() { _CGMASK_CLEANUP+=("$(printf '%q ' "$@")"); }
_cgmask_run_cleanups() {
	local i
	for ((i = ${#_CGMASK_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${_CGMASK_CLEANUP[i]}" || true
	done
	_CGMASK_CLEANUP=()
}
trap '_cgmask_run_cleanups' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- locks

# lock_take -s|-x FILE: take a shared or exclusive flock on FILE, held until
# lock_drop FILE or process exit. Re-taking converts the lock. Never call
# these in a subshell: the fd must live in the calling shell.
declare -gA _CGMASK_LOCK_FD=()
lock_take() {
	local mode=$1 file=$2 fd
	if [ -z "${_CGMASK_LOCK_FD[$file]:-}" ]; then
		mkdir -p "$(dirname "$file")" || die "cannot create lock dir for $file"
		exec {fd}>>"$file" || die "cannot open lock $file"
		_CGMASK_LOCK_FD[$file]=$fd
	fi
	fd=${_CGMASK_LOCK_FD[$file]}
	if ! flock -n "$mode" "$fd"; then
		log "waiting for lock $file"
		flock "$mode" "$fd" || die "cannot lock $file"
	fi
}
lock_drop() {
	local fd=${_CGMASK_LOCK_FD[$1]:-}
	[ -z "$fd" ] || flock -u "$fd"
}

# ---------------------------------------------------------------- host packages

# host_pkgs_missing PKG...: print the packages that are not installed.
host_pkgs_missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null |
			grep -qx installed || printf '%s\n' "$p"
	done
}

host_apt() {
	DEBIAN_FRONTEND=noninteractive apt-get -q -y \
		-o DPkg::Lock::Timeout=600 "$@" >&2
}

# host_pkgs_ensure PKG...: install missing host packages from the host's own
# (bookworm) apt sources. Never touches the host's apt configuration.
host_pkgs_ensure() {
	local -a missing
	mapfile -t missing < <(host_pkgs_missing "$@")
	[ "${#missing[@]}" -eq 0 ] && return 0
	is_root || die "missing host packages: ${missing[*]} (run as root or apt-get install them)"
	log "installing host packages: ${missing[*]}"
	lock_take -x "$CGMASK_CACHE/locks/host-apt.lock"
	if ! host_apt install --no-install-recommends "${missing[@]}"; then
		log "apt-get install failed; running apt-get update and retrying"
		host_apt -o Acquire::Check-Valid-Until=false update || die "host apt-get update failed"
		host_apt install --no-install-recommends "${missing[@]}" ||
			die "cannot install host packages: ${missing[*]}"
	fi
	lock_drop "$CGMASK_CACHE/locks/host-apt.lock"
}

# ---------------------------------------------------------------- mirror

host_codename() (
	# shellcheck disable=SC1091
	. /etc/os-release && printf '%s\n' "${VERSION_CODENAME:-}"
)

# First URI of an enabled deb822 "deb" stanza whose Suites list the codename.
_mirror_deb822() {
	local -a files
	shopt -s nullglob
	files=(/etc/apt/sources.list.d/*.sources)
	shopt -u nullglob
	[ "${#files[@]}" -gt 0 ] || return 0
	awk -v want="$1" '
		function flush() {
			gsub(/[ \t]+/, " ", suites); gsub(/[ \t]+/, " ", types)
			if (!found && uris != "" && enabled != "no" &&
			    index(" " types " ", " deb ") &&
			    index(" " suites " ", " " want " ")) {
				split(uris, u, /[ \t]+/); print u[1]; found = 1
			}
			types = uris = suites = enabled = ""
		}
		FNR == 1 { flush() }
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		{
			key = tolower($0); sub(/:.*/, "", key)
			val = $0; sub(/^[^:]*:[ \t]*/, "", val)
			if (key == "types") types = val
			else if (key == "uris") uris = val
			else if (key == "suites") suites = val
			else if (key == "enabled") enabled = tolower(val)
		}
		END { flush() }' "${files[@]}"
}

# First URI of a one-line "deb [opts] URI SUITE ..." entry for the codename.
_mirror_oneline() {
	local -a files
	shopt -s nullglob
	files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
	shopt -u nullglob
	[ "${#files[@]}" -gt 0 ] || return 0
	awk -v want="$1" '
		$1 == "deb" {
			i = 2
			if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
			if ($(i + 1) == want) { print $i; exit }
		}' "${files[@]}"
}

# debian_mirror: the Debian archive URI the host's apt uses for its release
# (override with CGMASK_MIRROR).
debian_mirror() {
	local codename uri
	if [ -n "${CGMASK_MIRROR:-}" ]; then
		printf '%s\n' "$CGMASK_MIRROR"
		return 0
	fi
	codename=$(host_codename)
	[ -n "$codename" ] || die "cannot read VERSION_CODENAME from /etc/os-release"
	uri=$(_mirror_deb822 "$codename" | head -n 1)
	[ -n "$uri" ] || uri=$(_mirror_oneline "$codename" | head -n 1)
	[ -n "$uri" ] || die "no Debian mirror for '$codename' in /etc/apt/sources.list{,.d/*} (set CGMASK_MIRROR)"
	printf '%s\n' "${uri%/}"
}
