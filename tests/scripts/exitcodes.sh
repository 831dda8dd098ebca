#!/usr/bin/env bash
# Every exit status on every path of the command line (spec section 8):
# 0 nothing at or above --fail-on, 1 something at or above it, 2 a usage
# error, an unreadable file or unwritable output, with exactly one line on
# standard error.  Also standard input with --stdin-filename.
#
#   LADDER=/abs/path/to/ladder tests/scripts/exitcodes.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
LADDER=${LADDER:-$PWD/build/ladder}
[ -x "$LADDER" ] || { echo "not ok - $LADDER is not built"; exit 1; }
F=tests/fixtures/output
T="--today 2011-03-02"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
unset NO_COLOR

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }

# expect STATUS ERRLINES DESC -- ARGS...   (stdin from /dev/null)
# ERRLINES: a number of stderr lines, or "-" not to check.
expect() {
    local want=$1 lines=$2 desc=$3
    shift 4
    "$LADDER" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    local rc=$? n
    n=$(wc -l <"$tmp/err")
    if [ "$rc" = "$want" ] && { [ "$lines" = - ] || [ "$n" = "$lines" ]; }; then
        ok "$desc (exit $rc)"
    else
        not_ok "$desc: exit $rc (want $want), $n stderr lines (want $lines)"
        sed 's/^/#   /' "$tmp/err" | head -5
    fi
}

# Exit 2 with one line that starts "ladder: " and nothing on stdout.
usage() {
    local desc=$1
    shift
    expect 2 1 "$desc" -- "$@"
    if grep -q '^ladder: ' "$tmp/err" && [ ! -s "$tmp/out" ]; then
        ok "$desc: the line starts 'ladder: ', stdout empty"
    else
        not_ok "$desc: stderr '$(head -c 200 "$tmp/err")', stdout $(wc -c <"$tmp/out") bytes"
    fi
}

# --- 0 and 1 ------------------------------------------------------------------
expect 0 0 "a clean journal" -- lint $T $F/clean.ladder
expect 0 0 "the same without 'lint'" -- $T $F/clean.ladder
expect 1 0 "an error" -- lint $T $F/tabs.ladder
expect 0 0 "warnings only, default --fail-on error" -- lint $T $F/warnings.ladder
expect 1 0 "warnings with --fail-on warning" -- lint $T --fail-on warning $F/warnings.ladder
expect 1 0 "warnings with --fail-on=warning" -- lint $T --fail-on=warning $F/warnings.ladder
expect 0 0 "warnings with --fail-on error" -- lint $T --fail-on error $F/warnings.ladder
expect 1 0 "a note with --fail-on note" -- lint $T --rule no-ask=note --rule missing-next=off \
    --rule overdue-next=off --fail-on note $F/warnings.ladder
expect 0 0 "a note with --fail-on warning" -- lint $T --rule no-ask=note --rule missing-next=off \
    --rule overdue-next=off --fail-on warning $F/warnings.ladder
expect 0 0 "an error with --fail-on never" -- lint $T --fail-on never $F/tabs.ladder
expect 1 0 "a warning raised to error by --rule" -- lint $T --rule no-ask=error $F/warnings.ladder
expect 0 0 "an error turned off by --rule" -- lint $T --rule syntax=off $F/tabs.ladder
expect 1 0 "an error among clean journals" -- lint $T $F/clean.ladder $F/tabs.ladder $F/clean.ladder
expect 1 0 "-q still fails on the error" -- lint -q $T $F/tabs.ladder
expect 1 0 "-q: warnings still count for --fail-on" -- lint -q $T --fail-on warning $F/warnings.ladder
[ ! -s "$tmp/out" ] && ok "-q: warnings not printed" || not_ok "-q printed warnings"
for f in gcc json sarif tty; do
    expect 1 0 "an error in --format $f" -- lint $T --format $f $F/tabs.ladder
    expect 0 0 "clean in --format $f" -- lint $T --format $f $F/clean.ladder
done
expect 1 0 "--strict turns on unknown-client" -- lint $T --strict $F/nasty.ladder
expect 0 0 "without --strict no unknown-client" -- lint $T $F/nasty.ladder
expect 1 0 "--option strict=yes" -- lint $T --option strict=yes $F/nasty.ladder
expect 0 0 "-- ends the options" -- lint $T -- $F/clean.ladder

# --- help, version, rules, explain ----------------------------------------------
expect 0 0 "--help" -- --help
grep -q '^usage: ladder lint' "$tmp/out" && ok "--help on stdout" || not_ok "--help on stdout"
expect 0 0 "-h" -- -h
expect 0 0 "lint --help" -- lint --help
expect 0 0 "--version" -- --version
grep -Eq '^ladder [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out" && ok "--version prints 'ladder X.Y.Z'" ||
    not_ok "--version prints '$(cat "$tmp/out")'"
expect 0 0 "rules" -- rules
[ "$(wc -l <"$tmp/out")" -ge 19 ] && ok "rules lists every rule" || not_ok "rules lists $(wc -l <"$tmp/out")"
expect 0 0 "explain over-ask" -- explain over-ask
grep -q '^over-ask (default: warning)' "$tmp/out" && ok "explain names the rule" || not_ok "explain output"
# Every command takes --help: usage on stdout, exit 0.
for c in lint rules explain help; do
    for h in --help -h; do
        expect 0 0 "$c $h" -- $c $h
        grep -q "^usage: ladder" "$tmp/out" && ok "$c $h prints a usage" || not_ok "$c $h: '$(head -c 100 "$tmp/out")'"
    done
done
expect 0 0 "rules --help" -- rules --help
grep -q '^usage: ladder rules' "$tmp/out" && ok "rules --help is rules' usage" || not_ok "rules --help: $(head -1 "$tmp/out")"
expect 0 0 "explain --help" -- explain --help
grep -q '^usage: ladder explain RULE' "$tmp/out" && ok "explain --help is explain's usage" || not_ok "explain --help: $(head -1 "$tmp/out")"
# An unknown command that is not a file: the nearest command, exit 2.
usage "an unknown command" explian over-ask
is_err() { [ "$(cat "$tmp/err")" = "$1" ] && ok "$2" || not_ok "$2: '$(cat "$tmp/err")'"; }
is_err "ladder: unknown command 'explian'; did you mean 'explain'? (try 'ladder --help')" \
    "an unknown command names the nearest one"
usage "another unknown command" rulse
grep -q "did you mean 'rules'" "$tmp/err" && ok "rulse: did you mean 'rules'" || not_ok "rulse: $(cat "$tmp/err")"
usage "a word far from every command" frobnicate
is_err "ladder: unknown command 'frobnicate', and no such file (try 'ladder --help')" \
    "a far word is named, with no suggestion"
usage "a missing journal path is no command" lint-me.ladder
grep -q "No such file" "$tmp/err" && ok "a missing .ladder file is reported as a file" || not_ok "missing file: $(cat "$tmp/err")"
# An existing file whose name looks like a command is a journal.
cp $F/clean.ladder "$tmp/explian"
(cd "$tmp" && "$LADDER" $T explian >/dev/null 2>&1)
rc=$?
[ $rc = 0 ] && ok "an existing file named like a command is linted (exit 0)" || not_ok "file 'explian': exit $rc"

# --- 2: usage errors ------------------------------------------------------------
usage "no arguments"
usage "lint without a journal" lint
usage "lint with options but no journal" lint --strict
usage "an unknown option" --bogus $F/clean.ladder
usage "an unknown short option" lint -x $F/clean.ladder
usage "rules with an argument" rules extra
usage "explain without a rule" explain
usage "explain with two rules" explain syntax over-ask
usage "explain an unknown rule" explain over-asks
grep -q "did you mean 'over-ask'" "$tmp/err" && ok "explain suggests the nearest rule" || not_ok "no suggestion"
usage "--format without a value" lint $F/clean.ladder --format
usage "--format xml" lint --format xml $F/clean.ladder
usage "--format= (empty)" lint --format= $F/clean.ladder
usage "--fail-on maybe" lint --fail-on maybe $F/clean.ladder
usage "--fail-on off" lint --fail-on off $F/clean.ladder
usage "--color sometimes" lint --color sometimes $F/clean.ladder
usage "--today 2011-02-30" lint --today 2011-02-30 $F/clean.ladder
grep -q "'2011-02-30' is not a real date" "$tmp/err" && ok "--today 2011-02-30 is not a real date" ||
    not_ok "--today 2011-02-30: $(cat "$tmp/err")"
usage "--column-unit utf16" lint --column-unit utf16 $F/clean.ladder
usage "--today yesterday" lint --today yesterday $F/clean.ladder
grep -q "'yesterday' is not a date YYYY-MM-DD" "$tmp/err" && ok "--today yesterday is not a date" ||
    not_ok "--today yesterday: $(cat "$tmp/err")"
usage "--today without a value" lint $F/clean.ladder --today
usage "--rule unknown id" lint --rule over-asks=error $F/clean.ladder
usage "--rule bad severity" lint --rule over-ask=fatal $F/clean.ladder
usage "--rule without =" lint --rule over-ask $F/clean.ladder
usage "--option unknown name" lint --option max-steps=2 $F/clean.ladder
usage "--option max-step=0" lint --option max-step=0 $F/clean.ladder
usage "--option max-step=two" lint --option max-step=two $F/clean.ladder
usage "--option stall-after=-1" lint --option stall-after=-1 $F/clean.ladder
usage "--option strict=maybe" lint --option strict=maybe $F/clean.ladder
usage "--option without =" lint --option strict $F/clean.ladder
usage "--stdin-filename without -" lint --stdin-filename x.ladder $F/clean.ladder
usage "--stdin-filename empty" lint --stdin-filename= -

# --- 2: unreadable journals -----------------------------------------------------
expect 2 1 "a missing file" -- lint $T "$tmp/missing.ladder"
grep -q "missing.ladder" "$tmp/err" && ok "the missing file is named" || not_ok "missing file not named"
expect 2 1 "a folder" -- lint $T "$tmp"
expect 2 1 "a missing file beside a clean one" -- lint $T $F/clean.ladder "$tmp/missing.ladder"
expect 2 1 "a missing file beside one with errors (2 wins)" -- lint $T $F/tabs.ladder "$tmp/missing.ladder"
grep -q 'tabs.ladder:5:26: error' "$tmp/out" && ok "the readable journal is still reported" ||
    not_ok "the readable journal was not reported"
if [ "$(id -u)" != 0 ]; then
    cp $F/clean.ladder "$tmp/locked.ladder" && chmod 000 "$tmp/locked.ladder"
    expect 2 1 "a file without read permission" -- lint $T "$tmp/locked.ladder"
fi
"$LADDER" lint $T - - <$F/clean.ladder >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && ok "- twice (exit 2)" || not_ok "- twice: exit $rc"
"$LADDER" lint $T - <"$tmp" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && ok "standard input is a folder (exit 2)" ||
    not_ok "standard input is a folder: exit $rc"
if [ -w /dev/full ]; then
    "$LADDER" lint $T $F/tabs.ladder >/dev/full 2>"$tmp/err"
    rc=$?
    [ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && ok "output cannot be written (exit 2)" ||
        not_ok "output to /dev/full: exit $rc, $(cat "$tmp/err")"
fi
# An include that cannot be read is a diagnostic (exit 1), not exit 2.
printf 'include nowhere.ladder\n' >"$tmp/inc.ladder"
expect 1 0 "an unreadable include is an error diagnostic" -- lint $T "$tmp/inc.ladder"
grep -q '\[include\]' "$tmp/out" && ok "reported by the include rule" || not_ok "include rule"

# --- standard input -------------------------------------------------------------
"$LADDER" lint $T --stdin-filename $F/inc/main.ladder - <$F/inc/main.ladder >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && ok "stdin: the included file's error gives exit 1" || not_ok "stdin with includes: exit $rc"
grep -qx "$F/inc/sub/part.ladder:2:11: error: unknown rung 'intoduction'; did you mean 'intro'? \[unknown-rung\]" "$tmp/out" &&
    ok "stdin: includes resolve from --stdin-filename's folder" ||
    not_ok "stdin: include not resolved: $(cat "$tmp/out" "$tmp/err")"
"$LADDER" lint $T --stdin-filename=deals/acme.ladder - <$F/tabs.ladder >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q '^deals/acme.ladder:5:26: error: ' "$tmp/out" &&
    ! grep -qv '^deals/acme.ladder:' "$tmp/out" &&
    ok "stdin: diagnostics carry the --stdin-filename name" || not_ok "stdin name: $(cat "$tmp/out")"
"$LADDER" lint $T --format json --stdin-filename deals/acme.ladder - <$F/tabs.ladder >"$tmp/out" 2>&1
grep -q '"file":"deals/acme.ladder"' "$tmp/out" && ok "stdin: the name in json" || not_ok "stdin json"
"$LADDER" lint $T - <$F/tabs.ladder >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q '^<stdin>:5:26: error: ' "$tmp/out" && ok "stdin: '<stdin>' without a name" ||
    not_ok "stdin without a name: $(cat "$tmp/out")"
(cd $F/inc && "$LADDER" lint $T - <main.ladder >"$tmp/out" 2>&1)
rc=$?
[ $rc = 1 ] && grep -q '^sub/part.ladder:2:11: ' "$tmp/out" &&
    ok "stdin: without a name, includes resolve from the current folder" ||
    not_ok "stdin includes from cwd: exit $rc $(cat "$tmp/out")"
"$LADDER" lint $T --stdin-filename $F/clean.ladder - <$F/clean.ladder >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && [ ! -s "$tmp/out" ] && ok "stdin: clean gives 0" || not_ok "stdin clean: exit $rc"
"$LADDER" lint $T --stdin-filename x.ladder $F/clean.ladder - <$F/tabs.ladder >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q '^x.ladder:5:26' "$tmp/out" && ok "stdin among files" || not_ok "stdin among files: $rc"

if [ $failed -gt 0 ]; then
    echo "# $failed failed"
    exit 1
fi
exit 0
