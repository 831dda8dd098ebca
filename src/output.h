/* output.h - rendering a journal's diagnostics in every output form.
 *
 *   gcc    one line per diagnostic and per note, for editors and scripts
 *   tty    the same for people: colour, the source line with a caret, and a
 *          closing count ("2 errors, 5 warnings in 3 journals")
 *   json   one document for the whole run: {"version":1,"diagnostics":[...],
 *          "files":[...]} (docs/ladder-json.md)
 *   sarif  one SARIF 2.1.0 log for the whole run (GitHub code scanning)
 *
 * Every string the journal lends us (names, messages, source lines) may hold
 * any bytes: json and sarif escape them and replace invalid UTF-8 by U+FFFD;
 * tty replaces invalid UTF-8 and control characters by U+FFFD so that a
 * journal cannot drive the terminal.
 */
#ifndef LADDER_OUTPUT_H
#define LADDER_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "utf8.h"

enum format { FMT_GCC, FMT_JSON, FMT_SARIF, FMT_TTY };

struct output_opts {
    enum format format;
    bool color;                     /* tty only */
    bool quiet;                     /* errors only */
    enum utf8_unit unit;            /* columns of gcc, tty and json: UTF8_BYTES
                                     * (the default, 0), UTF8_CHARS or
                                     * UTF8_DISPLAY; sarif counts UTF-16 */
    uint32_t par_min;               /* gcc with byte columns renders a journal
                                     * of this many diagnostics or more on two
                                     * threads, in blocks of 1024 or of
                                     * par_min when smaller; 0: the default
                                     * (16384), UINT32_MAX: never */
};

/* Totals over every journal rendered so far (for tty's closing line and
 * the exit status).  They count every diagnostic, printed or not (-q). */
struct output_totals {
    unsigned errors, warnings, notes, journals;
};

struct output;

/* Forms that wrap all journals in one document (json, sarif) build it in
 * memory and write it whole in output_end: a run that stops half-way
 * writes none of it.  tty writes its closing count in output_end. */
struct mem;

/* Memory comes from m (arena.h); a failed allocation jumps to m->fail. */
struct output *output_begin(struct mem *m, FILE *out, const struct output_opts *o);
void output_journal(struct output *w, const struct journal *j);
/* A named file that could not be read (the run goes on without it): sarif
 * says so in its invocation (executionSuccessful false and a notification
 * naming the file); the other forms leave that to the caller's message on
 * standard error. */
void output_unreadable(struct output *w, const char *name, const char *err);
void output_end(struct output *w, struct output_totals *totals);
/* A run that failed (out of memory) and will not call output_end: close
 * the document being built, write nothing.  Its memory goes with its mem. */
void output_abort(struct output *w);

/* Helpers, public so that tests and other modules can use them. */

/* Write s[0..n) as a JSON string literal, quotes included. */
void output_json_string(FILE *out, const char *s, size_t n);
/* `path` made relative to the folder `cwd` (absolute; NULL if unknown),
 * lexically normalised ("./", "a/..") and percent-encoded as a relative URI
 * reference.  Returns a malloc'd string. */
char *output_relative_uri(struct mem *m, const char *path, const char *cwd);

#endif
