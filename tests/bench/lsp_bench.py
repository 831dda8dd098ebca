#!/usr/bin/env python3
"""lsp_bench.py - didChange-to-diagnostics latency of `ladder lsp` (a
benchmark, not a timed test: it prints figures, `make bench-lsp`).

For each journal (written by genjournal), the client opens it, then sends
RUNS didChange notifications one at a time, each changing one title near
the end of the journal, and measures the wall time from writing the
notification to reading the publishDiagnostics that carries its version
(and, apart, to having its bytes: before this client's own JSON parse,
which is the client's cost, not the server's).
Prints the median, the 90th percentile and the worst, the server's CPU
time per lint (user + system, over the whole session: what the latency
is when the machine is not busy with other work), and the target of
issue 13 (under 10 ms at 1,000 calls, under 50 ms at 10,000).

    lsp_bench.py LADDER JOURNAL [RUNS] [TARGET_MS]
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def frame(obj):
    b = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(b) + b


def read_msg(f):
    """The next message, and when its last byte was read."""
    length = None
    while True:
        line = f.readline()
        if not line:
            return None
        if line == b"\r\n":
            break
        k, _, v = line.partition(b":")
        if k.lower() == b"content-length":
            length = int(v)
    body = f.read(length)
    return json.loads(body), time.perf_counter()


def main():
    ladder, journal = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 31
    target = float(sys.argv[4]) if len(sys.argv) > 4 else 0
    text = open(journal, encoding="utf-8").read()
    path = os.path.abspath(journal)
    uri = "file://" + path
    p = subprocess.Popen([ladder, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    w = p.stdin

    def send(o):
        w.write(frame(o))
        w.flush()

    def wait_version(v):
        while True:
            r = read_msg(p.stdout)
            if r is None:
                sys.exit("the server ended")
            m, t_read = r
            if (m.get("method") == "textDocument/publishDiagnostics" and
                    m["params"]["uri"] == uri and m["params"].get("version") == v):
                return len(m["params"]["diagnostics"]), t_read

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
          "params": {"capabilities": {}, "initializationOptions": {"today": "2026-01-01"}}})
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    t0 = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "ladder", "version": 1, "text": text}}})
    ndiag, _ = wait_version(1)
    open_ms = (time.perf_counter() - t0) * 1000
    # Each change: one more character in the last title.
    cut = text.rfind(" | ")
    times, delivered = [], []
    for v in range(2, runs + 2):
        t = text[:cut + 3] + "x" * (v % 7) + text[cut + 3:]
        msg = frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": t}]}})
        t0 = time.perf_counter()
        w.write(msg)
        w.flush()
        _, t_read = wait_version(v)
        times.append((time.perf_counter() - t0) * 1000)
        delivered.append((t_read - t0) * 1000)
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    send({"jsonrpc": "2.0", "method": "exit"})
    w.close()
    p.wait()
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_ms = (ru.ru_utime + ru.ru_stime) * 1000 / (runs + 1)
    times.sort()
    med = statistics.median(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    verdict = ""
    if target:
        verdict = "  target < %g ms: %s" % (target, "PASS" if med < target else "FAIL")
    print("%-28s %8.1f KB %6d diags  open %7.1f ms  change: median %6.2f ms  p90 %6.2f ms  "
          "max %6.2f ms (%d runs; bytes delivered: median %6.2f ms); server CPU %5.2f ms a lint%s" % (
              os.path.basename(journal), len(text.encode()) / 1024, ndiag, open_ms, med, p90,
              times[-1], runs, statistics.median(delivered), cpu_ms, verdict))
    return 0 if not target or med < target else 1


if __name__ == "__main__":
    sys.exit(main())
