/*
 * test_provider_spooler.c: the message-flow methods of mapidav32.dll's
 * IMsgStore, driven as MAPI drives them, under Wine: a client Logon and
 * the spooler's SpoolerLogon on one store (the stand-in IMAPISupport of
 * host_support.h), then:
 * - GetReceiveFolderTable: the default entries, their entry IDs as
 *   GetReceiveFolder gives them, PR_RECORD_KEY, Unicode and 8-bit classes;
 * - the spooler-only methods refused on the client's store and on an
 *   MDB_NO_MAIL store (MAPI_E_NO_SUPPORT);
 * - GetOutgoingQueue: messages made "submitted" with storage calls of the
 *   test's own (as IMessage::SubmitMessage leaves them: MSGFLAG_SUBMIT,
 *   PR_SUBMIT_FLAGS 0), in client-submit-time order, a message submitted
 *   later arriving by notification (the test's storage is another copy of
 *   the code, so the DLL sees its commit as another process's: polling);
 * - SetLockState (through a stand-in IMessage: SaveChanges called, the
 *   lock written), AbortSubmit refused on a locked message and done on
 *   another, FinishedMsg moving to Sent Items (PR_SENTMAIL_ENTRYID),
 *   deleting (PR_DELETE_AFTER_SUBMIT) or leaving the message, each change
 *   reaching the queue table's sink;
 * - FinishedMsg with a sent-mail folder of another store: IMAPISupport::
 *   OpenEntry and CopyMessages(MESSAGE_MOVE), and a failing move;
 * - the same through MAPI objects: CreateMessage in the Outbox and
 *   SubmitMessage on the client's store (SpoolerNotify(NOTIFY_READYTOSEND)
 *   then ExpandRecips; PR_CLIENT_SUBMIT_TIME, PR_SUBMIT_FLAGS,
 *   PR_RESPONSIBILITY), OpenEntry, SetLockState and FinishedMsg on the
 *   spooler's;
 * - SubmitMessage's rules: no recipients, FORCE_SUBMIT, PrepareSubmit for
 *   a resend (failing: message unchanged), NEEDS_PREPROCESSING and the
 *   spooler's own SubmitMessage after it, ExpandRecips failing (message
 *   unchanged) and adding recipients; no read report from an MDB_NO_MAIL
 *   store;
 * - NotifyNewMail through IMAPISupport::Notify; bad arguments everywhere;
 * - at the end every object released (live-object counter), every MAPI
 *   buffer freed.
 *
 * usage: test_provider_spooler PATH-TO-mapidav32.dll
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMessage
#define USES_IID_IMAPIFolder
#define USES_IID_IMsgStore
#define USES_IID_IMSProvider
#define USES_IID_IMSLogon
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
#include "table_sink.h"
#include "provider/object.h"
#include "provider/store.h"

#define WAIT_MS 5000   /* polling is MD_QUEUE_POLL_MS (1 s): ample */

static st_store *st;   /* the test's own storage handle on the store file */

/* Object id in one of our 48-byte entry IDs (entryid.h: id at offset 40). */
static st_id eid_id(const BYTE *eid)
{
    st_id id = 0;
    for (int i = 7; i >= 0; i--)
        id = id << 8 | eid[40 + i];
    return id;
}

static const SPropValue *find_prop(const SRow *row, ULONG tag)
{
    for (ULONG i = 0; i < row->cValues; i++)
        if (row->lpProps[i].ulPropTag == tag)
            return &row->lpProps[i];
    return NULL;
}

/* A binary property of an IMsgStore (a 48-byte entry ID) into out. */
static int store_eid(LPMDB mdb, ULONG tag, BYTE out[48])
{
    SizedSPropTagArray(1, t) = { 1, { tag } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    int found = mdb->lpVtbl->GetProps(mdb, (LPSPropTagArray)&t, 0, &n, &v) == S_OK
        && v[0].ulPropTag == tag && v[0].Value.bin.cb == 48;
    if (found)
        memcpy(out, v[0].Value.bin.lpb, 48);
    host_FreeBuffer(v);
    return found;
}

/* A message made with storage directly, marked as SubmitMessage marks it. */
static st_id make_submitted(st_id fid, const char *subject, uint64_t submit_time,
    const BYTE *sent_eid, int delete_after)
{
    st_id mid = 0;
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_SUBJECT_W, subject);
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
    st_bag_set_str(b, PR_DISPLAY_TO_W, "Someone");
    st_bag_set_long(b, PR_MESSAGE_FLAGS, MSGFLAG_SUBMIT | MSGFLAG_UNSENT | MSGFLAG_READ);
    st_bag_set_long(b, PR_SUBMIT_FLAGS, 0);
    st_bag_set_systime(b, PR_CLIENT_SUBMIT_TIME, submit_time);
    if (sent_eid)
        st_bag_set_bin(b, PR_SENTMAIL_ENTRYID, sent_eid, 48);
    if (delete_after)
        st_bag_set_bool(b, PR_DELETE_AFTER_SUBMIT, 1);
    ok(st_message_create(st, &mid, fid, b, 0) == 0, "storage: message %s: %s\n", subject,
       st_error_last());
    st_bag_free(b);
    return mid;
}

static int32_t stored_long(st_id mid, uint32_t tag, int *present)
{
    st_bag *b = NULL;
    int32_t l = 0;
    *present = 0;
    if (st_message_get(st, &b, mid) == 0) {
        const st_value *v = st_bag_get(b, tag);
        if (v) {
            *present = 1;
            l = v->v.l;
        }
    }
    st_bag_free(b);
    return l;
}

/* ---- A stand-in for the IMessage the spooler opens: PR_ENTRYID and a
 * counted SaveChanges; the rest MAPI_E_NO_SUPPORT (fill_vtbl). */
typedef struct fake_msg {
    IMessage iface;
    BYTE eid[48];
    int saves;
} fake_msg;
static IMessageVtbl fake_vtbl;

static HRESULT STDMETHODCALLTYPE fake_QueryInterface(IMessage *self, REFIID riid, void **out)
{
    (void)self; (void)riid;
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG STDMETHODCALLTYPE fake_AddRef(IMessage *self)
{
    (void)self;
    return 2;
}
static ULONG STDMETHODCALLTYPE fake_Release(IMessage *self)
{
    (void)self;
    return 1;
}
static HRESULT STDMETHODCALLTYPE fake_SaveChanges(IMessage *self, ULONG flags)
{
    ok(flags == KEEP_OPEN_READWRITE, "SaveChanges flags %#lx\n", (unsigned long)flags);
    ((fake_msg *)self)->saves++;
    return S_OK;
}
static HRESULT STDMETHODCALLTYPE fake_GetProps(IMessage *self, LPSPropTagArray tags, ULONG flags,
    ULONG *count, LPSPropValue *out)
{
    (void)flags;
    ok(tags && tags->cValues == 1 && tags->aulPropTag[0] == PR_ENTRYID,
       "the store asked the message for other properties\n");
    SPropValue *v = NULL;
    host_AllocateBuffer(sizeof *v, (void **)&v);
    v->ulPropTag = PR_ENTRYID;
    v->Value.bin.cb = 48;
    host_AllocateMore(48, v, (void **)&v->Value.bin.lpb);
    memcpy(v->Value.bin.lpb, ((fake_msg *)self)->eid, 48);
    *count = 1;
    *out = v;
    return S_OK;
}

static void fake_init(fake_msg *m, const BYTE eid[48])
{
    if (!fake_vtbl.QueryInterface) {
        fake_vtbl.QueryInterface = fake_QueryInterface;
        fake_vtbl.AddRef = fake_AddRef;
        fake_vtbl.Release = fake_Release;
        fake_vtbl.SaveChanges = fake_SaveChanges;
        fake_vtbl.GetProps = fake_GetProps;
        fill_vtbl(&fake_vtbl, sizeof fake_vtbl);
    }
    m->iface.lpVtbl = &fake_vtbl;
    memcpy(m->eid, eid, 48);
    m->saves = 0;
}

/* ---- Receive-folder table */

static void test_receive_folder_table(LPMDB mdb)
{
    LPMAPITABLE t = (LPMAPITABLE)(ULONG_PTR)1;
    SRowSet *rows = NULL;

    ok(mdb->lpVtbl->GetReceiveFolderTable(mdb, 0x2, &t) == MAPI_E_UNKNOWN_FLAGS && !t,
       "GetReceiveFolderTable bad flags\n");
    ok(mdb->lpVtbl->GetReceiveFolderTable(mdb, 0, NULL) == MAPI_E_INVALID_PARAMETER,
       "GetReceiveFolderTable(NULL)\n");
    HRESULT hr = mdb->lpVtbl->GetReceiveFolderTable(mdb, MAPI_UNICODE | MAPI_DEFERRED_ERRORS, &t);
    ok(hr == S_OK && t, "GetReceiveFolderTable: %#lx\n", (unsigned long)hr);
    if (hr != S_OK)
        return;
    ULONG n = 0;
    ok(t->lpVtbl->GetRowCount(t, 0, &n) == S_OK && n >= 4, "receive folders: %lu\n",
       (unsigned long)n);
    hr = t->lpVtbl->QueryRows(t, 100, 0, &rows);
    ok(hr == S_OK && rows && rows->cRows == n, "QueryRows: %#lx\n", (unsigned long)hr);
    int seen_ipm = 0;
    for (ULONG i = 0; rows && i < rows->cRows; i++) {
        const SPropValue *cls = find_prop(&rows->aRow[i], PR_MESSAGE_CLASS_W);
        const SPropValue *eid = find_prop(&rows->aRow[i], PR_ENTRYID);
        const SPropValue *rk = find_prop(&rows->aRow[i], PR_RECORD_KEY);
        ok(cls && eid && eid->Value.bin.cb == 48 && rk && rk->Value.bin.cb > 0,
           "row %lu lacks a required column\n", (unsigned long)i);
        if (!cls || !eid || wcscmp(cls->Value.lpszW, L"IPM") != 0)
            continue;
        seen_ipm = 1;
        ULONG cb = 0;
        LPENTRYID want = NULL;
        mdb->lpVtbl->GetReceiveFolder(mdb, (LPTSTR)L"IPM", MAPI_UNICODE, &cb, &want, NULL);
        ok(want && cb == eid->Value.bin.cb && memcmp(want, eid->Value.bin.lpb, cb) == 0,
           "IPM's entry ID differs from GetReceiveFolder's\n");
        host_FreeBuffer(want);
    }
    ok(seen_ipm, "no IPM row\n");
    host_free_rows(rows);
    t->lpVtbl->Release(t);

    /* 8-bit classes without MAPI_UNICODE; a new entry shows in a new table. */
    BYTE inbox[48];
    ULONG cb = 0;
    LPENTRYID e = NULL;
    mdb->lpVtbl->GetReceiveFolder(mdb, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cb, &e, NULL);
    ok(e && cb == 48, "GetReceiveFolder\n");
    if (e)
        memcpy(inbox, e, 48);
    host_FreeBuffer(e);
    ok(mdb->lpVtbl->SetReceiveFolder(mdb, (LPTSTR)"IPM.Note.Spooler", 0, 48,
       (LPENTRYID)inbox) == S_OK, "SetReceiveFolder\n");
    ok(mdb->lpVtbl->GetReceiveFolderTable(mdb, 0, &t) == S_OK, "GetReceiveFolderTable 8-bit\n");
    ULONG n2 = 0;
    t->lpVtbl->GetRowCount(t, 0, &n2);
    ok(n2 == n + 1, "rows after SetReceiveFolder: %lu\n", (unsigned long)n2);
    rows = NULL;
    t->lpVtbl->QueryRows(t, 100, 0, &rows);
    int seen = 0;
    for (ULONG i = 0; rows && i < rows->cRows; i++) {
        const SPropValue *cls = find_prop(&rows->aRow[i], PR_MESSAGE_CLASS_A);
        ok(cls != NULL, "8-bit class missing in row %lu\n", (unsigned long)i);
        if (cls && strcmp(cls->Value.lpszA, "IPM.Note.Spooler") == 0)
            seen = 1;
    }
    ok(seen, "IPM.Note.Spooler not listed\n");
    host_free_rows(rows);
    t->lpVtbl->Release(t);
}

/* ---- Who may call */

static void test_not_spooler(LPMDB user, LPMDB no_mail, LPMDB spool_no_mail)
{
    LPMAPITABLE t = (LPMAPITABLE)(ULONG_PTR)1;
    BYTE eid[48] = { 0 };
    fake_msg m;
    NOTIFICATION n = { .ulEventType = fnevNewMail };

    fake_init(&m, eid);
    ok(user->lpVtbl->GetOutgoingQueue(user, 0, &t) == MAPI_E_NO_SUPPORT && !t,
       "GetOutgoingQueue on a client's store\n");
    MAPIERROR *why = NULL;
    ok(user->lpVtbl->GetLastError(user, MAPI_E_NO_SUPPORT, MAPI_UNICODE, &why) == S_OK && why
       && why->lpszError && wcsstr((WCHAR *)why->lpszError, L"spooler"),
       "GetLastError does not say why: %ls\n",
       why && why->lpszError ? (WCHAR *)why->lpszError : L"(none)");
    host_FreeBuffer(why);
    ok(user->lpVtbl->SetLockState(user, (LPMESSAGE)&m, MSG_LOCKED) == MAPI_E_NO_SUPPORT,
       "SetLockState on a client's store\n");
    ok(user->lpVtbl->FinishedMsg(user, 0, 48, (LPENTRYID)eid) == MAPI_E_NO_SUPPORT,
       "FinishedMsg on a client's store\n");
    ok(user->lpVtbl->NotifyNewMail(user, &n) == MAPI_E_NO_SUPPORT,
       "NotifyNewMail on a client's store\n");
    ok(no_mail->lpVtbl->AbortSubmit(no_mail, 48, (LPENTRYID)eid, 0) == MAPI_E_NO_SUPPORT,
       "AbortSubmit on an MDB_NO_MAIL store\n");
    t = (LPMAPITABLE)(ULONG_PTR)1;
    ok(spool_no_mail->lpVtbl->GetOutgoingQueue(spool_no_mail, 0, &t) == MAPI_E_NO_SUPPORT && !t,
       "GetOutgoingQueue on an MDB_NO_MAIL spooler store\n");
    ok(m.saves == 0, "SaveChanges called on a refused SetLockState\n");
}

/* ---- The outgoing queue and the spooler methods */

/* The subjects of the queue's rows from the start, in order, ';'-joined. */
static void queue_subjects(LPMAPITABLE q, char *out, size_t size)
{
    SRowSet *rows = NULL;
    out[0] = 0;
    q->lpVtbl->SeekRow(q, BOOKMARK_BEGINNING, 0, NULL);
    if (q->lpVtbl->QueryRows(q, 50, 0, &rows) != S_OK)
        return;
    for (ULONG i = 0; i < rows->cRows; i++) {
        const SPropValue *s = find_prop(&rows->aRow[i], PR_SUBJECT_W);
        char a[64] = "?";
        if (s)
            WideCharToMultiByte(CP_UTF8, 0, s->Value.lpszW, -1, a, sizeof a, NULL, NULL);
        if (strlen(out) + strlen(a) + 2 < size) {
            strcat(out, a);
            strcat(out, ";");
        }
    }
    host_free_rows(rows);
}

/* The PR_ENTRYID of the queue row with subject subj. */
static int queue_eid(LPMAPITABLE q, const WCHAR *subj, BYTE out[48])
{
    SRowSet *rows = NULL;
    int found = 0;
    q->lpVtbl->SeekRow(q, BOOKMARK_BEGINNING, 0, NULL);
    if (q->lpVtbl->QueryRows(q, 50, 0, &rows) != S_OK)
        return 0;
    for (ULONG i = 0; i < rows->cRows && !found; i++) {
        const SPropValue *s = find_prop(&rows->aRow[i], PR_SUBJECT_W);
        const SPropValue *e = find_prop(&rows->aRow[i], PR_ENTRYID);
        if (s && e && e->Value.bin.cb == 48 && wcscmp(s->Value.lpszW, subj) == 0) {
            memcpy(out, e->Value.bin.lpb, 48);
            found = 1;
        }
    }
    host_free_rows(rows);
    return found;
}

/* FinishedMsg with a PR_SENTMAIL_ENTRYID of another store: the folder
 * opened through IMAPISupport::OpenEntry, the message moved there with
 * IMAPISupport::CopyMessages(MESSAGE_MOVE) (the stand-in removes it from
 * our folder, the move's half in this store). When the move fails, the
 * error comes back and the message stays, no longer submitted. */
static void test_finished_elsewhere(LPMDB spool, LPMAPITABLE q, st_id outbox,
    const BYTE sent_eid[48])
{
    BYTE other_sent[48], e_other[48];
    st_id where = 0;
    int has = 0;
    memcpy(other_sent, sent_eid, 48);
    other_sent[20] ^= 0xff;   /* the store GUID (entryid.h: bytes 20-35) */
    st_id m_other = make_submitted(outbox, "elsewhere", 500, other_sent, 0);
    for (DWORD w = 0; !queue_eid(q, L"elsewhere", e_other) && w < WAIT_MS; w += 50)
        Sleep(50);
    host_calls_reset();
    HRESULT hr = spool->lpVtbl->FinishedMsg(spool, 0, 48, (LPENTRYID)e_other);
    const host_call *oe = host_call_find("OpenEntry"), *cm = host_call_find("CopyMessages");
    ok(hr == S_OK && strcmp(host_calls_str(), "OpenEntry,CopyMessages") == 0,
       "FinishedMsg to another store's folder: %#lx, calls %s\n", (unsigned long)hr,
       host_calls_str());
    ok(oe && oe->count == 48 && host_foreign_cb == 48
       && memcmp(host_foreign_eid, other_sent, 48) == 0 && (oe->flags & MAPI_MODIFY),
       "OpenEntry of PR_SENTMAIL_ENTRYID\n");
    ok(cm && cm->flags == MESSAGE_MOVE && cm->obj2 == (void *)&host_foreign && cm->count == 1,
       "CopyMessages: flags %#lx, %lu entries\n", cm ? (unsigned long)cm->flags : 0ul,
       cm ? (unsigned long)cm->count : 0ul);
    ok((st_message_folder(st, &where, m_other) != 0 || where != outbox),
       "message still in the Outbox after the move\n");
    ok(host_foreign_refs == 0, "other store's folder references left: %ld\n",
       (long)host_foreign_refs);

    st_id m_fail = make_submitted(outbox, "elsewhere, failing", 600, other_sent, 0);
    for (DWORD w = 0; !queue_eid(q, L"elsewhere, failing", e_other) && w < WAIT_MS; w += 50)
        Sleep(50);
    host_sup.copy_hr = MAPI_E_NOT_ENOUGH_MEMORY;
    hr = spool->lpVtbl->FinishedMsg(spool, 0, 48, (LPENTRYID)e_other);
    host_sup.copy_hr = S_OK;
    ok(hr == MAPI_E_NOT_ENOUGH_MEMORY, "FinishedMsg with the move failing: %#lx\n",
       (unsigned long)hr);
    ok(st_message_folder(st, &where, m_fail) == 0 && where == outbox
       && !(stored_long(m_fail, PR_MESSAGE_FLAGS, &has) & MSGFLAG_SUBMIT),
       "message after a failed move\n");
    ok(host_foreign_refs == 0, "other store's folder references left: %ld\n",
       (long)host_foreign_refs);
}

static void test_queue(LPMDB spool, st_id outbox, const BYTE sent_eid[48], st_id sent)
{
    LPMAPITABLE q = (LPMAPITABLE)(ULONG_PTR)1;
    test_sink sink;
    ULONG conn = 0, n = 0;
    char subjects[256];
    int has = 0;

    sink_init(&sink);
    st_id m_third = make_submitted(outbox, "third", 300, NULL, 1);
    st_id m_first = make_submitted(outbox, "first", 100, sent_eid, 0);

    ok(spool->lpVtbl->GetOutgoingQueue(spool, 1, &q) == MAPI_E_UNKNOWN_FLAGS && !q,
       "GetOutgoingQueue bad flags\n");
    ok(spool->lpVtbl->GetOutgoingQueue(spool, 0, NULL) == MAPI_E_INVALID_PARAMETER,
       "GetOutgoingQueue(NULL)\n");
    HRESULT hr = spool->lpVtbl->GetOutgoingQueue(spool, 0, &q);
    ok(hr == S_OK && q, "GetOutgoingQueue: %#lx\n", (unsigned long)hr);
    if (hr != S_OK)
        return;

    /* Columns of "Outgoing Queue Tables", rows by submit time. */
    SPropTagArray *cols = NULL;
    ok(q->lpVtbl->QueryColumns(q, 0, &cols) == S_OK && cols->cValues == 11,
       "queue columns: %lu\n", cols ? (unsigned long)cols->cValues : 0ul);
    host_FreeBuffer(cols);
    SSortOrderSet *so = NULL;
    ok(q->lpVtbl->QuerySortOrder(q, &so) == S_OK && so->cSorts == 1
       && so->aSort[0].ulPropTag == PR_CLIENT_SUBMIT_TIME
       && so->aSort[0].ulOrder == TABLE_SORT_ASCEND, "default sort\n");
    host_FreeBuffer(so);
    queue_subjects(q, subjects, sizeof subjects);
    ok(strcmp(subjects, "first;third;") == 0, "queue: %s\n", subjects);
    SRowSet *rows = NULL;
    q->lpVtbl->SeekRow(q, BOOKMARK_BEGINNING, 0, NULL);
    if (q->lpVtbl->QueryRows(q, 1, 0, &rows) == S_OK && rows->cRows == 1) {
        const SRow *r = &rows->aRow[0];
        const SPropValue *mf = find_prop(r, PR_MESSAGE_FLAGS);
        const SPropValue *sf = find_prop(r, PR_SUBMIT_FLAGS);
        const SPropValue *eid = find_prop(r, PR_ENTRYID);
        const SPropValue *to = find_prop(r, PR_DISPLAY_TO_W);
        ok(mf && (mf->Value.l & MSGFLAG_SUBMIT) && sf && sf->Value.l == 0 && to
           && eid && eid->Value.bin.cb == 48 && eid_id(eid->Value.bin.lpb) == m_first,
           "first row's values\n");
    } else {
        ok(0, "no first row\n");
    }
    host_free_rows(rows);

    ok(q->lpVtbl->Advise(q, fnevTableModified, &sink.iface, &conn) == S_OK, "Advise\n");

    /* Submitted meanwhile (another process, as the DLL sees it). */
    LONG before = sink_count(&sink);
    st_id m_second = make_submitted(outbox, "second", 200, NULL, 0);
    ok(sink_wait(&sink, before, WAIT_MS) && sink.last_event == TABLE_ROW_ADDED,
       "no ROW_ADDED for a message submitted later (event %lu)\n",
       (unsigned long)sink.last_event);
    ok(sink.last_eid_cb == 48 && eid_id(sink.last_eid) == m_second, "ROW_ADDED's row\n");
    queue_subjects(q, subjects, sizeof subjects);
    ok(strcmp(subjects, "first;second;third;") == 0, "queue: %s\n", subjects);

    /* SetLockState */
    BYTE e_first[48], e_second[48], e_third[48];
    ok(queue_eid(q, L"first", e_first) && queue_eid(q, L"second", e_second)
       && queue_eid(q, L"third", e_third), "entry IDs from the queue\n");
    fake_msg m;
    fake_init(&m, e_first);
    ok(spool->lpVtbl->SetLockState(spool, NULL, MSG_LOCKED) == MAPI_E_INVALID_PARAMETER,
       "SetLockState(NULL)\n");
    ok(spool->lpVtbl->SetLockState(spool, (LPMESSAGE)&m, 7) == MAPI_E_INVALID_PARAMETER,
       "SetLockState(7)\n");
    fake_msg junk_msg;
    BYTE junk_eid[48];
    memset(junk_eid, 0x5a, sizeof junk_eid);
    fake_init(&junk_msg, junk_eid);
    ok(spool->lpVtbl->SetLockState(spool, (LPMESSAGE)&junk_msg, MSG_LOCKED)
       == MAPI_E_INVALID_ENTRYID, "SetLockState on a message with a garbage entry ID\n");
    before = sink_count(&sink);
    ok(spool->lpVtbl->SetLockState(spool, (LPMESSAGE)&m, MSG_LOCKED) == S_OK, "lock\n");
    ok(m.saves == 1, "SaveChanges not called: %d\n", m.saves);
    ok((stored_long(m_first, PR_SUBMIT_FLAGS, &has) & SUBMITFLAG_LOCKED) && has,
       "SUBMITFLAG_LOCKED not stored\n");
    ok(sink_wait(&sink, before, WAIT_MS) && sink.last_event == TABLE_ROW_MODIFIED,
       "no ROW_MODIFIED for the lock (event %lu)\n", (unsigned long)sink.last_event);

    /* AbortSubmit */
    ok(spool->lpVtbl->AbortSubmit(spool, 48, (LPENTRYID)e_first, 0) == MAPI_E_UNABLE_TO_ABORT,
       "AbortSubmit of a locked message\n");
    ok(spool->lpVtbl->AbortSubmit(spool, 48, (LPENTRYID)e_second, 1) == MAPI_E_UNKNOWN_FLAGS,
       "AbortSubmit bad flags\n");
    BYTE junk[48];
    memset(junk, 0x5a, sizeof junk);
    ok(spool->lpVtbl->AbortSubmit(spool, 48, (LPENTRYID)junk, 0) == MAPI_E_INVALID_ENTRYID,
       "AbortSubmit garbage entry ID\n");
    ok(spool->lpVtbl->AbortSubmit(spool, 0, NULL, 0) == MAPI_E_INVALID_PARAMETER,
       "AbortSubmit(NULL)\n");
    before = sink_count(&sink);
    ok(spool->lpVtbl->AbortSubmit(spool, 48, (LPENTRYID)e_second, 0) == S_OK, "AbortSubmit\n");
    int32_t mf = stored_long(m_second, PR_MESSAGE_FLAGS, &has);
    ok(!(mf & MSGFLAG_SUBMIT) && (mf & MSGFLAG_UNSENT), "flags after AbortSubmit %#x\n",
       (unsigned)mf);
    stored_long(m_second, PR_SUBMIT_FLAGS, &has);
    ok(!has, "PR_SUBMIT_FLAGS left after AbortSubmit\n");
    ok(sink_wait(&sink, before, WAIT_MS) && sink.last_event == TABLE_ROW_DELETED,
       "no ROW_DELETED for AbortSubmit (event %lu)\n", (unsigned long)sink.last_event);
    ok(spool->lpVtbl->AbortSubmit(spool, 48, (LPENTRYID)e_second, 0) == MAPI_E_NOT_IN_QUEUE,
       "AbortSubmit twice\n");
    /* A client's store aborts too. */

    /* FinishedMsg: first -> Sent Items (PR_SENTMAIL_ENTRYID). */
    ok(spool->lpVtbl->FinishedMsg(spool, 1, 48, (LPENTRYID)e_first) == MAPI_E_UNKNOWN_FLAGS,
       "FinishedMsg bad flags\n");
    ok(spool->lpVtbl->FinishedMsg(spool, 0, 48, (LPENTRYID)junk) == MAPI_E_INVALID_ENTRYID,
       "FinishedMsg garbage entry ID\n");
    ok(spool->lpVtbl->FinishedMsg(spool, 0, 48, (LPENTRYID)e_second) == MAPI_E_NOT_IN_QUEUE,
       "FinishedMsg of an aborted message\n");
    before = sink_count(&sink);
    ok(spool->lpVtbl->FinishedMsg(spool, 0, 48, (LPENTRYID)e_first) == S_OK, "FinishedMsg\n");
    st_id where = 0;
    ok(st_message_folder(st, &where, m_first) == 0 && where == sent,
       "sent message not in Sent Items\n");
    mf = stored_long(m_first, PR_MESSAGE_FLAGS, &has);
    ok(!(mf & (MSGFLAG_SUBMIT | MSGFLAG_UNSENT)), "flags after FinishedMsg %#x\n", (unsigned)mf);
    stored_long(m_first, PR_SUBMIT_FLAGS, &has);
    ok(!has, "PR_SUBMIT_FLAGS left after FinishedMsg\n");
    ok(sink_wait(&sink, before, WAIT_MS) && sink.last_event == TABLE_ROW_DELETED,
       "no ROW_DELETED for FinishedMsg (event %lu)\n", (unsigned long)sink.last_event);

    /* third: PR_DELETE_AFTER_SUBMIT. */
    fake_init(&m, e_third);
    spool->lpVtbl->SetLockState(spool, (LPMESSAGE)&m, MSG_LOCKED);
    ok(spool->lpVtbl->FinishedMsg(spool, 0, 48, (LPENTRYID)e_third) == S_OK,
       "FinishedMsg (delete after submit)\n");
    st_bag *gone = NULL;
    ok(st_message_get(st, &gone, m_third) == ST_ENOTFOUND, "message not deleted\n");
    st_bag_free(gone);

    test_finished_elsewhere(spool, q, outbox, sent_eid);

    /* Neither property: it stays where it was. */
    st_id m_fourth = make_submitted(outbox, "fourth", 400, NULL, 0);
    BYTE e_fourth[48];
    for (DWORD w = 0; !queue_eid(q, L"fourth", e_fourth) && w < WAIT_MS; w += 50)
        Sleep(50);
    ok(queue_eid(q, L"fourth", e_fourth), "fourth never queued\n");
    fake_init(&m, e_fourth);
    spool->lpVtbl->SetLockState(spool, (LPMESSAGE)&m, MSG_LOCKED);
    ok(spool->lpVtbl->FinishedMsg(spool, 0, 48, (LPENTRYID)e_fourth) == S_OK,
       "FinishedMsg (no sent-mail folder)\n");
    ok(st_message_folder(st, &where, m_fourth) == 0 && where == outbox,
       "message moved without PR_SENTMAIL_ENTRYID\n");
    for (DWORD w = 0; q->lpVtbl->GetRowCount(q, 0, &n) == S_OK && n && w < WAIT_MS; w += 50)
        Sleep(50);
    ok(n == 0, "queue not empty at the end: %lu\n", (unsigned long)n);

    ok(q->lpVtbl->Unadvise(q, conn) == S_OK, "Unadvise\n");
    ok(q->lpVtbl->Release(q) == 0, "queue table still referenced\n");
    ok(sink.refs == 1, "sink references left: %ld\n", (long)sink.refs - 1);
}

/* The recipients of m with PR_RESPONSIBILITY FALSE, or -1 when one lacks
 * it or has it TRUE. */
static int responsibility_false(LPMESSAGE m)
{
    LPMAPITABLE t = NULL;
    LPSRowSet rows = NULL;
    int n = -1;
    SizedSPropTagArray(1, cols) = { 1, { PR_RESPONSIBILITY } };
    if (m->lpVtbl->GetRecipientTable(m, 0, &t) == S_OK
        && t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0) == S_OK
        && t->lpVtbl->QueryRows(t, 100, 0, &rows) == S_OK) {
        n = 0;
        for (ULONG i = 0; i < rows->cRows; i++) {
            const SPropValue *v = rows->aRow[i].lpProps;
            if (v[0].ulPropTag == PR_RESPONSIBILITY && !v[0].Value.b)
                n++;
            else
                n = -1000;
        }
        if (n < 0)
            n = -1;
    }
    host_free_rows(rows);
    if (t)
        t->lpVtbl->Release(t);
    return n;
}

/* The whole path through MAPI objects: a client makes a message in the
 * Outbox and calls IMessage::SubmitMessage; it reaches the spooler's queue
 * (a change of this process: told at once, no polling); the spooler opens
 * it, locks it with the real IMessage and finishes it. */
static void test_submit_through_mapi(LPMDB user, LPMDB spool, const BYTE outbox_eid[48],
    st_id outbox)
{
    LPMAPITABLE q = NULL;
    test_sink sink;
    ULONG conn = 0, type = 0;
    LPMAPIFOLDER folder = NULL;
    LPMESSAGE msg = NULL, smsg = NULL;
    BYTE eid[48];

    sink_init(&sink);
    if (spool->lpVtbl->GetOutgoingQueue(spool, 0, &q) != S_OK) {
        ok(0, "GetOutgoingQueue\n");
        return;
    }
    q->lpVtbl->Advise(q, fnevTableModified, &sink.iface, &conn);
    HRESULT hr = user->lpVtbl->OpenEntry(user, 48, (LPENTRYID)outbox_eid, NULL, MAPI_MODIFY,
        &type, (LPUNKNOWN *)&folder);
    ok(hr == S_OK && type == MAPI_FOLDER, "OpenEntry(Outbox): %#lx\n", (unsigned long)hr);
    if (hr == S_OK)
        hr = folder->lpVtbl->CreateMessage(folder, NULL, 0, &msg);
    ok(hr == S_OK && msg, "CreateMessage: %#lx\n", (unsigned long)hr);
    if (hr == S_OK) {
        SPropValue p[2];
        p[0].ulPropTag = PR_SUBJECT_W;
        p[0].Value.lpszW = L"through MAPI";
        p[1].ulPropTag = PR_MESSAGE_CLASS_W;
        p[1].Value.lpszW = L"IPM.Note";
        ok(msg->lpVtbl->SetProps(msg, 2, p, NULL) == S_OK, "SetProps\n");
        ok(host_add_recipient(msg, MODRECIP_ADD, L"Bob", L"bob@example.org") == S_OK,
           "ModifyRecipients\n");
        LONG before = sink_count(&sink);
        host_calls_reset();
        hr = msg->lpVtbl->SubmitMessage(msg, 0);
        ok(hr == S_OK, "SubmitMessage: %#lx\n", (unsigned long)hr);
        /* The first submission of the store: NOTIFY_READYTOSEND first, then
         * ExpandRecips on this message (no PrepareSubmit: not a resend). */
        ok(strcmp(host_calls_str(), "SpoolerNotify,ExpandRecips") == 0
           && host_calls[0].flags == NOTIFY_READYTOSEND && host_calls[1].obj == msg,
           "SubmitMessage's calls: %s\n", host_calls_str());
        ok(sink_wait(&sink, before, WAIT_MS) && sink.last_event == TABLE_ROW_ADDED
           && sink.last_eid_cb == 48, "no ROW_ADDED for SubmitMessage (event %lu)\n",
           (unsigned long)sink.last_event);
    }
    if (msg)
        msg->lpVtbl->Release(msg);
    if (folder)
        folder->lpVtbl->Release(folder);
    if (sink.last_eid_cb == 48) {
        memcpy(eid, sink.last_eid, 48);
        hr = spool->lpVtbl->OpenEntry(spool, 48, (LPENTRYID)eid, NULL, MAPI_MODIFY, &type,
            (LPUNKNOWN *)&smsg);
        ok(hr == S_OK && type == MAPI_MESSAGE, "spooler OpenEntry(message): %#lx\n",
           (unsigned long)hr);
    }
    if (smsg) {
        int has = 0;
        ok(stored_long(eid_id(eid), PR_SUBMIT_FLAGS, &has) == 0 && has,
           "PR_SUBMIT_FLAGS after SubmitMessage\n");
        LPSPropValue t = host_get_one((IMAPIProp *)smsg, PR_CLIENT_SUBMIT_TIME);
        ok(t && (t->Value.ft.dwHighDateTime || t->Value.ft.dwLowDateTime),
           "no PR_CLIENT_SUBMIT_TIME\n");
        host_FreeBuffer(t);
        ok(responsibility_false(smsg) == 1, "PR_RESPONSIBILITY not FALSE on the recipient\n");
        ok(spool->lpVtbl->SetLockState(spool, smsg, MSG_LOCKED) == S_OK,
           "SetLockState on a real message\n");
        ok((stored_long(eid_id(eid), PR_SUBMIT_FLAGS, &has) & SUBMITFLAG_LOCKED) && has,
           "lock not stored\n");
        ok(user->lpVtbl->AbortSubmit(user, 48, (LPENTRYID)eid, 0) == MAPI_E_UNABLE_TO_ABORT,
           "a client aborted a locked message\n");
        ok(spool->lpVtbl->FinishedMsg(spool, 0, 48, (LPENTRYID)eid) == S_OK, "FinishedMsg\n");
        st_id where = 0;
        ok(st_message_folder(st, &where, eid_id(eid)) == 0 && where == outbox,
           "finished message without PR_SENTMAIL_ENTRYID moved\n");
        smsg->lpVtbl->Release(smsg);
    }
    q->lpVtbl->Unadvise(q, conn);
    ok(q->lpVtbl->Release(q) == 0, "queue table still referenced\n");
}

/* IMessage::SubmitMessage's rules ("Sending Messages: Message Store
 * Provider Tasks", IMAPISupport::PrepareSubmit/ExpandRecips/SpoolerNotify):
 * no recipients; SpoolerNotify once per store; PrepareSubmit only for a
 * resend, its failure leaving the message unchanged; NEEDS_PREPROCESSING
 * -> SUBMITFLAG_PREPROCESS, which the spooler's own SubmitMessage clears;
 * ExpandRecips' failure leaving the message unchanged; recipients it adds
 * get PR_RESPONSIBILITY FALSE too; FORCE_SUBMIT accepted. */
static LPMESSAGE outbox_msg(LPMDB mdb, const BYTE outbox_eid[48], const WCHAR *subj,
    LONG flags, int recipients)
{
    LPMAPIFOLDER f = NULL;
    LPMESSAGE m = NULL;
    ULONG type = 0;
    HRESULT hr = mdb->lpVtbl->OpenEntry(mdb, 48, (LPENTRYID)outbox_eid, NULL, MAPI_MODIFY,
        &type, (LPUNKNOWN *)&f);
    if (hr == S_OK)
        hr = f->lpVtbl->CreateMessage(f, NULL, 0, &m);
    if (f)
        f->lpVtbl->Release(f);
    ok(hr == S_OK && m, "CreateMessage(%ls): %#lx\n", subj, (unsigned long)hr);
    if (!m)
        return NULL;
    SPropValue p[3];
    p[0].ulPropTag = PR_SUBJECT_W;
    p[0].Value.lpszW = (WCHAR *)subj;
    p[1].ulPropTag = PR_MESSAGE_CLASS_W;
    p[1].Value.lpszW = (WCHAR *)L"IPM.Note";
    p[2].ulPropTag = PR_MESSAGE_FLAGS;
    p[2].Value.l = flags;
    ok(m->lpVtbl->SetProps(m, 3, p, NULL) == S_OK, "SetProps(%ls)\n", subj);
    for (int i = 0; i < recipients; i++)
        host_add_recipient(m, MODRECIP_ADD, L"Someone", L"someone@example.org");
    return m;
}

static LONG msg_long(LPMESSAGE m, ULONG tag, LONG dflt)
{
    LPSPropValue v = host_get_one((IMAPIProp *)m, tag);
    LONG l = v ? v->Value.l : dflt;
    host_FreeBuffer(v);
    return l;
}

/* Takes submitted message m (may be NULL) out of the queue and releases it. */
static void abort_and_release(LPMDB user, LPMESSAGE m)
{
    LPSPropValue e = m ? host_get_one((IMAPIProp *)m, PR_ENTRYID) : NULL;
    if (e)
        ok(user->lpVtbl->AbortSubmit(user, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb, 0)
           == S_OK, "AbortSubmit\n");
    host_FreeBuffer(e);
    if (m)
        m->lpVtbl->Release(m);
}

static void test_submit_rules(LPMDB user, LPMDB spool, const BYTE outbox_eid[48])
{
    /* No recipients: nothing asked of MAPI, nothing changed. */
    LPMESSAGE m = outbox_msg(user, outbox_eid, L"nobody", MSGFLAG_UNSENT, 0);
    host_calls_reset();
    HRESULT hr = m ? m->lpVtbl->SubmitMessage(m, 0) : E_FAIL;
    ok(hr == MAPI_E_NO_RECIPIENTS && host_n_calls == 0
       && !(msg_long(m, PR_MESSAGE_FLAGS, 0) & MSGFLAG_SUBMIT),
       "SubmitMessage without recipients: %#lx (%s)\n", (unsigned long)hr, host_calls_str());
    /* FORCE_SUBMIT ("not currently in use") is accepted; SpoolerNotify was
     * done by the first submission of this store: not again. */
    ok(m && host_add_recipient(m, MODRECIP_ADD, L"Bob", L"bob@example.org") == S_OK,
       "ModifyRecipients\n");
    host_calls_reset();
    hr = m ? m->lpVtbl->SubmitMessage(m, FORCE_SUBMIT) : E_FAIL;
    ok(hr == S_OK && strcmp(host_calls_str(), "ExpandRecips") == 0
       && msg_long(m, PR_SUBMIT_FLAGS, -1) == 0,
       "SubmitMessage(FORCE_SUBMIT): %#lx (%s)\n", (unsigned long)hr, host_calls_str());
    if (m)
        m->lpVtbl->Release(m);

    /* A resend: PrepareSubmit first, with 0 on input; failing, nothing
     * changes and its error comes back. */
    m = outbox_msg(user, outbox_eid, L"resend", MSGFLAG_UNSENT | MSGFLAG_RESEND, 1);
    host_calls_reset();
    host_sup.prepare_hr = MAPI_E_NOT_FOUND;
    hr = m ? m->lpVtbl->SubmitMessage(m, 0) : E_FAIL;
    host_sup.prepare_hr = S_OK;
    ok(hr == MAPI_E_NOT_FOUND && strcmp(host_calls_str(), "PrepareSubmit") == 0
       && host_calls[0].obj == m && !(msg_long(m, PR_MESSAGE_FLAGS, 0) & MSGFLAG_SUBMIT)
       && msg_long(m, PR_CLIENT_SUBMIT_TIME, 0) == 0,
       "SubmitMessage with PrepareSubmit failing: %#lx (%s)\n", (unsigned long)hr,
       host_calls_str());
    /* Then it answers NEEDS_PREPROCESSING: SUBMITFLAG_PREPROCESS. */
    host_calls_reset();
    host_sup.prepare_out = NEEDS_PREPROCESSING;
    hr = m ? m->lpVtbl->SubmitMessage(m, 0) : E_FAIL;
    host_sup.prepare_out = 0;
    ok(hr == S_OK && strcmp(host_calls_str(), "PrepareSubmit,ExpandRecips") == 0
       && msg_long(m, PR_SUBMIT_FLAGS, 0) == SUBMITFLAG_PREPROCESS
       && (msg_long(m, PR_MESSAGE_FLAGS, 0) & MSGFLAG_SUBMIT),
       "SubmitMessage (resend, preprocessing): %#lx (%s), PR_SUBMIT_FLAGS %#lx\n",
       (unsigned long)hr, host_calls_str(), (unsigned long)msg_long(m, PR_SUBMIT_FLAGS, 0));
    /* The spooler, done preprocessing, calls SubmitMessage on its store: the
     * flag goes, nothing else is asked. */
    LPSPropValue e = m ? host_get_one((IMAPIProp *)m, PR_ENTRYID) : NULL;
    LPMESSAGE sm = NULL;
    ULONG type = 0;
    if (e)
        spool->lpVtbl->OpenEntry(spool, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb, NULL,
            MAPI_MODIFY, &type, (LPUNKNOWN *)&sm);
    host_calls_reset();
    hr = sm ? sm->lpVtbl->SubmitMessage(sm, 0) : E_FAIL;
    ok(hr == S_OK && host_n_calls == 0 && msg_long(sm, PR_SUBMIT_FLAGS, -1) == 0
       && (msg_long(sm, PR_MESSAGE_FLAGS, 0) & MSGFLAG_SUBMIT),
       "the spooler's SubmitMessage after preprocessing: %#lx (%s)\n", (unsigned long)hr,
       host_calls_str());
    if (sm)
        sm->lpVtbl->Release(sm);
    host_FreeBuffer(e);
    abort_and_release(user, m);

    /* ExpandRecips failing: the message as it was. */
    m = outbox_msg(user, outbox_eid, L"expand fails", MSGFLAG_UNSENT, 1);
    host_sup.expand_hr = MAPI_E_CALL_FAILED;
    hr = m ? m->lpVtbl->SubmitMessage(m, 0) : E_FAIL;
    host_sup.expand_hr = S_OK;
    ok(hr == MAPI_E_CALL_FAILED && !(msg_long(m, PR_MESSAGE_FLAGS, 0) & MSGFLAG_SUBMIT)
       && msg_long(m, PR_CLIENT_SUBMIT_TIME, 0) == 0 && msg_long(m, PR_SUBMIT_FLAGS, -1) == -1,
       "SubmitMessage with ExpandRecips failing: %#lx\n", (unsigned long)hr);
    /* It expands a list into two more recipients and answers NEEDS_SPOOLER
     * (we always go through the spooler): all three not yet the
     * responsibility of a transport. */
    host_sup.expand_adds = 2;
    host_sup.expand_out = NEEDS_SPOOLER;
    hr = m ? m->lpVtbl->SubmitMessage(m, 0) : E_FAIL;
    host_sup.expand_adds = 0;
    host_sup.expand_out = 0;
    ok(hr == S_OK && msg_long(m, PR_SUBMIT_FLAGS, -1) == 0 && responsibility_false(m) == 3,
       "SubmitMessage with ExpandRecips adding recipients: %#lx, %d recipients\n",
       (unsigned long)hr, m ? responsibility_false(m) : -1);
    abort_and_release(user, m);
}

/* A store opened with MDB_NO_MAIL sends no read report: the message is
 * marked read and the report stays owed (MSGFLAG_RN_PENDING) for a session
 * that sends mail. */
static void test_no_mail_receipt(LPMDB nomail, const BYTE outbox_eid[48])
{
    LPMESSAGE m = outbox_msg(nomail, outbox_eid, L"receipt, no mail",
        MSGFLAG_RN_PENDING, 0);
    SPropValue v;
    v.ulPropTag = PR_READ_RECEIPT_REQUESTED;
    v.Value.b = TRUE;
    ok(m && m->lpVtbl->SetProps(m, 1, &v, NULL) == S_OK
       && m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "receipt message\n");
    host_calls_reset();
    HRESULT hr = m ? m->lpVtbl->SetReadFlag(m, 0) : E_FAIL;
    LONG f = msg_long(m, PR_MESSAGE_FLAGS, 0);
    ok(hr == S_OK && host_n_calls == 0 && (f & MSGFLAG_READ) && (f & MSGFLAG_RN_PENDING),
       "SetReadFlag on an MDB_NO_MAIL store: %#lx (%s), flags %#lx\n", (unsigned long)hr,
       host_calls_str(), (unsigned long)f);
    if (m)
        m->lpVtbl->Release(m);
}

static void test_notify_new_mail(LPMDB spool)
{
    NOTIFICATION n;
    BYTE eid[48] = { 0 };

    memset(&n, 0, sizeof n);
    n.ulEventType = fnevNewMail;
    n.info.newmail.cbEntryID = 48;
    n.info.newmail.lpEntryID = (LPENTRYID)eid;
    n.info.newmail.cbParentID = 48;
    n.info.newmail.lpParentID = (LPENTRYID)eid;
    n.info.newmail.ulFlags = MAPI_UNICODE;
    n.info.newmail.lpszMessageClass = (LPTSTR)L"IPM.Note";
    int before = notifies;
    ok(spool->lpVtbl->NotifyNewMail(spool, &n) == S_OK && notifies > before,
       "NotifyNewMail did not reach IMAPISupport::Notify\n");
    ok(spool->lpVtbl->NotifyNewMail(spool, NULL) == MAPI_E_INVALID_PARAMETER,
       "NotifyNewMail(NULL)\n");
    n.ulEventType = fnevObjectCreated;
    ok(spool->lpVtbl->NotifyNewMail(spool, &n) == MAPI_E_INVALID_PARAMETER,
       "NotifyNewMail of another event\n");
}

static LPMDB logon(LPMSPROVIDER provider, int spooler, ULONG flags, LPMSLOGON *lo)
{
    LPMDB mdb = NULL;
    ULONG cb_spool = 0;
    LPBYTE spool = NULL;
    HRESULT hr = spooler
        ? provider->lpVtbl->SpoolerLogon(provider, &support, 0, NULL, 0, NULL, flags, NULL, 0,
              NULL, NULL, lo, &mdb)
        : provider->lpVtbl->Logon(provider, &support, 0, NULL, 0, NULL, flags, NULL, &cb_spool,
              &spool, NULL, lo, &mdb);
    ok(hr == S_OK && mdb && *lo, "%s %#lx: %#lx\n", spooler ? "SpoolerLogon" : "Logon",
       (unsigned long)flags, (unsigned long)hr);
    return mdb;
}

static void logoff(LPMSLOGON lo, LPMDB mdb)
{
    ULONG flags = 0;
    if (lo) {
        lo->lpVtbl->Logoff(lo, &flags);
        ok(lo->lpVtbl->Release(lo) == 0, "IMSLogon still referenced\n");
    }
    if (mdb)
        ok(mdb->lpVtbl->Release(mdb) == 0, "IMsgStore still referenced\n");
}

int main(int argc, char **argv)
{
    char store_utf8[MAX_PATH * 3];

    if (argc < 2)
        test_fatal("usage: test_provider_spooler PATH-TO-mapidav32.dll\n");
    host_support_setup();
    host_store_path(L"mapidav-spooler");
    HMODULE dll = NULL;
    LPMSPROVIDER provider = host_load_provider(argv[1], &dll);
    IMapidavDebug *debug = NULL;
    provider->lpVtbl->QueryInterface(provider, &IID_IMapidavDebug, (void **)&debug);

    LPMSLOGON lo_spool = NULL, lo_nomail = NULL, lo_spool_nomail = NULL;
    host_session us;
    host_logon(provider, &us);
    LPMDB user = us.store;
    LPMDB spool = logon(provider, 1, 0, &lo_spool);
    LPMDB nomail = logon(provider, 0, MDB_NO_MAIL, &lo_nomail);
    LPMDB spool_nomail = logon(provider, 1, MDB_NO_MAIL, &lo_spool_nomail);
    if (!user || !spool || !nomail || !spool_nomail)
        test_fatal("no stores\n");

    WideCharToMultiByte(CP_UTF8, 0, store_path, -1, store_utf8, sizeof store_utf8, NULL, NULL);
    if (st_store_open(&st, store_utf8, NULL, 0))
        test_fatal("storage: %s\n", st_error_last());
    BYTE outbox[48], sent[48];
    if (!store_eid(user, PR_IPM_OUTBOX_ENTRYID, outbox)
        || !store_eid(user, PR_IPM_SENTMAIL_ENTRYID, sent))
        test_fatal("no Outbox / Sent Items entry IDs\n");

    test_receive_folder_table(user);
    test_not_spooler(user, nomail, spool_nomail);
    test_queue(spool, eid_id(outbox), sent, eid_id(sent));
    test_submit_through_mapi(user, spool, outbox, eid_id(outbox));
    test_submit_rules(user, spool, outbox);
    test_no_mail_receipt(nomail, outbox);
    test_notify_new_mail(spool);

    st_store_close(st);
    host_logoff(&us);
    logoff(lo_spool, spool);
    logoff(lo_nomail, nomail);
    logoff(lo_spool_nomail, spool_nomail);
    host_unload_provider(provider, debug, dll);
    return test_done();
}
