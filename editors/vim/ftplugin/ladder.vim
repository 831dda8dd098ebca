" Vim filetype plugin for ladder sales journals.
" Language: ladder journal (*.ladder)

if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

" ';' and '#' start a comment at the start of a line; ';' also after a blank.
setlocal commentstring=;\ %s
setlocal comments=:;,:#
" Keep comment leaders when wrapping, never auto-wrap text.
setlocal formatoptions-=t formatoptions+=croql
" Item lines are indented under their entry or directive.
setlocal autoindent
setlocal expandtab shiftwidth=4 softtabstop=4
setlocal iskeyword+=-

compiler ladder

" ALE: two linters, `ladder` (ladder lint) and `ladder_lsp` (the language
" server); run only the first unless the user chose (both would report
" everything twice).
if !exists('b:ale_linters') && !has_key(get(g:, 'ale_linters', {}), 'ladder')
  let b:ale_linters = ['ladder']
  let s:undo_ale = ' | unlet! b:ale_linters'
else
  let s:undo_ale = ''
endif

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< autoindent< expandtab< shiftwidth< softtabstop< iskeyword< makeprg< errorformat<' . s:undo_ale . ' | silent! delcommand LadderFmt'
" :LadderFmt puts the whole buffer in canonical form through `ladder fmt -`
" (cli.md §6), keeping the view.  A journal with a syntax error is left as
" it is and its errors go to the location list.  (Not 'formatprg': `gq` on
" a few lines would hand fmt lines without their block.)
if !exists('*s:LadderFmt')
  function s:LadderFmt() abort
    let l:exe = get(b:, 'ladder_executable', get(g:, 'ladder_executable', 'ladder'))
    let l:cmd = shellescape(l:exe) . ' fmt'
    if expand('%:t') !=# ''
      let l:cmd .= ' --stdin-filename ' . shellescape(expand('%:t'))
    endif
    let l:cmd .= ' - 2>&1'
    let l:lines = getline(1, '$')
    let l:out = systemlist(l:cmd, l:lines)
    if v:shell_error != 0
      let l:name = expand('%:t') !=# '' ? expand('%:t') : '<stdin>'
      call setloclist(0, [], 'r', {'title': 'ladder fmt',
            \ 'lines': l:out, 'efm': '%f:%l:%c: %trror: %m,%-G%.%#'})
      echohl ErrorMsg
      echomsg 'ladder fmt: not formatted (' . len(l:out) . ' line(s) of errors; :lopen)'
      echohl None
      return
    endif
    if l:out ==# l:lines
      return
    endif
    let l:view = winsaveview()
    call setline(1, l:out)
    if line('$') > len(l:out)
      silent execute (len(l:out) + 1) . ',$delete _'
    endif
    call winrestview(l:view)
  endfunction
endif
command! -buffer -bar LadderFmt call s:LadderFmt()


let &cpo = s:cpo_save
unlet s:cpo_save s:undo_ale
