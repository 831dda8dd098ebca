/* test_ladder_rules.c - the climb (levels and runs) and the ladder rules. */
#include "testutil.h"

#include "journal.h"
#include "ladder_rules.h"
#include "source.h"

/* --- helpers ---------------------------------------------------------------- */

struct lint {
    struct config cfg;              /* must outlive the journal */
    struct journal *j;
};

static struct lint *lint_opts(const char *text, int max_step, int stall_after,
                              int one_sided_after, int decline_after)
{
    struct lint *l = calloc(1, sizeof *l);
    ck_assert_ptr_nonnull(l);
    config_init(&l->cfg, (struct date){ 2011, 6, 30, true });
    l->cfg.option[OPT_MAX_STEP] = max_step;
    l->cfg.option[OPT_STALL_AFTER] = stall_after;
    l->cfg.option[OPT_ONE_SIDED_AFTER] = one_sided_after;
    l->cfg.option[OPT_DECLINE_AFTER] = decline_after;
    l->j = journal_lint_bytes(&l->cfg, "t.ladder", text, strlen(text));
    return l;
}

static struct lint *lint(const char *text)
{
    return lint_opts(text, -1, -1, -1, -1);
}

static void lint_free(struct lint *l)
{
    journal_free(l->j);
    free(l);
}

static const struct client *client_named(const struct journal *j, const char *name)
{
    for (const struct client *c = j->clients; c; c = c->link)
        if (strcmp(c->name, name) == 0)
            return c;
    ck_abort_msg("no client %s", name);
    return NULL;
}

static unsigned line_of(const struct source *src, uint32_t off)
{
    return source_pos(src, off).line;
}

/* What the climb reports, as text: "KIND@LINE" per event, where KIND is
 * O (over-ask), S (stalled), 1 (one-sided), N (no-mutual-interest), and
 * for over-ask "/L" the level and "^LINE" the line that set it. */
struct trace {
    char buf[512];
    size_t len;
};

static void record(void *ctx, const struct climb_event *ev)
{
    struct trace *t = ctx;
    static const char kinds[] = "OS1N";
    const struct entry *e = ev->entry;
    unsigned line = line_of(e->src, ev->item ? ev->item->start : e->start);
    t->len += (size_t)snprintf(t->buf + t->len, sizeof t->buf - t->len, "%s%c@%u",
                               t->len ? " " : "", kinds[ev->kind], line);
    if (ev->kind == CLIMB_OVER_ASK) {
        t->len += (size_t)snprintf(t->buf + t->len, sizeof t->buf - t->len,
                                   "/%d", ev->level);
        if (ev->level_item)
            t->len += (size_t)snprintf(t->buf + t->len, sizeof t->buf - t->len, "^%u",
                                       line_of(ev->level_entry->src,
                                               ev->level_item->start));
    }
}

/* Run the climb of one client; its events, and its level after each entry
 * ("L1 L1 L3 ..."), as text. */
struct climbed {
    struct trace events;
    char levels[256];
};

static void climb_client(const struct journal *j, const char *name,
                         struct climbed *out)
{
    memset(out, 0, sizeof *out);
    const struct client *c = client_named(j, name);
    struct climb_params p = climb_params_of(j);
    struct climb cl;
    climb_init(&cl, &p);
    size_t n = 0;
    for (uint32_t i = 0; i < c->nentries; i++) {
        climb_entry(&cl, client_entry(j, c, i), record, &out->events);
        n += (size_t)snprintf(out->levels + n, sizeof out->levels - n, "%s%d",
                              i ? " " : "", cl.level);
    }
}

#define ck_events(text, name, want_levels, want_events) do {          \
        struct lint *l_ = lint(text);                                  \
        struct climbed c_;                                             \
        climb_client(l_->j, name, &c_);                                \
        ck_assert_str_eq(c_.levels, want_levels);                      \
        ck_assert_str_eq(c_.events.buf, want_events);                  \
        lint_free(l_);                                                 \
    } while (0)

#define ck_diags(l, want) do {                                         \
        char *s_ = diag_summary((l)->j);                                    \
        ck_assert_str_eq(s_, want);                                    \
        free(s_);                                                      \
    } while (0)

/* Every held entry below has an ask and a next, so that only the rule
 * under test speaks. */

/* --- levels ----------------------------------------------------------------- */

START_TEST(level_from_commitments)
{
    ck_events("2011-01-01 A\n  ask intro -> yes\n  next none\n"
              "2011-01-02 A\n  ask needs -> later\n  next none\n"
              "2011-01-03 A\n  got meeting\n  ask needs -> no\n  next none\n"
              "2011-01-04 A\n  ask needs\n  next none\n"
              "2011-01-05 A\n  got intro\n  ask needs -> yes\n  next none\n",
              "A", "1 1 2 2 3", "");
}
END_TEST

START_TEST(level_chronological)
{
    /* Unsorted file; same day ordered by time (none first), then position. */
    ck_events("2011-03-01 A\n  ask strategy -> yes\n  next none\n"
              "2011-02-01 10:00 A\n  ask meeting -> yes\n  next none\n"
              "2011-02-01 A\n  ask intro -> yes\n  next none\n"
              "2011-02-01 09:00 A\n  ask proposal -> no\n  next none\n",
              "A", "1 1 2 4", "O@11/1^8");
}
END_TEST

START_TEST(level_ignores_planned_cancelled_unknown)
{
    ck_events("2011-01-01 A\n  ask intro -> yes\n  next none\n"
              "2011-01-02 ! A\n  plan meeting\n  ask meeting -> yes\n"
              "2011-01-03 ~ A\n  ask needs -> yes\n  got needs\n"
              "2011-01-04 A\n  got nosuchrung\n  ask meeting -> yes\n  next none\n"
              "2011-01-05 B\n  got contract\n  ask contract -> yes\n  next none\n",
              "A", "1 1 1 2", "");
}
END_TEST

START_TEST(level_within_entry_line_order)
{
    /* The second ask sees the first one's yes; the plan before it does not. */
    ck_events("2011-01-01 A\n  plan needs\n  ask intro -> yes\n  ask needs -> yes\n"
              "  plan strategy\n  next none\n",
              "A", "3", "O@2/0");
}
END_TEST

START_TEST(level_set_by_first_to_reach_it)
{
    /* A later commitment at the same rank does not move the note. */
    ck_events("2011-01-01 A\n  ask meeting -> yes\n  next none\n"
              "2011-01-02 A\n  got meeting\n  ask needs -> yes\n  next none\n"
              "2011-01-03 A\n  got meeting\n  ask visit -> later\n  next none\n"
              "2011-01-04 A\n  ask reference\n  next none\n",
              "A", "2 3 3 3", "O@13/3^6");
}
END_TEST

/* --- over-ask --------------------------------------------------------------- */

START_TEST(over_ask_boundaries)
{
    /* max-step 2 at level 1: needs (3) is exactly at it; strategy (4) one over. */
    ck_events("2011-01-01 A\n  ask intro -> yes\n  next none\n"
              "2011-01-02 A\n  ask needs -> later\n  ask strategy -> later\n  next none\n",
              "A", "1 1", "O@6/1^2");
    /* Level 0: meeting (2) passes, needs (3) does not; plans in planned
     * entries too, but not in cancelled ones. */
    ck_events("2011-01-01 ! A\n  plan meeting\n  plan needs\n"
              "2011-01-02 ~ A\n  plan contract\n  ask contract -> no\n",
              "A", "0 0", "O@3/0");
    /* max-step from the options. */
    struct lint *l = lint_opts("2011-01-01 A\n  ask needs -> yes\n  next none\n", 3, -1, -1, -1);
    ck_diags(l, "");
    lint_free(l);
    l = lint_opts("2011-01-01 A\n  ask meeting -> yes\n  next none\n", 1, -1, -1, -1);
    ck_diags(l, "2:7:over-ask");
    lint_free(l);
}
END_TEST

START_TEST(over_ask_message_and_note)
{
    struct lint *l = lint("client Acme Corp\n  alias acme\n"
                          "2011-02-14 Acme Corp\n  ask intro Intro to the CFO -> yes\n  next none\n"
                          "2011-02-21 acme\n  ask proposal -> no\n  next none\n");
    ck_diags(l, "7:7:over-ask");
    const struct diag *d = l->j->diags.v[0];
    ck_assert_str_eq(diag_text(&l->j->diags, d), "asking Acme Corp for proposal (rank 7) at level 1 (intro) "
                     "climbs 6 rungs; max-step is 2: ask for meeting or needs first");
    ck_assert_ptr_nonnull(diag_notes(&l->j->diags, d));
    ck_assert_uint_eq(diag_notes(&l->j->diags, d)->pos.line, 4);
    ck_assert_uint_eq(diag_notes(&l->j->diags, d)->pos.col, 3);
    ck_assert_str_eq(diag_note_text(&l->j->diags, diag_notes(&l->j->diags, d)), "Acme Corp's level was set here: intro (rank 1) on 2011-02-14");
    ck_assert_ptr_null(diag_notes(&l->j->diags, d)->link);
    lint_free(l);
}
END_TEST

/* Over-ask's format is made once a level and wording, with the level and
 * the rungs to ask for instead written in ('%' doubled); the diagnostics
 * at one level share it. */
START_TEST(over_ask_formats_per_level)
{
    struct lint *l = lint("ladder\n  a%b first\n  c%d second\n  e%f third\n  g%h fourth\n"
                          "2011-01-01 Acme\n  ask g%h x -> no\n  plan e%f\n  next none\n"
                          "2011-01-02 Acme\n  ask a%b -> yes\n  next none\n"
                          "2011-01-03 Acme\n  ask g%h -> no\n  next none\n"
                          "2011-01-04 Acme\n  plan g%h\n  ask g%h -> later\n  next none\n");
    static const char *const want[] = {
        "asking Acme for g%h (rank 4) at level 0 (no commitment yet) climbs 4 rungs; "
        "max-step is 2: ask for a%b or c%d first",
        "planning to ask Acme for e%f (rank 3) at level 0 (no commitment yet) climbs 3 "
        "rungs; max-step is 2: ask for a%b or c%d first",
        "asking Acme for g%h (rank 4) at level 1 (a%b) climbs 3 rungs; max-step is 2: "
        "ask for c%d or e%f first",
        "planning to ask Acme for g%h (rank 4) at level 1 (a%b) climbs 3 rungs; "
        "max-step is 2: ask for c%d or e%f first",
        "asking Acme for g%h (rank 4) at level 1 (a%b) climbs 3 rungs; max-step is 2: "
        "ask for c%d or e%f first",
    };
    const struct diag_list *dl = &l->j->diags;
    const struct diag *o[5];
    size_t n = 0;
    for (uint32_t i = 0; i < dl->n; i++)
        if (dl->v[i]->rule == R_OVER_ASK) {
            ck_assert_uint_lt(n, 5);
            o[n++] = dl->v[i];
        }
    ck_assert_uint_eq(n, 5);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(diag_text(dl, o[i]), want[i]);
    ck_assert_ptr_eq(diag_fmt(dl, o[2]), diag_fmt(dl, o[4]));
    ck_assert_ptr_ne(diag_fmt(dl, o[0]), diag_fmt(dl, o[2]));
    ck_assert_ptr_ne(diag_fmt(dl, o[2]), diag_fmt(dl, o[3]));
    lint_free(l);
}
END_TEST

/* A ladder of more than 1,024 rungs: over-ask's phrases are arguments
 * (two formats a level could pass a list's 65,535), the text the same. */
START_TEST(over_ask_long_ladder)
{
    size_t cap = 40000, len = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    len += (size_t)snprintf(text + len, cap - len, "ladder\n");
    for (int i = 1; i <= 1030; i++)
        len += (size_t)snprintf(text + len, cap - len, "  r%04d rung %d\n", i, i);
    len += (size_t)snprintf(text + len, cap - len,
                            "2011-01-01 Acme\n  ask r0010 -> no\n  next none\n");
    struct lint *l = lint(text);
    const struct diag_list *dl = &l->j->diags;
    ck_assert_uint_eq(dl->n, 1);
    ck_assert_int_eq(dl->v[0]->rule, R_OVER_ASK);
    ck_assert_str_eq(diag_text(dl, dl->v[0]),
                     "asking Acme for r0010 (rank 10) at level 0 (no commitment yet) "
                     "climbs 10 rungs; max-step is 2: ask for r0001 or r0002 first");
    ck_assert_str_eq(diag_fmt(dl, dl->v[0]), "asking %s for %s (rank %d) at %s climbs %d "
                     "rungs; max-step is %d: ask for %s first");
    lint_free(l);
    free(text);
}
END_TEST

/* --- stalled ---------------------------------------------------------------- */

/* A held entry on day D for A asking for intro (never climbing after level 1). */
#define FLAT(d) "2011-01-" d " A\n  ask intro -> yes\n  next none\n"

START_TEST(stalled_boundary)
{
    /* The first entry climbs (0 -> intro); then 2 flat entries: not yet. */
    ck_events(FLAT("01") FLAT("02") FLAT("03"), "A", "1 1 1", "");
    /* 3 flat entries: at the third. */
    ck_events(FLAT("01") FLAT("02") FLAT("03") FLAT("04"), "A", "1 1 1 1", "S@10");
    /* Once per run: a fourth and fifth flat entry say nothing more. */
    ck_events(FLAT("01") FLAT("02") FLAT("03") FLAT("04") FLAT("05") FLAT("06"),
              "A", "1 1 1 1 1 1", "S@10");
}
END_TEST

START_TEST(stalled_run_ends_and_restarts)
{
    ck_events(FLAT("01") FLAT("02") FLAT("03") FLAT("04")
              "2011-01-05 A\n  ask meeting -> no\n  next none\n"   /* climbs: ends the run */
              FLAT("06") FLAT("07") FLAT("08"),
              "A", "1 1 1 1 1 1 1 1", "S@10 S@22");
    /* Planned and cancelled entries neither count nor end the run; a
     * climbing ask in a planned entry does not end it either. */
    ck_events(FLAT("01") FLAT("02")
              "2011-01-03 ! A\n  plan meeting\n  ask meeting\n"
              "2011-01-04 ~ A\n  ask meeting\n"
              FLAT("05") FLAT("06"),
              "A", "1 1 1 1 1 1", "S@15");
    /* An entry without any ask counts; a declined climbing ask ends the run. */
    ck_events(FLAT("01") "2011-01-02 A\n  next none\n" FLAT("03")
              "2011-01-04 A\n  ask meeting -> no\n  next none\n"
              FLAT("05") FLAT("06"),
              "A", "1 1 1 1 1 1", "");
}
END_TEST

START_TEST(stalled_option)
{
    struct lint *l = lint_opts(FLAT("01") FLAT("02"), -1, 1, -1, -1);
    ck_diags(l, "4:1:stalled");
    lint_free(l);
    l = lint_opts(FLAT("01") FLAT("02") FLAT("03") FLAT("04") FLAT("05"), -1, 4, -1, -1);
    ck_diags(l, "13:1:stalled");
    lint_free(l);
}
END_TEST

/* --- one-sided -------------------------------------------------------------- */

#define NOCOMMIT(d) "2011-02-" d " A\n  ask meeting -> later\n  next none\n"
#define GAVE(d) "2011-02-" d " A\n  gave advice\n  ask meeting -> later\n  next none\n"

START_TEST(one_sided_boundary)
{
    /* Two entries with gifts: not yet; three: at the third. */
    ck_events(GAVE("01") GAVE("02"), "A", "0 0", "");
    ck_events(GAVE("01") NOCOMMIT("02") NOCOMMIT("03"), "A", "0 0 0", "1@8");
    /* Without any gave line, no report however long the run. */
    ck_events(NOCOMMIT("01") NOCOMMIT("02") NOCOMMIT("03") NOCOMMIT("04"),
              "A", "0 0 0 0", "");
}
END_TEST

START_TEST(one_sided_first_entry_where_both_hold)
{
    /* The run reaches 3 at line 7 without a gift; the gift comes at the
     * 4th entry, reported there, and once. */
    ck_events(NOCOMMIT("01") NOCOMMIT("02") NOCOMMIT("03") GAVE("04")
              GAVE("05") NOCOMMIT("06"),
              "A", "0 0 0 0 0 0", "1@10");
}
END_TEST

START_TEST(one_sided_run_ends_and_restarts)
{
    ck_events(GAVE("01") GAVE("02") GAVE("03")
              "2011-02-04 A\n  gave more\n  got intro\n  ask meeting\n  next none\n"
              NOCOMMIT("05") NOCOMMIT("06") GAVE("07"),
              "A", "0 0 0 1 1 1 1", "1@9 1@24");
    /* A gift in the entry with the commitment does not carry over; a
     * commitment that leaves the level alone still ends the run. */
    ck_events("2011-02-01 A\n  ask meeting -> yes\n  gave advice\n  next none\n"
              NOCOMMIT("02") NOCOMMIT("03") NOCOMMIT("04")
              "2011-02-05 A\n  gave advice\n  got intro\n  ask meeting\n  next none\n"
              GAVE("06") GAVE("07"),
              "A", "2 2 2 2 2 2 2", "S@11");
    struct lint *l = lint_opts(GAVE("01"), -1, 7, 1, -1);
    ck_diags(l, "1:1:one-sided");
    lint_free(l);
}
END_TEST

/* --- no-mutual-interest ----------------------------------------------------- */

START_TEST(declines)
{
    /* later and unanswered neither count nor end the run. */
    ck_events("2011-03-01 A\n  ask intro -> no\n  ask intro -> later\n  next none\n"
              "2011-03-02 A\n  ask intro\n  ask meeting -> no\n  ask intro -> no\n  next none\n",
              "A", "0 0", "N@7");
    /* One decline is not yet a run of 2. */
    ck_events("2011-03-01 A\n  ask intro -> no\n  next none\n", "A", "0", "");
    /* A commitment ends the run, even a got in the same entry. */
    ck_events("2011-03-01 A\n  ask intro -> no\n  got intro\n  ask meeting -> no\n  next none\n"
              "2011-03-02 A\n  ask needs -> no\n  ask needs -> no\n  ask needs -> no\n  next none\n"
              "2011-03-03 A\n  ask needs -> yes\n  ask strategy -> no\n  next none\n"
              "2011-03-04 A\n  ask visit -> no\n  next none\n",
              "A", "1 1 3 3", "N@7 N@16");
    /* Declines in planned or cancelled entries do not count. */
    ck_events("2011-03-01 A\n  ask intro -> no\n  next none\n"
              "2011-03-02 ~ A\n  ask intro -> no\n"
              "2011-03-03 ! A\n  plan intro\n  ask intro -> no\n",
              "A", "0 0 0", "");
    struct lint *l = lint_opts("2011-03-01 A\n  ask intro -> no\n  next none\n"
                               "2011-03-02 A\n  ask intro -> no\n  ask intro -> no\n  next none\n",
                               -1, -1, -1, 3);
    ck_diags(l, "6:3:no-mutual-interest");
    lint_free(l);
}
END_TEST

/* --- the rules of one entry, through the whole pipeline ---------------------- */

START_TEST(entry_rules)
{
    struct lint *l = lint(
        "2011-01-01 A\n"                            /* 1: no-ask, missing-next */
        "  gave x\n"
        "2011-01-02 A\n"                            /* 3 */
        "  ask intro -> yes\n"
        "  next Call back some day\n"               /* 5: unscheduled-next */
        "2011-07-01 ! A\n"                          /* 6: no-plan */
        "  ask meeting\n"
        "2011-06-30 ! A\n"                          /* 8: not stale (today) */
        "  plan meeting\n"
        "2011-06-29 ! A\n"                          /* 10: stale-planned */
        "  plan meeting\n"
        "2011-06-30 A\n"                            /* 12: not future (today) */
        "  ask meeting -> yes\n  next none\n"
        "2011-07-01 A\n"                            /* 15: future-held */
        "  ask needs -> yes\n  next none\n"
        "2011-06-01 ~ A\n"                          /* 18: nothing */
        "2011-06-01 ! B | prepared\n"               /* 19: stale-planned only */
        "  plan intro\n"
        "rule date-order off\nrule duplicate-entry off\n");
    ck_diags(l, "1:1:no-ask 1:1:missing-next 5:3:unscheduled-next 6:1:no-plan "
                "10:12:stale-planned 15:1:future-held 19:12:stale-planned");
    lint_free(l);
}
END_TEST

START_TEST(overdue_next)
{
    /* Only the client's last entry, only dates before today. */
    struct lint *l = lint(
        "2011-01-01 A\n  ask intro\n  next 2011-01-05 meeting\n"    /* followed */
        "2011-02-01 A\n  ask intro\n  next 2011-06-29 Call\n  next 2011-06-30 Call\n"
        "2011-01-01 B\n  ask intro\n  next 2011-01-05\n"            /* followed by a cancelled one */
        "2011-01-06 ~ B\n"
        "2011-01-10 C\n  ask intro\n  next none\n"                 /* followed, but earlier in the file */
        "2011-01-01 C\n  ask intro\n  next 2011-01-05\n"
        "2011-01-01 D\n  ask intro\n  next 2011-01-05\n"            /* an invalid date does not count */
        "2011-02-30 D\n  ask intro\n  next none\n");
    ck_diags(l, "6:8:overdue-next 8:1:date-order 15:1:date-order 20:8:overdue-next 21:1:bad-date");
    ck_assert_str_eq(diag_text(&l->j->diags, l->j->diags.v[0]),
                     "the next step with A was due on 2011-06-29 (1 day ago) and "
                     "nothing is recorded after it: follow up and record the call, "
                     "or write 'next none'");
    lint_free(l);
}
END_TEST

START_TEST(suppression_and_severity)
{
    struct lint *l = lint("rule no-ask off\n"
                          "2011-01-01 A ; ladder-ignore: missing-next\n"
                          "2011-01-02 A\n  gave x\n  next 2011-01-03 x ; ladder-ignore\n"
                          "2011-01-03 B\n  gave y\n");
    ck_diags(l, "6:1:missing-next");
    lint_free(l);
}
END_TEST


/* --- v2: won clients, touches, next none, since ------------------------------ */

START_TEST(won_stops_the_runs)
{
    /* After the contract (the top rung), flat entries, declines and gives
     * raise nothing; the level stays at the top. */
    ck_events("2011-01-01 A\n  ask contract -> yes\n  next none\n"
              "2011-01-02 A\n  gave x\n  ask intro -> no\n  next none\n"
              "2011-01-03 A\n  gave x\n  ask intro -> no\n  next none\n"
              "2011-01-04 A\n  gave x\n  ask intro -> no\n  next none\n",
              "A", "8 8 8 8", "O@2/0");
    /* The entry of the win itself still counts: its decline ends no run,
     * and the run of declines it completes is reported. */
    struct lint *l = lint_opts("2011-01-01 A\n  ask intro -> no\n  next none\n"
                               "2011-01-02 A\n  ask intro -> no\n  got contract\n  next none\n"
                               "2011-01-03 A\n  next none\n", 8, -1, -1, -1);
    ck_diags(l, "5:3:no-mutual-interest");
    lint_free(l);
    /* The climb says so, and when. */
    l = lint("2011-01-01 A\n  got proposal\n  next none\n"
             "2011-01-02 A\n  got contract\n  next none\n");
    struct climb cl;
    struct climb_params p = climb_params_of(l->j);
    ck_assert_int_eq(p.top, 8);
    climb_init(&cl, &p);
    const struct client *c = client_named(l->j, "A");
    climb_entry(&cl, client_entry(l->j, c, 0), NULL, NULL);
    ck_assert(!cl.won);
    climb_entry(&cl, client_entry(l->j, c, 1), NULL, NULL);
    ck_assert(cl.won);
    ck_assert_ptr_eq(cl.won_entry, client_entry(l->j, c, 1));
    lint_free(l);
}
END_TEST

START_TEST(won_rules_that_stay)
{
    /* no-ask stops from the next entry on; missing-next, no-plan and
     * unscheduled-next do not. */
    struct lint *l = lint("2011-01-01 A\n  got contract\n  next none\n"    /* no-ask */
                          "2011-01-02 A\n"                                /* missing-next */
                          "2011-01-03 A\n  next Later\n"                  /* unscheduled */
                          "2011-07-03 ! A\n");                            /* no-plan */
    ck_diags(l, "1:1:no-ask 4:1:missing-next 6:3:unscheduled-next 7:1:no-plan");
    lint_free(l);
}
END_TEST

/* A held email on day D for A. */
#define MAIL(d, items) "2011-01-" d " (email) A\n" items

START_TEST(touches_in_runs)
{
    /* A touch does not add to a stalled run... */
    ck_events(FLAT("01") FLAT("02") MAIL("03", "") MAIL("04", "  ask intro -> yes\n")
              FLAT("05"), "A", "1 1 1 1 1", "");
    ck_events(FLAT("01") FLAT("02") MAIL("03", "") FLAT("04") FLAT("05"),
              "A", "1 1 1 1 1", "S@11");
    /* ... but its climbing ask ends it. */
    ck_events(FLAT("01") FLAT("02") MAIL("03", "  ask meeting -> later\n")
              FLAT("04") FLAT("05"), "A", "1 1 1 1 1", "");
    /* one-sided: the touch's gave counts, the report waits for a call. */
    ck_events("2011-01-01 A\n  ask intro -> later\n  next none\n"
              "2011-01-02 A\n  ask intro -> later\n  next none\n"
              "2011-01-03 A\n  ask intro -> later\n  next none\n"
              MAIL("04", "  gave x\n")
              "2011-01-05 A\n  ask intro -> later\n  next none\n",
              "A", "0 0 0 0 0", "1@12");
    /* A commitment in a touch ends the run; its decline counts. */
    ck_events("2011-01-01 A\n  gave x\n  ask intro -> no\n  next none\n"
              MAIL("02", "  got intro\n")
              "2011-01-03 A\n  ask meeting -> no\n  next none\n"
              MAIL("04", "  ask meeting -> no\n")
              "2011-01-05 A\n  gave y\n  ask meeting -> later\n  next none\n",
              "A", "0 1 1 1 1", "N@11");
}
END_TEST

START_TEST(touches_exempt)
{
    struct lint *l = lint("2011-01-01 (email) A\n"                 /* nothing */
                          "2011-07-02 ! (email) A\n"               /* nothing */
                          "2011-01-03 (call) A\n"                  /* no-ask, missing-next */
                          "2011-01-04 (email) A\n  next Soon\n"    /* unscheduled-next */
                          "rule date-order off\n");
    ck_diags(l, "3:1:no-ask 3:1:missing-next 5:3:unscheduled-next");
    lint_free(l);
    /* touch-kinds from the command line; "call" covers entries with no kind. */
    struct lint *m = calloc(1, sizeof *m);
    config_init(&m->cfg, (struct date){ 2011, 6, 30, true });
    m->cfg.option[OPT_TOUCH_KINDS] = 0;
    m->cfg.touch_kinds = " call , fax";
    const char *t = "2011-01-01 A\n2011-01-02 (fax) A\n2011-01-03 (email) A\n";
    m->j = journal_lint_bytes(&m->cfg, "t.ladder", t, strlen(t));
    ck_diags(m, "3:1:no-ask 3:1:missing-next");
    lint_free(m);
}
END_TEST

START_TEST(next_none_covers_its_entry)
{
    struct lint *l = lint("2011-01-01 A\n  ask intro\n  next 2011-01-05\n  next none\n"
                          "2011-01-01 B\n  ask intro\n  next none\n  next 2011-01-05\n"
                          "2011-01-01 C\n  ask intro\n  next 2011-01-05\n  next Later\n");
    ck_diags(l, "11:8:overdue-next 12:3:unscheduled-next");
    lint_free(l);
}
END_TEST

START_TEST(since_reports_after_it_only)
{
    /* The level before since counts (no over-ask at line 5); the decline
     * run too (reported at the second decline, after since). */
    struct lint *l = lint("option since 2011-03-01\n"
                          "2011-02-01 A\n  ask meeting -> yes\n  ask intro -> no\n"
                          "2011-03-01 A\n  ask needs -> no\n  next none\n"
                          "2011-02-28 B\n"
                          "2011-02-28 B\n");
    ck_diags(l, "6:3:no-mutual-interest");
    lint_free(l);
    /* The same without since. */
    l = lint("2011-02-01 A\n  ask meeting -> yes\n  ask intro -> no\n"
             "2011-03-01 A\n  ask needs -> no\n  next none\n"
             "2011-02-28 B\n"
             "2011-02-28 B\n");
    ck_diags(l, "1:1:missing-next 5:3:no-mutual-interest 7:1:date-order 7:1:no-ask "
                "7:1:missing-next 8:1:duplicate-entry 8:1:no-ask 8:1:missing-next");
    lint_free(l);
}
END_TEST


/* The client state that the rules and the reports read: level and what set
 * it, counts, last ask, and the flags; and the flags agree with what the
 * rules reported. */
START_TEST(client_state_agrees_with_the_rules)
{
    struct lint *l = lint(
        "2011-06-01 * A | c1\n    ask intro -> yes\n    next 2011-06-05 x\n"
        "2011-06-05 * A | c2\n    ask intro -> later\n    gave a\n    next 2011-06-10 y\n"
        "2011-06-10 * (email) A | t\n    gave b\n    next 2011-06-15 z\n"
        "2011-06-15 * A | c3\n    ask intro -> later\n    next 2011-06-20 w\n"
        "2011-06-20 * A | c4\n    ask intro -> later\n    next 2011-06-25 v\n"
        "2011-06-01 * B | b1\n    ask intro -> no\n    next 2011-06-02 q\n"
        "2011-06-02 * B | b2\n    ask intro -> no\n    next 2011-07-02 r\n"
        "2011-06-01 * C | w\n    got contract\n    next none done\n");
    struct journal *j = l->j;
    struct client_state s;
    client_state_of(j, client_named(j, "A"), &s);
    ck_assert_int_eq(s.climb.level, 1);
    ck_assert_uint_eq(line_of(s.climb.level_entry->src, s.climb.level_item->start), 2);
    ck_assert_uint_eq(s.held, 5);
    ck_assert_uint_eq(s.calls, 4);          /* the email is a touch */
    ck_assert_uint_eq(s.gives, 2);
    ck_assert_uint_eq(s.commitments, 1);
    ck_assert_uint_eq(line_of(s.ask_entry->src, s.ask->start), 15);
    ck_assert_int_eq(s.ask->outcome, OUT_LATER);
    /* today 2011-06-30: the 06-25 step is overdue */
    ck_assert_uint_eq(client_state_flags(j, &s), CLIENT_STALLED | CLIENT_ONE_SIDED | CLIENT_OVERDUE);
    client_state_of(j, client_named(j, "B"), &s);
    ck_assert_uint_eq(client_state_flags(j, &s), CLIENT_DECLINING);
    ck_assert_int_eq(s.climb.level, 0);
    client_state_of(j, client_named(j, "C"), &s);
    ck_assert_uint_eq(client_state_flags(j, &s), CLIENT_WON);
    ck_assert_int_eq(s.climb.level, 8);
    /* The rules saw the same: stalled, one-sided, no-mutual-interest and
     * overdue-next were each reported. */
    unsigned seen = 0;
    for (uint32_t i = 0; i < j->diags.n; i++) {
        int r = j->diags.v[i]->rule;
        seen |= r == R_STALLED ? 1u : r == R_ONE_SIDED ? 2u
              : r == R_NO_MUTUAL_INTEREST ? 4u : r == R_OVERDUE_NEXT ? 8u : 0u;
    }
    ck_assert_uint_eq(seen, 15);
    lint_free(l);
}
END_TEST

static Suite *ladder_rules_suite(void)
{
    Suite *s = suite_create("ladder_rules");
    TCase *tc = tcase_create("levels");
    tcase_add_test(tc, level_from_commitments);
    tcase_add_test(tc, level_chronological);
    tcase_add_test(tc, level_ignores_planned_cancelled_unknown);
    tcase_add_test(tc, level_within_entry_line_order);
    tcase_add_test(tc, level_set_by_first_to_reach_it);
    suite_add_tcase(s, tc);
    tc = tcase_create("over_ask");
    tcase_add_test(tc, over_ask_boundaries);
    tcase_add_test(tc, over_ask_message_and_note);
    tcase_add_test(tc, over_ask_formats_per_level);
    tcase_add_test(tc, over_ask_long_ladder);
    suite_add_tcase(s, tc);
    tc = tcase_create("runs");
    tcase_add_test(tc, stalled_boundary);
    tcase_add_test(tc, stalled_run_ends_and_restarts);
    tcase_add_test(tc, stalled_option);
    tcase_add_test(tc, one_sided_boundary);
    tcase_add_test(tc, one_sided_first_entry_where_both_hold);
    tcase_add_test(tc, one_sided_run_ends_and_restarts);
    tcase_add_test(tc, declines);
    suite_add_tcase(s, tc);
    tc = tcase_create("entries");
    tcase_add_test(tc, entry_rules);
    tcase_add_test(tc, overdue_next);
    tcase_add_test(tc, suppression_and_severity);
    suite_add_tcase(s, tc);
    tc = tcase_create("v2");
    tcase_add_test(tc, won_stops_the_runs);
    tcase_add_test(tc, won_rules_that_stay);
    tcase_add_test(tc, touches_in_runs);
    tcase_add_test(tc, touches_exempt);
    tcase_add_test(tc, next_none_covers_its_entry);
    tcase_add_test(tc, since_reports_after_it_only);
    tcase_add_test(tc, client_state_agrees_with_the_rules);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(ladder_rules_suite());
}
