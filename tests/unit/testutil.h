/* testutil.h - helpers shared by the Check unit tests. */
#ifndef LADDER_TESTUTIL_H
#define LADDER_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "journal.h"
#include "names.h"

/* An arena on its own memory handle, for tests of the lower modules; an
 * allocation failure in a test has nowhere to go, which is fine. */
static inline struct arena *test_arena(void)
{
    struct mem *m = mem_new(NULL);
    ck_assert_ptr_nonnull(m);
    return arena_new(m);
}

static inline void test_arena_free(struct arena *a)
{
    struct mem *m = arena_mem(a);
    arena_free(a);
    mem_free(m);
}

/* Lint text as a journal named t.ladder, with today 2011-06-30 and the
 * default settings. */
static inline struct journal *lint_text(const char *text)
{
    static struct config cfg;       /* outlives the journal; tests are serial */
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    return journal_lint_bytes(&cfg, "t.ladder", text, strlen(text));
}

/* The same with only the structural rules (syntax .. duplicate-entry) on. */
static inline struct journal *lint_structure(const char *text)
{
    static struct config cfg;
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    for (int r = R_FUTURE_HELD; r < R_COUNT; r++)
        cfg.severity[r] = SEV_OFF;
    return journal_lint_bytes(&cfg, "t.ladder", text, strlen(text));
}

/* The diagnostics of a journal as "LINE:COL:RULE" lines, one string. */
static inline char *diag_summary(const struct journal *j)
{
    size_t cap = 64 + (size_t)j->diags.n * 48, len = 0;
    char *s = malloc(cap);
    s[0] = '\0';
    for (uint32_t i = 0; i < j->diags.n; i++) {
        const struct diag *d = j->diags.v[i];
        struct pos p = diag_pos(&j->diags, d);
        len += (size_t)snprintf(s + len, cap - len, "%s%u:%u:%s", i ? " " : "",
                                p.line, p.col, rule_table[d->rule].id);
    }
    return s;
}

/* Assert that text lints to exactly `want` ("LINE:COL:RULE ...") under
 * the structural rules. */
#define ck_lints(text, want) do {                                   \
        struct journal *j_ = lint_structure(text);                  \
        char *got_ = diag_summary(j_);                              \
        ck_assert_str_eq(got_, want);                               \
        free(got_);                                                 \
        journal_free(j_);                                           \
    } while (0)

/* Run a suite as Check's environment says (CK_RUN_SUITE, CK_RUN_CASE,
 * CK_FORK=no) and turn the result into main's exit status. */
static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
