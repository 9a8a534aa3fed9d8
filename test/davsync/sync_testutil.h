/*
 * sync_testutil.h: what the sync tests against real servers share
 * (test_sync_apache.c, test_sync_xandikos.c, test_sync_faults.c,
 * test_engine.c, test_http_ntlm.c, test_http_apache.c): counting in a log
 * file, plain DAV requests of a "second client", a small message maker,
 * reading the store back (counts, duplicates, journal), the fault proxy's
 * control requests (faultproxy.py) and an abort fired from another thread
 * after N fetched items.
 *
 * Header-only, like testutil.h; every function is static inline so a test
 * uses what it needs. Never: a mock server; the checks read the store only
 * through its public API.
 */
#ifndef MAPIDAV_TEST_SYNC_TESTUTIL_H
#define MAPIDAV_TEST_SYNC_TESTUTIL_H

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/href.h"
#include "davsync/http.h"
#include "davsync/sync.h"
#include "storage/error.h"
#include "storage/os.h"
#include "storage/storage.h"
#include "testutil.h"

static inline char *cat(const char *a, const char *b)
{
    char *s = malloc(strlen(a) + strlen(b) + 1);
    if (!s)
        test_fatal("out of memory\n");
    strcpy(s, a);
    strcat(s, b);
    return s;
}

/* Occurrences of needle in the file at path (0 when unreadable): requests in
 * a server's log, a secret in a trace log. */
static inline size_t count_in_file(const char *path, const char *needle)
{
    char *data = NULL;
    size_t len = 0, n = 0;
    if (st_os_read_file(&data, &len, path) != 0)
        return 0;
    for (const char *p = data; (p = strstr(p, needle)) != NULL; p++)
        n++;
    free(data);
    return n;
}

/* A client (user NULL: none); quick retries so injected faults cost little. */
static inline ds_http *dav_client(const char *user, const char *pass, int conns)
{
    ds_http *h = NULL;
    ds_http_config cfg = { .user = user, .password = pass, .max_connections = conns,
                           .proxy = "", .retry_base_ms = 20, .retry_max_ms = 5000 };
    if (ds_http_new(&h, &cfg) != 0)
        test_fatal("ds_http_new: %s\n", st_error_last());
    return h;
}

/* One request; returns the status (0 on a transport failure). */
static inline long dav_do(ds_http *h, const ds_http_request *rq)
{
    ds_http_result r;
    ds_http_perform(h, rq, &r);
    long st = r.status;
    if (r.code && r.status < 400)
        printf("# %s %s: %s\n", ds_http_method_name(rq->method), rq->url, r.error ? r.error : "");
    ds_http_result_clear(&r);
    return st;
}

static inline void dav_mkcol(ds_http *h, const char *url)
{
    long st = dav_do(h, &(ds_http_request){ .method = DS_HTTP_MKCOL, .url = url });
    ok(st == 201 || st == 405, "MKCOL %s: %ld\n", url, st);
}

static inline void dav_put(ds_http *h, const char *url, const char *body, size_t len)
{
    long st = dav_do(h, &(ds_http_request){ .method = DS_HTTP_PUT, .url = url, .body = body,
                                            .body_len = len, .content_type = "message/rfc822" });
    ok(st == 201 || st == 204 || st == 200, "PUT %s: %ld\n", url, st);
}

static inline void dav_del(ds_http *h, const char *url)
{
    long st = dav_do(h, &(ds_http_request){ .method = DS_HTTP_DELETE, .url = url });
    ok(st == 204 || st == 200, "DELETE %s: %ld\n", url, st);
}

static inline void dav_move(ds_http *h, const char *from, const char *to)
{
    long st = dav_do(h, &(ds_http_request){ .method = DS_HTTP_MOVE, .url = from,
                                            .destination = to, .overwrite = 'F' });
    ok(st == 201 || st == 204, "MOVE %s -> %s: %ld\n", from, to, st);
}

/* A small plain message with subject "TAG N" (and extra text when given). */
static inline char *make_plain(const char *tag, int n, const char *extra, size_t *len)
{
    size_t cap = 1024 + (extra ? strlen(extra) : 0);
    char *m = malloc(cap);
    if (!m)
        test_fatal("out of memory\n");
    snprintf(m, cap,
             "From: Alice Example <alice@example.com>\r\nTo: Bob <bob@example.com>\r\n"
             "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <%s-%d@example.com>\r\n"
             "MIME-Version: 1.0\r\nSubject: %s %d\r\nContent-Type: text/plain; charset=us-ascii\r\n"
             "\r\nHello Bob, this is %s %d.%s\r\n", tag, n, tag, n, tag, n, extra ? extra : "");
    *len = strlen(m);
    return m;
}

/* PUTs make_plain(tag, n, extra) at url. */
static inline void dav_put_plain(ds_http *h, const char *url, const char *tag, int n,
                                 const char *extra)
{
    size_t len;
    char *m = make_plain(tag, n, extra, &len);
    dav_put(h, url, m, len);
    free(m);
}

/* ---- the store -------------------------------------------------------------- */

static inline size_t count_msgs(st_store *s, st_id fid)
{
    st_id *ids = NULL;
    size_t n = 0;
    st_message_list(s, &ids, &n, fid, 0);
    free(ids);
    return n;
}

/* The folder called name under parent (a failed check when missing). */
static inline st_id dav_folder_named(st_store *s, st_id parent, const char *name)
{
    st_id id = 0;
    int rc = st_folder_find_by_name(s, &id, parent, name);
    ok(rc == 0, "folder %s: %d %s\n", name, rc, st_error_last());
    return id;
}

static inline size_t journal_len(st_store *s)
{
    st_journal_entry *e = NULL;
    size_t n = 0;
    st_journal_list(s, &e, &n);
    st_journal_entries_free(e, n);
    return n;
}

/* Messages of fid sharing an href with another one (0: no duplicates). */
static inline size_t count_dups(st_store *s, st_id fid)
{
    st_id *ids = NULL;
    size_t n = 0, dups = 0;
    st_message_list(s, &ids, &n, fid, 0);
    char **hrefs = calloc(n ? n : 1, sizeof *hrefs);
    for (size_t i = 0; i < n; i++) {
        st_message_server_get(s, ids[i], &hrefs[i], NULL);
        for (size_t k = 0; k < i; k++)
            if (hrefs[k] && hrefs[i] && strcmp(hrefs[k], hrefs[i]) == 0)
                dups++;
    }
    for (size_t i = 0; i < n; i++)
        free(hrefs[i]);
    free(hrefs);
    free(ids);
    return dups;
}

/* The message (folder: 0) or folder (folder: 1) stored for url, 0 if none. */
static inline st_id find_url(st_store *s, const char *url, int folder)
{
    char *norm = NULL;
    st_id id = 0;
    if (ds_href_normalize(&norm, url) == 0 &&
        (folder ? st_folder_find_by_url(s, &id, norm) : st_message_find_by_href(s, &id, norm)) != 0)
        id = 0;
    free(norm);
    return id;
}
#define find_href(s, url) find_url((s), (url), 0)
#define find_folder(s, url) find_url((s), (url), 1)

/* The sync token stored for folder fid ("" when none); malloc'd. */
static inline char *folder_token(st_store *s, st_id fid)
{
    char *tok = NULL;
    st_folder_sync_get(s, fid, NULL, &tok, NULL);
    return tok ? tok : cat("", "");
}

/* ---- faultproxy.py ---------------------------------------------------------- */

/* The proxy's control URL for `what` (its origin + /__proxy__/what). */
static inline char *proxy_ctl_url(const char *proxy_url, const char *what)
{
    size_t n = ds_href_origin_len(proxy_url), size = n + strlen(what) + 16;
    char *u = malloc(size);
    if (u) {
        memcpy(u, proxy_url, n);
        snprintf(u + n, size - n, "/__proxy__/%s", what);
    }
    return u;
}

/* Replaces the proxy's rules ("" clears them). */
static inline void proxy_rules(ds_http *h, const char *proxy_url, const char *rules)
{
    char *u = proxy_ctl_url(proxy_url, "rules");
    long st = dav_do(h, &(ds_http_request){ .method = DS_HTTP_PUT, .url = u, .body = rules,
                                            .body_len = strlen(rules), .content_type = "text/plain" });
    ok(st == 200, "proxy rules: %ld\n", st);
    free(u);
}

/* POST what (kill, restart) or GET hits: the answer's text, malloc'd. */
static inline char *proxy_call(ds_http *h, const char *proxy_url, const char *what)
{
    char *u = proxy_ctl_url(proxy_url, what);
    ds_http_result r;
    int get = strcmp(what, "hits") == 0;
    ds_http_perform(h, &(ds_http_request){ .method = get ? DS_HTTP_GET : DS_HTTP_PUT, .url = u,
                                           .body = get ? NULL : "", .body_len = 0 }, &r);
    char *out = cat(r.body ? r.body : "", "");
    ds_http_result_clear(&r);
    free(u);
    return out;
}

/* Hits of rule i, from the text of proxy_call(.., "hits"). */
static inline int proxy_hits(const char *hits, int i)
{
    int idx, n;
    for (const char *p = hits; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (sscanf(p, "%d %d", &idx, &n) == 2 && idx == i)
            return n;
    return -1;
}

/* ---- abort from another thread after N fetched items -------------------------- */

typedef struct aborter {
    ds_http *h;
    atomic_int fetched;     /* items fetched, from the progress callback */
    int after;              /* abort once this many are fetched */
} aborter;

static inline void aborter_thread(void *arg)
{
    aborter *a = arg;
    for (int i = 0; i < 60000 && atomic_load(&a->fetched) < a->after; i++)
        st_os_sleep_ms(1);
    ds_http_abort(a->h);
}

static inline void aborter_progress(void *arg, const ds_sync_progress *p)
{
    aborter *a = arg;
    if (strcmp(p->phase, "fetch") == 0 && p->done)
        atomic_fetch_add(&a->fetched, 1);
}

#endif /* MAPIDAV_TEST_SYNC_TESTUTIL_H */
