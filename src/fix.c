/* fix.c - fixes that read the journal's text, and applying safe fixes. */
#include "fix.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "model.h"
#include "rules.h"
#include "source.h"

/* --- lines ------------------------------------------------------------------- */

/* Where line `line` starts (after a byte-order mark on line 1). */
static uint32_t line_start(const struct source *s, uint32_t line)
{
    uint32_t b = source_line_offset(s, line);
    return line == 1 && b < s->start ? s->start : b;
}

/* Where the line after it starts (the end of the file for the last). */
static uint32_t line_next(const struct source *s, uint32_t line)
{
    return line < s->nlines ? source_line_offset(s, line + 1) : s->len;
}

static bool has_eol(const struct source *s, uint32_t line)
{
    return line < s->nlines;
}

static uint32_t line_of(const struct source *s, uint32_t off)
{
    return source_pos(s, off).line;
}

static const char *line_bytes(const struct source *s, uint32_t line, uint32_t *len);

/* The length of the line's text (line end and CR excluded), from the line
 * map alone when the file has no CR LF. */
static uint32_t line_len(const struct source *s, uint32_t line)
{
    if (!s->crlf) {
        uint32_t e = line < s->nlines ? source_line_offset(s, line + 1) - 1 : s->len;
        uint32_t b = line_start(s, line);
        return e > b ? e - b : 0;
    }
    uint32_t n;
    line_bytes(s, line, &n);
    return n;
}

/* The line's bytes from line_start, without its line end (nor a CR). */
static const char *line_bytes(const struct source *s, uint32_t line, uint32_t *len)
{
    uint32_t n;
    const char *p = source_line(s, line, &n);
    uint32_t skip = line_start(s, line) - source_line_offset(s, line);
    if (skip > n)
        skip = n;
    p += skip;
    n -= skip;
    if (n && p[n - 1] == '\r')
        n--;
    *len = n;
    return p;
}

/* The length of the line end that ends `line` (0 for the last line). */
static uint32_t eol_len(const struct source *s, uint32_t line)
{
    if (!has_eol(s, line))
        return 0;
    if (!s->crlf)
        return 1;
    /* source_line drops a CR before the line feed: the line is longer. */
    uint32_t n;
    source_line(s, line, &n);
    return source_line_offset(s, line + 1) - 1 - source_line_offset(s, line) > n ? 2 : 1;
}

enum line_kind { LK_BLANK, LK_COMMENT, LK_INDENTED_COMMENT, LK_INDENTED, LK_OTHER };

static enum line_kind line_kind(const struct source *s, uint32_t line)
{
    uint32_t n;
    const char *p = line_bytes(s, line, &n);
    uint32_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    if (i == n)
        return LK_BLANK;
    bool comment = p[i] == ';' || p[i] == '#';
    if (i == 0)
        return comment ? LK_COMMENT : LK_OTHER;
    return comment ? LK_INDENTED_COMMENT : LK_INDENTED;
}

static bool blank(const char *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t')
            return false;
    return true;
}

/* --- lines with syntax errors ------------------------------------------------ */

static int cmp_line(const void *a, const void *b)
{
    const struct fix_line *x = a, *y = b;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

void fix_note_syntax(struct journal *j, struct fix_lines *sl)
{
    memset(sl, 0, sizeof *sl);
    const struct diag_list *l = &j->diags;
    for (uint32_t i = 0; i < l->n; i++) {
        const struct diag *d = l->v[i];
        if (d->rule != R_SYNTAX)
            continue;
        if (sl->n == sl->cap) {
            uint32_t nc = sl->cap ? sl->cap * 2 : 16;
            sl->v = arena_grow(j->arena, sl->v, sl->cap * sizeof *sl->v, nc * sizeof *sl->v);
            sl->cap = nc;
        }
        sl->v[sl->n++] = (struct fix_line){ diag_src(l, d)->index, diag_pos(l, d).line };
    }
    if (sl->n)
        qsort(sl->v, sl->n, sizeof *sl->v, cmp_line);
}

/* Is a line of src in [lo, hi] one with a syntax error? */
static bool has_syntax(const struct fix_lines *sl, const struct source *s,
                       uint32_t lo, uint32_t hi)
{
    struct fix_line key = { s->index, lo };
    uint32_t a = 0, b = sl->n;
    while (a < b) {                 /* the first at or after (file, lo) */
        uint32_t mid = a + (b - a) / 2;
        if (cmp_line(&sl->v[mid], &key) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    return a < sl->n && sl->v[a].file == s->index && sl->v[a].line <= hi;
}

/* --- entries and their blocks -------------------------------------------------- */

static uint32_t node_start(const struct file *f, uint32_t i)
{
    return f->node_kind[i] == BK_ENTRY ? ((const struct entry *)f->node[i])->start
                                       : ((const struct block *)f->node[i])->at.start;
}

/* The entry of src whose header starts at off, or NULL. */
static const struct entry *entry_at(const struct journal *j, const struct source *s,
                                    uint32_t off, uint32_t *index)
{
    if (s->index >= j->nfiles)
        return NULL;
    const struct file *f = j->files[s->index];
    uint32_t lo = 0, hi = f->nnodes;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (node_start(f, mid) < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < f->nnodes && f->node_kind[lo] == BK_ENTRY && node_start(f, lo) == off) {
        if (index)
            *index = lo;
        return f->node[lo];
    }
    return NULL;
}

/* An entry's lines: its header to its last indented line (blank lines
 * between indented ones included), and the column-1 comment lines
 * directly above it. */
struct block_lines {
    uint32_t comments, header, last;
};

static struct block_lines entry_lines(const struct source *s, const struct entry *e)
{
    struct block_lines b;
    b.header = line_of(s, e->start);
    b.last = b.header;
    for (uint32_t l = b.header + 1; l <= s->nlines; l++) {
        enum line_kind k = line_kind(s, l);
        if (k == LK_INDENTED || k == LK_INDENTED_COMMENT)
            b.last = l;
        else if (k != LK_BLANK)
            break;
    }
    b.comments = b.header;
    while (b.comments > 1 && line_kind(s, b.comments - 1) == LK_COMMENT)
        b.comments--;
    return b;
}

/* Lines [lo, hi] as written, line ends included; the last gets `eol` when
 * it has none. */
static char *copy_lines(struct arena *a, const struct source *s, uint32_t lo,
                        uint32_t hi, const char *eol, uint32_t *len)
{
    size_t cap = 0;
    for (uint32_t l = lo; l <= hi; l++) {
        uint32_t n;
        source_line(s, l, &n);
        cap += n + 2;
    }
    char *out = arena_alloc(a, cap + 1);
    size_t k = 0;
    for (uint32_t l = lo; l <= hi; l++) {
        uint32_t n;
        const char *p = line_bytes(s, l, &n);
        memcpy(out + k, p, n);
        k += n;
        uint32_t el = eol_len(s, l);
        const char *e = el == 2 ? "\r\n" : el == 1 ? "\n" : eol;
        memcpy(out + k, e, strlen(e));
        k += strlen(e);
    }
    *len = (uint32_t)k;
    return out;
}

/* --- date-order: move the entry to its place ------------------------------------ */

/* Per file, its dated entries in file order with the latest date up to
 * each: the first entry dated after a date is found by bisection. */
struct dated {
    uint32_t node;
    struct date max;
};

struct order_index {
    struct dated **v;               /* per file, NULL until asked */
    uint32_t *n;
};

/* The first entry of file f, before node `before`, dated after d. */
static const struct entry *first_after(struct journal *j, struct order_index *ix,
                                       uint32_t f, struct date d, uint32_t before)
{
    const struct file *fl = j->files[f];
    if (!ix->v) {
        ix->v = arena_alloc(j->arena, j->nfiles * sizeof *ix->v);
        ix->n = arena_alloc(j->arena, j->nfiles * sizeof *ix->n);
    }
    if (!ix->v[f]) {
        struct dated *v = arena_alloc(j->arena, ((size_t)fl->nentries + 1) * sizeof *v);
        uint32_t n = 0;
        for (uint32_t i = 0; i < fl->nnodes; i++) {
            if (fl->node_kind[i] != BK_ENTRY)
                continue;
            const struct entry *e = fl->node[i];
            if (!e->date.valid || n >= fl->nentries + 1)
                continue;
            struct date m = e->date;
            if (n && date_cmp(v[n - 1].max, m) > 0)
                m = v[n - 1].max;
            v[n++] = (struct dated){ i, m };
        }
        ix->v[f] = v;
        ix->n[f] = n;
    }
    const struct dated *v = ix->v[f];
    uint32_t lo = 0, hi = ix->n[f];
    while (lo < hi) {               /* the first whose latest date is after d */
        uint32_t mid = lo + (hi - lo) / 2;
        if (date_cmp(v[mid].max, d) > 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo == ix->n[f] || v[lo].node >= before)
        return NULL;
    return fl->node[v[lo].node];
}

static void fix_date_order(struct journal *j, const struct fix_lines *sl,
                           struct order_index *ix, struct diag *d)
{
    const struct source *s = diag_src(&j->diags, d);
    uint32_t off = d->start;
    uint32_t idx;
    const struct entry *e = entry_at(j, s, off, &idx);
    if (!e || !e->date.valid)
        return;
    const struct entry *t = first_after(j, ix, s->index, e->date, idx);
    if (!t)
        return;
    struct block_lines b = entry_lines(s, e), tb = entry_lines(s, t);
    if (tb.last >= b.comments || has_syntax(sl, s, b.comments, b.last))
        return;
    const char *eol = source_eol(s);
    bool sep = b.comments > 1 && line_kind(s, b.comments - 1) == LK_BLANK;
    uint32_t first = sep ? b.comments - 1 : b.comments;
    uint32_t rs = line_start(s, first), re = line_next(s, b.last);
    if (!has_eol(s, b.last)) {
        if (first < 2)
            return;
        rs -= eol_len(s, first - 1);    /* the file keeps ending without one */
    }
    uint32_t at = line_start(s, tb.comments);
    uint32_t n;
    char *text = copy_lines(j->arena, s, b.comments, b.last, eol, &n);
    if (sep) {
        char *t2 = arena_alloc(j->arena, n + 3);
        memcpy(t2, text, n);
        memcpy(t2 + n, eol, strlen(eol));
        n += (uint32_t)strlen(eol);
        text = t2;
    }
    struct fix *fx = diag_fix(&j->diags, d, true,
                              "move this entry above the entry of line %u, in date order",
                              tb.header);
    diag_fix_edit(&j->diags, fx, s, at, at, text, n);
    diag_fix_edit(&j->diags, fx, s, rs, re, "", 0);
}

/* --- duplicate-entry: delete a byte-identical later copy ---------------------- */

static bool same_lines(const struct source *s1, struct block_lines a,
                       const struct source *s2, struct block_lines b)
{
    if (a.last - a.header != b.last - b.header)
        return false;
    for (uint32_t k = 0; k <= a.last - a.header; k++) {
        uint32_t n1, n2;
        const char *p1 = line_bytes(s1, a.header + k, &n1);
        /* source_line may reuse one buffer per file: compare a copy. */
        char small[256];
        char *c1 = n1 <= sizeof small ? small : malloc(n1);
        if (!c1)
            return false;
        memcpy(c1, p1, n1);
        const char *p2 = line_bytes(s2, b.header + k, &n2);
        bool eq = n1 == n2 && memcmp(c1, p2, n1) == 0;
        if (c1 != small)
            free(c1);
        if (!eq)
            return false;
    }
    return true;
}

static void fix_duplicate(struct journal *j, const struct fix_lines *sl,
                          struct diag *d)
{
    const struct source *s = diag_src(&j->diags, d);
    const struct note *nt = diag_notes(&j->diags, d);
    if (!nt)
        return;
    uint32_t off = d->start;
    const struct entry *e = entry_at(j, s, off, NULL);
    uint32_t ooff = source_line_offset(nt->src, nt->pos.line) + nt->pos.col - 1;
    const struct entry *o = entry_at(j, nt->src, ooff, NULL);
    if (!e || !o || o == e)
        return;
    struct block_lines b = entry_lines(s, e), ob = entry_lines(nt->src, o);
    if (has_syntax(sl, s, b.header, b.last) || has_syntax(sl, nt->src, ob.header, ob.last))
        return;
    if (!same_lines(s, b, nt->src, ob))
        return;
    uint32_t rs = line_start(s, b.header), re = line_next(s, b.last);
    bool blank_above = b.header == 1 || line_kind(s, b.header - 1) == LK_BLANK;
    if (has_eol(s, b.last)) {
        /* Keep one blank line between the neighbours, not two. */
        if (blank_above && b.last + 1 <= s->nlines && has_eol(s, b.last + 1) &&
            line_kind(s, b.last + 1) == LK_BLANK)
            re = line_next(s, b.last + 1);
    } else {
        if (b.header < 2)
            return;
        uint32_t first = b.header;
        if (first > 2 && line_kind(s, first - 1) == LK_BLANK)
            first--;
        rs = line_start(s, first) - eol_len(s, first - 1);
    }
    struct fix *fx = diag_fix(&j->diags, d, true,
                              "delete this copy of the entry of line %u", nt->pos.line);
    diag_fix_edit(&j->diags, fx, s, rs, re, "", 0);
}

/* --- unused-ignore: remove the comment, or the unused ids ---------------------- */

static struct ignore_comment *comment_at(struct diag_list *l, const struct source *s,
                                         uint32_t off)
{
    uint32_t lo = 0, hi = l->nigc;
    while (lo < hi) {               /* first comment starting after (s, off) */
        uint32_t mid = lo + (hi - lo) / 2;
        const struct ignore_comment *c = &l->igc[mid];
        if (c->src->index < s->index ||
            (c->src->index == s->index && c->comment.start <= off))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    struct ignore_comment *c = &l->igc[lo - 1];
    if (c->src != s || off < c->comment.start || off > c->comment.end)
        return NULL;
    return c;
}

static void fix_unused(struct journal *j, const struct fix_lines *sl, struct diag *d)
{
    struct diag_list *l = &j->diags;
    const struct source *s = diag_src(&j->diags, d);
    uint32_t off = d->start;
    const struct ignore_comment *c = comment_at(l, s, off);
    if (!c)
        return;
    uint32_t line = line_of(s, c->comment.start);
    if (has_syntax(sl, s, line, line))
        return;
    /* A bare ladder-ignore has no ids (and a journal without any, no
     * array: no pointer into it then). */
    const struct ignore_id *ids = c->nids ? &l->ids[c->ids] : NULL;
    uint32_t unused = 0;
    for (uint32_t k = 0; k < c->nids; k++)
        unused += !((c->used >> ids[k].rule) & 1);
    bool whole = c->state == IGN_OWN_LINE || c->all || c->nids == 0 || unused == c->nids;
    uint32_t ls = line_start(s, line), n;
    const char *p = line_bytes(s, line, &n);
    if (c->comment.start < ls || c->kw.end > ls + n)
        return;
    uint32_t cs = c->comment.start - ls, ks = c->kw.start - ls;
    if (!whole) {
        /* The kept ids, joined as the first two are. */
        uint32_t a = ids[0].at.end - ls, b = ids[1].at.start - ls;
        if (b < a || ids[c->nids - 1].at.end - ls > n)
            return;
        size_t cap = (size_t)(ids[c->nids - 1].at.end - ids[0].at.start) + 1;
        char *text = arena_alloc(j->arena, cap), *w = text;
        char *removed = arena_alloc(j->arena, cap * 3 + 8), *rw = removed;
        bool any = false;
        for (uint32_t k = 0; k < c->nids; k++) {
            uint32_t is = ids[k].at.start - ls, ie = ids[k].at.end - ls;
            if ((c->used >> ids[k].rule) & 1) {
                if (any) {
                    memcpy(w, p + a, b - a);
                    w += b - a;
                }
                memcpy(w, p + is, ie - is);
                w += ie - is;
                any = true;
            } else {
                if (rw != removed) {
                    memcpy(rw, ", ", 2);
                    rw += 2;
                }
                *rw++ = '\'';
                memcpy(rw, p + is, ie - is);
                rw += ie - is;
                *rw++ = '\'';
            }
        }
        *rw = 0;
        struct fix *fx = diag_fix(l, d, true, "remove %s from this ladder-ignore",
                                  removed);
        diag_fix_edit(l, fx, s, ids[0].at.start, ids[c->nids - 1].at.end,
                      text, (size_t)(w - text));
        return;
    }
    /* The suppression: the keyword, its list, and a reason after it. */
    uint32_t ce = c->nids ? ids[c->nids - 1].at.end - ls : c->kw.end - ls;
    if (ce > n)
        return;
    uint32_t q = ce;
    while (q < n && (p[q] == ' ' || p[q] == '\t'))
        q++;
    if (!c->nids && q < n && p[q] == ':') {
        ce = ++q;
        while (q < n && (p[q] == ' ' || p[q] == '\t'))
            q++;
    }
    if (q + 1 < n && p[q] == '-' && p[q + 1] == '-')
        ce = n;                     /* " -- a reason" goes with it */
    bool before = !blank(p + cs + 1, ks - cs - 1), after = !blank(p + ce, n - ce);
    uint32_t rs, re;
    if (!before && !after) {
        if (blank(p, cs)) {
            /* A comment line of its own: the whole line goes. */
            rs = ls;
            re = line_next(s, line);
            if (!has_eol(s, line)) {
                if (line < 2)
                    return;
                rs -= eol_len(s, line - 1);
            }
        } else {
            rs = cs;
            while (rs > 0 && (p[rs - 1] == ' ' || p[rs - 1] == '\t'))
                rs--;
            rs += ls;
            re = ls + n;
        }
    } else if (!after) {
        rs = ks;
        while (rs > cs + 1 && (p[rs - 1] == ' ' || p[rs - 1] == '\t'))
            rs--;
        rs += ls;
        re = ls + n;
    } else {
        rs = ls + ks;
        re = ce;
        while (re < n && (p[re] == ' ' || p[re] == '\t'))
            re++;
        re += ls;
    }
    struct fix *fx = diag_fix(l, d, true, "remove this ladder-ignore");
    diag_fix_edit(l, fx, s, rs, re, "", 0);
}

/* --- every rule: a ladder-ignore on the line ---------------------------------- */

static void suggest_ignore(struct journal *j, struct diag *d)
{
    struct diag_list *l = &j->diags;
    const struct source *s = diag_src(&j->diags, d);
    uint32_t line = diag_pos(&j->diags, d).line;
    if (line == 0 || line > s->nlines)
        return;
    uint32_t ls = line_start(s, line), n = line_len(s, line);
    const char *id = rule_table[d->rule].id;
    const struct ignore_comment *c = comment_at(l, s, ls + n);
    if (c && c->comment.start >= ls && c->state == IGN_ATTACHED) {
        if (c->all || !c->nids)
            return;
        const struct ignore_id *last = &l->ids[c->ids + c->nids - 1];
        struct fix *fx = diag_fix(l, d, false, "add %s to this line's ladder-ignore", id);
        char *t = arena_printf(j->arena, ", %s", id);
        diag_fix_edit(l, fx, s, last->at.end, last->at.end, t, strlen(t));
        return;
    }
    struct fix *fx = diag_fix(l, d, false, "silence %s on this line with ladder-ignore", id);
    char *t = arena_printf(j->arena, " ; ladder-ignore: %s", id);
    diag_fix_edit(l, fx, s, ls + n, ls + n, t, strlen(t));
}

void fix_attach(struct journal *j, const struct fix_lines *sl)
{
    struct diag_list *l = &j->diags;
    struct order_index ix = { NULL, NULL };
    for (uint32_t i = 0; i < l->n; i++) {
        struct diag *d = l->v[i];
        switch (d->rule) {
        case R_UNUSED_IGNORE:
            fix_unused(j, sl, d);
            break;
        case R_DATE_ORDER:
            fix_date_order(j, sl, &ix, d);
            break;
        case R_DUPLICATE_ENTRY:
            fix_duplicate(j, sl, d);
            break;
        default:
            break;
        }
        if (d->rule != R_SYNTAX && d->rule != R_UNUSED_IGNORE)
            suggest_ignore(j, d);
    }
}

/* --- applying ------------------------------------------------------------------- */

static int cmp_edit(const void *a, const void *b)
{
    const struct edit *x = *(const struct edit *const *)a;
    const struct edit *y = *(const struct edit *const *)b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

/* Would edit e clash with one of taken[0..n) (sorted)? Two edits clash
 * when their ranges overlap or they start at one offset. */
static bool clashes(const struct edit *const *taken, uint32_t n, const struct edit *e)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (taken[mid]->start < e->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && (taken[lo]->start == e->start || taken[lo]->start < e->end))
        return true;
    if (lo > 0 && taken[lo - 1]->end > e->start)
        return true;
    return false;
}

size_t fix_apply(const struct journal *j, const struct source *src, char *out,
                 size_t cap, size_t *applied)
{
    *applied = 0;
    uint32_t len;
    const char *text = source_text(src, &len);
    if (!text)
        return SIZE_MAX;
    struct mem *m = j->mem;
    const struct diag_list *l = &j->diags;
    uint32_t total = 0;
    for (uint32_t i = 0; i < l->n; i++)
        for (const struct fix *f = diag_fixes(l, l->v[i]); f; f = f->link)
            if (f->safe)
                total += f->nedits;
    const struct edit **taken = total ? xtry_realloc(m, NULL, total * sizeof *taken) : NULL;
    if (total && !taken)
        return SIZE_MAX;
    uint32_t nt = 0;
    size_t napplied = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        for (const struct fix *f = diag_fixes(l, l->v[i]); f; f = f->link) {
            if (!f->safe || !f->nedits)
                continue;
            bool ok = true;
            for (uint32_t k = 0; k < f->nedits && ok; k++) {
                const struct edit *e = &f->edits[k];
                ok = e->src == src && e->start <= e->end && e->end <= len &&
                     e->start >= src->start && !clashes(taken, nt, e);
                for (uint32_t q = 0; q < k && ok; q++)  /* within one fix */
                    ok = !(f->edits[q].start < e->end && e->start < f->edits[q].end);
            }
            if (!ok)
                continue;
            for (uint32_t k = 0; k < f->nedits; k++) {
                const struct edit *e = &f->edits[k];
                uint32_t pos = nt;
                while (pos > 0 && cmp_edit(&taken[pos - 1], &e) > 0) {
                    taken[pos] = taken[pos - 1];
                    pos--;
                }
                taken[pos] = e;
                nt++;
            }
            napplied++;
        }
    }
    size_t size = 0, at = 0;
    for (uint32_t k = 0; k <= nt; k++) {
        uint32_t upto = k < nt ? taken[k]->start : len;
        size_t keep = upto - at;
        if (out && size + keep <= cap)
            memcpy(out + size, text + at, keep);
        size += keep;
        if (k == nt)
            break;
        if (out && size + taken[k]->len <= cap)
            memcpy(out + size, taken[k]->text, taken[k]->len);
        size += taken[k]->len;
        at = taken[k]->end;
    }
    if (taken)
        xfree(m, taken);
    *applied = napplied;
    return size;
}
