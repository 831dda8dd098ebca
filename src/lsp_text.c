/* lsp_text.c - the language server's edge: URIs, paths, positions.
 *
 * Positions are converted here and nowhere else: the core speaks byte
 * offsets, the client (line, character) in UTF-16 code units, or in bytes
 * when both agreed on utf-8 at initialize.  Lines follow the LSP's rules
 * ("\n", "\r\n" and a lone "\r" each end one).
 */
#include <stdlib.h>
#include <string.h>

#include "lsp.h"

/* --- URIs and paths ---------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *lsp_uri_to_path(const char *uri)
{
    if (strncmp(uri, "file://", 7) != 0)
        return NULL;
    const char *p = uri + 7;
    /* An authority: empty (file:///x) or localhost. */
    if (strncmp(p, "localhost/", 10) == 0)
        p += 9;
    if (*p != '/')
        return NULL;
    size_t n = strlen(p);
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (; *p; p++) {
        if (*p == '?' || *p == '#')
            break;
        if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            int c = hexval(p[1]) * 16 + hexval(p[2]);
            if (c == 0) {
                free(out);
                return NULL;
            }
            *o++ = (char)c;
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

char *lsp_path_to_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *out = malloc(7 + 3 * n + 2), *o = out;
    if (!out)
        return NULL;
    memcpy(o, "file://", 7);
    o += 7;
    if (*path != '/')
        *o++ = '/';
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || strchr("-._~/", (int)c)) {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    *o = '\0';
    return out;
}

char *lsp_path_clean(const char *path, const char *cwd)
{
    size_t pl = strlen(path), cl = (path[0] == '/' || !cwd) ? 0 : strlen(cwd);
    char *buf = malloc(cl + pl + 2), *out = malloc(cl + pl + 3);
    if (!buf || !out) {
        free(buf);
        free(out);
        return NULL;
    }
    size_t k = 0;
    if (cl) {
        memcpy(buf, cwd, cl);
        k = cl;
        buf[k++] = '/';
    }
    memcpy(buf + k, path, pl + 1);
    /* Fold the components into out: "." vanishes, ".." drops the last
     * component kept (at the root it stays the root; in a relative path
     * with nothing to drop it is kept). */
    bool absolute = buf[0] == '/';
    size_t o = 0, kept = 0;     /* kept: components in out that ".." may drop */
    for (const char *p = buf; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 1 && p[0] == '.') {
            /* nothing */
        } else if (n == 2 && p[0] == '.' && p[1] == '.' && (kept || absolute)) {
            if (kept) {
                while (o > 0 && out[o - 1] != '/')
                    o--;
                if (o > 0)
                    o--;
                kept--;
            }
        } else {
            if (o > 0 || absolute)
                out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
            if (!(n == 2 && p[0] == '.' && p[1] == '.'))
                kept++;
        }
        p += n;
    }
    if (o == 0)
        out[o++] = absolute ? '/' : '.';
    out[o] = '\0';
    free(buf);
    return out;
}

/* --- positions --------------------------------------------------------- */

bool lsp_lines_build(lsp_lines *l, const char *text, size_t len)
{
    /* A line break is "\n", "\r\n" or "\r"; memchr finds the next "\n"
     * and the next "\r" (a text without "\r" looks for it once). */
    size_t cap = 64 + len / 32, n = 0;
    uint32_t *v = malloc(cap * sizeof *v);
    if (!v)
        return false;
    v[n++] = 0;
    const char *nl = len ? memchr(text, '\n', len) : NULL;
    const char *cr = len ? memchr(text, '\r', len) : NULL;
    const char *end = text + len;
    while (nl || cr) {
        const char *p = !cr || (nl && nl < cr) ? nl : cr;
        size_t i = (size_t)(p - text);
        if (*p == '\r' && p + 1 < end && p[1] == '\n')
            i++;
        if (n == cap) {
            uint32_t *nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                free(v);
                return false;
            }
            v = nv;
            cap *= 2;
        }
        v[n++] = (uint32_t)(i + 1);
        const char *next = text + i + 1;
        if (nl && nl < next)
            nl = next < end ? memchr(next, '\n', (size_t)(end - next)) : NULL;
        if (cr && cr < next)
            cr = next < end ? memchr(next, '\r', (size_t)(end - next)) : NULL;
    }
    l->start = v;
    l->n = n;
    return true;
}

void lsp_lines_free(lsp_lines *l)
{
    free(l->start);
    l->start = NULL;
    l->n = 0;
}

/* The length of the UTF-8 sequence at p (1 for a byte that starts none),
 * and its UTF-16 units in *units. */
static size_t seq_len(const unsigned char *p, size_t avail, unsigned *units)
{
    unsigned c = p[0];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
             : (c >> 3) == 30 ? 4 : 1;
    if (n > avail)
        n = 1;
    for (size_t k = 1; k < n; k++)
        if ((p[k] & 0xC0) != 0x80) {
            n = 1;
            break;
        }
    *units = n == 4 ? 2 : 1;
    return n;
}

/* The end of line `line`'s text (before its line break). */
static size_t line_end(const lsp_lines *l, const char *text, size_t len, size_t line)
{
    size_t e = line + 1 < l->n ? l->start[line + 1] : len;
    if (line + 1 < l->n) {
        if (e > 0 && text[e - 1] == '\n')
            e--;
        if (e > l->start[line] && text[e - 1] == '\r')
            e--;
    }
    return e;
}

void lsp_offset_to_pos(const lsp_lines *l, const char *text, size_t len,
                       size_t offset, bool utf8, uint32_t *line, uint32_t *ch)
{
    if (offset > len)
        offset = len;
    /* The last line starting at or before offset. */
    size_t lo = 0, hi = l->n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->start[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    size_t s = l->start[lo], end = line_end(l, text, len, lo);
    if (offset > end)
        offset = end;           /* inside a "\r\n": the line's end */
    uint32_t n = 0;
    if (utf8) {
        n = (uint32_t)(offset - s);
    } else {
        const unsigned char *p = (const unsigned char *)text;
        for (size_t i = s; i < offset;) {
            if (p[i] < 0x80) {          /* ASCII: one unit */
                n++;
                i++;
                continue;
            }
            unsigned u;
            size_t k = seq_len(p + i, len - i, &u);
            if (i + k > offset)
                break;          /* offset inside a character */
            n += u;
            i += k;
        }
    }
    *line = (uint32_t)lo;
    *ch = n;
}

bool lsp_pos_to_offset(const lsp_lines *l, const char *text, size_t len,
                       int64_t line, int64_t ch, bool utf8, bool clamp,
                       size_t *offset)
{
    if (line < 0 || ch < 0) {
        if (!clamp)
            return false;
        if (line < 0) {
            *offset = 0;
            return true;
        }
        ch = 0;
    }
    if ((uint64_t)line >= l->n) {
        if (!clamp)
            return false;
        *offset = len;
        return true;
    }
    size_t s = l->start[line], end = line_end(l, text, len, (size_t)line);
    if (utf8) {
        if ((uint64_t)ch > end - s) {
            if (!clamp)
                return false;
            ch = (int64_t)(end - s);
        }
        size_t o = s + (size_t)ch;
        /* Back to the start of a character. */
        while (o > s && ((unsigned char)text[o] & 0xC0) == 0x80)
            o--;
        *offset = o;
        return true;
    }
    const unsigned char *p = (const unsigned char *)text;
    uint64_t n = 0;
    size_t i = s;
    while (i < end && n < (uint64_t)ch) {
        unsigned u;
        size_t k = seq_len(p + i, len - i, &u);
        if (n + u > (uint64_t)ch)
            break;              /* inside a surrogate pair */
        n += u;
        i += k;
    }
    if (n < (uint64_t)ch && i >= end && !clamp)
        return false;
    *offset = i;
    return true;
}
