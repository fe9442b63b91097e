"""Judge the "tree" scenario (tests/vm/guest/tree.sh): the module's
/sys/kernel/debug/cgmask_cgroups against what cgroupfs shows, the kernel's
own debug controller files where the kernel has them (booted with
cgroup_debug and CONFIG_CGROUP_DEBUG: the KUnit kernel), and the reader's
tree and why answers; then the readers that raced cgroup churn.

check.py imports this module and calls check(run, reader); each comparison
is one test point in run's KTAP.
"""
import json
import re
import subprocess
import tempfile

# tree_rcu: the module loaded with lookup=none (no symbol found at all).
PHASES = ("tree", "tree_rcu")
# cgroupfs core files whose names start with a controller's name.
CORE_FILES = {"cpu.stat", "cpu.stat.local", "cpu.pressure", "io.pressure",
              "memory.pressure", "irq.pressure"}
TYPES = {"domain": "domain", "domain threaded": "domain_threaded",
         "domain invalid": "domain_invalid", "threaded": "threaded"}
# The long chain of guest/tree.sh: /long, then 20 levels of 250+2-char
# names; the module prints path=? from 4095 bytes on.
LONG_UNKNOWN_LEVELS = [k + 1 for k in range(1, 21) if 5 + 251 * k >= 4095]

# cgmask why CONTROLLER PATH: what the tree of guest/tree.sh must give.
# "src": only for that source (the userspace source cannot tell implicit
# controllers apart before Linux 6.11, nor v1-only ones from v1-bound ones).
WHY = {
    ("memory", "/a/b/c"): dict(usable=False, reason="not_enabled", blocked_at="/a/b"),
    ("cpu", "/a/b/c"): dict(usable=True, reason=None),
    ("memory", "/a/b"): dict(usable=True, reason=None),
    ("pids", "/deep/1/2/3/4/5"): dict(usable=True, reason=None),
    ("memory", "/deep/1/2/3/4/5"): dict(usable=False, reason="not_enabled",
                                        blocked_at="/deep/1/2/3"),
    ("memory", "/tt"): dict(usable=False, reason="not_threaded", blocked_at="/tt"),
    ("cpu", "/tt"): dict(usable=True, reason=None),
    ("memory", "/t/u"): dict(usable=False, reason="not_enabled", blocked_at="/t"),
    ("cpu", "/t/u/v"): dict(usable=True, reason=None),
    ("memory", "/d/e"): dict(usable=False, reason="not_enabled", blocked_at="/d",
                             css=True, src="module"),
    ("io", "/d/e"): dict(usable=True, reason=None),
    ("perf_event", "/a/b"): dict(usable=True, reason="implicit", css=True, src="module"),
    ("cpuacct", "/a"): dict(usable=False, reason="not_in_root", root_reasons=["inhibited"],
                            src="module"),
    ("no_such", "/a"): dict(usable=False, reason="not_compiled", found=False),
}


def reader_json(reader, args, text):
    """Run the reader on text saved to a file; (JSON, error)."""
    with tempfile.NamedTemporaryFile("w", suffix=".dump") as f:
        f.write(text)
        f.flush()
        p = subprocess.run([reader, "-f", f.name, "-J"] + args, capture_output=True,
                           text=True, check=False)
    if p.returncode:
        return None, "reader rejected it (exit %d): %s" % (p.returncode, p.stderr.strip())
    try:
        return json.loads(p.stdout), None
    except ValueError as e:
        return None, "reader printed invalid JSON: %s" % e


def loads(text, what):
    try:
        return json.loads(text or ""), None
    except ValueError as e:
        return None, "%s: invalid JSON: %s" % (what, e)


def parse_fs(text):
    """guest fs_dump: path -> dict of what cgroupfs shows."""
    out, cur = {}, None
    for line in (text or "").splitlines():
        key, _, val = line.partition(" ")
        if key == "cgroup":
            cur = out.setdefault(val, {"debug_masks": {}, "debug_csses": set()})
        elif cur is None:
            continue
        elif key == "ino":
            cur["ino"] = int(val) if val.isdigit() else None
        elif key in ("controllers", "subtree_control"):
            cur[key] = set(val.split())
        elif key == "type":
            cur["type"] = TYPES.get(val.strip(), val)
        elif key == "files":
            cur["files"] = set(val.split())
        elif key == "debug.masks":
            m = re.match(r"(\S+)\s*: ?(.*)$", val)
            if m:
                cur["debug_masks"][m.group(1)] = {n for n in m.group(2).split(", ") if n}
        elif key == "debug.csses":
            m = re.match(r"\s*\d+: (\S+)\s", val)
            if m:
                cur["debug_csses"].add(m.group(1))
    return out


def sets(cg):
    return {k: set(cg[k]) if cg.get(k) is not None else None
            for k in ("controllers", "subtree_control", "subtree_ss_mask", "css")}


def closure(names, subs):
    deps = {s["name"]: set(s["depends_on"] or []) for s in subs}
    out = set(names)
    while True:
        more = set(out)
        for n in out:
            more |= deps.get(n, set())
        if more == out:
            return out
        out = more


def check_fs(model, fs, p):
    """Every record against cgroupfs, and the kernel's rules between records."""
    subs = model["subsystems"]
    threaded = {s["name"] for s in subs if s["threaded"] and s["enabled"]}
    implicit = {s["name"] for s in subs if s["implicit_on_dfl"] and s["enabled"]}
    disabled = {s["name"] for s in subs if not s["enabled"]}
    cgs = model["cgroups"]
    by_path = {c["path"]: c for c in cgs if c["path"] is not None}
    unknown = [c["level"] for c in cgs if c["path"] is None]
    if sorted(unknown) != LONG_UNKNOWN_LEVELS:
        p.append("path=? at levels %s, expected %s (the long chain)" % (sorted(unknown),
                                                                        LONG_UNKNOWN_LEVELS))
    if set(by_path) != set(fs):
        p.append("cgroups only in the module: %s; only in cgroupfs: %s"
                 % (sorted(set(by_path) - set(fs))[:10], sorted(set(fs) - set(by_path))[:10]))
    for path in sorted(set(by_path) & set(fs)):
        c, f, s = by_path[path], fs[path], sets(by_path[path])
        where = "%s" % path
        if c["id"] != f.get("ino"):
            p.append("%s: id=%s, inode %s" % (where, c["id"], f.get("ino")))
        for k in ("controllers", "subtree_control"):
            if s[k] != f.get(k):
                p.append("%s: %s %s, cgroupfs %s" % (where, k, sorted(s[k]), sorted(f.get(k) or [])))
        if path != "/" and c["type"] != f.get("type"):
            p.append("%s: type %s, cgroup.type %s" % (where, c["type"], f.get("type")))
        if not s["controllers"] <= s["css"]:
            p.append("%s: controllers %s without a css" % (where, sorted(s["controllers"] - s["css"])))
        if path != "/":
            for n in (x["name"] for x in subs):
                has = any(x.startswith(n + ".") and x not in CORE_FILES for x in f.get("files", ()))
                if n in implicit:
                    continue
                if n in s["controllers"] and not has:
                    p.append("%s: lists %s but has none of its files" % (where, n))
                if n not in s["controllers"] and has:
                    p.append("%s: does not list %s but has its files" % (where, n))
        dm = f.get("debug_masks")
        if dm:
            for k in ("subtree_control", "subtree_ss_mask"):
                if k in dm and dm[k] != s[k]:
                    p.append("%s: %s %s, the kernel's debug.masks says %s"
                             % (where, k, sorted(s[k]), sorted(dm[k])))
            if f["debug_csses"] != s["css"]:
                p.append("%s: css %s, the kernel's debug.csses says %s"
                         % (where, sorted(s["css"]), sorted(f["debug_csses"])))
    # The rules between records (cgroup_ss_mask(), cgroup_calc_subtree_ss_mask()).
    parent_of = {}
    stack = []
    for c in cgs:
        del stack[c["level"]:]
        parent_of[id(c)] = stack[-1] if stack else None
        stack.append(c)
    for c in cgs:
        s, par = sets(c), parent_of[id(c)]
        where = c["path"] or "?"
        if par is None:
            this = s["css"] - disabled
            if c["type"] != ("domain_threaded" if any(x["type"] == "threaded" and
                                                      parent_of[id(x)] is c for x in cgs)
                             else "domain"):
                p.append("/: type %s disagrees with its children" % c["type"])
        else:
            this = sets(par)["subtree_ss_mask"]
            if c["type"] == "threaded":
                this = this & threaded
            if s["css"] != this:
                p.append("%s: css %s, but the parent's subtree_ss_mask gives %s"
                         % (where, sorted(s["css"]), sorted(this)))
            want = sets(par)["subtree_control"]
            if c["type"] == "threaded":
                want = want & threaded
            if s["controllers"] != want:
                p.append("%s: controllers %s, but the parent's subtree_control gives %s"
                         % (where, sorted(s["controllers"]), sorted(want)))
        eff = closure(s["subtree_control"] | implicit, subs) & this
        if s["subtree_ss_mask"] != eff:
            p.append("%s: subtree_ss_mask %s, the kernel's rule gives %s"
                     % (where, sorted(s["subtree_ss_mask"]), sorted(eff)))
    return by_path


def check_reader(run, phase, model, by_path, p):
    """cgmask tree (text, -J, --source userspace) against the dump."""
    live, err = loads(run.text(phase, "tree_json"), "cgmask -J tree")
    if err:
        p.append(err)
    elif [c["path"] for c in live["cgroups"]] != [c["path"] for c in model["cgroups"]]:
        p.append("cgmask -J tree lists other cgroups than the dump read just before")
    if live and live.get("source") != "module":
        p.append("cgmask -J tree used source %r with the module loaded" % live.get("source"))
    us, err = loads(run.text(phase, "tree_userspace"), "cgmask -J --source userspace tree")
    if err:
        p.append(err)
    else:
        for c in us["cgroups"]:
            m = by_path.get(c["path"])
            if not m:
                p.append("userspace tree lists %s, the module does not" % c["path"])
                continue
            for k in ("id", "type", "controllers", "subtree_control"):
                got = set(c[k]) if isinstance(c[k], list) else c[k]
                want = set(m[k]) if isinstance(m[k], list) else m[k]
                if got != want:
                    p.append("userspace tree: %s %s: %r, module %r" % (c["path"], k, c[k], m[k]))
            if c["subtree_ss_mask"] is not None or c["css"] is not None:
                p.append("userspace tree: %s claims to know the effective masks" % c["path"])
        if len(us["cgroups"]) != len(by_path):
            p.append("userspace tree has %d cgroups, the module %d with a path"
                     % (len(us["cgroups"]), len(by_path)))
    text = run.text(phase, "tree") or ""
    rows = [l for l in text.splitlines() if l.strip()]
    if run.rc(phase, "tree") != 0 or len(rows) != len(model["cgroups"]) + 2:
        p.append("cgmask tree: exit %s, %d lines for %d cgroups"
                 % (run.rc(phase, "tree"), len(rows), len(model["cgroups"])))


def parse_why(text):
    """tree_why blocks: (controller, path, source) -> (JSON or None, rc)."""
    out, cur, buf = {}, None, []
    for line in (text or "").splitlines():
        m = re.match(r"^@@ why (\S+) (\S+) (\S+)$", line)
        if m:
            cur, buf = m.groups(), []
            continue
        m = re.match(r"^@@ rc (\d+)$", line)
        if m and cur:
            try:
                out[cur] = (json.loads("\n".join(buf)), int(m.group(1)))
            except ValueError:
                out[cur] = (None, int(m.group(1)))
            cur = None
            continue
        if cur:
            buf.append(line)
    return out


def check_why(run, phase, by_path, p):
    got = parse_why(run.text(phase, "why"))
    for (ctrl, path), want in sorted(WHY.items()):
        for src in ("module", "userspace"):
            if want.get("src", src) != src:
                continue
            what = "cgmask --source %s why %s %s" % (src, ctrl, path)
            if (ctrl, path, src) not in got:
                p.append("%s: no answer" % what)
                continue
            j, rc = got[(ctrl, path, src)]
            if j is None:
                p.append("%s: exit %d, invalid JSON" % (what, rc))
                continue
            for k, v in want.items():
                if k != "src" and j.get(k) != v:
                    p.append("%s: %s=%r, expected %r" % (what, k, j.get(k), v))
            if rc != (0 if want["usable"] else 1):
                p.append("%s: exit %d, expected %d" % (what, rc, 0 if want["usable"] else 1))
            m = by_path.get(path)
            if m and j.get("found") and j.get("available") != (ctrl in m["controllers"]):
                p.append("%s: available=%r, the dump's controllers %s"
                         % (what, j.get("available"), m["controllers"]))


def check_phase(run, reader, phase):
    name = "%s/insmod" % phase
    rc = run.rc(phase, "insmod")
    run.result(name, [] if rc == 0 else ["insmod failed (rc=%s): %s" % (rc, run.text(phase, "insmod"))])
    if rc != 0:
        return
    dump = run.text(phase, "cgroups")
    if dump is None or run.rc(phase, "cgroups"):
        run.result(phase + "/cgroups", ["no cgmask_cgroups read (rc=%s)" % run.rc(phase, "cgroups")])
        return
    model, err = reader_json(reader, ["tree"], dump + "\n")
    p = [err] if err else []
    if model and model.get("lock") != "rcu":
        p.append("lock=%s: the walk must never take cgroup_mutex" % model.get("lock"))
    if run.text(phase, "cgroups_dd1") != dump:
        p.append("dd bs=1 read differs from cat")
    run.result(phase + "/parse", p)
    if not model:
        return
    p = []
    by_path = check_fs(model, parse_fs(run.text(phase, "fs")), p)
    run.result(phase + "/cgroupfs", p)
    if run.text(phase, "tree_json") is None:
        return
    p = []
    check_reader(run, phase, model, by_path, p)
    run.result(phase + "/reader_tree", p)
    p = []
    check_why(run, phase, by_path, p)
    run.result(phase + "/reader_why", p)


def fields(line):
    return dict(f.split("=", 1) for f in line.split() if "=" in f)


def check_readers(run, phase, p):
    text = run.text(phase, "readers") or ""
    readers = [fields(l) for l in text.splitlines() if l.startswith("reader ")]
    if len(readers) != 4:
        p.append("%d reader results, expected 4:\n%s" % (len(readers), text[-2000:]))
    for r in readers:
        if int(r.get("reads", 0)) == 0:
            p.append("reader mode=%s made no complete read" % r.get("mode"))
        if int(r.get("invalid", 1)) or int(r.get("failed", 1)):
            p.append("reader mode=%s: %s invalid and %s failed reads"
                     % (r.get("mode"), r.get("invalid"), r.get("failed")))
    if "first invalid read:" in text:
        p.append(text[text.index("first invalid read:"):][:3000])
    churn = [fields(l) for l in text.splitlines() if l.startswith("churn ")]
    if not churn or int(churn[0].get("cgroups", 0)) == 0:
        p.append("the churn loop did not run")
    if run.rc(phase, "rmmod") != 0:
        p.append("rmmod after the stress failed: %s" % run.text(phase, "rmmod"))


def check_stress(run):
    for phase in ("tree_stress", "tree_rcu_stress"):
        if (phase, "readers") not in run.items:
            continue
        p = []
        check_readers(run, phase, p)
        run.result(phase + "/readers", p)
    for phase in ("tree_stress", "tree_rcu_stress"):
        if (phase, "pinned") not in run.items:
            continue
        text = run.text(phase, "pinned") or ""
        f = dict(l.split(" ", 1) for l in text.splitlines() if " " in l)
        p = []
        if f.get("pinned_parse") != "ok":
            p.append("the read that had the cgroups around it removed is not a valid dump: %s"
                     % f.get("pinned_parse"))
        if not re.match(r"^end cgroups=\d+$", f.get("pinned_read_end", "")):
            p.append("that read did not end with an end record: %r" % f.get("pinned_read_end"))
        if f.get("pinned_y") != "20":
            p.append("%s of the 20 siblings created during the read appear"
                     % f.get("pinned_y"))
        x = int(f.get("pinned_x", "-1"))
        if not 50 <= x <= 100:
            p.append("%d of the 100 removed siblings appear (at least the 50 read before)" % x)
        if f.get("nr_dying_descendants") != "0":
            p.append("removed cgroups stay dying (a leaked css reference?): %s"
                     % f.get("nr_dying_descendants"))
        run.result(phase + "/pinned", p)
    if ("tree_stress", "lifecycle") in run.items:
        text = run.text("tree_stress", "lifecycle") or ""
        life = [fields(l) for l in text.splitlines() if l.startswith("tree_lifecycle ")]
        p = racer_problems(text)
        if (not life or int(life[0].get("cycles", 0)) == 0 or int(life[0].get("failures", 1))
                or life[0].get("held", life[0]["cycles"]) != life[0]["cycles"]):
            p.append("load/unload cycles: %s" % (life[0] if life else text[-1000:]))
            p += [l for l in text.splitlines() if l.startswith("modcycle:")]
        run.result("tree_stress/lifecycle", p)
    if ("tree_stress", "kmemleak") in run.items:
        text = run.text("tree_stress", "kmemleak") or ""
        run.result("tree_stress/kmemleak", ["kmemleak reports leaks:\n" + text[:3000]]
                   if "unreferenced object" in text else [])


def racer_problems(text):
    """What modcycle's racer and the parser of its texts say (lifecycle)."""
    p = []
    racer = [fields(l) for l in text.splitlines() if l.startswith("racer ")]
    if not racer:
        return ["no racer result:\n" + text[-1000:]]
    r = racer[0]
    if int(r.get("reads", 0)) == 0:
        p.append("the racer never read the file while the module was loaded: %s" % r)
    if int(r.get("partial", 1)) or int(r.get("unsaved", 1)):
        p.append("racer: %s partial reads, %s texts not kept" % (r.get("partial"), r.get("unsaved")))
    kept = [fields(l) for l in text.splitlines() if l.startswith("reader ")]
    if not kept or int(kept[0].get("texts", 0)) == 0:
        p.append("no racer text was parsed")
    if "first invalid read:" in text:
        p.append("a read racing load/unload returned an invalid dump:\n" + text[-3000:])
    return p


def check(run, reader):
    if run.scenario != "tree":
        return
    for phase in PHASES:
        if (phase, "insmod") in run.items:
            check_phase(run, reader, phase)
    check_stress(run)
