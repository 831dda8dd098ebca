#!/usr/bin/env bash
# bench.sh - time `ladder lint` on generated journals and compare with ledger.
#
#   tests/bench/bench.sh
#
# Environment (make bench sets them):
#   LADDER    the binary under test            (default build/ladder)
#   GEN       the journal generator            (default build/bench/genjournal)
#   RUNSTAT   the time/RSS wrapper             (default build/bench/runstat)
#   OUT       where the journals go            (default build/bench)
#   SIZES     call counts to time              (default "10000 100000 1000000")
#   SEED      generator seed                   (default 1)
#   LEDGER    the ledger binary, or "" to skip (default: ledger on PATH)
#   LEDGER_1M "no" to skip ledger on the 1M journal
#   LEDGER_TIMEOUT seconds after which a ledger run is stopped (default 300:
#             ledger 3.3 takes over 20 minutes on the 1M journal); the row
#             then shows ">LIMIT" and a ratio of at least ">X"
#
# Prints one row per size (median of several runs) and PASS/FAIL per target
# of issue 6.  The memory target is checked on the whole peak RSS from 100k
# calls up; below that, on what the journal adds to an empty journal's.  Exits 1 if a target fails, 2 if something could not run.
set -u
cd "$(dirname "$0")/../.." || exit 2

LADDER=${LADDER:-build/ladder}
GEN=${GEN:-build/bench/genjournal}
RUNSTAT=${RUNSTAT:-build/bench/runstat}
OUT=${OUT:-build/bench}
SIZES=${SIZES:-"10000 100000 1000000"}
SEED=${SEED:-1}
LEDGER=${LEDGER-$(command -v ledger || true)}
LEDGER_1M=${LEDGER_1M:-yes}
LEDGER_TIMEOUT=${LEDGER_TIMEOUT:-300}
TODAY=2026-01-01

[ -x "$LADDER" ] || { echo "bench: $LADDER not built" >&2; exit 2; }
[ -x "$GEN" ] && [ -x "$RUNSTAT" ] || { echo "bench: build $GEN and $RUNSTAT first" >&2; exit 2; }
mkdir -p "$OUT"

# journal CALLS FORM -> path; writes it once per (calls, seed, generator).
journal() {
    local f="$OUT/calls-$1-s$SEED.$2"
    if [ ! -s "$f" ] || [ "$GEN" -nt "$f" ]; then
        "$GEN" "$1" "$SEED" "$2" "$f.tmp" && mv "$f.tmp" "$f" || { echo "bench: cannot write $f" >&2; exit 2; }
    fi
    echo "$f"
}

runs_for() {  # how many runs for a size
    if [ "$1" -le 1000 ]; then echo 21
    elif [ "$1" -le 10000 ]; then echo 7
    elif [ "$1" -le 100000 ]; then echo 5
    else echo 5; fi
}

# measure RUNS CMD... -> "median_seconds median_rss_kb worst_status"
measure() {
    local n=$1; shift
    local times=() rss=() worst=0 i line t m s
    for ((i = 0; i < n; i++)); do
        line=$("$RUNSTAT" "$@") || { echo "bench: runstat failed" >&2; exit 2; }
        read -r t m s <<<"$line"
        times+=("$t"); rss+=("$m")
        [ "$s" -gt "$worst" ] && worst=$s
    done
    local mt mr
    mt=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(( (n + 1) / 2 ))p")
    mr=$(printf '%s\n' "${rss[@]}" | sort -g | sed -n "$(( (n + 1) / 2 ))p")
    echo "$mt $mr $worst"
}

fails=0
verdict() {  # verdict NAME OK(0/1) DETAIL
    if [ "$2" = 1 ]; then echo "PASS  $1  ($3)"
    elif [ "$2" = skip ]; then echo "SKIP  $1  ($3)"
    else echo "FAIL  $1  ($3)"; fails=$((fails + 1)); fi
}
calc() { awk "BEGIN { $1 }"; }

echo "ladder bench: $("$LADDER" --version 2>/dev/null | head -n1), seed $SEED, $(nproc) cpus, $(date -u +%Y-%m-%dT%H:%MZ)"
[ -n "$LEDGER" ] && echo "ledger: $("$LEDGER" --version | head -n1)"
printf '%-9s %8s %5s %9s %10s %8s %8s %6s | %9s %8s %7s\n' \
    calls MB runs ladder_s calls/s MB/s RSS_MB RSS/MB ledger_s ledRSS_MB ratio

# What any run costs before the journal: the binary, libc, the stack (an
# empty journal's peak RSS).  Below 100k calls it is a large part of the
# total, so the memory target is checked there on what the journal adds.
: >"$OUT/empty.ladder"
read -r _ BASE _ <<<"$(measure 21 "$LADDER" lint --today "$TODAY" "$OUT/empty.ladder")"
echo "empty journal: peak RSS $(calc "printf \"%.1f\", $BASE * 1024 / 1e6") MB"

declare -A T R S
for n in 1000 $SIZES; do
    f=$(journal "$n" ladder)
    bytes=$(stat -c %s "$f")
    runs=$(runs_for "$n")
    read -r t m st <<<"$(measure "$runs" "$LADDER" lint --today "$TODAY" "$f")"
    T[$n]=$t; R[$n]=$m; S[$n]=$bytes
    if [ "$st" -ge 2 ]; then
        echo "bench: ladder exited $st on $f" >&2
        fails=$((fails + 1))
    fi
    lt=- lm=- ratio=-
    if [ -n "$LEDGER" ] && [ "$n" -ge 10000 ] && { [ "$n" -lt 1000000 ] || [ "$LEDGER_1M" != no ]; }; then
        lf=$(journal "$n" ledger)
        lruns=$(( runs > 3 ? 3 : runs )); [ "$n" -ge 1000000 ] && lruns=1
        read -r lt lm lst <<<"$(measure "$lruns" -t "$LEDGER_TIMEOUT" "$LEDGER" -f "$lf" bal)"
        ratio=$(calc "printf \"%.1fx\", $lt / $t")
        lm=$(calc "printf \"%.1f\", $lm * 1024 / 1e6")
        T[L$n]=$lt
        if [ "$lst" -eq 137 ]; then
            T[X$n]=1
            lt=">$LEDGER_TIMEOUT" ratio=">$ratio" lm=">$lm"
        elif [ "$lst" -ne 0 ]; then
            echo "bench: ledger exited $lst on $lf" >&2
        fi
    fi
    printf '%-9s %8.2f %5s %9.4f %10.0f %8.1f %8.1f %6.2f | %9s %8s %7s\n' \
        "$n" "$(calc "print $bytes / 1e6")" "$runs" "$t" \
        "$(calc "print $n / $t")" "$(calc "print $bytes / 1e6 / $t")" \
        "$(calc "print $m * 1024 / 1e6")" "$(calc "print $m * 1024 / $bytes")" \
        "$lt" "$lm" "$ratio"
done

echo
echo "targets (issue 6):"
if [ -n "${T[100000]:-}" ]; then
    if [ -n "${T[L100000]:-}" ]; then
        ok=$(calc "print (${T[100000]} * 10 <= ${T[L100000]}) ? 1 : 0")
        [ "$ok" = 0 ] && [ -n "${T[X100000]:-}" ] && ok=skip   # ledger was stopped: undecided
        verdict "100k calls in <= 1/10 of ledger's time" "$ok" \
            "ladder ${T[100000]} s, ledger ${T[L100000]} s, limit $(calc "printf \"%.4f\", ${T[L100000]} / 10") s"
    else
        verdict "100k calls in <= 1/10 of ledger's time" skip "ledger not installed"
    fi
fi
for n in $SIZES; do
    if [ "$n" -ge 100000 ]; then
        ok=$(calc "print (${R[$n]} * 1024 <= 2 * ${S[$n]}) ? 1 : 0")
        verdict "peak RSS <= 2x journal size at $n calls" "$ok" \
            "$(calc "printf \"%.1f MB RSS for a %.1f MB journal: %.2fx\", ${R[$n]} * 1024 / 1e6, ${S[$n]} / 1e6, ${R[$n]} * 1024 / ${S[$n]}")"
    else
        ok=$(calc "print ((${R[$n]} - $BASE) * 1024 <= 2 * ${S[$n]}) ? 1 : 0")
        verdict "peak RSS above an empty journal's <= 2x journal size at $n calls" "$ok" \
            "$(calc "printf \"%.1f MB RSS, %.1f MB above the empty journal's, for a %.1f MB journal: %.2fx\", ${R[$n]} * 1024 / 1e6, (${R[$n]} - $BASE) * 1024 / 1e6, ${S[$n]} / 1e6, (${R[$n]} - $BASE) * 1024 / ${S[$n]}")"
    fi
done
if [ -n "${T[1000000]:-}" ] && [ -n "${T[100000]:-}" ]; then
    # This VM has slow and fast spells of a minute or more (the same run
    # takes 3.5 s or 5.5 s), which the rows above, minutes apart, may
    # straddle.  So the ratio is measured again with the two sizes run in
    # turn, 5 times each, and judged on those medians.
    f1=$(journal 100000 ladder) f2=$(journal 1000000 ladder)
    a=() b=()
    for ((i = 0; i < 5; i++)); do
        read -r t _ _ <<<"$("$RUNSTAT" "$LADDER" lint --today "$TODAY" "$f1")"; a+=("$t")
        read -r t _ _ <<<"$("$RUNSTAT" "$LADDER" lint --today "$TODAY" "$f2")"; b+=("$t")
    done
    m1=$(printf '%s\n' "${a[@]}" | sort -g | sed -n 3p)
    m2=$(printf '%s\n' "${b[@]}" | sort -g | sed -n 3p)
    ok=$(calc "print ($m2 <= 12 * $m1) ? 1 : 0")
    verdict "1M calls within 12x the 100k time" "$ok" \
        "$(calc "printf \"%.2fx: runs in turn, medians %.4f s and %.4f s; the rows above give %.2fx\", $m2 / $m1, $m1, $m2, ${T[1000000]} / ${T[100000]}")"
fi
ok=$(calc "print (${T[1000]} < 0.010) ? 1 : 0")
verdict "1,000-call journal in under 10 ms" "$ok" "$(calc "printf \"%.2f ms\", ${T[1000]} * 1000")"

[ "$fails" -eq 0 ] || exit 1
