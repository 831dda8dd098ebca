#!/usr/bin/env python3
"""lsp.py - a protocol test client for `ladder lsp`, Python's standard
library only (tests/scripts/lsp.sh runs it).

Speaks LSP over the server's stdin/stdout like an editor would, and checks
the edge cases of lsp.md: framing, every robustness case, coalescing,
overlays (open buffers over the disk, an include that exists only as a
buffer), the journal a document belongs to, UTF-16 and UTF-8 positions on a
line with `Zoë 😀`, the features, shutdown and exit status.  Also replays
the fuzzer's crashers kept in tests/fuzz/crashers/lsp-*.

Prints "ok - ..." / "not ok - ..." lines and exits 1 if any failed.
    python3 tests/scripts/lsp.py /abs/path/to/ladder
"""
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time

LADDER = sys.argv[1] if len(sys.argv) > 1 else "build/ladder"
SLOW = 4 if os.environ.get("SANITIZE") else 1
TIMEOUT = 20 * SLOW
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

failed = 0
count = 0


def ok(cond, desc, detail=""):
    global failed, count
    count += 1
    if cond:
        print("ok - " + desc)
    else:
        failed += 1
        print("not ok - " + desc)
        if detail:
            for line in str(detail).splitlines()[:12]:
                print("#   " + line[:300])
    return cond


def frame(obj):
    body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def uri_of(path):
    from urllib.parse import quote
    return "file://" + quote(path)


class Server:
    """One `ladder lsp` process; a thread reads its messages into a queue."""

    def __init__(self, cwd=None, start_reader=True):
        self.p = subprocess.Popen([LADDER, "lsp"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  cwd=cwd)
        self.q = queue.Queue()
        self.bad = []          # framing problems in the server's output
        self.seen = []         # every message read
        self.next_id = 1000
        self.reader = None
        if start_reader:
            self.start_reader()

    def start_reader(self):
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        f = self.p.stdout
        while True:
            length = None
            while True:
                line = f.readline()
                if not line:
                    self.q.put(None)
                    return
                if line == b"\r\n":
                    break
                if not line.endswith(b"\r\n"):
                    self.bad.append("header line without CRLF: %r" % line)
                name, _, value = line.decode("ascii", "replace").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            if length is None:
                self.bad.append("a header without Content-Length")
                self.q.put(None)
                return
            body = f.read(length)
            try:
                msg = json.loads(body)
            except ValueError as e:
                self.bad.append("body is not JSON: %s: %r" % (e, body[:200]))
                continue
            if msg.get("jsonrpc") != "2.0":
                self.bad.append("message without jsonrpc 2.0: %r" % body[:200])
            self.seen.append(msg)
            self.q.put(msg)

    def write(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        self.write(frame(obj))

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, wait=True):
        self.next_id += 1
        rid = self.next_id
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.response(rid) if wait else rid

    def get(self, timeout=TIMEOUT):
        try:
            return self.q.get(timeout=timeout)
        except queue.Empty:
            return None

    def wait_for(self, pred, timeout=TIMEOUT):
        """The first message satisfying pred; the others read meanwhile are
        kept in self.skipped."""
        end = time.time() + timeout
        while time.time() < end:
            m = self.get(max(0.01, end - time.time()))
            if m is None:
                return None
            if pred(m):
                return m
        return None

    def response(self, rid, timeout=TIMEOUT):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def diagnostics(self, uri, timeout=TIMEOUT, version=None):
        def pred(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri and (version is None or p.get("version") == version)
        m = self.wait_for(pred, timeout)
        return None if m is None else m["params"]["diagnostics"]

    def drain(self, quiet=0.3):
        """Everything that arrives until the server is quiet for `quiet` s."""
        out = []
        while True:
            m = self.get(quiet * SLOW)
            if m is None:
                return out
            out.append(m)

    def initialize(self, root=None, options=None, utf8=False, folders=None):
        caps = {"general": {"positionEncodings": ["utf-8", "utf-16"] if utf8 else ["utf-16"]}}
        params = {"processId": os.getpid(), "capabilities": caps}
        if root:
            params["rootUri"] = uri_of(root)
        if folders:
            params["workspaceFolders"] = [{"uri": uri_of(f), "name": "w"} for f in folders]
        if options is not None:
            params["initializationOptions"] = options
        r = self.request("initialize", params)
        self.notify("initialized", {})
        return r

    def open(self, path, text, version=1):
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri_of(path), "languageId": "ladder", "version": version, "text": text}})

    def change(self, path, text, version):
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri_of(path), "version": version},
            "contentChanges": [{"text": text}]})

    def finish(self, timeout=TIMEOUT):
        """Shut down and exit; the exit status."""
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.wait(timeout)

    def wait(self, timeout=TIMEOUT):
        try:
            self.p.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return "hang"
        if self.reader:
            self.reader.join(5)
        self.stderr = self.p.stderr.read().decode("utf-8", "replace")
        self.p.stderr.close()
        self.p.stdout.close()
        return rc

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


def codes(diags):
    return sorted(d["code"] for d in diags)


def err_code(resp):
    return resp and resp.get("error", {}).get("code")


TODAY = "2011-03-01"
# An entry without a next step: missing-next at its header (line 13).
BETA = "\n2011-02-25 * Beta Ltd | other\n    plan  intro\n    ask   intro  x -> yes\n"
MAIN = """client Acme Corp
    alias acme

2011-02-14 * (call) Acme Corp | First call
    plan  intro
    ask   intro  Introduction to the CFO  -> yes
    next  2011-02-21 meeting  Budget walkthrough

2011-02-21 * (meeting) acme | Budget walkthrough
    plan  needs
    ask   neds  Last three years of spend  -> later
    next  2011-03-08  Review together
"""


def tmpdir():
    d = tempfile.mkdtemp(prefix="ladder-lsp-")
    return os.path.realpath(d)


# --- initialize, capabilities, lifecycle -------------------------------------

def test_initialize():
    s = Server()
    r = s.request("textDocument/hover", {"textDocument": {"uri": "file:///x"},
                                         "position": {"line": 0, "character": 0}})
    ok(err_code(r) == -32002, "a request before initialize: -32002", r)
    r = s.initialize(options={"today": TODAY})
    caps = (r or {}).get("result", {}).get("capabilities", {})
    ok(caps.get("textDocumentSync") == 1, "initialize: textDocumentSync 1 (full)", caps)
    ok(caps.get("positionEncoding") == "utf-16",
       "initialize: utf-16 positions when the client does not offer utf-8", caps)
    ok(caps.get("hoverProvider") and caps.get("definitionProvider") and
       caps.get("documentSymbolProvider") and "completionProvider" in caps and
       "codeActionProvider" in caps,
       "initialize: hover, definition, symbols, completion, code actions", caps)
    ok(caps.get("documentFormattingProvider") is True, "initialize: documentFormattingProvider", caps)
    r2 = s.request("initialize", {"capabilities": {}})
    ok(err_code(r2) == -32600, "a second initialize: -32600", r2)
    rc = s.finish()
    ok(rc == 0, "shutdown then exit: status 0", rc)
    ok(not s.bad, "every message the server wrote is framed JSON-RPC 2.0", s.bad)

    s = Server()
    r = s.initialize(utf8=True)
    caps = (r or {}).get("result", {}).get("capabilities", {})
    ok(caps.get("positionEncoding") == "utf-8", "initialize: utf-8 when the client offers it", caps)
    s.notify("exit", None)
    rc = s.wait()
    ok(rc == 1, "exit without shutdown: status 1", rc)

    s = Server()
    s.initialize()
    rc = s.wait()      # closes stdin
    ok(rc == 1, "end of input without exit: status 1", rc)

    s = Server()
    s.initialize()
    s.request("shutdown", None)
    r = s.request("textDocument/documentSymbol", {"textDocument": {"uri": "file:///x"}})
    ok(err_code(r) == -32600, "a request after shutdown: -32600", r)
    s.notify("exit", None)
    ok(s.wait() == 0, "exit after shutdown and another request: status 0")

    s = Server()
    s.notify("exit", None)
    ok(s.wait() == 1, "exit before initialize: status 1")


# --- framing and robustness ------------------------------------------------------

def test_robustness():
    d = tmpdir()
    path = os.path.join(d, "a.ladder")
    with open(path, "w") as f:
        f.write(MAIN)
    s = Server()
    s.initialize(root=d, options={"today": TODAY})
    s.drain()

    def alive(desc):
        r = s.request("textDocument/documentSymbol", {"textDocument": {"uri": "file:///not/open.ladder"}})
        ok(err_code(r) == -32602, desc + ", and the server goes on", r)

    # A message split into single bytes, two messages in one write,
    # Content-Type, a lower-case header name, LF-only line ends.
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "nope/one"}).encode()
    for b in frame(body):
        s.write(bytes([b]))
    r = s.response(1)
    ok(err_code(r) == -32601, "a message written a byte at a time is read (unknown method: -32601)", r)
    b2 = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "nope/two"}).encode()
    b3 = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "nope/three"}).encode()
    s.write(frame(b2) + b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" + frame(b3))
    r2, r3 = s.response(2), s.response(3)
    ok(err_code(r2) == -32601 and err_code(r3) == -32601,
       "two messages in one write, one with Content-Type: both answered", (r2, r3))
    b4 = json.dumps({"jsonrpc": "2.0", "id": 4, "method": "nope/four"}).encode()
    s.write(b"content-length: %d\n\n" % len(b4) + b4)
    ok(err_code(s.response(4)) == -32601, "a lower-case header with LF line ends is read")

    def after_error(raw, desc, code=-32700):
        s.write(raw)
        m = s.wait_for(lambda m: "error" in m and m.get("id") is None)
        ok(m is not None and m["error"]["code"] == code,
           "%s: answered with %d and id null" % (desc, code), m)
        alive(desc)

    after_error(b"Hello there\r\nContent-Length: 2\r\n\r\n{}", "a malformed header line")
    after_error(b"Content-Length: abc\r\n\r\n{}", "a Content-Length that is not a number")
    after_error(b"Content-Length: -5\r\n\r\n{}", "a negative Content-Length")
    after_error(b"Content-Length: 99999999999999999999\r\n\r\n{}", "a huge Content-Length")
    after_error(b"Content-Type: x\r\n\r\n{}", "a header without Content-Length")
    after_error(frame(b"{\"jsonrpc\": \"2.0\", \"id\": 9, "), "invalid JSON")
    after_error(frame(b"\xff\xfe{}"), "a body that is not UTF-8")
    after_error(frame(b"42"), "JSON that is not an object", -32600)
    after_error(frame(b"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"}]"),
                "a JSON-RPC batch (an array)", -32600)
    after_error(frame({"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}),
                "an id that is an object", -32600)

    s.send({"id": 20, "method": "textDocument/hover", "params": {}})
    r = s.response(20)
    ok(err_code(r) == -32600, "a request without \"jsonrpc\": \"2.0\": -32600 with its id", r)
    s.send({"jsonrpc": "2.0", "id": 21})
    r = s.response(21)
    ok(err_code(r) == -32600, "a message without method: -32600", r)
    s.send({"jsonrpc": "2.0", "id": 22, "method": 7})
    ok(err_code(s.response(22)) == -32600, "a method that is not a string: -32600")
    s.send({"jsonrpc": "2.0", "id": 23, "method": "textDocument/hover", "params": 5})
    ok(err_code(s.response(23)) == -32602, "params that are not an object: -32602")
    s.send({"jsonrpc": "2.0", "id": "str-id", "method": "no/such/method"})
    r = s.response("str-id")
    ok(err_code(r) == -32601 and r.get("id") == "str-id", "unknown method with a string id: -32601", r)

    s.notify("no/such/notification", {})
    m = s.wait_for(lambda m: m.get("method") == "window/logMessage")
    ok(m is not None and "no/such/notification" in m["params"]["message"],
       "an unknown notification is logged with window/logMessage", m)
    s.notify("$/setTrace", {"value": "off"})
    s.notify("textDocument/didChange", {"textDocument": {"uri": "file:///not/open", "version": 2},
                                        "contentChanges": [{"text": "x"}]})
    m = s.wait_for(lambda m: m.get("method") == "window/logMessage")
    ok(m is not None and "not open" in m["params"]["message"],
       "didChange of a document that is not open is logged", m)
    s.send({"method": "textDocument/didOpen", "params": {}})
    m = s.wait_for(lambda m: m.get("method") == "window/logMessage")
    ok(m is not None, "a notification that is not JSON-RPC 2.0 is logged", m)

    for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition"):
        r = s.request(method, {"textDocument": {"uri": uri_of(path)},
                               "position": {"line": 0, "character": 0}})
        ok(err_code(r) == -32602, "%s on a document that is not open: -32602" % method, r)
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": uri_of(path)},
                                              "range": {"start": {"line": 0, "character": 0},
                                                        "end": {"line": 0, "character": 0}},
                                              "context": {"diagnostics": []}})
    ok(err_code(r) == -32602, "codeAction on a document that is not open: -32602", r)

    s.open(path, MAIN)
    s.diagnostics(uri_of(path))
    for line, ch, desc in ((99, 0, "a line past the end"), (0, 999, "a character past the line's end"),
                           (-1, 0, "a negative line"), (12, 1, "past the last line")):
        r = s.request("textDocument/hover", {"textDocument": {"uri": uri_of(path)},
                                             "position": {"line": line, "character": ch}})
        ok(err_code(r) == -32602, "hover at %s: -32602" % desc, r)
    r = s.request("textDocument/completion", {"textDocument": {"uri": uri_of(path)},
                                              "position": {"line": "x", "character": 0}})
    ok(err_code(r) == -32602, "a position that is not a number: -32602", r)
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri_of(path)},
                                         "position": {"line": 12, "character": 0}})
    ok(r is not None and "error" not in r, "hover at the very end of the document is no error", r)

    # 100 MB: a request with a 100 MB parameter is read and answered.
    big = b'{"jsonrpc":"2.0","id":77,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"' + \
        uri_of(path).encode() + b'"},"padding":"' + b"x" * (100 * 1024 * 1024) + b'"}}'
    t0 = time.time()
    s.write(frame(big))
    del big
    r = s.response(77, timeout=120 * SLOW)
    ok(r is not None and isinstance(r.get("result"), list),
       "a 100 MB message is read and answered (%.1f s)" % (time.time() - t0),
       r and str(r)[:200])
    # 100 MB of invalid JSON.
    s.write(frame(b"{" + b"[" * (100 * 1024 * 1024)))
    m = s.wait_for(lambda m: m.get("id") is None and "error" in m, timeout=120 * SLOW)
    ok(m is not None and m["error"]["code"] == -32700, "100 MB of invalid JSON: -32700", m)
    alive("after 100 MB messages")

    rc = s.finish()
    ok(rc == 0, "after every bad message, shutdown and exit: status 0", (rc, s.stderr[-500:]))
    ok(not s.bad, "the server's output stayed framed JSON-RPC 2.0 throughout", s.bad)
    shutil.rmtree(d)


# --- the client that does not read --------------------------------------------------

def test_no_deadlock():
    """The client writes many requests before reading any answer: the
    server must keep reading (its answers exceed every pipe buffer)."""
    d = tmpdir()
    path = os.path.join(d, "a.ladder")
    text = "client Acme Corp\n\n" + "".join(
        "2011-%02d-%02d * Acme Corp | call number %d with a long title to make answers big\n"
        "    plan  intro\n    ask   intro  x -> yes\n    next  none\n\n" % (1 + i // 28, 1 + i % 28, i)
        for i in range(300))
    s = Server(start_reader=False)
    done = threading.Event()

    def writer():
        try:
            init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
            data = frame(init) + frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
            data += frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": uri_of(path), "languageId": "ladder", "version": 1, "text": text}}})
            for i in range(400):
                data += frame({"jsonrpc": "2.0", "id": 100 + i, "method": "textDocument/documentSymbol",
                               "params": {"textDocument": {"uri": uri_of(path)}, "pad": "x" * 2000}})
            s.write(data)
            done.set()
        except OSError:
            pass
    t = threading.Thread(target=writer, daemon=True)
    t.start()
    t.join(30 * SLOW)
    wrote = done.is_set()
    ok(wrote, "a client that writes 400 requests (800 KB, more than a pipe holds; about "
       "30 MB of answers) before reading: the server keeps reading")
    s.start_reader()
    got = set()
    end = time.time() + 60 * SLOW
    while len(got) < 400 and time.time() < end:
        m = s.get(5 * SLOW)
        if m is None:
            break
        if isinstance(m.get("id"), int) and m["id"] >= 100:
            got.add(m["id"])
    ok(len(got) == 400, "... and answers all 400 once the client reads (%d)" % len(got))
    if wrote:
        rc = s.finish()
        ok(rc == 0, "... then shuts down with status 0", rc)
    else:
        s.kill()
    shutil.rmtree(d)


# --- diagnostics, coalescing, overlays, journals -----------------------------------

def test_diagnostics():
    d = tmpdir()
    path = os.path.join(d, "a.ladder")
    with open(path, "w") as f:
        f.write("2011-01-01 * Nobody | on disk\n")
    u = uri_of(path)
    s = Server()
    s.initialize(root=d, options={"today": TODAY})
    s.open(path, MAIN + BETA)
    diags = s.diagnostics(u)
    ok(diags is not None and "unknown-rung" in codes(diags),
       "didOpen publishes the buffer's diagnostics (not the disk's)", diags)
    ur = [x for x in diags or [] if x["code"] == "unknown-rung"]
    if ur:
        x = ur[0]
        ok(x["range"] == {"start": {"line": 10, "character": 10}, "end": {"line": 10, "character": 14}}
           and x["severity"] == 1 and x["source"] == "ladder" and "neds" in x["message"]
           and "codeDescription" not in x,
           "a diagnostic: the rung's range, severity 1, code, source ladder, no codeDescription", x)
    mn = [x for x in diags or [] if x["code"] == "missing-next"]
    ok(len(mn) == 1 and mn[0]["range"] == {"start": {"line": 13, "character": 0},
                                           "end": {"line": 13, "character": 21}},
       "a diagnostic at a header covers its date through its client name", mn)

    # Coalescing: 60 changes in one write are linted on the last text.
    texts = []
    data = b""
    for v in range(2, 62):
        t = MAIN.replace("neds", "ned%d" % v)
        texts.append(t)
        data += frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": u, "version": v}, "contentChanges": [{"text": t}]}})
    s.write(data)
    got = s.diagnostics(u, version=61)
    msgs = s.drain()
    pubs = [m for m in s.seen if m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == u and m["params"].get("version", 0) >= 2]
    ok(got is not None and any("ned61" in x["message"] for x in got),
       "a burst of 60 changes: diagnostics of the last text, with its version", got)
    ok(len(pubs) <= 3, "... linted %d time(s), not 60" % len(pubs),
       [p["params"].get("version") for p in pubs])
    del msgs

    # A fix clears the file's diagnostics with an empty list.
    clean = MAIN.replace("neds", "needs").replace("next  2011-03-08  Review together",
                                                  "next  2011-03-08 meeting  Review")
    s.change(u.replace("file://", "") and path, clean, 70)
    got = s.diagnostics(u, version=70)
    ok(got is not None and "unknown-rung" not in codes(got), "after a fix, the error is gone", got)
    s.change(path, "client Acme Corp\n", 71)
    got = s.diagnostics(u, version=71)
    ok(got == [], "a clean text publishes an empty list", got)
    s.change(path, "2011-02-30 * Acme Corp\n", 72)
    got = s.diagnostics(u, version=72)
    ok(got is not None and "bad-date" in codes(got), "didChange re-lints (bad-date)", got)
    s.notify("textDocument/didSave", {"textDocument": {"uri": u}})
    got = s.diagnostics(u)
    ok(got is not None and "bad-date" in codes(got), "didSave re-lints", got)
    s.notify("textDocument/didClose", {"textDocument": {"uri": u}})
    got = s.diagnostics(u)
    ok(got == [], "didClose of a journal nothing else reads clears its diagnostics", got)
    ok(s.finish() == 0, "diagnostics session: shutdown and exit: status 0")
    ok(not s.bad, "diagnostics session: output framed", s.bad)
    shutil.rmtree(d)


# --- diagnostics reused between publications ------------------------------------
def test_reuse():
    """A publication reuses the JSON of the diagnostics the last one had
    (same range, rule, message, notes): after changes that move, change,
    drop and bring back diagnostics, every publication must equal what a
    fresh server publishes for the same text."""
    d = tmpdir()
    path = os.path.join(d, "r.ladder")
    u = uri_of(path)
    over = "\n2011-02-26 * Acme Corp | again\n    plan  contract\n    next  none\n"
    base = MAIN + BETA + over
    texts = [base,
             "\n\n" + base,                                   # every line moves
             base.replace("Budget walkthrough", "Budget  walk"),  # columns move
             base.replace("neds", "nods"),                      # a message changes
             base.replace("2011-02-14", "2011-02-15"),          # a note's message
             "client Zoë 😀\n" + base,                        # non-ASCII before all
             MAIN,                                              # fewer
             base]                                              # back again
    for utf8 in (False, True):
        enc = "utf-8" if utf8 else "utf-16"
        s = Server()
        s.initialize(root=d, options={"today": TODAY, "options": {"max-step": 1}}, utf8=utf8)
        s.open(path, texts[0])
        s.diagnostics(u, version=1)
        notes = False
        for v, t in enumerate(texts, 2):
            s.change(path, t, v)
            got = s.diagnostics(u, version=v)
            f = Server()
            f.initialize(root=d, options={"today": TODAY, "options": {"max-step": 1}}, utf8=utf8)
            f.open(path, t)
            want = f.diagnostics(u)
            f.finish()
            notes = notes or any(x.get("relatedInformation") for x in want or [])
            ok(got is not None and got == want,
               "%s: change %d publishes what a fresh server does (%d diagnostics)"
               % (enc, v, len(want or [])), (got, want))
        ok(notes, "%s: the changes had diagnostics with notes" % enc)
        ok(s.finish() == 0, "%s reuse session: status 0" % enc)
    shutil.rmtree(d)


def test_settings():
    d = tmpdir()
    path = os.path.join(d, "s.ladder")
    u = uri_of(path)
    s = Server()
    s.initialize(options={"today": TODAY, "rules": {"unknown-rung": "warning", "missing-next": "off"},
                          "options": {"max-step": 1}})
    s.open(path, MAIN + BETA + "\n2011-02-26 * Beta Ltd | c\n    plan  visit\n    ask   visit  x\n"
                                "    next  none\n")
    got = s.diagnostics(u) or []
    ur = [x for x in got if x["code"] == "unknown-rung"]
    ok(ur and ur[0]["severity"] == 2 and "missing-next" not in codes(got),
       "settings: rules change a severity and turn a rule off", got)
    ok("over-ask" in codes(got), "settings: options (max-step 1) reach the rules", codes(got))
    # eglot sends {"settings": {}} after initialized: initializationOptions stand.
    s.notify("workspace/didChangeConfiguration", {"settings": {}})
    s.notify("workspace/didChangeConfiguration", {"settings": {"other-tool": {"today": "2020-01-01"}}})
    text2 = MAIN + BETA + "\n2011-02-26 * Beta Ltd | c\n    plan  visit\n    ask   visit  x\n    next  none\n\n"
    s.change(path, text2, 2)
    got = s.diagnostics(u, version=2) or []
    ok("over-ask" in codes(got) and "missing-next" not in codes(got)
       and not any("days ago" in x["message"] and int(x["message"].split("(")[-1].split()[0]) > 1000 for x in got),
       "settings that are not ladder's change nothing (initializationOptions stand)", codes(got))
    s.notify("workspace/didChangeConfiguration", {"settings": {"ladder": {
        "today": TODAY, "rules": {"no-such-rule": "error"}}}})
    m = s.wait_for(lambda m: m.get("method") == "window/showMessage")
    ok(m is not None and "no-such-rule" in m["params"]["message"],
       "a bad setting is reported with window/showMessage", m)
    got = s.diagnostics(u)
    ok(got is not None and "missing-next" in codes(got),
       "didChangeConfiguration replaces the settings and re-lints", got and codes(got))
    ok(s.finish() == 0, "settings session: status 0")

    # Every bad setting, in initializationOptions or a didChangeConfiguration
    # (under `ladder` or not): one warning that names it; the others apply.
    def shown(msgs):
        return [m["params"] for m in msgs if m.get("method") == "window/showMessage"]
    s = Server()
    s.initialize(options={"today": "tomorrow", "strict": "yes", "since": "x", "journal": 5,
                          "rules": {"over-ask": "loud", "nope": "error", "missing-next": "off"},
                          "options": {"max-step": 0, "bogus": 1}})
    got = shown(s.seen)
    want = ["today", "strict", "since", "journal", "rules.over-ask", "rules.nope",
            "options.max-step", "options.bogus"]
    ok(len(got) == len(want) and all(m["type"] == 2 for m in got) and
       all(sum(("setting %s:" % w) in m["message"] for m in got) == 1 for w in want),
       "bad initializationOptions: one warning each, naming the setting", got)
    s.open(path, MAIN + BETA)
    diags = s.diagnostics(u) or []
    ok("missing-next" not in codes(diags), "bad initializationOptions: the good ones apply", codes(diags))
    for conf, name in (({"today": "2011-02-30"}, "today"), ({"today": 5}, "today"),
                       ({"options": "x"}, "options"), ({"strict": "yes"}, "strict"),
                       ({"ladder": {"rules": {"no-ask": "loud"}}}, "rules.no-ask")):
        n = len(s.seen)
        s.notify("workspace/didChangeConfiguration", {"settings": conf})
        s.drain()
        got = shown(s.seen[n:])
        ok(len(got) == 1 and got[0]["type"] == 2 and ("setting %s:" % name) in got[0]["message"],
           "didChangeConfiguration %s: one warning, naming %s" % (json.dumps(conf), name), got)
    ok(s.finish() == 0, "bad settings session: status 0")
    shutil.rmtree(d)


def test_coalescing_file():
    """Every message waiting at once (standard input a file of 2 MB, read in
    many pieces): the server reads them all before it lints, so the only
    lint is the one shutdown asks for, on the last text."""
    d = tmpdir()
    path = os.path.join(d, "c.ladder")
    u = uri_of(path)
    pad = "".join("; padding line %d to make each change about 35 KB long\n" % i for i in range(600))
    data = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"capabilities": {}, "initializationOptions": {"today": TODAY}}})
    data += frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    data += frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": u, "languageId": "ladder", "version": 1, "text": pad + MAIN}}})
    for v in range(2, 62):
        data += frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": u, "version": v},
            "contentChanges": [{"text": pad + MAIN.replace("neds", "ned%d" % v)}]}})
    data += frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    data += frame({"jsonrpc": "2.0", "method": "exit"})
    inp = os.path.join(d, "input")
    with open(inp, "wb") as f:
        f.write(data)
    with open(inp, "rb") as f:
        p = subprocess.run([LADDER, "lsp"], stdin=f, capture_output=True, timeout=60 * SLOW)
    out, msgs = p.stdout, []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        n = int(head.split(b":")[1])
        msgs.append(json.loads(rest[:n]))
        out = rest[n:]
    pubs = [m["params"] for m in msgs if m.get("method") == "textDocument/publishDiagnostics"]
    ok(p.returncode == 0 and len(pubs) == 1 and pubs[0].get("version") == 61 and
       any("ned61" in x["message"] for x in pubs[0]["diagnostics"]),
       "61 changes waiting at once (%d KB): linted once, on the last text, before shutdown answers"
       % (len(data) // 1024), [(x.get("version"), len(x["diagnostics"])) for x in pubs])
    shutil.rmtree(d)


def test_overlays():
    d = tmpdir()
    main = os.path.join(d, "main.ladder")
    part = os.path.join(d, "part.ladder")
    ghost = os.path.join(d, "ghost.ladder")
    with open(main, "w") as f:
        f.write("client Acme Corp\n\ninclude part.ladder\n")
    with open(part, "w") as f:
        f.write("2011-02-14 * Acme Corp | a\n    plan  intro\n    ask   intro  x -> maybe\n    next  none\n")
    s = Server()
    s.initialize(root=d, options={"today": TODAY, "strict": True})
    # The included file, open alone: linted as part of main.ladder (strict:
    # Acme Corp is declared there, so no unknown-client).
    s.open(part, "2011-02-14 * Acme Corp | a\n    plan  intro\n    ask   intro  x -> yes\n    next  none\n"
                 "\n2011-02-15 * Unknown Inc | b\n    plan  intro\n    ask   intro  x -> yes\n    next  none\n")
    got = s.diagnostics(uri_of(part))
    ok(got is not None and codes(got) == ["unknown-client"],
       "an open file that a workspace journal includes is linted as part of it "
       "(its client directive counts; the buffer overrides the disk)", got)
    # Now the main journal is opened with an include that exists only as a buffer.
    s.open(ghost, "2011-02-20 * Ghost Ltd | g\n    plan  intro\n    ask   intro  x -> yes\n    next  none\n")
    s.open(main, "client Acme Corp\nclient Ghost Ltd\n\ninclude part.ladder\ninclude ghost.ladder\n")
    s.drain()
    s.change(ghost, "2011-02-20 * Ghost Ltd | g\n    plan  intro\n    ask   introo  x -> yes\n    next  none\n", 2)
    got = s.diagnostics(uri_of(ghost), version=2)
    ok(got is not None and codes(got) == ["unknown-rung"],
       "an include that exists only as an open buffer is read from the buffer", got)
    mdiags = [m for m in s.seen if m.get("method") == "textDocument/publishDiagnostics"
              and m["params"]["uri"] == uri_of(main)]
    ok(mdiags and "include" not in codes(mdiags[-1]["params"]["diagnostics"]),
       "... and the including journal has no include error", mdiags[-1:] if mdiags else None)
    # Closing the ghost buffer: the include now fails (nothing on disk).
    s.notify("textDocument/didClose", {"textDocument": {"uri": uri_of(ghost)}})
    got = s.diagnostics(uri_of(main))
    ok(got is not None and "include" in codes(got),
       "closing the buffer: the include reads the disk again (missing: include error)", got)
    # Definition on an include path, and on a client name.
    r = s.request("textDocument/definition", {"textDocument": {"uri": uri_of(main)},
                                              "position": {"line": 3, "character": 10}})
    res = (r or {}).get("result")
    ok(isinstance(res, dict) and res.get("uri") == uri_of(part),
       "definition on an include path: the file", r)
    r = s.request("textDocument/definition", {"textDocument": {"uri": uri_of(part)},
                                              "position": {"line": 0, "character": 16}})
    res = (r or {}).get("result")
    ok(isinstance(res, dict) and res.get("uri") == uri_of(main) and
       res["range"]["start"] == {"line": 0, "character": 7},
       "definition on a client name in an included file: its client directive", r)
    ok(s.finish() == 0, "overlays session: status 0")
    # A workspace folder added later: the open file finds its journal there.
    s = Server()
    s.initialize(options={"today": TODAY, "strict": True})
    s.open(part, "2011-02-14 * Acme Corp | a\n    plan  intro\n    ask   intro  x -> yes\n    next  none\n")
    got = s.diagnostics(uri_of(part))
    ok(got is not None and codes(got) == ["unknown-client"],
       "no workspace folder: an included file alone is its own journal", got)
    s.notify("workspace/didChangeWorkspaceFolders", {"event": {
        "added": [{"uri": uri_of(d), "name": "w"}], "removed": []}})
    got = s.diagnostics(uri_of(part))
    ok(got == [], "didChangeWorkspaceFolders adds the folder: linted as part of main.ladder", got)
    ok(s.finish() == 0, "workspace folders session: status 0")
    # The settings name the journal explicitly.
    s = Server()
    s.initialize(root=d, options={"today": TODAY, "strict": True, "journal": "main.ladder"})
    with open(os.path.join(d, "other.ladder"), "w") as f:
        f.write("include part.ladder\n")
    s.open(part, "2011-02-14 * Acme Corp | a\n    plan  intro\n    ask   intro  x -> yes\n    next  none\n")
    got = s.diagnostics(uri_of(part))
    ok(got == [], "initializationOptions.journal names the journal (main, not other.ladder)", got)
    ok(s.finish() == 0, "journal setting session: status 0")
    shutil.rmtree(d)


def test_utf16():
    d = tmpdir()
    path = os.path.join(d, "z.ladder")
    line8 = "2011-02-14 * Zoë 😀 | title"
    item = "    ask   intro  Zoë 😀 x -> maybe"
    text = "client Zoë 😀\n\n" + line8 + "\n    plan  intro\n" + item + "\n    next  none\n"
    for utf8 in (False, True):
        enc = "utf-8" if utf8 else "utf-16"

        def units(s):
            return len(s.encode("utf-8")) if utf8 else len(s.encode("utf-16-le")) // 2
        s = Server()
        s.initialize(root=d, options={"today": TODAY}, utf8=utf8)
        s.open(path, text)
        got = s.diagnostics(uri_of(path)) or []
        syn = [x for x in got if x["code"] == "syntax"]
        start = units(item[:item.index("maybe")])
        ok(syn and syn[0]["range"]["start"] == {"line": 4, "character": start} and
           syn[0]["range"]["end"] == {"line": 4, "character": start + 5},
           "%s: a diagnostic after `Zoë 😀` starts at character %d" % (enc, start), got)
        # Hover inside the emoji (utf-16: its second unit) is on the client.
        inside = units(line8[:line8.index("😀")]) + 1
        r = s.request("textDocument/hover", {"textDocument": {"uri": uri_of(path)},
                                             "position": {"line": 2, "character": inside}})
        res = (r or {}).get("result") or {}
        want_end = units(line8[:line8.index(" |")])
        ok(res.get("range", {}).get("end") == {"line": 2, "character": want_end} and
           "Zoë 😀" in res.get("contents", {}).get("value", ""),
           "%s: hover inside the emoji names the client, range ends at %d" % (enc, want_end), r)
        r = s.request("textDocument/hover", {"textDocument": {"uri": uri_of(path)},
                                             "position": {"line": 2, "character": units(line8) + 1}})
        ok(err_code(r) == -32602, "%s: a character one past the line's end: -32602" % enc, r)
        ok(s.finish() == 0, "%s session: status 0" % enc)
    shutil.rmtree(d)


def test_features():
    d = tmpdir()
    path = os.path.join(d, "f.ladder")
    u = uri_of(path)
    text = MAIN + BETA
    s = Server()
    s.initialize(root=d, options={"today": TODAY})
    s.open(path, text)
    s.diagnostics(u)

    def complete(text_now, line, ch):
        s.change(path, text_now, complete.v)
        complete.v += 1
        r = s.request("textDocument/completion", {"textDocument": {"uri": u},
                                                  "position": {"line": line, "character": ch}})
        res = (r or {}).get("result") or {}
        items = res.get("items", res if isinstance(res, list) else [])
        return [i["label"] for i in items]
    complete.v = 2
    lines = text.split("\n")
    n = len(lines)
    got = complete(text + "2011-03-01 * ", n - 1, 13)
    ok(got[:3] == ["Beta Ltd", "Acme Corp", "acme"],
       "completion after a header's date: clients and aliases, most recently met first", got)
    got = complete(text + "2011-03-01 * (call) Be", n - 1, 22)
    ok("Beta Ltd" in got and "Be" not in got,
       "completion on a half-typed client name does not offer what is typed", got)
    got = complete(text + "    plan  ", n - 1, 10)
    ok(got[:3] == ["intro", "meeting", "needs"] and len(got) == 8,
       "completion after plan: the rungs, lowest first", got)
    got = complete(text + "    ask   intro  x -> ", n - 1, 22)
    ok(got == ["yes", "no", "later"], "completion after ->: yes, no, later", got)
    got = complete(text + "    note  x ; ladder-ignore: no-plan, ", n - 1, 38)
    ok("no-ask" in got and "unknown-rung" in got, "completion after ladder-ignore: rule ids", got[:5])
    got = complete(text + "    ", n - 1, 4)
    ok(set(got) == {"plan", "ask", "got", "gave", "next", "note"},
       "completion at an item's start: the item keywords", got)
    got = complete(text + "    next  ", n - 1, 10)
    ok(got[:2] == ["2011-03-01", "2011-03-02"] and len([g for g in got if g[0] == "2"]) == 6,
       "completion after next: today and the next working days", got)
    got = complete(text + "    next  2011-03-04 ", n - 1, 21)
    ok("proposal" in got, "completion after a next date: the rungs", got)

    s.change(path, text, 50)
    s.diagnostics(u, version=50)
    r = s.request("textDocument/hover", {"textDocument": {"uri": u}, "position": {"line": 3, "character": 22}})
    v = ((r or {}).get("result") or {}).get("contents", {}).get("value", "")
    ok("Acme Corp" in v and "last contact: 2011-02-21" in v and "level: **intro** (1 of 8)" in v
       and "last ask: intro -> yes" in v and "next step: 2011-03-08 Review together" in v,
       "hover on a client: its climb (level, last contact, last ask, next step)", v)
    r = s.request("textDocument/hover", {"textDocument": {"uri": u}, "position": {"line": 4, "character": 11}})
    v = ((r or {}).get("result") or {}).get("contents", {}).get("value", "")
    ok("intro" in v and "1" in v, "hover on a rung: its rank and description", v)
    r = s.request("textDocument/definition", {"textDocument": {"uri": u}, "position": {"line": 8, "character": 24}})
    res = (r or {}).get("result")
    ok(isinstance(res, dict) and res["range"]["start"] == {"line": 0, "character": 7},
       "definition on an alias in a header: the client directive", r)
    r = s.request("textDocument/documentSymbol", {"textDocument": {"uri": u}})
    names = [x["name"] for x in (r or {}).get("result") or []]
    ok(names[:2] == ["Acme Corp", "2011-02-14 Acme Corp | First call"] and len(names) == 4,
       "documentSymbol: clients, then entries (date, client, title)", names)
    syms = (r or {}).get("result") or []

    def pos(p):
        return (p["line"], p["character"])
    rngs = [(pos(x["range"]["start"]), pos(x["range"]["end"])) for x in syms]
    ok(len(rngs) == 4 and rngs[0] == ((0, 0), (1, len(lines[1]))) and
       rngs[1] == ((3, 0), (6, len(lines[6]))) and rngs[2] == ((8, 0), (11, len(lines[11]))) and
       all(pos(x["range"]["start"]) <= pos(x["selectionRange"]["start"]) and
           pos(x["selectionRange"]["end"]) <= pos(x["range"]["end"]) for x in syms),
       "documentSymbol: a client's range is its client and alias lines, an entry's its header "
       "through its last item; each selectionRange inside", [(x["range"], x["selectionRange"]) for x in syms])

    gpath = os.path.join(d, "g.ladder")
    s.open(gpath, "2011-01-03 * Gamma | g\n    plan  intro\n    ask   meeting  x -> yes\n"
                  "    next  2011-01-10  call back\n")
    s.diagnostics(uri_of(gpath))
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri_of(gpath)},
                                         "position": {"line": 0, "character": 14}})
    v = ((r or {}).get("result") or {}).get("contents", {}).get("value", "")
    ok("flags: overdue" in v and "level: **meeting** (2 of 8)" in v and
       "client, not declared" in v,
       "hover on a client: the flags the ladder rules raise (overdue-next)", v)
    row = [l for l in v.split("\n") if l.startswith("Gamma ")]
    ok("CLIENT          LEVEL" in v and len(row) == 1 and "2 meeting" in row[0] and
       "2011-01-10" in row[0] and row[0].endswith("---L-"),
       "hover on a client: its `ladder clients` row", v)

    # The next step's text is the `ladder clients` row's: no comment.
    hpath = os.path.join(d, "h.ladder")
    htext = ("2011-02-14 * Eta | first\n    ask   intro  x -> yes\n"
             "    next  2011-03-01  Send spend data  ; a private comment\n")
    with open(hpath, "w") as f:
        f.write(htext)
    s.open(hpath, htext)
    s.diagnostics(uri_of(hpath))
    r = s.request("textDocument/hover", {"textDocument": {"uri": uri_of(hpath)},
                                         "position": {"line": 0, "character": 14}})
    v = ((r or {}).get("result") or {}).get("contents", {}).get("value", "")
    row = json.loads(subprocess.run([LADDER, "clients", "--format", "json", "--today", TODAY, hpath],
                                    capture_output=True).stdout or b"{}")
    text_ = ((row.get("clients") or [{}])[0].get("next") or {}).get("text")
    ok(text_ == "Send spend data" and
       [l for l in v.split("\n") if l.startswith("next step")] == ["next step: 2011-03-01 " + text_],
       "hover on a client: the next step's text is the clients row's, without its comment", (text_, v))

    # Code actions: the nearest rung, and ladder-ignore; applying one fixes it.
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": u},
                                              "range": {"start": {"line": 10, "character": 0},
                                                        "end": {"line": 10, "character": 0}},
                                              "context": {"diagnostics": []}})
    acts = (r or {}).get("result") or []
    titles = [a["title"] for a in acts]
    ok(any("needs" in t for t in titles) and any("ladder-ignore" in t for t in titles),
       "codeAction on an unknown rung: the nearest rung, and a ladder-ignore", titles)
    fix = [a for a in acts if "needs" in a["title"]]
    if fix:
        edit = fix[0]["edit"]["changes"][u][0]
        ln = text.split("\n")
        line = ln[edit["range"]["start"]["line"]]
        a, b = edit["range"]["start"]["character"], edit["range"]["end"]["character"]
        ln[edit["range"]["start"]["line"]] = line[:a] + edit["newText"] + line[b:]
        s.change(path, "\n".join(ln), 60)
        got = s.diagnostics(u, version=60)
        ok(got is not None and "unknown-rung" not in codes(got), "applying the quick fix removes the error", got)
    ign = [a for a in acts if "missing-next" in a["title"] or "unknown-rung" in a["title"]]
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": u},
                                              "range": {"start": {"line": 13, "character": 3},
                                                        "end": {"line": 13, "character": 3}},
                                              "context": {"diagnostics": []}})
    acts = (r or {}).get("result") or []
    ign = [a for a in acts if "ladder-ignore" in a["title"]]
    if ign:
        e = ign[0]["edit"]["changes"][u][0]
        cur = s.seen and None
        ln = text.replace("neds", "needs").split("\n")
        L = e["range"]["start"]["line"]
        ln[L] = ln[L][:e["range"]["start"]["character"]] + e["newText"] + ln[L][e["range"]["end"]["character"]:]
        s.change(path, "\n".join(ln), 61)
        got = s.diagnostics(u, version=61)
        rule = ign[0]["diagnostics"][0]["code"]
        ok(got is not None and rule == "missing-next" and
           not any(x["code"] == rule and x["range"]["start"]["line"] == 13 for x in got),
           "applying a ladder-ignore action silences %s" % rule, (e, got))
    else:
        ok(False, "codeAction on a header with a warning offers a ladder-ignore", acts)

    # Safe fixes (cli.md section 5) are preferred quick fixes; applying the
    # one of an unused ladder-ignore removes the warning; suggestions are not
    # preferred.
    fpath = os.path.join(d, "f.ladder")
    ftext = ("2011-01-03 * Delta | d ; ladder-ignore: no-plan, missing-next -- why\n"
             "    plan  intro\n    ask   intro  x -> yes\n    next  none\n\n"
             "2011-01-01 ! Delta | earlier\n    plan  intro\n")
    fu = uri_of(fpath)
    s.open(fpath, ftext)
    s.diagnostics(fu)
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": fu},
                                              "range": {"start": {"line": 0, "character": 0},
                                                        "end": {"line": 0, "character": 0}},
                                              "context": {"diagnostics": []}})
    acts = (r or {}).get("result") or []
    pref = [a for a in acts if a.get("isPreferred")]
    ok(pref and all(a["diagnostics"][0]["code"] == "unused-ignore" for a in pref) and
       all(a.get("isPreferred") is False for a in acts if a not in pref),
       "codeAction: the safe fix of unused-ignore is preferred, the others are not",
       [(a["title"], a.get("isPreferred")) for a in acts])
    if pref:
        edits = sorted(pref[0]["edit"]["changes"][fu], key=lambda e: (e["range"]["start"]["line"],
                                                                      e["range"]["start"]["character"]))
        ln = ftext.split("\n")
        for e in reversed(edits):
            st, en = e["range"]["start"], e["range"]["end"]
            assert st["line"] == en["line"]
            L = ln[st["line"]]
            ln[st["line"]] = L[:st["character"]] + e["newText"] + L[en["character"]:]
        s.change(fpath, "\n".join(ln), 2)
        got = s.diagnostics(fu, version=2)
        ok(got is not None and "unused-ignore" not in codes(got) and ln[0] == "2011-01-03 * Delta | d",
           "applying the preferred fix removes the unused ladder-ignore", (ln[0], got))
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": fu},
                                              "range": {"start": {"line": 5, "character": 0},
                                                        "end": {"line": 5, "character": 0}},
                                              "context": {"diagnostics": []}})
    acts = (r or {}).get("result") or []
    ok(any(a.get("isPreferred") and a["diagnostics"][0]["code"] == "date-order" for a in acts) and
       any(not a.get("isPreferred") and a["diagnostics"][0]["code"] == "stale-planned" and
           a["edit"]["changes"][fu][0]["newText"] == "*" for a in acts),
       "codeAction: date-order's move is preferred, stale-planned's '*' is a suggestion",
       [(a["title"], a.get("isPreferred")) for a in acts])

    # context.only: a kind listed, or one under it; ours are all "quickfix".
    kpath = os.path.join(d, "k.ladder")
    ktext = "2011-02-14 * Kappa | x\n    ask   neds  y -> yes\n    next  none\n"
    ku = uri_of(kpath)
    s.open(kpath, ktext)
    s.diagnostics(ku)

    def kinds(only):
        ctx = {"diagnostics": []}
        if only is not None:
            ctx["only"] = only
        r = s.request("textDocument/codeAction", {"textDocument": {"uri": ku},
                                                  "range": {"start": {"line": 1, "character": 0},
                                                            "end": {"line": 1, "character": 0}},
                                                  "context": ctx})
        return [a["kind"] for a in (r or {}).get("result") or []]
    got = [kinds(None), kinds(["quickfix"]), kinds(["refactor"]), kinds(["quickfix.other"]),
           kinds(["refactor", "quickfix"])]
    ok(len(got[0]) >= 2 and got[1] == got[0] and got[2] == [] and got[3] == [] and got[4] == got[0],
       "codeAction: context.only keeps the kinds listed and those under them", got)

    # Two unused ids of one ladder-ignore have one fix: one action, for both.
    ktext = "2011-02-14 * Kappa | x\n    ask   intro  y -> yes\n    next  none ; ladder-ignore: stalled, no-ask\n"
    s.change(kpath, ktext, 2)
    s.diagnostics(ku, version=2)
    r = s.request("textDocument/codeAction", {"textDocument": {"uri": ku},
                                              "range": {"start": {"line": 2, "character": 0},
                                                        "end": {"line": 2, "character": 0}},
                                              "context": {"diagnostics": []}})
    acts = (r or {}).get("result") or []
    seen_ = [json.dumps([a["title"], a["edit"]], sort_keys=True) for a in acts]
    rm = [a for a in acts if a.get("isPreferred")]
    ok(acts and len(set(seen_)) == len(seen_) and len(rm) == 1 and
       [x["code"] for x in rm[0]["diagnostics"]] == ["unused-ignore", "unused-ignore"],
       "codeAction: no two actions with the same title and edit; the one fix lists both diagnostics",
       [(a["title"], len(a["diagnostics"])) for a in acts])
    ok(s.finish() == 0, "features session: status 0")
    ok(not s.bad, "features session: output framed", s.bad)
    shutil.rmtree(d)


# The journal fuzz_lsp.c opens before each input.
FUZZ_JOURNAL = ("client Acme Corp\n    alias acme\n\n"
                "2011-02-14 * (call) Acme Corp | First call\n"
                "    plan  intro\n    ask   intro  Intro -> yes\n"
                "    next  2011-02-21 meeting  Budget\n\n"
                "2011-02-21 ! acme | Zo\u00eb \U0001F600\n    ask   neds  x -> maybe\n"
                "include other.ladder ; ladder-ignore: no-plan\n")


def test_crashers():
    cdir = os.path.join(ROOT, "tests", "fuzz", "crashers")
    files = sorted(f for f in os.listdir(cdir) if f.startswith("lsp-"))
    for name in files:
        with open(os.path.join(cdir, name), "rb") as f:
            data = f.read()
        # The fuzzer's format: mode byte, then raw stream or lines of bodies.
        mode, rest = (data[0], data[1:]) if data else (0, b"")
        init = frame({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "capabilities": {"general": {"positionEncodings": ["utf-8"] if mode & 2 else []}},
            "initializationOptions": {"today": TODAY}}})
        init += frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        init += frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": "file:///nonexistent-ladder-fuzz/a.ladder", "languageId": "ladder", "version": 1,
            "text": FUZZ_JOURNAL}}})
        # One message at a time, with a pause after each, so the server
        # lints between them as the fuzzer's harness does (lsp_idle).
        if mode & 1:
            parts = [init, rest]
        else:
            parts = [init] + [frame(line) for line in rest.split(b"\n")]
        srv = Server(cwd="/")
        try:
            for part in parts:
                srv.write(part)
                time.sleep(0.02 * SLOW)
        except (BrokenPipeError, OSError):
            pass
        rc = srv.wait(60 * SLOW)
        ok(rc in (0, 1), "fuzzer crasher %s: the server ends with 0 or 1" % name,
           (rc, getattr(srv, "stderr", "")[-800:]))


def apply_edits(text, edits, utf8):
    """The text after the LSP TextEdits (non-overlapping), positions in
    UTF-16 units or bytes."""
    lines = text.split("\n")

    def offset(pos):
        off = sum(len(l.encode("utf-8")) + 1 for l in lines[:pos["line"]])
        line = lines[pos["line"]].encode("utf-8") if pos["line"] < len(lines) else b""
        if utf8:
            return off + pos["character"]
        u16 = line.decode("utf-8").encode("utf-16-le")[:2 * pos["character"]]
        return off + len(u16.decode("utf-16-le").encode("utf-8"))
    b = text.encode("utf-8")
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                          e["range"]["start"]["character"]), reverse=True):
        s0, s1 = offset(e["range"]["start"]), offset(e["range"]["end"])
        b = b[:s0] + e["newText"].encode("utf-8") + b[s1:]
    return b.decode("utf-8")


def test_formatting():
    d = tmpdir()
    path = os.path.join(d, "fmt.ladder")
    u = uri_of(path)
    text = ("client Zoë 😀   ; the first change is after the emoji\n\n\n2011/2/14   *  Zoë 😀|first   ; note  \n"
            "  plan intro\n\n  ask intro  Zoë 😀 x ->yes\n  next 2011.2.21 9:00 meeting Go\n")
    with open(path, "w") as fh:
        fh.write(text)
    want = subprocess.run([LADDER, "fmt", path], stdout=subprocess.PIPE).stdout.decode("utf-8")
    for utf8 in (False, True):
        enc = "utf-8" if utf8 else "utf-16"
        s = Server()
        s.initialize(root=d, options={"today": TODAY}, utf8=utf8)
        s.open(path, text)
        s.diagnostics(u)
        r = s.request("textDocument/formatting", {"textDocument": {"uri": u},
                                                  "options": {"tabSize": 4, "insertSpaces": True}})
        edits = (r or {}).get("result")
        ok(isinstance(edits, list) and edits and apply_edits(text, edits, utf8) == want,
           "%s: formatting's edits give what `ladder fmt` prints" % enc, r)
        s.change(path, want, 2)
        s.diagnostics(u)
        r = s.request("textDocument/formatting", {"textDocument": {"uri": u}, "options": {}})
        ok((r or {}).get("result") == [], "%s: a canonical document: no edits" % enc, r)
        s.change(path, text + "    bogus line\n", 3)
        s.diagnostics(u)
        r = s.request("textDocument/formatting", {"textDocument": {"uri": u}, "options": {}})
        ok((r or {}).get("result") == [], "%s: a document with a syntax error: no edits" % enc, r)
        ok(s.finish() == 0, "%s formatting session: status 0" % enc)
    shutil.rmtree(d)


def main():
    if not os.access(LADDER, os.X_OK):
        print("not ok - %s is not built" % LADDER)
        return 1
    for t in (test_initialize, test_robustness, test_no_deadlock, test_diagnostics, test_reuse, test_settings, test_coalescing_file,
              test_overlays, test_utf16, test_features, test_formatting, test_crashers):
        try:
            t()
        except Exception as e:      # a test that blows up is one failure
            import traceback
            ok(False, "%s raised %s" % (t.__name__, e), traceback.format_exc())
    print("1..%d" % count)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
