" Vim syntax file
" Language: ladder sales journal (*.ladder)

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn sync fromstart

" --- comments -------------------------------------------------------------
" A line whose first non-blank is ';' or '#'; elsewhere ';' after a blank.
syn match   ladderIgnore   contained "ladder-ignore\%(:\s*[[:alnum:]-]\+\%(\s*,\s*[[:alnum:]-]\+\)*\)\="
syn keyword ladderTodo     contained TODO FIXME XXX
syn match   ladderComment  "^\s*[;#].*$" contains=ladderIgnore,ladderTodo
syn match   ladderComment  "\s\@1<=;.*$" contains=ladderIgnore,ladderTodo

" --- entry headers ---------------------------------------------------------
"   DATE [TIME] [STATUS] [(KIND)] CLIENT [| TITLE] [; COMMENT]
" Groups that may start at the same place: the one defined last wins, so
" the client (anything) comes first and the specific forms after it.
syn match   ladderTitle    contained "[^;]*\%(\S;[^;]*\)*" contains=NONE
syn match   ladderBar      contained "|" nextgroup=ladderTitle skipwhite
syn match   ladderClient   contained "[^|; \t]\%([^|;]\|\S;\)\{-}\ze\s*\%(|\|\s;\|$\)" nextgroup=ladderBar skipwhite
syn match   ladderKind     contained "(\k\+)" nextgroup=ladderClient skipwhite
syn match   ladderStatus   contained "[*!~]\ze\s" nextgroup=ladderKind,ladderClient skipwhite
syn match   ladderTime     contained "\<\d\{1,2}:\d\d\>" nextgroup=ladderStatus,ladderKind,ladderClient skipwhite
syn match   ladderDate     "^\d\{4}[-/.]\d\{1,2}[-/.]\d\{1,2}\>" nextgroup=ladderTime,ladderStatus,ladderKind,ladderClient skipwhite

" --- items -----------------------------------------------------------------
syn match   ladderRung     contained "[^ \t;]\+"
syn match   ladderItem     "^\s\+\zs\%(plan\|ask\|got\)\>" nextgroup=ladderRung skipwhite
syn match   ladderItem     "^\s\+\zs\%(gave\|note\)\>"
syn keyword ladderNone     contained none
syn match   ladderNextRung contained "\<\%(intro\|meeting\|needs\|strategy\|visit\|reference\|proposal\|contract\)\>"
syn match   ladderNextTime contained "\<\d\{1,2}:\d\d\>" nextgroup=ladderNextRung skipwhite
syn match   ladderNextDate contained "\d\{4}[-/.]\d\{1,2}[-/.]\d\{1,2}\>" nextgroup=ladderNextTime,ladderNextRung skipwhite
syn match   ladderItem     "^\s\+\zsnext\>" nextgroup=ladderNextDate,ladderNone skipwhite

" The outcome of an ask: the last '-> WORD' before a comment or the end.
syn match   ladderYes      contained "yes\>"
syn match   ladderNo       contained "no\>"
syn match   ladderLater    contained "later\>"
syn match   ladderArrow    "->\ze\s*\%(yes\|no\|later\)\>\s*\%(\s;.*\)\=$" nextgroup=ladderYes,ladderNo,ladderLater skipwhite

" --- directives ------------------------------------------------------------
syn match   ladderName     contained "[^; \t]\%([^;]\|\S;\)\{-}\ze\s*\%(\s;.*\)\=$"
syn match   ladderDirective "^client\>" nextgroup=ladderName skipwhite
syn match   ladderDirective "^\s\+\zsalias\>" nextgroup=ladderName skipwhite
syn match   ladderValue    contained "[^ \t;]\+"
syn match   ladderOptName  contained "[[:alnum:]-]\+" nextgroup=ladderValue skipwhite
syn match   ladderDirective "^option\>" nextgroup=ladderOptName skipwhite
syn keyword ladderSeverity contained error warning note off
syn match   ladderRuleId   contained "[[:alnum:]-]\+" nextgroup=ladderSeverity skipwhite
syn match   ladderDirective "^rule\>" nextgroup=ladderRuleId skipwhite
syn match   ladderPath     contained "\S.\{-}\ze\s*\%(\s;.*\)\=$"
syn match   ladderDirective "^include\>" nextgroup=ladderPath skipwhite

" The ladder block: each indented line names a rung, lowest first.
syn match   ladderLadderRung contained "^\s\+\zs[^ \t;#]\+"
syn region  ladderLadder matchgroup=ladderDirective start="^ladder\>" end="^\ze\S" contains=ladderLadderRung,ladderComment

" --- colours ---------------------------------------------------------------
hi def link ladderComment    Comment
hi def link ladderIgnore     SpecialComment
hi def link ladderTodo       Todo
hi def link ladderDate       Constant
hi def link ladderTime       Constant
hi def link ladderNextDate   ladderDate
hi def link ladderNextTime   ladderTime
hi def link ladderStatus     Special
hi def link ladderKind       Type
hi def link ladderClient     Identifier
hi def link ladderName       ladderClient
hi def link ladderBar        Delimiter
hi def link ladderTitle      NONE
hi def link ladderItem       Statement
hi def link ladderNone       Keyword
hi def link ladderRung       Type
hi def link ladderNextRung   ladderRung
hi def link ladderLadderRung ladderRung
hi def link ladderArrow      Operator
hi def link ladderOutcome    Constant
hi def link ladderYes        ladderOutcome
hi def link ladderNo         ladderOutcome
hi def link ladderLater      ladderOutcome
hi def link ladderDirective  PreProc
hi def link ladderOptName    Identifier
hi def link ladderValue      Number
hi def link ladderRuleId     Identifier
hi def link ladderSeverity   Keyword
hi def link ladderPath       String

let b:current_syntax = 'ladder'

let &cpo = s:cpo_save
unlet s:cpo_save
