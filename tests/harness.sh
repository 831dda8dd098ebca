#!/usr/bin/env bash
# Runs every test of the project and prints one closing line:
#   "N passed, N failed, N skipped"
# Units are Check binaries (their "Checks: N, Failures: F, Errors: E" line is
# counted case by case); scripts print TAP-style "ok ..." / "not ok ..."
# lines, each counted ("ok ... # SKIP why" as skipped, not passed); a script
# that exits non-zero without a "not ok" line counts as one failure.
#
#   tests/harness.sh [--only-unit] UNIT_BINARY...
# Environment: LADDER (the binary under test), BUILD (the build folder).
set -u
cd "$(dirname "$0")/.." || exit 2
only_unit=no
[ "${1:-}" = --only-unit ] && { only_unit=yes; shift; }

passed=0 failed=0 skipped=0
failures=()
log=$(mktemp); trap 'rm -f "$log"' EXIT

run_unit() {
    local bin=$1
    "$bin" >"$log" 2>&1
    local rc=$? line
    line=$(grep -E 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" | tail -n1)
    if [ -n "$line" ]; then
        local n f e
        n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
        f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
        e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
        passed=$((passed + n - f - e)); failed=$((failed + f + e))
        [ $((f + e)) -gt 0 ] && { failures+=("$bin"); cat "$log"; }
    else
        failed=$((failed + 1)); failures+=("$bin"); cat "$log"
    fi
    [ $rc -ne 0 ] && [ -z "$line" ] && echo "$bin exited $rc"
    echo "unit $(basename "$bin"): ${line:-no summary (exit $rc)}"
}

run_script() {
    local s=$1
    "$s" >"$log" 2>&1
    local rc=$? ok bad skip
    ok=$(grep '^ok ' "$log" | grep -vc '# SKIP')
    skip=$(grep '^ok ' "$log" | grep -c '# SKIP')
    bad=$(grep -c '^not ok ' "$log")
    passed=$((passed + ok)) skipped=$((skipped + skip))
    if [ "$bad" -gt 0 ]; then
        failed=$((failed + bad)); failures+=("$s")
        grep -A20 '^not ok ' "$log" | head -n 200
    elif [ $rc -ne 0 ]; then
        failed=$((failed + 1)); failures+=("$s (exit $rc)")
        tail -n 40 "$log"
    fi
    echo "script $s: $ok ok, $bad not ok, $skip skipped, exit $rc"
}

for b in "$@"; do run_unit "$b"; done
if [ $only_unit = no ]; then
    for s in tests/golden/run.sh tests/scripts/*.sh; do
        [ -x "$s" ] && run_script "$s"
    done
fi

if [ ${#failures[@]} -gt 0 ]; then
    echo "failing: ${failures[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
