/* fmt.c - the canonical form of one journal file (cli.md §6).
 *
 * The formatter rebuilds each line from what the parser recorded: the
 * spans of an entry's header parts and of its items, the comments
 * (struct file.comments), and the file's own bytes.  Directive lines are
 * keyword, one space, and the rest as written.  Only blanks, line ends and
 * the spelling of dates and times change: every line is checked, before it
 * is written, to hold the same non-blank bytes in the same order as the
 * original (dates and times aside); a line that would not is kept as
 * written, trimmed and re-indented, so no word can ever be lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* --- the output buffer ----------------------------------------------------- */

struct buf {
    const struct allocator *al;
    char *p;
    size_t len, cap;
    bool failed;
};

static void *al_realloc(const struct allocator *al, void *p, size_t n)
{
    if (al && al->alloc)
        return p ? al->realloc(al->ud, p, n) : al->alloc(al->ud, n);
    return realloc(p, n);
}

void al_free(const struct allocator *al, void *p)
{
    if (!p)
        return;
    if (al && al->alloc)
        al->free(al->ud, p);
    else
        free(p);
}

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->len + n + 1)
            nc *= 2;
        char *q;
        if (b->al && b->al->alloc && !b->al->realloc) {
            q = b->al->alloc(b->al->ud, nc);
            if (q && b->p) {
                memcpy(q, b->p, b->len);
                b->al->free(b->al->ud, b->p);
            }
        } else
            q = al_realloc(b->al, b->p, nc);
        if (!q) {
            b->failed = true;
            return;
        }
        b->p = q;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void spaces(struct buf *b, int n)
{
    put(b, "        ", (size_t)n);
}

/* --- one line as parts ----------------------------------------------------- */

/* A part of a line: the bytes as written [start, end), the canonical
 * spelling (NULL: as written), and the blanks before it. */
struct part {
    uint32_t start, end;
    char canon[12];
    bool has_canon;
    int sep;
};

enum { MAXPARTS = 16 };

struct line {
    const char *text;               /* the file */
    struct part part[MAXPARTS];
    int n;
    bool bad;                       /* a part was not found where expected */
};

static void add(struct line *l, uint32_t s, uint32_t e, int sep)
{
    if (l->n == MAXPARTS || e < s) {
        l->bad = true;
        return;
    }
    l->part[l->n++] = (struct part){ s, e, "", false, sep };
}

static void add_canon(struct line *l, uint32_t s, uint32_t e, int sep,
                      const char *canon)
{
    add(l, s, e, sep);
    if (!l->bad) {
        snprintf(l->part[l->n - 1].canon, sizeof l->part[0].canon, "%s", canon);
        l->part[l->n - 1].has_canon = true;
    }
}

/* The word starting at the first non-blank byte at or after s, before e. */
static struct span word_at(const char *t, uint32_t s, uint32_t e)
{
    while (s < e && blank(t[s]))
        s++;
    uint32_t w = s;
    while (w < e && !blank(t[w]))
        w++;
    return (struct span){ s, w };
}

/* Do the parts hold exactly the non-blank bytes of [s, e), in order? */
static bool same_words(const struct line *l, uint32_t s, uint32_t e)
{
    const char *t = l->text;
    int k = 0;
    uint32_t q = l->n ? l->part[0].start : 0, i = s;
    for (;;) {
        while (i < e && blank(t[i]))
            i++;
        while (k < l->n) {
            if (q >= l->part[k].end) {
                if (++k < l->n)
                    q = l->part[k].start;
            } else if (blank(t[q]))
                q++;
            else
                break;
        }
        bool di = i >= e, dq = k >= l->n;
        if (di || dq)
            return di && dq;
        if (t[i] != t[q])
            return false;
        i++;
        q++;
    }
}

static void emit_parts(struct buf *b, const struct line *l)
{
    for (int k = 0; k < l->n; k++) {
        const struct part *p = &l->part[k];
        if (k > 0)
            spaces(b, p->sep);
        if (p->has_canon)
            puts_(b, p->canon);
        else
            put(b, l->text + p->start, p->end - p->start);
    }
}

static void date_text(char out[12], struct date d)
{
    snprintf(out, 12, "%04d-%02d-%02d", d.year < 0 ? 0 : d.year % 10000,
             d.month < 0 ? 0 : d.month % 100, d.day < 0 ? 0 : d.day % 100);
}

static void time_text(char out[8], int minutes)
{
    snprintf(out, 8, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
}

/* --- entries and items ----------------------------------------------------- */

static void header_parts(struct line *l, const struct entry *e, uint32_t cend)
{
    const char *t = l->text;
    char c[12];
    struct span d = entry_date_at(e);
    date_text(c, e->date);
    add_canon(l, d.start, d.end, 0, c);
    uint32_t at = d.end;
    if (e->minutes >= 0) {
        struct span w = word_at(t, at, cend);
        char tm[8];
        time_text(tm, e->minutes);
        add_canon(l, w.start, w.end, 1, tm);
        at = w.end;
    }
    struct span status = entry_status_at(e), kind = entry_kind_at(e);
    struct span client = entry_client_at(e), title = entry_title_at(e);
    if (!span_empty(status)) {
        add(l, status.start, status.end, 1);
        at = status.end;
    }
    if (!span_empty(kind)) {
        /* "(kind)": the parentheses around the kind's span. */
        uint32_t s = kind.start, x = kind.end;
        while (s > at && t[s - 1] != '(')
            s--;
        while (x < cend && t[x] != ')')
            x++;
        if (s == at || x == cend) {
            l->bad = true;
            return;
        }
        add(l, s - 1, s, 1);
        add(l, kind.start, kind.end, 0);
        add(l, x, x + 1, 0);
        at = x + 1;
    }
    if (span_empty(client)) {
        l->bad = true;
        return;
    }
    add(l, client.start, client.end, 1);
    at = client.end;
    uint32_t bar = at;
    while (bar < cend && t[bar] != '|')
        bar++;
    if (bar < cend) {
        add(l, bar, bar + 1, 1);
        if (!span_empty(title))
            add(l, title.start, title.end, 1);
    }
}

static void item_parts(struct line *l, const struct item *it, uint32_t cend)
{
    const char *t = l->text;
    struct span kw = item_kw(it);
    add(l, kw.start, kw.end, 0);
    int pad = 6 - (int)(kw.end - kw.start);
    int sep = pad;                  /* before the next part */
    struct span rung = item_rung(it), text = item_text(it);
    switch (it->kind) {
    case IT_PLAN:
    case IT_GOT:
    case IT_ASK:
        if (!span_empty(rung)) {
            add(l, rung.start, rung.end, sep);
            sep = 2;
        }
        if (!span_empty(text)) {
            add(l, text.start, text.end, sep);
            sep = 2;
        }
        if (it->kind == IT_ASK && !span_empty(item_outcome_at(it))) {
            uint32_t a = item_outcome_at(it).start;
            if (a + 2 > cend || t[a] != '-' || t[a + 1] != '>') {
                l->bad = true;
                return;
            }
            add(l, a, a + 2, sep);
            struct span w = word_at(t, a + 2, cend);
            /* The outcome and the remark after it, as written. */
            add(l, w.start, cend, 1);
        }
        break;
    case IT_GAVE:
    case IT_NOTE:
        if (!span_empty(text))
            add(l, text.start, text.end, sep);
        break;
    case IT_NEXT:
        switch (it->next) {
        case NEXT_DATED: {
            char c[12];
            date_text(c, it->date);
            struct span d = item_date_at(it);
            add_canon(l, d.start, d.end, sep, c);
            uint32_t at = d.end;
            if (item_minutes(it) >= 0) {
                struct span w = word_at(t, at, cend);
                char tm[8];
                time_text(tm, item_minutes(it));
                add_canon(l, w.start, w.end, 1, tm);
            }
            struct span r = item_next_rung(it), x = item_next_text(it);
            if (!span_empty(r))
                add(l, r.start, r.end, 1);
            if (!span_empty(x))
                add(l, x.start, x.end, 2);
            break;
        }
        case NEXT_NONE: {
            struct span w = word_at(t, kw.end, cend);
            add(l, w.start, w.end, sep);
            if (!span_empty(text))
                add(l, text.start, text.end, 2);
            break;
        }
        default:
            if (!span_empty(text))
                add(l, text.start, text.end, sep);
            break;
        }
        break;
    }
}

/* A directive line: its keyword, then (option, rule) a word, then the rest,
 * one space apart; a directive's indented line (a rung, alias, note): its
 * first word, one space, the rest. */
static void generic_parts(struct line *l, uint32_t s, uint32_t cend, bool two_words)
{
    const char *t = l->text;
    struct span w = word_at(t, s, cend);
    add(l, w.start, w.end, 0);
    if (two_words) {
        struct span v = word_at(t, w.end, cend);
        if (v.start < cend) {
            add(l, v.start, v.end, 1);
            w = v;
        }
    }
    struct span r = word_at(t, w.end, cend);
    if (r.start < cend)
        add(l, r.start, cend, 1);
}

/* --- the file ---------------------------------------------------------------- */

/* What a line of the source is. */
enum lk { L_BLANK, L_COMMENT, L_TOP, L_SUB };

struct anchor {
    uint32_t off;
    const struct entry *e;
    const struct item *it;          /* NULL: the header */
};

static int cmp_anchor(const void *a, const void *b)
{
    uint32_t x = ((const struct anchor *)a)->off, y = ((const struct anchor *)b)->off;
    return x < y ? -1 : x > y;
}

bool fmt_file(const struct file *f, const char *text, size_t len,
              const struct allocator *al, char **out, size_t *outlen)
{
    struct buf b = { al, NULL, 0, 0, false };
    *out = NULL;
    *outlen = 0;
    /* The anchors: entry headers and items by the offset of their line's
     * first word. */
    size_t na = 0;
    for (uint32_t i = 0; i < f->nnodes; i++)
        if (f->node_kind[i] == BK_ENTRY)
            na += 1 + ((const struct entry *)f->node[i])->nitems;
    struct anchor *an = al_realloc(al, NULL, (na ? na : 1) * sizeof *an);
    if (!an)
        return false;
    size_t k = 0;
    for (uint32_t i = 0; i < f->nnodes; i++)
        if (f->node_kind[i] == BK_ENTRY) {
            const struct entry *e = f->node[i];
            an[k++] = (struct anchor){ e->start, e, NULL };
            for (uint32_t m = 0; m < e->nitems; m++)
                an[k++] = (struct anchor){ e->items[m].start, e, &e->items[m] };
        }
    qsort(an, na, sizeof *an, cmp_anchor);

    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        put(&b, text, 3);
        pos = 3;
    }
    const char *nl = memchr(text + pos, '\n', len - pos);
    const char *eol = nl && nl > text + pos && nl[-1] == '\r' ? "\r\n" : "\n";

    size_t ai = 0, ci = 0;
    size_t look_at = 0;             /* the line the last look-ahead found */
    bool look_sub = false;          /* ... and whether it was indented */
    bool any = false, pending = false;
    /* Blank lines fold to one between blocks, none inside one: a blank
     * line is written only when the next line that is neither blank nor a
     * comment starts a block (or there is none, at the end: dropped). */
    while (pos < len) {
        size_t ls = pos;
        const char *q = memchr(text + ls, '\n', len - ls);
        size_t le = q ? (size_t)(q - text) : len;
        pos = q ? le + 1 : len;
        size_t ce = le;             /* the line's content, without CR */
        if (ce > ls && text[ce - 1] == '\r')
            ce--;
        size_t fs = ls;
        while (fs < ce && blank(text[fs]))
            fs++;
        enum lk kind;
        if (fs == ce)
            kind = L_BLANK;
        else if (text[fs] == ';' || text[fs] == '#')
            kind = L_COMMENT;
        else
            kind = fs == ls ? L_TOP : L_SUB;
        if (kind == L_BLANK) {
            pending = any;
            continue;
        }
        if (pending) {
            /* Look ahead for the next line that is neither blank nor a
             * comment (once: the answer holds until that line is passed,
             * so comments between blank lines cost no second look). */
            bool sub = look_sub;
            size_t p2 = ls;
            while (ls > look_at && p2 < len) {
                const char *q2 = memchr(text + p2, '\n', len - p2);
                size_t e2 = q2 ? (size_t)(q2 - text) : len;
                size_t s2 = p2;
                while (s2 < e2 && (blank(text[s2]) || text[s2] == '\r'))
                    s2++;
                if (s2 < e2 && text[s2] != ';' && text[s2] != '#') {
                    sub = s2 > p2;
                    break;
                }
                p2 = q2 ? e2 + 1 : len;
            }
            if (ls > look_at) {
                look_at = p2 < len ? p2 : len + 1;
                look_sub = sub;
            }
            if (!sub)
                put(&b, eol, strlen(eol));
            pending = false;
        }
        any = true;
        /* The comment on this line, if any. */
        while (ci < f->ncomments && f->comments[ci].at.start < ls)
            ci++;
        const struct comment *cm = NULL;
        if (ci < f->ncomments && f->comments[ci].at.start < ce)
            cm = &f->comments[ci];
        if (kind == L_COMMENT) {
            size_t e = ce;
            while (e > fs && blank(text[e - 1]))
                e--;
            if (fs > ls)
                spaces(&b, 4);
            put(&b, text + fs, e - fs);
            put(&b, eol, strlen(eol));
            continue;
        }
        size_t cend = cm && !cm->line ? cm->at.start : ce;
        while (cend > fs && blank(text[cend - 1]))
            cend--;
        struct line l;
        l.text = text;
        l.n = 0;
        l.bad = false;
        while (ai < na && an[ai].off < fs)
            ai++;
        const struct anchor *a = ai < na && an[ai].off == fs ? &an[ai] : NULL;
        if (a && kind == L_TOP && !a->it)
            header_parts(&l, a->e, (uint32_t)cend);
        else if (a && kind == L_SUB && a->it)
            item_parts(&l, a->it, (uint32_t)cend);
        else if (kind == L_TOP) {
            struct span w = word_at(text, (uint32_t)fs, (uint32_t)cend);
            bool two = (w.end - w.start == 6 && memcmp(text + w.start, "option", 6) == 0) ||
                       (w.end - w.start == 4 && memcmp(text + w.start, "rule", 4) == 0);
            generic_parts(&l, (uint32_t)fs, (uint32_t)cend, two);
        } else
            generic_parts(&l, (uint32_t)fs, (uint32_t)cend, false);
        if (kind == L_SUB)
            spaces(&b, 4);
        if (!l.bad && same_words(&l, (uint32_t)fs, (uint32_t)cend))
            emit_parts(&b, &l);
        else
            put(&b, text + fs, cend - fs);   /* as written */
        if (cm && !cm->line) {
            size_t e = ce;
            while (e > cm->at.start && blank(text[e - 1]))
                e--;
            if (cend > fs)
                spaces(&b, 2);
            put(&b, text + cm->at.start, e - cm->at.start);
        }
        put(&b, eol, strlen(eol));
    }
    al_free(al, an);
    if (b.failed) {
        al_free(al, b.p);
        return false;
    }
    if (!b.p) {
        b.p = al && al->alloc ? al->alloc(al->ud, 1) : malloc(1);
        if (!b.p)
            return false;
        b.p[0] = '\0';
    }
    *out = b.p;
    *outlen = b.len;
    return true;
}
