/* fuzz_lsp.c - libFuzzer harness over the language server's message reader
 * and dispatcher (src/lsp*.c), through the state machine of lsp.h.
 *
 * Every input runs after a canned prelude (initialize, initialized, and a
 * didOpen of a small journal), so the fuzzer spends its time on requests,
 * not on learning to say hello.  The first byte of the input picks:
 *   bit 0: raw mode (the rest is the byte stream, framing included, fed
 *          in chunks of a size the input's hash picks) or message mode
 *          (each line of the rest is one message body, framed by the
 *          harness, so the fuzzer reaches the dispatcher with plain JSON);
 *   bit 1: whether the client offers utf-8 positions;
 *   bit 2: whether to end with shutdown and exit.
 * lsp_idle() runs between chunks, as the real loop runs it when no input
 * is waiting.  Besides the sanitizers' findings, the harness aborts when
 * the output breaks the protocol: every message must be framed with a
 * right Content-Length and be a JSON object with "jsonrpc": "2.0".
 *
 *   make fuzz-lsp FUZZ_SECONDS=600
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DIR "/nonexistent-ladder-fuzz"
#define URI "file://" DIR "/a.ladder"

static const char journal[] =
    "client Acme Corp\\n    alias acme\\n\\n"
    "2011-02-14 * (call) Acme Corp | First call\\n"
    "    plan  intro\\n    ask   intro  Intro -> yes\\n"
    "    next  2011-02-21 meeting  Budget\\n\\n"
    "2011-02-21 ! acme | Zo\\u00eb \\ud83d\\ude00\\n    ask   neds  x -> maybe\\n"
    "include other.ladder ; ladder-ignore: no-plan\\n";

static uint32_t hash(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void fail(const char *what, const char *p, size_t n)
{
    fprintf(stderr, "fuzz_lsp: %s\n--- output ---\n", what);
    fwrite(p, 1, n > 2000 ? 2000 : n, stderr);
    fputs("\n--- end ---\n", stderr);
    abort();
}

/* Check and drop the server's output. */
static void drain(lsp_server *s)
{
    size_t len;
    const char *p = lsp_output(s, &len);
    size_t used = 0;
    while (used < len) {
        const char *q = p + used;
        size_t left = len - used;
        if (left < 20 || memcmp(q, "Content-Length: ", 16) != 0)
            fail("output does not start with Content-Length", q, left);
        char *end;
        unsigned long n = strtoul(q + 16, &end, 10);
        if ((size_t)(end - q) + 4 > left || memcmp(end, "\r\n\r\n", 4) != 0)
            fail("output header does not end in CRLF CRLF", q, left);
        const char *body = end + 4;
        if ((size_t)(body - q) + n > left)
            fail("output body shorter than its Content-Length", q, left);
        json_error_t je;
        json_t *m = json_loadb(body, n, 0, &je);
        if (!json_is_object(m))
            fail("output body is not a JSON object", body, n);
        json_t *v = json_object_get(m, "jsonrpc");
        if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0)
            fail("output message without \"jsonrpc\": \"2.0\"", body, n);
        json_decref(m);
        used = (size_t)(body - p) + n;
    }
    lsp_consume(s, len);
}

static void send_body(lsp_server *s, const char *body, size_t n)
{
    char head[64];
    int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
    lsp_feed(s, head, (size_t)h);
    lsp_feed(s, body, n);
}

static void send_str(lsp_server *s, const char *body)
{
    send_body(s, body, strlen(body));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    uint32_t h = hash(data, size);
    lsp_options o = { DIR };
    lsp_server *s = lsp_new(&o);
    if (!s)
        return 0;
    char buf[1024];
    snprintf(buf, sizeof buf,
             "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
             "{\"capabilities\":{\"general\":{\"positionEncodings\":[%s\"utf-16\"]}},"
             "\"initializationOptions\":{\"today\":\"2011-03-01\"%s}}}",
             mode & 2 ? "\"utf-8\"," : "", h & 1 ? ",\"strict\":true" : "");
    send_str(s, buf);
    send_str(s, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
    snprintf(buf, sizeof buf,
             "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":"
             "{\"textDocument\":{\"uri\":\"" URI "\",\"languageId\":\"ladder\","
             "\"version\":1,\"text\":\"%s\"}}}", journal);
    send_str(s, buf);
    lsp_idle(s);
    drain(s);

    if (mode & 1) {
        size_t chunk = 1 + (h >> 8) % 97;
        for (size_t i = 0; i < size && !lsp_exited(s, NULL); i += chunk) {
            size_t n = size - i < chunk ? size - i : chunk;
            lsp_feed(s, (const char *)data + i, n);
            if ((h >> (i % 23)) & 1)
                lsp_idle(s);
            drain(s);
        }
    } else {
        const char *p = (const char *)data, *end = p + size;
        while (p < end && !lsp_exited(s, NULL)) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            send_body(s, p, n);
            lsp_idle(s);
            drain(s);
            p += n + 1;
        }
    }
    lsp_idle(s);
    if (mode & 4) {
        send_str(s, "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"shutdown\"}");
        send_str(s, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}");
    }
    drain(s);
    lsp_free(s);
    return 0;
}
