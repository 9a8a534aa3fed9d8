/*
 * mapiprop.c: shared IMAPIProp method bodies (contract in mapiprop.h).
 * Each function checks its arguments and flags the way the MAPI reference
 * gives them, then calls the object's callbacks; none knows what kind of
 * object it serves. CopyTo / CopyProps with MAPI_DIALOG report progress
 * (the caller's IMAPIProgress, else MAPI's from
 * IMAPISupport::DoProgressDialog, else none: the copy goes on).
 * Never: call a progress object or IMAPISupport with md_store.lock held
 * (none is taken here).
 */
#include <stdlib.h>
#include <string.h>

#include <mapicode.h>

#include "provider/mapiprop.h"

#include <mapiguid.h>   /* after windows.h (propconv.h) */
#include "storage/error.h"

#define COPY_FLAGS (MAPI_MOVE | MAPI_NOREPLACE | MAPI_DIALOG | MAPI_DECLINE_OK)

HRESULT md_prop_get_last_error(ULONG flags, LPMAPIERROR *error)
{
    if (!error)
        return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return flags & ~(ULONG)MAPI_UNICODE ? MAPI_E_UNKNOWN_FLAGS : S_OK;
}

HRESULT md_prop_last_error(const md_alloc *a, HRESULT hr, ULONG flags, LPMAPIERROR *error)
{
    if (!error)
        return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    if (flags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    ULONG type = flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8;
    MAPIERROR *e = NULL;
    void *msg = NULL, *comp = NULL;
    if (a->buffer(sizeof *e, (void **)&e) != S_OK || !e)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memset(e, 0, sizeof *e);
    const char *last = st_error_last();
    if (md_string_to_mapi(&msg, *last ? last : "no further information", type, e, a) != S_OK
        || md_string_to_mapi(&comp, "mapidav", type, e, a) != S_OK) {
        a->free(e);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    e->ulVersion = MAPI_ERROR_VERSION;
    e->lpszError = msg;
    e->lpszComponent = comp;
    e->ulContext = (ULONG)hr;
    *error = e;
    return S_OK;
}

HRESULT md_prop_get_props(md_bag_fn build, void *obj, const md_alloc *a,
    LPSPropTagArray tags, ULONG flags, ULONG *count, LPSPropValue *props)
{
    HRESULT hr;

    if (!count || !props)
        return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *props = NULL;
    if (flags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    if (tags && tags->cValues == 0)
        return MAPI_E_INVALID_PARAMETER;
    st_bag *b = build(obj, &hr);
    if (!b)
        return hr;
    hr = md_bag_get_props(b, tags, flags, a, count, props);
    st_bag_free(b);
    return hr;
}

HRESULT md_prop_get_prop_list(md_bag_fn build, void *obj, const md_alloc *a, ULONG flags,
    LPSPropTagArray *list)
{
    HRESULT hr;

    if (!list)
        return MAPI_E_INVALID_PARAMETER;
    *list = NULL;
    if (flags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    st_bag *b = build(obj, &hr);
    if (!b)
        return hr;
    hr = md_bag_prop_list(b, flags, a, list);
    st_bag_free(b);
    return hr;
}

/* ---- problem arrays */

int md_problems_add(md_problems *pr, ULONG index, ULONG tag, SCODE err)
{
    if (pr->n == pr->cap) {
        size_t cap = pr->cap ? pr->cap * 2 : 8;
        SPropProblem *p = realloc(pr->p, cap * sizeof *p);
        if (!p)
            return -1;
        pr->p = p;
        pr->cap = cap;
    }
    pr->p[pr->n].ulIndex = index;
    pr->p[pr->n].ulPropTag = tag;
    pr->p[pr->n].scode = err;
    pr->n++;
    return 0;
}

HRESULT md_problems_give(md_problems *pr, const md_alloc *a, LPSPropProblemArray *out)
{
    HRESULT hr = S_OK;
    if (out) {
        *out = NULL;
        if (pr->n) {
            SPropProblemArray *arr = NULL;
            if (a->buffer(CbNewSPropProblemArray(pr->n), (void **)&arr) != S_OK || !arr) {
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
            } else {
                arr->cProblem = (ULONG)pr->n;
                memcpy(arr->aProblem, pr->p, pr->n * sizeof *pr->p);
                *out = arr;
            }
        }
    }
    free(pr->p);
    memset(pr, 0, sizeof *pr);
    return hr;
}

int md_prop_tag_writable(ULONG tag)
{
    ULONG type = PROP_TYPE(tag), id = PROP_ID(tag);
    if (id == PROP_ID_NULL || id == PROP_ID_INVALID || (type & MV_INSTANCE))
        return 0;
    if (type == PT_ERROR || type == PT_NULL || type == PT_OBJECT || type == PT_UNSPECIFIED)
        return 0;
    return st_proptype_valid(type);
}

static HRESULT check_write(const md_prop_ops *ops, void *obj)
{
    if (!ops->write)
        return MAPI_E_NO_ACCESS;
    return ops->can_write ? ops->can_write(obj) : S_OK;
}

/* ---- SetProps / DeleteProps */

HRESULT md_prop_set_props(const md_prop_ops *ops, void *obj, const md_alloc *a, ULONG n,
    LPSPropValue props, LPSPropProblemArray *problems)
{
    md_problems pr = { 0 };
    HRESULT hr;

    if (problems)
        *problems = NULL;
    if (!props || !n)
        return MAPI_E_INVALID_PARAMETER;
    hr = check_write(ops, obj);
    if (hr != S_OK)
        return hr;
    st_bag *set = st_bag_new();
    if (!set)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    hr = S_OK;
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        ULONG tag = props[i].ulPropTag;
        SCODE err = S_OK;
        if (PROP_TYPE(tag) == PT_ERROR)
            continue;   /* errors in the array are ignored (MAPI reference) */
        if (!md_prop_tag_writable(tag))
            err = PROP_TYPE(tag) == PT_OBJECT || !st_proptype_valid(PROP_TYPE(tag) & ~MV_INSTANCE)
                ? MAPI_E_INVALID_TYPE : MAPI_E_INVALID_PARAMETER;
        else if (ops->computed && ops->computed(obj, tag))
            err = MAPI_E_COMPUTED;
        if (err == S_OK) {
            st_value v;
            err = md_value_from_mapi(&v, &props[i]);
            if (err == S_OK) {
                if (st_bag_set(set, &v))
                    err = MAPI_E_NOT_ENOUGH_MEMORY;
                st_value_clear(&v);
            }
            if (err == MAPI_E_NOT_ENOUGH_MEMORY)
                hr = err;
        }
        if (err != S_OK && hr == S_OK && md_problems_add(&pr, i, tag, err))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (hr == S_OK && st_bag_count(set))
        hr = ops->write(obj, set, NULL, 0);
    st_bag_free(set);
    if (hr != S_OK) {
        md_problems_give(&pr, a, NULL);
        return hr;
    }
    return md_problems_give(&pr, a, problems);
}

HRESULT md_prop_delete_props(const md_prop_ops *ops, void *obj, const md_alloc *a,
    LPSPropTagArray tags, LPSPropProblemArray *problems)
{
    md_problems pr = { 0 };
    HRESULT hr;

    if (problems)
        *problems = NULL;
    if (!tags || !tags->cValues)
        return MAPI_E_INVALID_PARAMETER;
    hr = check_write(ops, obj);
    if (hr != S_OK)
        return hr;
    st_bag *cur = ops->build(obj, &hr);
    if (!cur)
        return hr;
    uint32_t *del = malloc(tags->cValues * sizeof *del);
    size_t n_del = 0;
    hr = del ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    for (ULONG i = 0; hr == S_OK && i < tags->cValues; i++) {
        ULONG tag = tags->aulPropTag[i];
        SCODE err = S_OK;
        if (PROP_ID(tag) == PROP_ID_NULL || PROP_ID(tag) == PROP_ID_INVALID)
            err = MAPI_E_INVALID_PARAMETER;
        else if (ops->computed && ops->computed(obj, tag))
            err = MAPI_E_COMPUTED;
        else if (!st_bag_get(cur, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED)))
            err = MAPI_E_NOT_FOUND;
        if (err == S_OK)
            del[n_del++] = CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED);
        else if (md_problems_add(&pr, i, tag, err))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    st_bag_free(cur);
    if (hr == S_OK && n_del)
        hr = ops->write(obj, NULL, del, n_del);
    free(del);
    if (hr != S_OK) {
        md_problems_give(&pr, a, NULL);
        return hr;
    }
    return md_problems_give(&pr, a, problems);
}

/* ---- CopyTo / CopyProps */

static int tag_listed(const SPropTagArray *list, ULONG tag)
{
    for (ULONG i = 0; list && i < list->cValues; i++)
        if (PROP_ID(list->aulPropTag[i]) == PROP_ID(tag))
            return 1;
    return 0;
}

int md_prop_wanted(const SPropTagArray *list, int include_mode, ULONG tag)
{
    return tag_listed(list, tag) == include_mode;
}

/* A value kept as a stream (PT_ERROR in the bag) copied stream to stream:
 * opened on the source as text, else as bytes, and written to dest with
 * MAPI_CREATE. S_OK, or the error for the problem array. */
static HRESULT copy_stream(IMAPIProp *src, IMAPIProp *dest, ULONG id)
{
    static const ULONG types[] = { PT_UNICODE, PT_BINARY };
    IStream *in = NULL, *out = NULL;
    HRESULT hr = MAPI_E_NOT_FOUND;
    ULONG tag = 0;
    for (size_t i = 0; !in && i < sizeof types / sizeof *types; i++) {
        tag = PROP_TAG(types[i], id);
        hr = src->lpVtbl->OpenProperty(src, tag, &IID_IStream, STGM_READ, 0, (LPUNKNOWN *)&in);
    }
    if (!in)
        return hr;
    hr = dest->lpVtbl->OpenProperty(dest, tag, &IID_IStream, STGM_READWRITE,
        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&out);
    if (hr == S_OK) {
        ULARGE_INTEGER all;
        all.QuadPart = ~0ull;
        hr = in->lpVtbl->CopyTo(in, out, all, NULL, NULL);
        if (hr == S_OK)
            hr = out->lpVtbl->Commit(out, 0);
        out->lpVtbl->Release(out);
    }
    in->lpVtbl->Release(in);
    return hr;
}

/* The interfaces a CopyTo / CopyProps destination may be given as: every
 * one derives from IMAPIProp. */
static int prop_iid(LPCIID iid)
{
    static const IID *const iids[] = { &IID_IMAPIProp, &IID_IMessage, &IID_IAttachment,
        &IID_IMAPIFolder, &IID_IMAPIContainer, &IID_IMsgStore };
    for (size_t i = 0; i < sizeof iids / sizeof *iids; i++)
        if (IsEqualIID(iid, iids[i]))
            return 1;
    return 0;
}

/* Copies the values of obj chosen by list (include_mode: only those; else
 * all but those) to dest through its SetProps. */
static HRESULT copy_values(const md_prop_ops *ops, void *obj, const md_alloc *a,
    const SPropTagArray *list, int include_mode, IMAPIProp *dest, ULONG flags,
    md_problems *pr)
{
    HRESULT hr;
    st_bag *src = ops->build(obj, &hr);
    if (!src)
        return hr;
    st_bag *pick = st_bag_new();
    hr = pick ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; hr == S_OK && i < st_bag_count(src); i++) {
        const st_value *v = st_bag_at(src, i);
        if (ops->computed && ops->computed(obj, v->tag))
            continue;
        if (tag_listed(list, v->tag) != include_mode)
            continue;
        if (PROP_TYPE(v->tag) == PT_ERROR) {
            /* kept as a stream: copied as one (obj begins with its interface) */
            HRESULT shr = v->v.err == ST_E_NOT_ENOUGH_MEMORY
                ? copy_stream((IMAPIProp *)obj, dest, PROP_ID(v->tag)) : S_OK;
            if (shr != S_OK && md_problems_add(pr, (ULONG)i, v->tag, shr))
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
            continue;
        }
        if (st_bag_set(pick, v))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (ULONG i = 0; hr == S_OK && include_mode && list && i < list->cValues; i++)
        if (!st_bag_get(pick, CHANGE_PROP_TYPE(list->aulPropTag[i], PT_UNSPECIFIED))
            && md_problems_add(pr, i, list->aulPropTag[i], MAPI_E_NOT_FOUND))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr == S_OK && flags & MAPI_NOREPLACE) {
        LPSPropTagArray tags = NULL;
        ULONG n = 0;
        LPSPropValue have = NULL;
        if (md_bag_prop_list(pick, MAPI_UNICODE, a, &tags) == S_OK && tags->cValues
            && SUCCEEDED(dest->lpVtbl->GetProps(dest, tags, MAPI_UNICODE, &n, &have)) && have) {
            for (ULONG i = 0; i < n; i++)
                if (PROP_TYPE(have[i].ulPropTag) != PT_ERROR)
                    st_bag_delete(pick, CHANGE_PROP_TYPE(have[i].ulPropTag, PT_UNSPECIFIED));
        }
        a->free(have);
        a->free(tags);
    }
    if (hr == S_OK && st_bag_count(pick)) {
        ULONG n = 0;
        LPSPropValue vals = NULL;
        LPSPropProblemArray dprob = NULL;
        hr = md_bag_get_props(pick, NULL, MAPI_UNICODE, a, &n, &vals);
        if (hr == S_OK)
            hr = dest->lpVtbl->SetProps(dest, n, vals, &dprob);
        for (ULONG i = 0; hr == S_OK && dprob && i < dprob->cProblem; i++)
            if (md_problems_add(pr, dprob->aProblem[i].ulIndex, dprob->aProblem[i].ulPropTag,
                dprob->aProblem[i].scode))
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
        a->free(dprob);
        a->free(vals);
    }
    if (hr == S_OK && flags & MAPI_MOVE && st_bag_count(pick)) {
        size_t n = st_bag_count(pick);
        uint32_t *del = malloc(n * sizeof *del);
        hr = del ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
        for (size_t i = 0; del && i < n; i++)
            del[i] = st_bag_at(pick, i)->tag;
        if (del)
            hr = ops->write(obj, NULL, del, n);
        free(del);
    }
    st_bag_free(pick);
    st_bag_free(src);
    return hr;
}

/* ---- Progress ("Display a progress indicator", MAPI reference) */

LPMAPIPROGRESS md_progress_open(LPMAPISUP sup, ULONG ui, LPMAPIPROGRESS given, int dialog)
{
    LPMAPIPROGRESS p = NULL;
    if (!dialog)
        return NULL;
    if (given) {
        given->lpVtbl->AddRef(given);
        return given;
    }
    /* "If NULL is passed in lpProgress, the progress indicator is displayed
     * by using the MAPI implementation": IMAPISupport::DoProgressDialog. */
    if (!sup || sup->lpVtbl->DoProgressDialog(sup, ui, MAPI_TOP_LEVEL, &p) != S_OK)
        return NULL;   /* no UI to be had: the work goes on without */
    return p;
}

void md_progress_step(LPMAPIPROGRESS p, ULONG done, ULONG total)
{
    ULONG f = 0, lo = 0, hi = 1000;
    if (!p || !total)
        return;
    if (p->lpVtbl->GetFlags(p, &f) == S_OK && (f & MAPI_TOP_LEVEL)) {
        /* the object the client called: 1000 / items per item, counts */
        p->lpVtbl->Progress(p, (ULONG)((ULONGLONG)1000 * done / total), done, total);
        return;
    }
    /* a subobject of a larger operation: within the caller's range */
    p->lpVtbl->GetMin(p, &lo);
    p->lpVtbl->GetMax(p, &hi);
    if (hi < lo)
        hi = lo;
    p->lpVtbl->Progress(p, lo + (ULONG)((ULONGLONG)(hi - lo) * done / total), 0, 0);
}

void md_progress_close(LPMAPIPROGRESS p)
{
    if (p)
        p->lpVtbl->Release(p);
}

/* CopyTo / CopyProps: the values are one item, the subobjects another;
 * with MAPI_DIALOG each reports through the progress object. */
static HRESULT copy_common(const md_prop_ops *ops, void *obj, const md_alloc *a,
    const md_prop_ui *ui, const SPropTagArray *list, int include_mode, LPCIID iid,
    LPVOID dest, ULONG flags, LPSPropProblemArray *problems)
{
    md_problems pr = { 0 };
    IMAPIProp *d = NULL;

    if (problems)
        *problems = NULL;
    if (!iid || !dest)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)COPY_FLAGS)
        return MAPI_E_UNKNOWN_FLAGS;
    if (!prop_iid(iid))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    IUnknown *unk = dest;
    if (FAILED(unk->lpVtbl->QueryInterface(unk, iid, (void **)&d)) || !d)
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    HRESULT hr = S_OK;
    if (flags & MAPI_MOVE)
        hr = check_write(ops, obj);
    if (hr == S_OK && (void *)d == obj)
        hr = MAPI_E_NO_ACCESS;   /* onto itself */
    LPMAPIPROGRESS prog = hr == S_OK && ui
        ? md_progress_open(ui->sup, ui->ui, ui->progress, (flags & MAPI_DIALOG) != 0) : NULL;
    ULONG items = ops->copy_sub ? 2 : 1;
    if (hr == S_OK)
        hr = copy_values(ops, obj, a, list, include_mode, d, flags & ~(ULONG)MAPI_DIALOG, &pr);
    if (hr == S_OK)
        md_progress_step(prog, 1, items);
    if (hr == S_OK && ops->copy_sub) {
        hr = ops->copy_sub(obj, d, list, include_mode, flags & ~(ULONG)MAPI_DIALOG);
        if (hr == S_OK)
            md_progress_step(prog, 2, items);
    }
    md_progress_close(prog);
    d->lpVtbl->Release(d);
    if (hr != S_OK) {
        md_problems_give(&pr, a, NULL);
        return hr;
    }
    return md_problems_give(&pr, a, problems);
}

HRESULT md_prop_copy_to(const md_prop_ops *ops, void *obj, const md_alloc *a,
    const md_prop_ui *ui, ULONG n_iid, LPCIID iids, LPSPropTagArray exclude, LPCIID iid,
    LPVOID dest, ULONG flags, LPSPropProblemArray *problems)
{
    if (n_iid && !iids) {
        if (problems)
            *problems = NULL;
        return MAPI_E_INVALID_PARAMETER;
    }
    /* Excluded interfaces: the values and subobjects we copy are all reached
     * through IMAPIProp, IMessage or IAttachment; excluding one of those
     * leaves nothing to copy. */
    for (ULONG i = 0; i < n_iid; i++)
        if (IsEqualIID(&iids[i], &IID_IMAPIProp)) {
            if (problems)
                *problems = NULL;
            return S_OK;
        }
    return copy_common(ops, obj, a, ui, exclude, 0, iid, dest, flags, problems);
}

HRESULT md_prop_copy_props(const md_prop_ops *ops, void *obj, const md_alloc *a,
    const md_prop_ui *ui, LPSPropTagArray include, LPCIID iid, LPVOID dest, ULONG flags,
    LPSPropProblemArray *problems)
{
    if (!include || !include->cValues) {
        if (problems)
            *problems = NULL;
        return MAPI_E_INVALID_PARAMETER;
    }
    return copy_common(ops, obj, a, ui, include, 1, iid, dest, flags, problems);
}
