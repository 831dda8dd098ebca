# mk/fuzz.mk - `make fuzz`: the libFuzzer harness over the whole lint path.
#
#   make fuzz FUZZ_SECONDS=600      build and fuzz for 600 seconds
#   make fuzz-build                 only build $(BUILD)/fuzz/fuzz_lint
#   make fuzz-lsp FUZZ_SECONDS=600  the language server's harness (fuzz_lsp)
#   make fuzz-fmt FUZZ_SECONDS=600  the formatter's harness (fuzz_fmt)
#
# The library is compiled again by clang with the fuzzer's instrumentation
# into $(BUILD)/fuzz/obj/.  The seed corpus is every file under
# tests/golden/ and examples/ and tests/fuzz/crashers/; new inputs go to
# $(BUILD)/fuzz/corpus/ (kept between runs), crashes to
# $(BUILD)/fuzz/artifacts/.  Keep a crasher by copying it to
# tests/fuzz/crashers/NAME: tests/scripts/crashers.sh replays them all.

fuzz_saved_goal := $(.DEFAULT_GOAL)

FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 60
# Inputs up to 4 MiB: quadratic work hides below 64 KiB (a run of NUL bytes
# took 4 s at 64 KiB and minutes at 400 KB).  The per-input timeout must
# stay above a linear run of the biggest input under ASan (about 1-2 s for
# 4 MiB) and well below a quadratic one (tens of minutes); `make fuzz
# FUZZ_TIMEOUT=...` if the machine is slow.
FUZZ_TIMEOUT  ?= 20
FUZZ_MAX_LEN  ?= 4194304
FUZZ_ARGS     ?=
# Extra compiler flags, e.g. FUZZ_EXTRA=-fno-sanitize=nonnull-attribute to
# fuzz past a known finding until it is fixed (rebuild: rm -rf $(BUILD)/fuzz/obj).
FUZZ_EXTRA    ?=
FUZZ_DIR       = $(BUILD)/fuzz
FUZZ_SAN       = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS    = -std=c11 -D_POSIX_C_SOURCE=200809L -DLADDER_VERSION='"$(VERSION)"' \
                 -Isrc -I$(BUILD) -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) $(FUZZ_EXTRA)
FUZZ_LIB_OBJ   = $(LIB_SRC:src/%.c=$(FUZZ_DIR)/obj/%.o) $(FUZZ_DIR)/obj/lexer.o $(FUZZ_DIR)/obj/parser.o

.PHONY: fuzz fuzz-build fuzz-seed fuzz-lsp fuzz-lsp-build fuzz-fmt fuzz-fmt-build

$(FUZZ_DIR)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/obj/lexer.o: $(BUILD)/lexer.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/obj/parser.o: $(BUILD)/parser.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/fuzz_lint: tests/fuzz/fuzz_lint.c $(FUZZ_LIB_OBJ) $(HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra -Werror -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) -lutf8proc -ljansson

# The language server's harness (tests/fuzz/fuzz_lsp.c): its own corpus,
# seeded from tests/fuzz/lsp-seeds/ and tests/fuzz/crashers/lsp-*.
$(FUZZ_DIR)/fuzz_lsp: tests/fuzz/fuzz_lsp.c $(FUZZ_LIB_OBJ) $(HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra -Werror -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) -lutf8proc -ljansson

# The formatter's harness (tests/fuzz/fuzz_fmt.c): fmt's three properties,
# over the same seeds as fuzz_lint, its own corpus.
$(FUZZ_DIR)/fuzz_fmt: tests/fuzz/fuzz_fmt.c $(FUZZ_LIB_OBJ) $(HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra -Werror -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) -lutf8proc -ljansson

fuzz-fmt-build: fuzz-deps
	$(MAKE) $(FUZZ_DIR)/fuzz_fmt

fuzz-fmt: fuzz-fmt-build fuzz-seed
	@mkdir -p $(FUZZ_DIR)/fmt-corpus $(FUZZ_DIR)/fmt-artifacts
	$(FUZZ_DIR)/fuzz_fmt -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
	  -rss_limit_mb=4096 -max_len=1048576 -print_final_stats=1 \
	  -dict=tests/fuzz/ladder.dict -artifact_prefix=$(FUZZ_DIR)/fmt-artifacts/ \
	  $(FUZZ_ARGS) $(FUZZ_DIR)/fmt-corpus $(FUZZ_DIR)/seed

fuzz-lsp-build: fuzz-deps
	$(MAKE) $(FUZZ_DIR)/fuzz_lsp

fuzz-lsp: fuzz-lsp-build
	@mkdir -p $(FUZZ_DIR)/lsp-corpus $(FUZZ_DIR)/lsp-artifacts $(FUZZ_DIR)/lsp-crashers
	@cp tests/fuzz/crashers/lsp-* $(FUZZ_DIR)/lsp-crashers/ 2>/dev/null || true
	$(FUZZ_DIR)/fuzz_lsp -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
	  -rss_limit_mb=2048 -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 \
	  -dict=tests/fuzz/lsp.dict -artifact_prefix=$(FUZZ_DIR)/lsp-artifacts/ \
	  $(FUZZ_ARGS) $(FUZZ_DIR)/lsp-corpus tests/fuzz/lsp-seeds $(FUZZ_DIR)/lsp-crashers

# fuzz-deps (main Makefile) installs clang and libFuzzer's runtime if missing.
fuzz-build: fuzz-deps
	$(MAKE) $(FUZZ_DIR)/fuzz_lint

# The seed corpus: every file of the test journals and examples, and a few
# big inputs made here (libFuzzer grows its inputs slowly: without them it
# would never reach megabytes): runs of NUL bytes, a long line, a long
# comment with bad bytes, an example repeated to about a megabyte.
fuzz-seed:
	@rm -rf $(FUZZ_DIR)/seed && mkdir -p $(FUZZ_DIR)/seed $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
	@find tests/golden examples tests/fuzz/crashers -type f -size -4096k 2>/dev/null | \
	  while read -r f; do cp "$$f" "$(FUZZ_DIR)/seed/$$(printf '%s' "$$f" | tr '/' '_')"; done
	@head -c 1048576 /dev/zero >$(FUZZ_DIR)/seed/big-nul
	@{ printf '2011-01-01 * '; head -c 2000000 /dev/zero | tr '\0' 'a'; printf '\n2011-02-30 * B\n'; } >$(FUZZ_DIR)/seed/big-long-line
	@{ printf '; '; head -c 1000000 /dev/zero | tr '\0' '\351'; printf '\n2011-02-30 * B\n'; } >$(FUZZ_DIR)/seed/big-bad-comment
	@for i in $$(seq 1 200); do cat examples/*.ladder; done >$(FUZZ_DIR)/seed/big-examples
	@echo "fuzz: $$(ls $(FUZZ_DIR)/seed | wc -l) seed files, $$(ls $(FUZZ_DIR)/corpus | wc -l) in the corpus"

fuzz: fuzz-build fuzz-seed
	$(FUZZ_DIR)/fuzz_lint -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
	  -rss_limit_mb=4096 -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 \
	  -dict=tests/fuzz/ladder.dict -artifact_prefix=$(FUZZ_DIR)/artifacts/ \
	  $(FUZZ_ARGS) $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seed

.DEFAULT_GOAL := $(fuzz_saved_goal)
