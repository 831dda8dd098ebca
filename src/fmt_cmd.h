/* fmt_cmd.h - `ladder fmt` (cli.md §6): the command over ladder_fmt and
 * the safe writing of write.h. */
#ifndef LADDER_FMT_CMD_H
#define LADDER_FMT_CMD_H

/* ladder_fmt_command() (ladder.h) is this module's entry point. */

#endif
