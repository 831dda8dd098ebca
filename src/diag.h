/* diag.h - diagnostics: every rule reports through here.
 *
 * Rules and the parser call diag_report(); nothing else prints.  The list
 * is sorted, filtered by severity and `ladder-ignore`, and rendered by
 * output.c.  Severities are settled when the journal is finished, because
 * `rule` directives may stand anywhere in the journal.
 */
#ifndef LADDER_DIAG_H
#define LADDER_DIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "rules.h"
#include "source.h"

struct arena;

struct note {
    const struct source *src;
    struct pos pos;
    const char *msg;
    struct note *link;
};

struct diag {
    enum rule_id rule;
    enum severity severity;         /* final, after overrides */
    const struct source *src;
    struct pos pos, end;            /* end is exclusive (column after the last byte) */
    const char *msg;
    struct note *notes, **notes_tail;
    uint32_t order;                 /* report order, the last sort key */
};

/* A region that a `ladder-ignore` comment covers. */
struct ignore_range {
    const struct source *src;
    uint32_t start, end;            /* byte offsets */
    struct ignore ignore;
};

struct diag_list {
    struct arena *arena;
    struct diag **v;
    uint32_t n, cap;
    struct ignore_set {
        struct ignore_range *v;
        uint32_t n, cap;
    } ign[2];                       /* [0] single lines, [1] whole entries */
    uint32_t syntax_line;           /* one syntax error per line: the last one's line */
    const struct source *syntax_src;
};

void diag_init(struct diag_list *l, struct arena *a);

/* Report a diagnostic over [at.start, at.end) of src.  Returns it so that
 * notes can be added; NULL when dropped (a second syntax error on a line). */
struct diag *diag_report(struct diag_list *l, enum rule_id rule,
                         const struct source *src, struct span at,
                         const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_note(struct diag_list *l, struct diag *d, const struct source *src,
               uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Record what a ladder-ignore comment covers: one line, or (whole_entry)
 * an entry from its header to its last item.  Ranges of one kind never
 * overlap. */
void diag_ignore(struct diag_list *l, const struct source *src, uint32_t start,
                 uint32_t end, const struct ignore *ig, bool whole_entry);

/* Apply severities (severity[rule], SEV_OFF drops), suppression, and sort by
 * file name, line, column, report order. */
void diag_finish(struct diag_list *l, const enum severity severity[R_COUNT]);

#endif
