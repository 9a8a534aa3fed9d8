/*
 * test_charset.c: convert/charset.h by example: known byte sequences of
 * each charset and the UTF-8 the standards give them (single-byte rows
 * from the WHATWG indexes, CJK from the charsets' own tables), invalid and
 * truncated input with its U+FFFD, encoding with '?', names, aliases and
 * code pages both ways, the guess, every prefix and random bytes in every
 * charset (no crash, no hang, valid UTF-8 out), and threads.
 *
 * Built for Linux (iconv back end) and Windows (MultiByteToWideChar, run
 * under Wine); the same expectations hold for both, except the one
 * documented difference: JIS X 0212 (EUC-JP 0x8F a b) decodes on Linux and
 * is U+FFFD under Wine, whose code page 20932 lacks it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/charset.h"
#include "convert/message.h"
#include "utf8_check.h"
#include "testutil.h"

#ifndef _WIN32
#include <pthread.h>
#endif

#define B(s) s, sizeof(s) - 1

struct dcase {
    const char *label;
    const char *in;
    size_t len;
    const char *out; /* UTF-8 */
    size_t out_len;
};

static const struct dcase decode_cases[] = {
    /* UTF-8: valid, the BOM dropped, invalid per maximal subpart */
    {"UTF-8", B("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), B("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")},
    {"utf8", B("\xef\xbb\xbf" "a"), B("a")},
    {"UTF-8", B("a\xc0\x80z"), B("a\xef\xbf\xbd\xef\xbf\xbdz")},
    {"UTF-8", B("a\xed\xa0\x80z"), B("a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdz")},
    {"UTF-8", B("a\xf0\x9f\x98"), B("a\xef\xbf\xbd")},
    {"UTF-8", B("\xe2\x82" "a"), B("\xef\xbf\xbd" "a")},
    {"UTF-8", B("\xf4\x90\x80\x80"), B("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd")},
    {"UTF-8", B("\xff\xfe" "a\x00"), B("a")}, /* a UTF-16LE BOM wins */
    {"UTF-8", B("a\x00" "b"), B("a\x00" "b")},
    /* UTF-16 */
    {"UTF-16", B("\xff\xfeh\x00i\x00"), B("hi")},
    {"UTF-16", B("\xfe\xff\x00h\x00i"), B("hi")},
    {"UTF-16", B("\x00h\x00i"), B("hi")},         /* no BOM: zeros at even offsets */
    {"UTF-16", B("h\x00i\x00"), B("hi")},         /* ... at odd offsets */
    {"UTF-16LE", B("=\xd8\x00\xde"), B("\xf0\x9f\x98\x80")},
    {"UTF-16BE", B("\xd8=\xde\x00"), B("\xf0\x9f\x98\x80")},
    {"UTF-16LE", B("\x00\xd8" "a\x00"), B("\xef\xbf\xbd" "a")}, /* unpaired surrogate */
    {"UTF-16LE", B("\x00\xdc"), B("\xef\xbf\xbd")},
    {"UTF-16LE", B("h\x00i"), B("h\xef\xbf\xbd")},            /* odd byte */
    {"UTF-16BE", B("\xff\xfeh\x00"), B("h")},                  /* the BOM wins */
    {"windows-1252", B("\xef\xbb\xbf" "caf\xc3\xa9"), B("caf\xc3\xa9")},
    /* Single-byte: bytes 0x80 0x8A 0xA1 0xA4 0xC0 0xE1 0xFF and the first
     * byte the WHATWG index leaves undefined */
    {"ISO-8859-1", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x82\xac\xc5\xa0\xc2\xa1\xc2\xa4\xc3\x80\xc3\xa1\xc3\xbfz")},
    {"US-ASCII", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x82\xac\xc5\xa0\xc2\xa1\xc2\xa4\xc3\x80\xc3\xa1\xc3\xbfz")},
    {"ISO-8859-9", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x82\xac\xc5\xa0\xc2\xa1\xc2\xa4\xc3\x80\xc3\xa1\xc3\xbfz")},
    {"TIS-620", B("a\x80\x8a\xa1\xa4\xc0\xe1\xff\xdbz"), B("a\xe2\x82\xac\xc2\x8a\xe0\xb8\x81\xe0\xb8\x84\xe0\xb8\xa0\xe0\xb9\x81\xef\xbf\xbd\xef\xbf\xbdz")},
    {"ISO-8859-2", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xc4\x84\xc2\xa4\xc5\x94\xc3\xa1\xcb\x99z")},
    {"ISO-8859-3", B("a\x80\x8a\xa1\xa4\xc0\xe1\xff\xa5z"), B("a\xc2\x80\xc2\x8a\xc4\xa6\xc2\xa4\xc3\x80\xc3\xa1\xcb\x99\xef\xbf\xbdz")},
    {"ISO-8859-4", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xc4\x84\xc2\xa4\xc4\x80\xc3\xa1\xcb\x99z")},
    {"ISO-8859-5", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xd0\x81\xd0\x84\xd0\xa0\xd1\x81\xd1\x9fz")},
    {"ISO-8859-6", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xef\xbf\xbd\xc2\xa4\xef\xbf\xbd\xd9\x81\xef\xbf\xbdz")},
    {"ISO-8859-7", B("a\x80\x8a\xa1\xa4\xc0\xe1\xff\xaez"), B("a\xc2\x80\xc2\x8a\xe2\x80\x98\xe2\x82\xac\xce\x90\xce\xb1\xef\xbf\xbd\xef\xbf\xbdz")},
    {"ISO-8859-8", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xef\xbf\xbd\xc2\xa4\xef\xbf\xbd\xd7\x91\xef\xbf\xbdz")},
    {"ISO-8859-10", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xc4\x84\xc4\xaa\xc4\x80\xc3\xa1\xc4\xb8z")},
    {"ISO-8859-13", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xe2\x80\x9d\xc2\xa4\xc4\x84\xc4\xaf\xe2\x80\x99z")},
    {"ISO-8859-14", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xe1\xb8\x82\xc4\x8a\xc3\x80\xc3\xa1\xc3\xbfz")},
    {"ISO-8859-15", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xc2\xa1\xe2\x82\xac\xc3\x80\xc3\xa1\xc3\xbfz")},
    {"ISO-8859-16", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc2\x80\xc2\x8a\xc4\x84\xe2\x82\xac\xc3\x80\xc3\xa1\xc3\xbfz")},
    {"windows-874", B("a\x80\x8a\xa1\xa4\xc0\xe1\xff\xdbz"), B("a\xe2\x82\xac\xc2\x8a\xe0\xb8\x81\xe0\xb8\x84\xe0\xb8\xa0\xe0\xb9\x81\xef\xbf\xbd\xef\xbf\xbdz")},
    {"windows-1250", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x82\xac\xc5\xa0\xcb\x87\xc2\xa4\xc5\x94\xc3\xa1\xcb\x99z")},
    {"windows-1251", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xd0\x82\xd0\x89\xd0\x8e\xc2\xa4\xd0\x90\xd0\xb1\xd1\x8fz")},
    {"windows-1252", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x82\xac\xc5\xa0\xc2\xa1\xc2\xa4\xc3\x80\xc3\xa1\xc3\xbfz")},
    {"windows-1253", B("a\x80\x8a\xa1\xa4\xc0\xe1\xff\xaaz"), B("a\xe2\x82\xac\xc2\x8a\xce\x85\xc2\xa4\xce\x90\xce\xb1\xef\xbf\xbd\xef\xbf\xbdz")},
    {"windows-1254", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x82\xac\xc5\xa0\xc2\xa1\xc2\xa4\xc3\x80\xc3\xa1\xc3\xbfz")},
    {"windows-1255", B("a\x80\x8a\xa1\xa4\xc0\xe1\xff\xd9z"), B("a\xe2\x82\xac\xc2\x8a\xc2\xa1\xe2\x82\xaa\xd6\xb0\xd7\x91\xef\xbf\xbd\xef\xbf\xbdz")},
    {"windows-1256", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x82\xac\xd9\xb9\xd8\x8c\xc2\xa4\xdb\x81\xd9\x84\xdb\x92z")},
    {"windows-1257", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x82\xac\xc2\x8a\xef\xbf\xbd\xc2\xa4\xc4\x84\xc4\xaf\xcb\x99z")},
    {"windows-1258", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x82\xac\xc2\x8a\xc2\xa1\xc2\xa4\xc3\x80\xc3\xa1\xc3\xbfz")},
    {"KOI8-R", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x94\x80\xe2\x94\xbc\xe2\x95\x91\xe2\x95\x93\xd1\x8e\xd0\x90\xd0\xaaz")},
    {"KOI8-U", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xe2\x94\x80\xe2\x94\xbc\xe2\x95\x91\xd1\x94\xd1\x8e\xd0\x90\xd0\xaaz")},
    {"IBM866", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xd0\x90\xd0\x9a\xd0\xb1\xd0\xb4\xe2\x94\x94\xd1\x81\xc2\xa0z")},
    {"macintosh", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xc3\x84\xc3\xa4\xc2\xb0\xc2\xa7\xc2\xbf\xc2\xb7\xcb\x87z")},
    {"x-mac-cyrillic", B("a\x80\x8a\xa1\xa4\xc0\xe1\xffz"), B("a\xd0\x90\xd0\x9a\xc2\xb0\xc2\xa7\xd1\x98\xd0\xb1\xe2\x82\xacz")},
    /* Shift_JIS */
    {"Shift_JIS", B("\x93\xfa\x96\x7b\x82\xa0"), B("\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\x82")},
    {"x-sjis", B("\xb1\\~"), B("\xef\xbd\xb1\\~")},
    {"Shift_JIS", B("\x87\x40\xfa\x40\xf0\x40"), B("\xe2\x91\xa0\xe2\x85\xb0\xee\x80\x80")},
    {"Shift_JIS", B("\x80\xa0z"), B("\xc2\x80\xef\xbf\xbdz")},
    {"Shift_JIS", B("\x85\x40"), B("\xef\xbf\xbd@")},      /* unmapped: the ASCII trail is read again */
    {"Shift_JIS", B("\x81\x20"), B("\xef\xbf\xbd ")},       /* invalid trail */
    {"Shift_JIS", B("\x81\xff" "a"), B("\xef\xbf\xbd" "a")}, /* non-ASCII bad trail goes with the lead */
    {"Shift_JIS", B("a\x81"), B("a\xef\xbf\xbd")},          /* truncated */
    /* EUC-JP */
    {"EUC-JP", B("\xc6\xfc\xcb\xdc\xa4\xa2"), B("\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\x82")},
    {"EUC-JP", B("\x8e\xb1\xad\xa1"), B("\xef\xbd\xb1\xe2\x91\xa0")},
    {"EUC-JP", B("\xa4" "A"), B("\xef\xbf\xbd" "A")},
    {"EUC-JP", B("\x8e\xe0z"), B("\xef\xbf\xbdz")},
    {"EUC-JP", B("\x8f\xa1" "A"), B("\xef\xbf\xbd" "A")},
    {"EUC-JP", B("\x80\xffz"), B("\xef\xbf\xbd\xef\xbf\xbdz")},
    {"EUC-JP", B("z\xa4"), B("z\xef\xbf\xbd")},
    {"EUC-JP", B("\xfc\xf1\xfc\xe2"), B("\xe2\x85\xb0\xe9\xab\x99")}, /* NEC-selected row 92 */
    /* ISO-2022-JP */
    {"ISO-2022-JP", B("\x1b$BF|K\\\x1b(B"), B("\xe6\x97\xa5\xe6\x9c\xac")},
    {"ISO-2022-JP", B("\x1b$@$\"\x1b(B!"), B("\xe3\x81\x82!")},
    {"ISO-2022-JP", B("\x1b(J\\~\x1b(B\\~"), B("\xc2\xa5\xe2\x80\xbe\\~")},
    {"ISO-2022-JP", B("\x1b(I1\x1b(B"), B("\xef\xbd\xb1")},
    {"ISO-2022-JP", B("a\x80z"), B("a\xef\xbf\xbdz")},
    {"ISO-2022-JP", B("\x1b$Zb"), B("\xef\xbf\xbd$Zb")},
    {"ISO-2022-JP", B("\x1b$B$\"\r\nx"), B("\xe3\x81\x82\r\nx")}, /* CR LF end the run */
    {"ISO-2022-JP", B("\x1b$B$"), B("\xef\xbf\xbd")},
    {"ISO-2022-JP", B("\x1b$B$\x1b(Bx"), B("\xef\xbf\xbdx")},
    {"ISO-2022-JP", B("\x1b$B! \x1b(Bx"), B("\xef\xbf\xbdx")},
    {"ISO-2022-JP", B("\x1b"), B("\xef\xbf\xbd")},
    /* GB18030 (and GBK, GB2312 read the same) */
    {"GB18030", B("\xc4\xe3\xba\xc3"), B("\xe4\xbd\xa0\xe5\xa5\xbd")},
    {"gb2312", B("\x80\xa2\xe3\xa3\xa0"), B("\xe2\x82\xac\xe2\x82\xac\xe3\x80\x80")},
    {"GBK", B("\x81\x30\x81\x30\x81\x30\x8a\x32"), B("\xc2\x80\xc3\xa5")},
    {"GB18030", B("\x94\x39\xfc\x36"), B("\xf0\x9f\x98\x80")},
    {"GB18030", B("\x84\x31\xa4\x39\x84\x31\xa5\x30"), B("\xef\xbf\xbf\xef\xbf\xbd")},
    {"GB18030", B("\xe3\x32\x9a\x35\xe3\x32\x9a\x36"), B("\xf4\x8f\xbf\xbf\xef\xbf\xbd")},
    {"GB18030", B("\x81\x35\xf4\x37"), B("\xee\x9f\x87")},
    {"GB18030", B("\xfe\x51\xa6\xd9\xa8\xbc"), B("\xee\xa0\x96\xef\xb8\x90\xe1\xb8\xbf")},
    {"GB18030", B("\x81\x30\x81 "), B("\xef\xbf\xbd" "0\xef\xbf\xbd ")},
    {"GB18030", B("\x81\x30 "), B("\xef\xbf\xbd" "0 ")},
    {"GB18030", B("\xff" "a\x81"), B("\xef\xbf\xbd" "a\xef\xbf\xbd")},
    {"GB18030", B("a\x81\x30"), B("a\xef\xbf\xbd")},
    /* Big5 (code page 950) */
    {"Big5", B("\xa4\xa4\xa4\xe5\xa1\x40"), B("\xe4\xb8\xad\xe6\x96\x87\xe3\x80\x80")},
    {"big5", B("\x81\x40\xfa\x40\xf9\xf9"), B("\xee\xba\xb8\xee\x80\x80\xe2\x95\x90")},
    {"Big5", B("\xa4 \x80z"), B("\xef\xbf\xbd \xef\xbf\xbdz")},
    /* EUC-KR (code page 949) */
    {"EUC-KR", B("\xc7\xd1\xb1\xb9"), B("\xed\x95\x9c\xea\xb5\xad")},
    {"ks_c_5601-1987", B("\x81\x41\xa2\xe6"), B("\xea\xb0\x82\xe2\x82\xac")},
    {"cp949", B("\xc9\xa1\xfe\xfe"), B("\xee\x80\x80\xee\x82\xbb")},
    {"EUC-KR", B("\xc7 \xa2\xe8z"), B("\xef\xbf\xbd \xef\xbf\xbdz")},
};

struct ecase {
    const char *label;
    const char *in;  /* UTF-8 */
    const char *out;
    size_t len;
};

static const struct ecase encode_cases[] = {
    {"UTF-8", "a\xc0" "b", B("a\xef\xbf\xbd" "b")},
    {"UTF-16", "hi", B("\xfe\xff\x00h\x00i")},
    {"UTF-16LE", "\xf0\x9f\x98\x80", B("=\xd8\x00\xde")},
    {"UTF-16BE", "\xc3\xa9\xff", B("\x00\xe9\xff\xfd")},
    {"windows-1252", "\xe2\x82\xac\xc3\xa9\xc4\x81", B("\x80\xe9?")},
    {"ISO-8859-1", "\xc3\xa9\xe2\x82\xac\xc2\x85", B("\xe9?\x85")},
    {"US-ASCII", "a\xc3\xa9", B("a?")},
    {"ISO-8859-15", "\xe2\x82\xac", B("\xa4")},
    {"ISO-8859-9", "\xc4\x9f\xe2\x82\xac", B("\xf0?")},
    {"KOI8-R", "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", B("\xd0\xd2\xc9\xd7\xc5\xd4")},
    {"ISO-8859-2", "\xc4\x85", B("\xb1")},
    {"windows-1251", "\xd0\x96", B("\xc6")},
    {"Shift_JIS", "\xe6\x97\xa5\xe6\x9c\xac\xc2\xa5\xef\xbd\xb1", B("\x93\xfa\x96\x7b\\\xb1")},
    {"Shift_JIS", "\xf0\x9f\x98\x80\xe2\x85\xb0\xe2\x88\x92\xe2\x91\xa0", B("?\xfa\x40\x81\x7c\x87\x40")},
    {"EUC-JP", "\xe6\x97\xa5\xe6\x9c\xac\xef\xbd\xb1", B("\xc6\xfc\xcb\xdc\x8e\xb1")},
    {"EUC-JP", "\xe2\x85\xb0\xe9\xab\x99\xe2\x82\xac", B("\xfc\xf1\xfc\xe2?")},
    {"ISO-2022-JP", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e and \xef\xbd\xb1\xc2\xa5x",
     B("\x1b$BF|K\\8l\x1b(B and \x1b$B%\"\x1b(J\\x\x1b(B")},
    {"ISO-2022-JP", "a\x1b" "b\xf0\x9f\x98\x80", B("a?b?")},
    {"GB18030", "\xe4\xbd\xa0\xe5\xa5\xbd\xe2\x82\xac\xf0\x9f\x98\x80", B("\xc4\xe3\xba\xc3\xa2\xe3\x94\x39\xfc\x36")},
    {"GB18030", "\xee\x97\xa5\xc3\xa5\xef\xb8\x90\xee\x9e\x8d", B("?\x81\x30\x8a\x32\xa6\xd9\xa6\xd9")},
    {"GBK", "\xe4\xbd\xa0\xe5\xa5\xbd\xe2\x82\xac\xf0\x9f\x98\x80", B("\xc4\xe3\xba\xc3\x80?")},
    {"gb2312", "\xc3\xa5", B("?")},
    {"Big5", "\xe4\xb8\xad\xe6\x96\x87\xe2\x95\x90\xee\x80\x80\xf0\x9f\x98\x80", B("\xa4\xa4\xa4\xe5\xf9\xf9\xfa\x40?")},
    {"EUC-KR", "\xed\x95\x9c\xea\xb5\xad\xee\x80\x80\xe2\x82\xac", B("\xc7\xd1\xb1\xb9\xc9\xa1\xa2\xe6")},
};

/* Every charset, by its canonical name. */
static const char *const all_charsets[] = {
    "UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "US-ASCII", "ISO-8859-1", "ISO-8859-2",
    "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7", "ISO-8859-8",
    "ISO-8859-8-I", "ISO-8859-9", "ISO-8859-10", "ISO-8859-13", "ISO-8859-14", "ISO-8859-15",
    "ISO-8859-16", "windows-874", "windows-1250", "windows-1251", "windows-1252",
    "windows-1253", "windows-1254", "windows-1255", "windows-1256", "windows-1257",
    "windows-1258", "KOI8-R", "KOI8-U", "IBM866", "macintosh", "x-mac-cyrillic", "Shift_JIS",
    "EUC-JP", "ISO-2022-JP", "GB2312", "GBK", "GB18030", "Big5", "EUC-KR", "ks_c_5601-1987",
};

#define N_CHARSETS (sizeof all_charsets / sizeof *all_charsets)

static void hex(char *out, size_t size, const char *s, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && k + 4 < size; i++)
        k += (size_t)snprintf(out + k, size - k, "%02x ", (unsigned char)s[i]);
}

static void test_decode_cases(void)
{
    char h1[256], h2[256];
    for (size_t i = 0; i < sizeof decode_cases / sizeof *decode_cases; i++) {
        const struct dcase *c = &decode_cases[i];
        char *out = (char *)1;
        size_t len = 99;
        int rc = cv_charset_decode(&out, &len, c->label, c->in, c->len);
        size_t want = c->out_len;
        if (!ok(rc == 0 && out, "case %u (%s): rc %d\n", (unsigned)i, c->label, rc))
            continue;
        hex(h1, sizeof h1, out, len);
        hex(h2, sizeof h2, c->out, want);
        ok(len == want && memcmp(out, c->out, want) == 0 && out[len] == '\0',
           "case %u (%s): got %s, expected %s\n", (unsigned)i, c->label, h1, h2);
        free(out);
    }

    /* JIS X 0212: the documented difference between the back ends */
    char *out = NULL;
    size_t len = 0;
    ok(cv_charset_decode(&out, &len, "EUC-JP", "\x8f\xb0\xa1z", 4) == 0 && out, "EUC-JP 0212\n");
    if (out) {
#ifdef _WIN32
        ok(strcmp(out, "\xe4\xb8\x82z") == 0 || strcmp(out, "\xef\xbf\xbdz") == 0,
           "EUC-JP 0x8F 0xB0 0xA1: %s\n", out);
#else
        ok(strcmp(out, "\xe4\xb8\x82z") == 0, "EUC-JP 0x8F 0xB0 0xA1: %s\n", out);
#endif
        free(out);
    }
}

static void test_encode_cases(void)
{
    char h1[256], h2[256];
    for (size_t i = 0; i < sizeof encode_cases / sizeof *encode_cases; i++) {
        const struct ecase *c = &encode_cases[i];
        char *out = (char *)1;
        size_t len = 99;
        int rc = cv_charset_encode(&out, &len, c->label, c->in, strlen(c->in));
        if (!ok(rc == 0 && out, "encode case %u (%s): rc %d\n", (unsigned)i, c->label, rc))
            continue;
        hex(h1, sizeof h1, out, len);
        hex(h2, sizeof h2, c->out, c->len);
        ok(len == c->len && memcmp(out, c->out, len) == 0 && out[len] == '\0',
           "encode case %u (%s): got %s, expected %s\n", (unsigned)i, c->label, h1, h2);
        free(out);
    }
}

/* A text every Unicode charset carries, back and forth through each
 * charset: what the charset has comes back unchanged, the rest as '?'. */
static void test_round_trip(void)
{
    static const struct {
        const char *label;
        const char *text;
    } rt[] = {
        {"UTF-8", "Gr\xc3\xbc\xc3\x9f\x65 \xe2\x82\xac \xf0\x9f\x98\x80"},
        {"UTF-16", "Gr\xc3\xbc\xc3\x9f\x65 \xe2\x82\xac \xf0\x9f\x98\x80"},
        {"windows-1252", "Gr\xc3\xbc\xc3\x9f\x65 \xe2\x82\xac \xe2\x80\x9equote\xe2\x80\x9c"},
        {"ISO-8859-2", "\xc5\xbc\xc3\xb3\xc5\x82w \xc4\x8d"},
        {"KOI8-U", "\xd2\x91\xd1\x94 \xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd1\x96\xd1\x82"},
        {"ISO-8859-7", "\xce\xb1\xce\xb2\xce\xb3 \xe2\x82\xac"},
        {"Shift_JIS", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88 \xef\xbd\xb1"},
        {"EUC-JP", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88 \xef\xbd\xb1"},
        {"ISO-2022-JP", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\r\n\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88 x"},
        {"GB18030", "\xe4\xb8\xad\xe6\x96\x87 \xc3\xa5 \xf0\x9f\x98\x80 \xe2\x82\xac"},
        {"GBK", "\xe4\xb8\xad\xe6\x96\x87 \xe2\x82\xac"},
        {"Big5", "\xe4\xb8\xad\xe6\x96\x87 \xe2\x95\x90"},
        {"EUC-KR", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xe2\x82\xac"},
    };
    for (size_t i = 0; i < sizeof rt / sizeof *rt; i++) {
        char *enc = NULL, *dec = NULL;
        size_t elen = 0, dlen = 0;
        ok(cv_charset_encode(&enc, &elen, rt[i].label, rt[i].text, strlen(rt[i].text)) == 0,
           "%s: encode\n", rt[i].label);
        ok(enc && cv_charset_decode(&dec, &dlen, rt[i].label, enc, elen) == 0 && dec &&
               strcmp(dec, rt[i].text) == 0,
           "%s: round trip gave \"%s\"\n", rt[i].label, dec ? dec : "(null)");
        free(enc);
        free(dec);
    }
}

static void test_names(void)
{
    static const struct {
        const char *label, *canonical;
    } names[] = {
        {"latin1", "ISO-8859-1"}, {"ISO-8859-1", "ISO-8859-1"}, {"cp1252", "windows-1252"},
        {"x-sjis", "Shift_JIS"}, {"MS932", "Shift_JIS"}, {"ks_c_5601-1987", "ks_c_5601-1987"},
        {"cp949", "ks_c_5601-1987"}, {"euc-kr", "EUC-KR"}, {"gb2312", "GB2312"},
        {"x-gbk", "GBK"}, {"GB18030", "GB18030"}, {"big5-hkscs", "Big5"}, {"utf8", "UTF-8"},
        {"unicode-1-1-utf-8", "UTF-8"}, {"x-mac-roman", "macintosh"}, {"tis-620", "windows-874"},
        {"iso-8859-11", "windows-874"}, {"us-ascii", "US-ASCII"}, {"ascii", "US-ASCII"},
        {"koi8-u", "KOI8-U"}, {"koi8", "KOI8-R"}, {"iso-2022-jp", "ISO-2022-JP"},
        {"csISO2022JP", "ISO-2022-JP"}, {"euc-jp", "EUC-JP"}, {"ucs-2", "UTF-16"},
        {"unicodeFFFE", "UTF-16BE"}, {"latin5", "ISO-8859-9"}, {"iso-8859-8-i", "ISO-8859-8-I"},
        {"  UTF-8\t", "UTF-8"}, {"\"utf-8\"", "UTF-8"}, {"UTF_8", "UTF-8"}, {"Latin-1", "ISO-8859-1"},
        {"windows1251", "windows-1251"}, {"ISO8859_15", "ISO-8859-15"}, {"SHIFT-JIS", "Shift_JIS"},
        {"x-unknown", NULL}, {"", NULL}, {" ", NULL}, {"utf-7", NULL}, {"iso-2022-kr", NULL},
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *got = cv_charset_canonical(names[i].label);
        ok(names[i].canonical ? got && strcmp(got, names[i].canonical) == 0 : got == NULL,
           "canonical(\"%s\") = %s\n", names[i].label, got ? got : "NULL");
    }
    ok(cv_charset_canonical(NULL) == NULL, "canonical(NULL)\n");
    for (size_t i = 0; i < N_CHARSETS; i++) {
        const char *got = cv_charset_canonical(all_charsets[i]);
        ok(got && strcmp(got, all_charsets[i]) == 0, "canonical(%s) = %s\n", all_charsets[i],
           got ? got : "NULL");
    }

    /* unknown names: CV_ENOCHARSET, *out NULL, a message */
    char *out = (char *)1;
    size_t len = 7;
    ok(cv_charset_decode(&out, &len, "x-klingon", "abc", 3) == CV_ENOCHARSET && out == NULL &&
           len == 0,
       "decode with an unknown charset\n");
    out = (char *)1;
    ok(cv_charset_encode(&out, NULL, "x-klingon\x01", "abc", 3) == CV_ENOCHARSET && out == NULL,
       "encode with an unknown charset\n");
    ok(cv_charset_decode(&out, NULL, NULL, "abc", 3) == CV_ENOCHARSET && out == NULL,
       "decode with no charset\n");
    /* empty and NULL input, NULL out_len */
    ok(cv_charset_decode(&out, NULL, "Shift_JIS", NULL, 0) == 0 && out && out[0] == '\0',
       "decode of nothing\n");
    free(out);
    ok(cv_charset_encode(&out, &len, "ISO-2022-JP", "", 0) == 0 && out && len == 0,
       "encode of nothing\n");
    free(out);
}

static void test_codepages(void)
{
    static const struct {
        const char *label;
        unsigned cp;
    } cps[] = {
        {"utf-8", 65001}, {"utf-16", 1200}, {"utf-16le", 1200}, {"utf-16be", 1201},
        {"us-ascii", 20127}, {"iso-8859-1", 28591}, {"latin2", 28592}, {"iso-8859-3", 28593},
        {"iso-8859-4", 28594}, {"iso-8859-5", 28595}, {"iso-8859-6", 28596}, {"iso-8859-7", 28597},
        {"iso-8859-8", 28598}, {"iso-8859-8-i", 38598}, {"iso-8859-9", 28599},
        {"iso-8859-13", 28603}, {"iso-8859-15", 28605}, {"iso-8859-10", 0}, {"iso-8859-14", 0},
        {"iso-8859-16", 0}, {"windows-874", 874}, {"cp1250", 1250}, {"windows-1251", 1251},
        {"windows-1252", 1252}, {"windows-1253", 1253}, {"windows-1254", 1254},
        {"windows-1255", 1255}, {"windows-1256", 1256}, {"windows-1257", 1257},
        {"windows-1258", 1258}, {"koi8-r", 20866}, {"koi8-u", 21866}, {"ibm866", 866},
        {"macintosh", 10000}, {"x-mac-cyrillic", 10007}, {"shift_jis", 932}, {"euc-jp", 51932},
        {"iso-2022-jp", 50220}, {"gb2312", 936}, {"gbk", 936}, {"gb18030", 54936}, {"big5", 950},
        {"euc-kr", 51949}, {"ks_c_5601-1987", 949}, {"x-unknown", 0}, {NULL, 0},
    };
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++)
        ok(cv_charset_codepage(cps[i].label) == cps[i].cp, "codepage(%s) = %u\n",
           cps[i].label ? cps[i].label : "NULL", cv_charset_codepage(cps[i].label));

    static const struct {
        unsigned cp;
        const char *name;
    } back[] = {
        {65001, "UTF-8"}, {1200, "UTF-16LE"}, {1201, "UTF-16BE"}, {20127, "US-ASCII"},
        {28591, "ISO-8859-1"}, {28605, "ISO-8859-15"}, {1252, "windows-1252"},
        {1251, "windows-1251"}, {874, "windows-874"}, {20866, "KOI8-R"}, {21866, "KOI8-U"},
        {932, "Shift_JIS"}, {20932, "EUC-JP"}, {51932, "EUC-JP"}, {50220, "ISO-2022-JP"},
        {50221, "ISO-2022-JP"}, {50222, "ISO-2022-JP"}, {936, "GB2312"}, {54936, "GB18030"},
        {950, "Big5"}, {949, "ks_c_5601-1987"}, {51949, "EUC-KR"}, {38598, "ISO-8859-8-I"},
        {0, NULL}, {1, NULL}, {28600, NULL}, {65000, NULL}, {12345, NULL},
    };
    for (size_t i = 0; i < sizeof back / sizeof *back; i++) {
        const char *got = cv_charset_from_codepage(back[i].cp);
        ok(back[i].name ? got && strcmp(got, back[i].name) == 0 : got == NULL,
           "from_codepage(%u) = %s\n", back[i].cp, got ? got : "NULL");
    }
    /* Both ways: every code page a charset has names a charset with it. */
    for (size_t i = 0; i < N_CHARSETS; i++) {
        unsigned cp = cv_charset_codepage(all_charsets[i]);
        if (cp)
            ok(cv_charset_codepage(cv_charset_from_codepage(cp)) == cp, "%s: code page %u\n",
               all_charsets[i], cp);
    }
}

static void test_guess(void)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } g[] = {
        {B(""), "UTF-8"},
        {B("hello"), "UTF-8"},
        {B("caf\xc3\xa9"), "UTF-8"},
        {B("caf\xe9"), "windows-1252"},
        {B("Gr\xfc\xdf" "e aus M\xfcnchen"), "windows-1252"},
        {B("\x1b$B$3$s$K$A$O\x1b(B"), "ISO-2022-JP"},
        {B("\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd"), "Shift_JIS"},
        {B("\xa4\xb3\xa4\xf3\xa4\xcb\xa4\xc1\xa4\xcf"), "EUC-JP"},
        {B("\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0"), "windows-1251"},
        {B("\xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2"), "KOI8-R"},
        {B("\xbe\xc8\xb3\xe7\xc7\xcf\xbc\xbc\xbf\xe4"), "EUC-KR"},
        {B("\xc4\xe3\xba\xc3\xca\xc0\xbd\xe7"), "GBK"},
        {B("\xff\xfe\xfd"), "windows-1252"},
    };
    for (size_t i = 0; i < sizeof g / sizeof *g; i++) {
        const char *got = cv_charset_guess(g[i].in, g[i].len);
        ok(got && strcmp(got, g[i].want) == 0, "guess %u: %s, expected %s\n", (unsigned)i,
           got ? got : "NULL", g[i].want);
        ok(got && cv_charset_canonical(got) && strcmp(cv_charset_canonical(got), got) == 0,
           "guess %u: %s is a canonical name\n", (unsigned)i, got ? got : "NULL");
    }
    ok(strcmp(cv_charset_guess(NULL, 0), "UTF-8") == 0, "guess of nothing\n");
}

/* Every prefix of some nasty strings, and random bytes, in every charset:
 * valid UTF-8 comes out, the length is right, nothing crashes or hangs
 * (a loop that did not advance would time the test out). */
static void test_robust(void)
{
    static const struct {
        const char *s;
        size_t len;
    } nasty[] = {
        {B("\xef\xbb\xbf\x1b$B$\"\x1b(J\\\x1b(I1\x8f\xa1\xa1\x8e\xb1\xa4\xa2\x81\x30\x81\x30\xf0\x9f\x98\x80\xd8\x3d")},
        {B("\x94\x39\xfc\x36\x81\x30\x81 \xff\xfe\xfd\x80\x81\xa0\xfc\xfc\xc9\xa1")},
        {B("\xfe\xff\xd8\x00\x00\xed\xa0\x80\xc0\xaf\x1b\x1b$\x1b(")},
    };
    for (size_t c = 0; c < N_CHARSETS; c++) {
        int good = 1;
        for (size_t k = 0; k < sizeof nasty / sizeof *nasty; k++) {
            for (size_t n = 0; n <= nasty[k].len; n++) {
                char *out = NULL;
                size_t len = 0;
                if (cv_charset_decode(&out, &len, all_charsets[c], nasty[k].s, n) != 0 || !out ||
                    !utf8_ok(out, len))
                    good = 0;
                free(out);
                out = NULL;
                if (cv_charset_encode(&out, &len, all_charsets[c], nasty[k].s, n) != 0 || !out ||
                    out[len] != '\0')
                    good = 0;
                free(out);
            }
        }
        ok(good, "%s: prefixes\n", all_charsets[c]);
    }

    /* 64 KB of random bytes, then the same mostly high bytes */
    size_t n = 65536;
    unsigned char *r = malloc(n);
    if (!r)
        test_fatal("out of memory\n");
    uint32_t x = 12345;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            r[i] = (unsigned char)(x >> 16);
            if (round == 1)
                r[i] |= 0x80;
        }
        for (size_t c = 0; c < N_CHARSETS; c++) {
            char *out = NULL;
            size_t len = 0;
            ok(cv_charset_decode(&out, &len, all_charsets[c], r, n) == 0 && out && utf8_ok(out, len),
               "%s: random bytes (round %d)\n", all_charsets[c], round);
            /* and back: the encoder gets valid UTF-8 full of odd characters */
            char *enc = NULL;
            size_t elen = 0;
            ok(out && cv_charset_encode(&enc, &elen, all_charsets[c], out, len) == 0 && enc,
               "%s: encode of decoded random bytes\n", all_charsets[c]);
            free(enc);
            free(out);
            out = NULL;
            ok(cv_charset_encode(&out, &len, all_charsets[c], (const char *)r, n) == 0 && out,
               "%s: encode of random bytes\n", all_charsets[c]);
            free(out);
        }
    }
    free(r);
}

/* ---- threads: the same work at once gives the same answers ---- */

#define N_THREADS 4
#define N_ROUNDS 50

static const char *const thread_labels[] = {"Shift_JIS", "EUC-JP", "ISO-2022-JP", "GB18030",
                                            "Big5", "EUC-KR", "windows-1251", "UTF-16"};
#define N_THREAD_LABELS (sizeof thread_labels / sizeof *thread_labels)

static unsigned char thread_input[4096];
static char *thread_expect[N_THREAD_LABELS];
static size_t thread_expect_len[N_THREAD_LABELS];
static int thread_bad[N_THREADS];

static void thread_work(int id)
{
    for (int round = 0; round < N_ROUNDS; round++) {
        for (size_t k = 0; k < N_THREAD_LABELS; k++) {
            char *out = NULL;
            size_t len = 0;
            if (cv_charset_decode(&out, &len, thread_labels[k], thread_input, sizeof thread_input) != 0 ||
                !out || len != thread_expect_len[k] || memcmp(out, thread_expect[k], len) != 0)
                thread_bad[id]++;
            free(out);
        }
    }
}

#ifdef _WIN32
static DWORD WINAPI thread_main(LPVOID arg)
{
    thread_work((int)(intptr_t)arg);
    return 0;
}
#else
static void *thread_main(void *arg)
{
    thread_work((int)(intptr_t)arg);
    return NULL;
}
#endif

static void test_threads(void)
{
    uint32_t x = 99;
    for (size_t i = 0; i < sizeof thread_input; i++) {
        x = x * 1103515245u + 12345u;
        thread_input[i] = (unsigned char)(x >> 16);
    }
    for (size_t k = 0; k < N_THREAD_LABELS; k++)
        ok(cv_charset_decode(&thread_expect[k], &thread_expect_len[k], thread_labels[k],
                             thread_input, sizeof thread_input) == 0,
           "reference %s\n", thread_labels[k]);
#ifdef _WIN32
    HANDLE h[N_THREADS];
    for (int i = 0; i < N_THREADS; i++)
        h[i] = CreateThread(NULL, 0, thread_main, (LPVOID)(intptr_t)i, 0, NULL);
    for (int i = 0; i < N_THREADS; i++) {
        ok(h[i] != NULL, "thread %d started\n", i);
        if (h[i]) {
            WaitForSingleObject(h[i], INFINITE);
            CloseHandle(h[i]);
        }
    }
#else
    pthread_t t[N_THREADS];
    int started[N_THREADS];
    for (int i = 0; i < N_THREADS; i++)
        started[i] = pthread_create(&t[i], NULL, thread_main, (void *)(intptr_t)i) == 0;
    for (int i = 0; i < N_THREADS; i++) {
        ok(started[i], "thread %d started\n", i);
        if (started[i])
            pthread_join(t[i], NULL);
    }
#endif
    for (int i = 0; i < N_THREADS; i++)
        ok(thread_bad[i] == 0, "thread %d: %d wrong answers\n", i, thread_bad[i]);
    for (size_t k = 0; k < N_THREAD_LABELS; k++)
        free(thread_expect[k]);
}

int main(void)
{
    test_decode_cases();
    test_encode_cases();
    test_round_trip();
    test_names();
    test_codepages();
    test_guess();
    test_robust();
    test_threads();
    return test_done();
}
