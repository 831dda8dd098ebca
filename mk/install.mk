# mk/install.mk - `make install` and `make uninstall`.
#
#   make install [PREFIX=/usr/local] [DESTDIR=]
#   make uninstall [PREFIX=/usr/local] [DESTDIR=]
#
#   $(PREFIX)/bin/ladder
#   $(PREFIX)/share/man/man1/ladder.1, man5/ladder.5   (from build/man/, mk/man.mk)
#   $(PREFIX)/share/vim/vimfiles/{ftdetect,syntax,ftplugin,compiler,plugin,autoload,ale_linters/ladder}/*.vim
#   $(PREFIX)/share/emacs/site-lisp/ladder-mode.el
#   $(PREFIX)/share/ladder/pre-commit                  (the git hook)
#   $(PREFIX)/share/bash-completion/completions/ladder
#
# Editor files are installed from whatever exists under editors/ when make
# runs, so new ones are picked up without editing this file.

# Keep `all` the default goal although this file is included before it.
install_saved_goal := $(.DEFAULT_GOAL)

PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL ?= install

BINDIR     = $(PREFIX)/bin
MANDIR     = $(PREFIX)/share/man
VIMDIR     = $(PREFIX)/share/vim/vimfiles
EMACSDIR   = $(PREFIX)/share/emacs/site-lisp
LADDERDIR  = $(PREFIX)/share/ladder
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

# Paths under editors/vim/, e.g. syntax/ladder.vim, ale_linters/ladder/ladder.vim.
VIM_FILES   = $(patsubst editors/vim/%,%,$(sort $(wildcard editors/vim/*/*.vim editors/vim/*/*/*.vim)))
EMACS_FILES = $(wildcard editors/emacs/ladder-mode.el)
HOOK_FILES  = $(wildcard editors/git/pre-commit)
BASH_FILES  = $(wildcard editors/bash/ladder)

.PHONY: install uninstall

install: $(BUILD)/ladder $(BUILD)/man/ladder.1 $(BUILD)/man/ladder.5
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MANDIR)/man1' '$(DESTDIR)$(MANDIR)/man5'
	$(INSTALL) -m 755 $(BUILD)/ladder '$(DESTDIR)$(BINDIR)/ladder'
	$(INSTALL) -m 644 $(BUILD)/man/ladder.1 '$(DESTDIR)$(MANDIR)/man1/ladder.1'
	$(INSTALL) -m 644 $(BUILD)/man/ladder.5 '$(DESTDIR)$(MANDIR)/man5/ladder.5'
	@set -e; for f in $(VIM_FILES); do \
	    echo "$(INSTALL) -D -m 644 editors/vim/$$f '$(DESTDIR)$(VIMDIR)/$$f'"; \
	    $(INSTALL) -D -m 644 "editors/vim/$$f" '$(DESTDIR)$(VIMDIR)/'"$$f"; \
	done
	$(if $(EMACS_FILES),$(INSTALL) -D -m 644 $(EMACS_FILES) '$(DESTDIR)$(EMACSDIR)/ladder-mode.el')
	$(if $(HOOK_FILES),$(INSTALL) -D -m 755 $(HOOK_FILES) '$(DESTDIR)$(LADDERDIR)/pre-commit')
	$(if $(BASH_FILES),$(INSTALL) -D -m 644 $(BASH_FILES) '$(DESTDIR)$(BASHCOMPDIR)/ladder')

# Removes what install puts, whether or not the source files still exist,
# and the folders that belong to ladder alone (share/ladder) when empty.
# With DESTDIR (a staging folder), the folders install made under it are
# removed too when they are left empty.
uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/ladder' \
	      '$(DESTDIR)$(MANDIR)/man1/ladder.1' '$(DESTDIR)$(MANDIR)/man5/ladder.5' \
	      '$(DESTDIR)$(EMACSDIR)/ladder-mode.el' \
	      '$(DESTDIR)$(LADDERDIR)/pre-commit' \
	      '$(DESTDIR)$(BASHCOMPDIR)/ladder'
	rm -f $(foreach d,ftdetect syntax ftplugin compiler indent plugin autoload,'$(DESTDIR)$(VIMDIR)/$(d)/ladder.vim') \
	      '$(DESTDIR)$(VIMDIR)/ale_linters/ladder/ladder.vim'
	@set -e; for f in $(VIM_FILES); do rm -f '$(DESTDIR)$(VIMDIR)/'"$$f"; done
	rmdir '$(DESTDIR)$(VIMDIR)/ale_linters/ladder' 2>/dev/null || true
	rmdir '$(DESTDIR)$(LADDERDIR)' 2>/dev/null || true
	@if [ -n '$(DESTDIR)' ]; then \
	    for d in $(foreach d,ftdetect syntax ftplugin compiler indent plugin autoload ale_linters,'$(VIMDIR)/$(d)') \
	             '$(BINDIR)' '$(MANDIR)/man1' '$(MANDIR)/man5' '$(EMACSDIR)' '$(BASHCOMPDIR)'; do \
	        while [ "$$d" != / ] && [ "$$d" != . ] && rmdir '$(DESTDIR)'"$$d" 2>/dev/null; do \
	            d=$$(dirname "$$d"); \
	        done; \
	    done; \
	fi

.DEFAULT_GOAL := $(install_saved_goal)
