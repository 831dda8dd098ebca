#!/usr/bin/env python3
"""The properties of `ladder fmt` (issue #16) over every golden journal,
every example and whitespace-perturbed variants of each:

  1. fmt(fmt(x)) == fmt(x), byte for byte;
  2. fmt(x) differs from x only in blanks, line ends and the spelling of
     dates and times (the non-blank bytes, dates and times spelt
     canonically on both sides, are the same);
  3. linting x and fmt(x) gives the same diagnostics: rule, severity and
     message (line numbers inside messages aside), as a multiset.

The variants (made here, deterministic): extra blanks and tabs between
words and in the indentation, trailing blanks, runs of blank lines, CRLF,
dates spelt with / and . and one-digit months and days, one-digit hours,
and all of them at once.  Every file is copied with its folder, so its
includes resolve the same before and after.

    fmt_props.py LADDER TOPDIR WORKDIR
Prints TAP lines; exits 1 if any property fails.
"""
import os
import random
import re
import shutil
import subprocess
import sys

LADDER, TOP, WORK = sys.argv[1], sys.argv[2], sys.argv[3]

DATE = re.compile(rb'^(\d{4})-(\d\d)-(\d\d)(?=[ \t\r\n]|$)')
NEXTDATE = re.compile(rb'^([ \t]+next[ \t]+)(\d{4})-(\d\d)-(\d\d)(?=[ \t\r\n]|$)')
TIME = re.compile(rb'(?<=[ \t])0(\d):(\d\d)(?=[ \t])')


def squeeze(t):
    out = []
    for w in re.split(rb'[ \t\r\n]+', t):
        if not w:
            continue
        m = re.fullmatch(rb'(\d{4})([-/.])(\d{1,2})\2(\d{1,2})', w)
        if m:
            w = b'%04d-%02d-%02d' % (int(m.group(1)), int(m.group(3)), int(m.group(4)))
        else:
            m = re.fullmatch(rb'(\d{1,2}):(\d\d)', w)
            if m:
                w = b'%02d:%02d' % (int(m.group(1)), int(m.group(2)))
        out.append(w)
    return b''.join(out)


def blanks(rng, lo=1, hi=3):
    return b''.join(rng.choice([b' ', b'\t']) for _ in range(rng.randint(lo, hi)))


def lines_of(t):
    return t.split(b'\n')


def spread(t, rng):
    """Extra blanks between words and in the indentation."""
    out = []
    for ln in lines_of(t):
        if not ln.strip():
            out.append(ln)
            continue
        m = re.match(rb'^([ \t]*)(.*)$', ln, re.S)
        ind, body = m.group(1), m.group(2)
        if ind:
            ind = blanks(rng, 1, 6)
        body = re.sub(rb'(?<=[^ \t]) (?=[^ \t\r])',
                      lambda _: blanks(rng) if rng.random() < 0.6 else b' ', body)
        out.append(ind + body)
    return b'\n'.join(out)


def trailing(t, rng):
    return b'\n'.join(l + blanks(rng) if rng.random() < 0.7 and not l.endswith(b'\r') else l
                      for l in lines_of(t))


def blank_runs(t, rng):
    out = []
    for i, l in enumerate(lines_of(t)):
        if i > 0 and rng.random() < 0.3:
            out.extend([blanks(rng, 0, 2)] * rng.randint(1, 3))
        out.append(l)
    return b'\n'.join(out)


def crlf(t, rng):
    if b'\r' in t:
        return None
    return t.replace(b'\n', b'\r\n')


def dates(t, rng):
    def spell(y, m, d):
        sep = rng.choice([b'/', b'.', b'-'])
        mm = b'%d' % int(m) if rng.random() < 0.5 else m
        dd = b'%d' % int(d) if rng.random() < 0.5 else d
        return y + sep + mm + sep + dd
    out = []
    for l in lines_of(t):
        l = DATE.sub(lambda m: spell(m.group(1), m.group(2), m.group(3)), l)
        l = NEXTDATE.sub(lambda m: m.group(1) + spell(m.group(2), m.group(3), m.group(4)), l)
        l = TIME.sub(lambda m: m.group(1) + b':' + m.group(2), l)
        out.append(l)
    return b'\n'.join(out)


def everything(t, rng):
    for f in (dates, spread, trailing, blank_runs):
        t = f(t, rng)
    return crlf(t, rng) or t


PERTURB = [spread, trailing, blank_runs, crlf, dates, everything]

failures = 0
count = 0


def ok(cond, what):
    global failures, count
    count += 1
    if cond:
        print('ok - ' + what)
    else:
        failures += 1
        print('not ok - ' + what)


def run(args, cwd, data=None):
    p = subprocess.run([LADDER] + args, cwd=cwd, input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


def lint_summary(path, args, data):
    """Lint `data` as the file `path` (standard input under its name, so
    includes and include cycles resolve as for the file itself)."""
    d, n = os.path.split(path)
    rc, out, _ = run(['lint', '--format', 'gcc', '--stdin-filename', n] + args + ['-'],
                     d, data)
    keep = []
    for l in out.split(b'\n'):
        if not l:
            continue
        l = re.sub(rb'^.*?:\d+:\d+: ', b'', l)
        l = re.sub(rb'line \d+', b'line N', l)
        keep.append(l)
    return rc, sorted(keep)


def main():
    src = os.path.join(WORK, 'tree')
    shutil.copytree(os.path.join(TOP, 'tests', 'golden'), os.path.join(src, 'golden'))
    shutil.copytree(os.path.join(TOP, 'examples'), os.path.join(src, 'examples'))
    journals = []
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if f.endswith('.ladder'):
                journals.append(os.path.join(root, f))
    journals.sort()
    formatted = refused = 0
    for path in journals:
        with open(path, 'rb') as fh:
            orig = fh.read()
        base = os.path.splitext(path)[0]
        args = ['--today', '2026-01-01']
        if os.path.exists(base + '.args'):
            with open(base + '.args') as fh:
                args = fh.readline().split()
            args = [a.strip('"\'') for a in args]
        rng = random.Random(os.path.basename(path))
        variants = [('original', orig)]
        for p in PERTURB:
            v = p(orig, rng)
            if v is not None and v != orig:
                variants.append((p.__name__, v))
        for name, x in variants:
            rel = os.path.relpath(path, src)
            vpath = path if name == 'original' else '%s.%s.ladder' % (base, name)
            if vpath != path:
                with open(vpath, 'wb') as fh:
                    fh.write(x)
            d, n = os.path.split(vpath)
            rc, f1, err = run(['fmt', '--', n], d)
            if rc == 2 and b'[syntax]' in err:
                refused += 1
                continue
            if rc != 0:
                ok(False, '%s (%s): fmt exit %d: %s' % (rel, name, rc, err[:200]))
                continue
            formatted += 1
            fpath = '%s.%s.formatted.ladder' % (base, name)
            with open(fpath, 'wb') as fh:
                fh.write(f1)
            rc2, f2, _ = run(['fmt', '--', os.path.basename(fpath)], d)
            ok(rc2 == 0 and f2 == f1, '%s (%s): fmt is idempotent' % (rel, name))
            ok(squeeze(x) == squeeze(f1),
               '%s (%s): only blanks, line ends and dates change' % (rel, name))
            a = lint_summary(vpath, args, x)
            b = lint_summary(vpath, args, f1)
            same = a == b
            ok(same, '%s (%s): lint gives the same diagnostics' % (rel, name))
            if not same:
                for l in sorted(set(a[1]) ^ set(b[1]))[:6]:
                    print('#   ' + l.decode('utf-8', 'replace'))
            os.unlink(fpath)
    # A run that formats nothing proves nothing.
    ok(formatted > 100, 'formatted %d journals and variants (%d refused for syntax errors)'
       % (formatted, refused))
    print('# %d checks, %d failed' % (count, failures))
    sys.exit(1 if failures else 0)


main()
