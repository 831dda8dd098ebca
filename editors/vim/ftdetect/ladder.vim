" Vim filetype detection for ladder sales journals (*.ladder).
autocmd BufNewFile,BufRead *.ladder setfiletype ladder
