/*
 * test_mime_build.c: cv_message -> MIME -> cv_message keeps what matters
 * (envelope, recipients, bodies, attachments with their names and bytes,
 * hidden related parts, embedded messages, S/MIME), the output is CRLF with
 * short lines, attachment data streams from a cv_source, and a failing
 * writer stops the build. Also round-trips the corpus when it is there.
 * Long and non-ASCII file names (RFC 2231 sections), byte-identical
 * output for fixed options, and line lengths with 5,000-byte values.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/mime.h"
#include "convert/mime_int.h"
#include "storage/props_tags.h"
#include "corpus_util.h"
#include "testutil.h"
#include "mime_test_util.h"

static int sb_write(void *ctx, const void *data, size_t len)
{
    sb *b = ctx;
    if (b->fail_after && ++b->writes >= b->fail_after)
        return -1;
    sb_add(b, data, len);
    return 0;
}

static int same_str(const st_bag *a, const st_bag *b, uint32_t tag)
{
    const char *x = str(a, tag), *y = str(b, tag);
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static int same_bin(const st_bag *a, const st_bag *b, uint32_t tag)
{
    const st_value *x = st_bag_get(a, tag), *y = st_bag_get(b, tag);
    if (!x || !y)
        return !x && !y;
    return x->v.bin.len == y->v.bin.len && memcmp(x->v.bin.data, y->v.bin.data, x->v.bin.len) == 0;
}

/* Equal but for line ends (MIME text and signed entities are CRLF on the
 * wire; a corpus file may have LF). */
static int same_text_bin(const st_bag *a, const st_bag *b, uint32_t tag)
{
    const st_value *x = st_bag_get(a, tag), *y = st_bag_get(b, tag);
    if (!x || !y)
        return !x && !y;
    size_t i = 0, j = 0;
    for (;;) {
        while (i < x->v.bin.len && x->v.bin.data[i] == '\r')
            i++;
        while (j < y->v.bin.len && y->v.bin.data[j] == '\r')
            j++;
        if (i == x->v.bin.len || j == y->v.bin.len)
            return i == x->v.bin.len && j == y->v.bin.len;
        if (x->v.bin.data[i++] != y->v.bin.data[j++])
            return 0;
    }
}

static int same_long(const st_bag *a, const st_bag *b, uint32_t tag)
{
    const st_value *x = st_bag_get(a, tag), *y = st_bag_get(b, tag);
    return (!x && !y) || (x && y && x->v.l == y->v.l);
}

/* The properties a round trip must keep. */
static void compare(const char *what, const cv_message *a, const cv_message *b, int depth)
{
    static const uint32_t msg_str[] = { PR_SUBJECT, PR_SUBJECT_PREFIX, PR_NORMALIZED_SUBJECT,
                                        PR_SENT_REPRESENTING_NAME, PR_SENT_REPRESENTING_SMTP_ADDRESS,
                                        PR_SENDER_SMTP_ADDRESS, PR_DISPLAY_TO, PR_DISPLAY_CC,
                                        PR_DISPLAY_BCC, PR_INTERNET_MESSAGE_ID, PR_IN_REPLY_TO_ID,
                                        PR_INTERNET_REFERENCES, PR_BODY, PR_MESSAGE_CLASS,
                                        PR_REPLY_RECIPIENT_NAMES };
    static const uint32_t att_str[] = { PR_ATTACH_LONG_FILENAME, PR_ATTACH_MIME_TAG,
                                        PR_ATTACH_CONTENT_ID, PR_ATTACH_CONTENT_LOCATION };
    for (size_t i = 0; i < sizeof msg_str / sizeof msg_str[0]; i++)
        ok(same_str(a->props, b->props, msg_str[i]), "%s/%d: %08x \"%s\" != \"%s\"\n", what, depth,
           (unsigned)msg_str[i], str(a->props, msg_str[i]) ? str(a->props, msg_str[i]) : "(none)",
           str(b->props, msg_str[i]) ? str(b->props, msg_str[i]) : "(none)");
    ok(same_text_bin(a->props, b->props, PR_HTML), "%s/%d: PR_HTML differs\n", what, depth);
    ok(same_bin(a->props, b->props, PR_CONVERSATION_INDEX), "%s/%d: conversation index\n", what, depth);
    ok(same_bin(a->props, b->props, PR_REPLY_RECIPIENT_ENTRIES), "%s/%d: reply entries\n", what, depth);
    ok(same_long(a->props, b->props, PR_IMPORTANCE), "%s/%d: importance\n", what, depth);
    ok(same_long(a->props, b->props, PR_SENSITIVITY), "%s/%d: sensitivity\n", what, depth);
    const st_value *ta = st_bag_get(a->props, PR_CLIENT_SUBMIT_TIME), *tb = st_bag_get(b->props, PR_CLIENT_SUBMIT_TIME);
    /* a message without a date gets one (RFC 5322 3.6), at the top */
    ok((!ta && (!tb || depth == 0)) || (ta && tb && ta->v.ft / 10000000 == tb->v.ft / 10000000), "%s/%d: date\n", what, depth);
    ok(a->n_recipients == b->n_recipients, "%s/%d: %u recipients, %u after\n", what, depth,
       (unsigned)a->n_recipients, (unsigned)b->n_recipients);
    for (size_t i = 0; i < a->n_recipients && i < b->n_recipients; i++)
        ok(same_str(a->recipients[i], b->recipients[i], PR_DISPLAY_NAME)
               && same_str(a->recipients[i], b->recipients[i], PR_SMTP_ADDRESS)
               && same_long(a->recipients[i], b->recipients[i], PR_RECIPIENT_TYPE),
           "%s/%d: recipient %u\n", what, depth, (unsigned)i);
    ok(a->n_attachments == b->n_attachments, "%s/%d: %u attachments, %u after\n", what, depth,
       (unsigned)a->n_attachments, (unsigned)b->n_attachments);
    for (size_t i = 0; i < a->n_attachments && i < b->n_attachments; i++) {
        /* related parts are written after the HTML: find by name */
        const cv_attachment *x = &a->attachments[i], *y = NULL;
        for (size_t k = 0; k < b->n_attachments && !y; k++)
            if (same_str(x->props, b->attachments[k].props, PR_ATTACH_LONG_FILENAME))
                y = &b->attachments[k];
        ok(y != NULL, "%s/%d: attachment %u \"%s\" lost\n", what, depth, (unsigned)i,
           str(x->props, PR_ATTACH_LONG_FILENAME));
        if (!y)
            continue;
        for (size_t k = 0; k < sizeof att_str / sizeof att_str[0]; k++)
            if (!x->embedded)
                ok(same_str(x->props, y->props, att_str[k]), "%s/%d: attachment %u: %08x\n", what, depth,
                   (unsigned)i, (unsigned)att_str[k]);
        const char *tag = str(x->props, PR_ATTACH_MIME_TAG);
        int entity = tag && strcmp(tag, "multipart/signed") == 0;
        ok(entity ? same_text_bin(x->props, y->props, PR_ATTACH_DATA_BIN)
                  : same_bin(x->props, y->props, PR_ATTACH_DATA_BIN),
           "%s/%d: attachment %u data\n", what, depth, (unsigned)i);
        ok(same_long(x->props, y->props, PR_ATTACH_METHOD) && same_long(x->props, y->props, PR_ATTACH_FLAGS),
           "%s/%d: attachment %u method/flags\n", what, depth, (unsigned)i);
        ok(!x->embedded == !y->embedded, "%s/%d: attachment %u embedded\n", what, depth, (unsigned)i);
        if (x->embedded && y->embedded && depth < 8)
            compare(what, x->embedded, y->embedded, depth + 1);
    }
}

static void check_lines(const char *what, const char *s, size_t n)
{
    size_t col = 0, bad_eol = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            if (i == 0 || s[i - 1] != '\r')
                bad_eol++;
            col = 0;
        } else if (++col > longest) {
            longest = col;
        }
    }
    ok(bad_eol == 0, "%s: %u bare LF\n", what, (unsigned)bad_eol);
    ok(longest <= 998, "%s: a line of %u bytes\n", what, (unsigned)longest);
}

/* parse -> build -> parse, compare. */
static void round_trip(const char *what, const char *data, size_t len, int check_output)
{
    cv_message *a = NULL, *b = NULL;
    sb out = { 0 };
    cv_mime_writer w = { sb_write, &out };
    cv_mime_build_options bo = { .boundary_seed = "test" };

    if (cv_mime_parse(&a, data, len, NULL, NULL) < 0 || !a) {
        ok(0, "%s: first parse\n", what);
        return;
    }
    ok(cv_mime_build(a, &bo, &w) == 0, "%s: build\n", what);
    if (check_output)
        check_lines(what, out.p ? out.p : "", out.n);
    int rc = cv_mime_parse(&b, out.p ? out.p : "", out.n, NULL, NULL);
    ok(rc >= 0 && b, "%s: second parse rc %d\n", what, rc);
    if (b)
        compare(what, a, b, 0);
    cv_message_free(a);
    cv_message_free(b);
    free(out.p);
}

static const char msg_full[] =
    "From: =?iso-8859-1?Q?J=F6rg?= \"the boss\" Doe <jorg@example.com>\r\n"
    "Sender: secretary@example.com\r\n"
    "Reply-To: =?UTF-8?Q?R=C3=A9ponses?= <r@example.com>, other@example.com\r\n"
    "To: Joe Blow <blow@example.com>, \"Doe, Jane\" <jane@example.com>\r\n"
    "Cc: cc@example.com\r\n"
    "Bcc: bcc@example.com\r\n"
    "Subject: AW: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4gdW5kIGVpbiBzZWhyIGxhbmdlciBCZXRyZWZm?=\r\n"
    " =?UTF-8?B?IGRlciBnZWZhbHRldCB3ZXJkZW4gbXVzcyDinIU=?=\r\n"
    "Date: Fri, 19 May 2000 10:26:12 -0400\r\n"
    "Message-ID: <id1@example.com>\r\n"
    "In-Reply-To: <id0@example.com>\r\n"
    "References: <a@x> <b@x> <c@x>\r\n"
    "Importance: low\r\n"
    "Sensitivity: Private\r\n"
    "Thread-Index: AQHAAAECAwQ=\r\n"
    "Content-Type: multipart/mixed; boundary=outer\r\n"
    "\r\n"
    "--outer\r\n"
    "Content-Type: multipart/alternative; boundary=alt\r\n"
    "\r\n"
    "--alt\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Grüße =_ with a line that is rather long, longer than seventy-six characters, to be folded.\r\n"
    "--alt\r\n"
    "Content-Type: multipart/related; boundary=rel\r\n"
    "\r\n"
    "--rel\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "\r\n"
    "<p>Grüße <img src=\"cid:img@x\"></p>\r\n"
    "--rel\r\n"
    "Content-Type: image/png\r\n"
    "Content-ID: <img@x>\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\r\n"
    "--rel--\r\n"
    "--alt--\r\n"
    "--outer\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQK\r\n"
    "--outer\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "From: inner@example.com\r\n"
    "Subject: inner\r\n"
    "Content-Type: multipart/mixed; boundary=inner\r\n"
    "\r\n"
    "--inner\r\n"
    "\r\n"
    "inner body\r\n"
    "--inner\r\n"
    "Content-Type: text/calendar; method=REQUEST\r\n"
    "\r\n"
    "BEGIN:VCALENDAR\r\n"
    "END:VCALENDAR\r\n"
    "--inner--\r\n"
    "--outer--\r\n";

static const char msg_signed[] =
    "From: a@b.c\r\n"
    "Subject: signed\r\n"
    "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"
    " micalg=sha-256; boundary=\"S\"\r\n"
    "\r\n"
    "--S\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "signed text\r\n"
    "--S\r\n"
    "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "MIAGCSqGSIb3DQEHAqCAMIACAQEx\r\n"
    "--S--\r\n";

/* ---- a source of attachment bytes ---- */

static int src_read(void *ctx, uint64_t id, uint64_t offset, void *buf, size_t len, size_t *got)
{
    size_t total = *(size_t *)ctx;
    (void)id;
    if (offset >= total) {
        *got = 0;
        return 0;
    }
    size_t n = total - offset < len ? (size_t)(total - offset) : len;
    if (n > 1000)
        n = 1000; /* short reads must be fine */
    for (size_t i = 0; i < n; i++)
        ((unsigned char *)buf)[i] = (unsigned char)((offset + i) * 7 + 3);
    *got = n;
    return 0;
}

static void test_source(void)
{
    size_t total = 200001;
    cv_source src = { src_read, &total };
    cv_mime_build_options bo = { .source = &src, .boundary_seed = "src" };
    cv_message *m = cv_message_new();
    cv_attachment *a = NULL;
    sb out = { 0 };
    cv_mime_writer w = { sb_write, &out };

    char longsubj[3001];
    for (int i = 0; i < 3000; i++)
        longsubj[i] = i % 10 == 9 ? ' ' : 'a';
    longsubj[3000] = 0;
    st_bag_set_str(m->props, PR_SUBJECT, longsubj); /* folded into words */
    st_bag_set_str(m->props, PR_BODY, "see attachment");
    cv_message_add_attachment(m, &a);
    st_bag_set_long(a->props, PR_ATTACH_METHOD, (int32_t)ATTACH_BY_VALUE);
    st_bag_set_str(a->props, PR_ATTACH_LONG_FILENAME, "data.bin");
    a->data_id = 42;
    ok(cv_mime_build(m, &bo, &w) == 0, "source: build\n");
    check_lines("source", out.p, out.n);
    cv_message *b = NULL;
    ok(cv_mime_parse(&b, out.p, out.n, NULL, NULL) == 0 && b && b->n_attachments == 1, "source: parse\n");
    ok(b && str(b->props, PR_SUBJECT) && strcmp(str(b->props, PR_SUBJECT), longsubj) == 0,
       "source: a 3000-byte subject comes back\n");
    if (b && b->n_attachments == 1) {
        const st_value *d = st_bag_get(b->attachments[0].props, PR_ATTACH_DATA_BIN);
        int same = d && d->v.bin.len == total;
        for (size_t i = 0; same && i < total; i++)
            same = d->v.bin.data[i] == (unsigned char)(i * 7 + 3);
        ok(same, "source: %u bytes back\n", d ? (unsigned)d->v.bin.len : 0);
    }
    cv_message_free(b);
    free(out.p);

    /* a failing writer */
    sb bad = { 0 };
    bad.fail_after = 2;
    cv_mime_writer wb = { sb_write, &bad };
    ok(cv_mime_build(m, &bo, &wb) == -1, "failing writer\n");
    free(bad.p);
    cv_message_free(m);
}

static void test_signed(void)
{
    cv_message *a = NULL;
    sb out = { 0 };
    cv_mime_writer w = { sb_write, &out };
    cv_mime_parse(&a, msg_signed, strlen(msg_signed), NULL, NULL);
    ok(a && cv_mime_build(a, NULL, &w) == 0, "signed: build\n");
    const char *body = strstr(msg_signed, "\r\n\r\n") + 4;
    const char *got = out.p ? strstr(out.p, "Content-Type: multipart/signed") : NULL;
    const char *gbody = got ? strstr(got, "\r\n\r\n") : NULL;
    ok(gbody && strcmp(gbody + 4, body) == 0, "signed: the signed entity is written byte for byte\n");
    cv_message_free(a);
    free(out.p);
    round_trip("signed", msg_signed, strlen(msg_signed), 1);
}

static void test_headers_out(void)
{
    cv_message *a = NULL;
    sb out = { 0 };
    cv_mime_writer w = { sb_write, &out };
    cv_mime_build_options bo = { .boundary_seed = "h" };
    cv_mime_parse(&a, msg_full, strlen(msg_full), NULL, NULL);
    ok(a && cv_mime_build(a, &bo, &w) == 0, "headers: build\n");
    const char *s = out.p ? out.p : "";
    ok(strstr(s, "Date: Fri, 19 May 2000 14:26:12 +0000\r\n") != NULL, "headers: date\n");
    ok(strstr(s, "Subject: =?UTF-8?B?") != NULL, "headers: encoded subject\n");
    ok(strstr(s, "From: =?UTF-8?B?") != NULL && strstr(s, "<jorg@example.com>"), "headers: from\n");
    ok(strstr(s, "To: Joe Blow <blow@example.com>,\r\n \"Doe, Jane\" <jane@example.com>\r\n") != NULL,
       "headers: to\n");
    ok(strstr(s, "filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf") != NULL, "headers: 2231 name\n");
    ok(strstr(s, "Sensitivity: Private\r\n") && strstr(s, "Importance: low\r\n"), "headers: flags\n");
    ok(strstr(s, "\r\nBcc: bcc@example.com\r\n") != NULL, "headers: Bcc kept by default\n");
    free(out.p);
    memset(&out, 0, sizeof out);
    bo.flags = CV_MIME_BUILD_OMIT_BCC;
    ok(cv_mime_build(a, &bo, &w) == 0 && out.p && !strstr(out.p, "Bcc:"), "headers: Bcc omitted\n");
    free(out.p);
    /* header injection through an address is not possible */
    st_bag_set_str(a->props, PR_SENT_REPRESENTING_SMTP_ADDRESS, "x@y\r\nBcc: evil@z");
    memset(&out, 0, sizeof out);
    ok(cv_mime_build(a, &bo, &w) == 0 && out.p && !strstr(out.p, "\r\nBcc: evil"), "headers: no injection\n");
    cv_message_free(a);
    free(out.p);
}

/* Every line CRLF and within max bytes. */
static void check_max_line(const char *what, const char *s, size_t n, size_t max)
{
    size_t col = 0, longest = 0, at = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            col = 0;
        } else if (s[i] != '\r' && ++col > longest) {
            longest = col;
            at = i + 1 - col;
        }
    }
    ok(longest <= max, "%s: a line of %u bytes (max %u): %.60s\n", what, (unsigned)longest, (unsigned)max,
       s + at);
}

/* s repeated to n characters (whole UTF-8 sequences) */
static char *repeat(const char *unit, size_t nchars, const char *ext)
{
    size_t ul = strlen(unit), uc = 0;
    for (size_t i = 0; i < ul; i++)
        uc += ((unsigned char)unit[i] & 0xC0) != 0x80;
    char *r = malloc(nchars / uc * ul + ul + strlen(ext) + 1);
    size_t n = 0;
    if (!r)
        abort();
    for (size_t c = 0; c + uc <= nchars; c += uc) {
        memcpy(r + n, unit, ul);
        n += ul;
    }
    strcpy(r + n, ext);
    return r;
}

/* The Content-Type of the first attachment part, parsed as a reader
 * without Content-Disposition would. */
static char *ctype_name(const char *s)
{
    const char *p = strstr(s, "Content-Type: application/x-test");
    const char *e = p ? strstr(p, "\r\n\r\n") : NULL;
    char *r = NULL;
    cv_mime_header h;
    if (!e || cv_mime__header_parse(&h, p, (size_t)(e - p) + 2) != 0)
        return NULL;
    const cv_mime_field *f = cv_mime__header_get(&h, "Content-Type");
    cv_mime_ctype ct;
    if (f && cv_mime__ctype_parse(&ct, f->value, f->value_len) == 0) {
        const char *v = cv_mime__ctype_param(&ct, "name");
        r = v ? strdup(v) : NULL;
        cv_mime__ctype_clear(&ct);
    }
    cv_mime__header_clear(&h);
    return r;
}

/* File names of 10, 200 and 2,000 characters, ASCII, Japanese, emoji and
 * mixed, come back exactly from Content-Disposition and Content-Type. */
static void test_names(void)
{
    static const char *const units[] = { "a", "Report 2024 (final) ", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
                                         "\xf0\x9f\x98\x80", "x\xc3\xa9\"%;*'= \xf0\x9f\x8e\x89" };
    /* (no '\\' or '/': the parser keeps what follows the last one, as a path) */
    static const size_t lens[] = { 10, 200, 2000 };
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
            char what[64];
            snprintf(what, sizeof what, "name %u/%u", (unsigned)u, (unsigned)lens[l]);
            char *name = repeat(units[u], lens[l] - 4, ".txt");
            cv_message *m = cv_message_new();
            cv_attachment *a = NULL;
            st_bag_set_str(m->props, PR_SUBJECT, "names");
            st_bag_set_str(m->props, PR_BODY, "x");
            cv_message_add_attachment(m, &a);
            st_bag_set_long(a->props, PR_ATTACH_METHOD, (int32_t)ATTACH_BY_VALUE);
            st_bag_set_str(a->props, PR_ATTACH_LONG_FILENAME, name);
            st_bag_set_str(a->props, PR_ATTACH_MIME_TAG, "application/x-test");
            st_bag_set_bin(a->props, PR_ATTACH_DATA_BIN, (const uint8_t *)"abc", 3);
            sb out = { 0 };
            cv_mime_writer w = { sb_write, &out };
            cv_mime_build_options bo = { .boundary_seed = "n", .date = 133000000000000000ULL };
            ok(cv_mime_build(m, &bo, &w) == 0, "%s: build\n", what);
            check_lines(what, out.p, out.n);
            /* 78 but for the names' lines past 200 sections (the emoji x 2000) */
            check_max_line(what, out.p, out.n, lens[l] * strlen(units[u]) > 5000 ? 998 : 78);
            if (lens[l] > 60)
                ok(strstr(out.p, "filename*0*=UTF-8''") && strstr(out.p, "filename*1*=")
                       && strstr(out.p, "name*0*=UTF-8''"), "%s: sections\n", what);
            ok(strstr(out.p, "\tfilename=\"") != NULL, "%s: ASCII fallback\n", what);
            cv_message *b = NULL;
            ok(cv_mime_parse(&b, out.p, out.n, NULL, NULL) == 0 && b && b->n_attachments == 1, "%s: parse\n",
               what);
            const char *got = b && b->n_attachments == 1 ? str(b->attachments[0].props, PR_ATTACH_LONG_FILENAME)
                                                         : NULL;
            ok(got && strcmp(got, name) == 0, "%s: filename back: %.40s\n", what, got ? got : "(none)");
            char *ctn = ctype_name(out.p);
            ok(ctn && strcmp(ctn, name) == 0, "%s: Content-Type name back: %.40s\n", what, ctn ? ctn : "(none)");
            free(ctn);
            cv_message_free(b);
            cv_message_free(m);
            free(out.p);
            free(name);
        }
    }
}

static char *build_str(const cv_message *m, const cv_mime_build_options *bo, size_t *n)
{
    sb out = { 0 };
    cv_mime_writer w = { sb_write, &out };
    ok(cv_mime_build(m, bo, &w) == 0, "build\n");
    *n = out.n;
    return out.p;
}

/* Fixed seed + Date/Message-ID (or a fixed date option): the same bytes. */
static void test_deterministic(void)
{
    cv_message *m = NULL;
    cv_mime_parse(&m, msg_full, strlen(msg_full), NULL, NULL);
    ok(m && st_bag_get(m->props, PR_CLIENT_SUBMIT_TIME) && str(m->props, PR_INTERNET_MESSAGE_ID),
       "deterministic: date and id\n");
    if (!m)
        return;
    cv_mime_build_options bo = { .boundary_seed = "det" };
    size_t n1, n2;
    char *a = build_str(m, &bo, &n1), *b = build_str(m, &bo, &n2);
    ok(a && b && n1 == n2 && memcmp(a, b, n1) == 0, "deterministic: with Date and Message-ID\n");
    free(a);
    free(b);
    st_bag_delete(m->props, PR_CLIENT_SUBMIT_TIME);
    st_bag_delete(m->props, PR_INTERNET_MESSAGE_ID);
    bo.date = 133500000000000000ULL; /* 2024-01-17T21:20:00Z */
    a = build_str(m, &bo, &n1);
    b = build_str(m, &bo, &n2);
    ok(a && b && n1 == n2 && memcmp(a, b, n1) == 0, "deterministic: with a date option\n");
    ok(a && strncmp(a, "Date: Wed, 17 Jan 2024 21:20:00 +0000\r\n", 39) == 0,
       "deterministic: the date option is the Date\n");
    ok(a && !strstr(a, "Message-ID:"), "deterministic: no Message-ID made up\n");
    free(a);
    free(b);
    cv_message_free(m);
}

/* 5,000-byte subjects, names, address lists, ids and body lines: header
 * lines within 78 where they fold, nothing over 998, values come back. */
static void test_long_lines(void)
{
    char *plain = repeat("word ", 4997, "end");
    char *solid = repeat("x", 5000, "");
    char *jp = repeat("\xe6\x97\xa5\xe6\x9c\xac ", 4997, "end");
    char *spaced = repeat("a", 3000, "");
    memset(spaced + 1, ' ', 2000); /* a run of white space longer than a line */
    const char *subjects[] = { plain, solid, jp, spaced };
    for (size_t k = 0; k < 4; k++) {
        char what[32];
        snprintf(what, sizeof what, "long %u", (unsigned)k);
        cv_message *m = cv_message_new();
        st_bag_set_str(m->props, PR_SUBJECT, subjects[k]);
        st_bag_set_str(m->props, PR_CONVERSATION_TOPIC, subjects[k]);
        st_bag_set_str(m->props, PR_SENT_REPRESENTING_NAME, subjects[k]);
        st_bag_set_str(m->props, PR_SENT_REPRESENTING_SMTP_ADDRESS, "from@example.org");
        st_bag_set_str(m->props, PR_INTERNET_MESSAGE_ID, solid); /* no place to fold: left out */
        st_bag_set_str(m->props, PR_BODY, subjects[k]);           /* one 5,000-byte line */
        st_bag_set_bin(m->props, PR_HTML, solid, (uint32_t)strlen(solid));
        for (int i = 0; i < 200; i++) { /* a To: of ~8,000 bytes */
            st_bag *r = NULL;
            char addr[64], dn[64];
            snprintf(addr, sizeof addr, "user%03d@example.com", i);
            snprintf(dn, sizeof dn, "User Number %03d", i);
            cv_message_add_recipient(m, &r);
            st_bag_set_long(r, PR_RECIPIENT_TYPE, MAPI_TO);
            st_bag_set_str(r, PR_DISPLAY_NAME, i == 7 ? subjects[k] : dn);
            st_bag_set_str(r, PR_SMTP_ADDRESS, addr);
        }
        cv_mime_build_options bo = { .boundary_seed = "long", .date = 133000000000000000ULL };
        size_t n;
        char *s = build_str(m, &bo, &n);
        check_lines(what, s, n);
        check_max_line(what, s, n, 78);
        cv_message *b = NULL;
        ok(cv_mime_parse(&b, s, n, NULL, NULL) == 0 && b, "%s: parse\n", what);
        ok(b && str(b->props, PR_SUBJECT) && strcmp(str(b->props, PR_SUBJECT), subjects[k]) == 0,
           "%s: subject back\n", what);
        ok(b && same_str(m->props, b->props, PR_SENT_REPRESENTING_NAME), "%s: from name back\n", what);
        ok(b && b->n_recipients == 200, "%s: %u recipients\n", what, b ? (unsigned)b->n_recipients : 0);
        ok(b && b->n_recipients == 200 && same_str(m->recipients[7], b->recipients[7], PR_DISPLAY_NAME)
               && same_str(m->recipients[199], b->recipients[199], PR_SMTP_ADDRESS),
           "%s: recipients back\n", what);
        const char *body = b ? str(b->props, PR_BODY) : NULL;
        size_t bl = body ? strlen(body) : 0;
        while (bl && (body[bl - 1] == '\n' || body[bl - 1] == '\r'))
            bl--;
        ok(body && bl == strlen(subjects[k]) && memcmp(body, subjects[k], bl) == 0, "%s: body back\n", what);
        ok(b && same_text_bin(m->props, b->props, PR_HTML), "%s: html back\n", what);
        cv_message_free(b);
        cv_message_free(m);
        free(s);
    }
    free(plain);
    free(solid);
    free(jp);
    free(spaced);
}

/* Round-trips a few corpus messages of different shapes, when present. */
static void test_corpus(void)
{
    static const char *const files[] = {
        "stalwart-mail-parser/legacy/045.eml",
        "stalwart-mail-parser/legacy/035.eml",
        "thunderbird/mailnews-data/10-plaintext+(HTML+embedded-image)+attachment.eml",
        "thunderbird/extensions-messages/nestedMessages.eml",
        "nodemailer-mailparser/nodemailer.eml",
        "mimekit/smime/thunderbird-signed.txt",
        "thunderbird/smime/alice.env.eml",
        "mime4j/testmsgs/example.msg",
    };
    const char *root = getenv("MAPIDAV_CORPUS");
    if (!root || !*root)
        return;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/mime/%s", root, files[i]);
        char *d = corpus_read_file(path, &len);
        if (!d)
            continue;
        round_trip(files[i], d, len, 1);
        free(d);
    }
}

int main(void)
{
    round_trip("full", msg_full, strlen(msg_full), 1);
    test_headers_out();
    test_signed();
    test_source();
    test_names();
    test_deterministic();
    test_long_lines();
    test_corpus();
    return test_done();
}
