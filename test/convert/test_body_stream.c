/*
 * test_body_stream.c: the streaming body converters (rtf.h, "Streaming")
 * give the same bytes as the whole-buffer ones whatever the chunks: every
 * file of the shared corpus and built inputs (long text, entities, tags,
 * <style> blocks and UTF-8 across chunk ends) fed in chunks of 1, 7 and
 * 4096 bytes to HTML to text, HTML to RTF, text to RTF and the RTF
 * compressor (byte for byte with the same table sizes; through
 * cv_rtf_decompress for the public one, and its header patched in); a
 * 8 MB body streamed with bounded buffers; errors of a sink come back.
 * Corpus parts skip cleanly when ../shared/corpus is absent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "convert/body.h"
#include "convert/rtf.h"
#include "corpus_util.h"
#include "storage/error.h"
#include "storage/props_tags.h"
#include "testutil.h"

static const size_t chunks[] = { 1, 7, 4096 };

enum { K_HTML_TEXT, K_HTML_RTF, K_TEXT_RTF, K_COMPRESS, K_RTF_TEXT, K_RTF_HTML, K_DECOMPRESS,
       K_COUNT };
static const char *const kind_name[] = { "HTML to text", "HTML to RTF", "text to RTF",
                                         "compress", "RTF to text", "RTF to HTML",
                                         "decompress" };

static int make(int kind, cv_push **p, cv_rtf__buf *b, size_t hint)
{
    switch (kind) {
    case K_HTML_TEXT: return cv_html_to_text_push(p, 0, cv_rtf__buf_sink, b);
    case K_HTML_RTF: return cv_html_to_rtf_push(p, cv_rtf__buf_sink, b);
    case K_TEXT_RTF: return cv_text_to_rtf_push(p, cv_rtf__buf_sink, b);
    case K_RTF_TEXT: return cv_rtf_to_text_push(p, 0, cv_rtf__buf_sink, b);
    case K_RTF_HTML: return cv_rtf_to_html_push(p, cv_rtf__buf_sink, b);
    case K_DECOMPRESS: return cv_rtf_decompress_push(p, 0, 0, cv_rtf__buf_sink, b);
    default: return cv_rtf__compress_push_hint(p, 0, cv_rtf__buf_sink, b, hint);
    }
}

static int whole(int kind, const char *in, size_t len, char **out, size_t *out_len)
{
    switch (kind) {
    case K_HTML_TEXT: return cv_html_to_text(out, out_len, in, len, 0);
    case K_HTML_RTF: return cv_html_to_rtf(out, out_len, in, len);
    case K_TEXT_RTF: return cv_text_to_rtf(out, out_len, in, len);
    case K_RTF_TEXT: return cv_rtf_to_text(out, out_len, in, len, 0);
    case K_RTF_HTML: return cv_rtf_to_html(out, out_len, in, len);
    case K_DECOMPRESS: return cv_rtf_decompress((uint8_t **)out, out_len, in, len, 0, 0);
    default: return cv_rtf_compress((uint8_t **)out, out_len, in, len, 0);
    }
}

/* Feeds in by chunk bytes: 0 and the output in *b, or the error. */
static int chunked(int kind, const char *in, size_t len, size_t chunk, cv_rtf__buf *b)
{
    cv_push *p;
    int rc = make(kind, &p, b, len);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < len; i += chunk)
        rc = cv_push_feed(p, in + i, len - i < chunk ? len - i : chunk);
    if (!rc)
        rc = cv_push_end(p);
    if (!rc && kind == K_COMPRESS)
        rc = cv_rtf_compress_header(p, (uint8_t *)b->data);
    cv_push_free(p);
    return rc;
}

static int compared;

static void compare(const char *what, int kind, const char *in, size_t len);

/* Every converter on in; the RTF readers also on in made RTF (HTML
 * encapsulated, text), the decompressor on in compressed. */
static void same_as_whole(const char *what, const char *in, size_t len)
{
    for (int kind = 0; kind < K_COUNT; kind++)
        compare(what, kind, in, len);
    char *rtf = NULL;
    size_t rtf_len = 0;
    if (cv_html_to_rtf(&rtf, &rtf_len, in, len) == 0) {
        compare(what, K_RTF_TEXT, rtf, rtf_len);
        compare(what, K_RTF_HTML, rtf, rtf_len);
        compare(what, K_COMPRESS, rtf, rtf_len);
        free(rtf);
    }
    if (cv_text_to_rtf(&rtf, &rtf_len, in, len) == 0) {
        compare(what, K_RTF_TEXT, rtf, rtf_len);
        free(rtf);
    }
    uint8_t *z = NULL;
    size_t zl = 0;
    if (cv_rtf_compress(&z, &zl, in, len, 0) == 0) {
        compare(what, K_DECOMPRESS, (const char *)z, zl);
        free(z);
    }
    if (cv_rtf_compress(&z, &zl, in, len, CV_RTF_STORE_UNCOMPRESSED) == 0) {
        compare(what, K_DECOMPRESS, (const char *)z, zl);
        free(z);
    }
}

static void compare(const char *what, int kind, const char *in, size_t len)
{
    {
        char *w = NULL;
        size_t wl = 0;
        int wrc = whole(kind, in, len, &w, &wl);
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            cv_rtf__buf b;
            cv_rtf__buf_init(&b, 0);
            int rc = chunked(kind, in, len, chunks[c], &b);
            int same = rc == wrc && (wrc || (b.len == wl && (wl == 0 || memcmp(b.data, w, wl) == 0)));
            if (!ok(same, "%s, %s in chunks of %zu: rc %d/%d, %zu/%zu bytes\n", what,
                    kind_name[kind], chunks[c], rc, wrc, b.len, wl)) {
                for (size_t k = 0; k < wl && k < b.len; k++)
                    if (b.data[k] != w[k]) {
                        printf("#   first difference at %zu: ...%.40s... / ...%.40s...\n", k,
                               b.data + (k > 20 ? k - 20 : 0), w + (k > 20 ? k - 20 : 0));
                        break;
                    }
            }
            cv_rtf__buf_free(&b);
            compared++;
        }
        free(w);
    }
}

/* Inputs built to put every kind of token across chunk ends. */
static void test_built(void)
{
    cv_rtf__buf b;
    cv_rtf__buf_init(&b, 0);
    cv_rtf__puts(&b, "<html><head><title>T &amp; t</title><style>p { color: red } /* </sty */"
                     "</style></head><body>\r\n");
    for (int i = 0; i < 400; i++) {
        cv_rtf__puts(&b, "<p class=MsoNormal>caf\xc3\xa9 &eacute;&amp;&#x20AC;&#8364;&copy "
                         "&CounterClockwiseContourIntegral; \xf0\x9f\x98\x80 {brace} \\back "
                         "<a href=\"http://example.com/?a=1&amp;b=2\">link text</a> "
                         "<!-- a comment -- with dashes --> <br/>\r\n"
                         "<pre>  pre\r\n text\t tab</pre><ul><li>item<li>two</ul>"
                         "<table><tr><td>a<td>b</tr></table>x   y\r\n\r\nz</p>");
    }
    /* Long text with no markup, and a long run of letters. */
    for (int i = 0; i < 3000; i++)
        cv_rtf__puts(&b, "words, words; more words &amp; \xe2\x82\xac. ");
    for (int i = 0; i < 9000; i++)
        cv_rtf__putc(&b, 'a');
    cv_rtf__puts(&b, "<script>if (a < b) document.write('</scr' + 'ipt>')</script>end<b");
    ok(!b.err, "built input\n");
    same_as_whole("built HTML", b.data, b.len);
    /* Plain text with every line end and bytes that are cut. */
    cv_rtf__buf t;
    cv_rtf__buf_init(&t, 0);
    for (int i = 0; i < 2000; i++)
        cv_rtf__puts(&t, "line \\ { } \t\r\nunix\nmac\r\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc3 \x01");
    same_as_whole("built text", t.data, t.len);
    same_as_whole("empty", "", 0);
    cv_rtf__buf_free(&b);
    cv_rtf__buf_free(&t);
}

static size_t files_seen;

static void one_file(void *ctx, const char *path)
{
    size_t len = 0;
    char *data = corpus_read_file(path, &len);
    (void)ctx;
    if (!data)
        return;
    same_as_whole(path, data, len);
    files_seen++;
    free(data);
}

/* The public compressor (tables for any size) round-trips, header patched. */
static void test_compress_public(void)
{
    const char *rtf = "{\\rtf1\\ansi\\ansicpg1252\\pard hello hello hello world\\par}";
    size_t len = strlen(rtf);
    for (unsigned flags = 0; flags <= CV_RTF_STORE_UNCOMPRESSED; flags++) {
        cv_rtf__buf b;
        cv_push *p;
        cv_rtf__buf_init(&b, 0);
        int rc = cv_rtf_compress_push(&p, flags, cv_rtf__buf_sink, &b);
        for (size_t i = 0; !rc && i < len; i++)
            rc = cv_push_feed(p, rtf + i, 1);
        if (!rc)
            rc = cv_push_end(p);
        if (!rc)
            rc = cv_rtf_compress_header(p, (uint8_t *)b.data);
        cv_push_free(p);
        uint8_t *back = NULL;
        size_t bl = 0;
        ok(rc == 0 && cv_rtf_decompress(&back, &bl, b.data, b.len, 0, 0) == 0 && bl == len &&
               memcmp(back, rtf, len) == 0, "compress push (flags %u) round-trips\n", flags);
        free(back);
        cv_rtf__buf_free(&b);
    }
}

/* A sink that counts, and fails when told. */
typedef struct counting {
    uint64_t bytes;
    uint64_t fail_after;
    uint32_t crc;
} counting;

static int count_sink(void *ctx, const void *data, size_t len)
{
    counting *c = ctx;
    if (c->bytes + len > c->fail_after) {
        st_error_set("test sink: full");
        return -7;
    }
    c->bytes += len;
    return 0;
}

/* 8 MB of HTML through HTML to text and HTML to RTF to compressed RTF,
 * chained, in 64 KB chunks: every sink sees its bytes, the errors of a sink
 * stop the chain. */
static void test_big_chain(void)
{
    static const char para[] = "<p>Newsletter item with <b>bold</b> &amp; a "
                               "<a href=\"https://example.com/x\">link</a>.</p>\r\n";
    char chunk[65536];
    size_t n = 0;
    while (n + sizeof para - 1 <= sizeof chunk) {
        memcpy(chunk + n, para, sizeof para - 1);
        n += sizeof para - 1;
    }
    counting text = { .fail_after = UINT64_MAX }, comp = { .fail_after = UINT64_MAX };
    cv_push *t, *r, *z;
    int rc = cv_html_to_text_push(&t, 0, count_sink, &text);
    rc |= cv_rtf_compress_push(&z, 0, count_sink, &comp);
    rc |= cv_html_to_rtf_push(&r, cv_push_sink, z);
    size_t fed = 0;
    for (; !rc && fed < (8u << 20); fed += n) {
        rc = cv_push_feed(t, chunk, n);
        if (!rc)
            rc = cv_push_feed(r, chunk, n);
    }
    if (!rc)
        rc = cv_push_end(t);
    if (!rc)
        rc = cv_push_end(r);
    if (!rc)
        rc = cv_push_end(z);
    uint8_t hdr[16];
    ok(rc == 0 && cv_rtf_compress_header(z, hdr) == 0, "8 MB chained: rc %d\n", rc);
    ok(text.bytes > fed / 4 && comp.bytes > 1000 && comp.bytes < fed,
       "8 MB chained: %llu bytes of text, %llu compressed\n", (unsigned long long)text.bytes,
       (unsigned long long)comp.bytes);
    cv_push_free(t);
    cv_push_free(r);
    cv_push_free(z);

    /* A sink that fails: the feed says so, and so does every call after. */
    counting small = { .fail_after = 100000 };
    rc = cv_html_to_text_push(&t, 0, count_sink, &small);
    for (int i = 0; !rc && i < 100; i++)
        rc = cv_push_feed(t, chunk, n);
    ok(rc == -7 && cv_push_feed(t, chunk, 1) == -7 && cv_push_end(t) == -7,
       "a failing sink's error comes back: %d\n", rc);
    cv_push_free(t);
}

/* HTML bytes to UTF-8 in chunks: UTF-8 validated across chunk ends as
 * whole, a single-byte charset decoded, a multi-byte one refused. */
static void test_html_decode(void)
{
    static const char utf8[] = "<p>caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 bad \xc3 \xff end</p>";
    size_t len = sizeof utf8 - 1;
    cv_rtf__buf want;
    cv_rtf__buf_init(&want, 0);
    cv_rtf__put_utf8(&want, utf8, len);
    st_bag *bag = st_bag_new();
    st_bag_set_long(bag, PR_INTERNET_CPID, 65001);
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        cv_rtf__buf b;
        cv_push *p;
        cv_rtf__buf_init(&b, 0);
        int rc = cv_body_html_push(&p, bag, utf8, len, cv_rtf__buf_sink, &b);
        for (size_t i = 0; !rc && i < len; i += chunks[c])
            rc = cv_push_feed(p, utf8 + i, len - i < chunks[c] ? len - i : chunks[c]);
        if (!rc)
            rc = cv_push_end(p);
        cv_push_free(p);
        ok(rc == 0 && b.len == want.len && memcmp(b.data, want.data, b.len) == 0,
           "UTF-8 HTML in chunks of %zu: %d, %zu/%zu bytes\n", chunks[c], rc, b.len, want.len);
        cv_rtf__buf_free(&b);
    }
    cv_rtf__buf_free(&want);
    st_bag_set_long(bag, PR_INTERNET_CPID, 1252);
    cv_rtf__buf b;
    cv_push *p;
    cv_rtf__buf_init(&b, 0);
    int rc = cv_body_html_push(&p, bag, "x", 1, cv_rtf__buf_sink, &b);
    if (!rc)
        rc = cv_push_feed(p, "caf\xe9 \x80", 6);
    if (!rc)
        rc = cv_push_end(p);
    cv_push_free(p);
    ok(rc == 0 && b.len == 9 && memcmp(b.data, "caf\xc3\xa9 \xe2\x82\xac", 9) == 0,
       "windows-1252 HTML decoded in chunks: %d, %zu bytes\n", rc, b.len);
    cv_rtf__buf_free(&b);
    /* no bag: UTF-8 already (PR_BODY_HTML), whatever a guess would say */
    cv_rtf__buf_init(&b, 0);
    rc = cv_body_html_push(&p, NULL, utf8, len, cv_rtf__buf_sink, &b);
    if (!rc)
        rc = cv_push_feed(p, utf8, len);
    if (!rc)
        rc = cv_push_end(p);
    cv_push_free(p);
    cv_rtf__buf_init(&want, 0);
    cv_rtf__put_utf8(&want, utf8, len);
    ok(rc == 0 && b.len == want.len && memcmp(b.data, want.data, b.len) == 0,
       "string HTML taken as UTF-8: %d, %zu/%zu bytes\n", rc, b.len, want.len);
    cv_rtf__buf_free(&want);
    cv_rtf__buf_free(&b);
    st_bag_set_long(bag, PR_INTERNET_CPID, 50220);
    ok(cv_body_html_push(&p, bag, "x", 1, cv_rtf__buf_sink, &b) == CV_EPARSE && !p,
       "iso-2022-jp HTML is not converted in pieces\n");
    st_bag_free(bag);
}

int main(void)
{
    test_html_decode();
    test_built();
    test_compress_public();
    test_big_chain();
    const char *corpus = getenv("MAPIDAV_CORPUS");
    struct stat st;
    if (!corpus || !*corpus || stat(corpus, &st) != 0) {
        printf("# no corpus: its part is skipped\n");
    } else {
        corpus_walk(corpus, 8, one_file, NULL);
        ok(files_seen > 100, "%zu corpus files, %d comparisons\n", files_seen, compared);
    }
    return test_done();
}
