#!/usr/bin/env bash
# Emacs with lsp-mode (Debian 12: elpa-lsp-mode 8) and ladder-mode against
# `ladder lsp`: the client registered, flymake diagnostics (and no second
# copy from ladder-flymake), completion, xref into an included file,
# shutdown (tests/editors/emacs/ladder-lsp-mode-tests.el).  No character outside the
# BMP: lsp-mode 8 counts an LSP character as one Emacs character.
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program emacs
need_lsp "lsp-mode with ladder lsp"
[ -d /usr/share/emacs/site-lisp/elpa ] && ls -d /usr/share/emacs/site-lisp/elpa/lsp-mode-* >/dev/null 2>&1 \
    || { not_ok "elpa-lsp-mode is installed"; exit 1; }

mkdir -p "$WORK/lisp"
cp "$TOP/editors/emacs/ladder-mode.el" "$WORK/lisp/"
# Byte-compiled with every Debian elpa package (lsp-mode, eglot, flycheck)
# loadable: still no warning.
if (cd "$WORK/lisp" && emacs -Q --batch \
        --eval '(progn (require (quote package)) (setq package-directory-list (list "/usr/share/emacs/site-lisp/elpa") package-user-dir (expand-file-name "elpa" (getenv "HOME"))) (package-initialize) (require (quote lsp-mode)))' \
        --eval '(setq byte-compile-error-on-warn t)' -f batch-byte-compile ladder-mode.el) >"$WORK/compile.log" 2>&1; then
    ok "ladder-mode.el byte-compiles with no warnings, lsp-mode loaded"
else
    not_ok "ladder-mode.el byte-compiles with no warnings, lsp-mode loaded"; sed 's/^/#   /' "$WORK/compile.log"
fi
cat >"$WORK/clients.ladder" <<'J'
; The clients, declared in a file of their own.
client Globex Corp
    alias gx
J
cat >"$WORK/main.ladder" <<'J'
; A journal whose clients are in clients.ladder.
include clients.ladder

2011-02-14 * (call) Globex Corp | Kick-off
    plan  intro
    ask   intr  Meet the CFO  -> yes
    next  2011-03-01  Follow up

2011-03-08 * (call) gx | Numbers
    plan  meeting
    ask   meeting  Zoë café lunch  -> maybe
    next  2011-03-15  Review
J
(cd "$WORK" && "$LADDER" lint --format gcc --today 2011-06-30 main.ladder >expected.txt)

export WORK
(cd "$WORK" && timeout 300 emacs -Q --batch -L "$WORK/lisp" \
    -l "$EDITORS/emacs/ladder-lsp-mode-tests.el" \
    --eval '(ert-run-tests-batch-and-exit "^ladder-test-lsp-mode-")' </dev/null >"$WORK/ert.log" 2>&1)
rc=$?
awk '/^ +passed +[0-9]+\/[0-9]+ +/ { print "ok - lsp-mode ert: " $3; next }
     /^ +FAILED +[0-9]+\/[0-9]+ +/ { print "not ok - lsp-mode ert: " $3; next }' "$WORK/ert.log" >"$WORK/tap.txt"
cat "$WORK/tap.txt"
count=$((count + $(grep -c '^ok \|^not ok ' "$WORK/tap.txt")))
fails=$((fails + $(grep -c '^not ok ' "$WORK/tap.txt")))
if [ "$rc" -ne 0 ] || grep -q '^not ok ' "$WORK/tap.txt"; then
    sed 's/^/#   /' "$WORK/ert.log" | grep -v '^#   *passed' | head -n 150
fi
is "$(grep -c '^ok ' "$WORK/tap.txt")" 5 "all five lsp-mode tests ran"
is "$rc" 0 "emacs --batch ERT run exits 0"
finish
