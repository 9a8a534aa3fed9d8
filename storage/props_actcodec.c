/*
 * props_actcodec.c: rule actions <-> [MS-OXORULE] 2.2.5 bytes (format and
 * limits in props_actcodec.h).
 *
 * Invariant: decode(encode(a)) equals a, and encode(decode(b)) is b for
 * every b that decodes. Never: read a byte past the end of a block or of
 * the buffer, or hand back a partial set.
 */
#include <string.h>

#include "storage/props_actcodec.h"
#include "storage/props_int.h"
#include "storage/props_rescodec.h"
#include "storage/strutil.h"

st_actions *st_actions_new(uint32_t n)
{
    if (n > ST_ACT_MAX_ACTIONS) {
        st__fail("rule actions: more than 256 actions");
        return NULL;
    }
    st_actions *acts = st__calloc(1, sizeof *acts);
    if (acts && n && !(acts->a = st__calloc(n, sizeof *acts->a))) {
        st__free(acts);
        acts = NULL;
    }
    if (!acts) {
        st__fail("out of memory");
        return NULL;
    }
    acts->n = n;
    return acts;
}

static void recips_free(st_act_recip *r, uint32_t n)
{
    for (uint32_t i = 0; r && i < n; i++) {
        for (uint32_t k = 0; k < r[i].n; k++)
            st_value_clear(&r[i].props[k]);
        st__free(r[i].props);
    }
    st__free(r);
}

void st_actions_free(st_actions *acts)
{
    if (!acts)
        return;
    for (uint32_t i = 0; i < acts->n; i++) {
        st_action *a = &acts->a[i];
        st__free(a->eid1.data);
        st__free(a->eid2.data);
        recips_free(a->recips, a->n_recips);
        st_value_clear(&a->tag);
    }
    st__free(acts->a);
    st__free(acts);
}

/* ---- encoding ---- */

typedef struct wbuf {
    char *p;              /* bytes (st_reserve'd) */
    size_t len, cap;      /* used / allocated */
    int bad;              /* failed: message set */
} wbuf;

static void put(wbuf *b, const void *p, size_t n)
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

static void put_le(wbuf *b, uint64_t v, int n)
{
    uint8_t x[8];
    for (int i = 0; i < n; i++)
        x[i] = (uint8_t)(v >> (8 * i));
    put(b, x, (size_t)n);
}

static void refuse(wbuf *b, const char *what)
{
    if (!b->bad)
        st__fail(what);
    b->bad = 1;
}

static void put_count(wbuf *b, uint64_t n)
{
    if (n > 0xFFFF)
        refuse(b, "rule actions: a count or size above 65535");
    put_le(b, n, 2);
}

static void put_bin(wbuf *b, const st_bin *x)
{
    put_count(b, x->len);
    put(b, x->data, x->len);
}

static void put_tagged(wbuf *b, const st_value *v)
{
    if (!b->bad && st_tagged_value_put(&b->p, &b->len, &b->cap, v))
        b->bad = 1;
}

static void put_data(wbuf *b, const st_action *a)
{
    uint8_t g[16];
    switch (a->type) {
    case ST_OP_MOVE: case ST_OP_COPY:
        put_le(b, a->eid1.len == 0, 1);
        put_bin(b, &a->eid1);
        put_bin(b, &a->eid2);
        break;
    case ST_OP_REPLY: case ST_OP_OOF_REPLY:
        put_bin(b, &a->eid1);
        st_guid_to_bytes(g, &a->guid);
        put(b, g, 16);
        break;
    case ST_OP_DEFER_ACTION:
        put(b, a->eid1.data, a->eid1.len);
        break;
    case ST_OP_BOUNCE:
        put_le(b, (uint32_t)a->bounce, 4);
        break;
    case ST_OP_FORWARD: case ST_OP_DELEGATE:
        if (a->n_recips > ST_ACT_MAX_RECIPS)
            refuse(b, "rule actions: more than 1024 recipients");
        put_count(b, a->n_recips);
        for (uint32_t i = 0; i < a->n_recips && !b->bad; i++) {
            if (a->recips[i].n > ST_ACT_MAX_PROPS)
                refuse(b, "rule actions: a recipient of more than 256 values");
            put_le(b, 1, 1);
            put_count(b, a->recips[i].n);
            for (uint32_t k = 0; k < a->recips[i].n; k++)
                put_tagged(b, &a->recips[i].props[k]);
        }
        break;
    case ST_OP_TAG:
        put_tagged(b, &a->tag);
        break;
    case ST_OP_DELETE: case ST_OP_MARK_AS_READ:
        break;
    default:
        refuse(b, "rule actions: unknown action type");
    }
}

int st_actions_encode(uint8_t **out, size_t *len, const st_actions *acts)
{
    *out = NULL;
    *len = 0;
    if (!acts)
        return st__fail("rule actions: nothing to encode");
    wbuf b = { 0 };
    if (acts->n > ST_ACT_MAX_ACTIONS)
        refuse(&b, "rule actions: more than 256 actions");
    put_count(&b, acts->n);
    for (uint32_t i = 0; i < acts->n && !b.bad; i++) {
        const st_action *a = &acts->a[i];
        size_t at = b.len;
        put_le(&b, 0, 2);   /* ActionLength, set below */
        put_le(&b, a->type, 1);
        put_le(&b, a->flavor, 4);
        put_le(&b, a->flags, 4);
        put_data(&b, a);
        size_t n = b.bad ? 0 : b.len - at - 2;
        if (n > 0xFFFF)
            refuse(&b, "rule actions: an action longer than 65535 bytes");
        if (!b.bad) {
            b.p[at] = (char)(n & 0xFF);
            b.p[at + 1] = (char)(n >> 8);
        }
    }
    if (b.bad) {
        st__free(b.p);
        return -1;
    }
    *out = (uint8_t *)b.p;
    *len = b.len;
    return 0;
}

/* ---- decoding ---- */

typedef struct rbuf {
    const uint8_t *p, *end;   /* unread bytes (of the current block) */
    int bad;                  /* failed: message set */
} rbuf;

static void bad(rbuf *b, const char *what)
{
    if (!b->bad)
        st__fail(what);
    b->bad = 1;
}

static uint64_t get_le(rbuf *b, int n)
{
    if (b->bad || b->end - b->p < n) {
        bad(b, "rule actions: bytes end inside an action");
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)b->p[i] << (8 * i);
    b->p += n;
    return v;
}

static const uint8_t *get_bytes(rbuf *b, size_t n)
{
    if (b->bad || (size_t)(b->end - b->p) < n) {
        bad(b, "rule actions: bytes end inside an action");
        return NULL;
    }
    const uint8_t *p = b->p;
    b->p += n;
    return p;
}

/* n bytes into *x (a copy; none for 0). */
static void get_bin_n(rbuf *b, st_bin *x, size_t n)
{
    const uint8_t *d = get_bytes(b, n);
    if (!d || !n)
        return;
    if (!(x->data = st__malloc(n))) {
        bad(b, "out of memory");
        return;
    }
    memcpy(x->data, d, n);
    x->len = (uint32_t)n;
}

static void get_bin(rbuf *b, st_bin *x)
{
    size_t n = (size_t)get_le(b, 2);
    if (!b->bad)
        get_bin_n(b, x, n);
}

static void get_tagged(rbuf *b, st_value *v)
{
    if (!b->bad && st_tagged_value_get(&b->p, b->end, v))
        b->bad = 1;
}

static void get_recips(rbuf *b, st_action *a)
{
    uint32_t n = (uint32_t)get_le(b, 2);
    if (b->bad)
        return;
    if (n > ST_ACT_MAX_RECIPS || (size_t)(b->end - b->p) < (size_t)n * 3) {
        bad(b, "rule actions: a recipient count the bytes cannot hold");
        return;
    }
    if (n && !(a->recips = st__calloc(n, sizeof *a->recips))) {
        bad(b, "out of memory");
        return;
    }
    a->n_recips = n;
    for (uint32_t i = 0; i < n && !b->bad; i++) {
        if (get_le(b, 1) != 1 && !b->bad)
            bad(b, "rule actions: a recipient block's reserved byte is not 1");
        uint32_t np = (uint32_t)get_le(b, 2);
        if (b->bad)
            return;
        if (np > ST_ACT_MAX_PROPS || (size_t)(b->end - b->p) < (size_t)np * 4) {
            bad(b, "rule actions: a value count the bytes cannot hold");
            return;
        }
        if (np && !(a->recips[i].props = st__calloc(np, sizeof(st_value)))) {
            bad(b, "out of memory");
            return;
        }
        a->recips[i].n = np;
        for (uint32_t k = 0; k < np && !b->bad; k++)
            get_tagged(b, &a->recips[i].props[k]);
    }
}

static void get_data(rbuf *b, st_action *a)
{
    uint64_t in_store;
    switch (a->type) {
    case ST_OP_MOVE: case ST_OP_COPY:
        in_store = get_le(b, 1);
        get_bin(b, &a->eid1);
        get_bin(b, &a->eid2);
        if (!b->bad && in_store != (a->eid1.len == 0))
            bad(b, "rule actions: FolderInThisStore does not match the store entry ID");
        break;
    case ST_OP_REPLY: case ST_OP_OOF_REPLY: {
        get_bin(b, &a->eid1);
        const uint8_t *g = get_bytes(b, 16);
        if (g)
            st_guid_from_bytes(&a->guid, g);
        break;
    }
    case ST_OP_DEFER_ACTION:
        get_bin_n(b, &a->eid1, (size_t)(b->end - b->p));
        break;
    case ST_OP_BOUNCE:
        a->bounce = (int32_t)(uint32_t)get_le(b, 4);
        break;
    case ST_OP_FORWARD: case ST_OP_DELEGATE:
        get_recips(b, a);
        break;
    case ST_OP_TAG:
        get_tagged(b, &a->tag);
        break;
    case ST_OP_DELETE: case ST_OP_MARK_AS_READ:
        break;
    default:
        bad(b, "rule actions: unknown action type");
    }
}

int st_actions_decode(st_actions **out, const uint8_t *data, size_t len)
{
    *out = NULL;
    if (!data)
        return st__fail("rule actions: no bytes");
    rbuf b = { data, data + len, 0 };
    uint32_t n = (uint32_t)get_le(&b, 2);
    if (b.bad)
        return -1;
    /* every block is at least 2 + 9 bytes */
    if (n > ST_ACT_MAX_ACTIONS || (size_t)(b.end - b.p) < (size_t)n * 11)
        return st__fail("rule actions: an action count the bytes cannot hold");
    st_actions *acts = st_actions_new(n);
    if (!acts)
        return -1;
    for (uint32_t i = 0; i < n && !b.bad; i++) {
        size_t blen = (size_t)get_le(&b, 2);
        const uint8_t *block = get_bytes(&b, blen);
        if (!block)
            break;
        rbuf in = { block, block + blen, 0 };
        st_action *a = &acts->a[i];
        a->type = (uint32_t)get_le(&in, 1);
        a->flavor = (uint32_t)get_le(&in, 4);
        a->flags = (uint32_t)get_le(&in, 4);
        get_data(&in, a);
        if (!in.bad && in.p != in.end)
            bad(&in, "rule actions: bytes left in an action block");
        b.bad |= in.bad;
    }
    if (!b.bad && b.p != b.end)
        bad(&b, "rule actions: bytes left after the actions");
    if (b.bad) {
        st_actions_free(acts);
        return -1;
    }
    *out = acts;
    return 0;
}
