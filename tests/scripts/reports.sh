#!/usr/bin/env bash
# The reports (cli.md section 7) from the outside: help and usage errors,
# standard input, 80 columns, CSV that a CSV reader reads back, JSON, colour
# and bars on a terminal only, the line counting errors, and one truth: the
# agenda's overdue steps are exactly lint's overdue-next diagnostics, on
# every example journal at many dates.  The facts of each report are the
# golden tests' (tests/golden/reports/).
#
#   LADDER=/abs/path/to/ladder tests/scripts/reports.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
LADDER=${LADDER:-$PWD/build/ladder}
[ -x "$LADDER" ] || { echo "not ok - $LADDER is not built"; exit 1; }
G=tests/golden/reports
T="--today 2011-03-10"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
unset NO_COLOR

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

# --- help and usage ----------------------------------------------------------
for c in agenda clients pipeline; do
    "$LADDER" $c --help >"$tmp/out" 2>"$tmp/err"
    check "$c --help: exit 0, its usage" "[ \$? = 0 ] && grep -q '^usage: ladder $c' '$tmp/out' && [ ! -s '$tmp/err' ]"
done
bad() {
    local desc=$1
    shift
    "$LADDER" "$@" $T "$G/base.ladder" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    check "$desc: exit 2, one line on stderr, nothing on stdout" \
        "[ $rc = 2 ] && [ \$(wc -l <'$tmp/err') = 1 ] && [ ! -s '$tmp/out' ]"
}
bad "agenda --format gcc" agenda --format gcc
bad "agenda --days -1" agenda --days -1
bad "agenda --days abc" agenda --days abc
bad "agenda --days with nothing after it" agenda --days
bad "clients --sort size" clients --sort size
bad "--days is agenda's only" clients --days 3
bad "--sort is clients' only" pipeline --sort name
bad "--fail-on is lint's" agenda --fail-on warning
bad "pipeline --today 2011-02-30" pipeline --today 2011-02-30
"$LADDER" agenda $T "$tmp/missing.ladder" >"$tmp/out" 2>"$tmp/err"
check "an unreadable journal: exit 2, one line" "[ \$? = 2 ] && [ \$(wc -l <'$tmp/err') = 1 ]"

# --- standard input ----------------------------------------------------------
(cd $G && "$LADDER" agenda --format csv $T --stdin-filename in.ladder - <base.ladder) >"$tmp/out" 2>"$tmp/err"
check "agenda from standard input, named by --stdin-filename" \
    "grep -q '^overdue,in.ladder,67,2011-03-08,' '$tmp/out' && [ ! -s '$tmp/err' ]"

# --- 80 columns, and every agenda line a place to jump to -------------------
cat >"$tmp/width.py" <<'EOF'
import sys, unicodedata
bad = 0
for line in sys.stdin.read().split("\n"):
    w = sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            for ch in line)
    if w > 80:
        print("# %d columns: %s" % (w, line))
        bad = 1
sys.exit(bad)
EOF
for c in agenda clients pipeline; do
    for j in base names; do
        "$LADDER" $c $T --days 30 "$G/$j.ladder" >"$tmp/out" 2>/dev/null
        check "$c on $j.ladder fits 80 columns" "python3 '$tmp/width.py' <'$tmp/out'"
    done
done
(cd $G && "$LADDER" agenda $T names.ladder) >"$tmp/out"
check "a long name and text are shortened with an ellipsis" "grep -q 'A very long client name…' '$tmp/out'"
check "control characters never reach the terminal" "! grep -q \$'\\x1b\\|\\x01\\|\\x07' '$tmp/out'"
# Each agenda line names a line that is a next line or a planned header.
(cd $G && "$LADDER" agenda $T --days 30 base.ladder) >"$tmp/out"
n=0 good=0
while IFS=: read -r f l rest; do
    n=$((n + 1))
    text=$(sed -n "${l}p" "$G/$f")
    case $text in
    "    next "*|[0-9]*" ! "*) good=$((good + 1)) ;;
    *) echo "# $f:$l is: $text" ;;
    esac
done < <(grep -E '^[^ :]+:[0-9]+: ' "$tmp/out")
check "every agenda line points at a next line or a planned entry ($n)" "[ $n -ge 5 ] && [ $n = $good ]"

# --- CSV and JSON ------------------------------------------------------------
cat >"$tmp/readcsv.py" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
width = len(rows[0])
assert all(len(r) == width for r in rows), "ragged rows"
names = {r[0] for r in rows[1:]}
for want in sys.argv[2:]:
    assert want in names, (want, names)
EOF
"$LADDER" clients --format csv $T "$G/base.ladder" >"$tmp/c.csv"
check "clients CSV reads back: commas, quotes and wide names intact" \
    "python3 '$tmp/readcsv.py' '$tmp/c.csv' 'Acme, Inc.' '\"Quote\" Co' '東京商事'"
"$LADDER" clients --format csv $T "$G/names.ladder" >"$tmp/n.csv"
check "clients CSV reads back: a control character in a name" \
    "python3 '$tmp/readcsv.py' '$tmp/n.csv' \$'Tab\\x01Ctl\\x1b[31mRed'"
check "CSV lines end in CRLF (RFC 4180)" "[ \$(grep -c \$'\\r\$' '$tmp/c.csv') = \$(wc -l <'$tmp/c.csv') ]"
for c in agenda clients pipeline; do
    "$LADDER" $c --format json $T "$G/names.ladder" "$G/base.ladder" >"$tmp/out"
    check "$c json: one document, version 1, report $c" \
        "jq -e '.version == 1 and .report == \"$c\"' '$tmp/out' >/dev/null"
done
"$LADDER" clients --format json $T "$G/names.ladder" >"$tmp/out"
check "json: a control character in a name comes back" \
    "[ \"\$(jq -r '.clients[1].name' '$tmp/out')\" = \$'Tab\\x01Ctl\\x1b[31mRed' ]"

# --- colour and bars ---------------------------------------------------------
"$LADDER" clients --color always $T "$G/base.ladder" >"$tmp/out"
check "--color always colours the text" "grep -q \$'\\x1b\\[' '$tmp/out'"
"$LADDER" clients $T "$G/base.ladder" >"$tmp/out"
check "no colour into a pipe" "! grep -q \$'\\x1b' '$tmp/out'"
"$LADDER" pipeline $T "$G/base.ladder" >"$tmp/out"
check "bars of # into a pipe" "grep -q '###' '$tmp/out' && ! grep -q '█' '$tmp/out'"
TERM=xterm script -qec "'$LADDER' pipeline $T '$G/base.ladder'" /dev/null >"$tmp/out" 2>&1
check "on a terminal: block bars, coloured" "grep -q '█' '$tmp/out' && grep -q \$'\\x1b\\[' '$tmp/out'"
NO_COLOR=1 TERM=xterm script -qec "'$LADDER' pipeline $T '$G/base.ladder'" /dev/null >"$tmp/out" 2>&1
check "on a terminal with NO_COLOR: blocks, no colour" "grep -q '█' '$tmp/out' && ! grep -q \$'\\x1b\\[' '$tmp/out'"

# --- a journal with errors ---------------------------------------------------
(cd $G && "$LADDER" clients $T errors.ladder) >"$tmp/out" 2>"$tmp/err"
rc=$?
check "errors: still reported, exit 0, one line counting them" \
    "[ $rc = 0 ] && grep -q '^Acme, Inc.' '$tmp/out' && [ \$(wc -l <'$tmp/err') = 1 ] && grep -q '2 errors' '$tmp/err'"
(cd $G && "$LADDER" lint --format gcc $T errors.ladder) >"$tmp/lint"
check "... as many as lint reports" "[ \$(grep -c ': error: ' '$tmp/lint') = 2 ]"

# --- one truth: the agenda's overdue steps are lint's overdue-next ----------
same=0 diff=0
for j in examples/*.ladder $G/base.ladder $G/names.ladder; do
    for d in 2011-01-15 2011-02-20 2011-03-05 2011-03-10 2011-04-01 2011-06-01 2011-08-01 2012-01-01; do
        "$LADDER" lint --format gcc --today $d "$j" | grep '\[overdue-next\]' |
            cut -d: -f1,2 | sort >"$tmp/a"
        "$LADDER" agenda --format csv --today $d "$j" | grep '^overdue,' |
            awk -F, '{print $2 ":" $3}' | sort >"$tmp/b"
        # The agenda names the file as the journal does; lint as given.
        sed -i 's|^.*/||' "$tmp/a" "$tmp/b"
        if cmp -s "$tmp/a" "$tmp/b"; then same=$((same + 1)); else
            diff=$((diff + 1)); echo "# $j at $d:"; diff "$tmp/a" "$tmp/b" | sed 's/^/#   /'; fi
    done
done
check "agenda overdue = lint overdue-next ($same journal-dates)" "[ $diff = 0 ] && [ $same -gt 0 ]"
# ... and clients' overdue flag names the same clients.
diff=0
for d in 2011-02-20 2011-03-10 2011-06-01; do
    for j in examples/pitfalls.ladder $G/base.ladder; do
        a=$("$LADDER" agenda --format json --today $d "$j" | jq -r '[.overdue[].client] | unique | .[]')
        b=$("$LADDER" clients --format json --today $d "$j" | jq -r '[.clients[] | select(.flags | index("overdue")) | .name] | unique | .[]')
        [ "$a" = "$b" ] || { echo "# $j $d: agenda '$a' clients '$b'"; diff=$((diff + 1)); }
    done
done
check "the overdue flag and the agenda agree" "[ $diff = 0 ]"

[ $failed = 0 ]
