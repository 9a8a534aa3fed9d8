/*
 * folderops.c: IMAPIFolder's folder operations over storage (folderops.h
 * gives the rules: batches under md_store.lock, partial completion,
 * default folders kept, cross-store through IMAPISupport).
 *
 * Search folders are storage's (ST_FOLDER_SEARCH, st_search_set/get:
 * results kept exact in every change's transaction), their restrictions
 * and sorts converted by restrict.h.
 * Never: call MAPI while holding s->lock; trust a count or an entry ID
 * MAPI gives before checking it.
 */
#include <stdlib.h>
#include <string.h>

#include "provider/entryid.h"
#include "provider/folderops.h"
#include "provider/mapiprop.h"
#include "provider/message.h"
#include "provider/notify.h"
#include "provider/receipt.h"
#include "provider/restrict.h"
#include "provider/spooler.h"
#include "storage/strutil.h"

/* ---- Helpers */

/* A string argument (LPTSTR) as malloc'd UTF-8 (md_utf8_from_tstr); NULL
 * stays NULL (*bad 0); *bad 1 when it cannot be converted. */
static char *tstr_utf8(const void *str, ULONG flags, int *bad)
{
    char *out = md_utf8_from_tstr(str, flags);
    *bad = str && !out;
    return out;
}

/* An object id of kind in store s from an entry ID; MAPI_E_INVALID_ENTRYID
 * for anything else. */
static HRESULT own_id(md_store *s, ULONG cb, const ENTRYID *eid, unsigned kind, st_id *out)
{
    return md_eid_own_id(&s->guid, cb, eid, kind, out);
}

/* The destination folder of a copy or move: iid (NULL or IID_IMAPIFolder)
 * and the object. *local 1 with *fid when it is a folder of this store
 * (read from its PR_ENTRYID: any folder object, ours or wrapped by MAPI),
 * 0 when it belongs to another store or provider. */
static HRESULT dest_folder(md_store *s, LPCIID iid, void *dest, int *local, st_id *fid)
{
    *local = 0;
    *fid = 0;
    if (!dest)
        return MAPI_E_INVALID_PARAMETER;
    if (iid && !IsEqualIID(iid, &IID_IMAPIFolder))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    IMAPIFolder *f = dest;
    SizedSPropTagArray(1, tags) = { 1, { PR_ENTRYID } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = f->lpVtbl->GetProps(f, (LPSPropTagArray)&tags, 0, &n, &v);
    if (FAILED(hr))
        return hr;
    if (n == 1 && v && v[0].ulPropTag == PR_ENTRYID
        && own_id(s, v[0].Value.bin.cb, (LPENTRYID)v[0].Value.bin.lpb, MD_EID_FOLDER, fid)
            == S_OK)
        *local = 1;
    s->alloc.free(v);
    return S_OK;
}

/* dest_folder, and for a folder of another store: MAPI_E_DECLINE_COPY
 * with MAPI_DECLINE_OK, else S_OK with *forward 1 (the caller hands the
 * copy to IMAPISupport). */
static HRESULT local_dest(md_store *s, LPCIID iid, void *dest, ULONG flags, int *forward,
    st_id *fid)
{
    int local = 0;
    *forward = 0;
    HRESULT hr = dest_folder(s, iid, dest, &local, fid);
    if (hr != S_OK || local)
        return hr;
    if (flags & MAPI_DECLINE_OK)
        return MAPI_E_DECLINE_COPY;
    *forward = 1;
    return S_OK;
}

static int is_default(const md_store *s, st_id fid)
{
    for (int i = 0; i < MD_DF_COUNT; i++)
        if (s->fid[i] == fid)
            return 1;
    return 0;
}

/* The progress object of an operation asked with its *_DIALOG flag: the
 * caller's, else MAPI's (mapiprop.h md_progress_open), else NULL (no UI to
 * be had: the work goes on without). */
static LPMAPIPROGRESS progress_open(md_store *s, ULONG ui, LPMAPIPROGRESS given, ULONG dialog)
{
    return md_progress_open(s->sup, ui, given, dialog != 0);
}

/* Ends a transaction of st_store_begin: the commit when code is 0, else
 * the rollback; the result. */
static int end_txn(md_store *s, int code)
{
    if (!code)
        return st_store_commit(s->st);
    st_store_rollback(s->st);
    return code;
}

static HRESULT check_list(const ENTRYLIST *list)
{
    if (!list || (list->cValues && !list->lpbin))
        return MAPI_E_INVALID_PARAMETER;
    return S_OK;
}

/* One operation on a message of the list, under s->lock inside the batch's
 * transaction: 0 done, else failed (skipped). */
typedef int (*msg_op)(md_store *s, st_id fid, st_id mid, void *ctx);

/* Works op over the messages ids[0..n) in batches; *failed counts those
 * that failed (including a batch whose commit failed); progress (NULL:
 * none) hears after each batch. */
static void run_batches(md_store *s, st_id fid, const st_id *ids, size_t n, msg_op op,
    void *ctx, LPMAPIPROGRESS progress, size_t *failed)
{
    for (size_t at = 0; at < n; at += MD_FOLDEROPS_BATCH) {
        size_t end = n - at < MD_FOLDEROPS_BATCH ? n : at + MD_FOLDEROPS_BATCH;
        size_t bad = 0;
        EnterCriticalSection(&s->lock);
        int code = st_store_begin(s->st);
        for (size_t i = at; !code && i < end; i++)
            if (!ids[i] || op(s, fid, ids[i], ctx))
                bad++;
        if (!code)
            code = st_store_commit(s->st);
        LeaveCriticalSection(&s->lock);
        if (code)
            bad = end - at;
        *failed += bad;
        md_progress_step(progress, (ULONG)end, (ULONG)n);
    }
}

/* The message ids of list (0 for an entry that is not one of this store's
 * message IDs): malloc'd, NULL when out of memory. */
static st_id *list_ids(md_store *s, const ENTRYLIST *list)
{
    st_id *ids = calloc(list->cValues ? list->cValues : 1, sizeof *ids);
    if (!ids)
        return NULL;
    for (ULONG i = 0; i < list->cValues; i++)
        own_id(s, list->lpbin[i].cb, (LPENTRYID)list->lpbin[i].lpb, MD_EID_MESSAGE, &ids[i]);
    return ids;
}

/* Is mid a (top-level) message of folder fid? For a search folder, any
 * message of the store: the results are the messages themselves, in their
 * own folders, and what a client does to them there applies to them. */
static int in_folder(md_store *s, st_id fid, st_id mid)
{
    st_id where = 0;
    if (st_message_folder(s->st, &where, mid) || !where)
        return 0;
    return where == fid || st_search_get(s->st, fid, NULL, NULL, NULL, NULL) == 0;
}

static HRESULT partial(size_t failed)
{
    return failed ? MAPI_W_PARTIAL_COMPLETION : S_OK;
}

/* ---- CopyMessages */

typedef struct copy_ctx {
    st_id dest;           /* destination folder */
    int move;             /* MESSAGE_MOVE */
} copy_ctx;

static int copy_one(md_store *s, st_id fid, st_id mid, void *ctx)
{
    copy_ctx *c = ctx;
    if (!in_folder(s, fid, mid))
        return -1;
    if (c->move)
        return st_message_move(s->st, mid, c->dest, 0);
    st_id nid = 0;
    int code = st_message_copy(s->st, &nid, mid, c->dest, 0);
    if (!code)
        md_notify_copied(s->notify, ST_JKIND_MESSAGE, nid, mid, fid);
    return code;
}

HRESULT md_folder_copy_messages(md_store *s, st_id fid, IMAPIFolder *self, LPENTRYLIST list,
    LPCIID iid, LPVOID dest, ULONG ui, LPMAPIPROGRESS progress, ULONG flags)
{
    if (flags & ~(ULONG)(MESSAGE_MOVE | MESSAGE_DIALOG | MAPI_DECLINE_OK))
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = check_list(list);
    if (hr != S_OK)
        return hr;
    int forward = 0;
    st_id dfid = 0;
    hr = local_dest(s, iid, dest, flags, &forward, &dfid);
    if (hr != S_OK || forward)
        return hr != S_OK ? hr : s->sup->lpVtbl->CopyMessages(s->sup, &IID_IMAPIFolder, self,
            list, iid, dest, ui, progress, flags);
    st_id *ids = list_ids(s, list);
    if (!ids)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    copy_ctx c = { .dest = dfid, .move = (flags & MESSAGE_MOVE) != 0 };
    size_t failed = 0;
    if (c.move && dfid == fid) {
        /* Moving onto itself: nothing to do for the messages that are here. */
        EnterCriticalSection(&s->lock);
        for (ULONG i = 0; i < list->cValues; i++)
            if (!ids[i] || !in_folder(s, fid, ids[i]))
                failed++;
        LeaveCriticalSection(&s->lock);
    } else {
        EnterCriticalSection(&s->lock);
        int code = st_folder_counts_get(s->st, &(st_folder_counts){ 0 }, dfid);
        LeaveCriticalSection(&s->lock);
        if (code) {
            free(ids);
            return md_hr_from_st(code);
        }
        LPMAPIPROGRESS prog = progress_open(s, ui, progress, flags & MESSAGE_DIALOG);
        run_batches(s, fid, ids, list->cValues, copy_one, &c, prog, &failed);
        md_progress_close(prog);
    }
    free(ids);
    return partial(failed);
}

/* ---- Nonread reports of messages deleted unread (receipt.h) */

/* Found before the deletion batches, in batches of their own under
 * s->lock, from storage's flags column (st_message_flags: one row read, no
 * property decoded; only a message with MSGFLAG_NRN_PENDING and not
 * MSGFLAG_READ has its properties read), then sent with no lock held
 * (md_receipt_send_nonread). One that fails does not stop the deletion:
 * the user asked for the messages to go (a warning is logged). */
typedef struct nonread_ctx {
    int check_folder;      /* DeleteMessages: only messages in_folder (what delete_one takes) */
    st_id *owed;           /* messages whose nonread report is owed */
    size_t n_owed, cap_owed;
} nonread_ctx;

static int nonread_find(md_store *s, st_id fid, st_id mid, void *ctx)
{
    nonread_ctx *c = ctx;
    int32_t mf = 0;
    st_id where = 0;
    if (st_message_flags(s->st, &mf, &where, mid) || !where
        || !md_receipt_nonread_owed(s, mid, mf)
        || (c->check_folder && where != fid && !in_folder(s, fid, mid)))
        return 0;
    st_id *o = st_grow(c->owed, &c->cap_owed, c->n_owed, sizeof *o, 16);
    if (!o)
        return -1;   /* out of memory: that report is not sent */
    c->owed = o;
    c->owed[c->n_owed++] = mid;
    return 0;
}

/* A store opened with MDB_NO_MAIL sends no report (as md_read_plan_make). */
static int sends_reports(const md_store *s)
{
    return !(s->logon_flags & MDB_NO_MAIL);
}

/* The nonread reports owed by messages ids[0..n) of folder fid, about to
 * be deleted. No lock held. */
static void send_nonread(md_store *s, st_id fid, const st_id *ids, size_t n, int check_folder)
{
    if (!n || !sends_reports(s))
        return;
    nonread_ctx c = { .check_folder = check_folder };
    size_t ignored = 0;   /* an id that is not a message is delete_one's to count */
    run_batches(s, fid, ids, n, nonread_find, &c, NULL, &ignored);
    md_receipt_send_nonread(s, c.owed, c.n_owed);
    free(c.owed);
}

/* The same for every normal message of folder top and the folders below
 * it (a subtree about to be deleted). No lock held. */
static void send_nonread_subtree(md_store *s, st_id top)
{
    if (!sends_reports(s))
        return;
    st_id *todo = malloc(sizeof *todo);
    size_t n_todo = 0, cap = 1;
    if (todo)
        todo[n_todo++] = top;
    while (n_todo) {
        st_id f = todo[--n_todo], *kids = NULL, *ids = NULL;
        size_t nk = 0, n = 0;
        EnterCriticalSection(&s->lock);
        int code = st_folder_children(s->st, &kids, &nk, f);
        if (!code)
            code = st_message_list(s->st, &ids, &n, f, 0);
        LeaveCriticalSection(&s->lock);
        for (size_t i = 0; !code && i < nk; i++) {
            st_id *g = st_grow(todo, &cap, n_todo, sizeof *g, 16);
            if (!g)
                break;
            todo = g;
            todo[n_todo++] = kids[i];
        }
        if (!code)
            send_nonread(s, f, ids, n, 0);
        free(kids);
        free(ids);
    }
    free(todo);
}

/* ---- DeleteMessages */

static int delete_one(md_store *s, st_id fid, st_id mid, void *ctx)
{
    unsigned flags = *(unsigned *)ctx;
    if (!in_folder(s, fid, mid))
        return -1;
    return st_message_delete(s->st, mid, flags);
}

HRESULT md_folder_delete_messages(md_store *s, st_id fid, LPENTRYLIST list, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags)
{
    if (flags & ~(ULONG)(DELETE_HARD_DELETE | MESSAGE_DIALOG))
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = check_list(list);
    if (hr != S_OK)
        return hr;
    st_id *ids = list_ids(s, list);
    if (!ids)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    unsigned sflags = (flags & DELETE_HARD_DELETE) ? ST_HARD_DELETE : 0;
    size_t failed = 0;
    LPMAPIPROGRESS prog = progress_open(s, ui, progress, flags & MESSAGE_DIALOG);
    send_nonread(s, fid, ids, list->cValues, 1);
    run_batches(s, fid, ids, list->cValues, delete_one, &sflags, prog, &failed);
    md_progress_close(prog);
    free(ids);
    return partial(failed);
}

/* ---- CreateFolder */

static int folder_iid_ok(LPCIID iid)
{
    return !iid || IsEqualIID(iid, &IID_IMAPIFolder) || IsEqualIID(iid, &IID_IMAPIContainer)
        || IsEqualIID(iid, &IID_IMAPIProp) || IsEqualIID(iid, &IID_IUnknown);
}

HRESULT md_folder_create_folder(md_store *s, st_id fid, ULONG type, LPTSTR name,
    LPTSTR comment, LPCIID iid, ULONG flags, LPMAPIFOLDER *out)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(ULONG)(MAPI_UNICODE | OPEN_IF_EXISTS | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    if (type != FOLDER_GENERIC && type != FOLDER_SEARCH)
        return MAPI_E_INVALID_PARAMETER;
    if (!folder_iid_ok(iid))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    unsigned sflags = type == FOLDER_SEARCH ? ST_FOLDER_SEARCH : 0;
    int bad_name, bad_comment;
    char *n8 = tstr_utf8(name, flags, &bad_name);
    char *c8 = tstr_utf8(comment, flags, &bad_comment);
    st_bag *b = st_bag_new();
    HRESULT hr = S_OK;
    if (bad_name || bad_comment || !b)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    else if (!n8 || !*n8)
        hr = MAPI_E_INVALID_PARAMETER;   /* a folder needs a name */
    else if (st_bag_set_str(b, PR_DISPLAY_NAME_W, n8)
        || (c8 && *c8 && st_bag_set_str(b, PR_COMMENT_W, c8)))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    st_id nid = 0;
    if (hr == S_OK) {
        EnterCriticalSection(&s->lock);
        int code = st_folder_create(s->st, &nid, fid, b, sflags);
        if (code == ST_EEXISTS && (flags & OPEN_IF_EXISTS))
            code = st_folder_find_by_name(s->st, &nid, fid, n8);
        LeaveCriticalSection(&s->lock);
        hr = md_hr_from_st(code);
    }
    st_bag_free(b);
    free(n8);
    free(c8);
    if (hr != S_OK)
        return hr;
    return md_folder_open(s, nid, out);
}

/* ---- CopyFolder */

HRESULT md_folder_copy_folder(md_store *s, st_id fid, IMAPIFolder *self, ULONG cb,
    LPENTRYID eid, LPCIID iid, LPVOID dest, LPTSTR name, ULONG ui, LPMAPIPROGRESS progress,
    ULONG flags)
{
    if (flags & ~(ULONG)(FOLDER_MOVE | COPY_SUBFOLDERS | FOLDER_DIALOG | MAPI_DECLINE_OK
            | MAPI_UNICODE))
        return MAPI_E_UNKNOWN_FLAGS;
    st_id src = 0;
    HRESULT hr = own_id(s, cb, eid, MD_EID_FOLDER, &src);
    if (hr != S_OK)
        return hr;
    int forward = 0;
    st_id dfid = 0;
    hr = local_dest(s, iid, dest, flags, &forward, &dfid);
    if (hr != S_OK || forward)
        return hr != S_OK ? hr : s->sup->lpVtbl->CopyFolder(s->sup, &IID_IMAPIFolder, self, cb,
            eid, iid, dest, name, ui, progress, flags);
    int bad;
    char *n8 = tstr_utf8(name, flags, &bad);
    if (bad)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (n8 && !*n8) {
        free(n8);
        return MAPI_E_INVALID_PARAMETER;
    }
    int move = (flags & FOLDER_MOVE) != 0;
    st_id parent = 0, nid = 0;
    EnterCriticalSection(&s->lock);
    int code = st_folder_parent(s->st, &parent, src);
    if (!code && parent != fid)
        code = ST_ENOTFOUND;   /* not a subfolder of this folder */
    if (!code)
        code = st_folder_counts_get(s->st, &(st_folder_counts){ 0 }, dfid);
    int cycle = 0;
    if (!code && (move || (flags & COPY_SUBFOLDERS)))
        code = st_folder_within(s->st, &cycle, dfid, src);
    if (!code && move && is_default(s, src))
        hr = MAPI_E_NO_ACCESS;
    else if (!code && cycle)
        hr = MAPI_E_FOLDER_CYCLE;
    else if (!code && move) {
        if (dfid != fid || n8)   /* onto its own parent under its own name: nothing to do */
            code = st_folder_move(s->st, src, dfid, n8, 0);
    } else if (!code) {
        code = st_store_begin(s->st);
        if (!code)
            code = st_folder_copy(s->st, &nid, src, dfid, n8,
                (flags & COPY_SUBFOLDERS) ? ST_RECURSIVE : 0);
        if (!code)
            md_notify_copied(s->notify, ST_JKIND_FOLDER, nid, src, fid);
        code = end_txn(s, code);
    }
    LeaveCriticalSection(&s->lock);
    free(n8);
    LPMAPIPROGRESS prog = progress_open(s, ui, progress, flags & FOLDER_DIALOG);
    md_progress_step(prog, 1, 1);
    md_progress_close(prog);
    return hr != S_OK ? hr : md_hr_from_st(code);
}

/* ---- DeleteFolder */

HRESULT md_folder_delete_folder(md_store *s, st_id fid, ULONG cb, LPENTRYID eid, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags)
{
    if (flags & ~(ULONG)(DEL_MESSAGES | DEL_FOLDERS | FOLDER_DIALOG | DELETE_HARD_DELETE))
        return MAPI_E_UNKNOWN_FLAGS;
    st_id sub = 0;
    HRESULT hr = own_id(s, cb, eid, MD_EID_FOLDER, &sub);
    if (hr != S_OK)
        return hr;
    st_id parent = 0;
    st_folder_counts c;
    /* With DEL_MESSAGES, once the checks pass: the nonread reports of the
     * subtree's messages (no lock held), then the checks again and the
     * deletion. */
    int reports = (flags & DEL_MESSAGES) != 0;
    int code;
    for (;;) {
        EnterCriticalSection(&s->lock);
        code = st_folder_parent(s->st, &parent, sub);
        if (!code && parent != fid)
            code = ST_ENOTFOUND;   /* not a subfolder of this folder */
        if (!code)
            code = st_folder_counts_get(s->st, &c, sub);
        if (!code && is_default(s, sub))
            hr = MAPI_E_NO_ACCESS;
        else if (!code && c.children && !(flags & DEL_FOLDERS))
            hr = MAPI_E_HAS_FOLDERS;
        else if (!code && (c.content || c.assoc) && !(flags & DEL_MESSAGES))
            hr = MAPI_E_HAS_MESSAGES;
        else if (!code && reports) {
            LeaveCriticalSection(&s->lock);
            send_nonread_subtree(s, sub);
            reports = 0;
            continue;
        } else if (!code)   /* DELETE_HARD_DELETE or not, a folder goes for good */
            code = st_folder_delete(s->st, sub, ST_RECURSIVE);
        LeaveCriticalSection(&s->lock);
        break;
    }
    LPMAPIPROGRESS prog = progress_open(s, ui, progress, flags & FOLDER_DIALOG);
    md_progress_step(prog, 1, 1);
    md_progress_close(prog);
    return hr != S_OK ? hr : md_hr_from_st(code);
}

/* ---- SetReadFlags */

/* Each message as IMessage::SetReadFlag treats it (receipt.h). Messages
 * with a read report owed are left to after the batches (IMAPISupport is
 * not called under s->lock): the report is sent, then the flags written;
 * one whose report fails stays unchanged and counts as failed. */
typedef struct read_ctx {
    ULONG flags;           /* the read flags of the call */
    st_id *owed;           /* messages with a read report to send */
    size_t n_owed, cap_owed;
} read_ctx;

/* The plan for message mid (under s->lock): 0 or a storage code. */
static int read_plan_of(md_store *s, st_id mid, ULONG flags, md_read_plan *p)
{
    st_bag *b = NULL;
    int code = st_message_get(s->st, &b, mid);
    if (code)
        return code;
    const st_value *rq = st_bag_get(b, PR_READ_RECEIPT_REQUESTED);
    md_read_plan_make(p, s, flags, md_bag_long(b, PR_MESSAGE_FLAGS), rq && rq->v.b);
    st_bag_free(b);
    return 0;
}

static int read_one(md_store *s, st_id fid, st_id mid, void *ctx)
{
    read_ctx *c = ctx;
    md_read_plan p;
    if (!in_folder(s, fid, mid))
        return -1;
    int code = read_plan_of(s, mid, c->flags, &p);
    if (code || !p.send)
        return code ? code : md_read_plan_apply(s, mid, &p, 0);
    st_id *o = st_grow(c->owed, &c->cap_owed, c->n_owed, sizeof *o, 16);
    if (!o)
        return -1;
    c->owed = o;
    c->owed[c->n_owed++] = mid;
    return 0;
}

/* The read report of message mid, then its flags: 0 done, else failed. */
static int read_owed(md_store *s, st_id mid, ULONG flags)
{
    HRESULT hr = md_receipt_send_id(s, mid, 0);
    if (hr != S_OK)
        return -1;
    md_read_plan p;
    EnterCriticalSection(&s->lock);
    int code = st_store_begin(s->st);
    if (!code)
        code = read_plan_of(s, mid, flags, &p);
    if (!code)
        code = md_read_plan_apply(s, mid, &p, MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING);
    code = end_txn(s, code);
    LeaveCriticalSection(&s->lock);
    return code;
}

HRESULT md_folder_set_read_flags(md_store *s, st_id fid, LPENTRYLIST list, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags)
{
    if (flags & ~(ULONG)(MD_READ_FLAGS | MESSAGE_DIALOG))
        return MAPI_E_UNKNOWN_FLAGS;
    /* The rules of IMessage::SetReadFlag, per message. */
    HRESULT hr = md_read_flags_check(flags & ~(ULONG)MESSAGE_DIALOG);
    if (hr != S_OK)
        return hr;
    if (list && list->cValues && !list->lpbin)
        return MAPI_E_INVALID_PARAMETER;
    st_id *ids = NULL;
    size_t n = 0;
    if (list) {
        ids = list_ids(s, list);
        n = list->cValues;
    } else {
        /* NULL: every (normal) message of the folder. */
        EnterCriticalSection(&s->lock);
        int code = st_message_list(s->st, &ids, &n, fid, 0);
        LeaveCriticalSection(&s->lock);
        if (code)
            return md_hr_from_st(code);
        if (!n)
            return S_OK;
    }
    if (!ids)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    size_t failed = 0;
    read_ctx c = { .flags = flags & ~(ULONG)MESSAGE_DIALOG };
    LPMAPIPROGRESS prog = progress_open(s, ui, progress, flags & MESSAGE_DIALOG);
    run_batches(s, fid, ids, n, read_one, &c, prog, &failed);
    md_progress_close(prog);
    for (size_t i = 0; i < c.n_owed; i++)
        if (read_owed(s, c.owed[i], c.flags))
            failed++;
    free(c.owed);
    free(ids);
    return partial(failed);
}

/* ---- GetMessageStatus / SetMessageStatus */

/* PR_MSG_STATUS of message mid of folder fid (0 when never set). */
static int read_status(md_store *s, st_id fid, st_id mid, ULONG *out)
{
    st_bag *b = NULL;
    *out = 0;
    if (!in_folder(s, fid, mid))
        return ST_ENOTFOUND;
    int code = st_message_get(s->st, &b, mid);
    const st_value *v = code ? NULL : st_bag_get(b, PR_MSG_STATUS);
    if (v)
        *out = (ULONG)v->v.l;
    st_bag_free(b);
    return code;
}

HRESULT md_folder_get_message_status(md_store *s, st_id fid, ULONG cb, LPENTRYID eid,
    ULONG flags, ULONG *status)
{
    if (!status)
        return MAPI_E_INVALID_PARAMETER;
    *status = 0;
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;   /* reserved: must be zero */
    st_id mid = 0;
    HRESULT hr = own_id(s, cb, eid, MD_EID_MESSAGE, &mid);
    if (hr != S_OK)
        return hr;
    EnterCriticalSection(&s->lock);
    int code = read_status(s, fid, mid, status);
    LeaveCriticalSection(&s->lock);
    return md_hr_from_st(code);
}

HRESULT md_folder_set_message_status(md_store *s, st_id fid, ULONG cb, LPENTRYID eid,
    ULONG status, ULONG mask, ULONG *old)
{
    if (old)
        *old = 0;
    st_id mid = 0;
    HRESULT hr = own_id(s, cb, eid, MD_EID_MESSAGE, &mid);
    if (hr != S_OK)
        return hr;
    ULONG cur = 0;
    EnterCriticalSection(&s->lock);
    int code = read_status(s, fid, mid, &cur);
    ULONG next = (cur & ~mask) | (status & mask);
    if (!code && next != cur) {
        st_bag *b = st_bag_new();
        code = !b || st_bag_set_long(b, PR_MSG_STATUS, (int32_t)next) ? ST_ERROR
            : st_message_set_props(s->st, mid, b, NULL, 0, ST_FROM_SERVER);
        st_bag_free(b);
    }
    LeaveCriticalSection(&s->lock);
    if (!code && old)
        *old = cur;
    return md_hr_from_st(code);
}

/* ---- SaveContentsSort */

/* Sets PR_MAPIDAV_CONTENTS_SORT = blob on fid and, with recursive, on
 * every folder below it. Under s->lock, inside a transaction. */
static int save_sort(md_store *s, st_id fid, const st_bag *b, int recursive)
{
    int code = st_folder_set_props(s->st, fid, b, NULL, 0, 0);
    if (code || !recursive)
        return code;
    st_id *kids = NULL;
    size_t n = 0;
    code = st_folder_children(s->st, &kids, &n, fid);
    for (size_t i = 0; !code && i < n; i++)
        code = save_sort(s, kids[i], b, 1);
    free(kids);
    return code;
}

HRESULT md_folder_save_contents_sort(md_store *s, st_id fid, LPSSortOrderSet sort,
    ULONG flags)
{
    if (!sort)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)RECURSIVE_SORT)
        return MAPI_E_UNKNOWN_FLAGS;
    st_sortset *ss = NULL;
    HRESULT hr = md_sort_from_mapi(&ss, sort);
    if (hr != S_OK)
        return hr;
    size_t len = 12 + (size_t)ss->n * 8;
    BYTE *blob = malloc(len);
    st_bag *b = st_bag_new();
    int code = blob && b ? 0 : ST_ERROR;
    if (!code) {
        uint32_t head[3] = { ss->n, ss->n_categories, ss->n_expanded };
        for (size_t i = 0; i < 3; i++)
            for (int k = 0; k < 4; k++)
                blob[i * 4 + k] = (BYTE)(head[i] >> (8 * k));
        for (uint32_t i = 0; i < ss->n; i++)
            for (int k = 0; k < 4; k++) {
                blob[12 + i * 8 + k] = (BYTE)(ss->orders[i].tag >> (8 * k));
                blob[16 + i * 8 + k] = (BYTE)(ss->orders[i].order >> (8 * k));
            }
        code = st_bag_set_bin(b, PR_MAPIDAV_CONTENTS_SORT, blob, len);
    }
    if (!code) {
        EnterCriticalSection(&s->lock);
        code = st_store_begin(s->st);
        if (!code)
            code = save_sort(s, fid, b, (flags & RECURSIVE_SORT) != 0);
        code = end_txn(s, code);
        LeaveCriticalSection(&s->lock);
    }
    st_bag_free(b);
    free(blob);
    st_sortset_free(ss);
    return md_hr_from_st(code);
}

/* ---- EmptyFolder */

HRESULT md_folder_empty(md_store *s, st_id fid, ULONG ui, LPMAPIPROGRESS progress,
    ULONG flags)
{
    if (flags & ~(ULONG)(DEL_ASSOCIATED | FOLDER_DIALOG | DELETE_HARD_DELETE))
        return MAPI_E_UNKNOWN_FLAGS;
    unsigned sflags = (flags & DELETE_HARD_DELETE) ? ST_HARD_DELETE : 0;
    size_t failed = 0;
    LPMAPIPROGRESS prog = progress_open(s, ui, progress, flags & FOLDER_DIALOG);
    for (int assoc = 0; assoc < 2; assoc++) {
        if (assoc && !(flags & DEL_ASSOCIATED))
            break;
        st_id *ids = NULL;
        size_t n = 0;
        EnterCriticalSection(&s->lock);
        int code = st_message_list(s->st, &ids, &n, fid, assoc);
        LeaveCriticalSection(&s->lock);
        if (code) {
            md_progress_close(prog);
            return md_hr_from_st(code);
        }
        if (!assoc)
            send_nonread(s, fid, ids, n, 0);
        run_batches(s, fid, ids, n, delete_one, &sflags, prog, &failed);
        free(ids);
    }
    /* Subfolders, each with everything in it (the nonread reports of
     * their messages first, no lock held); default folders stay. */
    st_id *kids = NULL;
    size_t nk = 0;
    EnterCriticalSection(&s->lock);
    int code = st_folder_children(s->st, &kids, &nk, fid);
    LeaveCriticalSection(&s->lock);
    for (size_t i = 0; !code && i < nk; i++)
        if (!is_default(s, kids[i]))
            send_nonread_subtree(s, kids[i]);
    EnterCriticalSection(&s->lock);
    for (size_t i = 0; !code && i < nk; i++) {
        if (is_default(s, kids[i]) || st_folder_delete(s->st, kids[i], ST_RECURSIVE))
            failed++;
    }
    LeaveCriticalSection(&s->lock);
    free(kids);
    md_progress_close(prog);
    if (code)
        return md_hr_from_st(code);
    return partial(failed);
}

/* ---- Search criteria */

HRESULT md_folder_set_search_criteria(md_store *s, st_id fid, LPSRestriction res,
    LPENTRYLIST containers, ULONG flags)
{
    const ULONG known = STOP_SEARCH | RESTART_SEARCH | RECURSIVE_SEARCH | SHALLOW_SEARCH
        | FOREGROUND_SEARCH | BACKGROUND_SEARCH | CONTENT_INDEXED_SEARCH
        | NON_CONTENT_INDEXED_SEARCH | STATIC_SEARCH;
    if (flags & ~known)
        return MAPI_E_UNKNOWN_FLAGS;
    if ((flags & (STOP_SEARCH | RESTART_SEARCH)) == (STOP_SEARCH | RESTART_SEARCH)
        || (flags & (RECURSIVE_SEARCH | SHALLOW_SEARCH)) == (RECURSIVE_SEARCH | SHALLOW_SEARCH)
        || (flags & (FOREGROUND_SEARCH | BACKGROUND_SEARCH))
            == (FOREGROUND_SEARCH | BACKGROUND_SEARCH)
        || (flags & (CONTENT_INDEXED_SEARCH | NON_CONTENT_INDEXED_SEARCH))
            == (CONTENT_INDEXED_SEARCH | NON_CONTENT_INDEXED_SEARCH))
        return MAPI_E_INVALID_PARAMETER;
    if (containers && containers->cValues && !containers->lpbin)
        return MAPI_E_INVALID_PARAMETER;
    st_restriction *r = NULL, *old_r = NULL;
    st_id *scope = NULL;
    size_t n = 0;
    unsigned old_flags = 0;   /* what the search had: kept unless the flags say */
    HRESULT hr = md_res_from_mapi(&r, res);
    if (hr != S_OK)
        return hr;
    if (containers) {
        n = containers->cValues;
        scope = calloc(n ? n : 1, sizeof *scope);
        if (!scope)
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        for (size_t i = 0; hr == S_OK && i < n; i++)
            hr = own_id(s, containers->lpbin[i].cb, (LPENTRYID)containers->lpbin[i].lpb,
                MD_EID_FOLDER, &scope[i]);
    }
    EnterCriticalSection(&s->lock);
    int code = 0;
    if (hr == S_OK) {
        /* What the call leaves out (NULL) stays as it is (st_search_set). */
        code = st_search_get(s->st, fid, &old_r, NULL, NULL, &old_flags);
        if (code == ST_ENOTFOUND) {
            code = 0;
            hr = MAPI_E_NO_SUPPORT;   /* not a search folder */
        } else if (!code && !old_r && (!r || !n)) {
            hr = MAPI_E_INVALID_PARAMETER;   /* a first search needs both */
        }
    }
    for (size_t i = 0; !code && hr == S_OK && i < n; i++)
        code = st_folder_counts_get(s->st, &(st_folder_counts){ 0 }, scope[i]);
    if (!code && hr == S_OK) {
        unsigned sflags = old_flags;
        if (flags & RECURSIVE_SEARCH)
            sflags |= ST_SEARCH_RECURSIVE;
        if (flags & SHALLOW_SEARCH)
            sflags &= ~ST_SEARCH_RECURSIVE;
        if (flags & STOP_SEARCH)
            sflags |= ST_SEARCH_STOPPED;
        else
            sflags &= ~ST_SEARCH_STOPPED;   /* new criteria or RESTART_SEARCH: running */
        code = st_search_set(s->st, fid, r, scope, n, sflags);
    }
    LeaveCriticalSection(&s->lock);
    st_res_free(r);
    st_res_free(old_r);
    free(scope);
    if (hr != S_OK)
        return hr;
    return md_hr_from_st(code);
}

HRESULT md_folder_get_search_criteria(md_store *s, st_id fid, ULONG flags,
    LPSRestriction *res, LPENTRYLIST *containers, ULONG *state)
{
    if (res)
        *res = NULL;
    if (containers)
        *containers = NULL;
    if (state)
        *state = 0;
    if (flags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    st_restriction *r = NULL;
    st_id *scope = NULL;
    size_t n = 0;
    unsigned sflags = 0;
    EnterCriticalSection(&s->lock);
    int code = st_search_get(s->st, fid, &r, &scope, &n, &sflags);
    LeaveCriticalSection(&s->lock);
    if (code == ST_ENOTFOUND)
        return MAPI_E_NO_SUPPORT;   /* not a search folder */
    if (code)
        return md_hr_from_st(code);
    if (!r) {
        free(scope);
        return MAPI_E_NOT_INITIALIZED;   /* no criteria set yet */
    }
    HRESULT hr = S_OK;
    LPSRestriction mres = NULL;
    LPENTRYLIST list = NULL;
    if (res)
        hr = md_res_to_mapi(&mres, r, NULL, &s->alloc);
    if (hr == S_OK && containers) {
        hr = s->alloc.buffer(sizeof *list, (void **)&list);
        if (hr == S_OK) {
            list->cValues = (ULONG)n;
            list->lpbin = NULL;
            if (n)
                hr = s->alloc.more((ULONG)(n * sizeof(SBinary)), list, (void **)&list->lpbin);
        }
        for (size_t i = 0; hr == S_OK && i < n; i++) {
            md_eid e = { .store = s->guid, .kind = MD_EID_FOLDER, .id = scope[i] };
            hr = s->alloc.more(MD_EID_SIZE, list, (void **)&list->lpbin[i].lpb);
            if (hr == S_OK) {
                md_eid_write(list->lpbin[i].lpb, &e);
                list->lpbin[i].cb = MD_EID_SIZE;
            }
        }
    }
    st_res_free(r);
    free(scope);
    if (hr != S_OK) {
        s->alloc.free(mres);
        s->alloc.free(list);
        return hr;
    }
    if (res)
        *res = mres;
    if (containers)
        *containers = list;
    /* Storage keeps the results exact in every change's transaction, so a
     * search is never rebuilding: running unless stopped. */
    if (state)
        *state = ((sflags & ST_SEARCH_STOPPED) ? 0 : SEARCH_RUNNING)
            | ((sflags & ST_SEARCH_RECURSIVE) ? SEARCH_RECURSIVE : 0);
    return S_OK;
}
