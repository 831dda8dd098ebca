#!/usr/bin/env bash
# Emacs with eglot (Debian 12: elpa-eglot 1.9 on Emacs 28) and ladder-mode
# against `ladder lsp`: the server registered and started by ladder-mode,
# flymake diagnostics as ladder lint reports them, an unsaved edit linted,
# completion at point, xref to a client's directive in an included file, a
# quick fix applied, shutdown, and the flymake fallback (tests/editors/emacs/ladder-eglot-tests.el).
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program emacs
need_lsp "eglot with ladder lsp"

EGLOT=
for d in /usr/share/emacs/site-lisp/elpa/eglot-* \
         $(dpkg -L elpa-eglot 2>/dev/null | grep '/eglot\.el$' | sed 's,/eglot\.el$,,'); do
    [ -f "$d/eglot.el" ] && { EGLOT=$d; break; }
done
[ -n "$EGLOT" ] || { not_ok "elpa-eglot is installed"; exit 1; }

mkdir -p "$WORK/lisp"
cp "$TOP/editors/emacs/ladder-mode.el" "$WORK/lisp/"
# Byte-compiled with eglot on the load-path too: still no warning.
if (cd "$WORK/lisp" && emacs -Q --batch -L "$EGLOT" --eval '(setq byte-compile-error-on-warn t)' \
        -f batch-byte-compile ladder-mode.el) >"$WORK/compile.log" 2>&1; then
    ok "ladder-mode.el byte-compiles with no warnings, eglot present"
else
    not_ok "ladder-mode.el byte-compiles with no warnings, eglot present"; sed 's/^/#   /' "$WORK/compile.log"
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

2011-03-01 * (call) gx | Follow-up
    plan  meeting
    ask   meeting  Lunch with the CFO  -> later
    next  2011-03-08  Send the numbers

2011-03-08 * (call) gx | Numbers
    plan  meeting
    ask   meeting  Zoë 😀 lunch  -> maybe
    next  2011-03-15  Review
J
(cd "$WORK" && "$LADDER" lint --format gcc --today 2011-06-30 main.ladder >expected.txt)

export WORK
(cd "$WORK" && timeout 300 emacs -Q --batch -L "$WORK/lisp" -L "$EGLOT" \
    -l "$EDITORS/emacs/ladder-eglot-tests.el" \
    --eval '(ert-run-tests-batch-and-exit "^ladder-test-eglot-")' </dev/null >"$WORK/ert.log" 2>&1)
rc=$?
awk '/^ +passed +[0-9]+\/[0-9]+ +/ { print "ok - eglot ert: " $3; next }
     /^ +FAILED +[0-9]+\/[0-9]+ +/ { print "not ok - eglot ert: " $3; next }' "$WORK/ert.log" >"$WORK/tap.txt"
cat "$WORK/tap.txt"
count=$((count + $(grep -c '^ok \|^not ok ' "$WORK/tap.txt")))
fails=$((fails + $(grep -c '^not ok ' "$WORK/tap.txt")))
if [ "$rc" -ne 0 ] || grep -q '^not ok ' "$WORK/tap.txt"; then
    sed 's/^/#   /' "$WORK/ert.log" | grep -v '^#   *passed' | head -n 150
fi
is "$(grep -c '^ok ' "$WORK/tap.txt")" 8 "all eight eglot tests ran"
is "$rc" 0 "emacs --batch ERT run exits 0"
finish
