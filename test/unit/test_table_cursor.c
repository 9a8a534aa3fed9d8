/*
 * test_table_cursor.c: table operations one by one, table-driven where it
 * fits: default and multi-key sorts with missing values, QueryRows forward,
 * backward and TBL_NOADVANCE, row count, SeekRow from each origin,
 * SeekRowApprox, QueryPosition, bookmarks across inserts and deletes,
 * FindRow forward and backward, columns (named, computed, missing),
 * associated contents, and live notifications from another thread's
 * connection (added, modified, deleted with the prior row's key); a sort on
 * a blob string (rows chosen in C, the first ones kept) against the same
 * order read by SQL, while messages change between pages.
 */
#include "storage/table.h"
#include "storage/table_int.h"
#include "test_storage_util.h"

#define T_NAMED PROP_TAG(PT_LONG, 0x8010)

static st_id ids[40];

static st_bag *msg(int i, int with_time)
{
    st_bag *b = st_bag_new();
    char subj[32];
    snprintf(subj, sizeof subj, "msg %02d", i);
    st_bag_set_str(b, PR_SUBJECT_W, subj);
    if (with_time)
        st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, UINT64_C(133000000000000000) +
            (uint64_t)(i % 10) * 1000);
    st_bag_set_long(b, PR_MESSAGE_FLAGS, i % 2);
    st_bag_set_long(b, T_NAMED, i * 3);
    return b;
}

static st_id key_id(const st_value *v)
{
    st_id id = 0;
    if (PROP_TYPE(v->tag) == PT_BINARY && v->v.bin.len == 8)
        for (int i = 0; i < 8; i++)
            id |= (st_id)v->v.bin.data[i] << (8 * i);
    return id;
}

/* Reads n rows and checks their subjects' numbers against want (-1 ends). */
static void expect_rows(st_table *t, long count, const int *want, int line)
{
    st_row *rows = NULL;
    size_t n = 0;
    int r = st_table_query_rows(t, &rows, &n, count, 0);
    size_t k = 0;
    while (want[k] >= 0)
        k++;
    ok(r == 0 && n == k, "line %d: query_rows %ld: r %d, %zu rows, want %zu\n", line, count, r,
        n, k);
    for (size_t i = 0; i < n && i < k; i++) {
        char exp[32];
        snprintf(exp, sizeof exp, "msg %02d", want[i]);
        ok(rows[i].n >= 2 && PROP_TYPE(rows[i].vals[1].tag) == PT_UNICODE &&
            !strcmp(rows[i].vals[1].v.str, exp), "line %d: row %zu: want %s\n", line, i, exp);
    }
    st_rows_free(rows, n);
}

typedef struct writer_arg {
    const char *path;
    st_id fid;
    st_id mod, del;
    st_id added;
} writer_arg;

static void writer(void *p)
{
    writer_arg *a = p;
    st_store *s2 = NULL;
    if (st_store_open(&s2, a->path, &tsu_guid, 0))
        return;
    st_bag *b = msg(99, 1);
    st_message_create(s2, &a->added, a->fid, b, 0);
    st_bag_free(b);
    st_message_set_read(s2, a->mod, 0, 0);
    st_message_delete(s2, a->del, 0);
    st_store_close(s2);
}

/* Rows of an MV instance table spelled "<msg>:<value>" (value "-" when the
 * message has none), checking unique instance keys and PR_INSTANCE_NUM. */
static void mv_expect(st_table *t, long page, const char *want, int line)
{
    char buf[512] = "";
    uint8_t keys[32][12];
    size_t nk = 0;
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 0, NULL) == 0, "seek\n");
    for (int guard = 0; guard < 50; guard++) {
        st_row *rows = NULL;
        size_t n = 0;
        if (!ok(st_table_query_rows(t, &rows, &n, page, 0) == 0, "line %d: query: %s\n", line,
                st_error_last()))
            break;
        for (size_t i = 0; i < n; i++) {
            st_value *v = rows[i].vals;
            size_t off = strlen(buf);
            int leaf = v[4].v.l == (int)TBL_LEAF_ROW;
            const char *val = PROP_TYPE(v[2].tag) == PT_UNICODE ? v[2].v.str : "-";
            if (leaf)
                snprintf(buf + off, sizeof buf - off, "%s:%s ", v[1].v.str + 4, val);
            else
                snprintf(buf + off, sizeof buf - off, "[%s] ", val);
            if (leaf && ok(v[0].v.bin.len == 12, "line %d: key length %u\n", line,
                    v[0].v.bin.len) && nk < 32) {
                for (size_t k = 0; k < nk; k++)
                    ok(memcmp(keys[k], v[0].v.bin.data, 12) != 0, "line %d: duplicate key\n",
                        line);
                memcpy(keys[nk++], v[0].v.bin.data, 12);
                ok(v[3].tag == PR_INSTANCE_NUM && v[3].v.l == v[0].v.bin.data[8],
                    "line %d: instance num\n", line);
            }
        }
        st_rows_free(rows, n);
        if (!n)
            break;
    }
    /* a header may show any spelling of its category */
    ok(!st_utf8_casecmp(buf, want), "line %d:\n got  %s\n want %s\n", line, buf, want);
}

#define T_KW PROP_TAG(PT_MV_UNICODE, 0x8012)

static void test_mv_instance(st_store *s)
{
    st_id root, fid;
    st_folder_root(s, &root);
    st_bag *fb = st_bag_new();
    st_bag_set_str(fb, PR_DISPLAY_NAME_W, "MV");
    ok(st_folder_create(s, &fid, root, fb, ST_FROM_SERVER) == 0, "folder\n");
    st_bag_free(fb);
    static const char *kw[4][3] = { { "red", "Blue" }, { 0 }, { "green" },
        { "blue", "red", "amber" } };
    static const uint32_t nkw[4] = { 2, 0, 1, 3 };
    for (int i = 0; i < 4; i++) {
        st_bag *b = msg(i, 1);
        if (nkw[i]) {
            st_value v = st_view_mv_str(T_KW, kw[i], nkw[i]);
            st_bag_set(b, &v);
        }
        st_id id;
        ok(st_message_create(s, &id, fid, b, 0) == 0, "create\n");
        st_bag_free(b);
    }
    st_table *t = NULL;
    ok(st_table_open(&t, s, fid, ST_TABLE_CONTENTS) == 0, "open\n");
    const uint32_t cols[] = { PR_INSTANCE_KEY, PR_SUBJECT_W, MVI_PROP(T_KW), PR_INSTANCE_NUM,
        PR_ROW_TYPE };
    ok(st_table_set_columns(t, cols, 5) == 0, "mvi columns\n");
    uint32_t count = 0;
    ok(st_table_count(t, &count) == 0 && count == 7, "mv count %u\n", count);
    /* no sort: by message, then value order */
    mv_expect(t, 3, "00:red 00:Blue 01:- 02:green 03:blue 03:red 03:amber ", __LINE__);
    st_sortset *so = st_sortset_new(1);
    so->orders[0].tag = MVI_PROP(T_KW);
    ok(st_table_sort(t, so) == 0, "sort mvi: %s\n", st_error_last());
    mv_expect(t, 2, "01:- 03:amber 00:Blue 03:blue 02:green 00:red 03:red ", __LINE__);
    so->orders[0].order = TABLE_SORT_DESCEND;
    ok(st_table_sort(t, so) == 0, "sort mvi desc\n");
    mv_expect(t, 4, "03:red 00:red 02:green 03:blue 00:Blue 03:amber 01:- ", __LINE__);
    /* backward and a seek */
    long sought = 0;
    ok(st_table_seek(t, BOOKMARK_END, -3, &sought) == 0 && sought == -3, "seek\n");
    {
        st_row *rows = NULL;
        size_t n = 0;
        ok(st_table_query_rows(t, &rows, &n, -2, 0) == 0 && n == 2 &&
            !strcmp(rows[0].vals[2].v.str, "green") && !strcmp(rows[1].vals[2].v.str, "blue"),
            "backward in mv\n");
        st_rows_free(rows, n);
    }
    /* "By Categories": categorized on the MV instance column */
    so->orders[0].order = TABLE_SORT_ASCEND;
    so->n_categories = 1;
    so->n_expanded = 1;
    ok(st_table_sort(t, so) == 0, "categorize mvi\n");
    mv_expect(t, 5, "[-] 01:- [amber] 03:amber [blue] 00:Blue 03:blue [green] 02:green "
        "[red] 00:red 03:red ", __LINE__);
    st_sortset_free(so);
    st_table_close(t);
}

/* Above ST_TABLE__APPROX_EXACT rows, SeekRowApprox on received time
 * interpolates: it lands near the fraction, not exactly on it. */
static void test_approx_big(st_store *s)
{
    st_id root, fid;
    st_folder_root(s, &root);
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_DISPLAY_NAME_W, "Big");
    ok(st_folder_create(s, &fid, root, b, ST_FROM_SERVER) == 0, "folder\n");
    st_import *imp = NULL;
    ok(st_import_begin(&imp, s, 50) == 0, "import\n");
    for (int i = 0; i < 12000; i++) {
        char href[32];
        snprintf(href, sizeof href, "/big/%d", i);
        st_bag_set_systime(b, PR_MESSAGE_DELIVERY_TIME, UINT64_C(133000000000000000) +
            (uint64_t)i * 1000);
        char addr[32];   /* a blob property: sorting on it reads the table itself */
        snprintf(addr, sizeof addr, "u%05d@example.org", (i * 7919) % 12000);
        st_bag_set_str(b, PR_SENDER_EMAIL_ADDRESS_W, addr);
        st_import_message(imp, NULL, fid, b, NULL, 0, href, "e");
    }
    ok(st_import_end(imp) == 0, "import end\n");
    st_bag_free(b);
    st_table *t = NULL;
    ok(st_table_open(&t, s, fid, ST_TABLE_CONTENTS) == 0, "open\n");
    st_sortset *so = st_sortset_new(1);
    so->orders[0].tag = PR_MESSAGE_DELIVERY_TIME;
    for (int desc = 0; desc < 2; desc++) {
        so->orders[0].order = desc ? TABLE_SORT_DESCEND : TABLE_SORT_ASCEND;
        ok(st_table_sort(t, so) == 0, "sort\n");
        static const uint32_t fr[][2] = { { 1, 2 }, { 1, 4 }, { 99, 100 }, { 1, 12000 } };
        for (size_t i = 0; i < 4; i++) {
            uint32_t row = 0;
            ok(st_table_seek_approx(t, fr[i][0], fr[i][1]) == 0 &&
                st_table_position(t, &row, NULL, NULL) == 0, "approx\n");
            uint32_t want = 12000 * fr[i][0] / fr[i][1];
            ok(row + 2 >= want && row <= want + 2, "desc %d, %u/%u: row %u, want ~%u\n", desc,
                fr[i][0], fr[i][1], row, want);
            /* reading on from there (the folder has no NULL time: the index is
             * sought directly) gives consecutive rows, both ways */
            st_row *rows = NULL;
            size_t n = 0;
            const uint32_t cols[] = { PR_MESSAGE_DELIVERY_TIME };
            st_table_set_columns(t, cols, 1);
            ok(st_table_query_rows(t, &rows, &n, 3, 0) == 0 && n == 3, "rows after approx\n");
            for (size_t j = 1; j < n; j++)
                ok(rows[j].vals[0].v.ft == rows[j - 1].vals[0].v.ft + (desc ? -1000 : 1000),
                    "consecutive\n");
            uint64_t first = n ? rows[0].vals[0].v.ft : 0;
            st_rows_free(rows, n);
            ok(st_table_query_rows(t, &rows, &n, -4, 0) == 0 && n == 4 &&
                rows[3].vals[0].v.ft == first + (desc ? -2000 : 2000), "backward after approx\n");
            st_rows_free(rows, n);
        }
    }
    /* A sort on a property of the blob over a folder holding most of the
     * store is read from the table in rowid order, not through the folder
     * index: every row once, in order, none of another folder, both ways. */
    const uint32_t acol[] = { PR_SENDER_EMAIL_ADDRESS_W, PR_INSTANCE_KEY };
    st_table_set_columns(t, acol, 2);
    so->orders[0].tag = PR_SENDER_EMAIL_ADDRESS_W;
    for (int desc = 0; desc < 2; desc++) {
        so->orders[0].order = desc ? TABLE_SORT_DESCEND : TABLE_SORT_ASCEND;
        ok(st_table_sort(t, so) == 0, "sort by blob property\n");
        int seen = 0, in_order = 1;
        char last[32] = "";
        for (;;) {
            st_row *rows = NULL;
            size_t n = 0;
            if (st_table_query_rows(t, &rows, &n, 700, 0) != 0 || n == 0) {
                st_rows_free(rows, n);
                break;
            }
            for (size_t j = 0; j < n; j++) {
                const char *a = rows[j].vals[0].v.str;
                if (seen && (desc ? strcmp(a, last) >= 0 : strcmp(a, last) <= 0))
                    in_order = 0;
                snprintf(last, sizeof last, "%s", a);
                seen++;
            }
            st_rows_free(rows, n);
        }
        ok(seen == 12000 && in_order, "blob sort desc %d: %d rows, in order %d\n", desc, seen,
            in_order);
        st_row *rows = NULL;
        size_t n = 0;
        ok(st_table_query_rows(t, &rows, &n, -2, 0) == 0 && n == 2 &&
            strcmp(rows[1].vals[0].v.str, desc ? "u00000@example.org" : "u11999@example.org")
            == 0, "blob sort desc %d: backward from the end\n", desc);
        st_rows_free(rows, n);
    }
    st_sortset_free(so);
    st_table_close(t);
}

/* Reads count rows of a and of b: the same ids in the same order. */
static size_t same_page(st_table *a, st_table *b, long count, int line)
{
    st_row *ra = NULL, *rb = NULL;
    size_t na = 0, nb = 0;
    int r1 = st_table_query_rows(a, &ra, &na, count, 0);
    int r2 = st_table_query_rows(b, &rb, &nb, count, 0);
    int same = r1 == 0 && r2 == 0 && na == nb;
    for (size_t i = 0; same && i < na; i++)
        same = key_id(&ra[i].vals[0]) == key_id(&rb[i].vals[0]);
    ok(same, "line %d: %ld rows: r %d/%d, %zu/%zu rows, same ids\n", line, count, r1, r2, na, nb);
    st_rows_free(ra, na);
    st_rows_free(rb, nb);
    return na;
}

/* A sort on one string of the blob reads its rows through st_topn and
 * keeps the first ones: table a (that sort) must read exactly as table b
 * (the same key then a constant subject: SQL's ORDER BY), page after page,
 * forward and back, while messages are added, changed and deleted between
 * pages; with all rows kept, with fewer kept than the folder holds, and
 * with fewer kept than a page. */
static void test_blob_topn(st_store *s)
{
    st_id root = 0;
    st_folder_root(s, &root);
    st_id fid = tsu_folder(s, root, "TopN", ST_FROM_SERVER);
    ok(fid != 0, "folder\n");
    st_bag *b;
    static const char *addr[] = { "bob@x", "Bob@x", "alice@x", "ÄRGER@x", "ärger@y", "zed@x",
        "", "Straße@x", "strasse@x", NULL };
    st_id mids[60];
    for (int i = 0; i < 60; i++) {
        b = st_bag_new();
        st_bag_set_str(b, PR_SUBJECT_W, "same");
        if (addr[i % 10])
            st_bag_set_str(b, PR_SENDER_EMAIL_ADDRESS_W, addr[i % 10]);
        ok(st_message_create(s, &mids[i], fid, b, 0) == 0, "create\n");
        st_bag_free(b);
    }
    st_table *ta = NULL, *tb = NULL;
    ok(st_table_open(&ta, s, fid, ST_TABLE_CONTENTS) == 0 &&
        st_table_open(&tb, s, fid, ST_TABLE_CONTENTS) == 0, "open\n");
    const uint32_t cols[] = { PR_INSTANCE_KEY, PR_SENDER_EMAIL_ADDRESS_W };
    st_table_set_columns(ta, cols, 2);
    st_table_set_columns(tb, cols, 2);
    st_sortset *sa = st_sortset_new(1), *sb = st_sortset_new(2);
    static const size_t keep[] = { ST_TABLE__TOPN_MAX, 23, 3 };
    int next = 60;
    for (size_t k = 0; k < 3; k++) {
        st_table__topn_keep = keep[k];
        for (int desc = 0; desc < 2; desc++) {
            unsigned o = desc ? TABLE_SORT_DESCEND : TABLE_SORT_ASCEND;
            sa->orders[0] = (st_sortorder){ PR_SENDER_EMAIL_ADDRESS_W, o };
            sb->orders[0] = sa->orders[0];
            sb->orders[1] = (st_sortorder){ PR_SUBJECT_W, o };
            ok(st_table_sort(ta, sa) == 0 && st_table_sort(tb, sb) == 0, "sort\n");
            ok(ta->q.n_keys == 1 && !strncmp(ta->q.key_expr[0], "(st_prop(", 9),
                "a blob key\n");
            same_page(ta, tb, 5, __LINE__);
            /* a write the bus does not carry (as another process's): the
             * same file under another path is another bus */
            st_store *s2 = NULL;
            char p2[1024];
            const char *p = st_store_path(s), *slash = strrchr(p, '/');
            snprintf(p2, sizeof p2, "%.*s/./%s", (int)(slash ? slash - p : 1), slash ? p : ".",
                slash ? slash + 1 : p);
            ok(st_store_open(&s2, p2, NULL, 0) == 0, "open %s: %s\n", p2, st_error_last());
            b = st_bag_new();
            st_bag_set_str(b, PR_SENDER_EMAIL_ADDRESS_W, desc ? "!!!" : "~~~");
            ok(s2 && st_message_set_props(s2, mids[((k * 2 + (size_t)desc) * 5 + 40) % 60], b,
                NULL, 0, 0) == 0, "modify elsewhere: %s\n", st_error_last());
            st_bag_free(b);
            st_store_close(s2);
            same_page(ta, tb, 46, __LINE__);   /* past the row's old place */
            same_page(ta, tb, -39, __LINE__);
            same_page(ta, tb, 5, __LINE__);
            /* a row moved to the front, one deleted, one added */
            b = st_bag_new();
            st_bag_set_str(b, PR_SENDER_EMAIL_ADDRESS_W, desc ? "zzz@x" : "aaa@x");
            ok(st_message_set_props(s, mids[((k * 2 + (size_t)desc) * 7 + 30) % 60], b, NULL, 0, 0)
                == 0, "modify: %s\n", st_error_last());
            st_bag_free(b);
            same_page(ta, tb, 4, __LINE__);
            same_page(ta, tb, -6, __LINE__);
            same_page(ta, tb, 9, __LINE__);
            ok(st_message_delete(s, mids[(k * 2 + (size_t)desc) * 3 + 1], 0) == 0, "delete\n");
            b = st_bag_new();
            st_bag_set_str(b, PR_SUBJECT_W, "same");
            st_bag_set_str(b, PR_SENDER_EMAIL_ADDRESS_W, "bob@x");
            ok(st_message_create(s, &mids[next++ % 60], fid, b, 0) == 0, "add\n");
            st_bag_free(b);
            same_page(ta, tb, 8, __LINE__);
            same_page(ta, tb, -3, __LINE__);
            /* the rest, then back from the end over the whole table */
            size_t total = 0, got;
            while ((got = same_page(ta, tb, 7, __LINE__)) > 0)
                total += got;
            ok(st_table_seek(ta, BOOKMARK_END, 0, NULL) == 0 &&
                st_table_seek(tb, BOOKMARK_END, 0, NULL) == 0, "seek end\n");
            while ((got = same_page(ta, tb, -11, __LINE__)) > 0)
                total += got;
            ok(total > 60, "rows read: %zu\n", total);
            /* pages from the start again, after a seek */
            ok(st_table_seek(ta, BOOKMARK_BEGINNING, 13, NULL) == 0 &&
                st_table_seek(tb, BOOKMARK_BEGINNING, 13, NULL) == 0, "seek 13\n");
            same_page(ta, tb, 10, __LINE__);
            same_page(ta, tb, -20, __LINE__);
        }
    }
    st_table__topn_keep = ST_TABLE__TOPN_MAX;
    st_sortset_free(sa);
    st_sortset_free(sb);
    st_table_close(ta);
    st_table_close(tb);
}

int main(void)
{
    st_id inbox;
    st_store *s = tsu_store("cursor.sqlite", NULL, &inbox);
    for (int i = 0; i < 20; i++) {
        st_bag *b = msg(i, i != 7);   /* msg 07 has no delivery time */
        ok(st_message_create(s, &ids[i], inbox, b, 0) == 0, "create\n");
        st_bag_free(b);
    }
    st_bag *ab = msg(30, 1);
    st_id assoc_id;
    ok(st_message_create(s, &assoc_id, inbox, ab, ST_ASSOCIATED) == 0, "assoc\n");
    st_bag_free(ab);

    st_table *t = NULL;
    ok(st_table_open(&t, s, inbox, ST_TABLE_CONTENTS) == 0, "open\n");
    const uint32_t cols[] = { PR_INSTANCE_KEY, PR_SUBJECT_W, T_NAMED, PR_DEPTH,
        PROP_TAG(PT_LONG, 0x8011), PR_MESSAGE_FLAGS };
    ok(st_table_set_columns(t, cols, 6) == 0, "columns\n");
    uint32_t count = 0;
    ok(st_table_count(t, &count) == 0 && count == 20, "count %u\n", count);

    /* default order: creation (id) */
    expect_rows(t, 3, (int[]){ 0, 1, 2, -1 }, __LINE__);
    {
        st_row *rows = NULL;
        size_t n = 0;
        ok(st_table_query_rows(t, &rows, &n, 1, TBL_NOADVANCE) == 0 && n == 1, "noadvance\n");
        ok(key_id(&rows[0].vals[0]) == ids[3], "instance key\n");
        ok(rows[0].vals[2].tag == T_NAMED && rows[0].vals[2].v.l == 9, "named column\n");
        ok(rows[0].vals[3].tag == PR_DEPTH && rows[0].vals[3].v.l == 0, "depth\n");
        ok(rows[0].vals[4].tag == PROP_TAG(PT_ERROR, 0x8011) &&
            rows[0].vals[4].v.err == MAPI_E_NOT_FOUND, "missing column\n");
        ok(rows[0].vals[5].v.l == 1, "flags\n");
        st_rows_free(rows, n);
    }
    expect_rows(t, 2, (int[]){ 3, 4, -1 }, __LINE__);
    expect_rows(t, -3, (int[]){ 2, 3, 4, -1 }, __LINE__);
    expect_rows(t, -5, (int[]){ 0, 1, -1 }, __LINE__);
    expect_rows(t, -5, (int[]){ -1 }, __LINE__);

    /* two keys: delivery time descending (msg 07 missing: last), subject asc */
    st_sortset *so = st_sortset_new(2);
    so->orders[0].tag = PR_MESSAGE_DELIVERY_TIME;
    so->orders[0].order = TABLE_SORT_DESCEND;
    so->orders[1].tag = PR_SUBJECT_W;
    so->orders[1].order = TABLE_SORT_ASCEND;
    ok(st_table_sort(t, so) == 0, "sort\n");
    expect_rows(t, 5, (int[]){ 9, 19, 8, 18, 17, -1 }, __LINE__);
    ok(st_table_seek(t, BOOKMARK_END, -2, NULL) == 0, "seek end-2\n");
    expect_rows(t, 5, (int[]){ 10, 7, -1 }, __LINE__);
    /* ascending: the missing value first */
    so->orders[0].order = TABLE_SORT_ASCEND;
    ok(st_table_sort(t, so) == 0, "sort asc\n");
    expect_rows(t, 3, (int[]){ 7, 0, 10, -1 }, __LINE__);

    /* seek, position */
    long sought = 0;
    uint32_t row = 0, num = 0, den = 0;
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 5, &sought) == 0 && sought == 5, "seek 5\n");
    ok(st_table_position(t, &row, &num, &den) == 0 && row == 5 && den == 20, "pos %u/%u\n",
        row, den);
    ok(st_table_seek(t, BOOKMARK_CURRENT, -2, &sought) == 0 && sought == -2, "seek -2\n");
    ok(st_table_position(t, &row, NULL, NULL) == 0 && row == 3, "pos %u\n", row);
    ok(st_table_seek(t, BOOKMARK_CURRENT, 100, &sought) == 0 && sought == 17, "seek past %ld\n",
        sought);
    ok(st_table_position(t, &row, NULL, NULL) == 0 && row == 20, "at end %u\n", row);
    ok(st_table_seek(t, BOOKMARK_END, -100, &sought) == 0 && sought == -20, "seek back %ld\n",
        sought);
    ok(st_table_seek_approx(t, 1, 2) == 0, "approx\n");
    ok(st_table_position(t, &row, NULL, NULL) == 0 && row == 10, "approx pos %u\n", row);
    ok(st_table_seek_approx(t, 3, 4) == 0 && st_table_position(t, &row, NULL, NULL) == 0 &&
        row == 15, "approx 3/4 %u\n", row);
    ok(st_table_seek_approx(t, 1, 1) == 0 && st_table_position(t, &row, NULL, NULL) == 0 &&
        row == 20, "approx end %u\n", row);

    /* bookmarks survive inserts and deletes */
    st_bookmark bm = 0;
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 4, NULL) == 0, "seek\n");
    ok(st_table_bookmark_create(t, &bm) == 0 && bm >= 3, "bookmark\n");
    /* the bookmarked row is msg 12 (asc: 7, 0, 10, 1, 11, ...)  */
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 0, NULL) == 0, "seek begin\n");
    ok(st_table_seek(t, bm, 0, NULL) == 0, "seek bm\n");
    expect_rows(t, 1, (int[]){ 11, -1 }, __LINE__);
    ok(st_message_delete(s, ids[11], ST_FROM_SERVER) == 0, "delete\n");
    ok(st_table_seek(t, bm, 0, NULL) == 0, "seek bm after delete\n");
    expect_rows(t, 1, (int[]){ 2, -1 }, __LINE__);
    ok(st_table_position(t, &row, NULL, NULL) == 0 && row == 5, "pos after delete %u\n", row);
    ok(st_table_bookmark_free(t, bm) == 0, "free bm\n");
    ok(st_table_bookmark_free(t, bm) == ST_ENOTFOUND, "free twice\n");
    ok(st_table_seek(t, bm, 0, NULL) == ST_ENOTFOUND, "freed bm\n");

    /* find row */
    st_value v = st_view_str(PR_SUBJECT_W, "MSG 13");
    st_restriction *r = st_res_property(RELOP_EQ, PR_SUBJECT_W, &v);
    ok(st_table_find_row(t, r, BOOKMARK_BEGINNING, 0) == 0, "find\n");
    expect_rows(t, 1, (int[]){ 13, -1 }, __LINE__);
    ok(st_table_find_row(t, r, BOOKMARK_CURRENT, 0) == ST_ENOTFOUND, "find again: none\n");
    ok(st_table_find_row(t, r, BOOKMARK_END, DIR_BACKWARD) == 0, "find back\n");
    expect_rows(t, 1, (int[]){ 13, -1 }, __LINE__);
    st_res_free(r);
    st_restriction *unread = st_res_bitmask(BMR_EQZ, PR_MESSAGE_FLAGS, 1);
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 2, NULL) == 0, "seek 2\n");
    ok(st_table_find_row(t, unread, BOOKMARK_CURRENT, DIR_BACKWARD) == 0, "find back unread\n");
    expect_rows(t, 1, (int[]){ 0, -1 }, __LINE__);

    /* restriction: unread only, counts */
    ok(st_table_restrict(t, unread) == 0, "restrict\n");
    ok(st_table_count(t, &count) == 0 && count == 10, "unread count %u\n", count);
    expect_rows(t, 4, (int[]){ 0, 10, 2, 12, -1 }, __LINE__);
    st_res_free(unread);
    ok(st_table_restrict(t, NULL) == 0, "unrestrict\n");

    /* associated contents */
    st_table *ta = NULL;
    ok(st_table_open(&ta, s, inbox, ST_TABLE_ASSOCIATED) == 0, "open assoc\n");
    ok(st_table_set_columns(ta, cols, 2) == 0, "cols\n");
    ok(st_table_count(ta, &count) == 0 && count == 1, "assoc count %u\n", count);
    expect_rows(ta, 10, (int[]){ 30, -1 }, __LINE__);
    st_table_close(ta);

    test_mv_instance(s);
    test_approx_big(s);
    test_blob_topn(s);

    /* live: another thread's connection adds, modifies, deletes */
    st_table_notif *ns = NULL;
    size_t nn = 0;
    ok(st_table_notifications(t, &ns, &nn) == 0, "drain\n");
    st_table_notifs_free(ns, nn);
    writer_arg wa = { tsu_path("cursor.sqlite"), inbox, ids[3], ids[5], 0 };
    st_thread *th = NULL;
    ok(st_thread_start(&th, writer, &wa) == 0, "thread\n");
    st_thread_join(th);
    ok(wa.added != 0, "writer added\n");
    ok(st_table_notifications(t, &ns, &nn) == 0 && nn == 3, "notifications %zu\n", nn);
    if (nn == 3) {
        ok(ns[0].type == TABLE_ROW_ADDED && key_id(&(st_value){ .tag = PT_BINARY,
            .v.bin = { 8, ns[0].key } }) == wa.added, "added\n");
        /* msg 99 has time slot 9 (latest): the prior row is msg 19 */
        ok(ns[0].has_prior && key_id(&(st_value){ .tag = PT_BINARY,
            .v.bin = { 8, ns[0].prior_key } }) == ids[19], "prior of added\n");
        ok(ns[0].row.n == 6 && !strcmp(ns[0].row.vals[1].v.str, "msg 99"), "added row\n");
        ok(ns[1].type == TABLE_ROW_MODIFIED && key_id(&(st_value){ .tag = PT_BINARY,
            .v.bin = { 8, ns[1].key } }) == ids[3], "modified\n");
        ok(ns[1].row.vals[5].v.l == 0, "modified row flags\n");
        ok(ns[2].type == TABLE_ROW_DELETED && key_id(&(st_value){ .tag = PT_BINARY,
            .v.bin = { 8, ns[2].key } }) == ids[5], "deleted\n");
    }
    st_table_notifs_free(ns, nn);

    st_sortset_free(so);
    st_table_close(t);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
