" ALE tests: the ladder linter of editors/vim/ale_linters, run by Debian's
" vim-ale on unsaved buffers.  Run by tests/scripts/ale.sh with
"   $RTP $ALE_RTP $LADDER $WORK $EXPECTED $TAP_OUT
" $EXPECTED is ladder's gcc output for $WORK/unsaved.ladder's intended text
" (linted through stdin under the same name).
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
let g:ale_linters = {'ladder': ['ladder']}
let g:ale_linters_explicit = 1
let g:ale_ladder_ladder_executable = $LADDER
let g:ale_ladder_ladder_options = '--today 2011-06-30'
runtime plugin/ale.vim
set hidden
filetype plugin on
syntax on

" Lints the current buffer and waits (up to 20 s) for ALE's job to end.
function! s:LintAndWait() abort
  let l:buf = bufnr('')
  let g:ale_buffer_info = {}
  ALELint
  let l:waited = 0
  while l:waited < 400
    sleep 50m
    let l:info = get(g:ale_buffer_info, l:buf, {})
    if !empty(l:info) && !ale#engine#IsCheckingBuffer(l:buf)
          \ && empty(get(l:info, 'active_linter_list', []))
          \ && has_key(l:info, 'loclist')
      return 1
    endif
    let l:waited += 1
  endwhile
  return 0
endfunction

function! s:Key(a, b) abort
  let l:x = [a:a.lnum, a:a.col, a:a.text]
  let l:y = [a:b.lnum, a:b.col, a:b.text]
  return l:x ==# l:y ? 0 : l:x[0] != l:y[0] ? l:x[0] - l:y[0] : l:x[1] != l:y[1] ? l:x[1] - l:y[1] : l:x[2] <# l:y[2] ? -1 : 1
endfunction

" ALE's items against ladder's lines, in line and column order (ALE sorts,
" and a note may point above its diagnostic).
function! s:Compare(loc, expected_file, what) abort
  let l:want = ParseGcc(readfile(a:expected_file))
  let l:types = {'error': 'E', 'warning': 'W', 'note': 'I'}
  call Ok(!empty(l:want), a:what . ': ladder reports something to compare')
  call Is(len(a:loc), len(l:want), a:what . ': one item per diagnostic line')
  for l:w in l:want
    let l:w.code = matchstr(l:w.text, '\v \[\zs[A-Za-z0-9_-]+\ze\]$')
    if !empty(l:w.code)
      let l:w.text = substitute(l:w.text, '\V [' . l:w.code . ']\$', '', '')
    endif
  endfor
  let l:got = sort(copy(a:loc), function('s:Key'))
  let l:i = 0
  for l:w in sort(l:want, function('s:Key'))
    let l:g = get(l:got, l:i, {})
    call Is([get(l:g, 'lnum'), get(l:g, 'col'), get(l:g, 'type'), get(l:g, 'code', ''), get(l:g, 'text'), get(l:g, 'bufnr')],
          \ [l:w.lnum, l:w.col, l:types[l:w.type], l:w.code, l:w.text, bufnr('')],
          \ a:what . ' item ' . (l:i + 1) . ' (' . l:w.lnum . ':' . l:w.col . ' ' . l:w.text . ')')
    let l:i += 1
  endfor
endfunction

function! TestAleWarnings() abort
  execute 'edit ' . fnameescape($WORK . '/notes-unsaved.ladder')
  call setline(1, readfile($WORK . '/warnings.ladder'))
  call Ok(s:LintAndWait(), 'ALE finished linting warnings.ladder text')
  let l:loc = get(get(g:ale_buffer_info, bufnr(''), {}), 'loclist', [])
  call s:Compare(l:loc, $EXPECTED_W, 'ALE warnings')
  let l:dup = filter(copy(l:loc), 'get(v:val, "code", "") ==# "duplicate-entry"')
  call Ok(len(l:dup) == 1 && l:dup[0].type ==# 'W' && l:dup[0].lnum == 9,
        \ 'ALE: duplicate-entry warning at line 9')
  call Ok(len(filter(copy(l:loc), 'v:val.lnum == 4 && v:val.type ==# "I" && !has_key(v:val, "code")')) == 1,
        \ 'ALE: its note at line 4, type I, no code')
endfunction

function! TestAleUnsaved() abort
  let l:name = $WORK . '/unsaved.ladder'
  execute 'edit ' . fnameescape(l:name)
  call Is(&filetype, 'ladder', 'ALE: the buffer is a ladder buffer')
  call Ok(index(map(ale#linter#Get('ladder'), 'v:val.name'), 'ladder') >= 0,
        \ 'ALE finds the ladder linter on the runtimepath')
  call setline(1, readfile($WORK . '/sample.ladder'))
  call Ok(&modified && !filereadable(l:name), 'the buffer is not saved anywhere')
  call Ok(s:LintAndWait(), 'ALE finished linting within the time limit')
  let l:loc = get(get(g:ale_buffer_info, bufnr(''), {}), 'loclist', [])
  call s:Compare(l:loc, $EXPECTED, 'ALE')
  call Ok(len(filter(copy(l:loc), 'v:val.lnum == 10 && v:val.col == 11 && v:val.type ==# "E" && get(v:val, "code", "") ==# "unknown-rung"')) == 1,
        \ 'ALE: unknown-rung error at 10:11 with its rule in code')
  call Ok(len(filter(copy(l:loc), 'v:val.lnum == 15 && v:val.col == 61 && get(v:val, "code", "") ==# "syntax"')) == 1,
        \ 'ALE: syntax error at 15:61 (byte column)')

  " Fix the buffer without saving: ALE must see the new text.
  call setline(10, substitute(getline(10), 'intr ', 'intro', ''))
  call setline(15, substitute(getline(15), 'maybe', 'later', ''))
  call Ok(s:LintAndWait(), 'ALE relinted the edited buffer')
  let l:loc = get(get(g:ale_buffer_info, bufnr(''), {}), 'loclist', [])
  call Is(filter(copy(l:loc), 'v:val.type ==# "E"'), [], 'ALE: the unsaved fix clears the errors')
  call Ok(!filereadable(l:name), 'the buffer was never written')
endfunction

function! TestAleHandler() abort
  let l:got = ale_linters#ladder#ladder#Handle(bufnr(''), [
        \ '/x/a.ladder:3:5: warning: same entry as "Acme: East" [duplicate-entry]',
        \ '/x/a.ladder:1:1: note: the earlier entry is here',
        \ '/x/a.ladder:4:2: note: a note-level diagnostic [no-plan]',
        \ 'garbage line',
        \ ])
  call Is(map(copy(l:got), '[v:val.lnum, v:val.col, v:val.type, get(v:val, "code", ""), v:val.text]'), [
        \ [3, 5, 'W', 'duplicate-entry', 'same entry as "Acme: East"'],
        \ [1, 1, 'I', '', 'the earlier entry is here'],
        \ [4, 2, 'I', 'no-plan', 'a note-level diagnostic'],
        \ ], 'ALE handler: warning with code, its note, a note-level rule')
  call Ok(get(l:got[0], 'detail', '') =~# 'a.ladder:1: note: the earlier entry is here',
        \ 'ALE handler: the note is in the diagnostic''s details')
endfunction

call Run('TestAleUnsaved')
call Run('TestAleWarnings')
call Run('TestAleHandler')
call TapDone()
