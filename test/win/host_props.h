/*
 * host_props.h: small reads the Windows test programs share beside
 * host_session.h (loading, logon, logoff): one property of an object, an
 * object's entry ID, the checks that close a program (references on the
 * support object, MAPI buffers, Subscribe/Unsubscribe balance), and the
 * end of a program: the provider shut down and unloaded with those checks.
 * Header-only: include it after host_support.h and host_session.h.
 * Never: keep a MAPI buffer past the call that reads it.
 */
#ifndef MAPIDAV_HOST_PROPS_H
#define MAPIDAV_HOST_PROPS_H

#include "provider/object.h"

/* One property of obj (an IMAPIProp), or NULL when it has none (free the
 * value with host_FreeBuffer). */
static inline LPSPropValue host_get_one(void *obj, ULONG tag)
{
    IMAPIProp *p = obj;
    SizedSPropTagArray(1, t) = { 1, { tag } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = p->lpVtbl->GetProps(p, (LPSPropTagArray)&t, MAPI_UNICODE, &n, &v);
    if (FAILED(hr) || n != 1 || !v || PROP_TYPE(v->ulPropTag) == PT_ERROR) {
        host_FreeBuffer(v);
        return NULL;
    }
    return v;
}

/* obj's PR_ENTRYID copied into out (64 bytes at most): its size, 0 if none. */
static inline ULONG host_eid_of(void *obj, BYTE out[64])
{
    LPSPropValue v = host_get_one(obj, PR_ENTRYID);
    ULONG cb = 0;
    if (v && v->Value.bin.cb <= 64) {
        cb = v->Value.bin.cb;
        memcpy(out, v->Value.bin.lpb, cb);
    }
    host_FreeBuffer(v);
    return cb;
}

/* What must be back where it started when everything is released. */
static inline void host_end_checks(void)
{
    ok(sup_refs == 1, "support object references left: %ld\n", (long)sup_refs - 1);
    ok(buffers_live == 0, "MAPI buffers not freed: %ld\n", (long)buffers_live);
    ok(subscribes == unsubscribes, "Subscribe %d, Unsubscribe %d\n", subscribes, unsubscribes);
}

/* The end of a program: IMSProvider::Shutdown, the last Release, the
 * provider's live objects (debug may be NULL) and host_end_checks at zero,
 * the DLL unloaded and the store file removed. */
static inline void host_unload_provider(IMSProvider *provider, IMapidavDebug *debug, HMODULE dll)
{
    ULONG flags = 0;
    provider->lpVtbl->Shutdown(provider, &flags);
    ok(provider->lpVtbl->Release(provider) == 0, "IMSProvider still referenced\n");
    if (debug)
        ok(debug->lpVtbl->LiveObjects(debug) == 0, "live objects at the end: %ld\n",
           (long)debug->lpVtbl->LiveObjects(debug));
    host_end_checks();
    ok(FreeLibrary(dll), "FreeLibrary failed: error %lu\n", GetLastError());
    host_remove_store();
}

#endif
