/*
 * test_storage_rebuild.c: a store replaced without losing unsent work
 * (st_store_rebuild + st_store_restore). A mailbox with server items and
 * every kind of local change (a new message with a body and an attachment
 * kept as streams and an embedded message, a modify, a read flag, a move to
 * a server folder and into a new local folder, a delete) is rebuilt: the
 * damaged file is set aside, the changes kept in the recovered file, the
 * fresh store empty with the same GUID. After the server's items come back
 * (imported as a sync would), the restore makes every change again, as
 * journaled local changes. A file whose journal cannot be read is left
 * alone unless forced; forced, it is set aside and nothing is deleted.
 * What the server never has goes over too, also without a journal entry:
 * the store's own properties straight onto the fresh store, the folders'
 * local properties (a saved contents sort, ids 0x6600-0x67FF) kept in the
 * recovered file and put back by the restore on the folder with the same
 * URL, else the same name path (one found neither way: skipped).
 */
#include "test_storage_util.h"

static uint8_t big[100000];

static st_id server_item(st_store *s, st_id fid, int i, const char *href)
{
    st_bag *b = tsu_mail(i, 100);
    st_id mid = 0;
    ok(st_message_create(s, &mid, fid, b, ST_FROM_SERVER) == 0, "item %d\n", i);
    st_message_server_set(s, mid, href, "\"e1\"");
    st_bag_free(b);
    return mid;
}

/* Root, IPM subtree, Inbox and Archive with collection URLs, items A B D E F. */
static void server_state(st_store *s, st_id *inbox, st_id *archive, st_id ids[5])
{
    st_id root = 0, ipm = 0;
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_DISPLAY_NAME_W, "Root");
    st_folder_create(s, &root, 0, b, ST_FROM_SERVER);
    st_bag_free(b);
    ipm = tsu_folder(s, root, "Top of Information Store", ST_FROM_SERVER);
    *inbox = tsu_folder(s, ipm, "Inbox", ST_FROM_SERVER);
    *archive = tsu_folder(s, ipm, "Archive", ST_FROM_SERVER);
    st_folder_sync_set(s, ipm, "https://dav.example/mail/u/", NULL, NULL);
    st_folder_sync_set(s, *inbox, "https://dav.example/mail/u/Inbox/", NULL, NULL);
    st_folder_sync_set(s, *archive, "https://dav.example/mail/u/Archive/", NULL, NULL);
    static const char *const names[5] = { "A", "B", "D", "E", "F" };
    for (int i = 0; i < 5; i++) {
        char href[128];
        snprintf(href, sizeof href, "https://dav.example/mail/u/Inbox/%s.eml", names[i]);
        ids[i] = server_item(s, *inbox, i + 1, href);
    }
}

static const char *subject_of(st_store *s, st_id mid, char *buf, size_t size)
{
    st_bag *b = NULL;
    buf[0] = 0;
    if (st_message_get(s, &b, mid) == 0) {
        const st_value *v = st_bag_get(b, PR_SUBJECT_W);
        snprintf(buf, size, "%s", v ? v->v.str : "");
    }
    st_bag_free(b);
    return buf;
}

static int count_ops(st_store *s, int op)
{
    st_journal_entry *e = NULL;
    size_t n = 0;
    int k = 0;
    st_journal_list(s, &e, &n);
    for (size_t i = 0; i < n; i++)
        k += e[i].op == op;
    st_journal_entries_free(e, n);
    return k;
}

static uint64_t stream_size(st_store *s, st_id mid, uint32_t num, uint32_t tag)
{
    st_stream *r = NULL;
    uint64_t n = 0;
    if (st_stream_open_read(&r, s, mid, num, tag) == 0)
        n = st_stream_size(r);
    st_stream_close(r);
    return n;
}

/* A new store file name with the server's state in it. */
static st_store *mailbox(const char *name, st_id *inbox, st_id *archive, st_id ids[5])
{
    st_store *s = NULL;
    ok(st_store_open(&s, tsu_path(name), &tsu_guid, ST_OPEN_CREATE) == 0, "create %s\n", name);
    server_state(s, inbox, archive, ids);
    return s;
}

static void test_rebuild_and_restore(void)
{
    const char *path = tsu_path("mail.sqlite");
    st_id inbox = 0, archive = 0, ids[5];
    st_store *s = mailbox("mail.sqlite", &inbox, &archive, ids);

    /* local changes */
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)(i * 7);
    st_id c = 0;
    st_bag *b = tsu_mail(10, 40000);   /* a body above the inline limit: a stream */
    st_bag_set_str(b, PR_SUBJECT_W, "C: written offline");
    ok(st_message_create(s, &c, inbox, b, 0) == 0, "C\n");
    st_bag_free(b);
    st_bag *ab = st_bag_new();
    st_bag_set_bin(ab, PR_ATTACH_DATA_BIN, big, sizeof big);
    st_bag_set_str(ab, PR_ATTACH_LONG_FILENAME_W, "big.bin");
    uint32_t num = 0, enum_ = 0;
    ok(st_attach_create(s, &num, c, ab, 0) == 0, "C attachment\n");
    st_bag_free(ab);
    ab = st_bag_new();
    st_bag_set_long(ab, PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG);
    ok(st_attach_create(s, &enum_, c, ab, 0) == 0, "C embedded attachment\n");
    st_bag_free(ab);
    st_id emb = 0;
    ok(st_attach_embedded(s, &emb, c, enum_, 1) == 0, "embedded\n");
    b = st_bag_new();
    st_bag_set_str(b, PR_SUBJECT_W, "forwarded inside");
    st_message_set_props(s, emb, b, NULL, 0, 0);
    st_bag_free(b);
    ok(st_message_set_read(s, ids[0], 1, 0) == 0, "A read\n");
    b = st_bag_new();
    st_bag_set_str(b, PR_SUBJECT_W, "B: edited offline");
    ok(st_message_set_props(s, ids[1], b, NULL, 0, 0) == 0, "B modified\n");
    st_bag_free(b);
    ok(st_message_delete(s, ids[2], 0) == 0, "D deleted\n");
    st_id root = 0, ipm = 0, sub = 0;
    st_folder_root(s, &root);
    st_folder_find_by_name(s, &ipm, root, "Top of Information Store");
    sub = tsu_folder(s, inbox, "Projects/2026", 0);   /* a '/' in the name */
    ok(sub && st_message_move(s, ids[3], sub, 0) == 0, "E moved into a new local folder\n");
    ok(st_message_move(s, ids[4], archive, 0) == 0, "F moved to Archive\n");
    size_t pending = 0;
    st_journal_count(s, &pending, ST_JSTATE_PENDING);
    st_store_close(s);

    /* rebuild */
    st_rebuild_report r = { 0 };
    ok(st_store_rebuild(path, &tsu_guid, 0, &r) == 0, "rebuild: %s\n", st_error_last());
    ok(r.entries == pending && r.messages >= 4 && r.unreadable == 0 && !r.journal_lost,
       "report: %llu entries of %zu, %llu messages, %llu unreadable\n",
       (unsigned long long)r.entries, pending, (unsigned long long)r.messages,
       (unsigned long long)r.unreadable);
    uint64_t size = 0;
    ok(r.damaged_path && st_os_path_size(&size, r.damaged_path) == 0 && size > 0,
       "the old file is kept aside: %s\n", r.damaged_path ? r.damaged_path : "");
    ok(r.export_path && st_os_path_size(&size, r.export_path) == 0, "recovered file\n");

    /* the fresh store: empty, same GUID; the server's state comes back */
    s = NULL;
    ok(st_store_open(&s, path, &tsu_guid, 0) == 0, "fresh store opens with the GUID\n");
    st_id fr = 0;
    ok(st_folder_root(s, &fr) == ST_ENOTFOUND, "empty\n");
    server_state(s, &inbox, &archive, ids);
    size_t n = 1;
    st_journal_count(s, &n, ST_JSTATE_PENDING);
    ok(n == 0, "resync journals nothing\n");

    st_restore_report rr = { 0 };
    ok(st_store_restore(s, r.export_path, &rr) == 0, "restore: %s\n", st_error_last());
    ok(rr.failed == 0 && rr.skipped == 0 && rr.restored == r.entries,
       "restored %llu of %llu (%llu failed)\n", (unsigned long long)rr.restored,
       (unsigned long long)r.entries, (unsigned long long)rr.failed);

    char buf[256];
    st_bag *a = NULL;
    ok(st_message_get(s, &a, ids[0]) == 0 &&
       (st_bag_get(a, PR_MESSAGE_FLAGS)->v.l & MSGFLAG_READ), "A is read again\n");
    st_bag_free(a);
    ok(!strcmp(subject_of(s, ids[1], buf, sizeof buf), "B: edited offline"), "B: %s\n", buf);
    st_bag *gone = NULL;
    ok(st_message_get(s, &gone, ids[2]) == ST_ENOTFOUND, "D deleted again\n");
    st_bag_free(gone);
    st_id fid = 0, newsub = 0;
    ok(st_folder_find_by_name(s, &newsub, inbox, "Projects/2026") == 0, "local folder made again\n");
    ok(st_message_folder(s, &fid, ids[3]) == 0 && fid == newsub, "E in it\n");
    ok(st_message_folder(s, &fid, ids[4]) == 0 && fid == archive, "F in Archive\n");
    /* C: a new message in Inbox with its streams and embedded message */
    st_id *list = NULL;
    size_t nl = 0;
    st_message_list(s, &list, &nl, inbox, 0);
    st_id nc = 0;
    for (size_t i = 0; i < nl; i++)
        if (!strcmp(subject_of(s, list[i], buf, sizeof buf), "C: written offline"))
            nc = list[i];
    free(list);
    ok(nc != 0, "C made again in Inbox\n");
    if (nc) {
        uint32_t *nums = NULL;
        size_t na = 0;
        st_attach_list(s, &nums, &na, nc);
        ok(na == 2, "C: %zu attachments\n", na);
        ok(na && stream_size(s, nc, nums[0], PR_ATTACH_DATA_BIN) == sizeof big,
           "C: attachment bytes\n");
        st_stream *rd = NULL;
        uint8_t chunk[4096];
        size_t got = 0;
        int same = na && st_stream_open_read(&rd, s, nc, nums[0], PR_ATTACH_DATA_BIN) == 0 &&
            st_stream_seek(rd, 50000) == 0 && st_stream_read(rd, chunk, sizeof chunk, &got) == 0 &&
            got == sizeof chunk && !memcmp(chunk, big + 50000, sizeof chunk);
        st_stream_close(rd);
        ok(same, "C: attachment content\n");
        ok(stream_size(s, nc, ST_NO_ATTACH, PR_BODY_W) >= 40000, "C: body stream\n");
        st_id e2 = 0;
        ok(na == 2 && st_attach_embedded(s, &e2, nc, nums[1], 0) == 0 &&
           !strcmp(subject_of(s, e2, buf, sizeof buf), "forwarded inside"), "C: embedded\n");
        free(nums);
    }
    /* everything went into the journal again */
    ok(count_ops(s, ST_JOP_CREATE) >= 2 && count_ops(s, ST_JOP_DELETE) == 1 &&
       count_ops(s, ST_JOP_MOVE) >= 2, "journaled: %d creates, %d deletes, %d moves\n",
       count_ops(s, ST_JOP_CREATE), count_ops(s, ST_JOP_DELETE), count_ops(s, ST_JOP_MOVE));
    char *report = NULL;
    ok(st_store_check(s, &report) == 0, "check: %s\n", report ? report : "");
    free(report);
    st_store_close(s);
    st_rebuild_report_clear(&r);
}

#define PR_SORT_BLOB PROP_TAG(PT_BINARY, 0x6771)   /* provider/folderops.h */
#define PR_STORE_MARK PROP_TAG(PT_UNICODE, 0x6650)  /* any local store value */

static int sort_is(st_store *s, st_id fid, const uint8_t *want, size_t len)
{
    st_bag *b = NULL;
    int same = 0;
    if (st_folder_get(s, &b, fid) == 0) {
        const st_value *v = st_bag_get(b, PR_SORT_BLOB);
        same = v && v->v.bin.len == len && !memcmp(v->v.bin.data, want, len);
    }
    st_bag_free(b);
    return same;
}

static void test_local_props_carried(void)
{
    const char *path = tsu_path("props.sqlite");
    st_id inbox = 0, archive = 0, ids[5];
    st_store *s = mailbox("props.sqlite", &inbox, &archive, ids);
    st_id gone = tsu_folder(s, inbox, "Gone", ST_FROM_SERVER);
    st_folder_sync_set(s, gone, "https://dav.example/mail/u/Inbox/Gone/", NULL, NULL);
    static const uint8_t sort_a[20] = { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0x39, 0,
        1, 0, 0, 0 };
    static const uint8_t sort_b[12] = { 0 };
    st_bag *b = st_bag_new();
    st_bag_set_bin(b, PR_SORT_BLOB, sort_a, sizeof sort_a);
    ok(st_folder_set_props(s, inbox, b, NULL, 0, ST_FROM_SERVER) == 0
       && st_folder_set_props(s, gone, b, NULL, 0, ST_FROM_SERVER) == 0, "sorts A\n");
    st_bag_free(b);
    b = st_bag_new();
    st_bag_set_bin(b, PR_SORT_BLOB, sort_b, sizeof sort_b);
    ok(st_folder_set_props(s, archive, b, NULL, 0, ST_FROM_SERVER) == 0, "sort B\n");
    st_bag_free(b);
    b = st_bag_new();
    st_bag_set_str(b, PR_STORE_MARK, "kept");
    ok(st_store_props_set(s, b, NULL, 0) == 0, "store property\n");
    st_bag_free(b);
    size_t pending = 1;
    st_journal_count(s, &pending, ST_JSTATE_PENDING);
    ok(pending == 0, "nothing journaled: %zu\n", pending);
    st_store_close(s);

    st_rebuild_report r = { 0 };
    ok(st_store_rebuild(path, &tsu_guid, 0, &r) == 0, "rebuild: %s\n", st_error_last());
    ok(r.entries == 0 && r.unreadable == 0 && r.store_props == 1 && r.folders_kept == 3
       && r.export_path, "report: %llu entries, %llu unreadable, store %d, %llu folders, %s\n",
       (unsigned long long)r.entries, (unsigned long long)r.unreadable, r.store_props,
       (unsigned long long)r.folders_kept, r.export_path ? r.export_path : "no file");

    /* the store's properties are there at once */
    s = NULL;
    ok(st_store_open(&s, path, &tsu_guid, 0) == 0, "fresh store\n");
    b = NULL;
    const st_value *v = NULL;
    ok(st_store_props_get(s, &b) == 0 && (v = st_bag_get(b, PR_STORE_MARK)) != NULL
       && !strcmp(v->v.str, "kept"), "store property on the fresh store\n");
    st_bag_free(b);
    /* the resync: Inbox by the same URL, Archive under another URL (found
     * by its name path), Gone not there any more */
    server_state(s, &inbox, &archive, ids);
    st_folder_sync_set(s, archive, "https://dav.example/mail/u/Archive-2/", NULL, NULL);
    ok(!sort_is(s, inbox, sort_a, sizeof sort_a), "no sort before the restore\n");
    st_restore_report rr = { 0 };
    ok(r.export_path && st_store_restore(s, r.export_path, &rr) == 0, "restore: %s\n",
       st_error_last());
    ok(rr.restored == 2 && rr.skipped == 1 && rr.failed == 0,
       "restored %llu, skipped %llu, failed %llu\n", (unsigned long long)rr.restored,
       (unsigned long long)rr.skipped, (unsigned long long)rr.failed);
    ok(sort_is(s, inbox, sort_a, sizeof sort_a), "Inbox sort back (by URL)\n");
    ok(sort_is(s, archive, sort_b, sizeof sort_b), "Archive sort back (by path)\n");
    pending = 1;
    st_journal_count(s, &pending, ST_JSTATE_PENDING);
    ok(pending == 0, "nothing to send for local properties: %zu\n", pending);
    char *report = NULL;
    ok(st_store_check(s, &report) == 0, "check: %s\n", report ? report : "");
    free(report);
    st_store_close(s);
    st_rebuild_report_clear(&r);
}

static void test_unreadable_journal(void)
{
    const char *path = tsu_path("junk.sqlite");
    st_store *s = NULL;
    st_id inbox = 0;
    s = tsu_store("junk.sqlite", NULL, &inbox);
    st_store_close(s);
    FILE *f = fopen(path, "r+b");
    ok(f != NULL, "open raw\n");
    if (f) {
        fwrite("this is not a database, not at all", 1, 34, f);
        fclose(f);
    }
    st_rebuild_report r = { 0 };
    int rc = st_store_rebuild(path, &tsu_guid, 0, &r);
    ok(rc == ST_ECORRUPT, "refused without force: %d %s\n", rc, st_error_last());
    ok(strstr(st_error_last(), "left as it is") != NULL, "says so: %s\n", st_error_last());
    uint64_t size = 0;
    ok(st_os_path_size(&size, path) == 0 && size > 0, "file untouched\n");
    rc = st_store_rebuild(path, &tsu_guid, ST_REBUILD_FORCE, &r);
    ok(rc == 0 && r.journal_lost && !r.export_path && r.damaged_path, "forced: %d %s\n", rc,
       st_error_last());
    ok(r.damaged_path && st_os_path_size(&size, r.damaged_path) == 0 && size > 0,
       "set aside, not deleted\n");
    s = NULL;
    ok(st_store_open(&s, path, &tsu_guid, 0) == 0, "fresh store\n");
    st_store_close(s);
    st_rebuild_report_clear(&r);
}

int main(void)
{
    test_rebuild_and_restore();
    test_local_props_carried();
    test_unreadable_journal();
    tsu_cleanup();
    return test_done();
}
