" Vim compiler file for the ladder journal linter.
" Compiler: ladder lint (gcc output form)
"
" :make lints the current file; extra arguments go before the file name, as
" in  :make --today 2011-06-30  or  :make --fail-on warning.  A `--` comes
" before the file name, so a journal named -q.ladder is a file, not an option.
" The program is g:ladder_executable (or b:ladder_executable), default
" 'ladder'.

if exists('current_compiler')
  finish
endif
let current_compiler = 'ladder'

if exists(':CompilerSet') != 2
  command -nargs=* CompilerSet setlocal <args>
endif

let s:cpo_save = &cpo
set cpo&vim

let s:exe = get(b:, 'ladder_executable', get(g:, 'ladder_executable', 'ladder'))
" Escape for :set (spaces, bars, backslashes, quotes) after shell quoting.
let s:prg = escape(shellescape(s:exe) . ' lint --format gcc $* -- %:S', ' \|"')
execute 'CompilerSet makeprg=' . s:prg

" FILE:LINE:COL: SEVERITY: MESSAGE [RULE]   (notes have no [RULE])
" %c is a byte column, as ladder prints it.  %t keeps e/w/n as the type.
CompilerSet errorformat=%f:%l:%c:\ %trror:\ %m,
                       \%f:%l:%c:\ %tarning:\ %m,
                       \%f:%l:%c:\ %tote:\ %m

unlet s:exe s:prg
let &cpo = s:cpo_save
unlet s:cpo_save
