# Shared by tests/scripts/{vim,ale,emacs,flycheck,githook,precommit}.sh.
# Sourced with bash.  Prints TAP-like lines; `finish` exits non-zero if any
# assertion failed.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EDITORS=$TOP/tests/editors
LADDER=${LADDER:-$TOP/build/ladder}
case $LADDER in /*) ;; *) LADDER=$PWD/$LADDER ;; esac
export LADDER

fails=0 count=0
ok()     { count=$((count + 1)); echo "ok - $*"; }
not_ok() { count=$((count + 1)); fails=$((fails + 1)); echo "not ok - $*"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds
check()  { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# is GOT WANT DESCRIPTION
is() {
    if [ "$1" = "$2" ]; then ok "$3"
    else not_ok "$3"; printf '#   got:  %s\n#   want: %s\n' "$1" "$2"; fi
}

# A scratch folder with its own HOME, removed on exit.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ladder-test.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config XDG_CACHE_HOME=$WORK/home/.cache
mkdir -p "$HOME"
unset VIMINIT EXINIT GVIMINIT EMACSLOADPATH

need_ladder() {
    if [ ! -x "$LADDER" ]; then
        not_ok "the linter under test exists: $LADDER"
        exit 1
    fi
}

# skip_unless PROGRAM: the test needs PROGRAM; say so and fail if missing
# (make check installs it).
need_program() {
    command -v "$1" >/dev/null 2>&1 || { not_ok "$1 is installed"; exit 1; }
}

# need_lsp DESCRIPTION: the tests of `ladder lsp` with real clients.  A
# ladder built without the server (its --help names no lsp command, and
# `ladder lsp` exits 2 at once) skips them with a TAP "# SKIP" line; any
# other ladder is tested (lsp.md: the end of the input ends it with 1).
need_lsp() {
    local rc
    timeout 10 "$LADDER" lsp </dev/null >"$WORK/lsp-probe.out" 2>"$WORK/lsp-probe.err"
    rc=$?
    if [ "$rc" -eq 2 ] && ! "$LADDER" --help 2>&1 | grep -q 'ladder lsp'; then
        echo "ok - $1 # SKIP $LADDER has no lsp command: $(head -n1 "$WORK/lsp-probe.err")"
        exit 0
    fi
}

# Run a vim test script that writes TAP lines to $TAP_OUT; count them.
#   run_vim_tap SECONDS SCRIPT DESCRIPTION
run_vim_tap() {
    local secs=$1 script=$2 what=$3 rc
    (cd "$WORK" && timeout "$secs" vim -Nu NONE -i NONE -es \
        -S "$script" </dev/null >"$WORK/vim.log" 2>&1)
    rc=$?
    if [ -s "$TAP_OUT" ]; then
        cat "$TAP_OUT"
        count=$((count + $(grep -c '^ok \|^not ok ' "$TAP_OUT")))
        fails=$((fails + $(grep -c '^not ok ' "$TAP_OUT")))
    else
        not_ok "vim ran $what (exit $rc)"; cat "$WORK/vim.log"
    fi
    is "$rc" 0 "vim exits 0"
}

finish() {
    [ "$count" -gt 0 ] || { echo "not ok - no assertion ran"; exit 1; }
    [ "$fails" -eq 0 ]
    exit
}
