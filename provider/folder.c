/*
 * folder.c: IMAPIFolder, the minimal first version: a folder of the store
 * (st_id) whose GetProps and GetPropList work over storage's folder bag plus
 * what the provider computes (PR_ENTRYID, PR_PARENT_ENTRYID, PR_OBJECT_TYPE,
 * PR_FOLDER_TYPE (FOLDER_SEARCH when storage has search criteria for it),
 * PR_STORE_ENTRYID, PR_STORE_RECORD_KEY,
 * PR_STORE_SUPPORT_MASK, and on the root and the Inbox the default-folder
 * entry IDs of defaults.c: PR_IPM_*_ENTRYID, PR_ADDITIONAL_REN_ENTRYIDS). Storage computes PR_CONTENT_COUNT,
 * PR_CONTENT_UNREAD, PR_SUBFOLDERS, PR_FOLDER_CHILD_COUNT and the keys.
 *
 * IMAPIProp (mapiprop.h): SetProps/DeleteProps written at once
 * (st_folder_set_props; computed tags refused), CopyTo/CopyProps, named
 * properties (names.h), GetLastError, OpenProperty as a read-only IStream.
 * CreateMessage (also MAPI_ASSOCIATED) gives a new IMessage (message.h).
 * The folder operations (CopyMessages, DeleteMessages, CreateFolder,
 * CopyFolder, DeleteFolder, SetReadFlags, Get/SetMessageStatus,
 * SaveContentsSort, EmptyFolder, Set/GetSearchCriteria) are folderops.c's.
 * Not done, MAPI_E_NO_SUPPORT with out-pointers cleared: every other method
 * (tables).
 * Never: keep a storage bag across calls (another thread may change the
 * folder); call storage outside the store's lock.
 */
#include <stdlib.h>
#include <string.h>

#include "provider/entryid.h"
#include "provider/folderops.h"
#include "provider/mapiprop.h"
#include "provider/message.h"
#include "provider/names.h"
#include "provider/object.h"
#include "provider/store.h"
#include "provider/table.h"
#include "provider/shutdown.h"
#include "storage/table.h"

typedef struct md_folder {
    IMAPIFolder iface;
    LONG refs;
    md_store *store;   /* AddRef'd */
    st_id fid;
} md_folder;

static md_folder *impl(IMAPIFolder *iface)
{
    return (md_folder *)iface;
}

/* The folder's bag with the computed properties; NULL with *hr. */
static st_bag *folder_props(void *obj, HRESULT *hr)
{
    md_folder *f = obj;
    md_store *s = f->store;
    st_bag *b = NULL;
    st_id parent = 0;
    ULONG cb = 0;
    LPENTRYID store_eid = NULL;
    BYTE key[16];

    EnterCriticalSection(&s->lock);
    int code = st_folder_get(s->st, &b, f->fid);
    if (!code && f->fid != s->fid[MD_DF_ROOT])
        code = st_folder_parent(s->st, &parent, f->fid);
    /* a search folder has criteria (a small query) */
    int search = !code && st_search_get(s->st, f->fid, NULL, NULL, NULL, NULL) == 0;
    LeaveCriticalSection(&s->lock);
    if (code) {
        *hr = md_hr_from_st(code);
        return NULL;
    }
    if (!parent)
        parent = f->fid;   /* the root is its own parent */
    *hr = md_store_entryid(s, 1, &cb, &store_eid);
    if (*hr != S_OK) {
        st_bag_free(b);
        return NULL;
    }
    st_guid_to_bytes(key, &s->guid);
    code |= md_bag_set_eid(b, PR_ENTRYID, s, MD_EID_FOLDER, f->fid);
    code |= md_bag_set_eid(b, PR_PARENT_ENTRYID, s, MD_EID_FOLDER, parent);
    code |= st_bag_set_bin(b, PR_STORE_ENTRYID, store_eid, cb);
    s->alloc.free(store_eid);
    code |= st_bag_set_bin(b, PR_STORE_RECORD_KEY, key, 16);
    code |= st_bag_set_long(b, PR_OBJECT_TYPE, MAPI_FOLDER);
    code |= st_bag_set_long(b, PR_FOLDER_TYPE, f->fid == s->fid[MD_DF_ROOT] ? FOLDER_ROOT
        : search ? FOLDER_SEARCH : FOLDER_GENERIC);
    code |= st_bag_set_long(b, PR_STORE_SUPPORT_MASK, (int32_t)MD_STORE_MASK);
    if (f->fid == s->fid[MD_DF_ROOT] || f->fid == s->fid[MD_DF_INBOX])
        code |= md_defaults_folder_eids(b, s);
    if (code) {
        st_bag_free(b);
        *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    *hr = S_OK;
    return b;
}

/* Written at once: a folder has no SaveChanges of its own. */
static HRESULT folder_write(void *obj, const st_bag *set, const uint32_t *del, size_t n_del)
{
    md_folder *f = obj;
    EnterCriticalSection(&f->store->lock);
    int code = st_folder_set_props(f->store->st, f->fid, set, del, n_del, 0);
    LeaveCriticalSection(&f->store->lock);
    return code == ST_ENOTFOUND ? MAPI_E_OBJECT_DELETED : md_hr_from_st(code);
}

/* What folder_props and storage compute: refused by SetProps. */
static int folder_computed(void *obj, uint32_t tag)
{
    (void)obj;
    switch (PROP_ID(tag)) {
    case PROP_ID(PR_ENTRYID): case PROP_ID(PR_PARENT_ENTRYID):
    case PROP_ID(PR_STORE_ENTRYID): case PROP_ID(PR_STORE_RECORD_KEY):
    case PROP_ID(PR_OBJECT_TYPE): case PROP_ID(PR_FOLDER_TYPE):
    case PROP_ID(PR_STORE_SUPPORT_MASK): case PROP_ID(PR_RECORD_KEY):
    case PROP_ID(PR_INSTANCE_KEY): case PROP_ID(PR_SOURCE_KEY):
    case PROP_ID(PR_PARENT_SOURCE_KEY): case PROP_ID(PR_CONTENT_COUNT):
    case PROP_ID(PR_CONTENT_UNREAD): case PROP_ID(PR_ASSOC_CONTENT_COUNT):
    case PROP_ID(PR_FOLDER_CHILD_COUNT): case PROP_ID(PR_SUBFOLDERS):
    case PROP_ID(PR_IPM_APPOINTMENT_ENTRYID): case PROP_ID(PR_IPM_CONTACT_ENTRYID):
    case PROP_ID(PR_IPM_JOURNAL_ENTRYID): case PROP_ID(PR_IPM_NOTE_ENTRYID):
    case PROP_ID(PR_IPM_TASK_ENTRYID): case PROP_ID(PR_IPM_DRAFTS_ENTRYID):
    case PROP_ID(PR_ADDITIONAL_REN_ENTRYIDS):
        return 1;
    default:
        return 0;
    }
}

static const md_prop_ops folder_ops = {
    folder_props, folder_write, folder_computed, NULL, NULL,
};

#define FOLDER_STORE(i) (impl(i)->store)
MD_PROP_FORWARDERS(folder, IMAPIFolder, impl, FOLDER_STORE, folder_ops)

/* ---- IUnknown */

static HRESULT STDMETHODCALLTYPE folder_QueryInterface(IMAPIFolder *iface, REFIID riid,
    void **out)
{
    static const IID *const iids[] = { &IID_IMAPIFolder, &IID_IMAPIContainer, &IID_IMAPIProp };
    return md_query_interface(iface, riid, out, iids, 3);
}

static ULONG STDMETHODCALLTYPE folder_AddRef(IMAPIFolder *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE folder_Release(IMAPIFolder *iface)
{
    md_folder *f = impl(iface);
    ULONG n = md_ref_release(&f->refs);
    if (n == 0) {
        f->store->iface.lpVtbl->Release(&f->store->iface);
        free(f);
        md_object_destroyed();
    }
    return n;
}

/* ---- IMAPIProp */

static HRESULT STDMETHODCALLTYPE folder_SaveChanges(IMAPIFolder *iface, ULONG flags)
{
    MD_SHUT_GATE();
    (void)iface; (void)flags;
    return S_OK;   /* folder changes are written at once */
}

static HRESULT STDMETHODCALLTYPE folder_GetProps(IMAPIFolder *iface, LPSPropTagArray tags,
    ULONG flags, ULONG *count, LPSPropValue *props)
{
    MD_SHUT_GATE();
    return md_prop_get_props(folder_props, impl(iface), &impl(iface)->store->alloc, tags, flags,
        count, props);
}

static HRESULT STDMETHODCALLTYPE folder_GetPropList(IMAPIFolder *iface, ULONG flags,
    LPSPropTagArray *list)
{
    MD_SHUT_GATE();
    return md_prop_get_prop_list(folder_props, impl(iface), &impl(iface)->store->alloc, flags,
        list);
}

/* Not done yet: each clears what it would give and says MAPI_E_NO_SUPPORT. */
#define CLEAR(p) do { if (p) *(p) = 0; } while (0)

static HRESULT STDMETHODCALLTYPE folder_OpenProperty(IMAPIFolder *iface, ULONG tag,
    LPCIID iid, ULONG options, ULONG flags, LPUNKNOWN *out)
{
    MD_SHUT_GATE();
    /* folder values are written with SetProps */
    return md_stream_open_readonly(out, impl(iface)->store, folder_props, impl(iface), tag, iid,
        options, flags, MAPI_E_NO_SUPPORT);
}

/* ---- IMAPIContainer */

static HRESULT STDMETHODCALLTYPE folder_GetContentsTable(IMAPIFolder *iface, ULONG flags,
    LPMAPITABLE *table)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);

    if (!table)
        return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (flags & ~(ULONG)(MAPI_ASSOCIATED | MAPI_UNICODE | SHOW_SOFT_DELETES
                         | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    if (flags & SHOW_SOFT_DELETES)
        return MAPI_E_NO_SUPPORT;   /* the store keeps no soft-deleted items */
    return md_table_open(f->store, f->fid,
        flags & MAPI_ASSOCIATED ? ST_TABLE_ASSOCIATED : ST_TABLE_CONTENTS, flags, table);
}

static HRESULT STDMETHODCALLTYPE folder_GetHierarchyTable(IMAPIFolder *iface, ULONG flags,
    LPMAPITABLE *table)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);

    if (!table)
        return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (flags & ~(ULONG)(CONVENIENT_DEPTH | MAPI_UNICODE | SHOW_SOFT_DELETES
                         | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    if (flags & SHOW_SOFT_DELETES)
        return MAPI_E_NO_SUPPORT;
    return md_table_open(f->store, f->fid, ST_TABLE_HIERARCHY, flags, table);
}

static HRESULT STDMETHODCALLTYPE folder_OpenEntry(IMAPIFolder *iface, ULONG cb, LPENTRYID eid,
    LPCIID iid, ULONG flags, ULONG *obj_type, LPUNKNOWN *out)
{
    MD_SHUT_GATE();
    return md_store_open_entry(impl(iface)->store, cb, eid, iid, flags, obj_type, out);
}

static HRESULT STDMETHODCALLTYPE folder_SetSearchCriteria(IMAPIFolder *iface,
    LPSRestriction res, LPENTRYLIST containers, ULONG flags)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_set_search_criteria(f->store, f->fid, res, containers, flags);
}

static HRESULT STDMETHODCALLTYPE folder_GetSearchCriteria(IMAPIFolder *iface, ULONG flags,
    LPSRestriction *res, LPENTRYLIST *containers, ULONG *state)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_get_search_criteria(f->store, f->fid, flags, res, containers, state);
}

/* ---- IMAPIFolder */

static HRESULT STDMETHODCALLTYPE folder_CreateMessage(IMAPIFolder *iface, LPCIID iid,
    ULONG flags, LPMESSAGE *msg)
{
    MD_SHUT_GATE();
    if (!msg)
        return MAPI_E_INVALID_PARAMETER;
    *msg = NULL;
    if (flags & ~(ULONG)(MAPI_ASSOCIATED | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    if (iid && !IsEqualIID(iid, &IID_IMessage) && !IsEqualIID(iid, &IID_IMAPIProp)
        && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    return md_message_create(impl(iface)->store, impl(iface)->fid, flags, msg);
}

static HRESULT STDMETHODCALLTYPE folder_CopyMessages(IMAPIFolder *iface, LPENTRYLIST list,
    LPCIID iid, LPVOID dest, ULONG ui, LPMAPIPROGRESS progress, ULONG flags)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_copy_messages(f->store, f->fid, iface, list, iid, dest, ui, progress,
        flags);
}

static HRESULT STDMETHODCALLTYPE folder_DeleteMessages(IMAPIFolder *iface, LPENTRYLIST list,
    ULONG ui, LPMAPIPROGRESS progress, ULONG flags)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_delete_messages(f->store, f->fid, list, ui, progress, flags);
}

static HRESULT STDMETHODCALLTYPE folder_CreateFolder(IMAPIFolder *iface, ULONG type,
    LPTSTR name, LPTSTR comment, LPCIID iid, ULONG flags, LPMAPIFOLDER *out)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_create_folder(f->store, f->fid, type, name, comment, iid, flags, out);
}

static HRESULT STDMETHODCALLTYPE folder_CopyFolder(IMAPIFolder *iface, ULONG cb,
    LPENTRYID eid, LPCIID iid, LPVOID dest, LPTSTR name, ULONG ui, LPMAPIPROGRESS progress,
    ULONG flags)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_copy_folder(f->store, f->fid, iface, cb, eid, iid, dest, name, ui,
        progress, flags);
}

static HRESULT STDMETHODCALLTYPE folder_DeleteFolder(IMAPIFolder *iface, ULONG cb,
    LPENTRYID eid, ULONG ui, LPMAPIPROGRESS progress, ULONG flags)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_delete_folder(f->store, f->fid, cb, eid, ui, progress, flags);
}

static HRESULT STDMETHODCALLTYPE folder_SetReadFlags(IMAPIFolder *iface, LPENTRYLIST list,
    ULONG ui, LPMAPIPROGRESS progress, ULONG flags)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_set_read_flags(f->store, f->fid, list, ui, progress, flags);
}

static HRESULT STDMETHODCALLTYPE folder_GetMessageStatus(IMAPIFolder *iface, ULONG cb,
    LPENTRYID eid, ULONG flags, ULONG *status)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_get_message_status(f->store, f->fid, cb, eid, flags, status);
}

static HRESULT STDMETHODCALLTYPE folder_SetMessageStatus(IMAPIFolder *iface, ULONG cb,
    LPENTRYID eid, ULONG status, ULONG mask, ULONG *old)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_set_message_status(f->store, f->fid, cb, eid, status, mask, old);
}

static HRESULT STDMETHODCALLTYPE folder_SaveContentsSort(IMAPIFolder *iface,
    LPSSortOrderSet sort, ULONG flags)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_save_contents_sort(f->store, f->fid, sort, flags);
}

static HRESULT STDMETHODCALLTYPE folder_EmptyFolder(IMAPIFolder *iface, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags)
{
    MD_SHUT_GATE();
    md_folder *f = impl(iface);
    return md_folder_empty(f->store, f->fid, ui, progress, flags);
}

static const IMAPIFolderVtbl folder_vtbl = {
    folder_QueryInterface, folder_AddRef, folder_Release,
    folder_GetLastError, folder_SaveChanges, folder_GetProps, folder_GetPropList,
    folder_OpenProperty, folder_SetProps, folder_DeleteProps, folder_CopyTo,
    folder_CopyProps, folder_GetNamesFromIDs, folder_GetIDsFromNames,
    folder_GetContentsTable, folder_GetHierarchyTable, folder_OpenEntry,
    folder_SetSearchCriteria, folder_GetSearchCriteria,
    folder_CreateMessage, folder_CopyMessages, folder_DeleteMessages, folder_CreateFolder,
    folder_CopyFolder, folder_DeleteFolder, folder_SetReadFlags, folder_GetMessageStatus,
    folder_SetMessageStatus, folder_SaveContentsSort, folder_EmptyFolder,
};

HRESULT md_folder_open(md_store *s, st_id fid, IMAPIFolder **out)
{
    st_folder_counts counts;

    *out = NULL;
    EnterCriticalSection(&s->lock);
    int code = st_folder_counts_get(s->st, &counts, fid);
    LeaveCriticalSection(&s->lock);
    if (code)
        return code == ST_ENOTFOUND ? MAPI_E_NOT_FOUND : md_hr_from_st(code);
    md_folder *f = calloc(1, sizeof *f);
    if (!f)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    f->iface.lpVtbl = (IMAPIFolderVtbl *)&folder_vtbl;   /* mapidefs.h: not const */
    f->refs = 1;
    f->store = s;
    s->iface.lpVtbl->AddRef(&s->iface);
    f->fid = fid;
    md_object_created();
    *out = &f->iface;
    return S_OK;
}
