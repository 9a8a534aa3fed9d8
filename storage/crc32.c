/*
 * crc32.c: st_crc32, the CRC-32 of every property blob (IEEE 802.3,
 * reflected, the value zlib's crc32 gives).
 *
 * Every blob written or read is checked whole, bodies included: a synced
 * message of 4 KB is one blob, so the CRC is a visible share of an import.
 * On x86-64 CPUs with PCLMULQDQ (every one since 2010) buffers of 64 bytes
 * and more are folded 64 bytes at a time by carry-less multiplication, the
 * method of Intel's white paper "Fast CRC Computation for Generic
 * Polynomials Using PCLMULQDQ Instruction" (2009): four 128-bit lanes folded
 * forward by x^(512+-32) mod P, folded into one, reduced to 64 and 32 bits
 * and finished by a Barrett reduction; the tail (under 16 bytes) and short
 * buffers go to zlib. Elsewhere (another CPU, another compiler) zlib does
 * all of it. test_crc32 checks both paths against zlib on every length and
 * alignment that matters.
 *
 * Invariant: st_crc32(st_crc32(0, a), b) == st_crc32(0, a || b), as zlib.
 * Never: read a byte outside [data, data + len).
 */
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "storage/storage_int.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <emmintrin.h>
#include <wmmintrin.h>
#define ST_CRC_CLMUL 1

/* The folding constants for P = 0x104C11DB7, bit-reflected, as the white
 * paper gives them: k1/k2 fold across 4 lanes (x^(4*128+32), x^(4*128-32)
 * mod P), k3/k4 across one (x^(128+32), x^(128-32)), k5 64 to 32 bits
 * (x^64), and P' and mu the Barrett pair. */
#define K1 0x154442bd4ULL
#define K2 0x1c6e41596ULL
#define K3 0x1751997d0ULL
#define K4 0x0ccaa009eULL
#define K5 0x163cd6124ULL
#define P_X 0x1db710641ULL
#define MU 0x1f7011641ULL

__attribute__((target("pclmul,sse2")))
static __m128i fold(__m128i x, __m128i k, __m128i next)
{
    __m128i lo = _mm_clmulepi64_si128(x, k, 0x00);
    __m128i hi = _mm_clmulepi64_si128(x, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

/* The CRC register (not inverted) over n bytes, n >= 64 and a multiple of
 * 16. */
__attribute__((target("pclmul,sse2")))
static uint32_t clmul_blocks(uint32_t reg, const uint8_t *p, size_t n)
{
    __m128i x0 = _mm_loadu_si128((const __m128i *)p);
    __m128i x1 = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(p + 48));
    x0 = _mm_xor_si128(x0, _mm_cvtsi32_si128((int)reg));
    p += 64;
    n -= 64;
    const __m128i k12 = _mm_set_epi64x((long long)K2, (long long)K1);
    while (n >= 64) {
        x0 = fold(x0, k12, _mm_loadu_si128((const __m128i *)p));
        x1 = fold(x1, k12, _mm_loadu_si128((const __m128i *)(p + 16)));
        x2 = fold(x2, k12, _mm_loadu_si128((const __m128i *)(p + 32)));
        x3 = fold(x3, k12, _mm_loadu_si128((const __m128i *)(p + 48)));
        p += 64;
        n -= 64;
    }
    const __m128i k34 = _mm_set_epi64x((long long)K4, (long long)K3);
    x0 = fold(x0, k34, x1);
    x0 = fold(x0, k34, x2);
    x0 = fold(x0, k34, x3);
    while (n >= 16) {
        x0 = fold(x0, k34, _mm_loadu_si128((const __m128i *)p));
        p += 16;
        n -= 16;
    }
    /* 128 -> 64 bits: the low half times k4, plus the high half */
    x0 = _mm_xor_si128(_mm_clmulepi64_si128(x0, k34, 0x10), _mm_srli_si128(x0, 8));
    /* 64 -> 32 bits: the low 32 bits times k5, plus the rest */
    const __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);
    const __m128i k5 = _mm_set_epi64x(0, (long long)K5);
    x0 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x0, mask32), k5, 0x00),
                       _mm_srli_si128(x0, 4));
    /* Barrett: q = (low 32 bits * mu) low 32 bits; crc = (x ^ q * P') >> 32 */
    const __m128i pmu = _mm_set_epi64x((long long)MU, (long long)P_X);
    __m128i q = _mm_clmulepi64_si128(_mm_and_si128(x0, mask32), pmu, 0x10);
    q = _mm_clmulepi64_si128(_mm_and_si128(q, mask32), pmu, 0x00);
    x0 = _mm_xor_si128(x0, q);
    return (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(x0, 4));
}

static int have_clmul(void)
{
    static _Atomic int known = -1;   /* every thread that races here finds the same */
    int k = known;
    if (k < 0) {
        __builtin_cpu_init();
        known = k = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2");
    }
    return k;
}
#endif

/* zlib's crc32 over any length (its length is an unsigned int). */
uint32_t st_crc32__zlib(uint32_t crc, const void *data, size_t len)
{
    const Bytef *p = data;
    uLong c = crc;
    while (len > 0) {
        uInt n = len > 0x40000000u ? 0x40000000u : (uInt)len;
        c = crc32(c, p, n);
        p += n;
        len -= n;
    }
    return (uint32_t)c;
}

uint32_t st_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
#ifdef ST_CRC_CLMUL
    if (len >= 64 && have_clmul()) {
        size_t n = len & ~(size_t)15;
        crc = ~clmul_blocks(~crc, p, n);
        p += n;
        len -= n;
    }
#endif
    return st_crc32__zlib(crc, p, len);
}
