#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""fakesys.py DUMP DIR [--no-stat]: write under DIR the files a kernel in
the state of DUMP would show, for the reader's userspace and auto sources:

  DIR/cgroup/{cgroup.controllers,cgroup.subtree_control,cgroup.stat}
  DIR/proc/{cgroups,mounts,cmdline,sys/kernel/osrelease}
  DIR/debugfs/cgmask (the dump itself)

following the kernel code the reader's userspace.c cites: cgroup.stat has
nr_subsys_<name> lines from 6.11 for every subsystem bound to v2 that is
not inhibited; /proc/cgroups lists every subsystem in id order, from 6.12
without those that have v2 files but no v1 files. --no-stat leaves out
cgroup.stat, as if it could not be read.
"""
import os
import re
import sys


def unescape(v):
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), v)


def parse(path):
    kernel, masks, subs = {}, {}, []
    for line in open(path):
        words = line.split()
        if not words or "=" not in line:
            continue
        rec = dict(w.split("=", 1) for w in words[1:])
        if words[0] == "kernel":
            kernel = rec
        elif words[0] == "mask":
            masks[rec["name"]] = int(rec["value"], 16)
        elif words[0] == "ss":
            subs.append(rec)
    return kernel, masks, subs


def version(release):
    m = re.match(r"(\d+)\.(\d+)", release)
    return (int(m.group(1)), int(m.group(2)))


def put(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def mangle(s):
    """/proc/mounts escapes space, tab, newline and backslash as \\ooo."""
    return "".join("\\%03o" % ord(c) if c in " \t\n\\" else c for c in s)


def main():
    dump, root = sys.argv[1], sys.argv[2]
    no_stat = "--no-stat" in sys.argv[3:]
    kernel, masks, subs = parse(dump)
    release = unescape(kernel["release"])
    ver = version(release)
    bit = {s["name"]: 1 << int(s["id"]) for s in subs}

    def names(mask):
        return " ".join(s["name"] for s in subs if masks[mask] & bit[s["name"]])

    put(root, "cgroup/cgroup.controllers", names("root_controllers") + "\n")
    put(root, "cgroup/cgroup.subtree_control", names("subtree_control") + "\n")
    stat = "nr_descendants 0\n"
    if ver >= (6, 11):
        live = [s["name"] for s in subs
                if s["hierarchy_id"] == "0" and not masks["inhibit"] & bit[s["name"]]]
        stat += "".join("nr_subsys_%s 1\n" % n for n in live)
        stat += "nr_dying_descendants 0\n"
        stat += "".join("nr_dying_subsys_%s 0\n" % n for n in live)
    else:
        stat += "nr_dying_descendants 0\n"
    if not no_stat:
        put(root, "cgroup/cgroup.stat", stat)

    rows = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
    for s in subs:
        if ver >= (6, 12) and s["legacy_cftypes"] == "0" and s["dfl_cftypes"] == "1":
            continue
        rows += "%s\t%s\t1\t%s\n" % (s["legacy_name"], s["hierarchy_id"], s["enabled"])
    put(root, "proc/cgroups", rows)

    mounts = "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n"
    mounts += "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n"
    hier = {}
    for s in subs:
        if s["hierarchy_id"] not in ("0", "?"):
            hier.setdefault(s["hierarchy_id"], []).append(s)
    for hid, members in sorted(hier.items()):
        opts = ["rw", "relatime"] + [s["legacy_name"] for s in members]
        hname = members[0]["hierarchy_name"]
        if hname not in ("-", "?"):
            opts.append("name=" + mangle(unescape(hname)))
        mounts += "cgroup /mnt/v1-%s cgroup %s 0 0\n" % (hid, ",".join(opts))
    put(root, "proc/mounts", mounts)

    off = [s["name"] for s in subs if s["enabled"] == "0"]
    cmdline = "BOOT_IMAGE=/vmlinuz root=/dev/vda ro"
    if off:
        cmdline += " cgroup_disable=" + ",".join(off)
    put(root, "proc/cmdline", cmdline + " -- cgroup_disable=cpu\n")
    put(root, "proc/sys/kernel/osrelease", release + "\n")
    put(root, "debugfs/cgmask", open(dump).read())


if __name__ == "__main__":
    main()
