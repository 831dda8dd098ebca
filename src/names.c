/* names.c - interning a journal's names. */
#include "names.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* FNV-1a, 32 bits. */
#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

uint32_t names_hash(const char *p, uint32_t len)
{
    uint32_t h = FNV_BASIS;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)p[i]) * FNV_PRIME;
    return h;
}

struct names *names_new(struct arena *a)
{
    struct names *t = arena_alloc(a, sizeof *t);
    t->arena = a;
    t->cap = 64;
    t->byid = arena_alloc(a, t->cap * sizeof *t->byid);
    t->n = 1;                       /* id 0: no name */
    t->nslots = 128;
    t->slots = xmalloc(arena_mem(a), t->nslots * sizeof *t->slots);
    memset(t->slots, 0, t->nslots * sizeof *t->slots);
    return t;
}

void names_free(struct names *t)
{
    if (t) {
        xfree(arena_mem(t->arena), t->slots);
        t->slots = NULL;
    }
}

/* The slot holding these bytes, or the empty slot where they would go. */
static struct name_slot *slot_of(const struct names *t, const char *p,
                                 uint32_t len, uint32_t h)
{
    uint32_t mask = t->nslots - 1;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        struct name_slot *s = &t->slots[i];
        if (!s->id)
            return s;
        if (s->hash != h)
            continue;
        const struct name *nm = s->name;
        if (nm->len == len && memcmp(nm->s, p, len) == 0)
            return s;
    }
}

uint32_t names_find(const struct names *t, const char *p, uint32_t len)
{
    return slot_of(t, p, len, names_hash(p, len))->id;
}

void names_prefetch(const struct names *t, uint32_t hash)
{
    const struct name_slot *s = &t->slots[hash & (t->nslots - 1)];
    __builtin_prefetch(s);
    if (s->id)                      /* already here once the slot is */
        __builtin_prefetch(s->name);
}

uint32_t names_intern(struct names *t, const char *p, uint32_t len)
{
    return names_intern_hashed(t, p, len, names_hash(p, len));
}

uint32_t names_intern_hashed(struct names *t, const char *p, uint32_t len,
                             uint32_t h)
{
    struct name_slot *s = slot_of(t, p, len, h);
    if (s->id)
        return s->id;
    if (t->n == t->cap) {
        uint32_t nc = t->cap * 2;
        t->byid = arena_grow(t->arena, t->byid, t->cap * sizeof *t->byid,
                             nc * sizeof *t->byid);
        t->cap = nc;
    }
    /* The name and its bytes in one block. */
    struct name *nm = arena_alloc(t->arena, sizeof *nm + len + 1);
    char *c = (char *)(nm + 1);
    memcpy(c, p, len);
    c[len] = '\0';
    nm->s = c;
    nm->len = len;
    nm->hash = h;
    uint32_t id = t->n++;
    t->byid[id] = nm;
    s->id = id;
    s->hash = h;
    s->name = nm;
    if ((t->n - 1) * 2 > t->nslots) {     /* over half full: rehash */
        uint32_t ns = t->nslots * 2;
        xfree(arena_mem(t->arena), t->slots);   /* the old table is given back */
        t->slots = xmalloc(arena_mem(t->arena), ns * sizeof *t->slots);
        memset(t->slots, 0, ns * sizeof *t->slots);
        t->nslots = ns;
        for (uint32_t i = 1; i < t->n; i++) {
            const struct name *m = t->byid[i];
            struct name_slot *q = slot_of(t, m->s, m->len, m->hash);
            q->id = i;
            q->hash = m->hash;
            q->name = t->byid[i];
        }
    }
    return id;
}

int needs_fold(const char *p, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        if (p[i] == '\t' || (p[i] == ' ' && i + 1 < len &&
                             (p[i + 1] == ' ' || p[i + 1] == '\t')))
            return 1;
    return 0;
}

uint32_t fold_blanks(const char *p, uint32_t len, char *out)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < len; i++) {
        char c = p[i];
        if (c == ' ' || c == '\t') {
            if (k && out[k - 1] == ' ')
                continue;
            c = ' ';
        }
        out[k++] = c;
    }
    return k;
}

uint32_t names_hash_folded(const char *p, uint32_t len)
{
    uint32_t h = FNV_BASIS;
    for (uint32_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ' ' || c == '\t') {
            while (i + 1 < len && (p[i + 1] == ' ' || p[i + 1] == '\t'))
                i++;
            c = ' ';
        }
        h = (h ^ c) * FNV_PRIME;
    }
    return h;
}
