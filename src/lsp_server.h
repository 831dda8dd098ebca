/* lsp_server.h - the language server's internals, shared by lsp.c (state,
 * dispatch, journals, diagnostics), lsp_features.c (requests on a
 * position) and lsp_run.c (the loop over file descriptors). */
#ifndef LADDER_LSP_SERVER_H
#define LADDER_LSP_SERVER_H

#include <jansson.h>

#include "ladder.h"
#include "lsp.h"

/* JSON-RPC and LSP error codes. */
enum {
    LSP_PARSE_ERROR = -32700,
    LSP_INVALID_REQUEST = -32600,
    LSP_METHOD_NOT_FOUND = -32601,
    LSP_INVALID_PARAMS = -32602,
    LSP_INTERNAL_ERROR = -32603,
    LSP_NOT_INITIALIZED = -32002
};

/* A document's text, shared by the document and the journals that read
 * it (a journal may outlive a change of the document).  The bytes are the
 * JSON string the client sent, kept (not copied): `str` holds a reference
 * to it, and jansson's string is NUL-terminated. */
struct text {
    size_t refs;
    size_t len;
    const char *bytes;
    json_t *str;
};

struct root;

/* An open document. */
struct doc {
    char *uri;                  /* as the client sent it */
    char *path;                 /* the file it stands for, cleaned */
    struct text *text;
    bool has_version;
    json_int_t version;
    lsp_lines lines;
    bool lines_ok;
    struct root *root;          /* its journal, after lsp_relint */
};

/* A journal the server knows: an open document, a .ladder file of the
 * workspace, or the one the settings name.  `files` is what it reads
 * (cleaned paths, the root first). */
struct root {
    lsp_server *server;
    char *path;
    bool is_doc, is_settings;
    bool stale;                 /* its files changed since it was read */
    bool linted;                /* j is current */
    bool fresh;                 /* linted in this round of lsp_relint */
    bool chosen;                /* some open document's journal */
    bool keep;
    bool disk_known;            /* an on-disk root: what its file was last time */
    bool disk_include;
    long long disk_mtime_ns, disk_size;
    char **files;
    size_t nfiles;
    ladder_journal *j;          /* while chosen */
    struct text **held;         /* texts j reads from */
    size_t nheld, capheld;
    lsp_lines *lines;           /* per file, built on demand */
    struct header *headers;     /* entries' headers by file and offset */
    size_t nheaders;
    bool headers_ok;
};

/* An entry's header, and the range a diagnostic on it covers. */
struct header {
    ladder_span at;             /* the header line, as the core reports it */
    uint32_t start, end;        /* its date through its client name */
    size_t entry;               /* for ladder_entry_get */
};

/* What was last published for a URI: the diagnostics' keys and JSON are
 * kept in `cache`, for the next publication to reuse. */
struct dcache;
struct published {
    char *uri;
    uint64_t hash;
    bool sent, nonempty, claimed;
    struct dcache *cache;
};
void lsp_dcache_free(struct dcache *c);

struct lsp_server {
    json_t *init_options;           /* initializationOptions, kept: a later
                                     * settings change is applied over it */
    lsp_reader reader;
    char *out;
    size_t out_pos, out_len, out_cap;
    bool oom;
    bool initialized, shutdown, exited;
    int status;
    bool utf8;                  /* positions in bytes, else UTF-16 */
    bool dirty;                 /* something is stale: lint at idle */
    char *cwd;
    char **folders;
    size_t nfolders;
    char *journal;              /* initializationOptions.journal, cleaned */
    char today[16];             /* initializationOptions.today, or "" */
    ladder_config *cfg;
    struct doc **docs;
    size_t ndocs;
    struct root **roots;
    size_t nroots, caproots;
    char **ws;                  /* the workspace's .ladder files */
    size_t nws;
    bool ws_scanned;
    struct published *pub;
    size_t npub;
};

void lsp_send(lsp_server *s, json_t *msg);
void lsp_reply(lsp_server *s, json_t *id, json_t *result);
void lsp_error(lsp_server *s, json_t *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lsp_log(lsp_server *s, int type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct doc *lsp_doc_find(lsp_server *s, const char *uri);
const lsp_lines *lsp_doc_lines(struct doc *d);
bool lsp_root_has(const struct root *r, const char *path);
const lsp_lines *lsp_root_lines(struct root *r, size_t file);
void lsp_mark_stale(lsp_server *s, const char *path);
void lsp_relint(lsp_server *s);
void lsp_fresh(lsp_server *s);

json_t *lsp_position(lsp_server *s, struct root *r, size_t file, size_t off);
json_t *lsp_range(lsp_server *s, struct root *r, ladder_span sp);
/* The range a diagnostic covers: the core's span, except that one on an
 * entry's whole header covers the header's date through its client name. */
ladder_span lsp_diag_span(struct root *r, const ladder_diag *d);
/* The entry whose block holds byte `off` of file `file` (the last header
 * at or before it), or LADDER_NOWHERE. */
size_t lsp_entry_at(struct root *r, size_t file, size_t off);
json_t *lsp_diagnostic(lsp_server *s, struct root *r, const ladder_diag *d);

/* lsp_features.c */
void lsp_completion(lsp_server *s, json_t *id, json_t *params);
void lsp_hover(lsp_server *s, json_t *id, json_t *params);
void lsp_definition(lsp_server *s, json_t *id, json_t *params);
void lsp_document_symbol(lsp_server *s, json_t *id, json_t *params);
void lsp_code_action(lsp_server *s, json_t *id, json_t *params);
void lsp_formatting(lsp_server *s, json_t *id, json_t *params);

#endif
