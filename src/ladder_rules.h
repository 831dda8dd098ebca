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

/* --- a client's state: what the rules and the reports read ------------------ */

/* One client's whole history, as the rules see it after its last entry:
 * the climb (level, runs, won) and what the reports add to it.  The rules
 * and the reports (report.c) advance it with the same client_state_entry,
 * so `ladder clients` shows what over-ask, stalled, one-sided,
 * no-mutual-interest and overdue-next see. */
struct client_state {
    struct climb climb;
    const struct entry *last;       /* its last entry, of any status */
    const struct entry *last_held;  /* its last held entry */
    const struct entry *ask_entry;  /* its last ask in a held entry ... */
    const struct item *ask;         /* ... (a known rung) */
    uint32_t held;                  /* held entries */
    uint32_t calls;                 /* held entries that are not touches */
    uint32_t gives;                 /* gave lines of held entries */
    uint32_t commitments;           /* commitments (climb_is_commitment) */
};

void client_state_init(struct client_state *s, const struct climb_params *p);
/* The climb over one entry (climb_entry, same emit), then the counts. */
void client_state_entry(struct client_state *s, const struct entry *e,
                        climb_fn *emit, void *ctx);

/* The state of one client after its whole history (its entries in
 * chronological order): the same steps as client_states, for one client. */
void client_state_of(const struct journal *j, const struct client *c,
                     struct client_state *s);

/* The flags the ladder rules raise for the client now (after its last
 * entry): its current stalled, one-sided and no-mutual-interest runs have
 * met their condition, a next step is overdue, the climb is won. */
enum {
    CLIENT_STALLED = 1, CLIENT_ONE_SIDED = 2, CLIENT_DECLINING = 4,
    CLIENT_OVERDUE = 8, CLIENT_WON = 16
};
unsigned client_state_flags(const struct journal *j, const struct client_state *s);

/* Is `e` an entry whose next steps still count (the client's last entry,
 * held, no `next none` in it, not before option since)?  And is its next
 * line `it` overdue at the journal's today (what overdue-next reports)? */
bool next_steps_open(const struct journal *j, const struct entry *e);
bool next_is_overdue(const struct journal *j, const struct entry *e,
                     const struct item *it);

/* Every client's state at the end of its history, indexed by client->index
 * (j->nclients of them, from xmap: the caller gives them back with
 * xunmap).  Before each entry, `before` (may be
 * NULL) sees the entry and the client's state before it; `emit` (may be
 * NULL) receives the climb's events.  check_ladder_rules is this with its
 * checks. */
struct client_state *client_states(struct journal *j,
                                   void (*before)(struct journal *j, const struct entry *e,
                                                  const struct climb *c),
                                   climb_fn *emit, void *ctx);

/* The nine commitment-ladder rules (and unused-ignore's view of them: none) plus future-held and stale-planned, in
 * one pass over each client's history: the check function of rule_table[]. */
void check_ladder_rules(struct journal *j);

#endif
