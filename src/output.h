/* output.h - rendering a journal's diagnostics in every output form. */
#ifndef LADDER_OUTPUT_H
#define LADDER_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "journal.h"

enum format { FMT_GCC, FMT_JSON, FMT_SARIF, FMT_TTY };

struct output_opts {
    enum format format;
    bool color;                     /* tty only */
    bool quiet;                     /* errors only */
};

/* Totals over every journal rendered so far (for tty's closing line and
 * the exit status). */
struct output_totals {
    unsigned errors, warnings, notes, journals;
};

struct output;

/* Forms that wrap all journals in one document (json, sarif) write their
 * opening in output_begin and their closing in output_end. */
struct output *output_begin(FILE *out, const struct output_opts *o);
void output_journal(struct output *w, const struct journal *j);
void output_end(struct output *w, struct output_totals *totals);

#endif
