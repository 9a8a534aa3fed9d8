/*
 * test_mime_partial.c: message/partial fragments joined (cv_mime_partial_join):
 * the shared corpus's fragments (mimekit/partial/X.N.eml) give exactly the
 * message its project expects (X.eml), in any order; fragments that do not
 * make one message (one missing, one twice, another message's, no total,
 * not message/partial, bad numbers) are refused with a message naming the
 * problem; CRLF input keeps CRLF. The corpus part skips cleanly without it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/message.h"
#include "convert/mime.h"
#include "storage/error.h"
#include "corpus_util.h"
#include "testutil.h"

static const char frag1[] =
    "From: a@example.com\r\n"
    "Subject: part 1\r\n"
    "Content-Type: message/partial; id=\"X@example.com\"; number=1\r\n"
    "\r\n"
    "Subject: whole\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "one-";
static const char frag2[] =
    "From: a@example.com\r\n"
    "Content-Type: message/partial; id=\"X@example.com\"; number=2\r\n"
    "\r\n"
    "two-";
static const char frag3[] =
    "From: a@example.com\r\n"
    "Content-Type: message/partial; id=\"X@example.com\"; number=3; total=3\r\n"
    "\r\n"
    "three\r\n";
static const char joined[] =
    "From: a@example.com\r\n"
    "Subject: whole\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "one-two-three\r\n";

#define FRAG(s) { s, sizeof s - 1 }

static void expect_refused(const cv_mime_fragment *f, size_t n, const char *what, const char *why)
{
    char *out = NULL;
    size_t len = 0;
    int rc = cv_mime_partial_join(&out, &len, f, n);
    ok(rc == CV_EPARSE && !out, "%s: rc %d\n", what, rc);
    ok(strstr(st_error_last(), why) != NULL, "%s: error \"%s\", wanted \"%s\"\n", what,
       st_error_last(), why);
    free(out);
}

static void test_synthetic(void)
{
    cv_mime_fragment f[] = { FRAG(frag3), FRAG(frag1), FRAG(frag2) };
    char *out = NULL;
    size_t len = 0;
    int rc = cv_mime_partial_join(&out, &len, f, 3);
    ok(rc == 0 && out && len == sizeof joined - 1 && memcmp(out, joined, len) == 0,
       "joined (rc %d): \"%s\"\n", rc, out ? out : "");
    free(out);

    expect_refused(f, 2, "two of three", "3 fragments make the message, 2 given");
    cv_mime_fragment twice[] = { FRAG(frag1), FRAG(frag1), FRAG(frag3) };
    expect_refused(twice, 3, "twice", "fragment 2 is given twice");
    static const char other[] =
        "Content-Type: message/partial; id=\"Y@example.com\"; number=2\r\n\r\nx";
    cv_mime_fragment foreign[] = { FRAG(frag1), FRAG(other), FRAG(frag3) };
    expect_refused(foreign, 3, "foreign", "another message");
    cv_mime_fragment no_total[] = { FRAG(frag1), FRAG(frag2) };
    expect_refused(no_total, 2, "no total", "no fragment gives the total");
    static const char plain[] = "Content-Type: text/plain\r\n\r\nhello";
    cv_mime_fragment not_partial[] = { FRAG(plain) };
    expect_refused(not_partial, 1, "not partial", "not message/partial");
    static const char bad_number[] =
        "Content-Type: message/partial; id=\"X@example.com\"; number=-1; total=1\r\n\r\nx";
    cv_mime_fragment bad[] = { FRAG(bad_number) };
    expect_refused(bad, 1, "bad number", "valid id or number");
    static const char huge_number[] =
        "Content-Type: message/partial; id=\"X@example.com\"; number=99999999999; total=1\r\n\r\n";
    cv_mime_fragment huge[] = { FRAG(huge_number) };
    expect_refused(huge, 1, "huge number", "valid id or number");
    expect_refused(f, 0, "none", "fragments");
}

static void test_corpus(void)
{
    const char *root = getenv("MAPIDAV_CORPUS");
    char path[1024];
    size_t len[3] = { 0 };
    char *data[3] = { NULL };
    static const char *const names[3] = { "rfc2046.0.eml", "rfc2046.1.eml", "rfc2046.eml" };
    for (int i = 0; root && *root && i < 3; i++) {
        snprintf(path, sizeof path, "%s/mime/mimekit/partial/%s", root, names[i]);
        data[i] = corpus_read_file(path, &len[i]);
    }
    if (!data[0] || !data[1] || !data[2]) {
        printf("corpus part skipped: no mimekit/partial under MAPIDAV_CORPUS\n");
    } else {
        for (int order = 0; order < 2; order++) {
            cv_mime_fragment f[2] = { { data[order], len[order] },
                                      { data[1 - order], len[1 - order] } };
            char *out = NULL;
            size_t n = 0;
            int rc = cv_mime_partial_join(&out, &n, f, 2);
            ok(rc == 0 && n == len[2] && memcmp(out, data[2], n) == 0,
               "rfc2046 (order %d): rc %d, %zu bytes, expected %zu:\n%s\n", order, rc, n,
               len[2], out ? out : "");
            free(out);
        }
    }
    for (int i = 0; i < 3; i++)
        free(data[i]);
}

int main(void)
{
    test_synthetic();
    test_corpus();
    return test_done();
}
