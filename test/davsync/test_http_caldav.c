/*
 * test_http_caldav.c: the HTTP and XML layers together against the real
 * Radicale (Basic auth) and Xandikos (no auth) of test/fixtures/serve.py:
 * discovery (current-user-principal, calendar-home-set), a calendar's
 * properties (resourcetype, supported-report-set, getctag, sync-token),
 * RFC 6578 sync-collection (initial, from a token, a deletion as 404),
 * calendar-multiget, and a 207 on PUT reported as a failure (pitfall 5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "davsync/http.h"
#include "davsync/xml.h"
#include "storage/error.h"
#include "testutil.h"

#define MAXR 64

struct seen {
    int n;
    char *url[MAXR];
    char *etag[MAXR];
    int status[MAXR];
    unsigned rt, reports;
    char *ctag, *cup, *chs, *token_prop, *data;
};

static char *dup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int seen_cb(void *arg, const ds_ms_response *r)
{
    struct seen *s = arg;
    const ds_ms_prop *cd = ds_ms_find(r, DS_NS_CALDAV, "calendar-data");
    if (s->n < MAXR) {
        s->url[s->n] = dup0(r->path);
        s->etag[s->n] = dup0(r->etag);
        s->status[s->n] = r->status;
        s->n++;
    }
    s->rt |= r->resourcetype;
    s->reports |= r->reports;
    if (r->ctag && !s->ctag)
        s->ctag = dup0(r->ctag);
    if (r->current_user_principal && !s->cup)
        s->cup = dup0(r->current_user_principal);
    if (r->calendar_home_set && !s->chs)
        s->chs = dup0(r->calendar_home_set);
    if (r->sync_token && !s->token_prop)
        s->token_prop = dup0(r->sync_token);
    if (cd && cd->status == 200 && !s->data)
        s->data = dup0(cd->value);
    return 0;
}

static void seen_free(struct seen *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->url[i]);
        free(s->etag[i]);
    }
    free(s->ctag);
    free(s->cup);
    free(s->chs);
    free(s->token_prop);
    free(s->data);
    memset(s, 0, sizeof(*s));
}

static int find(const struct seen *s, const char *suffix)
{
    for (int i = 0; i < s->n; i++) {
        size_t a = strlen(s->url[i]), b = strlen(suffix);
        if (a >= b && !strcmp(s->url[i] + a - b, suffix))
            return i;
    }
    return -1;
}

/* A request whose 207 goes through the parser into *s. Returns the parser's
 * top-level sync-token (malloc'd) if any. */
static char *dav(ds_http *h, ds_http_method m, const char *url, const char *depth, const char *body,
                 const char *allowed, struct seen *s)
{
    ds_ms_parser *p = NULL;
    ds_http_result r;
    char *tok = NULL;
    const char *al[] = { allowed ? allowed : url };
    memset(s, 0, sizeof(*s));
    ok(ds_ms_parser_new(&p, &(ds_ms_config){ .request_url = url, .allowed = al, .nallowed = 1,
                        .on_response = seen_cb, .arg = s }) == 0, "parser: %s\n", st_error_last());
    ds_http_perform(h, &(ds_http_request){ .method = m, .url = url, .depth = depth, .body = body,
                    .body_len = body ? strlen(body) : 0, .accept_encoding = 1,
                    .write = ds_ms_http_sink, .write_arg = p }, &r);
    ok(r.code == 0 && r.status == 207, "%s %s: %d %ld %s\n%s\n", ds_http_method_name(m), url, r.code,
       r.status, r.error, r.body ? r.body : "");
    if (r.status == 207)
        ok(ds_ms_finish(p) == 0, "%s %s: %s\n", ds_http_method_name(m), url, st_error_last());
    tok = dup0(ds_ms_sync_token(p));
    ds_http_result_clear(&r);
    ds_ms_parser_free(p);
    return tok;
}

static const char event[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//mapidav//test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:%s@mapidav.test\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\n"
    "DTEND:20240102T110000Z\r\nSUMMARY:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

static long put_event(ds_http *h, const char *coll, const char *name)
{
    char url[2048], body[1024];
    ds_http_result r;
    long st;
    snprintf(url, sizeof(url), "%s%s.ics", coll, name);
    snprintf(body, sizeof(body), event, name, name);
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PUT, .url = url, .body = body,
                    .body_len = strlen(body), .if_none_match = "*",
                    .content_type = "text/calendar; charset=utf-8" }, &r);
    ok(r.code == 0 && r.status == 201, "PUT %s: %d %ld %s\n", url, r.code, r.status, r.error);
    st = r.status;
    ds_http_result_clear(&r);
    return st;
}

static void check_server(const char *label, const char *base, const char *user, const char *pass,
                         const char *coll_path, int make)
{
    ds_http *h = NULL;
    struct seen s;
    char coll[1024], *body = NULL, *tok1, *tok2;
    ds_xml_name disc[] = { { DS_NS_DAV, "current-user-principal" } };
    ds_xml_name home[] = { { DS_NS_CALDAV, "calendar-home-set" } };
    ds_xml_name cprops[] = { { DS_NS_DAV, "resourcetype" }, { DS_NS_DAV, "supported-report-set" },
                             { DS_NS_CS, "getctag" }, { DS_NS_DAV, "sync-token" },
                             { DS_NS_DAV, "displayname" } };
    ds_xml_name etag[] = { { DS_NS_DAV, "getetag" } };
    ds_xml_name mg[] = { { DS_NS_DAV, "getetag" }, { DS_NS_CALDAV, "calendar-data" } };

    printf("# %s\n", label);
    ok(ds_http_new(&h, &(ds_http_config){ .user = user, .password = pass, .proxy = "" }) == 0, "new\n");

    /* Discovery. */
    ds_xml_propfind(&body, disc, 1);
    free(dav(h, DS_HTTP_PROPFIND, base, "0", body, base, &s));
    free(body);
    ok(s.cup != NULL, "%s: no current-user-principal\n", label);
    printf("#   principal %s\n", s.cup ? s.cup : "-");
    if (s.cup) {
        char *cup = strdup(s.cup);
        seen_free(&s);
        ds_xml_propfind(&body, home, 1);
        free(dav(h, DS_HTTP_PROPFIND, cup, "0", body, base, &s));
        free(body);
        ok(s.chs != NULL, "%s: no calendar-home-set\n", label);
        printf("#   calendar home %s\n", s.chs ? s.chs : "-");
        free(cup);
    }
    seen_free(&s);

    snprintf(coll, sizeof(coll), "%s%s", base, coll_path);
    if (make) {
        ds_http_result r;
        ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_MKCALENDAR, .url = coll }, &r);
        ok(r.code == 0 && r.status == 201, "MKCALENDAR: %d %ld %s\n", r.code, r.status, r.error);
        ds_http_result_clear(&r);
    }
    ds_xml_propfind(&body, cprops, 5);
    free(dav(h, DS_HTTP_PROPFIND, coll, "0", body, NULL, &s));
    free(body);
    ok((s.rt & (DS_RT_COLLECTION | DS_RT_CALENDAR)) == (DS_RT_COLLECTION | DS_RT_CALENDAR),
       "%s: resourcetype %u\n", label, s.rt);
    ok(s.reports & DS_REPORT_SYNC_COLLECTION, "%s: reports %u\n", label, s.reports);
    ok(s.ctag && s.token_prop, "%s: ctag %s sync-token %s\n", label, s.ctag ? s.ctag : "-",
       s.token_prop ? s.token_prop : "-");
    seen_free(&s);

    put_event(h, coll, "a");
    put_event(h, coll, "b");
    put_event(h, coll, "c");
    ds_xml_sync_collection(&body, NULL, etag, 1, 0);
    tok1 = dav(h, DS_HTTP_REPORT, coll, "0", body, NULL, &s);
    free(body);
    ok(tok1 && *tok1, "%s: no sync-token\n", label);
    ok(find(&s, "/a.ics") >= 0 && find(&s, "/b.ics") >= 0 && find(&s, "/c.ics") >= 0,
       "%s: initial sync lacks members (%d)\n", label, s.n);
    int ia = find(&s, "/a.ics");
    ok(ia >= 0 && s.etag[ia], "%s: no etag for a.ics\n", label);
    printf("#   initial sync: %d responses, token %s\n", s.n, tok1 ? tok1 : "-");
    seen_free(&s);

    put_event(h, coll, "d");
    {
        char url[2048];
        ds_http_result r;
        snprintf(url, sizeof(url), "%sb.ics", coll);
        ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_DELETE, .url = url }, &r);
        ok(r.code == 0, "DELETE: %d %ld\n", r.code, r.status);
        ds_http_result_clear(&r);
    }
    ds_xml_sync_collection(&body, tok1, etag, 1, 0);
    tok2 = dav(h, DS_HTTP_REPORT, coll, "0", body, NULL, &s);
    free(body);
    int id = find(&s, "/d.ics"), ib = find(&s, "/b.ics");
    ok(id >= 0 && s.etag[id], "%s: delta lacks d.ics\n", label);
    ok(ib >= 0 && s.status[ib] == 404, "%s: delta lacks b.ics as 404 (%d)\n", label, ib >= 0 ? s.status[ib] : 0);
    ok(find(&s, "/a.ics") < 0, "%s: delta lists a.ics\n", label);
    ok(tok2 && strcmp(tok2, tok1), "%s: token unchanged\n", label);
    seen_free(&s);

    {
        char a[2048], c[2048];
        const char *hrefs[2];
        snprintf(a, sizeof(a), "%s%s", coll_path[0] == '/' ? "" : "/", coll_path);
        snprintf(a, sizeof(a), "%sa.ics", coll);
        snprintf(c, sizeof(c), "%sc.ics", coll);
        hrefs[0] = a + (strstr(a, "//") ? (size_t)(strchr(strstr(a, "//") + 2, '/') - a) : 0);
        hrefs[1] = c + (strstr(c, "//") ? (size_t)(strchr(strstr(c, "//") + 2, '/') - c) : 0);
        ds_xml_multiget(&body, DS_MULTIGET_CALENDAR, mg, 2, hrefs, 2);
        free(dav(h, DS_HTTP_REPORT, coll, "1", body, NULL, &s));
        free(body);
        ok(s.n == 2 && s.data && strstr(s.data, "BEGIN:VCALENDAR"), "%s: multiget %d, data %.40s\n", label,
           s.n, s.data ? s.data : "-");
        seen_free(&s);
    }
    {
        /* Not a valid calendar object: the server must refuse it; a 207 is a refusal too. */
        char url[2048];
        ds_http_result r;
        const char *bad = "this is not a calendar\r\n";
        snprintf(url, sizeof(url), "%sbad.ics", coll);
        ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PUT, .url = url, .body = bad,
                        .body_len = strlen(bad), .content_type = "text/calendar" }, &r);
        ok(r.code != 0, "%s: invalid PUT accepted: %ld\n", label, r.status);
        printf("#   invalid calendar PUT: HTTP %ld -> %s\n", r.status, ds_error_name(r.code));
        ds_http_result_clear(&r);
    }
    free(tok1);
    free(tok2);
    ds_http_free(h);
}

int main(void)
{
    const char *user = test_env("MAPIDAV_TEST_USER"), *pass = test_env("MAPIDAV_TEST_PASSWORD");
    const char *rad = test_env("MAPIDAV_TEST_RADICALE_URL"), *xan = test_env("MAPIDAV_TEST_XANDIKOS_URL");
    char path[256];

    snprintf(path, sizeof(path), "%s/dscal/", user);
    check_server("radicale", rad, user, pass, path, 1);
    check_server("xandikos", xan, NULL, NULL, "user/calendars/calendar/", 0);
    curl_global_cleanup();
    return test_done();
}
