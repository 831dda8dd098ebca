/* journal.c - the pipeline for one journal: read, parse, include, resolve,
 * check, settle. */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "names.h"
#include "parse.h"
#include "resolve.h"
#include "source.h"

#define MAX_INCLUDE_DEPTH 1000

/* --- dates and options ----------------------------------------------------- */

bool date_valid(int y, int m, int d)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12 || d < 1)
        return false;
    int n = days[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        n = 29;
    return d <= n;
}

bool date_parse(const char *s, size_t len, struct date *d)
{
    /* YYYY-MM-DD; '/' or '.' may replace '-' (the same both times); month
     * and day may have one digit. */
    size_t i = 0;
    int y = 0, m = 0, dd = 0;
    for (; i < 4; i++) {
        if (i >= len || s[i] < '0' || s[i] > '9')
            return false;
        y = y * 10 + (s[i] - '0');
    }
    if (i >= len || (s[i] != '-' && s[i] != '/' && s[i] != '.'))
        return false;
    char sep = s[i++];
    size_t st = i;
    while (i < len && i - st < 2 && s[i] >= '0' && s[i] <= '9')
        m = m * 10 + (s[i++] - '0');
    if (i == st || i >= len || s[i] != sep)
        return false;
    st = ++i;
    while (i < len && i - st < 2 && s[i] >= '0' && s[i] <= '9')
        dd = dd * 10 + (s[i++] - '0');
    if (i == st || i != len)
        return false;
    d->year = y;
    d->month = m;
    d->day = dd;
    d->valid = date_valid(y, m, dd);
    return true;
}

int date_cmp(struct date a, struct date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

static const char *const option_names[OPT_COUNT] = {
    [OPT_MAX_STEP] = "max-step",
    [OPT_STALL_AFTER] = "stall-after",
    [OPT_ONE_SIDED_AFTER] = "one-sided-after",
    [OPT_DECLINE_AFTER] = "decline-after",
    [OPT_STRICT] = "strict",
};

static const int option_defaults[OPT_COUNT] = {
    [OPT_MAX_STEP] = 2,
    [OPT_STALL_AFTER] = 3,
    [OPT_ONE_SIDED_AFTER] = 3,
    [OPT_DECLINE_AFTER] = 2,
    [OPT_STRICT] = 0,
};

int option_find(const char *name, size_t len)
{
    for (int i = 0; i < OPT_COUNT; i++)
        if (strlen(option_names[i]) == len && memcmp(option_names[i], name, len) == 0)
            return i;
    return -1;
}

int option_parse_value(enum option_id o, const char *v, size_t len)
{
    if (o == OPT_STRICT) {
        if (len == 3 && memcmp(v, "yes", 3) == 0)
            return 1;
        if (len == 2 && memcmp(v, "no", 2) == 0)
            return 0;
        return -1;
    }
    if (len == 0 || len > 9)
        return -1;
    int n = 0;
    for (size_t i = 0; i < len; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        n = n * 10 + (v[i] - '0');
    }
    return n >= 1 ? n : -1;
}

void config_init(struct config *c, struct date today)
{
    memset(c, 0, sizeof *c);
    c->today = today;
    c->chunk = 0;
    for (int i = 0; i < OPT_COUNT; i++)
        c->option[i] = -1;
    for (int i = 0; i < R_COUNT; i++)
        c->severity[i] = -1;
}

/* --- reading files and includes -------------------------------------------- */

/* A journal file: from the caller's provider when it has it, else from the
 * disk (read whole when the text is to be kept, else streamed). */
static struct source *open_source(struct journal *j, const char *path,
                                  const char *name, const char **err)
{
    const ladder_provider *pv = &j->config->provider;
    if (pv->open) {
        const char *bytes = NULL;
        size_t len = 0;
        int errnum = 0;
        int r = pv->open(pv->ud, path, &bytes, &len, &errnum);
        if (r < 0) {
            *err = strerror(errnum ? errnum : EIO);
            return NULL;
        }
        if (r > 0) {
            struct provided *p = arena_alloc(j->arena, sizeof *p);
            p->path = arena_strdup(j->arena, path);
            p->bytes = bytes;
            p->link = j->provided;
            j->provided = p;
            return source_from_bytes(j->arena, name, bytes, len);
        }
    }
    if (j->config->keep_text) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            *err = strerror(errno);
            return NULL;
        }
        struct source *s = source_read_stream(j->arena, fd, name, err);
        close(fd);
        return s;
    }
    return source_read(j->arena, path, name, err);
}

struct chain {                      /* the files being read, for cycles */
    dev_t dev;
    ino_t ino;
    const struct chain *up;
};

/* Every file a journal has read, by device and inode: a file included a
 * second time (not a cycle) is not read again, so a lattice of includes
 * costs its number of files, not its number of paths. */
struct seen {
    struct { dev_t dev; ino_t ino; bool used; } *v;
    uint32_t cap, n;
};

static bool seen_add(struct arena *a, struct seen *s, dev_t dev, ino_t ino)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct seen ns = { NULL, s->cap ? s->cap * 2 : 64, 0 };
        ns.v = arena_alloc(a, ns.cap * sizeof *ns.v);
        for (uint32_t i = 0; i < s->cap; i++)
            if (s->v[i].used)
                seen_add(a, &ns, s->v[i].dev, s->v[i].ino);
        *s = ns;
    }
    uint32_t h = (uint32_t)(((uint64_t)dev * 0x9E3779B97F4A7C15u) ^ (uint64_t)ino);
    for (uint32_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (!s->v[i].used) {
            s->v[i].used = true;
            s->v[i].dev = dev;
            s->v[i].ino = ino;
            s->n++;
            return true;
        }
        if (s->v[i].dev == dev && s->v[i].ino == ino)
            return false;
    }
}

static struct file *new_file(struct journal *j, struct source *src)
{
    struct file *f = arena_alloc(j->arena, sizeof *f);
    f->src = src;
    src->index = j->nfiles;
    if (j->nfiles == j->capfiles) {
        uint32_t nc = j->capfiles ? j->capfiles * 2 : 8;
        j->files = arena_grow(j->arena, j->files, j->capfiles * sizeof *j->files,
                              nc * sizeof *j->files);
        j->capfiles = nc;
    }
    j->files[j->nfiles++] = f;
    struct parse_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.arena = j->arena;
    ctx.src = src;
    ctx.diags = &j->diags;
    ctx.file = f;
    ctx.names = j->names;
    parse_file(&ctx);
    b_free(&ctx);
    return f;
}

static void read_includes(struct journal *j, struct seen *seen, struct file *f,
                          const struct chain *up, int depth)
{
    for (uint32_t i = 0; i < f->nnodes; i++) {
        if (f->node_kind[i] != BK_INCLUDE)
            continue;
        struct block *b = f->node[i];
        const char *rel = b->u.include.path.s;
        const char *dir = f->src->dir;
        const char *path = rel[0] == '/' || !dir[0]
                   ? rel : arena_printf(j->arena, "%s/%s", dir, rel);
        if (depth >= MAX_INCLUDE_DEPTH) {
            diag_report(&j->diags, R_INCLUDE, f->src, b->at,
                        "cannot include '%s': includes are nested more than %d deep",
                        rel, MAX_INCLUDE_DEPTH);
            continue;
        }
        struct stat st;
        if (stat(path, &st) == 0) {
            bool cycle = false;
            for (const struct chain *c = up; c; c = c->up)
                if (c->dev == st.st_dev && c->ino == st.st_ino)
                    cycle = true;
            if (cycle) {
                diag_report(&j->diags, R_INCLUDE, f->src, b->at,
                            "cannot include '%s': it is already being read "
                            "(an include cycle)", rel);
                continue;
            }
            if (S_ISREG(st.st_mode) && !seen_add(j->arena, seen, st.st_dev, st.st_ino))
                continue;           /* read already: its entries count once */
        }
        const char *err = "cannot be read";
        struct source *src = open_source(j, path, path, &err);
        if (!src) {
            diag_report(&j->diags, R_INCLUDE, f->src, b->at,
                        "cannot include '%s': %s", rel, err);
            continue;
        }
        source_set_chunk(src, j->config->chunk);
        struct file *inc = new_file(j, src);
        b->u.include.file = inc;
        struct chain me = { st.st_dev, st.st_ino, up };
        read_includes(j, seen, inc, &me, depth + 1);
    }
}

static struct journal *journal_new(const struct config *cfg)
{
    struct arena *a = arena_new();
    struct journal *j = arena_alloc(a, sizeof *j);
    j->arena = a;
    j->config = cfg;
    diag_init(&j->diags, a);
    j->names = names_new(a);
    return j;
}

static struct journal *run(struct journal *j, struct source *root, int fd)
{
    source_set_chunk(root, j->config->chunk);
    j->root = new_file(j, root);
    struct chain top = { 0, 0, NULL };
    struct stat st;
    /* fd: the root's descriptor, -1 for a path (the root's name), -2 for
     * bytes in memory (no file to find again). */
    bool have = fd >= 0 ? fstat(fd, &st) == 0 && S_ISREG(st.st_mode)
              : fd == -1 ? stat(root->name, &st) == 0 : false;
    if (have) {
        top.dev = st.st_dev;
        top.ino = st.st_ino;
    }
    struct seen seen = { NULL, 0, 0 };
    if (have)
        seen_add(j->arena, &seen, st.st_dev, st.st_ino);
    read_includes(j, &seen, j->root, have ? &top : NULL, 1);
    resolve(j);
    for (int r = 0; r < R_COUNT; r++)
        if (rule_table[r].check) {
            /* One check function may serve several rules: call it once. */
            bool seen = false;
            for (int q = 0; q < r; q++)
                if (rule_table[q].check == rule_table[r].check)
                    seen = true;
            if (!seen)
                rule_table[r].check(j);
        }
    diag_finish(&j->diags, j->severity);
    return j;
}

struct journal *journal_lint(const struct config *cfg, const char *path,
                             const char *name, int fd, const char **err)
{
    struct journal *j = journal_new(cfg);
    struct source *src = path ? open_source(j, path, name, err)
                              : source_read_stream(j->arena, fd, name, err);
    if (!src) {
        journal_free(j);
        return NULL;
    }
    return run(j, src, path ? -1 : fd);
}

struct journal *journal_lint_bytes(const struct config *cfg, const char *name,
                                   const char *bytes, size_t len)
{
    struct journal *j = journal_new(cfg);
    return run(j, source_from_bytes(j->arena, name, bytes, len), -2);
}

void journal_free(struct journal *j)
{
    if (!j)
        return;
    for (uint32_t i = 0; i < j->nfiles; i++) {
        source_release((struct source *)j->files[i]->src);
        free(j->files[i]->node);
        free(j->files[i]->node_kind);
    }
    const ladder_provider *pv = &j->config->provider;
    for (struct provided *p = j->provided; p; p = p->link)
        if (pv->release)
            pv->release(pv->ud, p->path, p->bytes);
    diag_free(&j->diags);
    names_free(j->names);
    arena_free(j->arena);
}

/* For resolve.c. */
int journal_option_default(enum option_id o)
{
    return option_defaults[o];
}
