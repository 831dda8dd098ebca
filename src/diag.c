/* diag.c - collecting, filtering and sorting diagnostics. */
#include "diag.h"
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_init(struct diag_list *l, struct arena *a)
{
    memset(l, 0, sizeof *l);
    l->arena = a;
}

struct diag *diag_report(struct diag_list *l, enum rule_id rule,
                         const struct source *src, struct span at,
                         const char *fmt, ...)
{
    struct pos p = source_pos(src, at.start);
    if (rule == R_SYNTAX) {
        if (l->syntax_src == src && l->syntax_line == p.line)
            return NULL;
        l->syntax_src = src;
        l->syntax_line = p.line;
    }
    struct diag *d = arena_alloc(l->arena, sizeof *d);
    d->rule = rule;
    d->severity = rule_table[rule].severity;
    d->src = src;
    d->pos = p;
    uint32_t end = at.end > at.start ? at.end : at.start + 1;
    /* The end stays on the start's line. */
    uint32_t line_end = source_line_end(src, p.line);
    if (end > line_end)
        end = line_end;
    if (end <= at.start)
        end = at.start + 1;
    d->end.line = p.line;
    d->end.col = p.col + (end - at.start);
    va_list ap;
    va_start(ap, fmt);
    d->msg = arena_vprintf(l->arena, fmt, ap);
    va_end(ap);
    d->notes_tail = &d->notes;
    d->order = l->n;
    if (l->n == l->cap) {
        uint32_t nc = l->cap ? l->cap * 2 : 64;
        l->v = arena_grow(l->arena, l->v, l->cap * sizeof *l->v, nc * sizeof *l->v);
        l->cap = nc;
    }
    l->v[l->n++] = d;
    return d;
}

void diag_note(struct diag_list *l, struct diag *d, const struct source *src,
               uint32_t offset, const char *fmt, ...)
{
    if (!d)
        return;
    struct note *n = arena_alloc(l->arena, sizeof *n);
    n->src = src;
    n->pos = source_pos(src, offset);
    va_list ap;
    va_start(ap, fmt);
    n->msg = arena_vprintf(l->arena, fmt, ap);
    va_end(ap);
    *d->notes_tail = n;
    d->notes_tail = &n->link;
}

void diag_ignore(struct diag_list *l, const struct source *src, uint32_t start,
                 uint32_t end, const struct ignore *ig, bool whole_entry)
{
    if (!ig->present)
        return;
    struct ignore_set *set = &l->ign[whole_entry];
    if (set->n == set->cap) {
        uint32_t nc = set->cap ? set->cap * 2 : 32;
        set->v = arena_grow(l->arena, set->v, set->cap * sizeof *set->v,
                            nc * sizeof *set->v);
        set->cap = nc;
    }
    struct ignore_range *r = &set->v[set->n++];
    r->src = src;
    r->start = start;
    r->end = end;
    r->ignore = *ig;
}

static int cmp_range(const void *a, const void *b)
{
    const struct ignore_range *x = a, *y = b;
    if (x->src->index != y->src->index)
        return x->src->index < y->src->index ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return 0;
}

/* Is a diagnostic of `rule` at `off` in `src` silenced by a range of set?
 * The set is sorted and its ranges do not overlap: only the last range
 * starting at or before off can hold it. */
static bool silenced_by(const struct ignore_set *set, const struct source *src,
                        uint32_t off, enum rule_id rule)
{
    uint32_t lo = 0, hi = set->n;
    while (lo < hi) {               /* first range starting after (src, off) */
        uint32_t mid = lo + (hi - lo) / 2;
        const struct ignore_range *r = &set->v[mid];
        if (r->src->index < src->index ||
            (r->src->index == src->index && r->start <= off))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    const struct ignore_range *r = &set->v[lo - 1];
    if (r->src != src || off < r->start || off >= r->end)
        return false;
    return r->ignore.all ? rule != R_SYNTAX : (r->ignore.rules >> rule) & 1;
}

static int cmp_diag(const void *a, const void *b)
{
    const struct diag *x = *(const struct diag *const *)a;
    const struct diag *y = *(const struct diag *const *)b;
    if (x->src != y->src) {
        int c = strcmp(x->src->name, y->src->name);
        if (c)
            return c;
        if (x->src->index != y->src->index)
            return x->src->index < y->src->index ? -1 : 1;
    }
    if (x->pos.line != y->pos.line)
        return x->pos.line < y->pos.line ? -1 : 1;
    if (x->pos.col != y->pos.col)
        return x->pos.col < y->pos.col ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

void diag_finish(struct diag_list *l, const enum severity severity[R_COUNT])
{
    for (int k = 0; k < 2; k++)
        if (l->ign[k].n)
            qsort(l->ign[k].v, l->ign[k].n, sizeof *l->ign[k].v, cmp_range);
    uint32_t k = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        struct diag *d = l->v[i];
        d->severity = severity[d->rule];
        if (d->severity == SEV_OFF)
            continue;
        uint32_t off = d->src->lines[d->pos.line - 1] + d->pos.col - 1;
        if (silenced_by(&l->ign[0], d->src, off, d->rule) ||
            silenced_by(&l->ign[1], d->src, off, d->rule))
            continue;
        l->v[k++] = d;
    }
    l->n = k;
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp_diag);
}
