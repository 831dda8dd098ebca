/* output.c - rendering diagnostics: gcc, tty, json and sarif.
 *
 * Diagnostics arrive per journal, already sorted and filtered by
 * diag_finish(); this module only counts and renders them.  json and sarif
 * stream one document over the whole run: output_begin() opens it,
 * output_journal() appends results, output_end() closes it.
 */
/* fopencookie(): the json and sarif document is written into memory from
 * the caller's allocator. */
#define _GNU_SOURCE
#include "output.h"
#include "arena.h"
#include "utf8.h"

#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LADDER_VERSION
#define LADDER_VERSION "0.0.0"
#endif
/* SARIF's tool.driver.informationUri, only when a build defines it: no
 * address that the project does not own goes into a log. */

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

struct output {
    struct mem *mem;
    FILE *out;
    struct output_opts o;
    struct output_totals t;
    unsigned emitted;               /* json/sarif: results written so far */
    char *cwd;                      /* sarif: the current folder, or NULL */
    const struct source *uri_src;   /* sarif: the source whose URI is in uri */
    char *uri;
    bool uri_based;                 /* ... relative to %SRCROOT% (else absolute) */
    struct file_count {             /* json: every file read, names copied */
        char *name;
        unsigned errors, warnings, notes;
    } *files;
    size_t nfiles, capfiles;
    struct unreadable {             /* sarif: named files that could not be read */
        char *name, *err;           /* name NULL: standard input */
    } *bad;
    size_t nbad, capbad;
    struct fp_slot {                /* sarif: fingerprints given in this journal */
        uint64_t hash;
        unsigned count;
        bool used;
    } *fp;
    size_t fpcap, fpn;
    /* json and sarif: the document is built in memory (out writes to doc)
     * and written to `final` whole in output_end, so that a run that fails
     * half-way (out of memory) never leaves half a document behind. */
    FILE *final;
    char *doc;                      /* through mem (xtry_realloc) */
    size_t doclen, doccap;
};

/* The document's stream writes here; a failed allocation is a write error
 * of the stream (never a jump out of stdio), which output_end turns into
 * out of memory. */
static ssize_t doc_write(void *cookie, const char *buf, size_t n)
{
    struct output *w = cookie;
    if (w->doccap - w->doclen < n) {
        size_t cap = w->doccap ? w->doccap : 4096;
        while (cap - w->doclen < n)
            cap *= 2;
        char *p = xtry_realloc(w->mem, w->doc, cap);
        if (!p) {
            errno = ENOMEM;
            return -1;
        }
        w->doc = p;
        w->doccap = cap;
    }
    memcpy(w->doc + w->doclen, buf, n);
    w->doclen += n;
    return (ssize_t)n;
}

/* Out of memory with the document's stream open: close it, then go on to
 * the caller's recovery point (nothing is written to the real output). */
static void doc_drop(struct output *w)
{
    if (w->final && w->out != w->final) {
        fclose(w->out);
        w->out = w->final;
    }
}

/* Run `step` so that a failed allocation in it first closes the document's
 * stream (its FILE is not the allocator's), then jumps on as usual. */
#define DOC_GUARD(w, step) do {                                         \
        jmp_buf *outer_ = (w)->mem->fail, mine_;                        \
        if (setjmp(mine_)) {                                            \
            (w)->mem->fail = outer_;                                    \
            doc_drop(w);                                                \
            oom((w)->mem);                                              \
        }                                                               \
        (w)->mem->fail = &mine_;                                        \
        step;                                                           \
        (w)->mem->fail = outer_;                                        \
    } while (0)

/* --- UTF-8 ------------------------------------------------------------------ */

/* The well-formed UTF-8 sequence at p[0..n): its length, and *cp; 0 when
 * p starts an ill-formed one (utf8.h decides). */
static size_t u8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    int32_t c;
    size_t len = utf8_decode((const char *)p, n, &c);
    if (c < 0)
        return 0;
    *cp = (uint32_t)c;
    return len;
}

#define REPLACEMENT "\xEF\xBF\xBD"      /* U+FFFD */

/* A character a terminal would act on rather than show. */
static int is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* Characters that must not reach a terminal raw: utf8.h's list (C0 and C1
 * controls but tab, DEL, U+2028/U+2029; with `invisible`, the bidi controls
 * and the zero-width characters). */
static bool dangerous(uint32_t cp, bool invisible)
{
    return utf8_is_dangerous((int32_t)cp, invisible);
}

/* The bidirectional formatting characters, which reorder what a terminal
 * shows around them ("trojan source"): escaped in every form for people. */
static bool bidi_control(uint32_t cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Text from the journal (a file name, a message quoting names and titles)
 * for a line of gcc or tty output: controls and invalid bytes as \xNN,
 * other dangerous characters as \uNNNN, so that nothing drives the terminal
 * or splits the line.  `invisible` (tty) also escapes zero-width characters. */
static void escaped_text(FILE *out, const char *s, size_t n, bool invisible)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0;                 /* p[run, i) is written as it is */
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t len = p[i] >= 0x20 && p[i] < 0x7F ? 1 : u8_decode(p + i, n - i, &cp);
        if (len == 1 && p[i] >= 0x20 && p[i] < 0x7F) {
            i++;
            continue;
        }
        bool bad = len == 0 || dangerous(cp, invisible) || bidi_control(cp);
        if (!bad) {
            i += len;
            continue;
        }
        fwrite(p + run, 1, i - run, out);
        if (len == 0 || cp < 0x80)
            fprintf(out, "\\x%02x", p[i]);
        else
            fprintf(out, "\\u%04x", (unsigned)cp);
        i += len ? len : 1;
        run = i;
    }
    fwrite(p + run, 1, n - run, out);
}

/* --- JSON -------------------------------------------------------------------- */

void output_json_string(FILE *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    putc('"', out);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = u8_decode(p + i, n - i, &cp);
        if (len == 0) {                     /* an invalid byte */
            fputs("\\ufffd", out);
            i++;
            continue;
        }
        switch (cp) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            /* Controls, and the two line separators that JavaScript
             * source does not allow raw in a string. */
            if (is_control(cp) || cp == 0x2028 || cp == 0x2029)
                fprintf(out, "\\u%04x", (unsigned)cp);
            else
                fwrite(p + i, 1, len, out);
        }
        i += len;
    }
    putc('"', out);
}

static void json_str(FILE *out, const char *s)
{
    output_json_string(out, s, strlen(s));
}

/* "key":"value" */
static void json_kv(FILE *out, const char *key, const char *value)
{
    fprintf(out, "\"%s\":", key);
    json_str(out, value);
}

/* --- paths and URIs ---------------------------------------------------------- */

struct seg {
    const char *p;
    size_t n;
};

/* Append the segments of `path` to v[*n], applying "." and "..".  `rooted`:
 * a ".." at the start climbs nothing (an absolute path); otherwise it is
 * kept. */
static void push_segments(struct seg *v, size_t *n, const char *path, int rooted)
{
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        const char *b = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - b);
        if (len == 0 || (len == 1 && b[0] == '.'))
            continue;
        if (len == 2 && b[0] == '.' && b[1] == '.') {
            if (*n > 0 && !(v[*n - 1].n == 2 && !memcmp(v[*n - 1].p, "..", 2))) {
                (*n)--;
                continue;
            }
            if (rooted)
                continue;
        }
        v[(*n)++] = (struct seg){ b, len };
    }
}

static size_t count_segments(const char *s)
{
    size_t n = 1;
    for (; *s; s++)
        n += *s == '/';
    return n;
}

static void uri_encode(char **o, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~' || c == '/') {
            *(*o)++ = (char)c;
        } else {
            *(*o)++ = '%';
            *(*o)++ = hex[c >> 4];
            *(*o)++ = hex[c & 15];
        }
    }
}

char *output_relative_uri(struct mem *m, const char *path, const char *cwd)
{
    int absolute = path[0] == '/';
    size_t ncwd_max = cwd ? count_segments(cwd) : 0;
    struct seg *base = xmalloc(m, ncwd_max * sizeof *base + 1);
    struct seg *v = xmalloc(m, (ncwd_max + count_segments(path)) * sizeof *v);
    size_t nbase = 0, n = 0;
    if (cwd)
        push_segments(base, &nbase, cwd, 1);
    int rooted = absolute || cwd;
    if (!absolute && cwd) {
        memcpy(v, base, nbase * sizeof *v);
        n = nbase;
    }
    push_segments(v, &n, path, rooted);

    size_t common = 0, up = 0;
    if (rooted && cwd) {
        while (common < nbase && common < n && v[common].n == base[common].n &&
               !memcmp(v[common].p, base[common].p, v[common].n))
            common++;
        up = nbase - common;
    }
    size_t size = 3 * up + 8;
    for (size_t i = common; i < n; i++)
        size += 3 * v[i].n + 1;
    char *r = xmalloc(m, size), *o = r;
    if (absolute && !cwd)
        *o++ = '/';
    for (size_t i = 0; i < up; i++) {
        memcpy(o, "../", 3);
        o += 3;
    }
    for (size_t i = common; i < n; i++) {
        uri_encode(&o, v[i].p, v[i].n);
        *o++ = '/';
    }
    if (o > r && o[-1] == '/' && (common < n || up))
        o--;                                    /* no trailing slash */
    if (o == r)
        *o++ = '.';
    *o = '\0';
    xfree(m, base);
    xfree(m, v);
    return r;
}

static char *current_folder(struct mem *m)
{
    size_t cap = 256;
    for (;;) {
        char *b = xmalloc(m, cap);
        if (getcwd(b, cap))
            return b;
        xfree(m, b);
        if (cap > 1u << 20)
            return NULL;
        cap *= 2;
    }
}

/* --- columns ----------------------------------------------------------------- */

/* The byte column `col` of a line counted in UTF-16 code units (SARIF's
 * default column kind); invalid bytes and bytes past the line count one. */
static uint32_t utf16_col(const struct source *src, uint32_t line, uint32_t col)
{
    if (src->ascii)                 /* one unit a byte: no need to read the line */
        return col;
    uint32_t len;
    const unsigned char *p = (const unsigned char *)source_line(src, line, &len);
    uint32_t bytes = col - 1, units = 0, i = 0;
    while (i < bytes && i < len) {
        uint32_t cp;
        size_t n = u8_decode(p + i, len - i, &cp);
        if (n == 0 || i + n > bytes) {
            i++;
            units++;
            continue;
        }
        units += cp >= 0x10000 ? 2 : 1;
        i += (uint32_t)n;
    }
    if (bytes > i)
        units += bytes - i;
    return units + 1;
}

/* The byte column `col` of a line in the unit of gcc, tty and json
 * (--column-unit): bytes as they are; characters or screen columns counted
 * over the line's text (a tab to the next multiple of 8).  Columns past the
 * line's end count one each. */
static uint32_t out_col(const struct output *w, const struct source *src,
                        uint32_t line, uint32_t col)
{
    if (w->o.unit == UTF8_BYTES || col <= 1 ||
        (src->ascii && w->o.unit != UTF8_DISPLAY))
        return col;
    uint32_t len;
    const char *p = source_line(src, line, &len);
    uint32_t bytes = col - 1, in = bytes < len ? bytes : len;
    size_t c = utf8_columns(p, in, w->o.unit, 0);
    return (uint32_t)c + (bytes - in) + 1;
}

/* --- gcc --------------------------------------------------------------------- */

static void gcc_str(FILE *out, const char *s)
{
    escaped_text(out, s, strlen(s), false);
}

static void gcc_diag(const struct output *w, const struct diag_list *l,
                     const struct diag *d)
{
    FILE *out = w->out;
    gcc_str(out, d->src->name);
    fprintf(out, ":%u:%u: %s: ", d->pos.line,
            out_col(w, d->src, d->pos.line, d->pos.col),
            severity_name(d->severity));
    gcc_str(out, diag_text(l, d));
    fprintf(out, " [%s]\n", rule_table[d->rule].id);
    for (const struct note *n = d->notes; n; n = n->link) {
        gcc_str(out, n->src->name);
        fprintf(out, ":%u:%u: note: ", n->pos.line,
                out_col(w, n->src, n->pos.line, n->pos.col));
        gcc_str(out, diag_note_text(l, n));
        putc('\n', out);
    }
}

/* --- tty --------------------------------------------------------------------- */

#define SGR_BOLD    "\33[1m"
#define SGR_ERROR   "\33[1;31m"
#define SGR_WARNING "\33[1;35m"
#define SGR_NOTE    "\33[1;36m"
#define SGR_CARET   "\33[1;32m"
#define SGR_RESET   "\33[m"

static const char *sev_color(enum severity s)
{
    switch (s) {
    case SEV_ERROR: return SGR_ERROR;
    case SEV_WARNING: return SGR_WARNING;
    default: return SGR_NOTE;
    }
}

static void color_on(const struct output *w, const char *sgr)
{
    if (w->o.color)
        fputs(sgr, w->out);
}

static void color_off(const struct output *w)
{
    if (w->o.color)
        fputs(SGR_RESET, w->out);
}

/* A source line for a terminal: invalid UTF-8, control characters (tabs
 * too when !keep_tabs), bidi controls and zero-width characters become
 * U+FFFD, one column each, so that the caret below stays aligned. */
static void tty_text(FILE *out, const char *s, size_t n, int keep_tabs)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = u8_decode(p + i, n - i, &cp);
        if (len == 0 || (is_control(cp) && !(keep_tabs && cp == '\t')) ||
            dangerous(cp, true) || bidi_control(cp)) {
            fputs(REPLACEMENT, out);
            i += len ? len : 1;
            continue;
        }
        fwrite(p + i, 1, len, out);
        i += len;
    }
}

static unsigned digits(uint32_t v)
{
    unsigned d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

/* The screen columns tty_text shows a character in: one U+FFFD for an
 * invalid byte, a control, bidi or zero-width character, else its width (wide characters and
 * emoji 2, combining marks 0).  Tabs are the caller's. */
static unsigned tty_width(const unsigned char *p, size_t n, size_t *len)
{
    uint32_t cp;
    size_t k = u8_decode(p, n, &cp);
    if (k == 0) {
        *len = 1;
        return 1;
    }
    *len = k;
    if (is_control(cp) || dangerous(cp, true) || bidi_control(cp))
        return 1;                   /* shown as U+FFFD by tty_text */
    int w = utf8_cp_width((int32_t)cp);
    return w < 0 ? 1 : (unsigned)w;
}

/* The padding that puts the caret under byte `from` .. `to` of the line, in
 * screen columns: `fill` once per column a character takes (none for a
 * combining mark, two for a wide one; bytes past the line end count one
 * each).  *col is the terminal column (from 0) reached so far; a tab moves
 * to the next multiple of 8, as a terminal does: ' ' pads it with a tab,
 * '~' underlines it. */
static void tty_pad(FILE *out, const unsigned char *p, uint32_t len,
                    uint32_t from, uint32_t to, char fill, unsigned *col)
{
    uint32_t i = from;
    while (i < to) {
        if (i >= len) {
            putc(fill, out);
            ++*col;
            i++;
            continue;
        }
        size_t n;
        unsigned cw;
        if (p[i] == '\t') {
            n = 1;
            cw = 8 - *col % 8;
            if (fill == ' ') {
                putc('\t', out);
                cw = 0;
                *col = (*col / 8 + 1) * 8;
            }
        } else {
            cw = tty_width(p + i, len - i, &n);
        }
        for (unsigned k = 0; k < cw; k++)
            putc(fill, out);
        *col += cw;
        i += (uint32_t)n;
    }
}

/* "   12 | source line" and "      | ^~~~" under it.  `end` is the byte
 * column after the range on the same line (0: a caret only). */
static void tty_snippet(struct output *w, const struct source *src,
                        struct pos pos, uint32_t endcol, unsigned indent)
{
    FILE *out = w->out;
    uint32_t len;
    const char *line = source_line(src, pos.line, &len);
    const unsigned char *p = (const unsigned char *)line;
    unsigned width = digits(pos.line) < 4 ? 4 : digits(pos.line);
    fprintf(out, "%*s%*u | ", (int)indent, "", (int)width, pos.line);
    tty_text(out, line, len, 1);
    fprintf(out, "\n%*s%*s | ", (int)indent, "", (int)width, "");
    unsigned col = indent + width + 3;
    uint32_t start = pos.col ? pos.col - 1 : 0;
    tty_pad(out, p, len, 0, start, ' ', &col);
    color_on(w, SGR_CARET);
    putc('^', out);
    col++;
    /* A tilde per further column of the range, up to the line end. */
    if (endcol > pos.col + 1 && start < len) {
        size_t n;
        unsigned cw = p[start] == '\t' ? 1 : tty_width(p + start, len - start, &n);
        if (p[start] == '\t')
            n = 1;
        for (unsigned k = 1; k < cw; k++, col++)
            putc('~', out);         /* the rest of a wide character */
        uint32_t first = start + (uint32_t)n;
        uint32_t stop = endcol - 1 < len ? endcol - 1 : len;
        if (first < stop)
            tty_pad(out, p, len, first, stop, '~', &col);
    }
    color_off(w);
    putc('\n', out);
}

static void tty_locus(struct output *w, const struct source *src, struct pos pos)
{
    color_on(w, SGR_BOLD);
    escaped_text(w->out, src->name, strlen(src->name), true);
    fprintf(w->out, ":%u:%u:", pos.line, out_col(w, src, pos.line, pos.col));
    color_off(w);
}

/* Does d have a fix that `ladder lint --fix` applies? */
static bool has_safe_fix(const struct diag_list *l, const struct diag *d)
{
    const struct fix *f = diag_fixes(l, d);
    return f && f->safe;
}

static void tty_diag(struct output *w, const struct diag_list *l,
                     const struct diag *d)
{
    FILE *out = w->out;
    tty_locus(w, d->src, d->pos);
    putc(' ', out);
    color_on(w, sev_color(d->severity));
    fprintf(out, "%s:", severity_name(d->severity));
    color_off(w);
    putc(' ', out);
    const char *msg = diag_text(l, d);
    escaped_text(out, msg, strlen(msg), true);
    fputs(" [", out);
    color_on(w, sev_color(d->severity));
    fputs(rule_table[d->rule].id, out);
    color_off(w);
    fputs(has_safe_fix(l, d) ? "] [--fix]\n" : "]\n", out);
    tty_snippet(w, d->src, d->pos, d->end_col, 0);
    for (const struct note *n = d->notes; n; n = n->link) {
        fputs("  ", out);
        tty_locus(w, n->src, n->pos);
        putc(' ', out);
        color_on(w, SGR_NOTE);
        fputs("note:", out);
        color_off(w);
        putc(' ', out);
        msg = diag_note_text(l, n);
        escaped_text(out, msg, strlen(msg), true);
        putc('\n', out);
        tty_snippet(w, n->src, n->pos, 0, 2);
    }
}


static void count(FILE *out, int *first, unsigned n, const char *what)
{
    if (!n)
        return;
    fprintf(out, "%s%u %s%s", *first ? "" : ", ", n, what, n == 1 ? "" : "s");
    *first = 0;
}

static void tty_summary(struct output *w)
{
    FILE *out = w->out;
    const struct output_totals *t = &w->t;
    color_on(w, SGR_BOLD);
    int first = 1;
    count(out, &first, t->errors, "error");
    count(out, &first, t->warnings, "warning");
    count(out, &first, t->notes, "note");
    if (first)
        fputs("no problems", out);
    fprintf(out, " in %u journal%s", t->journals, t->journals == 1 ? "" : "s");
    color_off(w);
    putc('\n', out);
}

/* --- json -------------------------------------------------------------------- */

/* {"description","edits":[EDIT]}: EDIT's positions in the column unit,
 * and byte offsets into the file as read. */
static void json_fix(struct output *w, const struct fix *f)
{
    FILE *out = w->out;
    putc('{', out);
    json_kv(out, "description", f->desc);
    fputs(",\"edits\":[", out);
    for (uint32_t k = 0; k < f->nedits; k++) {
        const struct edit *e = &f->edits[k];
        struct pos a = source_pos(e->src, e->start), b = source_pos(e->src, e->end);
        fputs(k ? ",{" : "{", out);
        json_kv(out, "file", e->src->name);
        fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u,"
                "\"offset\":%u,\"end_offset\":%u,\"text\":",
                a.line, out_col(w, e->src, a.line, a.col),
                b.line, out_col(w, e->src, b.line, b.col), e->start, e->end);
        output_json_string(out, e->text, e->len);
        putc('}', out);
    }
    fputs("]}", out);
}

static void json_diag(struct output *w, const struct diag_list *l,
                      const struct diag *d)
{
    FILE *out = w->out;
    fputs(w->emitted++ ? ",\n{" : "\n{", out);
    json_kv(out, "file", d->src->name);
    fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u,",
            d->pos.line, out_col(w, d->src, d->pos.line, d->pos.col),
            d->pos.line, out_col(w, d->src, d->pos.line, d->end_col));
    json_kv(out, "severity", severity_name(d->severity));
    putc(',', out);
    json_kv(out, "rule", rule_table[d->rule].id);
    putc(',', out);
    json_kv(out, "message", diag_text(l, d));
    fputs(",\"notes\":[", out);
    for (const struct note *n = d->notes; n; n = n->link) {
        putc('{', out);
        json_kv(out, "file", n->src->name);
        /* A note points at a position: its range is empty. */
        uint32_t col = out_col(w, n->src, n->pos.line, n->pos.col);
        fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u,",
                n->pos.line, col, n->pos.line, col);
        json_kv(out, "message", diag_note_text(l, n));
        fputs(n->link ? "}," : "}", out);
    }
    putc(']', out);
    bool sugg = false;
    for (const struct fix *f = diag_fixes(l, d); f; f = f->link) {
        if (f->safe) {
            fputs(",\"fix\":", out);
        } else {
            fputs(sugg ? "," : ",\"suggestions\":[", out);
            sugg = true;
        }
        json_fix(w, f);
    }
    fputs(sugg ? "]}" : "}", out);
}

/* Count the journal's diagnostics per file, for json's "files": every file
 * the journal read, clean ones too; a file two journals read is listed
 * once with both journals' counts. */
static void json_count_files(struct output *w, const struct journal *j)
{
    unsigned (*c)[3] = xmalloc(w->mem, ((size_t)j->nfiles + 1) * sizeof *c);
    memset(c, 0, ((size_t)j->nfiles + 1) * sizeof *c);
    for (uint32_t i = 0; i < j->diags.n; i++) {
        const struct diag *d = j->diags.v[i];
        if (d->severity != SEV_OFF && d->src->index < j->nfiles)
            c[d->src->index][SEV_ERROR - d->severity]++;
    }
    for (uint32_t f = 0; f < j->nfiles; f++) {
        const char *name = j->files[f]->src->name;
        size_t k = 0;
        while (k < w->nfiles && strcmp(w->files[k].name, name) != 0)
            k++;
        if (k == w->nfiles) {
            if (w->nfiles == w->capfiles) {
                w->capfiles = w->capfiles ? 2 * w->capfiles : 16;
                w->files = xrealloc(w->mem, w->files, w->capfiles * sizeof *w->files);
            }
            size_t n = strlen(name) + 1;
            w->files[k] = (struct file_count){ memcpy(xmalloc(w->mem, n), name, n), 0, 0, 0 };
            w->nfiles++;
        }
        w->files[k].errors += c[f][0];
        w->files[k].warnings += c[f][1];
        w->files[k].notes += c[f][2];
    }
    xfree(w->mem, c);
}

static void json_end(struct output *w)
{
    FILE *out = w->out;
    fputs(w->emitted ? "\n],\n\"files\":[" : "],\n\"files\":[", out);
    for (size_t k = 0; k < w->nfiles; k++) {
        fputs(k ? ",\n{" : "\n{", out);
        json_kv(out, "file", w->files[k].name);
        fprintf(out, ",\"errors\":%u,\"warnings\":%u,\"notes\":%u}",
                w->files[k].errors, w->files[k].warnings, w->files[k].notes);
    }
    fputs(w->nfiles ? "\n]}\n" : "]}\n", out);
}

/* --- sarif ------------------------------------------------------------------- */

static const char *sarif_level(enum severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_NOTE: return "note";
    case SEV_OFF: break;
    }
    return "none";
}

/* The first paragraph of an explanation, its lines joined by spaces. */
static void json_paragraph(struct mem *m, FILE *out, const char *s)
{
    const char *e = strstr(s, "\n\n");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    while (n && s[n - 1] == '\n')
        n--;
    char *b = xmalloc(m, n + 1);
    for (size_t i = 0; i < n; i++)
        b[i] = s[i] == '\n' ? ' ' : s[i];
    output_json_string(out, b, n);
    xfree(m, b);
}

/* An explanation as Markdown, for GitHub's rule help: runs of lines
 * indented by four spaces (the examples) become fenced code blocks, set
 * off by blank lines (an indented block cannot interrupt a paragraph);
 * the rest is already Markdown (`code` in backquotes, blank lines between
 * paragraphs). */
static void json_markdown(struct mem *m, FILE *out, const char *s)
{
    size_t cap = 2 * strlen(s) + 64, n = 0;
    char *b = xmalloc(m, cap);
    bool code = false;
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        bool indented = len >= 4 && !memcmp(p, "    ", 4);
        if (cap - n < len + 32) {           /* a fence and the line fit */
            cap = 2 * cap + len + 32;
            b = xrealloc(m, b, cap);
        }
        if (indented != code) {
            const char *fence = indented ? "\n```text\n" : "```\n\n";
            if (indented && n > 0 && b[n - 1] == '\n' && n > 1 && b[n - 2] == '\n')
                fence = "```text\n";       /* a blank line is there already */
            size_t fl = strlen(fence);
            memcpy(b + n, fence, fl);
            n += fl;
            code = indented;
            if (!indented && len == 0) {    /* the blank line after the block */
                p = e ? e + 1 : p + len;
                continue;
            }
        }
        if (indented) {
            p += 4;
            len -= 4;
        }
        memcpy(b + n, p, len);
        n += len;
        b[n++] = '\n';
        p += len + (e != NULL);
    }
    if (code) {
        memcpy(b + n, "```\n", 4);
        n += 4;
    }
    while (n > 0 && b[n - 1] == '\n')
        n--;
    output_json_string(out, b, n);
    xfree(m, b);
}

static void sarif_begin(struct output *w)
{
    FILE *out = w->out;
    fputs("{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\",\"runs\":[{\n"
          "\"tool\":{\"driver\":{\"name\":\"ladder\",\"version\":", out);
    json_str(out, LADDER_VERSION);
    fputs(",\"semanticVersion\":", out);
    json_str(out, LADDER_VERSION);
#ifdef LADDER_HOMEPAGE
    fputs(",\"informationUri\":", out);
    json_str(out, LADDER_HOMEPAGE);
#endif
    fputs(",\"rules\":[", out);
    for (int r = 0; r < R_COUNT; r++) {
        const struct rule_info *ri = &rule_table[r];
        fputs(r ? ",\n{" : "\n{", out);
        json_kv(out, "id", ri->id);
        fputs(",\"shortDescription\":{", out);
        json_kv(out, "text", ri->summary);
        fputs("},\"fullDescription\":{\"text\":", out);
        json_paragraph(w->mem, out, ri->explain ? ri->explain : ri->summary);
        fputs("},\"help\":{", out);
        json_kv(out, "text", ri->explain ? ri->explain : ri->summary);
        fputs(",\"markdown\":", out);
        json_markdown(w->mem, out, ri->explain ? ri->explain : ri->summary);
        fprintf(out, "},\"defaultConfiguration\":{\"enabled\":%s,\"level\":\"%s\"}}",
                ri->severity == SEV_OFF ? "false" : "true",
                sarif_level(ri->severity));
    }
    fputs("]}},\n", out);
    if (w->cwd) {
        char *root = output_relative_uri(w->mem, w->cwd, NULL);
        fprintf(out, "\"originalUriBaseIds\":{\"%%SRCROOT%%\":{\"uri\":\"file://%s%s\"}},\n",
                root, strcmp(root, "/") ? "/" : "");
        xfree(w->mem, root);
    }
    fputs("\"columnKind\":\"utf16CodeUnits\",\n\"results\":[", out);
}

/* The URI of a file: relative to %SRCROOT% (the current folder) when the
 * file is inside it (*based), else an absolute file: URI; relative without
 * a base when the current folder is unknown. */
static char *sarif_uri(const struct output *w, const char *name, bool *based)
{
    *based = false;
    if (!w->cwd)
        return output_relative_uri(w->mem, name, NULL);
    char *rel = output_relative_uri(w->mem, name, w->cwd);
    if (strcmp(rel, "..") != 0 && strncmp(rel, "../", 3) != 0) {
        *based = true;
        return rel;
    }
    xfree(w->mem, rel);
    size_t nc = strlen(w->cwd), nn = strlen(name);
    char *abs = xmalloc(w->mem, nc + nn + 2);
    if (name[0] == '/') {
        memcpy(abs, name, nn + 1);
    } else {
        memcpy(abs, w->cwd, nc);
        abs[nc] = '/';
        memcpy(abs + nc + 1, name, nn + 1);
    }
    char *path = output_relative_uri(w->mem, abs, NULL);    /* "/a/b", encoded */
    xfree(w->mem, abs);
    char *uri = xmalloc(w->mem, strlen(path) + 8);
    strcpy(uri, "file://");
    strcat(uri, path);
    xfree(w->mem, path);
    return uri;
}

/* "physicalLocation":{"artifactLocation":{...} -- left open for a region. */
static void sarif_artifact(struct output *w, const char *uri, bool based)
{
    FILE *out = w->out;
    fputs("\"physicalLocation\":{\"artifactLocation\":{", out);
    json_kv(out, "uri", uri);
    if (based)
        fputs(",\"uriBaseId\":\"%SRCROOT%\"", out);
}

static void sarif_location(struct output *w, const struct source *src,
                           struct pos pos, struct pos end)
{
    FILE *out = w->out;
    if (w->uri_src != src) {                /* consecutive results share it */
        xfree(w->mem, w->uri);
        w->uri = sarif_uri(w, src->name, &w->uri_based);
        w->uri_src = src;
    }
    sarif_artifact(w, w->uri, w->uri_based);
    fprintf(out, "},\"region\":{\"startLine\":%u,\"startColumn\":%u",
            pos.line, utf16_col(src, pos.line, pos.col));
    if (end.line)
        fprintf(out, ",\"endLine\":%u,\"endColumn\":%u", end.line,
                utf16_col(src, end.line, end.col));
    fputs("}}", out);
}

/* The client of the entry a diagnostic stands in (its name as declared,
 * so that an alias and the name give the same), or "" outside entries. */
static const char *diag_client(const struct journal *j, const struct diag *d)
{
    const struct source *src = d->src;
    if (src->index >= j->nfiles || j->files[src->index]->src != src ||
        d->pos.line == 0 || d->pos.line > src->nlines)
        return "";
    const struct file *f = j->files[src->index];
    uint32_t off = source_line_offset(src, d->pos.line) + (d->pos.col ? d->pos.col - 1 : 0);
    /* The last node starting at or before off. */
    uint32_t lo = 0, hi = f->nnodes;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t start = f->node_kind[mid] == BK_ENTRY
                       ? ((const struct entry *)f->node[mid])->at.start
                       : ((const struct block *)f->node[mid])->at.start;
        if (start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || f->node_kind[lo - 1] != BK_ENTRY)
        return "";
    const struct entry *e = f->node[lo - 1];
    uint32_t end = e->at.end;
    if (e->nitems && e->items[e->nitems - 1].at.end > end)
        end = e->items[e->nitems - 1].at.end;
    if (off > end || !e->who || !e->who->name)
        return "";
    return e->who->name;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001B3u;
    return h;
}

/* The n-th result with this hash in the journal (from 1): identical lines
 * of one client and rule are told apart by their order, as GitHub's own
 * line hashes are. */
static unsigned fp_occurrence(struct output *w, uint64_t h)
{
    if ((w->fpn + 1) * 2 > w->fpcap) {
        size_t ncap = w->fpcap ? 2 * w->fpcap : 64;
        struct fp_slot *nv = xmalloc(w->mem, ncap * sizeof *nv);
        memset(nv, 0, ncap * sizeof *nv);
        for (size_t i = 0; i < w->fpcap; i++) {
            if (!w->fp[i].used)
                continue;
            size_t k = (size_t)w->fp[i].hash & (ncap - 1);
            while (nv[k].used)
                k = (k + 1) & (ncap - 1);
            nv[k] = w->fp[i];
        }
        xfree(w->mem, w->fp);
        w->fp = nv;
        w->fpcap = ncap;
    }
    size_t k = (size_t)h & (w->fpcap - 1);
    while (w->fp[k].used && w->fp[k].hash != h)
        k = (k + 1) & (w->fpcap - 1);
    if (!w->fp[k].used) {
        w->fp[k] = (struct fp_slot){ h, 0, true };
        w->fpn++;
    }
    return ++w->fp[k].count;
}

/* "partialFingerprints": a hash of the rule, the client and the text of the
 * line (blanks around it trimmed), not of its number, so that an alert
 * keeps its identity when lines are added or removed above it; after the
 * colon, which of the identical ones in its file it is (code scanning
 * matches fingerprints within a file and rule). */
static void sarif_fingerprint(struct output *w, const struct journal *j,
                              const struct diag *d)
{
    const char *rule = rule_table[d->rule].id, *client = diag_client(j, d);
    uint32_t len;
    const char *line = source_line(d->src, d->pos.line, &len);
    while (len && (line[0] == ' ' || line[0] == '\t')) {
        line++;
        len--;
    }
    while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
                   line[len - 1] == '\r'))
        len--;
    uint64_t h = 0xCBF29CE484222325u;
    h = fnv1a(h, rule, strlen(rule) + 1);
    h = fnv1a(h, client, strlen(client) + 1);
    h = fnv1a(h, line, len);
    fprintf(w->out, ",\"partialFingerprints\":{\"ladderLineHash/v1\":\"%016llx:%u\"}",
            (unsigned long long)h,
            fp_occurrence(w, fnv1a(h, &d->src->index, sizeof d->src->index)));
}

static void sarif_diag(struct output *w, const struct journal *j,
                       const struct diag *d)
{
    const struct diag_list *l = &j->diags;
    FILE *out = w->out;
    fputs(w->emitted++ ? ",\n{" : "\n{", out);
    json_kv(out, "ruleId", rule_table[d->rule].id);
    fprintf(out, ",\"ruleIndex\":%d,\"level\":\"%s\",\"message\":{",
            (int)d->rule, sarif_level(d->severity));
    json_kv(out, "text", diag_text(l, d));
    fputs("},\"locations\":[{", out);
    sarif_location(w, d->src, d->pos, (struct pos){ d->pos.line, d->end_col });
    fputs("}]", out);
    sarif_fingerprint(w, j, d);
    if (d->notes) {
        fputs(",\"relatedLocations\":[", out);
        int id = 1;
        for (const struct note *n = d->notes; n; n = n->link, id++) {
            fprintf(out, "%s{\"id\":%d,", id > 1 ? "," : "", id);
            sarif_location(w, n->src, n->pos, (struct pos){ 0, 0 });
            fputs(",\"message\":{", out);
            json_kv(out, "text", diag_note_text(l, n));
            fputs("}}", out);
        }
        putc(']', out);
    }
    if (diag_fixes(l, d)) {
        /* Safe fix first, then the suggestions: artifactChanges with
         * replacements, regions in UTF-16 columns as the locations. */
        fputs(",\"fixes\":[", out);
        for (const struct fix *f = diag_fixes(l, d); f; f = f->link) {
            fputs("{\"description\":{", out);
            json_kv(out, "text", f->desc);
            fputs("},\"artifactChanges\":[", out);
            for (uint32_t k = 0; k < f->nedits; k++) {
                const struct edit *e = &f->edits[k];
                bool first = k == 0 || f->edits[k - 1].src != e->src;
                if (first) {
                    bool based;
                    char *uri = sarif_uri(w, e->src->name, &based);
                    fputs(k ? "]},{\"artifactLocation\":{" : "{\"artifactLocation\":{", out);
                    json_kv(out, "uri", uri);
                    if (based)
                        fputs(",\"uriBaseId\":\"%SRCROOT%\"", out);
                    fputs("},\"replacements\":[", out);
                    xfree(w->mem, uri);
                } else {
                    putc(',', out);
                }
                struct pos a = source_pos(e->src, e->start), b = source_pos(e->src, e->end);
                fprintf(out, "{\"deletedRegion\":{\"startLine\":%u,\"startColumn\":%u,"
                        "\"endLine\":%u,\"endColumn\":%u},\"insertedContent\":{\"text\":",
                        a.line, utf16_col(e->src, a.line, a.col),
                        b.line, utf16_col(e->src, b.line, b.col));
                output_json_string(out, e->text, e->len);
                fputs("}}", out);
            }
            fputs(f->nedits ? "]}]}" : "]}", out);
            if (f->link)
                putc(',', out);
        }
        putc(']', out);
    }
    putc('}', out);
}

/* --- the driver -------------------------------------------------------------- */

struct output *output_begin(struct mem *m, FILE *out, const struct output_opts *o)
{
    struct output *w = xmalloc(m, sizeof *w);
    memset(w, 0, sizeof *w);
    w->mem = m;
    w->out = out;
    w->o = *o;
    w->t = (struct output_totals){ 0, 0, 0, 0 };
    w->emitted = 0;
    w->cwd = NULL;
    w->uri_src = NULL;
    w->uri = NULL;
    w->final = NULL;
    w->doc = NULL;
    w->doclen = w->doccap = 0;
    if (o->format == FMT_SARIF)
        w->cwd = current_folder(m);
    if (o->format == FMT_JSON || o->format == FMT_SARIF) {
        static const cookie_io_functions_t io = { NULL, doc_write, NULL, NULL };
        w->final = out;
        w->out = fopencookie(w, "w", io);
        if (!w->out) {
            w->out = out;
            oom(m);
        }
        out = w->out;
    }
    switch (o->format) {
    case FMT_JSON:
        fprintf(out, "{\"version\":1,\"column_unit\":\"%s\",\"diagnostics\":[",
                o->unit == UTF8_CHARS ? "char" : o->unit == UTF8_DISPLAY ? "display"
                                                                       : "byte");
        break;
    case FMT_SARIF:
        DOC_GUARD(w, sarif_begin(w));
        break;
    case FMT_GCC:
    case FMT_TTY:
        break;
    }
    return w;
}

static void journal_diags(struct output *w, const struct journal *j);

void output_journal(struct output *w, const struct journal *j)
{
    if (w->final)
        DOC_GUARD(w, journal_diags(w, j));
    else
        journal_diags(w, j);
}

static void journal_diags(struct output *w, const struct journal *j)
{
    w->t.journals++;
    for (uint32_t i = 0; i < j->diags.n; i++) {
        const struct diag *d = j->diags.v[i];
        switch (d->severity) {
        case SEV_ERROR: w->t.errors++; break;
        case SEV_WARNING: w->t.warnings++; break;
        case SEV_NOTE: w->t.notes++; break;
        case SEV_OFF: continue;
        }
        if (w->o.quiet && d->severity != SEV_ERROR)
            continue;
        switch (w->o.format) {
        case FMT_GCC: gcc_diag(w, &j->diags, d); break;
        case FMT_TTY: tty_diag(w, &j->diags, d); break;
        case FMT_JSON: json_diag(w, &j->diags, d); break;
        case FMT_SARIF: sarif_diag(w, j, d); break;
        }
    }
    if (w->o.format == FMT_JSON)
        json_count_files(w, j);
    w->uri_src = NULL;      /* the journal's sources are freed after this */
    if (w->fpn) {           /* occurrences count within a journal's files */
        memset(w->fp, 0, w->fpcap * sizeof *w->fp);
        w->fpn = 0;
    }
}

void output_unreadable(struct output *w, const char *name, const char *err)
{
    if (w->o.format != FMT_SARIF)
        return;
    if (w->nbad == w->capbad) {
        w->capbad = w->capbad ? 2 * w->capbad : 4;
        w->bad = xrealloc(w->mem, w->bad, w->capbad * sizeof *w->bad);
    }
    size_t ne = strlen(err) + 1, nn = name ? strlen(name) + 1 : 0;
    w->bad[w->nbad].err = memcpy(xmalloc(w->mem, ne), err, ne);
    w->bad[w->nbad].name = name ? memcpy(xmalloc(w->mem, nn), name, nn) : NULL;
    w->nbad++;
}

/* "invocations": whether every named file was read, and a notification
 * for each one that was not. */
static void sarif_end(struct output *w)
{
    FILE *out = w->out;
    fputs(w->emitted ? "\n],\n" : "],\n", out);
    fprintf(out, "\"invocations\":[{\"executionSuccessful\":%s",
            w->nbad ? "false" : "true");
    if (w->nbad) {
        fputs(",\"toolExecutionNotifications\":[", out);
        for (size_t k = 0; k < w->nbad; k++) {
            const char *name = w->bad[k].name ? w->bad[k].name : "standard input";
            size_t n = strlen(name) + strlen(w->bad[k].err) + 16;
            char *msg = xmalloc(w->mem, n);
            snprintf(msg, n, "cannot read %s: %s", name, w->bad[k].err);
            fputs(k ? ",\n{" : "\n{", out);
            fputs("\"level\":\"error\",\"message\":{\"text\":", out);
            json_str(out, msg);
            xfree(w->mem, msg);
            putc('}', out);
            if (w->bad[k].name) {
                bool based;
                char *uri = sarif_uri(w, w->bad[k].name, &based);
                fputs(",\"locations\":[{", out);
                sarif_artifact(w, uri, based);
                fputs("}}}]", out);
                xfree(w->mem, uri);
            }
            putc('}', out);
        }
        putc(']', out);
    }
    fputs("}]}]}\n", out);
}

void output_abort(struct output *w)
{
    doc_drop(w);
}

void output_end(struct output *w, struct output_totals *totals)
{
    switch (w->o.format) {
    case FMT_JSON:
        json_end(w);
        break;
    case FMT_SARIF:
        sarif_end(w);
        break;
    case FMT_TTY:
        if (!w->o.quiet)
            tty_summary(w);
        break;
    case FMT_GCC:
        break;
    }
    if (totals)
        *totals = w->t;
    if (w->final) {
        /* The whole document, at once. */
        int bad = ferror(w->out);   /* a write that failed, then others */
        bad |= fclose(w->out) != 0;
        w->out = w->final;
        if (bad)
            oom(w->mem);
        fwrite(w->doc, 1, w->doclen, w->final);
        xfree(w->mem, w->doc);
        w->doc = NULL;
    }
    fflush(w->out);
    struct mem *m = w->mem;
    xfree(m, w->cwd);
    xfree(m, w->uri);
    for (size_t k = 0; k < w->nfiles; k++)
        xfree(m, w->files[k].name);
    xfree(m, w->files);
    for (size_t k = 0; k < w->nbad; k++) {
        xfree(m, w->bad[k].name);
        xfree(m, w->bad[k].err);
    }
    xfree(m, w->bad);
    xfree(m, w->fp);
    xfree(m, w);
}
