/*
 * test_props_bag.c: property bags: set, get with the type rules, replace,
 * delete, listing order, CopyTo with exclusions, dup, refused input.
 */
#include <string.h>

#include "storage/props.h"
#include "test_props_util.h"
#include "testutil.h"

#define PR_SUBJECT_W PROP_TAG(PT_UNICODE, 0x0037)
#define PR_SUBJECT_A PROP_TAG(PT_STRING8, 0x0037)
#define PR_SUBJECT_X PROP_TAG(PT_UNSPECIFIED, 0x0037)
#define PR_MESSAGE_SIZE PROP_TAG(PT_LONG, 0x0E08)
#define PR_MESSAGE_FLAGS PROP_TAG(PT_LONG, 0x0E07)
#define PR_HASATTACH PROP_TAG(PT_BOOLEAN, 0x0E1B)
#define PR_ENTRYID PROP_TAG(PT_BINARY, 0x0FFF)
#define PR_DELIVERY_TIME PROP_TAG(PT_SYSTIME, 0x0E06)
#define PR_SIZE_EXT PROP_TAG(PT_I8, 0x0E08)
#define KEYWORDS PROP_TAG(PT_MV_UNICODE, 0x8001)
#define KEYWORDS_A PROP_TAG(PT_MV_STRING8, 0x8001)

static const st_guid guid_a = {0x00020329, 0x0000, 0x0000, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};

static void test_set_get(void)
{
    st_bag *bag = st_bag_new();
    const st_value *v;
    uint8_t eid[] = {0, 0, 0, 0, 0xAA, 0xBB};
    const char *kw[] = {"Rot", "Blau"};
    st_value mv = st_view_mv_str(KEYWORDS, kw, 2);

    ok(bag && st_bag_count(bag) == 0 && st_bag_at(bag, 0) == NULL, "new bag\n");
    ok(st_bag_set_str(bag, PR_SUBJECT_W, "Hallo") == 0, "set str\n");
    ok(st_bag_set_long(bag, PR_MESSAGE_FLAGS, 3) == 0, "set long\n");
    ok(st_bag_set_bool(bag, PR_HASATTACH, 5) == 0, "set bool\n");
    ok(st_bag_set_bin(bag, PR_ENTRYID, eid, sizeof eid) == 0, "set bin\n");
    ok(st_bag_set_systime(bag, PR_DELIVERY_TIME, 133000000000000000ULL) == 0, "set systime\n");
    ok(st_bag_set_double(bag, PROP_TAG(PT_DOUBLE, 0x6601), 1.5) == 0, "set double\n");
    ok(st_bag_set_double(bag, PROP_TAG(PT_APPTIME, 0x6602), 2.5) == 0, "set apptime\n");
    ok(st_bag_set_i8(bag, PROP_TAG(PT_CURRENCY, 0x6603), 10000) == 0, "set currency\n");
    ok(st_bag_set_guid(bag, PROP_TAG(PT_CLSID, 0x6604), &guid_a) == 0, "set guid\n");
    ok(st_bag_set(bag, &mv) == 0, "set mv\n");
    ok(st_bag_count(bag) == 10, "count %zu\n", st_bag_count(bag));

    v = st_bag_get(bag, PR_SUBJECT_W);
    ok(v && v->tag == PR_SUBJECT_W && !strcmp(v->v.str, "Hallo"), "get str\n");
    ok(st_bag_get(bag, PR_SUBJECT_A) == v, "PT_STRING8 finds PT_UNICODE\n");
    ok(st_bag_get(bag, PR_SUBJECT_X) == v, "PT_UNSPECIFIED finds it\n");
    ok(st_bag_get(bag, PROP_TAG(PT_LONG, 0x0037)) == NULL, "wrong type: not found\n");
    v = st_bag_get(bag, PR_HASATTACH);
    ok(v && v->v.b == 1, "bool stored as 1\n");
    v = st_bag_get(bag, PR_ENTRYID);
    ok(v && v->v.bin.len == 6 && v->v.bin.data != eid && !memcmp(v->v.bin.data, eid, 6), "bin\n");
    v = st_bag_get(bag, PROP_TAG(PT_APPTIME, 0x6602));
    ok(v && v->v.at == 2.5, "apptime\n");
    v = st_bag_get(bag, PROP_TAG(PT_CURRENCY, 0x6603));
    ok(v && v->v.cur == 10000, "currency\n");
    v = st_bag_get(bag, PROP_TAG(PT_CLSID, 0x6604));
    ok(v && v->v.guid != &guid_a && st_guid_compare(v->v.guid, &guid_a) == 0, "guid\n");

    /* Multi-valued: MV types, STRING8/UNICODE, MV_INSTANCE, not the base type. */
    v = st_bag_get(bag, KEYWORDS);
    ok(v && v->v.mv.n == 2 && !strcmp(v->v.mv.str[1], "Blau"), "mv get\n");
    ok(st_bag_get(bag, KEYWORDS_A) == v, "MV STRING8 finds MV UNICODE\n");
    ok(st_bag_get(bag, MVI_PROP(KEYWORDS)) == v, "MVI finds the MV value\n");
    ok(st_bag_get(bag, PROP_TAG(PT_UNICODE, 0x8001)) == NULL, "base type does not find MV\n");
    /* An instance row holds a single value (it replaces the MV value: same id):
     * MVI finds it, the MV tag does not. */
    ok(st_bag_set_str(bag, PROP_TAG(PT_UNICODE, 0x8001), "Rot") == 0, "instance\n");
    ok(st_bag_get(bag, MVI_PROP(KEYWORDS)) != NULL, "MVI finds the instance value\n");
    ok(st_bag_get(bag, KEYWORDS) == NULL, "MV tag does not find a single value\n");

    /* Replace keeps one value per id, also across types. */
    ok(st_bag_set_str(bag, PR_SUBJECT_A, "Zweiter") == 0, "replace\n");
    v = st_bag_get(bag, PR_SUBJECT_W);
    ok(v && v->tag == PR_SUBJECT_A && !strcmp(v->v.str, "Zweiter"), "replaced, tag kept as given\n");
    ok(st_bag_set_long(bag, PROP_TAG(PT_LONG, 0x0037), 7) == 0, "replace with other type\n");
    ok(st_bag_get(bag, PR_SUBJECT_W) == NULL && st_bag_get(bag, PROP_TAG(PT_LONG, 0x0037)),
       "type replaced\n");
    ok(st_bag_count(bag) == 10, "count %zu\n", st_bag_count(bag));

    /* Delete. */
    ok(st_bag_delete(bag, PROP_TAG(PT_UNICODE, 0x0037)) == ST_ENOTFOUND, "delete wrong type\n");
    ok(st_bag_delete(bag, PROP_TAG(PT_UNSPECIFIED, 0x0037)) == 0, "delete\n");
    ok(st_bag_delete(bag, PROP_TAG(PT_UNSPECIFIED, 0x0037)) == ST_ENOTFOUND, "deleted twice\n");
    ok(st_bag_count(bag) == 9 && st_bag_get(bag, PR_SUBJECT_X) == NULL, "gone\n");
    ok(st_bag_delete(bag, PROP_TAG(PT_LONG, 0x7777)) == ST_ENOTFOUND, "delete missing\n");
    st_bag_free(bag);
    st_bag_free(NULL);
}

static void test_refused(void)
{
    st_bag *bag = st_bag_new();
    st_value v;

    v = (st_value){ .tag = PROP_TAG(PT_UNSPECIFIED, 0x6000) };
    ok(st_bag_set(bag, &v) == -1, "PT_UNSPECIFIED\n");
    v = (st_value){ .tag = PROP_TAG(PT_NULL, 0x6000) };
    ok(st_bag_set(bag, &v) == -1, "PT_NULL\n");
    v = (st_value){ .tag = PROP_TAG(PT_MV_LONG | MV_INSTANCE, 0x6000) };
    ok(st_bag_set(bag, &v) == -1, "MV_INSTANCE\n");
    v = st_view_long(PROP_TAG(PT_LONG, PROP_ID_NULL), 1);
    ok(st_bag_set(bag, &v) == -1, "id 0\n");
    v = st_view_long(PROP_TAG(PT_LONG, PROP_ID_INVALID), 1);
    ok(st_bag_set(bag, &v) == -1, "id 0xFFFF\n");
    v = (st_value){ .tag = PROP_TAG(0x0999, 0x6000) };
    ok(st_bag_set(bag, &v) == -1, "invalid type\n");
    v = st_view_bin(PR_ENTRYID, NULL, 4);
    ok(st_bag_set(bag, &v) == -1, "binary without data\n");
    ok(st_bag_set_long(bag, PR_SUBJECT_W, 1) == -1, "set_long on a string\n");
    ok(st_bag_set_str(bag, PR_MESSAGE_SIZE, "x") == -1, "set_str on a long\n");
    ok(st_bag_set_bool(bag, PR_MESSAGE_SIZE, 1) == -1, "set_bool on a long\n");
    ok(st_bag_set_double(bag, PR_MESSAGE_SIZE, 1) == -1, "set_double on a long\n");
    ok(st_bag_set_i8(bag, PR_MESSAGE_SIZE, 1) == -1, "set_i8 on a long\n");
    ok(st_bag_set_systime(bag, PR_MESSAGE_SIZE, 1) == -1, "set_systime on a long\n");
    ok(st_bag_set_bin(bag, PR_MESSAGE_SIZE, "x", 1) == -1, "set_bin on a long\n");
    ok(st_bag_set_guid(bag, PR_MESSAGE_SIZE, &guid_a) == -1, "set_guid on a long\n");
    ok(st_bag_set_str(bag, PROP_TAG(PT_UNICODE, 0), "x") == -1, "set_str on id 0\n");
    ok(st_bag_count(bag) == 0, "nothing stored\n");
    st_bag_free(bag);
}

static void test_strings(void)
{
    st_bag *bag = st_bag_new();
    const st_value *v;

    ok(st_bag_set_strn(bag, PR_SUBJECT_W, "abc\0def", 7) == 0, "strn\n");
    v = st_bag_get(bag, PR_SUBJECT_W);
    ok(v && !strcmp(v->v.str, "abc"), "cut at NUL: %s\n", v ? v->v.str : "-");
    ok(st_bag_set_strn(bag, PR_SUBJECT_W, "Gr\xC3\xBC\xC3", 5) == 0, "strn invalid tail\n");
    v = st_bag_get(bag, PR_SUBJECT_W);
    ok(v && !strcmp(v->v.str, "Gr\xC3\xBC\xEF\xBF\xBD"), "truncated sequence: %s\n", v->v.str);
    ok(st_bag_set_strn(bag, PR_SUBJECT_W, "Gr\xC3\xBC\xC3\xA9", 5) == 0, "strn mid-char\n");
    v = st_bag_get(bag, PR_SUBJECT_W);
    ok(v && !strcmp(v->v.str, "Gr\xC3\xBC\xEF\xBF\xBD"), "cut in a character: %s\n", v->v.str);
    ok(st_bag_set_str(bag, PR_SUBJECT_W, NULL) == 0, "NULL string\n");
    v = st_bag_get(bag, PR_SUBJECT_W);
    ok(v && !strcmp(v->v.str, ""), "NULL is empty\n");
    ok(st_bag_set_strn(bag, PR_SUBJECT_A, NULL, 10) == 0, "NULL strn\n");
    st_bag_free(bag);
}

/* st_bag_take_strn: valid text kept without a copy, the rest as set_strn. */
static char *heap(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    memcpy(p, s, len);
    p[len] = 'x';   /* no NUL yet: take_strn puts it */
    return p;
}

static void test_take(void)
{
    st_bag *bag = st_bag_new();
    char *p = heap("Gr\xC3\xBC\xC3\x9F" "e", 7);
    ok(st_bag_take_strn(bag, PR_SUBJECT_W, p, 7) == 0, "take\n");
    const st_value *v = st_bag_get(bag, PR_SUBJECT_W);
    ok(v && v->v.str == p && strcmp(v->v.str, "Gr\xC3\xBC\xC3\x9F" "e") == 0, "taken as it is\n");
    ok(st_bag_take_strn(bag, PR_SUBJECT_W, heap("ab\xC3", 3), 3) == 0, "take invalid\n");
    v = st_bag_get(bag, PR_SUBJECT_W);
    ok(v && strcmp(v->v.str, "ab\xEF\xBF\xBD") == 0, "repaired: %s\n", v ? v->v.str : "");
    ok(st_bag_take_strn(bag, PR_SUBJECT_W, heap("abc\0def", 7), 7) == 0, "take with NUL\n");
    v = st_bag_get(bag, PR_SUBJECT_W);
    ok(v && strcmp(v->v.str, "abc") == 0, "cut at the NUL\n");
    ok(st_bag_take_strn(bag, PR_MESSAGE_FLAGS, heap("x", 1), 1) == -1, "wrong type refused\n");
    ok(st_bag_count(bag) == 1, "one value\n");
    st_bag_free(bag);
}

static void test_order(void)
{
    st_bag *bag = st_bag_new();
    uint32_t id, k, prev = 0;
    int sorted = 1, found = 1;

    /* 997 ids in a scrambled order (997 is prime, 331 a unit mod 997). */
    for (k = 0; k < 997; k++) {
        id = 0x1000 + (k * 331) % 997;
        if (st_bag_set_long(bag, PROP_TAG(PT_LONG, id), (int32_t)id) < 0)
            found = 0;
    }
    ok(found && st_bag_count(bag) == 997, "count %zu\n", st_bag_count(bag));
    for (k = 0; k < st_bag_count(bag); k++) {
        const st_value *v = st_bag_at(bag, k);
        if (PROP_ID(v->tag) <= prev || v->v.l != (int32_t)PROP_ID(v->tag))
            sorted = 0;
        prev = PROP_ID(v->tag);
    }
    ok(sorted, "listing is in ascending id order\n");
    for (id = 0x1000; id < 0x1000 + 997; id++) {
        const st_value *v = st_bag_get(bag, PROP_TAG(PT_LONG, id));
        if (!v || v->v.l != (int32_t)id)
            found = 0;
    }
    ok(found, "every id found\n");
    /* Delete every other id, the rest stays in order and findable. */
    for (id = 0x1000; id < 0x1000 + 997; id += 2)
        st_bag_delete(bag, PROP_TAG(PT_UNSPECIFIED, id));
    ok(st_bag_count(bag) == 498, "after deletes %zu\n", st_bag_count(bag));
    ok(st_bag_get(bag, PROP_TAG(PT_LONG, 0x1001)) && !st_bag_get(bag, PROP_TAG(PT_LONG, 0x1002)),
       "deletes hit the right ids\n");
    st_bag_free(bag);
}

static void test_copy_to(void)
{
    st_bag *src = st_bag_new(), *dst = st_bag_new(), *dup;
    uint32_t exclude[] = { PROP_TAG(PT_UNSPECIFIED, 0x0E07), PROP_TAG(PT_BINARY, 0x0FFF) };
    const st_value *v;

    st_bag_set_str(src, PR_SUBJECT_W, "from src");
    st_bag_set_long(src, PR_MESSAGE_FLAGS, 1);          /* excluded by id */
    st_bag_set_bin(src, PR_ENTRYID, "eid", 3);          /* excluded */
    st_bag_set_long(src, PR_MESSAGE_SIZE, 100);
    st_bag_set_long(src, PROP_TAG(PT_LONG, 0x9000), 9);

    st_bag_set_str(dst, PR_SUBJECT_W, "from dst");
    st_bag_set_long(dst, PR_MESSAGE_FLAGS, 2);
    st_bag_set_long(dst, PROP_TAG(PT_LONG, 0x0001), 1);

    dup = st_bag_dup(dst);
    ok(st_bag_copy_to(dst, src, exclude, 2, ST_COPY_NOREPLACE) == 0, "copy noreplace\n");
    v = st_bag_get(dst, PR_SUBJECT_W);
    ok(v && !strcmp(v->v.str, "from dst"), "noreplace kept dst\n");
    ok(st_bag_get(dst, PR_MESSAGE_SIZE)->v.l == 100, "new value copied\n");
    ok(st_bag_get(dst, PR_ENTRYID) == NULL, "excluded not copied\n");
    ok(st_bag_get(dst, PR_MESSAGE_FLAGS)->v.l == 2, "excluded left alone\n");
    ok(st_bag_count(dst) == 5, "count %zu\n", st_bag_count(dst));

    ok(st_bag_copy_to(dup, src, exclude, 2, 0) == 0, "copy replace\n");
    v = st_bag_get(dup, PR_SUBJECT_W);
    ok(v && !strcmp(v->v.str, "from src"), "replaced\n");
    ok(st_bag_get(dup, PR_MESSAGE_FLAGS)->v.l == 2 && !st_bag_get(dup, PR_ENTRYID), "exclusions\n");
    ok(st_bag_count(dup) == 5, "count %zu\n", st_bag_count(dup));

    ok(st_bag_copy_to(src, src, NULL, 0, 0) == 0 && st_bag_count(src) == 5, "copy to itself\n");
    st_bag_free(dup);
    dup = st_bag_new();
    ok(st_bag_copy_to(dup, src, NULL, 0, 0) == 0 && tpu_bags_equal(dup, src), "copy all\n");
    ok(st_bag_copy_to(dup, src, NULL, 0, 0) == 0 && tpu_bags_equal(dup, src), "copy again\n");
    ok(st_bag_copy_to(dst, dup, NULL, 0, ST_COPY_NOREPLACE) == 0 && st_bag_count(dst) == 6,
       "noreplace adds only the missing id: %zu\n", st_bag_count(dst));
    st_bag_free(dup);

    /* dup is deep and independent. */
    dup = st_bag_dup(src);
    ok(dup && tpu_bags_equal(dup, src), "dup equal\n");
    st_bag_set_str(dup, PR_SUBJECT_W, "changed");
    v = st_bag_get(src, PR_SUBJECT_W);
    ok(!strcmp(v->v.str, "from src"), "dup independent\n");
    st_bag_free(dup);
    st_bag_free(src);
    st_bag_free(dst);
}

int main(void)
{
    test_set_get();
    test_refused();
    test_strings();
    test_take();
    test_order();
    test_copy_to();
    return test_done();
}
