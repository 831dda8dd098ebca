" ladder: commands for sales journals.
"
" :LadderAgenda [OPTIONS] [FILE...]
"   Runs `ladder agenda` (overdue, coming and unscheduled next steps) on the
"   files named, or on the current file, and fills the quickfix list: each
"   step jumps to its `next` line or planned entry.  OPTIONS are the
"   command's, as in  :LadderAgenda --days 7 --today 2011-03-10.
if exists('g:loaded_ladder')
  finish
endif
let g:loaded_ladder = 1

command! -nargs=* -complete=file LadderAgenda call ladder#agenda(<q-args>)
