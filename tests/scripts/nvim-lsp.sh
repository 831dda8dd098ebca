#!/usr/bin/env bash
# Neovim (Debian 12: 0.7) with its built-in LSP client against `ladder lsp`,
# headless: diagnostics on an unsaved buffer, completion, go to definition,
# a quick fix applied, shutdown (tests/editors/nvim/lsp_test.lua).
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program nvim
need_lsp "Neovim's LSP client"

cp "$EDITORS/sample.ladder" "$EDITORS/warnings.ladder" "$WORK/"
# The buffers are named unsaved.ladder and warnings-unsaved.ladder but never
# written: expect what ladder lint says of the same text under those names.
"$LADDER" lint --format gcc --today 2011-06-30 --stdin-filename "$WORK/unsaved.ladder" - \
    <"$EDITORS/sample.ladder" >"$WORK/expected.txt"
"$LADDER" lint --format gcc --today 2011-06-30 --stdin-filename "$WORK/warnings-unsaved.ladder" - \
    <"$EDITORS/warnings.ladder" >"$WORK/expected-w.txt"

export WORK TAP_OUT=$WORK/tap.txt
(cd "$WORK" && timeout 120 nvim --headless -u NONE -i NONE -n \
    -c "luafile $EDITORS/nvim/lsp_test.lua" </dev/null >"$WORK/nvim.log" 2>&1)
rc=$?
if [ -s "$TAP_OUT" ]; then
    cat "$TAP_OUT"
    count=$((count + $(grep -c '^ok \|^not ok ' "$TAP_OUT")))
    fails=$((fails + $(grep -c '^not ok ' "$TAP_OUT")))
else
    not_ok "nvim ran the LSP test (exit $rc)"; sed 's/^/#   /' "$WORK/nvim.log" | tail -n 40
fi
is "$rc" 0 "nvim exits 0"
finish
