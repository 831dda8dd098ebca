" Functions behind the ladder commands (plugin/ladder.vim).

" The agenda in the quickfix list.  Its text lines are FILE:LINE: TEXT;
" the section headings stay in the list as text lines.
function! ladder#agenda(args) abort
  let l:exe = get(b:, 'ladder_executable', get(g:, 'ladder_executable', 'ladder'))
  let l:cmd = shellescape(l:exe) . ' agenda --format text --color never'
  " A FILE among the arguments (a word not starting with '-' that is not an
  " option's value) is the journal; else the current file.
  let l:words = split(a:args)
  let l:has_file = 0
  let l:i = 0
  while l:i < len(l:words)
    let l:w = l:words[l:i]
    if l:w =~# '^--\(days\|today\|since\|option\|rule\|stdin-filename\|include-root\|color\)$'
      let l:i += 1
    elseif l:w !~# '^-'
      let l:has_file = 1
    endif
    let l:i += 1
  endwhile
  let l:cmd .= ' ' . a:args
  if !l:has_file
    if expand('%') ==# ''
      echoerr 'LadderAgenda: no journal: name one, or run it from a journal'
      return
    endif
    let l:cmd .= ' -- ' . shellescape(expand('%'))
  endif
  let l:out = system(l:cmd)
  if v:shell_error
    echoerr 'LadderAgenda: ' . substitute(l:out, '\n\+$', '', '')
    return
  endif
  let l:efm = &errorformat
  try
    let &errorformat = '%f:%l: %m'
    cexpr l:out
  finally
    let &errorformat = l:efm
  endtry
  call setqflist([], 'a', {'title': 'ladder agenda ' . a:args})
endfunction
