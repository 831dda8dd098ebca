#!/usr/bin/env bash
# editors/git/pre-commit in a temporary repository: it judges the STAGED
# content of added or changed *.ladder files, whatever their names.
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program git

HOOK=$TOP/editors/git/pre-commit
SAMPLE=$EDITORS/sample.ladder
repo=$WORK/repo
mkdir -p "$repo"
cd "$repo" || exit 2
git init -q -b main . 2>/dev/null || git init -q .
git config user.name "Ladder Test"
git config user.email "test@example.invalid"
git config commit.gpgsign false
cp "$HOOK" .git/hooks/pre-commit

# bad: the sample (an unknown rung, an unknown outcome); good: it fixed.
bad()  { cat "$SAMPLE"; }
good() { sed -e 's/ask   intr /ask   intro/' -e 's/-> maybe/-> later/' "$SAMPLE"; }
good >"$WORK/good.ladder"
if "$LADDER" lint --format gcc --today 2011-06-30 "$WORK/good.ladder" >/dev/null; then
    ok "the fixed sample has no errors"
else
    not_ok "the fixed sample has no errors"
fi

out=$WORK/out.txt
# commit_ok MESSAGE: commits; succeeds when a new commit was made
commit() {
    local before after
    before=$(git rev-parse -q --verify HEAD)
    git commit -q -m "$1" >"$out" 2>&1
    local rc=$?
    after=$(git rev-parse -q --verify HEAD)
    [ $rc -eq 0 ] && [ "$before" != "$after" ]
}
accepted() { if commit "$1"; then ok "accepted: $1"; else not_ok "accepted: $1"; sed 's/^/#   /' "$out"; fi; }
refused()  { if commit "$1"; then not_ok "refused: $1"; sed 's/^/#   /' "$out"; else ok "refused: $1"; fi; }
says()     { if grep -qF -- "$1" "$out"; then ok "$2"; else not_ok "$2"; sed 's/^/#   /' "$out"; fi; }

# 1. the first commit (no HEAD yet)
good >acme.ladder
git add acme.ladder
accepted "a good journal as the first commit"

# 2. staged bad, working copy fixed
bad >acme.ladder; git add acme.ladder; good >acme.ladder
refused "staged bad + working copy fixed"
says "acme.ladder:10:11: error:" "the hook prints the unknown rung at 10:11"
says "[unknown-rung]" "the hook prints the rule id"
says "acme.ladder:15:61: error:" "the hook prints the byte column of the unknown outcome"

# 3. staged fixed, working copy bad
{ good; echo "; reviewed"; } >acme.ladder; git add acme.ladder; bad >acme.ladder
accepted "staged fixed + working copy bad"
is "$(git show HEAD:acme.ladder | md5sum)" "$({ good; echo "; reviewed"; } | md5sum)" "the staged good version is what got committed"
git checkout -q -- acme.ladder

# 4. names with spaces, in a folder with a space, and with a newline
mkdir -p "sales team"
bad >"sales team/my journal.ladder"; git add "sales team/my journal.ladder"
refused "a bad journal named 'sales team/my journal.ladder'"
says "sales team/my journal.ladder:10:11: error:" "the name with spaces is reported as staged"
good >"sales team/my journal.ladder"; git add "sales team/my journal.ladder"
accepted "the same name, fixed"

nl_name=$'odd\nname.ladder'
bad >"$nl_name"; git add "$nl_name"
refused "a bad journal with a newline in its name"
good >"$nl_name"; git add "$nl_name"
accepted "the same name, fixed"

# 5. warnings alone do not block, and are shown
cp "$EDITORS/warnings.ladder" warnings.ladder; git add warnings.ladder
accepted "a journal with warnings only"
says "warnings.ladder:9:1: warning:" "its warnings are shown"
says "[duplicate-entry]" "with their rule ids"

# 6. what is not linted
bad >notes.txt; git add notes.txt
accepted "other files are not linted"
git rm -q acme.ladder
accepted "deleting a journal is not linted"
ln -s "sales team/my journal.ladder" link.ladder; git add link.ladder
accepted "a symbolic link named *.ladder is not linted"

# 7. a bad journal renamed and copied is linted under its new name
git -c core.hooksPath=/dev/null commit -q --no-verify -m "x" --allow-empty
bad >legacy.ladder; git add legacy.ladder
git commit -q --no-verify -m "a bad journal committed with --no-verify"
git mv legacy.ladder renamed.ladder
refused "a renamed bad journal"
says "renamed.ladder:10:11" "the new name is reported"
git mv renamed.ladder legacy.ladder
is "$(git diff --cached --name-only)" "" "back to a clean index"

# 8. the linter's failures block the commit too
good >later.ladder; git add later.ladder
LADDER=$WORK/no-such-ladder refused "LADDER names a missing program"
says "cannot run the ladder linter" "a missing linter is explained"
printf '#!/bin/sh\ncat >/dev/null\necho "ladder: out of memory" >&2\nexit 2\n' >"$WORK/exit2"
chmod +x "$WORK/exit2"
LADDER=$WORK/exit2 refused "ladder exits 2"
says "could not lint the staged 'later.ladder' (exit 2)" "exit 2 is explained"
says "ladder: out of memory" "ladder's own message is shown"
printf '#!/bin/sh\nfor a; do last=$a; done\necho "$last:1:1: warning: just a warning [no-ask]"\nexit 0\n' >"$WORK/warns"
chmod +x "$WORK/warns"
LADDER=$WORK/warns accepted "warnings alone do not block"
says "later.ladder:1:1: warning: just a warning [no-ask]" "warnings are shown"

# 9. LADDER_OPTS reach the linter; it reads the staged text
printf '#!/bin/sh\necho "$*" >"%s/args"\nfor a; do last=$a; done\ncat -- "$last" >"%s/stdin"\nexit 0\n' "$WORK" "$WORK" >"$WORK/spy"
chmod +x "$WORK/spy"
good >spy.ladder; git add spy.ladder; echo "; unstaged" >>spy.ladder
LADDER=$WORK/spy LADDER_OPTS="--today 2011-06-30 --strict" accepted "a spy linter"
is "$(cat "$WORK/args")" "lint --format gcc --today 2011-06-30 --strict --include-root . -- spy.ladder" "the hook's command line"
is "$(md5sum <"$WORK/stdin")" "$(good | md5sum)" "the linter reads the staged text"

# 10. through PATH, the default
mkdir -p "$WORK/bin"; ln -s "$LADDER" "$WORK/bin/ladder"
bad >pathed.ladder; git add pathed.ladder
(unset LADDER; PATH=$WORK/bin:$PATH git commit -q -m "via PATH" >"$out" 2>&1)
is "$?" 1 "without LADDER, ladder is found on PATH and refuses a bad journal"
says "pathed.ladder:10:11" "and prints its diagnostics"

# 11. multi-file journals: includes are read from the index, and every
# journal a commit touches is linted whole.
git -c core.hooksPath=/dev/null commit -q --no-verify -m "before includes" --allow-empty
main_j() { printf 'client Zeta Works\n    alias zeta\n\ninclude %s\n' "${1:-part.ladder}"; }
part_good() { printf '2011-03-01 * (call) zeta | Intro\n    plan  intro\n    ask   intro  Meet the CFO  -> yes\n'; }
part_bad()  { printf '2011-03-01 * (call) zeta | Intro\n    plan  intro\n    ask   intr  Meet the CFO  -> yes\n'; }
main_j >main.ladder; part_good >part.ladder
git add main.ladder
refused "main.ladder committed while its include is untracked"
says "'main.ladder' includes 'part.ladder', which is not staged" "the untracked include is named"
says "main.ladder:4:1: error: cannot include 'part.ladder'" "ladder reports the missing include in the staged journal"
git add part.ladder
LADDER_OPTS=--strict accepted "main.ladder with its include staged, --strict"

# --strict: a client declared in main.ladder, used in part.ladder, and only
# part.ladder committed: main.ladder is the journal linted.
{ part_good; printf '\n2011-03-08 * (call) zeta | Follow-up\n    plan  meeting\n    ask   meeting  Budget  -> yes\n'; } >part.ladder
git add part.ladder
LADDER_OPTS=--strict accepted "--strict: only the included file changes; the client is declared in main.ladder"
if grep -q "unknown-client" "$out"; then not_ok "no unknown-client reported"; sed 's/^/#   /' "$out"; else ok "no unknown-client reported"; fi

# the include as staged, not as in the working copy
part_bad >part.ladder; git add part.ladder; part_good >part.ladder
refused "the included file staged bad, its working copy fixed"
says "part.ladder:3:11: error:" "the staged include's error is reported under its name"
is "$(grep -c 'part.ladder:3:11: error' "$out")" 1 "once"
part_good >part.ladder; git add part.ladder; part_bad >part.ladder
accepted "the included file staged good, its working copy bad"
git checkout -q -- part.ladder

# renaming or deleting an included file leaves main.ladder broken
git mv part.ladder part2.ladder
refused "renaming an included file without updating the include"
says "'main.ladder' includes 'part.ladder', which is not in the index" "the dangling include is named"
main_j part2.ladder >main.ladder; git add main.ladder
accepted "the rename with the include updated"
git rm -q part2.ladder
refused "deleting an included file"
says "main.ladder:4:1: error: cannot include 'part2.ladder'" "ladder reports it"
git reset -q; git checkout -q -- part2.ladder

# names with spaces, an include in a sub-folder and one going up with ..
mkdir -p "team b/q 1"
main_j "q 1/first calls.ladder" >"team b/sales journal.ladder"
printf 'include ../common part.ladder  ; the shared part\n' >"team b/q 1/first calls.ladder"
part_bad >"team b/common part.ladder"
git add "team b"
refused "names with spaces: a bad file two includes down"
says "team b/q 1/../common part.ladder:3:11: error:" "reported through the include chain"
if grep -q "^team b/common part.ladder:" "$out"; then not_ok "the included file is not linted alone"; sed 's/^/#   /' "$out"; else ok "the included file is not linted alone"; fi
part_good >"team b/common part.ladder"; git add "team b"
LADDER_OPTS=--strict accepted "names with spaces, fixed (--strict: the client comes from the top file)"
# a change to a file that is no .ladder but is included
printf 'include notes.inc\n' >>"team b/q 1/first calls.ladder"
part_bad >"team b/q 1/notes.inc"
git add "team b"; git -c core.hooksPath=/dev/null commit -q --no-verify -m "bad .inc"
part_good >"team b/q 1/notes.inc"; git add "team b"
accepted "fixing an included .inc file"
part_bad >"team b/q 1/notes.inc"; git add "team b"
refused "breaking an included .inc file"
says "team b/q 1/notes.inc:3:11: error:" "its journal is linted"
git reset -q; git checkout -q -- "team b"
# a byte-order mark and CRLF line ends in the including file
git reset -q --hard
printf '\xef\xbb\xbfclient Zeta Works\r\n    alias zeta\r\n\r\ninclude crlf part.ladder  ; the calls\r\n' >bom.ladder
part_bad >"crlf part.ladder"
git add bom.ladder "crlf part.ladder"; git -c core.hooksPath=/dev/null commit -q --no-verify -m "bom"
part_good >"crlf part.ladder"; git add "crlf part.ladder"
LADDER_OPTS=--strict accepted "an include in a file with a BOM and CRLF is followed (--strict)"
part_bad >"crlf part.ladder"; git add "crlf part.ladder"
refused "... and its included file is linted as part of it"
says "crlf part.ladder:3:11: error:" "the include's error is reported"
git reset -q --hard

finish
