/*
 * davtest.h: what the dav smoke tests share, header-only like testutil.h (so
 * the ok() counters stay those of the one test program): a libcurl request
 * helper, a small DAV:multistatus reader (expat), and the RFC 6578
 * sync-collection check that Radicale and Xandikos both go through.
 *
 * These tests talk to the fixture servers of test/fixtures/serve.py through
 * libcurl directly; the project's own HTTP layer gets its own tests. Requests
 * are HTTP/1.1 only (PEERS.md pitfall 1), never follow redirects, send an
 * empty "Expect:" with every body (pitfall 3) and time out after 10 s, so a
 * hung server fails a test instead of stalling it. Nothing here may assert on
 * server bytes: a bad answer is a failed check, never a crash.
 */
#ifndef MAPIDAV_DAVTEST_H
#define MAPIDAV_DAVTEST_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <expat.h>

#include "testutil.h"

/* ---- memory ------------------------------------------------------------ */

struct dt_buf {
    char *data;                 /* NUL-terminated (NULL while empty) */
    size_t len;                 /* bytes, without the NUL */
};

static inline void dt_buf_add(struct dt_buf *b, const char *p, size_t n)
{
    char *d = realloc(b->data, b->len + n + 1);
    if (!d)
        test_fatal("out of memory\n");
    memcpy(d + b->len, p, n);
    b->len += n;
    d[b->len] = '\0';
    b->data = d;
}

static inline void dt_buf_free(struct dt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

static inline char *dt_strdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        test_fatal("out of memory\n");
    return d;
}

/* snprintf into a fixed buffer that must not truncate (a test bug if it does). */
#define dt_fmt(buf, ...) \
    do { \
        int n_ = snprintf((buf), sizeof(buf), __VA_ARGS__); \
        if (n_ < 0 || (size_t)n_ >= sizeof(buf)) \
            test_fatal("buffer too small for %s\n", #buf); \
    } while (0)

/* ---- one HTTP request ------------------------------------------------------ */

#define DT_MAX_HEADERS 8

struct dt_request {
    const char *method;         /* "GET", "PUT", "PROPFIND", ... */
    const char *url;
    const char *user;           /* NULL: no Authorization */
    const char *password;
    const char *body;           /* NULL: no body */
    size_t body_len;            /* 0 with a body: strlen(body) */
    const char *content_type;   /* of the body */
    const char *headers[DT_MAX_HEADERS]; /* more "Name: value", NULL-ended */
    const char *cainfo;         /* CA file for https; NULL: libcurl's default */
    int accept_gzip;            /* offer every encoding curl decodes */
};

struct dt_response {
    CURLcode rc;                /* CURLE_OK if an HTTP answer came */
    long status;                /* HTTP status, 0 if none */
    long connects;              /* new connections opened for this request */
    struct dt_buf body;         /* decoded body */
    struct dt_buf headers;      /* the final header block, as received */
    char error[CURL_ERROR_SIZE]; /* libcurl's message when rc != CURLE_OK */
};

struct dt_upload {
    const char *data;           /* the body */
    size_t len;                 /* its size */
    size_t pos;                 /* bytes handed to curl so far */
};

static inline size_t dt_read_cb(char *out, size_t size, size_t n, void *arg)
{
    struct dt_upload *u = arg;
    size_t room = size * n, left = u->len - u->pos;
    size_t take = left < room ? left : room;
    memcpy(out, u->data + u->pos, take);
    u->pos += take;
    return take;
}

static inline int dt_seek_cb(void *arg, curl_off_t off, int origin)
{
    struct dt_upload *u = arg;
    if (origin != SEEK_SET || off < 0 || (size_t)off > u->len)
        return CURL_SEEKFUNC_CANTSEEK;
    u->pos = (size_t)off;
    return CURL_SEEKFUNC_OK;
}

static inline size_t dt_body_cb(char *p, size_t size, size_t n, void *arg)
{
    dt_buf_add(arg, p, size * n);
    return size * n;
}

static inline size_t dt_header_cb(char *p, size_t size, size_t n, void *arg)
{
    struct dt_buf *b = arg;
    if (size * n >= 5 && memcmp(p, "HTTP/", 5) == 0)
        b->len = 0;             /* keep only the last block (after 1xx, 401) */
    dt_buf_add(b, p, size * n);
    return size * n;
}

/* A fresh handle state with the options every test request shares. */
static inline void dt_reset(CURL *h, struct dt_response *out)
{
    curl_easy_reset(h);         /* keeps the connection cache: keep-alive */
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, out->error);
    out->error[0] = '\0';
}

/* Perform rq on h into *out (which the caller frees with dt_response_free). */
static inline void dt_perform(CURL *h, const struct dt_request *rq, struct dt_response *out)
{
    struct curl_slist *hdrs = NULL;
    struct dt_upload up = { rq->body, 0, 0 };
    char line[256];

    memset(out, 0, sizeof(*out));
    dt_reset(h, out);
    curl_easy_setopt(h, CURLOPT_URL, rq->url);
    if (strcmp(rq->method, "GET") == 0)
        ;
    else if (strcmp(rq->method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
    if (rq->body) {
        up.len = rq->body_len ? rq->body_len : strlen(rq->body);
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, dt_read_cb);
        curl_easy_setopt(h, CURLOPT_READDATA, &up);
        curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, dt_seek_cb);
        curl_easy_setopt(h, CURLOPT_SEEKDATA, &up);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.len);
        hdrs = curl_slist_append(hdrs, "Expect:");
        if (rq->content_type) {
            dt_fmt(line, "Content-Type: %s", rq->content_type);
            hdrs = curl_slist_append(hdrs, line);
        }
    }
    for (int i = 0; i < DT_MAX_HEADERS && rq->headers[i]; i++)
        hdrs = curl_slist_append(hdrs, rq->headers[i]);
    if (hdrs)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    if (rq->user) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, rq->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, rq->password ? rq->password : "");
    }
    if (rq->cainfo)
        curl_easy_setopt(h, CURLOPT_CAINFO, rq->cainfo);
    if (rq->accept_gzip)
        curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, dt_body_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out->body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, dt_header_cb);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &out->headers);

    out->rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &out->connects);
    if (out->rc != CURLE_OK && !out->error[0])
        snprintf(out->error, sizeof(out->error), "%s", curl_easy_strerror(out->rc));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hdrs);
}

static inline void dt_response_free(struct dt_response *r)
{
    dt_buf_free(&r->body);
    dt_buf_free(&r->headers);
}

/* Copy the value of response header `name` (case-insensitive) into out.
 * Returns 1 if the header is present. */
static inline int dt_header(const struct dt_response *r, const char *name, char *out, size_t size)
{
    size_t nlen = strlen(name);
    const char *p = r->headers.data;
    if (size)
        out[0] = '\0';
    while (p && *p) {
        const char *eol = strchr(p, '\n');
        size_t llen = eol ? (size_t)(eol - p) : strlen(p);
        if (llen > nlen && p[nlen] == ':' && strncasecmp(p, name, nlen) == 0) {
            const char *v = p + nlen + 1, *end = p + llen;
            while (v < end && (*v == ' ' || *v == '\t'))
                v++;
            while (end > v && isspace((unsigned char)end[-1]))
                end--;
            if (size) {
                size_t n = (size_t)(end - v) < size - 1 ? (size_t)(end - v) : size - 1;
                memcpy(out, v, n);
                out[n] = '\0';
            }
            return 1;
        }
        p = eol ? eol + 1 : NULL;
    }
    return 0;
}

/* True if s ends with suffix. */
static inline int dt_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ---- DAV:multistatus -------------------------------------------------------- */

/* One property of one response, flattened. A response with a status of its
 * own (a member gone, in a sync-collection answer) is one entry with an empty
 * name. */
struct dt_prop {
    char *href;                 /* the response's DAV:href */
    char *name;                 /* "NAMESPACE LOCALNAME", "" for a response status */
    char *value;                /* its text; child elements as "<NS LOCAL>" */
    int status;                 /* from the propstat's (or response's) status */
};

struct dt_multistatus {
    struct dt_prop *props;      /* every property of every response, in order */
    size_t n;                   /* entries in props */
    int responses;              /* DAV:response elements seen */
    char *sync_token;           /* the top-level DAV:sync-token, or NULL */
};

enum dt_el { DT_OTHER, DT_MULTISTATUS, DT_RESPONSE, DT_HREF, DT_PROPSTAT, DT_PROP,
             DT_PROPERTY, DT_STATUS, DT_SYNC_TOKEN };

struct dt_msparse {
    struct dt_multistatus *ms;  /* being filled */
    enum dt_el stack[64];       /* what each open element is */
    int depth;                  /* open elements */
    int overflow;               /* deeper than the stack: ignored */
    size_t response_first;      /* first prop entry of the open response */
    size_t propstat_first;      /* first prop entry of the open propstat */
    int in_property;            /* depth of the open property element, 0 if none */
    int collecting;             /* text goes to text */
    struct dt_buf text;         /* the text being collected */
    char *href;                 /* href of the open response */
    int response_status;        /* status directly under the response, 0 if none */
    int propstat_status;        /* status of the open propstat */
};

static inline int dt_status_code(const char *s)
{
    /* "HTTP/1.1 200 OK" */
    const char *sp = s ? strchr(s, ' ') : NULL;
    return sp ? atoi(sp + 1) : 0;
}

static inline struct dt_prop *dt_ms_add(struct dt_multistatus *ms, const char *name)
{
    struct dt_prop *p = realloc(ms->props, (ms->n + 1) * sizeof(*p));
    if (!p)
        test_fatal("out of memory\n");
    ms->props = p;
    p = &ms->props[ms->n++];
    p->href = NULL;
    p->name = dt_strdup(name);
    p->value = dt_strdup("");
    p->status = 0;
    return p;
}

static inline void XMLCALL dt_ms_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
    struct dt_msparse *st = arg;
    enum dt_el parent = st->depth ? st->stack[st->depth - 1] : DT_OTHER;
    enum dt_el el = DT_OTHER;
    (void)attrs;

    if (st->in_property) {
        /* inside a property value: note the child element by name */
        dt_buf_add(&st->text, "<", 1);
        dt_buf_add(&st->text, name, strlen(name));
        dt_buf_add(&st->text, ">", 1);
    } else if (strcmp(name, "DAV: multistatus") == 0 && st->depth == 0) {
        el = DT_MULTISTATUS;
    } else if (strcmp(name, "DAV: response") == 0 && parent == DT_MULTISTATUS) {
        el = DT_RESPONSE;
        st->ms->responses++;
        st->response_first = st->ms->n;
        st->response_status = 0;
        free(st->href);
        st->href = NULL;
    } else if (strcmp(name, "DAV: href") == 0 && parent == DT_RESPONSE) {
        el = DT_HREF;
    } else if (strcmp(name, "DAV: propstat") == 0 && parent == DT_RESPONSE) {
        el = DT_PROPSTAT;
        st->propstat_first = st->ms->n;
        st->propstat_status = 0;
    } else if (strcmp(name, "DAV: prop") == 0 && parent == DT_PROPSTAT) {
        el = DT_PROP;
    } else if (parent == DT_PROP) {
        el = DT_PROPERTY;
        dt_ms_add(st->ms, name);
        st->in_property = st->depth + 1;
    } else if (strcmp(name, "DAV: status") == 0
               && (parent == DT_PROPSTAT || parent == DT_RESPONSE)) {
        el = DT_STATUS;
    } else if (strcmp(name, "DAV: sync-token") == 0 && parent == DT_MULTISTATUS) {
        el = DT_SYNC_TOKEN;
    }
    if (el == DT_HREF || el == DT_PROPERTY || el == DT_STATUS || el == DT_SYNC_TOKEN) {
        st->collecting = 1;
        st->text.len = 0;
        if (st->text.data)
            st->text.data[0] = '\0';
    }
    if (st->depth < (int)(sizeof(st->stack) / sizeof(st->stack[0])))
        st->stack[st->depth] = el;
    else
        st->overflow++;
    st->depth++;
}

static inline void XMLCALL dt_ms_end(void *arg, const XML_Char *name)
{
    struct dt_msparse *st = arg;
    struct dt_multistatus *ms = st->ms;
    const char *text = st->text.data ? st->text.data : "";
    enum dt_el el;
    (void)name;

    st->depth--;
    if (st->depth >= (int)(sizeof(st->stack) / sizeof(st->stack[0])))
        return;
    el = st->stack[st->depth];
    if (st->in_property && st->depth + 1 > st->in_property)
        return;                 /* a child inside a property value */
    switch (el) {
    case DT_HREF:
        free(st->href);
        st->href = dt_strdup(text);
        st->collecting = 0;
        break;
    case DT_PROPERTY:
        free(ms->props[ms->n - 1].value);
        ms->props[ms->n - 1].value = dt_strdup(text);
        st->in_property = 0;
        st->collecting = 0;
        break;
    case DT_STATUS:
        if (st->stack[st->depth - 1] == DT_PROPSTAT)
            st->propstat_status = dt_status_code(text);
        else
            st->response_status = dt_status_code(text);
        st->collecting = 0;
        break;
    case DT_SYNC_TOKEN:
        free(ms->sync_token);
        ms->sync_token = dt_strdup(text);
        st->collecting = 0;
        break;
    case DT_PROPSTAT:
        for (size_t i = st->propstat_first; i < ms->n; i++)
            ms->props[i].status = st->propstat_status;
        break;
    case DT_RESPONSE:
        if (st->response_status)
            dt_ms_add(ms, "")->status = st->response_status;
        for (size_t i = st->response_first; i < ms->n; i++)
            ms->props[i].href = dt_strdup(st->href);
        break;
    default:
        break;
    }
}

static inline void XMLCALL dt_ms_text(void *arg, const XML_Char *s, int len)
{
    struct dt_msparse *st = arg;
    if (st->collecting && len > 0)
        dt_buf_add(&st->text, s, (size_t)len);
}

static inline void dt_multistatus_free(struct dt_multistatus *ms)
{
    for (size_t i = 0; i < ms->n; i++) {
        free(ms->props[i].href);
        free(ms->props[i].name);
        free(ms->props[i].value);
    }
    free(ms->props);
    free(ms->sync_token);
    memset(ms, 0, sizeof(*ms));
}

/* Parse a multistatus body into *ms (zeroed first). Returns 0, or -1 if the
 * body is not well-formed XML with a DAV:multistatus root. */
static inline int dt_parse_multistatus(struct dt_multistatus *ms, const char *xml, size_t len)
{
    struct dt_msparse st;
    XML_Parser p = XML_ParserCreateNS(NULL, ' ');
    int rc;

    memset(ms, 0, sizeof(*ms));
    memset(&st, 0, sizeof(st));
    st.ms = ms;
    if (!p)
        test_fatal("out of memory\n");
    XML_SetUserData(p, &st);
    XML_SetElementHandler(p, dt_ms_start, dt_ms_end);
    XML_SetCharacterDataHandler(p, dt_ms_text);
    rc = XML_Parse(p, xml ? xml : "", (int)len, 1) == XML_STATUS_OK ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "multistatus: %s at line %lu\n",
                XML_ErrorString(XML_GetErrorCode(p)), (unsigned long)XML_GetCurrentLineNumber(p));
    else if (st.stack[0] != DT_MULTISTATUS)
        rc = -1;
    XML_ParserFree(p);
    free(st.href);
    dt_buf_free(&st.text);
    return rc;
}

/* The entry for property `name` ("NS LOCAL", "" for a response status) of the
 * response whose href ends with href_suffix, or NULL. */
static inline const struct dt_prop *dt_find(const struct dt_multistatus *ms,
                                            const char *href_suffix, const char *name)
{
    for (size_t i = 0; i < ms->n; i++)
        if (ms->props[i].href && dt_ends_with(ms->props[i].href, href_suffix)
            && strcmp(ms->props[i].name, name) == 0)
            return &ms->props[i];
    return NULL;
}

/* Number of distinct responses whose href ends with href_suffix. */
static inline int dt_count_href(const struct dt_multistatus *ms, const char *href_suffix)
{
    int n = 0;
    const char *last = NULL;
    for (size_t i = 0; i < ms->n; i++) {
        const char *h = ms->props[i].href;
        if (h && dt_ends_with(h, href_suffix) && (!last || strcmp(last, h) != 0))
            n++;
        if (h)
            last = h;
    }
    return n;
}

/* ---- RFC 6578 sync-collection --------------------------------------------- */

static const char dt_event_fmt[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//mapidav//smoke test//EN\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:%s\r\n"
    "DTSTAMP:20240101T000000Z\r\n"
    "DTSTART:20240102T100000Z\r\n"
    "DTEND:20240102T110000Z\r\n"
    "SUMMARY:%s\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

/* REPORT sync-collection on coll with token (NULL or "" for an initial sync);
 * parses the 207 into *ms. Returns the HTTP status. */
static inline long dt_sync_report(CURL *h, const char *coll, const char *user, const char *pass,
                                  const char *token, struct dt_multistatus *ms)
{
    char body[1024];
    struct dt_response r;
    long status;

    dt_fmt(body,
           "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
           "<D:sync-collection xmlns:D=\"DAV:\">"
           "<D:sync-token>%s</D:sync-token>"
           "<D:sync-level>1</D:sync-level>"
           "<D:prop><D:getetag/></D:prop>"
           "</D:sync-collection>", token ? token : "");
    /* RFC 6578 3.2: Depth 0; Content-Type: application/xml (pitfall 4). */
    dt_perform(h, &(struct dt_request){ .method = "REPORT", .url = coll, .user = user,
               .password = pass, .body = body, .content_type = "application/xml; charset=utf-8",
               .headers = { "Depth: 0" }, .accept_gzip = 1 }, &r);
    status = r.status;
    ok(r.rc == CURLE_OK && r.status == 207, "sync REPORT on %s: curl %d (%s), status %ld\n%s\n",
       coll, r.rc, r.error, r.status, r.body.data ? r.body.data : "");
    memset(ms, 0, sizeof(*ms));
    if (r.status == 207)
        ok(dt_parse_multistatus(ms, r.body.data, r.body.len) == 0, "sync answer is no multistatus\n");
    dt_response_free(&r);
    return status;
}

/* PUT a VEVENT as coll/name with If-None-Match: *; copies the ETag (if the
 * server sent one) into etag. Returns the HTTP status. */
static inline long dt_put_event(CURL *h, const char *coll, const char *name, const char *user,
                                const char *pass, char *etag, size_t etag_size)
{
    char url[1024], body[1024], uid[256];
    struct dt_response r;
    long status;

    dt_fmt(url, "%s%s", coll, name);
    dt_fmt(uid, "%s-mapidav-smoke@example.test", name);
    dt_fmt(body, dt_event_fmt, uid, "mapidav smoke");
    dt_perform(h, &(struct dt_request){ .method = "PUT", .url = url, .user = user,
               .password = pass, .body = body, .content_type = "text/calendar; charset=utf-8",
               .headers = { "If-None-Match: *" } }, &r);
    status = r.status;
    ok(r.rc == CURLE_OK && r.status == 201, "PUT %s: curl %d (%s), status %ld\n%s\n",
       url, r.rc, r.error, r.status, r.body.data ? r.body.data : "");
    dt_header(&r, "ETag", etag, etag_size);
    dt_response_free(&r);
    return status;
}

/* The sync-collection round every CalDAV peer must pass: an initial sync
 * lists a new event with its ETag and a token; a sync from that token lists
 * only what changed since (a second event, then a deletion as a 404). */
static inline void dt_check_sync_collection(CURL *h, const char *coll, const char *user,
                                            const char *pass)
{
    struct dt_multistatus ms;
    const struct dt_prop *p;
    char etag1[256], etag2[256], token1[1024] = "", token2[1024] = "", url[1024];
    struct dt_response r;

    dt_put_event(h, coll, "smoke1.ics", user, pass, etag1, sizeof(etag1));

    if (dt_sync_report(h, coll, user, pass, NULL, &ms) == 207) {
        p = dt_find(&ms, "/smoke1.ics", "DAV: getetag");
        ok(p && p->status == 200 && p->value[0], "initial sync lacks smoke1.ics with a getetag\n");
        if (p && etag1[0])
            ok(strcmp(p->value, etag1) == 0, "getetag %s, PUT gave ETag %s\n", p->value, etag1);
        ok(ms.sync_token && ms.sync_token[0], "initial sync has no sync-token\n");
        if (ms.sync_token)
            dt_fmt(token1, "%s", ms.sync_token);
        printf("# initial sync: %d responses, token %s\n", ms.responses, token1);
    }
    dt_multistatus_free(&ms);

    dt_put_event(h, coll, "smoke2.ics", user, pass, etag2, sizeof(etag2));
    if (dt_sync_report(h, coll, user, pass, token1, &ms) == 207) {
        ok(dt_find(&ms, "/smoke2.ics", "DAV: getetag") != NULL,
           "sync from the token lacks smoke2.ics\n");
        ok(dt_count_href(&ms, "/smoke1.ics") == 0,
           "sync from the token lists unchanged smoke1.ics again\n");
        ok(ms.sync_token && ms.sync_token[0] && strcmp(ms.sync_token, token1) != 0,
           "sync token did not change: %s\n", ms.sync_token ? ms.sync_token : "(none)");
        if (ms.sync_token)
            dt_fmt(token2, "%s", ms.sync_token);
    }
    dt_multistatus_free(&ms);

    dt_fmt(url, "%ssmoke1.ics", coll);
    dt_perform(h, &(struct dt_request){ .method = "DELETE", .url = url, .user = user,
               .password = pass }, &r);
    ok(r.rc == CURLE_OK && (r.status == 204 || r.status == 200), "DELETE %s: status %ld\n",
       url, r.status);
    dt_response_free(&r);
    if (dt_sync_report(h, coll, user, pass, token2, &ms) == 207) {
        p = dt_find(&ms, "/smoke1.ics", "");
        ok(p && p->status == 404, "sync after DELETE: smoke1.ics not reported as 404 (%d)\n",
           p ? p->status : 0);
        ok(dt_count_href(&ms, "/smoke2.ics") == 0,
           "sync after DELETE lists unchanged smoke2.ics again\n");
    }
    dt_multistatus_free(&ms);
}

#endif /* MAPIDAV_DAVTEST_H */
