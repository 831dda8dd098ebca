/* output.c - rendering diagnostics: gcc, tty, json and sarif.
 *
 * Diagnostics arrive per journal, already sorted and filtered by
 * diag_finish(); this module only counts and renders them.  json and sarif
 * stream one document over the whole run: output_begin() opens it,
 * output_journal() appends results, output_end() closes it.
 */
#include "output.h"
#include "arena.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LADDER_VERSION
#define LADDER_VERSION "0.0.0"
#endif
/* The project's home page, for SARIF's informationUri. */
#ifndef LADDER_HOMEPAGE
#define LADDER_HOMEPAGE "https://github.com/ladder-lint/ladder"
#endif

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

struct output {
    FILE *out;
    struct output_opts o;
    struct output_totals t;
    unsigned emitted;               /* json/sarif: results written so far */
    char *cwd;                      /* sarif: the current folder, or NULL */
    const struct source *uri_src;   /* sarif: the source whose URI is in uri */
    char *uri;
};

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

char *output_relative_uri(const char *path, const char *cwd)
{
    int absolute = path[0] == '/';
    size_t ncwd_max = cwd ? count_segments(cwd) : 0;
    struct seg *base = xmalloc(ncwd_max * sizeof *base + 1);
    struct seg *v = xmalloc((ncwd_max + count_segments(path)) * sizeof *v);
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
    char *r = xmalloc(size), *o = r;
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
    free(base);
    free(v);
    return r;
}

static char *current_folder(void)
{
    size_t cap = 256;
    for (;;) {
        char *b = xmalloc(cap);
        if (getcwd(b, cap))
            return b;
        free(b);
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

/* --- gcc --------------------------------------------------------------------- */

static void gcc_diag(FILE *out, const struct diag_list *l, const struct diag *d)
{
    fprintf(out, "%s:%u:%u: %s: %s [%s]\n", d->src->name, d->pos.line,
            d->pos.col, severity_name(d->severity), diag_text(l, d),
            rule_table[d->rule].id);
    for (const struct note *n = d->notes; n; n = n->link)
        fprintf(out, "%s:%u:%u: note: %s\n", n->src->name, n->pos.line,
                n->pos.col, diag_note_text(l, n));
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

/* Text for a terminal: invalid UTF-8 and control characters (tabs too when
 * !keep_tabs) become U+FFFD. */
static void tty_text(FILE *out, const char *s, size_t n, int keep_tabs)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = u8_decode(p + i, n - i, &cp);
        if (len == 0 || (is_control(cp) && !(keep_tabs && cp == '\t'))) {
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

/* The padding that puts the caret under byte `from` .. `to` of the line:
 * a tab for a tab, one space for any other character (one per invalid byte,
 * as tty_text shows one U+FFFD for it; bytes past the line end count one
 * each).  `fill` '~' underlines instead. */
static void tty_pad(FILE *out, const unsigned char *p, uint32_t len,
                    uint32_t from, uint32_t to, char fill)
{
    uint32_t i = from;
    while (i < to) {
        uint32_t cp;
        size_t n = i < len ? u8_decode(p + i, len - i, &cp) : 0;
        if (n == 0)
            n = 1;
        putc(i < len && p[i] == '\t' && fill == ' ' ? '\t' : fill, out);
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
    uint32_t start = pos.col ? pos.col - 1 : 0;
    tty_pad(out, p, len, 0, start, ' ');
    color_on(w, SGR_CARET);
    putc('^', out);
    /* One tilde per further character of the range, up to the line end. */
    if (endcol > pos.col + 1 && start < len) {
        uint32_t cp;
        size_t n = u8_decode(p + start, len - start, &cp);
        uint32_t first = start + (uint32_t)(n ? n : 1);
        uint32_t stop = endcol - 1 < len ? endcol - 1 : len;
        if (first < stop)
            tty_pad(out, p, len, first, stop, '~');
    }
    color_off(w);
    putc('\n', out);
}

static void tty_locus(struct output *w, const struct source *src, struct pos pos)
{
    color_on(w, SGR_BOLD);
    tty_text(w->out, src->name, strlen(src->name), 0);
    fprintf(w->out, ":%u:%u:", pos.line, pos.col);
    color_off(w);
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
    tty_text(out, msg, strlen(msg), 0);
    fputs(" [", out);
    color_on(w, sev_color(d->severity));
    fputs(rule_table[d->rule].id, out);
    color_off(w);
    fputs("]\n", out);
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
        tty_text(out, msg, strlen(msg), 0);
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

static void json_diag(struct output *w, const struct diag_list *l,
                      const struct diag *d)
{
    FILE *out = w->out;
    fputs(w->emitted++ ? ",\n{" : "\n{", out);
    json_kv(out, "file", d->src->name);
    fprintf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u,",
            d->pos.line, d->pos.col, d->pos.line, d->end_col);
    json_kv(out, "severity", severity_name(d->severity));
    putc(',', out);
    json_kv(out, "rule", rule_table[d->rule].id);
    putc(',', out);
    json_kv(out, "message", diag_text(l, d));
    fputs(",\"notes\":[", out);
    for (const struct note *n = d->notes; n; n = n->link) {
        putc('{', out);
        json_kv(out, "file", n->src->name);
        fprintf(out, ",\"line\":%u,\"column\":%u,", n->pos.line, n->pos.col);
        json_kv(out, "message", diag_note_text(l, n));
        fputs(n->link ? "}," : "}", out);
    }
    fputs("]}", out);
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
static void json_paragraph(FILE *out, const char *s)
{
    const char *e = strstr(s, "\n\n");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    while (n && s[n - 1] == '\n')
        n--;
    char *b = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        b[i] = s[i] == '\n' ? ' ' : s[i];
    output_json_string(out, b, n);
    free(b);
}

static void sarif_begin(struct output *w)
{
    FILE *out = w->out;
    fputs("{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\",\"runs\":[{\n"
          "\"tool\":{\"driver\":{\"name\":\"ladder\",\"version\":", out);
    json_str(out, LADDER_VERSION);
    fputs(",\"semanticVersion\":", out);
    json_str(out, LADDER_VERSION);
    fputs(",\"informationUri\":", out);
    json_str(out, LADDER_HOMEPAGE);
    fputs(",\"rules\":[", out);
    for (int r = 0; r < R_COUNT; r++) {
        const struct rule_info *ri = &rule_table[r];
        fputs(r ? ",\n{" : "\n{", out);
        json_kv(out, "id", ri->id);
        fputs(",\"shortDescription\":{", out);
        json_kv(out, "text", ri->summary);
        fputs("},\"fullDescription\":{\"text\":", out);
        json_paragraph(out, ri->explain ? ri->explain : ri->summary);
        fputs("},\"help\":{", out);
        json_kv(out, "text", ri->explain ? ri->explain : ri->summary);
        fprintf(out, "},\"defaultConfiguration\":{\"enabled\":%s,\"level\":\"%s\"}}",
                ri->severity == SEV_OFF ? "false" : "true",
                sarif_level(ri->severity));
    }
    fputs("]}},\n", out);
    if (w->cwd) {
        char *root = output_relative_uri(w->cwd, NULL);
        fprintf(out, "\"originalUriBaseIds\":{\"%%SRCROOT%%\":{\"uri\":\"file://%s%s\"}},\n",
                root, strcmp(root, "/") ? "/" : "");
        free(root);
    }
    fputs("\"columnKind\":\"utf16CodeUnits\",\n\"results\":[", out);
}

static void sarif_location(struct output *w, const struct source *src,
                           struct pos pos, struct pos end)
{
    FILE *out = w->out;
    if (w->uri_src != src) {                /* consecutive results share it */
        free(w->uri);
        w->uri = output_relative_uri(src->name, w->cwd);
        w->uri_src = src;
    }
    fputs("\"physicalLocation\":{\"artifactLocation\":{", out);
    json_kv(out, "uri", w->uri);
    if (w->cwd)
        fputs(",\"uriBaseId\":\"%SRCROOT%\"", out);
    fprintf(out, "},\"region\":{\"startLine\":%u,\"startColumn\":%u",
            pos.line, utf16_col(src, pos.line, pos.col));
    if (end.line)
        fprintf(out, ",\"endLine\":%u,\"endColumn\":%u", end.line,
                utf16_col(src, end.line, end.col));
    fputs("}}", out);
}

static void sarif_diag(struct output *w, const struct diag_list *l,
                       const struct diag *d)
{
    FILE *out = w->out;
    fputs(w->emitted++ ? ",\n{" : "\n{", out);
    json_kv(out, "ruleId", rule_table[d->rule].id);
    fprintf(out, ",\"ruleIndex\":%d,\"level\":\"%s\",\"message\":{",
            (int)d->rule, sarif_level(d->severity));
    json_kv(out, "text", diag_text(l, d));
    fputs("},\"locations\":[{", out);
    sarif_location(w, d->src, d->pos, (struct pos){ d->pos.line, d->end_col });
    fputs("}]", out);
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
    putc('}', out);
}

/* --- the driver -------------------------------------------------------------- */

struct output *output_begin(FILE *out, const struct output_opts *o)
{
    struct output *w = xmalloc(sizeof *w);
    w->out = out;
    w->o = *o;
    w->t = (struct output_totals){ 0, 0, 0, 0 };
    w->emitted = 0;
    w->cwd = NULL;
    w->uri_src = NULL;
    w->uri = NULL;
    switch (o->format) {
    case FMT_JSON:
        fputs("{\"version\":1,\"diagnostics\":[", out);
        break;
    case FMT_SARIF:
        w->cwd = current_folder();
        sarif_begin(w);
        break;
    case FMT_GCC:
    case FMT_TTY:
        break;
    }
    return w;
}

void output_journal(struct output *w, const struct journal *j)
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
        case FMT_GCC: gcc_diag(w->out, &j->diags, d); break;
        case FMT_TTY: tty_diag(w, &j->diags, d); break;
        case FMT_JSON: json_diag(w, &j->diags, d); break;
        case FMT_SARIF: sarif_diag(w, &j->diags, d); break;
        }
    }
    w->uri_src = NULL;      /* the journal's sources are freed after this */
}

void output_end(struct output *w, struct output_totals *totals)
{
    switch (w->o.format) {
    case FMT_JSON:
        fputs(w->emitted ? "\n]}\n" : "]}\n", w->out);
        break;
    case FMT_SARIF:
        fputs(w->emitted ? "\n]}]}\n" : "]}]}\n", w->out);
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
    fflush(w->out);
    free(w->cwd);
    free(w->uri);
    free(w);
}
