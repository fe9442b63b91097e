#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge the cgmask lockdown boots (tests/kunit/lockdown.sh).

    lockdown.py --reader CGMASK --run MODE:DIR [--run MODE:DIR ...]

MODE is none, integrity or confidentiality (the boot's lockdown=); DIR
holds that boot's console.log and data.log, the evidence
tests/kunit/lockdown_init.sh collected in the format of tests/vm/guest
(parsed with tests/vm/check.py's Run, splats found with its SPLAT).
Prints one "ok N MODE/check" or "not ok N MODE/check" line per check,
with "# " lines saying what differed. Exit status 1 if any check failed.

What each mode must do, as measured on the 6.1 KUnit kernel:
- all: the kernel trusts the project's key; the signed module loads
  without taint E and its 0444 file reads and parses; module parameters
  work, a bad number or lookup= is refused with EINVAL, an unknown name
  is ignored with a warning; a module with a corrupted signed body is
  refused with EKEYREJECTED; no splat, no taint beyond O and E.
- none: unsigned and foreign-key modules load, tainting E.
- integrity, confidentiality: they are refused with EPERM and the
  lockdown line in dmesg; debugfs refuses files that are not plain 0444
  (kmemleak, 0644) and refuses chmod, so the 0444 file stays readable.
- confidentiality: tracefs is empty, so the reader's ftrace source fails
  and says lockdown, and the auto source falls back to userspace.
- none, raised at run time (securityfs) after chmod 0644 of the file:
  debugfs refuses it with EPERM, and the reader says the kernel is
  locked down instead of failing obscurely.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "vm"))
from check import ADDRESS, ALLOWED_TAINT, SPLAT, Run  # noqa: E402

TAINT_UNSIGNED = 1 << 13
EPERM = "Operation not permitted"
EKEYREJECTED = "Key was rejected by service"
ENOENT = "No such file or directory"
EINVAL = "Invalid argument"
LOCKDOWN_INSMOD = "Lockdown: insmod: unsigned module loading is restricted"
LOCKDOWN_CHMOD = "Lockdown: chmod: debugfs access is restricted"
UNVERIFIED = "module verification failed: signature and/or required key missing"
KEY_CN = "cgmask KUnit kernel module signing key"


class Judge:
    def __init__(self, reader):
        self.reader = reader
        self.n = 0
        self.failed = 0

    def point(self, name, problems):
        self.n += 1
        if problems:
            self.failed += 1
            print("not ok %d %s" % (self.n, name))
            for p in problems:
                for line in str(p).splitlines():
                    print("# %s" % line)
        else:
            print("ok %d %s" % (self.n, name))

    def parse(self, dump):
        """The reader's JSON for a dump (-f), or (None, why not)."""
        with tempfile.NamedTemporaryFile("w", suffix=".dump") as f:
            f.write(dump + "\n")
            f.flush()
            p = subprocess.run([self.reader, "-f", f.name, "-J"],
                               capture_output=True, text=True, check=False)
        if p.returncode:
            return None, "the reader rejected the dump (exit %d): %s" % (
                p.returncode, p.stderr.strip())
        try:
            return json.loads(p.stdout), None
        except ValueError as e:
            return None, "the reader printed invalid JSON: %s" % e


def json_of(text):
    """The JSON document in TEXT (a reader's stdout and stderr merged)."""
    text = text or ""
    i = text.find("{")
    if i < 0:
        return None, text.strip()
    try:
        return json.loads(text[i:]), text[:i].strip()
    except ValueError:
        return None, text.strip()


def expect(problems, cond, what):
    if not cond:
        problems.append(what)


def shown(run, phase, name):
    return "%s %s (rc=%s): %r" % (phase, name, run.rc(phase, name),
                                  (run.text(phase, name) or "")[-600:])


def refused(run, phase, errno_text, dmesg_text=None):
    """The load of PHASE failed with ERRNO_TEXT (and DMESG_TEXT)."""
    p = []
    text = run.text(phase, "insmod") or ""
    expect(p, run.rc(phase, "insmod") not in (0, None) and errno_text in text,
           "insmod must fail with '%s': %s" % (errno_text, shown(run, phase, "insmod")))
    if dmesg_text:
        expect(p, dmesg_text in (run.text(phase, "dmesg") or ""),
               "no '%s' in dmesg: %s" % (dmesg_text, shown(run, phase, "dmesg")))
    expect(p, (run.text(phase, "rmmod") is None),
           "the module was loaded and had to be removed")
    return p


def loaded(run, phase, unsigned):
    """The load of PHASE succeeded, the module tainted E (not verified)
    exactly when UNSIGNED."""
    p = []
    expect(p, run.rc(phase, "insmod") == 0,
           "insmod failed: %s" % shown(run, phase, "insmod"))
    modtaint = (run.text(phase, "modtaint") or "").strip()
    expect(p, ("E" in modtaint) == unsigned and "O" in modtaint,
           "/sys/module/cgmask/taint is %r, expected %s" %
           (modtaint, "OE" if unsigned else "O"))
    return p


def judge_boot(j, mode, run):
    locked = mode != "none"
    pre = mode + "/"

    p = []
    if "@@ cgmask-harness: TIMEOUT" in run.console or not run.done:
        tail = "\n".join(run.console.replace("\r", "").splitlines()[-15:])
        p.append("guest did not finish (hang or crash); console tail:\n" + tail)
    j.point(pre + "boot", p)
    if not run.items:
        return

    p = []
    expect(p, "[%s]" % mode in (run.text("boot", "lockdown") or ""),
           "securityfs does not say [%s]: %s" % (mode, shown(run, "boot", "lockdown")))
    j.point(pre + "lockdown_mode", p)

    p = []
    expect(p, KEY_CN in (run.text("boot", "certs") or ""),
           "the kernel did not load the project's certificate: %s"
           % shown(run, "boot", "certs"))
    j.point(pre + "kernel_key", p)

    # The signed module, and its file.
    p = loaded(run, "signed", unsigned=False)
    taint = (run.text("signed", "taint") or "").strip()
    expect(p, taint.isdigit() and not int(taint) & TAINT_UNSIGNED,
           "kernel taint %r after the signed module" % taint)
    j.point(pre + "signed/insmod", p)
    p = []
    expect(p, (run.text("signed", "mode") or "").strip() == "444",
           "the file's mode is not 444: %s" % shown(run, "signed", "mode"))
    dump = run.text("signed", "dump")
    model = None
    if dump is None or run.rc("signed", "dump"):
        p.append("the file could not be read: %s" % shown(run, "signed", "dump"))
    else:
        model, err = j.parse(dump)
        if err:
            p.append(err)
    if model:
        visible = {s["name"] for s in model["subsystems"] if s["visible"]}
        ctrl = set((run.text("signed", "controllers") or "").split())
        expect(p, visible == ctrl, "visible %s but cgroup.controllers %s"
               % (sorted(visible), sorted(ctrl)))
    j.point(pre + "signed/read", p)

    p = []
    files = (run.text("signed", "files") or "").split("\n")
    files = [f for f in files if f.strip()]
    expect(p, files, "no debugfs file listed: %s" % shown(run, "signed", "files"))
    for f in files:
        expect(p, f.endswith(" mode=444 read_rc=0"),
               "every debugfs file of the module must be 0444 and readable: %s" % f)
    j.point(pre + "signed/every_file", p)

    p = []
    expect(p, run.rc("signed", "table") == 0,
           "cgmask failed: %s" % shown(run, "signed", "table"))
    doc, _ = json_of(run.text("signed", "json"))
    expect(p, run.rc("signed", "json") == 0 and doc and doc.get("source") == "module",
           "cgmask -J did not read the module: %s" % shown(run, "signed", "json"))
    j.point(pre + "signed/reader", p)

    p = []
    doc, msg = json_of(run.text("signed", "json_ftrace"))
    if mode == "confidentiality":
        # tracefs creates no files under confidentiality.
        expect(p, run.rc("signed", "json_ftrace") == 2 and doc is None and
               "lockdown" in msg,
               "--source ftrace must fail (exit 2) naming lockdown: %s"
               % shown(run, "signed", "json_ftrace"))
    else:
        expect(p, run.rc("signed", "json_ftrace") == 0 and doc and
               doc.get("source") == "ftrace",
               "--source ftrace failed: %s" % shown(run, "signed", "json_ftrace"))
    j.point(pre + "signed/ftrace", p)

    p = []
    if locked:
        expect(p, run.rc("signed", "kmemleak") != 0 and
               EPERM in (run.text("signed", "kmemleak") or ""),
               "debugfs served a 0644 file: %s" % shown(run, "signed", "kmemleak"))
        expect(p, run.rc("signed", "chmod") != 0 and
               EPERM in (run.text("signed", "chmod") or ""),
               "chmod of the debugfs file was not refused: %s"
               % shown(run, "signed", "chmod"))
        expect(p, LOCKDOWN_CHMOD in (run.text("signed", "chmod_dmesg") or ""),
               "no '%s' in dmesg: %s" % (LOCKDOWN_CHMOD, shown(run, "signed", "chmod_dmesg")))
    else:
        expect(p, run.rc("signed", "kmemleak") == 0,
               "kmemleak unreadable: %s" % shown(run, "signed", "kmemleak"))
        expect(p, run.rc("signed", "chmod") == 0,
               "chmod failed: %s" % shown(run, "signed", "chmod"))
    j.point(pre + "debugfs_lockdown", p)

    p = []
    expect(p, run.rc("signed", "rmmod") == 0, "rmmod failed: %s" % shown(run, "signed", "rmmod"))
    expect(p, run.rc("gone", "read") != 0 and ENOENT in (run.text("gone", "read") or ""),
           "the file outlived the module: %s" % shown(run, "gone", "read"))
    expect(p, run.rc("gone", "reader") == 2 and
           "cgmask.ko is not loaded" in (run.text("gone", "reader") or ""),
           "--source module without the module: %s" % shown(run, "gone", "reader"))
    doc, _ = json_of(run.text("gone", "auto"))
    want = "userspace" if mode == "confidentiality" else "ftrace"
    expect(p, run.rc("gone", "auto") == 0 and doc and doc.get("source") == want,
           "auto without the module must use the %s source: %s"
           % (want, shown(run, "gone", "auto")))
    j.point(pre + "unloaded", p)

    p = loaded(run, "param", unsigned=False)
    model, err = j.parse(run.text("param", "dump") or "")
    if err:
        p.append(err)
    elif model:
        for k in ("implicit", "inhibit", "threaded"):
            via = (model["masks"].get(k) or {}).get("via")
            expect(p, via == "param", "mask %s: via=%s, expected param" % (k, via))
    j.point(pre + "param", p)

    p = refused(run, "badnum", EINVAL,
                "cgmask: `nonsense' invalid for parameter `cgroup_mutex'")
    j.point(pre + "param_not_a_number", p)
    p = refused(run, "badlookup", EINVAL, "cgmask: refusing to load: lookup= takes")
    j.point(pre + "param_bad_lookup", p)
    p = loaded(run, "unknown", unsigned=False)
    expect(p, "cgmask: unknown parameter 'no_such_param' ignored"
           in (run.text("unknown", "dmesg") or ""),
           "no warning about the unknown parameter: %s" % shown(run, "unknown", "dmesg"))
    j.point(pre + "param_unknown_ignored", p)

    for what in ("unsigned", "foreign"):
        if locked:
            p = refused(run, what, EPERM, LOCKDOWN_INSMOD)
        else:
            p = loaded(run, what, unsigned=True)
            if what == "unsigned":
                expect(p, UNVERIFIED in (run.text(what, "dmesg") or ""),
                       "no '%s' in dmesg: %s" % (UNVERIFIED, shown(run, what, "dmesg")))
        j.point(pre + what, p)
    j.point(pre + "tampered", refused(run, "tampered", EKEYREJECTED))

    if not locked:
        for level, fallback in (("integrity", "ftrace"), ("confidentiality", "userspace")):
            ph = "raise_" + level
            p = []
            expect(p, "[%s]" % level in (run.text(ph, "raise") or ""),
                   "could not raise lockdown: %s" % shown(run, ph, "raise"))
            expect(p, run.rc(ph, "read") != 0 and EPERM in (run.text(ph, "read") or ""),
                   "debugfs served the 0644 file: %s" % shown(run, ph, "read"))
            msg = run.text(ph, "reader") or ""
            expect(p, run.rc(ph, "reader") == 2 and EPERM in msg and
                   "lockdown=%s" % level in msg,
                   "--source module must exit 2 naming lockdown=%s: %s"
                   % (level, shown(run, ph, "reader")))
            doc, msg = json_of(run.text(ph, "auto"))
            expect(p, run.rc(ph, "auto") == 0 and doc and doc.get("source") == fallback
                   and "lockdown=%s" % level in msg and fallback in msg,
                   "auto must fall back to %s saying why: %s"
                   % (fallback, shown(run, ph, "auto")))
            j.point(pre + ph, p)

    p = []
    for (ph, name), (text, _) in sorted(run.items.items()):
        if name in ("dump", "table", "json", "json_ftrace", "reader", "auto") and \
           ADDRESS.search(text or ""):
            p.append("%s %s contains a kernel address" % (ph, name))
    j.point(pre + "no_address", p)

    p = []
    logs = run.console + "\n" + (run.text("final", "dmesg") or "")
    hits = [l for l in logs.splitlines() if SPLAT.search(l)]
    if hits:
        p.append("kernel splat:\n" + "\n".join(hits[:10]))
    taint = (run.text("final", "taint") or "").strip()
    if not taint.isdigit():
        p.append("no final taint value")
    elif int(taint) & ~ALLOWED_TAINT:
        p.append("kernel tainted %s (beyond out-of-tree/unsigned/test)" % taint)
    j.point(pre + "splat", p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reader", required=True)
    ap.add_argument("--run", action="append", required=True, metavar="MODE:DIR")
    a = ap.parse_args()
    j = Judge(a.reader)
    for spec in a.run:
        mode, _, d = spec.partition(":")
        if mode not in ("none", "integrity", "confidentiality"):
            ap.error("unknown mode %r" % mode)
        console = open(os.path.join(d, "console.log"), errors="replace").read()
        try:
            data = open(os.path.join(d, "data.log"), errors="replace").read()
        except OSError:
            data = ""
        judge_boot(j, mode, Run("kunit", "lockdown-" + mode, console, data))
    return 1 if j.failed else 0


if __name__ == "__main__":
    sys.exit(main())
