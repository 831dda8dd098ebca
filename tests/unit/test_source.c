/* test_source.c - reading journals in chunks of whole lines.
 *
 * The scanner gets a journal a chunk at a time; whatever the chunk size,
 * the chunks must be whole lines that add up to the text, the line map
 * must be the same, and linting must give the same diagnostics. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "output.h"
#include "source.h"

/* The line starts of text, computed plainly. */
static uint32_t ref_lines(const char *t, uint32_t len, uint32_t start, uint32_t *out)
{
    uint32_t n = 0;
    out[n++] = start;
    for (uint32_t i = start; i < len; i++)
        if (t[i] == '\n')
            out[n++] = i + 1;
    return n;
}

static const char *const texts[] = {
    "",
    "a",
    "a\n",
    "\n\n",
    "ab\r\ncd\n\nef",
    "\xEF\xBB\xBF" "x\ny",
    "\xEF\xBB\xBF",
    "\xEF\xBB",
    "2011-01-01 Acme | caf\xC3\xA9\n  ask intro -> yes\n",
    "one\n"
    "a long line a long line a long line a long line a long line a long line "
    "a long line a long line a long line a long line a long line a long line\n"
    "z",
};

START_TEST(chunks_are_whole_lines)
{
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        const char *text = texts[t];
        uint32_t len = (uint32_t)strlen(text);
        for (size_t size = 1; size <= 40; size++) {
            struct arena *a = test_arena();
            struct source *s = source_from_bytes(a, "t.ladder", text, len);
            source_set_chunk(s, size);
            char got[512];
            uint32_t at = 0, expect_base = 0;
            bool first = true, ended_in_nl = true;
            struct chunk c;
            int err = 0;
            while (source_next_chunk(s, &c, &err)) {
                ck_assert_msg(ended_in_nl, "text %zu, chunk size %zu: a chunk "
                              "before the last one ends mid-line", t, size);
                if (first)
                    expect_base = s->start;
                first = false;
                ck_assert_uint_eq(c.base, expect_base);
                ck_assert_uint_gt(c.len, 0);
                ck_assert_int_eq(c.p[c.len], '\0');
                ck_assert_int_eq(c.p[c.len + 1], '\0');
                memcpy(got + at, c.p, c.len);
                at += c.len;
                expect_base += c.len;
                ended_in_nl = c.p[c.len - 1] == '\n';
            }
            ck_assert_int_eq(err, 0);
            source_end_read(s);
            uint32_t start = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
            ck_assert_uint_eq(s->start, start);
            ck_assert_uint_eq(s->len, len);
            ck_assert_uint_eq(at, len - start);
            ck_assert_int_eq(memcmp(got, text + start, at), 0);
            uint32_t want[64];
            uint32_t n = ref_lines(text, len, start, want);
            ck_assert_uint_eq(s->nlines, n);
            for (uint32_t i = 0; i < n; i++)
                ck_assert_uint_eq(source_line_offset(s, i + 1), want[i]);
            /* Lines are read back from the bytes: the text is not kept. */
            ck_assert_ptr_null(s->buf);
            for (uint32_t i = 1; i <= n; i++) {
                uint32_t l;
                const char *p = source_line(s, i, &l);
                uint32_t e = i < n ? want[i] - 1 : len;
                if (e > want[i - 1] && text[e - 1] == '\r')
                    e--;
                ck_assert_uint_eq(l, e - want[i - 1]);
                ck_assert_int_eq(memcmp(p, text + want[i - 1], l), 0);
            }
            ck_assert_int_eq(s->ascii, strspn(text + start, "\x01\x02\x03\x04\x05"
                "\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
                "\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !\"#$%&'()*+,-./0123456789:;<=>?@"
                "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f")
                == len - start);
            source_release(s);
            test_arena_free(a);
        }
    }
}
END_TEST

/* Positions in a text of many 4 KiB blocks (short lines, a line longer
 * than a block, empty lines), read in odd chunks, against a plain count. */
START_TEST(positions_across_blocks)
{
    size_t len = 0, cap = 400000;
    char *text = malloc(cap);
    uint32_t seed = 7;
    while (len < cap - 1) {
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % 90;
        if ((len > 150000 && len < 151000) || (len > 300000 && len < 300100))
            n = 70000;                  /* lines over a whole block, and over
                                         * 64 KiB: a full group in the map */
        for (size_t i = 0; i < n && len < cap - 1; i++)
            text[len++] = (char)('a' + i % 26);
        if (len < cap - 1)
            text[len++] = '\n';
    }
    struct arena *a = test_arena();
    struct source *s = source_from_bytes(a, "t.ladder", text, len);
    source_set_chunk(s, 4093);
    struct chunk c;
    int err = 0;
    while (source_next_chunk(s, &c, &err))
        ;
    source_end_read(s);
    ck_assert_uint_ge(s->nblk, 5);
    uint32_t line = 1, col = 1;
    for (uint32_t off = 0; off < len; off++) {
        struct pos p = source_pos(s, off);
        ck_assert_msg(p.line == line && p.col == col, "offset %u: %u:%u, want %u:%u",
                      off, p.line, p.col, line, col);
        if (col == 1)           /* the line map: 16-bit groups, and full ones */
            ck_assert_uint_eq(source_line_offset(s, line), off);
        if (text[off] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    source_release(s);
    test_arena_free(a);
    free(text);
}
END_TEST

/* A journal in the gcc form and, with tty, in the tty form too (which
 * reads source lines back); frees the journal. */
static char *render(struct journal *j, bool tty)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    enum format forms[] = { FMT_GCC, FMT_TTY, FMT_JSON };   /* json: fixes too */
    for (int k = 0; k < (tty ? 3 : 1); k++) {
        struct output_opts o = { .format = forms[k] };
        struct output *w = output_begin(j->mem, f, &o);
        output_journal(w, j);
        struct output_totals tot;
        output_end(w, &tot);
    }
    fclose(f);
    journal_free(j);
    return buf;
}

/* gcc output of j, rendered on one thread or, par_min diagnostics on,
 * on two in blocks of par_min (output.c's gcc_parallel); the totals in
 * *t. */
static char *render_gcc(struct journal *j, bool quiet, uint32_t par_min,
                        struct output_totals *t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    struct output_opts o = { .format = FMT_GCC, .quiet = quiet, .par_min = par_min };
    struct output *w = output_begin(j->mem, f, &o);
    output_journal(w, j);
    output_journal(w, j);           /* totals add up over journals */
    output_end(w, t);
    fclose(f);
    return buf;
}

/* Two threads write what one does, for blocks of any size, with -q too. */
static void check_parallel_gcc(const char *path, bool strict)
{
    struct config cfg;
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    if (strict)
        cfg.option[OPT_STRICT] = 1;
    const char *err = NULL;
    struct journal *j = journal_lint(&cfg, path, path, -1, &err);
    ck_assert_msg(j != NULL, "%s: %s", path, err ? err : "?");
    for (int quiet = 0; quiet < 2; quiet++) {
        struct output_totals ts, tp;
        char *seq = render_gcc(j, quiet, UINT32_MAX, &ts);
        static const uint32_t blocks[] = { 1, 2, 3, 5 };
        for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
            char *got = render_gcc(j, quiet, blocks[i], &tp);
            ck_assert_msg(strcmp(got, seq) == 0,
                          "%s on two threads in blocks of %u%s:\n%.1500s\n--- instead of ---\n%.1500s",
                          path, blocks[i], quiet ? ", -q" : "", got, seq);
            ck_assert_msg(memcmp(&tp, &ts, sizeof tp) == 0 && ts.journals == 2,
                          "%s: totals on two threads differ", path);
            free(got);
        }
        free(seq);
    }
    journal_free(j);
}

/* Lint a file read `chunk` bytes at a time (in two halves from `split`
 * bytes on: config.split), and render it. */
static char *render_file_opts(const char *path, uint32_t chunk, bool strict,
                              uint32_t split, uint32_t rules_split)
{
    struct config cfg;
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    cfg.chunk = chunk;
    cfg.split = split;
    cfg.rules_split = rules_split;
    if (strict)
        cfg.option[OPT_STRICT] = 1;
    const char *err = NULL;
    struct journal *j = journal_lint(&cfg, path, path, -1, &err);
    ck_assert_msg(j != NULL, "%s: %s", path, err ? err : "?");
    return render(j, true);
}

static char *render_file_split(const char *path, uint32_t chunk, bool strict,
                               uint32_t split)
{
    return render_file_opts(path, chunk, strict, split, UINT32_MAX);
}

static char *render_file(const char *path, uint32_t chunk, bool strict)
{
    return render_file_split(path, chunk, strict, UINT32_MAX);
}

/* The same from bytes in memory (the language server's way). */
static char *render_bytes_split(const char *path, uint32_t chunk, uint32_t split)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, m);
    fclose(f);
    fclose(m);
    struct config cfg;
    config_init(&cfg, (struct date){ 2011, 6, 30, true });
    cfg.chunk = chunk;
    cfg.split = split;
    struct journal *j = journal_lint_bytes(&cfg, path, text, len);
    ck_assert_ptr_nonnull(j);
    char *r = render(j, true);
    free(text);
    return r;
}

/* Every file of dir ending in suffix lints the same in any chunks, and in
 * two halves parsed apart (journal.c). */
static int check_folder(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name), k = strlen(suffix);
        if (e->d_name[0] == '.' || n <= k || strcmp(e->d_name + n - k, suffix))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        for (int strict = 0; strict < 2; strict++) {
            check_parallel_gcc(path, strict);
            char *want = render_file(path, 0, strict);
            static const uint32_t sizes[] = { 1, 2, 3, 5, 7, 16, 31, 64, 1000 };
            for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
                char *got = render_file(path, sizes[i], strict);
                ck_assert_msg(strcmp(got, want) == 0,
                              "%s read %u bytes at a time lints differently:\n"
                              "%s\n--- instead of ---\n%s", path, sizes[i], got, want);
                free(got);
            }
            /* In two halves (every file at least a byte long is cut, at
             * its first entry after the middle), in any chunks. */
            static const uint32_t halves[] = { 0, 1, 7, 64 };
            for (size_t i = 0; i < sizeof halves / sizeof halves[0]; i++) {
                char *got = render_file_split(path, halves[i], strict, 1);
                ck_assert_msg(strcmp(got, want) == 0,
                              "%s in two halves, %u bytes at a time, lints differently:\n"
                              "%s\n--- instead of ---\n%s", path, halves[i], got, want);
                free(got);
            }
            /* The ladder rules on two threads, over two parts of the
             * clients (every file with two clients or more), whole or in
             * two halves. */
            static const uint32_t splits[] = { 1, UINT32_MAX };
            for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
                char *got = render_file_opts(path, 0, strict, splits[i], 1);
                ck_assert_msg(strcmp(got, want) == 0,
                              "%s with the rules on two threads%s lints differently:\n"
                              "%.1500s\n--- instead of ---\n%.1500s", path,
                              splits[i] == 1 ? ", in two halves," : "", got, want);
                free(got);
            }
            if (!strict) {
                char *seq = render_bytes_split(path, 0, UINT32_MAX);
                char *got = render_bytes_split(path, 0, 1);
                ck_assert_msg(strcmp(got, seq) == 0,
                              "%s from memory in two halves lints differently:\n"
                              "%s\n--- instead of ---\n%s", path, got, seq);
                free(got);
                free(seq);
            }
            free(want);
        }
        files++;
    }
    closedir(d);
    return files;
}

START_TEST(lint_is_the_same_in_any_chunks)
{
    int files = check_folder("tests/golden/structure", ".ladder") +
                check_folder("tests/golden/ladder", ".ladder") +
                check_folder("examples", ".ladder");
    ck_assert_int_ge(files, 40);
    /* The fuzzer's finds, some of which depend on where chunks end. */
    ck_assert_int_ge(check_folder("tests/fuzz/crashers", ""), 2);
}
END_TEST

/* The last line has no line feed: it is ended while its chunk is still
 * the current one, so a message can quote it. */
START_TEST(last_line_without_line_feed)
{
    const char *text = "2011-06-28 08:00 * (visit) Acme\n  next none\n"
                       "2011-06-28 09:70 ! (visit) Acme";
    for (uint32_t chunk = 0; chunk < 20; chunk++) {
        struct config cfg;
        config_init(&cfg, (struct date){ 2011, 6, 30, true });
        cfg.chunk = chunk;
        char *buf = render(journal_lint_bytes(&cfg, "t.ladder", text, strlen(text)), false);
        ck_assert_msg(strstr(buf, "t.ladder:3:12: error: '09:70' is not a time of day"),
                      "chunk %u:\n%s", chunk, buf);
        free(buf);
    }
}
END_TEST

/* A journal with a line of 500 bytes (a header) and an item under it. */
static char *long_line_text(void)
{
    char *t = malloc(1024);
    int n = sprintf(t, "2011-01-01 * A\n    next none\n2011-01-02 * ");
    memset(t + n, 'x', 487);
    n += 487;
    n += sprintf(t + n, "\n    ask intro y -> yes\n2011-02-30 * B\n    next none\n");
    return t;
}

/* Lines longer than the limit are reported and skipped, whatever the chunk
 * size, from memory, a file or a pipe: the mechanism that keeps a line of
 * gigabytes from flex, tried on a limit of 64 bytes. */
static void check_long_line(struct journal *j, const char *how)
{
    char *got = diag_summary(j);
    /* The long header is skipped with the ask under it (no unknown rung,
     * no second report); the lines after it are read as usual. */
    ck_assert_msg(strcmp(got, "1:1:no-ask 3:1:syntax 5:1:bad-date") == 0,
                  "%s: %s", how, got);
    free(got);
    const struct diag *d = j->diags.v[1];
    ck_assert_str_eq(diag_text(&j->diags, d),
                     "a line of 500 bytes: lines this long are not read");
    ck_assert_uint_eq(j->root->src->nlines, 7);   /* and the empty last one */
    journal_free(j);
}

START_TEST(long_lines_are_skipped)
{
    char *text = long_line_text();
    size_t len = strlen(text);
    char path[] = "/tmp/ladder-test-long.XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    for (uint32_t chunk = 1; chunk <= 600; chunk += chunk < 20 ? 1 : 97) {
        struct config cfg;
        config_init(&cfg, (struct date){ 2011, 6, 30, true });
        cfg.chunk = chunk;
        cfg.max_line = 64;
        char how[64];
        snprintf(how, sizeof how, "memory, chunk %u", chunk);
        check_long_line(journal_lint_bytes(&cfg, "t.ladder", text, len), how);
        const char *err = NULL;
        snprintf(how, sizeof how, "file, chunk %u", chunk);
        check_long_line(journal_lint(&cfg, path, "t.ladder", -1, &err), how);
        /* A pipe: standard input. */
        int p[2];
        ck_assert_int_eq(pipe(p), 0);
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(p[0]);
            for (size_t i = 0; i < len; i += 7)     /* in dribbles */
                if (write(p[1], text + i, len - i < 7 ? len - i : 7) < 0)
                    _exit(1);
            _exit(0);
        }
        close(p[1]);
        snprintf(how, sizeof how, "pipe, chunk %u", chunk);
        struct journal *j = journal_lint(&cfg, NULL, "t.ladder", p[0], &err);
        ck_assert_ptr_nonnull(j);
        /* The piped text is kept whole: the long line can be shown. */
        uint32_t n;
        const char *l = source_line(j->root->src, 3, &n);
        ck_assert_uint_eq(n, 500);
        ck_assert_int_eq(memcmp(l, text + 29, 500), 0);
        check_long_line(j, how);
        close(p[0]);
        waitpid(pid, NULL, 0);
    }
    unlink(path);
    free(text);
}
END_TEST

/* Standard input is read in chunks like a file (it was read whole, and
 * one flex buffer of more than 2 GiB is flex's internal error). */
START_TEST(stdin_is_read_in_chunks)
{
    /* 100 KB through a pipe, written by a child as the parent reads. */
    enum { N = 3000 };
    size_t cap = (size_t)N * 40, len = 0;
    char *text = malloc(cap);
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "2011-01-01 * C%d\n    next none\n", i);
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(p[0]);
        _exit(write(p[1], text, len) == (ssize_t)len ? 0 : 1);
    }
    close(p[1]);
    struct arena *a = test_arena();
    const char *err = NULL;
    struct source *s = source_read_stream(a, p[0], "t.ladder", &err);
    ck_assert_ptr_nonnull(s);
    struct chunk c;
    int e = 0, chunks = 0;
    uint32_t at = 0;
    while (source_next_chunk(s, &c, &e)) {
        ck_assert_uint_eq(c.base, at);
        ck_assert_int_eq(memcmp(c.p, text + at, c.len), 0);
        ck_assert_int_eq(c.p[c.len - 1], '\n');
        ck_assert_uint_le(c.len, 16 * 1024 + 64);   /* a read, to a line end */
        at += c.len;
        chunks++;
    }
    ck_assert_int_eq(e, 0);
    ck_assert_uint_eq(at, len);
    ck_assert_int_ge(chunks, 6);
    source_end_read(s);
    ck_assert_ptr_nonnull(s->buf);
    ck_assert_uint_eq(s->len, len);
    ck_assert_int_eq(memcmp(s->buf, text, len), 0);
    ck_assert_int_eq(s->buf[len], '\0');
    source_release(s);
    test_arena_free(a);
    close(p[0]);
    waitpid(pid, NULL, 0);
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("source");
    TCase *tc = tcase_create("chunks");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, chunks_are_whole_lines);
    tcase_add_test(tc, positions_across_blocks);
    tcase_add_test(tc, lint_is_the_same_in_any_chunks);
    tcase_add_test(tc, last_line_without_line_feed);
    tcase_add_test(tc, long_lines_are_skipped);
    tcase_add_test(tc, stdin_is_read_in_chunks);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
