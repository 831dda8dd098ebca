/* test_parse.c - the AST the grammar builds, and recovery from bad lines. */
#include "testutil.h"

#include "parse.h"

static struct journal *J;

static void teardown(void)
{
    journal_free(J);
    J = NULL;
}

static struct entry *entry_at(uint32_t i)
{
    ck_assert_uint_gt(J->nentries, i);
    return J->entries[i];
}

/* An interned name ("" for none). */
static const char *str(uint32_t id)
{
    return id ? name_get(J->names, id)->s : "";
}

/* An item's part, as written in entry e's source (read again: the text is
 * not kept after parsing). */
static const char *part(const struct entry *e, struct span s)
{
    static char buf[256];
    struct pos p = source_pos(e->src, s.start);
    uint32_t len;
    const char *line = source_line(e->src, p.line, &len);
    ck_assert_uint_le(p.col - 1 + (s.end - s.start), len);
    snprintf(buf, sizeof buf, "%.*s", (int)(s.end - s.start), line + p.col - 1);
    return buf;
}

START_TEST(header_parts)
{
    J = lint_structure("2011-02-14 09:30 ! (meeting) Acme   Corp | Budget  walk ; hi\n");
    struct entry *e = entry_at(0);
    ck_assert_int_eq(e->date.year, 2011);
    ck_assert_int_eq(e->date.month, 2);
    ck_assert_int_eq(e->date.day, 14);
    ck_assert_int_eq(e->minutes, 9 * 60 + 30);
    ck_assert_int_eq(e->status, ST_PLANNED);
    ck_assert_str_eq(str(e->kind), "meeting");
    ck_assert_str_eq(str(e->client), "Acme Corp");        /* folded */
    ck_assert_uint_eq(entry_client_at(e).end - entry_client_at(e).start, 11);  /* as written */
    ck_assert_str_eq(part(e, entry_title_at(e)), "Budget  walk");   /* as written */
    ck_assert_uint_eq(e->title, names_hash_folded("Budget walk", 11));   /* folded */
    ck_assert_str_eq(entry_who(J, e)->name, "Acme Corp");
    ck_assert_uint_eq(entry_date_at(e).start, 0);
    ck_assert_uint_eq(entry_date_at(e).end, 10);
    ck_assert_uint_eq(entry_client_at(e).start, 29);
}
END_TEST

START_TEST(header_defaults)
{
    J = lint_structure("2011/2/3 Acme\n2011.02.04 ~ Acme\n");
    struct entry *e = entry_at(0);
    ck_assert_int_eq(e->status, ST_HELD);
    ck_assert_uint_eq(e->kind, 0);
    ck_assert_int_eq(e->minutes, -1);
    ck_assert_uint_eq(e->title, 0);
    ck_assert_int_eq(e->date.day, 3);
    ck_assert_int_eq(entry_at(1)->status, ST_CANCELLED);
}
END_TEST

START_TEST(items)
{
    J = lint_structure("2011-01-01 A\n"
                  "    plan  meeting  Ask for a meeting\n"
                  "    ask needs Spend -> data -> no\n"
                  "    ask intro\n"
                  "    got visit Came by\n"
                  "    gave Advice\n"
                  "    next 2011-01-08 14:00 strategy Workshop\n"
                  "    next 2011-01-09 Call back\n"
                  "    next someday\n"
                  "    next none Lost\n"
                  "    note n\n");
    struct entry *e = entry_at(0);
    ck_assert_uint_eq(e->nitems, 10);
    struct item *it = e->items;
    ck_assert_int_eq(it->kind, IT_PLAN);
    ck_assert_uint_eq(item_kw(it).end - item_kw(it).start, 4);
    ck_assert_int_eq(it->rank, 2);
    ck_assert_str_eq(part(e, item_text(it)), "Ask for a meeting");
    it++;
    ck_assert_int_eq(it->kind, IT_ASK);
    ck_assert_int_eq(it->rank, 3);
    ck_assert_int_eq(it->outcome, OUT_NO);
    ck_assert_str_eq(part(e, item_text(it)), "Spend -> data");
    it++;
    ck_assert_int_eq(it->outcome, OUT_NONE);
    ck_assert(span_empty(item_text(it)));
    it++;
    ck_assert_int_eq(it->kind, IT_GOT);
    ck_assert_int_eq(it->rank, 5);
    it++;
    ck_assert_int_eq(it->kind, IT_GAVE);
    it++;
    ck_assert_int_eq(it->next, NEXT_DATED);
    ck_assert_int_eq(it->rank, 4);
    ck_assert_int_eq(item_minutes(it), 14 * 60);
    ck_assert_str_eq(part(e, item_text(it)), "Workshop");
    ck_assert_str_eq(part(e, item_next_text(it)), "Workshop");
    ck_assert_str_eq(part(e, item_next_rung(it)), "strategy");
    it++;
    ck_assert_int_eq(it->next, NEXT_DATED);
    ck_assert_int_eq(it->rank, 0);                       /* "Call" is no rung */
    /* resolve rewrites no span: the parser's first word and rest stand */
    ck_assert_str_eq(part(e, item_rung(it)), "Call");
    ck_assert_str_eq(part(e, item_text(it)), "back");
    ck_assert_str_eq(part(e, item_next_text(it)), "Call back");
    ck_assert(span_empty(item_next_rung(it)));
    it++;
    ck_assert_int_eq(it->next, NEXT_TEXT);
    ck_assert_str_eq(part(e, item_text(it)), "someday");
    it++;
    ck_assert_int_eq(it->next, NEXT_NONE);
    ck_assert_str_eq(part(e, item_text(it)), "Lost");
    it++;
    ck_assert_int_eq(it->kind, IT_NOTE);
    ck_assert_ptr_eq(it, &e->items[9]);
}
END_TEST

START_TEST(directives)
{
    J = lint_structure("ladder\n  a First\n  b\nclient Acme Corp\n  alias acme\n"
                  "  note big\noption max-step 3\nrule no-ask off\n"
                  "2011-01-01 acme\n  ask b\n");
    ck_assert_int_eq(J->nrungs, 2);
    ck_assert_str_eq(J->rungs[0].name, "a");
    ck_assert_str_eq(J->rungs[0].desc, "First");
    ck_assert_int_eq(J->rungs[1].rank, 2);
    ck_assert_int_eq(J->option[OPT_MAX_STEP], 3);
    ck_assert_int_eq(J->severity[R_NO_ASK], SEV_OFF);
    ck_assert_str_eq(entry_who(J, entry_at(0))->name, "Acme Corp");
    ck_assert_int_eq(entry_at(0)->items->rank, 2);
    ck_assert_uint_eq(J->diags.n, 0);
}
END_TEST

/* One diagnostic per bad line, and the lines around it still count. */
START_TEST(recovery)
{
    ck_lints("2011-01-01 A\n"
             "    aks intro\n"               /* unknown item keyword */
             "    ask intro -> maybe\n"      /* unknown outcome */
             "    ask intr x\n"              /* the entry goes on */
             "2011-01-01\n"                  /* no client */
             "    ask intr\n"                /* under a broken header: skipped */
             "junk here\n"
             "    more\n"
             "2011-01-02 B | t\n"
             "    plan ; only a comment\n"
             "    next 2011-01-09 10:99\n",
             "2:5:syntax 3:18:syntax 4:9:unknown-rung 5:11:syntax 7:1:syntax "
             "10:26:syntax 11:21:syntax");
}
END_TEST

START_TEST(messages_say_expected_and_found)
{
    J = lint_structure("2011-01-01 *\n");
    ck_assert_uint_eq(J->diags.n, 1);
    ck_assert_str_eq(diag_text(&J->diags, J->diags.v[0]),
                     "expected a client name or a (kind), found the end of the line");
    journal_free(J);
    J = lint_structure("2011-01-01 A\n  got\n");
    ck_assert_str_eq(diag_text(&J->diags, J->diags.v[0]),
                     "expected a rung name, found the end of the line");
    journal_free(J);
    J = lint_structure("option max-step\n");
    ck_assert_str_eq(diag_text(&J->diags, J->diags.v[0]),
                     "expected an option name and value, found the end of the line");
}
END_TEST

START_TEST(ignore_comments)
{
    /* Entry-wide on the header, line-wide on an item; syntax stays. */
    ck_lints("client A\n"
             "2011-01-01 B ; ladder-ignore\n"
             "    ask nope\n"
             "2011-01-02 B\n"
             "    ask nope ; ladder-ignore: unknown-rung\n"
             "    ask nope2 ; ladder-ignore: no-ask\n"
             "    ask intro -> maybe ; ladder-ignore\n"
             "    ask intro ; ladder-ignore: no-such-rule\n",
             "6:9:unknown-rung 7:18:syntax 8:32:syntax");
}
END_TEST


/* --- v2 --------------------------------------------------------------------- */

START_TEST(remarks_after_outcomes)
{
    J = lint_structure("2011-01-01 A\n"
                       "    ask intro x -> yes, next week\n"
                       "    ask intro -> no: budget frozen\n"
                       "    ask intro a -> b ->later! ok -> , fine\n"
                       "    ask intro ->yes.\n"
                       "    ask intro -> maybe, so\n"
                       "    ask intro A->yes\n");
    const struct entry *e = entry_at(0);
    ck_assert_uint_eq(e->nitems, 6);
    ck_assert_int_eq(e->items[0].outcome, OUT_YES);
    ck_assert_str_eq(part(e, item_outcome_at(&e->items[0])), "-> yes");
    ck_assert_str_eq(part(e, item_text(&e->items[0])), "x");
    ck_assert_int_eq(e->items[1].outcome, OUT_NO);
    /* The last arrow with a word after it: "-> , fine" has none. */
    ck_assert_int_eq(e->items[2].outcome, OUT_NONE);
    ck_assert_str_eq(part(e, item_text(&e->items[2])), "a -> b ->later! ok -> , fine");
    ck_assert_int_eq(e->items[3].outcome, OUT_YES);
    /* An unknown word: reported, and the ask is unanswered. */
    ck_assert_int_eq(e->items[4].kind, IT_ASK);
    ck_assert_int_eq(e->items[4].outcome, OUT_NONE);
    ck_assert_int_eq(e->items[5].outcome, OUT_NONE);
    ck_assert_uint_eq(J->diags.n, 1);
    ck_assert_uint_eq(diag_pos(&J->diags, J->diags.v[0]).line, 6);
    ck_assert_uint_eq(diag_pos(&J->diags, J->diags.v[0]).col, 18);
    ck_assert_str_eq(diag_text(&J->diags, J->diags.v[0]),
                     "unknown outcome 'maybe' after '->': expected yes, no or later");
}
END_TEST

START_TEST(broken_items_still_count)
{
    /* Keyword and rung read: the item stays, with one diagnostic. */
    J = lint_structure("2011-01-01 A\n"
                       "    ask intro Intro -> maybe\n"
                       "    plan meeting x\xc3\x28\n"
                       "    ask needs Spend \xff -> yes\n"
                       "    next\n"
                       "    ask\n"
                       "    gave \xff\n");
    const struct entry *e = entry_at(0);
    ck_assert_uint_eq(e->nitems, 5);
    ck_assert_int_eq(e->items[0].kind, IT_ASK);
    ck_assert_int_eq(e->items[1].kind, IT_PLAN);
    ck_assert_str_eq(part(e, item_rung(&e->items[1])), "meeting");
    /* A bad byte in the text: the ask stays, unanswered. */
    ck_assert_int_eq(e->items[2].kind, IT_ASK);
    ck_assert_str_eq(part(e, item_rung(&e->items[2])), "needs");
    ck_assert_int_eq(e->items[2].outcome, OUT_NONE);
    ck_assert_int_eq(e->items[3].kind, IT_NEXT);
    ck_assert_int_eq(e->items[3].next, NEXT_BROKEN);
    ck_assert_int_eq(e->items[4].kind, IT_GAVE);
    ck_assert_uint_eq(J->diags.n, 6);
    journal_free(J);
    /* ... so the entry is neither no-ask nor missing-next; a bare "ask" is
     * no ask. */
    J = lint_text("2011-01-01 A\n    ask intro -> maybe\n    next\n"
                  "2011-01-02 A\n    ask\n    next none\n");
    char *s = diag_summary(J);
    ck_assert_str_eq(s, "2:18:syntax 3:9:syntax 4:1:no-ask 5:8:syntax");
    free(s);
}
END_TEST

START_TEST(header_parts_out_of_place)
{
    ck_lints("2011-01-01 (call) * A\n"
             "2011-01-02 10:00 10:30 ~ (x) A\n"
             "2011-01-03 ! ~ B\n"
             "2011-01-04 (a) (b) C\n",
             "1:19:syntax 2:18:syntax 3:14:syntax 4:16:syntax");
    J = lint_structure("2011-01-01 (call) ! A\n"
                       "2011-01-02 10:00 10:30 ~ (x) A\n"
                       "2011-01-04 (a) (b) C\n"
                       "2011-01-05 * 20:20 Vision\n"
                       "2011-01-06 (demo) 9:00 Club\n"
                       "2011-01-07 20:20 Vision\n");
    ck_assert_uint_eq(J->nentries, 6);
    ck_assert_int_eq(entry_at(0)->status, ST_HELD);             /* '!' ignored */
    ck_assert_str_eq(str(entry_at(0)->kind), "call");
    ck_assert_int_eq(entry_at(1)->minutes, 600);
    ck_assert_int_eq(entry_at(1)->status, ST_CANCELLED);
    ck_assert_str_eq(str(entry_at(1)->kind), "x");
    ck_assert_str_eq(str(entry_at(2)->kind), "a");
    ck_assert_str_eq(str(entry_at(3)->client), "20:20 Vision");
    ck_assert_int_eq(entry_at(3)->minutes, -1);
    ck_assert_str_eq(str(entry_at(4)->client), "9:00 Club");
    ck_assert_str_eq(str(entry_at(5)->client), "Vision");
    ck_assert_int_eq(entry_at(5)->minutes, 20 * 60 + 20);
    journal_free(J);
    J = NULL;
    /* A header without a client is dropped with its items, unread. */
    ck_lints("2011-01-01 *\n    ask intro -> maybe\n    aks\n2011-01-02 A\n",
             "1:13:syntax");
}
END_TEST

START_TEST(nfc_names)
{
    /* "Cafe" + U+0301 and "Caf\u00e9" are one client, names and aliases. */
    J = lint_structure("client Caf\xc3\xa9\n    alias Cre\xcc\x80me\n"
                       "2011-01-01 Cafe\xcc\x81\n2011-01-02 Cr\xc3\xa8me\n"
                       "2011-01-03 Caf\xc3\xa9\n2011-01-04 CAFE\xcc\x81\n");
    ck_assert_ptr_eq(entry_who(J, entry_at(0)), entry_who(J, entry_at(1)));
    ck_assert_ptr_eq(entry_who(J, entry_at(0)), entry_who(J, entry_at(2)));
    ck_assert_ptr_ne(entry_who(J, entry_at(0)), entry_who(J, entry_at(3)));   /* case-sensitive */
    ck_assert_str_eq(entry_who(J, entry_at(0))->name, "Caf\xc3\xa9");
    ck_assert_str_eq(entry_who(J, entry_at(3))->name, "CAF\xc3\x89");
}
END_TEST

START_TEST(runs_folded_or_not)
{
    /* The scanner tells the builder which runs need no folding (single
     * spaces only); the others are folded: the same client and title hash
     * however the blanks are written, at a run's end too. */
    J = lint_structure("2011-01-01 Acme Corp | Budget walk\n"
                       "2011-01-02 Acme  Corp  | Budget  walk  ; c\n"
                       "2011-01-03 Acme\tCorp\t|\tBudget\twalk\t\n"
                       "2011-01-04 * Acme Corp |Budget walk \n"
                       "2011-01-05 Acme \tCorp|Budget \t walk");
    uint32_t want = names_hash_folded("Budget walk", 11);
    for (uint32_t i = 0; i < 5; i++) {
        ck_assert_str_eq(str(entry_at(i)->client), "Acme Corp");
        ck_assert_uint_eq(entry_at(i)->title, want);
    }
}
END_TEST

/* needs_fold() and names_hash_folded() (eight bytes at a time) against
 * the byte-by-byte definitions, on texts of blanks and words of every
 * length around the 8-byte windows. */
static int needs_fold_ref(const char *p, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        if (p[i] == '\t' || (p[i] == ' ' && i + 1 < len &&
                             (p[i + 1] == ' ' || p[i + 1] == '\t')))
            return 1;
    return 0;
}

static uint32_t fnv_ref(const char *p, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

START_TEST(fold_checks_match_bytewise)
{
    static const char alpha[] = { 'a', 'a', 'a', ' ', ' ', '\t', '\xc3', '\0' };
    uint32_t seed = 18;
    char buf[40], folded[40];
    for (int n = 0; n < 200000; n++) {
        uint32_t len = (uint32_t)n % 40;
        for (uint32_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alpha[(seed >> 16) % sizeof alpha];
        }
        ck_assert_int_eq(needs_fold(buf, len), needs_fold_ref(buf, len));
        ck_assert_uint_eq(names_hash(buf, len), fnv_ref(buf, len));
        uint32_t fl = fold_blanks(buf, len, folded);
        ck_assert_uint_eq(names_hash_folded(buf, len), fnv_ref(folded, fl));
    }
}
END_TEST

/* scan_run_end() (eight bytes at a time) against the definition, byte by
 * byte: words of bytes other than blanks, CR, LF, NUL (and bar); blanks
 * between them; a word after blanks may not start with ';' or bar. */
static const char *run_end_ref(const char *p, char bar, bool *unfolded)
{
    bool one = true;
    const char *e;
    for (;;) {
        while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' &&
               (!bar || *p != bar))
            p++;
        e = p;
        const char *b = p;
        while (*p == ' ' || *p == '\t')
            p++;
        if (p == b || !*p || *p == '\r' || *p == '\n' || *p == ';' ||
            (bar && *p == bar))
            break;
        if (p - b > 1 || *b == '\t')
            one = false;
    }
    *unfolded = one;
    return e;
}

START_TEST(run_end_matches_bytewise)
{
    /* Runs of every length around the 8- and 16-byte windows, from an alphabet
     * heavy in what ends or folds a run; each in a buffer of its own
     * size (ASan sees a read past it), ending at lim as a chunk does:
     * in a LF, or in the NUL after the last line. */
    static const char alpha[] = { 'a', 'b', 'c', 'd', ' ', ' ', ' ', '\t', ';', '|',
                                  '\r', '\n', '\x01', '\xc3', '\xff', '-' };
    uint32_t seed = 7;
    /* Three mixes, from stop-heavy to text-like (long clean stretches, for
     * the sixteen-byte loop): letters below lo, spaces below hi. */
    static const uint32_t mix[3][2] = { { 40, 52 }, { 52, 62 }, { 57, 63 } };
    for (int n = 0; n < 120000; n++) {
        uint32_t len = 1 + (uint32_t)n % 72;
        const uint32_t *m = mix[(n >> 1) % 3];
        bool lf = n & 1;
        char *buf = malloc(len + 2);
        ck_assert_ptr_nonnull(buf);
        buf[0] = 'w';                           /* a run starts on a word */
        for (uint32_t i = 1; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly words and single spaces, as text is */
            uint32_t r = (seed >> 16) % 64;
            buf[i] = r < m[0] ? (char)('a' + r % 26) : r < m[1] ? ' ' : alpha[r % sizeof alpha];
        }
        if (lf)
            buf[len - 1] = '\n';
        buf[len] = '\0';
        const char *lim = buf + len;
        for (int k = 0; k < 2; k++) {
            char bar = k ? '|' : '\0';
            bool u1 = false, u2 = false;
            const char *want = run_end_ref(buf, bar, &u1);
            const char *got = scan_run_end(buf, lim, bar, &u2);
            ck_assert_msg(got == want, "run of %u bytes (bar %d): end %td, want %td",
                          len, k, got - buf, want - buf);
            ck_assert_int_eq(u1, u2);
        }
        free(buf);
    }
}
END_TEST

START_TEST(unused_ignores)
{
    J = lint_text("2011-01-01 A ; ladder-ignore: no-ask, stalled -- why\n"
                  "    next none ; ladder-ignore\n"
                  "; ladder-ignore: no-plan\n"
                  "2011-01-02 A ; ladder-ignore -- courtesy\n"
                  "    next none\n"
                  "  # ladder-ignore\n"
                  "2011-01-03 A ; ladder-ignore: unused-ignore, missing-next\n"
                  "    ask intro\n");
    char *s = diag_summary(J);
    ck_assert_str_eq(s, "1:39:unused-ignore 2:17:unused-ignore 3:18:unused-ignore "
                        "6:5:unused-ignore 7:31:unused-ignore");
    free(s);
    /* The spans: the id, the keyword. */
    const struct diag *d0 = J->diags.v[0], *d1 = J->diags.v[1];
    ck_assert_uint_eq(diag_end_col(d0, diag_pos(&J->diags, d0)), 46);
    ck_assert_uint_eq(diag_end_col(d1, diag_pos(&J->diags, d1)), 30);
    journal_free(J);
    /* rule unused-ignore off; a diagnostic of a rule that is off counts as
     * silenced. */
    J = lint_text("rule unused-ignore off\n2011-01-01 A ; ladder-ignore: stalled\n"
                  "    next none\n");
    ck_assert_uint_eq(J->diags.n, 1);                   /* no-ask */
    journal_free(J);
    J = lint_text("rule no-ask off\n2011-01-01 A ; ladder-ignore: no-ask\n    next none\n");
    ck_assert_uint_eq(J->diags.n, 0);
    journal_free(J);
    /* Before since: not reported. */
    J = lint_text("option since 2011-01-02\n2011-01-01 A ; ladder-ignore\n"
                  "    ask intro\n    next none\n");
    ck_assert_uint_eq(J->diags.n, 0);
}
END_TEST

START_TEST(note_without_text)
{
    ck_lints("client A\n    note\n2011-01-01 A\n    note\n    note ; c\n", "");
}
END_TEST

START_TEST(no_line_feed_at_end)
{
    J = lint_structure("2011-01-01 A\n    ask intro -> yes");
    ck_assert_int_eq(entry_at(0)->items->outcome, OUT_YES);
    ck_assert_uint_eq(J->diags.n, 0);
}
END_TEST

START_TEST(empty_and_blank)
{
    ck_lints("", "");
    ck_lints("\n\n   \n\t\n; just comments\n", "");
    ck_lints("   ", "");
}
END_TEST

/* Pathological inputs: each would take minutes if some step were
 * quadratic (the case's timeout turns that into a failure). */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * n + tl + 1);
    memcpy(s, head, hl);
    for (size_t i = 0; i < n; i++)
        memcpy(s + hl + i * ul, unit, ul);
    memcpy(s + hl + ul * n, tail, tl + 1);
    return s;
}

START_TEST(long_line_of_words)
{
    char *t = repeat("2011-01-01 * Acme | ", "ab  ", 200000, "\n");
    J = lint_structure(t);
    char *folded = repeat("", "ab ", 200000, "");
    uint32_t n = 200000 * 3 - 1;
    ck_assert_uint_eq(entry_at(0)->title, names_hash_folded(folded, n));
    ck_assert_uint_eq(entry_title_at(entry_at(0)).end - entry_title_at(entry_at(0)).start, 200000 * 4 - 2);
    free(folded);
    free(t);
}
END_TEST

START_TEST(many_arrows)
{
    char *t = repeat("2011-01-01 * Acme\n    ask intro ", "-> ", 200000, "-> yes\n");
    J = lint_structure(t);
    ck_assert_int_eq(entry_at(0)->items->outcome, OUT_YES);
    free(t);
}
END_TEST

START_TEST(many_items_and_entries)
{
    char *t = repeat("2011-01-01 * Acme\n", "    note n\n", 100000, "");
    J = lint_structure(t);
    ck_assert_uint_eq(entry_at(0)->nitems, 100000);
    free(t);
    journal_free(J);
    t = repeat("", "2011-01-01 * Acme | x\n", 50000, "");
    J = lint_structure(t);
    ck_assert_uint_eq(J->diags.n, 49999);           /* duplicate-entry each */
    free(t);
}
END_TEST

START_TEST(long_ladder_and_many_misspellings)
{
    enum { N = 20000 };
    char *t = malloc((size_t)N * 128 + 64);
    size_t k = (size_t)sprintf(t, "option strict yes\nladder\n");
    for (int i = 0; i < N; i++)
        k += (size_t)sprintf(t + k, "    rung%d\n", i);
    for (int i = 0; i < N; i++)
        k += (size_t)sprintf(t + k, "client Client %d\n", i);
    for (int i = 0; i < N; i++)
        k += (size_t)sprintf(t + k, "2011-01-01 Cleint %d\n    ask rnug%d\n", i, i);
    J = lint_structure(t);
    ck_assert_int_eq(J->nrungs, N);
    ck_assert_uint_eq(J->diags.n, 2 * N);           /* unknown-client, unknown-rung */
    free(t);
}
END_TEST

/* A comment line with a bad byte is a syntax error of its own: the line
 * after it is read as usual (format.md §2, v2). */
START_TEST(bad_comment_skips_only_itself)
{
    ck_lints("; caf\xe9\n2011-02-30 * A\n", "1:6:syntax 2:1:bad-date");
    ck_lints("; \xff\ninclude /nonexistent-ladder/x.ladder\n", "1:3:syntax 2:1:include");
    ck_lints("; \x80\nrule bogus-rule error\n", "1:3:syntax 2:6:syntax");
    /* Indented, in an entry: the ask below it still counts (no no-ask). */
    static const char text[] = "2011-06-01 * A\n    ; x\0y\xe9\n"
                               "    ask intro x -> yes\n    next none\n";
    struct config cfg;
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    struct journal *j = journal_lint_bytes(&cfg, "t.ladder", text, sizeof text - 1);
    char *got = diag_summary(j);
    ck_assert_str_eq(got, "2:8:syntax");
    ck_assert_str_eq(diag_text(&j->diags, j->diags.v[0]), "a NUL byte: a journal is UTF-8 text");
    free(got);
    journal_free(j);
}
END_TEST

/* Lines over 64 KiB: an item or header keeps its parts in a byte each,
 * and in full (the wide form, ast.h) when one does not fit.  Every part
 * past 65,535 bytes, and the diagnostics there, stay exact. */
static size_t put(char *t, size_t k, const char *s, uint32_t *at)
{
    if (at)
        *at = (uint32_t)k;
    size_t n = strlen(s);
    memcpy(t + k, s, n + 1);
    return k + n;
}

static void ck_span(struct span got, uint32_t start, uint32_t end)
{
    ck_assert_uint_eq(got.start, start);
    ck_assert_uint_eq(got.end, end);
}

START_TEST(wide_lines)
{
    enum { PAD = 70000 };
    char *pad = malloc(PAD + 1), *xs = malloc(PAD + 1);
    memset(pad, ' ', PAD);
    memset(xs, 'x', PAD);
    pad[PAD] = xs[PAD] = '\0';
    char *t = malloc(10 * (size_t)PAD + 1024);
    size_t k = 0;
    uint32_t h, status, kind, client, title, hend;
    k = put(t, k, "2011-01-01", &h);
    k = put(t, k, pad, NULL);
    k = put(t, k, "! (", &status);
    k = put(t, k, "meeting) ", &kind);
    k = put(t, k, pad, NULL);
    k = put(t, k, "Acme | ", &client);
    k = put(t, k, "Lunch", &title);
    k = put(t, k, "\n", &hend);
    uint32_t a0, a_rung, a_text, a_out, a_end;          /* ask */
    k = put(t, k, "    ", NULL);
    k = put(t, k, "ask", &a0);
    k = put(t, k, pad, NULL);
    k = put(t, k, "intro", &a_rung);
    k = put(t, k, pad, NULL);
    k = put(t, k, "Some text ", &a_text);
    k = put(t, k, "-> no", &a_out);
    k = put(t, k, "\n", &a_end);
    uint32_t p0, p_rung;                                /* plan, a typo */
    k = put(t, k, "    ", NULL);
    k = put(t, k, "plan", &p0);
    k = put(t, k, pad, NULL);
    k = put(t, k, "meetnig x\n", &p_rung);
    uint32_t n0, n_rung, n_text, n_end;                 /* next, dated */
    k = put(t, k, "    ", NULL);
    k = put(t, k, "next 2011-01-08 14:00", &n0);
    k = put(t, k, pad, NULL);
    k = put(t, k, "strategy", &n_rung);
    k = put(t, k, pad, NULL);
    k = put(t, k, "Workshop", &n_text);
    k = put(t, k, "\n", &n_end);
    uint32_t d0, d_date, d_text, d_end;                 /* next, its date far */
    k = put(t, k, "    ", NULL);
    k = put(t, k, "next", &d0);
    k = put(t, k, pad, NULL);
    k = put(t, k, "2011-01-09 ", &d_date);
    k = put(t, k, "Call back", &d_text);
    k = put(t, k, "\n", &d_end);
    uint32_t o0, o_text, o_end;                         /* note, a long text */
    k = put(t, k, "    ", NULL);
    k = put(t, k, "note ", &o0);
    k = put(t, k, xs, &o_text);
    k = put(t, k, "\n", &o_end);
    k = put(t, k, "    ask intro short -> yes\n", NULL);  /* a short line */

    J = lint_text(t);
    struct entry *e = entry_at(0);
    ck_assert(e->wide);
    ck_span(entry_line(e), h, hend + 1);         /* with its line feed */
    ck_span(entry_date_at(e), h, h + 10);
    ck_span(entry_status_at(e), status, status + 1);
    ck_span(entry_kind_at(e), kind, kind + 7);
    ck_span(entry_client_at(e), client, client + 4);
    ck_span(entry_title_at(e), title, title + 5);
    ck_assert_str_eq(part(e, entry_kind_at(e)), "meeting");
    ck_assert_str_eq(part(e, entry_client_at(e)), "Acme");
    ck_assert_str_eq(part(e, entry_title_at(e)), "Lunch");

    ck_assert_uint_eq(e->nitems, 6);
    const struct item *it = e->items;
    ck_assert(it->wide);
    ck_span(item_line(it), a0, a_end + 1);
    ck_span(item_kw(it), a0, a0 + 3);
    ck_span(item_rung(it), a_rung, a_rung + 5);
    ck_span(item_text(it), a_text, a_text + 9);
    ck_span(item_outcome_at(it), a_out, a_out + 5);
    ck_assert_int_eq(it->outcome, OUT_NO);
    ck_assert_str_eq(part(e, item_rung(it)), "intro");
    it++;
    ck_assert(it->wide);
    ck_span(item_rung(it), p_rung, p_rung + 7);
    it++;
    ck_assert(it->wide);
    ck_span(item_line(it), n0, n_end + 1);
    ck_span(item_date_at(it), n0 + 5, n0 + 15);
    ck_assert_int_eq(item_minutes(it), 14 * 60);
    ck_assert_int_gt(it->rank, 0);
    ck_span(item_next_rung(it), n_rung, n_rung + 8);
    ck_span(item_next_text(it), n_text, n_text + 8);
    ck_assert_str_eq(part(e, item_next_text(it)), "Workshop");
    it++;
    ck_assert(it->wide);
    ck_span(item_date_at(it), d_date, d_date + 10);
    ck_assert_int_eq(it->date.day, 9);
    ck_span(item_next_text(it), d_text, d_text + 9);
    it++;
    ck_assert(it->wide);
    ck_span(item_line(it), o0, o_end + 1);
    ck_span(item_text(it), o_text, o_text + PAD);
    it++;
    ck_assert(!it->wide);                           /* the short line */
    ck_assert_str_eq(part(e, item_text(it)), "short");
    ck_assert_str_eq(part(e, item_outcome_at(it)), "-> yes");

    /* Diagnostics at those parts: the status mark (stale-planned) and the
     * misspelled rung (unknown-rung), columns past 65,535. */
    char want[128], *got = diag_summary(J);
    snprintf(want, sizeof want, "1:%u:stale-planned 3:%u:unknown-rung",
             status - h + 1, p_rung - (a_end + 1) + 1);
    ck_assert_str_eq(got, want);
    free(got);
    free(t);
    free(pad);
    free(xs);
}
END_TEST

/* Runs of blanks, of a word's letter and a comment (';' then 'c's), cut
 * to a length in place (a NUL) and mended after use: parts at every
 * distance around a byte's limit. */
enum { RUN_MAX = 400 };
struct runs {
    char blanks[RUN_MAX + 1], word[RUN_MAX + 1], cmt[RUN_MAX + 2];
};

static void runs_init(struct runs *r, char letter)
{
    memset(r->blanks, ' ', RUN_MAX);
    memset(r->word, letter, RUN_MAX);
    r->cmt[0] = ';';
    memset(r->cmt + 1, 'c', RUN_MAX);
}

/* Item parts are kept in a byte each, from the line's start or back from
 * its end (struct item_rel), and in full past that: at every distance
 * around the byte's limit (a blank run of 250-260 before each part, a
 * rung word of 250-260 bytes, a comment of 250-260 bytes after the text)
 * every part comes back exact, compact where it fits. */
START_TEST(item_parts_at_byte_limits)
{
    static const int sizes[] = { 0, 1, 200, 249, 250, 251, 252, 253, 254, 255, 256, 300 };
    enum { NS = sizeof sizes / sizeof sizes[0] };
    struct runs r;
    runs_init(&r, 'r');
    char *blanks = r.blanks, *word = r.word, *cmt = r.cmt;
    size_t wide = 0, narrow = 0;
    for (int a = 0; a < NS; a++)
        for (int b = 0; b < NS; b++) {
            int pad = sizes[a], sz = sizes[b];
            char *t = malloc(64 * 1024);
            size_t k = put(t, 0, "2011-01-01 * Acme\n", NULL);
            uint32_t ask, a_rung, a_text, a_tend, a_out, a_end;
            k = put(t, k, "    ", NULL);
            k = put(t, k, "ask ", &ask);
            blanks[pad] = '\0';
            k = put(t, k, blanks, NULL);
            k = put(t, k, "intro ", &a_rung);
            k = put(t, k, blanks, NULL);
            k = put(t, k, "some text", &a_text);
            a_tend = (uint32_t)k;
            k = put(t, k, " -> yes", NULL);
            a_out = a_tend + 1;
            cmt[sz + 1] = '\0';
            k = put(t, k, sz ? " " : "", NULL);
            k = put(t, k, sz ? cmt : "", NULL);
            k = put(t, k, "\n", &a_end);
            uint32_t pl, p_rung, p_text, p_end;            /* a long rung word */
            k = put(t, k, "    ", NULL);
            k = put(t, k, "plan ", &pl);
            k = put(t, k, blanks, NULL);
            word[sz ? sz : 1] = '\0';
            k = put(t, k, word, &p_rung);
            k = put(t, k, " x", NULL);
            p_text = p_rung + (sz ? sz : 1) + 1;
            k = put(t, k, "\n", &p_end);
            uint32_t nx, n_date, n_rung, n_text, n_end;    /* next, dated */
            k = put(t, k, "    ", NULL);
            k = put(t, k, "next ", &nx);
            k = put(t, k, blanks, NULL);
            k = put(t, k, "2011-01-08 09:30 ", &n_date);
            k = put(t, k, blanks, NULL);
            k = put(t, k, "visit ", &n_rung);
            k = put(t, k, blanks, NULL);
            k = put(t, k, "Workshop", &n_text);
            k = put(t, k, sz ? " " : "", NULL);
            k = put(t, k, sz ? cmt : "", NULL);
            k = put(t, k, "\n", &n_end);
            uint32_t no, o_text, o_tend, o_end;            /* note, a comment after */
            k = put(t, k, "    ", NULL);
            k = put(t, k, "note ", &no);
            k = put(t, k, blanks, NULL);
            k = put(t, k, "a note", &o_text);
            o_tend = (uint32_t)k;
            k = put(t, k, sz ? " " : "", NULL);
            k = put(t, k, sz ? cmt : "", NULL);
            k = put(t, k, "\n", &o_end);
            uint32_t q_rung;                                /* no text: the */
            k = put(t, k, "    plan ", NULL);                /* rung last */
            k = put(t, k, blanks, NULL);
            k = put(t, k, word, &q_rung);
            k = put(t, k, "\n", NULL);
            uint32_t b_out;                                 /* nor here: the */
            k = put(t, k, "    ask intro ", NULL);           /* outcome far */
            k = put(t, k, "->", &b_out);                     /* from the end, */
            k = put(t, k, blanks, NULL);                     /* and long */
            k = put(t, k, " no", NULL);
            k = put(t, k, sz ? " " : "", NULL);
            k = put(t, k, sz ? cmt : "", NULL);
            k = put(t, k, "\n", NULL);
            blanks[pad] = ' ';
            cmt[sz + 1] = 'c';
            word[sz ? sz : 1] = 'r';

            J = lint_text(t);
            struct entry *e = entry_at(0);
            ck_assert_uint_eq(e->nitems, 6);
            const struct item *it = e->items;
            for (int i = 0; i < 6; i++) {
                it[i].wide ? wide++ : narrow++;
                if (pad <= 1 && sz <= 200)       /* every part within a byte */
                    ck_assert(!it[i].wide);
                if (pad == 300 && i < 5)         /* a part 300 bytes in */
                    ck_assert(it[i].wide);
            }
            ck_span(item_kw(it), ask, ask + 3);
            ck_span(item_rung(it), a_rung, a_rung + 5);
            ck_span(item_text(it), a_text, a_tend);
            ck_span(item_outcome_at(it), a_out, a_out + 6);
            ck_assert_int_eq(it->outcome, OUT_YES);
            ck_assert_int_eq(item_line(it).start, ask);
            ck_assert_int_le(item_line(it).end, a_end + 1);
            ck_assert_int_ge(item_line(it).end, a_out + 6);
            it++;
            ck_span(item_rung(it), p_rung, p_rung + (sz ? sz : 1));
            ck_span(item_text(it), p_text, p_text + 1);
            ck_assert_int_le(item_line(it).end, p_end + 1);
            it++;
            ck_assert_int_eq(it->next, NEXT_DATED);
            ck_span(item_date_at(it), n_date, n_date + 10);
            ck_assert_int_eq(item_minutes(it), 9 * 60 + 30);
            ck_assert_int_eq(it->date.day, 8);
            ck_span(item_rung(it), n_rung, n_rung + 5);
            ck_span(item_text(it), n_text, n_text + 8);
            ck_assert_int_eq(it->rank, 5);          /* visit: the 5th rung */
            ck_span(item_next_text(it), n_text, n_text + 8);
            ck_assert_int_le(item_line(it).end, n_end + 1);
            it++;
            ck_span(item_kw(it), no, no + 4);
            ck_span(item_text(it), o_text, o_tend);
            ck_assert_int_le(item_line(it).end, o_end + 1);
            it++;
            ck_span(item_rung(it), q_rung, q_rung + (sz ? sz : 1));
            ck_assert(span_empty(item_text(it)));
            it++;
            ck_span(item_outcome_at(it), b_out, b_out + 5 + (uint32_t)pad);
            ck_assert_int_eq(it->outcome, OUT_NO);
            ck_assert(span_empty(item_text(it)));
            /* The same journal's diagnostics are not this test's: it is
             * the parts' places that are. */
            journal_free(J);
            J = NULL;
            free(t);
        }
    /* Both forms were exercised. */
    ck_assert_uint_gt(wide, 0);
    ck_assert_uint_gt(narrow, 0);
}
END_TEST

/* A header's parts are kept in a byte each too (struct entry): its
 * status mark, kind and client from the line's start, its title's end
 * back from the line's end; in full past that. */
START_TEST(header_parts_at_byte_limits)
{
    static const int sizes[] = { 0, 1, 200, 230, 240, 245, 250, 251, 252, 253, 254, 255, 256, 300 };
    enum { NS = sizeof sizes / sizeof sizes[0] };
    struct runs r;
    runs_init(&r, 'k');
    char *blanks = r.blanks, *word = r.word, *cmt = r.cmt;
    size_t wide = 0, narrow = 0;
    for (int a = 0; a < NS; a++)
        for (int b = 0; b < NS; b++)
            for (int shape = 0; shape < 5; shape++) {   /* 3, 4: no title */
                int pad = sizes[a], sz = sizes[b];
                char *t = malloc(64 * 1024);
                uint32_t h, st, kind, client, title = 0, tend, hend;
                size_t k = put(t, 0, "2011-01-01", &h);
                blanks[shape == 0 ? pad + 1 : 1] = '\0';
                k = put(t, k, blanks, NULL);
                blanks[shape == 0 ? pad + 1 : 1] = ' ';
                k = put(t, k, "!", &st);
                k = put(t, k, " (", NULL);
                word[sz ? sz : 1] = '\0';                /* a long kind */
                k = put(t, k, shape == 1 ? word : "meeting", &kind);
                word[sz ? sz : 1] = 'k';
                k = put(t, k, ") ", NULL);
                blanks[pad] = '\0';
                k = put(t, k, shape == 2 || shape == 3 ? blanks : "", NULL);
                blanks[pad] = ' ';
                word[sz ? sz : 1] = '\0';                /* a long name */
                k = put(t, k, shape == 4 ? word : "Acme Ltd", &client);
                word[sz ? sz : 1] = 'k';
                uint32_t clen = shape == 4 ? (uint32_t)(sz ? sz : 1) : 8;
                if (shape < 3) {
                    k = put(t, k, " | ", NULL);
                    k = put(t, k, "Lunch", &title);
                }
                tend = (uint32_t)k;
                cmt[sz + 1] = '\0';
                k = put(t, k, sz ? " " : "", NULL);
                k = put(t, k, sz ? cmt : "", NULL);
                cmt[sz + 1] = 'c';
                k = put(t, k, "\n", &hend);
                k = put(t, k, "    note n\n", NULL);
                J = lint_text(t);
                struct entry *e = entry_at(0);
                e->wide ? wide++ : narrow++;
                if (pad <= 1 && sz <= 200)
                    ck_assert(!e->wide);
                uint32_t klen = shape == 1 ? (uint32_t)(sz ? sz : 1) : 7;
                ck_span(entry_line(e), h, hend + 1);
                ck_span(entry_date_at(e), h, h + 10);
                ck_span(entry_status_at(e), st, st + 1);
                ck_span(entry_kind_at(e), kind, kind + klen);
                ck_span(entry_client_at(e), client, client + clen);
                if (shape < 3)
                    ck_span(entry_title_at(e), title, tend);
                else
                    ck_assert(span_absent(entry_title_at(e)));
                ck_assert_int_eq(e->status, ST_PLANNED);
                journal_free(J);
                J = NULL;
                free(t);
            }
    ck_assert_uint_gt(wide, 0);
    ck_assert_uint_gt(narrow, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse");
    TCase *tc = tcase_create("ast");
    tcase_add_checked_fixture(tc, NULL, teardown);
    /* fold_checks_match_bytewise's 200,000 strings take 1-2 s under the
     * sanitizers: over Check's 4 s default on a busy machine. */
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, header_parts);
    tcase_add_test(tc, header_defaults);
    tcase_add_test(tc, items);
    tcase_add_test(tc, directives);
    tcase_add_test(tc, recovery);
    tcase_add_test(tc, messages_say_expected_and_found);
    tcase_add_test(tc, ignore_comments);
    tcase_add_test(tc, remarks_after_outcomes);
    tcase_add_test(tc, broken_items_still_count);
    tcase_add_test(tc, header_parts_out_of_place);
    tcase_add_test(tc, nfc_names);
    tcase_add_test(tc, runs_folded_or_not);
    tcase_add_test(tc, fold_checks_match_bytewise);
    tcase_add_test(tc, unused_ignores);
    tcase_add_test(tc, note_without_text);
    tcase_add_test(tc, no_line_feed_at_end);
    tcase_add_test(tc, empty_and_blank);
    tcase_add_test(tc, bad_comment_skips_only_itself);
    suite_add_tcase(s, tc);
    TCase *big = tcase_create("pathological");
    tcase_add_checked_fixture(big, NULL, teardown);
    tcase_set_timeout(big, 30);
    tcase_add_test(big, run_end_matches_bytewise);
    tcase_add_test(big, long_line_of_words);
    tcase_add_test(big, wide_lines);
    tcase_add_test(big, item_parts_at_byte_limits);
    tcase_add_test(big, header_parts_at_byte_limits);
    tcase_add_test(big, many_arrows);
    tcase_add_test(big, many_items_and_entries);
    tcase_add_test(big, long_ladder_and_many_misspellings);
    suite_add_tcase(s, big);
    return run_suite(s);
}
