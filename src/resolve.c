/* resolve.c - names, rungs, settings and chronology of a parsed journal. */
#include "resolve.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "names.h"

/* How many entries ahead the loops over a whole journal prefetch.  The
 * prefetching here, in ladder_rules.c and in b_flush_clients earns its
 * place: a 1M-call journal takes 6.18 s of CPU with it and 6.77 s without
 * (medians of 9 interleaved runs; docs/bench.md, "Speed tricks"). */
#define PREFETCH 16

/* The default ladder (ladder(5)). */
static const struct { const char *name, *desc; } default_ladder[] = {
    { "intro", "an introduction to a colleague or decision maker" },
    { "meeting", "a follow-up meeting" },
    { "needs", "detailed information about its needs" },
    { "strategy", "an extended strategy meeting" },
    { "visit", "a visit to our office" },
    { "reference", "a trip to a reference client's facility" },
    { "proposal", "an invitation to propose" },
    { "contract", "a signed contract" },
};

/* "Did you mean" searches are linear in the names: a journal gets this many,
 * so that a hostile one (100k misspelt names) stays linear overall. */
#define SUGGESTION_BUDGET 1000
#define SUGGEST_MAX_NAMES 5000

/* --- a string-keyed hash table (open addressing) ------------------------------- */

struct slot {
    const char *key;
    uint32_t len, hash;
    void *val;
};

struct table {
    struct slot *v;
    uint32_t cap, n;
};

static uint32_t hash_bytes(const char *p, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static struct slot *table_slot(const struct table *t, const char *key, uint32_t len,
                               uint32_t h)
{
    uint32_t i = h & (t->cap - 1);
    for (;;) {
        struct slot *s = &t->v[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
        i = (i + 1) & (t->cap - 1);
    }
}

/* The clients' names and aliases, for "did you mean" (nearest_name) only,
 * which searches them while there are at most SUGGEST_MAX_NAMES: past
 * that, the table is given back and only counts (n stays above it). */
static void table_put(struct arena *a, struct table *t, const char *key,
                      uint32_t len, void *val)
{
    if (t->n > SUGGEST_MAX_NAMES)
        return;
    if ((t->n + 1) * 4 > t->cap * 3) {
        /* On the heap, the old slots given back: in the arena every
         * smaller table would stay behind. */
        struct mem *m = arena_mem(a);
        struct table nt = { NULL, t->cap ? t->cap * 2 : 64, t->n };
        nt.v = xmalloc(m, nt.cap * sizeof *nt.v);
        memset(nt.v, 0, nt.cap * sizeof *nt.v);
        for (uint32_t i = 0; i < t->cap; i++)
            if (t->v[i].key)
                *table_slot(&nt, t->v[i].key, t->v[i].len, t->v[i].hash) = t->v[i];
        xfree(m, t->v);
        *t = nt;
    }
    uint32_t h = hash_bytes(key, len);
    struct slot *s = table_slot(t, key, len, h);
    if (!s->key && t->n == SUGGEST_MAX_NAMES) {
        xfree(arena_mem(a), t->v);      /* one name too many: no search again */
        t->v = NULL;
        t->cap = 0;
        t->n = SUGGEST_MAX_NAMES + 1;
        return;
    }
    if (!s->key)
        t->n++;
    s->key = key;
    s->len = len;
    s->hash = h;
    s->val = val;
}

/* Rungs by name: each rung's interned name points at it. */
const struct rung *journal_rung(const struct journal *j, const char *name,
                                size_t len)
{
    uint32_t id = names_find(j->names, name, (uint32_t)len);
    return id ? name_get(j->names, id)->rung : NULL;
}

/* --- settings ------------------------------------------------------------------ */

static void setting(struct journal *j, const struct file *f, const struct block *b,
                    int option[OPT_COUNT], int severity[R_COUNT],
                    const struct str **touch)
{
    const struct str *n = &b->u.setting.name, *v = &b->u.setting.value;
    if (b->kind == BK_OPTION) {
        int o = option_find(n->s, n->len);
        if (o < 0) {
            diag_report(&j->diags, R_SYNTAX, f->src, n->at,
                        "unknown option '%s': the options are max-step, "
                        "stall-after, one-sided-after, decline-after, strict, "
                        "touch-kinds and since",
                        n->s);
            return;
        }
        int val = option_parse_value((enum option_id)o, v->s, v->len);
        if (val < 0) {
            if (o == OPT_STRICT)
                diag_report(&j->diags, R_SYNTAX, f->src, v->at,
                            "'%s' is not a value of strict: use yes or no", v->s);
            else
                diag_report(&j->diags, R_SYNTAX, f->src, v->at,
                            "'%s' is not a value of this option: use %s",
                            v->s, option_value_help((enum option_id)o));
            return;
        }
        option[o] = val;
        if (o == OPT_TOUCH_KINDS)
            *touch = v;
        return;
    }
    int r = rule_find(n->s, n->len);
    if (r < 0) {
        diag_report(&j->diags, R_SYNTAX, f->src, n->at,
                    "unknown rule '%s'; did you mean '%s'?", n->s,
                    rule_nearest(n->s, n->len));
        return;
    }
    int s = severity_parse(v->s, v->len);
    if (s < 0) {
        diag_report(&j->diags, R_SYNTAX, f->src, v->at,
                    "'%s' is not a severity: use error, warning, note or off",
                    v->s);
        return;
    }
    severity[r] = s;
}

/* The kinds that are touches, interned: from the command line, else the
 * journal's directive, else the default. */
static void set_touch_kinds(struct journal *j, const struct str *directive)
{
    const char *v = "email";
    size_t len = 5;
    if (j->config->option[OPT_TOUCH_KINDS] >= 0 && j->config->touch_kinds) {
        v = j->config->touch_kinds;
        len = strlen(v);
    } else if (directive) {
        v = directive->s;
        len = directive->len;
    }
    if (len == 4 && memcmp(v, "none", 4) == 0)
        return;
    size_t pos = 0, s, n, count = 0;
    while (option_next_kind(v, len, &pos, &s, &n))
        count++;
    j->touch_kinds = arena_alloc(j->arena, (count + 1) * sizeof *j->touch_kinds);
    pos = 0;
    while (option_next_kind(v, len, &pos, &s, &n))
        if (n)
            j->touch_kinds[j->ntouch_kinds++] = names_intern(j->names, v + s, (uint32_t)n);
}

/* --- walking the journal in order ------------------------------------------------ */

struct walk {
    struct journal *j;
    int option[OPT_COUNT];
    int severity[R_COUNT];
    const struct str *touch;        /* the last touch-kinds directive's value */
    const struct block *ladder;     /* the first ladder directive */
    const struct file *ladder_file;
    const struct block **clients;   /* client directives, in order */
    const struct file **client_files;
    uint32_t nclients, capclients;
};

static void add_entry(struct journal *j, struct entry *e)
{
    e->seq = j->nentries;
    j->entries[j->nentries++] = e;  /* the same pointer, when they are the nodes */
}

/* Every node of the journal in reading order, an include's nodes in its
 * place.  The include chain is followed on a heap stack (a chain 1000
 * deep must not need more than a small stack, cli.md §2). */
static void walk(struct walk *w, struct file *root)
{
    struct journal *j = w->j;
    struct { struct file *f; uint32_t i; } *stack;
    uint32_t depth = 1, cap = 16;
    stack = xmalloc(j->mem, cap * sizeof *stack);
    stack[0].f = root;
    stack[0].i = 0;
    while (depth > 0) {
        struct file *f = stack[depth - 1].f;
        if (stack[depth - 1].i >= f->nnodes) {
            depth--;
            continue;
        }
        uint32_t i = stack[depth - 1].i++;
        if (f->node_kind[i] == BK_ENTRY) {
            add_entry(j, f->node[i]);
            continue;
        }
        const struct block *b = f->node[i];
        switch (b->kind) {
        case BK_ENTRY:
            break;
        case BK_INCLUDE:
            if (b->u.include.file) {
                if (depth == cap) {
                    cap *= 2;
                    stack = xrealloc(j->mem, stack, cap * sizeof *stack);
                }
                stack[depth].f = b->u.include.file;
                stack[depth++].i = 0;
            }
            break;
        case BK_OPTION:
        case BK_RULE:
            setting(j, f, b, w->option, w->severity, &w->touch);
            break;
        case BK_LADDER:
            if (!w->ladder) {
                w->ladder = b;
                w->ladder_file = f;
            } else {
                struct diag *d = diag_report(&j->diags, R_DUPLICATE_LADDER, f->src, b->kw,
                                             "a second ladder directive: the first "
                                             "one stands and this one is ignored");
                struct pos p = source_pos(w->ladder_file->src, w->ladder->kw.start);
                diag_note(&j->diags, d, w->ladder_file->src, w->ladder->kw.start,
                          "the ladder in force is defined here (line %u)", p.line);
            }
            break;
        case BK_CLIENT:
            if (w->nclients == w->capclients) {
                uint32_t nc = w->capclients ? w->capclients * 2 : 16;
                w->clients = arena_grow(j->arena, w->clients,
                                        w->capclients * sizeof *w->clients,
                                        nc * sizeof *w->clients);
                w->client_files = arena_grow(j->arena, w->client_files,
                                             w->capclients * sizeof *w->client_files,
                                             nc * sizeof *w->client_files);
                w->capclients = nc;
            }
            w->clients[w->nclients] = b;
            w->client_files[w->nclients++] = f;
            break;
        }
    }
    xfree(j->mem, stack);
}

/* --- the ladder -------------------------------------------------------------------- */

static void set_ladder(struct walk *w)
{
    struct journal *j = w->j;
    const struct block *b = w->ladder;
    int n = 0;
    if (b)
        for (const struct rung_def *r = b->u.ladder.rungs; r; r = r->link)
            n++;
    if (b && n == 0)
        diag_report(&j->diags, R_SYNTAX, w->ladder_file->src, b->kw,
                    "a ladder with no rungs: list its rungs on indented lines, "
                    "lowest first (the default ladder stands)");
    if (n == 0) {
        j->nrungs = (int)(sizeof default_ladder / sizeof default_ladder[0]);
        j->rungs = arena_alloc(j->arena, (size_t)j->nrungs * sizeof *j->rungs);
        for (int i = 0; i < j->nrungs; i++) {
            j->rungs[i].name = default_ladder[i].name;
            j->rungs[i].desc = default_ladder[i].desc;
            j->rungs[i].rank = i + 1;
            uint32_t id = names_intern(j->names, j->rungs[i].name,
                                       (uint32_t)strlen(j->rungs[i].name));
            name_get(j->names, id)->rung = &j->rungs[i];
        }
        return;
    }
    j->rungs = arena_alloc(j->arena, (size_t)n * sizeof *j->rungs);
    for (const struct rung_def *r = b->u.ladder.rungs; r; r = r->link) {
        struct name *nm = name_get(j->names, r->name);
        const struct rung *dup = nm->rung;
        if (dup) {
            struct diag *d = diag_report(&j->diags, R_SYNTAX, w->ladder_file->src,
                                         r->at, "rung '%s' is already on the ladder",
                                         dup->name);
            diag_note(&j->diags, d, w->ladder_file->src, dup->at.start,
                      "'%s' is rung %d", dup->name, dup->rank);
            continue;
        }
        struct rung *g = &j->rungs[j->nrungs++];
        g->name = nm->s;
        g->desc = r->desc.s ? r->desc.s : "";
        g->rank = j->nrungs;
        g->src = w->ladder_file->src;
        g->at = r->at;
        nm->rung = g;
    }
}

static const struct rung *nearest_rung(struct journal *j, const char *p,
                                       uint32_t len)
{
    if (j->nrungs > SUGGEST_MAX_NAMES || j->suggestions >= SUGGESTION_BUDGET)
        return NULL;
    j->suggestions++;
    const struct rung *best = &j->rungs[0];
    size_t bd = (size_t)-1;
    for (int i = 0; i < j->nrungs; i++) {
        size_t d = edit_distance(p, len, j->rungs[i].name,
                                 strlen(j->rungs[i].name), 65);
        if (d < bd) {
            bd = d;
            best = &j->rungs[i];
        }
    }
    return best;
}

/* --- clients ------------------------------------------------------------------------- */

static struct client *new_client(struct journal *j, const char *name, bool declared)
{
    struct client *c = arena_alloc(j->arena, sizeof *c);
    c->name = name;
    c->declared = declared;
    if (j->clients_last)
        j->clients_last->link = c;
    else
        j->clients = c;
    j->clients_last = c;
    j->nclients++;
    return c;
}

/* The name now names client c.  The table keeps the names in the order the
 * "did you mean" search has always visited them. */
static void name_client(struct journal *j, struct table *names, struct name *n,
                        struct client *c)
{
    n->client = c;
    table_put(j->arena, names, n->s, n->len, c);
}

static void set_clients(struct walk *w, struct table *names)
{
    struct journal *j = w->j;
    for (uint32_t i = 0; i < w->nclients; i++) {
        const struct block *b = w->clients[i];
        const struct source *src = w->client_files[i]->src;
        struct name *n = name_get(j->names, b->u.client.name);
        struct client *c = n->client;
        if (!c) {
            c = new_client(j, n->s, true);
            name_client(j, names, n, c);
        } else if (c->name != n->s) {
            /* The name is another client's alias. */
            diag_report(&j->diags, R_SYNTAX, src, b->u.client.name_at,
                        "'%s' is already an alias of client '%s'", n->s, c->name);
            continue;
        }
        /* A client declared again adds its aliases to the first declaration. */
        for (const struct alias_def *a = b->u.client.aliases; a; a = a->link) {
            struct name *an = name_get(j->names, a->name);
            struct client *o = an->client;
            if (o && o != c) {
                diag_report(&j->diags, R_SYNTAX, src, a->at,
                            "alias '%s' already names client '%s'", an->s, o->name);
                continue;
            }
            name_client(j, names, an, c);
        }
    }
}

/* The declared name or alias nearest to t, for "did you mean"; NULL if none
 * is near.  Skipped on journals with very many names. */
static const char *nearest_name(struct journal *j, const struct table *names,
                                const struct name *t)
{
    if (names->n == 0 || names->n > SUGGEST_MAX_NAMES ||
        j->suggestions >= SUGGESTION_BUDGET)
        return NULL;
    j->suggestions++;
    const struct slot *best = NULL;
    size_t bd = t->len / 3 + 1;
    if (bd > 3)
        bd = 3;
    for (uint32_t i = 0; i < names->cap; i++) {
        const struct slot *s = &names->v[i];
        if (!s->key || !((const struct client *)s->val)->declared)
            continue;
        size_t d = edit_distance(t->s, t->len, s->key, s->len, bd + 1);
        if (d < bd || (d == bd && !best)) {
            bd = d;
            best = s;
        }
    }
    return best ? arena_strndup(j->arena, best->key, best->len) : NULL;
}

/* --- entries ------------------------------------------------------------------------- */

static void resolve_rung(struct journal *j, const struct source *src,
                         struct item *it)
{
    const struct name *nm = name_get(j->names, it->rung_name);
    const struct rung *r = nm->rung;
    if (r) {
        it->rank = r->rank <= RANK_MAX ? (unsigned)r->rank : 0;
        return;
    }
    const struct rung *near = nearest_rung(j, nm->s, nm->len);
    const char *name = nm->s;
    if (near) {
        struct diag *d = diag_report(&j->diags, R_UNKNOWN_RUNG, src, item_rung(it),
                    "unknown rung '%s'; did you mean '%s'?", name, near->name);
        struct fix *f = diag_fix(&j->diags, d, false, "replace '%s' with '%s'",
                                 name, near->name);
        diag_fix_replace(&j->diags, f, src, item_rung(it), near->name);
    }
    else
        diag_report(&j->diags, R_UNKNOWN_RUNG, src, item_rung(it),
                    "unknown rung '%s': it is not on the journal's ladder", name);
}

/* The lengths of the ladder's rung names: a dated next's first word of
 * any other length names no rung, and is not read back from the text. */
struct rung_lens {
    uint64_t small;                 /* bit n: a rung name of n bytes, n < 64 */
    uint32_t max;                   /* the longest */
};

static struct rung_lens rung_lens(const struct journal *j)
{
    struct rung_lens rl = { 0, 0 };
    for (int i = 0; i < j->nrungs; i++) {
        size_t n = strlen(j->rungs[i].name);
        if (n < 64)
            rl.small |= UINT64_C(1) << n;
        if (n > rl.max)
            rl.max = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    }
    return rl;
}

/* The rung a dated next's first word names, if any.  The parser keeps only
 * where the word is (item_rung): it is read back from the text, as a
 * title is for duplicate-entry; a text that can no longer be read names
 * no rung. */
static const struct rung *next_word_rung(struct journal *j, const struct rung_lens *rl,
                                         const struct source *src, struct span w)
{
    uint32_t n = w.end - w.start;
    if (n == 0 || n > rl->max || (n < 64 && !(rl->small >> n & 1)))
        return NULL;
    char buf[256];
    char *p = n <= sizeof buf ? buf : xmalloc(j->mem, n);
    const struct rung *r = source_read_at(src, w.start, n, p) ? journal_rung(j, p, n) : NULL;
    if (p != buf)
        xfree(j->mem, p);
    return r;
}

static void resolve_entry(struct journal *j, struct table *names, struct entry *e,
                          uint32_t call, const struct rung_lens *rl)
{
    struct name *n = name_get(j->names, e->client);
    struct client *c = n->client;
    if (!c) {
        /* Undeclared clients still have a history of their own. */
        c = new_client(j, n->s, false);
        name_client(j, names, n, c);
    }
    if (!c->declared && j->option[OPT_STRICT]) {
        if (!c->looked_up) {            /* one search per distinct name */
            c->looked_up = true;
            c->suggest = nearest_name(j, names, n);
        }
        struct diag *d;
        if (c->suggest) {
            d = diag_report(&j->diags, R_UNKNOWN_CLIENT, e->src, entry_client_at(e),
                            "unknown client '%s'; did you mean '%s'?",
                            n->s, c->suggest);
            struct fix *f = diag_fix(&j->diags, d, false, "replace '%s' with '%s'",
                                     n->s, c->suggest);
            diag_fix_replace(&j->diags, f, e->src, entry_client_at(e), c->suggest);
        } else {
            d = diag_report(&j->diags, R_UNKNOWN_CLIENT, e->src, entry_client_at(e),
                            "unknown client '%s': declare it with a 'client' directive",
                            n->s);
        }
        /* A `client` directive above the entry, in the file's line ends. */
        struct fix *f = diag_fix(&j->diags, d, false,
                                 "declare '%s' with a 'client' directive", n->s);
        if (f) {
            const char *eol = source_eol(e->src);
            char *decl = arena_printf(j->arena, "client %s%s%s", n->s, eol, eol);
            diag_fix_edit(&j->diags, f, e->src, e->start, e->start, decl, strlen(decl));
        }
    }
    /* n->client is c from here on: the entry's client (entry_who). */
    uint32_t kind = e->kind ? e->kind : call;
    for (uint32_t i = 0; i < j->ntouch_kinds; i++)
        if (j->touch_kinds[i] == kind)
            e->touch = 1;
    for (uint32_t i = 0; i < e->nitems; i++) {
        struct item *it = &e->items[i];
        switch (it->kind) {
        case IT_PLAN:
        case IT_ASK:
        case IT_GOT:
            resolve_rung(j, e->src, it);
            break;
        case IT_NEXT: {
            /* A dated next's first word is the rung when it names one:
             * resolve records the rank (where the parser kept the word)
             * and leaves the spans as parsed (item_next_rung,
             * item_next_text). */
            const struct rung *r = NULL;
            if (it->next == NEXT_DATED && !span_empty(item_rung(it)))
                r = it->rank == NEXT_WORD_FAR ? next_word_rung(j, rl, e->src, item_rung(it))
                  : it->rank ? name_get(j->names, it->rank)->rung : NULL;
            it->rank = r && r->rank <= RANK_MAX ? (unsigned)r->rank : 0;
            break;
        }
        case IT_GAVE:
        case IT_NOTE:
            break;
        }
    }
}

/* date-order: each entry against the entry above it in the same file. */
void check_date_order(struct journal *j)
{
    for (uint32_t f = 0; f < j->nfiles; f++) {
        const struct entry *prev = NULL;
        const struct file *fl = j->files[f];
        for (uint32_t i = 0; i < fl->nnodes; i++) {
            if (fl->node_kind[i] != BK_ENTRY)
                continue;
            const struct entry *e = fl->node[i];
            if (!e->date.valid)
                continue;
            if (prev && date_cmp(e->date, prev->date) < 0 &&
                !journal_before_since(j, e->date)) {
                struct pos p = source_pos(prev->src, entry_date_at(prev).start);
                diag_report(&j->diags, R_DATE_ORDER, e->src, entry_date_at(e),
                            "%04d-%02d-%02d is before %04d-%02d-%02d, the date of "
                            "the entry above it (line %u)",
                            e->date.year, e->date.month, e->date.day,
                            prev->date.year, prev->date.month, prev->date.day, p.line);
            }
            prev = e;
        }
    }
}

/* duplicate-entry: a hash of (date, time, client, kind, title's hash). */
static uint32_t dup_hash(const struct entry *e, const struct client *who, uint32_t kind)
{
    uint32_t h = (uint32_t)(e->date.year * 372 + e->date.month * 31 + e->date.day);
    h = h * 16777619u ^ (uint32_t)(e->minutes + 2);
    h = h * 16777619u ^ (uint32_t)(uintptr_t)who;
    h = h * 16777619u ^ kind;
    h = h * 16777619u ^ e->title;
    /* Its high bits pick the slot (dup_first_slot): mix them. */
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    return h;
}

/* The table's first slot for hash h: the high bits of h scaled to cap, so
 * that cap need not be a power of two. */
static inline uint32_t dup_first_slot(uint32_t h, uint32_t cap)
{
    return (uint32_t)(((uint64_t)h * cap) >> 32);
}

/* An entry's title read back from its source (a streamed file is read
 * again), a block at a time, folded: one byte at a time from title_byte. */
struct title_reader {
    const struct source *src;
    uint32_t off, end;              /* what is left to read */
    uint32_t i, n;                  /* buf[i, n) is read, not yet used */
    int next;                       /* a byte looked at after blanks, or -1 */
    bool bad;                       /* it could not be read */
    char buf[1024];
};

static void title_reader_init(struct title_reader *r, const struct entry *e)
{
    r->src = e->src;
    r->off = entry_title_at(e).start;
    r->end = entry_title_at(e).end;
    r->i = r->n = 0;
    r->next = -1;
    r->bad = false;
}

/* The next byte as written, -1 at the end (or when unreadable: r->bad). */
static int title_raw(struct title_reader *r)
{
    if (r->i == r->n) {
        if (r->off >= r->end || r->bad)
            return -1;
        uint32_t n = r->end - r->off < sizeof r->buf ? r->end - r->off
                                                     : (uint32_t)sizeof r->buf;
        if (!source_read_at(r->src, r->off, n, r->buf)) {
            r->bad = true;
            return -1;
        }
        r->off += n;
        r->i = 0;
        r->n = n;
    }
    return (unsigned char)r->buf[r->i++];
}

/* The next byte of the folded title (fold_blanks), -1 at the end. */
static int title_byte(struct title_reader *r)
{
    int c = r->next >= 0 ? r->next : title_raw(r);
    r->next = -1;
    if (c == ' ' || c == '\t') {
        do
            r->next = title_raw(r);
        while (r->next == ' ' || r->next == '\t');
        c = ' ';
    }
    return c;
}

/* Equal title hashes: are the titles equal once folded?  A title that can
 * no longer be read (its file changed since) is taken as different: never
 * a duplicate-entry from a hash collision. */
static bool same_title(const struct entry *a, const struct entry *b)
{
    if (!a->title)
        return true;                /* both absent */
    struct title_reader ra, rb;
    title_reader_init(&ra, a);
    title_reader_init(&rb, b);
    for (;;) {
        int x = title_byte(&ra), y = title_byte(&rb);
        if (x != y)
            return false;
        if (x < 0)
            return !ra.bad && !rb.bad;
    }
}

void check_duplicates(struct journal *j)
{
    /* Four slots for three entries: a fuller table would take more probes;
     * an emptier one more memory, at the time of the run's peak in a
     * journal with few diagnostics (docs/bench.md, eleventh session). */
    uint64_t want = (uint64_t)j->nentries + j->nentries / 3 + 64;
    if (want > UINT32_MAX)
        oom(arena_mem(j->arena));
    uint32_t cap = (uint32_t)want;
    /* On the heap, freed at once: it is not needed after this check.  A
     * slot keeps the hash beside the entry's index, so that a probe reads
     * no entry unless the hashes agree. */
    struct dup_slot {
        uint32_t hash, idx;         /* idx: the entry's index + 1, 0 empty */
    } *tab = xmap(arena_mem(j->arena), cap * sizeof *tab);
    /* No kind is a call: "(call)" written or not is the same kind (resolve
     * interned the word: only looked up here, where another thread may
     * be working on the journal). */
    uint32_t call = names_find(j->names, "call", 4);
    for (uint32_t i = 0; i < j->nentries; i++) {
        if (i + PREFETCH < j->nentries) {
            const struct entry *f = journal_entry(j, i + PREFETCH);
            __builtin_prefetch(&tab[dup_first_slot(dup_hash(f, entry_who(j, f),
                                                            f->kind ? f->kind : call),
                                                   cap)]);
        }
        struct entry *e = journal_entry(j, i);
        if (!e->date.valid)
            continue;
        uint32_t kind = e->kind ? e->kind : call;
        const struct client *who = entry_who(j, e);
        uint32_t h = dup_hash(e, who, kind);
        for (uint32_t s = dup_first_slot(h, cap);; s = s + 1 == cap ? 0 : s + 1) {
            if (!tab[s].idx) {
                tab[s].hash = h;
                tab[s].idx = i + 1;
                break;
            }
            if (tab[s].hash != h)
                continue;
            const struct entry *o = journal_entry(j, tab[s].idx - 1);
            if (date_cmp(o->date, e->date) == 0 && o->minutes == e->minutes &&
                entry_who(j, o) == who && (o->kind ? o->kind : call) == kind &&
                o->title == e->title &&
                same_title(o, e)) {
                if (journal_before_since(j, e->date))
                    break;
                struct pos p = source_pos(o->src, o->start);
                struct diag *d = diag_report(&j->diags, R_DUPLICATE_ENTRY, e->src, entry_line(e),
                        "this entry repeats an earlier one: same date, time, "
                        "client, kind and title (%s%sline %u)",
                        o->src == e->src ? "" : o->src->name,
                        o->src == e->src ? "" : " ", p.line);
                diag_note(&j->diags, d, o->src, o->start, "the first entry is here");
                break;
            }
        }
    }
    xunmap(arena_mem(j->arena), tab, cap * sizeof *tab);
    for (uint32_t f = 0; f < j->nfiles; f++)
        source_done_reading(j->files[f]->src);
}

/* Chronological order: date, then time (none first), then journal order.
 * The sort reads keys, not entries: with a million entries scattered in the
 * arena, following a pointer at each comparison is what costs.  A key is
 * one number: the date and time in its top 33 bits (a day of year 9999 at
 * 23:59 is below 2^33), the entry's index in j->entries in the low 31. */
typedef uint64_t chrono_key;

#define SEQ_BITS 31
#define SEQ_MASK ((UINT64_C(1) << SEQ_BITS) - 1)

static inline uint32_t key_seq(chrono_key c)
{
    return (uint32_t)(c & SEQ_MASK);
}

static int cmp_chrono(const void *a, const void *b)
{
    chrono_key x = *(const chrono_key *)a, y = *(const chrono_key *)b;
    return x < y ? -1 : x > y;
}

/* Sort k[0, n) by cmp_chrono: an insertion sort, which moves few keys
 * when they are nearly in order, until it has moved eight a key; then
 * qsort on what it has left (still all the keys). */
static void sort_run(chrono_key *k, uint32_t n)
{
    uint64_t budget = (uint64_t)n * 8;
    for (uint32_t i = 1; i < n; i++) {
        if (k[i - 1] <= k[i])
            continue;
        chrono_key x = k[i];
        uint32_t m = i;
        while (m > 0 && k[m - 1] > x && budget > 0) {
            k[m] = k[m - 1];
            m--;
            budget--;
        }
        k[m] = x;
        if (budget == 0) {
            qsort(k, n, sizeof *k, cmp_chrono);
            return;
        }
    }
}

/* The day of a key (its date; the time is below). */
static inline uint64_t key_day(chrono_key c)
{
    return c >> (SEQ_BITS + 11);
}

/* Sort the journal's keys chronologically.  A journal out of order is
 * usually in date order with the times of a day out of order: then each
 * day's entries are sorted alone (a busy day's with qsort, on a few dozen
 * keys, not the whole journal's).  Otherwise (an entry written late, or
 * no order at all) sort_run on all of them. */
static void sort_chrono(chrono_key *k, uint32_t n)
{
    bool by_day = true;
    for (uint32_t i = 1; i < n && by_day; i++)
        by_day = key_day(k[i - 1]) <= key_day(k[i]);
    if (!by_day) {
        sort_run(k, n);
        return;
    }
    for (uint32_t lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo + 1; hi < n && key_day(k[hi]) == key_day(k[lo]); hi++)
            ;
        sort_run(k + lo, hi - lo);
    }
}

/* Room for the chronology (nentries + 1) and every client's history
 * (cap + 1 each, the caps adding up to at most nentries). */
static uint32_t *chrono_room(struct journal *j)
{
    size_t n = 2 * (size_t)j->nentries + j->nclients + 1;
    return arena_alloc(j->arena, n * sizeof(uint32_t));
}

/* The chronology and each client's history, in room (chrono_room); its
 * sort keys for a while from m. */
static void set_chronology(struct journal *j, struct mem *m, uint32_t *room)
{
    j->chrono = room;
    room += j->nentries + 1;
    if (j->nentries > SEQ_MASK)
        oom(m);                         /* 2^31 entries: far past any memory */
    size_t ksize = (j->nentries + 1) * sizeof(chrono_key);
    chrono_key *k = xmap(m, ksize);
    bool sorted = true;
    for (uint32_t i = 0; i < j->nentries; i++) {
        struct entry *e = journal_entry(j, i);
        if (!e->date.valid)
            continue;
        uint64_t day = ((uint64_t)e->date.year * 13 + (uint64_t)e->date.month) * 32 +
                       (uint64_t)e->date.day;
        chrono_key c = (day * 2048 + (uint64_t)(e->minutes + 1)) << SEQ_BITS | e->seq;
        /* A journal is usually written in date order: then nothing is sorted. */
        if (j->nchrono && k[j->nchrono - 1] > c)
            sorted = false;
        k[j->nchrono++] = c;
        entry_who(j, e)->cap++;         /* its client's history's room */
    }
    if (!sorted)
        sort_chrono(k, j->nchrono);
    for (uint32_t i = 0; i < j->nchrono; i++)
        j->chrono[i] = key_seq(k[i]);
    /* Each client's history, chronological, in one arena block per client. */
    for (struct client *c = j->clients; c; c = c->link) {
        c->entries = room;              /* cap + 1 (chrono_room) */
        room += c->cap + 1;
        c->nentries = 0;
    }
    for (uint32_t i = 0; i < j->nchrono; i++) {
        if (i + PREFETCH < j->nchrono)
            __builtin_prefetch(entry_who(j, journal_entry(j, key_seq(k[i + PREFETCH]))), 1);
        if (i + PREFETCH / 2 < j->nchrono) {
            const struct client *c = entry_who(j, journal_entry(j, key_seq(k[i + PREFETCH / 2])));
            __builtin_prefetch(&c->entries[c->nentries], 1);
        }
        struct client *c = entry_who(j, journal_entry(j, key_seq(k[i])));
        c->entries[c->nentries++] = key_seq(k[i]);
    }
    xunmap(m, k, ksize);
}

static void resolve_names(struct journal *j)
{
    struct walk w;
    memset(&w, 0, sizeof w);
    w.j = j;
    for (int i = 0; i < OPT_COUNT; i++)
        w.option[i] = -1;
    for (int i = 0; i < R_COUNT; i++)
        w.severity[i] = -1;
    uint32_t total = 0;
    for (uint32_t f = 0; f < j->nfiles; f++)
        total += j->files[f]->nentries;
    /* A journal of one file of entries only (no directive, no include):
     * its nodes are its entries, in order. */
    if (j->nfiles == 1 && j->root == j->files[0] && total && j->root->nnodes == total)
        j->entries = j->root->node;
    else
        j->entries = arena_alloc(j->arena, (total + 1) * sizeof *j->entries);
    walk(&w, j->root);

    const struct config *cfg = j->config;
    for (int i = 0; i < OPT_COUNT; i++)
        j->option[i] = cfg->option[i] >= 0 ? cfg->option[i]
                     : w.option[i] >= 0 ? w.option[i]
                     : option_default((enum option_id)i);
    for (int i = 0; i < R_COUNT; i++)
        j->severity[i] = cfg->severity[i] >= 0 ? (enum severity)cfg->severity[i]
                       : w.severity[i] >= 0 ? (enum severity)w.severity[i]
                       : rule_table[i].severity;
    /* unknown-client is off unless the journal is strict. */
    if (!j->option[OPT_STRICT])
        j->severity[R_UNKNOWN_CLIENT] = SEV_OFF;

    set_touch_kinds(j, w.touch);
    if (j->option[OPT_SINCE] > 0) {
        int v = j->option[OPT_SINCE];
        j->since = (struct date){ (int16_t)(v / 10000), (int8_t)(v / 100 % 100),
                                  (int8_t)(v % 100), true };
    }
    /* An entry without a kind is a call. */
    uint32_t call = names_intern(j->names, "call", 4);

    set_ladder(&w);
    struct table *names = arena_alloc(j->arena, sizeof *names);
    set_clients(&w, names);
    struct rung_lens rl = rung_lens(j);
    for (uint32_t i = 0; i < j->nentries; i++) {
        /* A big journal's names and clients are far apart in memory: ask
         * for the next entries' name, then client, ahead of time. */
        if (i + PREFETCH < j->nentries)
            __builtin_prefetch(name_get(j->names, journal_entry(j, i + PREFETCH)->client));
        if (i + PREFETCH / 2 < j->nentries) {
            const struct name *n = name_get(j->names, journal_entry(j, i + PREFETCH / 2)->client);
            if (n->client)
                __builtin_prefetch(n->client);
        }
        resolve_entry(j, names, journal_entry(j, i), call, &rl);
    }
    for (uint32_t f = 0; f < j->nfiles; f++)       /* next_word_rung's reading */
        source_done_reading(j->files[f]->src);
}

void resolve(struct journal *j)
{
    resolve_names(j);
    set_chronology(j, j->mem, chrono_room(j));
}

/* A journal of this many entries or more (config.rules_split, as for the
 * ladder rules) is put in chronological order on a thread of its own
 * while this one checks date-order and duplicate-entry.  The checks read
 * the resolved entries (dates, clients, titles) and the files, and write
 * only diagnostics; the chronology writes j->chrono and each client's
 * history, in room taken from the journal's arena beforehand, and its
 * sort keys come from memory of the thread's own (the journal's memory
 * is not for two threads). */
#define STRUCTURE_SPLIT_DEFAULT 32768u

struct chrono_part {
    struct journal *j;
    uint32_t *room;
    struct mem *mem;
    bool ok;
    jmp_buf fail;
};

static void *chrono_thread(void *arg)
{
    struct chrono_part *p = arg;
    p->mem->fail = &p->fail;
    if (setjmp(p->fail))
        return NULL;
    set_chronology(p->j, p->mem, p->room);
    p->ok = true;
    return NULL;
}

bool resolve_and_check_structure(struct journal *j)
{
    resolve_names(j);
    uint32_t min = j->config->rules_split ? j->config->rules_split
                                          : STRUCTURE_SPLIT_DEFAULT;
    struct chrono_part p;
    memset(&p, 0, sizeof p);
    p.j = j;
    p.room = chrono_room(j);
    if (min == UINT32_MAX || j->nentries < min || !mem_is_malloc(j->mem) ||
        !(p.mem = mem_new(NULL))) {
        set_chronology(j, j->mem, p.room);
        return false;
    }
    pthread_t t;
    if (pthread_create(&t, NULL, chrono_thread, &p) != 0) {
        mem_free(p.mem);
        set_chronology(j, j->mem, p.room);
        return false;
    }
    /* Out of memory here: wait for the thread before the journal goes. */
    struct mem *m = j->mem;
    jmp_buf local, *outer = m->fail;
    if (setjmp(local)) {
        m->fail = outer;
        pthread_join(t, NULL);
        mem_free(p.mem);
        oom(m);
    }
    m->fail = &local;
    check_date_order(j);
    check_duplicates(j);
    m->fail = outer;
    pthread_join(t, NULL);
    mem_free(p.mem);                    /* the sort keys went with the sort */
    if (!p.ok)
        oom(m);
    return true;
}
