/* ladder.c - the public interface (ladder.h) over the pipeline.
 *
 * The only module that knows both the public types and the internal ones:
 * it translates, and holds no logic of its own beyond that.
 */
#include "ladder.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "arena.h"
#include "diag.h"
#include "fix.h"
#include "fmt.h"
#include "journal.h"
#include "names.h"
#include "output.h"
#include "rules.h"
#include "source.h"
#include "utf8.h"

#ifndef LADDER_VERSION
#define LADDER_VERSION "0.0.0"
#endif

struct ladder_config {
    struct config c;
    char *touch_kinds;              /* c.touch_kinds: our copy of the value */
};

/* A ladder_journal is the journal itself. */
static struct journal *J(const ladder_journal *lj)
{
    return (struct journal *)(void *)lj;
}

/* The public diagnostic and note are the internal ones. */
static const struct diag *D(const ladder_diag *d) { return (const struct diag *)(const void *)d; }
static const struct note *N(const ladder_note *n) { return (const struct note *)(const void *)n; }

static void set_error(ladder_error *err, ladder_status st, int errnum,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set_error(ladder_error *err, ladder_status st, int errnum,
                      const char *fmt, ...)
{
    if (!err)
        return;
    err->status = st;
    err->errnum = errnum;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

static void clear_error(ladder_error *err)
{
    if (err) {
        err->status = LADDER_OK;
        err->errnum = 0;
        err->message[0] = '\0';
    }
}

/* --- configuration ---------------------------------------------------------- */

static struct date local_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    struct date d = { 1970, 1, 1, true };
    if (localtime_r(&now, &tm)) {
        d.year = (int16_t)(tm.tm_year + 1900);
        d.month = (int8_t)(tm.tm_mon + 1);
        d.day = (int8_t)tm.tm_mday;
    }
    return d;
}

ladder_config *ladder_config_new(const ladder_allocator *alloc)
{
    ladder_config *cfg = alloc && alloc->alloc ? alloc->alloc(alloc->ud, sizeof *cfg)
                                               : malloc(sizeof *cfg);
    if (!cfg)
        return NULL;
    config_init(&cfg->c, local_today());
    cfg->touch_kinds = NULL;
    if (alloc && alloc->alloc) {
        cfg->c.alloc.alloc = alloc->alloc;
        cfg->c.alloc.realloc = alloc->realloc;
        cfg->c.alloc.free = alloc->free;
        cfg->c.alloc.ud = alloc->ud;
    }
    return cfg;
}

/* Memory for the config's own strings, through its allocator. */
static void *config_alloc(ladder_config *cfg, size_t n)
{
    return cfg->c.alloc.alloc ? cfg->c.alloc.alloc(cfg->c.alloc.ud, n) : malloc(n);
}

static void config_release(ladder_config *cfg, void *p)
{
    if (!p)
        return;
    if (cfg->c.alloc.alloc)
        cfg->c.alloc.free(cfg->c.alloc.ud, p);
    else
        free(p);
}

void ladder_config_free(ladder_config *cfg)
{
    if (!cfg)
        return;
    config_release(cfg, cfg->touch_kinds);
    config_release(cfg, cfg->c.include_root);
    config_release(cfg, cfg);
}

/* "NAME=VALUE": the name's length, or 0 without '='. */
static size_t name_len(const char *v)
{
    const char *eq = strchr(v, '=');
    return eq ? (size_t)(eq - v) : 0;
}

ladder_status ladder_config_set(ladder_config *cfg, ladder_setting what,
                                const char *value, ladder_error *err)
{
    clear_error(err);
    if (!value)
        value = "";
    size_t vlen = strlen(value), n;
    switch (what) {
    case LADDER_SET_TODAY: {
        struct date d;
        if (!date_parse(value, vlen, &d)) {
            set_error(err, LADDER_EINVAL, 0, "'%s' is not a date YYYY-MM-DD", value);
            return LADDER_EINVAL;
        }
        if (!d.valid) {
            set_error(err, LADDER_EINVAL, 0, "'%s' is not a real date", value);
            return LADDER_EINVAL;
        }
        cfg->c.today = d;
        return LADDER_OK;
    }
    case LADDER_SET_STRICT:
        value = strcmp(value, "yes") == 0 ? "strict=yes"
              : strcmp(value, "no") == 0 ? "strict=no" : NULL;
        if (!value) {
            set_error(err, LADDER_EINVAL, 0, "strict is yes or no");
            return LADDER_EINVAL;
        }
        vlen = strlen(value);
        /* fall through */
    case LADDER_SET_OPTION: {
        if (!(n = name_len(value))) {
            set_error(err, LADDER_EINVAL, 0, "'%s': use NAME=VALUE", value);
            return LADDER_EINVAL;
        }
        int o = option_find(value, n);
        if (o < 0) {
            set_error(err, LADDER_EINVAL, 0, "'%s': unknown option (max-step, "
                      "stall-after, one-sided-after, decline-after, strict, "
                      "touch-kinds, since)", value);
            return LADDER_EINVAL;
        }
        int v = option_parse_value((enum option_id)o, value + n + 1, vlen - n - 1);
        if (v < 0) {
            if (o <= OPT_STRICT)
                set_error(err, LADDER_EINVAL, 0, o == OPT_STRICT
                          ? "'%s': strict is yes or no"
                          : "'%s': the value must be a whole number >= 1", value);
            else
                set_error(err, LADDER_EINVAL, 0, "'%s': %s is %s", value,
                          o == OPT_SINCE ? "since" : "touch-kinds",
                          option_value_help((enum option_id)o));
            return LADDER_EINVAL;
        }
        if (o == OPT_TOUCH_KINDS) {
            /* The list is text: keep a copy (the caller's may go). */
            size_t len = vlen - n - 1;
            char *copy = cfg->c.alloc.alloc ? cfg->c.alloc.alloc(cfg->c.alloc.ud, len + 1)
                                            : malloc(len + 1);
            if (!copy) {
                set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
                return LADDER_ENOMEM;
            }
            memcpy(copy, value + n + 1, len + 1);
            if (cfg->touch_kinds) {
                if (cfg->c.alloc.alloc)
                    cfg->c.alloc.free(cfg->c.alloc.ud, cfg->touch_kinds);
                else
                    free(cfg->touch_kinds);
            }
            cfg->touch_kinds = copy;
            cfg->c.touch_kinds = copy;
        }
        cfg->c.option[o] = v;
        return LADDER_OK;
    }
    case LADDER_SET_SINCE: {
        int v = option_parse_value(OPT_SINCE, value, vlen);
        if (v < 0) {
            set_error(err, LADDER_EINVAL, 0, "'%s' is not a date YYYY-MM-DD", value);
            return LADDER_EINVAL;
        }
        cfg->c.option[OPT_SINCE] = v;
        return LADDER_OK;
    }
    case LADDER_SET_RULE: {
        if (!(n = name_len(value))) {
            set_error(err, LADDER_EINVAL, 0, "'%s': use ID=SEVERITY", value);
            return LADDER_EINVAL;
        }
        /* A rule id, or a category of the registry for all of its rules. */
        int r = rule_find(value, n), in_category = 0;
        for (int k = 0; k < R_COUNT; k++)
            in_category += strlen(rule_table[k].category) == n &&
                           memcmp(rule_table[k].category, value, n) == 0;
        if (r < 0 && !in_category) {
            set_error(err, LADDER_EINVAL, 0, "unknown rule '%.*s'; did you mean "
                      "'%s'? (see 'ladder rules')", (int)n, value,
                      rule_nearest(value, n));
            return LADDER_EINVAL;
        }
        int s = severity_parse(value + n + 1, vlen - n - 1);
        if (s < 0) {
            set_error(err, LADDER_EINVAL, 0, "'%s' is not error, warning, note "
                      "or off", value + n + 1);
            return LADDER_EINVAL;
        }
        for (int k = 0; k < R_COUNT; k++)
            if (k == r || (r < 0 && strlen(rule_table[k].category) == n &&
                           memcmp(rule_table[k].category, value, n) == 0))
                cfg->c.severity[k] = s;
        return LADDER_OK;
    }
    case LADDER_SET_CHUNK: {
        char *end;
        errno = 0;
        unsigned long c = strtoul(value, &end, 10);
        if (!*value || *end || errno || c > (1ul << 30)) {
            set_error(err, LADDER_EINVAL, 0, "'%s' is not a chunk size", value);
            return LADDER_EINVAL;
        }
        cfg->c.chunk = (uint32_t)c;
        return LADDER_OK;
    }
    case LADDER_SET_INCLUDE_ROOT: {
        /* "" lifts the restriction; anything else must be a folder. */
        char *copy = NULL;
        if (*value) {
            struct stat st;
            if (stat(value, &st) != 0 || !S_ISDIR(st.st_mode)) {
                set_error(err, LADDER_EINVAL, 0, "'%s' is not a folder", value);
                return LADDER_EINVAL;
            }
            if (!(copy = config_alloc(cfg, vlen + 1))) {
                set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
                return LADDER_ENOMEM;
            }
            memcpy(copy, value, vlen + 1);
        }
        config_release(cfg, cfg->c.include_root);
        cfg->c.include_root = copy;
        return LADDER_OK;
    }
    }
    set_error(err, LADDER_EINVAL, 0, "this version does not know setting %d", (int)what);
    return LADDER_EINVAL;
}

void ladder_config_set_provider(ladder_config *cfg, const ladder_provider *p)
{
    if (p) {
        cfg->c.provider.open = p->open;
        cfg->c.provider.release = p->release;
        cfg->c.provider.ud = p->ud;
    } else
        memset(&cfg->c.provider, 0, sizeof cfg->c.provider);
}

void ladder_config_fixes(ladder_config *cfg, bool on)
{
    cfg->c.no_fixes = !on;
}

void ladder_config_keep_text(ladder_config *cfg, bool keep)
{
    cfg->c.keep_text = keep;
}

/* --- linting ---------------------------------------------------------------- */

static ladder_journal *wrap(struct journal *j, const char *name,
                            const char *why, ladder_error *err)
{
    if (!j) {
        if (!why || why == journal_oom)
            set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
        else
            set_error(err, LADDER_EREAD, 0, "%s: %s", name, why);
        return NULL;
    }
    clear_error(err);
    return (ladder_journal *)(void *)j;
}

ladder_journal *ladder_lint_file(const ladder_config *cfg, const char *path,
                                 ladder_error *err)
{
    const char *why = NULL;
    struct journal *j = journal_lint(&cfg->c, path, path, -1, &why);
    return wrap(j, path, why, err);
}

ladder_journal *ladder_lint_fd(const ladder_config *cfg, int fd,
                               const char *name, ladder_error *err)
{
    const char *why = NULL;
    struct journal *j = journal_lint(&cfg->c, NULL, name, fd, &why);
    return wrap(j, name, why, err);
}

ladder_journal *ladder_lint_bytes(const ladder_config *cfg, const char *name,
                                  const char *bytes, size_t len,
                                  ladder_error *err)
{
    return wrap(journal_lint_bytes(&cfg->c, name, bytes, len), name, NULL, err);
}

ladder_journal *ladder_fmt(const ladder_config *cfg, const char *name,
                           const char *bytes, size_t len, char **out,
                           size_t *outlen, ladder_error *err)
{
    *out = NULL;
    *outlen = 0;
    struct journal *j = journal_parse_alone(&cfg->c, name, bytes, len);
    if (!j) {
        set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
        return NULL;
    }
    clear_error(err);
    for (uint32_t i = 0; i < j->diags.n; i++)
        if (j->diags.v[i]->rule == R_SYNTAX)
            return (ladder_journal *)(void *)j;
    if (!fmt_file(j->root, bytes ? bytes : "", len, &cfg->c.alloc, out, outlen)) {
        journal_free(j);
        set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
        return NULL;
    }
    return (ladder_journal *)(void *)j;
}

void ladder_fmt_free(const ladder_config *cfg, char *text)
{
    al_free(&cfg->c.alloc, text);
}

void ladder_journal_free(ladder_journal *lj)
{
    journal_free(J(lj));
}

size_t ladder_file_count(const ladder_journal *lj)
{
    return J(lj)->nfiles;
}

const char *ladder_file_name(const ladder_journal *lj, size_t i)
{
    return i < J(lj)->nfiles ? J(lj)->files[i]->src->name : NULL;
}

const char *ladder_file_text(const ladder_journal *lj, size_t i, size_t *len)
{
    uint32_t n = 0;
    const char *t = i < J(lj)->nfiles ? source_text(J(lj)->files[i]->src, &n) : NULL;
    if (len)
        *len = t ? n : 0;
    return t;
}

/* --- diagnostics ------------------------------------------------------------ */

static enum utf8_unit unit_of(ladder_unit u)
{
    switch (u) {
    case LADDER_UNIT_CHAR: return UTF8_CHARS;
    case LADDER_UNIT_DISPLAY: return UTF8_DISPLAY;
    case LADDER_UNIT_UTF16: return UTF8_UTF16;
    case LADDER_UNIT_BYTE: break;
    }
    return UTF8_BYTES;
}

static ladder_position position(const struct source *src, struct pos p, ladder_unit u)
{
    ladder_position r = { p.line, source_col(src, p, unit_of(u)) };
    return r;
}

/* The byte offset of a position (col in bytes). */
static uint32_t offset_of(const struct source *src, struct pos p)
{
    if (p.line == 0 || p.line > src->nlines)
        return src->len;
    return source_line_offset(src, p.line) + p.col - 1;
}

size_t ladder_diag_count(const ladder_journal *lj)
{
    return J(lj)->diags.n;
}

const ladder_diag *ladder_diag_at(const ladder_journal *lj, size_t i)
{
    return i < J(lj)->diags.n ? (const ladder_diag *)(const void *)J(lj)->diags.v[i] : NULL;
}

const char *ladder_diag_rule(const ladder_diag *d)
{
    return rule_table[D(d)->rule].id;
}

ladder_severity ladder_diag_severity(const ladder_diag *d)
{
    return (ladder_severity)D(d)->severity;
}

bool ladder_diag_is_syntax(const ladder_diag *d)
{
    return D(d)->rule == R_SYNTAX;
}

/* Formatting a message may need memory after the lint: a recovery point
 * of its own, and NULL when it runs out.  The text of d, or of n if d is
 * NULL. */
static const char *message(const ladder_journal *lj, const struct diag *d,
                           const struct note *n)
{
    struct mem *m = J(lj)->mem;
    jmp_buf fail;
    m->fail = &fail;
    if (setjmp(fail)) {
        m->fail = NULL;
        return NULL;
    }
    const char *t = d ? diag_text(&J(lj)->diags, d) : diag_note_text(&J(lj)->diags, n);
    m->fail = NULL;
    return t;
}

const char *ladder_diag_message(const ladder_journal *lj, const ladder_diag *d)
{
    return message(lj, D(d), NULL);
}

ladder_span ladder_diag_span(const ladder_journal *lj, const ladder_diag *d)
{
    const struct diag *x = D(d);
    ladder_span s = { diag_src(&J(lj)->diags, x)->index, x->start, diag_end(x) };
    return s;
}

ladder_position ladder_diag_start(const ladder_journal *lj, const ladder_diag *d,
                                  ladder_unit unit)
{
    const struct diag_list *l = &J(lj)->diags;
    return position(diag_src(l, D(d)), diag_pos(l, D(d)), unit);
}

ladder_position ladder_diag_end(const ladder_journal *lj, const ladder_diag *d,
                                ladder_unit unit)
{
    const struct diag_list *l = &J(lj)->diags;
    struct pos p = diag_pos(l, D(d));
    struct pos e = { p.line, diag_end_col(D(d), p) };
    return position(diag_src(l, D(d)), e, unit);
}

size_t ladder_note_count(const ladder_journal *lj, const ladder_diag *d)
{
    size_t n = 0;
    for (const struct note *x = diag_notes(&J(lj)->diags, D(d)); x; x = x->link)
        n++;
    return n;
}

const ladder_note *ladder_note_at(const ladder_journal *lj, const ladder_diag *d,
                                  size_t i)
{
    const struct note *x = diag_notes(&J(lj)->diags, D(d));
    while (x && i--)
        x = x->link;
    return (const ladder_note *)(const void *)x;
}

const char *ladder_note_message(const ladder_journal *lj, const ladder_note *n)
{
    return message(lj, NULL, N(n));
}

ladder_span ladder_note_span(const ladder_journal *lj, const ladder_note *n)
{
    (void)lj;
    uint32_t start = offset_of(N(n)->src, N(n)->pos);
    ladder_span s = { N(n)->src->index, start, start };
    return s;
}

ladder_position ladder_note_start(const ladder_journal *lj, const ladder_note *n,
                                  ladder_unit unit)
{
    (void)lj;
    return position(N(n)->src, N(n)->pos, unit);
}

ladder_position ladder_position_of(const ladder_journal *lj, size_t file,
                                   uint32_t offset, ladder_unit unit)
{
    ladder_position none = { 0, 0 };
    if (file >= J(lj)->nfiles)
        return none;
    const struct source *src = J(lj)->files[file]->src;
    return position(src, source_pos(src, offset), unit);
}

/* --- the journal's model ---------------------------------------------------- */

static const struct client *client_at(const struct journal *j, size_t i)
{
    /* Clients are a list in order of first mention; each knows its index. */
    const struct client *c = j->clients;
    while (c && c->index != i)
        c = c->link;
    return c;
}

/* The `client` directive that declares a client, and its file. */
static const struct block *client_block(const struct journal *j,
                                        const struct client *c, size_t *file)
{
    for (uint32_t f = 0; f < j->nfiles; f++) {
        const struct file *fl = j->files[f];
        for (uint32_t i = 0; i < fl->nnodes; i++) {
            if (fl->node_kind[i] != BK_CLIENT)
                continue;
            const struct block *b = fl->node[i];
            const struct name *nm = name_get(j->names, b->u.client.name);
            if (nm && nm->client == c) {
                *file = f;
                return b;
            }
        }
    }
    return NULL;
}

size_t ladder_client_count(const ladder_journal *lj)
{
    return J(lj)->nclients;
}

void ladder_client_get(const ladder_journal *lj, size_t i, ladder_client_info *out)
{
    memset(out, 0, sizeof *out);
    out->decl.file = LADDER_NOWHERE;
    const struct client *c = client_at(J(lj), i);
    if (!c)
        return;
    out->name = c->name;
    out->declared = c->declared;
    out->nentries = c->nentries;
    size_t file;
    const struct block *b = client_block(J(lj), c, &file);
    if (b) {
        out->decl.file = file;
        out->decl.start = b->u.client.name_at.start;
        out->decl.end = b->u.client.name_at.end;
        for (const struct alias_def *a = b->u.client.aliases; a; a = a->link)
            out->naliases++;
    }
}

const char *ladder_client_alias(const ladder_journal *lj, size_t i, size_t k,
                                ladder_span *at)
{
    const struct client *c = client_at(J(lj), i);
    size_t file;
    const struct block *b = c ? client_block(J(lj), c, &file) : NULL;
    if (!b)
        return NULL;
    for (const struct alias_def *a = b->u.client.aliases; a; a = a->link)
        if (k-- == 0) {
            if (at) {
                at->file = file;
                at->start = a->at.start;
                at->end = a->at.end;
            }
            return name_get(J(lj)->names, a->name)->s;
        }
    return NULL;
}

size_t ladder_client_lookup(const ladder_journal *lj, const char *name, size_t len)
{
    if (len > UINT32_MAX)
        return LADDER_NOWHERE;
    char *fold = xtry_realloc(J(lj)->mem, NULL, len + 1);
    if (!fold)
        return LADDER_NOWHERE;
    uint32_t n = fold_blanks(name, (uint32_t)len, fold);
    uint32_t id = names_find(J(lj)->names, fold, n);
    xfree(J(lj)->mem, fold);
    const struct name *nm = id ? name_get(J(lj)->names, id) : NULL;
    return nm && nm->client ? nm->client->index : LADDER_NOWHERE;
}

size_t ladder_rung_count(const ladder_journal *lj)
{
    return (size_t)J(lj)->nrungs;
}

void ladder_rung_get(const ladder_journal *lj, size_t i, ladder_rung_info *out)
{
    memset(out, 0, sizeof *out);
    out->at.file = LADDER_NOWHERE;
    if (i >= (size_t)J(lj)->nrungs)
        return;
    const struct rung *r = &J(lj)->rungs[i];
    out->name = r->name;
    out->description = r->desc ? r->desc : "";
    out->rank = r->rank;
    if (r->src) {
        out->at.file = r->src->index;
        out->at.start = r->at.start;
        out->at.end = r->at.end;
    }
}

size_t ladder_entry_count(const ladder_journal *lj)
{
    return J(lj)->nentries;
}

static ladder_span span_in(const struct entry *e, struct span s)
{
    ladder_span r = { e->src->index, s.start, s.end };
    return r;
}

void ladder_entry_get(const ladder_journal *lj, size_t i, ladder_entry_info *out)
{
    memset(out, 0, sizeof *out);
    if (i >= J(lj)->nentries)
        return;
    const struct entry *e = journal_entry(J(lj), (uint32_t)i);
    out->header = span_in(e, entry_line(e));
    out->whole = out->header;
    if (e->nitems) {
        struct span last = item_line(&e->items[e->nitems - 1]);
        if (last.end > out->whole.end)
            out->whole.end = last.end;
    }
    out->date = span_in(e, entry_date_at(e));
    out->client = span_in(e, entry_client_at(e));
    out->title = span_in(e, entry_title_at(e));
    out->year = e->date.year;
    out->month = e->date.month;
    out->day = e->date.valid ? e->date.day : 0;
    out->minutes = e->minutes;
    out->status = e->status == ST_PLANNED ? '!' : e->status == ST_CANCELLED ? '~' : '*';
    out->kind = e->kind ? name_get(J(lj)->names, e->kind)->s : "call";
    const struct client *who = entry_who(J(lj), e);
    out->client_index = who ? who->index : LADDER_NOWHERE;
    out->nitems = e->nitems;
}

/* Include directives, in file order then line order. */
static const struct block *include_at(const struct journal *j, size_t i, size_t *file)
{
    for (uint32_t f = 0; f < j->nfiles; f++) {
        const struct file *fl = j->files[f];
        for (uint32_t k = 0; k < fl->nnodes; k++)
            if (fl->node_kind[k] == BK_INCLUDE && i-- == 0) {
                *file = f;
                return fl->node[k];
            }
    }
    return NULL;
}

size_t ladder_include_count(const ladder_journal *lj)
{
    size_t n = 0;
    for (uint32_t f = 0; f < J(lj)->nfiles; f++) {
        const struct file *fl = J(lj)->files[f];
        for (uint32_t k = 0; k < fl->nnodes; k++)
            n += fl->node_kind[k] == BK_INCLUDE;
    }
    return n;
}

void ladder_include_get(const ladder_journal *lj, size_t i, ladder_include_info *out)
{
    memset(out, 0, sizeof *out);
    out->at.file = out->target = LADDER_NOWHERE;
    size_t file;
    const struct block *b = include_at(J(lj), i, &file);
    if (!b)
        return;
    out->at.file = file;
    out->at.start = b->u.include.path.at.start;
    out->at.end = b->u.include.path.at.end;
    out->path = b->u.include.path.s;
    if (b->u.include.file)
        out->target = b->u.include.file->src->index;
}

/* --- rendering -------------------------------------------------------------- */

struct ladder_renderer {
    struct mem *mem;
    struct output *w;
    FILE *out;
    bool failed;                    /* ran out of memory: the output is cut */
};

/* Run a renderer step under a recovery point, the journal's memory (lines
 * read back, messages formatted) included. */
#define GUARDED(r, jm, step) do {                                           \
        jmp_buf fail_;                                                      \
        (r)->mem->fail = &fail_;                                            \
        if (jm)                                                             \
            ((struct mem *)(jm))->fail = &fail_;                            \
        if (setjmp(fail_) == 0) {                                           \
            step;                                                           \
        } else {                                                            \
            (r)->failed = true;                                             \
        }                                                                   \
        (r)->mem->fail = NULL;                                              \
        if (jm)                                                             \
            ((struct mem *)(jm))->fail = NULL;                              \
    } while (0)

ladder_renderer *ladder_render_begin(const ladder_config *cfg, FILE *out,
                                     const ladder_render_options *o,
                                     ladder_error *err)
{
    clear_error(err);
    struct mem *m = mem_new(cfg ? &cfg->c.alloc : NULL);
    if (!m) {
        set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
        return NULL;
    }
    jmp_buf fail;
    m->fail = &fail;
    if (setjmp(fail)) {
        mem_free(m);
        set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
        return NULL;
    }
    ladder_renderer *r = xmalloc(m, sizeof *r);
    r->mem = m;
    r->out = out;
    r->failed = false;
    struct output_opts oo = { 0 };
    oo.format = o->format == LADDER_FORMAT_JSON ? FMT_JSON
              : o->format == LADDER_FORMAT_SARIF ? FMT_SARIF
              : o->format == LADDER_FORMAT_TTY ? FMT_TTY : FMT_GCC;
    oo.color = o->color;
    oo.quiet = o->quiet;
    oo.unit = o->unit == LADDER_UNIT_CHAR ? UTF8_CHARS
            : o->unit == LADDER_UNIT_DISPLAY ? UTF8_DISPLAY : UTF8_BYTES;
    r->w = output_begin(m, out, &oo);
    m->fail = NULL;
    return r;
}

ladder_status ladder_render_journal(ladder_renderer *r, const ladder_journal *lj,
                                    ladder_error *err)
{
    clear_error(err);
    if (!r->failed)
        GUARDED(r, J(lj)->mem, output_journal(r->w, J(lj)));
    if (r->failed) {
        set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
        return LADDER_ENOMEM;
    }
    return LADDER_OK;
}

ladder_status ladder_render_unreadable(ladder_renderer *r, const char *name,
                                       const char *message, ladder_error *err)
{
    clear_error(err);
    if (!r->failed)
        GUARDED(r, NULL, output_unreadable(r->w, name, message));
    if (r->failed) {
        set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
        return LADDER_ENOMEM;
    }
    return LADDER_OK;
}

ladder_status ladder_render_end(ladder_renderer *r, ladder_totals *totals,
                                ladder_error *err)
{
    clear_error(err);
    struct output_totals t = { 0, 0, 0, 0 };
    if (!r->failed)
        GUARDED(r, NULL, output_end(r->w, &t));
    if (totals) {
        totals->errors = t.errors;
        totals->warnings = t.warnings;
        totals->notes = t.notes;
        totals->journals = t.journals;
    }
    ladder_status st = LADDER_OK;
    if (r->failed) {
        set_error(err, LADDER_ENOMEM, ENOMEM, "out of memory");
        st = LADDER_ENOMEM;
    } else if (ferror(r->out) || fflush(r->out) != 0) {
        set_error(err, LADDER_EWRITE, errno, "writing the diagnostics: %s",
                  strerror(errno));
        st = LADDER_EWRITE;
    }
    if (r->failed)
        output_abort(r->w);         /* half a document is never written */
    mem_free(r->mem);               /* r and what output_begin took with it */
    return st;
}

/* --- the rule registry ------------------------------------------------------ */

size_t ladder_rule_count(void)
{
    return R_COUNT;
}

bool ladder_rule_at(size_t i, ladder_rule_info *out)
{
    if (i >= R_COUNT)
        return false;
    const struct rule_info *ri = &rule_table[i];
    out->id = ri->id;
    out->category = ri->category;
    out->severity = (ladder_severity)ri->severity;
    out->summary = ri->summary;
    out->explain = ri->explain ? ri->explain : "";
    out->options = ri->options;
    return true;
}

bool ladder_rule_find(const char *id, ladder_rule_info *out)
{
    int r = rule_find(id, strlen(id));
    return r >= 0 && ladder_rule_at((size_t)r, out);
}

const char *ladder_rule_nearest(const char *id)
{
    return rule_nearest(id, strlen(id));
}

long ladder_days_from_date(int year, int month, int day)
{
    struct date d = { (int16_t)year, (int8_t)month, (int8_t)day, true };
    return date_days(d);
}

void ladder_date_from_days(long days, int *year, int *month, int *day)
{
    struct date d = date_from_days(days);
    *year = d.year;
    *month = d.month;
    *day = d.day;
}

size_t ladder_edit_distance(const char *a, const char *b)
{
    return edit_distance(a, strlen(a), b, strlen(b), SIZE_MAX);
}

const char *ladder_severity_name(ladder_severity s)
{
    return severity_name((enum severity)s);
}

const char *ladder_version(void)
{
    return LADDER_VERSION;
}

/* --- fixes ------------------------------------------------------------------ */

static const struct fix *F(const ladder_fix *f)
{
    return (const struct fix *)(const void *)f;
}

size_t ladder_diag_fix_count(const ladder_journal *lj, const ladder_diag *d)
{
    size_t n = 0;
    for (const struct fix *f = diag_fixes(&J(lj)->diags, D(d)); f; f = f->link)
        n++;
    return n;
}

const ladder_fix *ladder_diag_fix_at(const ladder_journal *lj, const ladder_diag *d,
                                     size_t i)
{
    for (const struct fix *f = diag_fixes(&J(lj)->diags, D(d)); f; f = f->link)
        if (i-- == 0)
            return (const ladder_fix *)(const void *)f;
    return NULL;
}

ladder_applicability ladder_fix_applicability(const ladder_fix *f)
{
    return F(f)->safe ? LADDER_FIX_SAFE : LADDER_FIX_SUGGESTION;
}

const char *ladder_fix_description(const ladder_fix *f)
{
    return F(f)->desc;
}

size_t ladder_fix_edit_count(const ladder_fix *f)
{
    return F(f)->nedits;
}

ladder_edit ladder_fix_edit_at(const ladder_fix *f, size_t k)
{
    ladder_edit e = { { (size_t)-1, 0, 0 }, "", 0 };
    if (k >= F(f)->nedits)
        return e;
    const struct edit *x = &F(f)->edits[k];
    e.span.file = x->src->index;
    e.span.start = x->start;
    e.span.end = x->end;
    e.text = x->text;
    e.len = x->len;
    return e;
}

size_t ladder_fix_file(const ladder_journal *lj, size_t file, char *out,
                       size_t cap, size_t *applied)
{
    size_t dummy;
    if (!applied)
        applied = &dummy;
    *applied = 0;
    if (file >= J(lj)->nfiles)
        return (size_t)-1;
    return fix_apply(J(lj), J(lj)->files[file]->src, out, cap, applied);
}
