/* fix_cmd.c - `ladder lint --fix`: fix a journal's files (fix_cmd.h).
 *
 * Every run lints the journal from the texts fixed so far (a provider
 * serves them), takes each file's safe fixes that do not overlap, and
 * goes again until a run applies none.  Only then is anything written,
 * each file by write_replace: a temporary file beside it, flushed and
 * renamed, refused when the file changed since it was read. */
#include "fix_cmd.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"

#define MAX_RUNS 64

struct held {                   /* a file of the journal that fixes change */
    char *path;
    char *orig, *cur;           /* as read from the disk; as fixed */
    size_t origlen, curlen;
    struct snapshot snap;
};

struct syn {                    /* syntax errors of a file before fixing */
    char *path;
    size_t count;
};

struct fixing {
    struct held *v;
    size_t n, cap;
    struct syn *syn;
    size_t nsyn, capsyn;
};

static struct held *find(struct fixing *fx, const char *path)
{
    for (size_t i = 0; i < fx->n; i++)
        if (strcmp(fx->v[i].path, path) == 0)
            return &fx->v[i];
    return NULL;
}

static int provide(void *ud, const char *path, const char **bytes, size_t *len,
                   int *errnum)
{
    (void)errnum;
    struct held *h = find(ud, path);
    if (!h)
        return 0;               /* not changed: from the disk */
    *bytes = h->cur;
    *len = h->curlen;
    return 1;
}

static void oom(void)
{
    fputs("ladder: out of memory\n", stderr);
}

/* Syntax errors per file of j. */
static bool count_syntax(const ladder_journal *j, size_t *counts)
{
    size_t nf = ladder_file_count(j);
    memset(counts, 0, nf * sizeof *counts);
    for (size_t i = 0; i < ladder_diag_count(j); i++) {
        const ladder_diag *d = ladder_diag_at(j, i);
        if (ladder_diag_is_syntax(d)) {
            size_t f = ladder_diag_span(j, d).file;
            if (f < nf)
                counts[f]++;
        }
    }
    return true;
}

static bool note_syntax(struct fixing *fx, const ladder_journal *j)
{
    size_t nf = ladder_file_count(j);
    size_t *c = calloc(nf + 1, sizeof *c);
    if (!c)
        return false;
    count_syntax(j, c);
    bool ok = true;
    for (size_t i = 0; i < nf && ok; i++) {
        if (fx->nsyn == fx->capsyn) {
            size_t nc = fx->capsyn ? fx->capsyn * 2 : 8;
            struct syn *ns = realloc(fx->syn, nc * sizeof *ns);
            if (!ns) {
                ok = false;
                break;
            }
            fx->syn = ns;
            fx->capsyn = nc;
        }
        char *p = strdup(ladder_file_name(j, i));
        if (!p) {
            ok = false;
            break;
        }
        fx->syn[fx->nsyn++] = (struct syn){ p, c[i] };
    }
    free(c);
    return ok;
}

static size_t syntax_before(const struct fixing *fx, const char *path)
{
    for (size_t i = 0; i < fx->nsyn; i++)
        if (strcmp(fx->syn[i].path, path) == 0)
            return fx->syn[i].count;
    return 0;
}

/* The held record of file i of j, read from the disk the first time: the
 * disk must hold what the lint read. */
static struct held *hold(struct fixing *fx, const ladder_journal *j, size_t i)
{
    const char *path = ladder_file_name(j, i);
    struct held *h = find(fx, path);
    if (h)
        return h;
    if (fx->n == fx->cap) {
        size_t nc = fx->cap ? fx->cap * 2 : 4;
        struct held *nv = realloc(fx->v, nc * sizeof *nv);
        if (!nv) {
            oom();
            return NULL;
        }
        fx->v = nv;
        fx->cap = nc;
    }
    struct held t;
    memset(&t, 0, sizeof t);
    char why[1024];
    if (!write_read(path, &t.orig, &t.origlen, &t.snap, why, sizeof why)) {
        fprintf(stderr, "ladder: %s; nothing fixed\n", why);
        return NULL;
    }
    size_t len;
    const char *text = ladder_file_text(j, i, &len);
    if (!text || len != t.origlen || memcmp(text, t.orig, len) != 0) {
        fprintf(stderr, "ladder: %s: changed on disk while being fixed; nothing "
                "fixed\n", path);
        free(t.orig);
        return NULL;
    }
    t.path = strdup(path);
    if (!t.path) {
        free(t.orig);
        oom();
        return NULL;
    }
    fx->v[fx->n++] = t;
    return &fx->v[fx->n - 1];
}

/* One run: apply each file's safe fixes.  1 if something changed, 0 if
 * not, -1 on failure (reported). */
static int run_once(struct fixing *fx, const ladder_journal *j)
{
    int changed = 0;
    for (size_t i = 0; i < ladder_file_count(j); i++) {
        size_t applied = 0;
        size_t size = ladder_fix_file(j, i, NULL, 0, &applied);
        if (size == (size_t)-1) {
            oom();
            return -1;
        }
        if (!applied)
            continue;
        struct held *h = hold(fx, j, i);
        if (!h)
            return -1;
        char *buf = malloc(size + 1);
        if (!buf) {
            oom();
            return -1;
        }
        ladder_fix_file(j, i, buf, size, &applied);
        buf[size] = '\0';
        free(h->cur);
        h->cur = buf;
        h->curlen = size;
        changed = 1;
    }
    return changed;
}

int ladder_fix_files(ladder_config *cfg, const char *path)
{
    struct fixing fx;
    memset(&fx, 0, sizeof fx);
    ladder_provider pv = { provide, NULL, &fx };
    ladder_config_set_provider(cfg, &pv);
    ladder_config_keep_text(cfg, true);
    int rc = 0;
    ladder_error err;
    for (int run = 0; run < MAX_RUNS; run++) {
        ladder_journal *j = ladder_lint_file(cfg, path, &err);
        if (!j) {
            /* Unreadable: the lint that follows says so. */
            if (err.status != LADDER_EREAD) {
                fprintf(stderr, "ladder: %s\n", err.message);
                rc = 2;
            }
            goto out;
        }
        if (run == 0 && !note_syntax(&fx, j)) {
            ladder_journal_free(j);
            oom();
            rc = 2;
            goto out;
        }
        int r = run_once(&fx, j);
        ladder_journal_free(j);
        if (r < 0) {
            rc = 2;
            goto out;
        }
        if (r == 0)
            break;
    }
    if (!fx.n)
        goto out;
    /* The result must parse as well as the original did. */
    ladder_journal *j = ladder_lint_file(cfg, path, &err);
    if (!j) {
        fprintf(stderr, "ladder: %s\n", err.message);
        rc = 2;
        goto out;
    }
    size_t nf = ladder_file_count(j);
    size_t *c = calloc(nf + 1, sizeof *c);
    if (!c) {
        ladder_journal_free(j);
        oom();
        rc = 2;
        goto out;
    }
    count_syntax(j, c);
    for (size_t i = 0; i < nf && !rc; i++) {
        const char *name = ladder_file_name(j, i);
        if (find(&fx, name) && c[i] > syntax_before(&fx, name)) {
            fprintf(stderr, "ladder: %s: the fixed text would not parse; nothing "
                    "written\n", name);
            rc = 2;
        }
    }
    free(c);
    ladder_journal_free(j);
    /* Every file first checked, then each replaced whole. */
    char why[1024];
    for (size_t i = 0; i < fx.n && !rc; i++) {
        struct held *h = &fx.v[i];
        if (h->curlen == h->origlen && memcmp(h->cur, h->orig, h->curlen) == 0)
            continue;
        if (!write_replace(h->path, &h->snap, h->orig, h->origlen, h->cur,
                           h->curlen, why, sizeof why)) {
            fprintf(stderr, "ladder: %s; nothing written\n", why);
            rc = 2;
        }
    }
out:
    ladder_config_set_provider(cfg, NULL);
    ladder_config_keep_text(cfg, false);
    for (size_t i = 0; i < fx.n; i++) {
        free(fx.v[i].path);
        free(fx.v[i].orig);
        free(fx.v[i].cur);
    }
    free(fx.v);
    for (size_t i = 0; i < fx.nsyn; i++)
        free(fx.syn[i].path);
    free(fx.syn);
    return rc;
}
