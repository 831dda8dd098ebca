#!/usr/bin/env bash
# lsp.sh - `ladder lsp` against a protocol test client in Python's standard
# library (tests/scripts/lsp.py): framing, every robustness case of lsp.md,
# coalescing, overlays, journals, UTF-16/UTF-8 positions, the features,
# shutdown and exit status, the fuzzer's crashers.
#
#   LADDER=/abs/path/to/ladder tests/scripts/lsp.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
LADDER=${LADDER:-$PWD/build/ladder}
if ! command -v python3 >/dev/null 2>&1; then
    echo "not ok - python3 is not installed (make test-deps)"
    exit 1
fi
exec python3 tests/scripts/lsp.py "$LADDER"
