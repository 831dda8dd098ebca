#!/usr/bin/env bash
# ALE (Debian's vim-ale) running editors/vim/ale_linters/ladder on an
# unsaved buffer through stdin (tests/editors/vim/test_ale.vim).
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program vim

ALE_RTP=
for d in /usr/share/vim-ale $(dpkg -L vim-ale 2>/dev/null | grep '/autoload/ale\.vim$' | sed 's,/autoload/ale\.vim$,,'); do
    [ -f "$d/plugin/ale.vim" ] && { ALE_RTP=$d; break; }
done
[ -n "$ALE_RTP" ] || { not_ok "vim-ale is installed"; exit 1; }

cp "$EDITORS/sample.ladder" "$WORK/sample.ladder"
cp "$EDITORS/warnings.ladder" "$WORK/warnings.ladder"
# The buffer will be named unsaved.ladder but never written: compare with
# ladder's output for the same text under the same name.
"$LADDER" lint --format gcc --today 2011-06-30 --stdin-filename "$WORK/unsaved.ladder" - \
    <"$EDITORS/sample.ladder" >"$WORK/expected.txt"
"$LADDER" lint --format gcc --today 2011-06-30 --stdin-filename "$WORK/notes-unsaved.ladder" - \
    <"$EDITORS/warnings.ladder" >"$WORK/expected-w.txt"

export RTP=$TOP/editors/vim ALE_RTP WORK EXPECTED=$WORK/expected.txt EXPECTED_W=$WORK/expected-w.txt TAP_OUT=$WORK/tap.txt
run_vim_tap 120 "$EDITORS/vim/test_ale.vim" "the ALE tests"
finish
