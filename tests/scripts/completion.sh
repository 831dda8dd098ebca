#!/usr/bin/env bash
# Bash completion (editors/bash/ladder): source it, call _ladder with
# COMP_WORDS/COMP_CWORD as bash would, and check the candidates.
#
#   LADDER=/abs/path/to/ladder tests/scripts/completion.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
LADDER=${LADDER:-$PWD/build/ladder}
[ -x "$LADDER" ] || { echo "not ok - $LADDER is not built"; exit 1; }
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }

# shellcheck source=/dev/null
source editors/bash/ladder || { echo "not ok - sourcing editors/bash/ladder"; exit 1; }
complete -p ladder 2>/dev/null | grep -q -- '-F _ladder' && ok "registers _ladder for ladder" ||
    not_ok "complete -F _ladder ladder"

# comp WANT WORD... : complete the last WORD; WANT is the sorted candidates,
# space-separated.  COMP_WORDS[0] is the binary under test.
comp() {
    local want=$1
    shift
    COMP_WORDS=("$LADDER" "$@")
    COMP_CWORD=$#
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _ladder
    local got
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" = "$want" ]; then
        ok "ladder $* -> $want"
    else
        not_ok "ladder $*: got '$got', want '$want'"
    fi
}

ids=$("$LADDER" rules | awk '{ print $1 }' | sort | tr '\n' ' ' | sed 's/ $//')
cd "$tmp" || exit 2
mkdir -p deals notes
touch acme.ladder beta.ladder readme.txt deals/x.ladder

comp "acme.ladder beta.ladder deals explain lint notes rules" ""
comp "lint" l
comp "rules" ru
comp "--fail-on --format" lint --f
comp "--color --column-unit --fail-on --format --help --include-root --option --quiet --rule --since --stdin-filename --strict --today --version" lint --
comp "gcc json sarif tty" lint --format ""
comp "json" lint --format j
comp "--format=json" lint --format=j
comp "json" lint --format = j
comp "gcc json sarif tty" lint --format =
comp "never note" lint --fail-on n
comp "always auto" --color a
comp "byte char display" lint --column-unit ""
comp "--column-unit=display" --column-unit=d
comp "$ids" explain ""
comp "no-ask no-mutual-interest no-plan" explain no-
comp "" explain over-ask ""
comp "" rules ""
comp "no-ask= no-mutual-interest= no-plan=" lint --rule no-
comp "error note off warning" lint --rule no-ask = ""
comp "off" lint --rule stalled = o
comp "--rule=stalled=warning" lint --rule=stalled=w
comp "decline-after= max-step= one-sided-after= since= stall-after= strict= touch-kinds=" lint --option ""
comp "no yes" lint --option strict = ""
comp "email none" lint --option touch-kinds = ""
comp "none" lint --option since = n
comp "unused-ignore" explain unu
comp "acme.ladder beta.ladder deals notes" lint ""
comp "acme.ladder" lint --strict a
comp "deals/x.ladder" lint deals/
comp "acme.ladder beta.ladder deals notes" lint --stdin-filename ""
comp "acme.ladder beta.ladder deals notes" acme.ladder ""
comp "$(date +%Y-%m-%d)" lint --today ""
comp "$(date +%Y-%m-%d)" lint --since ""

# No list of rule ids of its own: without a ladder to ask, no ids.
builtin=$(_ladder_rule_ids /nonexistent/ladder)
[ -z "$builtin" ] && ok "rule ids come only from 'ladder rules'" ||
    not_ok "rule ids without a ladder: '$builtin'"

# The completion also works when bash runs it for real (complete -C style check).
out=$(bash -c "source '$root/editors/bash/ladder'; COMP_WORDS=(ladder --format s); COMP_CWORD=2; _ladder; echo \"\${COMPREPLY[*]}\"" 2>&1)
[ "$out" = sarif ] && ok "works in a fresh bash" || not_ok "fresh bash: $out"

[ $failed -eq 0 ] || { echo "# $failed failed"; exit 1; }
