/* output.c - rendering diagnostics. */
#include "output.h"
#include "arena.h"

#include <stdlib.h>

struct output {
    FILE *out;
    struct output_opts o;
    struct output_totals t;
};

struct output *output_begin(FILE *out, const struct output_opts *o)
{
    struct output *w = xmalloc(sizeof *w);
    w->out = out;
    w->o = *o;
    w->t = (struct output_totals){ 0, 0, 0, 0 };
    return w;
}

static void gcc_diag(FILE *out, const struct diag *d)
{
    fprintf(out, "%s:%u:%u: %s: %s [%s]\n", d->src->name, d->pos.line,
            d->pos.col, severity_name(d->severity), d->msg,
            rule_table[d->rule].id);
    for (const struct note *n = d->notes; n; n = n->link)
        fprintf(out, "%s:%u:%u: note: %s\n", n->src->name, n->pos.line,
                n->pos.col, n->msg);
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
        gcc_diag(w->out, d);
    }
}

void output_end(struct output *w, struct output_totals *totals)
{
    if (totals)
        *totals = w->t;
    fflush(w->out);
    free(w);
}
