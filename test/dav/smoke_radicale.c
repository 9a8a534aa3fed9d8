/*
 * smoke_radicale.c: the Radicale fixture is a CalDAV server with Basic auth
 * and RFC 6578 sync-collection, seen through libcurl: MKCALENDAR under
 * /USER/, PUT of a VEVENT, sync-collection (initial, from a token, after a
 * DELETE), and 401 without or with wrong credentials. Run through
 * test/fixtures/serve.py; it only touches /USER/smoke-calendar/.
 */
#include "davtest.h"

static const char mkcalendar_body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<C:mkcalendar xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">"
    "<D:set><D:prop><D:displayname>Smoke</D:displayname>"
    "<C:supported-calendar-component-set><C:comp name=\"VEVENT\"/></C:supported-calendar-component-set>"
    "</D:prop></D:set></C:mkcalendar>";

static const char propfind_body[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:resourcetype/><D:displayname/></D:prop></D:propfind>";

int main(void)
{
    const char *base = test_env("MAPIDAV_TEST_RADICALE_URL");
    const char *user = test_env("MAPIDAV_TEST_USER");
    const char *pass = test_env("MAPIDAV_TEST_PASSWORD");
    char home[1024], coll[1024], value[256];
    struct dt_response r;
    struct dt_multistatus ms;
    const struct dt_prop *p;
    CURL *h;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(h = curl_easy_init()))
        test_fatal("libcurl does not initialise\n");
    dt_fmt(home, "%s%s/", base, user);
    dt_fmt(coll, "%ssmoke-calendar/", home);

    dt_perform(h, &(struct dt_request){ .method = "PROPFIND", .url = home,
               .body = propfind_body, .content_type = "application/xml; charset=utf-8",
               .headers = { "Depth: 0" } }, &r);
    ok(r.rc == CURLE_OK && r.status == 401, "PROPFIND without credentials: status %ld\n", r.status);
    ok(dt_header(&r, "WWW-Authenticate", value, sizeof(value)) && strncmp(value, "Basic", 5) == 0,
       "401 without a Basic challenge: %s\n", value);
    dt_response_free(&r);
    dt_perform(h, &(struct dt_request){ .method = "PROPFIND", .url = home, .user = user,
               .password = "wrong password", .body = propfind_body,
               .content_type = "application/xml; charset=utf-8",
               .headers = { "Depth: 0" } }, &r);
    ok(r.rc == CURLE_OK && r.status == 401, "PROPFIND with a wrong password: status %ld\n", r.status);
    dt_response_free(&r);

    dt_perform(h, &(struct dt_request){ .method = "MKCALENDAR", .url = coll, .user = user,
               .password = pass, .body = mkcalendar_body,
               .content_type = "application/xml; charset=utf-8" }, &r);
    ok(r.rc == CURLE_OK && r.status == 201, "MKCALENDAR %s: curl %d (%s), status %ld\n%s\n",
       coll, r.rc, r.error, r.status, r.body.data ? r.body.data : "");
    dt_response_free(&r);

    dt_perform(h, &(struct dt_request){ .method = "PROPFIND", .url = coll, .user = user,
               .password = pass, .body = propfind_body,
               .content_type = "application/xml; charset=utf-8",
               .headers = { "Depth: 0" }, .accept_gzip = 1 }, &r);
    ok(r.rc == CURLE_OK && r.status == 207, "PROPFIND %s: status %ld\n", coll, r.status);
    if (r.status == 207 && dt_parse_multistatus(&ms, r.body.data, r.body.len) == 0) {
        p = dt_find(&ms, "/smoke-calendar/", "DAV: resourcetype");
        ok(p && strstr(p->value, "<urn:ietf:params:xml:ns:caldav calendar>"),
           "new collection is no calendar: %s\n", p ? p->value : "(none)");
        p = dt_find(&ms, "/smoke-calendar/", "DAV: displayname");
        ok(p && strcmp(p->value, "Smoke") == 0, "displayname: %s\n", p ? p->value : "(none)");
        dt_multistatus_free(&ms);
    }
    dt_response_free(&r);

    dt_check_sync_collection(h, coll, user, pass);

    curl_easy_cleanup(h);
    curl_global_cleanup();
    return test_done();
}
