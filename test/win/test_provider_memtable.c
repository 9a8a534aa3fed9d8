/*
 * test_provider_memtable.c: provider/memtable.c, the in-memory IMAPITable,
 * called directly (linked from the provider's static library) under Wine:
 * every IMAPITable method and its bad arguments; rows added, replaced and
 * deleted while views are open, with the notifications a test sink gets
 * (instance keys, prior row); the cursor and bookmarks across deletions
 * (MAPI_W_POSITION_CHANGED once); sorts, restrictions and FindRow through
 * provider/restrict.h on 10,000 rows; sync (row by row, renumbered rows
 * keeping their instance key), replace_all (TABLE_CHANGED) and held
 * notifications on plain, sorted and restricted views, a sink changing the
 * table from OnNotify, notifications of two threads' changes in order and
 * one at a time (a sink mirroring the rows from them alone); buffers in
 * FreeProws-shaped chains and every view released (live-object counter
 * back where it was).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>
#include <mapiguid.h>

#include "testutil.h"
#include "host_alloc.h"
#include "table_sink.h"
#include "provider/memtable.h"
#include "provider/object.h"
#include "storage/props_tags.h"

static const md_alloc alloc = { host_AllocateBuffer, host_AllocateMore, host_FreeBuffer };
static const uint32_t cols3[] = { PR_ROWID, PR_DISPLAY_NAME_W, PR_INSTANCE_KEY };

static HRESULT set_row(md_memtable *t, int32_t id, const char *name)
{
    st_bag *b = st_bag_new();
    st_bag_set_long(b, PR_ROWID, id);
    if (name)
        st_bag_set_str(b, PR_DISPLAY_NAME_W, name);
    HRESULT hr = md_memtable_set_row(t, b);
    st_bag_free(b);
    return hr;
}

static HRESULT delete_row(md_memtable *t, int32_t id)
{
    st_value k = st_view_long(PR_ROWID, id);
    return md_memtable_delete_row(t, &k);
}

/* The PR_ROWID of every row QueryRows gives from the cursor (count rows
 * at a time), into ids; the number read. */
static size_t read_ids(IMAPITable *tbl, LONG count, ULONG flags, int32_t *ids, size_t max)
{
    SRowSet *rows = NULL;
    HRESULT hr = tbl->lpVtbl->QueryRows(tbl, count, flags, &rows);
    ok(hr == S_OK, "QueryRows %ld: %#lx\n", (long)count, (unsigned long)hr);
    if (hr != S_OK)
        return 0;
    size_t n = 0;
    for (ULONG i = 0; i < rows->cRows && n < max; i++) {
        SPropValue *p = rows->aRow[i].lpProps;
        ok(rows->aRow[i].cValues >= 1 && p[0].ulPropTag == PR_ROWID,
           "row %lu: first column %#lx\n", (unsigned long)i, (unsigned long)p[0].ulPropTag);
        ids[n++] = p[0].Value.l;
    }
    free_rows(rows);
    return n;
}

/* PR_INSTANCE_KEY of the row at the cursor (not advancing). */
static int cursor_key(IMAPITable *tbl, uint8_t key[4])
{
    SRowSet *rows = NULL;
    int found = 0;
    if (tbl->lpVtbl->QueryRows(tbl, 1, TBL_NOADVANCE, &rows) == S_OK && rows->cRows == 1
        && rows->aRow[0].lpProps[2].ulPropTag == PR_INSTANCE_KEY) {
        memcpy(key, rows->aRow[0].lpProps[2].Value.bin.lpb, 4);
        found = 1;
    }
    free_rows(rows);
    return found;
}

static void test_bad_args(void)
{
    md_memtable *t = (md_memtable *)1;
    ok(md_memtable_new(&t, &alloc, cols3, 0, PR_ROWID) == MAPI_E_INVALID_PARAMETER && !t,
       "no columns accepted\n");
    ok(md_memtable_new(&t, &alloc, cols3, 3, PROP_TAG(PT_MV_LONG, 0x3000))
       == MAPI_E_INVALID_PARAMETER, "multi-valued key accepted\n");
    ok(md_memtable_new(&t, &alloc, NULL, 3, PR_ROWID) == MAPI_E_INVALID_PARAMETER,
       "NULL columns accepted\n");
    ok(md_memtable_new(NULL, &alloc, cols3, 3, PR_ROWID) == MAPI_E_INVALID_PARAMETER,
       "NULL out accepted\n");
    ok(md_memtable_new(&t, &alloc, cols3, 3, PR_ROWID) == S_OK, "new\n");
    st_bag *nokey = st_bag_new();
    st_bag_set_str(nokey, PR_DISPLAY_NAME_W, "x");
    ok(md_memtable_set_row(t, nokey) == MAPI_E_INVALID_PARAMETER, "row without key accepted\n");
    ok(md_memtable_set_row(t, NULL) == MAPI_E_INVALID_PARAMETER, "NULL row accepted\n");
    st_bag_free(nokey);
    ok(delete_row(t, 7) == MAPI_E_NOT_FOUND, "deleting a missing row\n");
    ok(md_memtable_delete_row(t, NULL) == MAPI_E_INVALID_PARAMETER, "NULL key accepted\n");
    ok(md_memtable_view(t, NULL) == MAPI_E_INVALID_PARAMETER, "NULL view out accepted\n");
    md_memtable_free(t);
    md_memtable_free(NULL);
}

static void test_methods(void)
{
    md_memtable *t = NULL;
    IMAPITable *tbl = NULL;
    int32_t ids[16] = { 0 };
    ULONG n = 0, st = 0, ty = 0;
    HRESULT hr;

    ok(md_memtable_new(&t, &alloc, cols3, 3, PR_ROWID) == S_OK, "new\n");
    for (int i = 0; i < 5; i++) {
        char name[16];
        snprintf(name, sizeof name, "name %d", i);
        ok(set_row(t, i, name) == S_OK, "set_row %d\n", i);
    }
    ok(md_memtable_count(t) == 5, "count %zu\n", md_memtable_count(t));
    ok(md_memtable_view(t, &tbl) == S_OK, "view\n");

    /* IUnknown */
    void *p = NULL;
    ok(tbl->lpVtbl->QueryInterface(tbl, &IID_IMAPITable, &p) == S_OK && p == tbl,
       "QueryInterface(IMAPITable)\n");
    if (p)
        tbl->lpVtbl->Release(tbl);
    ok(tbl->lpVtbl->QueryInterface(tbl, &IID_IMAPIFolder, &p) == E_NOINTERFACE && !p,
       "QueryInterface(IMAPIFolder)\n");
    ok(tbl->lpVtbl->QueryInterface(tbl, &IID_IMAPITable, NULL) == E_INVALIDARG,
       "QueryInterface(NULL)\n");

    /* Status */
    ok(tbl->lpVtbl->GetStatus(tbl, &st, &ty) == S_OK && st == TBLSTAT_COMPLETE
       && ty == TBLTYPE_DYNAMIC, "GetStatus %lu %lu\n", (unsigned long)st, (unsigned long)ty);
    ok(tbl->lpVtbl->GetStatus(tbl, NULL, &ty) == MAPI_E_INVALID_PARAMETER, "GetStatus(NULL)\n");
    ok(tbl->lpVtbl->WaitForCompletion(tbl, 0, 1000, &st) == S_OK && st == TBLSTAT_COMPLETE,
       "WaitForCompletion\n");
    ok(tbl->lpVtbl->WaitForCompletion(tbl, 0, 0, NULL) == S_OK, "WaitForCompletion(NULL)\n");
    ok(tbl->lpVtbl->WaitForCompletion(tbl, 8, 0, NULL) == MAPI_E_UNKNOWN_FLAGS,
       "WaitForCompletion bad flags\n");
    ok(tbl->lpVtbl->Abort(tbl) == S_OK, "Abort\n");
    MAPIERROR *err = NULL;
    ok(tbl->lpVtbl->GetLastError(tbl, E_FAIL, 0, &err) == S_OK && err && err->lpszError,
       "GetLastError\n");
    host_FreeBuffer(err);
    ok(tbl->lpVtbl->GetLastError(tbl, E_FAIL, 4, &err) == MAPI_E_UNKNOWN_FLAGS,
       "GetLastError flags\n");
    ok(tbl->lpVtbl->GetLastError(tbl, E_FAIL, 0, NULL) == MAPI_E_INVALID_PARAMETER,
       "GetLastError(NULL)\n");

    /* Counts and columns */
    ok(tbl->lpVtbl->GetRowCount(tbl, 0, &n) == S_OK && n == 5, "GetRowCount %lu\n",
       (unsigned long)n);
    ok(tbl->lpVtbl->GetRowCount(tbl, 1, &n) == MAPI_E_UNKNOWN_FLAGS, "GetRowCount flags\n");
    ok(tbl->lpVtbl->GetRowCount(tbl, 0, NULL) == MAPI_E_INVALID_PARAMETER,
       "GetRowCount(NULL)\n");
    SPropTagArray *cols = NULL;
    ok(tbl->lpVtbl->QueryColumns(tbl, 0, &cols) == S_OK && cols->cValues == 3
       && cols->aulPropTag[0] == PR_ROWID && cols->aulPropTag[2] == PR_INSTANCE_KEY,
       "QueryColumns\n");
    host_FreeBuffer(cols);
    cols = NULL;
    ok(tbl->lpVtbl->QueryColumns(tbl, TBL_ALL_COLUMNS, &cols) == S_OK && cols->cValues == 3,
       "QueryColumns(TBL_ALL_COLUMNS) %lu\n", cols ? (unsigned long)cols->cValues : 0ul);
    host_FreeBuffer(cols);
    ok(tbl->lpVtbl->QueryColumns(tbl, 2, &cols) == MAPI_E_UNKNOWN_FLAGS, "QueryColumns flags\n");
    ok(tbl->lpVtbl->QueryColumns(tbl, 0, NULL) == MAPI_E_INVALID_PARAMETER,
       "QueryColumns(NULL)\n");

    SizedSPropTagArray(2, two) = { 2, { PR_DISPLAY_NAME_W, PR_EMAIL_ADDRESS_W } };
    ok(tbl->lpVtbl->SetColumns(tbl, NULL, 0) == MAPI_E_INVALID_PARAMETER, "SetColumns(NULL)\n");
    ok(tbl->lpVtbl->SetColumns(tbl, (LPSPropTagArray)&two, 4) == MAPI_E_UNKNOWN_FLAGS,
       "SetColumns flags\n");
    SizedSPropTagArray(1, mvi) = { 1, { PROP_TAG(PT_MV_UNICODE | MV_INSTANCE, 0x3001) } };
    ok(tbl->lpVtbl->SetColumns(tbl, (LPSPropTagArray)&mvi, 0) == MAPI_E_TOO_COMPLEX,
       "SetColumns MV_INSTANCE\n");
    ok(tbl->lpVtbl->SetColumns(tbl, (LPSPropTagArray)&two, TBL_ASYNC) == S_OK, "SetColumns\n");
    SRowSet *rows = NULL;
    hr = tbl->lpVtbl->QueryRows(tbl, 1, TBL_NOADVANCE, &rows);
    ok(hr == S_OK && rows->cRows == 1 && rows->aRow[0].cValues == 2
       && rows->aRow[0].lpProps[0].ulPropTag == PR_DISPLAY_NAME_W
       && wcscmp(rows->aRow[0].lpProps[0].Value.lpszW, L"name 0") == 0
       && rows->aRow[0].lpProps[1].ulPropTag == PROP_TAG(PT_ERROR, 0x3003)
       && rows->aRow[0].lpProps[1].Value.err == MAPI_E_NOT_FOUND,
       "row in the new columns\n");
    free_rows(rows);
    SizedSPropTagArray(2, a8) = { 2, { PR_ROWID, PROP_TAG(PT_STRING8, 0x3001) } };
    ok(tbl->lpVtbl->SetColumns(tbl, (LPSPropTagArray)&a8, 0) == S_OK, "SetColumns 8-bit\n");
    rows = NULL;
    hr = tbl->lpVtbl->QueryRows(tbl, 1, TBL_NOADVANCE, &rows);
    ok(hr == S_OK && rows->cRows == 1
       && rows->aRow[0].lpProps[1].ulPropTag == PROP_TAG(PT_STRING8, 0x3001)
       && strcmp(rows->aRow[0].lpProps[1].Value.lpszA, "name 0") == 0, "8-bit column\n");
    free_rows(rows);
    SizedSPropTagArray(3, c3) = { 3, { PR_ROWID, PR_DISPLAY_NAME_W, PR_INSTANCE_KEY } };
    SizedSPropTagArray(12, c12) = { 12, { PR_ROWID, PR_DISPLAY_NAME_W, PR_INSTANCE_KEY,
        PR_ENTRYID, PR_SUBJECT_W, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_PRIORITY,
        PR_SENDER_NAME_W, PR_DISPLAY_TO_W, PR_DISPLAY_CC_W, PR_DISPLAY_BCC_W } };
    ok(tbl->lpVtbl->SetColumns(tbl, (LPSPropTagArray)&c12, 0) == S_OK, "SetColumns 12\n");
    cols = NULL;
    ok(tbl->lpVtbl->QueryColumns(tbl, 0, &cols) == S_OK && cols->cValues == 12
       && cols->aulPropTag[11] == PR_DISPLAY_BCC_W, "QueryColumns 12\n");
    host_FreeBuffer(cols);
    rows = NULL;
    ok(tbl->lpVtbl->QueryRows(tbl, 5, TBL_NOADVANCE, &rows) == S_OK && rows->cRows == 5
       && rows->aRow[4].cValues == 12, "rows of 12 columns\n");
    free_rows(rows);
    ok(tbl->lpVtbl->SetColumns(tbl, (LPSPropTagArray)&c3, 0) == S_OK, "SetColumns back\n");

    /* QueryRows forward, backward, TBL_NOADVANCE; positions */
    ok(tbl->lpVtbl->QueryRows(tbl, 0, 0, &rows) == MAPI_E_INVALID_PARAMETER,
       "QueryRows(0)\n");
    ok(tbl->lpVtbl->QueryRows(tbl, 1, 4, &rows) == MAPI_E_UNKNOWN_FLAGS, "QueryRows flags\n");
    ok(tbl->lpVtbl->QueryRows(tbl, 1, 0, NULL) == MAPI_E_INVALID_PARAMETER,
       "QueryRows(NULL)\n");
    ok(read_ids(tbl, 2, 0, ids, 16) == 2 && ids[0] == 0 && ids[1] == 1, "first two rows\n");
    ULONG row = 9, num = 9, den = 9;
    ok(tbl->lpVtbl->QueryPosition(tbl, &row, &num, &den) == S_OK && row == 2 && num == 2
       && den == 5, "QueryPosition %lu %lu/%lu\n", (unsigned long)row, (unsigned long)num,
       (unsigned long)den);
    ok(tbl->lpVtbl->QueryPosition(tbl, NULL, &num, &den) == MAPI_E_INVALID_PARAMETER,
       "QueryPosition(NULL)\n");
    ok(read_ids(tbl, 10, TBL_NOADVANCE, ids, 16) == 3 && ids[0] == 2 && ids[2] == 4,
       "rest, not advancing\n");
    ok(read_ids(tbl, -10, 0, ids, 16) == 2 && ids[0] == 0 && ids[1] == 1,
       "backward: the rows before, in table order\n");
    ok(tbl->lpVtbl->QueryPosition(tbl, &row, &num, &den) == S_OK && row == 0,
       "backward read moved the cursor back: %lu\n", (unsigned long)row);
    ok(read_ids(tbl, -1, 0, ids, 16) == 0, "backward at the beginning\n");

    /* SeekRow, SeekRowApprox */
    LONG sought = 0;
    ok(tbl->lpVtbl->SeekRow(tbl, BOOKMARK_END, -2, &sought) == S_OK && sought == -2,
       "SeekRow END -2: %ld\n", (long)sought);
    ok(read_ids(tbl, 5, 0, ids, 16) == 2 && ids[0] == 3, "after SeekRow END -2\n");
    ok(read_ids(tbl, 5, 0, ids, 16) == 0, "at the end\n");
    ok(tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 100, &sought) == S_OK && sought == 5,
       "SeekRow past the end: %ld\n", (long)sought);
    ok(tbl->lpVtbl->SeekRow(tbl, BOOKMARK_CURRENT, -100, &sought) == S_OK && sought == -5,
       "SeekRow before the beginning: %ld\n", (long)sought);
    ok(tbl->lpVtbl->SeekRow(tbl, BOOKMARK_CURRENT, 1, NULL) == S_OK, "SeekRow(NULL sought)\n");
    ok(tbl->lpVtbl->SeekRow(tbl, 1234, 1, &sought) == MAPI_E_INVALID_BOOKMARK,
       "SeekRow unknown bookmark\n");
    ok(tbl->lpVtbl->SeekRowApprox(tbl, 1, 0) == MAPI_E_INVALID_PARAMETER, "SeekRowApprox /0\n");
    ok(tbl->lpVtbl->SeekRowApprox(tbl, 3, 5) == S_OK
       && tbl->lpVtbl->QueryPosition(tbl, &row, &num, &den) == S_OK && row == 3,
       "SeekRowApprox 3/5: %lu\n", (unsigned long)row);
    ok(tbl->lpVtbl->SeekRowApprox(tbl, 7, 5) == S_OK
       && tbl->lpVtbl->QueryPosition(tbl, &row, &num, &den) == S_OK && row == 5,
       "SeekRowApprox past 1: %lu\n", (unsigned long)row);

    /* Not categorized */
    ULONG more = 9, cnt = 9, cb = 9;
    BYTE key[4] = { 0 }, *state = (BYTE *)1;
    BOOKMARK loc = 99;
    rows = (SRowSet *)1;
    ok(tbl->lpVtbl->ExpandRow(tbl, 4, key, 10, 0, &rows, &more) == MAPI_E_NO_SUPPORT && !rows
       && !more, "ExpandRow\n");
    ok(tbl->lpVtbl->CollapseRow(tbl, 4, key, 0, &cnt) == MAPI_E_NO_SUPPORT && !cnt,
       "CollapseRow\n");
    ok(tbl->lpVtbl->GetCollapseState(tbl, 0, 4, key, &cb, &state) == MAPI_E_NO_SUPPORT && !cb
       && !state, "GetCollapseState\n");
    ok(tbl->lpVtbl->SetCollapseState(tbl, 0, 4, key, &loc) == MAPI_E_NO_SUPPORT,
       "SetCollapseState\n");

    /* A replaced row keeps its place and instance key; the data outlives
     * md_memtable_free while a view is open. */
    uint8_t k_before[4], k_after[4];
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 1, NULL);
    ok(cursor_key(tbl, k_before), "cursor key\n");
    ok(set_row(t, 1, "renamed") == S_OK, "replace row 1\n");
    ok(cursor_key(tbl, k_after) && memcmp(k_before, k_after, 4) == 0,
       "instance key changed on replace\n");
    ok(tbl->lpVtbl->GetRowCount(tbl, 0, &n) == S_OK && n == 5, "count after replace %lu\n",
       (unsigned long)n);
    md_memtable_free(t);
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 0, NULL);
    ok(read_ids(tbl, 10, 0, ids, 16) == 5, "rows after md_memtable_free\n");
    ok(tbl->lpVtbl->Release(tbl) == 0, "view refcount\n");
}

static void test_notifications(void)
{
    md_memtable *t = NULL;
    IMAPITable *tbl = NULL, *other = NULL;
    test_sink sink;
    ULONG conn = 0, conn2 = 0;
    uint8_t k1[4], k2[4];

    sink_init(&sink);
    md_memtable_new(&t, &alloc, cols3, 3, PR_ROWID);
    set_row(t, 1, "one");
    set_row(t, 2, "two");
    md_memtable_view(t, &tbl);
    md_memtable_view(t, &other);
    ok(tbl->lpVtbl->Advise(tbl, fnevNewMail, &sink.iface, &conn) == MAPI_E_INVALID_PARAMETER,
       "Advise without fnevTableModified\n");
    ok(tbl->lpVtbl->Advise(tbl, fnevTableModified, NULL, &conn) == MAPI_E_INVALID_PARAMETER,
       "Advise(NULL sink)\n");
    ok(tbl->lpVtbl->Advise(tbl, fnevTableModified, &sink.iface, NULL)
       == MAPI_E_INVALID_PARAMETER, "Advise(NULL conn)\n");
    ok(tbl->lpVtbl->Advise(tbl, fnevTableModified, &sink.iface, &conn) == S_OK && conn,
       "Advise\n");
    ok(sink.refs == 2, "sink not AddRef'd: %ld\n", (long)sink.refs);
    ok(other->lpVtbl->Advise(other, fnevTableModified, &sink.iface, &conn2) == S_OK, "Advise 2\n");

    ok(cursor_key(tbl, k1), "key of row 1\n");
    set_row(t, 3, "three");
    ok(sink.n == 2 && sink.last_event == TABLE_ROW_ADDED && sink.last_rowid == 3
       && sink.last_cvalues == 3, "ROW_ADDED: n %d event %lu rowid %d\n", (int)sink.n,
       (unsigned long)sink.last_event, (int)sink.last_rowid);
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 1, NULL);
    ok(cursor_key(tbl, k2), "key of row 2\n");
    ok(sink.last_has_prior && memcmp(sink.last_prior, k2, 4) == 0,
       "ROW_ADDED prior is not row 2\n");

    sink.n = 0;
    set_row(t, 1, "uno");
    ok(sink.n == 2 && sink.last_event == TABLE_ROW_MODIFIED && sink.last_rowid == 1
       && !sink.last_has_prior && memcmp(sink.last_key, k1, 4) == 0,
       "ROW_MODIFIED: n %d event %lu rowid %d prior %d\n", (int)sink.n,
       (unsigned long)sink.last_event, (int)sink.last_rowid, sink.last_has_prior);

    ok(other->lpVtbl->Unadvise(other, conn2) == S_OK, "Unadvise\n");
    ok(other->lpVtbl->Unadvise(other, conn2) == MAPI_E_NOT_FOUND, "Unadvise twice\n");
    sink.n = 0;
    set_row(t, 1, "uno");
    ok(sink.n == 0, "a replacement equal to the row notified %d times\n", (int)sink.n);
    delete_row(t, 2);
    ok(sink.n == 1 && sink.last_event == TABLE_ROW_DELETED && memcmp(sink.last_key, k2, 4) == 0
       && sink.last_has_prior && memcmp(sink.last_prior, k1, 4) == 0 && sink.last_cvalues == 0,
       "ROW_DELETED: n %d event %lu\n", (int)sink.n, (unsigned long)sink.last_event);

    /* A sink released with the view. */
    other->lpVtbl->Release(other);
    ok(sink.refs == 2, "sink refs after Unadvise and release: %ld\n", (long)sink.refs);
    tbl->lpVtbl->Release(tbl);
    ok(sink.refs == 1, "sink not released with its view: %ld\n", (long)sink.refs);
    md_memtable_free(t);
}

static void test_bookmarks(void)
{
    md_memtable *t = NULL;
    IMAPITable *tbl = NULL;
    BOOKMARK bk = 0, bk2 = 0;
    int32_t ids[8] = { 0 };
    LONG sought = 0;

    md_memtable_new(&t, &alloc, cols3, 3, PR_ROWID);
    for (int i = 0; i < 6; i++)
        set_row(t, i * 10, "r");
    md_memtable_view(t, &tbl);
    ok(tbl->lpVtbl->CreateBookmark(tbl, NULL) == MAPI_E_INVALID_PARAMETER,
       "CreateBookmark(NULL)\n");
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 2, NULL);
    ok(tbl->lpVtbl->CreateBookmark(tbl, &bk) == S_OK && bk > BOOKMARK_END, "CreateBookmark\n");
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 4, NULL);
    ok(tbl->lpVtbl->CreateBookmark(tbl, &bk2) == S_OK && bk2 != bk, "second bookmark\n");

    /* A row added (at the end: an unsorted view keeps insertion order):
     * bookmarks stay on their rows. */
    set_row(t, 5, "r");
    ok(tbl->lpVtbl->SeekRow(tbl, bk, 0, &sought) == S_OK, "SeekRow(bk)\n");
    ok(read_ids(tbl, 1, 0, ids, 8) == 1 && ids[0] == 20, "bookmark moved with an insert: %d\n",
       (int)ids[0]);

    /* The bookmark's row deleted: the next row, MAPI_W_POSITION_CHANGED once. */
    delete_row(t, 20);
    ok(tbl->lpVtbl->SeekRow(tbl, bk, 0, &sought) == MAPI_W_POSITION_CHANGED,
       "SeekRow on a deleted row's bookmark\n");
    ok(read_ids(tbl, 1, TBL_NOADVANCE, ids, 8) == 1 && ids[0] == 30, "moved to the next row: %d\n",
       (int)ids[0]);
    ok(tbl->lpVtbl->SeekRow(tbl, bk, 0, &sought) == S_OK, "POSITION_CHANGED told twice\n");
    ok(tbl->lpVtbl->SeekRow(tbl, bk2, 0, &sought) == S_OK
       && read_ids(tbl, 1, 0, ids, 8) == 1 && ids[0] == 40, "other bookmark: %d\n", (int)ids[0]);
    /* The last row deleted under a bookmark: the end. */
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_END, -1, NULL);
    BOOKMARK last = 0;
    tbl->lpVtbl->CreateBookmark(tbl, &last);
    delete_row(t, 5);   /* unsorted: insertion order, so 5 is last */
    ok(tbl->lpVtbl->SeekRow(tbl, last, 0, &sought) == MAPI_W_POSITION_CHANGED
       && read_ids(tbl, 1, 0, ids, 8) == 0, "bookmark on the deleted last row\n");
    /* The cursor's own row deleted: the next row. */
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 1, NULL);
    delete_row(t, 10);
    ok(read_ids(tbl, 1, 0, ids, 8) == 1 && ids[0] == 30, "cursor after its row went: %d\n",
       (int)ids[0]);

    ok(tbl->lpVtbl->FreeBookmark(tbl, bk) == S_OK, "FreeBookmark\n");
    ok(tbl->lpVtbl->FreeBookmark(tbl, bk) == MAPI_E_INVALID_BOOKMARK, "FreeBookmark twice\n");
    ok(tbl->lpVtbl->SeekRow(tbl, bk, 0, NULL) == MAPI_E_INVALID_BOOKMARK,
       "SeekRow on a freed bookmark\n");
    ok(tbl->lpVtbl->FreeBookmark(tbl, BOOKMARK_CURRENT) == S_OK, "FreeBookmark(CURRENT)\n");
    ok(tbl->lpVtbl->FreeBookmark(tbl, 999) == MAPI_E_INVALID_BOOKMARK, "FreeBookmark(999)\n");
    tbl->lpVtbl->Release(tbl);
    md_memtable_free(t);
}

static double now_ms(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

static void test_sort_restrict(void)
{
    md_memtable *t = NULL;
    IMAPITable *tbl = NULL;
    enum { N = 10000 };
    static int32_t ids[N + 1];

    md_memtable_new(&t, &alloc, cols3, 3, PR_ROWID);
    double t0 = now_ms();
    for (int i = 0; i < N; i++) {
        char name[32];
        /* names not in id order: (i * 7919) mod N is a permutation */
        snprintf(name, sizeof name, "Name %05d", (int)((i * 7919L) % N));
        set_row(t, i, name);
    }
    double t1 = now_ms();
    md_memtable_view(t, &tbl);

    SizedSSortOrderSet(1, desc) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND } } };
    SizedSSortOrderSet(2, categ) = { 2, 1, 1, { { PR_DISPLAY_NAME_W, TABLE_SORT_ASCEND },
                                                 { PR_ROWID, TABLE_SORT_ASCEND } } };
    ok(tbl->lpVtbl->SortTable(tbl, NULL, 0) == MAPI_E_INVALID_PARAMETER, "SortTable(NULL)\n");
    ok(tbl->lpVtbl->SortTable(tbl, (LPSSortOrderSet)&desc, 8) == MAPI_E_UNKNOWN_FLAGS,
       "SortTable flags\n");
    ok(tbl->lpVtbl->SortTable(tbl, (LPSSortOrderSet)&categ, 0) == MAPI_E_TOO_COMPLEX,
       "categories accepted\n");
    MAPIERROR *why = NULL;
    ok(tbl->lpVtbl->GetLastError(tbl, MAPI_E_TOO_COMPLEX, MAPI_UNICODE, &why) == S_OK && why
       && why->lpszError && wcsstr((WCHAR *)why->lpszError, L"categories")
       && why->ulContext == (ULONG)MAPI_E_TOO_COMPLEX, "GetLastError after SortTable: %ls\n",
       why && why->lpszError ? (WCHAR *)why->lpszError : L"(none)");
    host_FreeBuffer(why);
    double t2 = now_ms();
    ok(tbl->lpVtbl->SortTable(tbl, (LPSSortOrderSet)&desc, TBL_BATCH) == S_OK, "SortTable\n");
    double t3 = now_ms();
    size_t got = 0;
    for (;;) {
        size_t k = read_ids(tbl, 1000, 0, ids + got, N - got);
        if (!k)
            break;
        got += k;
    }
    ok(got == N, "rows read %zu\n", got);
    int order_ok = 1;
    for (size_t i = 0; i < got; i++)   /* name N-1-i has id j with j*7919 = N-1-i mod N */
        if ((int)((ids[i] * 7919L) % N) != (int)(N - 1 - i))
            order_ok = 0;
    ok(order_ok, "descending order by name\n");
    SSortOrderSet *so = NULL;
    ok(tbl->lpVtbl->QuerySortOrder(tbl, &so) == S_OK && so->cSorts == 1
       && so->aSort[0].ulPropTag == PR_DISPLAY_NAME_W
       && so->aSort[0].ulOrder == TABLE_SORT_DESCEND, "QuerySortOrder\n");
    host_FreeBuffer(so);
    ok(tbl->lpVtbl->QuerySortOrder(tbl, NULL) == MAPI_E_INVALID_PARAMETER,
       "QuerySortOrder(NULL)\n");

    /* Restrict: names >= "Name 09990" -> 10 rows, still descending. */
    SPropValue lim = { .ulPropTag = PR_DISPLAY_NAME_W };
    lim.Value.lpszW = L"Name 09990";
    SRestriction res = { .rt = RES_PROPERTY };
    res.res.resProperty.relop = RELOP_GE;
    res.res.resProperty.ulPropTag = PR_DISPLAY_NAME_W;
    res.res.resProperty.lpProp = &lim;
    ok(tbl->lpVtbl->Restrict(tbl, &res, 4) == MAPI_E_UNKNOWN_FLAGS, "Restrict flags\n");
    double t4 = now_ms();
    ok(tbl->lpVtbl->Restrict(tbl, &res, TBL_ASYNC) == S_OK, "Restrict\n");
    double t5 = now_ms();
    ULONG n = 0;
    ok(tbl->lpVtbl->GetRowCount(tbl, 0, &n) == S_OK && n == 10, "restricted count %lu\n",
       (unsigned long)n);
    /* A new matching row comes in at its sorted place; a row changed to
     * no longer match goes. */
    int32_t id_9995 = -1;   /* the id named "Name 09995": j * 7919 = 9995 mod N */
    for (int j = 0; j < N; j++)
        if ((int)((j * 7919L) % N) == 9995)
            id_9995 = j;
    BOOKMARK bk = 0;
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 4, NULL);
    ok(read_ids(tbl, 1, TBL_NOADVANCE, ids, 1) == 1 && ids[0] == id_9995, "row 4 is 09995\n");
    tbl->lpVtbl->CreateBookmark(tbl, &bk);
    set_row(t, N, "Name 09995b");
    ok(tbl->lpVtbl->SeekRow(tbl, bk, 0, NULL) == S_OK
       && read_ids(tbl, 1, TBL_NOADVANCE, ids, 1) == 1 && ids[0] == id_9995,
       "bookmark did not follow its row past an insert before it\n");
    tbl->lpVtbl->FreeBookmark(tbl, bk);
    ok(tbl->lpVtbl->GetRowCount(tbl, 0, &n) == S_OK && n == 11, "count after add %lu\n",
       (unsigned long)n);
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 4, NULL);
    ok(read_ids(tbl, 1, 0, ids, 1) == 1 && ids[0] == N, "new row's place\n");
    st_value key = st_view_long(PR_ROWID, ids[0]);
    set_row(t, N, "Aaa");
    ok(tbl->lpVtbl->GetRowCount(tbl, 0, &n) == S_OK && n == 10, "count after change %lu\n",
       (unsigned long)n);
    md_memtable_delete_row(t, &key);

    /* FindRow forward and backward, from bookmarks. */
    SPropValue want = { .ulPropTag = PR_ROWID };
    want.Value.l = id_9995;
    SRestriction fr = { .rt = RES_PROPERTY };
    fr.res.resProperty.relop = RELOP_EQ;
    fr.res.resProperty.ulPropTag = PR_ROWID;
    fr.res.resProperty.lpProp = &want;
    ok(tbl->lpVtbl->FindRow(tbl, NULL, BOOKMARK_BEGINNING, 0) == MAPI_E_INVALID_PARAMETER,
       "FindRow(NULL)\n");
    ok(tbl->lpVtbl->FindRow(tbl, &fr, BOOKMARK_BEGINNING, 4) == MAPI_E_UNKNOWN_FLAGS,
       "FindRow flags\n");
    ok(tbl->lpVtbl->FindRow(tbl, &fr, BOOKMARK_BEGINNING, 0) == S_OK
       && read_ids(tbl, 1, TBL_NOADVANCE, ids, 1) == 1 && ids[0] == want.Value.l,
       "FindRow forward\n");
    ULONG row = 0, num, den;
    tbl->lpVtbl->QueryPosition(tbl, &row, &num, &den);
    ok(row == 4, "found at %lu\n", (unsigned long)row);
    ok(tbl->lpVtbl->FindRow(tbl, &fr, BOOKMARK_CURRENT, DIR_BACKWARD) == MAPI_E_NOT_FOUND,
       "FindRow backward excludes the origin row\n");
    ok(tbl->lpVtbl->FindRow(tbl, &fr, BOOKMARK_END, DIR_BACKWARD) == S_OK,
       "FindRow backward from the end\n");
    tbl->lpVtbl->QueryPosition(tbl, &row, &num, &den);
    ok(row == 4, "found backward at %lu\n", (unsigned long)row);
    ok(tbl->lpVtbl->FindRow(tbl, &fr, 555, 0) == MAPI_E_INVALID_BOOKMARK,
       "FindRow unknown bookmark\n");
    SRestriction bad = { .rt = 77 };
    ok(tbl->lpVtbl->Restrict(tbl, &bad, 0) != S_OK, "unknown restriction type accepted\n");
    ok(tbl->lpVtbl->GetRowCount(tbl, 0, &n) == S_OK && n == 10,
       "a refused Restrict changed the view: %lu\n", (unsigned long)n);

    ok(tbl->lpVtbl->Restrict(tbl, NULL, 0) == S_OK && tbl->lpVtbl->GetRowCount(tbl, 0, &n)
       == S_OK && n == N, "Restrict(NULL) back to every row: %lu\n", (unsigned long)n);
    SizedSSortOrderSet(1, none) = { 0, 0, 0, { { 0, 0 } } };
    ok(tbl->lpVtbl->SortTable(tbl, (LPSSortOrderSet)&none, 0) == S_OK
       && read_ids(tbl, 3, 0, ids, 3) == 3 && ids[0] == 0 && ids[2] == 2,
       "no sort keys: insertion order\n");
    printf("10,000 rows: insert %.1f ms, sort %.1f ms, restrict %.1f ms\n", t1 - t0, t3 - t2,
           t5 - t4);
    tbl->lpVtbl->Release(tbl);
    md_memtable_free(t);
}

/* A writer thread adds, replaces and deletes rows while this thread reads
 * and seeks a sorted view with a bookmark and a sink: nothing breaks, and
 * the view ends with what the table holds. */
/* ---- Live changes: sync, replace_all, hold (issue 6) */

/* A row bag: PR_ROWID id, PR_DISPLAY_NAME_W name, and a value no view
 * shows (extra). The caller frees it. */
static st_bag *row_bag(int32_t id, const char *name, int32_t extra)
{
    st_bag *b = st_bag_new();
    st_bag_set_long(b, PR_ROWID, id);
    st_bag_set_str(b, PR_DISPLAY_NAME_W, name);
    st_bag_set_long(b, PR_RECIPIENT_TYPE, extra);
    return b;
}

static HRESULT sync_rows(md_memtable *t, const int32_t *ids, const char *const *names,
    const int32_t *prev_ids, size_t n, int replace)
{
    st_bag *rows[8];
    st_value pv[8];
    const st_value *prev[8];
    for (size_t i = 0; i < n; i++) {
        rows[i] = row_bag(ids[i], names[i], 0);
        pv[i] = st_view_long(PR_ROWID, prev_ids ? prev_ids[i] : 0);
        prev[i] = prev_ids && prev_ids[i] >= 0 ? &pv[i] : NULL;
    }
    HRESULT hr = replace ? md_memtable_replace_all(t, rows, n)
                         : md_memtable_sync(t, rows, prev, n);
    for (size_t i = 0; i < n; i++)
        st_bag_free(rows[i]);
    return hr;
}

/* The instance key of the row with PR_ROWID id in tbl (0 when none); the
 * cursor left at the beginning. */
static int key_of(IMAPITable *tbl, int32_t id, uint8_t key[4])
{
    SRowSet *rows = NULL;
    int found = 0;
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 0, NULL);
    if (tbl->lpVtbl->QueryRows(tbl, 100, 0, &rows) == S_OK)
        for (ULONG i = 0; i < rows->cRows; i++)
            if (rows->aRow[i].lpProps[0].Value.l == id
                && rows->aRow[i].lpProps[2].ulPropTag == PR_INSTANCE_KEY) {
                memcpy(key, rows->aRow[i].lpProps[2].Value.bin.lpb, 4);
                found = 1;
            }
    free_rows(rows);
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 0, NULL);
    return found;
}

static void test_live_changes(void)
{
    md_memtable *t = NULL;
    IMAPITable *plain = NULL, *sorted = NULL, *filtered = NULL;
    test_sink s1, s2, s3;
    ULONG c1 = 0, c2 = 0, c3 = 0, n = 0;
    int32_t ids[8] = { 0 };
    uint8_t k3[4], k4[4], k5[4];

    sink_init(&s1);
    sink_init(&s2);
    sink_init(&s3);
    md_memtable_new(&t, &alloc, cols3, 3, PR_ROWID);
    static const int32_t id0[] = { 1, 2, 3 };
    static const char *const nm0[] = { "b", "c", "a" };
    ok(sync_rows(t, id0, nm0, NULL, 3, 0) == S_OK, "sync into an empty table\n");
    md_memtable_view(t, &plain);
    md_memtable_view(t, &sorted);
    md_memtable_view(t, &filtered);
    SizedSSortOrderSet(1, by_name) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND } } };
    ok(sorted->lpVtbl->SortTable(sorted, (LPSSortOrderSet)&by_name, 0) == S_OK, "SortTable\n");
    SPropValue two = { PR_ROWID, 0, { .l = 2 } };
    SRestriction res = { RES_PROPERTY, { .resProperty = { RELOP_GE, PR_ROWID, &two } } };
    ok(filtered->lpVtbl->Restrict(filtered, &res, 0) == S_OK, "Restrict\n");
    plain->lpVtbl->Advise(plain, fnevTableModified, &s1.iface, &c1);
    sorted->lpVtbl->Advise(sorted, fnevTableModified, &s2.iface, &c2);
    filtered->lpVtbl->Advise(filtered, fnevTableModified, &s3.iface, &c3);
    ok(key_of(plain, 3, k3), "key of row 3\n");

    /* Row 1 deleted, 3 changed (sorts first now), 4 added; 2 the same. */
    static const int32_t id1[] = { 2, 3, 4 };
    static const char *const nm1[] = { "c", "z", "d" };
    ok(sync_rows(t, id1, nm1, NULL, 3, 0) == S_OK, "sync\n");
    ok(s1.n == 3 && s1.last_event == TABLE_ROW_ADDED && s1.last_rowid == 4,
       "plain view: %ld notifications, last %lu row %ld\n", (long)s1.n,
       (unsigned long)s1.last_event, (long)s1.last_rowid);
    ok(read_ids(plain, 10, 0, ids, 8) == 3 && ids[0] == 2 && ids[1] == 3 && ids[2] == 4,
       "plain view after sync: %d %d %d\n", (int)ids[0], (int)ids[1], (int)ids[2]);
    ok(s2.n == 3, "sorted view: %ld notifications\n", (long)s2.n);
    sorted->lpVtbl->SeekRow(sorted, BOOKMARK_BEGINNING, 0, NULL);   /* it followed row 2 */
    ok(read_ids(sorted, 10, 0, ids, 8) == 3 && ids[0] == 3 && ids[1] == 4 && ids[2] == 2,
       "sorted view keeps its order: %d %d %d\n", (int)ids[0], (int)ids[1], (int)ids[2]);
    /* row 1 never was in the filtered view: it hears of 3 and 4 only */
    ok(s3.n == 2, "filtered view: %ld notifications\n", (long)s3.n);
    filtered->lpVtbl->SeekRow(filtered, BOOKMARK_BEGINNING, 0, NULL);
    ok(read_ids(filtered, 10, 0, ids, 8) == 3 && ids[0] == 2, "filtered view rows\n");
    uint8_t k[4];
    ok(key_of(plain, 3, k) && memcmp(k, k3, 4) == 0, "a changed row kept its instance key\n");
    ok(key_of(plain, 4, k4), "key of row 4\n");

    /* The same content again, then a change no view shows: nothing told. */
    s1.n = s2.n = s3.n = 0;
    ok(sync_rows(t, id1, nm1, NULL, 3, 0) == S_OK && s1.n == 0 && s2.n == 0,
       "an equal sync notified %ld\n", (long)s1.n);
    st_bag *hidden = row_bag(4, "d", 7);
    ok(md_memtable_set_row(t, hidden) == S_OK && s1.n == 0 && s3.n == 0,
       "a change in no column notified %ld\n", (long)s1.n);
    st_bag_free(hidden);

    /* Row 4 renumbered 5: the same row (instance key, place), modified. */
    static const int32_t id2[] = { 2, 3, 5 };
    static const int32_t prev2[] = { -1, -1, 4 };
    ok(sync_rows(t, id2, nm1, prev2, 3, 0) == S_OK, "sync with a renumbering\n");
    ok(s1.n == 1 && s1.last_event == TABLE_ROW_MODIFIED && s1.last_rowid == 5
       && memcmp(s1.last_key, k4, 4) == 0, "renumbered: %ld, event %lu row %ld\n",
       (long)s1.n, (unsigned long)s1.last_event, (long)s1.last_rowid);
    ok(key_of(plain, 5, k5) && memcmp(k5, k4, 4) == 0, "renumbered row lost its key\n");
    ok(read_ids(plain, 10, 0, ids, 8) == 3 && ids[2] == 5, "renumbered row moved\n");
    st_value *keys = NULL;
    size_t nk = 0;
    ok(md_memtable_keys(t, &keys, &nk) == S_OK && nk == 3 && keys[0].v.l == 2
       && keys[1].v.l == 3 && keys[2].v.l == 5, "keys: %zu\n", nk);
    for (size_t i = 0; i < nk; i++)
        st_value_clear(&keys[i]);
    free(keys);

    /* Bad input changes nothing. */
    static const int32_t dup[] = { 2, 2 };
    static const char *const nmd[] = { "x", "y" };
    s1.n = 0;
    ok(sync_rows(t, dup, nmd, NULL, 2, 0) == MAPI_E_INVALID_PARAMETER,
       "two rows with one key accepted\n");
    ok(sync_rows(t, dup, nmd, NULL, 2, 1) == MAPI_E_INVALID_PARAMETER,
       "replace_all: two rows with one key accepted\n");
    st_bag *nokey = st_bag_new();
    st_bag_set_str(nokey, PR_DISPLAY_NAME_W, "x");
    ok(md_memtable_sync(t, &nokey, NULL, 1) == MAPI_E_INVALID_PARAMETER,
       "a row without key accepted\n");
    st_bag_free(nokey);
    ok(md_memtable_sync(t, NULL, NULL, 1) == MAPI_E_INVALID_PARAMETER, "NULL rows accepted\n");
    ok(s1.n == 0 && md_memtable_count(t) == 3, "bad input changed the table\n");

    /* Replace all: one TABLE_CHANGED per sink, new rows, the cursor and a
     * bookmark at the beginning. */
    BOOKMARK bk = 0;
    plain->lpVtbl->SeekRow(plain, BOOKMARK_BEGINNING, 2, NULL);
    plain->lpVtbl->CreateBookmark(plain, &bk);
    static const int32_t id3[] = { 0, 1 };
    static const char *const nm3[] = { "p", "q" };
    s1.n = s2.n = s3.n = 0;
    ok(sync_rows(t, id3, nm3, NULL, 2, 1) == S_OK, "replace_all\n");
    ok(s1.n == 1 && s1.last_event == TABLE_CHANGED && s2.n == 1 && s3.n == 1,
       "TABLE_CHANGED: %ld %ld %ld, event %lu\n", (long)s1.n, (long)s2.n, (long)s3.n,
       (unsigned long)s1.last_event);
    ULONG row = 9, num = 0, den = 0;
    ok(plain->lpVtbl->QueryPosition(plain, &row, &num, &den) == S_OK && row == 0 && den == 2,
       "position after replace_all: %lu of %lu\n", (unsigned long)row, (unsigned long)den);
    ok(plain->lpVtbl->SeekRow(plain, bk, 0, NULL) == MAPI_W_POSITION_CHANGED,
       "bookmark after replace_all\n");
    ok(read_ids(sorted, 10, 0, ids, 8) == 2 && ids[0] == 1 && ids[1] == 0,
       "sorted view after replace_all: %d %d\n", (int)ids[0], (int)ids[1]);
    ok(filtered->lpVtbl->GetRowCount(filtered, 0, &n) == S_OK && n == 0,
       "filtered view after replace_all: %lu rows\n", (unsigned long)n);
    ok(key_of(plain, 1, k) && memcmp(k, k3, 4) && memcmp(k, k4, 4), "replace_all kept a key\n");

    /* Held: told at deliver, in order. */
    s1.n = 0;
    md_memtable_hold(t);
    set_row(t, 7, "h");
    delete_row(t, 0);
    ok(s1.n == 0, "told while held: %ld\n", (long)s1.n);
    md_memtable_hold(t);
    md_memtable_deliver(t);
    ok(s1.n == 0, "told while still held: %ld\n", (long)s1.n);
    md_memtable_deliver(t);
    ok(s1.n == 2 && s1.last_event == TABLE_ROW_DELETED, "after deliver: %ld, last %lu\n",
       (long)s1.n, (unsigned long)s1.last_event);

    /* The owner lets go first: the views keep the rows. */
    md_memtable_free(t);
    ok(plain->lpVtbl->GetRowCount(plain, 0, &n) == S_OK && n == 2, "rows after free: %lu\n",
       (unsigned long)n);
    filtered->lpVtbl->Release(filtered);
    sorted->lpVtbl->Release(sorted);
    plain->lpVtbl->Release(plain);
    ok(s1.refs == 1 && s2.refs == 1 && s3.refs == 1, "sinks not released: %ld %ld %ld\n",
       (long)s1.refs, (long)s2.refs, (long)s3.refs);
}

/* A sink that changes the table from OnNotify (once): the change is told
 * after OnNotify returns, not inside it. */
typedef struct reentrant_sink {
    test_sink base;         /* first */
    md_memtable *t;
    int depth, max_depth, changed;
} reentrant_sink;

static ULONG STDMETHODCALLTYPE reentrant_OnNotify(IMAPIAdviseSink *iface, ULONG n,
    LPNOTIFICATION notifs)
{
    reentrant_sink *r = (reentrant_sink *)iface;
    if (++r->depth > r->max_depth)
        r->max_depth = r->depth;
    sink_OnNotify(iface, n, notifs);
    if (!r->changed) {
        r->changed = 1;
        set_row(r->t, 99, "nested");
    }
    r->depth--;
    return 0;
}

static const IMAPIAdviseSinkVtbl reentrant_vtbl = {
    sink_QueryInterface, sink_AddRef, sink_Release, reentrant_OnNotify
};

/* A new table *t (cols3) and a view of it advised to sink s, which gets
 * vtbl. */
static IMAPITable *advised_view(md_memtable **t, test_sink *s, const IMAPIAdviseSinkVtbl *vtbl)
{
    IMAPITable *tbl = NULL;
    ULONG conn = 0;
    sink_init(s);
    s->iface.lpVtbl = (IMAPIAdviseSinkVtbl *)vtbl;
    md_memtable_new(t, &alloc, cols3, 3, PR_ROWID);
    md_memtable_view(*t, &tbl);
    tbl->lpVtbl->Advise(tbl, fnevTableModified, &s->iface, &conn);
    return tbl;
}

static void test_reentrant_sink(void)
{
    reentrant_sink r;

    memset(&r, 0, sizeof r);
    IMAPITable *tbl = advised_view(&r.t, &r.base, &reentrant_vtbl);
    set_row(r.t, 50, "outer");
    ok(r.base.n == 2 && r.base.last_rowid == 99 && r.max_depth == 1,
       "a change made in OnNotify: %ld told, last row %ld, depth %d\n", (long)r.base.n,
       (long)r.base.last_rowid, r.max_depth);
    tbl->lpVtbl->Release(tbl);
    md_memtable_free(r.t);
    ok(r.base.refs == 1, "sink not released: %ld\n", (long)r.base.refs);
}

/* A sink that mirrors the rows from the notifications alone (instance
 * key -> PR_ROWID): right only when they come in order, one at a time. */
typedef struct mirror_sink {
    test_sink base;         /* first */
    LONG inside;            /* OnNotify calls running */
    LONG overlaps, errors;  /* calls that ran together; events that did not fit */
    uint32_t keys[64];
    int32_t ids[64];
    size_t n;
} mirror_sink;

static ULONG STDMETHODCALLTYPE mirror_OnNotify(IMAPIAdviseSink *iface, ULONG n,
    LPNOTIFICATION notifs)
{
    mirror_sink *m = (mirror_sink *)iface;
    if (InterlockedIncrement(&m->inside) > 1)
        InterlockedIncrement(&m->overlaps);
    for (ULONG i = 0; i < n; i++) {
        TABLE_NOTIFICATION *tn = &notifs[i].info.tab;
        uint32_t key = 0;
        memcpy(&key, tn->propIndex.Value.bin.lpb, 4);
        size_t at = m->n;
        for (size_t k = 0; k < m->n; k++)
            if (m->keys[k] == key)
                at = k;
        int32_t id = tn->row.cValues ? tn->row.lpProps[0].Value.l : -1;
        if (tn->ulTableEvent == TABLE_ROW_ADDED && at == m->n && m->n < 64) {
            m->keys[m->n] = key;
            m->ids[m->n++] = id;
        } else if (tn->ulTableEvent == TABLE_ROW_MODIFIED && at < m->n) {
            m->ids[at] = id;
        } else if (tn->ulTableEvent == TABLE_ROW_DELETED && at < m->n) {
            m->keys[at] = m->keys[--m->n];
            m->ids[at] = m->ids[m->n];
        } else {
            m->errors++;
        }
    }
    sink_OnNotify(iface, n, notifs);
    if ((sink_count(&m->base) & 31) == 0)
        Sleep(1);   /* a window for another thread's delivery to run into */
    InterlockedDecrement(&m->inside);
    return 0;
}

static const IMAPIAdviseSinkVtbl mirror_vtbl = {
    sink_QueryInterface, sink_AddRef, sink_Release, mirror_OnNotify
};

typedef struct syncer_arg {
    md_memtable *t;
    unsigned seed;
} syncer_arg;

/* Held syncs of a few random rows, and single changes, as an owner does. */
static DWORD WINAPI syncer_main(void *p)
{
    syncer_arg *a = p;
    unsigned x = a->seed;
    for (int i = 0; i < 400; i++) {
        int32_t ids[5];
        const char *names[5] = { "a", "b", "c", "d", "e" };
        size_t n = 0;
        x = x * 1103515245u + 12345u;
        for (int32_t id = 0; id < 10 && n < 5; id++)
            if ((x >> (id + 8)) & 1)
                ids[n++] = id;
        md_memtable_hold(a->t);
        if (i % 4 == 3)
            set_row(a->t, (int32_t)(x % 10), names[x % 5]);
        else
            sync_rows(a->t, ids, names + (x % 2), NULL, n, 0);
        md_memtable_deliver(a->t);
    }
    return 0;
}

static void test_ordered_delivery(void)
{
    mirror_sink m;
    md_memtable *t = NULL;

    memset(&m, 0, sizeof m);
    IMAPITable *tbl = advised_view(&t, &m.base, &mirror_vtbl);
    syncer_arg a1 = { t, 1 }, a2 = { t, 77 };
    HANDLE th[2];
    th[0] = CreateThread(NULL, 0, syncer_main, &a1, 0, NULL);
    th[1] = CreateThread(NULL, 0, syncer_main, &a2, 0, NULL);
    WaitForMultipleObjects(2, th, TRUE, INFINITE);
    CloseHandle(th[0]);
    CloseHandle(th[1]);
    ok(m.overlaps == 0 && m.errors == 0, "delivery: %ld overlapping calls, %ld out of order\n",
       (long)m.overlaps, (long)m.errors);
    /* the mirror is the table */
    SRowSet *rows = NULL;
    size_t same = 0;
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 0, NULL);
    ok(tbl->lpVtbl->QueryRows(tbl, 100, 0, &rows) == S_OK && rows->cRows == m.n,
       "table %lu rows, mirror %zu\n", rows ? (unsigned long)rows->cRows : 0ul, m.n);
    for (ULONG i = 0; rows && i < rows->cRows; i++) {
        uint32_t key = 0;
        memcpy(&key, rows->aRow[i].lpProps[2].Value.bin.lpb, 4);
        for (size_t k = 0; k < m.n; k++)
            if (m.keys[k] == key && m.ids[k] == rows->aRow[i].lpProps[0].Value.l)
                same++;
    }
    ok(rows && same == rows->cRows, "mirror differs: %zu rows alike\n", same);
    free_rows(rows);
    printf("ordered delivery: %ld notifications from 2 threads\n", (long)sink_count(&m.base));
    tbl->lpVtbl->Release(tbl);
    md_memtable_free(t);
}

typedef struct writer_arg {
    md_memtable *t;
    int rounds;
} writer_arg;

static DWORD WINAPI writer_main(void *p)
{
    writer_arg *w = p;
    for (int i = 0; i < w->rounds; i++) {
        char name[24];
        snprintf(name, sizeof name, "w%05d", (i * 37) % 1000);
        set_row(w->t, i % 500, name);
        if (i % 3 == 0)
            delete_row(w->t, (i * 7) % 500);
    }
    return 0;
}

static void test_threads(void)
{
    md_memtable *t = NULL;
    IMAPITable *tbl = NULL;
    test_sink sink;
    ULONG conn = 0, n = 0;
    BOOKMARK bk = 0;
    int32_t ids[64];

    sink_init(&sink);
    md_memtable_new(&t, &alloc, cols3, 3, PR_ROWID);
    md_memtable_view(t, &tbl);
    SizedSSortOrderSet(1, by_name) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_ASCEND } } };
    tbl->lpVtbl->SortTable(tbl, (LPSSortOrderSet)&by_name, 0);
    tbl->lpVtbl->Advise(tbl, fnevTableModified, &sink.iface, &conn);
    writer_arg w = { t, 5000 };
    HANDLE th = CreateThread(NULL, 0, writer_main, &w, 0, NULL);
    int reads = 0;
    while (WaitForSingleObject(th, 0) == WAIT_TIMEOUT) {
        tbl->lpVtbl->SeekRowApprox(tbl, (ULONG)(reads % 10), 10);
        if (!bk)
            tbl->lpVtbl->CreateBookmark(tbl, &bk);
        read_ids(tbl, 20, 0, ids, 64);
        HRESULT hr = tbl->lpVtbl->SeekRow(tbl, bk, 1, NULL);
        ok(hr == S_OK || hr == MAPI_W_POSITION_CHANGED, "SeekRow(bk): %#lx\n", (unsigned long)hr);
        reads++;
    }
    CloseHandle(th);
    ok(tbl->lpVtbl->GetRowCount(tbl, 0, &n) == S_OK && n == md_memtable_count(t),
       "view %lu rows, table %zu\n", (unsigned long)n, md_memtable_count(t));
    ok(sink_count(&sink) > 0, "no notifications\n");
    /* The view is still sorted. */
    SRowSet *rows = NULL;
    tbl->lpVtbl->SeekRow(tbl, BOOKMARK_BEGINNING, 0, NULL);
    int sorted = 1;
    if (tbl->lpVtbl->QueryRows(tbl, 1000, 0, &rows) == S_OK) {
        for (ULONG i = 1; i < rows->cRows; i++)
            if (wcscmp(rows->aRow[i - 1].lpProps[1].Value.lpszW,
                       rows->aRow[i].lpProps[1].Value.lpszW) > 0)
                sorted = 0;
        ok(rows->cRows == n, "rows read %lu of %lu\n", (unsigned long)rows->cRows,
           (unsigned long)n);
    }
    free_rows(rows);
    ok(sorted, "view out of order after concurrent changes\n");
    printf("threads: %d reads while 5000 writes\n", reads);
    tbl->lpVtbl->Unadvise(tbl, conn);
    tbl->lpVtbl->Release(tbl);
    md_memtable_free(t);
}

int main(void)
{
    LONG live = md_live_objects();
    test_bad_args();
    test_methods();
    test_notifications();
    test_bookmarks();
    test_sort_restrict();
    test_threads();
    test_live_changes();
    test_reentrant_sink();
    test_ordered_delivery();
    ok(md_live_objects() == live, "live objects %ld, were %ld\n", (long)md_live_objects(),
       (long)live);
    ok(buffers_live == 0, "buffers left: %ld\n", (long)buffers_live);
    return test_done();
}
