/*
 * test_props_value.c: property values of every type, single and multi-valued:
 * copy, clear, compare, size; GUIDs; named-property names; type validity.
 */
#include <math.h>
#include <string.h>

#include "storage/props.h"
#include "testutil.h"

#define TAG(type, id) PROP_TAG((type), (id))

static const st_guid guid_a = {0x00020329, 0x0000, 0x0000, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
static const st_guid guid_b = {0x00062008, 0x0000, 0x0000, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};

static int is_empty(const st_value *v)
{
    static const st_value zero;
    return memcmp(v, &zero, sizeof zero) == 0;
}

/* Copy v, check the copy equals it and owns new memory, clear it. */
static void roundtrip(const st_value *v, const char *what)
{
    st_value c;
    ok(st_value_copy(&c, v) == 0, "%s: copy failed\n", what);
    ok(c.tag == v->tag, "%s: tag %#x\n", what, c.tag);
    ok(st_value_compare(&c, v, 0) == 0, "%s: copy differs\n", what);
    ok(st_value_compare(v, &c, 0) == 0, "%s: copy differs (reversed)\n", what);
    st_value_clear(&c);
    ok(is_empty(&c), "%s: clear left data\n", what);
    st_value_clear(&c);                 /* clearing twice is fine */
}

static void test_single_types(void)
{
    st_value v;
    uint8_t bytes[] = {1, 2, 3, 0, 5};

    v = (st_value){ .tag = TAG(PT_I2, 0x6601) }; v.v.i = -12;
    roundtrip(&v, "PT_I2");
    v = st_view_long(TAG(PT_LONG, 0x0E08), 123456);
    roundtrip(&v, "PT_LONG");
    v = (st_value){ .tag = TAG(PT_R4, 0x6602) }; v.v.flt = 1.5f;
    roundtrip(&v, "PT_R4");
    v = st_view_double(TAG(PT_DOUBLE, 0x6603), -2.25);
    roundtrip(&v, "PT_DOUBLE");
    v = (st_value){ .tag = TAG(PT_CURRENCY, 0x6604) }; v.v.cur = 123450000;
    roundtrip(&v, "PT_CURRENCY");
    v = (st_value){ .tag = TAG(PT_APPTIME, 0x6605) }; v.v.at = 45000.5;
    roundtrip(&v, "PT_APPTIME");
    v = (st_value){ .tag = TAG(PT_ERROR, 0x6606) }; v.v.err = (int32_t)0x8004010F;
    roundtrip(&v, "PT_ERROR");
    v = st_view_bool(TAG(PT_BOOLEAN, 0x0E1B), 1);
    roundtrip(&v, "PT_BOOLEAN");
    v = (st_value){ .tag = TAG(PT_OBJECT, 0x3701) };
    roundtrip(&v, "PT_OBJECT");
    v = (st_value){ .tag = TAG(PT_NULL, 0x6607) };
    roundtrip(&v, "PT_NULL");
    v = st_view_i8(TAG(PT_I8, 0x0E20), -((int64_t)1 << 40));
    roundtrip(&v, "PT_I8");
    v = st_view_systime(TAG(PT_SYSTIME, 0x0E06), 133000000000000000ULL);
    roundtrip(&v, "PT_SYSTIME");
    v = st_view_str(TAG(PT_UNICODE, 0x0037), "Grüße");
    roundtrip(&v, "PT_UNICODE");
    v = st_view_str(TAG(PT_STRING8, 0x001A), "IPM.Note");
    roundtrip(&v, "PT_STRING8");
    v = st_view_guid(TAG(PT_CLSID, 0x6608), &guid_a);
    roundtrip(&v, "PT_CLSID");
    v = st_view_bin(TAG(PT_BINARY, 0x0FFF), bytes, sizeof bytes);
    roundtrip(&v, "PT_BINARY");
    v = st_view_bin(TAG(PT_BINARY, 0x0FFF), NULL, 0);
    roundtrip(&v, "PT_BINARY empty");
    v = st_view_bin(TAG(PT_SVREID, 0x0FF0), bytes, 3);
    roundtrip(&v, "PT_SVREID");
    v = st_view_bin(TAG(PT_SRESTRICT, 0x0E10), bytes, 4);
    roundtrip(&v, "PT_SRESTRICT");
    v = st_view_bin(TAG(PT_ACTIONS, 0x0E11), bytes, 5);
    roundtrip(&v, "PT_ACTIONS");
}

static void test_copy_checks(void)
{
    st_value v, c = { 0 };

    /* Booleans become 0/1. */
    v = (st_value){ .tag = TAG(PT_BOOLEAN, 0x0E1B) }; v.v.b = 42;
    ok(st_value_copy(&c, &v) == 0 && c.v.b == 1, "bool not normalised: %d\n", c.v.b);

    /* A NULL string copies as "". */
    v = st_view_str(TAG(PT_UNICODE, 0x0037), NULL);
    ok(st_value_copy(&c, &v) == 0 && c.v.str && !strcmp(c.v.str, ""), "NULL string\n");
    st_value_clear(&c);

    /* Invalid UTF-8 becomes U+FFFD, per maximal subpart. */
    v = st_view_str(TAG(PT_UNICODE, 0x0037), "a\xC3(b\xE2\x82\xF0\x9F\x98\x80\xFF");
    ok(st_value_copy(&c, &v) == 0, "copy failed\n");
    ok(!strcmp(c.v.str, "a\xEF\xBF\xBD(b\xEF\xBF\xBD\xF0\x9F\x98\x80\xEF\xBF\xBD"),
       "sanitised to %s\n", c.v.str);
    st_value_clear(&c);
    v = st_view_str(TAG(PT_STRING8, 0x001A), "\xC0\xAF\xED\xA0\x80");
    ok(st_value_copy(&c, &v) == 0, "copy failed\n");
    ok(!strcmp(c.v.str, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"),
       "overlong and surrogate: %s\n", c.v.str);
    st_value_clear(&c);

    /* Refused: invalid types, missing data. */
    memset(&c, 0x55, sizeof c);
    v = (st_value){ .tag = TAG(0x0099, 0x6600) };
    ok(st_value_copy(&c, &v) == -1 && is_empty(&c), "invalid type accepted\n");
    v = (st_value){ .tag = TAG(PT_UNSPECIFIED, 0x6600) };
    ok(st_value_copy(&c, &v) == -1, "PT_UNSPECIFIED accepted\n");
    v = (st_value){ .tag = TAG(PT_MV_LONG | MV_INSTANCE, 0x6600) };
    ok(st_value_copy(&c, &v) == -1, "MV_INSTANCE type accepted\n");
    v = (st_value){ .tag = TAG(MV_FLAG | PT_BOOLEAN, 0x6600) };
    ok(st_value_copy(&c, &v) == -1, "PT_MV_BOOLEAN accepted\n");
    v = st_view_bin(TAG(PT_BINARY, 0x0FFF), NULL, 3);
    ok(st_value_copy(&c, &v) == -1 && is_empty(&c), "binary without data accepted\n");
    v = st_view_guid(TAG(PT_CLSID, 0x6608), NULL);
    ok(st_value_copy(&c, &v) == -1, "CLSID without GUID accepted\n");
    v = (st_value){ .tag = TAG(PT_MV_LONG, 0x6600) }; v.v.mv.n = 2;
    ok(st_value_copy(&c, &v) == -1, "MV without array accepted\n");
    st_value_clear(NULL);
}

static void test_mv_types(void)
{
    int16_t i2[] = {3, -1, 7};
    int32_t l[] = {1, 2, 3};
    float f[] = {1.0f, 0.5f, -3.0f};
    double d[] = {1e10, -0.0, 2.5};
    int64_t cur[] = {10000, 20000, -1};
    double at[] = {1.0, 2.0, 3.0};
    int64_t li[] = {INT64_MIN, 0, INT64_MAX};
    uint64_t ft[] = {0, 1, UINT64_MAX};
    const char *str[] = {"Rot", "Grün", "\xFF"};
    st_guid guids[] = {guid_a, guid_b};
    uint8_t b1[] = {1, 2}, b2[] = {9};
    st_bin bins[] = {{2, b1}, {0, NULL}, {1, b2}};
    struct { uint32_t type; void *arr; uint32_t n; const char *name; } cases[] = {
        {PT_MV_I2, i2, 3, "PT_MV_I2"},
        {PT_MV_LONG, l, 3, "PT_MV_LONG"},
        {PT_MV_R4, f, 3, "PT_MV_R4"},
        {PT_MV_DOUBLE, d, 3, "PT_MV_DOUBLE"},
        {PT_MV_CURRENCY, cur, 3, "PT_MV_CURRENCY"},
        {PT_MV_APPTIME, at, 3, "PT_MV_APPTIME"},
        {PT_MV_I8, li, 3, "PT_MV_I8"},
        {PT_MV_SYSTIME, ft, 3, "PT_MV_SYSTIME"},
        {PT_MV_UNICODE, str, 3, "PT_MV_UNICODE"},
        {PT_MV_STRING8, str, 3, "PT_MV_STRING8"},
        {PT_MV_CLSID, guids, 2, "PT_MV_CLSID"},
        {PT_MV_BINARY, bins, 3, "PT_MV_BINARY"},
    };
    size_t k;

    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        st_value v = { .tag = TAG(cases[k].type, 0x8001) }, c, shorter;
        v.v.mv.n = cases[k].n;
        v.v.mv.any = cases[k].arr;
        ok(st_proptype_valid(cases[k].type), "%s not valid\n", cases[k].name);
        if (cases[k].type != PT_MV_UNICODE && cases[k].type != PT_MV_STRING8)
            roundtrip(&v, cases[k].name);
        ok(st_value_copy(&c, &v) == 0, "%s: copy\n", cases[k].name);
        ok(c.v.mv.n == cases[k].n && c.v.mv.any != cases[k].arr, "%s: deep\n", cases[k].name);
        /* A prefix sorts first. */
        shorter = v;
        shorter.v.mv.n = cases[k].n - 1;
        ok(st_value_compare(&shorter, &c, 0) < 0, "%s: prefix not first\n", cases[k].name);
        ok(st_value_compare(&c, &shorter, 0) > 0, "%s: prefix not first\n", cases[k].name);
        /* Empty multi-valued values are fine. */
        shorter.v.mv.n = 0;
        shorter.v.mv.any = NULL;
        roundtrip(&shorter, "empty MV");
        ok(st_value_size(&shorter) == 0, "%s: empty size\n", cases[k].name);
        st_value_clear(&c);
    }

    /* MV strings are sanitised element by element. */
    {
        st_value v = st_view_mv_str(TAG(PT_MV_UNICODE, 0x8002), str, 3), c;
        ok(st_value_copy(&c, &v) == 0, "copy\n");
        ok(!strcmp(c.v.mv.str[0], "Rot") && !strcmp(c.v.mv.str[1], "Grün") &&
           !strcmp(c.v.mv.str[2], "\xEF\xBF\xBD"), "MV strings: %s %s %s\n",
           c.v.mv.str[0], c.v.mv.str[1], c.v.mv.str[2]);
        ok(st_value_size(&c) == 2 * (4 + 5 + 2), "MV string size %llu\n",
           (unsigned long long)st_value_size(&c));
        st_value_clear(&c);
    }
    /* MV sizes: sum of the element sizes. */
    {
        st_value v = { .tag = TAG(PT_MV_LONG, 0x8003) };
        v.v.mv.n = 3;
        v.v.mv.l = l;
        ok(st_value_size(&v) == 12, "PT_MV_LONG size\n");
        v.tag = TAG(PT_MV_BINARY, 0x8003);
        v.v.mv.bin = bins;
        ok(st_value_size(&v) == 3, "PT_MV_BINARY size\n");
        v.tag = TAG(PT_MV_CLSID, 0x8003);
        v.v.mv.n = 2;
        v.v.mv.guid = guids;
        ok(st_value_size(&v) == 32, "PT_MV_CLSID size\n");
    }
}

static void test_compare(void)
{
    st_value a, b;
    uint8_t x[] = {1, 2, 3}, y[] = {1, 2, 4}, z[] = {1, 2};

    /* Numbers by value. */
    a = st_view_long(TAG(PT_LONG, 1), -5);
    b = st_view_long(TAG(PT_LONG, 2), 3);
    ok(st_value_compare(&a, &b, 0) < 0 && st_value_compare(&b, &a, 0) > 0, "long order\n");
    a = (st_value){ .tag = TAG(PT_I2, 1) }; a.v.i = -1;
    b = (st_value){ .tag = TAG(PT_I2, 1) }; b.v.i = 1;
    ok(st_value_compare(&a, &b, 0) < 0, "i2 order\n");
    a = st_view_double(TAG(PT_DOUBLE, 1), -0.0);
    b = st_view_double(TAG(PT_DOUBLE, 1), 0.0);
    ok(st_value_compare(&a, &b, 0) == 0, "-0 != 0\n");
    a = st_view_double(TAG(PT_DOUBLE, 1), NAN);
    b = st_view_double(TAG(PT_DOUBLE, 1), INFINITY);
    ok(st_value_compare(&a, &b, 0) > 0 && st_value_compare(&b, &a, 0) < 0, "NaN not last\n");
    b = st_view_double(TAG(PT_DOUBLE, 1), NAN);
    ok(st_value_compare(&a, &b, 0) == 0, "NaN != NaN\n");
    a = (st_value){ .tag = TAG(PT_R4, 1) }; a.v.flt = 0.25f;
    b = (st_value){ .tag = TAG(PT_R4, 1) }; b.v.flt = 0.5f;
    ok(st_value_compare(&a, &b, 0) < 0, "r4 order\n");
    a = st_view_i8(TAG(PT_I8, 1), INT64_MIN);
    b = st_view_i8(TAG(PT_I8, 1), 0);
    ok(st_value_compare(&a, &b, 0) < 0, "i8 order\n");
    a = st_view_systime(TAG(PT_SYSTIME, 1), UINT64_MAX);
    b = st_view_systime(TAG(PT_SYSTIME, 1), 1);
    ok(st_value_compare(&a, &b, 0) > 0, "systime is unsigned\n");
    a = (st_value){ .tag = TAG(PT_CURRENCY, 1) }; a.v.cur = -10000;
    b = (st_value){ .tag = TAG(PT_CURRENCY, 1) }; b.v.cur = 10000;
    ok(st_value_compare(&a, &b, 0) < 0, "currency order\n");
    a = (st_value){ .tag = TAG(PT_ERROR, 1) }; a.v.err = -2;
    b = (st_value){ .tag = TAG(PT_ERROR, 1) }; b.v.err = 0;
    ok(st_value_compare(&a, &b, 0) < 0, "error order\n");
    a = st_view_bool(TAG(PT_BOOLEAN, 1), 0);
    b = (st_value){ .tag = TAG(PT_BOOLEAN, 1) }; b.v.b = 7;
    ok(st_value_compare(&a, &b, 0) < 0, "false < true\n");
    a.v.b = 1;
    ok(st_value_compare(&a, &b, 0) == 0, "true == true\n");

    /* Strings: binary or folded. */
    a = st_view_str(TAG(PT_UNICODE, 1), "apple");
    b = st_view_str(TAG(PT_UNICODE, 1), "Apple");
    ok(st_value_compare(&a, &b, 0) > 0, "binary: 'a' > 'A'\n");
    ok(st_value_compare(&a, &b, FL_IGNORECASE) == 0, "ignorecase equal\n");
    b = st_view_str(TAG(PT_STRING8, 1), "apple");
    ok(st_value_compare(&a, &b, 0) == 0, "PT_STRING8 == PT_UNICODE\n");
    a = st_view_str(TAG(PT_UNICODE, 1), "Ärger");
    b = st_view_str(TAG(PT_UNICODE, 1), "ÄRGER");
    ok(st_value_compare(&a, &b, FL_IGNORECASE) == 0, "Ärger\n");
    a = st_view_str(TAG(PT_UNICODE, 1), "z");
    b = st_view_str(TAG(PT_UNICODE, 1), "é");
    ok(st_value_compare(&a, &b, 0) < 0, "code point order\n");
    ok(st_value_compare(&a, &b, FL_LOOSE) > 0, "loose: é is e\n");

    /* Binaries: memcmp, then shorter first. */
    a = st_view_bin(TAG(PT_BINARY, 1), x, 3);
    b = st_view_bin(TAG(PT_BINARY, 1), y, 3);
    ok(st_value_compare(&a, &b, 0) < 0, "bin memcmp\n");
    b = st_view_bin(TAG(PT_BINARY, 1), z, 2);
    ok(st_value_compare(&a, &b, 0) > 0, "bin prefix first\n");
    b = st_view_bin(TAG(PT_BINARY, 1), NULL, 0);
    ok(st_value_compare(&b, &a, 0) < 0, "empty bin first\n");

    /* GUIDs by wire bytes: data1 is little-endian, so 0x...29 vs 0x...08 compares
     * the low byte first. */
    a = st_view_guid(TAG(PT_CLSID, 1), &guid_a);
    b = st_view_guid(TAG(PT_CLSID, 1), &guid_b);
    ok(st_value_compare(&a, &b, 0) > 0, "guid order (0x29 > 0x08)\n");

    /* Different types order by type. */
    a = st_view_long(TAG(PT_LONG, 1), 1000);
    b = st_view_str(TAG(PT_UNICODE, 1), "");
    ok(st_value_compare(&a, &b, 0) < 0 && st_value_compare(&b, &a, 0) > 0, "type order\n");
    b = (st_value){ .tag = TAG(PT_MV_LONG, 1) };
    ok(st_value_compare(&a, &b, 0) < 0, "single before MV\n");
}

static void test_size(void)
{
    st_value v;
    v = (st_value){ .tag = TAG(PT_I2, 1) };
    ok(st_value_size(&v) == 2, "i2\n");
    v = st_view_long(TAG(PT_LONG, 1), 1);
    ok(st_value_size(&v) == 4, "long\n");
    v = st_view_bool(TAG(PT_BOOLEAN, 1), 1);
    ok(st_value_size(&v) == 2, "bool\n");
    v = st_view_double(TAG(PT_DOUBLE, 1), 1);
    ok(st_value_size(&v) == 8, "double\n");
    v = st_view_systime(TAG(PT_SYSTIME, 1), 1);
    ok(st_value_size(&v) == 8, "systime\n");
    v = st_view_guid(TAG(PT_CLSID, 1), &guid_a);
    ok(st_value_size(&v) == 16, "clsid\n");
    v = st_view_str(TAG(PT_STRING8, 1), "abc");
    ok(st_value_size(&v) == 4, "string8\n");
    v = st_view_str(TAG(PT_UNICODE, 1), "abc");
    ok(st_value_size(&v) == 8, "unicode\n");
    v = st_view_str(TAG(PT_UNICODE, 1), "\xC3\xA9\xF0\x9F\x98\x80");   /* é + U+1F600 */
    ok(st_value_size(&v) == 2 * (1 + 2 + 1), "unicode with surrogate pair: %llu\n",
       (unsigned long long)st_value_size(&v));
    v = st_view_bin(TAG(PT_BINARY, 1), "xyz", 3);
    ok(st_value_size(&v) == 3, "binary\n");
    v = (st_value){ .tag = TAG(PT_OBJECT, 1) };
    ok(st_value_size(&v) == 0, "object\n");
}

static void test_guid(void)
{
    uint8_t bytes[16], expect[16] = {0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                     0xC0, 0, 0, 0, 0, 0, 0, 0x46};
    st_guid g;
    st_guid_to_bytes(bytes, &guid_a);
    ok(!memcmp(bytes, expect, 16), "guid wire bytes\n");
    st_guid_from_bytes(&g, bytes);
    ok(!memcmp(&g, &guid_a, sizeof g) && st_guid_compare(&g, &guid_a) == 0, "guid roundtrip\n");
    ok(sizeof(st_guid) == 16, "st_guid is %u bytes\n", (unsigned)sizeof(st_guid));
    ok(st_guid_compare(&guid_a, &guid_b) > 0 && st_guid_compare(&guid_b, &guid_a) < 0, "guid order\n");
}

static void test_propname(void)
{
    st_propname a = { guid_a, ST_MNID_ID, 0x8501, NULL };
    st_propname b = { guid_a, ST_MNID_STRING, 0, (char *)"Keywords" };
    st_propname c = { guid_a, ST_MNID_STRING, 0, (char *)"keywords" };
    st_propname d = { guid_b, ST_MNID_ID, 0x0001, NULL };
    st_propname copy, bad = { guid_a, 7, 0, NULL };

    ok(st_propname_compare(&a, &a) == 0, "same id\n");
    ok(st_propname_compare(&a, &b) < 0, "ids before strings\n");
    ok(st_propname_compare(&b, &c) < 0 && st_propname_compare(&c, &b) > 0, "case-sensitive\n");
    ok(st_propname_compare(&d, &a) < 0, "guid first\n");
    a.lid = 0x8502;
    ok(st_propname_compare(&a, &(st_propname){ guid_a, ST_MNID_ID, 0x8501, NULL }) > 0, "lid\n");

    ok(st_propname_copy(&copy, &b) == 0, "copy\n");
    ok(copy.name != b.name && st_propname_compare(&copy, &b) == 0, "deep copy\n");
    st_propname_clear(&copy);
    ok(copy.name == NULL && copy.kind == 0, "cleared\n");
    ok(st_propname_copy(&copy, &a) == 0 && copy.name == NULL && copy.lid == 0x8502, "copy id\n");
    ok(st_propname_copy(&copy, &bad) == -1, "bad kind\n");
    b.name = (char *)"x\xFFy";
    ok(st_propname_copy(&copy, &b) == 0 && !strcmp(copy.name, "x\xEF\xBF\xBDy"), "sanitised\n");
    st_propname_clear(&copy);
    st_propname_clear(NULL);
}

static void test_types(void)
{
    uint32_t t;
    unsigned n = 0;
    for (t = 0; t < 0x10000; t++)
        n += (unsigned)st_proptype_valid(t);
    ok(n == 19 + 12, "%u valid types\n", n);
    ok(!st_proptype_valid(PT_UNSPECIFIED) && st_proptype_valid(PT_NULL), "unspecified/null\n");
    ok(!st_proptype_valid(MV_FLAG | PT_BOOLEAN) && !st_proptype_valid(MV_FLAG | PT_OBJECT),
       "no MV boolean/object\n");
    ok(PROP_TAG(PT_LONG, 0x0E08) == 0x0E080003u, "PROP_TAG\n");
    ok(PROP_TYPE(0x0E080003u) == PT_LONG && PROP_ID(0x0E080003u) == 0x0E08, "PROP_TYPE/ID\n");
    ok(CHANGE_PROP_TYPE(0x0037001Fu, PT_STRING8) == 0x0037001Eu, "CHANGE_PROP_TYPE\n");
    ok(MVI_PROP(PROP_TAG(PT_LONG, 0x8000)) == 0x80003003u, "MVI_PROP\n");
    ok(PT_TSTRING == PT_UNICODE && PT_MV_TSTRING == 0x101F, "TSTRING\n");
}

int main(void)
{
    test_single_types();
    test_copy_checks();
    test_mv_types();
    test_compare();
    test_size();
    test_guid();
    test_propname();
    test_types();
    return test_done();
}
