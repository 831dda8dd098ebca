/* fmt.h - the canonical form of one journal file (cli.md §6). */
#ifndef LADDER_FMT_H
#define LADDER_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"

/* The canonical text of `text` (len bytes), which parsed as `f` without a
 * syntax error: *out (NUL-terminated, from `al`, malloc when al->alloc is
 * NULL) and *outlen.  False when memory ran out (nothing to free). */
bool fmt_file(const struct file *f, const char *text, size_t len,
              const struct allocator *al, char **out, size_t *outlen);
void al_free(const struct allocator *al, void *p);

#endif
