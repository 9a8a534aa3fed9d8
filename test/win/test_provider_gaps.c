/*
 * test_provider_gaps.c: what the first wave of the provider left out,
 * through mapidav32.dll with the stand-in MAPI of host_support.h, under
 * Wine:
 * - named properties without a list: GetNamesFromIDs with *tags NULL
 *   (every name, by property set, MAPI_NO_STRINGS / MAPI_NO_IDS) and
 *   GetIDsFromNames with no names (every id);
 * - SaveContentsSort: a new contents table of the folder starts in the
 *   saved order (QuerySortOrder and the rows), a damaged saved sort leaves
 *   the default order;
 * - IMsgStore SetProps / DeleteProps of values the store does not compute
 *   (a named property, PR_COMMENT), kept across a logoff and a new logon;
 *   computed ones refused per value;
 * - OLE attachments: PR_ATTACH_DATA_OBJ as IStorage made with MAPI_CREATE
 *   (streams and a nested storage), read back after the message is saved
 *   and reopened, changed with MAPI_MODIFY; refused on a data attachment,
 *   on a read-only one for writing, and on bytes that are no compound file;
 * - PT_ACTIONS: PR_RULE_ACTIONS with one action of every type set on a rule
 *   message, read back before and after SaveChanges; a wrong version, a
 *   nested PT_ACTIONS, an unknown type, too many actions and NULL refused
 *   per value;
 * then every object released (live-object counter) and every MAPI buffer
 * freed.
 *
 * usage: test_provider_gaps PATH-TO-mapidav32.dll
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIFolder
#define USES_IID_IMAPIContainer
#define USES_IID_IMsgStore
#define USES_IID_IMSProvider
#define USES_IID_IMSLogon
#define USES_IID_IMessage
#define USES_IID_IMAPITable
#define USES_IID_IAttachment
#define USES_IID_IStorage
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
#include "provider/actions.h"
#include "provider/folderops.h"
#include "provider/object.h"
#include "provider/store.h"

#define hrx(hr) ((unsigned long)(hr))

static IMsgStore *store;

/* A property set of the test's own: no other name of the store is in it. */
DEFINE_GUID(PSETID_GapsTest, 0x67617073, 0x7465, 0x7374, 0x80, 0x01, 0x02, 0x03, 0x04, 0x05,
    0x06, 0x07);

static IMAPIFolder *open_folder(ULONG cb, const BYTE *eid)
{
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = store->lpVtbl->OpenEntry(store, cb, (LPENTRYID)eid, &IID_IMAPIFolder,
        MAPI_MODIFY, &type, &unk);
    ok(hr == S_OK && type == MAPI_FOLDER, "OpenEntry(folder): %#lx\n", hrx(hr));
    return (IMAPIFolder *)unk;
}

static IMAPIFolder *open_ipm(void)
{
    LPSPropValue v = host_get_one(store, PR_IPM_SUBTREE_ENTRYID);
    IMAPIFolder *f = v ? open_folder(v->Value.bin.cb, v->Value.bin.lpb) : NULL;
    host_FreeBuffer(v);
    if (!f)
        test_fatal("no IPM subtree\n");
    return f;
}

/* ---- 1. named properties, all of them */

/* Three names of PSETID_GapsTest (two numeric, one string) made with
 * MAPI_CREATE: their tags in out. */
static void make_names(ULONG out[3])
{
    MAPINAMEID n[3];
    LPMAPINAMEID pn[3] = { &n[0], &n[1], &n[2] };
    for (int i = 0; i < 3; i++)
        n[i].lpguid = (LPGUID)&PSETID_GapsTest;
    n[0].ulKind = MNID_ID;
    n[0].Kind.lID = 0x8501;
    n[1].ulKind = MNID_STRING;
    n[1].Kind.lpwstrName = (LPWSTR)L"gaps-string";
    n[2].ulKind = MNID_ID;
    n[2].Kind.lID = 0x8502;
    LPSPropTagArray tags = NULL;
    HRESULT hr = store->lpVtbl->GetIDsFromNames(store, 3, pn, MAPI_CREATE, &tags);
    ok(hr == S_OK && tags && tags->cValues == 3, "GetIDsFromNames(create): %#lx\n", hrx(hr));
    for (int i = 0; i < 3; i++)
        out[i] = tags && tags->cValues == 3 ? tags->aulPropTag[i] : 0;
    host_FreeBuffer(tags);
}

static int has_tag(const SPropTagArray *t, ULONG tag)
{
    for (ULONG i = 0; t && i < t->cValues; i++)
        if (t->aulPropTag[i] == tag)
            return 1;
    return 0;
}

static void check_all_names(void)
{
    ULONG mine[3];
    make_names(mine);

    /* GetNamesFromIDs(*tags NULL, our set): exactly our three, in id order */
    LPSPropTagArray tags = NULL;
    ULONG count = 0;
    LPMAPINAMEID *names = NULL;
    HRESULT hr = store->lpVtbl->GetNamesFromIDs(store, &tags, (LPGUID)&PSETID_GapsTest, 0,
        &count, &names);
    ok(hr == S_OK && tags && names && count == 3 && tags->cValues == 3,
       "GetNamesFromIDs(all of one set): %#lx, %lu names\n", hrx(hr), (unsigned long)count);
    if (hr == S_OK && count == 3 && tags->cValues == 3) {
        for (ULONG i = 0; i < 3; i++)
            ok(tags->aulPropTag[i] == mine[i]
               && IsEqualGUID(names[i]->lpguid, &PSETID_GapsTest), "name %lu: tag %#lx want %#lx\n",
               (unsigned long)i, (unsigned long)tags->aulPropTag[i], (unsigned long)mine[i]);
        ok(names[0]->ulKind == MNID_ID && names[0]->Kind.lID == 0x8501, "numeric name\n");
        ok(names[1]->ulKind == MNID_STRING && !wcscmp(names[1]->Kind.lpwstrName, L"gaps-string"),
           "string name\n");
    }
    host_FreeBuffer(tags);
    host_FreeBuffer(names);

    /* MAPI_NO_STRINGS and MAPI_NO_IDS leave kinds out */
    tags = NULL;
    hr = store->lpVtbl->GetNamesFromIDs(store, &tags, (LPGUID)&PSETID_GapsTest, MAPI_NO_STRINGS,
        &count, &names);
    ok(hr == S_OK && count == 2 && tags && tags->cValues == 2 && tags->aulPropTag[1] == mine[2],
       "GetNamesFromIDs(all, MAPI_NO_STRINGS): %#lx, %lu\n", hrx(hr), (unsigned long)count);
    host_FreeBuffer(tags);
    host_FreeBuffer(names);
    tags = NULL;
    hr = store->lpVtbl->GetNamesFromIDs(store, &tags, (LPGUID)&PSETID_GapsTest, MAPI_NO_IDS,
        &count, &names);
    ok(hr == S_OK && count == 1 && tags && tags->aulPropTag[0] == mine[1],
       "GetNamesFromIDs(all, MAPI_NO_IDS): %#lx, %lu\n", hrx(hr), (unsigned long)count);
    host_FreeBuffer(tags);
    host_FreeBuffer(names);

    /* no set: every name of the catalog, ours among them */
    tags = NULL;
    hr = store->lpVtbl->GetNamesFromIDs(store, &tags, NULL, 0, &count, &names);
    ok(hr == S_OK && tags && count >= 3 && tags->cValues == count && has_tag(tags, mine[0])
       && has_tag(tags, mine[1]) && has_tag(tags, mine[2]),
       "GetNamesFromIDs(all): %#lx, %lu\n", hrx(hr), (unsigned long)count);
    ULONG all = count;
    host_FreeBuffer(tags);
    host_FreeBuffer(names);

    /* a set no name is in: none, no error */
    tags = NULL;
    hr = store->lpVtbl->GetNamesFromIDs(store, &tags, (LPGUID)&IID_IMAPITable, 0, &count,
        &names);
    ok(hr == S_OK && count == 0 && tags && tags->cValues == 0,
       "GetNamesFromIDs(all of an unused set): %#lx, %lu\n", hrx(hr), (unsigned long)count);
    host_FreeBuffer(tags);
    host_FreeBuffer(names);

    /* GetIDsFromNames(0, NULL): every id, the same count */
    tags = NULL;
    hr = store->lpVtbl->GetIDsFromNames(store, 0, NULL, 0, &tags);
    ok(hr == S_OK && tags && tags->cValues == all && has_tag(tags, PROP_TAG(PT_UNSPECIFIED,
       PROP_ID(mine[1]))), "GetIDsFromNames(no names): %#lx, %lu\n", hrx(hr),
       (unsigned long)(tags ? tags->cValues : 0));
    host_FreeBuffer(tags);

    /* half-given lists stay errors */
    tags = NULL;
    hr = store->lpVtbl->GetIDsFromNames(store, 2, NULL, 0, &tags);
    ok(hr == MAPI_E_INVALID_PARAMETER && !tags, "GetIDsFromNames(2, NULL): %#lx\n", hrx(hr));
    hr = store->lpVtbl->GetNamesFromIDs(store, NULL, NULL, 0, &count, &names);
    ok(hr == MAPI_E_INVALID_PARAMETER, "GetNamesFromIDs(NULL): %#lx\n", hrx(hr));
    tags = NULL;
    hr = store->lpVtbl->GetNamesFromIDs(store, &tags, NULL, 0x1000, &count, &names);
    ok(hr == MAPI_E_UNKNOWN_FLAGS && !tags, "GetNamesFromIDs(bad flag): %#lx\n", hrx(hr));
}

/* ---- 2. SaveContentsSort -> the sort of a new contents table */

static void make_msg(IMAPIFolder *f, const WCHAR *subject)
{
    IMessage *m = NULL;
    HRESULT hr = f->lpVtbl->CreateMessage(f, NULL, 0, &m);
    ok(hr == S_OK && m, "CreateMessage: %#lx\n", hrx(hr));
    if (!m)
        return;
    SPropValue v[2];
    v[0].ulPropTag = PR_SUBJECT_W;
    v[0].Value.lpszW = (WCHAR *)subject;
    v[1].ulPropTag = PR_MESSAGE_CLASS_W;
    v[1].Value.lpszW = (WCHAR *)L"IPM.Note";
    ok(m->lpVtbl->SetProps(m, 2, v, NULL) == S_OK, "SetProps\n");
    ok(m->lpVtbl->SaveChanges(m, 0) == S_OK, "SaveChanges\n");
    m->lpVtbl->Release(m);
}

/* The subjects of f's contents table, in its order, joined by '|', and
 * its sort order's first key (0 when none) and count of keys. */
static void table_order(IMAPIFolder *f, WCHAR *out, size_t cap, ULONG *key, ULONG *n_keys)
{
    IMAPITable *t = NULL;
    out[0] = 0;
    *key = 0;
    *n_keys = 99;
    HRESULT hr = f->lpVtbl->GetContentsTable(f, MAPI_UNICODE, &t);
    ok(hr == S_OK && t, "GetContentsTable: %#lx\n", hrx(hr));
    if (!t)
        return;
    LPSSortOrderSet sort = NULL;
    hr = t->lpVtbl->QuerySortOrder(t, &sort);
    ok(hr == S_OK && sort, "QuerySortOrder: %#lx\n", hrx(hr));
    if (sort) {
        *n_keys = sort->cSorts;
        *key = sort->cSorts ? sort->aSort[0].ulPropTag | sort->aSort[0].ulOrder << 31 : 0;
    }
    host_FreeBuffer(sort);
    SizedSPropTagArray(1, cols) = { 1, { PR_SUBJECT_W } };
    ok(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0) == S_OK, "SetColumns\n");
    LPSRowSet rows = NULL;
    hr = t->lpVtbl->QueryRows(t, 10, 0, &rows);
    ok(hr == S_OK && rows, "QueryRows: %#lx\n", hrx(hr));
    for (ULONG i = 0; rows && i < rows->cRows; i++) {
        const SPropValue *v = &rows->aRow[i].lpProps[0];
        if (i)
            wcsncat(out, L"|", cap - wcslen(out) - 1);
        if (v->ulPropTag == PR_SUBJECT_W)
            wcsncat(out, v->Value.lpszW, cap - wcslen(out) - 1);
    }
    host_free_rows(rows);
    t->lpVtbl->Release(t);
}

static void check_contents_sort(IMAPIFolder *ipm)
{
    IMAPIFolder *f = NULL;
    HRESULT hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)L"Sorted", NULL, NULL,
        MAPI_UNICODE, &f);
    ok(hr == S_OK && f, "CreateFolder: %#lx\n", hrx(hr));
    if (!f)
        return;
    make_msg(f, L"bravo");
    make_msg(f, L"alpha");
    make_msg(f, L"charlie");

    WCHAR order[128];
    ULONG key = 0, n = 0;
    SizedSSortOrderSet(1, desc) = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_DESCEND } } };
    hr = f->lpVtbl->SaveContentsSort(f, (LPSSortOrderSet)&desc, 0);
    ok(hr == S_OK, "SaveContentsSort(descending): %#lx\n", hrx(hr));
    table_order(f, order, 128, &key, &n);
    ok(n == 1 && key == (PR_SUBJECT_W | (ULONG)TABLE_SORT_DESCEND << 31),
       "new table's sort: %lu keys, %#lx\n", (unsigned long)n, (unsigned long)key);
    ok(!wcscmp(order, L"charlie|bravo|alpha"), "rows in the saved order: %ls\n", order);

    SizedSSortOrderSet(1, asc) = { 1, 0, 0, { { PR_SUBJECT_W, TABLE_SORT_ASCEND } } };
    hr = f->lpVtbl->SaveContentsSort(f, (LPSSortOrderSet)&asc, 0);
    ok(hr == S_OK, "SaveContentsSort(ascending): %#lx\n", hrx(hr));
    table_order(f, order, 128, &key, &n);
    ok(n == 1 && key == PR_SUBJECT_W && !wcscmp(order, L"alpha|bravo|charlie"),
       "saved again: %lu keys, %ls\n", (unsigned long)n, order);

    /* a damaged saved sort (written as a plain property) is ignored */
    BYTE junk[20] = { 200, 0, 0, 0 };
    SPropValue v;
    v.ulPropTag = PR_MAPIDAV_CONTENTS_SORT;
    v.Value.bin.cb = sizeof junk;
    v.Value.bin.lpb = junk;
    hr = f->lpVtbl->SetProps(f, 1, &v, NULL);
    ok(hr == S_OK, "SetProps(damaged sort): %#lx\n", hrx(hr));
    table_order(f, order, 128, &key, &n);
    ok(n == 0 && wcslen(order) == wcslen(L"alpha|bravo|charlie"),
       "damaged sort: default order, %lu keys\n", (unsigned long)n);

    /* the associated table keeps its own default */
    IMAPITable *t = NULL;
    hr = f->lpVtbl->SaveContentsSort(f, (LPSSortOrderSet)&desc, 0);
    hr = f->lpVtbl->GetContentsTable(f, MAPI_ASSOCIATED, &t);
    LPSSortOrderSet sort = NULL;
    ok(hr == S_OK && t && t->lpVtbl->QuerySortOrder(t, &sort) == S_OK && sort
       && sort->cSorts == 0, "associated table unsorted: %#lx\n", hrx(hr));
    host_FreeBuffer(sort);
    if (t)
        t->lpVtbl->Release(t);
    f->lpVtbl->Release(f);
}

/* ---- 3. the store's own properties */

static ULONG store_named_tag(void)
{
    MAPINAMEID n;
    LPMAPINAMEID pn = &n;
    n.lpguid = (LPGUID)&PSETID_GapsTest;
    n.ulKind = MNID_STRING;
    n.Kind.lpwstrName = (LPWSTR)L"outlook-store-flag";
    LPSPropTagArray tags = NULL;
    HRESULT hr = store->lpVtbl->GetIDsFromNames(store, 1, &pn, MAPI_CREATE, &tags);
    ULONG tag = hr == S_OK && tags ? CHANGE_PROP_TYPE(tags->aulPropTag[0], PT_LONG) : 0;
    host_FreeBuffer(tags);
    ok(tag != 0, "named tag for the store: %#lx\n", hrx(hr));
    return tag;
}

static void check_store_set(ULONG named)
{
    SPropValue v[3];
    v[0].ulPropTag = named;
    v[0].Value.l = 12345;
    v[1].ulPropTag = PR_COMMENT_W;
    v[1].Value.lpszW = (LPWSTR)L"kept by the store";
    v[2].ulPropTag = PR_STORE_SUPPORT_MASK;
    v[2].Value.l = 0;
    LPSPropProblemArray probs = NULL;
    HRESULT hr = store->lpVtbl->SetProps(store, 3, v, &probs);
    ok(hr == S_OK && probs && probs->cProblem == 1 && probs->aProblem[0].ulIndex == 2
       && probs->aProblem[0].scode == MAPI_E_COMPUTED,
       "IMsgStore::SetProps: %#lx, computed one refused\n", hrx(hr));
    host_FreeBuffer(probs);
    LPSPropValue g = host_get_one(store, named);
    ok(g && g->Value.l == 12345, "named value read back\n");
    host_FreeBuffer(g);
    g = host_get_one(store, PR_STORE_SUPPORT_MASK);
    ok(g && g->Value.l != 0, "computed value unchanged\n");
    host_FreeBuffer(g);
    LPSPropTagArray list = NULL;
    hr = store->lpVtbl->GetPropList(store, MAPI_UNICODE, &list);
    ok(hr == S_OK && has_tag(list, named) && has_tag(list, PR_COMMENT_W),
       "GetPropList shows the kept ones: %#lx\n", hrx(hr));
    host_FreeBuffer(list);
    /* SaveChanges on a store has nothing more to do */
    ok(store->lpVtbl->SaveChanges(store, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges\n");
}

static void check_store_kept(ULONG named)
{
    LPSPropValue g = host_get_one(store, named);
    ok(g && g->Value.l == 12345, "named value after a new logon\n");
    host_FreeBuffer(g);
    g = host_get_one(store, PR_COMMENT_W);
    ok(g && !wcscmp(g->Value.lpszW, L"kept by the store"), "PR_COMMENT after a new logon\n");
    host_FreeBuffer(g);
    SizedSPropTagArray(2, del) = { 2, { PR_COMMENT_W, PR_DISPLAY_NAME_W } };
    LPSPropProblemArray probs = NULL;
    HRESULT hr = store->lpVtbl->DeleteProps(store, (LPSPropTagArray)&del, &probs);
    ok(hr == S_OK && probs && probs->cProblem == 1 && probs->aProblem[0].ulIndex == 1,
       "IMsgStore::DeleteProps: %#lx, computed one refused\n", hrx(hr));
    host_FreeBuffer(probs);
    g = host_get_one(store, PR_COMMENT_W);
    ok(!g, "PR_COMMENT deleted\n");
    host_FreeBuffer(g);
    g = host_get_one(store, PR_DISPLAY_NAME_W);
    ok(g != NULL, "PR_DISPLAY_NAME still there\n");
    host_FreeBuffer(g);
}

/* ---- 4. OLE attachments: PR_ATTACH_DATA_OBJ as IStorage */

static const char ole_bytes[] = "OLE native data, kept in a compound file";

/* A stream named name in stg holding text: 1 when written. */
static int put_stream(IStorage *stg, const WCHAR *name, const char *text)
{
    IStream *st = NULL;
    HRESULT hr = stg->lpVtbl->CreateStream(stg, name, STGM_CREATE | STGM_READWRITE
        | STGM_SHARE_EXCLUSIVE, 0, 0, &st);
    ok(hr == S_OK && st, "IStorage::CreateStream(%ls): %#lx\n", name, hrx(hr));
    if (!st)
        return 0;
    ULONG put = 0;
    hr = st->lpVtbl->Write(st, text, (ULONG)strlen(text), &put);
    ok(hr == S_OK && put == strlen(text), "IStream::Write: %#lx\n", hrx(hr));
    st->lpVtbl->Release(st);
    return hr == S_OK;
}

/* 1 when stream name of stg holds exactly text. */
static int stream_is(IStorage *stg, const WCHAR *name, const char *text)
{
    IStream *st = NULL;
    HRESULT hr = stg->lpVtbl->OpenStream(stg, name, NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0,
        &st);
    ok(hr == S_OK && st, "IStorage::OpenStream(%ls): %#lx\n", name, hrx(hr));
    if (!st)
        return 0;
    char buf[128] = { 0 };
    ULONG got = 0;
    st->lpVtbl->Read(st, buf, sizeof buf - 1, &got);
    st->lpVtbl->Release(st);
    return got == strlen(text) && !memcmp(buf, text, got);
}

static IAttach *open_attach(IMessage *m, ULONG num, ULONG flags)
{
    IAttach *a = NULL;
    HRESULT hr = m->lpVtbl->OpenAttach(m, num, NULL, flags, &a);
    ok(hr == S_OK && a, "OpenAttach(%lu): %#lx\n", (unsigned long)num, hrx(hr));
    return a;
}

static IStorage *open_stg(IAttach *a, ULONG flags, HRESULT want)
{
    IStorage *stg = NULL;
    HRESULT hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IStorage, 0, flags,
        (LPUNKNOWN *)&stg);
    ok(hr == want && (hr == S_OK) == (stg != NULL),
       "OpenProperty(PR_ATTACH_DATA_OBJ, IStorage, %#lx): %#lx, want %#lx\n",
       (unsigned long)flags, hrx(hr), hrx(want));
    return stg;
}

/* PR_ATTACH_METHOD and a PR_DISPLAY_NAME to find the attachment by (its
 * number may change when the message is first saved). */
static void set_method(IAttach *a, LONG method, const WCHAR *name)
{
    SPropValue v[2];
    v[0].ulPropTag = PR_ATTACH_METHOD;
    v[0].Value.l = method;
    v[1].ulPropTag = PR_DISPLAY_NAME_W;
    v[1].Value.lpszW = (LPWSTR)name;
    ok(a->lpVtbl->SetProps(a, 2, v, NULL) == S_OK, "SetProps(PR_ATTACH_METHOD)\n");
}

/* PR_ATTACH_NUM of m's attachment named name (attachment table), or ~0. */
static ULONG attach_num(IMessage *m, const WCHAR *name)
{
    IMAPITable *t = NULL;
    ULONG num = ~0ul;
    HRESULT hr = m->lpVtbl->GetAttachmentTable(m, MAPI_UNICODE, &t);
    ok(hr == S_OK && t, "GetAttachmentTable: %#lx\n", hrx(hr));
    if (!t)
        return num;
    SizedSPropTagArray(2, cols) = { 2, { PR_ATTACH_NUM, PR_DISPLAY_NAME_W } };
    LPSRowSet rows = NULL;
    if (t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0) == S_OK
        && t->lpVtbl->QueryRows(t, 50, 0, &rows) == S_OK)
        for (ULONG i = 0; rows && i < rows->cRows; i++) {
            const SPropValue *p = rows->aRow[i].lpProps;
            if (p[0].ulPropTag == PR_ATTACH_NUM && p[1].ulPropTag == PR_DISPLAY_NAME_W
                && !wcscmp(p[1].Value.lpszW, name))
                num = (ULONG)p[0].Value.l;
        }
    host_free_rows(rows);
    t->lpVtbl->Release(t);
    ok(num != ~0ul, "attachment %ls in the table\n", name);
    return num;
}

static void check_ole_attachment(IMAPIFolder *ipm)
{
    IMessage *m = NULL;
    HRESULT hr = ipm->lpVtbl->CreateMessage(ipm, NULL, 0, &m);
    ok(hr == S_OK && m, "CreateMessage: %#lx\n", hrx(hr));
    if (!m)
        return;
    /* an OLE attachment made through IStorage before anything is saved */
    IAttach *a = NULL;
    ULONG num = 0, num_bin = 0, num_bad = 0;
    ok(m->lpVtbl->CreateAttach(m, NULL, 0, &num, &a) == S_OK && a, "CreateAttach\n");
    if (!a)
        return;
    set_method(a, ATTACH_OLE, L"ole");
    open_stg(a, 0, MAPI_E_NOT_FOUND);   /* nothing there, nothing made */
    IStorage *stg = open_stg(a, MAPI_CREATE | MAPI_MODIFY, S_OK);
    if (stg) {
        put_stream(stg, L"CONTENTS", ole_bytes);
        IStorage *sub = NULL;
        hr = stg->lpVtbl->CreateStorage(stg, L"Sub", STGM_CREATE | STGM_READWRITE
            | STGM_SHARE_EXCLUSIVE, 0, 0, &sub);
        ok(hr == S_OK && sub, "IStorage::CreateStorage: %#lx\n", hrx(hr));
        if (sub) {
            put_stream(sub, L"Inner", "nested");
            sub->lpVtbl->Commit(sub, STGC_DEFAULT);
            sub->lpVtbl->Release(sub);
        }
        ok(stg->lpVtbl->Commit(stg, STGC_DEFAULT) == S_OK, "IStorage::Commit\n");
        stg->lpVtbl->Release(stg);
    }
    ok(a->lpVtbl->SaveChanges(a, 0) == S_OK, "IAttach::SaveChanges\n");
    a->lpVtbl->Release(a);

    /* a data attachment: no IStorage on it */
    a = NULL;
    ok(m->lpVtbl->CreateAttach(m, NULL, 0, &num_bin, &a) == S_OK && a, "CreateAttach(2)\n");
    if (a) {
        set_method(a, ATTACH_BY_VALUE, L"bin");
        open_stg(a, MAPI_CREATE | MAPI_MODIFY, MAPI_E_INTERFACE_NOT_SUPPORTED);
        a->lpVtbl->SaveChanges(a, 0);
        a->lpVtbl->Release(a);
    }
    /* an OLE attachment whose data is no compound file */
    a = NULL;
    ok(m->lpVtbl->CreateAttach(m, NULL, 0, &num_bad, &a) == S_OK && a, "CreateAttach(3)\n");
    if (a) {
        set_method(a, ATTACH_OLE, L"bad");
        SPropValue v;
        v.ulPropTag = PR_ATTACH_DATA_BIN;
        v.Value.bin.cb = sizeof ole_bytes;
        v.Value.bin.lpb = (LPBYTE)ole_bytes;
        ok(a->lpVtbl->SetProps(a, 1, &v, NULL) == S_OK, "SetProps(garbage OLE)\n");
        a->lpVtbl->SaveChanges(a, 0);
        a->lpVtbl->Release(a);
    }
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "IMessage::SaveChanges\n");
    BYTE eid[64];
    ULONG cb = host_eid_of(m, eid);
    m->lpVtbl->Release(m);

    /* reopened from the store: the compound file is there, read-only */
    ULONG type = 0;
    m = NULL;
    hr = store->lpVtbl->OpenEntry(store, cb, (LPENTRYID)eid, NULL, MAPI_MODIFY, &type,
        (LPUNKNOWN *)&m);
    ok(hr == S_OK && m, "OpenEntry(message): %#lx\n", hrx(hr));
    if (!m)
        return;
    num = attach_num(m, L"ole");
    num_bin = attach_num(m, L"bin");
    num_bad = attach_num(m, L"bad");
    a = open_attach(m, num, MAPI_MODIFY);
    stg = a ? open_stg(a, 0, S_OK) : NULL;
    if (stg) {
        ok(stream_is(stg, L"CONTENTS", ole_bytes), "CONTENTS read back\n");
        IStorage *sub = NULL;
        hr = stg->lpVtbl->OpenStorage(stg, L"Sub", NULL, STGM_READ | STGM_SHARE_EXCLUSIVE,
            NULL, 0, &sub);
        ok(hr == S_OK && sub && stream_is(sub, L"Inner", "nested"), "nested storage: %#lx\n",
           hrx(hr));
        if (sub)
            sub->lpVtbl->Release(sub);
        IStream *w = NULL;
        hr = stg->lpVtbl->CreateStream(stg, L"More", STGM_CREATE | STGM_READWRITE
            | STGM_SHARE_EXCLUSIVE, 0, 0, &w);
        ok(FAILED(hr) && !w, "read-only storage refuses a new stream: %#lx\n", hrx(hr));
        stg->lpVtbl->Release(stg);
    }
    /* MAPI_MODIFY: a stream added, kept after SaveChanges */
    stg = a ? open_stg(a, MAPI_MODIFY, S_OK) : NULL;
    if (stg) {
        put_stream(stg, L"More", "added later");
        ok(stg->lpVtbl->Commit(stg, STGC_DEFAULT) == S_OK, "IStorage::Commit (modify)\n");
        stg->lpVtbl->Release(stg);
        ok(a->lpVtbl->SaveChanges(a, 0) == S_OK, "IAttach::SaveChanges (modify)\n");
        ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges (modify)\n");
    }
    if (a)
        a->lpVtbl->Release(a);
    a = open_attach(m, num, 0);
    stg = a ? open_stg(a, 0, S_OK) : NULL;
    if (stg) {
        ok(stream_is(stg, L"More", "added later") && stream_is(stg, L"CONTENTS", ole_bytes),
           "both streams after the change\n");
        stg->lpVtbl->Release(stg);
    }
    if (a) {
        open_stg(a, MAPI_MODIFY, MAPI_E_NO_ACCESS);   /* attachment opened read-only */
        a->lpVtbl->Release(a);
    }
    a = open_attach(m, num_bad, 0);
    if (a) {
        open_stg(a, 0, MAPI_E_CORRUPT_DATA);
        a->lpVtbl->Release(a);
    }
    a = open_attach(m, num_bin, 0);
    if (a) {
        open_stg(a, 0, MAPI_E_INTERFACE_NOT_SUPPORTED);
        a->lpVtbl->Release(a);
    }
    m->lpVtbl->Release(m);
}

/* ---- 5. PT_ACTIONS values */

#ifndef PR_RULE_ACTIONS
#define PR_RULE_ACTIONS PROP_TAG(PT_ACTIONS, 0x6680)
#endif

/* A rule message's actions: one of every type. */
static void fill_actions(ACTIONS *acts, ACTION act[11], ADRLIST *al, SPropValue rv[2])
{
    static BYTE store_eid[] = { 1, 2, 3, 4 }, folder_eid[] = { 5, 6, 7 }, defer[] = { 0xde, 0xfe };
    memset(act, 0, 11 * sizeof *act);
    for (int i = 0; i < 11; i++) {
        act[i].acttype = (ACTTYPE)(i + 1);
        act[i].ulActionFlavor = (ULONG)i;
    }
    act[0].actMoveCopy.cbStoreEntryId = sizeof store_eid;
    act[0].actMoveCopy.lpStoreEntryId = (LPENTRYID)store_eid;
    act[0].actMoveCopy.cbFldEntryId = sizeof folder_eid;
    act[0].actMoveCopy.lpFldEntryId = (LPENTRYID)folder_eid;
    act[1].actMoveCopy.cbFldEntryId = sizeof folder_eid;   /* copy: in this store */
    act[1].actMoveCopy.lpFldEntryId = (LPENTRYID)folder_eid;
    act[2].actReply.cbEntryId = sizeof folder_eid;
    act[2].actReply.lpEntryId = (LPENTRYID)folder_eid;
    act[2].actReply.guidReplyTemplate = PSETID_GapsTest;
    act[4].actDeferAction.cbData = sizeof defer;
    act[4].actDeferAction.pbData = defer;
    act[5].scBounceCode = 38;
    rv[0].ulPropTag = PR_DISPLAY_NAME_W;
    rv[0].Value.lpszW = (LPWSTR)L"Forward \u00e9 here";
    rv[1].ulPropTag = PR_RECIPIENT_TYPE;
    rv[1].Value.l = MAPI_TO;
    al->cEntries = 1;
    al->aEntries[0].ulReserved1 = 0;
    al->aEntries[0].cValues = 2;
    al->aEntries[0].rgPropVals = rv;
    act[6].lpadrlist = al;
    act[7].lpadrlist = al;
    act[8].propTag.ulPropTag = PR_IMPORTANCE;
    act[8].propTag.Value.l = IMPORTANCE_HIGH;
    acts->ulVersion = EDK_RULES_VERSION;
    acts->cActions = 11;
    acts->lpAction = act;
}

static void check_actions_read(const ACTIONS *g)
{
    ok(g && g->ulVersion == EDK_RULES_VERSION && g->cActions == 11 && g->lpAction,
       "ACTIONS read back: %u actions\n", g ? g->cActions : 0);
    if (!g || g->cActions != 11 || !g->lpAction)
        return;
    const ACTION *a = g->lpAction;
    ok(a[0].acttype == OP_MOVE && a[0].actMoveCopy.cbStoreEntryId == 4
       && ((BYTE *)a[0].actMoveCopy.lpStoreEntryId)[3] == 4 && a[0].actMoveCopy.cbFldEntryId == 3,
       "OP_MOVE\n");
    ok(a[1].acttype == OP_COPY && a[1].actMoveCopy.cbStoreEntryId == 0
       && a[1].ulActionFlavor == 1, "OP_COPY\n");
    ok(a[2].acttype == OP_REPLY && IsEqualGUID(&a[2].actReply.guidReplyTemplate,
       &PSETID_GapsTest) && a[2].actReply.cbEntryId == 3, "OP_REPLY\n");
    ok(a[4].acttype == OP_DEFER_ACTION && a[4].actDeferAction.cbData == 2
       && a[4].actDeferAction.pbData[0] == 0xde, "OP_DEFER_ACTION\n");
    ok(a[5].acttype == OP_BOUNCE && a[5].scBounceCode == 38, "OP_BOUNCE\n");
    for (int k = 6; k <= 7; k++) {
        const ADRLIST *l = a[k].lpadrlist;
        ok(l && l->cEntries == 1 && l->aEntries[0].cValues == 2
           && l->aEntries[0].rgPropVals[0].ulPropTag == PR_DISPLAY_NAME_W
           && !wcscmp(l->aEntries[0].rgPropVals[0].Value.lpszW, L"Forward \u00e9 here")
           && l->aEntries[0].rgPropVals[1].Value.l == MAPI_TO, "OP_FORWARD/OP_DELEGATE %d\n", k);
    }
    ok(a[8].acttype == OP_TAG && a[8].propTag.ulPropTag == PR_IMPORTANCE
       && a[8].propTag.Value.l == IMPORTANCE_HIGH, "OP_TAG\n");
    ok(a[9].acttype == OP_DELETE && a[10].acttype == OP_MARK_AS_READ
       && a[10].ulActionFlavor == 10, "OP_DELETE, OP_MARK_AS_READ\n");
}

static void check_actions(IMAPIFolder *ipm)
{
    IMessage *m = NULL;
    HRESULT hr = ipm->lpVtbl->CreateMessage(ipm, NULL, MAPI_ASSOCIATED, &m);
    ok(hr == S_OK && m, "CreateMessage(associated): %#lx\n", hrx(hr));
    if (!m)
        return;
    ACTIONS acts;
    ACTION act[11];
    SizedADRLIST(1, al);
    SPropValue rv[2];
    fill_actions(&acts, act, (ADRLIST *)&al, rv);
    SPropValue v[2];
    v[0].ulPropTag = PR_MESSAGE_CLASS_W;
    v[0].Value.lpszW = (LPWSTR)L"IPM.Rule.Version2.Message";
    v[1].ulPropTag = PR_RULE_ACTIONS;
    v[1].Value.lpszA = (LPSTR)&acts;
    LPSPropProblemArray probs = NULL;
    hr = m->lpVtbl->SetProps(m, 2, v, &probs);
    ok(hr == S_OK && !probs, "SetProps(PR_RULE_ACTIONS): %#lx, %lu problems\n", hrx(hr),
       probs ? (unsigned long)probs->cProblem : 0ul);
    host_FreeBuffer(probs);
    /* before saving: read back from the pending change */
    LPSPropValue g = host_get_one(m, PR_RULE_ACTIONS);
    check_actions_read(g ? (const ACTIONS *)(const void *)g->Value.lpszA : NULL);
    host_FreeBuffer(g);

    /* refused values: each its own problem, nothing kept */
    ACTIONS bad = acts;
    bad.ulVersion = 2;
    ACTION nested = act[8];
    SPropValue inner;
    inner.ulPropTag = PR_RULE_ACTIONS;
    inner.Value.lpszA = (LPSTR)&acts;
    nested.propTag = inner;
    ACTIONS loop = { EDK_RULES_VERSION, 1, &nested };
    ACTION unknown = act[9];
    unknown.acttype = (ACTTYPE)77;
    ACTIONS unk = { EDK_RULES_VERSION, 1, &unknown };
    ACTIONS many = { EDK_RULES_VERSION, 100000, act };
    SPropValue b[5];
    for (int i = 0; i < 5; i++)
        b[i].ulPropTag = PROP_TAG(PT_ACTIONS, 0x6681 + i);
    b[0].Value.lpszA = (LPSTR)&bad;
    b[1].Value.lpszA = (LPSTR)&loop;
    b[2].Value.lpszA = (LPSTR)&unk;
    b[3].Value.lpszA = (LPSTR)&many;
    b[4].Value.lpszA = NULL;
    static const SCODE want[5] = { MAPI_E_VERSION, MAPI_E_INVALID_TYPE,
        MAPI_E_INVALID_PARAMETER, MAPI_E_TOO_COMPLEX, MAPI_E_INVALID_PARAMETER };
    probs = NULL;
    hr = m->lpVtbl->SetProps(m, 5, b, &probs);
    ok(hr == S_OK && probs && probs->cProblem == 5, "SetProps(bad actions): %#lx\n", hrx(hr));
    for (ULONG i = 0; probs && i < probs->cProblem && i < 5; i++)
        ok(probs->aProblem[i].ulIndex == i && probs->aProblem[i].scode == want[i],
           "bad actions %lu: %#lx, want %#lx\n", (unsigned long)i,
           (unsigned long)probs->aProblem[i].scode, (unsigned long)want[i]);
    host_FreeBuffer(probs);

    ok(m->lpVtbl->SaveChanges(m, 0) == S_OK, "SaveChanges(rule message)\n");
    BYTE eid[64];
    ULONG cb = host_eid_of(m, eid);
    m->lpVtbl->Release(m);

    /* reopened: the same actions */
    ULONG type = 0;
    m = NULL;
    hr = store->lpVtbl->OpenEntry(store, cb, (LPENTRYID)eid, NULL, 0, &type, (LPUNKNOWN *)&m);
    ok(hr == S_OK && m, "OpenEntry(rule message): %#lx\n", hrx(hr));
    if (!m)
        return;
    g = host_get_one(m, PR_RULE_ACTIONS);
    check_actions_read(g ? (const ACTIONS *)(const void *)g->Value.lpszA : NULL);
    host_FreeBuffer(g);
    g = host_get_one(m, PROP_TAG(PT_ACTIONS, 0x6681));
    ok(!g, "a refused value was not kept\n");
    host_FreeBuffer(g);
    m->lpVtbl->Release(m);
}

/* A store written by a newer mapidav (PRAGMA user_version, bytes 60-63
 * of the SQLite header, above ours): Logon refuses it with MAPI_E_VERSION
 * and a MAPIERROR naming the file, and leaves it untouched; with the old
 * version back it logs on again. */
static void check_newer_store(IMSProvider *provider)
{
    HANDLE h = CreateFileW(store_path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0,
        NULL);
    ok(h != INVALID_HANDLE_VALUE, "open the store file\n");
    if (h == INVALID_HANDLE_VALUE)
        return;
    BYTE hdr[100], newer[4];
    DWORD got = 0;
    ok(ReadFile(h, hdr, sizeof hdr, &got, NULL) && got == sizeof hdr, "read the header\n");
    DWORD v = (DWORD)hdr[60] << 24 | (DWORD)hdr[61] << 16 | (DWORD)hdr[62] << 8 | hdr[63];
    ok(v == ST_STORE_VERSION, "the store's version: %lu\n", (unsigned long)v);
    v++;
    newer[0] = (BYTE)(v >> 24); newer[1] = (BYTE)(v >> 16); newer[2] = (BYTE)(v >> 8);
    newer[3] = (BYTE)v;
    SetFilePointer(h, 60, NULL, FILE_BEGIN);
    ok(WriteFile(h, newer, 4, &got, NULL) && got == 4, "write a newer version\n");
    CloseHandle(h);

    ULONG cb_spool = 0;
    LPBYTE spool = NULL;
    LPMSLOGON logon = NULL;
    LPMDB mdb = NULL;
    LPMAPIERROR err = NULL;
    HRESULT hr = provider->lpVtbl->Logon(provider, &support, 0, (LPTSTR)L"profile", 0, NULL,
        MDB_NO_DIALOG | MAPI_UNICODE, NULL, &cb_spool, &spool, &err, &logon, &mdb);
    ok(hr == MAPI_E_VERSION && !logon && !mdb, "Logon on a newer store: %#lx\n",
       (unsigned long)hr);
    ok(err && err->lpszError && wcsstr((WCHAR *)err->lpszError, L"mapidav-gaps"),
       "the MAPIERROR does not name the file: %ls\n",
       err && err->lpszError ? (WCHAR *)err->lpszError : L"(none)");
    host_FreeBuffer(err);

    h = CreateFileW(store_path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    BYTE now[100];
    ok(h != INVALID_HANDLE_VALUE && ReadFile(h, now, sizeof now, &got, NULL)
       && got == sizeof now && !memcmp(now + 60, newer, 4), "the newer file was changed\n");
    SetFilePointer(h, 60, NULL, FILE_BEGIN);
    WriteFile(h, hdr + 60, 4, &got, NULL);
    CloseHandle(h);
    host_session session;
    if (host_logon(provider, &session))
        host_logoff(&session);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        test_fatal("usage: test_provider_gaps PATH-TO-mapidav32.dll\n");
    host_support_setup();
    host_store_path(L"mapidav-gaps");

    HMODULE dll = NULL;
    IMSProvider *provider = host_load_provider(argv[1], &dll);
    IMapidavDebug *debug = NULL;
    provider->lpVtbl->QueryInterface(provider, &IID_IMapidavDebug, (void **)&debug);
    host_session session;
    if (!host_logon(provider, &session))
        test_fatal("no logon\n");
    store = session.store;
    IMAPIFolder *ipm = open_ipm();

    check_all_names();
    check_contents_sort(ipm);
    ULONG named = store_named_tag();
    check_store_set(named);
    check_ole_attachment(ipm);
    check_actions(ipm);

    ipm->lpVtbl->Release(ipm);
    host_logoff(&session);
    if (!host_logon(provider, &session))
        test_fatal("no second logon\n");
    store = session.store;
    check_store_kept(named);
    host_logoff(&session);
    check_newer_store(provider);

    host_unload_provider(provider, debug, dll);
    return test_done();
}
