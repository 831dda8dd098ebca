# mk/editors.mk - `make check-editors`: only the editor and git integration
# tests (vim, ALE, emacs/flymake, flycheck, the VS Code grammar, the
# language server with Neovim, eglot, lsp-mode and ALE's LSP mode, the git
# hook, pre-commit).
# They also run in `make check`; see docs/integrations.md.

editors_saved_goal := $(.DEFAULT_GOAL)

EDITOR_TESTS = vim ale emacs flycheck vscode-grammar nvim-lsp eglot lsp-mode ale-lsp \
               githook precommit

.PHONY: check-editors

check-editors: test-deps
	$(MAKE) all
	@fail=0; for t in $(EDITOR_TESTS); do \
	  echo "== tests/scripts/$$t.sh"; \
	  LADDER=$(abspath $(BUILD)/ladder) BUILD=$(abspath $(BUILD)) tests/scripts/$$t.sh || fail=1; \
	done; exit $$fail

.DEFAULT_GOAL := $(editors_saved_goal)
