/*
 * table.c: IMAPITable over a storage table (st_table): contents, associated
 * contents and hierarchy tables of a folder, every method. Storage does the
 * rows, sorts, categories, restrictions, positions and bookmarks; this file
 * checks MAPI's arguments, converts (restrict.h, propconv.h) and computes
 * per row what storage cannot know:
 *   PR_ENTRYID, PR_RECORD_KEY (where storage has none: the entry ID),
 *   PR_OBJECT_TYPE   from the object id in PR_INSTANCE_KEY's first 8 bytes
 *                    (little-endian st_id; top bit set: a category header,
 *                    which has none of these);
 *   PR_PARENT_ENTRYID from PR_PARENT_SOURCE_KEY (22 bytes, the last 6 the
 *                    folder's id, little-endian), so rows of a search folder
 *                    name the message's own folder, not the table's;
 *   PR_STORE_ENTRYID, PR_STORE_RECORD_KEY  the store's (computed once);
 *   PR_FOLDER_TYPE   hierarchy rows: FOLDER_SEARCH when storage has search
 *                    criteria for the folder, else FOLDER_GENERIC.
 * PR_INSTANCE_KEY and PR_PARENT_SOURCE_KEY are added to the columns asked of
 * storage behind the caller's back when needed and never shown.
 *
 * Threads and locks. Every st_table call, and the conversion of its rows,
 * is made under md_store.lock (a CRITICAL_SECTION, recursive). Table
 * notifications: at the first Advise the table registers a listener with
 * st_store_listen and starts one delivery thread.
 * - The listener runs on whichever thread commits (Outlook's, the sync
 *   thread, another st_store handle), with storage's bus mutex held and
 *   possibly while that thread holds the store lock. It takes NO lock and
 *   calls no storage: it only sets an auto-reset event. So it can never wait
 *   for a lock held by a thread that waits for the bus mutex.
 * - The delivery thread waits for the event, takes the store lock, drains
 *   st_table_notifications and converts the rows, releases the store lock,
 *   copies the advise sinks (AddRef'd) under sink_lock, releases it, and
 *   only then calls IMAPIAdviseSink::OnNotify: no lock of ours is held
 *   while the application runs, so a sink may call back into the table or
 *   the store (even Release the table: then the thread frees it itself).
 * - Release stops it: unlisten (under the store lock: after it returns no
 *   listener call is in flight, the bus mutex guarantees it), then sets
 *   `stop`, wakes the thread and joins it holding no lock, then closes the
 *   storage table under the store lock. The object count drops when the
 *   memory is freed. The thread is registered with shutdown.h: Logoff and
 *   fast shutdown end its loop (Release still joins it), and when it frees
 *   the table itself md_bg_reap joins it.
 * Lock order, when two are held: md_store.lock, then sink_lock, then (inside
 * storage calls) the bus mutex. A thread with its own st_store handle takes
 * the bus mutex without ours, and under it our listener takes nothing: no
 * cycle. op_lock (below) is a leaf: nothing else is taken under it.
 *
 * Asynchronous operations. SortTable, Restrict and SetColumns with
 * TBL_ASYNC check and convert their arguments in the call, then hand the
 * work to a thread of their own (one per operation, at most one per table
 * at a time, registered with shutdown.h) and return. The thread takes the
 * store lock, makes the storage call and, for a sort or a restriction,
 * reads the first row (TBL_NOADVANCE): that is where storage pays for a
 * new order or filter (the scan of a sort by a property of the blob, a
 * restriction no index serves), so the caller's next QueryRows is quick.
 * It works on the store's handle under the store lock (store.h), which it
 * holds for the whole storage call: other calls on the store wait for it
 * as they would for the same call made synchronously; Abort, GetStatus and
 * WaitForCompletion never take that lock.
 * Meanwhile GetStatus says TBLSTAT_SORTING / RESTRICTING / SETTING_COLS,
 * then TBLSTAT_COMPLETE, or *_ERROR when it failed (GetLastError with that
 * HRESULT gives storage's message). Every other method (but GetStatus,
 * Abort, WaitForCompletion, GetLastError, Advise, Unadvise and IUnknown)
 * first waits for the operation under way (settle), so what it sees is
 * always the finished table. Abort sets a flag the storage cancel hook
 * (st_table_cancel_hook) reads inside SQLite, so the scan stops within a
 * few thousand SQLite steps; the thread then puts the previous sort or
 * restriction back (a storage call without a scan) and Abort returns S_OK,
 * or MAPI_E_UNABLE_TO_ABORT when the operation had already finished. As
 * after any SortTable / Restrict, the cursor and bookmarks are at the
 * beginning and the collapse state back to its default. Fast shutdown
 * raises the same stop (md_bg_stopping: it stops the threads before it
 * takes any store lock), so it returns within MD_BG_STOP_MS however big
 * the folder; Logoff (md_store_stop, msgstore.c) takes the store lock
 * first, so it waits for the storage call under way to end (a first sort
 * by a blob string of 1M rows: about 300 ms) and stops the thread after.
 * The end is told to the
 * advise sinks as TABLE_SORT_DONE / TABLE_RESTRICT_DONE / TABLE_SETCOL_DONE
 * or TABLE_ERROR (hResult the failure; an aborted operation tells nothing):
 * the thread queues the event under sink_lock and wakes the delivery
 * thread, so sinks are called only from there (one thread calls sinks, and
 * Unadvise's wait for a delivery under way stays simple). The state (the
 * operation, its arguments, the status) is under op_lock, with op_idle
 * signalled when an operation ends. Without TBL_ASYNC (TBL_BATCH alone
 * too), after Logoff, or when no thread can be made, the same work runs in
 * the call. The in-memory tables (memtable.c: receive folders, outgoing
 * queue, recipients, attachments) stay synchronous: their work is instant.
 *
 * ExpandRow returns the first ulRowCount rows that appeared, found by a
 * walk of the visible rows from the beginning (storage has no seek to an
 * instance key), so it costs in proportion to the header's position.
 * Never: call storage without the store lock, call a sink with a lock held,
 * let a bookmark MAPI gives reach storage unchecked, or Release a table
 * while holding the store lock (Release joins the delivery thread, which
 * may be waiting for that lock).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>

#include "provider/entryid.h"
#include "provider/folderops.h"
#include "provider/mapiprop.h"
#include "provider/object.h"
#include "provider/restrict.h"
#include "provider/shutdown.h"
#include "provider/table.h"
#include "storage/strutil.h"
#include "provider/sinklist.h"
#include "storage/table.h"

#define MAX_COLUMNS 4096u   /* SetColumns bound (Outlook asks for about 40) */
#define MAX_DONE 16u        /* ends of operations waiting for the delivery thread
                               (more: the last is replaced by the newest) */

typedef struct md_table {
    IMAPITable iface;          /* first: an IMAPITable * is an md_table * */
    LONG refs;
    md_store *store;           /* AddRef'd */
    st_table *t;               /* owned; used under store->lock */
    int kind;                  /* ST_TABLE_* */
    st_id fid;                 /* the folder */
    ULONG flags;               /* MAPI_UNICODE from Get*Table */
    /* Columns (under store->lock). */
    ULONG *cols;               /* the caller's tags, as given */
    ULONG n_cols;
    uint32_t *st_cols;         /* asked of storage: cols, then hidden ones */
    size_t n_st;
    size_t ik_col;             /* PR_INSTANCE_KEY in st_cols */
    size_t psk_col;            /* PR_PARENT_SOURCE_KEY in st_cols, or SIZE_MAX */
    st_sortset *sort;          /* current sort, NULL: the default */
    st_bookmark *bms;          /* live bookmarks (checked before storage sees one) */
    size_t n_bms, cap_bms;
    BYTE *store_eid;           /* wrapped store entry ID (malloc'd) */
    ULONG cb_store_eid;
    BYTE store_key[16];        /* PR_STORE_RECORD_KEY */
    /* Notifications. */
    CRITICAL_SECTION sink_lock;   /* guards sinks and delivering */
    md_sinklist sinks;
    int delivering;            /* the delivery thread holds copies of the sinks */
    int listening;             /* listener registered (under store->lock) */
    uint64_t token;            /* its st_store_listen token */
    HANDLE wake;               /* auto-reset event the listener sets */
    HANDLE thread;             /* delivery thread, or NULL */
    DWORD thread_id;
    volatile LONG stop;        /* 1: the delivery thread must end */
    volatile LONG free_on_exit;   /* 1: the last Release came from the delivery thread */
    ULONG done_ev[MAX_DONE];   /* TABLE_*_DONE / TABLE_ERROR to deliver (sink_lock) */
    HRESULT done_hr[MAX_DONE];   /* their hResult */
    size_t n_done;
    /* Asynchronous operations (under op_lock unless said). */
    CRITICAL_SECTION op_lock;  /* a leaf */
    CONDITION_VARIABLE op_idle;   /* signalled when an operation ends */
    struct md_tjob *job;       /* the operation queued or running, or NULL */
    ULONG op_status;           /* TBLSTAT_COMPLETE or the last one's *_ERROR */
    HRESULT op_hr;             /* the last one's failure */
    char op_msg[256];          /* its message (GetLastError) */
    int op_aborted;            /* the last one ended by Abort */
    volatile LONG cancel;      /* Abort asked (read by the cancel hook, no lock) */
    HANDLE worker;             /* the last operation's thread, until joined */
    DWORD worker_id;
    st_restriction *res;       /* the restriction in force (copy; store->lock) */
} md_table;

static md_table *impl(IMAPITable *iface)
{
    return (md_table *)iface;
}

static void lock(md_table *tb)
{
    EnterCriticalSection(&tb->store->lock);
}

static void unlock(md_table *tb)
{
    LeaveCriticalSection(&tb->store->lock);
}

/* Storage codes as a table method reports them. */
static HRESULT hr_from_st(int code)
{
    switch (code) {
    case ST_ELIMIT: return MAPI_E_TOO_COMPLEX;
    case ST_ERROR: return MAPI_E_CALL_FAILED;
    default: return md_hr_from_st(code);
    }
}

/* What storage refuses in a restriction or a sort: too complex for it. */
static HRESULT hr_refused(int code)
{
    return code == ST_ERROR ? MAPI_E_TOO_COMPLEX : hr_from_st(code);
}

static int string_type(ULONG t)
{
    return t == PT_UNICODE || t == PT_STRING8;
}

/* ---- Columns */

static size_t find_tag(const uint32_t *tags, size_t n, uint32_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (tags[i] == tag)
            return i;
    return SIZE_MAX;
}

/* Sets the caller's columns (under the lock): storage gets them plus the
 * hidden ones. */
static HRESULT set_columns(md_table *tb, const ULONG *tags, ULONG n)
{
    size_t n_st = n;
    uint32_t *st_cols = malloc(((size_t)n + 2) * sizeof *st_cols);
    ULONG *cols = malloc((n ? n : 1) * sizeof *cols);
    if (!st_cols || !cols) {
        free(st_cols);
        free(cols);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy(cols, tags, (size_t)n * sizeof *cols);
    int want_parent = 0;
    for (ULONG i = 0; i < n; i++) {
        st_cols[i] = tags[i];
        if (PROP_ID(tags[i]) == PROP_ID(PR_PARENT_ENTRYID))
            want_parent = 1;
    }
    size_t ik = find_tag(st_cols, n_st, PR_INSTANCE_KEY);
    if (ik == SIZE_MAX) {
        ik = n_st;
        st_cols[n_st++] = PR_INSTANCE_KEY;
    }
    size_t psk = SIZE_MAX;
    if (want_parent) {
        psk = find_tag(st_cols, n_st, PR_PARENT_SOURCE_KEY);
        if (psk == SIZE_MAX) {
            psk = n_st;
            st_cols[n_st++] = PR_PARENT_SOURCE_KEY;
        }
    }
    int code = st_table_set_columns(tb->t, st_cols, n_st);
    if (code) {
        free(st_cols);
        free(cols);
        return code == ST_ERROR ? MAPI_E_INVALID_PARAMETER : hr_from_st(code);
    }
    free(tb->st_cols);
    free(tb->cols);
    tb->st_cols = st_cols;
    tb->n_st = n_st;
    tb->cols = cols;
    tb->n_cols = n;
    tb->ik_col = ik;
    tb->psk_col = psk;
    return S_OK;
}

/* ---- Rows towards MAPI */

/* The object id of a row (0: a category header or no key). */
static st_id row_id(const md_table *tb, const st_row *r)
{
    if (tb->ik_col >= r->n)
        return 0;
    const st_value *v = &r->vals[tb->ik_col];
    if (PROP_TYPE(v->tag) != PT_BINARY || v->v.bin.len < 8)
        return 0;
    st_id id = 0;
    for (int i = 0; i < 8; i++)
        id |= (st_id)v->v.bin.data[i] << (8 * i);
    return id >> 63 ? 0 : id;
}

/* The folder holding the row's object, from PR_PARENT_SOURCE_KEY. */
static st_id row_parent(const md_table *tb, const st_row *r)
{
    if (tb->psk_col < r->n) {
        const st_value *v = &r->vals[tb->psk_col];
        if (PROP_TYPE(v->tag) == PT_BINARY && v->v.bin.len == 22) {
            st_id id = 0;
            for (int i = 0; i < 6; i++)
                id |= (st_id)v->v.bin.data[16 + i] << (8 * i);
            if (id)
                return id;
        }
    }
    return tb->fid;
}

/* What the provider computes for column tag of row r: 1 with *v set (a
 * view into eid / tb, or a value), 0 when it computes nothing. Under the
 * store lock. */
static int computed(const md_table *tb, const st_row *r, ULONG tag, st_value *v,
    BYTE eid[MD_EID_SIZE])
{
    st_id id = row_id(tb, r);
    int hier = tb->kind == ST_TABLE_HIERARCHY;
    md_eid e = { .store = tb->store->guid, .kind = hier ? MD_EID_FOLDER : MD_EID_MESSAGE };

    switch (PROP_ID(tag)) {
    case PROP_ID(PR_ENTRYID):
    case PROP_ID(PR_RECORD_KEY):
        if (!id)
            return 0;
        e.id = id;
        md_eid_write(eid, &e);
        *v = st_view_bin(PR_ENTRYID, eid, MD_EID_SIZE);
        return 1;
    case PROP_ID(PR_PARENT_ENTRYID):
        if (!id)
            return 0;
        e.kind = MD_EID_FOLDER;
        e.id = row_parent(tb, r);
        md_eid_write(eid, &e);
        *v = st_view_bin(PR_PARENT_ENTRYID, eid, MD_EID_SIZE);
        return 1;
    case PROP_ID(PR_STORE_ENTRYID):
        *v = st_view_bin(PR_STORE_ENTRYID, tb->store_eid, tb->cb_store_eid);
        return 1;
    case PROP_ID(PR_STORE_RECORD_KEY):
        *v = st_view_bin(PR_STORE_RECORD_KEY, tb->store_key, 16);
        return 1;
    case PROP_ID(PR_OBJECT_TYPE):
        if (!id)
            return 0;
        *v = st_view_long(PR_OBJECT_TYPE, hier ? MAPI_FOLDER : MAPI_MESSAGE);
        return 1;
    case PROP_ID(PR_FOLDER_TYPE):   /* a search folder has criteria (a small query) */
        if (!hier || !id)
            return 0;
        *v = st_view_long(PR_FOLDER_TYPE,
            st_search_get(tb->store->st, id, NULL, NULL, NULL, NULL) == 0
                ? FOLDER_SEARCH : FOLDER_GENERIC);
        return 1;
    default:
        return 0;
    }
}

static void error_value(SPropValue *out, ULONG tag, SCODE err)
{
    out->ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tag));
    out->dwAlignPad = 0;
    out->Value.err = err;
}

/* One storage row -> out->cValues / out->lpProps: a new buffer chain, or
 * with parent memory off parent. */
static HRESULT row_to_mapi(const md_table *tb, const st_row *r, SRow *out, void *parent)
{
    const md_alloc *a = &tb->store->alloc;
    SPropValue *props = NULL;
    HRESULT hr = S_OK;
    ULONG size = (ULONG)((tb->n_cols ? tb->n_cols : 1) * sizeof *props);

    out->ulAdrEntryPad = 0;
    out->cValues = 0;
    out->lpProps = NULL;
    if ((parent ? a->more(size, parent, (void **)&props) : a->buffer(size, (void **)&props))
        != S_OK || !props)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (ULONG i = 0; hr == S_OK && i < tb->n_cols; i++) {
        ULONG tag = tb->cols[i];
        ULONG want = tag;
        if ((PROP_TYPE(tag) & MVI_FLAG) == MVI_FLAG)   /* one value per row */
            want = tag & ~(ULONG)MVI_FLAG;
        const st_value *sv = i < r->n ? &r->vals[i] : NULL;
        st_value cv;
        BYTE eid[MD_EID_SIZE];
        if ((!sv || PROP_TYPE(sv->tag) == PT_ERROR) && computed(tb, r, tag, &cv, eid))
            sv = &cv;
        if (!sv) {
            error_value(&props[i], tag, MAPI_E_NOT_FOUND);
        } else if (PROP_TYPE(sv->tag) == PT_ERROR) {
            error_value(&props[i], tag, sv->v.err);
        } else {
            hr = md_value_to_mapi(&props[i], want, sv, tb->flags, parent ? parent : props, a);
            if (hr == MAPI_E_INVALID_TYPE) {   /* held with another type */
                error_value(&props[i], tag, MAPI_E_NOT_FOUND);
                hr = S_OK;
            }
        }
    }
    if (hr != S_OK) {
        if (!parent)
            a->free(props);
        return hr;
    }
    out->cValues = tb->n_cols;
    out->lpProps = props;
    return S_OK;
}

static void free_rowset(const md_alloc *a, SRowSet *rs)
{
    if (!rs)
        return;
    for (ULONG i = 0; i < rs->cRows; i++)
        a->free(rs->aRow[i].lpProps);
    a->free(rs);
}

/* n storage rows -> a new SRowSet (each row's props its own buffer, as
 * FreeProws expects). */
static HRESULT rows_to_mapi(const md_table *tb, const st_row *rows, size_t n, SRowSet **out)
{
    const md_alloc *a = &tb->store->alloc;
    SRowSet *rs = NULL;

    *out = NULL;
    if (a->buffer((ULONG)CbNewSRowSet(n ? n : 1), (void **)&rs) != S_OK || !rs)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    rs->cRows = 0;
    for (size_t i = 0; i < n; i++) {
        HRESULT hr = row_to_mapi(tb, &rows[i], &rs->aRow[i], NULL);
        if (hr != S_OK) {
            free_rowset(a, rs);
            return hr;
        }
        rs->cRows++;
    }
    *out = rs;
    return S_OK;
}

/* ---- Bookmarks the caller holds */

static int bookmark_known(const md_table *tb, BOOKMARK b)
{
    if (b == BOOKMARK_BEGINNING || b == BOOKMARK_CURRENT || b == BOOKMARK_END)
        return 1;
    for (size_t i = 0; i < tb->n_bms; i++)
        if (tb->bms[i] == b)
            return 1;
    return 0;
}

static int bookmark_add(md_table *tb, st_bookmark b)
{
    st_bookmark *p = st_grow(tb->bms, &tb->cap_bms, tb->n_bms, sizeof *p, 8);
    if (!p)
        return -1;
    tb->bms = p;
    tb->bms[tb->n_bms++] = b;
    return 0;
}

/* ---- Notifications */

/* The storage listener: see the top comment; sets the event, nothing else. */
static void on_store_events(void *ctx, const st_event *ev, size_t n)
{
    md_table *tb = ctx;
    for (size_t i = 0; i < n; i++) {
        if (tb->kind == ST_TABLE_HIERARCHY || ev[i].type == ST_EV_EXTERNAL
            || ev[i].folder == tb->fid || ev[i].old_folder == tb->fid) {
            SetEvent(tb->wake);
            return;
        }
    }
}

static HRESULT key_value(SPropValue *out, const uint8_t key[8], void *parent, const md_alloc *a)
{
    st_value v = st_view_bin(PR_INSTANCE_KEY, key, 8);
    return md_value_to_mapi(out, PR_INSTANCE_KEY, &v, 0, parent, a);
}

/* Storage notifications -> one NOTIFICATION array, one buffer chain (the
 * rows' props hang off the array). Under the store lock. */
static HRESULT notifs_to_mapi(const md_table *tb, const st_table_notif *ns, size_t n,
    NOTIFICATION **out)
{
    const md_alloc *a = &tb->store->alloc;
    NOTIFICATION *arr = NULL;
    HRESULT hr = S_OK;

    *out = NULL;
    if (a->buffer((ULONG)(n * sizeof *arr), (void **)&arr) != S_OK || !arr)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memset(arr, 0, n * sizeof *arr);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        TABLE_NOTIFICATION *tn = &arr[i].info.tab;
        arr[i].ulEventType = fnevTableModified;
        tn->ulTableEvent = ns[i].type;
        tn->hResult = S_OK;
        tn->propIndex.ulPropTag = PR_NULL;
        tn->propPrior.ulPropTag = PR_NULL;
        if (ns[i].type == TABLE_RELOAD || ns[i].type == TABLE_CHANGED)
            continue;
        hr = key_value(&tn->propIndex, ns[i].key, arr, a);
        if (hr == S_OK && ns[i].has_prior)
            hr = key_value(&tn->propPrior, ns[i].prior_key, arr, a);
        if (hr == S_OK && ns[i].type != TABLE_ROW_DELETED)
            hr = row_to_mapi(tb, &ns[i].row, &tn->row, arr);
    }
    if (hr != S_OK) {
        a->free(arr);
        return hr;
    }
    *out = arr;
    return S_OK;
}

/* Calls every sink with the n notifications of arr (no lock held on
 * entry); frees arr. */
static void call_sinks(md_table *tb, NOTIFICATION *arr, size_t n)
{
    EnterCriticalSection(&tb->sink_lock);
    size_t ns_count = tb->sinks.n;
    IMAPIAdviseSink **sinks = ns_count ? calloc(ns_count, sizeof *sinks) : NULL;
    if (sinks)
        for (size_t i = 0; i < ns_count; i++) {
            sinks[i] = tb->sinks.v[i].sink;
            sinks[i]->lpVtbl->AddRef(sinks[i]);
        }
    tb->delivering = sinks != NULL;
    LeaveCriticalSection(&tb->sink_lock);
    for (size_t i = 0; sinks && i < ns_count; i++) {
        sinks[i]->lpVtbl->OnNotify(sinks[i], (ULONG)n, arr);
        sinks[i]->lpVtbl->Release(sinks[i]);
    }
    EnterCriticalSection(&tb->sink_lock);
    tb->delivering = 0;
    LeaveCriticalSection(&tb->sink_lock);
    free(sinks);
    tb->store->alloc.free(arr);
}

/* The ends of asynchronous operations queued by run_job, to the sinks. */
static void deliver_done(md_table *tb)
{
    ULONG ev[MAX_DONE];
    HRESULT hrs[MAX_DONE];
    NOTIFICATION *arr = NULL;

    EnterCriticalSection(&tb->sink_lock);
    size_t n = tb->n_done;
    memcpy(ev, tb->done_ev, n * sizeof *ev);
    memcpy(hrs, tb->done_hr, n * sizeof *hrs);
    tb->n_done = 0;
    LeaveCriticalSection(&tb->sink_lock);
    if (!n || tb->store->alloc.buffer((ULONG)(n * sizeof *arr), (void **)&arr) != S_OK || !arr)
        return;
    memset(arr, 0, n * sizeof *arr);
    for (size_t i = 0; i < n; i++) {
        arr[i].ulEventType = fnevTableModified;
        arr[i].info.tab.ulTableEvent = ev[i];
        arr[i].info.tab.hResult = hrs[i];
        arr[i].info.tab.propIndex.ulPropTag = PR_NULL;
        arr[i].info.tab.propPrior.ulPropTag = PR_NULL;
    }
    call_sinks(tb, arr, n);
}

/* One delivery: drain, convert, call the sinks (no lock held). */
static void deliver(md_table *tb)
{
    st_table_notif *ns = NULL;
    size_t n = 0;
    NOTIFICATION *arr = NULL;

    lock(tb);
    int code = st_table_notifications(tb->t, &ns, &n);
    if (code || (n && notifs_to_mapi(tb, ns, n, &arr) != S_OK)) {
        /* Storage failed or memory ran out: what changed is unknown, so
         * tell the sinks to reload. */
        static const st_table_notif reload = { .type = TABLE_RELOAD };
        st_table_notifs_free(ns, n);
        ns = NULL;
        n = 1;
        if (notifs_to_mapi(tb, &reload, 1, &arr) != S_OK)
            n = 0;
    }
    unlock(tb);
    st_table_notifs_free(ns, ns ? n : 0);
    if (!arr || !n)
        return;
    call_sinks(tb, arr, n);
}

/* The table's memory, storage table and references; after the thread ended. */
static void destroy(md_table *tb)
{
    md_store *s = tb->store;

    lock(tb);
    st_table_close(tb->t);
    unlock(tb);
    md_sinks_clear(&tb->sinks);
    DeleteCriticalSection(&tb->sink_lock);
    DeleteCriticalSection(&tb->op_lock);
    st_res_free(tb->res);
    if (tb->wake)
        CloseHandle(tb->wake);
    st_sortset_free(tb->sort);
    free(tb->bms);
    free(tb->cols);
    free(tb->st_cols);
    free(tb->store_eid);
    free(tb);
    s->iface.lpVtbl->Release(&s->iface);
    md_object_destroyed();
}

static DWORD WINAPI delivery_thread(void *arg)
{
    md_table *tb = arg;
    while (!tb->stop && !md_bg_stopping()) {
        WaitForSingleObject(tb->wake, INFINITE);
        if (tb->stop || md_bg_stopping())
            break;
        deliver_done(tb);
        if (tb->stop || md_bg_stopping())
            break;
        deliver(tb);
    }
    md_bg_leave();   /* before destroy closes tb->wake */
    if (tb->free_on_exit) {   /* released by a sink on this thread */
        CloseHandle(tb->thread);
        destroy(tb);
    }
    return 0;
}

/* Listener and delivery thread, at the first Advise (under both locks). */
static HRESULT start_notifications(md_table *tb)
{
    if (tb->thread)
        return S_OK;
    if (!tb->wake && !(tb->wake = CreateEventW(NULL, FALSE, FALSE, NULL)))
        return MAPI_E_CALL_FAILED;
    int code = st_store_listen(tb->store->st, &tb->token, on_store_events, tb);
    if (code)
        return hr_from_st(code);
    tb->listening = 1;
    tb->thread = CreateThread(NULL, 0, delivery_thread, tb, 0, &tb->thread_id);
    if (!tb->thread) {
        st_store_unlisten(tb->store->st, tb->token);
        tb->listening = 0;
        return MAPI_E_CALL_FAILED;
    }
    md_bg_add(tb->store, tb->thread, tb->thread_id, tb->wake);
    return S_OK;
}

/* ---- Asynchronous operations (see the top comment) */

enum { OP_SORT = 1, OP_RESTRICT, OP_SETCOLS };

/* An operation and its arguments, converted in the call (owned). */
typedef struct md_tjob {
    int kind;                  /* OP_* */
    st_sortset *sort;          /* OP_SORT: the new sort, NULL: the default */
    st_restriction *res;       /* OP_RESTRICT: the new one, NULL: none */
    ULONG *cols;               /* OP_SETCOLS: the caller's tags */
    ULONG n_cols;
} md_tjob;

static void job_clear(md_tjob *j)
{
    st_sortset_free(j->sort);
    st_res_free(j->res);
    free(j->cols);
}

static void job_free(md_tjob *j)
{
    if (j)
        job_clear(j);
    free(j);
}

static const struct {
    ULONG running, error, done;
} op_states[] = {
    [OP_SORT] = { TBLSTAT_SORTING, TBLSTAT_SORT_ERROR, TABLE_SORT_DONE },
    [OP_RESTRICT] = { TBLSTAT_RESTRICTING, TBLSTAT_RESTRICT_ERROR, TABLE_RESTRICT_DONE },
    [OP_SETCOLS] = { TBLSTAT_SETTING_COLS, TBLSTAT_SETCOL_ERROR, TABLE_SETCOL_DONE },
};

/* The table's status (under op_lock). */
static ULONG op_status(const md_table *tb)
{
    return tb->job ? op_states[tb->job->kind].running : tb->op_status;
}

/* Waits until no operation is queued or running (under op_lock, which the
 * wait releases), at most timeout_ms (INFINITE: no limit): 1 when none is. */
static int op_wait_idle(md_table *tb, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    while (tb->job) {
        DWORD left = INFINITE;
        if (timeout_ms != INFINITE) {
            DWORD spent = GetTickCount() - start;
            if (spent >= timeout_ms)
                break;
            left = timeout_ms - spent;
        }
        SleepConditionVariableCS(&tb->op_idle, &tb->op_lock, left);
    }
    return tb->job == NULL;
}

/* The door of every method that reads or changes the table: the operation
 * under way, if any, finishes first. No lock of ours may be held. */
static void settle(md_table *tb)
{
    EnterCriticalSection(&tb->op_lock);
    op_wait_idle(tb, INFINITE);
    LeaveCriticalSection(&tb->op_lock);
}

/* Joins the thread of the last operation (ended: settle first). */
static void join_worker(md_table *tb)
{
    EnterCriticalSection(&tb->op_lock);
    HANDLE h = tb->worker;
    DWORD id = tb->worker_id;
    tb->worker = NULL;
    LeaveCriticalSection(&tb->op_lock);
    if (h) {
        WaitForSingleObject(h, INFINITE);   /* past run_job: about to return */
        md_bg_remove(id);
        CloseHandle(h);
    }
}

/* The storage cancel hook: Abort, Logoff or fast shutdown asked. Inside
 * SQLite, under the store lock: reads flags only (md_bg_stopping takes
 * the registry's leaf lock to read). */
static int op_cancelled(void *ctx)
{
    md_table *tb = ctx;
    return InterlockedCompareExchange(&tb->cancel, 0, 0) != 0
        || InterlockedCompareExchange(&tb->store->stopping, 0, 0) != 0 || md_bg_stopping();
}

/* The first row read without moving the cursor: storage does the work of a
 * new sort or restriction now (under the lock). */
static int prime(md_table *tb)
{
    st_row *rows = NULL;
    size_t n = 0;
    int code = st_table_query_rows(tb->t, &rows, &n, 1, TBL_NOADVANCE);
    st_rows_free(rows, n);
    return code;
}

static void undo_sort(md_table *tb)
{
    st_table_sort(tb->t, tb->sort);
}

static void undo_restrict(md_table *tb)
{
    st_table_restrict(tb->t, tb->res);
}

/* After storage took a new sort or restriction (under the lock), async
 * only: its first row read under the cancel hook; a failure or a cancel
 * puts the previous one back with undo (no scan: storage reads lazily),
 * keeping the failure's message. */
static HRESULT prime_async(md_table *tb, int async, void (*undo)(md_table *))
{
    if (!async)
        return S_OK;
    st_table_cancel_hook(tb->t, op_cancelled, tb);
    int code = prime(tb);
    if (!code && op_cancelled(tb)) {
        st_error_set("table: operation aborted");
        code = ST_ERROR;
    }
    st_table_cancel_hook(tb->t, NULL, NULL);
    if (!code)
        return S_OK;
    char msg[256];
    snprintf(msg, sizeof msg, "%s", st_error_last());
    undo(tb);
    st_error_set("%s", msg);
    return hr_from_st(code);
}

/* SortTable's work (under the lock): s is taken (NULL: the default order). */
static HRESULT do_sort(md_table *tb, st_sortset *s, int async)
{
    st_sortset *keep = NULL;
    if (s && !(keep = st_sortset_copy(s))) {
        st_sortset_free(s);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    int code = st_table_sort(tb->t, s);
    st_sortset_free(s);
    HRESULT hr = code ? hr_refused(code) : prime_async(tb, async, undo_sort);
    if (hr != S_OK) {
        st_sortset_free(keep);
        return hr;
    }
    st_sortset_free(tb->sort);
    tb->sort = keep;
    return S_OK;
}

/* Restrict's work, as do_sort: r is taken (NULL: none). */
static HRESULT do_restrict(md_table *tb, st_restriction *r, int async)
{
    int code = st_table_restrict(tb->t, r);
    HRESULT hr = code ? hr_refused(code) : prime_async(tb, async, undo_restrict);
    if (hr != S_OK) {
        st_res_free(r);
        return hr;
    }
    st_res_free(tb->res);
    tb->res = r;
    return S_OK;
}

/* The work of j (its arguments taken from it), under the store lock. */
static HRESULT apply(md_table *tb, md_tjob *j, int async)
{
    HRESULT hr;
    if (j->kind == OP_SORT) {
        hr = do_sort(tb, j->sort, async);
        j->sort = NULL;
    } else if (j->kind == OP_RESTRICT) {
        hr = do_restrict(tb, j->res, async);
        j->res = NULL;
    } else {
        hr = set_columns(tb, j->cols, j->n_cols);
    }
    return hr;
}

/* Runs job j asynchronously (see the top comment) and frees it. */
static HRESULT run_job(md_table *tb, md_tjob *j)
{
    HRESULT hr = MAPI_E_USER_CANCEL;   /* aborted before it began: nothing changed */
    lock(tb);
    if (!op_cancelled(tb))
        hr = apply(tb, j, 1);
    if (hr != S_OK && op_cancelled(tb))
        hr = MAPI_E_USER_CANCEL;
    char msg[sizeof tb->op_msg];
    snprintf(msg, sizeof msg, "%s", hr == MAPI_E_USER_CANCEL ? "table: operation aborted"
        : st_error_last());
    unlock(tb);
    /* The end to the sinks (not for an abort), by the delivery thread. */
    EnterCriticalSection(&tb->sink_lock);
    if (hr != MAPI_E_USER_CANCEL && tb->thread && tb->sinks.n) {
        size_t i = tb->n_done < MAX_DONE ? tb->n_done++ : MAX_DONE - 1;
        tb->done_ev[i] = hr == S_OK ? op_states[j->kind].done : TABLE_ERROR;
        tb->done_hr[i] = hr;
        SetEvent(tb->wake);
    }
    LeaveCriticalSection(&tb->sink_lock);
    EnterCriticalSection(&tb->op_lock);
    tb->op_aborted = hr == MAPI_E_USER_CANCEL;
    tb->op_status = hr == S_OK || tb->op_aborted ? TBLSTAT_COMPLETE : op_states[j->kind].error;
    tb->op_hr = hr;
    memcpy(tb->op_msg, msg, sizeof msg);
    if (tb->job == j)
        tb->job = NULL;
    WakeAllConditionVariable(&tb->op_idle);
    LeaveCriticalSection(&tb->op_lock);
    job_free(j);
    return hr;
}

static DWORD WINAPI op_thread(void *arg)
{
    md_table *tb = arg;
    EnterCriticalSection(&tb->op_lock);
    md_tjob *j = tb->job;
    LeaveCriticalSection(&tb->op_lock);
    run_job(tb, j);
    md_bg_leave();   /* it has no wake event; the table joins it (join_worker) */
    return 0;
}

/* Starts job j (taken) on a thread of its own, after the operation under
 * way; runs it in the call when the store is logged off or no thread can
 * be made. S_OK once it is started (or its result when run here). */
static HRESULT op_start(md_table *tb, md_tjob *j)
{
    for (;;) {   /* the last one ended and its thread joined (another
                    thread may start one meanwhile: then again) */
        EnterCriticalSection(&tb->op_lock);
        op_wait_idle(tb, INFINITE);
        if (!tb->worker) {
            tb->job = j;
            InterlockedExchange(&tb->cancel, 0);
            LeaveCriticalSection(&tb->op_lock);
            break;
        }
        LeaveCriticalSection(&tb->op_lock);
        join_worker(tb);
    }

    lock(tb);
    int logged_off = tb->store->logged_off;
    unlock(tb);
    DWORD id = 0;
    HANDLE th = logged_off ? NULL : CreateThread(NULL, 0, op_thread, tb, CREATE_SUSPENDED, &id);
    if (!th)
        return run_job(tb, j);
    EnterCriticalSection(&tb->op_lock);
    tb->worker = th;
    tb->worker_id = id;
    LeaveCriticalSection(&tb->op_lock);
    md_bg_add(tb->store, th, id, NULL);
    ResumeThread(th);
    return S_OK;
}

/* SortTable, Restrict, SetColumns once their arguments are converted
 * (job: taken): with TBL_ASYNC on a thread, else here, after the
 * operation under way; one that succeeds here leaves the status complete
 * (a past asynchronous failure is forgotten). */
static HRESULT op_run(md_table *tb, ULONG flags, md_tjob job)
{
    md_tjob *j = malloc(sizeof *j);
    if (!j) {
        job_clear(&job);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *j = job;
    if (flags & TBL_ASYNC)
        return op_start(tb, j);
    settle(tb);
    lock(tb);
    HRESULT hr = apply(tb, j, 0);
    unlock(tb);
    job_free(j);
    if (hr == S_OK) {
        EnterCriticalSection(&tb->op_lock);
        tb->op_status = TBLSTAT_COMPLETE;
        LeaveCriticalSection(&tb->op_lock);
    }
    return hr;
}

/* Abort, and the last Release: the operation under way stops (cancel
 * flag) and its thread is joined. Whether it was aborted: 1, or 0 when
 * it finished first, -1 when none was under way. */
static int op_abort(md_table *tb)
{
    EnterCriticalSection(&tb->op_lock);
    int running = tb->job != NULL;
    if (running)
        InterlockedExchange(&tb->cancel, 1);
    op_wait_idle(tb, INFINITE);
    int aborted = tb->op_aborted;
    LeaveCriticalSection(&tb->op_lock);
    join_worker(tb);
    return running ? aborted : -1;
}

/* ---- IUnknown */

static HRESULT STDMETHODCALLTYPE table_QueryInterface(IMAPITable *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMAPITable };
    return md_query_interface(iface, riid, out, iids, 1);
}

static ULONG STDMETHODCALLTYPE table_AddRef(IMAPITable *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE table_Release(IMAPITable *iface)
{
    md_table *tb = impl(iface);
    ULONG n = md_ref_release(&tb->refs);
    if (n)
        return n;
    op_abort(tb);   /* an operation under way stops first */
    lock(tb);
    if (tb->listening)
        st_store_unlisten(tb->store->st, tb->token);   /* no listener call after this */
    tb->listening = 0;
    unlock(tb);
    if (tb->thread) {
        InterlockedExchange(&tb->stop, 1);
        if (GetCurrentThreadId() == tb->thread_id) {
            /* A sink released us from OnNotify: the thread frees the table
             * when OnNotify returns. */
            InterlockedExchange(&tb->free_on_exit, 1);
            return 0;
        }
        SetEvent(tb->wake);
        WaitForSingleObject(tb->thread, INFINITE);
        md_bg_remove(tb->thread_id);
        CloseHandle(tb->thread);
    }
    destroy(tb);
    return 0;
}

/* ---- IMAPITable */

static HRESULT STDMETHODCALLTYPE table_GetLastError(IMAPITable *iface, HRESULT hr, ULONG flags,
    LPMAPIERROR *error)
{
    MD_SHUT_GATE();
    md_table *tb = impl(iface);
    EnterCriticalSection(&tb->op_lock);   /* an asynchronous failure: its message */
    if (!tb->job && hr != S_OK && hr == tb->op_hr && tb->op_msg[0])
        st_error_set("%s", tb->op_msg);
    LeaveCriticalSection(&tb->op_lock);
    return md_prop_last_error(&tb->store->alloc, hr, flags, error);
}

static HRESULT STDMETHODCALLTYPE table_Advise(IMAPITable *iface, ULONG mask,
    LPMAPIADVISESINK sink, ULONG *conn)
{
    MD_SHUT_GATE();
    md_table *tb = impl(iface);
    HRESULT hr = md_table_advise_check(mask, sink, conn);

    if (hr != S_OK)
        return hr;
    lock(tb);
    EnterCriticalSection(&tb->sink_lock);
    hr = start_notifications(tb);
    if (hr == S_OK)
        hr = md_sinks_add(&tb->sinks, sink, conn);
    LeaveCriticalSection(&tb->sink_lock);
    unlock(tb);
    return hr;
}

/* After Unadvise returns the sink hears nothing more: a delivery under way
 * on the delivery thread is waited for (unless this is that thread, a
 * sink unadvising itself from OnNotify). */
static HRESULT STDMETHODCALLTYPE table_Unadvise(IMAPITable *iface, ULONG conn)
{
    md_table *tb = impl(iface);

    EnterCriticalSection(&tb->sink_lock);
    IMAPIAdviseSink *sink = md_sinks_remove(&tb->sinks, conn);
    while (sink && tb->delivering && GetCurrentThreadId() != tb->thread_id) {
        LeaveCriticalSection(&tb->sink_lock);
        Sleep(1);
        EnterCriticalSection(&tb->sink_lock);
    }
    LeaveCriticalSection(&tb->sink_lock);
    if (!sink)
        return MAPI_E_NOT_FOUND;
    sink->lpVtbl->Release(sink);   /* no lock held: it may be the application's last */
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE table_GetStatus(IMAPITable *iface, ULONG *status, ULONG *type)
{
    MD_SHUT_GATE();
    md_table *tb = impl(iface);
    HRESULT hr = md_table_status(status, type);
    if (hr != S_OK)
        return hr;
    EnterCriticalSection(&tb->op_lock);
    *status = op_status(tb);
    LeaveCriticalSection(&tb->op_lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE table_SetColumns(IMAPITable *iface, LPSPropTagArray tags,
    ULONG flags)
{
    MD_SHUT_GATE();
    md_table *tb = impl(iface);

    if (!tags || tags->cValues == 0 || tags->cValues > MAX_COLUMNS)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)(TBL_ASYNC | TBL_BATCH))
        return MAPI_E_UNKNOWN_FLAGS;
    for (ULONG i = 0; i < tags->cValues; i++) {
        ULONG t = PROP_TYPE(tags->aulPropTag[i]);
        if (t != PT_UNSPECIFIED && !st_proptype_valid(t & ~(ULONG)MV_INSTANCE))
            return MAPI_E_INVALID_TYPE;
    }
    md_tjob j = { .kind = OP_SETCOLS, .n_cols = tags->cValues };
    if (!(j.cols = malloc(tags->cValues * sizeof *j.cols)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(j.cols, tags->aulPropTag, tags->cValues * sizeof *j.cols);
    return op_run(tb, flags, j);
}

/* Tags offered beyond the current columns by QueryColumns(TBL_ALL_COLUMNS):
 * what storage keeps or computes for every message / folder, and ours. */
static const ULONG all_message_cols[] = {
    PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_SEARCH_KEY, PR_SOURCE_KEY,
    PR_PARENT_ENTRYID, PR_PARENT_SOURCE_KEY, PR_CHANGE_KEY, PR_STORE_ENTRYID,
    PR_STORE_RECORD_KEY, PR_OBJECT_TYPE, PR_MESSAGE_CLASS_W, PR_SUBJECT_W,
    PR_NORMALIZED_SUBJECT_W, PR_SUBJECT_PREFIX_W, PR_CONVERSATION_TOPIC_W,
    PR_SENDER_NAME_W, PR_SENT_REPRESENTING_NAME_W, PR_DISPLAY_TO_W, PR_DISPLAY_CC_W,
    PR_MESSAGE_DELIVERY_TIME, PR_CLIENT_SUBMIT_TIME, PR_LAST_MODIFICATION_TIME,
    PR_CREATION_TIME, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_HASATTACH, PR_IMPORTANCE,
    PR_PRIORITY, PR_SENSITIVITY, PR_ICON_INDEX, PR_FLAG_STATUS, PR_MSG_STATUS,
    PR_ROW_TYPE, PR_DEPTH, PR_INSTANCE_NUM, PR_CONTENT_COUNT, PR_CONTENT_UNREAD,
};
static const ULONG all_folder_cols[] = {
    PR_ENTRYID, PR_INSTANCE_KEY, PR_RECORD_KEY, PR_SOURCE_KEY, PR_PARENT_ENTRYID,
    PR_PARENT_SOURCE_KEY, PR_CHANGE_KEY, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY,
    PR_OBJECT_TYPE, PR_FOLDER_TYPE, PR_DISPLAY_NAME_W, PR_CONTAINER_CLASS_W,
    PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT, PR_FOLDER_CHILD_COUNT,
    PR_SUBFOLDERS, PR_DEPTH,
};

static HRESULT STDMETHODCALLTYPE table_QueryColumns(IMAPITable *iface, ULONG flags,
    LPSPropTagArray *out)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    const md_alloc *a = &tb->store->alloc;
    int hier = tb->kind == ST_TABLE_HIERARCHY;
    const ULONG *extra = hier ? all_folder_cols : all_message_cols;
    size_t n_extra = hier ? sizeof all_folder_cols / sizeof *extra
                          : sizeof all_message_cols / sizeof *extra;
    SPropTagArray *arr = NULL;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(ULONG)TBL_ALL_COLUMNS)
        return MAPI_E_UNKNOWN_FLAGS;
    if (!(flags & TBL_ALL_COLUMNS))
        n_extra = 0;
    lock(tb);
    size_t max = tb->n_cols + n_extra;
    if (a->buffer((ULONG)CbNewSPropTagArray(max ? max : 1), (void **)&arr) != S_OK || !arr) {
        unlock(tb);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    ULONG n = 0;
    for (ULONG i = 0; i < tb->n_cols; i++)
        arr->aulPropTag[n++] = tb->cols[i];
    unlock(tb);
    for (size_t i = 0; i < n_extra; i++) {
        ULONG tag = extra[i];
        if (string_type(PROP_TYPE(tag)) && !(tb->flags & MAPI_UNICODE))
            tag = CHANGE_PROP_TYPE(tag, PT_STRING8);
        int dup = 0;
        for (ULONG j = 0; j < n && !dup; j++)
            dup = PROP_ID(arr->aulPropTag[j]) == PROP_ID(tag);
        if (!dup)
            arr->aulPropTag[n++] = tag;
    }
    arr->cValues = n;
    *out = arr;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE table_GetRowCount(IMAPITable *iface, ULONG flags, ULONG *count)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    uint32_t n = 0;

    if (!count)
        return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    lock(tb);
    int code = st_table_count(tb->t, &n);
    unlock(tb);
    if (code)
        return hr_from_st(code);
    *count = n;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE table_SeekRow(IMAPITable *iface, BOOKMARK origin, LONG rows,
    LONG *sought)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    long got = 0;

    if (sought)
        *sought = 0;
    lock(tb);
    int code = bookmark_known(tb, origin) ? st_table_seek(tb->t, origin, rows, &got)
                                         : ST_ENOTFOUND;
    unlock(tb);
    if (code == ST_ENOTFOUND)
        return MAPI_E_INVALID_BOOKMARK;
    if (code)
        return hr_from_st(code);
    if (sought)
        *sought = (LONG)got;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE table_SeekRowApprox(IMAPITable *iface, ULONG num, ULONG den)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);

    if (den == 0)
        return MAPI_E_INVALID_PARAMETER;
    if (num > den)
        num = den;   /* past the end is the end */
    lock(tb);
    int code = st_table_seek_approx(tb->t, num, den);
    unlock(tb);
    return code ? hr_from_st(code) : S_OK;
}

static HRESULT STDMETHODCALLTYPE table_QueryPosition(IMAPITable *iface, ULONG *row, ULONG *num,
    ULONG *den)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    uint32_t r = 0, n = 0, d = 0;

    if (!row || !num || !den)
        return MAPI_E_INVALID_PARAMETER;
    lock(tb);
    int code = st_table_position(tb->t, &r, &n, &d);
    unlock(tb);
    if (code)
        return hr_from_st(code);
    *row = r;
    *num = n;
    *den = d;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE table_FindRow(IMAPITable *iface, LPSRestriction res,
    BOOKMARK origin, ULONG flags)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    st_restriction *r = NULL;

    if (!res)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)DIR_BACKWARD)
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = md_res_from_mapi(&r, res);
    if (hr != S_OK)
        return hr;
    lock(tb);
    int code;
    if (!bookmark_known(tb, origin))
        hr = MAPI_E_INVALID_BOOKMARK;
    else if ((code = st_table_find_row(tb->t, r, origin, flags)) != 0)
        hr = hr_from_st(code);
    unlock(tb);
    st_res_free(r);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_Restrict(IMAPITable *iface, LPSRestriction res,
    ULONG flags)
{
    MD_SHUT_GATE();
    md_table *tb = impl(iface);
    st_restriction *r = NULL;

    if (flags & ~(ULONG)(TBL_ASYNC | TBL_BATCH))
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = md_res_from_mapi(&r, res);
    if (hr != S_OK)
        return hr;
    return op_run(tb, flags, (md_tjob){ .kind = OP_RESTRICT, .res = r });
}

static HRESULT STDMETHODCALLTYPE table_CreateBookmark(IMAPITable *iface, BOOKMARK *out)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    st_bookmark b = 0;
    HRESULT hr = S_OK;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = 0;
    lock(tb);
    int code = st_table_bookmark_create(tb->t, &b);
    if (code) {
        hr = hr_from_st(code);
    } else if (bookmark_add(tb, b)) {
        st_table_bookmark_free(tb->t, b);
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    unlock(tb);
    if (hr == S_OK)
        *out = b;
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_FreeBookmark(IMAPITable *iface, BOOKMARK b)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    HRESULT hr = MAPI_E_INVALID_BOOKMARK;

    if (b == BOOKMARK_BEGINNING || b == BOOKMARK_CURRENT || b == BOOKMARK_END)
        return S_OK;   /* the predefined ones are never freed */
    lock(tb);
    for (size_t i = 0; i < tb->n_bms; i++) {
        if (tb->bms[i] == b) {
            st_table_bookmark_free(tb->t, b);
            tb->bms[i] = tb->bms[--tb->n_bms];
            hr = S_OK;
            break;
        }
    }
    unlock(tb);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_SortTable(IMAPITable *iface, LPSSortOrderSet sort,
    ULONG flags)
{
    MD_SHUT_GATE();
    md_table *tb = impl(iface);
    st_sortset *s = NULL;

    if (!sort)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)(TBL_ASYNC | TBL_BATCH))
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = md_sort_from_mapi(&s, sort);
    if (hr != S_OK)
        return hr;
    if (s->n == 0) {   /* no keys: the default order */
        st_sortset_free(s);
        s = NULL;
    }
    return op_run(tb, flags, (md_tjob){ .kind = OP_SORT, .sort = s });
}

static HRESULT STDMETHODCALLTYPE table_QuerySortOrder(IMAPITable *iface, LPSSortOrderSet *out)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    lock(tb);
    HRESULT hr = md_sort_to_mapi(out, tb->sort, &tb->store->alloc);
    unlock(tb);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_QueryRows(IMAPITable *iface, LONG count, ULONG flags,
    LPSRowSet *out)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    st_row *rows = NULL;
    size_t n = 0;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(ULONG)TBL_NOADVANCE)
        return MAPI_E_UNKNOWN_FLAGS;
    lock(tb);
    int code = count ? st_table_query_rows(tb->t, &rows, &n, count, flags) : 0;
    HRESULT hr = code ? hr_from_st(code) : rows_to_mapi(tb, rows, n, out);
    unlock(tb);
    st_rows_free(rows, n);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_Abort(IMAPITable *iface)
{
    MD_SHUT_GATE();
    return op_abort(impl(iface)) == 0 ? MAPI_E_UNABLE_TO_ABORT : S_OK;
}

/* An instance key of a header row: exactly 8 bytes. */
static int header_key(ULONG cb, const BYTE *key)
{
    return key && cb == 8;
}

/* Whether row r is the one with instance key key. */
static int row_has_key(const md_table *tb, const st_row *r, const BYTE key[8])
{
    const st_value *v = tb->ik_col < r->n ? &r->vals[tb->ik_col] : NULL;
    return v && PROP_TYPE(v->tag) == PT_BINARY && v->v.bin.len == 8
        && memcmp(v->v.bin.data, key, 8) == 0;
}

/* Up to want rows right after the (visible) row with instance key key, the
 * cursor left where it was. Storage has no seek to a key: the visible rows
 * are walked from the beginning, in batches, like its own categorized
 * backward reads. Under the lock. ST_ENOTFOUND when the key is not shown. */
#define WALK_BATCH 256
static int rows_after_key(md_table *tb, const BYTE key[8], size_t want, st_row **out,
    size_t *n_out)
{
    st_bookmark saved = 0;
    st_row *got = NULL, *batch = NULL;
    size_t n_got = 0, n_batch = 0;
    int found = 0;

    *out = NULL;
    *n_out = 0;
    int code = st_table_bookmark_create(tb->t, &saved);
    if (code)
        return code;
    if (want && !(got = calloc(want, sizeof *got)))
        code = ST_ERROR;
    if (!code)
        code = st_table_seek(tb->t, BOOKMARK_BEGINNING, 0, NULL);
    while (!code && n_got < want) {
        code = st_table_query_rows(tb->t, &batch, &n_batch, found ? (long)(want - n_got)
            : WALK_BATCH, 0);
        if (code || n_batch == 0)
            break;
        for (size_t i = 0; i < n_batch; i++) {
            if (found && n_got < want) {
                got[n_got++] = batch[i];   /* moved: the batch's slot is emptied */
                memset(&batch[i], 0, sizeof batch[i]);
            } else if (!found && row_has_key(tb, &batch[i], key)) {
                found = 1;
            }
        }
        st_rows_free(batch, n_batch);
        batch = NULL;
    }
    int back = st_table_seek(tb->t, saved, 0, NULL);
    st_table_bookmark_free(tb->t, saved);
    if (!code && !found)
        code = ST_ENOTFOUND;
    if (!code)
        code = back;
    if (code) {
        st_rows_free(got, n_got);
        return code;
    }
    *out = got;
    *n_out = n_got;
    return 0;
}

static HRESULT STDMETHODCALLTYPE table_ExpandRow(IMAPITable *iface, ULONG cb, LPBYTE key,
    ULONG max_rows, ULONG flags, LPSRowSet *rows, ULONG *more)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    st_row *got = NULL;
    size_t n_got = 0;
    uint32_t n = 0;

    if (rows)
        *rows = NULL;
    if (more)
        *more = 0;
    if (!header_key(cb, key) || (max_rows && !rows))
        return MAPI_E_INVALID_PARAMETER;
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    lock(tb);
    int code = st_table_expand(tb->t, key, &n);
    if (!code && rows && max_rows && n)
        code = rows_after_key(tb, key, max_rows < n ? max_rows : n, &got, &n_got);
    HRESULT hr = code ? hr_from_st(code) : S_OK;
    if (hr == S_OK && rows)
        hr = rows_to_mapi(tb, got, n_got, rows);
    unlock(tb);
    st_rows_free(got, n_got);
    if (hr == S_OK && more)
        *more = n - (ULONG)n_got;
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_CollapseRow(IMAPITable *iface, ULONG cb, LPBYTE key,
    ULONG flags, ULONG *count)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    uint32_t n = 0;

    if (count)
        *count = 0;
    if (!header_key(cb, key) || !count)
        return MAPI_E_INVALID_PARAMETER;
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    lock(tb);
    int code = st_table_collapse(tb->t, key, &n);
    unlock(tb);
    if (code)
        return hr_from_st(code);
    *count = n;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE table_WaitForCompletion(IMAPITable *iface, ULONG flags,
    ULONG timeout, ULONG *status)
{
    MD_SHUT_GATE();
    md_table *tb = impl(iface);

    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    EnterCriticalSection(&tb->op_lock);
    int idle = op_wait_idle(tb, timeout);   /* 0xFFFFFFFF: INFINITE */
    ULONG st = op_status(tb);
    LeaveCriticalSection(&tb->op_lock);
    if (status)
        *status = st;
    return idle ? S_OK : MAPI_E_TIMEOUT;
}

static HRESULT STDMETHODCALLTYPE table_GetCollapseState(IMAPITable *iface, ULONG flags,
    ULONG cb, LPBYTE key, ULONG *cb_state, LPBYTE *state)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    uint8_t *blob = NULL;
    size_t len = 0;
    void *buf = NULL;

    if (!cb_state || !state)
        return MAPI_E_INVALID_PARAMETER;
    *cb_state = 0;
    *state = NULL;
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    if ((cb && !key) || (key && cb != 8 && cb != 12))   /* header / leaf / MV leaf key */
        return MAPI_E_INVALID_PARAMETER;
    lock(tb);
    int code = st_table_collapse_state_get(tb->t, &blob, &len, cb ? key : NULL);
    unlock(tb);
    if (code)
        return code == ST_ENOTFOUND ? MAPI_E_NOT_FOUND : hr_from_st(code);
    HRESULT hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (len <= 0x7FFFFFFF && tb->store->alloc.buffer((ULONG)(len ? len : 1), &buf) == S_OK
        && buf) {
        memcpy(buf, blob, len);
        *cb_state = (ULONG)len;
        *state = buf;
        hr = S_OK;
    }
    free(blob);
    return hr;
}

static HRESULT STDMETHODCALLTYPE table_SetCollapseState(IMAPITable *iface, ULONG flags,
    ULONG cb, LPBYTE state, BOOKMARK *out)
{
    MD_SHUT_GATE();
    settle(impl(iface));
    md_table *tb = impl(iface);
    st_bookmark b = BOOKMARK_BEGINNING;
    HRESULT hr = S_OK;

    if (!out || !state || !cb)
        return MAPI_E_INVALID_PARAMETER;
    *out = BOOKMARK_BEGINNING;
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    lock(tb);
    int code = st_table_collapse_state_set(tb->t, &b, state, cb);
    if (code) {
        hr = code == ST_ERROR ? MAPI_E_INVALID_PARAMETER : hr_from_st(code);
    } else if (b > BOOKMARK_END && bookmark_add(tb, b)) {
        st_table_bookmark_free(tb->t, b);
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    unlock(tb);
    if (hr == S_OK)
        *out = b;
    return hr;
}

static const IMAPITableVtbl table_vtbl = {
    table_QueryInterface, table_AddRef, table_Release,
    table_GetLastError, table_Advise, table_Unadvise, table_GetStatus, table_SetColumns,
    table_QueryColumns, table_GetRowCount, table_SeekRow, table_SeekRowApprox,
    table_QueryPosition, table_FindRow, table_Restrict, table_CreateBookmark,
    table_FreeBookmark, table_SortTable, table_QuerySortOrder, table_QueryRows, table_Abort,
    table_ExpandRow, table_CollapseRow, table_WaitForCompletion, table_GetCollapseState,
    table_SetCollapseState,
};

/* The sort SaveContentsSort kept on folder fid (PR_MAPIDAV_CONTENTS_SORT,
 * layout in folderops.h), or NULL: none, or bytes that are not one (a bad
 * blob is ignored: the table opens in the default order). Under s->lock. */
static st_sortset *saved_sort(md_store *s, st_id fid)
{
    st_bag *b = NULL;
    if (st_folder_get(s->st, &b, fid))
        return NULL;
    const st_value *v = st_bag_get(b, PR_MAPIDAV_CONTENTS_SORT);
    st_sortset *ss = NULL;
    if (v && PROP_TYPE(v->tag) == PT_BINARY && v->v.bin.len >= 12) {
        const uint8_t *p = v->v.bin.data;
        uint32_t w[3];
        for (int i = 0; i < 3; i++)
            w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8
                | (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
        if (w[0] && w[0] <= MD_SORT_MAX_KEYS && v->v.bin.len == 12 + (size_t)w[0] * 8
            && (ss = st_sortset_new(w[0]))) {
            ss->n_categories = w[1];
            ss->n_expanded = w[2];
            for (uint32_t i = 0; i < w[0]; i++) {
                const uint8_t *q = p + 12 + (size_t)i * 8;
                ss->orders[i].tag = (uint32_t)q[0] | (uint32_t)q[1] << 8
                    | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
                ss->orders[i].order = (uint32_t)q[4] | (uint32_t)q[5] << 8
                    | (uint32_t)q[6] << 16 | (uint32_t)q[7] << 24;
            }
            if (st_sortset_check(ss)) {
                st_sortset_free(ss);
                ss = NULL;
            }
        }
    }
    st_bag_free(b);
    return ss;
}

HRESULT md_table_open(md_store *s, st_id fid, int kind, ULONG flags, IMAPITable **out)
{
    ULONG str = flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8;
    const ULONG contents_cols[] = { PR_ENTRYID, PR_INSTANCE_KEY,
        CHANGE_PROP_TYPE(PR_SUBJECT_W, str), PR_MESSAGE_DELIVERY_TIME };
    const ULONG hier_cols[] = { PR_ENTRYID, PR_INSTANCE_KEY,
        CHANGE_PROP_TYPE(PR_DISPLAY_NAME_W, str), PR_DEPTH };
    LPENTRYID eid = NULL;
    ULONG cb = 0;

    *out = NULL;
    md_table *tb = calloc(1, sizeof *tb);
    if (!tb)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    HRESULT hr = md_store_entryid(s, 1, &cb, &eid);
    if (hr != S_OK) {
        free(tb);
        return hr;
    }
    tb->store_eid = malloc(cb ? cb : 1);
    if (!tb->store_eid) {
        s->alloc.free(eid);
        free(tb);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy(tb->store_eid, eid, cb);
    tb->cb_store_eid = cb;
    s->alloc.free(eid);
    st_guid_to_bytes(tb->store_key, &s->guid);
    tb->iface.lpVtbl = (IMAPITableVtbl *)&table_vtbl;   /* mapidefs.h: not const */
    tb->refs = 1;
    tb->store = s;
    tb->kind = kind;
    tb->fid = fid;
    tb->flags = flags & MAPI_UNICODE;
    InitializeCriticalSection(&tb->sink_lock);
    InitializeCriticalSection(&tb->op_lock);
    InitializeConditionVariable(&tb->op_idle);

    EnterCriticalSection(&s->lock);
    int code = kind == ST_TABLE_HIERARCHY
        ? st_table_open_hierarchy(&tb->t, s->st, fid,
            flags & CONVENIENT_DEPTH ? ST_CONVENIENT_DEPTH : 0)
        : st_table_open(&tb->t, s->st, fid, kind);
    hr = code ? hr_from_st(code) : S_OK;
    if (hr == S_OK)
        hr = kind == ST_TABLE_HIERARCHY ? set_columns(tb, hier_cols, 4)
                                        : set_columns(tb, contents_cols, 4);
    /* SaveContentsSort: a new contents table starts in the folder's saved
     * order (a sort storage refuses leaves the default one) */
    if (hr == S_OK && kind == ST_TABLE_CONTENTS && (tb->sort = saved_sort(s, fid))
        && st_table_sort(tb->t, tb->sort)) {
        st_sortset_free(tb->sort);
        tb->sort = NULL;
    }
    if (hr != S_OK)
        st_table_close(tb->t);
    LeaveCriticalSection(&s->lock);
    if (hr != S_OK) {
        DeleteCriticalSection(&tb->sink_lock);
        DeleteCriticalSection(&tb->op_lock);
        free(tb->cols);
        free(tb->st_cols);
        free(tb->store_eid);
        free(tb);
        return hr;
    }
    s->iface.lpVtbl->AddRef(&s->iface);
    md_object_created();
    *out = &tb->iface;
    return S_OK;
}
