/*
 * props_bag.c: property bags, the set of values of one object (message,
 * folder, recipient row ...), keyed by property id.
 *
 * Invariant: vals[0..n) is sorted by PROP_ID with no id twice, every value
 * is well formed and owned by the bag; n <= cap. Lookups are binary
 * searches; growth doubles the array.
 * Never: leave the bag changed when an operation fails.
 */
#include <string.h>

#include "storage/props_int.h"

struct st_bag {
    st_value *vals;   /* n values sorted by property id, owned */
    size_t n;         /* values in use */
    size_t cap;       /* slots allocated in vals */
};

/* Index of the first value whose id is >= id. */
static size_t lower_bound(const st_bag *bag, uint32_t id)
{
    size_t lo = 0, hi = bag->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (PROP_ID(bag->vals[mid].tag) < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Index of the value answering tag (st_bag_get rules), or bag->n. */
static size_t find(const st_bag *bag, uint32_t tag)
{
    size_t i = lower_bound(bag, PROP_ID(tag));
    if (i < bag->n && PROP_ID(bag->vals[i].tag) == PROP_ID(tag) &&
        st__type_compatible(PROP_TYPE(tag), PROP_TYPE(bag->vals[i].tag)))
        return i;
    return bag->n;
}

st_bag *st_bag_new(void)
{
    return st__calloc(1, sizeof(st_bag));
}

void st_bag_free(st_bag *bag)
{
    size_t i;
    if (!bag)
        return;
    for (i = 0; i < bag->n; i++)
        st_value_clear(&bag->vals[i]);
    st__free(bag->vals);
    st__free(bag);
}

st_bag *st_bag_dup(const st_bag *src)
{
    st_bag *bag = st_bag_new();
    if (!bag)
        return NULL;
    if (src->n) {
        bag->vals = st__calloc(src->n, sizeof *bag->vals);
        if (!bag->vals)
            goto fail;
        bag->cap = src->n;
        for (; bag->n < src->n; bag->n++)
            if (st_value_copy(&bag->vals[bag->n], &src->vals[bag->n]) < 0)
                goto fail;
    }
    return bag;
fail:
    st_bag_free(bag);
    return NULL;
}

const st_value *st_bag_get(const st_bag *bag, uint32_t tag)
{
    size_t i = find(bag, tag);
    return i < bag->n ? &bag->vals[i] : NULL;
}

/* 0 when v's tag may be stored in a bag. */
static int check_storable(uint32_t tag)
{
    uint32_t type = PROP_TYPE(tag);
    if (type == PT_UNSPECIFIED || type == PT_NULL || (type & MV_INSTANCE) ||
        !st_proptype_valid(type))
        return st__fail("property type cannot be stored");
    if (PROP_ID(tag) == PROP_ID_NULL || PROP_ID(tag) == PROP_ID_INVALID)
        return st__fail("invalid property id");
    return 0;
}

/* Stores *v, which the bag takes over; on failure *v is cleared. */
static int put_owned(st_bag *bag, st_value *v)
{
    size_t i = lower_bound(bag, PROP_ID(v->tag));

    if (i < bag->n && PROP_ID(bag->vals[i].tag) == PROP_ID(v->tag)) {
        st_value_clear(&bag->vals[i]);
        bag->vals[i] = *v;
        return 0;
    }
    if (bag->n == bag->cap) {
        size_t cap = bag->cap ? bag->cap * 2 : 8;
        st_value *vals;
        if (cap > SIZE_MAX / sizeof *vals)
            goto fail;
        vals = st__realloc(bag->vals, cap * sizeof *vals);
        if (!vals)
            goto fail;
        bag->vals = vals;
        bag->cap = cap;
    }
    memmove(&bag->vals[i + 1], &bag->vals[i], (bag->n - i) * sizeof *bag->vals);
    bag->vals[i] = *v;
    bag->n++;
    return 0;
fail:
    st_value_clear(v);
    return -1;
}

int st_bag_set(st_bag *bag, const st_value *v)
{
    st_value copy;
    if (check_storable(v->tag) < 0 || st_value_copy(&copy, v) < 0)
        return -1;
    return put_owned(bag, &copy);
}

static int want_type(uint32_t tag, uint32_t t1, uint32_t t2)
{
    uint32_t t = PROP_TYPE(tag);
    if (t == t1 || t == t2)
        return 0;
    return st__fail("property type does not fit the setter");
}

int st_bag_set_long(st_bag *bag, uint32_t tag, int32_t l)
{
    st_value v = st_view_long(tag, l);
    return want_type(tag, PT_LONG, PT_LONG) < 0 ? -1 : st_bag_set(bag, &v);
}

int st_bag_set_bool(st_bag *bag, uint32_t tag, int b)
{
    st_value v = st_view_bool(tag, b);
    return want_type(tag, PT_BOOLEAN, PT_BOOLEAN) < 0 ? -1 : st_bag_set(bag, &v);
}

int st_bag_set_double(st_bag *bag, uint32_t tag, double d)
{
    st_value v = { .tag = tag };
    if (want_type(tag, PT_DOUBLE, PT_APPTIME) < 0)
        return -1;
    if (PROP_TYPE(tag) == PT_DOUBLE)
        v.v.dbl = d;
    else
        v.v.at = d;
    return st_bag_set(bag, &v);
}

int st_bag_set_i8(st_bag *bag, uint32_t tag, int64_t li)
{
    st_value v = { .tag = tag };
    if (want_type(tag, PT_I8, PT_CURRENCY) < 0)
        return -1;
    if (PROP_TYPE(tag) == PT_I8)
        v.v.li = li;
    else
        v.v.cur = li;
    return st_bag_set(bag, &v);
}

int st_bag_set_systime(st_bag *bag, uint32_t tag, uint64_t ft)
{
    st_value v = st_view_systime(tag, ft);
    return want_type(tag, PT_SYSTIME, PT_SYSTIME) < 0 ? -1 : st_bag_set(bag, &v);
}

int st_bag_set_str(st_bag *bag, uint32_t tag, const char *s)
{
    return st_bag_set_strn(bag, tag, s ? s : "", s ? strlen(s) : 0);
}

int st_bag_set_strn(st_bag *bag, uint32_t tag, const char *s, size_t len)
{
    st_value v = { .tag = tag };
    if (want_type(tag, PT_UNICODE, PT_STRING8) < 0 || check_storable(tag) < 0)
        return -1;
    if (!(v.v.str = st__utf8_dup(s ? s : "", s ? len : 0)))
        return -1;
    return put_owned(bag, &v);
}

int st_bag_take_strn(st_bag *bag, uint32_t tag, char *s, size_t len)
{
    st_value v = { .tag = tag };
    if (want_type(tag, PT_UNICODE, PT_STRING8) < 0 || check_storable(tag) < 0) {
        st__free(s);
        return -1;
    }
    if (st_utf8_valid(s, len)) {   /* no NUL inside either: s is the value as it is */
        s[len] = 0;
        v.v.str = s;
    } else {
        v.v.str = st__utf8_dup(s, len);
        st__free(s);
        if (!v.v.str)
            return -1;
    }
    return put_owned(bag, &v);
}

int st_bag_set_bin(st_bag *bag, uint32_t tag, const void *data, uint32_t len)
{
    st_value v = st_view_bin(tag, data, len);
    return want_type(tag, PT_BINARY, PT_BINARY) < 0 ? -1 : st_bag_set(bag, &v);
}

int st_bag_set_guid(st_bag *bag, uint32_t tag, const st_guid *g)
{
    st_value v = st_view_guid(tag, g);
    return want_type(tag, PT_CLSID, PT_CLSID) < 0 ? -1 : st_bag_set(bag, &v);
}

int st_bag_delete(st_bag *bag, uint32_t tag)
{
    size_t i = find(bag, tag);
    if (i == bag->n)
        return ST_ENOTFOUND;
    st_value_clear(&bag->vals[i]);
    memmove(&bag->vals[i], &bag->vals[i + 1], (bag->n - i - 1) * sizeof *bag->vals);
    bag->n--;
    return 0;
}

size_t st_bag_count(const st_bag *bag)
{
    return bag->n;
}

const st_value *st_bag_at(const st_bag *bag, size_t i)
{
    return i < bag->n ? &bag->vals[i] : NULL;
}

static int excluded(uint32_t id, const uint32_t *exclude, size_t n_exclude)
{
    size_t k;
    for (k = 0; k < n_exclude; k++)
        if (PROP_ID(exclude[k]) == id)
            return 1;
    return 0;
}

int st_bag_copy_to(st_bag *dst, const st_bag *src, const uint32_t *exclude,
    size_t n_exclude, unsigned flags)
{
    st_value *fresh = NULL, *out = NULL;
    size_t m = 0, i, j, k, n_alloc;

    if (dst == src || src->n == 0)
        return 0;
    /* 1: copy what goes over, so a failure changes nothing. */
    fresh = st__calloc(src->n, sizeof *fresh);
    if (!fresh)
        return -1;
    for (j = 0; j < src->n; j++) {
        uint32_t id = PROP_ID(src->vals[j].tag);
        size_t at;
        if (excluded(id, exclude, n_exclude))
            continue;
        at = lower_bound(dst, id);
        if ((flags & ST_COPY_NOREPLACE) && at < dst->n && PROP_ID(dst->vals[at].tag) == id)
            continue;
        if (st_value_copy(&fresh[m], &src->vals[j]) < 0)
            goto fail;
        m++;
    }
    if (m == 0) {
        st__free(fresh);
        return 0;
    }
    if (dst->n + m > SIZE_MAX / sizeof *out)
        goto fail;
    n_alloc = dst->n + m;
    out = st__malloc(n_alloc * sizeof *out);
    if (!out)
        goto fail;
    /* 2: merge the two sorted runs; a fresh value replaces dst's. */
    for (i = j = k = 0; i < dst->n || j < m; ) {
        if (j == m || (i < dst->n && PROP_ID(dst->vals[i].tag) < PROP_ID(fresh[j].tag))) {
            out[k++] = dst->vals[i++];
        } else if (i == dst->n || PROP_ID(fresh[j].tag) < PROP_ID(dst->vals[i].tag)) {
            out[k++] = fresh[j++];
        } else {
            st_value_clear(&dst->vals[i++]);
            out[k++] = fresh[j++];
        }
    }
    st__free(dst->vals);
    st__free(fresh);
    dst->vals = out;
    dst->n = k;
    dst->cap = n_alloc;
    return 0;
fail:
    for (i = 0; i < m; i++)
        st_value_clear(&fresh[i]);
    st__free(fresh);
    return -1;
}
