/*
 * mslogon.c: IMSLogon, MAPI's private handle on a logged-on store: Logoff,
 * OpenEntry and CompareEntryIDs hand over to the store (msgstore.c).
 * Advise and Unadvise are the store's (notify.h: MAPI calls them for
 * IMAPISession::Advise on our entry IDs). Logoff stops the store's
 * background work (shutdown.h); after DoFastShutdown OpenEntry and Advise
 * answer MAPI_E_CALL_FAILED.
 * Not done, MAPI_E_NO_SUPPORT: OpenStatusEntry.
 * GetLastError gives no extended information yet.
 * Never: free the store here (it goes with its last reference).
 */
#include <stdlib.h>

#include "provider/mapiprop.h"
#include "provider/notify.h"
#include "provider/object.h"
#include "provider/shutdown.h"
#include "provider/store.h"

typedef struct md_logon {
    IMSLogon iface;
    LONG refs;
    md_store *store;   /* AddRef'd */
} md_logon;

static md_logon *impl(IMSLogon *iface)
{
    return (md_logon *)iface;
}

static HRESULT STDMETHODCALLTYPE logon_QueryInterface(IMSLogon *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMSLogon };
    return md_query_interface(iface, riid, out, iids, 1);
}

static ULONG STDMETHODCALLTYPE logon_AddRef(IMSLogon *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE logon_Release(IMSLogon *iface)
{
    md_logon *l = impl(iface);
    ULONG n = md_ref_release(&l->refs);
    if (n == 0) {
        l->store->iface.lpVtbl->Release(&l->store->iface);
        free(l);
        md_object_destroyed();
    }
    return n;
}

static HRESULT STDMETHODCALLTYPE logon_GetLastError(IMSLogon *iface, HRESULT hr, ULONG flags,
    LPMAPIERROR *error)
{
    return md_prop_get_last_error(flags, error);
}

/* MAPI calls Logoff before releasing the logon: the store's background
 * work stops (shutdown.h, md_store_stop); its file closes when the last
 * object holding the store goes. */
static HRESULT STDMETHODCALLTYPE logon_Logoff(IMSLogon *iface, ULONG *flags)
{
    (void)flags;   /* reserved */
    md_store_stop(impl(iface)->store);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE logon_OpenEntry(IMSLogon *iface, ULONG cb, LPENTRYID eid,
    LPCIID iid, ULONG flags, ULONG *obj_type, LPUNKNOWN *out)
{
    return md_store_open_entry(impl(iface)->store, cb, eid, iid, flags, obj_type, out);
}

static HRESULT STDMETHODCALLTYPE logon_CompareEntryIDs(IMSLogon *iface, ULONG cb1,
    LPENTRYID eid1, ULONG cb2, LPENTRYID eid2, ULONG flags, ULONG *result)
{
    return md_store_compare_entryids(impl(iface)->store, cb1, eid1, cb2, eid2, flags, result);
}

static HRESULT STDMETHODCALLTYPE logon_Advise(IMSLogon *iface, ULONG cb, LPENTRYID eid,
    ULONG mask, LPMAPIADVISESINK sink, ULONG *conn)
{
    if (conn)
        *conn = 0;
    if (md_shutdown_done())
        return MAPI_E_CALL_FAILED;   /* DoFastShutdown: the process is exiting */
    return md_notify_advise(impl(iface)->store, cb, eid, mask, sink, conn);
}

static HRESULT STDMETHODCALLTYPE logon_Unadvise(IMSLogon *iface, ULONG conn)
{
    return md_notify_unadvise(impl(iface)->store, conn);
}

static HRESULT STDMETHODCALLTYPE logon_OpenStatusEntry(IMSLogon *iface, LPCIID iid,
    ULONG flags, ULONG *obj_type, LPVOID *out)
{
    (void)iface; (void)iid; (void)flags;
    if (obj_type)
        *obj_type = 0;
    if (out)
        *out = NULL;
    return MAPI_E_NO_SUPPORT;
}

static const IMSLogonVtbl logon_vtbl = {
    logon_QueryInterface, logon_AddRef, logon_Release,
    logon_GetLastError, logon_Logoff, logon_OpenEntry, logon_CompareEntryIDs,
    logon_Advise, logon_Unadvise, logon_OpenStatusEntry,
};

HRESULT md_logon_create(md_store *s, IMSLogon **out)
{
    *out = NULL;
    md_logon *l = calloc(1, sizeof *l);
    if (!l)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    l->iface.lpVtbl = (IMSLogonVtbl *)&logon_vtbl;   /* mapispi.h: not const */
    l->refs = 1;
    l->store = s;
    s->iface.lpVtbl->AddRef(&s->iface);
    md_object_created();
    *out = &l->iface;
    return S_OK;
}
