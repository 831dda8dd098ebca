#!/usr/bin/env bash
# Golden tests: every tests/golden/**/NAME.ladder that has a NAME.expected
# is linted from its own folder as
#     ladder lint --format gcc ARGS NAME.ladder
# (or, when NAME.cmd exists, ladder CMD ARGS NAME.ladder, CMD its first
# line: a report such as `agenda --format csv`; standard error is kept)
# where ARGS is the first line of NAME.args (default: --today 2026-01-01).
# Its standard output must equal NAME.expected byte for byte, and its exit
# status must equal NAME.status (default: 1 if the expected output has an
# error, else 0).  Journals without .expected (included files) are skipped.
#
#   tests/golden/run.sh                   check, one TAP line per journal
#   tests/golden/run.sh --update [DIR]    rewrite the .expected files (under
#                                         DIR only, if given) from the output
set -u
here=$(cd "$(dirname "$0")" && pwd)
LADDER=${LADDER:-$here/../../build/ladder}
update=no root=$here
if [ "${1:-}" = --update ]; then
    update=yes
    [ -n "${2:-}" ] && root=$(cd "$2" && pwd)
fi
fail=0 n=0
while IFS= read -r -d '' exp; do
    dir=$(dirname "$exp")
    name=$(basename "$exp" .expected)
    journal="$name.ladder"
    [ -f "$dir/$journal" ] || { echo "not ok - $exp has no $journal"; fail=1; continue; }
    args="--today 2026-01-01"
    [ -f "$dir/$name.args" ] && args=$(head -n1 "$dir/$name.args")
    cmd="lint --format gcc"
    [ -f "$dir/$name.cmd" ] && cmd=$(head -n1 "$dir/$name.cmd")
    n=$((n + 1))
    out=$(cd "$dir" && eval "\"\$LADDER\" $cmd $args \"\$journal\"" 2>&1)
    rc=$?
    if [ $update = yes ]; then
        printf '%s' "$out" >"$exp"
        [ -n "$out" ] && printf '\n' >>"$exp"
        echo "updated $exp"
        continue
    fi
    want_rc=0
    grep -q ': error: ' "$exp" && want_rc=1
    [ -f "$dir/$name.status" ] && want_rc=$(head -n1 "$dir/$name.status")
    rel=${exp#$here/}
    if [ "$out" == "$(cat "$exp")" ] && [ "$rc" = "$want_rc" ]; then
        echo "ok - golden ${rel%.expected}"
    else
        echo "not ok - golden ${rel%.expected} (exit $rc, wanted $want_rc)"
        diff -u "$exp" <(printf '%s\n' "$out") | head -n 40 | sed 's/^/#   /'
        fail=1
    fi
done < <(find "$root" -name '*.expected' -print0 | sort -z)
[ $n -gt 0 ] || { echo "not ok - no golden journals found"; exit 1; }
exit $fail
