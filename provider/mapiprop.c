/*
 * mapiprop.c: shared IMAPIProp method bodies (contract in mapiprop.h).
 */
#include <mapicode.h>

#include "provider/mapiprop.h"

HRESULT md_prop_get_last_error(ULONG flags, LPMAPIERROR *error)
{
    if (!error)
        return MAPI_E_INVALID_PARAMETER;
    *error = NULL;
    return flags & ~(ULONG)MAPI_UNICODE ? MAPI_E_UNKNOWN_FLAGS : S_OK;
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
