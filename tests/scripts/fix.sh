#!/usr/bin/env bash
# `ladder lint --fix` and the fixes in the output forms (cli.md sections 3-5).
#
# Golden journals: every tests/golden/fix/NAME.ladder with a NAME.fixed is
# copied to a temporary folder and fixed (ARGS: the first line of
# NAME.args); the file must then equal NAME.fixed byte for byte, keep every
# word of the original (but the ladder-ignore words that the fixes remove),
# leave no temporary file behind, and a second --fix must change nothing.
# The same again with a byte-order mark, CRLF line ends and mode 640.
# Then: json's fix/suggestions (offsets agree with lines and columns, every
# suggestion of section 5), sarif's fixes (against the official schema when
# python3-jsonschema is there), tty's [--fix], and the faults: a symbolic
# link, a read-only file system, a full disk, an include in another folder,
# standard input; each ends with the original bytes or the whole fix.
#
#   LADDER=/abs/path/to/ladder tests/scripts/fix.sh
set -u
cd "$(dirname "$0")/../.." || exit 2
LADDER=${LADDER:-$PWD/build/ladder}
export LADDER
[ -x "$LADDER" ] || { echo "not ok - $LADDER is not built"; exit 1; }
command -v python3 >/dev/null || { echo "not ok - python3 is needed"; exit 1; }

tmp=$(mktemp -d)
cleanup() {
    for m in "$tmp"/mnt-*; do
        [ -d "$m" ] && umount "$m" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
export TMPDIR_T=$tmp

python3 - <<'PY'
import glob, json, os, re, shutil, stat, subprocess, sys

LADDER = os.environ["LADDER"]
TMP = os.environ["TMPDIR_T"]
GOLD = "tests/golden/fix"
failed = 0

def check(cond, desc, detail=""):
    global failed
    if cond:
        print("ok - " + desc)
    else:
        failed += 1
        print("not ok - " + desc)
        for line in str(detail).splitlines()[:30]:
            print("#   " + line)

def run(args, cwd=None):
    p = subprocess.run([LADDER] + args, capture_output=True, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

def read(p):
    with open(p, "rb") as f:
        return f.read()

def write(p, b, mode=None):
    with open(p, "wb") as f:
        f.write(b)
    if mode is not None:
        os.chmod(p, mode)

# Words a fix may remove: the ladder-ignore keyword, rule ids, and the
# reason of a suppression (after " -- "), which goes when it goes whole.
rule_ids = set(run(["rules"])[1].split())
def words(b):
    return re.findall(rb"[^\s,;:]+", b)
def droppable(w, orig):
    reasons = set()
    for line in orig.splitlines():
        if b"ladder-ignore" in line and b" -- " in line:
            reasons |= set(words(line.split(b" -- ", 1)[1]))
    return w.startswith(b"ladder-ignore") or w.decode("utf-8", "replace") in rule_ids \
        or w == b"--" or w in reasons

def crlf_bom(b):
    return b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")

# ---------------------------------------------------------------- goldens --
for src in sorted(glob.glob(GOLD + "/*.ladder")):
    name = os.path.basename(src)[:-7]
    fixed = os.path.join(GOLD, name + ".fixed")
    if not os.path.exists(fixed):
        continue
    args = ["--today", "2026-01-01"]
    if os.path.exists(os.path.join(GOLD, name + ".args")):
        args = open(os.path.join(GOLD, name + ".args")).readline().split()
    orig, want = read(src), read(fixed)
    for variant in ("lf", "crlf-bom"):
        d = os.path.join(TMP, "g-%s-%s" % (name, variant))
        os.mkdir(d)
        o, w = (orig, want) if variant == "lf" else (crlf_bom(orig), crlf_bom(want))
        p = os.path.join(d, name + ".ladder")
        write(p, o, 0o640)
        rc, out, err = run(["lint"] + args + ["--fix", name + ".ladder"], cwd=d)
        got = read(p)
        check(got == w and rc in (0, 1) and err == "",
              "fix %s (%s): the file is the expected one" % (name, variant),
              "exit %d, stderr %r\n%r" % (rc, err, got[:600]))
        lost = [x for x in set(words(o)) if x not in set(words(got)) and not droppable(x, o)]
        check(not lost, "fix %s (%s): every word of the original is still there" % (name, variant),
              lost)
        check(stat.S_IMODE(os.stat(p).st_mode) == 0o640 and os.listdir(d) == [name + ".ladder"],
              "fix %s (%s): mode kept, no temporary file left" % (name, variant),
              (oct(os.stat(p).st_mode), os.listdir(d)))
        if variant == "crlf-bom":
            check(got.startswith(b"\xef\xbb\xbf") and got.count(b"\n") == got.count(b"\r\n"),
                  "fix %s: byte-order mark and CRLF line ends kept" % name)
        before = os.stat(p)
        rc2, out2, err2 = run(["lint"] + args + ["--fix", name + ".ladder"], cwd=d)
        after = os.stat(p)
        check(read(p) == got and before.st_ino == after.st_ino and rc2 == rc and out2 == out,
              "fix %s (%s): a second --fix changes nothing" % (name, variant),
              "exit %d/%d" % (rc, rc2))
        # What is left is what a plain lint reports.
        rc3, out3, _ = run(["lint"] + args + [name + ".ladder"], cwd=d)
        check(out3 == out and rc3 == rc, "fix %s (%s): --fix reports what is left" % (name, variant))

# ------------------------------------------------------ json: fix, edits --
def offsets_ok(doc, texts):
    bad = []
    for dg in doc["diagnostics"]:
        fixes = ([dg["fix"]] if "fix" in dg else []) + dg.get("suggestions", [])
        for fx in fixes:
            if not fx["description"] or not fx["edits"]:
                bad.append(("empty fix", dg["rule"]))
            for e in fx["edits"]:
                b = texts[e["file"]]
                for off, line, col in ((e["offset"], e["line"], e["column"]),
                                       (e["end_offset"], e["end_line"], e["end_column"])):
                    l = b.count(b"\n", 0, off) + 1
                    c = off - (b.rfind(b"\n", 0, off) + 1) + 1
                    if (l, c) != (line, col):
                        bad.append((dg["rule"], e, (l, c)))
    return bad

for src in sorted(glob.glob(GOLD + "/*.ladder")):
    rc, out, err = run(["lint", "--today", "2011-06-01", "--format", "json", src])
    doc = json.loads(out)
    bad = offsets_ok(doc, {src: read(src)})
    check(not bad, "json %s: every edit's offsets agree with its lines and columns"
          % os.path.basename(src), bad[:5])
    safe = [d for d in doc["diagnostics"] if "fix" in d]
    check(all(d["rule"] in ("unused-ignore", "date-order", "duplicate-entry") for d in safe),
          "json %s: only the rules of section 5 have a safe fix" % os.path.basename(src),
          [d["rule"] for d in safe])

sug = os.path.join(TMP, "suggest.ladder")
write(sug, b"""client Acme Corp
    alias acme

2011-02-14 * (call) Acme Corp | First
    plan  intro
    ask   intr  Introduction  -> maybe
    next  Call back soon ; ladder-ignore: no-ask

2011-02-21 * Acme Corp | Second
    plan  intro
    ask   contract  Sign now  -> no
    next  2011-02-28 Call

2011-03-01 ! Acme Corp | Stale
    plan  meeting

2011-09-01 (call) Acme Crop | Future
    plan  meeting
    ask   meeting  x -> yes
    next  none
""")
rc, out, err = run(["lint", "--today", "2011-06-01", "--strict", "--format", "json", sug])
doc = json.loads(out)
check(not offsets_ok(doc, {sug: read(sug)}), "json suggestions: offsets agree with lines and columns",
      offsets_ok(doc, {sug: read(sug)})[:5])
def texts_of(rule):
    r = []
    for dg in doc["diagnostics"]:
        if dg["rule"] == rule:
            for fx in dg.get("suggestions", []):
                r.append("|".join(e["text"] for e in fx["edits"]))
    return r
def has(rule, text):
    return text in texts_of(rule)
check(has("unknown-rung", "intro"), "suggestion: the nearest rung for unknown-rung", texts_of("unknown-rung"))
check(has("syntax", "yes") and has("syntax", "no") and has("syntax", "later"),
      "suggestion: yes, no or later for an unknown outcome", texts_of("syntax"))
check(has("unscheduled-next", " 2011-02-21"), "suggestion: a dated next for unscheduled-next",
      texts_of("unscheduled-next"))
check(has("over-ask", "meeting"), "suggestion: the highest rung max-step allows for over-ask",
      texts_of("over-ask"))
check(has("stale-planned", "*") and has("stale-planned", "~"), "suggestion: * or ~ for stale-planned",
      texts_of("stale-planned"))
check(has("future-held", "! "), "suggestion: ! for future-held (no mark written)", texts_of("future-held"))
check(has("unknown-client", "Acme Corp") and has("unknown-client", "client Acme Crop\n\n"),
      "suggestion: the nearest name or a client directive for unknown-client",
      texts_of("unknown-client"))
check(has("missing-next", " ; ladder-ignore: missing-next") or has("no-ask", " ; ladder-ignore: no-ask")
      or has("over-ask", " ; ladder-ignore: over-ask"),
      "suggestion: ; ladder-ignore: RULE on the line", [texts_of(r) for r in ("over-ask",)])
check(has("unknown-rung", ", unknown-rung") is False and has("syntax", " ; ladder-ignore: syntax") is False,
      "no ladder-ignore suggestion for syntax errors")
# Appending to an existing list: the header of the first entry.
first = [dg for dg in doc["diagnostics"] if dg["line"] == 7 and dg["rule"] != "unused-ignore"]
check(first and all(any("|".join(e["text"] for e in fx["edits"]) == ", " + dg["rule"]
                        for fx in dg.get("suggestions", [])) for dg in first),
      "suggestion: a rule appended to the line's ladder-ignore list",
      [(dg["rule"], dg.get("suggestions")) for dg in first])
check(not any("fix" in dg for dg in doc["diagnostics"] if dg["rule"] != "unused-ignore"),
      "suggestions are never a safe fix")

# Applying every suggestion of one kind in Python gives a journal without that rule.
def apply(b, edits):
    for e in sorted(edits, key=lambda e: -e["offset"]):
        b = b[:e["offset"]] + e["text"].encode() + b[e["end_offset"]:]
    return b
for rule in ("unknown-rung", "over-ask", "stale-planned", "future-held", "unscheduled-next"):
    dg = [d for d in doc["diagnostics"] if d["rule"] == rule][0]
    p = os.path.join(TMP, "applied-%s.ladder" % rule)
    write(p, apply(read(sug), dg["suggestions"][0]["edits"]))
    rc2, out2, _ = run(["lint", "--today", "2011-06-01", "--strict", "--format", "json", p])
    left = [d for d in json.loads(out2)["diagnostics"] if d["rule"] == rule and d["line"] == dg["line"]]
    check(not left, "the first suggestion for %s removes it" % rule, left)

# ------------------------------------------------------------ sarif fixes --
rc, out, err = run(["lint", "--today", "2011-06-01", "--strict", "--format", "sarif", sug,
                    GOLD + "/unused-ignore.ladder", GOLD + "/date-order.ladder"])
log = json.loads(out)
res = log["runs"][0]["results"]
withfix = [r for r in res if r.get("fixes")]
check(len(withfix) >= 10 and all(
          all(fx["description"]["text"] and fx["artifactChanges"] and
              all(ch["artifactLocation"]["uri"] and ch["replacements"] and
                  all("deletedRegion" in rp and "startLine" in rp["deletedRegion"] and
                      "text" in rp.get("insertedContent", {}) for rp in ch["replacements"])
                  for ch in fx["artifactChanges"])
              for fx in r["fixes"]) for r in withfix),
      "sarif: fixes with artifactChanges, deletedRegion and insertedContent", len(withfix))
try:
    import jsonschema
    schema = json.load(open("tests/schemas/sarif-schema-2.1.0-rtm.5.json"))
    errs = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    check(errs == [], "sarif with fixes: valid against the SARIF 2.1.0 schema",
          "\n".join("%s: %s" % (list(e.path), e.message) for e in errs[:5]))
except ImportError:
    print("ok - sarif schema # SKIP python3-jsonschema is not installed")

# ------------------------------------------------------------------- tty --
rc, out, err = run(["lint", "--today", "2011-06-01", "--format", "tty", "--color", "never",
                    GOLD + "/unused-ignore.ladder"])
heads = [l for l in out.splitlines() if re.match(r"^\S+:\d+:\d+: ", l)]
check(heads and all(l.endswith("[--fix]") == ("[unused-ignore]" in l) for l in heads),
      "tty: [--fix] after each diagnostic with a safe fix, and only those", heads)

# ---------------------------------------------------------------- faults --
J = read(GOLD + "/unused-ignore.ladder")
JF = read(GOLD + "/unused-ignore.fixed")
T = ["--today", "2011-06-01"]

d = os.path.join(TMP, "link"); os.mkdir(d)
write(os.path.join(d, "real.ladder"), J)
os.symlink("real.ladder", os.path.join(d, "link.ladder"))
rc, out, err = run(["lint"] + T + ["--fix", "link.ladder"], cwd=d)
check(rc == 2 and "link" in err and read(os.path.join(d, "real.ladder")) == J and
      os.path.islink(os.path.join(d, "link.ladder")) and sorted(os.listdir(d)) == ["link.ladder", "real.ladder"],
      "fault: a symbolic link is refused (exit 2), nothing written", (rc, err))

d = os.path.join(TMP, "inc"); os.makedirs(os.path.join(d, "parts"))
write(os.path.join(d, "main.ladder"), b"include parts/q1.ladder\n\n2011-01-01 * Acme Corp | x ; ladder-ignore: no-ask\n    plan intro\n    ask intro y -> yes\n    next none\n")
write(os.path.join(d, "parts", "q1.ladder"), J, 0o600)
rc, out, err = run(["lint"] + T + ["--fix", "main.ladder"], cwd=d)
check(read(os.path.join(d, "parts", "q1.ladder")) == JF and
      read(os.path.join(d, "main.ladder")).count(b"ladder-ignore") == 0 and
      stat.S_IMODE(os.stat(os.path.join(d, "parts", "q1.ladder")).st_mode) == 0o600 and
      sorted(os.listdir(os.path.join(d, "parts"))) == ["q1.ladder"],
      "fault: an include in another folder is fixed there, mode kept, no temporary file", (rc, err))

rc, out, err = run(["lint"] + T + ["--fix", "-"])
check(rc == 2 and "standard input" in err, "--fix refuses standard input (usage, exit 2)", (rc, err))

def mount(name, opts):
    m = os.path.join(TMP, "mnt-" + name)
    os.mkdir(m)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", m], capture_output=True)
    return m if p.returncode == 0 else None

m = mount("ro", "size=1m")
if m is None:
    print("ok - fault: read-only file system # SKIP mount is refused here")
else:
    write(os.path.join(m, "j.ladder"), J)
    subprocess.run(["mount", "-o", "remount,ro", m], check=True)
    rc, out, err = run(["lint"] + T + ["--fix", "j.ladder"], cwd=m)
    check(rc == 2 and err.startswith("ladder: ") and read(os.path.join(m, "j.ladder")) == J and
          os.listdir(m) == ["j.ladder"],
          "fault: a read-only folder: exit 2, the original intact", (rc, err))
    subprocess.run(["umount", m])

m = mount("full", "size=64k")
if m is None:
    print("ok - fault: a full disk # SKIP mount is refused here")
else:
    write(os.path.join(m, "j.ladder"), J)
    fd = os.open(os.path.join(m, "fill"), os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"x" * 512)
    except OSError:
        pass
    os.close(fd)
    rc, out, err = run(["lint"] + T + ["--fix", "j.ladder"], cwd=m)
    check(rc == 2 and err.startswith("ladder: ") and read(os.path.join(m, "j.ladder")) == J and
          sorted(os.listdir(m)) == ["fill", "j.ladder"],
          "fault: a full disk: exit 2, the original intact, no temporary file left", (rc, err))
    os.unlink(os.path.join(m, "fill"))
    rc, out, err = run(["lint"] + T + ["--fix", "j.ladder"], cwd=m)
    check(read(os.path.join(m, "j.ladder")) == JF, "fault: with room again, the whole fix is applied", (rc, err))
    subprocess.run(["umount", m])

sys.exit(1 if failed else 0)
PY
