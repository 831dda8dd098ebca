#!/usr/bin/env bash
# Flycheck (Debian's elpa-flycheck) running ladder-mode.el's `ladder'
# checker on saved and unsaved buffers (tests/editors/emacs/ladder-flycheck-tests.el).
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program emacs

ELPA_DIR=
for d in /usr/share/emacs/site-lisp/elpa; do
    ls -d "$d"/flycheck-* >/dev/null 2>&1 && ELPA_DIR=$d
done
[ -n "$ELPA_DIR" ] || { not_ok "elpa-flycheck is installed"; exit 1; }

cp "$EDITORS/sample.ladder" "$EDITORS/warnings.ladder" "$WORK/"
export WORK ELPA_DIR
(cd "$WORK" && timeout 300 emacs -Q --batch -L "$TOP/editors/emacs" \
    -l "$EDITORS/emacs/ladder-flycheck-tests.el" \
    --eval '(ert-run-tests-batch-and-exit "^ladder-fc-")' </dev/null >"$WORK/ert.log" 2>&1)
rc=$?
awk '/^ +passed +[0-9]+\/[0-9]+ +/ { print "ok - flycheck ert: " $3; next }
     /^ +FAILED +[0-9]+\/[0-9]+ +/ { print "not ok - flycheck ert: " $3; next }' "$WORK/ert.log" >"$WORK/tap.txt"
cat "$WORK/tap.txt"
count=$((count + $(grep -c '^ok \|^not ok ' "$WORK/tap.txt")))
fails=$((fails + $(grep -c '^not ok ' "$WORK/tap.txt")))
if [ "$rc" -ne 0 ] || grep -q '^not ok ' "$WORK/tap.txt"; then
    sed 's/^/#   /' "$WORK/ert.log" | grep -v '^#   *passed' | head -n 150
fi
is "$rc" 0 "emacs --batch flycheck ERT run exits 0"
finish
