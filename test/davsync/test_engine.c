/*
 * test_engine.c: the sync thread and its state machine (davsync/engine.h)
 * against the real Apache mod_dav of test/fixtures/serve.py.
 *
 * A mail tree made with MKCOL and PUT by a second client; the engine's
 * first pass brings it down (IDLE, last success, counts, the catalog's
 * settings); a PUT plus "sync now" brings the new item; a local change on
 * another store handle wakes the thread through the journal listener;
 * offline sends nothing (Apache's access log does not grow) and online
 * syncs again; a wrong password ends in AUTH_FAILED without retries; a
 * refused certificate likewise; a closed port ends in DISCONNECTED with
 * growing waits; a stop in the middle of a big download returns within a
 * second, leaves a sound store, and a restart finishes without duplicates;
 * the timer runs a cheap pass that sends no GET; the upload counts follow
 * local changes while offline, also when started offline; a store that
 * cannot be opened is reported.
 * Never: a mock server; the store is checked through its public API only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sync_testutil.h"
#include "davsync/engine.h"
#include "davsync/href.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/storage.h"
#include "testutil.h"

static const char *base, *user, *pass, *fixdir;
static char *access_log;

/* Lines in Apache's access log: one per request served. */
static size_t requests_served(void)
{
    char *data = NULL;
    size_t len = 0, n = 0;
    if (st_os_read_file(&data, &len, access_log) != 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        n += data[i] == '\n';
    free(data);
    return n;
}

/* A small message, or one of about `big` bytes (a text attachment). */
static char *make_msg(int n, size_t big, size_t *len)
{
    static const char *const fmt =
        "From: Alice Example <alice@example.com>\r\n"
        "To: Bob <bob@example.com>\r\n"
        "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
        "Message-ID: <engine-%d@example.com>\r\n"
        "Subject: Engine %d\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"e1\"\r\n\r\n"
        "--e1\r\nContent-Type: text/plain\r\n\r\nMessage %d.\r\n"
        "--e1\r\nContent-Type: text/plain; name=\"data.txt\"\r\n"
        "Content-Disposition: attachment; filename=\"data.txt\"\r\n\r\n";
    size_t cap = 1024 + big + big / 70 * 2;
    char *m = malloc(cap);
    if (!m)
        test_fatal("out of memory\n");
    size_t k = (size_t)snprintf(m, cap, fmt, n, n, n);
    for (size_t line = 0; k < big; line++)
        k += (size_t)snprintf(m + k, cap - k, "%06zu the quick brown fox jumps over the lazy dog"
            " %d abcdefghij\r\n", line, n);
    k += (size_t)snprintf(m + k, cap - k, "end\r\n--e1--\r\n");
    *len = k;
    return m;
}

static void put_msgs(ds_http *h, const char *folder_url, int from, int count, size_t big)
{
    char url[600];
    for (int i = from; i < from + count; i++) {
        size_t len;
        char *m = make_msg(i, big, &len);
        snprintf(url, sizeof url, "%sm%d.eml", folder_url, i);
        dav_put(h, url, m, len);
        free(m);
    }
}

/* A folder right under "Top of Information Store". */
static st_id folder_named(st_store *s, const char *name)
{
    st_id root = 0, ipm = 0;
    st_folder_root(s, &root);
    st_folder_find_by_name(s, &ipm, root, "Top of Information Store");
    return dav_folder_named(s, ipm, name);
}

static ds_status status(ds_engine *e)
{
    ds_status st;
    int rc = ds_engine_status(e, &st);
    ok(rc == 0, "status: %d %s\n", rc, st_error_last());
    return st;
}

static const ds_folder_status *folder_status(const ds_status *st, const char *name)
{
    for (size_t i = 0; i < st->n_folders; i++)
        if (st->folders[i].name && strcmp(st->folders[i].name, name) == 0)
            return &st->folders[i];
    return NULL;
}

static char *setting(const char *catalog, const char *key)
{
    st_catalog *c = NULL;
    char *v = NULL;
    if (st_catalog_open(&c, catalog, 0) == 0)
        st_catalog_setting_get(c, &v, key);
    st_catalog_close(c);
    return v;
}

/* The folders in the order the engine listed them (its progress callback,
 * on the engine thread). */
static st_mutex order_lock = ST_MUTEX_INIT;
static char order[4096];

static void on_progress(void *arg, const ds_sync_progress *p)
{
    (void)arg;
    if (strcmp(p->phase, "list") != 0 || !p->folder)
        return;
    st_mutex_lock(&order_lock);
    size_t k = strlen(order);
    snprintf(order + k, sizeof order - k, "%s%s", k ? "," : "", p->folder);
    st_mutex_unlock(&order_lock);
}

static void clear_listed(void)
{
    st_mutex_lock(&order_lock);
    order[0] = 0;
    st_mutex_unlock(&order_lock);
}

/* The first folder listed since the last clear; clears the record. */
static int first_listed(const char *name)
{
    st_mutex_lock(&order_lock);
    size_t n = strlen(name);
    int r = strncmp(order, name, n) == 0 && (order[n] == ',' || order[n] == 0);
    if (!r)
        fprintf(stderr, "order: %s\n", order);
    order[0] = 0;
    st_mutex_unlock(&order_lock);
    return r;
}

static ds_engine_config config(const char *root, const char *store, const char *catalog)
{
    return (ds_engine_config){
        .sync = { .mail_url = root, .user = user, .password = pass, .store_path = store,
                  .catalog_path = catalog, .max_connections = 6, .progress = on_progress },
        .interval_s = 3600,
        .backoff_min_ms = 100,
        .backoff_max_ms = 400,
    };
}

static ds_engine *start(const ds_engine_config *cfg)
{
    ds_engine *e = NULL;
    int rc = ds_engine_start(&e, cfg);
    if (rc)
        test_fatal("ds_engine_start: %d %s\n", rc, st_error_last());
    return e;
}

/* Waits until cond(st) holds for the status, up to ms. */
static int wait_status(ds_engine *e, unsigned ms, int (*cond)(const ds_status *))
{
    uint64_t end = st_os_time_ms() + ms;
    do {
        ds_status st;
        if (ds_engine_status(e, &st) == 0) {
            int r = cond(&st);
            ds_status_clear(&st);
            if (r)
                return 1;
        }
        st_os_sleep_ms(5);
    } while (st_os_time_ms() < end);
    return 0;
}

static size_t want_up;   /* journal entries the status should count */

static int up_items_match(const ds_status *st)
{
    return st->up_items == want_up && st->n_folders >= 3;
}

static uint64_t want_tries;   /* passes ended the status should show */

static int tried(const ds_status *st)
{
    return st->tries >= want_tries;
}

static int fetching(const ds_status *st)
{
    return st->state == DS_STATE_SYNCING && st->totals.new_items >= 40 && st->down_items > 0;
}

/* ---- the sections ------------------------------------------------------------ */

static void test_first_pass_and_wakes(ds_http *h, const char *root)
{
    char *store = cat(fixdir, "/engine1.sqlite");
    char *catalog = cat(fixdir, "/engine1-catalog.sqlite");
    char *inbox_url = cat(root, "Inbox/");
    ds_engine_config cfg = config(root, store, catalog);
    uint64_t t_before = st_os_time_filetime();
    ds_engine *e = start(&cfg);

    /* First pass: the whole tree. */
    int rc = ds_engine_wait_pass(e, 60000);
    ok(rc == 0, "first pass: %d\n", rc);
    ds_status st = status(e);
    ok(st.state == DS_STATE_IDLE, "state %s\n", ds_state_name(st.state));
    ok(st.passes == 1, "passes %llu\n", (unsigned long long)st.passes);
    ok(st.last_code == 0 && !st.last_error, "last error %d %s\n", st.last_code,
       st.last_error ? st.last_error : "-");
    ok(st.last_success >= t_before && st.last_success <= st_os_time_filetime(),
       "last success %llu\n", (unsigned long long)st.last_success);
    ok(st.totals.new_items == 15 && st.totals.failed == 0, "new %llu failed %llu\n",
       (unsigned long long)st.totals.new_items, (unsigned long long)st.totals.failed);
    ok(st.down_items == 0 && !st.current_folder, "left %llu, current %s\n",
       (unsigned long long)st.down_items, st.current_folder ? st.current_folder : "-");
    ok(st.n_folders >= 3 && st.folders[0].name && strcmp(st.folders[0].name, "Inbox") == 0,
       "%zu folders, first %s\n", st.n_folders, st.n_folders ? st.folders[0].name : "-");
    ok(folder_status(&st, "Sent Items") && folder_status(&st, "Projekt"), "folder rows\n");
    ok(first_listed("Inbox"), "Inbox first\n");
    uint64_t success1 = st.last_success;
    ds_status_clear(&st);

    char *v = setting(catalog, "sync.state");
    ok(v && strcmp(v, "idle") == 0, "catalog sync.state %s\n", v ? v : "-");
    free(v);
    v = setting(catalog, "sync.last_success");
    ok(v && strtoull(v, NULL, 10) == success1, "catalog sync.last_success %s\n", v ? v : "-");
    free(v);
    v = setting(catalog, "sync.last_error");
    ok(!v, "catalog sync.last_error %s\n", v ? v : "-");
    free(v);

    st_store *s = NULL;
    rc = st_store_open(&s, store, NULL, 0);
    if (rc)
        test_fatal("open store: %d %s\n", rc, st_error_last());
    st_id inbox = folder_named(s, "Inbox");
    ok(count_msgs(s, inbox) == 10, "inbox %zu\n", count_msgs(s, inbox));
    ok(count_msgs(s, folder_named(s, "Sent Items")) == 3, "sent\n");
    ok(count_msgs(s, folder_named(s, "Projekt")) == 2, "projekt\n");

    /* A second client adds a message; "sync now" brings it. */
    put_msgs(h, inbox_url, 100, 1, 0);
    ds_engine_sync_now(e);
    rc = ds_engine_wait_pass(e, 30000);
    ok(rc == 0, "sync now: %d\n", rc);
    char url[600];
    snprintf(url, sizeof url, "%sm100.eml", inbox_url);
    ok(find_href(s, url) != 0, "new message synced\n");
    ok(count_msgs(s, inbox) == 11, "inbox %zu\n", count_msgs(s, inbox));
    st = status(e);
    ok(st.passes == 2 && st.state == DS_STATE_IDLE && st.last_success >= success1,
       "after sync now: %llu passes, %s\n", (unsigned long long)st.passes,
       ds_state_name(st.state));
    ds_status_clear(&st);

    /* A local change on another handle wakes the thread. */
    snprintf(url, sizeof url, "%sm1.eml", inbox_url);
    st_id mid = find_href(s, url);
    ok(mid != 0, "m1 stored\n");
    uint64_t t0 = st_os_time_ms();
    rc = st_message_set_read(s, mid, 1, 0);
    ok(rc == 0, "set read: %d %s\n", rc, st_error_last());
    rc = ds_engine_wait_pass(e, 30000);
    ok(rc == 0, "pass after a local change: %d\n", rc);
    printf("local change -> pass ended in %llu ms\n", (unsigned long long)(st_os_time_ms() - t0));
    st = status(e);
    ok(st.passes == 3, "passes %llu\n", (unsigned long long)st.passes);
    size_t pending = 0, taken = 0;
    st_journal_count(s, &pending, ST_JSTATE_PENDING);
    st_journal_count(s, &taken, ST_JSTATE_TAKEN);
    const ds_folder_status *fi = folder_status(&st, "Inbox");
    ok(fi && fi->up_items == pending + taken && st.up_items == pending + taken,
       "up items %llu / %llu, journal %zu\n", fi ? (unsigned long long)fi->up_items : 0ull,
       (unsigned long long)st.up_items, pending + taken);
    /* Either sent by the pass (ds_sync_up) or still queued (while the
     * up-sync is a placeholder): never lost. */
    ok(st.totals.up_done + pending + taken == 1, "up done %llu, journal %zu\n",
       (unsigned long long)st.totals.up_done, pending + taken);
    ds_status_clear(&st);

    /* Offline: nothing is sent, whatever pokes the engine. */
    ds_engine_set_online(e, 0);
    st = status(e);
    ok(st.state == DS_STATE_OFFLINE, "offline: %s\n", ds_state_name(st.state));
    ds_status_clear(&st);
    st_os_sleep_ms(200);   /* let a pass that was starting wind down */
    size_t served = requests_served();
    ds_engine_sync_now(e);
    ds_engine_wake(e);
    snprintf(url, sizeof url, "%sm2.eml", inbox_url);
    st_message_set_read(s, find_href(s, url), 1, 0);
    rc = ds_engine_wait_pass(e, 1500);
    ok(rc == DS_ETIMEOUT, "offline: no pass (%d)\n", rc);
    ok(requests_served() == served, "offline: %zu requests served, were %zu\n",
       requests_served(), served);
    /* ... but the upload counts follow local changes. */
    pending = taken = 0;
    st_journal_count(s, &pending, ST_JSTATE_PENDING);
    st_journal_count(s, &taken, ST_JSTATE_TAKEN);
    want_up = pending + taken;
    ok(wait_status(e, 5000, up_items_match), "offline: up items %zu\n", want_up);
    char *v2 = setting(catalog, "sync.state");
    ok(v2 && strcmp(v2, "offline") == 0, "catalog sync.state %s\n", v2 ? v2 : "-");
    free(v2);
    st = status(e);
    ok(st.state == DS_STATE_OFFLINE, "still offline: %s\n", ds_state_name(st.state));
    ds_status_clear(&st);

    /* Online again: a pass at once, with what came meanwhile. */
    put_msgs(h, inbox_url, 101, 1, 0);
    served = requests_served();
    ds_engine_set_online(e, 1);
    rc = ds_engine_wait_pass(e, 30000);
    ok(rc == 0, "online: %d\n", rc);
    ok(requests_served() > served, "online: requests sent\n");
    snprintf(url, sizeof url, "%sm101.eml", inbox_url);
    ok(find_href(s, url) != 0, "message of the offline time synced\n");
    st = status(e);
    ok(st.state == DS_STATE_IDLE, "online: %s\n", ds_state_name(st.state));
    ds_status_clear(&st);

    /* The priority folder goes first: the current folder seen first. Both
     * get something new, so both are listed (an unchanged folder is not). */
    put_msgs(h, inbox_url, 102, 1, 0);
    char *projekt_url = cat(root, "Projekt/");
    put_msgs(h, projekt_url, 102, 1, 0);
    free(projekt_url);
    clear_listed();
    ds_engine_set_priority(e, folder_named(s, "Projekt"));
    ds_engine_sync_now(e);
    ok(ds_engine_wait_pass(e, 30000) == 0, "priority pass\n");
    ok(first_listed("Projekt"), "priority folder first\n");

    uint64_t t_stop = st_os_time_ms();
    ds_engine_stop(e);
    printf("idle stop took %llu ms\n", (unsigned long long)(st_os_time_ms() - t_stop));
    v = setting(catalog, "sync.state");
    ok(v && strcmp(v, "stopped") == 0, "catalog sync.state %s\n", v ? v : "-");
    free(v);

    /* The timer: a pass that nobody asked for, with no GET. */
    cfg.interval_s = 1;
    e = start(&cfg);
    ok(ds_engine_wait_pass(e, 30000) == 0, "restart pass\n");
    st = status(e);
    uint64_t gets = st.totals.gets;
    ds_status_clear(&st);
    served = requests_served();
    t0 = st_os_time_ms();
    ok(ds_engine_wait_pass(e, 100) == 0, "nothing outstanding: no wait\n");
    want_tries = 2;
    int fired = wait_status(e, 5000, tried);
    uint64_t dt = st_os_time_ms() - t0;
    ok(fired, "timer pass after %llu ms\n", (unsigned long long)dt);
    st = status(e);
    ok(st.totals.gets == gets && st.passes == 2, "timer pass: %llu GETs, %llu passes\n",
       (unsigned long long)(st.totals.gets - gets), (unsigned long long)st.passes);
    printf("timer pass: %zu requests for %zu folders\n", requests_served() - served,
           st.n_folders);
    ds_status_clear(&st);
    ds_engine_stop(e);

    /* Started offline: no request, but the folders and what waits to go
     * up are shown. */
    cfg.start_offline = 1;
    served = requests_served();
    e = start(&cfg);
    pending = taken = 0;
    st_journal_count(s, &pending, ST_JSTATE_PENDING);
    st_journal_count(s, &taken, ST_JSTATE_TAKEN);
    want_up = pending + taken;
    ok(wait_status(e, 5000, up_items_match), "started offline: up items %zu\n", want_up);
    st = status(e);
    ok(st.state == DS_STATE_OFFLINE && st.n_folders >= 3 && st.passes == 0,
       "started offline: %s, %zu folders\n", ds_state_name(st.state), st.n_folders);
    ds_status_clear(&st);
    ok(ds_engine_wait_pass(e, 500) == DS_ETIMEOUT, "started offline: no pass\n");
    ok(requests_served() == served, "started offline: no request\n");
    ds_engine_stop(e);

    char *report = NULL;
    ok(st_store_check(s, &report) == 0, "store check: %s\n", report ? report : "");
    free(report);
    st_store_close(s);
    free(inbox_url);
    free(store);
    free(catalog);
}

static void test_refusals(const char *root)
{
    /* Wrong password: AUTH_FAILED, said clearly, and no more tries. */
    char *store = cat(fixdir, "/engine-auth.sqlite");
    char *catalog = cat(fixdir, "/engine-auth-catalog.sqlite");
    ds_engine_config cfg = config(root, store, catalog);
    cfg.sync.password = "not-the-password";
    ds_engine *e = start(&cfg);
    int rc = ds_engine_wait_pass(e, 30000);
    ok(rc == 0, "auth pass: %d\n", rc);
    ds_status st = status(e);
    ok(st.state == DS_STATE_AUTH_FAILED, "state %s\n", ds_state_name(st.state));
    ok(st.last_code == DS_EAUTH, "code %d\n", st.last_code);
    ok(st.last_error && strstr(st.last_error, "password"), "error %s\n",
       st.last_error ? st.last_error : "-");
    ok(st.passes == 0 && st.last_success == 0, "passes %llu\n", (unsigned long long)st.passes);
    printf("wrong password: %s\n", st.last_error ? st.last_error : "-");
    ds_status_clear(&st);
    size_t served = requests_served();
    ds_engine_wake(e);
    rc = ds_engine_wait_pass(e, 1500);
    ok(rc == DS_ETIMEOUT, "no retry after auth failure: %d\n", rc);
    ok(requests_served() == served, "no requests: %zu -> %zu\n", served, requests_served());
    char *v = setting(catalog, "sync.state");
    ok(v && strcmp(v, "auth-failed") == 0, "catalog sync.state %s\n", v ? v : "-");
    free(v);
    v = setting(catalog, "sync.last_error");
    ok(v && strstr(v, "password"), "catalog sync.last_error %s\n", v ? v : "-");
    free(v);
    /* "Sync now" tries again (and fails again). */
    ds_engine_sync_now(e);
    ok(ds_engine_wait_pass(e, 30000) == 0, "sync now after auth failure\n");
    ok(requests_served() > served, "sync now asked the server\n");
    st = status(e);
    ok(st.state == DS_STATE_AUTH_FAILED && st.tries == 2, "state %s, %llu tries\n",
       ds_state_name(st.state), (unsigned long long)st.tries);
    ds_status_clear(&st);
    /* So does "online" said again. */
    ds_engine_set_online(e, 1);
    ok(ds_engine_wait_pass(e, 30000) == 0, "online after auth failure\n");
    st = status(e);
    ok(st.state == DS_STATE_AUTH_FAILED && st.tries == 3, "state %s, %llu tries\n",
       ds_state_name(st.state), (unsigned long long)st.tries);
    ds_status_clear(&st);
    ds_engine_stop(e);
    free(store);
    free(catalog);

    /* A certificate the system does not trust: refused, not retried. */
    const char *tls = getenv("MAPIDAV_TEST_APACHE_TLS_URL");
    if (tls && *tls) {
        char *tls_root = cat(tls, "eng/user/");
        store = cat(fixdir, "/engine-tls.sqlite");
        cfg = config(tls_root, store, NULL);
        e = start(&cfg);
        ok(ds_engine_wait_pass(e, 30000) == 0, "tls pass\n");
        st = status(e);
        ok(st.state == DS_STATE_AUTH_FAILED && st.last_code == DS_ETLS, "tls: %s %d %s\n",
           ds_state_name(st.state), st.last_code, st.last_error ? st.last_error : "-");
        ok(st.last_error && strstr(st.last_error, "certificate"), "tls error %s\n",
           st.last_error ? st.last_error : "-");
        printf("unknown CA: %s\n", st.last_error ? st.last_error : "-");
        ds_status_clear(&st);
        ds_engine_wake(e);
        ok(ds_engine_wait_pass(e, 1000) == DS_ETIMEOUT, "no retry after a refused certificate\n");
        ds_engine_stop(e);
        /* With the test CA it syncs. */
        cfg.sync.ca_file = test_env("MAPIDAV_TEST_CA");
        e = start(&cfg);
        ok(ds_engine_wait_pass(e, 30000) == 0, "tls pass with the CA\n");
        st = status(e);
        ok(st.state == DS_STATE_IDLE && st.last_code == 0, "tls with CA: %s %s\n",
           ds_state_name(st.state), st.last_error ? st.last_error : "-");
        ds_status_clear(&st);
        ds_engine_stop(e);
        free(tls_root);
        free(store);
    }

    /* Nobody listens: DISCONNECTED, with waits that grow. */
    store = cat(fixdir, "/engine-down.sqlite");
    cfg = config("http://127.0.0.1:1/mail/user/", store, NULL);
    e = start(&cfg);
    uint64_t waits[3] = { 0 };
    for (int i = 0; i < 3; i++) {
        want_tries = (uint64_t)i + 1;
        rc = wait_status(e, 30000, tried);
        st = status(e);
        ok(rc && st.state == DS_STATE_DISCONNECTED, "try %d: %s\n", i, ds_state_name(st.state));
        ok(st.last_code == DS_ENETWORK || st.last_code == DS_ETIMEOUT, "code %d\n", st.last_code);
        ok(st.last_error && strstr(st.last_error, "cannot reach"), "error %s\n",
           st.last_error ? st.last_error : "-");
        waits[i] = st.next_try_ms;
        if (i == 0)
            printf("closed port: %s\n", st.last_error ? st.last_error : "-");
        ds_status_clear(&st);
    }
    printf("disconnected: next tries in %llu, %llu, %llu ms\n", (unsigned long long)waits[0],
           (unsigned long long)waits[1], (unsigned long long)waits[2]);
    ok(waits[0] > 0 && waits[0] < waits[1] && waits[1] < waits[2] && waits[2] <= 400,
       "waits grow within the cap\n");
    /* sync now while disconnected: a try at once, not after the wait. */
    ds_engine_sync_now(e);
    uint64_t t0 = st_os_time_ms();
    ok(ds_engine_wait_pass(e, 30000) == 0, "sync now while disconnected\n");
    st = status(e);
    ok(st.state == DS_STATE_DISCONNECTED && st.next_try_ms > 0 && st.next_try_ms <= 400,
       "after sync now: %s, next try in %llu ms (%llu ms)\n", ds_state_name(st.state),
       (unsigned long long)st.next_try_ms, (unsigned long long)(st_os_time_ms() - t0));
    ds_status_clear(&st);
    /* A stop while the client waits between retries is as quick. */
    ds_engine_sync_now(e);
    st_os_sleep_ms(300);
    t0 = st_os_time_ms();
    ds_engine_stop(e);
    uint64_t dt = st_os_time_ms() - t0;
    printf("stop while retrying took %llu ms\n", (unsigned long long)dt);
    ok(dt < 1000, "stop while retrying took %llu ms\n", (unsigned long long)dt);
    free(store);

    /* A store that cannot be opened: said so; no pass counted. */
    store = cat(fixdir, "/no-such-folder/engine.sqlite");
    cfg = config(root, store, NULL);
    e = start(&cfg);
    t0 = st_os_time_ms();
    rc = ds_engine_wait_pass(e, 30000);
    ok(rc == 0, "pass with a bad store path: %d after %llu ms\n", rc,
       (unsigned long long)(st_os_time_ms() - t0));
    st = status(e);
    ok(st.state == DS_STATE_IDLE && st.passes == 0 && st.last_code != 0 && st.last_error
       && strstr(st.last_error, "store"), "bad store: %s %llu %d %s\n", ds_state_name(st.state),
       (unsigned long long)st.passes, st.last_code, st.last_error ? st.last_error : "-");
    printf("bad store path: %s\n", st.last_error ? st.last_error : "-");
    ds_status_clear(&st);
    ds_engine_stop(e);
    free(store);
}

static void test_stop_mid_download(ds_http *h, const char *root)
{
    char *big_url = cat(root, "Big/");
    dav_mkcol(h, big_url);
    uint64_t t0 = st_os_time_ms();
    put_msgs(h, big_url, 1000, 300, 200 * 1024);
    printf("300 x 200 KB put in %llu ms\n", (unsigned long long)(st_os_time_ms() - t0));

    char *store = cat(fixdir, "/engine-big.sqlite");
    ds_engine_config cfg = config(root, store, NULL);
    ds_engine *e = start(&cfg);
    ok(wait_status(e, 120000, fetching), "download under way\n");
    ds_status st = status(e);
    ok(st.current_folder && st.down_items > 0, "current %s, %llu left\n",
       st.current_folder ? st.current_folder : "-", (unsigned long long)st.down_items);
    const ds_folder_status *fb = st.current_folder ? folder_status(&st, st.current_folder) : NULL;
    ok(fb && fb->down_items == st.down_items, "per folder left %llu\n",
       fb ? (unsigned long long)fb->down_items : 0ull);
    /* bytes left: about 200 KB for each message left (the listing's sizes) */
    ok(fb && fb->down_bytes >= fb->down_items * 200 * 1024 &&
       fb->down_bytes <= (fb->down_items + 24) * 210 * 1024 && st.down_bytes == fb->down_bytes,
       "bytes left %llu for %llu messages\n", fb ? (unsigned long long)fb->down_bytes : 0ull,
       fb ? (unsigned long long)fb->down_items : 0ull);
    uint64_t got = st.totals.new_items;
    ds_status_clear(&st);
    t0 = st_os_time_ms();
    ds_engine_stop(e);
    uint64_t dt = st_os_time_ms() - t0;
    printf("stop during the download (after %llu items) took %llu ms\n", (unsigned long long)got,
           (unsigned long long)dt);
    ok(dt < 1000, "stop took %llu ms\n", (unsigned long long)dt);

    st_store *s = NULL;
    int rc = st_store_open(&s, store, NULL, 0);
    if (rc)
        test_fatal("open store: %d %s\n", rc, st_error_last());
    char *report = NULL;
    ok(st_store_check(s, &report) == 0, "store sound after stop: %s\n", report ? report : "");
    free(report);
    st_id big = folder_named(s, "Big");
    size_t partial = count_msgs(s, big);
    ok(partial < 300, "partial %zu\n", partial);

    e = start(&cfg);
    ok(ds_engine_wait_pass(e, 180000) == 0, "restart pass\n");
    st = status(e);
    ok(st.state == DS_STATE_IDLE && st.last_code == 0, "after restart: %s %s\n",
       ds_state_name(st.state), st.last_error ? st.last_error : "-");
    ok(st.totals.new_items + partial >= 300, "fetched %llu more\n",
       (unsigned long long)st.totals.new_items);
    ds_status_clear(&st);
    ds_engine_stop(e);
    ok(count_msgs(s, big) == 300, "big folder %zu, want 300\n", count_msgs(s, big));
    char url[600];
    size_t found = 0;
    for (int i = 1000; i < 1300; i++) {
        snprintf(url, sizeof url, "%sm%d.eml", big_url, i);
        found += find_href(s, url) != 0;
    }
    ok(found == 300, "%zu of 300 by href\n", found);
    st_store_close(s);
    free(store);
    free(big_url);
}

/* After a rebuild the engine puts the saved changes back once the fresh
 * store is filled, sends them, and forgets the recovered file. */
static void test_restore_after_rebuild(const char *root)
{
    char *store = cat(fixdir, "/engine-rb.sqlite");
    char *catalog = cat(fixdir, "/engine-rb-catalog.sqlite");
    char *inbox_url = cat(root, "Inbox/");
    ds_engine_config cfg = config(root, store, catalog);
    ds_engine *e = start(&cfg);
    ok(ds_engine_wait_pass(e, 60000) == 0, "rebuild: first pass\n");
    ds_engine_set_online(e, 0);
    st_store *s = NULL;
    ok(st_store_open(&s, store, NULL, 0) == 0, "rebuild: open\n");
    char url[600];
    snprintf(url, sizeof url, "%sm3.eml", inbox_url);
    st_id mid = find_href(s, url);
    ok(mid && st_message_set_read(s, mid, 1, 0) == 0, "rebuild: a local read flag\n");
    st_guid g;
    st_store_guid(s, &g);
    st_store_close(s);
    ds_engine_stop(e);

    st_rebuild_report rr = { 0 };
    ok(st_store_rebuild(store, &g, 0, &rr) == 0 && rr.entries == 1 && rr.export_path,
       "rebuild: %s\n", st_error_last());
    st_catalog *c = NULL;
    ok(st_catalog_open(&c, catalog, 0) == 0 &&
       st_catalog_setting_set(c, ST_SETTING_RESTORE_FROM, rr.export_path) == 0, "rebuild: noted\n");
    e = start(&cfg);
    ok(ds_engine_wait_pass(e, 60000) == 0, "rebuild: pass after\n");
    ds_status st = status(e);
    ok(st.last_code == 0 && st.totals.up_done >= 1, "rebuild: restored and sent (%d, %llu up)\n",
       st.last_code, (unsigned long long)st.totals.up_done);
    ds_status_clear(&st);
    ds_engine_stop(e);
    char *v = NULL;
    ok(st_catalog_setting_get(c, &v, ST_SETTING_RESTORE_FROM) == ST_ENOTFOUND && !v,
       "rebuild: recovered file forgotten\n");
    free(v);
    st_catalog_close(c);
    s = NULL;
    ok(st_store_open(&s, store, NULL, 0) == 0, "rebuild: reopen\n");
    mid = find_href(s, url);
    st_bag *b = NULL;
    size_t pending = 1;
    st_journal_count(s, &pending, ST_JSTATE_PENDING);
    ok(mid && st_message_get(s, &b, mid) == 0 &&
       (st_bag_get(b, PR_MESSAGE_FLAGS)->v.l & MSGFLAG_READ) && pending == 0,
       "rebuild: the read flag is back and sent (%zu pending)\n", pending);
    st_bag_free(b);
    st_store_close(s);
    st_rebuild_report_clear(&rr);
    free(inbox_url);
    free(catalog);
    free(store);
}

int main(void)
{
    base = test_env("MAPIDAV_TEST_APACHE_URL");
    user = test_env("MAPIDAV_TEST_USER");
    pass = test_env("MAPIDAV_TEST_PASSWORD");
    fixdir = test_env("MAPIDAV_TEST_FIXTURE_DIR");
    access_log = cat(fixdir, "/apache/access.log");
    char *logpath = cat(fixdir, "/engine.log");
    st_log_open_file(logpath, 0, 0);
    st_log_configure("davsync=info");

    ds_http *h = dav_client(user, pass, 8);
    char *top = cat(base, "eng/");
    char *root = cat(top, "user/");
    dav_mkcol(h, top);
    dav_mkcol(h, root);
    static const char *const folders[] = { "Inbox/", "Sent%20Items/", "Projekt/" };
    for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++) {
        char *u = cat(root, folders[i]);
        dav_mkcol(h, u);
        free(u);
    }
    char *u = cat(root, "Inbox/");
    put_msgs(h, u, 0, 10, 0);
    free(u);
    u = cat(root, "Sent%20Items/");
    put_msgs(h, u, 10, 3, 0);
    free(u);
    u = cat(root, "Projekt/");
    put_msgs(h, u, 20, 2, 0);
    free(u);
    if (requests_served() == 0)
        test_fatal("no access log at %s\n", access_log);

    test_first_pass_and_wakes(h, root);
    test_refusals(root);
    test_restore_after_rebuild(root);
    test_stop_mid_download(h, root);

    ds_http_free(h);
    free(top);
    free(root);
    free(logpath);
    free(access_log);
    st_log_close();
    return test_done();
}
