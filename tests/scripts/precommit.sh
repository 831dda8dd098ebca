#!/usr/bin/env bash
# The pre-commit framework running the repository's .pre-commit-hooks.yaml
# through `pre-commit try-repo`, offline, on staged journals.
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program git
need_program pre-commit

export PRE_COMMIT_HOME=$WORK/pre-commit-home PRE_COMMIT_COLOR=never
# language: system runs `ladder` from PATH.
mkdir -p "$WORK/bin"; ln -s "$LADDER" "$WORK/bin/ladder"
export PATH=$WORK/bin:$PATH
SAMPLE=$EDITORS/sample.ladder
bad()  { cat "$SAMPLE"; }
good() { sed -e 's/ask   intr /ask   intro/' -e 's/-> maybe/-> later/' "$SAMPLE"; }

main_j() { printf 'client Zeta Works\n    alias zeta\n\ninclude part one.ladder\n'; }
part_good() { printf '2011-03-01 * (call) zeta | Intro\n    plan  intro\n    ask   intro  Meet the CFO  -> yes\n'; }
part_bad()  { printf '2011-03-01 * (call) zeta | Intro\n    plan  intro\n    ask   intr  Meet the CFO  -> yes\n'; }

gitrepo() {
    git init -q "$1" && git -C "$1" config user.name "Ladder Test" &&
    git -C "$1" config user.email test@example.invalid &&
    git -C "$1" config commit.gpgsign false
}

# A repository holding only the hooks file, as a hooks repository would.
hooks=$WORK/hooks
gitrepo "$hooks"
cp "$TOP/.pre-commit-hooks.yaml" "$hooks/"
mkdir -p "$hooks/editors/git"; cp "$TOP/editors/git/pre-commit" "$hooks/editors/git/"
git -C "$hooks" add .pre-commit-hooks.yaml editors/git/pre-commit
git -C "$hooks" commit -q -m hooks

# The user's repository.
user=$WORK/user
gitrepo "$user"
cd "$user" || exit 2
good >acme.ladder; echo "plain text" >notes.txt
git add acme.ladder notes.txt; git commit -q -m start --no-verify

out=$WORK/out.txt
try() { # try REPO: run the ladder hook on what is staged
    pre-commit try-repo "$1" ladder >"$out" 2>&1
}
passes() { if try "$1"; then ok "$2"; else not_ok "$2"; sed 's/^/#   /' "$out"; fi; }
fails()  { if try "$1"; then not_ok "$2"; sed 's/^/#   /' "$out"; else ok "$2"; fi; }
says()   { if grep -qF -- "$1" "$out"; then ok "$2"; else not_ok "$2"; sed 's/^/#   /' "$out"; fi; }

for repo in "$hooks" "$TOP"; do
    if [ "$repo" = "$TOP" ]; then
        # The project itself, when it is a git work tree that tracks the file.
        git -C "$TOP" ls-files --error-unmatch .pre-commit-hooks.yaml >/dev/null 2>&1 || {
            echo "# $TOP does not track .pre-commit-hooks.yaml yet: skipping try-repo on it"
            continue
        }
        what="try-repo on the project"
    else
        what="try-repo on a hooks repository"
    fi

    bad >acme.ladder; git add acme.ladder; good >acme.ladder
    fails "$repo" "$what: staged bad + working copy fixed fails"
    says "acme.ladder:10:11: error:" "$what: the unknown rung is reported"
    says "[unknown-rung]" "$what: with its rule id"
    is "$(md5sum <acme.ladder)" "$(good | md5sum)" "$what: the working copy is left alone"

    good >acme.ladder; echo "; reviewed" >>acme.ladder; git add acme.ladder; bad >acme.ladder
    passes "$repo" "$what: staged fixed + working copy bad passes"
    is "$(md5sum <acme.ladder)" "$(bad | md5sum)" "$what: unstaged changes are restored"
    git checkout -q -- acme.ladder; git reset -q

    mkdir -p "sales team"; bad >"sales team/my journal.ladder"; git add "sales team/my journal.ladder"
    fails "$repo" "$what: a bad journal with spaces in its name fails"
    says "sales team/my journal.ladder:10:11: error:" "$what: reported under its name"
    git rm -q --cached "sales team/my journal.ladder"; rm -rf "sales team"

    cp "$EDITORS/warnings.ladder" warnings.ladder; git add warnings.ladder
    passes "$repo" "$what: a journal with warnings only passes"
    git rm -q --cached warnings.ladder; rm -f warnings.ladder

    # Includes stay inside the repository (--include-root .).
    printf '2011-01-01 * SecretClient\n' >"$WORK/outside.ladder"
    printf 'include ../outside.ladder\n' >inc.ladder; git add inc.ladder
    fails "$repo" "$what: an include outside the repository fails"
    says "cannot include '../outside.ladder'" "$what: it is an include error"
    if grep -q SecretClient "$out"; then not_ok "$what: the outside file is not read"
    else ok "$what: the outside file is not read"; fi
    git rm -q --cached inc.ladder; rm -f inc.ladder

    # A journal named like an option is linted (args end with --).
    bad >./-q.ladder; git add ./-q.ladder
    fails "$repo" "$what: a bad journal named -q.ladder fails"
    says "-q.ladder:10:11: error:" "$what: reported under its name"
    git rm -q --cached ./-q.ladder; rm -f ./-q.ladder

    bad >notes.txt; git add notes.txt
    passes "$repo" "$what: non-journal files are not linted"
    if grep -q "error:" "$out"; then not_ok "$what: nothing is reported"; else ok "$what: nothing is reported"; fi
    git reset -q; git checkout -q -- notes.txt

    # multi-file journals: an untracked include, a rename, --strict
    main_j >main.ladder; part_good >"part one.ladder"
    git add main.ladder
    fails "$repo" "$what: an include left untracked fails"
    says "'main.ladder' includes 'part one.ladder', which is not staged" "$what: the untracked include is named"
    git add "part one.ladder"
    passes "$repo" "$what: with the include staged, it passes"
    git -c core.hooksPath=/dev/null commit -q --no-verify -m "multi-file journal"
    git mv "part one.ladder" part2.ladder
    fails "$repo" "$what: renaming an included file fails"
    says "which is not in the index" "$what: the dangling include is named"
    git mv part2.ladder "part one.ladder"
    { part_good; printf '\n2011-03-08 * (call) zeta | Follow-up\n    ask   meeting  Budget  -> yes\n'; } >"part one.ladder"
    git add "part one.ladder"
    LADDER_OPTS=--strict passes "$repo" "$what: --strict, the client declared in main.ladder, only the include staged"
    if grep -q "unknown-client" "$out"; then not_ok "$what: no unknown-client"; sed 's/^/#   /' "$out"; else ok "$what: no unknown-client"; fi
    part_bad >"part one.ladder"; git add "part one.ladder"; part_good >"part one.ladder"
    fails "$repo" "$what: the include staged bad fails"
    is "$(grep -c "^part one.ladder:3:11: error" "$out")" 1 "$what: its error is reported once"
    git reset -q; git checkout -q -- "part one.ladder"
    git rm -q --cached main.ladder "part one.ladder"
    git -c core.hooksPath=/dev/null commit -q --no-verify -m "without it"
    rm -f main.ladder "part one.ladder"
done

# The ladder-fmt hook: `ladder fmt --check` on the staged journals.
fmtrepo=$WORK/fmtrepo
gitrepo "$fmtrepo"
cd "$fmtrepo" || exit 2
printf '2011-02-14 acme\n    next  none\n' >ok.ladder
git add ok.ladder
if pre-commit try-repo "$hooks" ladder-fmt >"$out" 2>&1; then ok "ladder-fmt: a canonical journal passes"
else not_ok "ladder-fmt: a canonical journal passes"; sed 's/^/#   /' "$out"; fi
printf '2011/2/14   acme\n  next none\n' >"messy one.ladder"
git add "messy one.ladder"
if pre-commit try-repo "$hooks" ladder-fmt >"$out" 2>&1; then not_ok "ladder-fmt: a journal not in canonical form fails"
else ok "ladder-fmt: a journal not in canonical form fails"; fi
check "ladder-fmt: names the file" grep -q '^messy one.ladder$' "$out"
check "ladder-fmt: rewrites nothing" grep -q '^2011/2/14   acme$' "messy one.ladder"
cd "$WORK" || exit 2

finish
