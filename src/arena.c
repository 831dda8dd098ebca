/* arena.c - bump allocator in growing chunks. */
#define _DEFAULT_SOURCE             /* MAP_ANONYMOUS, MAP_POPULATE, madvise */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALIGN 16u
#define CHUNK_MIN ((size_t)64 * 1024)

struct chunk {
    struct chunk *prev;
    size_t size;          /* usable bytes after the header */
    size_t used;
    size_t mapped;        /* bytes mapped, 0 if from calloc */
    _Alignas(16) unsigned char data[];
};

/* Under AddressSanitizer chunks come from calloc, so that its checks and
 * its leak report see them. */
#if defined(__SANITIZE_ADDRESS__)
#define CHUNKS_FROM_CALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHUNKS_FROM_CALLOC 1
#endif
#endif

/* Page faults are dear: on the 2-vCPU VM we measure, a first touch costs
 * 12-17 us a page, a page mapped with MAP_POPULATE 3-5 us.  So chunks up to
 * POPULATE_MAX are mapped populated (a small journal's whole arena); bigger
 * ones, whose tail may stay unused, are faulted in as they fill, in huge
 * pages where the kernel allows them. */
#define POPULATE_MAX ((size_t)1 << 20)

static struct chunk *chunk_new(size_t sz)
{
#ifdef CHUNKS_FROM_CALLOC
    struct chunk *c = calloc(1, sizeof *c + sz);
    if (c)
        c->mapped = 0;
    return c;
#else
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t total = (sizeof(struct chunk) + sz + page - 1) / page * page;
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | (total <= POPULATE_MAX ? MAP_POPULATE : 0);
    void *p = mmap(NULL, total, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (total > POPULATE_MAX)
        madvise(p, total, MADV_HUGEPAGE);   /* a hint: failure is fine */
    struct chunk *c = p;
    c->mapped = total;
    return c;
#endif
}

static void chunk_free(struct chunk *c)
{
    if (c->mapped)
        munmap(c, c->mapped);
    else
        free(c);
}

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
        chunk_free(c);
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
        /* Fresh pages come zeroed from the kernel, and a bump allocator
         * never hands memory out twice, so nothing is memset. */
        struct chunk *n = chunk_new(sz);
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

void *xmap(size_t n)
{
#ifdef CHUNKS_FROM_CALLOC
    void *p = calloc(1, n ? n : 1);
    if (!p)
        oom();
    return p;
#else
    void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED)
        oom();
    return p;
#endif
}

void xunmap(void *p, size_t n)
{
#ifdef CHUNKS_FROM_CALLOC
    (void)n;
    free(p);
#else
    if (p)
        munmap(p, n ? n : 1);
#endif
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
