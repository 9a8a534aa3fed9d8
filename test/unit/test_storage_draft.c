/*
 * test_storage_draft.c: streams of objects not in storage yet (stream.c
 * "Drafts"): written once, straight in, invisible until adopted by their
 * message or attachment in the caller's transaction (no copy); a rollback
 * leaves the writer as it was; a draft closed unsaved leaves nothing (pages
 * back after compaction); a crash's leftover is swept at the next open once
 * it is old, a young one is left alone; the writer never holds the write
 * lock between its calls; misuse gets an error.
 */
#include "test_storage_util.h"
#include "storage/storage_int.h"

#define MB (1024u * 1024u)

static uint8_t pattern(uint64_t pos)
{
    return (uint8_t)((pos * 2654435761u) >> 13);
}

/* Appends len pattern bytes from pos; with other, shows after each piece
 * that the writer left the write lock free (another connection takes it).
 * The failures. */
static int write_pattern(st_stream *w, uint64_t pos, uint64_t len, st_store *other)
{
    static uint8_t buf[100000];
    int bad = 0;
    for (uint64_t at = pos; at < pos + len;) {
        size_t n = pos + len - at < sizeof buf ? (size_t)(pos + len - at) : sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = pattern(at + i);
        bad += st_stream_write(w, buf, n) != 0;
        if (other) {
            bad += st_store_begin(other) != 0;
            bad += st_store_commit(other) != 0;
        }
        at += n;
    }
    return bad;
}

/* Reads (mid, num, tag) back: 1 when it is len pattern bytes. */
static int reads_back(st_store *s, st_id mid, uint32_t num, uint32_t tag, uint64_t len)
{
    st_stream *r = NULL;
    if (st_stream_open_read(&r, s, mid, num, tag) != 0)
        return 0;
    static uint8_t buf[70000];
    uint64_t pos = 0;
    int same = st_stream_size(r) == len;
    while (same) {
        size_t got = 0;
        if (st_stream_read(r, buf, sizeof buf, &got) != 0)
            same = 0;
        if (!got)
            break;
        for (size_t i = 0; same && i < got; i++)
            same = buf[i] == pattern(pos + i);
        pos += got;
    }
    st_stream_close(r);
    return same && pos == len;
}

static int64_t count(st_store *s, const char *sql)
{
    int64_t n = -1;
    if (st_db__int(&s->d, &n, sql) != 0)
        return -1;
    return n;
}

static uint64_t used_bytes(st_store *s)
{
    st_store_stats st;
    if (st_store_stats_get(s, &st) != 0)
        return 0;
    return (st.page_count - st.free_pages) * st.page_size;
}

static int checks_clean(st_store *s, const char *when)
{
    char *report = NULL;
    int code = st_store_check(s, &report);
    ok(code == 0, "st_store_check %s: %d %s\n", when, code, report ? report : st_error_last());
    free(report);
    return code == 0;
}

/* Begins a transaction and makes message i in fid in it (*m). */
static int begin_message(st_store *s, st_id fid, int i, st_id *m)
{
    st_bag *b = tsu_mail(i, 10);
    int code = st_store_begin(s);
    if (!code)
        code = st_message_create(s, m, fid, b, 0);
    st_bag_free(b);
    return code;
}

/* An attachment of m by method, data its PR_ATTACH_DATA_BIN (or none). */
static int new_attach(st_store *s, st_id m, long method, const char *data, uint32_t *num)
{
    st_bag *b = st_bag_new();
    st_bag_set_long(b, PR_ATTACH_METHOD, method);
    if (data)
        st_bag_set_bin(b, PR_ATTACH_DATA_BIN, (const uint8_t *)data, (uint32_t)strlen(data));
    int code = st_attach_create(s, num, m, b, 0);
    st_bag_free(b);
    return code;
}

/* Commits when code is 0, else rolls back: the code. */
static int end(st_store *s, int code)
{
    if (code) {
        st_store_rollback(s);
        return code;
    }
    return st_store_commit(s);
}

/* A new message with a new attachment whose 5 MB were written before
 * either existed. */
static void test_new_attachment(st_store *s, st_id inbox)
{
    st_store *other = NULL;
    ok(st_store_open(&other, tsu_path("s.sqlite"), NULL, 0) == 0, "second connection\n");
    st_folder_stats fs0, fs1;
    st_folder_stats_get(s, &fs0, inbox);
    uint64_t used0 = used_bytes(s);

    st_stream *w = NULL;
    ok(st_stream_open_draft(&w, s, PR_ATTACH_DATA_BIN) == 0, "open draft: %s\n",
        st_error_last());
    if (!w)
        return;
    ok(write_pattern(w, 0, 5 * MB, other) == 0, "5 MB written, the lock free between writes\n");
    uint64_t grew = used_bytes(s) - used0;
    ok(grew >= 4 * MB && grew < 6 * MB, "store grew by %llu while written\n",
        (unsigned long long)grew);
    st_folder_stats_get(s, &fs1, inbox);
    ok(fs1.messages == fs0.messages, "no message seen: %llu\n",
        (unsigned long long)fs1.messages);
    ok(count(s, "SELECT count(*) FROM journal") == count(other, "SELECT count(*) FROM journal"),
        "journal untouched\n");
    checks_clean(s, "with a draft open");
    uint8_t got[16];
    size_t n = 0;
    ok(st_stream_read_pending(w, 5 * MB - 8, got, 16, &n) == 0 && n == 8
        && got[7] == pattern(5 * MB - 1), "pending read at the end: %zu\n", n);

    int64_t j0 = count(s, "SELECT count(*) FROM journal");
    st_id m = 0;
    uint32_t num = 0;
    int code = begin_message(s, inbox, 1, &m);
    if (!code)
        code = new_attach(s, m, 1, NULL, &num);
    if (!code)
        code = st_stream_adopt(w, m, num, 0);
    ok(code == 0, "adopted: %s\n", st_error_last());
    ok(end(s, code) == 0, "commit\n");
    st_stream_close(w);
    ok(reads_back(s, m, num, PR_ATTACH_DATA_BIN, 5 * MB), "5 MB read back\n");
    ok(count(s, "SELECT count(*) FROM messages WHERE id < 0") == 0, "holder gone\n");
    grew = used_bytes(s) - used0;
    ok(grew < 6 * MB, "store grew once: %llu\n", (unsigned long long)grew);
    ok(count(s, "SELECT count(*) FROM journal") > j0, "journaled\n");
    st_bag *a = NULL;
    st_attach_get(s, &a, m, num);
    const st_value *sz = a ? st_bag_get(a, PR_ATTACH_SIZE) : NULL;
    ok(sz && (uint32_t)sz->v.l >= 5 * MB, "PR_ATTACH_SIZE %ld\n", sz ? (long)sz->v.l : -1L);
    ok(a && st_bag_get(a, PROP_TAG(PT_ERROR, PROP_ID(PR_ATTACH_DATA_BIN))) != NULL,
        "marked as a stream\n");
    st_bag_free(a);
    st_folder_stats_get(s, &fs1, inbox);
    ok(fs1.messages == fs0.messages + 1, "the message counted once\n");
    checks_clean(s, "after adoption");
    st_store_close(other);
}

/* The caller's transaction rolls back: the writer goes on as before. */
static void test_rollback(st_store *s, st_id inbox)
{
    st_stream *w = NULL;
    ok(st_stream_open_draft(&w, s, PR_RTF_COMPRESSED) == 0, "draft\n");
    if (!w)
        return;
    ok(write_pattern(w, 0, 1536 * 1024 - 100, NULL) == 0, "1.5 MB\n");
    ok(st_stream_flush(w) == 0, "flushed: %s\n", st_error_last());
    ok(count(s, "SELECT count(*) FROM stream_chunks c JOIN streams t ON t.id = c.stream_id"
        " WHERE t.message_id < 0") == 23, "whole chunks only\n");
    ok(write_pattern(w, 1536 * 1024 - 100, 100, NULL) == 0, "and on\n");
    st_id m = 0;
    int code = begin_message(s, inbox, 2, &m);
    if (!code)
        code = st_stream_adopt(w, m, ST_NO_ATTACH, 0);
    ok(code == 0, "adopted in a transaction that then rolls back\n");
    st_store_rollback(s);
    ok(count(s, "SELECT count(*) FROM messages WHERE id < 0") == 1, "the holder is back\n");
    ok(write_pattern(w, 1536 * 1024, 512 * 1024 + 7, NULL) == 0, "written on\n");
    code = begin_message(s, inbox, 2, &m);
    if (!code)
        code = st_stream_adopt(w, m, ST_NO_ATTACH, 0);
    ok(end(s, code) == 0, "adopted again: %s\n", st_error_last());
    st_stream_close(w);
    ok(reads_back(s, m, ST_NO_ATTACH, PR_RTF_COMPRESSED, 2 * MB + 7), "2 MB read back\n");
    checks_clean(s, "after the rollback and the adoption");
}

/* An embedded message's attachment, and the replacement of a value. */
static void test_embedded(st_store *s, st_id inbox)
{
    st_id m = 0, e = 0;
    uint32_t num = 0, inner = 0;
    st_stream *w = NULL;
    ok(st_stream_open_draft(&w, s, PR_ATTACH_DATA_BIN) == 0, "draft\n");
    ok(write_pattern(w, 0, 100000, NULL) == 0, "100 KB\n");
    int code = begin_message(s, inbox, 3, &m);
    if (!code)
        code = new_attach(s, m, 5, NULL, &num);
    if (!code)
        code = st_attach_embedded(s, &e, m, num, 1);
    if (!code)
        code = new_attach(s, e, 1, "old", &inner);
    if (!code && w)
        code = st_stream_adopt(w, e, inner, 0);
    ok(end(s, code) == 0, "embedded attachment adopted: %s\n", st_error_last());
    st_stream_close(w);
    ok(reads_back(s, e, inner, PR_ATTACH_DATA_BIN, 100000), "read back, the old value gone\n");
    checks_clean(s, "after the embedded one");
}

/* Closed unsaved: nothing stays; the pages come back. */
static void test_abandon(st_store *s)
{
    st_store_compact(s, 1u << 20);
    uint64_t used0 = used_bytes(s);
    int64_t streams0 = count(s, "SELECT count(*) FROM streams");
    int64_t chunks0 = count(s, "SELECT count(*) FROM stream_chunks");
    st_stream *w = NULL;
    ok(st_stream_open_draft(&w, s, PR_ATTACH_DATA_BIN) == 0, "draft\n");
    ok(write_pattern(w, 0, 4 * MB, NULL) == 0, "4 MB\n");
    st_stream_close(w);
    ok(count(s, "SELECT count(*) FROM streams") == streams0
        && count(s, "SELECT count(*) FROM stream_chunks") == chunks0
        && count(s, "SELECT count(*) FROM messages WHERE id < 0") == 0, "nothing left\n");
    st_store_compact(s, 1u << 20);
    uint64_t used = used_bytes(s);
    ok(used <= used0 + 64 * 1024, "pages back: %llu -> %llu\n", (unsigned long long)used0,
        (unsigned long long)used);
    checks_clean(s, "after an abandoned draft");
}

/* A crash's leftover: swept at an open once old; a young one stays. */
static void test_crash_sweep(st_store *s, st_id inbox)
{
    st_stream *old = NULL, *young = NULL;
    ok(st_stream_open_draft(&old, s, PR_ATTACH_DATA_BIN) == 0, "old draft\n");
    ok(st_stream_open_draft(&young, s, PR_ATTACH_DATA_BIN) == 0, "young draft\n");
    if (!old || !young)
        return;
    ok(write_pattern(old, 0, 2 * MB, NULL) == 0, "2 MB\n");
    ok(write_pattern(young, 0, 1 * MB + 5, NULL) == 0, "1 MB\n");
    /* the old one's writer "crashed" two days ago */
    int64_t sid = count(s, "SELECT min(id) FROM streams WHERE message_id < 0");
    ok(st_db__run_int(&s->d, "UPDATE streams SET created = created - 172800000 WHERE id = ?",
        sid, "test") == 0, "aged\n");
    st_store *again = NULL;
    ok(st_store_open(&again, tsu_path("s.sqlite"), NULL, 0) == 0, "reopened\n");
    ok(count(again, "SELECT count(*) FROM messages WHERE id < 0") == 1
        && count(again, "SELECT count(*) FROM streams WHERE message_id < 0") == 1,
        "the old draft swept, the young one kept\n");
    ok(count(again, "SELECT count(*) FROM stream_chunks WHERE stream_id NOT IN"
        " (SELECT id FROM streams)") == 0, "its chunks went with it\n");
    checks_clean(again, "after the sweep");
    st_store_close(again);
    /* the old writer finds out at its next flush or adoption */
    int bad = write_pattern(old, 2 * MB, 1 * MB, NULL);
    st_id m = 0;
    int code = begin_message(s, inbox, 4, &m);
    int adopt = code ? 0 : st_stream_adopt(old, m, ST_NO_ATTACH, 0);
    ok(bad || adopt, "the swept writer fails: %d, %d (%s)\n", bad, adopt, st_error_last());
    st_store_rollback(s);
    st_stream_close(old);
    code = begin_message(s, inbox, 4, &m);
    if (!code)
        code = st_stream_adopt(young, m, ST_NO_ATTACH, 0);
    code = end(s, code);
    ok(code == 0, "the young one adopted: %s\n", st_error_last());
    st_stream_close(young);
    ok(code == 0 && reads_back(s, m, ST_NO_ATTACH, PR_ATTACH_DATA_BIN, MB + 5),
        "the young one read back\n");
    checks_clean(s, "after the crash test");
}

static void test_misuse(st_store *s, st_id inbox)
{
    st_stream *w = NULL;
    ok(st_stream_open_draft(&w, s, PR_MESSAGE_FLAGS) != 0 && !w, "a PT_LONG draft refused\n");
    ok(st_stream_open_draft(&w, s, PR_ATTACH_DATA_BIN) == 0, "draft\n");
    ok(st_stream_adopt(w, 1, ST_NO_ATTACH, 0) != 0, "adopt outside a transaction refused\n");
    ok(st_stream_commit(w, 0) != 0, "commit of a draft refused\n");
    ok(count(s, "SELECT count(*) FROM messages WHERE id < 0") == 0, "and dropped\n");
    st_id m1 = 0, m2 = 0;
    st_bag *b = tsu_mail(5, 10);
    st_message_create(s, &m1, inbox, b, 0);
    st_message_create(s, &m2, inbox, b, 0);
    st_bag_free(b);
    w = NULL;
    ok(st_stream_open_write(&w, s, m1, ST_NO_ATTACH, PR_ATTACH_DATA_BIN) == 0, "writer\n");
    int code = st_store_begin(s);
    ok(code == 0 && st_stream_adopt(w, m2, ST_NO_ATTACH, 0) != 0,
        "another message's writer refused: %s\n", st_error_last());
    ok(st_stream_adopt(w, m1, 999, 0) == ST_ENOTFOUND, "a missing attachment\n");
    st_store_rollback(s);
    st_stream_close(w);
    checks_clean(s, "after misuse");
}

int main(void)
{
    st_id root, inbox;
    st_store *s = tsu_store("s.sqlite", &root, &inbox);
    test_new_attachment(s, inbox);
    test_rollback(s, inbox);
    test_embedded(s, inbox);
    test_abandon(s);
    test_crash_sweep(s, inbox);
    test_misuse(s, inbox);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
