/*
 * host_logon.h: what the Windows test programs that drive a logged-on store
 * share (test_provider_folder, test_provider_notify): Logon through an
 * MSProviderInit with the stand-in MAPI of host_support.h, Logoff with every
 * reference checked, one property read, an object's entry ID, and the
 * checks that close a program (references on the support object, MAPI
 * buffers, Subscribe/Unsubscribe balance).
 * Header-only: include it after host_support.h.
 * Never: keep a MAPI buffer past the call that reads it.
 */
#ifndef MAPIDAV_HOST_LOGON_H
#define MAPIDAV_HOST_LOGON_H

/* One property of obj (an IMAPIProp), or NULL when it has none (free the
 * value with host_FreeBuffer). */
static LPSPropValue host_get_one(void *obj, ULONG tag)
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
static ULONG host_eid_of(void *obj, BYTE out[64])
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

/* MSProviderInit (with our allocators) and Logon with our support object
 * and profile section; stops the program when either fails. */
static IMSProvider *host_logon(MSPROVIDERINIT *init, HMODULE dll, IMSLogon **logon,
    IMsgStore **store)
{
    IMSProvider *provider = NULL;
    ULONG version = 0, cb_spool = 0;
    LPBYTE spool = NULL;
    HRESULT hr = init(dll, NULL, host_AllocateBuffer, host_AllocateMore, host_FreeBuffer, 0,
        CURRENT_SPI_VERSION, &version, &provider);
    if (hr != S_OK)
        test_fatal("MSProviderInit: %#lx\n", (unsigned long)hr);
    hr = provider->lpVtbl->Logon(provider, &support, 0, (LPTSTR)L"profile", 0, NULL,
        MDB_NO_DIALOG | MAPI_UNICODE, NULL, &cb_spool, &spool, NULL, logon, store);
    if (hr != S_OK)
        test_fatal("Logon: %#lx\n", (unsigned long)hr);
    return provider;
}

/* Logoff, Shutdown, and the last reference of each object. */
static void host_logoff(IMSProvider *provider, IMSLogon *logon, IMsgStore *store)
{
    ULONG flags = 0;
    logon->lpVtbl->Logoff(logon, &flags);
    ok(logon->lpVtbl->Release(logon) == 0, "IMSLogon still referenced\n");
    ok(store->lpVtbl->Release(store) == 0, "IMsgStore still referenced\n");
    provider->lpVtbl->Shutdown(provider, &flags);
    ok(provider->lpVtbl->Release(provider) == 0, "IMSProvider still referenced\n");
}

/* What must be back where it started when everything is released. */
static void host_end_checks(void)
{
    ok(sup_refs == 1, "support object references left: %ld\n", (long)sup_refs - 1);
    ok(buffers_live == 0, "MAPI buffers not freed: %ld\n", (long)buffers_live);
    ok(subscribes == unsubscribes, "Subscribe %d, Unsubscribe %d\n", subscribes, unsubscribes);
}

#endif
