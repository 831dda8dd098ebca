#!/usr/bin/env bash
# The manual pages render without a warning, ladder(5)'s rule list matches
# `ladder rules` (in docs/ and in the generated build/man/ copy), and
# ladder(1) documents every option of `ladder --help`.
#
#   LADDER=/abs/path/to/ladder tests/scripts/man.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
LADDER=${LADDER:-$PWD/build/ladder}
BUILD=${BUILD:-build}
[ -x "$LADDER" ] || { echo "not ok - $LADDER is not built"; exit 1; }
command -v groff >/dev/null || { echo "not ok - groff is needed (apt-get install groff)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }
export LC_ALL=C.UTF-8

if make --no-print-directory BUILD="$BUILD" man >"$tmp/log" 2>&1; then
    ok "make man"
else
    not_ok "make man"; sed 's/^/#   /' "$tmp/log" | tail
fi

for p in docs/ladder.1 docs/ladder.5 "$BUILD/man/ladder.1" "$BUILD/man/ladder.5"; do
    w=$(groff -man -Tutf8 -ww -z "$p" 2>&1)
    [ -z "$w" ] && ok "groff -man -Tutf8 -ww: $p without warnings" ||
        { not_ok "groff warns on $p"; printf '%s\n' "$w" | head -5 | sed 's/^/#   /'; }
    if command -v man >/dev/null; then
        out=$(MANWIDTH=80 man -l "$p" 2>"$tmp/err")
        [ -n "$out" ] && [ ! -s "$tmp/err" ] && ok "man -l $p" ||
            not_ok "man -l $p: $(head -3 "$tmp/err")"
    fi
done

"$LADDER" rules | awk '{ id = $1; sev = $2; sub(/^[^ ]+ +[^ ]+ +/, ""); print id "\t" sev "\t" $0 }' >"$tmp/rules"
[ "$(wc -l <"$tmp/rules")" -gt 0 ] && ok "ladder rules lists $(wc -l <"$tmp/rules") rules" || not_ok "ladder rules"

# The rule list in a page's source: ".TP" / ".BR id \" (sev)\"" / summary.
page_rules() {
    sed -n '/^\.\\" BEGIN RULES/,/^\.\\" END RULES/p' "$1" | awk '
        /^\.BR / { line = $0; sub(/^\.BR /, "", line); id = line; sub(/ .*/, "", id)
                   sev = line; sub(/.*\(/, "", sev); sub(/\).*/, "", sev); want = 1; next }
        want { print id "\t" sev "\t" $0; want = 0 }' |
        sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\&//g'
}
for p in docs/ladder.5 "$BUILD/man/ladder.5"; do
    page_rules "$p" >"$tmp/page"
    if diff -u "$tmp/rules" "$tmp/page" >"$tmp/diff"; then
        ok "$p: the rule list equals 'ladder rules'"
    else
        not_ok "$p: the rule list differs from 'ladder rules' (run 'make man-update')"
        sed 's/^/#   /' "$tmp/diff" | head -20
    fi
done

# Rendered: every rule with its severity and summary, as a reader sees it.
groff -man -Tutf8 -rLL=200n -P-cbou "$BUILD/man/ladder.5" 2>/dev/null | sed 's/^ *//' >"$tmp/render5"
bad=
while IFS=$'\t' read -r id sev summary; do
    grep -qxF "$id ($sev)" "$tmp/render5" && grep -qxF "$summary" "$tmp/render5" || bad="$bad $id"
done <"$tmp/rules"
[ -z "$bad" ] && ok "ladder(5) shows every rule, severity and summary" || not_ok "ladder(5) rendering lacks:$bad"

# ladder(1) documents every option that --help lists, and every exit status.
groff -man -Tutf8 -rLL=200n -P-cbou "$BUILD/man/ladder.1" 2>/dev/null >"$tmp/render1"
bad=
for o in $("$LADDER" --help | grep -oE -- '--[a-z][a-z-]+|(^| )-[a-z]\b' | tr -d ' ' | sort -u); do
    grep -qE -- "(^|[ ,])$o([ ,=]|\$)" "$tmp/render1" || bad="$bad $o"
done
[ -z "$bad" ] && ok "ladder(1) documents every option of --help" || not_ok "ladder(1) lacks:$bad"
bad=
for s in SYNOPSIS OPTIONS "OUTPUT FORMS" "EXIT STATUS" EXAMPLES FILES "SEE ALSO"; do
    grep -qx "$s" "$tmp/render1" || bad="$bad $s"
done
[ -z "$bad" ] && ok "ladder(1) has its sections" || not_ok "ladder(1) lacks sections:$bad"
bad=
for f in gcc json sarif tty; do grep -qE "^ +$f( |$)" "$tmp/render1" || bad="$bad $f"; done
[ -z "$bad" ] && ok "ladder(1) describes every output form" || not_ok "ladder(1) lacks forms:$bad"

[ $failed -eq 0 ] || { echo "# $failed failed"; exit 1; }
