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
#include "storage/props_bytes.h"
#include "storage/props_rescodec.h"

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

typedef st_wbuf wbuf;

static void put_count(wbuf *b, uint64_t n)
{
    if (n > 0xFFFF)
        st_wbuf_refuse(b, "rule actions: a count or size above 65535");
    st_wbuf_le(b, n, 2);
}

static void put_bin(wbuf *b, const st_bin *x)
{
    put_count(b, x->len);
    st_wbuf_put(b, x->data, x->len);
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
        st_wbuf_le(b, a->eid1.len == 0, 1);
        put_bin(b, &a->eid1);
        put_bin(b, &a->eid2);
        break;
    case ST_OP_REPLY: case ST_OP_OOF_REPLY:
        put_bin(b, &a->eid1);
        st_guid_to_bytes(g, &a->guid);
        st_wbuf_put(b, g, 16);
        break;
    case ST_OP_DEFER_ACTION:
        st_wbuf_put(b, a->eid1.data, a->eid1.len);
        break;
    case ST_OP_BOUNCE:
        st_wbuf_le(b, (uint32_t)a->bounce, 4);
        break;
    case ST_OP_FORWARD: case ST_OP_DELEGATE:
        if (a->n_recips > ST_ACT_MAX_RECIPS)
            st_wbuf_refuse(b, "rule actions: more than 1024 recipients");
        put_count(b, a->n_recips);
        for (uint32_t i = 0; i < a->n_recips && !b->bad; i++) {
            if (a->recips[i].n > ST_ACT_MAX_PROPS)
                st_wbuf_refuse(b, "rule actions: a recipient of more than 256 values");
            st_wbuf_le(b, 1, 1);
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
        st_wbuf_refuse(b, "rule actions: unknown action type");
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
        st_wbuf_refuse(&b, "rule actions: more than 256 actions");
    put_count(&b, acts->n);
    for (uint32_t i = 0; i < acts->n && !b.bad; i++) {
        const st_action *a = &acts->a[i];
        size_t at = b.len;
        st_wbuf_le(&b, 0, 2);   /* ActionLength, set below */
        st_wbuf_le(&b, a->type, 1);
        st_wbuf_le(&b, a->flavor, 4);
        st_wbuf_le(&b, a->flags, 4);
        put_data(&b, a);
        size_t n = b.bad ? 0 : b.len - at - 2;
        if (n > 0xFFFF)
            st_wbuf_refuse(&b, "rule actions: an action longer than 65535 bytes");
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

typedef st_rbuf rbuf;
#define CUT "rule actions: bytes end inside an action"

/* n bytes into *x (a copy; none for 0). */
static void get_bin_n(rbuf *b, st_bin *x, size_t n)
{
    const uint8_t *d = st_rbuf_bytes(b, n);
    if (!d || !n)
        return;
    if (!(x->data = st__malloc(n))) {
        st_rbuf_bad(b, "out of memory");
        return;
    }
    memcpy(x->data, d, n);
    x->len = (uint32_t)n;
}

static void get_bin(rbuf *b, st_bin *x)
{
    size_t n = (size_t)st_rbuf_le(b, 2);
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
    uint32_t n = (uint32_t)st_rbuf_le(b, 2);
    if (b->bad)
        return;
    if (n > ST_ACT_MAX_RECIPS || (size_t)(b->end - b->p) < (size_t)n * 3) {
        st_rbuf_bad(b, "rule actions: a recipient count the bytes cannot hold");
        return;
    }
    if (n && !(a->recips = st__calloc(n, sizeof *a->recips))) {
        st_rbuf_bad(b, "out of memory");
        return;
    }
    a->n_recips = n;
    for (uint32_t i = 0; i < n && !b->bad; i++) {
        if (st_rbuf_le(b, 1) != 1 && !b->bad)
            st_rbuf_bad(b, "rule actions: a recipient block's reserved byte is not 1");
        uint32_t np = (uint32_t)st_rbuf_le(b, 2);
        if (b->bad)
            return;
        if (np > ST_ACT_MAX_PROPS || (size_t)(b->end - b->p) < (size_t)np * 4) {
            st_rbuf_bad(b, "rule actions: a value count the bytes cannot hold");
            return;
        }
        if (np && !(a->recips[i].props = st__calloc(np, sizeof(st_value)))) {
            st_rbuf_bad(b, "out of memory");
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
        in_store = st_rbuf_le(b, 1);
        get_bin(b, &a->eid1);
        get_bin(b, &a->eid2);
        if (!b->bad && in_store != (a->eid1.len == 0))
            st_rbuf_bad(b, "rule actions: FolderInThisStore does not match the store entry ID");
        break;
    case ST_OP_REPLY: case ST_OP_OOF_REPLY: {
        get_bin(b, &a->eid1);
        const uint8_t *g = st_rbuf_bytes(b, 16);
        if (g)
            st_guid_from_bytes(&a->guid, g);
        break;
    }
    case ST_OP_DEFER_ACTION:
        get_bin_n(b, &a->eid1, (size_t)(b->end - b->p));
        break;
    case ST_OP_BOUNCE:
        a->bounce = (int32_t)(uint32_t)st_rbuf_le(b, 4);
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
        st_rbuf_bad(b, "rule actions: unknown action type");
    }
}

int st_actions_decode(st_actions **out, const uint8_t *data, size_t len)
{
    *out = NULL;
    if (!data)
        return st__fail("rule actions: no bytes");
    rbuf b = { data, data + len, 0, CUT };
    uint32_t n = (uint32_t)st_rbuf_le(&b, 2);
    if (b.bad)
        return -1;
    /* every block is at least 2 + 9 bytes */
    if (n > ST_ACT_MAX_ACTIONS || (size_t)(b.end - b.p) < (size_t)n * 11)
        return st__fail("rule actions: an action count the bytes cannot hold");
    st_actions *acts = st_actions_new(n);
    if (!acts)
        return -1;
    for (uint32_t i = 0; i < n && !b.bad; i++) {
        size_t blen = (size_t)st_rbuf_le(&b, 2);
        const uint8_t *block = st_rbuf_bytes(&b, blen);
        if (!block)
            break;
        rbuf in = { block, block + blen, 0, CUT };
        st_action *a = &acts->a[i];
        a->type = (uint32_t)st_rbuf_le(&in, 1);
        a->flavor = (uint32_t)st_rbuf_le(&in, 4);
        a->flags = (uint32_t)st_rbuf_le(&in, 4);
        get_data(&in, a);
        if (!in.bad && in.p != in.end)
            st_rbuf_bad(&in, "rule actions: bytes left in an action block");
        b.bad |= in.bad;
    }
    if (!b.bad && b.p != b.end)
        st_rbuf_bad(&b, "rule actions: bytes left after the actions");
    if (b.bad) {
        st_actions_free(acts);
        return -1;
    }
    *out = acts;
    return 0;
}
