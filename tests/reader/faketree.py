#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""faketree.py TREE DIR: write under DIR/cgroup the cgroupfs a kernel in the
state of TREE (a cgmask_cgroups dump, docs/format.md) would show: one
directory per cgroup with cgroup.controllers, cgroup.subtree_control and
(below the root) cgroup.type; and DIR/debugfs/cgmask_cgroups, the dump
itself. Run after fakesys.py, which writes the rest of DIR.
"""
import os
import re
import sys

TYPES = {"domain": "domain", "domain_threaded": "domain threaded",
         "domain_invalid": "domain invalid", "threaded": "threaded"}


def unescape(v):
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), v)


def main():
    dump, root = sys.argv[1], sys.argv[2]
    names = []
    for line in open(dump):
        words = line.split()
        rec = dict(w.split("=", 1) for w in words[1:] if "=" in w)
        if words[0] == "ss":
            names.append(rec["name"])
        if words[0] != "cgroup" or rec["path"] == "?":
            continue
        path = unescape(rec["path"])
        d = os.path.join(root, "cgroup", path.lstrip("/"))
        os.makedirs(d, exist_ok=True)

        def put(name, text):
            with open(os.path.join(d, name), "w") as f:
                f.write(text + "\n")

        for key, name in (("controllers", "cgroup.controllers"),
                          ("subtree_control", "cgroup.subtree_control")):
            mask = int(rec[key], 16)
            put(name, " ".join(n for i, n in enumerate(names) if mask >> i & 1))
        if path != "/":
            put("cgroup.type", TYPES[rec["type"]])
    os.makedirs(os.path.join(root, "debugfs"), exist_ok=True)
    with open(os.path.join(root, "debugfs", "cgmask_cgroups"), "w") as f:
        f.write(open(dump).read())


if __name__ == "__main__":
    main()
