/* ladder_rules.h - the commitment-ladder rules and the climb they follow.
 *
 * A client's climb is followed entry by entry, in chronological order
 * (client->entries after resolve): its level (the highest rung it has
 * committed to), and the three runs of section 5 of the spec: held entries
 * without a climbing ask (stalled), held entries without a commitment
 * (one-sided), declined asks (no-mutual-interest).  climb_entry() advances
 * the climb over one entry and tells what it saw through a callback, so
 * that the rules and the unit tests share one computation.
 */
#ifndef LADDER_LADDER_RULES_H
#define LADDER_LADDER_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"

struct journal;

/* The options that tune the climb (section 6 of the spec). */
struct climb_params {
    int max_step;                   /* over-ask */
    int stall_after;                /* stalled */
    int one_sided_after;            /* one-sided */
    int decline_after;              /* no-mutual-interest */
    int top;                        /* the top rung's rank: reaching it wins */
};

struct climb {
    struct climb_params p;
    /* The level: the highest rank committed so far, 0 for none, and the
     * commitment that first reached it. */
    int level;
    const struct entry *level_entry;
    const struct item *level_item;
    /* stalled: held entries in a row without a climbing ask. */
    uint32_t stall_run;
    const struct entry *stall_first;
    /* one-sided: held entries in a row without a commitment. */
    uint32_t one_sided_run;
    bool one_sided_gave;            /* an entry of the run has a gave line */
    bool one_sided_reported;
    const struct entry *one_sided_first;
    /* no-mutual-interest: declined asks in a row. */
    uint32_t decline_run;
    const struct entry *decline_first;  /* entry of the run's first decline */
    /* Won: the client has committed to the top rung (in won_entry).  From
     * the next entry on, stalled, one-sided, no-mutual-interest and no-ask
     * no longer apply, and the runs stay empty. */
    bool won;
    const struct entry *won_entry;
};

enum climb_event_kind {
    CLIMB_OVER_ASK,                 /* item: an ask or plan line */
    CLIMB_STALLED,                  /* entry header */
    CLIMB_ONE_SIDED,                /* entry header */
    CLIMB_NO_MUTUAL_INTEREST,       /* item: the declined ask */
};

struct climb_event {
    enum climb_event_kind kind;
    const struct entry *entry;
    const struct item *item;        /* NULL for the entry events */
    int level;                      /* the client's level at that moment */
    const struct entry *level_entry;    /* what set it; NULL at level 0 */
    const struct item *level_item;
    uint32_t count;                 /* runs: the run's length */
    const struct entry *since;      /* runs: the run's first entry */
};

typedef void climb_fn(void *ctx, const struct climb_event *ev);

void climb_init(struct climb *c, const struct climb_params *p);
/* The options of a resolved journal. */
struct climb_params climb_params_of(const struct journal *j);

/* Is this item a commitment, if its entry is held: `ask ... -> yes` or
 * `got`?  (Items with an unknown rung are commitments too; they only leave
 * the level alone.) */
bool climb_is_commitment(const struct item *it);

/* Advance the climb over one entry of the client, the entries being given
 * in chronological order.  Held entries move the level and the runs;
 * planned entries only have their plan and ask lines checked against the
 * level; cancelled entries are ignored.  A touch (entry->touch) is never
 * itself an entry of a stalled or one-sided run, but its items act as
 * usual.  `emit` (may be NULL) receives the events in the order they
 * occur. */
void climb_entry(struct climb *c, const struct entry *e, climb_fn *emit,
                 void *ctx);

/* The nine commitment-ladder rules (and unused-ignore's view of them: none) plus future-held and stale-planned, in
 * one pass over each client's history: the check function of rule_table[]. */
void check_ladder_rules(struct journal *j);

#endif
