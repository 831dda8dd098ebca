/* rules.c - the rule registry and its small helpers. */
#include "rules.h"

#include <string.h>

#include "journal.h"

/* Check functions of the commitment-ladder rules (ladder_rules.c). */
void check_ladder_rules(struct journal *j);

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
        "carriage return; a bad option value.\n"
        "\n"
        "Before:\n"
        "    2011-02-14 * Acme Corp\n"
        "        aks intro Introduction to the CFO -> maybe\n"
        "After:\n"
        "    2011-02-14 * Acme Corp\n"
        "        ask intro Introduction to the CFO -> later\n",
        NULL },
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
        NULL },
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
        NULL },
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
        NULL },
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
        NULL },
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
        NULL },
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
        NULL },
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
        NULL },
    [R_FUTURE_HELD] = {
        "future-held", SEV_WARNING,
        "a held entry is dated after today",
        NULL, NULL },
    [R_STALE_PLANNED] = {
        "stale-planned", SEV_WARNING,
        "a planned entry is dated before today",
        NULL, NULL },
    [R_NO_PLAN] = {
        "no-plan", SEV_WARNING,
        "a planned call has no plan line",
        NULL, NULL },
    [R_NO_ASK] = {
        "no-ask", SEV_WARNING,
        "a held call asked the client for nothing",
        NULL, NULL },
    [R_MISSING_NEXT] = {
        "missing-next", SEV_WARNING,
        "a held call ended without a next step",
        NULL, NULL },
    [R_UNSCHEDULED_NEXT] = {
        "unscheduled-next", SEV_WARNING,
        "a next step was agreed but not scheduled",
        NULL, NULL },
    [R_OVERDUE_NEXT] = {
        "overdue-next", SEV_WARNING,
        "a scheduled next step is past and nothing followed it",
        NULL, NULL },
    [R_OVER_ASK] = {
        "over-ask", SEV_WARNING,
        "an ask or plan climbs too far above the client's level",
        NULL, NULL },
    [R_STALLED] = {
        "stalled", SEV_WARNING,
        "several held calls without asking for a greater commitment",
        NULL, NULL },
    [R_ONE_SIDED] = {
        "one-sided", SEV_WARNING,
        "you keep giving and the client commits to nothing",
        NULL, NULL },
    [R_NO_MUTUAL_INTEREST] = {
        "no-mutual-interest", SEV_WARNING,
        "the client keeps declining what you ask",
        NULL, NULL },
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
