#!/usr/bin/env bash
# The output forms, each parsed and checked: json (python3's json module),
# sarif (structure, rules against the registry, relative URIs, levels), tty
# under a pseudo-terminal (colour, caret columns with tabs, UTF-8 and invalid
# bytes, NO_COLOR, --color), and gcc as the default into a pipe.
#
#   LADDER=/abs/path/to/ladder tests/scripts/formats.sh
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any failed.
set -u
cd "$(dirname "$0")/../.." || exit 2
LADDER=${LADDER:-$PWD/build/ladder}
export LADDER
[ -x "$LADDER" ] || { echo "not ok - $LADDER is not built"; exit 1; }
command -v python3 >/dev/null || { echo "not ok - python3 is needed"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR_T=$tmp

python3 - <<'PY'
import json, os, pty, re, subprocess, sys, tty

LADDER = os.environ["LADDER"]
TMP = os.environ["TMPDIR_T"]
FIX = "tests/fixtures/output"
TODAY = ["--today", "2011-03-02"]
failed = 0

def check(cond, desc, detail=""):
    global failed
    if cond:
        print("ok - " + desc)
    else:
        failed += 1
        print("not ok - " + desc)
        if detail:
            for line in str(detail).splitlines()[:30]:
                print("#   " + line)

def run(args, stdin=None, env=None, cwd=None):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    p = subprocess.run([LADDER] + args, input=stdin, capture_output=True,
                       env=e, cwd=cwd)
    return p.stdout, p.stderr, p.returncode

def run_pty(args, env=None):
    """stdout on a pseudo-terminal (raw, so bytes arrive as written)."""
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    e["TERM"] = "xterm"
    if env:
        e.update(env)
    m, s = pty.openpty()
    tty.setraw(s)
    p = subprocess.Popen([LADDER] + args, stdout=s, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, env=e)
    os.close(s)
    out = b""
    while True:
        try:
            d = os.read(m, 65536)
        except OSError:
            break
        if not d:
            break
        out += d
    err = p.stderr.read()
    p.wait()
    os.close(m)
    return out, err, p.returncode

def gcc_lines(out):
    return [l for l in out.decode("utf-8", "replace").split("\n") if l]

# ---------------------------------------------------------------- json ----
DKEYS = {"file", "line", "column", "end_line", "end_column", "severity",
         "rule", "message", "notes"}
NKEYS = {"file", "line", "column", "message"}

def load_json(out, what):
    try:
        text = out.decode("utf-8")            # strict: must be UTF-8
    except UnicodeDecodeError as e:
        check(False, what + ": json output is UTF-8", e)
        return None
    try:
        doc = json.loads(text)
    except ValueError as e:
        check(False, what + ": json output parses", e)
        return None
    check(True, what + ": json output is UTF-8 and parses")
    return doc

def shape_ok(doc):
    """Exact keys and types; returns a list of problems."""
    bad = []
    if not isinstance(doc, dict) or set(doc) != {"version", "diagnostics"}:
        return ["top level keys: %r" % (list(doc) if isinstance(doc, dict) else doc)]
    if doc["version"] != 1 or type(doc["version"]) is not int:
        bad.append("version %r" % doc["version"])
    if not isinstance(doc["diagnostics"], list):
        return bad + ["diagnostics is not a list"]
    for d in doc["diagnostics"]:
        if set(d) != DKEYS:
            bad.append("diagnostic keys %r" % sorted(d))
            continue
        for k in ("file", "severity", "rule", "message"):
            if type(d[k]) is not str:
                bad.append("%s is %r" % (k, type(d[k])))
        for k in ("line", "column", "end_line", "end_column"):
            if type(d[k]) is not int or d[k] < 1:
                bad.append("%s is %r" % (k, d[k]))
        if d["severity"] not in ("error", "warning", "note"):
            bad.append("severity %r" % d["severity"])
        if (d["end_line"], d["end_column"]) <= (d["line"], d["column"]):
            bad.append("end %r before start" % ((d["end_line"], d["end_column"]),))
        if type(d["notes"]) is not list:
            bad.append("notes is not a list")
            continue
        for n in d["notes"]:
            if set(n) != NKEYS:
                bad.append("note keys %r" % sorted(n))
                continue
            if type(n["file"]) is not str or type(n["message"]) is not str:
                bad.append("note strings")
            if type(n["line"]) is not int or type(n["column"]) is not int:
                bad.append("note numbers")
    return bad

files = [FIX + "/tabs.ladder", FIX + "/warnings.ladder", FIX + "/clean.ladder",
         FIX + "/inc/main.ladder"]
out, err, rc = run(["lint", "--format", "json"] + TODAY + files)
doc = load_json(out, "four journals")
if doc is not None:
    check(shape_ok(doc) == [], "json: exact keys and types", shape_ok(doc))
    gout, _, _ = run(["lint", "--format", "gcc"] + TODAY + files)
    # The same diagnostics, in the same order, as the gcc form.
    rebuilt = []
    for d in doc["diagnostics"]:
        rebuilt.append("%s:%d:%d: %s: %s [%s]" % (d["file"], d["line"], d["column"],
                       d["severity"], d["message"], d["rule"]))
        for n in d["notes"]:
            rebuilt.append("%s:%d:%d: note: %s" % (n["file"], n["line"], n["column"],
                                                   n["message"]))
    check(rebuilt == gcc_lines(gout), "json: the same diagnostics as gcc, in order",
          "\n".join(rebuilt) + "\n--- gcc:\n" + gout.decode("utf-8", "replace"))
    check(out.count(b'{"version":1') == 1, "json: one document for all journals")
    check(out.endswith(b"\n"), "json: ends with a newline")
    notes = [d for d in doc["diagnostics"] if d["notes"]]
    check(len(notes) >= 1 and notes[0]["rule"] == "over-ask" and
          notes[0]["notes"][0]["line"] == 6 and notes[0]["notes"][0]["column"] == 5,
          "json: a note with its file, line and column", notes)
    syn = [d for d in doc["diagnostics"] if d["rule"] == "syntax"]
    check(len(syn) == 1 and (syn[0]["line"], syn[0]["column"], syn[0]["end_column"])
          == (5, 26, 31), "json: columns count bytes, end is exclusive", syn)
    inc = [d for d in doc["diagnostics"] if d["rule"] == "unknown-rung"]
    check(len(inc) == 1 and inc[0]["file"] == FIX + "/inc/sub/part.ladder",
          "json: a diagnostic in an included file names that file", inc)

out, _, rc = run(["--format", "json"] + TODAY + [FIX + "/clean.ladder"])
check(out == b'{"version":1,"diagnostics":[]}\n' and rc == 0,
      "json: a clean journal gives an empty list", out)
out, _, rc = run(["--format", "json", "--today", "2011-03-02", "nonexistent.ladder"])
check(out == b'{"version":1,"diagnostics":[]}\n' and rc == 2,
      "json: still one document when a journal cannot be read", (out, rc))

# Quotes, backslashes and control characters in a message.
out, _, rc = run(["--format", "json", "--strict"] + TODAY + [FIX + "/nasty.ladder"])
doc = load_json(out, "control characters")
if doc is not None:
    msgs = [d["message"] for d in doc["diagnostics"] if d["rule"] == "unknown-client"]
    check(len(msgs) == 1 and 'Bob "the \\ q" \x01\x1b[31m Co' in msgs[0],
          "json: quotes, backslash and control characters survive the round trip", msgs)
    check(re.search(rb"[\x00-\x1f]", out.replace(b"\n", b"")) is None and
          b"\\u0001" in out and b"\\u001b" in out and b'\\"the \\\\ q\\"' in out,
          "json: control characters are escaped, quotes and backslashes too", out)

# Invalid UTF-8 (and a quote, backslash, tab) in the file name, which every
# diagnostic carries: from --stdin-filename.
name = b'odd "dir"\\x\xff\xfe\tname.ladder'
src = open(FIX + "/warnings.ladder", "rb").read()
p = subprocess.run([LADDER, "--format", "json"] + TODAY +
                   [b"--stdin-filename", name, "-"], input=src, capture_output=True)
doc = load_json(p.stdout, "invalid UTF-8 in a file name")
if doc is not None:
    check(shape_ok(doc) == [], "json: keys and types with a hostile file name", shape_ok(doc))
    names = {d["file"] for d in doc["diagnostics"]}
    check(names == {'odd "dir"\\x\ufffd\ufffd\tname.ladder'},
          "json: invalid bytes become U+FFFD, the rest is kept", names)
# Invalid UTF-8 in a message: an include path quoted in the message.
d2 = os.path.join(TMP, "incbad")
os.makedirs(d2, exist_ok=True)
with open(os.path.join(d2, "main.ladder"), "wb") as f:
    f.write(b"include missing-\xc3\xa9.ladder\n")
p = subprocess.run([LADDER, "--format", "json", "main.ladder"], capture_output=True, cwd=d2)
doc = load_json(p.stdout, "UTF-8 in a message")
if doc is not None:
    m = [d["message"] for d in doc["diagnostics"] if d["rule"] == "include"]
    check(len(m) == 1 and "missing-\u00e9.ladder" in m[0], "json: UTF-8 in a message is kept", m)

# -q: only errors.
out, _, rc = run(["--format", "json", "-q"] + TODAY + files)
doc = load_json(out, "quiet")
if doc is not None:
    sev = {d["severity"] for d in doc["diagnostics"]}
    check(sev == {"error"}, "json: -q keeps only errors", sev)

# --------------------------------------------------------------- sarif ----
rules_out, _, _ = run(["rules"])
registry = []
for line in rules_out.decode().splitlines():
    rid, sev, summary = line.split(None, 2)
    registry.append((rid, sev, summary))
version = run(["--version"])[0].decode().split()[-1]

def load_sarif(args, cwd=None, what="sarif"):
    out, err, rc = run(["lint", "--format", "sarif"] + args, cwd=cwd)
    try:
        return json.loads(out.decode("utf-8")), rc
    except (ValueError, UnicodeDecodeError) as e:
        check(False, what + ": sarif output parses", e)
        return None, rc

log, rc = load_sarif(TODAY + files)
if log is not None:
    check(True, "sarif: output parses")
    check(log.get("version") == "2.1.0" and "sarif-schema-2.1.0" in log.get("$schema", ""),
          "sarif: version 2.1.0 and its $schema", {k: log.get(k) for k in ("version", "$schema")})
    runs = log.get("runs")
    check(isinstance(runs, list) and len(runs) == 1, "sarif: one run")
    run0 = runs[0]
    drv = run0["tool"]["driver"]
    check(drv.get("name") == "ladder" and drv.get("version") == version and
          re.match(r"^https?://", drv.get("informationUri", "")) is not None,
          "sarif: driver name, version and informationUri", drv.get("version"))
    rules = drv.get("rules", [])
    check([r.get("id") for r in rules] == [r[0] for r in registry],
          "sarif: every rule of the registry, in registry order",
          [r.get("id") for r in rules])
    lvl = {"error": "error", "warning": "warning", "note": "note"}
    bad = []
    for r, (rid, sev, summary) in zip(rules, registry):
        if r.get("shortDescription", {}).get("text") != summary:
            bad.append(rid + " shortDescription")
        if not r.get("fullDescription", {}).get("text"):
            bad.append(rid + " fullDescription")
        ex = run(["explain", rid])[0].decode()
        body = ex.split("\n\n", 1)[1] if "\n\n" in ex else ""
        if not r.get("help", {}).get("text") or r["help"]["text"] != (body or summary):
            bad.append(rid + " help is not the explanation")
        if r.get("defaultConfiguration", {}).get("level") != lvl.get(sev, "none"):
            bad.append(rid + " level")
    check(bad == [], "sarif: each rule's descriptions, help (explain text) and default level", bad)
    results = run0.get("results")
    check(isinstance(results, list) and len(results) > 0, "sarif: results present")
    bad = []
    for res in results:
        ri = res.get("ruleIndex")
        if not isinstance(ri, int) or rules[ri]["id"] != res.get("ruleId"):
            bad.append("ruleIndex %r for %r" % (ri, res.get("ruleId")))
        if res.get("level") not in ("error", "warning", "note"):
            bad.append("level %r" % res.get("level"))
        if not res.get("message", {}).get("text"):
            bad.append("message")
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", uri) or uri.startswith("/") or not uri:
            bad.append("uri not relative: " + uri)
        reg = loc["region"]
        if not (reg.get("startLine", 0) >= 1 and reg.get("startColumn", 0) >= 1):
            bad.append("region %r" % reg)
        for rl in res.get("relatedLocations", []):
            if not rl.get("message", {}).get("text") or \
               not rl["physicalLocation"]["artifactLocation"]["uri"]:
                bad.append("relatedLocation %r" % rl)
    check(bad == [], "sarif: every result's ruleId/ruleIndex, level, message, relative location", bad)
    uris = sorted({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results})
    check(uris == sorted([FIX + "/inc/sub/part.ladder", FIX + "/tabs.ladder",
                          FIX + "/warnings.ladder"]),
          "sarif: URIs relative to the current folder", uris)
    rel = [r for r in results if r.get("relatedLocations")]
    check(len(rel) == 1 and rel[0]["ruleId"] == "over-ask" and
          rel[0]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 6,
          "sarif: a note is a related location", rel)
    syn = [r for r in results if r["ruleId"] == "syntax"]
    reg = syn[0]["locations"][0]["physicalLocation"]["region"] if syn else {}
    # byte column 26 of "\task\tintro\tÇa — va -> maybe" is UTF-16 column 23.
    check(reg.get("startLine") == 5 and reg.get("startColumn") == 23 and
          reg.get("endColumn") == 28 and run0.get("columnKind") == "utf16CodeUnits",
          "sarif: columns in UTF-16 code units", reg)
    base = run0.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
    check(base.startswith("file:///") and base.endswith("/"),
          "sarif: %SRCROOT% is the current folder as an absolute file URI", base)

# Absolute and odd paths still give relative, percent-encoded URIs.
odd = os.path.join(TMP, "my dir", "100% é")
os.makedirs(odd, exist_ok=True)
with open(os.path.join(odd, "a b.ladder"), "wb") as f:
    f.write(open(FIX + "/warnings.ladder", "rb").read())
log, _ = load_sarif(TODAY + [os.path.join(odd, "a b.ladder"),
                             "./my dir/../my dir/100% é/a b.ladder"], cwd=TMP)
if log is not None:
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    check(uris == {"my%20dir/100%25%20%C3%A9/a%20b.ladder"},
          "sarif: absolute and ./.. paths become one relative, percent-encoded URI", uris)
log, _ = load_sarif(TODAY + [os.path.abspath(FIX + "/warnings.ladder")], cwd=odd)
if log is not None:
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    check(len(uris) == 1 and next(iter(uris)).startswith("../") and
          next(iter(uris)).endswith("tests/fixtures/output/warnings.ladder"),
          "sarif: a file outside the current folder is reached with ../", uris)

# Levels follow the effective severity; -q keeps only errors.
log, _ = load_sarif(TODAY + ["--rule", "no-ask=note", "--rule", "missing-next=error",
                             FIX + "/warnings.ladder"])
if log is not None:
    lv = {(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]}
    check(("no-ask", "note") in lv and ("missing-next", "error") in lv and
          ("overdue-next", "warning") in lv, "sarif: levels note, error, warning", lv)
log, _ = load_sarif(TODAY + ["-q"] + files)
if log is not None:
    check({r["level"] for r in log["runs"][0]["results"]} == {"error"},
          "sarif: -q keeps only errors")
log, _ = load_sarif(TODAY + [FIX + "/clean.ladder"])
if log is not None:
    check(log["runs"][0]["results"] == [] and len(log["runs"][0]["tool"]["driver"]["rules"])
          == len(registry), "sarif: a clean run has empty results and every rule")

# ----------------------------------------------------------------- tty ----
ANSI = re.compile(rb"\x1b\[[0-9;]*m")

def plain(b):
    return ANSI.sub(b"", b).decode("utf-8")

out, err, rc = run_pty(TODAY + [FIX + "/tabs.ladder"])
check(b"\x1b[" in out, "tty: the default on a terminal, with colour", out[:200])
check(b"\x1b[1;31merror:" in out and b"\x1b[1;35mwarning:" in out and
      b"\x1b[1;36mnote:" in out and b"\x1b[1m" + FIX.encode() in out,
      "tty: bold locus, red error, magenta warning, cyan note", out)
check(rc == 1, "tty: exit status 1 with an error", rc)
text = plain(out)
lines = text.split("\n")
src_line = "\task\tintro\t\u00c7a \u2014 va -> maybe"
try:
    i = lines.index("   5 | " + src_line)
    caret = lines[i + 1]
except (ValueError, IndexError):
    i, caret = -1, ""
want = "     | " + "\t   \t     \t" + " " * len("\u00c7a \u2014 va -> ") + "^~~~~"
check(caret == want, "tty: caret under the column, tabs copied, UTF-8 one column each",
      repr(caret) + "\n" + repr(want) + "\n" + text)
check(lines[0] == FIX + "/tabs.ladder:5:26: error: unknown outcome 'maybe' after '->': "
      "expected yes, no or later [syntax]", "tty: FILE:LINE:COL: severity: message [rule]",
      lines[0])
ni = [k for k, l in enumerate(lines) if ": note: " in l]
check(len(ni) == 1 and lines[ni[0]].startswith("  " + FIX + "/tabs.ladder:6:5: note: ") and
      lines[ni[0] + 1].startswith("     6 |") and lines[ni[0] + 2].endswith("|     ^") and
      "[over-ask]" in lines[ni[0] - 3],
      "tty: a note indented under its diagnostic, with its source line", text)
check(lines[-2] == "1 error, 1 warning in 1 journal" and lines[-1] == "",
      "tty: closing count, singular", lines[-3:])

out, _, _ = run_pty(TODAY + [FIX + "/tabs.ladder", FIX + "/warnings.ladder",
                              FIX + "/clean.ladder"])
check(plain(out).rstrip("\n").split("\n")[-1] == "1 error, 4 warnings in 3 journals",
      "tty: closing count, plural", plain(out)[-200:])
out, _, rc = run_pty(TODAY + [FIX + "/clean.ladder"])
check(plain(out) == "no problems in 1 journal\n" and rc == 0,
      "tty: 'no problems in 1 journal' when clean", out)
out, _, _ = run_pty(TODAY + ["--rule", "no-ask=note", FIX + "/warnings.ladder"])
check(plain(out).rstrip("\n").split("\n")[-1] == "2 warnings, 1 note in 1 journal",
      "tty: notes counted", plain(out)[-100:])

# Invalid bytes in the source line: shown as U+FFFD, caret still lined up.
bad = os.path.join(TMP, "bad.ladder")
with open(bad, "wb") as f:
    f.write(b"2011-02-14 * Acme\t\xc3\xa9\xff Co | x\n    next none\n")
out, _, _ = run_pty(TODAY + ["--color", "never", bad])
t = out.decode("utf-8")
ls = t.split("\n")
check(ls[0].startswith(bad + ":1:21: error: invalid UTF-8") and
      ls[1] == "   1 | 2011-02-14 * Acme\t\u00e9\ufffd Co | x" and
      ls[2] == "     | " + " " * 17 + "\t" + " ^",
      "tty: invalid UTF-8 shown as U+FFFD with the caret under it", t)

# A journal's control characters never reach the terminal.
out, _, _ = run_pty(["--strict", "--color", "never"] + TODAY + [FIX + "/nasty.ladder"])
check(b"\x1b" not in out and b"\x01" not in out and "\ufffd".encode() in out,
      "tty: control characters from the journal are replaced", out)

out, _, _ = run_pty(TODAY + [FIX + "/tabs.ladder"], env={"NO_COLOR": "1"})
check(b"\x1b" not in out and b"^" in out, "tty: NO_COLOR turns colour off", out[:200])
out, _, _ = run_pty(TODAY + ["--color", "always", FIX + "/tabs.ladder"], env={"NO_COLOR": "1"})
check(b"\x1b" not in out, "tty: NO_COLOR wins over --color always (spec section 8)")
out, _, _ = run_pty(TODAY + [FIX + "/tabs.ladder"], env={"TERM": "dumb"})
check(b"\x1b" not in out and b"^" in out, "tty: no colour on TERM=dumb", out[:200])
out, _, _ = run_pty(TODAY + ["--color", "never", FIX + "/tabs.ladder"])
check(b"\x1b" not in out and b"^" in out, "tty: --color never", out[:200])
out, _, _ = run(["--format", "tty", "--color", "always"] + TODAY + [FIX + "/tabs.ladder"])
check(b"\x1b[1;31merror:" in out, "tty: --color always into a pipe", out[:200])
out, _, _ = run(["--format", "tty"] + TODAY + [FIX + "/tabs.ladder"])
check(b"\x1b" not in out and b"^~~~~" in out, "tty: --color auto into a pipe has none")
out, _, rc = run_pty(["-q"] + TODAY + [FIX + "/tabs.ladder", FIX + "/warnings.ladder"])
t = plain(out)
check("error:" in t and "warning:" not in t and " in 2 journals" not in t and rc == 1,
      "tty: -q prints only errors, no closing count", t)

# ----------------------------------------------------------------- gcc ----
pipe, _, _ = run(TODAY + [FIX + "/tabs.ladder", FIX + "/warnings.ladder"])
gcc, _, _ = run(["--format", "gcc"] + TODAY + [FIX + "/tabs.ladder", FIX + "/warnings.ladder"])
check(pipe == gcc and b"\x1b" not in pipe and pipe.startswith(FIX.encode() + b"/tabs.ladder:5:26: error: "),
      "gcc: the default into a pipe", pipe[:300])
check(gcc_lines(gcc)[2] == FIX + "/tabs.ladder:6:5: note: Caf\u00e9 \u20ac Ltd's level was set "
      "here: intro (rank 1) on 2011-02-14", "gcc: a note on its own line after its diagnostic",
      gcc_lines(gcc)[:3])
out, _, _ = run(["-q", "--format", "gcc"] + TODAY + [FIX + "/tabs.ladder", FIX + "/warnings.ladder"])
check(all(": error: " in l for l in gcc_lines(out)) and len(gcc_lines(out)) == 1,
      "gcc: -q prints only errors", out)

sys.exit(1 if failed else 0)
PY
