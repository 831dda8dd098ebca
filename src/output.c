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

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
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

/* Everything is rendered into one buffer, never through stdio's small one:
 *
 *   gcc and tty  a fixed buffer (OBUF_SIZE) handed to the FILE whenever it
 *                fills and at the end of every journal, so that few write(2)s
 *                carry the output and messages on standard error between
 *                journals stay in order;
 *   json, sarif  the whole document, which grows in memory and is written
 *                in output_end: a run that stops half-way (out of memory)
 *                writes none of it.
 *
 * A write error stays on the FILE (ferror), where the caller looks. */
#define OBUF_SIZE (128 * 1024)

struct obuf {
    char *p;
    size_t len, cap;
    FILE *f;                        /* flushed to it when full; NULL: grows */
    struct mem *mem;                /* p comes from it */
};

struct output {
    struct mem *mem;
    FILE *out;
    struct obuf b;
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
};

/* --- the buffer ---------------------------------------------------------------- */

static void ob_flush(struct obuf *b)
{
    if (b->f && b->len) {
        fwrite(b->p, 1, b->len, b->f);
        b->len = 0;
    }
}

/* Make room for n more bytes: flush (a fixed buffer; n <= cap) or grow. */
static void ob_room_slow(struct obuf *b, size_t n)
{
    if (b->f) {
        ob_flush(b);
        return;
    }
    if (n > SIZE_MAX / 4 - b->len)
        oom(b->mem);
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < n)
        cap *= 2;
    b->p = xrealloc(b->mem, b->p, cap);
    b->cap = cap;
}

/* Room for n (small) bytes at b->p + b->len. */
static inline char *ob_room(struct obuf *b, size_t n)
{
    if (b->cap - b->len < n)
        ob_room_slow(b, n);
    return b->p + b->len;
}

/* n (at least 1) bytes that do not fit in what is left of b. */
static void ob_put_slow(struct obuf *b, const void *s, size_t n)
{
    if (b->f && n > b->cap / 2) {       /* big: straight to the FILE */
        ob_flush(b);
        fwrite(s, 1, n, b->f);
        return;
    }
    ob_room_slow(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* Inline: most pieces are a few bytes, often of a known length. */
static inline void ob_put(struct obuf *b, const void *s, size_t n)
{
    if (!n)
        return;
    if (b->cap - b->len < n) {
        ob_put_slow(b, s, n);
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static inline void ob_putc(struct obuf *b, char c)
{
    *ob_room(b, 1) = c;
    b->len++;
}

static inline void ob_puts(struct obuf *b, const char *s)
{
    ob_put(b, s, strlen(s));
}

/* n copies of c. */
static void ob_fill(struct obuf *b, char c, size_t n)
{
    while (n) {
        size_t k = n < 256 ? n : 256;
        memset(ob_room(b, k), c, k);
        b->len += k;
        n -= k;
    }
}

/* Two digits a division: line and column numbers are on every line of
 * gcc's output. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static void ob_u32(struct obuf *b, uint32_t v)
{
    size_t n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4
             : v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7
             : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
    char *e = ob_room(b, 10) + n;       /* written from its last digit */
    b->len += n;
    while (v >= 100) {
        e -= 2;
        memcpy(e, digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(e - 2, digit_pairs + 2 * v, 2);
    else
        e[-1] = (char)('0' + v);
}

static void ob_printf(struct obuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* For the rare and long-winded lines only: the hot paths put their pieces. */
static void ob_printf(struct obuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        ob_put(b, tmp, (size_t)n);
        return;
    }
    char *big = xmalloc(b->mem, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ob_put(b, big, (size_t)n);
    xfree(b->mem, big);
}

/* The length of the run at p[0..n) of bytes that need no escaping in any
 * form: printable ASCII (0x20-0x7E), but '"' and '\\' too when `json`.
 * Eight bytes at a time. */
static size_t plain_run(const unsigned char *p, size_t n, bool json)
{
    if (!json)
        return utf8_printable_prefix((const char *)p, n);
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        /* a byte below 0x20, above 0x7E, a quote or a backslash */
        uint64_t q = x ^ (ones * '"'), s = x ^ (ones * '\\');
        uint64_t hit = ((x - ones * 0x20) & ~x) | (x + ones) | x |
                       ((q - ones) & ~q) | ((s - ones) & ~s);
        if (hit & highs)
            break;
    }
    for (; i < n; i++)
        if (p[i] < 0x20 || p[i] > 0x7E || p[i] == '"' || p[i] == '\\')
            break;
    return i;
}

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
static void escaped_text(struct obuf *out, const char *s, size_t n, bool invisible)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0;                 /* p[run, i) is written as it is */
    for (size_t i = 0; i < n;) {
        i += plain_run(p + i, n - i, false);
        if (i == n)
            break;
        uint32_t cp = 0;
        size_t len = u8_decode(p + i, n - i, &cp);
        bool bad = len == 0 || dangerous(cp, invisible) || bidi_control(cp);
        if (!bad) {
            i += len;
            continue;
        }
        ob_put(out, p + run, i - run);
        if (len == 0 || cp < 0x80)
            ob_printf(out, "\\x%02x", p[i]);
        else
            ob_printf(out, "\\u%04x", (unsigned)cp);
        i += len ? len : 1;
        run = i;
    }
    ob_put(out, p + run, n - run);
}

/* A message just rendered into tb (diag_fmt_render_in): as it is when it
 * is plain, which is what escaped_text would find after looking. */
static void put_rendered(struct obuf *out, const struct diag_textbuf *tb,
                         const char *msg, bool invisible)
{
    if (tb->plain)
        ob_put(out, msg, tb->len);
    else
        escaped_text(out, msg, tb->len, invisible);
}

/* The same for diag_text and diag_note_text, in the list's buffer. */
static void put_message(struct obuf *out, const struct diag_list *l, const char *msg,
                       bool invisible)
{
    put_rendered(out, l->text, msg, invisible);
}

/* --- JSON -------------------------------------------------------------------- */

static void json_string(struct obuf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    ob_putc(out, '"');
    for (size_t i = 0; i < n;) {
        size_t k = plain_run(p + i, n - i, true);
        if (k) {
            ob_put(out, p + i, k);
            i += k;
            if (i == n)
                break;
        }
        uint32_t cp;
        size_t len = u8_decode(p + i, n - i, &cp);
        if (len == 0) {                     /* an invalid byte */
            ob_puts(out, "\\ufffd");
            i++;
            continue;
        }
        switch (cp) {
        case '"': ob_puts(out, "\\\""); break;
        case '\\': ob_puts(out, "\\\\"); break;
        case '\b': ob_puts(out, "\\b"); break;
        case '\f': ob_puts(out, "\\f"); break;
        case '\n': ob_puts(out, "\\n"); break;
        case '\r': ob_puts(out, "\\r"); break;
        case '\t': ob_puts(out, "\\t"); break;
        default:
            /* Controls, and the two line separators that JavaScript
             * source does not allow raw in a string. */
            if (is_control(cp) || cp == 0x2028 || cp == 0x2029)
                ob_printf(out, "\\u%04x", (unsigned)cp);
            else
                ob_put(out, p + i, len);
        }
        i += len;
    }
    ob_putc(out, '"');
}

void output_json_string(FILE *out, const char *s, size_t n)
{
    char buf[1024];
    struct obuf b = { buf, 0, sizeof buf, out, NULL };
    json_string(&b, s, n);
    ob_flush(&b);
}

static void json_str(struct obuf *out, const char *s)
{
    json_string(out, s, strlen(s));
}

/* "key":"value" */
static void json_kv(struct obuf *out, const char *key, const char *value)
{
    ob_putc(out, '"');
    ob_puts(out, key);
    ob_put(out, "\":", 2);
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

static void gcc_str(struct obuf *out, const char *s)
{
    escaped_text(out, s, strlen(s), false);
}

/* A source's name, on every line: as it is when it is printable ASCII
 * (known from when the source was made), else escaped. */
static void gcc_name(struct obuf *out, const struct source *src)
{
    if (src->name_plain)
        ob_put(out, src->name, src->name_len);
    else
        gcc_str(out, src->name);
}

/* ":LINE:COL:" */
static void put_locus(struct obuf *out, uint32_t line, uint32_t col)
{
    ob_putc(out, ':');
    ob_u32(out, line);
    ob_putc(out, ':');
    ob_u32(out, col);
    ob_putc(out, ':');
}

/* A diagnostic and its notes into out, their messages formatted in tb
 * (whose text grows from tm): the list's own buffer, or a thread's
 * (gcc_parallel). */
static void gcc_diag_in(const struct output *w, struct obuf *out,
                        struct diag_textbuf *tb, struct mem *tm,
                        const struct diag_list *l, const struct diag *d)
{
    const struct source *src = diag_src(l, d);
    struct pos p = diag_pos(l, d);
    gcc_name(out, src);
    put_locus(out, p.line, out_col(w, src, p.line, p.col));
    ob_putc(out, ' ');
    ob_puts(out, severity_name(d->severity));
    ob_put(out, ": ", 2);
    const char *msg = diag_fmt_render_in(tb, tm, diag_fmt(l, d), diag_args(d));
    put_rendered(out, tb, msg, false);
    ob_put(out, " [", 2);
    ob_puts(out, rule_table[d->rule].id);
    ob_put(out, "]\n", 2);
    for (const struct note *n = diag_notes(l, d); n; n = n->link) {
        gcc_name(out, n->src);
        put_locus(out, n->pos.line, out_col(w, n->src, n->pos.line, n->pos.col));
        ob_put(out, " note: ", 7);
        msg = diag_fmt_render_in(tb, tm, n->fmt, n->args);
        put_rendered(out, tb, msg, false);
        ob_putc(out, '\n');
    }
}

static void gcc_diag(struct output *w, const struct diag_list *l,
                     const struct diag *d)
{
    gcc_diag_in(w, &w->b, l->text, arena_mem(l->arena), l, d);
}

/* Is d printed (not off, and an error under -q)? */
static bool printed(const struct output *w, const struct diag *d)
{
    return d->severity != SEV_OFF && (!w->o.quiet || d->severity == SEV_ERROR);
}

/* d in the totals, printed or not. */
static void count_diag(struct output *w, const struct diag *d)
{
    switch (d->severity) {
    case SEV_ERROR: w->t.errors++; break;
    case SEV_WARNING: w->t.warnings++; break;
    case SEV_NOTE: w->t.notes++; break;
    case SEV_OFF: break;
    }
}

/* gcc over many diagnostics, on two threads: they go in blocks of
 * PAR_BLOCK, the even ones rendered by the caller straight into its
 * buffer, the odd ones by a helper into one of two buffers of its own,
 * which the caller writes in their turn.  The output is the one thread's,
 * byte for byte; memory grows by two blocks' text (docs/bench.md).  A
 * helper that cannot start or runs out of memory leaves its blocks to the
 * caller.  Only with byte columns: the others may read lines back from
 * the file (source_line), which is not for two threads. */
#define PAR_BLOCK 1024u
#define PAR_MIN_DEFAULT 16384u

struct par_slot {
    struct obuf b;                  /* grows; from the helper's memory */
    uint32_t blk;                   /* the block it holds, or UINT32_MAX */
};

struct par {
    const struct output *w;
    const struct diag_list *l;
    uint32_t nblk, blk;             /* blocks, diagnostics a block */
    struct mem *mem;                /* the helper's */
    struct diag_textbuf tb;         /* the helper's */
    struct par_slot slot[2];        /* odd block k goes in slot (k / 2) % 2 */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;                      /* the caller wants no more */
    bool failed;                    /* the helper stopped: out of memory */
};

static void par_block(const struct par *p, struct obuf *out,
                      struct diag_textbuf *tb, struct mem *tm, uint32_t k)
{
    const struct output *w = p->w;
    const struct diag_list *l = p->l;
    uint32_t begin = k * p->blk;
    uint32_t end = l->n - begin > p->blk ? begin + p->blk : l->n;
    for (uint32_t i = begin; i < end; i++)
        if (printed(w, l->v[i]))
            gcc_diag_in(w, out, tb, tm, l, l->v[i]);
}

static void *par_helper(void *arg)
{
    struct par *p = arg;
    jmp_buf fail;
    p->mem->fail = &fail;
    if (setjmp(fail)) {
        pthread_mutex_lock(&p->mu);
        p->failed = true;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        return NULL;
    }
    for (uint32_t k = 1; k < p->nblk; k += 2) {
        struct par_slot *s = &p->slot[(k / 2) % 2];
        pthread_mutex_lock(&p->mu);
        while (s->blk != UINT32_MAX && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        bool stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        s->b.len = 0;
        par_block(p, &s->b, &p->tb, p->mem, k);
        pthread_mutex_lock(&p->mu);
        s->blk = k;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

/* Stop the helper, wait for it, free what it had. */
static void par_end(struct par *p, pthread_t t)
{
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(t, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    mem_free(p->mem);               /* the slots' and tb's memory with it */
}

/* False when it cannot start (the caller renders alone).  Blocks are
 * PAR_BLOCK diagnostics, or `blk` when fewer (tests: a block of one). */
static bool gcc_parallel(struct output *w, const struct diag_list *l, uint32_t blk)
{
    struct par p;
    memset(&p, 0, sizeof p);
    p.w = w;
    p.l = l;
    p.blk = blk < PAR_BLOCK ? blk : PAR_BLOCK;
    p.nblk = (uint32_t)(((uint64_t)l->n + p.blk - 1) / p.blk);
    p.mem = mem_new(NULL);
    if (!p.mem)
        return false;
    for (int i = 0; i < 2; i++) {
        p.slot[i].b = (struct obuf){ NULL, 0, 0, NULL, p.mem };
        p.slot[i].blk = UINT32_MAX;
    }
    pthread_t t;
    if (pthread_mutex_init(&p.mu, NULL) != 0) {
        mem_free(p.mem);
        return false;
    }
    if (pthread_cond_init(&p.cv, NULL) != 0) {
        pthread_mutex_destroy(&p.mu);
        mem_free(p.mem);
        return false;
    }
    if (pthread_create(&t, NULL, par_helper, &p) != 0) {
        pthread_cond_destroy(&p.cv);
        pthread_mutex_destroy(&p.mu);
        mem_free(p.mem);
        return false;
    }
    /* Out of memory here: stop the helper before the entry point's
     * recovery frees what it reads. */
    struct mem *wm = w->mem, *lm = arena_mem(l->arena);
    jmp_buf local, *wout = wm->fail, *lout = lm->fail;
    if (setjmp(local)) {
        wm->fail = wout;
        lm->fail = lout;
        par_end(&p, t);
        oom(wm);
    }
    wm->fail = lm->fail = &local;
    for (uint32_t k = 0; k < p.nblk; k++) {
        if (k % 2 == 0) {
            par_block(&p, &w->b, l->text, lm, k);
            continue;
        }
        struct par_slot *s = &p.slot[(k / 2) % 2];
        pthread_mutex_lock(&p.mu);
        while (s->blk != k && !p.failed)
            pthread_cond_wait(&p.cv, &p.mu);
        bool mine = s->blk != k;    /* the helper has stopped short of it */
        pthread_mutex_unlock(&p.mu);
        if (mine) {
            par_block(&p, &w->b, l->text, lm, k);
            continue;
        }
        ob_put(&w->b, s->b.p, s->b.len);
        pthread_mutex_lock(&p.mu);
        s->blk = UINT32_MAX;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
    }
    wm->fail = wout;
    lm->fail = lout;
    par_end(&p, t);
    return true;
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

static void color_on(struct output *w, const char *sgr)
{
    if (w->o.color)
        ob_puts(&w->b, sgr);
}

static void color_off(struct output *w)
{
    if (w->o.color)
        ob_puts(&w->b, SGR_RESET);
}

/* A source line for a terminal: invalid UTF-8, control characters (tabs
 * too when !keep_tabs), bidi controls and zero-width characters become
 * U+FFFD, one column each, so that the caret below stays aligned. */
static void tty_text(struct obuf *out, const char *s, size_t n, int keep_tabs)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = plain_run(p + i, n - i, false);
        if (k) {
            ob_put(out, p + i, k);
            i += k;
            if (i == n)
                break;
        }
        uint32_t cp;
        size_t len = u8_decode(p + i, n - i, &cp);
        if (len == 0 || (is_control(cp) && !(keep_tabs && cp == '\t')) ||
            dangerous(cp, true) || bidi_control(cp)) {
            ob_puts(out, REPLACEMENT);
            i += len ? len : 1;
            continue;
        }
        ob_put(out, p + i, len);
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
static void tty_pad(struct obuf *out, const unsigned char *p, uint32_t len,
                    uint32_t from, uint32_t to, char fill, unsigned *col)
{
    uint32_t i = from;
    while (i < to) {
        if (i >= len) {
            ob_putc(out, fill);
            ++*col;
            i++;
            continue;
        }
        size_t n = plain_run(p + i, (to < len ? to : len) - i, false);
        if (n) {                    /* printable ASCII: a column a byte */
            ob_fill(out, fill, n);
            *col += (unsigned)n;
            i += (uint32_t)n;
            continue;
        }
        unsigned cw;
        if (p[i] == '\t') {
            n = 1;
            cw = 8 - *col % 8;
            if (fill == ' ') {
                ob_putc(out, '\t');
                cw = 0;
                *col = (*col / 8 + 1) * 8;
            }
        } else {
            cw = tty_width(p + i, len - i, &n);
        }
        for (unsigned k = 0; k < cw; k++)
            ob_putc(out, fill);
        *col += cw;
        i += (uint32_t)n;
    }
}

/* "   12 | source line" and "      | ^~~~" under it.  `end` is the byte
 * column after the range on the same line (0: a caret only). */
static void tty_snippet(struct output *w, const struct source *src,
                        struct pos pos, uint32_t endcol, unsigned indent)
{
    struct obuf *out = &w->b;
    uint32_t len;
    const char *line = source_line(src, pos.line, &len);
    const unsigned char *p = (const unsigned char *)line;
    unsigned width = digits(pos.line) < 4 ? 4 : digits(pos.line);
    ob_fill(out, ' ', indent + width - digits(pos.line));
    ob_u32(out, pos.line);
    ob_put(out, " | ", 3);
    tty_text(out, line, len, 1);
    ob_putc(out, '\n');
    ob_fill(out, ' ', indent + width);
    ob_put(out, " | ", 3);
    unsigned col = indent + width + 3;
    uint32_t start = pos.col ? pos.col - 1 : 0;
    tty_pad(out, p, len, 0, start, ' ', &col);
    color_on(w, SGR_CARET);
    ob_putc(out, '^');
    col++;
    /* A tilde per further column of the range, up to the line end. */
    if (endcol > pos.col + 1 && start < len) {
        size_t n;
        unsigned cw = p[start] == '\t' ? 1 : tty_width(p + start, len - start, &n);
        if (p[start] == '\t')
            n = 1;
        for (unsigned k = 1; k < cw; k++, col++)
            ob_putc(out, '~');         /* the rest of a wide character */
        uint32_t first = start + (uint32_t)n;
        uint32_t stop = endcol - 1 < len ? endcol - 1 : len;
        if (first < stop)
            tty_pad(out, p, len, first, stop, '~', &col);
    }
    color_off(w);
    ob_putc(out, '\n');
}

static void tty_locus(struct output *w, const struct source *src, struct pos pos)
{
    color_on(w, SGR_BOLD);
    escaped_text(&w->b, src->name, strlen(src->name), true);
    put_locus(&w->b, pos.line, out_col(w, src, pos.line, pos.col));
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
    struct obuf *out = &w->b;
    const struct source *src = diag_src(l, d);
    struct pos p = diag_pos(l, d);
    tty_locus(w, src, p);
    ob_putc(out, ' ');
    color_on(w, sev_color(d->severity));
    ob_puts(out, severity_name(d->severity));
    ob_putc(out, ':');
    color_off(w);
    ob_putc(out, ' ');
    const char *msg = diag_text(l, d);
    put_message(out, l, msg, true);
    ob_puts(out, " [");
    color_on(w, sev_color(d->severity));
    ob_puts(out, rule_table[d->rule].id);
    color_off(w);
    ob_puts(out, has_safe_fix(l, d) ? "] [--fix]\n" : "]\n");
    tty_snippet(w, src, p, diag_end_col(d, p), 0);
    for (const struct note *n = diag_notes(l, d); n; n = n->link) {
        ob_puts(out, "  ");
        tty_locus(w, n->src, n->pos);
        ob_putc(out, ' ');
        color_on(w, SGR_NOTE);
        ob_puts(out, "note:");
        color_off(w);
        ob_putc(out, ' ');
        msg = diag_note_text(l, n);
        put_message(out, l, msg, true);
        ob_putc(out, '\n');
        tty_snippet(w, n->src, n->pos, 0, 2);
    }
}


static void count(struct obuf *out, int *first, unsigned n, const char *what)
{
    if (!n)
        return;
    ob_printf(out, "%s%u %s%s", *first ? "" : ", ", n, what, n == 1 ? "" : "s");
    *first = 0;
}

static void tty_summary(struct output *w)
{
    struct obuf *out = &w->b;
    const struct output_totals *t = &w->t;
    color_on(w, SGR_BOLD);
    int first = 1;
    count(out, &first, t->errors, "error");
    count(out, &first, t->warnings, "warning");
    count(out, &first, t->notes, "note");
    if (first)
        ob_puts(out, "no problems");
    ob_printf(out, " in %u journal%s", t->journals, t->journals == 1 ? "" : "s");
    color_off(w);
    ob_putc(out, '\n');
}

/* --- json -------------------------------------------------------------------- */

/* ,"line":L,"column":C,"end_line":EL,"end_column":EC, */
static void json_range(struct obuf *out, uint32_t line, uint32_t col,
                       uint32_t end_line, uint32_t end_col)
{
    ob_put(out, ",\"line\":", 8);
    ob_u32(out, line);
    ob_put(out, ",\"column\":", 10);
    ob_u32(out, col);
    ob_put(out, ",\"end_line\":", 12);
    ob_u32(out, end_line);
    ob_put(out, ",\"end_column\":", 14);
    ob_u32(out, end_col);
    ob_putc(out, ',');
}

/* {"description","edits":[EDIT]}: EDIT's positions in the column unit,
 * and byte offsets into the file as read. */
static void json_fix(struct output *w, const struct fix *f)
{
    struct obuf *out = &w->b;
    ob_putc(out, '{');
    json_kv(out, "description", f->desc);
    ob_puts(out, ",\"edits\":[");
    for (uint32_t k = 0; k < f->nedits; k++) {
        const struct edit *e = &f->edits[k];
        struct pos a = source_pos(e->src, e->start), b = source_pos(e->src, e->end);
        ob_puts(out, k ? ",{" : "{");
        json_kv(out, "file", e->src->name);
        ob_printf(out, ",\"line\":%u,\"column\":%u,\"end_line\":%u,\"end_column\":%u,"
                "\"offset\":%u,\"end_offset\":%u,\"text\":",
                a.line, out_col(w, e->src, a.line, a.col),
                b.line, out_col(w, e->src, b.line, b.col), e->start, e->end);
        json_string(out, e->text, e->len);
        ob_putc(out, '}');
    }
    ob_puts(out, "]}");
}

static void json_diag(struct output *w, const struct diag_list *l,
                      const struct diag *d)
{
    struct obuf *out = &w->b;
    ob_puts(out, w->emitted++ ? ",\n{" : "\n{");
    const struct source *src = diag_src(l, d);
    struct pos p = diag_pos(l, d);
    json_kv(out, "file", src->name);
    json_range(out, p.line, out_col(w, src, p.line, p.col),
               p.line, out_col(w, src, p.line, diag_end_col(d, p)));
    json_kv(out, "severity", severity_name(d->severity));
    ob_putc(out, ',');
    json_kv(out, "rule", rule_table[d->rule].id);
    ob_putc(out, ',');
    json_kv(out, "message", diag_text(l, d));
    ob_puts(out, ",\"notes\":[");
    for (const struct note *n = diag_notes(l, d); n; n = n->link) {
        ob_putc(out, '{');
        json_kv(out, "file", n->src->name);
        /* A note points at a position: its range is empty. */
        uint32_t col = out_col(w, n->src, n->pos.line, n->pos.col);
        json_range(out, n->pos.line, col, n->pos.line, col);
        json_kv(out, "message", diag_note_text(l, n));
        ob_puts(out, n->link ? "}," : "}");
    }
    ob_putc(out, ']');
    bool sugg = false;
    for (const struct fix *f = diag_fixes(l, d); f; f = f->link) {
        if (f->safe) {
            ob_puts(out, ",\"fix\":");
        } else {
            ob_puts(out, sugg ? "," : ",\"suggestions\":[");
            sugg = true;
        }
        json_fix(w, f);
    }
    ob_puts(out, sugg ? "]}" : "}");
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
        if (d->severity != SEV_OFF && diag_src(&j->diags, d)->index < j->nfiles)
            c[diag_src(&j->diags, d)->index][SEV_ERROR - d->severity]++;
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
    struct obuf *out = &w->b;
    ob_puts(out, w->emitted ? "\n],\n\"files\":[" : "],\n\"files\":[");
    for (size_t k = 0; k < w->nfiles; k++) {
        ob_puts(out, k ? ",\n{" : "\n{");
        json_kv(out, "file", w->files[k].name);
        ob_printf(out, ",\"errors\":%u,\"warnings\":%u,\"notes\":%u}",
                w->files[k].errors, w->files[k].warnings, w->files[k].notes);
    }
    ob_puts(out, w->nfiles ? "\n]}\n" : "]}\n");
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
static void json_paragraph(struct mem *m, struct obuf *out, const char *s)
{
    const char *e = strstr(s, "\n\n");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    while (n && s[n - 1] == '\n')
        n--;
    char *b = xmalloc(m, n + 1);
    for (size_t i = 0; i < n; i++)
        b[i] = s[i] == '\n' ? ' ' : s[i];
    json_string(out, b, n);
    xfree(m, b);
}

/* An explanation as Markdown, for GitHub's rule help: runs of lines
 * indented by four spaces (the examples) become fenced code blocks, set
 * off by blank lines (an indented block cannot interrupt a paragraph);
 * the rest is already Markdown (`code` in backquotes, blank lines between
 * paragraphs). */
static void json_markdown(struct mem *m, struct obuf *out, const char *s)
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
    json_string(out, b, n);
    xfree(m, b);
}

static void sarif_begin(struct output *w)
{
    struct obuf *out = &w->b;
    ob_puts(out, "{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\",\"runs\":[{\n"
          "\"tool\":{\"driver\":{\"name\":\"ladder\",\"version\":");
    json_str(out, LADDER_VERSION);
    ob_puts(out, ",\"semanticVersion\":");
    json_str(out, LADDER_VERSION);
#ifdef LADDER_HOMEPAGE
    ob_puts(out, ",\"informationUri\":");
    json_str(out, LADDER_HOMEPAGE);
#endif
    ob_puts(out, ",\"rules\":[");
    for (int r = 0; r < R_COUNT; r++) {
        const struct rule_info *ri = &rule_table[r];
        ob_puts(out, r ? ",\n{" : "\n{");
        json_kv(out, "id", ri->id);
        ob_puts(out, ",\"shortDescription\":{");
        json_kv(out, "text", ri->summary);
        ob_puts(out, "},\"fullDescription\":{\"text\":");
        json_paragraph(w->mem, out, ri->explain ? ri->explain : ri->summary);
        ob_puts(out, "},\"help\":{");
        json_kv(out, "text", ri->explain ? ri->explain : ri->summary);
        ob_puts(out, ",\"markdown\":");
        json_markdown(w->mem, out, ri->explain ? ri->explain : ri->summary);
        ob_printf(out, "},\"defaultConfiguration\":{\"enabled\":%s,\"level\":\"%s\"}}",
                ri->severity == SEV_OFF ? "false" : "true",
                sarif_level(ri->severity));
    }
    ob_puts(out, "]}},\n");
    if (w->cwd) {
        char *root = output_relative_uri(w->mem, w->cwd, NULL);
        ob_printf(out, "\"originalUriBaseIds\":{\"%%SRCROOT%%\":{\"uri\":\"file://%s%s\"}},\n",
                root, strcmp(root, "/") ? "/" : "");
        xfree(w->mem, root);
    }
    ob_puts(out, "\"columnKind\":\"utf16CodeUnits\",\n\"results\":[");
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
    struct obuf *out = &w->b;
    ob_puts(out, "\"physicalLocation\":{\"artifactLocation\":{");
    json_kv(out, "uri", uri);
    if (based)
        ob_puts(out, ",\"uriBaseId\":\"%SRCROOT%\"");
}

static void sarif_location(struct output *w, const struct source *src,
                           struct pos pos, struct pos end)
{
    struct obuf *out = &w->b;
    if (w->uri_src != src) {                /* consecutive results share it */
        xfree(w->mem, w->uri);
        w->uri = sarif_uri(w, src->name, &w->uri_based);
        w->uri_src = src;
    }
    sarif_artifact(w, w->uri, w->uri_based);
    ob_puts(out, "},\"region\":{\"startLine\":");
    ob_u32(out, pos.line);
    ob_puts(out, ",\"startColumn\":");
    ob_u32(out, utf16_col(src, pos.line, pos.col));
    if (end.line) {
        ob_puts(out, ",\"endLine\":");
        ob_u32(out, end.line);
        ob_puts(out, ",\"endColumn\":");
        ob_u32(out, utf16_col(src, end.line, end.col));
    }
    ob_puts(out, "}}");
}

/* The client of the entry a diagnostic stands in (its name as declared,
 * so that an alias and the name give the same), or "" outside entries. */
static const char *diag_client(const struct journal *j, const struct diag *d)
{
    const struct source *src = diag_src(&j->diags, d);
    struct pos p = diag_pos(&j->diags, d);
    if (src->index >= j->nfiles || j->files[src->index]->src != src ||
        p.line == 0 || p.line > src->nlines)
        return "";
    const struct file *f = j->files[src->index];
    uint32_t off = d->start;
    /* The last node starting at or before off. */
    uint32_t lo = 0, hi = f->nnodes;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t start = f->node_kind[mid] == BK_ENTRY
                       ? ((const struct entry *)f->node[mid])->start
                       : ((const struct block *)f->node[mid])->at.start;
        if (start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || f->node_kind[lo - 1] != BK_ENTRY)
        return "";
    const struct entry *e = f->node[lo - 1];
    uint32_t end = entry_line(e).end;
    if (e->nitems && item_line(&e->items[e->nitems - 1]).end > end)
        end = item_line(&e->items[e->nitems - 1]).end;
    const struct client *who = entry_who(j, e);
    if (off > end || !who || !who->name)
        return "";
    return who->name;
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
    const struct source *src = diag_src(&j->diags, d);
    const char *line = source_line(src, diag_pos(&j->diags, d).line, &len);
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
    ob_printf(&w->b, ",\"partialFingerprints\":{\"ladderLineHash/v1\":\"%016llx:%u\"}",
            (unsigned long long)h,
            fp_occurrence(w, fnv1a(h, &src->index, sizeof src->index)));
}

static void sarif_diag(struct output *w, const struct journal *j,
                       const struct diag *d)
{
    const struct diag_list *l = &j->diags;
    struct obuf *out = &w->b;
    ob_puts(out, w->emitted++ ? ",\n{" : "\n{");
    json_kv(out, "ruleId", rule_table[d->rule].id);
    ob_printf(out, ",\"ruleIndex\":%d,\"level\":\"%s\",\"message\":{",
            (int)d->rule, sarif_level(d->severity));
    json_kv(out, "text", diag_text(l, d));
    ob_puts(out, "},\"locations\":[{");
    struct pos p = diag_pos(l, d);
    sarif_location(w, diag_src(l, d), p, (struct pos){ p.line, diag_end_col(d, p) });
    ob_puts(out, "}]");
    sarif_fingerprint(w, j, d);
    if (diag_notes(l, d)) {
        ob_puts(out, ",\"relatedLocations\":[");
        int id = 1;
        for (const struct note *n = diag_notes(l, d); n; n = n->link, id++) {
            ob_printf(out, "%s{\"id\":%d,", id > 1 ? "," : "", id);
            sarif_location(w, n->src, n->pos, (struct pos){ 0, 0 });
            ob_puts(out, ",\"message\":{");
            json_kv(out, "text", diag_note_text(l, n));
            ob_puts(out, "}}");
        }
        ob_putc(out, ']');
    }
    if (diag_fixes(l, d)) {
        /* Safe fix first, then the suggestions: artifactChanges with
         * replacements, regions in UTF-16 columns as the locations. */
        ob_puts(out, ",\"fixes\":[");
        for (const struct fix *f = diag_fixes(l, d); f; f = f->link) {
            ob_puts(out, "{\"description\":{");
            json_kv(out, "text", f->desc);
            ob_puts(out, "},\"artifactChanges\":[");
            for (uint32_t k = 0; k < f->nedits; k++) {
                const struct edit *e = &f->edits[k];
                bool first = k == 0 || f->edits[k - 1].src != e->src;
                if (first) {
                    bool based;
                    char *uri = sarif_uri(w, e->src->name, &based);
                    ob_puts(out, k ? "]},{\"artifactLocation\":{" : "{\"artifactLocation\":{");
                    json_kv(out, "uri", uri);
                    if (based)
                        ob_puts(out, ",\"uriBaseId\":\"%SRCROOT%\"");
                    ob_puts(out, "},\"replacements\":[");
                    xfree(w->mem, uri);
                } else {
                    ob_putc(out, ',');
                }
                struct pos a = source_pos(e->src, e->start), b = source_pos(e->src, e->end);
                ob_printf(out, "{\"deletedRegion\":{\"startLine\":%u,\"startColumn\":%u,"
                        "\"endLine\":%u,\"endColumn\":%u},\"insertedContent\":{\"text\":",
                        a.line, utf16_col(e->src, a.line, a.col),
                        b.line, utf16_col(e->src, b.line, b.col));
                json_string(out, e->text, e->len);
                ob_puts(out, "}}");
            }
            ob_puts(out, f->nedits ? "]}]}" : "]}");
            if (f->link)
                ob_putc(out, ',');
        }
        ob_putc(out, ']');
    }
    ob_putc(out, '}');
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
    w->b = (struct obuf){ NULL, 0, 0, NULL, m };
    if (o->format == FMT_SARIF)
        w->cwd = current_folder(m);
    if (o->format == FMT_GCC || o->format == FMT_TTY) {
        w->b.p = xmalloc(m, OBUF_SIZE);
        w->b.cap = OBUF_SIZE;
        w->b.f = out;
    }
    switch (o->format) {
    case FMT_JSON:
        ob_printf(&w->b, "{\"version\":1,\"column_unit\":\"%s\",\"diagnostics\":[",
                  o->unit == UTF8_CHARS ? "char" : o->unit == UTF8_DISPLAY ? "display"
                                                                         : "byte");
        break;
    case FMT_SARIF:
        sarif_begin(w);
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
    journal_diags(w, j);
    ob_flush(&w->b);        /* gcc, tty: before anything else is said */
}

static void journal_diags(struct output *w, const struct journal *j)
{
    w->t.journals++;
    uint32_t par_min = w->o.par_min ? w->o.par_min : PAR_MIN_DEFAULT;
    if (w->o.format == FMT_GCC && w->o.unit == UTF8_BYTES && w->b.f &&
        j->diags.n >= par_min && par_min != UINT32_MAX && mem_is_malloc(w->mem)) {
        if (gcc_parallel(w, &j->diags, par_min)) {
            for (uint32_t i = 0; i < j->diags.n; i++)
                count_diag(w, j->diags.v[i]);
            return;                 /* gcc: nothing per journal to reset */
        }
    }
    for (uint32_t i = 0; i < j->diags.n; i++) {
        const struct diag *d = j->diags.v[i];
        count_diag(w, d);
        if (!printed(w, d))
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
    struct obuf *out = &w->b;
    ob_puts(out, w->emitted ? "\n],\n" : "],\n");
    ob_printf(out, "\"invocations\":[{\"executionSuccessful\":%s",
            w->nbad ? "false" : "true");
    if (w->nbad) {
        ob_puts(out, ",\"toolExecutionNotifications\":[");
        for (size_t k = 0; k < w->nbad; k++) {
            const char *name = w->bad[k].name ? w->bad[k].name : "standard input";
            size_t n = strlen(name) + strlen(w->bad[k].err) + 16;
            char *msg = xmalloc(w->mem, n);
            snprintf(msg, n, "cannot read %s: %s", name, w->bad[k].err);
            ob_puts(out, k ? ",\n{" : "\n{");
            ob_puts(out, "\"level\":\"error\",\"message\":{\"text\":");
            json_str(out, msg);
            xfree(w->mem, msg);
            ob_putc(out, '}');
            if (w->bad[k].name) {
                bool based;
                char *uri = sarif_uri(w, w->bad[k].name, &based);
                ob_puts(out, ",\"locations\":[{");
                sarif_artifact(w, uri, based);
                ob_puts(out, "}}}]");
                xfree(w->mem, uri);
            }
            ob_putc(out, '}');
        }
        ob_putc(out, ']');
    }
    ob_puts(out, "}]}]}\n");
}

void output_abort(struct output *w)
{
    /* gcc and tty: what was rendered goes out, as it would have through
     * stdio; a json or sarif document is dropped with its memory. */
    ob_flush(&w->b);
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
    /* gcc and tty flush what is left; json and sarif write the whole
     * document, at once. */
    if (w->b.f)
        ob_flush(&w->b);
    else if (w->b.len)
        fwrite(w->b.p, 1, w->b.len, w->out);
    fflush(w->out);
    struct mem *m = w->mem;
    xfree(m, w->b.p);
    w->b.p = NULL;
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
