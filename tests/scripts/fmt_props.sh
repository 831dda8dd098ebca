#!/usr/bin/env bash
# The three properties of `ladder fmt` over every golden journal, every
# example and their whitespace-perturbed variants (tests/scripts/fmt_props.py).
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program python3
python3 "$TOP/tests/scripts/fmt_props.py" "$LADDER" "$TOP" "$WORK"
