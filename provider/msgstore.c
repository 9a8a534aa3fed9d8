/*
 * msgstore.c: IMsgStore, the store object MAPI hands to clients, and the
 * store-wide helpers of store.h (open, entry IDs, OpenEntry, CompareEntryIDs).
 *
 * Done: GetProps / GetPropList of what store_props computes, OpenEntry
 * (NULL = root, folders, messages, the store itself), CompareEntryIDs,
 * GetReceiveFolder, SetReceiveFolder (not to NULL), StoreLogoff,
 * GetLastError (the last storage message), SaveChanges (nothing to save);
 * GetReceiveFolderTable and the spooler methods (GetOutgoingQueue,
 * SetLockState, FinishedMsg, AbortSubmit, NotifyNewMail) in spooler.c.
 * IMAPIProp through mapiprop.h: SetProps/DeleteProps refuse the computed
 * values (MAPI_E_COMPUTED) and keep the others in the store file
 * (st_store_props_set; GetProps shows them after the computed ones, which
 * always win); CopyTo/CopyProps, named properties (names.h),
 * GetLastError, OpenProperty as a read-only IStream.
 * Advise and Unadvise: notify.h (the store's notifier starts with the
 * store and stops before its file closes). GetReceiveFolder gives the
 * registered class that matched (the prefix, as stored; "" for the
 * default) as the explicit class.
 *
 * StoreLogoff stops the store's background work (shutdown.h,
 * md_store_stop). After fast shutdown (md_shutdown_done) the methods that
 * reach storage or start work (OpenEntry, Advise, Get/SetReceiveFolder,
 * GetReceiveFolderTable, the spooler methods and the IMAPIProp forwarders
 * of mapiprop.h) answer MAPI_E_CALL_FAILED; the computed properties still
 * answer.
 * PR_DISPLAY_NAME: md_store.display_name (the profile's), else "mapidav".
 * PR_STORE_SUPPORT_MASK: MD_STORE_MASK (store.h).
 * Never: give MAPI storage's memory; call storage outside s->lock.
 */
#include <stdlib.h>
#include <string.h>

#include "provider/entryid.h"
#include "provider/mapiprop.h"
#include "provider/message.h"
#include "provider/names.h"
#include "provider/notify.h"
#include "provider/object.h"
#include "provider/shutdown.h"
#include "provider/spooler.h"
#include "provider/store.h"
#include "storage/props_guids.h"

static md_store *impl(IMsgStore *iface)
{
    return (md_store *)iface;
}

HRESULT md_hr_from_st(int code)
{
    switch (code) {
    case ST_OK: return S_OK;
    case ST_ENOTFOUND: return MAPI_E_NOT_FOUND;
    case ST_ENEWER: return MAPI_E_VERSION;
    case ST_ECORRUPT: return MAPI_E_CORRUPT_STORE;
    case ST_EREADONLY: return MAPI_E_NO_ACCESS;
    case ST_EBUSY: return MAPI_E_BUSY;
    case ST_EFULL: return MAPI_E_DISK_ERROR;
    case ST_EEXISTS: return MAPI_E_COLLISION;
    case ST_ENOTEMPTY: return MAPI_E_HAS_FOLDERS;
    default: return MAPI_E_CALL_FAILED;
    }
}

HRESULT md_store_entryid(md_store *s, int wrapped, ULONG *cb, LPENTRYID *eid)
{
    md_eid e = { .store = s->guid, .kind = MD_EID_STORE, .id = 0 };
    HRESULT hr = md_eid_alloc(cb, eid, &e, s->alloc.buffer);
    if (hr != S_OK || !wrapped)
        return hr;
    ULONG cb_w = 0;
    LPENTRYID eid_w = NULL;
    hr = s->sup->lpVtbl->WrapStoreEntryID(s->sup, *cb, *eid, &cb_w, &eid_w);
    s->alloc.free(*eid);
    *cb = cb_w;
    *eid = eid_w;
    if (hr != S_OK) {
        *cb = 0;
        *eid = NULL;
    }
    return hr;
}

/* Adds to b the values a client set on the store (st_store_props_get)
 * that b does not hold already: a computed value always wins. */
static int add_kept(st_bag *b, md_store *s)
{
    st_bag *kept = NULL;
    EnterCriticalSection(&s->lock);
    int code = st_store_props_get(s->st, &kept);
    LeaveCriticalSection(&s->lock);
    size_t n = kept ? st_bag_count(kept) : 0;
    for (size_t i = 0; !code && i < n; i++) {
        const st_value *v = st_bag_at(kept, i);
        if (!st_bag_get(b, CHANGE_PROP_TYPE(v->tag, PT_UNSPECIFIED)))
            code = st_bag_set(b, v);
    }
    st_bag_free(kept);
    return code;
}

/* The store's computed properties. NULL when out of memory or when
 * WrapStoreEntryID fails (*hr says which). */
static st_bag *store_computed_props(void *obj, HRESULT *hr)
{
    md_store *s = obj;
    st_bag *b = st_bag_new();
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    BYTE key[16];
    int code = b ? 0 : ST_ERROR;

    *hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (!b)
        return NULL;
    *hr = md_store_entryid(s, 1, &cb, &eid);
    if (*hr != S_OK) {
        st_bag_free(b);
        return NULL;
    }
    st_guid_to_bytes(key, &s->guid);
    code |= st_bag_set_bin(b, PR_ENTRYID, eid, cb);
    code |= st_bag_set_bin(b, PR_STORE_ENTRYID, eid, cb);
    s->alloc.free(eid);
    code |= st_bag_set_str(b, PR_DISPLAY_NAME_W, s->display_name ? s->display_name : "mapidav");
    code |= st_bag_set_long(b, PR_OBJECT_TYPE, MAPI_STORE);
    code |= st_bag_set_long(b, PR_STORE_SUPPORT_MASK, (int32_t)MD_STORE_MASK);
    code |= st_bag_set_long(b, PR_STORE_UNICODE_MASK, (int32_t)MD_STORE_MASK);
    code |= st_bag_set_bin(b, PR_MDB_PROVIDER, MD_PROVIDER_UID.ab, 16);
    code |= st_bag_set_bin(b, PR_RECORD_KEY, key, 16);
    code |= st_bag_set_bin(b, PR_STORE_RECORD_KEY, key, 16);
    code |= md_bag_set_eid(b, PR_IPM_SUBTREE_ENTRYID, s, MD_EID_FOLDER,
        s->fid[MD_DF_IPM_SUBTREE]);
    code |= md_bag_set_eid(b, PR_IPM_OUTBOX_ENTRYID, s, MD_EID_FOLDER, s->fid[MD_DF_OUTBOX]);
    code |= md_bag_set_eid(b, PR_IPM_SENTMAIL_ENTRYID, s, MD_EID_FOLDER, s->fid[MD_DF_SENT]);
    code |= md_bag_set_eid(b, PR_IPM_WASTEBASKET_ENTRYID, s, MD_EID_FOLDER,
        s->fid[MD_DF_DELETED]);
    code |= st_bag_set_long(b, PR_VALID_FOLDER_MASK, (int32_t)(FOLDER_IPM_SUBTREE_VALID
        | FOLDER_IPM_INBOX_VALID | FOLDER_IPM_OUTBOX_VALID | FOLDER_IPM_WASTEBASKET_VALID
        | FOLDER_IPM_SENTMAIL_VALID | FOLDER_VIEWS_VALID | FOLDER_COMMON_VIEWS_VALID
        | FOLDER_FINDER_VALID));
    code |= md_defaults_store_eids(b, s);
    if (code) {
        st_bag_free(b);
        *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    *hr = S_OK;
    return b;
}

/* Every property of the store: computed, then those kept for clients. */
static st_bag *store_props(void *obj, HRESULT *hr)
{
    st_bag *b = store_computed_props(obj, hr);
    if (b) {
        int code = add_kept(b, obj);
        if (code) {
            st_bag_free(b);
            *hr = md_hr_from_st(code);
            return NULL;
        }
    }
    return b;
}

/* SetProps / DeleteProps: the computed values (store_props) are refused
 * per value with MAPI_E_COMPUTED before this is called; the others are
 * kept in the store file at once (st_store_props_set: one transaction,
 * there is no SaveChanges to wait for on a store). */
static HRESULT store_write(void *obj, const st_bag *set, const uint32_t *del, size_t n_del)
{
    md_store *s = obj;
    EnterCriticalSection(&s->lock);
    int code = st_store_props_set(s->st, set, del, n_del);
    LeaveCriticalSection(&s->lock);
    return md_hr_from_st(code);
}

static int store_computed(void *obj, uint32_t tag)
{
    HRESULT hr;
    st_bag *b = store_computed_props(obj, &hr);
    int found = b && st_bag_get(b, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED)) != NULL;
    st_bag_free(b);
    return found;
}

static const md_prop_ops store_ops = {
    store_props, store_write, store_computed, NULL, NULL,
};

MD_PROP_FORWARDERS(store, IMsgStore, impl, impl, store_ops)

/* ---- IUnknown */

static HRESULT STDMETHODCALLTYPE store_QueryInterface(IMsgStore *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMsgStore, &IID_IMAPIProp };
    return md_query_interface(iface, riid, out, iids, 2);
}

static ULONG STDMETHODCALLTYPE store_AddRef(IMsgStore *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE store_Release(IMsgStore *iface)
{
    md_store *s = impl(iface);
    ULONG n = md_ref_release(&s->refs);
    if (n == 0) {
        md_lifecycle_store_remove(s);
        md_notify_stop(s->notify);
        st_store_close(s->st);
        s->sup->lpVtbl->Release(s->sup);
        DeleteCriticalSection(&s->lock);
        free(s->display_name);
        free(s);
        md_object_destroyed();
    }
    return n;
}

/* ---- IMAPIProp */

static HRESULT STDMETHODCALLTYPE store_SaveChanges(IMsgStore *iface, ULONG flags)
{
    (void)iface; (void)flags;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE store_GetProps(IMsgStore *iface, LPSPropTagArray tags,
    ULONG flags, ULONG *count, LPSPropValue *props)
{
    return md_prop_get_props(store_props, impl(iface), &impl(iface)->alloc, tags, flags, count,
        props);
}

static HRESULT STDMETHODCALLTYPE store_GetPropList(IMsgStore *iface, ULONG flags,
    LPSPropTagArray *list)
{
    return md_prop_get_prop_list(store_props, impl(iface), &impl(iface)->alloc, flags, list);
}

static HRESULT STDMETHODCALLTYPE store_OpenProperty(IMsgStore *iface, ULONG tag, LPCIID iid,
    ULONG options, ULONG flags, LPUNKNOWN *out)
{
    /* every store value is computed */
    return md_stream_open_readonly(out, impl(iface), store_props, impl(iface), tag, iid, options,
        flags, MAPI_E_NO_ACCESS);
}

/* ---- IMsgStore */

static HRESULT STDMETHODCALLTYPE store_Advise(IMsgStore *iface, ULONG cb, LPENTRYID eid,
    ULONG mask, LPMAPIADVISESINK sink, ULONG *conn)
{
    if (conn)
        *conn = 0;
    if (md_shutdown_done())
        return MAPI_E_CALL_FAILED;
    return md_notify_advise(impl(iface), cb, eid, mask, sink, conn);
}

static HRESULT STDMETHODCALLTYPE store_Unadvise(IMsgStore *iface, ULONG conn)
{
    return md_notify_unadvise(impl(iface), conn);
}

HRESULT md_store_compare_entryids(md_store *s, ULONG cb1, LPENTRYID eid1, ULONG cb2,
    LPENTRYID eid2, ULONG flags, ULONG *result)
{
    md_eid a, b;
    (void)s;
    if (!result)
        return MAPI_E_INVALID_PARAMETER;
    *result = FALSE;
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    if (md_eid_parse(&a, cb1, eid1) != S_OK || md_eid_parse(&b, cb2, eid2) != S_OK)
        return MAPI_E_INVALID_ENTRYID;
    *result = st_guid_compare(&a.store, &b.store) == 0 && a.kind == b.kind && a.id == b.id;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE store_CompareEntryIDs(IMsgStore *iface, ULONG cb1,
    LPENTRYID eid1, ULONG cb2, LPENTRYID eid2, ULONG flags, ULONG *result)
{
    return md_store_compare_entryids(impl(iface), cb1, eid1, cb2, eid2, flags, result);
}

HRESULT md_store_open_entry(md_store *s, ULONG cb, LPENTRYID eid, LPCIID iid, ULONG flags,
    ULONG *obj_type, LPUNKNOWN *out)
{
    md_eid e;
    HRESULT hr;

    if (!obj_type || !out)
        return MAPI_E_INVALID_PARAMETER;
    *obj_type = 0;
    *out = NULL;
    if (md_shutdown_done())
        return MAPI_E_CALL_FAILED;   /* DoFastShutdown: the process is exiting */
    /* folders: MAPI_MODIFY, MAPI_BEST_ACCESS ... all read-write; a message
     * is read-write with MAPI_MODIFY or MAPI_BEST_ACCESS only */
    if (!cb && !eid) {
        e.kind = MD_EID_FOLDER;
        e.id = s->fid[MD_DF_ROOT];
    } else {
        hr = md_eid_parse(&e, cb, eid);
        if (hr != S_OK)
            return hr;
        if (st_guid_compare(&e.store, &s->guid) != 0)
            return MAPI_E_INVALID_ENTRYID;
    }
    if (e.kind == MD_EID_STORE) {
        if (iid && !IsEqualIID(iid, &IID_IMsgStore) && !IsEqualIID(iid, &IID_IMAPIProp)
            && !IsEqualIID(iid, &IID_IUnknown))
            return MAPI_E_INTERFACE_NOT_SUPPORTED;
        store_AddRef(&s->iface);
        *obj_type = MAPI_STORE;
        *out = (LPUNKNOWN)&s->iface;
        return S_OK;
    }
    if (e.kind == MD_EID_MESSAGE) {
        if (iid && !IsEqualIID(iid, &IID_IMessage) && !IsEqualIID(iid, &IID_IMAPIProp)
            && !IsEqualIID(iid, &IID_IUnknown))
            return MAPI_E_INTERFACE_NOT_SUPPORTED;
        IMessage *msg = NULL;
        hr = md_message_open(s, e.id, flags, &msg);
        if (hr != S_OK)
            return hr;
        *obj_type = MAPI_MESSAGE;
        *out = (LPUNKNOWN)msg;
        return S_OK;
    }
    if (iid && !IsEqualIID(iid, &IID_IMAPIFolder) && !IsEqualIID(iid, &IID_IMAPIContainer)
        && !IsEqualIID(iid, &IID_IMAPIProp) && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    IMAPIFolder *folder = NULL;
    hr = md_folder_open(s, e.id, &folder);
    if (hr != S_OK)
        return hr;
    *obj_type = MAPI_FOLDER;
    *out = (LPUNKNOWN)folder;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE store_OpenEntry(IMsgStore *iface, ULONG cb, LPENTRYID eid,
    LPCIID iid, ULONG flags, ULONG *obj_type, LPUNKNOWN *out)
{
    return md_store_open_entry(impl(iface), cb, eid, iid, flags, obj_type, out);
}

/* A message class argument (LPTSTR) in UTF-8; NULL is "". */
static char *class_utf8(const void *cls, ULONG flags)
{
    return cls ? md_utf8_from_tstr(cls, flags) : _strdup("");
}

static HRESULT STDMETHODCALLTYPE store_SetReceiveFolder(IMsgStore *iface, LPTSTR cls,
    ULONG flags, ULONG cb, LPENTRYID eid)
{
    md_store *s = impl(iface);
    st_id fid = 0;

    if (flags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    if (!eid)
        return MAPI_E_NO_SUPPORT;   /* back to the default: not done yet */
    if (md_shutdown_done())
        return MAPI_E_CALL_FAILED;
    HRESULT hr = md_eid_own_id(&s->guid, cb, eid, MD_EID_FOLDER, &fid);
    if (hr != S_OK)
        return hr;
    char *c = class_utf8(cls, flags);
    if (!c)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    EnterCriticalSection(&s->lock);
    st_bag *b = NULL;
    int code = st_folder_get(s->st, &b, fid);
    st_bag_free(b);
    if (!code)
        code = st_receive_folder_set(s->st, c, fid);
    LeaveCriticalSection(&s->lock);
    free(c);
    return md_hr_from_st(code);
}

static HRESULT STDMETHODCALLTYPE store_GetReceiveFolder(IMsgStore *iface, LPTSTR cls,
    ULONG flags, ULONG *cb, LPENTRYID *eid, LPTSTR *explicit_class)
{
    md_store *s = impl(iface);
    st_id fid = 0;

    if (explicit_class)
        *explicit_class = NULL;
    if (!cb || !eid)
        return MAPI_E_INVALID_PARAMETER;
    *cb = 0;
    *eid = NULL;
    if (flags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    if (md_shutdown_done())
        return MAPI_E_CALL_FAILED;
    char *c = class_utf8(cls, flags);
    if (!c)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    char *matched = NULL;
    EnterCriticalSection(&s->lock);
    int code = st_receive_folder_find(s->st, &fid, explicit_class ? &matched : NULL, c);
    LeaveCriticalSection(&s->lock);
    free(c);
    if (code)
        return md_hr_from_st(code);
    md_eid e = { .store = s->guid, .kind = MD_EID_FOLDER, .id = fid };
    HRESULT hr = md_eid_alloc(cb, eid, &e, s->alloc.buffer);
    if (hr == S_OK && explicit_class) {
        /* the registered class that matched, as stored ("" the default) */
        hr = md_string_to_mapi((void **)explicit_class, matched,
            flags & MAPI_UNICODE ? PT_UNICODE : PT_STRING8, NULL, &s->alloc);
        if (hr != S_OK) {
            s->alloc.free(*eid);
            *eid = NULL;
            *cb = 0;
        }
    }
    free(matched);
    return hr;
}

static HRESULT STDMETHODCALLTYPE store_GetReceiveFolderTable(IMsgStore *iface, ULONG flags,
    LPMAPITABLE *table)
{
    if (table)
        *table = NULL;
    MD_SHUT_GATE();
    return md_receive_folder_table(impl(iface), flags, table);
}

/* The store's background work stops (md_store_stop); its file closes with
 * its last reference. LOGOFF_* flags in *flags are advisory: nothing of
 * ours needs the client's consent, so *flags comes back unchanged. */
static HRESULT STDMETHODCALLTYPE store_StoreLogoff(IMsgStore *iface, ULONG *flags)
{
    if (!flags)
        return MAPI_E_INVALID_PARAMETER;
    md_store_stop(impl(iface));
    return S_OK;
}

void md_store_stop(md_store *s)
{
    /* Before the lock: a TBL_ASYNC operation holding it stops at once (its
     * table goes back to what it had); until the background work is
     * joined, as a call made after Logoff runs in the caller's thread. */
    InterlockedExchange(&s->stopping, 1);
    EnterCriticalSection(&s->lock);
    md_notifier *n = s->notify;
    s->notify = NULL;   /* Advise answers MAPI_E_NO_SUPPORT from now on */
    s->logged_off = 1;
    LeaveCriticalSection(&s->lock);
    md_notify_stop(n);   /* joined, holding no lock: a sink may be calling us */
    md_bg_stop(s, MD_BG_STOP_MS);
    InterlockedExchange(&s->stopping, 0);
}

static HRESULT STDMETHODCALLTYPE store_AbortSubmit(IMsgStore *iface, ULONG cb, LPENTRYID eid,
    ULONG flags)
{
    MD_SHUT_GATE();
    return md_spooler_abort_submit(impl(iface), cb, eid, flags);
}

static HRESULT STDMETHODCALLTYPE store_GetOutgoingQueue(IMsgStore *iface, ULONG flags,
    LPMAPITABLE *table)
{
    if (table)
        *table = NULL;
    MD_SHUT_GATE();
    return md_spooler_outgoing_queue(impl(iface), flags, table);
}

static HRESULT STDMETHODCALLTYPE store_SetLockState(IMsgStore *iface, LPMESSAGE msg,
    ULONG state)
{
    MD_SHUT_GATE();
    return md_spooler_set_lock_state(impl(iface), msg, state);
}

static HRESULT STDMETHODCALLTYPE store_FinishedMsg(IMsgStore *iface, ULONG flags, ULONG cb,
    LPENTRYID eid)
{
    MD_SHUT_GATE();
    return md_spooler_finished_msg(impl(iface), flags, cb, eid);
}

static HRESULT STDMETHODCALLTYPE store_NotifyNewMail(IMsgStore *iface, LPNOTIFICATION n)
{
    MD_SHUT_GATE();
    return md_spooler_notify_new_mail(impl(iface), n);
}

static const IMsgStoreVtbl store_vtbl = {
    store_QueryInterface, store_AddRef, store_Release,
    store_GetLastError, store_SaveChanges, store_GetProps, store_GetPropList,
    store_OpenProperty, store_SetProps, store_DeleteProps, store_CopyTo, store_CopyProps,
    store_GetNamesFromIDs, store_GetIDsFromNames,
    store_Advise, store_Unadvise, store_CompareEntryIDs, store_OpenEntry,
    store_SetReceiveFolder, store_GetReceiveFolder, store_GetReceiveFolderTable,
    store_StoreLogoff, store_AbortSubmit, store_GetOutgoingQueue, store_SetLockState,
    store_FinishedMsg, store_NotifyNewMail,
};

/* An existing file is opened as it is (its GUID checked by storage); a
 * missing one is created with a fresh GUID. */
static int open_or_create(st_store **st, const char *path)
{
    WCHAR wpath[MAX_PATH * 2];
    if (!MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, MAX_PATH * 2))
        return ST_ERROR;
    if (GetFileAttributesW(wpath) != INVALID_FILE_ATTRIBUTES)
        return st_store_open(st, path, NULL, 0);
    st_guid guid;
    st_guid_new(&guid, path);
    return st_store_open(st, path, &guid, ST_OPEN_CREATE);
}

HRESULT md_store_create(md_store **out, const char *path, LPMAPISUP sup,
    const md_alloc *alloc, ULONG flags)
{
    st_store *st = NULL;
    int code;

    *out = NULL;
    code = open_or_create(&st, path);
    if (code)
        return md_hr_from_st(code);
    md_store *s = calloc(1, sizeof *s);
    if (!s) {
        st_store_close(st);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    code = st_store_begin(st);
    if (!code)
        code = md_defaults_ensure(st, s->fid);
    if (!code)
        code = st_store_commit(st);
    else
        st_store_rollback(st);
    st_guid guid;
    st_store_guid(st, &guid);
    HRESULT hr = code ? md_hr_from_st(code) : md_notify_start(&s->notify, path, &guid, sup);
    if (hr != S_OK) {
        st_store_close(st);
        free(s);
        return hr;
    }
    s->iface.lpVtbl = (IMsgStoreVtbl *)&store_vtbl;   /* mapidefs.h: not const */
    s->refs = 1;
    InitializeCriticalSection(&s->lock);
    s->st = st;
    s->guid = guid;
    s->sup = sup;
    sup->lpVtbl->AddRef(sup);
    s->alloc = *alloc;
    s->logon_flags = flags;
    md_lifecycle_store_add(s);
    md_object_created();
    *out = s;
    return S_OK;
}
