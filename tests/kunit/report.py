#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one cgmask KUnit VM run from its serial console log.

    report.py --tree KDIR --console LOG --suites N --out DIR

Cuts the module's KTAP out of the console (between the init's "insmod
begin" and "insmod rc=" markers), puts a top-level "KTAP version 1 / 1..N"
in front of it (the boot's own empty "1..0" plan would stop the parser),
and has KDIR's tools/testing/kunit parse it twice: `kunit.py parse` as the
kernel's own gate, and its kunit_parser module for the per-case lines.
Then looks at the whole console for KASAN, lockdep, WARNING, BUG, call
traces, panics, kmemleak reports, a timeout or an unfinished guest.

Prints one line per case, "ok N suite.case" or "not ok N suite.case"
(skips as "ok N suite.case # SKIP reason"), one "not ok" point per kind of
console trouble with the excerpt as "# " lines, and last
"N passed, N failed, N skipped". Exit status 1 if anything failed.
"""

import argparse
import io
import os
import re
import subprocess
import sys

MARK = '@@ cgmask-kunit: '

# (point name, pattern); one failing point per kind found.
CONSOLE_CHECKS = [
    ('kasan', re.compile(r'BUG: KASAN|KASAN: ')),
    ('lockdep', re.compile(
        r'possible circular locking|possible recursive locking|'
        r'inconsistent lock state|suspicious RCU usage|'
        r'lock held when returning|bad unlock balance|'
        r'INFO: lockdep is turned off|DEBUG_LOCKS_WARN_ON|'
        r'BUG: sleeping function called from invalid context|'
        r'BUG: scheduling while atomic')),
    ('warning', re.compile(r'WARNING:')),
    ('bug', re.compile(r'BUG:|kernel BUG at')),
    ('call_trace', re.compile(r'Call Trace:')),
    ('oops', re.compile(r'Oops:|general protection fault|Kernel panic')),
    ('kmemleak', re.compile(r'unreferenced object|kmemleak: .* new suspected memory leaks')),
    ('timeout', re.compile(r'@@ cgmask-harness: TIMEOUT')),
]


class Report:
    def __init__(self):
        self.n = 0
        self.passed = self.failed = self.skipped = 0

    def point(self, ok, name, note='', detail=''):
        self.n += 1
        if ok == 'skip':
            self.skipped += 1
            print(f'ok {self.n} {name} # SKIP {note}'.rstrip())
        elif ok:
            self.passed += 1
            print(f'ok {self.n} {name}')
        else:
            self.failed += 1
            print(f'not ok {self.n} {name}' + (f' # {note}' if note else ''))
        for line in detail.splitlines():
            print(f'# {line}')

    def finish(self):
        print(f'{self.passed} passed, {self.failed} failed, {self.skipped} skipped')
        return 1 if self.failed else 0


def excerpt(lines, i, before=3, after=15):
    return '\n'.join(lines[max(0, i - before):i + after])


def skip_reasons(ktap):
    """{(suite, case): reason} and {(suite, case): [failed params]}."""
    reasons, failed_params = {}, {}
    suite, pending = None, []
    sub = re.compile(r'^    # Subtest: (\S+)$')
    case = re.compile(r'^    (not ok|ok) \d+ (?:- )?(\S+)(?: # SKIP ?(.*))?$')
    param = re.compile(r'^        not ok \d+ (?:- )?(.*?)(?: # .*)?$')
    for line in ktap:
        m = sub.match(line)
        if m:
            suite, pending = m.group(1), []
            continue
        m = param.match(line)
        if m:
            pending.append(m.group(1))
            continue
        m = case.match(line)
        if m and suite:
            if m.group(3) is not None:
                reasons[(suite, m.group(2))] = m.group(3)
            if pending:
                failed_params[(suite, m.group(2))] = pending
            pending = []
    return reasons, failed_params


def judge_ktap(rep, args, body):
    """The module's KTAP: one point per case, plus parser trouble."""
    ktap = ['KTAP version 1', f'1..{args.suites}'] + body
    ktap_file = os.path.join(args.out, 'ktap.txt')
    with open(ktap_file, 'w') as f:
        f.write('\n'.join(ktap) + '\n')

    # The kernel's own tool, as the gate.
    kunit_py = os.path.join(args.tree, 'tools/testing/kunit/kunit.py')
    parse = subprocess.run([sys.executable, kunit_py, 'parse',
                            os.path.abspath(ktap_file)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    with open(os.path.join(args.out, 'kunit-parse.txt'), 'w') as f:
        f.write(parse.stdout)

    # The same parser, for the per-case lines.
    sys.path.insert(0, os.path.dirname(kunit_py))
    sys.dont_write_bytecode = True  # the tree is a shared cache
    import kunit_printer  # noqa: E402
    kunit_printer.stdout._output = io.StringIO()
    import kunit_parser  # noqa: E402
    root = kunit_parser.parse_run_tests(ktap)
    ok_status = (kunit_parser.TestStatus.SUCCESS,)
    skip_status = (kunit_parser.TestStatus.SKIPPED,)

    reasons, failed_params = skip_reasons(ktap)
    any_case_failed = False
    for suite in root.subtests:
        if not suite.subtests:
            rep.point(False, f'{suite.name or "<unnamed suite>"}',
                      f'suite {suite.status.name.lower()}, no cases')
            any_case_failed = True
            continue
        for case in suite.subtests:
            name = f'{suite.name}.{case.name}'
            key = (suite.name, case.name)
            if case.status in skip_status:
                rep.point('skip', name, reasons.get(key, ''))
            elif case.status in ok_status:
                rep.point(True, name)
            else:
                any_case_failed = True
                note = case.status.name.lower()
                if key in failed_params:
                    note += ': ' + ', '.join(failed_params[key])
                log = list(case.log)
                for param in case.subtests:
                    if not param.ok_status():
                        log += [f'{param.name}:'] + param.log
                rep.point(False, name, note, '\n'.join(log[-40:]))
    if len(root.subtests) != args.suites:
        rep.point(False, 'ktap.suites',
                  f'{len(root.subtests)} of {args.suites} suites reported')
    if root.counts.errors:
        rep.point(False, 'ktap.parse', f'{root.counts.errors} parser error(s)',
                  '\n'.join(parse.stdout.splitlines()[-15:]))
    elif parse.returncode != 0 and not any_case_failed:
        rep.point(False, 'ktap.kunit_py', f'kunit.py parse exited {parse.returncode}',
                  '\n'.join(parse.stdout.splitlines()[-15:]))


def judge_guest(rep, console):
    """The init's own steps, each announced with a marker."""
    for step in ('insmod', 'rmmod'):
        rc = next((l.split('rc=', 1)[1].strip() for l in console
                   if l.startswith(MARK + step + ' rc=')), None)
        if rc != '0':
            rep.point(False, f'guest.{step}',
                      f'rc={rc}' if rc is not None else 'never finished')
    if not any(l.startswith(MARK + 'done') for l in console):
        rep.point(False, 'guest.done', 'the guest did not finish',
                  '\n'.join(console[-10:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tree', required=True)
    ap.add_argument('--console', required=True)
    ap.add_argument('--suites', type=int, required=True)
    ap.add_argument('--out', required=True)
    args = ap.parse_args()

    rep = Report()
    with open(args.console, encoding='utf-8', errors='replace') as f:
        console = [l.rstrip('\r\n').replace('\r', '') for l in f]

    begin = next((i for i, l in enumerate(console)
                  if l.startswith(MARK + 'insmod begin')), None)
    end = next((i for i, l in enumerate(console)
                if l.startswith(MARK + 'insmod rc=')), None)
    if begin is None:
        rep.point(False, 'guest.start', 'the guest never loaded the module',
                  '\n'.join(console[-15:]))
    else:
        judge_ktap(rep, args, console[begin + 1:end if end is not None
                                      else len(console)])
        judge_guest(rep, console)

    # Kernel trouble anywhere on the console. A report's own lines (the
    # BUG: and Call Trace: of a KASAN splat) count for the first kind only.
    claimed = set()
    for kind, pat in CONSOLE_CHECKS:
        hits = [i for i, l in enumerate(console)
                if pat.search(l) and i not in claimed]
        for i in hits:
            claimed.update(range(i, i + 60))
        if hits:
            rep.point(False, f'console.{kind}',
                      f'{len(hits)} line(s), first at line {hits[0] + 1}',
                      excerpt(console, hits[0]))
    return rep.finish()


if __name__ == '__main__':
    sys.exit(main())
