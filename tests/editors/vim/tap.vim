" TAP-like assertions for the vim tests.  Results go to $TAP_OUT.
let g:tap = []
function! Ok(cond, desc) abort
  call add(g:tap, (a:cond ? 'ok - ' : 'not ok - ') . a:desc)
  return a:cond
endfunction
function! Is(got, want, desc) abort
  if !Ok(a:got ==# a:want, a:desc)
    call add(g:tap, '#   got:  ' . string(a:got))
    call add(g:tap, '#   want: ' . string(a:want))
  endif
endfunction
function! TapDone() abort
  call writefile(g:tap, $TAP_OUT)
  qall!
endfunction
" Runs a test function; an exception is a failure, not a silent exit.
function! Run(name) abort
  try
    call call(a:name, [])
  catch
    call Ok(0, a:name . ' raised ' . v:exception . ' at ' . v:throwpoint)
  endtry
endfunction
" Parses gcc-form lines into quickfix-like dictionaries.
function! ParseGcc(lines) abort
  let l:out = []
  for l:line in a:lines
    let l:m = matchlist(l:line, '\v^(.{-}):(\d+):(\d+): (error|warning|note): (.*)$')
    if !empty(l:m)
      call add(l:out, {'file': l:m[1], 'lnum': str2nr(l:m[2]), 'col': str2nr(l:m[3]),
            \ 'type': l:m[4], 'text': l:m[5]})
    endif
  endfor
  return l:out
endfunction
