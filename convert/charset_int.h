/*
 * charset_int.h: what the shared half of the charset converter
 * (charset_names.c) and its back end (charset_iconv.c on Linux,
 * charset_win.c on Windows) say to each other. Private to convert/.
 *
 * Split of work: charset_names.c owns every decision that must come out
 * the same on both platforms: the names, the byte structure of each
 * multibyte charset (where a sequence starts and ends, which bytes are
 * invalid, how many bytes one U+FFFD replaces), the single-byte tables,
 * UTF-8 and UTF-16, GB18030's four-byte form, ISO-2022-JP's escapes and
 * EUC-JP's layout, and the cells where the platforms' tables disagree. A
 * back end only looks up well-formed sequences in one of the double-byte
 * tables below, decode or encode, and says which ones it could not map.
 *
 * Invariant: a back end never writes output for a sequence it reports as
 * unmapped, and is deterministic per sequence (a run converts iff each of
 * its sequences converts on its own). Never: a Windows header here.
 */
#ifndef MAPIDAV_CONVERT_CHARSET_INT_H
#define MAPIDAV_CONVERT_CHARSET_INT_H

#include <stddef.h>
#include <stdint.h>

/* A growing output buffer. After a failed allocation `failed` is set and
 * every later write is dropped, so code can write on and check once. */
typedef struct cv_cs__buf {
    char *data;  /* owned; NUL-terminated after every write */
    size_t len;  /* bytes written, without the NUL */
    size_t cap;  /* bytes allocated */
    int failed;  /* an allocation failed: the content is incomplete */
} cv_cs__buf;

/* Makes room for `more` bytes and the NUL: 0, or -1 (and sets failed). */
int cv_cs__buf_grow(cv_cs__buf *b, size_t more);
/* Appends bytes. */
void cv_cs__buf_put(cv_cs__buf *b, const void *p, size_t n);
/* Appends one code point as UTF-8 (a surrogate or > U+10FFFF as U+FFFD). */
void cv_cs__buf_put_cp(cv_cs__buf *b, uint32_t cp);
/* Appends UTF-16 code units as UTF-8; an unpaired surrogate is U+FFFD. */
void cv_cs__buf_put_utf16(cv_cs__buf *b, const uint16_t *w, size_t n);

/* Reads one code point of UTF-8 at s[0..n) (n > 0) into *cp and returns its
 * length; an invalid sequence gives U+FFFD and the length of its maximal
 * subpart (at least 1), and sets *bad when bad is not NULL. */
size_t cv_cs__utf8_next(const unsigned char *s, size_t n, uint32_t *cp, int *bad);

/* The double-byte tables a back end provides. */
enum cv_cs__table {
    CV_CS__CP932,   /* Shift_JIS as Windows-31J: code page 932, glibc CP932 */
    CV_CS__GB,      /* two-byte GBK/GB18030: code page 936, glibc GB18030 */
    CV_CS__CP949,   /* Unified Hangul Code: code page 949, glibc CP949 */
    CV_CS__CP950,   /* Big5: code page 950, glibc CP950 */
    CV_CS__JIS0212, /* EUC-JP 0x8F a b (JIS X 0212): code page 20932, glibc EUC-JP */
    CV_CS__N_TABLES
};

/* One back-end converter: one table, one direction, one thread. */
typedef struct cv_cs__conv cv_cs__conv;

/* Opens a converter for table (enum cv_cs__table); encode = 0: table bytes
 * to UTF-8, encode = 1: UTF-8 to table bytes. Returns 0, CV_ENOCHARSET when
 * this platform lacks the table (the caller then fails the same way), or
 * -1 when out of memory. */
int cv_cs__conv_open(cv_cs__conv **out, int table, int encode);
void cv_cs__conv_close(cv_cs__conv *c); /* NULL-safe */

/*
 * Converts in[0..len): for decoding, whole well-formed sequences of the
 * table (ASCII, and lead+trail pairs the caller has checked; JIS0212: one
 * 0x8F triple); for encoding, whole valid UTF-8 characters without U+0000.
 * Appends the conversion of the longest prefix it can map to b and sets
 * *done to that prefix's length in bytes (len when everything mapped). A
 * back end that cannot tell reliably where it stopped reports 0 and writes
 * nothing; both back ends do so today. Returns 0, or -1 when out of
 * memory (b->failed is set).
 */
int cv_cs__conv_run(cv_cs__conv *c, cv_cs__buf *b, const unsigned char *in, size_t len,
                    size_t *done);

#endif /* MAPIDAV_CONVERT_CHARSET_INT_H */
