/* test_api.c - the public interface, used as its callers use it: this file
 * includes no header of the project but ladder.h.
 *
 * Two journals linted at once from memory through a provider of our own
 * (an include that exists only in memory, one that overrides a file on
 * disk); positions in every unit; the model; and allocation failing at
 * every point in turn: each time an error comes back, nothing leaks (ASan
 * in `make sanitize`), nothing exits. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ladder.h"

static int run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* --- a provider over a table of in-memory files ---------------------------- */

struct memfile {
    const char *path, *text;
    int opened, released;
};

struct memfs {
    struct memfile *f;
    size_t n;
};

static int mem_open(void *ud, const char *path, const char **bytes, size_t *len,
                    int *errnum)
{
    struct memfs *fs = ud;
    (void)errnum;
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].path, path) == 0) {
            *bytes = fs->f[i].text;
            *len = strlen(fs->f[i].text);
            fs->f[i].opened++;
            return 1;
        }
    return 0;
}

static void mem_release(void *ud, const char *path, const char *bytes)
{
    struct memfs *fs = ud;
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].path, path) == 0 && fs->f[i].text == bytes)
            fs->f[i].released++;
}

/* "LINE:COL:RULE ..." of a journal, columns in `unit`. */
static char *summary(const ladder_journal *j, ladder_unit unit)
{
    size_t cap = 4096, len = 0;
    char *s = malloc(cap);
    s[0] = '\0';
    for (size_t i = 0; i < ladder_diag_count(j); i++) {
        const ladder_diag *d = ladder_diag_at(j, i);
        ladder_position p = ladder_diag_start(j, d, unit);
        ladder_span sp = ladder_diag_span(j, d);
        len += (size_t)snprintf(s + len, cap - len, "%s%s:%u:%u:%s",
                                i ? " " : "", ladder_file_name(j, sp.file),
                                p.line, p.column, ladder_diag_rule(d));
    }
    return s;
}

static ladder_config *config(void)
{
    ladder_config *cfg = ladder_config_new(NULL);
    ck_assert_ptr_nonnull(cfg);
    ladder_error err;
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_TODAY, "2011-06-30", &err), LADDER_OK);
    return cfg;
}

/* On disk, part.ladder names a client the overlay renames. */
static char tmpdir[64];

static void make_disk(void)
{
    strcpy(tmpdir, "/tmp/ladder-api-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    char path[128];
    snprintf(path, sizeof path, "%s/part.ladder", tmpdir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("2011-02-01 * Disk Client | from the disk\n"
          "    plan intro\n    ask intro -> yes\n    next none\n", f);
    fclose(f);
}

static void remove_disk(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/part.ladder", tmpdir);
    unlink(path);
    rmdir(tmpdir);
}

START_TEST(two_journals_through_a_provider)
{
    make_disk();
    char a_path[128], part_path[128], mem_path[128];
    snprintf(a_path, sizeof a_path, "%s/a.ladder", tmpdir);
    snprintf(part_path, sizeof part_path, "%s/part.ladder", tmpdir);
    snprintf(mem_path, sizeof mem_path, "%s/only-in-memory.ladder", tmpdir);
    struct memfile files[] = {
        /* a.ladder exists only in memory, and so does its first include;
         * part.ladder is on disk but the overlay replaces it. */
        { a_path,
          "client Acme Corp\n"
          "include only-in-memory.ladder\n"
          "include part.ladder\n", 0, 0 },
        { mem_path,
          "2011-02-14 * Acme Corp | First call\n"
          "    plan  intro\n"
          "    ask   contract -> no\n", 0, 0 },
        { part_path,
          "2011-02-01 * Overlay Client | from the overlay\n"
          "    ask bogus -> yes\n", 0, 0 },
    };
    struct memfs fs = { files, 3 };
    ladder_provider pv = { mem_open, mem_release, &fs };
    ladder_config *cfg = config();
    ladder_config_set_provider(cfg, &pv);
    ladder_config_keep_text(cfg, true);

    ladder_error err;
    ladder_journal *a = ladder_lint_file(cfg, a_path, &err);
    ck_assert_ptr_nonnull(a);
    /* A second journal at the same time, from bytes, with another config. */
    ladder_config *cfg2 = config();
    const char *btext = "2011-03-01 * Beta | b\n    aks intro\n";
    ladder_journal *b = ladder_lint_bytes(cfg2, "b.ladder", btext, strlen(btext), &err);
    ck_assert_ptr_nonnull(b);

    ck_assert_uint_eq(ladder_file_count(a), 3);
    ck_assert_str_eq(ladder_file_name(a, 1), mem_path);
    size_t len;
    const char *t = ladder_file_text(a, 2, &len);
    ck_assert_ptr_eq(t, files[2].text);         /* the overlay, not the disk */
    ck_assert_uint_eq(len, strlen(files[2].text));

    char *sa = summary(a, LADDER_UNIT_BYTE);
    char want[1024];
    snprintf(want, sizeof want,
             "%s:1:1:missing-next %s:3:11:over-ask %s:1:1:missing-next "
             "%s:2:9:unknown-rung", mem_path, mem_path, part_path, part_path);
    ck_assert_str_eq(sa, want);
    free(sa);
    char *sb = summary(b, LADDER_UNIT_BYTE);
    ck_assert_str_eq(sb, "b.ladder:1:1:no-ask b.ladder:1:1:missing-next "
                         "b.ladder:2:5:syntax");
    ck_assert(ladder_diag_is_syntax(ladder_diag_at(b, 2)));
    ck_assert(!ladder_diag_is_syntax(ladder_diag_at(b, 0)));
    free(sb);

    /* The model: clients in order of first mention, the declared one with
     * where it is declared; includes with their targets. */
    ck_assert_uint_eq(ladder_client_count(a), 2);
    ladder_client_info ci;
    ladder_client_get(a, 0, &ci);
    ck_assert_str_eq(ci.name, "Acme Corp");
    ck_assert(ci.declared);
    ck_assert_uint_eq(ci.decl.file, 0);
    ck_assert_uint_eq(ci.decl.start, 7);
    ck_assert_uint_eq(ci.decl.end, 16);
    ck_assert_uint_eq(ladder_client_lookup(a, "Acme  Corp", 10), 0);
    ck_assert_uint_eq(ladder_client_lookup(a, "Overlay Client", 14), 1);
    ck_assert_uint_eq(ladder_client_lookup(a, "Disk Client", 11), LADDER_NOWHERE);
    ck_assert_uint_eq(ladder_include_count(a), 2);
    ladder_include_info ii;
    ladder_include_get(a, 1, &ii);
    ck_assert_str_eq(ii.path, "part.ladder");
    ck_assert_uint_eq(ii.target, 2);
    ck_assert_uint_eq(ladder_entry_count(a), 2);
    ladder_entry_info ei;
    ladder_entry_get(a, 0, &ei);
    ck_assert_int_eq(ei.day, 14);
    ck_assert_int_eq(ei.status, '*');
    ck_assert_str_eq(ei.kind, "call");
    ck_assert_uint_eq(ei.client_index, 0);
    /* Its whole span: the header through its last item's line. */
    ck_assert_uint_gt(ei.nitems, 0);
    ck_assert_uint_eq(ei.whole.file, ei.header.file);
    ck_assert_uint_eq(ei.whole.start, ei.header.start);
    ck_assert_uint_gt(ei.whole.end, ei.header.end);
    ck_assert_uint_eq(ladder_rung_count(a), 8);
    ladder_rung_info ri;
    ladder_rung_get(a, 7, &ri);
    ck_assert_str_eq(ri.name, "contract");
    ck_assert_int_eq(ri.rank, 8);

    ladder_journal_free(a);
    ladder_journal_free(b);
    /* Every text the provider lent was given back, once. */
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(files[i].opened, 1);
        ck_assert_int_eq(files[i].released, 1);
    }
    ladder_config_free(cfg);
    ladder_config_free(cfg2);
    remove_disk();
}
END_TEST

START_TEST(positions_in_every_unit)
{
    ladder_config *cfg = config();
    /* The rung is an emoji after a tab: bytes, characters, screen columns
     * and UTF-16 units all differ. */
    const char *text = "2011-02-14 * Zo\xC3\xAB\n\tplan \xF0\x9F\x98\x80 bogus\n";
    ladder_error err;
    ladder_journal *j = ladder_lint_bytes(cfg, "u.ladder", text, strlen(text), &err);
    ck_assert_ptr_nonnull(j);
    char *s = summary(j, LADDER_UNIT_BYTE);
    ck_assert_str_eq(s, "u.ladder:1:1:no-ask u.ladder:1:1:missing-next u.ladder:2:7:unknown-rung");
    free(s);
    const ladder_diag *d = ladder_diag_at(j, 2);
    ck_assert_uint_eq(ladder_diag_start(j, d, LADDER_UNIT_CHAR).column, 7);
    ck_assert_uint_eq(ladder_diag_start(j, d, LADDER_UNIT_UTF16).column, 7);
    ck_assert_uint_eq(ladder_diag_start(j, d, LADDER_UNIT_DISPLAY).column, 14);
    ck_assert_uint_eq(ladder_diag_end(j, d, LADDER_UNIT_BYTE).column, 11);
    ck_assert_uint_eq(ladder_diag_end(j, d, LADDER_UNIT_CHAR).column, 8);
    ck_assert_uint_eq(ladder_diag_end(j, d, LADDER_UNIT_UTF16).column, 9);
    ck_assert_uint_eq(ladder_diag_end(j, d, LADDER_UNIT_DISPLAY).column, 16);
    ladder_span sp = ladder_diag_span(j, d);
    ck_assert_uint_eq(sp.end - sp.start, 4);
    ck_assert(memcmp(text + sp.start, "\xF0\x9F\x98\x80", 4) == 0);
    ladder_journal_free(j);
    ladder_config_free(cfg);
}
END_TEST

START_TEST(v2_settings)
{
    /* touch-kinds (a list: the config keeps its own copy) and since. */
    ladder_config *cfg = config();
    ladder_error err;
    char kinds[] = "letter, fax";
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_OPTION, "touch-kinds=,", &err),
                     LADDER_EINVAL);
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_OPTION, "touch-kinds=email", &err),
                     LADDER_OK);
    char opt[64];
    snprintf(opt, sizeof opt, "touch-kinds=%s", kinds);
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_OPTION, opt, &err), LADDER_OK);
    memset(opt, 'x', sizeof opt - 1);           /* the caller's text goes */
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_SINCE, "2011-13-01", &err),
                     LADDER_EINVAL);
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_SINCE, "2011-02-01", &err),
                     LADDER_OK);
    const char *text = "2011-01-14 * Acme\n"            /* before since */
                       "2011-02-14 * (fax) Acme\n"      /* a touch */
                       "2011-02-15 * (email) Acme\n";   /* a call now */
    ladder_journal *j = ladder_lint_bytes(cfg, "v.ladder", text, strlen(text), &err);
    char *s = summary(j, LADDER_UNIT_BYTE);
    ck_assert_str_eq(s, "v.ladder:3:1:no-ask v.ladder:3:1:missing-next");
    free(s);
    ladder_journal_free(j);
    ladder_config_free(cfg);
}
END_TEST

START_TEST(settings)
{
    ladder_config *cfg = config();
    ladder_error err;
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_TODAY, "2011-02-30", &err), LADDER_EINVAL);
    ck_assert_str_eq(err.message, "'2011-02-30' is not a real date");
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_RULE, "over-aks=error", &err), LADDER_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.message, "did you mean 'over-ask'"));
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_OPTION, "max-step=0", &err), LADDER_EINVAL);
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_RULE, "missing-next=off", &err), LADDER_OK);
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_STRICT, "yes", &err), LADDER_OK);
    const char *text = "2011-02-14 * Acme\n    plan intro\n    ask intro\n";
    ladder_journal *j = ladder_lint_bytes(cfg, "s.ladder", text, strlen(text), &err);
    char *s = summary(j, LADDER_UNIT_BYTE);
    ck_assert_str_eq(s, "s.ladder:1:14:unknown-client");
    free(s);
    ladder_journal_free(j);
    ck_assert_ptr_null(ladder_lint_file(cfg, "/nonexistent/x.ladder", &err));
    ck_assert_int_eq(err.status, LADDER_EREAD);
    ladder_rule_info ri;
    ck_assert(ladder_rule_find("over-ask", &ri));
    ck_assert_str_eq(ri.category, "ladder");
    ck_assert_str_eq(ri.options, "max-step,since");
    ck_assert(ladder_rule_find("unused-ignore", &ri));
    ck_assert_str_eq(ri.category, "suppression");
    ck_assert(!ladder_rule_find("over-aks", &ri));
    ck_assert(!ladder_rule_at(ladder_rule_count(), &ri));
    /* A category of the registry sets all of its rules. */
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_RULE, "ladder=off", &err), LADDER_OK);
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_RULE, "ladders=off", &err), LADDER_EINVAL);
    const char *t2 = "2011-02-14 * Acme\n    plan bogus\n";
    j = ladder_lint_bytes(cfg, "c.ladder", t2, strlen(t2), &err);
    s = summary(j, LADDER_UNIT_BYTE);
    ck_assert_str_eq(s, "c.ladder:1:14:unknown-client c.ladder:2:10:unknown-rung");
    free(s);
    ladder_journal_free(j);
    ck_assert_str_eq(ladder_rule_nearest("over-aks"), "over-ask");
    ladder_config_free(cfg);
}
END_TEST

/* LADDER_SET_INCLUDE_ROOT: includes only inside the folder, after "..";
 * "" lifts it; a folder that does not exist is refused. */
START_TEST(include_root)
{
    char dir[] = "/tmp/ladder-api-root.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char in[512], out[512], sub[512];
    snprintf(sub, sizeof sub, "%s/in", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    snprintf(in, sizeof in, "%s/in/part.ladder", dir);
    snprintf(out, sizeof out, "%s/secret.ladder", dir);
    FILE *f = fopen(in, "w");
    fputs("2011-01-01 * Inside\n", f);
    fclose(f);
    f = fopen(out, "w");
    fputs("2011-01-01 * Secret\n", f);
    fclose(f);
    const char *text = "include part.ladder\ninclude ../secret.ladder\n";
    char name[512];
    snprintf(name, sizeof name, "%s/in/main.ladder", dir);
    ladder_config *cfg = config();
    ladder_error err;
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_INCLUDE_ROOT,
                                       "/nonexistent-ladder-root", &err), LADDER_EINVAL);
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_INCLUDE_ROOT, sub, &err), LADDER_OK);
    ladder_journal *j = ladder_lint_bytes(cfg, name, text, strlen(text), &err);
    ck_assert_ptr_nonnull(j);
    ck_assert_uint_eq(ladder_file_count(j), 2);        /* main and part only */
    bool outside = false;
    for (size_t i = 0; i < ladder_diag_count(j); i++)
        if (strstr(ladder_diag_message(j, ladder_diag_at(j, i)),
                   "cannot include '../secret.ladder': it is outside the include root"))
            outside = true;
    ck_assert(outside);
    ladder_journal_free(j);
    ck_assert_int_eq(ladder_config_set(cfg, LADDER_SET_INCLUDE_ROOT, "", &err), LADDER_OK);
    j = ladder_lint_bytes(cfg, name, text, strlen(text), &err);
    ck_assert_uint_eq(ladder_file_count(j), 3);        /* the restriction lifted */
    ladder_journal_free(j);
    ladder_config_free(cfg);
    unlink(in);
    unlink(out);
    rmdir(sub);
    rmdir(dir);
}
END_TEST

/* --- allocation failing at every point in turn ---------------------------- */

struct failing {
    long countdown;             /* fail the allocation that brings it to 0 */
    long calls, live;
};

static void *f_alloc(void *ud, size_t n)
{
    struct failing *f = ud;
    f->calls++;
    if (f->countdown > 0 && --f->countdown == 0)
        return NULL;
    void *p = malloc(n);
    if (p)
        f->live++;
    return p;
}

static void *f_realloc(void *ud, void *p, size_t n)
{
    struct failing *f = ud;
    f->calls++;
    if (f->countdown > 0 && --f->countdown == 0)
        return NULL;
    void *q = realloc(p, n);
    if (q && !p)
        f->live++;
    return q;
}

static void f_free(void *ud, void *p)
{
    struct failing *f = ud;
    if (p)
        f->live--;
    free(p);
}

/* One whole use of the library: a journal through a provider, with an
 * include, a kept text, every message and every output form.  Returns
 * true when it got through, false when an allocation failed on the way
 * (which must then have come back as LADDER_ENOMEM). */
static bool whole_use(struct failing *f)
{
    static const char main_text[] =
        "client Acme Corp\n    alias acme\ninclude part.ladder\n"
        "2011-02-14 * (call) acme | First call\n"
        "    plan  intro\n    ask   contract  The deal -> no\n"
        "    gave  Advice\n    next  2011-02-21 meeting  Budget\n"
        "2011-02-14 * (call) acme | First call\n";
    static const char part_text[] =
        "2011-01-01 * Beta | x\n    ask bogus -> yes\n    note caf\xc3\xa9\n";
    struct memfile files[] = {
        { "main.ladder", main_text, 0, 0 },
        { "part.ladder", part_text, 0, 0 },
    };
    struct memfs fs = { files, 2 };
    ladder_provider pv = { mem_open, mem_release, &fs };
    ladder_allocator al = { f_alloc, f_realloc, f_free, f };
    ladder_error err;
    ladder_config *cfg = ladder_config_new(&al);
    if (!cfg)
        return false;
    bool ok = false;
    ladder_config_set_provider(cfg, &pv);
    ladder_config_keep_text(cfg, true);
    ladder_config_set(cfg, LADDER_SET_TODAY, "2011-06-30", &err);
    ladder_journal *j = ladder_lint_file(cfg, "main.ladder", &err);
    if (!j) {
        ck_assert_int_eq(err.status, LADDER_ENOMEM);
        goto out;
    }
    ck_assert_uint_eq(ladder_diag_count(j), 6);
    for (size_t i = 0; i < ladder_diag_count(j); i++) {
        const ladder_diag *d = ladder_diag_at(j, i);
        if (!ladder_diag_message(j, d))
            goto out_j;
        for (size_t k = 0; k < ladder_note_count(j, d); k++)
            if (!ladder_note_message(j, ladder_note_at(j, d, k)))
                goto out_j;
    }
    for (int form = LADDER_FORMAT_GCC; form <= LADDER_FORMAT_TTY; form++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        ladder_render_options o = { (ladder_format)form, LADDER_UNIT_BYTE, true, false };
        ladder_renderer *r = ladder_render_begin(cfg, out, &o, &err);
        bool done = false;
        if (r) {
            ladder_status a = ladder_render_journal(r, j, &err);
            ladder_status u = ladder_render_unreadable(r, "gone.ladder",
                                                       "No such file or directory", &err);
            ladder_status b = ladder_render_end(r, NULL, &err);
            done = a == LADDER_OK && u == LADDER_OK && b == LADDER_OK;
            if (done && form == LADDER_FORMAT_SARIF) {
                fflush(out);
                ck_assert_ptr_nonnull(strstr(buf, "\"executionSuccessful\":false"));
                ck_assert_ptr_nonnull(strstr(buf, "cannot read gone.ladder: No such file"));
                ck_assert_ptr_nonnull(strstr(buf, "\"partialFingerprints\""));
            }
            if (done && form == LADDER_FORMAT_JSON) {
                fflush(out);
                ck_assert_ptr_nonnull(strstr(buf, "{\"file\":\"part.ladder\",\"errors\":1,"));
            }
            if (!done)
                ck_assert_int_eq(err.status, LADDER_ENOMEM);
        } else {
            ck_assert_int_eq(err.status, LADDER_ENOMEM);
        }
        fclose(out);
        free(buf);
        if (!done)
            goto out_j;
    }
    /* The reports, every kind in every format, through the allocator. */
    for (int kind = LADDER_REPORT_AGENDA; kind <= LADDER_REPORT_PIPELINE; kind++)
        for (int form = LADDER_REPORT_TEXT; form <= LADDER_REPORT_JSON; form++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&buf, &len);
            ladder_report_options o = { (ladder_report_kind)kind, (ladder_report_format)form,
                                        LADDER_SORT_LEVEL, 14, true, true };
            ladder_reporter *r = ladder_report_begin(cfg, out, &o, &err);
            bool done = false;
            if (r) {
                ladder_status a = ladder_report_journal(r, j, &err);
                ladder_status b = ladder_report_end(r, &err);
                done = a == LADDER_OK && b == LADDER_OK;
                if (!done)
                    ck_assert_int_eq(err.status, LADDER_ENOMEM);
            } else {
                ck_assert_int_eq(err.status, LADDER_ENOMEM);
            }
            fclose(out);
            if (done && kind == LADDER_REPORT_CLIENTS && form == LADDER_REPORT_CSV)
                ck_assert_ptr_nonnull(strstr(buf, "\r\nAcme Corp,main.ladder,0,,2011-02-14,136,"
                                                  "contract,no,missing,,,,2,1,0,\r\n"));
            free(buf);
            if (!done)
                goto out_j;
        }
    ok = true;
out_j:
    ladder_journal_free(j);
out:
    ladder_config_free(cfg);
    for (size_t i = 0; i < 2; i++)
        ck_assert_int_eq(files[i].opened, files[i].released);
    return ok;
}

/* A client's state through the public interface: what the rules see. */
START_TEST(client_state)
{
    ladder_config *cfg = config();
    ladder_error err;
    const char *text =
        "client Acme\n"
        "2011-02-14 * (call) Acme | First\n    ask intro -> yes\n    gave x\n"
        "    next 2011-02-21 meeting Budget\n"
        "2011-02-21 * (email) Acme | Mail\n    gave y\n    next 2011-03-01 Call\n"
        "2011-03-05 ! Acme | Demo\n    plan meeting\n";
    ladder_journal *j = ladder_lint_bytes(cfg, "s.ladder", text, strlen(text), &err);
    ck_assert_ptr_nonnull(j);
    size_t c = ladder_client_lookup(j, "Acme", 4);
    ck_assert_uint_ne(c, LADDER_NOWHERE);
    ladder_client_state st;
    ladder_client_state_get(j, c, &st);
    ck_assert_str_eq(st.name, "Acme");
    ck_assert_int_eq(st.level, 1);
    ck_assert_str_eq(st.level_rung, "intro");
    ck_assert_uint_eq(ladder_position_of(j, st.level_at.file, st.level_at.start,
                                         LADDER_UNIT_BYTE).line, 3);
    ck_assert(st.contacted);
    ck_assert_int_eq(st.last_month * 100 + st.last_day, 221);
    ck_assert_int_eq(st.next, LADDER_NEXT_PLANNED);
    ck_assert_int_eq(st.next_month * 100 + st.next_day, 305);
    ck_assert_uint_eq(st.calls, 1);
    ck_assert_uint_eq(st.held, 2);
    ck_assert_uint_eq(st.gives, 2);
    ck_assert_uint_eq(st.commitments, 1);
    ck_assert_int_eq(st.ask_answer, 'y');
    /* A planned entry after the steps: nothing is overdue. */
    ck_assert_uint_eq(st.flags, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    ck_assert_int_eq(ladder_report_client(j, c, out, &err), LADDER_OK);
    fclose(out);
    ck_assert_ptr_nonnull(strstr(buf, "\nAcme            1 intro     2011-02-21"));
    free(buf);
    ladder_journal_free(j);
    ladder_config_free(cfg);
}
END_TEST

START_TEST(allocation_fails_at_every_point)
{
    struct failing f = { 0, 0, 0 };
    ck_assert(whole_use(&f));
    ck_assert_int_eq(f.live, 0);
    long total = f.calls;
    ck_assert_int_gt(total, 20);
    long failures = 0;
    for (long n = 1; n <= total; n++) {
        struct failing g = { n, 0, 0 };
        if (!whole_use(&g))
            failures++;
        /* Whatever failed, everything taken was given back. */
        ck_assert_msg(g.live == 0, "allocation %ld of %ld failed: %ld blocks leaked",
                      n, total, g.live);
    }
    /* Every allocation but those whose failure the library can do without
     * (none today) ended the use in an error. */
    ck_assert_int_eq(failures, total);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, two_journals_through_a_provider);
    tcase_add_test(tc, positions_in_every_unit);
    tcase_add_test(tc, settings);
    tcase_add_test(tc, v2_settings);
    tcase_add_test(tc, include_root);
    tcase_add_test(tc, client_state);
    tcase_add_test(tc, allocation_fails_at_every_point);
    suite_add_tcase(s, tc);
    return run(s);
}
