/*
 * spooler.c: the receive-folder table, the outgoing queue and the spooler
 * methods of IMsgStore (contract in spooler.h).
 *
 * The outgoing queue: an md_memtable filled and kept current by a worker
 * thread of its own (md_queue). The worker opens its own storage handle
 * (storage.h: a handle per thread), listens to the store's change bus and
 * polls for other processes' commits; the listener only notes which
 * messages changed (a leaf lock, as storage calls listeners with its bus
 * mutex held and often under md_store.lock), and the worker re-reads them
 * and sets or deletes their rows, so sinks are told on the worker with no
 * lock of ours held. The queue owns the memtable (its owner reference); when
 * the last view is released the worker is stopped (and waited for, unless
 * it is the worker itself releasing it from a sink), and it frees the
 * memtable and its handle on its way out. The worker is registered with
 * shutdown.h: Logoff and fast shutdown end it too, and one that outlived
 * the last view (released from a sink on the worker) is joined by
 * md_bg_reap, not left running.
 * The spooler methods: SetLockState, FinishedMsg (a sent-mail folder of
 * another store reached through IMAPISupport::OpenEntry and CopyMessages
 * with MESSAGE_MOVE), AbortSubmit, NotifyNewMail; and SubmitMessage's
 * once-per-store SpoolerNotify(NOTIFY_READYTOSEND) (the rest of
 * SubmitMessage is message.c's, read reports receipt.c's).
 * Invariant: q->shown lists exactly the messages that have a row.
 * Never: read storage in the listener; call memtable after stop; call
 * IMAPISupport with md_store.lock held.
 */
#include <process.h>
#include <stdlib.h>
#include <string.h>

#include "provider/entryid.h"
#include "provider/memtable.h"
#include "provider/object.h"
#include "provider/shutdown.h"
#include "provider/spooler.h"
#include "storage/strutil.h"

static int is_mail_store(const md_store *s)
{
    return !(s->logon_flags & MDB_NO_MAIL);
}

static int is_spooler(const md_store *s)
{
    return (s->logon_flags & MD_LOGON_SPOOLER) && is_mail_store(s);
}

int md_spooler_is_spooler(const md_store *s)
{
    return is_spooler(s);
}

HRESULT md_spooler_ready_to_send(md_store *s)
{
    if (is_spooler(s) || InterlockedCompareExchange(&s->ready_to_send, 1, 0) != 0)
        return S_OK;
    HRESULT hr = s->sup->lpVtbl->SpoolerNotify(s->sup, NOTIFY_READYTOSEND, NULL);
    if (hr != S_OK) {
        InterlockedExchange(&s->ready_to_send, 0);
        st_error_set("IMAPISupport::SpoolerNotify(NOTIFY_READYTOSEND) failed (%#lx)",
            (unsigned long)hr);
    }
    return hr;
}

/* The answer of a spooler-only method elsewhere (GetLastError says why). */
static HRESULT not_spooler(const md_store *s)
{
    st_error_set("%s", is_mail_store(s) ? "only the MAPI spooler's store (SpoolerLogon) does this"
                                         : "the store was opened with MDB_NO_MAIL");
    return MAPI_E_NO_SUPPORT;
}

/* A message entry ID of s -> its id (NULL: MAPI_E_INVALID_PARAMETER). */
static HRESULT message_id(const md_store *s, ULONG cb, const ENTRYID *eid, st_id *out)
{
    *out = 0;
    if (!eid)
        return MAPI_E_INVALID_PARAMETER;
    return md_eid_own_id(&s->guid, cb, eid, MD_EID_MESSAGE, out);
}

int32_t md_bag_long(const st_bag *b, uint32_t tag)
{
    const st_value *v = st_bag_get(b, tag);
    return v ? v->v.l : 0;
}

/* ---- Receive-folder table */

HRESULT md_receive_folder_table(md_store *s, ULONG flags, LPMAPITABLE *out)
{
    st_receive_folder *rf = NULL;
    size_t n = 0;
    md_memtable *t = NULL;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(ULONG)(MAPI_DEFERRED_ERRORS | MAPI_UNICODE))
        return MAPI_E_UNKNOWN_FLAGS;
    const uint32_t cols[] = {
        PR_ENTRYID, PR_RECORD_KEY,
        PROP_TAG(flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8, PROP_ID(PR_MESSAGE_CLASS_W)),
    };
    HRESULT hr = md_memtable_new(&t, &s->alloc, cols, 3, PR_MESSAGE_CLASS_W);
    if (hr != S_OK)
        return hr;
    EnterCriticalSection(&s->lock);
    int code = st_receive_folder_list(s->st, &rf, &n);
    for (size_t i = 0; !code && hr == S_OK && i < n; i++) {
        st_bag *f = NULL;
        code = st_folder_get(s->st, &f, rf[i].fid);
        if (code == ST_ENOTFOUND) {
            code = 0;   /* the folder went meanwhile: no entry */
            continue;
        }
        const st_value *rk = f ? st_bag_get(f, PR_RECORD_KEY) : NULL;
        st_bag *row = st_bag_new();
        if (!row || (rk && st_bag_set(row, rk))
            || st_bag_set_str(row, PR_MESSAGE_CLASS_W, rf[i].msg_class)
            || md_bag_set_eid(row, PR_ENTRYID, s, MD_EID_FOLDER, rf[i].fid))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else
            hr = md_memtable_set_row(t, row);
        st_bag_free(row);
        st_bag_free(f);
    }
    LeaveCriticalSection(&s->lock);
    st_receive_folders_free(rf, n);
    if (code)
        hr = md_hr_from_st(code);
    if (hr == S_OK)
        hr = md_memtable_view(t, out);
    md_memtable_free(t);   /* the view keeps the rows */
    return hr;
}

/* ---- Outgoing queue */

/* A change the listener noted. */
typedef struct q_change {
    st_id id;
    int from_server;        /* the sync side's: only matters for a shown row */
} q_change;

typedef struct md_queue {
    LONG refs;              /* the worker's + the table side's */
    CRITICAL_SECTION lock;  /* leaf: pending, reload, stop */
    q_change *pending;      /* changes not yet looked at */
    size_t n_pending, cap_pending;
    int reload;             /* look at everything again */
    int stop;               /* the last view went: the worker ends */
    HANDLE wake;            /* auto-reset: pending changes or stop */
    HANDLE ready;           /* manual: the worker started (start_hr) */
    HANDLE thread;
    unsigned thread_id;
    HRESULT start_hr;
    char *path;             /* the store file (UTF-8) */
    st_guid guid;
    md_memtable *t;         /* owned (the owner reference); the worker's */
    /* The worker's own: */
    st_store *st;
    uint64_t token;         /* listener */
    st_id *shown;           /* messages with a row */
    size_t n_shown, cap_shown;
} md_queue;

static const uint32_t queue_cols[] = {
    PR_ENTRYID, PR_CLIENT_SUBMIT_TIME, PR_DISPLAY_BCC_W, PR_DISPLAY_CC_W, PR_DISPLAY_TO_W,
    PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_PRIORITY, PR_SENDER_NAME_W, PR_SUBJECT_W,
    PR_SUBMIT_FLAGS,
};
#define QUEUE_NCOLS (sizeof queue_cols / sizeof queue_cols[0])

static void queue_release(md_queue *q)
{
    if (md_ref_release(&q->refs))
        return;
    if (q->thread)
        CloseHandle(q->thread);
    if (q->wake)
        CloseHandle(q->wake);
    if (q->ready)
        CloseHandle(q->ready);
    DeleteCriticalSection(&q->lock);
    free(q->pending);
    free(q->path);
    free(q);
}

static int queue_stopped(md_queue *q)
{
    EnterCriticalSection(&q->lock);
    int stop = q->stop;
    LeaveCriticalSection(&q->lock);
    return stop || md_bg_stopping();   /* Logoff, fast shutdown (shutdown.h) */
}

/* Storage listener: any thread, storage's bus mutex held: note and wake. */
static void queue_on_events(void *ctx, const st_event *ev, size_t n)
{
    md_queue *q = ctx;
    EnterCriticalSection(&q->lock);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].type == ST_EV_EXTERNAL) {
            q->reload = 1;
            continue;
        }
        if (ev[i].kind != ST_JKIND_MESSAGE || ev[i].associated)
            continue;
        q_change *p = st_grow(q->pending, &q->cap_pending, q->n_pending, sizeof *p, 16);
        if (!p) {
            q->reload = 1;   /* out of memory: look at everything later */
            continue;
        }
        q->pending = p;
        p[q->n_pending].id = ev[i].id;
        p[q->n_pending].from_server = ev[i].from_server;
        q->n_pending++;
    }
    LeaveCriticalSection(&q->lock);
    SetEvent(q->wake);
}

static size_t shown_index(const md_queue *q, st_id id)
{
    for (size_t i = 0; i < q->n_shown; i++)
        if (q->shown[i] == id)
            return i;
    return SIZE_MAX;
}

static void eid_value(BYTE buf[MD_EID_SIZE], st_value *v, const md_queue *q, st_id id)
{
    md_eid e = { .store = q->guid, .kind = MD_EID_MESSAGE, .id = id };
    md_eid_write(buf, &e);
    *v = st_view_bin(PR_ENTRYID, buf, MD_EID_SIZE);
}

/* The row of id goes (if it has one). */
static void queue_drop(md_queue *q, st_id id)
{
    size_t i = shown_index(q, id);
    if (i == SIZE_MAX)
        return;
    BYTE buf[MD_EID_SIZE];
    st_value key;
    eid_value(buf, &key, q, id);
    md_memtable_delete_row(q->t, &key);
    q->shown[i] = q->shown[--q->n_shown];
}

/* Looks at message id again: a row when it is submitted, none otherwise. */
static void queue_refresh(md_queue *q, st_id id)
{
    st_bag *b = NULL;
    st_id fid = 0;
    int code = st_message_get(q->st, &b, id);
    if (!code)
        code = st_message_folder(q->st, &fid, id);
    if (code == ST_ENOTFOUND || (!code && (!fid
        || !(md_bag_long(b, PR_MESSAGE_FLAGS) & MSGFLAG_SUBMIT)
        || (md_bag_long(b, PR_MESSAGE_FLAGS) & MSGFLAG_ASSOCIATED)))) {
        queue_drop(q, id);
        st_bag_free(b);
        return;
    }
    if (code) {
        st_bag_free(b);   /* unreadable now: the row stays as it was */
        return;
    }
    st_bag *row = st_bag_new();
    BYTE buf[MD_EID_SIZE];
    st_value key;
    eid_value(buf, &key, q, id);
    int bad = !row || st_bag_set(row, &key);
    for (size_t i = 1; !bad && i < QUEUE_NCOLS; i++) {
        const st_value *v = st_bag_get(b, queue_cols[i]);
        bad = v && st_bag_set(row, v);
    }
    const st_value *cls = st_bag_get(b, PR_MESSAGE_CLASS_W);
    if (!bad && cls)
        bad = st_bag_set(row, cls);
    size_t at = shown_index(q, id);
    if (!bad && at == SIZE_MAX) {
        st_id *p = st_grow(q->shown, &q->cap_shown, q->n_shown, sizeof *p, 16);
        bad = !p;
        if (p)
            q->shown = p;
    }
    if (!bad && md_memtable_set_row(q->t, row) == S_OK && at == SIZE_MAX)
        q->shown[q->n_shown++] = id;
    st_bag_free(row);
    st_bag_free(b);
}

/* Every submitted message again; rows of those no longer submitted go. */
static HRESULT queue_reload(md_queue *q)
{
    st_id *ids = NULL;
    size_t n = 0;
    int code = st_message_list_submitted(q->st, &ids, &n);
    if (code)
        return md_hr_from_st(code);
    for (size_t i = 0; i < n && !queue_stopped(q); i++)
        queue_refresh(q, ids[i]);
    for (size_t i = q->n_shown; i-- > 0 && !queue_stopped(q); ) {
        st_id id = q->shown[i];
        size_t j = 0;
        while (j < n && ids[j] != id)
            j++;
        if (j == n)
            queue_drop(q, id);
    }
    free(ids);
    return S_OK;
}

static unsigned __stdcall queue_worker(void *arg)
{
    md_queue *q = arg;
    int code = st_store_open(&q->st, q->path, &q->guid, 0);
    if (!code)
        code = st_store_listen(q->st, &q->token, queue_on_events, q);
    q->start_hr = code ? md_hr_from_st(code) : queue_reload(q);
    SetEvent(q->ready);
    while (q->start_hr == S_OK && !queue_stopped(q)) {
        WaitForSingleObject(q->wake, MD_QUEUE_POLL_MS);
        if (queue_stopped(q))
            break;
        st_store_poll(q->st);   /* other processes' commits: ST_EV_EXTERNAL */
        EnterCriticalSection(&q->lock);
        q_change *ch = q->pending;
        size_t n = q->n_pending;
        int reload = q->reload;
        q->pending = NULL;
        q->n_pending = q->cap_pending = 0;
        q->reload = 0;
        LeaveCriticalSection(&q->lock);
        if (reload) {
            queue_reload(q);
        } else {
            for (size_t i = 0; i < n && !queue_stopped(q); i++)
                if (!ch[i].from_server || shown_index(q, ch[i].id) != SIZE_MAX)
                    queue_refresh(q, ch[i].id);
        }
        free(ch);
    }
    if (q->token)
        st_store_unlisten(q->st, q->token);
    st_store_close(q->st);
    free(q->shown);
    md_memtable_free(q->t);
    md_bg_leave();   /* before queue_release may close q->wake */
    queue_release(q);
    return 0;
}

/* The last view went (any thread, no lock of ours held). */
static void queue_on_last_view(void *ctx)
{
    md_queue *q = ctx;
    EnterCriticalSection(&q->lock);
    q->stop = 1;
    LeaveCriticalSection(&q->lock);
    SetEvent(q->wake);
    /* Wait, so no thread runs our code once every object is released (the
     * DLL may be unloaded then), unless this is the worker itself, a sink
     * releasing the view when told. */
    if (GetCurrentThreadId() != q->thread_id) {
        WaitForSingleObject(q->thread, INFINITE);
        md_bg_remove(q->thread_id);
    }   /* else md_bg_reap joins it */
    queue_release(q);
}

HRESULT md_spooler_outgoing_queue(md_store *s, ULONG flags, LPMAPITABLE *out)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!is_spooler(s))
        return not_spooler(s);   /* only the MAPI spooler calls it */
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    md_queue *q = calloc(1, sizeof *q);
    if (!q)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    q->refs = 2;   /* the worker's, ours (then the table side's) */
    InitializeCriticalSection(&q->lock);
    q->guid = s->guid;
    q->path = st_strdup(st_store_path(s->st));
    q->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    q->ready = CreateEventW(NULL, TRUE, FALSE, NULL);
    HRESULT hr = q->path && q->wake && q->ready
        ? md_memtable_new(&q->t, &s->alloc, queue_cols, QUEUE_NCOLS, PR_ENTRYID)
        : MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr == S_OK) {
        q->thread = (HANDLE)_beginthreadex(NULL, 0, queue_worker, q, CREATE_SUSPENDED,
            &q->thread_id);
        hr = q->thread ? S_OK : MAPI_E_CALL_FAILED;
    }
    if (hr != S_OK) {
        md_memtable_free(q->t);
        q->refs = 1;   /* no worker */
        queue_release(q);
        return hr;
    }
    md_bg_add(s, q->thread, q->thread_id, q->wake);
    ResumeThread(q->thread);
    WaitForSingleObject(q->ready, INFINITE);
    hr = q->start_hr;
    if (hr == S_OK)
        hr = md_memtable_view(q->t, out);   /* the worker has t until stop */
    if (hr != S_OK) {
        /* The worker ended (start failed) or is told to. */
        EnterCriticalSection(&q->lock);
        q->stop = 1;
        LeaveCriticalSection(&q->lock);
        SetEvent(q->wake);
        WaitForSingleObject(q->thread, INFINITE);
        md_bg_remove(q->thread_id);
        queue_release(q);
        return hr;
    }
    md_memtable_on_last_view(q->t, queue_on_last_view, q);
    /* The MAPI spooler takes messages by ascending submission time
     * ("Outgoing Queue Tables"): the default order. */
    SizedSSortOrderSet(1, by_time) = { 1, 0, 0, { { PR_CLIENT_SUBMIT_TIME, TABLE_SORT_ASCEND } } };
    hr = (*out)->lpVtbl->SortTable(*out, (LPSSortOrderSet)&by_time, 0);
    if (hr != S_OK) {
        (*out)->lpVtbl->Release(*out);
        *out = NULL;
    }
    return hr;
}

/* ---- Spooler methods */

/* Sets PR_MESSAGE_FLAGS to mf and PR_SUBMIT_FLAGS to sf (< 0: deletes it)
 * on message id, under s->lock. */
static int write_flags(md_store *s, st_id id, int32_t mf, int64_t sf)
{
    const uint32_t del = PR_SUBMIT_FLAGS;
    st_bag *set = st_bag_new();
    if (!set || st_bag_set_long(set, PR_MESSAGE_FLAGS, mf)
        || (sf >= 0 && st_bag_set_long(set, PR_SUBMIT_FLAGS, (int32_t)sf))) {
        st_bag_free(set);
        return ST_ERROR;
    }
    int code = st_message_set_props(s->st, id, set, sf < 0 ? &del : NULL, sf < 0, 0);
    st_bag_free(set);
    return code;
}

/* The submitted message of entry ID eid: S_OK with s->lock taken (the
 * caller leaves it), *id and its bag in *out; else the error, lock not
 * held: MAPI_E_NOT_IN_QUEUE when it is gone or not submitted. */
static HRESULT enter_queued(md_store *s, ULONG cb, const ENTRYID *eid, st_id *id, st_bag **out)
{
    HRESULT hr = message_id(s, cb, eid, id);
    if (hr != S_OK)
        return hr;
    EnterCriticalSection(&s->lock);
    int code = st_message_get(s->st, out, *id);
    hr = code == ST_ENOTFOUND ? MAPI_E_NOT_IN_QUEUE : md_hr_from_st(code);
    if (hr == S_OK && !(md_bag_long(*out, PR_MESSAGE_FLAGS) & MSGFLAG_SUBMIT))
        hr = MAPI_E_NOT_IN_QUEUE;
    if (hr != S_OK) {
        LeaveCriticalSection(&s->lock);
        st_bag_free(*out);
        *out = NULL;
    }
    return hr;
}

HRESULT md_spooler_set_lock_state(md_store *s, LPMESSAGE msg, ULONG state)
{
    SizedSPropTagArray(1, eid_tag) = { 1, { PR_ENTRYID } };
    ULONG n = 0;
    SPropValue *v = NULL;
    st_id id = 0;
    st_bag *b = NULL;

    if (!is_spooler(s))
        return not_spooler(s);   /* only the MAPI spooler calls it */
    if (!msg || (state != MSG_LOCKED && state != MSG_UNLOCKED))
        return MAPI_E_INVALID_PARAMETER;
    /* "Call the message's SaveChanges in your SetLockState so that any
     * changes made before are saved" (the reference); a message opened
     * read-only has nothing to save. */
    HRESULT hr = msg->lpVtbl->SaveChanges(msg, KEEP_OPEN_READWRITE);
    if (hr != S_OK && hr != MAPI_E_NO_ACCESS)
        return hr;
    hr = msg->lpVtbl->GetProps(msg, (LPSPropTagArray)&eid_tag, 0, &n, &v);
    if (hr == S_OK && n == 1 && v[0].ulPropTag == PR_ENTRYID)
        hr = enter_queued(s, v[0].Value.bin.cb, (ENTRYID *)v[0].Value.bin.lpb, &id, &b);
    else if (hr == S_OK || hr == MAPI_W_ERRORS_RETURNED)
        hr = MAPI_E_INVALID_PARAMETER;   /* a message without an entry ID: not saved */
    s->alloc.free(v);
    if (hr != S_OK)
        return hr;
    int32_t sf = md_bag_long(b, PR_SUBMIT_FLAGS);
    sf = state == MSG_LOCKED ? sf | (int32_t)SUBMITFLAG_LOCKED : sf & ~(int32_t)SUBMITFLAG_LOCKED;
    hr = md_hr_from_st(write_flags(s, id, md_bag_long(b, PR_MESSAGE_FLAGS), (uint32_t)sf));
    LeaveCriticalSection(&s->lock);
    st_bag_free(b);
    return hr;
}

/* Message eid (in folder fid of s) to the folder of another store whose
 * entry ID is dest: the folder opened through IMAPISupport::OpenEntry, the
 * move done by IMAPISupport::CopyMessages(MESSAGE_MOVE) from our folder
 * object (folderops.c forwards a cross-store CopyMessages the same way).
 * No lock held. */
static HRESULT move_elsewhere(md_store *s, st_id fid, ULONG cb, LPENTRYID eid, size_t dest_len,
    const void *dest)
{
    IMAPIFolder *src = NULL;
    LPUNKNOWN unk = NULL;
    ULONG type = 0;
    if (!dest_len || dest_len > UINT32_MAX) {
        st_error_set("PR_SENTMAIL_ENTRYID is empty or too long: the sent message stays");
        return MAPI_E_INVALID_ENTRYID;
    }
    HRESULT hr = md_folder_open(s, fid, &src);
    if (hr == S_OK)
        hr = s->sup->lpVtbl->OpenEntry(s->sup, (ULONG)dest_len, (LPENTRYID)dest,
            &IID_IMAPIFolder, MAPI_MODIFY, &type, &unk);
    if (hr == S_OK && (!unk || type != MAPI_FOLDER))
        hr = MAPI_E_INVALID_ENTRYID;   /* PR_SENTMAIL_ENTRYID is not a folder */
    if (hr == S_OK) {
        SBinary bin = { cb, (LPBYTE)eid };
        ENTRYLIST list = { 1, &bin };
        hr = s->sup->lpVtbl->CopyMessages(s->sup, &IID_IMAPIFolder, src, &list,
            &IID_IMAPIFolder, unk, 0, NULL, MESSAGE_MOVE);
    }
    if (hr != S_OK)
        st_error_set("the sent message could not be moved to another store's folder (%#lx): "
            "it stays in its folder", (unsigned long)hr);
    if (unk)
        unk->lpVtbl->Release(unk);
    if (src)
        src->lpVtbl->Release(src);
    return hr;
}

HRESULT md_spooler_finished_msg(md_store *s, ULONG flags, ULONG cb, LPENTRYID eid)
{
    st_id id = 0;
    st_bag *b = NULL;
    md_eid e;

    if (!is_spooler(s))
        return not_spooler(s);   /* "if the caller is not the MAPI spooler" */
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = enter_queued(s, cb, eid, &id, &b);
    if (hr != S_OK)
        return hr;
    const st_value *del = st_bag_get(b, PR_DELETE_AFTER_SUBMIT);
    const st_value *sent = st_bag_get(b, PR_SENTMAIL_ENTRYID);
    int32_t mf = md_bag_long(b, PR_MESSAGE_FLAGS) & ~(int32_t)(MSGFLAG_SUBMIT | MSGFLAG_UNSENT);
    int elsewhere = 0;
    int code = st_store_begin(s->st);
    if (!code)
        code = write_flags(s, id, mf, -1);
    if (code) {
        /* nothing more */
    } else if (del && del->v.b) {
        code = st_message_delete(s->st, id, ST_HARD_DELETE);
    } else if (sent && md_eid_parse(&e, sent->v.bin.len, (ENTRYID *)sent->v.bin.data) == S_OK
               && e.kind == MD_EID_FOLDER && st_guid_compare(&e.store, &s->guid) == 0) {
        code = st_message_move(s->st, id, e.id, 0);
    } else if (sent) {
        elsewhere = 1;   /* another store's folder: moved through MAPI below */
    }
    if (code)
        st_store_rollback(s->st);
    else
        code = st_store_commit(s->st);
    st_id fid = 0;
    if (!code && elsewhere)
        code = st_message_folder(s->st, &fid, id);
    LeaveCriticalSection(&s->lock);
    if (!code && elsewhere)
        hr = move_elsewhere(s, fid, cb, eid, sent->v.bin.len, sent->v.bin.data);
    st_bag_free(b);
    return code ? md_hr_from_st(code) : hr;
}

HRESULT md_spooler_abort_submit(md_store *s, ULONG cb, LPENTRYID eid, ULONG flags)
{
    st_id id = 0;
    st_bag *b = NULL;

    if (!is_mail_store(s))
        return not_spooler(s);   /* MDB_NO_MAIL: no outgoing queue */
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = enter_queued(s, cb, eid, &id, &b);
    if (hr != S_OK)
        return hr;
    if (md_bag_long(b, PR_SUBMIT_FLAGS) & SUBMITFLAG_LOCKED)
        hr = MAPI_E_UNABLE_TO_ABORT;
    else
        hr = md_hr_from_st(write_flags(s, id,
            md_bag_long(b, PR_MESSAGE_FLAGS) & ~(int32_t)MSGFLAG_SUBMIT, -1));
    LeaveCriticalSection(&s->lock);
    st_bag_free(b);
    return hr;
}

HRESULT md_spooler_notify_new_mail(md_store *s, LPNOTIFICATION n)
{
    struct {
        ULONG cb;
        BYTE ab[MD_EID_SIZE];
    } key;
    md_eid e = { .store = s->guid, .kind = MD_EID_STORE, .id = 0 };
    ULONG flags = 0;

    if (!is_spooler(s))
        return not_spooler(s);   /* only the MAPI spooler calls it */
    if (!n || n->ulEventType != fnevNewMail)
        return MAPI_E_INVALID_PARAMETER;
    key.cb = MD_EID_SIZE;
    md_eid_write(key.ab, &e);
    return s->sup->lpVtbl->Notify(s->sup, (LPNOTIFKEY)&key, 1, n, &flags);
}
