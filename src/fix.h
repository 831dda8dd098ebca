/* fix.h - the fixes that need the journal's text (cli.md section 5):
 * unused-ignore, date-order and duplicate-entry's safe fixes, the
 * `ladder-ignore: RULE` suggestion of every rule, and applying the safe
 * fixes to a file's text.  The rules attach the fixes that need only the
 * spans they know (diag_fix, diag.h). */
#ifndef LADDER_FIX_H
#define LADDER_FIX_H

#include <stddef.h>
#include <stdint.h>

struct journal;
struct source;

/* Lines with a syntax error, noted before diag_finish drops any (rule
 * syntax off): safe fixes never touch them. */
struct fix_lines {
    struct fix_line { uint32_t file, line; } *v;   /* sorted */
    uint32_t n, cap;
};

void fix_note_syntax(struct journal *j, struct fix_lines *sl);
/* After diag_finish: attach the text-dependent fixes to the diagnostics
 * left. */
void fix_attach(struct journal *j, const struct fix_lines *sl);

/* The text of src with every safe fix of the journal whose edits are all
 * in src applied, each whole or not at all: a fix that overlaps one taken
 * before it (in diagnostic order) waits for the next run.  Writes at most
 * cap bytes to out and returns the size of the result (call with cap 0 to
 * learn it); *applied gets the number of fixes applied.  SIZE_MAX when
 * the text is not kept or memory ran out. */
size_t fix_apply(const struct journal *j, const struct source *src, char *out,
                 size_t cap, size_t *applied);

#endif
