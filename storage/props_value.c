/*
 * props_value.c: property values: deep copy, clear, the total order used by
 * restrictions and sorting, and the RES_SIZE size.
 *
 * Invariant: a value made by st_value_copy is well formed (see props.h) and
 * owns all it points to; st_value_clear gives back exactly that.
 * Never: keep a pointer into the source of a copy, or leave a half-built
 * value behind on failure.
 */
#include <math.h>
#include <string.h>

#include "storage/props_int.h"

#define FOLD_FLAGS (FL_IGNORECASE | FL_IGNORENONSPACE | FL_LOOSE)

static int is_bin_type(uint32_t t)
{
    return t == PT_BINARY || t == PT_SVREID || t == PT_SRESTRICT || t == PT_ACTIONS;
}

uint32_t st__type_class(uint32_t type)
{
    uint32_t t = type & ~(uint32_t)MV_INSTANCE;
    uint32_t base = t & ~(uint32_t)MV_FLAG;
    if (base == PT_STRING8)
        base = PT_UNICODE;
    return base | (t & MV_FLAG);
}

int st__type_compatible(uint32_t want, uint32_t have)
{
    uint32_t hc = st__type_class(have);
    if (want == PT_UNSPECIFIED)
        return 1;
    if ((want & MV_INSTANCE) && (want & MV_FLAG) &&
        hc == st__type_class(want & ~(uint32_t)MVI_FLAG))
        return 1;                       /* an instance row of an MV column */
    return hc == st__type_class(want);
}

size_t st_proptype_elem_size(uint32_t t)
{
    switch (t) {
    case PT_I2: return sizeof(int16_t);
    case PT_LONG: return sizeof(int32_t);
    case PT_R4: return sizeof(float);
    case PT_DOUBLE: case PT_APPTIME: return sizeof(double);
    case PT_CURRENCY: case PT_I8: return sizeof(int64_t);
    case PT_SYSTIME: return sizeof(uint64_t);
    case PT_STRING8: case PT_UNICODE: return sizeof(char *);
    case PT_CLSID: return sizeof(st_guid);
    case PT_BINARY: return sizeof(st_bin);
    default: return 0;
    }
}

st_value st__mv_elem_view(const st_value *mv, uint32_t i)
{
    uint32_t base = PROP_TYPE(mv->tag) & ~(uint32_t)MVI_FLAG;
    st_value v = { .tag = CHANGE_PROP_TYPE(mv->tag, base) };
    const st_mv *m = &mv->v.mv;
    switch (base) {
    case PT_I2: v.v.i = m->i[i]; break;
    case PT_LONG: v.v.l = m->l[i]; break;
    case PT_R4: v.v.flt = m->flt[i]; break;
    case PT_DOUBLE: v.v.dbl = m->dbl[i]; break;
    case PT_APPTIME: v.v.at = m->at[i]; break;
    case PT_CURRENCY: v.v.cur = m->cur[i]; break;
    case PT_I8: v.v.li = m->li[i]; break;
    case PT_SYSTIME: v.v.ft = m->ft[i]; break;
    case PT_STRING8: case PT_UNICODE: v.v.str = m->str[i]; break;
    case PT_CLSID: v.v.guid = &m->guid[i]; break;
    case PT_BINARY: v.v.bin = m->bin[i]; break;
    default: break;
    }
    return v;
}

/* ---- Copy and clear ---- */

static int copy_bin(st_bin *out, const st_bin *src)
{
    out->len = 0;
    out->data = NULL;
    if (src->len == 0)
        return 0;
    if (!src->data)
        return st__fail("binary value without data");
    out->data = st__malloc(src->len);
    if (!out->data)
        return -1;
    memcpy(out->data, src->data, src->len);
    out->len = src->len;
    return 0;
}

static char *copy_str(const char *s)
{
    if (!s)
        s = "";
    return st__utf8_dup(s, strlen(s));
}

static void free_mv(uint32_t base, st_mv *m)
{
    uint32_t i;
    if (!m->any)
        return;
    if (base == PT_STRING8 || base == PT_UNICODE)
        for (i = 0; i < m->n; i++)
            st__free(m->str[i]);
    else if (base == PT_BINARY)
        for (i = 0; i < m->n; i++)
            st__free(m->bin[i].data);
    st__free(m->any);
}

static int copy_mv(st_mv *out, uint32_t base, const st_mv *src)
{
    size_t size = st_proptype_elem_size(base);
    uint32_t i;

    out->n = 0;
    out->any = NULL;
    if (src->n == 0)
        return 0;
    if (!src->any || size == 0)
        return st__fail("multi-valued value without values");
    out->any = st__calloc(src->n, size);   /* zeroed: free_mv may run on it */
    if (!out->any)
        return -1;
    out->n = src->n;
    switch (base) {
    case PT_STRING8: case PT_UNICODE:
        for (i = 0; i < src->n; i++)
            if (!(out->str[i] = copy_str(src->str[i])))
                goto fail;
        break;
    case PT_BINARY:
        for (i = 0; i < src->n; i++)
            if (copy_bin(&out->bin[i], &src->bin[i]) < 0)
                goto fail;
        break;
    default:
        memcpy(out->any, src->any, (size_t)src->n * size);
        break;
    }
    return 0;
fail:
    free_mv(base, out);
    out->n = 0;
    out->any = NULL;
    return -1;
}

int st_value_copy(st_value *out, const st_value *src)
{
    st_value v = { .tag = src->tag };
    uint32_t type = PROP_TYPE(src->tag);

    if (!st_proptype_valid(type)) {
        memset(out, 0, sizeof *out);
        return st__fail("invalid property type");
    }
    if (type & MV_FLAG) {
        if (copy_mv(&v.v.mv, type & ~(uint32_t)MV_FLAG, &src->v.mv) < 0)
            goto fail;
    } else if (type == PT_STRING8 || type == PT_UNICODE) {
        if (!(v.v.str = copy_str(src->v.str)))
            goto fail;
    } else if (type == PT_CLSID) {
        if (!src->v.guid) {
            st__fail("PT_CLSID value without a GUID");
            goto fail;
        }
        if (!(v.v.guid = st__malloc(sizeof *v.v.guid)))
            goto fail;
        *v.v.guid = *src->v.guid;
    } else if (is_bin_type(type)) {
        if (copy_bin(&v.v.bin, &src->v.bin) < 0)
            goto fail;
    } else if (type == PT_BOOLEAN) {
        v.v.b = src->v.b != 0;
    } else if (type == PT_NULL || type == PT_OBJECT) {
        v.v.x = 0;
    } else {
        v.v = src->v;                   /* fixed-size types */
    }
    *out = v;
    return 0;
fail:
    memset(out, 0, sizeof *out);
    return -1;
}

void st_value_clear(st_value *v)
{
    uint32_t type;
    if (!v)
        return;
    type = PROP_TYPE(v->tag) & ~(uint32_t)MV_INSTANCE;
    if (type & MV_FLAG)
        free_mv(type & ~(uint32_t)MV_FLAG, &v->v.mv);
    else if (type == PT_STRING8 || type == PT_UNICODE)
        st__free(v->v.str);
    else if (type == PT_CLSID)
        st__free(v->v.guid);
    else if (is_bin_type(type))
        st__free(v->v.bin.data);
    memset(v, 0, sizeof *v);
}

/* ---- Compare ---- */

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

/* NaN after every number and equal to itself; -0 == 0. */
static int cmp_dbl(double a, double b)
{
    if (isnan(a))
        return isnan(b) ? 0 : 1;
    if (isnan(b))
        return -1;
    return a < b ? -1 : a > b;
}

static int cmp_bin(const st_bin *a, const st_bin *b)
{
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->data, b->data, n) : 0;
    if (c)
        return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

static int cmp_single(uint32_t cls, const st_value *a, const st_value *b, uint32_t flags)
{
    static const st_guid zero;
    const char *sa, *sb;
    int c;

    switch (cls) {
    case PT_I2: return cmp_i64(a->v.i, b->v.i);
    case PT_LONG: return cmp_i64(a->v.l, b->v.l);
    case PT_ERROR: return cmp_i64(a->v.err, b->v.err);
    case PT_R4: return cmp_dbl(a->v.flt, b->v.flt);
    case PT_DOUBLE: return cmp_dbl(a->v.dbl, b->v.dbl);
    case PT_APPTIME: return cmp_dbl(a->v.at, b->v.at);
    case PT_CURRENCY: return cmp_i64(a->v.cur, b->v.cur);
    case PT_I8: return cmp_i64(a->v.li, b->v.li);
    case PT_SYSTIME: return cmp_u64(a->v.ft, b->v.ft);
    case PT_BOOLEAN: return (a->v.b != 0) - (b->v.b != 0);
    case PT_UNICODE:
        sa = a->v.str ? a->v.str : "";
        sb = b->v.str ? b->v.str : "";
        if (flags & FOLD_FLAGS)
            return st_utf8_collate(sa, strlen(sa), sb, strlen(sb), flags);
        c = strcmp(sa, sb);
        return c < 0 ? -1 : c > 0;
    case PT_CLSID:
        c = st_guid_compare(a->v.guid ? a->v.guid : &zero, b->v.guid ? b->v.guid : &zero);
        return c < 0 ? -1 : c > 0;
    case PT_BINARY: case PT_SVREID: case PT_SRESTRICT: case PT_ACTIONS:
        return cmp_bin(&a->v.bin, &b->v.bin);
    default:                            /* PT_NULL, PT_OBJECT: no data */
        return 0;
    }
}

int st_value_compare(const st_value *a, const st_value *b, uint32_t flags)
{
    uint32_t ca = st__type_class(PROP_TYPE(a->tag));
    uint32_t cb = st__type_class(PROP_TYPE(b->tag));
    uint32_t i, n;

    if (ca != cb)
        return ca < cb ? -1 : 1;
    if (!(ca & MV_FLAG))
        return cmp_single(ca, a, b, flags);
    n = a->v.mv.n < b->v.mv.n ? a->v.mv.n : b->v.mv.n;
    for (i = 0; i < n; i++) {
        st_value x = st__mv_elem_view(a, i), y = st__mv_elem_view(b, i);
        int c = cmp_single(ca & ~(uint32_t)MV_FLAG, &x, &y, flags);
        if (c)
            return c;
    }
    return a->v.mv.n < b->v.mv.n ? -1 : a->v.mv.n > b->v.mv.n;
}

/* ---- Size ---- */

static uint64_t size_single(const st_value *v)
{
    switch (PROP_TYPE(v->tag)) {
    case PT_I2: case PT_BOOLEAN: return 2;
    case PT_LONG: case PT_R4: case PT_ERROR: return 4;
    case PT_DOUBLE: case PT_CURRENCY: case PT_APPTIME: case PT_I8: case PT_SYSTIME: return 8;
    case PT_CLSID: return 16;
    case PT_STRING8: return (v->v.str ? strlen(v->v.str) : 0) + 1;
    case PT_UNICODE: return 2 * ((v->v.str ? st__utf16_units(v->v.str) : 0) + 1);
    case PT_BINARY: case PT_SVREID: case PT_SRESTRICT: case PT_ACTIONS: return v->v.bin.len;
    default: return 0;
    }
}

uint64_t st_value_size(const st_value *v)
{
    uint32_t type = PROP_TYPE(v->tag) & ~(uint32_t)MV_INSTANCE;
    uint64_t total = 0;
    uint32_t i;

    if (!(type & MV_FLAG))
        return size_single(v);
    for (i = 0; i < v->v.mv.n; i++) {
        st_value e = st__mv_elem_view(v, i);
        total += size_single(&e);
    }
    return total;
}
