/*
 * test_props_alloc.c: allocation-failure loops (expat's alloc_tests, SQLite's
 * faultsim): each operation runs with its 1st, 2nd, ... allocation failing
 * until it succeeds untouched. Every failure must be reported (-1/NULL, the
 * "out of memory" message), leave the objects as they were, and leak nothing
 * (LeakSanitizer checks at exit).
 */
#include <string.h>

#include "storage/error.h"
#include "storage/props_int.h"
#include "test_props_util.h"
#include "testutil.h"

#define PR_SUBJECT_W PROP_TAG(PT_UNICODE, 0x0037)
#define PR_ENTRYID PROP_TAG(PT_BINARY, 0x0FFF)
#define KEYWORDS PROP_TAG(PT_MV_UNICODE, 0x8001)
#define BINS PROP_TAG(PT_MV_BINARY, 0x8002)
#define GUIDS PROP_TAG(PT_MV_CLSID, 0x8003)
#define PR_RECIPIENTS PROP_TAG(PT_OBJECT, 0x0E12)

#define MAX_STEPS 10000

static const st_guid guid = {0x00062008, 0x0000, 0x0000, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static const char *words[] = {"eins", "zwei", "drei\xFF", "vier"};
static uint8_t b1[] = {1, 2, 3}, b2[] = {4};
static st_bin bins[] = {{3, b1}, {0, NULL}, {1, b2}};
static st_guid guids[] = {{1, 2, 3, {4}}, {5, 6, 7, {8}}};

/* A bag with one of each kind of owned data, and n longs besides. */
static st_bag *rich_bag(int n)
{
    st_bag *b = st_bag_new();
    st_value v;
    int i;
    st_bag_set_str(b, PR_SUBJECT_W, "Betreff");
    st_bag_set_bin(b, PR_ENTRYID, "\x00\x01\x02", 3);
    st_bag_set_guid(b, PROP_TAG(PT_CLSID, 0x6601), &guid);
    v = st_view_mv_str(KEYWORDS, words, 4);
    st_bag_set(b, &v);
    v = (st_value){ .tag = BINS };
    v.v.mv.n = 3;
    v.v.mv.bin = bins;
    st_bag_set(b, &v);
    v = (st_value){ .tag = GUIDS };
    v.v.mv.n = 2;
    v.v.mv.guid = guids;
    st_bag_set(b, &v);
    for (i = 0; i < n; i++)
        st_bag_set_long(b, PROP_TAG(PT_LONG, 0x7000 + i), i);
    return b;
}

/* Arms the injector: the k-th allocation from now fails. */
static void arm(long k)
{
    st_error_clear();
    st__alloc_fail_countdown = k;
}

/* 1 when the armed fault fired; disarms. */
static int fired(void)
{
    int f = st__alloc_fail_countdown == 0;
    st__alloc_fail_countdown = 0;
    return f;
}

/* The common bookkeeping of one loop step: a failure must coincide with a
 * fired fault and carry the message. Returns 1 when the loop is done. */
static int step(const char *what, long k, int failed, int *bad)
{
    int f = fired();
    if (f && !failed) {
        /* A failed allocation must never go unreported. */
        (*bad)++;
        return 0;
    }
    if (!f) {
        ok(!failed, "%s: fails without a fault\n", what);
        ok(k > 1, "%s: needs no allocation?\n", what);
        printf("%s: %ld allocations failed in turn\n", what, k - 1);
        return 1;
    }
    if (strcmp(st_error_last(), "out of memory") != 0)
        (*bad)++;
    return 0;
}

static void test_bag_ops(void)
{
    long k;
    int bad;
    st_bag *bag, *snap;

    /* st_bag_new. */
    for (k = 1, bad = 0; k < MAX_STEPS; k++) {
        arm(k);
        bag = st_bag_new();
        if (step("bag_new", k, bag == NULL, &bad))
            break;
    }
    ok(bad == 0, "bag_new: %d bad steps\n", bad);
    st_bag_free(bag);

    /* Setting into a bag that must grow; MV strings; strn with bad UTF-8. */
    bag = rich_bag(2);                  /* 8 values: the next one grows the array */
    snap = st_bag_dup(bag);
    for (k = 1, bad = 0; k < MAX_STEPS; k++) {
        st_value v = st_view_mv_str(PROP_TAG(PT_MV_UNICODE, 0x9000), words, 4);
        int r;
        arm(k);
        r = st_bag_set(bag, &v);
        if (step("bag_set mv", k, r != 0, &bad))
            break;
        if (!tpu_bags_equal(bag, snap))
            bad++;
    }
    ok(bad == 0, "bag_set mv: %d bad steps\n", bad);
    ok(st_bag_count(bag) == 9, "set took effect\n");
    for (k = 1, bad = 0; k < MAX_STEPS; k++) {
        int r;
        st_bag_free(snap);
        snap = st_bag_dup(bag);
        arm(k);
        r = st_bag_set_strn(bag, PR_SUBJECT_W, "neu\xC3", 4);   /* replaces */
        if (step("bag_set_strn", k, r != 0, &bad))
            break;
        if (!tpu_bags_equal(bag, snap))
            bad++;
    }
    ok(bad == 0, "bag_set_strn: %d bad steps\n", bad);
    ok(!strcmp(st_bag_get(bag, PR_SUBJECT_W)->v.str, "neu\xEF\xBF\xBD"), "replaced\n");
    st_bag_free(snap);

    /* st_bag_dup. */
    for (k = 1, bad = 0; k < MAX_STEPS; k++) {
        st_bag *d;
        arm(k);
        d = st_bag_dup(bag);
        if (step("bag_dup", k, d == NULL, &bad)) {
            ok(d && tpu_bags_equal(d, bag), "dup equal\n");
            st_bag_free(d);
            break;
        }
    }
    ok(bad == 0, "bag_dup: %d bad steps\n", bad);

    /* st_bag_copy_to: all or nothing. */
    {
        st_bag *src = rich_bag(20);
        uint32_t excl[] = { PROP_TAG(PT_LONG, 0x7003) };
        st_bag_set_str(src, PR_SUBJECT_W, "aus src");
        snap = st_bag_dup(bag);
        for (k = 1, bad = 0; k < MAX_STEPS; k++) {
            int r;
            arm(k);
            r = st_bag_copy_to(bag, src, excl, 1, 0);
            if (step("bag_copy_to", k, r != 0, &bad))
                break;
            if (!tpu_bags_equal(bag, snap))
                bad++;
        }
        ok(bad == 0, "bag_copy_to: %d bad steps\n", bad);
        ok(st_bag_count(bag) == 9 + 17, "copied: %zu\n", st_bag_count(bag));
        ok(!strcmp(st_bag_get(bag, PR_SUBJECT_W)->v.str, "aus src"), "replaced\n");
        st_bag_free(snap);
        st_bag_free(src);
    }
    st_bag_free(bag);
}

static void test_value_ops(void)
{
    long k;
    int bad;
    st_value v, c;
    st_propname pn = { guid, ST_MNID_STRING, 0, (char *)"urn:schemas:x" }, pc;

    v = (st_value){ .tag = BINS };
    v.v.mv.n = 3;
    v.v.mv.bin = bins;
    for (k = 1, bad = 0; k < MAX_STEPS; k++) {
        int r;
        arm(k);
        r = st_value_copy(&c, &v);
        if (step("value_copy", k, r != 0, &bad))
            break;
        if (c.tag != 0 || c.v.mv.any != NULL)
            bad++;                      /* a failed copy is empty */
    }
    ok(bad == 0, "value_copy: %d bad steps\n", bad);
    ok(st_value_compare(&c, &v, 0) == 0, "copied\n");
    st_value_clear(&c);

    for (k = 1, bad = 0; k < MAX_STEPS; k++) {
        int r;
        arm(k);
        r = st_propname_copy(&pc, &pn);
        if (step("propname_copy", k, r != 0, &bad))
            break;
    }
    ok(bad == 0, "propname_copy: %d bad steps\n", bad);
    ok(st_propname_compare(&pc, &pn) == 0, "propname copied\n");
    st_propname_clear(&pc);

    for (k = 1, bad = 0; k < MAX_STEPS; k++) {
        st_sortset *s, *c2 = NULL;
        arm(k);
        s = st_sortset_new(3);
        if (s) {
            s->orders[2].tag = PR_SUBJECT_W;
            c2 = st_sortset_copy(s);
        }
        if (step("sortset", k, !s || !c2, &bad)) {
            ok(c2 && c2->orders[2].tag == PR_SUBJECT_W, "sortset copied\n");
            st_sortset_free(s);
            st_sortset_free(c2);
            break;
        }
        st_sortset_free(s);
        st_sortset_free(c2);
    }
    ok(bad == 0, "sortset: %d bad steps\n", bad);
}

static st_restriction *build(void)
{
    st_value subj = st_view_str(PR_SUBJECT_W, "betr");
    st_value kw = st_view_str(PROP_TAG(PT_UNICODE, 0x8001), "fünf");
    st_value note = st_view_str(PROP_TAG(PT_UNICODE, 0x6001), "Notiz");
    st_value mv = st_view_mv_str(KEYWORDS, words, 4);
    return st_res_or(3,
        st_res_and(3, st_res_exist(PR_SUBJECT_W),
                   st_res_content(FL_SUBSTRING | FL_IGNORECASE, PR_SUBJECT_W, &subj),
                   st_res_not(st_res_property(RELOP_EQ, KEYWORDS, &kw))),
        st_res_comment(&note, 1,
            st_res_sub(PR_RECIPIENTS, st_res_bitmask(BMR_NEZ, PROP_TAG(PT_LONG, 0x0C15), 1))),
        st_res_and(2, st_res_property(RELOP_NE, KEYWORDS, &mv),
                   st_res_size(RELOP_GT, PR_ENTRYID, 2)));
}

static void test_restriction_ops(void)
{
    long k;
    int bad;
    st_restriction *r = NULL, *c;
    st_bag *bag = rich_bag(0);

    for (k = 1, bad = 0; k < MAX_STEPS; k++) {
        arm(k);
        r = build();
        if (step("res build", k, r == NULL, &bad))
            break;
    }
    ok(bad == 0, "res build: %d bad steps\n", bad);
    ok(r && st_res_check(r) == 0, "built\n");

    for (k = 1, bad = 0; k < MAX_STEPS; k++) {
        arm(k);
        c = st_res_copy(r);
        if (step("res copy", k, c == NULL, &bad)) {
            ok(c && st_res_eval(c, bag, NULL) == st_res_eval(r, bag, NULL), "copy evaluates alike\n");
            st_res_free(c);
            break;
        }
    }
    ok(bad == 0, "res copy: %d bad steps\n", bad);

    /* Evaluation allocates nothing. */
    arm(1);
    ok(st_res_eval(r, bag, NULL) == 1, "eval\n");
    ok(!fired(), "eval allocated\n");
    st_res_free(r);
    st_bag_free(bag);
}

int main(void)
{
    test_bag_ops();
    test_value_ops();
    test_restriction_ops();
    return test_done();
}
