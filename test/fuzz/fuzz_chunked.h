/*
 * fuzz_chunked.h: what the body converters' fuzz targets share: a streaming
 * converter (convert/rtf.h, "Streaming") fed the input in chunks must give
 * the whole-buffer function's result (its return code, and its bytes when
 * it succeeded), or abort.
 *
 * Header-only, like testutil.h. Never: keep state between inputs.
 */
#ifndef MAPIDAV_TEST_FUZZ_CHUNKED_H
#define MAPIDAV_TEST_FUZZ_CHUNKED_H

#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"

/* The chunk size an input asks for: 1 to 16 bytes, from its last byte. */
static inline size_t fuzz_chunk(const uint8_t *data, size_t size)
{
    return size ? 1 + data[size - 1] % 16 : 1;
}

/* Feeds in (len bytes) by chunk bytes to p, whose sink appends to *b
 * (the caller made them), then compares with the whole result (rc, out,
 * out_len) and frees p and *b. */
static inline void fuzz_same_chunked(cv_push *p, cv_rtf__buf *b, const char *in, size_t len,
                                     size_t chunk, int rc, const char *out, size_t out_len)
{
    int prc = 0;
    for (size_t i = 0; !prc && i < len; i += chunk)
        prc = cv_push_feed(p, in + i, len - i < chunk ? len - i : chunk);
    if (!prc)
        prc = cv_push_end(p);
    if (prc == 0 && b->err)
        prc = b->err;
    if (prc != rc || (rc == 0 && (b->len != out_len || (out_len && memcmp(b->data, out, out_len)))))
        abort();
    cv_push_free(p);
    cv_rtf__buf_free(b);
}

#endif
