/*
 * host_support.h: what MAPI gives a store provider at logon, as the Windows
 * test programs bring it (Wine has no MAPI subsystem: MAPI-NOTES.md): a
 * profile section holding the store path (PR_MAPIDAV_STORE_PATH_W,
 * provider/store.h), an IMAPISupport of our own (each behaviour commented
 * with the MAPI documentation it follows), and a temporary store file.
 * Header-only with static objects: one includer per program (include
 * testutil.h and host_alloc.h first, and mapiguid.h with USES_IID_IUnknown
 * and USES_IID_IMAPIProp under initguid.h). Call host_support_setup() once, then
 * host_store_path(L"name") before the first Logon; host_remove_store() at
 * the end. host_session.h loads the DLL and logs on as MAPI does.
 *
 * References held on the support object and the profile section are
 * counted (sup_refs, profsect_refs: 1 when nobody holds one), so a test
 * sees that the provider released them.
 * Never: call into the provider from here.
 */
#ifndef MAPIDAV_HOST_SUPPORT_H
#define MAPIDAV_HOST_SUPPORT_H

#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapispi.h>
#include <mapicode.h>
#include <mapitags.h>

#include "provider/store.h"

/* ---- The profile section: an IMAPIProp holding one property, the store
 * path. GetProps follows IMAPIProp::GetProps (PT_ERROR MAPI_E_NOT_FOUND and
 * MAPI_W_ERRORS_RETURNED for what it lacks); the rest MAPI_E_NO_SUPPORT. */
static WCHAR store_path[MAX_PATH];
static LONG profsect_refs = 1;

static HRESULT STDMETHODCALLTYPE ps_QueryInterface(IProfSect *self, REFIID riid, void **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIProp))
        return E_NOINTERFACE;
    InterlockedIncrement(&profsect_refs);
    *out = self;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE ps_AddRef(IProfSect *self)
{
    (void)self;
    return (ULONG)InterlockedIncrement(&profsect_refs);
}

static ULONG STDMETHODCALLTYPE ps_Release(IProfSect *self)
{
    (void)self;
    return (ULONG)InterlockedDecrement(&profsect_refs);
}

static HRESULT STDMETHODCALLTYPE ps_GetProps(IProfSect *self, LPSPropTagArray tags,
    ULONG flags, ULONG *count, LPSPropValue *out)
{
    (void)self;
    if (!tags || !count || !out)
        return MAPI_E_INVALID_PARAMETER;
    ok(flags == MAPI_UNICODE, "profile section GetProps: flags %#lx\n", (unsigned long)flags);
    SPropValue *v = NULL;
    host_AllocateBuffer(sizeof *v * tags->cValues, (void **)&v);
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < tags->cValues; i++) {
        if (tags->aulPropTag[i] == PR_MAPIDAV_STORE_PATH_W) {
            size_t len = (wcslen(store_path) + 1) * sizeof(WCHAR);
            v[i].ulPropTag = PR_MAPIDAV_STORE_PATH_W;
            host_AllocateMore((ULONG)len, v, (void **)&v[i].Value.lpszW);
            memcpy(v[i].Value.lpszW, store_path, len);
        } else {
            v[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
            v[i].Value.err = MAPI_E_NOT_FOUND;
            hr = MAPI_W_ERRORS_RETURNED;
        }
    }
    *count = tags->cValues;
    *out = v;
    return hr;
}

static HRESULT STDMETHODCALLTYPE host_no_support(void)
{
    return MAPI_E_NO_SUPPORT;
}

/* Every slot not set is pointed at host_no_support. On x64 the caller
 * cleans up its own arguments, so a method taking none answers any call;
 * none of those methods is expected to be called by the store provider
 * today. */
static void fill_vtbl(void *vtbl, size_t size)
{
    void (**slot)(void) = vtbl;
    for (size_t i = 0; i < size / sizeof *slot; i++)
        if (!slot[i])
            slot[i] = (void (*)(void))host_no_support;
}

static IProfSectVtbl profsect_vtbl;
static IProfSect profsect = { &profsect_vtbl };

/* ---- IMAPISupport: SetProviderUID recorded; WrapStoreEntryID as MAPI
 * wraps ([MS-OXCDATA] 2.2.4.3: flags, MUIDSTOREWRAP, version, flag, the
 * provider DLL name, then the provider's entry ID); Subscribe/Unsubscribe/
 * Notify as MAPI's notification engine (below); GetMemAllocRoutines;
 * OpenProfileSection(NULL) = ours. */
static LONG sup_refs = 1;
static MAPIUID registered_uid;
static int uid_registered, subscribes, unsubscribes, notifies;

static HRESULT STDMETHODCALLTYPE sup_QueryInterface(IMAPISupport *self, REFIID riid, void **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown))
        return E_NOINTERFACE;
    InterlockedIncrement(&sup_refs);
    *out = self;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE sup_AddRef(IMAPISupport *self)
{
    (void)self;
    return (ULONG)InterlockedIncrement(&sup_refs);
}

static ULONG STDMETHODCALLTYPE sup_Release(IMAPISupport *self)
{
    (void)self;
    return (ULONG)InterlockedDecrement(&sup_refs);
}

static HRESULT STDMETHODCALLTYPE sup_GetMemAllocRoutines(IMAPISupport *self,
    LPALLOCATEBUFFER *ab, LPALLOCATEMORE *am, LPFREEBUFFER *fb)
{
    (void)self;
    *ab = host_AllocateBuffer;
    *am = host_AllocateMore;
    *fb = host_FreeBuffer;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sup_OpenProfileSection(IMAPISupport *self, LPMAPIUID uid,
    ULONG flags, LPPROFSECT *out)
{
    (void)self; (void)flags;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (uid)
        return MAPI_E_NOT_FOUND;   /* only the provider's own section here */
    InterlockedIncrement(&profsect_refs);
    *out = &profsect;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sup_SetProviderUID(IMAPISupport *self, LPMAPIUID uid,
    ULONG flags)
{
    (void)self;
    ok(flags == 0, "SetProviderUID flags %#lx\n", (unsigned long)flags);
    if (!uid)
        return MAPI_E_INVALID_PARAMETER;
    registered_uid = *uid;
    uid_registered++;
    return S_OK;
}

static const BYTE muid_store_wrap[16] = {
    0x38, 0xa1, 0xbb, 0x10, 0x05, 0xe5, 0x10, 0x1a,
    0xa1, 0xbb, 0x08, 0x00, 0x2b, 0x2a, 0x56, 0xc2 };
static const char wrap_dll[] = "mapidav.dll";
#define WRAP_HEAD (4 + 16 + 1 + 1 + sizeof wrap_dll)

static HRESULT STDMETHODCALLTYPE sup_WrapStoreEntryID(IMAPISupport *self, ULONG cb,
    LPENTRYID eid, ULONG *cb_out, LPENTRYID *out)
{
    (void)self;
    if (!eid || !cb_out || !out)
        return MAPI_E_INVALID_PARAMETER;
    BYTE *p = NULL;
    if (host_AllocateBuffer((ULONG)(WRAP_HEAD + cb), (void **)&p) != S_OK)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memset(p, 0, 4);
    memcpy(p + 4, muid_store_wrap, 16);
    p[20] = 0;   /* version */
    p[21] = 0;   /* flag */
    memcpy(p + 22, wrap_dll, sizeof wrap_dll);
    memcpy(p + WRAP_HEAD, eid, cb);
    *cb_out = (ULONG)(WRAP_HEAD + cb);
    *out = (LPENTRYID)p;
    return S_OK;
}

/* ---- Notifications, as the MAPI reference describes them:
 * IMAPISupport::Subscribe "registers an advise sink to receive
 * notifications through MAPI": lpKey (not NULL) names the advise source,
 * ulEventMask the events wanted; MAPI keeps a reference on the sink until
 * IMAPISupport::Unsubscribe(ulConnection) ("MAPI releases its pointer to
 * the advise sink"), which answers MAPI_E_NOT_FOUND for a connection it
 * does not know. IMAPISupport::Notify "sends a notification ... to every
 * advise sink registered under lpKey": each registration whose key has the
 * same bytes gets, through IMAPIAdviseSink::OnNotify, the notifications
 * whose ulEventType is in its mask; *lpulFlags gets NOTIFY_CANCELED when a
 * sink answered so ("the remaining notifications were not sent").
 * Real MAPI delivers on its own notification thread unless NOTIFY_SYNC; this
 * stand-in calls the sinks inside Notify, on the caller's thread, which is
 * the stricter case for a provider's locks (a sink may call back into it).
 * Callable from any thread: the list is guarded, sinks are called outside
 * the guard with a reference of their own. */
typedef struct host_sub {
    ULONG conn;                 /* 0: free slot */
    ULONG mask;
    LPMAPIADVISESINK sink;      /* AddRef'd */
    ULONG cb;                   /* key */
    BYTE key[256];
} host_sub;
#define HOST_SUBS 64
static host_sub host_subs[HOST_SUBS];
static CRITICAL_SECTION host_subs_lock;
static ULONG host_next_conn = 1;

static HRESULT STDMETHODCALLTYPE sup_Subscribe(IMAPISupport *self, LPNOTIFKEY key, ULONG mask,
    ULONG flags, LPMAPIADVISESINK sink, ULONG *conn)
{
    (void)self; (void)flags;   /* NOTIFY_SYNC: we always deliver at once */
    if (!key || !sink || !conn || key->cb > sizeof host_subs[0].key)
        return MAPI_E_INVALID_PARAMETER;
    *conn = 0;
    HRESULT hr = MAPI_E_NOT_ENOUGH_MEMORY;
    EnterCriticalSection(&host_subs_lock);
    for (int i = 0; i < HOST_SUBS; i++) {
        host_sub *h = &host_subs[i];
        if (h->conn)
            continue;
        h->conn = host_next_conn++;
        h->mask = mask;
        h->sink = sink;
        sink->lpVtbl->AddRef(sink);
        h->cb = key->cb;
        memcpy(h->key, key->ab, key->cb);
        *conn = h->conn;
        subscribes++;
        hr = S_OK;
        break;
    }
    LeaveCriticalSection(&host_subs_lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE sup_Unsubscribe(IMAPISupport *self, ULONG conn)
{
    (void)self;
    LPMAPIADVISESINK sink = NULL;
    EnterCriticalSection(&host_subs_lock);
    for (int i = 0; conn && i < HOST_SUBS; i++) {
        if (host_subs[i].conn == conn) {
            sink = host_subs[i].sink;
            memset(&host_subs[i], 0, sizeof host_subs[i]);
            unsubscribes++;
            break;
        }
    }
    LeaveCriticalSection(&host_subs_lock);
    if (!sink)
        return MAPI_E_NOT_FOUND;
    sink->lpVtbl->Release(sink);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sup_Notify(IMAPISupport *self, LPNOTIFKEY key, ULONG n,
    LPNOTIFICATION notifs, ULONG *flags)
{
    (void)self;
    if (!key || (n && !notifs))
        return MAPI_E_INVALID_PARAMETER;
    if (flags)
        *flags = 0;
    InterlockedIncrement((LONG *)&notifies);
    /* The sinks to call and what each wants, taken under the guard. */
    LPMAPIADVISESINK sinks[HOST_SUBS];
    ULONG masks[HOST_SUBS];
    int count = 0;
    EnterCriticalSection(&host_subs_lock);
    for (int i = 0; i < HOST_SUBS; i++) {
        host_sub *h = &host_subs[i];
        if (h->conn && h->cb == key->cb && memcmp(h->key, key->ab, key->cb) == 0) {
            sinks[count] = h->sink;
            masks[count++] = h->mask;
            h->sink->lpVtbl->AddRef(h->sink);
        }
    }
    LeaveCriticalSection(&host_subs_lock);
    NOTIFICATION *wanted = n ? malloc(n * sizeof *wanted) : NULL;
    for (int i = 0; i < count; i++) {
        ULONG k = 0;
        for (ULONG j = 0; wanted && j < n; j++)
            if (notifs[j].ulEventType & masks[i])
                wanted[k++] = notifs[j];
        if (k && sinks[i]->lpVtbl->OnNotify(sinks[i], k, wanted) == NOTIFY_CANCELED && flags)
            *flags = NOTIFY_CANCELED;
        sinks[i]->lpVtbl->Release(sinks[i]);
    }
    free(wanted);
    return S_OK;
}

static IMAPISupportVtbl sup_vtbl;
static IMAPISupport support = { &sup_vtbl };

static void host_support_setup(void)
{
    InitializeCriticalSection(&host_subs_lock);
    profsect_vtbl.QueryInterface = ps_QueryInterface;
    profsect_vtbl.AddRef = ps_AddRef;
    profsect_vtbl.Release = ps_Release;
    profsect_vtbl.GetProps = ps_GetProps;
    fill_vtbl(&profsect_vtbl, sizeof profsect_vtbl);

    sup_vtbl.QueryInterface = sup_QueryInterface;
    sup_vtbl.AddRef = sup_AddRef;
    sup_vtbl.Release = sup_Release;
    sup_vtbl.GetMemAllocRoutines = sup_GetMemAllocRoutines;
    sup_vtbl.OpenProfileSection = sup_OpenProfileSection;
    sup_vtbl.SetProviderUID = sup_SetProviderUID;
    sup_vtbl.WrapStoreEntryID = sup_WrapStoreEntryID;
    sup_vtbl.Subscribe = sup_Subscribe;
    sup_vtbl.Unsubscribe = sup_Unsubscribe;
    sup_vtbl.Notify = sup_Notify;
    fill_vtbl(&sup_vtbl, sizeof sup_vtbl);
}

/* ---- The store file: a fresh folder under %TEMP% per process. */

static void host_store_path(const WCHAR *prefix)
{
    WCHAR tmp[MAX_PATH];
    GetTempPathW(MAX_PATH, tmp);
    swprintf(store_path, MAX_PATH, L"%ls%ls-%lu", tmp, prefix,
             (unsigned long)GetCurrentProcessId());
    CreateDirectoryW(store_path, NULL);
    wcscat(store_path, L"\\store.sqlite");
}

/* The store path in UTF-8, as storage's own calls take it (a static
 * buffer). */
static inline const char *host_store_path_utf8(void)
{
    static char p[MAX_PATH * 3];
    WideCharToMultiByte(CP_UTF8, 0, store_path, -1, p, sizeof p, NULL, NULL);
    return p;
}

/* Removes the store file and the catalog beside it (catalog.sqlite, made
 * by named properties), then the folder. */
static void host_remove_store(void)
{
    WCHAR p[MAX_PATH + 32];
    static const WCHAR *const ext[] = { L"", L"-wal", L"-shm", L"-journal" };
    WCHAR *slash = wcsrchr(store_path, L'\\');
    for (int i = 0; i < 4; i++) {
        swprintf(p, MAX_PATH + 32, L"%ls%ls", store_path, ext[i]);
        DeleteFileW(p);
        if (slash) {
            swprintf(p, MAX_PATH + 32, L"%.*ls\\catalog.sqlite%ls", (int)(slash - store_path),
                     store_path, ext[i]);
            DeleteFileW(p);
        }
    }
    if (slash) {
        *slash = 0;
        RemoveDirectoryW(store_path);
        *slash = L'\\';
    }
}

#endif
