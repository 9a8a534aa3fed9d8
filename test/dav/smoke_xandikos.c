/*
 * smoke_xandikos.c: the Xandikos fixture answers RFC 6578 sync-collection on
 * its default calendar, seen through libcurl: PUT of a VEVENT into
 * /user/calendars/calendar/, then sync-collection (initial, from a token,
 * after a DELETE). Xandikos has no auth here. Its REPORT needs
 * Content-Type: application/xml (PEERS.md pitfall 4); the test notes what
 * it answers without one. Run through test/fixtures/serve.py.
 */
#include "davtest.h"

int main(void)
{
    const char *base = test_env("MAPIDAV_TEST_XANDIKOS_URL");
    char coll[1024];
    struct dt_response r;
    CURL *h;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(h = curl_easy_init()))
        test_fatal("libcurl does not initialise\n");
    dt_fmt(coll, "%suser/calendars/calendar/", base);

    dt_check_sync_collection(h, coll, NULL, NULL);

    /* Pitfall 4, as a note rather than a check: it is the server's quirk,
     * not something this fixture promises. */
    dt_perform(h, &(struct dt_request){ .method = "REPORT", .url = coll,
               .body = "<?xml version=\"1.0\"?><D:sync-collection xmlns:D=\"DAV:\">"
                       "<D:sync-token/><D:sync-level>1</D:sync-level>"
                       "<D:prop><D:getetag/></D:prop></D:sync-collection>",
               .headers = { "Depth: 0", "Content-Type:" } }, &r);
    printf("# REPORT without Content-Type: status %ld (pitfall 4 expects 415)\n", r.status);
    dt_response_free(&r);

    curl_easy_cleanup(h);
    curl_global_cleanup();
    return test_done();
}
