/* utf8.c - UTF-8 on utf8proc: decoding, validation, widths, NFC. */
#include "utf8.h"

#include <utf8proc.h>

size_t utf8_decode(const char *p, size_t n, int32_t *cp)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n == 0) {
        *cp = -1;
        return 0;
    }
    if (u[0] < 0x80) {                      /* the common case, inline */
        *cp = u[0];
        return 1;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t len = utf8proc_iterate(u, (utf8proc_ssize_t)(n < 4 ? n : 4), &c);
    if (len <= 0) {
        *cp = -1;
        return 1;
    }
    *cp = c;
    return (size_t)len;
}

size_t utf8_valid_prefix(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)p[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        if (cp < 0)
            return i;
        i += len;
    }
    return n;
}

int utf8_cp_width(int32_t cp)
{
    if (cp >= 0x20 && cp < 0x7f)
        return 1;
    if (cp < 0)
        return 1;                           /* shown as U+FFFD */
    int w = utf8proc_charwidth(cp);
    if (w == 0) {
        /* utf8proc gives controls and unassigned code points 0; a
         * terminal shows nothing for combining marks, format characters
         * and controls, but a column for the rest. */
        utf8proc_category_t c = utf8proc_category(cp);
        if (c == UTF8PROC_CATEGORY_CN || c == UTF8PROC_CATEGORY_CO)
            return 1;
    }
    return w;
}

size_t utf8_columns(const char *p, size_t n, enum utf8_unit unit, size_t start_col)
{
    if (unit == UTF8_BYTES)
        return n;
    size_t col = start_col;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        i += len;
        switch (unit) {
        case UTF8_CHARS:
            col++;
            break;
        case UTF8_UTF16:
            col += cp > 0xFFFF ? 2 : 1;
            break;
        case UTF8_DISPLAY:
            if (cp == '\t')
                col = (col / 8 + 1) * 8;
            else
                col += (size_t)utf8_cp_width(cp);
            break;
        case UTF8_BYTES:
            break;
        }
    }
    return col - start_col;
}

size_t utf8_offset_of(const char *p, size_t n, enum utf8_unit unit, size_t col)
{
    size_t at = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        size_t w;
        if (unit == UTF8_BYTES)
            w = len;
        else if (unit == UTF8_CHARS)
            w = 1;
        else if (unit == UTF8_UTF16)
            w = cp > 0xFFFF ? 2 : 1;
        else if (cp == '\t')
            w = (at / 8 + 1) * 8 - at;
        else
            w = (size_t)utf8_cp_width(cp);
        if (at + w > col || (w == 0 && at == col))
            return i;
        at += w;
        i += len;
    }
    return n;
}

bool utf8_is_dangerous(int32_t cp, bool invisible)
{
    if (cp == '\t')
        return false;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
        return true;
    if (!invisible)
        return false;
    return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

bool utf8_is_nfc_quick(const char *p, size_t n)
{
    /* Below U+0300 every character is NFC and none composes with what
     * precedes it, so a text of such characters is NFC as it stands. */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        i += utf8_decode(p + i, n - i, &cp);
        if (cp < 0 || cp >= 0x300)
            return false;
    }
    return true;
}

/* Whether no run of combining marks in p[0..n) is longer than
 * UTF8_NFC_MAX_MARKS.  utf8proc puts each run in canonical order by
 * swapping neighbours, which takes the square of the run's length: a name
 * of 64,000 marks in mixed order took 19 s. */
static bool marks_bounded(const char *p, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += utf8_decode(p + i, n - i, &cp);
        if (cp >= 0x300 && utf8proc_get_property(cp)->combining_class != 0) {
            if (++run > UTF8_NFC_MAX_MARKS)
                return false;
        } else {
            run = 0;
        }
    }
    return true;
}

size_t utf8_nfc(const char *p, size_t n, char *out, size_t cap)
{
    if (!marks_bounded(p, n))
        return SIZE_MAX;
    /* Decompose into out as code points (it must be aligned for them),
     * then compose and re-encode in place: utf8proc_reencode writes at
     * most 4 bytes per code point into the same buffer. */
    const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
    utf8proc_int32_t *buf = (utf8proc_int32_t *)(void *)out;
    utf8proc_ssize_t ncp = utf8proc_decompose((const utf8proc_uint8_t *)p,
                                              (utf8proc_ssize_t)n, buf,
                                              (utf8proc_ssize_t)(cap / 4), opt);
    if (ncp < 0)
        return SIZE_MAX;
    if ((size_t)ncp * 4 > cap)
        return (size_t)ncp * 4;
    utf8proc_ssize_t len = utf8proc_reencode(buf, ncp, opt);
    if (len < 0)
        return SIZE_MAX;
    return (size_t)len;
}
