/*
 * propconv.c: SPropValue <-> st_value conversion and GetProps/GetPropList
 * over a bag (contract in propconv.h). Strings go through UTF-16 with the
 * Win32 code-page functions; fixed-size multi-valued arrays have the same
 * element layout on both sides (st_proptype_elem_size) and are copied whole.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>

#include "provider/actions.h"
#include "provider/propconv.h"
#include "provider/restrict.h"
#include "storage/props_rescodec.h"

static int is_string_type(ULONG t)
{
    t &= ~(ULONG)MV_FLAG;
    return t == PT_STRING8 || t == PT_UNICODE;
}

HRESULT md_alloc_more(const md_alloc *a, void *parent, size_t n, void **out)
{
    *out = NULL;
    if (n == 0)
        n = 1;
    if (n > ULONG_MAX / 2 || a->more((ULONG)n, parent, out) != S_OK || !*out)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    return S_OK;
}

/* UTF-8 -> malloc'd UTF-16 (invalid bytes become U+FFFD). */
static WCHAR *wide_from_cp(UINT cp, const char *s)
{
    int n = MultiByteToWideChar(cp, 0, s, -1, NULL, 0);
    if (n <= 0)
        return NULL;
    WCHAR *w = malloc((size_t)n * sizeof *w);
    if (w && MultiByteToWideChar(cp, 0, s, -1, w, n) != n) {
        free(w);
        w = NULL;
    }
    return w;
}

static char *cp_from_wide(UINT cp, const WCHAR *w)
{
    int n = WideCharToMultiByte(cp, 0, w, -1, NULL, 0, NULL, NULL);
    if (n <= 0)
        return NULL;
    char *s = malloc((size_t)n);
    if (s && WideCharToMultiByte(cp, 0, w, -1, s, n, NULL, NULL) != n) {
        free(s);
        s = NULL;
    }
    return s;
}

char *md_utf8_from_wide(const WCHAR *w)
{
    return w ? cp_from_wide(CP_UTF8, w) : NULL;
}

/* n bytes off parent, or a buffer of their own when parent is NULL. */
static HRESULT alloc_in(const md_alloc *a, void *parent, size_t n, void **out)
{
    if (parent)
        return md_alloc_more(a, parent, n, out);
    *out = NULL;
    if (n > ULONG_MAX / 2 || a->buffer((ULONG)n, out) != S_OK || !*out)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    return S_OK;
}

/* UTF-8 s as type (PT_UNICODE or PT_STRING8) in memory off parent. */
HRESULT md_string_to_mapi(void **out, const char *s, ULONG type, void *parent,
    const md_alloc *a)
{
    WCHAR *w = wide_from_cp(CP_UTF8, s ? s : "");
    HRESULT hr = MAPI_E_NOT_ENOUGH_MEMORY;

    *out = NULL;
    if (!w)
        return hr;
    if (type == PT_UNICODE) {
        size_t len = (wcslen(w) + 1) * sizeof *w;
        hr = alloc_in(a, parent, len, out);
        if (hr == S_OK)
            memcpy(*out, w, len);
    } else {
        char *n8 = cp_from_wide(CP_ACP, w);
        if (n8) {
            size_t len = strlen(n8) + 1;
            hr = alloc_in(a, parent, len, out);
            if (hr == S_OK)
                memcpy(*out, n8, len);
            free(n8);
        }
    }
    free(w);
    return hr;
}

static HRESULT bytes_to_mapi(SBinary *out, const st_bin *in, void *parent, const md_alloc *a)
{
    void *p = NULL;
    out->cb = 0;
    out->lpb = NULL;
    HRESULT hr = md_alloc_more(a, parent, in->len, &p);
    if (hr != S_OK)
        return hr;
    if (in->len)
        memcpy(p, in->data, in->len);
    out->cb = in->len;
    out->lpb = p;
    return S_OK;
}

HRESULT md_value_to_mapi(SPropValue *out, ULONG tag, const st_value *in, ULONG flags,
    void *parent, const md_alloc *a)
{
    ULONG vt = PROP_TYPE(in->tag), want = PROP_TYPE(tag);
    HRESULT hr = S_OK;

    memset(out, 0, sizeof *out);
    if (want == PT_UNSPECIFIED) {
        want = vt;
        if (is_string_type(vt))
            want = (vt & MV_FLAG) | (flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8);
    } else if (is_string_type(want) && is_string_type(vt)) {
        if ((want & MV_FLAG) != (vt & MV_FLAG))
            return MAPI_E_INVALID_TYPE;
    } else if (want != vt) {
        return MAPI_E_INVALID_TYPE;
    }
    out->ulPropTag = PROP_TAG(want, PROP_ID(tag));

    if (want & MV_FLAG) {
        ULONG base = want & ~(ULONG)MV_FLAG, n = in->v.mv.n;
        void *arr = NULL;
        if (base == PT_STRING8 || base == PT_UNICODE) {
            hr = md_alloc_more(a, parent, (size_t)n * sizeof(void *), &arr);
            for (ULONG i = 0; hr == S_OK && i < n; i++)
                hr = md_string_to_mapi(&((void **)arr)[i], in->v.mv.str[i], base, parent, a);
        } else if (base == PT_BINARY) {
            hr = md_alloc_more(a, parent, (size_t)n * sizeof(SBinary), &arr);
            for (ULONG i = 0; hr == S_OK && i < n; i++)
                hr = bytes_to_mapi(&((SBinary *)arr)[i], &in->v.mv.bin[i], parent, a);
        } else {
            size_t size = st_proptype_elem_size(base);
            if (!size)
                return MAPI_E_INVALID_TYPE;
            hr = md_alloc_more(a, parent, (size_t)n * size, &arr);
            if (hr == S_OK && n)
                memcpy(arr, in->v.mv.any, (size_t)n * size);
        }
        if (hr != S_OK)
            return hr;
        /* Every S*Array is { ULONG cValues; T *lp...; }: one layout. */
        out->Value.MVl.cValues = n;
        out->Value.MVl.lpl = arr;
        return S_OK;
    }

    switch (want) {
    case PT_NULL:
    case PT_OBJECT:
        out->Value.x = 0;
        break;
    case PT_I2:
        out->Value.i = in->v.i;
        break;
    case PT_LONG:
        out->Value.l = in->v.l;
        break;
    case PT_R4:
        out->Value.flt = in->v.flt;
        break;
    case PT_DOUBLE:
        out->Value.dbl = in->v.dbl;
        break;
    case PT_APPTIME:
        out->Value.at = in->v.at;
        break;
    case PT_CURRENCY:
        out->Value.cur.int64 = in->v.cur;
        break;
    case PT_ERROR:
        out->Value.err = in->v.err;
        break;
    case PT_BOOLEAN:
        out->Value.b = in->v.b ? 1 : 0;
        break;
    case PT_I8:
        out->Value.li.QuadPart = in->v.li;
        break;
    case PT_SYSTIME:
        out->Value.ft.dwLowDateTime = (DWORD)in->v.ft;
        out->Value.ft.dwHighDateTime = (DWORD)(in->v.ft >> 32);
        break;
    case PT_STRING8:
    case PT_UNICODE: {
        void *s = NULL;
        hr = md_string_to_mapi(&s, in->v.str, want, parent, a);
        if (want == PT_UNICODE)
            out->Value.lpszW = s;
        else
            out->Value.lpszA = s;
        break;
    }
    case PT_CLSID: {
        void *g = NULL;
        hr = md_alloc_more(a, parent, sizeof(GUID), &g);
        if (hr == S_OK) {
            memcpy(g, in->v.guid, sizeof(GUID));
            out->Value.lpguid = g;
        }
        break;
    }
    case PT_BINARY:
    case PT_SVREID:
        hr = bytes_to_mapi(&out->Value.bin, &in->v.bin, parent, a);
        break;
    case PT_SRESTRICT: {   /* [MS-OXCDATA] bytes -> an LPSRestriction in Value.lpszA */
        st_restriction *r = NULL;
        LPSRestriction m = NULL;
        if (st_res_decode(&r, in->v.bin.data, in->v.bin.len))
            return MAPI_E_CORRUPT_DATA;
        hr = md_res_to_mapi(&m, r, parent, a);
        st_res_free(r);
        out->Value.lpszA = (LPSTR)m;   /* where MAPI keeps it (MFCMAPI reads it so) */
        break;
    }
    case PT_ACTIONS: {   /* [MS-OXORULE] bytes -> an ACTIONS in Value.lpszA */
        ACTIONS *acts = NULL;
        hr = md_actions_to_mapi(&acts, in->v.bin.data, in->v.bin.len, parent, a);
        out->Value.lpszA = (LPSTR)acts;
        break;
    }
    default:
        return MAPI_E_INVALID_TYPE;
    }
    return hr;
}

static HRESULT string_from_mapi(char **out, const void *s, ULONG type)
{
    *out = NULL;
    if (!s)
        return MAPI_E_INVALID_PARAMETER;
    if (type == PT_UNICODE) {
        *out = cp_from_wide(CP_UTF8, s);
    } else {
        WCHAR *w = wide_from_cp(CP_ACP, s);
        if (w)
            *out = cp_from_wide(CP_UTF8, w);
        free(w);
    }
    return *out ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

char *md_utf8_from_tstr(const void *str, ULONG flags)
{
    char *out = NULL;
    if (str)
        string_from_mapi(&out, str, flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8);
    return out;
}

static HRESULT bytes_from_mapi(st_bin *out, const SBinary *in)
{
    out->len = 0;
    out->data = NULL;
    if (in->cb == 0)
        return S_OK;
    if (!in->lpb)
        return MAPI_E_INVALID_PARAMETER;
    out->data = malloc(in->cb);
    if (!out->data)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(out->data, in->lpb, in->cb);
    out->len = in->cb;
    return S_OK;
}

HRESULT md_value_from_mapi(st_value *out, const SPropValue *in)
{
    ULONG type = PROP_TYPE(in->ulPropTag);
    HRESULT hr = S_OK;

    memset(out, 0, sizeof *out);
    if (type & MV_INSTANCE)
        return MAPI_E_INVALID_TYPE;
    if (!st_proptype_valid(type))
        return MAPI_E_INVALID_TYPE;
    out->tag = in->ulPropTag;

    if (type & MV_FLAG) {
        ULONG base = type & ~(ULONG)MV_FLAG, n = in->Value.MVl.cValues;
        const void *src = in->Value.MVl.lpl;
        if (n && !src)
            return MAPI_E_INVALID_PARAMETER;
        out->v.mv.n = 0;
        if (n == 0)
            return S_OK;
        if (base == PT_STRING8 || base == PT_UNICODE) {
            char **strs = calloc(n, sizeof *strs);
            if (!strs)
                return MAPI_E_NOT_ENOUGH_MEMORY;
            out->v.mv.str = strs;
            out->v.mv.n = n;
            for (ULONG i = 0; hr == S_OK && i < n; i++)
                hr = string_from_mapi(&strs[i], ((void *const *)src)[i], base);
        } else if (base == PT_BINARY) {
            st_bin *bins = calloc(n, sizeof *bins);
            if (!bins)
                return MAPI_E_NOT_ENOUGH_MEMORY;
            out->v.mv.bin = bins;
            out->v.mv.n = n;
            for (ULONG i = 0; hr == S_OK && i < n; i++)
                hr = bytes_from_mapi(&bins[i], &((const SBinary *)src)[i]);
        } else {
            size_t size = st_proptype_elem_size(base);
            if (!size)
                return MAPI_E_INVALID_TYPE;
            void *arr = calloc(n, size);
            if (!arr)
                return MAPI_E_NOT_ENOUGH_MEMORY;
            memcpy(arr, src, (size_t)n * size);
            out->v.mv.any = arr;
            out->v.mv.n = n;
        }
        if (hr != S_OK)
            st_value_clear(out);
        return hr;
    }

    switch (type) {
    case PT_NULL:
    case PT_OBJECT:
        out->v.x = 0;
        break;
    case PT_I2:
        out->v.i = in->Value.i;
        break;
    case PT_LONG:
        out->v.l = in->Value.l;
        break;
    case PT_R4:
        out->v.flt = in->Value.flt;
        break;
    case PT_DOUBLE:
        out->v.dbl = in->Value.dbl;
        break;
    case PT_APPTIME:
        out->v.at = in->Value.at;
        break;
    case PT_CURRENCY:
        out->v.cur = in->Value.cur.int64;
        break;
    case PT_ERROR:
        out->v.err = in->Value.err;
        break;
    case PT_BOOLEAN:
        out->v.b = in->Value.b != 0;
        break;
    case PT_I8:
        out->v.li = in->Value.li.QuadPart;
        break;
    case PT_SYSTIME:
        out->v.ft = ((uint64_t)in->Value.ft.dwHighDateTime << 32) | in->Value.ft.dwLowDateTime;
        break;
    case PT_STRING8:
    case PT_UNICODE:
        hr = string_from_mapi(&out->v.str, type == PT_UNICODE ? (const void *)in->Value.lpszW
                                                                : (const void *)in->Value.lpszA, type);
        break;
    case PT_CLSID:
        if (!in->Value.lpguid)
            return MAPI_E_INVALID_PARAMETER;
        out->v.guid = malloc(sizeof *out->v.guid);
        if (!out->v.guid)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        memcpy(out->v.guid, in->Value.lpguid, sizeof *out->v.guid);
        break;
    case PT_BINARY:
    case PT_SVREID:
        hr = bytes_from_mapi(&out->v.bin, &in->Value.bin);
        break;
    case PT_SRESTRICT: {   /* an LPSRestriction in Value.lpszA -> [MS-OXCDATA] bytes */
        st_restriction *r = NULL;
        size_t len = 0;
        if (!in->Value.lpszA)
            return MAPI_E_INVALID_PARAMETER;
        hr = md_res_from_mapi_data(&r, (const SRestriction *)(const void *)in->Value.lpszA);
        if (hr == S_OK && (st_res_encode(&out->v.bin.data, &len, r) || len > UINT32_MAX))
            hr = MAPI_E_TOO_COMPLEX;   /* more than the format carries */
        else if (hr == S_OK)
            out->v.bin.len = (uint32_t)len;
        st_res_free(r);
        break;
    }
    default: {   /* PT_ACTIONS: an ACTIONS in Value.lpszA -> [MS-OXORULE] bytes */
        size_t len = 0;
        if (!in->Value.lpszA)
            return MAPI_E_INVALID_PARAMETER;
        hr = md_actions_from_mapi(&out->v.bin.data, &len,
            (const ACTIONS *)(const void *)in->Value.lpszA);
        if (hr == S_OK && len > UINT32_MAX)
            hr = MAPI_E_TOO_COMPLEX;
        else if (hr == S_OK)
            out->v.bin.len = (uint32_t)len;
        break;
    }
    }
    if (hr != S_OK)
        st_value_clear(out);
    return hr;
}

static void set_error(SPropValue *v, ULONG tag, SCODE err)
{
    v->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
    v->dwAlignPad = 0;
    v->Value.err = err;
}

HRESULT md_bag_get_props(const st_bag *bag, const SPropTagArray *tags, ULONG flags,
    const md_alloc *a, ULONG *count, LPSPropValue *out)
{
    size_t n = tags ? tags->cValues : st_bag_count(bag);
    SPropValue *arr = NULL;
    int warn = 0;

    *count = 0;
    *out = NULL;
    if (n > 0x100000 || a->buffer((ULONG)(sizeof *arr * (n ? n : 1)), (void **)&arr) != S_OK
        || !arr)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < n; i++) {
        const st_value *v;
        ULONG tag;
        if (tags) {
            tag = tags->aulPropTag[i];
            v = st_bag_get(bag, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED));
        } else {
            v = st_bag_at(bag, i);
            tag = PROP_TAG(PT_UNSPECIFIED, PROP_ID(v->tag));
        }
        if (!v) {
            set_error(&arr[i], tag, MAPI_E_NOT_FOUND);
            warn = 1;
            continue;
        }
        if (PROP_TYPE(v->tag) == PT_ERROR && PROP_TYPE(tag) != PT_ERROR) {
            set_error(&arr[i], tag, v->v.err);
            warn = 1;
            continue;
        }
        HRESULT hr = md_value_to_mapi(&arr[i], tag, v, flags, arr, a);
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY) {
            a->free(arr);
            return hr;
        }
        if (hr != S_OK) {
            set_error(&arr[i], tag, hr == MAPI_E_INVALID_TYPE ? MAPI_E_NOT_FOUND : hr);
            warn = 1;
        }
    }
    *count = (ULONG)n;
    *out = arr;
    return warn ? MAPI_W_ERRORS_RETURNED : S_OK;
}

HRESULT md_bag_prop_list(const st_bag *bag, ULONG flags, const md_alloc *a,
    LPSPropTagArray *out)
{
    size_t n = st_bag_count(bag);
    SPropTagArray *list = NULL;

    *out = NULL;
    if (a->buffer(CbNewSPropTagArray(n), (void **)&list) != S_OK || !list)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    list->cValues = (ULONG)n;
    for (size_t i = 0; i < n; i++) {
        ULONG tag = st_bag_at(bag, i)->tag;
        if (is_string_type(PROP_TYPE(tag)))
            tag = CHANGE_PROP_TYPE(tag, (PROP_TYPE(tag) & MV_FLAG)
                                       | (flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8));
        list->aulPropTag[i] = tag;
    }
    *out = list;
    return S_OK;
}
