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

/* Under AddressSanitizer big blocks come from the allocator too, so that
 * its checks and its leak report see them. */
#if defined(__SANITIZE_ADDRESS__)
#define NO_MMAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NO_MMAP 1
#endif
#endif

/* Page faults are dear: on the 2-vCPU VM we measure, a first touch costs
 * 12-17 us a page, a page mapped with MAP_POPULATE 3-5 us.  So arena chunks
 * up to POPULATE_MAX and the big temporary tables are mapped populated (a
 * small journal's whole arena); bigger chunks, whose tail may stay unused,
 * are faulted in as they fill: in huge pages where the kernel allows them
 * while a file is parsed (the bulk of an arena), and after arena_settle or
 * arena_small_pages in 4 KiB pages, AHEAD bytes at a time with one call
 * (MADV_POPULATE_WRITE, Linux 5.14), so that a huge page's untouched end
 * does not count in full.  With an allocator of the caller's, every block
 * comes from it. */
#define POPULATE_MAX ((size_t)1 << 20)
#define HUGE ((size_t)2 << 20)
#define AHEAD ((size_t)64 * 1024)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Every block handed out starts with this header, on the mem's list. */
struct mblock {
    struct mblock *prev, *next;
    size_t mapped;                  /* bytes mapped (header included), 0 from the allocator */
    size_t size;
};

_Static_assert(sizeof(struct mblock) % ALIGN == 0, "blocks stay aligned");

static void *sys_alloc(void *ud, size_t n) { (void)ud; return malloc(n); }
static void *sys_realloc(void *ud, void *p, size_t n) { (void)ud; return realloc(p, n); }
static void sys_free(void *ud, void *p) { (void)ud; free(p); }

struct mem *mem_new(const struct allocator *a)
{
    struct allocator use = { sys_alloc, sys_realloc, sys_free, NULL };
    if (a && a->alloc)
        use = *a;
    struct mem *m = use.alloc(use.ud, sizeof *m);
    if (!m)
        return NULL;
    memset(m, 0, sizeof *m);
    m->a = use;
    return m;
}

static bool custom(const struct mem *m)
{
    return m->a.alloc != sys_alloc;
}

static void link_block(struct mem *m, struct mblock *b)
{
    b->prev = NULL;
    b->next = m->blocks;
    if (m->blocks)
        m->blocks->prev = b;
    m->blocks = b;
    m->live++;
}

static void unlink_block(struct mem *m, struct mblock *b)
{
    if (b->prev)
        b->prev->next = b->next;
    else
        m->blocks = b->next;
    if (b->next)
        b->next->prev = b->prev;
    m->live--;
}

static void block_release(struct mem *m, struct mblock *b)
{
    if (b->mapped)
        munmap(b, b->mapped);
    else
        m->a.free(m->a.ud, b);
}

void mem_release_all(struct mem *m)
{
    while (m->blocks) {
        struct mblock *b = m->blocks;
        unlink_block(m, b);
        block_release(m, b);
    }
}

void mem_free(struct mem *m)
{
    if (!m)
        return;
    mem_release_all(m);
    m->a.free(m->a.ud, m);
}

void oom(struct mem *m)
{
    /* The entry point's recovery point frees what is live.  A library must
     * not exit: an entry point that allocates always sets one. */
    longjmp(*m->fail, 1);
}

/* A block of n bytes after its header: `map` 0 from the allocator, 1
 * mapped populated, 2 mapped in huge pages if it can be, 3 mapped in pages
 * faulted in as they are touched; zeroed if asked (mapped memory always
 * is).  NULL on failure. */
static void *block_new(struct mem *m, size_t n, int map, bool zero)
{
    if (n > SIZE_MAX - sizeof(struct mblock) - 4096)
        return NULL;
    size_t total = sizeof(struct mblock) + n;
    struct mblock *b;
#ifdef NO_MMAP
    map = 0;
#endif
    if (map && !custom(m)) {
        size_t page = (size_t)sysconf(_SC_PAGESIZE);
        total = (total + page - 1) / page * page;
        int flags = MAP_PRIVATE | MAP_ANONYMOUS | (map == 1 ? MAP_POPULATE : 0);
        /* Huge pages only fill aligned 2 MiB: map more, keep the aligned
         * part. */
        size_t extra = map == 2 && total % HUGE == 0 ? HUGE : 0;
        char *p = mmap(NULL, total + extra, PROT_READ | PROT_WRITE, flags, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
        if (extra) {
            size_t head = (HUGE - (uintptr_t)p % HUGE) % HUGE;
            if (head)
                munmap(p, head);
            if (extra - head)
                munmap(p + head + total, extra - head);
            p += head;
        }
        if (map == 2)
            madvise(p, total, MADV_HUGEPAGE);   /* a hint: failure is fine */
        b = (struct mblock *)p;
        b->mapped = total;
    } else {
        b = m->a.alloc(m->a.ud, total);
        if (!b)
            return NULL;
        if (zero || map)
            memset(b + 1, 0, n);
        b->mapped = 0;
    }
    b->size = n;
    link_block(m, b);
    return b + 1;
}

static struct mblock *header(void *p)
{
    return (struct mblock *)p - 1;
}

void *xmalloc(struct mem *m, size_t n)
{
    void *p = block_new(m, n, 0, false);
    if (!p)
        oom(m);
    return p;
}

void *xtry_realloc(struct mem *m, void *p, size_t n)
{
    if (!p)
        return block_new(m, n, 0, false);
    struct mblock *b = header(p);
    if (n > SIZE_MAX - sizeof *b)
        return NULL;
    unlink_block(m, b);
    struct mblock *nb = m->a.realloc(m->a.ud, b, sizeof *b + n);
    if (!nb) {
        link_block(m, b);
        return NULL;
    }
    nb->size = n;
    link_block(m, nb);
    return nb + 1;
}

void *xrealloc(struct mem *m, void *p, size_t n)
{
    void *q = xtry_realloc(m, p, n);
    if (!q)
        oom(m);
    return q;
}

void xfree(struct mem *m, void *p)
{
    if (!p)
        return;
    struct mblock *b = header(p);
    unlink_block(m, b);
    block_release(m, b);
}

struct chunk {
    struct chunk *prev;
    size_t size;          /* usable bytes after the header */
    size_t used;
    size_t ready;         /* in 4 KiB pages: data[0, ready) faulted in;
                           * SIZE_MAX: not followed (populated, huge pages,
                           * the allocator's, or the kernel cannot) */
    _Alignas(16) unsigned char data[];
};

struct arena {
    struct chunk *head;
    struct mem *mem;
    bool small_pages;               /* big chunks in 4 KiB pages, not huge
                                     * (arena_small_pages, arena_settle) */
    struct chunk **byaddr;          /* every chunk, by address (heap): for
                                     * arena_owns, whatever their number */
    size_t nchunks, capchunks;
};

struct arena *arena_new(struct mem *m)
{
    struct arena *a = xmalloc(m, sizeof *a);
    a->head = NULL;
    a->mem = m;
    a->small_pages = false;
    a->byaddr = NULL;
    a->nchunks = a->capchunks = 0;
    return a;
}

struct mem *arena_mem(const struct arena *a)
{
    return a->mem;
}

/* Keep chunk n in a->byaddr, in address order. */
static void add_chunk(struct arena *a, struct chunk *n)
{
    if (a->nchunks == a->capchunks) {
        size_t nc = a->capchunks ? a->capchunks * 2 : 16;
        a->byaddr = xrealloc(a->mem, a->byaddr, nc * sizeof *a->byaddr);
        a->capchunks = nc;
    }
    size_t i = a->nchunks;
    while (i > 0 && (uintptr_t)a->byaddr[i - 1] > (uintptr_t)n) {
        a->byaddr[i] = a->byaddr[i - 1];
        i--;
    }
    a->byaddr[i] = n;
    a->nchunks++;
}

/* The chunk holding p, if any: the last one starting at or before it.  A
 * search, not a walk: a big journal has hundreds of chunks, and every name
 * a diagnostic quotes is asked about. */
bool arena_owns(const struct arena *a, const void *p)
{
    uintptr_t u = (uintptr_t)p;
    size_t lo = 0, hi = a->nchunks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)a->byaddr[mid]->data <= u)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    const struct chunk *c = a->byaddr[lo - 1];
    return u - (uintptr_t)c->data < c->used;
}

void arena_settle(struct arena *a)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    for (struct chunk *c = a->head; c; c = c->prev) {
        const struct mblock *b = header(c);
        if (!b->mapped)
            continue;               /* the allocator's: not ours to advise */
        uintptr_t from = ((uintptr_t)c->data + c->used + page - 1) / page * page;
        uintptr_t to = (uintptr_t)b + b->mapped;
        if (to > from) {
            /* The current chunk goes on in small pages: else a fault in
             * a whole free 2 MiB there would take a huge page again. */
            if (c == a->head)
                madvise((void *)from, to - from, MADV_NOHUGEPAGE);
            madvise((void *)from, to - from, MADV_DONTNEED);
        }
        if (c == a->head)
            c->ready = from - (uintptr_t)c->data;
    }
    a->small_pages = true;
}

void arena_small_pages(struct arena *a)
{
    a->small_pages = true;
}

void arena_adopt(struct arena *into, struct arena *from)
{
    struct mem *m = into->mem, *fm = from->mem;
    /* Room first: nothing is half-moved if memory runs out. */
    size_t n = into->nchunks + from->nchunks;
    if (n > into->capchunks) {
        into->byaddr = xrealloc(m, into->byaddr, n * sizeof *into->byaddr);
        into->capchunks = n;
    }
    if (fm != m) {
        while (fm->blocks) {
            struct mblock *b = fm->blocks;
            unlink_block(fm, b);
            link_block(m, b);
        }
        from->mem = m;
    }
    /* from's chunks go behind into's current one (full or not, they are
     * only freed from there), and into the address index. */
    if (from->head) {
        struct chunk *tail = from->head;
        while (tail->prev)
            tail = tail->prev;
        if (into->head) {
            tail->prev = into->head->prev;
            into->head->prev = from->head;
        } else {
            into->head = from->head;
        }
        from->head = NULL;
    }
    size_t i = into->nchunks, j = from->nchunks;
    while (j > 0) {
        if (i > 0 && (uintptr_t)into->byaddr[i - 1] > (uintptr_t)from->byaddr[j - 1]) {
            into->byaddr[i + j - 1] = into->byaddr[i - 1];
            i--;
        } else {
            into->byaddr[i + j - 1] = from->byaddr[j - 1];
            j--;
        }
    }
    into->nchunks = n;
    from->nchunks = 0;
}

bool mem_is_malloc(const struct mem *m)
{
    return !custom(m);
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    struct chunk *c = a->head;
    while (c) {
        struct chunk *prev = c->prev;
        xfree(a->mem, c);
        c = prev;
    }
    xfree(a->mem, a->byaddr);
    xfree(a->mem, a);
}

/* c's pages up to AHEAD past its end, in one call: a fault each would
 * cost more.  Once the kernel says no, c is faulted in as it is touched. */
static void ready_ahead(struct chunk *c)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t to = c->size - c->used > AHEAD ? (c->used + AHEAD) & ~(AHEAD - 1) : c->size;
    uintptr_t from = ((uintptr_t)c->data + c->ready) / page * page;
    uintptr_t end = ((uintptr_t)c->data + to + page - 1) / page * page;
    if (madvise((void *)from, end - from, MADV_POPULATE_WRITE) != 0)
        to = SIZE_MAX;
    c->ready = to;
}

/* size bytes aligned to align (a power of two, at most ALIGN). */
static void *bump(struct arena *a, size_t size, size_t align)
{
    size_t need = (size + align - 1) & ~(align - 1);
    if (need < size)
        oom(a->mem);
    struct chunk *c = a->head;
    size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || at > c->size || c->size - at < need) {
        size_t sz = CHUNK_MIN;
        if (c && c->size * 2 > sz && c->size < ((size_t)16 << 20))
            sz = c->size * 2;       /* grow chunks geometrically up to 16 MiB */
        if (sz < need)
            sz = need;
        if (sz > SIZE_MAX - sizeof *c)
            oom(a->mem);
        /* Fresh pages come zeroed from the kernel, and a bump allocator
         * never hands memory out twice, so mapped chunks are not memset. */
        size_t total = sizeof *c + sz;
        int map = total <= POPULATE_MAX ? 1 : a->small_pages ? 3 : 2;
        if (map == 2 && total <= SIZE_MAX - 2 * HUGE) {
            /* Whole huge pages, the headers included. */
            total = (total + sizeof(struct mblock) + HUGE - 1) / HUGE * HUGE -
                    sizeof(struct mblock);
            sz = total - sizeof *c;
        }
        struct chunk *n = block_new(a->mem, total, map, true);
        if (!n)
            oom(a->mem);
        add_chunk(a, n);
        n->size = sz;
        n->used = 0;
        n->ready = map == 3 && header(n)->mapped ? 0 : SIZE_MAX;
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
        at = 0;
    }
    void *p = c->data + at;
    c->used = at + need;
    if (c->used > c->ready)
        ready_ahead(c);
    return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
    return bump(a, size, ALIGN);
}

void *arena_alloc_small(struct arena *a, size_t size)
{
    return bump(a, size, 8);
}

void *arena_alloc_4(struct arena *a, size_t size)
{
    return bump(a, size, 4);
}

void *xmap(struct mem *m, size_t n)
{
    void *p = block_new(m, n ? n : 1, 1, true);
    if (!p)
        oom(m);
    return p;
}

void xunmap(struct mem *m, void *p, size_t n)
{
    (void)n;
    xfree(m, p);
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
        oom(a->mem);
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
