/*
 * test_provider_table.c: IMAPITable of the store provider (provider/table.c)
 * driven the way Outlook's views drive it, under Wine.
 *
 * Part 1, through mapidav32.dll (LoadLibrary, MSProviderInit, the stand-in
 * MAPI of host_support.h): a first logon makes the store; then, logged
 * off, the test fills a folder "Big" with 10,000 messages by storage calls
 * on the store file (st_import, as the sync thread would); a second logon
 * opens it through the root's hierarchy table and checks: the columns
 * (computed PR_ENTRYID, PR_PARENT_ENTRYID, PR_STORE_ENTRYID,
 * PR_STORE_RECORD_KEY, PR_OBJECT_TYPE, PR_RECORD_KEY), QueryColumns with
 * TBL_ALL_COLUMNS, sorts ascending / descending / multi-key and
 * QuerySortOrder, categories with ExpandRow / CollapseRow and the collapse
 * state carried to another table, a multi-valued column and sort with
 * MV_INSTANCE (one row per value), restrictions (content, property,
 * bitmask, AND/NOT, RELOP_RE refused), SeekRow / SeekRowApprox /
 * QueryPosition, QueryRows forward, backward and TBL_NOADVANCE,
 * bookmarks, FindRow both ways, row counts, the associated contents, a
 * search folder's contents (rows name the message's own folder as parent;
 * FOLDER_SEARCH in the hierarchy), the hierarchy table with and without
 * CONVENIENT_DEPTH, 8-bit tables, bad arguments.
 *
 * Part 2, the same provider code linked into this program (provider_lib):
 * a table notification (TABLE_ROW_ADDED with the row, TABLE_ROW_DELETED)
 * reaches an advise sink when another thread writes a message with its own
 * st_store handle, standing in for the sync thread; a sink may release the
 * table's last reference from OnNotify; a hierarchy table hears a folder
 * that thread makes. This part cannot go
 * through the DLL: storage's change bus is per process *per copy of
 * storage*, and the DLL carries its own; a writer in this program using the
 * DLL's copy is what the real sync thread is, and what this part is.
 *
 * At the end of each part the provider's live-object counter is back at
 * zero and every MAPI buffer freed.
 *
 * usage: test_provider_table PATH-TO-mapidav32.dll
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <mapiguid.h>
#include <mapispi.h>
#include <mapicode.h>
#include <mapitags.h>

#include "testutil.h"
#include "host_alloc.h"
#include "dll_path.h"
#include "host_support.h"
#include "host_session.h"
#include "advise_sink.h"
#include "provider/object.h"
#include "provider/store.h"
#include "provider/table.h"
#include "storage/storage.h"
#include "big_folder.h"

#define N_MSGS 10000
#define N_SENDERS 7
static const char *const senders[N_SENDERS] = {
    "Alice", "bob", "Carol", "dave", "Eve", "frank", "Grace" };
static const uint64_t T0 = 133000000000000000ULL;   /* 2022 in FILETIME ticks */

/* The generated messages: what each has. */
static const char *sender_of(int i) { return senders[(i * 3) % N_SENDERS]; }
static int importance_of(int i) { return i % 3; }
static int is_read(int i) { return i % 4 == 0; }
static uint64_t time_of(int i) { return T0 + (uint64_t)((i * 7919) % N_MSGS) * 600000000ULL; }

/* The first N_CATEGORIZED messages carry a multi-valued string property
 * (a stand-in for Outlook's named Categories): every third "red" and
 * "blue", the others "green". */
#define N_CATEGORIZED 30
#define PR_TEST_CATEGORIES PROP_TAG(PT_MV_UNICODE, 0x8101)
static const char *const two_cats[] = { "red", "blue" };
static const char *const one_cat[] = { "green" };

static char store_path8[MAX_PATH * 3];

/* ---- Helpers */

static const SPropValue *find_prop(const SRow *row, ULONG tag)
{
    for (ULONG i = 0; i < row->cValues; i++)
        if (row->lpProps[i].ulPropTag == tag)
            return &row->lpProps[i];
    return NULL;
}

/* The message number in a subject "Message 01234", or -1. */
static int msg_num(const SRow *row)
{
    const SPropValue *v = find_prop(row, PR_SUBJECT_W);
    int n = -1;
    if (v && swscanf(v->Value.lpszW, L"Message %d", &n) == 1)
        return n;
    return -1;
}

/* The object id in an entry ID of ours (48 bytes, id at 40). */
static ULONGLONG eid_id(const SBinary *b)
{
    ULONGLONG id = 0;
    if (b->cb != 48)
        return 0;
    for (int i = 0; i < 8; i++)
        id |= (ULONGLONG)b->lpb[40 + i] << (8 * i);
    return id;
}

static ULONG eid_kind(const SBinary *b)
{
    return b->cb == 48 ? b->lpb[36] : 0;
}

static LONG position(IMAPITable *t)
{
    ULONG row = 0, num = 0, den = 0;
    HRESULT hr = t->lpVtbl->QueryPosition(t, &row, &num, &den);
    return hr == S_OK ? (LONG)row : -1;
}

/* One property of a MAPI object (a buffer to free). */
static LPSPropValue get_prop(IMAPIProp *obj, ULONG tag)
{
    SizedSPropTagArray(1, t) = { 1, { tag } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = obj->lpVtbl->GetProps(obj, (LPSPropTagArray)&t, MAPI_UNICODE, &n, &v);
    if (hr != S_OK && v) {
        host_FreeBuffer(v);
        v = NULL;
    }
    return v;
}

static IMAPIFolder *open_folder(IMsgStore *store, const SBinary *eid)
{
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = store->lpVtbl->OpenEntry(store, eid ? eid->cb : 0,
        eid ? (LPENTRYID)eid->lpb : NULL, &IID_IMAPIFolder, 0, &type, &unk);
    ok(hr == S_OK && type == MAPI_FOLDER && unk, "OpenEntry: %#lx\n", (unsigned long)hr);
    return (IMAPIFolder *)unk;
}

/* ---- Filling the store by storage calls (logged off) */

/* Big's messages: sender, importance, read, delivery time, categories. */
static void big_props(st_bag *b, int i)
{
    st_bag_set_str(b, PR_SENDER_NAME_W, sender_of(i));
    st_bag_set_long(b, PR_IMPORTANCE, importance_of(i));
    st_bag_set_long(b, PR_MESSAGE_FLAGS, is_read(i) ? MSGFLAG_READ : 0);
    st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, time_of(i));
    if (i < N_CATEGORIZED) {   /* Outlook's Categories: multi-valued */
        st_value cats = i % 3 == 0 ? st_view_mv_str(PR_TEST_CATEGORIES, two_cats, 2)
                                   : st_view_mv_str(PR_TEST_CATEGORIES, one_cat, 1);
        st_bag_set(b, &cats);
    }
}

static st_id fill_store(void)
{
    st_store *s = NULL;
    st_id root = 0;
    int code = st_store_open(&s, store_path8, NULL, 0);
    ok(code == 0, "st_store_open: %d %s\n", code, st_error_last());
    if (code)
        return 0;
    st_id big = big_folder_fill(s, N_MSGS, 200, big_props);
    code = big ? st_folder_root(s, &root) : ST_ERROR;
    /* Two associated messages (views, rules). */
    for (int i = 0; !code && i < 2; i++) {
        st_bag *b = st_bag_new();
        st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Microsoft.FolderDesign.NamedView");
        st_bag_set_str(b, PR_SUBJECT_W, i ? "view 1" : "view 0");
        st_id mid = 0;
        code = st_message_create(s, &mid, big, b, ST_ASSOCIATED | ST_FROM_SERVER);
        st_bag_free(b);
    }
    ok(code == 0, "associated: %d %s\n", code, st_error_last());
    /* A search folder "Found" over Big: subjects with "Message 0012". */
    st_id found = 0;
    st_bag *fb = st_bag_new();
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Found");
    if (!code)
        code = st_folder_create(s, &found, root, fb, ST_FOLDER_SEARCH);
    st_bag_free(fb);
    st_value pat = st_view_str(PR_SUBJECT_W, "Message 0012");
    st_restriction *crit = st_res_content(FL_SUBSTRING, PR_SUBJECT_W, &pat);
    if (!code)
        code = st_search_set(s, found, crit, &big, 1, 0);
    st_res_free(crit);
    ok(code == 0, "search folder: %d %s\n", code, st_error_last());
    st_store_close(s);
    return code ? 0 : big;
}

/* ---- Part 1 checks */

static IMAPIFolder *find_folder(IMsgStore *store, IMAPIFolder *root, const WCHAR *want)
{
    IMAPITable *h = NULL;
    HRESULT hr = root->lpVtbl->GetHierarchyTable(root, MAPI_UNICODE, &h);
    ok(hr == S_OK && h, "GetHierarchyTable: %#lx\n", (unsigned long)hr);
    if (!h)
        return NULL;
    SPropValue name = { .ulPropTag = PR_DISPLAY_NAME_W };
    name.Value.lpszW = (LPWSTR)want;
    SRestriction r = { .rt = RES_PROPERTY };
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = PR_DISPLAY_NAME_W;
    r.res.resProperty.lpProp = &name;
    hr = h->lpVtbl->FindRow(h, &r, BOOKMARK_BEGINNING, 0);
    ok(hr == S_OK, "FindRow(%ls) in the root's hierarchy: %#lx\n", want, (unsigned long)hr);
    SRowSet *rs = NULL;
    IMAPIFolder *f = NULL;
    hr = h->lpVtbl->QueryRows(h, 1, 0, &rs);
    if (hr == S_OK && rs && rs->cRows == 1) {
        const SPropValue *e = find_prop(&rs->aRow[0], PR_ENTRYID);
        ok(e && eid_kind(&e->Value.bin) == 2, "%ls's row has a folder entry ID\n", want);
        if (e)
            f = open_folder(store, &e->Value.bin);
    }
    host_free_rows(rs);
    h->lpVtbl->Release(h);
    return f;
}

/* Sets the 11 columns part 1 reads. */
static const ULONG main_cols[] = {
    PR_ENTRYID, PR_INSTANCE_KEY, PR_SUBJECT_W, PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME,
    PR_IMPORTANCE, PR_PARENT_ENTRYID, PR_OBJECT_TYPE, PR_STORE_ENTRYID, PR_RECORD_KEY,
    PR_STORE_RECORD_KEY, PR_MESSAGE_FLAGS,
};
#define N_MAIN_COLS (sizeof main_cols / sizeof *main_cols)

static void set_main_cols(IMAPITable *t)
{
    SizedSPropTagArray(N_MAIN_COLS, c);
    c.cValues = N_MAIN_COLS;
    memcpy(c.aulPropTag, main_cols, sizeof main_cols);
    HRESULT hr = t->lpVtbl->SetColumns(t, (LPSPropTagArray)&c, 0);
    ok(hr == S_OK, "SetColumns: %#lx\n", (unsigned long)hr);
}

static void check_columns(IMsgStore *store, IMAPIFolder *big, IMAPITable *t)
{
    set_main_cols(t);
    LPSPropTagArray cols = NULL;
    HRESULT hr = t->lpVtbl->QueryColumns(t, 0, &cols);
    ok(hr == S_OK && cols && cols->cValues == N_MAIN_COLS
       && memcmp(cols->aulPropTag, main_cols, sizeof main_cols) == 0,
       "QueryColumns: %#lx\n", (unsigned long)hr);
    host_FreeBuffer(cols);
    cols = NULL;
    hr = t->lpVtbl->QueryColumns(t, TBL_ALL_COLUMNS, &cols);
    int has_class = 0;
    for (ULONG i = 0; cols && i < cols->cValues; i++)
        has_class |= cols->aulPropTag[i] == PR_MESSAGE_CLASS_W;
    ok(hr == S_OK && cols && cols->cValues > N_MAIN_COLS && has_class,
       "QueryColumns(TBL_ALL_COLUMNS): %#lx, %lu columns\n", (unsigned long)hr,
       cols ? (unsigned long)cols->cValues : 0);
    host_FreeBuffer(cols);

    LPSPropValue feid = get_prop((IMAPIProp *)big, PR_ENTRYID);
    LPSPropValue seid = get_prop((IMAPIProp *)store, PR_STORE_ENTRYID);
    LPSPropValue skey = get_prop((IMAPIProp *)store, PR_STORE_RECORD_KEY);
    SRowSet *rs = NULL;
    hr = t->lpVtbl->QueryRows(t, 10, 0, &rs);
    ok(hr == S_OK && rs && rs->cRows == 10, "QueryRows(10): %#lx\n", (unsigned long)hr);
    for (ULONG i = 0; rs && i < rs->cRows; i++) {
        const SRow *row = &rs->aRow[i];
        ok(row->cValues == N_MAIN_COLS, "row %lu: %lu values\n", (unsigned long)i,
           (unsigned long)row->cValues);
        ok(msg_num(row) == (int)i, "row %lu is message %d\n", (unsigned long)i, msg_num(row));
        const SPropValue *e = find_prop(row, PR_ENTRYID);
        const SPropValue *ik = find_prop(row, PR_INSTANCE_KEY);
        ok(e && e->Value.bin.cb == 48 && eid_kind(&e->Value.bin) == 3, "row %lu: PR_ENTRYID\n",
           (unsigned long)i);
        if (e && ik && ik->Value.bin.cb >= 8) {
            ULONGLONG id = 0;
            for (int k = 0; k < 8; k++)
                id |= (ULONGLONG)ik->Value.bin.lpb[k] << (8 * k);
            ok(eid_id(&e->Value.bin) == id, "row %lu: entry ID and instance key differ\n",
               (unsigned long)i);
        }
        const SPropValue *p = find_prop(row, PR_PARENT_ENTRYID);
        ok(p && feid && p->Value.bin.cb == feid->Value.bin.cb
           && memcmp(p->Value.bin.lpb, feid->Value.bin.lpb, p->Value.bin.cb) == 0,
           "row %lu: PR_PARENT_ENTRYID is not the folder's\n", (unsigned long)i);
        const SPropValue *s = find_prop(row, PR_STORE_ENTRYID);
        ok(s && seid && s->Value.bin.cb == seid->Value.bin.cb
           && memcmp(s->Value.bin.lpb, seid->Value.bin.lpb, s->Value.bin.cb) == 0,
           "row %lu: PR_STORE_ENTRYID is not the store's\n", (unsigned long)i);
        const SPropValue *k = find_prop(row, PR_STORE_RECORD_KEY);
        ok(k && skey && k->Value.bin.cb == 16
           && memcmp(k->Value.bin.lpb, skey->Value.bin.lpb, 16) == 0,
           "row %lu: PR_STORE_RECORD_KEY\n", (unsigned long)i);
        const SPropValue *o = find_prop(row, PR_OBJECT_TYPE);
        ok(o && o->Value.l == MAPI_MESSAGE, "row %lu: PR_OBJECT_TYPE\n", (unsigned long)i);
        ok(find_prop(row, PR_RECORD_KEY) != NULL, "row %lu: PR_RECORD_KEY\n", (unsigned long)i);
        const SPropValue *imp = find_prop(row, PR_IMPORTANCE);
        ok(imp && imp->Value.l == importance_of((int)i), "row %lu: PR_IMPORTANCE\n",
           (unsigned long)i);
    }
    host_free_rows(rs);
    host_FreeBuffer(feid);
    host_FreeBuffer(seid);
    host_FreeBuffer(skey);

    /* A column nobody has: PT_ERROR MAPI_E_NOT_FOUND. A string column
     * asked as PT_STRING8 comes 8-bit. */
    SizedSPropTagArray(2, c2) = { 2, { PR_SUBJECT_A, PROP_TAG(PT_LONG, 0x6123) } };
    hr = t->lpVtbl->SetColumns(t, (LPSPropTagArray)&c2, 0);
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL);
    rs = NULL;
    hr = t->lpVtbl->QueryRows(t, 1, 0, &rs);
    ok(hr == S_OK && rs && rs->cRows == 1 && rs->aRow[0].lpProps[0].ulPropTag == PR_SUBJECT_A
       && strcmp(rs->aRow[0].lpProps[0].Value.lpszA, "Message 00000") == 0
       && rs->aRow[0].lpProps[1].ulPropTag == PROP_TAG(PT_ERROR, 0x6123)
       && rs->aRow[0].lpProps[1].Value.err == MAPI_E_NOT_FOUND,
       "8-bit and missing columns: %#lx\n", (unsigned long)hr);
    host_free_rows(rs);
    set_main_cols(t);
}

/* Sorts: n keys (tag, order). */
static HRESULT sort(IMAPITable *t, ULONG n, ULONG categ, ULONG expanded, const SSortOrder *keys)
{
    SizedSSortOrderSet(4, s);
    s.cSorts = n;
    s.cCategories = categ;
    s.cExpanded = expanded;
    memcpy(s.aSort, keys, n * sizeof *keys);
    return t->lpVtbl->SortTable(t, (LPSSortOrderSet)&s, 0);
}

static void check_sorts(IMAPITable *t)
{
    /* Newest first: the message with the largest time. */
    int newest = 0, oldest = 0;
    for (int i = 0; i < N_MSGS; i++) {
        if (time_of(i) > time_of(newest))
            newest = i;
        if (time_of(i) < time_of(oldest))
            oldest = i;
    }
    SSortOrder desc[] = { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } };
    HRESULT hr = sort(t, 1, 0, 0, desc);
    ok(hr == S_OK, "SortTable(time desc): %#lx\n", (unsigned long)hr);
    SRowSet *rs = NULL;
    t->lpVtbl->QueryRows(t, 3, 0, &rs);
    ok(rs && rs->cRows == 3 && msg_num(&rs->aRow[0]) == newest,
       "newest first: got %d, want %d\n", rs && rs->cRows ? msg_num(&rs->aRow[0]) : -1, newest);
    for (ULONG i = 1; rs && i < rs->cRows; i++)
        ok(time_of(msg_num(&rs->aRow[i - 1])) >= time_of(msg_num(&rs->aRow[i])),
           "descending order broken at %lu\n", (unsigned long)i);
    host_free_rows(rs);
    /* The end, read backward: the oldest last. */
    t->lpVtbl->SeekRow(t, BOOKMARK_END, 0, NULL);
    rs = NULL;
    t->lpVtbl->QueryRows(t, -2, 0, &rs);
    ok(rs && rs->cRows == 2 && msg_num(&rs->aRow[1]) == oldest,
       "backward from the end: last %d, want %d\n",
       rs && rs->cRows == 2 ? msg_num(&rs->aRow[1]) : -1, oldest);
    host_free_rows(rs);

    LPSSortOrderSet got = NULL;
    hr = t->lpVtbl->QuerySortOrder(t, &got);
    ok(hr == S_OK && got && got->cSorts == 1 && got->aSort[0].ulPropTag == PR_MESSAGE_DELIVERY_TIME
       && got->aSort[0].ulOrder == TABLE_SORT_DESCEND, "QuerySortOrder: %#lx\n",
       (unsigned long)hr);
    host_FreeBuffer(got);

    /* Sender (case-insensitive) ascending, then time descending. */
    SSortOrder two[] = { { PR_SENDER_NAME_W, TABLE_SORT_ASCEND },
                         { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } };
    hr = sort(t, 2, 0, 0, two);
    ok(hr == S_OK, "SortTable(sender, time desc): %#lx\n", (unsigned long)hr);
    int want = -1;
    for (int i = 0; i < N_MSGS; i++)
        if (strcmp(sender_of(i), "Alice") == 0 && (want < 0 || time_of(i) > time_of(want)))
            want = i;
    rs = NULL;
    t->lpVtbl->QueryRows(t, 200, 0, &rs);
    ok(rs && rs->cRows == 200 && msg_num(&rs->aRow[0]) == want,
       "Alice's newest first: got %d want %d\n", rs && rs->cRows ? msg_num(&rs->aRow[0]) : -1,
       want);
    int bad = 0;
    for (ULONG i = 1; rs && i < rs->cRows; i++) {
        int a = msg_num(&rs->aRow[i - 1]), b = msg_num(&rs->aRow[i]);
        int c = _stricmp(sender_of(a), sender_of(b));
        bad += c > 0 || (c == 0 && time_of(a) < time_of(b));
    }
    ok(bad == 0, "multi-key order broken %d times\n", bad);
    host_free_rows(rs);

    /* Refused sorts. */
    SSortOrder mv[] = { { PROP_TAG(PT_MV_UNICODE, 0x8010), TABLE_SORT_ASCEND } };
    ok(sort(t, 1, 0, 0, mv) == MAPI_E_INVALID_PARAMETER, "MV key without MV_INSTANCE\n");
    SSortOrder eid[] = { { PR_ENTRYID, TABLE_SORT_ASCEND } };
    hr = sort(t, 1, 0, 0, eid);
    ok(hr == MAPI_E_TOO_COMPLEX, "sort on PR_ENTRYID: %#lx\n", (unsigned long)hr);
    ok(t->lpVtbl->SortTable(t, NULL, 0) == MAPI_E_INVALID_PARAMETER, "SortTable(NULL)\n");
    ok(sort(t, 1, 0, 0, desc) == S_OK, "sort again\n");
    SizedSSortOrderSet(1, nokeys) = { 0, 0, 0, { { 0, 0 } } };
    ok(t->lpVtbl->SortTable(t, (LPSSortOrderSet)&nokeys, 0) == S_OK, "no keys: default order\n");
    rs = NULL;
    t->lpVtbl->QueryRows(t, 1, 0, &rs);
    ok(rs && rs->cRows == 1 && msg_num(&rs->aRow[0]) == 0, "default order back\n");
    host_free_rows(rs);
}

static void check_categories(IMAPIFolder *big, IMAPITable *t)
{
    SizedSPropTagArray(5, c) = { 5, { PR_INSTANCE_KEY, PR_ROW_TYPE, PR_DEPTH, PR_SENDER_NAME_W,
        PR_CONTENT_COUNT } };
    HRESULT hr = t->lpVtbl->SetColumns(t, (LPSPropTagArray)&c, 0);
    ok(hr == S_OK, "SetColumns for categories: %#lx\n", (unsigned long)hr);
    SSortOrder keys[] = { { PR_SENDER_NAME_W, TABLE_SORT_ASCEND },
                          { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } };
    hr = sort(t, 2, 1, 0, keys);   /* one level, collapsed */
    ok(hr == S_OK, "categorized SortTable: %#lx\n", (unsigned long)hr);
    SRowSet *rs = NULL;
    hr = t->lpVtbl->QueryRows(t, 100, 0, &rs);
    ok(hr == S_OK && rs && rs->cRows == N_SENDERS, "collapsed: %lu rows\n",
       rs ? (unsigned long)rs->cRows : 0);
    BYTE key[8] = { 0 };
    ULONG alice = 0;
    for (ULONG i = 0; rs && i < rs->cRows; i++) {
        const SPropValue *rt = find_prop(&rs->aRow[i], PR_ROW_TYPE);
        ok(rt && rt->Value.l == TBL_COLLAPSED_CATEGORY, "row %lu: not a collapsed header\n",
           (unsigned long)i);
        const SPropValue *cnt = find_prop(&rs->aRow[i], PR_CONTENT_COUNT);
        const SPropValue *name = find_prop(&rs->aRow[i], PR_SENDER_NAME_W);
        if (i == 0) {
            const SPropValue *ik = find_prop(&rs->aRow[i], PR_INSTANCE_KEY);
            ok(name && wcscmp(name->Value.lpszW, L"Alice") == 0, "first category Alice\n");
            ok(ik && ik->Value.bin.cb == 8, "header instance key\n");
            if (ik && ik->Value.bin.cb == 8)
                memcpy(key, ik->Value.bin.lpb, 8);
            alice = cnt ? (ULONG)cnt->Value.l : 0;
        }
    }
    ULONG want_alice = 0;
    for (int i = 0; i < N_MSGS; i++)
        want_alice += strcmp(sender_of(i), "Alice") == 0;
    ok(alice == want_alice, "Alice's count %lu, want %lu\n", (unsigned long)alice,
       (unsigned long)want_alice);
    host_free_rows(rs);

    /* Expand Alice: her messages appear under her header; ExpandRow gives
     * the first 10 and leaves the cursor on its row (the 4th header). */
    ULONG more = 0;
    rs = NULL;
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 3, NULL);
    hr = t->lpVtbl->ExpandRow(t, 8, key, 10, 0, &rs, &more);
    ok(hr == S_OK && rs && rs->cRows == 10 && more == want_alice - 10,
       "ExpandRow: %#lx, %lu rows, %lu more\n", (unsigned long)hr,
       rs ? (unsigned long)rs->cRows : 0, (unsigned long)more);
    int not_alice = 0;
    for (ULONG i = 0; rs && i < rs->cRows; i++) {
        const SPropValue *nm = find_prop(&rs->aRow[i], PR_SENDER_NAME_W);
        const SPropValue *rt = find_prop(&rs->aRow[i], PR_ROW_TYPE);
        not_alice += !nm || wcscmp(nm->Value.lpszW, L"Alice") || !rt
            || rt->Value.l != TBL_LEAF_ROW;
    }
    ok(not_alice == 0, "ExpandRow gave %d rows that are not Alice's leaves\n", not_alice);
    host_free_rows(rs);
    ok(position(t) == 3 + (LONG)want_alice, "cursor after ExpandRow: %ld, want %ld\n",
       (long)position(t), 3 + (long)want_alice);
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL);
    rs = NULL;
    t->lpVtbl->QueryRows(t, 3, 0, &rs);
    ok(rs && rs->cRows == 3, "rows after expand\n");
    if (rs && rs->cRows == 3) {
        const SPropValue *rt0 = find_prop(&rs->aRow[0], PR_ROW_TYPE);
        const SPropValue *rt1 = find_prop(&rs->aRow[1], PR_ROW_TYPE);
        const SPropValue *d1 = find_prop(&rs->aRow[1], PR_DEPTH);
        const SPropValue *n1 = find_prop(&rs->aRow[1], PR_SENDER_NAME_W);
        ok(rt0 && rt0->Value.l == TBL_EXPANDED_CATEGORY, "header now expanded\n");
        ok(rt1 && rt1->Value.l == TBL_LEAF_ROW && d1 && d1->Value.l == 1 && n1
           && wcscmp(n1->Value.lpszW, L"Alice") == 0, "a leaf of Alice under it\n");
    }
    host_free_rows(rs);
    ULONG total = 0;
    hr = t->lpVtbl->GetRowCount(t, 0, &total);
    ok(hr == S_OK && total == N_SENDERS + want_alice, "row count expanded: %lu\n",
       (unsigned long)total);

    /* The collapse state, carried to another table with the same sort. */
    ULONG cb_state = 0;
    LPBYTE state = NULL;
    hr = t->lpVtbl->GetCollapseState(t, 0, 8, key, &cb_state, &state);
    ok(hr == S_OK && cb_state && state, "GetCollapseState: %#lx\n", (unsigned long)hr);
    IMAPITable *t2 = NULL;
    big->lpVtbl->GetContentsTable(big, MAPI_UNICODE, &t2);
    if (t2 && state) {
        t2->lpVtbl->SetColumns(t2, (LPSPropTagArray)&c, 0);
        ok(sort(t2, 2, 1, 0, keys) == S_OK, "sort of the second table\n");
        BOOKMARK bk = 0;
        hr = t2->lpVtbl->SetCollapseState(t2, 0, cb_state, state, &bk);
        ok(hr == S_OK, "SetCollapseState: %#lx\n", (unsigned long)hr);
        ULONG n2 = 0;
        t2->lpVtbl->GetRowCount(t2, 0, &n2);
        ok(n2 == total, "second table's rows %lu, want %lu\n", (unsigned long)n2,
           (unsigned long)total);
        ok(t2->lpVtbl->SeekRow(t2, bk, 0, NULL) == S_OK, "bookmark of SetCollapseState\n");
        rs = NULL;
        t2->lpVtbl->QueryRows(t2, 1, 0, &rs);
        const SPropValue *ik = rs && rs->cRows ? find_prop(&rs->aRow[0], PR_INSTANCE_KEY) : NULL;
        ok(ik && ik->Value.bin.cb == 8 && memcmp(ik->Value.bin.lpb, key, 8) == 0,
           "the bookmark is on Alice's header\n");
        host_free_rows(rs);
        t2->lpVtbl->FreeBookmark(t2, bk);
        ok(t2->lpVtbl->SetCollapseState(t2, 0, 3, (LPBYTE)"xyz", &bk) != S_OK,
           "garbage collapse state refused\n");
    }
    if (t2)
        t2->lpVtbl->Release(t2);
    host_FreeBuffer(state);

    ULONG gone = 0;
    hr = t->lpVtbl->CollapseRow(t, 8, key, 0, &gone);
    ok(hr == S_OK && gone == want_alice, "CollapseRow: %#lx, %lu rows\n", (unsigned long)hr,
       (unsigned long)gone);
    BYTE nokey[8] = { 1, 2, 3, 4, 5, 6, 7, 0x80 };
    hr = t->lpVtbl->CollapseRow(t, 8, nokey, 0, &gone);
    ok(hr == MAPI_E_NOT_FOUND, "CollapseRow of no header: %#lx\n", (unsigned long)hr);
    hr = t->lpVtbl->ExpandRow(t, 3, key, 0, 0, NULL, &more);
    ok(hr == MAPI_E_INVALID_PARAMETER, "ExpandRow with a 3-byte key: %#lx\n", (unsigned long)hr);

    /* Two levels, the first expanded: importance under sender. */
    SSortOrder three[] = { { PR_SENDER_NAME_W, TABLE_SORT_ASCEND },
                           { PR_IMPORTANCE, TABLE_SORT_ASCEND },
                           { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } };
    hr = sort(t, 3, 2, 1, three);
    ok(hr == S_OK, "two category levels: %#lx\n", (unsigned long)hr);
    rs = NULL;
    t->lpVtbl->QueryRows(t, 100, 0, &rs);
    ok(rs && rs->cRows == N_SENDERS * 4, "two levels: %lu rows, want %d\n",
       rs ? (unsigned long)rs->cRows : 0, N_SENDERS * 4);
    host_free_rows(rs);
    ok(sort(t, 3, 3, 0, three) == MAPI_E_TOO_COMPLEX, "three category levels refused\n");
    SSortOrder none[] = { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND } };
    sort(t, 1, 0, 0, none);
    set_main_cols(t);
}

/* A column and a sort with MV_INSTANCE: one row per value, the value
 * single, the instance key 12 bytes and the entry ID still the message's. */
static void check_mv_instance(IMAPITable *t)
{
    ULONG mvi = MVI_PROP(PR_TEST_CATEGORIES);
    SizedSPropTagArray(4, c) = { 4, { PR_ENTRYID, PR_INSTANCE_KEY, PR_SUBJECT_W, mvi } };
    HRESULT hr = t->lpVtbl->SetColumns(t, (LPSPropTagArray)&c, 0);
    ok(hr == S_OK, "SetColumns with MV_INSTANCE: %#lx\n", (unsigned long)hr);
    SRestriction ex = { .rt = RES_EXIST };
    ex.res.resExist.ulPropTag = PR_TEST_CATEGORIES;
    hr = t->lpVtbl->Restrict(t, &ex, 0);
    ok(hr == S_OK, "Restrict(EXIST categories): %#lx\n", (unsigned long)hr);
    SSortOrder k[] = { { mvi, TABLE_SORT_ASCEND }, { PR_SUBJECT_W, TABLE_SORT_ASCEND } };
    hr = sort(t, 2, 0, 0, k);
    ok(hr == S_OK, "SortTable by MV_INSTANCE: %#lx\n", (unsigned long)hr);
    SRowSet *rs = NULL;
    t->lpVtbl->QueryRows(t, 100, 0, &rs);
    int n_two = (N_CATEGORIZED + 2) / 3;
    ULONG want = (ULONG)(N_CATEGORIZED + n_two);
    ok(rs && rs->cRows == want, "MV_INSTANCE rows: %lu, want %lu\n",
       rs ? (unsigned long)rs->cRows : 0, (unsigned long)want);
    int bad = 0;
    for (ULONG i = 0; rs && i < rs->cRows; i++) {
        const SRow *row = &rs->aRow[i];
        const SPropValue *cat = find_prop(row, PROP_TAG(PT_UNICODE, PROP_ID(mvi)));
        const SPropValue *ik = find_prop(row, PR_INSTANCE_KEY);
        const SPropValue *e = find_prop(row, PR_ENTRYID);
        const WCHAR *want_cat = (int)i < n_two ? L"blue"
            : (int)i < n_two + (N_CATEGORIZED - n_two) ? L"green" : L"red";
        int num = msg_num(row);
        ULONGLONG id = 0;
        for (int j = 0; ik && ik->Value.bin.cb == 12 && j < 8; j++)
            id |= (ULONGLONG)ik->Value.bin.lpb[j] << (8 * j);
        bad += !cat || wcscmp(cat->Value.lpszW, want_cat) || !ik || ik->Value.bin.cb != 12
            || !e || eid_id(&e->Value.bin) != id || num < 0 || num >= N_CATEGORIZED;
    }
    ok(bad == 0, "MV_INSTANCE rows: %d wrong (value, 12-byte key or entry ID)\n", bad);
    host_free_rows(rs);
    t->lpVtbl->Restrict(t, NULL, 0);
    SSortOrder none[] = { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_ASCEND } };
    sort(t, 1, 0, 0, none);
    SizedSSortOrderSet(1, nokeys) = { 0, 0, 0, { { 0, 0 } } };
    t->lpVtbl->SortTable(t, (LPSSortOrderSet)&nokeys, 0);
    set_main_cols(t);
}

/* RES_PROPERTY / RES_CONTENT helpers. */
static SRestriction prop_res(ULONG relop, SPropValue *v)
{
    SRestriction r = { .rt = RES_PROPERTY };
    r.res.resProperty.relop = relop;
    r.res.resProperty.ulPropTag = v->ulPropTag;
    r.res.resProperty.lpProp = v;
    return r;
}

static void check_restrictions(IMAPITable *t)
{
    SPropValue sub = { .ulPropTag = PR_SUBJECT_W };
    sub.Value.lpszW = L"0042";
    SRestriction content = { .rt = RES_CONTENT };
    content.res.resContent.ulFuzzyLevel = FL_SUBSTRING;
    content.res.resContent.ulPropTag = PR_SUBJECT_W;
    content.res.resContent.lpProp = &sub;
    ULONG want = 0, n = 0;
    for (int i = 0; i < N_MSGS; i++) {
        char s[32];
        snprintf(s, sizeof s, "Message %05d", i);
        want += strstr(s, "0042") != NULL;
    }
    HRESULT hr = t->lpVtbl->Restrict(t, &content, 0);
    ok(hr == S_OK, "Restrict(content): %#lx\n", (unsigned long)hr);
    t->lpVtbl->GetRowCount(t, 0, &n);
    ok(n == want, "content: %lu rows, want %lu\n", (unsigned long)n, (unsigned long)want);

    SPropValue imp = { .ulPropTag = PR_IMPORTANCE };
    imp.Value.l = 2;
    SRestriction kids[2];
    kids[0] = prop_res(RELOP_EQ, &imp);
    kids[1].rt = RES_BITMASK;
    kids[1].res.resBitMask.relBMR = BMR_NEZ;
    kids[1].res.resBitMask.ulPropTag = PR_MESSAGE_FLAGS;
    kids[1].res.resBitMask.ulMask = MSGFLAG_READ;
    SRestriction both = { .rt = RES_AND };
    both.res.resAnd.cRes = 2;
    both.res.resAnd.lpRes = kids;
    want = 0;
    for (int i = 0; i < N_MSGS; i++)
        want += importance_of(i) == 2 && is_read(i);
    hr = t->lpVtbl->Restrict(t, &both, 0);
    t->lpVtbl->GetRowCount(t, 0, &n);
    ok(hr == S_OK && n == want, "importance 2 AND read: %#lx, %lu rows, want %lu\n",
       (unsigned long)hr, (unsigned long)n, (unsigned long)want);
    SRowSet *rs = NULL;
    t->lpVtbl->QueryRows(t, 50, 0, &rs);
    int bad = 0;
    for (ULONG i = 0; rs && i < rs->cRows; i++) {
        int m = msg_num(&rs->aRow[i]);
        bad += !(importance_of(m) == 2 && is_read(m));
    }
    ok(rs && rs->cRows == 50 && bad == 0, "restricted rows: %d do not match\n", bad);
    host_free_rows(rs);

    SRestriction not_ = { .rt = RES_NOT };
    not_.res.resNot.lpRes = &kids[1];
    want = 0;
    for (int i = 0; i < N_MSGS; i++)
        want += !is_read(i);
    hr = t->lpVtbl->Restrict(t, &not_, 0);
    t->lpVtbl->GetRowCount(t, 0, &n);
    ok(hr == S_OK && n == want, "unread: %lu rows, want %lu\n", (unsigned long)n,
       (unsigned long)want);

    SPropValue re = { .ulPropTag = PR_SUBJECT_W };
    re.Value.lpszW = L"M.*";
    SRestriction bad_r = prop_res(RELOP_RE, &re);
    hr = t->lpVtbl->Restrict(t, &bad_r, 0);
    ok(hr == MAPI_E_TOO_COMPLEX, "RELOP_RE: %#lx\n", (unsigned long)hr);
    LPMAPIERROR err = NULL;
    hr = t->lpVtbl->GetLastError(t, MAPI_E_TOO_COMPLEX, MAPI_UNICODE, &err);
    ok(hr == S_OK && err && err->lpszError && wcsstr((WCHAR *)err->lpszError, L"restriction"),
       "GetLastError after a refused restriction: %ls\n",
       err && err->lpszError ? (WCHAR *)err->lpszError : L"(none)");
    host_FreeBuffer(err);
    SRestriction unknown = { .rt = 0x66 };
    hr = t->lpVtbl->Restrict(t, &unknown, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "unknown restriction type: %#lx\n", (unsigned long)hr);
    hr = t->lpVtbl->Restrict(t, NULL, 0);
    t->lpVtbl->GetRowCount(t, 0, &n);
    ok(hr == S_OK && n == N_MSGS, "restriction removed: %lu rows\n", (unsigned long)n);
}

static void check_positions(IMAPITable *t)
{
    LONG sought = 0;
    HRESULT hr = t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 100, &sought);
    ok(hr == S_OK && sought == 100 && position(t) == 100, "SeekRow(+100): %ld, at %ld\n",
       (long)sought, (long)position(t));
    hr = t->lpVtbl->SeekRow(t, BOOKMARK_CURRENT, -50, &sought);
    ok(hr == S_OK && sought == -50 && position(t) == 50, "SeekRow(-50): %ld at %ld\n",
       (long)sought, (long)position(t));
    hr = t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 20000, &sought);
    ok(hr == S_OK && sought == N_MSGS && position(t) == N_MSGS, "SeekRow past the end: %ld\n",
       (long)sought);
    hr = t->lpVtbl->SeekRow(t, BOOKMARK_END, -1, &sought);
    ok(hr == S_OK && position(t) == N_MSGS - 1, "SeekRow(END, -1): at %ld\n", (long)position(t));
    ULONG row = 0, num = 0, den = 0;
    t->lpVtbl->QueryPosition(t, &row, &num, &den);
    ok(row == N_MSGS - 1 && den == N_MSGS, "QueryPosition: %lu %lu/%lu\n", (unsigned long)row,
       (unsigned long)num, (unsigned long)den);

    hr = t->lpVtbl->SeekRowApprox(t, 1, 2);
    LONG at = position(t);
    ok(hr == S_OK && at >= N_MSGS / 2 - 10 && at <= N_MSGS / 2 + 10, "SeekRowApprox(1/2): %ld\n",
       (long)at);
    hr = t->lpVtbl->SeekRowApprox(t, 3, 3);
    ok(hr == S_OK && position(t) == N_MSGS, "SeekRowApprox(3/3): %ld\n", (long)position(t));
    ok(t->lpVtbl->SeekRowApprox(t, 1, 0) == MAPI_E_INVALID_PARAMETER, "denominator 0\n");

    /* QueryRows: forward, backward, TBL_NOADVANCE. */
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 200, NULL);
    SRowSet *rs = NULL;
    hr = t->lpVtbl->QueryRows(t, 5, TBL_NOADVANCE, &rs);
    ok(hr == S_OK && rs && rs->cRows == 5 && msg_num(&rs->aRow[0]) == 200 && position(t) == 200,
       "TBL_NOADVANCE: at %ld\n", (long)position(t));
    host_free_rows(rs);
    rs = NULL;
    hr = t->lpVtbl->QueryRows(t, -5, 0, &rs);
    ok(hr == S_OK && rs && rs->cRows == 5 && msg_num(&rs->aRow[0]) == 195
       && msg_num(&rs->aRow[4]) == 199 && position(t) == 195,
       "backward: first %d, at %ld\n", rs && rs->cRows ? msg_num(&rs->aRow[0]) : -1,
       (long)position(t));
    host_free_rows(rs);
    t->lpVtbl->SeekRow(t, BOOKMARK_END, 0, NULL);
    rs = NULL;
    hr = t->lpVtbl->QueryRows(t, 5, 0, &rs);
    ok(hr == S_OK && rs && rs->cRows == 0, "QueryRows at the end: none\n");
    host_free_rows(rs);

    /* Bookmarks. */
    BOOKMARK bk = 0;
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 500, NULL);
    hr = t->lpVtbl->CreateBookmark(t, &bk);
    ok(hr == S_OK && bk > BOOKMARK_END, "CreateBookmark: %#lx\n", (unsigned long)hr);
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 10, NULL);
    hr = t->lpVtbl->SeekRow(t, bk, 2, &sought);
    ok(hr == S_OK && position(t) == 502, "SeekRow(bookmark, 2): at %ld\n", (long)position(t));
    ok(t->lpVtbl->FreeBookmark(t, bk) == S_OK, "FreeBookmark\n");
    ok(t->lpVtbl->SeekRow(t, bk, 0, NULL) == MAPI_E_INVALID_BOOKMARK, "freed bookmark\n");
    ok(t->lpVtbl->FreeBookmark(t, bk) == MAPI_E_INVALID_BOOKMARK, "freed twice\n");
    ok(t->lpVtbl->SeekRow(t, 0x12345, 0, NULL) == MAPI_E_INVALID_BOOKMARK, "made-up bookmark\n");
    ok(t->lpVtbl->FreeBookmark(t, BOOKMARK_CURRENT) == S_OK, "predefined bookmark freed: ok\n");

    /* FindRow forward and backward. */
    SPropValue s = { .ulPropTag = PR_SUBJECT_W };
    s.Value.lpszW = L"Message 00777";
    SRestriction r = prop_res(RELOP_EQ, &s);
    hr = t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0);
    ok(hr == S_OK && position(t) == 777, "FindRow forward: %#lx at %ld\n", (unsigned long)hr,
       (long)position(t));
    SPropValue imp = { .ulPropTag = PR_IMPORTANCE };
    imp.Value.l = 1;
    r = prop_res(RELOP_EQ, &imp);
    int want = N_MSGS - 1;
    while (importance_of(want) != 1)
        want--;
    hr = t->lpVtbl->FindRow(t, &r, BOOKMARK_END, DIR_BACKWARD);
    ok(hr == S_OK && position(t) == want, "FindRow backward: %#lx at %ld want %d\n",
       (unsigned long)hr, (long)position(t), want);
    s.Value.lpszW = L"no such subject";
    r = prop_res(RELOP_EQ, &s);
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 3, NULL);
    hr = t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0);
    ok(hr == MAPI_E_NOT_FOUND && position(t) == 3, "FindRow, no match: %#lx at %ld\n",
       (unsigned long)hr, (long)position(t));
    ok(t->lpVtbl->FindRow(t, NULL, BOOKMARK_BEGINNING, 0) == MAPI_E_INVALID_PARAMETER,
       "FindRow(NULL)\n");
    ok(t->lpVtbl->FindRow(t, &r, 0x777, 0) == MAPI_E_INVALID_BOOKMARK, "FindRow bad bookmark\n");
    ok(t->lpVtbl->FindRow(t, &r, BOOKMARK_BEGINNING, 0x10) == MAPI_E_UNKNOWN_FLAGS,
       "FindRow bad flags\n");
}

static void check_bad_arguments(IMAPIFolder *big, IMAPITable *t)
{
    IMAPITable *x = (IMAPITable *)(ULONG_PTR)1;
    ok(big->lpVtbl->GetContentsTable(big, 0x40000000, &x) == MAPI_E_UNKNOWN_FLAGS && !x,
       "GetContentsTable unknown flags\n");
    ok(big->lpVtbl->GetContentsTable(big, SHOW_SOFT_DELETES, &x) == MAPI_E_NO_SUPPORT && !x,
       "SHOW_SOFT_DELETES\n");
    ok(big->lpVtbl->GetContentsTable(big, 0, NULL) == MAPI_E_INVALID_PARAMETER,
       "GetContentsTable(NULL)\n");
    ok(big->lpVtbl->GetHierarchyTable(big, 0x40000000, &x) == MAPI_E_UNKNOWN_FLAGS,
       "GetHierarchyTable unknown flags\n");
    SRowSet *rs = (SRowSet *)(ULONG_PTR)1;
    ok(t->lpVtbl->QueryRows(t, 1, 0, NULL) == MAPI_E_INVALID_PARAMETER, "QueryRows(NULL)\n");
    ok(t->lpVtbl->QueryRows(t, 1, 0x80, &rs) == MAPI_E_UNKNOWN_FLAGS && !rs,
       "QueryRows unknown flags\n");
    ok(t->lpVtbl->SetColumns(t, NULL, 0) == MAPI_E_INVALID_PARAMETER, "SetColumns(NULL)\n");
    SizedSPropTagArray(1, empty) = { 0, { 0 } };
    ok(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&empty, 0) == MAPI_E_INVALID_PARAMETER,
       "SetColumns of nothing\n");
    SizedSPropTagArray(1, badtype) = { 1, { PROP_TAG(0x77, 0x6001) } };
    ok(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&badtype, 0) == MAPI_E_INVALID_TYPE,
       "SetColumns bad type\n");
    ok(t->lpVtbl->GetRowCount(t, 0, NULL) == MAPI_E_INVALID_PARAMETER, "GetRowCount(NULL)\n");
    ULONG n = 0;
    ok(t->lpVtbl->GetRowCount(t, 1, &n) == MAPI_E_UNKNOWN_FLAGS, "GetRowCount flags\n");
    ok(t->lpVtbl->QueryPosition(t, NULL, &n, &n) == MAPI_E_INVALID_PARAMETER,
       "QueryPosition(NULL)\n");
    ok(t->lpVtbl->CreateBookmark(t, NULL) == MAPI_E_INVALID_PARAMETER, "CreateBookmark(NULL)\n");
    ok(t->lpVtbl->QuerySortOrder(t, NULL) == MAPI_E_INVALID_PARAMETER, "QuerySortOrder(NULL)\n");
    ok(t->lpVtbl->QueryColumns(t, 0, NULL) == MAPI_E_INVALID_PARAMETER, "QueryColumns(NULL)\n");
    ok(t->lpVtbl->Advise(t, fnevTableModified, NULL, &n) == MAPI_E_INVALID_PARAMETER,
       "Advise(NULL sink)\n");
    ok(t->lpVtbl->Unadvise(t, 12345) == MAPI_E_NOT_FOUND, "Unadvise of nothing\n");
    ULONG st = 9, type = 9;
    ok(t->lpVtbl->GetStatus(t, &st, &type) == S_OK && st == TBLSTAT_COMPLETE
       && type == TBLTYPE_DYNAMIC, "GetStatus\n");
    ok(t->lpVtbl->WaitForCompletion(t, 0, 100, &st) == S_OK && st == TBLSTAT_COMPLETE,
       "WaitForCompletion\n");
    ok(t->lpVtbl->Abort(t) == S_OK, "Abort\n");
    LPMAPIERROR err = NULL;
    ok(t->lpVtbl->GetLastError(t, MAPI_E_CALL_FAILED, MAPI_UNICODE, &err) == S_OK,
       "GetLastError\n");
    host_FreeBuffer(err);
    IUnknown *unk = NULL;
    ok(t->lpVtbl->QueryInterface(t, &IID_IMAPITable, (void **)&unk) == S_OK && unk,
       "QueryInterface(IMAPITable)\n");
    if (unk)
        unk->lpVtbl->Release(unk);
    unk = (IUnknown *)(ULONG_PTR)1;
    ok(t->lpVtbl->QueryInterface(t, &IID_IMAPIFolder, (void **)&unk) == E_NOINTERFACE && !unk,
       "QueryInterface(IMAPIFolder)\n");
}

/* A table opened without MAPI_UNICODE: PT_UNSPECIFIED strings come 8-bit,
 * and so does QueryColumns(TBL_ALL_COLUMNS). */
static void check_8bit(IMAPIFolder *big)
{
    IMAPITable *t = NULL;
    HRESULT hr = big->lpVtbl->GetContentsTable(big, 0, &t);
    ok(hr == S_OK && t, "8-bit contents table: %#lx\n", (unsigned long)hr);
    if (!t)
        return;
    SizedSPropTagArray(1, c) = { 1, { PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_SUBJECT_W)) } };
    t->lpVtbl->SetColumns(t, (LPSPropTagArray)&c, 0);
    SRowSet *rs = NULL;
    hr = t->lpVtbl->QueryRows(t, 1, 0, &rs);
    ok(hr == S_OK && rs && rs->cRows == 1 && rs->aRow[0].lpProps[0].ulPropTag == PR_SUBJECT_A
       && strcmp(rs->aRow[0].lpProps[0].Value.lpszA, "Message 00000") == 0,
       "PT_UNSPECIFIED without MAPI_UNICODE: %#lx\n", (unsigned long)hr);
    host_free_rows(rs);
    LPSPropTagArray all = NULL;
    t->lpVtbl->QueryColumns(t, TBL_ALL_COLUMNS, &all);
    int a8 = 0, w = 0;
    for (ULONG i = 0; all && i < all->cValues; i++) {
        a8 += all->aulPropTag[i] == PR_MESSAGE_CLASS_A;
        w += PROP_TYPE(all->aulPropTag[i]) == PT_UNICODE;
    }
    ok(a8 == 1 && w == 0, "8-bit table lists 8-bit string columns\n");
    host_FreeBuffer(all);
    t->lpVtbl->Release(t);
}

static void check_associated(IMAPIFolder *big)
{
    IMAPITable *t = NULL;
    HRESULT hr = big->lpVtbl->GetContentsTable(big, MAPI_ASSOCIATED | MAPI_UNICODE
        | MAPI_DEFERRED_ERRORS, &t);
    ok(hr == S_OK && t, "associated contents: %#lx\n", (unsigned long)hr);
    if (!t)
        return;
    ULONG n = 0;
    t->lpVtbl->GetRowCount(t, 0, &n);
    ok(n == 2, "associated rows: %lu\n", (unsigned long)n);
    t->lpVtbl->Release(t);
}

static void check_hierarchy(IMAPIFolder *root)
{
    IMAPITable *t = NULL;
    HRESULT hr = root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH | MAPI_UNICODE, &t);
    ok(hr == S_OK && t, "GetHierarchyTable(CONVENIENT_DEPTH): %#lx\n", (unsigned long)hr);
    if (!t)
        return;
    SizedSPropTagArray(7, c) = { 7, { PR_DISPLAY_NAME_W, PR_DEPTH, PR_ENTRYID,
        PR_PARENT_ENTRYID, PR_OBJECT_TYPE, PR_FOLDER_TYPE, PR_SUBFOLDERS } };
    t->lpVtbl->SetColumns(t, (LPSPropTagArray)&c, 0);
    SRowSet *rs = NULL;
    hr = t->lpVtbl->QueryRows(t, 200, 0, &rs);
    ok(hr == S_OK && rs && rs->cRows >= 20, "whole tree: %lu folders\n",
       rs ? (unsigned long)rs->cRows : 0);
    const SBinary *ipm = NULL;
    int inbox_ok = 0, deep = 0;
    for (ULONG i = 0; rs && i < rs->cRows; i++) {
        const SRow *row = &rs->aRow[i];
        const SPropValue *name = find_prop(row, PR_DISPLAY_NAME_W);
        const SPropValue *d = find_prop(row, PR_DEPTH);
        const SPropValue *e = find_prop(row, PR_ENTRYID);
        const SPropValue *p = find_prop(row, PR_PARENT_ENTRYID);
        const SPropValue *o = find_prop(row, PR_OBJECT_TYPE);
        const SPropValue *ft = find_prop(row, PR_FOLDER_TYPE);
        ok(e && eid_kind(&e->Value.bin) == 2 && o && o->Value.l == MAPI_FOLDER && ft
           && (ft->Value.l == FOLDER_GENERIC || ft->Value.l == FOLDER_SEARCH),
           "row %lu: folder columns\n", (unsigned long)i);
        if (d && d->Value.l > 0)
            deep++;
        if (name && e && wcscmp(name->Value.lpszW, L"Top of Information Store") == 0) {
            const SPropValue *sub = find_prop(row, PR_SUBFOLDERS);
            ipm = &e->Value.bin;
            ok(sub && sub->Value.b, "the IPM subtree has PR_SUBFOLDERS\n");
        }
        if (name && wcscmp(name->Value.lpszW, L"Inbox") == 0 && ipm && p && d)
            inbox_ok = d->Value.l == 1 && p->Value.bin.cb == ipm->cb
                && memcmp(p->Value.bin.lpb, ipm->lpb, ipm->cb) == 0;
    }
    ok(deep > 0, "no folder below depth 0\n");
    ok(inbox_ok, "Inbox at depth 1 under the IPM subtree\n");
    host_free_rows(rs);
    t->lpVtbl->Release(t);

    t = NULL;
    hr = root->lpVtbl->GetHierarchyTable(root, MAPI_UNICODE, &t);
    if (t) {
        t->lpVtbl->SetColumns(t, (LPSPropTagArray)&c, 0);
        rs = NULL;
        t->lpVtbl->QueryRows(t, 200, 0, &rs);
        int all_top = 1;
        for (ULONG i = 0; rs && i < rs->cRows; i++) {
            const SPropValue *d = find_prop(&rs->aRow[i], PR_DEPTH);
            all_top &= d && d->Value.l == 0;
        }
        ok(rs && rs->cRows > 0 && rs->cRows < 20 && all_top,
           "direct subfolders only: %lu\n", rs ? (unsigned long)rs->cRows : 0);
        host_free_rows(rs);
        SSortOrder k[] = { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND } };
        ok(sort(t, 1, 0, 0, k) == S_OK, "hierarchy sorted\n");
        ok(sort(t, 1, 1, 0, k) != S_OK, "hierarchy categories refused\n");
        t->lpVtbl->Release(t);
    }
}

/* The search folder's contents: its results, each row naming the
 * message's own folder (Big) as parent; FOLDER_SEARCH in the hierarchy. */
static void check_search(IMsgStore *store, IMAPIFolder *root, IMAPIFolder *big)
{
    IMAPIFolder *found = find_folder(store, root, L"Found");
    IMAPITable *t = NULL;
    if (found)
        found->lpVtbl->GetContentsTable(found, MAPI_UNICODE, &t);
    ok(t != NULL, "search folder contents table\n");
    if (t) {
        ULONG want = 0, n = 0;
        for (int i = 0; i < N_MSGS; i++) {
            char subj[32];
            snprintf(subj, sizeof subj, "Message %05d", i);
            want += strstr(subj, "Message 0012") != NULL;
        }
        t->lpVtbl->GetRowCount(t, 0, &n);
        ok(n == want, "search results: %lu, want %lu\n", (unsigned long)n, (unsigned long)want);
        SizedSPropTagArray(3, c) = { 3, { PR_SUBJECT_W, PR_PARENT_ENTRYID, PR_ENTRYID } };
        t->lpVtbl->SetColumns(t, (LPSPropTagArray)&c, 0);
        LPSPropValue feid = get_prop((IMAPIProp *)big, PR_ENTRYID);
        SRowSet *rs = NULL;
        t->lpVtbl->QueryRows(t, 50, 0, &rs);
        int bad = 0;
        for (ULONG i = 0; rs && i < rs->cRows; i++) {
            const SPropValue *p = find_prop(&rs->aRow[i], PR_PARENT_ENTRYID);
            bad += !p || !feid || p->Value.bin.cb != feid->Value.bin.cb
                || memcmp(p->Value.bin.lpb, feid->Value.bin.lpb, p->Value.bin.cb) != 0;
        }
        ok(rs && rs->cRows == want && bad == 0,
           "search rows: %d of %lu do not name Big as their parent\n", bad,
           rs ? (unsigned long)rs->cRows : 0);
        host_free_rows(rs);
        host_FreeBuffer(feid);
        t->lpVtbl->Release(t);
    }
    if (found)
        found->lpVtbl->Release(found);

    IMAPITable *h = NULL;
    root->lpVtbl->GetHierarchyTable(root, MAPI_UNICODE, &h);
    if (h) {
        SizedSPropTagArray(2, c) = { 2, { PR_DISPLAY_NAME_W, PR_FOLDER_TYPE } };
        h->lpVtbl->SetColumns(h, (LPSPropTagArray)&c, 0);
        SRowSet *rs = NULL;
        h->lpVtbl->QueryRows(h, 100, 0, &rs);
        int search = -1, generic = -1;
        for (ULONG i = 0; rs && i < rs->cRows; i++) {
            const SPropValue *nm = find_prop(&rs->aRow[i], PR_DISPLAY_NAME_W);
            const SPropValue *ft = find_prop(&rs->aRow[i], PR_FOLDER_TYPE);
            if (nm && ft && wcscmp(nm->Value.lpszW, L"Found") == 0)
                search = ft->Value.l;
            if (nm && ft && wcscmp(nm->Value.lpszW, L"Big") == 0)
                generic = ft->Value.l;
        }
        ok(search == FOLDER_SEARCH && generic == FOLDER_GENERIC,
           "PR_FOLDER_TYPE: Found %d, Big %d\n", search, generic);
        host_free_rows(rs);
        h->lpVtbl->Release(h);
    }
}

static void part1(const char *dll_path)
{
    HMODULE dll = NULL;
    LPMSPROVIDER prov = host_load_provider(dll_path, &dll);
    HRESULT hr;
    IMapidavDebug *debug = NULL;
    prov->lpVtbl->QueryInterface(prov, &IID_IMapidavDebug, (void **)&debug);

    host_session s;
    if (host_logon(prov, &s))   /* makes the store file and its default folders */
        host_logoff(&s);
    st_id big_id = fill_store();
    if (big_id && host_logon(prov, &s)) {
        IMAPIFolder *root = open_folder(s.store, NULL);
        IMAPIFolder *big = root ? find_folder(s.store, root, L"big") : NULL;
        IMAPITable *t = NULL;
        if (big) {
            hr = big->lpVtbl->GetContentsTable(big, MAPI_UNICODE, &t);
            ok(hr == S_OK && t, "GetContentsTable: %#lx\n", (unsigned long)hr);
        }
        if (t) {
            ULONG n = 0;
            hr = t->lpVtbl->GetRowCount(t, 0, &n);
            ok(hr == S_OK && n == N_MSGS, "GetRowCount: %#lx, %lu\n", (unsigned long)hr,
               (unsigned long)n);
            check_columns(s.store, big, t);
            check_sorts(t);
            check_restrictions(t);
            check_positions(t);
            check_categories(big, t);
            check_mv_instance(t);
            check_bad_arguments(big, t);
            ok(t->lpVtbl->Release(t) == 0, "table still referenced\n");
        }
        if (big && root)
            check_search(s.store, root, big);
        if (big) {
            check_associated(big);
            check_8bit(big);
            big->lpVtbl->Release(big);
        }
        if (root) {
            check_hierarchy(root);
            root->lpVtbl->Release(root);
        }
        host_logoff(&s);
    }
    ULONG flags = 0;
    prov->lpVtbl->Shutdown(prov, &flags);
    ok(prov->lpVtbl->Release(prov) == 0, "IMSProvider still referenced\n");
    if (debug)
        ok(debug->lpVtbl->LiveObjects(debug) == 0, "DLL: live objects at the end: %ld\n",
           (long)debug->lpVtbl->LiveObjects(debug));
    ok(buffers_live == 0, "MAPI buffers not freed: %ld\n", (long)buffers_live);
    FreeLibrary(dll);
}

/* ---- Part 2: a notification from a writer thread */

typedef struct test_sink {
    ADVISE_SINK_BASE;
    HANDLE got;                 /* set on each OnNotify */
    CRITICAL_SECTION lock;
    ULONG events[16];           /* ulTableEvent of each notification */
    int subject_ok[16];         /* the row of an ADDED carries "From sync" */
    int n;
    IMAPITable *release_me;     /* released (its last reference) in OnNotify */
    ULONG released_to;          /* what that Release returned */
} test_sink;

static ULONG STDMETHODCALLTYPE sink_OnNotify(IMAPIAdviseSink *self, ULONG n, LPNOTIFICATION ns)
{
    test_sink *s = (test_sink *)self;
    EnterCriticalSection(&s->lock);
    for (ULONG i = 0; i < n && s->n < 16; i++) {
        const TABLE_NOTIFICATION *tn = &ns[i].info.tab;
        int good = 0;
        if (ns[i].ulEventType == fnevTableModified && tn->ulTableEvent == TABLE_ROW_ADDED) {
            const SPropValue *v = find_prop(&tn->row, PR_SUBJECT_W);
            good = v && wcscmp(v->Value.lpszW, L"From sync") == 0
                && tn->propIndex.ulPropTag == PR_INSTANCE_KEY;
        }
        s->subject_ok[s->n] = good;
        s->events[s->n++] = tn->ulTableEvent;
    }
    IMAPITable *t = s->release_me;
    s->release_me = NULL;
    LeaveCriticalSection(&s->lock);
    if (t)   /* the table's last reference, from its own delivery thread */
        s->released_to = t->lpVtbl->Release(t);
    SetEvent(s->got);
    return 0;
}

/* s as a sink with one reference, its event and lock made. */
static void sink_init(test_sink *s)
{
    memset(s, 0, sizeof *s);
    advise_sink_init(&s->base, sink_OnNotify);
    s->got = CreateEventW(NULL, FALSE, FALSE, NULL);
    InitializeCriticalSection(&s->lock);
}

typedef struct writer_args {
    st_id fid;
    st_id made;
    const char *new_folder;   /* set: make this folder under fid instead */
} writer_args;

/* The sync thread's stand-in: its own handle, a server write. */
static DWORD WINAPI writer(void *arg)
{
    writer_args *w = arg;
    st_store *s = NULL;
    if (st_store_open(&s, store_path8, NULL, 0))
        return 1;
    int code = 0;
    if (w->new_folder) {
        st_bag *b = st_bag_new();
        st_bag_set_str(b, PR_DISPLAY_NAME_W, w->new_folder);
        code = st_folder_create(s, &w->made, w->fid, b, ST_FROM_SERVER);
        st_bag_free(b);
    } else if (!w->made) {
        st_bag *b = st_bag_new();
        st_bag_set_str(b, PR_SUBJECT_W, "From sync");
        st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
        code = st_message_create(s, &w->made, w->fid, b, ST_FROM_SERVER);
        st_bag_free(b);
    } else {
        code = st_message_delete(s, w->made, ST_FROM_SERVER | ST_HARD_DELETE);
    }
    st_store_close(s);
    return code ? 1 : 0;
}

static int wait_events(test_sink *sink, int n)
{
    for (int tries = 0; tries < 100; tries++) {
        EnterCriticalSection(&sink->lock);
        int have = sink->n;
        LeaveCriticalSection(&sink->lock);
        if (have >= n)
            return 1;
        WaitForSingleObject(sink->got, 100);
    }
    return 0;
}

static void part2(void)
{
    md_alloc a = { host_AllocateBuffer, host_AllocateMore, host_FreeBuffer };
    IMSProvider *prov = NULL;
    HRESULT hr = md_provider_create(&a, &prov);
    ok(hr == S_OK && prov, "md_provider_create: %#lx\n", (unsigned long)hr);
    if (!prov)
        return;
    host_session s;
    if (host_logon(prov, &s)) {
        IMAPIFolder *root = open_folder(s.store, NULL);
        IMAPIFolder *big = root ? find_folder(s.store, root, L"big") : NULL;
        IMAPITable *t = NULL;
        if (big)
            big->lpVtbl->GetContentsTable(big, MAPI_UNICODE, &t);
        ok(t != NULL, "part 2: contents table\n");
        test_sink sink;
        sink_init(&sink);
        ULONG conn = 0;
        if (t) {
            SizedSPropTagArray(2, c) = { 2, { PR_INSTANCE_KEY, PR_SUBJECT_W } };
            t->lpVtbl->SetColumns(t, (LPSPropTagArray)&c, 0);
            hr = t->lpVtbl->Advise(t, fnevTableModified, &sink.iface, &conn);
            ok(hr == S_OK && conn, "Advise: %#lx\n", (unsigned long)hr);
            ok(sink.refs == 2, "sink not AddRef'd: %ld\n", (long)sink.refs);
            LPSPropValue fe = get_prop((IMAPIProp *)big, PR_ENTRYID);
            writer_args w = { .fid = fe ? eid_id(&fe->Value.bin) : 0 };
            host_FreeBuffer(fe);
            HANDLE th = CreateThread(NULL, 0, writer, &w, 0, NULL);
            WaitForSingleObject(th, 30000);
            DWORD rc = 1;
            GetExitCodeThread(th, &rc);
            CloseHandle(th);
            ok(rc == 0 && w.made, "writer thread failed\n");
            ok(wait_events(&sink, 1), "no notification within 10 s\n");
            ok(sink.n >= 1 && sink.events[0] == TABLE_ROW_ADDED && sink.subject_ok[0],
               "TABLE_ROW_ADDED with the row: event %lu\n",
               sink.n ? (unsigned long)sink.events[0] : 0);
            ULONG n = 0;
            t->lpVtbl->GetRowCount(t, 0, &n);
            ok(n == N_MSGS + 1, "rows after the write: %lu\n", (unsigned long)n);

            th = CreateThread(NULL, 0, writer, &w, 0, NULL);   /* now deletes it */
            WaitForSingleObject(th, 30000);
            CloseHandle(th);
            ok(wait_events(&sink, 2), "no second notification\n");
            ok(sink.n >= 2 && sink.events[1] == TABLE_ROW_DELETED, "TABLE_ROW_DELETED: %lu\n",
               sink.n >= 2 ? (unsigned long)sink.events[1] : 0);
            ok(t->lpVtbl->Unadvise(t, conn) == S_OK, "Unadvise\n");
            ok(sink.refs == 1, "sink still referenced: %ld\n", (long)sink.refs);
            /* Advised again, then released with the sink still on. */
            t->lpVtbl->Advise(t, fnevTableModified, &sink.iface, &conn);
            ok(t->lpVtbl->Release(t) == 0, "table still referenced\n");
            ok(sink.refs == 1, "sink not released with the table: %ld\n", (long)sink.refs);

            /* A sink that releases the table's last reference from OnNotify:
             * the delivery thread frees the table once OnNotify returns. */
            IMAPITable *t3 = NULL;
            big->lpVtbl->GetContentsTable(big, MAPI_UNICODE, &t3);
            test_sink sink2;
            sink_init(&sink2);
            if (t3) {
                LONG live = md_live_objects();
                t3->lpVtbl->Advise(t3, fnevTableModified, &sink2.iface, &conn);
                sink2.release_me = t3;
                w.made = 0;
                th = CreateThread(NULL, 0, writer, &w, 0, NULL);
                WaitForSingleObject(th, 30000);
                CloseHandle(th);
                ok(wait_events(&sink2, 1), "no notification for the self-releasing sink\n");
                for (int i = 0; i < 50 && md_live_objects() != live - 1; i++)
                    Sleep(20);
                ok(sink2.released_to == 0 && md_live_objects() == live - 1,
                   "table released from OnNotify: Release gave %lu, live %ld -> %ld\n",
                   (unsigned long)sink2.released_to, (long)live, (long)md_live_objects());
                ok(sink2.refs == 1, "self-releasing sink still referenced: %ld\n",
                   (long)sink2.refs);
                th = CreateThread(NULL, 0, writer, &w, 0, NULL);   /* deletes it again */
                WaitForSingleObject(th, 30000);
                CloseHandle(th);
            }
            CloseHandle(sink2.got);
            DeleteCriticalSection(&sink2.lock);

            /* The root's hierarchy table hears a folder the writer makes. */
            IMAPITable *h = NULL;
            root->lpVtbl->GetHierarchyTable(root, MAPI_UNICODE, &h);
            test_sink sink3;
            sink_init(&sink3);
            if (h) {
                ULONG before = 0, after = 0;
                h->lpVtbl->GetRowCount(h, 0, &before);
                h->lpVtbl->Advise(h, fnevTableModified, &sink3.iface, &conn);
                LPSPropValue re = get_prop((IMAPIProp *)root, PR_ENTRYID);
                writer_args wf = { .fid = re ? eid_id(&re->Value.bin) : 0,
                                   .new_folder = "Synced" };
                host_FreeBuffer(re);
                th = CreateThread(NULL, 0, writer, &wf, 0, NULL);
                WaitForSingleObject(th, 30000);
                CloseHandle(th);
                ok(wf.made != 0, "writer made no folder\n");
                ok(wait_events(&sink3, 1), "no hierarchy notification\n");
                ok(sink3.n >= 1 && (sink3.events[0] == TABLE_RELOAD
                   || sink3.events[0] == TABLE_ROW_ADDED), "hierarchy event %lu\n",
                   sink3.n ? (unsigned long)sink3.events[0] : 0);
                h->lpVtbl->GetRowCount(h, 0, &after);
                ok(after == before + 1, "hierarchy rows %lu -> %lu\n", (unsigned long)before,
                   (unsigned long)after);
                ok(h->lpVtbl->Release(h) == 0, "hierarchy table still referenced\n");
                ok(sink3.refs == 1, "hierarchy sink still referenced\n");
            }
            CloseHandle(sink3.got);
            DeleteCriticalSection(&sink3.lock);
        }
        CloseHandle(sink.got);
        DeleteCriticalSection(&sink.lock);
        if (big)
            big->lpVtbl->Release(big);
        if (root)
            root->lpVtbl->Release(root);
        host_logoff(&s);
    }
    ULONG flags = 0;
    prov->lpVtbl->Shutdown(prov, &flags);
    ok(prov->lpVtbl->Release(prov) == 0, "IMSProvider still referenced\n");
    ok(md_live_objects() == 0, "live objects at the end: %ld\n", (long)md_live_objects());
    ok(buffers_live == 0, "MAPI buffers not freed: %ld\n", (long)buffers_live);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        test_fatal("usage: test_provider_table PATH-TO-mapidav32.dll\n");
    host_support_setup();
    host_store_path(L"mapidav-table");
    WideCharToMultiByte(CP_UTF8, 0, store_path, -1, store_path8, sizeof store_path8, NULL, NULL);

    part1(argv[1]);
    part2();
    ok(sup_refs == 1, "support object references left: %ld\n", (long)sup_refs - 1);
    host_remove_store();
    return test_done();
}
