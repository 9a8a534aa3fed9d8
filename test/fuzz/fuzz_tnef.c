/*
 * fuzz_tnef.c: the TNEF reader on arbitrary bytes, once keeping attachment
 * data in the bags, once through a sink that counts what it is given, and
 * once fed in small pieces (cv_tnef_reader) through that sink; the printer
 * on whatever came back. Checks what the reader promises:
 * a result whenever the signature is there and memory lasted, attachments
 * numbered in order, temporary named ids in order, every sink stream ended
 * once, and no write larger than CV_TNEF_CHUNK.
 * Never: keep state between inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "convert/tnef.h"
#include "storage/props_tags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct count_sink {
    uint64_t next;      /* last id given */
    uint64_t open;      /* streams begun and not ended */
} count_sink;

static int cs_begin(void *ctx, uint64_t *id)
{
    count_sink *c = ctx;
    *id = ++c->next;
    c->open++;
    return 0;
}

static int cs_write(void *ctx, uint64_t id, const void *p, size_t len)
{
    count_sink *c = ctx;
    if (id == 0 || id > c->next || len == 0 || len > CV_TNEF_CHUNK || !p)
        abort();
    return 0;
}

static int cs_end(void *ctx, uint64_t id, int ok)
{
    count_sink *c = ctx;
    if (id == 0 || id > c->next || c->open == 0)
        abort();
    c->open--;
    (void)ok;
    return 0;
}

static void check(const cv_message *m)
{
    for (size_t i = 0; i < m->n_attachments; i++) {
        const st_value *v = st_bag_get(m->attachments[i].props, PR_ATTACH_NUM);
        if (!v || v->v.l != (int32_t)i)
            abort();
        if (m->attachments[i].embedded)
            check(m->attachments[i].embedded);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *null_out;
    count_sink c = { 0, 0 };
    cv_sink sink = { cs_begin, cs_write, cs_end, &c };
    cv_tnef_options opt = { &sink, 0 };
    cv_tnef *t = NULL;
    int rc;

    if (!null_out)
        null_out = fopen("/dev/null", "w");
    rc = cv_tnef_parse(&t, data, size, NULL);
    if ((rc == 0 || rc == CV_ELIMIT) && !t)
        abort();
    if (t) {
        check(t->msg);
        for (size_t i = 0; i < t->n_named; i++)
            if (t->named[i].id != 0x8000 + i)
                abort();
        if (null_out)
            cv_tnef_print(null_out, t);
    }
    cv_tnef_free(t);

    t = NULL;
    cv_tnef_parse(&t, data, size, &opt);
    if (c.open != 0)
        abort();
    cv_tnef_free(t);

    /* In pieces of 1 to 16 bytes, chosen by the first byte. */
    {
        cv_tnef_reader *r;
        size_t piece = size ? (size_t)(data[0] & 15) + 1 : 1;
        t = NULL;
        if (cv_tnef_reader_new(&r, &opt) == 0) {
            for (size_t off = 0; off < size; off += piece)
                if (cv_tnef_reader_feed(r, data + off, size - off < piece ? size - off : piece) != 0)
                    break;
            rc = cv_tnef_reader_finish(r, &t);
            if ((rc == 0 || rc == CV_ELIMIT) && !t)
                abort();
            if (t)
                check(t->msg);
            cv_tnef_reader_free(r);
        }
        if (c.open != 0)
            abort();
        cv_tnef_free(t);
    }
    return 0;
}
