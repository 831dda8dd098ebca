" Vim tests: filetype, settings, syntax, and the compiler plugin driving the
" real linter.  Run by tests/scripts/vim.sh with
"   $RTP       editors/vim          $LADDER   the linter
"   $WORK      a scratch folder with sample.ladder and 'my journal.ladder'
"   $EXPECTED  ladder's own gcc output for sample.ladder (same --today)
"   $EXPECTED2 the same for 'my journal.ladder'
"   $EXPECTED3 the same for warnings.ladder (warnings with notes)
"   $TAP_OUT   where the results go
execute 'source ' . fnameescape(expand('<sfile>:p:h') . '/tap.vim')
execute 'set runtimepath^=' . fnameescape($RTP)
filetype plugin on
syntax on
let g:ladder_executable = $LADDER

function! TestFiletype() abort
  execute 'edit ' . fnameescape($WORK . '/sample.ladder')
  call Is(&filetype, 'ladder', 'a *.ladder file gets filetype ladder')
  call Is(&commentstring, '; %s', 'commentstring is "; %s"')
  call Ok(&comments =~# ':;', 'comments has ";"')
  call Is(get(b:, 'current_compiler', get(g:, 'current_compiler', '')), 'ladder', 'the ftplugin selects :compiler ladder')
  call Ok(&l:makeprg =~# 'lint --format gcc', 'makeprg runs ladder lint --format gcc: ' . &l:makeprg)
  call Ok(&l:makeprg =~# escape($LADDER, '\.'), 'makeprg uses g:ladder_executable')
  enew
  call setline(1, ['x'])
  file! not-a-journal.txt
  call Ok(&filetype !=# 'ladder', 'other files are not ladder')
  bwipe!
endfunction

function! s:Syn(lnum, col) abort
  return synIDattr(synID(a:lnum, a:col, 1), 'name')
endfunction

function! TestSyntax() abort
  execute 'edit ' . fnameescape($WORK . '/sample.ladder')
  " line 7: 2011-02-14 * (call) Acme Corp | First call with Jane
  call Is(s:Syn(1, 1), 'ladderComment', 'syntax: comment line')
  call Is(s:Syn(2, 1), 'ladderDirective', 'syntax: option directive')
  call Is(s:Syn(4, 1), 'ladderDirective', 'syntax: client directive')
  call Is(s:Syn(4, 8), 'ladderName', 'syntax: client name after client')
  call Is(s:Syn(5, 5), 'ladderDirective', 'syntax: alias')
  call Is(s:Syn(7, 1), 'ladderDate', 'syntax: entry date')
  call Is(s:Syn(7, 12), 'ladderStatus', 'syntax: status mark')
  call Is(s:Syn(7, 14), 'ladderKind', 'syntax: kind')
  call Is(s:Syn(7, 21), 'ladderClient', 'syntax: client')
  call Is(s:Syn(7, 29), 'ladderClient', 'syntax: client runs to the bar')
  call Is(s:Syn(7, 31), 'ladderBar', 'syntax: title bar')
  call Is(s:Syn(8, 5), 'ladderItem', 'syntax: plan keyword')
  call Is(s:Syn(8, 11), 'ladderRung', 'syntax: plan rung')
  call Is(s:Syn(9, 5), 'ladderItem', 'syntax: gave keyword')
  call Is(s:Syn(10, 5), 'ladderItem', 'syntax: ask keyword')
  call Is(s:Syn(10, 11), 'ladderRung', 'syntax: ask rung')
  call Is(s:Syn(10, 45), 'ladderYes', 'syntax: outcome yes after ->')
  call Is(s:Syn(11, 5), 'ladderItem', 'syntax: next keyword')
  call Is(s:Syn(11, 11), 'ladderNextDate', 'syntax: next date')
  call Is(s:Syn(11, 22), 'ladderNextRung', 'syntax: next rung')
  call Is(s:Syn(15, 61), '', 'syntax: an unknown outcome is not highlighted as one')
  " a few forms the sample lacks
  enew
  setfiletype ladder
  call setline(1, ['ladder', '    intro  First', '2011-1-2 10:30 ! Foo ; note', '    ask intro x -> no ; later', '    next none', '# hash comment', 'rule no-ask off', 'include other.ladder', '    note a # b'])
  call Is(s:Syn(1, 1), 'ladderDirective', 'syntax: ladder directive')
  call Is(s:Syn(2, 5), 'ladderLadderRung', 'syntax: rung in a ladder block')
  call Is(s:Syn(3, 10), 'ladderTime', 'syntax: time')
  call Is(s:Syn(3, 16), 'ladderStatus', 'syntax: planned mark')
  call Is(s:Syn(3, 18), 'ladderClient', 'syntax: client after the status')
  call Is(s:Syn(3, 22), 'ladderComment', 'syntax: comment after a blank')
  call Is(s:Syn(4, 20), 'ladderNo', 'syntax: outcome no before a comment')
  call Is(s:Syn(4, 25), 'ladderComment', 'syntax: a later in a comment is a comment')
  call Is(s:Syn(5, 10), 'ladderNone', 'syntax: next none')
  call Is(s:Syn(6, 1), 'ladderComment', 'syntax: # comment line')
  call Is(s:Syn(7, 6), 'ladderRuleId', 'syntax: rule id')
  call Is(s:Syn(7, 13), 'ladderSeverity', 'syntax: rule severity')
  call Is(s:Syn(8, 9), 'ladderPath', 'syntax: include path')
  call Is(s:Syn(9, 12), '', 'syntax: # inside text is text')
  bwipe!
endfunction

" Every line ladder printed must be a valid quickfix entry with the same
" line, byte column, type and text (rule id included).
function! s:CompareQf(qf, expected_file, what) abort
  let l:want = ParseGcc(readfile(a:expected_file))
  let l:got = filter(copy(a:qf), 'v:val.valid')
  call Ok(!empty(l:want), a:what . ': ladder reports something to compare')
  call Is(len(l:got), len(l:want), a:what . ': one valid quickfix entry per diagnostic line')
  let l:types = {'error': 'e', 'warning': 'w', 'note': 'n'}
  let l:i = 0
  for l:w in l:want
    let l:g = get(l:got, l:i, {})
    let l:where = a:what . ' entry ' . (l:i + 1) . ' (' . l:w.lnum . ':' . l:w.col . ' ' . l:w.text . ')'
    call Is([get(l:g, 'lnum'), get(l:g, 'col'), get(l:g, 'type'), get(l:g, 'text'), get(l:g, 'vcol')],
          \ [l:w.lnum, l:w.col, l:types[l:w.type], l:w.text, 0], l:where)
    call Is(fnamemodify(bufname(get(l:g, 'bufnr', 0)), ':p'), fnamemodify(l:w.file, ':p'), l:where . ' file')
    let l:i += 1
  endfor
endfunction

function! TestMake() abort
  execute 'edit ' . fnameescape($WORK . '/sample.ladder')
  compiler ladder
  silent make! --today 2011-06-30
  let l:qf = getqflist()
  call s:CompareQf(l:qf, $EXPECTED, ':make')
  " the two structural errors, whatever else the linter reports
  let l:e = filter(copy(l:qf), 'v:val.valid')
  call Ok(len(filter(copy(l:e), 'v:val.lnum == 10 && v:val.col == 11 && v:val.type ==# "e" && v:val.text =~# "\\[unknown-rung\\]$"')) == 1,
        \ ':make: unknown-rung error at 10:11')
  call Ok(len(filter(copy(l:e), 'v:val.lnum == 15 && v:val.col == 61 && v:val.type ==# "e" && v:val.text =~# "\\[syntax\\]$"')) == 1,
        \ ':make: syntax error at 15:61 (a byte column past non-ASCII text)')
  " the column is a byte column: the cursor lands on the offending word
  cfirst
  call Ok(1, ':cfirst jumps')
  for l:item in l:e
    if l:item.lnum == 15 && l:item.col == 61
      call cursor(l:item.lnum, l:item.col)
      call Is(expand('<cword>'), 'maybe', 'the byte column lands on the unknown outcome')
    endif
  endfor
  " a file name with a space
  execute 'edit ' . fnameescape($WORK . '/my journal.ladder')
  silent make! --today 2011-06-30
  call s:CompareQf(getqflist(), $EXPECTED2, ':make on "my journal.ladder"')
  " warnings and their notes
  execute 'edit ' . fnameescape($WORK . '/warnings.ladder')
  silent make! --today 2011-06-30
  let l:qf = getqflist()
  call s:CompareQf(l:qf, $EXPECTED3, ':make on warnings.ladder')
  let l:i = 0
  let l:found = 0
  for l:item in l:qf
    if l:item.lnum == 9 && l:item.col == 1 && l:item.type ==# 'w' && l:item.text =~# '\[duplicate-entry\]$'
      let l:note = get(l:qf, l:i + 1, {})
      let l:found = get(l:note, 'lnum') == 4 && get(l:note, 'type') ==# 'n' && get(l:note, 'text', '[') !~# '\]$'
    endif
    let l:i += 1
  endfor
  call Ok(l:found, ':make: duplicate-entry warning at 9:1, then its note at line 4 typed n')
endfunction

" A byte-order mark and CRLF line ends: vim hides both, ladder skips both.
function! TestBomCrlf() abort
  execute 'edit ' . fnameescape($WORK . '/bom-crlf.ladder')
  call Ok(&fileformat ==# 'dos' && &bomb, 'the BOM/CRLF journal is read as dos with a BOM')
  silent make! --today 2011-06-30
  let l:e = filter(getqflist(), 'v:val.valid')
  let l:rung = filter(copy(l:e), 'v:val.text =~# "\\[unknown-rung\\]$"')
  let l:syn = filter(copy(l:e), 'v:val.text =~# "\\[syntax\\]$"')
  call Ok(len(l:rung) == 1 && len(l:syn) == 1, 'BOM/CRLF: one unknown-rung and one syntax error')
  if len(l:rung) == 1 && len(l:syn) == 1
    call cursor(l:rung[0].lnum, l:rung[0].col)
    call Is([line('.'), expand('<cword>')], [2, 'intr'], 'BOM/CRLF: the unknown rung is where quickfix says')
    call cursor(l:syn[0].lnum, l:syn[0].col)
    call Is([line('.'), expand('<cword>')], [3, 'nope'], 'BOM/CRLF: the unknown outcome is where quickfix says')
  endif
endfunction

function! TestErrorformat() abort
  execute 'edit ' . fnameescape($WORK . '/sample.ladder')
  compiler ladder
  let l:lines = [
        \ 'sample.ladder:3:5: error: unknown rung ''intr''; did you mean ''intro''? [unknown-rung]',
        \ 'sample.ladder:7:1: warning: same date: client "Acme: East" [duplicate-entry]',
        \ 'sample.ladder:2:1: note: the earlier entry is here',
        \ 'sample.ladder:9:14: note: asks climb 1:2 [over-ask]',
        \ 'ladder: some usage problem',
        \ ]
  " :cexpr reads the global 'errorformat'; the plugin sets the local one.
  call setqflist([], ' ', {'lines': l:lines, 'efm': &l:errorformat})
  let l:qf = getqflist()
  call Is(map(copy(l:qf), '[v:val.valid, v:val.lnum, v:val.col, v:val.type, v:val.text]'), [
        \ [1, 3, 5, 'e', 'unknown rung ''intr''; did you mean ''intro''? [unknown-rung]'],
        \ [1, 7, 1, 'w', 'same date: client "Acme: East" [duplicate-entry]'],
        \ [1, 2, 1, 'n', 'the earlier entry is here'],
        \ [1, 9, 14, 'n', 'asks climb 1:2 [over-ask]'],
        \ [0, 0, 0, '', 'ladder: some usage problem'],
        \ ], 'errorformat: error, warning, note with and without a rule, other text')
endfunction

function! TestAgenda() abort
  " :LadderAgenda on the current journal: each step in the quickfix list,
  " at its line; the section headings as text.
  " -u NONE loads no plugin/ files: load it as Vim does at startup.
  runtime plugin/ladder.vim
  execute 'edit ' . fnameescape($WORK . '/agenda.ladder')
  LadderAgenda --today 2011-03-10 --days 10
  let l:qf = getqflist()
  let l:valid = filter(copy(l:qf), 'v:val.valid')
  call Is(map(copy(l:valid), '[fnamemodify(bufname(v:val.bufnr), ":t"), v:val.lnum]'),
        \ [['agenda.ladder', 4], ['agenda.ladder', 8], ['agenda.ladder', 11]],
        \ ':LadderAgenda: overdue, coming, unscheduled at their next lines')
  call Ok(len(l:qf) == 6 && l:qf[0].text =~# '^overdue (1)',
        \ ':LadderAgenda: the section headings are text lines')
  call Ok(l:valid[0].text =~# '2 days late *Acme: Budget',
        \ ':LadderAgenda: the text names the client and the step')
  cfirst
  call Is(line('.'), 4, ':cfirst jumps to the overdue next line')
  " With a file named, and options after it.
  enew
  execute 'LadderAgenda ' . fnameescape($WORK . '/agenda.ladder') . ' --today 2011-03-20 --days 0'
  call Is(len(filter(getqflist(), 'v:val.valid')), 3, ':LadderAgenda FILE: its steps (all overdue or unscheduled)')
  call Is(&errorformat, &g:errorformat, ':LadderAgenda leaves errorformat as it was')
endfunction

function! TestFmt() abort
  enew
  setfiletype ladder
  call setline(1, ['2011/2/14   acme', '  plan intro', '', '  next none', '', '', '2011-02-15 acme', '  next 2011.3.1 Call back'])
  call cursor(8, 3)
  LadderFmt
  call Is(getline(1, '$'), ['2011-02-14 acme', '    plan  intro', '    next  none', '',
        \ '2011-02-15 acme', '    next  2011-03-01  Call back'], ':LadderFmt puts the buffer in canonical form')
  call Is(line('.'), 6, ':LadderFmt keeps the cursor near its line')
  LadderFmt
  call Is(getline(1), '2011-02-14 acme', ':LadderFmt twice changes nothing')
  call setline(1, ['2011-02-14 acme', '    bogus   x'])
  silent! LadderFmt
  call Is(getline(2), '    bogus   x', ':LadderFmt leaves a journal with a syntax error alone')
  call Is(len(getloclist(0)) > 0 && getloclist(0)[0].lnum == 2, 1, ':LadderFmt puts the errors in the location list')
  bwipe!
endfunction

call Run('TestFiletype')
call Run('TestSyntax')
call Run('TestMake')
call Run('TestBomCrlf')
call Run('TestErrorformat')
call Run('TestAgenda')
call Run('TestFmt')
call TapDone()
