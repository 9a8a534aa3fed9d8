/*
 * test_storage_store_props.c: the store object's own properties
 * (st_store_props_get / st_store_props_set, storage/store_props.c): none at
 * first, set and delete, kept across a reopen, a failed transaction leaves
 * the old set, a damaged blob is ST_ECORRUPT, not a crash, and (Linux) a
 * writer killed with SIGKILL 30 times leaves one whole set every time.
 */
#include <sqlite3.h>

#include "test_storage_util.h"

#ifndef _WIN32
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

static void test_props(void)
{
    st_store *s = tsu_store("sp.sqlite", NULL, NULL);
    st_bag *b = NULL;
    ok(st_store_props_get(s, &b) == 0 && b && st_bag_count(b) == 0, "none at first\n");
    st_bag_free(b);

    st_bag *set = st_bag_new();
    uint8_t eid[24] = { 1, 2, 3 };
    st_bag_set_bin(set, PROP_TAG(PT_BINARY, 0x35E9), eid, sizeof eid);
    st_bag_set_long(set, PROP_TAG(PT_LONG, 0x8123), 42);
    st_bag_set_str(set, PROP_TAG(PT_UNICODE, 0x8124), "Outlook w\xc3\xa4s here");
    ok(st_store_props_set(s, set, NULL, 0) == 0, "set: %s\n", st_error_last());
    st_bag_free(set);
    uint32_t del[2] = { PROP_TAG(PT_LONG, 0x8123), PROP_TAG(PT_LONG, 0x8999) };
    ok(st_store_props_set(s, NULL, del, 2) == 0, "delete (one absent): %s\n", st_error_last());

    /* a transaction rolled back leaves the previous set */
    set = st_bag_new();
    st_bag_set_long(set, PROP_TAG(PT_LONG, 0x8125), 7);
    ok(st_store_begin(s) == 0, "begin\n");
    ok(st_store_props_set(s, set, NULL, 0) == 0, "set inside\n");
    st_store_rollback(s);
    st_bag_free(set);
    st_store_close(s);

    s = tsu_store("sp.sqlite", NULL, NULL);
    ok(st_store_props_get(s, &b) == 0 && b, "get after reopen: %s\n", st_error_last());
    const st_value *v = b ? st_bag_get(b, PROP_TAG(PT_BINARY, 0x35E9)) : NULL;
    ok(v && v->v.bin.len == sizeof eid && !memcmp(v->v.bin.data, eid, sizeof eid), "binary kept\n");
    v = b ? st_bag_get(b, PROP_TAG(PT_UNICODE, 0x8124)) : NULL;
    ok(v && !strcmp(v->v.str, "Outlook w\xc3\xa4s here"), "string kept\n");
    ok(b && !st_bag_get(b, PROP_TAG(PT_LONG, 0x8123)), "deleted stays deleted\n");
    ok(b && !st_bag_get(b, PROP_TAG(PT_LONG, 0x8125)), "rolled back not kept\n");
    ok(b && st_bag_count(b) == 2, "count %zu\n", b ? st_bag_count(b) : 0);
    st_bag_free(b);
    st_store_close(s);

    /* damaged bytes: an error with a message */
    sqlite3 *db = NULL;
    ok(sqlite3_open(tsu_path("sp.sqlite"), &db) == SQLITE_OK
        && sqlite3_exec(db, "UPDATE meta SET value = x'5342010005' WHERE key = 'store_props'",
            NULL, NULL, NULL) == SQLITE_OK, "damage\n");
    sqlite3_close(db);
    s = tsu_store("sp.sqlite", NULL, NULL);
    int r = st_store_props_get(s, &b);
    ok(r == ST_ECORRUPT && !b && *st_error_last(), "damaged: %d %s\n", r, st_error_last());
    set = st_bag_new();
    st_bag_set_long(set, PROP_TAG(PT_LONG, 0x8125), 7);
    ok(st_store_props_set(s, set, NULL, 0) == ST_ECORRUPT, "no write over a damaged set\n");
    st_bag_free(set);
    st_store_close(s);
}

#ifndef _WIN32
/* Rewrites the set over and over: values 0x8001..0x8020 all equal to k,
 * k counting up; never returns. */
static void writer(const char *path)
{
    st_store *s = NULL;
    if (st_store_open(&s, path, NULL, 0))
        _exit(2);
    for (int32_t k = 1;; k++) {
        st_bag *set = st_bag_new();
        for (uint32_t id = 0x8001; id <= 0x8020; id++)
            st_bag_set_long(set, PROP_TAG(PT_LONG, id), k);
        if (st_store_props_set(s, set, NULL, 0))
            _exit(3);
        st_bag_free(set);
    }
}

static void test_kill(void)
{
    const char *path = tsu_path("kill.sqlite");
    st_store *s = tsu_store("kill.sqlite", NULL, NULL);
    st_store_close(s);
    int whole = 0, runs = 30;
    int32_t last = 0;
    for (int r = 0; r < runs; r++) {
        pid_t pid = fork();
        if (pid == 0)
            writer(path);
        usleep(20000 + (useconds_t)(r * 7919 % 30000));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        s = tsu_store("kill.sqlite", NULL, NULL);
        st_bag *b = NULL;
        int ok_set = st_store_props_get(s, &b) == 0 && b;
        const st_value *first = ok_set ? st_bag_get(b, PROP_TAG(PT_LONG, 0x8001)) : NULL;
        int32_t k = first ? first->v.l : 0;
        for (uint32_t id = 0x8001; ok_set && id <= 0x8020; id++) {
            const st_value *v = st_bag_get(b, PROP_TAG(PT_LONG, id));
            ok_set = first ? v && v->v.l == k : !v;
        }
        whole += ok_set;
        last = k;
        st_bag_free(b);
        st_store_close(s);
    }
    ok(whole == runs, "a whole set after every kill: %d of %d\n", whole, runs);
    ok(last > 0, "the writer got some sets in: %d\n", (int)last);
}
#endif

int main(void)
{
    test_props();
#ifndef _WIN32
    test_kill();
#endif
    tsu_cleanup();
    return test_done();
}
