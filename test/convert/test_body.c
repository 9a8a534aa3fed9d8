/*
 * test_body.c: the best-body rules of convert/body.c, table-driven: which
 * body is native ([MS-OXBBODY]), what is made from it when bodies are missing,
 * what is made again (or dropped as stale) when one is written, how
 * PR_RTF_IN_SYNC, PR_NATIVE_BODY_INFO and PR_INTERNET_CPID end up, and the
 * failures (corrupt RTF, a changed body that is not there).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/body.h"
#include "convert/rtf.h"
#include "storage/error.h"
#include "storage/props_tags.h"
#include "testutil.h"

#define ABSENT (-1)
#define ANY (-2)           /* want_sync: not checked */
#define CORRUPT "!corrupt" /* rtf: a compressed RTF with a wrong CRC */

typedef struct body_case {
    const char *name;
    /* The bag. */
    const char *body;          /* PR_BODY_W */
    const char *html;          /* PR_HTML bytes */
    int html_string;           /* 1: as PR_BODY_HTML_W instead */
    int32_t cpid;              /* PR_INTERNET_CPID; 0: none */
    const char *rtf;           /* RTF compressed into PR_RTF_COMPRESSED, or CORRUPT */
    int in_sync;               /* PR_RTF_IN_SYNC: ABSENT, 0, 1 */
    int32_t native_in;         /* PR_NATIVE_BODY_INFO: ABSENT or a value */
    /* The call. */
    uint32_t changed;
    unsigned flags;
    /* What must come out. */
    int rc;
    uint32_t native;           /* cv_body_native after the call */
    const char *want_body;     /* PR_BODY contains this; NULL: no PR_BODY */
    const char *want_html;     /* PR_HTML (UTF-8) contains this; NULL: none */
    int want_rtf;              /* CV_RTF_* of the stored RTF; ABSENT: none */
    const char *want_rtf_text; /* the stored RTF as text contains this */
    int want_sync;             /* PR_RTF_IN_SYNC: ABSENT, 0, 1, or ANY */
    int32_t want_cpid;         /* PR_INTERNET_CPID after; 0: none */
} body_case;

static const char rtf_plain[] = "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 {\\b Bold} words\\par}";
static const char rtf_text[] = "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\deff0 From text\\par}";
static const char rtf_html[] =
    "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\*\\htmltag <p>}In {\\*\\htmltag <b>}"
    "bold{\\*\\htmltag </b>}\\htmlrtf \\par\\htmlrtf0{\\*\\htmltag </p>}}";

static const body_case cases[] = {
    /* T: plain text only. */
    { "text only", "Hello\r\nworld\r\n", NULL, 0, 0, NULL, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_PLAINTEXT, "Hello\r\nworld", NULL, CV_RTF_FROMTEXT, "Hello\r\nworld\r\n", 1, 0 },
    { "text, HTML wanted", "a < b\r\n  x", NULL, 0, 0, NULL, ABSENT, ABSENT, 0, CV_BODY_HTML_FROM_TEXT,
      0, ST_NATIVE_BODY_PLAINTEXT, "a < b", "a &lt; b<br>\r\n&nbsp; x", CV_RTF_FROMTEXT, "a < b", 1, 65001 },
    /* H: HTML only, HTML beside text, HTML in code pages. */
    { "HTML only", NULL, "<p>Hi <b>there</b></p>", 0, 0, NULL, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_HTML, "Hi there", "<p>Hi <b>there</b></p>", CV_RTF_FROMHTML, "Hi there", 1, 0 },
    { "HTML and the sender's text", "Sender's text", "<p>Hi</p>", 0, 0, NULL, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_HTML, "Sender's text", "<p>Hi</p>", CV_RTF_FROMHTML, "Hi", 0, 0 },
    { "HTML in windows-1252", NULL, "<p>caf\xe9</p>", 0, 1252, NULL, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_HTML, "caf\xc3\xa9", "caf\xe9", CV_RTF_FROMHTML, "caf\xc3\xa9", 1, 1252 },
    { "HTML with a meta charset", NULL,
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head>"
      "<body>caf\xe9</body></html>", 0, 0, NULL, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_HTML, "caf\xc3\xa9", "caf\xe9", CV_RTF_FROMHTML, "caf\xc3\xa9", 1, 0 },
    { "HTML as a string", NULL, "<p>caf\xc3\xa9 \xe2\x82\xac</p>", 1, 0, NULL, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_HTML, "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9", CV_RTF_FROMHTML, "\xe2\x82\xac", 1, 0 },
    /* R1-R3: RTF only. */
    { "RTF with HTML in it", NULL, NULL, 0, 0, rtf_html, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_HTML, "In bold\r\n", "<p>In <b>bold</b></p>", CV_RTF_FROMHTML, "In bold", 1, 65001 },
    { "RTF from text", NULL, NULL, 0, 0, rtf_text, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_PLAINTEXT, "From text\r\n", NULL, CV_RTF_FROMTEXT, "From text", 1, 0 },
    { "RTF from text, HTML wanted", NULL, NULL, 0, 0, rtf_text, ABSENT, ABSENT, 0, CV_BODY_HTML_FROM_TEXT,
      0, ST_NATIVE_BODY_PLAINTEXT, "From text\r\n", "From text<br>", CV_RTF_FROMTEXT, "From text", 1, 65001 },
    { "plain RTF", NULL, NULL, 0, 0, rtf_plain, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_RTF, "Bold words\r\n", NULL, CV_RTF_NATIVE, "Bold words", 1, 0 },
    /* Native by [MS-OXBBODY] with bodies present: nothing to make. */
    { "RTF out of sync, HTML there", "old text", "<p>new</p>", 0, 65001, rtf_plain, 0, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_HTML, "old text", "<p>new</p>", CV_RTF_NATIVE, "Bold", 0, 65001 },
    { "RTF in sync beside its text", "Bold words\r\n", NULL, 0, 0, rtf_plain, 1, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_RTF, "Bold words", NULL, CV_RTF_NATIVE, "Bold", 1, 0 },
    { "RTF and text, sync unknown", "Bold words\r\n", NULL, 0, 0, rtf_plain, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_RTF, "Bold words", NULL, CV_RTF_NATIVE, "Bold", ABSENT, 0 },
    { "RTF out of sync beside text", "newer text", NULL, 0, 0, rtf_plain, 0, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_PLAINTEXT, "newer text", NULL, CV_RTF_NATIVE, "Bold", 0, 0 },
    { "native info says text", "the text", "<p>html</p>", 0, 0, NULL, ABSENT, ST_NATIVE_BODY_PLAINTEXT, 0, 0,
      0, ST_NATIVE_BODY_PLAINTEXT, "the text", "<p>html</p>", CV_RTF_FROMTEXT, "the text", 1, 0 },
    { "native info names a missing body", "the text", NULL, 0, 0, NULL, ABSENT, ST_NATIVE_BODY_HTML, 0, 0,
      0, ST_NATIVE_BODY_PLAINTEXT, "the text", NULL, CV_RTF_FROMTEXT, "the text", 1, 0 },
    /* A body was written: it wins, the others are made again or go. */
    { "text written", "New text", "<p>stale</p>", 0, 1252, rtf_plain, 1, ST_NATIVE_BODY_RTF, PR_BODY_W, 0,
      0, ST_NATIVE_BODY_PLAINTEXT, "New text", NULL, CV_RTF_FROMTEXT, "New text", 1, 1252 },
    { "text written, HTML wanted", "New text", "<p>stale</p>", 0, 1252, rtf_plain, 1, ABSENT, PR_BODY_W,
      CV_BODY_HTML_FROM_TEXT,
      0, ST_NATIVE_BODY_PLAINTEXT, "New text", "New text", CV_RTF_FROMTEXT, "New text", 1, 65001 },
    { "plain RTF written", "stale", "<p>stale</p>", 0, 0, rtf_plain, 0, ST_NATIVE_BODY_HTML, PR_RTF_COMPRESSED, 0,
      0, ST_NATIVE_BODY_RTF, "Bold words", NULL, CV_RTF_NATIVE, "Bold", 1, 0 },
    { "RTF with HTML written", "stale", "<p>stale</p>", 0, 0, rtf_html, 0, ABSENT, PR_RTF_COMPRESSED, 0,
      0, ST_NATIVE_BODY_HTML, "In bold", "<b>bold</b>", CV_RTF_FROMHTML, "In bold", 1, 65001 },
    { "HTML written", "stale", "<p>fresh</p>", 0, 0, rtf_plain, 1, ST_NATIVE_BODY_RTF, PR_HTML, 0,
      0, ST_NATIVE_BODY_HTML, "fresh", "<p>fresh</p>", CV_RTF_FROMHTML, "fresh", 1, 0 },
    { "HTML string written", "stale", "<p>fresh</p>", 1, 0, NULL, ABSENT, ABSENT, PR_BODY_HTML_W, 0,
      0, ST_NATIVE_BODY_HTML, "fresh", "<p>fresh</p>", CV_RTF_FROMHTML, "fresh", 1, 0 },
    /* Failures and corner cases. */
    { "nothing", NULL, NULL, 0, 0, NULL, ABSENT, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_UNDEFINED, NULL, NULL, ABSENT, NULL, ABSENT, 0 },
    { "changed body absent", NULL, "<p>x</p>", 0, 0, NULL, ABSENT, ABSENT, PR_BODY_W, 0,
      -1, ST_NATIVE_BODY_HTML, NULL, "<p>x</p>", ABSENT, NULL, ABSENT, 0 },
    { "changed is no body", "x", NULL, 0, 0, NULL, ABSENT, ABSENT, PR_SUBJECT, 0,
      -1, ST_NATIVE_BODY_PLAINTEXT, "x", NULL, ABSENT, NULL, ABSENT, 0 },
    { "corrupt RTF alone", NULL, NULL, 0, 0, CORRUPT, ABSENT, ABSENT, 0, 0,
      CV_EPARSE, ST_NATIVE_BODY_RTF, NULL, NULL, CV_RTF_NATIVE, NULL, ABSENT, 0 },
    { "corrupt RTF beside text", "fine text", NULL, 0, 0, CORRUPT, 1, ABSENT, 0, 0,
      0, ST_NATIVE_BODY_PLAINTEXT, "fine text", NULL, CV_RTF_FROMTEXT, "fine text", 1, 0 },
    { "corrupt RTF written", "kept", NULL, 0, 0, CORRUPT, ABSENT, ABSENT, PR_RTF_COMPRESSED, 0,
      CV_EPARSE, ST_NATIVE_BODY_RTF, "kept", NULL, CV_RTF_NATIVE, NULL, ABSENT, 0 },
};

/* The stored RTF, decompressed (no CRC check for the corrupt one). */
static char *stored_rtf(const st_bag *bag, size_t *len)
{
    const st_value *v = st_bag_get(bag, PR_RTF_COMPRESSED);
    uint8_t *out = NULL;

    if (!v || cv_rtf_decompress(&out, len, v->v.bin.data, v->v.bin.len, 0, CV_RTF_NO_CRC) != 0)
        return NULL;
    return (char *)out;
}

static int put_rtf(st_bag *bag, const char *rtf)
{
    uint8_t *c = NULL;
    size_t cn = 0;
    const char *text = strcmp(rtf, CORRUPT) == 0 ? rtf_plain : rtf;
    int rc = cv_rtf_compress(&c, &cn, text, strlen(text), 0);

    if (rc)
        return rc;
    if (strcmp(rtf, CORRUPT) == 0)
        c[cn - 1] ^= 0x55;  /* content changed, CRC not */
    rc = st_bag_set_bin(bag, PR_RTF_COMPRESSED, c, (uint32_t)cn);
    free(c);
    return rc;
}

static void run_case(const body_case *c)
{
    st_bag *bag = st_bag_new();
    const st_value *v;
    int rc;

    if (!bag)
        test_fatal("no bag\n");
    if (c->body)
        st_bag_set_str(bag, PR_BODY_W, c->body);
    if (c->html && c->html_string)
        st_bag_set_str(bag, PR_BODY_HTML_W, c->html);
    else if (c->html)
        st_bag_set_bin(bag, PR_HTML, c->html, (uint32_t)strlen(c->html));
    if (c->cpid)
        st_bag_set_long(bag, PR_INTERNET_CPID, c->cpid);
    if (c->rtf)
        ok(put_rtf(bag, c->rtf) == 0, "%s: RTF stored\n", c->name);
    if (c->in_sync != ABSENT)
        st_bag_set_bool(bag, PR_RTF_IN_SYNC, c->in_sync);
    if (c->native_in != ABSENT)
        st_bag_set_long(bag, PR_NATIVE_BODY_INFO, c->native_in);

    rc = cv_body_sync(bag, c->changed, c->flags);
    ok(rc == c->rc, "%s: rc %d, want %d (%s)\n", c->name, rc, c->rc, st_error_last());
    ok(cv_body_native(bag) == c->native, "%s: native %u, want %u\n", c->name, (unsigned)cv_body_native(bag),
       (unsigned)c->native);
    if (rc == 0 && c->native != ST_NATIVE_BODY_UNDEFINED) {
        v = st_bag_get(bag, PR_NATIVE_BODY_INFO);
        ok(v && (uint32_t)v->v.l == c->native, "%s: PR_NATIVE_BODY_INFO %d\n", c->name, v ? v->v.l : -1);
    }

    v = st_bag_get(bag, PR_BODY_W);
    if (c->want_body)
        ok(v && strstr(v->v.str, c->want_body), "%s: body [%s]\n", c->name, v ? v->v.str : "(none)");
    else
        ok(!v, "%s: no body, got [%s]\n", c->name, v ? v->v.str : "");

    v = st_bag_get(bag, PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_HTML)));
    if (c->want_html) {
        char *h = NULL;
        if (v && PROP_TYPE(v->tag) == PT_BINARY) {
            h = malloc(v->v.bin.len + 1);
            if (h) {
                memcpy(h, v->v.bin.data, v->v.bin.len);
                h[v->v.bin.len] = 0;
            }
        } else if (v) {
            h = strdup(v->v.str);
        }
        ok(h && strstr(h, c->want_html), "%s: HTML [%s]\n", c->name, h ? h : "(none)");
        free(h);
    } else {
        ok(!v, "%s: no HTML\n", c->name);
    }

    size_t rl = 0;
    char *rtf = stored_rtf(bag, &rl);
    if (c->want_rtf == ABSENT) {
        ok(!st_bag_get(bag, PR_RTF_COMPRESSED), "%s: no RTF\n", c->name);
    } else {
        ok(rtf && cv_rtf_encapsulation(rtf, rl) == c->want_rtf, "%s: RTF kind %d\n", c->name,
           rtf ? cv_rtf_encapsulation(rtf, rl) : -99);
        if (rtf && c->want_rtf_text) {
            char *t = NULL;
            ok(cv_rtf_to_text(&t, NULL, rtf, rl, 0) == 0 && strstr(t, c->want_rtf_text), "%s: RTF text [%s]\n",
               c->name, t ? t : "");
            free(t);
        }
        if (rtf && c->want_rtf == CV_RTF_FROMHTML && c->want_html && !c->cpid &&
            !strstr(c->html ? c->html : "", "charset=")) {
            /* The RTF holds exactly the HTML that is stored (UTF-8 here). */
            char *h = NULL;
            ok(cv_rtf_to_html(&h, NULL, rtf, rl) == 0 && strstr(h, c->want_html), "%s: RTF's HTML [%s]\n",
               c->name, h ? h : "");
            free(h);
        }
    }
    free(rtf);

    v = st_bag_get(bag, PR_RTF_IN_SYNC);
    if (c->want_sync == ABSENT)
        ok(!v, "%s: no PR_RTF_IN_SYNC\n", c->name);
    else if (c->want_sync != ANY)
        ok(v && v->v.b == c->want_sync, "%s: PR_RTF_IN_SYNC %d, want %d\n", c->name, v ? v->v.b : -1,
           c->want_sync);
    v = st_bag_get(bag, PR_INTERNET_CPID);
    ok(c->want_cpid ? (v && v->v.l == c->want_cpid) : !v, "%s: PR_INTERNET_CPID %d\n", c->name, v ? v->v.l : 0);
    st_bag_free(bag);
}

static void test_uncompressed(void)
{
    st_bag *bag = st_bag_new();
    const st_value *v;

    st_bag_set_str(bag, PR_BODY_W, "plain");
    ok(cv_body_sync(bag, 0, CV_BODY_UNCOMPRESSED_RTF) == 0, "MELA sync\n");
    v = st_bag_get(bag, PR_RTF_COMPRESSED);
    ok(v && v->v.bin.len > 16 && memcmp(v->v.bin.data + 8, "MELA", 4) == 0, "stored as MELA\n");
    st_bag_free(bag);
}

/* CV_BODY_NO_RTF: text and HTML bodies filled in, no RTF made; then a sync
 * without it makes the RTF on demand. */
static void test_no_rtf(void)
{
    st_bag *bag = st_bag_new();
    st_bag_set_bin(bag, PR_HTML, "<p>hello <b>you</b></p>", 23);
    ok(cv_body_sync(bag, 0, CV_BODY_NO_RTF) == 0, "html sync\n");
    const st_value *b = st_bag_get(bag, PR_BODY_W);
    ok(b && strstr(b->v.str, "hello") != NULL, "text made from HTML\n");
    ok(!st_bag_get(bag, PR_RTF_COMPRESSED), "no RTF from HTML\n");
    ok(cv_body_native(bag) == ST_NATIVE_BODY_HTML, "native HTML\n");
    ok(cv_body_sync(bag, 0, 0) == 0 && st_bag_get(bag, PR_RTF_COMPRESSED), "RTF on demand\n");
    st_bag_free(bag);
    bag = st_bag_new();
    st_bag_set_str(bag, PR_BODY_W, "plain");
    ok(cv_body_sync(bag, 0, CV_BODY_NO_RTF) == 0 && !st_bag_get(bag, PR_RTF_COMPRESSED),
       "no RTF from text\n");
    st_bag_free(bag);
}

/* A second sync changes nothing. */
static void test_idempotent(void)
{
    st_bag *bag = st_bag_new(), *copy;

    st_bag_set_bin(bag, PR_HTML, "<p>x</p>", 8);
    ok(cv_body_sync(bag, 0, 0) == 0, "first sync\n");
    copy = st_bag_dup(bag);
    ok(cv_body_sync(bag, 0, 0) == 0, "second sync\n");
    ok(copy && st_bag_count(copy) == st_bag_count(bag), "same properties\n");
    for (size_t i = 0; copy && i < st_bag_count(copy); i++) {
        const st_value *a = st_bag_at(copy, i), *b = st_bag_get(bag, a->tag);
        ok(b && st_value_compare(a, b, 0) == 0, "property 0x%08x unchanged\n", (unsigned)a->tag);
    }
    st_bag_free(copy);
    st_bag_free(bag);
}

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
    test_uncompressed();
    test_no_rtf();
    test_idempotent();
    return test_done();
}
