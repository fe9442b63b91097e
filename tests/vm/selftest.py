#!/usr/bin/env python3
"""Prove the checker can fail: feed check.py a real run with one fault
injected at a time and require that the matching test point fails.

The run is the one just recorded on the kernel under test (its default
scenario), so nothing here is a hard-coded kernel answer: each fault is a
small edit of what that kernel said. Prints KTAP; the exit status is 0 only
when every injected fault was caught and the untouched run passed.

RUN_DIR holds console.log and data.log (or data.log.gz, as the recorded
runs in tests/vm/fixtures do, which make check also feeds it without a VM).

usage: selftest.py --kernel K --dir RUN_DIR --reader CGMASK
"""
import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def item_re(phase, name):
    return re.compile(r"(@@ BEGIN %s %s\n)(.*?)(@@ END %s %s rc=)(\d+)"
                      % (phase, name, phase, name), re.S)


def edit_item(phase, name, body=None, rc=None):
    """A data-log edit that replaces one item's output and/or exit code."""
    def f(data):
        def sub(m):
            b = m.group(2)
            if body:
                b = body(b.rstrip("\n"))
                b = b + "\n" if b else b
            return m.group(1) + b + m.group(3) + (str(rc) if rc is not None else m.group(4))
        new, n = item_re(phase, name).subn(sub, data, count=1)
        if not n:
            raise LookupError("item %s %s not in the run" % (phase, name))
        return new
    return f


def drop_first_word(text):
    words = text.split()
    return " ".join(words[1:])


def bump_oracle(text):
    return re.sub(r"inhibit=(\d+)", lambda m: "inhibit=%d" % (int(m.group(1)) ^ 1), text)


def flip_enabled(text):
    out, done = [], False
    for line in text.splitlines():
        f = line.split()
        if not done and len(f) == 4 and not line.startswith("#"):
            f[3] = "0" if f[3] == "1" else "1"
            line, done = "\t".join(f), True
        out.append(line)
    return "\n".join(out)


def leak_address(text):
    return text.replace("\nend ", "\n# ffff888012345678\nend ", 1)


def drop_subsystem(text):
    return re.sub(r"\nss id=0 [^\n]*", "", text, count=1)


def empty_root_controllers(text):
    return re.sub(r"(\ncgroup id=\d+ level=0 path=/ \S+ controllers=0x)([0-9a-f]+)",
                  lambda m: m.group(1) + "0" * len(m.group(2)), text, count=1)


def short_churn(data):
    """A stress phase whose cgroup churn fell short of what it wanted."""
    item = ("@@ BEGIN stress readers\n"
            "reader 0 mode=cat reads=1 invalid=0 failed=0\n"
            "v1 cycles=1\n"
            "cgroups created=500 wanted=2000 seconds=64\n"
            "@@ END stress readers rc=0\n")
    if "@@ DONE" not in data:
        raise LookupError("no @@ DONE line in the run")
    return data.replace("@@ DONE", item + "@@ DONE", 1)


# (name, console edit, data edit, test point that must fail)
FAULTS = [
    ("oops in the console", lambda c: c + "\nBUG: kernel NULL pointer dereference\n",
     None, "splat"),
    ("lockdep report", lambda c: c + "\nWARNING: possible circular locking dependency detected\n",
     None, "splat"),
    ("hung task", lambda c: c + "\nINFO: task mount:225 blocked for more than 120 seconds.\n",
     None, "splat"),
    ("proprietary taint", None, edit_item("final", "taint", body=lambda t: "1"), "splat"),
    ("guest hang", lambda c: c + "\n@@ cgmask-harness: TIMEOUT after 180 s\n",
     lambda d: d.replace("@@ DONE", ""), "boot"),
    ("module load failed", None, edit_item("main", "insmod", rc=1), "main/insmod"),
    ("controller missing from cgroup.controllers", None,
     edit_item("main", "controllers", body=drop_first_word), "main/visible"),
    ("ftrace oracle disagrees", None, edit_item("main", "oracle", body=bump_oracle), "main/oracle"),
    ("/proc/cgroups enabled column differs", None,
     edit_item("main", "proc_cgroups", body=flip_enabled), "main/proc_cgroups"),
    ("subsystem missing from the dump", None,
     edit_item("main", "dump", body=drop_subsystem), "main/parse"),
    ("kernel address in the dump", None,
     edit_item("main", "dump", body=leak_address), "main/"),
    ("bogus address accepted", None, edit_item("bogus_addr", "insmod", rc=0), "bogus_addr"),
    ("cgmask_cgroups root misses controllers", None,
     edit_item("main", "cgroups", body=empty_root_controllers), "main/cgroups"),
    ("cgroup churn short of its minimum", None, short_churn, "stress/readers"),
]


def check(kernel, console, data, reader):
    with tempfile.TemporaryDirectory() as tmp:
        c, d = os.path.join(tmp, "console.log"), os.path.join(tmp, "data.log")
        with open(c, "w") as f:
            f.write(console)
        with open(d, "w") as f:
            f.write(data)
        p = subprocess.run([sys.executable, os.path.join(HERE, "check.py"),
                            "--kernel", kernel, "--scenario", "selftest",
                            "--console", c, "--data", d, "--reader", reader],
                           capture_output=True, text=True, check=False)
    prefix = "%s/selftest/" % kernel
    failed = [l.split(" ", 3)[3][len(prefix):] for l in p.stdout.splitlines()
              if l.startswith("not ok ")]
    return p.returncode, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--reader", required=True)
    a = ap.parse_args()
    console = open(os.path.join(a.dir, "console.log"), errors="replace").read()
    path = os.path.join(a.dir, "data.log")
    if os.path.exists(path):
        data = open(path, errors="replace").read()
    else:  # a recorded fixture (tests/vm/fixtures) is kept compressed
        with gzip.open(path + ".gz", "rt", errors="replace") as f:
            data = f.read()
    results = []
    rc, failed = check(a.kernel, console, data, a.reader)
    results.append(("untouched run passes", [] if rc == 0 and not failed
                    else ["the recorded run itself fails: %s" % failed]))
    for name, cedit, dedit, point in FAULTS:
        try:
            c = cedit(console) if cedit else console
            d = dedit(data) if dedit else data
        except LookupError as e:
            results.append((name, ["cannot inject: %s" % e]))
            continue
        rc, failed = check(a.kernel, c, d, a.reader)
        hit = [f for f in failed if f.startswith(point)]
        results.append((name, [] if rc != 0 and hit else
                        ["checker did not fail %s (rc=%d, failed: %s)" % (point, rc, failed)]))
    print("KTAP version 1")
    print("1..%d" % len(results))
    for i, (name, problems) in enumerate(results, 1):
        full = "%s/checker_selftest/%s" % (a.kernel, re.sub(r"\W+", "_", name))
        print(("ok %d %s" if not problems else "not ok %d %s") % (i, full))
        for pr in problems:
            print("# %s: %s" % (full, pr))
    bad = sum(1 for _, p in results if p)
    print("%d passed, %d failed" % (len(results) - bad, bad))
    return 1 if any(p for _, p in results) else 0


if __name__ == "__main__":
    sys.exit(main())
