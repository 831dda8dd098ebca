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
    const unsigned char *u = (const unsigned char *)p;
    uint32_t h = FNV_BASIS, i = 0;
    for (; i + 4 <= len; i += 4) {  /* four bytes a turn: less loop overhead */
        h = (h ^ u[i]) * FNV_PRIME;
        h = (h ^ u[i + 1]) * FNV_PRIME;
        h = (h ^ u[i + 2]) * FNV_PRIME;
        h = (h ^ u[i + 3]) * FNV_PRIME;
    }
    for (; i < len; i++)
        h = (h ^ u[i]) * FNV_PRIME;
    return h;
}

struct names *names_new(struct arena *a)
{
    struct names *t = arena_alloc(a, sizeof *t);
    t->arena = a;
    t->cap = 64;
    /* On the heap, grown in place: doubling in the arena would leave every
     * smaller copy behind, as much again as the last. */
    t->byid = xmalloc(arena_mem(a), t->cap * sizeof *t->byid);
    t->byid[0] = NULL;
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
        xfree(arena_mem(t->arena), t->byid);
        t->byid = NULL;
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
        t->byid = xrealloc(arena_mem(t->arena), t->byid, nc * sizeof *t->byid);
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

/* The high bit of each byte of x that equals the byte c repeated in cs
 * (exact: no carries between bytes). */
static inline uint64_t bytes_eq(uint64_t x, uint64_t cs)
{
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7fu;
    uint64_t y = x ^ cs;
    return ~(((y & low7) + low7) | y | low7);
}

/* Do the 8 bytes of text in x hold a tab, or a space followed by a
 * blank? */
static inline int window_needs_fold(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u;
    uint64_t sp = bytes_eq(x, ones * ' ');
    return (bytes_eq(x, ones * '\t') | (sp & (sp >> 8))) != 0;
}

int needs_fold(const char *p, uint32_t len)
{
    /* Eight bytes at a time (a name or title is mostly words and single
     * spaces).  Windows overlap by a byte, so that every pair of
     * neighbours falls in one; the last one ends at the text's end.  A
     * short text is padded with NULs, which are no blanks. */
    uint64_t x = 0;
    if (len < 8) {
        memcpy(&x, p, len);
        return window_needs_fold(x);
    }
    uint32_t i = 0;
    for (; i + 8 < len; i += 7) {
        memcpy(&x, p + i, sizeof x);
        if (window_needs_fold(x))
            return 1;
    }
    memcpy(&x, p + len - 8, sizeof x);
    return window_needs_fold(x);
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
    if (!needs_fold(p, len))        /* the usual text: nothing to fold */
        return names_hash(p, len);
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
