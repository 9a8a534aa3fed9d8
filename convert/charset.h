/*
 * charset.h: bytes in a declared charset -> UTF-8, and back (floor 1).
 *
 * One interface, two back ends: charset_iconv.c (Linux, glibc iconv) and
 * charset_win.c (Windows, MultiByteToWideChar / WideCharToMultiByte with the
 * matching code pages), under charset_names.c, which both share and which
 * owns every rule that decides the result: names, byte structure, U+FFFD
 * placement, single-byte tables, UTF-8/UTF-16, GB18030's four-byte form,
 * ISO-2022-JP and EUC-JP. The back ends only look up double-byte cells.
 * Both give the same UTF-8 for the same input; test_charset_tables checks
 * every double-byte cell both ways and test_charset_corpus the shared
 * corpus, on both builds.
 *
 * Decoding follows the WHATWG Encoding Standard, with these decisions:
 * "iso-8859-1" and "us-ascii" read as windows-1252, "iso-8859-9" as
 * windows-1254, "tis-620"/"iso-8859-11" as windows-874; "gb2312" and "gbk"
 * as GB18030; "ks_c_5601-1987"/"euc-kr" as code page 949 and "big5" as code
 * page 950 (not Big5-HKSCS), their user-defined areas to the Private Use
 * Area as Windows does; a byte-order mark at the start wins over the label;
 * "UTF-16" without one is read by where its zero bytes are (big-endian on a
 * tie, RFC 2781); in ISO-2022-JP a CR or LF ends a two-byte run. Known
 * difference between the back ends: JIS X 0212 (EUC-JP 0x8F a b) decodes
 * on Linux and is U+FFFD under Wine, whose code page 20932 lacks it.
 *
 * Invariants: decoding never fails on bad bytes: an invalid or truncated
 * sequence becomes U+FFFD (how many bytes one U+FFFD covers is WHATWG's
 * rule) and decoding goes on; the output is always well-formed UTF-8. Names
 * are matched case-insensitively, white space and quotes around them
 * ignored, with the WHATWG labels and more ("latin1", "cp1252", "x-sjis",
 * "ks_c_5601-1987", "cp949", "gb2312", ...); failing that, with everything
 * but letters and digits dropped ("UTF_8", "Latin-1"). An unknown name gives
 * CV_ENOCHARSET and the caller decides (usually: treat as windows-1252 and
 * say so). Every function is thread-safe: no state is shared between calls.
 *
 * Never: a Windows header outside charset_win.c.
 */
#ifndef MAPIDAV_CONVERT_CHARSET_H
#define MAPIDAV_CONVERT_CHARSET_H

#include <stddef.h>

/*
 * Decodes len bytes in charset into NUL-terminated UTF-8 in *out (caller
 * frees with free()), its length without the NUL in *out_len (may be NULL).
 * A 0x00 byte decodes to U+0000, which *out_len counts. Returns 0,
 * CV_ENOCHARSET for an unknown charset or one this system lacks (*out
 * NULL, message set), or -1 when out of memory.
 */
int cv_charset_decode(char **out, size_t *out_len, const char *charset,
                      const void *in, size_t len);

/*
 * Encodes UTF-8 into charset; characters the charset lacks, and invalid
 * UTF-8, become '?' (U+FFFD for the UTF-8 and UTF-16 targets). "UTF-16"
 * is written big-endian after a BOM; "ISO-8859-1", "ISO-8859-9" and
 * "US-ASCII" stay strict (no windows-125x extras). Returns 0,
 * CV_ENOCHARSET, or -1.
 */
int cv_charset_encode(char **out, size_t *out_len, const char *charset,
                      const char *utf8, size_t len);

/* The canonical name for a charset label ("latin1" -> "ISO-8859-1"): the
 * IANA preferred MIME name as mail usually writes it ("UTF-8",
 * "windows-1252", "Shift_JIS", "ks_c_5601-1987", ...), or NULL when
 * unknown. Borrowed, static. */
const char *cv_charset_canonical(const char *label);

/* The Windows code page for a charset label (PR_INTERNET_CPID), or 0
 * (unknown, or no Windows code page: ISO-8859-10, -14, -16). */
unsigned cv_charset_codepage(const char *label);

/* The canonical name for a Windows code page ("UTF-8" for 65001, "GB2312"
 * for 936, "EUC-JP" for 51932 and 20932), or NULL. Borrowed, static. */
const char *cv_charset_from_codepage(unsigned codepage);

/*
 * Guesses the charset of undeclared 8-bit text: "ISO-2022-JP" for 7-bit
 * text with its escapes, "UTF-8" when the bytes are valid UTF-8, else a
 * legacy charset chosen from the byte statistics (Shift_JIS, EUC-JP,
 * windows-1251, KOI8-R, EUC-KR, GBK; default "windows-1252"). A canonical
 * name; borrowed, static.
 */
const char *cv_charset_guess(const void *in, size_t len);

#endif /* MAPIDAV_CONVERT_CHARSET_H */
