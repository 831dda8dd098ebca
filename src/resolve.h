/* resolve.h - after every file of a journal is parsed: settle options and
 * severities, the ladder, clients and aliases, rungs, and the order of
 * entries; report the structural rules that need the whole journal. */
#ifndef LADDER_RESOLVE_H
#define LADDER_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

void resolve(struct journal *j);
/* resolve, and the structural checks below: beside the chronology on a
 * second thread for a big journal (true then; false: they are still to
 * run). */
bool resolve_and_check_structure(struct journal *j);

/* The structural checks that need the resolved journal (registry rows of
 * date-order and duplicate-entry). */
void check_date_order(struct journal *j);
void check_duplicates(struct journal *j);

/* The rung with this name, or NULL. */
const struct rung *journal_rung(const struct journal *j, const char *name,
                                size_t len);

#endif
