/* fix_cmd.h - `ladder lint --fix` (cli.md sections 4 and 5): apply the
 * safe fixes of a journal to its files, over ladder.h's fixes and the
 * safe writing of write.h. */
#ifndef LADDER_FIX_CMD_H
#define LADDER_FIX_CMD_H

#include "ladder.h"

/* Fix the journal whose root is `path` (its includes too): the safe fixes
 * are applied in memory, run after run until none is left (so that a
 * second --fix changes nothing), then each changed file is replaced
 * atomically.  Nothing is written when a file to change is not a regular
 * file, changed on disk since it was read, or when the result has more
 * syntax errors than the original.  Returns 0, or 2 with a message on
 * standard error.  The config's provider and keep-text setting are
 * borrowed and restored (to none and false). */
int fix_journal_files(ladder_config *cfg, const char *path);

#endif
