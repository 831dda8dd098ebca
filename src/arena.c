/* arena.c - bump allocator in growing chunks. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16u
#define CHUNK_MIN ((size_t)64 * 1024)

struct chunk {
    struct chunk *prev;
    size_t size;          /* usable bytes after the header */
    size_t used;
    _Alignas(16) unsigned char data[];
};

struct arena {
    struct chunk *head;
};

void oom(void)
{
    fputs("ladder: out of memory\n", stderr);
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

struct arena *arena_new(void)
{
    struct arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    return a;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    struct chunk *c = a->head;
    while (c) {
        struct chunk *prev = c->prev;
        free(c);
        c = prev;
    }
    free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
    size_t need = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < size)
        oom();
    struct chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t sz = CHUNK_MIN;
        if (c && c->size * 2 > sz && c->size < ((size_t)16 << 20))
            sz = c->size * 2;       /* grow chunks geometrically up to 16 MiB */
        if (sz < need)
            sz = need;
        if (sz > SIZE_MAX - sizeof *c)
            oom();
        /* calloc: fresh pages come zeroed from the kernel, and a bump
         * allocator never hands memory out twice, so nothing is memset. */
        struct chunk *n = calloc(1, sizeof *n + sz);
        if (!n)
            oom();
        n->size = sz;
        n->used = 0;
        if (c && need > CHUNK_MIN && c->size - c->used >= CHUNK_MIN) {
            /* A big block: keep filling the current chunk afterwards. */
            n->prev = c->prev;
            c->prev = n;
            n->used = need;
            return n->data;
        }
        n->prev = c;
        a->head = n;
        c = n;
    }
    void *p = c->data + c->used;
    c->used += need;
    return p;
}

void *arena_grow(struct arena *a, void *old, size_t old_size, size_t new_size)
{
    void *p = arena_alloc(a, new_size);
    if (old && old_size)
        memcpy(p, old, old_size < new_size ? old_size : new_size);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    /* Format once into a stack buffer; only a longer text is formatted
     * again at its size. */
    char buf[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(buf, sizeof buf, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        oom();
    char *p = arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof buf)
        memcpy(p, buf, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}
