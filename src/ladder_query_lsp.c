/* ladder_query_lsp.c - a query of ladder.h the language server needed and
 * the core did not have yet: where a client's climb stands
 * (ladder_client_climb), for hover on a client name (lsp.md).  Kept apart
 * from ladder.c so that the core's owner can merge or move it.
 */
#include <string.h>

#include "journal.h"
#include "ladder.h"

/* As in ladder.c: a ladder_journal is the journal itself. */
static const struct journal *J(const ladder_journal *lj)
{
    return (const struct journal *)(const void *)lj;
}

static const char *rung_of_rank(const struct journal *j, int rank)
{
    for (int k = 0; k < j->nrungs; k++)
        if (j->rungs[k].rank == rank)
            return j->rungs[k].name;
    return "";
}

void ladder_client_climb(const ladder_journal *lj, size_t i, ladder_climb_info *out)
{
    memset(out, 0, sizeof *out);
    out->level_rung = "";
    out->last_answer = '?';
    out->next_at.file = LADDER_NOWHERE;
    const struct journal *j = J(lj);
    const struct client *c = j->clients;
    while (c && c->index != i)
        c = c->link;
    if (!c)
        return;
    int top = 0;
    for (int k = 0; k < j->nrungs; k++)
        if (j->rungs[k].rank > top)
            top = j->rungs[k].rank;
    const struct entry *last = NULL;
    /* c->entries: chronological (date, time, position), valid dates only. */
    for (uint32_t n = 0; n < c->nentries; n++) {
        const struct entry *e = c->entries[n];
        if (e->status == ST_CANCELLED)
            continue;
        last = e;
        if (e->status != ST_HELD)
            continue;
        out->held++;
        out->last_year = e->date.year;
        out->last_month = e->date.month;
        out->last_day = e->date.day;
        for (uint32_t k = 0; k < e->nitems; k++) {
            const struct item *it = &e->items[k];
            if (it->kind == IT_ASK && it->rank > 0) {
                out->last_ask = rung_of_rank(j, it->rank);
                out->last_answer = it->outcome == OUT_YES ? 'y' : it->outcome == OUT_NO ? 'n'
                                 : it->outcome == OUT_LATER ? 'l' : '?';
            }
            if (((it->kind == IT_ASK && it->outcome == OUT_YES) || it->kind == IT_GOT) &&
                it->rank > out->level) {
                out->level = it->rank;
                out->level_rung = rung_of_rank(j, it->rank);
            }
        }
    }
    out->won = top > 0 && out->level >= top;
    if (!last)
        return;
    for (uint32_t k = 0; k < last->nitems; k++) {
        const struct item *it = &last->items[k];
        if (it->kind != IT_NEXT)
            continue;
        out->next = it->next == NEXT_DATED ? 'd' : it->next == NEXT_NONE ? 'n' : 't';
        if (it->next == NEXT_DATED) {
            out->next_year = it->date.year;
            out->next_month = it->date.month;
            out->next_day = it->date.day;
        }
        out->next_at.file = last->src->index;
        out->next_at.start = it->at.start;
        out->next_at.end = it->at.end;
    }
}
