/*
 * test_error.c: the thread-local error message (storage/error.h).
 *
 * Checks set/get/clear, a message built from the previous one, truncation
 * at a UTF-8 boundary, and that threads never see each other's messages.
 */
#include <stdatomic.h>
#include <string.h>

#include "storage/error.h"
#include "storage/os.h"
#include "testutil.h"

static void test_basics(void)
{
    ok(strcmp(st_error_last(), "") == 0, "fresh thread: got '%s'\n", st_error_last());
    st_error_set("cannot open '%s': %d", "a.db", 42);
    ok(strcmp(st_error_last(), "cannot open 'a.db': 42") == 0, "got '%s'\n", st_error_last());

    /* Adding context: the old message is an argument of the new one. */
    st_error_set("opening account: %s", st_error_last());
    ok(strcmp(st_error_last(), "opening account: cannot open 'a.db': 42") == 0,
        "got '%s'\n", st_error_last());

    st_error_clear();
    ok(strcmp(st_error_last(), "") == 0, "after clear: got '%s'\n", st_error_last());
    ok(ST_OK == 0 && ST_ERROR == -1, "codes\n");
}

static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
            : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0)
            return 0;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return 0;
    }
    return 1;
}

static void test_truncation(void)
{
    static char big[5000];
    memset(big, 'x', sizeof big - 1);
    st_error_set("long: %s", big);
    size_t len = strlen(st_error_last());
    ok(len == ST_ERROR_MAX - 1, "length %d\n", (int)len);
    ok(len >= 3 && strcmp(st_error_last() + len - 3, "...") == 0, "ends with '...'\n");
    ok(strncmp(st_error_last(), "long: xxx", 9) == 0, "keeps the start\n");

    /* Two-, three- and four-byte characters: every cut must land between
     * characters, whatever the alignment. */
    const char *chars[] = { "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80" };
    for (int c = 0; c < 3; c++) {
        for (int shift = 0; shift < 4; shift++) {
            static char u[4000];
            size_t k = (size_t)shift;
            memset(u, 'a', k);
            size_t cl = strlen(chars[c]);
            while (k + cl < sizeof u - 1) {
                memcpy(u + k, chars[c], cl);
                k += cl;
            }
            u[k] = '\0';
            st_error_set("%s", u);
            const char *m = st_error_last();
            ok(strlen(m) < ST_ERROR_MAX && strlen(m) >= ST_ERROR_MAX - 8,
                "char %d shift %d: length %d\n", c, shift, (int)strlen(m));
            ok(valid_utf8(m), "char %d shift %d: cut inside a character\n", c, shift);
            ok(strcmp(m + strlen(m) - 3, "...") == 0, "char %d shift %d: no '...'\n", c, shift);
        }
    }

    /* Exactly fitting: not cut. */
    static char fit[ST_ERROR_MAX];
    memset(fit, 'y', ST_ERROR_MAX - 1);
    st_error_set("%s", fit);
    ok(strcmp(st_error_last(), fit) == 0, "a message of ST_ERROR_MAX - 1 bytes is kept whole\n");
    st_error_clear();
}

/* ---- Two threads ------------------------------------------------------- */

typedef struct worker {
    int id;                       /* 1 or 2 */
    int initial_empty;            /* st_error_last() was "" at start */
    int mismatches;               /* iterations that saw another message */
} worker;

static atomic_int started;

static void worker_main(void *arg)
{
    worker *w = arg;
    w->initial_empty = strcmp(st_error_last(), "") == 0;
    atomic_fetch_add(&started, 1);
    while (atomic_load(&started) < 2)
        ; /* both run at once */
    char want[64];
    for (int i = 0; i < 20000; i++) {
        snprintf(want, sizeof want, "thread %d iteration %d", w->id, i);
        st_error_set("thread %d iteration %d", w->id, i);
        if (strcmp(st_error_last(), want) != 0)
            w->mismatches++;
        if (i % 100 == 0)
            st_error_clear();
    }
    st_error_set("thread %d done", w->id);
}

static void test_threads(void)
{
    st_error_set("main thread's message");
    worker w[2] = { { 1, 0, 0 }, { 2, 0, 0 } };
    st_thread *t[2] = { NULL, NULL };
    for (int i = 0; i < 2; i++)
        ok(st_thread_start(&t[i], worker_main, &w[i]) == ST_OK, "start: %s\n", st_error_last());
    for (int i = 0; i < 2; i++)
        st_thread_join(t[i]);
    for (int i = 0; i < 2; i++) {
        ok(w[i].initial_empty, "thread %d saw another thread's message at start\n", w[i].id);
        ok(w[i].mismatches == 0, "thread %d: %d mismatches\n", w[i].id, w[i].mismatches);
    }
    ok(strcmp(st_error_last(), "main thread's message") == 0, "main: got '%s'\n",
        st_error_last());
}

int main(void)
{
    test_basics();
    test_truncation();
    test_threads();
    return test_done();
}
