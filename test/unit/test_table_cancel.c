/*
 * test_table_cancel.c: the table cancel hook (st_table_cancel_hook,
 * storage/table.h), what IMAPITable::Abort of an asynchronous sort or
 * restriction stands on: a hook that never fires changes nothing (and is
 * called during a scan); one that fires stops the first read of a sort by
 * a blob string (ST_ERROR, st_table_cancelled) and every statement after
 * it until cleared; the table then reads correctly again; a restriction
 * stopped in the probe of its plan or in its trial scan is refused and the
 * previous one stays; a hook another thread set does not stop this
 * thread's reads (the hook is thread-local).
 */
#include "storage/table.h"
#include "storage/table_int.h"
#include "test_storage_util.h"

#define N_MSGS 3000
#define KEY PR_SENT_REPRESENTING_NAME_W   /* a string of the blob */

typedef struct counter {
    long calls;       /* times the hook ran */
    long fire_at;     /* returns 1 from this call on (0: never) */
} counter;

static int hook(void *ctx)
{
    counter *c = ctx;
    c->calls++;
    return c->fire_at && c->calls >= c->fire_at;
}

/* The key number of the first row from the beginning, or -1. */
static int first_key(st_table *t)
{
    st_row *rows = NULL;
    size_t n = 0;
    int k = -1;
    if (st_table_seek(t, BOOKMARK_BEGINNING, 0, NULL) == 0
        && st_table_query_rows(t, &rows, &n, 1, TBL_NOADVANCE) == 0 && n == 1
        && PROP_TYPE(rows[0].vals[1].tag) == PT_UNICODE)
        sscanf(rows[0].vals[1].v.str, "Name %d", &k);
    st_rows_free(rows, n);
    return k;
}

static int sort_by_key(st_table *t, uint32_t order)
{
    st_sortset *s = st_sortset_new(1);
    s->orders[0].tag = KEY;
    s->orders[0].order = order;
    int code = st_table_sort(t, s);
    st_sortset_free(s);
    return code;
}

typedef struct other_arg {
    st_table *t;
    counter c;
} other_arg;

/* Another thread sets a hook that always fires and leaves it (installed
 * on the connection): the main thread's reads, with no hook of their own,
 * are not stopped (the hook is thread-local). */
static void other_thread(void *p)
{
    other_arg *a = p;
    st_table_cancel_hook(a->t, hook, &a->c);
}

int main(void)
{
    st_id inbox;
    st_store *s = tsu_store("cancel.sqlite", NULL, &inbox);
    st_import *imp = NULL;
    int code = st_import_begin(&imp, s, 500);
    for (int i = 0; !code && i < N_MSGS; i++) {
        char name[32], subj[32], href[32];
        snprintf(name, sizeof name, "Name %05d", (i * 7919) % N_MSGS);
        snprintf(subj, sizeof subj, "Subject %05d", i);
        snprintf(href, sizeof href, "m%05d.eml", i);
        st_bag *b = st_bag_new();
        st_bag_set_str(b, PR_SUBJECT_W, subj);
        st_bag_set_str(b, KEY, name);
        code = st_import_message(imp, NULL, inbox, b, NULL, 0, href, "\"1\"");
        st_bag_free(b);
    }
    code = code ? (st_import_abort(imp), code) : st_import_end(imp);
    ok(code == 0, "import: %d %s\n", code, st_error_last());

    st_table *t = NULL;
    ok(st_table_open(&t, s, inbox, ST_TABLE_CONTENTS) == 0, "open\n");
    const uint32_t cols[] = { PR_INSTANCE_KEY, KEY };
    ok(st_table_set_columns(t, cols, 2) == 0, "columns\n");

    /* A hook that never fires: the sort reads as without one, and the
     * scan called it. */
    counter never = { 0, 0 };
    ok(sort_by_key(t, TABLE_SORT_ASCEND) == 0, "sort\n");
    st_table_cancel_hook(t, hook, &never);
    ok(first_key(t) == 0, "first row with a silent hook: %d\n", first_key(t));
    ok(!st_table_cancelled(), "cancelled without firing\n");
    st_table_cancel_hook(t, NULL, NULL);
    ok(never.calls > 0, "the hook was not called during the scan\n");

    /* A hook that fires on its third call: the first read of a new sort
     * stops; so does every read after, until it is cleared. */
    counter fire = { 0, 3 };
    ok(sort_by_key(t, TABLE_SORT_DESCEND) == 0, "sort descending\n");
    st_table_cancel_hook(t, hook, &fire);
    st_row *rows = NULL;
    size_t n = 0;
    code = st_table_query_rows(t, &rows, &n, 1, TBL_NOADVANCE);
    ok(code == ST_ERROR && n == 0, "stopped read: %d, %zu rows\n", code, n);
    ok(st_table_cancelled(), "st_table_cancelled after the stop\n");
    st_rows_free(rows, n);
    long calls = fire.calls;
    code = st_table_query_rows(t, &rows, &n, 1, TBL_NOADVANCE);
    ok(code == ST_ERROR, "a read after the stop, hook still set: %d\n", code);
    ok(fire.calls - calls <= 1, "hook called %ld times after it fired\n", fire.calls - calls);
    st_rows_free(rows, n);
    st_table_cancel_hook(t, NULL, NULL);
    ok(!st_table_cancelled(), "cancelled after the hook was cleared\n");
    ok(first_key(t) == N_MSGS - 1, "the table reads again: first %d\n", first_key(t));

    /* A restriction whose trial scan is stopped (the probe lowered so a
     * subject pattern gets a trial, as test_table_diff does): refused, the
     * previous restriction (none) stays. */
    size_t queued = 0;
    ok(st_store_index_pending(s, 60000, &queued) == 0 && queued == 0, "index all\n");
    st_table__fts_probe = 1;
    st_value pat = st_view_str(PR_SUBJECT_W, "Subject 0001");
    st_restriction *r = st_res_content(FL_SUBSTRING, PR_SUBJECT_W, &pat);
    /* How many calls the plan's probe and trial scan make, then a hook
     * that fires at the first (in the probe) and at the last (in the
     * trial scan, which comes after the probe). */
    counter count_calls = { 0, 0 };
    st_table_cancel_hook(t, hook, &count_calls);
    ok(st_table_restrict(t, r) == 0 && st_table_restrict(t, NULL) == 0, "silent hook\n");
    st_table_cancel_hook(t, NULL, NULL);
    ok(count_calls.calls > 1, "probe and trial called the hook %ld times\n", count_calls.calls);
    printf("# probe and trial scan: %ld hook calls\n", count_calls.calls);
    uint32_t count = 0;
    for (int at = 0; at < 2; at++) {
        counter c = { 0, at ? count_calls.calls / 2 : 1 };
        st_table_cancel_hook(t, hook, &c);
        code = st_table_restrict(t, r);
        int stopped = st_table_cancelled();
        st_table_cancel_hook(t, NULL, NULL);
        ok(code == ST_ERROR && stopped, "restriction stopped at call %ld: %d, cancelled %d\n",
           c.fire_at, code, stopped);
        ok(st_table_count(t, &count) == 0 && count == N_MSGS,
           "rows after the stopped restriction: %u\n", count);
        ok(first_key(t) == N_MSGS - 1, "order after the stopped restriction: %d\n",
           first_key(t));
    }
    ok(st_table_restrict(t, r) == 0, "the restriction without hook\n");
    ok(st_table_count(t, &count) == 0 && count == 10, "restricted rows: %u\n", count);
    st_res_free(r);
    st_table__fts_probe = ST_TABLE__FTS_PROBE;

    /* Another thread's hook does not stop this thread's reads. */
    other_arg oa = { t, { 0, 1 } };
    st_thread *th = NULL;
    ok(st_thread_start(&th, other_thread, &oa) == 0, "thread\n");
    st_thread_join(th);
    ok(sort_by_key(t, TABLE_SORT_ASCEND) == 0 && st_table_restrict(t, NULL) == 0, "resort\n");
    ok(first_key(t) == 0, "a read after another thread's hook: %d\n", first_key(t));
    ok(oa.c.calls == 0, "the other thread's hook ran on this thread: %ld\n", oa.c.calls);
    st_table_cancel_hook(t, NULL, NULL);

    st_table_close(t);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
