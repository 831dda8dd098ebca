# mk/sanitize.mk - the test suite under ASan+UBSan, the golden tests under valgrind.
#
#   make sanitize     build into $(SAN_BUILD) with -fsanitize=address,undefined
#                     and run tests/harness.sh (units, golden, scripts) there
#   make leakcheck    run tests/golden/run.sh with LADDER a wrapper that runs
#                     $(BUILD)/ladder-dynamic (valgrind cannot follow malloc in
#                     the static build/ladder) under valgrind; any report fails
#
# Sanitizer findings abort the process (exit >= 128) or, for leaks, exit 23,
# so every test that checks an exit status sees them.

san_saved_goal := $(.DEFAULT_GOAL)

SAN_BUILD    ?= build/asan
SAN_FLAGS     = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(SAN_BUILD)/tests/%)
SAN_ENV       = ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
                UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
                LSAN_OPTIONS=exitcode=23 SANITIZE=1
LEAK_DIR      = $(BUILD)/leakcheck

.PHONY: sanitize leakcheck

sanitize: test-deps
	$(MAKE) BUILD=$(SAN_BUILD) CFLAGS='-O1 -g $(SAN_FLAGS)' LDFLAGS='$(SAN_FLAGS)' \
	  LINK_STATIC= all $(SAN_UNIT_BIN)
	$(SAN_ENV) LADDER=$(abspath $(SAN_BUILD)/ladder) BUILD=$(abspath $(SAN_BUILD)) \
	  tests/harness.sh $(SAN_UNIT_BIN)

leakcheck: all $(BUILD)/ladder-dynamic
	@command -v valgrind >/dev/null || { echo "leakcheck: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
	@rm -rf $(LEAK_DIR) && mkdir -p $(LEAK_DIR)/logs
	@printf '%s\n' '#!/bin/sh' \
	  'exec valgrind -q --error-exitcode=99 --leak-check=full --track-fds=no \
	  --log-file=$(abspath $(LEAK_DIR))/logs/vg.%p.log $(abspath $(BUILD)/ladder-dynamic) "$$@"' \
	  >$(LEAK_DIR)/ladder && chmod +x $(LEAK_DIR)/ladder
	LADDER=$(abspath $(LEAK_DIR)/ladder) tests/golden/run.sh
	@bad=$$(find $(LEAK_DIR)/logs -type f -size +0 | sort); \
	if [ -n "$$bad" ]; then \
	  for f in $$bad; do echo "== $$f"; head -n 40 "$$f"; done; \
	  echo "leakcheck: valgrind reported errors in $$(echo "$$bad" | wc -l) run(s)"; exit 1; \
	else echo "leakcheck: $$(ls $(LEAK_DIR)/logs | wc -l) runs under valgrind, no errors, no leaks"; fi

.DEFAULT_GOAL := $(san_saved_goal)
