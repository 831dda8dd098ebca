/* lsp.c - `ladder lsp`: the server's state, the JSON-RPC dispatcher, the
 * document store, journals and diagnostics (lsp.md).  The features that
 * answer requests on a position are in lsp_features.c.
 *
 * Flow: lsp_feed() hands whole message bodies (lsp_wire.c) to on_message(),
 * which parses them with jansson and dispatches.  Notifications that change
 * text only mark the journals that read it stale; lsp_idle(), called once
 * no input is waiting, lints every stale journal once and publishes
 * diagnostics (a burst of changes is linted once).  A request that needs
 * the journal's model lints first if anything is stale.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lsp_server.h"

/* --- output ------------------------------------------------------------ */

static bool out_append(lsp_server *s, const char *p, size_t n)
{
    if (s->out_len + n > s->out_cap) {
        if (s->out_pos > 0) {
            memmove(s->out, s->out + s->out_pos, s->out_len - s->out_pos);
            s->out_len -= s->out_pos;
            s->out_pos = 0;
        }
        if (s->out_len + n > s->out_cap) {
            size_t cap = s->out_cap ? s->out_cap : 8192;
            while (cap < s->out_len + n)
                cap *= 2;
            char *nb = realloc(s->out, cap);
            if (!nb)
                return false;
            s->out = nb;
            s->out_cap = cap;
        }
    }
    memcpy(s->out + s->out_len, p, n);
    s->out_len += n;
    return true;
}

/* Frame and queue a message; takes the reference to msg. */
void lsp_send(lsp_server *s, json_t *msg)
{
    if (!msg) {
        s->oom = true;
        return;
    }
    char *body = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!body) {
        s->oom = true;
        return;
    }
    size_t n = strlen(body);
    char head[64];
    int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
    if (!out_append(s, head, (size_t)h) || !out_append(s, body, n))
        s->oom = true;
    free(body);
}

const char *lsp_output(const lsp_server *s, size_t *len)
{
    *len = s->out_len - s->out_pos;
    return s->out + s->out_pos;
}

void lsp_consume(lsp_server *s, size_t n)
{
    s->out_pos += n;
    if (s->out_pos >= s->out_len)
        s->out_pos = s->out_len = 0;
}

static json_t *id_copy(json_t *id)
{
    return id ? json_copy(id) : json_null();
}

void lsp_reply(lsp_server *s, json_t *id, json_t *result)
{
    lsp_send(s, json_pack("{s:s, s:o, s:o}", "jsonrpc", "2.0", "id", id_copy(id),
                          "result", result ? result : json_null()));
}

void lsp_error(lsp_server *s, json_t *id, int code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lsp_send(s, json_pack("{s:s, s:o, s:{s:i, s:s}}", "jsonrpc", "2.0",
                          "id", id_copy(id), "error", "code", code,
                          "message", msg));
}

/* window/logMessage (type 1 error, 2 warning, 3 info, 4 log). */
void lsp_log(lsp_server *s, int type, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lsp_send(s, json_pack("{s:s, s:s, s:{s:i, s:s}}", "jsonrpc", "2.0",
                          "method", "window/logMessage", "params",
                          "type", type, "message", msg));
}

/* --- texts and documents ------------------------------------------------ */

/* A text over a JSON string of the message (a reference taken: the
 * message's tree may go, the string stays). */
static struct text *text_new(json_t *str)
{
    struct text *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->refs = 1;
    t->len = json_string_length(str);
    t->bytes = json_string_value(str);
    t->str = json_incref(str);
    return t;
}

static void text_unref(struct text *t)
{
    if (t && --t->refs == 0) {
        json_decref(t->str);
        free(t);
    }
}

struct doc *lsp_doc_find(lsp_server *s, const char *uri)
{
    for (size_t i = 0; i < s->ndocs; i++)
        if (strcmp(s->docs[i]->uri, uri) == 0)
            return s->docs[i];
    return NULL;
}

static struct doc *doc_by_path(lsp_server *s, const char *path)
{
    for (size_t i = 0; i < s->ndocs; i++)
        if (strcmp(s->docs[i]->path, path) == 0)
            return s->docs[i];
    return NULL;
}

/* The cleaned path a URI stands for: a file: URI's path, or for any other
 * scheme (untitled:) the URI itself, as a name beside the working folder. */
static char *uri_path(lsp_server *s, const char *uri)
{
    char *p = lsp_uri_to_path(uri);
    if (p) {
        char *c = lsp_path_clean(p, s->cwd);
        free(p);
        return c;
    }
    return lsp_path_clean(uri, s->cwd);
}

/* The URI to publish for a path: an open document's own, else file:. */
static char *path_uri(lsp_server *s, const char *path)
{
    struct doc *d = doc_by_path(s, path);
    return d ? strdup(d->uri) : lsp_path_to_uri(path);
}

const lsp_lines *lsp_doc_lines(struct doc *d)
{
    if (!d->lines_ok) {
        if (!lsp_lines_build(&d->lines, d->text->bytes, d->text->len))
            return NULL;
        d->lines_ok = true;
    }
    return &d->lines;
}

static void doc_free(struct doc *d)
{
    if (!d)
        return;
    free(d->uri);
    free(d->path);
    text_unref(d->text);
    lsp_lines_free(&d->lines);
    free(d);
}

/* --- journals ----------------------------------------------------------- */

static void root_drop_journal(struct root *r)
{
    if (r->j)
        ladder_journal_free(r->j);
    r->j = NULL;
    for (size_t i = 0; i < r->nheld; i++)
        text_unref(r->held[i]);
    r->nheld = 0;
    free(r->headers);
    r->headers = NULL;
    r->nheaders = 0;
    r->headers_ok = false;
    if (r->lines) {
        for (size_t i = 0; i < r->nfiles; i++)
            lsp_lines_free(&r->lines[i]);
        free(r->lines);
        r->lines = NULL;
    }
}

static void root_free_files(struct root *r)
{
    for (size_t i = 0; i < r->nfiles; i++)
        free(r->files[i]);
    free(r->files);
    r->files = NULL;
    r->nfiles = 0;
}

static void root_free(struct root *r)
{
    if (!r)
        return;
    root_drop_journal(r);
    root_free_files(r);
    free(r->held);
    free(r->path);
    free(r);
}

bool lsp_root_has(const struct root *r, const char *path)
{
    for (size_t i = 0; i < r->nfiles; i++)
        if (strcmp(r->files[i], path) == 0)
            return true;
    return false;
}

/* The provider: an open document's text wherever the journal reads it. */
static int provide(void *ud, const char *path, const char **bytes, size_t *len,
                   int *errnum)
{
    struct root *r = ud;
    lsp_server *s = r->server;
    char *p = lsp_path_clean(path, s->cwd);
    if (!p) {
        *errnum = ENOMEM;
        return -1;
    }
    struct doc *d = doc_by_path(s, p);
    free(p);
    if (!d)
        return 0;
    if (r->nheld == r->capheld) {
        size_t cap = r->capheld ? 2 * r->capheld : 8;
        struct text **nh = realloc(r->held, cap * sizeof *nh);
        if (!nh) {
            *errnum = ENOMEM;
            return -1;
        }
        r->held = nh;
        r->capheld = cap;
    }
    d->text->refs++;
    r->held[r->nheld++] = d->text;
    *bytes = d->text->bytes;
    *len = d->text->len;
    return 1;
}

/* Lint root r with the open documents over the disk; its file list is
 * what the journal read. */
static void root_lint(lsp_server *s, struct root *r)
{
    root_drop_journal(r);
    root_free_files(r);
    ladder_provider prov = { provide, NULL, r };
    ladder_config_set_provider(s->cfg, &prov);
    ladder_error err;
    r->j = ladder_lint_file(s->cfg, r->path, &err);
    ladder_config_set_provider(s->cfg, NULL);
    r->linted = true;
    r->stale = false;
    size_t n = r->j ? ladder_file_count(r->j) : 0;
    r->files = calloc(n ? n : 1, sizeof *r->files);
    if (!r->files) {
        s->oom = true;
        root_drop_journal(r);
        return;
    }
    if (!r->j) {
        /* Unreadable (a file that was deleted): it reads nothing. */
        if (r->is_doc)
            lsp_log(s, 2, "ladder: %s: %s", r->path, err.message);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        r->files[i] = lsp_path_clean(ladder_file_name(r->j, i), s->cwd);
        if (!r->files[i]) {
            s->oom = true;
            return;
        }
        r->nfiles++;
    }
}

/* Whether a text has an `include` directive (a line starting "include"
 * then a blank): a journal without one reads only itself. */
static bool has_include(const char *t, size_t len)
{
    static const char kw[] = "include";
    const size_t k = sizeof kw - 1;
    size_t i = 0;
    if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (;;) {
        if (len - i > k && memcmp(t + i, kw, k) == 0 &&
            (t[i + k] == ' ' || t[i + k] == '\t'))
            return true;
        const char *nl = memchr(t + i, '\n', len - i);
        if (!nl)
            return false;
        i = (size_t)(nl - t) + 1;
    }
}

static bool file_has_include(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char line[256];
    bool yes = false, bol = true;
    while (!yes && fgets(line, sizeof line, f)) {
        const char *p = line;
        if (bol && p == line && (unsigned char)p[0] == 0xEF &&
            (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
            p += 3;
        if (bol && strncmp(p, "include", 7) == 0 && (p[7] == ' ' || p[7] == '\t'))
            yes = true;
        bol = strchr(line, '\n') != NULL;
    }
    fclose(f);
    return yes;
}

/* Bring a stale root's file list up to date (linting it only when it may
 * read other files). */
static void root_refresh(lsp_server *s, struct root *r)
{
    struct doc *d = doc_by_path(s, r->path);
    bool inc;
    struct stat st;
    bool exists = true;
    if (d) {
        inc = has_include(d->text->bytes, d->text->len);
        r->disk_known = false;
    } else if (stat(r->path, &st) != 0 || !S_ISREG(st.st_mode)) {
        inc = false;
        exists = false;
        r->disk_known = false;
    } else {
        /* Read a file on disk again only when it changed. */
        long long mt = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
        if (!r->disk_known || r->disk_mtime_ns != mt || r->disk_size != (long long)st.st_size) {
            r->disk_include = file_has_include(r->path);
            r->disk_mtime_ns = mt;
            r->disk_size = (long long)st.st_size;
            r->disk_known = true;
        }
        inc = r->disk_include;
    }
    if (inc) {
        root_lint(s, r);
        return;
    }
    root_drop_journal(r);
    root_free_files(r);
    r->stale = false;
    r->linted = false;
    r->files = malloc(sizeof *r->files);
    if (!r->files) {
        s->oom = true;
        return;
    }
    if (exists) {
        /* It reads itself only (a file that does not exist: nothing). */
        if (!(r->files[0] = strdup(r->path))) {
            s->oom = true;
            return;
        }
        r->nfiles = 1;
    }
}

static struct root *root_find(lsp_server *s, const char *path)
{
    for (size_t i = 0; i < s->nroots; i++)
        if (strcmp(s->roots[i]->path, path) == 0)
            return s->roots[i];
    return NULL;
}

static struct root *root_add(lsp_server *s, const char *path)
{
    struct root *r = root_find(s, path);
    if (r)
        return r;
    if (s->nroots == s->caproots) {
        size_t cap = s->caproots ? 2 * s->caproots : 16;
        struct root **nr = realloc(s->roots, cap * sizeof *nr);
        if (!nr)
            return NULL;
        s->roots = nr;
        s->caproots = cap;
    }
    r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return NULL;
    }
    r->server = s;
    r->stale = true;
    s->roots[s->nroots++] = r;
    return r;
}

void lsp_mark_stale(lsp_server *s, const char *path)
{
    for (size_t i = 0; i < s->nroots; i++)
        if (!path || lsp_root_has(s->roots[i], path) ||
            strcmp(s->roots[i]->path, path) == 0)
            s->roots[i]->stale = true;
    s->dirty = true;
}

/* --- the workspace's .ladder files --------------------------------------- */

#define SCAN_MAX_FILES 500
#define SCAN_MAX_ENTRIES 20000
#define SCAN_MAX_DEPTH 8

static void scan_dir(lsp_server *s, const char *dir, int depth, size_t *visited)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && s->nws < SCAN_MAX_FILES && *visited < SCAN_MAX_ENTRIES) {
        ++*visited;
        const char *n = e->d_name;
        if (n[0] == '.' || strcmp(n, "node_modules") == 0)
            continue;
        size_t len = strlen(dir) + strlen(n) + 2;
        char *p = malloc(len);
        if (!p)
            break;
        snprintf(p, len, "%s/%s", strcmp(dir, "/") ? dir : "", n);
        struct stat st;
        if (lstat(p, &st) == 0) {
            size_t nl = strlen(n);
            if (S_ISDIR(st.st_mode) && depth < SCAN_MAX_DEPTH) {
                scan_dir(s, p, depth + 1, visited);
            } else if (S_ISREG(st.st_mode) && nl > 7 &&
                       strcmp(n + nl - 7, ".ladder") == 0) {
                char **nw = realloc(s->ws, (s->nws + 1) * sizeof *nw);
                if (nw) {
                    s->ws = nw;
                    s->ws[s->nws++] = p;
                    p = NULL;
                }
            }
        }
        free(p);
    }
    closedir(d);
}

static void workspace_scan(lsp_server *s)
{
    for (size_t i = 0; i < s->nws; i++)
        free(s->ws[i]);
    free(s->ws);
    s->ws = NULL;
    s->nws = 0;
    size_t visited = 0;
    for (size_t i = 0; i < s->nfolders; i++)
        scan_dir(s, s->folders[i], 0, &visited);
    s->ws_scanned = true;
}

/* --- choosing each document's journal ----------------------------------- */

/* Root a is included by root b (b reads a's file) and not the reverse. */
static bool dominated(const struct root *a, const struct root *b)
{
    return a != b && lsp_root_has(b, a->path) && !lsp_root_has(a, b->path);
}

static struct root *choose_root(lsp_server *s, struct doc *d)
{
    struct root *best = NULL;
    int best_score = -1;
    for (size_t i = 0; i < s->nroots; i++) {
        struct root *r = s->roots[i];
        if (!lsp_root_has(r, d->path))
            continue;
        int score = 0;
        if (r->is_settings)
            score += 8;
        bool dom = false;
        for (size_t k = 0; k < s->nroots && !dom; k++)
            dom = s->roots[k]->nfiles > 1 && dominated(r, s->roots[k]);
        if (!dom)
            score += 4;
        if (r->is_doc)
            score += 2;
        if (score > best_score ||
            (score == best_score && strcmp(r->path, best->path) < 0)) {
            best = r;
            best_score = score;
        }
    }
    return best;
}

/* --- publishing diagnostics ----------------------------------------------- */

static struct published *pub_find(lsp_server *s, const char *uri, bool add)
{
    for (size_t i = 0; i < s->npub; i++)
        if (strcmp(s->pub[i].uri, uri) == 0)
            return &s->pub[i];
    if (!add)
        return NULL;
    struct published *np = realloc(s->pub, (s->npub + 1) * sizeof *np);
    if (!np)
        return NULL;
    s->pub = np;
    struct published *p = &s->pub[s->npub];
    memset(p, 0, sizeof *p);
    if (!(p->uri = strdup(uri)))
        return NULL;
    s->npub++;
    return p;
}

const lsp_lines *lsp_root_lines(struct root *r, size_t file)
{
    if (!r->j || file >= r->nfiles)
        return NULL;
    if (!r->lines) {
        r->lines = calloc(r->nfiles, sizeof *r->lines);
        if (!r->lines)
            return NULL;
    }
    if (!r->lines[file].start) {
        size_t len;
        const char *t = ladder_file_text(r->j, file, &len);
        if (!t)
            t = "", len = 0;
        if (!lsp_lines_build(&r->lines[file], t, len))
            return NULL;
    }
    return &r->lines[file];
}

json_t *lsp_position(lsp_server *s, struct root *r, size_t file, size_t off)
{
    const lsp_lines *l = lsp_root_lines(r, file);
    size_t len = 0;
    const char *t = r->j ? ladder_file_text(r->j, file, &len) : NULL;
    uint32_t line = 0, ch = 0;
    if (l && t)
        lsp_offset_to_pos(l, t, len, off, s->utf8, &line, &ch);
    return json_pack("{s:i, s:i}", "line", (json_int_t)line, "character", (json_int_t)ch);
}

json_t *lsp_range(lsp_server *s, struct root *r, ladder_span sp)
{
    return json_pack("{s:o, s:o}", "start", lsp_position(s, r, sp.file, sp.start),
                     "end", lsp_position(s, r, sp.file, sp.end));
}

static int header_cmp(const void *x, const void *y)
{
    const struct header *a = x, *b = y;
    if (a->at.file != b->at.file)
        return a->at.file < b->at.file ? -1 : 1;
    return a->at.start < b->at.start ? -1 : a->at.start > b->at.start;
}

static bool root_headers(struct root *r)
{
    if (r->headers_ok)
        return r->headers != NULL;
    r->headers_ok = true;
    size_t n = ladder_entry_count(r->j);
    r->headers = malloc((n ? n : 1) * sizeof *r->headers);
    if (!r->headers)
        return false;
    for (size_t i = 0; i < n; i++) {
        ladder_entry_info ei;
        ladder_entry_get(r->j, i, &ei);
        r->headers[i].at = ei.header;
        r->headers[i].start = ei.date.start;
        r->headers[i].end = ei.client.end > ei.date.start ? ei.client.end : ei.header.end;
        r->headers[i].entry = i;
    }
    r->nheaders = n;
    /* Entries come in journal order: sorted already unless includes
     * interleave files. */
    size_t i = 1;
    while (i < n && header_cmp(&r->headers[i - 1], &r->headers[i]) <= 0)
        i++;
    if (i < n)
        qsort(r->headers, n, sizeof *r->headers, header_cmp);
    return true;
}

size_t lsp_entry_at(struct root *r, size_t file, size_t off)
{
    if (!r->j || !root_headers(r))
        return LADDER_NOWHERE;
    /* The last header with (file, start) <= (file, off). */
    size_t lo = 0, hi = r->nheaders;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ladder_span *a = &r->headers[mid].at;
        if (a->file < file || (a->file == file && a->start <= off))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || r->headers[lo - 1].at.file != file)
        return LADDER_NOWHERE;
    return r->headers[lo - 1].entry;
}

ladder_span lsp_diag_span(struct root *r, const ladder_diag *d)
{
    ladder_span sp = ladder_diag_span(r->j, d);
    if (!root_headers(r))
        return sp;
    struct header key = { sp, 0, 0, 0 };
    struct header *h = r->headers
        ? bsearch(&key, r->headers, r->nheaders, sizeof key, header_cmp) : NULL;
    /* On the whole header (the core's span may stop before its line break). */
    if (h && sp.end >= h->end && sp.end <= h->at.end) {
        sp.start = h->start;
        sp.end = h->end;
    }
    return sp;
}

/* A diagnostic's JSON is built from its "key": every value that goes into
 * it (the range, the severity, the rule, the message, and each note's URI,
 * range and message), laid out as numbers and length-prefixed strings.
 * Equal keys give equal JSON, so a publication reuses what jansson wrote
 * for the same key the last time (a change re-serializes only the
 * diagnostics it changed). */

struct buf {
    char *p;
    size_t n, cap;
};

static bool buf_put(struct buf *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np)
            return false;
        b->p = np;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    return true;
}

static bool key_u32(struct buf *b, uint32_t v)
{
    return buf_put(b, &v, sizeof v);
}

static bool key_str(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    return key_u32(b, (uint32_t)n) && buf_put(b, s, n);
}

static bool key_range(lsp_server *s, struct root *r, struct buf *b, ladder_span sp)
{
    const lsp_lines *l = lsp_root_lines(r, sp.file);
    size_t len = 0;
    const char *t = r->j ? ladder_file_text(r->j, sp.file, &len) : NULL;
    uint32_t v[4] = { 0, 0, 0, 0 };
    if (l && t) {
        lsp_offset_to_pos(l, t, len, sp.start, s->utf8, &v[0], &v[1]);
        lsp_offset_to_pos(l, t, len, sp.end, s->utf8, &v[2], &v[3]);
    }
    return buf_put(b, v, sizeof v);
}

/* Append the key of d to b; false when out of memory. */
static bool diag_key(lsp_server *s, struct root *r, const ladder_diag *d, struct buf *b)
{
    static const int sev[] = { 3, 3, 2, 1 };
    ladder_severity sv = ladder_diag_severity(d);
    if (!key_range(s, r, b, lsp_diag_span(r, d)) ||
        !key_u32(b, (uint32_t)sev[sv <= LADDER_ERROR ? sv : 1]) ||
        !key_str(b, ladder_diag_rule(d)) || !key_str(b, ladder_diag_message(r->j, d)))
        return false;
    size_t nn = ladder_note_count(r->j, d);
    size_t at = b->n;
    if (!key_u32(b, (uint32_t)nn) || !key_u32(b, 0))
        return false;
    uint32_t kept = 0;
    for (size_t k = 0; k < nn; k++) {
        const ladder_note *n = ladder_note_at(r->j, d, k);
        ladder_span sp = ladder_note_span(r->j, n);
        if (sp.file >= r->nfiles)
            continue;
        char *uri = path_uri(s, r->files[sp.file]);
        if (!uri)
            continue;
        bool ok = key_str(b, uri) && key_range(s, r, b, sp) &&
                  key_str(b, ladder_note_message(r->j, n));
        free(uri);
        if (!ok)
            return false;
        kept++;
    }
    memcpy(b->p + at + sizeof(uint32_t), &kept, sizeof kept);
    return true;
}

/* Reading a key back. */
struct kread {
    const char *p, *e;
};

static uint32_t kr_u32(struct kread *k)
{
    uint32_t v = 0;
    if (k->e - k->p >= (ptrdiff_t)sizeof v) {
        memcpy(&v, k->p, sizeof v);
        k->p += sizeof v;
    }
    return v;
}

/* A string of the key as JSON (NULL: not UTF-8, or out of memory). */
static json_t *kr_str(struct kread *k)
{
    uint32_t n = kr_u32(k);
    if ((size_t)(k->e - k->p) < n)
        n = (uint32_t)(k->e - k->p);
    json_t *v = json_stringn(k->p, n);
    k->p += n;
    return v;
}

static json_t *kr_pos(uint32_t line, uint32_t ch)
{
    json_t *o = json_object();
    if (o) {
        json_object_set_new_nocheck(o, "line", json_integer(line));
        json_object_set_new_nocheck(o, "character", json_integer(ch));
    }
    return o;
}

static json_t *kr_range(struct kread *k)
{
    uint32_t v[4];
    for (int i = 0; i < 4; i++)
        v[i] = kr_u32(k);
    json_t *o = json_object();
    if (o) {
        json_object_set_new_nocheck(o, "start", kr_pos(v[0], v[1]));
        json_object_set_new_nocheck(o, "end", kr_pos(v[2], v[3]));
    }
    return o;
}

/* The diagnostic a key stands for; NULL when its message is not UTF-8 (a
 * note whose URI or message is not is left out). */
static json_t *key_json(const char *key, size_t len)
{
    struct kread k = { key, key + len };
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new_nocheck(o, "range", kr_range(&k));
    json_object_set_new_nocheck(o, "severity", json_integer(kr_u32(&k)));
    json_object_set_new_nocheck(o, "code", kr_str(&k));
    json_object_set_new_nocheck(o, "source", json_string_nocheck("ladder"));
    json_t *msg = kr_str(&k);
    if (!msg) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new_nocheck(o, "message", msg);
    uint32_t nn = kr_u32(&k), kept = kr_u32(&k);
    if (nn) {
        json_t *rel = json_array();
        for (uint32_t i = 0; i < kept; i++) {
            json_t *uri = kr_str(&k), *range = kr_range(&k), *m = kr_str(&k);
            json_t *loc = json_object(), *note = json_object();
            if (uri && m && loc && note) {
                json_object_set_new_nocheck(loc, "uri", uri);
                json_object_set_new_nocheck(loc, "range", range);
                json_object_set_new_nocheck(note, "location", loc);
                json_object_set_new_nocheck(note, "message", m);
                json_array_append_new(rel, note);
            } else {
                json_decref(uri);
                json_decref(range);
                json_decref(m);
                json_decref(loc);
                json_decref(note);
            }
        }
        json_object_set_new_nocheck(o, "relatedInformation", rel);
    }
    return o;
}

json_t *lsp_diagnostic(lsp_server *s, struct root *r, const ladder_diag *d)
{
    struct buf b = { NULL, 0, 0 };
    json_t *o = diag_key(s, r, d, &b) ? key_json(b.p, b.n) : NULL;
    free(b.p);
    return o;
}

static uint64_t fnv64n(const char *p, size_t n, uint64_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

/* One diagnostic of a publication: its key and its JSON in the cache's
 * bytes (json_len 0: no JSON, left out). */
struct dent {
    uint64_t hash;
    size_t key, json;
    uint32_t key_len, json_len;
};

struct dcache {
    struct buf bytes;
    struct dent *v;
    size_t n, cap;
    uint32_t *index;            /* open addressing: entry + 1, 0 empty */
    size_t mask;
};

void lsp_dcache_free(struct dcache *c)
{
    if (!c)
        return;
    free(c->bytes.p);
    free(c->v);
    free(c->index);
    free(c);
}

static bool dcache_index(struct dcache *c)
{
    size_t cap = 16;
    while (cap < 2 * c->n)
        cap *= 2;
    c->index = calloc(cap, sizeof *c->index);
    if (!c->index)
        return false;
    c->mask = cap - 1;
    for (size_t i = 0; i < c->n; i++) {
        size_t h = (size_t)c->v[i].hash & c->mask;
        while (c->index[h])
            h = (h + 1) & c->mask;
        c->index[h] = (uint32_t)(i + 1);
    }
    return true;
}

static const struct dent *dcache_find(const struct dcache *c, uint64_t hash,
                                       const char *key, size_t len)
{
    if (!c || !c->index)
        return NULL;
    for (size_t h = (size_t)hash & c->mask; c->index[h]; h = (h + 1) & c->mask) {
        const struct dent *e = &c->v[c->index[h] - 1];
        if (e->hash == hash && e->key_len == len &&
            memcmp(c->bytes.p + e->key, key, len) == 0)
            return e;
    }
    return NULL;
}

static int dump_to_buf(const char *p, size_t n, void *ud)
{
    return buf_put(ud, p, n) ? 0 : -1;
}

/* Add d to the cache c being built, its JSON taken from old when old has
 * its key; false when out of memory. */
static bool dcache_add(lsp_server *s, struct root *r, const ladder_diag *d,
                       struct dcache *c, const struct dcache *old)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        struct dent *nv = realloc(c->v, cap * sizeof *nv);
        if (!nv)
            return false;
        c->v = nv;
        c->cap = cap;
    }
    struct dent *e = &c->v[c->n];
    e->key = c->bytes.n;
    if (!diag_key(s, r, d, &c->bytes))
        return false;
    e->key_len = (uint32_t)(c->bytes.n - e->key);
    e->hash = fnv64n(c->bytes.p + e->key, e->key_len, 14695981039346656037ull);
    e->json = c->bytes.n;
    const struct dent *was = dcache_find(old, e->hash, c->bytes.p + e->key, e->key_len);
    if (was) {
        if (!buf_put(&c->bytes, old->bytes.p + was->json, was->json_len))
            return false;
    } else {
        json_t *o = key_json(c->bytes.p + e->key, e->key_len);
        if (o && json_dump_callback(o, dump_to_buf, &c->bytes, JSON_COMPACT) != 0) {
            json_decref(o);
            return false;
        }
        json_decref(o);
    }
    e->json_len = (uint32_t)(c->bytes.n - e->json);
    c->n++;
    return true;
}

/* Publish the diagnostics of c (NULL: none) for uri, unless they are what
 * was published last and not forced; c becomes the URI's cache. */
static void publish(lsp_server *s, const char *uri, struct dcache *c, bool force)
{
    struct published *p = pub_find(s, uri, true);
    if (!p) {
        lsp_dcache_free(c);
        s->oom = true;
        return;
    }
    /* The array's length, and a hash of it (to skip an unchanged
     * publication): of its diagnostics' keys, since equal keys make
     * equal JSON. */
    size_t n = 2, nonempty = 0;
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; c && i < c->n; i++) {
        const struct dent *e = &c->v[i];
        if (!e->json_len)
            continue;
        nonempty++;
        h = (h ^ e->hash) * 1099511628211ull;
        h ^= h >> 29;
        n += e->json_len + 1;
    }
    if (nonempty)
        n--;
    h = (h ^ nonempty) * 1099511628211ull;
    p->claimed = true;
    bool skip = !force && p->sent && p->hash == h;
    if (!skip) {
        p->sent = true;
        p->hash = h;
        p->nonempty = nonempty > 0;
        json_t *params = json_pack("{s:s}", "uri", uri);
        struct doc *d = lsp_doc_find(s, uri);
        if (params && d && d->has_version)
            json_object_set_new(params, "version", json_integer(d->version));
        if (params)
            json_object_set_new(params, "diagnostics", json_array());
        json_t *msg = json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method",
                                "textDocument/publishDiagnostics", "params", params);
        char *env = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
        json_decref(msg);
        size_t el = env ? strlen(env) : 0;
        if (el < 4 || strcmp(env + el - 4, "[]}}") != 0) {
            s->oom = true;      /* jansson keeps insertion order: cannot happen */
        } else {
            char head[64];
            int hl = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n",
                              el - 4 + n + 2);
            bool ok = out_append(s, head, (size_t)hl) && out_append(s, env, el - 3);
            for (size_t i = 0, k = 0; ok && c && i < c->n; i++) {
                const struct dent *e = &c->v[i];
                if (!e->json_len)
                    continue;
                ok = (k++ == 0 || out_append(s, ",", 1)) &&
                     out_append(s, c->bytes.p + e->json, e->json_len);
            }
            if (!ok || !out_append(s, "]}}", 3))
                s->oom = true;
        }
        free(env);
    }
    /* What was published stays for the next time. */
    if (c && !c->index && !dcache_index(c)) {
        lsp_dcache_free(c);
        c = NULL;
    }
    lsp_dcache_free(p->cache);
    p->cache = c;
}

/* Publish every file of root r that no earlier root claimed. */
static void publish_root(lsp_server *s, struct root *r)
{
    if (!r->j)
        return;
    size_t nf = r->nfiles, nd = ladder_diag_count(r->j);
    struct dcache **per = calloc(nf ? nf : 1, sizeof *per);
    const struct dcache **old = calloc(nf ? nf : 1, sizeof *old);
    char **uris = calloc(nf ? nf : 1, sizeof *uris);
    if (!per || !old || !uris) {
        free(per);
        free(old);
        free(uris);
        s->oom = true;
        return;
    }
    /* The files this root publishes, and what was published for each. */
    for (size_t f = 0; f < nf; f++) {
        char *uri = path_uri(s, r->files[f]);
        struct published *p = uri ? pub_find(s, uri, false) : NULL;
        if (uri && !(p && p->claimed) && (per[f] = calloc(1, sizeof *per[f]))) {
            uris[f] = uri;
            old[f] = p ? p->cache : NULL;
        } else {
            free(uri);
        }
    }
    for (size_t i = 0; i < nd; i++) {
        const ladder_diag *d = ladder_diag_at(r->j, i);
        ladder_span sp = ladder_diag_span(r->j, d);
        if (sp.file >= nf || !per[sp.file])
            continue;
        if (!dcache_add(s, r, d, per[sp.file], old[sp.file])) {
            s->oom = true;
            break;
        }
    }
    for (size_t f = 0; f < nf; f++) {
        if (uris[f]) {
            bool open = lsp_doc_find(s, uris[f]) != NULL;
            publish(s, uris[f], per[f], open && r->fresh);
        }
        free(uris[f]);
    }
    free(uris);
    free(old);
    free(per);
}

/* Lint what is stale, choose each document's journal, publish. */
void lsp_relint(lsp_server *s)
{
    s->dirty = false;
    if (!s->ws_scanned)
        workspace_scan(s);

    /* The candidates: the settings' journal, the open documents, the
     * workspace's files. */
    for (size_t i = 0; i < s->nroots; i++)
        s->roots[i]->keep = false;
    struct root *r;
    if (s->journal && (r = root_add(s, s->journal)))
        r->keep = r->is_settings = true;
    for (size_t i = 0; i < s->ndocs; i++)
        if ((r = root_add(s, s->docs[i]->path)))
            r->keep = r->is_doc = true;
    for (size_t i = 0; i < s->nws; i++)
        if ((r = root_add(s, s->ws[i])))
            r->keep = true;
    size_t k = 0;
    for (size_t i = 0; i < s->nroots; i++) {
        r = s->roots[i];
        r->is_doc = doc_by_path(s, r->path) != NULL;
        if (r->keep)
            s->roots[k++] = r;
        else
            root_free(r);
    }
    s->nroots = k;

    for (size_t i = 0; i < s->nroots; i++) {
        s->roots[i]->fresh = false;
        s->roots[i]->chosen = false;
        if (s->roots[i]->stale) {
            root_refresh(s, s->roots[i]);
            s->roots[i]->fresh = s->roots[i]->linted;
        }
    }
    for (size_t i = 0; i < s->ndocs; i++) {
        struct doc *d = s->docs[i];
        d->root = choose_root(s, d);
        if (!d->root) {
            /* Its own journal could not be read: lint it anyway. */
            d->root = root_find(s, d->path);
        }
        if (d->root) {
            if (!d->root->j) {
                root_lint(s, d->root);
                d->root->fresh = true;
            }
            d->root->chosen = true;
        }
    }
    /* Free the journals nobody needs now (their file lists stay). */
    for (size_t i = 0; i < s->nroots; i++)
        if (!s->roots[i]->chosen && s->roots[i]->j) {
            root_drop_journal(s->roots[i]);
            s->roots[i]->linted = false;
        }

    for (size_t i = 0; i < s->npub; i++)
        s->pub[i].claimed = false;
    /* An open document's file is published by its own journal first. */
    for (size_t i = 0; i < s->ndocs; i++)
        if (s->docs[i]->root)
            publish_root(s, s->docs[i]->root);
    for (size_t i = 0; i < s->npub; i++)
        if (!s->pub[i].claimed && s->pub[i].sent && s->pub[i].nonempty) {
            s->pub[i].claimed = true;
            publish(s, s->pub[i].uri, NULL, false);
            s->pub[i].claimed = false;
        }
    for (size_t i = 0; i < s->nroots; i++)
        s->roots[i]->fresh = false;
}

void lsp_fresh(lsp_server *s)
{
    if (s->dirty)
        lsp_relint(s);
}

/* --- settings ------------------------------------------------------------- */

/* A bad setting: a window/showMessage (warning) that names it and says
 * why; it is ignored, the others apply.  Only the settings the client has
 * just sent are reported (`report`), so that a didChangeConfiguration does
 * not repeat what initialize said of initializationOptions. */
static void bad_setting(lsp_server *s, bool report, const char *name, const char *why)
{
    if (report)
        lsp_send(s, json_pack("{s:s, s:s, s:{s:i, s:s++++}}", "jsonrpc", "2.0",
                              "method", "window/showMessage", "params",
                              "type", 2, "message", "ladder: setting ", name, ": ",
                              why, "; ignored"));
}

static bool set_one(lsp_server *s, bool report, const char *name, ladder_setting what,
                    const char *v)
{
    ladder_error err;
    if (ladder_config_set(s->cfg, what, v, &err) == LADDER_OK)
        return true;
    bad_setting(s, report, name, err.message);
    return false;
}

/* Setting `key` of `o`, NULL when absent or null (unset, as a null in
 * `options` or `rules` is); `*report` says
 * whether the client has just sent it (it is in `fresh`). */
static json_t *setting(json_t *o, json_t *fresh, const char *key, bool *report)
{
    json_t *v = json_object_get(o, key);
    *report = json_object_get(fresh, key) != NULL;
    return json_is_null(v) ? NULL : v;
}

/* Apply initializationOptions (or a didChangeConfiguration's settings over
 * them); a bad setting among `fresh`'s is reported. */
static void apply_settings(lsp_server *s, json_t *o, json_t *fresh)
{
    if (!json_is_object(o))
        return;
    ladder_config *cfg = ladder_config_new(NULL);
    if (!cfg) {
        s->oom = true;
        return;
    }
    ladder_config_keep_text(cfg, true);
    /* Journals point at the config they were linted with. */
    for (size_t i = 0; i < s->nroots; i++) {
        root_drop_journal(s->roots[i]);
        s->roots[i]->linted = false;
        s->roots[i]->stale = true;
    }
    for (size_t i = 0; i < s->ndocs; i++)
        s->docs[i]->root = NULL;
    s->dirty = true;
    ladder_config_free(s->cfg);
    s->cfg = cfg;
    s->today[0] = '\0';
    json_t *v;
    bool rep;
    if ((v = setting(o, fresh, "today", &rep))) {
        if (!json_is_string(v))
            bad_setting(s, rep, "today", "not a string \"YYYY-MM-DD\"");
        else if (set_one(s, rep, "today", LADDER_SET_TODAY, json_string_value(v)) &&
                 strlen(json_string_value(v)) == 10)
            snprintf(s->today, sizeof s->today, "%s", json_string_value(v));
    }
    if ((v = setting(o, fresh, "strict", &rep))) {
        if (!json_is_boolean(v))
            bad_setting(s, rep, "strict", "not true or false");
        else
            set_one(s, rep, "strict", LADDER_SET_STRICT, json_is_true(v) ? "yes" : "no");
    }
    if ((v = setting(o, fresh, "since", &rep))) {
        if (!json_is_string(v))
            bad_setting(s, rep, "since", "not a string \"YYYY-MM-DD\"");
        else
            set_one(s, rep, "since", LADDER_SET_SINCE, json_string_value(v));
    }
    const char *key;
    json_t *val;
    char buf[512], name[300];
    if ((v = setting(o, fresh, "options", &rep))) {
        if (!json_is_object(v))
            bad_setting(s, rep, "options", "not an object {\"NAME\": VALUE}");
        else
            json_object_foreach(v, key, val) {
                snprintf(name, sizeof name, "options.%s", key);
                if (json_is_null(val))
                    continue;
                if (json_is_integer(val))
                    snprintf(buf, sizeof buf, "%s=%lld", key, (long long)json_integer_value(val));
                else if (json_is_string(val))
                    snprintf(buf, sizeof buf, "%s=%s", key, json_string_value(val));
                else if (json_is_boolean(val))
                    snprintf(buf, sizeof buf, "%s=%s", key, json_is_true(val) ? "yes" : "no");
                else {
                    bad_setting(s, rep, name, "not a whole number, a string or true/false");
                    continue;
                }
                set_one(s, rep, name, LADDER_SET_OPTION, buf);
            }
    }
    if ((v = setting(o, fresh, "rules", &rep))) {
        if (!json_is_object(v))
            bad_setting(s, rep, "rules", "not an object {\"RULE\": \"SEVERITY\"}");
        else
            json_object_foreach(v, key, val) {
                snprintf(name, sizeof name, "rules.%s", key);
                if (json_is_null(val))
                    continue;
                if (!json_is_string(val)) {
                    bad_setting(s, rep, name, "not a string (error, warning, note or off)");
                    continue;
                }
                snprintf(buf, sizeof buf, "%s=%s", key, json_string_value(val));
                set_one(s, rep, name, LADDER_SET_RULE, buf);
            }
    }
    if ((v = setting(o, fresh, "journal", &rep))) {
        if (!json_is_string(v)) {
            bad_setting(s, rep, "journal", "not a string (a path or a file: URI)");
        } else if (json_string_length(v) > 0) {
            const char *j = json_string_value(v);
            char *p = lsp_uri_to_path(j);
            const char *base = s->nfolders ? s->folders[0] : s->cwd;
            free(s->journal);
            s->journal = lsp_path_clean(p ? p : j, base);
            free(p);
        }
    }
}

/* --- the lifecycle ---------------------------------------------------------- */

static void add_folder(lsp_server *s, const char *uri_or_path, bool is_uri)
{
    char *p = is_uri ? lsp_uri_to_path(uri_or_path) : strdup(uri_or_path);
    if (!p)
        return;
    char *c = lsp_path_clean(p, s->cwd);
    free(p);
    if (!c)
        return;
    for (size_t i = 0; i < s->nfolders; i++)
        if (strcmp(s->folders[i], c) == 0) {
            free(c);
            return;
        }
    char **nf = realloc(s->folders, (s->nfolders + 1) * sizeof *nf);
    if (!nf) {
        free(c);
        return;
    }
    s->folders = nf;
    s->folders[s->nfolders++] = c;
}

static void on_initialize(lsp_server *s, json_t *id, json_t *params)
{
    if (s->initialized) {
        lsp_error(s, id, LSP_INVALID_REQUEST, "initialize was already received");
        return;
    }
    json_t *encs = json_object_get(json_object_get(json_object_get(params,
                        "capabilities"), "general"), "positionEncodings");
    size_t i;
    json_t *e;
    s->utf8 = false;
    json_array_foreach(encs, i, e)
        if (json_is_string(e) && strcmp(json_string_value(e), "utf-8") == 0)
            s->utf8 = true;
    json_t *folders = json_object_get(params, "workspaceFolders");
    json_array_foreach(folders, i, e) {
        json_t *u = json_object_get(e, "uri");
        if (json_is_string(u))
            add_folder(s, json_string_value(u), true);
    }
    if (!s->nfolders) {
        json_t *ru = json_object_get(params, "rootUri"), *rp = json_object_get(params, "rootPath");
        if (json_is_string(ru))
            add_folder(s, json_string_value(ru), true);
        else if (json_is_string(rp))
            add_folder(s, json_string_value(rp), false);
    }
    json_t *io = json_object_get(params, "initializationOptions");
    if (json_is_object(io)) {
        json_decref(s->init_options);
        s->init_options = json_deep_copy(io);
    }
    apply_settings(s, io, io);
    s->initialized = true;
    json_t *res = json_pack(
        "{s:{s:s, s:i, s:{s:[s,s,s,s,s], s:b}, s:b, s:b, s:b, s:b, s:{s:[s]}}, "
        "s:{s:s, s:s}}",
        "capabilities",
          "positionEncoding", s->utf8 ? "utf-8" : "utf-16",
          "textDocumentSync", 1,
          "completionProvider", "triggerCharacters", " ", ">", ":", ",", "-",
                                "resolveProvider", 0,
          "hoverProvider", 1,
          "definitionProvider", 1,
          "documentSymbolProvider", 1,
          "documentFormattingProvider", 1,
          "codeActionProvider", "codeActionKinds", "quickfix",
        "serverInfo", "name", "ladder", "version", ladder_version());
    json_t *caps = json_object_get(res, "capabilities");
    if (caps)
        json_object_set_new(caps, "workspace", json_pack(
            "{s:{s:b, s:b}}", "workspaceFolders", "supported", 1, "changeNotifications", 1));
    lsp_reply(s, id, res);
}

static void on_shutdown(lsp_server *s, json_t *id, json_t *params)
{
    (void)params;
    lsp_fresh(s);               /* publish what is pending first */
    s->shutdown = true;
    lsp_reply(s, id, json_null());
}

static void on_exit(lsp_server *s, json_t *params)
{
    (void)params;
    s->exited = true;
    s->status = s->shutdown ? 0 : 1;
}

static void on_initialized(lsp_server *s, json_t *params)
{
    (void)s;
    (void)params;
}

/* --- documents ----------------------------------------------------------- */

/* The textDocument.uri of params, or NULL (with an error sent for a request). */
static const char *param_uri(json_t *params)
{
    json_t *u = json_object_get(json_object_get(params, "textDocument"), "uri");
    return json_is_string(u) ? json_string_value(u) : NULL;
}

static void on_did_open(lsp_server *s, json_t *params)
{
    json_t *td = json_object_get(params, "textDocument");
    json_t *u = json_object_get(td, "uri"), *t = json_object_get(td, "text");
    json_t *v = json_object_get(td, "version");
    if (!json_is_string(u) || !json_is_string(t)) {
        lsp_log(s, 1, "textDocument/didOpen: textDocument.uri and .text must be strings");
        return;
    }
    struct doc *d = lsp_doc_find(s, json_string_value(u));
    struct text *nt = text_new(t);
    if (!nt) {
        s->oom = true;
        return;
    }
    if (!d) {
        struct doc **nd = realloc(s->docs, (s->ndocs + 1) * sizeof *nd);
        if (!nd || !(d = calloc(1, sizeof *d))) {
            if (nd)
                s->docs = nd;
            text_unref(nt);
            s->oom = true;
            return;
        }
        s->docs = nd;
        d->uri = strdup(json_string_value(u));
        d->path = uri_path(s, json_string_value(u));
        if (!d->uri || !d->path) {
            doc_free(d);
            text_unref(nt);
            s->oom = true;
            return;
        }
        s->docs[s->ndocs++] = d;
    } else {
        text_unref(d->text);
        lsp_lines_free(&d->lines);
        d->lines_ok = false;
    }
    d->text = nt;
    d->has_version = json_is_integer(v);
    d->version = json_integer_value(v);
    lsp_mark_stale(s, NULL);        /* a file that was missing may exist now */
}

static void on_did_change(lsp_server *s, json_t *params)
{
    const char *uri = param_uri(params);
    struct doc *d = uri ? lsp_doc_find(s, uri) : NULL;
    if (!d) {
        lsp_log(s, 2, "textDocument/didChange: %s is not open", uri ? uri : "(no uri)");
        return;
    }
    json_t *changes = json_object_get(params, "contentChanges"), *c, *last = NULL;
    size_t i;
    json_array_foreach(changes, i, c) {
        json_t *t = json_object_get(c, "text");
        if (json_is_string(t))
            last = t;
        if (json_object_get(c, "range"))
            lsp_log(s, 2, "textDocument/didChange: the server syncs whole "
                    "documents (textDocumentSync 1); a ranged change is "
                    "taken as the whole text");
    }
    if (!last) {
        lsp_log(s, 1, "textDocument/didChange: no contentChanges[].text");
        return;
    }
    struct text *nt = text_new(last);
    if (!nt) {
        s->oom = true;
        return;
    }
    text_unref(d->text);
    d->text = nt;
    lsp_lines_free(&d->lines);
    d->lines_ok = false;
    json_t *v = json_object_get(json_object_get(params, "textDocument"), "version");
    if (json_is_integer(v)) {
        d->has_version = true;
        d->version = json_integer_value(v);
    }
    lsp_mark_stale(s, d->path);
}

static void on_did_save(lsp_server *s, json_t *params)
{
    const char *uri = param_uri(params);
    struct doc *d = uri ? lsp_doc_find(s, uri) : NULL;
    json_t *t = json_object_get(params, "text");
    if (d && json_is_string(t)) {
        struct text *nt = text_new(t);
        if (nt) {
            text_unref(d->text);
            d->text = nt;
            lsp_lines_free(&d->lines);
            d->lines_ok = false;
        }
    }
    /* The disk changed: every journal may read it. */
    lsp_mark_stale(s, NULL);
}

static void on_did_close(lsp_server *s, json_t *params)
{
    const char *uri = param_uri(params);
    for (size_t i = 0; uri && i < s->ndocs; i++)
        if (strcmp(s->docs[i]->uri, uri) == 0) {
            doc_free(s->docs[i]);
            memmove(s->docs + i, s->docs + i + 1, (s->ndocs - i - 1) * sizeof *s->docs);
            s->ndocs--;
            lsp_mark_stale(s, NULL);
            return;
        }
    lsp_log(s, 2, "textDocument/didClose: %s is not open", uri ? uri : "(no uri)");
}

static void on_watched(lsp_server *s, json_t *params)
{
    (void)params;
    s->ws_scanned = false;
    lsp_mark_stale(s, NULL);
}

static void on_folders(lsp_server *s, json_t *params)
{
    json_t *ev = json_object_get(params, "event"), *f;
    size_t i;
    json_array_foreach(json_object_get(ev, "removed"), i, f) {
        json_t *u = json_object_get(f, "uri");
        char *p = json_is_string(u) ? lsp_uri_to_path(json_string_value(u)) : NULL;
        char *c = p ? lsp_path_clean(p, s->cwd) : NULL;
        for (size_t k = 0; c && k < s->nfolders; k++)
            if (strcmp(s->folders[k], c) == 0) {
                free(s->folders[k]);
                s->folders[k] = s->folders[--s->nfolders];
                break;
            }
        free(p);
        free(c);
    }
    json_array_foreach(json_object_get(ev, "added"), i, f) {
        json_t *u = json_object_get(f, "uri");
        if (json_is_string(u))
            add_folder(s, json_string_value(u), true);
    }
    s->ws_scanned = false;
    lsp_mark_stale(s, NULL);
}

/* `settings.ladder` is ours, or `settings` itself when it holds one of our
 * keys; it is applied over initializationOptions (eglot sends
 * `{"settings":{}}` right after `initialized`, which must change nothing). */
static void on_configuration(lsp_server *s, json_t *params)
{
    json_t *st = json_object_get(params, "settings");
    json_t *l = json_object_get(st, "ladder");
    if (!json_is_object(l)) {
        /* The settings themselves, when they hold one of ours. */
        static const char *const keys[] = { "today", "strict", "since", "options",
                                             "rules", "journal" };
        l = NULL;
        for (size_t i = 0; i < sizeof keys / sizeof *keys && !l; i++)
            if (json_object_get(st, keys[i]))
                l = st;
        if (!l)
            return;
    }
    json_t *merged = s->init_options ? json_deep_copy(s->init_options) : json_object();
    if (!merged || json_object_update(merged, l) != 0) {
        json_decref(merged);
        s->oom = true;
        return;
    }
    apply_settings(s, merged, l);
    json_decref(merged);
    lsp_mark_stale(s, NULL);
}

/* --- dispatch ------------------------------------------------------------- */

typedef void (*request_fn)(lsp_server *, json_t *id, json_t *params);
typedef void (*notify_fn)(lsp_server *, json_t *params);

static const struct {
    const char *method;
    request_fn request;
    notify_fn notify;
} methods[] = {
    { "initialize", on_initialize, NULL },
    { "initialized", NULL, on_initialized },
    { "shutdown", on_shutdown, NULL },
    { "exit", NULL, on_exit },
    { "textDocument/didOpen", NULL, on_did_open },
    { "textDocument/didChange", NULL, on_did_change },
    { "textDocument/didSave", NULL, on_did_save },
    { "textDocument/didClose", NULL, on_did_close },
    { "workspace/didChangeWatchedFiles", NULL, on_watched },
    { "workspace/didChangeConfiguration", NULL, on_configuration },
    { "workspace/didChangeWorkspaceFolders", NULL, on_folders },
    { "textDocument/completion", lsp_completion, NULL },
    { "textDocument/hover", lsp_hover, NULL },
    { "textDocument/definition", lsp_definition, NULL },
    { "textDocument/documentSymbol", lsp_document_symbol, NULL },
    { "textDocument/codeAction", lsp_code_action, NULL },
    { "textDocument/formatting", lsp_formatting, NULL },
};

static void dispatch(lsp_server *s, json_t *msg)
{
    if (!json_is_object(msg)) {
        lsp_error(s, NULL, LSP_INVALID_REQUEST, json_is_array(msg)
                  ? "batches are not part of the LSP: send one message at a time"
                  : "not a JSON-RPC message: it must be an object");
        return;
    }
    json_t *id = json_object_get(msg, "id");
    json_t *method = json_object_get(msg, "method");
    json_t *params = json_object_get(msg, "params");
    if (json_is_null(params))
        params = NULL;
    json_t *ver = json_object_get(msg, "jsonrpc");
    bool id_ok = id && (json_is_integer(id) || json_is_string(id));
    if (id && !id_ok && !json_is_null(id)) {
        lsp_error(s, NULL, LSP_INVALID_REQUEST, "the id must be a number or a string");
        return;
    }
    if (!json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0) {
        if (id_ok || !method)
            lsp_error(s, id_ok ? id : NULL, LSP_INVALID_REQUEST,
                      "not a JSON-RPC 2.0 message: \"jsonrpc\" must be \"2.0\"");
        else
            lsp_log(s, 1, "ignored a notification that is not JSON-RPC 2.0 "
                    "(\"jsonrpc\" must be \"2.0\")");
        return;
    }
    if (!method) {
        if (id_ok && (json_object_get(msg, "result") || json_object_get(msg, "error")))
            return;             /* a response: the server asks nothing */
        lsp_error(s, id_ok ? id : NULL, LSP_INVALID_REQUEST,
                  "not a JSON-RPC request: no \"method\"");
        return;
    }
    if (!json_is_string(method)) {
        lsp_error(s, id_ok ? id : NULL, LSP_INVALID_REQUEST, "\"method\" must be a string");
        return;
    }
    const char *m = json_string_value(method);
    bool request = id_ok;
    if (id && json_is_null(id)) {
        lsp_error(s, NULL, LSP_INVALID_REQUEST, "a request's id may not be null");
        return;
    }
    if (params && !json_is_object(params) && !json_is_array(params)) {
        if (request)
            lsp_error(s, id, LSP_INVALID_PARAMS, "%s: params must be an object", m);
        else
            lsp_log(s, 1, "%s: params must be an object; ignored", m);
        return;
    }
    size_t n = sizeof methods / sizeof methods[0], i;
    for (i = 0; i < n; i++)
        if (strcmp(methods[i].method, m) == 0)
            break;
    if (!request) {
        if (strcmp(m, "exit") == 0) {
            on_exit(s, params);
            return;
        }
        if (!s->initialized || s->shutdown)
            return;             /* dropped, as the protocol says */
        if (i < n && methods[i].notify)
            methods[i].notify(s, params);
        else if (strncmp(m, "$/", 2) != 0)
            lsp_log(s, 2, "unknown notification %s: ignored", m);
        return;
    }
    if (strcmp(m, "initialize") != 0 && !s->initialized) {
        lsp_error(s, id, LSP_NOT_INITIALIZED, "%s before initialize", m);
        return;
    }
    if (s->shutdown) {
        lsp_error(s, id, LSP_INVALID_REQUEST, "%s after shutdown: only exit may follow", m);
        return;
    }
    if (i < n && methods[i].request) {
        methods[i].request(s, id, params);
        return;
    }
    lsp_error(s, id, LSP_METHOD_NOT_FOUND, "unknown method %s", m);
}

static void on_message(void *ud, const char *body, size_t len)
{
    lsp_server *s = ud;
    if (s->exited)
        return;
    json_error_t je;
    json_t *msg = json_loadb(body, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!msg) {
        lsp_error(s, NULL, LSP_PARSE_ERROR, "invalid JSON: %s (at byte %d)",
                  je.text, je.position);
        return;
    }
    dispatch(s, msg);
    json_decref(msg);
}

static void on_frame_error(void *ud, const char *why)
{
    lsp_server *s = ud;
    if (!s->exited)
        lsp_error(s, NULL, LSP_PARSE_ERROR, "%s", why);
}

/* --- the state machine ------------------------------------------------------- */

lsp_server *lsp_new(const lsp_options *o)
{
    lsp_server *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    lsp_reader_init(&s->reader);
    if (o && o->cwd) {
        s->cwd = strdup(o->cwd);
    } else {
        size_t cap = 256;
        for (;;) {
            char *b = malloc(cap);
            if (!b)
                break;
            if (getcwd(b, cap)) {
                s->cwd = b;
                break;
            }
            free(b);
            if (errno != ERANGE || cap > 65536) {
                s->cwd = strdup("/");
                break;
            }
            cap *= 2;
        }
    }
    s->cfg = ladder_config_new(NULL);
    if (!s->cwd || !s->cfg) {
        lsp_free(s);
        return NULL;
    }
    ladder_config_keep_text(s->cfg, true);
    s->status = 1;
    return s;
}

void lsp_free(lsp_server *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nroots; i++)
        root_free(s->roots[i]);
    free(s->roots);
    for (size_t i = 0; i < s->ndocs; i++)
        doc_free(s->docs[i]);
    free(s->docs);
    for (size_t i = 0; i < s->nws; i++)
        free(s->ws[i]);
    free(s->ws);
    for (size_t i = 0; i < s->nfolders; i++)
        free(s->folders[i]);
    free(s->folders);
    for (size_t i = 0; i < s->npub; i++) {
        free(s->pub[i].uri);
        lsp_dcache_free(s->pub[i].cache);
    }
    free(s->pub);
    free(s->journal);
    free(s->cwd);
    free(s->out);
    json_decref(s->init_options);
    if (s->cfg)
        ladder_config_free(s->cfg);
    lsp_reader_free(&s->reader);
    free(s);
}

bool lsp_feed(lsp_server *s, const char *bytes, size_t len)
{
    lsp_reader_sink sink = { on_message, on_frame_error, s };
    if (!lsp_reader_feed(&s->reader, bytes, len, &sink))
        s->oom = true;
    return !s->oom;
}

bool lsp_has_work(const lsp_server *s)
{
    return s->dirty && s->initialized && !s->exited;
}

void lsp_idle(lsp_server *s)
{
    if (lsp_has_work(s))
        lsp_relint(s);
}

bool lsp_exited(const lsp_server *s, int *status)
{
    if (s->exited && status)
        *status = s->status;
    return s->exited;
}
