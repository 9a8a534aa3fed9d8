/*
 * test_table_hier.c: hierarchy tables: direct children by name, the whole
 * subtree with ST_CONVENIENT_DEPTH (depth first, PR_DEPTH), a restriction,
 * a sort, seeks, positions, FindRow, bookmarks, and TABLE_RELOAD when a
 * folder changes.
 */
#include "storage/table.h"
#include "test_storage_util.h"

static st_id mk(st_store *s, st_id parent, const char *name)
{
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_DISPLAY_NAME_W, name);
    st_id id = 0;
    ok(st_folder_create(s, &id, parent, b, ST_FROM_SERVER) == 0, "create %s\n", name);
    st_bag_free(b);
    return id;
}

static void expect(st_table *t, const char *want)
{
    char buf[256] = "";
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 0, NULL) == 0, "seek\n");
    st_row *rows = NULL;
    size_t n = 0;
    ok(st_table_query_rows(t, &rows, &n, 100, 0) == 0, "query\n");
    for (size_t i = 0; i < n; i++) {
        size_t off = strlen(buf);
        snprintf(buf + off, sizeof buf - off, "%s/%d ", rows[i].vals[1].v.str,
            rows[i].vals[2].v.l);
    }
    st_rows_free(rows, n);
    ok(!strcmp(buf, want), "got  %s\nwant %s\n", buf, want);
}

int main(void)
{
    st_id root, inbox;
    st_store *s = tsu_store("hier.sqlite", &root, &inbox);
    st_id b = mk(s, inbox, "b-folder");
    st_id a = mk(s, inbox, "A-folder");
    mk(s, a, "a2");
    mk(s, a, "a1");
    mk(s, b, "b1");
    mk(s, root, "Sent");

    st_table *t = NULL;
    ok(st_table_open_hierarchy(&t, s, root, 0) == 0, "open\n");
    expect(t, "Inbox/0 Sent/0 ");
    st_table_close(t);
    ok(st_table_open_hierarchy(&t, s, root, ST_CONVENIENT_DEPTH) == 0, "open deep\n");
    expect(t, "Inbox/0 A-folder/1 a1/2 a2/2 b-folder/1 b1/2 Sent/0 ");
    uint32_t count = 0, row = 0;
    ok(st_table_count(t, &count) == 0 && count == 7, "count %u\n", count);
    long sought = 0;
    ok(st_table_seek(t, BOOKMARK_BEGINNING, 3, &sought) == 0 && sought == 3, "seek\n");
    st_bookmark bm;
    ok(st_table_bookmark_create(t, &bm) == 0, "bookmark\n");
    ok(st_table_seek(t, BOOKMARK_CURRENT, 10, &sought) == 0 && sought == 4, "seek past %ld\n",
        sought);
    ok(st_table_position(t, &row, NULL, NULL) == 0 && row == 7, "at end %u\n", row);
    ok(st_table_seek(t, bm, 0, NULL) == 0 && st_table_position(t, &row, NULL, NULL) == 0 &&
        row == 3, "bookmark %u\n", row);
    ok(st_table_seek_approx(t, 1, 2) == 0 && st_table_position(t, &row, NULL, NULL) == 0 &&
        row == 3, "approx %u\n", row);
    st_value v = st_view_str(PR_DISPLAY_NAME_W, "B1");
    st_restriction *r = st_res_property(RELOP_EQ, PR_DISPLAY_NAME_W, &v);
    ok(st_table_find_row(t, r, BOOKMARK_BEGINNING, 0) == 0 &&
        st_table_position(t, &row, NULL, NULL) == 0 && row == 5, "find %u\n", row);
    ok(st_table_find_row(t, r, BOOKMARK_BEGINNING, DIR_BACKWARD) == ST_ENOTFOUND, "find back\n");
    st_res_free(r);
    /* restriction: names with "1" (their parents stay out, the children in) */
    st_value p = st_view_str(PR_DISPLAY_NAME_W, "1");
    r = st_res_content(FL_SUBSTRING, PR_DISPLAY_NAME_W, &p);
    ok(st_table_restrict(t, r) == 0, "restrict\n");
    expect(t, "a1/2 b1/2 ");
    st_res_free(r);
    ok(st_table_restrict(t, NULL) == 0, "unrestrict\n");
    /* a sort by name descending (ties keep tree order) */
    st_sortset *so = st_sortset_new(1);
    so->orders[0].tag = PR_DISPLAY_NAME_W;
    so->orders[0].order = TABLE_SORT_DESCEND;
    ok(st_table_sort(t, so) == 0, "sort\n");
    expect(t, "Sent/0 Inbox/0 b1/2 b-folder/1 a2/2 a1/2 A-folder/1 ");
    so->n_categories = 1;
    ok(st_table_sort(t, so) == ST_ELIMIT, "no categories\n");
    st_sortset_free(so);
    /* a folder change reloads */
    st_table_notif *ns = NULL;
    size_t nn = 0;
    st_table_notifications(t, &ns, &nn);
    st_table_notifs_free(ns, nn);
    mk(s, b, "b2");
    ok(st_table_notifications(t, &ns, &nn) == 0 && nn == 1 && ns[0].type == TABLE_RELOAD,
        "reload %zu\n", nn);
    st_table_notifs_free(ns, nn);
    st_table_close(t);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
