/* test_diag.c - the deferred formatter of diagnostic messages: the same
 * bytes as snprintf for every conversion it knows, snprintf itself for the
 * rest, and arguments copied when reported. */
#include "testutil.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "source.h"

/* Pack fmt's arguments, render them, and compare with vsnprintf. */
__attribute__((format(printf, 1, 2)))
static void same(const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    char want[2048];
    va_copy(aq, ap);
    int w = vsnprintf(want, sizeof want, fmt, aq);
    va_end(aq);
    ck_assert(w >= 0 && (size_t)w < sizeof want);
    va_copy(aq, ap);
    size_t n = diag_fmt_size(fmt, aq);
    va_end(aq);
    ck_assert_msg(n != SIZE_MAX, "\"%s\" is not supported", fmt);
    unsigned char *args = malloc(n ? n : 1);    /* exactly n: ASan sees overruns */
    va_copy(aq, ap);
    diag_fmt_pack(args, fmt, aq);
    va_end(aq);
    va_end(ap);
    struct arena *a = test_arena();
    struct diag_list l;
    diag_init(&l, a);
    const char *got = diag_fmt_render(&l, fmt, args);
    ck_assert_msg(strcmp(got, want) == 0, "\"%s\": got \"%s\", want \"%s\"",
                  fmt, got, want);
    free(args);
    diag_free(&l);
    test_arena_free(a);
}

/* The size of fmt's packed arguments (SIZE_MAX: a conversion the
 * formatter does not know). */
__attribute__((format(printf, 1, 2)))
static size_t packed(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = diag_fmt_size(fmt, ap);
    va_end(ap);
    return n;
}

/* Is a conversion of fmt unknown to the formatter? */
#define unsupported(...) (packed(__VA_ARGS__) == SIZE_MAX)

START_TEST(integers)
{
    const int ints[] = { 0, 1, -1, 7, -7, 9, 10, 12, -12, 99, 100, 123, -123,
                         2011, 12345, -12345, INT_MAX, INT_MIN, INT_MIN + 1 };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        int v = ints[i];
        same("%d", v);
        same("%i", v);
        same("%02d", v);
        same("%04d", v);
        same("%-4d|", v);
        same("%5d", v);
        same("%012d", v);
        same("[%d-%02d-%02d]", v, v, v);
    }
    const unsigned uns[] = { 0, 1, 7, 9, 10, 15, 16, 0x7f, 0x80, 0xab, 0xff,
                             0x100, 65535, INT_MAX, (unsigned)INT_MAX + 1,
                             UINT32_MAX - 1, UINT32_MAX };
    for (size_t i = 0; i < sizeof uns / sizeof uns[0]; i++) {
        unsigned v = uns[i];
        same("%u", v);
        same("%02u", v);
        same("%x", v);
        same("%02x", v);
        same("%X", v);
        same("%08X", v);
        same("%-6x|", v);
        same("0x%02x.", v);
    }
    const long longs[] = { 0, 1, -1, 365, -365, INT_MAX, (long)INT_MAX + 1,
                           INT_MIN, (long)INT_MIN - 1, LONG_MAX, LONG_MIN,
                           LONG_MIN + 1 };
    for (size_t i = 0; i < sizeof longs / sizeof longs[0]; i++) {
        long v = longs[i];
        same("%ld", v);
        same("%02ld", v);
        same("%-3ld|", v);
        same("(%ld %s ago)", v, v == 1 ? "day" : "days");
        same("%lu", (unsigned long)v);
        same("%lx", (unsigned long)v);
        same("%016lX", (unsigned long)v);
    }
    /* Bytes as parse.c passes them: an unsigned char promoted to int. */
    for (int b = 0; b < 256; b++)
        same("invalid UTF-8 byte 0x%02x: a journal is UTF-8 text", (unsigned char)b);
}
END_TEST

START_TEST(strings_and_characters)
{
    /* Dates are packed as numbers (STR_DATE): the same text back, and
     * look-alikes as they are. */
    const char *strs[] = { "", "a", "Acme Corp", "caf\xc3\xa9", "\xff\xfe\x80",
                           "\xe2\x80\x99quoted\xe2\x80\x99", "%d %s %%", "tab\there",
                           "2011-02-14", "0000-00-00", "9999-99-99", "0101-09-30",
                           "2011-02-1x", "2011/02/14", "2011-02-145", "2011-2-14",
                           "-011-02-14", "2011-02-14 ", " 2011-02-14", "20110214xx",
                           "2011-\xc3\xa9-14" };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        const char *s = strs[i];
        same("%s", s);
        same("'%s'", s);
        same("%5s|", s);
        same("%-5s|", s);
        same("%s%s%s", s, "", s);
        same("unknown rung '%s'; did you mean '%s'?", s, "intro");
    }
    char big[1500];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[700] = '\xc3';
    same("long: %s (%u)", big, 7u);                 /* grows the buffer */
    same("%c%c%c", 'a', 0xe9, '%');
    same("%3c|%-3c|", 'z', 'y');
    same("100%% done, %d%%", 50);
    same("no conversions at all");
    same("%s %s (rank %d) at %s climbs %d rungs; max-step is %d: ask for %s first",
         "asking", "Acme Corp", 7, "level 1 (intro)", 6, 2, "demo");
    same("%04d-%02d-%02d is before %04d-%02d-%02d, the date of the entry above it (line %u)",
         2011, 3, 1, 2011, 12, 31, 42u);
}
END_TEST

START_TEST(unknown_conversions)
{
    ck_assert(unsupported("%f", 1.5));
    ck_assert(unsupported("%5.2f", 1.5));
    ck_assert(unsupported("%.3s", "abcdef"));
    ck_assert(unsupported("%*d", 3, 4));
    ck_assert(unsupported("%+d", 4));
    ck_assert(unsupported("% d", 4));
    ck_assert(unsupported("%#x", 4u));
    ck_assert(unsupported("%lld", 4ll));
    ck_assert(unsupported("%hd", (short)4));
    ck_assert(unsupported("%zu", (size_t)4));
    ck_assert(unsupported("%p", (void *)0));
    ck_assert(unsupported("%ls", L"wide"));
    ck_assert(unsupported("%d then %e", 1, 2.0));
    ck_assert(!unsupported("%d then %s", 1, "x"));
}
END_TEST

/* A source of one line, read, for diag_report. */
static struct source *one_line_named(struct arena *a, const char *name)
{
    static const char text[] = "2011-01-01 Acme Corp\n";
    struct source *s = source_from_bytes(a, name, text, sizeof text - 1);
    struct chunk c;
    int err = 0;
    while (source_next_chunk(s, &c, &err))
        ;
    source_end_read(s);
    return s;
}

static struct source *one_line(struct arena *a)
{
    return one_line_named(a, "t.ladder");
}

/* Report with a conversion the formatter does not know: snprintf's text. */
#define EAGER(l, src, ...) do {                                              \
        char want_[256];                                                     \
        snprintf(want_, sizeof want_, __VA_ARGS__);                          \
        struct diag *d_ = diag_report(l, R_BAD_DATE, src,                    \
                                      (struct span){ 0, 4 }, __VA_ARGS__);   \
        diag_note(l, d_, src, 2, __VA_ARGS__);                               \
        ck_assert_str_eq(diag_text(l, d_), want_);                           \
        ck_assert_str_eq(diag_note_text(l, diag_notes(l, d_)), want_);               \
    } while (0)

START_TEST(report_and_render)
{
    /* A record is 16 bytes before its arguments (a noisy journal has more
     * than one a call). */
    ck_assert_uint_le(offsetof(struct diag, args), 16);
    struct arena *a = test_arena();
    struct source *src = one_line(a);
    struct diag_list l;
    diag_init(&l, a);

    /* %s arguments are copied: the caller's buffer may change. */
    char tmp[32];
    strcpy(tmp, "2011-02-14");
    struct diag *d = diag_report(&l, R_STALLED, src, (struct span){ 11, 20 },
                                 "%u held calls with %s (since %s)", 3u, "Acme Corp", tmp);
    strcpy(tmp, "XXXXXXXXXX");
    diag_note(&l, d, src, 0, "first note %s, rank %d", tmp, -2);
    strcpy(tmp, "2011-02-15");
    diag_note(&l, d, src, 11, "second note %s", tmp);
    memset(tmp, 0, sizeof tmp);
    ck_assert_str_eq(diag_text(&l, d), "3 held calls with Acme Corp (since 2011-02-14)");
    ck_assert_uint_eq(diag_pos(&l, d).line, 1);
    ck_assert_uint_eq(diag_pos(&l, d).col, 12);
    ck_assert_uint_eq(diag_end_col(d, diag_pos(&l, d)), 21);
    ck_assert_int_eq(d->rule, R_STALLED);
    ck_assert_ptr_eq(diag_src(&l, d), src);
    ck_assert_ptr_null(diag_fixes(&l, d));
    const struct note *n = diag_notes(&l, d);
    ck_assert_ptr_nonnull(n);
    ck_assert_str_eq(diag_note_text(&l, n), "first note XXXXXXXXXX, rank -2");
    ck_assert_uint_eq(n->pos.col, 1);
    n = n->link;
    ck_assert_ptr_nonnull(n);
    ck_assert_str_eq(diag_note_text(&l, n), "second note 2011-02-15");
    ck_assert_uint_eq(n->pos.col, 12);
    ck_assert_ptr_null(n->link);
    /* The end is clipped to the line. */
    d = diag_report(&l, R_SYNTAX, src, (struct span){ 15, 400 }, "%s", "clipped");
    ck_assert_uint_eq(diag_end_col(d, diag_pos(&l, d)), 21);
    ck_assert_ptr_null(diag_report(&l, R_SYNTAX, src, (struct span){ 3, 4 },
                                   "a second syntax error on line %d", 1));

    EAGER(&l, src, "%5.2f and %s", 3.14159, "pi");
    EAGER(&l, src, "%.3s|%+d|%#x|%lld", "abcdef", 5, 255u, -9ll);
    EAGER(&l, src, "%*d|%-*s|", 6, -42, 4, "ab");
    EAGER(&l, src, "%d then %e", INT_MIN, 0.5);
    ck_assert_str_eq(diag_fmt(&l, l.v[l.n - 1]), "%s");

    ck_assert_uint_eq(l.n, 6);
    ck_assert_str_eq(diag_text(&l, l.v[0]), "3 held calls with Acme Corp (since 2011-02-14)");
    ck_assert_str_eq(diag_text(&l, l.v[1]), "clipped");
    ck_assert_ptr_null(diag_notes(&l, l.v[1]));
    diag_free(&l);
    source_release(src);
    test_arena_free(a);
}
END_TEST

/* Arguments too long for the stack buffer are packed in the arena; the
 * text's length comes with it. */
START_TEST(long_arguments)
{
    struct arena *a = test_arena();
    struct source *src = one_line(a);
    struct diag_list l;
    diag_init(&l, a);
    char big[700], want[800];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    big[100] = 'y';
    snprintf(want, sizeof want, "%d [%s] %u", -5, big, 7u);
    struct diag *d = diag_report(&l, R_STALLED, src, (struct span){ 0, 4 },
                                 "%d [%s] %u", -5, big, 7u);
    memset(big, 0, sizeof big);
    ck_assert_str_eq(diag_text(&l, d), want);
    ck_assert_uint_eq(diag_text_len(&l), strlen(want));
    d = diag_report(&l, R_STALLED, src, (struct span){ 0, 4 }, "short %s", "one");
    ck_assert_str_eq(diag_text(&l, d), "short one");
    ck_assert_uint_eq(diag_text_len(&l), 9);
    /* A long string in the list's arena is referred to, not copied: the
     * record is smaller than the text, which comes out the same. */
    const char *owned = arena_strdup(a, "Highland Hospitality Cooperative of the North");
    char stack[64];
    strcpy(stack, "Pinecrest Freight Holdings and Partners");
    d = diag_report(&l, R_STALLED, src, (struct span){ 0, 4 }, "%s|%-50s|%s|%s", owned,
                    owned, stack, owned);
    strcpy(stack, "changed");
    ck_assert_str_eq(diag_text(&l, d), "Highland Hospitality Cooperative of the North|"
                     "Highland Hospitality Cooperative of the North     |"
                     "Pinecrest Freight Holdings and Partners|"
                     "Highland Hospitality Cooperative of the North");
    struct diag *next = diag_report(&l, R_STALLED, src, (struct span){ 0, 4 }, "x");
    ck_assert_int_lt((const char *)next - (const char *)d, 160);
    diag_note(&l, d, src, 1, "note on %s", owned);
    ck_assert_str_eq(diag_note_text(&l, diag_notes(&l, d)),
                     "note on Highland Hospitality Cooperative of the North");
    diag_free(&l);
    source_release(src);
    test_arena_free(a);
}
END_TEST

/* A message says whether it is all printable ASCII (printers then copy it
 * as it is): the format and every string and character put in it count,
 * numbers never need escaping. */
START_TEST(plain_flag)
{
    struct arena *a = test_arena();
    struct source *src = one_line(a);
    struct diag_list l;
    diag_init(&l, a);
    static const char *const fmts[] = { "%s has %d calls (%c)", "%s \u00e9t\u00e9 %u",
                                        "tab\there %s" };
    struct { int fmt; const char *s; int c; bool plain; } cases[] = {
        { 0, "Acme Corp", 'x', true },
        { 0, "Zo\xc3\xab", 'x', false },      /* UTF-8 in a name */
        { 0, "A\x01B", 'x', false },           /* a control in a name */
        { 0, "Acme", '\x7f', false },          /* DEL as a character */
        { 1, "Acme", 0, false },               /* UTF-8 in the format */
        { 2, "Acme", 0, false },               /* a tab in the format */
        { 0, "Acme Corp", 'y', true },         /* the format remembered */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct diag *d = cases[i].fmt == 0
            ? diag_report(&l, R_STALLED, src, (struct span){ 0, 1 }, "%s has %d calls (%c)",
                          cases[i].s, -3, cases[i].c)
            : cases[i].fmt == 1
            ? diag_report(&l, R_STALLED, src, (struct span){ 0, 1 }, "%s \u00e9t\u00e9 %u",
                          cases[i].s, 7u)
            : diag_report(&l, R_STALLED, src, (struct span){ 0, 1 }, "tab\there %s", cases[i].s);
        ck_assert_ptr_nonnull(d);
        diag_text(&l, d);
        ck_assert_msg(diag_text_plain(&l) == cases[i].plain, "case %zu (%s)", i,
                      fmts[cases[i].fmt]);
    }
    diag_free(&l);
    source_release(src);
    test_arena_free(a);
}
END_TEST

/* The report order of a diagnostic made by finish_sorts ("d%u"). */
static unsigned report_order(struct diag_list *l, const struct diag *d)
{
    unsigned k = 0;
    ck_assert_int_eq(sscanf(diag_text(l, d), "d%u", &k), 1);
    return k;
}

/* diag_finish sorts by column, then rule, then report order (the sort is
 * stable): many diagnostics in no order (the merge sort's blocks, and
 * merges with the left and with the right run set aside: 300 is 256 and
 * 44), and a list in order already. */
START_TEST(finish_sorts)
{
    enum severity sev[R_COUNT];
    for (int r = 0; r < R_COUNT; r++)
        sev[r] = SEV_WARNING;
    for (int scrambled = 0; scrambled < 2; scrambled++) {
        struct arena *a = test_arena();
        struct source *src = one_line(a);
        struct diag_list l;
        diag_init(&l, a);
        for (uint32_t i = 0; i < 300; i++) {
            uint32_t col = scrambled ? (i * 37) % 19 : i / 16;
            enum rule_id rule = scrambled && i % 3 ? R_STALLED : R_BAD_DATE;
            diag_report(&l, rule, src, (struct span){ col, col + 1 }, "d%u", i);
        }
        diag_finish(&l, sev);
        ck_assert_uint_eq(l.n, 300);
        for (uint32_t i = 1; i < l.n; i++) {
            const struct diag *x = l.v[i - 1], *y = l.v[i];
            unsigned xo = report_order(&l, x), yo = report_order(&l, y);
            uint32_t xc = diag_pos(&l, x).col, yc = diag_pos(&l, y).col;
            bool before = xc != yc ? xc < yc : x->rule != y->rule ? x->rule < y->rule
                        : xo < yo;
            ck_assert_msg(before, "%u: col %u rule %d order %u before col %u rule %d order %u",
                          i, xc, x->rule, xo, yc, y->rule, yo);
        }
        diag_free(&l);
        source_release(src);
        test_arena_free(a);
    }
}
END_TEST

/* Each diagnostic knows its source, also when two sources of one list
 * have the same index (not in a journal, but the list must not care), and
 * they sort by name. */
START_TEST(sources)
{
    enum severity sev[R_COUNT];
    for (int r = 0; r < R_COUNT; r++)
        sev[r] = SEV_WARNING;
    struct arena *a = test_arena();
    struct source *s[3] = { one_line_named(a, "c.ladder"), one_line_named(a, "a.ladder"),
                            one_line_named(a, "b.ladder") };
    s[0]->index = 5;                /* a slot beyond the table */
    s[1]->index = 5;                /* taken: found or added after it */
    s[2]->index = 0;
    struct diag_list l;
    diag_init(&l, a);
    struct diag *d[9];
    for (uint32_t i = 0; i < 9; i++)
        d[i] = diag_report(&l, R_STALLED, s[i % 3], (struct span){ 9 - i, 10 - i },
                           "d%u", i);
    for (uint32_t i = 0; i < 9; i++)
        ck_assert_ptr_eq(diag_src(&l, d[i]), s[i % 3]);
    ck_assert_uint_eq(diag_file(d[0]), 5);
    ck_assert_uint_eq(diag_file(d[2]), 0);
    ck_assert_uint_eq(diag_file(d[1]), 6);
    ck_assert_uint_eq(l.nsrcv, 7);
    diag_finish(&l, sev);
    static const char *const want[9][2] = {
        { "a.ladder", "d7" }, { "a.ladder", "d4" }, { "a.ladder", "d1" },
        { "b.ladder", "d8" }, { "b.ladder", "d5" }, { "b.ladder", "d2" },
        { "c.ladder", "d6" }, { "c.ladder", "d3" }, { "c.ladder", "d0" },
    };
    ck_assert_uint_eq(l.n, 9);
    for (uint32_t i = 0; i < 9; i++) {
        ck_assert_str_eq(diag_src(&l, l.v[i])->name, want[i][0]);
        ck_assert_str_eq(diag_text(&l, l.v[i]), want[i][1]);
    }
    diag_free(&l);
    for (int k = 0; k < 3; k++)
        source_release(s[k]);
    test_arena_free(a);
}
END_TEST

/* A diagnostic names its format by an index into its list's table: right
 * through the table's growth, and through an adoption whose formats the
 * list partly has, in another order. */
START_TEST(formats_by_index)
{
    enum { NF = 300 };
    static char fmts[NF][16];       /* formats outlive their lists */
    for (int i = 0; i < NF; i++)
        snprintf(fmts[i], sizeof fmts[i], "f%03d %%u", i);
    struct arena *a = test_arena();
    struct source *src = one_line(a);
    struct diag_list l, m;
    diag_init(&l, a);
    diag_init(&m, a);
    for (unsigned i = 0; i < 2 * NF; i++)
        diag_report(&l, R_STALLED, src, (struct span){ 0, 1 }, fmts[i % NF], i);
    for (unsigned i = 0; i < NF; i++)       /* from the end: other indices */
        diag_report(&m, R_STALLED, src, (struct span){ 0, 1 }, fmts[NF - 1 - (i % 40)],
                    10000 + i);
    diag_report(&m, R_STALLED, src, (struct span){ 0, 1 }, "only in m %u", 7u);
    ck_assert_uint_eq(l.nfmt, NF);
    ck_assert_uint_eq(m.nfmt, 41);
    diag_adopt(&l, &m);
    ck_assert_uint_eq(l.nfmt, NF + 1);
    ck_assert_uint_eq(l.n, 3 * NF + 1);
    char want[32];
    for (unsigned i = 0; i < 3 * NF; i++) {
        if (i < 2 * NF)
            snprintf(want, sizeof want, "f%03u %u", i % NF, i);
        else
            snprintf(want, sizeof want, "f%03u %u", NF - 1 - ((i - 2 * NF) % 40),
                     10000 + i - 2 * NF);
        ck_assert_str_eq(diag_text(&l, l.v[i]), want);
    }
    ck_assert_str_eq(diag_text(&l, l.v[3 * NF]), "only in m 7");
    diag_free(&l);
    diag_free(&m);
    source_release(src);
    test_arena_free(a);
}
END_TEST

/* Numbers take a byte for each 7 bits they need (signed ones zigzag);
 * a name the list's arena holds, 7 bytes however long; a date, 5.  The
 * text is the same (integers, strings_and_characters). */
START_TEST(small_arguments)
{
    ck_assert_uint_eq(packed("%d", 0), 1);
    ck_assert_uint_eq(packed("%d", 63), 1);
    ck_assert_uint_eq(packed("%d", -64), 1);
    ck_assert_uint_eq(packed("%d", 64), 2);
    ck_assert_uint_eq(packed("%d", -65), 2);
    ck_assert_uint_eq(packed("%u", 127u), 1);
    ck_assert_uint_eq(packed("%u", 128u), 2);
    ck_assert_uint_eq(packed("%x", UINT32_MAX), 5);
    ck_assert_uint_eq(packed("%d", INT_MIN), 5);
    ck_assert_uint_eq(packed("%ld", LONG_MIN), 10);
    ck_assert_uint_eq(packed("%lu", ULONG_MAX), 10);
    ck_assert_uint_eq(packed("%c", 'a'), 2);
    ck_assert_uint_eq(packed("%s", "2011-02-14"), 5);
    ck_assert_uint_eq(packed("%s", "Acme"), 6);
    ck_assert_uint_eq(packed("rank %d of %u, %d days", 3, 8u, -2), 3);

    struct arena *a = test_arena();
    struct source *src = one_line(a);
    struct diag_list l;
    diag_init(&l, a);
    const char *name = arena_strdup(a, "Highland Hospitality Cooperative");
    const char *six = arena_strdup(a, "Acme C");
    struct diag *d = diag_report(&l, R_OVER_ASK, src, (struct span){ 0, 4 },
                                 "asking %s for %s (rank %d) climbs %d", name, six, 7, 6);
    struct diag *next = diag_report(&l, R_STALLED, src, (struct span){ 0, 4 }, "x");
    /* 16 + 7 + 7 + 1 + 1, to 4 */
    ck_assert_int_eq((const char *)next - (const char *)d, 32);
    ck_assert_str_eq(diag_text(&l, d),
                     "asking Highland Hospitality Cooperative for Acme C (rank 7) climbs 6");
    diag_free(&l);
    source_release(src);
    test_arena_free(a);
}
END_TEST

/* A note equal to one already reported is that one; a diagnostic that
 * gets a second note gets its own copy of the first, and the others keep
 * theirs as it was. */
START_TEST(notes_shared)
{
    struct arena *a = test_arena();
    struct source *src = one_line(a), *other = one_line_named(a, "u.ladder");
    struct diag_list l, m;
    diag_init(&l, a);
    diag_init(&m, a);
    const char *name = arena_strdup(a, "Highland Hospitality Cooperative");
    char tmp[16];
    struct diag *d[8];
    for (int i = 0; i < 8; i++)
        d[i] = diag_report(&l, R_OVER_ASK, src, (struct span){ 11, 15 }, "d%d", i);
    static const char fmt[] = "%s's level was set here: %s (rank %d) on %s";
    strcpy(tmp, "intro");
    diag_note(&l, d[0], src, 2, fmt, name, tmp, 1, "2011-01-01");
    strcpy(tmp, "XXXXX");
    strcpy(tmp, "intro");           /* a copy equal again */
    diag_note(&l, d[1], src, 2, fmt, name, tmp, 1, "2011-01-01");
    diag_note(&l, d[7], src, 2, fmt, name, "intro", 1, "2011-01-01");
    /* Look-alikes; each is remembered in its place's slot, in turn. */
    diag_note(&l, d[2], src, 2, fmt, name, "intro", 2, "2011-01-01");     /* rank */
    diag_note(&l, d[3], src, 3, fmt, name, "intro", 1, "2011-01-01");     /* place */
    diag_note(&l, d[4], other, 2, fmt, name, "intro", 1, "2011-01-01");   /* source */
    diag_note(&l, d[5], src, 2, "%s's level: %s (rank %d) on %s", name, "intro", 1,
              "2011-01-01");                                            /* format */
    diag_note(&l, d[6], src, 2, fmt, name, "intro", 1, "2011-01-02");     /* date */
    const struct note *n0 = diag_notes(&l, d[0]);
    ck_assert_ptr_eq(diag_notes(&l, d[1]), n0);
    ck_assert_ptr_eq(diag_notes(&l, d[7]), n0);
    for (int i = 2; i < 7; i++)
        ck_assert_ptr_ne(diag_notes(&l, d[i]), n0);
    ck_assert_str_eq(diag_note_text(&l, diag_notes(&l, d[4])),
                     "Highland Hospitality Cooperative's level was set here: intro (rank 1) "
                     "on 2011-01-01");
    ck_assert_ptr_eq(diag_notes(&l, d[4])->src, other);
    ck_assert_str_eq(diag_note_text(&l, diag_notes(&l, d[6])),
                     "Highland Hospitality Cooperative's level was set here: intro (rank 1) "
                     "on 2011-01-02");

    /* A second note: d[1]'s own list; d[0] and d[7] still have one. */
    diag_note(&l, d[1], src, 5, "and then %s", "this");
    const struct note *n1 = diag_notes(&l, d[1]);
    ck_assert_ptr_ne(n1, n0);
    ck_assert_str_eq(diag_note_text(&l, n1), diag_note_text(&l, n0));
    ck_assert_uint_eq(n1->pos.col, 3);
    ck_assert_ptr_nonnull(n1->link);
    ck_assert_str_eq(diag_note_text(&l, n1->link), "and then this");
    ck_assert_ptr_null(n1->link->link);
    ck_assert_ptr_null(n0->link);
    ck_assert_ptr_eq(diag_notes(&l, d[7]), n0);
    /* A first note after a second is not shared: d[1]'s copy is its own. */
    struct diag *e = diag_report(&m, R_OVER_ASK, src, (struct span){ 11, 15 }, "e");
    diag_note(&m, e, src, 2, fmt, name, "intro", 1, "2011-01-01");
    ck_assert_ptr_ne(diag_notes(&m, e), n1);
    diag_note(&m, e, src, 7, "a third");
    diag_note(&m, e, src, 8, "a fourth");
    ck_assert_str_eq(diag_note_text(&m, diag_notes(&m, e)->link->link), "a fourth");

    /* Adopted: every diagnostic keeps its notes. */
    diag_adopt(&l, &m);
    ck_assert_uint_eq(l.n, 9);
    ck_assert_ptr_eq(diag_notes(&l, l.v[0]), n0);
    ck_assert_ptr_eq(diag_notes(&l, l.v[1]), n1);
    ck_assert_str_eq(diag_note_text(&l, diag_notes(&l, l.v[8])->link), "a third");
    ck_assert_ptr_null(diag_fixes(&l, l.v[8]));
    diag_free(&l);
    diag_free(&m);
    source_release(src);
    source_release(other);
    test_arena_free(a);
}
END_TEST

/* A diagnostic over 65,534 bytes or more of a line, or from a source in
 * slot 65,535 or past it, keeps its end and source in full: in its list,
 * and adopted into one where its source's slot is another. */
START_TEST(wide_records)
{
    enum { LONG = 70000 };
    char *text = malloc(LONG + 2);
    memset(text, 'x', LONG);
    text[LONG] = '\n';
    text[LONG + 1] = 0;
    struct arena *a = test_arena();
    struct source *big = source_from_bytes(a, "big.ladder", text, LONG + 1);
    struct chunk c;
    int err = 0;
    while (source_next_chunk(big, &c, &err))
        ;
    source_end_read(big);
    struct source *far = one_line_named(a, "far.ladder"), *near = one_line(a);
    far->index = 70000;
    struct diag_list l, m;
    diag_init(&l, a);
    diag_init(&m, a);
    struct diag *d = diag_report(&l, R_SYNTAX, big, (struct span){ 5, LONG - 2 }, "long %d", 1);
    ck_assert_uint_eq(diag_end(d), LONG - 2);
    ck_assert_uint_eq(diag_end_col(d, diag_pos(&l, d)), LONG - 1);
    ck_assert_str_eq(diag_text(&l, d), "long 1");
    d = diag_report(&l, R_STALLED, big, (struct span){ 5, 5 + DIAG_WIDE - 1 }, "narrow");
    ck_assert_uint_eq(d->len, DIAG_WIDE - 1);
    d = diag_report(&l, R_STALLED, big, (struct span){ 5, 5 + DIAG_WIDE }, "wide");
    ck_assert_uint_eq(diag_end(d), 5 + DIAG_WIDE);
    d = diag_report(&l, R_STALLED, far, (struct span){ 11, 15 }, "far %s", "away");
    ck_assert_ptr_eq(diag_src(&l, d), far);
    ck_assert_uint_eq(diag_file(d), 70000);
    ck_assert_uint_eq(diag_end(d), 15);
    ck_assert_str_eq(diag_text(&l, d), "far away");
    /* m's slot 0 is near's and 1 is big's; adopted after l, near takes a
     * slot past l's 70,000: its narrow diagnostic is made wide. */
    near->index = 0;
    big->index = 1;
    struct diag *e = diag_report(&m, R_STALLED, near, (struct span){ 11, 15 }, "near %d", 2);
    diag_note(&m, e, near, 0, "its note");
    diag_report(&m, R_STALLED, big, (struct span){ 0, LONG }, "big %d", 3);
    ck_assert_uint_eq(diag_file(e), 0);
    diag_adopt(&l, &m);
    ck_assert_uint_eq(l.n, 6);
    ck_assert_ptr_eq(diag_src(&l, l.v[4]), near);
    ck_assert_uint_gt(diag_file(l.v[4]), 70000);
    ck_assert_uint_eq(diag_end(l.v[4]), 15);
    ck_assert_str_eq(diag_text(&l, l.v[4]), "near 2");
    ck_assert_str_eq(diag_note_text(&l, diag_notes(&l, l.v[4])), "its note");
    ck_assert_ptr_eq(diag_src(&l, l.v[5]), big);
    ck_assert_uint_eq(diag_end(l.v[5]), LONG);
    ck_assert_str_eq(diag_text(&l, l.v[5]), "big 3");
    ck_assert_ptr_eq(diag_src(&l, l.v[0]), big);
    diag_free(&l);
    diag_free(&m);
    source_release(big);
    source_release(far);
    source_release(near);
    test_arena_free(a);
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("diag");
    tcase_add_test(tc, integers);
    tcase_add_test(tc, strings_and_characters);
    tcase_add_test(tc, unknown_conversions);
    tcase_add_test(tc, report_and_render);
    tcase_add_test(tc, long_arguments);
    tcase_add_test(tc, finish_sorts);
    tcase_add_test(tc, sources);
    tcase_add_test(tc, plain_flag);
    tcase_add_test(tc, formats_by_index);
    tcase_add_test(tc, small_arguments);
    tcase_add_test(tc, notes_shared);
    tcase_add_test(tc, wide_records);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
