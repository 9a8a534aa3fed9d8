/*
 * test_mime_report.c: report messages through the MIME reader: delivery
 * status notifications (RFC 3464 -> [MS-OXCMAIL] 2.2.3.7.1: one MAPI_TO
 * row per per-recipient block of the most severe action, status and
 * diagnostic codes, remote MTA, supplementary info, report times, the
 * returned message's PR_ORIGINAL_*, PR_REPORT_TEXT) and disposition
 * notifications (RFC 8098), with the bounds on hostile input. No corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/mime.h"
#include "storage/props_tags.h"
#include "testutil.h"
#include "mime_test_util.h"

/* Mon, 1 Jan 2024 00:00:00 +0000 and 12:00 the same day, as FILETIME */
#define FT_JAN1 133485408000000000ull
#define FT_JAN1_NOON (FT_JAN1 + 12ull * 3600 * 10000000)

static cv_message *parse(const char *text, cv_mime_warnings *w)
{
    cv_message *m = NULL;
    cv_mime_warnings tmp;
    int rc = cv_mime_parse(&m, text, strlen(text), NULL, w ? w : &tmp);
    ok(rc == 0, "parse: rc %d\n", rc);
    if (!w)
        cv_mime_warnings_clear(&tmp);
    return m;
}

static int warned(const cv_mime_warnings *w, const char *part)
{
    for (size_t i = 0; i < w->n; i++)
        if (strstr(w->msg[i], part))
            return 1;
    return 0;
}

#define check_long(bag, tag, want) check_long_(__LINE__, bag, tag, #tag, want)
static void check_long_(int line, const st_bag *bag, uint32_t tag, const char *name, int32_t want)
{
    const st_value *v = st_bag_get(bag, tag);
    test_check_(v && v->v.l == want, __FILE__, line, "%s: got %d, want %d\n", name,
                v ? v->v.l : -9999, want);
}

#define check_time(bag, tag, want) check_time_(__LINE__, bag, tag, #tag, want)
static void check_time_(int line, const st_bag *bag, uint32_t tag, const char *name, uint64_t want)
{
    const st_value *v = st_bag_get(bag, tag);
    test_check_(v && v->v.ft == want, __FILE__, line, "%s: got %llu, want %llu\n", name,
                v ? (unsigned long long)v->v.ft : 0ull, (unsigned long long)want);
}

#define check_absent(bag, tag) \
    test_check_(st_bag_get(bag, tag) == NULL, __FILE__, __LINE__, "%s: present\n", #tag)

/* A bounce: three failed recipients (one x400, one with a display name and
 * a remote MTA), one delivered (not a row: the spec's SHOULD), one block
 * without an Action (skipped, warned); the original as message/rfc822. */
static const char dsn_failed[] =
        "From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\n"
        "To: Alice <alice@example.org>\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Date: Mon, 1 Jan 2024 12:00:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B1\"\r\n"
        "\r\n"
        "--B1\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "Your message could not be delivered to some recipients.\r\n"
        "--B1\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example\r\n"
        "Arrival-Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
        "\r\n"
        "Final-Recipient: rfc822; bob@example.net\r\n"
        "Original-Recipient: rfc822; robert@example.net\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "Remote-MTA: dns; mx.example.net\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: User unknown\r\n"
        "X-Display-Name: Bob Builder\r\n"
        "\r\n"
        "Final-Recipient: rfc822;<carol@example.net>\r\n"
        "Action: Failed\r\n"
        "Status: 5.2.2\r\n"
        "\r\n"
        "Final-Recipient: x400; c=US;a=ATT;p=X;s=Dave\r\n"
        "Action: failed\r\n"
        "Status: 5.1.9 (other)\r\n"
        "Diagnostic-Code: x400; 99\r\n"
        "\r\n"
        "Final-Recipient: rfc822; erin@example.net\r\n"
        "Action: delivered\r\n"
        "Status: 2.0.0\r\n"
        "\r\n"
        "Final-Recipient: rfc822; nobody@example.net\r\n"
        "Status: 5.0.0\r\n"
        "\r\n"
        "--B1\r\n"
        "Content-Type: message/rfc822\r\n"
        "\r\n"
        "From: Alice <alice@example.org>\r\n"
        "To: Bob <bob@example.net>, carol@example.net\r\n"
        "Cc: Frank <frank@example.com>\r\n"
        "Subject: Lunch?\r\n"
        "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
        "\r\n"
        "Shall we?\r\n"
        "--B1--\r\n";

static void test_dsn_failed(void)
{
    cv_mime_warnings w = { 0 };
    cv_message *m = parse(dsn_failed, &w);
    if (!m)
        return;
    st_bag *b = m->props;
    check_str(b, PR_MESSAGE_CLASS, "REPORT.IPM.Note.NDR");
    check_str(b, PR_REPORT_TEXT, "Your message could not be delivered to some recipients.");
    check_time(b, PR_REPORT_TIME, FT_JAN1_NOON);
    check_str(b, PR_ORIGINAL_SUBJECT, "Lunch?");
    check_time(b, PR_ORIGINAL_SUBMIT_TIME, FT_JAN1);
    check_str(b, PR_ORIGINAL_DISPLAY_TO, "Bob; carol@example.net");
    check_str(b, PR_ORIGINAL_DISPLAY_CC, "Frank");
    check_str(b, PR_ORIGINAL_SENDER_NAME, "Alice");
    check_str(b, PR_ORIGINAL_SENDER_EMAIL_ADDRESS, "alice@example.org");
    check_str(b, PR_ORIGINAL_SENDER_ADDRTYPE, "SMTP");
    check_str(b, PR_ORIGINAL_SENT_REPRESENTING_NAME, "Alice");
    ok(st_bag_get(b, PR_ORIGINAL_SENDER_ENTRYID) != NULL, "original sender entry id\n");
    check_str(b, PR_DISPLAY_TO, "Bob Builder; carol@example.net; c=US;a=ATT;p=X;s=Dave");
    check_str(b, PR_DISPLAY_CC, "");
    ok(warned(&w, "without recipient or action"), "malformed block warned\n");

    ok(m->n_recipients == 3, "rows: got %zu\n", m->n_recipients);
    if (m->n_recipients == 3) {
        st_bag *r = m->recipients[0];
        check_long(r, PR_RECIPIENT_TYPE, MAPI_TO);
        check_str(r, PR_DISPLAY_NAME, "Bob Builder");
        check_str(r, PR_EMAIL_ADDRESS, "bob@example.net");
        check_str(r, PR_ADDRTYPE, "SMTP");
        check_str(r, PR_SMTP_ADDRESS, "bob@example.net");
        ok(st_bag_get(r, PR_ENTRYID) != NULL, "row entry id\n");
        check_long(r, PR_NDR_STATUS_CODE, 511);
        check_long(r, PR_NDR_DIAG_CODE, 35);
        check_long(r, PR_NDR_REASON_CODE, 1);
        check_str(r, PR_DSN_REMOTE_MTA, "mx.example.net");
        check_str(r, PR_SUPPLEMENTARY_INFO,
                  "<mx.example.net #5.1.1 smtp; 550 5.1.1 <bob@example.net>: User unknown>");
        check_time(r, PR_REPORT_TIME, FT_JAN1_NOON);
        check_absent(r, PR_DELIVER_TIME);

        r = m->recipients[1];
        check_long(r, PR_RECIPIENT_TYPE, MAPI_TO);
        check_str(r, PR_DISPLAY_NAME, "carol@example.net");
        check_str(r, PR_SMTP_ADDRESS, "carol@example.net");
        check_long(r, PR_NDR_STATUS_CODE, 522);
        check_long(r, PR_NDR_DIAG_CODE, 13);
        check_long(r, PR_NDR_REASON_CODE, 0);
        check_str(r, PR_SUPPLEMENTARY_INFO, "< #5.2.2>");
        check_absent(r, PR_DSN_REMOTE_MTA);

        r = m->recipients[2];
        check_str(r, PR_ADDRTYPE, "X400");
        check_str(r, PR_EMAIL_ADDRESS, "c=US;a=ATT;p=X;s=Dave");
        check_absent(r, PR_SMTP_ADDRESS);
        check_absent(r, PR_ENTRYID);
        check_long(r, PR_NDR_STATUS_CODE, 519);
        check_long(r, PR_NDR_DIAG_CODE, 0);
        check_str(r, PR_SUPPLEMENTARY_INFO, "< #5.1.9 x400; 99>");
    }
    /* the report parts stay attachments */
    ok(m->n_attachments == 2, "attachments: got %zu\n", m->n_attachments);
    cv_mime_warnings_clear(&w);
    cv_message_free(m);
}

/* A delay warning without Date: the time comes from Last-Attempt-Date; the
 * original from text/rfc822-headers; X-Supplementary-Info kept as given. */
static void test_dsn_delayed(void)
{
    static const char msg[] =
        "From: postmaster@mx.example\r\n"
        "To: alice@example.org\r\n"
        "Subject: Delayed Mail (still being retried)\r\n"
        "Content-Type: multipart/report; report-type=\"delivery-status\"; boundary=B2\r\n"
        "\r\n"
        "--B2\r\n"
        "\r\n"
        "Still trying.\r\n"
        "--B2\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example\r\n"
        "\r\n"
        "Final-Recipient: rfc822; slow@example.net\r\n"
        "Action: delayed\r\n"
        "Status: 4.4.7\r\n"
        "Last-Attempt-Date: Mon, 1 Jan 2024 12:00:00 +0000\r\n"
        "X-Supplementary-Info: <mx.example.net #4.4.7 timeout>\r\n"
        "\r\n"
        "--B2\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        "From: Alice <alice@example.org>\r\n"
        "To: Slow <slow@example.net>\r\n"
        "Subject: Report draft\r\n"
        "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
        "--B2--\r\n";
    cv_message *m = parse(msg, NULL);
    if (!m)
        return;
    st_bag *b = m->props;
    check_str(b, PR_MESSAGE_CLASS, "REPORT.IPM.Note.Delayed.DR");
    check_str(b, PR_REPORT_TEXT, "Still trying.");
    check_absent(b, PR_REPORT_TIME);
    check_str(b, PR_ORIGINAL_SUBJECT, "Report draft");
    check_time(b, PR_ORIGINAL_SUBMIT_TIME, FT_JAN1);
    check_str(b, PR_ORIGINAL_DISPLAY_TO, "Slow");
    check_str(b, PR_ORIGINAL_SENDER_EMAIL_ADDRESS, "alice@example.org");
    ok(m->n_recipients == 1, "rows: got %zu\n", m->n_recipients);
    if (m->n_recipients == 1) {
        st_bag *r = m->recipients[0];
        check_str(r, PR_SMTP_ADDRESS, "slow@example.net");
        check_long(r, PR_NDR_STATUS_CODE, 447);
        check_long(r, PR_NDR_DIAG_CODE, -1); /* the spec's initial value */
        check_long(r, PR_NDR_REASON_CODE, 0);
        check_str(r, PR_SUPPLEMENTARY_INFO, "<mx.example.net #4.4.7 timeout>");
        check_time(r, PR_REPORT_TIME, FT_JAN1_NOON);
        check_time(r, PR_DELIVER_TIME, FT_JAN1_NOON);
    }
    cv_message_free(m);
}

/* delivered + relayed: relayed is the more severe ([MS-OXCMAIL]
 * 2.2.3.7.1.1); Arrival-Date is the time when nothing else is given. */
static void test_dsn_relayed_delivered(void)
{
    static const char relayed[] =
        "From: postmaster@mx.example\r\n"
        "To: alice@example.org\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=B3\r\n"
        "\r\n"
        "--B3\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example\r\n"
        "Arrival-Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
        "\r\n"
        "Final-Recipient: rfc822; a@example.net\r\n"
        "Action: delivered\r\n"
        "Status: 2.0.0\r\n"
        "\r\n"
        "Final-Recipient: rfc822; b@example.net\r\n"
        "Action: relayed\r\n"
        "Status: 2.0.0\r\n"
        "Remote-MTA: dns; legacy.example.net\r\n"
        "--B3--\r\n";
    cv_message *m = parse(relayed, NULL);
    if (m) {
        check_str(m->props, PR_MESSAGE_CLASS, "REPORT.IPM.Note.Relayed.DR");
        ok(m->n_recipients == 1, "relayed rows: got %zu\n", m->n_recipients);
        if (m->n_recipients == 1) {
            st_bag *r = m->recipients[0];
            check_str(r, PR_EMAIL_ADDRESS, "b@example.net");
            check_long(r, PR_NDR_STATUS_CODE, 200);
            check_str(r, PR_DSN_REMOTE_MTA, "legacy.example.net");
            check_str(r, PR_SUPPLEMENTARY_INFO, "<legacy.example.net #2.0.0>");
            check_time(r, PR_REPORT_TIME, FT_JAN1);
            check_time(r, PR_DELIVER_TIME, FT_JAN1);
        }
        check_absent(m->props, PR_REPORT_TEXT);
        check_absent(m->props, PR_ORIGINAL_SUBJECT);
    }
    cv_message_free(m);

    static const char delivered[] =
        "From: postmaster@mx.example\r\n"
        "To: alice@example.org\r\n"
        "Date: Mon, 1 Jan 2024 12:00:00 +0000\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=B4\r\n"
        "\r\n"
        "--B4\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example\r\n"
        "\r\n"
        "Original-Recipient: rfc822; only-original@example.net\r\n"
        "Action: delivered\r\n"
        "Status: 2.0.0\r\n"
        "--B4--\r\n";
    m = parse(delivered, NULL);
    if (m) {
        check_str(m->props, PR_MESSAGE_CLASS, "REPORT.IPM.Note.DR");
        ok(m->n_recipients == 1, "delivered rows: got %zu\n", m->n_recipients);
        if (m->n_recipients == 1) {
            check_str(m->recipients[0], PR_SMTP_ADDRESS, "only-original@example.net");
            check_time(m->recipients[0], PR_DELIVER_TIME, FT_JAN1_NOON);
        }
        check_str(m->props, PR_DISPLAY_TO, "only-original@example.net");
    }
    cv_message_free(m);
}

/* A DSN with nothing usable keeps the rows of its To field. */
static void test_dsn_no_rows(void)
{
    static const char msg[] =
        "To: Alice <alice@example.org>\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=B5\r\n"
        "\r\n"
        "--B5\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example\r\n"
        "\r\n"
        "Action: failed\r\n"
        "Status: 5.0.0\r\n"
        "\r\n"
        "Final-Recipient: rfc822;\r\n"
        "Action: failed\r\n"
        "--B5--\r\n";
    cv_mime_warnings w = { 0 };
    cv_message *m = parse(msg, &w);
    if (m) {
        check_str(m->props, PR_MESSAGE_CLASS, "REPORT.IPM.Note.NDR");
        ok(m->n_recipients == 1, "rows: got %zu\n", m->n_recipients);
        if (m->n_recipients == 1)
            check_str(m->recipients[0], PR_SMTP_ADDRESS, "alice@example.org");
        check_str(m->props, PR_DISPLAY_TO, "Alice");
        ok(warned(&w, "2 per-recipient block(s)"), "two malformed blocks warned\n");
    }
    cv_mime_warnings_clear(&w);
    cv_message_free(m);
}

/* Hostile sizes: more blocks than rows allowed, a huge field value. */
static void test_dsn_bounds(void)
{
    size_t cap = 128 << 10, n = 0;
    char *msg = malloc(cap);
    if (!msg)
        abort();
    n += (size_t)snprintf(msg + n, cap - n, "%s",
                          "Content-Type: multipart/report; report-type=delivery-status; "
                          "boundary=B6\r\n\r\n--B6\r\nContent-Type: message/delivery-status\r\n\r\n"
                          "Reporting-MTA: dns; mx.example\r\n\r\n"
                          "Final-Recipient: rfc822; big@example.net\r\nAction: failed\r\n"
                          "Diagnostic-Code: smtp; ");
    for (int i = 0; i < 3000; i++)
        msg[n++] = 'x';
    n += (size_t)snprintf(msg + n, cap - n, "\r\n\r\n");
    for (unsigned i = 0; i < 1010; i++)
        n += (size_t)snprintf(msg + n, cap - n, "Final-Recipient: rfc822; u%u@x.y\r\nAction: failed\r\n\r\n", i);
    n += (size_t)snprintf(msg + n, cap - n, "--B6--\r\n");
    ok(n < cap, "message fits\n");

    cv_mime_warnings w = { 0 };
    cv_message *m = parse(msg, &w);
    if (m) {
        ok(m->n_recipients == 1000, "rows bounded: got %zu\n", m->n_recipients);
        if (m->n_recipients > 0) {
            const char *s = str(m->recipients[0], PR_SUPPLEMENTARY_INFO);
            ok(s && strlen(s) < 1100, "supplementary info bounded: %zu\n", s ? strlen(s) : 0);
        }
        ok(warned(&w, "past 1000 dropped"), "dropped blocks warned\n");
        ok(warned(&w, "cut to 1024 bytes"), "cut field warned\n");
    }
    cv_mime_warnings_clear(&w);
    cv_message_free(m);
    free(msg);
}

/* Read and not-read receipts: report time, correlation key, original. */
static void test_mdn(void)
{
    static const char msg[] =
        "From: Bob <bob@example.net>\r\n"
        "To: Alice <alice@example.org>\r\n"
        "Subject: Read: Lunch?\r\n"
        "Date: Mon, 1 Jan 2024 12:00:00 +0000\r\n"
        "Content-Type: multipart/report; report-type=disposition-notification;\r\n"
        "  boundary=\"M1\"\r\n"
        "\r\n"
        "--M1\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "Your message was read.\r\n"
        "--M1\r\n"
        "Content-Type: message/disposition-notification\r\n"
        "\r\n"
        "Reporting-UA: mua.example.net; Mailer 1.0\r\n"
        "Original-Recipient: rfc822;bob@example.net\r\n"
        "Final-Recipient: rfc822;bob@example.net\r\n"
        "Original-Message-ID: <lunch@example.org>\r\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\r\n"
        "X-MSExch-Correlation-Key: AQIDBA==\r\n"
        "\r\n"
        "--M1\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        "From: Alice <alice@example.org>\r\n"
        "To: Bob <bob@example.net>\r\n"
        "Subject: Lunch?\r\n"
        "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
        "\r\n"
        "--M1--\r\n";
    cv_message *m = parse(msg, NULL);
    if (m) {
        st_bag *b = m->props;
        check_str(b, PR_MESSAGE_CLASS, "REPORT.IPM.Note.IPNRN");
        check_time(b, PR_REPORT_TIME, FT_JAN1_NOON);
        check_str(b, PR_REPORT_TEXT, "Your message was read.");
        check_str(b, PR_ORIGINAL_SUBJECT, "Lunch?");
        check_time(b, PR_ORIGINAL_SUBMIT_TIME, FT_JAN1);
        check_str(b, PR_ORIGINAL_DISPLAY_TO, "Bob");
        check_str(b, PR_ORIGINAL_SENDER_NAME, "Alice");
        const st_value *k = st_bag_get(b, PR_PARENT_KEY);
        ok(k && k->v.bin.len == 4 && memcmp(k->v.bin.data, "\x01\x02\x03\x04", 4) == 0,
           "parent key from X-MSExch-Correlation-Key\n");
        /* the rows stay those of To */
        ok(m->n_recipients == 1, "mdn rows: got %zu\n", m->n_recipients);
        if (m->n_recipients == 1)
            check_str(m->recipients[0], PR_SMTP_ADDRESS, "alice@example.org");
        check_str(b, PR_SENT_REPRESENTING_NAME, "Bob");
    }
    cv_message_free(m);

    static const char nrn[] =
        "From: bob@example.net\r\n"
        "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
        "Content-Type: multipart/report; report-type=disposition-notification; boundary=M2\r\n"
        "\r\n"
        "--M2\r\n"
        "Content-Type: message/disposition-notification\r\n"
        "\r\n"
        "Final-Recipient: rfc822;bob@example.net\r\n"
        "Disposition: manual-action/MDN-sent-manually; deleted\r\n"
        "--M2\r\n"
        "Content-Type: message/rfc822\r\n"
        "\r\n"
        "From: alice@example.org\r\n"
        "Subject: Spam?\r\n"
        "\r\n"
        "body\r\n"
        "--M2--\r\n";
    m = parse(nrn, NULL);
    if (m) {
        check_str(m->props, PR_MESSAGE_CLASS, "REPORT.IPM.Note.IPNNRN");
        check_time(m->props, PR_REPORT_TIME, FT_JAN1);
        check_str(m->props, PR_ORIGINAL_SUBJECT, "Spam?");
        check_str(m->props, PR_ORIGINAL_SENDER_EMAIL_ADDRESS, "alice@example.org");
        check_absent(m->props, PR_PARENT_KEY);
        check_absent(m->props, PR_REPORT_TEXT);
    }
    cv_message_free(m);
}

/* A report nested in a forwarded message maps inside that message only. */
static void test_nested(void)
{
    static const char msg[] =
        "Subject: Fwd: bounce\r\n"
        "Content-Type: multipart/mixed; boundary=O\r\n"
        "\r\n"
        "--O\r\n"
        "\r\n"
        "see below\r\n"
        "--O\r\n"
        "Content-Type: message/rfc822\r\n"
        "\r\n"
        "To: alice@example.org\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=I\r\n"
        "\r\n"
        "--I\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx\r\n"
        "\r\n"
        "Final-Recipient: rfc822; z@example.net\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "--I--\r\n"
        "--O--\r\n";
    cv_message *m = parse(msg, NULL);
    if (m) {
        check_str(m->props, PR_MESSAGE_CLASS, "IPM.Note");
        check_absent(m->props, PR_REPORT_TEXT);
        ok(m->n_attachments == 1 && m->attachments[0].embedded, "embedded\n");
        if (m->n_attachments == 1 && m->attachments[0].embedded) {
            cv_message *e = m->attachments[0].embedded;
            check_str(e->props, PR_MESSAGE_CLASS, "REPORT.IPM.Note.NDR");
            ok(e->n_recipients == 1, "embedded rows: got %zu\n", e->n_recipients);
            if (e->n_recipients == 1)
                check_long(e->recipients[0], PR_NDR_STATUS_CODE, 511);
        }
    }
    cv_message_free(m);
}

/* Fed one byte at a time: the same rows and report properties. */
static void test_chunked(void)
{
    cv_mime_parser *p = NULL;
    cv_message *m = NULL;
    size_t len = strlen(dsn_failed);

    ok(cv_mime_parser_new(&p, NULL) == 0, "parser\n");
    if (!p)
        return;
    for (size_t i = 0; i < len; i++)
        cv_mime_parser_feed(p, dsn_failed + i, 1);
    ok(cv_mime_parser_finish(p, &m, NULL) == 0, "finish\n");
    cv_mime_parser_free(p);
    if (!m)
        return;
    ok(m->n_recipients == 3, "chunked rows: got %zu\n", m->n_recipients);
    if (m->n_recipients == 3) {
        check_long(m->recipients[0], PR_NDR_STATUS_CODE, 511);
        check_str(m->recipients[2], PR_ADDRTYPE, "X400");
    }
    check_str(m->props, PR_ORIGINAL_SUBJECT, "Lunch?");
    cv_message_free(m);
}

int main(void)
{
    test_dsn_failed();
    test_dsn_delayed();
    test_dsn_relayed_delivered();
    test_dsn_no_rows();
    test_dsn_bounds();
    test_mdn();
    test_nested();
    test_chunked();
    return test_done();
}
