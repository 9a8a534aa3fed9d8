/*
 * props_unicode.c: UTF-8 decoding, checking and copying, and the case- and
 * accent-insensitive comparison, matching and folding of strings used by
 * values, restrictions and sort orders. Tables: props_casefold.h, generated
 * by tools/gen-casefold.py.
 *
 * Invariant: every function reads at most len bytes, stops at a NUL, and
 * reads invalid UTF-8 as U+FFFD (maximal subparts, as the Unicode Standard
 * recommends in its chapter 3), so any byte string gives a defined result.
 * Folding streams code points and never allocates.
 * Never: trust input bytes, or depend on the C locale (no ctype.h, no wchar).
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>   /* x86-64 has it always (mingw too); others: the word loop */
#endif

#include "storage/props_int.h"
#include "storage/props_casefold.h"

#define FOLD_FLAGS (FL_IGNORECASE | FL_IGNORENONSPACE | FL_LOOSE)

/* ---- UTF-8 ---- */

/* Decodes at *pp; *bad set when the bytes were not a well-formed sequence. */
static uint32_t decode(const unsigned char **pp, const unsigned char *end, int *bad)
{
    const unsigned char *p = *pp;
    unsigned c = *p++;
    unsigned lo = 0x80, hi = 0xBF;
    uint32_t cp;
    int need;

    *bad = 0;
    if (c < 0x80) {
        *pp = p;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;          /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F;          /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;          /* no overlong forms */
        else if (c == 0xF4)
            hi = 0x8F;          /* nothing above U+10FFFF */
    } else {
        *pp = p;
        *bad = 1;
        return 0xFFFD;
    }
    while (need-- > 0) {
        if (p == end || *p < lo || *p > hi) {
            *pp = p;
            *bad = 1;
            return 0xFFFD;
        }
        cp = cp << 6 | (*p++ & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *pp = p;
    return cp;
}

uint32_t st__utf8_next(const unsigned char **p, const unsigned char *end)
{
    int bad;
    return decode(p, end, &bad);
}

size_t st__utf8_put(unsigned char out[4], uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | cp >> 18);
    out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Bytes before the first NUL in s[0..len). */
static size_t span(const char *s, size_t len)
{
    const char *nul = len ? memchr(s, 0, len) : NULL;
    return nul ? (size_t)(nul - s) : len;
}

/* The end of the run of ASCII bytes without NUL at p, 64 (SSE2), 32 then 8
 * bytes at a time, or a point before it (the byte-wise loop of st_utf8_valid
 * decides from there). A word w is all 0x01..0x7F iff
 * ~(w0|w1|..) & (w0+K) & (w1+K) & .. has 0x80 in every byte, K = 0x7F...:
 * adding 0x7F sets a byte's high bit iff it is not 0 and carries out of
 * no byte below 0x81; a byte with its own high bit set fails through the
 * OR (whatever it carried into the next). (bodies are mostly ASCII) */
static const unsigned char *ascii_run(const unsigned char *s, const unsigned char *p,
                                      const unsigned char *end)
{
    const uint64_t K = 0x7F7F7F7F7F7F7F7FULL, H = 0x8080808080808080ULL;
    uint64_t a, b, c, d;

#if defined(__SSE2__)
    /* 64 bytes a step: no byte with its high bit set (the OR of all) and
     * none equal to 0 (the OR of the compares) */
    const __m128i zero = _mm_setzero_si128();
    while (end - p >= 64) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)p);
        __m128i v1 = _mm_loadu_si128((const __m128i *)(p + 16));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(p + 32));
        __m128i v3 = _mm_loadu_si128((const __m128i *)(p + 48));
        __m128i hi = _mm_or_si128(_mm_or_si128(v0, v1), _mm_or_si128(v2, v3));
        __m128i nul = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v0, zero), _mm_cmpeq_epi8(v1, zero)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v2, zero), _mm_cmpeq_epi8(v3, zero)));
        if (_mm_movemask_epi8(_mm_or_si128(hi, nul)) != 0)
            break;
        p += 64;
    }
#endif
    while (end - p >= 32) {
        memcpy(&a, p, 8);
        memcpy(&b, p + 8, 8);
        memcpy(&c, p + 16, 8);
        memcpy(&d, p + 24, 8);
        if ((~(a | b | c | d) & (a + K) & (b + K) & (c + K) & (d + K) & H) != H)
            break;
        p += 32;
    }
    while (end - p >= 8) {
        memcpy(&a, p, 8);
        if ((~a & (a + K) & H) != H)
            return p;
        p += 8;
    }
    /* fewer than 8 left: the last 8 bytes of s[] as one word, when there
     * are 8 (those before p were checked already) */
    if (p < end && end - s >= 8) {
        memcpy(&a, end - 8, 8);
        if ((~a & (a + K) & H) == H)
            return end;
    }
    return p;
}

int st_utf8_valid(const char *s, size_t len)
{
    const unsigned char *b = (const unsigned char *)s, *p = b, *end = p + len;
    while (p < end) {
        int bad;
        p = ascii_run(b, p, end);
        while (p < end && (unsigned)(*p - 1) < 0x7F)   /* 0x01..0x7F up to a stopper */
            p++;
        if (p == end)
            break;
        if (*p == 0)
            return 0;
        decode(&p, end, &bad);
        if (bad)
            return 0;
    }
    return 1;
}

char *st__utf8_dup(const char *s, size_t len)
{
    const unsigned char *p, *end;
    size_t out_len = 0;
    unsigned char *out, *o;

    /* Valid means no NUL either: the span is all of it (the usual case,
     * so that is tried first). */
    if (st_utf8_valid(s, len) || st_utf8_valid(s, len = span(s, len))) {
        out = st__malloc(len + 1);
        if (!out)
            return NULL;
        memcpy(out, s, len);
        out[len] = 0;
        return (char *)out;
    }
    /* Two passes: measure, then copy with U+FFFD (3 bytes) for each bad part. */
    p = (const unsigned char *)s;
    end = p + len;
    while (p < end) {
        const unsigned char *q = p;
        int bad;
        decode(&p, end, &bad);
        out_len += bad ? 3 : (size_t)(p - q);
    }
    out = st__malloc(out_len + 1);
    if (!out)
        return NULL;
    o = out;
    p = (const unsigned char *)s;
    while (p < end) {
        const unsigned char *q = p;
        int bad;
        decode(&p, end, &bad);
        if (bad) {
            o += st__utf8_put(o, 0xFFFD);
        } else {
            memcpy(o, q, (size_t)(p - q));
            o += p - q;
        }
    }
    *o = 0;
    return (char *)out;
}

uint64_t st__utf16_units(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + strlen(s);
    uint64_t n = 0;
    while (p < end)
        n += st__utf8_next(&p, end) >= 0x10000 ? 2 : 1;
    return n;
}

/* ---- Code point tables ---- */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

uint32_t st__ucs_fold_simple(uint32_t cp)
{
    size_t lo = 0, hi = COUNT(st__cf_simple);
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    while (lo < hi) {                 /* first range with hi >= cp */
        size_t mid = lo + (hi - lo) / 2;
        if (st__cf_simple[mid].hi < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < COUNT(st__cf_simple)) {
        const st__cf_range *r = &st__cf_simple[lo];
        if (cp >= r->lo && (cp - r->lo) % r->stride == 0)
            return (uint32_t)((int32_t)cp + r->delta);
    }
    return cp;
}

size_t st__ucs_fold_full(uint32_t cp, uint32_t out[3])
{
    size_t lo = 0, hi = COUNT(st__cf_full);
    if (cp >= 0xDF) {
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (st__cf_full[mid].cp < cp)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < COUNT(st__cf_full) && st__cf_full[lo].cp == cp) {
            size_t n = 0;
            while (n < 3 && st__cf_full[lo].to[n])
                n++;
            memcpy(out, st__cf_full[lo].to, n * sizeof out[0]);
            return n;
        }
    }
    out[0] = st__ucs_fold_simple(cp);
    return 1;
}

int st__ucs_is_nonspacing(uint32_t cp)
{
    size_t lo = 0, hi = COUNT(st__cf_mn);
    if (cp < 0x300)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st__cf_mn[mid].hi < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < COUNT(st__cf_mn) && cp >= st__cf_mn[lo].lo;
}

uint32_t st__ucs_base(uint32_t cp)
{
    size_t lo = 0, hi = COUNT(st__cf_base);
    if (cp < 0xC0)
        return cp;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st__cf_base[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < COUNT(st__cf_base) && st__cf_base[lo].cp == cp)
        return st__cf_base[lo].to;
    return cp;
}

const char *st__unicode_version(void)
{
    return ST__UNICODE_VERSION;
}

/* ---- Folding iterator ---- */

typedef struct fold_it {
    const unsigned char *p;     /* next byte to decode */
    const unsigned char *end;   /* end of input (or its first NUL) */
    uint32_t flags;             /* FOLD_FLAGS bits */
    uint32_t pend[3];           /* rest of a full folding not yet returned */
    unsigned npend;             /* code points in pend */
    unsigned ipend;             /* next one of pend to return */
} fold_it;

static void it_init(fold_it *it, const char *s, size_t len, uint32_t flags)
{
    it->p = (const unsigned char *)s;
    it->end = it->p + len;
    it->flags = flags & FOLD_FLAGS;
    if (it->flags & FL_LOOSE)
        it->flags |= FL_IGNORECASE | FL_IGNORENONSPACE;
    it->npend = it->ipend = 0;
}

/* The next folded code point, or -1 at the end. */
static int32_t it_next(fold_it *it)
{
    if (it->ipend < it->npend)
        return (int32_t)it->pend[it->ipend++];
    for (;;) {
        uint32_t cp, full[3];
        size_t n, i, k;

        if (it->p >= it->end)
            return -1;
        cp = st__utf8_next(&it->p, it->end);
        if (cp == 0) {
            it->p = it->end;            /* a NUL ends the string */
            return -1;
        }
        if (cp < 0x80) {
            if ((it->flags & FL_IGNORECASE) && cp >= 'A' && cp <= 'Z')
                cp += 32;
            return (int32_t)cp;
        }
        if (it->flags & FL_IGNORENONSPACE) {
            if (st__ucs_is_nonspacing(cp))
                continue;
            cp = st__ucs_base(cp);
        }
        if (!(it->flags & FL_LOOSE)) {
            if (it->flags & FL_IGNORECASE)
                cp = st__ucs_fold_simple(cp);
            return (int32_t)cp;
        }
        n = st__ucs_fold_full(cp, full);
        for (i = k = 0; i < n; i++)     /* a folding may bring marks back */
            if (!st__ucs_is_nonspacing(full[i]))
                full[k++] = full[i];
        if (k == 0)
            continue;
        for (i = 1; i < k; i++)
            it->pend[i - 1] = full[i];
        it->npend = (unsigned)(k - 1);
        it->ipend = 0;
        return (int32_t)full[0];
    }
}

int st_utf8_collate(const char *a, size_t alen, const char *b, size_t blen, uint32_t flags)
{
    /* The common ASCII start, as it_next folds it, without the iterators
     * (every sort and GROUP BY on a text column comes here per row). */
    if ((flags & FOLD_FLAGS) == FL_IGNORECASE || (flags & FOLD_FLAGS) == 0) {
        size_t i = 0, n = alen < blen ? alen : blen;
        int fold = (flags & FL_IGNORECASE) != 0;
        for (; i < n; i++) {
            unsigned ca = (unsigned char)a[i], cb = (unsigned char)b[i];
            if (((ca | cb) & 0x80) || !ca || !cb)
                break;
            if (fold) {
                ca += ca - 'A' < 26u ? 32 : 0;
                cb += cb - 'A' < 26u ? 32 : 0;
            }
            if (ca != cb)
                return ca < cb ? -1 : 1;
        }
        a += i;
        alen -= i;
        b += i;
        blen -= i;
    }
    fold_it x, y;
    it_init(&x, a, alen, flags);
    it_init(&y, b, blen, flags);
    for (;;) {
        int32_t ca = it_next(&x), cb = it_next(&y);
        if (ca != cb)
            return ca < cb ? -1 : 1;    /* -1 (end) sorts first */
        if (ca < 0)
            return 0;
    }
}

int st_utf8_casecmp(const char *a, const char *b)
{
    return st_utf8_collate(a, strlen(a), b, strlen(b), FL_IGNORECASE);
}

/* 1 when pattern (a fresh iterator) is a prefix of what t has left. */
static int it_prefix(fold_it t, fold_it pat)
{
    for (;;) {
        int32_t pc = it_next(&pat);
        if (pc < 0)
            return 1;
        if (it_next(&t) != pc)
            return 0;
    }
}

/* Byte search for flags 0: on valid UTF-8 a byte match is a code point match. */
static int bytes_match(const char *t, size_t tlen, const char *p, size_t plen, uint32_t mode)
{
    size_t i;
    switch (mode) {
    case FL_FULLSTRING:
        return tlen == plen && memcmp(t, p, plen) == 0;
    case FL_PREFIX:
        return tlen >= plen && memcmp(t, p, plen) == 0;
    default:
        if (plen == 0)
            return 1;
        for (i = 0; i + plen <= tlen; i++) {
            const char *hit = memchr(t + i, p[0], tlen - plen - i + 1);
            if (!hit)
                return 0;
            i = (size_t)(hit - t);
            if (memcmp(hit, p, plen) == 0)
                return 1;
        }
        return 0;
    }
}

int st_utf8_match(const char *text, size_t tlen, const char *pattern, size_t plen, uint32_t fuzzy)
{
    uint32_t mode = fuzzy & 0xFFFF;
    fold_it t, p;

    if (mode != FL_FULLSTRING && mode != FL_PREFIX && mode != FL_SUBSTRING)
        return -1;
    tlen = span(text, tlen);
    plen = span(pattern, plen);
    if (!(fuzzy & FOLD_FLAGS))
        return bytes_match(text, tlen, pattern, plen, mode);
    if (mode == FL_FULLSTRING)
        return st_utf8_collate(text, tlen, pattern, plen, fuzzy) == 0;
    it_init(&t, text, tlen, fuzzy);
    it_init(&p, pattern, plen, fuzzy);
    if (mode == FL_PREFIX)
        return it_prefix(t, p);
    for (;;) {                          /* every start, also mid-expansion */
        if (it_prefix(t, p))
            return 1;
        if (it_next(&t) < 0)
            return 0;
    }
}

size_t st_utf8_fold(char *out, size_t size, const char *s, size_t len, uint32_t flags)
{
    fold_it it;
    size_t total = 0;
    int full = size == 0;
    int32_t cp;

    it_init(&it, s, span(s, len), flags);
    while ((cp = it_next(&it)) >= 0) {
        unsigned char buf[4];
        size_t n = st__utf8_put(buf, (uint32_t)cp);
        if (!full && total + n < size)
            memcpy(out + total, buf, n);
        else if (!full) {
            out[total] = 0;             /* cut at a character boundary */
            full = 1;
        }
        total += n;
    }
    if (!full)
        out[total] = 0;
    return total;
}
