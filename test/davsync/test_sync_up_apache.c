/*
 * test_sync_up_apache.c: the up-sync (ds_sync_up, davsync/sync_up.c) and
 * the message loader (davsync/msgload.h) against the real Apache mod_dav
 * of test/fixtures/serve.py.
 *
 *  1. msgload: a stored message with recipients, a 300 KB attachment kept
 *     as a storage stream and an embedded message comes back whole; the
 *     source reads the stream in slices; the built MIME parses back to the
 *     same bytes.
 *  2. A small tree is synced down, then changed locally (new message with
 *     a streamed attachment, modify, read flag, flag status, move, delete
 *     to Deleted Items, new folder with a message, folder rename, folder
 *     delete, an Outbox message that stays local); ds_sync_up; the server
 *     is checked with PROPFIND/GET/HEAD; the journal is empty; a down-sync
 *     brings only the deleted message into Deleted Items, the next one
 *     changes nothing.
 *  3. Conflict: a second client PUTs a new version, then a local modify:
 *     the server's version stays and comes down in place, ours is in Sync
 *     Issues/Conflicts with a note in Sync Issues.
 *  4. Refusals: a read-only collection (chmod under the Apache root: 403)
 *     and a collection deleted by the second client (MOVE into it: 409):
 *     copies in Local Failures, entries refused with a reason, nothing lost.
 *  5. 2,000 local new messages uploaded, then marked read, flagged, moved:
 *     prints `upload msgs/s`, `read flags msgs/s`, `change msgs/s`,
 *     `move msgs/s`.
 * Also, when serve.py started it, against Xandikos (ETags in PUT answers,
 * no MOVE: a move is an upload and a DELETE, no dead properties).
 * Never: a mock server; what the server holds is checked over HTTP only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/stat.h>
#endif

#include "convert/mime.h"
#include "davsync/http.h"
#include "davsync/href.h"
#include "davsync/msgload.h"
#include "davsync/sync.h"
#include "davsync/xml.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/storage.h"
#include "sync_testutil.h"
#include "testutil.h"
#include "unit/test_storage_util.h"

static const char *user, *pass;
static ds_http *h;

/* ---- HTTP as a second client -------------------------------------------- */

/* One request; the status (0 on a transport failure); *out the body. */
static long call(ds_http_method m, const char *url, const char *body, const char *depth,
                 char **out)
{
    ds_http_result r;
    ds_http_request rq = { .method = m, .url = url, .body = body, .body_len = body ? strlen(body) : 0,
                           .depth = depth, .content_type = m == DS_HTTP_PUT ? "message/rfc822" : NULL };
    ds_http_perform(h, &rq, &r);
    long st = r.status;
    if (out)
        *out = r.body ? strdup(r.body) : NULL;
    ds_http_result_clear(&r);
    return st;
}

struct propq {
    const char *ns, *name;
    char value[64];
    int found;
    size_t members;
};

static int on_prop(void *arg, const ds_ms_response *r)
{
    struct propq *q = arg;
    q->members++;
    const ds_ms_prop *p = ds_ms_find(r, q->ns, q->name);
    if (p && (p->status == 200 || p->status == 0) && p->value) {
        snprintf(q->value, sizeof q->value, "%s", p->value);
        q->found = 1;
    }
    return 0;
}

/* The dead property ns:name of url ("" when absent); or, with depth "1",
 * *members = responses (the collection included). */
static const char *dead_prop(const char *url, const char *ns, const char *name, const char *depth,
                             size_t *members)
{
    static struct propq q;
    memset(&q, 0, sizeof q);
    q.ns = ns;
    q.name = name;
    ds_xml_name props[] = { { ns, name } };
    char *xml = NULL, *norm = NULL;
    ds_xml_propfind(&xml, props, 1);
    ds_href_normalize(&norm, url);
    ds_ms_parser *p = NULL;
    ds_ms_config mc = { .request_url = norm, .on_response = on_prop, .arg = &q };
    ds_ms_parser_new(&p, &mc);
    ds_http_result r;
    ds_http_request rq = { .method = DS_HTTP_PROPFIND, .url = norm, .depth = depth, .body = xml,
                           .body_len = strlen(xml), .write = ds_ms_http_sink, .write_arg = p };
    int rc = ds_http_perform(h, &rq, &r);
    ok(rc == 0 && ds_ms_finish(p) == 0, "PROPFIND %s: %d %ld\n", url, rc, r.status);
    ds_http_result_clear(&r);
    ds_ms_parser_free(p);
    free(xml);
    free(norm);
    if (members)
        *members = q.members;
    return q.value;
}

/* ---- the store ------------------------------------------------------------ */

static unsigned char *pattern(size_t len, unsigned seed)
{
    unsigned char *d = malloc(len);
    uint32_t x = seed * 2654435761u + 7;
    for (size_t i = 0; i < len; i++) {
        x = x * 1664525u + 1013904223u;
        d[i] = (unsigned char)(x >> 24);
    }
    return d;
}

static st_bag *note_props(const char *subject, const char *body)
{
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_MESSAGE_CLASS_W, "IPM.Note");
    st_bag_set_str(b, PR_SUBJECT_W, subject);
    st_bag_set_str(b, PR_BODY_W, body);
    st_bag_set_str(b, PR_SENDER_NAME_W, "Alice Example");
    st_bag_set_str(b, PR_SENDER_EMAIL_ADDRESS_W, "alice@example.com");
    st_bag_set_str(b, PR_SENDER_ADDRTYPE_W, "SMTP");
    st_bag_set_systime(b, PR_CLIENT_SUBMIT_TIME, 133000000000000000ull);
    return b;
}

static void add_recipient(st_store *s, st_id mid)
{
    st_bag *r = st_bag_new();
    st_bag_set_long(r, PR_RECIPIENT_TYPE, (int32_t)MAPI_TO);
    st_bag_set_str(r, PR_DISPLAY_NAME_W, "Bob");
    st_bag_set_str(r, PR_EMAIL_ADDRESS_W, "bob@example.com");
    st_bag_set_str(r, PR_ADDRTYPE_W, "SMTP");
    ok(st_recipients_set(s, mid, &r, 1, 0) == 0, "recipients: %s\n", st_error_last());
    st_bag_free(r);
}

/* A message in fid with a streamed attachment of len bytes (seed). */
static st_id new_message(st_store *s, st_id fid, const char *subject, size_t attach_len,
                         unsigned seed, unsigned flags)
{
    st_id mid = 0;
    st_bag *b = note_props(subject, "Written offline.\r\n");
    int rc = st_message_create(s, &mid, fid, b, flags);
    ok(rc == 0, "create %s: %d %s\n", subject, rc, st_error_last());
    st_bag_free(b);
    if (rc)
        return 0;
    add_recipient(s, mid);
    if (attach_len) {
        st_bag *a = st_bag_new();
        uint32_t num = 0;
        st_bag_set_long(a, PR_ATTACH_METHOD, (int32_t)ATTACH_BY_VALUE);
        st_bag_set_str(a, PR_ATTACH_LONG_FILENAME_W, "data.bin");
        st_bag_set_str(a, PR_ATTACH_MIME_TAG_W, "application/octet-stream");
        ok(st_attach_create(s, &num, mid, a, flags) == 0, "attach: %s\n", st_error_last());
        st_bag_free(a);
        unsigned char *d = pattern(attach_len, seed);
        st_stream *w = NULL;
        ok(st_stream_open_write(&w, s, mid, num, PR_ATTACH_DATA_BIN) == 0, "stream\n");
        for (size_t off = 0; off < attach_len; off += 50000)
            st_stream_write(w, d + off, attach_len - off < 50000 ? attach_len - off : 50000);
        ok(st_stream_commit(w, flags) == 0, "commit: %s\n", st_error_last());
        free(d);
    }
    return mid;
}

static const char *subject_of(st_store *s, st_id mid, char *buf, size_t size)
{
    st_bag *b = NULL;
    buf[0] = 0;
    if (st_message_get(s, &b, mid) == 0) {
        const st_value *v = st_bag_get(b, PR_SUBJECT_W);
        snprintf(buf, size, "%s", v && v->v.str ? v->v.str : "");
    }
    st_bag_free(b);
    return buf;
}

static char *href_of(st_store *s, st_id mid)
{
    char *href = NULL, *etag = NULL;
    st_message_server_get(s, mid, &href, &etag);
    free(etag);
    return href;
}

/* Message mid is on the server, in collection root + coll. */
static void check_in(st_store *s, st_id mid, const char *root, const char *coll)
{
    char *href = href_of(s, mid), *u = cat(root, coll);
    ok(href && strncmp(href, u, strlen(u)) == 0 && call(DS_HTTP_HEAD, href, NULL, NULL, NULL) == 200,
       "message %llu in %s: %s\n", (unsigned long long)mid, coll, href ? href : "-");
    free(u);
    free(href);
}

static st_id by_href(st_store *s, const char *url)
{
    st_id mid = find_href(s, url);
    ok(mid != 0, "find %s: %s\n", url, st_error_last());
    return mid;
}

/* A local folder (journaled). */
static st_id new_folder(st_store *s, st_id parent, const char *name)
{
    st_id id = tsu_folder(s, parent, name, 0);
    ok(id != 0, "folder %s: %s\n", name, st_error_last());
    return id;
}

static size_t nmsgs(st_store *s, st_id fid)
{
    st_folder_counts fc = { 0 };
    st_folder_counts_get(s, &fc, fid);
    return fc.content;
}

static void set_subject(st_store *s, st_id mid, const char *subject)
{
    st_bag *b = st_bag_new();
    st_bag_set_str(b, PR_SUBJECT_W, subject);
    ok(st_message_set_props(s, mid, b, NULL, 0, 0) == 0, "modify %s\n", subject);
    st_bag_free(b);
}

static size_t njournal(st_store *s, int state)
{
    size_t n = 0;
    st_journal_count(s, &n, state);
    return n;
}

/* ---- 1. the loader ----------------------------------------------------------- */

typedef struct mem {
    char *p;
    size_t len, cap;
} mem;

static int mem_write(void *ctx, const void *data, size_t len)
{
    mem *m = ctx;
    if (m->len + len + 1 > m->cap) {
        m->cap = (m->len + len + 1) * 2;
        m->p = realloc(m->p, m->cap);
    }
    memcpy(m->p + m->len, data, len);
    m->len += len;
    m->p[m->len] = 0;
    return 0;
}

static void test_msgload(void)
{
    st_id fid = 0;
    st_store *s = tsu_store("msgload.sqlite", NULL, &fid);

    enum { LEN = 300000, BODYLEN = 100000 };
    st_id mid = new_message(s, fid, "Loader test", LEN, 5, ST_FROM_SERVER);
    /* A body past the inline limit: kept as a stream, read whole. */
    char *text = malloc(BODYLEN + 1);
    for (int i = 0; i < BODYLEN; i++)
        text[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
    text[BODYLEN] = 0;
    st_bag *tb = st_bag_new();
    st_bag_set_str(tb, PR_BODY_W, text);
    ok(st_message_set_props(s, mid, tb, NULL, 0, ST_FROM_SERVER) == 0, "big body\n");
    st_bag_free(tb);
    /* An embedded message with a small attachment of its own. */
    st_bag *a = st_bag_new();
    uint32_t num = 0;
    st_id eid = 0;
    st_bag_set_long(a, PR_ATTACH_METHOD, (int32_t)ATTACH_EMBEDDED_MSG);
    st_bag_set_str(a, PR_DISPLAY_NAME_W, "Inner");
    ok(st_attach_create(s, &num, mid, a, ST_FROM_SERVER) == 0, "embedded attach\n");
    st_bag_free(a);
    ok(st_attach_embedded(s, &eid, mid, num, 1) == 0, "embedded: %s\n", st_error_last());
    st_bag *eb = note_props("Inner subject", "Inner body.\r\n");
    ok(st_message_set_props(s, eid, eb, NULL, 0, ST_FROM_SERVER) == 0, "inner props\n");
    st_bag_free(eb);
    a = st_bag_new();
    st_bag_set_long(a, PR_ATTACH_METHOD, (int32_t)ATTACH_BY_VALUE);
    st_bag_set_str(a, PR_ATTACH_LONG_FILENAME_W, "inner.txt");
    st_bag_set_bin(a, PR_ATTACH_DATA_BIN, "inner attachment", 16);
    ok(st_attach_create(s, &num, eid, a, ST_FROM_SERVER) == 0, "inner attach\n");
    st_bag_free(a);

    ds_msgload *l = NULL;
    int rc = ds_msgload_open(&l, s, mid);
    ok(rc == 0, "msgload: %d %s\n", rc, st_error_last());
    if (rc) {
        st_store_close(s);
        return;
    }
    const cv_message *m = ds_msgload_message(l);
    ok(m->n_recipients == 1 && m->n_attachments == 2, "%zu recipients, %zu attachments\n",
       m->n_recipients, m->n_attachments);
    const st_value *bv = st_bag_get(m->props, PR_BODY_W);
    ok(bv && bv->v.str && strcmp(bv->v.str, text) == 0, "streamed body read back\n");
    const cv_attachment *big = &m->attachments[0], *emb = &m->attachments[1];
    ok(big->data_id && big->data_size == LEN && !st_bag_get(big->props, PR_ATTACH_DATA_BIN),
       "streamed attachment: id %llu size %llu\n", (unsigned long long)big->data_id,
       (unsigned long long)big->data_size);
    ok(emb->embedded && emb->embedded->n_attachments == 1, "embedded message loaded\n");
    /* The source in odd slices, also jumping back. */
    unsigned char *want = pattern(LEN, 5), *got = malloc(LEN);
    const cv_source *src = ds_msgload_source(l);
    size_t have = 0, n = 0;
    while (have < LEN && src->read(src->ctx, big->data_id, have, got + have, 7777, &n) == 0 && n)
        have += n;
    ok(have == LEN && memcmp(got, want, LEN) == 0, "source read %zu bytes\n", have);
    ok(src->read(src->ctx, big->data_id, 1000, got, 10, &n) == 0 && n == 10 &&
       memcmp(got, want + 1000, 10) == 0, "source seek back\n");
    ok(src->read(src->ctx, 99, 0, got, 10, &n) != 0, "unknown stream refused\n");

    mem out = { 0 };
    cv_mime_writer w = { mem_write, &out };
    ok(ds_msgload_build(l, NULL, &w) == 0, "build: %s\n", st_error_last());
    cv_message *back = NULL;
    rc = cv_mime_parse(&back, out.p, out.len, NULL, NULL);
    ok(rc == 0 && back, "parse back: %d\n", rc);
    if (back) {
        const st_value *sv = st_bag_get(back->props, PR_SUBJECT_W);
        ok(sv && strcmp(sv->v.str, "Loader test") == 0, "subject back\n");
        ok(back->n_attachments == 2, "attachments back %zu\n", back->n_attachments);
        const st_value *d = back->n_attachments ? st_bag_get(back->attachments[0].props,
                                                             PR_ATTACH_DATA_BIN) : NULL;
        ok(d && d->v.bin.len == LEN && memcmp(d->v.bin.data, want, LEN) == 0,
           "attachment bytes back\n");
        ok(back->n_attachments == 2 && back->attachments[1].embedded, "embedded back\n");
    }
    ok(out.p && strstr(out.p, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"),
       "body in the MIME\n");
    cv_message_free(back);
    free(text);
    free(out.p);
    free(want);
    free(got);
    ds_msgload_free(l);
    ok(ds_msgload_open(&l, s, 987654) != 0 && !l, "unknown message refused\n");
    st_store_close(s);
    tsu_cleanup();
}

/* ---- 2-5 against Apache -------------------------------------------------------- */

struct stopper {
    int after;          /* abort once this many entries are settled */
    int fired;
};

static void stop_progress(void *arg, const ds_sync_progress *p)
{
    struct stopper *st = arg;
    if (strcmp(p->phase, "up") == 0 && p->done >= (uint64_t)st->after && !st->fired) {
        st->fired = 1;
        ds_http_abort(h);
    }
}

static int run_up_stopping(const char *root, const char *store, ds_sync_counts *c,
                           struct stopper *st)
{
    ds_sync *sy = NULL;
    ds_sync_config cfg = { .mail_url = root, .store_path = store, .http = h,
                           .progress = st ? stop_progress : NULL, .progress_arg = st };
    memset(c, 0, sizeof *c);
    int rc = ds_sync_open(&sy, &cfg);
    if (!rc)
        rc = ds_sync_up(sy, c);
    ds_sync_close(sy);
    return rc;
}

static int run_up(const char *root, const char *store, ds_sync_counts *c)
{
    return run_up_stopping(root, store, c, NULL);
}

static int run_down(const char *root, const char *store, ds_sync_counts *c)
{
    ds_sync_config cfg = { .mail_url = root, .store_path = store, .http = h };
    return ds_sync_once(c, &cfg);
}

/* A down-sync that finds nothing to do. */
static void down_unchanged(const char *root, const char *store, const char *what)
{
    ds_sync_counts c;
    int rc = run_down(root, store, &c);
    ok(rc == 0 && !c.new_items && !c.changed && !c.deleted && !c.flags && !c.gets,
       "down %s: %d new %llu changed %llu deleted %llu flags %llu gets %llu\n", what, rc,
       (unsigned long long)c.new_items, (unsigned long long)c.changed,
       (unsigned long long)c.deleted, (unsigned long long)c.flags, (unsigned long long)c.gets);
}

/* Xandikos: ETags in PUT answers, no MOVE (a move is an upload and a
 * DELETE; a delete cannot go to Trash), no dead properties. */
static void test_xandikos(const char *xurl, const char *dir)
{
    char *top = cat(xurl, "user/mail/");
    static const char *const colls[] = { "", "Inbox/", "Archive/", "Trash/" };
    for (size_t i = 0; i < sizeof colls / sizeof colls[0]; i++) {
        char *u = cat(top, colls[i]);
        ok(call(DS_HTTP_MKCOL, u, NULL, NULL, NULL) == 201, "MKCOL %s\n", u);
        free(u);
    }
    char *u_m[4];
    for (int i = 1; i <= 3; i++) {
        char name[32], msg[256];
        snprintf(name, sizeof name, "Inbox/m%d.eml", i);
        u_m[i] = cat(top, name);
        snprintf(msg, sizeof msg, "From: Alice <alice@example.com>\r\nSubject: X%d\r\n"
                 "Content-Type: text/plain\r\n\r\nXandikos %d.\r\n", i, i);
        ok(call(DS_HTTP_PUT, u_m[i], msg, NULL, NULL) == 201, "PUT %s\n", u_m[i]);
    }
    char *store = cat(dir, "/xandikos.sqlite");
    ds_sync_counts c;
    int rc = run_down(top, store, &c);
    ok(rc == 0 && c.new_items == 3, "xandikos down: %d %llu %s\n", rc,
       (unsigned long long)c.new_items, st_error_last());
    st_store *s = NULL;
    if (st_store_open(&s, store, NULL, 0) != 0) {
        ok(0, "open: %s\n", st_error_last());
        free(store);
        free(top);
        return;
    }
    st_id rootf = 0;
    st_folder_root(s, &rootf);
    st_id ipm = dav_folder_named(s, rootf, "Top of Information Store");
    st_id inbox = dav_folder_named(s, ipm, "Inbox"), archive = dav_folder_named(s, ipm, "Archive");
    st_id m[4];
    for (int i = 1; i <= 3; i++)
        m[i] = by_href(s, u_m[i]);
    st_id fresh = new_message(s, inbox, "New on Xandikos", 0, 0, 0);
    ok(st_message_move(s, m[1], archive, 0) == 0, "move m1\n");
    ok(st_message_delete(s, m[2], 0) == 0, "delete m2\n");
    set_subject(s, m[3], "X3 changed");
    ok(st_message_set_read(s, fresh, 1, 0) == 0, "read\n");
    rc = run_up(top, store, &c);
    ok(rc == 0 && c.up_done == 4 && c.up_conflicts == 0 && c.up_refused == 0,
       "xandikos up: %d done %llu conflicts %llu refused %llu %s\n", rc,
       (unsigned long long)c.up_done, (unsigned long long)c.up_conflicts,
       (unsigned long long)c.up_refused, st_error_last());
    char *href = href_of(s, fresh), *body = NULL;
    ok(href && call(DS_HTTP_GET, href, NULL, NULL, &body) == 200 && body &&
       strstr(body, "New on Xandikos"), "new item there\n");
    free(body);
    free(href);
    href = href_of(s, m[1]);
    char *arch = cat(top, "Archive/");
    ok(call(DS_HTTP_GET, u_m[1], NULL, NULL, NULL) == 404 && href &&
       strncmp(href, arch, strlen(arch)) == 0 && call(DS_HTTP_GET, href, NULL, NULL, NULL) == 200,
       "m1 moved by upload + delete: %s\n", href ? href : "-");
    free(arch);
    free(href);
    ok(call(DS_HTTP_GET, u_m[2], NULL, NULL, NULL) == 404, "m2 deleted\n");
    body = NULL;
    ok(call(DS_HTTP_GET, u_m[3], NULL, NULL, &body) == 200 && body && strstr(body, "X3 changed"),
       "m3 changed\n");
    free(body);
    /* ETags came with the PUT answers: the down-sync fetches nothing. */
    down_unchanged(top, store, "xandikos after up");
    st_store_close(s);
    for (int i = 1; i <= 3; i++)
        free(u_m[i]);
    free(store);
    free(top);
}

int main(void)
{
    const char *base = test_env("MAPIDAV_TEST_APACHE_URL");
#ifndef _WIN32
    const char *aroot = test_env("MAPIDAV_TEST_APACHE_ROOT");   /* chmod of a collection */
#endif
    const char *dir = test_env("MAPIDAV_TEST_FIXTURE_DIR");
    user = test_env("MAPIDAV_TEST_USER");
    pass = test_env("MAPIDAV_TEST_PASSWORD");
    char *logpath = cat(dir, "/up.log");
    st_log_open_file(logpath, 0, 0);
    st_log_configure("davsync=info");
    h = dav_client(user, pass, 4);   /* quick retries: the 500s below cost little */

    test_msgload();
    const char *xurl = getenv("MAPIDAV_TEST_XANDIKOS_URL");
    if (xurl && *xurl)
        test_xandikos(xurl, dir);

    /* ---- 2. a tree down, changes up ---- */
    char *top = cat(base, "up/");
    char *root = cat(top, "user/");
    call(DS_HTTP_MKCOL, top, NULL, NULL, NULL);
    call(DS_HTTP_MKCOL, root, NULL, NULL, NULL);
    static const char *const colls[] = { "Inbox/", "Sent%20Items/", "Deleted%20Items/", "Archive/",
                                         "ToRename/", "ToDelete/", "Gone/", "Locked/" };
    for (size_t i = 0; i < sizeof colls / sizeof colls[0]; i++) {
        char *u = cat(root, colls[i]);
        ok(call(DS_HTTP_MKCOL, u, NULL, NULL, NULL) == 201, "MKCOL %s\n", u);
        free(u);
    }
    static const char *const items[] = { "Inbox/a1.eml", "Inbox/a2.eml", "Inbox/a3.eml",
                                         "Inbox/a4.eml", "Inbox/a5.eml", "Inbox/a6.eml",
                                         "Inbox/a7.eml",
                                         "ToRename/r1.eml", "ToRename/r2.eml",
                                         "ToDelete/t1.eml" };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        char msg[512], *u = cat(root, items[i]);
        snprintf(msg, sizeof msg, "From: Alice <alice@example.com>\r\nTo: Bob <bob@example.com>\r\n"
                 "Subject: Item %s\r\nMessage-ID: <item%zu@example.com>\r\n"
                 "Content-Type: text/plain\r\n\r\nServer body of %s.\r\n", items[i], i, items[i]);
        ok(call(DS_HTTP_PUT, u, msg, NULL, NULL) == 201, "PUT %s\n", u);
        free(u);
    }
    char *store = cat(dir, "/up.sqlite");
    ds_sync_counts c;
    int rc = run_down(root, store, &c);
    ok(rc == 0 && c.new_items == 10, "down: %d new %llu %s\n", rc, (unsigned long long)c.new_items,
       st_error_last());

    st_store *s = NULL;
    if (st_store_open(&s, store, NULL, 0) != 0)
        test_fatal("open: %s\n", st_error_last());
    st_id rootf = 0;
    st_folder_root(s, &rootf);
    st_id ipm = dav_folder_named(s, rootf, "Top of Information Store");
    st_id inbox = dav_folder_named(s, ipm, "Inbox"), archive = dav_folder_named(s, ipm, "Archive");
    st_id trash = dav_folder_named(s, ipm, "Deleted Items"), torename = dav_folder_named(s, ipm, "ToRename");
    st_id todelete = dav_folder_named(s, ipm, "ToDelete");
    char *u_a[8];
    st_id a[8];
    for (int i = 1; i <= 7; i++) {
        char name[32];
        snprintf(name, sizeof name, "Inbox/a%d.eml", i);
        u_a[i] = cat(root, name);
        a[i] = by_href(s, u_a[i]);
    }
    char *u_r1 = cat(root, "ToRename/r1.eml");
    st_id r1 = by_href(s, u_r1);
    char *u_r2 = cat(root, "ToRename/r2.eml");
    st_id r2 = by_href(s, u_r2);

    /* Local changes, as the provider makes them. */
    enum { BIGLEN = 200000 };
    st_id fresh = new_message(s, inbox, "Local new", BIGLEN, 9, 0);
    enum { HUGELEN = 3000000 };   /* its MIME passes the spool's 1 MiB in memory */
    st_id huge = new_message(s, archive, "Local huge", HUGELEN, 11, 0);
    set_subject(s, a[1], "a1 changed locally");
    st_bag *b;
    ok(st_message_set_read(s, a[2], 1, 0) == 0, "read a2\n");
    b = st_bag_new();
    st_bag_set_long(b, PR_FLAG_STATUS, 2);
    ok(st_message_set_props(s, a[3], b, NULL, 0, 0) == 0, "flag a3\n");
    st_bag_free(b);
    ok(st_message_move(s, a[4], archive, 0) == 0, "move a4\n");
    ok(st_message_delete(s, a[5], 0) == 0, "delete a5\n");
    ok(st_message_delete(s, a[7], ST_HARD_DELETE) == 0, "hard delete a7\n");
    st_id newf = new_folder(s, ipm, "New Folder \xC3\xA4");
    st_id outbox = new_folder(s, ipm, "Outbox");
    /* A folder made locally without a journal entry (the provider's default
     * folders before the first sync): its collection is made on demand. */
    st_id drafts = tsu_folder(s, ipm, "Drafts", ST_FROM_SERVER);
    st_id draft = new_message(s, drafts, "A draft", 0, 0, 0);
    st_id innew = new_message(s, newf, "In the new folder", 0, 0, 0);
    st_id hidden = new_message(s, inbox, "A view (associated)", 0, 0, ST_ASSOCIATED);
    st_id queued = new_message(s, outbox, "Waiting to be sent", 0, 0, 0);
    ok(st_folder_move(s, torename, ipm, "Renamed", 0) == 0, "rename folder\n");
    ok(st_message_delete(s, r2, 0) == 0, "delete r2 after the rename\n");
    ok(st_folder_delete(s, todelete, ST_RECURSIVE) == 0, "delete folder\n");
    ok(njournal(s, ST_JSTATE_PENDING) >= 11, "journal %zu\n", njournal(s, ST_JSTATE_PENDING));
    {
        st_journal_folder_count *fc = NULL;
        size_t nf = 0, sum = 0;
        uint64_t inbox_bytes = 0;
        ok(st_journal_by_folder(s, &fc, &nf) == 0, "by folder: %s\n", st_error_last());
        for (size_t i = 0; i < nf; i++) {
            sum += fc[i].pending;
            if (fc[i].folder == inbox)
                inbox_bytes = fc[i].bytes;
        }
        ok(sum == njournal(s, ST_JSTATE_PENDING) && inbox_bytes > BIGLEN,
           "pending per folder: %zu, Inbox %llu bytes\n", sum, (unsigned long long)inbox_bytes);
        free(fc);
    }

    rc = run_up(root, store, &c);
    ok(rc == 0, "up: %d %s\n", rc, st_error_last());
    ok(c.up_done >= 11 && c.up_conflicts == 0 && c.up_refused == 0,
       "up: done %llu conflicts %llu refused %llu\n", (unsigned long long)c.up_done,
       (unsigned long long)c.up_conflicts, (unsigned long long)c.up_refused);
    ok(c.up_bytes > BIGLEN + HUGELEN, "up bytes %llu\n", (unsigned long long)c.up_bytes);
    ok(njournal(s, ST_JSTATE_PENDING) == 0 && njournal(s, ST_JSTATE_REFUSED) == 0 &&
       njournal(s, ST_JSTATE_TAKEN) == 0, "journal empty\n");

    /* The server's side. */
    char *href = href_of(s, fresh), *body = NULL;
    ok(href && strncmp(href, u_a[1], strlen(root) + 6) == 0, "new item href %s\n", href ? href : "-");
    ok(href && call(DS_HTTP_GET, href, NULL, NULL, &body) == 200, "GET new item\n");
    cv_message *m = NULL;
    if (body)
        cv_mime_parse(&m, body, strlen(body), NULL, NULL);
    unsigned char *want = pattern(BIGLEN, 9);
    const st_value *d = m && m->n_attachments ? st_bag_get(m->attachments[0].props,
                                                           PR_ATTACH_DATA_BIN) : NULL;
    ok(d && d->v.bin.len == BIGLEN && memcmp(d->v.bin.data, want, BIGLEN) == 0,
       "new item's attachment on the server\n");
    ok(body && strstr(body, "Subject: Local new") && strstr(body, "bob@example.com"),
       "new item's headers\n");
    cv_message_free(m);
    free(want);
    free(body);
    free(href);
    href = href_of(s, huge);
    body = NULL;
    ok(href && call(DS_HTTP_GET, href, NULL, NULL, &body) == 200 && body, "GET huge\n");
    m = NULL;
    if (body)
        cv_mime_parse(&m, body, strlen(body), NULL, NULL);
    want = pattern(HUGELEN, 11);
    d = m && m->n_attachments ? st_bag_get(m->attachments[0].props, PR_ATTACH_DATA_BIN) : NULL;
    ok(d && d->v.bin.len == HUGELEN && memcmp(d->v.bin.data, want, HUGELEN) == 0,
       "huge attachment on the server\n");
    cv_message_free(m);
    free(want);
    free(body);
    free(href);
    {
        char spool[1200];
        uint64_t sz = 0;
        snprintf(spool, sizeof spool, "%s.up-%llu-1", store, (unsigned long long)st_os_pid());
        ok(st_os_path_size(&sz, spool) != 0, "spool file %s removed\n", spool);
    }
    ok(call(DS_HTTP_GET, u_a[1], NULL, NULL, &body) == 200 && body &&
       strstr(body, "a1 changed locally"), "a1 modified on the server\n");
    free(body);
    ok(strcmp(dead_prop(u_a[2], DS_NS_HTTPMAIL, "read", "0", NULL), "1") == 0, "a2 read there\n");
    ok(strcmp(dead_prop(u_a[3], DS_NS_MAPI_PROPTAG, "x10900003", "0", NULL), "2") == 0,
       "a3 flagged there\n");
    char *u = cat(root, "Archive/a4.eml");
    ok(call(DS_HTTP_HEAD, u_a[4], NULL, NULL, NULL) == 404 && call(DS_HTTP_HEAD, u, NULL, NULL, NULL) == 200,
       "a4 moved to Archive\n");
    href = href_of(s, a[4]);
    ok(href && strcmp(href, u) == 0, "a4 href %s\n", href ? href : "-");
    free(href);
    free(u);
    u = cat(root, "Deleted%20Items/a5.eml");
    ok(call(DS_HTTP_HEAD, u_a[5], NULL, NULL, NULL) == 404 && call(DS_HTTP_HEAD, u, NULL, NULL, NULL) == 200,
       "a5 moved to Deleted Items\n");
    free(u);
    u = cat(root, "Deleted%20Items/a7.eml");
    ok(call(DS_HTTP_HEAD, u_a[7], NULL, NULL, NULL) == 404 && call(DS_HTTP_HEAD, u, NULL, NULL, NULL) == 404,
       "a7 deleted for good\n");
    free(u);
    u = cat(root, "Deleted%20Items/r2.eml");
    ok(call(DS_HTTP_HEAD, u, NULL, NULL, NULL) == 200, "r2 moved to Deleted Items from the renamed folder\n");
    free(u);
    check_in(s, innew, root, "New%20Folder%20%C3%A4/");
    u = cat(root, "Renamed/r1.eml");
    href = href_of(s, r1);
    ok(call(DS_HTTP_HEAD, u, NULL, NULL, NULL) == 200 && href && strcmp(href, u) == 0,
       "folder renamed, r1 at %s\n", href ? href : "-");
    free(href);
    free(u);
    u = cat(root, "ToDelete/");
    ok(call(DS_HTTP_PROPFIND, u, NULL, "0", NULL) == 404, "folder deleted\n");
    free(u);
    u = cat(root, "Outbox/");
    href = href_of(s, queued);
    ok(call(DS_HTTP_PROPFIND, u, NULL, "0", NULL) == 404 && !href, "Outbox stays local\n");
    free(href);
    free(u);
    href = href_of(s, hidden);
    ok(!href, "associated message stays local\n");
    free(href);
    check_in(s, draft, root, "Drafts/");   /* in a collection made for it */

    /* Changed again at once: its ETag is most likely still weak (Apache's
     * first second), so it is read again until strong, never sent weak. */
    {
        char *fe = NULL, *fh = NULL;
        st_message_server_get(s, fresh, &fh, &fe);
        int weak = fe && ds_etag_is_weak(fe);
        set_subject(s, fresh, "Local new, changed at once");
        rc = run_up(root, store, &c);
        ok(rc == 0 && c.up_done == 1 && c.up_conflicts == 0, "change after upload (weak ETag: %d):"
           " %d %llu %llu\n", weak, rc, (unsigned long long)c.up_done,
           (unsigned long long)c.up_conflicts);
        body = NULL;
        ok(fh && call(DS_HTTP_GET, fh, NULL, NULL, &body) == 200 && body &&
           strstr(body, "changed at once"), "changed at once on the server\n");
        free(body);
        free(fe);
        free(fh);
    }

    /* Down again: only a5 and r2 come, into Deleted Items; then nothing. */
    rc = run_down(root, store, &c);
    ok(rc == 0 && c.new_items == 2 && c.changed == 0 && c.deleted == 0 && c.flags == 0 &&
       c.folders_created == 0 && c.folders_deleted == 0,
       "down after up: %d new %llu changed %llu deleted %llu flags %llu folders +%llu -%llu\n", rc,
       (unsigned long long)c.new_items, (unsigned long long)c.changed,
       (unsigned long long)c.deleted, (unsigned long long)c.flags,
       (unsigned long long)c.folders_created, (unsigned long long)c.folders_deleted);
    ok(nmsgs(s, trash) == 2, "a5, r2 in Deleted Items: %zu\n", nmsgs(s, trash));
    down_unchanged(root, store, "the second time");
    ok(njournal(s, ST_JSTATE_PENDING) == 0, "journal still empty\n");

    /* ---- 3. conflict ---- */
    {
        const char *other = "From: Carol <carol@example.com>\r\nSubject: a6 by the second client\r\n"
                            "Content-Type: text/plain\r\n\r\nChanged elsewhere, and longer.\r\n";
        ok(call(DS_HTTP_PUT, u_a[6], other, NULL, NULL) == 204, "second client PUT\n");
        set_subject(s, a[6], "a6 changed here too");
        rc = run_up(root, store, &c);
        ok(rc == 0 && c.up_conflicts == 1 && c.up_refused == 0, "conflict: %d %llu %llu %s\n", rc,
           (unsigned long long)c.up_conflicts, (unsigned long long)c.up_refused, st_error_last());
        ok(call(DS_HTTP_GET, u_a[6], NULL, NULL, &body) == 200 && body &&
           strstr(body, "second client"), "server kept its version\n");
        free(body);
        st_id issues = dav_folder_named(s, ipm, "Sync Issues");
        st_id conflicts = dav_folder_named(s, issues, "Conflicts");
        st_id *ids = NULL;
        size_t n = 0;
        char subj[256];
        st_message_list(s, &ids, &n, conflicts, 0);
        ok(n == 1 && strcmp(subject_of(s, ids[0], subj, sizeof subj), "a6 changed here too") == 0,
           "our version in Conflicts: %zu\n", n);
        free(ids);
        st_message_list(s, &ids, &n, issues, 0);
        ok(n == 1 && strstr(subject_of(s, ids[0], subj, sizeof subj), "conflict"),
           "a note in Sync Issues: %zu %s\n", n, n ? subj : "");
        free(ids);
        ok(njournal(s, ST_JSTATE_PENDING) == 0, "conflict settled\n");
        rc = run_down(root, store, &c);
        ok(rc == 0 && c.changed == 1 && c.new_items == 0, "down: changed %llu new %llu\n",
           (unsigned long long)c.changed, (unsigned long long)c.new_items);
        ok(strcmp(subject_of(s, a[6], subj, sizeof subj), "a6 by the second client") == 0,
           "server version in place: %s\n", subj);
        {
            ds_sync *sy = NULL;
            ds_sync_config cfg = { .mail_url = root, .store_path = store, .http = h };
            st_id f[4] = { 0 };
            ok(ds_sync_open(&sy, &cfg) == 0 && ds_sync_issue_folders(sy, f) == 0 &&
               f[0] == issues && f[1] == conflicts && f[2] == dav_folder_named(s, issues, "Local Failures") &&
               f[3] == dav_folder_named(s, issues, "Server Failures"), "issue folders %llu %llu %llu %llu\n",
               (unsigned long long)f[0], (unsigned long long)f[1], (unsigned long long)f[2],
               (unsigned long long)f[3]);
            ds_sync_close(sy);
        }
        /* Sync Issues never goes up. */
        u = cat(root, "Sync%20Issues/");
        ok(call(DS_HTTP_PROPFIND, u, NULL, "0", NULL) == 404, "Sync Issues stays local\n");
        free(u);
    }

    /* ---- 3b. changed here, deleted there: ours goes up as a new item ---- */
    {
        ok(call(DS_HTTP_DELETE, u_a[2], NULL, NULL, NULL) == 204, "second client deletes a2\n");
        set_subject(s, a[2], "a2 changed after its deletion");
        rc = run_up(root, store, &c);
        href = href_of(s, a[2]);
        body = NULL;
        ok(rc == 0 && c.up_done == 1 && c.up_conflicts == 1 && href && strcmp(href, u_a[2]) != 0 &&
           call(DS_HTTP_GET, href, NULL, NULL, &body) == 200 && body &&
           strstr(body, "a2 changed after"), "a2 uploaded again as %s\n", href ? href : "-");
        free(body);
        free(href);
    }

    /* ---- 4. a server error stops the run; refusals are kept ---- */
#ifndef _WIN32
    {
        /* Apache answers 500 to a PUT into a folder it may not write. */
        st_id locked = dav_folder_named(s, ipm, "Locked");
        char *ldir = cat(aroot, "/up/user/Locked");
        ok(chmod(ldir, 0555) == 0, "chmod %s\n", ldir);
        st_id waiting = new_message(s, locked, "Waits for the server", 0, 0, 0);
        rc = run_up(root, store, &c);
        ok(rc == DS_EHTTP && c.up_done == 0 && c.up_refused == 0, "500 stops: %d %s\n", rc,
           st_error_last());
        ok(njournal(s, ST_JSTATE_PENDING) == 1 && njournal(s, ST_JSTATE_TAKEN) == 0,
           "entry pending again\n");
        chmod(ldir, 0755);
        free(ldir);
        rc = run_up(root, store, &c);
        href = href_of(s, waiting);
        ok(rc == 0 && c.up_done == 1 && href, "uploaded once the server can: %d\n", rc);
        free(href);

        /* A collection deleted by the second client: 409 for what goes in. */
        st_id gone = dav_folder_named(s, ipm, "Gone");
        u = cat(root, "Gone/");
        ok(call(DS_HTTP_DELETE, u, NULL, NULL, NULL) == 204, "second client deletes Gone/\n");
        free(u);
        st_id refused = new_message(s, gone, "Cannot go up", 0, 0, 0);
        st_id subf = new_folder(s, gone, "Sub");
        new_message(s, subf, "Below a missing folder", 0, 0, 0);
        rc = run_up(root, store, &c);
        ok(rc == 0 && c.up_refused == 3 && c.up_conflicts == 0, "refusals: %d %llu %s\n", rc,
           (unsigned long long)c.up_refused, st_error_last());
        st_journal_entry *e = NULL;
        size_t n = 0;
        st_journal_list(s, &e, &n);
        int all = n == 3;
        for (size_t i = 0; i < n; i++)
            all &= e[i].state == ST_JSTATE_REFUSED && e[i].reason && *e[i].reason;
        ok(all, "three refused entries with reasons: %zu %s\n", n, n ? e[0].reason : "");
        st_journal_entries_free(e, n);
        st_id failures = dav_folder_named(s, dav_folder_named(s, ipm, "Sync Issues"), "Local Failures");
        ok(nmsgs(s, failures) == 2, "copies in Local Failures: %zu\n", nmsgs(s, failures));
        ok(nmsgs(s, gone) == 1 && nmsgs(s, subf) == 1, "the refused items stay\n");
        char *rh = href_of(s, refused);
        ok(!rh, "never uploaded\n");
        free(rh);
        /* A refused entry is not retried on its own, nor lost. */
        rc = run_up(root, store, &c);
        ok(rc == 0 && c.up_done == 0 && c.up_refused == 0 && njournal(s, ST_JSTATE_REFUSED) == 3,
           "refused entries kept: %llu %zu\n", (unsigned long long)c.up_done,
           njournal(s, ST_JSTATE_REFUSED));

        /* The same server error in three runs in a row of one ds_sync: that
         * entry is refused, so it no longer holds back what follows it. */
        ldir = cat(aroot, "/up/user/Locked");
        ok(chmod(ldir, 0555) == 0, "chmod again\n");
        st_id stuck = new_message(s, dav_folder_named(s, ipm, "Locked"), "Stuck", 0, 0, 0);
        st_id after = new_message(s, inbox, "Behind the stuck one", 0, 0, 0);
        ds_sync *sy = NULL;
        ds_sync_config cfg = { .mail_url = root, .store_path = store, .http = h };
        ok(ds_sync_open(&sy, &cfg) == 0, "open\n");
        int rcs[3];
        for (int k = 0; k < 3; k++) {
            memset(&c, 0, sizeof c);
            rcs[k] = ds_sync_up(sy, &c);
        }
        ds_sync_close(sy);
        chmod(ldir, 0755);
        free(ldir);
        char *ah = href_of(s, after);
        ok(rcs[0] == DS_EHTTP && rcs[1] == DS_EHTTP && rcs[2] == 0 && c.up_refused == 1 && ah &&
           njournal(s, ST_JSTATE_PENDING) == 0, "stuck: %d %d %d, refused %llu\n", rcs[0],
           rcs[1], rcs[2], (unsigned long long)c.up_refused);
        free(ah);
        ah = href_of(s, stuck);
        ok(!ah && njournal(s, ST_JSTATE_REFUSED) == 4, "stuck entry refused, kept: %zu\n",
           njournal(s, ST_JSTATE_REFUSED));
        free(ah);
    }
#endif

    /* ---- 4b. cancelled in the middle: nothing twice, nothing lost ---- */
    {
        enum { NCANCEL = 60 };
        st_id cf = new_folder(s, ipm, "Cancelled");
        for (int i = 0; i < NCANCEL; i++)
            new_message(s, cf, "Cancel me", 0, 0, 0);
        size_t refused0 = njournal(s, ST_JSTATE_REFUSED);
        struct stopper st = { .after = 20 };
        rc = run_up_stopping(root, store, &c, &st);
        ok(rc == DS_ECANCELLED && st.fired, "cancelled: %d\n", rc);
        ok(njournal(s, ST_JSTATE_TAKEN) == 0 &&
           njournal(s, ST_JSTATE_PENDING) + c.up_done == NCANCEL + 1 && c.up_done >= 20,
           "done %llu + pending %zu\n", (unsigned long long)c.up_done, njournal(s, ST_JSTATE_PENDING));
        rc = run_up(root, store, &c);
        ok(rc == 0 && njournal(s, ST_JSTATE_PENDING) == 0 && njournal(s, ST_JSTATE_REFUSED) == refused0,
           "the rest after the cancel: %d %llu\n", rc, (unsigned long long)c.up_done);
        size_t members = 0;
        u = cat(root, "Cancelled/");
        dead_prop(u, DS_NS_DAV, "getetag", "1", &members);
        ok(members == NCANCEL + 1, "no duplicates: %zu members\n", members);
        free(u);
        /* Items whose ETag the cancel cut off are read again, in place. */
        rc = run_down(root, store, &c);
        ok(rc == 0 && c.new_items == 0 && c.deleted == 0 && c.changed <= 12,
           "down after the cancel: new %llu changed %llu deleted %llu\n",
           (unsigned long long)c.new_items, (unsigned long long)c.changed,
           (unsigned long long)c.deleted);
        ok(nmsgs(s, cf) == NCANCEL, "local %zu\n", nmsgs(s, cf));
    }

    /* ---- 4c. a wrong password stops the run at once, nothing changes ---- */
    {
        ds_http *bad = NULL;
        ds_http_config bc = { .user = user, .password = "wrong", .max_connections = 2,
                              .proxy = "" };
        ok(ds_http_new(&bad, &bc) == 0, "client\n");
        st_id w = new_message(s, inbox, "Waits for the password", 0, 0, 0);
        size_t pending = njournal(s, ST_JSTATE_PENDING);
        ds_sync *sy = NULL;
        ds_sync_config cfg = { .mail_url = root, .store_path = store, .http = bad };
        memset(&c, 0, sizeof c);
        rc = ds_sync_open(&sy, &cfg);
        if (!rc)
            rc = ds_sync_up(sy, &c);
        ds_sync_close(sy);
        ds_http_free(bad);
        char *wh = href_of(s, w);
        ok(rc == DS_EAUTH && c.up_done == 0 && c.up_refused == 0 && !wh &&
           njournal(s, ST_JSTATE_PENDING) == pending && njournal(s, ST_JSTATE_TAKEN) == 0,
           "401: %d, %zu pending\n", rc, njournal(s, ST_JSTATE_PENDING));
        free(wh);
        rc = run_up(root, store, &c);
        ok(rc == 0 && c.up_done == pending, "then with the right one: %d %llu\n", rc,
           (unsigned long long)c.up_done);
    }

    /* ---- 5. 2,000 local new messages ---- */
    {
        enum { NBULK = 2000 };
        st_id bulk = new_folder(s, ipm, "Bulk");
        char text[4096];
        memset(text, 'x', sizeof text - 1);
        text[sizeof text - 1] = 0;
        for (size_t i = 0; i + 60 < sizeof text; i += 61)
            text[i + 60] = '\n';
        st_store_begin(s);
        for (int i = 0; i < NBULK; i++) {
            char subj[64];
            snprintf(subj, sizeof subj, "Bulk %d", i);
            st_bag *nb = note_props(subj, text);
            st_id mid = 0;
            st_message_create(s, &mid, bulk, nb, 0);
            st_bag_free(nb);
        }
        ok(st_store_commit(s) == 0, "bulk created\n");
        size_t before_refused = njournal(s, ST_JSTATE_REFUSED);
        uint64_t t0 = st_os_time_ms();
        rc = run_up(root, store, &c);
        uint64_t ms = st_os_time_ms() - t0;
        ok(rc == 0 && c.up_done == NBULK + 1 && c.up_refused == 0, "bulk up: %d %llu %s\n", rc,
           (unsigned long long)c.up_done, st_error_last());
        printf("upload msgs/s: %.0f (%d messages of ~4 KB in %llu ms, PUT + HEAD each)\n",
               ms ? NBULK * 1000.0 / (double)ms : 0.0, NBULK, (unsigned long long)ms);
        size_t members = 0;
        u = cat(root, "Bulk/");
        dead_prop(u, DS_NS_DAV, "getetag", "1", &members);
        ok(members == NBULK + 1, "server has %zu members\n", members);
        free(u);
        ok(njournal(s, ST_JSTATE_PENDING) == 0 && njournal(s, ST_JSTATE_REFUSED) == before_refused,
           "journal after bulk\n");
        down_unchanged(root, store, "after the bulk upload");
        /* All marked read: PROPPATCHes in parallel. */
        st_id *ids = NULL;
        size_t nb = 0;
        st_message_list(s, &ids, &nb, bulk, 0);
        st_store_begin(s);
        for (size_t i = 0; i < nb; i++)
            st_message_set_read(s, ids[i], 1, 0);
        ok(st_store_commit(s) == 0 && nb == NBULK, "marked read %zu\n", nb);
        t0 = st_os_time_ms();
        rc = run_up(root, store, &c);
        ms = st_os_time_ms() - t0;
        ok(rc == 0 && c.up_done == NBULK, "read flags up: %d %llu\n", rc, (unsigned long long)c.up_done);
        printf("read flags msgs/s: %.0f (%d PROPPATCHes in %llu ms)\n",
               ms ? NBULK * 1000.0 / (double)ms : 0.0, NBULK, (unsigned long long)ms);
        href = href_of(s, ids[NBULK / 2]);
        ok(href && strcmp(dead_prop(href, DS_NS_HTTPMAIL, "read", "0", NULL), "1") == 0,
           "read on the server\n");
        free(href);
        free(ids);
        down_unchanged(root, store, "after the read flags");
        /* All flagged: a change each (PUT If-Match, HEAD, PROPPATCH), in parallel. */
        st_message_list(s, &ids, &nb, bulk, 0);
        st_bag *fb = st_bag_new();
        st_bag_set_long(fb, PR_FLAG_STATUS, 2);
        st_store_begin(s);
        for (size_t i = 0; i < nb; i++)
            st_message_set_props(s, ids[i], fb, NULL, 0, 0);
        ok(st_store_commit(s) == 0, "flagged %zu\n", nb);
        st_bag_free(fb);
        t0 = st_os_time_ms();
        rc = run_up(root, store, &c);
        ms = st_os_time_ms() - t0;
        ok(rc == 0 && c.up_done == NBULK && c.up_conflicts == 0, "changes up: %d %llu %llu\n", rc,
           (unsigned long long)c.up_done, (unsigned long long)c.up_conflicts);
        printf("change msgs/s: %.0f (%d PUT If-Match + HEAD + PROPPATCH in %llu ms)\n",
               ms ? NBULK * 1000.0 / (double)ms : 0.0, NBULK, (unsigned long long)ms);
        href = href_of(s, ids[7]);
        ok(href && strcmp(dead_prop(href, DS_NS_MAPI_PROPTAG, "x10900003", "0", NULL), "2") == 0,
           "flag status on the server\n");
        free(href);
        free(ids);
        down_unchanged(root, store, "after the changes");
        /* All moved into a new folder: MOVEs in parallel. */
        st_id moved = new_folder(s, ipm, "Bulk moved");
        st_message_list(s, &ids, &nb, bulk, 0);
        st_store_begin(s);
        for (size_t i = 0; i < nb; i++)
            st_message_move(s, ids[i], moved, 0);
        ok(st_store_commit(s) == 0, "moved %zu\n", nb);
        free(ids);
        t0 = st_os_time_ms();
        rc = run_up(root, store, &c);
        ms = st_os_time_ms() - t0;
        ok(rc == 0 && c.up_done == NBULK + 1 && c.up_refused == 0, "moves up: %d %llu\n", rc,
           (unsigned long long)c.up_done);
        printf("move msgs/s: %.0f (%d MOVE + HEAD in %llu ms)\n",
               ms ? NBULK * 1000.0 / (double)ms : 0.0, NBULK, (unsigned long long)ms);
        size_t left = 0, there = 0;
        u = cat(root, "Bulk/");
        dead_prop(u, DS_NS_DAV, "getetag", "1", &left);
        free(u);
        u = cat(root, "Bulk%20moved/");
        dead_prop(u, DS_NS_DAV, "getetag", "1", &there);
        free(u);
        ok(left == 1 && there == NBULK + 1, "server: %zu left, %zu moved\n", left, there);
        down_unchanged(root, store, "after the moves");
    }

    st_store_close(s);
    for (int i = 1; i <= 7; i++)
        free(u_a[i]);
    free(u_r1);
    free(u_r2);
    free(store);
    free(root);
    free(top);
    free(logpath);
    ds_http_free(h);
    return test_done();
}
