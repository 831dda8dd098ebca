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

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< autoindent< expandtab< shiftwidth< softtabstop< iskeyword< makeprg< errorformat<'

let &cpo = s:cpo_save
unlet s:cpo_save
