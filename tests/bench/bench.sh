#!/usr/bin/env bash
# bench.sh - time `ladder lint` on generated journals of every shape, side
# by side with ledger on the same calls, and judge the targets of issue 18.
#
#   tests/bench/bench.sh
#
# Environment (make bench sets them):
#   LADDER    the binary under test            (default build/ladder)
#   GEN       the journal generator            (default build/bench/genjournal)
#   RUNSTAT   the time/RSS wrapper             (default build/bench/runstat)
#   OUT       where the journals go            (default build/bench)
#   SHAPES    generator shapes                 (default "base unique noisy")
#   SIZES     call counts above 10,000         (default "100000 1000000")
#   SEED      generator seed                   (default 1)
#   LEDGER    the ledger binary, or "" to skip (default: ledger on PATH)
#   LEDGER_1M "yes" to time ledger on 1M calls too (default no)
#   LSP       "no" to skip the language server's latency (default yes)
#
# Every ladder run writes its output into a pipe that is read to the end
# (runstat -p), as an editor or a pager would.  ledger runs on the journal's
# ledger form with few accounts (genjournal's `ledger-flat`), the form it
# is fastest on, and prints `bal`.  Where two things are compared, their
# runs alternate in one loop (interleaved), so that a slow spell of the
# machine falls on both; each figure is a median.
#
# Prints one row per shape and size, then PASS/FAIL per target.  Exits 1
# if a target fails, 2 if something could not run.
set -u
cd "$(dirname "$0")/../.." || exit 2

LADDER=${LADDER:-build/ladder}
GEN=${GEN:-build/bench/genjournal}
RUNSTAT=${RUNSTAT:-build/bench/runstat}
OUT=${OUT:-build/bench}
SHAPES=${SHAPES-"base unique noisy"}
SIZES=${SIZES-"100000 1000000"}
SEED=${SEED:-1}
LEDGER=${LEDGER-$(command -v ledger || true)}
LEDGER_1M=${LEDGER_1M:-no}
LSP=${LSP:-yes}
TODAY=2026-01-01

[ -x "$LADDER" ] || { echo "bench: $LADDER not built" >&2; exit 2; }
[ -x "$GEN" ] && [ -x "$RUNSTAT" ] || { echo "bench: build $GEN and $RUNSTAT first" >&2; exit 2; }
mkdir -p "$OUT"

# journal SHAPE CALLS FORM -> path; written once per (shape, calls, seed,
# generator).
journal() {
    local ext=$3; [ "$3" = ledger-flat ] && ext=ledger
    local f="$OUT/$1-$2-s$SEED.$ext"
    if [ ! -s "$f" ] || [ "$GEN" -nt "$f" ]; then
        "$GEN" -s "$1" "$2" "$SEED" "$3" "$f.tmp" && mv "$f.tmp" "$f" ||
            { echo "bench: cannot write $f" >&2; exit 2; }
    fi
    echo "$f"
}

runs_for() {
    if [ "$1" -le 1000 ]; then echo 21
    elif [ "$1" -le 10000 ]; then echo 9
    else echo 5; fi
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
calc() { awk "BEGIN { $1 }"; }

lint() { "$RUNSTAT" -p "$LADDER" lint --today "$TODAY" "$1"; }

# interleave RUNS CMD_A -- CMD_B: runs A and B in turn RUNS times; sets
# A_T A_M B_T B_M (median seconds and peak RSS in KB) and A_S B_S (the
# worst exit status).  An empty CMD_B runs A alone.
interleave() {
    local n=$1; shift
    local a=() b=() i t m s
    while [ $# -gt 0 ] && [ "$1" != -- ]; do a+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    b=("$@")
    local at=() am=() bt=() bm=()
    A_S=0 B_S=0
    for ((i = 0; i < n; i++)); do
        read -r t m s <<<"$("${a[@]}")" || { echo "bench: ${a[*]} did not run" >&2; exit 2; }
        at+=("$t"); am+=("$m"); [ "$s" -gt "$A_S" ] && A_S=$s
        if [ ${#b[@]} -gt 0 ]; then
            read -r t m s <<<"$("${b[@]}")" || { echo "bench: ${b[*]} did not run" >&2; exit 2; }
            bt+=("$t"); bm+=("$m"); [ "$s" -gt "$B_S" ] && B_S=$s
        fi
    done
    A_T=$(printf '%s\n' "${at[@]}" | median); A_M=$(printf '%s\n' "${am[@]}" | median)
    B_T=- B_M=-
    if [ ${#b[@]} -gt 0 ]; then
        B_T=$(printf '%s\n' "${bt[@]}" | median); B_M=$(printf '%s\n' "${bm[@]}" | median)
    fi
}

fails=0
verdict() {  # verdict NAME OK(1/0/skip) DETAIL
    if [ "$2" = 1 ]; then echo "PASS  $1  ($3)"
    elif [ "$2" = skip ]; then echo "SKIP  $1  ($3)"
    else echo "FAIL  $1  ($3)"; fails=$((fails + 1)); fi
}
check_status() {  # check_status STATUS WHAT
    if [ "$1" -ge 2 ]; then echo "bench: $2 exited $1" >&2; fails=$((fails + 1)); fi
}

echo "ladder bench: $("$LADDER" --version 2>/dev/null | head -n1), seed $SEED, $(nproc) cpus, $(date -u +%Y-%m-%dT%H:%MZ)"
[ -n "$LEDGER" ] && echo "ledger: $("$LEDGER" --version | head -n1), on the few-accounts form"
printf '%-7s %-9s %7s %5s %7s %9s %8s %7s %6s | %8s %7s\n' \
    shape calls MB diags/c runs ladder_s MB/s RSS_MB RSS/MB ledger_s ratio

declare -A T R S D L
for shape in $SHAPES; do
    for n in 1000 10000 $SIZES; do
        f=$(journal "$shape" "$n" ladder)
        bytes=$(stat -c %s "$f")
        runs=$(runs_for "$n")
        diags=$("$LADDER" lint --today "$TODAY" --format json "$f" 2>/dev/null |
                grep -c '"rule"' || true)
        lt=- ratio=-
        if [ -n "$LEDGER" ] && [ "$n" -ge 10000 ] && { [ "$n" -lt 1000000 ] || [ "$LEDGER_1M" = yes ]; }; then
            lf=$(journal "$shape" "$n" ledger-flat)
            lruns=$runs; [ "$n" -ge 1000000 ] && lruns=1
            interleave "$lruns" lint "$f" -- "$RUNSTAT" "$LEDGER" -f "$lf" bal
            [ "$B_S" -ne 0 ] && echo "bench: ledger exited $B_S on $lf" >&2
            lt=$B_T L[$shape,$n]=$B_T runs=$lruns
            ratio=$(calc "printf \"1/%.1f\", $lt / $A_T")
        else
            interleave "$runs" lint "$f"
        fi
        check_status "$A_S" "ladder on $f"
        T[$shape,$n]=$A_T R[$shape,$n]=$A_M S[$shape,$n]=$bytes D[$shape,$n]=$diags
        printf '%-7s %-9s %7.2f %7.2f %5s %9.4f %8.1f %7.1f %6.2f | %8s %7s\n' \
            "$shape" "$n" "$(calc "print $bytes / 1e6")" "$(calc "print $diags / $n")" "$runs" "$A_T" \
            "$(calc "print $bytes / 1e6 / $A_T")" "$(calc "print $A_M * 1024 / 1e6")" \
            "$(calc "print $A_M * 1024 / $bytes")" "$lt" "$ratio"
    done
done

echo
echo "targets (issue 18):"
for shape in $SHAPES; do
    if [ -n "${L[$shape,100000]:-}" ]; then
        t=${T[$shape,100000]} l=${L[$shape,100000]}
        verdict "$shape: 100k calls in <= 1/10 of ledger's time" "$(calc "print ($t * 10 <= $l) ? 1 : 0")" \
            "$(calc "printf \"ladder %.4f s, ledger %.3f s: 1/%.1f\", $t, $l, $l / $t")"
    else
        verdict "$shape: 100k calls in <= 1/10 of ledger's time" skip "ledger not installed or 100k not run"
    fi
    for n in $SIZES; do
        [ "$n" -ge 100000 ] || continue
        verdict "$shape: peak RSS <= 1.5x the journal at $n calls" \
            "$(calc "print (${R[$shape,$n]} * 1024 <= 1.5 * ${S[$shape,$n]}) ? 1 : 0")" \
            "$(calc "printf \"%.1f MB for %.1f MB: %.2fx\", ${R[$shape,$n]} * 1024 / 1e6, ${S[$shape,$n]} / 1e6, ${R[$shape,$n]} * 1024 / ${S[$shape,$n]}")"
    done
    if [ -n "${T[$shape,1000000]:-}" ] && [ -n "${T[$shape,100000]:-}" ]; then
        # Linear: the two sizes in turn, 3 times each.
        interleave 3 lint "$(journal "$shape" 100000 ladder)" -- lint "$(journal "$shape" 1000000 ladder)"
        verdict "$shape: 1M calls within 12x the time of 100k" "$(calc "print ($B_T <= 12 * $A_T) ? 1 : 0")" \
            "$(calc "printf \"%.2fx (%.4f s, %.4f s, in turn); RSS/journal %.2f then %.2f\", $B_T / $A_T, $A_T, $B_T, ${R[$shape,100000]} * 1024 / ${S[$shape,100000]}, ${R[$shape,1000000]} * 1024 / ${S[$shape,1000000]}")"
    fi
done

# Many diagnostics against few: noisy (1.3 a call) against base (0.27).
if [[ " $SHAPES " == *" noisy "* ]] && [[ " $SHAPES " == *" base "* ]] && [ -n "${T[noisy,100000]:-}" ]; then
    interleave 5 lint "$(journal base 100000 ladder)" -- lint "$(journal noisy 100000 ladder)"
    verdict "1.3 diagnostics a call cost <= 1.3x the time of few, through a pipe" \
        "$(calc "print ($B_T <= 1.3 * $A_T) ? 1 : 0")" \
        "$(calc "printf \"noisy %.4f s (%d diagnostics), base %.4f s (%d): %.2fx, in turn\", $B_T, ${D[noisy,100000]}, $A_T, ${D[base,100000]}, $B_T / $A_T")"
fi

# The editor's case: 1,000 calls with 2 diagnostics a call, against an
# empty process's start.
f=$(journal loud 1000 ladder)
nd=$("$LADDER" lint --today "$TODAY" --format json "$f" 2>/dev/null | grep -c '"rule"' || true)
interleave 31 "$RUNSTAT" -p /bin/true -- lint "$f"
verdict "1,000 calls with 2 diagnostics a call within 5 ms of /bin/true" \
    "$(calc "print ($B_T - $A_T <= 0.005) ? 1 : 0")" \
    "$(calc "printf \"%.2f ms against %.2f ms: +%.2f ms, %d diagnostics\", $B_T * 1000, $A_T * 1000, ($B_T - $A_T) * 1000, $nd")"

if [ "$LSP" != no ] && command -v python3 >/dev/null; then
    f=$(journal base 10000 ladder)
    line=$(python3 tests/bench/lsp_bench.py "$LADDER" "$f" 31 50) || true
    echo "$line"
    case $line in
        *PASS*) verdict "language server: didChange to diagnostics at 10k calls under 50 ms" 1 "median, lsp_bench.py" ;;
        *) verdict "language server: didChange to diagnostics at 10k calls under 50 ms" 0 "median, lsp_bench.py" ;;
    esac
fi

[ "$fails" -eq 0 ] || exit 1
