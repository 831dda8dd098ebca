#!/usr/bin/env bash
# pathological.sh - time is linear in the input, whatever its bytes (cli.md
# §2 "any input"), in cmark's style: each pathological journal is linted at
# a size N and at 4N, and the test compares the two times.  Linear work
# takes about 4 times as long; the square of the size, 16 times.  A case
# fails when the ratio exceeds PATHO_RATIO (default 9), or when the big run
# takes longer than 40 times the small one plus 2 s (it is killed then: a
# quadratic scanner would otherwise run for minutes).  Each size is timed
# best of three, so one slow spell of the machine does not fail a case.
#
# Prints "ok - NAME" / "not ok - NAME" per case; exits 1 if any failed.
# Environment: LADDER (default build/ladder), PATHO_N (default 262144 bytes),
# PATHO_RATIO.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
LADDER=${LADDER:-$here/build/ladder}
case $LADDER in /*) ;; *) LADDER=$here/$LADDER ;; esac
[ -x "$LADDER" ] || { echo "not ok - $LADDER is not built"; exit 1; }
command -v python3 >/dev/null || { echo "not ok - python3 is needed"; exit 1; }

exec python3 - "$LADDER" "${PATHO_N:-262144}" "${PATHO_RATIO:-9}" <<'PY'
import subprocess, sys, time

ladder, N, RATIO = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
HDR = b'2011-01-01 * (call) Acme | t\n'

def rep(unit, n):
    return unit * max(1, n // len(unit))

# name -> a function of the size in bytes
CASES = {
    'run of NUL bytes':            lambda n: rep(b'\0', n),
    'NUL lines':                   lambda n: rep(b'\0\n', n),
    'NULs in a comment':           lambda n: b'; ' + rep(b'x\0', n) + b'\n',
    'NULs in an indented comment': lambda n: HDR + b'    ; ' + rep(b'\0', n) + b'\n',
    'NULs in a note':              lambda n: HDR + b'    note ' + rep(b'\0x', n) + b'\n',
    'NULs in a client name':       lambda n: b'2011-01-01 * ' + rep(b'a\0 ', n) + b'\n',
    'NULs in a title':             lambda n: b'2011-01-01 * A | ' + rep(b'\0 ', n) + b'\n',
    'NULs after ->':               lambda n: HDR + b'    ask intro x ' + rep(b'->\0', n) + b'\n',
    'invalid bytes':               lambda n: rep(b'\xff', n),
    'invalid bytes in a note':     lambda n: HDR + b'    note ' + rep(b'\xe9 ', n) + b'\n',
    'blanks':                      lambda n: rep(b' ', n),
    'tabs then a word':            lambda n: HDR + rep(b'\t', n) + b'x\n',
    'words in a client name':      lambda n: b'2011-01-01 * ' + rep(b'a ', n) + b'\n',
    'blanks before a comment':     lambda n: b'2011-01-01 * A' + rep(b' ', n) + b';\n',
    'semicolons':                  lambda n: b'2011-01-01 * ' + rep(b'a ;', n) + b'\n',
    'arrows in an ask':            lambda n: HDR + b'    ask intro ' + rep(b'-> ', n) + b'\n',
    'arrows then a semicolon':     lambda n: HDR + b'    ask intro ' + rep(b'->;', n) + b'\n',
    'pipes':                       lambda n: b'2011-01-01 * A ' + rep(b'|', n) + b'\n',
    'carriage returns':            lambda n: rep(b'\r', n),
    'CR in a name':                lambda n: b'2011-01-01 * ' + rep(b'a\r', n) + b'\n',
    'ladder-ignore lists':         lambda n: HDR[:-1] + b' ; ladder-ignore: ' + rep(b'no-ask,', n) + b'\n',
    'unknown ignore ids':          lambda n: HDR[:-1] + b' ; ladder-ignore: ' + rep(b'x,', n) + b'\n',
    'bad column-1 words':          lambda n: rep(b'x\n', n),
    'indented lines with no block': lambda n: rep(b' x\n', n),
    'entries':                     lambda n: rep(HDR, n),
    'items':                       lambda n: HDR + rep(b'    ask meeting Budget -> no\n', n),
}

def run(data, limit):
    best = None
    for _ in range(3):
        t = time.perf_counter()
        try:
            subprocess.run([ladder, 'lint', '--today', '2026-01-01', '-'],
                           input=data, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=limit)
        except subprocess.TimeoutExpired:
            return None
        d = time.perf_counter() - t
        best = d if best is None else min(best, d)
    return best

failed = 0
for name, make in CASES.items():
    small = run(make(N), 120)
    big = None if small is None else run(make(4 * N), 40 * small + 2)
    if small is None or big is None:
        failed += 1
        print(f'not ok - {name}: killed (small run {small})')
        continue
    # Below a few ms, process start-up dominates: compare from a floor.
    ratio = max(big, 0.02) / max(small, 0.005)
    if ratio > RATIO:
        failed += 1
        print(f'not ok - {name}: {N} bytes {small:.3f}s, {4*N} bytes {big:.3f}s, ratio {ratio:.1f}')
    else:
        print(f'ok - {name}: ratio {ratio:.1f} ({small:.3f}s, {big:.3f}s)')
sys.exit(1 if failed else 0)
PY
