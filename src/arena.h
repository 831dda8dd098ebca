/* arena.h - one bump allocator per journal.
 *
 * Everything a journal owns (file buffers, the AST, strings, diagnostics)
 * lives in its arena and is released at once by arena_free().  Running out
 * of memory is handled in one place: a message on stderr and exit 2, so no
 * caller ever checks for NULL.
 */
#ifndef LADDER_ARENA_H
#define LADDER_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);

/* Zeroed, aligned for any type.  Never returns NULL. */
void *arena_alloc(struct arena *a, size_t size);
/* Grow a block obtained from arena_alloc (copying; the old block is not reused). */
void *arena_grow(struct arena *a, void *old, size_t old_size, size_t new_size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* A big zeroed table for a while (a sort, a hash): mapped with its pages
 * already in (a first-touch fault per page costs more than the work on
 * it); give it back with xunmap and the same size. */
void *xmap(size_t n);
void xunmap(void *p, size_t n);

/* Plain heap helpers with the same out-of-memory policy. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
void oom(void) __attribute__((noreturn));

#endif
