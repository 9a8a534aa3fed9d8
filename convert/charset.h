/*
 * charset.h: bytes in a declared charset -> UTF-8, and back (floor 1).
 *
 * One interface, two back ends: charset_iconv.c (Linux, glibc iconv) and
 * charset_win.c (Windows, MultiByteToWideChar / WideCharToMultiByte with the
 * matching code pages). Both must give the same UTF-8 for the same input on
 * the shared corpus; test_charset checks it on both builds.
 *
 * Invariants: decoding never fails on bad bytes: an invalid or truncated
 * sequence becomes U+FFFD and decoding goes on. Names are matched
 * case-insensitively, with the usual aliases ("latin1", "cp1252",
 * "x-sjis", "ks_c_5601-1987", "gb2312" read as GBK, ...); an unknown name
 * gives CV_ENOCHARSET and the caller decides (usually: treat as
 * Windows-1252 and say so).
 *
 * Never: a Windows header outside charset_win.c.
 */
#ifndef MAPIDAV_CONVERT_CHARSET_H
#define MAPIDAV_CONVERT_CHARSET_H

#include <stddef.h>

/*
 * Decodes len bytes in charset into NUL-terminated UTF-8 in *out (caller
 * frees with free()), its length without the NUL in *out_len (may be NULL).
 * Returns 0, CV_ENOCHARSET for an unknown charset (*out NULL), or -1 when
 * out of memory.
 */
int cv_charset_decode(char **out, size_t *out_len, const char *charset,
                      const void *in, size_t len);

/*
 * Encodes UTF-8 into charset; characters the charset lacks become '?'.
 * Returns 0, CV_ENOCHARSET, or -1.
 */
int cv_charset_encode(char **out, size_t *out_len, const char *charset,
                      const char *utf8, size_t len);

/* The canonical name for a charset label ("latin1" -> "ISO-8859-1"), or
 * NULL when unknown. Borrowed, static. */
const char *cv_charset_canonical(const char *label);

/* The Windows code page for a charset label (PR_INTERNET_CPID), or 0. */
unsigned cv_charset_codepage(const char *label);

/* The charset label for a Windows code page ("utf-8" for 65001), or NULL. */
const char *cv_charset_from_codepage(unsigned codepage);

/*
 * Guesses the charset of undeclared 8-bit text: "UTF-8" when the bytes are
 * valid UTF-8, else a legacy charset chosen from the byte statistics
 * (default "windows-1252"). Borrowed, static.
 */
const char *cv_charset_guess(const void *in, size_t len);

#endif /* MAPIDAV_CONVERT_CHARSET_H */
