#!/usr/bin/env python3
"""Turn what bench/guest.sh printed into bench/RESULTS.md (on stdout).

Input: --runs TSV with one line per booted kernel (matrix name, release,
.ko size in bytes, path of the guest's data log). The first kernel is the
one with the full benchmark. Every ratio compares medians of one boot.
"""
import argparse
import datetime
import re
import sys

TARGETS = {
    "floor": 2.0,       # cgmask read <= 2x root cgroup.controllers
    "ftrace": 100.0,    # cgmask >= 100x faster than the ftrace method
    "process": 3.0,     # cgmask -J <= 3x cat cgroup.controllers
    "dump_s": 1.0,      # 100k dump < 1 s
    "walk": 10.0,       # dump >= 10x faster than the userspace walk
    "mkdir_ms": 5.0,    # "a few ms"
}


def parse(path):
    """RESULT/META lines of one data log."""
    results, meta, errors, dmesg = {}, {}, [], []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip().replace("\r", "")
            words = line.split()
            if not words:
                continue
            if words[0] in ("RESULT", "META"):
                kv = {}
                for w in words[1:]:
                    if "=" in w:
                        k, v = w.split("=", 1)
                        kv[k] = v
                if words[0] == "RESULT":
                    key = (kv.get("kind"), kv.get("name"), kv.get("load"))
                    results[key] = kv
                else:
                    sect = words[1]
                    if sect in ("phase", "tree", "rcu"):
                        sect = sect + ":" + kv.get("size", "") + next(
                            (w for w in words[2:] if "=" not in w), "")
                    meta.setdefault(sect, {}).update(kv)
            elif words[0] == "ERROR" or line.startswith("bench:"):
                errors.append(line)
            elif words[0] == "DMESG":
                dmesg.append(line[6:])
    return results, meta, errors, dmesg


def ns(r, key="median_ns"):
    if r is None or key not in r:
        return None
    return int(r[key])


def t(v):
    """A duration in ns, human readable."""
    if v is None:
        return "n/a"
    if v >= 1e9:
        return f"{v / 1e9:.2f} s"
    if v >= 1e6:
        return f"{v / 1e6:.1f} ms"
    return f"{v / 1e3:.1f} µs"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def x(v):
    if v is None:
        return "n/a"
    if v >= 100:
        return f"{v:.0f}x"
    return f"{v:.2f}x" if v < 10 else f"{v:.1f}x"


def met(ok, why=""):
    if ok is None:
        return "not measured" + (f": {why}" if why else "")
    return "**met**" if ok else "**not met**" + (f": {why}" if why else "")


def read_cost(res):
    g = lambda kind, name: res.get((kind, name, None))  # noqa: E731
    floor, cg = g("read", "controllers"), g("read", "cgmask")
    ft = g("ftrace", "ftrace")
    cat, js = g("exec", "cat"), g("exec", "cgmask_json")
    us, jft = g("exec", "cgmask_userspace"), g("exec", "cgmask_ftrace")
    return floor, cg, ft, cat, js, us, jft, g("read", "cgmask_changed")


def read_table(name, res, out):
    floor, cg, ft, cat, js, us, jft, first = read_cost(res)
    pc = res.get(("read", "proc_cgroups", None))
    r_floor = ratio(ns(cg), ns(floor))
    r_ft = ratio(ns(ft), ns(cg))
    r_proc = ratio(ns(js), ns(cat))
    fb, cb = (floor or {}).get("bytes"), (cg or {}).get("bytes")
    why_floor = ""
    if r_floor is not None and r_floor > TARGETS["floor"] and fb and cb:
        why_floor = (f"the dump is {cb} bytes against {fb}; copying them "
                     "is the difference")
    rows = [
        ("read root `cgroup.controllers` (floor)", floor, "1x", "", ""),
        ("read `/sys/kernel/debug/cgmask` (kernel state unchanged since "
         "the last read: the module sends the text it made then)", cg,
         f"{x(r_floor)} the floor",
         f"≤ {TARGETS['floor']:.0f}x", met(None if r_floor is None
                                           else r_floor <= TARGETS["floor"],
                                           why_floor)),
        ("read `/sys/kernel/debug/cgmask`, the root's `subtree_control` "
         "changed before each read (the module formats the text again)", first,
         f"{x(ratio(ns(first), ns(floor)))} the floor", "", ""),
        ("read `/proc/cgroups` (the kernel's own subsystem table, for "
         "scale)", pc, f"{x(ratio(ns(pc), ns(floor)))} the floor", "", ""),
        ("seed ftrace method (kprobe event add, enable, trigger, read "
         "trace, remove)", ft, f"cgmask is {x(r_ft)} faster",
         f"≥ {TARGETS['ftrace']:.0f}x", met(None if r_ft is None
                                             else r_ft >= TARGETS["ftrace"])),
        ("`cat cgroup.controllers` (process)", cat, "1x", "", ""),
        ("`cgmask -J` (process, module source)", js, f"{x(r_proc)} `cat`",
         f"≤ {TARGETS['process']:.0f}x", met(None if r_proc is None
                                              else r_proc <= TARGETS["process"])),
        ("`cgmask -J --source userspace` (process)", us,
         f"{x(ratio(ns(us), ns(cat)))} `cat`", "", ""),
        ("`cgmask -J --source ftrace` (process)", jft,
         f"{x(ratio(ns(jft), ns(cat)))} `cat`", "", ""),
    ]
    out.append(f"### Read cost ({name})\n")
    out.append("| what | median | p99 | n | ratio | target | |")
    out.append("|---|---|---|---|---|---|---|")
    for what, r, rat, tgt, ok in rows:
        n = (r or {}).get("n", "0")
        out.append(f"| {what} | {t(ns(r))} | {t(ns(r, 'p99_ns'))} | {n} | "
                   f"{rat} | {tgt} | {ok} |")
    out.append("")
    return r_floor, r_ft, r_proc


def tree_table(name, res, meta, out):
    sizes = []
    for (kind, nm, _load) in res:
        if kind == "dump" and nm.startswith("tree"):
            sizes.append(int(nm[4:]))
    walks = {int(nm[4:]) for (kind, nm, _l) in res
             if kind == "walk" and nm.startswith("tree")}
    sizes = sorted(set(sizes) | walks)
    missing = meta.get("tree:", {}).get("missing")
    lock = meta.get("tree:", {}).get("lock")
    out.append(f"### Tree scale ({name}" + (f", `lock={lock}`" if lock else "")
               + ")\n")
    if not sizes:
        out.append("Not measured: "
                   + (f"`{missing}` does not exist in this module."
                      if missing else "no tree sizes were asked for.") + "\n")
        return []
    out.append("| cgroups | dump `cgmask_cgroups` | records / bytes | "
               "userspace walk | walk / dump | mkdir max (p99) during dumps "
               "| mkdir max (p99), `/proc/self/cgroup` read loop | "
               "mkdir max (p99), CPU spin | dumps overlapped |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    judged = []
    for n in sizes:
        tag = f"tree{n}"
        d = res.get(("dump", tag, None))
        w = res.get(("walk", tag, None))
        md = res.get(("mkdirlat", tag, "dump"))
        mr = res.get(("mkdirlat", tag, "read"))
        ms = res.get(("mkdirlat", tag, "spin"))
        rw = ratio(ns(w), ns(d))
        rec = (f"{d.get('records', '?')} / {int(d.get('bytes', 0)) / 1e6:.1f} MB"
               if d else "n/a")
        lat = lambda r: f"{t(ns(r, 'max_ns'))} ({t(ns(r, 'p99_ns'))})"  # noqa: E731
        out.append(
            f"| {n} | {t(ns(d))} | {rec} | {t(ns(w))} | {x(rw)} | {lat(md)} | "
            f"{lat(mr)} | {lat(ms)} | {(md or {}).get('rounds', 'n/a')} |")
        judged.append((n, d, w, md, mr, ms, rw))
    for n in sizes:
        d = res.get(("dump", f"rcu{n}", None))
        md = res.get(("mkdirlat", f"rcu{n}", "dump"))
        if not d:
            continue
        lock = meta.get("rcu:" + str(n), {}).get("lock", "?")
        rec = f"{d.get('records', '?')} / {int(d.get('bytes', 0)) / 1e6:.1f} MB"
        out.append(
            f"| {n}, module loaded with `lookup=none` (`lock={lock}`) | "
            f"{t(ns(d))} | {rec} | | | "
            f"{t(ns(md, 'max_ns'))} ({t(ns(md, 'p99_ns'))}) | | | "
            f"{(md or {}).get('rounds', 'n/a')} |")
    out.append("")
    return judged


def tree_targets(judged, res, out):
    if not judged:
        return
    n, d, w, _md, _mr, _ms, rw = judged[-1]
    dump = ns(d)
    ok_dump = None if dump is None else dump < TARGETS["dump_s"] * 1e9
    why_dump = ""
    if ok_dump is False:
        per = dump / max(1, int(d.get("records", 1)))
        why_dump = (f"median {t(dump)} (fastest {t(ns(d, 'min_ns'))}) for "
                    f"{int(d.get('bytes', 0)) / 1e6:.1f} MB, "
                    f"{per / 1e3:.1f} µs per record under TCG")
    ok_walk = None if rw is None else rw >= TARGETS["walk"]
    why_walk = ""
    if ok_walk is False:
        why_walk = f"the walk costs {t(ns(w))}, the dump {t(dump)}"
    worst = lambda i, k="max_ns": max((ns(j[i], k) or 0) for j in judged)  # noqa: E731
    have = any(j[3] for j in judged)
    limit = TARGETS["mkdir_ms"] * 1e6
    ok_mk = None if not have else worst(3) <= limit
    why_mk = ""
    context = (f"{t(worst(5))} (p99 {t(worst(5, 'p99_ns'))}) "
               "with no lock involved at all (a userspace spin on the other "
               f"vCPU) and {t(worst(4))} (p99 {t(worst(4, 'p99_ns'))}) with the "
               "kernel's own `/proc/self/cgroup` reader, which takes "
               "`cgroup_mutex`")
    verdict = met(ok_mk)
    if ok_mk is False and worst(3, "p99_ns") <= limit and worst(3) <= worst(5):
        # Nothing above what the VM does with no lock at all.
        verdict = "**met as far as this VM can show**"
        why_mk = (f": p99 {t(worst(3, 'p99_ns'))} during dumps, and the worst "
                  f"single mkdir ({t(worst(3))}) is within the VM's own "
                  f"noise: {context}")
    elif ok_mk is False:
        why_mk = (f": worst {t(worst(3))} during dumps (p99 "
                  f"{t(worst(3, 'p99_ns'))}); for comparison, {context}")
        if worst(5) > limit:
            why_mk += (f"; {TARGETS['mkdir_ms']:.0f} ms is below this TCG "
                       "VM's own noise")
    rcu = res.get(("mkdirlat", f"rcu{n}", "dump"))
    if ok_mk is False and rcu:
        why_mk += (f"; {t(ns(rcu, 'max_ns'))} (p99 {t(ns(rcu, 'p99_ns'))}) "
                   "during dumps with the module's RCU fallback")
    out.append(f"Targets at {n} cgroups: dump under "
               f"{TARGETS['dump_s']:.0f} s: {met(ok_dump, why_dump)}; "
               f"≥ {TARGETS['walk']:.0f}x faster than the walk: "
               f"{met(ok_walk, why_walk)}; no mkdir blocked more than a few "
               f"ms (≤ {TARGETS['mkdir_ms']:.0f} ms, all sizes): "
               f"{verdict}{why_mk}.\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--smp", required=True)
    ap.add_argument("--mem", required=True)
    ap.add_argument("--wall", required=True)
    ap.add_argument("--qemu", default="qemu")
    ap.add_argument("--source", default="?")
    a = ap.parse_args()

    runs = []
    with open(a.runs) as f:
        for line in f:
            k, kver, ko, rlog, tlog, status = line.rstrip("\n").split("\t")
            res, meta, errors, dmesg = parse(rlog)
            tres, tmeta, terrors, tdmesg = parse(tlog)
            res.update(tres)
            meta["tree-vm"] = tmeta.get("vm", {})
            for sect, kv in tmeta.items():
                if sect not in meta:
                    meta[sect] = kv
            errors += terrors
            dmesg += tdmesg
            if status != "ok":
                errors.insert(0, status)
            runs.append((k, kver, int(ko), res, meta, errors, dmesg))
    if not runs:
        sys.exit("no runs")

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f
                       if l.startswith("model name"))
    except (OSError, StopIteration):
        pass

    k0, kver0, _ko0, res0, meta0, _e, _d = runs[0]
    vm = meta0.get("vm", {})
    out = ["# cgmask benchmarks", "",
           "Written by `bench/run.sh` (`make bench`); do not edit by hand. "
           "Every ratio compares medians measured in the same boot of the "
           "same VM.", ""]
    out.append("## Results\n")
    read_table(f"{k0}: {kver0}", res0, out)
    judged = tree_table(f"{k0}: {kver0}", res0, meta0, out)
    tree_targets(judged, res0, out)

    if len(runs) > 1:
        out.append("### Read cost per kernel\n")
        out.append("| kernel | cgmask / floor (≤ 2x) | after a change / floor "
                   "| ftrace / cgmask (≥ 100x) "
                   "| `cgmask -J` / `cat` (≤ 3x) | dump bytes |")
        out.append("|---|---|---|---|---|---|")
        for k, kver, _ko, res, _m, _e, _d in runs:
            floor, cg, ft, cat, js, _us, _jft, first = read_cost(res)
            out.append(f"| {k} ({kver}) | {x(ratio(ns(cg), ns(floor)))} | "
                       f"{x(ratio(ns(first), ns(floor)))} | "
                       f"{x(ratio(ns(ft), ns(cg)))} | {x(ratio(ns(js), ns(cat)))} | "
                       f"{(cg or {}).get('bytes', '?')} |")
        out.append("")

    out.append("### Footprint\n")
    out.append("| kernel | `cgmask.ko` file | loaded (`/proc/modules`) | "
               "load (finit_module) median | unload median |")
    out.append("|---|---|---|---|---|")
    for k, kver, ko, res, meta, _e, _d in runs:
        core = meta.get("module", {}).get("core_bytes")
        core = f"{int(core) / 1024:.0f} KiB" if core else "?"
        ld, ul = res.get(("insmod", "load", None)), res.get(("insmod", "unload", None))
        kos = f"{ko / 1024:.0f} KiB" if ko else "n/a"
        out.append(f"| {k} ({kver}) | {kos} | {core} | "
                   f"{t(ns(ld))} (n={(ld or {}).get('n', 0)}) | "
                   f"{t(ns(ul))} (n={(ul or {}).get('n', 0)}) |")
    out.append("")

    problems = []
    for k, _kv, _ko, _r, meta, errors, dmesg in runs:
        problems += [f"{k}: {e}" for e in errors]
        problems += [f"{k}: dmesg: {d}" for d in dmesg]
    if problems:
        out.append("### Problems seen during the run\n")
        out += [f"- `{p}`" for p in problems[:20]]
        out.append("")

    clock = res0.get(("clock", "clock", None))
    tclock = res0.get(("clock", "tree_clock", None))
    tvm = meta0.get("tree-vm", {})
    params = meta0.get("params", {})
    out.append("## How it was measured\n")
    out.append(f"- {datetime.date.today().isoformat()}, sources {a.source}; "
               f"whole `bench/run.sh` {a.wall} s. Host: {cpu}, 2 cores shared with other jobs; "
               f"{a.qemu}, TCG (no KVM), {a.mem} MB per guest. Each kernel "
               "boots a busybox initramfs once with 1 vCPU for the footprint "
               f"and the read cost; the first one ({kver0}) boots again with "
               f"{a.smp} vCPUs (MTTCG: one host thread each) for the tree "
               "scale, so that a mkdir runs on one vCPU while the dump runs "
               "on the other. The read cost is not measured with several "
               "vCPUs because the ftrace method patches kernel text, which "
               "TCG does not do reliably across vCPUs (a 2-vCPU 7.2 guest "
               "oopsed on an int3 in `__schedule`).")
    out.append(f"- Times are the guest's `CLOCK_MONOTONIC`: clocksource "
               f"{vm.get('clocksource', '?')}, one `clock_gettime` "
               f"{t(ns(clock))} in the read boot; "
               f"{tvm.get('clocksource', '?')}, {t(ns(tclock))} in the tree "
               "boot. It is inside every sample.")
    out.append("- `bench/bench.c` (static) times each operation separately: "
               "a read is open, read to EOF with a 128 KiB buffer, close (one "
               "untimed warm-up first); up to 2000 reads or 20 s per file. The "
               "module keeps the text of its last read with the snapshot it "
               "was made from and sends it again while a new snapshot is "
               "byte for byte the same; the \"changed\" row writes `+pids` "
               "and `-pids` to the root's `cgroup.subtree_control` in turn "
               "before each read (untimed), so that every read formats. The "
               "ftrace method is the seed's, in-process: append a "
               "`p:cgroup_controllers_show` event fetching the three "
               "`@cgrp_dfl_*_ss_mask` masks to `kprobe_events`, clear the "
               "trace, enable, read the root `cgroup.controllers`, disable, "
               "read and parse the trace, remove the event (up to 50 or 15 s). "
               "Processes are `posix_spawn` + `waitpid` with output to "
               "/dev/null, up to 200 or 30 s each (30 or 15 s for the ftrace "
               "source). Ratios use medians.")
    out.append(f"- Tree: cgroup i is a child of cgroup (i-1)/"
               f"{params.get('fanout', 16)} under `/sys/fs/cgroup/bench`, "
               "grown to each size in turn (pids, memory, cpu, io enabled in "
               "`bench`, pids in its children), so the larger trees contain "
               "the smaller. Dump: whole `cgmask_cgroups` read, up to 5 runs "
               "or 30 s, median. Walk: from `/sys/fs/cgroup`, readdir of every "
               "cgroup and a read of its `cgroup.controllers` and "
               "`cgroup.subtree_control`, up to 3 runs or 120 s, median (the "
               "first run also creates the dentries). mkdir latency: a child "
               "process does mkdir (timed) + rmdir in `/sys/fs/cgroup/probe` "
               "every 1 ms for 5 s while the parent dumps the file in a loop "
               "(at least one whole dump); for comparison, the same while the "
               "parent reads `/proc/self/cgroup` in a loop (the kernel takes "
               "`cgroup_mutex` for each read) and while it spins in "
               "userspace (what a busy second vCPU alone costs).")
    out.append("- Footprint: the `.ko` as built against the kernel's own "
               "headers (with debug info, unstripped), the core size the "
               "kernel reports once loaded, and 5 loads / 4 unloads with "
               "`finit_module` / `delete_module`.")
    out.append("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
