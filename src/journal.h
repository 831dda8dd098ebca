/* journal.h - the pipeline for one journal.
 *
 * journal_lint() is the whole pipeline: read the root file and its
 * includes, parse, resolve names and rungs, run every rule, settle
 * severities.  ladder.c, the tests and the fuzzer call it.
 */
#ifndef LADDER_JOURNAL_H
#define LADDER_JOURNAL_H

#include <stddef.h>

#include "model.h"

/* Lint a journal.  `path` is a file, or NULL to read `fd` (standard input)
 * reported as `name`.  Returns NULL when the root file cannot be read or
 * memory ran out (*err set; journal_oom when it is memory), having freed
 * everything it allocated. */
extern const char journal_oom[];
struct journal *journal_lint(const struct config *cfg, const char *path,
                             const char *name, int fd, const char **err);
/* The same over bytes in memory (tests, fuzzing). */
struct journal *journal_lint_bytes(const struct config *cfg, const char *name,
                                   const char *bytes, size_t len);
/* One file alone (fmt): its includes not read, no rules checked, only its
 * syntax errors kept. */
struct journal *journal_parse_alone(const struct config *cfg, const char *name,
                                    const char *bytes, size_t len);
void journal_free(struct journal *j);




#endif
