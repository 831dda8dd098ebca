/* options.h - the journal's lint options (`option NAME VALUE`, --option). */
#ifndef LADDER_OPTIONS_H
#define LADDER_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

/* Options are whole numbers: OPT_SINCE holds a date as YYYYMMDD (0: none);
 * OPT_TOUCH_KINDS is 0 once its text (config.touch_kinds, or the journal's
 * directive) has been checked, and the list itself is journal.touch_kinds. */
enum option_id { OPT_MAX_STEP, OPT_STALL_AFTER, OPT_ONE_SIDED_AFTER,
                 OPT_DECLINE_AFTER, OPT_STRICT, OPT_TOUCH_KINDS, OPT_SINCE,
                 OPT_COUNT };

/* Names and parsing of option values shared by the directive and the CLI. */
int option_find(const char *name, size_t len);
/* The option's value from text, or -1 if the value is not valid for it. */
int option_parse_value(enum option_id o, const char *v, size_t len);
/* The value an option has when neither the journal nor the command line
 * sets it. */
int option_default(enum option_id o);
/* What a valid value of the option looks like, for messages. */
const char *option_value_help(enum option_id o);
/* The kinds of a touch-kinds value, one at a time: the next one at or after
 * *pos in v[0..len) (blanks trimmed), false at the end. */
bool option_next_kind(const char *v, size_t len, size_t *pos, size_t *start,
                      size_t *klen);

#endif
