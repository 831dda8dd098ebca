#!/usr/bin/env bash
# fmt_patho.sh - `ladder fmt` takes time linear in its input (as
# pathological.sh does for lint): each journal is formatted at N and 4N
# bytes; the ratio of the times must stay under PATHO_RATIO (default 9;
# linear is 4, quadratic 16).  The cases aim at the formatter's loops: the
# look-ahead over comments after blank lines, the word check of a line,
# the search for comments and anchors.
set -u
LADDER=${LADDER:-$(cd "$(dirname "$0")/../.." && pwd)/build/ladder}
exec python3 - "$LADDER" "${PATHO_N:-131072}" "${PATHO_RATIO:-9}" <<'PY'
import subprocess, sys, time

ladder, N, RATIO = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
HDR = b'2011-01-01 * (call) Acme | t\n'

def rep(unit, n):
    return unit * max(1, n // len(unit))

CASES = {
    'blank and comment lines':      lambda n: rep(b'\n; c\n', n) + b'2011-01-01 A\n',
    'blank lines then comments':    lambda n: rep(b'\n', n // 2) + rep(b'; c\n', n // 2) + HDR,
    'blanks, comments, items':      lambda n: HDR + rep(b'\n  ; c\n\n    note x\n', n),
    'indented comments in a block': lambda n: HDR + rep(b'\n\t; c\n', n) + b'    note x\n',
    'words in a client name':       lambda n: b'2011-01-01 *  ' + rep(b'a  ', n) + b'\n',
    'words in a title':             lambda n: b'2011-01-01 A | ' + rep(b'w \t', n) + b'\n',
    'trailing comments':            lambda n: HDR + rep(b'    note x   ; c  \n', n),
    'arrows in an ask':             lambda n: HDR + b'    ask intro ' + rep(b'-> ', n) + b'-> yes\n',
    'entries':                      lambda n: rep(b'2011/1/1   *  (call)  Acme|t\n  next none\n', n),
    'directives':                   lambda n: rep(b'client   A  b\n  alias   x\n', n),
    'trailing blanks':              lambda n: HDR + rep(b'    note x' + b' ' * 40 + b'\n', n),
}

def run(data, limit):
    best = None
    for _ in range(3):
        t = time.perf_counter()
        try:
            p = subprocess.run([ladder, 'fmt', '-'], input=data, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=limit)
        except subprocess.TimeoutExpired:
            return None, None
        d = time.perf_counter() - t
        best = d if best is None else min(best, d)
    return best, p.returncode

failed = 0
for name, make in CASES.items():
    small, rc = run(make(N), 120)
    big, rc2 = (None, None) if small is None else run(make(4 * N), 40 * small + 2)
    if small is None or big is None:
        failed += 1
        print(f'not ok - fmt {name}: killed (small run {small})')
        continue
    if rc != 0 or rc2 != 0:
        failed += 1
        print(f'not ok - fmt {name}: exit {rc}, {rc2} (the case must format)')
        continue
    ratio = max(big, 0.02) / max(small, 0.005)
    if ratio > RATIO:
        failed += 1
        print(f'not ok - fmt {name}: {N} bytes {small:.3f}s, {4*N} bytes {big:.3f}s, ratio {ratio:.1f}')
    else:
        print(f'ok - fmt {name}: ratio {ratio:.1f} ({small:.3f}s, {big:.3f}s)')
sys.exit(1 if failed else 0)
PY
