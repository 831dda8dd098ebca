/* genjournal.c - write a deterministic, realistic journal for benchmarks.
 *
 *   genjournal [-s SHAPE] CALLS SEED FORM [OUTPUT]
 *
 * FORM is `ladder` (a .ladder journal), `ledger` (a ledger-format journal
 * of the same calls, for `ledger -f FILE bal`, with an account per client
 * and item: about 90,000 accounts at 100k calls) or `ledger-flat` (the
 * same calls with ten accounts in all and the client as the payee: the
 * form ledger runs fastest on, about 3x faster).  The same SHAPE, CALLS
 * and SEED give the same calls in every form, byte for byte on every
 * machine: the generator uses its own PRNG (splitmix64), never rand().
 *
 * SHAPE (default `base`):
 *   base    about CALLS/25 clients declared first (`client` + `alias`, some
 *           with a `note`), then the calls in date order over 2010-2025,
 *           each with plan/ask/got/gave/next/note lines; asks climb each
 *           client's ladder and meet yes/no/later; titles from a few
 *           patterns (many repeat); a few comments and suppressions.
 *           About 240 bytes and 0.27 diagnostics a call.
 *   unique  no `client` directives (every client undeclared, named in
 *           full), every title unique, four items a call (plan, ask, next,
 *           note), and about 0.5 diagnostics a call.
 *   noisy   as `unique`, but about 1.3 diagnostics a call: plans left out,
 *           next steps unscheduled or missing, over-asks.
 *   loud    as `noisy`, but about 2 diagnostics a call (the editor's worst
 *           case of issue 18, at 1,000 calls).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- PRNG: splitmix64 ---------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). n is small, so the modulo bias is negligible. */
static unsigned rng_below(unsigned n)
{
    return (unsigned)(rng_next() % n);
}

/* True with probability pct percent. */
static int rng_pct(unsigned pct)
{
    return rng_below(100) < pct;
}

#define PICK(arr) ((arr)[rng_below((unsigned)(sizeof(arr) / sizeof((arr)[0])))])
#define COUNT(arr) (sizeof(arr) / sizeof((arr)[0]))

/* --- word lists ------------------------------------------------------------ */

static const char *const name_a[] = {
    "Acme", "Northwind", "Bluewater", "Granite", "Cedar", "Summit", "Harbor",
    "Ironwood", "Silverline", "Redstone", "Oakridge", "Brightpath", "Keystone",
    "Lakeshore", "Pinecrest", "Riverside", "Stonebridge", "Westfield",
    "Evergreen", "Highland", "Meridian", "Crescent", "Falcon", "Beacon",
    "Copperfield", "Driftwood", "Eastgate", "Foxglove", "Goldleaf", "Hawthorne",
    "Juniper", "Kingsley", "Larkspur", "Maplewood", "Nightingale", "Orchard",
    "Pemberton", "Quarry", "Rosewood", "Sterling",
};
static const char *const name_b[] = {
    "Mechanical", "Logistics", "Foods", "Textiles", "Dental", "Robotics",
    "Printing", "Hospitality", "Insurance", "Packaging", "Plastics", "Energy",
    "Optics", "Pharma", "Freight", "Builders", "Media", "Analytics",
    "Ceramics", "Marine", "Aerospace", "Software", "Farms", "Clinics",
    "Outfitters",
};
static const char *const name_c[] = {
    "Corp", "Inc", "Ltd", "Group", "Partners", "Holdings", "Co", "Works",
    "Industries", "Systems", "Labs", "Associates", "Brothers", "Trust",
    "Cooperative", "Company", "Services", "International", "GmbH", "LLC",
};

static const char *const kinds[] = {
    "call", "call", "call", "meeting", "meeting", "email", "visit", "demo",
    "lunch",
};

static const char *const people[] = {
    "Jane", "Omar", "Priya", "Chen", "Lucia", "Marcus", "Aiko", "Tomasz",
    "Fatima", "Diego", "Ingrid", "Kwame", "Sofia", "Ravi", "Hannah", "Luis",
};
static const char *const roles[] = {
    "facilities lead", "CFO", "head of operations", "plant manager",
    "procurement", "CTO", "owner", "office manager", "IT director",
    "sales director",
};
static const char *const titles[] = {
    "First call with %s, %s", "Follow-up with %s, %s", "Budget review with %s, %s",
    "Site walk with %s, %s", "Quarterly check-in with %s, %s",
    "Demo for %s, %s", "Pricing questions from %s, %s",
};

static const char *const rungs[] = {
    "intro", "meeting", "needs", "strategy", "visit", "reference",
    "proposal", "contract",
};
static const char *const ask_text[] = {
    "Introduction to the decision maker",
    "A second meeting with the team",
    "Last three years of maintenance spend",
    "Half a day to map out the strategy",
    "A visit to our office next month",
    "A trip to see the reference install",
    "An invitation to propose for phase one",
    "Signature on the framework contract",
};
static const char *const gave_text[] = {
    "Outline of retrofit options", "Benchmark figures from similar sites",
    "Two hours of free advice on the tender", "A draft schedule",
    "Case study and price ranges", "A demo of the reporting tool",
};
static const char *const next_text[] = {
    "Budget walkthrough", "Send spend data; review together",
    "Call back after the board meeting", "Walk the plant with the engineers",
    "Present the proposal draft", "Check in on the decision",
};
static const char *const note_text[] = {
    "Competitor already on site, price sensitive",
    "Decision expected after the fiscal year closes",
    "Very open about their problems, good sign",
    "Asked us to keep this quiet for now",
    "New manager, wants quick wins",
};
static const char *const comments[] = {
    "; --- new quarter ---", "; review the pipeline before the sales meeting",
    "# imported from the old CRM", "; TODO: chase the overdue next steps",
};

/* --- dates ------------------------------------------------------------------ */

/* Days since 1970-01-01 to civil date (proleptic Gregorian). */
static void civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

#define DAY_FIRST 14610L  /* 2010-01-01 */
#define DAY_LAST  20437L  /* 2025-12-15 */

/* --- one call -------------------------------------------------------------- */

enum outcome { OUT_NONE, OUT_YES, OUT_NO, OUT_LATER };
static const char *const outcome_word[] = { "", "yes", "no", "later" };

struct item {
    char kind;          /* 'p' plan, 'a' ask, 'g' got, 'v' gave, 'n' next, 'o' note, 'c' comment */
    int rung;           /* 0..7, or -1 */
    int outcome;        /* ask only */
    long day;           /* next only; 0 = unscheduled, -1 = none */
    int time;           /* next only, minutes, -1 = none */
    const char *text;
};

struct call {
    long day;
    int time;           /* minutes after midnight, -1 none */
    char status;        /* '*', '!', '~' */
    const char *kind;
    unsigned client;
    int use_alias;
    char title[96];
    int ignore;         /* ladder-ignore on the header */
    struct item items[10];
    int nitems;
};

enum shape { SHAPE_BASE, SHAPE_UNIQUE, SHAPE_NOISY, SHAPE_LOUD };
static enum shape shape;
static unsigned long long call_no;      /* the call being made, from 0 */

static unsigned nclients;
static unsigned char *level;    /* per client, rank 0..8 */

static void client_name(unsigned i, char *buf, size_t size)
{
    unsigned na = COUNT(name_a), nb = COUNT(name_b), nc = COUNT(name_c);
    unsigned combos = na * nb * nc;
    /* Spread consecutive clients over the whole table (7919 is prime and
     * does not divide combos, so this is a bijection on [0, combos)). */
    i = (unsigned)((unsigned long long)(i % combos) * 7919u % combos) + i / combos * combos;
    const char *a = name_a[i % na];
    const char *b = name_b[(i / na) % nb];
    const char *c = name_c[(i / (na * nb)) % nc];
    if (i < combos)
        snprintf(buf, size, "%s %s %s", a, b, c);
    else
        snprintf(buf, size, "%s %s %s %u", a, b, c, i / combos + 1);
}

static void client_alias(unsigned i, char *buf, size_t size)
{
    char name[96];
    client_name(i, name, sizeof name);
    const char *a = name;
    const char *b = strchr(name, ' ') + 1;
    char lo_a = (char)(a[0] | 0x20), lo_b = (char)(b[0] | 0x20);
    snprintf(buf, size, "%c%c%c-%u", lo_a, (char)(a[1] | 0x20), lo_b, i);
}

static const char *const topics[] = {
    "retrofit", "tender", "budget", "pilot", "renewal", "rollout", "audit",
    "pricing", "roadmap", "integration", "training", "support", "migration",
    "warranty", "expansion", "security",
};

/* The `unique` and `noisy` shapes: undeclared clients named in full, a
 * title no other call has, and four items (plan, ask, next, note), with
 * some of them left out or made wrong at the shape's rate.  Calls that are
 * not held (`!`, `~`) keep their plan and have no ask. */
static void make_call_flat(struct call *c)
{
    int noisy = shape >= SHAPE_NOISY, loud = shape == SHAPE_LOUD;
    c->use_alias = 0;
    snprintf(c->title, sizeof c->title, "%s %s with %s, %s, ref %llu",
             PICK(topics), PICK(kinds), PICK(people), PICK(roles), call_no + 1);
    int lv = level[c->client];
    int climb = lv + 1 + (int)rng_below(2);
    if (rng_pct(loud ? 90 : noisy ? 45 : 15))
        climb += 2;                         /* an over-ask */
    if (climb > 8)
        climb = 8;
    struct item *it = c->items;
    *it++ = (struct item){ 'p', climb - 1, 0, 0, -1, NULL };
    if (c->status == '*' && !rng_pct(loud ? 60 : noisy ? 45 : 6)) {
        unsigned o = rng_below(100);
        int out = o < 50 ? OUT_YES : o < 65 ? OUT_NO : o < 95 ? OUT_LATER : OUT_NONE;
        *it++ = (struct item){ 'a', climb - 1, out, 0, -1, ask_text[climb - 1] };
        if (loud && climb > lv + 2)     /* asked twice too high */
            *it++ = (struct item){ 'a', climb - 1, OUT_NO, 0, -1, ask_text[climb - 1] };
        if (out == OUT_YES && climb > lv)
            lv = climb;
    } else {
        *it++ = (struct item){ 'v', -1, 0, 0, -1, PICK(gave_text) };
    }
    if (loud && it[-1].kind != 'v')
        *it++ = (struct item){ 'v', -1, 0, 0, -1, PICK(gave_text) };
    /* next: scheduled, unscheduled, or missing */
    unsigned n = rng_below(100);
    if (n < (loud ? 5u : noisy ? 22u : 68u)) {
        long nd = c->day + 3 + (long)rng_below(19);
        int t = rng_pct(30) ? (9 * 60 + (int)rng_below(32) * 15) : -1;
        int r = rng_pct(60) ? (lv < 8 ? lv : 7) : -1;
        *it++ = (struct item){ 'n', r, 0, nd, t, PICK(next_text) };
    } else if (n < (loud ? 50u : noisy ? 60u : 87u)) {
        *it++ = (struct item){ 'n', -1, 0, 0, -1, PICK(next_text) };
    }
    *it++ = (struct item){ 'o', -1, 0, 0, -1, PICK(note_text) };
    c->nitems = (int)(it - c->items);
    if (c->status == '*')
        level[c->client] = (unsigned char)lv;
}

static void make_call(struct call *c, long day)
{
    memset(c, 0, sizeof *c);
    c->day = day;
    c->time = rng_pct(40) ? (8 * 60 + (int)rng_below(10 * 4) * 15) : -1;
    unsigned s = rng_below(100);
    c->status = s < 92 ? '*' : s < 97 ? '!' : '~';
    c->kind = PICK(kinds);
    /* A few clients are much busier than others: mix a skewed pick with a
     * uniform one. */
    if (rng_pct(30)) {
        unsigned hot = nclients / 20 + 1;
        c->client = rng_below(hot);
    } else {
        c->client = rng_below(nclients);
    }
    if (shape != SHAPE_BASE) {
        make_call_flat(c);
        return;
    }
    c->use_alias = rng_pct(55);
    snprintf(c->title, sizeof c->title, PICK(titles), PICK(people), PICK(roles));
    c->ignore = rng_pct(1);

    int lv = level[c->client];
    int climb = lv + 1 + (int)rng_below(2);
    if (rng_pct(4))
        climb += 2;                         /* an over-ask now and then */
    if (climb > 8)
        climb = 8;

    struct item *it = c->items;
    if (rng_pct(c->status == '!' ? 90 : 75))
        *it++ = (struct item){ 'p', climb - 1, 0, 0, -1, NULL };
    if (c->status == '*' && rng_pct(40))
        *it++ = (struct item){ 'v', -1, 0, 0, -1, PICK(gave_text) };
    if (c->status == '*') {
        int nask = rng_pct(85) + rng_pct(12);
        for (int k = 0; k < nask; k++) {
            int r = k == 0 ? climb : (climb > 1 ? climb - 1 : 1);
            unsigned o = rng_below(100);
            int out = o < 45 ? OUT_YES : o < 65 ? OUT_NO : o < 95 ? OUT_LATER : OUT_NONE;
            *it++ = (struct item){ 'a', r - 1, out, 0, -1, ask_text[r - 1] };
            if (out == OUT_YES && r > lv)
                lv = r;
        }
        if (rng_pct(10)) {
            int r = lv < 8 ? lv + 1 : 8;
            *it++ = (struct item){ 'g', r - 1, 0, 0, -1, ask_text[r - 1] };
            lv = r;
        }
    }
    if (rng_pct(8))
        *it++ = (struct item){ 'c', -1, 0, 0, -1, PICK(comments) };
    unsigned n = rng_below(100);
    if (n < 86) {
        long nd = day + 3 + (long)rng_below(19);
        int t = rng_pct(30) ? (9 * 60 + (int)rng_below(32) * 15) : -1;
        int r = rng_pct(60) ? (lv < 8 ? lv : 7) : -1;
        *it++ = (struct item){ 'n', r, 0, nd, t, PICK(next_text) };
    } else if (n < 92) {
        *it++ = (struct item){ 'n', -1, 0, -1, -1, rng_pct(50) ? "Not a fit this year" : NULL };
    } else if (n < 95) {
        *it++ = (struct item){ 'n', -1, 0, 0, -1, "Call again in spring" };
    }
    if (rng_pct(22))
        *it++ = (struct item){ 'o', -1, 0, 0, -1, PICK(note_text) };
    c->nitems = (int)(it - c->items);
    if (c->status == '*')
        level[c->client] = (unsigned char)lv;
}

/* --- output ----------------------------------------------------------------- */

static void put_date(FILE *f, long day, char sep)
{
    int y, m, d;
    civil(day, &y, &m, &d);
    fprintf(f, "%04d%c%02d%c%02d", y, sep, m, sep, d);
}

static void write_clients_ladder(FILE *f)
{
    char name[96], alias[32];
    fputs("; Generated by tests/bench/genjournal: a sales journal for benchmarks.\n"
          "option max-step 2\n"
          "option stall-after 4\n\n", f);
    if (shape != SHAPE_BASE)
        return;                             /* every client undeclared */
    for (unsigned i = 0; i < nclients; i++) {
        client_name(i, name, sizeof name);
        client_alias(i, alias, sizeof alias);
        fprintf(f, "client %s\n    alias %s\n", name, alias);
        if (i % 7 == 3)
            fprintf(f, "    note Key account since %u\n", 2000 + i % 10);
    }
    fputc('\n', f);
}

static void write_clients_ledger(FILE *f)
{
    char name[96], alias[32];
    fputs("; Generated by tests/bench/genjournal: the ledger form of a sales journal.\n\n", f);
    if (shape != SHAPE_BASE)
        return;
    for (unsigned i = 0; i < nclients; i++) {
        client_name(i, name, sizeof name);
        client_alias(i, alias, sizeof alias);
        fprintf(f, "account Clients:%s\n    alias %s\n", name, alias);
        if (i % 7 == 3)
            fprintf(f, "    note Key account since %u\n", 2000 + i % 10);
    }
    fputc('\n', f);
}

static void write_call_ladder(FILE *f, const struct call *c)
{
    char name[96];
    if (c->use_alias)
        client_alias(c->client, name, sizeof name);
    else
        client_name(c->client, name, sizeof name);
    put_date(f, c->day, '-');
    if (c->time >= 0)
        fprintf(f, " %02d:%02d", c->time / 60, c->time % 60);
    fprintf(f, " %c (%s) %s | %s%s\n", c->status, c->kind, name, c->title,
            c->ignore ? "   ; ladder-ignore: no-plan" : "");
    for (int k = 0; k < c->nitems; k++) {
        const struct item *it = &c->items[k];
        switch (it->kind) {
        case 'p':
            fprintf(f, "    plan  %s\n", rungs[it->rung]);
            break;
        case 'a':
            fprintf(f, "    ask   %s  %s", rungs[it->rung], it->text);
            if (it->outcome != OUT_NONE)
                fprintf(f, "  -> %s", outcome_word[it->outcome]);
            fputc('\n', f);
            break;
        case 'g':
            fprintf(f, "    got   %s  %s\n", rungs[it->rung], it->text);
            break;
        case 'v':
            fprintf(f, "    gave  %s\n", it->text);
            break;
        case 'n':
            if (it->day < 0) {
                fprintf(f, "    next  none%s%s\n", it->text ? "  " : "", it->text ? it->text : "");
            } else if (it->day == 0) {
                fprintf(f, "    next  %s\n", it->text);
            } else {
                fputs("    next  ", f);
                put_date(f, it->day, '-');
                if (it->time >= 0)
                    fprintf(f, " %02d:%02d", it->time / 60, it->time % 60);
                if (it->rung >= 0)
                    fprintf(f, " %s", rungs[it->rung]);
                fprintf(f, "  %s\n", it->text);
            }
            break;
        case 'o':
            fprintf(f, "    note  %s\n", it->text);
            break;
        case 'c':
            fprintf(f, "    %s\n", it->text);
            break;
        }
    }
    fputc('\n', f);
}

/* A ledger transaction: each item line becomes a posting of 1 to an
 * account under the client, balanced by the Pipeline account; text goes
 * into posting comments so the byte count stays comparable. */
static void write_call_ledger(FILE *f, const struct call *c)
{
    char name[96], acct[112];
    client_name(c->client, name, sizeof name);
    /* The payee and the postings name the client by its alias as often as
     * the ladder form does. */
    if (c->use_alias) {
        client_alias(c->client, name, sizeof name);
        snprintf(acct, sizeof acct, "%s", name);
    } else {
        snprintf(acct, sizeof acct, "Clients:%s", name);
    }
    put_date(f, c->day, '/');
    fprintf(f, " %c (%s) %s | %s\n", c->status == '~' ? '!' : c->status,
            c->kind, name, c->title);
    int posted = 0;
    for (int k = 0; k < c->nitems; k++) {
        const struct item *it = &c->items[k];
        switch (it->kind) {
        case 'p':
            fprintf(f, "    %s:plan:%s  1\n", acct, rungs[it->rung]);
            break;
        case 'a':
            fprintf(f, "    %s:ask:%s  1  ; %s%s%s\n", acct, rungs[it->rung],
                    it->text, it->outcome ? " -> " : "", outcome_word[it->outcome]);
            break;
        case 'g':
            fprintf(f, "    %s:got:%s  1  ; %s\n", acct, rungs[it->rung], it->text);
            break;
        case 'v':
            fprintf(f, "    %s:gave  1  ; %s\n", acct, it->text);
            break;
        case 'n':
            if (it->day > 0) {
                fprintf(f, "    %s:next  1  ; ", acct);
                put_date(f, it->day, '-');
                fprintf(f, " %s\n", it->text);
            } else {
                fprintf(f, "    %s:next:none  1\n", acct);
            }
            break;
        case 'o':
            fprintf(f, "    ; %s\n", it->text);
            continue;
        case 'c':
            /* ledger takes only ';' for a comment inside a transaction */
            fprintf(f, "    ;%s\n", it->text + 1);
            continue;
        }
        posted++;
    }
    if (posted == 0)
        fprintf(f, "    %s:touch  1\n", acct);
    fputs("    Pipeline\n\n", f);
}

/* The ledger form with few accounts: the client is the payee, and every
 * item posts to one of nine accounts (plus Pipeline), the item's words in
 * the posting's comment. */
static void write_call_ledger_flat(FILE *f, const struct call *c)
{
    char name[96];
    client_name(c->client, name, sizeof name);
    put_date(f, c->day, '/');
    fprintf(f, " %c (%s) %s | %s\n", c->status == '~' ? '!' : c->status,
            c->kind, name, c->title);
    int posted = 0;
    for (int k = 0; k < c->nitems; k++) {
        const struct item *it = &c->items[k];
        switch (it->kind) {
        case 'p':
            fprintf(f, "    Calls:plan  1  ; %s\n", rungs[it->rung]);
            break;
        case 'a':
            fprintf(f, "    Calls:ask  1  ; %s  %s%s%s\n", rungs[it->rung], it->text,
                    it->outcome ? " -> " : "", outcome_word[it->outcome]);
            break;
        case 'g':
            fprintf(f, "    Calls:got  1  ; %s  %s\n", rungs[it->rung], it->text);
            break;
        case 'v':
            fprintf(f, "    Calls:gave  1  ; %s\n", it->text);
            break;
        case 'n':
            if (it->day > 0) {
                fputs("    Calls:next  1  ; ", f);
                put_date(f, it->day, '-');
                fprintf(f, " %s\n", it->text);
            } else if (it->day == 0) {
                fprintf(f, "    Calls:later  1  ; %s\n", it->text);
            } else {
                fprintf(f, "    Calls:none  1\n");
            }
            break;
        case 'o':
            fprintf(f, "    ; %s\n", it->text);
            continue;
        case 'c':
            fprintf(f, "    ;%s\n", it->text + 1);
            continue;
        }
        posted++;
    }
    if (posted == 0)
        fputs("    Calls:touch  1\n", f);
    fputs("    Pipeline\n\n", f);
}

static void usage(void)
{
    fputs("usage: genjournal [-s base|unique|noisy|loud] CALLS SEED ladder|ledger|ledger-flat [OUTPUT]\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "-s") == 0) {
        if (strcmp(argv[2], "base") == 0)
            shape = SHAPE_BASE;
        else if (strcmp(argv[2], "unique") == 0)
            shape = SHAPE_UNIQUE;
        else if (strcmp(argv[2], "noisy") == 0)
            shape = SHAPE_NOISY;
        else if (strcmp(argv[2], "loud") == 0)
            shape = SHAPE_LOUD;
        else
            usage();
        argc -= 2;
        argv += 2;
    }
    if (argc < 4 || argc > 5)
        usage();
    char *end;
    errno = 0;
    unsigned long long ncalls = strtoull(argv[1], &end, 10);
    if (errno || *end || ncalls == 0 || ncalls > 100000000ull)
        usage();
    unsigned long long seed = strtoull(argv[2], &end, 0);
    if (errno || *end)
        usage();
    int ledger;     /* 0 ladder, 1 ledger, 2 ledger with few accounts */
    if (strcmp(argv[3], "ladder") == 0)
        ledger = 0;
    else if (strcmp(argv[3], "ledger") == 0)
        ledger = 1;
    else if (strcmp(argv[3], "ledger-flat") == 0)
        ledger = 2;
    else
        usage();

    FILE *f = stdout;
    if (argc == 5 && (f = fopen(argv[4], "w")) == NULL) {
        perror(argv[4]);
        return 2;
    }
    static char obuf[1 << 16];
    setvbuf(f, obuf, _IOFBF, sizeof obuf);

    rng_state = seed;
    nclients = (unsigned)(ncalls / 25 + 20);
    level = calloc(nclients, 1);
    if (!level) {
        fputs("genjournal: out of memory\n", stderr);
        return 2;
    }

    if (ledger == 2)
        fputs("; Generated by tests/bench/genjournal: the ledger form of a sales journal,"
              " with few accounts.\n\n", f);
    else if (ledger)
        write_clients_ledger(f);
    else
        write_clients_ladder(f);

    long span = DAY_LAST - DAY_FIRST;
    struct call c;
    for (unsigned long long k = 0; k < ncalls; k++) {
        long day = DAY_FIRST + (long)((unsigned long long)span * k / ncalls);
        call_no = k;
        make_call(&c, day);
        if (ledger == 2)
            write_call_ledger_flat(f, &c);
        else if (ledger)
            write_call_ledger(f, &c);
        else
            write_call_ladder(f, &c);
    }
    free(level);
    if (fflush(f) != 0 || ferror(f) || (f != stdout && fclose(f) != 0)) {
        perror("genjournal: write");
        return 2;
    }
    return 0;
}
