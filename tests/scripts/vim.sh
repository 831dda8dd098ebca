#!/usr/bin/env bash
# Vim: filetype detection, syntax, ftplugin settings, and :compiler ladder +
# :make filling the quickfix list from the real linter (tests/editors/vim).
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program vim

cp "$EDITORS/sample.ladder" "$WORK/sample.ladder"
cp "$EDITORS/sample.ladder" "$WORK/my journal.ladder"
cp "$EDITORS/warnings.ladder" "$WORK/warnings.ladder"
cp "$EDITORS/agenda.ladder" "$WORK/agenda.ladder"
printf '\357\273\2772011-02-14 * (call) Acme | caf\303\251\r\n    ask   intr  \303\251t\303\251 -> yes\r\n    ask   intro  \303\251t\303\251 -> nope\r\n' >"$WORK/bom-crlf.ladder"
# What ladder itself says, run from the same folder :make runs in.
(cd "$WORK" && "$LADDER" lint --format gcc --today 2011-06-30 sample.ladder >expected.txt
 "$LADDER" lint --format gcc --today 2011-06-30 "my journal.ladder" >expected2.txt
 "$LADDER" lint --format gcc --today 2011-06-30 warnings.ladder >expected3.txt)

export RTP=$TOP/editors/vim WORK EXPECTED=$WORK/expected.txt \
       EXPECTED2=$WORK/expected2.txt EXPECTED3=$WORK/expected3.txt TAP_OUT=$WORK/tap.txt
run_vim_tap 60 "$EDITORS/vim/test_vim.vim" "the tests"

# Installed as docs/integrations.md says: a package under ~/.vim/pack.
mkdir -p "$HOME/.vim/pack/ladder/start"
ln -s "$TOP/editors/vim" "$HOME/.vim/pack/ladder/start/ladder"
printf 'filetype plugin indent on\nsyntax on\n' >"$HOME/.vimrc"
(cd "$WORK" && timeout 60 vim -N -u "$HOME/.vimrc" -i NONE -es \
    -c "let g:ladder_executable = \$LADDER" -c 'edit sample.ladder' \
    -c 'silent make! --today 2011-06-30' \
    -c 'call writefile([&filetype, b:current_syntax, len(filter(getqflist(), "v:val.valid"))], "pack.txt")' \
    -c 'qall!' </dev/null >/dev/null 2>&1)
is "$(tr '\n' ' ' <"$WORK/pack.txt" 2>/dev/null)" "ladder ladder $(grep -c . "$WORK/expected.txt") " \
    "installed as a package in ~/.vim/pack: filetype, syntax and :make work"

# A journal whose name looks like an option: makeprg puts -- before it.
for odd in -q.ladder --format=json.ladder; do
    cp "$EDITORS/sample.ladder" "$WORK/$odd"
    (cd "$WORK" && "$LADDER" lint --format gcc --today 2011-06-30 -- "$odd" >odd-expected.txt)
    rm -f "$WORK/odd.txt"
    (cd "$WORK" && timeout 60 vim -N -u "$HOME/.vimrc" -i NONE -es \
        -c "let g:ladder_executable = \$LADDER" -c "edit $odd" \
        -c 'silent make! --today 2011-06-30' \
        -c 'call writefile([len(filter(getqflist(), "v:val.valid"))], "odd.txt")' \
        -c 'qall!' </dev/null >/dev/null 2>&1)
    is "$(cat "$WORK/odd.txt" 2>/dev/null)" "$(grep -c . "$WORK/odd-expected.txt")" \
        ":make on a journal named '$odd' lints it (-- before the file name)"
done
finish
