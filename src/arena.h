/* arena.h - memory: one allocator handle and one bump arena per journal.
 *
 * Every byte the library takes comes through a struct mem: the caller's
 * allocator (ladder.h's ladder_allocator, or malloc), with every heap
 * block it hands out on a list, and a recovery point.  When an allocation
 * fails, oom() jumps to the recovery point that the library's entry point
 * set (ladder.c, journal.c), which frees everything still on the list and
 * returns an error: no caller ever checks for NULL, and nothing exits.
 *
 * Everything a journal owns (the AST, strings, diagnostics) lives in its
 * arena and is released at once by arena_free().
 */
#ifndef LADDER_ARENA_H
#define LADDER_ARENA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct mblock;

/* The caller's allocator (ladder.h's ladder_allocator, field for field). */
struct allocator {
    void *(*alloc)(void *ud, size_t size);
    void *(*realloc)(void *ud, void *p, size_t size);
    void (*free)(void *ud, void *p);
    void *ud;
};

struct mem {
    struct allocator a;             /* a.alloc == NULL: the malloc family */
    jmp_buf *fail;                  /* where a failed allocation goes */
    struct mblock *blocks;          /* heap blocks handed out, not yet freed */
    size_t live;                    /* how many */
    void *owner;                    /* what the recovery point cleans up */
};

/* A handle over `a` (NULL: malloc), itself allocated with it; NULL when
 * that fails.  mem_free() gives back every block still live, then the
 * handle. */
struct mem *mem_new(const struct allocator *a);
void mem_free(struct mem *m);
/* Give back every block still live (after a jump to the recovery point). */
void mem_release_all(struct mem *m);

/* Heap blocks through m.  A failure jumps to m->fail; with no recovery
 * point set, xtry_* return NULL instead (for work after the lint, such as
 * reading a line back for display, that can do without). */
void *xmalloc(struct mem *m, size_t n);
void *xrealloc(struct mem *m, void *p, size_t n);
void xfree(struct mem *m, void *p);
void *xtry_realloc(struct mem *m, void *p, size_t n);
void oom(struct mem *m) __attribute__((noreturn));

struct arena;

struct arena *arena_new(struct mem *m);
/* Everything `from` holds becomes into's, and every block of from's mem
 * (both from malloc) becomes into's mem's: `from` is left empty, on into's
 * mem, for its own header to be freed (arena_free).  For a file parsed in
 * two halves on two threads, each with its arena (journal.c). */
void arena_adopt(struct arena *into, struct arena *from);
/* Give the system back the unused ends of every chunk (after a file is
 * parsed, in huge pages: their untouched ends count in full), and go on
 * in 4 KiB pages, as arena_small_pages: the current chunk's end too. */
void arena_settle(struct arena *a);
/* Big chunks of a from here on are faulted in 4 KiB pages, up to 64 KiB
 * ahead of the blocks handed out, not in huge pages: for an arena that
 * stays small next to its chunks (a part of the work on a thread of its
 * own), where the untouched end of a huge page would count in full. */
void arena_small_pages(struct arena *a);
/* Does m take its memory from malloc (not a caller's allocator)? */
bool mem_is_malloc(const struct mem *m);
struct mem *arena_mem(const struct arena *a);
void arena_free(struct arena *a);

/* Zeroed, aligned for any type.  Never returns NULL. */
void *arena_alloc(struct arena *a, size_t size);
/* Zeroed, aligned to 8 bytes only (pointers and 64-bit integers, not
 * long double): for many small records of odd sizes (diagnostics). */
void *arena_alloc_small(struct arena *a, size_t size);
/* Zeroed, aligned to 4 bytes only: for records of 32-bit fields and bytes
 * (diagnostics, whose packed arguments are read with memcpy). */
void *arena_alloc_4(struct arena *a, size_t size);
/* Grow a block obtained from arena_alloc (copying; the old block is not reused). */
void *arena_grow(struct arena *a, void *old, size_t old_size, size_t new_size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* Does p point into memory handed out by a (so that it lives as long as
 * a)?  A walk over a's chunks, the newest first. */
bool arena_owns(const struct arena *a, const void *p);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* A big zeroed table for a while (a sort, a hash): mapped with its pages
 * already in (a first-touch fault per page costs more than the work on
 * it); give it back with xunmap and the same size. */
void *xmap(struct mem *m, size_t n);
void xunmap(struct mem *m, void *p, size_t n);

#endif
