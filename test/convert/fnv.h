/*
 * fnv.h: 64-bit FNV-1a, the fingerprint the charset tests compare whole
 * converted outputs by (test_charset_tables.c, test_charset_corpus.c).
 *
 * Header-only, like testutil.h. Invariant: the constants are FNV's; an
 * expected value recorded in a test depends on them. Never: change them.
 */
#ifndef MAPIDAV_TEST_FNV_H
#define MAPIDAV_TEST_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV_START 0xcbf29ce484222325ull

/* h extended by the n bytes at p. */
static inline uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#endif /* MAPIDAV_TEST_FNV_H */
