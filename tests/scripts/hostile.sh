#!/usr/bin/env bash
# hostile.sh - hostile inputs never crash, hang, leak or print non-diagnostics.
#
# Builds each input at run time in a temporary folder and runs
#   $LADDER lint --today 2026-01-01 ...
# under `timeout`.  Each case passes when the exit status is the expected
# one (0/1 for a journal, 2 for an unusable root file), the status is never
# a crash (>= 128) or a hang, every line on standard output is a gcc-form
# diagnostic, and an exit 2 comes with exactly one line on standard error
# and nothing on standard output.  Some cases also compare outputs (CRLF and
# BOM must not change the diagnostics).  With valgrind installed (and a
# binary not built with sanitizers), a few cases run again under valgrind.
#
# Prints "ok - NAME" / "not ok - NAME" per case; exits 1 if any failed.
# Environment: LADDER (default build/ladder), HOSTILE_TIMEOUT (default 20).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
LADDER=${LADDER:-$here/build/ladder}
case $LADDER in /*) ;; *) LADDER=$here/$LADDER ;; esac
TMO=${HOSTILE_TIMEOUT:-20}
TODAY=2026-01-01

if [ ! -x "$LADDER" ]; then
    echo "not ok - $LADDER is not built"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ladder-hostile.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2

DIAG_RE='^[^:]+:[0-9]+:[0-9]+: (error|warning|note): '
failed=0 n=0
out=$tmp/.out err=$tmp/.err

ok()     { n=$((n + 1)); echo "ok - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# check NAME EXPECTED_CODES -- ARGS...   (stdin from $STDIN if set, else /dev/null)
# Runs ladder lint; leaves stdout in $out, stderr in $err, status in $rc.
check() {
    local name=$1 want=$2; shift 3
    timeout -k 5 "$TMO" "$LADDER" lint --today "$TODAY" "$@" <"${STDIN:-/dev/null}" >"$out" 2>"$err"
    rc=$?
    local why=()
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
        why+=("hang: no exit within ${TMO}s")
    elif [ $rc -ge 128 ]; then
        why+=("crash: exit $rc (signal $((rc - 128)))")
    elif [[ " $want " != *" $rc "* ]]; then
        why+=("exit $rc, expected one of: $want")
    fi
    local bad
    bad=$(LC_ALL=C grep -avE "$DIAG_RE" "$out" | head -n 3)
    [ -n "$bad" ] && why+=("stdout lines that are not diagnostics: $(printf '%q' "$bad")")
    if [ $rc -eq 2 ]; then
        [ -s "$out" ] && why+=("exit 2 with output on stdout")
        local nl
        nl=$(wc -l <"$err")
        [ "$nl" -eq 1 ] || why+=("exit 2 with $nl lines on stderr, expected 1")
    fi
    if [ ${#why[@]} -eq 0 ]; then
        ok "$name"
    else
        not_ok "$name" "${why[@]}" "stderr: $(head -c 300 "$err" | tr '\n' '|')"
    fi
    return 0
}

# expect_in NAME REGEX : a further check on the last run's stdout.
expect_in() {
    if LC_ALL=C grep -aqE "$2" "$out"; then ok "$1"
    else not_ok "$1" "no stdout line matches: $2" "stdout: $(head -c 400 "$out" | tr '\n' '|')"; fi
}

# A small valid journal used as the body of several cases.
good() {
    cat <<'EOF'
; a comment on line 1
client Acme Corp
    alias acme

2011-02-14 * (call) Acme Corp | First call
    plan  intro
    ask   intro  Introduction to the CFO  -> yes
    next  2011-02-21 meeting  Budget walkthrough

2011-02-21 * (meeting) acme | Budget walkthrough
    plan  needs
    ask   contract  Sign now  -> later
    next  2011-03-01  Send spend data

2011-02-30 ! acme | A bad date and a planned call in the past
    ask   nosuchrung  What is this
EOF
}

# --- bytes ------------------------------------------------------------------
good >good.ladder
check "a valid journal lints" "0 1" -- good.ladder
expect_in "the valid journal reports its bad date" '^good\.ladder:15:1: error: .*\[bad-date\]'

printf '2011-01-01 * Acme\0Corp\n    plan intro\n\0\0\0\n    ask \0intro -> yes\n\0' >nul.ladder
check "NUL bytes" "1" -- nul.ladder
expect_in "NUL bytes are syntax errors" '^nul\.ladder:[0-9]+:[0-9]+: error: .*\[syntax\]'

printf '\0' >nul-only.ladder
check "a file of one NUL byte" "1" -- nul-only.ladder

# every byte value, raw, and inside each part of an entry
LC_ALL=C awk 'BEGIN { for (i = 0; i < 256; i++) printf "%c", i }' >allbytes.ladder
check "every byte value 0..255 in a row" "0 1" -- allbytes.ladder
LC_ALL=C awk 'BEGIN { for (i = 0; i < 256; i++) {
        b = sprintf("%c", i)
        printf "2011-01-%02d * Client%s%d | Title %s\n    plan in%stro\n    ask intro %s -> yes\n    next 2011-02-01 %s\n%s\n", i % 28 + 1, b, i, b, b, b, b, b } }' >bytes-in-fields.ladder
check "every byte value inside names, rungs, text and as a line" "0 1" -- bytes-in-fields.ladder

{
    printf '2011-01-01 * Acme \xff\xfe | overlong \xc0\x80 and \xe0\x80\x80\n'
    printf '    plan intro\n    ask intro truncated \xe2\x82 -> yes\n'
    printf '    note surrogate \xed\xa0\x80 and beyond U+10FFFF \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80\n'
    printf '    gave lone continuation \x80\xbf\n'
    printf 'client \xc3\n    alias \xe2\x82\xac\xe2\n'
    printf '2011-01-02 * \xf0\x9f\x98\x80 Ok emoji client\n    ask intro ok -> yes\n'
    printf '2011-01-03 * truncated at end of file \xf0\x9f\x98'
} >utf8.ladder
check "invalid UTF-8" "1" -- utf8.ladder
expect_in "invalid UTF-8 is a syntax error" '^utf8\.ladder:1:[0-9]+: error: .*\[syntax\]'

# --- long lines ---------------------------------------------------------------
long=$(head -c 2097152 /dev/zero | tr '\0' 'a')
{ printf '2011-01-01 * %s | title\n    ask intro x -> yes\n' "$long"; } >longname.ladder
check "a 2 MB client name" "0 1" -- longname.ladder
{ printf '2011-01-01 * Acme\n    note %s\n    gave %s\n' "$long" "$long"; } >longtext.ladder
check "2 MB item texts" "0 1" -- longtext.ladder
{ printf '; %s\n%s\n' "$long" "$long"; } >longjunk.ladder
check "a 2 MB comment and a 2 MB junk line" "1" -- longjunk.ladder
{ printf '2011-01-01 * Acme\n    ask %s -> yes\n    plan %s\n' "$long" "$long"; } >longrung.ladder
check "a 2 MB rung name" "1" -- longrung.ladder
head -c 2097152 /dev/zero | tr '\0' '\t' >tabs.ladder
check "2 MB of tabs and no newline" "0 1" -- tabs.ladder
unset long

# --- includes ---------------------------------------------------------------
# A 300-deep chain, each file one folder further down, each including the
# next by a path relative to itself; the last has a bad date.
mkdir -p chain
d=chain
for i in $(seq 1 300); do
    mkdir -p "$d/d"
    printf 'include d/f%d.ladder\n2011-01-%02d * Acme%d\n    ask intro x -> yes\n    next none\n' \
        "$i" $((i % 28 + 1)) "$i" >"$d/f$((i - 1)).ladder"
    d=$d/d
done
printf '2011-02-30 * Deepest\n    ask intro x -> yes\n    next none\n' >"$d/f300.ladder"
check "a 300-deep include chain" "1" -- chain/f0.ladder
expect_in "the 300-deep chain reaches its last file" '/f300\.ladder:1:1: error: .*\[bad-date\]'

printf 'include b.ladder\n2011-01-01 * A\n' >cyc-a.ladder
printf 'include cyc-a.ladder\n2011-01-02 * B\n' >b.ladder
check "an include cycle of two files" "1" -- cyc-a.ladder
expect_in "the cycle is an include diagnostic" '\[include\]'

printf 'include self.ladder\n' >self.ladder
check "a file that includes itself" "1" -- self.ladder
mkdir -p sub
printf 'include ../sub/./spelled.ladder\ninclude spelled.ladder\n' >sub/spelled.ladder
check "a cycle through different spellings of one path" "1" -- sub/spelled.ladder

for i in $(seq 1 50); do printf 'include dup%d.ladder\ninclude dup%d.ladder\n' $((i + 1)) $((i + 1)) >dup$i.ladder; done
printf '2011-01-01 * Leaf\n' >dup51.ladder
check "a diamond include lattice 50 deep (2^50 paths if not deduplicated)" "0 1" -- dup1.ladder

printf 'include nowhere.ladder\ninclude\ninclude   \ninclude /\ninclude .\ninclude %s\n' "$tmp" >badinc.ladder
check "includes of a missing file, nothing, / and a folder" "1" -- badinc.ladder
printf 'include /dev/zero\ninclude /dev/urandom\n' >devinc.ladder
check "includes of /dev/zero and /dev/urandom" "1" -- devinc.ladder

# --- files that are not journals ----------------------------------------------
mkdir -p folder.ladder
check "a folder as the journal" "2" -- folder.ladder
check "/dev/null as the journal (empty)" "0 2" -- /dev/null
check "/dev/zero as the journal" "2" -- /dev/zero
check "/dev/urandom as the journal" "2" -- /dev/urandom
check "a missing file" "2" -- no-such-file.ladder
good >notadir
check "a path whose parent is a file" "2" -- notadir/x.ladder
if [ "$(id -u)" != 0 ]; then
    good >unreadable.ladder
    chmod 000 unreadable.ladder
    check "an unreadable file (mode 000)" "2" -- unreadable.ladder
else
    ok "an unreadable file (mode 000) # SKIP root can read it; covered by a parent that is a file"
fi
STDIN=/dev/zero check "/dev/zero on standard input" "2" -- -
STDIN=nul.ladder check "NUL bytes on standard input" "1" -- --stdin-filename in.ladder -

# --- line ends and byte-order marks ---------------------------------------------
good >lf.ladder
check "LF line ends" "0 1" -- lf.ladder
cp "$out" lf.out
good | sed 's/$/\r/' >crlf.ladder
check "CRLF line ends" "0 1" -- crlf.ladder
if diff <(sed 's/^crlf\.ladder:/F:/' "$out") <(sed 's/^lf\.ladder:/F:/' lf.out) >/dev/null; then
    ok "CRLF gives the same diagnostics as LF"
else
    not_ok "CRLF gives the same diagnostics as LF" "$(diff <(sed 's/^crlf\.ladder:/F:/' "$out") <(sed 's/^lf\.ladder:/F:/' lf.out) | head -n 6 | tr '\n' '|')"
fi
good | tr '\n' '\r' >cr.ladder
check "CR-only line ends" "0 1" -- cr.ladder
{ printf '\xef\xbb\xbf'; good; } >bom.ladder
check "a byte-order mark" "0 1" -- bom.ladder
if diff <(sed 's/^bom\.ladder:/F:/' "$out") <(sed 's/^lf\.ladder:/F:/' lf.out) >/dev/null; then
    ok "a BOM gives the same diagnostics as none"
else
    not_ok "a BOM gives the same diagnostics as none" "$(diff <(sed 's/^bom\.ladder:/F:/' "$out") <(sed 's/^lf\.ladder:/F:/' lf.out) | head -n 6 | tr '\n' '|')"
fi
{ good; printf '\xef\xbb\xbf2011-03-01 * acme\n\xef\xbb\xbf\xef\xbb\xbf\n'; } >midbom.ladder
check "byte-order marks in the middle of a file" "1" -- midbom.ladder
{ printf '\xef\xbb\xbf'; good; } | sed 's/$/\r/' >bomcrlf.ladder
check "a BOM with CRLF line ends" "0 1" -- bomcrlf.ladder
printf '\xef\xbb' >halfbom.ladder
check "half a byte-order mark" "1" -- halfbom.ladder
printf '\r\r\n\n\r\n \r\n\t\r\n' >blankcr.ladder
check "blank lines of CR, CRLF and blanks" "0 1" -- blankcr.ladder

# --- size ---------------------------------------------------------------------
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "client Client number %d\n    alias c%d\n", i, i;
             for (i = 0; i < 100000; i++) printf "%04d-%02d-%02d * c%d | call %d\n    ask intro x -> yes\n    next none\n", 2000 + i % 25, i % 12 + 1, i % 28 + 1, i, i }' >clients.ladder
check "100k distinct declared clients" "0 1" -- --strict clients.ladder
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "2011-01-01 * Undeclared client %d\n    plan intro\n", i }' >undeclared.ladder
check "100k distinct undeclared clients, strict" "1" -- --strict undeclared.ladder
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "2011-01-01 * Same\n" }' >same.ladder
check "100k identical entries (duplicate notes)" "0 1" -- same.ladder
awk 'BEGIN { printf "2011-01-01 * Acme\n"; for (i = 0; i < 100000; i++) printf "    ask intro x%d -> no\n", i }' >asks.ladder
check "one entry with 100k declined asks" "0 1" -- asks.ladder

# --- odd values ---------------------------------------------------------------
cat >values.ladder <<'EOF'
option max-step 99999999999999999999999999
option max-step -1
option max-step 0
option stall-after 2147483648
option strict maybe
option nosuch 1
option
rule syntax off
rule nosuch error
rule stalled loud
ladder
    a
    a
ladder
0000-00-00 * A
9999-12-31 * B
99999-01-01 * C
2011-13-40 25:61 * D
2011-1-1 00:00 * E
    next 2011-02-29 99:99 nosuchrung x
    next 2012-02-29 23:59 a ok
    ask a -> maybe
    ask a -> -> -> yes -> no
    ask
    plan
    got
    next
    next none
    frobnicate
2011/02/03 ~ (this is a long (kind)) F | | |
2011.02.03 * () G
2011-02-03 * (x
2011-02-03 *
2011-02-03
-2011-02-03 * H
    ; ladder-ignore: nosuch, , syntax,
2011-02-04 * I ; ladder-ignore:
EOF
check "odd option, rule, ladder, date and item values" "1" -- values.ladder
check "a huge --option value is refused or clamped" "1 2" -- --option max-step=99999999999999999999 good.ladder
check "an unknown --rule is a usage error" "2" -- --rule nosuch=error good.ladder
check "a bad --today is a usage error" "2" -- --today 2011-02-30 good.ladder
: >empty.ladder
check "an empty file" "0" -- empty.ladder
printf 'client A\n    alias A\nclient A\n    alias B\nclient B\n' >aliases.ladder
check "clients and aliases that collide" "0 1" -- aliases.ladder

# --- under valgrind -----------------------------------------------------------
sanitized=no
if [ -n "${SANITIZE:-}" ] || LC_ALL=C grep -aq -e __asan_init -e __ubsan_handle "$LADDER" 2>/dev/null; then
    sanitized=yes
fi
# valgrind cannot follow malloc and free in a static binary: use the same
# program linked dynamically (make builds ladder-dynamic beside ladder).
VG_LADDER=$LADDER
if [ $sanitized = no ] && ! LC_ALL=C grep -aq /ld-linux "$LADDER" 2>/dev/null; then
    VG_LADDER=$(dirname "$LADDER")/ladder-dynamic
fi
if command -v valgrind >/dev/null 2>&1 && [ $sanitized = no ] && [ ! -x "$VG_LADDER" ]; then
    not_ok "valgrind: $VG_LADDER is not built (make $VG_LADDER)"
elif command -v valgrind >/dev/null 2>&1 && [ $sanitized = no ]; then
    for f in nul.ladder allbytes.ladder bytes-in-fields.ladder utf8.ladder cyc-a.ladder \
             crlf.ladder bom.ladder cr.ladder values.ladder badinc.ladder longjunk.ladder; do
        timeout -k 5 $((TMO * 6)) valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite "$VG_LADDER" lint --today "$TODAY" "$f" >"$out" 2>"$err"
        rc=$?
        if [ $rc -eq 0 ] || [ $rc -eq 1 ]; then
            ok "valgrind: $f"
        else
            not_ok "valgrind: $f" "exit $rc" "$(grep -E '==[0-9]+==' "$err" | head -n 12 | tr '\n' '|')"
        fi
    done
    timeout -k 5 $((TMO * 6)) valgrind -q --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite "$VG_LADDER" lint --today "$TODAY" /dev/zero >"$out" 2>"$err"
    rc=$?
    if [ $rc -eq 2 ]; then ok "valgrind: /dev/zero"
    else not_ok "valgrind: /dev/zero" "exit $rc" "$(grep -E '==[0-9]+==' "$err" | head -n 12 | tr '\n' '|')"; fi
else
    ok "valgrind runs # SKIP valgrind missing or sanitizer build"
fi

echo "1..$n"
[ $failed -eq 0 ]
