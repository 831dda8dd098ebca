/* lsp_features.c - the requests on a document: completion, hover,
 * definition, document symbols, code actions (lsp.md §Features).
 *
 * Each request names an open document (else -32602) and, most, a position
 * in it (outside the document: -32602).  The journal's model comes from
 * the core (ladder.h); what the cursor is on is read from the document's
 * own text, which is the text the journal read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lsp_server.h"

/* What a request is about. */
struct at {
    struct doc *d;
    struct root *r;             /* its journal (may have no model) */
    size_t file;                /* the document's index in r's journal */
    bool in_journal;
    const char *t;              /* the document's text */
    size_t len;
    size_t off;                 /* the position, as a byte offset */
};

static bool locate(lsp_server *s, json_t *id, json_t *params, bool need_pos,
                   struct at *a)
{
    memset(a, 0, sizeof *a);
    json_t *u = json_object_get(json_object_get(params, "textDocument"), "uri");
    if (!json_is_string(u)) {
        lsp_error(s, id, LSP_INVALID_PARAMS, "params.textDocument.uri must be a string");
        return false;
    }
    a->d = lsp_doc_find(s, json_string_value(u));
    if (!a->d) {
        lsp_error(s, id, LSP_INVALID_PARAMS, "%s is not open (send textDocument/didOpen first)",
                  json_string_value(u));
        return false;
    }
    lsp_fresh(s);
    a->t = a->d->text->bytes;
    a->len = a->d->text->len;
    a->r = a->d->root;
    if (a->r && a->r->j)
        for (size_t i = 0; i < a->r->nfiles; i++)
            if (strcmp(a->r->files[i], a->d->path) == 0) {
                a->file = i;
                a->in_journal = true;
                break;
            }
    if (!need_pos)
        return true;
    json_t *pos = json_object_get(params, "position");
    json_t *l = json_object_get(pos, "line"), *c = json_object_get(pos, "character");
    if (!json_is_integer(l) || !json_is_integer(c)) {
        lsp_error(s, id, LSP_INVALID_PARAMS, "params.position must have integer line and character");
        return false;
    }
    const lsp_lines *lines = lsp_doc_lines(a->d);
    if (!lines) {
        s->oom = true;
        return false;
    }
    if (!lsp_pos_to_offset(lines, a->t, a->len, json_integer_value(l),
                           json_integer_value(c), s->utf8, false, &a->off)) {
        lsp_error(s, id, LSP_INVALID_PARAMS,
                  "position %lld:%lld is outside the document (%zu lines)",
                  (long long)json_integer_value(l), (long long)json_integer_value(c),
                  lines->n);
        return false;
    }
    return true;
}

static bool in_span(ladder_span sp, size_t file, size_t off)
{
    return sp.file == file && off >= sp.start && off <= sp.end;
}

static bool blank(char c) { return c == ' ' || c == '\t'; }
static bool digit(char c) { return c >= '0' && c <= '9'; }
static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit(c) ||
           c == '-' || c == '_' || (unsigned char)c >= 0x80;
}

static size_t line_start(const char *t, size_t off)
{
    while (off > 0 && t[off - 1] != '\n' && t[off - 1] != '\r')
        off--;
    return off;
}

static size_t line_stop(const char *t, size_t len, size_t off)
{
    while (off < len && t[off] != '\n' && t[off] != '\r')
        off++;
    return off;
}

/* The word [*ws, *we) around off. */
static bool word_at(const char *t, size_t len, size_t off, size_t *ws, size_t *we)
{
    size_t a = off, b = off;
    while (a > 0 && word_char(t[a - 1]) && t[a - 1] != '\n')
        a--;
    while (b < len && word_char(t[b]))
        b++;
    *ws = a;
    *we = b;
    return b > a;
}

static json_t *range_of(lsp_server *s, struct at *a, size_t from, size_t to)
{
    const lsp_lines *l = lsp_doc_lines(a->d);
    uint32_t l1 = 0, c1 = 0, l2 = 0, c2 = 0;
    if (l) {
        lsp_offset_to_pos(l, a->t, a->len, from, s->utf8, &l1, &c1);
        lsp_offset_to_pos(l, a->t, a->len, to, s->utf8, &l2, &c2);
    }
    return json_pack("{s:{s:i, s:i}, s:{s:i, s:i}}", "start", "line", (json_int_t)l1,
                     "character", (json_int_t)c1, "end", "line", (json_int_t)l2,
                     "character", (json_int_t)c2);
}

/* --- dates --------------------------------------------------------------- */

/* Today as days since 1970-01-01: the settings' `today`, else the local date. */
static long today_days(lsp_server *s)
{
    int y, m, d;
    if (s->today[0] && sscanf(s->today, "%4d-%2d-%2d", &y, &m, &d) == 3)
        return ladder_days_from_date(y, m, d);
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return 0;
    return ladder_days_from_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static const char *const weekday[] = { "Thursday", "Friday", "Saturday", "Sunday",
                                       "Monday", "Tuesday", "Wednesday" };

static int wday(long days)      /* 0 Thursday (1970-01-01) */
{
    long w = days % 7;
    return (int)(w < 0 ? w + 7 : w);
}

/* --- completion ---------------------------------------------------------- */

enum { CK_TEXT = 1, CK_CLASS = 7, CK_VALUE = 12, CK_KEYWORD = 14,
       CK_CONSTANT = 21, CK_ENUM_MEMBER = 20 };

static void add_item(json_t *items, const char *label, int kind, const char *detail,
                     const char *doc, const char *sort)
{
    json_t *it = json_pack("{s:s, s:i}", "label", label, "kind", kind);
    if (!it)
        return;
    if (detail && *detail)
        json_object_set_new(it, "detail", json_string(detail));
    if (doc && *doc)
        json_object_set_new(it, "documentation", json_string(doc));
    if (sort)
        json_object_set_new(it, "sortText", json_string(sort));
    json_array_append_new(items, it);
}

static void complete_rungs(struct at *a, json_t *items)
{
    if (!a->r || !a->r->j)
        return;
    size_t n = ladder_rung_count(a->r->j);
    for (size_t i = 0; i < n; i++) {
        ladder_rung_info ri;
        ladder_rung_get(a->r->j, i, &ri);
        char detail[48], sort[16];
        snprintf(detail, sizeof detail, "rung %d of %zu", ri.rank, n);
        snprintf(sort, sizeof sort, "%04d", ri.rank);
        add_item(items, ri.name, CK_ENUM_MEMBER, detail, ri.description, sort);
    }
}

struct met { size_t client; long when; size_t seq; };

static int met_cmp(const void *x, const void *y)
{
    const struct met *a = x, *b = y;
    if (a->when != b->when)
        return a->when > b->when ? -1 : 1;      /* latest first */
    if (a->seq != b->seq)
        return a->seq > b->seq ? -1 : 1;
    return 0;
}

/* Client names and aliases, the most recently met first; the edit replaces
 * [from, a->off) (names have blanks). */
static void complete_clients(lsp_server *s, struct at *a, json_t *items, size_t from)
{
    if (!a->r || !a->r->j)
        return;
    ladder_journal *j = a->r->j;
    size_t nc = ladder_client_count(j), ne = ladder_entry_count(j);
    struct met *m = calloc(nc ? nc : 1, sizeof *m);
    if (!m)
        return;
    for (size_t i = 0; i < nc; i++)
        m[i] = (struct met){ i, -2147483647L, 0 };
    /* The header being typed names a client too: leave its half-typed
     * name out, and do not count it as a meeting. */
    size_t typing = LADDER_NOWHERE;
    for (size_t e = 0; e < ne; e++) {
        ladder_entry_info ei;
        ladder_entry_get(j, e, &ei);
        if (ei.client_index >= nc)
            continue;
        if (in_span(ei.header, a->file, a->off) ||
            (ei.header.file == a->file && ei.header.end == a->off)) {
            typing = ei.client_index;
            continue;
        }
        if (ei.day == 0)
            continue;
        long w = ladder_days_from_date(ei.year, ei.month, ei.day);
        if (w > m[ei.client_index].when ||
            (w == m[ei.client_index].when && e + 1 > m[ei.client_index].seq)) {
            m[ei.client_index].when = w;
            m[ei.client_index].seq = e + 1;
        }
    }
    qsort(m, nc, sizeof *m, met_cmp);
    json_t *range = range_of(s, a, from, a->off);
    for (size_t k = 0; k < nc; k++) {
        ladder_client_info ci;
        ladder_client_get(j, m[k].client, &ci);
        if (m[k].client == typing && !ci.declared && ci.nentries <= 1)
            continue;
        char sort[24], detail[96];
        snprintf(sort, sizeof sort, "%06zu", k);
        if (m[k].seq) {
            int y, mo, d;
            ladder_date_from_days(m[k].when, &y, &mo, &d);
            snprintf(detail, sizeof detail, "client, last met %04d-%02d-%02d", y, mo, d);
        } else {
            snprintf(detail, sizeof detail, "client%s", ci.declared ? "" : " (not declared)");
        }
        for (size_t al = 0; al <= ci.naliases; al++) {
            const char *label = al == 0 ? ci.name : ladder_client_alias(j, m[k].client, al - 1, NULL);
            if (!label)
                continue;
            char adetail[160];
            if (al)
                snprintf(adetail, sizeof adetail, "alias of %s", ci.name);
            json_t *it = json_pack("{s:s, s:i, s:s, s:s, s:s, s:{s:O, s:s}}",
                                   "label", label, "kind", al ? CK_TEXT : CK_CLASS,
                                   "detail", al ? adetail : detail,
                                   "sortText", sort, "filterText", label,
                                   "textEdit", "range", range, "newText", label);
            if (it)
                json_array_append_new(items, it);
        }
    }
    json_decref(range);
    free(m);
}

static void complete_dates(lsp_server *s, json_t *items)
{
    long t = today_days(s);
    int n = 0;
    for (long d = t; n < 6; d++) {
        int w = wday(d);
        if (d != t && (w == 2 || w == 3))
            continue;               /* Saturday, Sunday */
        int y, m, dd;
        ladder_date_from_days(d, &y, &m, &dd);
        char label[48], detail[32], sort[16];
        snprintf(label, sizeof label, "%04d-%02d-%02d", y, m, dd);
        snprintf(detail, sizeof detail, "%s%s", d == t ? "today, " : "", weekday[w]);
        snprintf(sort, sizeof sort, "%d", n);
        add_item(items, label, CK_VALUE, detail, NULL, sort);
        n++;
    }
    add_item(items, "none", CK_KEYWORD, "no next step, deliberately", NULL, "9");
}

/* Skip a date (digits and - / .) at p; returns the end or p. */
static size_t skip_date(const char *t, size_t p, size_t end)
{
    size_t q = p;
    while (q < end && (digit(t[q]) || t[q] == '-' || t[q] == '/' || t[q] == '.'))
        q++;
    return q > p && digit(t[p]) ? q : p;
}

static size_t skip_blanks(const char *t, size_t p, size_t end)
{
    while (p < end && blank(t[p]))
        p++;
    return p;
}

static size_t skip_word(const char *t, size_t p, size_t end)
{
    while (p < end && !blank(t[p]))
        p++;
    return p;
}

/* The keyword of the nearest block-starting line above `ls` (an entry: "0"). */
static char block_kind(const char *t, size_t ls)
{
    while (ls > 0) {
        size_t e = ls - 1;
        if (e > 0 && t[e] == '\n' && t[e - 1] == '\r')
            e--;
        ls = line_start(t, e);
        char c = t[ls];
        if (c == ' ' || c == '\t' || c == ';' || c == '#' || c == '\n' || c == '\r')
            continue;
        if (digit(c))
            return '0';
        if (strncmp(t + ls, "client", 6) == 0 && (blank(t[ls + 6]) || t[ls + 6] == '\n'))
            return 'c';
        return 'x';
    }
    return 'x';
}

void lsp_completion(lsp_server *s, json_t *id, json_t *params)
{
    struct at a;
    if (!locate(s, id, params, true, &a))
        return;
    json_t *items = json_array();
    const char *t = a.t;
    size_t ls = line_start(t, a.off), off = a.off;

    /* After "ladder-ignore:" in a comment: rule ids. */
    const char *key = "ladder-ignore";
    size_t kl = strlen(key);
    for (size_t i = ls; i + kl <= off; i++) {
        if (memcmp(t + i, key, kl) != 0)
            continue;
        size_t p = skip_blanks(t, i + kl, off);
        if (p >= off || t[p] != ':')
            break;
        p++;
        bool ok = true;
        for (size_t q = p; q < off; q++)
            if (!(word_char(t[q]) || blank(t[q]) || t[q] == ','))
                ok = false;
        if (ok)
            for (size_t r = 0; r < ladder_rule_count(); r++) {
                ladder_rule_info ri;
                if (ladder_rule_at(r, &ri))
                    add_item(items, ri.id, CK_CONSTANT, ladder_severity_name(ri.severity),
                             ri.summary, NULL);
            }
        goto done;
    }
    for (size_t i = ls; i < off; i++)
        if (t[i] == ';' && (i == ls || blank(t[i - 1])))
            goto done;              /* in a comment */

    if (off > ls && blank(t[ls])) {
        /* An item line. */
        size_t kw = skip_blanks(t, ls, off), kwe = skip_word(t, kw, off);
        if (kwe == off) {
            char b = block_kind(t, ls);
            static const char *const items0[] = { "plan", "ask", "got", "gave", "next", "note" };
            static const char *const docs0[] = {
                "plan RUNG [TEXT]: what I mean to ask for, decided in advance",
                "ask RUNG [TEXT] [-> yes|no|later]: a commitment I asked for",
                "got RUNG [TEXT]: a commitment made without being asked",
                "gave [TEXT]: something I invested",
                "next DATE [TIME] [RUNG] [TEXT], next TEXT or next none",
                "note [TEXT]: anything else" };
            if (b == '0')
                for (size_t k = 0; k < 6; k++)
                    add_item(items, items0[k], CK_KEYWORD, "item", docs0[k], NULL);
            else if (b == 'c') {
                add_item(items, "alias", CK_KEYWORD, "another name of the client", NULL, NULL);
                add_item(items, "note", CK_KEYWORD, "a note on the client", NULL, NULL);
            }
            goto done;
        }
        size_t n = kwe - kw;
        size_t arg = skip_blanks(t, kwe, off);
        bool one_word = skip_word(t, arg, off) == off;   /* cursor in the 2nd word */
        if ((n == 4 && memcmp(t + kw, "plan", 4) == 0) ||
            (n == 3 && memcmp(t + kw, "ask", 3) == 0) ||
            (n == 3 && memcmp(t + kw, "got", 3) == 0)) {
            if (n == 3 && t[kw] == 'a') {
                /* After the last "->": the outcomes. */
                size_t arrow = 0;
                for (size_t i = kwe; i + 1 < off; i++)
                    if (t[i] == '-' && t[i + 1] == '>')
                        arrow = i + 2;
                if (arrow) {
                    size_t w = skip_blanks(t, arrow, off);
                    if (skip_word(t, w, off) == off) {
                        add_item(items, "yes", CK_VALUE, "the client agreed", NULL, "1");
                        add_item(items, "no", CK_VALUE, "the client declined", NULL, "2");
                        add_item(items, "later", CK_VALUE, "no answer yet", NULL, "3");
                    }
                    goto done;
                }
            }
            if (one_word)
                complete_rungs(&a, items);
            goto done;
        }
        if (n == 4 && memcmp(t + kw, "next", 4) == 0) {
            if (one_word) {
                complete_dates(s, items);
                goto done;
            }
            size_t de = skip_date(t, arg, off);
            if (de == arg || !blank(t[de]))
                goto done;
            size_t w = skip_blanks(t, de, off), we = skip_word(t, w, off);
            if (we < off && we - w == 5 && t[w + 2] == ':') {
                w = skip_blanks(t, we, off);        /* a time */
                we = skip_word(t, w, off);
            }
            if (we == off)
                complete_rungs(&a, items);
        }
        goto done;
    }
    if (off > ls && digit(t[ls])) {
        /* A header: after the date [time] [status] [(kind)], the client. */
        size_t p = skip_date(t, ls, off);
        if (p >= off || !blank(t[p]))
            goto done;
        p = skip_blanks(t, p, off);
        size_t we = skip_word(t, p, off);
        if (we < off && we - p == 5 && t[p + 2] == ':')
            p = skip_blanks(t, we, off);
        if (p < off && (t[p] == '*' || t[p] == '!' || t[p] == '~') &&
            p + 1 < off && blank(t[p + 1]))
            p = skip_blanks(t, p + 1, off);
        if (p < off && t[p] == '(') {
            const char *cl = memchr(t + p, ')', off - p);
            if (!cl)
                goto done;
            p = skip_blanks(t, (size_t)(cl - t) + 1, off);
        }
        if (memchr(t + p, '|', off - p))
            goto done;
        complete_clients(s, &a, items, p);
        goto done;
    }
    if (off == ls || word_char(t[ls])) {
        bool letters = true;
        for (size_t i = ls; i < off; i++)
            letters = letters && word_char(t[i]) && !digit(t[i]);
        if (letters) {
            static const char *const dirs[] = { "client", "ladder", "option", "rule", "include" };
            for (size_t k = 0; k < 5; k++)
                add_item(items, dirs[k], CK_KEYWORD, "directive", NULL, NULL);
        }
    }
done:
    lsp_reply(s, id, json_pack("{s:b, s:o}", "isIncomplete", 0, "items", items));
}

/* --- hover ------------------------------------------------------------------ */

static void client_hover(lsp_server *s, struct root *r, size_t c, json_t **out)
{
    ladder_journal *j = r->j;
    ladder_client_info ci;
    ladder_client_get(j, c, &ci);
    char *buf = NULL;
    size_t blen = 0;
    FILE *f = open_memstream(&buf, &blen);
    if (!f)
        return;
    fprintf(f, "**%s** — %s", ci.name, ci.declared ? "client" : "client, not declared");
    if (ci.naliases) {
        fputs(" (alias", f);
        for (size_t k = 0; k < ci.naliases; k++)
            fprintf(f, "%s %s", k ? "," : "", ladder_client_alias(j, c, k, NULL));
        fputs(")", f);
    }
    /* Its climb: level, last contact, last ask, next step, the flags the
     * ladder rules raise. */
    ladder_climb_info cl;
    ladder_client_climb(j, c, &cl);
    size_t nr = ladder_rung_count(j);
    long today = today_days(s);
    if (cl.level)
        fprintf(f, "\n\nlevel: **%s** (%d of %zu)%s", cl.level_rung, cl.level, nr,
                cl.won ? " — won" : "");
    else
        fputs("\n\nlevel: 0, no commitment yet", f);
    if (cl.held) {
        long last = ladder_days_from_date(cl.last_year, cl.last_month, cl.last_day);
        fprintf(f, "\n\nlast contact: %04d-%02d-%02d, %ld day%s ago (%zu held entr%s)",
                cl.last_year, cl.last_month, cl.last_day, today - last,
                today - last == 1 ? "" : "s", cl.held, cl.held == 1 ? "y" : "ies");
    } else {
        fprintf(f, "\n\nno held entry (%zu entr%s)", ci.nentries, ci.nentries == 1 ? "y" : "ies");
    }
    if (cl.last_ask)
        fprintf(f, "\n\nlast ask: %s -> %s", cl.last_ask,
                cl.last_answer == 'y' ? "yes" : cl.last_answer == 'n' ? "no"
                : cl.last_answer == 'l' ? "later" : "no answer yet");
    /* The next step's text is the `ladder clients` row's (no comment),
     * after its date and time. */
    ladder_client_state st;
    ladder_client_state_get(j, c, &st);
    if (cl.next == 'n') {
        fputs("\n\nnext step: none (`next none`)", f);
    } else if (cl.next) {
        fputs(cl.next == 't' ? "\n\nnext step (unscheduled):" : "\n\nnext step:", f);
        if (cl.next == 'd') {
            fprintf(f, " %04d-%02d-%02d", cl.next_year, cl.next_month, cl.next_day);
            if (st.next_minutes >= 0)
                fprintf(f, " %02d:%02d", st.next_minutes / 60, st.next_minutes % 60);
        }
        size_t flen;
        const char *ft = st.next_text_at.file != LADDER_NOWHERE
            ? ladder_file_text(j, st.next_text_at.file, &flen) : NULL;
        if (ft && st.next_text_at.end <= flen) {
            /* Blanks run together, as in the row. */
            bool gap = true;
            for (size_t k = st.next_text_at.start; k < st.next_text_at.end; k++) {
                if (blank(ft[k]) || ft[k] == '\r' || ft[k] == '\n') {
                    gap = true;
                    continue;
                }
                if (gap)
                    fputc(' ', f);
                gap = false;
                fputc(ft[k], f);
            }
        }
    } else {
        fputs("\n\nnext step: none recorded", f);
    }
    if (cl.won)
        fputs("\n\nwon: committed to the top rung", f);
    /* The flags the ladder rules raise for it now, and its `ladder
     * clients` row: the rule engine's state of the client. */
    bool any = false;
    for (unsigned k = 0; ladder_flag_name(1u << k); k++)
        if (st.flags & (1u << k)) {
            fprintf(f, "%s%s", any ? ", " : "\n\nflags: ", ladder_flag_name(1u << k));
            any = true;
        }
    fputs("\n\n```\n", f);
    ladder_report_client(j, c, f, NULL);
    fputs("```", f);
    if (fclose(f) != 0) {
        free(buf);
        return;
    }
    *out = json_pack("{s:s, s:s}", "kind", "markdown", "value", buf);
    free(buf);
}

void lsp_hover(lsp_server *s, json_t *id, json_t *params)
{
    struct at a;
    if (!locate(s, id, params, true, &a))
        return;
    json_t *contents = NULL, *range = NULL;
    if (!a.in_journal)
        goto done;
    ladder_journal *j = a.r->j;
    /* A client name: in a header, a client directive, an alias. */
    size_t ne = ladder_entry_count(j), nc = ladder_client_count(j);
    for (size_t e = 0; e < ne && !contents; e++) {
        ladder_entry_info ei;
        ladder_entry_get(j, e, &ei);
        if (ei.client_index < nc && in_span(ei.client, a.file, a.off)) {
            client_hover(s, a.r, ei.client_index, &contents);
            range = lsp_range(s, a.r, ei.client);
        }
    }
    for (size_t c = 0; c < nc && !contents; c++) {
        ladder_client_info ci;
        ladder_client_get(j, c, &ci);
        ladder_span at = ci.decl;
        bool hit = in_span(at, a.file, a.off);
        for (size_t k = 0; k < ci.naliases && !hit; k++) {
            ladder_client_alias(j, c, k, &at);
            hit = in_span(at, a.file, a.off);
        }
        if (hit) {
            client_hover(s, a.r, c, &contents);
            range = lsp_range(s, a.r, at);
        }
    }
    if (contents)
        goto done;
    size_t ws, we;
    if (!word_at(a.t, a.len, a.off, &ws, &we))
        goto done;
    size_t ls = line_start(a.t, a.off);
    /* A rule id after ladder-ignore. */
    const char *li = NULL;
    for (size_t i = ls; i + 13 <= ws; i++)
        if (memcmp(a.t + i, "ladder-ignore", 13) == 0) {
            li = a.t + i;
            break;
        }
    char word[128];
    if (we - ws >= sizeof word)
        goto done;
    memcpy(word, a.t + ws, we - ws);
    word[we - ws] = '\0';
    if (li) {
        ladder_rule_info rinfo, *ri = ladder_rule_find(word, &rinfo) ? &rinfo : NULL;
        if (ri) {
            char buf[1024];
            snprintf(buf, sizeof buf, "**%s** (%s by default): %s", ri->id,
                     ladder_severity_name(ri->severity), ri->summary);
            contents = json_pack("{s:s, s:s}", "kind", "markdown", "value", buf);
            range = range_of(s, &a, ws, we);
        }
        goto done;
    }
    /* A rung, in an item line or the ladder directive. */
    if (blank(a.t[ls])) {
        size_t nr = ladder_rung_count(j);
        for (size_t i = 0; i < nr; i++) {
            ladder_rung_info ri;
            ladder_rung_get(j, i, &ri);
            if (strcmp(ri.name, word) != 0)
                continue;
            char buf[1024];
            snprintf(buf, sizeof buf, "**%s** — rung %d of %zu%s%s", ri.name, ri.rank,
                     nr, *ri.description ? ": " : "", ri.description);
            contents = json_pack("{s:s, s:s}", "kind", "markdown", "value", buf);
            range = range_of(s, &a, ws, we);
            break;
        }
    }
done:
    if (!contents) {
        json_decref(range);
        lsp_reply(s, id, json_null());
        return;
    }
    json_t *res = json_pack("{s:o}", "contents", contents);
    if (res && range)
        json_object_set_new(res, "range", range);
    else
        json_decref(range);
    lsp_reply(s, id, res);
}

/* --- definition ----------------------------------------------------------- */

static json_t *location(lsp_server *s, struct root *r, ladder_span sp)
{
    if (sp.file >= r->nfiles)
        return NULL;
    struct doc *d = NULL;
    for (size_t i = 0; i < s->ndocs && !d; i++)
        if (strcmp(s->docs[i]->path, r->files[sp.file]) == 0)
            d = s->docs[i];
    char *uri = d ? strdup(d->uri) : lsp_path_to_uri(r->files[sp.file]);
    if (!uri)
        return NULL;
    json_t *loc = json_pack("{s:s, s:o}", "uri", uri, "range", lsp_range(s, r, sp));
    free(uri);
    return loc;
}

void lsp_definition(lsp_server *s, json_t *id, json_t *params)
{
    struct at a;
    if (!locate(s, id, params, true, &a))
        return;
    json_t *res = NULL;
    if (!a.in_journal)
        goto done;
    ladder_journal *j = a.r->j;
    size_t ni = ladder_include_count(j);
    for (size_t i = 0; i < ni && !res; i++) {
        ladder_include_info ii;
        ladder_include_get(j, i, &ii);
        if (in_span(ii.at, a.file, a.off) && ii.target != LADDER_NOWHERE)
            res = location(s, a.r, (ladder_span){ ii.target, 0, 0 });
    }
    size_t ne = ladder_entry_count(j), nc = ladder_client_count(j), c = LADDER_NOWHERE;
    for (size_t e = 0; e < ne && !res && c == LADDER_NOWHERE; e++) {
        ladder_entry_info ei;
        ladder_entry_get(j, e, &ei);
        if (in_span(ei.client, a.file, a.off))
            c = ei.client_index;
    }
    for (size_t k = 0; k < nc && !res && c == LADDER_NOWHERE; k++) {
        ladder_client_info ci;
        ladder_client_get(j, k, &ci);
        ladder_span at;
        bool hit = in_span(ci.decl, a.file, a.off);
        for (size_t al = 0; al < ci.naliases && !hit; al++) {
            ladder_client_alias(j, k, al, &at);
            hit = in_span(at, a.file, a.off);
        }
        if (hit)
            c = k;
    }
    if (!res && c < nc) {
        ladder_client_info ci;
        ladder_client_get(j, c, &ci);
        if (ci.declared && ci.decl.file != LADDER_NOWHERE)
            res = location(s, a.r, ci.decl);
    }
    if (!res) {
        /* A rung of the journal's own ladder directive. */
        size_t ws, we;
        size_t ls = line_start(a.t, a.off);
        if (blank(a.t[ls]) && word_at(a.t, a.len, a.off, &ws, &we)) {
            size_t nr = ladder_rung_count(j);
            for (size_t i = 0; i < nr && !res; i++) {
                ladder_rung_info ri;
                ladder_rung_get(j, i, &ri);
                if (ri.at.file != LADDER_NOWHERE && strlen(ri.name) == we - ws &&
                    memcmp(ri.name, a.t + ws, we - ws) == 0)
                    res = location(s, a.r, ri.at);
            }
        }
    }
done:
    lsp_reply(s, id, res ? res : json_null());
}

/* --- document symbols ------------------------------------------------------- */

enum { SK_CLASS = 5, SK_EVENT = 24 };

/* The start of the line of offset `from` in t, and the end of the line of
 * offset `to`, its line break and trailing blanks left out: a symbol's
 * range is whole lines (the last one up to its last character). */
static void whole_lines(const char *t, size_t len, uint32_t *from, uint32_t *to)
{
    while (*from > 0 && t[*from - 1] != '\n' && t[*from - 1] != '\r')
        (*from)--;
    while (*to < len && t[*to] != '\n' && t[*to] != '\r')
        (*to)++;
    while (*to > *from && (blank(t[*to - 1]) || t[*to - 1] == '\n' || t[*to - 1] == '\r'))
        (*to)--;
}

void lsp_document_symbol(lsp_server *s, json_t *id, json_t *params)
{
    struct at a;
    if (!locate(s, id, params, false, &a))
        return;
    json_t *syms = json_array();
    if (!a.in_journal)
        goto done;
    ladder_journal *j = a.r->j;
    size_t nc = ladder_client_count(j), ne = ladder_entry_count(j);
    for (size_t c = 0; c < nc; c++) {
        ladder_client_info ci;
        ladder_client_get(j, c, &ci);
        if (!ci.declared || ci.decl.file != a.file)
            continue;
        char detail[64];
        snprintf(detail, sizeof detail, "client, %zu entr%s", ci.nentries,
                 ci.nentries == 1 ? "y" : "ies");
        /* Its range: the `client` line through its last alias line. */
        size_t len;
        const char *t = ladder_file_text(j, a.file, &len);
        if (!t || ci.decl.end > len)
            continue;
        ladder_span whole = ci.decl;
        for (size_t k = 0; k < ci.naliases; k++) {
            ladder_span at;
            ladder_client_alias(j, c, k, &at);
            if (at.file == a.file && at.end <= len && at.end > whole.end)
                whole.end = at.end;
        }
        whole_lines(t, len, &whole.start, &whole.end);
        json_array_append_new(syms, json_pack("{s:s, s:s, s:i, s:o, s:o}",
            "name", ci.name, "detail", detail, "kind", SK_CLASS,
            "range", lsp_range(s, a.r, whole),
            "selectionRange", lsp_range(s, a.r, ci.decl)));
    }
    for (size_t e = 0; e < ne; e++) {
        ladder_entry_info ei;
        ladder_entry_get(j, e, &ei);
        if (ei.header.file != a.file)
            continue;
        size_t len;
        const char *t = ladder_file_text(j, a.file, &len);
        if (!t || ei.date.end > len || ei.client.end > len || ei.title.end > len ||
            ei.whole.end > len)
            continue;
        /* Its range: the header through its last item's line. */
        ladder_span whole = ei.whole;
        whole_lines(t, len, &whole.start, &whole.end);
        char *name = NULL;
        size_t nl = 0;
        FILE *f = open_memstream(&name, &nl);
        if (!f)
            continue;
        fwrite(t + ei.date.start, 1, ei.date.end - ei.date.start, f);
        fputc(' ', f);
        fwrite(t + ei.client.start, 1, ei.client.end - ei.client.start, f);
        if (ei.title.end > ei.title.start) {
            fputs(" | ", f);
            fwrite(t + ei.title.start, 1, ei.title.end - ei.title.start, f);
        }
        if (fclose(f) != 0) {
            free(name);
            continue;
        }
        char detail[64];
        snprintf(detail, sizeof detail, "%s, %s", ei.kind ? ei.kind : "call",
                 ei.status == '!' ? "planned" : ei.status == '~' ? "cancelled" : "held");
        json_t *sym = json_pack("{s:s, s:s, s:i, s:o, s:o}", "name", name,
                                "detail", detail, "kind", SK_EVENT,
                                "range", lsp_range(s, a.r, whole),
                                "selectionRange", lsp_range(s, a.r, ei.date));
        free(name);
        if (sym)
            json_array_append_new(syms, sym);
    }
done:
    lsp_reply(s, id, syms);
}

/* --- code actions ---------------------------------------------------------- */

/* Whether the client's `context.only` asks for actions of `kind`: a kind
 * listed, or one under it ("quickfix" asks for "quickfix.foo" too); no list,
 * or an empty one, asks for all. */
static bool kind_wanted(json_t *only, const char *kind)
{
    if (!json_is_array(only) || json_array_size(only) == 0)
        return true;
    size_t i;
    json_t *k;
    json_array_foreach(only, i, k) {
        const char *w = json_string_value(k);
        size_t n = w ? strlen(w) : 0;
        if (w && strncmp(kind, w, n) == 0 && (kind[n] == '\0' || kind[n] == '.'))
            return true;
    }
    return false;
}

/* Append act to acts, unless an action with its title and edit is there
 * (two unused ids of one ladder-ignore list have the same fix): then its
 * diagnostics join that one's.  `seen` maps each action's title and edit,
 * as text, to its index in acts: a request over a whole journal has tens
 * of thousands of actions. */
static void add_action(json_t *acts, json_t *seen, json_t *act)
{
    char *edit = json_dumps(json_object_get(act, "edit"), JSON_COMPACT | JSON_SORT_KEYS);
    const char *title = json_string_value(json_object_get(act, "title"));
    char *key = NULL;
    if (edit && title && (key = malloc(strlen(title) + strlen(edit) + 2)))
        sprintf(key, "%s\n%s", title, edit);
    free(edit);
    json_t *at = key ? json_object_get(seen, key) : NULL;
    json_t *o = at ? json_array_get(acts, (size_t)json_integer_value(at)) : NULL;
    if (o) {
        json_array_extend(json_object_get(o, "diagnostics"),
                          json_object_get(act, "diagnostics"));
        json_decref(act);
    } else {
        if (key)
            json_object_set_new(seen, key, json_integer((json_int_t)json_array_size(acts)));
        json_array_append_new(acts, act);
    }
    free(key);
}

/* The core's fixes of d (cli.md section 5) as quick fixes, the safe one
 * preferred; a fix with an edit outside this document is left out. */
static void fix_actions(lsp_server *s, struct at *a, ladder_journal *j,
                        const ladder_diag *d, json_t *diag, json_t *acts, json_t *seen)
{
    size_t nf = ladder_diag_fix_count(j, d);
    for (size_t k = 0; k < nf; k++) {
        const ladder_fix *f = ladder_diag_fix_at(j, d, k);
        json_t *edits = json_array();
        bool ok = edits != NULL;
        for (size_t q = 0; ok && q < ladder_fix_edit_count(f); q++) {
            ladder_edit e = ladder_fix_edit_at(f, q);
            ok = e.span.file == a->file && e.span.start <= e.span.end && e.span.end <= a->len;
            json_t *te = ok ? json_pack("{s:o, s:s%}", "range",
                                        range_of(s, a, e.span.start, e.span.end),
                                        "newText", e.text, e.len)
                            : NULL;
            ok = te != NULL && json_array_append_new(edits, te) == 0;
        }
        const char *desc = ladder_fix_description(f);
        char title[256];
        snprintf(title, sizeof title, "%s", desc);
        if (title[0] >= 'a' && title[0] <= 'z')
            title[0] = (char)(title[0] - 'a' + 'A');
        json_t *act = ok ? json_pack("{s:s, s:s, s:[O], s:b, s:{s:{s:O}}}", "title", title,
                                     "kind", "quickfix", "diagnostics", diag, "isPreferred",
                                     ladder_fix_applicability(f) == LADDER_FIX_SAFE,
                                     "edit", "changes", a->d->uri, edits)
                         : NULL;
        json_decref(edits);
        if (act)
            add_action(acts, seen, act);
    }
}

static bool ranges_meet(size_t a0, size_t a1, size_t b0, size_t b1)
{
    return a0 <= b1 && b0 <= a1;
}

void lsp_code_action(lsp_server *s, json_t *id, json_t *params)
{
    struct at a;
    if (!locate(s, id, params, false, &a))
        return;
    json_t *acts = json_array(), *seen = json_object();
    json_t *rg = json_object_get(params, "range");
    json_t *st = json_object_get(rg, "start"), *en = json_object_get(rg, "end");
    const lsp_lines *lines = lsp_doc_lines(a.d);
    size_t from = 0, to = a.len;
    if (!lines || !json_is_integer(json_object_get(st, "line")) ||
        !json_is_integer(json_object_get(en, "line"))) {
        json_decref(acts);
        json_decref(seen);
        lsp_error(s, id, LSP_INVALID_PARAMS, "params.range must have a start and an end");
        return;
    }
    lsp_pos_to_offset(lines, a.t, a.len, json_integer_value(json_object_get(st, "line")),
                      json_integer_value(json_object_get(st, "character")), s->utf8,
                      true, &from);
    lsp_pos_to_offset(lines, a.t, a.len, json_integer_value(json_object_get(en, "line")),
                      json_integer_value(json_object_get(en, "character")), s->utf8,
                      true, &to);
    /* Whole lines: a client asks at the cursor, a diagnostic is on its line. */
    from = line_start(a.t, from);
    to = line_stop(a.t, a.len, to);
    /* Every action is a "quickfix". */
    if (!a.in_journal ||
        !kind_wanted(json_object_get(json_object_get(params, "context"), "only"), "quickfix"))
        goto done;
    ladder_journal *j = a.r->j;
    size_t nd = ladder_diag_count(j);
    for (size_t i = 0; i < nd; i++) {
        const ladder_diag *d = ladder_diag_at(j, i);
        ladder_span sp = lsp_diag_span(a.r, d);
        if (sp.file != a.file || sp.end > a.len || !ranges_meet(sp.start, sp.end, from, to))
            continue;
        json_t *diag = lsp_diagnostic(s, a.r, d);
        fix_actions(s, &a, j, d, diag, acts, seen);
        json_decref(diag);
    }
done:
    json_decref(seen);
    lsp_reply(s, id, acts);
}

/* --- formatting ------------------------------------------------------------ */

/* textDocument/formatting: `ladder fmt` of the document's text, as one edit
 * over the part that changes (the common start and end are left alone, so
 * the editor keeps its marks there); no edit for a document with a syntax
 * error, or one already canonical.  The request's options (tab size,
 * spaces) do not apply: the canonical form has one indentation. */
void lsp_formatting(lsp_server *s, json_t *id, json_t *params)
{
    struct at a;
    if (!locate(s, id, params, false, &a))
        return;
    json_t *edits = json_array();
    char *out = NULL;
    size_t outlen = 0;
    ladder_error err;
    ladder_journal *j = ladder_fmt(s->cfg, a.d->path ? a.d->path : "document",
                                   a.t, a.len, &out, &outlen, &err);
    if (!j) {
        s->oom = true;
        json_decref(edits);
        return;
    }
    ladder_journal_free(j);
    if (out && (outlen != a.len || memcmp(out, a.t, outlen) != 0)) {
        const lsp_lines *l = lsp_doc_lines(a.d);
        if (!l) {
            s->oom = true;
            ladder_fmt_free(s->cfg, out);
            json_decref(edits);
            return;
        }
        size_t pre = 0, suf = 0;
        while (pre < a.len && pre < outlen && a.t[pre] == out[pre])
            pre++;
        /* Never split a character or a CRLF. */
        while (pre > 0 && pre < a.len && (((unsigned char)a.t[pre] & 0xC0) == 0x80 ||
                                          (a.t[pre] == '\n' && a.t[pre - 1] == '\r')))
            pre--;
        while (suf < a.len - pre && suf < outlen - pre &&
               a.t[a.len - 1 - suf] == out[outlen - 1 - suf])
            suf++;
        while (suf > 0) {
            size_t e = a.len - suf;         /* the edit ends here */
            if (((unsigned char)a.t[e] & 0xC0) == 0x80 ||
                (e > 0 && a.t[e] == '\n' && a.t[e - 1] == '\r'))
                suf--;
            else
                break;
        }
        uint32_t l1, c1, l2, c2;
        lsp_offset_to_pos(l, a.t, a.len, pre, s->utf8, &l1, &c1);
        lsp_offset_to_pos(l, a.t, a.len, a.len - suf, s->utf8, &l2, &c2);
        json_t *e = json_pack("{s:{s:{s:i, s:i}, s:{s:i, s:i}}, s:s%}",
            "range", "start", "line", (json_int_t)l1, "character", (json_int_t)c1,
                     "end", "line", (json_int_t)l2, "character", (json_int_t)c2,
            "newText", out + pre, outlen - pre - suf);
        if (e)
            json_array_append_new(edits, e);
    }
    ladder_fmt_free(s->cfg, out);
    lsp_reply(s, id, edits);
}
