/*
 * bench-storage.c: the storage figures the sync thread cares about.
 *
 *   bench-storage [messages] [dir]
 *
 * Imports `messages` (default 100,000) realistic mails - the hot columns
 * Outlook's views use, a dozen other properties, one recipient, a 2 KB
 * plain-text body - through st_import_message, the path the sync thread
 * uses, in 20 ms batches, into a new store; then prints
 *
 *   BENCH import_msgs_per_s <value> msgs/s
 *   BENCH peak_rss_mb <value> MB
 *
 * plus informational lines (file size, a contents-style query). Then the
 * table figures (storage/table.h), for a folder of 10,000 and one of
 * 1,000,000 messages (MAPIDAV_BENCH_TABLE_SIZES="10000,1000000" to change;
 * "0" skips them), each built once through the import API and kept in
 * `dir` when one is given (reused when it holds the right count):
 *
 *   BENCH open_sorted_first50_ms_<10k|1m>       delivery time desc, 12 columns
 *   BENCH resort_sender_first50_ms_<size>       then re-sorted by sender
 *   BENCH resort_unindexed_first50_ms_<size>    by a blob property (first time)
 *         (and resort_unindexed_next50_ms_<size>, informational: its next screen)
 *   BENCH restrict_unread_first50_ms_<size>     BITMASK MSGFLAG_READ == 0
 *   BENCH seek_approx_half_ms_<size>            SeekRowApprox 1/2 + 50 rows
 *   BENCH categorized_sender_first_screen_ms_<size>  by sender, collapsed, 50 rows
 *   BENCH content_search_subject_ms_<size>      RES_CONTENT substring|ignorecase
 *   BENCH writer_max_wait_ms                    one save while a bulk import runs
 *   BENCH search_reminders_fill_ms_<size>       a Reminders search folder set up
 *   BENCH search_reminders_first50_ms_<size>    its contents table, newest first
 *
 * 1% of the mails have PidLidReminderSet true (and 1% false), so Outlook's
 * Reminders search folder finds 1% of a folder. The import is measured
 * twice, into a store without and one with a Reminders search folder over
 * the whole store (import_msgs_per_s, import_with_search_msgs_per_s, and
 * their CPU-time forms, which a shared machine disturbs less).
 *
 * Each table figure is the wall time of the first run (cold statement,
 * warm page cache), with its CPU time on an informational line. Build it
 * without sanitizers for meaningful numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/storage.h"
#include "storage/table.h"
#include "davsync/rss_util.h"
#include "reminders_util.h"


/* Peak RSS in MB (rss_util.h counts in KB). */
static double peak_rss_mb(void)
{
    return (double)peak_rss_kb() / 1024.0;
}

static const char *words[] = { "meeting", "report", "invoice", "project", "status", "update",
    "lunch", "budget", "review", "release", "Grüße", "über", "naïve", "résumé", "plan", "draft" };

static st_bag *mail(int i, st_bag *rcp)
{
    st_bag *b = st_bag_new();
    char subj[160], from[64], body[2049], addr[96];
    snprintf(subj, sizeof subj, "RE: %s %s %d %s", words[i % 16], words[(i / 16) % 16], i,
        words[(i / 7) % 16]);
    snprintf(from, sizeof from, "Sender Name %d", i % 500);
    snprintf(addr, sizeof addr, "sender%d@example.org", i % 500);
    size_t k = 0;
    while (k < 2048) {
        const char *w = words[(k * 7 + (size_t)i) % 16];
        size_t wl = strlen(w);
        if (k + wl + 1 > 2048)
            break;
        memcpy(body + k, w, wl);
        k += wl;
        body[k] = (k % 80) ? ' ' : '\n';
        k++;
    }
    body[k] = 0;
    uint64_t t = UINT64_C(133000000000000000) + (uint64_t)i * 600000000u;
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
    st_bag_set_str(b, PR_SUBJECT_W, subj);
    st_bag_set_str(b, PR_NORMALIZED_SUBJECT_W, subj + 4);
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x003D), "RE: ");   /* PR_SUBJECT_PREFIX */
    st_bag_set_str(b, PR_CONVERSATION_TOPIC_W, subj + 4);
    st_bag_set_str(b, PR_SENDER_NAME_W, from);
    st_bag_set_str(b, PR_DISPLAY_TO_W, "Me Myself");
    st_bag_set_str(b, PR_SENT_REPRESENTING_NAME_W, from);
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x0C1F), addr);     /* PR_SENDER_EMAIL_ADDRESS */
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x0C1E), "SMTP");   /* PR_SENDER_ADDRTYPE */
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x1035), "<1234567890.abcdef@example.org>"); /* PR_INTERNET_MESSAGE_ID */
    st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, t);
    st_bag_set_systime(b, PR_CLIENT_SUBMIT_TIME, t - 300000000);
    st_bag_set_systime(b, PR_LAST_MODIFICATION_TIME, t);
    st_bag_set_systime(b, PR_CREATION_TIME, t);
    st_bag_set_long(b, PR_MESSAGE_FLAGS, i % 4 ? 1 : 0);
    st_bag_set_long(b, PR_IMPORTANCE, 1);
    st_bag_set_long(b, PR_ICON_INDEX, 256);
    st_bag_set_long(b, PR_INTERNET_CPID, 65001);
    st_bag_set_long(b, PROP_TAG(PT_LONG, 0x0E17), 0);          /* PR_MSG_STATUS */
    st_bag_set_bool(b, PROP_TAG(PT_BOOLEAN, 0x0057), 1);       /* PR_MESSAGE_TO_ME */
    uint8_t idx[22];
    for (int j = 0; j < 22; j++)
        idx[j] = (uint8_t)(i * 31 + j);
    st_bag_set_bin(b, PROP_TAG(PT_BINARY, 0x0071), idx, 22);   /* PR_CONVERSATION_INDEX */
    st_bag_set_str(b, PR_BODY_W, body);
    if (i % 100 < 2)
        st_bag_set_bool(b, T_REMINDER_SET, i % 100 == 0);
    (void)rcp;
    return b;
}

/* ---- search folders ---- */


/* Outlook's Reminders search folder under parent, over scope (recursive). */
static int reminders_folder(st_store *s, st_id *out, st_id parent, st_id scope)
{
    st_bag *fb = st_bag_new();
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Reminders");
    int r = st_folder_create(s, out, parent, fb, ST_FOLDER_SEARCH);
    st_bag_free(fb);
    if (r == ST_EEXISTS)
        r = st_folder_find_by_name(s, out, parent, "Reminders");
    st_restriction *rem = test_reminders();
    if (!r)
        r = st_search_set(s, *out, rem, &scope, 1, ST_SEARCH_RECURSIVE);
    st_res_free(rem);
    if (r)
        fprintf(stderr, "reminders: %s\n", st_error_last());
    return r;
}

/* ---- table figures ---- */

typedef struct timing {
    uint64_t t0;          /* wall ms at start */
    double c0;            /* CPU s at start */
} timing;

static timing tic(void)
{
    timing t = { st_os_time_ms(), cpu_seconds() };
    return t;
}

static double toc(timing t, const char *name, const char *suffix)
{
    double ms = (double)(st_os_time_ms() - t.t0);
    double cpu = (cpu_seconds() - t.c0) * 1000.0;
    printf("BENCH %s%s %.1f ms\n", name, suffix, ms);
    printf("  (%s%s: %.1f ms CPU)\n", name, suffix, cpu);
    return ms;
}

/* Builds (or reuses) a store with one folder of n messages. */
static st_store *table_store(const char *dir, int n, st_id *inbox, st_bag **pool, int n_pool)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tables-%d.sqlite", dir, n);
    st_guid g = { 0xBE7C5, 1, 2, { 3, 4, 5, 6, 7, 8, 9, (uint8_t)(n & 0xFF) } };
    st_store *s = NULL;
    if (st_store_open(&s, path, &g, 0) == 0) {
        st_id root;
        st_folder_counts fc;
        size_t left = 1;
        if (st_folder_root(s, &root) == 0 && st_folder_find_by_name(s, inbox, root, "Inbox") == 0
            && st_folder_counts_get(s, &fc, *inbox) == 0 && fc.content == (uint32_t)n &&
            st_store_index_pending(s, 0, &left) == 0 && left == 0) {
            printf("tables: reusing %s\n", path);
            return s;
        }
        st_store_close(s);
    }
    st_os_remove(path);
    if (st_store_open(&s, path, &g, ST_OPEN_CREATE) != 0) {
        fprintf(stderr, "%s\n", st_error_last());
        return NULL;
    }
    st_bag *fb = st_bag_new();
    st_id root;
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Root");
    st_folder_create(s, &root, 0, fb, ST_FROM_SERVER);
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Inbox");
    st_folder_create(s, inbox, root, fb, ST_FROM_SERVER);
    st_bag_free(fb);
    uint64_t t0 = st_os_time_ms();
    st_import *imp = NULL;
    int errors = st_import_begin(&imp, s, 50) != 0;
    for (int i = 0; !errors && i < n; i++) {
        st_bag *b = pool[i % n_pool];
        char href[64], subj[160];
        snprintf(href, sizeof href, "/mail/me/Inbox/%d.eml", i);
        snprintf(subj, sizeof subj, "RE: %s %s %d %s", words[i % 16], words[(i / 16) % 16], i,
            words[(i / 7) % 16]);
        st_bag_set_str(b, PR_SUBJECT_W, subj);
        st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME,
            UINT64_C(133000000000000000) + (uint64_t)i * 600000000u);
        st_bag_set_long(b, PR_MESSAGE_FLAGS, i % 4 ? 1 : 0);
        st_bag_delete(b, PR_BODY_W);   /* tables never read bodies; keeps 1M at ~1 GB */
        if (st_import_message(imp, NULL, *inbox, b, NULL, 0, href, "\"e\"") != 0)
            errors++;
    }
    if (imp && st_import_end(imp) != 0)
        errors++;
    size_t left = 0;
    if (!errors && st_store_index_pending(s, 3600000, &left) != 0)
        errors++;
    printf("tables: built %s (%d messages) in %.1f s%s\n", path, n,
        (double)(st_os_time_ms() - t0) / 1000.0, errors ? ", with errors" : "");
    if (errors) {
        fprintf(stderr, "%s\n", st_error_last());
        st_store_close(s);
        return NULL;
    }
    return s;
}

static int first50(st_table *t, const char *what)
{
    st_row *rows = NULL;
    size_t n = 0;
    int r = st_table_query_rows(t, &rows, &n, 50, 0);
    if (r)
        fprintf(stderr, "%s: %s\n", what, st_error_last());
    st_rows_free(rows, n);
    if (!r && n < 50)
        printf("  (%s: %zu rows)\n", what, n);
    return r ? 1 : 0;
}

static int table_run(st_store *s, st_id inbox, const char *sfx)
{
    static const uint32_t cols[12] = { PR_INSTANCE_KEY, PR_MESSAGE_CLASS_W, PR_SUBJECT_W,
        PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE,
        PR_IMPORTANCE, PR_ICON_INDEX, PR_HASATTACH, PROP_TAG(PT_UNICODE, 0x0C1F),
        PR_DISPLAY_TO_W };
    int errors = 0;
    st_table *t = NULL;
    st_sortset *so = st_sortset_new(2);
    timing tm = tic();
    errors += st_table_open(&t, s, inbox, ST_TABLE_CONTENTS) != 0;
    if (errors) {
        fprintf(stderr, "open: %s\n", st_error_last());
        return errors;
    }
    st_table_set_columns(t, cols, 12);
    so->n = 1;
    so->orders[0].tag = PR_MESSAGE_DELIVERY_TIME;
    so->orders[0].order = TABLE_SORT_DESCEND;
    errors += st_table_sort(t, so) != 0;
    errors += first50(t, "open");
    toc(tm, "open_sorted_first50_ms", sfx);

    tm = tic();
    so->n = 2;
    so->orders[0].tag = PR_SENDER_NAME_W;
    so->orders[0].order = TABLE_SORT_ASCEND;
    so->orders[1].tag = PR_MESSAGE_DELIVERY_TIME;
    so->orders[1].order = TABLE_SORT_DESCEND;
    errors += st_table_sort(t, so) != 0;
    errors += first50(t, "resort");
    toc(tm, "resort_sender_first50_ms", sfx);

    tm = tic();
    so->n = 1;
    so->orders[0].tag = PROP_TAG(PT_UNICODE, 0x0C1F);   /* PR_SENDER_EMAIL_ADDRESS: blob */
    so->orders[0].order = TABLE_SORT_ASCEND;
    errors += st_table_sort(t, so) != 0;
    errors += first50(t, "resort unindexed");
    toc(tm, "resort_unindexed_first50_ms", sfx);
    tm = tic();   /* the next screen of that sort (the first scan kept its rows) */
    errors += first50(t, "resort unindexed, next");
    printf("  resort_unindexed_next50_ms%s %.1f (%.1f ms CPU)\n", sfx,
        (double)(st_os_time_ms() - tm.t0), (cpu_seconds() - tm.c0) * 1000.0);

    so->orders[0].tag = PR_MESSAGE_DELIVERY_TIME;
    so->orders[0].order = TABLE_SORT_DESCEND;
    errors += st_table_sort(t, so) != 0;
    tm = tic();
    st_restriction *unread = st_res_bitmask(BMR_EQZ, PR_MESSAGE_FLAGS, 1);
    errors += st_table_restrict(t, unread) != 0;
    errors += first50(t, "restrict");
    toc(tm, "restrict_unread_first50_ms", sfx);
    st_res_free(unread);
    errors += st_table_restrict(t, NULL) != 0;

    tm = tic();
    errors += st_table_seek_approx(t, 1, 2) != 0;
    errors += first50(t, "seek approx");
    toc(tm, "seek_approx_half_ms", sfx);
    {
        uint32_t row = 0, den = 0;
        tm = tic();
        errors += st_table_position(t, &row, NULL, &den) != 0;
        printf("  query_position_ms%s %.1f (row %u of %u)\n", sfx,
            (double)(st_os_time_ms() - tm.t0), row, den);
    }

    {
        st_sortset *cs = st_sortset_new(2);
        cs->orders[0].tag = PR_SENDER_NAME_W;
        cs->orders[1].tag = PR_MESSAGE_DELIVERY_TIME;
        cs->orders[1].order = TABLE_SORT_DESCEND;
        cs->n_categories = 1;
        cs->n_expanded = 0;
        tm = tic();
        errors += st_table_sort(t, cs) != 0;
        errors += first50(t, "categorized");
        toc(tm, "categorized_sender_first_screen_ms", sfx);
        uint32_t cnt = 0;
        tm = tic();
        errors += st_table_count(t, &cnt) != 0;
        printf("  categorized_count_ms%s %.1f (%u rows)\n", sfx,
            (double)(st_os_time_ms() - tm.t0), cnt);
        uint8_t key[8];
        st_row *rows = NULL;
        size_t n = 0;
        st_table_seek(t, BOOKMARK_BEGINNING, 0, NULL);
        if (st_table_query_rows(t, &rows, &n, 1, 0) == 0 && n == 1) {
            memcpy(key, rows[0].vals[0].v.bin.data, 8);
            uint32_t added = 0;
            tm = tic();
            errors += st_table_expand(t, key, &added) != 0;
            st_table_seek(t, BOOKMARK_BEGINNING, 0, NULL);
            errors += first50(t, "expanded");
            printf("  categorized_expand_first_ms%s %.1f (%u rows appeared)\n", sfx,
                (double)(st_os_time_ms() - tm.t0), added);
        }
        st_rows_free(rows, n);
        st_sortset_free(cs);
        so->n = 1;
        so->orders[0].tag = PR_MESSAGE_DELIVERY_TIME;
        so->orders[0].order = TABLE_SORT_DESCEND;
        errors += st_table_sort(t, so) != 0;
    }

    tm = tic();
    st_value pat = st_view_str(PR_SUBJECT_W, "BUDGET");
    st_restriction *cr = st_res_content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &pat);
    errors += st_table_restrict(t, cr) != 0;
    errors += first50(t, "content");
    toc(tm, "content_search_subject_ms", sfx);
    st_res_free(cr);
    tm = tic();
    pat = st_view_str(PR_SUBJECT_W, "über 4242 ");
    cr = st_res_content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &pat);
    errors += st_table_restrict(t, cr) != 0;
    {
        st_row *rows = NULL;
        size_t n = 0;
        errors += st_table_query_rows(t, &rows, &n, 50, 0) != 0;
        st_rows_free(rows, n);
        printf("  content_search_rare_ms%s %.1f (%zu rows)\n", sfx,
            (double)(st_os_time_ms() - tm.t0), n);
    }
    st_res_free(cr);
    st_sortset_free(so);
    st_table_close(t);
    return errors;
}

/* A second thread saves one message every 5 ms while this one imports. */
typedef struct saver {
    const char *path;     /* the store */
    st_id fid;            /* where it saves */
    volatile int stop;    /* set by the importer */
    double max_ms;        /* longest single save */
    int saves, errors;    /* counts */
} saver;

static void saver_main(void *p)
{
    saver *sv = p;
    st_store *s = NULL;
    if (st_store_open(&s, sv->path, NULL, 0) != 0) {
        sv->errors++;
        return;
    }
    st_bag *b = mail(7, NULL);
    while (!sv->stop) {
        uint64_t t0 = st_os_time_ms();
        st_id id;
        if (st_message_create(s, &id, sv->fid, b, 0) != 0)
            sv->errors++;
        double ms = (double)(st_os_time_ms() - t0);
        if (ms > sv->max_ms)
            sv->max_ms = ms;
        sv->saves++;
        st_os_sleep_ms(5);
    }
    st_bag_free(b);
    st_store_close(s);
}

static int writer_figure(const char *dir, st_bag **pool, int n_pool)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/writer.sqlite", dir);
    st_os_remove(path);
    st_guid g = { 0xBE7C6, 1, 2, { 3, 4, 5, 6, 7, 8, 9, 10 } };
    st_store *s = NULL;
    if (st_store_open(&s, path, &g, ST_OPEN_CREATE) != 0)
        return 1;
    st_bag *fb = st_bag_new();
    st_id root, inbox, drafts;
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Root");
    st_folder_create(s, &root, 0, fb, ST_FROM_SERVER);
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Inbox");
    st_folder_create(s, &inbox, root, fb, ST_FROM_SERVER);
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Drafts");
    st_folder_create(s, &drafts, root, fb, ST_FROM_SERVER);
    st_bag_free(fb);
    saver sv = { path, drafts, 0, 0, 0, 0 };
    st_thread *th = NULL;
    if (st_thread_start(&th, saver_main, &sv) != 0)
        return 1;
    st_import *imp = NULL;
    int errors = st_import_begin(&imp, s, 20) != 0;
    for (int i = 0; !errors && i < 50000; i++) {
        char href[64];
        snprintf(href, sizeof href, "/mail/me/Inbox/%d.eml", i);
        errors += st_import_message(imp, NULL, inbox, pool[i % n_pool], NULL, 0, href,
            "\"e\"") != 0;
    }
    if (imp)
        errors += st_import_end(imp) != 0;
    sv.stop = 1;
    st_thread_join(th);
    printf("BENCH writer_max_wait_ms %.1f ms\n", sv.max_ms);
    printf("  (%d saves during a 50,000-message import, %d errors)\n", sv.saves, sv.errors);
    st_store_close(s);
    st_os_remove(path);
    return errors + sv.errors;
}

static int search_run(st_store *s, st_id inbox, const char *sfx)
{
    static const uint32_t cols[12] = { PR_INSTANCE_KEY, PR_MESSAGE_CLASS_W, PR_SUBJECT_W,
        PR_SENDER_NAME_W, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE,
        PR_IMPORTANCE, PR_ICON_INDEX, PR_HASATTACH, PROP_TAG(PT_UNICODE, 0x0C1F),
        PR_DISPLAY_TO_W };
    st_id root = 0, sid = 0;
    int errors = st_folder_root(s, &root) != 0;
    timing tm = tic();
    errors += reminders_folder(s, &sid, root, inbox) != 0;
    toc(tm, "search_reminders_fill_ms", sfx);
    st_folder_counts fc = { 0 };
    st_folder_counts_get(s, &fc, sid);
    printf("  (reminders: %u results)\n", fc.content);
    tm = tic();
    st_table *t = NULL;
    st_sortset *so = st_sortset_new(1);
    so->orders[0].tag = PR_MESSAGE_DELIVERY_TIME;
    so->orders[0].order = TABLE_SORT_DESCEND;
    if (st_table_open(&t, s, sid, ST_TABLE_CONTENTS) != 0) {
        fprintf(stderr, "search table: %s\n", st_error_last());
        errors++;
    } else {
        st_table_set_columns(t, cols, 12);
        errors += st_table_sort(t, so) != 0;
        errors += first50(t, "reminders");
        toc(tm, "search_reminders_first50_ms", sfx);
    }
    st_table_close(t);
    st_sortset_free(so);
    errors += st_folder_delete(s, sid, 0) != 0;   /* leave a kept store as it was */
    return errors;
}

static int table_figures(const char *dir, st_bag **pool, int n_pool, int keep)
{
    char *env = NULL;
    const char *sizes = "10000,1000000";
    if (st_os_getenv(&env, "MAPIDAV_BENCH_TABLE_SIZES") == 0 && env)
        sizes = env;
    int errors = writer_figure(dir, pool, n_pool);
    for (const char *p = sizes; *p;) {
        int n = atoi(p);
        if (n > 0) {
            char sfx[32];
            if (n % 1000000 == 0)
                snprintf(sfx, sizeof sfx, "_%dm", n / 1000000);
            else if (n % 1000 == 0)
                snprintf(sfx, sizeof sfx, "_%dk", n / 1000);
            else
                snprintf(sfx, sizeof sfx, "_%d", n);
            st_id inbox = 0;
            st_store *s = table_store(dir, n, &inbox, pool, n_pool);
            if (!s)
                errors++;
            else {
                /* a fresh connection: nothing cached but the OS's pages */
                char path[1024];
                snprintf(path, sizeof path, "%s", st_store_path(s));
                st_store_close(s);
                s = NULL;
                if (st_store_open(&s, path, NULL, 0) != 0)
                    errors++;
                else {
                    errors += table_run(s, inbox, sfx);
                    errors += search_run(s, inbox, sfx);
                }
                st_store_close(s);
                if (!keep)
                    st_os_remove(path);
            }
        }
        p = strchr(p, ',');
        if (!p)
            break;
        p++;
    }
    free(env);
    return errors;
}

/* Imports n mails from pool into a new store dir/name (with_search: with a
 * Reminders search folder over the whole store first); *secs and *cpu get
 * the wall and CPU time of the import. The store is left open in *out. */
static int import_run(st_store **out, const char *dir, const char *name, st_bag **pool,
    int n_pool, st_bag *rcp, int n, int with_search, double *secs, double *cpu)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    st_os_remove(path);
    st_guid g = { 0xBE7C4, 1, 2, { 3, 4, 5, 6, 7, 8, 9, (uint8_t)(10 + with_search) } };
    st_store *s = NULL;
    *out = NULL;
    if (st_store_open(&s, path, &g, ST_OPEN_CREATE) != 0) {
        fprintf(stderr, "%s\n", st_error_last());
        return 1;
    }
    st_bag *fb = st_bag_new();
    st_id root, inbox, sid = 0;
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Root");
    st_folder_create(s, &root, 0, fb, ST_FROM_SERVER);
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "Inbox");
    st_folder_create(s, &inbox, root, fb, ST_FROM_SERVER);
    st_bag_free(fb);
    st_receive_folder_set(s, "", inbox);
    int errors = with_search && reminders_folder(s, &sid, root, root) != 0;

    st_import *imp = NULL;
    uint64_t t0 = st_os_time_ms();
    double c0 = cpu_seconds();
    if (st_import_begin(&imp, s, 20) != 0) {
        st_store_close(s);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        char href[64];
        snprintf(href, sizeof href, "/mail/me/Inbox/%d.eml", i);
        if (st_import_message(imp, NULL, inbox, pool[i % n_pool], &rcp, 1, href, "\"etag\"") != 0
            && errors++ < 3)
            fprintf(stderr, "import %d: %s\n", i, st_error_last());
    }
    if (st_import_end(imp) != 0)
        errors++;
    *cpu = cpu_seconds() - c0;
    *secs = (double)(st_os_time_ms() - t0) / 1000.0;
    if (*secs <= 0)
        *secs = 0.001;
    if (with_search) {
        st_folder_counts fc = { 0 };
        st_folder_counts_get(s, &fc, sid);
        printf("import with a search folder: %u reminders found\n", fc.content);
    }
    *out = s;
    return errors;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100000;
    char *dir = NULL;
    if (argc > 2) {
        dir = malloc(strlen(argv[2]) + 1);
        strcpy(dir, argv[2]);
    } else if (st_os_tempdir_create(&dir, "mapidav-bench-") != 0) {
        fprintf(stderr, "%s\n", st_error_last());
        return 1;
    }

    /* Prepare the bags first: we time storage, not bag building. */
    enum { POOL = 1000 };
    st_bag *pool[POOL];
    for (int i = 0; i < POOL; i++)
        pool[i] = mail(i, NULL);
    st_bag *rcp = st_bag_new();
    st_bag_set_str(rcp, PR_DISPLAY_NAME_W, "Me Myself");
    st_bag_set_str(rcp, PR_EMAIL_ADDRESS_W, "me@example.org");
    st_bag_set_long(rcp, PR_RECIPIENT_TYPE, 1);

    st_store *s = NULL;
    double secs = 0, cpu = 0;
    int errors = import_run(&s, dir, "bench.sqlite", pool, POOL, rcp, n, 0, &secs, &cpu);
    if (!s)
        return 1;
    st_store_stats st;
    st_store_stats_get(s, &st);
    printf("messages %llu, errors %d, %.2f s, file %.1f MB\n", (unsigned long long)st.messages,
        errors, secs, (double)(st.page_size * st.page_count) / 1048576.0);
    printf("BENCH import_msgs_per_s %.0f msgs/s\n", n / secs);
    if (cpu > 0)   /* informational: what one otherwise idle core would do */
        printf("import_msgs_per_cpu_s %.0f msgs/s (%.2f s CPU)\n", n / cpu, cpu);
    {
        uint64_t i0 = st_os_time_ms();
        double ic0 = cpu_seconds();
        size_t left = 0;
        int r = st_store_index_pending(s, 600000, &left);
        double isecs = (double)(st_os_time_ms() - i0) / 1000.0;
        printf("search indexing (deferred FTS): %s, %.2f s, %.0f msgs/s wall, %.0f per CPU-s, "
            "%zu left\n", r ? st_error_last() : "ok", isecs, isecs > 0 ? n / isecs : 0,
            cpu_seconds() - ic0 > 0 ? n / (cpu_seconds() - ic0) : 0, left);
        st_store_stats_get(s, &st);
        printf("file after indexing %.1f MB\n", (double)(st.page_size * st.page_count) / 1048576.0);
    }
    st_store_close(s);
    s = NULL;
    /* The same import with Outlook's Reminders search folder present. */
    double ssecs = 0, scpu = 0;
    errors += import_run(&s, dir, "bench-search.sqlite", pool, POOL, rcp, n, 1, &ssecs, &scpu);
    printf("BENCH import_with_search_msgs_per_s %.0f msgs/s\n", n / ssecs);
    if (scpu > 0 && cpu > 0)
        printf("import_with_search_msgs_per_cpu_s %.0f msgs/s (%.2f s CPU; %.0f%% of the "
            "import without)\n", n / scpu, scpu, 100.0 * cpu / scpu);
    st_store_close(s);
    s = NULL;
    errors += table_figures(dir, pool, POOL, argc > 2);
    printf("BENCH peak_rss_mb %.1f MB\n", peak_rss_mb());
    for (int i = 0; i < POOL; i++)
        st_bag_free(pool[i]);
    st_bag_free(rcp);
    if (argc <= 2)
        st_os_remove_tree(dir);
    free(dir);
    return errors ? 1 : 0;
}
