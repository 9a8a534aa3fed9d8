/*
 * propblob.c: the compact binary form of a property bag kept in one column
 * per object (messages.props, folders.props, attachments.props,
 * recipients.props). One blob per object instead of one row per property:
 * a message is one row write, which is what makes 20,000 imports/s possible.
 *
 * Format v1 (little-endian):
 *   'S' 'B' version=1 flags=0  count:varint
 *   count x { tag:u32  value }
 *   crc32:u32 over every byte before it
 * value by type: I2 2 bytes; LONG, ERROR, R4 4; DOUBLE, APPTIME, CURRENCY,
 * I8, SYSTIME 8; BOOLEAN 1; CLSID 16; OBJECT nothing; STRING8, UNICODE,
 * BINARY, SVREID, SRESTRICT, ACTIONS varint length + bytes; MV_* varint n
 * + n elements as above.
 *
 * Invariant: decoding checks the CRC, then every length against the end of
 * the buffer before reading; anything wrong is ST_ECORRUPT with a message,
 * never a read out of bounds or an abort. Strings are validated by
 * st_bag_set (invalid UTF-8 becomes U+FFFD).
 */
#include <stdlib.h>
#include <string.h>

#include "storage/os.h"
#include "storage/props_int.h"
#include "storage/storage_int.h"

#define BLOB_VERSION 1

void st_buf_free(st_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static int buf_reserve(st_buf *b, size_t more)
{
    if (b->cap - b->len >= more)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < more) {
        if (cap > SIZE_MAX / 2) {
            st_error_set("property blob too large");
            return ST_ERROR;
        }
        cap *= 2;
    }
    uint8_t *p = realloc(b->data, cap);
    if (!p) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

int st_buf_append(st_buf *b, const void *p, size_t len)
{
    if (buf_reserve(b, len))
        return ST_ERROR;
    if (len)
        memcpy(b->data + b->len, p, len);
    b->len += len;
    return 0;
}

static int put_u64(st_buf *b, uint64_t v, int n)
{
    uint8_t tmp[8];
    for (int i = 0; i < n; i++)
        tmp[i] = (uint8_t)(v >> (8 * i));
    return st_buf_append(b, tmp, (size_t)n);
}

static int put_varint(st_buf *b, uint64_t v)
{
    uint8_t tmp[10];
    int n = 0;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        tmp[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    return st_buf_append(b, tmp, (size_t)n);
}

static int put_bytes(st_buf *b, const void *p, size_t len)
{
    return put_varint(b, len) || st_buf_append(b, p, len);
}

static int put_dbl(st_buf *b, double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return put_u64(b, u, 8);
}

static int put_flt(st_buf *b, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return put_u64(b, u, 4);
}

static int put_guid(st_buf *b, const st_guid *g)
{
    uint8_t w[16];
    st_guid_to_bytes(w, g);
    return st_buf_append(b, w, 16);
}

static int encode_value(st_buf *b, const st_value *v)
{
    uint32_t t = PROP_TYPE(v->tag) & ~(uint32_t)MV_INSTANCE;
    const st_mv *mv = &v->v.mv;
    int r = 0;
    switch (t) {
    case PT_I2: return put_u64(b, (uint16_t)v->v.i, 2);
    case PT_LONG: return put_u64(b, (uint32_t)v->v.l, 4);
    case PT_ERROR: return put_u64(b, (uint32_t)v->v.err, 4);
    case PT_R4: return put_flt(b, v->v.flt);
    case PT_DOUBLE: return put_dbl(b, v->v.dbl);
    case PT_APPTIME: return put_dbl(b, v->v.at);
    case PT_CURRENCY: return put_u64(b, (uint64_t)v->v.cur, 8);
    case PT_I8: return put_u64(b, (uint64_t)v->v.li, 8);
    case PT_SYSTIME: return put_u64(b, v->v.ft, 8);
    case PT_BOOLEAN: return put_u64(b, v->v.b ? 1 : 0, 1);
    case PT_OBJECT: case PT_NULL: return 0;
    case PT_CLSID: return put_guid(b, v->v.guid);
    case PT_STRING8: case PT_UNICODE:
        return put_bytes(b, v->v.str, strlen(v->v.str));
    case PT_BINARY: case PT_SVREID: case PT_SRESTRICT: case PT_ACTIONS:
        return put_bytes(b, v->v.bin.data, v->v.bin.len);
    default:
        break;
    }
    if (!(t & MV_FLAG)) {
        st_error_set("property 0x%08X: type not storable", (unsigned)v->tag);
        return ST_ERROR;
    }
    if (put_varint(b, mv->n))
        return ST_ERROR;
    for (uint32_t i = 0; i < mv->n && !r; i++) {
        switch (t) {
        case PT_MV_I2: r = put_u64(b, (uint16_t)mv->i[i], 2); break;
        case PT_MV_LONG: r = put_u64(b, (uint32_t)mv->l[i], 4); break;
        case PT_MV_R4: r = put_flt(b, mv->flt[i]); break;
        case PT_MV_DOUBLE: r = put_dbl(b, mv->dbl[i]); break;
        case PT_MV_APPTIME: r = put_dbl(b, mv->at[i]); break;
        case PT_MV_CURRENCY: r = put_u64(b, (uint64_t)mv->cur[i], 8); break;
        case PT_MV_I8: r = put_u64(b, (uint64_t)mv->li[i], 8); break;
        case PT_MV_SYSTIME: r = put_u64(b, mv->ft[i], 8); break;
        case PT_MV_CLSID: r = put_guid(b, &mv->guid[i]); break;
        case PT_MV_STRING8: case PT_MV_UNICODE:
            r = put_bytes(b, mv->str[i], strlen(mv->str[i]));
            break;
        case PT_MV_BINARY: r = put_bytes(b, mv->bin[i].data, mv->bin[i].len); break;
        default:
            st_error_set("property 0x%08X: type not storable", (unsigned)v->tag);
            return ST_ERROR;
        }
    }
    return r;
}

int st_propblob__encode(st_buf *out, const st_bag *bag, int (*keep)(uint32_t tag, void *ctx),
    void *ctx)
{
    size_t n = st_bag_count(bag), kept = 0;
    /* keep is asked once per value: its answers wait here for the second
     * pass (the count goes first). */
    uint8_t small[256], *no = n <= sizeof small ? small : calloc(n, 1);
    if (!no) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        no[i] = keep && !keep(st_bag_at(bag, i)->tag, ctx);
        kept += !no[i];
    }
    out->len = 0;
    static const uint8_t head[4] = { 'S', 'B', BLOB_VERSION, 0 };
    int code = st_buf_append(out, head, 4) || put_varint(out, kept) ? ST_ERROR : 0;
    for (size_t i = 0; !code && i < n; i++) {
        const st_value *v = st_bag_at(bag, i);
        if (!no[i] && (put_u64(out, v->tag, 4) || encode_value(out, v)))
            code = ST_ERROR;
    }
    if (no != small)
        free(no);
    return code ? code : put_u64(out, st_crc32(0, out->data, out->len), 4);
}

/* ---- decoding ---- */

typedef struct rd {
    const uint8_t *p;     /* next byte */
    const uint8_t *end;   /* one past the last byte */
} rd;

static int corrupt(const char *what)
{
    st_error_set("corrupt property blob: %s", what);
    return ST_ECORRUPT;
}

static int get_u64(rd *r, uint64_t *out, int n)
{
    if (r->end - r->p < n)
        return corrupt("truncated value");
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += n;
    *out = v;
    return 0;
}

static int get_varint(rd *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            return corrupt("truncated length");
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return corrupt("bad length");
}

static int get_bytes(rd *r, const uint8_t **p, uint32_t *len)
{
    uint64_t n;
    if (get_varint(r, &n))
        return ST_ECORRUPT;
    if (n > (uint64_t)(r->end - r->p) || n > UINT32_MAX)
        return corrupt("length past the end");
    *p = r->p;
    *len = (uint32_t)n;
    r->p += n;
    return 0;
}

/* Minimum encoded size of one element of an MV type, to bound n. */
static size_t elem_min(uint32_t t)
{
    switch (t & ~(uint32_t)MV_FLAG) {
    case PT_I2: return 2;
    case PT_LONG: case PT_R4: return 4;
    case PT_CLSID: return 16;
    case PT_STRING8: case PT_UNICODE: case PT_BINARY: return 1;
    default: return 8;
    }
}

static char *dup_n(const uint8_t *p, uint32_t len)
{
    char *s = malloc((size_t)len + 1);
    if (s) {
        memcpy(s, p, len);
        s[len] = 0;
    }
    return s;
}

static int decode_mv(rd *r, st_bag *bag, uint32_t tag)
{
    uint32_t t = PROP_TYPE(tag);
    uint64_t n;
    if (get_varint(r, &n))
        return ST_ECORRUPT;
    if (n > (uint64_t)(r->end - r->p) / elem_min(t))
        return corrupt("count past the end");
    size_t esz;
    switch (t) {
    case PT_MV_I2: esz = sizeof(int16_t); break;
    case PT_MV_LONG: esz = sizeof(int32_t); break;
    case PT_MV_R4: esz = sizeof(float); break;
    case PT_MV_CLSID: esz = sizeof(st_guid); break;
    case PT_MV_STRING8: case PT_MV_UNICODE: esz = sizeof(char *); break;
    case PT_MV_BINARY: esz = sizeof(st_bin); break;
    default: esz = 8; break;
    }
    void *arr = calloc(n ? (size_t)n : 1, esz);
    if (!arr) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    st_value v = { .tag = tag };
    v.v.mv.n = (uint32_t)n;
    v.v.mv.any = n ? arr : NULL;
    int code = 0;
    size_t i;
    for (i = 0; i < n && !code; i++) {
        uint64_t u = 0;
        const uint8_t *p;
        uint32_t len;
        switch (t) {
        case PT_MV_I2: code = get_u64(r, &u, 2); v.v.mv.i[i] = (int16_t)(uint16_t)u; break;
        case PT_MV_LONG: code = get_u64(r, &u, 4); v.v.mv.l[i] = (int32_t)(uint32_t)u; break;
        case PT_MV_R4: {
            code = get_u64(r, &u, 4);
            uint32_t u32 = (uint32_t)u;
            memcpy(&v.v.mv.flt[i], &u32, 4);
            break;
        }
        case PT_MV_DOUBLE: case PT_MV_APPTIME:
            code = get_u64(r, &u, 8);
            memcpy(&v.v.mv.dbl[i], &u, 8);
            break;
        case PT_MV_CURRENCY: case PT_MV_I8: code = get_u64(r, &u, 8); v.v.mv.li[i] = (int64_t)u; break;
        case PT_MV_SYSTIME: code = get_u64(r, &u, 8); v.v.mv.ft[i] = u; break;
        case PT_MV_CLSID:
            if (r->end - r->p < 16) {
                code = corrupt("truncated GUID");
                break;
            }
            st_guid_from_bytes(&v.v.mv.guid[i], r->p);
            r->p += 16;
            break;
        case PT_MV_STRING8: case PT_MV_UNICODE:
            code = get_bytes(r, &p, &len);
            if (!code && !(v.v.mv.str[i] = dup_n(p, len))) {
                st_error_set("out of memory");
                code = ST_ERROR;
            }
            break;
        case PT_MV_BINARY:
            code = get_bytes(r, &p, &len);
            if (!code) {
                v.v.mv.bin[i].len = len;
                v.v.mv.bin[i].data = (uint8_t *)(uintptr_t)p;   /* borrowed; copied below */
            }
            break;
        default:
            code = corrupt("unknown multi-valued type");
            break;
        }
    }
    if (!code && st_bag_set(bag, &v) < 0)
        code = ST_ERROR;
    if (t == PT_MV_STRING8 || t == PT_MV_UNICODE)
        for (size_t k = 0; k < n; k++)
            free(v.v.mv.str[k]);
    free(arr);
    return code;
}

static int decode_value(rd *r, st_bag *bag, uint32_t tag)
{
    uint32_t t = PROP_TYPE(tag);
    uint64_t u = 0;
    const uint8_t *p;
    uint32_t len;
    st_value v = { .tag = tag };
    int code;
    switch (t) {
    case PT_I2: code = get_u64(r, &u, 2); v.v.i = (int16_t)(uint16_t)u; break;
    case PT_LONG: code = get_u64(r, &u, 4); v.v.l = (int32_t)(uint32_t)u; break;
    case PT_ERROR: code = get_u64(r, &u, 4); v.v.err = (int32_t)(uint32_t)u; break;
    case PT_R4: {
        code = get_u64(r, &u, 4);
        uint32_t u32 = (uint32_t)u;
        memcpy(&v.v.flt, &u32, 4);
        break;
    }
    case PT_DOUBLE: code = get_u64(r, &u, 8); memcpy(&v.v.dbl, &u, 8); break;
    case PT_APPTIME: code = get_u64(r, &u, 8); memcpy(&v.v.at, &u, 8); break;
    case PT_CURRENCY: code = get_u64(r, &u, 8); v.v.cur = (int64_t)u; break;
    case PT_I8: code = get_u64(r, &u, 8); v.v.li = (int64_t)u; break;
    case PT_SYSTIME: code = get_u64(r, &u, 8); v.v.ft = u; break;
    case PT_BOOLEAN: code = get_u64(r, &u, 1); v.v.b = u != 0; break;
    case PT_OBJECT: code = 0; break;
    case PT_CLSID: {
        if (r->end - r->p < 16)
            return corrupt("truncated GUID");
        st_guid g;
        st_guid_from_bytes(&g, r->p);
        r->p += 16;
        v.v.guid = &g;
        return st_bag_set(bag, &v) < 0 ? ST_ERROR : 0;
    }
    case PT_STRING8: case PT_UNICODE:
        code = get_bytes(r, &p, &len);
        if (code)
            return code;
        return st_bag_set_strn(bag, tag, (const char *)p, len) < 0 ? ST_ERROR : 0;
    case PT_BINARY: case PT_SVREID: case PT_SRESTRICT: case PT_ACTIONS:
        code = get_bytes(r, &p, &len);
        if (code)
            return code;
        v.v.bin.len = len;
        v.v.bin.data = (uint8_t *)(uintptr_t)p;
        break;
    default:
        if (t & MV_FLAG)
            return decode_mv(r, bag, tag);
        return corrupt("unknown property type");
    }
    if (code)
        return code;
    return st_bag_set(bag, &v) < 0 ? ST_ERROR : 0;
}

/* One property tag, checked (a storable type, a usable id). */
static int get_tag(rd *r, uint32_t *tag)
{
    uint64_t t;
    if (get_u64(r, &t, 4))
        return ST_ECORRUPT;
    *tag = (uint32_t)t;
    if (!st_proptype_valid(PROP_TYPE(*tag) & ~(uint32_t)MV_INSTANCE) ||
        PROP_ID(*tag) == PROP_ID_NULL || PROP_ID(*tag) == PROP_ID_INVALID)
        return corrupt("bad property tag");
    return 0;
}

/* Single values stored as varint length + bytes. */
static int is_counted(uint32_t t)
{
    switch (t) {
    case PT_STRING8: case PT_UNICODE: case PT_BINARY: case PT_SVREID: case PT_SRESTRICT:
    case PT_ACTIONS:
        return 1;
    default:
        return 0;
    }
}

/* Checks the header (and with check_crc the CRC) of a blob and reads its
 * value count: *r is then at the first tag. */
static int blob_open(rd *r, uint64_t *n, const void *data, size_t len, int check_crc)
{
    const uint8_t *b = data;
    if (len < 9 || b[0] != 'S' || b[1] != 'B')
        return corrupt("bad header");
    if (b[2] != BLOB_VERSION)
        return corrupt("unknown version");
    uint32_t crc = (uint32_t)b[len - 4] | (uint32_t)b[len - 3] << 8 |
        (uint32_t)b[len - 2] << 16 | (uint32_t)b[len - 1] << 24;
    if (check_crc && st_crc32(0, b, len - 4) != crc)
        return corrupt("checksum mismatch");
    *r = (rd){ b + 4, b + len - 4 };
    if (get_varint(r, n))
        return ST_ECORRUPT;
    if (*n > (uint64_t)(r->end - r->p) / 4)
        return corrupt("count past the end");
    return 0;
}

int st_propblob__decode(st_bag *bag, const void *data, size_t len)
{
    rd r;
    uint64_t n;
    int open = blob_open(&r, &n, data, len, 1);
    if (open)
        return open;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t tag;
        int code = get_tag(&r, &tag);
        if (!code)
            code = decode_value(&r, bag, tag);
        if (code)
            return code;
    }
    if (r.p != r.end)
        return corrupt("trailing bytes");
    return 0;
}

/* Steps over one encoded value of type t (bounds-checked like decoding). */
static int skip_value(rd *r, uint32_t t)
{
    const uint8_t *p;
    uint32_t len;
    if (t & MV_FLAG) {
        uint64_t n;
        if (get_varint(r, &n))
            return ST_ECORRUPT;
        if (n > (uint64_t)(r->end - r->p) / elem_min(t))
            return corrupt("count past the end");
        for (uint64_t i = 0; i < n; i++) {
            int code = skip_value(r, t & ~(uint32_t)MV_FLAG);
            if (code)
                return code;
        }
        return 0;
    }
    size_t fixed;
    switch (t) {
    case PT_OBJECT: fixed = 0; break;
    case PT_BOOLEAN: fixed = 1; break;
    case PT_I2: fixed = 2; break;
    case PT_LONG: case PT_ERROR: case PT_R4: fixed = 4; break;
    case PT_DOUBLE: case PT_APPTIME: case PT_CURRENCY: case PT_I8: case PT_SYSTIME: fixed = 8; break;
    case PT_CLSID: fixed = 16; break;
    default:
        if (is_counted(t))
            return get_bytes(r, &p, &len);
        return corrupt("unknown property type");
    }
    if ((size_t)(r->end - r->p) < fixed)
        return corrupt("truncated value");
    r->p += fixed;
    return 0;
}

int st_propblob__find(const void *data, size_t len, uint32_t tag, uint32_t *found,
    const uint8_t **val, const uint8_t **val_end)
{
    rd r;
    uint64_t n;
    int open = blob_open(&r, &n, data, len, 0);
    if (open)
        return open;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t t;
        const uint8_t *start, *bytes = NULL;
        uint32_t blen = 0;
        int variable, code;
        /* The common single types first, inline (a table sorted by a blob
         * property calls this for every row): a valid type, a usable id,
         * a one-byte length or a fixed size, checked against the end. */
        if (r.end - r.p >= 5) {
            t = (uint32_t)r.p[0] | (uint32_t)r.p[1] << 8 | (uint32_t)r.p[2] << 16 |
                (uint32_t)r.p[3] << 24;
            size_t fixed = 0;
            variable = 0;
            switch (PROP_TYPE(t)) {
            case PT_UNICODE: case PT_STRING8: case PT_BINARY:
                variable = r.p[4] < 0x80;
                fixed = variable ? 1 + (size_t)r.p[4] : 0;
                break;
            case PT_LONG: fixed = 4; break;
            case PT_SYSTIME: case PT_I8: fixed = 8; break;
            case PT_BOOLEAN: fixed = 1; break;
            default: break;
            }
            if (fixed && PROP_ID(t) != PROP_ID_NULL && PROP_ID(t) != PROP_ID_INVALID &&
                (size_t)(r.end - r.p) - 4 >= fixed) {
                start = r.p + 4;
                r.p = start + fixed;
                if (variable) {
                    bytes = start + 1;
                    blen = (uint32_t)(fixed - 1);
                }
                goto check;
            }
        }
        code = get_tag(&r, &t);
        if (code)
            return code;
        start = r.p;
        variable = is_counted(PROP_TYPE(t));
        code = variable ? get_bytes(&r, &bytes, &blen) : skip_value(&r, PROP_TYPE(t));
        if (code)
            return code;
    check:;
        uint32_t type = PROP_TYPE(t);
        /* ids are unique in a blob (it is written from a bag) */
        if (PROP_ID(t) == PROP_ID(tag)) {
            if (!st__type_compatible(PROP_TYPE(tag), type))
                return 0;
            *found = t;
            *val = variable ? bytes : start;
            *val_end = variable ? bytes + blen : r.p;
            return 1;
        }
    }
    return 0;
}

