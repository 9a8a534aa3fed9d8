/*
 * utf8_check.h: the tests' own UTF-8 oracle, written apart from the
 * converters it checks (test_charset.c, test_charset_corpus.c and
 * test/fuzz/fuzz_charset.c share it).
 *
 * Header-only, like testutil.h. Invariant: reads s[0..len] and nothing
 * else. Never: call the code under test.
 */
#ifndef MAPIDAV_TEST_UTF8_CHECK_H
#define MAPIDAV_TEST_UTF8_CHECK_H

#include <stddef.h>

/* Well-formed UTF-8 (U+0000 allowed), NUL-terminated at len: no overlong
 * form, no surrogate, nothing above U+10FFFF. */
static inline int utf8_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[len] != 0)
        return 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        size_t need = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2
                    : c >= 0xF0 && c <= 0xF4 ? 3 : 4;
        if (need == 4 || len - i <= need)
            return 0;
        for (size_t k = 1; k <= need; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
        if ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] > 0x9F) ||
            (c == 0xF0 && p[i + 1] < 0x90) || (c == 0xF4 && p[i + 1] > 0x8F))
            return 0;
        i += need + 1;
    }
    return 1;
}

#endif /* MAPIDAV_TEST_UTF8_CHECK_H */
