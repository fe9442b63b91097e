#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run.sh [--update] UNIT CGMASK: every test of the reader (make -C tools check).
#
#   UNIT    the unit-test binary (unit.c), CGMASK the reader, both built
#           with ASan and UBSan, so any memory error fails its test.
#   --update  rewrite golden/ from the current output instead of comparing.
#
# Prints "ok N name" or "not ok N name" (with the evidence as "# " lines)
# per test, and last "N passed, N failed"; exits 1 when any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
update=false
if [ "${1:-}" = --update ]; then
	update=true
	shift
fi
[ $# -eq 2 ] || { echo "usage: $0 [--update] UNIT CGMASK" >&2; exit 2; }
unit=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cg=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
version=$(sed -n 's/^PACKAGE_VERSION="*\([^"]*\)"*$/\1/p' "$here/../../dkms.conf")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' INT TERM HUP
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unset CGMASK_SYSFS_CGROUP CGMASK_PROC CGMASK_DEBUGFS CGMASK_TRACEFS
n=0 passed=0 failed=0

# t NAME CMD...: one test; it passes when CMD exits 0. Its output is the evidence.
t() {
	name=$1
	shift
	n=$((n + 1))
	if ("$@") >"$tmp/log" 2>&1; then
		passed=$((passed + 1))
		echo "ok $n $name"
	else
		failed=$((failed + 1))
		echo "not ok $n $name"
		sed 's/^/# /' "$tmp/log" | head -n 30
	fi
}

# same GOLDEN FILE: FILE equals golden/GOLDEN (or becomes it with --update).
same() {
	if $update; then
		cp "$2" "$here/golden/$1"
		return 0
	fi
	[ -f "$here/golden/$1" ] || { echo "no golden/$1 (make golden-update)"; return 1; }
	diff -u "$here/golden/$1" "$2"
}

# run RC OUT CMD...: CMD's stdout in OUT, stderr in OUT.err; its exit status must be RC.
run() {
	want=$1 out=$2
	shift 2
	"$@" >"$out" 2>"$out.err"
	got=$?
	[ "$got" -eq "$want" ] && ! grep -q 'Sanitizer' "$out.err" && return 0
	echo "exit $got, want $want: $*"
	cat "$out.err"
	return 1
}

# has FILE TEXT...: FILE contains every TEXT.
has() {
	f=$1
	shift
	for s in "$@"; do
		grep -qF -- "$s" "$f" || { echo "missing: $s"; echo "--- $f:"; cat "$f"; return 1; }
	done
}

# --- unit tests (unit.c)
for u in $("$unit" --list); do
	t "unit/$u" "$unit" "$u"
done

# --- every dump: golden table, JSON, Prometheus (recorded dumps have goldens;
# dumps added later, like real-*.dump, get every check but the golden one)
golden_mode() { # DUMP MODE ARGS...
	d=$1 mode=$2
	shift 2
	(cd "$here/dumps" && run 0 "$tmp/out" "$cg" -f "$d.dump" "$@") || return 1
	case $d in real-*) [ -f "$here/golden/$d.$mode" ] || return 0 ;; esac
	same "$d.$mode" "$tmp/out"
}
json_ok() { # DUMP
	run 0 "$tmp/j" "$cg" -f "$here/dumps/$1.dump" -J &&
		python3 -m json.tool "$tmp/j" >/dev/null &&
		python3 "$here/jsoncheck.py" schema "$tmp/j"
}
prom_ok() {
	run 0 "$tmp/p" "$cg" -f "$here/dumps/$1.dump" --prom &&
		python3 "$here/jsoncheck.py" prom "$tmp/p"
}
for f in "$here"/dumps/*.dump; do
	d=$(basename "$f" .dump)
	t "golden/$d.table" golden_mode "$d" table
	t "golden/$d.json" golden_mode "$d" json -J
	t "golden/$d.prom" golden_mode "$d" prom --prom
	t "json_schema/$d" json_ok "$d"
	t "prom_format/$d" prom_ok "$d"
done

D=$here/dumps
# --- table options
opt_columns() {
	(cd "$D" && run 0 "$tmp/o" "$cg" -f v1-bound.dump -o id,NAME,bound,why,hierarchy_name) &&
		same options.columns "$tmp/o"
}
opt_noheadings() {
	run 0 "$tmp/o" "$cg" -f "$D/v1-bound.dump" -n -o name,visible &&
		[ "$(head -n 1 "$tmp/o")" = "cpuset     yes" ] && ! grep -q '^source:' "$tmp/o"
}
opt_raw() {
	run 0 "$tmp/o" "$cg" -f "$D/v1-bound.dump" -r -n &&
		grep -qx '7 net_cls yes v1:2:net.v1 no no no yes no v1,inhibited' "$tmp/o" &&
		! grep -q '^implicit' "$tmp/o"
}
opt_json_columns() {
	run 0 "$tmp/o" "$cg" -f "$D/v1-bound.dump" -J -o name,visible &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]));
assert all(sorted(s) == ["name", "visible"] for s in d["subsystems"]), d' "$tmp/o"
}
opt_stdin() {
	run 0 "$tmp/a" "$cg" -f - -J <"$D/debian-6.1.dump" &&
		run 0 "$tmp/b" "$cg" -f "$D/debian-6.1.dump" -J &&
		has "$tmp/a" '"input": "<stdin>"' &&
		[ "$(grep -v '"input"' "$tmp/a")" = "$(grep -v '"input"' "$tmp/b")" ]
}
opt_version() {
	run 0 "$tmp/o" "$cg" -V && [ "$(cat "$tmp/o")" = "cgmask $version" ]
}
opt_help() {
	run 0 "$tmp/o" "$cg" -h &&
		has "$tmp/o" --file --source --output --noheadings --raw --json --prom --version \
			check why diff HIERARCHY_NAME DEPENDS_ON 'Exit status'
}
opt_errors() {
	run 2 "$tmp/o" "$cg" --bogus && run 2 "$tmp/o" "$cg" -f "$D/v1-bound.dump" -o nope &&
		has "$tmp/o.err" "unknown column 'nope'" &&
		run 2 "$tmp/o" "$cg" -f "$D/v1-bound.dump" -J --prom &&
		run 2 "$tmp/o" "$cg" -f "$D/v1-bound.dump" frobnicate &&
		run 2 "$tmp/o" "$cg" --source bogus && has "$tmp/o.err" "unknown source 'bogus'" &&
		run 2 "$tmp/o" "$cg" -f "$D/v1-bound.dump" --source userspace
}
t options/columns opt_columns
t options/noheadings opt_noheadings
t options/raw opt_raw
t options/json_columns opt_json_columns
t options/stdin opt_stdin
t options/version_from_dkms_conf opt_version
t options/help_covers_all opt_help
t options/usage_errors_exit_2 opt_errors

# --- check: exit 0 all visible, 1 some not (with why), 2 error
check_visible() {
	run 0 "$tmp/o" "$cg" -f "$D/debian-6.1.dump" check memory io blkio pids &&
		[ "$(grep -c ': visible$' "$tmp/o")" -eq 4 ]
}
check_hidden() {
	run 1 "$tmp/o" "$cg" -f "$D/v1-bound.dump" check memory cpu cpuacct perf_event devices &&
		has "$tmp/o" 'memory: visible' 'cpu: not visible: v1 (bound to a v1 hierarchy)' \
			'cpuacct: not visible: v1 (bound to a v1 hierarchy); inhibited' \
			'perf_event: not visible: implicit (flag implicit_on_dfl' \
			'devices: not visible: inhibited (no dfl_cftypes'
}
check_disabled() {
	run 1 "$tmp/o" "$cg" -f "$D/memory-disabled.dump" check memory &&
		has "$tmp/o" 'memory: not visible: disabled (booted with cgroup_disable=)'
}
check_unknown() {
	run 1 "$tmp/o" "$cg" -f "$D/debian-6.1.dump" check memory no_such_controller dmem &&
		has "$tmp/o" 'no_such_controller: unknown controller name' \
			'dmem: not compiled into this kernel (needs CONFIG_CGROUP_DMEM)'
}
check_errors() {
	run 2 "$tmp/o" "$cg" -f "$D/debian-6.1.dump" check &&
		run 2 "$tmp/o" "$cg" -f "$tmp/nonexistent" check memory &&
		printf 'cgmask-format 1\n' >"$tmp/short.dump" &&
		run 2 "$tmp/o" "$cg" -f "$tmp/short.dump" check memory &&
		has "$tmp/o.err" 'short.dump:2: truncated'
}
check_json() {
	run 1 "$tmp/o" "$cg" -f "$D/v1-bound.dump" check --json memory cpu nope &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
c = {x["name"]: x for x in d["controllers"]}
assert d["ok"] is False and d["source"] == "module", d
assert c["memory"]["visible"] is True and c["memory"]["reasons"] == []
assert c["cpu"]["visible"] is False and c["cpu"]["reasons"] == ["v1"]
assert c["nope"]["found"] is False and c["nope"]["known_name"] is False' "$tmp/o" &&
		run 0 "$tmp/o" "$cg" -f "$D/v1-bound.dump" -J check memory &&
		has "$tmp/o" '"ok": true'
}
t check/exit_0_all_visible check_visible
t check/exit_1_with_reasons check_hidden
t check/exit_1_disabled check_disabled
t check/unknown_names_reported check_unknown
t check/exit_2_on_error check_errors
t check/json check_json

# --- why: plain sentences naming the flag and the fix
why_golden() {
	for c in memory cpu cpuacct perf_event devices net_prio no_such dmem; do
		echo "\$ cgmask why $c"
		(cd "$D" && "$cg" -f v1-bound.dump why "$c") 2>&1
		echo "exit $?"
	done >"$tmp/why"
	same why.v1-bound "$tmp/why"
}
why_v1() {
	run 1 "$tmp/o" "$cg" -f "$D/v1-bound.dump" why net_cls &&
		has "$tmp/o" 'bound to a v1 hierarchy (id 2, name=net.v1)' 'unmount that v1 hierarchy' \
			'cgroup_no_v1=net_cls' 'Even back on v2 it would stay hidden: it has no dfl_cftypes'
}
why_implicit() {
	run 1 "$tmp/o" "$cg" -f "$D/debian-6.1.dump" why perf_event &&
		has "$tmp/o" 'flag implicit_on_dfl' 'always on in v2' 'Fix: none'
}
why_disabled() {
	run 1 "$tmp/o" "$cg" -f "$D/memory-disabled.dump" why memory &&
		has "$tmp/o" 'It is disabled' 'remove cgroup_disable=memory'
}
why_visible() {
	run 0 "$tmp/o" "$cg" -f "$D/debian-6.1.dump" why blkio &&
		has "$tmp/o" 'io (id 3) is compiled' 'Its v1 name' 'is blkio' \
			'It is listed in the root cgroup.controllers.'
}
t why/golden why_golden
t why/v1_bound why_v1
t why/implicit why_implicit
t why/disabled why_disabled
t why/visible_legacy_name why_visible

# --- diff
diff_same() {
	run 0 "$tmp/o" "$cg" diff "$D/kernel-7.1.dump" "$D/kernel-7.1.dump" && [ ! -s "$tmp/o" ]
}
diff_kernels() {
	(cd "$D" && run 1 "$tmp/o" "$cg" diff debian-6.1.dump kernel-7.1.dump) &&
		same diff.debian-6.1.kernel-7.1 "$tmp/o" &&
		! grep -q 'masks.implicit.value' "$tmp/o"
}
diff_disabled() {
	run 1 "$tmp/o" "$cg" diff "$D/debian-6.1.dump" "$D/memory-disabled.dump" &&
		has "$tmp/o" 'subsystems.memory.enabled: yes -> no' \
			'subsystems.memory.reasons: - -> disabled' \
			'masks.root_controllers.value: 0x3c1b -> 0x3c0b'
}
diff_errors() {
	run 2 "$tmp/o" "$cg" diff "$D/debian-6.1.dump" && printf 'x\n' >"$tmp/x.dump" &&
		run 2 "$tmp/o" "$cg" diff "$D/debian-6.1.dump" "$tmp/x.dump" &&
		has "$tmp/o.err" 'x.dump:1: not a cgmask dump'
}
t diff/identical_exit_0 diff_same
t diff/kernels_golden diff_kernels
t diff/disabled diff_disabled
t diff/exit_2_on_error diff_errors

# --- malformed dumps: one clear error on stderr naming the line, exit 2
G=$D/debian-6.1.dump
bad() { # NAME EXPECTED-STDERR-TEXT: $tmp/bad.dump must be refused so
	run 2 "$tmp/o" "$cg" -f "$tmp/bad.dump" || return 1
	[ "$(wc -l <"$tmp/o.err")" -eq 1 ] || { echo "not one line:"; cat "$tmp/o.err"; return 1; }
	has "$tmp/o.err" "$1"
}
bad_truncated() { head -n 10 "$G" >"$tmp/bad.dump" && bad 'bad.dump:11: truncated dump'; }
bad_cut_line() { head -c 1000 "$G" >"$tmp/bad.dump" && bad 'does not end in a newline'; }
bad_version() { sed '1s/1/2/' "$G" >"$tmp/bad.dump" && bad 'bad.dump:1: unsupported format version 2'; }
bad_bits() {
	sed '3s/value=0x0100 read=0x0100 derived=0x0100/value=0x4100 read=0x4100 derived=0x4100/' \
		"$G" >"$tmp/bad.dump" && bad "bad.dump:3: 'value' has bits beyond subsys_count=14"
}
bad_dup_id() { sed '10s/id=1 /id=0 /' "$G" >"$tmp/bad.dump" && bad 'bad.dump:10: ss id=0 out of order'; }
bad_end() { sed 's/^end subsystems=14/end subsystems=13/' "$G" >"$tmp/bad.dump" && bad 'bad.dump:23: end subsystems=13'; }
bad_garbage() {
	awk 'BEGIN { srand(7); for (i = 0; i < 3000; i++) printf "%c", int(rand() * 256) }' \
		>"$tmp/bad.dump" && bad 'bad.dump:1:'
}
bad_binary() { cp "$cg" "$tmp/bad.dump" && bad 'bad.dump:1: '; }
bad_huge_line() {
	{ head -n 2 "$G"; awk 'BEGIN { printf "mask name=implicit value="; for (i = 0; i < 200000; i++) printf "0123456789"; print "" }'; } \
		>"$tmp/bad.dump" && bad "bad.dump:3: bad value for 'value'"
}
bad_huge_file() {
	{ cat "$G"; awk 'BEGIN { for (i = 0; i < 500000; i++) print "xxxxxxxxx" }'; } >"$tmp/bad.dump" &&
		bad 'File too large'
}
bad_crlf() { sed 's/$/\r/' "$G" >"$tmp/bad.dump" && bad 'bad.dump:1: '; }
bad_empty() { : >"$tmp/bad.dump" && bad 'bad.dump:1: empty file'; }
bad_nul() { { head -n 5 "$G"; printf 'ss id=0\000\n'; } >"$tmp/bad.dump" && bad 'bad.dump:6: byte 0x00'; }
bad_visible() { sed '9s/visible=1 reasons=-/visible=0 reasons=-/' "$G" >"$tmp/bad.dump" && bad 'bad.dump:9: '; }
bad_dir() { run 2 "$tmp/o" "$cg" -f "$tmp" && has "$tmp/o.err" 'Is a directory'; }
for b in truncated cut_line version bits dup_id end garbage binary huge_line huge_file crlf empty nul visible dir; do
	t "malformed/$b" "bad_$b"
done

# --- saved crash inputs of the fuzzer: no crash, exit 0 or 2
for f in "$here"/regress/*; do
	[ -f "$f" ] || continue
	case $f in *.md) continue ;; esac
	regress() {
		"$cg" -f "$1" -J >"$tmp/o" 2>"$tmp/o.err"
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 2 ] || { echo "exit $rc"; cat "$tmp/o.err"; return 1; }
	}
	t "regress/$(basename "$f")" regress "$f"
done

# --- other sources against fake roots made from the dumps (fakesys.py)
fake() { # DUMP [--no-stat]: a fake system in $tmp/sys, and the env pointing at it
	dump=$1
	shift
	rm -rf "$tmp/sys" && python3 "$here/fakesys.py" "$D/$dump.dump" "$tmp/sys" "$@" || return 1
	export CGMASK_SYSFS_CGROUP="$tmp/sys/cgroup" CGMASK_PROC="$tmp/sys/proc"
	export CGMASK_DEBUGFS="$tmp/sys/debugfs" CGMASK_TRACEFS="$tmp/sys/tracing"
}
userspace_agrees() { # DUMP
	fake "$1" && run 0 "$tmp/m" "$cg" -f "$D/$1.dump" -J &&
		run 0 "$tmp/u" "$cg" --source userspace -J &&
		has "$tmp/u" '"source": "userspace"' &&
		python3 "$here/jsoncheck.py" compare "$tmp/m" "$tmp/u"
}
for d in debian-6.1 v1-bound memory-disabled kernel-7.1 kernel-7.1-memory-disabled; do
	t "userspace/agrees_with_module/$d" userspace_agrees "$d"
done
userspace_golden() {
	fake v1-bound && run 0 "$tmp/o" "$cg" --source userspace -n && same userspace.v1-bound "$tmp/o"
}
userspace_pre611_ids() {
	fake debian-6.1 && run 0 "$tmp/o" "$cg" --source userspace -J &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d["complete"] is True and d["subsys_count"] == 14, d
assert [s["id"] for s in d["subsystems"]] == list(range(14))
assert d["masks"]["root_controllers"]["value"] == 0x3c1b
s = {x["name"]: x for x in d["subsystems"]}
assert s["devices"]["reasons"] is None and s["devices"]["visible"] is False
assert s["io"]["legacy_name"] == "blkio" and s["io"]["threaded"] is None' "$tmp/o"
}
userspace_612_absent() {
	# 7.1 without cgroup.stat: memory is in neither /proc/cgroups nor
	# cgroup.controllers, which does not prove it is not compiled in.
	fake kernel-7.1-memory-disabled --no-stat &&
		run 1 "$tmp/o" "$cg" --source userspace check memory &&
		has "$tmp/o" 'memory: not found (the userspace source cannot list every compiled-in controller' &&
		run 0 "$tmp/o" "$cg" --source userspace -J &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d["complete"] is False and d["subsys_count"] is None
assert all(s["id"] is None for s in d["subsystems"])
assert "memory" not in [s["name"] for s in d["subsystems"]]' "$tmp/o"
}
userspace_612_stat() {
	fake kernel-7.1-memory-disabled && run 1 "$tmp/o" "$cg" --source userspace check memory dmem &&
		has "$tmp/o" 'memory: not visible: disabled' 'dmem: visible'
}
userspace_not_root() {
	fake debian-6.1 && echo domain >"$tmp/sys/cgroup/cgroup.type" &&
		run 2 "$tmp/o" "$cg" --source userspace && has "$tmp/o.err" 'is not the root cgroup'
}
userspace_no_v2() {
	fake debian-6.1 && rm "$tmp/sys/cgroup/cgroup.controllers" &&
		run 2 "$tmp/o" "$cg" --source userspace && has "$tmp/o.err" 'no cgroup2 hierarchy'
}
t userspace/table_golden userspace_golden
t userspace/before_6.11_ids_known userspace_pre611_ids
t userspace/6.12_absent_is_unknown userspace_612_absent
t userspace/6.12_cgroup_stat userspace_612_stat
t userspace/refuses_non_root_cgroup userspace_not_root
t userspace/needs_cgroup2 userspace_no_v2

# --- source selection and the ftrace source's cleanup
auto_module() {
	fake v1-bound && run 0 "$tmp/o" "$cg" -J && has "$tmp/o" '"source": "module"'
}
auto_userspace() {
	fake v1-bound && rm "$tmp/sys/debugfs/cgmask" && run 0 "$tmp/o" "$cg" -J &&
		has "$tmp/o" '"source": "userspace"' && [ ! -s "$tmp/o.err" ]
}
auto_bad_dump() {
	fake v1-bound && echo garbage >"$tmp/sys/debugfs/cgmask" && run 2 "$tmp/o" "$cg" &&
		has "$tmp/o.err" 'cgmask:1: not a cgmask dump'
}
module_missing() {
	fake v1-bound && rm "$tmp/sys/debugfs/cgmask" && run 2 "$tmp/o" "$cg" --source module &&
		has "$tmp/o.err" 'cgmask.ko is not loaded'
}
ftrace_fallback() {
	# A tracefs whose instances do not work: the probe must be added, then
	# removed again, and auto must fall back to userspace with a warning.
	fake kernel-7.1 && rm "$tmp/sys/debugfs/cgmask" && mkdir -p "$tmp/sys/tracing/instances" &&
		: >"$tmp/sys/tracing/kprobe_events" &&
		run 0 "$tmp/o" "$cg" -J && has "$tmp/o" '"source": "userspace"' &&
		has "$tmp/o.err" 'ftrace source failed, falling back to the userspace source' &&
		has "$tmp/sys/tracing/kprobe_events" ':u32 ' '@cgrp_dfl_implicit_ss_mask:u32' '-:cgmask_' &&
		[ -z "$(ls -A "$tmp/sys/tracing/instances")" ] &&
		run 2 "$tmp/o" "$cg" --source ftrace
}
ftrace_width() {
	fake debian-6.1 && mkdir -p "$tmp/sys/tracing/instances" && : >"$tmp/sys/tracing/kprobe_events" &&
		run 2 "$tmp/o" "$cg" --source ftrace &&
		has "$tmp/sys/tracing/kprobe_events" 'cgroup_controllers_show implicit=@cgrp_dfl_implicit_ss_mask:u16 inhibit=@cgrp_dfl_inhibit_ss_mask:u16 threaded=@cgrp_dfl_threaded_ss_mask:u16'
}
t source/auto_module auto_module
t source/auto_userspace_without_module auto_userspace
t source/auto_bad_dump_is_an_error auto_bad_dump
t source/module_missing_explained module_missing
t source/ftrace_cleanup_and_fallback ftrace_fallback
t source/ftrace_u16_before_7.0 ftrace_width

# --- the per-cgroup view: cgmask tree and cgmask why CONTROLLER PATH, from a
# cgmask_cgroups dump (trees/) and from a fake cgroupfs made of it
TR=$here/trees
tree_golden() {
	for tr in "$TR"/*.tree; do
		d=$(basename "$tr" .tree)
		(cd "$TR" && run 0 "$tmp/o" "$cg" -f "$d.tree" tree) && same "tree.$d.table" "$tmp/o" &&
			(cd "$TR" && run 0 "$tmp/o" "$cg" -f "$d.tree" -J tree) &&
			python3 -m json.tool "$tmp/o" >/dev/null && same "tree.$d.json" "$tmp/o" || return 1
	done
}
tree_subtree() {
	run 0 "$tmp/o" "$cg" -f "$TR/debian-6.1.tree" tree /sys/fs/cgroup/t/ &&
		[ "$(grep -c . "$tmp/o")" -eq 7 ] && has "$tmp/o" '/t ' '|   |-- v ' '`-- w ' &&
		run 0 "$tmp/o" "$cg" -f "$TR/debian-6.1.tree" -J tree deep/1 &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert [c["path"] for c in d["cgroups"]] == ["/deep/1", "/deep/1/2", "/deep/1/2/3",
	"/deep/1/2/3/4", "/deep/1/2/3/4/5", "/deep/1/2/3/4/5/6"], d' "$tmp/o" &&
		run 2 "$tmp/o" "$cg" -f "$TR/debian-6.1.tree" tree /nope && has "$tmp/o.err" 'no cgroup /nope'
}
# why_case RC CONTROLLER PATH TEXT...: text answer, exit status and JSON agree.
why_case() {
	rc=$1 c=$2 p=$3
	shift 3
	run "$rc" "$tmp/o" "$cg" -f "$TR/debian-6.1.tree" why "$c" "$p" && has "$tmp/o" "$@" &&
		run "$rc" "$tmp/j" "$cg" -f "$TR/debian-6.1.tree" -J why "$c" "$p" &&
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d["usable"] == (sys.argv[2] == "0"), d
assert d["steps"] and all(set(s) == {"path", "fact", "ok", "text"} for s in d["steps"]), d' \
			"$tmp/j" "$rc"
}
why_path_golden() {
	(cd "$TR" && run 1 "$tmp/o" "$cg" -f debian-6.1.tree why memory /a/b/c) &&
		same why.debian-6.1.memory.a.b.c "$tmp/o" &&
		(cd "$TR" && run 1 "$tmp/o" "$cg" -f debian-6.1.tree -J why memory /d/e) &&
		same why.debian-6.1.memory.d.e.json "$tmp/o"
}
why_path_cases() {
	why_case 1 memory /a/b/c "memory is not in /a/b's cgroup.subtree_control" \
		'Fix: echo +memory > /sys/fs/cgroup/a/b/cgroup.subtree_control' &&
		why_case 0 cpu /a/b/c 'cpu in /a/b/c: available' &&
		why_case 1 memory /tt '/tt is threaded and memory is not a threaded controller' \
			'(threaded ones: cpuset, cpu, perf_event, pids)' &&
		why_case 1 memory /t/u/v '/t cannot enable it: it is the root of a threaded subtree' &&
		why_case 1 memory /d/e '/d/e still has a memory css' 'io (enabled in its parent' &&
		why_case 1 memory /deep/1/2/3/4/5/6 "memory is not in /deep/1/2/3's" \
			'echo +memory > /sys/fs/cgroup/deep/1/2/3/cgroup.subtree_control; echo +memory > /sys/fs/cgroup/deep/1/2/3/4/cgroup.subtree_control; echo +memory > /sys/fs/cgroup/deep/1/2/3/4/5/cgroup.subtree_control' &&
		why_case 0 perf_event /a/b 'perf_event in /a/b: in effect (implicit' &&
		why_case 1 cpuacct /a 'it is a v1-only controller' &&
		why_case 1 devices /t/w 'devices in /t/w: not available' &&
		why_case 1 nope /a 'nope is not a controller of this kernel' &&
		why_case 0 blkio /d/e 'io in /d/e: available' &&
		why_case 0 pids '/odd name=1,2' 'pids in /odd\x20name=1,2: available' &&
		why_case 1 pids '/odd name=1,2/back\slash' 'pids in /odd\x20name=1,2/back\x5cslash: not available'
}
why_path_errors() {
	run 2 "$tmp/o" "$cg" -f "$TR/debian-6.1.tree" why memory /nope && has "$tmp/o.err" 'no cgroup /nope' &&
		run 2 "$tmp/o" "$cg" -f "$TR/debian-6.1.tree" tree a b &&
		run 2 "$tmp/o" "$cg" -f "$D/debian-6.1.dump" tree && has "$tmp/o.err" 'not a cgmask_cgroups dump' &&
		run 2 "$tmp/o" "$cg" -f "$TR/debian-6.1.tree" --source ftrace tree &&
		run 2 "$tmp/o" "$cg" --source ftrace tree && has "$tmp/o.err" 'no per-cgroup view'
}
t tree/golden tree_golden
t tree/subtree tree_subtree
t why_path/golden why_path_golden
t why_path/chains why_path_cases
t why_path/errors why_path_errors

# malformed cgmask_cgroups dumps: exit 2, one error naming the line
bad_tree() { # WHAT LINE SED-SCRIPT
	sed "$3" "$TR/debian-6.1.tree" >"$tmp/bad.tree" &&
		run 2 "$tmp/o" "$cg" -f "$tmp/bad.tree" tree && has "$tmp/o.err" "bad.tree:$2: $1"
}
tree_malformed() {
	bad_tree 'truncated dump' 39 '$d' &&
		bad_tree 'not a cgmask_cgroups dump' 1 '1s/.*/cgmask-format 1/' &&
		bad_tree 'unsupported cgmask_cgroups format version 2' 1 '1s/1$/2/' &&
		bad_tree 'end cgroups=23 but there are 22' 39 '$s/22/23/' &&
		bad_tree "level=3 after level=1 is not pre-order" 19 '19s/level=2/level=3/' &&
		bad_tree 'path is not a child' 19 '19s|path=/a/b |path=/x/b |' &&
		bad_tree "the first 'cgroup' record must be the root" 17 '17s|path=/ |path=/r |' &&
		bad_tree "'ss' record after the 'cgroup' records" 18 '18s/^cgroup.*/ss id=14 name=x enabled=1 threaded=0 implicit_on_dfl=0 depends_on=-/' &&
		bad_tree "bad value for 'css'" 17 '17s/css=0x3fff/css=0x03fff/' &&
		bad_tree "'css' has bits beyond subsys_count=14" 17 '17s/css=0x3fff/css=0xffff/' &&
		bad_tree "bad value for 'type'" 18 '18s/type=domain /type=domain-ish /' &&
		bad_tree "14 'ss' records but subsys_count=15" 17 '2s/subsys_count=14/subsys_count=15/' &&
		bad_tree 'depends_on names unknown subsystem' 6 '6s/depends_on=memory/depends_on=mem/' &&
		bad_tree "bad value for 'path': '//' (expected an absolute path without empty components)" 38 '38s|path=/- |path=// |' &&
		printf 'cgmask-cgroups-format 1\n' >"$tmp/short.tree" &&
		run 2 "$tmp/o" "$cg" -f "$tmp/short.tree" tree && has "$tmp/o.err" 'short.tree:2: truncated'
}
tree_future() {
	# Unknown keys and record types of a newer version-1 module are skipped.
	sed -e 's/^\(cgroup .*\)$/\1 future_key=1/' -e '2a future record=1' \
		"$TR/debian-6.1.tree" >"$tmp/f.tree" &&
		run 0 "$tmp/o" "$cg" -f "$tmp/f.tree" -J tree &&
		run 0 "$tmp/p" "$cg" -f "$TR/debian-6.1.tree" -J tree &&
		[ "$(grep -v '"input"' "$tmp/o")" = "$(grep -v '"input"' "$tmp/p")" ]
}
t tree/malformed tree_malformed
t tree/future_keys_skipped tree_future

# the userspace source walks a fake cgroupfs; auto prefers the module's file
faketree() {
	fake debian-6.1 && python3 "$here/faketree.py" "$TR/debian-6.1.tree" "$tmp/sys"
}
tree_userspace() {
	faketree && run 0 "$tmp/o" "$cg" --source userspace -J tree &&
		run 0 "$tmp/m" "$cg" -f "$TR/debian-6.1.tree" -J tree &&
		python3 -c 'import json,sys
u = json.load(open(sys.argv[1])); m = json.load(open(sys.argv[2]))
assert u["source"] == "userspace", u["source"]
mp = {c["path"]: c for c in m["cgroups"]}
assert sorted(mp) == sorted(c["path"] for c in u["cgroups"])
for c in u["cgroups"]:
    for k in ("type", "controllers", "subtree_control", "level"):
        assert c[k] == mp[c["path"]][k], (c, mp[c["path"]])
    assert c["subtree_ss_mask"] is None and c["css"] is None, c' "$tmp/o" "$tmp/m" &&
		run 1 "$tmp/o" "$cg" --source userspace why memory /tt && has "$tmp/o" 'source: userspace' \
			'/tt is threaded and memory is not a threaded controller' &&
		run 1 "$tmp/o" "$cg" --source userspace -J why cpuacct /a &&
		has "$tmp/o" '"root_reasons": null' '"css": null' &&
		run 1 "$tmp/o" "$cg" --source userspace why cpuacct /a &&
		has "$tmp/o" 'either it is implicit on v2 (implicit_on_dfl), or it is a v1-only controller'
}
tree_auto() {
	faketree && run 0 "$tmp/o" "$cg" -J tree && has "$tmp/o" '"source": "module"' &&
		rm "$tmp/sys/debugfs/cgmask_cgroups" &&
		run 0 "$tmp/o" "$cg" -J tree && has "$tmp/o" '"source": "userspace"' &&
		run 2 "$tmp/o" "$cg" --source module tree && has "$tmp/o.err" 'cgmask.ko is not loaded' &&
		printf 'cgmask-cgroups-format 1\n' >"$tmp/sys/debugfs/cgmask_cgroups" &&
		run 2 "$tmp/o" "$cg" tree
}
t tree/userspace_walk tree_userspace
t tree/auto_source tree_auto

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
