/* diag.c - collecting, filtering and sorting diagnostics. */
#define _GNU_SOURCE                 /* strchrnul */
#include "diag.h"
#include "arena.h"
#include "utf8.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(R_COUNT <= UINT8_MAX, "a rule id fits in struct diag's byte");

void diag_init(struct diag_list *l, struct arena *a)
{
    memset(l, 0, sizeof *l);
    l->arena = a;
    l->text = arena_alloc(a, sizeof *l->text);
}

void diag_free(struct diag_list *l)
{
    xfree(arena_mem(l->arena), l->v);
    l->v = NULL;
    l->n = l->cap = 0;
    xfree(arena_mem(l->arena), l->notev);
    xfree(arena_mem(l->arena), l->fixv);
    l->notev = NULL;
    l->fixv = NULL;
    l->nextv = l->capextv = 0;
    xfree(arena_mem(l->arena), l->notec);
    l->notec = NULL;
    xfree(arena_mem(l->arena), l->fmtv);
    xfree(arena_mem(l->arena), l->fmth);
    l->fmtv = NULL;
    l->fmth = NULL;
    l->nfmt = l->capfmth = 0;
    xfree(arena_mem(l->arena), l->igc);
    l->igc = NULL;
    l->nigc = l->capigc = 0;
    xfree(arena_mem(l->arena), l->ids);
    l->ids = NULL;
    l->nids = l->capids = 0;
    for (int k = 0; k < 2; k++) {
        xfree(arena_mem(l->arena), l->ign[k].v);
        l->ign[k].v = NULL;
        l->ign[k].n = l->ign[k].cap = 0;
    }
    if (l->text) {
        xfree(arena_mem(l->arena), l->text->p);
        l->text->p = NULL;
        l->text->cap = 0;
    }
}

/* --- the deferred formatter ------------------------------------------------ */

struct spec {
    char conv;                      /* d i u x X c s % */
    bool left, zero, lng;
    unsigned width;
};

/* Parse the conversion after a '%'; return the byte after it, or NULL when
 * the formatter does not know it. */
static const char *parse_spec_slow(const char *p, struct spec *s);

static inline const char *parse_spec(const char *p, struct spec *s)
{
    *s = (struct spec){ 0 };
    if (*p == 's' || *p == 'd' || *p == 'u') {     /* nearly every one */
        s->conv = *p;
        return p + 1;
    }
    return parse_spec_slow(p, s);
}

static const char *parse_spec_slow(const char *p, struct spec *s)
{
    for (;; p++) {
        if (*p == '-')
            s->left = true;
        else if (*p == '0')
            s->zero = true;
        else
            break;
    }
    while (*p >= '0' && *p <= '9') {
        if (s->width >= 1000)
            return NULL;
        s->width = s->width * 10 + (unsigned)(*p++ - '0');
    }
    if (*p == 'l') {
        s->lng = true;
        p++;
    }
    switch (*p) {
    case 'd': case 'i': case 'u': case 'x': case 'X':
        break;
    case 'c': case 's':
        if (s->zero || s->lng)
            return NULL;
        break;
    case '%':
        if (s->left || s->zero || s->width || s->lng)
            return NULL;
        break;
    default:
        return NULL;
    }
    s->conv = *p;
    return p + 1;
}

static const char *str_arg(const char *s)
{
    return s ? s : "(null)";        /* as glibc prints it */
}

/* A %s argument is packed as a tag byte, then:
 * - STR_COPY: the string with its NUL;
 * - STR_REF: for a string of STR_REF_MIN bytes or more (its NUL not
 *   counted: shorter, the copy is as small) that lives in the list's arena
 *   or its `shared` one (a client's or a rung's name: it lives as long as
 *   the list, and the arena never reuses memory), its address in REF_BYTES
 *   bytes, low first: a diagnostic then costs 7 bytes for each name it
 *   quotes, not a copy.  An address needs more only above 2^48, where
 *   Linux does not put user memory on x86-64 or arm64 unless asked; such a
 *   string is copied;
 * - STR_DATE: for a date written YYYY-MM-DD (most messages quote one or
 *   two), the number YYYYMMDD in 4 bytes. */
enum { STR_COPY, STR_REF, STR_DATE, REF_BYTES = 6, STR_REF_MIN = REF_BYTES };

static inline bool ref_fits(const char *v)
{
    return (uint64_t)(uintptr_t)v >> (8 * REF_BYTES) == 0;
}

/* An address's REF_BYTES bytes, low first, at out / back from a. */
static inline void ref_put(unsigned char *out, const char *v)
{
    uint64_t u = (uint64_t)(uintptr_t)v;
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(out, &u, REF_BYTES);
#else
    for (int i = 0; i < REF_BYTES; i++)
        out[i] = (unsigned char)(u >> (8 * i));
#endif
}

static inline const char *ref_get(const unsigned char *a)
{
    uint64_t u = 0;
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&u, a, REF_BYTES);
#else
    for (int i = REF_BYTES - 1; i >= 0; i--)
        u = u << 8 | a[i];
#endif
    return (const char *)(uintptr_t)u;
}

/* s[0..10) is a date as ymd() writes it, and *v the number YYYYMMDD. */
static bool date_word(const char *s, uint32_t *v)
{
    static const char form[] = "9999-99-99";
    uint32_t n = 0;
    for (int i = 0; i < 10; i++) {
        if (form[i] == '-') {
            if (s[i] != '-')
                return false;
        } else if (s[i] >= '0' && s[i] <= '9') {
            n = n * 10 + (uint32_t)(s[i] - '0');
        } else {
            return false;
        }
    }
    *v = n;
    return true;
}

/* Numbers are packed in 7 bits a byte, low bits first, the top bit set
 * in every byte but the last; signed ones zigzag (0, -1, 1, -2 ... as 0,
 * 1, 2, 3 ...): the counts, ranks and days that messages quote take a byte
 * each. */
static inline unsigned long zigzag(long v)
{
    return ((unsigned long)v << 1) ^ (v < 0 ? ~0ul : 0ul);
}

static inline long unzigzag(unsigned long u)
{
    return (long)(u >> 1) ^ -(long)(u & 1);
}

/* Put v at out[n..) as far as out[0..cap) goes; the n after it. */
static inline size_t put_varint(unsigned char *out, size_t cap, size_t n,
                                unsigned long v)
{
    if (v < 0x80 && n < cap) {      /* most: a byte */
        out[n] = (unsigned char)v;
        return n + 1;
    }
    for (;;) {
        unsigned char b = (unsigned char)(v & 0x7F);
        v >>= 7;
        if (v)
            b |= 0x80;
        if (n < cap)
            out[n] = b;
        n++;
        if (!v)
            return n;
    }
}

static inline unsigned long get_varint(const unsigned char **a)
{
    const unsigned char *p = *a;
    if (!(*p & 0x80)) {             /* most: a byte */
        *a = p + 1;
        return *p;
    }
    unsigned long v = 0;
    unsigned shift = 0;
    for (;;) {
        unsigned char b = *p++;
        v |= (unsigned long)(b & 0x7F) << shift;
        if (!(b & 0x80))
            break;
        shift += 7;
    }
    *a = p;
    return v;
}

/* Pack fmt's arguments into out[0..cap), as far as they fit; return the
 * bytes they take in all, or SIZE_MAX when fmt has a conversion the
 * formatter does not know.  Strings that `owner` or `shared` (either
 * NULL: none) holds are packed by reference.  One pass for diag_fmt_size,
 * diag_fmt_pack and alloc_packed's common case (a small record packed on
 * the stack). */
static size_t pack_args(unsigned char *out, size_t cap, const char *fmt,
                        va_list ap, const struct arena *owner,
                        const struct arena *shared)
{
    size_t n = 0;
#define PUT(v) do {                                                     \
        if (cap - n >= sizeof (v) && n <= cap)                         \
            memcpy(out + n, &(v), sizeof (v));                          \
        n += sizeof (v);                                                \
    } while (0)
    for (const char *p = fmt; (p = strchr(p, '%'));) {
        struct spec s;
        if (!(p = parse_spec(p + 1, &s)))
            return SIZE_MAX;
        switch (s.conv) {
        case 'd': case 'i': case 'c': {
            long v = s.lng ? va_arg(ap, long) : va_arg(ap, int);
            n = put_varint(out, cap, n, zigzag(v));
            break;
        }
        case 'u': case 'x': case 'X': {
            unsigned long v = s.lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            n = put_varint(out, cap, n, v);
            break;
        }
        case 's': {
            const char *v = str_arg(va_arg(ap, const char *));
            size_t len = strlen(v) + 1;
            uint32_t date;
            if (len == 11 && date_word(v, &date)) {
                unsigned char tag = STR_DATE;
                PUT(tag);
                PUT(date);
                break;
            }
            /* The shared arena first: it holds the names, the most quoted. */
            unsigned char tag = owner && len > STR_REF_MIN && ref_fits(v) &&
                                ((shared && arena_owns(shared, v)) || arena_owns(owner, v))
                              ? STR_REF : STR_COPY;
            PUT(tag);
            if (tag == STR_REF) {
                if (n <= cap && cap - n >= REF_BYTES)
                    ref_put(out + n, v);
                n += REF_BYTES;
                break;
            }
            if (n <= cap && cap - n >= len)
                memcpy(out + n, v, len);
            n += len;
            break;
        }
        }
    }
#undef PUT
    return n;
}

/* The bytes that fmt's arguments take, packed at args (by pack_args). */
static size_t packed_len(const char *fmt, const unsigned char *args)
{
    const unsigned char *a = args;
    for (const char *p = fmt; (p = strchr(p, '%'));) {
        struct spec s;
        p = parse_spec(p + 1, &s);  /* pack_args accepted fmt */
        switch (s.conv) {
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'c':
            get_varint(&a);
            break;
        case 's': {
            unsigned char tag = *a++;
            a += tag == STR_REF ? REF_BYTES
               : tag == STR_DATE ? sizeof (uint32_t)
               : strlen((const char *)a) + 1;
            break;
        }
        }
    }
    return (size_t)(a - args);
}

size_t diag_fmt_size(const char *fmt, va_list ap)
{
    return pack_args(NULL, 0, fmt, ap, NULL, NULL);
}

void diag_fmt_pack(unsigned char *out, const char *fmt, va_list ap)
{
    pack_args(out, SIZE_MAX, fmt, ap, NULL, NULL);
}

struct out {
    struct diag_textbuf *b;
    size_t len;
    struct mem *mem;
};

static void reserve_slow(struct out *o, size_t more);

static inline void reserve(struct out *o, size_t more)
{
    if (more <= o->b->cap - o->len)     /* len <= cap always */
        return;
    reserve_slow(o, more);
}

static void reserve_slow(struct out *o, size_t more)
{
    struct diag_textbuf *b = o->b;
    if (more > SIZE_MAX / 2 - o->len)
        oom(o->mem);
    if (o->len + more <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < o->len + more)
        cap *= 2;
    b->p = xrealloc(o->mem, b->p, cap);
    b->cap = cap;
}

/* memcpy and memset want a buffer even for no bytes: there may be none yet. */
static inline void put(struct out *o, const char *s, size_t n)
{
    if (!n)
        return;
    reserve(o, n);
    memcpy(o->b->p + o->len, s, n);
    o->len += n;
}

static void pad(struct out *o, char c, size_t n)
{
    if (!n)
        return;
    reserve(o, n);
    memset(o->b->p + o->len, c, n);
    o->len += n;
}

static void put_padded(struct out *o, const struct spec *s, const char *sign,
                       const char *body, size_t n);

/* body[0..n) padded to the spec's width; zeros go after the sign. */
static inline void put_field(struct out *o, const struct spec *s, const char *sign,
                             const char *body, size_t n)
{
    if (!s->width && !*sign)
        put(o, body, n);
    else
        put_padded(o, s, sign, body, n);
}

static void put_padded(struct out *o, const struct spec *s, const char *sign,
                       const char *body, size_t n)
{
    size_t sl = strlen(sign), w = sl + n;
    size_t fill = s->width > w ? s->width - w : 0;
    if (s->left) {
        put(o, sign, sl);
        put(o, body, n);
        pad(o, ' ', fill);
    } else if (s->zero) {
        put(o, sign, sl);
        pad(o, '0', fill);
        put(o, body, n);
    } else {
        pad(o, ' ', fill);
        put(o, sign, sl);
        put(o, body, n);
    }
}

static void put_int(struct out *o, const struct spec *s, const char *sign,
                    unsigned long v)
{
    char digits[3 * sizeof v];
    const char *set = s->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    unsigned base = s->conv == 'x' || s->conv == 'X' ? 16 : 10;
    size_t i = sizeof digits;
    do {
        digits[--i] = set[v % base];
        v /= base;
    } while (v);
    put_field(o, s, sign, digits + i, sizeof digits - i);
}

/* Are the n bytes at p printable ASCII (0x20-0x7E)? */
static bool bytes_plain(const char *p, size_t n)
{
    return utf8_printable_prefix(p, n) == n;
}

/* Is the format string plain?  Remembered by its address: formats are
 * string literals, a few dozen of them, each rendered many times. */
static bool fmt_plain(struct diag_textbuf *b, const char *fmt)
{
    size_t k = ((uintptr_t)fmt >> 3) % (sizeof b->seen / sizeof b->seen[0]);
    if (b->seen[k].fmt != fmt) {
        b->seen[k].fmt = fmt;
        b->seen[k].plain = bytes_plain(fmt, strlen(fmt));
    }
    return b->seen[k].plain;
}

/* A string quoted by reference: its length and whether it is plain,
 * remembered by its address (it never changes while the list lives). */
static size_t ref_str(struct diag_textbuf *b, const char *v, bool *plain)
{
    uintptr_t u = (uintptr_t)v;
    size_t k = ((u >> 4) ^ (u >> 12)) % (sizeof b->refs / sizeof b->refs[0]);
    if (b->refs[k].s != v) {
        size_t n = strlen(v);
        if (n > UINT32_MAX) {
            *plain = bytes_plain(v, n);
            return n;
        }
        b->refs[k].s = v;
        b->refs[k].len = (uint32_t)n;
        b->refs[k].plain = bytes_plain(v, n);
    }
    *plain = b->refs[k].plain;
    return b->refs[k].len;
}

const char *diag_fmt_render(const struct diag_list *l, const char *fmt,
                            const unsigned char *args)
{
    return diag_fmt_render_in(l->text, arena_mem(l->arena), fmt, args);
}

const char *diag_fmt_render_in(struct diag_textbuf *tb, struct mem *m,
                               const char *fmt, const unsigned char *args)
{
    struct out o = { tb, 0, m };
    /* Numbers are plain; a format and the strings and characters put in
     * it are checked (so that printers need not look at plain text). */
    bool plain = fmt_plain(tb, fmt);
    const char *p = fmt;
    for (;;) {
        const char *lit = p;
        p = strchrnul(p, '%');
        put(&o, lit, (size_t)(p - lit));
        if (!*p)
            break;
        struct spec s;
        p = parse_spec(p + 1, &s);  /* diag_fmt_size accepted fmt */
        switch (s.conv) {
        case 'd': case 'i': {
            long v = unzigzag(get_varint(&args));
            unsigned long m = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
            put_int(&o, &s, v < 0 ? "-" : "", m);
            break;
        }
        case 'u': case 'x': case 'X': {
            unsigned long v = get_varint(&args);
            put_int(&o, &s, "", v);
            break;
        }
        case 'c': {
            long v = unzigzag(get_varint(&args));
            char c = (char)(unsigned char)v;
            plain &= bytes_plain(&c, 1);
            put_field(&o, &s, "", &c, 1);
            break;
        }
        case 's': {
            const char *v;
            size_t n;
            bool vplain;
            char day[11];
            unsigned char tag = *args++;
            if (tag == STR_REF) {
                v = ref_get(args);
                args += REF_BYTES;
                n = ref_str(tb, v, &vplain);
            } else if (tag == STR_DATE) {
                uint32_t x;
                memcpy(&x, args, sizeof x);
                args += sizeof x;
                for (int i = 9; i >= 0; i--) {
                    if (i == 4 || i == 7) {
                        day[i] = '-';
                    } else {
                        day[i] = (char)('0' + x % 10);
                        x /= 10;
                    }
                }
                v = day;
                n = 10;
                vplain = true;
            } else {
                v = (const char *)args;
                n = strlen(v);
                args += n + 1;
                vplain = bytes_plain(v, n);
            }
            plain &= vplain;
            put_field(&o, &s, "", v, n);
            break;
        }
        case '%':
            put(&o, "%", 1);
            break;
        }
    }
    put(&o, "", 1);
    tb->len = o.len - 1;
    tb->plain = plain;
    return tb->p;
}

const char *diag_text(const struct diag_list *l, const struct diag *d)
{
    return diag_fmt_render(l, diag_fmt(l, d), diag_args(d));
}

const char *diag_note_text(const struct diag_list *l, const struct note *n)
{
    return diag_fmt_render(l, n->fmt, n->args);
}

/* fmt's arguments packed into tmp[TMP_ARGS], as far as they fit: the
 * bytes they take in all, or SIZE_MAX (pack_args). */
enum { TMP_ARGS = 256 };

static size_t pack_tmp(const struct diag_list *l, unsigned char *tmp,
                       const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    size_t n = pack_args(tmp, TMP_ARGS, fmt, ap2, l->arena, l->shared);
    va_end(ap2);
    return n;
}

/* Allocate a record of `head` bytes (`min` at least) followed by fmt's
 * arguments, which pack_tmp packed into tmp (n: its result); *fmt becomes
 * "%s" and the arguments the text when the formatter does not know one of
 * fmt's conversions. */
static void *alloc_packed(const struct diag_list *l, size_t head, size_t min,
                          bool align4, const char **fmt, va_list ap,
                          const unsigned char *tmp, size_t n)
{
    struct arena *a = l->arena;
    va_list ap2;
    if (n != SIZE_MAX) {
        size_t size = head + n > min ? head + n : min;
        unsigned char *r = align4 ? arena_alloc_4(a, size) : arena_alloc_small(a, size);
        if (n <= TMP_ARGS) {
            memcpy(r + head, tmp, n);
        } else {                    /* long arguments: pack them again */
            va_copy(ap2, ap);
            pack_args(r + head, SIZE_MAX, *fmt, ap2, a, l->shared);
            va_end(ap2);
        }
        return r;
    }
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, *fmt, ap2);
    va_end(ap2);
    if (len < 0)
        oom(arena_mem(a));
    n = (size_t)len + 2;            /* the tag, the text, its NUL */
    size_t size = head + n > min ? head + n : min;
    unsigned char *r = align4 ? arena_alloc_4(a, size) : arena_alloc_small(a, size);
    r[head] = STR_COPY;
    va_copy(ap2, ap);
    vsnprintf((char *)r + head + 1, n - 1, *fmt, ap2);
    va_end(ap2);
    *fmt = "%s";
    return r;
}

/* --- collecting -------------------------------------------------------------- */

/* The slot of fmt in l->fmth, or of the free slot where it goes. */
static uint32_t fmt_slot(const struct diag_list *l, const char *fmt)
{
    uint32_t mask = l->capfmth - 1;
    uint32_t k = (uint32_t)(((uintptr_t)fmt >> 3) * 0x9E3779B1u) & mask;
    while (l->fmth[k] && l->fmtv[l->fmth[k] - 1] != fmt)
        k = (k + 1) & mask;
    return k;
}

/* fmt's index in l->fmtv, added when new.  Formats are string literals:
 * a few dozen, whatever the number of diagnostics. */
static uint16_t fmt_index(struct diag_list *l, const char *fmt)
{
    struct mem *m = arena_mem(l->arena);
    if (l->capfmth) {
        uint32_t k = fmt_slot(l, fmt);
        if (l->fmth[k])
            return (uint16_t)(l->fmth[k] - 1);
    }
    if (l->nfmt >= UINT16_MAX)
        oom(m);                     /* more formats than the code has */
    if (2 * (l->nfmt + 1) > l->capfmth) {
        uint32_t nc = l->capfmth ? l->capfmth * 2 : 64;
        l->fmtv = xrealloc(m, l->fmtv, (size_t)nc / 2 * sizeof *l->fmtv);
        xfree(m, l->fmth);
        l->fmth = xmalloc(m, (size_t)nc * sizeof *l->fmth);
        memset(l->fmth, 0, (size_t)nc * sizeof *l->fmth);
        l->capfmth = nc;
        for (uint32_t i = 0; i < l->nfmt; i++)
            l->fmth[fmt_slot(l, l->fmtv[i])] = (uint16_t)(i + 1);
    }
    l->fmtv[l->nfmt] = fmt;
    l->fmth[fmt_slot(l, fmt)] = (uint16_t)(l->nfmt + 1);
    return (uint16_t)l->nfmt++;
}

/* Make l->srcv hold slot i. */
static void srcv_reserve(struct diag_list *l, uint32_t i)
{
    if (i == UINT32_MAX)
        oom(arena_mem(l->arena));
    if (i >= l->capsrcv) {
        uint32_t nc = l->capsrcv ? l->capsrcv : 4;
        while (nc <= i)
            nc = nc > UINT32_MAX / 2 ? UINT32_MAX : nc * 2;
        l->srcv = arena_grow(l->arena, l->srcv, l->capsrcv * sizeof *l->srcv,
                             (size_t)nc * sizeof *l->srcv);
        l->capsrcv = nc;
    }
    if (i >= l->nsrcv)
        l->nsrcv = i + 1;
}

/* The slot of src in l->srcv: its index in the journal when that slot is
 * free or its own (always, in one journal), else one found or added
 * after the others. */
static uint32_t src_slot(struct diag_list *l, const struct source *src)
{
    uint32_t i = src->index;
    if (i < l->nsrcv && l->srcv[i] == src)
        return i;
    if (i >= l->nsrcv || !l->srcv[i]) {
        srcv_reserve(l, i);
        l->srcv[i] = src;
        return i;
    }
    for (uint32_t k = 0; k < l->nsrcv; k++)
        if (l->srcv[k] == src)
            return k;
    i = l->nsrcv;
    srcv_reserve(l, i);
    l->srcv[i] = src;
    return i;
}

/* d's slot in notev and fixv, made on first use. */
static uint32_t diag_ext(struct diag_list *l, struct diag *d)
{
    if (!d->ext) {
        struct mem *m = arena_mem(l->arena);
        if (l->nextv == l->capextv) {
            uint32_t nc = l->capextv ? l->capextv * 2 : 16;
            if (nc <= l->capextv)
                oom(m);
            l->notev = xrealloc(m, l->notev, (size_t)nc * sizeof *l->notev);
            if (l->fixv)
                l->fixv = xrealloc(m, l->fixv, (size_t)nc * sizeof *l->fixv);
            l->capextv = nc;
        }
        l->notev[l->nextv] = NULL;
        if (l->fixv)
            l->fixv[l->nextv] = NULL;
        d->ext = ++l->nextv;
    }
    return d->ext - 1;
}

/* d's list of fixes. */
static struct fix **diag_fix_list(struct diag_list *l, struct diag *d)
{
    uint32_t k = diag_ext(l, d);
    if (!l->fixv) {
        l->fixv = xmalloc(arena_mem(l->arena), (size_t)l->capextv * sizeof *l->fixv);
        memset(l->fixv, 0, (size_t)l->capextv * sizeof *l->fixv);
    }
    return &l->fixv[k];
}

/* Make d wide (its room for a struct diag_wide before its arguments
 * made), with end and file. */
static void set_wide(struct diag *d, uint32_t end, uint32_t file)
{
    struct diag_wide w = { end, file };
    d->len = d->file = DIAG_WIDE;
    memcpy(d->args, &w, sizeof w);
}

struct diag *diag_report(struct diag_list *l, enum rule_id rule,
                         const struct source *src, struct span at,
                         const char *fmt, ...)
{
    struct pos p = source_pos(src, at.start);
    if (rule == R_SYNTAX) {
        if (l->syntax_src == src && l->syntax_line == p.line)
            return NULL;
        l->syntax_src = src;
        l->syntax_line = p.line;
    }
    uint32_t file = src_slot(l, src);
    uint32_t end = at.end > at.start ? at.end : at.start + 1;
    /* The end stays on the start's line. */
    uint32_t line_end = source_line_end(src, p.line);
    if (end > line_end)
        end = line_end;
    if (end <= at.start)
        end = at.start + 1;
    bool wide = end - at.start >= DIAG_WIDE || file >= DIAG_WIDE;
    size_t head = offsetof(struct diag, args) + (wide ? sizeof (struct diag_wide) : 0);
    va_list ap;
    va_start(ap, fmt);
    unsigned char tmp[TMP_ARGS];
    size_t n = pack_tmp(l, tmp, fmt, ap);
    struct diag *d = alloc_packed(l, head, head, true, &fmt, ap, tmp, n);
    va_end(ap);
    d->fmt = fmt_index(l, fmt);
    d->rule = (uint8_t)rule;
    d->severity = (uint8_t)rule_table[rule].severity;
    d->start = at.start;
    if (wide) {
        set_wide(d, end, file);
    } else {
        d->len = (uint16_t)(end - at.start);
        d->file = (uint16_t)file;
    }
    if (l->n == l->cap) {
        uint32_t nc = l->cap ? l->cap * 2 : 64;
        l->v = xrealloc(arena_mem(l->arena), l->v, nc * sizeof *l->v);
        l->cap = nc;
    }
    l->v[l->n++] = d;
    return d;
}

static uint32_t note_hash(const struct source *src, struct pos pos, const char *fmt)
{
    uint64_t h = (uint64_t)(uintptr_t)src * 0x9E3779B97F4A7C15u;
    h ^= ((uint64_t)pos.line << 32 | pos.col) * 0xC2B2AE3D27D4EB4Fu;
    h ^= (uint64_t)(uintptr_t)fmt * 0x165667B19E3779F9u;
    return (uint32_t)(h >> 40) & (NOTE_CACHE - 1);
}

/* Are the n bytes of arguments packed at b the ones packed at a, for one
 * format?  Packed arguments end where their format says: a difference, if
 * any, comes before a's end, where the loop stops. */
static bool same_args(const unsigned char *a, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* The note n, copied (its args as well): a diagnostic's own. */
static struct note *note_copy(struct diag_list *l, const struct note *n)
{
    size_t size = offsetof(struct note, args) + packed_len(n->fmt, n->args);
    struct note *c = arena_alloc_small(l->arena, size > sizeof *c ? size : sizeof *c);
    memcpy(c, n, size);
    return c;
}

void diag_note(struct diag_list *l, struct diag *d, const struct source *src,
               uint32_t offset, const char *fmt, ...)
{
    if (!d)
        return;
    uint32_t k = diag_ext(l, d);    /* before notev is read: it may move */
    struct note **head = &l->notev[k];
    struct pos pos = source_pos(src, offset);
    va_list ap;
    va_start(ap, fmt);
    struct note **slot = NULL;
    unsigned char tmp[TMP_ARGS];
    size_t n = pack_tmp(l, tmp, fmt, ap);
    if (!*head) {                   /* a first note: perhaps one met before */
        if (n <= TMP_ARGS) {        /* not SIZE_MAX: a format it knows */
            if (!l->notec) {
                l->notec = xmalloc(arena_mem(l->arena), NOTE_CACHE * sizeof *l->notec);
                memset(l->notec, 0, NOTE_CACHE * sizeof *l->notec);
            }
            slot = &l->notec[note_hash(src, pos, fmt)];
            const struct note *c = *slot;
            if (c && c->src == src && c->fmt == fmt && c->pos.line == pos.line &&
                c->pos.col == pos.col && same_args(c->args, tmp, n)) {
                *head = *slot;
                va_end(ap);
                return;
            }
        }
    }
    struct note *nt = alloc_packed(l, offsetof(struct note, args),
                                   sizeof *nt, false, &fmt, ap, tmp, n);
    va_end(ap);
    nt->fmt = fmt;
    nt->src = src;
    nt->pos = pos;
    nt->link = NULL;
    if (!*head) {
        *head = nt;
        if (slot)
            *slot = nt;
        return;
    }
    /* A first note that is still the last may be shared: the diagnostic
     * gets a copy of it before the copy's link is set. */
    if (!(*head)->link)
        *head = note_copy(l, *head);
    struct note **tail = head;
    while (*tail)
        tail = &(*tail)->link;
    *tail = nt;
}

struct fix *diag_fix(struct diag_list *l, struct diag *d, bool safe,
                     const char *fmt, ...)
{
    if (!d || !l->fixes)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *desc = arena_alloc(l->arena, (size_t)(n > 0 ? n : 0) + 1);
    vsnprintf(desc, (size_t)(n > 0 ? n : 0) + 1, fmt, ap2);
    va_end(ap2);
    struct fix *f = arena_alloc(l->arena, sizeof *f);
    memset(f, 0, sizeof *f);
    f->desc = desc;
    f->safe = safe;
    struct fix **tail = diag_fix_list(l, d);
    if (!safe)
        while (*tail)
            tail = &(*tail)->link;
    f->link = *tail;
    *tail = f;
    return f;
}

void diag_fix_edit(struct diag_list *l, struct fix *f, const struct source *src,
                   uint32_t start, uint32_t end, const char *text, size_t len)
{
    if (!f)
        return;
    if (f->nedits == f->capedits) {
        uint32_t nc = f->capedits ? f->capedits * 2 : 2;
        f->edits = arena_grow(l->arena, f->edits, f->capedits * sizeof *f->edits,
                              nc * sizeof *f->edits);
        f->capedits = nc;
    }
    char *t = arena_alloc(l->arena, len + 1);
    if (len)
        memcpy(t, text, len);
    t[len] = 0;
    /* Kept in offset order. */
    uint32_t k = f->nedits++;
    while (k > 0 && f->edits[k - 1].src == src && f->edits[k - 1].start > start) {
        f->edits[k] = f->edits[k - 1];
        k--;
    }
    f->edits[k] = (struct edit){ src, start, end, t, (uint32_t)len };
}

void diag_fix_replace(struct diag_list *l, struct fix *f,
                      const struct source *src, struct span at, const char *text)
{
    diag_fix_edit(l, f, src, at.start, at.end, text, strlen(text));
}

uint32_t diag_ignore_comment(struct diag_list *l, const struct source *src,
                             struct span comment, struct span kw, bool own_line)
{
    if (l->nigc == l->capigc) {
        uint32_t nc = l->capigc ? l->capigc * 2 : 16;
        l->igc = xrealloc(arena_mem(l->arena), l->igc, nc * sizeof *l->igc);
        l->capigc = nc;
    }
    struct ignore_comment *c = &l->igc[l->nigc++];
    memset(c, 0, sizeof *c);
    c->src = src;
    c->comment = comment;
    c->kw = kw;
    c->ids = l->nids;
    c->state = own_line ? IGN_OWN_LINE : IGN_DROPPED;
    return l->nigc;
}

void diag_ignore_id(struct diag_list *l, uint32_t rec, struct span at, int rule)
{
    if (!rec || rec > l->nigc)
        return;
    if (l->nids == l->capids) {
        uint32_t nc = l->capids ? l->capids * 2 : 16;
        l->ids = xrealloc(arena_mem(l->arena), l->ids, nc * sizeof *l->ids);
        l->capids = nc;
    }
    l->ids[l->nids++] = (struct ignore_id){ at, (uint8_t)rule };
    l->igc[rec - 1].nids++;         /* a comment's ids are added together */
}

void diag_ignore(struct diag_list *l, const struct source *src, uint32_t start,
                 uint32_t end, const struct ignore *ig, bool whole_entry,
                 const struct date *date)
{
    if (!ig->present)
        return;
    if (ig->rec && ig->rec <= l->nigc) {
        struct ignore_comment *c = &l->igc[ig->rec - 1];
        c->state = IGN_ATTACHED;
        c->all = ig->all;
        if (date)
            c->date = *date;
    }
    struct ignore_set *set = &l->ign[whole_entry];
    if (set->n == set->cap) {
        uint32_t nc = set->cap ? set->cap * 2 : 32;
        set->v = xrealloc(arena_mem(l->arena), set->v, nc * sizeof *set->v);
        set->cap = nc;
    }
    struct ignore_range *r = &set->v[set->n++];
    r->src = src;
    r->start = start;
    r->end = end;
    r->ignore = *ig;
}

/* Append to `into` what `from` holds (the second half of a file, parsed
 * apart: journal.c), as if it had been reported to `into` after what it
 * holds: records, notes and fixes, ignore comments, their ids and ranges.
 * from's memory must be into's by now (arena_adopt); its heap arrays are
 * freed. */
void diag_adopt(struct diag_list *into, struct diag_list *from)
{
    struct mem *m = arena_mem(into->arena);
    uint32_t ext0 = into->nextv, igc0 = into->nigc, ids0 = into->nids;
    /* Room first: nothing is half-moved if memory runs out. */
    if (from->n > UINT32_MAX - into->n || from->nextv > UINT32_MAX - into->nextv)
        oom(m);
    /* An empty list takes from's arrays instead of a copy of them (the
     * rules' first part, after a parse that reported nothing): they are
     * not in memory twice. */
    if (!into->n && from->n) {
        xfree(m, into->v);
        into->v = from->v;
        into->cap = from->cap;
        from->v = NULL;
        from->cap = 0;
    }
    if (!into->nextv && from->nextv) {
        xfree(m, into->notev);
        xfree(m, into->fixv);
        into->notev = from->notev;
        into->fixv = from->fixv;
        into->capextv = from->capextv;
        from->notev = NULL;
        from->fixv = NULL;
        from->capextv = 0;
    }
    if (into->n + from->n > into->cap) {
        into->v = xrealloc(m, into->v, ((size_t)into->n + from->n) * sizeof *into->v);
        into->cap = into->n + from->n;
    }
    if (into->nextv + from->nextv > into->capextv) {
        uint32_t nc = into->nextv + from->nextv;
        into->notev = xrealloc(m, into->notev, (size_t)nc * sizeof *into->notev);
        if (into->fixv)
            into->fixv = xrealloc(m, into->fixv, (size_t)nc * sizeof *into->fixv);
        into->capextv = nc;
    }
    if (from->fixv && !into->fixv) {
        into->fixv = xmalloc(m, (size_t)into->capextv * sizeof *into->fixv);
        memset(into->fixv, 0, (size_t)into->capextv * sizeof *into->fixv);
    }
    uint16_t *fmap = NULL;
    if (from->nfmt) {
        fmap = xmalloc(m, (size_t)from->nfmt * sizeof *fmap);
        for (uint32_t i = 0; i < from->nfmt; i++)
            fmap[i] = fmt_index(into, from->fmtv[i]);
    }
    struct diag **fv = from->v ? from->v : into->v;     /* taken: the same slots */
    for (uint32_t i = 0; i < from->n; i++) {
        struct diag *d = fv[i];
        d->fmt = fmap[d->fmt];
        uint32_t file = src_slot(into, from->srcv[diag_file(d)]);
        if (d->len == DIAG_WIDE) {
            set_wide(d, diag_end(d), file);
        } else if (file < DIAG_WIDE) {
            d->file = (uint16_t)file;
        } else {                    /* a wide copy: a slot past the narrow ones */
            size_t n = packed_len(into->fmtv[d->fmt], d->args);
            size_t head = offsetof(struct diag, args) + sizeof (struct diag_wide);
            struct diag *c = arena_alloc_4(into->arena, head + n);
            memcpy(c, d, offsetof(struct diag, args));
            memcpy(c->args + sizeof (struct diag_wide), d->args, n);
            set_wide(c, diag_end(d), file);
            d = c;
        }
        if (d->ext)
            d->ext += ext0;
        into->v[into->n++] = d;
    }
    xfree(m, fmap);
    if (from->nextv && from->notev) {
        memcpy(into->notev + ext0, from->notev, (size_t)from->nextv * sizeof *from->notev);
        if (from->fixv)
            memcpy(into->fixv + ext0, from->fixv, (size_t)from->nextv * sizeof *from->fixv);
        else if (into->fixv)
            memset(into->fixv + ext0, 0, (size_t)from->nextv * sizeof *into->fixv);
    }
    into->nextv += from->nextv;
    if (from->nigc) {
        into->igc = xrealloc(m, into->igc, ((size_t)igc0 + from->nigc) * sizeof *into->igc);
        into->capigc = igc0 + from->nigc;
        for (uint32_t i = 0; i < from->nigc; i++) {
            into->igc[igc0 + i] = from->igc[i];
            into->igc[igc0 + i].ids += ids0;
        }
        into->nigc += from->nigc;
    }
    if (from->nids) {
        into->ids = xrealloc(m, into->ids, ((size_t)ids0 + from->nids) * sizeof *into->ids);
        into->capids = ids0 + from->nids;
        memcpy(into->ids + ids0, from->ids, (size_t)from->nids * sizeof *from->ids);
        into->nids += from->nids;
    }
    for (int k = 0; k < 2; k++) {
        struct ignore_set *a = &into->ign[k], *b = &from->ign[k];
        if (!b->n)
            continue;
        a->v = xrealloc(m, a->v, ((size_t)a->n + b->n) * sizeof *a->v);
        a->cap = a->n + b->n;
        for (uint32_t i = 0; i < b->n; i++) {
            struct ignore_range r = b->v[i];
            if (r.ignore.rec)
                r.ignore.rec += igc0;
            a->v[a->n++] = r;
        }
    }
    if (from->syntax_src) {
        into->syntax_src = from->syntax_src;
        into->syntax_line = from->syntax_line;
    }
    diag_free(from);
}

static int cmp_range(const void *a, const void *b)
{
    const struct ignore_range *x = a, *y = b;
    if (x->src->index != y->src->index)
        return x->src->index < y->src->index ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return 0;
}

/* Is a diagnostic of `rule` at `off` in `src` silenced by a range of set?
 * The set is sorted and its ranges do not overlap: only the last range
 * starting at or before off can hold it.  The comment that silences it is
 * marked used. */
static bool silenced_by(struct diag_list *l, const struct ignore_set *set,
                        const struct source *src, uint32_t off, enum rule_id rule)
{
    uint32_t lo = 0, hi = set->n;
    while (lo < hi) {               /* first range starting after (src, off) */
        uint32_t mid = lo + (hi - lo) / 2;
        const struct ignore_range *r = &set->v[mid];
        if (r->src->index < src->index ||
            (r->src->index == src->index && r->start <= off))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    const struct ignore_range *r = &set->v[lo - 1];
    if (r->src != src || off < r->start || off >= r->end)
        return false;
    bool hit = r->ignore.all ? rule != R_SYNTAX && rule != R_UNUSED_IGNORE
                             : (r->ignore.rules >> rule) & 1;
    if (hit && rule == R_UNUSED_IGNORE)
        hit = false;                /* never silenced by ladder-ignore */
    if (hit && r->ignore.rec && r->ignore.rec <= l->nigc) {
        struct ignore_comment *c = &l->igc[r->ignore.rec - 1];
        c->used |= (uint64_t)1 << rule;
        c->used_all = true;
    }
    return hit;
}

static bool before_since(const struct diag_list *l, struct date d)
{
    return l->since.valid && d.valid &&
           (d.year != l->since.year ? d.year < l->since.year
            : d.month != l->since.month ? d.month < l->since.month
            : d.day < l->since.day);
}

/* unused-ignore: each ladder-ignore that silenced nothing (a bare one, at
 * its keyword) and each listed id that silenced nothing (at the id). */
static void report_unused(struct diag_list *l, enum severity sev)
{
    if (sev == SEV_OFF)
        return;
    for (uint32_t i = 0; i < l->nigc; i++) {
        const struct ignore_comment *c = &l->igc[i];
        if (c->state == IGN_DROPPED || before_since(l, c->date))
            continue;
        struct diag *d;
        if (c->state == IGN_OWN_LINE) {
            for (uint32_t k = 0; k < c->nids; k++) {
                const struct ignore_id *id = &l->ids[c->ids + k];
                d = diag_report(l, R_UNUSED_IGNORE, c->src, id->at,
                                "'%s' in this ladder-ignore silences nothing: on a "
                                "comment line of its own, it covers no line; put it "
                                "at the end of the line to silence, or remove it",
                                rule_table[id->rule].id);
                d->severity = (uint8_t)sev;
            }
            if (c->nids == 0) {
                d = diag_report(l, R_UNUSED_IGNORE, c->src, c->kw,
                                "this ladder-ignore silences nothing: on a comment "
                                "line of its own, it covers no line; put it at the "
                                "end of the line to silence, or remove it");
                d->severity = (uint8_t)sev;
            }
            continue;
        }
        if (c->all) {
            if (!c->used_all) {
                d = diag_report(l, R_UNUSED_IGNORE, c->src, c->kw,
                                "this ladder-ignore silenced nothing: remove it");
                d->severity = (uint8_t)sev;
            }
            continue;
        }
        for (uint32_t k = 0; k < c->nids; k++) {
            const struct ignore_id *id = &l->ids[c->ids + k];
            if ((c->used >> id->rule) & 1)
                continue;
            d = diag_report(l, R_UNUSED_IGNORE, c->src, id->at,
                            "'%s' in this ladder-ignore silenced nothing: remove it",
                            rule_table[id->rule].id);
            d->severity = (uint8_t)sev;
        }
    }
}

/* File name, then the journal's file order, line, column, and at one
 * position the order of the rule table (docs/rules.md).  Equal ones stay
 * in report order: the sort is stable. */
static inline int cmp_diag(const struct diag_list *l, const struct diag *x,
                           const struct diag *y)
{
    if (diag_file(x) != diag_file(y)) {
        const struct source *xs = diag_src(l, x), *ys = diag_src(l, y);
        int c = strcmp(xs->name, ys->name);
        if (c)
            return c;
        if (xs->index != ys->index)
            return xs->index < ys->index ? -1 : 1;
    }
    if (x->start != y->start)       /* line and column: the offset says both */
        return x->start < y->start ? -1 : 1;
    return (x->rule > y->rule) - (x->rule < y->rule);
}

/* How far ahead a merge asks for the records it will compare: a journal
 * of a million calls has its diagnostics far apart in memory, and the
 * merges waited on them (docs/bench.md). */
#define MERGE_AHEAD 8

/* Room for merges: grown to the longest part of a run set aside. */
struct merge_buf {
    struct diag **v;
    uint32_t cap;
};

/* The first of the sorted a[0, n) that x sorts before (upper: or equal
 * to, when !upper): a binary search. */
static uint32_t bound(const struct diag_list *l, struct diag *const *a, uint32_t n,
                      const struct diag *x, bool upper)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = cmp_diag(l, a[mid], x);
        if (c < 0 || (upper && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Merge the sorted runs a[0, m) and a[m, n) in place, stably.  Only the
 * parts that interleave move: the left run's head that sorts before the
 * right run, and the right run's tail that sorts after the left one, stay
 * where they are (reports come mostly in order, so the parts that move are
 * short); the shorter of the two parts left is set aside in buf. */
static void merge(struct diag_list *l, struct diag **a, uint32_t m, uint32_t n,
                  struct merge_buf *buf)
{
    if (m == 0 || m == n || cmp_diag(l, a[m - 1], a[m]) <= 0)
        return;                                     /* in order already */
    uint32_t lo = bound(l, a, m, a[m], true);       /* equal ones stay first */
    uint32_t hi = m + bound(l, a + m, n - m, a[m - 1], false);
    a += lo;
    m -= lo;
    n = hi - lo;
    uint32_t need = m <= n - m ? m : n - m;
    if (need > buf->cap) {
        buf->v = xrealloc(arena_mem(l->arena), buf->v, (size_t)need * sizeof *buf->v);
        buf->cap = need;
    }
    struct diag **tmp = buf->v;
    if (m <= n - m) {                               /* the left part aside */
        memcpy(tmp, a, m * sizeof *a);
        uint32_t i = 0, j = m, k = 0;
        while (i < m && j < n) {
            if (i + MERGE_AHEAD < m)
                __builtin_prefetch(tmp[i + MERGE_AHEAD]);
            if (j + MERGE_AHEAD < n)
                __builtin_prefetch(a[j + MERGE_AHEAD]);
            a[k++] = cmp_diag(l, a[j], tmp[i]) < 0 ? a[j++] : tmp[i++];
        }
        while (i < m)
            a[k++] = tmp[i++];
    } else {                                        /* the right part aside, from the end */
        uint32_t r = n - m;
        memcpy(tmp, a + m, r * sizeof *a);
        uint32_t i = m, j = r, k = n;
        while (i > 0 && j > 0) {
            if (i > MERGE_AHEAD)
                __builtin_prefetch(a[i - 1 - MERGE_AHEAD]);
            if (j > MERGE_AHEAD)
                __builtin_prefetch(tmp[j - 1 - MERGE_AHEAD]);
            a[--k] = cmp_diag(l, tmp[j - 1], a[i - 1]) < 0 ? a[--i] : tmp[--j];
        }
        while (j > 0)
            a[--k] = tmp[--j];
    }
}

/* Sort l->v by cmp_diag, stably: insertion sort of short blocks, then
 * merges in place (a merge of two runs already in order costs one
 * comparison). */
static void sort_diags(struct diag_list *l)
{
    enum { BLOCK = 16 };
    struct diag **a = l->v;
    uint32_t n = l->n, i = 1;
    while (i < n && cmp_diag(l, a[i - 1], a[i]) <= 0)
        i++;
    if (i >= n)
        return;
    for (uint32_t lo = 0; lo < n; lo += BLOCK) {
        uint32_t hi = n - lo < BLOCK ? n : lo + BLOCK;
        for (uint32_t k = lo + 1; k < hi; k++) {
            struct diag *d = a[k];
            uint32_t m = k;
            while (m > lo && cmp_diag(l, d, a[m - 1]) < 0) {
                a[m] = a[m - 1];
                m--;
            }
            a[m] = d;
        }
    }
    struct merge_buf buf = { NULL, 0 };
    for (uint64_t width = BLOCK; width < n; width *= 2)
        for (uint64_t lo = 0; lo + width < n; lo += 2 * width) {
            uint64_t hi = n - lo - width < width ? n : lo + 2 * width;
            merge(l, a + lo, (uint32_t)width, (uint32_t)(hi - lo), &buf);
        }
    xfree(arena_mem(l->arena), buf.v);
}

void diag_finish(struct diag_list *l, const enum severity severity[R_COUNT])
{
    xfree(arena_mem(l->arena), l->notec);   /* notes are reported before */
    l->notec = NULL;
    for (int k = 0; k < 2; k++)
        if (l->ign[k].n)
            qsort(l->ign[k].v, l->ign[k].n, sizeof *l->ign[k].v, cmp_range);
    uint32_t k = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        struct diag *d = l->v[i];
        d->severity = (uint8_t)severity[d->rule];
        const struct source *src = diag_src(l, d);
        uint32_t off = d->start;
        /* Both kinds of range are asked, so that each comment that covers
         * the diagnostic counts as used. */
        bool line = silenced_by(l, &l->ign[0], src, off, d->rule);
        bool entry = silenced_by(l, &l->ign[1], src, off, d->rule);
        if (line || entry || d->severity == SEV_OFF)
            continue;
        l->v[k++] = d;
    }
    l->n = k;
    report_unused(l, severity[R_UNUSED_IGNORE]);
    sort_diags(l);
}
