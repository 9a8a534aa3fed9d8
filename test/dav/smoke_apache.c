/*
 * smoke_apache.c: the Apache mod_dav fixture does what the mail store needs,
 * seen through libcurl: MKCOL, PUT with If-None-Match: * (201 then 412), a
 * dead property (urn:schemas:httpmail:read) set by PROPPATCH and read back by
 * PROPFIND Depth 1 with getetag, gzip on PROPFIND but not on GET, keep-alive,
 * 401 for a wrong password, and TLS that verifies with the test CA and only
 * with it. Run through test/fixtures/serve.py (see test/dav/meson.build);
 * it only touches its own folder "smoke/" under the fixture's /dav/.
 */
#include <sys/stat.h>

#include "davtest.h"

static const char message[] =
    "From: Smoke Test <smoke@example.test>\r\n"
    "To: Somebody <somebody@example.test>\r\n"
    "Subject: mapidav apache smoke\r\n"
    "Date: Tue, 02 Jan 2024 10:00:00 +0000\r\n"
    "Message-ID: <apache-smoke@example.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hello from the smoke test.\r\n";

static const char proppatch_read[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propertyupdate xmlns:D=\"DAV:\" xmlns:M=\"urn:schemas:httpmail:\">"
    "<D:set><D:prop><M:read>1</M:read></D:prop></D:set>"
    "</D:propertyupdate>";

static const char propfind_body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propfind xmlns:D=\"DAV:\" xmlns:M=\"urn:schemas:httpmail:\">"
    "<D:prop><D:getetag/><D:resourcetype/><M:read/></D:prop>"
    "</D:propfind>";

static void check_file_on_disk(const char *root)
{
    char path[1024];
    struct stat st;
    FILE *f;
    char buf[sizeof(message)];
    size_t n;

    dt_fmt(path, "%s/smoke/msg1.eml", root);
    ok(stat(path, &st) == 0 && (size_t)st.st_size == sizeof(message) - 1,
       "%s: not there with %zu bytes (MAPIDAV_TEST_APACHE_ROOT)\n", path, sizeof(message) - 1);
    f = fopen(path, "rb");
    if (!f)
        return;
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    ok(n == sizeof(message) - 1 && memcmp(buf, message, n) == 0, "%s: other bytes than PUT\n", path);
}

static void check_tls(CURL *h, const char *tls_url, const char *user, const char *pass,
                      const char *ca)
{
    struct dt_response r;
    struct dt_request rq = { .method = "PROPFIND", .url = tls_url, .user = user,
                             .password = pass, .body = propfind_body,
                             .content_type = "application/xml; charset=utf-8",
                             .headers = { "Depth: 0" }, .cainfo = ca };

    dt_perform(h, &rq, &r);
    ok(r.rc == CURLE_OK && r.status == 207, "PROPFIND over TLS with the test CA: curl %d (%s), status %ld\n",
       r.rc, r.error, r.status);
    dt_response_free(&r);

    /* libcurl's default CA store does not know the test CA. */
    rq.cainfo = NULL;
    dt_perform(h, &rq, &r);
    ok(r.rc == CURLE_PEER_FAILED_VERIFICATION,
       "PROPFIND over TLS without the test CA: curl %d (%s), want %d (verification failed)\n",
       r.rc, r.error, CURLE_PEER_FAILED_VERIFICATION);
    dt_response_free(&r);
}

int main(void)
{
    const char *base = test_env("MAPIDAV_TEST_APACHE_URL");
    const char *tls_url = test_env("MAPIDAV_TEST_APACHE_TLS_URL");
    const char *root = test_env("MAPIDAV_TEST_APACHE_ROOT");
    const char *user = test_env("MAPIDAV_TEST_USER");
    const char *pass = test_env("MAPIDAV_TEST_PASSWORD");
    const char *ca = test_env("MAPIDAV_TEST_CA");
    char folder[1024], msg[1024], value[256], etag[256];
    struct dt_response r;
    struct dt_multistatus ms;
    const struct dt_prop *p;
    CURL *h;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(h = curl_easy_init()))
        test_fatal("libcurl does not initialise\n");
    dt_fmt(folder, "%ssmoke/", base);
    dt_fmt(msg, "%smsg1.eml", folder);

    dt_perform(h, &(struct dt_request){ .method = "MKCOL", .url = folder, .user = user,
               .password = pass }, &r);
    ok(r.rc == CURLE_OK && r.status == 201, "MKCOL %s: curl %d (%s), status %ld\n",
       folder, r.rc, r.error, r.status);
    dt_response_free(&r);

    struct dt_request put = { .method = "PUT", .url = msg, .user = user, .password = pass,
                              .body = message, .content_type = "message/rfc822",
                              .headers = { "If-None-Match: *" } };
    dt_perform(h, &put, &r);
    ok(r.rc == CURLE_OK && r.status == 201, "PUT new: curl %d (%s), status %ld\n",
       r.rc, r.error, r.status);
    dt_response_free(&r);
    dt_perform(h, &put, &r);
    ok(r.rc == CURLE_OK && r.status == 412, "PUT again with If-None-Match: *: status %ld, want 412\n",
       r.status);
    ok(r.connects == 0, "second request opened a new connection: no keep-alive\n");
    dt_response_free(&r);
    check_file_on_disk(root);

    dt_perform(h, &(struct dt_request){ .method = "PROPPATCH", .url = msg, .user = user,
               .password = pass, .body = proppatch_read,
               .content_type = "application/xml; charset=utf-8" }, &r);
    ok(r.rc == CURLE_OK && r.status == 207, "PROPPATCH: curl %d, status %ld\n", r.rc, r.status);
    if (r.status == 207 && dt_parse_multistatus(&ms, r.body.data, r.body.len) == 0) {
        p = dt_find(&ms, "/msg1.eml", "urn:schemas:httpmail: read");
        ok(p && p->status == 200, "PROPPATCH of read: status %d\n%s\n", p ? p->status : 0,
           r.body.data);
        dt_multistatus_free(&ms);
    }
    dt_response_free(&r);

    dt_perform(h, &(struct dt_request){ .method = "PROPFIND", .url = folder, .user = user,
               .password = pass, .body = propfind_body,
               .content_type = "application/xml; charset=utf-8",
               .headers = { "Depth: 1" }, .accept_gzip = 1 }, &r);
    ok(r.rc == CURLE_OK && r.status == 207, "PROPFIND Depth 1: curl %d (%s), status %ld\n",
       r.rc, r.error, r.status);
    ok(dt_header(&r, "Content-Encoding", value, sizeof(value)) && strcmp(value, "gzip") == 0,
       "PROPFIND answer not gzip-encoded (Content-Encoding: %s)\n", value);
    if (r.status == 207 && dt_parse_multistatus(&ms, r.body.data, r.body.len) == 0) {
        ok(ms.responses == 2, "PROPFIND Depth 1: %d responses, want folder + message\n",
           ms.responses);
        p = dt_find(&ms, "/smoke/", "DAV: resourcetype");
        ok(p && strstr(p->value, "<DAV: collection>"), "folder resourcetype: %s\n",
           p ? p->value : "(none)");
        p = dt_find(&ms, "/msg1.eml", "DAV: getetag");
        ok(p && p->status == 200 && strchr(p->value, '"'), "message getetag: %s\n",
           p ? p->value : "(none)");
        p = dt_find(&ms, "/msg1.eml", "urn:schemas:httpmail: read");
        ok(p && p->status == 200 && strcmp(p->value, "1") == 0, "dead property read: %s (%d)\n",
           p ? p->value : "(none)", p ? p->status : 0);
        dt_multistatus_free(&ms);
    } else {
        ok(0, "PROPFIND answer does not parse:\n%s\n", r.body.data ? r.body.data : "");
    }
    dt_response_free(&r);

    /* DavDepthInfinity On: the whole tree in one answer. */
    dt_perform(h, &(struct dt_request){ .method = "PROPFIND", .url = base, .user = user,
               .password = pass, .body = propfind_body,
               .content_type = "application/xml; charset=utf-8",
               .headers = { "Depth: infinity" } }, &r);
    ok(r.status == 207 && r.body.data && strstr(r.body.data, "/dav/smoke/msg1.eml"),
       "PROPFIND Depth infinity: status %ld\n", r.status);
    dt_response_free(&r);

    dt_perform(h, &(struct dt_request){ .method = "GET", .url = msg, .user = user,
               .password = pass, .accept_gzip = 1 }, &r);
    ok(r.rc == CURLE_OK && r.status == 200, "GET: curl %d, status %ld\n", r.rc, r.status);
    ok(!dt_header(&r, "Content-Encoding", value, sizeof(value)),
       "GET answer is encoded (Content-Encoding: %s): only PROPFIND/REPORT may be\n", value);
    ok(dt_header(&r, "Content-Type", value, sizeof(value)) && strcmp(value, "message/rfc822") == 0,
       "GET Content-Type: %s\n", value);
    ok(dt_header(&r, "ETag", etag, sizeof(etag)) && !strstr(etag, "gzip"), "GET ETag: %s\n", etag);
    ok(r.body.len == sizeof(message) - 1 && memcmp(r.body.data, message, r.body.len) == 0,
       "GET body differs from PUT (%zu bytes)\n", r.body.len);
    dt_response_free(&r);

    dt_perform(h, &(struct dt_request){ .method = "GET", .url = msg, .user = user,
               .password = "wrong password" }, &r);
    ok(r.rc == CURLE_OK && r.status == 401, "GET with a wrong password: status %ld\n", r.status);
    dt_response_free(&r);
    dt_perform(h, &(struct dt_request){ .method = "GET", .url = msg }, &r);
    ok(r.rc == CURLE_OK && r.status == 401 && dt_header(&r, "WWW-Authenticate", value, sizeof(value))
       && strncmp(value, "Basic", 5) == 0, "GET without credentials: status %ld, %s\n",
       r.status, value);
    dt_response_free(&r);

    check_tls(h, tls_url, user, pass, ca);

    curl_easy_cleanup(h);
    curl_global_cleanup();
    return test_done();
}
