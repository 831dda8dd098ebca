#!/usr/bin/env bash
# `make install DESTDIR=... PREFIX=/usr` puts every file in place (the
# binary runs, the man pages render, the editor files are the repository's);
# `make uninstall` with the same settings leaves nothing behind.
#
#   LADDER=/abs/path/to/ladder tests/scripts/install.sh   (LADDER unused: make builds)
set -u
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }
MAKE=${MAKE:-make}
BUILD=${BUILD:-build}

dest=$tmp/stage
if $MAKE --no-print-directory install DESTDIR="$dest" PREFIX=/usr BUILD="$BUILD" >"$tmp/log" 2>&1; then
    ok "make install DESTDIR=... PREFIX=/usr"
else
    not_ok "make install failed"
    sed 's/^/#   /' "$tmp/log" | tail -20
fi
root=$dest/usr

# have PATH MODE SOURCE: installed, with this mode, equal to SOURCE ("" = no compare).
have() {
    local p=$root/$1 mode=$2 src=$3
    if [ ! -f "$p" ]; then
        not_ok "$1 installed"
        return
    fi
    local m
    m=$(stat -c %a "$p")
    if [ "$m" != "$mode" ]; then
        not_ok "$1 has mode $m, want $mode"
    elif [ -n "$src" ] && ! cmp -s "$p" "$src"; then
        not_ok "$1 differs from $src"
    else
        ok "$1 installed (mode $mode)"
    fi
}

have bin/ladder 755 "$BUILD/ladder"
"$root/bin/ladder" --version >/dev/null 2>&1 && ok "the installed ladder runs" || not_ok "installed ladder does not run"
have share/man/man1/ladder.1 644 ""
have share/man/man5/ladder.5 644 ""
for p in share/man/man1/ladder.1 share/man/man5/ladder.5; do
    [ -f "$root/$p" ] || continue
    w=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$root/$p" 2>&1)
    [ -z "$w" ] && ok "$p renders without warnings" || not_ok "$p: $w"
done
grep -q '^\.TH LADDER 5 .*"ladder [0-9]' "$root/share/man/man5/ladder.5" 2>/dev/null &&
    ok "ladder.5 carries the version" || not_ok "ladder.5 .TH line"
n=0
for f in editors/vim/*/*.vim editors/vim/*/*/*.vim; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    have "share/vim/vimfiles/${f#editors/vim/}" 644 "$f"
done
[ $n -gt 0 ] && ok "$n vim files checked" || not_ok "no vim files found in editors/vim"
[ -f editors/emacs/ladder-mode.el ] && have share/emacs/site-lisp/ladder-mode.el 644 editors/emacs/ladder-mode.el
[ -f editors/git/pre-commit ] && have share/ladder/pre-commit 755 editors/git/pre-commit
have share/bash-completion/completions/ladder 644 editors/bash/ladder
extra=$(cd "$dest" && find . -type f | sort | grep -v -e '^./usr/bin/ladder$' \
    -e '^./usr/share/man/man[15]/ladder\.[15]$' -e '^./usr/share/vim/vimfiles/' \
    -e '^./usr/share/emacs/site-lisp/ladder-mode\.el$' -e '^./usr/share/ladder/pre-commit$' \
    -e '^./usr/share/bash-completion/completions/ladder$')
[ -z "$extra" ] && ok "nothing installed outside the expected places" || not_ok "unexpected: $extra"

if $MAKE --no-print-directory uninstall DESTDIR="$dest" PREFIX=/usr BUILD="$BUILD" >"$tmp/log" 2>&1; then
    ok "make uninstall"
else
    not_ok "make uninstall failed"
    sed 's/^/#   /' "$tmp/log" | tail -20
fi
left=$(find "$dest" -mindepth 1 2>/dev/null)
[ -z "$left" ] && ok "make uninstall leaves nothing" || not_ok "left behind: $left"

# The default PREFIX is /usr/local.
dest2=$tmp/stage2
$MAKE --no-print-directory install DESTDIR="$dest2" BUILD="$BUILD" >"$tmp/log" 2>&1
[ -x "$dest2/usr/local/bin/ladder" ] && [ -f "$dest2/usr/local/share/man/man1/ladder.1" ] &&
    ok "PREFIX defaults to /usr/local" || not_ok "default PREFIX: $(cd "$dest2" 2>/dev/null && find . -type f | head -3)"
$MAKE --no-print-directory uninstall DESTDIR="$dest2" BUILD="$BUILD" >"$tmp/log" 2>&1
[ -z "$(find "$dest2" -type f 2>/dev/null)" ] && ok "uninstall with the default PREFIX" || not_ok "default PREFIX uninstall"

# Uninstall leaves other packages' files alone.
dest3=$tmp/stage3
mkdir -p "$dest3/usr/share/vim/vimfiles/syntax" "$dest3/usr/bin"
touch "$dest3/usr/share/vim/vimfiles/syntax/other.vim" "$dest3/usr/bin/other"
$MAKE --no-print-directory install DESTDIR="$dest3" PREFIX=/usr BUILD="$BUILD" >"$tmp/log" 2>&1
$MAKE --no-print-directory uninstall DESTDIR="$dest3" PREFIX=/usr BUILD="$BUILD" >"$tmp/log" 2>&1
[ "$(cd "$dest3" && find . -type f | sort | tr '\n' ' ')" = "./usr/bin/other ./usr/share/vim/vimfiles/syntax/other.vim " ] &&
    ok "uninstall keeps other files" || not_ok "uninstall touched other files: $(cd "$dest3" && find . | tr '\n' ' ')"

[ $failed -eq 0 ] || { echo "# $failed failed"; exit 1; }
