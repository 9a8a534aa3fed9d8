/*
 * test_os.c: the platform layer (storage/os.h), the same checks on Linux
 * and on Windows (under Wine).
 *
 * Works in a temporary folder it creates and removes; paths hold non-ASCII
 * characters so the UTF-8 <-> UTF-16 conversion on Windows is exercised.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "storage/error.h"
#include "storage/os.h"
#include "testutil.h"

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (!p)
        test_fatal("out of memory\n");
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

static int write_file(const char *path, const char *text)
{
    st_file *f = NULL;
    if (st_os_file_open_append(&f, path) != ST_OK)
        return ST_ERROR;
    int rc = st_os_file_write(f, text, strlen(text));
    st_os_file_close(f);
    return rc;
}

static int file_is(const char *path, const char *want)
{
    char *data = NULL;
    size_t len = 0;
    if (st_os_read_file(&data, &len, path) != ST_OK)
        return 0;
    int same = len == strlen(want) && memcmp(data, want, len) == 0;
    free(data);
    return same;
}

/* ---- Clocks, ids -------------------------------------------------------- */

static void test_clocks(void)
{
    uint64_t ft = st_os_time_filetime();
    /* 2020-01-01 .. 2100-01-01 */
    ok(ft > UINT64_C(132223104000000000) && ft < UINT64_C(157469184000000000),
        "filetime %llu out of range\n", (unsigned long long)ft);
    uint64_t a = st_os_time_ms();
    st_os_sleep_ms(30);
    uint64_t b = st_os_time_ms();
    ok(b >= a + 20 && b < a + 5000, "monotonic: %llu then %llu\n", (unsigned long long)a,
        (unsigned long long)b);
    uint64_t ft2 = st_os_time_filetime();
    ok(ft2 >= ft + 200000, "wall clock advanced %llu ticks\n", (unsigned long long)(ft2 - ft));
    ok(st_os_pid() != 0, "pid\n");
}

/* ---- Threads, mutex, once ------------------------------------------------ */

static st_mutex counter_lock = ST_MUTEX_INIT;
static long counter;
static st_once once = ST_ONCE_INIT;
static atomic_int once_runs;
static uint64_t thread_ids[4];

static void once_fn(void)
{
    st_os_sleep_ms(20); /* let the other threads pile up on it */
    atomic_fetch_add(&once_runs, 1);
}

static void thread_main(void *arg)
{
    int id = *(int *)arg;
    thread_ids[id] = st_os_thread_id();
    st_once_call(&once, once_fn);
    if (atomic_load(&once_runs) != 1)
        counter = -1000000; /* seen by the check below */
    for (int i = 0; i < 20000; i++) {
        st_mutex_lock(&counter_lock);
        counter++;
        st_mutex_unlock(&counter_lock);
    }
}

static void test_threads(void)
{
    st_thread *t[4];
    int ids[4] = { 0, 1, 2, 3 };
    for (int i = 0; i < 4; i++)
        ok(st_thread_start(&t[i], thread_main, &ids[i]) == ST_OK, "start: %s\n", st_error_last());
    for (int i = 0; i < 4; i++)
        st_thread_join(t[i]);
    ok(counter == 80000, "counter %ld\n", counter);
    ok(atomic_load(&once_runs) == 1, "once ran %d times\n", atomic_load(&once_runs));
    for (int i = 0; i < 4; i++) {
        ok(thread_ids[i] != 0 && thread_ids[i] != st_os_thread_id(), "thread %d id\n", i);
        for (int j = 0; j < i; j++)
            ok(thread_ids[i] != thread_ids[j], "threads %d and %d share an id\n", i, j);
    }
    st_thread_join(NULL);

    st_mutex m;
    st_mutex_init(&m);
    st_mutex_lock(&m);
    st_mutex_unlock(&m);
    st_mutex_destroy(&m);
}

/* ---- Condition variable --------------------------------------------------- */

static st_mutex cv_lock = ST_MUTEX_INIT;
static st_cond cv;
static int cv_go;           /* the predicate, under cv_lock */
static int cv_woken;        /* waiters that saw it, under cv_lock */
static int cv_timeouts;     /* waits that timed out first, under cv_lock */

/* Waits for cv_go with the timeout *arg (NULL: 10 s), at most 10 s in all. */
static void cv_waiter(void *arg)
{
    unsigned tmo = arg ? *(const unsigned *)arg : 10000;
    st_mutex_lock(&cv_lock);
    uint64_t end = st_os_time_ms() + 10000;
    while (!cv_go && st_os_time_ms() < end)
        if (st_cond_wait(&cv, &cv_lock, tmo) == 1)
            cv_timeouts++;
    if (cv_go)
        cv_woken++;
    st_mutex_unlock(&cv_lock);
}

static void test_cond(void)
{
    st_cond_init(&cv);

    /* Nobody signals: a timed wait returns 1 after about its time. */
    st_mutex_lock(&cv_lock);
    uint64_t t0 = st_os_time_ms();
    int r = 0;
    while (r == 0 && st_os_time_ms() - t0 < 60)
        r = st_cond_wait(&cv, &cv_lock, 60);
    uint64_t dt = st_os_time_ms() - t0;
    st_mutex_unlock(&cv_lock);
    ok(r == 1, "timed wait gave %d\n", r);
    ok(dt >= 50 && dt < 2000, "timed wait took %llu ms\n", (unsigned long long)dt);

    /* A zero timeout returns at once. */
    st_mutex_lock(&cv_lock);
    t0 = st_os_time_ms();
    r = st_cond_wait(&cv, &cv_lock, 0);
    dt = st_os_time_ms() - t0;
    st_mutex_unlock(&cv_lock);
    ok(r == 1 && dt < 1000, "zero wait gave %d after %llu ms\n", r, (unsigned long long)dt);

    /* signal wakes one waiter long before its timeout. */
    st_thread *t[3];
    ok(st_thread_start(&t[0], cv_waiter, NULL) == ST_OK, "start: %s\n", st_error_last());
    st_os_sleep_ms(50);
    t0 = st_os_time_ms();
    st_mutex_lock(&cv_lock);
    cv_go = 1;
    st_cond_signal(&cv);
    st_mutex_unlock(&cv_lock);
    st_thread_join(t[0]);
    dt = st_os_time_ms() - t0;
    ok(cv_woken == 1 && cv_timeouts == 0, "signal: woken %d, timeouts %d\n", cv_woken, cv_timeouts);
    ok(dt < 2000, "signal took %llu ms\n", (unsigned long long)dt);

    /* broadcast wakes all three; they wait forever otherwise. */
    cv_go = cv_woken = 0;
    for (int i = 0; i < 3; i++)
        ok(st_thread_start(&t[i], cv_waiter, NULL) == ST_OK, "start: %s\n", st_error_last());
    st_os_sleep_ms(50);
    t0 = st_os_time_ms();
    st_mutex_lock(&cv_lock);
    cv_go = 1;
    st_cond_broadcast(&cv);
    st_mutex_unlock(&cv_lock);
    for (int i = 0; i < 3; i++)
        st_thread_join(t[i]);
    dt = st_os_time_ms() - t0;
    ok(cv_woken == 3 && cv_timeouts == 0, "broadcast: woken %d, timeouts %d\n", cv_woken,
        cv_timeouts);
    ok(dt < 2000, "broadcast took %llu ms\n", (unsigned long long)dt);

    /* ST_WAIT_FOREVER returns on a signal. */
    cv_go = cv_woken = 0;
    static const unsigned forever = ST_WAIT_FOREVER;
    ok(st_thread_start(&t[0], cv_waiter, (void *)&forever) == ST_OK, "start: %s\n",
        st_error_last());
    st_os_sleep_ms(20);
    st_mutex_lock(&cv_lock);
    cv_go = 1;
    st_cond_broadcast(&cv);
    st_mutex_unlock(&cv_lock);
    st_thread_join(t[0]);
    ok(cv_woken == 1 && cv_timeouts == 0, "forever: woken %d, timeouts %d\n", cv_woken,
        cv_timeouts);
    st_cond_destroy(&cv);
}

/* ---- Files --------------------------------------------------------------- */

static void test_files(const char *tmp)
{
    char *deep = join(tmp, "caf\xC3\xA9/\xE2\x82\xAC/three");
    ok(!st_os_is_dir(deep), "not there yet\n");
    ok(st_os_mkdir_p(deep) == ST_OK, "mkdir -p: %s\n", st_error_last());
    ok(st_os_is_dir(deep), "mkdir -p made it\n");
    ok(st_os_mkdir_p(deep) == ST_OK, "mkdir -p of an existing folder: %s\n", st_error_last());

    char *a = join(deep, "a.txt"), *b = join(deep, "b\xC3\xBC.txt");
    ok(write_file(a, "hello ") == ST_OK, "write: %s\n", st_error_last());
    ok(write_file(a, "world\n") == ST_OK, "append: %s\n", st_error_last());
    ok(file_is(a, "hello world\n"), "appended content\n");
    uint64_t size = 0;
    ok(st_os_path_size(&size, a) == ST_OK && size == 12, "size %llu\n", (unsigned long long)size);
    ok(!st_os_is_dir(a), "a file is not a folder\n");

    /* mkdir -p over a file fails with a message naming it. */
    ok(st_os_mkdir_p(a) == ST_ERROR && strstr(st_error_last(), "a.txt"),
        "mkdir -p over a file: '%s'\n", st_error_last());

    /* Rename over an existing file replaces it. */
    ok(write_file(b, "old") == ST_OK, "write b\n");
    ok(st_os_rename(a, b) == ST_OK, "rename: %s\n", st_error_last());
    ok(file_is(b, "hello world\n"), "renamed over\n");
    ok(st_os_path_size(&size, a) == ST_ERROR, "source gone\n");

    /* Rename while the target is open for append (as a log rotation does
     * when another process has debug.log open). */
    st_file *f = NULL;
    ok(st_os_file_open_append(&f, b) == ST_OK, "open: %s\n", st_error_last());
    ok(st_os_rename(b, a) == ST_OK, "rename of an open file: %s\n", st_error_last());
    if (f) {
        ok(st_os_file_write(f, "more\n", 5) == ST_OK, "write after rename\n");
        st_os_file_close(f);
    }
    ok(file_is(a, "hello world\nmore\n"), "writes follow the renamed file\n");

    ok(st_os_remove(a) == ST_OK, "remove: %s\n", st_error_last());
    ok(st_os_remove(a) == ST_ERROR && strstr(st_error_last(), "a.txt"),
        "remove a missing file: '%s'\n", st_error_last());
    char *data = (char *)1;
    size_t len = 1;
    ok(st_os_read_file(&data, &len, a) == ST_ERROR && data == NULL && len == 0,
        "read a missing file\n");

    /* A larger file reads back whole. */
    char *big = malloc(100001);
    if (big) {
        for (int i = 0; i < 100000; i++)
            big[i] = (char)('a' + i % 26);
        big[100000] = '\0';
        ok(write_file(b, big) == ST_OK && file_is(b, big), "100 kB round trip\n");
        free(big);
    }

    ok(write_file(a, "x") == ST_OK, "a again\n");
    free(a);
    free(b);
    free(deep);
}

static void test_environment(void)
{
    char *v = (char *)1;
    ok(st_os_setenv("MAPIDAV_TEST_VAR", NULL) == ST_OK, "unset\n");
    ok(st_os_getenv(&v, "MAPIDAV_TEST_VAR") == ST_OK && v == NULL, "unset reads as NULL\n");
    ok(st_os_setenv("MAPIDAV_TEST_VAR", "h\xC3\xA9llo \xE2\x82\xAC") == ST_OK, "set\n");
    ok(st_os_getenv(&v, "MAPIDAV_TEST_VAR") == ST_OK && v
        && strcmp(v, "h\xC3\xA9llo \xE2\x82\xAC") == 0, "UTF-8 value: '%s'\n", v ? v : "(null)");
    free(v);
    ok(st_os_setenv("MAPIDAV_TEST_VAR", "") == ST_OK, "set empty\n");
    ok(st_os_getenv(&v, "MAPIDAV_TEST_VAR") == ST_OK && v && *v == '\0', "empty value\n");
    free(v);
    st_os_setenv("MAPIDAV_TEST_VAR", NULL);
}

int main(void)
{
    char *tmp = NULL;
    if (st_os_tempdir_create(&tmp, "mapidav-test-os-") != ST_OK)
        test_fatal("temp dir: %s\n", st_error_last());
    ok(st_os_is_dir(tmp), "temp dir exists: %s\n", tmp);
    char *tmp2 = NULL;
    ok(st_os_tempdir_create(&tmp2, "mapidav-test-os-") == ST_OK && tmp2 && strcmp(tmp, tmp2),
        "a second temp dir is another one\n");
    if (tmp2)
        st_os_remove_tree(tmp2);
    free(tmp2);

    test_clocks();
    test_threads();
    test_cond();
    test_files(tmp);
    test_environment();

    ok(st_os_remove_tree(tmp) == ST_OK, "remove tree: %s\n", st_error_last());
    ok(!st_os_is_dir(tmp), "tree gone\n");
    free(tmp);
    return test_done();
}
