/* ladder.y - the grammar of .ladder journals.
 *
 * A pure, reentrant parser over the tokens of ladder.l.  The journal is a
 * sequence of lines; indented lines attach to the block above them (the
 * builder in parse.c keeps track of it).  A line that does not parse is
 * reported once and skipped to its end: `error EOL`.  Actions only shape
 * values; the b_* builder functions construct the AST.
 */
%code requires {
#include "ast.h"
typedef void *yyscan_t;
struct parse_ctx;
/* Locations are byte spans; an empty rule sits at the end of what precedes. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                         \
    do {                                                    \
        if (N) {                                            \
            (Cur).start = YYRHSLOC(Rhs, 1).start;           \
            (Cur).end = YYRHSLOC(Rhs, N).end;               \
        } else {                                            \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end; \
        }                                                   \
    } while (0)
}

%code provides {
int yylex(YYSTYPE *yylval, YYLTYPE *yylloc, yyscan_t scanner);
}

%code {
#include <stdio.h>
#include <string.h>

#include "parse.h"

static void yyerror(const YYLTYPE *loc, yyscan_t scanner, struct parse_ctx *ctx,
                    const char *msg);

static const struct text NO_TEXT;
static const struct span NO_SPAN;

/* A line's span: from its first token to the end of the rule. */
static inline struct span span_from(struct span first, struct span rule)
{
    return (struct span){ first.start, rule.end };
}

/* An absent part's span: empty, at the end of the token before it. */
#define AT_END(before) ((struct span){ (before).end, (before).end })
}

%define api.pure full
%define api.location.type {struct span}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%lex-param {yyscan_t scanner}
%parse-param {yyscan_t scanner} {struct parse_ctx *ctx}

%union {
    struct text text;
    struct date date;
    int num;
    struct ignore ignore;
}

%token <text> WORD "word" KIND "(kind)"
%token <date> DATE "date"
%token <num> TIME "time" STATUS "status mark" OUTCOME "outcome"
%token <ignore> EOL "end of line"
%token PIPE "'|'"
%token IND_ENTRY IND_LADDER IND_CLIENT
%token K_PLAN "'plan'" K_ASK "'ask'" K_GOT "'got'" K_GAVE "'gave'"
%token K_NEXT "'next'" K_NOTE "'note'" K_NONE "'none'" K_ALIAS "'alias'"
%token D_LADDER "'ladder'" D_CLIENT "'client'" D_OPTION "'option'"
%token D_RULE "'rule'" D_INCLUDE "'include'"

%type <text> words

/* Values are slices of the source buffer or plain numbers: nothing to free
 * when error recovery discards them. */
%destructor { } <*>

%%

/* One reduction a line: the lines' forms are alternatives of `journal`
 * itself (not of a `line` and an `item` reduced on their way), with their
 * optional parts spelled out (no empty rule reduced for an absent one),
 * and a text the scanner returns as one token is a WORD, not `words`.  $1
 * is the journal so far (no value).  An absent part's span is empty, at
 * the end of what precedes it (AT_END). */
journal
    : %empty
    | journal DATE hparts WORD EOL
        { b_header(ctx, span_from(@2, @$), $2, @2, $4, NO_TEXT, &$5); }
    | journal DATE hparts WORD PIPE EOL
        { b_header(ctx, span_from(@2, @$), $2, @2, $4, NO_TEXT, &$6); }
    | journal DATE hparts WORD PIPE WORD EOL
        { b_header(ctx, span_from(@2, @$), $2, @2, $4, $6, &$7); }
    | journal IND_ENTRY K_PLAN WORD EOL
        { b_item(ctx, IT_PLAN, span_from(@3, @$), @3, $4, NO_TEXT, OUT_NONE, NO_SPAN, &$5); }
    | journal IND_ENTRY K_PLAN WORD WORD EOL
        { b_item(ctx, IT_PLAN, span_from(@3, @$), @3, $4, $5, OUT_NONE, NO_SPAN, &$6); }
    | journal IND_ENTRY K_ASK WORD EOL
        { b_item(ctx, IT_ASK, span_from(@3, @$), @3, $4, NO_TEXT, OUT_NONE, AT_END(@4), &$5); }
    | journal IND_ENTRY K_ASK WORD WORD EOL
        { b_item(ctx, IT_ASK, span_from(@3, @$), @3, $4, $5, OUT_NONE, AT_END(@5), &$6); }
    | journal IND_ENTRY K_ASK WORD OUTCOME EOL
        { b_item(ctx, IT_ASK, span_from(@3, @$), @3, $4, NO_TEXT, $5, @5, &$6); }
    | journal IND_ENTRY K_ASK WORD WORD OUTCOME EOL
        { b_item(ctx, IT_ASK, span_from(@3, @$), @3, $4, $5, $6, @6, &$7); }
    | journal IND_ENTRY K_GOT WORD EOL
        { b_item(ctx, IT_GOT, span_from(@3, @$), @3, $4, NO_TEXT, OUT_NONE, NO_SPAN, &$5); }
    | journal IND_ENTRY K_GOT WORD WORD EOL
        { b_item(ctx, IT_GOT, span_from(@3, @$), @3, $4, $5, OUT_NONE, NO_SPAN, &$6); }
    | journal IND_ENTRY K_GAVE EOL
        { b_item(ctx, IT_GAVE, span_from(@3, @$), @3, NO_TEXT, NO_TEXT, OUT_NONE, NO_SPAN, &$4); }
    | journal IND_ENTRY K_GAVE WORD EOL
        { b_item(ctx, IT_GAVE, span_from(@3, @$), @3, NO_TEXT, $4, OUT_NONE, NO_SPAN, &$5); }
    | journal IND_ENTRY K_NOTE EOL
        { b_item(ctx, IT_NOTE, span_from(@3, @$), @3, NO_TEXT, NO_TEXT, OUT_NONE, NO_SPAN, &$4); }
    | journal IND_ENTRY K_NOTE WORD EOL
        { b_item(ctx, IT_NOTE, span_from(@3, @$), @3, NO_TEXT, $4, OUT_NONE, NO_SPAN, &$5); }
    | journal IND_ENTRY K_NEXT DATE EOL
        { b_next_dated(ctx, span_from(@3, @$), @3, $4, @4, -1, AT_END(@4), NO_TEXT, &$5); }
    | journal IND_ENTRY K_NEXT DATE WORD EOL
        { b_next_dated(ctx, span_from(@3, @$), @3, $4, @4, -1, AT_END(@4), $5, &$6); }
    | journal IND_ENTRY K_NEXT DATE TIME EOL
        { b_next_dated(ctx, span_from(@3, @$), @3, $4, @4, $5, @5, NO_TEXT, &$6); }
    | journal IND_ENTRY K_NEXT DATE TIME WORD EOL
        { b_next_dated(ctx, span_from(@3, @$), @3, $4, @4, $5, @5, $6, &$7); }
    | journal IND_ENTRY K_NEXT K_NONE EOL
        { b_next_other(ctx, span_from(@3, @$), @3, NEXT_NONE, NO_TEXT, &$5); }
    | journal IND_ENTRY K_NEXT K_NONE WORD EOL
        { b_next_other(ctx, span_from(@3, @$), @3, NEXT_NONE, $5, &$6); }
    | journal IND_ENTRY K_NEXT WORD EOL
        { b_next_other(ctx, span_from(@3, @$), @3, NEXT_TEXT, $4, &$5); }
    /* A line whose keyword and rung were read is still that item (the
     * error was reported): a typo makes no second diagnostic. */
    | journal IND_ENTRY K_PLAN WORD error EOL
        { b_item(ctx, IT_PLAN, span_from(@3, @$), @3, $4, NO_TEXT, OUT_NONE, NO_SPAN, &$6); yyerrok; }
    | journal IND_ENTRY K_ASK WORD error EOL
        { b_item(ctx, IT_ASK, span_from(@3, @$), @3, $4, NO_TEXT, OUT_NONE, NO_SPAN, &$6); yyerrok; }
    | journal IND_ENTRY K_GOT WORD error EOL
        { b_item(ctx, IT_GOT, span_from(@3, @$), @3, $4, NO_TEXT, OUT_NONE, NO_SPAN, &$6); yyerrok; }
    | journal IND_ENTRY K_GAVE error EOL
        { b_item(ctx, IT_GAVE, span_from(@3, @$), @3, NO_TEXT, NO_TEXT, OUT_NONE, NO_SPAN, &$5); yyerrok; }
    | journal IND_ENTRY K_NOTE error EOL
        { b_item(ctx, IT_NOTE, span_from(@3, @$), @3, NO_TEXT, NO_TEXT, OUT_NONE, NO_SPAN, &$5); yyerrok; }
    | journal IND_ENTRY K_NEXT error EOL
        { b_next_other(ctx, span_from(@3, @$), @3, NEXT_BROKEN, NO_TEXT, &$5); yyerrok; }
    | journal IND_LADDER WORD EOL
        { b_rung(ctx, span_from(@2, @$), $3, NO_TEXT, &$4); }
    | journal IND_LADDER WORD WORD EOL
        { b_rung(ctx, span_from(@2, @$), $3, $4, &$5); }
    | journal IND_CLIENT K_ALIAS WORD EOL
        { b_alias(ctx, span_from(@2, @$), $4, &$5); }
    | journal IND_CLIENT K_NOTE EOL
        { b_client_note(ctx, span_from(@2, @$), &$4); }
    | journal IND_CLIENT K_NOTE WORD EOL
        { (void)$4; b_client_note(ctx, span_from(@2, @$), &$5); }
    | journal D_LADDER EOL
        { b_directive(ctx, BK_LADDER, span_from(@2, @$), @2, NO_TEXT, NO_TEXT, &$3); }
    | journal D_CLIENT words EOL
        { b_directive(ctx, BK_CLIENT, span_from(@2, @$), @2, $3, NO_TEXT, &$4); }
    | journal D_OPTION WORD words EOL
        { b_directive(ctx, BK_OPTION, span_from(@2, @$), @2, $3, $4, &$5); }
    | journal D_RULE WORD WORD EOL
        { b_directive(ctx, BK_RULE, span_from(@2, @$), @2, $3, $4, &$5); }
    | journal D_INCLUDE words EOL
        { b_directive(ctx, BK_INCLUDE, span_from(@2, @$), @2, $3, NO_TEXT, &$4); }
    | journal error EOL
        { (void)$3; b_error_line(ctx); yyerrok; }
    ;

/* The header's time, status mark and kind, in any order: the builder
 * reports one out of place (or repeated) and ignores it, and keeps the
 * entry. */
hparts
    : %empty
    | hparts TIME       { b_hpart(ctx, HP_TIME, $2, @2, NO_TEXT); }
    | hparts STATUS     { b_hpart(ctx, HP_STATUS, $2, @2, NO_TEXT); }
    | hparts KIND       { b_hpart(ctx, HP_KIND, 0, @2, $2); }
    ;

words
    : WORD          { $$ = $1; }
    | words WORD    { (void)$2; $$ = raw_text($1.p, (struct span){ @1.start, @2.end }); }
    ;

%%

/* What a symbol is called in "expected ..., found ..." messages. */
static const char *symbol_phrase(yysymbol_kind_t s, const struct parse_ctx *ctx)
{
    switch (s) {
    case YYSYMBOL_WORD: return ctx->want ? ctx->want : "text";
    case YYSYMBOL_KIND: return "a (kind)";
    case YYSYMBOL_DATE: return "a date";
    case YYSYMBOL_TIME: return "a time HH:MM";
    case YYSYMBOL_STATUS: return "a status mark (* ! ~)";
    case YYSYMBOL_OUTCOME: return "an outcome (-> yes, no or later)";
    case YYSYMBOL_EOL: return "the end of the line";
    case YYSYMBOL_YYEOF: return "the end of the file";
    default: return yysymbol_name(s);
    }
}

/* In a header, the grammar takes a time, a status mark and a kind in any
 * order (the builder reports one out of place): name only those that
 * could still come next. */
static bool hdr_misplaced(const yysymbol_kind_t *expected, int n,
                          yysymbol_kind_t s, const struct parse_ctx *ctx)
{
    bool header = false;
    for (int i = 0; i < n; i++)
        header |= expected[i] == YYSYMBOL_STATUS;
    /* After 'next', "a date, 'none' or text" says it all. */
    if (ctx->phase == LP_NEXT1 && (s == YYSYMBOL_DATE || s == YYSYMBOL_K_NONE))
        return true;
    if (!header)
        return false;
    return (s == YYSYMBOL_TIME && ctx->hdr.last >= HP_TIME) ||
           (s == YYSYMBOL_STATUS && ctx->hdr.last >= HP_STATUS) ||
           (s == YYSYMBOL_KIND && ctx->hdr.last >= HP_KIND);
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner,
                                 struct parse_ctx *ctx)
{
    (void)scanner;
    enum { MAX = 16 };
    yysymbol_kind_t expected[MAX];
    int n = yypcontext_expected_tokens(yyctx, expected, MAX);
    if (n < 0)
        n = 0;
    yysymbol_kind_t got = yypcontext_token(yyctx);
    const YYLTYPE *at = yypcontext_location(yyctx);
    const char *found;
    /* The scanner has read the '|' already: the word wanted is the name. */
    if (got == YYSYMBOL_PIPE)
        ctx->want = "a client name";
    if (got == YYSYMBOL_EOL)
        found = "the end of the line";
    else if (got == YYSYMBOL_YYEOF)
        found = "the end of the file";
    else
        found = quote_at(ctx, *at);

    /* "expected A, B or C" in one buffer. */
    char list[512];
    size_t len = 0;
    list[0] = '\0';
    int shown = 0;
    for (int i = 0; i < n; i++) {
        if (expected[i] == YYSYMBOL_YYerror || expected[i] == YYSYMBOL_YYUNDEF)
            continue;
        if (hdr_misplaced(expected, n, expected[i], ctx))
            continue;
        const char *ph = symbol_phrase(expected[i], ctx);
        int k = 0;
        for (int j = 0; j < i; j++)        /* two tokens, one phrase */
            if (symbol_phrase(expected[j], ctx) == ph)
                k = 1;
        if (k)
            continue;
        int more = 0;
        for (int j = i + 1; j < n; j++)
            if (expected[j] != YYSYMBOL_YYerror && expected[j] != YYSYMBOL_YYUNDEF &&
                !hdr_misplaced(expected, n, expected[j], ctx))
                more = 1;
        int w = snprintf(list + len, sizeof list - len, "%s%s",
                         shown == 0 ? "" : more ? ", " : " or ", ph);
        if (w < 0 || (size_t)w >= sizeof list - len)
            break;
        len += (size_t)w;
        shown++;
    }
    struct span where = *at;
    if (shown)
        diag_report(ctx->diags, R_SYNTAX, ctx->src, where, "expected %s, found %s",
                    list, found);
    else
        diag_report(ctx->diags, R_SYNTAX, ctx->src, where, "unexpected %s", found);
    return 0;
}

/* Bison's own failures (its stack exhausted): one diagnostic, not a crash. */
static void yyerror(const YYLTYPE *loc, yyscan_t scanner, struct parse_ctx *ctx,
                    const char *msg)
{
    (void)scanner;
    diag_report(ctx->diags, R_SYNTAX, ctx->src, *loc, "%s", msg);
}
