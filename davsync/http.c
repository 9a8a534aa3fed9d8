/*
 * http.c: the request queue and the curl multi loop of the sync thread's
 * HTTP client (http.h): per-transfer set-up, header capture, streaming body
 * sinks, same-origin redirects, retries with backoff, cancellation, results.
 *
 * Easy handles of ended attempts are kept (a few) and reset for the next;
 * a plain GET takes one already set up for its kind as it is (plain_kind).
 *
 * Invariants: a request is in exactly one state, waiting (not in the multi
 * handle: new, or backing off before a retry) or active (its easy handle is
 * in the multi handle); it leaves the list before its done callback runs, so
 * the callback may submit or cancel freely. A body already streamed to the
 * caller's sink is never streamed again (no retry after the first byte).
 * Never: log an Authorization header, follow a redirect to another origin,
 * or retry a non-idempotent request the caller did not mark safe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "davsync/href.h"
#include "davsync/http_int.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/strutil.h"

#define ERROR_BODY_MAX (64u * 1024u)
#define MAX_REDIRECTS 10

enum req_state { RQ_WAITING, RQ_ACTIVE };

struct mbuf {
    char *p;
    size_t len, cap;
};

struct ds_http_req {
    struct ds_http_req *next, *prev;    /* in h's list */
    ds_http *h;
    uint64_t id;
    ds_http_request rq;                 /* copy: the strings below are owned */
    char *url, *depth, *destination, *if_match, *if_none_match, *content_type;
    char **headers;                     /* NULL-ended copy */
    char *body;                         /* copy of a memory body */
    enum req_state state;
    uint64_t start_at;                  /* RQ_WAITING: not before this (st_os_time_ms) */
    uint64_t t0;                        /* submitted */
    CURL *easy;                         /* while active */
    unsigned easy_kind;                 /* its plain_kind (0: none) */
    struct curl_slist *hdrs;            /* request headers of the attempt */
    size_t upload_pos;                  /* memory body: bytes handed to curl */
    char errbuf[CURL_ERROR_SIZE];
    char *bearer;                       /* token of this attempt */
    int bearer_renewed;                 /* the hook was asked for a new one */
    ds_http_method method;              /* may become GET after a 303 */
    /* the answer being received (reset per attempt) */
    long status;                        /* of the last header block */
    char *etag, *ctype, *location, *dav, *retry_after, *cenc;
    int64_t content_length;
    int to_sink;                        /* decided at the first body byte: 1 sink, 0 memory */
    int body_decided;
    int sink_started;                   /* bytes went to the caller's sink */
    int sink_err;                       /* the sink's (or source's) error */
    char *sink_msg;                     /* st_error_last() when it failed */
    int too_big;                        /* memory body over the cap */
    struct mbuf body_buf;               /* memory body or error body */
    uint64_t body_bytes;
    int attempts, redirects;
    long connects;
    char *errmsg;                       /* final message */
};

/* ---- small things ------------------------------------------------------- */

static char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int mbuf_add(struct mbuf *b, const char *s, size_t n)
{
    return st_append(&b->p, &b->len, &b->cap, s, n);
}

static uint64_t rng_next(ds_http *h)
{
    uint64_t x = h->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    h->rng = x;
    return x;
}

static int method_is_safe(ds_http_method m)
{
    return m == DS_HTTP_GET || m == DS_HTTP_HEAD || m == DS_HTTP_OPTIONS
        || m == DS_HTTP_PROPFIND || m == DS_HTTP_REPORT;
}

static int may_retry(const struct ds_http_req *r)
{
    if (r->sink_started)
        return 0;
    if (method_is_safe(r->method) || r->rq.retry_safe)
        return 1;
    /* A conditional PUT/DELETE cannot do harm twice: the second one gets 412. */
    return (r->method == DS_HTTP_PUT || r->method == DS_HTTP_DELETE)
        && (r->if_match || r->if_none_match);
}

static int can_resend_body(const struct ds_http_req *r)
{
    return r->body || !r->rq.read || r->rq.rewind;
}

/* ---- curl callbacks ------------------------------------------------------ */

static void set_hdr(char **slot, const char *v, size_t n)
{
    free(*slot);
    *slot = malloc(n + 1);
    if (*slot) {
        memcpy(*slot, v, n);
        (*slot)[n] = '\0';
    }
}

static int hdr_is(const char *line, size_t len, const char *name, const char **v, size_t *vlen)
{
    size_t n = strlen(name);
    if (len <= n || line[n] != ':')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char a = line[i], b = name[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (char)(b + 32);
        if (a != b)
            return 0;
    }
    const char *s = line + n + 1, *e = line + len;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *v = s;
    *vlen = (size_t)(e - s);
    return 1;
}

static void clear_answer(struct ds_http_req *r)
{
    free(r->etag);
    free(r->ctype);
    free(r->location);
    free(r->dav);
    free(r->retry_after);
    free(r->cenc);
    r->etag = r->ctype = r->location = r->dav = r->retry_after = r->cenc = NULL;
    r->content_length = -1;
}

static size_t header_cb(char *line, size_t size, size_t n, void *arg)
{
    struct ds_http_req *r = arg;
    size_t len = size * n;
    const char *v;
    size_t vlen;

    if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
        const char *sp = memchr(line, ' ', len);
        clear_answer(r);    /* a new block (after 100, 401 ...) */
        if (!r->sink_started) {
            r->body_decided = r->to_sink = 0;   /* a 401's body must not decide */
            r->body_buf.len = 0;
            r->body_bytes = 0;
        }
        r->status = sp && (size_t)(sp - line) + 4 <= len ? strtol(sp + 1, NULL, 10) : 0;
        return len;
    }
    /* Only the names that can match are compared (by the first letter). */
    const struct {
        const char *name;
        char **slot;
    } kept[] = {
        { "ETag", &r->etag }, { "Content-Type", &r->ctype }, { "Location", &r->location },
        { "DAV", &r->dav }, { "Retry-After", &r->retry_after }, { "Content-Encoding", &r->cenc },
    };
    int first = len ? line[0] | 0x20 : 0;
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        if ((kept[i].name[0] | 0x20) == first && hdr_is(line, len, kept[i].name, &v, &vlen)) {
            set_hdr(kept[i].slot, v, vlen);
            return len;
        }
    if (first == 'c' && hdr_is(line, len, "Content-Length", &v, &vlen)) {
        int64_t cl = 0;
        size_t i = 0;
        for (; i < vlen && v[i] >= '0' && v[i] <= '9' && cl < INT64_MAX / 10 - 9; i++)
            cl = cl * 10 + (v[i] - '0');
        r->content_length = i == vlen && vlen ? cl : -1;
    }
    return len;
}

static size_t write_cb(char *data, size_t size, size_t n, void *arg)
{
    struct ds_http_req *r = arg;
    size_t len = size * n;
    size_t cap = r->rq.max_body ? r->rq.max_body : r->h->cfg.max_body;

    if (!r->body_decided) {
        r->body_decided = 1;
        r->to_sink = r->rq.write && r->status >= 200 && r->status < 300;
    }
    r->body_bytes += len;
    if (r->to_sink) {
        int rc = r->rq.write(r->rq.write_arg, data, len);
        r->sink_started = 1;
        if (rc != 0) {
            r->sink_err = rc;
            free(r->sink_msg);
            r->sink_msg = xstrdup(st_error_last());
            return 0;   /* CURLE_WRITE_ERROR */
        }
        return len;
    }
    if (r->status >= 200 && r->status < 300) {
        if (r->body_buf.len + len > cap) {
            r->too_big = 1;
            return 0;
        }
    } else {
        size_t room = ERROR_BODY_MAX - r->body_buf.len;
        if (r->body_buf.len >= ERROR_BODY_MAX)
            return len;     /* keep the start of an error body only */
        if (len > room) {
            mbuf_add(&r->body_buf, data, room);
            return len;
        }
    }
    if (mbuf_add(&r->body_buf, data, len) != 0) {
        r->sink_err = ST_ERROR;
        st_error_set("out of memory");
        return 0;
    }
    return len;
}

static size_t read_cb(char *buf, size_t size, size_t n, void *arg)
{
    struct ds_http_req *r = arg;
    size_t room = size * n;

    if (r->body) {
        size_t left = r->rq.body_len - r->upload_pos;
        size_t take = left < room ? left : room;
        memcpy(buf, r->body + r->upload_pos, take);
        r->upload_pos += take;
        return take;
    }
    if (r->rq.read) {
        size_t got = 0;
        int rc = r->rq.read(r->rq.read_arg, buf, room, &got);
        if (rc != 0) {
            r->sink_err = rc;
            free(r->sink_msg);
            r->sink_msg = xstrdup(st_error_last());
            return CURL_READFUNC_ABORT;
        }
        return got > room ? room : got;
    }
    return 0;
}

static int seek_cb(void *arg, curl_off_t off, int origin)
{
    struct ds_http_req *r = arg;

    if (origin != SEEK_SET)
        return CURL_SEEKFUNC_CANTSEEK;
    if (r->body) {
        if (off < 0 || (size_t)off > r->rq.body_len)
            return CURL_SEEKFUNC_FAIL;
        r->upload_pos = (size_t)off;
        return CURL_SEEKFUNC_OK;
    }
    if (r->rq.read && off == 0 && r->rq.rewind)
        return r->rq.rewind(r->rq.read_arg) == 0 ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_FAIL;
    return CURL_SEEKFUNC_CANTSEEK;
}

/* Trace on the http channel: headers both ways, never credentials. */
static int debug_cb(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
    struct ds_http_req *r = arg;
    const char *dir;
    (void)easy;

    if (type == CURLINFO_TEXT)
        dir = "*";
    else if (type == CURLINFO_HEADER_OUT)
        dir = ">";
    else if (type == CURLINFO_HEADER_IN)
        dir = "<";
    else {
        if (type == CURLINFO_DATA_OUT || type == CURLINFO_DATA_IN)
            ST_LOG_TRACE(ST_LOG_HTTP, "#%llu %s %zu bytes of body", (unsigned long long)r->id,
                         type == CURLINFO_DATA_OUT ? ">" : "<", size);
        return 0;
    }
    while (size) {
        const char *eol = memchr(data, '\n', size);
        size_t len = eol ? (size_t)(eol - data) + 1 : size;
        size_t l = len;
        while (l && (data[l - 1] == '\n' || data[l - 1] == '\r'))
            l--;
        if (l) {
            const char *v;
            size_t vl;
            if (hdr_is(data, l, "Authorization", &v, &vl)
                || hdr_is(data, l, "Proxy-Authorization", &v, &vl))
                ST_LOG_TRACE(ST_LOG_HTTP, "#%llu %s %.*s: (not logged)",
                             (unsigned long long)r->id, dir, (int)strcspn(data, ":"), data);
            else
                ST_LOG_TRACE(ST_LOG_HTTP, "#%llu %s %.*s", (unsigned long long)r->id, dir,
                             (int)l, data);
        }
        data += len;
        size -= len;
    }
    return 0;
}

/* ---- one attempt ---------------------------------------------------------- */

static struct curl_slist *add_hdr(struct curl_slist *l, int *err, const char *name,
                                  const char *value)
{
    char line[2048];
    struct curl_slist *n;
    if (!value || *err)
        return l;
    if (strpbrk(value, "\r\n") || snprintf(line, sizeof(line), "%s: %s", name, value)
                                      >= (int)sizeof(line)) {
        *err = 1;
        st_error_set("request header %s is too long or has a line break", name);
        return l;
    }
    n = curl_slist_append(l, line);
    if (!n) {
        *err = 1;
        st_error_set("out of memory");
        return l;
    }
    return n;
}

/* An easy handle out of the multi handle: kept for the next attempt (its
 * options reset there unless it is of the same plain_kind), or cleaned up. */
static void put_easy(ds_http *h, CURL *e, unsigned kind)
{
    if (h->nspare < DS_HTTP_SPARE_MAX) {
        h->spare_kind[h->nspare] = kind;
        h->spare[h->nspare++] = e;
    } else {
        curl_easy_cleanup(e);
    }
}

/* Fast path (issue 5: a GET per message): a plain GET - no body, no header
 * or timeout of its own, no bearer token, no trace, nothing but the URL
 * differing from the GET before it - reuses a kept handle set up for the
 * same kind as it is: only the options that point at the request change, no
 * curl_easy_reset and two dozen setopts. The kind names everything else the
 * set-up depends on (https, the auth scheme learnt so far); 0: not plain,
 * full set-up on a reset handle. */
static unsigned plain_kind(const ds_http *h, const struct ds_http_req *r, int has_body)
{
    if (r->method != DS_HTTP_GET || has_body || r->depth || r->destination || r->if_match
        || r->if_none_match || r->headers || r->rq.overwrite == 'T' || r->rq.overwrite == 'F'
        || r->rq.timeout_ms > 0 || r->rq.accept_encoding > 0 || h->cfg.bearer
        || st_log_enabled(ST_LOG_HTTP, ST_LOG_LEVEL_TRACE))
        return 0;
    return 1u | (strncmp(r->url, "https:", 6) == 0 ? 2u : 0u) | (h->auth_mask << 2);
}

/* A handle for an attempt of kind: *ready when it is already set up for it. */
static CURL *take_easy(ds_http *h, unsigned kind, int *ready)
{
    *ready = 0;
    if (!h->nspare)
        return curl_easy_init();
    for (size_t i = h->nspare; kind && i-- > 0;)
        if (h->spare_kind[i] == kind) {
            CURL *e = h->spare[i];
            h->nspare--;
            h->spare[i] = h->spare[h->nspare];
            h->spare_kind[i] = h->spare_kind[h->nspare];
            *ready = 1;
            return e;
        }
    CURL *e = h->spare[--h->nspare];
    curl_easy_reset(e);     /* as new: every option back to its default */
    return e;
}

static void drop_easy(ds_http *h, struct ds_http_req *r)
{
    if (r->easy) {
        if (r->state == RQ_ACTIVE)
            curl_multi_remove_handle(h->multi, r->easy);
        put_easy(h, r->easy, r->easy_kind);
        r->easy = NULL;
    }
    curl_slist_free_all(r->hdrs);
    r->hdrs = NULL;
    r->state = RQ_WAITING;
}

static int start_attempt(ds_http *h, struct ds_http_req *r)
{
    int err = 0, has_body = r->body != NULL || (r->rq.read != NULL), ready;
    const char *ctype = r->content_type;
    int rc;

    if (r->method == DS_HTTP_GET && r->redirects && !r->body)
        has_body = 0;
    unsigned kind = plain_kind(h, r, has_body);
    CURL *e = take_easy(h, kind, &ready);
    if (!e) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    r->easy = e;
    r->easy_kind = 0;   /* until set up */
    r->attempts++;
    h->stats.attempts++;
    r->status = 0;
    clear_answer(r);
    r->body_decided = r->to_sink = r->too_big = 0;
    r->body_buf.len = 0;
    r->body_bytes = 0;
    r->upload_pos = 0;
    r->errbuf[0] = '\0';

    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    if (ready) {    /* plain_kind: all but these four is set as wanted */
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
        rc = ds_http__tls_setup(h, e, r->url);  /* as a full set-up: its warning too */
        if (rc)
            goto fail;
        goto add;
    }
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, h->cfg.http2 ? (long)CURL_HTTP_VERSION_2TLS
                                                           : (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->cfg.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, h->cfg.low_speed_time_s);
    if (r->rq.timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, r->rq.timeout_ms);
    if (h->proxy)
        curl_easy_setopt(e, CURLOPT_PROXY, h->proxy);   /* "" disables any proxy */
    if (h->noproxy)
        curl_easy_setopt(e, CURLOPT_NOPROXY, h->noproxy);
    if (r->rq.accept_encoding > 0
        || (r->rq.accept_encoding == 0
            && (r->method == DS_HTTP_PROPFIND || r->method == DS_HTTP_REPORT)))
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");   /* what curl can decode */
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    if (st_log_enabled(ST_LOG_HTTP, ST_LOG_LEVEL_TRACE)) {
        curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, debug_cb);
        curl_easy_setopt(e, CURLOPT_DEBUGDATA, r);
        curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    }

    switch (r->method) {
    case DS_HTTP_GET:
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
        break;
    case DS_HTTP_HEAD:
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
        break;
    default:
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, ds_http_method_name(r->method));
        break;
    }
    if (has_body) {
        curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb);
        curl_easy_setopt(e, CURLOPT_READDATA, r);
        curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, seek_cb);
        curl_easy_setopt(e, CURLOPT_SEEKDATA, r);
        if (r->body)
            curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->rq.body_len);
        else if (r->rq.upload_size >= 0)
            curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->rq.upload_size);
        /* pitfall 3: an empty Expect: removes curl's "100-continue" */
        {
            struct curl_slist *n = curl_slist_append(r->hdrs, "Expect:");
            if (n)
                r->hdrs = n;
            else
                err = 1;
        }
        if (!ctype && (r->method == DS_HTTP_PROPFIND || r->method == DS_HTTP_PROPPATCH
                       || r->method == DS_HTTP_REPORT))
            ctype = "application/xml; charset=utf-8";   /* pitfall 4 */
        r->hdrs = add_hdr(r->hdrs, &err, "Content-Type", ctype);
    }
    r->hdrs = add_hdr(r->hdrs, &err, "Depth", r->depth);
    r->hdrs = add_hdr(r->hdrs, &err, "Destination", r->destination);
    if (r->rq.overwrite == 'T' || r->rq.overwrite == 'F') {
        char ow[2] = { (char)r->rq.overwrite, 0 };
        r->hdrs = add_hdr(r->hdrs, &err, "Overwrite", ow);
    }
    r->hdrs = add_hdr(r->hdrs, &err, "If-Match", r->if_match);
    r->hdrs = add_hdr(r->hdrs, &err, "If-None-Match", r->if_none_match);
    for (size_t i = 0; r->headers && r->headers[i] && !err; i++) {
        struct curl_slist *n;
        if (strpbrk(r->headers[i], "\r\n") || !strchr(r->headers[i], ':')) {
            st_error_set("request header %zu is not one \"Name: value\" line", i);
            err = 1;
            break;
        }
        n = curl_slist_append(r->hdrs, r->headers[i]);
        if (!n)
            err = 1;
        else
            r->hdrs = n;
    }
    if (err) {
        rc = DS_EPROTO;
        goto fail;
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
    rc = ds_http__auth_setup(h, e, &r->bearer, r->bearer_renewed);
    if (rc)
        goto fail;
    rc = ds_http__tls_setup(h, e, r->url);
    if (rc)
        goto fail;
add:
    if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
        st_error_set("curl_multi_add_handle failed");
        rc = ST_ERROR;
        goto fail;
    }
    r->easy_kind = kind;
    r->state = RQ_ACTIVE;
    return 0;
fail:
    put_easy(h, e, 0);
    r->easy = NULL;
    curl_slist_free_all(r->hdrs);
    r->hdrs = NULL;
    return rc;
}

/* ---- the list --------------------------------------------------------------- */

static void unlink_req(ds_http *h, struct ds_http_req *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else
        h->head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    else
        h->tail = r->prev;
    r->next = r->prev = NULL;
    h->npending--;
}

static void free_req(struct ds_http_req *r)
{
    if (!r)
        return;
    curl_slist_free_all(r->hdrs);
    if (r->easy)
        curl_easy_cleanup(r->easy);
    clear_answer(r);
    free(r->url);
    free(r->depth);
    free(r->destination);
    free(r->if_match);
    free(r->if_none_match);
    free(r->content_type);
    if (r->headers)
        for (size_t i = 0; r->headers[i]; i++)
            free(r->headers[i]);
    free(r->headers);
    free(r->body);
    free(r->bearer);
    free(r->body_buf.p);
    free(r->errmsg);
    free(r->sink_msg);
    free(r);
}

/* Ends r: out of the list, done callback, freed. */
static void finish(ds_http *h, struct ds_http_req *r, int code, const char *msg)
{
    ds_http_result res;
    char *red = NULL;

    drop_easy(h, r);
    unlink_req(h, r);
    h->stats.requests++;
    if (msg && *msg && st_log_redact(&red, msg) == 0)
        r->errmsg = red;
    memset(&res, 0, sizeof(res));
    res.id = r->id;
    res.code = code;
    res.status = r->status;
    res.error = r->errmsg ? r->errmsg : "";
    res.url = r->url;
    res.etag = r->etag;
    res.content_type = r->ctype;
    res.location = r->location;
    res.dav = r->dav;
    res.retry_after = r->retry_after;
    res.content_encoding = r->cenc;
    res.content_length = r->content_length;
    res.body = r->body_buf.p;
    res.body_len = r->body_buf.len;
    res.body_bytes = r->body_bytes;
    res.attempts = r->attempts;
    res.redirects = r->redirects;
    res.connects = r->connects;
    res.seconds = (double)(st_os_time_ms() - r->t0) / 1000.0;
    ST_LOG_TRACE(ST_LOG_HTTP, "#%llu %s %s -> %ld %s (%llu bytes, %.3f s, attempt %d)",
                 (unsigned long long)r->id, ds_http_method_name(r->method), r->url,
                 r->status, code ? ds_error_name(code) : "ok",
                 (unsigned long long)r->body_bytes, res.seconds, r->attempts);
    if (code && r->errmsg)
        st_error_set("%s", r->errmsg);
    if (r->rq.done)
        r->rq.done(r->rq.done_arg, &res);
    free_req(r);
}

static void schedule_retry(ds_http *h, struct ds_http_req *r, long wait_ms)
{
    drop_easy(h, r);
    r->start_at = st_os_time_ms() + (uint64_t)(wait_ms > 0 ? wait_ms : 0);
    h->stats.retries++;
    ST_LOG_INFO(ST_LOG_DAVSYNC, "%s %s: retry %d in %ld ms", ds_http_method_name(r->method),
                r->url, r->attempts, wait_ms);
}

static long backoff_ms(ds_http *h, int attempt)
{
    uint64_t base = h->cfg.retry_base_ms, d = base;
    for (int i = 1; i < attempt && d < h->cfg.retry_max_ms; i++)
        d *= 2;
    if (d > h->cfg.retry_max_ms)
        d = h->cfg.retry_max_ms;
    /* jitter: between half and all of it */
    return (long)(d / 2 + (d > 1 ? rng_next(h) % (d / 2 + 1) : 0));
}

static int code_for_curl(CURLcode cc)
{
    switch (cc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
        return DS_ETLS;
    case CURLE_OPERATION_TIMEDOUT:
        return DS_ETIMEOUT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return DS_ENETWORK;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_TOO_MANY_REDIRECTS:
        return DS_EPROTO;
    default:
        return ST_ERROR;
    }
}

static int retryable_curl(CURLcode cc, int *never_sent)
{
    *never_sent = cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST
                  || cc == CURLE_COULDNT_RESOLVE_PROXY;
    return *never_sent || cc == CURLE_SEND_ERROR || cc == CURLE_RECV_ERROR
        || cc == CURLE_GOT_NOTHING || cc == CURLE_PARTIAL_FILE || cc == CURLE_HTTP2
        || cc == CURLE_HTTP2_STREAM || cc == CURLE_OPERATION_TIMEDOUT;
}

static void handle_done(ds_http *h, struct ds_http_req *r, CURLcode cc)
{
    long conns = 0;
    char msg[ST_ERROR_MAX];
    int never_sent;

    curl_easy_getinfo(r->easy, CURLINFO_NUM_CONNECTS, &conns);
    r->connects += conns;
    h->stats.connects += (uint64_t)conns;
    if (r->status == 0)
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
    if (cc == CURLE_OK && r->status != 401 && h->user && !h->cfg.bearer) {
        /* Learn the scheme the server offers: with exactly one left, curl
         * sends credentials at once instead of a 401 round trip each time. */
        long avail = 0;
        curl_easy_getinfo(r->easy, CURLINFO_HTTPAUTH_AVAIL, &avail);
        if (avail & (long)h->auth_mask && ((unsigned long)avail & h->auth_mask) != h->auth_mask) {
            unsigned m = (unsigned)avail & h->auth_mask;
            /* the strongest of what is left */
            h->auth_mask = (m & CURLAUTH_NTLM) ? (unsigned)CURLAUTH_NTLM
                         : (m & CURLAUTH_DIGEST) ? (unsigned)CURLAUTH_DIGEST : (unsigned)CURLAUTH_BASIC;
            ST_LOG_INFO(ST_LOG_DAVSYNC, "%s: server authentication scheme: %s", r->url,
                        h->auth_mask == CURLAUTH_BASIC ? "Basic"
                        : h->auth_mask == CURLAUTH_DIGEST ? "Digest" : "NTLM");
        }
    }

    if (r->sink_err) {
        snprintf(msg, sizeof(msg), "%s %s: %s", ds_http_method_name(r->method), r->url,
                 r->sink_msg ? r->sink_msg : st_error_last());
        finish(h, r, r->sink_err, msg);
        return;
    }
    if (r->too_big) {
        snprintf(msg, sizeof(msg), "%s %s: response larger than %zu bytes",
                 ds_http_method_name(r->method), r->url,
                 r->rq.max_body ? r->rq.max_body : h->cfg.max_body);
        finish(h, r, DS_EPROTO, msg);
        return;
    }
    if (cc != CURLE_OK) {
        int code = code_for_curl(cc);
        snprintf(msg, sizeof(msg), "%s %s: %s", ds_http_method_name(r->method), r->url,
                 r->errbuf[0] ? r->errbuf : curl_easy_strerror(cc));
        if (retryable_curl(cc, &never_sent) && (never_sent || may_retry(r))
            && !r->sink_started && can_resend_body(r) && r->attempts <= h->cfg.max_retries) {
            ST_LOG_INFO(ST_LOG_DAVSYNC, "%s", msg);
            schedule_retry(h, r, backoff_ms(h, r->attempts));
            return;
        }
        finish(h, r, code, msg);
        return;
    }

    /* An HTTP answer. */
    long st = r->status;
    if ((st == 301 || st == 302 || st == 303 || st == 307 || st == 308) && r->location) {
        char *to = NULL;
        if (ds_href_resolve(&to, r->url, r->location) != 0) {
            snprintf(msg, sizeof(msg), "%s %s: bad redirect: %s", ds_http_method_name(r->method),
                     r->url, st_error_last());
            finish(h, r, DS_EPROTO, msg);
            return;
        }
        if (!ds_href_same_origin(to, r->url)) {
            snprintf(msg, sizeof(msg), "%s %s: redirect to another origin refused: %s",
                     ds_http_method_name(r->method), r->url, to);
            free(to);
            ST_LOG_WARN(ST_LOG_DAVSYNC, "%s", msg);
            finish(h, r, DS_EPROTO, msg);
            return;
        }
        if (r->redirects >= MAX_REDIRECTS || !can_resend_body(r)) {
            snprintf(msg, sizeof(msg), "%s %s: %s", ds_http_method_name(r->method), r->url,
                     r->redirects >= MAX_REDIRECTS ? "too many redirects"
                                                   : "redirected, and the body cannot be re-sent");
            free(to);
            finish(h, r, DS_EPROTO, msg);
            return;
        }
        ST_LOG_INFO(ST_LOG_DAVSYNC, "%s %s: %ld to %s", ds_http_method_name(r->method), r->url,
                    st, to);
        free(r->url);
        r->url = to;
        r->redirects++;
        if (st == 303 && r->method != DS_HTTP_HEAD) {
            r->method = DS_HTTP_GET;
            free(r->body);
            r->body = NULL;
            r->rq.read = NULL;
        }
        drop_easy(h, r);
        r->attempts--;      /* a redirect is not a retry */
        r->start_at = 0;
        return;
    }
    if ((st == 401) && h->cfg.bearer && !r->bearer_renewed && can_resend_body(r)) {
        r->bearer_renewed = 1;
        drop_easy(h, r);
        r->start_at = 0;
        return;
    }
    if ((st == 500 || st == 502 || st == 503 || st == 504 || st == 429) && may_retry(r)
        && can_resend_body(r) && r->attempts <= h->cfg.max_retries) {
        long wait = backoff_ms(h, r->attempts);
        if (r->retry_after) {
            time_t now = time(NULL);
            long ra = ds_http_retry_after_ms(r->retry_after, (int64_t)now);
            if (ra > (long)h->cfg.retry_max_ms) {
                snprintf(msg, sizeof(msg), "%s %s: %ld, Retry-After %s is too far away",
                         ds_http_method_name(r->method), r->url, st, r->retry_after);
                finish(h, r, DS_EHTTP, msg);
                return;
            }
            if (ra > wait)
                wait = ra;
        }
        schedule_retry(h, r, wait);
        return;
    }
    if (st >= 200 && st < 300) {
        if (st == 207 && r->method == DS_HTTP_PUT) {     /* pitfall 5 */
            snprintf(msg, sizeof(msg), "PUT %s: 207 multistatus is a failure", r->url);
            finish(h, r, DS_EHTTP, msg);
            return;
        }
        finish(h, r, 0, NULL);
        return;
    }
    int code = st == 401 || st == 407 ? DS_EAUTH
             : st == 404 || st == 410 ? DS_ENOTFOUND
             : st == 412 ? DS_EPRECOND
             : DS_EHTTP;
    if (st == 401 && !h->user && !h->cfg.bearer)
        snprintf(msg, sizeof(msg), "%s %s: 401, and no credentials are set",
                 ds_http_method_name(r->method), r->url);
    else
        snprintf(msg, sizeof(msg), "%s %s: HTTP %ld", ds_http_method_name(r->method), r->url, st);
    finish(h, r, code, msg);
}

/* ---- public ----------------------------------------------------------------- */

int ds_http_new(ds_http **out, const ds_http_config *cfg)
{
    ds_http *h;
    ds_http_config def = { 0 };

    *out = NULL;
    if (!cfg)
        cfg = &def;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        st_error_set("curl_global_init failed");
        return ST_ERROR;
    }
    h = calloc(1, sizeof(*h));
    if (!h) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    h->cfg = *cfg;
    h->user = xstrdup(cfg->user);
    h->password = xstrdup(cfg->password);
    h->ca_file = xstrdup(cfg->ca_file);
    h->pin = xstrdup(cfg->pinned_pubkey);
    h->proxy = xstrdup(cfg->proxy);
    h->user_agent = xstrdup(cfg->user_agent ? cfg->user_agent : "mapidav/0.1");
    if ((cfg->user && !h->user) || (cfg->password && !h->password) || (cfg->ca_file && !h->ca_file)
        || (cfg->pinned_pubkey && !h->pin) || (cfg->proxy && !h->proxy) || !h->user_agent) {
        ds_http_free(h);
        st_error_set("out of memory");
        return ST_ERROR;
    }
#ifdef _WIN32
    if (!cfg->proxy && ds_http__system_proxy(&h->proxy, &h->noproxy) != 0) {
        ds_http_free(h);
        return ST_ERROR;
    }
#endif
    if (h->password && *h->password)
        st_log_add_secret(h->password);
    if (!h->cfg.max_connections)
        h->cfg.max_connections = 6;
    if (!h->cfg.connect_timeout_ms)
        h->cfg.connect_timeout_ms = 15000;
    if (!h->cfg.low_speed_time_s)
        h->cfg.low_speed_time_s = 60;
    if (!h->cfg.max_retries)
        h->cfg.max_retries = 3;
    if (h->cfg.max_retries < 0)
        h->cfg.max_retries = 0;
    if (!h->cfg.retry_base_ms)
        h->cfg.retry_base_ms = 500;
    if (!h->cfg.retry_max_ms)
        h->cfg.retry_max_ms = 60000;
    if (!h->cfg.max_body)
        h->cfg.max_body = 64u << 20;
    {
        unsigned a = cfg->auth ? cfg->auth
                               : DS_HTTP_AUTH_BASIC | DS_HTTP_AUTH_DIGEST | DS_HTTP_AUTH_NTLM;
        if ((a & DS_HTTP_AUTH_NTLM) && !ds_http_has_ntlm()) {
            if (cfg->auth)
                ST_LOG_WARN(ST_LOG_DAVSYNC, "NTLM asked for, but this curl has no NTLM");
            a &= ~(unsigned)DS_HTTP_AUTH_NTLM;
        }
        h->auth_mask = ((a & DS_HTTP_AUTH_BASIC) ? (unsigned)CURLAUTH_BASIC : 0)
                     | ((a & DS_HTTP_AUTH_DIGEST) ? (unsigned)CURLAUTH_DIGEST : 0)
                     | ((a & DS_HTTP_AUTH_NTLM) ? (unsigned)CURLAUTH_NTLM : 0);
    }
    h->rng = (st_os_time_ms() ^ (uint64_t)(uintptr_t)h) | 1;
    h->multi = curl_multi_init();
    if (!h->multi) {
        ds_http_free(h);
        st_error_set("curl_multi_init failed");
        return ST_ERROR;
    }
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)h->cfg.max_connections);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)h->cfg.max_connections);
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->cfg.max_connections);
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING,
                      h->cfg.http2 ? (long)CURLPIPE_MULTIPLEX : (long)CURLPIPE_NOTHING);
    atomic_init(&h->wake, 0);
    atomic_init(&h->abort_req, 0);
    *out = h;
    return 0;
}

void ds_http_free(ds_http *h)
{
    if (!h)
        return;
    if (h->multi) {
        ds_http_cancel_all(h);
        while (h->nspare)
            curl_easy_cleanup(h->spare[--h->nspare]);
        curl_multi_cleanup(h->multi);
    }
    ds_http__tls_free(h);
    free(h->user);
    free(h->password);
    free(h->ca_file);
    free(h->pin);
    free(h->proxy);
    free(h->noproxy);
    free(h->user_agent);
    free(h);
}

int ds_http_submit(ds_http *h, const ds_http_request *rq, uint64_t *out_id)
{
    struct ds_http_req *r;
    size_t nh = 0;
    char *u = NULL;

    if (out_id)
        *out_id = 0;
    if (!rq->url || ds_href_normalize(&u, rq->url) != 0) {
        st_error_set("bad request URL %s", rq->url ? rq->url : "(null)");
        return DS_EPROTO;
    }
    free(u);
    r = calloc(1, sizeof(*r));
    if (!r)
        goto oom;
    r->h = h;
    r->rq = *rq;
    r->method = rq->method;
    r->content_length = -1;
    r->url = xstrdup(rq->url);
    r->depth = xstrdup(rq->depth);
    r->destination = xstrdup(rq->destination);
    r->if_match = xstrdup(rq->if_match);
    r->if_none_match = xstrdup(rq->if_none_match);
    r->content_type = xstrdup(rq->content_type);
    if (!r->url || (rq->depth && !r->depth) || (rq->destination && !r->destination)
        || (rq->if_match && !r->if_match) || (rq->if_none_match && !r->if_none_match)
        || (rq->content_type && !r->content_type))
        goto oom;
    if (rq->headers) {
        while (rq->headers[nh])
            nh++;
        r->headers = calloc(nh + 1, sizeof(char *));
        if (!r->headers)
            goto oom;
        for (size_t i = 0; i < nh; i++)
            if (!(r->headers[i] = xstrdup(rq->headers[i])))
                goto oom;
    }
    if (rq->body) {
        r->body = malloc(rq->body_len ? rq->body_len : 1);
        if (!r->body)
            goto oom;
        memcpy(r->body, rq->body, rq->body_len);
    }
    r->rq.url = r->rq.depth = r->rq.destination = NULL;
    r->rq.if_match = r->rq.if_none_match = r->rq.content_type = NULL;
    r->rq.headers = NULL;
    r->rq.body = NULL;
    r->id = ++h->next_id;
    r->t0 = st_os_time_ms();
    r->state = RQ_WAITING;
    r->prev = h->tail;
    if (h->tail)
        h->tail->next = r;
    else
        h->head = r;
    h->tail = r;
    h->npending++;
    if (out_id)
        *out_id = r->id;
    return 0;
oom:
    free_req(r);
    st_error_set("out of memory");
    return ST_ERROR;
}

size_t ds_http_pending(const ds_http *h)
{
    return h->npending;
}

int ds_http_cancel(ds_http *h, uint64_t id)
{
    h->cancels++;
    for (struct ds_http_req *r = h->head; r; r = r->next)
        if (r->id == id) {
            char msg[512];
            snprintf(msg, sizeof(msg), "%s %s: cancelled", ds_http_method_name(r->method), r->url);
            finish(h, r, DS_ECANCELLED, msg);
            return 0;
        }
    return DS_ENOTFOUND;
}

void ds_http_cancel_all(ds_http *h)
{
    /* Only those queued now: a done callback may submit new ones. */
    uint64_t last = h->next_id;
    struct ds_http_req *r;
    h->cancels++;
    while ((r = h->head) != NULL && r->id <= last) {
        char msg[512];
        snprintf(msg, sizeof(msg), "%s %s: cancelled", ds_http_method_name(r->method), r->url);
        finish(h, r, DS_ECANCELLED, msg);
    }
}

void ds_http_wakeup(ds_http *h)
{
    atomic_store(&h->wake, 1);
    curl_multi_wakeup(h->multi);
}

void ds_http_yield(ds_http *h)
{
    atomic_store(&h->wake, 1);   /* seen by ds_http_run before it polls */
}

void ds_http_abort(ds_http *h)
{
    atomic_store(&h->abort_req, 1);
    curl_multi_wakeup(h->multi);
}

static int still_queued(const ds_http *h, const struct ds_http_req *q)
{
    for (const struct ds_http_req *r = h->head; r; r = r->next)
        if (r == q)
            return 1;
    return 0;
}

/* Starts the waiting requests that are due, oldest first, keeping at most
 * max_active transfers in curl (more would only wait inside curl, where a
 * long pending list costs time on every completion); ended of the active
 * ones have ended and wait for their callbacks (a request that cannot start
 * then is left waiting: its failure is reported by the next pass, outside
 * those callbacks' order). Returns how many started. */
static size_t start_due(ds_http *h, uint64_t now, size_t max_active, size_t ended)
{
    size_t active = 0, started = 0;
    for (struct ds_http_req *r = h->head; r; r = r->next)
        active += r->state == RQ_ACTIVE;
    active = active > ended ? active - ended : 0;
    for (struct ds_http_req *r = h->head, *nx; r && active < max_active; r = nx) {
        nx = r->next;
        if (r->state != RQ_WAITING || r->start_at > now)
            continue;
        int rc = start_attempt(h, r);
        if (rc == 0) {
            active++;
            started++;
        } else if (!ended) {   /* else: finished by the next pass, when no callback is due */
            char msg[ST_ERROR_MAX];
            snprintf(msg, sizeof(msg), "%s %s: %s", ds_http_method_name(r->method), r->url,
                     st_error_last());
            finish(h, r, rc, msg);
        }
    }
    return started;
}

int ds_http_run(ds_http *h, long timeout_ms)
{
    uint64_t t_end = timeout_ms >= 0 ? st_os_time_ms() + (uint64_t)timeout_ms : UINT64_MAX;

    for (;;) {
        int running = 0, left;
        CURLMsg *m;
        uint64_t now = st_os_time_ms();
        long wait;

        if (atomic_exchange(&h->abort_req, 0)) {
            ds_http_cancel_all(h);
            atomic_store(&h->wake, 0);
            return DS_ECANCELLED;
        }
        size_t max_active = (size_t)h->cfg.max_connections * (h->cfg.http2 ? 16 : 1);
        start_due(h, now, max_active, 0);
        curl_multi_perform(h->multi, &running);
        /* The transfers that ended: their connections are free already. The
         * requests waiting for them are started and put on the wire before
         * the ended ones' callbacks run (a sync stores a message there), so
         * the server works on the next while we store. */
        struct ds_http_req *ended[DS_HTTP_ENDED_MAX];
        CURLcode ended_cc[DS_HTTP_ENDED_MAX];
        size_t n_ended = 0;
        while (n_ended < DS_HTTP_ENDED_MAX && (m = curl_multi_info_read(h->multi, &left)) != NULL) {
            struct ds_http_req *r = NULL;
            if (m->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
            if (r) {
                ended[n_ended] = r;
                ended_cc[n_ended++] = m->data.result;
            }
        }
        if (n_ended && start_due(h, st_os_time_ms(), max_active, n_ended))
            curl_multi_perform(h->multi, &running);
        uint64_t cancels = h->cancels;
        for (size_t i = 0; i < n_ended; i++) {
            if (h->cancels != cancels && !still_queued(h, ended[i]))
                continue;   /* a callback cancelled it: freed */
            handle_done(h, ended[i], ended_cc[i]);
        }
        if (!h->npending)
            return 0;
        if (atomic_exchange(&h->wake, 0))
            return 0;
        now = st_os_time_ms();
        if (now >= t_end)
            return 0;
        uint64_t next_start = UINT64_MAX;   /* retries, redirects and queued ones count */
        size_t active = 0;
        for (struct ds_http_req *r = h->head; r; r = r->next)
            active += r->state == RQ_ACTIVE;
        if (active < max_active)
            for (struct ds_http_req *r = h->head; r; r = r->next)
                if (r->state == RQ_WAITING && r->start_at < next_start)
                    next_start = r->start_at;
        /* Sleep until curl, a backoff or the deadline wants us. */
        long ct = -1;
        curl_multi_timeout(h->multi, &ct);
        wait = ct < 0 ? 1000 : ct;
        if (next_start != UINT64_MAX) {
            /* Requests started in this round are due now: a new pass at once. */
            long d = next_start > now ? (long)(next_start - now) : 0;
            if (d < wait)
                wait = d;
        }
        if (t_end != UINT64_MAX && (long)(t_end - now) < wait)
            wait = (long)(t_end - now);
        if (wait > 0)
            curl_multi_poll(h->multi, NULL, 0, (int)wait, NULL);
    }
}

/* ---- ds_http_perform -------------------------------------------------------- */

struct perform_ctx {
    ds_http_result *res;
    int done;
};

static void copy_result(void *arg, const ds_http_result *src)
{
    struct perform_ctx *c = arg;
    ds_http_result *d = c->res;

    *d = *src;
    d->error = xstrdup(src->error ? src->error : "");
    d->url = xstrdup(src->url);
    d->etag = xstrdup(src->etag);
    d->content_type = xstrdup(src->content_type);
    d->location = xstrdup(src->location);
    d->dav = xstrdup(src->dav);
    d->retry_after = xstrdup(src->retry_after);
    d->content_encoding = xstrdup(src->content_encoding);
    d->body = NULL;
    if (src->body) {
        char *b = malloc(src->body_len + 1);
        if (b) {
            memcpy(b, src->body, src->body_len);
            b[src->body_len] = '\0';
        }
        d->body = b;
    }
    c->done = 1;
}

int ds_http_perform(ds_http *h, const ds_http_request *rq, ds_http_result *res)
{
    ds_http_request copy = *rq;
    struct perform_ctx c = { res, 0 };
    uint64_t id;
    int rc;

    memset(res, 0, sizeof(*res));
    res->content_length = -1;
    copy.done = copy_result;
    copy.done_arg = &c;
    rc = ds_http_submit(h, &copy, &id);
    if (rc) {
        res->code = rc;
        res->error = xstrdup(st_error_last());
        return rc;
    }
    while (!c.done) {
        if (ds_http_run(h, -1) == DS_ECANCELLED && !c.done)
            ds_http_cancel(h, id);
    }
    if (res->code && res->error)
        st_error_set("%s", res->error);
    return res->code;
}

void ds_http_result_clear(ds_http_result *res)
{
    free((char *)res->error);
    free((char *)res->url);
    free((char *)res->etag);
    free((char *)res->content_type);
    free((char *)res->location);
    free((char *)res->dav);
    free((char *)res->retry_after);
    free((char *)res->content_encoding);
    free((char *)res->body);
    memset(res, 0, sizeof(*res));
}

void ds_http_get_stats(const ds_http *h, ds_http_stats *out)
{
    *out = h->stats;
}
