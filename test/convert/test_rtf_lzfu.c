/*
 * test_rtf_lzfu.c: compressed RTF ([MS-OXRTFCP]) both ways: the spec's worked
 * examples as literal bytes (decoding them, and the compressor writing them
 * byte for byte), the CRC, the MELA form, compress/decompress round trips on
 * generated data (random, runs, RTF-like, across the 4096-byte window), and
 * hostile headers: cut content, wrong CRC, lying sizes, a bomb against the
 * output limit. The corpus is test_rtf_corpus's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "storage/error.h"
#include "testutil.h"

/* [MS-OXRTFCP] 3.1.1 / 3.2: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n". */
static const uint8_t spec1[] = {
    0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7,
    0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
    0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f,
    0xa0,
};
static const char spec1_rtf[] = "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n";

/* [MS-OXRTFCP] 3.1.2: a reference that reads across the write position. */
static const uint8_t spec2[] = {
    0x1a, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xe2, 0xd4, 0x4b, 0x51,
    0x41, 0x00, 0x04, 0x20, 0x57, 0x58, 0x59, 0x5a, 0x0d, 0x6e, 0x7d, 0x01, 0x0e, 0xb0,
};
static const char spec2_rtf[] = "{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}";

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void set_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Compresses, checks the header, decompresses (CRC checked), compares. */
static void round_trip_(const char *file, int line, const char *what, const void *data, size_t len)
{
    uint8_t *c = NULL, *d = NULL;
    size_t cn = 0, dn = 0;
    int rc = cv_rtf_compress(&c, &cn, data, len, 0);

    test_check_(rc == 0 && c, file, line, "%s: compress rc %d %s\n", what, rc, st_error_last());
    if (rc)
        return;
    test_check_(cn >= 16 && le32(c) == cn - 4 && le32(c + 4) == len && le32(c + 8) == CV_RTF_MAGIC_LZFU &&
                le32(c + 12) == cv_rtf_crc(0, c + 16, cn - 16),
                file, line, "%s: header of %zu bytes\n", what, cn);
    rc = cv_rtf_decompress(&d, &dn, c, cn, 0, 0);
    test_check_(rc == 0 && dn == len && (len == 0 || memcmp(d, data, len) == 0), file, line,
                "%s: round trip rc %d, %zu bytes of %zu\n", what, rc, dn, len);
    test_check_(d && d[dn] == 0, file, line, "%s: NUL after the RTF\n", what);
    free(c);
    free(d);
}
#define round_trip(what, data, len) round_trip_(__FILE__, __LINE__, what, data, len)

static void test_spec_examples(void)
{
    uint8_t *out = NULL, *c = NULL;
    size_t n = 0, cn = 0;
    cv_rtf_header h;

    ok(cv_rtf_crc(0, spec1 + 16, sizeof spec1 - 16) == 0xa7c7c5f1u, "CRC of example 1\n");
    ok(cv_rtf_crc(0, spec2 + 16, sizeof spec2 - 16) == 0x514bd4e2u, "CRC of example 2\n");
    ok(cv_rtf_crc(cv_rtf_crc(0, spec1 + 16, 10), spec1 + 26, sizeof spec1 - 26) == 0xa7c7c5f1u,
       "CRC continues\n");

    ok(cv_rtf_header_read(&h, spec1, sizeof spec1) == 0 && h.comp_size == 0x2d && h.raw_size == 0x2b &&
       h.magic == CV_RTF_MAGIC_LZFU && h.crc == 0xa7c7c5f1u, "header of example 1\n");

    ok(cv_rtf_decompress(&out, &n, spec1, sizeof spec1, 0, 0) == 0, "example 1: %s\n", st_error_last());
    ok(out && n == strlen(spec1_rtf) && memcmp(out, spec1_rtf, n) == 0, "example 1 gives %.*s\n",
       (int)n, out ? (char *)out : "");
    free(out);
    ok(cv_rtf_decompress(&out, &n, spec2, sizeof spec2, 0, 0) == 0, "example 2: %s\n", st_error_last());
    ok(out && n == strlen(spec2_rtf) && memcmp(out, spec2_rtf, n) == 0, "example 2 gives %.*s\n",
       (int)n, out ? (char *)out : "");
    free(out);

    /* The compressor writes the spec's bytes (its longest-match rules). */
    ok(cv_rtf_compress(&c, &cn, spec1_rtf, strlen(spec1_rtf), 0) == 0, "compress example 1\n");
    ok(cn == sizeof spec1 && memcmp(c, spec1, cn) == 0, "example 1 compressed as the spec: %zu bytes\n", cn);
    free(c);
    ok(cv_rtf_compress(&c, &cn, spec2_rtf, strlen(spec2_rtf), 0) == 0, "compress example 2\n");
    ok(cn == sizeof spec2 && memcmp(c, spec2, cn) == 0, "example 2 compressed as the spec: %zu bytes\n", cn);
    free(c);
}

static void test_mela(void)
{
    static const char rtf[] = "{\\rtf1\\ansi plain}";
    uint8_t *c = NULL, *d = NULL, buf[64];
    size_t cn = 0, dn = 0;

    ok(cv_rtf_compress(&c, &cn, rtf, strlen(rtf), CV_RTF_STORE_UNCOMPRESSED) == 0, "MELA written\n");
    ok(cn == 16 + strlen(rtf) && le32(c) == strlen(rtf) + 12 && le32(c + 4) == strlen(rtf) &&
       le32(c + 8) == CV_RTF_MAGIC_MELA && le32(c + 12) == 0 && memcmp(c + 16, rtf, strlen(rtf)) == 0,
       "MELA header and content\n");
    ok(cv_rtf_decompress(&d, &dn, c, cn, 0, 0) == 0 && dn == strlen(rtf) && memcmp(d, rtf, dn) == 0,
       "MELA read back\n");
    free(d);
    /* RAWSIZE larger than what is there: what is there. */
    memcpy(buf, c, cn);
    set_le32(buf + 4, 0x7fffffff);
    ok(cv_rtf_decompress(&d, &dn, buf, cn, 0, 0) == 0 && dn == strlen(rtf), "MELA with a lying RAWSIZE\n");
    free(d);
    /* RAWSIZE smaller: RAWSIZE bytes. */
    set_le32(buf + 4, 5);
    ok(cv_rtf_decompress(&d, &dn, buf, cn, 0, 0) == 0 && dn == 5 && memcmp(d, rtf, 5) == 0,
       "MELA with a short RAWSIZE\n");
    free(d);
    set_le32(buf + 4, (uint32_t)strlen(rtf));
    ok(cv_rtf_decompress(&d, &dn, buf, cn, 10, 0) == CV_ELIMIT && !d, "MELA over the limit\n");
    free(c);
}

static void test_hostile(void)
{
    uint8_t buf[256], *d = (uint8_t *)"x";
    size_t dn = 1;

    ok(cv_rtf_decompress(&d, &dn, spec1, 15, 0, 0) == CV_EPARSE && !d && dn == 0, "15 bytes\n");
    ok(cv_rtf_decompress(&d, &dn, NULL, 0, 0, 0) == CV_EPARSE && !d, "nothing\n");
    memcpy(buf, spec1, sizeof spec1);
    memcpy(buf + 8, "ABCD", 4);
    ok(cv_rtf_decompress(&d, &dn, buf, sizeof spec1, 0, 0) == CV_EPARSE, "unknown type\n");
    /* Cut content: COMPSIZE says more than is there. */
    ok(cv_rtf_decompress(&d, &dn, spec1, sizeof spec1 - 1, 0, 0) == CV_EPARSE, "cut by one byte\n");
    memcpy(buf, spec1, sizeof spec1);
    set_le32(buf, 0xffffffffu);
    ok(cv_rtf_decompress(&d, &dn, buf, sizeof spec1, 0, 0) == CV_EPARSE, "COMPSIZE 4 GB\n");
    set_le32(buf, 3);
    ok(cv_rtf_decompress(&d, &dn, buf, sizeof spec1, 0, 0) == CV_EPARSE, "COMPSIZE below 12\n");
    /* Bytes after the content are ignored. */
    memcpy(buf, spec1, sizeof spec1);
    memset(buf + sizeof spec1, 0xAB, 20);
    ok(cv_rtf_decompress(&d, &dn, buf, sizeof spec1 + 20, 0, 0) == 0 && dn == strlen(spec1_rtf),
       "trailing bytes ignored\n");
    free(d);
    /* A flipped content bit: the CRC says so; CV_RTF_NO_CRC salvages. */
    memcpy(buf, spec1, sizeof spec1);
    buf[40] ^= 0x01;
    ok(cv_rtf_decompress(&d, &dn, buf, sizeof spec1, 0, 0) == CV_EPARSE && !d, "wrong CRC\n");
    ok(strstr(st_error_last(), "CRC") != NULL, "message names the CRC: %s\n", st_error_last());
    ok(cv_rtf_decompress(&d, &dn, buf, sizeof spec1, 0, CV_RTF_NO_CRC) == 0 && d, "salvaged\n");
    free(d);
    /* RAWSIZE 4 GB on 49 bytes: no 4 GB buffer, the real RTF. */
    memcpy(buf, spec1, sizeof spec1);
    set_le32(buf + 4, 0xffffffffu);
    ok(cv_rtf_decompress(&d, &dn, buf, sizeof spec1, 0, 0) == 0 && dn == strlen(spec1_rtf),
       "RAWSIZE is a hint\n");
    free(d);
    /* No end reference: the content's end ends it. */
    memcpy(buf, spec1, sizeof spec1);
    set_le32(buf, sizeof spec1 - 4 - 2);
    set_le32(buf + 12, cv_rtf_crc(0, buf + 16, sizeof spec1 - 16 - 2));
    ok(cv_rtf_decompress(&d, &dn, buf, sizeof spec1 - 2, 0, 0) == 0 && dn == strlen(spec1_rtf),
       "no end reference: %zu bytes\n", dn);
    free(d);
}

/* A bomb: runs of eight 17-byte references, 8 output bytes per input byte. */
static void test_bomb(void)
{
    size_t runs = 100000, len = 16 + runs * 17 + 3;
    uint8_t *b = malloc(len), *d = NULL;
    size_t dn = 0;

    ok(b != NULL, "bomb buffer\n");
    if (!b)
        return;
    for (size_t r = 0; r < runs; r++) {
        uint8_t *p = b + 16 + r * 17;
        p[0] = 0xFF;
        for (int k = 0; k < 8; k++) {
            /* The 17 bytes before the write offset (an offset equal to it
             * would be the end). */
            uint32_t wpos = (uint32_t)((207 + (r * 8 + (size_t)k) * 17) & 0xFFF);
            uint32_t off = (wpos - 17) & 0xFFF;
            p[1 + 2 * k] = (uint8_t)(off >> 4);
            p[2 + 2 * k] = (uint8_t)((off & 0xF) << 4 | 0x0F);
        }
    }
    /* The end: a reference to the write offset. */
    size_t total = 207 + runs * 8 * 17;
    uint8_t *e = b + 16 + runs * 17;
    e[0] = 0x01;
    e[1] = (uint8_t)((total & 0xFFF) >> 4);
    e[2] = (uint8_t)((total & 0xF) << 4);
    set_le32(b, (uint32_t)(len - 4));
    set_le32(b + 4, 0xffffffffu);
    memcpy(b + 8, "LZFu", 4);
    set_le32(b + 12, cv_rtf_crc(0, b + 16, len - 16));
    ok(cv_rtf_decompress(&d, &dn, b, len, 1 << 20, 0) == CV_ELIMIT && !d, "bomb stops at 1 MB\n");
    free(d);
    ok(cv_rtf_decompress(&d, &dn, b, len, 0, 0) == 0 && dn == runs * 8 * 17, "bomb within 256 MB: %zu\n", dn);
    /* The preset's last 17 bytes, over and over. */
    ok(d && memcmp(d, "fs20\\b\\i\\u\\tab\\tx", 17) == 0 && memcmp(d + dn - 17, d, 17) == 0,
       "bomb content\n");
    free(d);
    free(b);
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

static void test_generated(void)
{
    static const size_t sizes[] = { 0, 1, 2, 3, 16, 17, 18, 207, 4094, 4095, 4096, 4097, 8191, 70000 };
    static const char *const words[] = { "\\par ", "\\pard\\plain ", "{\\f0 ", "}", "hello ", "world",
                                         "\\'e9", "\\u8364?", "\r\n", "\\tab ", "{\\*\\htmltag64 <p>}" };
    char what[64];

    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        uint8_t *buf = malloc(n + 1);
        if (!buf)
            continue;
        /* Random bytes: little to match, every literal path. */
        for (size_t i = 0; i < n; i++)
            buf[i] = (uint8_t)rnd();
        snprintf(what, sizeof what, "random %zu", n);
        round_trip(what, buf, n);
        /* One byte repeated: overlapping references all the way. */
        memset(buf, 'a', n);
        snprintf(what, sizeof what, "run %zu", n);
        round_trip(what, buf, n);
        /* RTF-like text from a small vocabulary: long matches, window wrap. */
        for (size_t i = 0; i < n;) {
            const char *w = words[rnd() % (sizeof words / sizeof words[0])];
            size_t l = strlen(w);
            if (l > n - i)
                l = n - i;
            memcpy(buf + i, w, l);
            i += l;
        }
        snprintf(what, sizeof what, "words %zu", n);
        round_trip(what, buf, n);
        free(buf);
    }
    /* Compression really compresses. */
    {
        size_t n = 100000;
        char *text = malloc(n);
        uint8_t *c = NULL;
        size_t cn = 0;
        for (size_t i = 0; i < n;) {
            const char *w = words[rnd() % (sizeof words / sizeof words[0])];
            size_t l = strlen(w) < n - i ? strlen(w) : n - i;
            memcpy(text + i, w, l);
            i += l;
        }
        ok(text && cv_rtf_compress(&c, &cn, text, n, 0) == 0 && cn < n / 3,
           "100000 bytes of RTF words compress to %zu\n", cn);
        free(c);
        free(text);
    }
}

int main(void)
{
    test_spec_examples();
    test_mela();
    test_hostile();
    test_bomb();
    test_generated();
    return test_done();
}
