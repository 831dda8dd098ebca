/* rules.h - the rule registry: one table that everything reads.
 *
 * The engine, `ladder rules`, `ladder explain`, the SARIF rule list and the
 * manual page all read rule_table[].  A rule's id is stable forever.
 */
#ifndef LADDER_RULES_H
#define LADDER_RULES_H

#include <stddef.h>

enum severity { SEV_OFF = 0, SEV_NOTE = 1, SEV_WARNING = 2, SEV_ERROR = 3 };

enum rule_id {
    /* structure */
    R_SYNTAX,
    R_BAD_DATE,
    R_UNKNOWN_RUNG,
    R_UNKNOWN_CLIENT,
    R_INCLUDE,
    R_DUPLICATE_LADDER,
    R_DATE_ORDER,
    R_DUPLICATE_ENTRY,
    R_FUTURE_HELD,
    R_STALE_PLANNED,
    /* the commitment ladder */
    R_NO_PLAN,
    R_NO_ASK,
    R_MISSING_NEXT,
    R_UNSCHEDULED_NEXT,
    R_OVERDUE_NEXT,
    R_OVER_ASK,
    R_STALLED,
    R_ONE_SIDED,
    R_NO_MUTUAL_INTEREST,
    /* suppression */
    R_UNUSED_IGNORE,
    R_COUNT
};

struct journal;

struct rule_info {
    const char *id;
    enum severity severity;         /* default */
    const char *summary;            /* one line */
    const char *explain;            /* `ladder explain`: idea, trigger, options, example */
    /* Runs over a resolved journal and reports through diag; NULL for the
     * rules that the parser (syntax, bad-date, duplicate-ladder), the
     * resolver (unknown-rung, unknown-client, include) or the settling of
     * diagnostics (unused-ignore) report as they go.  One function may
     * serve several rules: it is called once. */
    void (*check)(struct journal *j);
    const char *category;           /* "structure", "ladder" or "suppression" */
    const char *options;            /* the options it reads, comma-separated */
};

extern const struct rule_info rule_table[R_COUNT];

/* The rule with this id, or -1. */
int rule_find(const char *id, size_t len);
/* The id closest to `id` by edit distance (for "did you mean"). */
const char *rule_nearest(const char *id, size_t len);

const char *severity_name(enum severity s);
/* "error", "warning", "note", "off" -> severity; -1 if none of them. */
int severity_parse(const char *s, size_t len);

/* Levenshtein distance, capped (returns cap when larger). */
size_t edit_distance(const char *a, size_t alen, const char *b, size_t blen,
                     size_t cap);

#endif
