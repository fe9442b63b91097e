#!/usr/bin/env python3
"""Judge one test-VM run against the kernel's own answers.

The guest (tests/vm/guest/init.sh) only collects evidence; this checker
compares it: the module's dump (parsed by the reader, the same parser users
run) against the root cgroup.controllers, /proc/cgroups and the ftrace
oracle, plus splats in the console log, hangs, refused loads and the
reader's other sources. It prints KTAP, one test point per comparison, and
every failure names the kernel, the scenario and what differed.

usage: check.py --kernel K --scenario S --console LOG --data DATA --reader CGMASK
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile

import tree_check

SPLAT = re.compile(r"BUG:|WARNING:|Oops|KASAN|possible circular locking|"
                   r"possible recursive locking|RCU stall|rcu_sched self-detected|"
                   r"rcu: INFO|Call Trace|kernel BUG|general protection fault|"
                   r"inconsistent lock state|suspicious RCU usage|"
                   r"unreferenced object|Missing ENDBR|blocked for more than|"
                   r"soft lockup|hard LOCKUP")
# Taint bits that a test run may carry: O (out-of-tree), E (unsigned),
# N (KUnit test ran).
ALLOWED_TAINT = (1 << 12) | (1 << 13) | (1 << 18)
ADDRESS = re.compile(r"ffff[0-9a-f]{12}")
LOAD_PHASES = ("main", "derived", "param", "after")
REFUSALS = ("bogus_name", "bogus_addr", "bogus_offset", "bogus_lookup")


class Run:
    def __init__(self, kernel, scenario, console, data):
        self.kernel, self.scenario = kernel, scenario
        self.console = console
        self.items = {}
        self.done = "@@ DONE" in data
        self.parse(data)
        self.results = []

    def parse(self, data):
        cur, buf = None, []
        for line in data.replace("\r", "").split("\n"):
            m = re.match(r"^@@ BEGIN (\S+) (\S+)$", line)
            if m:
                cur, buf = (m.group(1), m.group(2)), []
                continue
            m = re.match(r"^@@ END (\S+) (\S+) rc=(\d+)(?: t=[0-9.]+)?$", line)
            if m and cur == (m.group(1), m.group(2)):
                self.items[cur] = ("\n".join(buf), int(m.group(3)))
                cur = None
                continue
            if cur:
                buf.append(line)

    def text(self, phase, name):
        return self.items.get((phase, name), (None, None))[0]

    def rc(self, phase, name):
        return self.items.get((phase, name), (None, None))[1]

    def phases(self):
        return list(dict.fromkeys(p for p, _ in self.items))

    def result(self, name, problems):
        self.results.append((name, problems))

    def ktap(self):
        out = ["KTAP version 1", "1..%d" % len(self.results)]
        for i, (name, problems) in enumerate(self.results, 1):
            full = "%s/%s/%s" % (self.kernel, self.scenario, name)
            out.append(("ok %d %s" if not problems else "not ok %d %s") % (i, full))
            for p in problems:
                out.append("# %s: %s" % (full, p))
        return "\n".join(out)


def names(s):
    return set(s.split()) if s else set()


def parse_dump(reader, dump):
    with tempfile.NamedTemporaryFile("w", suffix=".dump") as f:
        f.write(dump + "\n")
        f.flush()
        p = subprocess.run([reader, "-f", f.name, "-J"], capture_output=True,
                           text=True, check=False)
    if p.returncode:
        return None, "reader rejected the dump (exit %d): %s" % (p.returncode, p.stderr.strip())
    try:
        return json.loads(p.stdout), None
    except ValueError as e:
        return None, "reader printed invalid JSON: %s" % e


def mask_value(m):
    """The numeric value of a mask object of the reader's JSON."""
    if m is None:
        return None
    v = m.get("value", m.get("hex"))
    return int(v, 16) if isinstance(v, str) else v


def proc_cgroups(text):
    rows = {}
    for line in (text or "").splitlines():
        f = line.split()
        if len(f) == 4 and not line.startswith("#"):
            rows[f[0]] = {"hierarchy": int(f[1]), "enabled": f[3] == "1"}
    return rows


def parse_oracle(text):
    m = re.search(r"implicit=(\d+) inhibit=(\d+) threaded=(\d+)", text or "")
    return dict(zip(("implicit", "inhibit", "threaded"), map(int, m.groups()))) if m else None


def check_boot(run):
    problems = []
    if "@@ cgmask-harness: TIMEOUT" in run.console or not run.done:
        tail = "\n".join(run.console.replace("\r", "").splitlines()[-15:])
        problems.append("guest did not finish (hang or crash); console tail:\n" + tail)
    run.result("boot", problems)


def check_splat(run):
    problems = []
    logs = run.console + "\n" + (run.text("final", "dmesg") or "")
    hits = [l for l in logs.splitlines() if SPLAT.search(l)]
    if hits:
        problems.append("kernel splat:\n" + "\n".join(hits[:10]))
    taint = run.text("final", "taint")
    if taint and taint.strip().isdigit() and int(taint) & ~ALLOWED_TAINT:
        problems.append("kernel tainted %s (beyond out-of-tree/unsigned/test)" % taint.strip())
    run.result("splat", problems)


def check_phase(run, reader, phase):
    if phase in LOAD_PHASES:
        rc = run.rc(phase, "insmod")
        run.result(phase + "/insmod", [] if rc == 0 else
                   ["insmod failed (rc=%s): %s" % (rc, run.text(phase, "insmod"))])
        if rc != 0:
            return
    dump = run.text(phase, "dump")
    if dump is None or run.rc(phase, "dump"):
        run.result(phase + "/dump", ["no dump read (rc=%s)" % run.rc(phase, "dump")])
        return
    model, err = parse_dump(reader, dump)
    run.result(phase + "/parse", [err] if err else [])
    if not model:
        return
    subs = model["subsystems"]
    by_name = {s["name"]: s for s in subs}

    ctrl = names(run.text(phase, "controllers"))
    visible = {s["name"] for s in subs if s["visible"]}
    p = []
    if visible != ctrl:
        p.append("visible set differs from cgroup.controllers: module only %s, kernel only %s"
                 % (sorted(visible - ctrl), sorted(ctrl - visible)))
    for s in subs:
        if bool(s["visible"]) == bool(s["reasons"]):
            p.append("%s: visible=%s contradicts reasons=%s" % (s["name"], s["visible"], s["reasons"]))
    run.result(phase + "/visible", p)

    p = []
    ids = [s["id"] for s in subs]
    if ids != list(range(len(subs))):
        p.append("subsystem ids are not 0..%d: %s" % (len(subs) - 1, ids))
    count = model.get("subsys_count", len(subs))
    if count != len(subs):
        p.append("subsys_count=%s but %d subsystems listed" % (count, len(subs)))
    for n in sorted(ctrl - set(by_name)):
        p.append("subsystem %s is in cgroup.controllers but missing from the dump" % n)
    legacy = {s["legacy_name"]: s for s in subs}
    pc = proc_cgroups(run.text(phase, "proc_cgroups"))
    for n in sorted(set(pc) - set(legacy)):
        p.append("subsystem %s is in /proc/cgroups but missing from the dump" % n)
    run.result(phase + "/subsystems", p)

    p = []
    for n, row in sorted(pc.items()):
        s = legacy.get(n)
        if not s:
            continue
        if s["enabled"] != row["enabled"]:
            p.append("%s: enabled=%s, /proc/cgroups says %s" % (n, s["enabled"], row["enabled"]))
        if s["hierarchy_id"] is not None and s["hierarchy_id"] != row["hierarchy"]:
            p.append("%s: hierarchy_id=%s, /proc/cgroups says %d" % (n, s["hierarchy_id"], row["hierarchy"]))
    run.result(phase + "/proc_cgroups", p)

    p = []
    oracle = parse_oracle(run.text(phase, "oracle"))
    if oracle is None:
        p.append("ftrace oracle gave no reading: %r" % run.text(phase, "oracle"))
    else:
        for k, v in oracle.items():
            got = mask_value(model["masks"].get(k))
            if got != v:
                p.append("mask %s: module 0x%x, ftrace oracle 0x%x" % (k, got or 0, v))
    run.result(phase + "/oracle", p)

    p = []
    for k, m in model["masks"].items():
        if isinstance(m, dict) and m.get("agree") is False:
            p.append("mask %s: read %s but the kernel's rule derives %s" % (k, m.get("read"), m.get("derived")))
    want_via = {"derived": None, "param": "param"}.get(phase)
    if phase in ("derived", "param"):
        for k in ("implicit", "inhibit", "threaded"):
            via = model["masks"][k].get("via")
            if (via or None) != want_via:
                p.append("mask %s: via=%s, expected %s" % (k, via, want_via or "none"))
    run.result(phase + "/masks", p)

    check_root_cgroup(run, reader, phase, ctrl)

    p = []
    for label in ("dump", "cgroups", "table", "json_module", "json_ftrace", "json_userspace"):
        t = run.text(phase, label) or ""
        if ADDRESS.search(t):
            p.append("%s contains a kernel address" % label)
    run.result(phase + "/no_address", p)

    if run.text(phase, "json_module") is None:
        return
    check_sources(run, phase, model)
    check_exit_codes(run, phase, ctrl)


def check_root_cgroup(run, reader, phase, ctrl):
    """The per-cgroup file in this state: it parses, and its root record
    lists what the root's cgroup.controllers lists."""
    text = run.text(phase, "cgroups")
    if text is None:
        return
    p = []
    model, err = tree_check.reader_json(reader, ["tree"], text + "\n")
    if err or run.rc(phase, "cgroups"):
        p.append("cgmask_cgroups (rc=%s): %s" % (run.rc(phase, "cgroups"), err))
    else:
        root = [c for c in model["cgroups"] if c["path"] == "/"]
        if len(root) != 1:
            p.append("cgmask_cgroups has %d root records" % len(root))
        elif set(root[0]["controllers"] or []) != ctrl:
            p.append("cgmask_cgroups root controllers %s, cgroup.controllers %s"
                     % (sorted(root[0]["controllers"] or []), sorted(ctrl)))
    run.result(phase + "/cgroups", p)


def compare(a, b, where, p):
    """Every non-null field of b must equal a's."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k, v in b.items():
            if v is not None and a.get(k) is not None:
                compare(a[k], v, "%s.%s" % (where, k), p)
    elif a != b:
        p.append("%s: %r, module says %r" % (where, b, a))


def check_sources(run, phase, model):
    try:
        mod = json.loads(run.text(phase, "json_module"))
    except ValueError as e:
        run.result(phase + "/sources", ["cgmask -J --source module: invalid JSON: %s" % e])
        return
    p = []
    if mod.get("source") != "module":
        p.append("cgmask -J --source module says source=%r" % mod.get("source"))
    for src in ("ftrace", "userspace"):
        try:
            other = json.loads(run.text(phase, "json_" + src) or "")
        except ValueError as e:
            p.append("cgmask -J --source %s: invalid JSON: %s" % (src, e))
            continue
        if other.get("source") != src:
            p.append("cgmask -J --source %s says source=%r" % (src, other.get("source")))
        mods = {s["name"]: s for s in mod["subsystems"]}
        for s in other.get("subsystems", []):
            if s.get("name") not in mods:
                p.append("%s source lists %s, the module does not" % (src, s.get("name")))
                continue
            m = mods[s["name"]]
            poss = s.get("reasons_possible")
            if poss is not None and not set(m["reasons"]) <= set(poss):
                p.append("%s: subsystem %s: reasons_possible %s exclude the module's reasons %s"
                         % (src, s["name"], poss, m["reasons"]))
            s = {k: v for k, v in s.items() if k != "reasons_possible"}
            compare(m, s, "%s: subsystem %s" % (src, s["name"]), p)
        for k, m in (other.get("masks") or {}).items():
            if m is not None and k in mod["masks"]:
                for f in ("value", "names"):
                    if m.get(f) is not None and m.get(f) != mod["masks"][k].get(f):
                        p.append("%s: mask %s.%s %r, module says %r" % (src, k, f, m.get(f), mod["masks"][k].get(f)))
    run.result(phase + "/sources", p)


def check_exit_codes(run, phase, ctrl):
    p = []
    for line in (run.text(phase, "check") or "").splitlines():
        f = line.split()
        if len(f) != 2:
            continue
        want = 0 if f[0] in ctrl else 1
        if int(f[1]) != want:
            p.append("cgmask check %s exited %s, expected %d" % (f[0], f[1], want))
    if not p and not run.text(phase, "check"):
        p.append("no cgmask check results")
    run.result(phase + "/check", p)


def check_refusals(run):
    for ph in REFUSALS:
        if (ph, "insmod") not in run.items:
            continue
        p = []
        if run.rc(ph, "insmod") == 0:
            p.append("insmod succeeded; it must be refused")
        msg = run.text(ph, "dmesg") or ""
        if "refusing to load" not in msg:
            p.append("no 'refusing to load' line in dmesg: %r" % msg)
        run.result(ph, p)


def fields(line):
    return dict(f.split("=", 1) for f in line.split() if "=" in f)


def check_stress(run):
    if ("stress", "readers") not in run.items:
        return
    text = run.text("stress", "readers") or ""
    p = []
    readers = [fields(l) for l in text.splitlines() if l.startswith("reader ")]
    if not readers:
        p.append("no reader results:\n" + text[-2000:])
    for r in readers:
        if int(r.get("reads", 0)) == 0:
            p.append("reader mode=%s made no complete read" % r.get("mode"))
        if int(r.get("invalid", 1)) or int(r.get("failed", 1)):
            p.append("reader mode=%s: %s invalid and %s failed reads while loaded"
                     % (r.get("mode"), r.get("invalid"), r.get("failed")))
    if "first invalid read:" in text:
        p.append(text[text.index("first invalid read:"):][:3000])
    # The churn loops' summary lines (guest/init.sh v1_loop, cg_loop).
    loops = {}
    for what, key in (("v1 ", "cycles"), ("cgroups ", "created")):
        line = [l for l in text.splitlines() if l.startswith(what)]
        loops[what] = fields(line[0]) if line else {}
        if int(loops[what].get(key, 0)) == 0:
            p.append("the %sloop did not run" % what)
    # "-": the kernel lacks net_cls or net_prio, so nothing was tried.
    if loops["v1 "].get("net_mounts") == "0":
        p.append("no v1 mount of net_cls,net_prio succeeded: nothing rebound")
    churn = loops["cgroups "]
    if int(churn.get("created", 0)) < int(churn.get("wanted", 0)):
        p.append("only %s of %s cgroups created and removed in the time allowed (%s s)"
                 % (churn["created"], churn["wanted"], churn.get("seconds", "?")))
    run.result("stress/readers", p)

    text = run.text("stress", "lifecycle") or ""
    p = []
    life = [fields(l) for l in text.splitlines() if l.startswith("lifecycle ")]
    if not life:
        p.append("no lifecycle result (rc=%s):\n%s" % (run.rc("stress", "lifecycle"), text[-2000:]))
    else:
        l = life[0]
        if int(l["cycles"]) < int(l["wanted"]):
            p.append("only %s of %s load/unload cycles in the time allowed" % (l["cycles"], l["wanted"]))
        if int(l.get("held", l["cycles"])) != int(l["cycles"]):
            p.append("%s of %s unloads refused while the file was held open"
                     % (l.get("held"), l["cycles"]))
        if int(l["failures"]):
            p.append("%s load/unload failures: %s" % (l["failures"], " ".join(
                x for x in text.splitlines() if x.startswith("modcycle:"))))
    p += tree_check.racer_problems(text)
    held = [fields(l) for l in text.splitlines() if l.startswith("held_open ")]
    if not held:
        p.append("no held-open unload result")
    elif held[0]["unload_rc"] == "0" and held[0]["read_rc"] == "0":
        p.append("the module unloaded under an open file and the next read still succeeded")
    run.result("stress/lifecycle", p)

    text = run.text("stress", "kmemleak") or ""
    run.result("stress/kmemleak", ["kmemleak reports leaks:\n" + text[:3000]]
               if "unreferenced object" in text else [])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--console", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--reader", required=True)
    a = ap.parse_args()
    console = open(a.console, errors="replace").read()
    try:
        data = open(a.data, errors="replace").read()
    except OSError:
        data = ""
    run = Run(a.kernel, a.scenario, console, data)
    check_boot(run)
    check_splat(run)
    for phase in run.phases():
        if (phase, "dump") in run.items or phase in LOAD_PHASES and (phase, "insmod") in run.items:
            check_phase(run, a.reader, phase)
    check_refusals(run)
    check_stress(run)
    tree_check.check(run, a.reader)
    print(run.ktap())
    return 1 if any(p for _, p in run.results) else 0


if __name__ == "__main__":
    sys.exit(main())
