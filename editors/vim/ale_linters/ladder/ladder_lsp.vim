" ALE linter for ladder sales journals through the language server
" `ladder lsp` (ALE's LSP mode, over stdio): diagnostics as you type, saved
" or not, and ALE's completion, hover, go to definition, symbols and code
" actions on top.  The `ladder` linter beside it runs `ladder lint`; enable
" one of them:
"   let g:ale_linters = {'ladder': ['ladder_lsp']}
"
" Settings (global g:ale_ladder_ladder_lsp_* or buffer b:ale_ladder_ladder_lsp_*):
"   executable   the ladder program (default 'ladder')
"   config       the server's initializationOptions, a dictionary, e.g.
"                {'today': '2011-06-30', 'strict': v:true, 'journal': 'main.ladder'}

call ale#Set('ladder_ladder_lsp_executable', 'ladder')
call ale#Set('ladder_ladder_lsp_config', {})

" The workspace folder: the nearest folder above the journal holding a
" .git or .hg folder, else the journal's own folder (the server looks for
" the journal that includes a document among the folder's .ladder files).
function! ale_linters#ladder#ladder_lsp#GetProjectRoot(buffer) abort
    for l:marker in ['.git', '.hg']
        let l:found = ale#path#FindNearestDirectory(a:buffer, l:marker)

        if !empty(l:found)
            return fnamemodify(l:found, ':h:h')
        endif
    endfor

    let l:name = expand('#' . a:buffer . ':p')

    return empty(l:name) ? '' : fnamemodify(l:name, ':h')
endfunction

call ale#linter#Define('ladder', {
\   'name': 'ladder_lsp',
\   'lsp': 'stdio',
\   'executable': {b -> ale#Var(b, 'ladder_ladder_lsp_executable')},
\   'command': '%e lsp',
\   'project_root': function('ale_linters#ladder#ladder_lsp#GetProjectRoot'),
\   'initialization_options': {b -> ale#Var(b, 'ladder_ladder_lsp_config')},
\   'language': 'ladder',
\})
