#!/usr/bin/env bash
# ALE's LSP mode (Debian's vim-ale): editors/vim/ale_linters/ladder/ladder_lsp.vim
# runs `ladder lsp` for an unsaved buffer (tests/editors/vim/test_ale_lsp.vim).
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program vim
need_lsp "ALE's LSP mode"

ALE_RTP=
for d in /usr/share/vim-ale $(dpkg -L vim-ale 2>/dev/null | grep '/autoload/ale\.vim$' | sed 's,/autoload/ale\.vim$,,'); do
    [ -f "$d/plugin/ale.vim" ] && { ALE_RTP=$d; break; }
done
[ -n "$ALE_RTP" ] || { not_ok "vim-ale is installed"; exit 1; }

cp "$EDITORS/sample.ladder" "$WORK/sample.ladder"
"$LADDER" lint --format gcc --today 2011-06-30 --stdin-filename "$WORK/unsaved.ladder" - \
    <"$EDITORS/sample.ladder" >"$WORK/expected.txt"

export RTP=$TOP/editors/vim ALE_RTP WORK EXPECTED=$WORK/expected.txt TAP_OUT=$WORK/tap.txt
run_vim_tap 120 "$EDITORS/vim/test_ale_lsp.vim" "the ALE LSP tests"
finish
