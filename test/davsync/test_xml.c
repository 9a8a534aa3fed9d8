/*
 * test_xml.c: the DAV:multistatus reader and the request-body builders.
 * Table-driven bodies (odd prefixes, default namespace, CDATA, entities,
 * missing and 404 propstats, relative/absolute/outside hrefs), hostile ones
 * (billion laughs, external entity, nesting, huge text) that must fail
 * cleanly, byte-by-byte feeding equal to whole, and a generated
 * 100,000-member PROPFIND answer parsed in bounded memory (figures printed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/xml.h"
#include "storage/error.h"
#include "storage/os.h"
#include "rss_util.h"
#include "testutil.h"

struct dump {
    char *s;
    size_t len;
};

static void dadd(struct dump *d, const char *s)
{
    size_t n = strlen(s);
    d->s = realloc(d->s, d->len + n + 1);
    memcpy(d->s + d->len, s, n + 1);
    d->len += n;
}

static int collect(void *arg, const ds_ms_response *r)
{
    struct dump *d = arg;
    char line[4096];
    snprintf(line, sizeof(line), "[%s st=%d etag=%s ctag=%s lm=%s len=%lld ct=%s dn=%s tok=%s rt=%u rep=%u cup=%s chs=%s ahs=%s]",
             r->url, r->status, r->etag ? r->etag : "-", r->ctag ? r->ctag : "-",
             r->last_modified ? r->last_modified : "-", (long long)r->content_length,
             r->content_type ? r->content_type : "-", r->displayname ? r->displayname : "-",
             r->sync_token ? r->sync_token : "-", r->resourcetype, r->reports,
             r->current_user_principal ? r->current_user_principal : "-",
             r->calendar_home_set ? r->calendar_home_set : "-",
             r->addressbook_home_set ? r->addressbook_home_set : "-");
    dadd(d, line);
    for (size_t i = 0; i < r->nprops; i++) {
        snprintf(line, sizeof(line), "{%s}%s=%d:%s;", r->props[i].ns, r->props[i].name,
                 r->props[i].status, r->props[i].value);
        dadd(d, line);
    }
    dadd(d, "\n");
    return 0;
}

/* Parses body in chunks of `chunk` bytes (0: whole). */
static int parse(const char *body, size_t chunk, struct dump *d, char **token, size_t *dropped)
{
    ds_ms_parser *p = NULL;
    const char *allowed[] = { "http://localhost:8080/dav/" };
    ds_ms_config cfg = { .request_url = "http://localhost:8080/dav/", .allowed = allowed,
                         .nallowed = 1, .on_response = collect, .arg = d, .max_text = 4096,
                         .max_depth = 64 };
    size_t len = strlen(body);
    int rc = ds_ms_parser_new(&p, &cfg);
    if (rc)
        return rc;
    memset(d, 0, sizeof(*d));
    dadd(d, "");
    for (size_t off = 0; !rc && off < len; off += chunk ? chunk : len)
        rc = ds_ms_feed(p, body + off, chunk && len - off > chunk ? chunk : len - off);
    if (!rc)
        rc = ds_ms_finish(p);
    if (token)
        *token = ds_ms_sync_token(p) ? strdup(ds_ms_sync_token(p)) : NULL;
    if (dropped)
        *dropped = ds_ms_dropped(p);
    ds_ms_parser_free(p);
    return rc;
}

#define MS_OPEN "<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\">"
static const struct {
    const char *name, *body;
    int rc;
    const char *want[4];      /* substrings of the dump */
    size_t dropped;
} cases[] = {
    { "basic", MS_OPEN "<D:response><D:href>/dav/a.eml</D:href><D:propstat><D:prop>"
      "<D:getetag>\"e1\"</D:getetag><D:getcontentlength>42</D:getcontentlength>"
      "<D:resourcetype/></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
      "</D:response></D:multistatus>", 0,
      { "[http://localhost:8080/dav/a.eml st=0 etag=\"e1\"", "len=42" }, 0 },
    { "odd prefixes, default ns", "<m:multistatus xmlns:m=\"DAV:\" xmlns=\"DAV:\" xmlns:zz=\"http://calendarserver.org/ns/\">"
      "<response><href>http://LOCALHOST:8080/dav/Cal</href><m:propstat><prop><zz:getctag>c9</zz:getctag>"
      "<m:resourcetype><collection/><q:calendar xmlns:q=\"urn:ietf:params:xml:ns:caldav\"/></m:resourcetype>"
      "<supported-report-set><supported-report><report><sync-collection/></report></supported-report></supported-report-set>"
      "</prop><status>HTTP/1.1 200 OK</status></m:propstat></response></m:multistatus>", 0,
      { "[http://localhost:8080/dav/Cal/ ", "ctag=c9", "rt=3 rep=1" }, 0 },
    { "CDATA and entities", MS_OPEN "<D:response><D:href>a%20b.eml</D:href><D:propstat><D:prop>"
      "<D:displayname><![CDATA[<x> & y]]> &amp; &lt;z&gt; &#233;</D:displayname>"
      "<R:read xmlns:R=\"urn:schemas:httpmail:\">1</R:read>"
      "<P:x0E070003 xmlns:P=\"http://schemas.microsoft.com/mapi/proptag/\">  17 </P:x0E070003>"
      "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>", 0,
      { "/dav/a%20b.eml", "dn=<x> & y & <z> \xc3\xa9", "{urn:schemas:httpmail:}read=200:1;",
        "{http://schemas.microsoft.com/mapi/proptag/}x0E070003=200:  17 ;" }, 0 },
    { "missing propstat, response status", MS_OPEN "<D:sync-token>http://x/sync/2</D:sync-token>"
      "<D:response><D:href>/dav/gone.ics</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>"
      "</D:multistatus>", 0, { "[http://localhost:8080/dav/gone.ics st=404 etag=-" }, 0 },
    { "404 propstat", MS_OPEN "<D:response><D:href>/dav/x</D:href><D:propstat><D:prop><D:getetag>\"a\"</D:getetag></D:prop>"
      "<D:status>HTTP/1.1 200 OK</D:status></D:propstat><D:propstat><D:prop><D:getctag/>"
      "<D:displayname/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response></D:multistatus>", 0,
      { "etag=\"a\"", "dn=-", "{DAV:}displayname=404:;" }, 0 },
    { "outside hrefs dropped", MS_OPEN "<D:response><D:href>/other/x</D:href></D:response>"
      "<D:response><D:href>http://evil.example/dav/x</D:href></D:response>"
      "<D:response><D:href>/dav/../etc/passwd</D:href></D:response>"
      "<D:response><D:href>/dav/%2e%2e/x</D:href></D:response>"
      "<D:response><D:href>/dav/ok</D:href></D:response></D:multistatus>", 0,
      { "[http://localhost:8080/dav/ok " }, 4 },
    { "principal hrefs", MS_OPEN "<D:response><D:href>/dav/</D:href><D:propstat><D:prop>"
      "<D:current-user-principal><D:href>/dav/principals/u/</D:href></D:current-user-principal>"
      "<C:calendar-home-set xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:href>cal/</D:href><D:href>cal2/</D:href></C:calendar-home-set>"
      "<A:addressbook-home-set xmlns:A=\"urn:ietf:params:xml:ns:carddav\"> <D:href>http://other.example/x/</D:href> </A:addressbook-home-set>"
      "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>", 0,
      { "cup=http://localhost:8080/dav/principals/u/", "chs=http://localhost:8080/dav/cal/", "ahs=-]" }, 0 },
    { "status form with several hrefs", MS_OPEN "<D:response><D:href>/dav/m1</D:href><D:href>m2</D:href>"
      "<D:href>/elsewhere/m3</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response></D:multistatus>", 0,
      { "[http://localhost:8080/dav/m1 st=404", "[http://localhost:8080/dav/m2 st=404" }, 1 },
    { "not multistatus", "<D:error xmlns:D=\"DAV:\"/>", DS_EPROTO, { "" }, 0 },
    { "malformed", MS_OPEN "<D:response><D:href>x</D:response></D:multistatus>", DS_EPROTO, { "" }, 0 },
    { "truncated", MS_OPEN "<D:response>", DS_EPROTO, { "" }, 0 },
    { "empty", "", DS_EPROTO, { "" }, 0 },
    { "billion laughs", "<?xml version=\"1.0\"?><!DOCTYPE D:multistatus [<!ENTITY a \"aaaaaaaaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
      "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
      "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
      "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>&g;</D:href></D:response></D:multistatus>",
      DS_EPROTO, { "" }, 0 },
    { "external entity", "<?xml version=\"1.0\"?><!DOCTYPE D:multistatus [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>&x;</D:href></D:response></D:multistatus>",
      DS_EPROTO, { "" }, 0 },
    { "external DTD", "<?xml version=\"1.0\"?><!DOCTYPE D:multistatus SYSTEM \"http://evil.example/x.dtd\">"
      "<D:multistatus xmlns:D=\"DAV:\"></D:multistatus>", 0, { "" }, 0 },
};

static char *nested(int depth)
{
    size_t cap = (size_t)depth * 16 + 256;
    char *s = malloc(cap), *p = s;
    if (!s)
        test_fatal("out of memory\n");
    p += sprintf(p, MS_OPEN "<D:response><D:href>/dav/n</D:href><D:propstat><D:prop><D:x>");
    for (int i = 0; i < depth; i++)
        p += sprintf(p, "<a>");
    for (int i = 0; i < depth; i++)
        p += sprintf(p, "</a>");
    sprintf(p, "</D:x></D:prop></D:propstat></D:response></D:multistatus>");
    return s;
}

static int count_cb(void *arg, const ds_ms_response *r)
{
    size_t *n = arg;
    if (r->etag && r->content_length >= 0)
        (*n)++;
    return 0;
}

static void big_multistatus(void)
{
    enum { N = 100000 };
    ds_ms_parser *p = NULL;
    size_t n = 0, len = 0, cap = (size_t)N * 360 + 256;
    ds_ms_config cfg = { .request_url = "http://localhost:8080/dav/Inbox/", .on_response = count_cb,
                         .arg = &n };
    char *doc = malloc(cap);
    int rc;

    if (!doc)
        test_fatal("out of memory\n");
    /* The document is made first (it stands for the network), so the time
     * and the memory measured are the parser's own. */
    len = (size_t)sprintf(doc, MS_OPEN);
    for (int i = 0; i < N; i++)
        len += (size_t)sprintf(doc + len,
            "<D:response><D:href>/dav/Inbox/%08d.eml</D:href><D:propstat><D:prop>"
            "<D:getetag>\"%x-%x\"</D:getetag><D:getlastmodified>Mon, 01 Jan 2024 00:00:00 GMT</D:getlastmodified>"
            "<D:getcontentlength>%d</D:getcontentlength><D:resourcetype/></D:prop>"
            "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>\n", i, i, i * 7, 1000 + i);
    len += (size_t)sprintf(doc + len, "</D:multistatus>");

    long rss0 = peak_rss_kb();
    uint64_t t0 = st_os_time_ms();
    rc = ds_ms_parser_new(&p, &cfg);
    for (size_t off = 0; !rc && off < len; off += 65536)
        rc = ds_ms_feed(p, doc + off, len - off < 65536 ? len - off : 65536);
    if (!rc)
        rc = ds_ms_finish(p);
    uint64_t ms = st_os_time_ms() - t0;
    long rss1 = peak_rss_kb();
    ok(rc == 0 && n == N, "100k: rc %d (%s), %zu responses\n", rc, st_error_last(), n);
    printf("# 100,000-member multistatus: %.1f MB parsed in %llu ms (%.0f MB/s), peak RSS delta %ld KB\n",
           len / 1e6, (unsigned long long)ms, ms ? len / 1e3 / (double)ms : 0.0, rss1 - rss0);
    ok(!RSS_CHECKED || rss1 - rss0 < 16 * 1024, "100k: peak RSS grew by %ld KB\n", rss1 - rss0);
    /* Generous: sanitizer builds and Wine are slower than the 1 s target. */
    ok(ms < 10000, "100k took %llu ms\n", (unsigned long long)ms);
    ds_ms_parser_free(p);
    free(doc);
}

static void builders(void)
{
    char *s = NULL;
    ds_xml_name props[] = { { DS_NS_DAV, "getetag" }, { DS_NS_CS, "getctag" },
                            { DS_NS_CALDAV, "calendar-data" } };
    ok(ds_xml_propfind(&s, NULL, 0) == 0 && strstr(s, "<D:allprop/>"), "allprop: %s\n", s);
    free(s);
    ok(ds_xml_propfind(&s, props, 2) == 0 && strstr(s, "<D:prop><D:getetag/><n1:getctag/></D:prop>")
       && strstr(s, "xmlns:n1=\"http://calendarserver.org/ns/\""), "propfind: %s\n", s);
    free(s);
    ds_xml_update up[] = { { { DS_NS_HTTPMAIL, "read" }, "1" },
                           { { DS_NS_MAPI_PROPTAG, "x1000001F" }, "a<b>&\"c'" },
                           { { DS_NS_HTTPMAIL, "flagged" }, NULL } };
    ok(ds_xml_proppatch(&s, up, 3) == 0 && strstr(s, "<D:set><D:prop><n1:read>1</n1:read></D:prop></D:set>")
       && strstr(s, "a&lt;b&gt;&amp;&quot;c&apos;") && strstr(s, "<D:remove><D:prop><n1:flagged/>"),
       "proppatch: %s\n", s);
    free(s);
    ds_xml_update bad = { { DS_NS_HTTPMAIL, "read" }, "a\001b" };
    ok(ds_xml_proppatch(&s, &bad, 1) == DS_EPROTO && !s, "control char accepted\n");
    ds_xml_update bad8 = { { DS_NS_HTTPMAIL, "read" }, "\xc3(" };
    ok(ds_xml_proppatch(&s, &bad8, 1) == DS_EPROTO && !s, "bad UTF-8 accepted\n");
    ds_xml_name badname = { DS_NS_DAV, "a b" };
    ok(ds_xml_propfind(&s, &badname, 1) == DS_EPROTO, "bad name accepted\n");
    ok(ds_xml_sync_collection(&s, "http://x/t?a&b", props, 1, 0) == 0
       && strstr(s, "<D:sync-token>http://x/t?a&amp;b</D:sync-token><D:sync-level>1</D:sync-level>"),
       "sync: %s\n", s);
    free(s);
    ok(ds_xml_sync_collection(&s, NULL, props, 1, 100) == 0 && strstr(s, "<D:sync-token></D:sync-token>")
       && strstr(s, "<D:nresults>100</D:nresults>"), "sync initial: %s\n", s);
    free(s);
    const char *hrefs[] = { "/cal/a.ics", "/cal/b&c.ics" };
    ok(ds_xml_multiget(&s, DS_MULTIGET_CALENDAR, props + 2, 1, hrefs, 2) == 0
       && strstr(s, "<C:calendar-multiget") && strstr(s, "<D:href>/cal/b&amp;c.ics</D:href>")
       && strstr(s, "<C:calendar-data/>"), "multiget: %s\n", s);
    free(s);
    ok(ds_xml_multiget(&s, DS_MULTIGET_ADDRESSBOOK, props, 1, hrefs, 1) == 0
       && strstr(s, "<A:addressbook-multiget"), "card multiget: %s\n", s);
    free(s);
}

int main(void)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct dump whole, bytes;
        size_t dropped = 0;
        int rc = parse(cases[i].body, 0, &whole, NULL, &dropped);
        ok(rc == cases[i].rc, "%s: rc %d, want %d (%s)\n", cases[i].name, rc, cases[i].rc, st_error_last());
        if (rc == DS_EPROTO)
            ok(strstr(st_error_last(), "line ") != NULL || strstr(st_error_last(), "empty"),
               "%s: no position in %s\n", cases[i].name, st_error_last());
        for (int w = 0; w < 4 && cases[i].want[w]; w++)
            ok(strstr(whole.s, cases[i].want[w]) != NULL, "%s: lacks %s in\n%s\n", cases[i].name,
               cases[i].want[w], whole.s);
        ok(dropped == cases[i].dropped, "%s: dropped %zu\n", cases[i].name, dropped);
        int rc2 = parse(cases[i].body, 1, &bytes, NULL, NULL);
        ok(rc2 == rc && !strcmp(whole.s, bytes.s), "%s: byte by byte differs (rc %d):\n%s\n%s\n",
           cases[i].name, rc2, whole.s, bytes.s);
        free(whole.s);
        free(bytes.s);
    }
    {
        struct dump d;
        char *tok = NULL;
        ok(parse(cases[3].body, 7, &d, &tok, NULL) == 0 && tok && !strcmp(tok, "http://x/sync/2"),
           "sync token %s\n", tok ? tok : "(null)");
        free(tok);
        free(d.s);
    }
    {
        struct dump d;
        char *s = nested(50);
        ok(parse(s, 0, &d, NULL, NULL) == 0, "50 deep refused: %s\n", st_error_last());
        free(s);
        free(d.s);
        s = nested(100);
        ok(parse(s, 0, &d, NULL, NULL) == DS_EPROTO && strstr(st_error_last(), "deep"),
           "100 deep: %s\n", st_error_last());
        free(s);
        free(d.s);
        /* huge text: 100 KB > max_text 4096 */
        size_t n = 100000;
        s = malloc(n + 512);
        if (!s)
            test_fatal("out of memory\n");
        int k = sprintf(s, MS_OPEN "<D:response><D:href>/dav/h</D:href><D:propstat><D:prop><D:displayname>");
        memset(s + k, 'x', n);
        strcpy(s + k + n, "</D:displayname></D:prop></D:propstat></D:response></D:multistatus>");
        ok(parse(s, 1000, &d, NULL, NULL) == DS_EPROTO && strstr(st_error_last(), "too long"),
           "huge text: %s\n", st_error_last());
        free(s);
        free(d.s);
    }
    builders();
    big_multistatus();
    return test_done();
}
