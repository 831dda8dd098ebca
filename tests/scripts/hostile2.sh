#!/usr/bin/env bash
# hostile2.sh - the second attack (issue #11): each defect it found, as a
# case that failed before its fix.  cli.md §2 ("any input", exit status),
# §3 (gcc form escapes control characters), format.md §2 (the bad line
# alone is skipped).  tests/scripts/pathological.sh covers the quadratic
# NUL runs, and tests/unit/test_source.c the chunking of long lines.
#
# Prints "ok - NAME" / "not ok - NAME" per case; exits 1 if any failed.
# Environment: LADDER (default build/ladder).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
LADDER=${LADDER:-$here/build/ladder}
case $LADDER in /*) ;; *) LADDER=$here/$LADDER ;; esac
[ -x "$LADDER" ] || { echo "not ok - $LADDER is not built"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ladder-hostile2.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2

# Under ASan (make sanitize sets SANITIZE) the stack and address-space
# limits are not the program's own: the chain runs without ulimit -s, and
# the out-of-memory cases are skipped (ASan reserves terabytes of address
# space, ulimit -v stops it from starting).
sanitized=${SANITIZE:-}
if [ -n "$sanitized" ]; then small_stack=:; else small_stack='ulimit -s 256'; fi

failed=0 n=0
ok()     { n=$((n + 1)); echo "ok - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
# expect NAME CONDITION-COMMAND...: ok when the command succeeds
expect() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d" "$(head -c 600 out 2>/dev/null)" "$(head -c 300 err 2>/dev/null)"; fi; }
lint() { "$LADDER" lint --today 2011-06-30 "$@" >out 2>err; rc=$?; }
has() { grep -qF -- "$1" out; }
hasnt() { ! grep -qF -- "$1" out; }

# --- 2. a comment line with a bad byte swallows only itself ----------------
printf '; caf\xe9\n2011-02-30 * A\n' >c1.ladder
lint c1.ladder
expect "comment with a Latin-1 byte: the bad-date on the next line is reported" \
    has 'c1.ladder:2:1: error: 2011-02-30 is not a date'
expect "comment with a Latin-1 byte: its own syntax error" has 'c1.ladder:1:6: error: invalid UTF-8 byte 0xe9'

printf '2011-02-01 * A\n    ; caf\xe9\n    ask intro x -> yes\n    next none\n' >c2.ladder
lint c2.ladder
expect "indented bad comment: the ask below it counts (no false no-ask)" hasnt '[no-ask]'

printf '2011-02-01 * A\n    ; \0\n    ask intro x -> yes\n    next none\n' >c3.ladder
lint c3.ladder
expect "indented comment with a NUL: the ask below it counts" hasnt '[no-ask]'
expect "indented comment with a NUL: reported as a NUL" has 'c3.ladder:2:7: error: a NUL byte'

printf '2011-01-01 * B\n    ask intro x -> yes\n    next none\n' >inc.ladder
printf '; \xff\ninclude inc.ladder\n; \xe9\nrule unknown-client warning\n; \x80\nclient Zed\n2011-01-01 * Zed\n    ask intro x -> yes\n    next none\n2011-01-01 * Q\n    ask intro x -> yes\n    next none\n' >c4.ladder
lint --strict c4.ladder
expect "bad comment before include: the include is read" has "inc.ladder"
expect "bad comment before rule: the rule applies" has "c4.ladder:10:14: warning:"
expect "bad comment before client: the client is declared" hasnt "c4.ladder:7:14:"

# --- 3. control characters never reach the terminal raw --------------------
printf '2011-01-01 * Ev\033[31mil\a\v\f\x7f\xc2\x85\xe2\x80\xa8\xe2\x80\xae | T\xe2\x81\xa6x\n' >esc.ladder
lint --format gcc esc.ladder
expect "gcc: no raw C0/C1 controls, DEL, U+2028 or bidi controls" \
    python3 -c 'import sys; t=open("out","rb").read().decode("utf-8"); bad=[c for c in t if c!="\n" and (ord(c)<0x20 or 0x7f<=ord(c)<=0x9f or c in "\u2028\u2029" or 0x202a<=ord(c)<=0x202e or 0x2066<=ord(c)<=0x2069)]; sys.exit(1 if bad else 0)'
expect "gcc: ESC is shown as \\x1b" has 'Ev\x1b[31mil\x07'
expect "gcc: U+202E is shown as \\u202e" has '\u202e'
lint --format tty --color never esc.ladder
expect "tty: no raw controls, bidi or zero-width characters" \
    python3 -c 'import sys; t=open("out","rb").read().decode("utf-8"); bad=[c for c in t if c!="\n" and (ord(c)<0x20 or 0x7f<=ord(c)<=0x9f or c in "\u2028\u2029\u200b\u200c\u200d\u200e\u200f\ufeff" or 0x202a<=ord(c)<=0x202e or 0x2060<=ord(c)<=0x2069)]; sys.exit(1 if bad else 0)'
nl_name=$'new\nline.ladder'
printf '2011-01-01 * A\n' >"$nl_name"
lint --format gcc "$nl_name"
expect "a newline in a file name never splits a diagnostic" \
    test "$(grep -c . out)" = "$(grep -c '^new\\x0aline.ladder:[0-9]*:[0-9]*: ' out)"
mkdir -p inc
printf '2011-01-01 * A\n' >$'inc/e\033]0;x\a.ladder'
printf 'include inc/e\033]0;x\a.ladder\ninclude \033[2Jmissing.ladder\n' >incesc.ladder
lint --format gcc incesc.ladder
expect "gcc: include paths and file names escaped" \
    python3 -c 'import sys; t=open("out","rb").read(); sys.exit(1 if (b"\x1b" in t or b"\x07" in t or not t) else 0)'

# --- 4. standard input with --stdin-filename is the named file -------------
printf 'include b.ladder\n2011-01-01 * A\n    ask intro x -> yes\n    next none\n' >a.ladder
printf 'include a.ladder\n2011-01-02 * B\n' >b.ladder
for f in gcc json sarif; do
    "$LADDER" lint --today 2011-06-30 --format $f a.ladder >file.out 2>&1
    cat a.ladder | "$LADDER" lint --today 2011-06-30 --format $f --stdin-filename a.ladder - >pipe.out 2>&1
    "$LADDER" lint --today 2011-06-30 --format $f --stdin-filename a.ladder - <a.ladder >redir.out 2>&1
    expect "include cycle through the root: stdin ($f, pipe and redirect) = the file" \
        eval 'cmp -s file.out pipe.out && cmp -s file.out redir.out'
done
cat a.ladder | "$LADDER" lint --today 2011-06-30 --stdin-filename a.ladder - >out 2>err
expect "include cycle through a piped root: no duplicate-entry" hasnt duplicate-entry

# --- 5. a FIFO waits for its writer ----------------------------------------
# The writer comes half a second after ladder started; each side gives up
# after 10 s (a ladder that read the FIFO as empty leaves its writer
# blocked, and the case fails instead of hanging).
mkfifo root.fifo
timeout 10 "$LADDER" lint --today 2011-06-30 root.fifo >fifo.out 2>&1 &
reader=$!
sleep 0.5
timeout 10 sh -c "printf '2011-01-01 * A\n' >root.fifo"
wait $reader
expect "a FIFO root waits for its writer and is read" \
    grep -q 'root.fifo:1:1: warning: nothing was asked' fifo.out
mkfifo part.fifo
printf 'include part.fifo\n' >withfifo.ladder
timeout 10 "$LADDER" lint --today 2011-06-30 withfifo.ladder >fifo2.out 2>&1 &
reader=$!
sleep 0.5
timeout 10 sh -c "printf '2011-01-01 * A\n' >part.fifo"
wait $reader
expect "an included FIFO waits for its writer and is read" \
    grep -q 'part.fifo:1:1: warning: nothing was asked' fifo2.out

# --- 6. any length: a long line on standard input, in a file ---------------
python3 -c 'import sys; sys.stdout.write("2011-01-01 * " + "a" * 3000000 + "\n2011-02-30 * B\n")' >long.ladder
lint - <long.ladder
expect "a 3 MB line on standard input is read (the next line is checked)" has '<stdin>:2:1: error: 2011-02-30'
cat long.ladder | "$LADDER" lint --today 2011-06-30 - >out 2>err
expect "... and through a pipe" has '<stdin>:2:1: error: 2011-02-30'

# --- 7. a deep include chain on a small stack ------------------------------
mkdir deep
for i in $(seq 0 999); do printf 'include d%d.ladder\n' $((i + 1)) >deep/d$i.ladder; done
printf '2011-02-30 * Z\n' >deep/d1000.ladder
($small_stack; "$LADDER" lint --today 2011-06-30 deep/d0.ladder >out 2>err; echo $? >rc)
expect "1000 nested includes under ulimit -s 256 (without it under ASan)" \
    eval 'test "$(cat rc)" = 1 && has "deep/d1000.ladder:1:1: error: 2011-02-30"'
printf 'include d1002.ladder\n' >deep/d1001.ladder
printf 'include d1001.ladder\n' >deep/d1000.ladder
($small_stack; "$LADDER" lint --today 2011-06-30 deep/d0.ladder >out 2>err; echo $? >rc)
expect "1001 nested includes: an include error, no crash" \
    eval 'test "$(cat rc)" = 1 && has "deep/d1000.ladder:1:1: error: cannot include '"'"'d1001.ladder'"'"': includes are nested more than 1000 deep"'

# --- 8. json and sarif are whole documents or nothing ----------------------
python3 -c '
import sys
w = sys.stdout.write
for i in range(400000): w("2011-01-01 * Client%d | t\n    ask intro x -> yes\n" % i)' >big.ladder
printf '2011-01-01 * A\n' >small.ladder
for f in json sarif; do
    if [ -n "$sanitized" ]; then
        ok "out of memory in $f # SKIP under ASan"
        continue
    fi
    (ulimit -v 200000; "$LADDER" lint --today 2011-06-30 --format $f small.ladder big.ladder >out 2>err; echo $? >rc)
    expect "out of memory in $f: exit 2, and a whole document or nothing" \
        eval 'test "$(cat rc)" = 2 && grep -q "^ladder: .*out of memory" err &&
              { test ! -s out || python3 -c "import json,sys; json.load(open(\"out\"))"; }'
done

# --- 9. write errors, closed pipes -----------------------------------------
for args in "--help" "--version" "rules" "explain no-ask" "lint --help" "lint --version" "lint c1.ladder" "lint --format json c1.ladder"; do
    # shellcheck disable=SC2086
    "$LADDER" $args >/dev/full 2>err; rc=$?
    expect "ladder $args >/dev/full: exit 2 with a ladder: message" \
        eval 'test $rc = 2 && test "$(grep -c "^ladder: " err)" = 1'
done
python3 -c '
import sys
for i in range(20000): sys.stdout.write("2011-01-01 * C%d\n" % i)' >many.ladder
for args in "lint many.ladder" "lint --format json many.ladder" "rules" "explain no-ask"; do
    # shellcheck disable=SC2086
    ( trap '' PIPE; "$LADDER" $args 2>err | head -c 1 >/dev/null )
    expect "ladder $args into a closed pipe (SIGPIPE ignored): nothing on standard error" test ! -s err
done

# --- 10. -- before file names that look like options -----------------------
cp c1.ladder ./-q.ladder
cp c1.ladder ./--format=json.ladder
lint -- -q.ladder
expect "lint -- -q.ladder lints the file" has '-q.ladder:2:1: error: 2011-02-30'
lint -- --format=json.ladder
expect "lint -- --format=json.ladder lints the file" has '--format=json.ladder:2:1: error: 2011-02-30'
"$LADDER" -- -q.ladder >out 2>err
expect "ladder -- -q.ladder lints the file" has '-q.ladder:2:1: error: 2011-02-30'

# --- 11. --include-root -----------------------------------------------------
mkdir -p proj/sub outside
printf '2011-01-01 * SecretClient\n' >outside/secret.ladder
ln -s ../outside/secret.ladder proj/link.ladder
ln -s ../outside proj/outdir
printf '2011-01-01 * Ok\n    ask intro x -> yes\n    next none\n' >proj/sub/ok.ladder
printf 'include sub/ok.ladder\ninclude ../outside/secret.ladder\ninclude link.ladder\ninclude outdir/secret.ladder\ninclude /etc/passwd\ninclude sub/../../outside/secret.ladder\ninclude %s/proj/sub/ok.ladder\n' "$tmp" >proj/main.ladder
lint --include-root proj proj/main.ladder
expect "--include-root: files outside are include errors" \
    test "$(grep -c 'outside the include root' out)" = 5
expect "--include-root: nothing outside is read" eval '! grep -q -e SecretClient -e root: out'
expect "--include-root: files inside are read" hasnt 'sub/ok.ladder'"'"':'
lint --include-root proj --stdin-filename proj/main.ladder - <proj/main.ladder
expect "--include-root: standard input too" test "$(grep -c 'outside the include root' out)" = 5
lint --include-root=nowhere proj/main.ladder
expect "--include-root that is not a folder: usage error" \
    eval 'test $rc = 2 && grep -q "^ladder: --include-root" err'
lint proj/main.ladder
expect "without --include-root an outside file is read" has 'SecretClient'

echo "# $n cases, $failed failed"
[ "$failed" -eq 0 ]
