/*
 * test_charset_tables.c: every table, both ways, against one digest that
 * both builds must reach, which proves the iconv back end (Linux) and the
 * MultiByteToWideChar back end (Windows, under Wine) agree cell by cell.
 *
 * Decode: every two-byte string 0x80-0xFF x 0x00-0xFF (for ISO-2022-JP
 * 0x00-0xFF x 0x00-0xFF between ESC $ B and ESC ( B), each followed by a
 * line feed, so the valid cells, the unmapped ones and the invalid bytes
 * with their U+FFFD rules all count. Encode: every code point U+0080 to
 * U+FFFF (surrogates left out) and U+10000 to U+10FFF, each followed by a
 * line feed. The digest is FNV-1a (64 bits) of the output.
 *
 * The expected digests were produced by the Linux build (run with
 * --print). Documented difference: JIS X 0212 (EUC-JP 0x8F a b) is decoded
 * by glibc but not by Wine's code page 20932, so it is checked on Linux
 * only; on Windows each such cell must be one character or U+FFFD.
 *
 * With --rows, prints a digest per lead byte instead, to find which rows
 * differ by diffing the output of the two builds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/charset.h"
#include "fnv.h"
#include "testutil.h"

struct expect {
    const char *label;
    uint64_t decode; /* digest of the decoded two-byte strings */
    uint64_t encode; /* digest of the encoded code points */
};

static const struct expect expects[] = {
    {"Shift_JIS", 0xe6ff29bdbc847fe1ull, 0xaacd5d376ae2ca02ull},
    {"EUC-JP", 0x2fe313d4ae386955ull, 0xf09f02ad975b978full},
    {"ISO-2022-JP", 0xd85a11a8f76ca61cull, 0xc29f34b00c51992bull},
    {"GB18030", 0xda708651b4a997feull, 0x7e284bc450bacf83ull},
    {"GBK", 0xda708651b4a997feull, 0x9ff72109d7ca6494ull},
    {"Big5", 0x811f72ab48c81cd1ull, 0x2ed85ad2350255b4ull},
    {"EUC-KR", 0xaed7748a8ee7cb5cull, 0x4978def45c07d5ceull},
    {"windows-1252", 0x0d95fdf520d4f58full, 0x9e21eeef13233d8dull},
    {"ISO-8859-1", 0x0d95fdf520d4f58full, 0xe09b55ed5f910e25ull},
    {"US-ASCII", 0x0d95fdf520d4f58full, 0x0cc2e7f3a2d75325ull},
    {"KOI8-R", 0x552d4965c9a78d75ull, 0xe54a558d305f3191ull},
    {"ISO-8859-7", 0x6e7bdb8828030a19ull, 0x3b9a3a2a74a01bb8ull},
    {"windows-1258", 0x24735de447e28845ull, 0x68fdc9cf4f309155ull},
    {"UTF-16LE", 0xca4684283818d6f5ull, 0x7876b0021d97bc25ull},
    {"UTF-8", 0xd55229c0ea7134a5ull, 0xb851f3e55e8e15e5ull},
};

#ifndef _WIN32
/* EUC-JP 0x8F a b, a and b 0xA1-0xFE, each followed by a line feed. */
static const uint64_t expect_jis0212 = 0x31f2f93bfe4a587bull;
#endif

/* The decode input for one lead byte. */
static size_t decode_row(unsigned char *buf, const char *label, unsigned lead)
{
    size_t n = 0;
    int jis = strcmp(label, "ISO-2022-JP") == 0;
    for (unsigned t = 0; t < 256; t++) {
        if (jis) {
            memcpy(buf + n, "\x1b$B", 3);
            n += 3;
        }
        buf[n++] = (unsigned char)lead;
        buf[n++] = (unsigned char)t;
        if (jis) {
            memcpy(buf + n, "\x1b(B", 3);
            n += 3;
        }
        buf[n++] = '\n';
    }
    return n;
}

static size_t put_utf8(unsigned char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes every row; with rows set, prints each row's digest. */
static uint64_t decode_digest(const char *label, int rows)
{
    unsigned char *buf = malloc(256 * 9);
    uint64_t h = FNV_START;
    unsigned first = strcmp(label, "ISO-2022-JP") == 0 ? 0 : 0x80;

    if (!buf)
        test_fatal("out of memory\n");
    for (unsigned lead = first; lead < 256; lead++) {
        size_t n = decode_row(buf, label, lead);
        char *out = NULL;
        size_t len = 0;
        int rc = cv_charset_decode(&out, &len, label, buf, n);
        ok(rc == 0 && out, "%s: decoding row %02X gave %d\n", label, lead, rc);
        if (rc != 0 || !out)
            continue;
        ok(strlen(out) <= len, "%s: row %02X not NUL-terminated\n", label, lead);
        h = fnv(h, out, len);
        if (rows)
            printf("%s decode %02X %016llx\n", label, lead,
                   (unsigned long long)fnv(FNV_START, out, len));
        free(out);
    }
    free(buf);
    return h;
}

/* Encodes code points from..to in blocks of 256; with rows set, prints
 * each block's digest. */
static uint64_t encode_digest(const char *label, int rows)
{
    unsigned char *buf = malloc(256 * 5);
    uint64_t h = FNV_START;

    if (!buf)
        test_fatal("out of memory\n");
    for (uint32_t block = 0x80; block < 0x11000; block += 256) {
        size_t n = 0;
        for (uint32_t cp = block; cp < block + 256; cp++) {
            if (cp < 0x80 || (cp >= 0xD800 && cp <= 0xDFFF))
                continue;
            n += put_utf8(buf + n, cp);
            buf[n++] = '\n';
        }
        char *out = NULL;
        size_t len = 0;
        int rc = cv_charset_encode(&out, &len, label, (const char *)buf, n);
        ok(rc == 0 && out, "%s: encoding block %04X gave %d\n", label, (unsigned)block, rc);
        if (rc != 0 || !out)
            continue;
        h = fnv(h, out, len);
        if (rows)
            printf("%s encode %05X %016llx\n", label, (unsigned)block,
                   (unsigned long long)fnv(FNV_START, out, len));
        free(out);
    }
    free(buf);
    return h;
}

static uint64_t jis0212_digest(int windows_rules)
{
    unsigned char buf[4];
    uint64_t h = FNV_START;
    for (unsigned a = 0xA1; a <= 0xFE; a++) {
        for (unsigned b = 0xA1; b <= 0xFE; b++) {
            char *out = NULL;
            size_t len = 0;
            buf[0] = 0x8F;
            buf[1] = (unsigned char)a;
            buf[2] = (unsigned char)b;
            buf[3] = '\n';
            if (cv_charset_decode(&out, &len, "EUC-JP", buf, 4) != 0 || !out) {
                ok(0, "EUC-JP 8F %02X %02X failed\n", a, b);
                continue;
            }
            if (windows_rules)
                ok(len >= 2 && len <= 4 && out[len - 1] == '\n',
                   "EUC-JP 8F %02X %02X: not one character (%u bytes)\n", a, b, (unsigned)len);
            h = fnv(h, out, len);
            free(out);
        }
    }
    return h;
}

int main(int argc, char **argv)
{
    int print = argc > 1 && strcmp(argv[1], "--print") == 0;
    int rows = argc > 1 && strcmp(argv[1], "--rows") == 0;

    for (size_t i = 0; i < sizeof expects / sizeof *expects; i++) {
        const struct expect *e = &expects[i];
        uint64_t d = decode_digest(e->label, rows);
        uint64_t c = encode_digest(e->label, rows);
        if (print)
            printf("    {\"%s\", 0x%016llxull, 0x%016llxull},\n", e->label,
                   (unsigned long long)d, (unsigned long long)c);
        else if (!rows) {
            ok(d == e->decode, "%s: decode digest %016llx, expected %016llx\n", e->label,
               (unsigned long long)d, (unsigned long long)e->decode);
            ok(c == e->encode, "%s: encode digest %016llx, expected %016llx\n", e->label,
               (unsigned long long)c, (unsigned long long)e->encode);
        }
    }
#ifdef _WIN32
    jis0212_digest(1); /* the documented difference: structure only */
#else
    uint64_t j = jis0212_digest(0);
    if (print)
        printf("static const uint64_t expect_jis0212 = 0x%016llxull;\n", (unsigned long long)j);
    else if (!rows)
        ok(j == expect_jis0212, "JIS X 0212 digest %016llx, expected %016llx\n",
           (unsigned long long)j, (unsigned long long)expect_jis0212);
#endif
    return test_done();
}
