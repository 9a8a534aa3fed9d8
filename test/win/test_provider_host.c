/*
 * test_provider_host.c: a stand-in for MAPI driving mapidav32.dll's store
 * provider, under Wine (Wine has no MAPI subsystem: MAPI-NOTES.md).
 *
 * Like MAPI it loads the DLL with LoadLibrary, finds MSProviderInit with
 * GetProcAddress and gives it allocators of its own; at Logon it gives an
 * IMAPISupport of its own and, through OpenProfileSection, a profile section
 * holding the store path (PR_MAPIDAV_STORE_PATH_W, provider/store.h) in a
 * temporary folder. Then it drives: init (and a wrong SPI version refused),
 * Logon, the store's properties value by value, the receive folder of
 * IPM.Note, OpenEntry(NULL) = root, the Inbox opened by the entry ID
 * GetReceiveFolder gives, folder properties, the default folders found
 * as MFCMAPI finds them (and found again, not made anew, at the second
 * logon), garbage entry IDs refused,
 * Logoff, and at the end every object released: the provider's live-object
 * counter (IID_IMapidavDebug) and our own counts of MAPI buffers and of
 * references on the support object back at zero.
 *
 * usage: test_provider_host PATH-TO-mapidav32.dll
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
#include "provider/object.h"
#include "provider/store.h"


/* ---- Checks on property arrays */

static const SPropValue *find_prop(const SPropValue *v, ULONG n, ULONG tag)
{
    for (ULONG i = 0; i < n; i++)
        if (v[i].ulPropTag == tag)
            return &v[i];
    return NULL;
}

/* Our folder entry ID for fid: 48 bytes, kind 2 at offset 36 (entryid.h). */
static ULONGLONG eid_object_id(const SBinary *b)
{
    ULONGLONG id = 0;
    if (b->cb != 48)
        return 0;
    for (int i = 7; i >= 0; i--)
        id = (id << 8) | b->lpb[40 + i];
    return id;
}

static int eid_is_folder(const SBinary *b)
{
    return b->cb == 48 && b->lpb[36] == 2 && !b->lpb[37] && !b->lpb[38] && !b->lpb[39]
        && memcmp(b->lpb + 4, registered_uid.ab, 16) == 0;
}

static void check_store_props(IMsgStore *store)
{
    SizedSPropTagArray(14, tags) = { 14, {
        PR_DISPLAY_NAME_W, PR_STORE_SUPPORT_MASK, PR_STORE_UNICODE_MASK, PR_MDB_PROVIDER,
        PR_RECORD_KEY, PR_ENTRYID, PR_IPM_SUBTREE_ENTRYID, PR_IPM_OUTBOX_ENTRYID,
        PR_IPM_SENTMAIL_ENTRYID, PR_IPM_WASTEBASKET_ENTRYID, PR_VALID_FOLDER_MASK,
        PR_OBJECT_TYPE, PR_STORE_RECORD_KEY, PROP_TAG(PT_LONG, 0x6777) } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = store->lpVtbl->GetProps(store, (LPSPropTagArray)&tags, MAPI_UNICODE, &n, &v);
    ok(hr == MAPI_W_ERRORS_RETURNED, "store GetProps: %#lx, expected MAPI_W_ERRORS_RETURNED"
       " for the unknown tag\n", (unsigned long)hr);
    if (!v || n != 14) {
        ok(0, "store GetProps: %lu values\n", (unsigned long)n);
        return;
    }
    ok(v[0].ulPropTag == PR_DISPLAY_NAME_W && v[0].Value.lpszW
       && wcscmp(v[0].Value.lpszW, L"mapidav") == 0, "PR_DISPLAY_NAME_W: tag %#lx\n",
       (unsigned long)v[0].ulPropTag);
    ULONG mask = STORE_ENTRYID_UNIQUE | STORE_MODIFY_OK | STORE_CREATE_OK | STORE_ATTACH_OK
        | STORE_UNICODE_OK;
    ok(v[1].ulPropTag == PR_STORE_SUPPORT_MASK && (v[1].Value.l & mask) == mask,
       "PR_STORE_SUPPORT_MASK: tag %#lx value %#lx\n", (unsigned long)v[1].ulPropTag,
       (unsigned long)v[1].Value.l);
    ok(v[2].ulPropTag == PR_STORE_UNICODE_MASK && v[2].Value.l == v[1].Value.l,
       "PR_STORE_UNICODE_MASK: %#lx\n", (unsigned long)v[2].Value.l);
    ok(v[3].ulPropTag == PR_MDB_PROVIDER && v[3].Value.bin.cb == 16
       && memcmp(v[3].Value.bin.lpb, registered_uid.ab, 16) == 0,
       "PR_MDB_PROVIDER is not the UID given to SetProviderUID\n");
    ok(v[4].ulPropTag == PR_RECORD_KEY && v[4].Value.bin.cb == 16, "PR_RECORD_KEY: %lu bytes\n",
       (unsigned long)v[4].Value.bin.cb);
    ok(v[12].ulPropTag == PR_STORE_RECORD_KEY && v[12].Value.bin.cb == 16
       && memcmp(v[12].Value.bin.lpb, v[4].Value.bin.lpb, 16) == 0,
       "PR_STORE_RECORD_KEY differs from PR_RECORD_KEY\n");
    /* PR_ENTRYID: wrapped by our WrapStoreEntryID, the store's own ID inside */
    ok(v[5].ulPropTag == PR_ENTRYID && v[5].Value.bin.cb == WRAP_HEAD + 48
       && memcmp(v[5].Value.bin.lpb + 4, muid_store_wrap, 16) == 0
       && memcmp(v[5].Value.bin.lpb + WRAP_HEAD + 4, registered_uid.ab, 16) == 0
       && v[5].Value.bin.lpb[WRAP_HEAD + 36] == 1,
       "PR_ENTRYID not wrapped by WrapStoreEntryID (%lu bytes)\n",
       (unsigned long)v[5].Value.bin.cb);
    for (int i = 6; i <= 9; i++)
        ok(PROP_TYPE(v[i].ulPropTag) == PT_BINARY && eid_is_folder(&v[i].Value.bin),
           "default folder entry ID %d (tag %#lx) is not one of our folder IDs\n", i,
           (unsigned long)v[i].ulPropTag);
    ok(eid_object_id(&v[6].Value.bin) != eid_object_id(&v[7].Value.bin)
       && eid_object_id(&v[7].Value.bin) != eid_object_id(&v[8].Value.bin)
       && eid_object_id(&v[8].Value.bin) != eid_object_id(&v[9].Value.bin),
       "default folders share an entry ID\n");
    ULONG valid = FOLDER_IPM_SUBTREE_VALID | FOLDER_IPM_INBOX_VALID | FOLDER_IPM_OUTBOX_VALID
        | FOLDER_IPM_WASTEBASKET_VALID | FOLDER_IPM_SENTMAIL_VALID;
    ok(v[10].ulPropTag == PR_VALID_FOLDER_MASK && ((ULONG)v[10].Value.l & valid) == valid,
       "PR_VALID_FOLDER_MASK: %#lx\n", (unsigned long)v[10].Value.l);
    ok(v[11].ulPropTag == PR_OBJECT_TYPE && v[11].Value.l == MAPI_STORE,
       "PR_OBJECT_TYPE: %ld\n", (long)v[11].Value.l);
    ok(v[13].ulPropTag == PROP_TAG(PT_ERROR, 0x6777) && v[13].Value.err == MAPI_E_NOT_FOUND,
       "unknown tag: %#lx %#lx\n", (unsigned long)v[13].ulPropTag,
       (unsigned long)v[13].Value.err);
    host_FreeBuffer(v);

    /* Without MAPI_UNICODE a string comes as PT_STRING8. */
    SizedSPropTagArray(1, name) = { 1, { PROP_TAG(PT_UNSPECIFIED, 0x3001) } };
    hr = store->lpVtbl->GetProps(store, (LPSPropTagArray)&name, 0, &n, &v);
    ok(hr == S_OK && n == 1 && v[0].ulPropTag == PR_DISPLAY_NAME_A
       && strcmp(v[0].Value.lpszA, "mapidav") == 0, "PR_DISPLAY_NAME as PT_UNSPECIFIED: %#lx\n",
       (unsigned long)hr);
    host_FreeBuffer(v);

    /* All properties, and the list. */
    hr = store->lpVtbl->GetProps(store, NULL, MAPI_UNICODE, &n, &v);
    ok(hr == S_OK && n >= 13 && find_prop(v, n, PR_DISPLAY_NAME_W)
       && find_prop(v, n, PR_IPM_SUBTREE_ENTRYID), "GetProps(NULL): %#lx, %lu values\n",
       (unsigned long)hr, (unsigned long)n);
    host_FreeBuffer(v);
    LPSPropTagArray list = NULL;
    hr = store->lpVtbl->GetPropList(store, MAPI_UNICODE, &list);
    ok(hr == S_OK && list && list->cValues >= 13, "GetPropList: %#lx\n", (unsigned long)hr);
    host_FreeBuffer(list);
    hr = store->lpVtbl->GetProps(store, NULL, 0x40000000, &n, &v);
    ok(hr == MAPI_E_UNKNOWN_FLAGS && v == NULL, "GetProps with a bad flag: %#lx\n",
       (unsigned long)hr);
}

/* Folder GetProps: the name, the entry ID that opened it, class, counts. */
static void check_folder(IMAPIFolder *f, const WCHAR *name, const WCHAR *container_class,
    const SBinary *eid)
{
    SizedSPropTagArray(7, tags) = { 7, {
        PR_DISPLAY_NAME_W, PR_ENTRYID, PR_CONTAINER_CLASS_W, PR_CONTENT_COUNT, PR_SUBFOLDERS,
        PR_OBJECT_TYPE, PR_PARENT_ENTRYID } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = f->lpVtbl->GetProps(f, (LPSPropTagArray)&tags, MAPI_UNICODE, &n, &v);
    ok(SUCCEEDED(hr) && n == 7 && v, "folder GetProps: %#lx\n", (unsigned long)hr);
    if (!v || n != 7)
        return;
    ok(v[0].ulPropTag == PR_DISPLAY_NAME_W && wcscmp(v[0].Value.lpszW, name) == 0,
       "folder name: tag %#lx, %ls instead of %ls\n", (unsigned long)v[0].ulPropTag,
       v[0].ulPropTag == PR_DISPLAY_NAME_W ? v[0].Value.lpszW : L"?", name);
    ok(v[1].ulPropTag == PR_ENTRYID && eid_is_folder(&v[1].Value.bin),
       "folder PR_ENTRYID not one of ours\n");
    if (eid)
        ok(v[1].Value.bin.cb == eid->cb && memcmp(v[1].Value.bin.lpb, eid->lpb, eid->cb) == 0,
           "folder PR_ENTRYID differs from the ID it was opened with\n");
    if (container_class)
        ok(v[2].ulPropTag == PR_CONTAINER_CLASS_W
           && wcscmp(v[2].Value.lpszW, container_class) == 0,
           "PR_CONTAINER_CLASS_W: tag %#lx\n", (unsigned long)v[2].ulPropTag);
    else
        ok(v[2].ulPropTag == PROP_TAG(PT_ERROR, 0x3613), "root has a container class\n");
    ok(v[3].ulPropTag == PR_CONTENT_COUNT && v[3].Value.l == 0, "PR_CONTENT_COUNT: %#lx %ld\n",
       (unsigned long)v[3].ulPropTag, (long)v[3].Value.l);
    ok(v[4].ulPropTag == PR_SUBFOLDERS, "PR_SUBFOLDERS missing: %#lx\n",
       (unsigned long)v[4].ulPropTag);
    ok(v[5].ulPropTag == PR_OBJECT_TYPE && v[5].Value.l == MAPI_FOLDER,
       "folder PR_OBJECT_TYPE %ld\n", (long)v[5].Value.l);
    ok(v[6].ulPropTag == PR_PARENT_ENTRYID && eid_is_folder(&v[6].Value.bin),
       "PR_PARENT_ENTRYID not one of ours\n");
    host_FreeBuffer(v);

    LPSPropTagArray list = NULL;
    hr = f->lpVtbl->GetPropList(f, MAPI_UNICODE, &list);
    ok(hr == S_OK && list && list->cValues >= 7, "folder GetPropList: %#lx\n",
       (unsigned long)hr);
    host_FreeBuffer(list);

    /* Tables: test_provider_table.c checks them; here only that they open. */
    LPMAPITABLE table = NULL;
    hr = f->lpVtbl->GetContentsTable(f, 0, &table);
    ok(hr == S_OK && table, "GetContentsTable: %#lx\n", (unsigned long)hr);
    if (table)
        table->lpVtbl->Release(table);
}

/* ---- The default folders, found the way MFCMAPI's GetDefaultFolderEID
 * finds them: the Inbox through GetReceiveFolder("IPM.Note"), the
 * PR_IPM_*_ENTRYID and PR_ADDITIONAL_REN_ENTRYIDS on the Inbox (falling back
 * to the root when the Inbox lacks one), and the special folders under the
 * root (PR_VIEWS/COMMON_VIEWS/FINDER_ENTRYID) on the store. Each is opened
 * by its entry ID and checked by name and container class; the ids of the
 * first logon are kept and must be found again at the second. */
static const struct {
    ULONG tag;
    int ren;    /* index in PR_ADDITIONAL_REN_ENTRYIDS, or -1 */
    const WCHAR *name, *container_class;
} default_folders[] = {
    { PR_IPM_APPOINTMENT_ENTRYID, -1, L"Calendar", L"IPF.Appointment" },
    { PR_IPM_CONTACT_ENTRYID, -1, L"Contacts", L"IPF.Contact" },
    { PR_IPM_JOURNAL_ENTRYID, -1, L"Journal", L"IPF.Journal" },
    { PR_IPM_NOTE_ENTRYID, -1, L"Notes", L"IPF.StickyNote" },
    { PR_IPM_TASK_ENTRYID, -1, L"Tasks", L"IPF.Task" },
    { PR_IPM_DRAFTS_ENTRYID, -1, L"Drafts", L"IPF.Note" },
    { PR_ADDITIONAL_REN_ENTRYIDS, 0, L"Conflicts", L"IPF.Note" },
    { PR_ADDITIONAL_REN_ENTRYIDS, 1, L"Sync Issues", L"IPF.Note" },
    { PR_ADDITIONAL_REN_ENTRYIDS, 2, L"Local Failures", L"IPF.Note" },
    { PR_ADDITIONAL_REN_ENTRYIDS, 3, L"Server Failures", L"IPF.Note" },
    { PR_ADDITIONAL_REN_ENTRYIDS, 4, L"Junk E-mail", L"IPF.Note" },
};
#define N_FOLDER_DEFAULTS (sizeof default_folders / sizeof default_folders[0])
static const struct {
    ULONG tag;
    const WCHAR *name;
} store_folders[] = {
    { PR_VIEWS_ENTRYID, L"Views" },
    { PR_COMMON_VIEWS_ENTRYID, L"Common Views" },
    { PR_FINDER_ENTRYID, L"Finder" },
};
#define N_STORE_DEFAULTS (sizeof store_folders / sizeof store_folders[0])
static ULONGLONG first_logon_ids[N_FOLDER_DEFAULTS + N_STORE_DEFAULTS];

static IMAPIFolder *open_folder(IMsgStore *store, ULONG cb, LPENTRYID eid, const char *what)
{
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = store->lpVtbl->OpenEntry(store, cb, eid, &IID_IMAPIFolder, MAPI_BEST_ACCESS,
        &type, &unk);
    ok(hr == S_OK && type == MAPI_FOLDER && unk, "OpenEntry(%s): %#lx type %lu\n", what,
       (unsigned long)hr, (unsigned long)type);
    return hr == S_OK ? (IMAPIFolder *)unk : NULL;
}

/* The tags of default_folders (PR_ADDITIONAL_REN_ENTRYIDS once) from f. */
static LPSPropValue default_folder_props(IMAPIFolder *f, ULONG *n, const char *what)
{
    SizedSPropTagArray(7, tags) = { 7, {
        PR_IPM_APPOINTMENT_ENTRYID, PR_IPM_CONTACT_ENTRYID, PR_IPM_JOURNAL_ENTRYID,
        PR_IPM_NOTE_ENTRYID, PR_IPM_TASK_ENTRYID, PR_IPM_DRAFTS_ENTRYID,
        PR_ADDITIONAL_REN_ENTRYIDS } };
    LPSPropValue v = NULL;
    HRESULT hr = f->lpVtbl->GetProps(f, (LPSPropTagArray)&tags, MAPI_UNICODE, n, &v);
    ok(hr == S_OK && *n == 7 && v, "%s GetProps of the default-folder IDs: %#lx\n", what,
       (unsigned long)hr);
    if (v && *n == 7)
        for (ULONG i = 0; i < 7; i++)
            ok(v[i].ulPropTag == tags.aulPropTag[i], "%s: tag %#lx instead of %#lx\n", what,
               (unsigned long)v[i].ulPropTag, (unsigned long)tags.aulPropTag[i]);
    return v;
}

/* The entry ID of default_folders[k] in v (GetProps of the Inbox or the
 * root), or NULL. */
static const SBinary *default_folder_eid(const SPropValue *v, ULONG n, size_t k)
{
    const SPropValue *p = v ? find_prop(v, n, default_folders[k].tag) : NULL;
    if (!p)
        return NULL;
    if (default_folders[k].ren < 0)
        return &p->Value.bin;
    if ((ULONG)default_folders[k].ren >= p->Value.MVbin.cValues)
        return NULL;
    return &p->Value.MVbin.lpbin[default_folders[k].ren];
}

static void check_default_folders(IMsgStore *store, int second)
{
    ULONG cb_inbox = 0, n_inbox = 0, n_root = 0;
    LPENTRYID inbox_eid = NULL;
    HRESULT hr = store->lpVtbl->GetReceiveFolder(store, (LPTSTR)L"IPM.Note", MAPI_UNICODE,
        &cb_inbox, &inbox_eid, NULL);
    ok(hr == S_OK, "GetReceiveFolder(IPM.Note): %#lx\n", (unsigned long)hr);
    IMAPIFolder *inbox = hr == S_OK ? open_folder(store, cb_inbox, inbox_eid, "Inbox") : NULL;
    IMAPIFolder *root = open_folder(store, 0, NULL, "root");
    host_FreeBuffer(inbox_eid);
    if (!inbox || !root)
        goto done;
    LPSPropValue vi = default_folder_props(inbox, &n_inbox, "Inbox");
    LPSPropValue vr = default_folder_props(root, &n_root, "root");
    const SPropValue *ren = vi ? find_prop(vi, n_inbox, PR_ADDITIONAL_REN_ENTRYIDS) : NULL;
    ok(ren && ren->Value.MVbin.cValues == 5, "PR_ADDITIONAL_REN_ENTRYIDS: %lu values\n",
       ren ? (unsigned long)ren->Value.MVbin.cValues : 0ul);

    for (size_t k = 0; k < N_FOLDER_DEFAULTS; k++) {
        const SBinary *ei = default_folder_eid(vi, n_inbox, k);
        const SBinary *er = default_folder_eid(vr, n_root, k);
        ok(ei && er && ei->cb == er->cb && memcmp(ei->lpb, er->lpb, ei->cb) == 0,
           "%ls: the Inbox and the root give different entry IDs\n", default_folders[k].name);
        const SBinary *e = ei ? ei : er;   /* GetDefaultFolderEID: Inbox, then root */
        ok(e && eid_is_folder(e), "%ls: no folder entry ID\n", default_folders[k].name);
        if (!e || !eid_is_folder(e))
            continue;
        char what[64];
        snprintf(what, sizeof what, "%ls", default_folders[k].name);
        IMAPIFolder *f = open_folder(store, e->cb, (LPENTRYID)e->lpb, what);
        if (f) {
            check_folder(f, default_folders[k].name, default_folders[k].container_class, e);
            f->lpVtbl->Release(f);
        }
        for (size_t j = 0; j < k; j++) {
            const SBinary *o = default_folder_eid(vi, n_inbox, j);
            ok(!o || eid_object_id(o) != eid_object_id(e), "%ls and %ls share an entry ID\n",
               default_folders[k].name, default_folders[j].name);
        }
        if (second)
            ok(first_logon_ids[k] == eid_object_id(e), "%ls: a new folder at the second"
               " logon (%llu, was %llu)\n", default_folders[k].name, eid_object_id(e),
               first_logon_ids[k]);
        else
            first_logon_ids[k] = eid_object_id(e);
    }

    /* The special folders under the root, from the store. */
    SizedSPropTagArray(4, st) = { 4, {
        PR_VIEWS_ENTRYID, PR_COMMON_VIEWS_ENTRYID, PR_FINDER_ENTRYID, PR_VALID_FOLDER_MASK } };
    SizedSPropTagArray(1, eid_tag) = { 1, { PR_ENTRYID } };
    ULONG n = 0, nr = 0;
    LPSPropValue v = NULL, re = NULL;
    hr = store->lpVtbl->GetProps(store, (LPSPropTagArray)&st, MAPI_UNICODE, &n, &v);
    ok(hr == S_OK && n == 4, "store GetProps of Views, Common Views, Finder: %#lx\n",
       (unsigned long)hr);
    root->lpVtbl->GetProps(root, (LPSPropTagArray)&eid_tag, 0, &nr, &re);
    ULONG valid = FOLDER_VIEWS_VALID | FOLDER_COMMON_VIEWS_VALID | FOLDER_FINDER_VALID;
    ok(hr == S_OK && v && ((ULONG)v[3].Value.l & valid) == valid,
       "PR_VALID_FOLDER_MASK lacks the views and finder bits\n");
    for (size_t k = 0; hr == S_OK && k < N_STORE_DEFAULTS; k++) {
        const SBinary *e = &v[k].Value.bin;
        ok(v[k].ulPropTag == store_folders[k].tag && eid_is_folder(e),
           "%ls: tag %#lx, not a folder entry ID\n", store_folders[k].name,
           (unsigned long)v[k].ulPropTag);
        if (v[k].ulPropTag != store_folders[k].tag)
            continue;
        char what[64];
        snprintf(what, sizeof what, "%ls", store_folders[k].name);
        IMAPIFolder *f = open_folder(store, e->cb, (LPENTRYID)e->lpb, what);
        if (f) {
            check_folder(f, store_folders[k].name, NULL, e);
            ULONG np = 0;
            LPSPropValue p = NULL;
            SizedSPropTagArray(1, pt) = { 1, { PR_PARENT_ENTRYID } };
            f->lpVtbl->GetProps(f, (LPSPropTagArray)&pt, 0, &np, &p);
            ok(p && re && p[0].Value.bin.cb == re[0].Value.bin.cb
               && memcmp(p[0].Value.bin.lpb, re[0].Value.bin.lpb, re[0].Value.bin.cb) == 0,
               "%ls is not under the root\n", store_folders[k].name);
            host_FreeBuffer(p);
            f->lpVtbl->Release(f);
        }
        size_t slot = N_FOLDER_DEFAULTS + k;
        if (second)
            ok(first_logon_ids[slot] == eid_object_id(e), "%ls: a new folder at the second"
               " logon\n", store_folders[k].name);
        else
            first_logon_ids[slot] = eid_object_id(e);
    }
    host_FreeBuffer(v);
    host_FreeBuffer(re);
    host_FreeBuffer(vi);
    host_FreeBuffer(vr);
done:
    if (inbox)
        inbox->lpVtbl->Release(inbox);
    if (root)
        root->lpVtbl->Release(root);
}

static void check_garbage_ids(IMsgStore *store, IMSLogon *logon)
{
    BYTE junk[64];
    ULONG type = 1;
    LPUNKNOWN unk = (LPUNKNOWN)(ULONG_PTR)1;
    HRESULT hr;

    memset(junk, 0xA5, sizeof junk);
    static const ULONG sizes[] = { 1, 3, 4, 20, 47, 48, 49, 64 };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        hr = store->lpVtbl->OpenEntry(store, sizes[i], (LPENTRYID)junk, NULL, 0, &type, &unk);
        ok(hr == MAPI_E_INVALID_ENTRYID && unk == NULL && type == 0,
           "OpenEntry of %lu garbage bytes: %#lx\n", (unsigned long)sizes[i],
           (unsigned long)hr);
    }
    /* Right length and UID, bad kind; then another provider's UID. */
    SPropValue *v = NULL;
    ULONG n = 0;
    SizedSPropTagArray(1, t) = { 1, { PR_IPM_SUBTREE_ENTRYID } };
    store->lpVtbl->GetProps(store, (LPSPropTagArray)&t, 0, &n, &v);
    if (v && v[0].ulPropTag == PR_IPM_SUBTREE_ENTRYID) {
        BYTE e[48];
        memcpy(e, v[0].Value.bin.lpb, 48);
        e[36] = 9;
        hr = logon->lpVtbl->OpenEntry(logon, 48, (LPENTRYID)e, NULL, 0, &type, &unk);
        ok(hr == MAPI_E_INVALID_ENTRYID, "entry ID of kind 9: %#lx\n", (unsigned long)hr);
        memcpy(e, v[0].Value.bin.lpb, 48);
        e[10] ^= 0xFF;
        hr = store->lpVtbl->OpenEntry(store, 48, (LPENTRYID)e, NULL, 0, &type, &unk);
        ok(hr == MAPI_E_INVALID_ENTRYID, "foreign UID: %#lx\n", (unsigned long)hr);
        memcpy(e, v[0].Value.bin.lpb, 48);
        e[0] = 1;
        hr = store->lpVtbl->OpenEntry(store, 48, (LPENTRYID)e, NULL, 0, &type, &unk);
        ok(hr == MAPI_E_INVALID_ENTRYID, "flag bytes set: %#lx\n", (unsigned long)hr);
        memcpy(e, v[0].Value.bin.lpb, 48);
        e[47] = 0x7F;   /* a folder that does not exist */
        hr = store->lpVtbl->OpenEntry(store, 48, (LPENTRYID)e, NULL, 0, &type, &unk);
        ok(hr == MAPI_E_NOT_FOUND, "missing folder: %#lx\n", (unsigned long)hr);
        ULONG same = 7;
        hr = store->lpVtbl->CompareEntryIDs(store, 48, (LPENTRYID)v[0].Value.bin.lpb, 48,
            (LPENTRYID)v[0].Value.bin.lpb, 0, &same);
        ok(hr == S_OK && same == TRUE, "CompareEntryIDs of an ID with itself: %#lx %lu\n",
           (unsigned long)hr, (unsigned long)same);
        hr = logon->lpVtbl->CompareEntryIDs(logon, 48, (LPENTRYID)v[0].Value.bin.lpb, 48,
            (LPENTRYID)e, 0, &same);
        ok(hr == S_OK && same == FALSE, "CompareEntryIDs of two IDs: %#lx %lu\n",
           (unsigned long)hr, (unsigned long)same);
        hr = store->lpVtbl->CompareEntryIDs(store, 5, (LPENTRYID)junk, 48, (LPENTRYID)e, 0,
            &same);
        ok(hr == MAPI_E_INVALID_ENTRYID, "CompareEntryIDs with garbage: %#lx\n",
           (unsigned long)hr);
    } else {
        ok(0, "no PR_IPM_SUBTREE_ENTRYID\n");
    }
    host_FreeBuffer(v);
}

/* SetReceiveFolder: a class of our own to Drafts, found by prefix, the
 * others unchanged; bad entry IDs refused. */
static void check_set_receive_folder(IMsgStore *store)
{
    SizedSPropTagArray(1, t) = { 1, { PR_IPM_OUTBOX_ENTRYID } };
    ULONG n = 0, cb = 0;
    LPSPropValue v = NULL;
    LPENTRYID eid = NULL;
    HRESULT hr;

    store->lpVtbl->GetProps(store, (LPSPropTagArray)&t, 0, &n, &v);
    if (!v || v[0].ulPropTag != PR_IPM_OUTBOX_ENTRYID) {
        ok(0, "no PR_IPM_OUTBOX_ENTRYID\n");
        host_FreeBuffer(v);
        return;
    }
    SBinary *outbox = &v[0].Value.bin;
    hr = store->lpVtbl->SetReceiveFolder(store, (LPTSTR)L"IPM.Note.Mapidav", MAPI_UNICODE,
        outbox->cb, (LPENTRYID)outbox->lpb);
    ok(hr == S_OK, "SetReceiveFolder: %#lx\n", (unsigned long)hr);
    /* the explicit class is the registered one that matched (the MAPI
     * reference: "the same as the class in lpszMessageClass, or a base
     * class of that class"), as it was set */
    LPTSTR cls = NULL;
    hr = store->lpVtbl->GetReceiveFolder(store, (LPTSTR)L"ipm.note.mapidav.sub", MAPI_UNICODE,
        &cb, &eid, &cls);
    ok(hr == S_OK && cb == outbox->cb && memcmp(eid, outbox->lpb, cb) == 0,
       "GetReceiveFolder of a subclass, other case: %#lx\n", (unsigned long)hr);
    ok(cls && wcscmp((WCHAR *)cls, L"IPM.Note.Mapidav") == 0,
       "explicit class of a subclass: %s, not IPM.Note.Mapidav\n", cls ? "other" : "NULL");
    host_FreeBuffer(eid);
    host_FreeBuffer(cls);
    eid = NULL;
    cls = NULL;
    hr = store->lpVtbl->GetReceiveFolder(store, (LPTSTR)"IPM.Note.Mapidavx", 0, &cb, &eid,
        &cls);
    ok(hr == S_OK && !(cb == outbox->cb && memcmp(eid, outbox->lpb, cb) == 0),
       "a longer class name is not a subclass: %#lx\n", (unsigned long)hr);
    ok(cls && strcmp((char *)cls, "IPM") == 0, "explicit class, 8-bit: %s\n",
       cls ? (char *)cls : "(null)");
    host_FreeBuffer(eid);
    host_FreeBuffer(cls);
    eid = NULL;
    cls = NULL;
    hr = store->lpVtbl->GetReceiveFolder(store, (LPTSTR)L"Other.Class", MAPI_UNICODE, &cb,
        &eid, &cls);
    ok(hr == S_OK && cls && ((WCHAR *)cls)[0] == 0,
       "explicit class of the default receive folder: %#lx\n", (unsigned long)hr);
    host_FreeBuffer(eid);
    host_FreeBuffer(cls);
    BYTE junk[48] = { 0 };
    hr = store->lpVtbl->SetReceiveFolder(store, (LPTSTR)L"IPM.X", MAPI_UNICODE, sizeof junk,
        (LPENTRYID)junk);
    ok(hr == MAPI_E_INVALID_ENTRYID, "SetReceiveFolder to garbage: %#lx\n", (unsigned long)hr);
    hr = store->lpVtbl->SetReceiveFolder(store, (LPTSTR)L"IPM.X", 0x1000, outbox->cb,
        (LPENTRYID)outbox->lpb);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "SetReceiveFolder with a bad flag: %#lx\n",
       (unsigned long)hr);
    host_FreeBuffer(v);
}

/* A file that is not a store: Logon fails with MAPI_E_CORRUPT_STORE and
 * leaves nothing behind. */
static void check_corrupt_store(IMSProvider *provider)
{
    WCHAR saved[MAX_PATH];
    wcscpy(saved, store_path);
    wcscat(store_path, L".bad");
    HANDLE h = CreateFileW(store_path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD written = 0;
    char junk[4096];
    memset(junk, 'x', sizeof junk);
    WriteFile(h, junk, sizeof junk, &written, NULL);
    CloseHandle(h);

    ULONG cb_spool = 0;
    LPBYTE spool = NULL;
    LPMSLOGON logon = NULL;
    LPMDB mdb = NULL;
    LPMAPIERROR err = NULL;
    HRESULT hr = provider->lpVtbl->Logon(provider, &support, 0, NULL, 0, NULL, MAPI_UNICODE,
        NULL, &cb_spool, &spool, &err, &logon, &mdb);
    ok(hr == MAPI_E_CORRUPT_STORE && !logon && !mdb, "Logon on a corrupt file: %#lx\n",
       (unsigned long)hr);
    ok(err && err->lpszError && wcsstr((WCHAR *)err->lpszError, L"store.sqlite.bad")
       && err->lpszComponent, "Logon's MAPIERROR does not name the file: %ls\n",
       err && err->lpszError ? (WCHAR *)err->lpszError : L"(none)");
    host_FreeBuffer(err);
    DeleteFileW(store_path);
    wcscpy(store_path, saved);
}

/* SpoolerLogon on the same store, and Logon given the store's own entry ID
 * (what MAPI passes back from the profile) or a garbage one. */
static void check_spooler_and_eid_logon(IMSProvider *provider)
{
    LPMSLOGON logon = NULL;
    LPMDB mdb = NULL;
    HRESULT hr = provider->lpVtbl->SpoolerLogon(provider, &support, 0, NULL, 0, NULL, 0, NULL,
        0, NULL, NULL, &logon, &mdb);
    ok(hr == S_OK && logon && mdb, "SpoolerLogon: %#lx\n", (unsigned long)hr);
    if (hr != S_OK)
        return;
    SizedSPropTagArray(1, t) = { 1, { PR_ENTRYID } };
    ULONG n = 0, cb_spool = 0, flags = 0;
    LPBYTE spool = NULL;
    LPSPropValue v = NULL;
    mdb->lpVtbl->GetProps(mdb, (LPSPropTagArray)&t, 0, &n, &v);
    if (v && v[0].ulPropTag == PR_ENTRYID && v[0].Value.bin.cb == WRAP_HEAD + 48) {
        LPENTRYID own = (LPENTRYID)(v[0].Value.bin.lpb + WRAP_HEAD);
        LPMSLOGON logon2 = NULL;
        LPMDB mdb2 = NULL;
        hr = provider->lpVtbl->Logon(provider, &support, 0, NULL, 48, own, 0, &IID_IMsgStore,
            &cb_spool, &spool, NULL, &logon2, &mdb2);
        ok(hr == S_OK && logon2 && mdb2, "Logon with the store entry ID: %#lx\n",
           (unsigned long)hr);
        if (logon2) {
            logon2->lpVtbl->Logoff(logon2, &flags);
            logon2->lpVtbl->Release(logon2);
        }
        if (mdb2)
            mdb2->lpVtbl->Release(mdb2);
        BYTE junk[48];
        memset(junk, 0x11, sizeof junk);
        logon2 = (LPMSLOGON)(ULONG_PTR)1;
        hr = provider->lpVtbl->Logon(provider, &support, 0, NULL, 48, (LPENTRYID)junk, 0, NULL,
            &cb_spool, &spool, NULL, &logon2, &mdb2);
        ok(hr == MAPI_E_INVALID_ENTRYID && logon2 == NULL && mdb2 == NULL,
           "Logon with a garbage entry ID: %#lx\n", (unsigned long)hr);
    } else {
        ok(0, "spooler store: no PR_ENTRYID\n");
    }
    host_FreeBuffer(v);
    logon->lpVtbl->Logoff(logon, &flags);
    ok(logon->lpVtbl->Release(logon) == 0, "spooler IMSLogon still referenced\n");
    ok(mdb->lpVtbl->Release(mdb) == 0, "spooler IMsgStore still referenced\n");
}

static void logon_and_drive(IMSProvider *provider, int second)
{
    ULONG cb_spool = 1;
    LPBYTE spool = (LPBYTE)(ULONG_PTR)1;
    LPMAPIERROR err = NULL;
    LPMSLOGON logon = NULL;
    LPMDB store = NULL;
    HRESULT hr;

    hr = provider->lpVtbl->Logon(provider, &support, 0, (LPTSTR)L"profile", 0, NULL,
        MDB_NO_DIALOG | MAPI_UNICODE, NULL, &cb_spool, &spool, &err, &logon, &store);
    ok(hr == S_OK && logon && store, "Logon: %#lx\n", (unsigned long)hr);
    if (hr != S_OK)
        return;
    ok(cb_spool == 0 && spool == NULL, "spooler security: %lu bytes\n", (unsigned long)cb_spool);
    ok(uid_registered == 1 + second, "SetProviderUID called %d times\n", uid_registered);
    ok(profsect_refs == 1, "profile section references left: %ld\n", (long)profsect_refs - 1);

    check_store_props(store);

    /* Receive folder of IPM.Note: the Inbox. */
    ULONG cb_inbox = 0;
    LPENTRYID inbox_eid = NULL;
    LPTSTR explicit_class = (LPTSTR)(ULONG_PTR)1;
    hr = store->lpVtbl->GetReceiveFolder(store, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cb_inbox,
        &inbox_eid, &explicit_class);
    ok(hr == S_OK && cb_inbox == 48 && inbox_eid, "GetReceiveFolder(IPM.Note): %#lx\n",
       (unsigned long)hr);
    ok(explicit_class && wcscmp((WCHAR *)explicit_class, L"IPM") == 0,
       "explicit class of IPM.Note: not IPM\n");
    if (explicit_class != (LPTSTR)(ULONG_PTR)1)
        host_FreeBuffer(explicit_class);
    LPENTRYID ipc_eid = NULL;
    ULONG cb_ipc = 0;
    hr = store->lpVtbl->GetReceiveFolder(store, (LPTSTR)"IPC.Something", 0, &cb_ipc, &ipc_eid,
        NULL);
    ok(hr == S_OK && cb_ipc == 48, "GetReceiveFolder(IPC.Something) 8-bit: %#lx\n",
       (unsigned long)hr);

    /* OpenEntry(NULL): the root. */
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    hr = store->lpVtbl->OpenEntry(store, 0, NULL, NULL, 0, &type, &unk);
    ok(hr == S_OK && type == MAPI_FOLDER && unk, "OpenEntry(NULL): %#lx type %lu\n",
       (unsigned long)hr, (unsigned long)type);
    if (unk) {
        IMAPIFolder *root = NULL;
        hr = unk->lpVtbl->QueryInterface(unk, &IID_IMAPIFolder, (void **)&root);
        ok(hr == S_OK && root, "root QueryInterface(IMAPIFolder): %#lx\n", (unsigned long)hr);
        if (root) {
            check_folder(root, L"Root", NULL, NULL);
            /* the root is the receive folder of IPC */
            SizedSPropTagArray(1, t) = { 1, { PR_ENTRYID } };
            ULONG n = 0;
            LPSPropValue v = NULL;
            root->lpVtbl->GetProps(root, (LPSPropTagArray)&t, 0, &n, &v);
            ok(v && ipc_eid && v[0].Value.bin.cb == cb_ipc
               && memcmp(v[0].Value.bin.lpb, ipc_eid, cb_ipc) == 0,
               "IPC's receive folder is not the root\n");
            host_FreeBuffer(v);
            root->lpVtbl->Release(root);
        }
        unk->lpVtbl->Release(unk);
    }
    host_FreeBuffer(ipc_eid);

    /* The Inbox by its entry ID, through the store and through the logon. */
    if (inbox_eid) {
        unk = NULL;
        hr = store->lpVtbl->OpenEntry(store, cb_inbox, inbox_eid, &IID_IMAPIFolder,
            MAPI_BEST_ACCESS, &type, &unk);
        ok(hr == S_OK && type == MAPI_FOLDER && unk, "OpenEntry(Inbox): %#lx\n",
           (unsigned long)hr);
        if (unk) {
            SBinary b = { cb_inbox, (LPBYTE)inbox_eid };
            check_folder((IMAPIFolder *)unk, L"Inbox", L"IPF.Note", &b);
            unk->lpVtbl->Release(unk);
        }
        unk = NULL;
        hr = logon->lpVtbl->OpenEntry(logon, cb_inbox, inbox_eid, NULL, 0, &type, &unk);
        ok(hr == S_OK && type == MAPI_FOLDER && unk, "IMSLogon::OpenEntry(Inbox): %#lx\n",
           (unsigned long)hr);
        if (unk)
            unk->lpVtbl->Release(unk);
        unk = (LPUNKNOWN)(ULONG_PTR)1;
        hr = store->lpVtbl->OpenEntry(store, cb_inbox, inbox_eid, &IID_IMSLogon, 0, &type, &unk);
        ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED && unk == NULL,
           "OpenEntry with a wrong interface: %#lx\n", (unsigned long)hr);
        host_FreeBuffer(inbox_eid);
    }

    check_default_folders(store, second);
    check_garbage_ids(store, logon);
    if (!second)
        check_set_receive_folder(store);

    /* Store entry IDs compared by the provider. */
    if (!second) {
        SizedSPropTagArray(1, t) = { 1, { PR_ENTRYID } };
        ULONG n = 0, same = 0;
        LPSPropValue v = NULL;
        store->lpVtbl->GetProps(store, (LPSPropTagArray)&t, 0, &n, &v);
        if (v && v[0].Value.bin.cb == WRAP_HEAD + 48) {
            LPENTRYID own = (LPENTRYID)(v[0].Value.bin.lpb + WRAP_HEAD);
            hr = provider->lpVtbl->CompareStoreIDs(provider, 48, own, 48, own, 0, &same);
            ok(hr == S_OK && same == TRUE, "CompareStoreIDs: %#lx %lu\n", (unsigned long)hr,
               (unsigned long)same);
        }
        host_FreeBuffer(v);
    }

    ULONG flags = 0;
    hr = logon->lpVtbl->Logoff(logon, &flags);
    ok(hr == S_OK, "Logoff: %#lx\n", (unsigned long)hr);
    ok(logon->lpVtbl->Release(logon) == 0, "IMSLogon still referenced\n");
    ok(store->lpVtbl->Release(store) == 0, "IMsgStore still referenced\n");
}

int main(int argc, char **argv)
{
    char path[MAX_PATH];

    if (argc < 2)
        test_fatal("usage: test_provider_host PATH-TO-mapidav32.dll\n");
    to_windows_path(path, sizeof path, argv[1]);
    host_support_setup();
    host_store_path(L"mapidav-host");

    HMODULE dll = LoadLibraryA(path);
    if (!dll)
        test_fatal("LoadLibrary(%s) failed: error %lu\n", path, GetLastError());
    MSPROVIDERINIT *init = (MSPROVIDERINIT *)(void (*)(void))GetProcAddress(dll, "MSProviderInit");
    if (!init)
        test_fatal("MSProviderInit not exported\n");

    /* A MAPI older than our SPI is refused. */
    LPMSPROVIDER provider = (LPMSPROVIDER)(ULONG_PTR)1;
    ULONG version = 0;
    HRESULT hr = init(dll, NULL, host_AllocateBuffer, host_AllocateMore, host_FreeBuffer, 0,
        CURRENT_SPI_VERSION - 1, &version, &provider);
    ok(hr == MAPI_E_VERSION && provider == NULL, "old SPI version: %#lx\n", (unsigned long)hr);

    hr = init(dll, NULL, host_AllocateBuffer, host_AllocateMore, host_FreeBuffer, 0,
        CURRENT_SPI_VERSION, &version, &provider);
    ok(hr == S_OK && provider, "MSProviderInit: %#lx\n", (unsigned long)hr);
    ok(version == CURRENT_SPI_VERSION, "provider SPI version %#lx\n", (unsigned long)version);
    if (hr != S_OK)
        test_fatal("no provider\n");

    IMapidavDebug *debug = NULL;
    hr = provider->lpVtbl->QueryInterface(provider, &IID_IMapidavDebug, (void **)&debug);
    ok(hr == S_OK && debug, "IID_IMapidavDebug: %#lx\n", (unsigned long)hr);
    if (debug)
        ok(debug->lpVtbl->LiveObjects(debug) == 1, "live objects after init: %ld\n",
           (long)debug->lpVtbl->LiveObjects(debug));
    IUnknown *unk = NULL;
    hr = provider->lpVtbl->QueryInterface(provider, &IID_IMsgStore, (void **)&unk);
    ok(hr == E_NOINTERFACE && unk == NULL, "provider QueryInterface(IMsgStore): %#lx\n",
       (unsigned long)hr);

    /* Logon without a store path in the profile: unconfigured. */
    WCHAR saved = store_path[0];
    store_path[0] = 0;
    ULONG cb_spool = 0;
    LPBYTE spool = NULL;
    LPMSLOGON logon = (LPMSLOGON)(ULONG_PTR)1;
    LPMDB mdb = (LPMDB)(ULONG_PTR)1;
    hr = provider->lpVtbl->Logon(provider, &support, 0, NULL, 0, NULL, 0, NULL, &cb_spool,
        &spool, NULL, &logon, &mdb);
    ok(hr == MAPI_E_UNCONFIGURED && logon == NULL && mdb == NULL,
       "Logon without a store path: %#lx\n", (unsigned long)hr);
    store_path[0] = saved;

    logon_and_drive(provider, 0);      /* creates the store and its folders */
    logon_and_drive(provider, 1);      /* finds them again */
    check_spooler_and_eid_logon(provider);
    check_corrupt_store(provider);
    if (debug)
        ok(debug->lpVtbl->LiveObjects(debug) == 1, "live objects after logoff: %ld\n",
           (long)debug->lpVtbl->LiveObjects(debug));

    ULONG flags = 0;
    ok(provider->lpVtbl->Shutdown(provider, &flags) == S_OK, "Shutdown failed\n");
    ok(provider->lpVtbl->Release(provider) == 0, "IMSProvider still referenced\n");
    if (debug)
        ok(debug->lpVtbl->LiveObjects(debug) == 0, "live objects at the end: %ld\n",
           (long)debug->lpVtbl->LiveObjects(debug));
    ok(sup_refs == 1, "support object references left: %ld\n", (long)sup_refs - 1);
    ok(buffers_live == 0, "MAPI buffers not freed: %ld\n", (long)buffers_live);
    ok(subscribes == unsubscribes, "Subscribe %d, Unsubscribe %d\n", subscribes, unsubscribes);
    (void)notifies;

    ok(FreeLibrary(dll), "FreeLibrary failed: error %lu\n", GetLastError());
    host_remove_store();
    return test_done();
}
