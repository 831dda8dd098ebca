# mk/bench.mk - `make bench`: time ladder on generated journals of every
# shape, side by side with ledger on the same calls.
#
#   make bench                    1k, 10k, 100k and 1M calls of each shape
#                                 (base, unique, noisy; 0.24 to 280 MB)
#   make bench BENCH_SIZES=100000 BENCH_SHAPES="base noisy"
#   make bench-lsp                the language server's latency (1k, 10k calls)
#   make bench-lsp BENCH_LSP_SHAPE=noisy   the same on another genjournal shape
#
# Journals are written once into $(BUILD)/bench/ and reused (about 2.5 GB
# for everything).  Not part of `make check`: it prints figures and
# PASS/FAIL per target of issue 18 (tests/bench/bench.sh says how each is
# measured), and fails if a target fails.  ledger (Debian's `ledger`) is
# installed if missing.

# Keep `all` the default goal although this file is included before it.
bench_saved_goal := $(.DEFAULT_GOAL)

BENCH_DIR       = $(BUILD)/bench
BENCH_SIZES    ?= 100000 1000000
BENCH_SHAPES   ?= base unique noisy
BENCH_SEED     ?= 1
BENCH_LEDGER_1M ?= no
BENCH_DEPS      = ledger python3
BENCH_CFLAGS    = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2

.PHONY: bench bench-deps bench-tools bench-lsp

bench-deps:
	$(call install_missing,$(BUILD_DEPS) $(BENCH_DEPS))

$(BENCH_DIR)/genjournal: tests/bench/genjournal.c
	@mkdir -p $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

$(BENCH_DIR)/runstat: tests/bench/runstat.c
	@mkdir -p $(BENCH_DIR)
	$(CC) $(BENCH_CFLAGS) -o $@ $<

bench-tools: $(BENCH_DIR)/genjournal $(BENCH_DIR)/runstat

bench: bench-deps
	$(MAKE) $(BUILD)/ladder bench-tools
	LADDER=$(abspath $(BUILD)/ladder) GEN=$(abspath $(BENCH_DIR)/genjournal) \
	RUNSTAT=$(abspath $(BENCH_DIR)/runstat) OUT=$(abspath $(BENCH_DIR)) \
	SIZES="$(BENCH_SIZES)" SHAPES="$(BENCH_SHAPES)" SEED=$(BENCH_SEED) \
	LEDGER_1M=$(BENCH_LEDGER_1M) tests/bench/bench.sh

# The language server: didChange-to-diagnostics latency at 1,000 and 10,000
# calls (tests/bench/lsp_bench.py; docs/bench.md has the figures), on
# genjournal's `base` shape or another: make bench-lsp BENCH_LSP_SHAPE=noisy
BENCH_LSP_SHAPE ?= base
bench_lsp_file = $(BENCH_DIR)/lsp-$(if $(filter base,$(BENCH_LSP_SHAPE)),,$(BENCH_LSP_SHAPE)-)$(1).ladder

bench-lsp: $(BUILD)/ladder $(BENCH_DIR)/genjournal
	@for n in 1000 10000; do \
	  f=$(call bench_lsp_file,$$n); \
	  [ -s $$f ] || $(BENCH_DIR)/genjournal -s $(BENCH_LSP_SHAPE) $$n $(BENCH_SEED) ladder $$f || exit 2; \
	done
	@rc=0; \
	python3 tests/bench/lsp_bench.py $(BUILD)/ladder $(call bench_lsp_file,1000) 101 10 || rc=1; \
	python3 tests/bench/lsp_bench.py $(BUILD)/ladder $(call bench_lsp_file,10000) 51 50 || rc=1; \
	exit $$rc

.DEFAULT_GOAL := $(bench_saved_goal)
