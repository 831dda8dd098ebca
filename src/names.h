/* names.h - a journal's interned names.
 *
 * Every name the journal's text gives (client names and aliases, kinds,
 * titles, rung words, ...) is folded (inner runs of blanks become one
 * space) and stored once, in the journal's arena: equal folded text has
 * the same id and the same struct name.  Resolve attaches what a name
 * stands for (a client, a rung) to it, so that matching a name is one
 * lookup by id, never a hash of the text again.  Id 0 means no name.
 */
#ifndef LADDER_NAMES_H
#define LADDER_NAMES_H

#include <stdint.h>

struct arena;
struct client;
struct rung;

struct name {
    const char *s;                  /* NUL-terminated, in the arena */
    uint32_t len;
    uint32_t hash;
    struct client *client;          /* resolve: the client it names (name or alias) */
    const struct rung *rung;        /* resolve: the rung it names */
};

struct names {
    struct arena *arena;
    struct name **byid;             /* [0] is NULL */
    uint32_t n, cap;                /* ids handed out (0 included), room in byid */
    struct name_slot {              /* open addressing: id 0 is empty */
        uint32_t id, hash;          /* the hash too, so a probe reads no name */
        struct name *name;          /* and the name: no trip through byid */
    } *slots;
    uint32_t nslots;
};

struct names *names_new(struct arena *a);
/* Free the slot table and the names by id (on the heap; the names are in
 * the arena). */
void names_free(struct names *t);
/* The id of these bytes, added if new. */
uint32_t names_intern(struct names *t, const char *p, uint32_t len);
/* The same in steps, for many names at once: hash them all, ask for their
 * slots (names_prefetch), then intern each with its hash. */
uint32_t names_hash(const char *p, uint32_t len);
void names_prefetch(const struct names *t, uint32_t hash);
uint32_t names_intern_hashed(struct names *t, const char *p, uint32_t len,
                             uint32_t hash);
/* The id of these bytes, 0 if they were never interned. */
uint32_t names_find(const struct names *t, const char *p, uint32_t len);

static inline struct name *name_get(const struct names *t, uint32_t id)
{
    return t->byid[id];
}

/* Blank-run folding: inner runs of blanks (space, tab) become one space.
 * Writes at most len bytes to out and returns the folded length. */
uint32_t fold_blanks(const char *p, uint32_t len, char *out);
/* Does p need folding? */
int needs_fold(const char *p, uint32_t len);
/* names_hash() of the text folded, without folding it into a buffer. */
uint32_t names_hash_folded(const char *p, uint32_t len);

#endif
