/*
 * fuzz_rtf_decompress.c: PR_RTF_COMPRESSED from anywhere (a server, a .msg,
 * TNEF). The header is read, the stream decompressed with and without its
 * CRC check (so the fuzzer gets past the CRC into the decoder), under a small
 * output limit; whatever comes out must compress and decompress back to
 * itself. Nothing may crash, leak, read past the input or allocate beyond the
 * limit; a broken round trip aborts. The streaming decompressor and
 * compressor fed in chunks must give the same results (fuzz_chunked.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "fuzz_chunked.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cv_rtf_header h;
    uint8_t *out = NULL, *c = NULL, *back = NULL;
    size_t n = 0, cn = 0, bn = 0;
    char head[64];

    (void)cv_rtf_header_read(&h, data, size);
    (void)cv_rtf__decompress_prefix(head, sizeof head, data, size);
    size_t chunk = fuzz_chunk(data, size);
    cv_push *p;
    cv_rtf__buf b;
    int rc = cv_rtf_decompress(&out, &n, data, size, 1 << 22, 0);
    cv_rtf__buf_init(&b, 0);
    if (cv_rtf_decompress_push(&p, 1 << 22, 0, cv_rtf__buf_sink, &b) == 0)
        fuzz_same_chunked(p, &b, (const char *)data, size, chunk, rc, (const char *)out, n);
    free(out);
    out = NULL;
    if (cv_rtf_decompress(&out, &n, data, size, 1 << 22, CV_RTF_NO_CRC) != 0)
        return 0;
    unsigned flags = size & 1 ? CV_RTF_STORE_UNCOMPRESSED : 0;
    rc = cv_rtf_compress(&c, &cn, out, n, flags);
    cv_rtf__buf_init(&b, 0);
    if (cv_rtf__compress_push_hint(&p, flags, cv_rtf__buf_sink, &b, n) == 0) {
        /* the header goes over the placeholder once the sizes are known */
        int prc = 0;
        for (size_t i = 0; !prc && i < n; i += chunk)
            prc = cv_push_feed(p, out + i, n - i < chunk ? n - i : chunk);
        if (!prc)
            prc = cv_push_end(p);
        if (!prc)
            prc = b.err ? b.err : cv_rtf_compress_header(p, (uint8_t *)b.data);
        if (prc != rc || (rc == 0 && (b.len != cn || memcmp(b.data, c, cn) != 0)))
            abort();
        cv_push_free(p);
        cv_rtf__buf_free(&b);
    }
    if (rc == 0) {
        if (cv_rtf_decompress(&back, &bn, c, cn, 0, 0) != 0 || bn != n || memcmp(back, out, n) != 0)
            abort();
    }
    free(back);
    free(c);
    free(out);
    return 0;
}
