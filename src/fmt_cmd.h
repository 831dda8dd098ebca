/* fmt_cmd.h - `ladder fmt` (cli.md §6): the command over ladder_fmt and
 * the safe writing of write.h. */
#ifndef LADDER_FMT_CMD_H
#define LADDER_FMT_CMD_H

/* argv: the arguments after `fmt`.  Returns the exit status. */
int fmt_command(int argc, char **argv);

#endif
