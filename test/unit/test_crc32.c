/*
 * test_crc32.c: st_crc32 (storage/crc32.c) gives zlib's CRC-32 on every
 * length from 0 to 1,100 bytes at every alignment of 0..15, on long buffers,
 * on all-zero and all-ones data, and when a CRC is continued over pieces cut
 * anywhere (the folded path and zlib's tail must join exactly).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/storage_int.h"
#include "testutil.h"

static uint32_t rng = 12345;

static uint8_t next_byte(void)
{
    rng = rng * 1103515245u + 12345u;
    return (uint8_t)(rng >> 16);
}

int main(void)
{
    enum { BIG = 1 << 20 };
    uint8_t *buf = malloc(BIG + 64);
    if (!buf)
        test_fatal("out of memory\n");
    for (size_t i = 0; i < BIG + 64; i++)
        buf[i] = next_byte();

    int bad = 0;
    for (size_t off = 0; off < 16; off++)
        for (size_t len = 0; len <= 1100; len++)
            if (st_crc32(0, buf + off, len) != st_crc32__zlib(0, buf + off, len) && bad++ < 5)
                fprintf(stderr, "offset %zu, length %zu differ\n", off, len);
    ok(bad == 0, "lengths 0..1100 at offsets 0..15: %d differ\n", bad);

    static const size_t longs[] = { 4096, 4099, 65536 + 13, BIG };
    for (size_t i = 0; i < sizeof longs / sizeof longs[0]; i++)
        ok(st_crc32(0, buf + 3, longs[i]) == st_crc32__zlib(0, buf + 3, longs[i]),
           "%zu bytes\n", longs[i]);

    /* continued: any cut gives the CRC of the whole */
    uint32_t whole = st_crc32__zlib(0, buf, 5000);
    bad = 0;
    for (size_t cut = 0; cut <= 5000; cut += 7) {
        uint32_t c = st_crc32(st_crc32(0, buf, cut), buf + cut, 5000 - cut);
        bad += c != whole;
    }
    ok(bad == 0, "5000 bytes cut in two anywhere: %d differ\n", bad);
    ok(st_crc32(0x12345678u, buf, 777) == st_crc32__zlib(0x12345678u, buf, 777),
       "a non-zero starting value\n");

    memset(buf, 0, 4096);
    ok(st_crc32(0, buf, 4096) == st_crc32__zlib(0, buf, 4096), "zeros\n");
    memset(buf, 0xff, 4096);
    ok(st_crc32(0, buf, 4096) == st_crc32__zlib(0, buf, 4096), "ones\n");
    /* the known check value of CRC-32/ISO-HDLC */
    ok(st_crc32(0, "123456789", 9) == 0xCBF43926u, "check value\n");
    free(buf);
    return test_done();
}
