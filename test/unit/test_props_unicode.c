/*
 * test_props_unicode.c: UTF-8 checking and decoding, the generated case-fold
 * tables (spot checks across scripts and whole-range invariants), collation,
 * matching and folding into a buffer.
 */
#include <string.h>

#include "storage/props_int.h"
#include "testutil.h"

static void test_fold_tables(void)
{
    static const struct { uint32_t cp, fold; const char *what; } simple[] = {
        {0x0041, 0x0061, "Latin A"}, {0x005A, 0x007A, "Latin Z"}, {0x0061, 0x0061, "a"},
        {0x00C4, 0x00E4, "Ä"}, {0x00DE, 0x00FE, "Þ"}, {0x00DF, 0x00DF, "ß stays (simple)"},
        {0x00B5, 0x03BC, "micro sign"}, {0x0100, 0x0101, "Ā"}, {0x0101, 0x0101, "ā"},
        {0x012E, 0x012F, "Į"}, {0x0130, 0x0130, "İ has no simple folding"},
        {0x0131, 0x0131, "dotless ı"}, {0x017F, 0x0073, "long s"}, {0x01C4, 0x01C6, "Ǆ"},
        {0x01C5, 0x01C6, "ǅ titlecase"}, {0x023A, 0x2C65, "Ⱥ grows in UTF-8"},
        {0x1E9E, 0x00DF, "capital sharp s"}, {0x1E00, 0x1E01, "Ḁ"},
        {0x0391, 0x03B1, "Greek Α"}, {0x03A3, 0x03C3, "Σ"}, {0x03C2, 0x03C3, "final ς"},
        {0x03A9, 0x03C9, "Ω"}, {0x2126, 0x03C9, "Ohm sign"}, {0x0386, 0x03AC, "Ά"},
        {0x03F4, 0x03B8, "ϴ"}, {0x1F88, 0x1F80, "ᾈ (status S)"},
        {0x0414, 0x0434, "Cyrillic Д"}, {0x0401, 0x0451, "Ё"}, {0x0460, 0x0461, "Ѡ"},
        {0x04C0, 0x04CF, "Ӏ"}, {0x0531, 0x0561, "Armenian Ա"}, {0x0556, 0x0586, "Armenian Ֆ"},
        {0x10A0, 0x2D00, "Georgian Ⴀ"}, {0x1C90, 0x10D0, "Georgian Mtavruli Ა"},
        {0x13F8, 0x13F0, "Cherokee ᏸ folds to upper"}, {0xAB70, 0x13A0, "Cherokee ꭰ"},
        {0x212A, 0x006B, "Kelvin sign"}, {0x212B, 0x00E5, "Angstrom sign"},
        {0xFF21, 0xFF41, "fullwidth Ａ"}, {0x10400, 0x10428, "Deseret 𐐀"},
        {0x10428, 0x10428, "Deseret 𐐨"}, {0x1E900, 0x1E922, "Adlam 𞤀"},
        {0x104B0, 0x104D8, "Osage"}, {0x4E00, 0x4E00, "CJK"}, {0x10FFFF, 0x10FFFF, "max"},
    };
    uint32_t out[3];
    size_t k, n;

    for (k = 0; k < sizeof simple / sizeof simple[0]; k++)
        ok(st__ucs_fold_simple(simple[k].cp) == simple[k].fold, "%s: U+%04X -> U+%04X\n",
           simple[k].what, (unsigned)simple[k].cp, (unsigned)st__ucs_fold_simple(simple[k].cp));

    n = st__ucs_fold_full(0x00DF, out);
    ok(n == 2 && out[0] == 's' && out[1] == 's', "ß -> ss\n");
    n = st__ucs_fold_full(0x1E9E, out);
    ok(n == 2 && out[0] == 's' && out[1] == 's', "ẞ -> ss\n");
    n = st__ucs_fold_full(0xFB01, out);
    ok(n == 2 && out[0] == 'f' && out[1] == 'i', "ﬁ -> fi\n");
    n = st__ucs_fold_full(0x0130, out);
    ok(n == 2 && out[0] == 'i' && out[1] == 0x0307, "İ -> i + dot\n");
    n = st__ucs_fold_full(0x0390, out);
    ok(n == 3 && out[0] == 0x03B9 && out[1] == 0x0308 && out[2] == 0x0301, "ΐ\n");
    n = st__ucs_fold_full(0x0587, out);
    ok(n == 2 && out[0] == 0x0565 && out[1] == 0x0582, "Armenian և\n");
    n = st__ucs_fold_full(0x0149, out);
    ok(n == 2 && out[0] == 0x02BC && out[1] == 'n', "ŉ\n");
    n = st__ucs_fold_full('Q', out);
    ok(n == 1 && out[0] == 'q', "Q full\n");
    n = st__ucs_fold_full(0x0414, out);
    ok(n == 1 && out[0] == 0x0434, "Д full = simple\n");

    ok(st__ucs_is_nonspacing(0x0301) && st__ucs_is_nonspacing(0x0300) &&
       st__ucs_is_nonspacing(0x0345) && st__ucs_is_nonspacing(0x3099) &&
       st__ucs_is_nonspacing(0x1AB0) && st__ucs_is_nonspacing(0xE0100), "nonspacing marks\n");
    ok(!st__ucs_is_nonspacing('a') && !st__ucs_is_nonspacing(0x20DD) &&
       !st__ucs_is_nonspacing(0x0903) && !st__ucs_is_nonspacing(0x00E9), "not nonspacing\n");

    ok(st__ucs_base(0x00E9) == 'e' && st__ucs_base(0x00C5) == 'A' && st__ucs_base(0x212B) == 'A' &&
       st__ucs_base(0x01FB) == 'a' && st__ucs_base(0x00E4) == 'a' && st__ucs_base(0x1E9B) == 0x017F,
       "Latin bases\n");
    ok(st__ucs_base(0x304C) == 0x304B && st__ucs_base(0x2260) == '=' && st__ucs_base(0x0390) == 0x03B9 &&
       st__ucs_base(0x0419) == 0x0418, "other bases\n");
    ok(st__ucs_base(0x2126) == 0x2126 && st__ucs_base('e') == 'e' && st__ucs_base(0xAC00) == 0xAC00,
       "no base: singleton, plain, Hangul\n");
    ok(!strcmp(st__unicode_version(), "14.0.0"), "Unicode %s\n", st__unicode_version());
}

/* Invariants over every code point. */
static void test_whole_range(void)
{
    uint32_t cp, bad_idem = 0, bad_base = 0, bad_utf8 = 0, bad_full = 0, n_folded = 0;

    for (cp = 0; cp <= 0x10FFFF; cp++) {
        uint32_t f, b, full[3];
        unsigned char buf[4];
        const unsigned char *p = buf;
        size_t len, n;

        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        f = st__ucs_fold_simple(cp);
        n_folded += f != cp;
        if (st__ucs_fold_simple(f) != f || f > 0x10FFFF || (f >= 0xD800 && f <= 0xDFFF))
            bad_idem++;
        b = st__ucs_base(cp);
        if (st__ucs_base(b) != b || st__ucs_is_nonspacing(b) != (b == cp && st__ucs_is_nonspacing(cp)))
            bad_base++;
        n = st__ucs_fold_full(cp, full);
        if (n == 1 && full[0] != f)
            bad_full++;
        len = st__utf8_put(buf, cp);
        if (st__utf8_next(&p, buf + len) != cp || p != buf + len ||
            st_utf8_valid((char *)buf, len) != (cp != 0))
            bad_utf8++;
    }
    ok(n_folded == 1454, "%u code points fold\n", (unsigned)n_folded);
    ok(bad_idem == 0, "simple folding not idempotent for %u\n", (unsigned)bad_idem);
    ok(bad_base == 0, "base not stable for %u\n", (unsigned)bad_base);
    ok(bad_full == 0, "full folding disagrees with simple for %u\n", (unsigned)bad_full);
    ok(bad_utf8 == 0, "UTF-8 round trip failed for %u\n", (unsigned)bad_utf8);
}

static void test_utf8(void)
{
    static const struct { const char *s; size_t len; int valid; } cases[] = {
        {"", 0, 1}, {"abc", 3, 1}, {"\xC3\xA9", 2, 1}, {"\xEF\xBF\xBD", 3, 1},
        {"\xF0\x9F\x98\x80", 4, 1}, {"\xF4\x8F\xBF\xBF", 4, 1},
        {"\xC0\x80", 2, 0}, {"\xC1\xBF", 2, 0}, {"\xE0\x80\x80", 3, 0}, {"\xED\xA0\x80", 3, 0},
        {"\xF4\x90\x80\x80", 4, 0}, {"\xF5\x80\x80\x80", 4, 0}, {"\xF8\x88\x80\x80\x80", 5, 0},
        {"\xE2\x82", 2, 0}, {"\x80", 1, 0}, {"abc\0def", 7, 0},
    };
    static const struct { const char *in; const char *out; } fix[] = {
        {"\xE2\x82" "A", "\xEF\xBF\xBD" "A"},                   /* one FFFD for E2 82 */
        {"\xF0\x9F\x98", "\xEF\xBF\xBD"},                       /* truncated at the end */
        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},                 /* C0 never starts one */
        {"\xE0\x80\xBF", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* overlong: E0 alone */
        {"\xF1\x80\x80\xE1\x80\xC2", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"a\xFF" "b", "a\xEF\xBF\xBD" "b"},
        {"ok", "ok"},
    };
    size_t k;

    for (k = 0; k < sizeof cases / sizeof cases[0]; k++)
        ok(st_utf8_valid(cases[k].s, cases[k].len) == cases[k].valid, "valid case %zu\n", k);
    for (k = 0; k < sizeof fix / sizeof fix[0]; k++) {
        char *d = st__utf8_dup(fix[k].in, strlen(fix[k].in));
        ok(d && !strcmp(d, fix[k].out), "sanitise case %zu: %s\n", k, d ? d : "(null)");
        st__free(d);
    }
    {
        char *d = st__utf8_dup("ab\0cd", 5);
        ok(d && !strcmp(d, "ab"), "dup stops at NUL\n");
        st__free(d);
    }
    ok(st__utf16_units("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == 5, "UTF-16 units\n");
}

/* st_utf8_valid's word-wise fast path against a byte-wise reference: a
 * stopper (bad byte, NUL, edges 0x7F/0x80/0x81, a valid or cut multibyte
 * sequence) at every offset of ASCII runs of every length around 8, 32, 64. */
static int utf8_valid_ref(const unsigned char *p, size_t len)
{
    const unsigned char *end = p + len;
    while (p < end) {
        if (*p == 0)
            return 0;
        if (*p < 0x80) {
            p++;
            continue;
        }
        const unsigned char *q = p;
        if (st__utf8_next(&p, end) == 0xFFFD
            && !(p - q == 3 && q[0] == 0xEF && q[1] == 0xBF && q[2] == 0xBD))
            return 0;
    }
    return 1;
}

static void test_utf8_fast_path(void)
{
    static const char *const stop[] = { "\x80", "\x81", "\xFF", "\x7F", "\x01",
                                        "\xC3\xA9", "\xEF\xBF\xBD", "\xF0\x9F\x98\x80",
                                        "\xE2\x82", "\xC3" };
    unsigned char buf[160];
    unsigned bad = 0, n = 0;

    for (size_t len = 0; len <= 140; len++)
        for (size_t at = 0; at <= len; at++)
            for (size_t k = 0; k <= sizeof stop / sizeof stop[0]; k++) {
                memset(buf, 'a', sizeof buf);
                if (k < sizeof stop / sizeof stop[0]) {
                    size_t sl = strlen(stop[k]);
                    if (at + sl > len)
                        continue;
                    memcpy(buf + at, stop[k], sl);
                } else if (at < len) {
                    buf[at] = 0;   /* the NUL case */
                } else {
                    continue;
                }
                /* and again with a stray 0x80 as the last byte */
                n++;
                bad += st_utf8_valid((char *)buf, len) != utf8_valid_ref(buf, len);
                buf[len ? len - 1 : 0] = len ? 0x80 : buf[0];
                bad += st_utf8_valid((char *)buf, len) != utf8_valid_ref(buf, len);
            }
    ok(n > 10000 && bad == 0, "fast path agrees with the byte-wise check (%u of %u cases)\n", bad,
       n);
    /* every single byte value at every offset of a 40-byte ASCII run */
    bad = 0;
    for (unsigned c = 0; c < 256; c++)
        for (size_t at = 0; at < 40; at++) {
            memset(buf, 'z', 40);
            buf[at] = (unsigned char)c;
            bad += st_utf8_valid((char *)buf, 40) != (c >= 1 && c < 0x80);
        }
    ok(bad == 0, "one byte at each offset (%u wrong)\n", bad);
}

static void test_collate(void)
{
    ok(st_utf8_casecmp("ÄRGER", "ärger") == 0, "ÄRGER == ärger\n");
    ok(st_utf8_casecmp("ΣΑΣ", "σας") == 0, "Greek final sigma\n");
    ok(st_utf8_casecmp("ДОМ", "дом") == 0, "Cyrillic\n");
    ok(st_utf8_casecmp("\u0531\u0550\u0535\u054E", "\u0561\u0580\u0565\u057E") == 0, "Armenian\n");
    ok(st_utf8_casecmp("\xF0\x90\x90\x80", "\xF0\x90\x90\xA8") == 0, "Deseret\n");
    ok(st_utf8_casecmp("apple", "Banana") < 0 && st_utf8_casecmp("Banana", "apple") > 0, "order\n");
    ok(st_utf8_casecmp("", "a") < 0 && st_utf8_casecmp("a", "") > 0 && st_utf8_casecmp("", "") == 0,
       "empty\n");
    ok(st_utf8_casecmp("ab", "abc") < 0, "prefix first\n");
    ok(st_utf8_casecmp("STRASSE", "straße") < 0, "simple folding: s < ß\n");
    ok(st_utf8_collate("STRASSE", 7, "straße", 7, FL_LOOSE) == 0, "loose: ß == ss\n");
    ok(st_utf8_collate("resume", 6, "Résumé", 8, FL_IGNORECASE) != 0, "accents matter\n");
    ok(st_utf8_collate("resume", 6, "Résumé", 8, FL_LOOSE) == 0, "loose: résumé\n");
    ok(st_utf8_collate("Resume", 6, "Résumé", 8, FL_IGNORENONSPACE) == 0, "nonspace\n");
    ok(st_utf8_collate("resume", 6, "Résumé", 8, FL_IGNORENONSPACE) != 0, "nonspace keeps case\n");
    ok(st_utf8_collate("e\xCC\x81", 3, "\xC3\xA9", 2, 0) != 0, "no normalisation by default\n");
    ok(st_utf8_collate("e\xCC\x81", 3, "\xC3\xA9", 2, FL_IGNORENONSPACE) == 0, "decomposed\n");
    ok(st_utf8_collate("\xC4\xB0", 2, "i", 1, FL_IGNORECASE) != 0, "İ != i (simple)\n");
    ok(st_utf8_collate("\xC4\xB0", 2, "i", 1, FL_LOOSE) == 0, "İ == i (loose)\n");
    ok(st_utf8_collate("ab\0cd", 5, "ab", 2, 0) == 0, "NUL ends the string\n");
    ok(st_utf8_collate("abc", 2, "ab", 2, 0) == 0, "length bounds\n");
    ok(st_utf8_collate("\xFF", 1, "\xEF\xBF\xBD", 3, 0) == 0, "invalid reads as U+FFFD\n");
    ok(st_utf8_collate("z", 1, "\xC3\xA9", 2, 0) < 0, "code point order\n");
    ok(st_utf8_collate("\xEF\xBF\xBF", 3, "\xF0\x90\x80\x80", 4, 0) < 0, "BMP before astral\n");
}

static void test_match(void)
{
    const char *t = "Hauptstraße 5";
#define M(text, pat, fuzzy) st_utf8_match((text), strlen(text), (pat), strlen(pat), (fuzzy))
    ok(M(t, "Hauptstraße 5", FL_FULLSTRING) == 1, "full\n");
    ok(M(t, "hauptstraße 5", FL_FULLSTRING) == 0, "full case\n");
    ok(M(t, "HAUPTSTRASSE 5", FL_FULLSTRING | FL_LOOSE) == 1, "full loose\n");
    ok(M(t, "Haupt", FL_PREFIX) == 1 && M(t, "haupt", FL_PREFIX) == 0, "prefix\n");
    ok(M(t, "HAUPT", FL_PREFIX | FL_IGNORECASE) == 1, "prefix case\n");
    ok(M(t, "straße", FL_SUBSTRING) == 1 && M(t, "STRAẞE", FL_SUBSTRING | FL_IGNORECASE) == 1,
       "substring\n");
    ok(M(t, "strasse", FL_SUBSTRING | FL_IGNORECASE) == 0, "ß is not ss (simple)\n");
    ok(M(t, "se 5", FL_SUBSTRING | FL_LOOSE) == 1, "inside an expansion\n");
    ok(M("ß", "s", FL_PREFIX | FL_LOOSE) == 1, "prefix ends inside an expansion\n");
    ok(M(t, "", FL_SUBSTRING) == 1 && M(t, "", FL_PREFIX) == 1 && M("", "", FL_FULLSTRING) == 1,
       "empty pattern\n");
    ok(M("", "a", FL_SUBSTRING | FL_IGNORECASE) == 0 && M("", "a", FL_SUBSTRING) == 0, "empty text\n");
    ok(M(t, "5 ", FL_SUBSTRING) == 0 && M(t, " 5", FL_SUBSTRING) == 1, "end\n");
    ok(M("aaaaaaab", "aaab", FL_SUBSTRING) == 1 && M("aaaaaaab", "AAAB", FL_SUBSTRING | FL_IGNORECASE) == 1,
       "backtracking\n");
    ok(M("Crème brûlée", "creme brulee", FL_SUBSTRING | FL_LOOSE) == 1, "loose accents\n");
    ok(M("Crème brûlée", "Creme", FL_PREFIX | FL_IGNORENONSPACE) == 1, "nonspace prefix\n");
    ok(M(t, "x", 3) == -1 && M(t, "x", 0xFFFF) == -1, "unknown mode\n");
    ok(st_utf8_match("abc\0xyz", 7, "xyz", 3, FL_SUBSTRING) == 0, "NUL ends the text\n");
    ok(st_utf8_match("abc\0xyz", 7, "XYZ", 3, FL_SUBSTRING | FL_IGNORECASE) == 0, "NUL, folded\n");
    ok(st_utf8_match("abcdef", 3, "def", 3, FL_SUBSTRING) == 0, "length bounds\n");
#undef M
}

static void test_fold_buffer(void)
{
    char buf[64];
    size_t n;

    n = st_utf8_fold(buf, sizeof buf, "ÄRGER", strlen("ÄRGER"), FL_IGNORECASE);
    ok(n == 6 && !strcmp(buf, "ärger"), "fold: %s\n", buf);
    n = st_utf8_fold(buf, sizeof buf, "Straße Résumé İ", strlen("Straße Résumé İ"), FL_LOOSE);
    ok(!strcmp(buf, "strasse resume i") && n == strlen(buf), "loose fold: %s\n", buf);
    n = st_utf8_fold(buf, sizeof buf, "Re\xCC\x81sume\xCC\x81", 10, FL_IGNORENONSPACE);
    ok(!strcmp(buf, "Resume") && n == 6, "strip marks: %s\n", buf);
    n = st_utf8_fold(buf, sizeof buf, "\xC8\xBA", 2, FL_IGNORECASE);
    ok(n == 3 && !strcmp(buf, "\xE2\xB1\xA5"), "folding can grow\n");
    n = st_utf8_fold(buf, 4, "ärger", strlen("ärger"), FL_IGNORECASE);
    ok(n == 6 && !strcmp(buf, "är"), "cut: %s (%zu)\n", buf, n);
    n = st_utf8_fold(buf, 3, "a\xC3\xA9", 3, 0);
    ok(n == 3 && !strcmp(buf, "a"), "cut before a 2-byte character\n");
    n = st_utf8_fold(NULL, 0, "abc", 3, 0);
    ok(n == 3, "size 0 measures\n");
    n = st_utf8_fold(buf, 1, "abc", 3, 0);
    ok(n == 3 && buf[0] == 0, "size 1\n");
    n = st_utf8_fold(buf, sizeof buf, "a\xFF", 2, 0);
    ok(n == 4 && !strcmp(buf, "a\xEF\xBF\xBD"), "fold sanitises\n");
    /* Folded keys agree with the collation. */
    {
        static const char *pairs[][2] = {
            {"ÄRGER", "ärger"}, {"STRASSE", "straße"}, {"Résumé", "resume"}, {"ΣΑΣ", "σας"},
        };
        static const uint32_t flags[] = {0, FL_IGNORECASE, FL_IGNORENONSPACE, FL_LOOSE};
        size_t i, f;
        int agree = 1;
        for (i = 0; i < 4; i++) {
            for (f = 0; f < 4; f++) {
                char a[64], b[64];
                st_utf8_fold(a, sizeof a, pairs[i][0], strlen(pairs[i][0]), flags[f]);
                st_utf8_fold(b, sizeof b, pairs[i][1], strlen(pairs[i][1]), flags[f]);
                if ((strcmp(a, b) == 0) != (st_utf8_collate(pairs[i][0], strlen(pairs[i][0]),
                        pairs[i][1], strlen(pairs[i][1]), flags[f]) == 0))
                    agree = 0;
            }
        }
        ok(agree, "fold and collate agree\n");
    }
}

/* st_utf8_collate (with its ASCII fast start) agrees with comparing the
 * folded strings byte by byte, on random mixes of ASCII, case pairs,
 * non-ASCII letters and NULs. */
static void test_collate_random(void)
{
    static const char *const parts[] = { "a", "A", "z", "Z", "_", " ", "0", "\xc3\xa4",
        "\xc3\x84", "\xc3\x9f", "\xce\xa3", "\xcf\x83", "\xe2\x82\xac", "\0", "b", "B" };
    uint32_t seed = 12345;
    int bad = 0;
    for (int t = 0; t < 20000; t++) {
        char x[64], y[64];
        size_t xl = 0, yl = 0;
        for (int side = 0; side < 2; side++) {
            char *buf = side ? y : x;
            size_t *len = side ? &yl : &xl;
            seed = seed * 1103515245u + 12345u;
            int n = (int)(seed >> 16) % 8;
            for (int k = 0; k < n; k++) {
                seed = seed * 1103515245u + 12345u;
                const char *pp = parts[(seed >> 16) % 16];
                size_t pl = pp[0] ? strlen(pp) : 1;
                memcpy(buf + *len, pp, pl);
                *len += pl;
            }
        }
        if (t % 3 == 0) {   /* share a start */
            memcpy(y, x, xl < 8 ? xl : 8);
            if (yl < (xl < 8 ? xl : 8))
                yl = xl < 8 ? xl : 8;
        }
        for (int f = 0; f < 2; f++) {
            uint32_t flags = f ? FL_IGNORECASE : 0;
            char fx[256], fy[256];
            size_t nx = st_utf8_fold(fx, sizeof fx, x, xl, flags);
            size_t ny = st_utf8_fold(fy, sizeof fy, y, yl, flags);
            int ref = memcmp(fx, fy, nx < ny ? nx : ny);
            if (!ref)
                ref = nx < ny ? -1 : nx > ny;
            ref = ref < 0 ? -1 : ref > 0;
            int got = st_utf8_collate(x, xl, y, yl, flags);
            got = got < 0 ? -1 : got > 0;
            bad += got != ref;
        }
    }
    ok(bad == 0, "collate agrees with the folded bytes: %d differ\n", bad);
}

int main(void)
{
    test_fold_tables();
    test_whole_range();
    test_utf8();
    test_utf8_fast_path();
    test_collate();
    test_collate_random();
    test_match();
    test_fold_buffer();
    return test_done();
}
