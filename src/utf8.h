/* utf8.h - the one UTF-8 module, on utf8proc (Debian's libutf8proc-dev).
 *
 * Validation, decoding, NFC normalization and character widths for the
 * whole program: the scanner's byte checks, the renderers' escaping and
 * columns, and the matching of client names all come here.
 */
#ifndef LADDER_UTF8_H
#define LADDER_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The length of the printable ASCII (0x20-0x7E) prefix of p[0..n): eight
 * bytes a turn (text that needs no escaping is most of what is printed). */
static inline size_t utf8_printable_prefix(const char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t x;
        memcpy(&x, p + i, 8);
        /* a byte below 0x20; 0x7F or above (a carry only ever stops early) */
        if ((((x - ones * 0x20) & ~x) | (x + ones) | x) & highs)
            break;
    }
    while (i < n && (unsigned char)p[i] >= 0x20 && (unsigned char)p[i] <= 0x7E)
        i++;
    return i;
}

/* Decode one code point at p[0..n): its length in bytes (1-4) and *cp; for
 * an invalid or truncated sequence (overlong, surrogate, > U+10FFFF) the
 * length of the bad bytes to skip (>= 1) and *cp = -1. */
size_t utf8_decode(const char *p, size_t n, int32_t *cp);

/* The offset of the first invalid byte in p[0..n), or n when all is valid
 * UTF-8. */
size_t utf8_valid_prefix(const char *p, size_t n);

/* Screen columns of one code point: 2 for East Asian wide and emoji, 0 for
 * combining marks and zero-width characters, 1 otherwise (tabs are the
 * caller's: see utf8_columns). */
int utf8_cp_width(int32_t cp);

/* Columns of p[0..n) counted in a unit:
 *   UTF8_BYTES    bytes;
 *   UTF8_CHARS    code points (an invalid byte counts one);
 *   UTF8_DISPLAY  screen columns, a tab advancing to the next multiple of 8
 *                 (counted from `start_col`, 0-based: the column p starts at);
 *   UTF8_UTF16    UTF-16 code units (a code point above U+FFFF counts two;
 *                 an invalid byte counts one, as U+FFFD). */
enum utf8_unit { UTF8_BYTES, UTF8_CHARS, UTF8_DISPLAY, UTF8_UTF16 };
size_t utf8_columns(const char *p, size_t n, enum utf8_unit unit, size_t start_col);

/* The byte offset in p[0..n) of column `col` (0-based) counted in `unit`,
 * the inverse of utf8_columns (n when col is past the end; never inside a
 * code point). */
size_t utf8_offset_of(const char *p, size_t n, enum utf8_unit unit, size_t col);

/* True for characters that must never reach a terminal raw: C0 and C1
 * controls except tab, DEL, U+2028/U+2029, and (when `invisible`) bidi
 * controls and zero-width characters (U+200B-U+200F, U+202A-U+202E,
 * U+2060-U+2069, U+FEFF). */
bool utf8_is_dangerous(int32_t cp, bool invisible);

/* NFC of valid UTF-8 p[0..n), written to out[0..cap) (not terminated;
 * out must be aligned for int32_t: it is used as scratch).
 * Returns its length in bytes, which may exceed cap (call again with a
 * bigger buffer; NFC can grow a text at most 3 times), or SIZE_MAX when p
 * is not valid UTF-8 or not stream-safe: a run of more than
 * UTF8_NFC_MAX_MARKS combining marks (Unicode's limit for stream-safe
 * text, UAX #15), which callers keep as written.  utf8_is_nfc_quick: true when p is certainly NFC
 * already (every byte ASCII, or no code point normalization could change),
 * so that callers skip the work on nearly every name. */
#define UTF8_NFC_MAX_MARKS 30
size_t utf8_nfc(const char *p, size_t n, char *out, size_t cap);
bool utf8_is_nfc_quick(const char *p, size_t n);

#endif
