/* parse.c - running the parser over one file, and the builder functions
 * the grammar's actions call to construct the AST. */
#include "parse.h"

#include <inttypes.h>
#include <stdio.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "date.h"
#include "names.h"
#include "utf8.h"
#include "parser.h"
#include "lexer.h"

/* --- text ----------------------------------------------------------------- */

/* Intern a text folded (0 if absent). */
/* A client's name or alias: folded, then NFC (names match after Unicode
 * normalization: "Cafe" + U+0301 is "Caf\u00e9"). */
static uint32_t intern_name(struct parse_ctx *ctx, struct text t)
{
    if (!t.p)
        return 0;
    const char *p = t.p;
    uint32_t len = t.len;
    if (needs_fold(p, len)) {
        if (len > ctx->capfold) {
            ctx->capfold = len > 2 * ctx->capfold ? len : 2 * ctx->capfold;
            ctx->fold = xrealloc(arena_mem(ctx->arena), ctx->fold, ctx->capfold);
        }
        len = fold_blanks(p, len, ctx->fold);
        p = ctx->fold;
    }
    if (!utf8_is_nfc_quick(p, len)) {
        size_t want = (size_t)len * 4 + 16;
        for (int tries = 0; tries < 2; tries++) {
            if (want > ctx->capnfc) {
                ctx->capnfc = (uint32_t)want;
                ctx->nfc = xrealloc(arena_mem(ctx->arena), ctx->nfc, ctx->capnfc);
            }
            size_t n = utf8_nfc(p, len, ctx->nfc, ctx->capnfc);
            if (n == SIZE_MAX)
                break;              /* not UTF-8 (reported), or more than
                                     * 30 marks in a row: as written */
            if (n <= ctx->capnfc) {
                p = ctx->nfc;
                len = (uint32_t)n;
                break;
            }
            want = n;
        }
    }
    return names_intern(ctx->names, p, len);
}

static uint32_t intern(struct parse_ctx *ctx, struct text t)
{
    if (!t.p)
        return 0;
    if (!needs_fold(t.p, t.len))
        return names_intern(ctx->names, t.p, t.len);
    if (t.len > ctx->capfold) {
        ctx->capfold = t.len > 2 * ctx->capfold ? t.len : 2 * ctx->capfold;
        ctx->fold = xrealloc(arena_mem(ctx->arena), ctx->fold, ctx->capfold);
    }
    return names_intern(ctx->names, ctx->fold, fold_blanks(t.p, t.len, ctx->fold));
}

/* A copy of a text in the arena, folded or not ({NULL} if absent). */
static struct str copy_text(struct parse_ctx *ctx, struct text t, bool fold)
{
    struct str r = { NULL, 0, t.at };
    if (!t.p)
        return r;
    char *c = arena_alloc(ctx->arena, t.len + 1);
    if (fold && needs_fold(t.p, t.len)) {
        r.len = fold_blanks(t.p, t.len, c);
    } else {
        memcpy(c, t.p, t.len);
        r.len = t.len;
    }
    c[r.len] = '\0';
    r.s = c;
    return r;
}

/* Was the byte at p (in the chunk being scanned) a NUL, replaced by 0xFF
 * for flex (see parse_ctx.nulmap)? */
static bool was_nul(const struct parse_ctx *ctx, const char *p)
{
    if (!ctx->has_nul || (unsigned char)*p != 0xff || !ctx->chunk ||
        p < ctx->chunk || p >= ctx->chunk + (ctx->chunk_end - ctx->chunk_base))
        return false;
    size_t i = (size_t)(p - ctx->chunk);
    return (ctx->nulmap[i >> 3] >> (i & 7)) & 1;
}

/* A printable, quoted, shortened copy of source bytes for a message. */
const char *quote(struct parse_ctx *ctx, const char *p, uint32_t len)
{
    enum { MAXSHOW = 40 };
    char buf[MAXSHOW * 4 + 8];
    size_t k = 0;
    buf[k++] = '\'';
    uint32_t i = 0;
    for (; i < len && i < MAXSHOW; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == 0x7f || c >= 0x80) {
            /* Keep valid UTF-8 sequences; escape anything else. */
            int32_t cp = -1;
            uint32_t n = c >= 0x80 ? (uint32_t)utf8_decode(p + i, len - i, &cp) - 1 : 0;
            bool ok = cp >= 0x80 && i + n < MAXSHOW;
            if (ok) {
                memcpy(buf + k, p + i, n + 1);
                k += n + 1;
                i += n;
            } else {
                k += (size_t)snprintf(buf + k, 5, "\\x%02x",
                                      was_nul(ctx, p + i) ? 0 : c);
            }
        } else {
            buf[k++] = (char)c;
        }
    }
    if (i < len) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k++] = '\'';
    return arena_strndup(ctx->arena, buf, k);
}

bool check_bytes(struct parse_ctx *ctx, uint32_t off, const char *p, uint32_t len)
{
    if (ctx->plain)
        return true;
    const unsigned char *u = (const unsigned char *)p;
    for (uint32_t i = 0; i < len;) {
        if (u[i] >= 0x20 && u[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t n = u[i] ? utf8_decode(p + i, len - i, &cp) : 1;
        if (u[i] && cp >= 0) {
            i += (uint32_t)n;
            continue;
        }
        struct span at = { off + i, off + i + 1 };
        if (u[i] == 0 || was_nul(ctx, p + i))
            diag_report(ctx->diags, R_SYNTAX, ctx->src, at,
                        "a NUL byte: a journal is UTF-8 text");
        else
            diag_report(ctx->diags, R_SYNTAX, ctx->src, at,
                        "invalid UTF-8 byte 0x%02x: a journal is UTF-8 text", u[i]);
        return false;
    }
    return true;
}


/* --- runs of words -------------------------------------------------------- */

/* Runs of words (a title, free text, a client's name) are most of a
 * journal's bytes.  The DFA takes a byte in a chain of dependent table
 * loads (6 or 7 cycles); this loop takes one in about one.  So the rules
 * for runs match only their first byte (after blanks), and the scanner's
 * TAKE_RUN extends the match to the run's end, found here.
 *
 * A run starts at p, on a word's first byte.  Words are bytes other than
 * blanks, CR, LF and NUL (and bar, if not NUL); blanks separate them; a word
 * after blanks may not start with ';' (a comment) or bar.  The run ends at
 * its last word's end: the blanks after it are scanned as usual.
 * *unfolded: every separator was one space.  NUL ends a run: a chunk holds
 * none but the two after it (NULs in a journal are hidden, parse.c); lim
 * is the chunk's end, which eight-byte reads stay within. */
static const unsigned char run_stop[256] = {
    [0] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1,
};

const char *scan_run_end(const char *p, const char *lim, char bar, bool *unfolded)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    const uint64_t low7 = ~high, semis = ones * ';', spaces = ones * ' ';
    const uint64_t bars = ones * (unsigned char)(bar ? bar : ';');
    bool one = true;
#if defined(__SSE2__)
    const __m128i v_semi = _mm_set1_epi8(';'), v_bar = _mm_set1_epi8(bar ? bar : ';');
    const __m128i v_sp = _mm_set1_epi8(' '), v_e0 = _mm_set1_epi8((char)0xE0);
    const __m128i v_0 = _mm_setzero_si128();
#endif
    for (;;) {
#if defined(__SSE2__)
        /* Sixteen bytes at a time, as below: no byte under ' ', no ';' or
         * bar, no two spaces, a last space only before a word's byte.  At
         * the first byte that is one of these (k), the bytes before it are
         * words and single spaces: go on byte by byte from the start of
         * the word before it, or from the space just before it (a ';' or
         * bar after a space ends the run there). */
        bool flagged = false;
        while (p + 16 <= lim) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i stop = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(x, v_semi), _mm_cmpeq_epi8(x, v_bar)),
                _mm_cmpeq_epi8(_mm_and_si128(x, v_e0), v_0));   /* under 0x20 */
            unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, v_sp));
            unsigned flag = (unsigned)_mm_movemask_epi8(stop) | (sp & (sp >> 1));
            if ((sp & 0x8000) && (run_stop[(unsigned char)p[16]] || p[16] == ';' ||
                                  p[16] == bar))
                flag |= 0x8000;         /* p[16] is at most lim: readable */
            if (flag) {
                unsigned k = (unsigned)__builtin_ctz(flag);
                unsigned before = sp & ((1u << k) - 1u);
                if (before) {
                    unsigned last = 31u - (unsigned)__builtin_clz(before);
                    p += last + 1 < k ? last + 1 : last;
                }
                flagged = true;
                break;
            }
            p += 16;
        }
        if (!flagged)
#endif
        /* Eight bytes at a time while they hold no stop, tab or control
         * byte (all below ' '), no ';' or bar, and no space that another
         * blank may follow: words and single spaces.  Then byte by byte. */
        while (p + 8 <= lim) {
            uint64_t x, t, sp;
            memcpy(&x, p, 8);
            t = x ^ semis;
            uint64_t u = x ^ bars;
            if (((x - ones * 0x20) & ~x & high) | ((t - ones) & ~t & high) |
                ((u - ones) & ~u & high))
                break;
            t = x ^ spaces;
            sp = ~(((t & low7) + low7) | t | low7);     /* exactly the spaces */
            if ((sp & (sp >> 8)) || p[7] == ' ')  /* two, or one last */
                break;
            p += 8;
        }
        while (!run_stop[(unsigned char)*p] && *p != bar)
            p++;
        const char *e = p, *b = p;
        while (*p == ' ' || *p == '\t')
            p++;
        if (p == b || run_stop[(unsigned char)*p] || *p == ';' || (bar && *p == bar)) {
            *unfolded = one;
            return e;
        }
        if (p - b != 1 || *b != ' ')
            one = false;
    }
}

/* --- ladder-ignore comments ---------------------------------------------- */

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* A comment that holds "ladder-ignore": its record, and (unless it stands
 * on a line of its own, where it silences nothing) the current line's
 * ignore.  `ladder-ignore` alone, or with an empty list, is bare; after a
 * list, anything not a comma (" -- a reason") ends it. */
static void comment_ignore(struct parse_ctx *ctx, uint32_t off, const char *p,
                           uint32_t len, bool own_line)
{
    static const char key[] = "ladder-ignore";
    const uint32_t klen = sizeof key - 1;
    const char *hit = NULL;
    for (const char *q = p; (q = memchr(q, 'l', len - (uint32_t)(q - p))) != NULL; q++)
        if ((uint32_t)(p + len - q) >= klen && memcmp(q, key, klen) == 0) {
            hit = q;
            break;
        }
    if (!hit)
        return;
    uint32_t at = (uint32_t)(hit - p);
    uint32_t c0 = 0;                /* the comment starts at its ';' or '#' */
    while (c0 < at && p[c0] != ';' && p[c0] != '#')
        c0++;
    uint32_t rec = diag_ignore_comment(ctx->diags, ctx->src,
                                       (struct span){ off + c0, off + len },
                                       (struct span){ off + at, off + at + klen },
                                       own_line);
    struct ignore own = { 0 };
    struct ignore *ig = own_line ? &own : &ctx->ignore;
    if (own_line && ctx->entry)     /* a line of that entry, for since */
        ctx->diags->igc[rec - 1].date = ctx->entry->date;
    ig->present = true;
    ig->rec = rec;
    uint32_t i = at + klen;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i >= len || p[i] != ':') {
        ig->all = true;
        return;
    }
    i++;
    for (bool any = false;; any = true) {
        while (i < len && (p[i] == ' ' || p[i] == '\t'))
            i++;
        uint32_t s = i;
        while (i < len && id_char(p[i]))
            i++;
        if (i == s) {
            if (!any)
                ig->all = true;     /* "ladder-ignore:" with no list: bare */
            return;
        }
        int r = rule_find(p + s, i - s);
        struct span idat = { off + s, off + i };
        if (r >= 0) {
            ig->rules |= (uint64_t)1 << r;
            diag_ignore_id(ctx->diags, rec, idat, r);
        } else {
            if (!own_line)          /* prose about ladder-ignore is no list */
                diag_report(ctx->diags, R_SYNTAX, ctx->src, idat,
                            "unknown rule %s in ladder-ignore; did you mean '%s'?",
                            quote(ctx, p + s, i - s), rule_nearest(p + s, i - s));
        }
        while (i < len && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i >= len || p[i] != ',')
            return;
        i++;
    }
}

/* Every comment is kept in the file's list, for the formatter. */
static void keep_comment(struct parse_ctx *ctx, uint32_t off, const char *p,
                         uint32_t len, bool own_line)
{
    struct file *f = ctx->file;
    uint32_t c0 = 0;
    while (c0 < len && (p[c0] == ' ' || p[c0] == '\t'))
        c0++;
    if (len && p[len - 1] == '\r')     /* never: \r is not in the pattern */
        len--;
    if (f->ncomments == f->capcomments) {
        uint32_t nc = f->capcomments ? f->capcomments * 2 : 16;
        f->comments = arena_grow(ctx->arena, f->comments,
                                 f->capcomments * sizeof *f->comments,
                                 nc * sizeof *f->comments);
        f->capcomments = nc;
    }
    f->comments[f->ncomments++] = (struct comment){
        { off + c0, off + len }, own_line, c0 > 0 };
}

void scan_comment(struct parse_ctx *ctx, uint32_t off, const char *p, uint32_t len)
{
    keep_comment(ctx, off, p, len, false);
    comment_ignore(ctx, off, p, len, false);
}

void scan_comment_line(struct parse_ctx *ctx, uint32_t off, const char *p, uint32_t len)
{
    keep_comment(ctx, off, p, len, true);
    comment_ignore(ctx, off, p, len, true);
}

/* --- the builder ----------------------------------------------------------- */

static void add_node(struct parse_ctx *ctx, enum block_kind kind, void *p)
{
    struct file *f = ctx->file;
    if (f->nnodes == ctx->capnodes) {
        ctx->capnodes = ctx->capnodes ? ctx->capnodes * 2 : 64;
        ctx->node = xrealloc(arena_mem(ctx->arena), ctx->node, ctx->capnodes * sizeof *ctx->node);
        ctx->node_kind = xrealloc(arena_mem(ctx->arena), ctx->node_kind, ctx->capnodes);
    }
    ctx->node[f->nnodes] = p;
    ctx->node_kind[f->nnodes++] = (uint8_t)kind;
}

static struct block *add_block(struct parse_ctx *ctx, enum block_kind kind,
                               struct span line, struct span kw)
{
    struct block *b = arena_alloc(ctx->arena, sizeof *b);
    b->kind = kind;
    b->at = line;
    b->kw = kw;
    add_node(ctx, kind, b);
    return b;
}

/* The entry being built ends: it goes to the arena with its items in one
 * block (then its spans, if wide), in place of the one being built in the
 * file's nodes and the pending client names; its header comment covers the
 * whole entry.  The block is aligned to 8 bytes, all its fields need: 16
 * would pad half the blocks by 8 bytes. */
static void end_entry(struct parse_ctx *ctx)
{
    struct entry *b = ctx->entry;
    if (!b)
        return;
    ctx->entry = NULL;
    size_t isize = ctx->nitems * sizeof *ctx->items;
    struct entry *e = arena_alloc_small(ctx->arena, sizeof *e + isize +
                                        (b->wide ? sizeof ctx->entry_spans : 0));
    *e = *b;
    if (isize)                      /* ctx->items is NULL before any item */
        memcpy(e->items, ctx->items, isize);
    e->nitems = ctx->nitems;
    ctx->nitems = 0;
    if (e->wide)
        memcpy(e->items + e->nitems, &ctx->entry_spans, sizeof ctx->entry_spans);
    ctx->node[ctx->entry_node] = e;
    if (ctx->npend && ctx->pend[ctx->npend - 1].e == b)
        ctx->pend[ctx->npend - 1].e = e;
    diag_ignore(ctx->diags, ctx->src, e->start, ctx->entry_end,
                &ctx->entry_ignore, true, &e->date);
}

void b_line_start(struct parse_ctx *ctx)
{
    end_entry(ctx);
    ctx->cur = NULL;
    ctx->hdr = (struct hdr){ .last = HP_NONE, .minutes = -1, .status = -1 };
}

void b_error_line(struct parse_ctx *ctx)
{
    /* An entry header that did not parse leaves no entry: its indented
     * lines are skipped like those of any broken column-1 line. */
    if (!ctx->entry && ctx->block == SB_ENTRY)
        ctx->block = SB_BROKEN;
}

void b_finish(struct parse_ctx *ctx)
{
    end_entry(ctx);
    ctx->cur = NULL;
    struct file *f = ctx->file;
    if (f->nnodes) {
        /* The file takes the arrays over (journal_free frees them): no
         * second copy of a big file's list. */
        f->node = xrealloc(arena_mem(ctx->arena), ctx->node, f->nnodes * sizeof *f->node);
        f->node_kind = xrealloc(arena_mem(ctx->arena), ctx->node_kind, f->nnodes);
        ctx->node = NULL;
        ctx->node_kind = NULL;
        ctx->capnodes = 0;
    }
}

/* Batched so that the name slots can be fetched ahead: the batch is worth
 * only what the prefetch is (resolve.c, PREFETCH, measures both). */
void b_flush_clients(struct parse_ctx *ctx)
{
    struct pending_client *v = ctx->pend;
    uint32_t n = ctx->npend;
    for (uint32_t i = 0; i < n; i++)
        v[i].hash = names_hash(v[i].p, v[i].len);
    /* Ask for a few slots ahead of the one being looked up. */
    enum { AHEAD = 8 };
    for (uint32_t i = 0; i < n && i < AHEAD; i++)
        names_prefetch(ctx->names, v[i].hash);
    for (uint32_t i = 0; i < n; i++) {
        if (i + AHEAD < n)
            names_prefetch(ctx->names, v[i + AHEAD].hash);
        v[i].e->client = names_intern_hashed(ctx->names, v[i].p, v[i].len, v[i].hash);
    }
    ctx->npend = 0;
}

void b_free(struct parse_ctx *ctx)
{
    struct mem *m = arena_mem(ctx->arena);
    xfree(m, ctx->pend);
    ctx->pend = NULL;
    ctx->npend = ctx->cappend = 0;
    xfree(m, ctx->items);
    xfree(m, ctx->node);
    xfree(m, ctx->node_kind);
    xfree(m, ctx->fold);
    xfree(m, ctx->nfc);
    ctx->nfc = NULL;
    ctx->capnfc = 0;
    xfree(m, ctx->nulmap);
    ctx->nulmap = NULL;
    ctx->capnulmap = 0;
    ctx->items = NULL;
    ctx->node = NULL;
    ctx->node_kind = NULL;
    ctx->fold = NULL;
    ctx->capitems = ctx->capnodes = ctx->capfold = 0;
}

static void line_ignore(struct parse_ctx *ctx, struct span line,
                        const struct ignore *ig)
{
    diag_ignore(ctx->diags, ctx->src, line.start, line.end, ig, false,
                ctx->entry ? &ctx->entry->date : NULL);
}

static const char *const month_names[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"
};

static void check_date(struct parse_ctx *ctx, struct date d, struct span at)
{
    if (d.valid)
        return;
    if (d.month < 1 || d.month > 12)
        diag_report(ctx->diags, R_BAD_DATE, ctx->src, at,
                    "%d-%02d-%02d is not a date: there is no month %d",
                    d.year, d.month, d.day, d.month);
    else if (d.day < 1)
        diag_report(ctx->diags, R_BAD_DATE, ctx->src, at,
                    "%d-%02d-%02d is not a date: there is no day 0",
                    d.year, d.month, d.day);
    else {
        int last = 28;
        while (last < 31 && date_valid(d.year, d.month, last + 1))
            last++;
        diag_report(ctx->diags, R_BAD_DATE, ctx->src, at,
                    "%d-%02d-%02d is not a date: %s %d has %d days",
                    d.year, d.month, d.day, month_names[d.month - 1], d.year, last);
    }
}

static int check_time(struct parse_ctx *ctx, int minutes, struct span at)
{
    if (minutes == -2) {
        diag_report(ctx->diags, R_SYNTAX, ctx->src, at,
                    "%s is not a time of day: use HH:MM from 00:00 to 23:59",
                    quote_at(ctx, at));
        return -1;
    }
    return minutes;
}

void b_hpart(struct parse_ctx *ctx, enum hdr_part part, int num,
             struct span at, struct text kind)
{
    struct hdr *h = &ctx->hdr;
    static const char *const what[] = {
        [HP_TIME] = "a time", [HP_STATUS] = "a status mark", [HP_KIND] = "a (kind)",
    };
    if (part <= h->last) {
        /* The header is kept; this part is ignored. */
        if (part == h->last)
            diag_report(ctx->diags, R_SYNTAX, ctx->src, at,
                        "%s %s after another one: a header has at most one; "
                        "this one is ignored", what[part], quote_at(ctx, at));
        else
            diag_report(ctx->diags, R_SYNTAX, ctx->src, at,
                        "%s %s after %s: a header is DATE [TIME] [STATUS] "
                        "[(KIND)] CLIENT; this one is ignored",
                        what[part], quote_at(ctx, at), what[h->last]);
        return;
    }
    h->last = part;
    switch (part) {
    case HP_TIME:
        h->minutes = num;
        h->time_at = at;
        break;
    case HP_STATUS:
        h->status = num;
        h->status_at = at;
        break;
    case HP_KIND:
        h->kind = kind;
        break;
    case HP_NONE:
        break;
    }
}

/* Part s in two bytes (struct item_rel, struct entry): its offset o, and
 * k, its length or its distance back from the line's end; false when it
 * does not fit (o past 254 or k past 255).  Unsigned differences wrap, so
 * a part before its base or past the line's end does not fit; the absent
 * part {0, 0} always does (REL8_NONE). */
static inline bool rel8_put(uint8_t *off, uint8_t *n, struct span s, uint32_t o, uint32_t k)
{
    bool absent = span_absent(s);
    *off = absent ? REL8_NONE : (uint8_t)o;
    *n = absent ? 0 : (uint8_t)k;
    return absent | ((o < REL8_NONE) & (k <= 0xFFu));
}

/* The entry being built (ctx->entry_buf) with its spans: in a byte each
 * from the header's start when they all fit (rel8_put), else in full
 * (ctx->entry_spans, then after its items: ast.h).  The date starts the
 * line. */
static struct entry *entry_new(struct parse_ctx *ctx, struct span line,
                               struct span date_at, struct span status_at,
                               struct span kind_at, struct span client_at,
                               struct span title_at)
{
    if (!ctx->entry_buf)
        ctx->entry_buf = arena_alloc(ctx->arena, sizeof *ctx->entry_buf);
    struct entry *e = ctx->entry_buf;
    memset(e, 0, sizeof *e);
    uint32_t b = line.start, len = line.end - b;
    uint32_t date_len = date_at.end - date_at.start - 8;
    uint32_t status = status_at.start - b, status_len = status_at.end - status_at.start;
    e->start = b;
    e->len = (uint16_t)len;
    e->date_len = date_len & 3;
    e->status_off = (uint8_t)status;
    e->status_len = status_len & 1;
    /* (The client follows the mark and the kind, so their limits only
     * repeat its; they stay, for the day it does not.) */
    bool fits = (len <= 0xFFFFu) & (date_len <= 3) & (status <= 0xFFu) & (status_len <= 1) &
        rel8_put(&e->kind_off, &e->kind_len, kind_at, kind_at.start - b,
                 kind_at.end - kind_at.start) &
        rel8_put(&e->client_off, &e->client_len, client_at, client_at.start - b,
                 client_at.end - client_at.start) &
        rel8_put(&e->title_off, &e->title_back, title_at, title_at.start - b,
                 line.end - title_at.end);
    if (!fits) {
        ctx->entry_spans = (struct entry_spans){ line, status_at, kind_at, client_at,
                                                 title_at, date_at.end - date_at.start };
        e->wide = 1;
    }
    return e;
}

void b_header(struct parse_ctx *ctx, struct span line, struct date d,
              struct span date_at, struct text client, struct text title,
              const struct ignore *ig)
{
    const struct hdr *h = &ctx->hdr;
    int minutes = h->minutes, status = h->status;
    struct span time_at = h->time_at, status_at = h->status_at;
    struct text kind = h->kind;
    struct span none = { 0, 0 };
    struct entry *e = entry_new(ctx, line, date_at,
                                status < 0 ? (struct span){ date_at.start, date_at.start } : status_at,
                                kind.p ? kind.at : none, client.at,
                                title.p ? title.at : none);
    ctx->entry_node = ctx->file->nnodes;
    add_node(ctx, BK_ENTRY, e);     /* end_entry puts the entry built there */
    e->src = ctx->src;
    e->date = d;
    check_date(ctx, d, date_at);
    e->minutes = (int16_t)check_time(ctx, minutes, time_at);
    e->status = (unsigned)(status < 0 ? ST_HELD : status);
    e->kind = intern(ctx, kind);
    if ((!client.unfolded && needs_fold(client.p, client.len)) ||
        (!ctx->plain && !utf8_is_nfc_quick(client.p, client.len))) {
        e->client = intern_name(ctx, client);
    } else {
        /* A big journal's client names are many and far apart in memory:
         * they are interned a chunk at a time (b_flush_clients), so that
         * the lookups can overlap. */
        if (ctx->npend == ctx->cappend) {
            ctx->cappend = ctx->cappend ? ctx->cappend * 2 : 64;
            ctx->pend = xrealloc(arena_mem(ctx->arena), ctx->pend, ctx->cappend * sizeof *ctx->pend);
        }
        ctx->pend[ctx->npend++] = (struct pending_client){ e, client.p, client.len, 0 };
    }
    /* Titles are only compared (duplicate-entry), and nearly all of them
     * differ: a hash, not an interned name (resolve.c confirms a match on
     * the text). */
    if (title.p) {
        uint32_t th = title.unfolded ? names_hash(title.p, title.len)
                                     : names_hash_folded(title.p, title.len);
        e->title = th ? th : 1;
    } else {
        e->title = 0;
    }
    ctx->file->nentries++;
    ctx->entry = e;
    ctx->entry_end = line.end;
    static const struct ignore none_ig;
    ctx->entry_ignore = ig ? *ig : none_ig;
}

static struct item *add_item(struct parse_ctx *ctx, enum item_kind kind,
                             struct span line, const struct ignore *ig)
{
    if (!ctx->entry)
        return NULL;                /* under a header that did not parse */
    if (ctx->nitems == ctx->capitems) {
        ctx->capitems = ctx->capitems ? ctx->capitems * 2 : 16;
        ctx->items = xrealloc(arena_mem(ctx->arena), ctx->items, ctx->capitems * sizeof *ctx->items);
    }
    struct item *it = &ctx->items[ctx->nitems++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->mins = MINUTES_NONE;
    line_ignore(ctx, line, ig);
    ctx->entry_end = line.end;
    return it;
}

/* Set an item's spans (once): relative to the line's start when they all
 * fit, else in full in a struct item_wide (ast.h).  `x` is an ask's
 * outcome or a next's date. */
static void item_widen(struct parse_ctx *ctx, struct item *it, struct span line,
                       struct span rung, struct span text, struct span x)
{
    struct item_wide *w = arena_alloc(ctx->arena, sizeof *w);
    *w = (struct item_wide){ line, rung, text, x };
    memcpy(it->sp.wide, &w, sizeof w);
    it->wide = 1;
}

static inline void item_pack(struct parse_ctx *ctx, struct item *it, struct span line,
                             struct span rung, struct span text, struct span x)
{
    uint32_t b = line.start, end = line.end, len = end - b;
    struct item_rel r = { .len = (uint16_t)len };
    /* An ask's outcome ends its line: it is counted back from the end. */
    uint32_t xo = it->kind == IT_ASK ? end - x.start : x.start - b;
    bool fits = (len <= 0xFFFFu) &
        rel8_put(&r.rung_off, &r.rung_len, rung, rung.start - b, rung.end - rung.start) &
        rel8_put(&r.text_off, &r.text_back, text, text.start - b, end - text.end) &
        rel8_put(&r.x_off, &r.x_len, x, xo, x.end - x.start);
    it->start = b;
    if (fits)
        it->sp.rel = r;
    else
        item_widen(ctx, it, line, rung, text, x);
}

void b_item(struct parse_ctx *ctx, enum item_kind kind, struct span line,
            struct span kw, struct text rung, struct text text, int outcome,
            struct span outcome_at, const struct ignore *ig)
{
    (void)kw;                       /* item_kw() finds it again */
    struct item *it = add_item(ctx, kind, line, ig);
    if (!it)
        return;
    struct span none = { 0, 0 };
    if (rung.p)
        it->rung_name = names_intern(ctx->names, rung.p, rung.len);   /* a word */
    it->outcome = (unsigned)outcome;
    item_pack(ctx, it, line, rung.p ? rung.at : none, text.p ? text.at : none,
              kind == IT_ASK ? outcome_at : none);
}

void b_next_dated(struct parse_ctx *ctx, struct span line, struct span kw,
                  struct date d, struct span date_at, int minutes,
                  struct span time_at, struct text rest, const struct ignore *ig)
{
    (void)kw;
    struct item *it = add_item(ctx, IT_NEXT, line, ig);
    check_date(ctx, d, date_at);
    int m = check_time(ctx, minutes, time_at);
    if (!it)
        return;
    it->next = NEXT_DATED;
    it->date = d;
    it->mins = m >= 0 ? (unsigned)m : MINUTES_NONE;     /* m: -1 or 0-1439 */
    struct span rung = { 0, 0 }, text = { 0, 0 };
    if (rest.p) {
        /* The first word may name a rung (resolve decides): the rung span
         * is that word, and the text what follows it after blanks.  The
         * whole rest, if the word is no rung, starts at the rung span. */
        uint32_t w = 0;
        while (w < rest.len && rest.p[w] != ' ' && rest.p[w] != '\t')
            w++;
        rung = (struct span){ rest.at.start, rest.at.start + w };
        it->rank = next_word_kept(names_intern(ctx->names, rest.p, w));
        uint32_t s = w;
        while (s < rest.len && (rest.p[s] == ' ' || rest.p[s] == '\t'))
            s++;
        text = (struct span){ rest.at.start + s, rest.at.end };
    }
    item_pack(ctx, it, line, rung, text, date_at);
}

void b_next_other(struct parse_ctx *ctx, struct span line, struct span kw,
                  enum next_form form, struct text text, const struct ignore *ig)
{
    (void)kw;
    struct item *it = add_item(ctx, IT_NEXT, line, ig);
    if (!it)
        return;
    struct span none = { 0, 0 };
    it->next = form;
    item_pack(ctx, it, line, none, text.p ? text.at : none, none);
}

void b_rung(struct parse_ctx *ctx, struct span line, struct text name,
            struct text desc, const struct ignore *ig)
{
    line_ignore(ctx, line, ig);
    if (!ctx->cur || ctx->cur->kind != BK_LADDER)
        return;
    struct rung_def *r = arena_alloc(ctx->arena, sizeof *r);
    r->name = names_intern(ctx->names, name.p, name.len);     /* a word */
    r->at = name.at;
    r->desc = copy_text(ctx, desc, true);
    *ctx->cur->u.ladder.tail = r;
    ctx->cur->u.ladder.tail = &r->link;
}

void b_alias(struct parse_ctx *ctx, struct span line, struct text name,
             const struct ignore *ig)
{
    line_ignore(ctx, line, ig);
    if (!ctx->cur || ctx->cur->kind != BK_CLIENT)
        return;
    struct alias_def *a = arena_alloc(ctx->arena, sizeof *a);
    a->name = intern_name(ctx, name);
    a->at = name.at;
    *ctx->cur->u.client.tail = a;
    ctx->cur->u.client.tail = &a->link;
}

void b_client_note(struct parse_ctx *ctx, struct span line,
                   const struct ignore *ig)
{
    line_ignore(ctx, line, ig);
}

void b_directive(struct parse_ctx *ctx, enum block_kind kind, struct span line,
                 struct span kw, struct text a, struct text b,
                 const struct ignore *ig)
{
    line_ignore(ctx, line, ig);
    struct block *bl = add_block(ctx, kind, line, kw);
    switch (kind) {
    case BK_LADDER:
        bl->u.ladder.tail = &bl->u.ladder.rungs;
        break;
    case BK_CLIENT:
        bl->u.client.name = intern_name(ctx, a);
        bl->u.client.name_at = a.at;
        bl->u.client.tail = &bl->u.client.aliases;
        break;
    case BK_OPTION:
    case BK_RULE:
        bl->u.setting.name = copy_text(ctx, a, false);      /* words */
        bl->u.setting.value = copy_text(ctx, b, false);
        break;
    case BK_INCLUDE:
        bl->u.include.path = copy_text(ctx, a, false);      /* a file name: never folded */
        break;
    case BK_ENTRY:
        break;
    }
    ctx->cur = bl;
}

/* --- the driver ------------------------------------------------------------ */

const char *quote_at(struct parse_ctx *ctx, struct span at)
{
    /* Only the chunk being scanned is in memory. */
    if (!ctx->chunk || at.start < ctx->chunk_base || at.end > ctx->chunk_end ||
        at.end < at.start)
        return quote(ctx, "", 0);
    return quote(ctx, ctx->chunk + (at.start - ctx->chunk_base), at.end - at.start);
}

/* Replace the chunk's NUL bytes by 0xFF, marking them in ctx->nulmap. */
static void hide_nuls(struct parse_ctx *ctx, char *p, uint32_t len)
{
    ctx->has_nul = false;
    char *q = memchr(p, '\0', len);
    if (!q)
        return;
    size_t need = ((size_t)len >> 3) + 1;
    if (need > ctx->capnulmap) {
        struct mem *m = arena_mem(ctx->arena);
        xfree(m, ctx->nulmap);
        ctx->nulmap = xmalloc(m, need);
        ctx->capnulmap = (uint32_t)need;
    }
    memset(ctx->nulmap, 0, need);
    ctx->has_nul = true;
    for (; q; q = memchr(q + 1, '\0', len - (size_t)(q + 1 - p))) {
        size_t i = (size_t)(q - p);
        ctx->nulmap[i >> 3] |= (uint8_t)(1u << (i & 7));
        *q = (char)0xff;
        if (i + 1 >= len)
            break;
    }
}

/* Put the NUL bytes of the chunk just scanned back (a kept text is shown
 * again later). */
static void restore_nuls(struct parse_ctx *ctx)
{
    if (!ctx->has_nul)
        return;
    char *p = (char *)ctx->chunk;
    uint32_t len = ctx->chunk_end - ctx->chunk_base;
    for (uint32_t i = 0; i < len; i++)
        if ((ctx->nulmap[i >> 3] >> (i & 7)) & 1)
            p[i] = '\0';
    ctx->has_nul = false;
}

bool parse_next_chunk(struct parse_ctx *ctx, void *scanner)
{
    b_flush_clients(ctx);           /* while the chunk's text is here */
    /* The source is the journal's, being read: not const here. */
    struct source *s = ctx->reader ? ctx->reader : (struct source *)ctx->src;
    /* Leave the old chunk first: switching buffers would write flex's held
     * byte back at the old chunk's end, which the next chunk may reuse. */
    if (ctx->buffer)
        yy_delete_buffer(ctx->buffer, scanner);
    ctx->buffer = NULL;
    restore_nuls(ctx);
    struct chunk c;
    bool more;
    while ((more = source_next_chunk(s, &c, &ctx->read_err)) && c.skipped) {
        /* A line too long to scan: reported here, never seen by flex. */
        diag_report(ctx->diags, R_SYNTAX, ctx->src,
                    (struct span){ c.base, c.base + 1 },
                    "a line of %" PRIu32 " bytes: lines this long are not read",
                    c.len);
        if (c.first != ' ' && c.first != '\t' && c.first != ';' &&
            c.first != '#' && c.first != '\r' && c.first != '\n') {
            /* It began a block: what is indented below it goes with it. */
            b_line_start(ctx);
            ctx->block = SB_BROKEN;
        }
    }
    if (!more) {
        /* The end: an empty buffer, so that flex never falls back to
         * reading its own input. */
        ctx->eof_buf[0] = ctx->eof_buf[1] = '\0';
        c = (struct chunk){ .p = ctx->eof_buf, .base = s->len, .len = 0, .plain = true };
        ctx->buffer = yy_scan_buffer(c.p, 2, scanner);
        if (!ctx->buffer)
            oom(arena_mem(ctx->arena));
        ctx->chunk = c.p;
        ctx->chunk_base = ctx->chunk_end = c.base;
        return false;
    }
    if (!c.plain)
        hide_nuls(ctx, c.p, c.len);
    YY_BUFFER_STATE bs = yy_scan_buffer(c.p, (yy_size_t)c.len + 2, scanner);
    if (!bs)
        oom(arena_mem(ctx->arena));
    ctx->buffer = bs;
    ctx->chunk = c.p;
    ctx->chunk_base = c.base;
    ctx->chunk_end = c.base + c.len;
    ctx->plain = c.plain;
    ctx->off = c.base;
    return true;
}

void parse_file(struct parse_ctx *ctx)
{
    yyscan_t scanner;
    if (yylex_init_extra(ctx, &scanner) != 0)
        oom(arena_mem(ctx->arena));
    if (parse_next_chunk(ctx, scanner))
        yyparse(scanner, ctx);
    b_flush_clients(ctx);           /* if the parser stopped early */
    if (ctx->buffer)
        yy_delete_buffer(ctx->buffer, scanner);
    ctx->buffer = NULL;
    restore_nuls(ctx);
    ctx->chunk = NULL;
    yylex_destroy(scanner);
    struct source *s = ctx->reader ? ctx->reader : (struct source *)ctx->src;
    if (ctx->read_err) {
        uint32_t at = s->len;
        diag_report(ctx->diags, R_SYNTAX, ctx->src, (struct span){ at, at },
                    "the file could not be read past here: %s",
                    strerror(ctx->read_err));
    }
    source_end_read(s);

    b_finish(ctx);
}
