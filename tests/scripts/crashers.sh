#!/usr/bin/env bash
# crashers.sh - replay every input the fuzzer ever crashed on.
#
# Each file in tests/fuzz/crashers/ (see tests/fuzz/CRASHERS.md) is linted
# as the fuzzer linted it (on standard input, named like the fuzzer's input)
# and as a file, with default settings and with the settings the fuzzer
# varies (strict, small options, other days, every output form that the
# binary accepts).  Each run must exit 0 or 1 within the time limit; in gcc
# form every line on standard output must be a diagnostic; json output must
# parse (when jq is installed).
#
# Prints "ok - NAME" / "not ok - NAME" per file; exits 1 if any failed.
# Environment: LADDER (default build/ladder), CRASHERS_TIMEOUT (default 20).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
LADDER=${LADDER:-$here/build/ladder}
case $LADDER in /*) ;; *) LADDER=$here/$LADDER ;; esac
TMO=${CRASHERS_TIMEOUT:-20}
dir=$here/tests/fuzz/crashers
DIAG_RE='^[^:]+:[0-9]+:[0-9]+: (error|warning|note): '
FUZZ_NAME=/nonexistent-ladder-fuzz/fuzz.ladder

if [ ! -x "$LADDER" ]; then
    echo "not ok - $LADDER is not built"
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ladder-crashers.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# The output forms this binary has (json, sarif and tty may come later).
formats=(gcc)
for f in json sarif tty; do
    "$LADDER" lint --format "$f" /dev/null >/dev/null 2>&1 && formats+=("$f")
done
have_jq=no
command -v jq >/dev/null 2>&1 && have_jq=yes

settings=(
    ""
    "--strict"
    "--option max-step=1 --option stall-after=1 --option one-sided-after=1 --option decline-after=1"
    "--today 2011-06-30 --rule syntax=note --rule over-ask=error"
    "--today 1999-12-31 --fail-on never"
)

failed=0 n=0
shopt -s nullglob
files=("$dir"/*)
if [ ${#files[@]} -eq 0 ]; then
    echo "ok - no crashers kept yet # SKIP"
    echo "1..1"
    exit 0
fi

for file in "${files[@]}"; do
    [ -f "$file" ] || continue
    name=$(basename "$file")
    why=()
    for fmt in "${formats[@]}"; do
        for s in "${settings[@]}"; do
            for how in stdin file; do
                # shellcheck disable=SC2086  # $s is a list of options
                if [ $how = stdin ]; then
                    timeout -k 5 "$TMO" "$LADDER" lint --format "$fmt" $s \
                        --stdin-filename "$FUZZ_NAME" - <"$file" >"$tmp/out" 2>"$tmp/err"
                else
                    timeout -k 5 "$TMO" "$LADDER" lint --format "$fmt" $s \
                        "$file" </dev/null >"$tmp/out" 2>"$tmp/err"
                fi
                rc=$?
                ctx="[$how, --format $fmt${s:+ $s}]"
                if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
                    why+=("hang $ctx")
                elif [ $rc -ge 128 ]; then
                    why+=("crash, signal $((rc - 128)) $ctx: $(head -c 300 "$tmp/err" | tr '\n' '|')")
                elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
                    why+=("exit $rc $ctx: $(head -c 300 "$tmp/err" | tr '\n' '|')")
                fi
                if [ "$fmt" = gcc ] && LC_ALL=C grep -aqvE "$DIAG_RE" "$tmp/out"; then
                    why+=("stdout line that is not a diagnostic $ctx: $(LC_ALL=C grep -avE "$DIAG_RE" "$tmp/out" | head -n 1 | head -c 200)")
                fi
                if [ "$fmt" = json ] || [ "$fmt" = sarif ]; then
                    if [ $have_jq = yes ] && [ $rc -le 1 ] && ! jq -e . "$tmp/out" >/dev/null 2>&1; then
                        why+=("output is not JSON $ctx")
                    fi
                fi
            done
        done
    done
    n=$((n + 1))
    if [ ${#why[@]} -eq 0 ]; then
        echo "ok - crasher $name"
    else
        failed=$((failed + 1))
        echo "not ok - crasher $name"
        printf '#   %s\n' "${why[@]}" | head -n 8
    fi
done
echo "1..$n"
[ $failed -eq 0 ]
