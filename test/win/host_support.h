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
 * Never: call into the provider from here, but through the objects it
 * hands to a support method (as MAPI does: ExpandRecips and ReadReceipt
 * work on the message given, CopyMessages on the folder given).
 */
#ifndef MAPIDAV_HOST_SUPPORT_H
#define MAPIDAV_HOST_SUPPORT_H

#include <stdio.h>
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

/* IMAPIProp::GetProps of an object holding the one value have (PT_UNICODE
 * or PT_BINARY): the others PT_ERROR MAPI_E_NOT_FOUND with
 * MAPI_W_ERRORS_RETURNED. */
static HRESULT host_get_props_one(const SPropValue *have, LPSPropTagArray tags, ULONG *count,
    LPSPropValue *out)
{
    if (!tags || !count || !out)
        return MAPI_E_INVALID_PARAMETER;
    SPropValue *v = NULL;
    host_AllocateBuffer(sizeof *v * tags->cValues, (void **)&v);
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < tags->cValues; i++) {
        v[i] = *have;
        if (tags->aulPropTag[i] == have->ulPropTag && PROP_TYPE(have->ulPropTag) == PT_BINARY) {
            ULONG cb = have->Value.bin.cb;
            host_AllocateMore(cb ? cb : 1, v, (void **)&v[i].Value.bin.lpb);
            memcpy(v[i].Value.bin.lpb, have->Value.bin.lpb, cb);
        } else if (tags->aulPropTag[i] == have->ulPropTag) {
            size_t len = (wcslen(have->Value.lpszW) + 1) * sizeof(WCHAR);
            host_AllocateMore((ULONG)len, v, (void **)&v[i].Value.lpszW);
            memcpy(v[i].Value.lpszW, have->Value.lpszW, len);
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

static HRESULT STDMETHODCALLTYPE ps_GetProps(IProfSect *self, LPSPropTagArray tags,
    ULONG flags, ULONG *count, LPSPropValue *out)
{
    (void)self;
    ok(flags == MAPI_UNICODE, "profile section GetProps: flags %#lx\n", (unsigned long)flags);
    SPropValue have;
    have.ulPropTag = PR_MAPIDAV_STORE_PATH_W;
    have.Value.lpszW = store_path;
    return host_get_props_one(&have, tags, count, out);
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
 * OpenProfileSection(NULL) = ours; the spooler side (SpoolerNotify,
 * PrepareSubmit, ExpandRecips, ReadReceipt, OpenEntry, CopyMessages,
 * DoProgressDialog) recorded, further below. */
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

/* ---- The spooler side of IMAPISupport, as a message store provider
 * meets it (MAPI reference for service providers). Every call is recorded
 * in host_calls (in order, with its flags and object) so a test asserts
 * order and flags; host_calls_reset() empties the record,
 * host_calls_str() gives the names joined by ','. What each answers can be
 * changed through the host_sup knobs (all S_OK / 0 by default):
 * - SpoolerNotify(ulFlags, lpvData): "Notifies the MAPI spooler of a change
 *   in status"; only NOTIFY_NEWMAIL_RECEIVED and NOTIFY_READYTOSEND are
 *   valid for a message store; lpvData NULL but for NEWMAIL_RECEIVED.
 * - PrepareSubmit(lpMessage, lpulFlags): "On input, lpulFlags is reserved
 *   and must be zero"; what it gives back on output is host_sup.prepare_out
 *   (for a MSGFLAG_RESEND message; the recipient rewrite of a real resend
 *   is not modelled).
 * - ExpandRecips(lpMessage, lpulFlags): expands personal distribution
 *   lists (here: host_sup.expand_adds adds that many recipients through
 *   the message's ModifyRecipients(MODRECIP_ADD), as an expansion would)
 *   and answers NEEDS_PREPROCESSING / NEEDS_SPOOLER in *lpulFlags
 *   (host_sup.expand_out).
 * - ReadReceipt(ulFlags, lpReadMessage, lppEmptyMessage): "generates a read
 *   or nonread report (MAPI_NON_READ)" into the empty message given: class
 *   REPORT.<class>.IPNRN or .IPNNRN, subject "Read: ..." and the original
 *   sender as recipient; the provider then submits it.
 * - OpenEntry(cb, lpEntryID, ...): MAPI routes an entry ID to the provider
 *   that owns it; here any entry ID opens a stand-in folder "of another
 *   store" (host_foreign: GetProps gives back its PR_ENTRYID; counted in
 *   host_foreign_refs, 0 when nobody holds one).
 * - CopyMessages(..., ulFlags): "copies or moves messages" between stores:
 *   recorded (source, destination, list size, flags); with MESSAGE_MOVE the
 *   originals are then removed from the source folder
 *   (IMAPIFolder::DeleteMessages), which is the move's half in our store;
 *   host_sup.copy_hr makes it fail.
 *   A program may bring its own (set the slot before host_support_setup).
 * - DoProgressDialog(ulUIParam, ulFlags, lppProgress): "retrieves a progress
 *   object that displays a progress indicator": host_progress (flags as
 *   asked; Progress calls counted with the last values; host_progress_refs
 *   0 when nobody holds one). */
typedef struct host_call {
    char name[24];
    ULONG flags;
    const void *obj;        /* the message, or the source folder */
    const void *obj2;       /* CopyMessages: the destination */
    ULONG count;            /* CopyMessages: entries; ExpandRecips: recipients added */
} host_call;
#define HOST_CALLS 64
static host_call host_calls[HOST_CALLS];
/* IID_IMAPIFolder (mapiguid.h; not every includer declares it) */
static const IID host_iid_folder = { 0x0002030C, 0, 0, { 0xC0, 0, 0, 0, 0, 0, 0, 0x46 } };
static LONG host_n_calls;
static CRITICAL_SECTION host_calls_lock;

static struct {
    HRESULT spooler_notify_hr, prepare_hr, expand_hr, receipt_hr, copy_hr;
    ULONG prepare_out, expand_out;
    int expand_adds;
} host_sup;

static void host_record(const char *name, ULONG flags, const void *obj, const void *obj2,
    ULONG count)
{
    EnterCriticalSection(&host_calls_lock);
    if (host_n_calls < HOST_CALLS) {
        host_call *c = &host_calls[host_n_calls++];
        snprintf(c->name, sizeof c->name, "%s", name);
        c->flags = flags;
        c->obj = obj;
        c->obj2 = obj2;
        c->count = count;
    }
    LeaveCriticalSection(&host_calls_lock);
}

static inline void host_calls_reset(void)
{
    EnterCriticalSection(&host_calls_lock);
    host_n_calls = 0;
    LeaveCriticalSection(&host_calls_lock);
}

/* The recorded names joined by ',' (a static buffer). */
static inline const char *host_calls_str(void)
{
    static char buf[HOST_CALLS * 24];
    buf[0] = 0;
    EnterCriticalSection(&host_calls_lock);
    for (LONG i = 0; i < host_n_calls; i++) {
        if (i)
            strcat(buf, ",");
        strcat(buf, host_calls[i].name);
    }
    LeaveCriticalSection(&host_calls_lock);
    return buf;
}

/* The last recorded call named name, or NULL. */
static inline const host_call *host_call_find(const char *name)
{
    for (LONG i = host_n_calls; i-- > 0; )
        if (strcmp(host_calls[i].name, name) == 0)
            return &host_calls[i];
    return NULL;
}

/* One SMTP recipient (To) name <addr> given to m's ModifyRecipients with
 * flags (MODRECIP_ADD, or 0: the whole list replaced). */
static HRESULT host_add_recipient(LPMESSAGE m, ULONG flags, const WCHAR *name,
    const WCHAR *addr)
{
    SizedADRLIST(1, al);
    SPropValue v[4];
    v[0].ulPropTag = PR_DISPLAY_NAME_W;
    v[0].Value.lpszW = (WCHAR *)name;
    v[1].ulPropTag = PR_EMAIL_ADDRESS_W;
    v[1].Value.lpszW = (WCHAR *)addr;
    v[2].ulPropTag = PR_ADDRTYPE_W;
    v[2].Value.lpszW = (WCHAR *)L"SMTP";
    v[3].ulPropTag = PR_RECIPIENT_TYPE;
    v[3].Value.l = MAPI_TO;
    al.cEntries = 1;
    al.aEntries[0].ulReserved1 = 0;
    al.aEntries[0].cValues = 4;
    al.aEntries[0].rgPropVals = v;
    return m->lpVtbl->ModifyRecipients(m, flags, (LPADRLIST)&al);
}

static HRESULT STDMETHODCALLTYPE hsup_SpoolerNotify(IMAPISupport *self, ULONG flags,
    LPVOID data)
{
    (void)self;
    ok(flags == NOTIFY_READYTOSEND || flags == NOTIFY_NEWMAIL_RECEIVED,
       "SpoolerNotify: flags %#lx not for a message store\n", (unsigned long)flags);
    ok((flags == NOTIFY_NEWMAIL_RECEIVED) == (data != NULL), "SpoolerNotify: lpvData %p\n",
       data);
    host_record("SpoolerNotify", flags, data, NULL, 0);
    return host_sup.spooler_notify_hr;
}

static HRESULT STDMETHODCALLTYPE hsup_PrepareSubmit(IMAPISupport *self, LPMESSAGE msg,
    ULONG *flags)
{
    (void)self;
    if (!msg || !flags)
        return MAPI_E_INVALID_PARAMETER;
    ok(*flags == 0, "PrepareSubmit: *lpulFlags %#lx on input\n", (unsigned long)*flags);
    host_record("PrepareSubmit", *flags, msg, NULL, 0);
    if (host_sup.prepare_hr != S_OK)
        return host_sup.prepare_hr;
    *flags = host_sup.prepare_out;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE hsup_ExpandRecips(IMAPISupport *self, LPMESSAGE msg,
    ULONG *flags)
{
    (void)self;
    if (!msg || !flags)
        return MAPI_E_INVALID_PARAMETER;
    host_record("ExpandRecips", *flags, msg, NULL, (ULONG)host_sup.expand_adds);
    if (host_sup.expand_hr != S_OK)
        return host_sup.expand_hr;
    for (int i = 0; i < host_sup.expand_adds; i++) {
        HRESULT hr = host_add_recipient(msg, MODRECIP_ADD, L"List member",
            L"member@example.org");
        if (hr != S_OK)
            return hr;
    }
    *flags = host_sup.expand_out;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE hsup_ReadReceipt(IMAPISupport *self, ULONG flags,
    LPMESSAGE read, LPMESSAGE *empty)
{
    (void)self;
    if (!read || !empty || !*empty)
        return MAPI_E_INVALID_PARAMETER;
    ok(!(flags & ~(ULONG)MAPI_NON_READ), "ReadReceipt: flags %#lx\n", (unsigned long)flags);
    host_record("ReadReceipt", flags, read, *empty, 0);
    if (host_sup.receipt_hr != S_OK)
        return host_sup.receipt_hr;
    SPropValue v[2];
    v[0].ulPropTag = PR_MESSAGE_CLASS_W;
    v[0].Value.lpszW = (WCHAR *)(flags & MAPI_NON_READ ? L"REPORT.IPM.Note.IPNNRN"
                                                       : L"REPORT.IPM.Note.IPNRN");
    v[1].ulPropTag = PR_SUBJECT_W;
    v[1].Value.lpszW = (WCHAR *)(flags & MAPI_NON_READ ? L"Not read" : L"Read");
    HRESULT hr = (*empty)->lpVtbl->SetProps(*empty, 2, v, NULL);
    if (hr == S_OK)
        hr = host_add_recipient(*empty, 0, L"Original Sender", L"sender@example.org");
    return hr;
}

/* A folder of "another store": IMAPIFolder with QueryInterface, AddRef,
 * Release and GetProps(PR_ENTRYID); the rest MAPI_E_NO_SUPPORT. */
static LONG host_foreign_refs;
static BYTE host_foreign_eid[256];
static ULONG host_foreign_cb;
static IMAPIFolderVtbl host_foreign_vtbl;
static IMAPIFolder host_foreign = { &host_foreign_vtbl };

static HRESULT STDMETHODCALLTYPE hfold_QueryInterface(IMAPIFolder *self, REFIID riid,
    void **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIProp)
        && !IsEqualIID(riid, &host_iid_folder))
        return E_NOINTERFACE;
    InterlockedIncrement(&host_foreign_refs);
    *out = self;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE hfold_AddRef(IMAPIFolder *self)
{
    (void)self;
    return (ULONG)InterlockedIncrement(&host_foreign_refs);
}

static ULONG STDMETHODCALLTYPE hfold_Release(IMAPIFolder *self)
{
    (void)self;
    return (ULONG)InterlockedDecrement(&host_foreign_refs);
}

static HRESULT STDMETHODCALLTYPE hfold_GetProps(IMAPIFolder *self, LPSPropTagArray tags,
    ULONG flags, ULONG *count, LPSPropValue *out)
{
    (void)self; (void)flags;
    SPropValue have;
    have.ulPropTag = PR_ENTRYID;
    have.Value.bin.cb = host_foreign_cb;
    have.Value.bin.lpb = host_foreign_eid;
    return host_get_props_one(&have, tags, count, out);
}

static HRESULT STDMETHODCALLTYPE hsup_OpenEntry(IMAPISupport *self, ULONG cb, LPENTRYID eid,
    LPCIID iid, ULONG flags, ULONG *type, LPUNKNOWN *out)
{
    (void)self;
    if (!type || !out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    host_record("OpenEntry", flags, eid, NULL, cb);
    if (!eid || !cb || cb > sizeof host_foreign_eid)
        return MAPI_E_INVALID_ENTRYID;
    if (iid && !IsEqualIID(iid, &host_iid_folder))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    memcpy(host_foreign_eid, eid, cb);
    host_foreign_cb = cb;
    InterlockedIncrement(&host_foreign_refs);
    *type = MAPI_FOLDER;
    *out = (LPUNKNOWN)&host_foreign;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE hsup_CopyMessages(IMAPISupport *self, LPCIID src_iid,
    LPVOID src, LPENTRYLIST list, LPCIID dest_iid, LPVOID dest, ULONG ui,
    LPMAPIPROGRESS prog, ULONG flags)
{
    (void)self; (void)ui; (void)prog;
    if (!src || !list || !dest)
        return MAPI_E_INVALID_PARAMETER;
    ok(src_iid && IsEqualIID(src_iid, &host_iid_folder), "CopyMessages: source iid\n");
    ok(!dest_iid || IsEqualIID(dest_iid, &host_iid_folder), "CopyMessages: destination iid\n");
    host_record("CopyMessages", flags, src, dest, list->cValues);
    if (host_sup.copy_hr != S_OK)
        return host_sup.copy_hr;
    if (!(flags & MESSAGE_MOVE))
        return S_OK;
    IMAPIFolder *f = src;
    return f->lpVtbl->DeleteMessages(f, list, 0, NULL, 0);
}

/* MAPI's progress object, as DoProgressDialog gives it. */
static LONG host_progress_refs;
static ULONG host_progress_flags, host_progress_calls, host_progress_value,
    host_progress_count, host_progress_total;
static IMAPIProgressVtbl host_progress_vtbl;
static IMAPIProgress host_progress = { &host_progress_vtbl };

static HRESULT STDMETHODCALLTYPE hprog_QueryInterface(IMAPIProgress *self, REFIID riid,
    void **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown))
        return E_NOINTERFACE;
    InterlockedIncrement(&host_progress_refs);
    *out = self;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE hprog_AddRef(IMAPIProgress *self)
{
    (void)self;
    return (ULONG)InterlockedIncrement(&host_progress_refs);
}

static ULONG STDMETHODCALLTYPE hprog_Release(IMAPIProgress *self)
{
    (void)self;
    return (ULONG)InterlockedDecrement(&host_progress_refs);
}

static HRESULT STDMETHODCALLTYPE hprog_Progress(IMAPIProgress *self, ULONG value, ULONG count,
    ULONG total)
{
    (void)self;
    ok(value <= 1000, "Progress value %lu beyond the maximum\n", (unsigned long)value);
    ok(value >= host_progress_value, "Progress went back: %lu after %lu\n",
       (unsigned long)value, (unsigned long)host_progress_value);
    host_progress_calls++;
    host_progress_value = value;
    host_progress_count = count;
    host_progress_total = total;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE hprog_GetFlags(IMAPIProgress *self, ULONG *flags)
{
    (void)self;
    if (!flags)
        return MAPI_E_INVALID_PARAMETER;
    *flags = host_progress_flags;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE hprog_GetMin(IMAPIProgress *self, ULONG *v)
{
    (void)self;
    *v = 1;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE hprog_GetMax(IMAPIProgress *self, ULONG *v)
{
    (void)self;
    *v = 1000;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE hsup_DoProgressDialog(IMAPISupport *self, ULONG ui,
    ULONG flags, LPMAPIPROGRESS *out)
{
    (void)self; (void)ui;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    host_record("DoProgressDialog", flags, NULL, NULL, 0);
    host_progress_flags = flags;
    host_progress_calls = host_progress_value = host_progress_count = 0;
    host_progress_total = 0;
    InterlockedIncrement(&host_progress_refs);
    *out = &host_progress;
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
    /* The spooler side (a program may have set its own before). */
    InitializeCriticalSection(&host_calls_lock);
#define HOST_SLOT(name, fn) if (!sup_vtbl.name) sup_vtbl.name = fn
    HOST_SLOT(SpoolerNotify, hsup_SpoolerNotify);
    HOST_SLOT(PrepareSubmit, hsup_PrepareSubmit);
    HOST_SLOT(ExpandRecips, hsup_ExpandRecips);
    HOST_SLOT(ReadReceipt, hsup_ReadReceipt);
    HOST_SLOT(OpenEntry, hsup_OpenEntry);
    HOST_SLOT(CopyMessages, hsup_CopyMessages);
    HOST_SLOT(DoProgressDialog, hsup_DoProgressDialog);
#undef HOST_SLOT
    fill_vtbl(&sup_vtbl, sizeof sup_vtbl);
    host_foreign_vtbl.QueryInterface = hfold_QueryInterface;
    host_foreign_vtbl.AddRef = hfold_AddRef;
    host_foreign_vtbl.Release = hfold_Release;
    host_foreign_vtbl.GetProps = hfold_GetProps;
    fill_vtbl(&host_foreign_vtbl, sizeof host_foreign_vtbl);
    host_progress_vtbl.QueryInterface = hprog_QueryInterface;
    host_progress_vtbl.AddRef = hprog_AddRef;
    host_progress_vtbl.Release = hprog_Release;
    host_progress_vtbl.Progress = hprog_Progress;
    host_progress_vtbl.GetFlags = hprog_GetFlags;
    host_progress_vtbl.GetMin = hprog_GetMin;
    host_progress_vtbl.GetMax = hprog_GetMax;
    fill_vtbl(&host_progress_vtbl, sizeof host_progress_vtbl);
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
