/*
 * dav_util.h: what the davsync tests against a real server share to build
 * a mail tree as a second client would (a plain HTTP client, MKCOL, PUT,
 * DELETE, string joining) and to look at the store they synced into
 * (folder by name, message count). Header-only, like testutil.h; checks go through
 * ok() so a failed request is reported at the caller's file.
 * Never: a mock server; these only talk to the fixture's servers.
 */
#ifndef MAPIDAV_TEST_DAV_UTIL_H
#define MAPIDAV_TEST_DAV_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "davsync/http.h"
#include "storage/error.h"
#include "storage/storage.h"
#include "testutil.h"

/* a + b, malloc'd. */
static inline char *dav_cat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    if (!s)
        test_fatal("out of memory\n");
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return s;
}

/* A client of the test account (no proxy). */
static inline ds_http *dav_client(const char *user, const char *pass, int conns)
{
    ds_http *h = NULL;
    ds_http_config cfg = { .user = user, .password = pass, .max_connections = conns, .proxy = "" };
    if (ds_http_new(&h, &cfg) != 0)
        test_fatal("ds_http_new: %s\n", st_error_last());
    return h;
}

/* MKCOL; an existing collection (405) is fine. */
static inline void dav_mkcol(ds_http *h, const char *url)
{
    ds_http_result r;
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_MKCOL, .url = url }, &r);
    ok(r.code == 0 || r.status == 405, "MKCOL %s: %d %ld %s\n", url, r.code, r.status, r.error);
    ds_http_result_clear(&r);
}

/* PUT of a message/rfc822 body. */
static inline void dav_put(ds_http *h, const char *url, const char *body, size_t len)
{
    ds_http_result r;
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PUT, .url = url, .body = body,
                                           .body_len = len, .content_type = "message/rfc822" }, &r);
    ok(r.code == 0, "PUT %s: %d %ld %s\n", url, r.code, r.status, r.error);
    ds_http_result_clear(&r);
}

static inline void dav_del(ds_http *h, const char *url)
{
    ds_http_result r;
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_DELETE, .url = url }, &r);
    ok(r.code == 0, "DELETE %s: %d %ld %s\n", url, r.code, r.status, r.error);
    ds_http_result_clear(&r);
}

/* The folder called name under parent (a failed check when missing). */
static inline st_id dav_folder_named(st_store *s, st_id parent, const char *name)
{
    st_id id = 0;
    int rc = st_folder_find_by_name(s, &id, parent, name);
    ok(rc == 0, "folder %s: %d %s\n", name, rc, st_error_last());
    return id;
}

/* Messages (normal contents) in fid. */
static inline size_t dav_count_msgs(st_store *s, st_id fid)
{
    st_id *ids = NULL;
    size_t n = 0;
    st_message_list(s, &ids, &n, fid, 0);
    free(ids);
    return n;
}

#endif /* MAPIDAV_TEST_DAV_UTIL_H */
