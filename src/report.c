/* report.c - the reports: agenda, clients, pipeline (cli.md section 7).
 *
 * Nothing here decides where a client stands: the state of each client
 * (level, runs, won, last ask, next step, overdue) is the rule engine's
 * (client_state_of, client_state_flags, next_steps_open, next_is_overdue in
 * ladder_rules.c).  This module only gathers rows and writes them as text
 * (80 columns, shortened with an ellipsis, optionally coloured), CSV (RFC
 * 4180) or JSON (one document, "version": 1).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ladder.h"
#include "ladder_rules.h"
#include "model.h"
#include "source.h"
#include "utf8.h"

#define WIDTH 80

static const struct journal *J(const ladder_journal *lj)
{
    return (const struct journal *)(const void *)lj;
}

static void set_err(ladder_error *err, ladder_status st, int errnum, const char *msg)
{
    if (!err)
        return;
    err->status = st;
    err->errnum = errnum;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

/* --- an output buffer through the config's allocator ---------------------- */

struct buf {
    char *p;
    size_t n, cap;
    bool oom;
    struct allocator a;
};

static void *b_realloc(struct allocator *a, void *p, size_t n)
{
    if (a->alloc) {
        if (a->realloc)
            return a->realloc(a->ud, p, n);
        return NULL;
    }
    return realloc(p, n);
}

static void b_free(struct allocator *a, void *p)
{
    if (!p)
        return;
    if (a->alloc)
        a->free(a->ud, p);
    else
        free(p);
}

static void *b_alloc(struct allocator *a, size_t n)
{
    return a->alloc ? a->alloc(a->ud, n) : malloc(n);
}

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->oom || !n)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        char *p = b_realloc(&b->a, b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void putf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* --- text of the journal ----------------------------------------------------- */

/* The bytes of span `sp` of a source: from the kept text, or its line read
 * again (valid until the next call for this source). */
static const char *span_text(const struct source *src, struct span sp, size_t *len)
{
    *len = 0;
    if (sp.end <= sp.start)
        return "";
    uint32_t n = 0;
    const char *t = source_text(src, &n);
    if (t) {
        if (sp.end > n)
            return "";
        *len = sp.end - sp.start;
        return t + sp.start;
    }
    struct pos p = source_pos(src, sp.start);
    uint32_t ll = 0;
    const char *l = source_line(src, p.line, &ll);
    if (!l || p.col - 1 > ll)
        return "";
    size_t off = p.col - 1, want = sp.end - sp.start;
    *len = want < ll - off ? want : ll - off;
    return l + off;
}

static uint32_t line_of(const struct source *src, uint32_t off)
{
    return source_pos(src, off).line;
}

/* Fold a text as the journal matches it: runs of blanks to one space, the
 * ends trimmed; characters that must not reach a terminal become U+FFFD
 * when `safe`.  Appends to b. */
static void put_clean(struct buf *b, const char *p, size_t n, bool safe)
{
    bool blank = false, any = false;
    size_t i = 0;
    while (i < n) {
        int32_t cp;
        size_t k = utf8_decode(p + i, n - i, &cp);
        if (cp == ' ' || cp == '\t') {
            blank = true;
            i += k;
            continue;
        }
        if (blank && any)
            put(b, " ", 1);
        blank = false;
        any = true;
        if (cp < 0 || (safe && utf8_is_dangerous(cp, true)))
            put(b, "\xEF\xBF\xBD", 3);
        else
            put(b, p + i, k);
        i += k;
    }
}

/* A cleaned copy of a text in a scratch buffer (reset by the caller). */
static const char *clean(struct buf *scratch, const char *p, size_t n, bool safe)
{
    scratch->n = 0;
    put_clean(scratch, p, n, safe);
    put(scratch, "", 1);
    put(scratch, "\0", 1);
    return scratch->oom ? "" : scratch->p;
}

/* Text in at most `w` screen columns: shortened with an ellipsis when
 * longer, padded with spaces to `w` when `pad`. */
static void put_cell(struct buf *b, const char *s, size_t w, bool pad)
{
    size_t n = strlen(s);
    size_t cols = utf8_columns(s, n, UTF8_DISPLAY, 0);
    if (cols <= w) {
        put(b, s, n);
        if (pad)
            for (size_t k = cols; k < w; k++)
                put(b, " ", 1);
        return;
    }
    if (w == 0)
        return;
    /* Keep code points while they fit in w - 1 columns, then "…". */
    size_t i = 0, used = 0;
    while (i < n) {
        int32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        int cw = cp < 0 ? 1 : utf8_cp_width(cp);
        if (used + (size_t)cw > w - 1)
            break;
        used += (size_t)cw;
        i += k;
    }
    put(b, s, i);
    put(b, "\xE2\x80\xA6", 3);
    used++;
    if (pad)
        for (; used < w; used++)
            put(b, " ", 1);
}

static size_t cols_of(const char *s)
{
    return utf8_columns(s, strlen(s), UTF8_DISPLAY, 0);
}

/* --- CSV and JSON fields ----------------------------------------------------- */

static void csv_field(struct buf *b, const char *s, bool first)
{
    if (!first)
        put(b, ",", 1);
    bool quote = false;
    for (const unsigned char *p = (const unsigned char *)s; *p && !quote; p++)
        quote = *p == ',' || *p == '"' || *p < 0x20 || *p == 0x7f;
    if (!quote) {
        puts_(b, s);
        return;
    }
    put(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            put(b, "\"", 1);
        put(b, p, 1);
    }
    put(b, "\"", 1);
}

static void csv_num(struct buf *b, long v)
{
    putf(b, ",%ld", v);
}

static void csv_end(struct buf *b)
{
    put(b, "\r\n", 2);
}

static void json_str(struct buf *b, const char *s)
{
    put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': puts_(b, "\\\""); break;
        case '\\': puts_(b, "\\\\"); break;
        case '\n': puts_(b, "\\n"); break;
        case '\r': puts_(b, "\\r"); break;
        case '\t': puts_(b, "\\t"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                putf(b, "\\u%04x", *p);
            else
                put(b, (const char *)p, 1);
        }
    }
    put(b, "\"", 1);
}

static void json_key(struct buf *b, const char *k, bool first)
{
    if (!first)
        put(b, ",", 1);
    json_str(b, k);
    put(b, ":", 1);
}

static void json_kstr(struct buf *b, const char *k, const char *v)
{
    json_key(b, k, false);
    if (v)
        json_str(b, v);
    else
        puts_(b, "null");
}

static void json_knum(struct buf *b, const char *k, long v)
{
    json_key(b, k, false);
    putf(b, "%ld", v);
}

/* --- words ----------------------------------------------------------------- */

struct ymd {
    char s[16];
};

static struct ymd ymd_of(int y, int m, int d)
{
    struct ymd r;
    if (y < 0) y = 0;
    if (y > 9999) y = 9999;
    snprintf(r.s, sizeof r.s, "%04d-%02d-%02d", y, m & 0x1f, d & 0x3f);
    return r;
}

static struct ymd ymd(struct date d)
{
    return ymd_of(d.year, d.month, d.day);
}

static struct ymd hhmm(int minutes)
{
    struct ymd r = { "" };
    if (minutes >= 0)
        snprintf(r.s, sizeof r.s, "%02d:%02d", minutes / 60 % 100, minutes % 60);
    return r;
}

static const char *rung_of(const struct journal *j, int rank)
{
    return rank >= 1 && rank <= j->nrungs ? j->rungs[rank - 1].name : "";
}

static const char *answer_word(char a)
{
    return a == 'y' ? "yes" : a == 'n' ? "no" : a == 'l' ? "later" : a == '?' ? "none" : "";
}

static const char *next_word(ladder_next_kind k)
{
    switch (k) {
    case LADDER_NEXT_DATED: return "dated";
    case LADDER_NEXT_UNSCHEDULED: return "unscheduled";
    case LADDER_NEXT_NONE: return "none";
    case LADDER_NEXT_PLANNED: return "planned";
    case LADDER_NEXT_MISSING: break;
    }
    return "missing";
}

static const char *const flag_words[] = { "stalled", "one-sided", "declining", "overdue", "won" };

const char *ladder_flag_name(unsigned flag)
{
    for (unsigned k = 0; k < sizeof flag_words / sizeof *flag_words; k++)
        if (flag == 1u << k)
            return flag_words[k];
    return NULL;
}

/* --- a client's state -------------------------------------------------------- */

static ladder_span span_at(const struct source *src, struct span s)
{
    ladder_span r = { src->index, s.start, s.end };
    return r;
}

static void state_fill(const struct journal *j, const struct client *c,
                       ladder_client_state *out)
{
    static const ladder_span nowhere = { LADDER_NOWHERE, 0, 0 };
    struct client_state s;
    client_state_of(j, c, &s);
    memset(out, 0, sizeof *out);
    out->name = c->name;
    out->level = s.climb.level;
    out->level_rung = rung_of(j, s.climb.level);
    out->level_at = s.climb.level_item
        ? span_at(s.climb.level_entry->src, item_line(s.climb.level_item)) : nowhere;
    out->last_at = out->ask_at = out->next_at = out->next_text_at = nowhere;
    out->next_minutes = -1;
    if (s.last_held) {
        out->contacted = true;
        out->last_year = s.last_held->date.year;
        out->last_month = s.last_held->date.month;
        out->last_day = s.last_held->date.day;
        out->days_since = date_days(j->config->today) - date_days(s.last_held->date);
        out->last_at = span_at(s.last_held->src, entry_line(s.last_held));
    }
    if (s.ask) {
        out->ask_rung = rung_of(j, s.ask->rank);
        out->ask_answer = s.ask->outcome == OUT_YES ? 'y' : s.ask->outcome == OUT_NO ? 'n'
                        : s.ask->outcome == OUT_LATER ? 'l' : '?';
        out->ask_at = span_at(s.ask_entry->src, item_line(s.ask));
    }
    const struct entry *e = s.last;
    out->next = LADDER_NEXT_MISSING;
    if (e && e->status == ST_PLANNED) {
        out->next = LADDER_NEXT_PLANNED;
        out->next_year = e->date.year;
        out->next_month = e->date.month;
        out->next_day = e->date.day;
        out->next_minutes = e->minutes;
        out->next_at = span_at(e->src, entry_line(e));
        out->next_text_at = span_at(e->src, entry_title_at(e));
    } else if (e && e->status == ST_HELD) {
        /* The earliest dated step, else the first unscheduled one; `next
         * none` anywhere in the entry closes them all. */
        const struct item *best = NULL;
        for (uint32_t i = 0; i < e->nitems; i++) {
            const struct item *it = &e->items[i];
            if (it->kind != IT_NEXT)
                continue;
            if (it->next == NEXT_NONE) {
                best = it;
                break;
            }
            if (it->next == NEXT_DATED && it->date.valid &&
                (!best || best->next != NEXT_DATED || date_cmp(it->date, best->date) < 0))
                best = it;
            else if (it->next == NEXT_TEXT && !best)
                best = it;
        }
        if (best) {
            out->next = best->next == NEXT_NONE ? LADDER_NEXT_NONE
                      : best->next == NEXT_DATED ? LADDER_NEXT_DATED : LADDER_NEXT_UNSCHEDULED;
            out->next_at = span_at(e->src, item_line(best));
            if (best->next != NEXT_NONE)
                out->next_text_at = span_at(e->src, item_next_text(best));
            if (best->next == NEXT_DATED) {
                out->next_year = best->date.year;
                out->next_month = best->date.month;
                out->next_day = best->date.day;
                out->next_minutes = item_minutes(best);
            }
        }
    }
    out->held = s.held;
    out->calls = s.calls;
    out->gives = s.gives;
    out->commitments = s.commitments;
    unsigned f = client_state_flags(j, &s);
    out->flags = ((f & CLIENT_STALLED) ? LADDER_FLAG_STALLED : 0) |
                 ((f & CLIENT_ONE_SIDED) ? LADDER_FLAG_ONE_SIDED : 0) |
                 ((f & CLIENT_DECLINING) ? LADDER_FLAG_DECLINING : 0) |
                 ((f & CLIENT_OVERDUE) ? LADDER_FLAG_OVERDUE : 0) |
                 ((f & CLIENT_WON) ? LADDER_FLAG_WON : 0);
}

static const struct client *client_at(const struct journal *j, size_t i)
{
    const struct client *c = j->clients;
    while (c && c->index != i)
        c = c->link;
    return c;
}

void ladder_client_state_get(const ladder_journal *lj, size_t i, ladder_client_state *out)
{
    const struct client *c = client_at(J(lj), i);
    memset(out, 0, sizeof *out);
    if (c)
        state_fill(J(lj), c, out);
}

/* The text of a client's next step (the item's text, or a planned entry's
 * kind and title), cleaned into `scratch`. */
static const char *next_text(const struct journal *j, const struct client *c,
                             const ladder_client_state *st, struct buf *scratch, bool safe)
{
    scratch->n = 0;
    if (st->next_at.file == LADDER_NOWHERE || !c->nentries)
        return "";
    const struct entry *e = client_entry(j, c, c->nentries - 1);
    if (st->next == LADDER_NEXT_PLANNED) {
        size_t n;
        const char *t = span_text(e->src, entry_title_at(e), &n);
        return clean(scratch, t, n, safe);
    }
    for (uint32_t i = 0; i < e->nitems; i++)
        if (e->items[i].start == st->next_at.start) {
            size_t n;
            const char *t = span_text(e->src, item_next_text(&e->items[i]), &n);
            return clean(scratch, t, n, safe);
        }
    (void)j;
    return "";
}

/* --- the reporter ------------------------------------------------------------ */

struct ladder_reporter {
    FILE *out;
    ladder_report_options o;
    struct allocator a;
    struct buf main;            /* clients, pipeline; agenda: overdue */
    struct buf sec[3];          /* agenda's sections */
    size_t nsec[3];
    size_t njournals;
    struct buf scratch, scratch2;
    bool first_row;
    struct date today;
    bool have_today;
};

static struct buf new_buf(const struct allocator *a)
{
    struct buf b = { 0 };
    b.a = *a;
    return b;
}

ladder_reporter *ladder_report_begin(const ladder_config *cfg, FILE *out,
                                     const ladder_report_options *o,
                                     ladder_error *err)
{
    /* A ladder_config starts with its struct config (ladder.c). */
    const struct config *c = (const struct config *)(const void *)cfg;
    struct allocator a = c ? c->alloc : (struct allocator){ 0 };
    ladder_reporter *r = b_alloc(&a, sizeof *r);
    if (!r) {
        set_err(err, LADDER_ENOMEM, 0, "out of memory");
        return NULL;
    }
    memset(r, 0, sizeof *r);
    r->out = out;
    r->o = *o;
    if (r->o.days < 0)
        r->o.days = 0;
    r->a = a;
    r->main = new_buf(&a);
    for (int k = 0; k < 3; k++)
        r->sec[k] = new_buf(&a);
    r->scratch = new_buf(&a);
    r->scratch2 = new_buf(&a);
    r->first_row = true;
    if (c) {
        r->today = c->today;
        r->have_today = true;
    }
    return r;
}

/* ANSI colours, when asked for. */
static void col(ladder_reporter *r, struct buf *b, const char *code)
{
    if (r->o.color)
        puts_(b, code);
}
#define BOLD "\033[1m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define CYAN "\033[36m"
#define RESET "\033[0m"

/* --- agenda ------------------------------------------------------------------ */

enum { OVERDUE, COMING, UNSCHEDULED };

struct arow {
    int section;
    const struct entry *e;
    const struct item *it;      /* NULL: a planned entry */
    struct date date;           /* the step's date; unscheduled: its entry's */
    int minutes;
    long days;                  /* late, until, or since */
};

static int arow_cmp(const void *pa, const void *pb)
{
    const struct arow *a = pa, *b = pb;
    if (a->section != b->section)
        return a->section - b->section;
    int c = date_cmp(a->date, b->date);
    if (c)
        return c;
    if (a->minutes != b->minutes)
        return a->minutes < b->minutes ? -1 : 1;
    if (a->e->seq != b->e->seq)
        return a->e->seq < b->e->seq ? -1 : 1;
    uint32_t ia = a->it ? a->it->start : 0, ib = b->it ? b->it->start : 0;
    return ia < ib ? -1 : ia > ib;
}

static const char *const section_names[] = { "overdue", "coming", "unscheduled" };

static void agenda_row(ladder_reporter *r, const struct journal *j, const struct arow *w)
{
    struct buf *b = &r->sec[w->section];
    const struct entry *e = w->e;
    bool text = r->o.format == LADDER_REPORT_TEXT;
    uint32_t line = line_of(e->src, w->it ? w->it->start : e->start);
    const char *kind = w->it ? "next" : "planned";
    const char *rung = w->it ? rung_of(j, w->it->rank) : "";
    size_t n;
    const char *t = w->it ? span_text(e->src, item_next_text(w->it), &n) : span_text(e->src, entry_title_at(e), &n);
    const char *what = clean(&r->scratch, t, n, text);
    const char *file = clean(&r->scratch2, e->src->name, strlen(e->src->name), text);
    struct ymd date = ymd(w->date), tm = hhmm(w->minutes);
    r->nsec[w->section]++;
    if (r->o.format == LADDER_REPORT_CSV) {
        csv_field(b, section_names[w->section], true);
        csv_field(b, file, false);
        csv_num(b, (long)line);
        csv_field(b, date.s, false);
        csv_field(b, tm.s, false);
        csv_field(b, entry_who(j, e)->name, false);
        csv_field(b, kind, false);
        csv_field(b, rung, false);
        csv_field(b, what, false);
        csv_num(b, w->days);
        csv_end(b);
        return;
    }
    if (r->o.format == LADDER_REPORT_JSON) {
        if (r->nsec[w->section] > 1)
            put(b, ",", 1);
        puts_(b, "\n    {");
        json_key(b, "file", true);
        json_str(b, file);
        json_knum(b, "line", (long)line);
        json_kstr(b, "date", date.s);
        json_kstr(b, "time", w->minutes >= 0 ? tm.s : NULL);
        json_kstr(b, "client", entry_who(j, e)->name);
        json_kstr(b, "kind", kind);
        json_kstr(b, "rung", *rung ? rung : NULL);
        json_kstr(b, "text", what);
        json_knum(b, "days", w->days);
        put(b, "}", 1);
        return;
    }
    /* FILE:LINE: DATE  WHEN  CLIENT: TEXT, in 80 columns (the place is
     * never shortened: it is what editors jump to). */
    size_t start = b->n;
    putf(b, "%s:%u: ", file, line);
    size_t used = cols_of(file) + 3 + (size_t)snprintf(NULL, 0, "%u", line);
    char when[48];
    if (w->section == OVERDUE)
        snprintf(when, sizeof when, "%ld day%s late", w->days, w->days == 1 ? "" : "s");
    else if (w->section == COMING)
        snprintf(when, sizeof when, w->days == 0 ? "today" : w->days == 1 ? "tomorrow"
                 : "in %ld days", w->days);
    else
        snprintf(when, sizeof when, "unscheduled");
    col(r, b, w->section == OVERDUE ? RED : w->section == COMING ? YELLOW : CYAN);
    put(b, date.s, strlen(date.s));
    put(b, " ", 1);
    put_cell(b, when, 14, true);
    col(r, b, RESET);
    used += 11 + 14 + 1;
    put(b, " ", 1);
    size_t room = used < WIDTH ? WIDTH - used : 0;
    const char *who = entry_who(j, e)->name;
    const char *name = clean(&r->scratch2, who, strlen(who), true);
    col(r, b, BOLD);
    size_t nw = cols_of(name);
    size_t name_room = room > 24 ? 24 : room;
    put_cell(b, name, nw < name_room ? nw : name_room, false);
    col(r, b, RESET);
    used += nw < name_room ? nw : name_room;
    room = used + 2 < WIDTH ? WIDTH - used - 2 : 0;
    /* What: the kind (a planned call) or the rung, then the text. */
    struct buf *s2 = &r->scratch2;
    s2->n = 0;
    if (!w->it) {
        size_t kn;
        const char *k = e->kind ? span_text(e->src, entry_kind_at(e), &kn) : "call";
        if (!e->kind)
            kn = 4;
        put(s2, "planned ", 8);
        put_clean(s2, k, kn, true);
    } else if (*rung) {
        puts_(s2, rung);
    }
    if (*what) {
        if (s2->n)
            put(s2, ": ", 2);
        puts_(s2, what);
    }
    put(s2, "", 1);
    put(s2, "\0", 1);
    if (s2->n > 2 && room > 0 && !s2->oom) {
        put(b, ": ", 2);
        put_cell(b, s2->p, room, false);
    }
    (void)start;
    put(b, "\n", 1);
}

static void agenda_journal(ladder_reporter *r, const struct journal *j)
{
    struct date today = j->config->today;
    long t0 = date_days(today), t1 = t0 + r->o.days;
    size_t cap = 64, n = 0;
    struct arow *rows = b_alloc(&r->a, cap * sizeof *rows);
    if (!rows) {
        r->main.oom = true;
        return;
    }
#define ADD(...) do {                                                   \
        if (n == cap) {                                                 \
            struct arow *nr = b_realloc(&r->a, rows, 2 * cap * sizeof *rows); \
            if (!nr) { r->main.oom = true; goto done; }                 \
            rows = nr; cap *= 2;                                        \
        }                                                               \
        rows[n++] = (struct arow){ __VA_ARGS__ };                       \
    } while (0)
    for (const struct client *c = j->clients; c; c = c->link) {
        if (!c->nentries)
            continue;
        const struct entry *last = client_entry(j, c, c->nentries - 1);
        /* A client closed with `next none` leaves the agenda. */
        bool closed = false;
        if (last->status == ST_HELD)
            for (uint32_t i = 0; i < last->nitems; i++)
                closed |= last->items[i].kind == IT_NEXT && last->items[i].next == NEXT_NONE;
        if (closed)
            continue;
        /* Planned calls in the window. */
        for (uint32_t k = 0; k < c->nentries; k++) {
            const struct entry *e = client_entry(j, c, k);
            long d = date_days(e->date);
            if (e->status == ST_PLANNED && d >= t0 && d <= t1)
                ADD(.section = COMING, .e = e, .it = NULL, .date = e->date,
                    .minutes = e->minutes, .days = d - t0);
        }
        /* The last entry's next steps, while nothing came after it. */
        if (!next_steps_open(j, last))
            continue;
        for (uint32_t i = 0; i < last->nitems; i++) {
            const struct item *it = &last->items[i];
            if (it->kind != IT_NEXT)
                continue;
            if (next_is_overdue(j, last, it)) {
                ADD(.section = OVERDUE, .e = last, .it = it, .date = it->date,
                    .minutes = item_minutes(it), .days = t0 - date_days(it->date));
            } else if (it->next == NEXT_DATED && it->date.valid) {
                long d = date_days(it->date);
                if (d >= t0 && d <= t1)
                    ADD(.section = COMING, .e = last, .it = it, .date = it->date,
                        .minutes = item_minutes(it), .days = d - t0);
            } else if (it->next == NEXT_TEXT) {
                ADD(.section = UNSCHEDULED, .e = last, .it = it, .date = last->date,
                    .minutes = last->minutes, .days = t0 - date_days(last->date));
            }
        }
    }
#undef ADD
    qsort(rows, n, sizeof *rows, arow_cmp);
    for (size_t k = 0; k < n; k++)
        agenda_row(r, j, &rows[k]);
done:
    b_free(&r->a, rows);
}

/* --- clients ----------------------------------------------------------------- */

struct crow {
    const struct client *c;
    ladder_client_state st;
};

static int by_name(const struct crow *a, const struct crow *b)
{
    return strcmp(a->st.name, b->st.name);
}

static int crow_name(const void *pa, const void *pb)
{
    return by_name(pa, pb);
}

/* Longest since the last contact first (never contacted before all). */
static int crow_last(const void *pa, const void *pb)
{
    const struct crow *a = pa, *b = pb;
    if (a->st.contacted != b->st.contacted)
        return a->st.contacted ? 1 : -1;
    if (a->st.contacted && a->st.days_since != b->st.days_since)
        return a->st.days_since > b->st.days_since ? -1 : 1;
    return by_name(a, b);
}

/* Highest level first. */
static int crow_level(const void *pa, const void *pb)
{
    const struct crow *a = pa, *b = pb;
    if (a->st.level != b->st.level)
        return a->st.level > b->st.level ? -1 : 1;
    return by_name(a, b);
}

/* The columns of the text form: 80 in all. */
enum { W_NAME = 15, W_LEVEL = 11, W_LAST = 10, W_DAYS = 4, W_ASK = 11, W_NEXT = 11,
       W_COUNTS = 6, W_FLAGS = 5 };

static void clients_header(ladder_reporter *r, struct buf *b)
{
    col(r, b, BOLD);
    put_cell(b, "CLIENT", W_NAME, true);
    put(b, " ", 1);
    put_cell(b, "LEVEL", W_LEVEL, true);
    put(b, " ", 1);
    put_cell(b, "LAST", W_LAST, true);
    put(b, " ", 1);
    put_cell(b, "DAYS", W_DAYS, true);
    put(b, " ", 1);
    put_cell(b, "ASK", W_ASK, true);
    put(b, " ", 1);
    put_cell(b, "NEXT", W_NEXT, true);
    put(b, " ", 1);
    put_cell(b, "C/G/K", W_COUNTS, true);
    put(b, " ", 1);
    puts_(b, "FLAGS");
    col(r, b, RESET);
    put(b, "\n", 1);
}

static void client_text_row(ladder_reporter *r, struct buf *b, const struct crow *w)
{
    const ladder_client_state *st = &w->st;
    char tmp[128];
    const char *name = clean(&r->scratch, st->name, strlen(st->name), true);
    col(r, b, BOLD);
    put_cell(b, name, W_NAME, true);
    col(r, b, RESET);
    put(b, " ", 1);
    if (st->level)
        snprintf(tmp, sizeof tmp, "%d %s", st->level, st->level_rung);
    else
        snprintf(tmp, sizeof tmp, "0 none");
    put_cell(b, tmp, W_LEVEL, true);
    put(b, " ", 1);
    put_cell(b, st->contacted ? ymd_of(st->last_year, st->last_month, st->last_day).s : "-",
             W_LAST, true);
    put(b, " ", 1);
    if (st->contacted)
        snprintf(tmp, sizeof tmp, "%4ld", st->days_since);
    else
        snprintf(tmp, sizeof tmp, "   -");
    put_cell(b, strlen(tmp) > W_DAYS ? "9999" : tmp, W_DAYS, true);
    put(b, " ", 1);
    if (st->ask_rung)
        snprintf(tmp, sizeof tmp, "%s %s", st->ask_rung, answer_word(st->ask_answer));
    else
        snprintf(tmp, sizeof tmp, "-");
    put_cell(b, tmp, W_ASK, true);
    put(b, " ", 1);
    switch (st->next) {
    case LADDER_NEXT_DATED:
    case LADDER_NEXT_PLANNED:
        snprintf(tmp, sizeof tmp, "%s%s", ymd_of(st->next_year, st->next_month, st->next_day).s,
                 st->next == LADDER_NEXT_PLANNED ? "!" : "");
        break;
    case LADDER_NEXT_UNSCHEDULED: snprintf(tmp, sizeof tmp, "unscheduled"); break;
    case LADDER_NEXT_NONE: snprintf(tmp, sizeof tmp, "none"); break;
    case LADDER_NEXT_MISSING: snprintf(tmp, sizeof tmp, "-"); break;
    }
    if (st->flags & LADDER_FLAG_OVERDUE)
        col(r, b, RED);
    put_cell(b, tmp, W_NEXT, true);
    if (st->flags & LADDER_FLAG_OVERDUE)
        col(r, b, RESET);
    put(b, " ", 1);
    snprintf(tmp, sizeof tmp, "%zu/%zu/%zu", st->calls, st->gives, st->commitments);
    put_cell(b, tmp, W_COUNTS, true);
    put(b, " ", 1);
    static const char letters[] = "SODLW";
    for (int k = 0; k < 5; k++) {
        bool on = st->flags & (1u << k);
        if (on)
            col(r, b, k == 4 ? GREEN : k == 3 ? RED : YELLOW);
        put(b, on ? &letters[k] : "-", 1);
        if (on)
            col(r, b, RESET);
    }
    put(b, "\n", 1);
}

static void flags_list(struct buf *b, unsigned flags, bool json)
{
    bool any = false;
    if (json)
        put(b, "[", 1);
    for (int k = 0; k < 5; k++)
        if (flags & (1u << k)) {
            if (any)
                put(b, json ? "," : " ", 1);
            if (json)
                json_str(b, flag_words[k]);
            else
                puts_(b, flag_words[k]);
            any = true;
        }
    if (json)
        put(b, "]", 1);
}

static void client_row(ladder_reporter *r, const struct journal *j, struct buf *b,
                       const struct crow *w)
{
    const ladder_client_state *st = &w->st;
    if (r->o.format == LADDER_REPORT_TEXT) {
        client_text_row(r, b, w);
        return;
    }
    const char *file = j->files[0]->src->name;
    const char *text = next_text(j, w->c, st, &r->scratch, false);
    struct ymd last = ymd_of(st->last_year, st->last_month, st->last_day);
    struct ymd nd = ymd_of(st->next_year, st->next_month, st->next_day);
    struct ymd nt = hhmm(st->next_minutes);
    bool dated = st->next == LADDER_NEXT_DATED || st->next == LADDER_NEXT_PLANNED;
    if (r->o.format == LADDER_REPORT_CSV) {
        csv_field(b, st->name, true);
        csv_field(b, file, false);
        csv_num(b, st->level);
        csv_field(b, st->level_rung, false);
        csv_field(b, st->contacted ? last.s : "", false);
        if (st->contacted)
            csv_num(b, st->days_since);
        else
            put(b, ",", 1);
        csv_field(b, st->ask_rung ? st->ask_rung : "", false);
        csv_field(b, st->ask_rung ? answer_word(st->ask_answer) : "", false);
        csv_field(b, next_word(st->next), false);
        csv_field(b, dated ? nd.s : "", false);
        csv_field(b, dated ? nt.s : "", false);
        csv_field(b, text, false);
        csv_num(b, (long)st->calls);
        csv_num(b, (long)st->gives);
        csv_num(b, (long)st->commitments);
        struct buf *f = &r->scratch2;
        f->n = 0;
        flags_list(f, st->flags, false);
        put(f, "", 1);
        put(f, "\0", 1);
        csv_field(b, f->oom ? "" : f->p, false);
        csv_end(b);
        return;
    }
    if (!r->first_row)
        put(b, ",", 1);
    r->first_row = false;
    put(b, "\n    {", 6);
    json_key(b, "name", true);
    json_str(b, st->name);
    json_kstr(b, "file", file);
    json_knum(b, "level", st->level);
    json_kstr(b, "rung", st->level ? st->level_rung : NULL);
    json_kstr(b, "last", st->contacted ? last.s : NULL);
    json_key(b, "days_since", false);
    if (st->contacted)
        putf(b, "%ld", st->days_since);
    else
        puts_(b, "null");
    json_key(b, "ask", false);
    if (st->ask_rung) {
        put(b, "{", 1);
        json_key(b, "rung", true);
        json_str(b, st->ask_rung);
        json_kstr(b, "answer", answer_word(st->ask_answer));
        put(b, "}", 1);
    } else {
        puts_(b, "null");
    }
    json_key(b, "next", false);
    put(b, "{", 1);
    json_key(b, "kind", true);
    json_str(b, next_word(st->next));
    json_kstr(b, "date", dated ? nd.s : NULL);
    json_kstr(b, "time", dated && st->next_minutes >= 0 ? nt.s : NULL);
    json_kstr(b, "text", st->next_at.file != LADDER_NOWHERE ? text : NULL);
    put(b, "}", 1);
    json_knum(b, "calls", (long)st->calls);
    json_knum(b, "gives", (long)st->gives);
    json_knum(b, "commitments", (long)st->commitments);
    json_key(b, "flags", false);
    flags_list(b, st->flags, true);
    put(b, "}", 1);
}

static void clients_journal(ladder_reporter *r, const struct journal *j)
{
    size_t n = j->nclients;
    struct crow *rows = b_alloc(&r->a, (n ? n : 1) * sizeof *rows);
    if (!rows) {
        r->main.oom = true;
        return;
    }
    size_t k = 0;
    for (const struct client *c = j->clients; c && k < n; c = c->link, k++) {
        rows[k].c = c;
        state_fill(j, c, &rows[k].st);
    }
    n = k;
    qsort(rows, n, sizeof *rows, r->o.sort == LADDER_SORT_LAST ? crow_last
          : r->o.sort == LADDER_SORT_LEVEL ? crow_level : crow_name);
    for (k = 0; k < n; k++)
        client_row(r, j, &r->main, &rows[k]);
    b_free(&r->a, rows);
}

static void free_reporter(ladder_reporter *r)
{
    b_free(&r->a, r->main.p);
    for (int k = 0; k < 3; k++)
        b_free(&r->a, r->sec[k].p);
    b_free(&r->a, r->scratch.p);
    b_free(&r->a, r->scratch2.p);
    struct allocator a = r->a;
    b_free(&a, r);
}

ladder_status ladder_report_client(const ladder_journal *lj, size_t i, FILE *out,
                                   ladder_error *err)
{
    const struct journal *j = J(lj);
    const struct client *c = client_at(j, i);
    if (!c) {
        set_err(err, LADDER_EINVAL, 0, "no such client");
        return LADDER_EINVAL;
    }
    ladder_report_options o = { LADDER_REPORT_CLIENTS, LADDER_REPORT_TEXT, LADDER_SORT_NAME,
                                0, false, false };
    ladder_reporter *r = ladder_report_begin(NULL, out, &o, err);
    if (!r)
        return LADDER_ENOMEM;
    struct crow w = { c, { 0 } };
    state_fill(j, c, &w.st);
    clients_header(r, &r->main);
    client_text_row(r, &r->main, &w);
    ladder_status st = LADDER_OK;
    if (r->main.oom || r->scratch.oom) {
        set_err(err, LADDER_ENOMEM, 0, "out of memory");
        st = LADDER_ENOMEM;
    } else if (fwrite(r->main.p, 1, r->main.n, out) != r->main.n) {
        set_err(err, LADDER_EWRITE, errno, "cannot write");
        st = LADDER_EWRITE;
    }
    free_reporter(r);
    return st;
}

/* --- pipeline ---------------------------------------------------------------- */

static void bar(ladder_reporter *r, struct buf *b, size_t count, size_t total, size_t w)
{
    if (!total)
        return;
    /* In eighths of a column, rounded up so that a non-zero count shows. */
    size_t eighths = (count * w * 8 + total - 1) / total;
    if (!r->o.blocks) {
        for (size_t k = 0; k < (eighths + 7) / 8; k++)
            put(b, "#", 1);
        return;
    }
    static const char *const part[] = { "", "\xE2\x96\x8F", "\xE2\x96\x8E", "\xE2\x96\x8D",
                                        "\xE2\x96\x8C", "\xE2\x96\x8B", "\xE2\x96\x8A",
                                        "\xE2\x96\x89" };
    col(r, b, GREEN);
    for (size_t k = 0; k < eighths / 8; k++)
        puts_(b, "\xE2\x96\x88");
    puts_(b, part[eighths % 8]);
    col(r, b, RESET);
}

static void pipeline_journal(ladder_reporter *r, const struct journal *j)
{
    int top = j->nrungs;
    size_t *now = b_alloc(&r->a, (size_t)(top + 1) * sizeof *now);
    const struct client **who = b_alloc(&r->a, (j->nclients ? j->nclients : 1) * sizeof *who);
    int *lvl = b_alloc(&r->a, (j->nclients ? j->nclients : 1) * sizeof *lvl);
    struct buf *b = &r->main;
    if (!now || !who || !lvl) {
        b->oom = true;
        goto done;
    }
    memset(now, 0, (size_t)(top + 1) * sizeof *now);
    size_t n = 0;
    for (const struct client *c = j->clients; c && n < j->nclients; c = c->link) {
        struct client_state s;
        client_state_of(j, c, &s);
        int l = s.climb.level < 0 ? 0 : s.climb.level > top ? top : s.climb.level;
        who[n] = c;
        lvl[n++] = l;
        now[l]++;
    }
    /* reached[k]: clients at level k or higher. */
    size_t reached = n;
    const char *file = j->files[0]->src->name;
    if (r->o.format == LADDER_REPORT_TEXT) {
        if (r->njournals > 1)
            put(b, "\n", 1);
        const char *f = clean(&r->scratch, file, strlen(file), true);
        col(r, b, BOLD);
        puts_(b, "pipeline of ");
        put_cell(b, f, WIDTH - 24, false);
        putf(b, ": %zu client%s", n, n == 1 ? "" : "s");
        col(r, b, RESET);
        put(b, "\n", 1);
        col(r, b, BOLD);
        puts_(b, "RANK RUNG           NOW REACHED\n");
        col(r, b, RESET);
    }
    for (int k = 0; k <= top; k++) {
        const char *rung = k ? rung_of(j, k) : "";
        if (r->o.format == LADDER_REPORT_CSV) {
            csv_field(b, file, true);
            csv_num(b, k);
            csv_field(b, rung, false);
            csv_num(b, (long)now[k]);
            csv_num(b, (long)reached);
            csv_end(b);
        } else if (r->o.format == LADDER_REPORT_JSON) {
            puts_(b, k ? ",\n        {" : "\n        {");
            json_key(b, "rank", true);
            putf(b, "%d", k);
            json_kstr(b, "rung", k ? rung : NULL);
            json_knum(b, "now", (long)now[k]);
            json_knum(b, "reached", (long)reached);
            json_key(b, "clients", false);
            put(b, "[", 1);
            bool any = false;
            for (size_t c = 0; c < n; c++)
                if (lvl[c] == k) {
                    if (any)
                        put(b, ",", 1);
                    json_str(b, who[c]->name);
                    any = true;
                }
            put(b, "]}", 2);
        } else {
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%4d ", k);
            puts_(b, tmp);
            put_cell(b, k ? rung : "(none yet)", 14, true);
            snprintf(tmp, sizeof tmp, " %4zu %7zu", now[k], reached);
            puts_(b, tmp);
            if (reached) {
                put(b, " ", 1);
                bar(r, b, reached, n, WIDTH - 33);
            }
            put(b, "\n", 1);
        }
        reached -= now[k];
    }
    if (r->o.format == LADDER_REPORT_JSON)
        put(b, "\n      ]}", 9);
done:
    b_free(&r->a, now);
    b_free(&r->a, who);
    b_free(&r->a, lvl);
}

/* --- the run ----------------------------------------------------------------- */

static const char *const kind_names[] = { "agenda", "clients", "pipeline" };

ladder_status ladder_report_journal(ladder_reporter *r, const ladder_journal *lj,
                                    ladder_error *err)
{
    const struct journal *j = J(lj);
    if (!j->nfiles) {
        set_err(err, LADDER_EINVAL, 0, "an empty journal");
        return LADDER_EINVAL;
    }
    r->njournals++;
    r->today = j->config->today;
    r->have_today = true;
    switch (r->o.kind) {
    case LADDER_REPORT_AGENDA:
        agenda_journal(r, j);
        break;
    case LADDER_REPORT_CLIENTS:
        if (r->njournals == 1 && r->o.format == LADDER_REPORT_TEXT)
            clients_header(r, &r->main);
        clients_journal(r, j);
        break;
    case LADDER_REPORT_PIPELINE:
        if (r->o.format == LADDER_REPORT_JSON) {
            if (r->njournals > 1)
                put(&r->main, ",", 1);
            put(&r->main, "\n    {", 6);
            json_key(&r->main, "file", true);
            json_str(&r->main, j->files[0]->src->name);
            json_knum(&r->main, "clients", (long)j->nclients);
            json_key(&r->main, "rungs", false);
            put(&r->main, "[", 1);
        }
        pipeline_journal(r, j);
        break;
    }
    /* A text that could not be copied would be missing from the report. */
    if (r->scratch.oom || r->scratch2.oom)
        r->main.oom = true;
    if (r->main.oom || r->sec[0].oom || r->sec[1].oom || r->sec[2].oom) {
        r->main.oom = true;
        set_err(err, LADDER_ENOMEM, 0, "out of memory");
        return LADDER_ENOMEM;
    }
    return LADDER_OK;
}

ladder_status ladder_report_end(ladder_reporter *r, ladder_error *err)
{
    if (!r)
        return LADDER_OK;
    struct buf o = new_buf(&r->a);
    bool text = r->o.format == LADDER_REPORT_TEXT, csv = r->o.format == LADDER_REPORT_CSV;
    ladder_status st = LADDER_OK;
    if (r->scratch.oom || r->scratch2.oom || r->main.oom || r->sec[0].oom || r->sec[1].oom || r->sec[2].oom) {
        set_err(err, LADDER_ENOMEM, 0, "out of memory");
        free_reporter(r);
        return LADDER_ENOMEM;
    }
    /* The small pieces gather in o; the rows go out from their buffers. */
    bool werr = false;
#define FLUSH() do {                                                    \
        if (!o.oom && o.n && fwrite(o.p, 1, o.n, r->out) != o.n)        \
            werr = true;                                                \
        o.n = 0;                                                        \
    } while (0)
#define BIG(p, n) do {                                                  \
        FLUSH();                                                        \
        if ((n) && fwrite((p), 1, (n), r->out) != (n))                  \
            werr = true;                                                \
    } while (0)
    struct ymd today = ymd(r->today);
    if (r->o.format == LADDER_REPORT_JSON) {
        putf(&o, "{\n  \"version\": 1,\n  \"report\": \"%s\",\n  \"today\": \"%s\"",
             kind_names[r->o.kind], today.s);
        if (r->o.kind == LADDER_REPORT_AGENDA) {
            putf(&o, ",\n  \"days\": %ld", r->o.days);
            for (int k = 0; k < 3; k++) {
                putf(&o, ",\n  \"%s\": [", section_names[k]);
                BIG(r->sec[k].p, r->sec[k].n);
                puts_(&o, r->nsec[k] ? "\n  ]" : "]");
            }
        } else if (r->o.kind == LADDER_REPORT_CLIENTS) {
            puts_(&o, ",\n  \"clients\": [");
            BIG(r->main.p, r->main.n);
            puts_(&o, r->first_row ? "]" : "\n  ]");
        } else {
            puts_(&o, ",\n  \"journals\": [");
            BIG(r->main.p, r->main.n);
            puts_(&o, r->njournals ? "\n  ]" : "]");
        }
        puts_(&o, "\n}\n");
    } else if (r->o.kind == LADDER_REPORT_AGENDA) {
        if (csv)
            puts_(&o, "section,file,line,date,time,client,kind,rung,text,days\r\n");
        for (int k = 0; k < 3; k++) {
            if (text) {
                if (r->o.color)
                    puts_(&o, BOLD);
                if (k == COMING) {
                    struct date end = r->today;
                    /* today + days, as a date */
                    long d = date_days(r->today) + r->o.days;
                    long z = d + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
                    long doe = z - era * 146097;
                    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
                    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
                    long mp = (5 * doy + 2) / 153, dd = doy - (153 * mp + 2) / 5 + 1;
                    long m = mp < 10 ? mp + 3 : mp - 9;
                    y += m <= 2;
                    if (y > 9999) {
                        y = 9999; m = 12; dd = 31;
                    }
                    end.year = (int16_t)y;
                    end.month = (int8_t)m;
                    end.day = (int8_t)dd;
                    putf(&o, "coming, %s to %s (%zu)", today.s, ymd(end).s, r->nsec[k]);
                } else {
                    putf(&o, "%s (%zu)", section_names[k], r->nsec[k]);
                }
                if (r->o.color)
                    puts_(&o, RESET);
                puts_(&o, "\n");
            }
            BIG(r->sec[k].p, r->sec[k].n);
        }
    } else if (r->o.kind == LADDER_REPORT_CLIENTS) {
        if (csv)
            puts_(&o, "client,file,level,rung,last,days_since,ask,answer,next,next_date,"
                      "next_time,next_text,calls,gives,commitments,flags\r\n");
        BIG(r->main.p, r->main.n);
        if (text && r->njournals)
            puts_(&o, "C/G/K: calls, gives, commitments.  FLAGS: S stalled, O one-sided, "
                      "D declining,\nL overdue (late), W won.\n");
    } else {
        if (csv)
            puts_(&o, "file,rank,rung,now,reached\r\n");
        BIG(r->main.p, r->main.n);
    }
    FLUSH();
#undef FLUSH
#undef BIG
    if (o.oom) {
        set_err(err, LADDER_ENOMEM, 0, "out of memory");
        st = LADDER_ENOMEM;
    } else if (werr || fflush(r->out) != 0) {
        set_err(err, LADDER_EWRITE, errno, "cannot write the report");
        st = LADDER_EWRITE;
    }
    b_free(&r->a, o.p);
    free_reporter(r);
    return st;
}
