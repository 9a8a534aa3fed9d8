/*
 * test_mime_parse.c: the MIME reader on messages built here: the MAPI
 * properties of each structure ([MS-OXCMAIL] mapping), the same result for
 * every chunk size, the attachment sink, the limits (depth, parts, header
 * size, line length) and junk input. No corpus needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "convert/mime.h"
#include "storage/props_tags.h"
#include "testutil.h"
#include "mime_test_util.h"

/* ---- a text form of a message, to compare results ---- */

static void sb_printf(sb *b, const char *fmt, ...) TEST_PRINTF(2, 3);
static void sb_printf(sb *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    sb_add(b, tmp, n < 0 ? 0 : (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void dump_bag(sb *b, const st_bag *bag)
{
    for (size_t i = 0; i < st_bag_count(bag); i++) {
        const st_value *v = st_bag_at(bag, i);
        sb_printf(b, "%08x=", (unsigned)v->tag);
        switch (PROP_TYPE(v->tag)) {
        case PT_UNICODE:
        case PT_STRING8:
            sb_add(b, v->v.str, strlen(v->v.str));
            break;
        case PT_LONG:
            sb_printf(b, "%d", v->v.l);
            break;
        case PT_BOOLEAN:
            sb_printf(b, "%d", v->v.b);
            break;
        case PT_I8:
            sb_printf(b, "%lld", (long long)v->v.li);
            break;
        case PT_SYSTIME:
            sb_printf(b, "%llu", (unsigned long long)v->v.ft);
            break;
        case PT_BINARY:
            sb_add(b, (const char *)v->v.bin.data, v->v.bin.len);
            break;
        default:
            sb_printf(b, "?");
        }
        sb_add(b, "\n", 1);
    }
}

static void dump_msg(sb *b, const cv_message *m)
{
    sb_add(b, "{msg\n", 5);
    dump_bag(b, m->props);
    for (size_t i = 0; i < m->n_recipients; i++) {
        sb_add(b, "{rcpt\n", 6);
        dump_bag(b, m->recipients[i]);
        sb_add(b, "}\n", 2);
    }
    for (size_t i = 0; i < m->n_attachments; i++) {
        sb_printf(b, "{att %llu\n", (unsigned long long)m->attachments[i].data_size);
        dump_bag(b, m->attachments[i].props);
        if (m->attachments[i].embedded)
            dump_msg(b, m->attachments[i].embedded);
        sb_add(b, "}\n", 2);
    }
    sb_add(b, "}\n", 2);
}

/* ---- helpers ---- */

static cv_message *parse(const char *text, const cv_mime_options *opts, int *rc_out)
{
    cv_message *m = NULL;
    cv_mime_warnings w;
    int rc = cv_mime_parse(&m, text, strlen(text), opts, &w);
    if (rc_out)
        *rc_out = rc;
    cv_mime_warnings_clear(&w);
    return m;
}

static int32_t lng(const st_bag *bag, uint32_t tag, int32_t dflt)
{
    const st_value *v = st_bag_get(bag, tag);
    return v ? v->v.l : dflt;
}

static const st_value *bin(const st_bag *bag, uint32_t tag)
{
    return st_bag_get(bag, tag);
}

/* ---- the messages ---- */

static const char msg_simple[] =
    "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\r\n"
    "Received: from mx.example.org by mail.example.com; Sat, 20 May 2000 10:00:00 +0000\r\n"
    "Received: from a by b; Fri, 19 May 2000 10:00:00 +0000\r\n"
    "From: =?iso-8859-1?Q?J=F6rg?= Doe <jorg@example.com>\r\n"
    "Sender: secretary@example.com\r\n"
    "Reply-To: Replies <r@example.com>, other@example.com\r\n"
    "To: Joe Blow <blow@example.com>,\r\n"
    " \"Doe, Jane\" <jane@example.com>\r\n"
    "Cc: cc@example.com\r\n"
    "Bcc: Team: hidden@example.com;\r\n"
    "Subject: RE: =?UTF-8?B?R3LDvMOfZQ==?=\r\n"
    "Date: Fri, 19 May 2000 10:26:12 -0400 (EDT)\r\n"
    "Message-ID: <id1@example.com>\r\n"
    "In-Reply-To: <id0@example.com>\r\n"
    "References: <a@x>\r\n"
    "\t<b@x>\r\n"
    "Importance: High\r\n"
    "X-Priority: 5\r\n"
    "Sensitivity: Company-Confidential\r\n"
    "Disposition-Notification-To: jorg@example.com\r\n"
    "Return-Receipt-To: jorg@example.com\r\n"
    "Thread-Topic: Grusse\r\n"
    "Thread-Index: AQHAAAECAwQ=\r\n"
    "List-Unsubscribe: <mailto:leave@example.com>\r\n"
    "\r\n"
    "Hello\n"
    "World\r\n";

static void test_simple(void)
{
    cv_message *m = parse(msg_simple, NULL, NULL);
    ok(m != NULL, "simple: parsed\n");
    if (!m)
        return;
    st_bag *b = m->props;
    check_str(b, PR_MESSAGE_CLASS, "IPM.Note");
    check_str(b, PR_SUBJECT, "RE: Grüße");
    check_str(b, PR_SUBJECT_PREFIX, "RE: ");
    check_str(b, PR_NORMALIZED_SUBJECT, "Grüße");
    check_str(b, PR_CONVERSATION_TOPIC, "Grusse");
    check_str(b, PR_SENT_REPRESENTING_NAME, "Jörg Doe");
    check_str(b, PR_SENT_REPRESENTING_EMAIL_ADDRESS, "jorg@example.com");
    check_str(b, PR_SENT_REPRESENTING_ADDRTYPE, "SMTP");
    check_str(b, PR_SENDER_EMAIL_ADDRESS, "secretary@example.com");
    check_str(b, PR_SENDER_NAME, "secretary@example.com");
    check_str(b, PR_REPLY_RECIPIENT_NAMES, "Replies; other@example.com");
    const st_value *fl = bin(b, PR_REPLY_RECIPIENT_ENTRIES);
    ok(fl && fl->v.bin.len > 8 && fl->v.bin.data[0] == 2
           && (size_t)(fl->v.bin.data[4] | fl->v.bin.data[5] << 8) == fl->v.bin.len - 8,
       "reply entries: FLATENTRYLIST of 2\n");
    ok(bin(b, PR_SENDER_ENTRYID) && bin(b, PR_SENT_REPRESENTING_ENTRYID) && bin(b, PR_SENDER_SEARCH_KEY)
           && bin(b, PR_SENT_REPRESENTING_SEARCH_KEY), "sender entry ids and search keys\n");
    check_str(b, PR_DISPLAY_TO, "Joe Blow; Doe, Jane");
    check_str(b, PR_DISPLAY_CC, "cc@example.com");
    check_str(b, PR_DISPLAY_BCC, "hidden@example.com");
    check_str(b, PR_INTERNET_MESSAGE_ID, "<id1@example.com>");
    check_str(b, PR_IN_REPLY_TO_ID, "<id0@example.com>");
    check_str(b, PR_INTERNET_REFERENCES, "<a@x> <b@x>");
    check_str(b, PR_LIST_UNSUBSCRIBE, "<mailto:leave@example.com>");
    check_str(b, PR_BODY, "Hello\r\nWorld");
    ok(lng(b, PR_IMPORTANCE, -1) == IMPORTANCE_HIGH, "importance (Importance wins)\n");
    ok(lng(b, PR_SENSITIVITY, -1) == (int32_t)SENSITIVITY_COMPANY_CONFIDENTIAL, "sensitivity\n");
    ok(st_bag_get(b, PR_READ_RECEIPT_REQUESTED) && st_bag_get(b, PR_READ_RECEIPT_REQUESTED)->v.b,
       "read receipt\n");
    ok(st_bag_get(b, PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED), "delivery report\n");
    const st_value *ci = bin(b, PR_CONVERSATION_INDEX);
    ok(ci && ci->v.bin.len == 8 && ci->v.bin.data[0] == 1, "conversation index\n");
    const st_value *t = st_bag_get(b, PR_CLIENT_SUBMIT_TIME);
    ok(t && t->v.ft == (958746372ULL + 11644473600ULL) * 10000000ULL, "submit time\n");
    t = st_bag_get(b, PR_MESSAGE_DELIVERY_TIME);
    ok(t && t->v.ft == (958816800ULL + 11644473600ULL) * 10000000ULL, "delivery time from Received\n");
    const char *th = str(b, PR_TRANSPORT_MESSAGE_HEADERS);
    ok(th && strncmp(th, "Received: from mx", 17) == 0 && strstr(th, "Thread-Index"),
       "transport headers (mbox line dropped)\n");
    ok(lng(b, PR_MESSAGE_SIZE, 0) == (int32_t)strlen(msg_simple), "message size\n");
    ok(st_bag_get(b, PR_HASATTACH) && !st_bag_get(b, PR_HASATTACH)->v.b, "no attachments\n");
    ok(m->n_recipients == 4, "4 recipients, got %u\n", (unsigned)m->n_recipients);
    if (m->n_recipients == 4) {
        check_str(m->recipients[1], PR_DISPLAY_NAME, "Doe, Jane");
        check_str(m->recipients[1], PR_SMTP_ADDRESS, "jane@example.com");
        check_str(m->recipients[1], PR_ADDRTYPE, "SMTP");
        ok(lng(m->recipients[0], PR_RECIPIENT_TYPE, 0) == MAPI_TO, "to\n");
        /* one-off entry id: flags, MAPI_ONE_OFF_UID, version, 0x9001, UTF-16LE strings */
        static const uint8_t head[24] = { 0, 0, 0, 0, 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                          0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02, 0, 0, 0x01, 0x90 };
        const st_value *e = bin(m->recipients[0], PR_ENTRYID);
        ok(e && e->v.bin.len == 24 + 18 + 10 + 34 && memcmp(e->v.bin.data, head, 24) == 0
               && e->v.bin.data[24] == 'J' && e->v.bin.data[25] == 0 && e->v.bin.data[42] == 'S',
           "one-off entry id (%u bytes)\n", e ? (unsigned)e->v.bin.len : 0);
        ok(bin(m->recipients[0], PR_RECIPIENT_ENTRYID) != NULL, "recipient entry id\n");
        const st_value *k = bin(m->recipients[0], PR_SEARCH_KEY);
        ok(k && k->v.bin.len == 22 && memcmp(k->v.bin.data, "SMTP:BLOW@EXAMPLE.COM", 22) == 0,
           "search key\n");
        ok(lng(m->recipients[2], PR_RECIPIENT_TYPE, 0) == MAPI_CC, "cc\n");
        ok(lng(m->recipients[3], PR_RECIPIENT_TYPE, 0) == MAPI_BCC, "bcc\n");
    }
    cv_message_free(m);
}

static const char msg_alt[] =
    "From: a@b.c\r\n"
    "Subject: alt\r\n"
    "Content-Type: multipart/alternative; boundary=\"b1\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--b1\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "caf=E9 au lait, soft=\r\n"
    "break\r\n"
    "--b1\r\n"
    "Content-Type: text/html; charset=windows-1252\r\n"
    "\r\n"
    "<p>caf\xe9 \x80</p>\r\n"
    "--b1\r\n"
    "Content-Type: text/enriched\r\n"
    "\r\n"
    "<bold>another rendering</bold>\r\n"
    "--b1--\r\n"
    "epilogue\r\n";

static void test_alternative(void)
{
    cv_message *m = parse(msg_alt, NULL, NULL);
    ok(m != NULL, "alt: parsed\n");
    if (!m)
        return;
    check_str(m->props, PR_BODY, "café au lait, softbreak");
    const st_value *h = bin(m->props, PR_HTML);
    ok(h && h->v.bin.len == strlen("<p>café €</p>")
           && memcmp(h->v.bin.data, "<p>café €</p>", h->v.bin.len) == 0,
       "html as UTF-8: \"%.*s\"\n", h ? (int)h->v.bin.len : 0, h ? (char *)h->v.bin.data : "");
    ok(lng(m->props, PR_INTERNET_CPID, 0) == 65001, "cpid\n");
    ok(m->n_attachments == 0, "no attachments in alternative, got %u\n", (unsigned)m->n_attachments);
    cv_message_free(m);
}

static const char msg_mixed[] =
    "From: a@b.c\r\n"
    "To: d@e.f\r\n"
    "Subject: mixed\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=outer\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "body text\r\n"
    "--outer\r\n"
    "Content-Type: application/octet-stream; name=\"ignored.bin\"\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "Content-Location: http://example.com/r.pdf\r\n"
    "\r\n"
    "SGVsbG8g\r\n"
    "d29ybGQ=\r\n"
    "--outer\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "list footer\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: inner@b.c\r\n"
    "Subject: inner subject\r\n"
    "Content-Type: multipart/mixed; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "\r\n"
    "inner body\r\n"
    "--inner\r\n"
    "Content-Type: image/gif\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "R0lGODlhAQABAAAAACw=\r\n"
    "--inner--\r\n"
    "--outer\r\n"
    "Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\n"
    "\r\n"
    "BEGIN:VCALENDAR\r\n"
    "END:VCALENDAR\r\n"
    "--outer\r\n"
    "Content-Type: application/vnd.ms-tnef\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "eJ8+IgAA\r\n"
    "--outer--\r\n";

static void test_mixed(void)
{
    cv_message *m = parse(msg_mixed, NULL, NULL);
    ok(m != NULL, "mixed: parsed\n");
    if (!m)
        return;
    check_str(m->props, PR_BODY, "body text");
    ok(m->n_attachments == 5, "mixed: 5 attachments, got %u\n", (unsigned)m->n_attachments);
    ok(lng(m->props, PR_MESSAGE_FLAGS, 0) & (int32_t)MSGFLAG_HASATTACH, "hasattach flag\n");
    if (m->n_attachments == 5) {
        st_bag *a = m->attachments[0].props;
        check_str(a, PR_ATTACH_LONG_FILENAME, "résumé.pdf");
        check_str(a, PR_ATTACH_EXTENSION, ".pdf");
        check_str(a, PR_ATTACH_FILENAME, "RSUM~1.PDF");
        check_str(a, PR_ATTACH_MIME_TAG, "application/octet-stream");
        check_str(a, PR_ATTACH_CONTENT_LOCATION, "http://example.com/r.pdf");
        ok(lng(a, PR_ATTACH_METHOD, 0) == (int32_t)ATTACH_BY_VALUE, "by value\n");
        const st_value *d = bin(a, PR_ATTACH_DATA_BIN);
        ok(d && d->v.bin.len == 11 && memcmp(d->v.bin.data, "Hello world", 11) == 0, "data\n");
        ok(lng(a, PR_ATTACH_SIZE, 0) == 11, "attach size\n");
        /* a second inline text part: an attachment, as Exchange does */
        check_str(m->attachments[1].props, PR_ATTACH_LONG_FILENAME, "ATT00002.txt");
        d = bin(m->attachments[1].props, PR_ATTACH_DATA_BIN);
        ok(d && d->v.bin.len == 11 && memcmp(d->v.bin.data, "list footer", 11) == 0, "footer\n");
        /* embedded */
        a = m->attachments[2].props;
        ok(lng(a, PR_ATTACH_METHOD, 0) == (int32_t)ATTACH_EMBEDDED_MSG, "embedded method\n");
        check_str(a, PR_DISPLAY_NAME, "inner subject");
        cv_message *e = m->attachments[2].embedded;
        ok(e != NULL, "embedded message\n");
        if (e) {
            check_str(e->props, PR_SUBJECT, "inner subject");
            check_str(e->props, PR_BODY, "inner body");
            check_str(e->props, PR_SENT_REPRESENTING_EMAIL_ADDRESS, "inner@b.c");
            ok(e->n_attachments == 1 && e->attachments[0].data_size == 14, "embedded gif\n");
        }
        check_str(m->attachments[3].props, PR_ATTACH_MIME_TAG, "text/calendar");
        check_str(m->attachments[3].props, PR_ATTACH_LONG_FILENAME, "ATT00004.ics");
        check_str(m->attachments[4].props, PR_ATTACH_MIME_TAG, "application/ms-tnef");
        check_str(m->attachments[4].props, PR_ATTACH_LONG_FILENAME, "winmail.dat");
    }
    cv_message_free(m);
}

static const char msg_related[] =
    "From: a@b.c\r\n"
    "Subject: related\r\n"
    "Content-Type: multipart/alternative; boundary=A\r\n"
    "\r\n"
    "--A\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "plain\r\n"
    "--A\r\n"
    "Content-Type: multipart/related; boundary=R; start=\"<root@x>\"\r\n"
    "\r\n"
    "--R\r\n"
    "Content-Type: image/png\r\n"
    "Content-ID: <img1@x>\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0K\r\n"
    "--R\r\n"
    "Content-Type: text/html\r\n"
    "Content-ID: <root@x>\r\n"
    "\r\n"
    "<img src=\"cid:img1@x\">\r\n"
    "--R\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    "%PDF\r\n"
    "--R--\r\n"
    "--A--\r\n";

static void test_related(void)
{
    cv_message *m = parse(msg_related, NULL, NULL);
    ok(m != NULL, "related: parsed\n");
    if (!m)
        return;
    check_str(m->props, PR_BODY, "plain");
    const st_value *h = bin(m->props, PR_HTML);
    ok(h && h->v.bin.len == 22, "related root is the html (start=)\n");
    ok(m->n_attachments == 2, "related: 2 attachments, got %u\n", (unsigned)m->n_attachments);
    if (m->n_attachments == 2) {
        st_bag *a = m->attachments[0].props;
        check_str(a, PR_ATTACH_CONTENT_ID, "img1@x");
        ok(st_bag_get(a, PR_ATTACHMENT_HIDDEN) && st_bag_get(a, PR_ATTACHMENT_HIDDEN)->v.b, "hidden\n");
        ok(lng(a, PR_ATTACH_FLAGS, 0) == (int32_t)ATT_MHTML_REF, "mhtml ref\n");
        ok(!st_bag_get(m->attachments[1].props, PR_ATTACHMENT_HIDDEN), "pdf not hidden\n");
    }
    ok(st_bag_get(m->props, PR_HASATTACH) && st_bag_get(m->props, PR_HASATTACH)->v.b,
       "hasattach (the pdf)\n");
    cv_message_free(m);
}

static const char msg_signed[] =
    "From: a@b.c\r\n"
    "Subject: signed\r\n"
    "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"
    " micalg=sha-256; boundary=\"S\"\r\n"
    "\r\n"
    "This is a signed message.\r\n"
    "--S\r\n"
    "Content-Type: multipart/mixed; boundary=M\r\n"
    "\r\n"
    "--M\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "signed text\r\n"
    "--M\r\n"
    "Content-Type: image/png\r\n"
    "\r\n"
    "png\r\n"
    "--M--\r\n"
    "--S\r\n"
    "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "MIAGCSqGSIb3DQEHAqCAMIACAQEx\r\n"
    "--S--\r\n";

static void test_signed(void)
{
    cv_message *m = parse(msg_signed, NULL, NULL);
    ok(m != NULL, "signed: parsed\n");
    if (!m)
        return;
    check_str(m->props, PR_MESSAGE_CLASS, "IPM.Note.SMIME.MultipartSigned");
    check_str(m->props, PR_BODY, "signed text");
    ok(m->n_attachments == 1, "signed: one attachment, got %u\n", (unsigned)m->n_attachments);
    if (m->n_attachments == 1) {
        st_bag *a = m->attachments[0].props;
        check_str(a, PR_ATTACH_LONG_FILENAME, "smime.p7m");
        check_str(a, PR_ATTACH_MIME_TAG, "multipart/signed");
        const st_value *d = bin(a, PR_ATTACH_DATA_BIN);
        const char *body = strstr(msg_signed, "\r\n\r\n") + 4;
        ok(d && d->v.bin.len > 60 && strncmp((char *)d->v.bin.data, "Content-Type: multipart/signed;", 31) == 0,
           "p7m starts with the entity's headers\n");
        if (d) {
            char *copy = malloc(d->v.bin.len + 1);
            memcpy(copy, d->v.bin.data, d->v.bin.len);
            copy[d->v.bin.len] = 0;
            const char *blank = strstr(copy, "\r\n\r\n");
            ok(blank && strcmp(blank + 4, body) == 0, "p7m holds the signed body byte for byte\n");
            free(copy);
        }
    }
    cv_message_free(m);

    static const char opaque[] =
        "From: a@b.c\r\n"
        "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        "MIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n";
    m = parse(opaque, NULL, NULL);
    ok(m != NULL, "pkcs7: parsed\n");
    if (!m)
        return;
    check_str(m->props, PR_MESSAGE_CLASS, "IPM.Note.SMIME");
    ok(m->n_attachments == 1 && m->attachments[0].data_size == 21, "pkcs7 blob decoded\n");
    if (m->n_attachments == 1)
        check_str(m->attachments[0].props, PR_ATTACH_MIME_TAG, "application/pkcs7-mime");
    cv_message_free(m);
}

static void test_reports(void)
{
    static const char dsn[] =
        "From: MAILER-DAEMON@x\r\n"
        "Subject: Undeliverable\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=D\r\n"
        "\r\n"
        "--D\r\n"
        "\r\n"
        "Your message could not be delivered.\r\n"
        "--D\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.x\r\n"
        "\r\n"
        "Final-Recipient: rfc822; a@b.c\r\n"
        "Action: delivered\r\n"
        "\r\n"
        "Final-Recipient: rfc822; d@b.c\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "--D\r\n"
        "Content-Type: text/rfc822-headers\r\n"
        "\r\n"
        "Subject: original\r\n"
        "--D--\r\n";
    cv_message *m = parse(dsn, NULL, NULL);
    ok(m != NULL, "dsn: parsed\n");
    if (m) {
        check_str(m->props, PR_MESSAGE_CLASS, "REPORT.IPM.Note.NDR");
        check_str(m->props, PR_BODY, "Your message could not be delivered.");
        ok(m->n_attachments == 2, "dsn: status kept + headers, got %u\n", (unsigned)m->n_attachments);
        if (m->n_attachments >= 1)
            check_str(m->attachments[0].props, PR_ATTACH_MIME_TAG, "message/delivery-status");
    }
    cv_message_free(m);
    static const char mdn[] =
        "Subject: Read: x\r\n"
        "Content-Type: multipart/report; report-type=disposition-notification; boundary=N\r\n"
        "\r\n"
        "--N\r\n"
        "\r\n"
        "read\r\n"
        "--N\r\n"
        "Content-Type: message/disposition-notification\r\n"
        "\r\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\r\n"
        "--N--\r\n";
    m = parse(mdn, NULL, NULL);
    ok(m && strcmp(str(m->props, PR_MESSAGE_CLASS), "REPORT.IPM.Note.IPNRN") == 0, "mdn class\n");
    cv_message_free(m);
}

/* Every chunk size gives the result of one feed. */
static void test_chunks(void)
{
    const char *msgs[] = { msg_simple, msg_alt, msg_mixed, msg_related, msg_signed };
    for (size_t k = 0; k < sizeof msgs / sizeof msgs[0]; k++) {
        size_t len = strlen(msgs[k]);
        sb want = { 0 };
        cv_message *m = parse(msgs[k], NULL, NULL);
        dump_msg(&want, m);
        cv_message_free(m);
        int bad = 0;
        for (size_t chunk = 1; chunk <= len + 1; chunk++) {
            cv_mime_parser *p = NULL;
            cv_message *got = NULL;
            if (cv_mime_parser_new(&p, NULL) != 0)
                test_fatal("parser_new\n");
            for (size_t o = 0; o < len; o += chunk)
                cv_mime_parser_feed(p, msgs[k] + o, len - o < chunk ? len - o : chunk);
            cv_mime_parser_finish(p, &got, NULL);
            cv_mime_parser_free(p);
            sb g = { 0 };
            if (got)
                dump_msg(&g, got);
            cv_message_free(got);
            if (!g.p || strcmp(g.p, want.p) != 0) {
                if (bad++ < 3)
                    ok(0, "message %u: chunk size %u differs\n", (unsigned)k, (unsigned)chunk);
            }
            free(g.p);
        }
        ok(bad == 0, "message %u: %d chunk sizes differ\n", (unsigned)k, bad);
        free(want.p);
    }
}

/* The text-line fast path of cv_mime_parser_feed (whole chunks) against
 * the line-by-line path (1-byte feeds never hold a whole line at a line
 * start, larger ones do): the same message and warnings for every chunk
 * size, on bodies with what makes the fast path stop: "--" lines, bare LF
 * and CR CR LF ends, lines of max_line and longer, a body over max_body,
 * no final line end, and text inside multiparts and a signed capture. */
static void text_lines_case(const char *name, const char *text, const cv_mime_options *o)
{
    size_t len = strlen(text);
    sb want = { 0 };
    int bad = 0;
    for (size_t chunk = 1; chunk <= len + 1; chunk++) {
        cv_mime_parser *p = NULL;
        cv_message *got = NULL;
        cv_mime_warnings w;
        if (cv_mime_parser_new(&p, o) != 0)
            test_fatal("parser_new\n");
        for (size_t off = 0; off < len; off += chunk)
            cv_mime_parser_feed(p, text + off, len - off < chunk ? len - off : chunk);
        int rc = cv_mime_parser_finish(p, &got, &w);
        cv_mime_parser_free(p);
        sb g = { 0 };
        sb_printf(&g, "rc %d\n", rc);
        for (size_t i = 0; i < w.n; i++)
            sb_printf(&g, "warn %s\n", w.msg[i]);
        if (got)
            dump_msg(&g, got);
        cv_message_free(got);
        cv_mime_warnings_clear(&w);
        if (chunk == 1) {
            want = g;
            continue;
        }
        if (strcmp(g.p, want.p) != 0 && bad++ < 3)
            ok(0, "%s: chunk size %u differs\n", name, (unsigned)chunk);
        free(g.p);
    }
    ok(bad == 0, "%s: %d chunk sizes differ from 1-byte feeds\n", name, bad);
    free(want.p);
}

static void test_text_lines(void)
{
    sb s = { 0 };
    sb_printf(&s, "Subject: t\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                  "one\r\n--not a boundary\r\n-\r\n--\r\nbare\nlf\ncr\r\r\n\r\n\n");
    for (int i = 0; i < 3; i++) {   /* lines of 78..80 bytes with their end, and longer */
        for (int k = 0; k < 76 + i; k++)
            sb_add(&s, "x", 1);
        sb_printf(&s, "\r\n");
    }
    for (int k = 0; k < 250; k++)
        sb_add(&s, k % 79 ? "y" : "\xC3\xA9", k % 79 ? 1 : 2);
    sb_printf(&s, "\r\nlast line without end");
    cv_mime_options o = { .max_line = 80 };
    text_lines_case("plain", s.p, &o);
    text_lines_case("plain, default limits", s.p, NULL);
    o.max_body = 150;
    text_lines_case("plain, max_body 150", s.p, &o);
    free(s.p);

    text_lines_case("alternative", msg_alt, NULL);
    text_lines_case("mixed", msg_mixed, NULL);
    text_lines_case("related", msg_related, NULL);
    text_lines_case("signed", msg_signed, NULL);
    text_lines_case("html, embedded",
                    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                    "Content-Type: text/html\r\n\r\n<p>a</p>\r\n\r\n--b\r\n"
                    "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner\r\n"
                    "--bx\r\ntext\r\n--b--\r\nepilogue\r\n", NULL);
}

/* ---- the sink ---- */

typedef struct rec {
    int streams, open, ended_ok, ended_bad, fail_at_write;
    size_t writes, bytes, max_write;
    sb data[8];
} rec;

static int rec_begin(void *ctx, uint64_t *id)
{
    rec *r = ctx;
    *id = (uint64_t)++r->streams;
    r->open++;
    return 0;
}

static int rec_write(void *ctx, uint64_t id, const void *data, size_t len)
{
    rec *r = ctx;
    if (r->fail_at_write && (int)r->writes + 1 >= r->fail_at_write)
        return -1;
    r->writes++;
    r->bytes += len;
    if (len > r->max_write)
        r->max_write = len;
    if (id >= 1 && id <= 8)
        sb_add(&r->data[id - 1], data, len);
    return 0;
}

static int rec_end(void *ctx, uint64_t id, int okk)
{
    rec *r = ctx;
    r->open--;
    if (okk)
        r->ended_ok++;
    else
        r->ended_bad++;
    return 0;
}

static void test_sink(void)
{
    /* a 3 MB attachment streams in bounded writes */
    size_t raw = 3u << 20;
    size_t cap = raw / 57 * 80 + 1024;
    char *msg = malloc(cap);
    size_t n = (size_t)snprintf(msg, cap, "Subject: big\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"
                                          "--x\r\n\r\nhi\r\n--x\r\nContent-Type: application/octet-stream\r\n"
                                          "Content-Transfer-Encoding: base64\r\n\r\n");
    for (size_t i = 0; i < raw / 57; i++) {
        /* 57 bytes of 0xAA..: "qqqq" repeated */
        memcpy(msg + n, "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\r\n", 78);
        n += 78;
    }
    n += (size_t)snprintf(msg + n, cap - n, "--x--\r\n");
    rec r;
    memset(&r, 0, sizeof r);
    cv_sink sink = { rec_begin, rec_write, rec_end, &r };
    cv_mime_options opts = { .sink = &sink };
    cv_mime_parser *p = NULL;
    cv_message *m = NULL;
    ok(cv_mime_parser_new(&p, &opts) == 0, "sink: new\n");
    for (size_t o = 0; o < n; o += 65536)
        cv_mime_parser_feed(p, msg + o, n - o < 65536 ? n - o : 65536);
    int rc = cv_mime_parser_finish(p, &m, NULL);
    cv_mime_parser_free(p);
    ok(rc == 0 && m && m->n_attachments == 1, "sink: rc %d\n", rc);
    if (m && m->n_attachments == 1) {
        cv_attachment *a = &m->attachments[0];
        ok(a->data_id == 1 && a->data_size == raw / 57 * 57, "sink: id %llu size %llu\n",
           (unsigned long long)a->data_id, (unsigned long long)a->data_size);
        ok(!st_bag_get(a->props, PR_ATTACH_DATA_BIN), "sink: no PR_ATTACH_DATA_BIN\n");
        ok(r.bytes == a->data_size && r.max_write <= 70000 && r.writes > 40, "sink: %u writes, max %u\n",
           (unsigned)r.writes, (unsigned)r.max_write);
        ok(r.data[0].n == r.bytes && (unsigned char)r.data[0].p[0] == 0xAA
               && (unsigned char)r.data[0].p[r.bytes - 1] == 0xAA, "sink: bytes decoded\n");
    }
    ok(r.open == 0 && r.ended_ok == 1 && r.ended_bad == 0, "sink: streams closed\n");
    cv_message_free(m);
    free(r.data[0].p);

    /* a failing sink stops the parser cleanly */
    memset(&r, 0, sizeof r);
    r.fail_at_write = 3;
    m = NULL;
    rc = cv_mime_parse(&m, msg, n, &opts, NULL);
    ok(rc == -1 && m == NULL, "failing sink: rc %d\n", rc);
    ok(r.open == 0 && r.ended_bad == 1, "failing sink: stream closed as bad (%d open)\n", r.open);
    free(r.data[0].p);
    free(msg);
}

/* ---- limits ---- */

static void test_limits(void)
{
    cv_mime_warnings w;
    cv_message *m = NULL;

    /* depth: 40 nested multiparts */
    sb s = { 0 };
    sb_printf(&s, "Subject: deep\r\n");
    for (int i = 0; i < 40; i++)
        sb_printf(&s, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i);
    sb_printf(&s, "Content-Type: text/plain\r\n\r\ndeep text\r\n");
    for (int i = 39; i >= 0; i--)
        sb_printf(&s, "--b%d--\r\n", i);
    int rc = cv_mime_parse(&m, s.p, s.n, NULL, &w);
    ok(rc == CV_ELIMIT && m, "depth: rc %d\n", rc);
    ok(w.n >= 1, "depth: warned\n");
    if (m) {
        const char *body = str(m->props, PR_BODY);
        ok(body && strstr(body, "[X-mapidav-truncated: nesting too deep]"), "depth: marked body \"%s\"\n",
           body ? body : "");
        ok(m->n_attachments == 1, "depth: deepest part kept as one attachment\n");
    }
    cv_message_free(m);
    cv_mime_warnings_clear(&w);
    free(s.p);

    /* parts */
    memset(&s, 0, sizeof s);
    sb_printf(&s, "Content-Type: multipart/mixed; boundary=p\r\n\r\n");
    for (int i = 0; i < 20; i++)
        sb_printf(&s, "--p\r\nContent-Type: application/x-%d\r\n\r\ndata\r\n", i);
    sb_printf(&s, "--p--\r\n");
    cv_mime_options o = { .max_parts = 6 };
    rc = cv_mime_parse(&m, s.p, s.n, &o, &w);
    ok(rc == CV_ELIMIT && m && m->n_attachments == 5, "parts: rc %d, %u attachments\n", rc,
       m ? (unsigned)m->n_attachments : 0);
    cv_message_free(m);
    cv_mime_warnings_clear(&w);
    free(s.p);

    /* header block */
    memset(&s, 0, sizeof s);
    sb_printf(&s, "Subject: first\r\n");
    for (int i = 0; i < 200; i++)
        sb_printf(&s, "X-Filler-%d: %s\r\n", i, "0123456789012345678901234567890123456789");
    sb_printf(&s, "Subject: late\r\n\r\nbody\r\n");
    o = (cv_mime_options){ .max_header_size = 1024 };
    rc = cv_mime_parse(&m, s.p, s.n, &o, &w);
    ok(rc == CV_ELIMIT && m, "headers: rc %d\n", rc);
    if (m) {
        check_str(m->props, PR_SUBJECT, "first");
        const char *body = str(m->props, PR_BODY);
        ok(body && strncmp(body, "body\r\n[X-mapidav-truncated:", 27) == 0, "headers: body kept \"%s\"\n",
           body ? body : "");
    }
    cv_message_free(m);
    cv_mime_warnings_clear(&w);
    free(s.p);

    /* line length: a 10000-character base64 line with max_line 100 decodes the same */
    memset(&s, 0, sizeof s);
    sb_printf(&s, "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    for (int i = 0; i < 2500; i++)
        sb_add(&s, "QUJD", 4);
    sb_printf(&s, "\r\n");
    o = (cv_mime_options){ .max_line = 100 };
    rc = cv_mime_parse(&m, s.p, s.n, &o, &w);
    ok(rc == 0 && w.n == 1 && m && m->n_attachments == 1 && m->attachments[0].data_size == 7500,
       "line: rc %d size %llu\n", rc, m && m->n_attachments ? (unsigned long long)m->attachments[0].data_size : 0);
    cv_message_free(m);
    cv_mime_warnings_clear(&w);
    free(s.p);

    /* linear time on hostile header blocks (each ~1 MB with default limits) */
    {
        static const char *const unit[] = { "=?a?q?", "x*0=y;", "To: a@b.c\r\n", "a, b <c@d>, " };
        for (int u = 0; u < 4; u++) {
            memset(&s, 0, sizeof s);
            if (u == 0)
                sb_printf(&s, "Subject: ");
            if (u == 1 || u == 3)
                sb_printf(&s, u == 1 ? "Content-Type: text/plain; " : "To: ");
            while (s.n < 900000)
                sb_add(&s, unit[u], strlen(unit[u]));
            sb_printf(&s, "\r\n\r\nbody\r\n");
            clock_t h0 = clock();
            rc = cv_mime_parse(&m, s.p, s.n, NULL, &w);
            double hs = (double)(clock() - h0) / CLOCKS_PER_SEC;
            ok(m != NULL && hs < 10.0, "hostile header %d: %.2f s\n", u, hs);
            cv_message_free(m);
            cv_mime_warnings_clear(&w);
            free(s.p);
        }
    }

    /* linear time: 32 open multiparts and 4 MB of near-boundary lines */
    memset(&s, 0, sizeof s);
    for (int i = 0; i < 31; i++)
        sb_printf(&s, "Content-Type: multipart/mixed; boundary=boundary-%02d-xxxxxxxxxxxxxxxx\r\n\r\n"
                      "--boundary-%02d-xxxxxxxxxxxxxxxx\r\n", i, i);
    sb_printf(&s, "\r\n");
    while (s.n < (4u << 20))
        sb_add(&s, "--boundary-00-xxxxxxxxxxxxxxxy\r\n", 32);
    clock_t t0 = clock();
    rc = cv_mime_parse(&m, s.p, s.n, NULL, &w);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ok(m != NULL && secs < 20.0, "near-boundaries: %.2f s\n", secs);
    cv_message_free(m);
    cv_mime_warnings_clear(&w);
    free(s.p);
}

static void test_junk(void)
{
    static const char *junk[] = {
        "",
        "\r\n",
        "no header at all\r\nsecond line",
        "Subject: only headers",
        "Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n--\r\n",
        "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x",
        "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x--",
        "Content-Type: message/rfc822\r\n\r\n",
        "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        "U3ViamVjdDogYjY0DQoNCmJvZHkNCg==\r\n",
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n=",
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n=4",
        "Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a.txt\r\n#86)C\r\n`\r\nend\r\n",
        ":\r\n:\r\n\r\n",
        "\x00\x01\x02\xff\xfe\r\n\r\n\x00",
        "From: <<<>>>,,,;;;:::\"\"\"(((\r\n\r\n",
        "Date: \xff\r\nSubject: =?\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        cv_message *m = NULL;
        size_t len = i == 13 ? 10 : strlen(junk[i]);
        int rc = cv_mime_parse(&m, junk[i], len, NULL, NULL);
        ok((rc == 0 || rc == CV_ELIMIT) && m, "junk %u: rc %d\n", (unsigned)i, rc);
        if (i == 8 && m)
            ok(m->n_attachments == 1 && m->attachments[0].embedded
                   && str(m->attachments[0].embedded->props, PR_SUBJECT)
                   && strcmp(str(m->attachments[0].embedded->props, PR_SUBJECT), "b64") == 0,
               "base64 message/rfc822 parsed\n");
        if (i == 2 && m)
            check_str(m->props, PR_BODY, "no header at all\r\nsecond line");
        cv_message_free(m);
    }
}

int main(void)
{
    test_simple();
    test_alternative();
    test_mixed();
    test_related();
    test_signed();
    test_reports();
    test_chunks();
    test_text_lines();
    test_sink();
    test_limits();
    test_junk();
    return test_done();
}
