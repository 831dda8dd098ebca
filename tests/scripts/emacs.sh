#!/usr/bin/env bash
# Emacs: editors/emacs/ladder-mode.el byte-compiles without warnings, and the
# ERT tests of tests/editors/emacs (mode, font-lock, imenu, comments, the
# flymake backend against the real linter, compilation mode) pass, run on
# the byte-compiled file.
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program emacs

mkdir -p "$WORK/lisp"
cp "$TOP/editors/emacs/ladder-mode.el" "$WORK/lisp/"
cp "$EDITORS/sample.ladder" "$EDITORS/warnings.ladder" "$EDITORS/agenda.ladder" "$WORK/"

if (cd "$WORK/lisp" && emacs -Q --batch --eval '(setq byte-compile-error-on-warn t)' \
        -f batch-byte-compile ladder-mode.el) >"$WORK/compile.log" 2>&1 \
   && [ -f "$WORK/lisp/ladder-mode.elc" ]; then
    ok "ladder-mode.el byte-compiles with no warnings"
else
    not_ok "ladder-mode.el byte-compiles with no warnings"; sed 's/^/#   /' "$WORK/compile.log"
fi

export WORK
(cd "$WORK" && timeout 300 emacs -Q --batch -L "$WORK/lisp" \
    -l "$EDITORS/emacs/ladder-mode-tests.el" \
    --eval '(ert-run-tests-batch-and-exit "^ladder-test-")' </dev/null >"$WORK/ert.log" 2>&1)
rc=$?
# ERT prints "   passed  N/M  NAME" or "   FAILED  N/M  NAME" per test.
awk '/^ +passed +[0-9]+\/[0-9]+ +/ { print "ok - emacs ert: " $3; next }
     /^ +FAILED +[0-9]+\/[0-9]+ +/ { print "not ok - emacs ert: " $3; next }' "$WORK/ert.log" >"$WORK/tap.txt"
cat "$WORK/tap.txt"
count=$((count + $(grep -c '^ok \|^not ok ' "$WORK/tap.txt")))
fails=$((fails + $(grep -c '^not ok ' "$WORK/tap.txt")))
if [ "$rc" -ne 0 ] || grep -q '^not ok ' "$WORK/tap.txt"; then
    sed 's/^/#   /' "$WORK/ert.log" | grep -v '^#   *passed' | head -n 150
fi
is "$rc" 0 "emacs --batch ERT run exits 0"
finish
