/*
 * fuzz_rtf_decompress.c: PR_RTF_COMPRESSED from anywhere (a server, a .msg,
 * TNEF). The header is read, the stream decompressed with and without its
 * CRC check (so the fuzzer gets past the CRC into the decoder), under a small
 * output limit; whatever comes out must compress and decompress back to
 * itself. Nothing may crash, leak, read past the input or allocate beyond the
 * limit; a broken round trip aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cv_rtf_header h;
    uint8_t *out = NULL, *c = NULL, *back = NULL;
    size_t n = 0, cn = 0, bn = 0;
    char head[64];

    (void)cv_rtf_header_read(&h, data, size);
    (void)cv_rtf__decompress_prefix(head, sizeof head, data, size);
    if (cv_rtf_decompress(&out, &n, data, size, 1 << 22, 0) == 0)
        free(out);
    out = NULL;
    if (cv_rtf_decompress(&out, &n, data, size, 1 << 22, CV_RTF_NO_CRC) != 0)
        return 0;
    if (cv_rtf_compress(&c, &cn, out, n, size & 1 ? CV_RTF_STORE_UNCOMPRESSED : 0) == 0) {
        if (cv_rtf_decompress(&back, &bn, c, cn, 0, 0) != 0 || bn != n || memcmp(back, out, n) != 0)
            abort();
    }
    free(back);
    free(c);
    free(out);
    return 0;
}
