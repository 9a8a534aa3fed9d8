/*
 * test_table_categ.c: categorized tables: one and two levels, collapsed,
 * expanded and mixed, ascending and descending categories with a missing
 * value, header rows (PR_ROW_TYPE, PR_DEPTH, PR_CONTENT_COUNT/UNREAD,
 * unique PR_INSTANCE_KEY, case-insensitive grouping), paging, counts,
 * seeks and reads both ways, positions, FindRow both ways, ExpandRow/
 * CollapseRow and the collapse state round trip.
 * Each case is a table: the expected rows spelled as "H<depth> <value>
 * <count>/<unread>" for headers and "m<n>" for leaves.
 */
#include "storage/storage_int.h"
#include "storage/table.h"
#include "test_storage_util.h"

static const struct { const char *sender; int imp; int read; } data[] = {
    { "Alice", 1, 1 }, { "alice", 2, 0 }, { "Alice", 1, 0 }, { "Bob", 0, 1 }, { "Bob", 1, 1 },
    { NULL, 1, 0 }, { "Bob", 2, 0 }, { NULL, 0, 1 }, { "Carol", 1, 1 },
};
#define N_DATA (sizeof data / sizeof data[0])

static const uint32_t cols[] = { PR_INSTANCE_KEY, PR_ROW_TYPE, PR_DEPTH, PR_SUBJECT_W,
    PR_SENDER_NAME_W, PR_IMPORTANCE, PR_CONTENT_COUNT, PR_CONTENT_UNREAD };

/* Spells rows into buf, space separated; checks the invariants of each. */
static void spell(char *buf, size_t size, st_row *rows, size_t n, int levels)
{
    size_t off = strlen(buf);
    for (size_t i = 0; i < n; i++) {
        st_value *v = rows[i].vals;
        int type = v[1].v.l, depth = v[2].v.l;
        char item[96];
        if (type == (int)TBL_LEAF_ROW) {
            ok(depth == levels, "leaf depth %d\n", depth);
            snprintf(item, sizeof item, "%s ", v[3].v.str + 4);   /* "msg 3" -> "3" */
        } else {
            ok(type == (int)TBL_EXPANDED_CATEGORY || type == (int)TBL_COLLAPSED_CATEGORY,
                "row type %d\n", type);
            ok(v[0].v.bin.len == 8 && (v[0].v.bin.data[7] & 0x80), "header key\n");
            ok(PROP_TYPE(v[3].tag) == PT_ERROR, "subject on a header\n");
            const char *val = "-";
            char num[16];
            if (depth == 0 && PROP_TYPE(v[4].tag) == PT_UNICODE)
                val = v[4].v.str;
            if (depth == 1 && PROP_TYPE(v[5].tag) == PT_LONG) {
                snprintf(num, sizeof num, "%d", v[5].v.l);
                val = num;
            }
            char low[32];   /* GROUP BY may show any spelling of a category: compare folded */
            snprintf(low, sizeof low, "%s", val);
            for (char *c = low; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c - 'A' + 'a');
            val = low;
            snprintf(item, sizeof item, "%c%d:%s:%d/%d ", type == (int)TBL_EXPANDED_CATEGORY
                ? 'E' : 'C', depth, val, v[6].v.l, v[7].v.l);
        }
        snprintf(buf + off, size - off, "%s", item);
        off = strlen(buf);
    }
}

static void read_all(st_table *t, char *buf, size_t size, long page, int levels)
{
    buf[0] = 0;
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 0, NULL) == 0, "seek begin\n");
    for (int guard = 0; guard < 100; guard++) {
        st_row *rows = NULL;
        size_t n = 0;
        if (!ok(st_table_query_rows(t, &rows, &n, page, 0) == 0, "query: %s\n",
                st_error_last()))
            return;
        spell(buf, size, rows, n, levels);
        st_rows_free(rows, n);
        if (!n)
            break;
    }
}

/* The same rows read backward from the end in pages (each page still in
 * table order): pages are prepended, so buf ends up in table order. */
static void read_all_back(st_table *t, char *buf, size_t size, long page, int levels)
{
    buf[0] = 0;
    ok(st_table_seek(t, BOOKMARK_END, 0, NULL) == 0, "seek end\n");
    for (int guard = 0; guard < 100; guard++) {
        st_row *rows = NULL;
        size_t n = 0;
        if (!ok(st_table_query_rows(t, &rows, &n, -page, 0) == 0, "query back: %s\n",
                st_error_last()))
            return;
        char part[1024] = "";
        spell(part, sizeof part, rows, n, levels);
        st_rows_free(rows, n);
        if (!n)
            break;
        size_t pl = strlen(part), bl = strlen(buf);
        if (pl + bl < size) {
            memmove(buf + pl, buf, bl + 1);
            memcpy(buf, part, pl);
        }
    }
}

static void set_sort(st_table *t, uint32_t levels, uint32_t expanded, int desc)
{
    st_sortset *so = st_sortset_new(levels + 1);
    so->orders[0].tag = PR_SENDER_NAME_W;
    so->orders[0].order = desc ? TABLE_SORT_DESCEND : TABLE_SORT_ASCEND;
    if (levels > 1) {
        so->orders[1].tag = PR_IMPORTANCE;
        so->orders[1].order = TABLE_SORT_ASCEND;
    }
    so->orders[levels].tag = PR_SUBJECT_W;
    so->orders[levels].order = TABLE_SORT_ASCEND;
    so->n_categories = levels;
    so->n_expanded = expanded;
    ok(st_table_sort(t, so) == 0, "sort: %s\n", st_error_last());
    st_sortset_free(so);
}

/* The instance key of the header whose spelled form starts with prefix. */
static int header_key(st_table *t, uint8_t key[8], const char *prefix, int levels)
{
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 0, NULL) == 0, "seek\n");
    st_row *rows = NULL;
    size_t n = 0;
    int found = 0;
    st_table_query_rows(t, &rows, &n, 100, 0);
    for (size_t i = 0; i < n && !found; i++) {
        char b[128] = "";
        spell(b, sizeof b, &rows[i], 1, levels);
        if (!strncmp(b, prefix, strlen(prefix))) {
            memcpy(key, rows[i].vals[0].v.bin.data, 8);
            found = 1;
        }
    }
    st_rows_free(rows, n);
    return found;
}

/* The per-sender counts behind a view grouped by sender (store v3) stay
 * exact through every kind of message change, local and from the server:
 * st_store_check recounts them after each round; a counts row made wrong
 * by hand is reported. */
static uint32_t rnd(uint32_t n)
{
    static uint64_t rng = 0x9E3779B97F4A7C15ull;
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static void test_sender_counts_kept(st_store *s)
{
    static const char *senders[] = { "Alice", "alice", "ALICE", "Bob", "Ödön", "ödön", NULL };
    st_id root, f[2];
    st_folder_root(s, &root);
    f[0] = tsu_folder(s, root, "Counted A", 0);
    f[1] = tsu_folder(s, root, "Counted B", 0);
    st_id live[600];
    size_t n_live = 0;
    int errors = 0, hrefs = 0;
    for (int round = 0; round < 12; round++) {
        for (int op = 0; op < 50; op++) {
            uint32_t k = n_live ? rnd(9) : 0;
            st_id mid = n_live ? live[rnd((uint32_t)n_live)] : 0;
            st_bag *b = st_bag_new();
            const char *snd = senders[rnd(7)];
            if (snd)
                st_bag_set_str(b, PR_SENDER_NAME_W, snd);
            st_bag_set_long(b, PR_MESSAGE_FLAGS, (int32_t)rnd(2));
            int r = 0;
            if (k <= 1 && n_live < 600) {          /* new, local or associated */
                r = st_message_create(s, &live[n_live], f[rnd(2)], b,
                    rnd(5) ? 0 : ST_ASSOCIATED);
                n_live += r == 0;
            } else if (k == 2 && n_live < 600) {   /* from the server, by href */
                st_import *imp = NULL;
                char href[32];
                snprintf(href, sizeof href, "/c/%d", hrefs++ % 40);
                r = st_import_begin(&imp, s, 50);
                st_id got = 0;
                if (!r)
                    r = st_import_message(imp, &got, f[rnd(2)], b, NULL, 0, href, "e");
                if (!r)
                    r = st_import_end(imp);
                else
                    st_import_abort(imp);
                size_t j = 0;
                while (j < n_live && live[j] != got)
                    j++;
                if (!r && j == n_live)
                    live[n_live++] = got;
            } else if (k == 3) {
                r = st_message_set_read(s, mid, (int)rnd(2), rnd(2) ? ST_FROM_SERVER : 0);
            } else if (k == 4) {                   /* sender changed or removed */
                const uint32_t del[] = { PR_SENDER_NAME_W };
                r = st_message_set_props(s, mid, b, snd ? NULL : del, snd ? 0 : 1, 0);
            } else if (k == 5) {
                st_id cur = 0;
                st_message_folder(s, &cur, mid);
                r = st_message_move(s, mid, cur == f[0] ? f[1] : f[0], 0);
            } else if (k == 6 && n_live < 600) {
                r = st_message_copy(s, &live[n_live], mid, f[rnd(2)], 0);
                n_live += r == 0;
            } else if (k >= 7) {
                r = st_message_delete(s, mid, k == 8 ? ST_FROM_SERVER : 0);
                for (size_t j = 0; !r && j < n_live; j++)
                    if (live[j] == mid) {
                        live[j] = live[--n_live];
                        break;
                    }
            }
            st_bag_free(b);
            if (r) {
                errors++;
                fprintf(stderr, "op %u on %llu: %s\n", k, (unsigned long long)mid,
                    st_error_last());
            }
        }
        char *report = NULL;
        int r = st_store_check(s, &report);
        ok(r == 0, "round %d: store check: %s\n", round, report ? report : "");
        free(report);
    }
    ok(errors == 0, "%d operations failed\n", errors);
    /* a wrong count is found */
    st_db__exec(&s->d, "UPDATE sender_counts SET n = n + 1 WHERE folder_id = "
        "(SELECT min(folder_id) FROM sender_counts)");
    char *report = NULL;
    ok(st_store_check(s, &report) == ST_ECORRUPT && report && strstr(report, "sender counts"),
        "wrong count reported: %s\n", report ? report : "");
    free(report);
    st_db__exec(&s->d, "UPDATE sender_counts SET n = n - 1 WHERE folder_id = "
        "(SELECT min(folder_id) FROM sender_counts)");
}

int main(void)
{
    st_id inbox;
    st_store *s = tsu_store("categ.sqlite", NULL, &inbox);
    for (size_t i = 0; i < N_DATA; i++) {
        st_bag *b = st_bag_new();
        char subj[16];
        snprintf(subj, sizeof subj, "msg %zu", i);
        st_bag_set_str(b, PR_SUBJECT_W, subj);
        if (data[i].sender)
            st_bag_set_str(b, PR_SENDER_NAME_W, data[i].sender);
        st_bag_set_long(b, PR_IMPORTANCE, data[i].imp);
        st_bag_set_long(b, PR_MESSAGE_FLAGS, data[i].read);
        st_id id;
        ok(st_message_create(s, &id, inbox, b, 0) == 0, "create\n");
        st_bag_free(b);
    }
    st_table *t = NULL;
    ok(st_table_open(&t, s, inbox, ST_TABLE_CONTENTS) == 0, "open\n");
    ok(st_table_set_columns(t, cols, 8) == 0, "cols\n");

    static const struct {
        uint32_t levels, expanded;
        int desc;
        uint32_t count;
        const char *want;
    } cases[] = {
        { 1, 0, 0, 4, "C0:-:2/1 C0:alice:3/2 C0:bob:3/1 C0:carol:1/0 " },
        { 1, 1, 0, 13, "E0:-:2/1 5 7 E0:alice:3/2 0 1 2 E0:bob:3/1 3 4 6 E0:carol:1/0 8 " },
        { 1, 1, 1, 13, "E0:carol:1/0 8 E0:bob:3/1 3 4 6 E0:alice:3/2 0 1 2 E0:-:2/1 5 7 " },
        { 2, 2, 0, 21, "E0:-:2/1 E1:0:1/0 7 E1:1:1/1 5 E0:alice:3/2 E1:1:2/1 0 2 E1:2:1/1 1 "
                       "E0:bob:3/1 E1:0:1/0 3 E1:1:1/0 4 E1:2:1/1 6 E0:carol:1/0 E1:1:1/0 8 " },
        { 2, 1, 0, 12, "E0:-:2/1 C1:0:1/0 C1:1:1/1 E0:alice:3/2 C1:1:2/1 C1:2:1/1 "
                       "E0:bob:3/1 C1:0:1/0 C1:1:1/0 C1:2:1/1 E0:carol:1/0 C1:1:1/0 " },
        { 2, 0, 1, 4, "C0:carol:1/0 C0:bob:3/1 C0:alice:3/2 C0:-:2/1 " },
    };
    char buf[1024];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        set_sort(t, cases[c].levels, cases[c].expanded, cases[c].desc);
        uint32_t count = 0;
        int cr = st_table_count(t, &count);
        ok(cr == 0 && count == cases[c].count, "case %zu: count %u (%d %s)\n", c,
            count, cr, cr ? st_error_last() : "");
        for (long page = 1; page <= 5; page += 2) {
            read_all(t, buf, sizeof buf, page, (int)cases[c].levels);
            ok(!strcmp(buf, cases[c].want), "case %zu page %ld:\n got  %s\n want %s\n", c, page,
                buf, cases[c].want);
        }
        /* seek forward and position */
        long sought = 0;
        uint32_t row = 0, den = 0;
        ok(st_table_seek(t, BOOKMARK_BEGINNING, 3, &sought) == 0 && sought == 3, "seek 3\n");
        ok(st_table_position(t, &row, NULL, &den) == 0 && row == 3 && den == cases[c].count,
            "case %zu: position %u/%u\n", c, row, den);
        ok(st_table_seek(t, BOOKMARK_CURRENT, 100, &sought) == 0 &&
            sought == (long)cases[c].count - 3, "seek past: %ld\n", sought);
        ok(st_table_seek_approx(t, 1, 2) == 0 && st_table_position(t, &row, NULL, NULL) == 0 &&
            row == cases[c].count / 2, "case %zu: approx %u\n", c, row);
        /* backward: reads, seeks, the cursor left before the first row read */
        for (long page = 1; page <= 4; page += 3) {
            read_all_back(t, buf, sizeof buf, page, (int)cases[c].levels);
            ok(!strcmp(buf, cases[c].want), "case %zu back page %ld:\n got  %s\n want %s\n", c,
                page, buf, cases[c].want);
        }
        ok(st_table_seek(t, BOOKMARK_END, -2, &sought) == 0 && sought == -2 &&
            st_table_position(t, &row, NULL, NULL) == 0 && row == cases[c].count - 2,
            "case %zu: seek -2 from the end: %ld, row %u\n", c, sought, row);
        ok(st_table_seek(t, BOOKMARK_CURRENT, -100, &sought) == 0 &&
            sought == -(long)(cases[c].count - 2) && st_table_position(t, &row, NULL, NULL) == 0 &&
            row == 0, "case %zu: seek back past the start: %ld, row %u\n", c, sought, row);
        ok(st_table_seek(t, BOOKMARK_BEGINNING, 3, NULL) == 0, "seek 3\n");
        {
            st_row *rows = NULL;
            size_t k = 0;
            ok(st_table_query_rows(t, &rows, &k, -2, 0) == 0 && k == 2 &&
                st_table_position(t, &row, NULL, NULL) == 0 && row == 1,
                "case %zu: 2 back from row 3: %zu rows, cursor %u\n", c, k, row);
            st_rows_free(rows, k);
            ok(st_table_query_rows(t, &rows, &k, -5, 0) == 0 && k == 1 &&
                st_table_position(t, &row, NULL, NULL) == 0 && row == 0,
                "case %zu: back to the start: %zu rows, cursor %u\n", c, k, row);
            st_rows_free(rows, k);
            ok(st_table_query_rows(t, &rows, &k, -5, 0) == 0 && k == 0, "nothing before\n");
            st_rows_free(rows, k);
        }
    }

    /* expand / collapse one header of a collapsed one-level table */
    set_sort(t, 1, 0, 0);
    uint8_t bob[8], alice[8];
    ok(header_key(t, bob, "C0:bob", 1), "bob header\n");
    ok(header_key(t, alice, "C0:alice", 1), "alice header\n");
    uint32_t n = 0, count = 0;
    ok(st_table_expand(t, bob, &n) == 0 && n == 3, "expand: %u\n", n);
    read_all(t, buf, sizeof buf, 2, 1);
    ok(!strcmp(buf, "C0:-:2/1 C0:alice:3/2 E0:bob:3/1 3 4 6 C0:carol:1/0 "), "expanded: %s\n", buf);
    ok(st_table_count(t, &count) == 0 && count == 7, "count %u\n", count);
    /* the collapse state, with the cursor on Bob's header */
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 2, NULL) == 0, "seek bob\n");
    uint8_t *state = NULL;
    size_t len = 0;
    ok(st_table_collapse_state_get(t, &state, &len, bob) == 0 && len > 9, "get state\n");
    ok(st_table_collapse(t, bob, &n) == 0 && n == 3, "collapse: %u\n", n);
    ok(st_table_expand(t, (uint8_t[8]){ 1, 2, 3, 4, 5, 6, 7, 0x80 }, &n) == ST_ENOTFOUND,
        "unknown header\n");
    /* restore into another table with the same sort */
    st_table *t2 = NULL;
    ok(st_table_open(&t2, s, inbox, ST_TABLE_CONTENTS) == 0, "open t2\n");
    st_table_set_columns(t2, cols, 8);
    set_sort(t2, 1, 0, 0);
    st_bookmark bm = 0;
    ok(st_table_collapse_state_set(t2, &bm, state, len) == 0 && bm >= 3, "set state: %s\n",
        st_error_last());
    ok(st_table_count(t2, &count) == 0 && count == 7, "restored count %u\n", count);
    ok(st_table_seek(t2, bm, 0, NULL) == 0, "seek to bookmark\n");
    {
        st_row *rows = NULL;
        size_t k = 0;
        char b[256] = "";
        ok(st_table_query_rows(t2, &rows, &k, 2, 0) == 0 && k == 2, "rows at bookmark\n");
        spell(b, sizeof b, rows, k, 1);
        ok(!strcmp(b, "E0:bob:3/1 3 "), "at bookmark: %s\n", b);
        st_rows_free(rows, k);
    }
    ok(st_table_collapse_state_set(t2, &bm, (const uint8_t *)"junk", 4) == ST_ECORRUPT,
        "junk state\n");
    free(state);
    /* a leaf key in the state */
    set_sort(t2, 1, 1, 0);
    read_all(t2, buf, sizeof buf, 50, 1);
    st_table_close(t2);

    /* two levels, the second collapsed: expand one subgroup, collapse a top one */
    set_sort(t, 2, 1, 0);
    uint8_t sub2[8], top[8];
    ok(header_key(t, sub2, "C1:2", 2), "sub header\n");   /* alice, importance 2 */
    ok(st_table_expand(t, sub2, &n) == 0 && n == 1, "expand sub: %u\n", n);
    ok(st_table_count(t, &count) == 0 && count == 13, "count %u\n", count);
    ok(st_table_expand(t, sub2, &n) == 0 && n == 0, "expand again: %u\n", n);
    ok(header_key(t, top, "E0:alice", 2), "top header\n");
    ok(st_table_collapse(t, top, &n) == 0 && n == 3, "collapse top: %u\n", n);
    read_all(t, buf, sizeof buf, 4, 2);
    ok(!strcmp(buf, "E0:-:2/1 C1:0:1/0 C1:1:1/1 C0:alice:3/2 E0:bob:3/1 C1:0:1/0 C1:1:1/0 "
        "C1:2:1/1 E0:carol:1/0 C1:1:1/0 "), "collapsed top: %s\n", buf);
    ok(st_table_expand(t, sub2, &n) == 0 && n == 0, "hidden sub: %u\n", n);

    /* FindRow forward and backward among the leaves of an expanded table */
    set_sort(t, 1, 1, 0);
    {
        st_value v = st_view_str(PR_SUBJECT_W, "msg 4");
        st_restriction *r = st_res_property(RELOP_EQ, PR_SUBJECT_W, &v);
        ok(st_table_find_row(t, r, BOOKMARK_BEGINNING, 0) == 0, "find: %s\n", st_error_last());
        uint32_t row = 0;
        ok(st_table_position(t, &row, NULL, NULL) == 0 && row == 9, "found at %u\n", row);
        ok(st_table_find_row(t, r, BOOKMARK_CURRENT, 0) == 0, "finds itself\n");
        ok(st_table_seek(t, BOOKMARK_CURRENT, 1, NULL) == 0 &&
            st_table_find_row(t, r, BOOKMARK_CURRENT, 0) == ST_ENOTFOUND, "no more\n");
        ok(st_table_find_row(t, r, BOOKMARK_END, DIR_BACKWARD) == 0 &&
            st_table_position(t, &row, NULL, NULL) == 0 && row == 9, "backward: %s\n",
            st_error_last());
        ok(st_table_find_row(t, r, BOOKMARK_CURRENT, DIR_BACKWARD) == ST_ENOTFOUND,
            "backward from itself: none before\n");
        ok(st_table_find_row(t, r, BOOKMARK_BEGINNING, DIR_BACKWARD) == ST_ENOTFOUND,
            "backward from the start\n");
        st_res_free(r);
    }

    /* three levels: not yet */
    st_sortset *so = st_sortset_new(3);
    so->orders[0].tag = PR_SENDER_NAME_W;
    so->orders[1].tag = PR_IMPORTANCE;
    so->orders[2].tag = PR_SUBJECT_W;
    so->n_categories = 3;
    ok(st_table_sort(t, so) == ST_ELIMIT, "3 levels refused\n");
    st_sortset_free(so);

    st_table_close(t);
    test_sender_counts_kept(s);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
