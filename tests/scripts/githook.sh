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
printf '#!/bin/sh\ncat >/dev/null\necho "$5:1:1: warning: just a warning [no-ask]"\nexit 0\n' >"$WORK/warns"
chmod +x "$WORK/warns"
LADDER=$WORK/warns accepted "warnings alone do not block"
says "later.ladder:1:1: warning: just a warning [no-ask]" "warnings are shown"

# 8b. includes stay inside the repository (--include-root)
printf '2011-01-01 * SecretClient\n' >"$WORK/outside.ladder"
printf 'include ../outside.ladder\n' >inc.ladder; git add inc.ladder
refused "an include of a file outside the repository"
says "outside the include root" "it is an include error"
if grep -q SecretClient "$out"; then not_ok "the outside file is not read"
else ok "the outside file is not read"; fi
git rm -q --cached inc.ladder; rm -f inc.ladder

# 9. LADDER_OPTS reach the linter; the staged text reaches its stdin
printf '#!/bin/sh\necho "$*" >"%s/args"\ncat >"%s/stdin"\nexit 0\n' "$WORK" "$WORK" >"$WORK/spy"
chmod +x "$WORK/spy"
good >spy.ladder; git add spy.ladder; echo "; unstaged" >>spy.ladder
LADDER=$WORK/spy LADDER_OPTS="--today 2011-06-30 --strict" accepted "a spy linter"
is "$(cat "$WORK/args")" "lint --format gcc --today 2011-06-30 --strict --stdin-filename spy.ladder --include-root $(git rev-parse --show-toplevel) -- -" "the hook's command line"
is "$(md5sum <"$WORK/stdin")" "$(good | md5sum)" "the linter reads the staged text"

# 10. through PATH, the default
mkdir -p "$WORK/bin"; ln -s "$LADDER" "$WORK/bin/ladder"
bad >pathed.ladder; git add pathed.ladder
(unset LADDER; PATH=$WORK/bin:$PATH git commit -q -m "via PATH" >"$out" 2>&1)
is "$?" 1 "without LADDER, ladder is found on PATH and refuses a bad journal"
says "pathed.ladder:10:11" "and prints its diagnostics"

finish
