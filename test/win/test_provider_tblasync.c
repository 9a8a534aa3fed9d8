/*
 * test_provider_tblasync.c: TBL_ASYNC on the store's tables (provider/table.c,
 * "Asynchronous operations" in its top comment), through mapidav32.dll
 * under Wine, on a folder of N_MSGS messages made by storage calls (as the
 * sync thread would) and sorted by a string of the property blob, the sort
 * storage pays for with a scan of the folder.
 *
 * What it checks: SortTable / Restrict / SetColumns with TBL_ASYNC return
 * at once; GetStatus says SORTING / RESTRICTING / SETTING_COLS while the
 * work waits or runs and COMPLETE after; WaitForCompletion with a short
 * timeout gives MAPI_E_TIMEOUT, then S_OK; QueryRows right after an async
 * sort gives the sorted rows; the advise sink hears TABLE_SORT_DONE,
 * TABLE_RESTRICT_DONE, TABLE_SETCOL_DONE, and TABLE_ERROR with the
 * failure (then TBLSTAT_SORT_ERROR and GetLastError's message); Abort
 * puts the previous order or restriction back (queued, and while the scan
 * runs); a hierarchy table sorts asynchronously too; two threads sorting,
 * aborting and reading one table always read one order's rows;
 * Logoff and DoFastShutdown during a running sort return within a second
 * (then TBL_ASYNC runs in the call, or calls fail as after any shutdown); every
 * object is released and the live-object counter is back at zero.
 *
 * To see an operation "while it waits" without a race, the test holds the
 * store's lock (the md_store of provider/store.h: the IMsgStore the DLL
 * gives is one, and its CRITICAL_SECTION works from any module of the
 * process): the operation's thread cannot begin, GetStatus and
 * WaitForCompletion take no store lock, so what they say is certain.
 *
 * usage: test_provider_tblasync PATH-TO-mapidav32.dll
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIFolder
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
#include "advise_sink.h"
#include "provider/shutdown.h"
#include "provider/store.h"
#include "storage/storage.h"
#include "big_folder.h"

#define N_MSGS 40000
/* The sort key: a string of the blob (not a hot column of storage). */
#define KEY PR_SENT_REPRESENTING_NAME_W

/* Message i's key: "Name %05d" of a permutation of i, so neither the
 * default order (by id) nor the subjects give the key's order. */
static int key_of(int i) { return (int)(((long long)i * 7919) % N_MSGS); }

static char store_path8[MAX_PATH * 3];

static double now_ms(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

static unsigned long hrx(HRESULT hr)
{
    return (unsigned long)hr;
}

/* ---- The advise sink: the table events and their hResult */

typedef struct ev_sink {
    ADVISE_SINK_BASE;
    CRITICAL_SECTION lock;
    HANDLE got;                 /* set on each OnNotify */
    int n;                      /* operation events kept */
    ULONG ev[64];               /* ulTableEvent of each (row events are skipped) */
    HRESULT hr[64];
} ev_sink;

static ULONG STDMETHODCALLTYPE sink_OnNotify(IMAPIAdviseSink *self, ULONG n, LPNOTIFICATION ns)
{
    ev_sink *s = (ev_sink *)self;
    EnterCriticalSection(&s->lock);
    for (ULONG i = 0; i < n; i++) {
        ULONG e = ns[i].info.tab.ulTableEvent;
        if (ns[i].ulEventType != fnevTableModified || e == TABLE_ROW_ADDED
            || e == TABLE_ROW_DELETED || e == TABLE_ROW_MODIFIED || e == TABLE_RELOAD)
            continue;
        ok(ns[i].info.tab.propIndex.ulPropTag == PR_NULL
           && ns[i].info.tab.row.cValues == 0, "event %lu: no row expected\n",
           (unsigned long)e);
        if (s->n < 64) {
            s->ev[s->n] = e;
            s->hr[s->n++] = ns[i].info.tab.hResult;
        }
    }
    LeaveCriticalSection(&s->lock);
    SetEvent(s->got);
    return 0;
}

/* s as a sink with one reference, its lock and event made. */
static void sink_init(ev_sink *s)
{
    memset(s, 0, sizeof *s);
    advise_sink_init(&s->base, sink_OnNotify);
    InitializeCriticalSection(&s->lock);
    s->got = CreateEventW(NULL, FALSE, FALSE, NULL);
}

static int sink_count(ev_sink *s)
{
    EnterCriticalSection(&s->lock);
    int n = s->n;
    LeaveCriticalSection(&s->lock);
    return n;
}

/* Waits (10 s at most) for the sink's event number `index` (from 0):
 * its type, or 0 when none came; *hr its hResult. */
static ULONG sink_event(ev_sink *s, int index, HRESULT *hr)
{
    for (int tries = 0; tries < 100 && sink_count(s) <= index; tries++)
        WaitForSingleObject(s->got, 100);
    EnterCriticalSection(&s->lock);
    ULONG e = s->n > index ? s->ev[index] : 0;
    if (hr)
        *hr = s->n > index ? s->hr[index] : S_OK;
    LeaveCriticalSection(&s->lock);
    return e;
}

/* ---- Filling the store by storage calls (logged off) */

/* Big's messages: the sort key. */
static void big_props(st_bag *b, int i)
{
    char name[32];
    snprintf(name, sizeof name, "Name %05d", key_of(i));
    st_bag_set_str(b, KEY, name);
}

static int fill_store(void)
{
    st_store *s = NULL;
    int code = st_store_open(&s, store_path8, NULL, 0);
    ok(code == 0, "st_store_open: %d %s\n", code, st_error_last());
    if (code)
        return 0;
    st_id big = big_folder_fill(s, N_MSGS, 500, big_props);
    st_store_close(s);
    return big != 0;
}

/* ---- Helpers on the table */

static IMAPIFolder *open_big(IMsgStore *store)
{
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    IMAPIFolder *root = NULL, *big = NULL;
    IMAPITable *h = NULL;
    if (store->lpVtbl->OpenEntry(store, 0, NULL, &IID_IMAPIFolder, 0, &type, &unk) != S_OK)
        return NULL;
    root = (IMAPIFolder *)unk;
    SPropValue name = { .ulPropTag = PR_DISPLAY_NAME_W };
    name.Value.lpszW = (LPWSTR)L"Big";
    SRestriction r = { .rt = RES_PROPERTY };
    r.res.resProperty.relop = RELOP_EQ;
    r.res.resProperty.ulPropTag = PR_DISPLAY_NAME_W;
    r.res.resProperty.lpProp = &name;
    SRowSet *rs = NULL;
    if (root->lpVtbl->GetHierarchyTable(root, MAPI_UNICODE, &h) == S_OK
        && h->lpVtbl->FindRow(h, &r, BOOKMARK_BEGINNING, 0) == S_OK
        && h->lpVtbl->QueryRows(h, 1, 0, &rs) == S_OK && rs->cRows == 1) {
        for (ULONG i = 0; i < rs->aRow[0].cValues; i++) {
            const SPropValue *v = &rs->aRow[0].lpProps[i];
            if (v->ulPropTag == PR_ENTRYID)
                store->lpVtbl->OpenEntry(store, v->Value.bin.cb, (LPENTRYID)v->Value.bin.lpb,
                    &IID_IMAPIFolder, 0, &type, (LPUNKNOWN *)&big);
        }
    }
    host_free_rows(rs);
    if (h)
        h->lpVtbl->Release(h);
    root->lpVtbl->Release(root);
    return big;
}

/* The key number ("Name %05d") of the first row from the beginning, or -1. */
static int first_key(IMAPITable *t)
{
    SRowSet *rs = NULL;
    int k = -1;
    if (t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL) != S_OK
        || t->lpVtbl->QueryRows(t, 1, TBL_NOADVANCE, &rs) != S_OK || !rs || rs->cRows != 1) {
        host_free_rows(rs);
        return -1;
    }
    for (ULONG i = 0; i < rs->aRow[0].cValues; i++)
        if (rs->aRow[0].lpProps[i].ulPropTag == KEY)
            swscanf(rs->aRow[0].lpProps[i].Value.lpszW, L"Name %d", &k);
    host_free_rows(rs);
    return k;
}

static HRESULT sort_key(IMAPITable *t, ULONG order, ULONG flags)
{
    SizedSSortOrderSet(1, so) = { 1, 0, 0, { { KEY, order } } };
    return t->lpVtbl->SortTable(t, (LPSSortOrderSet)&so, flags);
}

static ULONG status_of(IMAPITable *t)
{
    ULONG st = 0xdead, type = 0;
    HRESULT hr = t->lpVtbl->GetStatus(t, &st, &type);
    ok(hr == S_OK && type == TBLTYPE_DYNAMIC, "GetStatus: %#lx type %lu\n", hrx(hr),
       (unsigned long)type);
    return st;
}

typedef struct abort_args {
    IMAPITable *t;
    HRESULT hr;
} abort_args;

static DWORD WINAPI abort_thread(void *arg)
{
    abort_args *a = arg;
    a->hr = a->t->lpVtbl->Abort(a->t);
    return 0;
}

/* ---- The checks */

/* A sort held back by the store lock: SORTING, a timeout, then complete;
 * the rows come sorted and the sink hears TABLE_SORT_DONE. */
static void check_sort(md_store *ms, IMAPITable *t, ev_sink *sink)
{
    int base = sink_count(sink);
    EnterCriticalSection(&ms->lock);
    double t0 = now_ms();
    HRESULT hr = sort_key(t, TABLE_SORT_ASCEND, TBL_ASYNC | TBL_BATCH);
    double took = now_ms() - t0;
    ok(hr == S_OK, "SortTable(TBL_ASYNC): %#lx\n", hrx(hr));
    ok(took < 200.0, "SortTable(TBL_ASYNC) returned after %.0f ms\n", took);
    ok(status_of(t) == TBLSTAT_SORTING, "status while the sort waits: not SORTING\n");
    ULONG st = 0;
    t0 = now_ms();
    hr = t->lpVtbl->WaitForCompletion(t, 0, 100, &st);
    took = now_ms() - t0;
    ok(hr == MAPI_E_TIMEOUT && st == TBLSTAT_SORTING, "WaitForCompletion(100 ms): %#lx, %lu\n",
       hrx(hr), (unsigned long)st);
    ok(took >= 90.0 && took < 2000.0, "WaitForCompletion(100 ms) waited %.0f ms\n", took);
    LeaveCriticalSection(&ms->lock);
    hr = t->lpVtbl->WaitForCompletion(t, 0, 0xFFFFFFFF, &st);
    ok(hr == S_OK && st == TBLSTAT_COMPLETE, "WaitForCompletion(forever): %#lx, %lu\n", hrx(hr),
       (unsigned long)st);
    ok(status_of(t) == TBLSTAT_COMPLETE, "status after the sort: not COMPLETE\n");
    ok(first_key(t) == 0, "first row after the ascending sort: %d\n", first_key(t));
    ok(sink_event(sink, base, &hr) == TABLE_SORT_DONE && hr == S_OK,
       "TABLE_SORT_DONE not heard (%lu)\n", (unsigned long)sink_event(sink, base, NULL));
    ok(t->lpVtbl->WaitForCompletion(t, 1, 0, NULL) == MAPI_E_UNKNOWN_FLAGS,
       "WaitForCompletion with a bad flag\n");

    /* QueryRows right after: it waits for the sort and gives its rows. */
    t0 = now_ms();
    hr = sort_key(t, TABLE_SORT_DESCEND, TBL_ASYNC);
    double ret = now_ms() - t0;
    SRowSet *rs = NULL;
    hr = t->lpVtbl->QueryRows(t, 50, 0, &rs);
    double all = now_ms() - t0;
    ok(hr == S_OK && rs && rs->cRows == 50, "QueryRows during the sort: %#lx\n", hrx(hr));
    int sorted = rs && rs->cRows == 50;
    for (ULONG i = 0; sorted && i < rs->cRows; i++) {
        int k = -1;
        for (ULONG c = 0; c < rs->aRow[i].cValues; c++)
            if (rs->aRow[i].lpProps[c].ulPropTag == KEY)
                swscanf(rs->aRow[i].lpProps[c].Value.lpszW, L"Name %d", &k);
        sorted = k == N_MSGS - 1 - (int)i;
    }
    ok(sorted, "QueryRows during the sort: not the descending rows\n");
    host_free_rows(rs);
    printf("# BENCH async_sort_return_ms_%dk %.1f ms\n", N_MSGS / 1000, ret);
    printf("# BENCH async_sort_then_queryrows50_ms_%dk %.1f ms\n", N_MSGS / 1000, all);
    /* The same done synchronously, for comparison. */
    hr = sort_key(t, TABLE_SORT_ASCEND, 0);
    t0 = now_ms();
    hr = sort_key(t, TABLE_SORT_DESCEND, 0);
    rs = NULL;
    if (hr == S_OK)
        hr = t->lpVtbl->QueryRows(t, 50, 0, &rs);
    ok(hr == S_OK, "synchronous sort and QueryRows: %#lx\n", hrx(hr));
    host_free_rows(rs);
    printf("# BENCH sync_sort_then_queryrows50_ms_%dk %.1f ms\n", N_MSGS / 1000,
       now_ms() - t0);
    ok(sink_event(sink, base + 1, &hr) == TABLE_SORT_DONE, "second TABLE_SORT_DONE\n");
}

/* Abort of a queued sort (the store lock held: it cannot have begun),
 * then of running ones: the previous order is back. */
static void check_abort(md_store *ms, IMAPITable *t, ev_sink *sink)
{
    /* The table is sorted descending (check_sort). */
    ok(t->lpVtbl->Abort(t) == S_OK, "Abort with nothing under way\n");
    EnterCriticalSection(&ms->lock);
    HRESULT hr = sort_key(t, TABLE_SORT_ASCEND, TBL_ASYNC);
    ok(hr == S_OK, "SortTable(TBL_ASYNC): %#lx\n", hrx(hr));
    abort_args a = { t, E_FAIL };
    HANDLE th = CreateThread(NULL, 0, abort_thread, &a, 0, NULL);
    ok(WaitForSingleObject(th, 100) == WAIT_TIMEOUT, "Abort did not wait for the operation\n");
    LeaveCriticalSection(&ms->lock);
    WaitForSingleObject(th, INFINITE);
    CloseHandle(th);
    ok(a.hr == S_OK, "Abort of the queued sort: %#lx\n", hrx(a.hr));
    ok(status_of(t) == TBLSTAT_COMPLETE, "status after Abort: not COMPLETE\n");
    ok(first_key(t) == N_MSGS - 1, "order after Abort: first %d, want %d\n", first_key(t),
       N_MSGS - 1);
    LPSSortOrderSet so = NULL;
    hr = t->lpVtbl->QuerySortOrder(t, &so);
    ok(hr == S_OK && so && so->cSorts == 1 && so->aSort[0].ulOrder == TABLE_SORT_DESCEND,
       "QuerySortOrder after Abort: %#lx\n", hrx(hr));
    host_FreeBuffer(so);

    /* While the scan runs: Abort stops it (S_OK, the order back), or the
     * sort had finished (MAPI_E_UNABLE_TO_ABORT, or S_OK when it had ended
     * before Abort was called: nothing under way), with the new order;
     * never anything else. */
    int stopped = 0;
    for (int i = 0; i < 6; i++) {
        int asc = i % 2 == 0;   /* the order before is the other one */
        int before = first_key(t), after = asc ? 0 : N_MSGS - 1;
        sort_key(t, asc ? TABLE_SORT_ASCEND : TABLE_SORT_DESCEND, TBL_ASYNC);
        Sleep((DWORD)(i * 3));
        double t0 = now_ms();
        hr = t->lpVtbl->Abort(t);
        double took = now_ms() - t0;
        ok(took < 1000.0, "Abort took %.0f ms\n", took);
        int first = first_key(t);
        ok(hr == S_OK || hr == MAPI_E_UNABLE_TO_ABORT, "Abort: %#lx\n", hrx(hr));
        ok(first == before || first == after, "sort %d: first %d, before %d\n", i, first,
           before);
        ok(hr == S_OK || first == after, "sort %d: MAPI_E_UNABLE_TO_ABORT, old order\n", i);
        if (first == before) {
            stopped++;
            sort_key(t, asc ? TABLE_SORT_ASCEND : TABLE_SORT_DESCEND, 0);   /* for the next round */
        }
    }
    printf("# %d of 6 sorts stopped by Abort (the others had ended)\n", stopped);
    t->lpVtbl->WaitForCompletion(t, 0, 0xFFFFFFFF, NULL);
    (void)sink;
}

/* Restrict and SetColumns asynchronous; a sort that fails. */
static void check_restrict_setcols_error(md_store *ms, IMAPITable *t, ev_sink *sink)
{
    int base = sink_count(sink);
    SPropValue pat = { .ulPropTag = KEY };
    pat.Value.lpszW = (LPWSTR)L"Name 0001";
    SRestriction r = { .rt = RES_CONTENT };
    r.res.resContent.ulFuzzyLevel = FL_SUBSTRING;
    r.res.resContent.ulPropTag = KEY;
    r.res.resContent.lpProp = &pat;
    EnterCriticalSection(&ms->lock);
    HRESULT hr = t->lpVtbl->Restrict(t, &r, TBL_ASYNC);
    ok(hr == S_OK, "Restrict(TBL_ASYNC): %#lx\n", hrx(hr));
    ok(status_of(t) == TBLSTAT_RESTRICTING, "status while the restriction waits\n");
    LeaveCriticalSection(&ms->lock);
    ULONG n = 0;
    hr = t->lpVtbl->GetRowCount(t, 0, &n);
    ok(hr == S_OK && n == 10, "rows of the restriction: %#lx, %lu\n", hrx(hr),
       (unsigned long)n);
    ok(status_of(t) == TBLSTAT_COMPLETE, "status after the restriction\n");
    ok(sink_event(sink, base, &hr) == TABLE_RESTRICT_DONE && hr == S_OK,
       "TABLE_RESTRICT_DONE not heard\n");
    hr = t->lpVtbl->Restrict(t, NULL, TBL_ASYNC);
    ok(hr == S_OK, "Restrict(NULL, TBL_ASYNC): %#lx\n", hrx(hr));
    t->lpVtbl->GetRowCount(t, 0, &n);
    ok(n == N_MSGS, "rows without restriction: %lu\n", (unsigned long)n);
    ok(sink_event(sink, base + 1, NULL) == TABLE_RESTRICT_DONE, "second TABLE_RESTRICT_DONE\n");
    /* A restriction aborted while it waits: the table keeps all its rows. */
    EnterCriticalSection(&ms->lock);
    hr = t->lpVtbl->Restrict(t, &r, TBL_ASYNC);
    abort_args a = { t, E_FAIL };
    HANDLE th = CreateThread(NULL, 0, abort_thread, &a, 0, NULL);
    Sleep(50);
    LeaveCriticalSection(&ms->lock);
    WaitForSingleObject(th, INFINITE);
    CloseHandle(th);
    t->lpVtbl->GetRowCount(t, 0, &n);
    ok(hr == S_OK && a.hr == S_OK && n == N_MSGS, "aborted restriction: %#lx %#lx, %lu rows\n",
       hrx(hr), hrx(a.hr), (unsigned long)n);

    SizedSPropTagArray(3, cols) = { 3, { PR_INSTANCE_KEY, KEY, PR_SUBJECT_W } };
    EnterCriticalSection(&ms->lock);
    hr = t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, TBL_ASYNC);
    ok(hr == S_OK, "SetColumns(TBL_ASYNC): %#lx\n", hrx(hr));
    ok(status_of(t) == TBLSTAT_SETTING_COLS, "status while the columns wait\n");
    LeaveCriticalSection(&ms->lock);
    LPSPropTagArray got = NULL;
    hr = t->lpVtbl->QueryColumns(t, 0, &got);
    ok(hr == S_OK && got && got->cValues == 3 && got->aulPropTag[2] == PR_SUBJECT_W,
       "QueryColumns after SetColumns(TBL_ASYNC): %#lx\n", hrx(hr));
    host_FreeBuffer(got);
    ok(sink_event(sink, base + 2, NULL) == TABLE_SETCOL_DONE, "TABLE_SETCOL_DONE not heard\n");

    /* A sort storage refuses (no SQL for PR_ENTRYID): the call succeeds,
     * the failure comes as TBLSTAT_SORT_ERROR and TABLE_ERROR. */
    SizedSSortOrderSet(1, bad) = { 1, 0, 0, { { PR_ENTRYID, TABLE_SORT_ASCEND } } };
    hr = t->lpVtbl->SortTable(t, (LPSSortOrderSet)&bad, TBL_ASYNC);
    ok(hr == S_OK, "SortTable(PR_ENTRYID, TBL_ASYNC): %#lx\n", hrx(hr));
    ULONG st = 0;
    hr = t->lpVtbl->WaitForCompletion(t, 0, 10000, &st);
    ok(hr == S_OK && st == TBLSTAT_SORT_ERROR, "failed sort: %#lx, status %lu\n", hrx(hr),
       (unsigned long)st);
    HRESULT ev_hr = S_OK;
    ok(sink_event(sink, base + 3, &ev_hr) == TABLE_ERROR && ev_hr == MAPI_E_TOO_COMPLEX,
       "TABLE_ERROR: %lu, %#lx\n", (unsigned long)sink_event(sink, base + 3, NULL), hrx(ev_hr));
    LPMAPIERROR err = NULL;
    hr = t->lpVtbl->GetLastError(t, MAPI_E_TOO_COMPLEX, MAPI_UNICODE, &err);
    ok(hr == S_OK && err && err->lpszError && wcslen((WCHAR *)err->lpszError) > 0
       && wcscmp((WCHAR *)err->lpszError, L"no further information") != 0,
       "GetLastError after the failed sort: %#lx %ls\n", hrx(hr),
       err && err->lpszError ? (WCHAR *)err->lpszError : L"(none)");
    host_FreeBuffer(err);
    ok(first_key(t) == N_MSGS - 1 || first_key(t) == 0, "order after the failed sort\n");
    hr = sort_key(t, TABLE_SORT_DESCEND, 0);
    ok(hr == S_OK && status_of(t) == TBLSTAT_COMPLETE, "a sync sort clears the error\n");
}

/* Two threads sort (async), abort and read one table at once: every read
 * gives consecutive rows of one of the two orders, nothing hangs. */
typedef struct racer {
    IMAPITable *t;
    int seed;
    int bad;        /* reads that were not one order's consecutive rows */
    int failed;     /* calls that failed */
} racer;

static DWORD WINAPI racer_main(void *arg)
{
    racer *r = arg;
    for (int i = 0; i < 15; i++) {
        int pick = (r->seed + i * 7) % 3;
        if (sort_key(r->t, (r->seed + i) % 2 ? TABLE_SORT_ASCEND : TABLE_SORT_DESCEND,
                TBL_ASYNC) != S_OK)
            r->failed++;
        if (pick == 0) {   /* MAPI_E_UNABLE_TO_ABORT: it had finished */
            HRESULT hr = r->t->lpVtbl->Abort(r->t);
            r->failed += hr != S_OK && hr != MAPI_E_UNABLE_TO_ABORT;
        }
        SRowSet *rs = NULL;
        if (r->t->lpVtbl->QueryRows(r->t, 5, TBL_NOADVANCE, &rs) != S_OK || !rs) {
            r->failed++;
            continue;
        }
        int k[5], n = (int)rs->cRows;
        for (int j = 0; j < n && j < 5; j++) {
            k[j] = -1;
            for (ULONG c = 0; c < rs->aRow[j].cValues; c++)
                if (rs->aRow[j].lpProps[c].ulPropTag == KEY)
                    swscanf(rs->aRow[j].lpProps[c].Value.lpszW, L"Name %d", &k[j]);
        }
        int up = 1, down = 1;
        for (int j = 1; j < n && j < 5; j++) {
            up &= k[j] == k[j - 1] + 1;
            down &= k[j] == k[j - 1] - 1;
        }
        r->bad += n != 5 || k[0] < 0 || !(up || down);
        host_free_rows(rs);
    }
    return 0;
}

static void check_concurrent(IMAPITable *t)
{
    racer r[2] = { { t, 0, 0, 0 }, { t, 1, 0, 0 } };
    HANDLE th[2];
    for (int i = 0; i < 2; i++)
        th[i] = CreateThread(NULL, 0, racer_main, &r[i], 0, NULL);
    DWORD w = WaitForMultipleObjects(2, th, TRUE, 120000);
    ok(w == WAIT_OBJECT_0, "racing threads did not end: %lu\n", (unsigned long)w);
    for (int i = 0; i < 2; i++) {
        CloseHandle(th[i]);
        ok(r[i].bad == 0 && r[i].failed == 0, "racer %d: %d bad reads, %d failed calls\n", i,
           r[i].bad, r[i].failed);
    }
    ok(t->lpVtbl->WaitForCompletion(t, 0, 0xFFFFFFFF, NULL) == S_OK, "wait after the race\n");
}

/* A hierarchy table sorts asynchronously too. */
static void check_hierarchy(IMsgStore *store)
{
    ULONG type = 0;
    IMAPIFolder *root = NULL;
    IMAPITable *h = NULL;
    if (store->lpVtbl->OpenEntry(store, 0, NULL, &IID_IMAPIFolder, 0, &type,
            (LPUNKNOWN *)&root) != S_OK
        || root->lpVtbl->GetHierarchyTable(root, MAPI_UNICODE | CONVENIENT_DEPTH, &h) != S_OK) {
        ok(0, "no hierarchy table\n");
        if (root)
            root->lpVtbl->Release(root);
        return;
    }
    SizedSSortOrderSet(1, so) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND } } };
    HRESULT hr = h->lpVtbl->SortTable(h, (LPSSortOrderSet)&so, TBL_ASYNC | TBL_BATCH);
    ULONG st = 0;
    HRESULT w = h->lpVtbl->WaitForCompletion(h, 0, 10000, &st);
    ok(hr == S_OK && w == S_OK && st == TBLSTAT_COMPLETE, "hierarchy sort: %#lx %#lx %lu\n",
       hrx(hr), hrx(w), (unsigned long)st);
    SRowSet *rs = NULL;
    hr = h->lpVtbl->QueryRows(h, 2, 0, &rs);
    int desc = hr == S_OK && rs && rs->cRows == 2;
    const WCHAR *name[2] = { NULL, NULL };
    for (ULONG i = 0; desc && i < 2; i++)
        for (ULONG c = 0; c < rs->aRow[i].cValues; c++)
            if (rs->aRow[i].lpProps[c].ulPropTag == PR_DISPLAY_NAME_W)
                name[i] = rs->aRow[i].lpProps[c].Value.lpszW;
    ok(desc && name[0] && name[1] && _wcsicmp(name[0], name[1]) >= 0,
       "hierarchy rows not descending: %ls, %ls\n", name[0] ? name[0] : L"-",
       name[1] ? name[1] : L"-");
    host_free_rows(rs);
    ok(h->lpVtbl->Release(h) == 0, "hierarchy table still referenced\n");
    root->lpVtbl->Release(root);
}

/* IMSLogon::Logoff while a sort runs: back within a second (the sort is
 * stopped, not waited for), the table usable (as before the sort, or
 * sorted if it had ended); after it, TBL_ASYNC runs in the call (no
 * background work on a logged-off store). */
static void check_logoff(host_session *s, IMAPITable *t)
{
    sort_key(t, TABLE_SORT_ASCEND, 0);
    int before = first_key(t);
    sort_key(t, TABLE_SORT_DESCEND, TBL_ASYNC);
    ULONG flags = 0;
    double t0 = now_ms();
    HRESULT hr = s->logon->lpVtbl->Logoff(s->logon, &flags);
    double took = now_ms() - t0;
    ok(hr == S_OK, "Logoff: %#lx\n", hrx(hr));
    ok(took < 1000.0, "Logoff during a sort took %.0f ms\n", took);
    printf("# BENCH logoff_during_sort_ms %.1f ms\n", took);
    ULONG st = 0;
    hr = t->lpVtbl->WaitForCompletion(t, 0, 0, &st);
    ok(hr == S_OK && st == TBLSTAT_COMPLETE, "after Logoff: %#lx, %lu\n", hrx(hr),
       (unsigned long)st);
    int first = first_key(t);
    ok(first == before || first == N_MSGS - 1, "order after Logoff: %d\n", first);
    hr = sort_key(t, TABLE_SORT_ASCEND, TBL_ASYNC);
    ok(hr == S_OK && status_of(t) == TBLSTAT_COMPLETE && first_key(t) == 0,
       "TBL_ASYNC after Logoff: %#lx\n", hrx(hr));
}

/* DoFastShutdown while a sort scans: back within a second. */
static void check_shutdown(IMSProvider *prov, IMAPITable *t)
{
    IMAPIProviderShutdown *shut = NULL;
    HRESULT hr = prov->lpVtbl->QueryInterface(prov, &IID_IMAPIProviderShutdown, (void **)&shut);
    ok(hr == S_OK && shut, "IMAPIProviderShutdown: %#lx\n", hrx(hr));
    if (!shut)
        return;
    sort_key(t, TABLE_SORT_ASCEND, TBL_ASYNC);
    double t0 = now_ms();
    hr = shut->lpVtbl->DoFastShutdown(shut);
    double took = now_ms() - t0;
    ok(hr == S_OK, "DoFastShutdown: %#lx\n", hrx(hr));
    ok(took < 1000.0, "DoFastShutdown during a sort took %.0f ms\n", took);
    printf("# BENCH fast_shutdown_during_sort_ms %.1f ms\n", took);
    ULONG st = 0, type = 0;
    ok(t->lpVtbl->GetStatus(t, &st, &type) == MAPI_E_CALL_FAILED, "GetStatus after shutdown\n");
    shut->lpVtbl->Release(shut);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        test_fatal("usage: test_provider_tblasync PATH-TO-mapidav32.dll\n");
    host_support_setup();
    host_store_path(L"mapidav-tblasync");
    snprintf(store_path8, sizeof store_path8, "%s", host_store_path_utf8());

    HMODULE dll = NULL;
    LPMSPROVIDER prov = host_load_provider(argv[1], &dll);
    IMapidavDebug *debug = NULL;
    prov->lpVtbl->QueryInterface(prov, &IID_IMapidavDebug, (void **)&debug);
    host_session s;
    if (host_logon(prov, &s))   /* makes the store file */
        host_logoff(&s);
    double t0 = now_ms();
    int filled = fill_store();
    printf("# %d messages made in %.0f ms\n", N_MSGS, now_ms() - t0);
    IMAPIFolder *big = NULL;
    IMAPITable *t = NULL;
    ev_sink sink;
    sink_init(&sink);
    ULONG conn = 0;
    /* Session 1: the operations, then Logoff during a sort. */
    if (filled && host_logon(prov, &s) && (big = open_big(s.store)) != NULL
        && big->lpVtbl->GetContentsTable(big, MAPI_UNICODE, &t) == S_OK) {
        md_store *ms = (md_store *)s.store;   /* an IMsgStore * is an md_store * */
        SizedSPropTagArray(3, cols) = { 3, { PR_INSTANCE_KEY, KEY, PR_ENTRYID } };
        ok(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0) == S_OK, "SetColumns\n");
        ok(t->lpVtbl->Advise(t, fnevTableModified, &sink.iface, &conn) == S_OK, "Advise\n");
        ok(status_of(t) == TBLSTAT_COMPLETE, "a new table is complete\n");
        check_sort(ms, t, &sink);
        check_abort(ms, t, &sink);
        check_restrict_setcols_error(ms, t, &sink);
        check_hierarchy(s.store);
        check_concurrent(t);
        check_logoff(&s, t);
        ok(t->lpVtbl->Unadvise(t, conn) == S_OK, "Unadvise\n");
    } else {
        ok(0, "no contents table of Big\n");
    }
    if (t)
        ok(t->lpVtbl->Release(t) == 0, "table still referenced\n");
    ok(sink.refs == 1, "sink still referenced: %ld\n", (long)sink.refs);
    if (big)
        big->lpVtbl->Release(big);
    if (s.logon) {   /* logged off already */
        ok(s.logon->lpVtbl->Release(s.logon) == 0, "IMSLogon still referenced\n");
        ok(s.store->lpVtbl->Release(s.store) == 0, "IMsgStore still referenced\n");
    }
    /* Session 2: fast shutdown during a sort. */
    t = NULL;
    big = NULL;
    if (filled && host_logon(prov, &s) && (big = open_big(s.store)) != NULL
        && big->lpVtbl->GetContentsTable(big, MAPI_UNICODE, &t) == S_OK) {
        SizedSPropTagArray(2, cols) = { 2, { PR_INSTANCE_KEY, KEY } };
        ok(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0) == S_OK, "SetColumns\n");
        ok(sort_key(t, TABLE_SORT_DESCEND, 0) == S_OK && first_key(t) == N_MSGS - 1,
           "session 2: sorted\n");
        ok(t->lpVtbl->Advise(t, fnevTableModified, &sink.iface, &conn) == S_OK, "Advise\n");
        check_shutdown(prov, t);
        ok(t->lpVtbl->Unadvise(t, conn) == S_OK, "Unadvise after shutdown\n");
        ok(t->lpVtbl->Release(t) == 0, "table still referenced after shutdown\n");
        ok(sink.refs == 1, "sink still referenced: %ld\n", (long)sink.refs);
    } else {
        ok(0, "session 2: no contents table of Big\n");
        if (t)
            t->lpVtbl->Release(t);
    }
    if (big)
        big->lpVtbl->Release(big);
    if (s.logon) {   /* after fast shutdown: Logoff fails, the releases count */
        ULONG flags = 0;
        s.logon->lpVtbl->Logoff(s.logon, &flags);
        ok(s.logon->lpVtbl->Release(s.logon) == 0, "IMSLogon still referenced\n");
        ok(s.store->lpVtbl->Release(s.store) == 0, "IMsgStore still referenced\n");
    }
    CloseHandle(sink.got);
    DeleteCriticalSection(&sink.lock);
    host_unload_provider(prov, debug, dll);
    return test_done();
}
