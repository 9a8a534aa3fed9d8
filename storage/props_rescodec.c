/*
 * props_rescodec.c: restrictions <-> [MS-OXCDATA] 2.12 bytes (see
 * props_rescodec.h for the exact format chosen).
 *
 * Invariant: decode(encode(r)) is a tree equal to r (values compare equal:
 * strings go UTF-8 -> UTF-16 -> UTF-8, which st_value_copy already made
 * valid). Never: read a byte past the end, recurse deeper than
 * ST_RES_MAX_DEPTH, or return a partial tree.
 */
#include <string.h>

#include "storage/props_bytes.h"
#include "storage/props_rescodec.h"

/* ---- encoding ---- */

typedef st_wbuf wbuf;

static void put_count(wbuf *b, uint64_t n)
{
    if (n > 0xFFFF)
        st_wbuf_refuse(b, "restriction: a count above 65535 does not fit [MS-OXCDATA] 2.12");
    st_wbuf_le(b, n, 2);
}

static void put_utf16(wbuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    while (p < end) {
        uint32_t cp = st__utf8_next(&p, end);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            st_wbuf_le(b, 0xD800 | (cp >> 10), 2);
            st_wbuf_le(b, 0xDC00 | (cp & 0x3FF), 2);
        } else
            st_wbuf_le(b, cp, 2);
    }
    st_wbuf_le(b, 0, 2);
}

static void put_bin(wbuf *b, const st_bin *x)
{
    put_count(b, x->len);
    if (x->len)
        st_wbuf_put(b, x->data, x->len);
}

static void put_guid(wbuf *b, const st_guid *g)
{
    uint8_t x[16];
    st_guid_to_bytes(x, g);
    st_wbuf_put(b, x, 16);
}

/* One fixed-size element of type t (base type) at p. */
static void put_fixed(wbuf *b, uint32_t t, const void *p)
{
    switch (t) {
    case PT_I2: st_wbuf_le(b, (uint16_t)*(const int16_t *)p, 2); break;
    case PT_LONG: case PT_ERROR: st_wbuf_le(b, (uint32_t)*(const int32_t *)p, 4); break;
    case PT_R4: { uint32_t u; memcpy(&u, p, 4); st_wbuf_le(b, u, 4); break; }
    case PT_DOUBLE: case PT_APPTIME: { uint64_t u; memcpy(&u, p, 8); st_wbuf_le(b, u, 8); break; }
    default: { uint64_t u; memcpy(&u, p, 8); st_wbuf_le(b, u, 8); break; }   /* I8, CURRENCY, SYSTIME */
    }
}

/* 1 for the types whose value is a fixed-size number (put_fixed/get_fixed). */
static int fixed_type(uint32_t t)
{
    return t == PT_I2 || t == PT_LONG || t == PT_ERROR || t == PT_R4 || t == PT_DOUBLE ||
        t == PT_APPTIME || t == PT_CURRENCY || t == PT_I8 || t == PT_SYSTIME;
}

static void put_value(wbuf *b, const st_value *v)
{
    uint32_t t = PROP_TYPE(v->tag) & ~(uint32_t)MV_INSTANCE;
    st_wbuf_le(b, v->tag, 4);
    if (fixed_type(t)) {
        put_fixed(b, t, &v->v);
        return;
    }
    switch (t) {
    case PT_NULL: case PT_OBJECT: return;
    case PT_BOOLEAN: st_wbuf_le(b, v->v.b != 0, 1); return;
    case PT_UNICODE: put_utf16(b, v->v.str ? v->v.str : ""); return;
    case PT_STRING8: st_wbuf_put(b, v->v.str ? v->v.str : "", strlen(v->v.str ? v->v.str : "") + 1); return;
    case PT_CLSID: put_guid(b, v->v.guid); return;
    case PT_BINARY: case PT_SVREID: put_bin(b, &v->v.bin); return;
    default: break;
    }
    if (!(t & MV_FLAG)) {
        st_wbuf_refuse(b, "restriction: a value of this type cannot be stored");
        return;
    }
    uint32_t base = t & ~(uint32_t)MV_FLAG;
    size_t esz = st_proptype_elem_size(base);
    put_count(b, v->v.mv.n);
    for (uint32_t i = 0; i < v->v.mv.n && !b->bad; i++) {
        const char *e = (const char *)v->v.mv.any + i * esz;
        if (base == PT_UNICODE)
            put_utf16(b, v->v.mv.str[i]);
        else if (base == PT_STRING8)
            st_wbuf_put(b, v->v.mv.str[i], strlen(v->v.mv.str[i]) + 1);
        else if (base == PT_BINARY)
            put_bin(b, &v->v.mv.bin[i]);
        else if (base == PT_CLSID)
            put_guid(b, &v->v.mv.guid[i]);
        else if (esz)
            put_fixed(b, base, e);
        else
            st_wbuf_refuse(b, "restriction: a multi-valued type that cannot be stored");
    }
}

static void put_res(wbuf *b, const st_restriction *r)
{
    if (b->bad)
        return;
    st_wbuf_le(b, r->rt, 1);
    switch (r->rt) {
    case RES_AND: case RES_OR:
        put_count(b, r->u.and_or.n);
        for (uint32_t i = 0; i < r->u.and_or.n; i++)
            put_res(b, r->u.and_or.kids[i]);
        break;
    case RES_NOT: put_res(b, r->u.not_.kid); break;
    case RES_CONTENT:
        st_wbuf_le(b, r->u.content.fuzzy & 0xFFFF, 2);
        st_wbuf_le(b, r->u.content.fuzzy >> 16, 2);
        st_wbuf_le(b, r->u.content.tag, 4);
        put_value(b, &r->u.content.value);
        break;
    case RES_PROPERTY:
        st_wbuf_le(b, r->u.prop.relop, 1);
        st_wbuf_le(b, r->u.prop.tag, 4);
        put_value(b, &r->u.prop.value);
        break;
    case RES_COMPAREPROPS:
        st_wbuf_le(b, r->u.cmp.relop, 1);
        st_wbuf_le(b, r->u.cmp.tag1, 4);
        st_wbuf_le(b, r->u.cmp.tag2, 4);
        break;
    case RES_BITMASK:
        st_wbuf_le(b, r->u.bitmask.bmr, 1);
        st_wbuf_le(b, r->u.bitmask.tag, 4);
        st_wbuf_le(b, r->u.bitmask.mask, 4);
        break;
    case RES_SIZE:
        st_wbuf_le(b, r->u.size.relop, 1);
        st_wbuf_le(b, r->u.size.tag, 4);
        st_wbuf_le(b, r->u.size.cb, 4);
        break;
    case RES_EXIST: st_wbuf_le(b, r->u.exist.tag, 4); break;
    case RES_SUBRESTRICTION:
        st_wbuf_le(b, r->u.sub.subobject, 4);
        put_res(b, r->u.sub.kid);
        break;
    case RES_COMMENT:
        if (r->u.comment.n > 0xFF)
            st_wbuf_refuse(b, "restriction: more than 255 comment values");
        st_wbuf_le(b, r->u.comment.n, 1);
        for (uint32_t i = 0; i < r->u.comment.n; i++)
            put_value(b, &r->u.comment.values[i]);
        st_wbuf_le(b, r->u.comment.kid != NULL, 1);
        if (r->u.comment.kid)
            put_res(b, r->u.comment.kid);
        break;
    default:
        st_wbuf_refuse(b, "restriction: unknown type");
    }
}

int st_res_encode(uint8_t **out, size_t *len, const st_restriction *r)
{
    *out = NULL;
    *len = 0;
    wbuf b = { 0 };
    if (!r)
        return st__fail("restriction: nothing to encode");
    put_res(&b, r);
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
#define CUT "restriction: bytes end inside a restriction"

static int short_input(rbuf *b)
{
    st_rbuf_bad(b, CUT);
    return 0;
}

/* A NUL-terminated UTF-16LE string as UTF-8 (st__malloc'd). */
static char *get_utf16(rbuf *b)
{
    const uint8_t *start = b->p;
    size_t units = 0;
    for (;;) {
        uint64_t u = st_rbuf_le(b, 2);
        if (b->bad)
            return NULL;
        if (!u)
            break;
        units++;
    }
    char *s = st__malloc(units * 3 + 1), *o = s;
    if (!s) {
        b->bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < units; i++) {
        uint32_t cp = (uint32_t)start[2 * i] | (uint32_t)start[2 * i + 1] << 8;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < units) {
            uint32_t lo = (uint32_t)start[2 * i + 2] | (uint32_t)start[2 * i + 3] << 8;
            if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            }
        }
        if (cp >= 0xD800 && cp < 0xE000)
            cp = 0xFFFD;   /* unpaired surrogate */
        o += st__utf8_put((unsigned char *)o, cp);
    }
    *o = 0;
    return s;
}

/* A NUL-terminated 8-bit string (a copy, st__malloc'd). */
static char *get_str8(rbuf *b)
{
    const uint8_t *z = b->bad ? NULL : memchr(b->p, 0, (size_t)(b->end - b->p));
    if (!z)
        return short_input(b), NULL;
    size_t n = (size_t)(z - b->p);
    char *s = st__malloc(n + 1);
    if (!s) {
        b->bad = 1;
        return NULL;
    }
    memcpy(s, b->p, n + 1);
    b->p = z + 1;
    return s;
}

static void get_fixed(rbuf *b, uint32_t t, void *out)
{
    switch (t) {
    case PT_I2: {
        int16_t x = (int16_t)(uint16_t)st_rbuf_le(b, 2);
        memcpy(out, &x, 2);
        break;
    }
    case PT_LONG: case PT_ERROR: {
        int32_t x = (int32_t)(uint32_t)st_rbuf_le(b, 4);
        memcpy(out, &x, 4);
        break;
    }
    case PT_R4: {
        uint32_t u = (uint32_t)st_rbuf_le(b, 4);
        memcpy(out, &u, 4);
        break;
    }
    default: {   /* 8 bytes: DOUBLE, APPTIME, CURRENCY, I8, SYSTIME */
        uint64_t u = st_rbuf_le(b, 8);
        memcpy(out, &u, 8);
        break;
    }
    }
}

/* A tagged value into *v (owned: clear with st_value_clear, also when cut
 * short: what is missing is NULL). */
static void get_value(rbuf *b, st_value *v)
{
    memset(v, 0, sizeof *v);
    uint32_t tag = (uint32_t)st_rbuf_le(b, 4);
    uint32_t t = PROP_TYPE(tag) & ~(uint32_t)MV_INSTANCE;
    if (b->bad)
        return;
    if (!st_proptype_valid(t) || t == PT_SRESTRICT || t == PT_ACTIONS) {
        st_rbuf_bad(b, "restriction: a value of an unknown or unsupported type");
        return;
    }
    v->tag = tag;
    if (fixed_type(t)) {
        get_fixed(b, t, &v->v);
        return;
    }
    switch (t) {
    case PT_NULL: case PT_OBJECT: return;
    case PT_BOOLEAN: v->v.b = st_rbuf_le(b, 1) != 0; return;
    case PT_UNICODE: v->v.str = get_utf16(b); return;
    case PT_STRING8: v->v.str = get_str8(b); return;
    case PT_CLSID: {
        const uint8_t *g = st_rbuf_bytes(b, 16);
        if (g && (v->v.guid = st__malloc(sizeof *v->v.guid)))
            st_guid_from_bytes(v->v.guid, g);
        else
            b->bad = 1;
        return;
    }
    case PT_BINARY: case PT_SVREID: {
        uint32_t n = (uint32_t)st_rbuf_le(b, 2);
        const uint8_t *d = st_rbuf_bytes(b, n);
        if (d && n && (v->v.bin.data = st__malloc(n))) {
            memcpy(v->v.bin.data, d, n);
            v->v.bin.len = n;
        } else if (n)
            b->bad = 1;
        return;
    }
    default: break;
    }
    uint32_t base = t & ~(uint32_t)MV_FLAG;
    size_t esz = st_proptype_elem_size(base);
    uint32_t n = (uint32_t)st_rbuf_le(b, 2);
    if (b->bad)
        return;
    if (!esz) {
        st_rbuf_bad(b, "restriction: a multi-valued type that cannot be stored");
        return;
    }
    if (n && !(v->v.mv.any = st__calloc(n, esz))) {
        b->bad = 1;
        return;
    }
    v->v.mv.n = n;
    for (uint32_t i = 0; i < n && !b->bad; i++) {
        if (base == PT_UNICODE)
            v->v.mv.str[i] = get_utf16(b);
        else if (base == PT_STRING8)
            v->v.mv.str[i] = get_str8(b);
        else if (base == PT_BINARY) {
            uint32_t m = (uint32_t)st_rbuf_le(b, 2);
            const uint8_t *d = st_rbuf_bytes(b, m);
            if (d && m && (v->v.mv.bin[i].data = st__malloc(m))) {
                memcpy(v->v.mv.bin[i].data, d, m);
                v->v.mv.bin[i].len = m;
            } else if (m)
                b->bad = 1;
        } else if (base == PT_CLSID) {
            const uint8_t *g = st_rbuf_bytes(b, 16);
            if (g)
                st_guid_from_bytes(&v->v.mv.guid[i], g);
        } else
            get_fixed(b, base, (char *)v->v.mv.any + i * esz);
    }
}

static st_restriction *get_res(rbuf *b, unsigned depth);

/* Wraps a constructor call on a decoded value: the value is copied by the
 * constructor, then dropped here. */
static st_restriction *with_value(rbuf *b, st_restriction *(*make)(uint32_t, uint32_t,
    const st_value *), uint32_t a, uint32_t tag)
{
    st_value v;
    get_value(b, &v);
    st_restriction *r = b->bad ? NULL : make(a, tag, &v);
    st_value_clear(&v);
    if (!r)
        st_rbuf_bad(b, "restriction: a value the restriction model refuses");
    return r;
}

static st_restriction *get_list(rbuf *b, unsigned depth, uint32_t rt)
{
    uint32_t n = (uint32_t)st_rbuf_le(b, 2);
    if (b->bad)
        return NULL;
    st_restriction **kids = n ? st__calloc(n, sizeof *kids) : NULL;
    if (n && !kids) {
        b->bad = 1;
        return NULL;
    }
    for (uint32_t i = 0; i < n && !b->bad; i++)
        kids[i] = get_res(b, depth + 1);
    st_restriction *r = NULL;
    if (!b->bad)
        r = rt == RES_AND ? st_res_and_array(n, kids) : st_res_or_array(n, kids);
    else
        for (uint32_t i = 0; i < n; i++)
            st_res_free(kids[i]);
    st__free(kids);
    if (!r)
        st_rbuf_bad(b, "restriction: out of memory or nested too deep");
    return r;
}

static st_restriction *get_comment(rbuf *b, unsigned depth)
{
    uint32_t n = (uint32_t)st_rbuf_le(b, 1);
    if (b->bad)
        return NULL;
    st_value *vals = n ? st__calloc(n, sizeof *vals) : NULL;
    if (n && !vals) {
        b->bad = 1;
        return NULL;
    }
    uint32_t got = 0;
    for (; got < n && !b->bad; got++)
        get_value(b, &vals[got]);
    st_restriction *kid = NULL, *r = NULL;
    int present = b->bad ? 0 : (int)st_rbuf_le(b, 1);
    if (!b->bad && present > 1)
        st_rbuf_bad(b, "restriction: RestrictionPresent is neither 0 nor 1");
    if (!b->bad && present)
        kid = get_res(b, depth + 1);
    if (!b->bad)
        r = present ? st_res_comment(vals, n, kid) : st_res_comment_alone(vals, n);
    else
        st_res_free(kid);
    for (uint32_t i = 0; i < got; i++)
        st_value_clear(&vals[i]);
    st__free(vals);
    if (!r)
        st_rbuf_bad(b, "restriction: a comment the restriction model refuses");
    return r;
}

static st_restriction *get_res(rbuf *b, unsigned depth)
{
    if (depth >= ST_RES_MAX_DEPTH) {
        st_rbuf_bad(b, "restriction: nested too deep");
        return NULL;
    }
    uint32_t rt = (uint32_t)st_rbuf_le(b, 1);
    if (b->bad)
        return NULL;
    st_restriction *r = NULL;
    uint32_t a, t1, t2;
    switch (rt) {
    case RES_AND: case RES_OR:
        return get_list(b, depth, rt);
    case RES_NOT:
        r = get_res(b, depth + 1);
        if (!r)
            return NULL;
        r = st_res_not(r);
        break;
    case RES_CONTENT:
        a = (uint32_t)st_rbuf_le(b, 2);
        a |= (uint32_t)st_rbuf_le(b, 2) << 16;
        t1 = (uint32_t)st_rbuf_le(b, 4);
        return b->bad ? NULL : with_value(b, st_res_content, a, t1);
    case RES_PROPERTY:
        a = (uint32_t)st_rbuf_le(b, 1);
        t1 = (uint32_t)st_rbuf_le(b, 4);
        return b->bad ? NULL : with_value(b, st_res_property, a, t1);
    case RES_COMPAREPROPS: case RES_BITMASK: case RES_SIZE:
        a = (uint32_t)st_rbuf_le(b, 1);
        t1 = (uint32_t)st_rbuf_le(b, 4);
        t2 = (uint32_t)st_rbuf_le(b, 4);
        if (b->bad)
            return NULL;
        r = rt == RES_COMPAREPROPS ? st_res_compareprops(a, t1, t2)
            : rt == RES_BITMASK ? st_res_bitmask(a, t1, t2) : st_res_size(a, t1, t2);
        break;
    case RES_EXIST:
        t1 = (uint32_t)st_rbuf_le(b, 4);
        if (b->bad)
            return NULL;
        r = st_res_exist(t1);
        break;
    case RES_SUBRESTRICTION:
        t1 = (uint32_t)st_rbuf_le(b, 4);
        r = b->bad ? NULL : get_res(b, depth + 1);
        if (!r)
            return NULL;
        r = st_res_sub(t1, r);
        break;
    case RES_COMMENT:
        return get_comment(b, depth);
    default:
        st_rbuf_bad(b, "restriction: unknown or unsupported restriction type");
        return NULL;
    }
    if (!r)
        st_rbuf_bad(b, "restriction: refused by the restriction model");
    return r;
}

int st_res_decode(st_restriction **out, const uint8_t *data, size_t len)
{
    *out = NULL;
    rbuf b = { data, data + len, 0, CUT };
    if (!data)
        return st__fail("restriction: no bytes");
    st_restriction *r = get_res(&b, 0);
    if (!b.bad && b.p != b.end)
        st_rbuf_bad(&b, "restriction: bytes left after the restriction");
    if (b.bad) {
        st_res_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

/* ---- one tagged value, for other codecs (props_actcodec.c) ---- */

int st_tagged_value_put(char **buf, size_t *len, size_t *cap, const st_value *v)
{
    wbuf b = { *buf, *len, *cap, 0 };
    put_value(&b, v);
    *buf = b.p;
    *len = b.len;
    *cap = b.cap;
    return b.bad ? -1 : 0;
}

int st_tagged_value_get(const uint8_t **p, const uint8_t *end, st_value *v)
{
    rbuf b = { *p, end, 0, CUT };
    get_value(&b, v);
    if (b.bad) {
        st_value_clear(v);
        return -1;
    }
    *p = b.p;
    return 0;
}
