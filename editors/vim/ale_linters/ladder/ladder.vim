" ALE linter for ladder sales journals.
" Lints the buffer as it is, saved or not: ALE sends it on standard input
" and --stdin-filename names it, so includes resolve from the file's folder.
"
" Settings (global g:ale_ladder_ladder_* or buffer b:ale_ladder_ladder_*):
"   executable   the ladder program (default 'ladder')
"   options      extra arguments, e.g. '--today 2011-06-30 --strict'

call ale#Set('ladder_ladder_executable', 'ladder')
call ale#Set('ladder_ladder_options', '')

function! ale_linters#ladder#ladder#GetCommand(buffer) abort
    let l:options = ale#Var(a:buffer, 'ladder_ladder_options')

    return '%e lint --format gcc'
    \   . (empty(l:options) ? '' : ' ' . l:options)
    \   . ' --stdin-filename %s -- -'
endfunction

" FILE:LINE:COL: SEVERITY: MESSAGE [RULE]
" FILE:LINE:COL: note: MESSAGE            (a note of the diagnostic above)
function! ale_linters#ladder#ladder#Handle(buffer, lines) abort
    let l:pattern = '\v^(.{-}):(\d+):(\d+): (error|warning|note): (.*)$'
    let l:types = {'error': 'E', 'warning': 'W', 'note': 'I'}
    let l:output = []
    let l:last = {}

    for l:match in ale#util#GetMatches(a:lines, l:pattern)
        let l:text = l:match[5]
        let l:rule = matchstr(l:text, '\v \[\zs[A-Za-z0-9_-]+\ze\]$')

        if empty(l:rule) && l:match[4] is# 'note' && !empty(l:last)
            " A note: add it to its diagnostic's details, and list it too,
            " so that the place it points to can be reached.
            let l:where = fnamemodify(l:match[1], ':t') . ':' . l:match[2]
            let l:last.detail = get(l:last, 'detail', l:last.text)
            \   . "\n" . l:where . ': note: ' . l:text
        endif

        let l:item = {
        \   'lnum': str2nr(l:match[2]),
        \   'col': str2nr(l:match[3]),
        \   'type': l:types[l:match[4]],
        \   'text': empty(l:rule) ? l:text : l:text[: -len(l:rule) - 4],
        \   'filename': l:match[1],
        \}

        if !empty(l:rule)
            let l:item.code = l:rule
            let l:last = l:item
        endif

        call add(l:output, l:item)
    endfor

    return l:output
endfunction

call ale#linter#Define('ladder', {
\   'name': 'ladder',
\   'executable': {b -> ale#Var(b, 'ladder_ladder_executable')},
\   'command': function('ale_linters#ladder#ladder#GetCommand'),
\   'callback': 'ale_linters#ladder#ladder#Handle',
\})
