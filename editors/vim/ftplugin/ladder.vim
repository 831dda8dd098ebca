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

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< autoindent< expandtab< shiftwidth< softtabstop< iskeyword< makeprg< errorformat<' . s:undo_ale

let &cpo = s:cpo_save
unlet s:cpo_save s:undo_ale
