/* fix_cmd.h - `ladder lint --fix` (cli.md sections 4 and 5): apply the
 * safe fixes of a journal to its files, over ladder.h's fixes and the
 * safe writing of write.h. */
#ifndef LADDER_FIX_CMD_H
#define LADDER_FIX_CMD_H

#include "ladder.h"

/* ladder_fix_files() (ladder.h) is this module's entry point. */

#endif
