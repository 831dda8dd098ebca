/* test_resolve.c - names, rungs, settings, order, and the structural rules
 * that need the whole journal. */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "source.h"

START_TEST(aliases_and_names)
{
    struct journal *j = lint_structure("client Acme  Corp\n  alias acme\n  alias AC\n"
                                  "2011-01-01 acme\n2011-01-02 Acme Corp\n"
                                  "2011-01-03 AC\n2011-01-04 Other\n");
    ck_assert_ptr_eq(entry_who(j, j->entries[0]), entry_who(j, j->entries[1]));
    ck_assert_ptr_eq(entry_who(j, j->entries[0]), entry_who(j, j->entries[2]));
    ck_assert_ptr_ne(entry_who(j, j->entries[0]), entry_who(j, j->entries[3]));
    ck_assert_uint_eq(j->nclients, 2);
    ck_assert_uint_eq(entry_who(j, j->entries[0])->nentries, 3);
    ck_assert_uint_eq(j->diags.n, 0);               /* not strict */
    journal_free(j);
}
END_TEST

/* A journal of one file of entries only keeps no list of its own: its
 * entries are the file's nodes; a directive anywhere, and the list is its
 * own.  Either way, entry i is the i-th in the file. */
START_TEST(entries_are_the_nodes)
{
    static const struct { const char *text; bool nodes; unsigned n; } cases[] = {
        { "2011-01-01 A\n  ask intro -> yes\n2011-01-02 B\n; note\n\n2011-01-03 A\n", true, 3 },
        { "client A\n2011-01-01 A\n2011-01-02 B\n2011-01-03 A\n", false, 3 },
        { "2011-01-01 A\n2011-01-02 B\noption max-step 3\n2011-01-03 A\n", false, 3 },
        { "2011-01-01 A\n", true, 1 },
        { "; nothing\n", false, 0 },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct journal *j = lint_structure(cases[c].text);
        ck_assert_uint_eq(j->nentries, cases[c].n);
        if (cases[c].nodes)
            ck_assert_ptr_eq(j->entries, j->root->node);
        else
            ck_assert_ptr_ne(j->entries, j->root->node);
        for (uint32_t i = 0; i < j->nentries; i++) {
            const struct entry *e = journal_entry(j, i);
            ck_assert_uint_eq(e->seq, i);
            ck_assert_int_eq(e->date.day, (int)i + 1);
        }
        journal_free(j);
    }
}
END_TEST

START_TEST(strict_clients)
{
    ck_lints("option strict yes\nclient Acme Corp\n  alias acme\n"
             "2011-01-01 Acme Crop\n2011-01-02 acme\n2011-01-03 Zebra Inc\n",
             "4:12:unknown-client 6:12:unknown-client");
    struct journal *j = lint_structure("option strict yes\nclient Acme Corp\n2011-01-01 Acme Crop\n");
    ck_assert_str_eq(diag_text(&j->diags, j->diags.v[0]), "unknown client 'Acme Crop'; did you mean 'Acme Corp'?");
    journal_free(j);
    ck_lints("option strict no\n2011-01-01 Zebra\n", "");
}
END_TEST

/* "Did you mean" searches the names while there are at most 5,000 of
 * them, the name asked about included: with 4,999 declared, the first
 * misspelt name (the 5,000th) gets a suggestion, which it keeps when it
 * comes again; the second (the 5,001st) none, and none after. */
START_TEST(suggestions_up_to_5000_names)
{
    size_t cap = 5000 * 32 + 256, len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len, "option strict yes\n");
    for (int i = 0; i < 4999; i++)
        len += (size_t)snprintf(t + len, cap - len, "client Customer %04d\n", i);
    len += (size_t)snprintf(t + len, cap - len,
                            "2011-01-01 Customr 0001\n2011-01-02 Customr 0002\n"
                            "2011-01-03 Customr 0001\n2011-01-04 Customr 0003\n");
    struct journal *j = lint_structure(t);
    ck_assert_uint_eq(j->diags.n, 4);
    ck_assert_str_eq(diag_text(&j->diags, j->diags.v[0]),
                     "unknown client 'Customr 0001'; did you mean 'Customer 0001'?");
    ck_assert_str_eq(diag_text(&j->diags, j->diags.v[2]),
                     "unknown client 'Customr 0001'; did you mean 'Customer 0001'?");
    ck_assert_str_eq(diag_text(&j->diags, j->diags.v[1]),
                     "unknown client 'Customr 0002': declare it with a 'client' directive");
    ck_assert_str_eq(diag_text(&j->diags, j->diags.v[3]),
                     "unknown client 'Customr 0003': declare it with a 'client' directive");
    journal_free(j);
    free(t);
}
END_TEST

START_TEST(alias_collisions)
{
    ck_lints("client A\n  alias x\nclient B\n  alias x\nclient x\n",
             "4:9:syntax 5:8:syntax");
}
END_TEST

START_TEST(rungs_and_ladder)
{
    struct journal *j = lint_structure("2011-01-01 A\n  ask intoduction\n");
    ck_assert_str_eq(diag_text(&j->diags, j->diags.v[0]), "unknown rung 'intoduction'; did you mean 'intro'?");
    ck_assert_int_eq(j->nrungs, 8);
    ck_assert_str_eq(j->rungs[7].name, "contract");
    journal_free(j);
    /* A second ladder is reported and ignored, wherever it stands. */
    ck_lints("2011-01-01 A\n  ask y\nladder\n  x\n  y\nladder\n  z\n",
             "6:1:duplicate-ladder");
    /* An empty ladder is an error; the default one stands. */
    ck_lints("ladder\n2011-01-01 A\n  ask intro\n", "1:1:syntax");
    ck_lints("ladder\n  x\n  x\n", "3:3:syntax");
}
END_TEST

START_TEST(bad_dates)
{
    ck_lints("2011-02-29 A\n2012-02-29 A\n2011-13-01 A\n2011-04-31 A\n"
             "2011-01-00 A\n2013-01-01 A\n  next 2012-02-30 Call\n",
             "1:1:bad-date 3:1:bad-date 4:1:bad-date 5:1:bad-date 7:8:bad-date");
}
END_TEST

START_TEST(date_order_per_file)
{
    ck_lints("2011-03-01 A\n2011-02-01 B\n2011-02-01 C\n2011-01-15 D\n",
             "2:1:date-order 4:1:date-order");
}
END_TEST

START_TEST(duplicate_entries)
{
    /* Same date, time, client (through an alias), kind (call by default)
     * and title; anything different is not a duplicate. */
    ck_lints("client Acme\n  alias a\n"
             "2011-01-01 Acme | T\n"
             "2011-01-01 ! (call) a |  T\n"
             "2011-01-01 10:00 Acme | T\n"
             "2011-01-01 (meeting) Acme | T\n"
             "2011-01-01 Acme | U\n"
             "2011-01-01 Acme\n",
             "4:1:duplicate-entry");
    struct journal *j = lint_structure("2011-01-01 A\n2011-01-01 A\n");
    ck_assert_ptr_nonnull(diag_notes(&j->diags, j->diags.v[0]));
    ck_assert_uint_eq(diag_notes(&j->diags, j->diags.v[0])->pos.line, 1);
    journal_free(j);
}
END_TEST

/* Titles are kept as hashes: equal hashes are confirmed on the text, so
 * titles whose hashes collide are no duplicate. */
START_TEST(duplicate_title_hash_collision)
{
    ck_assert_uint_eq(names_hash_folded("Call 132789", 11),
                      names_hash_folded("Call 729192", 11));
    ck_lints("2011-01-01 A | Call 132789\n2011-01-01 A | Call 729192\n", "");
    ck_lints("2011-01-01 A | Call 132789\n2011-01-01 A | Call   132789\n"
             "2011-01-01 A | Call 729192\n2011-01-01 A | Call\t729192\n",
             "2:1:duplicate-entry 4:1:duplicate-entry");
    /* The same from a file, whose lines are read again to compare. */
    char path[] = "/tmp/ladder-dup-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *t = "2011-01-01 A | Call 132789\n2011-01-01 A | Call 729192\n"
                    "2011-01-01 A | Call  729192\n2011-01-01 A |\n2011-01-01 A |\n"
                    "2011-01-01 A\n2011-01-01 A\n";
    ck_assert_int_eq(write(fd, t, strlen(t)), (int)strlen(t));
    close(fd);
    struct config cfg;
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    for (int r = R_FUTURE_HELD; r < R_COUNT; r++)
        cfg.severity[r] = SEV_OFF;
    const char *err = NULL;
    struct journal *j = journal_lint(&cfg, path, path, -1, &err);
    ck_assert_ptr_nonnull(j);
    char *got = diag_summary(j);
    ck_assert_str_eq(got, "3:1:duplicate-entry 5:1:duplicate-entry 6:1:duplicate-entry "
                     "7:1:duplicate-entry");
    free(got);
    journal_free(j);
    /* Titles longer than the blocks a file is read again in, their hashes
     * equal, that differ only at their end. */
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    const char *last[] = { "Call 977519", "Call 977519", "Call 1202702" };
    uint32_t hash[3];
    for (int e = 0; e < 3; e++) {
        char *title = malloc(9000 * 5 + 16);
        size_t n = 0;
        for (int i = 0; i < 9000; i++)
            n += (size_t)sprintf(title + n, "%s", e == 1 ? "ab  \t" : "ab ");
        n += (size_t)sprintf(title + n, "%s", last[e]);
        hash[e] = names_hash_folded(title, (uint32_t)n);
        fprintf(f, "2011-01-01 A | %s\n", title);
        free(title);
    }
    ck_assert_uint_eq(hash[0], hash[1]);
    ck_assert_uint_eq(hash[0], hash[2]);
    fclose(f);
    j = journal_lint(&cfg, path, path, -1, &err);
    ck_assert_ptr_nonnull(j);
    got = diag_summary(j);
    ck_assert_str_eq(got, "2:1:duplicate-entry");
    free(got);
    journal_free(j);
    unlink(path);
}
END_TEST

START_TEST(chronology)
{
    struct journal *j = lint_structure("2011-01-02 A | 3\n2011-01-01 10:00 A | 2\n"
                                  "2011-01-01 A | 1\n2011-01-01 09:00 A | 1b\n"
                                  "2011-01-01 10:00 A | 2b\n2011-02-30 A | bad\n");
    ck_assert_uint_eq(j->nchrono, 5);
    const char *want[] = { "1", "1b", "2", "2b", "3" };
    for (int i = 0; i < 5; i++)
        ck_assert_uint_eq(chrono_entry(j, i)->title, names_hash_folded(want[i], (uint32_t)strlen(want[i])));
    ck_assert_uint_eq(entry_who(j, j->entries[0])->nentries, 5);
    journal_free(j);
}
END_TEST

/* The chronology of bigger journals: in date order with the times of a
 * day backwards (each day alone: insertion sorts; and three busy days:
 * qsort on each), backwards (too much to move: qsort), and in order but
 * for one entry written late.  Equal dates and times keep the journal's
 * order. */
static void check_chrono(const struct journal *j, uint32_t want)
{
    ck_assert_uint_eq(j->nchrono, want);
    for (uint32_t i = 1; i < j->nchrono; i++) {
        const struct entry *x = chrono_entry(j, i - 1), *y = chrono_entry(j, i);
        int c = date_cmp(x->date, y->date);
        if (c == 0)
            c = (x->minutes > y->minutes) - (x->minutes < y->minutes);
        ck_assert_msg(c < 0 || (c == 0 && x->seq < y->seq), "chrono %u out of order", i);
    }
}

START_TEST(chronology_orders)
{
    size_t cap = 64 * 1024, len;
    char *t = malloc(cap);
    for (int shape = 0; shape < 4; shape++) {
        len = 0;
        for (int i = 0; i < 300; i++) {
            static const int minutes[4] = { 30, 30, 10, 0 };   /* two alike */
            int d = shape == 0 ? i / 4 : shape == 1 ? 300 - i : shape == 3 ? i / 100
                  : i == 250 ? 3 : i;
            int m = shape == 0 ? minutes[i % 4] : shape == 3 ? 59 - i % 100 % 60 : 0;
            len += (size_t)snprintf(t + len, cap - len, "%04d-%02d-%02d 10:%02d %c | %d\n",
                                    2011 + d / 336, 1 + d / 28 % 12, 1 + d % 28, m,
                                    'A' + i % 5, i);
        }
        struct journal *j = lint_structure(t);
        check_chrono(j, 300);
        journal_free(j);
    }
    free(t);
}
END_TEST

/* A chronology's key holds the date and time in 33 bits: the first and
 * last days a journal can write, and times on them, in any order. */
START_TEST(chronology_extreme_dates)
{
    struct journal *j = lint_structure(
        "9999-12-31 23:59 A | a\n0000-01-01 A | b\n9999-12-31 A | c\n"
        "9999-12-31 00:00 A | d\n0000-01-01 00:00 A | e\n5000-06-15 12:00 A | f\n"
        "9999-12-31 23:58 A | g\n0000-01-01 23:59 A | h\n9999-12-31 23:59 A | i\n"
        "9999-12-30 23:59 A | j\n0001-01-01 A | k\n");
    check_chrono(j, 11);
    static const char *const want[] = { "b", "e", "h", "k", "f", "j", "c", "d", "g", "a", "i" };
    for (int i = 0; i < 11; i++)
        ck_assert_uint_eq(chrono_entry(j, (uint32_t)i)->title,
                          names_hash_folded(want[i], (uint32_t)strlen(want[i])));
    journal_free(j);
}
END_TEST

/* A dated next's first word is a rung when it names one: whether the parser
 * kept the word's id (an early word) or resolve reads it back from the text
 * (a word first met after 32,766 other names: NEXT_WORD_FAR), from memory
 * or from a file, in one piece or in two halves. */
static void check_next_ranks(const struct journal *j, uint32_t n)
{
    static const unsigned want[] = { 1, 2, 0, 7, 0, 0 };
    ck_assert_uint_eq(j->nentries, n + 5);
    ck_assert_uint_eq(journal_entry(j, 0)->items[0].rank, want[0]);
    for (uint32_t k = 1; k < 5; k++) {
        const struct entry *e = j->entries[n + k - 1];
        ck_assert_uint_eq(e->nitems, 1);
        ck_assert_msg(e->items[0].rank == want[k], "entry %u: rank %u, want %u",
                      n + k - 1, (unsigned)e->items[0].rank, want[k]);
    }
    /* Past the last entry: a next with no first word. */
    ck_assert_uint_eq(journal_entry(j, n + 4)->items[0].rank, 0);
}

START_TEST(next_first_word_near_and_far)
{
    enum { N = 40000 };
    size_t cap = (size_t)N * 40 + 4096, len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len,
                            "2011-01-01 A\n    next 2011-01-05 intro  first\n");
    for (int i = 1; i < N; i++)
        len += (size_t)snprintf(t + len, cap - len, "2011-01-01 Client %05d\n", i);
    len += (size_t)snprintf(t + len, cap - len,
                            "2011-02-01 A\n    next 2011-03-01 meeting  present it\n"
                            "2011-02-02 A\n    next 2011-03-02 meetinh  a look-alike\n"
                            "2011-02-03 A\n    next 2011-03-03 proposal\n"
                            "2011-02-04 A\n    next 2011-03-04 x  no rung is this long\n"
                            "2011-02-05 A\n    next 2011-03-05\n");
    struct journal *j = lint_structure(t);
    check_next_ranks(j, N);
    journal_free(j);
    char path[] = "/tmp/ladder-next-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, t, len), (int)len);
    close(fd);
    for (int split = 0; split < 2; split++) {
        struct config cfg;
        config_init(&cfg, (struct date){ 2011, 6, 30, true });
        cfg.split = split ? 4096 : UINT32_MAX;
        const char *err = NULL;
        j = journal_lint(&cfg, path, path, -1, &err);
        ck_assert_ptr_nonnull(j);
        check_next_ranks(j, N);
        journal_free(j);
    }
    unlink(path);
    free(t);
}
END_TEST

START_TEST(settings_precedence)
{
    struct config cfg;
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    cfg.option[OPT_MAX_STEP] = 5;
    cfg.severity[R_DATE_ORDER] = SEV_ERROR;
    for (int r = R_FUTURE_HELD; r < R_COUNT; r++)
        cfg.severity[r] = SEV_OFF;
    const char *t = "option max-step 3\noption stall-after 4\nrule date-order off\n"
                    "rule duplicate-entry note\n2011-02-01 A\n2011-01-01 A\n";
    struct journal *j = journal_lint_bytes(&cfg, "t", t, strlen(t));
    ck_assert_int_eq(j->option[OPT_MAX_STEP], 5);       /* command line wins */
    ck_assert_int_eq(j->option[OPT_STALL_AFTER], 4);    /* directive */
    ck_assert_int_eq(j->option[OPT_DECLINE_AFTER], 2);  /* default */
    ck_assert_int_eq(j->severity[R_DATE_ORDER], SEV_ERROR);
    ck_assert_int_eq(j->severity[R_DUPLICATE_ENTRY], SEV_NOTE);
    ck_assert_uint_eq(j->diags.n, 1);
    ck_assert_int_eq(j->diags.v[0]->severity, SEV_ERROR);
    journal_free(j);
    ck_lints("option max-step 0\noption max-step x\noption strict maybe\n"
             "option nope 1\nrule no-ask loud\nrule nope off\n",
             "1:17:syntax 2:17:syntax 3:15:syntax 4:8:syntax 5:13:syntax 6:6:syntax");
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(includes)
{
    char dir[] = "/tmp/ladder-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char p[512], sub[512];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    snprintf(p, sizeof p, "%s/main.ladder", dir);
    write_file(p, "client Acme\n  alias a\ninclude sub/one.ladder\n"
                  "include missing.ladder\n2011-01-05 a\n");
    snprintf(p, sizeof p, "%s/sub/one.ladder", dir);
    write_file(p, "2011-01-01 a\n  ask intr\ninclude two.ladder\n");
    snprintf(p, sizeof p, "%s/sub/two.ladder", dir);
    write_file(p, "2011-01-03 Acme\ninclude one.ladder\n");
    snprintf(p, sizeof p, "%s/main.ladder", dir);
    struct config cfg;
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    for (int r = R_FUTURE_HELD; r < R_COUNT; r++)
        cfg.severity[r] = SEV_OFF;
    const char *err = NULL;
    struct journal *j = journal_lint(&cfg, p, p, -1, &err);
    ck_assert_ptr_nonnull(j);
    ck_assert_uint_eq(j->nfiles, 3);
    ck_assert_uint_eq(j->nentries, 3);
    /* Journal order puts included entries at their include line. */
    ck_assert_int_eq(journal_entry(j, 0)->date.day, 1);
    ck_assert_int_eq(journal_entry(j, 1)->date.day, 3);
    ck_assert_int_eq(journal_entry(j, 2)->date.day, 5);
    ck_assert_ptr_eq(entry_who(j, j->entries[0]), entry_who(j, j->entries[2]));
    ck_assert_uint_eq(j->diags.n, 3);
    /* Sorted by file name: main.ladder, then sub/one, then sub/two. */
    ck_assert_int_eq(j->diags.v[0]->rule, R_INCLUDE);
    ck_assert_uint_eq(diag_pos(&j->diags, j->diags.v[0]).line, 4);
    ck_assert_int_eq(j->diags.v[1]->rule, R_UNKNOWN_RUNG);
    ck_assert_ptr_nonnull(strstr(diag_src(&j->diags, j->diags.v[1])->name, "sub/one.ladder"));
    ck_assert_int_eq(j->diags.v[2]->rule, R_INCLUDE);           /* the cycle */
    ck_assert_ptr_nonnull(strstr(diag_src(&j->diags, j->diags.v[2])->name, "sub/two.ladder"));
    ck_assert_ptr_nonnull(strstr(diag_text(&j->diags, j->diags.v[2]), "cycle"));
    journal_free(j);
    /* An unreadable root is no journal: the caller exits 2. */
    j = journal_lint(&cfg, dir, dir, -1, &err);
    ck_assert_ptr_null(j);
    ck_assert_str_eq(err, "is a folder, not a journal");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(source_positions)
{
    struct arena *a = test_arena();
    struct source *s = source_from_bytes(a, "x", "\xEF\xBB\xBF" "ab\r\ncd\n\nef", 13);
    struct chunk c;
    int err = 0;
    while (source_next_chunk(s, &c, &err))
        ;
    source_end_read(s);
    ck_assert_uint_eq(s->nlines, 4);
    struct pos p = source_pos(s, 3);
    ck_assert_uint_eq(p.line, 1);
    ck_assert_uint_eq(p.col, 1);
    p = source_pos(s, 8);
    ck_assert_uint_eq(p.line, 2);
    ck_assert_uint_eq(p.col, 2);
    p = source_pos(s, 12);
    ck_assert_uint_eq(p.line, 4);
    ck_assert_uint_eq(p.col, 2);
    uint32_t len;
    const char *l = source_line(s, 1, &len);
    ck_assert_uint_eq(len, 2);                      /* no CR, no BOM */
    ck_assert_int_eq(strncmp(l, "ab", 2), 0);
    source_line(s, 3, &len);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(path_dir(a, "a/b/c.ladder"), "a/b");
    ck_assert_str_eq(path_dir(a, "c.ladder"), "");
    ck_assert_str_eq(path_dir(a, "/c.ladder"), "/");
    source_release(s);
    test_arena_free(a);
}
END_TEST

START_TEST(diagnostics_sorted_and_one_syntax_per_line)
{
    ck_lints("2011-01-02 A\n  ask x\n2011-01-01 A\n  ask intro -> maybe \xff\n  ask y\n",
             "2:7:unknown-rung 3:1:date-order 4:16:syntax 5:7:unknown-rung");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("resolve");
    TCase *tc = tcase_create("resolve");
    tcase_add_test(tc, aliases_and_names);
    tcase_add_test(tc, strict_clients);
    tcase_add_test(tc, entries_are_the_nodes);
    tcase_add_test(tc, alias_collisions);
    tcase_add_test(tc, rungs_and_ladder);
    tcase_add_test(tc, bad_dates);
    tcase_add_test(tc, date_order_per_file);
    tcase_add_test(tc, duplicate_entries);
    tcase_add_test(tc, duplicate_title_hash_collision);
    tcase_add_test(tc, chronology);
    tcase_add_test(tc, chronology_orders);
    tcase_add_test(tc, chronology_extreme_dates);
    tcase_add_test(tc, suggestions_up_to_5000_names);
    tcase_add_test(tc, next_first_word_near_and_far);
    tcase_add_test(tc, settings_precedence);
    tcase_add_test(tc, includes);
    tcase_add_test(tc, source_positions);
    tcase_add_test(tc, diagnostics_sorted_and_one_syntax_per_line);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
