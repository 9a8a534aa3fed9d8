/*
 * test_storage_stream.c: a 50 MB attachment written and read as a stream
 * in chunks, with SQLite's memory high-water mark far below 50 MB (the
 * value is never in memory at once; counted by an allocator of our own
 * around SQLite's, as storage turns SQLite's statistics off); seek; replacing and aborting; a
 * reader seeing its stream replaced gets an error, not mixed data.
 */
#include "test_storage_util.h"
#include "storage/storage_int.h"

#include <stdatomic.h>

#define BIG (50u * 1024u * 1024u)

static uint8_t pattern(uint64_t pos)
{
    return (uint8_t)((pos * 2654435761u) >> 13);
}

/* SQLite's allocations counted: bytes in use and their peak since the last
 * hw_take (sqlite3_memory_highwater says 0 with SQLITE_CONFIG_MEMSTATUS
 * off, which db.c sets). Installed before SQLite starts. */
static sqlite3_mem_methods sys_mem;
static _Atomic long long mem_cur, mem_peak;

static void mem_count(long long delta)
{
    long long now = mem_cur += delta, peak = mem_peak;
    while (now > peak && !atomic_compare_exchange_weak(&mem_peak, &peak, now))
        ;
}

static void *mem_malloc(int n)
{
    void *p = sys_mem.xMalloc(n);
    if (p)
        mem_count(sys_mem.xSize(p));
    return p;
}

static void mem_free(void *p)
{
    if (p)
        mem_count(-(long long)sys_mem.xSize(p));
    sys_mem.xFree(p);
}

static void *mem_realloc(void *p, int n)
{
    int old = p ? sys_mem.xSize(p) : 0;
    void *q = sys_mem.xRealloc(p, n);
    if (q)
        mem_count((long long)sys_mem.xSize(q) - old);
    return q;
}

static void mem_install(void)
{
    sqlite3_mem_methods m;
    ok(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sys_mem) == SQLITE_OK, "SQLite's allocator\n");
    m = sys_mem;
    m.xMalloc = mem_malloc;
    m.xFree = mem_free;
    m.xRealloc = mem_realloc;
    ok(sqlite3_config(SQLITE_CONFIG_MALLOC, &m) == SQLITE_OK, "counting allocator\n");
}

/* The peak since the last call; the next one counts from what is in use. */
static long long hw_take(void)
{
    long long peak = mem_peak;
    mem_peak = (long long)mem_cur;
    return peak;
}

int main(void)
{
    mem_install();
    st_id root, inbox;
    st_store *s = tsu_store("s.sqlite", &root, &inbox);
    st_bag *b = tsu_mail(1, 100);
    st_id m;
    ok(st_message_create(s, &m, inbox, b, 0) == 0, "message\n");
    st_bag_free(b);
    b = st_bag_new();
    st_bag_set_long(b, PR_ATTACH_METHOD, 1);
    st_bag_set_str(b, PR_ATTACH_FILENAME_W, "big.bin");
    uint32_t num;
    ok(st_attach_create(s, &num, m, b, 0) == 0, "attachment\n");
    st_bag_free(b);

    (void)hw_take();
    st_stream *w = NULL;
    ok(st_stream_open_write(&w, s, m, num, PR_ATTACH_DATA_BIN) == 0, "open write: %s\n",
        st_error_last());
    uint8_t buf[100000];
    uint64_t pos = 0;
    int werr = 0;
    while (w && pos < BIG) {
        size_t n = BIG - pos < sizeof buf ? (size_t)(BIG - pos) : sizeof buf;
        for (size_t i = 0; i < n; i++)
            buf[i] = pattern(pos + i);
        if (st_stream_write(w, buf, n) != 0)
            werr++;
        pos += n;
    }
    ok(!werr, "writes\n");
    /* A writer's bytes read back while it is open: whole chunks from the
     * file, the rest from its buffer. */
    {
        st_stream *p = NULL;
        enum { PLEN = 1100000 };
        ok(st_stream_open_write(&p, s, m, num, PR_ATTACH_DATA_BIN) == 0, "pending writer\n");
        for (uint64_t at = 0; p && at < PLEN; at += sizeof buf) {
            size_t n = PLEN - at < sizeof buf ? (size_t)(PLEN - at) : sizeof buf;
            for (size_t i = 0; i < n; i++)
                buf[i] = pattern(at + i);
            st_stream_write(p, buf, n);
        }
        static const uint64_t at[] = { 0, 1048000, PLEN - 10, PLEN };
        static const size_t want[] = { 10, 2000, 10, 0 };
        for (size_t k = 0; p && k < 4; k++) {
            uint8_t got[2000];
            size_t n = 99;
            int code = st_stream_read_pending(p, at[k], got, k == 2 ? 100 : want[k] ? want[k] : 10,
                &n);
            int same = code == 0 && n == want[k];
            for (size_t i = 0; same && i < n; i++)
                same = got[i] == pattern(at[k] + i);
            ok(same, "pending read at %llu: %d, %zu bytes\n", (unsigned long long)at[k], code, n);
        }
        st_stream_close(p);   /* aborted: nothing changes */
    }
    /* Not visible before the commit. */
    st_bag *a = NULL;
    st_attach_get(s, &a, m, num);
    ok(a && !st_bag_get(a, PROP_TAG(PT_ERROR, PROP_ID(PR_ATTACH_DATA_BIN))), "invisible before commit\n");
    st_bag_free(a);
    ok(st_stream_commit(w, 0) == 0, "commit: %s\n", st_error_last());
    long long hw = hw_take();
    /* the page cache let go after each 1 MB group (stream.c), not filled */
    ok(hw > 0 && hw < 4 * 1024 * 1024, "SQLite memory high-water %lld bytes while writing\n",
        (long long)hw);

    ok(st_attach_get(s, &a, m, num) == 0, "get\n");
    const st_value *v = a ? st_bag_get(a, PROP_TAG(PT_ERROR, PROP_ID(PR_ATTACH_DATA_BIN))) : NULL;
    ok(v && v->v.err == ST_E_NOT_ENOUGH_MEMORY, "stream marker\n");
    v = a ? st_bag_get(a, PR_ATTACH_SIZE) : NULL;
    ok(v && v->v.l >= (int32_t)BIG, "attach size %d\n", v ? v->v.l : -1);
    st_bag_free(a);
    st_bag *mg = NULL;
    st_message_get(s, &mg, m);
    v = st_bag_get(mg, PR_MESSAGE_SIZE);
    ok(v && v->v.l >= (int32_t)BIG, "message size %d\n", v ? v->v.l : -1);
    st_bag_free(mg);

    st_stream *r = NULL;
    ok(st_stream_open_read(&r, s, m, num, PR_ATTACH_DATA_BIN) == 0, "open read\n");
    ok(r && st_stream_size(r) == BIG, "size\n");
    pos = 0;
    int bad = 0;
    size_t got;
    while (r && st_stream_read(r, buf, sizeof buf, &got) == 0 && got) {
        for (size_t i = 0; i < got; i++)
            bad += buf[i] != pattern(pos + i);
        pos += got;
    }
    ok(pos == BIG && bad == 0, "read back %llu bytes, %d wrong\n", (unsigned long long)pos, bad);
    hw = hw_take();
    ok(hw < 24 * 1024 * 1024, "SQLite memory high-water %lld bytes while reading (16 MB page cache + chunks)\n", (long long)hw);
    ok(st_stream_seek(r, 12345678) == 0 && st_stream_read(r, buf, 10, &got) == 0 && got == 10 &&
        buf[0] == pattern(12345678) && buf[9] == pattern(12345687), "seek\n");
    ok(st_stream_seek(r, BIG - 3) == 0 && st_stream_read(r, buf, 10, &got) == 0 && got == 3,
        "short read at the end\n");

    /* Replace it with a small stream while r is open: r errs, never mixes. */
    st_stream *w2 = NULL;
    ok(st_stream_open_write(&w2, s, m, num, PR_ATTACH_DATA_BIN) == 0, "second writer\n");
    ok(st_stream_write(w2, "small", 5) == 0 && st_stream_commit(w2, 0) == 0, "replace\n");
    st_stream_seek(r, 0);
    int rr = st_stream_read(r, buf, 100, &got);
    ok(rr != 0, "old reader errs after replacement: %d\n", rr);
    st_stream_close(r);
    ok(st_stream_open_read(&r, s, m, num, PR_ATTACH_DATA_BIN) == 0 && st_stream_size(r) == 5,
        "new value\n");
    ok(st_stream_read(r, buf, 100, &got) == 0 && got == 5 && !memcmp(buf, "small", 5), "small\n");
    st_stream_close(r);

    /* Abort: nothing changes, nothing left behind. */
    ok(st_stream_open_write(&w2, s, m, num, PR_ATTACH_DATA_BIN) == 0, "third writer\n");
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < 20; i++)
        st_stream_write(w2, buf, sizeof buf);
    st_stream_close(w2);
    ok(st_stream_open_read(&r, s, m, num, PR_ATTACH_DATA_BIN) == 0 && st_stream_size(r) == 5,
        "abort kept the value\n");
    st_stream_close(r);
    st_store_stats stats;
    st_store_stats_get(s, &stats);
    ok(stats.streams == 1 && stats.stream_bytes == 5, "one live stream: %llu %llu\n",
        (unsigned long long)stats.streams, (unsigned long long)stats.stream_bytes);

    /* An inline property reads as a stream too; a missing one is ENOTFOUND. */
    ok(st_stream_open_read(&r, s, m, ST_NO_ATTACH, PR_SUBJECT_W) == 0, "inline as stream\n");
    ok(st_stream_read(r, buf, sizeof buf, &got) == 0 && got > 10, "inline read\n");
    st_stream_close(r);
    ok(st_stream_open_read(&r, s, m, ST_NO_ATTACH, PR_HTML) == ST_ENOTFOUND, "missing\n");
    /* The message body as a stream on the message itself. */
    ok(st_stream_open_write(&w2, s, m, ST_NO_ATTACH, PR_HTML) == 0, "html writer\n");
    st_stream_write(w2, "<p>hi</p>", 9);
    ok(st_stream_commit(w2, 0) == 0, "html commit\n");
    ok(st_stream_open_read(&r, s, m, ST_NO_ATTACH, PR_HTML) == 0 && st_stream_size(r) == 9,
        "html read\n");
    st_stream_close(r);

    /* Compact gives the 50 MB back. */
    st_store_stats_get(s, &stats);
    uint64_t pages = stats.page_count;
    ok(stats.free_pages * stats.page_size > 40u * 1024 * 1024, "free pages after replacing: %llu\n",
        (unsigned long long)stats.free_pages);
    ok(st_store_compact(s, 0) == 0, "compact: %s\n", st_error_last());
    st_store_stats_get(s, &stats);
    ok(stats.page_count < pages / 4 && stats.free_pages == 0, "pages %llu -> %llu\n",
        (unsigned long long)pages, (unsigned long long)stats.page_count);
    /* A writer begun on the message, committed to an attachment made
     * meanwhile. */
    {
        st_stream *p = NULL, *r = NULL;
        uint32_t num2 = 0;
        ok(st_stream_open_write(&p, s, m, ST_NO_ATTACH, PR_ATTACH_DATA_BIN) == 0,
            "writer on the message\n");
        for (size_t i = 0; i < 3000; i++)
            buf[i] = pattern(i);
        if (p)
            st_stream_write(p, buf, 3000);
        st_bag *nb = st_bag_new();
        st_bag_set_long(nb, PR_ATTACH_METHOD, 1);
        ok(st_attach_create(s, &num2, m, nb, 0) == 0, "attachment made meanwhile\n");
        st_bag_free(nb);
        ok(p && st_stream_commit_to(p, num2, 0) == 0, "commit to it: %s\n", st_error_last());
        uint8_t got[3001];
        size_t n = 0;
        int code = st_stream_open_read(&r, s, m, num2, PR_ATTACH_DATA_BIN);
        if (!code)
            code = st_stream_read(r, got, sizeof got, &n);
        ok(code == 0 && n == 3000 && memcmp(got, buf, 3000) == 0, "its bytes: %d, %zu\n", code,
            n);
        st_stream_close(r);
        ok(st_stream_open_read(&r, s, m, ST_NO_ATTACH, PR_ATTACH_DATA_BIN) == ST_ENOTFOUND,
            "not the message's\n");
        st_stream_close(r);
    }
    char *rep = NULL;
    int rc = st_store_check(s, &rep);
    ok(rc == 0, "check: %s\n", rep ? rep : "");
    free(rep);
    st_store_close(s);
    tsu_cleanup();
    return test_done();
}
