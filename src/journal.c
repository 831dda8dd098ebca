/* journal.c - the pipeline for one journal: read, parse, include, resolve,
 * check, settle. */
/* realpath() (for --include-root) is an X/Open function in glibc. */
#define _XOPEN_SOURCE 700
#include "journal.h"

#include <errno.h>
#include <setjmp.h>
#include <fcntl.h>
#include <limits.h>
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
    const struct provider *pv = &j->config->provider;
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
    struct source *s = source_read(j->arena, path, name, err);
    if (s && j->config->keep_text)
        source_keep_text(s);        /* streamed all the same */
    return s;
}

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

/* A file whose includes are being read: one level of the include chain.
 * The chain is kept on the heap, not in recursive calls, so a chain as deep
 * as the limit needs no more stack than a single file (cli.md §2). */
struct level {
    struct file *f;
    uint32_t next;                  /* the next node of f to look at */
    dev_t dev;                      /* f's identity, for cycles */
    ino_t ino;
    bool known;                     /* dev and ino are f's */
};

/* Is `path` inside the folder `root` (a real path; NULL when the folder
 * does not exist) after resolving "..", "." and symbolic links?  real
 * (PATH_MAX bytes) gets the path resolved; false with errno set when it
 * cannot be, with errno 0 when it is outside. */
static bool inside_root(const char *root, const char *path, char *real)
{
    if (!realpath(path, real))
        return false;
    errno = 0;
    if (!root)
        return false;
    if (strcmp(root, "/") == 0)
        return true;
    size_t n = strlen(root);
    return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/* Read the includes of `root` and theirs, depth first, in file order.
 * With `restricted`, only files inside `inc_root` may be read. */
static void read_includes(struct journal *j, struct seen *seen, struct file *root,
                          const struct stat *root_st, bool restricted,
                          const char *inc_root)
{
    uint32_t cap = 16, depth = 1;
    struct level *stack = xmalloc(j->mem, cap * sizeof *stack);
    stack[0] = (struct level){ root, 0, 0, 0, root_st != NULL };
    if (root_st) {
        stack[0].dev = root_st->st_dev;
        stack[0].ino = root_st->st_ino;
    }
    while (depth > 0) {
        struct level *lv = &stack[depth - 1];
        struct file *f = lv->f;
        if (lv->next >= f->nnodes) {
            depth--;
            continue;
        }
        uint32_t i = lv->next++;
        if (f->node_kind[i] != BK_INCLUDE)
            continue;
        struct block *b = f->node[i];
        const char *rel = b->u.include.path.s;
        const char *dir = f->src->dir;
        const char *path = rel[0] == '/' || !dir[0]
                   ? rel : arena_printf(j->arena, "%s/%s", dir, rel);
        /* depth: the includes nested so far, plus one. */
        if (depth > MAX_INCLUDE_DEPTH) {
            diag_report(&j->diags, R_INCLUDE, f->src, b->at,
                        "cannot include '%s': includes are nested more than %d deep",
                        rel, MAX_INCLUDE_DEPTH);
            continue;
        }
        const char *open_path = path;
        if (restricted) {
            char real[PATH_MAX];
            if (!inside_root(inc_root, path, real)) {
                if (errno)
                    diag_report(&j->diags, R_INCLUDE, f->src, b->at,
                                "cannot include '%s': %s", rel, strerror(errno));
                else
                    diag_report(&j->diags, R_INCLUDE, f->src, b->at,
                                "cannot include '%s': it is outside the include "
                                "root %s (--include-root)", rel,
                                j->config->include_root);
                continue;
            }
            /* Read the file that was checked, not a path that a symbolic
             * link could redirect afterwards. */
            open_path = arena_strdup(j->arena, real);
        }
        struct stat st;
        bool known = stat(open_path, &st) == 0;
        if (known) {
            bool cycle = false;
            for (uint32_t k = 0; k < depth && !cycle; k++)
                cycle = stack[k].known && stack[k].dev == st.st_dev &&
                        stack[k].ino == st.st_ino;
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
        struct source *src = open_source(j, open_path, path, &err);
        if (!src) {
            diag_report(&j->diags, R_INCLUDE, f->src, b->at,
                        "cannot include '%s': %s", rel, err);
            continue;
        }
        source_set_chunk(src, j->config->chunk);
        source_set_max_line(src, j->config->max_line);
        struct file *inc = new_file(j, src);
        b->u.include.file = inc;
        if (depth == cap) {
            cap *= 2;
            stack = xrealloc(j->mem, stack, cap * sizeof *stack);
        }
        stack[depth++] = (struct level){ inc, 0, st.st_dev, st.st_ino, known };
    }
    xfree(j->mem, stack);
}

static struct journal *journal_new(const struct config *cfg, struct mem *m)
{
    struct arena *a = arena_new(m);
    struct journal *j = arena_alloc(a, sizeof *j);
    j->mem = m;
    j->arena = a;
    j->config = cfg;
    diag_init(&j->diags, a);
    j->names = names_new(a);
    return j;
}

static struct journal *run(struct journal *j, struct source *root, int fd)
{
    source_set_chunk(root, j->config->chunk);
    source_set_max_line(root, j->config->max_line);
    j->root = new_file(j, root);
    struct stat st;
    /* fd: the root's descriptor, -1 for a path (the root's name), -2 for
     * bytes in memory (no file to find again).  Standard input reported
     * under a file's name (--stdin-filename) is that file: an include cycle
     * through it is a cycle, not a second reading of it from the disk. */
    bool have = false;
    if (fd == -1)
        have = stat(root->name, &st) == 0;
    else if (fd >= 0)
        have = (strcmp(root->name, STDIN_NAME) != 0 && stat(root->name, &st) == 0) ||
               (fstat(fd, &st) == 0 && S_ISREG(st.st_mode));
    struct seen seen = { NULL, 0, 0 };
    if (have)
        seen_add(j->arena, &seen, st.st_dev, st.st_ino);
    bool restricted = j->config->include_root != NULL;
    char inc_root[PATH_MAX];
    bool root_ok = restricted && realpath(j->config->include_root, inc_root);
    read_includes(j, &seen, j->root, have ? &st : NULL, restricted,
                  root_ok ? inc_root : NULL);
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
    j->diags.since = j->since;
    diag_finish(&j->diags, j->severity);
    return j;
}

const char journal_oom[] = "out of memory";

/* What to lint: a path, a descriptor, or bytes. */
struct root {
    const char *path, *name;
    int fd;
    const char *bytes;
    size_t len;
};

/* Give back what the provider lent and the descriptors still open; the
 * memory goes with the mem. */
static void release_outside(struct journal *j)
{
    const struct provider *pv = &j->config->provider;
    for (struct provided *p = j->provided; p; p = p->link)
        if (pv->release)
            pv->release(pv->ud, p->path, p->bytes);
    j->provided = NULL;
    for (uint32_t i = 0; i < j->nfiles; i++)
        source_release((struct source *)j->files[i]->src);
}

/* The pipeline under a recovery point: a failed allocation anywhere below
 * comes back here (arena.h).  Only `m` is read after the jump, and it is
 * not changed after setjmp. */
static struct journal *lint_root(const struct config *cfg, const struct root *r,
                                 const char **err)
{
    struct mem *m = mem_new(&cfg->alloc);
    if (!m) {
        *err = journal_oom;
        return NULL;
    }
    jmp_buf fail;
    m->fail = &fail;
    if (setjmp(fail)) {
        struct journal *j = m->owner;
        if (j)
            release_outside(j);
        mem_free(m);
        *err = journal_oom;
        return NULL;
    }
    struct journal *j = journal_new(cfg, m);
    m->owner = j;
    struct source *src;
    if (r->bytes || r->fd == -2)
        src = source_from_bytes(j->arena, r->name, r->bytes, r->len);
    else if (r->path)
        src = open_source(j, r->path, r->name, err);
    else
        src = source_read_stream(j->arena, r->fd, r->name, err);
    if (!src) {
        m->fail = NULL;
        journal_free(j);
        return NULL;
    }
    run(j, src, r->path ? -1 : r->fd);
    m->fail = NULL;
    return j;
}

struct journal *journal_lint(const struct config *cfg, const char *path,
                             const char *name, int fd, const char **err)
{
    struct root r = { path, name, path ? -1 : fd, NULL, 0 };
    return lint_root(cfg, &r, err);
}

struct journal *journal_lint_bytes(const struct config *cfg, const char *name,
                                   const char *bytes, size_t len)
{
    struct root r = { NULL, name, -2, bytes ? bytes : "", len };
    const char *err = NULL;
    return lint_root(cfg, &r, &err);
}

void journal_free(struct journal *j)
{
    if (!j)
        return;
    struct mem *m = j->mem;
    release_outside(j);
    /* Everything else is memory from m: the arena, the node arrays, the
     * line maps, the diagnostics' table, the names' slots. */
    mem_free(m);
}

