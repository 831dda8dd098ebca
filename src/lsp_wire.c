/* lsp_wire.c - the LSP's base protocol: Content-Length framing.
 *
 * A message is a header (lines "Name: value" ending in "\r\n"; a lone "\n"
 * is accepted too) ended by an empty line, then exactly Content-Length
 * bytes of body.  Whatever goes wrong in a header (a line that is not a
 * field, no Content-Length, one that is not a number or is bigger than
 * LSP_MAX_MESSAGE, a header longer than LSP_MAX_HEADER) is reported once
 * through sink->error, and the reader then skips input up to the next line
 * "Content-Length:", so one bad message costs one message.
 * Blank lines between messages are ignored.  The reader keeps at most one
 * message in memory, and nothing of what it skips.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lsp.h"

enum { ST_HEADER, ST_BODY, ST_SKIP };

static const char CL[] = "content-length:";
#define CL_LEN (sizeof CL - 1)

void lsp_reader_init(lsp_reader *r)
{
    memset(r, 0, sizeof *r);
    r->state = ST_HEADER;
}

void lsp_reader_free(lsp_reader *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}

bool lsp_reader_partial(const lsp_reader *r)
{
    if (r->state == ST_BODY)
        return true;
    if (r->state == ST_HEADER)
        return r->header_bytes > 0 || r->len > r->pos;
    return false;
}

/* Room for `more` bytes after len, moving the unread part to the front. */
static bool reserve(lsp_reader *r, size_t more)
{
    if (r->pos > 0 && (r->pos == r->len || r->pos >= r->cap / 2 ||
                       r->len + more > r->cap)) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->len + more <= r->cap)
        return true;
    size_t cap = r->cap ? r->cap : 4096;
    while (cap < r->len + more)
        cap *= 2;
    char *nb = realloc(r->buf, cap);
    if (!nb)
        return false;
    r->buf = nb;
    r->cap = cap;
    return true;
}

static void start_skip(lsp_reader *r, const lsp_reader_sink *sink,
                       const char *why, bool line_start)
{
    (void)line_start;
    sink->error(sink->ud, why);
    r->state = ST_SKIP;
    r->have_length = false;
    r->header_bytes = 0;
}

/* Parse one header line [p, p+n) (without its line break). */
static void header_line(lsp_reader *r, const char *p, size_t n,
                        const lsp_reader_sink *sink)
{
    const char *colon = memchr(p, ':', n);
    if (!colon || colon == p) {
        start_skip(r, sink, "malformed message header: a line that is not "
                   "\"Name: value\"", true);
        return;
    }
    size_t nl = (size_t)(colon - p);
    if (nl != CL_LEN - 1 || strncasecmp(p, CL, nl) != 0)
        return;                 /* Content-Type and others: ignored */
    const char *v = colon + 1, *e = p + n;
    while (v < e && (*v == ' ' || *v == '\t'))
        v++;
    while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    size_t val = 0;
    bool ok = v < e && e - v <= 12;
    for (const char *q = v; ok && q < e; q++) {
        if (*q < '0' || *q > '9')
            ok = false;
        else
            val = val * 10 + (size_t)(*q - '0');
    }
    if (!ok) {
        start_skip(r, sink, "bad Content-Length: not a number", true);
        return;
    }
    if (val > LSP_MAX_MESSAGE) {
        start_skip(r, sink, "Content-Length too big: the message is skipped", true);
        return;
    }
    if (r->have_length && r->length != val) {
        start_skip(r, sink, "malformed message header: two different "
                   "Content-Length fields", true);
        return;
    }
    r->have_length = true;
    r->length = val;
}

bool lsp_reader_feed(lsp_reader *r, const char *bytes, size_t len,
                     const lsp_reader_sink *sink)
{
    if (len) {
        if (!reserve(r, len))
            return false;
        memcpy(r->buf + r->len, bytes, len);
        r->len += len;
    }
    for (;;) {
        size_t avail = r->len - r->pos;
        char *p = r->buf + r->pos;
        if (r->state == ST_BODY) {
            if (avail < r->need)
                return true;
            r->pos += r->need;
            r->state = ST_HEADER;
            sink->message(sink->ud, p, r->need);
            continue;
        }
        if (r->state == ST_SKIP) {
            /* Find the next "Content-Length:" (after a body of unknown
             * length it may follow the body's last byte directly). */
            size_t i = 0;
            bool found = false;
            for (; i + CL_LEN <= avail; i++)
                if ((p[i] == 'C' || p[i] == 'c') && strncasecmp(p + i, CL, CL_LEN) == 0) {
                    found = true;
                    break;
                }
            if (!found) {
                /* Keep a tail that may be the start of one. */
                i = avail > CL_LEN - 1 ? avail - (CL_LEN - 1) : 0;
                r->pos += i;
                return true;
            }
            r->pos += i;
            r->state = ST_HEADER;
            continue;
        }
        /* ST_HEADER: one line at a time. */
        char *nl = memchr(p, '\n', avail);
        if (!nl) {
            if (r->header_bytes + avail > LSP_MAX_HEADER)
                start_skip(r, sink, "malformed message header: too long", false);
            return true;
        }
        size_t n = (size_t)(nl - p), used = n + 1;
        if (n > 0 && p[n - 1] == '\r')
            n--;
        r->header_bytes += used;
        r->pos += used;
        if (r->header_bytes > LSP_MAX_HEADER) {
            start_skip(r, sink, "malformed message header: too long", true);
            continue;
        }
        if (n > 0) {
            header_line(r, p, n, sink);
            continue;
        }
        if (r->header_bytes == used) {
            r->header_bytes = 0;    /* a blank line between messages */
            continue;
        }
        /* The empty line that ends a header. */
        if (!r->have_length) {
            start_skip(r, sink, "malformed message header: no Content-Length", true);
            continue;
        }
        r->state = ST_BODY;
        r->need = r->length;
        r->have_length = false;
        r->header_bytes = 0;
        if (!reserve(r, r->need))
            return false;
    }
}
