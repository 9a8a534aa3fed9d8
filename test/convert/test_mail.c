/*
 * test_mail.c: convert/mail.c: winmail.dat inside Internet mail merged as
 * Exchange does (its properties win, its attachments replace it, its
 * recipients only when MIME had none), bodies filled in after parsing
 * (HTML-only -> PR_BODY; RTF-only -> PR_BODY and PR_HTML), and an
 * HTML-only message built with its text/plain alternative. Messages are
 * made here around the TNEF seed streams of test_tnef (MAPIDAV_SEEDS) and,
 * with MAPIDAV_CORPUS, the corpus winmail files; each skips cleanly without.
 * Never: write into the corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/mail.h"
#include "convert/mime.h"
#include "convert/mime_int.h"
#include "convert/rtf.h"
#include "convert/tnef.h"
#include "storage/error.h"
#include "storage/props_tags.h"
#include "testutil.h"

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (cap - *len < 4096) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            if (!buf)
                test_fatal("out of memory\n");
        }
        size_t got = fread(buf + *len, 1, cap - *len, f);
        if (!got)
            break;
        *len += got;
    }
    fclose(f);
    return buf;
}

/* A multipart/mixed message: a text/plain body and tnef as winmail.dat. */
static char *wrap_tnef(const uint8_t *tnef, size_t len, int with_to)
{
    char *b64 = NULL;
    size_t bl;
    if (cv_mime__b64_encode(&b64, &bl, tnef, len, 76) != 0)
        test_fatal("b64\n");
    size_t cap = bl + 1024;
    char *m = malloc(cap);
    snprintf(m, cap,
             "From: Sam <sam@example.org>\r\n%s"
             "Subject: from MIME\r\nMessage-ID: <t1@example.org>\r\nMIME-Version: 1.0\r\n"
             "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
             "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nplain text from MIME\r\n"
             "--b1\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\n"
             "Content-Transfer-Encoding: base64\r\n"
             "Content-Disposition: attachment; filename=\"winmail.dat\"\r\n\r\n%s\r\n--b1--\r\n",
             with_to ? "To: Tom <tom@example.org>\r\n" : "", b64);
    free(b64);
    return m;
}

static int has_tnef_attachment(const cv_message *m)
{
    for (size_t i = 0; i < m->n_attachments; i++) {
        const st_value *v = st_bag_get(m->attachments[i].props, PR_ATTACH_MIME_TAG);
        if (v && !strcmp(v->v.str, "application/ms-tnef"))
            return 1;
    }
    return 0;
}

/* Parses the message around the TNEF, merges; checks the merge against the
 * TNEF read alone. */
static void check_merge(const uint8_t *tnef, size_t len, const char *what, int with_to)
{
    cv_tnef *alone = NULL, *names = NULL;
    cv_message *m = NULL;
    char *mime = wrap_tnef(tnef, len, with_to);
    int trc = cv_tnef_parse(&alone, tnef, len, NULL);

    ok(cv_mime_parse(&m, mime, strlen(mime), NULL, NULL) == 0 && m, "%s: parse\n", what);
    if (!m || !alone) {
        ok(alone != NULL, "%s: TNEF alone: %d\n", what, trc);
        goto cleanup;
    }
    ok(m->n_attachments == 1 && has_tnef_attachment(m), "%s: winmail.dat before\n", what);
    int rc = cv_mail_from_mime(m, NULL, &names);
    ok(rc == 0, "%s: merge: %d %s\n", what, rc, st_error_last());
    ok(!has_tnef_attachment(m), "%s: winmail.dat gone\n", what);
    ok(m->n_attachments == alone->msg->n_attachments, "%s: %zu attachments, want %zu\n", what,
       m->n_attachments, alone->msg->n_attachments);
    for (size_t i = 0; i < m->n_attachments; i++) {
        const st_value *num = st_bag_get(m->attachments[i].props, PR_ATTACH_NUM);
        ok(num && num->v.l == (int32_t)i, "%s: attachment %zu numbered\n", what, i);
    }
    const st_value *hs = st_bag_get(m->props, PR_HASATTACH);
    ok(hs != NULL, "%s: PR_HASATTACH\n", what);
    /* TNEF's message properties win (subject, class), MIME keeps the id */
    const st_value *ts = st_bag_get(alone->msg->props, PR_SUBJECT_W);
    const st_value *ms = st_bag_get(m->props, PR_SUBJECT_W);
    if (ts)
        ok(ms && !strcmp(ms->v.str, ts->v.str), "%s: subject from TNEF\n", what);
    const st_value *id = st_bag_get(m->props, PR_INTERNET_MESSAGE_ID_W);
    ok(id && !strcmp(id->v.str, "<t1@example.org>"), "%s: message id from MIME\n", what);
    ok(names != NULL && names->n_named == alone->n_named, "%s: names handed over\n", what);
    if (!with_to)
        ok(m->n_recipients == alone->msg->n_recipients, "%s: TNEF recipients used\n", what);
    else
        ok(m->n_recipients == 1, "%s: MIME recipients kept\n", what);
    ok(st_bag_get(m->props, PR_BODY) != NULL, "%s: a text body\n", what);
cleanup:
    cv_tnef_free(names);
    cv_tnef_free(alone);
    cv_message_free(m);
    free(mime);
}

static int any_named(const cv_message *m)
{
    for (size_t i = 0; i < st_bag_count(m->props); i++)
        if (PROP_ID(st_bag_at(m->props, i)->tag) >= 0x8000)
            return 1;
    for (size_t a = 0; a < m->n_attachments; a++) {
        for (size_t i = 0; i < st_bag_count(m->attachments[a].props); i++)
            if (PROP_ID(st_bag_at(m->attachments[a].props, i)->tag) >= 0x8000)
                return 1;
        if (m->attachments[a].embedded && any_named(m->attachments[a].embedded))
            return 1;
    }
    return 0;
}

/* Without tnef_out the per-parse named ids must not leak into the message. */
static void check_no_named(const uint8_t *tnef, size_t len, const char *what)
{
    char *mime = wrap_tnef(tnef, len, 1);
    cv_message *m = NULL;
    if (cv_mime_parse(&m, mime, strlen(mime), NULL, NULL) == 0 && m) {
        ok(cv_mail_from_mime(m, NULL, NULL) == 0, "%s: merge\n", what);
        ok(!any_named(m), "%s: no named ids left without a name map\n", what);
    }
    cv_message_free(m);
    free(mime);
}

static void test_seeds(void)
{
    const char *dir = getenv("MAPIDAV_SEEDS");
    static const char *names[] = { "sample", "nested", "legacy" };
    char path[1024];
    if (!dir || !*dir) {
        printf("# MAPIDAV_SEEDS unset: seed merges skipped\n");
        return;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len;
        snprintf(path, sizeof path, "%s/fuzz_tnef/%s", dir, names[i]);
        uint8_t *t = read_all(path, &len);
        ok(t != NULL, "read %s\n", path);
        if (t) {
            check_merge(t, len, names[i], 0);
            check_merge(t, len, names[i], 1);
            check_no_named(t, len, names[i]);
        }
        free(t);
    }
}

static void test_not_tnef(void)
{
    static const uint8_t junk[] = "this is not TNEF at all";
    char *mime = wrap_tnef(junk, sizeof junk - 1, 1);
    cv_message *m = NULL;
    ok(cv_mime_parse(&m, mime, strlen(mime), NULL, NULL) == 0 && m, "parse\n");
    if (m) {
        ok(cv_mail_from_mime(m, NULL, NULL) == 1, "reported\n");
        ok(m->n_attachments == 1 && has_tnef_attachment(m), "winmail.dat kept\n");
    }
    cv_message_free(m);
    free(mime);
}

static void test_html_only(void)
{
    static const char mime[] = "From: a@example.org\r\nSubject: h\r\n"
                               "Content-Type: text/html; charset=utf-8\r\n\r\n"
                               "<p>Hello <i>there</i></p>\r\n";
    cv_message *m = NULL;
    ok(cv_mime_parse(&m, mime, sizeof mime - 1, NULL, NULL) == 0 && m, "parse\n");
    if (!m)
        return;
    ok(st_bag_get(m->props, PR_BODY) == NULL, "no PR_BODY from the parser\n");
    ok(cv_mail_from_mime(m, NULL, NULL) == 0, "from_mime\n");
    const st_value *b = st_bag_get(m->props, PR_BODY);
    ok(b && strstr(b->v.str, "Hello there"), "PR_BODY made: %s\n", b ? b->v.str : "(none)");
    cv_message_free(m);
}

typedef struct membuf {
    char *p;
    size_t len;
} membuf;

static int mem_write(void *ctx, const void *data, size_t len)
{
    membuf *m = ctx;
    char *np = realloc(m->p, m->len + len + 1);
    if (!np)
        return -1;
    memcpy(np + m->len, data, len);
    m->p = np;
    m->len += len;
    m->p[m->len] = 0;
    return 0;
}

static void test_build(void)
{
    static const char html[] = "<html><body><p>Build <b>me</b></p></body></html>";
    cv_message *m = cv_message_new();
    membuf out = { 0 };
    cv_mime_writer w = { mem_write, &out };

    st_bag_set_str(m->props, PR_SUBJECT_W, "html only");
    st_bag_set_bin(m->props, PR_HTML, html, sizeof html - 1);
    st_bag_set_long(m->props, PR_INTERNET_CPID, 65001);
    ok(cv_mail_prepare_build(m) == 0, "prepare\n");
    ok(cv_mime_build(m, NULL, &w) == 0 && out.p, "build\n");
    ok(out.p && strstr(out.p, "multipart/alternative") && strstr(out.p, "text/plain") &&
       strstr(out.p, "Build me"), "text/plain alternative:\n%s\n", out.p ? out.p : "");
    free(out.p);
    cv_message_free(m);

    /* RTF only, encapsulating HTML: PR_BODY and PR_HTML come from it */
    char *rtf = NULL;
    size_t rl, cl;
    uint8_t *comp = NULL;
    ok(cv_html_to_rtf(&rtf, &rl, html, sizeof html - 1) == 0, "html->rtf\n");
    ok(rtf && cv_rtf_compress(&comp, &cl, rtf, rl, 0) == 0, "compress\n");
    m = cv_message_new();
    st_bag_set_bin(m->props, PR_RTF_COMPRESSED, comp, (uint32_t)cl);
    ok(cv_mail_prepare_build(m) == 0, "prepare rtf\n");
    const st_value *b = st_bag_get(m->props, PR_BODY);
    ok(b && strstr(b->v.str, "Build me"), "PR_BODY from RTF\n");
    ok(st_bag_get(m->props, PR_HTML) != NULL, "PR_HTML from encapsulated RTF\n");
    cv_message_free(m);
    free(rtf);
    free(comp);
}

static void test_corpus(void)
{
    const char *root = getenv("MAPIDAV_CORPUS");
    static const char *eml[] = { "mime/mimekit/tnef/rich-text.eml",
                                 "mime/msgreader-net/TestWithAttachmentsAndInlines.eml",
                                 "mime/mimekit/messages/issue358.txt" };
    static const char *tnef[] = { "tnef/mimekit/winmail.tnef", "tnef/mimekit/two-files.tnef",
                                  "tnef/mimekit/rtf.tnef", "tnef/mimekit/body.tnef",
                                  "tnef/apache-poi/quick-winmail.dat" };
    char path[1024];
    int found = 0;
    if (!root || !*root) {
        printf("# MAPIDAV_CORPUS unset: corpus winmail files skipped\n");
        return;
    }
    /* The shared corpus lives beside the checkout; a clone without it skips. */
    snprintf(path, sizeof path, "%s/SOURCES.md", root);
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        printf("# no corpus at %s: corpus winmail files skipped\n", root);
        return;
    }
    fclose(probe);
    for (size_t i = 0; i < sizeof eml / sizeof eml[0]; i++) {
        size_t len;
        snprintf(path, sizeof path, "%s/%s", root, eml[i]);
        uint8_t *d = read_all(path, &len);
        if (!d)
            continue;
        found++;
        cv_message *m = NULL;
        ok(cv_mime_parse(&m, d, len, NULL, NULL) >= CV_ELIMIT && m, "%s: parse\n", eml[i]);
        if (m) {
            int had = has_tnef_attachment(m);
            int rc = cv_mail_from_mime(m, NULL, NULL);
            ok(rc == 0, "%s: merge %d %s\n", eml[i], rc, st_error_last());
            ok(!has_tnef_attachment(m), "%s: winmail.dat merged (had %d)\n", eml[i], had);
            ok(st_bag_get(m->props, PR_BODY) != NULL, "%s: PR_BODY\n", eml[i]);
        }
        cv_message_free(m);
        free(d);
    }
    for (size_t i = 0; i < sizeof tnef / sizeof tnef[0]; i++) {
        size_t len;
        snprintf(path, sizeof path, "%s/%s", root, tnef[i]);
        uint8_t *d = read_all(path, &len);
        if (!d)
            continue;
        found++;
        check_merge(d, len, tnef[i], 1);
        free(d);
    }
    ok(found > 0, "corpus files found under %s\n", root);
}

int main(void)
{
    test_seeds();
    test_not_tnef();
    test_html_only();
    test_build();
    test_corpus();
    return test_done();
}
