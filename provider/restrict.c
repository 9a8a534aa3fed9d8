/*
 * restrict.c: SRestriction <-> st_restriction and SSortOrderSet <->
 * st_sortset (contract in restrict.h). Both directions walk the tree
 * recursively; depth is bounded by ST_RES_MAX_DEPTH before each descent, so
 * the C stack stays small whatever MAPI hands in, and a node budget
 * (MD_RES_MAX_NODES) bounds the work and the memory.
 * Values go through propconv (md_value_from_mapi / md_value_to_mapi).
 * Never: follow a MAPI pointer before checking it is not NULL, or index an
 * array past the count that came with it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>

#include "provider/restrict.h"
#include "storage/error.h"
#include "storage/props_tags.h"

/* ---- From MAPI */

typedef struct from_ctx {
    size_t nodes;   /* nodes seen so far (budget MD_RES_MAX_NODES) */
    HRESULT hr;     /* the first error */
} from_ctx;

static st_restriction *from_node(from_ctx *c, const SRestriction *in, unsigned depth);

/* Records the first error: hr for the caller, the reason for GetLastError. */
static void fail(from_ctx *c, HRESULT hr, const char *why)
{
    if (c->hr != S_OK)
        return;
    c->hr = hr;
    if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
        st_error_set("restriction: out of memory");
    else
        st_error_set("restriction: %s", why);
}

/* One MAPI value -> *out (to clear); NULL lpProp is invalid. */
static int value_in(from_ctx *c, st_value *out, const SPropValue *p)
{
    memset(out, 0, sizeof *out);
    if (!p) {
        fail(c, MAPI_E_INVALID_PARAMETER, "a value is missing (NULL lpProp)");
        return -1;
    }
    if (PROP_TYPE(p->ulPropTag) == PT_SRESTRICT || PROP_TYPE(p->ulPropTag) == PT_ACTIONS) {
        fail(c, MAPI_E_TOO_COMPLEX, "a value of type PT_SRESTRICT or PT_ACTIONS");
        return -1;
    }
    HRESULT hr = md_value_from_mapi(out, p);
    if (hr != S_OK) {
        fail(c, hr == MAPI_E_INVALID_TYPE ? MAPI_E_INVALID_PARAMETER : hr,
            "a value of a bad type or with NULL data");
        return -1;
    }
    return 0;
}

/* The children of AND / OR. */
static st_restriction *from_list(from_ctx *c, ULONG rt, ULONG n, const SRestriction *kids,
    unsigned depth)
{
    st_restriction **arr = NULL;
    ULONG i;

    if (n && !kids) {
        fail(c, MAPI_E_INVALID_PARAMETER, "AND/OR with a count and no array");
        return NULL;
    }
    if (n > MD_RES_MAX_NODES - c->nodes) {
        fail(c, MAPI_E_TOO_COMPLEX, "more nodes than the limit");
        return NULL;
    }
    if (n && !(arr = calloc(n, sizeof *arr))) {
        fail(c, MAPI_E_NOT_ENOUGH_MEMORY, NULL);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        arr[i] = from_node(c, &kids[i], depth + 1);
        if (!arr[i])
            break;
    }
    if (i < n) {
        while (i > 0)
            st_res_free(arr[--i]);
        free(arr);
        return NULL;
    }
    st_restriction *r = rt == RES_AND ? st_res_and_array(n, arr) : st_res_or_array(n, arr);
    free(arr);
    if (!r)
        fail(c, MAPI_E_NOT_ENOUGH_MEMORY, NULL);
    return r;
}

/* Comment / annotation: values and an optional child. */
static st_restriction *from_comment(from_ctx *c, const SCommentRestriction *in, unsigned depth)
{
    st_value *vals = NULL;
    st_restriction *kid = NULL, *r = NULL;
    ULONG i = 0, n = in->cValues;

    if (n && !in->lpProp) {
        fail(c, MAPI_E_INVALID_PARAMETER, "comment with a count and no values");
        return NULL;
    }
    if (n > MD_RES_MAX_NODES - c->nodes) {
        fail(c, MAPI_E_TOO_COMPLEX, "more nodes than the limit");
        return NULL;
    }
    c->nodes += n;
    if (n && !(vals = calloc(n, sizeof *vals))) {
        fail(c, MAPI_E_NOT_ENOUGH_MEMORY, NULL);
        return NULL;
    }
    for (i = 0; i < n; i++)
        if (value_in(c, &vals[i], &in->lpProp[i]))
            goto cleanup;
    if (in->lpRes) {
        kid = from_node(c, in->lpRes, depth + 1);
        if (!kid)
            goto cleanup;
        r = st_res_comment(vals, n, kid);
    } else {
        r = st_res_comment_alone(vals, n);
    }
    if (!r)
        fail(c, MAPI_E_NOT_ENOUGH_MEMORY, NULL);
cleanup:
    while (i > 0)
        st_value_clear(&vals[--i]);
    free(vals);
    return r;
}

static st_restriction *from_node(from_ctx *c, const SRestriction *in, unsigned depth)
{
    st_restriction *r = NULL;
    st_value v;

    if (!in) {
        fail(c, MAPI_E_INVALID_PARAMETER, "a child is missing (NULL)");
        return NULL;
    }
    if (depth >= ST_RES_MAX_DEPTH || c->nodes >= MD_RES_MAX_NODES) {
        fail(c, MAPI_E_TOO_COMPLEX, "deeper or bigger than the limits");
        return NULL;
    }
    c->nodes++;
    switch (in->rt) {
    case RES_AND:
        return from_list(c, RES_AND, in->res.resAnd.cRes, in->res.resAnd.lpRes, depth);
    case RES_OR:
        return from_list(c, RES_OR, in->res.resOr.cRes, in->res.resOr.lpRes, depth);
    case RES_NOT:
        if (!in->res.resNot.lpRes) {
            fail(c, MAPI_E_INVALID_PARAMETER, "RES_NOT without a child");
            return NULL;
        }
        r = st_res_not(from_node(c, in->res.resNot.lpRes, depth + 1));
        break;
    case RES_SUBRESTRICTION:
        if (!in->res.resSub.lpRes) {
            fail(c, MAPI_E_INVALID_PARAMETER, "RES_SUBRESTRICTION without a child");
            return NULL;
        }
        r = st_res_sub(in->res.resSub.ulSubObject,
            from_node(c, in->res.resSub.lpRes, depth + 1));
        break;
    case RES_CONTENT:
        if (value_in(c, &v, in->res.resContent.lpProp))
            return NULL;
        r = st_res_content(in->res.resContent.ulFuzzyLevel, in->res.resContent.ulPropTag, &v);
        st_value_clear(&v);
        break;
    case RES_PROPERTY:
        if (value_in(c, &v, in->res.resProperty.lpProp))
            return NULL;
        r = st_res_property(in->res.resProperty.relop, in->res.resProperty.ulPropTag, &v);
        st_value_clear(&v);
        break;
    case RES_COMPAREPROPS:
        r = st_res_compareprops(in->res.resCompareProps.relop,
            in->res.resCompareProps.ulPropTag1, in->res.resCompareProps.ulPropTag2);
        break;
    case RES_BITMASK:
        r = st_res_bitmask(in->res.resBitMask.relBMR, in->res.resBitMask.ulPropTag,
            in->res.resBitMask.ulMask);
        break;
    case RES_SIZE:
        r = st_res_size(in->res.resSize.relop, in->res.resSize.ulPropTag, in->res.resSize.cb);
        break;
    case RES_EXIST:
        r = st_res_exist(in->res.resExist.ulPropTag);
        break;
    case RES_COMMENT:
    case RES_ANNOTATION:   /* [MS-OXCDATA] 2.12.11: the comment's layout */
        return from_comment(c, &in->res.resComment, depth);
    case RES_COUNT:        /* known, not evaluated by storage */
        fail(c, MAPI_E_TOO_COMPLEX, "RES_COUNT is not supported");
        return NULL;
    default:
        fail(c, MAPI_E_INVALID_PARAMETER, "unknown restriction type");
        return NULL;
    }
    if (!r)
        fail(c, MAPI_E_NOT_ENOUGH_MEMORY, NULL);
    return r;
}

static HRESULT res_from_mapi(st_restriction **out, const SRestriction *in, int check)
{
    from_ctx c = { 0, S_OK };

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!in)
        return S_OK;
    st_restriction *r = from_node(&c, in, 0);
    if (!r)
        return c.hr != S_OK ? c.hr : MAPI_E_NOT_ENOUGH_MEMORY;
    if (check && st_res_check(r)) {
        st_res_free(r);
        st_error_set("restriction: cannot be evaluated (RELOP_RE, an unknown operator or "
            "fuzzy level, operand types that differ, RES_BITMASK on a non-PT_LONG, or an "
            "unknown subobject)");
        return MAPI_E_TOO_COMPLEX;
    }
    *out = r;
    return S_OK;
}

HRESULT md_res_from_mapi(st_restriction **out, const SRestriction *in)
{
    return res_from_mapi(out, in, 1);
}

HRESULT md_res_from_mapi_data(st_restriction **out, const SRestriction *in)
{
    return res_from_mapi(out, in, 0);
}

/* ---- Towards MAPI */

static HRESULT more(const md_alloc *a, void *parent, size_t n, void **out)
{
    *out = NULL;
    if (n == 0)
        n = 1;
    if (n > ULONG_MAX / 2 || a->more((ULONG)n, parent, out) != S_OK || !*out)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memset(*out, 0, n);
    return S_OK;
}

/* A value as a new SPropValue off parent, keeping its tag. */
static HRESULT value_out(LPSPropValue *out, const st_value *v, void *parent, const md_alloc *a)
{
    HRESULT hr = more(a, parent, sizeof **out, (void **)out);
    if (hr == S_OK)
        hr = md_value_to_mapi(*out, v->tag, v, MAPI_UNICODE, parent, a);
    return hr;
}

/* Fills *out (already allocated) from in; everything off parent. */
static HRESULT to_node(SRestriction *out, const st_restriction *in, void *parent,
    const md_alloc *a, unsigned depth)
{
    HRESULT hr = S_OK;
    ULONG i;

    if (depth >= ST_RES_MAX_DEPTH)   /* the constructors never build such a tree */
        return MAPI_E_TOO_COMPLEX;
    out->rt = in->rt;
    switch (in->rt) {
    case RES_AND:
    case RES_OR: {
        SRestriction *kids = NULL;
        ULONG n = in->u.and_or.n;
        if (n > ULONG_MAX / sizeof *kids)
            return MAPI_E_TOO_COMPLEX;
        hr = more(a, parent, (size_t)n * sizeof *kids, (void **)&kids);
        for (i = 0; hr == S_OK && i < n; i++)
            hr = to_node(&kids[i], in->u.and_or.kids[i], parent, a, depth + 1);
        /* SAndRestriction and SOrRestriction share one layout. */
        out->res.resAnd.cRes = n;
        out->res.resAnd.lpRes = kids;
        break;
    }
    case RES_NOT:
        hr = more(a, parent, sizeof(SRestriction), (void **)&out->res.resNot.lpRes);
        if (hr == S_OK)
            hr = to_node(out->res.resNot.lpRes, in->u.not_.kid, parent, a, depth + 1);
        break;
    case RES_SUBRESTRICTION:
        out->res.resSub.ulSubObject = in->u.sub.subobject;
        hr = more(a, parent, sizeof(SRestriction), (void **)&out->res.resSub.lpRes);
        if (hr == S_OK)
            hr = to_node(out->res.resSub.lpRes, in->u.sub.kid, parent, a, depth + 1);
        break;
    case RES_CONTENT:
        out->res.resContent.ulFuzzyLevel = in->u.content.fuzzy;
        out->res.resContent.ulPropTag = in->u.content.tag;
        hr = value_out(&out->res.resContent.lpProp, &in->u.content.value, parent, a);
        break;
    case RES_PROPERTY:
        out->res.resProperty.relop = in->u.prop.relop;
        out->res.resProperty.ulPropTag = in->u.prop.tag;
        hr = value_out(&out->res.resProperty.lpProp, &in->u.prop.value, parent, a);
        break;
    case RES_COMPAREPROPS:
        out->res.resCompareProps.relop = in->u.cmp.relop;
        out->res.resCompareProps.ulPropTag1 = in->u.cmp.tag1;
        out->res.resCompareProps.ulPropTag2 = in->u.cmp.tag2;
        break;
    case RES_BITMASK:
        out->res.resBitMask.relBMR = in->u.bitmask.bmr;
        out->res.resBitMask.ulPropTag = in->u.bitmask.tag;
        out->res.resBitMask.ulMask = in->u.bitmask.mask;
        break;
    case RES_SIZE:
        out->res.resSize.relop = in->u.size.relop;
        out->res.resSize.ulPropTag = in->u.size.tag;
        out->res.resSize.cb = in->u.size.cb;
        break;
    case RES_EXIST:
        out->res.resExist.ulPropTag = in->u.exist.tag;
        break;
    case RES_COMMENT: {
        SPropValue *vals = NULL;
        ULONG n = in->u.comment.n;
        if (n > ULONG_MAX / sizeof *vals)
            return MAPI_E_TOO_COMPLEX;
        hr = more(a, parent, (size_t)n * sizeof *vals, (void **)&vals);
        for (i = 0; hr == S_OK && i < n; i++)
            hr = md_value_to_mapi(&vals[i], in->u.comment.values[i].tag,
                &in->u.comment.values[i], MAPI_UNICODE, parent, a);
        out->res.resComment.cValues = n;
        out->res.resComment.lpProp = vals;
        if (hr == S_OK && in->u.comment.kid) {
            hr = more(a, parent, sizeof(SRestriction), (void **)&out->res.resComment.lpRes);
            if (hr == S_OK)
                hr = to_node(out->res.resComment.lpRes, in->u.comment.kid, parent, a,
                    depth + 1);
        }
        break;
    }
    default:
        hr = MAPI_E_INVALID_PARAMETER;
        break;
    }
    return hr;
}

HRESULT md_res_to_mapi(LPSRestriction *out, const st_restriction *in, void *parent,
    const md_alloc *a)
{
    SRestriction *root = NULL;
    HRESULT hr;

    if (!out || !a)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!in)
        return S_OK;
    if (parent) {
        hr = more(a, parent, sizeof *root, (void **)&root);
    } else {
        hr = a->buffer(sizeof *root, (void **)&root) == S_OK && root
            ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
        if (hr == S_OK)
            memset(root, 0, sizeof *root);
    }
    if (hr != S_OK)
        return hr;
    hr = to_node(root, in, parent ? parent : root, a, 0);
    if (hr != S_OK) {
        if (!parent)
            a->free(root);
        return hr;
    }
    *out = root;
    return S_OK;
}

/* ---- Sort orders */

HRESULT md_sort_from_mapi(st_sortset **out, const SSortOrderSet *in)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!in)
        return S_OK;
    if (in->cSorts > MD_SORT_MAX_KEYS) {
        st_error_set("sort: %lu keys, at most %u", (unsigned long)in->cSorts, MD_SORT_MAX_KEYS);
        return MAPI_E_TOO_COMPLEX;
    }
    if (in->cCategories > in->cSorts || in->cExpanded > in->cCategories) {
        st_error_set("sort: more categories than keys or more expanded than categories");
        return MAPI_E_INVALID_PARAMETER;
    }
    st_sortset *s = st_sortset_new(in->cSorts);
    if (!s)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    s->n_categories = in->cCategories;
    s->n_expanded = in->cExpanded;
    for (ULONG i = 0; i < in->cSorts; i++) {
        s->orders[i].tag = in->aSort[i].ulPropTag;
        s->orders[i].order = in->aSort[i].ulOrder;
    }
    if (st_sortset_check(s)) {
        st_sortset_free(s);
        st_error_set("sort: an unknown order, a PT_UNSPECIFIED key, or MV_FLAG without "
            "MV_INSTANCE");
        return MAPI_E_INVALID_PARAMETER;
    }
    *out = s;
    return S_OK;
}

HRESULT md_sort_to_mapi(LPSSortOrderSet *out, const st_sortset *in, const md_alloc *a)
{
    SSortOrderSet *s = NULL;
    ULONG n = in ? in->n : 0;

    if (!out || !a)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (n > MD_SORT_MAX_KEYS)
        return MAPI_E_TOO_COMPLEX;
    if (a->buffer((ULONG)CbNewSSortOrderSet(n), (void **)&s) != S_OK || !s)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memset(s, 0, CbNewSSortOrderSet(n));
    s->cSorts = n;
    if (in) {
        s->cCategories = in->n_categories;
        s->cExpanded = in->n_expanded;
        for (ULONG i = 0; i < n; i++) {
            s->aSort[i].ulPropTag = in->orders[i].tag;
            s->aSort[i].ulOrder = in->orders[i].order;
        }
    }
    *out = s;
    return S_OK;
}
