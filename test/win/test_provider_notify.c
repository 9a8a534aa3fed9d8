/*
 * test_provider_notify.c: the store's notifications under Wine, with the
 * stand-in MAPI of host_support.h (whose IMAPISupport::Notify calls the
 * sinks registered with Subscribe under the same key, as MAPI does).
 *
 * Part 1, through mapidav32.dll: IMsgStore::Advise on the whole store (NULL
 * entry ID), on a folder and on a message, IMSLogon::Advise; bad arguments;
 * what Outlook's own calls raise: fnevObjectCreated (+ fnevNewMail with
 * the class and flags, the Inbox being IPM.Note's receive folder),
 * fnevObjectCopied (old entry ID given), fnevObjectMoved (old parent),
 * fnevObjectModified (read flag; the folder whose counts changed),
 * fnevObjectDeleted, each under the keys of the object, its folder and the
 * store; a write by another "process" (this program's own copy of storage,
 * which the DLL's in-process bus does not hear) arriving through the
 * notifier's poll as fnevObjectModified of the store; Unadvise stops them.
 *
 * Part 2, the provider linked in statically (the same storage code as the
 * test's sync thread, as in the DLL where the sync thread lives): a thread
 * standing in for sync writes with its own st_store handle (ST_FROM_SERVER,
 * a batch at a time) while the main thread works through the provider and
 * the sink calls back into the provider from OnNotify: every fnevNewMail
 * arrives, on the notification thread, nothing deadlocks; then the live
 * objects are back at zero. Part 3: a sink that releases the store's last
 * reference from OnNotify (the notification thread stopping itself).
 *
 * usage: test_provider_notify PATH-TO-mapidav32.dll
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIFolder
#define USES_IID_IMsgStore
#define USES_IID_IMSProvider
#define USES_IID_IMSLogon
#define USES_IID_IMessage
#define USES_IID_IMAPIAdviseSink
#include <windows.h>
#include <initguid.h>
#include <mapiguid.h>
#include <mapispi.h>
#include <mapicode.h>
#include <mapitags.h>

#include "testutil.h"
#include "host_alloc.h"
#include "dll_path.h"
#include "host_support.h"
#include "host_session.h"
#include "host_props.h"
#include "advise_sink.h"
#include "provider/object.h"
#include "provider/entryid.h"
#include "provider/store.h"
#include "storage/storage.h"

#define hrx(hr) ((unsigned long)(hr))
#define WAIT_MS 10000

/* ---- A recording advise sink. */
typedef struct rec {
    ULONG type;             /* ulEventType */
    ULONG obj_type;
    BYTE eid[48], parent[48], old_id[48], old_parent[48];
    ULONG cb_eid, cb_parent, cb_old_id, cb_old_parent;
    WCHAR cls[32];          /* fnevNewMail */
    ULONG msg_flags;
    DWORD thread;
} rec;

typedef struct sink {
    ADVISE_SINK_BASE;
    CRITICAL_SECTION lock;
    rec recs[512];
    int n;                  /* recorded (at most 512 kept) */
    void (*hook)(struct sink *k, const NOTIFICATION *nt);   /* called on each, may be NULL */
} sink;

static HANDLE notified;     /* auto-reset: some sink got something */

static sink *sink_of(IMAPIAdviseSink *i)
{
    return (sink *)i;
}

static void copy_bin(BYTE out[48], ULONG *cb, ULONG cb_in, const void *in)
{
    *cb = in && cb_in <= 48 ? cb_in : 0;
    if (*cb)
        memcpy(out, in, *cb);
}

static ULONG STDMETHODCALLTYPE sk_OnNotify(IMAPIAdviseSink *self, ULONG n, LPNOTIFICATION nt)
{
    sink *k = sink_of(self);
    for (ULONG i = 0; i < n; i++) {
        rec r;
        memset(&r, 0, sizeof r);
        r.type = nt[i].ulEventType;
        r.thread = GetCurrentThreadId();
        if (r.type == fnevNewMail) {
            const NEWMAIL_NOTIFICATION *m = &nt[i].info.newmail;
            copy_bin(r.eid, &r.cb_eid, m->cbEntryID, m->lpEntryID);
            copy_bin(r.parent, &r.cb_parent, m->cbParentID, m->lpParentID);
            if ((m->ulFlags & MAPI_UNICODE) && m->lpszMessageClass)
                wcsncpy(r.cls, (const WCHAR *)m->lpszMessageClass, 31);
            r.msg_flags = m->ulMessageFlags;
        } else {
            const OBJECT_NOTIFICATION *o = &nt[i].info.obj;
            r.obj_type = o->ulObjType;
            copy_bin(r.eid, &r.cb_eid, o->cbEntryID, o->lpEntryID);
            copy_bin(r.parent, &r.cb_parent, o->cbParentID, o->lpParentID);
            copy_bin(r.old_id, &r.cb_old_id, o->cbOldID, o->lpOldID);
            copy_bin(r.old_parent, &r.cb_old_parent, o->cbOldParentID, o->lpOldParentID);
        }
        EnterCriticalSection(&k->lock);
        if (k->n < 512)
            k->recs[k->n] = r;
        k->n++;
        LeaveCriticalSection(&k->lock);
        if (k->hook)
            k->hook(k, &nt[i]);
    }
    SetEvent(notified);
    return 0;
}

static void sink_init(sink *k)
{
    memset(k, 0, sizeof *k);
    advise_sink_init(&k->base, sk_OnNotify);
    InitializeCriticalSection(&k->lock);
}

static void sink_clear(sink *k)
{
    EnterCriticalSection(&k->lock);
    k->n = 0;
    LeaveCriticalSection(&k->lock);
}

/* The first record of type about object eid (NULL: any) of obj_type (0:
 * any) in k, copied to *out; waits up to WAIT_MS for it. */
static int wait_rec_of(sink *k, ULONG type, const SBinary *eid, ULONG obj_type, rec *out)
{
    DWORD start = GetTickCount();
    for (;;) {
        int found = 0;
        EnterCriticalSection(&k->lock);
        for (int i = 0; i < k->n && i < 512 && !found; i++) {
            const rec *r = &k->recs[i];
            if (r->type == type && (!obj_type || r->obj_type == obj_type)
                && (!eid || (r->cb_eid == eid->cb && memcmp(r->eid, eid->lpb, eid->cb) == 0))) {
                if (out)
                    *out = *r;
                found = 1;
            }
        }
        LeaveCriticalSection(&k->lock);
        if (found)
            return 1;
        if (GetTickCount() - start > WAIT_MS)
            return 0;
        WaitForSingleObject(notified, 100);
    }
}

static int wait_rec(sink *k, ULONG type, const SBinary *eid, rec *out)
{
    return wait_rec_of(k, type, eid, 0, out);
}

static int count_recs(sink *k, ULONG type)
{
    int c = 0;
    EnterCriticalSection(&k->lock);
    for (int i = 0; i < k->n && i < 512; i++)
        c += k->recs[i].type == type;
    LeaveCriticalSection(&k->lock);
    return c;
}

/* ---- helpers */

#define get_one host_get_one

static void eid_into(void *obj, SBinary *out, BYTE buf[64])
{
    out->lpb = buf;
    out->cb = host_eid_of(obj, buf);
}

static int same_bin(const BYTE *a, ULONG ca, const SBinary *b)
{
    return ca == b->cb && memcmp(a, b->lpb, ca) == 0;
}

static IMAPIFolder *open_inbox(IMsgStore *store, SBinary *eid, BYTE buf[64])
{
    ULONG cb = 0, type = 0;
    LPENTRYID e = NULL;
    LPUNKNOWN unk = NULL;
    store->lpVtbl->GetReceiveFolder(store, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cb, &e, NULL);
    HRESULT hr = store->lpVtbl->OpenEntry(store, cb, e, NULL, MAPI_MODIFY, &type, &unk);
    ok(hr == S_OK && unk, "open the Inbox: %#lx\n", hrx(hr));
    eid->cb = cb <= 64 ? cb : 0;
    eid->lpb = buf;
    if (e && eid->cb)
        memcpy(buf, e, eid->cb);
    host_FreeBuffer(e);
    return (IMAPIFolder *)unk;
}

static IMessage *new_saved(IMAPIFolder *f, const WCHAR *cls, SBinary *eid, BYTE buf[64])
{
    IMessage *m = NULL;
    HRESULT hr = f->lpVtbl->CreateMessage(f, NULL, 0, &m);
    ok(hr == S_OK && m, "CreateMessage: %#lx\n", hrx(hr));
    if (!m)
        return NULL;
    SPropValue v[2];
    v[0].ulPropTag = PR_MESSAGE_CLASS_W;
    v[0].Value.lpszW = (WCHAR *)cls;
    v[1].ulPropTag = PR_SUBJECT_W;
    v[1].Value.lpszW = (WCHAR *)L"hello";
    m->lpVtbl->SetProps(m, 2, v, NULL);
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "SaveChanges: %#lx\n", hrx(hr));
    eid_into(m, eid, buf);
    return m;
}

static char *store_path_utf8(void)
{
    static char p[MAX_PATH * 3];
    WideCharToMultiByte(CP_UTF8, 0, store_path, -1, p, sizeof p, NULL, NULL);
    return p;
}

/* ---- Part 1: through the DLL */

static sink s_store, s_inbox, s_msg, s_logon;

/* Logoff (host_session.h), Shutdown, and the provider released to zero. */
static void session_end(IMSProvider *provider, host_session *session)
{
    ULONG flags = 0;
    host_logoff(session);
    provider->lpVtbl->Shutdown(provider, &flags);
    ok(provider->lpVtbl->Release(provider) == 0, "IMSProvider still referenced\n");
}

static void part_dll(IMSProvider *provider)
{
    host_session session;
    if (!host_logon(provider, &session))
        test_fatal("no logon\n");
    IMSLogon *logon = session.logon;
    IMsgStore *store = session.store;
    SBinary inbox_eid;
    BYTE ibuf[64];
    IMAPIFolder *inbox = open_inbox(store, &inbox_eid, ibuf);
    if (!inbox)
        test_fatal("no Inbox\n");

    /* Bad arguments. */
    ULONG conn = 99, c_store = 0, c_inbox = 0, c_logon = 0, c_msg = 0;
    HRESULT hr = store->lpVtbl->Advise(store, 0, NULL, fnevNewMail, NULL, &conn);
    ok(hr == MAPI_E_INVALID_PARAMETER && conn == 0, "Advise without a sink: %#lx\n", hrx(hr));
    hr = store->lpVtbl->Advise(store, 0, NULL, fnevNewMail, &s_store.iface, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "Advise without conn: %#lx\n", hrx(hr));
    hr = store->lpVtbl->Advise(store, 0, NULL, 0, &s_store.iface, &conn);
    ok(hr == MAPI_E_INVALID_PARAMETER, "Advise with no event: %#lx\n", hrx(hr));
    BYTE junk[48];
    memset(junk, 7, sizeof junk);
    hr = store->lpVtbl->Advise(store, sizeof junk, (LPENTRYID)junk, fnevNewMail,
        &s_store.iface, &conn);
    ok(hr == MAPI_E_INVALID_ENTRYID, "Advise on garbage: %#lx\n", hrx(hr));
    hr = store->lpVtbl->Unadvise(store, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "Unadvise(0): %#lx\n", hrx(hr));
    hr = store->lpVtbl->Unadvise(store, 12345);
    ok(hr == MAPI_E_NOT_FOUND, "Unadvise of an unknown connection: %#lx\n", hrx(hr));
    ok(s_store.refs == 1, "sink references after refused Advise: %ld\n", (long)s_store.refs);

    const ULONG all = fnevNewMail | fnevObjectCreated | fnevObjectDeleted | fnevObjectModified
        | fnevObjectMoved | fnevObjectCopied;
    hr = store->lpVtbl->Advise(store, 0, NULL, all, &s_store.iface, &c_store);
    ok(hr == S_OK && c_store, "Advise(store): %#lx\n", hrx(hr));
    hr = store->lpVtbl->Advise(store, inbox_eid.cb, (LPENTRYID)inbox_eid.lpb,
        fnevObjectCreated | fnevObjectModified | fnevObjectMoved | fnevObjectDeleted,
        &s_inbox.iface, &c_inbox);
    ok(hr == S_OK && c_inbox, "Advise(Inbox): %#lx\n", hrx(hr));
    hr = logon->lpVtbl->Advise(logon, 0, NULL, fnevNewMail, &s_logon.iface, &c_logon);
    ok(hr == S_OK && c_logon, "IMSLogon::Advise: %#lx\n", hrx(hr));
    ok(s_store.refs == 2, "the support object holds the sink: %ld\n", (long)s_store.refs);

    /* New mail in the Inbox. */
    SBinary m_eid;
    BYTE mbuf[64];
    IMessage *m = new_saved(inbox, L"IPM.Note", &m_eid, mbuf);
    rec r;
    ok(wait_rec(&s_store, fnevNewMail, &m_eid, &r), "no fnevNewMail on the store\n");
    ok(wcscmp(r.cls, L"IPM.Note") == 0 && same_bin(r.parent, r.cb_parent, &inbox_eid),
       "fnevNewMail: class %ls, parent %s the Inbox\n", r.cls,
       same_bin(r.parent, r.cb_parent, &inbox_eid) ? "is" : "is not");
    ok(r.thread != GetCurrentThreadId(), "fnevNewMail delivered on the caller's thread\n");
    ok(wait_rec(&s_logon, fnevNewMail, &m_eid, NULL), "no fnevNewMail through IMSLogon\n");
    ok(wait_rec(&s_store, fnevObjectCreated, &m_eid, &r) && r.obj_type == MAPI_MESSAGE,
       "no fnevObjectCreated on the store\n");
    ok(wait_rec(&s_inbox, fnevObjectCreated, &m_eid, NULL), "no fnevObjectCreated on the Inbox\n");
    ok(wait_rec(&s_inbox, fnevObjectModified, &inbox_eid, &r) && r.obj_type == MAPI_FOLDER,
       "no fnevObjectModified of the Inbox (counts)\n");

    /* A sink on the message itself: the read flag modifies it. */
    hr = store->lpVtbl->Advise(store, m_eid.cb, (LPENTRYID)m_eid.lpb, fnevObjectModified,
        &s_msg.iface, &c_msg);
    ok(hr == S_OK, "Advise(message): %#lx\n", hrx(hr));
    ENTRYLIST one = { 1, &m_eid };
    hr = inbox->lpVtbl->SetReadFlags(inbox, &one, 0, NULL, CLEAR_READ_FLAG);
    ok(hr == S_OK, "SetReadFlags: %#lx\n", hrx(hr));   /* new messages are read */
    ok(wait_rec(&s_msg, fnevObjectModified, &m_eid, NULL), "no fnevObjectModified on the message\n");

    /* Copy and move to a new folder under the Inbox, then delete. */
    IMAPIFolder *sub = NULL;
    hr = inbox->lpVtbl->CreateFolder(inbox, FOLDER_GENERIC, (LPTSTR)L"Sub", NULL, NULL,
        MAPI_UNICODE, &sub);
    ok(hr == S_OK && sub, "CreateFolder: %#lx\n", hrx(hr));
    SBinary sub_eid;
    BYTE sbuf[64];
    eid_into(sub, &sub_eid, sbuf);
    ok(wait_rec(&s_inbox, fnevObjectCreated, &sub_eid, &r) && r.obj_type == MAPI_FOLDER,
       "no fnevObjectCreated for the subfolder\n");
    hr = inbox->lpVtbl->CopyMessages(inbox, &one, NULL, sub, 0, NULL, 0);
    ok(hr == S_OK, "CopyMessages: %#lx\n", hrx(hr));
    ok(wait_rec(&s_store, fnevObjectCopied, NULL, &r), "no fnevObjectCopied\n");
    ok(same_bin(r.old_id, r.cb_old_id, &m_eid) && same_bin(r.parent, r.cb_parent, &sub_eid)
       && same_bin(r.old_parent, r.cb_old_parent, &inbox_eid) && !same_bin(r.eid, r.cb_eid, &m_eid),
       "fnevObjectCopied: old ID, parent and old parent\n");
    hr = inbox->lpVtbl->CopyMessages(inbox, &one, NULL, sub, 0, NULL, MESSAGE_MOVE);
    ok(hr == S_OK, "CopyMessages(MESSAGE_MOVE): %#lx\n", hrx(hr));
    ok(wait_rec(&s_inbox, fnevObjectMoved, &m_eid, &r)
       && same_bin(r.old_parent, r.cb_old_parent, &inbox_eid)
       && same_bin(r.parent, r.cb_parent, &sub_eid), "fnevObjectMoved under the old folder\n");
    hr = sub->lpVtbl->DeleteMessages(sub, &one, 0, NULL, 0);
    ok(hr == S_OK, "DeleteMessages: %#lx\n", hrx(hr));
    ok(wait_rec(&s_store, fnevObjectDeleted, &m_eid, NULL), "no fnevObjectDeleted\n");

    /* Another process writes the file (our own copy of storage here, which
     * the DLL's bus does not hear): the notifier's poll says "reload". */
    sink_clear(&s_store);
    st_store *other = NULL;
    int code = st_store_open(&other, store_path_utf8(), NULL, 0);
    ok(code == 0, "open the store beside the DLL: %s\n", st_error_last());
    if (!code) {
        st_id root = 0, fid = 0;
        st_folder_root(other, &root);
        st_bag *b = st_bag_new();
        st_bag_set_str(b, PR_DISPLAY_NAME_W, "From elsewhere");
        ok(st_folder_create(other, &fid, root, b, ST_FROM_SERVER) == 0, "outside write\n");
        st_bag_free(b);
        st_store_close(other);
        ok(wait_rec_of(&s_store, fnevObjectModified, NULL, MAPI_STORE, &r),
           "no fnevObjectModified of the store after another process wrote\n");
    }

    /* Unadvise: nothing more arrives. */
    ok(store->lpVtbl->Unadvise(store, c_store) == S_OK, "Unadvise(store)\n");
    ok(store->lpVtbl->Unadvise(store, c_inbox) == S_OK, "Unadvise(Inbox)\n");
    ok(store->lpVtbl->Unadvise(store, c_msg) == S_OK, "Unadvise(message)\n");
    ok(logon->lpVtbl->Unadvise(logon, c_logon) == S_OK, "IMSLogon::Unadvise\n");
    /* A delivery under way holds its own reference for a moment. */
    DWORD start = GetTickCount();
    while ((s_store.refs != 1 || s_inbox.refs != 1 || s_msg.refs != 1 || s_logon.refs != 1)
        && GetTickCount() - start < WAIT_MS)
        Sleep(10);
    ok(s_store.refs == 1 && s_inbox.refs == 1 && s_msg.refs == 1 && s_logon.refs == 1,
       "sinks still referenced after Unadvise\n");
    sink_clear(&s_store);
    SBinary m2;
    BYTE m2buf[64];
    IMessage *m2m = new_saved(inbox, L"IPM.Note", &m2, m2buf);
    Sleep(300);
    ok(count_recs(&s_store, fnevNewMail) == 0, "notified after Unadvise\n");
    if (m2m)
        m2m->lpVtbl->Release(m2m);
    if (m)
        m->lpVtbl->Release(m);
    sub->lpVtbl->Release(sub);
    inbox->lpVtbl->Release(inbox);
    session_end(provider, &session);
}

/* ---- Part 2: the provider linked in; a sync thread with its own handle */

#define SYNC_MSGS 300
#define SYNC_BATCH 10

static st_id sync_inbox;
static volatile LONG sync_done;
static IMsgStore *static_store;
static LONG hook_calls;
static DWORD sync_tid;

/* A sink that, as Outlook does, reads from the store when told: the new
 * message's folder's counts (md_store.lock taken on the notification
 * thread while the sync thread commits). */
static void reading_hook(sink *k, const NOTIFICATION *nt)
{
    (void)k;
    if (nt->ulEventType != fnevNewMail)
        return;
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = static_store->lpVtbl->OpenEntry(static_store, nt->info.newmail.cbParentID,
        nt->info.newmail.lpParentID, NULL, 0, &type, &unk);
    if (hr == S_OK && unk) {
        LPSPropValue v = get_one(unk, PR_CONTENT_COUNT);
        host_FreeBuffer(v);
        unk->lpVtbl->Release(unk);
        InterlockedIncrement(&hook_calls);
    }
}

static DWORD WINAPI sync_thread(void *arg)
{
    (void)arg;
    sync_tid = GetCurrentThreadId();
    st_store *s = NULL;
    int code = st_store_open(&s, store_path_utf8(), NULL, 0);
    ok(code == 0, "sync thread: open: %s\n", st_error_last());
    for (int i = 0; !code && i < SYNC_MSGS; i += SYNC_BATCH) {
        code = st_store_begin(s);
        for (int j = 0; !code && j < SYNC_BATCH; j++) {
            st_bag *b = st_bag_new();
            char subj[32];
            snprintf(subj, sizeof subj, "synced %d", i + j);
            st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
            st_bag_set_str(b, PR_SUBJECT_W, subj);
            st_bag_set_long(b, PR_MESSAGE_FLAGS, 0);
            st_id mid;
            code = st_message_create(s, &mid, sync_inbox, b, ST_FROM_SERVER);
            st_bag_free(b);
        }
        if (!code)
            code = st_store_commit(s);
        else
            st_store_rollback(s);
    }
    ok(code == 0, "sync thread: %s\n", st_error_last());
    st_store_close(s);
    InterlockedExchange(&sync_done, 1);
    return 0;
}

static sink s_sync;

static void part_static(void)
{
    IMSProvider *provider = NULL;
    md_alloc alloc = { host_AllocateBuffer, host_AllocateMore, host_FreeBuffer };
    HRESULT hr = md_provider_create(&alloc, &provider);
    if (hr != S_OK)
        test_fatal("md_provider_create: %#lx\n", hrx(hr));
    host_session session;
    if (!host_logon(provider, &session))
        test_fatal("no static logon\n");
    static_store = session.store;
    SBinary inbox_eid;
    BYTE ibuf[64];
    IMAPIFolder *inbox = open_inbox(static_store, &inbox_eid, ibuf);
    if (!inbox)
        test_fatal("no Inbox\n");
    md_eid e;
    ok(md_eid_parse(&e, inbox_eid.cb, (LPENTRYID)inbox_eid.lpb) == S_OK, "Inbox entry ID\n");
    sync_inbox = e.id;

    s_sync.hook = reading_hook;
    ULONG conn = 0;
    hr = static_store->lpVtbl->Advise(static_store, 0, NULL, fnevNewMail, &s_sync.iface, &conn);
    ok(hr == S_OK, "Advise: %#lx\n", hrx(hr));

    LONG before = -1;
    LPSPropValue v = get_one(inbox, PR_CONTENT_COUNT);
    if (v)
        before = v->Value.l;
    host_FreeBuffer(v);
    HANDLE t = CreateThread(NULL, 0, sync_thread, NULL, 0, NULL);
    /* Meanwhile Outlook works on the same store through the provider. */
    IMAPIFolder *f = NULL;
    int rounds = 0;
    while (!InterlockedCompareExchange(&sync_done, 0, 0) && rounds < 200) {
        WCHAR name[32];
        swprintf(name, 32, L"Local %d", rounds++);
        hr = inbox->lpVtbl->CreateFolder(inbox, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
            MAPI_UNICODE, &f);
        ok(hr == S_OK, "CreateFolder while syncing: %#lx\n", hrx(hr));
        if (f)
            f->lpVtbl->Release(f);
        hr = inbox->lpVtbl->SetReadFlags(inbox, NULL, 0, NULL, 0);
        ok(SUCCEEDED(hr), "SetReadFlags(all) while syncing: %#lx\n", hrx(hr));
    }
    ok(WaitForSingleObject(t, 60000) == WAIT_OBJECT_0, "sync thread stuck\n");
    CloseHandle(t);
    DWORD start = GetTickCount();
    while (count_recs(&s_sync, fnevNewMail) < SYNC_MSGS && GetTickCount() - start < WAIT_MS)
        WaitForSingleObject(notified, 100);
    ok(count_recs(&s_sync, fnevNewMail) == SYNC_MSGS, "fnevNewMail: %d of %d\n",
       count_recs(&s_sync, fnevNewMail), SYNC_MSGS);
    /* A notification is recorded before its hook reads the store: wait
     * for the last hook too. */
    while (InterlockedCompareExchange(&hook_calls, 0, 0) < SYNC_MSGS
           && GetTickCount() - start < WAIT_MS)
        Sleep(10);
    ok(hook_calls >= SYNC_MSGS, "the sink read the store %ld times\n", (long)hook_calls);
    int on_sync = 0;
    EnterCriticalSection(&s_sync.lock);
    for (int i = 0; i < s_sync.n && i < 512; i++)
        on_sync += s_sync.recs[i].thread == sync_tid
            || s_sync.recs[i].thread == GetCurrentThreadId();
    LeaveCriticalSection(&s_sync.lock);
    ok(on_sync == 0, "%d notifications delivered on a committing thread\n", on_sync);
    rec r;
    ok(wait_rec(&s_sync, fnevNewMail, NULL, &r) && wcscmp(r.cls, L"IPM.Note") == 0
       && same_bin(r.parent, r.cb_parent, &inbox_eid) && !(r.msg_flags & MSGFLAG_READ),
       "synced mail's fnevNewMail: class %ls, flags %#lx\n", r.cls,
       (unsigned long)r.msg_flags);

    /* What the sync thread wrote is what the Inbox shows. */
    LPMAPITABLE table = NULL;
    hr = inbox->lpVtbl->GetContentsTable(inbox, 0, &table);
    ok(hr == S_OK && table, "GetContentsTable: %#lx\n", hrx(hr));
    if (table) {
        ULONG count = 0;
        LPSRowSet rows = NULL;
        table->lpVtbl->GetRowCount(table, 0, &count);
        ok(count == (ULONG)before + SYNC_MSGS, "the Inbox shows %lu messages, %ld before\n",
           (unsigned long)count, (long)before);
        hr = table->lpVtbl->QueryRows(table, 1, 0, &rows);
        ok(hr == S_OK && rows && rows->cRows == 1, "QueryRows: %#lx\n", hrx(hr));
        host_free_rows(rows);
        table->lpVtbl->Release(table);
    }
    ok(static_store->lpVtbl->Unadvise(static_store, conn) == S_OK, "Unadvise\n");
    inbox->lpVtbl->Release(inbox);
    session_end(provider, &session);
    ok(md_live_objects() == 0, "live objects of the static provider: %ld\n",
       (long)md_live_objects());
}

/* ---- Part 3: the last reference on the store goes inside OnNotify, on
 * the notification thread (a client closing the store when told): the
 * notifier cannot wait for itself, it ends after the call returns. */

static IMsgStore *last_store;
static ULONG last_conn;
static volatile LONG last_released = -1;

static void release_hook(sink *k, const NOTIFICATION *nt)
{
    (void)k; (void)nt;
    if (!last_store)
        return;
    IMsgStore *st = last_store;
    last_store = NULL;
    ok(st->lpVtbl->Unadvise(st, last_conn) == S_OK, "Unadvise inside OnNotify\n");
    InterlockedExchange(&last_released, (LONG)st->lpVtbl->Release(st));
}

static sink s_last;

static void part_release_in_sink(void)
{
    IMSProvider *provider = NULL;
    md_alloc alloc = { host_AllocateBuffer, host_AllocateMore, host_FreeBuffer };
    if (md_provider_create(&alloc, &provider) != S_OK)
        test_fatal("md_provider_create\n");
    host_session session;
    if (!host_logon(provider, &session))
        test_fatal("no logon\n");
    ULONG flags = 0;
    /* No Logoff: it stops the store's notifier (shutdown.h); the logon's
     * reference on the store goes with it. */
    session.logon->lpVtbl->Release(session.logon);
    last_store = session.store;
    s_last.hook = release_hook;
    HRESULT hr = last_store->lpVtbl->Advise(last_store, 0, NULL, fnevObjectCreated,
        &s_last.iface, &last_conn);
    ok(hr == S_OK, "Advise: %#lx\n", hrx(hr));

    st_store *w = NULL;
    st_id root = 0, fid = 0;
    ok(st_store_open(&w, store_path_utf8(), NULL, 0) == 0, "open: %s\n", st_error_last());
    st_folder_root(w, &root);
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_DISPLAY_NAME_W, "Wakes the sink");
    ok(st_folder_create(w, &fid, root, b, ST_FROM_SERVER) == 0, "write: %s\n", st_error_last());
    st_bag_free(b);
    st_store_close(w);

    DWORD start = GetTickCount();
    while ((last_released < 0 || md_live_objects() != 1) && GetTickCount() - start < WAIT_MS)
        Sleep(10);
    ok(last_released == 0, "the store's last Release inside OnNotify gave %ld\n",
       (long)last_released);
    ok(md_live_objects() == 1, "live objects with only the provider left: %ld\n",
       (long)md_live_objects());
    Sleep(200);   /* the notifier ends on its own; nothing may crash meanwhile */
    provider->lpVtbl->Shutdown(provider, &flags);
    ok(provider->lpVtbl->Release(provider) == 0, "IMSProvider still referenced\n");
    ok(md_live_objects() == 0, "live objects: %ld\n", (long)md_live_objects());
}

int main(int argc, char **argv)
{
    if (argc < 2)
        test_fatal("usage: test_provider_notify PATH-TO-mapidav32.dll\n");
    host_support_setup();
    host_store_path(L"mapidav-notify");
    notified = CreateEventW(NULL, FALSE, FALSE, NULL);
    sink_init(&s_store);
    sink_init(&s_inbox);
    sink_init(&s_msg);
    sink_init(&s_logon);
    sink_init(&s_sync);

    HMODULE dll = NULL;
    IMSProvider *provider = host_load_provider(argv[1], &dll);
    IMapidavDebug *debug = NULL;
    provider->lpVtbl->QueryInterface(provider, &IID_IMapidavDebug, (void **)&debug);
    part_dll(provider);
    if (debug)
        ok(debug->lpVtbl->LiveObjects(debug) == 0, "DLL live objects: %ld\n",
           (long)debug->lpVtbl->LiveObjects(debug));
    FreeLibrary(dll);

    part_static();
    sink_init(&s_last);
    part_release_in_sink();

    host_end_checks();
    host_remove_store();
    return test_done();
}
