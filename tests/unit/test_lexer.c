/* test_lexer.c - every token kind of the scanner, with its byte span. */
#include "testutil.h"

#include "arena.h"
#include "parse.h"
#include "parser.h"
#include "lexer.h"

struct tok {
    int kind;
    uint32_t start, end;
};

/* Scan text; return the number of tokens written to out (YYerror included). */
static int scan(const char *text, struct tok *out, int max, uint32_t *ndiags)
{
    struct arena *a = test_arena();
    struct diag_list dl;
    diag_init(&dl, a);
    struct source *src = source_from_bytes(a, "t.ladder", text, strlen(text));
    struct file f = { 0 };
    f.src = src;
    struct parse_ctx ctx = { 0 };
    ctx.arena = a;
    ctx.src = src;
    ctx.diags = &dl;
    ctx.file = &f;
    yyscan_t sc;
    ck_assert_int_eq(yylex_init_extra(&ctx, &sc), 0);
    int n = 0;
    ck_assert(parse_next_chunk(&ctx, sc) || !*text);
    for (;;) {
        YYSTYPE v;
        YYLTYPE l;
        int k = yylex(&v, &l, sc);
        if (k == 0 || n == max)
            break;
        out[n++] = (struct tok){ k, l.start, l.end };
    }
    yy_delete_buffer(ctx.buffer, sc);
    yylex_destroy(sc);
    source_release(src);
    *ndiags = dl.n;
    diag_free(&dl);
    test_arena_free(a);
    return n;
}

#define EXPECT(text, ...) do {                                          \
        const struct tok want_[] = { __VA_ARGS__ };                     \
        struct tok got_[64];                                            \
        uint32_t nd_;                                                   \
        int n_ = scan(text, got_, 64, &nd_);                            \
        int w_ = (int)(sizeof want_ / sizeof want_[0]);                 \
        ck_assert_int_eq(n_, w_);                                       \
        for (int i_ = 0; i_ < n_; i_++) {                               \
            ck_assert_msg(got_[i_].kind == want_[i_].kind &&            \
                          got_[i_].start == want_[i_].start &&          \
                          got_[i_].end == want_[i_].end,                \
                          "token %d: got kind %d [%u,%u), want %d [%u,%u)", \
                          i_, got_[i_].kind, got_[i_].start, got_[i_].end, \
                          want_[i_].kind, want_[i_].start, want_[i_].end); \
        }                                                               \
    } while (0)

START_TEST(header_tokens)
{
    /*        0         1         2         3
     *        0123456789012345678901234567890123456 */
    EXPECT("2011-02-14 09:30 * (call) Acme Corp | First call\n",
           { DATE, 0, 10 }, { TIME, 11, 16 }, { STATUS, 17, 18 },
           { KIND, 19, 25 }, { WORD, 26, 35 },
           { PIPE, 36, 37 }, { WORD, 38, 48 }, { EOL, 48, 49 });
}
END_TEST

START_TEST(header_text_is_not_classified)
{
    /* After the client name starts, "(x)" and "*" are text; '|' in a
     * title is text.  A name and a title are one token each. */
    EXPECT("2011-2-3 Acme (EU) * | a | b\n",
           { DATE, 0, 8 }, { WORD, 9, 20 },
           { PIPE, 21, 22 }, { WORD, 23, 28 }, { EOL, 28, 29 });
}
END_TEST

START_TEST(item_tokens)
{
    const char *t =
        "2011-01-01 A\n"                    /* 0..12 */
        "  plan intro x\n"                  /* 13: plan at 15 */
        "  ask meeting y -> b -> yes ; c\n" /* 28 */
        "  next 2011-01-02 10:00 needs z\n" /* 60 */
        "  next none\n"                     /* 92 */
        "  next later maybe\n"              /* 104 */
        "  got visit\n"                     /* 123 */
        "  gave\n"                          /* 135 */
        "  note n\n";                       /* 142 */
    EXPECT(t,
           { DATE, 0, 10 }, { WORD, 11, 12 }, { EOL, 12, 13 },
           { IND_ENTRY, 13, 15 }, { K_PLAN, 15, 19 }, { WORD, 20, 25 }, { WORD, 26, 27 }, { EOL, 27, 28 },
           { IND_ENTRY, 28, 30 }, { K_ASK, 30, 33 }, { WORD, 34, 41 },
           { WORD, 42, 48 }, { OUTCOME, 49, 55 }, { EOL, 59, 60 },
           { IND_ENTRY, 60, 62 }, { K_NEXT, 62, 66 }, { DATE, 67, 77 }, { TIME, 78, 83 },
           { WORD, 84, 91 }, { EOL, 91, 92 },
           { IND_ENTRY, 92, 94 }, { K_NEXT, 94, 98 }, { K_NONE, 99, 103 }, { EOL, 103, 104 },
           { IND_ENTRY, 104, 106 }, { K_NEXT, 106, 110 }, { WORD, 111, 122 }, { EOL, 122, 123 },
           { IND_ENTRY, 123, 125 }, { K_GOT, 125, 128 }, { WORD, 129, 134 }, { EOL, 134, 135 },
           { IND_ENTRY, 135, 137 }, { K_GAVE, 137, 141 }, { EOL, 141, 142 },
           { IND_ENTRY, 142, 144 }, { K_NOTE, 144, 148 }, { WORD, 149, 150 }, { EOL, 150, 151 });
}
END_TEST

START_TEST(name_and_next_text_are_one_token)
{
    /* A client name's first word, and the first word of a next's text
     * (after 'next' or its date), are scanned again as the start of one
     * run: one token from the name's first byte, blanks inside kept. */
    EXPECT("2011-01-01 * Acme  Corp |t\n"
           "  next 2011-01-02 call them  back\n"
           "  next call  them\n",
           { DATE, 0, 10 }, { STATUS, 11, 12 }, { WORD, 13, 23 },
           { PIPE, 24, 25 }, { WORD, 25, 26 }, { EOL, 26, 27 },
           { IND_ENTRY, 27, 29 }, { K_NEXT, 29, 33 }, { DATE, 34, 44 },
           { WORD, 45, 60 }, { EOL, 60, 61 },
           { IND_ENTRY, 61, 63 }, { K_NEXT, 63, 67 }, { WORD, 68, 78 },
           { EOL, 78, 79 });
}
END_TEST

START_TEST(blanks_fold_into_tokens)
{
    /* Within a line a token's match takes the blanks before it (one, two
     * or more; spaces or tabs), and a run's the blanks after it: the
     * spans are the tokens' own, the end of the line's is its LF or CRLF,
     * a lone CR's is the CR. */
    EXPECT("2011-01-01 *\t(x)  Acme  Co\t |  A  b ; c\n"
           "  ask   r\t-> yes  ; c \r\n"
           "  plan x  y \t\n"
           "  next  2011-01-02\t 10:00   go on\n"
           "  got \tz  \r\n"
           "  note a\tb   \r",
           { DATE, 0, 10 }, { STATUS, 11, 12 }, { KIND, 13, 16 },
           { WORD, 18, 26 }, { PIPE, 28, 29 }, { WORD, 31, 35 }, { EOL, 39, 40 },
           { IND_ENTRY, 40, 42 }, { K_ASK, 42, 45 }, { WORD, 48, 49 },
           { OUTCOME, 50, 56 }, { EOL, 62, 64 },
           { IND_ENTRY, 64, 66 }, { K_PLAN, 66, 70 }, { WORD, 71, 72 },
           { WORD, 74, 75 }, { EOL, 77, 78 },
           { IND_ENTRY, 78, 80 }, { K_NEXT, 80, 84 }, { DATE, 86, 96 },
           { TIME, 98, 103 }, { WORD, 106, 111 }, { EOL, 111, 112 },
           { IND_ENTRY, 112, 114 }, { K_GOT, 114, 117 }, { WORD, 119, 120 },
           { EOL, 122, 124 },
           { IND_ENTRY, 124, 126 }, { K_NOTE, 126, 130 }, { WORD, 131, 134 },
           { YYerror, 137, 138 }, { EOL, 138, 138 });
}
END_TEST

START_TEST(ask_text_and_outcome)
{
    /* Text after an ask's rung is one token; the outcome is the first word
     * after the last "->" that starts a word, glued or not; a remark may
     * follow it (no token).  An unknown word is still an OUTCOME (with a
     * diagnostic: see errors_are_tokens). */
    const char *t =
        "2011-01-01 A\n"                 /* 0..12 */
        "  ask intro -> yes\n"           /* 13: ask 15, intro 19, -> 25 */
        "  ask intro a ->no  ;c\n"       /* 32: a 44, ->no 46 */
        "  ask intro a -> b c\n"         /* 55: a 67, -> b 69..73 */
        "  ask intro a -> later, x\n"    /* 76: a 88, -> later 90..98 */
        "  ask intro ->\n"               /* 102: "->" alone is text 114..116 */
        "  ask intro a->b -> no: x->y\n"; /* 117: a->b 129..133, -> no 134..139 */
    EXPECT(t,
           { DATE, 0, 10 }, { WORD, 11, 12 }, { EOL, 12, 13 },
           { IND_ENTRY, 13, 15 }, { K_ASK, 15, 18 }, { WORD, 19, 24 },
           { OUTCOME, 25, 31 }, { EOL, 31, 32 },
           { IND_ENTRY, 32, 34 }, { K_ASK, 34, 37 }, { WORD, 38, 43 },
           { WORD, 44, 45 }, { OUTCOME, 46, 50 }, { EOL, 54, 55 },
           { IND_ENTRY, 55, 57 }, { K_ASK, 57, 60 }, { WORD, 61, 66 },
           { WORD, 67, 68 }, { OUTCOME, 69, 73 }, { EOL, 75, 76 },
           { IND_ENTRY, 76, 78 }, { K_ASK, 78, 81 }, { WORD, 82, 87 },
           { WORD, 88, 89 }, { OUTCOME, 90, 98 }, { EOL, 101, 102 },
           { IND_ENTRY, 102, 104 }, { K_ASK, 104, 107 }, { WORD, 108, 113 },
           { WORD, 114, 116 }, { EOL, 116, 117 },
           { IND_ENTRY, 117, 119 }, { K_ASK, 119, 122 }, { WORD, 123, 128 },
           { WORD, 129, 133 }, { OUTCOME, 134, 139 }, { EOL, 145, 146 });
}
END_TEST

START_TEST(directive_tokens)
{
    const char *t =
        "ladder\n"              /* 0 */
        "\tintro Hi\n"          /* 7 */
        "client Acme\n"         /* 17 */
        " alias a\n"            /* 29 */
        "option max-step 3\n"   /* 38 */
        "rule no-ask off\n"     /* 56 */
        "include x.ladder";     /* 72, no final line feed */
    EXPECT(t,
           { D_LADDER, 0, 6 }, { EOL, 6, 7 },
           { IND_LADDER, 7, 8 }, { WORD, 8, 13 }, { WORD, 14, 16 }, { EOL, 16, 17 },
           { D_CLIENT, 17, 23 }, { WORD, 24, 28 }, { EOL, 28, 29 },
           { IND_CLIENT, 29, 30 }, { K_ALIAS, 30, 35 }, { WORD, 36, 37 }, { EOL, 37, 38 },
           { D_OPTION, 38, 44 }, { WORD, 45, 53 }, { WORD, 54, 55 }, { EOL, 55, 56 },
           { D_RULE, 56, 60 }, { WORD, 61, 67 }, { WORD, 68, 71 }, { EOL, 71, 72 },
           { D_INCLUDE, 72, 79 }, { WORD, 80, 88 }, { EOL, 88, 88 });
}
END_TEST

START_TEST(comments_and_blanks_vanish)
{
    EXPECT("; c\n# c\n   \n\n  ; indented\n2011-01-01 A#b ;c\n",
           { DATE, 26, 36 }, { WORD, 37, 40 }, { EOL, 43, 44 });
}
END_TEST

START_TEST(bom_and_crlf)
{
    EXPECT("\xEF\xBB\xBF" "2011-01-01 A\r\n",
           { DATE, 3, 13 }, { WORD, 14, 15 }, { EOL, 15, 17 });
}
END_TEST

START_TEST(errors_are_tokens)
{
    uint32_t nd;
    struct tok t[16];
    /* A bad column-1 word, a lone CR, a NUL, invalid UTF-8: each is
     * YYerror with a diagnostic. */
    static const char *const bad[] = {
        "2011-1 A\n", "foo\n", "\r", "2011-01-01 A\x01\xff\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int n = scan(bad[i], t, 16, &nd);
        int errs = 0;
        for (int k = 0; k < n; k++)
            errs += t[k].kind == YYerror;
        ck_assert_msg(errs == 1 && nd == 1, "case %zu: %d errors, %u diags", i, errs, nd);
    }
    /* An unknown outcome is reported, and is still an outcome (none): the
     * ask stays an ask. */
    int n = scan("2011-01-01 A\n ask intro -> maybe, x\n", t, 16, &nd);
    ck_assert_int_eq(nd, 1);
    ck_assert_int_eq(n, 8);
    ck_assert_int_eq(t[6].kind, OUTCOME);
    /* A NUL inside a word. */
    const char nul[] = "2011-01-01 A\0B\n";
    struct arena *a = test_arena();
    struct config cfg;
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    struct journal *j = journal_lint_bytes(&cfg, "t", nul, sizeof nul - 1);
    ck_assert_uint_eq(j->diags.n, 1);
    ck_assert_uint_eq(diag_pos(&j->diags, j->diags.v[0]).col, 13);
    journal_free(j);
    /* A NUL or a bad byte deep in a long word, and in a comment. */
    const char longnul[] = "2011-01-01 Abcdefghijklmno\0pq ; x\n; abcdefghijk\xc3\x28\n";
    j = journal_lint_bytes(&cfg, "t", longnul, sizeof longnul - 1);
    ck_assert_uint_eq(j->diags.n, 2);
    ck_assert_uint_eq(diag_pos(&j->diags, j->diags.v[0]).col, 27);
    ck_assert_uint_eq(diag_pos(&j->diags, j->diags.v[1]).line, 2);
    ck_assert_uint_eq(diag_pos(&j->diags, j->diags.v[1]).col, 14);
    journal_free(j);
    test_arena_free(a);
}
END_TEST

START_TEST(indented_line_without_block)
{
    uint32_t nd;
    struct tok t[8];
    int n = scan("  plan intro\n", t, 8, &nd);
    ck_assert_int_ge(n, 1);
    ck_assert_int_eq(t[0].kind, YYerror);
    ck_assert_uint_eq(nd, 1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("tokens");
    tcase_add_test(tc, header_tokens);
    tcase_add_test(tc, header_text_is_not_classified);
    tcase_add_test(tc, item_tokens);
    tcase_add_test(tc, name_and_next_text_are_one_token);
    tcase_add_test(tc, blanks_fold_into_tokens);
    tcase_add_test(tc, ask_text_and_outcome);
    tcase_add_test(tc, directive_tokens);
    tcase_add_test(tc, comments_and_blanks_vanish);
    tcase_add_test(tc, bom_and_crlf);
    tcase_add_test(tc, errors_are_tokens);
    tcase_add_test(tc, indented_line_without_block);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
