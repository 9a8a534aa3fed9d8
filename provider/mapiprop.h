/*
 * mapiprop.h: the IMAPIProp method bodies the provider's objects share:
 * GetLastError (no extended information yet), and GetProps / GetPropList
 * over a property bag an object computes on each call (argument and flag
 * checks as the MAPI reference gives them, then propconv.h).
 * Never: keep the bag beyond the call (it is built fresh each time).
 */
#ifndef MAPIDAV_PROVIDER_MAPIPROP_H
#define MAPIDAV_PROVIDER_MAPIPROP_H

#include "provider/propconv.h"

/* Builds the object's bag: NULL with *hr on failure. */
typedef st_bag *(*md_bag_fn)(void *obj, HRESULT *hr);

HRESULT md_prop_get_last_error(ULONG flags, LPMAPIERROR *error);
HRESULT md_prop_get_props(md_bag_fn build, void *obj, const md_alloc *a,
    LPSPropTagArray tags, ULONG flags, ULONG *count, LPSPropValue *props);
HRESULT md_prop_get_prop_list(md_bag_fn build, void *obj, const md_alloc *a, ULONG flags,
    LPSPropTagArray *list);

#endif
