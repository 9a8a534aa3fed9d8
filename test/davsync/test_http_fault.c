/*
 * test_http_fault.c: the HTTP client's fault paths against faultserver.py
 * (fault injection only): retries with backoff on 503 + Retry-After (seconds
 * and HTTP-date), bounded retries, no retry of unsafe methods, same-origin
 * redirects followed and foreign ones refused, cancellation (owner thread and
 * another thread) within 100 ms, timeouts, refused connections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "davsync/http.h"
#include "storage/error.h"
#include "storage/os.h"
#include "testutil.h"

static const char *base;
static char url_buf[512];

static const char *U(const char *path)
{
    snprintf(url_buf, sizeof(url_buf), "%s%s", base, path);
    return url_buf;
}

static ds_http *client(int retries, unsigned base_ms)
{
    ds_http *h = NULL;
    ds_http_config cfg = { .max_retries = retries, .retry_base_ms = base_ms, .retry_max_ms = 5000,
                           .proxy = "" };
    if (ds_http_new(&h, &cfg) != 0)
        test_fatal("ds_http_new: %s\n", st_error_last());
    return h;
}

struct done_rec {
    int called, code;
    uint64_t at;
};

static void on_done(void *arg, const ds_http_result *res)
{
    struct done_rec *d = arg;
    d->called++;
    d->code = res->code;
    d->at = st_os_time_ms();
}

struct aborter {
    ds_http *h;
    unsigned delay_ms;
    uint64_t at;
};

static void wake_thread(void *arg)
{
    struct aborter *a = arg;
    st_os_sleep_ms(a->delay_ms);
    a->at = st_os_time_ms();
    ds_http_wakeup(a->h);
}

static void abort_thread(void *arg)
{
    struct aborter *a = arg;
    st_os_sleep_ms(a->delay_ms);
    a->at = st_os_time_ms();
    ds_http_abort(a->h);
}

static int token_calls, token_renewed;

/* Like an account's token cache: a stale token until the server refuses it. */
static int bearer_hook(void *arg, char **out, int renew)
{
    (void)arg;
    token_calls++;
    if (renew)
        token_renewed = 1;
    *out = strdup(token_renewed ? "good-token" : "stale-token");
    return *out ? 0 : -1;
}

int main(void)
{
    ds_http *h;
    ds_http_result r;
    uint64_t t0, ms;

    base = test_env("MAPIDAV_TEST_FAULT_URL");
    const char *other = test_env("MAPIDAV_TEST_FAULT_OTHER_URL");
    (void)other;

    ok(ds_http_retry_after_ms("120", 0) == 120000, "Retry-After seconds\n");
    ok(ds_http_retry_after_ms(" 0 ", 0) == 0, "Retry-After 0\n");
    ok(ds_http_retry_after_ms("Thu, 01 Jan 1970 00:00:10 GMT", 4) == 6000, "Retry-After date: %ld\n",
       ds_http_retry_after_ms("Thu, 01 Jan 1970 00:00:10 GMT", 4));
    ok(ds_http_retry_after_ms("soon", 0) == -1, "Retry-After junk\n");
    ok(ds_etag_is_weak("W/\"x\"") && !ds_etag_is_weak("\"x\"") && !ds_etag_is_weak(NULL), "weak etag\n");

    /* 503 twice with Retry-After: 1, then 200. */
    h = client(3, 50);
    t0 = st_os_time_ms();
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = U("503/a?n=2&ra=1") }, &r);
    ms = st_os_time_ms() - t0;
    ok(r.code == 0 && r.status == 200 && r.attempts == 3, "503x2: code %d status %ld attempts %d (%s)\n",
       r.code, r.status, r.attempts, r.error);
    ok(ms >= 1900 && ms < 5000, "503x2 with Retry-After 1 took %llu ms\n", (unsigned long long)ms);
    printf("# 503 twice, Retry-After 1: done after %llu ms, %d attempts\n", (unsigned long long)ms, r.attempts);
    ds_http_result_clear(&r);

    /* Retry-After as an HTTP-date. */
    t0 = st_os_time_ms();
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PROPFIND, .url = U("503/b?n=1&ra=date:2"),
                    .depth = "0" }, &r);
    ms = st_os_time_ms() - t0;
    ok(r.code == 0 && r.attempts == 2 && ms >= 900, "503 date: code %d attempts %d after %llu ms\n",
       r.code, r.attempts, (unsigned long long)ms);
    ds_http_result_clear(&r);
    ds_http_free(h);

    /* Bounded: always 503, 2 retries. */
    h = client(2, 20);
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = U("503-always") }, &r);
    ok(r.code == DS_EHTTP && r.status == 503 && r.attempts == 3, "always 503: code %d status %ld attempts %d\n",
       r.code, r.status, r.attempts);
    ds_http_result_clear(&r);

    /* A PUT without precondition is not retried; with If-Match it is. */
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PUT, .url = U("503/c?n=1&ra=0"),
                    .body = "x", .body_len = 1 }, &r);
    ok(r.code == DS_EHTTP && r.attempts == 1, "plain PUT retried: code %d attempts %d\n", r.code, r.attempts);
    ds_http_result_clear(&r);
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PUT, .url = U("503/d?n=1&ra=0"),
                    .body = "x", .body_len = 1, .if_match = "\"e\"" }, &r);
    ok(r.code == 0 && r.attempts == 2, "If-Match PUT: code %d attempts %d\n", r.code, r.attempts);
    ds_http_result_clear(&r);
    {
        char dest[512];
        snprintf(dest, sizeof(dest), "%sx", base);
        ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_MOVE, .url = U("503/e?n=1&ra=0"),
                        .destination = dest, .overwrite = 'F', .retry_safe = 1 }, &r);
    }
    ok(r.code == 0 && r.attempts == 2, "retry_safe MOVE: code %d attempts %d\n", r.code, r.attempts);
    ds_http_result_clear(&r);

    /* Redirects. */
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = U("redirect-same") }, &r);
    ok(r.code == 0 && r.status == 200 && r.redirects == 1 && r.body && !strcmp(r.body, "ok"),
       "same-origin redirect: code %d status %ld redirects %d\n", r.code, r.status, r.redirects);
    ds_http_result_clear(&r);
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PROPFIND, .url = U("redirect-other"),
                    .depth = "0", .body = "<x/>", .body_len = 4 }, &r);
    ok(r.code == DS_EPROTO && r.status == 302 && strstr(r.error, "another origin"),
       "foreign redirect: code %d status %ld %s\n", r.code, r.status, r.error);
    ds_http_result_clear(&r);

    /* Timeout. */
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = U("hang"), .timeout_ms = 300 }, &r);
    ok(r.code == DS_ETIMEOUT, "timeout: code %d (%s)\n", r.code, r.error);
    ds_http_result_clear(&r);
    ds_http_free(h);

    /* Cancellation from the owning thread. */
    h = client(-1, 10);
    {
        struct done_rec d = { 0 };
        uint64_t id;
        ok(ds_http_submit(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = U("hang"),
                          .done = on_done, .done_arg = &d }, &id) == 0, "submit\n");
        ds_http_run(h, 100);
        t0 = st_os_time_ms();
        ok(ds_http_cancel(h, id) == 0, "cancel\n");
        ok(d.called == 1 && d.code == DS_ECANCELLED && d.at - t0 < 100, "owner cancel: called %d code %d in %llu ms\n",
           d.called, d.code, (unsigned long long)(d.at - t0));
        ok(ds_http_pending(h) == 0, "pending after cancel\n");
        ok(ds_http_cancel(h, id) == DS_ENOTFOUND, "second cancel\n");
    }
    /* A wake-up from another thread ends ds_http_run early; nothing is lost. */
    {
        struct done_rec d = { 0 };
        struct aborter a = { h, 80, 0 };
        st_thread *t = NULL;
        uint64_t id;
        ds_http_submit(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = U("hang"),
                       .done = on_done, .done_arg = &d }, &id);
        ok(st_thread_start(&t, wake_thread, &a) == 0, "thread\n");
        int rc = ds_http_run(h, 5000);
        uint64_t end = st_os_time_ms();
        st_thread_join(t);
        ok(rc == 0 && end - a.at < 100 && d.called == 0 && ds_http_pending(h) == 1,
           "wakeup: rc %d after %llu ms, called %d, pending %zu\n", rc, (unsigned long long)(end - a.at),
           d.called, ds_http_pending(h));
        ds_http_cancel(h, id);
        ok(d.called == 1 && d.code == DS_ECANCELLED, "cancel after wakeup\n");
    }
    /* Abort from another thread, several requests in flight. */
    {
        struct done_rec d[3] = { { 0 } };
        struct aborter a = { h, 80, 0 };
        st_thread *t = NULL;
        for (int i = 0; i < 3; i++)
            ds_http_submit(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = U("hang"),
                           .done = on_done, .done_arg = &d[i] }, NULL);
        ok(st_thread_start(&t, abort_thread, &a) == 0, "thread\n");
        int rc = ds_http_run(h, 5000);
        uint64_t end = st_os_time_ms();
        st_thread_join(t);
        ok(rc == DS_ECANCELLED, "abort: run gave %d\n", rc);
        ok(end - a.at < 100, "abort took %llu ms\n", (unsigned long long)(end - a.at));
        printf("# abort from another thread: all 3 requests ended %llu ms after ds_http_abort\n",
               (unsigned long long)(end - a.at));
        for (int i = 0; i < 3; i++)
            ok(d[i].called == 1 && d[i].code == DS_ECANCELLED, "abort %d: %d %d\n", i, d[i].called, d[i].code);
    }
    ds_http_free(h);

    /* Bearer tokens: a refused one is renewed once through the hook. */
    {
        ds_http_config cfg = { .bearer = bearer_hook, .proxy = "", .max_retries = -1 };
        h = NULL;
        ok(ds_http_new(&h, &cfg) == 0, "new\n");
        ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = U("bearer") }, &r);
        ok(r.code == 0 && r.status == 200 && token_calls == 2 && r.attempts == 2,
           "bearer: code %d status %ld calls %d attempts %d\n", r.code, r.status, token_calls, r.attempts);
        ds_http_result_clear(&r);
        ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = U("bearer") }, &r);
        ok(r.code == 0 && token_calls == 3, "bearer again: %d calls %d\n", r.code, token_calls);
        ds_http_result_clear(&r);
        ds_http_free(h);
    }
    printf("# curl: %s; NTLM %s\n", curl_version(), ds_http_has_ntlm() ? "available" : "NOT available");

    /* A closed port: DS_ENETWORK after the retries (never sent, so retried). */
    h = client(2, 10);
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_DELETE, .url = "http://localhost:1/x" }, &r);
    ok(r.code == DS_ENETWORK && r.attempts == 3, "refused: code %d attempts %d (%s)\n", r.code, r.attempts, r.error);
    ds_http_result_clear(&r);
    ds_http_free(h);
    curl_global_cleanup();
    return test_done();
}
