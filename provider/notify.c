/*
 * notify.c: the store's notifications (see notify.h): Advise/Unadvise over
 * IMAPISupport::Subscribe/Unsubscribe, and the notifier: a storage listener
 * that queues events and a thread that turns them into MAPI notifications
 * and hands them to IMAPISupport::Notify.
 *
 * Invariant: n->lock is a leaf: held only to copy into or out of the queue
 * and the copy marks, never while calling storage or MAPI. Only the thread
 * touches n->st after start.
 * The thread is registered with shutdown.h (md_bg_add): fast shutdown ends
 * its loop too; its stopper still joins it, and one stopped from a sink on
 * the thread itself is joined by md_bg_reap.
 * Never: call Notify from the listener; let the thread touch an md_store
 * (it may be gone: the notifier outlives nothing but itself).
 */
#include <process.h>
#include <stdlib.h>
#include <string.h>

#include "provider/entryid.h"
#include "provider/notify.h"
#include "provider/shutdown.h"
#include "provider/store.h"

typedef struct copy_mark {
    int kind;             /* ST_JKIND_* */
    st_id id;             /* the copy */
    st_id old_id;         /* what it was copied from */
    st_id old_folder;     /* where that is */
} copy_mark;

struct md_notifier {
    CRITICAL_SECTION lock;    /* leaf: guards queue, copies, stop */
    st_event *queue;          /* events not yet delivered */
    size_t n_queue, cap_queue;
    copy_mark *copies;        /* objects to announce as copied */
    size_t n_copies, cap_copies;
    int lost;                 /* events dropped (out of memory): announce a reload */
    int stop;                 /* the thread should end */
    int detached;             /* stopped from the thread itself: it frees n */
    HANDLE wake;              /* auto-reset: events queued or stop */
    HANDLE ready;             /* manual-reset: start done (start_hr says how) */
    HANDLE thread;
    DWORD tid;
    HRESULT start_hr;
    char *path;               /* the store file, as the store opened it */
    st_guid guid;             /* the store's GUID (entry IDs) */
    LPMAPISUP sup;            /* AddRef'd */
    st_store *st;             /* the thread's own handle */
    uint64_t token;           /* listener token */
};

/* A NOTIFKEY holding one of our entry IDs. */
typedef struct eid_key {
    ULONG cb;
    BYTE ab[MD_EID_SIZE];
} eid_key;

/* Grows *arr (elements of size) to hold n + 1; 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, ncap * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

/* ---- Listener: any thread, storage's bus mutex held: copy and wake. */

static void on_events(void *ctx, const st_event *ev, size_t n)
{
    md_notifier *nt = ctx;
    EnterCriticalSection(&nt->lock);
    if (nt->n_queue + n > nt->cap_queue) {
        size_t cap = nt->cap_queue ? nt->cap_queue : 64;
        while (cap < nt->n_queue + n)
            cap *= 2;
        st_event *q = realloc(nt->queue, cap * sizeof *q);
        if (!q) {
            n = 0;
            nt->lost = 1;   /* what changed is unknown now: the thread says "reload" */
        } else {
            nt->queue = q;
            nt->cap_queue = cap;
        }
    }
    if (n) {
        memcpy(nt->queue + nt->n_queue, ev, n * sizeof *ev);
        nt->n_queue += n;
    }
    LeaveCriticalSection(&nt->lock);
    SetEvent(nt->wake);
}

/* ---- Delivery: the notification thread, no lock held. */

static void make_key(eid_key *k, const st_guid *store, unsigned kind, st_id id)
{
    md_eid e = { .store = *store, .kind = kind, .id = id };
    k->cb = MD_EID_SIZE;
    md_eid_write(k->ab, &e);
}

static void notify_key(md_notifier *n, unsigned kind, st_id id, NOTIFICATION *nt)
{
    eid_key k;
    ULONG flags = 0;
    make_key(&k, &n->guid, kind, id);
    n->sup->lpVtbl->Notify(n->sup, (LPNOTIFKEY)&k, 1, nt, &flags);
}

static unsigned eid_kind(int st_kind)
{
    return st_kind == ST_JKIND_FOLDER ? MD_EID_FOLDER : MD_EID_MESSAGE;
}

/* The copy mark of (kind, id), taken out of the list (order kept: the
 * oldest are dropped first when it is full); 0 when none. */
static int take_copy(md_notifier *n, int kind, st_id id, copy_mark *out)
{
    int found = 0;
    EnterCriticalSection(&n->lock);
    for (size_t i = 0; i < n->n_copies; i++) {
        if (n->copies[i].kind == kind && n->copies[i].id == id) {
            *out = n->copies[i];
            memmove(n->copies + i, n->copies + i + 1, (n->n_copies - i - 1) * sizeof *n->copies);
            n->n_copies--;
            found = 1;
            break;
        }
    }
    LeaveCriticalSection(&n->lock);
    return found;
}

/* One object notification (created, modified, deleted, moved, copied) under
 * the object's key, its folder's key (and the old folder's) and the store's. */
static void object_event(md_notifier *n, const st_event *e)
{
    NOTIFICATION nt;
    OBJECT_NOTIFICATION *o = &nt.info.obj;
    BYTE eid[MD_EID_SIZE], parent[MD_EID_SIZE], old_id[MD_EID_SIZE], old_parent[MD_EID_SIZE];
    unsigned kind = eid_kind(e->kind);
    md_eid x = { .store = n->guid, .kind = kind, .id = e->id };
    copy_mark copy;

    memset(&nt, 0, sizeof nt);
    md_eid_write(eid, &x);
    o->cbEntryID = MD_EID_SIZE;
    o->lpEntryID = (LPENTRYID)eid;
    o->ulObjType = kind == MD_EID_FOLDER ? MAPI_FOLDER : MAPI_MESSAGE;
    if (e->folder) {
        x = (md_eid){ .store = n->guid, .kind = MD_EID_FOLDER, .id = e->folder };
        md_eid_write(parent, &x);
        o->cbParentID = MD_EID_SIZE;
        o->lpParentID = (LPENTRYID)parent;
    }
    st_id old_folder = 0;
    switch (e->type) {
    case ST_EV_CREATED:
        nt.ulEventType = fnevObjectCreated;
        if (take_copy(n, e->kind, e->id, &copy)) {
            nt.ulEventType = fnevObjectCopied;
            x = (md_eid){ .store = n->guid, .kind = kind, .id = copy.old_id };
            md_eid_write(old_id, &x);
            o->cbOldID = MD_EID_SIZE;
            o->lpOldID = (LPENTRYID)old_id;
            old_folder = copy.old_folder;
        }
        break;
    case ST_EV_MODIFIED: nt.ulEventType = fnevObjectModified; break;
    case ST_EV_DELETED: nt.ulEventType = fnevObjectDeleted; break;
    case ST_EV_MOVED:
        nt.ulEventType = fnevObjectMoved;
        o->cbOldID = MD_EID_SIZE;   /* storage keeps the id: the same entry ID */
        o->lpOldID = (LPENTRYID)eid;
        old_folder = e->old_folder;
        break;
    default:
        return;
    }
    if (old_folder) {
        x = (md_eid){ .store = n->guid, .kind = MD_EID_FOLDER, .id = old_folder };
        md_eid_write(old_parent, &x);
        o->cbOldParentID = MD_EID_SIZE;
        o->lpOldParentID = (LPENTRYID)old_parent;
    }
    notify_key(n, kind, e->id, &nt);
    if (e->folder)
        notify_key(n, MD_EID_FOLDER, e->folder, &nt);
    if (old_folder && old_folder != e->folder)
        notify_key(n, MD_EID_FOLDER, old_folder, &nt);
    notify_key(n, MD_EID_STORE, 0, &nt);
}

/* fnevNewMail for message id in folder, to the folder's and the store's
 * subscribers, with what the message says of itself now. */
static void newmail_event(md_notifier *n, const st_event *e)
{
    st_bag *b = NULL;
    if (st_message_get(n->st, &b, e->id))
        return;   /* gone already: nothing to announce */
    const st_value *cls = st_bag_get(b, PR_MESSAGE_CLASS_W);
    const st_value *flags = st_bag_get(b, PR_MESSAGE_FLAGS);
    const char *c = cls && cls->v.str ? cls->v.str : "";
    int len = MultiByteToWideChar(CP_UTF8, 0, c, -1, NULL, 0);
    WCHAR *wcls = len > 0 ? malloc((size_t)len * sizeof(WCHAR)) : NULL;
    if (wcls)
        MultiByteToWideChar(CP_UTF8, 0, c, -1, wcls, len);

    NOTIFICATION nt;
    BYTE eid[MD_EID_SIZE], parent[MD_EID_SIZE];
    md_eid x = { .store = n->guid, .kind = MD_EID_MESSAGE, .id = e->id };
    memset(&nt, 0, sizeof nt);
    md_eid_write(eid, &x);
    x = (md_eid){ .store = n->guid, .kind = MD_EID_FOLDER, .id = e->folder };
    md_eid_write(parent, &x);
    nt.ulEventType = fnevNewMail;
    nt.info.newmail.cbEntryID = MD_EID_SIZE;
    nt.info.newmail.lpEntryID = (LPENTRYID)eid;
    nt.info.newmail.cbParentID = MD_EID_SIZE;
    nt.info.newmail.lpParentID = (LPENTRYID)parent;
    nt.info.newmail.ulFlags = MAPI_UNICODE;
    nt.info.newmail.lpszMessageClass = (LPTSTR)(wcls ? wcls : L"");
    nt.info.newmail.ulMessageFlags = flags ? (ULONG)flags->v.l : 0;
    notify_key(n, MD_EID_FOLDER, e->folder, &nt);
    notify_key(n, MD_EID_STORE, 0, &nt);
    free(wcls);
    st_bag_free(b);
}

/* fnevObjectModified for a folder whose contents or subfolders changed
 * (counts), to its own, its parent's and the store's subscribers. */
static void folder_modified(md_notifier *n, st_id fid)
{
    st_id parent = 0;
    if (st_folder_parent(n->st, &parent, fid))
        return;   /* deleted since */
    st_event e = { .type = ST_EV_MODIFIED, .kind = ST_JKIND_FOLDER, .id = fid,
        .folder = parent };
    object_event(n, &e);
}

/* Store-wide "reload" after another process wrote the file. */
static void external_event(md_notifier *n)
{
    NOTIFICATION nt;
    BYTE eid[MD_EID_SIZE];
    md_eid x = { .store = n->guid, .kind = MD_EID_STORE, .id = 0 };
    memset(&nt, 0, sizeof nt);
    md_eid_write(eid, &x);
    nt.ulEventType = fnevObjectModified;
    nt.info.obj.cbEntryID = MD_EID_SIZE;
    nt.info.obj.lpEntryID = (LPENTRYID)eid;
    nt.info.obj.ulObjType = MAPI_STORE;
    notify_key(n, MD_EID_STORE, 0, &nt);
}

/* Adds fid to the set touched[0..*n) (capacity cap) unless there. */
static void touch(st_id *touched, size_t *n, size_t cap, st_id fid)
{
    if (!fid)
        return;
    for (size_t i = 0; i < *n; i++)
        if (touched[i] == fid)
            return;
    if (*n < cap)
        touched[(*n)++] = fid;
}

/* md_notify_stop was called: what is left of a batch is not delivered
 * (the store is going; its last release may be waiting for us). */
static int stopping(md_notifier *n)
{
    EnterCriticalSection(&n->lock);
    int stop = n->stop;
    LeaveCriticalSection(&n->lock);
    return stop || md_bg_stopping();
}

static void deliver(md_notifier *n, const st_event *ev, size_t count)
{
    st_id touched[64];
    size_t n_touched = 0;
    for (size_t i = 0; i < count && !stopping(n); i++) {
        const st_event *e = &ev[i];
        switch (e->type) {
        case ST_EV_NEWMAIL:
            newmail_event(n, e);
            break;
        case ST_EV_EXTERNAL:
            external_event(n);
            break;
        default:
            object_event(n, e);
            touch(touched, &n_touched, 64, e->folder);
            touch(touched, &n_touched, 64, e->old_folder);
        }
        if (n_touched == 64) {
            for (size_t j = 0; j < n_touched; j++)
                folder_modified(n, touched[j]);
            n_touched = 0;
        }
    }
    for (size_t j = 0; j < n_touched; j++)
        folder_modified(n, touched[j]);
}

static void notifier_free(md_notifier *n)
{
    if (n->st) {
        st_store_unlisten(n->st, n->token);
        st_store_close(n->st);
    }
    n->sup->lpVtbl->Release(n->sup);
    if (n->thread)
        CloseHandle(n->thread);
    CloseHandle(n->wake);
    CloseHandle(n->ready);
    DeleteCriticalSection(&n->lock);
    free(n->queue);
    free(n->copies);
    free(n->path);
    free(n);
}

static unsigned __stdcall notify_thread(void *arg)
{
    md_notifier *n = arg;
    int code = st_store_open(&n->st, n->path, &n->guid, 0);
    if (!code)
        code = st_store_listen(n->st, &n->token, on_events, n);
    if (code) {
        st_store_close(n->st);
        n->st = NULL;
        n->start_hr = md_hr_from_st(code);
        SetEvent(n->ready);
        return 1;
    }
    n->start_hr = S_OK;
    SetEvent(n->ready);

    for (;;) {
        DWORD w = WaitForSingleObject(n->wake, MD_NOTIFY_POLL_MS);
        int bg_stop = md_bg_stopping();   /* fast shutdown */
        EnterCriticalSection(&n->lock);
        int stop = n->stop || bg_stop, lost = n->lost;
        st_event *batch = n->queue;
        size_t count = n->n_queue;
        n->queue = NULL;
        n->n_queue = n->cap_queue = 0;
        n->lost = 0;
        LeaveCriticalSection(&n->lock);
        if (!stop && count)
            deliver(n, batch, count);
        if (!stop && lost)
            external_event(n);
        free(batch);
        if (stop)
            break;
        if (w == WAIT_TIMEOUT)
            st_store_poll(n->st);   /* what it finds comes back through on_events */
    }
    /* No sink runs on this thread any more: detached is final (a later
     * md_notify_stop comes from another thread and joins). */
    EnterCriticalSection(&n->lock);
    int detached = n->detached;
    LeaveCriticalSection(&n->lock);
    md_bg_leave();   /* the registry sets n->wake no more */
    if (detached)
        notifier_free(n);   /* stopped from a sink on this thread: md_bg_reap joins us */
    return 0;
}

HRESULT md_notify_start(md_notifier **out, const char *path, const st_guid *guid,
    LPMAPISUP sup)
{
    *out = NULL;
    md_notifier *n = calloc(1, sizeof *n);
    if (!n)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    n->path = _strdup(path);
    n->wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    n->ready = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!n->path || !n->wake || !n->ready) {
        if (n->wake)
            CloseHandle(n->wake);
        if (n->ready)
            CloseHandle(n->ready);
        free(n->path);
        free(n);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    InitializeCriticalSection(&n->lock);
    n->guid = *guid;
    n->sup = sup;
    sup->lpVtbl->AddRef(sup);
    unsigned tid = 0;
    n->thread = (HANDLE)_beginthreadex(NULL, 0, notify_thread, n, 0, &tid);
    if (!n->thread) {
        notifier_free(n);
        return MAPI_E_CALL_FAILED;
    }
    n->tid = tid;
    md_bg_add(NULL, n->thread, tid, n->wake);   /* its stopper is md_notify_stop */
    WaitForSingleObject(n->ready, INFINITE);
    if (n->start_hr != S_OK) {
        HRESULT hr = n->start_hr;
        WaitForSingleObject(n->thread, INFINITE);
        md_bg_remove(tid);
        notifier_free(n);
        return hr;
    }
    *out = n;
    return S_OK;
}

void md_notify_stop(md_notifier *n)
{
    if (!n)
        return;
    EnterCriticalSection(&n->lock);
    n->stop = 1;
    n->detached = GetCurrentThreadId() == n->tid;
    int detached = n->detached;
    LeaveCriticalSection(&n->lock);
    SetEvent(n->wake);
    if (detached)
        return;   /* we are the thread: it frees n when this call returns to it */
    WaitForSingleObject(n->thread, INFINITE);
    md_bg_remove(n->tid);
    notifier_free(n);
}

int md_notify_copied(md_notifier *n, int kind, st_id new_id, st_id old_id, st_id old_folder)
{
    if (!n)
        return 0;
    EnterCriticalSection(&n->lock);
    if (n->n_copies >= MD_NOTIFY_MAX_COPIES) {
        /* Marks of transactions that failed are never taken: drop the
         * oldest half (their objects are announced as created). */
        size_t half = n->n_copies / 2;
        memmove(n->copies, n->copies + half, (n->n_copies - half) * sizeof *n->copies);
        n->n_copies -= half;
    }
    int code = grow((void **)&n->copies, &n->cap_copies, n->n_copies, sizeof *n->copies);
    if (!code)
        n->copies[n->n_copies++] = (copy_mark){ kind, new_id, old_id, old_folder };
    LeaveCriticalSection(&n->lock);
    return code;
}


/* ---- Advise / Unadvise */

HRESULT md_notify_advise(md_store *s, ULONG cb, LPENTRYID eid, ULONG mask,
    LPMAPIADVISESINK sink, ULONG *conn)
{
    eid_key key;
    md_eid e;

    if (conn)
        *conn = 0;
    if (!sink || !conn || !mask)
        return MAPI_E_INVALID_PARAMETER;
    if (!eid) {
        if (cb)
            return MAPI_E_INVALID_ENTRYID;
        make_key(&key, &s->guid, MD_EID_STORE, 0);
    } else {
        HRESULT hr = md_eid_parse(&e, cb, eid);
        if (hr != S_OK)
            return hr;
        if (st_guid_compare(&e.store, &s->guid) != 0)
            return MAPI_E_INVALID_ENTRYID;
        make_key(&key, &s->guid, e.kind, e.id);
    }
    if (!s->notify)
        return MAPI_E_NO_SUPPORT;   /* the notifier did not start (see md_store_create) */
    return s->sup->lpVtbl->Subscribe(s->sup, (LPNOTIFKEY)&key, mask, 0, sink, conn);
}

HRESULT md_notify_unadvise(md_store *s, ULONG conn)
{
    if (!conn)
        return MAPI_E_INVALID_PARAMETER;
    return s->sup->lpVtbl->Unsubscribe(s->sup, conn);
}
