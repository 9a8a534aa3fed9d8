/*
 * props_bytes.h: the little-endian byte writer and bounds-checked reader
 * the codecs of floor 0 share (props_rescodec.c, props_actcodec.c).
 * Header-only (static inline), internal to storage.
 *
 * Writer: bytes grow with st_reserve; after a failure (out of memory, or
 * refuse() with a message) every further put is a no-op and `bad` stays 1.
 * Reader: every read is checked against `end`; a short one sets the
 * message `cut` once and `bad`, and gives 0 / NULL; later reads do
 * nothing. Never: read past end.
 */
#ifndef MAPIDAV_PROPS_BYTES_H
#define MAPIDAV_PROPS_BYTES_H

#include <stdint.h>
#include <string.h>

#include "storage/props_int.h"
#include "storage/strutil.h"

typedef struct st_wbuf {
    char *p;              /* bytes (st_reserve'd) */
    size_t len, cap;      /* used / allocated */
    int bad;              /* failed: message set */
} st_wbuf;

static inline void st_wbuf_put(st_wbuf *b, const void *p, size_t n)
{
    if (b->bad)
        return;
    if (st_reserve(&b->p, &b->cap, b->len + n, 256)) {
        b->bad = 1;
        return;
    }
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
}

static inline void st_wbuf_le(st_wbuf *b, uint64_t v, int n)
{
    uint8_t x[8];
    for (int i = 0; i < n; i++)
        x[i] = (uint8_t)(v >> (8 * i));
    st_wbuf_put(b, x, (size_t)n);
}

static inline void st_wbuf_refuse(st_wbuf *b, const char *what)
{
    if (!b->bad)
        st__fail(what);
    b->bad = 1;
}

typedef struct st_rbuf {
    const uint8_t *p, *end;   /* unread bytes */
    int bad;                  /* failed: message set */
    const char *cut;          /* the message for bytes that end too early */
} st_rbuf;

static inline void st_rbuf_bad(st_rbuf *b, const char *what)
{
    if (!b->bad)
        st__fail(what);
    b->bad = 1;
}

static inline uint64_t st_rbuf_le(st_rbuf *b, int n)
{
    if (b->bad || b->end - b->p < n) {
        st_rbuf_bad(b, b->cut);
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)b->p[i] << (8 * i);
    b->p += n;
    return v;
}

static inline const uint8_t *st_rbuf_bytes(st_rbuf *b, size_t n)
{
    if (b->bad || (size_t)(b->end - b->p) < n) {
        st_rbuf_bad(b, b->cut);
        return NULL;
    }
    const uint8_t *p = b->p;
    b->p += n;
    return p;
}

#endif /* MAPIDAV_PROPS_BYTES_H */
