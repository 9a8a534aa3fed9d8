/*
 * test_storage_catalog.c: catalog.sqlite: settings, the store list, store
 * paths, and the named-property map (stable, unique under two threads and,
 * on Linux, two processes).
 */
#include "test_storage_util.h"
#include "storage/props_guids.h"

#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

#define NAMES_PER_WORKER 300

typedef struct worker {
    const char *path;     /* catalog */
    int base;             /* first lid */
    uint16_t ids[NAMES_PER_WORKER * 2];  /* ids got: own names, then shared ones */
    int failed;           /* errors */
} worker;

static void worker_run(void *arg)
{
    worker *w = arg;
    st_catalog *c = NULL;
    if (st_catalog_open(&c, w->path, 0) != 0) {
        w->failed++;
        return;
    }
    for (int i = 0; i < NAMES_PER_WORKER; i++) {
        st_propname pn[2] = { { ST_PSETID_Common, ST_MNID_ID, (uint32_t)(w->base + i), NULL },
                              { ST_PS_PUBLIC_STRINGS, ST_MNID_STRING, 0, NULL } };
        char name[32];
        snprintf(name, sizeof name, "shared-%d", i);
        pn[1].name = name;
        uint16_t ids[2];
        if (st_catalog_names_to_ids(c, ids, pn, 2, 1) != 0) {
            fprintf(stderr, "names_to_ids: %s\n", st_error_last());
            w->failed++;
            continue;
        }
        w->ids[i] = ids[0];
        w->ids[NAMES_PER_WORKER + i] = ids[1];
    }
    st_catalog_close(c);
}

static void test_settings_and_stores(void)
{
    st_catalog *c = NULL;
    int r = st_catalog_open(&c, tsu_path("catalog.sqlite"), 0);
    ok(r == ST_ENOTFOUND, "open without create: %d\n", r);
    r = st_catalog_open(&c, tsu_path("catalog.sqlite"), ST_OPEN_CREATE);
    ok(r == 0, "open: %d %s\n", r, st_error_last());
    ok(st_catalog_setting_set(c, "server", "https://example.org/") == 0, "set\n");
    char *v = NULL;
    ok(st_catalog_setting_get(c, &v, "server") == 0 && v && !strcmp(v, "https://example.org/"),
        "get %s\n", v ? v : "(null)");
    free(v);
    ok(st_catalog_setting_get(c, &v, "nothing") == ST_ENOTFOUND, "missing setting\n");
    ok(st_catalog_setting_set(c, "server", NULL) == 0, "delete\n");
    ok(st_catalog_setting_get(c, &v, "server") == ST_ENOTFOUND, "deleted\n");

    st_store_info a = { tsu_guid, ST_STORE_KIND_PRIVATE, "Mailbox - Me", "https://x/mail/me/" };
    st_store_info b = { ST_PSETID_Task, ST_STORE_KIND_SHARED, "Boss", NULL };
    ok(st_catalog_store_add(c, &a) == 0, "add a\n");
    ok(st_catalog_store_add(c, &b) == 0, "add b\n");
    r = st_catalog_store_add(c, &a);
    ok(r == ST_EEXISTS, "add twice: %d\n", r);
    st_store_info *list = NULL;
    size_t n = 0;
    ok(st_catalog_store_list(c, &list, &n) == 0 && n == 2, "list %zu\n", n);
    if (n == 2) {
        ok(st_guid_equal(&list[0].guid, &tsu_guid) && !strcmp(list[0].display_name, "Mailbox - Me")
            && list[0].url && list[1].url == NULL && list[1].kind == ST_STORE_KIND_SHARED,
            "list content\n");
    }
    st_store_info_free(list, n);
    char *p = NULL;
    ok(st_catalog_store_path(c, &p, &tsu_guid) == 0 && p && strstr(p, tsu_dir()) &&
        strstr(p, "{12345678-1234-5678-90AB-CDEF01234567}.sqlite"), "path %s\n", p ? p : "-");
    free(p);
    ok(st_catalog_store_remove(c, &ST_PSETID_Task) == 0, "remove\n");
    ok(st_catalog_store_remove(c, &ST_PSETID_Task) == ST_ENOTFOUND, "remove twice\n");
    st_catalog_close(c);
}

static void test_names(void)
{
    st_catalog *c = NULL;
    ok(st_catalog_open(&c, tsu_path("catalog.sqlite"), 0) == 0, "open\n");
    st_propname pn[3] = {
        { ST_PSETID_Appointment, ST_MNID_ID, 0x820D, NULL },
        { ST_PS_PUBLIC_STRINGS, ST_MNID_STRING, 0, (char *)"Keywords" },
        { ST_PS_PUBLIC_STRINGS, ST_MNID_STRING, 0, (char *)"keywords" },  /* case-sensitive */
    };
    uint16_t ids[3] = { 1, 1, 1 };
    ok(st_catalog_names_to_ids(c, ids, pn, 3, 0) == 0 && !ids[0] && !ids[1] && !ids[2],
        "unknown without create: %x %x %x\n", ids[0], ids[1], ids[2]);
    ok(st_catalog_names_to_ids(c, ids, pn, 3, 1) == 0, "create: %s\n", st_error_last());
    ok(ids[0] >= 0x8000 && ids[1] >= 0x8000 && ids[2] >= 0x8000 && ids[0] != ids[1] &&
        ids[1] != ids[2] && ids[0] != ids[2], "ids %x %x %x\n", ids[0], ids[1], ids[2]);
    uint16_t again[3];
    ok(st_catalog_names_to_ids(c, again, pn, 3, 1) == 0 && !memcmp(again, ids, sizeof ids),
        "stable\n");
    st_propname back[4];
    uint16_t q[4] = { ids[0], ids[1], ids[2], 0xFFF0 };
    ok(st_catalog_ids_to_names(c, back, q, 4) == 0, "ids_to_names\n");
    ok(back[0].kind == ST_MNID_ID && back[0].lid == 0x820D &&
        st_guid_equal(&back[0].guid, &ST_PSETID_Appointment), "name 0\n");
    ok(back[1].kind == ST_MNID_STRING && back[1].name && !strcmp(back[1].name, "Keywords"),
        "name 1\n");
    ok(back[3].kind == -1, "unknown id\n");
    for (int i = 0; i < 4; i++)
        st_propname_clear(&back[i]);
    st_catalog_close(c);
    /* Reopen: same ids. */
    ok(st_catalog_open(&c, tsu_path("catalog.sqlite"), 0) == 0, "reopen\n");
    ok(st_catalog_names_to_ids(c, again, pn, 3, 0) == 0 && !memcmp(again, ids, sizeof ids),
        "persistent\n");
    st_catalog_close(c);
}

/* st_catalog_names_list: every name by id, or those of one property set;
 * an empty map first. */
static void test_names_list(void)
{
    st_catalog *c = NULL;
    ok(st_catalog_open(&c, tsu_path("list.sqlite"), ST_OPEN_CREATE) == 0, "open\n");
    uint16_t *ids = NULL;
    st_propname *names = NULL;
    size_t n = 99;
    ok(st_catalog_names_list(c, NULL, &ids, &names, &n) == 0 && n == 0, "empty: %zu\n", n);
    free(ids);
    free(names);
    st_propname pn[3] = {
        { ST_PS_PUBLIC_STRINGS, ST_MNID_STRING, 0, (char *)"Keywords" },
        { ST_PSETID_Appointment, ST_MNID_ID, 0x820D, NULL },
        { ST_PSETID_Appointment, ST_MNID_ID, 0x8205, NULL },
    };
    uint16_t got[3];
    ok(st_catalog_names_to_ids(c, got, pn, 3, 1) == 0, "create: %s\n", st_error_last());
    ok(st_catalog_names_list(c, NULL, &ids, &names, &n) == 0 && n == 3, "all: %zu\n", n);
    for (size_t i = 0; i < n && n == 3; i++) {
        ok(ids[i] == got[i] && st_propname_compare(&names[i], &pn[i]) == 0,
            "name %zu: id %x want %x\n", i, ids[i], got[i]);
        st_propname_clear(&names[i]);
    }
    free(ids);
    free(names);
    ok(st_catalog_names_list(c, &ST_PSETID_Appointment, &ids, &names, &n) == 0 && n == 2
        && ids[0] == got[1] && ids[1] == got[2] && names[1].lid == 0x8205,
        "one set: %zu\n", n);
    for (size_t i = 0; i < n; i++)
        st_propname_clear(&names[i]);
    free(ids);
    free(names);
    ok(st_catalog_names_list(c, &ST_PSETID_Task, &ids, &names, &n) == 0 && n == 0 && !ids,
        "no name of the set: %zu\n", n);
    st_catalog_close(c);
}

static int check_unique(const uint16_t *all, size_t n, size_t n_distinct_expected)
{
    size_t distinct = 0;
    int seen_bad = 0;
    uint8_t *seen = calloc(65536, 1);
    for (size_t i = 0; i < n; i++) {
        if (all[i] < 0x8000 || all[i] > 0xFFFE)
            seen_bad = 1;
        if (!seen[all[i]]++)
            distinct++;
    }
    free(seen);
    return !seen_bad && distinct == n_distinct_expected;
}

static void test_threads(void)
{
    const char *path = tsu_path("threads.sqlite");
    st_catalog *c = NULL;
    ok(st_catalog_open(&c, path, ST_OPEN_CREATE) == 0, "create\n");
    st_catalog_close(c);
    worker w[2] = { { path, 1000, { 0 }, 0 }, { path, 5000, { 0 }, 0 } };
    st_thread *t[2];
    for (int i = 0; i < 2; i++)
        ok(st_thread_start(&t[i], worker_run, &w[i]) == 0, "thread\n");
    for (int i = 0; i < 2; i++)
        st_thread_join(t[i]);
    ok(!w[0].failed && !w[1].failed, "workers ok: %d %d\n", w[0].failed, w[1].failed);
    /* Own names distinct everywhere; shared names identical in both. */
    uint16_t all[NAMES_PER_WORKER * 3];
    memcpy(all, w[0].ids, sizeof w[0].ids);
    memcpy(all + NAMES_PER_WORKER * 2, w[1].ids, NAMES_PER_WORKER * sizeof(uint16_t));
    ok(check_unique(all, NAMES_PER_WORKER * 3, NAMES_PER_WORKER * 3), "ids unique\n");
    ok(!memcmp(w[0].ids + NAMES_PER_WORKER, w[1].ids + NAMES_PER_WORKER,
        NAMES_PER_WORKER * sizeof(uint16_t)), "shared names got one id\n");
}

#ifndef _WIN32
static void test_processes(void)
{
    const char *path = tsu_path("procs.sqlite");
    st_catalog *c = NULL;
    ok(st_catalog_open(&c, path, ST_OPEN_CREATE) == 0, "create\n");
    st_catalog_close(c);
    pid_t pids[2];
    for (int k = 0; k < 2; k++) {
        pids[k] = fork();
        if (pids[k] == 0) {
            worker w = { path, 1000 + 4000 * k, { 0 }, 0 };
            worker_run(&w);
            _exit(w.failed ? 1 : 0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status = 0;
        waitpid(pids[k], &status, 0);
        ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d\n", k);
    }
    /* 2 x 300 own + 300 shared = 900 rows, ids 0x8000 .. 0x8000+899. */
    ok(st_catalog_open(&c, path, 0) == 0, "open\n");
    uint16_t ids[NAMES_PER_WORKER * 3];
    st_propname *names = calloc(NAMES_PER_WORKER * 3, sizeof *names);
    char (*buf)[32] = calloc(NAMES_PER_WORKER, 32);
    for (int i = 0; i < NAMES_PER_WORKER; i++) {
        names[i] = (st_propname){ ST_PSETID_Common, ST_MNID_ID, (uint32_t)(1000 + i), NULL };
        names[NAMES_PER_WORKER + i] =
            (st_propname){ ST_PSETID_Common, ST_MNID_ID, (uint32_t)(5000 + i), NULL };
        snprintf(buf[i], 32, "shared-%d", i);
        names[2 * NAMES_PER_WORKER + i] =
            (st_propname){ ST_PS_PUBLIC_STRINGS, ST_MNID_STRING, 0, buf[i] };
    }
    ok(st_catalog_names_to_ids(c, ids, names, NAMES_PER_WORKER * 3, 0) == 0, "lookup\n");
    ok(check_unique(ids, NAMES_PER_WORKER * 3, NAMES_PER_WORKER * 3), "unique across processes\n");
    int max = 0;
    for (int i = 0; i < NAMES_PER_WORKER * 3; i++)
        if (ids[i] > max)
            max = ids[i];
    ok(max == 0x8000 + NAMES_PER_WORKER * 3 - 1, "dense: max %x\n", max);
    free(names);
    free(buf);
    st_catalog_close(c);
}
#endif

int main(void)
{
    test_settings_and_stores();
    test_names();
    test_names_list();
    test_threads();
#ifndef _WIN32
    test_processes();
#endif
    tsu_cleanup();
    return test_done();
}
