" ALE's LSP mode: the ladder_lsp linter of editors/vim/ale_linters runs
" `ladder lsp` over stdio for an unsaved buffer (Debian's vim-ale).  Run by
" tests/scripts/ale-lsp.sh with
"   $RTP $ALE_RTP $LADDER $WORK $EXPECTED $TAP_OUT
" $EXPECTED is ladder lint's gcc output for $WORK/unsaved.ladder's text.
execute 'source ' . fnameescape(expand('<sfile>:p:h') . '/tap.vim')
execute 'set runtimepath^=' . fnameescape($RTP)
execute 'set runtimepath^=' . fnameescape($ALE_RTP)
let g:ale_lint_on_text_changed = 'never'
let g:ale_lint_on_insert_leave = 0
let g:ale_lint_on_enter = 0
let g:ale_lint_on_save = 0
let g:ale_lint_on_filetype_changed = 0
let g:ale_set_signs = 0
let g:ale_echo_cursor = 0
let g:ale_virtualtext_cursor = 'disabled'
let g:ale_linters = {'ladder': ['ladder_lsp']}
let g:ale_ladder_ladder_lsp_executable = $LADDER
let g:ale_ladder_ladder_lsp_config = {'today': '2011-06-30'}
runtime plugin/ale.vim
set hidden
filetype plugin on
syntax on

" The LSP items of the buffer.
function! s:Items(buf) abort
  return filter(copy(get(get(g:ale_buffer_info, a:buf, {}), 'loclist', [])),
        \ 'get(v:val, "linter_name", "") ==# "ladder_lsp"')
endfunction

" Lints and waits (up to 20 s) until COND (an expression on l:items) holds.
function! s:LintUntil(cond) abort
  let l:buf = bufnr('')
  ALELint
  let l:waited = 0
  while l:waited < 400
    let l:items = s:Items(l:buf)
    if eval(a:cond)
      return 1
    endif
    sleep 50m
    let l:waited += 1
  endwhile
  return 0
endfunction

" UTF-16 code units before byte COL (from 1) of TEXT: what an LSP client
" that does not negotiate counts, and what ALE shows as the column - 1.
function! s:Utf16(text, col) abort
  let l:n = 0
  for l:c in split(strpart(a:text, 0, a:col - 1), '\zs')
    let l:n += char2nr(l:c) > 0xFFFF ? 2 : 1
  endfor
  return l:n
endfunction

function! TestAleLspUnsaved() abort
  let l:name = $WORK . '/unsaved.ladder'
  execute 'edit ' . fnameescape(l:name)
  call Is(&filetype, 'ladder', 'the buffer is a ladder buffer')
  let l:linter = filter(ale#linter#Get('ladder'), 'v:val.name ==# "ladder_lsp"')
  call Ok(len(l:linter) == 1 && get(l:linter[0], 'lsp', '') ==# 'stdio',
        \ 'ALE finds the ladder_lsp linter, an LSP linter over stdio')
  call setline(1, readfile($WORK . '/sample.ladder'))
  call Ok(&modified && !filereadable(l:name), 'the buffer is not saved anywhere')

  let l:want = filter(ParseGcc(readfile($EXPECTED)), 'v:val.text =~# ''\v \[[a-z-]+\]$''')
  call Ok(len(l:want) >= 3, 'ladder lint reports something to compare')
  call Ok(s:LintUntil('len(l:items) == ' . len(l:want)), 'ALE shows the server''s diagnostics')
  let l:types = {'error': 'E', 'warning': 'W', 'note': 'I'}
  let l:got = sort(map(s:Items(bufnr('')), '[v:val.lnum, v:val.col, v:val.type, get(v:val, "code", "")]'))
  let l:exp = []
  for l:w in l:want
    let l:code = matchstr(l:w.text, '\v \[\zs[a-z-]+\ze\]$')
    " ALE 3.3 takes the LSP character as the column: UTF-16 units + 1.
    let l:col = s:Utf16(getline(l:w.lnum), l:w.col) + 1
    call add(l:exp, [l:w.lnum, l:col, l:types[l:w.type], l:code])
  endfor
  call Is(l:got, sort(l:exp), 'ALE: line, column, type and rule of every diagnostic')
  let l:syntax = filter(s:Items(bufnr('')), 'get(v:val, "code", "") ==# "syntax"')
  call Ok(len(l:syntax) == 1 && l:syntax[0].lnum == 15 && l:syntax[0].col == 55
        \ && l:syntax[0].end_col == 59,
        \ 'ALE: the syntax error after the non-ASCII text of line 15 covers maybe (UTF-16 units 54-58)')
  let l:msg = filter(s:Items(bufnr('')), 'get(v:val, "code", "") ==# "unknown-rung"')
  call Ok(len(l:msg) == 1 && l:msg[0].text =~# 'intr' && l:msg[0].col == 11 && l:msg[0].end_col == 14,
        \ 'ALE: unknown-rung covers intr, 10:11-14')

  " Fix the buffer without saving: ALE sends the new text.
  call setline(10, substitute(getline(10), 'intr ', 'intro', ''))
  call setline(15, substitute(getline(15), 'maybe', 'later', ''))
  call Ok(s:LintUntil('empty(filter(copy(l:items), "v:val.type ==# ''E''")) && !empty(l:items)'),
        \ 'ALE: the unsaved fix clears the errors, the warnings stay')
  call Ok(!filereadable(l:name), 'the buffer was never written')

  " Go to definition: acme, in the header of line 13, is declared at line 4.
  call cursor(13, 25)
  ALEGoToDefinition
  let l:waited = 0
  while line('.') != 4 && l:waited < 200
    sleep 50m
    let l:waited += 1
  endwhile
  call Is([bufnr(''), line('.')], [bufnr(l:name), 4], 'ALEGoToDefinition on acme: the client directive')
endfunction

" The ftplugin runs only the ladder linter unless the user chose: both
" would show everything twice.
function! TestFtpluginDefault() abort
  let l:saved = g:ale_linters
  unlet g:ale_linters
  new
  setfiletype ladder
  call Is(get(b:, 'ale_linters', ''), ['ladder'], 'ftplugin: ALE runs the ladder linter only, by default')
  call Is(map(ale#linter#Get('ladder'), 'v:val.name'), ['ladder'], 'ftplugin: so ALE finds just that one')
  bwipe!
  let g:ale_linters = l:saved
  new
  setfiletype ladder
  call Ok(!exists('b:ale_linters'), 'ftplugin: a choice in g:ale_linters is kept')
  bwipe!
endfunction

call Run('TestAleLspUnsaved')
call Run('TestFtpluginDefault')
call TapDone()
