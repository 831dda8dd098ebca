/* ladder_rules.c - the commitment-ladder rules (spec section 5).
 *
 * One pass over each client's chronological history: climb_entry() follows
 * the level and the runs, and check_ladder_rules() adds the rules that look
 * at one entry alone.  Nothing is rescanned: the whole check is linear in
 * entries and items, after resolve's sort.
 */
#include "ladder_rules.h"

#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "model.h"
#include "resolve.h"

/* --- the climb ------------------------------------------------------------- */

void climb_init(struct climb *c, const struct climb_params *p)
{
    *c = (struct climb){ .p = *p };
}

struct climb_params climb_params_of(const struct journal *j)
{
    struct climb_params p = {
        .max_step = j->option[OPT_MAX_STEP],
        .stall_after = j->option[OPT_STALL_AFTER],
        .one_sided_after = j->option[OPT_ONE_SIDED_AFTER],
        .decline_after = j->option[OPT_DECLINE_AFTER],
        .top = j->nrungs,
    };
    return p;
}

bool climb_is_commitment(const struct item *it)
{
    return it->kind == IT_GOT || (it->kind == IT_ASK && it->outcome == OUT_YES);
}

static void emit_event(climb_fn *emit, void *ctx, const struct climb *c,
                       enum climb_event_kind kind, const struct entry *e,
                       const struct item *it, uint32_t count,
                       const struct entry *since)
{
    if (!emit)
        return;
    struct climb_event ev = {
        .kind = kind, .entry = e, .item = it, .level = c->level,
        .level_entry = c->level_entry, .level_item = c->level_item,
        .count = count, .since = since,
    };
    emit(ctx, &ev);
}

/* over-ask: plan and ask lines, against the level before the line. */
static void check_step(struct climb *c, const struct entry *e,
                       const struct item *it, climb_fn *emit, void *ctx)
{
    if ((it->kind != IT_ASK && it->kind != IT_PLAN) || it->rank <= 0)
        return;
    if (it->rank - c->level > c->p.max_step)
        emit_event(emit, ctx, c, CLIMB_OVER_ASK, e, it, 0, NULL);
}

void climb_entry(struct climb *c, const struct entry *e, climb_fn *emit,
                 void *ctx)
{
    if (e->status == ST_CANCELLED)
        return;
    if (e->status == ST_PLANNED) {
        /* Catching the over-ask before the call is the point; a planned
         * call commits nobody and moves no run. */
        for (uint32_t i = 0; i < e->nitems; i++)
            check_step(c, e, &e->items[i], emit, ctx);
        return;
    }

    /* A won climb is over: the level still moves (a custom ladder may have
     * nothing above), the runs do not. */
    bool won = c->won;
    bool climbed = false, committed = false, gave = false;
    for (uint32_t i = 0; i < e->nitems; i++) {
        const struct item *it = &e->items[i];
        check_step(c, e, it, emit, ctx);
        if (it->kind == IT_GAVE)
            gave = true;
        if (it->kind == IT_ASK && it->rank > c->level)
            climbed = true;         /* whatever the answer */
        if (it->kind == IT_ASK && it->outcome == OUT_NO && !won) {
            if (c->decline_run++ == 0)
                c->decline_first = e;
            if (c->decline_run == (uint32_t)c->p.decline_after)
                emit_event(emit, ctx, c, CLIMB_NO_MUTUAL_INTEREST, e, it,
                           c->decline_run, c->decline_first);
        }
        if (climb_is_commitment(it)) {
            committed = true;
            c->decline_run = 0;
            c->decline_first = NULL;
            if (it->rank > c->level) {
                c->level = it->rank;
                c->level_entry = e;
                c->level_item = it;
            }
        }
    }

    if (won)
        return;

    /* stalled: a climbing ask ends the run and does not count in it; a
     * touch neither counts nor ends it. */
    if (climbed) {
        c->stall_run = 0;
        c->stall_first = NULL;
    } else if (!e->touch) {
        if (c->stall_run++ == 0)
            c->stall_first = e;
        if (c->stall_run == (uint32_t)c->p.stall_after)
            emit_event(emit, ctx, c, CLIMB_STALLED, e, NULL, c->stall_run,
                       c->stall_first);
    }

    /* one-sided: a commitment ends the run and does not count in it.  A
     * touch's gave lines make the run one-sided, but the touch is not an
     * entry of the run: it is reported at the run's next call. */
    if (committed) {
        c->one_sided_run = 0;
        c->one_sided_gave = false;
        c->one_sided_reported = false;
        c->one_sided_first = NULL;
    } else {
        c->one_sided_gave |= gave;
        if (!e->touch && c->one_sided_run++ == 0)
            c->one_sided_first = e;
        if (!e->touch && !c->one_sided_reported && c->one_sided_gave &&
            c->one_sided_run >= (uint32_t)c->p.one_sided_after) {
            c->one_sided_reported = true;
            emit_event(emit, ctx, c, CLIMB_ONE_SIDED, e, NULL, c->one_sided_run,
                       c->one_sided_first);
        }
    }

    if (!c->won && c->p.top > 0 && c->level >= c->p.top) {
        /* Won, from the next entry on: the runs end here. */
        c->won = true;
        c->won_entry = e;
        c->stall_run = c->one_sided_run = c->decline_run = 0;
        c->stall_first = c->one_sided_first = c->decline_first = NULL;
        c->one_sided_gave = c->one_sided_reported = false;
    }
}

/* --- words for the messages ------------------------------------------------- */

struct ymd {
    char s[16];
};

static struct ymd ymd(struct date d)
{
    struct ymd r;
    int y = d.year < 0 ? 0 : d.year > 9999 ? 9999 : d.year;
    r.s[0] = (char)('0' + y / 1000);
    r.s[1] = (char)('0' + y / 100 % 10);
    r.s[2] = (char)('0' + y / 10 % 10);
    r.s[3] = (char)('0' + y % 10);
    r.s[4] = '-';
    r.s[5] = (char)('0' + d.month / 10 % 10);
    r.s[6] = (char)('0' + d.month % 10);
    r.s[7] = '-';
    r.s[8] = (char)('0' + d.day / 10 % 10);
    r.s[9] = (char)('0' + d.day % 10);
    r.s[10] = '\0';
    return r;
}

static const char *rung_name(const struct journal *j, int rank)
{
    return rank >= 1 && rank <= j->nrungs ? j->rungs[rank - 1].name : "?";
}

/* The phrases below depend on the ladder and a level only: each is made
 * once per journal and level (in the arena, where a diagnostic refers to
 * it rather than copying it), not once per diagnostic.  A slot holds NULL
 * when not made yet, NO_PHRASE when the phrase is NULL. */
enum { PH_LEVEL, PH_NEXT_RUNG, PH_NEXT_STEP1, PH_NEXT_MAX_STEP, PH_OVER_ASK,
       PH_OVER_ASK_PLAN, PH_KINDS };
static const char NO_PHRASE[] = "";

/* The slot of phrase `kind` at `level`, or NULL when it is not kept. */
static const char **phrase_slot(struct journal *j, int kind, int level)
{
    if (level < 0 || level > j->nrungs)
        return NULL;
    size_t per = (size_t)j->nrungs + 1;
    if (!j->phrases)
        j->phrases = arena_alloc(j->arena, PH_KINDS * per * sizeof *j->phrases);
    return &j->phrases[(size_t)kind * per + (size_t)level];
}

static const char *phrase_get(const char **slot)
{
    return *slot == NO_PHRASE ? NULL : *slot;
}

static const char *phrase_put(const char **slot, const char *s)
{
    if (slot)
        *slot = s ? s : NO_PHRASE;
    return s;
}

/* "level 1 (intro)", or "level 0 (no commitment yet)". */
static const char *level_words(struct journal *j, int level)
{
    if (level <= 0)
        return "level 0 (no commitment yet)";
    const char **slot = phrase_slot(j, PH_LEVEL, level);
    if (slot && *slot)
        return phrase_get(slot);
    return phrase_put(slot, arena_printf(j->arena, "level %d (%s)", level,
                                         rung_name(j, level)));
}

/* The rungs a client at `level` may be asked for next, at most `step` of
 * them: "meeting", "meeting or needs", "meeting, needs or strategy", "a
 * rung from meeting to visit"; NULL at the top of the ladder. */
static const char *next_rungs_made(struct journal *j, int level, int step)
{
    int lo = level + 1, hi = level + step;
    if (lo < 1)
        lo = 1;
    if (hi > j->nrungs)
        hi = j->nrungs;
    if (lo > hi)
        return NULL;
    if (hi == lo)
        return rung_name(j, lo);
    if (hi == lo + 1)
        return arena_printf(j->arena, "%s or %s", rung_name(j, lo), rung_name(j, hi));
    if (hi == lo + 2)
        return arena_printf(j->arena, "%s, %s or %s", rung_name(j, lo),
                            rung_name(j, lo + 1), rung_name(j, hi));
    return arena_printf(j->arena, "a rung from %s to %s", rung_name(j, lo),
                        rung_name(j, hi));
}

static const char *next_rungs(struct journal *j, int level, int step)
{
    const char **slot = step == 1 ? phrase_slot(j, PH_NEXT_STEP1, level)
                      : step == j->option[OPT_MAX_STEP]
                      ? phrase_slot(j, PH_NEXT_MAX_STEP, level) : NULL;
    if (slot && *slot)
        return phrase_get(slot);
    return phrase_put(slot, next_rungs_made(j, level, step));
}

/* s with every '%' doubled, for a format: s itself when it has none. */
static const char *pct_escaped(struct journal *j, const char *s)
{
    size_t n = 0;
    for (const char *p = s; (p = strchr(p, '%')); p++)
        n++;
    if (!n)
        return s;
    char *e = arena_alloc(j->arena, strlen(s) + n + 1), *q = e;
    for (const char *p = s; *p; p++) {
        *q++ = *p;
        if (*p == '%')
            *q++ = '%';
    }
    *q = '\0';
    return e;
}

/* Over-ask's format at `level`: what depends on the level and the
 * journal only (the level, max-step, the rungs to ask for instead) is
 * written in, once per level, so that a diagnostic packs the client, the
 * rung, its rank and the climb (it is one of the commonest).  The format
 * lives in the arena, as long as the diagnostics.  NULL for a ladder of
 * more than OVER_ASK_LEVELS rungs: a list holds 65,535 formats at most,
 * and two a level could come near it; report_over_ask then passes the
 * phrases as arguments. */
enum { OVER_ASK_LEVELS = 1024 };

static const char *over_ask_format(struct journal *j, bool plan, int level)
{
    if (j->nrungs > OVER_ASK_LEVELS)
        return NULL;
    const char **slot = phrase_slot(j, plan ? PH_OVER_ASK_PLAN : PH_OVER_ASK, level);
    if (slot && *slot)
        return phrase_get(slot);
    const char *step = next_rungs(j, level, j->option[OPT_MAX_STEP]);
    return phrase_put(slot, arena_printf(j->arena,
        "%s %%s for %%s (rank %%d) at %s climbs %%d rungs; max-step is %d: ask for %s first",
        plan ? "planning to ask" : "asking", pct_escaped(j, level_words(j, level)),
        j->option[OPT_MAX_STEP], step ? pct_escaped(j, step) : "less"));
}

/* "meeting (rank 2)": the rung just above the level, NULL at the top. */
static const char *next_rung(struct journal *j, int level)
{
    if (level + 1 > j->nrungs)
        return NULL;
    const char **slot = phrase_slot(j, PH_NEXT_RUNG, level);
    if (slot && *slot)
        return phrase_get(slot);
    return phrase_put(slot, arena_printf(j->arena, "%s (rank %d)",
                                         rung_name(j, level + 1), level + 1));
}

static const char *calls(uint32_t n)
{
    return n == 1 ? "call" : "calls";
}

/* --- reporting the climb's events ------------------------------------------- */

struct reporter {
    struct journal *j;
    const struct client *who;
};

static void on_event(void *ctx, const struct climb_event *ev);

static void report_over_ask(struct reporter *r, const struct climb_event *ev)
{
    struct journal *j = r->j;
    const struct item *it = ev->item;
    const char *fmt = over_ask_format(j, it->kind == IT_PLAN, ev->level);
    struct diag *d;
    if (fmt) {
        d = diag_report(&j->diags, R_OVER_ASK, ev->entry->src, item_rung(it), fmt,
                        r->who->name, rung_name(j, it->rank), it->rank,
                        it->rank - ev->level);
    } else {
        const char *step = next_rungs(j, ev->level, j->option[OPT_MAX_STEP]);
#define OVER_ASK " %s for %s (rank %d) at %s climbs %d rungs; max-step is %d: ask for %s first"
        d = diag_report(&j->diags, R_OVER_ASK, ev->entry->src, item_rung(it),
            it->kind == IT_PLAN ? "planning to ask" OVER_ASK : "asking" OVER_ASK,
            r->who->name, rung_name(j, it->rank), it->rank, level_words(j, ev->level),
            it->rank - ev->level, j->option[OPT_MAX_STEP], step ? step : "less");
#undef OVER_ASK
    }
    int top = ev->level + j->option[OPT_MAX_STEP];
    if (top > j->nrungs)
        top = j->nrungs;
    if (top >= 1 && top < it->rank) {
        const char *name = rung_name(j, top);
        struct fix *f = diag_fix(&j->diags, d, false,
                                 "%s for '%s' (rank %d), the highest rung max-step allows",
                                 it->kind == IT_PLAN ? "plan" : "ask", name, top);
        diag_fix_replace(&j->diags, f, ev->entry->src, item_rung(it), name);
    }
    if (ev->level_item) {
        const struct entry *le = ev->level_entry;
        size_t n = strlen(r->who->name);
        bool s = n && r->who->name[n - 1] == 's';
        diag_note(&j->diags, d, le->src, ev->level_item->start,
                  "%s%s level was set here: %s (rank %d) on %s", r->who->name,
                  s ? "'" : "'s", rung_name(j, ev->level), ev->level,
                  ymd(le->date).s);
    }
}

static void report_stalled(struct reporter *r, const struct climb_event *ev)
{
    struct journal *j = r->j;
    const char *up = next_rungs(j, ev->level, j->option[OPT_MAX_STEP]);
    if (up)
        diag_report(&j->diags, R_STALLED, ev->entry->src, entry_line(ev->entry),
                    "%u held %s with %s in a row (since %s) without asking for "
                    "more than %s: ask for %s",
                    ev->count, calls(ev->count), r->who->name, ymd(ev->since->date).s,
                    level_words(j, ev->level), up);
    else
        diag_report(&j->diags, R_STALLED, ev->entry->src, entry_line(ev->entry),
                    "%u held %s with %s in a row (since %s) without a climbing "
                    "ask: %s is at the top of the ladder (%s); close the "
                    "pursuit or write 'next none'",
                    ev->count, calls(ev->count), r->who->name, ymd(ev->since->date).s,
                    r->who->name, rung_name(j, ev->level));
}

static void report_one_sided(struct reporter *r, const struct climb_event *ev)
{
    struct journal *j = r->j;
    const char *up = next_rung(j, ev->level);
#define ONE_SIDED "%u held %s with %s in a row (since %s) without a commitment " \
                  "from the client, while you keep giving: ask for something in return"
    if (up)
        diag_report(&j->diags, R_ONE_SIDED, ev->entry->src, entry_line(ev->entry),
                    ONE_SIDED ", such as %s", ev->count, calls(ev->count), r->who->name,
                    ymd(ev->since->date).s, up);
    else
        diag_report(&j->diags, R_ONE_SIDED, ev->entry->src, entry_line(ev->entry),
                    ONE_SIDED, ev->count, calls(ev->count), r->who->name,
                    ymd(ev->since->date).s);
#undef ONE_SIDED
}

static void report_declines(struct reporter *r, const struct climb_event *ev)
{
    struct journal *j = r->j;
    diag_report(&j->diags, R_NO_MUTUAL_INTEREST, ev->entry->src, item_kw(ev->item),
                "%s has declined %u %s in a row (since %s) and committed to "
                "nothing since: it may not be interested; ask plainly whether "
                "to go on, or spend the time on a better prospect",
                r->who->name, ev->count, ev->count == 1 ? "ask" : "asks",
                ymd(ev->since->date).s);
}

static void on_event(void *ctx, const struct climb_event *ev)
{
    struct reporter rr = { ctx, entry_who(ctx, ev->entry) }, *r = &rr;
    if (journal_before_since(r->j, ev->entry->date))
        return;                     /* counted, not reported */
    switch (ev->kind) {
    case CLIMB_OVER_ASK: report_over_ask(r, ev); break;
    case CLIMB_STALLED: report_stalled(r, ev); break;
    case CLIMB_ONE_SIDED: report_one_sided(r, ev); break;
    case CLIMB_NO_MUTUAL_INTEREST: report_declines(r, ev); break;
    }
}

/* --- the rules of one entry ---------------------------------------------------- */

/* future-held, stale-planned, no-plan, no-ask, missing-next,
 * unscheduled-next; `cl` is the client's climb before the entry. */
static void check_entry(struct journal *j, const struct entry *e,
                        const struct climb *cl)
{
    if (journal_before_since(j, e->date))
        return;
    int level = cl->level;
    const char *who = entry_who(j, e)->name;
    struct date today = j->config->today;
    bool plan = false, ask = false, next = false;
    int after = level;              /* the level after a held entry's gots */
    for (uint32_t i = 0; i < e->nitems; i++) {
        const struct item *it = &e->items[i];
        plan |= it->kind == IT_PLAN;
        ask |= it->kind == IT_ASK;
        next |= it->kind == IT_NEXT;
        if (e->status == ST_HELD && climb_is_commitment(it) && it->rank > after)
            after = it->rank;
    }

    if (e->status == ST_HELD && date_cmp(e->date, today) > 0) {
        struct diag *d = diag_report(&j->diags, R_FUTURE_HELD, e->src, entry_date_at(e),
                    "this call with %s is marked held but dated %s, after today "
                    "(%s): mark it planned with '!', or correct the date",
                    who, ymd(e->date).s, ymd(today).s);
        struct fix *f = diag_fix(&j->diags, d, false, "mark it planned with '!'");
        if (!span_empty(entry_status_at(e))) {
            diag_fix_replace(&j->diags, f, e->src, entry_status_at(e), "!");
        } else {
            /* No mark: it goes before the kind, else before the client. */
            struct span kind = entry_kind_at(e);
            uint32_t at = !span_empty(kind) ? kind.start - 1 : entry_client_at(e).start;
            diag_fix_edit(&j->diags, f, e->src, at, at, "! ", 2);
        }
    }
    if (e->status == ST_PLANNED && date_cmp(e->date, today) < 0) {
        struct diag *d = diag_report(&j->diags, R_STALE_PLANNED, e->src, entry_status_at(e),
                    "this call with %s was planned for %s, before today (%s): "
                    "record what happened, '*' held or '~' cancelled",
                    who, ymd(e->date).s, ymd(today).s);
        struct fix *f = diag_fix(&j->diags, d, false, "mark it held with '*'");
        diag_fix_replace(&j->diags, f, e->src, entry_status_at(e), "*");
        f = diag_fix(&j->diags, d, false, "mark it cancelled with '~'");
        diag_fix_replace(&j->diags, f, e->src, entry_status_at(e), "~");
    }
    if (e->status == ST_PLANNED && !plan && !e->touch) {
        const char *up = next_rungs(j, level, 1);
        if (up && level > 0)
            diag_report(&j->diags, R_NO_PLAN, e->src, entry_line(e),
                        "no plan for this call with %s: decide what you will ask "
                        "for, such as 'plan %s' (%s is at %s, rank %d)",
                        who, up, who, rung_name(j, level), level);
        else if (up)
            diag_report(&j->diags, R_NO_PLAN, e->src, entry_line(e),
                        "no plan for this call with %s: decide what you will ask "
                        "for, such as 'plan %s' (%s has committed to nothing yet)",
                        who, up, who);
        else
            diag_report(&j->diags, R_NO_PLAN, e->src, entry_line(e),
                        "no plan for this call with %s: decide before the call "
                        "what you will ask for ('plan RUNG')", who);
    }
    if (e->status != ST_HELD)
        return;
    if (!ask && !e->touch && !cl->won) {
        const char *up = next_rung(j, after);
        if (up)
            diag_report(&j->diags, R_NO_ASK, e->src, entry_line(e),
                        "nothing was asked of %s on this call: ask for a commitment, "
                        "such as %s, to learn how interested it is", who, up);
        else
            diag_report(&j->diags, R_NO_ASK, e->src, entry_line(e),
                        "nothing was asked of %s on this call: ask for a commitment, "
                        "to learn how interested it is", who);
    }
    if (!next && !e->touch)
        diag_report(&j->diags, R_MISSING_NEXT, e->src, entry_line(e),
                    "this call with %s ended without a next step: schedule one "
                    "before the call ends ('next DATE ...'), or write 'next none'",
                    who);
    for (uint32_t i = 0; i < e->nitems; i++) {
        const struct item *it = &e->items[i];
        if (it->kind == IT_NEXT && it->next == NEXT_TEXT) {
            struct diag *d = diag_report(&j->diags, R_UNSCHEDULED_NEXT, e->src, item_line(it),
                        "this next step with %s has no date: get it on the "
                        "calendar now ('next YYYY-MM-DD ...')", who);
            /* A week after the call (docs/decisions.md). */
            struct date when = date_add_days(e->date, 7);
            if (when.valid) {
                struct fix *f = diag_fix(&j->diags, d, false,
                                         "schedule it: 'next %s ...'", ymd(when).s);
                if (f) {            /* fixes are wanted (not by gcc) */
                    char buf[16];
                    int n = snprintf(buf, sizeof buf, " %s", ymd(when).s);
                    uint32_t at = item_kw(it).end;
                    diag_fix_edit(&j->diags, f, e->src, at, at, buf, (size_t)n);
                }
            }
        }
    }
}

/* --- the client's state ------------------------------------------------------ */

void client_state_init(struct client_state *s, const struct climb_params *p)
{
    *s = (struct client_state){ 0 };
    climb_init(&s->climb, p);
}

void client_state_entry(struct client_state *s, const struct entry *e,
                        climb_fn *emit, void *ctx)
{
    climb_entry(&s->climb, e, emit, ctx);
    s->last = e;
    if (e->status != ST_HELD)
        return;
    s->last_held = e;
    s->held++;
    if (!e->touch)
        s->calls++;
    for (uint32_t i = 0; i < e->nitems; i++) {
        const struct item *it = &e->items[i];
        if (it->kind == IT_GAVE)
            s->gives++;
        if (climb_is_commitment(it))
            s->commitments++;
        if (it->kind == IT_ASK && it->rank > 0) {
            s->ask_entry = e;
            s->ask = it;
        }
    }
}

void client_state_of(const struct journal *j, const struct client *c,
                     struct client_state *s)
{
    struct climb_params p = climb_params_of(j);
    client_state_init(s, &p);
    for (uint32_t i = 0; i < c->nentries; i++)
        client_state_entry(s, client_entry(j, c, i), NULL, NULL);
}

bool next_steps_open(const struct journal *j, const struct entry *e)
{
    if (!e || e->status != ST_HELD || journal_before_since(j, e->date))
        return false;
    /* `next none` closes every next step of its entry, and before it. */
    for (uint32_t i = 0; i < e->nitems; i++)
        if (e->items[i].kind == IT_NEXT && e->items[i].next == NEXT_NONE)
            return false;
    return true;
}

bool next_is_overdue(const struct journal *j, const struct entry *e,
                     const struct item *it)
{
    (void)e;
    return it->kind == IT_NEXT && it->next == NEXT_DATED && it->date.valid &&
           date_cmp(it->date, j->config->today) < 0;
}

unsigned client_state_flags(const struct journal *j, const struct client_state *s)
{
    const struct climb *c = &s->climb;
    unsigned f = 0;
    if (c->won)
        f |= CLIENT_WON;
    /* A run reports once, when it meets its condition, and stays met
     * until it ends: what the rule raised is still true now. */
    if (!c->won && c->p.stall_after > 0 && c->stall_run >= (uint32_t)c->p.stall_after)
        f |= CLIENT_STALLED;
    if (!c->won && c->one_sided_reported)
        f |= CLIENT_ONE_SIDED;
    if (!c->won && c->p.decline_after > 0 && c->decline_run >= (uint32_t)c->p.decline_after)
        f |= CLIENT_DECLINING;
    if (next_steps_open(j, s->last))
        for (uint32_t i = 0; i < s->last->nitems; i++)
            if (next_is_overdue(j, s->last, &s->last->items[i]))
                f |= CLIENT_OVERDUE;
    return f;
}

/* Number the clients (client->index, in the list's order); how many. */
static uint32_t number_clients(struct journal *j)
{
    uint32_t n = 0;
    for (struct client *c = j->clients; c; c = c->link)
        c->index = n++;
    return n;
}

/* A part of the clients: those whose index is `phase` modulo `stride`
 * (every client: phase 0, stride 1).  Clients are taken in turn, not by
 * ranges, so that two parts get about as much work whatever the
 * journal's order. */
struct client_part {
    uint32_t phase, stride;
};

static bool in_part(const struct client *c, struct client_part part)
{
    return c->index % part.stride == part.phase;
}

/* How many of n clients are in the part. */
static uint32_t part_size(uint32_t n, struct client_part part)
{
    return n > part.phase ? (n - part.phase + part.stride - 1) / part.stride : 0;
}

/* The climbs of the part's clients, client i's in st[i / stride], over the
 * whole journal in chronological order (each client's entries still come
 * in its own order): entries are then read about in the order they lie in
 * memory, not client by client all over a big journal. */
static void climb_clients(struct journal *j, struct client_state *st,
                          uint32_t n, struct client_part part,
                          void (*before)(struct journal *j, const struct entry *e,
                                         const struct climb *c),
                          climb_fn *emit, void *ctx)
{
    struct climb_params p = climb_params_of(j);
    for (uint32_t i = 0; i < part_size(n, part); i++)
        client_state_init(&st[i], &p);
    for (uint32_t i = 0; i < j->nchrono; i++) {
        /* Clients are far apart in a big journal: ask for the next
         * entries, then their client, then its state and name, ahead of
         * time (kept for what it measures: resolve.c, PREFETCH; the entry
         * itself, 32 ahead, since the rules ran in two parts). */
        if (i + 32 < j->nchrono)
            __builtin_prefetch(chrono_entry(j, i + 32));
        if (i + 16 < j->nchrono)
            __builtin_prefetch(name_get(j->names, chrono_entry(j, i + 16)->client));
        if (i + 8 < j->nchrono) {
            const struct client *c = entry_who(j, chrono_entry(j, i + 8));
            if (in_part(c, part)) {
                __builtin_prefetch(&st[c->index / part.stride], 1);
                __builtin_prefetch(c->name);
            }
        }
        const struct entry *e = chrono_entry(j, i);
        const struct client *who = entry_who(j, e);
        if (!in_part(who, part))
            continue;                   /* another part's client */
        struct client_state *s = &st[who->index / part.stride];
        if (before)
            before(j, e, &s->climb);
        client_state_entry(s, e, emit, ctx);
    }
}

struct client_state *client_states(struct journal *j,
                                   void (*before)(struct journal *j, const struct entry *e,
                                                  const struct climb *c),
                                   climb_fn *emit, void *ctx)
{
    uint32_t n = number_clients(j);
    struct client_state *st = xmap(arena_mem(j->arena), (n ? n : 1) * sizeof *st);
    climb_clients(j, st, n, (struct client_part){ 0, 1 }, before, emit, ctx);
    return st;
}

/* overdue-next: the client's last entry only (none after it: an entry
 * after it, of any status, ends the check for the steps it scheduled). */
static void check_overdue(struct journal *j, const struct entry *e)
{
    if (!next_steps_open(j, e))
        return;
    struct date today = j->config->today;
    for (uint32_t i = 0; i < e->nitems; i++) {
        const struct item *it = &e->items[i];
        if (!next_is_overdue(j, e, it))
            continue;
        long days = date_days(today) - date_days(it->date);
        diag_report(&j->diags, R_OVERDUE_NEXT, e->src, item_date_at(it),
                    "the next step with %s was due on %s (%ld %s ago) and "
                    "nothing is recorded after it: follow up and record the "
                    "call, or write 'next none'",
                    entry_who(j, e)->name, ymd(it->date).s, days, days == 1 ? "day" : "days");
    }
}

/* A journal of this many entries or more (config.rules_split) has its
 * clients checked in two parts, on two threads (check_in_two). */
#define RULES_SPLIT_DEFAULT 32768u

/* The rules over a part of the n clients: their climbs, then overdue-next
 * on their last entries. */
static void check_clients(struct journal *j, uint32_t n, struct client_part part)
{
    struct mem *m = arena_mem(j->arena);
    size_t size = part_size(n, part) ? part_size(n, part) : 1;
    struct client_state *st = xmap(m, size * sizeof *st);
    climb_clients(j, st, n, part, check_entry, on_event, j);
    xunmap(m, st, size * sizeof *st);
    for (const struct client *c = j->clients; c; c = c->link)
        if (in_part(c, part) && c->nentries)
            check_overdue(j, client_entry(j, c, c->nentries - 1));
}

/* A big journal's clients in two parts, each checked on a thread of its
 * own: clients are independent, and every diagnostic these rules report
 * lies in the client's own entries, so after diag_finish's sort (by
 * position, then rule, stable) the diagnostics and their order are one
 * thread's.  Each part works on a copy of the journal whose arena,
 * diagnostics and phrases are its own; the journal's arena, which
 * neither part allocates from meanwhile, holds the names they quote
 * (diag_list.shared).  The parts' memory and diagnostics are the
 * journal's afterwards. */
struct rules_part {
    struct journal jc;
    struct mem *mem;
    uint32_t n;                     /* clients in all */
    struct client_part part;
    bool ok;
    jmp_buf fail;
};

static void *check_part(void *arg)
{
    struct rules_part *p = arg;
    p->mem->fail = &p->fail;
    if (setjmp(p->fail))
        return NULL;
    struct journal *j = &p->jc;
    struct arena *shared = j->arena;
    bool fixes = j->diags.fixes;
    j->arena = arena_new(p->mem);
    arena_small_pages(j->arena);
    diag_init(&j->diags, j->arena);
    j->diags.shared = shared;
    j->diags.fixes = fixes;
    j->phrases = NULL;
    check_clients(j, p->n, p->part);
    p->ok = true;
    return NULL;
}

static bool check_in_two(struct journal *j, uint32_t n)
{
    uint32_t min = j->config->rules_split ? j->config->rules_split : RULES_SPLIT_DEFAULT;
    if (min == UINT32_MAX || j->nchrono < min || n < 2 || !mem_is_malloc(j->mem))
        return false;
    struct rules_part part[2];
    memset(part, 0, sizeof part);
    for (int k = 0; k < 2; k++) {
        part[k].jc = *j;
        part[k].n = n;
        part[k].part = (struct client_part){ (uint32_t)k, 2 };
        part[k].mem = mem_new(NULL);
        if (!part[k].mem) {
            mem_free(part[0].mem);
            return false;               /* one thread does it all */
        }
    }
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, check_part, &part[1]) == 0;
    check_part(&part[0]);
    if (threaded)
        pthread_join(t, NULL);
    else
        check_part(&part[1]);
    struct mem *m = j->mem;
    if (!part[0].ok || !part[1].ok) {
        mem_free(part[0].mem);
        mem_free(part[1].mem);
        oom(m);
    }
    jmp_buf local, *outer = m->fail;
    volatile int k = 0;
    if (setjmp(local)) {                /* before a part's memory is the journal's */
        m->fail = outer;
        for (; k < 2; k++)
            mem_free(part[k].mem);
        oom(m);
    }
    m->fail = &local;
    for (; k < 2; k++) {
        arena_adopt(j->arena, part[k].jc.arena);    /* its mem's blocks are m's */
        mem_free(part[k].mem);                      /* empty now: its handle */
        part[k].mem = NULL;
        diag_adopt(&j->diags, &part[k].jc.diags);
        arena_free(part[k].jc.arena);               /* its header: its chunks are j's */
    }
    m->fail = outer;
    return true;
}

void check_ladder_rules(struct journal *j)
{
    uint32_t n = number_clients(j);
    if (!check_in_two(j, n))
        check_clients(j, n, (struct client_part){ 0, 1 });
}
