#!/usr/bin/env python3
"""Keep real dumps from a VM run as reader test inputs.

    tests/vm/record.py RUNDIR [DEST]

RUNDIR is what tests/vm/run.sh KERNEL RUNDIR left (one directory per
scenario with its data.log). Every complete dump of the phases below is
written to DEST (default tests/reader/dumps) as
real-MAJOR.MINOR-SCENARIO[-PHASE].dump, so tests/reader/run.sh parses and
renders it (the stress scenario's dumps equal the default's and are left
out); `make -C tools golden-update` then records its goldens.
"""
import os
import re
import sys

PHASES = ("main", "v1_mounted", "v1_unmounted")


def dumps(path):
    cur, name, buf = None, None, []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            m = re.match(r"@@ BEGIN (\S+) (\S+)$", line)
            if m:
                cur, name, buf = m.group(1), m.group(2), []
                continue
            m = re.match(r"@@ END (\S+) (\S+) rc=(\d+)(?: t=[0-9.]+)?$", line)
            if m and cur is not None:
                if name == "dump" and m.group(3) == "0":
                    yield cur, buf
                cur = None
                continue
            if cur is not None:
                buf.append(line)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip())
    run = sys.argv[1]
    dest = sys.argv[2] if len(sys.argv) == 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "reader", "dumps")
    os.makedirs(dest, exist_ok=True)
    kept = 0
    for scen in sorted(os.listdir(run)):
        data = os.path.join(run, scen, "data.log")
        if scen == "stress" or not os.path.isfile(data):
            continue
        for phase, lines in dumps(data):
            if phase not in PHASES or not lines or not lines[-1].startswith("end "):
                continue
            rel = re.search(r"release=(\d+\.\d+)", "\n".join(lines[:3]))
            if not rel:
                continue
            name = "real-%s-%s%s.dump" % (rel.group(1), scen,
                                          "" if phase == "main" else "-" + phase)
            with open(os.path.join(dest, name), "w") as f:
                f.write("\n".join(lines) + "\n")
            print(name)
            kept += 1
    if not kept:
        sys.exit("record.py: no complete dump in " + run)


if __name__ == "__main__":
    main()
