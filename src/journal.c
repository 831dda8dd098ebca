/* journal.c - the pipeline for one journal: read, parse, include, resolve,
 * check, settle. */
/* realpath() (for --include-root) is an X/Open function in glibc. */
#define _XOPEN_SOURCE 700
#include "journal.h"

#include <errno.h>
#include <setjmp.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "fix.h"
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

/* --- a big file in two halves ---------------------------------------------- */

/* A file this long or longer is parsed on two threads: the whole line map
 * is made first (source_map_all, which also finds where to cut: at an entry
 * near the middle); this thread parses the first half into the journal, the
 * other the second half into an arena, names and diagnostics of its own,
 * which are then folded into the journal's as if they had been read in
 * order: the same tree, names, diagnostics and order (docs/bench.md, "Two
 * halves").  Not with a caller's allocator, which may not be thread-safe. */
#define SPLIT_DEFAULT ((uint32_t)256 * 1024)

struct half {
    struct source *src;             /* the file (its line map is read only) */
    uint32_t cut;                   /* the half starts here */
    bool fixes;                     /* the journal attaches fixes */
    struct mem *mem;                /* everything the half takes, until adopted */
    struct arena *arena;
    struct names *names;
    struct diag_list diags;
    struct file file;               /* its nodes and comments */
    struct source *reader;
    struct parse_ctx ctx;
    jmp_buf fail;
    bool ok;                        /* parsed (else out of memory) */
};

static void *parse_half(void *arg)
{
    struct half *h = arg;
    h->mem->fail = &h->fail;
    if (setjmp(h->fail))
        return NULL;
    h->arena = arena_new(h->mem);
    h->names = names_new(h->arena);
    diag_init(&h->diags, h->arena);
    h->diags.fixes = h->fixes;
    h->file.src = h->src;
    h->reader = source_reader(h->src, h->arena, h->cut, h->src->len);
    struct parse_ctx *ctx = &h->ctx;
    ctx->arena = h->arena;
    ctx->src = h->src;
    ctx->reader = h->reader;
    ctx->diags = &h->diags;
    ctx->file = &h->file;
    ctx->names = h->names;
    parse_file(ctx);
    b_free(ctx);
    h->ok = true;
    return NULL;
}

/* The second half's name ids, in the journal's table. */
static void remap_names(void *node, uint8_t kind, const uint32_t *map)
{
    if (kind == BK_ENTRY) {
        struct entry *e = node;
        e->kind = map[e->kind];
        e->client = map[e->client];
        for (uint32_t k = 0; k < e->nitems; k++) {
            struct item *it = &e->items[k];
            if (it->kind != IT_NEXT) {
                it->rung_name = map[it->rung_name];
            } else if (it->rank && it->rank != NEXT_WORD_FAR) {
                it->rank = next_word_kept(map[it->rank]);   /* a dated next's first word */
            }
        }
        return;
    }
    struct block *b = node;
    if (kind == BK_LADDER) {
        for (struct rung_def *r = b->u.ladder.rungs; r; r = r->link)
            r->name = map[r->name];
    } else if (kind == BK_CLIENT) {
        b->u.client.name = map[b->u.client.name];
        for (struct alias_def *a = b->u.client.aliases; a; a = a->link)
            a->name = map[a->name];
    }
}

/* Fold the parsed second half into the journal and f (after the first);
 * its memory is the journal's already (arena_adopt). */
static void adopt_half(struct journal *j, struct file *f, struct half *h)
{
    struct mem *m = j->mem;
    /* Its names are interned in the order it met them, after the first
     * half's: the ids a sequential parse gives. */
    uint32_t *map = xmalloc(m, (size_t)h->names->n * sizeof *map);
    map[0] = 0;
    for (uint32_t i = 1; i < h->names->n; i++) {
        const struct name *x = name_get(h->names, i);
        map[i] = names_intern_hashed(j->names, x->s, x->len, x->hash);
    }
    names_free(h->names);
    struct file *g = &h->file;
    for (uint32_t i = 0; i < g->nnodes; i++)
        remap_names(g->node[i], g->node_kind[i], map);
    xfree(m, map);
    if (g->nnodes) {
        size_t n = (size_t)f->nnodes + g->nnodes;
        f->node = xrealloc(m, f->node, n * sizeof *f->node);
        f->node_kind = xrealloc(m, f->node_kind, n);
        memcpy(f->node + f->nnodes, g->node, (size_t)g->nnodes * sizeof *g->node);
        memcpy(f->node_kind + f->nnodes, g->node_kind, g->nnodes);
        f->nnodes = (uint32_t)n;
        xfree(m, g->node);
        xfree(m, g->node_kind);
    }
    f->nentries += g->nentries;
    if (g->ncomments) {
        size_t n = (size_t)f->ncomments + g->ncomments;
        f->comments = arena_grow(j->arena, f->comments,
                                 (size_t)f->ncomments * sizeof *f->comments,
                                 n * sizeof *f->comments);
        memcpy(f->comments + f->ncomments, g->comments,
               (size_t)g->ncomments * sizeof *g->comments);
        f->ncomments = f->capcomments = (uint32_t)n;
    }
    diag_adopt(&j->diags, &h->diags);
    arena_free(h->arena);               /* its header: its chunks are j's */
    h->arena = NULL;
}

static void parse_split(struct journal *j, struct file *f, struct source *src,
                        uint32_t cut)
{
    struct mem *m = j->mem;
    struct half h;
    memset(&h, 0, sizeof h);
    h.src = src;
    h.cut = cut;
    h.fixes = j->diags.fixes;
    h.mem = mem_new(NULL);
    if (!h.mem)
        oom(m);
    pthread_t t;
    bool threaded = pthread_create(&t, NULL, parse_half, &h) == 0;
    /* Out of memory in the first half: wait for the second before going
     * to the entry point's recovery (which frees what it reads). */
    jmp_buf local, *outer = m->fail;
    if (setjmp(local)) {
        m->fail = outer;
        if (threaded)
            pthread_join(t, NULL);
        mem_free(h.mem);
        oom(m);
    }
    m->fail = &local;
    struct parse_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.arena = j->arena;
    ctx.src = src;
    ctx.reader = source_reader(src, j->arena, 0, cut);
    ctx.diags = &j->diags;
    ctx.file = f;
    ctx.names = j->names;
    parse_file(&ctx);
    b_free(&ctx);
    m->fail = outer;
    if (threaded)
        pthread_join(t, NULL);
    else
        parse_half(&h);             /* no thread: one after the other */
    if (!h.ok) {
        mem_free(h.mem);
        oom(m);
    }
    if (setjmp(local)) {            /* before its memory is the journal's */
        m->fail = outer;
        mem_free(h.mem);
        oom(m);
    }
    m->fail = &local;
    arena_adopt(j->arena, h.arena);     /* h.mem's blocks are m's from here */
    m->fail = outer;
    mem_free(h.mem);                    /* empty now: its handle */
    adopt_half(j, f, &h);
    source_readers_done(src, ctx.reader, h.reader);
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
    uint32_t split = j->config->split ? j->config->split : SPLIT_DEFAULT;
    uint32_t cut;
    if (split != UINT32_MAX && mem_is_malloc(j->mem) &&
        source_map_all(src, split, &cut) && cut) {
        parse_split(j, f, src, cut);
        return f;
    }
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
    j->diags.fixes = !cfg->no_fixes;
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
    if (!j->alone)
        read_includes(j, &seen, j->root, have ? &st : NULL, restricted,
                      root_ok ? inc_root : NULL);
    /* The tree is whole: the rest of the run takes far less memory, and
     * its chunks' unused ends go back (docs/bench.md, eleventh session). */
    arena_settle(j->arena);
    bool structure = false;         /* date-order and duplicate-entry done */
    if (j->alone)
        resolve(j);
    else
        structure = resolve_and_check_structure(j);
    if (j->alone)                   /* fmt: only the file's syntax matters */
        for (int r = 0; r < R_COUNT; r++)
            if (r != R_SYNTAX)
                j->severity[r] = SEV_OFF;
    for (int r = 0; r < R_COUNT && !j->alone; r++)
        if (rule_table[r].check) {
            /* One check function may serve several rules: call it once. */
            bool seen = structure && (rule_table[r].check == check_date_order ||
                                      rule_table[r].check == check_duplicates);
            for (int q = 0; q < r; q++)
                if (rule_table[q].check == rule_table[r].check)
                    seen = true;
            if (!seen)
                rule_table[r].check(j);
        }
    j->diags.since = j->since;
    struct fix_lines syntax;
    if (j->diags.fixes)
        fix_note_syntax(j, &syntax);
    diag_finish(&j->diags, j->severity);
    if (j->diags.fixes)
        fix_attach(j, &syntax);
    return j;
}

const char journal_oom[] = "out of memory";

/* What to lint: a path, a descriptor, or bytes. */
struct root {
    const char *path, *name;
    int fd;
    const char *bytes;
    size_t len;
    bool alone;
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
    j->alone = r->alone;
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
    struct root r = { path, name, path ? -1 : fd, NULL, 0, false };
    return lint_root(cfg, &r, err);
}

struct journal *journal_lint_bytes(const struct config *cfg, const char *name,
                                   const char *bytes, size_t len)
{
    struct root r = { NULL, name, -2, bytes ? bytes : "", len, false };
    const char *err = NULL;
    return lint_root(cfg, &r, &err);
}

struct journal *journal_parse_alone(const struct config *cfg, const char *name,
                                    const char *bytes, size_t len)
{
    struct root r = { NULL, name, -2, bytes ? bytes : "", len, true };
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

