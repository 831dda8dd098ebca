#!/usr/bin/env bash
# `ladder fmt` (cli.md §6): the golden pairs of tests/golden/fmt (NAME.ladder
# formatted must be NAME.fmt byte for byte, and NAME.fmt must be its own
# canonical form), --check, -w (exit statuses, mtimes, mode), --diff (the
# diff applied with patch gives the canonical text), -, a syntax error, and
# the faults of safe writing (cli.md §4): a symbolic link, a FIFO, a folder
# mounted read-only, a full file system.
. "$(dirname "$0")/../editors/lib.sh"
need_ladder
need_program patch

G=$TOP/tests/golden/fmt
for f in "$G"/*.ladder; do
    n=$(basename "$f" .ladder)
    [ -f "$G/$n.fmt" ] || continue
    if [ -s "$G/$n.fmt" ] || [ ! -s "$f" ]; then :; fi
    out=$WORK/$n.out
    "$LADDER" fmt "$f" >"$out" 2>"$WORK/err"; rc=$?
    if [ "$n" = syntax-error ]; then
        is "$rc" 2 "golden $n: refused with exit 2"
        is "$(wc -c <"$out" | tr -d ' ')" 0 "golden $n: nothing on standard output"
        is "$(grep -c ': error: .*\[syntax\]$' "$WORK/err")" 2 "golden $n: its two errors on standard error, gcc form"
        continue
    fi
    is "$rc" 0 "golden $n: exit 0"
    if cmp -s "$out" "$G/$n.fmt"; then ok "golden $n: the canonical form"
    else not_ok "golden $n: the canonical form"; diff "$G/$n.fmt" "$out" | sed 's/^/#   /' | head -20; fi
    "$LADDER" fmt "$G/$n.fmt" >"$out.2"
    check "golden $n: the canonical form is its own" cmp -s "$out.2" "$G/$n.fmt"
    "$LADDER" fmt --check "$G/$n.fmt" >"$out.3"; rc=$?
    is "$rc:$(cat "$out.3")" "0:" "golden $n: --check passes the canonical form"
done

# --check: the names of files that are not canonical, exit 1.
cp "$G/dates.ladder" "$WORK/a.ladder"
cp "$G/dates.fmt" "$WORK/b.ladder"
cp "$G/header.ladder" "$WORK/c.ladder"
cd "$WORK" || exit 2
out=$("$LADDER" fmt --check a.ladder b.ladder c.ladder); rc=$?
is "$rc" 1 "--check: exit 1 when a file is not canonical"
is "$out" "$(printf 'a.ladder\nc.ladder')" "--check: prints the names of those files only"
out=$("$LADDER" fmt --check b.ladder); rc=$?
is "$rc:$out" "0:" "--check: exit 0 and silence when all are canonical"
out=$("$LADDER" fmt --check a.ladder "$G/syntax-error.ladder" 2>/dev/null); rc=$?
is "$rc" 2 "--check: exit 2 when a file has a syntax error"

# -w: only the files that change are rewritten; mode kept.
touch -d '2001-01-01 00:00:00' a.ladder b.ladder c.ladder
chmod 640 a.ladder
"$LADDER" fmt -w a.ladder b.ladder c.ladder; rc=$?
is "$rc" 0 "-w: exit 0"
check "-w: a.ladder is now canonical" cmp -s a.ladder "$G/dates.fmt"
check "-w: c.ladder is now canonical" cmp -s c.ladder "$G/header.fmt"
is "$(stat -c %Y b.ladder)" "$(date -d '2001-01-01 00:00:00' +%s)" "-w: a canonical file keeps its mtime"
if [ "$(stat -c %Y a.ladder)" != "$(date -d '2001-01-01 00:00:00' +%s)" ]; then ok "-w: a rewritten file has a new mtime"
else not_ok "-w: a rewritten file has a new mtime"; fi
is "$(stat -c %a a.ladder)" 640 "-w: the file's mode is kept"
is "$(ls -A | grep -c '^\.fmt\.')" 0 "-w: no temporary file left behind"
touch -d '2001-01-01 00:00:00' a.ladder
"$LADDER" fmt -w a.ladder; rc=$?
is "$rc:$(stat -c %Y a.ladder)" "0:$(date -d '2001-01-01 00:00:00' +%s)" "-w twice: the second run writes nothing"
cp "$G/syntax-error.ladder" bad.ladder
"$LADDER" fmt -w bad.ladder 2>err.txt; rc=$?
is "$rc" 2 "-w: a file with a syntax error: exit 2"
check "-w: a file with a syntax error is left as it was" cmp -s bad.ladder "$G/syntax-error.ladder"
check "-w: its errors on standard error" grep -q 'bad.ladder:2:5: error: .*\[syntax\]' err.txt

# CRLF and a byte-order mark are kept through -w.
printf '\357\273\277option  max-step  2\r\n\r\n\r\n2011/2/3 acme\r\n  next none\r\n' >crlf.ladder
"$LADDER" fmt -w crlf.ladder
is "$(od -An -c crlf.ladder | tr -s ' ' | tr -d '\n')" \
   "$(printf '\357\273\277option max-step 2\r\n\r\n2011-02-03 acme\r\n    next  none\r\n' | od -An -c | tr -s ' ' | tr -d '\n')" \
   "-w: CRLF and the byte-order mark kept"

# Standard input.
out=$(printf '2011/2/3   acme\n  next none\n' | "$LADDER" fmt -); rc=$?
is "$rc:$out" "$(printf '0:2011-02-03 acme\n    next  none')" "-: standard input to standard output"
printf 'x\n' | "$LADDER" fmt -w - 2>/dev/null; rc=$?
is "$rc" 2 "-w -: a usage error"
out=$(printf '2011/2/3 acme\n' | "$LADDER" fmt --check --stdin-filename j.ladder -); rc=$?
is "$rc:$out" "1:j.ladder" "--check -: the --stdin-filename name"
"$LADDER" fmt -w --check a.ladder 2>/dev/null; rc=$?
is "$rc" 2 "-w with --check: a usage error"
"$LADDER" fmt 2>/dev/null; rc=$?
is "$rc" 2 "no file: a usage error"
"$LADDER" fmt --bogus a.ladder 2>/dev/null; rc=$?
is "$rc" 2 "an unknown option: a usage error"
out=$("$LADDER" fmt --help); rc=$?
is "$rc:$(head -c 16 <<<"$out")" "0:usage: ladder fm" "fmt --help"
"$LADDER" fmt nosuch.ladder 2>/dev/null; rc=$?
is "$rc" 2 "an unreadable file: exit 2"

# Includes are not followed: a broken included file changes nothing.
printf '2011-02-14 acme\n    bogus\n' >inc-bad.ladder
printf 'include   inc-bad.ladder\ninclude missing.ladder\n2011/2/14 acme\n' >incl.ladder
out=$("$LADDER" fmt incl.ladder); rc=$?
is "$rc:$out" "$(printf '0:include inc-bad.ladder\ninclude missing.ladder\n2011-02-14 acme')" \
   "includes are not followed"

# --diff: a unified diff that patch applies to give the canonical form.
cp "$G/items.ladder" d.ladder
"$LADDER" fmt --diff d.ladder >d.diff; rc=$?
is "$rc" 0 "--diff: exit 0"
check "--diff: starts with the file's name" grep -q '^--- d.ladder$' d.diff
cp d.ladder d.orig
patch -s -o d.patched d.ladder <d.diff >/dev/null 2>&1
check "--diff: patch applies it and gets the canonical form" cmp -s d.patched "$G/items.fmt"
check "--diff: writes nothing" cmp -s d.ladder d.orig
cp "$G/blanks.ladder" e.ladder
"$LADDER" fmt --diff e.ladder >e.diff
patch -s -o e.patched e.ladder <e.diff >/dev/null 2>&1
check "--diff: blank lines removed, patch agrees" cmp -s e.patched "$G/blanks.fmt"
out=$("$LADDER" fmt --diff "$G/dates.fmt"); rc=$?
is "$rc:$out" "0:" "--diff: nothing for a canonical file"

# Safe writing: a symbolic link is refused (its target untouched).
cp "$G/dates.ladder" target.ladder
ln -s target.ladder link.ladder
"$LADDER" fmt -w link.ladder 2>err.txt; rc=$?
is "$rc" 2 "-w on a symbolic link: exit 2"
check "-w on a symbolic link: the target is untouched" cmp -s target.ladder "$G/dates.ladder"
check "-w on a symbolic link: it is still a link" test -L link.ladder
check "-w on a symbolic link: says why" grep -q 'symbolic link' err.txt
out=$("$LADDER" fmt link.ladder); rc=$?
is "$rc" 0 "printing through a symbolic link is fine"

# A FIFO: refused at once (never blocks).
mkfifo pipe.ladder
timeout 5 "$LADDER" fmt -w pipe.ladder 2>err.txt; rc=$?
is "$rc" 2 "-w on a FIFO: exit 2, without waiting for a writer"
check "-w on a FIFO: says why" grep -q 'not a regular file' err.txt

# A folder mounted read-only, and a full file system (when mounts are allowed).
mkdir -p mnt
if mount -t tmpfs -o size=64k tmpfs mnt 2>/dev/null; then
    cp "$G/dates.ladder" mnt/j.ladder
    mount -o remount,ro mnt
    "$LADDER" fmt -w mnt/j.ladder 2>err.txt; rc=$?
    is "$rc" 2 "-w in a read-only folder: exit 2"
    check "-w in a read-only folder: the file is untouched" cmp -s mnt/j.ladder "$G/dates.ladder"
    mount -o remount,rw mnt
    # Fill the file system, then grow the file by formatting it.
    printf '2011-1-1 a\n' >mnt/j.ladder
    for i in $(seq 1 300); do printf '2011-1-1\tlong   client   name   %s\n' "$i"; done >mnt/big.ladder
    rm mnt/j.ladder
    head -c $((64 * 1024)) /dev/zero >mnt/fill 2>/dev/null
    rm -f mnt/fill
    size=$(stat -c %s mnt/big.ladder)
    head -c $((64 * 1024 - size - 2048)) /dev/zero >mnt/fill 2>/dev/null
    cp mnt/big.ladder big.orig
    "$LADDER" fmt -w mnt/big.ladder 2>err.txt; rc=$?
    is "$rc" 2 "-w on a full file system: exit 2"
    check "-w on a full file system: the file is untouched" cmp -s mnt/big.ladder big.orig
    check "-w on a full file system: says so" grep -q "No space left" err.txt
    is "$(ls -A mnt | grep -c '^\.fmt\.')" 0 "-w on a full file system: no temporary file left"
    umount mnt
else
    # No mounts here: a read-only target is simulated by a folder one
    # cannot write into (only meaningful when not root).
    ok "# skip read-only and full file system: mount not allowed"
fi

finish
