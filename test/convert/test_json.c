/*
 * test_json.c: convert/json_write.c and json_read.c: every property type
 * through JSON and back unchanged, the time form (100 ns kept), escapes,
 * binaries cut to their size, named properties by name, and strict reading:
 * table-driven bad inputs with the byte offset each error must name, depth
 * and size limits.
 * Never: depend on the corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/json.h"
#include "storage/error.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"
#include "testutil.h"

static const st_guid some_guid = { 0x00020307, 0, 0, { 0xC0, 0, 0, 0, 0, 0, 0, 0x46 } };

static void fill_all_types(st_bag *b)
{
    int16_t i2[] = { 1, -2 };
    int32_t l[] = { 7, -8, 2147483647 };
    float f[] = { 0.25f, -1.5f };
    double d[] = { 3.141592653589793, -0.0, 1e300 };
    int64_t cur[] = { 123456, -1 };
    int64_t li[] = { -9223372036854775807LL - 1, 9223372036854775807LL };
    uint64_t ft[] = { 0, 133000000001234567ULL };
    const char *s[] = { "a", "\xC3\xBC\x01\"\\", "" };
    st_guid g[] = { some_guid, some_guid };
    uint8_t bytes[] = { 0, 1, 2, 0xFF };
    st_bin bins[] = { { 4, bytes }, { 0, NULL } };
    st_value v;

    ok(st_bag_set_str(b, PR_SUBJECT_W, "Tab\there \"quoted\" \x7F ctl\x1F \xF0\x9F\x98\x80") == 0, "subject\n");
    ok(st_bag_set_str(b, PR_BODY_A, "line\r\nnext") == 0, "body\n");
    ok(st_bag_set_long(b, PR_IMPORTANCE, -5) == 0, "long\n");
    ok(st_bag_set_bool(b, PR_HASATTACH, 1) == 0, "bool\n");
    ok(st_bag_set_i8(b, PROP_TAG(PT_I8, 0x6701), -42) == 0, "i8\n");
    ok(st_bag_set_i8(b, PROP_TAG(PT_CURRENCY, 0x6702), 99999) == 0, "currency\n");
    ok(st_bag_set_double(b, PROP_TAG(PT_DOUBLE, 0x6703), 0.1) == 0, "double\n");
    ok(st_bag_set_double(b, PROP_TAG(PT_APPTIME, 0x6704), 45000.5) == 0, "apptime\n");
    ok(st_bag_set_systime(b, PR_CLIENT_SUBMIT_TIME, 133000000001234567ULL) == 0, "systime\n");
    ok(st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, 133000000000000000ULL) == 0, "systime\n");
    ok(st_bag_set_bin(b, PR_SEARCH_KEY, bytes, sizeof bytes) == 0, "bin\n");
    ok(st_bag_set_bin(b, PROP_TAG(PT_BINARY, 0x6705), NULL, 0) == 0, "empty bin\n");
    ok(st_bag_set_guid(b, PROP_TAG(PT_CLSID, 0x6706), &some_guid) == 0, "guid\n");
    memset(&v, 0, sizeof v);
    v.tag = PROP_TAG(PT_I2, 0x6707); v.v.i = -300; ok(st_bag_set(b, &v) == 0, "i2\n");
    v.tag = PROP_TAG(PT_R4, 0x6708); v.v.flt = 0.75f; ok(st_bag_set(b, &v) == 0, "r4\n");
    v.tag = PROP_TAG(PT_ERROR, 0x6709); v.v.err = (int32_t)0x8004010F; ok(st_bag_set(b, &v) == 0, "err\n");
#define MV(type, id, field, arr) do { memset(&v, 0, sizeof v); v.tag = PROP_TAG(type, id); \
    v.v.mv.n = sizeof arr / sizeof arr[0]; v.v.mv.field = arr; ok(st_bag_set(b, &v) == 0, #type "\n"); } while (0)
    MV(PT_MV_I2, 0x6710, i, i2);
    MV(PT_MV_LONG, 0x6711, l, l);
    MV(PT_MV_R4, 0x6712, flt, f);
    MV(PT_MV_DOUBLE, 0x6713, dbl, d);
    MV(PT_MV_CURRENCY, 0x6714, cur, cur);
    MV(PT_MV_I8, 0x6715, li, li);
    MV(PT_MV_SYSTIME, 0x6716, ft, ft);
    char **sp = (char **)(uintptr_t)s;
    memset(&v, 0, sizeof v);
    v.tag = PT_MV_UNICODE | (0x6717u << 16); v.v.mv.n = 3; v.v.mv.str = sp;
    ok(st_bag_set(b, &v) == 0, "mv unicode\n");
    v.tag = PT_MV_STRING8 | (0x6718u << 16);
    ok(st_bag_set(b, &v) == 0, "mv string8\n");
    MV(PT_MV_CLSID, 0x6719, guid, g);
    MV(PT_MV_BINARY, 0x671A, bin, bins);
    MV(PT_MV_APPTIME, 0x671B, at, d);
    memset(&v, 0, sizeof v);
    v.tag = PROP_TAG(PT_MV_LONG, 0x671C);
    ok(st_bag_set(b, &v) == 0, "empty MV\n");
}

static void same_bags(const st_bag *a, const st_bag *b, const char *where)
{
    ok(st_bag_count(a) == st_bag_count(b), "%s: %zu properties, got %zu\n", where,
       st_bag_count(a), st_bag_count(b));
    for (size_t i = 0; i < st_bag_count(a); i++) {
        const st_value *x = st_bag_at(a, i), *y = st_bag_get(b, x->tag);
        ok(y && y->tag == x->tag && st_value_compare(x, y, 0) == 0, "%s: 0x%08X differs\n", where,
           (unsigned)x->tag);
    }
}

static void test_round_trip(void)
{
    cv_message *m = cv_message_new(), *back = NULL;
    st_bag *row;
    cv_attachment *a;
    char *j1 = NULL, *j2 = NULL;
    uint8_t data[3000];

    fill_all_types(m->props);
    ok(cv_message_add_recipient(m, &row) == 0, "recipient\n");
    st_bag_set_long(row, PR_RECIPIENT_TYPE, 2);
    st_bag_set_str(row, PR_DISPLAY_NAME_W, "B\xC3\xB6" "b");
    ok(cv_message_add_attachment(m, &a) == 0, "attachment\n");
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7);
    st_bag_set_bin(a->props, PR_ATTACH_DATA_BIN, data, sizeof data);
    st_bag_set_str(a->props, PR_ATTACH_LONG_FILENAME_W, "x.bin");
    a->data_size = sizeof data;
    ok(cv_message_add_attachment(m, &a) == 0, "attachment\n");
    st_bag_set_long(a->props, PR_ATTACH_METHOD, 5);
    a->embedded = cv_message_new();
    fill_all_types(a->embedded->props);

    ok(cv_json_write_message(&j1, NULL, m, NULL) == 0, "write\n");
    int rc = cv_json_read_message(&back, j1, strlen(j1));
    ok(rc == 0, "read back: %d %s\n", rc, st_error_last());
    if (back) {
        same_bags(m->props, back->props, "message");
        ok(back->n_recipients == 1, "recipients\n");
        if (back->n_recipients == 1)
            same_bags(m->recipients[0], back->recipients[0], "recipient");
        ok(back->n_attachments == 2, "attachments\n");
        if (back->n_attachments == 2) {
            same_bags(m->attachments[0].props, back->attachments[0].props, "attachment");
            ok(back->attachments[0].data_size == sizeof data, "data size\n");
            ok(back->attachments[1].embedded != NULL, "embedded\n");
            if (back->attachments[1].embedded)
                same_bags(m->attachments[1].embedded->props, back->attachments[1].embedded->props,
                          "embedded");
        }
        ok(cv_json_write_message(&j2, NULL, back, NULL) == 0 && !strcmp(j1, j2),
           "second write identical\n");
    }
    ok(strstr(j1, "\"PR_SUBJECT_W\": \"Tab\\there \\\"quoted\\\" \\u007f ctl\\u001f \xF0\x9F\x98\x80\"") != NULL,
       "escapes: %.200s\n", j1);
    ok(strstr(j1, "\"PR_CLIENT_SUBMIT_TIME\": \"2022-06-18T04:26:40.1234567Z\"") != NULL, "time\n");
    ok(strstr(j1, "\"PR_MESSAGE_DELIVERY_TIME\": \"2022-06-18T04:26:40Z\"") != NULL, "time\n");
    ok(strstr(j1, "\"0x6709000A\": {\"error\": \"0x8004010F\"}") != NULL, "error\n");
    ok(strstr(j1, "\"0x67060048\": \"{00020307-0000-0000-C000-000000000046}\"") != NULL, "guid\n");
    ok(strstr(j1, "\"PR_SEARCH_KEY\": {\"base64\": \"AAEC/w==\"}") != NULL, "binary\n");
    ok(strstr(j1, "\"0x671C1003\": []") != NULL, "empty MV\n");
    free(j2);
    j2 = NULL;
    cv_json_options small = { .max_binary = 1024, .flags = CV_JSON_COMPACT };
    ok(cv_json_write_message(&j2, NULL, m, &small) == 0, "write small\n");
    ok(j2 && strstr(j2, "\"PR_ATTACH_DATA_BIN\": {\"size\": 3000}") && strchr(j2, '\n') == j2 + strlen(j2) - 1,
       "size only, one line\n");
    free(j1);
    free(j2);
    cv_message_free(back);
    /* written as size only: read back without the value */
    const char *so = "{\"properties\": {\"PR_SEARCH_KEY\": {\"size\": 5}}}";
    ok(cv_json_read_message(&back, so, strlen(so)) == 0 &&
       st_bag_get(back->props, PR_SEARCH_KEY) == NULL, "size-only binary skipped\n");
    cv_message_free(back);
    cv_message_free(m);
}

static void test_times(void)
{
    static const struct { uint64_t ft; const char *s; } cases[] = {
        { 0, "1601-01-01T00:00:00Z" },
        { 116444736000000000ULL, "1970-01-01T00:00:00Z" },
        { 116444736000000001ULL, "1970-01-01T00:00:00.0000001Z" },
        { 125911584000000000ULL, "2000-01-01T00:00:00Z" },
        { 125962560000000000ULL, "2000-02-29T00:00:00Z" },
        { 2650467743999999999ULL, "9999-12-31T23:59:59.9999999Z" },
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t back = 1;
        const char *got = cv_json_format_time(buf, cases[i].ft), *want = cases[i].s;
        ok(!strcmp(got, want), "format case %zu: got %.31s\n", i, buf);
        ok(cv_json_parse_time(&back, cases[i].s, strlen(cases[i].s)) == 0 && back == cases[i].ft,
           "parse %s\n", cases[i].s);
    }
    static const char *bad[] = { "2001-02-29T00:00:00Z", "1600-12-31T00:00:00Z",
                                 "2000-01-01T24:00:00Z", "2000-01-01 00:00:00Z",
                                 "2000-01-01T00:00:00.Z", "2000-01-01T00:00:00.12345678Z",
                                 "2000-01-01T00:00:00", "2000-13-01T00:00:00Z" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t t;
        ok(cv_json_parse_time(&t, bad[i], strlen(bad[i])) == -1, "rejects %s\n", bad[i]);
    }
    uint64_t t;
    ok(cv_json_parse_time(&t, "2000-01-01T00:00:00.5Z", 22) == 0 && t == 125911584005000000ULL,
       "short fraction\n");
}

static void test_bad(void)
{
    static const struct { const char *json; int rc; const char *err; } cases[] = {
        { "", CV_EPARSE, "at byte 0: unexpected end" },
        { "[]", CV_EPARSE, "at byte 0: expected a message object" },
        { "{\"properties\": {}} x", CV_EPARSE, "at byte 19: text after" },
        { "{\"properties\": {},}", CV_EPARSE, "at byte 18: expected a string key" },
        { "{\"properties\": {\"PR_SUBJECT_W\": 1}}", CV_EPARSE, "at byte 32: expected a string" },
        { "{\"properties\": {\"PR_IMPORTANCE\": 1.5}}", CV_EPARSE, "at byte 33: expected an integer" },
        { "{\"properties\": {\"PR_IMPORTANCE\": 99999999999}}", CV_EPARSE, "out of range" },
        { "{\"properties\": {\"PR_IMPORTANCE\": 01}}", CV_EPARSE, "leading zero" },
        { "{\"properties\": {\"PR_HASATTACH\": 1}}", CV_EPARSE, "expected true or false" },
        { "{\"properties\": {\"PR_NOPE\": 1}}", CV_EPARSE, "at byte 16: unknown property name" },
        { "{\"properties\": {\"PR_SEARCH_KEY\": {\"base64\": \"AB=C\"}}}", CV_EPARSE, "invalid base64" },
        { "{\"properties\": {\"PR_SEARCH_KEY\": {\"base64\": \"ABC\"}}}", CV_EPARSE, "multiple of 4" },
        { "{\"properties\": {\"PR_SUBJECT_W\": \"a\x01\"}}", CV_EPARSE, "control character" },
        { "{\"properties\": {\"PR_SUBJECT_W\": \"\xC3\"}}", CV_EPARSE, "invalid UTF-8" },
        { "{\"properties\": {\"PR_SUBJECT_W\": \"\\ud800\"}}", CV_EPARSE, "unpaired surrogate" },
        { "{\"properties\": {\"PR_SUBJECT_W\": \"\\x\"}}", CV_EPARSE, "bad escape" },
        { "{\"properties\": {\"PR_SUBJECT_W\": \"abc", CV_EPARSE, "unterminated string" },
        { "{\"properties\": {}, \"properties\": {}}", CV_EPARSE, "at byte 19: duplicate key" },
        { "{\"frob\": 1}", CV_EPARSE, "at byte 1: unknown key in a message" },
        { "{\"attachments\": [{\"x\": 1}]}", CV_EPARSE, "unknown key in an attachment" },
        { "{\"properties\": {\"PR_CLIENT_SUBMIT_TIME\": \"yesterday\"}}", CV_EPARSE, "expected a time" },
        { "{\"properties\": {\"0x67080048\": \"{nope}\"}}", CV_EPARSE, "GUID" },
        { "{\"properties\": {\"0x67011003\": [1, \"x\"]}}", CV_EPARSE, "at byte 34: expected an integer" },
        { "{\"properties\": tru}", CV_EPARSE, "unexpected character" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cv_message *m = (cv_message *)1;
        int rc = cv_json_read_message(&m, cases[i].json, strlen(cases[i].json));
        ok(rc == cases[i].rc && m == NULL, "case %zu: rc %d\n", i, rc);
        ok(strstr(st_error_last(), cases[i].err) != NULL, "case %zu: '%s', want '%s'\n", i,
           st_error_last(), cases[i].err);
    }
    /* depth */
    char deep[400];
    size_t n = 0;
    n += (size_t)sprintf(deep, "{\"properties\": {\"0x67011003\": ");
    for (int i = 0; i < 100; i++)
        deep[n++] = '[';
    deep[n] = '\0';
    cv_message *m;
    ok(cv_json_read_message(&m, deep, n) == CV_ELIMIT && !m, "too deep\n");
    ok(strstr(st_error_last(), "nested too deep") != NULL, "%s\n", st_error_last());
    /* named keys are skipped; a BOM is allowed; \u escapes decode */
    const char *j = "\xEF\xBB\xBF{\"properties\": {\"PidLidReminderSet\": true, "
                    "\"PR_SUBJECT_W\": \"\\u00fc\\ud83d\\ude00\\/\"}}";
    ok(cv_json_read_message(&m, j, strlen(j)) == 0 && m, "named skipped: %s\n", st_error_last());
    if (m) {
        const st_value *s = st_bag_get(m->props, PR_SUBJECT_W);
        ok(s && !strcmp(s->v.str, "\xC3\xBC\xF0\x9F\x98\x80/"), "unicode escapes\n");
        ok(st_bag_count(m->props) == 1, "only the subject\n");
    }
    cv_message_free(m);
}

static void test_named(void)
{
    cv_message *m = cv_message_new();
    cv_tnef_named names[2];
    char *j = NULL;
    memset(names, 0, sizeof names);
    names[0].name.guid = ST_PSETID_Common;
    names[0].name.kind = ST_MNID_ID;
    names[0].name.lid = 0x8503;   /* PidLidReminderSet */
    names[0].id = 0x8000;
    names[1].name.guid = ST_PSETID_Common;
    names[1].name.kind = ST_MNID_STRING;
    names[1].name.name = (char *)"My \"name\"";
    names[1].id = 0x8001;
    st_bag_set_bool(m->props, PROP_TAG(PT_BOOLEAN, 0x8000), 1);
    st_bag_set_long(m->props, PROP_TAG(PT_LONG, 0x8001), 3);
    st_bag_set_long(m->props, PROP_TAG(PT_LONG, 0x8002), 4);
    cv_json_options o = { .named = names, .n_named = 2 };
    ok(cv_json_write_message(&j, NULL, m, &o) == 0, "write\n");
    ok(j && strstr(j, "\"PidLidReminderSet\": true"), "known named: %s\n", j);
    ok(j && strstr(j, "\"PSETID_Common:My \\\"name\\\"\": 3"), "string named: %s\n", j);
    ok(j && strstr(j, "\"0x80020003\": 4"), "unmapped named\n");
    free(j);
    cv_message_free(m);
}

int main(void)
{
    test_round_trip();
    test_times();
    test_bad();
    test_named();
    return test_done();
}
