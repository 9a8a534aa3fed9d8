/*
 * test_http_ntlm.c: NTLM authentication against a real NTLM server, the
 * fixture's `ntlm` peer (test/fixtures/serve.py: Squid as a reverse proxy
 * asking for NTLM only, Samba's ntlm_auth checking the responses, the Apache
 * mod_dav tree behind it).
 *
 * The default client (Basic|Digest|NTLM) finds NTLM and keeps to it; an
 * NTLM-only client does the account's requests (MKCOL, PUTs, GETs and a
 * PROPFIND listing through the multistatus parser) over 6 parallel
 * connections, one NTLM handshake per connection and not per request
 * (counted in Squid's access log); a Basic-only client is refused; a wrong
 * password is DS_EAUTH after one handshake, no retry; the sync engine brings
 * a mail folder down through NTLM and sends local changes up (a new message,
 * a read flag, a move), and with a wrong password ends in
 * AUTH_FAILED, says so, and asks the server nothing more; the trace log holds
 * no NTLM message and no password.
 * Skips (77) when the linked curl has no NTLM; serve.py itself skips when
 * Squid or ntlm_auth is not installed.
 * Never: a mock server; Squid's log is only read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>     /* first: it brings winsock2.h, which must precede windows.h */

#include "sync_testutil.h"
#include "davsync/engine.h"
#include "davsync/xml.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_tags.h"
#include "testutil.h"

static const char *base, *user, *pass, *fixdir, *access_log;

enum { NFILES = 48, NCONN = 6, BODY = 4096 };

/* Squid's access log: requests answered, and NTLM rounds refused (401). */
static size_t served(void)
{
    return count_in_file(access_log, "\n");
}

/* served(), once Squid has written its lines (it logs a transaction just
 * after answering it): the same count twice, 200 ms apart. */
static size_t served_settled(void)
{
    size_t n = served(), m;
    for (int i = 0; i < 50; i++, n = m) {
        test_sleep_ms(200);
        if ((m = served()) == n)
            break;
    }
    return n;
}

static size_t refused(void)
{
    return count_in_file(access_log, "TCP_DENIED/401");
}

static ds_http *client(const char *password, unsigned auth, int conns)
{
    ds_http *h = NULL;
    ds_http_config cfg = { .user = user, .password = password, .auth = auth,
                           .max_connections = conns, .proxy = "" };
    if (ds_http_new(&h, &cfg) != 0)
        test_fatal("ds_http_new: %s\n", st_error_last());
    return h;
}

/* ---- parallel requests over several connections ------------------------------ */

struct par {
    int ok, fail;
    long status;                /* the answer expected */
    size_t body_len;            /* of a GET's answer; 0: not checked */
};

static void par_done(void *arg, const ds_http_result *r)
{
    struct par *p = arg;
    if (r->code == 0 && r->status == p->status && (!p->body_len || r->body_len == p->body_len))
        p->ok++;
    else {
        if (p->fail++ == 0)
            printf("# %s: %d %ld %s\n", r->url, r->code, r->status, r->error);
    }
}

static void run_all(ds_http *h)
{
    while (ds_http_pending(h))
        ds_http_run(h, 1000);
}

struct pf {
    int n, files;
};

static int pf_cb(void *arg, const ds_ms_response *r)
{
    struct pf *p = arg;
    p->n++;
    if (r->etag && r->content_length == BODY && !(r->resourcetype & DS_RT_COLLECTION))
        p->files++;
    return 0;
}

static void account_requests(void)
{
    static char body[BODY];
    char *coll = cat(base, "ntlm-par/");
    char url[512];
    ds_http_stats st0, st1, st2;
    ds_http *h = client(pass, DS_HTTP_AUTH_NTLM, NCONN);
    ds_http_result r;

    dav_mkcol(h, coll);
    memset(body, 'n', sizeof body);
    ds_http_get_stats(h, &st0);
    size_t denied0 = refused();

    /* PUTs, NCONN at a time. */
    struct par p = { .status = 201 };
    for (int i = 0; i < NFILES; i++) {
        snprintf(url, sizeof url, "%sf%03d.txt", coll, i);
        ds_http_submit(h, &(ds_http_request){ .method = DS_HTTP_PUT, .url = url, .body = body,
                       .body_len = sizeof body, .if_none_match = "*",
                       .content_type = "text/plain", .done = par_done, .done_arg = &p }, NULL);
    }
    run_all(h);
    ok(p.ok == NFILES && p.fail == 0, "parallel PUTs: %d ok, %d failed\n", p.ok, p.fail);
    ds_http_get_stats(h, &st1);
    uint64_t conns = st1.connects - st0.connects + 1;   /* + the MKCOL's */
    size_t handshakes = refused() - denied0;
    ok(st1.connects >= 2, "several connections: %llu\n", (unsigned long long)st1.connects);
    /* One NTLM round (Type 1 -> 401 with the challenge) per new connection;
     * the requests after it on the same connection go through at once. */
    ok(handshakes >= st1.connects - st0.connects && handshakes <= conns,
       "%zu NTLM handshakes for %llu new connections\n", handshakes,
       (unsigned long long)(st1.connects - st0.connects));
    printf("# %d PUTs over %llu connections: %zu NTLM handshakes\n", NFILES,
           (unsigned long long)st1.connects, handshakes);

    /* GETs on the connections already authenticated. */
    p = (struct par){ .status = 200, .body_len = BODY };
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < NFILES; i++) {
            snprintf(url, sizeof url, "%sf%03d.txt", coll, i);
            ds_http_submit(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = url,
                           .done = par_done, .done_arg = &p }, NULL);
        }
    run_all(h);
    ok(p.ok == 3 * NFILES && p.fail == 0, "parallel GETs: %d ok, %d failed\n", p.ok, p.fail);
    ds_http_get_stats(h, &st2);
    printf("# %d GETs: %llu new connections, %zu new NTLM handshakes\n", 3 * NFILES,
           (unsigned long long)(st2.connects - st1.connects), refused() - denied0 - handshakes);
    ok(refused() - denied0 - handshakes <= st2.connects - st1.connects,
       "GETs: %zu handshakes, %llu new connections\n", refused() - denied0 - handshakes,
       (unsigned long long)(st2.connects - st1.connects));

    /* The listing through the streaming multistatus parser. */
    {
        ds_xml_name props[] = { { DS_NS_DAV, "getetag" }, { DS_NS_DAV, "getcontentlength" },
                                { DS_NS_DAV, "resourcetype" } };
        char *pbody = NULL;
        struct pf f = { 0 };
        ds_ms_parser *mp = NULL;
        ok(ds_xml_propfind(&pbody, props, 3) == 0, "propfind body\n");
        ok(ds_ms_parser_new(&mp, &(ds_ms_config){ .request_url = coll, .on_response = pf_cb,
                            .arg = &f }) == 0, "parser\n");
        ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PROPFIND, .url = coll,
                        .depth = "1", .body = pbody, .body_len = strlen(pbody),
                        .write = ds_ms_http_sink, .write_arg = mp }, &r);
        ok(r.code == 0 && r.status == 207, "PROPFIND: %d %ld %s\n", r.code, r.status, r.error);
        ok(ds_ms_finish(mp) == 0, "finish: %s\n", st_error_last());
        ok(f.n == NFILES + 1 && f.files == NFILES, "PROPFIND: %d responses, %d files\n", f.n,
           f.files);
        ds_http_result_clear(&r);
        ds_ms_parser_free(mp);
        free(pbody);
    }
    /* A MOVE (its Destination names the NTLM origin) and a DELETE. */
    {
        char *from = cat(coll, "f000.txt"), *to = cat(coll, "moved.txt");
        dav_move(h, from, to);
        dav_del(h, to);
        free(from);
        free(to);
    }
    ds_http_free(h);
    free(coll);
}

/* ---- refusals ------------------------------------------------------------------ */

static void refusals(void)
{
    ds_http_result r;

    /* Wrong password, default schemes and NTLM only: one handshake (after
     * a first 401 that names the scheme, with the default ones), then
     * DS_EAUTH; no retry. */
    unsigned auths[] = { 0, DS_HTTP_AUTH_NTLM };
    for (size_t k = 0; k < sizeof auths / sizeof auths[0]; k++) {
        ds_http *bad = client("Wrong-Pa55word", auths[k], NCONN);
        size_t round = auths[k] ? 2 : 3;     /* requests answered per refusal */
        size_t n0 = served_settled();
        ds_http_perform(bad, &(ds_http_request){ .method = DS_HTTP_PROPFIND, .url = base,
                        .depth = "0" }, &r);
        ok(r.code == DS_EAUTH && r.status == 401, "wrong password (auth %u): %d %ld %s\n",
           auths[k], r.code, r.status, r.error);
        ok(r.error && strstr(r.error, "401"), "error: %s\n", r.error ? r.error : "-");
        ok(r.attempts == 1, "attempts %d\n", r.attempts);
        ds_http_result_clear(&r);
        size_t n1 = served_settled();
        ok(n1 - n0 == round, "wrong password: %zu requests answered (one NTLM round)\n", n1 - n0);
        /* Several at once: each fails by itself, none loops. */
        struct par p = { .status = 200 };
        for (int i = 0; i < 8; i++)
            ds_http_submit(bad, &(ds_http_request){ .method = DS_HTTP_GET, .url = base,
                           .done = par_done, .done_arg = &p }, NULL);
        run_all(bad);
        ok(p.ok == 0 && p.fail == 8, "parallel, wrong password: %d ok %d failed\n", p.ok, p.fail);
        size_t n2 = served_settled();
        ok(n2 - n1 <= round * 8, "parallel, wrong password: %zu requests answered\n", n2 - n1);
        ds_http_free(bad);
    }

    /* A client limited to Basic gets no further than the 401 (the server
     * offers NTLM only): the password is never sent in the clear. */
    ds_http *basic = client(pass, DS_HTTP_AUTH_BASIC, 1);
    ds_http_perform(basic, &(ds_http_request){ .method = DS_HTTP_GET, .url = base }, &r);
    ok(r.code == DS_EAUTH && r.status == 401, "Basic only against NTLM: %d %ld\n", r.code,
       r.status);
    ds_http_result_clear(&r);
    ds_http_free(basic);
}

/* ---- the sync engine through NTLM ------------------------------------------ */

static ds_engine_config engine_config(const char *root, const char *store, const char *password)
{
    return (ds_engine_config){
        .sync = { .mail_url = root, .user = user, .password = password, .store_path = store,
                  .max_connections = NCONN },
        .interval_s = 3600,
        .backoff_min_ms = 100,
        .backoff_max_ms = 400,
    };
}

static ds_status engine_status(ds_engine *e)
{
    ds_status st;
    int rc = ds_engine_status(e, &st);
    ok(rc == 0, "status: %d %s\n", rc, st_error_last());
    return st;
}

static void engine(void)
{
    enum { NMSG = 12 };
    char *root = cat(base, "ntlm-eng/user/"), *inbox_url = cat(root, "Inbox/");
    char *archive_url = cat(root, "Archive/");
    char *store = cat(fixdir, "/ntlm-engine.sqlite"), *bad_store = cat(fixdir, "/ntlm-bad.sqlite");
    char url[512];
    ds_http *h = client(pass, DS_HTTP_AUTH_NTLM, 2);
    char *eng = cat(base, "ntlm-eng/");
    dav_mkcol(h, eng);
    dav_mkcol(h, root);
    dav_mkcol(h, inbox_url);
    dav_mkcol(h, archive_url);
    for (int i = 0; i < NMSG; i++) {
        snprintf(url, sizeof url, "%sm%02d.eml", inbox_url, i);
        dav_put_plain(h, url, "ntlm", i, NULL);
    }

    /* Right password: the first pass brings the Inbox down. */
    ds_engine_config cfg = engine_config(root, store, pass);
    ds_engine *e = NULL;
    if (ds_engine_start(&e, &cfg) != 0)
        test_fatal("ds_engine_start: %s\n", st_error_last());
    ok(ds_engine_wait_pass(e, 60000) == 0, "first pass\n");
    ds_status st = engine_status(e);
    ok(st.state == DS_STATE_IDLE && st.passes == 1 && st.last_code == 0,
       "state %s, passes %llu, error %d %s\n", ds_state_name(st.state),
       (unsigned long long)st.passes, st.last_code, st.last_error ? st.last_error : "-");
    ok(st.totals.new_items == NMSG && st.totals.failed == 0, "new %llu failed %llu\n",
       (unsigned long long)st.totals.new_items, (unsigned long long)st.totals.failed);
    ds_status_clear(&st);
    st_store *s = NULL;
    if (st_store_open(&s, store, NULL, 0) != 0)
        test_fatal("open store: %s\n", st_error_last());
    st_id fid = find_folder(s, inbox_url), archive = find_folder(s, archive_url);
    ok(fid && count_msgs(s, fid) == NMSG, "Inbox: %zu messages\n", fid ? count_msgs(s, fid) : 0);
    ok(!fid || count_dups(s, fid) == 0, "duplicates\n");
    ok(archive != 0, "Archive folder\n");

    /* Local changes go up through NTLM: a new message (a streamed PUT with
     * If-None-Match: *), a read flag (PROPPATCH), a move (MOVE, its
     * Destination on the NTLM origin). */
    char *m00 = cat(inbox_url, "m00.eml"), *m01 = cat(inbox_url, "m01.eml");
    char *m01_moved = cat(archive_url, "m01.eml");
    st_id mid = 0;
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
    st_bag_set_str(b, PR_SUBJECT_W, "Written offline, sent through NTLM");
    st_bag_set_str(b, PR_BODY_W, "Hello.\r\n");
    ok(st_message_create(s, &mid, fid, b, 0) == 0, "create: %s\n", st_error_last());
    st_bag_free(b);
    ok(st_message_set_read(s, find_href(s, m00), 1, 0) == 0, "set read: %s\n", st_error_last());
    ok(st_message_move(s, find_href(s, m01), archive, 0) == 0, "move: %s\n", st_error_last());
    ds_engine_sync_now(e);
    ok(ds_engine_wait_pass(e, 60000) == 0, "up pass\n");
    st = engine_status(e);
    ok(st.state == DS_STATE_IDLE && st.last_code == 0, "after up: %s %d %s\n",
       ds_state_name(st.state), st.last_code, st.last_error ? st.last_error : "-");
    ok(st.totals.up_done == 3 && st.totals.up_refused == 0 && st.totals.up_conflicts == 0,
       "up done %llu refused %llu conflicts %llu\n", (unsigned long long)st.totals.up_done,
       (unsigned long long)st.totals.up_refused, (unsigned long long)st.totals.up_conflicts);
    ds_status_clear(&st);
    ds_engine_stop(e);
    ok(journal_len(s) == 0, "journal: %zu left\n", journal_len(s));
    char *href = NULL;
    ok(mid && st_message_server_get(s, mid, &href, NULL) == 0 && href, "new message href\n");
    if (href) {
        ds_http_result r;
        ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_GET, .url = href }, &r);
        ok(r.code == 0 && r.body && strstr(r.body, "sent through NTLM"), "GET %s: %d %ld\n",
           href, r.code, r.status);
        ds_http_result_clear(&r);
    }
    free(href);
    ok(dav_do(h, &(ds_http_request){ .method = DS_HTTP_HEAD, .url = m01_moved }) == 200,
       "moved on the server\n");
    ok(dav_do(h, &(ds_http_request){ .method = DS_HTTP_HEAD, .url = m01 }) == 404,
       "gone from the Inbox\n");
    st_store_close(s);
    ds_http_free(h);
    free(m00);
    free(m01);
    free(m01_moved);

    /* Wrong password: AUTH_FAILED, said clearly, and no more requests. */
    cfg = engine_config(root, bad_store, "Wrong-Pa55word");
    if (ds_engine_start(&e, &cfg) != 0)
        test_fatal("ds_engine_start: %s\n", st_error_last());
    ok(ds_engine_wait_pass(e, 30000) == 0, "auth pass\n");
    st = engine_status(e);
    ok(st.state == DS_STATE_AUTH_FAILED && st.last_code == DS_EAUTH, "state %s, code %d\n",
       ds_state_name(st.state), st.last_code);
    ok(st.last_error && strstr(st.last_error, "password"), "error %s\n",
       st.last_error ? st.last_error : "-");
    ok(st.passes == 0 && st.tries == 1, "passes %llu tries %llu\n", (unsigned long long)st.passes,
       (unsigned long long)st.tries);
    printf("# wrong password: %s\n", st.last_error ? st.last_error : "-");
    ds_status_clear(&st);
    size_t n0 = served_settled();
    ds_engine_wake(e);
    ok(ds_engine_wait_pass(e, 1500) == DS_ETIMEOUT, "no retry after auth failure\n");
    size_t n1 = served_settled();
    ok(n1 == n0, "no requests after auth failure: %zu -> %zu\n", n0, n1);
    ds_engine_stop(e);

    free(eng);
    free(archive_url);
    free(root);
    free(inbox_url);
    free(store);
    free(bad_store);
}

int main(void)
{
    ds_http_result r;

    base = test_env("MAPIDAV_TEST_NTLM_URL");
    access_log = test_env("MAPIDAV_TEST_NTLM_ACCESS_LOG");
    user = test_env("MAPIDAV_TEST_USER");
    pass = test_env("MAPIDAV_TEST_PASSWORD");
    fixdir = test_env("MAPIDAV_TEST_FIXTURE_DIR");
    printf("# curl: %s\n", curl_version());
    if (!ds_http_has_ntlm())
        test_skip("this curl (%s) has no NTLM (CURL_VERSION_NTLM unset)\n", curl_version());

    char *logpath = cat(fixdir, "/ntlm-trace.log");
    ok(st_log_open_file(logpath, 0, 0) == 0, "log: %s\n", st_error_last());
    st_log_configure("http=trace,davsync=info");

    /* The default schemes: curl finds NTLM in the 401 and the client keeps
     * to it (no 401 round per request from then on). */
    ds_http *h = client(pass, 0, NCONN);
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PROPFIND, .url = base, .depth = "0" }, &r);
    ok(r.code == 0 && r.status == 207, "PROPFIND, default schemes: %d %ld %s\n", r.code, r.status,
       r.error);
    ds_http_result_clear(&r);
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_OPTIONS, .url = base }, &r);
    ok(r.code == 0 && r.dav && strstr(r.dav, "1"), "OPTIONS: %d %ld dav %s\n", r.code, r.status,
       r.dav ? r.dav : "-");
    ds_http_result_clear(&r);
    {
        /* New connections: one 401 each (the challenge to curl's Type 1),
         * not two (a first one naming the scheme). */
        ds_http_stats st0, st1;
        size_t denied0 = refused();
        struct par p = { .status = 207 };
        ds_http_get_stats(h, &st0);
        for (int i = 0; i < 4 * NCONN; i++)
            ds_http_submit(h, &(ds_http_request){ .method = DS_HTTP_PROPFIND, .url = base,
                           .depth = "0", .done = par_done, .done_arg = &p }, NULL);
        run_all(h);
        ds_http_get_stats(h, &st1);
        ok(p.ok == 4 * NCONN, "parallel PROPFINDs: %d ok %d failed\n", p.ok, p.fail);
        ok(st1.connects > st0.connects && refused() - denied0 <= st1.connects - st0.connects,
           "default schemes: %zu 401s for %llu new connections\n", refused() - denied0,
           (unsigned long long)(st1.connects - st0.connects));
    }
    ds_http_free(h);

    account_requests();
    refusals();
    engine();

    st_log_close();
    ok(count_in_file(logpath, "scheme: NTLM") >= 1, "the client learned NTLM\n");
    ok(count_in_file(logpath, "> Authorization: [redacted]") >= 2, "Authorization lines\n");
    /* Type 1 and Type 3 go in Authorization: (the challenge, Type 2, may show) */
    ok(count_in_file(logpath, "TlRMTVNTUAAB") == 0 && count_in_file(logpath, "TlRMTVNTUAAD") == 0,
       "an NTLM message of ours in the trace log\n");
    ok(count_in_file(logpath, pass) == 0, "the password in the trace log\n");
    free(logpath);
    return test_done();
}
