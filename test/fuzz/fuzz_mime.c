/*
 * fuzz_mime.c: the streaming MIME reader on arbitrary bytes. It must never
 * crash, hang, leak or read past the input; it must always hand back a
 * message (or fail only for memory/sink errors); and feeding the same bytes
 * in chunks must give exactly what one feed gives; and what it gives must
 * build back into MIME that parses again. The first input byte picks the
 * chunk size and whether small limits and a sink are used.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/mime.h"
#include "../convert/mime_digest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct obuf {
    uint8_t *p;
    size_t n, cap;
} obuf;

static int obuf_write(void *ctx, const void *data, size_t len)
{
    obuf *b = ctx;
    if (b->n + len > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4096;
        while (nc < b->n + len)
            nc *= 2;
        uint8_t *np = realloc(b->p, nc);
        if (!np)
            return -1;
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    return 0;
}

static int sink_begin(void *ctx, uint64_t *id)
{
    *id = ++*(uint64_t *)ctx;
    return 0;
}

static int sink_write(void *ctx, uint64_t id, const void *data, size_t len)
{
    (void)ctx;
    (void)id;
    (void)data;
    (void)len;
    return 0;
}

static int sink_end(void *ctx, uint64_t id, int ok)
{
    (void)ctx;
    (void)id;
    (void)ok;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t ids = 0;
    cv_sink sink = { sink_begin, sink_write, sink_end, &ids };
    cv_mime_options opts = { 0 };
    size_t chunk = 1;
    cv_message *one = NULL, *two = NULL;
    cv_mime_warnings w;

    if (size > 0) {
        chunk = (size_t)(data[0] % 31) + 1;
        if (data[0] & 0x20) {
            opts.max_depth = 4;
            opts.max_parts = 20;
            opts.max_header_size = 512;
            opts.max_line = 100;
            opts.max_body = 256;
        }
        if (data[0] & 0x40)
            opts.sink = &sink;
    }
    int rc = cv_mime_parse(&one, data, size, &opts, &w);
    if ((rc == 0 || rc == CV_ELIMIT) != (one != NULL))
        abort();
    cv_mime_warnings_clear(&w);

    cv_mime_parser *p = NULL;
    if (cv_mime_parser_new(&p, &opts) != 0)
        abort();
    for (size_t o = 0; o < size; o += chunk)
        if (cv_mime_parser_feed(p, data + o, size - o < chunk ? size - o : chunk) != 0)
            break;
    int rc2 = cv_mime_parser_finish(p, &two, NULL);
    cv_mime_parser_free(p);
    if (rc2 != rc)
        abort();
    if (one && two) {
        uint64_t h1 = 1469598103934665603ULL, h2 = h1;
        mime_digest(one, &h1, 1);
        mime_digest(two, &h2, 1);
        if (h1 != h2)
            abort(); /* chunking changed the result */
    }
    if (one) {
        /* build it back and read that again: both must work */
        obuf out = { 0 };
        cv_mime_writer w = { obuf_write, &out };
        cv_mime_build_options bo = { .boundary_seed = "fz" };
        cv_message *three = NULL;
        if (cv_mime_build(one, &bo, &w) != 0)
            abort();
        int rc3 = cv_mime_parse(&three, out.p ? (const void *)out.p : "", out.n, NULL, NULL);
        if (rc3 < 0 || !three)
            abort();
        cv_message_free(three);
        free(out.p);
    }
    cv_message_free(one);
    cv_message_free(two);
    return 0;
}
