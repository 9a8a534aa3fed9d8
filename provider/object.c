/*
 * object.c: the live-object counter, the QueryInterface helper and the static
 * debug object of object.h. No state besides the counter; no allocation.
 */
#include <windows.h>
#include <mapidefs.h>

#include "provider/object.h"

static volatile LONG live_objects;

void md_object_created(void)
{
    InterlockedIncrement(&live_objects);
}

void md_object_destroyed(void)
{
    InterlockedDecrement(&live_objects);
}

LONG md_live_objects(void)
{
    return InterlockedCompareExchange(&live_objects, 0, 0);
}

HRESULT md_query_interface(void *self, REFIID riid, void **out, const IID *const *iids,
    size_t n)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!riid)
        return E_INVALIDARG;
    int match = IsEqualIID(riid, &IID_IUnknown);
    for (size_t i = 0; !match && i < n; i++)
        match = IsEqualIID(riid, iids[i]);
    if (!match)
        return E_NOINTERFACE;
    IUnknown *unk = self;
    unk->lpVtbl->AddRef(unk);
    *out = self;
    return S_OK;
}

/* ---- the debug object: static, never counted, AddRef/Release do nothing */

static HRESULT STDMETHODCALLTYPE debug_query_interface(IMapidavDebug *self, REFIID riid,
    void **out)
{
    static const IID *const iids[] = { &IID_IMapidavDebug };
    return md_query_interface(self, riid, out, iids, 1);
}

static ULONG STDMETHODCALLTYPE debug_add_ref(IMapidavDebug *self)
{
    (void)self;
    return 1;
}

static ULONG STDMETHODCALLTYPE debug_release(IMapidavDebug *self)
{
    (void)self;
    return 1;
}

static LONG STDMETHODCALLTYPE debug_live_objects(IMapidavDebug *self)
{
    (void)self;
    return md_live_objects();
}

static const IMapidavDebugVtbl debug_vtbl = {
    debug_query_interface, debug_add_ref, debug_release, debug_live_objects,
};
static IMapidavDebug debug_object = { &debug_vtbl };

IMapidavDebug *md_debug_object(void)
{
    return &debug_object;
}
