/*
 * test_storage_message.c: messages through the property model: every
 * property type single and multi-valued round-trips, hot columns, computed
 * keys, recipients (and PR_DISPLAY_TO), attachments, an embedded message
 * with its own recipients and attachments, deep copy, move, delete
 * cascade, big values kept as streams, a damaged blob giving an error,
 * and st_message_flags (the stored flags and folder of one row).
 */
#include <sqlite3.h>

#include "test_storage_util.h"
#include "storage/storage_int.h"

static void put_all_types(st_bag *b)
{
    st_value v;
    v = (st_value){ .tag = PROP_TAG(PT_I2, 0x6001) }; v.v.i = -12;
    st_bag_set(b, &v);
    st_bag_set_long(b, PROP_TAG(PT_LONG, 0x6002), -123456);
    v = (st_value){ .tag = PROP_TAG(PT_R4, 0x6003) }; v.v.flt = 1.5f;
    st_bag_set(b, &v);
    st_bag_set_double(b, PROP_TAG(PT_DOUBLE, 0x6004), 3.25);
    st_bag_set_i8(b, PROP_TAG(PT_CURRENCY, 0x6005), 123450000);
    st_bag_set_double(b, PROP_TAG(PT_APPTIME, 0x6006), 45000.5);
    v = (st_value){ .tag = PROP_TAG(PT_ERROR, 0x6007) }; v.v.err = (int32_t)0x8004010F;
    st_bag_set(b, &v);
    st_bag_set_bool(b, PROP_TAG(PT_BOOLEAN, 0x6008), 1);
    st_bag_set_i8(b, PROP_TAG(PT_I8, 0x6009), INT64_MIN + 5);
    st_bag_set_str(b, PROP_TAG(PT_STRING8, 0x600A), "eight bit");
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x600B), "Grüße, 世界 🎉");
    st_bag_set_systime(b, PROP_TAG(PT_SYSTIME, 0x600C), UINT64_C(132000000000000000));
    st_guid g = { 1, 2, 3, { 4, 5, 6, 7, 8, 9, 10, 11 } };
    st_bag_set_guid(b, PROP_TAG(PT_CLSID, 0x600D), &g);
    uint8_t bin[5] = { 0, 1, 2, 0xff, 0 };
    st_bag_set_bin(b, PROP_TAG(PT_BINARY, 0x600E), bin, 5);
    st_bag_set_bin(b, PROP_TAG(PT_BINARY, 0x600F), NULL, 0);
    st_bag_set_str(b, PROP_TAG(PT_UNICODE, 0x6010), "");
    /* Multi-valued. */
    int16_t i2[3] = { 1, -2, 3 };
    v = (st_value){ .tag = PROP_TAG(PT_MV_I2, 0x6101) }; v.v.mv.n = 3; v.v.mv.i = i2;
    st_bag_set(b, &v);
    int32_t l[2] = { 7, -8 };
    v = (st_value){ .tag = PROP_TAG(PT_MV_LONG, 0x6102) }; v.v.mv.n = 2; v.v.mv.l = l;
    st_bag_set(b, &v);
    float f[2] = { 0.5f, -1.0f };
    v = (st_value){ .tag = PROP_TAG(PT_MV_R4, 0x6103) }; v.v.mv.n = 2; v.v.mv.flt = f;
    st_bag_set(b, &v);
    double d[2] = { 1e300, -0.0 };
    v = (st_value){ .tag = PROP_TAG(PT_MV_DOUBLE, 0x6104) }; v.v.mv.n = 2; v.v.mv.dbl = d;
    st_bag_set(b, &v);
    int64_t cur[1] = { 99 };
    v = (st_value){ .tag = PROP_TAG(PT_MV_CURRENCY, 0x6105) }; v.v.mv.n = 1; v.v.mv.cur = cur;
    st_bag_set(b, &v);
    double at[1] = { 2.5 };
    v = (st_value){ .tag = PROP_TAG(PT_MV_APPTIME, 0x6106) }; v.v.mv.n = 1; v.v.mv.at = at;
    st_bag_set(b, &v);
    uint64_t ft[2] = { 1, UINT64_MAX };
    v = (st_value){ .tag = PROP_TAG(PT_MV_SYSTIME, 0x6107) }; v.v.mv.n = 2; v.v.mv.ft = ft;
    st_bag_set(b, &v);
    const char *s8[2] = { "x", "" };
    v = st_view_mv_str(PROP_TAG(PT_MV_STRING8, 0x6108), s8, 2);
    st_bag_set(b, &v);
    const char *su[3] = { "Kategorie Ä", "Другой", "日本" };
    v = st_view_mv_str(PROP_TAG(PT_MV_UNICODE, 0x6109), su, 3);
    st_bag_set(b, &v);
    st_guid gs[2] = { g, { 9, 9, 9, { 0 } } };
    v = (st_value){ .tag = PROP_TAG(PT_MV_CLSID, 0x610A) }; v.v.mv.n = 2; v.v.mv.guid = gs;
    st_bag_set(b, &v);
    st_bin bins[2] = { { 3, (uint8_t *)"abc" }, { 0, NULL } };
    v = (st_value){ .tag = PROP_TAG(PT_MV_BINARY, 0x610B) }; v.v.mv.n = 2; v.v.mv.bin = bins;
    st_bag_set(b, &v);
    int64_t li[2] = { INT64_MAX, -1 };
    v = (st_value){ .tag = PROP_TAG(PT_MV_I8, 0x610C) }; v.v.mv.n = 2; v.v.mv.li = li;
    st_bag_set(b, &v);
    v = (st_value){ .tag = PROP_TAG(PT_MV_LONG, 0x610D) };   /* empty MV */
    st_bag_set(b, &v);
    /* A named property (id mapped by the caller). */
    st_bag_set_long(b, PROP_TAG(PT_LONG, 0x8005), 5);
}

/* Every value of want is in got, equal. */
static int same_values(const st_bag *want, const st_bag *got)
{
    int bad = 0;
    for (size_t i = 0; i < st_bag_count(want); i++) {
        const st_value *w = st_bag_at(want, i);
        const st_value *g = st_bag_get(got, w->tag);
        if (!g || PROP_TYPE(g->tag) != PROP_TYPE(w->tag) || st_value_compare(w, g, 0) != 0) {
            fprintf(stderr, "  property 0x%08X differs or is missing\n", (unsigned)w->tag);
            bad++;
        }
    }
    return bad == 0;
}

static void test_types(st_store *s, st_id inbox)
{
    st_bag *b = tsu_mail(1, 300);
    put_all_types(b);
    st_id m = 0;
    ok(st_message_create(s, &m, inbox, b, 0) == 0, "create: %s\n", st_error_last());
    st_bag *got = NULL;
    ok(st_message_get(s, &got, m) == 0, "get\n");
    ok(same_values(b, got), "every type round-trips\n");
    const st_value *v = st_bag_get(got, PR_SEARCH_KEY);
    ok(v && v->v.bin.len == 16, "search key generated\n");
    ok(st_bag_get(got, PR_RECORD_KEY) && st_bag_get(got, PR_SOURCE_KEY) &&
        st_bag_get(got, PR_CHANGE_KEY) && st_bag_get(got, PR_PARENT_SOURCE_KEY) &&
        st_bag_get(got, PR_INSTANCE_KEY), "keys\n");
    v = st_bag_get(got, PR_MESSAGE_SIZE);
    ok(v && v->v.l > 300, "size %d\n", v ? v->v.l : -1);
    v = st_bag_get(got, PR_HASATTACH);
    ok(v && v->v.b == 0, "no attachments\n");
    uint8_t ck[22];
    memcpy(ck, st_bag_get(got, PR_CHANGE_KEY)->v.bin.data, 22);
    st_bag_free(got);

    /* Modify: set some, delete some; the rest stays. */
    st_bag *set = st_bag_new();
    st_bag_set_str(set, PR_SUBJECT_W, "Changed subject");
    st_bag_set_long(set, PROP_TAG(PT_LONG, 0x6002), 1);
    uint32_t del[] = { PROP_TAG(PT_MV_UNICODE, 0x6109), PR_IMPORTANCE };
    ok(st_message_set_props(s, m, set, del, 2, 0) == 0, "set_props\n");
    ok(st_message_get(s, &got, m) == 0, "get\n");
    ok(same_values(set, got), "changed values\n");
    ok(!st_bag_get(got, PROP_TAG(PT_MV_UNICODE, 0x6109)) && !st_bag_get(got, PR_IMPORTANCE),
        "deleted values\n");
    v = st_bag_get(got, PROP_TAG(PT_MV_BINARY, 0x610B));
    ok(v && v->v.mv.n == 2 && v->v.mv.bin[0].len == 3, "others kept\n");
    v = st_bag_get(got, PR_CHANGE_KEY);
    ok(v && memcmp(v->v.bin.data, ck, 22) != 0, "change key moved\n");
    st_bag_free(got);
    st_bag_free(set);
    st_bag_free(b);

    /* STRING8 hot column comes back as a string too. */
    b = st_bag_new();
    st_bag_set_str(b, PR_SUBJECT_A, "eight-bit subject");
    ok(st_message_create(s, &m, inbox, b, 0) == 0, "create A\n");
    ok(st_message_get(s, &got, m) == 0, "get\n");
    v = st_bag_get(got, PR_SUBJECT_W);
    ok(v && !strcmp(v->v.str, "eight-bit subject"), "subject A\n");
    st_bag_free(got);
    st_bag_free(b);
}

static void test_recipients_attachments(st_store *s, st_id inbox, st_id other)
{
    st_bag *b = tsu_mail(2, 200);
    st_id m;
    ok(st_message_create(s, &m, inbox, b, 0) == 0, "create\n");
    st_bag_free(b);
    st_bag *rows[3];
    const char *names[3] = { "Alice", "Bob", "Carol" };
    int types[3] = { 1, 1, 2 };
    for (int i = 0; i < 3; i++) {
        rows[i] = st_bag_new();
        st_bag_set_str(rows[i], PR_DISPLAY_NAME_W, names[i]);
        st_bag_set_str(rows[i], PR_EMAIL_ADDRESS_W, "x@example.org");
        st_bag_set_long(rows[i], PR_RECIPIENT_TYPE, types[i]);
    }
    ok(st_recipients_set(s, m, rows, 3, 0) == 0, "recipients\n");
    st_bag **got = NULL;
    size_t n = 0;
    ok(st_recipients_get(s, &got, &n, m) == 0 && n == 3, "get %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const st_value *v = st_bag_get(got[i], PR_DISPLAY_NAME_W);
        const st_value *row = st_bag_get(got[i], PR_ROWID);
        ok(v && !strcmp(v->v.str, names[i]) && row && row->v.l == (int)i, "row %zu\n", i);
        st_bag_free(got[i]);
    }
    free(got);
    st_bag *mg = NULL;
    st_message_get(s, &mg, m);
    const st_value *to = st_bag_get(mg, PR_DISPLAY_TO_W);
    ok(to && !strcmp(to->v.str, "Alice; Bob"), "display to: %s\n", to ? to->v.str : "-");
    st_bag_free(mg);

    /* Attachments. */
    st_bag *ab = st_bag_new();
    st_bag_set_long(ab, PR_ATTACH_METHOD, 1);
    st_bag_set_str(ab, PR_ATTACH_FILENAME_W, "report.pdf");
    st_bag_set_bin(ab, PR_ATTACH_DATA_BIN, "%PDF-1.4 tiny", 13);
    uint32_t n0, n1, n2;
    ok(st_attach_create(s, &n0, m, ab, 0) == 0, "attach 0\n");
    ok(st_attach_create(s, &n1, m, ab, 0) == 0, "attach 1\n");
    ok(n0 == 0 && n1 == 1, "numbers %u %u\n", n0, n1);
    ok(st_attach_delete(s, m, n0, 0) == 0, "delete 0\n");
    ok(st_attach_create(s, &n2, m, ab, 0) == 0 && n2 == 2, "numbers not reused: %u\n", n2);
    st_bag_free(ab);
    st_bag *a = NULL;
    ok(st_attach_get(s, &a, m, n1) == 0, "get attachment\n");
    const st_value *v = st_bag_get(a, PR_ATTACH_FILENAME_W);
    ok(v && !strcmp(v->v.str, "report.pdf"), "filename\n");
    v = st_bag_get(a, PR_ATTACH_DATA_BIN);
    ok(v && v->v.bin.len == 13, "data\n");
    v = st_bag_get(a, PR_ATTACH_NUM);
    ok(v && v->v.l == 1, "num\n");
    st_bag_free(a);
    st_bag *aset = st_bag_new();
    st_bag_set_str(aset, PR_ATTACH_FILENAME_W, "renamed.pdf");
    ok(st_attach_set_props(s, m, n1, aset, NULL, 0, 0) == 0, "attach set\n");
    st_bag_free(aset);
    ok(st_attach_get(s, &a, m, n1) == 0, "get\n");
    v = st_bag_get(a, PR_ATTACH_FILENAME_W);
    ok(v && !strcmp(v->v.str, "renamed.pdf"), "renamed\n");
    st_bag_free(a);
    uint32_t *nums = NULL;
    ok(st_attach_list(s, &nums, &n, m) == 0 && n == 2 && nums[0] == 1 && nums[1] == 2, "list\n");
    free(nums);
    st_message_get(s, &mg, m);
    v = st_bag_get(mg, PR_HASATTACH);
    ok(v && v->v.b, "PR_HASATTACH\n");
    v = st_bag_get(mg, PR_MESSAGE_FLAGS);
    ok(v && (v->v.l & 0x10), "MSGFLAG_HASATTACH\n");
    st_bag_free(mg);

    /* Embedded message, with its own recipients and attachment. */
    ab = st_bag_new();
    st_bag_set_long(ab, PR_ATTACH_METHOD, 5);
    uint32_t ne;
    ok(st_attach_create(s, &ne, m, ab, 0) == 0, "embedded attachment\n");
    st_bag_free(ab);
    st_id emb = 0, emb2 = 0;
    ok(st_attach_embedded(s, &emb, m, ne, 0) == ST_ENOTFOUND, "none yet\n");
    ok(st_attach_embedded(s, &emb, m, ne, 1) == 0 && emb, "created\n");
    ok(st_attach_embedded(s, &emb2, m, ne, 1) == 0 && emb2 == emb, "same one\n");
    b = tsu_mail(3, 50);
    st_bag_set_str(b, PR_SUBJECT_W, "Forwarded original");
    ok(st_message_set_props(s, emb, b, NULL, 0, 0) == 0, "embedded props\n");
    st_bag_free(b);
    ok(st_recipients_set(s, emb, rows, 1, 0) == 0, "embedded recipients\n");
    ab = st_bag_new();
    st_bag_set_str(ab, PR_ATTACH_FILENAME_W, "inner.txt");
    st_bag_set_bin(ab, PR_ATTACH_DATA_BIN, "inner", 5);
    uint32_t ni;
    ok(st_attach_create(s, &ni, emb, ab, 0) == 0, "embedded's attachment\n");
    st_bag_free(ab);
    st_id where = 1;
    ok(st_message_folder(s, &where, emb) == 0 && where == 0, "embedded has no folder\n");
    st_folder_counts c;
    st_folder_counts_get(s, &c, inbox);
    uint32_t inbox_count = c.content;
    ok(st_message_delete(s, emb, 0) != 0, "embedded not deletable directly\n");

    /* Deep copy to another folder. */
    st_id cp;
    ok(st_message_copy(s, &cp, m, other, 0) == 0, "copy: %s\n", st_error_last());
    ok(st_recipients_get(s, &got, &n, cp) == 0 && n == 3, "copied recipients\n");
    for (size_t i = 0; i < n; i++)
        st_bag_free(got[i]);
    free(got);
    st_id cemb = 0;
    ok(st_attach_embedded(s, &cemb, cp, ne, 0) == 0 && cemb && cemb != emb, "copied embedded\n");
    st_bag *eb = NULL;
    ok(st_message_get(s, &eb, cemb) == 0, "get copied embedded\n");
    v = st_bag_get(eb, PR_SUBJECT_W);
    ok(v && !strcmp(v->v.str, "Forwarded original"), "embedded subject\n");
    st_bag_free(eb);
    ok(st_attach_get(s, &a, cemb, ni) == 0, "embedded's attachment copied\n");
    st_bag_free(a);
    st_bag *orig = NULL, *copy = NULL;
    st_message_get(s, &orig, m);
    st_message_get(s, &copy, cp);
    ok(st_value_compare(st_bag_get(orig, PR_SEARCH_KEY), st_bag_get(copy, PR_SEARCH_KEY), 0) == 0,
        "copy keeps the search key\n");
    ok(st_value_compare(st_bag_get(orig, PR_RECORD_KEY), st_bag_get(copy, PR_RECORD_KEY), 0) != 0,
        "copy has its own record key\n");
    st_bag_free(orig);
    st_bag_free(copy);

    /* Delete cascades through attachments and embedded messages. */
    st_store_stats before, after;
    st_store_stats_get(s, &before);
    ok(st_message_delete(s, m, 0) == 0, "delete\n");
    st_store_stats_get(s, &after);
    ok(before.embedded_messages - after.embedded_messages == 1, "embedded gone\n");
    ok(before.attachments - after.attachments == 4, "attachments gone: %llu\n",
        (unsigned long long)(before.attachments - after.attachments));
    ok(before.recipients - after.recipients == 4, "recipients gone\n");
    st_folder_counts_get(s, &c, inbox);
    ok(c.content == inbox_count - 1, "count\n");
    for (int i = 0; i < 3; i++)
        st_bag_free(rows[i]);
}

static void test_big_values(st_store *s, st_id inbox)
{
    size_t len = 200000;
    st_bag *b = tsu_mail(4, len);
    st_id m;
    ok(st_message_create(s, &m, inbox, b, 0) == 0, "big body\n");
    st_bag *got = NULL;
    ok(st_message_get(s, &got, m) == 0, "get\n");
    const st_value *v = st_bag_get(got, PROP_TAG(PT_ERROR, PROP_ID(PR_BODY_W)));
    ok(v && v->v.err == ST_E_NOT_ENOUGH_MEMORY, "big body is a stream marker\n");
    st_bag_free(got);
    st_stream *r = NULL;
    ok(st_stream_open_read(&r, s, m, ST_NO_ATTACH, PR_BODY_W) == 0, "open stream\n");
    ok(r && st_stream_size(r) == len, "size\n");
    char *buf = malloc(len);
    size_t total = 0, n;
    while (r && st_stream_read(r, buf + total, 7777, &n) == 0 && n)
        total += n;
    ok(total == len && !memcmp(buf, st_bag_get(b, PR_BODY_W)->v.str, len), "content\n");
    st_stream_close(r);
    free(buf);
    /* Small again: the stream goes. */
    st_bag *set = st_bag_new();
    st_bag_set_str(set, PR_BODY_W, "short now");
    ok(st_message_set_props(s, m, set, NULL, 0, 0) == 0, "shrink\n");
    st_message_get(s, &got, m);
    v = st_bag_get(got, PR_BODY_W);
    ok(v && !strcmp(v->v.str, "short now"), "inline again\n");
    st_bag_free(got);
    st_bag_free(set);
    st_bag_free(b);
}

static void test_corrupt_blob(st_store *s, st_id inbox)
{
    st_bag *b = tsu_mail(5, 100);
    st_id m;
    st_message_create(s, &m, inbox, b, 0);
    st_bag_free(b);
    /* Flip one byte inside the blob. */
    sqlite3 *db = NULL;
    sqlite3_open(st_store_path(s), &db);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE messages SET props = CAST(substr(props, 1, 10) || x'ff' ||"
        " substr(props, 12) AS BLOB) WHERE id = %llu", (unsigned long long)m);
    ok(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "tamper\n");
    sqlite3_close(db);
    st_bag *got = NULL;
    int r = st_message_get(s, &got, m);
    ok(r == ST_ECORRUPT && got == NULL, "corrupt blob: %d %s\n", r, st_error_last());
    char *rep = NULL;
    r = st_store_check(s, &rep);
    ok(r == ST_ECORRUPT && rep && strstr(rep, "message blob"), "check finds it: %s\n",
        rep ? rep : "-");
    free(rep);
    ok(st_message_delete(s, m, 0) == 0, "still deletable\n");

    /* The codec on random garbage and truncations never crashes. */
    st_bag *src = tsu_mail(6, 500);
    put_all_types(src);
    st_buf enc = { 0 };
    ok(st_propblob__encode(&enc, src, NULL, NULL) == 0, "encode\n");
    int errors = 0;
    for (size_t cut = 0; cut < enc.len; cut++) {
        st_bag *t = st_bag_new();
        if (st_propblob__decode(t, enc.data, cut) != ST_ECORRUPT)
            errors++;
        st_bag_free(t);
    }
    ok(errors == 0, "every truncation refused (%d)\n", errors);
    st_bag *t = st_bag_new();
    ok(st_propblob__decode(t, enc.data, enc.len) == 0 && same_values(src, t), "whole decodes\n");
    st_bag_free(t);
    uint32_t seed = 1;
    for (int i = 0; i < 2000; i++) {
        uint8_t *copy = malloc(enc.len);
        memcpy(copy, enc.data, enc.len);
        seed = seed * 1103515245u + 12345u;
        copy[(seed >> 8) % enc.len] ^= (uint8_t)(1 + (seed >> 24) % 255);
        t = st_bag_new();
        if (st_propblob__decode(t, copy, enc.len) == 0)
            errors++;
        st_bag_free(t);
        free(copy);
    }
    ok(errors == 0, "every flipped byte refused (%d)\n", errors);

    /* st_propblob__find (the sort/filter path) agrees with decoding, and on
     * any truncation stays inside the buffer (ASan watches) */
    t = st_bag_new();
    st_propblob__decode(t, enc.data, enc.len);
    size_t nfound = 0;
    for (size_t i = 0; i < st_bag_count(src); i++) {
        uint32_t tag = st_bag_at(src, i)->tag, found = 0;
        const uint8_t *v = NULL, *e = NULL;
        int rc = st_propblob__find(enc.data, enc.len, tag, &found, &v, &e);
        nfound += rc == 1 && found == tag && v >= enc.data && e <= enc.data + enc.len && v <= e;
        for (size_t cut = 0; cut < enc.len; cut += 7) {
            uint8_t *copy = malloc(cut ? cut : 1);
            memcpy(copy, enc.data, cut);
            rc = st_propblob__find(copy, cut, tag, &found, &v, &e);
            errors += rc == 1 && (v < copy || e > copy + cut);
            free(copy);
        }
    }
    ok(nfound == st_bag_count(src), "find: %zu of %zu values\n", nfound, st_bag_count(src));
    uint32_t found = 0;
    const uint8_t *v = NULL, *e = NULL;
    ok(st_propblob__find(enc.data, enc.len, PROP_TAG(PT_LONG, 0x7FFE), &found, &v, &e) == 0,
       "find: absent\n");
    ok(errors == 0, "find on truncations stays inside (%d)\n", errors);
    st_bag_free(t);
    st_buf_free(&enc);
    st_bag_free(src);
}

static int nocase(void *ctx, int alen, const void *a, int blen, const void *b)
{
    (void)ctx;
    return st_utf8_collate(a, (size_t)alen, b, (size_t)blen, FL_IGNORECASE);
}

/* A plain connection to the store file, with the collation the schema names. */
static sqlite3 *raw_open(st_store *s)
{
    sqlite3 *db = NULL;
    sqlite3_open(st_store_path(s), &db);
    sqlite3_create_collation(db, "ST_NOCASE", SQLITE_UTF8, NULL, nocase);
    return db;
}

/* Substring search through the trigram indexes (what RES_CONTENT will use). */
static int fts_hits(st_store *s, const char *table, const char *pattern)
{
    sqlite3 *db = raw_open(s);
    /* Trigram + detail=none: substring search is LIKE, which FTS5 answers
     * from the index (then checks the text). */
    char sql[256];
    const char *col = !strcmp(table, "message_fts_body") ? "body"
        : strchr(pattern, 'Q') ? "sender_name" : "subject";
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s LIKE '%%' || ? || '%%'", table, col);
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, pattern, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    } else {
        fprintf(stderr, "fts: %s\n", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static int queued(st_store *s)
{
    size_t left = 99;
    st_store_index_pending(s, 0, NULL);   /* budget 0: at most one small slice */
    return st_store_index_pending(s, 0, &left) == 0 ? (int)left : -1;
}

static void test_search_index(st_store *s, st_id inbox)
{
    st_id root = 0;
    st_folder_root(s, &root);
    st_id f = tsu_folder(s, root, "Search", 0);
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_SUBJECT_W, "Zebrafish husbandry");
    st_bag_set_str(b, PR_SENDER_NAME_W, "Dr. Quokka");
    st_bag_set_str(b, PR_BODY_W, "the xylophone in the basement");
    st_id m, m2;
    ok(st_message_create(s, &m, f, b, 0) == 0, "create\n");
    ok(fts_hits(s, "message_fts", "ebrafis") == 1, "subject substring found at once\n");
    ok(fts_hits(s, "message_fts", "QUOKK") == 1, "sender, case-insensitive\n");
    ok(fts_hits(s, "message_fts_body", "xylophon") == 0, "body not yet indexed\n");
    size_t left = 0;
    ok(st_store_index_pending(s, 1000, &left) == 0 && left == 0, "indexer: %zu left\n", left);
    ok(fts_hits(s, "message_fts_body", "xylophon") == 1, "body indexed\n");
    st_bag *set = st_bag_new();
    st_bag_set_str(set, PR_SUBJECT_W, "Yak shaving");
    st_bag_set_str(set, PR_BODY_W, "a marimba instead");
    ok(st_message_set_props(s, m, set, NULL, 0, 0) == 0, "modify\n");
    ok(fts_hits(s, "message_fts", "ebrafis") == 0 && fts_hits(s, "message_fts", "shavin") == 1,
        "subject index follows the row\n");
    ok(fts_hits(s, "message_fts_body", "xylophon") == 0, "old body dropped from the index\n");
    ok(queued(s) == 0 && fts_hits(s, "message_fts_body", "marimb") == 1, "new body indexed\n");
    ok(st_message_copy(s, &m2, m, inbox, 0) == 0, "copy\n");
    ok(fts_hits(s, "message_fts", "shavin") == 2, "copy indexed\n");
    ok(queued(s) == 0 && fts_hits(s, "message_fts_body", "marimb") == 2, "copy's body indexed\n");
    ok(st_folder_delete(s, f, ST_RECURSIVE) == 0, "delete folder\n");
    ok(fts_hits(s, "message_fts", "shavin") == 1 && fts_hits(s, "message_fts_body", "marimb") == 1,
        "deleted rows leave the indexes\n");
    ok(st_message_delete(s, m2, 0) == 0 && fts_hits(s, "message_fts", "shavin") == 0, "and again\n");
    /* FTS5's own consistency check of the external-content index. */
    sqlite3 *db = raw_open(s);
    int rc = sqlite3_exec(db, "INSERT INTO message_fts(message_fts) VALUES ('integrity-check');"
        "INSERT INTO message_fts_body(message_fts_body) VALUES ('integrity-check')", NULL, NULL, NULL);
    ok(rc == SQLITE_OK, "fts integrity-check: %s\n", sqlite3_errmsg(db));
    sqlite3_close(db);
    st_bag_free(set);
    st_bag_free(b);
}

/* st_message_flags: the stored PR_MESSAGE_FLAGS and folder of one row,
 * following every write (create, set_read, set_props); embedded: folder 0;
 * unknown id: ST_ENOTFOUND. */
static void test_flags(st_store *s, st_id inbox)
{
    const int32_t pend = 0x100 | 0x200;   /* MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING */
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_SUBJECT_W, "flags");
    st_bag_set_long(b, PR_MESSAGE_FLAGS, pend);
    st_id m = 0, where = 99;
    int32_t f = -1;
    ok(st_message_create(s, &m, inbox, b, 0) == 0, "create\n");
    ok(st_message_flags(s, &f, &where, m) == 0 && f == pend && where == inbox,
        "created: flags %#x, folder %llu\n", (unsigned)f, (unsigned long long)where);
    ok(st_message_set_read(s, m, 1, 0) == 0 && st_message_flags(s, &f, NULL, m) == 0
        && f == (pend | ST_MSGFLAG_READ), "read: flags %#x\n", (unsigned)f);
    st_bag *set = st_bag_new();
    st_bag_set_long(set, PR_MESSAGE_FLAGS, ST_MSGFLAG_READ | 0x100);
    ok(st_message_set_props(s, m, set, NULL, 0, ST_FROM_SERVER) == 0
        && st_message_flags(s, &f, NULL, m) == 0 && f == (ST_MSGFLAG_READ | 0x100),
        "set_props: flags %#x\n", (unsigned)f);
    st_bag *ab = st_bag_new();
    st_bag_set_long(ab, PR_ATTACH_METHOD, 5);
    uint32_t num = 0;
    st_id emb = 0;
    ok(st_attach_create(s, &num, m, ab, 0) == 0 && st_attach_embedded(s, &emb, m, num, 1) == 0
        && st_message_flags(s, &f, &where, emb) == 0 && where == 0,
        "embedded: folder %llu\n", (unsigned long long)where);
    ok(st_message_flags(s, &f, NULL, m) == 0 && !(f & ST_MSGFLAG_HASATTACH),
        "with an attachment: flags %#x\n", (unsigned)f);
    ok(st_message_delete(s, m, ST_HARD_DELETE) == 0, "delete\n");
    ok(st_message_flags(s, &f, &where, m) == ST_ENOTFOUND && f == 0 && where == 0,
        "gone: flags %#x, folder %llu\n", (unsigned)f, (unsigned long long)where);
    st_bag_free(ab);
    st_bag_free(set);
    st_bag_free(b);
}

int main(void)
{
    st_id root, inbox, other;
    st_store *s = tsu_store("m.sqlite", &root, &inbox);
    other = tsu_folder(s, root, "Other", 0);
    test_types(s, inbox);
    test_recipients_attachments(s, inbox, other);
    test_big_values(s, inbox);
    test_search_index(s, inbox);
    test_flags(s, inbox);
    char *rep = NULL;
    int r = st_store_check(s, &rep);
    ok(r == 0, "check: %s\n", rep ? rep : "");
    free(rep);
    test_corrupt_blob(s, inbox);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
