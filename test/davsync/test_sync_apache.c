/*
 * test_sync_apache.c: the mail down-sync (davsync/sync.h) against the real
 * Apache mod_dav of test/fixtures/serve.py: a mail tree made with MKCOL and
 * PUT (plain, HTML, attachment, non-ASCII subject, embedded message, a 5 MB
 * attachment), synced into a temporary store and checked by reading the
 * store; a second sync with nothing changed sends no GET; a change, a
 * delete, an addition and a PROPPATCH of the read dead property are applied
 * exactly; a sync aborted from another thread resumes without duplicates;
 * and a throughput figure (2,000 4 KB messages, messages/s) is printed.
 * Never: a mock server; the check reads only the store's public API.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/http.h"
#include "davsync/href.h"
#include "davsync/sync.h"
#include "davsync/xml.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/storage.h"
#include "sync_testutil.h"
#include "testutil.h"

static const char *base, *user, *pass, *fixdir;

static void set_read(ds_http *h, const char *url, const char *value)
{
    ds_xml_update u = { { DS_NS_HTTPMAIL, "read" }, value };
    char *body = NULL;
    ok(ds_xml_proppatch(&body, &u, 1) == 0, "proppatch body\n");
    ds_http_result r;
    ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PROPPATCH, .url = url, .body = body,
                                           .body_len = strlen(body) }, &r);
    ok(r.code == 0 && r.status == 207, "PROPPATCH %s: %d %ld %s\n", url, r.code, r.status, r.error);
    ds_http_result_clear(&r);
    free(body);
}

/* ---- messages of several shapes -------------------------------------------- */

static char *b64(const unsigned char *data, size_t len, size_t *out_len)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t cap = (len + 2) / 3 * 4 + len / 57 * 2 + 8;
    char *o = malloc(cap), *p = o;
    size_t col = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)data[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        *p++ = tab[(v >> 18) & 63];
        *p++ = tab[(v >> 12) & 63];
        *p++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
        *p++ = i + 2 < len ? tab[v & 63] : '=';
        if ((col += 4) == 76) {
            *p++ = '\r';
            *p++ = '\n';
            col = 0;
        }
    }
    *p++ = '\r';
    *p++ = '\n';
    *p = 0;
    *out_len = (size_t)(p - o);
    return o;
}

static unsigned char *pattern(size_t len, unsigned seed)
{
    unsigned char *d = malloc(len);
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        d[i] = (unsigned char)x;
    }
    return d;
}

enum shape { PLAIN, HTML, ATTACH, UTF8SUBJ, EMBEDDED, NSHAPES };

static const char *HDR =
    "From: Alice Example <alice@example.com>\r\n"
    "To: Bob <bob@example.com>\r\n"
    "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
    "Message-ID: <%s-%d@example.com>\r\n"
    "MIME-Version: 1.0\r\n";

/* A message of shape sh, number n: *subject gets the expected subject. */
static char *make_msg(enum shape sh, int n, char *subject, size_t subject_size, size_t *len)
{
    char hdr[512], *m = malloc(16384);
    snprintf(hdr, sizeof hdr, HDR, "m", n * 10 + (int)sh);
    switch (sh) {
    case PLAIN:
        snprintf(subject, subject_size, "Plain %d", n);
        snprintf(m, 16384, "%sSubject: %s\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                 "Hello Bob, this is plain message %d.\r\n", hdr, subject, n);
        break;
    case HTML:
        snprintf(subject, subject_size, "Html %d", n);
        snprintf(m, 16384, "%sSubject: %s\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
                 "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello Bob, html %d.\r\n"
                 "--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                 "<html><body><p>Hello <b>Bob</b>, html %d.</p></body></html>\r\n--b1--\r\n",
                 hdr, subject, n, n);
        break;
    case ATTACH: {
        unsigned char *d = pattern(3000, (unsigned)n);
        size_t bl;
        char *enc = b64(d, 3000, &bl);
        snprintf(subject, subject_size, "Attach %d", n);
        snprintf(m, 16384, "%sSubject: %s\r\nContent-Type: multipart/mixed; boundary=\"b2\"\r\n\r\n"
                 "--b2\r\nContent-Type: text/plain\r\n\r\nSee the attachment %d.\r\n"
                 "--b2\r\nContent-Type: application/octet-stream; name=\"data%d.bin\"\r\n"
                 "Content-Disposition: attachment; filename=\"data%d.bin\"\r\n"
                 "Content-Transfer-Encoding: base64\r\n\r\n%s--b2--\r\n",
                 hdr, subject, n, n, n, enc);
        free(enc);
        free(d);
        break;
    }
    case UTF8SUBJ:
        /* "Grüße aus Köln N" */
        snprintf(subject, subject_size, "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln %d", n);
        snprintf(m, 16384, "%sSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln_%d?=\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                 "Sch\xC3\xB6ne Gr\xC3\xBC\xC3\x9F" "e %d.\r\n", hdr, n, n);
        break;
    default:
        snprintf(subject, subject_size, "Forward %d", n);
        snprintf(m, 16384, "%sSubject: %s\r\nContent-Type: multipart/mixed; boundary=\"b3\"\r\n\r\n"
                 "--b3\r\nContent-Type: text/plain\r\n\r\nForwarded below.\r\n"
                 "--b3\r\nContent-Type: message/rfc822\r\n\r\n"
                 "From: Carol <carol@example.com>\r\nTo: Alice <alice@example.com>\r\n"
                 "Subject: Inner %d\r\nContent-Type: text/plain\r\n\r\nInner body %d.\r\n"
                 "--b3--\r\n", hdr, subject, n, n);
        break;
    }
    *len = strlen(m);
    return m;
}

/* ---- reading the store ---------------------------------------------------- */

static const char *str_prop(const st_bag *b, uint32_t tag)
{
    const st_value *v = st_bag_get(b, tag);
    return v && PROP_TYPE(v->tag) == PROP_TYPE(tag) ? v->v.str : NULL;
}

/* Checks the message at url has subject, sender and nattach attachments. */
static st_id check_msg(st_store *s, const char *url, const char *subject, size_t nattach,
                       const char *body_part)
{
    st_id mid = 0;
    char *norm = NULL;
    ds_href_normalize(&norm, url);
    int rc = st_message_find_by_href(s, &mid, norm);
    ok(rc == 0, "find %s: %d %s\n", norm, rc, st_error_last());
    free(norm);
    if (rc)
        return 0;
    st_bag *b = NULL;
    ok(st_message_get(s, &b, mid) == 0, "get %s\n", url);
    const char *subj = str_prop(b, PR_SUBJECT_W), *from = str_prop(b, PR_SENDER_EMAIL_ADDRESS_W);
    const char *body = str_prop(b, PR_BODY_W);
    ok(subj && strcmp(subj, subject) == 0, "%s: subject %s, want %s\n", url, subj ? subj : "-", subject);
    ok(from && strcmp(from, "alice@example.com") == 0, "%s: sender %s\n", url, from ? from : "-");
    if (body_part)
        ok(body && strstr(body, body_part), "%s: body %s\n", url, body ? body : "-");
    st_bag_free(b);
    uint32_t *nums = NULL;
    size_t n = 0;
    st_attach_list(s, &nums, &n, mid);
    ok(n == nattach, "%s: %zu attachments, want %zu\n", url, n, nattach);
    free(nums);
    return mid;
}

static int is_read(st_store *s, st_id mid)
{
    st_bag *b = NULL;
    if (st_message_get(s, &b, mid) != 0)
        return -1;
    const st_value *v = st_bag_get(b, PR_MESSAGE_FLAGS);
    int r = v && (v->v.l & (int32_t)MSGFLAG_READ) ? 1 : 0;
    st_bag_free(b);
    return r;
}

static ds_sync_config config(const char *root, const char *store, ds_http *h)
{
    return (ds_sync_config){ .mail_url = root, .user = user, .password = pass, .store_path = store,
                             .http = h, .max_connections = 6 };
}

/* Progress: cancels the sync once its first message is stored. */
static void abort_at_first_fetch(void *arg, const ds_sync_progress *p)
{
    if (strcmp(p->phase, "fetch") == 0 && p->done >= 1)
        ds_http_abort(arg);
}

/* Read reports owed by synced mail (sync_down.c reports_owed): a message
 * with Disposition-Notification-To arrives unread owing a read and a
 * nonread report, one without owes none, one already read on the server
 * owes none; once another client marks it read on the server, it owes
 * none either. */
static int32_t msg_flags(st_store *s, const char *url)
{
    st_id mid = 0;
    st_bag *b = NULL;
    if (st_message_find_by_href(s, &mid, url) != 0 || st_message_get(s, &b, mid) != 0)
        return -1;
    const st_value *v = st_bag_get(b, PR_MESSAGE_FLAGS);
    int32_t f = v ? v->v.l : 0;
    st_bag_free(b);
    return f;
}

static void test_read_reports(ds_http *h, const char *mail)
{
    const int32_t owed = (int32_t)(MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING);
    char *root = cat(mail, "reports/");
    char *inbox = cat(root, "Inbox/");
    dav_mkcol(h, root);
    dav_mkcol(h, inbox);
    static const char *const names[] = { "asks.eml", "plain.eml", "asks-read.eml" };
    char *url[3];
    for (int i = 0; i < 3; i++) {
        char m[512];
        snprintf(m, sizeof m, "From: Ann <ann@example.org>\r\nTo: me@example.org\r\n"
                 "Subject: report %d\r\nMessage-ID: <rr%d@example.org>\r\n%s"
                 "Content-Type: text/plain\r\n\r\nbody %d\r\n", i, i,
                 i != 1 ? "Disposition-Notification-To: Ann <ann@example.org>\r\n" : "", i);
        url[i] = cat(inbox, names[i]);
        dav_put(h, url[i], m, strlen(m));
    }
    set_read(h, url[2], "1");
    char *store = cat(fixdir, "/reports.sqlite");
    ds_sync_config cfg = config(root, store, h);
    ds_sync_counts c;
    int rc = ds_sync_once(&c, &cfg);
    ok(rc == 0 && c.new_items == 3, "reports: first sync %d, new %llu\n", rc,
       (unsigned long long)c.new_items);
    st_store *s = NULL;
    ok(st_store_open(&s, store, NULL, 0) == 0, "reports: open\n");
    int32_t f0 = msg_flags(s, url[0]), f1 = msg_flags(s, url[1]), f2 = msg_flags(s, url[2]);
    ok(f0 >= 0 && (f0 & owed) == owed && !(f0 & (int32_t)MSGFLAG_READ),
       "reports: asked for, unread: both reports owed (%#x)\n", (unsigned)f0);
    ok(f1 >= 0 && !(f1 & owed), "reports: not asked for: none owed (%#x)\n", (unsigned)f1);
    ok(f2 >= 0 && !(f2 & owed) && (f2 & (int32_t)MSGFLAG_READ),
       "reports: asked for, read on the server: none owed (%#x)\n", (unsigned)f2);
    st_store_close(s);
    set_read(h, url[0], "1");   /* another client of the mailbox read it */
    rc = ds_sync_once(&c, &cfg);
    ok(rc == 0 && c.flags == 1, "reports: flags sync %d, flags %llu\n", rc,
       (unsigned long long)c.flags);
    ok(st_store_open(&s, store, NULL, 0) == 0, "reports: open again\n");
    f0 = msg_flags(s, url[0]);
    ok(f0 >= 0 && !(f0 & owed) && (f0 & (int32_t)MSGFLAG_READ),
       "reports: read elsewhere: none owed any more (%#x)\n", (unsigned)f0);
    st_store_close(s);
    for (int i = 0; i < 3; i++)
        free(url[i]);
    free(store);
    free(inbox);
    free(root);
}

int main(void)
{
    char subject[128], url[512];
    size_t len;
    ds_sync_counts c;
    ds_http_stats st0, st1;
    int rc;

    base = test_env("MAPIDAV_TEST_APACHE_URL");
    user = test_env("MAPIDAV_TEST_USER");
    pass = test_env("MAPIDAV_TEST_PASSWORD");
    fixdir = test_env("MAPIDAV_TEST_FIXTURE_DIR");
    char *logpath = cat(fixdir, "/sync.log");
    st_log_open_file(logpath, 0, 0);
    st_log_configure("davsync=info");

    ds_http *h = dav_client(user, pass, 8);
    char *mail = cat(base, "mail/");
    char *root = cat(mail, "user/");
    dav_mkcol(h, mail);
    dav_mkcol(h, root);
    static const char *const folders[] = { "Inbox/", "Inbox/Sub/", "Sent%20Items/", "Drafts/",
                                           "Trash/", "Junk/", "Projekt%20%C3%84/" };
    for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++) {
        char *u = cat(root, folders[i]);
        dav_mkcol(h, u);
        free(u);
    }

    /* 30 messages of 5 shapes in Inbox, 3 in Sent Items, 2 in Inbox/Sub. */
    char subjects[40][128];
    int nmsg = 0;
    for (int n = 0; n < 6; n++)
        for (int sh = 0; sh < NSHAPES; sh++) {
            char *m = make_msg((enum shape)sh, n, subjects[nmsg], sizeof subjects[0], &len);
            snprintf(url, sizeof url, "%sInbox/%d-%d.eml", root, sh, n);
            dav_put(h, url, m, len);
            free(m);
            nmsg++;
        }
    for (int n = 0; n < 3; n++) {
        char *m = make_msg(PLAIN, 100 + n, subject, sizeof subject, &len);
        snprintf(url, sizeof url, "%sSent%%20Items/s%d.eml", root, n);
        dav_put(h, url, m, len);
        free(m);
    }
    for (int n = 0; n < 2; n++) {
        char *m = make_msg(HTML, 200 + n, subject, sizeof subject, &len);
        snprintf(url, sizeof url, "%sInbox/Sub/x%d.eml", root, n);
        dav_put(h, url, m, len);
        free(m);
    }
    /* A 5 MB attachment in the folder with a non-ASCII name. */
    enum { BIG = 5 * 1024 * 1024 };
    unsigned char *bigdata = pattern(BIG, 77);
    {
        size_t bl;
        char *enc = b64(bigdata, BIG, &bl);
        char hdr[600];
        snprintf(hdr, sizeof hdr, HDR, "big", 1);
        const char *tail = "--b4--\r\n";
        char head[1024];
        snprintf(head, sizeof head, "%sSubject: Big one\r\nContent-Type: multipart/mixed; boundary=\"b4\"\r\n\r\n"
                 "--b4\r\nContent-Type: text/plain\r\n\r\nFive megabytes.\r\n"
                 "--b4\r\nContent-Type: application/octet-stream; name=\"big.bin\"\r\n"
                 "Content-Transfer-Encoding: base64\r\n\r\n", hdr);
        size_t total = strlen(head) + bl + strlen(tail);
        char *m = malloc(total + 1);
        memcpy(m, head, strlen(head));
        memcpy(m + strlen(head), enc, bl);
        memcpy(m + strlen(head) + bl, tail, strlen(tail));
        snprintf(url, sizeof url, "%sProjekt%%20%%C3%%84/big.eml", root);
        dav_put(h, url, m, total);
        free(m);
        free(enc);
    }
    snprintf(url, sizeof url, "%sInbox/0-1.eml", root);
    set_read(h, url, "1");

    /* ---- first sync ---- */
    char *store = cat(fixdir, "/store1.sqlite");
    char *catalog = cat(fixdir, "/catalog.sqlite");
    ds_sync_config cfg = config(root, store, h);
    cfg.catalog_path = catalog;
    ds_http_get_stats(h, &st0);
    rc = ds_sync_once(&c, &cfg);
    ok(rc == 0, "first sync: %d %s\n", rc, st_error_last());
    ok(c.folders == 7, "folders %llu\n", (unsigned long long)c.folders);
    ok(c.folders_created == 7, "created %llu\n", (unsigned long long)c.folders_created);
    ok(c.new_items == 36, "new %llu\n", (unsigned long long)c.new_items);
    ok(c.gets == 36 && c.failed == 0, "gets %llu failed %llu\n", (unsigned long long)c.gets,
       (unsigned long long)c.failed);
    ok(c.bytes > BIG, "bytes %llu\n", (unsigned long long)c.bytes);

    st_store *s = NULL;
    rc = st_store_open(&s, store, NULL, 0);
    ok(rc == 0, "open store: %d %s\n", rc, st_error_last());
    if (rc)
        return test_done();
    st_id rootf = 0, ipm, inbox, sub, sent, big_f, recv = 0;
    st_folder_root(s, &rootf);
    ipm = dav_folder_named(s, rootf, "Top of Information Store");
    inbox = dav_folder_named(s, ipm, "Inbox");
    sub = dav_folder_named(s, inbox, "Sub");
    sent = dav_folder_named(s, ipm, "Sent Items");
    dav_folder_named(s, ipm, "Drafts");
    dav_folder_named(s, ipm, "Trash");
    dav_folder_named(s, ipm, "Junk");
    big_f = dav_folder_named(s, ipm, "Projekt \xC3\x84");
    ok(st_receive_folder_get(s, &recv, "IPM.Note") == 0 && recv == inbox, "receive folder %llu\n",
       (unsigned long long)recv);
    {
        st_bag *b = NULL;
        st_folder_get(s, &b, sent);
        const char *cls = str_prop(b, PR_CONTAINER_CLASS_W);
        ok(cls && strcmp(cls, "IPF.Note") == 0, "container class %s\n", cls ? cls : "-");
        st_bag_free(b);
        st_catalog *ct = NULL;
        char *v = NULL;
        st_guid g;
        char key[128], gs[40];
        st_store_guid(s, &g);
        snprintf(gs, sizeof gs, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", (unsigned)g.data1,
                 g.data2, g.data3, g.data4[0], g.data4[1], g.data4[2], g.data4[3], g.data4[4],
                 g.data4[5], g.data4[6], g.data4[7]);
        snprintf(key, sizeof key, "store.%s.folder.deleted", gs);
        ok(st_catalog_open(&ct, catalog, 0) == 0 && st_catalog_setting_get(ct, &v, key) == 0 &&
           strtoull(v, NULL, 10) == dav_folder_named(s, ipm, "Trash"), "role deleted: %s\n", v ? v : "-");
        free(v);
        st_catalog_close(ct);
    }
    ok(count_msgs(s, inbox) == 30, "inbox %zu\n", count_msgs(s, inbox));
    ok(count_msgs(s, sub) == 2, "sub %zu\n", count_msgs(s, sub));
    ok(count_msgs(s, sent) == 3, "sent %zu\n", count_msgs(s, sent));
    nmsg = 0;
    for (int n = 0; n < 6; n++)
        for (int sh = 0; sh < NSHAPES; sh++) {
            snprintf(url, sizeof url, "%sInbox/%d-%d.eml", root, sh, n);
            static const size_t natt[NSHAPES] = { 0, 0, 1, 0, 1 };
            static const char *const part[NSHAPES] = { "plain message", "html", "attachment",
                                                       "Sch\xC3\xB6ne", "Forwarded" };
            st_id mid = check_msg(s, url, subjects[nmsg++], natt[sh], part[sh]);
            if (mid && sh == EMBEDDED) {
                st_id eid = 0;
                st_bag *eb = NULL;
                ok(st_attach_embedded(s, &eid, mid, 0, 0) == 0 && st_message_get(s, &eb, eid) == 0,
                   "embedded of %s\n", url);
                const char *es = eb ? str_prop(eb, PR_SUBJECT_W) : NULL;
                char want[32];
                snprintf(want, sizeof want, "Inner %d", n);
                ok(es && strcmp(es, want) == 0, "embedded subject %s\n", es ? es : "-");
                st_bag_free(eb);
            }
            if (mid && sh == ATTACH) {
                st_bag *ab = NULL;
                ok(st_attach_get(s, &ab, mid, 0) == 0, "attachment of %s\n", url);
                const st_value *v = ab ? st_bag_get(ab, PR_ATTACH_DATA_BIN) : NULL;
                unsigned char *d = pattern(3000, (unsigned)n);
                ok(v && v->v.bin.len == 3000 && memcmp(v->v.bin.data, d, 3000) == 0, "attachment data\n");
                free(d);
                st_bag_free(ab);
            }
            if (mid)
                ok(is_read(s, mid) == (sh == PLAIN && n == 1), "%s: read %d\n", url, is_read(s, mid));
        }
    {
        snprintf(url, sizeof url, "%sProjekt%%20%%C3%%84/big.eml", root);
        char *norm = NULL;
        st_id mid = 0;
        ds_href_normalize(&norm, url);
        ok(st_message_find_by_href(s, &mid, norm) == 0, "big message\n");
        free(norm);
        st_stream *r = NULL;
        rc = st_stream_open_read(&r, s, mid, 0, PR_ATTACH_DATA_BIN);
        ok(rc == 0 && st_stream_size(r) == BIG, "big stream: %d size %llu\n", rc,
           r ? (unsigned long long)st_stream_size(r) : 0ull);
        unsigned char *back = malloc(BIG);
        size_t got = 0, n = 0;
        while (r && got < BIG && st_stream_read(r, back + got, BIG - got, &n) == 0 && n)
            got += n;
        ok(got == BIG && memcmp(back, bigdata, BIG) == 0, "big data back (%zu)\n", got);
        free(back);
        st_stream_close(r);
        ok(count_msgs(s, big_f) == 1, "big folder\n");
    }
    ok(journal_len(s) == 0, "journal after sync: %zu entries\n", journal_len(s));

    /* ---- a first download starts during the folder walk ---- */
    {
        /* The walk fetches the empty Inbox's members while it lists them
         * (sync_folders.c stream_step): stored when ds_sync_folders
         * returns, at least a window of GETs (2 x 6); the Inbox's down-sync
         * then fetches only the rest, so every message comes once. */
        char *store2 = cat(fixdir, "/store-walk.sqlite");
        ds_sync_config cfg2 = config(root, store2, h);
        ds_sync *sy = NULL;
        ds_sync_counts cw = { 0 }, cd = { 0 };
        rc = ds_sync_open(&sy, &cfg2);
        if (!rc)
            rc = ds_sync_folders(sy, &cw);
        st_id in2 = sy ? ds_sync_role_folder(sy, DS_ROLE_INBOX) : 0;
        size_t during = in2 ? count_msgs(ds_sync_store(sy), in2) : 0;
        ok(rc == 0 && during >= 12 && during <= 30 && cw.new_items == during &&
           cw.gets == during, "walk: %d, %zu Inbox messages stored, %llu new, %llu GETs\n", rc,
           during, (unsigned long long)cw.new_items, (unsigned long long)cw.gets);
        st_id *fids = NULL;
        size_t nf = 0;
        if (sy && ds_sync_folder_list(sy, &fids, &nf) == 0)
            for (size_t i = 0; i < nf; i++)
                ds_sync_folder_down(sy, fids[i], &cd);
        ok(in2 && count_msgs(ds_sync_store(sy), in2) == 30 && cd.new_items + cw.new_items == 36 &&
           cd.gets + cw.gets == 36 && cd.failed == 0, "then the folders: Inbox %zu, %llu new,"
           " %llu GETs\n", in2 ? count_msgs(ds_sync_store(sy), in2) : 0,
           (unsigned long long)cd.new_items, (unsigned long long)cd.gets);
        free(fids);
        ds_sync_close(sy);
        free(store2);

        /* Cancelled at its first stored message: the walk stops with
         * DS_ECANCELLED, what it stored stays, and the next sync fetches
         * only the rest. */
        char *store3 = cat(fixdir, "/store-walk-cancel.sqlite");
        ds_sync_config cfg3 = config(root, store3, h);
        cfg3.progress = abort_at_first_fetch;
        cfg3.progress_arg = h;
        ds_sync_counts c3 = { 0 }, c4 = { 0 };
        rc = ds_sync_once(&c3, &cfg3);
        cfg3.progress = NULL;
        int rc2 = ds_sync_once(&c4, &cfg3);
        st_store *s3 = NULL;
        st_id root3 = 0, ipm3 = 0, in3 = 0;
        if (st_store_open(&s3, store3, NULL, 0) == 0) {
            st_folder_root(s3, &root3);
            ipm3 = dav_folder_named(s3, root3, "Top of Information Store");
            in3 = dav_folder_named(s3, ipm3, "Inbox");
        }
        ok(rc == DS_ECANCELLED && c3.new_items >= 1 && rc2 == 0 &&
           c3.new_items + c4.new_items == 36 && in3 && count_msgs(s3, in3) == 30,
           "cancelled walk: %s, %llu stored, then %d, %llu more, Inbox %zu\n", ds_error_name(rc),
           (unsigned long long)c3.new_items, rc2, (unsigned long long)c4.new_items,
           in3 ? count_msgs(s3, in3) : 0);
        st_store_close(s3);
        free(store3);
    }

    /* ---- nothing changed: no GET ---- */
    ds_http_get_stats(h, &st0);
    rc = ds_sync_once(&c, &cfg);
    ds_http_get_stats(h, &st1);
    ok(rc == 0 && c.gets == 0 && c.new_items == 0 && c.changed == 0 && c.deleted == 0 && c.flags == 0,
       "second sync: %d gets %llu new %llu changed %llu deleted %llu flags %llu\n", rc,
       (unsigned long long)c.gets, (unsigned long long)c.new_items, (unsigned long long)c.changed,
       (unsigned long long)c.deleted, (unsigned long long)c.flags);
    /* The tree walk lists every collection (8 with the root: Depth 1) and
     * asks each folder for its own name and ctag (7: Depth 0); no folder is
     * listed again: each one's fingerprint from the walk is the one its
     * last down-sync stored. */
    ok(st1.requests - st0.requests == 15, "requests of a no-change sync: %llu\n",
       (unsigned long long)(st1.requests - st0.requests));

    /* ---- change one, delete one, add one, mark one read ---- */
    {
        char *m = make_msg(PLAIN, 0, subject, sizeof subject, &len);
        char *m2 = malloc(len + 200);
        char *p = strstr(m, "Subject: Plain 0");
        size_t pre = (size_t)(p - m) + strlen("Subject: Plain 0");
        memcpy(m2, m, pre);
        strcpy(m2 + pre, " changed, and longer");
        strcat(m2, m + pre);
        snprintf(url, sizeof url, "%sInbox/0-0.eml", root);
        dav_put(h, url, m2, strlen(m2));
        free(m);
        free(m2);
        snprintf(url, sizeof url, "%sInbox/1-0.eml", root);
        dav_del(h, url);
        m = make_msg(ATTACH, 50, subject, sizeof subject, &len);
        snprintf(url, sizeof url, "%sInbox/new.eml", root);
        dav_put(h, url, m, len);
        free(m);
        snprintf(url, sizeof url, "%sInbox/3-2.eml", root);
        set_read(h, url, "1");
    }
    rc = ds_sync_once(&c, &cfg);
    ok(rc == 0 && c.gets == 2 && c.new_items == 1 && c.changed == 1 && c.deleted == 1 && c.flags == 1,
       "third sync: %d gets %llu new %llu changed %llu deleted %llu flags %llu\n", rc,
       (unsigned long long)c.gets, (unsigned long long)c.new_items, (unsigned long long)c.changed,
       (unsigned long long)c.deleted, (unsigned long long)c.flags);
    snprintf(url, sizeof url, "%sInbox/0-0.eml", root);
    check_msg(s, url, "Plain 0 changed, and longer", 0, "plain message 0");
    snprintf(url, sizeof url, "%sInbox/new.eml", root);
    check_msg(s, url, "Attach 50", 1, NULL);
    {
        st_id mid = 0;
        char *norm = NULL;
        snprintf(url, sizeof url, "%sInbox/1-0.eml", root);
        ds_href_normalize(&norm, url);
        ok(st_message_find_by_href(s, &mid, norm) == ST_ENOTFOUND, "deleted one is gone\n");
        free(norm);
        snprintf(url, sizeof url, "%sInbox/3-2.eml", root);
        ds_href_normalize(&norm, url);
        ok(st_message_find_by_href(s, &mid, norm) == 0 && is_read(s, mid) == 1, "read one is read\n");
        free(norm);
    }
    ok(count_msgs(s, inbox) == 30, "inbox after changes %zu\n", count_msgs(s, inbox));
    ok(journal_len(s) == 0, "journal after changes: %zu\n", journal_len(s));

    /* ---- a displayname set on the server renames the folder in place ---- */
    {
        char *u = cat(root, "Sent%20Items/");
        ds_xml_update up = { { DS_NS_DAV, "displayname" }, "Gesendete Objekte" };
        char *body = NULL;
        ds_xml_proppatch(&body, &up, 1);
        ds_http_result r;
        ds_http_perform(h, &(ds_http_request){ .method = DS_HTTP_PROPPATCH, .url = u, .body = body,
                                               .body_len = strlen(body) }, &r);
        ok(r.code == 0 && r.status == 207, "PROPPATCH displayname: %d %ld\n", r.code, r.status);
        ds_http_result_clear(&r);
        free(body);
        free(u);
        rc = ds_sync_once(&c, &cfg);
        st_id f = 0;
        ok(rc == 0 && st_folder_find_by_name(s, &f, ipm, "Gesendete Objekte") == 0 && f == sent,
           "renamed in place: %d %llu %llu\n", rc, (unsigned long long)f, (unsigned long long)sent);
        ok(count_msgs(s, sent) == 3 && c.gets == 0, "rename fetched nothing: %llu\n",
           (unsigned long long)c.gets);
    }

    /* ---- pending local changes are never overwritten or deleted ---- */
    {
        char *m = make_msg(PLAIN, 300, subject, sizeof subject, &len);
        snprintf(url, sizeof url, "%sDrafts/d.eml", root);
        dav_put(h, url, m, len);
        free(m);
        rc = ds_sync_once(&c, &cfg);
        ok(rc == 0 && c.new_items == 1, "drafts sync: %d %llu\n", rc, (unsigned long long)c.new_items);
        st_id dmid = 0, imid = 0, drafts = dav_folder_named(s, ipm, "Drafts");
        char *norm = NULL;
        ds_href_normalize(&norm, url);
        ok(st_message_find_by_href(s, &dmid, norm) == 0, "draft stored\n");
        free(norm);
        snprintf(url, sizeof url, "%sInbox/2-3.eml", root);
        ds_href_normalize(&norm, url);
        ok(st_message_find_by_href(s, &imid, norm) == 0, "inbox message\n");
        free(norm);
        /* Outlook's changes: journaled. */
        ok(st_message_set_read(s, dmid, 1, 0) == 0 && st_message_set_read(s, imid, 1, 0) == 0,
           "local read flags\n");
        ok(journal_len(s) == 2, "journal %zu\n", journal_len(s));
        dav_del(h, url);                       /* Inbox/2-3.eml */
        char *u = cat(root, "Drafts/");
        dav_del(h, u);
        free(u);
        rc = ds_sync_once(&c, &cfg);
        ok(rc == 0 && c.kept == 1 && c.deleted == 0 && c.folders_kept == 1 && c.folders_deleted == 0,
           "pending kept: %d kept %llu deleted %llu folders kept %llu deleted %llu\n", rc,
           (unsigned long long)c.kept, (unsigned long long)c.deleted,
           (unsigned long long)c.folders_kept, (unsigned long long)c.folders_deleted);
        st_id f = 0;
        ok(st_folder_find_by_name(s, &f, ipm, "Drafts") == 0 && f == drafts, "Drafts kept\n");
        ok(count_msgs(s, inbox) == 30, "inbox still 30: %zu\n", count_msgs(s, inbox));
        ok(journal_len(s) == 2, "journal still %zu\n", journal_len(s));

        /* A message moved locally, not sent yet: the server still lists it in
         * the Inbox, and it is neither fetched again nor pulled back. */
        st_id sub = dav_folder_named(s, inbox, "Sub"), mv = 0;
        snprintf(url, sizeof url, "%sInbox/0-4.eml", root);
        ds_href_normalize(&norm, url);
        ok(st_message_find_by_href(s, &mv, norm) == 0, "message to move\n");
        free(norm);
        ok(sub && st_message_move(s, mv, sub, 0) == 0, "local move\n");
        rc = ds_sync_once(&c, &cfg);
        st_id where = 0;
        ok(rc == 0 && c.new_items == 0 && c.gets == 0 && c.kept >= 1,
           "moved one kept: %d new %llu gets %llu kept %llu\n", rc,
           (unsigned long long)c.new_items, (unsigned long long)c.gets,
           (unsigned long long)c.kept);
        ok(st_message_folder(s, &where, mv) == 0 && where == sub, "still where it was moved\n");
        ok(count_msgs(s, inbox) == 29, "inbox 29 locally: %zu\n", count_msgs(s, inbox));
        ok(st_message_move(s, mv, inbox, 0) == 0, "moved back\n");   /* one more entry */
    }

    /* ---- a folder gone on the server ---- */
    {
        char *u = cat(root, "Junk/");
        dav_del(h, u);
        free(u);
        rc = ds_sync_once(&c, &cfg);
        st_id junk = 0;
        ok(rc == 0 && c.folders_deleted == 1 && st_folder_find_by_name(s, &junk, ipm, "Junk") == ST_ENOTFOUND,
           "folder deleted: %d %llu\n", rc, (unsigned long long)c.folders_deleted);
    }

    /* ---- abort mid-sync from another thread, then resume ---- */
    {
        char *bulk = cat(root, "Bulk/");
        dav_mkcol(h, bulk);
        enum { NBULK = 300 };
        for (int n = 0; n < NBULK; n++) {
            char *m = make_msg((enum shape)(n % NSHAPES), 1000 + n, subject, sizeof subject, &len);
            snprintf(url, sizeof url, "%s%04d.eml", bulk, n);
            dav_put(h, url, m, len);
            free(m);
        }
        aborter a = { .h = h, .after = 40 };
        atomic_init(&a.fetched, 0);
        st_thread *t = NULL;
        ok(st_thread_start(&t, aborter_thread, &a) == 0, "thread\n");
        ds_sync_config ac = cfg;
        ac.progress = aborter_progress;
        ac.progress_arg = &a;
        rc = ds_sync_once(&c, &ac);
        st_thread_join(t);
        ok(rc == DS_ECANCELLED, "aborted sync: %s\n", ds_error_name(rc));
        ok(c.new_items >= 40 && c.new_items < NBULK, "stored before the abort: %llu\n",
           (unsigned long long)c.new_items);
        uint64_t first = c.new_items;
        rc = ds_sync_once(&c, &cfg);
        ok(rc == 0 && c.new_items == NBULK - first, "resumed: %d new %llu (first %llu)\n", rc,
           (unsigned long long)c.new_items, (unsigned long long)first);
        st_id bf = dav_folder_named(s, ipm, "Bulk");
        ok(count_msgs(s, bf) == NBULK, "bulk count %zu\n", count_msgs(s, bf));
        /* No duplicates: every href once. */
        size_t dups = count_dups(s, bf);
        ok(dups == 0, "duplicates %zu\n", dups);
        ok(journal_len(s) == 3, "journal after abort: %zu (the local changes)\n", journal_len(s));
        char *report = NULL;
        ok(st_store_check(s, &report) == 0, "store check: %s\n", report ? report : "");
        free(report);
        free(bulk);
    }
    st_store_close(s);

    /* ---- throughput: 2,000 4 KB messages ---- */
    {
        char *proot = cat(base, "perf/");
        char *pin = cat(proot, "Inbox/");
        dav_mkcol(h, proot);
        dav_mkcol(h, pin);
        enum { NPERF = 2000 };
        char *body = malloc(4096);
        int perr = 0;
        for (int n = 0; n < NPERF; n++) {
            int k = snprintf(body, 4096, HDR, "perf", n);
            k += snprintf(body + k, 4096 - (size_t)k, "Subject: Perf %d\r\nContent-Type: text/plain\r\n\r\n", n);
            for (; k < 4094; k++)
                body[k] = k % 64 == 62 ? '\r' : k % 64 == 63 ? '\n' : (char)('a' + k % 26);
            body[4094] = '\r';
            body[4095] = '\n';
            snprintf(url, sizeof url, "%sp%05d.eml", pin, n);
            ds_http_request rq = { .method = DS_HTTP_PUT, .url = url, .body = body, .body_len = 4096,
                                   .content_type = "message/rfc822" };
            if (ds_http_submit(h, &rq, NULL) != 0)
                perr++;
            if (ds_http_pending(h) > 64)
                while (ds_http_pending(h) > 16)
                    ds_http_run(h, 100);
        }
        while (ds_http_pending(h))
            ds_http_run(h, 1000);
        ok(perr == 0, "perf PUTs\n");
        free(body);
        char *pstore = cat(fixdir, "/perf.sqlite");
        ds_sync_config pc = config(proot, pstore, h);
        uint64_t t0 = st_os_time_ms();
        rc = ds_sync_once(&c, &pc);
        uint64_t ms = st_os_time_ms() - t0;
        ok(rc == 0 && c.new_items == NPERF, "perf sync: %d new %llu\n", rc, (unsigned long long)c.new_items);
        printf("sync throughput: %d messages of 4 KB in %llu ms = %.0f messages/s (8 connections%s)\n",
               NPERF, (unsigned long long)ms, ms ? NPERF * 1000.0 / (double)ms : 0.0,
#if defined(__SANITIZE_ADDRESS__)
               ", ASan build"
#else
               ""
#endif
        );
        t0 = st_os_time_ms();
        rc = ds_sync_once(&c, &pc);
        ms = st_os_time_ms() - t0;
        ok(rc == 0 && c.gets == 0, "perf no-change sync: %d gets %llu\n", rc, (unsigned long long)c.gets);
        printf("no-change sync of %d messages (weak ETags turn strong): %llu ms\n", NPERF,
               (unsigned long long)ms);
        t0 = st_os_time_ms();
        rc = ds_sync_once(&c, &pc);
        ms = st_os_time_ms() - t0;
        ok(rc == 0 && c.gets == 0, "perf no-change sync: %d gets %llu\n", rc, (unsigned long long)c.gets);
        printf("no-change sync of %d messages (steady state): %llu ms\n", NPERF, (unsigned long long)ms);
        free(pstore);
        free(pin);
        free(proot);
    }

    test_read_reports(h, mail);

    free(bigdata);
    free(store);
    free(catalog);
    free(root);
    free(mail);
    free(logpath);
    ds_http_free(h);
    st_log_close();
    return test_done();
}
