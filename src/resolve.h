/* resolve.h - after every file of a journal is parsed: settle options and
 * severities, the ladder, clients and aliases, rungs, and the order of
 * entries; report the structural rules that need the whole journal. */
#ifndef LADDER_RESOLVE_H
#define LADDER_RESOLVE_H

#include "journal.h"

void resolve(struct journal *j);
int journal_option_default(enum option_id o);

#endif
