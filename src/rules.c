/* rules.c - the rule registry and its small helpers. */
#include "rules.h"

#include <string.h>

#include "ladder_rules.h"
#include "resolve.h"


const struct rule_info rule_table[R_COUNT] = {
    [R_SYNTAX] = {
        "syntax", SEV_ERROR,
        "a line does not follow the journal format",
        "A journal is plain text that ladder must read exactly, or every other\n"
        "rule is built on sand.  Each line that does not follow the format\n"
        "(ladder(5)) gets one `syntax` diagnostic saying what was expected and\n"
        "what was found, and ladder goes on with the next line, so one pass\n"
        "shows every problem.\n"
        "\n"
        "Triggers: a column-1 line that is neither an entry nor a directive; an\n"
        "indented line with no block above it; an unknown item keyword; an\n"
        "unknown outcome after `->`; a NUL byte, invalid UTF-8 or a stray\n"
        "carriage return; a bad option value; a header part out of place (a\n"
        "second time, a status mark after the kind).\n"
        "\n"
        "One problem, one diagnostic: a header whose date and client were read\n"
        "is kept as an entry (the wrong part is ignored), and an item line whose\n"
        "keyword and rung were read still counts as that item (an `ask` with an\n"
        "unknown outcome is an unanswered ask), so a typo never also makes its\n"
        "entry `no-ask` or `no-plan`.  A header without a readable date or client\n"
        "is dropped with its items, which are not reported again.\n"
        "\n"
        "Before:\n"
        "    2011-02-14 * Acme Corp\n"
        "        aks intro Introduction to the CFO -> maybe\n"
        "After:\n"
        "    2011-02-14 * Acme Corp\n"
        "        ask intro Introduction to the CFO -> later\n",
        NULL, "structure", "" },
    [R_BAD_DATE] = {
        "bad-date", SEV_ERROR,
        "a date that is not on the calendar",
        "Every entry and every scheduled next step carries a date, and the\n"
        "ladder rules order a client's history by it.  A date that does not\n"
        "exist (2011-02-30, month 13) cannot be ordered, so the entry is left\n"
        "out of the ladder rules until it is fixed.\n"
        "\n"
        "Before:\n"
        "    2011-02-30 * Acme Corp | Budget review\n"
        "After:\n"
        "    2011-02-28 * Acme Corp | Budget review\n",
        NULL, "structure", "" },
    [R_UNKNOWN_RUNG] = {
        "unknown-rung", SEV_ERROR,
        "a rung that is not on the journal's ladder",
        "Asks, plans and commitments name a rung of the commitment ladder, the\n"
        "sequence of ever greater commitments that leads to a contract.  A rung\n"
        "that is not on the ladder has no rank, so ladder cannot tell whether\n"
        "the relationship is climbing.  The message suggests the nearest rung.\n"
        "The default ladder is intro, meeting, needs, strategy, visit,\n"
        "reference, proposal, contract; a `ladder` directive replaces it.\n"
        "\n"
        "Before:\n"
        "    ask  intoduction  Meet the CFO -> yes\n"
        "After:\n"
        "    ask  intro  Meet the CFO -> yes\n",
        NULL, "structure", "" },
    [R_UNKNOWN_CLIENT] = {
        "unknown-client", SEV_ERROR,
        "an entry's client is not declared (only with --strict)",
        "With `--strict` or `option strict yes`, every client must be declared\n"
        "with a `client` directive, and entries must name it or one of its\n"
        "aliases.  A misspelt client silently starts a second history: its\n"
        "commitments, runs and next steps would be counted apart.\n"
        "\n"
        "Before:\n"
        "    client Acme Corp\n"
        "    2011-02-14 * Acme Crop | First call\n"
        "After:\n"
        "    client Acme Corp\n"
        "        alias acme\n"
        "    2011-02-14 * acme | First call\n",
        NULL, "structure", "strict" },
    [R_INCLUDE] = {
        "include", SEV_ERROR,
        "an included file cannot be read, or includes form a cycle",
        "`include PATH` reads another file, relative to the including file's\n"
        "folder, as part of the journal.  A file that cannot be read, or an\n"
        "include that leads back to a file already being read, is reported on\n"
        "the include line; the rest of the journal is still checked.\n"
        "\n"
        "Before:\n"
        "    include clients/acme.ladder    ; no such file\n"
        "After:\n"
        "    include clients/acme-2011.ladder\n",
        NULL, "structure", "" },
    [R_DUPLICATE_LADDER] = {
        "duplicate-ladder", SEV_ERROR,
        "more than one ladder directive",
        "A journal has one commitment ladder; ranks only compare within one.\n"
        "The first `ladder` directive stands and every later one is reported\n"
        "and ignored, wherever it stands, includes included.\n"
        "\n"
        "Before:\n"
        "    ladder\n"
        "        intro\n"
        "        contract\n"
        "    ladder              ; in an included file\n"
        "        meeting\n"
        "After: keep one ladder, with every rung you use.\n",
        NULL, "structure", "" },
    [R_DATE_ORDER] = {
        "date-order", SEV_WARNING,
        "an entry is dated before the entry above it in the same file",
        "A journal reads like a diary: each entry after the one above it.  An\n"
        "entry dated earlier than its predecessor is usually a typo in the\n"
        "date.  ladder still orders every client's history by date, so this\n"
        "is a warning about the file, not about the relationship.\n"
        "\n"
        "Before:\n"
        "    2011-03-01 * Acme Corp | Review\n"
        "    2011-02-21 * Acme Corp | Walkthrough\n"
        "After: move the entry up, or correct its date.\n",
        check_date_order, "structure", "since" },
    [R_DUPLICATE_ENTRY] = {
        "duplicate-entry", SEV_WARNING,
        "an entry repeats an earlier one's date, time, client, kind and title",
        "Two entries with the same date, time, client, kind and title are\n"
        "almost always one call written twice (a paste, a merge), and they\n"
        "would count twice toward runs and levels.  A note points at the\n"
        "first one.\n"
        "\n"
        "Before:\n"
        "    2011-02-14 * Acme Corp | First call\n"
        "    2011-02-14 * Acme Corp | First call\n"
        "After: delete one, or tell them apart with a time or a title.\n",
        check_duplicates, "structure", "since" },
    [R_FUTURE_HELD] = {
        "future-held", SEV_WARNING,
        "a held entry is dated after today",
        "A held entry (`*`, or no mark) records a call that happened.  One dated\n"
        "after today has not happened yet: it is a planned call marked by mistake,\n"
        "or a typo in the date.  Counted as held, it would move the client's level\n"
        "and runs on the strength of a call that never took place.\n"
        "\n"
        "Triggers: a held entry whose date is after today (`--today`, by default\n"
        "the local date).  Reported at the date.  No option.\n"
        "\n"
        "Before (today 2011-06-30):\n"
        "    2011-07-04 * Acme Corp | Visit to our office\n"
        "After:\n"
        "    2011-07-04 ! Acme Corp | Visit to our office\n"
        "        plan  visit\n",
        check_ladder_rules, "structure", "since" },
    [R_STALE_PLANNED] = {
        "stale-planned", SEV_WARNING,
        "a planned entry is dated before today",
        "A planned entry (`!`) is a call you mean to make.  Once its day has\n"
        "passed, the journal should say what happened: the article's whole method\n"
        "depends on recording each call's ask and its answer.  A planned call left\n"
        "in the past hides whether the relationship moved.\n"
        "\n"
        "Triggers: a planned entry dated before today (`--today`, by default the\n"
        "local date).  Reported at the `!` mark.  No option.\n"
        "\n"
        "Before (today 2011-06-30):\n"
        "    2011-03-01 ! Acme Corp | Review of spend data\n"
        "        plan  needs\n"
        "After:\n"
        "    2011-03-01 * Acme Corp | Review of spend data\n"
        "        plan  needs\n"
        "        ask   needs  Maintenance spend, last three years -> yes\n"
        "        next  2011-03-15 strategy  Strategy session\n",
        check_ladder_rules, "structure", "since" },
    [R_NO_PLAN] = {
        "no-plan", SEV_WARNING,
        "a planned call has no plan line",
        "\"Determine in advance of each sales call what you'd like to ask the\n"
        "client to do.\"  A call planned without deciding which commitment to seek\n"
        "drifts into a pleasant conversation that confirms nothing.  The `plan`\n"
        "line is that decision, written before the call.\n"
        "\n"
        "Triggers: a planned entry (`!`) with no `plan` line.  Reported at the\n"
        "header.  The message suggests the rung just above the client's level.\n"
        "Touches (entries of a kind in `touch-kinds`, default email) are exempt;\n"
        "won clients are not.  `over-ask` checks the plan line once it is there.\n"
        "\n"
        "Before:\n"
        "    2011-03-01 ! Acme Corp | Review of spend data\n"
        "After:\n"
        "    2011-03-01 ! Acme Corp | Review of spend data\n"
        "        plan  needs  Last three years of maintenance spend\n",
        check_ladder_rules, "ladder", "touch-kinds,since" },
    [R_NO_ASK] = {
        "no-ask", SEV_WARNING,
        "a held call asked the client for nothing",
        "\"Don't avoid asking such questions routinely; they enable you to better\n"
        "gauge how well you're really doing with the client.\"  A call where you\n"
        "asked the client for nothing tells you nothing about its interest, and it\n"
        "cannot move the relationship up the ladder.\n"
        "\n"
        "Triggers: a held entry with no `ask` line (an ask of any rung and any\n"
        "outcome is enough, even one whose outcome is a syntax error).  Reported\n"
        "at the header.  Not for touches (entries of a kind in `touch-kinds`,\n"
        "default email: a mail need not ask), and not for a won client, from the\n"
        "entry after its commitment to the top rung (account care is not a\n"
        "climb).\n"
        "\n"
        "Before:\n"
        "    2011-02-21 * Acme Corp | Budget walkthrough\n"
        "        gave  Retrofit cost ranges\n"
        "        next  2011-03-01  Review together\n"
        "After:\n"
        "    2011-02-21 * Acme Corp | Budget walkthrough\n"
        "        gave  Retrofit cost ranges\n"
        "        ask   needs  Last three years of maintenance spend -> yes\n"
        "        next  2011-03-01  Review together\n",
        check_ladder_rules, "ladder", "touch-kinds,since" },
    [R_MISSING_NEXT] = {
        "missing-next", SEV_WARNING,
        "a held call ended without a next step",
        "\"Always determine the next step and get it scheduled before closing the\n"
        "meeting.\"  A call that ends without a next step leaves the pursuit to\n"
        "chance, and a next step agreed later is much harder to get.\n"
        "\n"
        "Triggers: a held entry with no `next` line.  Any form counts: a scheduled\n"
        "`next DATE`, an unscheduled `next TEXT` (see `unscheduled-next`), or\n"
        "`next none`, the deliberate decision that there is no next step (and a\n"
        "`next` line with a syntax error).  Reported at the header.  Touches\n"
        "(entries of a kind in `touch-kinds`, default email) are exempt.\n"
        "\n"
        "Before:\n"
        "    2011-02-14 * Acme Corp | First call\n"
        "        ask   intro  Introduction to the CFO -> yes\n"
        "After:\n"
        "    2011-02-14 * Acme Corp | First call\n"
        "        ask   intro  Introduction to the CFO -> yes\n"
        "        next  2011-02-21 meeting  Budget walkthrough with the CFO\n",
        check_ladder_rules, "ladder", "touch-kinds,since" },
    [R_UNSCHEDULED_NEXT] = {
        "unscheduled-next", SEV_WARNING,
        "a next step was agreed but not scheduled",
        "\"The best time to schedule the next meeting with the client is the\n"
        "current meeting.\"  A next step agreed without a date (\"let's talk after\n"
        "the budget round\") is often impossible to get on the calendar later.\n"
        "\n"
        "Triggers: a `next TEXT` line, a next step with no date, in a held\n"
        "entry.  Reported at the `next` line.  No option.\n"
        "\n"
        "Before:\n"
        "    2011-02-21 * Acme Corp | Budget walkthrough\n"
        "        ask   needs  Maintenance spend -> later\n"
        "        next  Call back after the budget round\n"
        "After:\n"
        "    2011-02-21 * Acme Corp | Budget walkthrough\n"
        "        ask   needs  Maintenance spend -> later\n"
        "        next  2011-03-15  Call back after the budget round\n",
        check_ladder_rules, "ladder", "since" },
    [R_OVERDUE_NEXT] = {
        "overdue-next", SEV_WARNING,
        "a scheduled next step is past and nothing followed it",
        "A scheduled next step is a commitment too.  When its date has passed and\n"
        "nothing about the client was recorded since, either the step happened and\n"
        "the journal does not say so, or it slipped, and the pursuit is quietly\n"
        "dying.  Either way, follow up now.\n"
        "\n"
        "Triggers: a `next DATE` line, in a held entry, dated before today\n"
        "(`--today`), when the client has no entry (held, planned or cancelled)\n"
        "after the entry that scheduled it, in chronological order.  Reported at\n"
        "the next step's date.  A later entry of any kind, for example one with\n"
        "`next none`, ends the check; so does `next none` in the same entry, for\n"
        "every step scheduled there.  Touches' next lines are checked too.\n"
        "\n"
        "Before (today 2011-06-30, nothing after this entry):\n"
        "    2011-03-01 * Acme Corp | Review of spend data\n"
        "        ask   strategy  Strategy session -> yes\n"
        "        next  2011-03-15 strategy  Strategy session\n"
        "After: record the call that took place, or plan the next one:\n"
        "    2011-03-15 * Acme Corp | Strategy session\n"
        "        ask   visit  Visit to our office -> later\n"
        "        next  2011-07-06 visit  Office visit\n",
        check_ladder_rules, "ladder", "since" },
    [R_OVER_ASK] = {
        "over-ask", SEV_WARNING,
        "an ask or plan climbs too far above the client's level",
        "\"Ask for too much commitment too early in the relationship and you're\n"
        "likely to be rebuffed, if not dropped.\"  Climb the ladder a few rungs at\n"
        "a time: an introduction, a meeting, the client's needs, before a visit,\n"
        "a reference trip or a proposal.\n"
        "\n"
        "A client's level is the highest rung it has committed to so far (an\n"
        "`ask ... -> yes` or a `got` line in a held entry, in chronological\n"
        "order); 0 before any commitment.\n"
        "\n"
        "Triggers: an `ask` or `plan` line, in a held or planned entry, whose\n"
        "rung's rank exceeds the client's level at that line by more than\n"
        "`max-step`.  Plan lines are checked because catching the over-ask before\n"
        "the call is the point.  Reported at the rung; a note points to the\n"
        "commitment that set the level, if any.\n"
        "\n"
        "Options: `max-step` (default 2): how many rungs an ask may climb above\n"
        "the level.  `option max-step 3` or `--option max-step=3`.\n"
        "\n"
        "Before (Acme Corp has committed to an introduction, level 1):\n"
        "    2011-02-21 * Acme Corp | Budget walkthrough\n"
        "        ask   proposal  Invitation to propose -> no\n"
        "After:\n"
        "    2011-02-21 * Acme Corp | Budget walkthrough\n"
        "        ask   needs  Last three years of maintenance spend -> yes\n",
        check_ladder_rules, "ladder", "max-step,since" },
    [R_STALLED] = {
        "stalled", SEV_WARNING,
        "several held calls without asking for a greater commitment",
        "\"Ask for increasingly greater commitments over time.  Getting to know the\n"
        "client better over the course of several sales calls is a good thing, but\n"
        "not nearly good enough.\"  Calls that never ask for more than the client\n"
        "has already given keep the relationship where it is.\n"
        "\n"
        "A climbing ask is an `ask` whose rung is above the client's level at that\n"
        "moment (whatever the answer).  Each client has a run of held entries in a\n"
        "row without a climbing ask; an entry with one ends the run.  Planned and\n"
        "cancelled entries neither count nor end it; nor does a touch (an entry\n"
        "of a kind in `touch-kinds`, default email), though a climbing ask in\n"
        "one ends the run.  A won client (committed to the top rung) has no run\n"
        "from the next entry on.\n"
        "\n"
        "Triggers: the run reaches `stall-after` entries.  Reported once per run,\n"
        "at the header of the entry where it reaches that length; a new run is\n"
        "reported again when it reaches it.\n"
        "\n"
        "Options: `stall-after` (default 3).\n"
        "\n"
        "Before (Acme Corp at level 2, meeting):\n"
        "    2011-03-01 * Acme Corp | Review\n"
        "        ask   meeting  Another review -> yes\n"
        "    2011-03-08 * Acme Corp | Review\n"
        "        ask   meeting  Another review -> yes\n"
        "    2011-03-15 * Acme Corp | Review      <- stalled\n"
        "        ask   intro  Meet the facilities team -> yes\n"
        "After: the third call asks for a greater commitment:\n"
        "    2011-03-15 * Acme Corp | Review\n"
        "        ask   needs  Last three years of maintenance spend -> yes\n",
        check_ladder_rules, "ladder", "stall-after,touch-kinds,since" },
    [R_ONE_SIDED] = {
        "one-sided", SEV_WARNING,
        "you keep giving and the client commits to nothing",
        "\"Effective relationships require mutuality.  Too often I was the only\n"
        "party investing anything of significance in the relationship.\"  Free\n"
        "advice, information and demos that the client never answers with a\n"
        "commitment of its own are a warning: it may only be taking advantage of\n"
        "them.\n"
        "\n"
        "Each client has a run of held entries in a row without a commitment (an\n"
        "`ask ... -> yes` or a `got` line); an entry with one ends the run.  A\n"
        "touch (an entry of a kind in `touch-kinds`, default email) is not an\n"
        "entry of the run, but its commitment ends it and its `gave` counts (the\n"
        "report then waits for the run's next call).  A won client (committed to\n"
        "the top rung) has no run from the next entry on.\n"
        "\n"
        "Triggers: the run has reached `one-sided-after` entries and at least one\n"
        "entry of the run has a `gave` line.  Reported once per run, at the\n"
        "header of the first entry where both hold.\n"
        "\n"
        "Options: `one-sided-after` (default 3).\n"
        "\n"
        "Before:\n"
        "    2011-03-01 * Acme Corp | Review\n"
        "        gave  Retrofit cost model\n"
        "        ask   needs  Maintenance spend -> later\n"
        "    2011-03-08 * Acme Corp | Review\n"
        "        gave  Site survey, free of charge\n"
        "        ask   needs  Maintenance spend -> later\n"
        "    2011-03-15 * Acme Corp | Review      <- one-sided\n"
        "        ask   needs  Maintenance spend -> later\n"
        "After: ask for something in return, and record what the client gives:\n"
        "    2011-03-15 * Acme Corp | Review\n"
        "        ask   needs  Maintenance spend, before the next survey -> yes\n",
        check_ladder_rules, "ladder", "one-sided-after,touch-kinds,since" },
    [R_NO_MUTUAL_INTEREST] = {
        "no-mutual-interest", SEV_WARNING,
        "the client keeps declining what you ask",
        "\"Don't be afraid to hear no.  If the client is not interested in doing\n"
        "business with you, it's best to discern that early.\"  Several asks\n"
        "declined in a row, with no commitment in between, are the signal: test\n"
        "the relationship plainly, or spend the time on a better prospect.\n"
        "\n"
        "Each client has a run of declined asks (`ask ... -> no`) in held\n"
        "entries (touches included).  `later` and unanswered asks neither count\n"
        "nor end the run; a commitment (`ask ... -> yes` or `got`) ends it.  A\n"
        "won client (committed to the top rung) has no run from the next entry\n"
        "on.  An answer may carry a remark: `-> no: budget frozen`.\n"
        "\n"
        "Triggers: the run reaches `decline-after` asks.  Reported once per run,\n"
        "at the ask where it reaches that count.\n"
        "\n"
        "Options: `decline-after` (default 2).\n"
        "\n"
        "Before:\n"
        "    2011-03-01 * Acme Corp | Review\n"
        "        ask   needs  Maintenance spend -> no\n"
        "    2011-03-15 * Acme Corp | Review\n"
        "        ask   meeting  Meet the facilities team -> no    <- reported\n"
        "After: ask whether there is mutual interest, and act on the answer:\n"
        "    2011-03-15 * Acme Corp | Review\n"
        "        ask   meeting  Is this project going ahead this year? -> no\n"
        "        next  none  Closed; check again next spring\n",
        check_ladder_rules, "ladder", "decline-after,since" },
    [R_UNUSED_IGNORE] = {
        "unused-ignore", SEV_WARNING,
        "a ladder-ignore that silenced nothing",
        "A `ladder-ignore` comment acknowledges a diagnostic you decided to live\n"
        "with.  Once the call is recorded properly, or the rule changes, the\n"
        "suppression silences nothing, but it stays and would hide the next real\n"
        "problem on that line.  Stale suppressions pile up unless they are\n"
        "reported.\n"
        "\n"
        "Triggers: a bare `ladder-ignore` that silenced no diagnostic in this run\n"
        "(reported at the word `ladder-ignore`); in a list (`ladder-ignore:\n"
        "no-plan, no-ask`), each rule id that silenced nothing (reported at the\n"
        "id); a `ladder-ignore` on a comment line of its own, which covers no\n"
        "line and so always silences nothing.  A reason after ` -- ` is\n"
        "allowed: `; ladder-ignore: no-plan -- walk-in visitor`.  A diagnostic\n"
        "of a rule turned off still counts as silenced.  Not reported at\n"
        "entries dated before `option since`.\n"
        "\n"
        "A `ladder-ignore` cannot silence `unused-ignore` itself; `rule\n"
        "unused-ignore off` or `--rule unused-ignore=off` can.  Safe fix: remove\n"
        "the comment, or the unused ids from its list.\n"
        "\n"
        "Before (the call now has its plan):\n"
        "    2011-03-01 ! Acme Corp | Review   ; ladder-ignore: no-plan, no-ask\n"
        "        plan  needs\n"
        "After:\n"
        "    2011-03-01 ! Acme Corp | Review\n"
        "        plan  needs\n",
        NULL, "suppression", "since" },
};

int rule_find(const char *id, size_t len)
{
    for (int i = 0; i < R_COUNT; i++)
        if (strlen(rule_table[i].id) == len && memcmp(rule_table[i].id, id, len) == 0)
            return i;
    return -1;
}

size_t edit_distance(const char *a, size_t alen, const char *b, size_t blen,
                     size_t cap)
{
    if (alen > 64 || blen > 64)
        return cap;
    size_t row[65];
    for (size_t j = 0; j <= blen; j++)
        row[j] = j;
    for (size_t i = 1; i <= alen; i++) {
        size_t diag = row[0], best;
        row[0] = i;
        best = row[0];
        for (size_t j = 1; j <= blen; j++) {
            size_t up = row[j];
            size_t v = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            if (v < best)
                best = v;
        }
        if (best >= cap)
            return cap;
    }
    return row[blen] < cap ? row[blen] : cap;
}

const char *rule_nearest(const char *id, size_t len)
{
    const char *best = rule_table[0].id;
    size_t bd = (size_t)-1;
    for (int i = 0; i < R_COUNT; i++) {
        size_t d = edit_distance(id, len, rule_table[i].id,
                                 strlen(rule_table[i].id), 65);
        if (d < bd) {
            bd = d;
            best = rule_table[i].id;
        }
    }
    return best;
}

const char *severity_name(enum severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_NOTE: return "note";
    case SEV_OFF: break;
    }
    return "off";
}

int severity_parse(const char *s, size_t len)
{
    static const char *const names[] = { "off", "note", "warning", "error" };
    for (int i = 0; i < 4; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}
