/*
 * bench-provider.c: the store provider's figures through the MAPI
 * interfaces (issue 6, Performance), each beside the same operation done
 * directly on the storage layer in the same run. A Windows program, run
 * under Wine; not a test.
 *
 *   bench-provider PATH-TO-mapidav32.dll [messages]
 *
 * Like test/win/test_provider_table.c it loads the DLL as MAPI does, with
 * the stand-in MAPI of test/win/host_support.h; a first logon makes a store
 * in %TEMP%, the program fills a folder with `messages` (default 100,000)
 * mails through st_import (the sync thread's path), logs on again and
 * prints
 *
 *   BENCH queryrows50_ms_100k <ms> ms              IMAPITable::QueryRows(50),
 *   BENCH queryrows50_storage_ms_100k <ms> ms      12 columns, newest first,
 *   BENCH queryrows50_vs_storage <ratio> x         21 positions, median
 *   BENCH savechanges_new_msg_ms <ms> ms           CreateMessage, SetProps
 *   BENCH savechanges_new_msg_storage_ms <ms> ms   (20 KB body), SaveChanges
 *   BENCH savechanges_new_msg_vs_storage <ratio> x   vs st_message_create
 *   BENCH open_msg_read_body_ms <ms> ms            OpenEntry, OpenProperty
 *   BENCH open_msg_read_body_storage_ms <ms> ms    (PR_BODY_W, IStream), Read
 *   BENCH open_msg_read_body_vs_storage <ratio> x    vs st_message_get
 *
 * (the folder's size goes into the first name: _100k for 100,000). The
 * goal is a ratio of at most 1.5. Wall time from QueryPerformanceCounter;
 * each figure is a median (of 21 positions, of 101 messages: the machine
 * may be shared, and a mean follows its outliers); a message round does
 * both sides, which goes first alternating; the storage side of
 * open_msg_read_body frees its bag, as the MAPI side's Release does; the
 * storage side uses its own connection to the same file (warm cache
 * on both sides: each is run once before it is timed). Build without
 * sanitizers (the Windows build has none).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIFolder
#define USES_IID_IMessage
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
#include "provider/object.h"
#include "storage/storage.h"
#include "storage/table.h"

#define POSITIONS 21      /* QueryRows positions, spread over the folder */
#define SAVES 101         /* messages saved / opened per side (medians) */
#define BODY_BYTES 20480

static char store_path8[MAX_PATH * 3];
static LARGE_INTEGER freq;

static double now_ms(void)
{
    LARGE_INTEGER c;
    QueryPerformanceCounter(&c);
    return (double)c.QuadPart * 1000.0 / (double)freq.QuadPart;
}

/* The 12 columns of a mail view (bench-storage's table figures use the
 * same set, with PR_ENTRYID, which only the provider can give). */
static const ULONG view_cols[12] = {
    PR_ENTRYID, PR_INSTANCE_KEY, PR_MESSAGE_CLASS_W, PR_SUBJECT_W, PR_SENDER_NAME_W,
    PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE, PR_IMPORTANCE, PR_ICON_INDEX,
    PR_HASATTACH, PR_DISPLAY_TO_W,
};

/* A 20 KB body of words, NUL-terminated (UTF-8 and UTF-16 copies). */
static char body8[BODY_BYTES + 1];
static WCHAR body16[BODY_BYTES + 1];

static void make_body(void)
{
    static const char *w[] = { "agenda", "minutes", "figures", "quarter", "customer", "ticket" };
    size_t k = 0;
    for (int i = 0; k < BODY_BYTES; i++) {
        const char *s = w[(i * 5) % 6];
        for (size_t j = 0; s[j] && k < BODY_BYTES; j++)
            body8[k++] = s[j];
        if (k < BODY_BYTES)
            body8[k++] = i % 12 == 11 ? '\n' : ' ';
    }
    body8[BODY_BYTES] = 0;
    for (size_t i = 0; i <= BODY_BYTES; i++)
        body16[i] = (WCHAR)(unsigned char)body8[i];
}

/* ---- The folder, filled by storage calls while logged off */

static st_id fill(int n)
{
    st_store *s = NULL;
    st_id root = 0, fid = 0;
    st_import *imp = NULL;
    int code = st_store_open(&s, store_path8, NULL, 0);
    if (!code)
        code = st_folder_root(s, &root);
    if (!code) {
        st_bag *fb = st_bag_new();
        st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Bench");
        st_bag_set_str(fb, PR_CONTAINER_CLASS_W, "IPF.Note");
        code = st_folder_create(s, &fid, root, fb, ST_FROM_SERVER);
        st_bag_free(fb);
    }
    if (!code)
        code = st_import_begin(&imp, s, 50);
    double t0 = now_ms();
    for (int i = 0; !code && i < n; i++) {
        char subj[96], from[48], href[32];
        snprintf(subj, sizeof subj, "Quarterly figures %d for customer %d", i, i % 977);
        snprintf(from, sizeof from, "Colleague %d", i % 311);
        snprintf(href, sizeof href, "/mail/%d.eml", i);
        st_bag *b = st_bag_new();
        st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
        st_bag_set_str(b, PR_SUBJECT_W, subj);
        st_bag_set_str(b, PR_SENDER_NAME_W, from);
        st_bag_set_str(b, PR_DISPLAY_TO_W, "Me");
        st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME,
            UINT64_C(133000000000000000) + (uint64_t)i * 300000000u);
        st_bag_set_long(b, PR_MESSAGE_FLAGS, i % 3 ? MSGFLAG_READ : 0);
        st_bag_set_long(b, PR_IMPORTANCE, 1);
        st_bag_set_long(b, PR_ICON_INDEX, 256);
        st_bag_set_str(b, PR_BODY_W, body8 + BODY_BYTES - 1024 + (i % 100));   /* about 1 KB */
        code = st_import_message(imp, NULL, fid, b, NULL, 0, href, "\"e\"");
        st_bag_free(b);
    }
    if (imp)
        code = code ? (st_import_abort(imp), code) : st_import_end(imp);
    printf("info: filled %d messages in %.1f s%s\n", n, (now_ms() - t0) / 1000.0,
           code ? " (failed)" : "");
    if (code)
        fprintf(stderr, "fill: %d %s\n", code, st_error_last());
    st_store_close(s);
    return code ? 0 : fid;
}

/* ---- MAPI side helpers */

/* The folder with entry ID made from the store's own ID (kind 2, id). */
static IMAPIFolder *open_by_id(IMsgStore *store, IMAPIFolder *root, st_id fid)
{
    SizedSPropTagArray(1, t) = { 1, { PR_ENTRYID } };
    ULONG n = 0, type = 0;
    LPSPropValue v = NULL;
    IUnknown *unk = NULL;
    if (root->lpVtbl->GetProps(root, (LPSPropTagArray)&t, 0, &n, &v) != S_OK
        || v[0].Value.bin.cb != 48) {
        host_FreeBuffer(v);
        return NULL;
    }
    BYTE eid[48];
    memcpy(eid, v[0].Value.bin.lpb, 48);
    host_FreeBuffer(v);
    for (int i = 0; i < 8; i++)
        eid[40 + i] = (BYTE)(fid >> (8 * i));   /* entryid.h: id at 40, little-endian */
    store->lpVtbl->OpenEntry(store, 48, (LPENTRYID)eid, &IID_IMAPIFolder, MAPI_MODIFY, &type,
        &unk);
    return (IMAPIFolder *)unk;
}

static void report(const char *name, const char *suffix, double mapi, double storage)
{
    printf("BENCH %s_ms%s %.3f ms\n", name, suffix, mapi);
    printf("BENCH %s_storage_ms%s %.3f ms\n", name, suffix, storage);
    printf("BENCH %s_vs_storage %.2f x\n", name, storage > 0 ? mapi / storage : 0.0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of v[0..n) (sorts v). */
static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- queryrows50 */

static void bench_queryrows(IMAPIFolder *f, st_id fid, int n)
{
    IMAPITable *t = NULL;
    if (f->lpVtbl->GetContentsTable(f, MAPI_UNICODE, &t) != S_OK)
        return;
    SizedSPropTagArray(12, cols);
    cols.cValues = 12;
    memcpy(cols.aulPropTag, view_cols, sizeof view_cols);
    SizedSSortOrderSet(1, so) = { 1, 0, 0, { { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0);
    t->lpVtbl->SortTable(t, (LPSSortOrderSet)&so, 0);

    st_store *s = NULL;
    st_table *st = NULL;
    st_sortset *sso = st_sortset_new(1);
    sso->orders[0].tag = PR_MESSAGE_DELIVERY_TIME;
    sso->orders[0].order = TABLE_SORT_DESCEND;
    int code = st_store_open(&s, store_path8, NULL, 0);
    if (!code)
        code = st_table_open(&st, s, fid, ST_TABLE_CONTENTS);
    if (!code)
        code = st_table_set_columns(st, (const uint32_t *)view_cols, 12);
    if (!code)
        code = st_table_sort(st, sso);
    st_sortset_free(sso);

    double mapi[POSITIONS], storage[POSITIONS];
    int rows_ok = 1;
    for (int round = -1; round < POSITIONS; round++) {   /* round -1 warms up */
        long pos = round < 0 ? 0 : (long)((double)n * round / POSITIONS);
        SRowSet *rs = NULL;
        t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, pos, NULL);
        double t0 = now_ms();
        HRESULT hr = t->lpVtbl->QueryRows(t, 50, 0, &rs);
        double t1 = now_ms();
        rows_ok &= hr == S_OK && rs && rs->cRows == 50;
        host_free_rows(rs);

        st_row *rows = NULL;
        size_t got = 0;
        if (!code)
            code = st_table_seek(st, BOOKMARK_BEGINNING, pos, NULL);
        double t2 = now_ms();
        if (!code)
            code = st_table_query_rows(st, &rows, &got, 50, 0);
        double t3 = now_ms();
        rows_ok &= got == 50;
        st_rows_free(rows, got);
        if (round >= 0) {
            mapi[round] = t1 - t0;
            storage[round] = t3 - t2;
        }
    }
    if (code || !rows_ok)
        printf("info: queryrows50: errors (storage %d, rows %s)\n", code,
               rows_ok ? "ok" : "short");
    char suffix[16];
    if (n % 1000 == 0)
        snprintf(suffix, sizeof suffix, "_%dk", n / 1000);
    else
        snprintf(suffix, sizeof suffix, "_%d", n);
    report("queryrows50", suffix, median(mapi, POSITIONS), median(storage, POSITIONS));
    st_table_close(st);
    st_store_close(s);
    t->lpVtbl->Release(t);
}

/* ---- savechanges_new_msg and open_msg_read_body */

/* The storage side of a save: st_message_create with the same values. */
static int storage_save(st_store *s, st_id fid, st_id *mid)
{
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
    st_bag_set_str(b, PR_SUBJECT_W, "A new message with a 20 KB body");
    st_bag_set_str(b, PR_BODY_W, body8);
    st_bag_set_long(b, PR_MESSAGE_FLAGS, MSGFLAG_READ);
    int code = st_message_create(s, mid, fid, b, 0);
    st_bag_free(b);
    return code;
}

static void bench_messages(IMsgStore *store, IMAPIFolder *f, st_id fid)
{
    st_store *s = NULL;
    if (st_store_open(&s, store_path8, NULL, 0))
        return;
    static BYTE eids[SAVES][48];
    static int have_eid[SAVES];
    static st_id mids[SAVES];
    static double tm[SAVES], ts[SAVES], tcpu[SAVES], t_open[SAVES], t_prop[SAVES];
    int errors = 0;

    /* Rounds alternate which side goes first, so neither always finds the
     * other's work in the cache (or its fsync just done). */
    for (int round = -1; round < SAVES; round++) {
        int k = round < 0 ? 0 : round;
        double a = 0, b = 0;
        for (int side = 0; side < 2; side++) {
            if ((side == 0) == (round % 2 == 0)) {
                IMessage *m = NULL;
                double t0 = now_ms();
                HRESULT hr = f->lpVtbl->CreateMessage(f, NULL, 0, &m);
                if (hr == S_OK) {
                    SPropValue v[4];
                    v[0].ulPropTag = PR_MESSAGE_CLASS_W;
                    v[0].Value.lpszW = L"IPM.Note";
                    v[1].ulPropTag = PR_SUBJECT_W;
                    v[1].Value.lpszW = L"A new message with a 20 KB body";
                    v[2].ulPropTag = PR_BODY_W;
                    v[2].Value.lpszW = body16;
                    v[3].ulPropTag = PR_MESSAGE_FLAGS;
                    v[3].Value.l = MSGFLAG_READ;
                    hr = m->lpVtbl->SetProps(m, 4, v, NULL);
                    if (hr == S_OK)
                        hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
                }
                a = now_ms() - t0;
                errors += hr != S_OK;
                if (m && round >= 0) {
                    SizedSPropTagArray(1, t) = { 1, { PR_ENTRYID } };
                    ULONG n = 0;
                    LPSPropValue e = NULL;
                    if (m->lpVtbl->GetProps(m, (LPSPropTagArray)&t, 0, &n, &e) == S_OK
                        && e[0].Value.bin.cb == 48) {
                        memcpy(eids[k], e[0].Value.bin.lpb, 48);
                        have_eid[k] = 1;
                    }
                    host_FreeBuffer(e);
                }
                if (m)
                    m->lpVtbl->Release(m);
            } else {
                double t0 = now_ms();
                errors += storage_save(s, fid, &mids[k]) != 0;
                b = now_ms() - t0;
            }
        }
        tm[k] = a;
        ts[k] = b;
    }
    report("savechanges_new_msg", "", median(tm, SAVES), median(ts, SAVES));

    for (int round = -1; round < SAVES; round++) {
        int k = round < 0 ? 0 : round;
        double a = 0, b = 0, ta = 0, tb = 0;
        for (int side = 0; side < 2; side++) {
            if ((side == 0) == (round % 2 == 0)) {
                ULONG type = 0;
                IUnknown *unk = NULL;
                size_t total = 0;
                double t0 = now_ms();
                HRESULT hr = have_eid[k] ? store->lpVtbl->OpenEntry(store, 48,
                    (LPENTRYID)eids[k], &IID_IMessage, 0, &type, &unk) : MAPI_E_NOT_FOUND;
                double t1 = now_ms(), t2 = t1;
                if (hr == S_OK) {
                    IMessage *m = (IMessage *)unk;
                    IStream *stm = NULL;
                    hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, STGM_READ, 0,
                        (IUnknown **)&stm);
                    t2 = now_ms();
                    if (hr == S_OK) {
                        BYTE buf[8192];
                        ULONG got = 0;
                        while (stm->lpVtbl->Read(stm, buf, sizeof buf, &got) == S_OK && got)
                            total += got;
                        stm->lpVtbl->Release(stm);
                    }
                    m->lpVtbl->Release(m);
                }
                a = now_ms() - t0;
                ta = t1 - t0;
                tb = t2 - t1;
                errors += hr != S_OK || total != BODY_BYTES * sizeof(WCHAR);
            } else {
                st_bag *bag = NULL;
                double t0 = now_ms();
                int code = st_message_get(s, &bag, mids[k]);
                const st_value *body = code ? NULL : st_bag_get(bag, PR_BODY_W);
                errors += !body || strlen(body->v.str) != BODY_BYTES;
                st_bag_free(bag);   /* the MAPI side's figure has its Release too */
                b = now_ms() - t0;
            }
        }
        tm[k] = a;
        ts[k] = b;
        t_open[k] = ta;
        t_prop[k] = tb;
        tcpu[k] = a - ta - tb;
    }
    report("open_msg_read_body", "", median(tm, SAVES), median(ts, SAVES));
    printf("info: open_msg_read_body medians: OpenEntry %.3f ms, OpenProperty %.3f ms, "
           "Read %.3f ms\n", median(t_open, SAVES), median(t_prop, SAVES), median(tcpu, SAVES));
    if (errors)
        printf("info: messages: %d errors\n", errors);
    st_store_close(s);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench-provider PATH-TO-mapidav32.dll [messages]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 100000;
    if (n < 1000)
        n = 1000;
    QueryPerformanceFrequency(&freq);
    make_body();
    host_support_setup();
    host_store_path(L"mapidav-bench");
    WideCharToMultiByte(CP_UTF8, 0, store_path, -1, store_path8, sizeof store_path8, NULL, NULL);

    HMODULE dll = NULL;
    LPMSPROVIDER prov = host_load_provider(argv[1], &dll);
    host_session ses;
    if (host_logon(prov, &ses))   /* makes the store */
        host_logoff(&ses);
    st_id fid = fill(n);
    if (fid && host_logon(prov, &ses)) {
        IMAPIFolder *root = NULL;
        ULONG type = 0;
        ses.store->lpVtbl->OpenEntry(ses.store, 0, NULL, &IID_IMAPIFolder, 0, &type,
            (IUnknown **)&root);
        IMAPIFolder *f = root ? open_by_id(ses.store, root, fid) : NULL;
        if (f) {
            bench_queryrows(f, fid, n);
            bench_messages(ses.store, f, fid);
            f->lpVtbl->Release(f);
        } else {
            fprintf(stderr, "cannot open the folder\n");
        }
        if (root)
            root->lpVtbl->Release(root);
        host_logoff(&ses);
    }
    ULONG flags = 0;
    prov->lpVtbl->Shutdown(prov, &flags);
    prov->lpVtbl->Release(prov);
    FreeLibrary(dll);
    host_remove_store();
    return 0;
}
