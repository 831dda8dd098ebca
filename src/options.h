/* options.h - the journal's lint options (`option NAME VALUE`, --option). */
#ifndef LADDER_OPTIONS_H
#define LADDER_OPTIONS_H

#include <stddef.h>

enum option_id { OPT_MAX_STEP, OPT_STALL_AFTER, OPT_ONE_SIDED_AFTER,
                 OPT_DECLINE_AFTER, OPT_STRICT, OPT_COUNT };

/* Names and parsing of option values shared by the directive and the CLI. */
int option_find(const char *name, size_t len);
/* The option's value from text, or -1 if the value is not valid for it. */
int option_parse_value(enum option_id o, const char *v, size_t len);
/* The value an option has when neither the journal nor the command line
 * sets it. */
int option_default(enum option_id o);

#endif
