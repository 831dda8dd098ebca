# ladder - a linter for plain-text sales journals.
#
#   make          build build/ladder
#   make run      install missing build dependencies, build, lint an example
#   make check    install missing build and test dependencies, build, run every
#                 test, then every test again under ASan+UBSan
#   make clean    remove build/

CC      ?= cc
BUILD   ?= build
FLEX    ?= flex
BISON   ?= bison
CFLAGS  ?= -O2 -g
VERSION := 0.1.0

WARN      = -Wall -Wextra -Werror
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DLADDER_VERSION='"$(VERSION)"' \
             $(WARN) -Isrc -I$(BUILD) $(CFLAGS) $(EXTRA_CFLAGS)
# Debian's utf8proc (and, for the language server, jansson) are linked
# statically into build/ladder: their .a files come with the -dev packages.
LDLIBS_ALL = $(LDLIBS) -lutf8proc -ljansson -pthread

# Debian packages: what building needs, and what the tests need on top.
BUILD_DEPS = gcc make libc6-dev flex bison libutf8proc-dev libjansson-dev
# npm (tests/scripts/vscode-grammar.sh) comes with Debian's nodejs unless
# an npm is already on PATH (NodeSource's nodejs bundles its own).
TEST_DEPS  = pkg-config check valgrind git jq python3 python3-jsonschema patch vim vim-ale emacs-nox \
             elpa-flycheck pre-commit groff-base man-db \
             elpa-eglot elpa-lsp-mode neovim $(if $(shell command -v npm),,nodejs npm)
# Only `make fuzz` needs these (libFuzzer comes with clang's runtime).
FUZZ_DEPS  = clang libclang-rt-14-dev

LIB_SRC = $(filter-out src/main.c,$(sort $(wildcard src/*.c)))
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/%.o) $(BUILD)/lexer.o $(BUILD)/parser.o
HDRS    = $(wildcard src/*.h) $(BUILD)/parser.h $(BUILD)/lexer.h

UNIT_SRC  = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all run check deps build-deps test-deps fuzz-deps unit golden golden-update clean
.DELETE_ON_ERROR:

all: $(BUILD)/ladder

# --- dependencies -----------------------------------------------------------
# Installs only what is missing, with apt-get, through sudo when not root.
define install_missing
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	    echo "installing:$$missing"; \
	    $$sudo apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else echo "not a Debian system: install$(foreach p,$(1), $(p)) by hand" >&2; fi
endef

build-deps:
	$(call install_missing,$(BUILD_DEPS))

test-deps:
	$(call install_missing,$(BUILD_DEPS) $(TEST_DEPS))

fuzz-deps:
	$(call install_missing,$(BUILD_DEPS) $(FUZZ_DEPS))

deps: test-deps

# --- the program ------------------------------------------------------------
$(BUILD)/parser.c $(BUILD)/parser.h: grammar/ladder.y | $(BUILD)
	$(BISON) -Wall -Werror --defines=$(BUILD)/parser.h -o $(BUILD)/parser.c $<

$(BUILD)/lexer.c $(BUILD)/lexer.h: grammar/ladder.l | $(BUILD)
	$(FLEX) --header-file=$(BUILD)/lexer.h -o $(BUILD)/lexer.c $<

$(BUILD)/lexer.o: $(BUILD)/lexer.c $(HDRS)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/parser.o: $(BUILD)/parser.c $(HDRS)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: src/%.c $(HDRS)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libladder.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# Linked statically (static-pie: no dynamic loader at start-up, ASLR kept):
# that is about 1 ms of the 10 ms an editor may wait for a 1,000-call
# journal (docs/bench.md).  `make LINK_STATIC=` links it dynamically.
LINK_STATIC ?= -static-pie

$(BUILD)/ladder: $(BUILD)/main.o $(BUILD)/libladder.a
	$(CC) $(ALL_CFLAGS) $(LINK_STATIC) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

# The same program linked dynamically, for valgrind: it cannot follow malloc
# and free in a static binary (make leakcheck, tests/scripts/hostile.sh).
$(BUILD)/ladder-dynamic: $(BUILD)/main.o $(BUILD)/libladder.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

run: build-deps
	$(MAKE) all
	@echo '$$ ladder lint --today 2011-06-30 examples/acme.ladder'
	-@$(BUILD)/ladder lint --today 2011-06-30 examples/acme.ladder

# --- tests ------------------------------------------------------------------
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libladder.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libladder.a $(LDLIBS_ALL) $(CHECK_LIBS)

# Every test with the normal build, then all of them again under ASan+UBSan
# (mk/sanitize.mk).
check: test-deps
	$(MAKE) all $(BUILD)/ladder-dynamic $(UNIT_BIN)
	LADDER=$(abspath $(BUILD)/ladder) BUILD=$(abspath $(BUILD)) tests/harness.sh $(UNIT_BIN)
	$(MAKE) sanitize

unit: all $(UNIT_BIN)
	LADDER=$(abspath $(BUILD)/ladder) BUILD=$(abspath $(BUILD)) tests/harness.sh --only-unit $(UNIT_BIN)

golden: all
	LADDER=$(abspath $(BUILD)/ladder) tests/golden/run.sh

# Rewrite the golden expectations after a deliberate change (review the diff!).
golden-update: all
	LADDER=$(abspath $(BUILD)/ladder) tests/golden/run.sh --update

clean:
	rm -rf $(BUILD)

# Fragments: bench, fuzz, sanitizers, install, man pages, editor tests.
-include $(sort $(wildcard mk/*.mk))
