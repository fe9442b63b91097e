#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks of the reader's machine-readable output (docs/json.md).

  jsoncheck.py schema FILE          cgmask -J output has exactly the schema
  jsoncheck.py compare MOD OTHER    every field OTHER (another source) knows
                                    equals the module's, as tests/vm/check.py
                                    demands, and OTHER knows the essentials
  jsoncheck.py prom FILE            Prometheus text exposition format

Exit 0 when the check holds; otherwise the problems go to stdout, exit 1.
"""
import json
import os
import re
import sys

# The VM checker's own comparison, so this test demands exactly what it does.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vm"))
from check import compare  # noqa: E402

MASKS = ["implicit", "inhibit", "threaded", "subsys_mask", "subtree_control",
         "root_controllers"]
MASK_KEYS = {"value": int, "hex": str, "names": list, "read": bool,
             "derived": int, "agree": bool, "via": str}
SS_KEYS = {"id": int, "name": str, "legacy_name": str, "enabled": bool,
           "on_dfl": bool, "hierarchy_id": int, "hierarchy_name": str,
           "implicit_on_dfl": bool, "threaded": bool, "dfl_cftypes": bool,
           "legacy_cftypes": bool, "early_init": bool, "depends_on": list,
           "visible": bool, "reasons": list}
TOP_KEYS = {"format": int, "source": str, "kernel": str, "mask_width": int,
            "subsys_count": int, "masks": dict, "subsystems": list}
REASONS = ["disabled", "v1", "implicit", "inhibited"]


def typed(where, obj, spec, exact, p):
    keys = set(obj)
    if exact and keys != set(spec):
        p.append("%s: keys %s, want %s" % (where, sorted(keys), sorted(spec)))
    for k, t in spec.items():
        if k not in obj:
            p.append("%s: no key %r" % (where, k))
        elif obj[k] is not None and (type(obj[k]) is not t):
            p.append("%s.%s: %r is not %s" % (where, k, obj[k], t.__name__))


def schema(doc):
    p = []
    typed("top", doc, TOP_KEYS, False, p)
    if doc.get("format") != 1 or doc.get("source") not in ("module", "ftrace", "userspace"):
        p.append("format %r source %r" % (doc.get("format"), doc.get("source")))
    masks = doc.get("masks") or {}
    if list(masks) != MASKS:
        p.append("masks %s, want %s" % (list(masks), MASKS))
    width = doc.get("mask_width")
    for k, m in masks.items():
        typed("masks." + k, m, MASK_KEYS, True, p)
        if m.get("value") is not None:
            want = "0x%0*x" % ((width or 4) // 4, m["value"]) if width else None
            if want and m.get("hex") != want:
                p.append("masks.%s.hex %r, value says %r" % (k, m.get("hex"), want))
        elif m.get("hex") is not None:
            p.append("masks.%s: hex without value" % k)
    subs = doc.get("subsystems") or []
    for s in subs:
        where = "subsystems.%s" % s.get("name")
        typed(where, s, SS_KEYS, True, p)
        r = s.get("reasons")
        if r is not None:
            if [x for x in REASONS if x in r] != r:
                p.append("%s.reasons %r not a subset of %s in order" % (where, r, REASONS))
            if s.get("visible") is not None and s["visible"] == bool(r):
                p.append("%s: visible %r with reasons %r" % (where, s["visible"], r))
    root = masks.get("root_controllers", {}).get("names")
    if root is not None and doc.get("source") == "module":
        if root != [s["name"] for s in subs if s["visible"]]:
            p.append("root_controllers names %s differ from the visible subsystems" % root)
    return p


def agree(mod, other):
    p = schema(other)
    mods = {s["name"]: s for s in mod["subsystems"]}
    names = [s["name"] for s in other["subsystems"]]
    if other.get("complete") and sorted(names) != sorted(mods):
        p.append("complete, but lists %s; the module %s" % (sorted(names), sorted(mods)))
    for s in other["subsystems"]:
        if s["name"] not in mods:
            p.append("lists %s, the module does not" % s["name"])
            continue
        compare(mods[s["name"]], s, "subsystem " + s["name"], p)
        for k in ("visible", "enabled"):
            if s[k] is None:
                p.append("subsystem %s: %s unknown" % (s["name"], k))
    for k, m in other["masks"].items():
        for f in ("value", "names"):
            if m.get(f) is not None and m[f] != mod["masks"][k][f]:
                p.append("mask %s.%s %r, module says %r" % (k, f, m[f], mod["masks"][k][f]))
    if other["masks"]["root_controllers"]["names"] is None:
        p.append("root_controllers names unknown")
    return p


PROM_LINE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? -?[0-9.e+]+$')


def prom(text):
    p, typed_names = [], set()
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("# TYPE "):
            typed_names.add(line.split()[2])
        elif line.startswith("# HELP ") or not line:
            continue
        elif not PROM_LINE.match(line):
            p.append("line %d: %r" % (n, line))
        elif line.split("{")[0].split()[0] not in typed_names:
            p.append("line %d: sample before its # TYPE" % n)
    if not text.endswith("\n"):
        p.append("no final newline")
    return p


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "schema":
        p = schema(json.load(open(args[0])))
    elif cmd == "compare":
        p = agree(json.load(open(args[0])), json.load(open(args[1])))
    elif cmd == "prom":
        p = prom(open(args[0]).read())
    else:
        sys.exit("usage: jsoncheck.py schema|compare|prom FILE...")
    for line in p:
        print(line)
    sys.exit(1 if p else 0)


if __name__ == "__main__":
    main()
