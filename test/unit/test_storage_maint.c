/*
 * test_storage_maint.c: integrity check (clean store passes; a wrong
 * folder count, a dangling journal entry and a missing stream chunk are
 * each found), compact (incremental vacuum returns freed pages), and the
 * statistics, store-wide and per folder.
 */
#include <sqlite3.h>

#include "test_storage_util.h"

static void tamper(st_store *s, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_open(st_store_path(s), &db);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fprintf(stderr, "tamper: %s\n", sqlite3_errmsg(db));
    sqlite3_close(db);
}

static int check_says(st_store *s, const char *what)
{
    char *rep = NULL;
    int r = st_store_check(s, &rep);
    int found = r == ST_ECORRUPT && rep && strstr(rep, what);
    if (!found)
        fprintf(stderr, "check %d: %s\n", r, rep ? rep : "(no report)");
    free(rep);
    return found;
}

int main(void)
{
    st_id root, inbox;
    st_store *s = tsu_store("mt.sqlite", &root, &inbox);
    st_id ids[300];
    for (int i = 0; i < 300; i++) {
        st_bag *b = tsu_mail(i, 2000);
        st_message_create(s, &ids[i], inbox, b, i % 2 ? ST_FROM_SERVER : 0);
        st_bag_free(b);
    }
    st_bag *ab = st_bag_new();
    st_bag_set_bin(ab, PR_ATTACH_DATA_BIN, "data", 4);
    uint32_t num;
    st_attach_create(s, &num, ids[0], ab, 0);
    st_bag_free(ab);
    st_stream *w = NULL;
    st_stream_open_write(&w, s, ids[1], ST_NO_ATTACH, PR_HTML);
    char chunk[70000];
    memset(chunk, 'h', sizeof chunk);
    st_stream_write(w, chunk, sizeof chunk);
    ok(st_stream_commit(w, 0) == 0, "stream\n");

    char *rep = NULL;
    int r = st_store_check(s, &rep);
    ok(r == 0 && rep == NULL, "clean: %d %s\n", r, rep ? rep : "");
    free(rep);

    st_store_stats st;
    ok(st_store_stats_get(s, &st) == 0, "stats\n");
    ok(st.folders == 2 && st.messages == 300 && st.attachments == 1 && st.streams == 1 &&
        st.stream_bytes == sizeof chunk && st.journal_pending == 151 /* 150 creates + 1 modify */, "stats values: %llu %llu %llu\n",
        (unsigned long long)st.messages, (unsigned long long)st.streams,
        (unsigned long long)st.journal_pending);
    st_folder_stats fs;
    ok(st_folder_stats_get(s, &fs, inbox) == 0 && fs.messages == 300 && fs.bytes > 300 * 2000,
        "folder stats %llu %llu\n", (unsigned long long)fs.messages, (unsigned long long)fs.bytes);

    /* Delete most, then compact. */
    st_store_begin(s);
    for (int i = 10; i < 300; i++)
        st_message_delete(s, ids[i], ST_FROM_SERVER);
    ok(st_store_commit(s) == 0, "deleted\n");
    st_store_stats_get(s, &st);
    uint64_t pages = st.page_count, free0 = st.free_pages;
    ok(free0 > 50, "free pages %llu\n", (unsigned long long)free0);
    ok(st_store_compact(s, 10) == 0, "compact 10\n");
    st_store_stats_get(s, &st);
    ok(st.page_count == pages - 10, "10 pages returned: %llu -> %llu\n", (unsigned long long)pages,
        (unsigned long long)st.page_count);
    ok(st_store_compact(s, 0) == 0, "compact all\n");
    st_store_stats_get(s, &st);
    ok(st.free_pages == 0 && st.page_count < pages - free0 + 1, "all returned\n");
    r = st_store_check(s, &rep);
    ok(r == 0, "clean after compact: %s\n", rep ? rep : "");
    free(rep);

    /* Damage, one kind at a time. */
    tamper(s, "UPDATE folders SET unread_count = unread_count + 1 WHERE parent_id IS NOT NULL");
    ok(check_says(s, "folder counts"), "wrong count found\n");
    tamper(s, "UPDATE folders SET unread_count = unread_count - 1 WHERE parent_id IS NOT NULL");
    tamper(s, "INSERT INTO journal(op, kind, obj_id, state, created) VALUES (2, 0, 987654, 0, 0)");
    ok(check_says(s, "journal entry of a missing object"), "dangling journal found\n");
    tamper(s, "DELETE FROM journal WHERE obj_id = 987654");
    tamper(s, "DELETE FROM stream_chunks WHERE seq = 1");
    ok(check_says(s, "stream incomplete"), "missing chunk found\n");

    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
