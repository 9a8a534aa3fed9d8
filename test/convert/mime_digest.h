/*
 * mime_digest.h: FNV-1a over every value of a converted message tree, so a
 * test can tell that two conversions of the same bytes (one feed, chunked
 * feeds) gave exactly the same message (test_mime_corpus.c,
 * test/fuzz/fuzz_mime.c).
 *
 * Header-only, like testutil.h. Invariant: equal trees give equal digests.
 * Never: hash a pointer (a string is hashed by its bytes).
 */
#ifndef MAPIDAV_TEST_MIME_DIGEST_H
#define MAPIDAV_TEST_MIME_DIGEST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/mime.h"
#include "storage/props.h"

/* Extends the running hash *h by the tree of m: its
 * properties, its recipients', its attachments' and those of embedded
 * messages. check_utf8: abort() on a string that is not valid UTF-8 (for
 * the fuzzer, where a crash is the report). */
static inline void mime_digest(const cv_message *m, uint64_t *h, int check_utf8)
{
    for (int part = 0; part < 3; part++) {
        size_t n = part == 0 ? 1 : part == 1 ? m->n_recipients : m->n_attachments;
        for (size_t i = 0; i < n; i++) {
            const st_bag *b = part == 0 ? m->props : part == 1 ? m->recipients[i] : m->attachments[i].props;
            for (size_t k = 0; k < st_bag_count(b); k++) {
                const st_value *v = st_bag_at(b, k);
                const uint8_t *p = NULL;
                size_t len = 0;
                *h = (*h ^ v->tag) * 1099511628211ULL;
                if (PROP_TYPE(v->tag) == PT_UNICODE || PROP_TYPE(v->tag) == PT_STRING8) {
                    p = (const uint8_t *)v->v.str;
                    len = strlen(v->v.str);
                    if (check_utf8 && !st_utf8_valid(v->v.str, len))
                        abort();
                } else if (PROP_TYPE(v->tag) == PT_BINARY) {
                    p = v->v.bin.data;
                    len = v->v.bin.len;
                } else {
                    *h = (*h ^ (uint64_t)v->v.li) * 1099511628211ULL;
                }
                for (size_t j = 0; j < len; j++)
                    *h = (*h ^ p[j]) * 1099511628211ULL;
            }
            if (part == 2 && m->attachments[i].embedded)
                mime_digest(m->attachments[i].embedded, h, check_utf8);
        }
    }
}

#endif /* MAPIDAV_TEST_MIME_DIGEST_H */
