/*
 * test_provider_threads.c: threads and shutdown of the store provider under
 * Wine, through mapidav32.dll with the stand-in MAPI of host_support.h
 * (issue 6 item 8; provider/shutdown.h, store.h "Threads").
 *
 * 1. The store's PR_DISPLAY_NAME is the profile section's PR_DISPLAY_NAME_W
 *    (what the service entry writes), "mapidav" when the section has none.
 * 2. Concurrency: READERS threads call QueryRows on contents tables,
 *    OpenEntry and GetProps on messages, while a writer creates and changes
 *    messages (SetProps, SaveChanges) on the same store: every call
 *    succeeds and reads what was written; the store passes st_store_check.
 *    The same reads by one thread alone first: wall and CPU time (the
 *    process's, GetProcessTimes) of both are printed as "# BENCH" lines.
 * 3. StoreLogoff stops the store's notifier and its tables' delivery
 *    threads at once. A sink of the outgoing queue that releases the
 *    queue's last view from inside its notification (the worker's own
 *    thread): Logoff (or else Shutdown, the last Release) joins that worker:
 *    no thread of ours is left when the DLL is freed.
 * 4. Fast shutdown (IMAPIProviderShutdown, by QueryInterface on the
 *    IMSProvider) while store notifications, a table sink and the outgoing
 *    queue are active and a writer thread saves messages: DoFastShutdown
 *    returns within a second with every background thread gone; nothing is
 *    notified afterwards; the store, the logon and the provider answer
 *    MAPI_E_CALL_FAILED, and so does every method (but the IUnknown ones)
 *    of a folder, message, attachment and stream opened before (tables
 *    still work or fail cleanly);
 *    after every release the live objects and MAPI buffers are back at
 *    zero and the file passes st_store_check.
 * Threads are counted with the Toolhelp snapshot of this process.
 *
 * usage: test_provider_threads PATH-TO-mapidav32.dll
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
#define USES_IID_IMessage
#define USES_IID_IAttachment
#define USES_IID_IMAPITable
#define USES_IID_IMAPIAdviseSink
#include <windows.h>
#include <initguid.h>
#include <mapiguid.h>
#include <mapispi.h>
#include <mapicode.h>
#include <mapitags.h>
#include <tlhelp32.h>

#include "testutil.h"
#include "host_alloc.h"
#include "dll_path.h"
#include "host_support.h"
#include "host_session.h"
#include "host_props.h"
#include "advise_sink.h"
#include "provider/object.h"
#include "provider/shutdown.h"
#include "storage/storage.h"

#define hrx(hr) ((unsigned long)(hr))
#define WAIT_MS 10000
#define READERS 4
#define SEED_MESSAGES 200
#define READ_ROUNDS 60       /* per reader: a QueryRows of 50 + 5 OpenEntry/GetProps */

/* ---- The profile section with a display name: host_support.h's, plus
 * PR_DISPLAY_NAME_W when profile_name is set. */
static const WCHAR *profile_name;

static HRESULT STDMETHODCALLTYPE ps_GetProps_named(IProfSect *self, LPSPropTagArray tags,
    ULONG flags, ULONG *count, LPSPropValue *out)
{
    HRESULT hr = ps_GetProps(self, tags, flags, count, out);
    if (FAILED(hr) || !profile_name)
        return hr;
    int missing = 0;
    for (ULONG i = 0; i < *count; i++) {
        SPropValue *v = &(*out)[i];
        if (tags->aulPropTag[i] == PR_DISPLAY_NAME_W) {
            size_t len = (wcslen(profile_name) + 1) * sizeof(WCHAR);
            v->ulPropTag = PR_DISPLAY_NAME_W;
            host_AllocateMore((ULONG)len, *out, (void **)&v->Value.lpszW);
            memcpy(v->Value.lpszW, profile_name, len);
        }
        missing |= PROP_TYPE(v->ulPropTag) == PT_ERROR;
    }
    return missing ? MAPI_W_ERRORS_RETURNED : S_OK;
}

/* ---- helpers */

/* Threads of this process now. */
static int thread_count(void)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te = { .dwSize = sizeof te };
    DWORD pid = GetCurrentProcessId();
    int n = 0;
    if (snap == INVALID_HANDLE_VALUE)
        return -1;
    for (BOOL more = Thread32First(snap, &te); more; more = Thread32Next(snap, &te))
        n += te.th32OwnerProcessID == pid;
    CloseHandle(snap);
    return n;
}

/* Waits up to ms for the thread count to fall to at most n. */
static int threads_down_to(int n, DWORD ms)
{
    DWORD start = GetTickCount();
    int now;
    while ((now = thread_count()) > n && GetTickCount() - start < ms)
        Sleep(10);
    return now;
}

static double cpu_ms(void)
{
    FILETIME c, e, k, u;
    GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u);
    ULARGE_INTEGER kk = { .LowPart = k.dwLowDateTime, .HighPart = k.dwHighDateTime };
    ULARGE_INTEGER uu = { .LowPart = u.dwLowDateTime, .HighPart = u.dwHighDateTime };
    return (double)(kk.QuadPart + uu.QuadPart) / 10000.0;
}

static double now_ms(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1000.0 / (double)f.QuadPart;
}

/* The file passes storage's own check (a handle of this program's). */
static void check_store_file(const char *when)
{
    st_store *st = NULL;
    char *report = NULL;
    int code = st_store_open(&st, host_store_path_utf8(), NULL, 0);
    ok(code == 0, "%s: st_store_open: %s\n", when, st_error_last());
    if (code)
        return;
    code = st_store_check(st, &report);
    ok(code == 0, "%s: st_store_check: %s\n", when, report ? report : st_error_last());
    free(report);
    st_store_close(st);
}

static IMAPIFolder *open_folder(IMsgStore *store, ULONG tag)
{
    LPSPropValue v = host_get_one(store, tag);
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = v ? store->lpVtbl->OpenEntry(store, v->Value.bin.cb,
        (LPENTRYID)v->Value.bin.lpb, NULL, MAPI_MODIFY, &type, &unk) : MAPI_E_NOT_FOUND;
    ok(hr == S_OK && type == MAPI_FOLDER, "OpenEntry(folder %#lx): %#lx\n",
       (unsigned long)tag, hrx(hr));
    host_FreeBuffer(v);
    return (IMAPIFolder *)unk;
}

static IMAPIFolder *open_inbox(IMsgStore *store)
{
    ULONG cb = 0, type = 0;
    LPENTRYID e = NULL;
    LPUNKNOWN unk = NULL;
    store->lpVtbl->GetReceiveFolder(store, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cb, &e, NULL);
    HRESULT hr = store->lpVtbl->OpenEntry(store, cb, e, NULL, MAPI_MODIFY, &type, &unk);
    ok(hr == S_OK && unk, "open the Inbox: %#lx\n", hrx(hr));
    host_FreeBuffer(e);
    return (IMAPIFolder *)unk;
}

/* A saved message with subject subj in f: S_OK or the failing call's. */
static HRESULT save_new(IMAPIFolder *f, const WCHAR *subj)
{
    IMessage *m = NULL;
    HRESULT hr = f->lpVtbl->CreateMessage(f, NULL, 0, &m);
    if (hr != S_OK)
        return hr;
    SPropValue v[2];
    v[0].ulPropTag = PR_MESSAGE_CLASS_W;
    v[0].Value.lpszW = (WCHAR *)L"IPM.Note";
    v[1].ulPropTag = PR_SUBJECT_W;
    v[1].Value.lpszW = (WCHAR *)subj;
    hr = m->lpVtbl->SetProps(m, 2, v, NULL);
    if (hr == S_OK)
        hr = m->lpVtbl->SaveChanges(m, 0);
    m->lpVtbl->Release(m);
    return hr;
}

/* ---- Part 1: the display name */

static void check_display_name(IMSProvider *prov, const WCHAR *want)
{
    host_session s;
    if (!host_logon(prov, &s))
        return;
    LPSPropValue v = host_get_one(s.store, PR_DISPLAY_NAME_W);
    ok(v && wcscmp(v->Value.lpszW, want) == 0, "PR_DISPLAY_NAME_W %ls, expected %ls\n",
       v ? v->Value.lpszW : L"(none)", want);
    host_FreeBuffer(v);
    /* 8-bit too, for clients asking without MAPI_UNICODE */
    SizedSPropTagArray(1, t) = { 1, { PR_DISPLAY_NAME_A } };
    ULONG n = 0;
    v = NULL;
    HRESULT hr = s.store->lpVtbl->GetProps(s.store, (LPSPropTagArray)&t, 0, &n, &v);
    ok(hr == S_OK && n == 1 && v && v->ulPropTag == PR_DISPLAY_NAME_A,
       "PR_DISPLAY_NAME_A: %#lx\n", hrx(hr));
    host_FreeBuffer(v);
    host_logoff(&s);
}

static void part_display_name(IMSProvider *prov)
{
    profile_name = NULL;
    check_display_name(prov, L"mapidav");
    profile_name = L"Bo\x00eete de Zo\x00e9 \x2014 travail";
    check_display_name(prov, profile_name);
    profile_name = L"";   /* empty: as none */
    check_display_name(prov, L"mapidav");
    profile_name = NULL;
}

/* ---- Part 2: concurrent calls */

typedef struct worker {
    IMsgStore *store;
    IMAPIFolder *folder;
    ULONG n_eids;
    SBinary *eids;           /* messages to open (shared, read-only) */
    int rounds;
    int index;
    volatile LONG *stop;     /* writer: until set */
    LONG errors;
    LONG ops;
    char first_error[160];
} worker;

static void worker_fail(worker *w, const char *what, HRESULT hr)
{
    if (InterlockedIncrement(&w->errors) == 1)
        snprintf(w->first_error, sizeof w->first_error, "%s: %#lx", what, hrx(hr));
}

static DWORD WINAPI reader_main(void *arg)
{
    worker *w = arg;
    IMAPITable *t = NULL;
    HRESULT hr = w->folder->lpVtbl->GetContentsTable(w->folder, MAPI_UNICODE, &t);
    if (hr != S_OK) {
        worker_fail(w, "GetContentsTable", hr);
        return 0;
    }
    SizedSPropTagArray(3, cols) = { 3, { PR_ENTRYID, PR_SUBJECT_W, PR_MESSAGE_SIZE } };
    hr = t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0);
    if (hr != S_OK)
        worker_fail(w, "SetColumns", hr);
    unsigned seed = (unsigned)w->index * 7919u + 1;
    for (int r = 0; r < w->rounds; r++) {
        SRowSet *rows = NULL;
        t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, (LONG)(seed % 100), NULL);
        hr = t->lpVtbl->QueryRows(t, 50, 0, &rows);
        if (hr != S_OK || !rows || !rows->cRows)
            worker_fail(w, "QueryRows", hr);
        for (ULONG i = 0; rows && i < rows->cRows; i++) {
            SPropValue *p = rows->aRow[i].lpProps;
            if (rows->aRow[i].cValues != 3 || p[1].ulPropTag != PR_SUBJECT_W
                || wcsncmp(p[1].Value.lpszW, L"msg ", 4) != 0) {
                worker_fail(w, "QueryRows: a row without its subject", 0);
                break;
            }
        }
        host_free_rows(rows);
        InterlockedIncrement(&w->ops);
        for (int k = 0; k < 5; k++) {
            seed = seed * 1103515245u + 12345u;
            const SBinary *e = &w->eids[(seed >> 8) % w->n_eids];
            ULONG type = 0;
            IMessage *m = NULL;
            hr = w->store->lpVtbl->OpenEntry(w->store, e->cb, (LPENTRYID)e->lpb, NULL, 0,
                &type, (LPUNKNOWN *)&m);
            if (hr != S_OK || type != MAPI_MESSAGE) {
                worker_fail(w, "OpenEntry", hr);
                continue;
            }
            LPSPropValue v = host_get_one(m, PR_SUBJECT_W);
            if (!v || wcsncmp(v->Value.lpszW, L"msg ", 4) != 0)
                worker_fail(w, "GetProps(PR_SUBJECT_W)", 0);
            host_FreeBuffer(v);
            m->lpVtbl->Release(m);
            InterlockedIncrement(&w->ops);
        }
    }
    t->lpVtbl->Release(t);
    return 0;
}

/* Creates messages and changes existing ones until *stop. */
static DWORD WINAPI writer_main(void *arg)
{
    worker *w = arg;
    WCHAR subj[64];
    unsigned seed = 4242;
    for (int i = 0; !InterlockedCompareExchange(w->stop, 0, 0); i++) {
        swprintf(subj, 64, L"msg w%d", i);
        HRESULT hr = save_new(w->folder, subj);
        if (hr != S_OK)
            worker_fail(w, "writer: new message", hr);
        InterlockedIncrement(&w->ops);
        seed = seed * 1103515245u + 12345u;
        const SBinary *e = &w->eids[(seed >> 8) % w->n_eids];
        ULONG type = 0;
        IMessage *m = NULL;
        hr = w->store->lpVtbl->OpenEntry(w->store, e->cb, (LPENTRYID)e->lpb, NULL,
            MAPI_MODIFY, &type, (LPUNKNOWN *)&m);
        if (hr != S_OK) {
            worker_fail(w, "writer: OpenEntry(MAPI_MODIFY)", hr);
            continue;
        }
        SPropValue v = { .ulPropTag = PR_SUBJECT_W };
        swprintf(subj, 64, L"msg changed %d", i);
        v.Value.lpszW = subj;
        hr = m->lpVtbl->SetProps(m, 1, &v, NULL);
        if (hr == S_OK)
            hr = m->lpVtbl->SaveChanges(m, 0);
        if (hr != S_OK)
            worker_fail(w, "writer: SaveChanges", hr);
        m->lpVtbl->Release(m);
        InterlockedIncrement(&w->ops);
    }
    return 0;
}

/* The entry IDs of every message of f (host buffers in *rows). */
static ULONG message_eids(IMAPIFolder *f, SBinary **out, SRowSet **rows)
{
    IMAPITable *t = NULL;
    *out = NULL;
    *rows = NULL;
    if (f->lpVtbl->GetContentsTable(f, 0, &t) != S_OK)
        return 0;
    SizedSPropTagArray(1, cols) = { 1, { PR_ENTRYID } };
    t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0);
    t->lpVtbl->QueryRows(t, 100000, 0, rows);
    t->lpVtbl->Release(t);
    if (!*rows)
        return 0;
    *out = calloc((*rows)->cRows ? (*rows)->cRows : 1, sizeof **out);
    for (ULONG i = 0; i < (*rows)->cRows; i++)
        (*out)[i] = (*rows)->aRow[i].lpProps[0].Value.bin;
    return (*rows)->cRows;
}

/* n readers (and a writer when with_writer) over store/f: the time taken. */
static void run_readers(IMsgStore *store, IMAPIFolder *f, SBinary *eids, ULONG n_eids, int n,
    int with_writer, const char *name)
{
    worker w[READERS + 1];
    HANDLE th[READERS + 1];
    volatile LONG stop = 0;
    memset(w, 0, sizeof w);
    double cpu0 = cpu_ms(), t0 = now_ms();
    for (int i = 0; i < n + with_writer; i++) {
        w[i] = (worker){ store, f, n_eids, eids, READ_ROUNDS, i, &stop, 0, 0, "" };
        th[i] = CreateThread(NULL, 0, i < n ? reader_main : writer_main, &w[i], 0, NULL);
    }
    WaitForMultipleObjects((DWORD)n, th, TRUE, INFINITE);
    double t1 = now_ms(), cpu1 = cpu_ms();
    InterlockedExchange(&stop, 1);
    if (with_writer)
        WaitForSingleObject(th[n], INFINITE);
    LONG reads = 0;
    for (int i = 0; i < n + with_writer; i++) {
        CloseHandle(th[i]);
        ok(w[i].errors == 0, "%s: thread %d: %ld errors, first %s\n", name, i,
           (long)w[i].errors, w[i].first_error);
        if (i < n)
            reads += w[i].ops;
    }
    ok(reads == n * READ_ROUNDS * 6, "%s: %ld reads done\n", name, (long)reads);
    printf("# BENCH threads_%s_wall_ms %.0f ms (%ld reads, %.2f ms each)\n", name, t1 - t0,
           (long)reads, (t1 - t0) / (reads ? reads : 1));
    printf("# BENCH threads_%s_cpu_ms %.0f ms\n", name, cpu1 - cpu0);
    if (with_writer)
        printf("# BENCH threads_%s_writes %ld\n", name, (long)w[n].ops);
}

static void part_concurrency(IMSProvider *prov)
{
    host_session s;
    if (!host_logon(prov, &s))
        return;
    IMAPIFolder *inbox = open_inbox(s.store);
    if (!inbox) {
        host_logoff(&s);
        return;
    }
    BYTE inbox_eid[64];
    ok(host_eid_of(inbox, inbox_eid) == 48, "the Inbox's PR_ENTRYID\n");
    WCHAR subj[32];
    for (int i = 0; i < SEED_MESSAGES; i++) {
        swprintf(subj, 32, L"msg %d", i);
        ok(save_new(inbox, subj) == S_OK, "seed message %d\n", i);
    }
    SBinary *eids = NULL;
    SRowSet *rows = NULL;
    ULONG n = message_eids(inbox, &eids, &rows);
    ok(n == SEED_MESSAGES, "%lu messages\n", (unsigned long)n);
    if (n) {
        run_readers(s.store, inbox, eids, n, 1, 0, "1reader");
        run_readers(s.store, inbox, eids, n, READERS, 0, "4readers");
        run_readers(s.store, inbox, eids, n, READERS, 1, "4readers_1writer");
    }
    free(eids);
    host_free_rows(rows);
    inbox->lpVtbl->Release(inbox);
    host_logoff(&s);
    check_store_file("after the concurrent calls");
}

/* ---- Sinks */

/* A sink that counts what it is told (any event). */
typedef struct count_sink {
    ADVISE_SINK_BASE;
    volatile LONG n;
} count_sink;

static ULONG STDMETHODCALLTYPE cs_OnNotify(IMAPIAdviseSink *self, ULONG n, LPNOTIFICATION nt)
{
    (void)nt;
    InterlockedExchangeAdd(&((count_sink *)self)->n, (LONG)n);
    return 0;
}

static void sink_init(count_sink *k)
{
    memset(k, 0, sizeof *k);
    advise_sink_init(&k->base, cs_OnNotify);
}

static LONG sink_count(count_sink *k)
{
    return InterlockedCompareExchange(&k->n, 0, 0);
}

/* Waits up to ms for more than `before` notifications. */
static int sink_wait(count_sink *k, LONG before, DWORD ms)
{
    DWORD start = GetTickCount();
    while (sink_count(k) <= before && GetTickCount() - start < ms)
        Sleep(10);
    return sink_count(k) > before;
}

/* ---- Part 3: a sink releasing the outgoing queue's last view from its
 * notification, on the worker; then the DLL goes at once. */

typedef struct release_sink {
    ADVISE_SINK_BASE;
    IMAPITable *table;       /* released by OnNotify */
    HANDLE done;
} release_sink;

static ULONG STDMETHODCALLTYPE rs_OnNotify(IMAPIAdviseSink *self, ULONG n, LPNOTIFICATION nt)
{
    release_sink *k = (release_sink *)self;
    (void)n; (void)nt;
    IMAPITable *t = InterlockedExchangePointer((void **)&k->table, NULL);
    if (t) {
        t->lpVtbl->Release(t);   /* the last view: the worker is told to end, from itself */
        SetEvent(k->done);
        Sleep(300);   /* the worker lingers: Shutdown must wait for it, not leave it */
    }
    return 0;
}

static LPMDB spooler_logon(IMSProvider *prov, LPMSLOGON *lo)
{
    LPMDB mdb = NULL;
    HRESULT hr = prov->lpVtbl->SpoolerLogon(prov, &support, 0, NULL, 0, NULL, 0, NULL, 0, NULL,
        NULL, lo, &mdb);
    ok(hr == S_OK && mdb && *lo, "SpoolerLogon: %#lx\n", hrx(hr));
    return mdb;
}

static void logoff_release(LPMSLOGON lo, LPMDB mdb)
{
    ULONG flags = 0;
    if (lo) {
        ok(lo->lpVtbl->Logoff(lo, &flags) == S_OK, "Logoff\n");
        ok(lo->lpVtbl->Release(lo) == 0, "IMSLogon still referenced\n");
    }
    if (mdb)
        ok(mdb->lpVtbl->Release(mdb) == 0, "IMsgStore still referenced\n");
}

/* Submits a new message of the Outbox of store. */
static void submit_one(IMsgStore *store, const WCHAR *subj)
{
    IMAPIFolder *outbox = open_folder(store, PR_IPM_OUTBOX_ENTRYID);
    IMessage *m = NULL;
    HRESULT hr = outbox ? outbox->lpVtbl->CreateMessage(outbox, NULL, 0, &m) : E_FAIL;
    if (hr == S_OK) {
        SPropValue p[2];
        p[0].ulPropTag = PR_SUBJECT_W;
        p[0].Value.lpszW = (WCHAR *)subj;
        p[1].ulPropTag = PR_MESSAGE_CLASS_W;
        p[1].Value.lpszW = (WCHAR *)L"IPM.Note";
        m->lpVtbl->SetProps(m, 2, p, NULL);
        /* SubmitMessage wants a recipient (MAPI_E_NO_RECIPIENTS). */
        host_add_recipient(m, MODRECIP_ADD, L"Bob", L"bob@example.org");
        hr = m->lpVtbl->SubmitMessage(m, 0);
        m->lpVtbl->Release(m);
    }
    ok(hr == S_OK, "SubmitMessage: %#lx\n", hrx(hr));
    if (outbox)
        outbox->lpVtbl->Release(outbox);
}

/* A fresh load of the DLL with a client's logon and the spooler's. */
typedef struct loaded {
    HMODULE dll;
    IMSProvider *prov;
    IMapidavDebug *debug;
    host_session us;         /* the client's */
    LPMSLOGON lo;            /* the spooler's */
    LPMDB spool;
} loaded;

static void load_both(loaded *l, const char *dll_path)
{
    memset(l, 0, sizeof *l);
    l->prov = host_load_provider(dll_path, &l->dll);
    l->prov->lpVtbl->QueryInterface(l->prov, &IID_IMapidavDebug, (void **)&l->debug);
    if (!host_logon(l->prov, &l->us))
        test_fatal("no logon\n");
    l->spool = spooler_logon(l->prov, &l->lo);
    if (!l->spool)
        test_fatal("no spooler store\n");
}

/* Logoffs, Shutdown, the last Release: no object and no thread of ours
 * left (at most baseline threads in the process), then FreeLibrary. */
static void unload_both(loaded *l, int baseline)
{
    host_logoff(&l->us);
    logoff_release(l->lo, l->spool);
    ULONG flags = 0;
    l->prov->lpVtbl->Shutdown(l->prov, &flags);
    ok(l->prov->lpVtbl->Release(l->prov) == 0, "IMSProvider still referenced\n");
    int now = thread_count();
    ok(now <= baseline, "threads after the last Release: %d, before logon %d\n", now,
       baseline);
    if (l->debug)
        ok(l->debug->lpVtbl->LiveObjects(l->debug) == 0, "live objects: %ld\n",
           (long)l->debug->lpVtbl->LiveObjects(l->debug));
    ok(FreeLibrary(l->dll), "FreeLibrary failed: error %lu\n", GetLastError());
}

/* StoreLogoff stops what belongs to the store: its notifier and the
 * delivery thread of a table advised on it (2 threads), at once. */
static void check_logoff_stops(IMsgStore *store)
{
    IMAPIFolder *inbox = open_inbox(store);
    IMAPITable *t = NULL;
    count_sink k;
    ULONG conn = 0, flags = 0;
    sink_init(&k);
    if (!inbox || inbox->lpVtbl->GetContentsTable(inbox, 0, &t) != S_OK) {
        ok(0, "no contents table\n");
        return;
    }
    ok(t->lpVtbl->Advise(t, fnevTableModified, &k.iface, &conn) == S_OK, "table Advise\n");
    ok(save_new(inbox, L"msg before logoff") == S_OK, "a message\n");
    ok(sink_wait(&k, 0, WAIT_MS), "the table's sink was not told\n");
    int before = thread_count();
    double t0 = now_ms();
    ok(store->lpVtbl->StoreLogoff(store, &flags) == S_OK, "StoreLogoff\n");
    double took = now_ms() - t0;
    int after = thread_count();
    ok(after <= before - 2, "threads: %d before StoreLogoff, %d after\n", before, after);
    ok(took < 1000.0, "StoreLogoff took %.0f ms\n", took);
    t->lpVtbl->Release(t);
    inbox->lpVtbl->Release(inbox);
    ok(k.refs == 1, "table sink references left: %ld\n", (long)k.refs - 1);
}

static void part_release_from_sink(const char *dll_path, int baseline)
{
    loaded l;
    load_both(&l, dll_path);
    LPMDB spool = l.spool;
    check_logoff_stops(l.us.store);
    release_sink k;
    memset(&k, 0, sizeof k);
    advise_sink_init(&k.base, rs_OnNotify);
    k.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    IMAPITable *q = NULL;
    ULONG conn = 0;
    HRESULT hr = spool ? spool->lpVtbl->GetOutgoingQueue(spool, 0, &q) : E_FAIL;
    ok(hr == S_OK && q, "GetOutgoingQueue: %#lx\n", hrx(hr));
    if (q) {
        hr = q->lpVtbl->Advise(q, fnevTableModified, &k.iface, &conn);
        ok(hr == S_OK, "queue Advise: %#lx\n", hrx(hr));
        k.table = q;
        submit_one(l.us.store, L"released from the sink");
        ok(WaitForSingleObject(k.done, WAIT_MS) == WAIT_OBJECT_0,
           "the sink was not told (queue not released)\n");
    }
    /* At once: logoff, Shutdown, the last Release, FreeLibrary. */
    unload_both(&l, baseline);
    ok(k.refs == 1, "sink references left: %ld\n", (long)k.refs - 1);
    CloseHandle(k.done);
}

/* ---- Part 4: fast shutdown with everything running */

static volatile LONG writer_stop;
static volatile LONG writer_saves, writer_fails;
static LONG writer_bad;   /* a failure that was not a clean MAPI error */

static DWORD WINAPI busy_writer(void *arg)
{
    IMAPIFolder *f = arg;
    for (int i = 0; !InterlockedCompareExchange(&writer_stop, 0, 0); i++) {
        WCHAR subj[48];
        swprintf(subj, 48, L"msg busy %d", i);
        HRESULT hr = save_new(f, subj);
        if (hr == S_OK)
            InterlockedIncrement(&writer_saves);
        else if (HRESULT_FACILITY(hr) == FACILITY_ITF || hr == E_FAIL)
            InterlockedIncrement(&writer_fails);
        else
            InterlockedIncrement(&writer_bad);
    }
    return 0;
}

/* Every method of objects opened before fast shutdown: MAPI_E_CALL_FAILED
 * (shutdown.h, MD_SHUT_GATE), a sample of each interface's. */
static void check_gated(IMAPIFolder *f, IMessage *m, IAttach *a, IStream *st)
{
    ULONG n = 0, got = 0, num = 0;
    LPSPropValue v = NULL;
    LPSPropTagArray list = NULL;
    IMAPITable *t = NULL;
    IMessage *m2 = NULL;
    IAttach *a2 = NULL;
    IUnknown *unk = NULL;
    LPMAPIERROR err = NULL;
    SPropValue subj = { .ulPropTag = PR_SUBJECT_W, .Value.lpszW = (WCHAR *)L"after" };
    SizedSPropTagArray(1, del) = { 1, { PR_SUBJECT_W } };
    char buf[8];
    STATSTG stat;
    HRESULT hr;

#define GATED(call, what) do { \
        hr = (call); \
        ok(hr == MAPI_E_CALL_FAILED, "%s after DoFastShutdown: %#lx\n", what, hrx(hr)); \
    } while (0)
    GATED(f->lpVtbl->GetProps(f, NULL, MAPI_UNICODE, &n, &v), "folder GetProps");
    GATED(f->lpVtbl->GetPropList(f, 0, &list), "folder GetPropList");
    GATED(f->lpVtbl->SetProps(f, 1, &subj, NULL), "folder SetProps");
    GATED(f->lpVtbl->DeleteProps(f, (LPSPropTagArray)&del, NULL), "folder DeleteProps");
    GATED(f->lpVtbl->GetLastError(f, MAPI_E_NOT_FOUND, 0, &err), "folder GetLastError");
    GATED(f->lpVtbl->GetContentsTable(f, 0, &t), "folder GetContentsTable");
    GATED(f->lpVtbl->GetHierarchyTable(f, 0, &t), "folder GetHierarchyTable");
    GATED(f->lpVtbl->CreateMessage(f, NULL, 0, &m2), "folder CreateMessage");
    GATED(f->lpVtbl->EmptyFolder(f, 0, NULL, 0), "folder EmptyFolder");
    GATED(f->lpVtbl->SaveContentsSort(f, NULL, 0), "folder SaveContentsSort");
    GATED(m->lpVtbl->GetProps(m, NULL, MAPI_UNICODE, &n, &v), "message GetProps");
    GATED(m->lpVtbl->SetProps(m, 1, &subj, NULL), "message SetProps");
    GATED(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE), "message SaveChanges");
    GATED(m->lpVtbl->GetAttachmentTable(m, 0, &t), "message GetAttachmentTable");
    GATED(m->lpVtbl->GetRecipientTable(m, 0, &t), "message GetRecipientTable");
    GATED(m->lpVtbl->CreateAttach(m, NULL, 0, &num, &a2), "message CreateAttach");
    GATED(m->lpVtbl->OpenAttach(m, 0, NULL, 0, &a2), "message OpenAttach");
    GATED(m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, 0, 0, &unk),
        "message OpenProperty");
    GATED(m->lpVtbl->SetReadFlag(m, 0), "message SetReadFlag");
    GATED(m->lpVtbl->SubmitMessage(m, 0), "message SubmitMessage");
    GATED(a->lpVtbl->GetProps(a, NULL, MAPI_UNICODE, &n, &v), "attachment GetProps");
    GATED(a->lpVtbl->SetProps(a, 1, &subj, NULL), "attachment SetProps");
    GATED(a->lpVtbl->SaveChanges(a, 0), "attachment SaveChanges");
    GATED(a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, &unk),
        "attachment OpenProperty");
    GATED(st->lpVtbl->Read(st, buf, sizeof buf, &got), "stream Read");
    GATED(st->lpVtbl->Write(st, "x", 1, &got), "stream Write");
    GATED(st->lpVtbl->Stat(st, &stat, STATFLAG_NONAME), "stream Stat");
    GATED(st->lpVtbl->Commit(st, 0), "stream Commit");
#undef GATED
    ok(!v && !list && !t && !m2 && !a2 && !unk && !err, "an object given after DoFastShutdown\n");
}

static void part_fast_shutdown(const char *dll_path, int baseline)
{
    loaded l;
    load_both(&l, dll_path);
    IMSProvider *prov = l.prov;
    host_session us = l.us;
    LPMDB spool = l.spool;
    IMAPIFolder *inbox = open_inbox(us.store);
    if (!inbox)
        test_fatal("no Inbox\n");

    /* Notifications of the store, a contents table's and the queue's. */
    count_sink s_store, s_table, s_queue;
    sink_init(&s_store);
    sink_init(&s_table);
    sink_init(&s_queue);
    ULONG c_store = 0, c_table = 0, c_queue = 0;
    HRESULT hr = us.store->lpVtbl->Advise(us.store, 0, NULL, fnevObjectCreated, &s_store.iface,
        &c_store);
    ok(hr == S_OK, "store Advise: %#lx\n", hrx(hr));
    IMAPITable *t = NULL, *q = NULL;
    hr = inbox->lpVtbl->GetContentsTable(inbox, MAPI_UNICODE, &t);
    ok(hr == S_OK && t, "GetContentsTable: %#lx\n", hrx(hr));
    if (t)
        ok(t->lpVtbl->Advise(t, fnevTableModified, &s_table.iface, &c_table) == S_OK,
           "table Advise\n");
    hr = spool->lpVtbl->GetOutgoingQueue(spool, 0, &q);
    ok(hr == S_OK && q, "GetOutgoingQueue: %#lx\n", hrx(hr));
    if (q)
        ok(q->lpVtbl->Advise(q, fnevTableModified, &s_queue.iface, &c_queue) == S_OK,
           "queue Advise\n");

    IMAPIProviderShutdown *shut = NULL;
    hr = prov->lpVtbl->QueryInterface(prov, &IID_IMAPIProviderShutdown, (void **)&shut);
    ok(hr == S_OK && shut, "QueryInterface(IID_IMAPIProviderShutdown): %#lx\n", hrx(hr));
    if (!shut)
        test_fatal("no IMAPIProviderShutdown\n");
    IUnknown *unk = NULL;
    ok(shut->lpVtbl->QueryInterface(shut, &IID_IMSProvider, (void **)&unk) == S_OK
       && unk == (IUnknown *)prov, "IMAPIProviderShutdown -> IMSProvider\n");
    if (unk)
        unk->lpVtbl->Release(unk);

    /* Objects opened before: a new message with an attachment and a stream
     * on its body. */
    IMessage *m = NULL;
    IAttach *att = NULL;
    IStream *body = NULL;
    ULONG att_num = 0;
    hr = inbox->lpVtbl->CreateMessage(inbox, NULL, 0, &m);
    ok(hr == S_OK && m, "CreateMessage: %#lx\n", hrx(hr));
    if (!m)
        test_fatal("no message\n");
    hr = m->lpVtbl->CreateAttach(m, NULL, 0, &att_num, &att);
    ok(hr == S_OK && att, "CreateAttach: %#lx\n", hrx(hr));
    hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, STGM_READWRITE,
        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&body);
    ok(hr == S_OK && body, "OpenProperty(PR_BODY_W): %#lx\n", hrx(hr));
    if (!att || !body)
        test_fatal("no attachment or stream\n");

    /* Everything busy: a writer saving, a submitted message, the sinks told. */
    HANDLE wt = CreateThread(NULL, 0, busy_writer, inbox, 0, NULL);
    LONG before = sink_count(&s_queue);
    submit_one(us.store, L"in the queue at shutdown");
    ok(sink_wait(&s_queue, before, WAIT_MS), "the queue's sink was not told\n");
    ok(sink_wait(&s_table, 0, WAIT_MS), "the table's sink was not told\n");
    ok(sink_wait(&s_store, 0, WAIT_MS), "the store's sink was not told\n");
    int busy = thread_count();
    ok(busy >= baseline + 5, "threads while busy: %d (baseline %d): the provider's threads "
       "(notifier x2, table, queue) and the writer\n", busy, baseline);

    ok(shut->lpVtbl->QueryFastShutdown(shut) == S_OK, "QueryFastShutdown\n");
    ok(shut->lpVtbl->NotifyProcessShutdown(shut) == S_OK, "NotifyProcessShutdown\n");
    double t0 = now_ms();
    hr = shut->lpVtbl->DoFastShutdown(shut);
    double took = now_ms() - t0;
    ok(hr == S_OK, "DoFastShutdown: %#lx\n", hrx(hr));
    ok(took < 1000.0, "DoFastShutdown took %.0f ms\n", took);
    printf("# BENCH fast_shutdown_ms %.0f ms (writer saved %ld)\n", took, (long)writer_saves);
    /* Every background thread of ours is gone: only the writer is left. */
    int now = thread_count();
    ok(now <= baseline + 1, "threads after DoFastShutdown: %d (baseline %d + the writer)\n",
       now, baseline);
    InterlockedExchange(&writer_stop, 1);
    WaitForSingleObject(wt, INFINITE);
    CloseHandle(wt);
    ok(writer_bad == 0, "writer: %ld calls failed without a MAPI error\n", (long)writer_bad);

    /* Nothing is notified any more, whatever is written. */
    LONG n_store = sink_count(&s_store), n_table = sink_count(&s_table),
        n_queue = sink_count(&s_queue);
    hr = save_new(inbox, L"msg after");
    ok(hr == MAPI_E_CALL_FAILED, "a folder's call after: %#lx\n", hrx(hr));
    check_gated(inbox, m, att, body);
    Sleep(1500);
    ok(sink_count(&s_store) == n_store && sink_count(&s_table) == n_table
       && sink_count(&s_queue) == n_queue, "notified after DoFastShutdown: %ld %ld %ld\n",
       (long)(sink_count(&s_store) - n_store), (long)(sink_count(&s_table) - n_table),
       (long)(sink_count(&s_queue) - n_queue));

    /* Calls after: a clean MAPI_E_CALL_FAILED, never a crash. */
    ULONG type = 0, conn = 0;
    LPUNKNOWN obj = NULL;
    hr = us.store->lpVtbl->OpenEntry(us.store, 0, NULL, NULL, 0, &type, &obj);
    ok(hr == MAPI_E_CALL_FAILED && !obj, "store OpenEntry after: %#lx\n", hrx(hr));
    hr = us.logon->lpVtbl->OpenEntry(us.logon, 0, NULL, NULL, 0, &type, &obj);
    ok(hr == MAPI_E_CALL_FAILED && !obj, "logon OpenEntry after: %#lx\n", hrx(hr));
    hr = us.store->lpVtbl->Advise(us.store, 0, NULL, fnevNewMail, &s_store.iface, &conn);
    ok(hr == MAPI_E_CALL_FAILED && !conn, "store Advise after: %#lx\n", hrx(hr));
    IMAPITable *q2 = NULL;
    hr = spool->lpVtbl->GetOutgoingQueue(spool, 0, &q2);
    ok(hr == MAPI_E_CALL_FAILED && !q2, "GetOutgoingQueue after: %#lx\n", hrx(hr));
    ULONG cb = 0;
    LPENTRYID e = NULL;
    hr = us.store->lpVtbl->GetReceiveFolder(us.store, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cb,
        &e, NULL);
    ok(hr == MAPI_E_CALL_FAILED && !e, "GetReceiveFolder after: %#lx\n", hrx(hr));
    host_session again;
    ULONG cb_spool = 0;
    LPBYTE spool_data = NULL;
    memset(&again, 0, sizeof again);
    hr = prov->lpVtbl->Logon(prov, &support, 0, (LPTSTR)L"profile", 0, NULL,
        MDB_NO_DIALOG | MAPI_UNICODE, NULL, &cb_spool, &spool_data, NULL, &again.logon,
        &again.store);
    ok(hr == MAPI_E_CALL_FAILED && !again.logon && !again.store, "Logon after: %#lx\n",
       hrx(hr));
    if (t) {
        SRowSet *rows = NULL;
        hr = t->lpVtbl->QueryRows(t, 10, 0, &rows);
        ok(hr == MAPI_E_CALL_FAILED && !rows, "QueryRows after: %#lx\n", hrx(hr));
        host_free_rows(rows);
    }
    ok(shut->lpVtbl->DoFastShutdown(shut) == S_OK, "DoFastShutdown again\n");

    /* A client that still releases everything: all goes back to zero. */
    ok(us.store->lpVtbl->Unadvise(us.store, c_store) == S_OK, "store Unadvise after\n");
    if (t)
        t->lpVtbl->Release(t);
    if (q)
        q->lpVtbl->Release(q);
    body->lpVtbl->Release(body);
    att->lpVtbl->Release(att);
    m->lpVtbl->Release(m);
    inbox->lpVtbl->Release(inbox);
    shut->lpVtbl->Release(shut);
    unload_both(&l, baseline);
    check_store_file("after the fast shutdown");
}

int main(int argc, char **argv)
{
    if (argc < 2)
        test_fatal("usage: test_provider_threads PATH-TO-mapidav32.dll\n");
    host_support_setup();
    profsect_vtbl.GetProps = ps_GetProps_named;
    host_store_path(L"mapidav-threads");
    host_remove_store();   /* what a crashed run of the same process id left */
    host_store_path(L"mapidav-threads");

    /* Parts 1 and 2 on one load of the DLL. */
    HMODULE dll = NULL;
    IMSProvider *prov = host_load_provider(argv[1], &dll);
    IMapidavDebug *debug = NULL;
    prov->lpVtbl->QueryInterface(prov, &IID_IMapidavDebug, (void **)&debug);
    part_display_name(prov);
    part_concurrency(prov);
    ULONG flags = 0;
    prov->lpVtbl->Shutdown(prov, &flags);
    ok(prov->lpVtbl->Release(prov) == 0, "IMSProvider still referenced\n");
    if (debug)
        ok(debug->lpVtbl->LiveObjects(debug) == 0, "live objects: %ld\n",
           (long)debug->lpVtbl->LiveObjects(debug));
    ok(FreeLibrary(dll), "FreeLibrary failed: error %lu\n", GetLastError());

    int baseline = threads_down_to(1, 2000);
    part_release_from_sink(argv[1], baseline);
    baseline = threads_down_to(baseline, 2000);
    part_fast_shutdown(argv[1], baseline);

    host_end_checks();
    host_remove_store();
    return test_done();
}
