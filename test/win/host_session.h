/*
 * host_session.h: what a Windows test or bench program does around the
 * store provider once host_support.h has set the stand-in MAPI up: load
 * mapidav32.dll as MAPI does (LoadLibrary, MSProviderInit with the
 * allocators of host_alloc.h), log on to the store and off again, and free
 * a row set as MAPI's FreeProws does. Header-only; include it after
 * testutil.h, host_alloc.h, dll_path.h and host_support.h.
 * Never: keep state between calls (each program owns its objects).
 */
#ifndef MAPIDAV_HOST_SESSION_H
#define MAPIDAV_HOST_SESSION_H

#include <string.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapispi.h>
#include <mapicode.h>

/* Loads the DLL at unix_path (as meson gives it) and makes its
 * IMSProvider; fatal when that fails. */
static LPMSPROVIDER host_load_provider(const char *unix_path, HMODULE *dll_out)
{
    char path[MAX_PATH];
    to_windows_path(path, sizeof path, unix_path);
    HMODULE dll = LoadLibraryA(path);
    if (!dll)
        test_fatal("LoadLibrary(%s) failed: error %lu\n", path, GetLastError());
    MSPROVIDERINIT *init = (MSPROVIDERINIT *)(void (*)(void))GetProcAddress(dll, "MSProviderInit");
    if (!init)
        test_fatal("MSProviderInit not exported\n");
    LPMSPROVIDER prov = NULL;
    ULONG version = 0;
    HRESULT hr = init(dll, NULL, host_AllocateBuffer, host_AllocateMore, host_FreeBuffer, 0,
        CURRENT_SPI_VERSION, &version, &prov);
    if (hr != S_OK || !prov)
        test_fatal("MSProviderInit: %#lx\n", (unsigned long)hr);
    *dll_out = dll;
    return prov;
}

/* One logon: the IMSLogon and the IMsgStore MAPI gets. */
typedef struct host_session {
    IMSLogon *logon;
    IMsgStore *store;
} host_session;

static int host_logon(IMSProvider *prov, host_session *s)
{
    ULONG cb_spool = 0;
    LPBYTE spool = NULL;
    memset(s, 0, sizeof *s);
    HRESULT hr = prov->lpVtbl->Logon(prov, &support, 0, (LPTSTR)L"profile", 0, NULL,
        MDB_NO_DIALOG | MAPI_UNICODE, NULL, &cb_spool, &spool, NULL, &s->logon, &s->store);
    ok(hr == S_OK && s->logon && s->store, "Logon: %#lx\n", (unsigned long)hr);
    return hr == S_OK;
}

/* Logoff, and both objects released to zero. */
static void host_logoff(host_session *s)
{
    ULONG flags = 0;
    if (!s->logon)
        return;
    ok(s->logon->lpVtbl->Logoff(s->logon, &flags) == S_OK, "Logoff failed\n");
    ok(s->logon->lpVtbl->Release(s->logon) == 0, "IMSLogon still referenced\n");
    ok(s->store->lpVtbl->Release(s->store) == 0, "IMsgStore still referenced\n");
    memset(s, 0, sizeof *s);
}

/* FreeProws: each row's props, then the set. NULL-safe. */
static void host_free_rows(SRowSet *rs)
{
    for (ULONG i = 0; rs && i < rs->cRows; i++)
        host_FreeBuffer(rs->aRow[i].lpProps);
    host_FreeBuffer(rs);
}

#endif
