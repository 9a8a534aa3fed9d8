/*
 * test_sync_faults.c: the mail down-sync when things go wrong, against the
 * real Apache of test/fixtures/serve.py, mostly through faultproxy.py (a
 * forwarding proxy in front of it that injects faults by rule):
 *   - 500s and a 503 with Retry-After (retried), a GET always failing, a
 *     connection reset and a truncated body (the item is not stored, or
 *     stored whole; the next sync completes it, nothing duplicated);
 *   - the server killed mid-sync (SIGTERM through its pid file) and started
 *     again: the next sync resumes, no duplicates, nothing fetched twice;
 *   - HTTPS with the test CA works, with a wrong CA it is refused (DS_ETLS,
 *     nothing stored); a wrong password gives DS_EAUTH;
 *   - hostile multistatus bodies served instead of Apache's (bad XML, an
 *     entity bomb, hrefs outside the account, 100,000 nested elements, a
 *     4 MB href): a clear error, no crash, the store untouched;
 *   - a collection moved on the server while a message in it has a
 *     local change pending: the old folder is kept with it, the new one made;
 *   - a PROPFIND of 100,000 members (files written under the Apache root on
 *     disk) parsed streaming: time and peak RSS growth printed, the growth
 *     bounded (64 MB; not checked under ASan, see rss_util.h).
 * Never: a mock server; the checks read the store's public API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/stat.h>
#endif

#include "davsync/sync.h"
#include "storage/log.h"
#include "storage/props_tags.h"
#include "sync_testutil.h"
#include "rss_util.h"

static const char *user, *pass, *fixdir;

enum { NBULK = 200 };   /* messages in Bulk/ */

static ds_sync_config config(const char *root, const char *store, ds_http *h)
{
    return (ds_sync_config){ .mail_url = root, .store_path = store, .http = h,
                             .max_connections = 4 };
}

/* The body of the message at url holds want. */
static int body_has(st_store *s, const char *url, const char *want)
{
    st_bag *b = NULL;
    st_id mid = find_href(s, url);
    if (!mid || st_message_get(s, &b, mid) != 0)
        return 0;
    const st_value *v = st_bag_get(b, PR_BODY_W);
    int r = v && PROP_TYPE(v->tag) == PT_UNICODE && strstr(v->v.str, want) != NULL;
    st_bag_free(b);
    return r;
}

static void check_store(st_store *s, const char *what)
{
    char *report = NULL;
    int rc = st_store_check(s, &report);
    ok(rc == 0, "%s: store check %d %s\n", what, rc, report ? report : "");
    free(report);
}

/* Fills collection url with n messages "TAG i". */
static void fill(ds_http *h, const char *url, const char *tag, int n)
{
    char u[512];
    size_t len;
    for (int i = 0; i < n; i++) {
        char *m = make_plain(tag, i, NULL, &len);
        snprintf(u, sizeof u, "%s%04d.eml", url, i);
        ds_http_request rq = { .method = DS_HTTP_PUT, .url = u, .body = m, .body_len = len,
                               .content_type = "message/rfc822" };
        ok(ds_http_submit(h, &rq, NULL) == 0, "submit PUT\n");
        free(m);
        if (ds_http_pending(h) > 32)
            while (ds_http_pending(h) > 8)
                ds_http_run(h, 100);
    }
    while (ds_http_pending(h))
        ds_http_run(h, 1000);
}

static void hundred_thousand(ds_http *h, const char *base);

int main(void)
{
    const char *base = test_env("MAPIDAV_TEST_APACHE_URL");
    const char *proxy = test_env("MAPIDAV_TEST_PROXY_URL");
    const char *tls = test_env("MAPIDAV_TEST_APACHE_TLS_URL");
    const char *ca = test_env("MAPIDAV_TEST_CA");
    user = test_env("MAPIDAV_TEST_USER");
    pass = test_env("MAPIDAV_TEST_PASSWORD");
    fixdir = test_env("MAPIDAV_TEST_FIXTURE_DIR");
    char *logpath = cat(fixdir, "/sync-faults.log"), url[512];
    st_log_open_file(logpath, 0, 0);
    st_log_configure("davsync=info");
    ds_sync_counts c;
    ds_http_stats st0, st1;
    int rc;

    ds_http *h = dav_client(user, pass, 8);
    char *root = cat(base, "f/"), *inbox = cat(root, "Inbox/"), *other = cat(root, "Other/");
    dav_mkcol(h, root);
    dav_mkcol(h, inbox);
    dav_mkcol(h, other);
    fill(h, inbox, "Inbox", 60);
    fill(h, other, "Other", 10);
    char *proot = cat(proxy, "f/"), *pinbox = cat(proot, "Inbox/"), *pother = cat(proot, "Other/");

    /* ---- 5xx, a reset and a truncated body ---- */
    char *store = cat(fixdir, "/f1.sqlite");
    ds_sync_config cfg = config(proot, store, h);
    proxy_rules(h, proxy,
                "500 GET /f/Inbox/0001.eml 2\n"
                "503:1 GET /f/Inbox/0002.eml 1\n"
                "500 GET /f/Inbox/0003.eml -1\n"
                "reset GET /f/Inbox/0004.eml 1\n"
                "truncate GET /f/Inbox/0005.eml 1\n"
                "500 PROPFIND /f/Other/ 1\n");
    ds_http_get_stats(h, &st0);
    uint64_t t0 = st_os_time_ms();
    rc = ds_sync_once(&c, &cfg);
    uint64_t ms = st_os_time_ms() - t0;
    ds_http_get_stats(h, &st1);
    char *hits = proxy_call(h, proxy, "hits");
    ok(rc == 0, "faulty sync: %d %s\n", rc, st_error_last());
    ok(c.failed >= 1 && c.failed <= 3 && c.new_items + c.failed == 70, "new %llu failed %llu\n",
       (unsigned long long)c.new_items, (unsigned long long)c.failed);
    ok(proxy_hits(hits, 0) == 2 && proxy_hits(hits, 1) == 1 && proxy_hits(hits, 2) == 4 &&
       proxy_hits(hits, 5) == 1, "faults served:\n%s", hits);
    ok(st1.retries - st0.retries >= 2 + 1 + 3 + 1, "retries %llu\n",
       (unsigned long long)(st1.retries - st0.retries));
    ok(ms >= 1000, "Retry-After 1 honoured: the sync took %llu ms\n", (unsigned long long)ms);
    free(hits);
    st_store *s = NULL;
    rc = st_store_open(&s, store, NULL, 0);
    ok(rc == 0, "open store: %d %s\n", rc, st_error_last());
    if (rc)
        return test_done();
    st_id fin = find_folder(s, pinbox), fot = find_folder(s, pother);
    snprintf(url, sizeof url, "%s0001.eml", pinbox);
    ok(body_has(s, url, "this is Inbox 1."), "retried 500 stored\n");
    snprintf(url, sizeof url, "%s0002.eml", pinbox);
    ok(body_has(s, url, "this is Inbox 2."), "retried 503 stored\n");
    snprintf(url, sizeof url, "%s0003.eml", pinbox);
    ok(find_href(s, url) == 0, "the always failing one is not stored\n");
    for (int i = 4; i <= 5; i++) {   /* not stored, or (retried before any byte came) whole */
        char want[32];
        snprintf(url, sizeof url, "%s%04d.eml", pinbox, i);
        snprintf(want, sizeof want, "this is Inbox %d.", i);
        ok(find_href(s, url) == 0 || body_has(s, url, want), "%04d.eml: nothing half\n", i);
    }
    ok(count_msgs(s, fot) == 10, "other %zu (its PROPFIND retried)\n", count_msgs(s, fot));
    {   /* Apache answered the REPORT with 501: remembered, not asked again */
        char *t1 = folder_token(s, fin), *t2 = folder_token(s, fot);
        ok(strcmp(t1, "mapidav:no-sync-collection") == 0 && strcmp(t2, t1) == 0,
           "no sync-collection remembered: %s %s\n", t1, t2);
        free(t1);
        free(t2);
    }
    check_store(s, "after faults");
    uint64_t missing = c.failed;
    proxy_rules(h, proxy, "");
    ds_http_get_stats(h, &st0);
    rc = ds_sync_once(&c, &cfg);
    ds_http_get_stats(h, &st1);
    /* walk: the root (Depth 1), Inbox and Other (Depth 1 and 0); listing:
     * none, no REPORT (Inbox uses the walk's Depth 1 listing, Other was
     * complete, its fingerprint from the walk is unchanged); and the GETs */
    ok(st1.requests - st0.requests == 5 + missing, "requests %llu (no REPORT, no second"
       " PROPFIND), %llu missing\n",
       (unsigned long long)(st1.requests - st0.requests), (unsigned long long)missing);
    ok(rc == 0 && c.new_items == missing && c.gets == missing && c.failed == 0,
       "next sync completes: %d new %llu gets %llu failed %llu\n", rc,
       (unsigned long long)c.new_items, (unsigned long long)c.gets, (unsigned long long)c.failed);
    ok(count_msgs(s, fin) == 60 && count_dups(s, fin) == 0, "inbox %zu, no duplicates\n",
       count_msgs(s, fin));

    /* ---- the server killed mid-sync, then started again ---- */
    {
        char *bulk = cat(root, "Bulk/"), *pbulk = cat(proot, "Bulk/");
        dav_mkcol(h, bulk);
        fill(h, bulk, "Bulk", NBULK);
        proxy_rules(h, proxy, "kill GET /f/Bulk/0100.eml 1\n");
        rc = ds_sync_once(&c, &cfg);
        uint64_t first = c.new_items;
        ok(rc != 0 || c.failed > 0, "sync with the server killed: %s, new %llu failed %llu\n",
           ds_error_name(rc), (unsigned long long)first, (unsigned long long)c.failed);
        ok(first < NBULK, "stored before the kill: %llu\n", (unsigned long long)first);
        char *r = proxy_call(h, proxy, "restart");
        ok(strncmp(r, "restarted", 9) == 0, "restart: %s\n", r);
        free(r);
        proxy_rules(h, proxy, "");
        rc = ds_sync_once(&c, &cfg);
        ok(rc == 0 && c.new_items == NBULK - first && c.gets == NBULK - first && c.failed == 0,
           "resumed: %d new %llu gets %llu (first %llu)\n", rc, (unsigned long long)c.new_items,
           (unsigned long long)c.gets, (unsigned long long)first);
        st_id fb = find_folder(s, pbulk);
        ok(count_msgs(s, fb) == NBULK && count_dups(s, fb) == 0, "bulk %zu, no duplicates\n",
           count_msgs(s, fb));
        ok(count_msgs(s, fin) == 60 && count_msgs(s, fot) == 10, "the rest as it was\n");
        check_store(s, "after the kill");
        free(bulk);
        free(pbulk);
    }

    /* ---- hostile multistatus bodies: an error, the store untouched ---- */
    {
        static const char *const kinds[] = { "badxml", "bomb", "outside", "deep", "hugehref" };
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            for (int tree = 0; tree < 2; tree++) {
                char rule[128];
                /* tree: the folder walk's PROPFIND of the root; else Inbox's listing */
                /* Inbox: its second PROPFIND (the first is the walk's) */
                snprintf(rule, sizeof rule, "hostile:%s PROPFIND %s 1 %d\n", kinds[k],
                         tree ? "/dav/f/" : "/dav/f/Inbox/", !tree);
                proxy_rules(h, proxy, rule);
                rc = ds_sync_once(&c, &cfg);
                ok(rc == DS_EPROTO, "%s (%s): %s %s\n", kinds[k], tree ? "tree" : "folder",
                   ds_error_name(rc), st_error_last());
                ok(c.new_items == 0 && c.deleted == 0 && c.changed == 0 && c.folders_deleted == 0 &&
                   c.folders_created == 0 && c.gets == 0, "%s: nothing applied\n", kinds[k]);
                ok(count_msgs(s, fin) == 60 && count_msgs(s, fot) == 10 && journal_len(s) == 0,
                   "%s: store untouched\n", kinds[k]);
            }
        }
        proxy_rules(h, proxy, "");
        check_store(s, "after hostile bodies");
        rc = ds_sync_once(&c, &cfg);
        ok(rc == 0 && c.gets == 0 && c.deleted == 0, "a clean sync after: %d\n", rc);
    }

    /* ---- a collection moved on the server, a local change pending in it ---- */
    {
        snprintf(url, sizeof url, "%s0001.eml", pother);
        st_id mid = find_href(s, url);
        ok(mid && st_message_set_read(s, mid, 1, 0) == 0, "a local read flag in Other\n");
        char *moved = cat(root, "Other%20Moved/");
        dav_move(h, other, moved);
        rc = ds_sync_once(&c, &cfg);
        ok(rc == 0 && c.folders_kept == 1 && c.folders_deleted == 0 && c.folders_created == 1 &&
           c.new_items == 10, "moved: %d kept %llu created %llu new %llu\n", rc,
           (unsigned long long)c.folders_kept, (unsigned long long)c.folders_created,
           (unsigned long long)c.new_items);
        st_id f2 = 0, ipm = 0, rootf = 0;
        st_folder_root(s, &rootf);
        st_folder_find_by_name(s, &ipm, rootf, "Top of Information Store");
        ok(st_folder_find_by_name(s, &f2, ipm, "Other Moved") == 0 && count_msgs(s, f2) == 10,
           "the new folder, by its decoded name: %zu\n", f2 ? count_msgs(s, f2) : 0);
        ok(find_folder(s, pother) == fot && count_msgs(s, fot) == 10 && journal_len(s) == 1,
           "the old folder kept with its pending change\n");
        free(moved);
    }
    st_store_close(s);

    /* ---- HTTPS: the test CA, a wrong CA; a wrong password ---- */
    {
        char *troot = cat(tls, "f/"), *tstore = cat(fixdir, "/f2.sqlite");
        ds_sync_config tc = { .mail_url = troot, .store_path = tstore, .user = user,
                              .password = pass, .ca_file = ca };
        rc = ds_sync_once(&c, &tc);
        ok(rc == 0 && c.new_items == 60 + NBULK + 10, "https: %d new %llu\n", rc,
           (unsigned long long)c.new_items);
        free(tstore);
        tstore = cat(fixdir, "/f3.sqlite");
        tc.store_path = tstore;
        tc.ca_file = "/etc/ssl/certs/ca-certificates.crt";
        rc = ds_sync_once(&c, &tc);
        ok(rc == DS_ETLS && c.new_items == 0 && c.folders_created == 0, "wrong CA: %s %s\n",
           ds_error_name(rc), st_error_last());
        free(tstore);
        tstore = cat(fixdir, "/f4.sqlite");
        ds_sync_config wc = { .mail_url = root, .store_path = tstore, .user = user,
                              .password = "Wrong-Pa55word" };
        rc = ds_sync_once(&c, &wc);
        ok(rc == DS_EAUTH && c.new_items == 0 && c.folders_created == 0, "wrong password: %s\n",
           ds_error_name(rc));
        free(tstore);
        free(troot);
    }

    hundred_thousand(h, base);

    free(proot);
    free(pinbox);
    free(pother);
    free(root);
    free(inbox);
    free(other);
    free(store);
    free(logpath);
    ds_http_free(h);
    st_log_close();
    return test_done();
}

/* ---- a PROPFIND of 100,000 members ------------------------------------------ */

#ifndef _WIN32
struct stopper {
    ds_http *h;
    uint64_t t_list;        /* when the folder walk was done (the folder's listing began) */
    uint64_t t_fetch;       /* when the listing was done (the fetch phase began) */
};

static void stop_at_fetch(void *arg, const ds_sync_progress *p)
{
    struct stopper *st = arg;
    if (strcmp(p->phase, "list") == 0 && !st->t_list)
        st->t_list = st_os_time_ms();
    /* The folder's own fetch phase (the walk fetches some of the Inbox
     * while it lists, sync_folders.c: not that one). */
    if (strcmp(p->phase, "fetch") == 0 && st->t_list && !st->t_fetch) {
        st->t_fetch = st_os_time_ms();
        ds_http_abort(st->h);
    }
}
#endif

static void hundred_thousand(ds_http *h, const char *base)
{
#ifdef _WIN32
    (void)h;
    (void)base;
    printf("# 100,000 members: skipped (files are written under the server's root on disk)\n");
#else
    enum { NBIG = 100000 };
    const char *droot = test_env("MAPIDAV_TEST_APACHE_ROOT");
    char *dir = cat(droot, "/big/Inbox"), path[1024];
    ok(st_os_mkdir_p(dir) == 0, "mkdir %s\n", dir);
    uint64_t t0 = st_os_time_ms();
    size_t len;
    for (int i = 0; i < NBIG; i++) {
        snprintf(path, sizeof path, "%s/m%06d.eml", dir, i);
        FILE *f = fopen(path, "wb");
        char *m = make_plain("Big", i, NULL, &len);
        if (!f || fwrite(m, 1, len, f) != len) {
            ok(0, "write %s\n", path);
            free(m);
            if (f)
                fclose(f);
            break;
        }
        fclose(f);
        free(m);
    }
    printf("# wrote %d files in %llu ms\n", NBIG, (unsigned long long)(st_os_time_ms() - t0));
    /* Apache's children run as nobody when the tests run as root. */
    char *big = cat(droot, "/big");
    if (chmod(big, 0755) != 0 || chmod(dir, 0755) != 0)
        ok(0, "chmod\n");
    free(big);

    char *root = cat(base, "big/"), *store = cat(fixdir, "/big.sqlite");
    struct stopper sp = { .h = h };
    ds_sync_config cfg = { .mail_url = root, .store_path = store, .http = h,
                           .progress = stop_at_fetch, .progress_arg = &sp };
    ds_sync_counts c;
    long rss0 = peak_rss_kb();
    t0 = st_os_time_ms();
    int rc = ds_sync_once(&c, &cfg);
    long rss1 = peak_rss_kb();
    ok(rc == DS_ECANCELLED && c.items == NBIG && sp.t_fetch, "listing of %d: %s, items %llu\n",
       NBIG, ds_error_name(rc), (unsigned long long)c.items);
    printf("%d members: folder walk (PROPFIND Depth 1 of the tree) %llu ms, the folder's listing"
           " (REPORT refused, PROPFIND, parse, local map, diff) %llu ms; peak RSS growth %ld KB%s\n",
           NBIG, (unsigned long long)(sp.t_list ? sp.t_list - t0 : 0),
           (unsigned long long)(sp.t_fetch && sp.t_list ? sp.t_fetch - sp.t_list : 0), rss1 - rss0,
           RSS_CHECKED ? "" : " (ASan build: not checked)");
    if (RSS_CHECKED)
        ok(rss1 - rss0 < 64 * 1024, "peak RSS growth %ld KB < 64 MB\n", rss1 - rss0);
    free(root);
    free(store);
    free(dir);
#endif
}
