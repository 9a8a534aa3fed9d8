/*
 * msprovider.c: IMSProvider, what MSProviderInit gives MAPI: Logon and
 * SpoolerLogon open the store named by the profile section
 * (PR_MAPIDAV_STORE_PATH_W, store.h), register our provider UID
 * (IMAPISupport::SetProviderUID) and answer an IMsgStore and an IMSLogon;
 * the store's PR_DISPLAY_NAME is the profile section's PR_DISPLAY_NAME_W
 * (what the service entry writes, svcentry.c), "mapidav" when it has none.
 * CompareStoreIDs compares two of our store entry IDs. Shutdown (MAPI calls
 * it once every logon is gone) and the last Release join the background
 * threads that ended on their own (shutdown.h, md_bg_reap).
 *
 * IMAPIProviderShutdown (QueryInterface answers it; Outlook 2010 and later
 * fast shutdown): QueryFastShutdown S_OK (supported); NotifyProcessShutdown
 * S_OK, nothing to do ahead (every write is already committed when its call
 * returns); DoFastShutdown stops all background work and quiesces the
 * stores (md_fast_shutdown). After it, Logon and SpoolerLogon answer
 * MAPI_E_CALL_FAILED.
 *
 * When the store cannot be opened (corrupt, newer, locked ...), Logon's
 * MAPIERROR carries storage's message.
 * QueryInterface(IID_IMapidavDebug) gives the live-object counter to tests
 * (object.h). Spooler security data: none (0 bytes).
 * Never: keep the support object beyond the logon that gave it (the store
 * keeps its own reference).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "provider/entryid.h"
#include "provider/object.h"
#include "provider/shutdown.h"
#include "provider/spooler.h"
#include "provider/store.h"

typedef struct md_provider {
    IMSProvider iface;
    IMAPIProviderShutdown shut;   /* the same object's IMAPIProviderShutdown */
    LONG refs;
    md_alloc alloc;
} md_provider;

static md_provider *impl(IMSProvider *iface)
{
    return (md_provider *)iface;
}

static md_provider *impl_shut(IMAPIProviderShutdown *iface)
{
    return (md_provider *)((char *)iface - offsetof(md_provider, shut));
}

static HRESULT STDMETHODCALLTYPE provider_QueryInterface(IMSProvider *iface, REFIID riid,
    void **out)
{
    static const IID *const iids[] = { &IID_IMSProvider };
    if (out && riid && IsEqualIID(riid, &IID_IMapidavDebug)) {
        *out = md_debug_object();
        return S_OK;
    }
    if (out && riid && IsEqualIID(riid, &IID_IMAPIProviderShutdown)) {
        iface->lpVtbl->AddRef(iface);
        *out = &impl(iface)->shut;
        return S_OK;
    }
    return md_query_interface(iface, riid, out, iids, 1);
}

static ULONG STDMETHODCALLTYPE provider_AddRef(IMSProvider *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE provider_Release(IMSProvider *iface)
{
    md_provider *p = impl(iface);
    ULONG n = md_ref_release(&p->refs);
    if (n == 0) {
        md_bg_reap();   /* no thread left in our code: the DLL may go next */
        free(p);
        md_object_destroyed();
    }
    return n;
}

static HRESULT STDMETHODCALLTYPE provider_Shutdown(IMSProvider *iface, ULONG *flags)
{
    (void)iface; (void)flags;   /* flags: reserved */
    md_bg_reap();
    return S_OK;
}

/* ---- IMAPIProviderShutdown */

static HRESULT STDMETHODCALLTYPE shut_QueryInterface(IMAPIProviderShutdown *iface,
    REFIID riid, void **out)
{
    IMSProvider *p = &impl_shut(iface)->iface;
    return p->lpVtbl->QueryInterface(p, riid, out);
}

static ULONG STDMETHODCALLTYPE shut_AddRef(IMAPIProviderShutdown *iface)
{
    return provider_AddRef(&impl_shut(iface)->iface);
}

static ULONG STDMETHODCALLTYPE shut_Release(IMAPIProviderShutdown *iface)
{
    return provider_Release(&impl_shut(iface)->iface);
}

static HRESULT STDMETHODCALLTYPE shut_QueryFastShutdown(IMAPIProviderShutdown *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE shut_NotifyProcessShutdown(IMAPIProviderShutdown *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE shut_DoFastShutdown(IMAPIProviderShutdown *iface)
{
    (void)iface;
    md_fast_shutdown();
    return S_OK;
}

static const IMAPIProviderShutdownVtbl shut_vtbl = {
    shut_QueryInterface, shut_AddRef, shut_Release,
    shut_QueryFastShutdown, shut_NotifyProcessShutdown, shut_DoFastShutdown,
};

/* The store path from our profile section, UTF-8, malloc'd, and the
 * display name the service entry gave the store (*name: UTF-8, malloc'd,
 * NULL when the section has none). */
static HRESULT profile_store_path(LPMAPISUP sup, char **out, char **name)
{
    LPPROFSECT sect = NULL;
    SizedSPropTagArray(2, tags) = { 2, { PR_MAPIDAV_STORE_PATH_W, PR_DISPLAY_NAME_W } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    LPFREEBUFFER free_buffer = NULL;
    LPALLOCATEBUFFER ab = NULL;
    LPALLOCATEMORE am = NULL;

    *out = NULL;
    *name = NULL;
    HRESULT hr = sup->lpVtbl->OpenProfileSection(sup, NULL, 0, &sect);
    if (hr != S_OK || !sect)
        return hr != S_OK ? hr : MAPI_E_CALL_FAILED;
    hr = sect->lpVtbl->GetProps(sect, (LPSPropTagArray)&tags, MAPI_UNICODE, &n, &v);
    if (SUCCEEDED(hr) && n == 2 && v && v[0].ulPropTag == PR_MAPIDAV_STORE_PATH_W
        && v[0].Value.lpszW && v[0].Value.lpszW[0]) {
        *out = md_utf8_from_wide(v[0].Value.lpszW);
        hr = *out ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
        if (hr == S_OK && v[1].ulPropTag == PR_DISPLAY_NAME_W && v[1].Value.lpszW
            && v[1].Value.lpszW[0] && !(*name = md_utf8_from_wide(v[1].Value.lpszW))) {
            free(*out);
            *out = NULL;
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        }
    } else {
        hr = MAPI_E_UNCONFIGURED;
    }
    if (v && sup->lpVtbl->GetMemAllocRoutines(sup, &ab, &am, &free_buffer) == S_OK
        && free_buffer)
        free_buffer(v);
    sect->lpVtbl->Release(sect);
    return hr;
}

/* Logon's extended error: what storage said (this thread's st_error_last),
 * for the user and for support. Nothing when out of memory. */
static void logon_error(md_provider *p, ULONG flags, const char *why, LPMAPIERROR *error)
{
    MAPIERROR *e = NULL;
    ULONG type = flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8;
    void *msg = NULL, *component = NULL;

    if (!error || p->alloc.buffer(sizeof *e, (void **)&e) != S_OK || !e)
        return;
    memset(e, 0, sizeof *e);
    if (md_string_to_mapi(&msg, why, type, e, &p->alloc) != S_OK
        || md_string_to_mapi(&component, "mapidav store", type, e, &p->alloc) != S_OK) {
        p->alloc.free(e);
        return;
    }
    e->ulVersion = MAPI_ERROR_VERSION;
    e->lpszError = msg;
    e->lpszComponent = component;
    *error = e;
}

static HRESULT logon_common(md_provider *p, LPMAPISUP sup, ULONG cb, LPENTRYID eid,
    ULONG flags, LPCIID iid, LPMAPIERROR *error, LPMSLOGON *logon_out, LPMDB *mdb_out)
{
    md_store *s = NULL;
    IMSLogon *logon = NULL;
    char *path = NULL, *name = NULL;
    md_eid e;

    if (error)
        *error = NULL;
    if (!sup || !logon_out || !mdb_out)
        return MAPI_E_INVALID_PARAMETER;
    *logon_out = NULL;
    *mdb_out = NULL;
    if (iid && !IsEqualIID(iid, &IID_IMsgStore) && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if ((cb || eid) && (md_eid_parse(&e, cb, eid) != S_OK || e.kind != MD_EID_STORE))
        return MAPI_E_INVALID_ENTRYID;
    if (md_shutdown_done())
        return MAPI_E_CALL_FAILED;   /* DoFastShutdown: the process is exiting */
    HRESULT hr = profile_store_path(sup, &path, &name);
    if (hr != S_OK)
        return hr;
    hr = md_store_create(&s, path, sup, &p->alloc, flags);
    free(path);
    if (hr != S_OK) {
        free(name);
        logon_error(p, flags, st_error_last(), error);
        return hr;
    }
    s->display_name = name;   /* the store frees it */
    if ((cb || eid) && st_guid_compare(&e.store, &s->guid) != 0)
        hr = MAPI_E_UNKNOWN_ENTRYID;   /* another store than the profile's */
    if (hr == S_OK)
        hr = sup->lpVtbl->SetProviderUID(sup, (LPMAPIUID)&MD_PROVIDER_UID, 0);
    if (hr == S_OK)
        hr = md_logon_create(s, &logon);
    if (hr != S_OK) {
        s->iface.lpVtbl->Release(&s->iface);
        return hr;
    }
    *logon_out = logon;
    *mdb_out = &s->iface;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE provider_Logon(IMSProvider *iface, LPMAPISUP sup,
    ULONG ui, LPTSTR profile, ULONG cb, LPENTRYID eid, ULONG flags, LPCIID iid,
    ULONG *cb_spool, LPBYTE *spool, LPMAPIERROR *error, LPMSLOGON *logon, LPMDB *mdb)
{
    (void)ui; (void)profile;
    if (cb_spool)
        *cb_spool = 0;
    if (spool)
        *spool = NULL;
    if (!cb_spool || !spool) {
        if (logon)
            *logon = NULL;
        if (mdb)
            *mdb = NULL;
        return MAPI_E_INVALID_PARAMETER;
    }
    return logon_common(impl(iface), sup, cb, eid, flags, iid, error, logon, mdb);
}

static HRESULT STDMETHODCALLTYPE provider_SpoolerLogon(IMSProvider *iface, LPMAPISUP sup,
    ULONG ui, LPTSTR profile, ULONG cb, LPENTRYID eid, ULONG flags, LPCIID iid,
    ULONG cb_spool, LPBYTE spool, LPMAPIERROR *error, LPMSLOGON *logon, LPMDB *mdb)
{
    (void)ui; (void)profile; (void)cb_spool; (void)spool;
    /* The spooler's store: the only one whose spooler methods work (spooler.h). */
    return logon_common(impl(iface), sup, cb, eid, flags | MD_LOGON_SPOOLER, iid, error, logon,
        mdb);
}

static HRESULT STDMETHODCALLTYPE provider_CompareStoreIDs(IMSProvider *iface, ULONG cb1,
    LPENTRYID eid1, ULONG cb2, LPENTRYID eid2, ULONG flags, ULONG *result)
{
    md_eid a, b;
    (void)iface;
    if (!result)
        return MAPI_E_INVALID_PARAMETER;
    *result = FALSE;
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    if (md_eid_parse(&a, cb1, eid1) != S_OK || md_eid_parse(&b, cb2, eid2) != S_OK
        || a.kind != MD_EID_STORE || b.kind != MD_EID_STORE)
        return MAPI_E_INVALID_ENTRYID;
    *result = st_guid_compare(&a.store, &b.store) == 0;
    return S_OK;
}

static const IMSProviderVtbl provider_vtbl = {
    provider_QueryInterface, provider_AddRef, provider_Release,
    provider_Shutdown, provider_Logon, provider_SpoolerLogon, provider_CompareStoreIDs,
};

HRESULT md_provider_create(const md_alloc *alloc, IMSProvider **out)
{
    *out = NULL;
    md_provider *p = calloc(1, sizeof *p);
    if (!p)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    p->iface.lpVtbl = (IMSProviderVtbl *)&provider_vtbl;   /* mapispi.h: not const */
    p->shut.lpVtbl = &shut_vtbl;
    p->refs = 1;
    p->alloc = *alloc;
    md_object_created();
    *out = &p->iface;
    return S_OK;
}
