/*
 * test_props_sort.c: sort order sets (new, copy, check) and row comparison
 * with several keys ascending and descending, missing properties, strings,
 * and rows expanded per value of a multi-valued column.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/props.h"
#include "testutil.h"

#define PR_SUBJECT_W PROP_TAG(PT_UNICODE, 0x0037)
#define PR_IMPORTANCE PROP_TAG(PT_LONG, 0x0017)
#define PR_DELIVERY_TIME PROP_TAG(PT_SYSTIME, 0x0E06)
#define KEYWORDS PROP_TAG(PT_MV_UNICODE, 0x8001)

static const st_sortset *order;

static int by_order(const void *a, const void *b)
{
    return st_bag_compare_sorted(*(st_bag *const *)a, *(st_bag *const *)b, order);
}

typedef struct row_spec {
    int id;                 /* row number, checked after sorting */
    int importance;         /* -1: missing */
    const char *subject;    /* NULL: missing */
    uint64_t time;          /* 0: missing */
} row_spec;

static st_bag *make_row(const row_spec *r)
{
    st_bag *b = st_bag_new();
    st_bag_set_long(b, PROP_TAG(PT_LONG, 0x6700), r->id);
    if (r->importance >= 0)
        st_bag_set_long(b, PR_IMPORTANCE, r->importance);
    if (r->subject)
        st_bag_set_str(b, PR_SUBJECT_W, r->subject);
    if (r->time)
        st_bag_set_systime(b, PR_DELIVERY_TIME, r->time);
    return b;
}

/* Sorts the rows by s and checks their ids come out as expected. */
static void check_sort(const row_spec *rows, size_t n, const st_sortset *s, const int *expect,
    const char *what)
{
    st_bag *bags[16];
    size_t i;
    int same = 1;
    char got[128] = "";

    for (i = 0; i < n; i++)
        bags[i] = make_row(&rows[i]);
    order = s;
    qsort(bags, n, sizeof bags[0], by_order);
    for (i = 0; i < n; i++) {
        int id = st_bag_get(bags[i], PROP_TAG(PT_LONG, 0x6700))->v.l;
        char num[8];
        snprintf(num, sizeof num, "%d ", id);
        strcat(got, num);
        if (id != expect[i])
            same = 0;
        st_bag_free(bags[i]);
    }
    ok(same, "%s: got %s\n", what, got);
}

static void test_keys(void)
{
    static const row_spec rows[] = {
        {1, 2, "banana", 300},
        {2, 1, "Apple", 100},
        {3, 2, "apple", 200},
        {4, -1, "cherry", 400},
        {5, 2, NULL, 500},
        {6, 1, "apple", 0},
        {7, 2, "APPLE", 100},
    };
    st_sortset *s = st_sortset_new(3);

    /* importance desc, subject asc (case-insensitive), time desc. */
    s->orders[0] = (st_sortorder){ PR_IMPORTANCE, TABLE_SORT_DESCEND };
    s->orders[1] = (st_sortorder){ PR_SUBJECT_W, TABLE_SORT_ASCEND };
    s->orders[2] = (st_sortorder){ PR_DELIVERY_TIME, TABLE_SORT_DESCEND };
    ok(st_sortset_check(s) == 0, "check\n");
    {
        /* importance 2: subject missing first (5), then apple(3, t200), APPLE(7, t100),
         * banana(1); importance 1: Apple(2, t100) before apple(6, no time: last in
         * desc); importance missing last in desc (4). */
        static const int expect[] = {5, 3, 7, 1, 2, 6, 4};
        check_sort(rows, 7, s, expect, "imp desc, subj asc, time desc");
    }
    /* importance asc: missing first; subject desc: missing last; time asc. */
    s->orders[0].order = TABLE_SORT_ASCEND;
    s->orders[1].order = TABLE_SORT_DESCEND;
    s->orders[2].order = TABLE_SORT_ASCEND;
    {
        static const int expect[] = {4, 6, 2, 1, 7, 3, 5};
        check_sort(rows, 7, s, expect, "imp asc, subj desc, time asc");
    }
    /* One key only: equal keys compare 0. */
    s->n = 1;
    {
        st_bag *a = make_row(&rows[0]), *b = make_row(&rows[2]), *m = make_row(&rows[3]);
        ok(st_bag_compare_sorted(a, b, s) == 0, "tie is 0\n");
        ok(st_bag_compare_sorted(m, a, s) < 0 && st_bag_compare_sorted(a, m, s) > 0,
           "missing first ascending\n");
        s->orders[0].order = TABLE_SORT_DESCEND;
        ok(st_bag_compare_sorted(m, a, s) > 0, "missing last descending\n");
        ok(st_bag_compare_sorted(m, m, s) == 0, "both missing\n");
        s->n = 0;
        ok(st_bag_compare_sorted(a, m, s) == 0, "no keys\n");
        st_bag_free(a);
        st_bag_free(b);
        st_bag_free(m);
    }
    st_sortset_free(s);
}

static void test_mv_instance(void)
{
    /* A table sorted on MVI(KEYWORDS) has one row per value, each holding a
     * single PT_UNICODE value under the id. */
    static const char *values[] = {"grün", "Blau", "rot", "blaue"};
    static const int expect[] = {1, 3, 0, 2};
    st_sortset *s = st_sortset_new(1);
    st_bag *rows[4];
    size_t i;
    int same = 1;

    s->orders[0] = (st_sortorder){ MVI_PROP(KEYWORDS), TABLE_SORT_ASCEND };
    ok(st_sortset_check(s) == 0, "MVI key valid\n");
    for (i = 0; i < 4; i++) {
        rows[i] = st_bag_new();
        st_bag_set_long(rows[i], PROP_TAG(PT_LONG, 0x6700), (int32_t)i);
        st_bag_set_str(rows[i], PROP_TAG(PT_UNICODE, 0x8001), values[i]);
    }
    order = s;
    qsort(rows, 4, sizeof rows[0], by_order);
    for (i = 0; i < 4; i++) {
        if (st_bag_get(rows[i], PROP_TAG(PT_LONG, 0x6700))->v.l != expect[i])
            same = 0;
        st_bag_free(rows[i]);
    }
    ok(same, "instance rows sorted\n");
    st_sortset_free(s);
}

static void test_sortset(void)
{
    st_sortset *s = st_sortset_new(2), *c;

    ok(s && s->n == 2 && s->n_categories == 0 && s->orders[1].tag == 0, "new zeroed\n");
    s->orders[0] = (st_sortorder){ PR_IMPORTANCE, TABLE_SORT_ASCEND };
    s->orders[1] = (st_sortorder){ PR_SUBJECT_W, TABLE_SORT_DESCEND | TABLE_SORT_CATEG_MAX };
    s->n_categories = 1;
    s->n_expanded = 1;
    ok(st_sortset_check(s) == 0, "valid categorized\n");
    c = st_sortset_copy(s);
    ok(c && c != s && c->n == 2 && c->n_categories == 1 && c->n_expanded == 1 &&
       c->orders[1].tag == PR_SUBJECT_W && c->orders[1].order == s->orders[1].order, "copy\n");
    st_sortset_free(c);

    s->n_expanded = 2;
    ok(st_sortset_check(s) == -1, "expanded > categories\n");
    s->n_expanded = 0;
    s->n_categories = 3;
    ok(st_sortset_check(s) == -1, "categories > n\n");
    s->n_categories = 0;
    s->orders[1].order = 0x80;
    ok(st_sortset_check(s) == -1, "unknown order\n");
    s->orders[1].order = TABLE_SORT_CATEG_MAX | TABLE_SORT_CATEG_MIN;
    ok(st_sortset_check(s) == -1, "max and min\n");
    s->orders[1].order = TABLE_SORT_COMBINE;
    ok(st_sortset_check(s) == 0, "combine\n");
    s->orders[1].tag = KEYWORDS;
    ok(st_sortset_check(s) == -1, "MV without MV_INSTANCE\n");
    s->orders[1].tag = PROP_TAG(PT_UNICODE | MV_INSTANCE, 0x8001);
    ok(st_sortset_check(s) == -1, "MV_INSTANCE without MV\n");
    s->orders[1].tag = PROP_TAG(PT_UNSPECIFIED, 0x0037);
    ok(st_sortset_check(s) == -1, "PT_UNSPECIFIED\n");
    s->orders[1].tag = PROP_TAG(0x0999, 0x0037);
    ok(st_sortset_check(s) == -1, "invalid type\n");
    st_sortset_free(s);
    st_sortset_free(NULL);

    s = st_sortset_new(0);
    ok(s && s->n == 0 && st_sortset_check(s) == 0, "empty set\n");
    c = st_sortset_copy(s);
    ok(c && c->n == 0, "copy empty\n");
    st_sortset_free(c);
    st_sortset_free(s);
}

int main(void)
{
    test_keys();
    test_mv_instance();
    test_sortset();
    return test_done();
}
