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
NKEYS = {"file", "line", "column", "end_line", "end_column", "message"}
FKEYS = {"file", "errors", "warnings", "notes"}

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
    if not isinstance(doc, dict) or set(doc) != {"version", "column_unit", "diagnostics", "files"}:
        return ["top level keys: %r" % (list(doc) if isinstance(doc, dict) else doc)]
    if doc["column_unit"] not in ("byte", "char", "display"):
        bad.append("column_unit %r" % doc["column_unit"])
    if not isinstance(doc["files"], list):
        return bad + ["files is not a list"]
    for f in doc["files"]:
        if set(f) != FKEYS or type(f["file"]) is not str or \
           any(type(f[k]) is not int or f[k] < 0 for k in ("errors", "warnings", "notes")):
            bad.append("file entry %r" % f)
    names = [f["file"] for f in doc["files"] if isinstance(f, dict)]
    if len(set(names)) != len(names):
        bad.append("a file listed twice: %r" % names)
    if doc["version"] != 1 or type(doc["version"]) is not int:
        bad.append("version %r" % doc["version"])
    if not isinstance(doc["diagnostics"], list):
        return bad + ["diagnostics is not a list"]
    EKEYS = {"file", "line", "column", "end_line", "end_column", "offset", "end_offset", "text"}
    for d in doc["diagnostics"]:
        if not DKEYS <= set(d) <= DKEYS | {"fix", "suggestions"}:
            bad.append("diagnostic keys %r" % sorted(d))
            continue
        # The optional fixes (cli.md section 3): {"description","edits":[EDIT]}.
        fixes = ([d["fix"]] if "fix" in d else []) + d.get("suggestions", [])
        if "suggestions" in d and (type(d["suggestions"]) is not list or not d["suggestions"]):
            bad.append("suggestions %r" % d["suggestions"])
        for fx in fixes:
            if type(fx) is not dict or set(fx) != {"description", "edits"} or \
                    type(fx["description"]) is not str or type(fx["edits"]) is not list:
                bad.append("fix %r" % fx)
                continue
            for e in fx["edits"]:
                if type(e) is not dict or set(e) != EKEYS or type(e["text"]) is not str or \
                        type(e["file"]) is not str or \
                        any(type(e[k]) is not int or e[k] < 1 for k in ("line", "column", "end_line", "end_column")) or \
                        any(type(e[k]) is not int or e[k] < 0 for k in ("offset", "end_offset")) or \
                        e["end_offset"] < e["offset"]:
                    bad.append("edit %r" % e)
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
            if any(type(n[k]) is not int or n[k] < 1
                   for k in ("line", "column", "end_line", "end_column")):
                bad.append("note numbers")
            elif (n["end_line"], n["end_column"]) < (n["line"], n["column"]):
                bad.append("note end before start")
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
doc = json.loads(out)
check(doc["diagnostics"] == [] and rc == 0 and
      doc["files"] == [{"file": FIX + "/clean.ladder", "errors": 0, "warnings": 0, "notes": 0}],
      "json: a clean journal gives an empty list, and is listed in files", out)
out, _, rc = run(["--format", "json", "--today", "2011-03-02", "nonexistent.ladder"])
check(out == b'{"version":1,"column_unit":"byte","diagnostics":[],\n"files":[]}\n' and rc == 2,
      "json: still one document when a journal cannot be read", (out, rc))

# "files": every file read, clean ones too, with counts that add up to the
# diagnostics; notes have an end; the counts survive -q.
for extra in ([], ["-q"]):
    out, _, _ = run(["--format", "json"] + extra + TODAY + files)
    doc = json.loads(out)
    got = {f["file"]: (f["errors"], f["warnings"], f["notes"]) for f in doc["files"]}
    want = {FIX + "/tabs.ladder": (1, 1, 0), FIX + "/warnings.ladder": (0, 3, 0),
            FIX + "/clean.ladder": (0, 0, 0), FIX + "/inc/main.ladder": (0, 0, 0),
            FIX + "/inc/sub/part.ladder": (1, 0, 0)}
    check(got == want and list(got) == list(want), "json: files in reading order with their counts "
          + " ".join(extra), got)
    if not extra:
        cnt = {}
        for d in doc["diagnostics"]:
            c = cnt.setdefault(d["file"], [0, 0, 0])
            c[("error", "warning", "note").index(d["severity"])] += 1
        check(all(tuple(cnt.get(k, [0, 0, 0])) == v for k, v in got.items()),
              "json: the counts are those of the diagnostics", cnt)
        notes = [n for d in doc["diagnostics"] for n in d["notes"]]
        check(len(notes) == 1 and (notes[0]["end_line"], notes[0]["end_column"]) ==
              (notes[0]["line"], notes[0]["column"]), "json: a note's end is its position", notes)

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
          "informationUri" not in drv,
          "sarif: driver name, version, and no placeholder informationUri", drv)
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
        md = r.get("help", {}).get("markdown", "")
        words = lambda t: re.sub(r"```text|```|\s+", " ", t).split()
        if not md or words(md) != words(body or summary):
            bad.append(rid + " help.markdown is not the explanation")
        if body and "\n    " in body and "```text\n" not in md:
            bad.append(rid + " help.markdown: the example is not a code block")
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
        fp = res.get("partialFingerprints", {}).get("ladderLineHash/v1", "")
        if not re.match(r"^[0-9a-f]{16}:[1-9][0-9]*$", fp):
            bad.append("partialFingerprints %r" % res.get("partialFingerprints"))
    check(bad == [], "sarif: every result's ruleId/ruleIndex, level, message, relative location, fingerprint", bad)
    fps = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["ruleId"], r["partialFingerprints"]["ladderLineHash/v1"]) for r in results]
    check(len(set(fps)) == len(fps), "sarif: no two results share a fingerprint", fps)
    inv = run0.get("invocations")
    check(inv == [{"executionSuccessful": True}], "sarif: a successful invocation", inv)
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
    want = "file://" + os.path.abspath(FIX + "/warnings.ladder")
    locs = [r["locations"][0]["physicalLocation"]["artifactLocation"]
            for r in log["runs"][0]["results"]]
    check(uris == {want} and all("uriBaseId" not in l for l in locs),
          "sarif: a file outside the current folder is an absolute file: URI", (uris, want))

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
check(b"\x1b[1;31merror:" in out, "tty: --color always wins over NO_COLOR (no-color.org)", out[:200])
out, _, _ = run_pty(TODAY + ["--color", "auto", FIX + "/tabs.ladder"], env={"NO_COLOR": "1"})
check(b"\x1b" not in out, "tty: NO_COLOR wins over --color auto", out[:200])
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

# ------------------------------------------------- sarif: schema, GitHub ----
# The official SARIF 2.1.0 schema (tests/schemas, or LADDER_SARIF_SCHEMA),
# checked with python3-jsonschema when it is installed (make test-deps).
schema_path = os.environ.get("LADDER_SARIF_SCHEMA") or \
    "tests/schemas/sarif-schema-2.1.0-rtm.5.json"
try:
    import jsonschema
except ImportError:
    jsonschema = None
    print("# skip - python3-jsonschema is not installed: no schema validation")
unread = os.path.join(TMP, "no such dir", "missing.ladder")
logs = {
    "four journals": TODAY + files,
    "a clean journal": TODAY + [FIX + "/clean.ladder"],
    "two unreadable files": TODAY + [FIX + "/warnings.ladder", unread, "nonexistent.ladder"],
    "a file outside the folder": TODAY + [os.path.abspath(FIX + "/tabs.ladder")],
}
for what, args in logs.items():
    cwd = TMP if what == "a file outside the folder" else None
    if cwd:
        args = args
    log, rc = load_sarif(args, cwd=cwd, what=what)
    if log is None:
        continue
    if jsonschema is not None:
        schema = json.load(open(schema_path))
        errs = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
        check(errs == [], "sarif: %s: valid against the SARIF 2.1.0 schema" % what,
              "\n".join("%s: %s" % (list(e.path), e.message) for e in errs[:5]))
    if what == "two unreadable files":
        inv = log["runs"][0].get("invocations", [{}])
        notes = inv[0].get("toolExecutionNotifications", [])
        uris = [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes]
        check(rc == 2 and len(inv) == 1 and inv[0].get("executionSuccessful") is False and
              len(notes) == 2 and all(n.get("level") == "error" for n in notes) and
              uris == ["file://" + unread.replace(" ", "%20"), "nonexistent.ladder"] and
              "No such file" in notes[1]["message"]["text"],
              "sarif: an unreadable file: executionSuccessful false, a notification naming it", inv)
        check(len(log["runs"][0]["results"]) == 3,
              "sarif: the readable journal's results are still there", len(log["runs"][0]["results"]))

# Fingerprints: stable when lines are added above, when the client is
# written by its alias; different for another line.
fpj = os.path.join(TMP, "fp.ladder")
body = ("client Zeta Works\n    alias zeta\n\n"
        "2011-02-14 * Zeta Works | One\n    ask   intr  x -> yes\n    next  none\n\n"
        "2011-02-15 * zeta | Two\n    ask   intr  x -> yes\n    next  none\n")
def fingerprints(text):
    with open(fpj, "w") as f:
        f.write(text)
    log, _ = load_sarif(TODAY + [fpj], what="fingerprints")
    return [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["partialFingerprints"]["ladderLineHash/v1"]) for r in log["runs"][0]["results"]]
a = fingerprints(body)
b = fingerprints("; a comment\n\n2011-01-02 * Other | x\n    ask   intro  y -> yes\n    next  none\n\n"
                 + body.replace("client Zeta Works", "client Zeta Works  ; renamed nothing"))
c = fingerprints(body.replace("ask   intr  x -> yes\n    next  none\n\n2011-02-15",
                              "ask   intr  changed -> yes\n    next  none\n\n2011-02-15"))
check(len(a) == 2 and [x[2] for x in a] == [x[2] for x in b if x[0] == "unknown-rung"] and
      [x[1] for x in a] != [x[1] for x in b if x[0] == "unknown-rung"],
      "sarif: fingerprints do not change when lines are added above", (a, b))
check(a[0][2].split(":")[0] == a[1][2].split(":")[0] and a[0][2] != a[1][2],
      "sarif: the same line of the same client (name or alias) is told apart by its order", a)
check(c[0][2] != a[0][2] and c[1][2].split(":")[0] == a[1][2].split(":")[0],
      "sarif: a changed line gets a new fingerprint, the others keep theirs", (a, c))

# ------------------------------------------- several journals, named once ----
main_, part = FIX + "/inc/main.ladder", FIX + "/inc/sub/part.ladder"
for order in ([main_, part], [part, main_], [part, main_, part, "./" + part]):
    out, _, rc = run(["--format", "gcc"] + TODAY + order)
    ls = gcc_lines(out)
    check(len(ls) == 1 and ls[0].startswith(part + ":2:11: error:") and rc == 1,
          "several journals: an included file named too is linted once (%d names)" % len(order), ls)
log, _ = load_sarif(TODAY + [part, main_])
check(log is not None and len(log["runs"][0]["results"]) == 1,
      "several journals: one sarif result for the included file")
out, _, _ = run(["--format", "json"] + TODAY + [part, main_])
doc = json.loads(out)
check([f["file"] for f in doc["files"]] == [main_, part],
      "several journals: json lists the files of the journal that includes the other",
      doc["files"])

# ------------------------------------------------------- --column-unit ----
# A tab, CJK, an emoji and a combining accent before the error.
cu = os.path.join(TMP, "cols.ladder")
line5 = "\task\tintro\t\u6771\u4eac\u306e\u4f1a\u8b70 \U0001F600 e\u0301 -> maybe"
with open(cu, "w") as f:
    f.write("client X\n\n2011-02-14 * X | t\n" + line5 + "\n    next none\n")
pre = line5[:line5.index("maybe")]
want = {"byte": len(pre.encode()) + 1, "char": len(pre) + 1, "display": 43 + 1}
for unit, col in want.items():
    out, _, _ = run(["--format", "gcc", "--column-unit", unit, "--rule", "no-ask=off"] + TODAY + [cu])
    check(gcc_lines(out)[:1] == [cu + ":4:%d: error: unknown outcome 'maybe' after '->': "
                                 "expected yes, no or later [syntax]" % col],
          "--column-unit %s: gcc column %d" % (unit, col), out)
    out, _, _ = run(["--format", "json", "--column-unit", unit] + TODAY + [cu])
    d = json.loads(out)
    syn = [x for x in d["diagnostics"] if x["rule"] == "syntax"]
    check(d["column_unit"] == unit and syn and (syn[0]["column"], syn[0]["end_column"]) ==
          (col, col + 5), "--column-unit %s: json columns" % unit, syn)
    out, _, _ = run(["--format", "tty", "--column-unit", unit, "--rule", "no-ask=off"] + TODAY + [cu])
    check(plain(out).startswith(cu + ":4:%d: error:" % col), "--column-unit %s: tty locus" % unit,
          out[:200])
out, err, rc = run(["--column-unit", "utf16", cu])
check(rc == 2 and b"--column-unit" in err, "--column-unit: an unknown unit is a usage error", err)
# The tty caret in screen columns: wide characters take two.
out, _, _ = run_pty(["--color", "never", "--rule", "no-ask=off"] + TODAY + [cu])
ls = plain(out).split("\n")
want_caret = "     | \t   \t     \t" + " " * 19 + "^~~~~"
check(len(ls) > 2 and ls[1] == "   4 | " + line5 and ls[2] == want_caret,
      "tty: the caret in screen columns after CJK, an emoji and a combining mark",
      repr(ls[1:3]) + "\n" + repr(want_caret))
# A range over wide characters is underlined over their columns.
wide = os.path.join(TMP, "wide.ladder")
with open(wide, "w") as f:
    f.write("2011-02-14 * \u6771\u4eac | x\n    ask   \u4f1a\u8b70  y -> yes\n    next none\n")
out, _, _ = run(["--format", "tty"] + TODAY + [wide])
ls = plain(out).split("\n")
check(len(ls) > 2 and ls[2] == "     | " + " " * 10 + "^~~~", "tty: a tilde per screen column of a wide range",
      repr(ls[:3]))

# gcc through a pipe: output far beyond the renderer's buffer, and a line
# longer than half of it (a client name of 100,000 bytes), all there and in
# order: each line as json gives it.
big = os.path.join(TMP, "big.ladder")
with open(big, "w") as f:
    f.write("option max-step 2\n\n")
    for i in range(3000):
        who = "C" * 100000 if i == 1500 else "Client %d" % (i % 97)
        f.write("2010-01-%02d * (call) %s | call %d\n    plan  strategy\n"
                "    ask   needs  spend  -> later\n    next  Send it\n\n" % (i % 28 + 1, who, i))
out, _, _ = run(["--format", "gcc"] + TODAY + [big])
js, _, _ = run(["--format", "json"] + TODAY + [big])
want = []
for d in json.loads(js)["diagnostics"]:
    want.append("%s:%d:%d: %s: %s [%s]" % (d["file"], d["line"], d["column"], d["severity"],
                                          d["message"], d["rule"]))
    for n in d["notes"]:
        want.append("%s:%d:%d: note: %s" % (n["file"], n["line"], n["column"], n["message"]))
out = out.decode()
got = out.split("\n")
check(len(out) > 400000 and got[:-1] == want and got[-1] == "",
      "gcc: %d bytes through the buffer, a 100,000-byte name among them, as json says" % len(out),
      "%d lines, want %d; first difference: %r" % (len(got) - 1, len(want),
      next(((a[:80], b[:80]) for a, b in zip(got, want) if a != b), None)))

# Into a pipe (enlarged to 1 MiB: src/pipe_size.h), gcc and tty output is
# what a file gets: for a reader that reads only after ladder has written
# five journals, and for one that reads as it comes (the big journal above,
# whose output cannot all wait in the pipe).
mids = []
for k in range(2):
    mid = os.path.join(TMP, "mid%d.ladder" % k)
    with open(mid, "w") as f:
        for i in range(400):
            f.write("2010-01-%02d * (call) Client %d%d | call %d\n    plan  strategy\n"
                    "    ask   needs  spend  -> later\n    next  Send it\n\n" % (i % 28 + 1, k, i % 89, i))
    mids.append(mid)
def late_reader(args):
    """stdout a pipe read only once ladder has exited (or after 10 s: the pipe may be smaller than asked)."""
    p = subprocess.Popen([LADDER] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL)
    try:
        p.wait(timeout=10)
        early = True
    except subprocess.TimeoutExpired:
        early = False
    out = p.stdout.read()
    p.wait()
    return out, early
def to_file(args):
    path = os.path.join(TMP, "out.txt")
    with open(path, "wb") as f:
        subprocess.run([LADDER] + args, stdout=f, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    with open(path, "rb") as f:
        return f.read()
for fmt in ["gcc", "tty"]:
    for files, what in [(mids + [FIX + "/tabs.ladder"] + mids, "five journals, read late"),
                        ([FIX + "/tabs.ladder", big, mids[0]], "2 MB and more, read as it comes")]:
        args = ["--format", fmt, "--color", "always"] if fmt == "tty" else ["--format", fmt]
        args += TODAY + files
        if big in files:
            a = run(args)[0]
        else:
            a, early = late_reader(args)
            check(early, "%s: %d bytes wait in the pipe for a reader that comes late" % (fmt, len(a)))
        b = to_file(args)
        check(len(a) > 100000 and a == b,
              "%s: through a pipe, %s: the bytes a file gets (%d)" % (fmt, what, len(b)),
              "%d bytes vs %d; first difference at %s" % (len(a), len(b),
              next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), "the end")))

# Line and column numbers of every width, 1 to 7 digits (the printers write
# them two digits at a time): an unknown rung at a chosen line and column.
for line, col in [(2, 10), (12, 11), (99, 99), (100, 100), (1234, 999),
                  (9999, 1000), (10000, 12345), (123456, 100000),
                  (1000001, 999999)]:
    path = os.path.join(TMP, "numbers.ladder")
    pad = col - 1 - len("    plan ")
    with open(path, "wb") as f:
        f.write(b"; x\n" * (line - 2))
        f.write(b"2011-01-01 * (call) Acme | t\n")
        f.write(b"    plan " + b" " * pad + b"nosuchrung\n")
    want = "%s:%d:%d: error: unknown rung 'nosuchrung'" % (path, line, col)
    out = run(TODAY + [path])[0].decode()
    got = [l for l in out.splitlines() if "unknown rung" in l]
    check(len(got) == 1 and got[0].startswith(want),
          "gcc: line %d, column %d" % (line, col), out[:300])
    doc = json.loads(run(["--format", "json"] + TODAY + [path])[0])
    d = [x for x in doc["diagnostics"] if x["rule"] == "unknown-rung"]
    check(len(d) == 1 and (d[0]["line"], d[0]["column"]) == (line, col),
          "json: line %d, column %d" % (line, col), str(d)[:300])

sys.exit(1 if failed else 0)
PY
