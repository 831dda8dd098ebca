/* parse.c - running the parser over one file, and the builder functions
 * the grammar's actions call to construct the AST. */
#include "parse.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "journal.h"
#include "parser.h"
#include "lexer.h"

/* --- text ----------------------------------------------------------------- */

/* Fold a text scanned raw (absent texts stay absent). */
static struct text fold(struct parse_ctx *ctx, struct text t)
{
    return t.p ? mk_text(ctx, t.p, t.at) : t;
}

struct text mk_text(struct parse_ctx *ctx, const char *p, struct span at)
{
    struct text t = { p, at.end - at.start, at, p, at.end - at.start };
    /* Fold inner runs of blanks to one space, only when there are any. */
    bool fold = false;
    for (uint32_t i = 0; i < t.len && !fold; i++)
        if (p[i] == '\t' || (p[i] == ' ' && i + 1 < t.len &&
                             (p[i + 1] == ' ' || p[i + 1] == '\t')))
            fold = true;
    if (fold) {
        char *n = arena_alloc(ctx->arena, t.len + 1);
        uint32_t k = 0;
        for (uint32_t i = 0; i < t.len; i++) {
            char c = p[i];
            if (c == ' ' || c == '\t') {
                if (k && n[k - 1] == ' ')
                    continue;
                c = ' ';
            }
            n[k++] = c;
        }
        t.norm = n;
        t.normlen = k;
    }
    return t;
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
            uint32_t n = 0;
            if (c >= 0xc2 && c <= 0xdf) n = 1;
            else if (c >= 0xe0 && c <= 0xef) n = 2;
            else if (c >= 0xf0 && c <= 0xf4) n = 3;
            bool ok = n > 0 && i + n < len && i + n < MAXSHOW;
            for (uint32_t j = 1; ok && j <= n; j++)
                ok = ((unsigned char)p[i + j] & 0xc0) == 0x80;
            if (ok) {
                memcpy(buf + k, p + i, n + 1);
                k += n + 1;
                i += n;
            } else {
                k += (size_t)snprintf(buf + k, 5, "\\x%02x", c);
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

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
static uint32_t utf8_len(const unsigned char *p, uint32_t left)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return c ? 1 : 0;
    uint32_t n;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;        /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else
        return 0;
    if (left < n || p[1] < lo || p[1] > hi)
        return 0;
    for (uint32_t i = 2; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n;
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
        uint32_t n = utf8_len(u + i, len - i);
        if (n) {
            i += n;
            continue;
        }
        struct span at = { off + i, off + i + 1 };
        if (u[i] == 0)
            diag_report(ctx->diags, R_SYNTAX, ctx->src, at,
                        "a NUL byte: a journal is UTF-8 text");
        else
            diag_report(ctx->diags, R_SYNTAX, ctx->src, at,
                        "invalid UTF-8 byte 0x%02x: a journal is UTF-8 text", u[i]);
        return false;
    }
    return true;
}

bool time_parse(const char *p, uint32_t len, int *minutes)
{
    uint32_t i = 0;
    int h = 0, m = 0;
    while (i < len && i < 2 && p[i] >= '0' && p[i] <= '9')
        h = h * 10 + (p[i++] - '0');
    if (i == 0 || i >= len || p[i] != ':' || len != i + 3)
        return false;
    if (p[i + 1] < '0' || p[i + 1] > '9' || p[i + 2] < '0' || p[i + 2] > '9')
        return false;
    m = (p[i + 1] - '0') * 10 + (p[i + 2] - '0');
    *minutes = h < 24 && m < 60 ? h * 60 + m : -2;
    return true;
}

/* --- ladder-ignore comments ---------------------------------------------- */

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_';
}

void scan_comment(struct parse_ctx *ctx, uint32_t off, const char *p, uint32_t len)
{
    static const char key[] = "ladder-ignore";
    const uint32_t klen = sizeof key - 1;
    const char *hit = NULL;
    for (uint32_t i = 0; i + klen <= len; i++)
        if (p[i] == 'l' && memcmp(p + i, key, klen) == 0) {
            hit = p + i;
            break;
        }
    if (!hit)
        return;
    struct ignore *ig = &ctx->ignore;
    ig->present = true;
    uint32_t i = (uint32_t)(hit - p) + klen;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i >= len || p[i] != ':') {
        ig->all = true;
        return;
    }
    i++;
    for (;;) {
        while (i < len && (p[i] == ' ' || p[i] == '\t'))
            i++;
        uint32_t s = i;
        while (i < len && id_char(p[i]))
            i++;
        if (i == s) {
            if (ig->rules == 0)
                ig->all = true;     /* "ladder-ignore:" with nothing after */
            return;
        }
        int r = rule_find(p + s, i - s);
        if (r >= 0)
            ig->rules |= (uint64_t)1 << r;
        else
            diag_report(ctx->diags, R_SYNTAX, ctx->src,
                        (struct span){ off + s, off + i },
                        "unknown rule %s in ladder-ignore; did you mean '%s'?",
                        quote(ctx, p + s, i - s), rule_nearest(p + s, i - s));
        while (i < len && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i >= len || p[i] != ',')
            return;
        i++;
    }
}

/* --- the builder ----------------------------------------------------------- */

static struct block *add_block(struct parse_ctx *ctx, enum block_kind kind,
                               struct span line, struct span kw)
{
    struct block *b = arena_alloc(ctx->arena, sizeof *b);
    b->kind = kind;
    b->at = line;
    b->kw = kw;
    *ctx->file->tail = b;
    ctx->file->tail = &b->link;
    return b;
}

void b_line_start(struct parse_ctx *ctx)
{
    ctx->cur = NULL;
}

static void line_ignore(struct parse_ctx *ctx, struct span line,
                        const struct ignore *ig)
{
    diag_ignore(ctx->diags, ctx->src, line.start, line.end, ig, false);
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
                    quote(ctx, parse_text_at(ctx, at), at.end - at.start));
        return -1;
    }
    return minutes;
}

void b_header(struct parse_ctx *ctx, struct span line, struct date d,
              struct span date_at, int minutes, struct span time_at,
              int status, struct span status_at, struct text kind,
              struct text client, struct text title, const struct ignore *ig)
{
    struct block *b = add_block(ctx, BK_ENTRY, line, date_at);
    struct entry *e = arena_alloc(ctx->arena, sizeof *e);
    b->u.entry = e;
    e->src = ctx->src;
    e->at = line;
    e->end = line;
    e->date = d;
    e->date_at = date_at;
    check_date(ctx, d, date_at);
    e->minutes = check_time(ctx, minutes, time_at);
    e->time_at = minutes == -1 ? (struct span){ 0, 0 } : time_at;
    e->status = status < 0 ? ST_HELD : (enum status)status;
    e->status_at = status < 0 ? (struct span){ date_at.start, date_at.start } : status_at;
    e->kind = kind;
    e->client = fold(ctx, client);
    e->title = fold(ctx, title);
    e->items_tail = &e->items;
    if (ig)
        e->ignore = *ig;
    ctx->file->nentries++;
    ctx->cur = b;
}

static struct item *add_item(struct parse_ctx *ctx, enum item_kind kind,
                             struct span line, struct span kw,
                             const struct ignore *ig)
{
    if (!ctx->cur || ctx->cur->kind != BK_ENTRY)
        return NULL;                /* under a header that did not parse */
    struct entry *e = ctx->cur->u.entry;
    struct item *it = arena_alloc(ctx->arena, sizeof *it);
    it->kind = (uint8_t)kind;
    it->at = line;
    it->kw = kw;
    it->minutes = -1;
    line_ignore(ctx, line, ig);
    *e->items_tail = it;
    e->items_tail = &it->link;
    e->nitems++;
    e->end = line;
    return it;
}

void b_item(struct parse_ctx *ctx, enum item_kind kind, struct span line,
            struct span kw, struct text rung, struct text text, int outcome,
            struct span outcome_at, const struct ignore *ig)
{
    struct item *it = add_item(ctx, kind, line, kw, ig);
    if (!it)
        return;
    if (rung.p)
        it->rung = rung.at;
    if (text.p)
        it->text = text.at;
    it->outcome = (uint8_t)outcome;
    it->outcome_at = outcome_at;
}

void b_next_dated(struct parse_ctx *ctx, struct span line, struct span kw,
                  struct date d, struct span date_at, int minutes,
                  struct span time_at, struct text rest, const struct ignore *ig)
{
    struct item *it = add_item(ctx, IT_NEXT, line, kw, ig);
    check_date(ctx, d, date_at);
    int m = check_time(ctx, minutes, time_at);
    if (!it)
        return;
    it->next = NEXT_DATED;
    it->date = d;
    it->date_at = date_at;
    it->minutes = (int16_t)m;
    if (rest.p) {
        /* The first word may name a rung (resolve decides); the text is
         * the whole rest until then. */
        uint32_t w = 0;
        while (w < rest.len && rest.p[w] != ' ' && rest.p[w] != '\t')
            w++;
        it->rung = (struct span){ rest.at.start, rest.at.start + w };
        it->text = rest.at;
    }
}

void b_next_other(struct parse_ctx *ctx, struct span line, struct span kw,
                  enum next_form form, struct text text, const struct ignore *ig)
{
    struct item *it = add_item(ctx, IT_NEXT, line, kw, ig);
    if (!it)
        return;
    it->next = (uint8_t)form;
    if (text.p)
        it->text = text.at;
}

void b_rung(struct parse_ctx *ctx, struct span line, struct text name,
            struct text desc, const struct ignore *ig)
{
    line_ignore(ctx, line, ig);
    if (!ctx->cur || ctx->cur->kind != BK_LADDER)
        return;
    struct rung_def *r = arena_alloc(ctx->arena, sizeof *r);
    r->name = name;
    r->desc = fold(ctx, desc);
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
    a->name = fold(ctx, name);
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
        bl->u.client.name = fold(ctx, a);
        bl->u.client.tail = &bl->u.client.aliases;
        break;
    case BK_OPTION:
    case BK_RULE:
        bl->u.setting.name = a;
        bl->u.setting.value = b;
        break;
    case BK_INCLUDE:
        bl->u.include.path = a;     /* a file name: never folded */
        break;
    case BK_ENTRY:
        break;
    }
    ctx->cur = bl;
}

/* --- the driver ------------------------------------------------------------ */

const char *parse_text_at(const struct parse_ctx *ctx, struct span at)
{
    if (!ctx->chunk || at.start < ctx->chunk_base || at.end > ctx->chunk_end ||
        at.end < at.start)
        return "";
    return ctx->chunk + (at.start - ctx->chunk_base);
}

bool parse_next_chunk(struct parse_ctx *ctx, void *scanner)
{
    /* The source is the journal's, being read: not const here. */
    struct source *s = (struct source *)ctx->src;
    /* Leave the old chunk first: switching buffers would write flex's held
     * byte back at the old chunk's end, which the next chunk may reuse. */
    if (ctx->buffer)
        yy_delete_buffer(ctx->buffer, scanner);
    ctx->buffer = NULL;
    struct chunk c;
    if (!source_next_chunk(s, &c, &ctx->read_err)) {
        /* The end: an empty buffer, so that flex never falls back to
         * reading its own input. */
        ctx->eof_buf[0] = ctx->eof_buf[1] = '\0';
        c = (struct chunk){ ctx->eof_buf, s->len, 0, true };
        ctx->buffer = yy_scan_buffer(c.p, 2, scanner);
        if (!ctx->buffer)
            oom();
        ctx->chunk = c.p;
        ctx->chunk_base = ctx->chunk_end = c.base;
        return false;
    }
    YY_BUFFER_STATE bs = yy_scan_buffer(c.p, (yy_size_t)c.len + 2, scanner);
    if (!bs)
        oom();
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
        oom();
    if (parse_next_chunk(ctx, scanner))
        yyparse(scanner, ctx);
    if (ctx->buffer)
        yy_delete_buffer(ctx->buffer, scanner);
    ctx->buffer = NULL;
    ctx->chunk = NULL;
    yylex_destroy(scanner);
    if (ctx->read_err) {
        uint32_t at = ctx->src->len;
        diag_report(ctx->diags, R_SYNTAX, ctx->src, (struct span){ at, at },
                    "the file could not be read past here: %s",
                    strerror(ctx->read_err));
    }
    source_end_read((struct source *)ctx->src);

    /* An entry's header comment covers the whole entry. */
    for (struct block *b = ctx->file->blocks; b; b = b->link)
        if (b->kind == BK_ENTRY && b->u.entry->ignore.present)
            diag_ignore(ctx->diags, ctx->src, b->u.entry->at.start,
                        b->u.entry->end.end, &b->u.entry->ignore, true);
}
