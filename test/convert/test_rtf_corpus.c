/*
 * test_rtf_corpus.c: the body converters against the shared corpus
 * ($MAPIDAV_CORPUS; skips when it is unset or absent):
 *   - msg/lzfu: every *.lzfu (and MELA.bin) decompresses byte-exactly to its
 *     .rtf, recompresses about as small as Outlook did and round-trips;
 *     test_rtf_data's CRC is refused and salvageable;
 *   - the compressed RTF inside the TNEF files and .msg files (found by its
 *     header): each TNEF one decompresses, equals its project's message.rtf
 *     where there is one, and every stream that passes its CRC is RTF that
 *     converts; a .msg stream may be cut by the compound file's sectors;
 *   - RTF to text equals PR_BODY of the msgreader .json oracles (what
 *     Outlook computed) and MimeKit's message.txt;
 *   - text to RTF writes "body\r\n" exactly as Outlook did (test1.rtf);
 *   - every \fromhtml1 RTF de-encapsulates to an HTML document whose text
 *     holds the body's words, and that HTML survives encapsulation again.
 * Never writes to the corpus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "convert/rtf.h"
#include "storage/error.h"
#include "corpus_util.h"
#include "testutil.h"

static const char *corpus;

static char *corpus_file(const char *rel, size_t *len)
{
    char path[2048];

    snprintf(path, sizeof path, "%s/%s", corpus, rel);
    return corpus_read_file(path, len);
}

static uint32_t le32(const void *v)
{
    const uint8_t *p = v;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Equal, or equal once every CR is gone (a checkout that normalised line
 * ends); 2 for the latter. */
static int same_text(const char *a, size_t an, const char *b, size_t bn)
{
    if (an == bn && memcmp(a, b, an) == 0)
        return 1;
    size_t i = 0, j = 0;
    for (;;) {
        while (i < an && a[i] == '\r')
            i++;
        while (j < bn && b[j] == '\r')
            j++;
        if (i == an || j == bn)
            return i == an && j == bn ? 2 : 0;
        if (a[i++] != b[j++])
            return 0;
    }
}

/* ---- msg/lzfu ---- */

static const struct {
    const char *name;   /* in msg/lzfu */
    const char *words;  /* in its text */
} lzfu_files[] = {
    { "A memo", "A memo." },
    { "A schedule", "A message body." },
    { "Subject", "Message" },
    { "sent2", "Hello." },
    { "test1", "body" },
};

static void test_lzfu(void)
{
    char rel[256];

    for (size_t i = 0; i < sizeof lzfu_files / sizeof lzfu_files[0]; i++) {
        size_t len = 0, rlen = 0, on = 0, cn = 0, bn = 0;
        uint8_t *out = NULL, *c = NULL, *back = NULL;
        char *text = NULL;
        snprintf(rel, sizeof rel, "msg/lzfu/%s.lzfu", lzfu_files[i].name);
        char *in = corpus_file(rel, &len);
        snprintf(rel, sizeof rel, "msg/lzfu/%s.rtf", lzfu_files[i].name);
        char *rtf = corpus_file(rel, &rlen);
        if (!ok(in && rtf, "%s: files\n", lzfu_files[i].name)) {
            free(in);
            free(rtf);
            continue;
        }
        int rc = cv_rtf_decompress(&out, &on, in, len, 0, 0);
        ok(rc == 0 && on == rlen && memcmp(out, rtf, rlen) == 0, "%s: byte-exact, rc %d, %zu of %zu bytes\n",
           lzfu_files[i].name, rc, on, rlen);
        ok(on == le32(in + 4), "%s: RAWSIZE %u\n", lzfu_files[i].name, (unsigned)le32(in + 4));
        rc = cv_rtf_compress(&c, &cn, rtf, rlen, 0);
        ok(rc == 0 && cn <= len + len / 50 + 8, "%s: compressed to %zu bytes, Outlook %zu\n",
           lzfu_files[i].name, cn, len);
        ok(rc == 0 && cv_rtf_decompress(&back, &bn, c, cn, 0, 0) == 0 && bn == rlen &&
           memcmp(back, rtf, rlen) == 0, "%s: round trip\n", lzfu_files[i].name);
        ok(cv_rtf_to_text(&text, NULL, rtf, rlen, 0) == 0 && strstr(text, lzfu_files[i].words),
           "%s: text [%s]\n", lzfu_files[i].name, text ? text : "");
        free(text);
        free(back);
        free(c);
        free(out);
        free(in);
        free(rtf);
    }
    /* MELA (uncompressed) from MSGReader. */
    {
        size_t len = 0, rlen = 0, on = 0;
        uint8_t *out = NULL;
        char *in = corpus_file("msg/lzfu/MELA.bin", &len), *rtf = corpus_file("msg/lzfu/MELA.rtf", &rlen);
        ok(in && rtf && cv_rtf_decompress(&out, &on, in, len, 0, 0) == 0 && on == rlen &&
           memcmp(out, rtf, rlen) == 0, "MELA.bin: byte-exact\n");
        free(out);
        free(in);
        free(rtf);
    }
    /* ruby-msg's stream: its text was anonymised after the CRC was made. */
    {
        size_t len = 0, on = 0;
        uint8_t *out = NULL;
        char *in = corpus_file("msg/lzfu/test_rtf.data", &len);
        if (in) {
            ok(cv_rtf_decompress(&out, &on, in, len, 0, 0) == CV_EPARSE && !out, "test_rtf.data: CRC refused\n");
            ok(cv_rtf_decompress(&out, &on, in, len, 0, CV_RTF_NO_CRC) == 0 && on == le32(in + 4) &&
               strstr((char *)out, "I will be out of the office"), "test_rtf.data: salvaged\n");
            free(out);
            free(in);
        }
    }
}

/* ---- compressed RTF inside TNEF and .msg files ---- */

static const struct {
    const char *file;   /* container */
    const char *oracle; /* its decompressed RTF as its project ships it, or NULL */
    int must;           /* the stream must decompress (TNEF: contiguous) */
} containers[] = {
    { "tnef/mimekit/rtf.tnef", "tnef/mimekit/rtf/message.rtf", 1 },
    { "tnef/mimekit/triples.tnef", "tnef/mimekit/triples/message.rtf", 1 },
    { "tnef/mimekit/winmail.tnef", "tnef/mimekit/winmail/message.rtf", 1 },
    { "tnef/mimekit/multi-value-attribute.tnef", "tnef/mimekit/multi-value-attribute/message.rtf", 1 },
    { "tnef/apache-poi/quick-winmail.dat", "tnef/apache-poi/quick-contents/message.rtf", 1 },
    { "msg/hiraoka-msgreader/sent.msg", "msg/hiraoka-msgreader/sent.rtf", 0 },
    { "msg/hiraoka-msgreader/attachAndInline.msg", "msg/hiraoka-msgreader/attachAndInline.rtf", 0 },
    { "msg/hiraoka-msgreader/msgInMsg.msg", "msg/hiraoka-msgreader/msgInMsg.rtf", 0 },
    { "msg/hiraoka-msgreader/test1.msg", NULL, 0 },
    { "msg/hiraoka-msgreader/contactUnicode.msg", NULL, 0 },
    { "msg/apache-poi/quick.msg", NULL, 0 },
    { "msg/apache-poi/attachment_test_msg.msg", NULL, 0 },
    { "msg/apache-poi/example_received_unicode.msg", NULL, 0 },
    { "msg/apache-poi/msgClassAppointment.msg", NULL, 0 },
    { "msg/msgreader-net/HtmlSampleEmail.msg", NULL, 0 },
    { "msg/hfig-mapi/sample.msg", NULL, 0 },
    { "msg/ruby-msg/qwerty_1-orig.msg", NULL, 0 },
};

static int streams_ok, fromhtml_seen;

/* Checks one RTF from wherever it came: it converts, and HTML in it comes
 * out as a document that survives another encapsulation. */
static void check_rtf(const char *what, const char *rtf, size_t len)
{
    char *text = NULL, *html = NULL, *again = NULL, *back = NULL;
    size_t hn = 0, an = 0, bn = 0;

    ok(len >= 5 && memcmp(rtf, "{\\rtf", 5) == 0, "%s: RTF\n", what);
    ok(cv_rtf_to_text(&text, NULL, rtf, len, 0) == 0, "%s: to text (%s)\n", what, st_error_last());
    if (cv_rtf_encapsulation(rtf, len) == CV_RTF_FROMHTML) {
        fromhtml_seen++;
        int rc = cv_rtf_to_html(&html, &hn, rtf, len);
        ok(rc == 0 && hn > 0, "%s: de-encapsulated HTML\n", what);
        ok(rc == 0 && cv_html_to_rtf(&again, &an, html, hn) == 0 && cv_rtf_to_html(&back, &bn, again, an) == 0 &&
           bn == hn && memcmp(back, html, hn) == 0, "%s: HTML survives encapsulation\n", what);
    }
    free(text);
    free(html);
    free(again);
    free(back);
}

static void test_containers(void)
{
    for (size_t i = 0; i < sizeof containers / sizeof containers[0]; i++) {
        size_t len = 0, found = 0, good = 0;
        char *in = corpus_file(containers[i].file, &len);
        int matched = 0;
        if (!ok(in != NULL, "%s read\n", containers[i].file))
            continue;
        for (size_t k = 8; k + 8 <= len; k++) {
            if (memcmp(in + k, "LZFu", 4) != 0 && memcmp(in + k, "MELA", 4) != 0)
                continue;
            uint8_t *out = NULL;
            size_t on = 0;
            found++;
            if (cv_rtf_decompress(&out, &on, in + k - 8, len - (k - 8), 0, 0) != 0)
                continue;  /* a .msg stream split over sectors fails its CRC */
            good++;
            streams_ok++;
            char what[300];
            snprintf(what, sizeof what, "%s@%zu", containers[i].file, k - 8);
            check_rtf(what, (char *)out, on);
            if (containers[i].oracle) {
                size_t rn = 0;
                char *oracle = corpus_file(containers[i].oracle, &rn);
                if (oracle && same_text((char *)out, on, oracle, rn))
                    matched = same_text((char *)out, on, oracle, rn);
                free(oracle);
            }
            free(out);
        }
        ok(found > 0, "%s: a compressed RTF stream\n", containers[i].file);
        if (containers[i].must)
            ok(good == found, "%s: %zu of %zu streams decompress\n", containers[i].file, good, found);
        if (containers[i].oracle)
            ok(matched, "%s: equals %s\n", containers[i].file, containers[i].oracle);
        if (matched == 2)
            printf("%s: equal to its oracle but for CRs (the oracle's line ends were normalised)\n",
                   containers[i].file);
        free(in);
    }
    ok(streams_ok >= 15, "%d streams read\n", streams_ok);
}

/* ---- RTF to text against what Outlook computed ---- */

/* The string values of every "body" key of a msgreader .json, in order. */
static size_t json_bodies(const char *json, char **out, size_t max)
{
    size_t n = 0;
    const char *p = json;

    while (n < max && (p = strstr(p, "\"body\"")) != NULL) {
        p += 6;
        while (*p == ' ' || *p == ':' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (*p != '"')
            continue;
        p++;
        cv_rtf__buf b;
        cv_rtf__buf_init(&b, 0);
        while (*p && *p != '"') {
            if (*p != '\\') {
                cv_rtf__putc(&b, *p++);
                continue;
            }
            p++;
            switch (*p) {
            case 'n': cv_rtf__putc(&b, '\n'); p++; break;
            case 'r': cv_rtf__putc(&b, '\r'); p++; break;
            case 't': cv_rtf__putc(&b, '\t'); p++; break;
            case 'b': cv_rtf__putc(&b, '\b'); p++; break;
            case 'f': cv_rtf__putc(&b, '\f'); p++; break;
            case 'u': {
                uint32_t cp = (uint32_t)strtoul((char[]){ p[1], p[2], p[3], p[4], 0 }, NULL, 16);
                p += 5;
                if (cp >= 0xD800 && cp < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
                    uint32_t lo = (uint32_t)strtoul((char[]){ p[2], p[3], p[4], p[5], 0 }, NULL, 16);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
                cv_rtf__put_ucs(&b, cp);
                break;
            }
            default:
                if (*p)
                    cv_rtf__putc(&b, *p++);
            }
        }
        if (cv_rtf__buf_finish(&b, &out[n], NULL, "json") == 0)
            n++;
    }
    return n;
}

static const struct {
    const char *rtf;    /* decompressed PR_RTF_COMPRESSED */
    const char *json;   /* msgreader's parse of the same message */
    const char *words;  /* in the text of its HTML, if it holds HTML */
} text_oracles[] = {
    { "msg/hiraoka-msgreader/test1.rtf", "msg/hiraoka-msgreader/test1.json", NULL },
    { "msg/hiraoka-msgreader/sent.rtf", "msg/hiraoka-msgreader/sent.json", "Test mail" },
    { "msg/hiraoka-msgreader/msgInMsg.rtf", "msg/hiraoka-msgreader/msgInMsg.json", "I have attachments!" },
    { "msg/hiraoka-msgreader/attachAndInline.rtf", "msg/hiraoka-msgreader/attachAndInline.json", "" },
};

static void test_text_oracles(void)
{
    for (size_t i = 0; i < sizeof text_oracles / sizeof text_oracles[0]; i++) {
        size_t rn = 0, jn = 0, tn = 0;
        char *rtf = corpus_file(text_oracles[i].rtf, &rn), *json = corpus_file(text_oracles[i].json, &jn);
        char *bodies[8] = { 0 }, *text = NULL;
        size_t nb = json ? json_bodies(json, bodies, 8) : 0;
        if (!ok(rtf && nb > 0, "%s: RTF and PR_BODY oracle\n", text_oracles[i].rtf)) {
            free(rtf);
            free(json);
            continue;
        }
        int rc = cv_rtf_to_text(&text, &tn, rtf, rn, 0);
        int same = 0;
        for (size_t k = 0; k < nb; k++)
            same |= rc == 0 && strcmp(text, bodies[k]) == 0;
        ok(same, "%s: text equals Outlook's PR_BODY: [%s]\n", text_oracles[i].rtf, text ? text : "");
        if (text_oracles[i].words) {
            char *html = NULL, *htext = NULL;
            size_t hn = 0;
            ok(cv_rtf_to_html(&html, &hn, rtf, rn) == 0 && cv_html_to_text(&htext, NULL, html, hn, 0) == 0 &&
               strstr(htext, text_oracles[i].words), "%s: its HTML's text [%s]\n", text_oracles[i].rtf,
               htext ? htext : "");
            free(html);
            free(htext);
        }
        check_rtf(text_oracles[i].rtf, rtf, rn);
        for (size_t k = 0; k < nb; k++)
            free(bodies[k]);
        free(text);
        free(rtf);
        free(json);
    }
    /* MimeKit's triples: message.txt is the text of message.rtf. */
    {
        size_t rn = 0, xn = 0, tn = 0;
        char *rtf = corpus_file("tnef/mimekit/triples/message.rtf", &rn);
        char *txt = corpus_file("tnef/mimekit/triples/message.txt", &xn), *text = NULL;
        ok(rtf && txt && cv_rtf_to_text(&text, &tn, rtf, rn, CV_TEXT_LF) == 0 && same_text(text, tn, txt, xn),
           "triples: [%s]\n", text ? text : "");
        free(rtf);
        free(txt);
        free(text);
    }
    /* The other fromhtml RTFs of the corpus, with the words they show. */
    {
        static const struct {
            const char *rtf;
            const char *words;
        } more[] = {
            { "msg/lzfu/Subject.rtf", "Message" },
            { "tnef/mimekit/multi-value-attribute/message.rtf",
              "You received a voice mail from Curie Conf Room at 208225." },
        };
        for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
            size_t rn = 0, hn = 0;
            char *rtf = corpus_file(more[i].rtf, &rn), *html = NULL, *text = NULL;
            ok(rtf && cv_rtf_to_html(&html, &hn, rtf, rn) == 0 && cv_html_to_text(&text, NULL, html, hn, 0) == 0 &&
               strstr(text, more[i].words), "%s: [%s]\n", more[i].rtf, text ? text : "");
            if (rtf)
                check_rtf(more[i].rtf, rtf, rn);
            free(rtf);
            free(html);
            free(text);
        }
    }
}

/* Outlook's RTF of the plain-text body "body\r\n". */
static void test_text_to_rtf(void)
{
    size_t rn = 0, on = 0;
    char *rtf = corpus_file("msg/lzfu/test1.rtf", &rn), *out = NULL;

    ok(rtf && cv_text_to_rtf(&out, &on, "body\r\n", 6) == 0 && on == rn && memcmp(out, rtf, rn) == 0,
       "text to RTF as Outlook: [%s]\n", out ? out : "");
    free(rtf);
    free(out);
}

int main(void)
{
    struct stat st;
    char dir[2048];

    corpus = getenv("MAPIDAV_CORPUS");
    if (!corpus || !*corpus)
        test_skip("MAPIDAV_CORPUS is not set\n");
    snprintf(dir, sizeof dir, "%s/msg/lzfu", corpus);
    if (stat(dir, &st) != 0)
        test_skip("no corpus at %s\n", corpus);
    test_lzfu();
    test_containers();
    test_text_oracles();
    test_text_to_rtf();
    ok(fromhtml_seen >= 8, "%d \\fromhtml1 documents\n", fromhtml_seen);
    return test_done();
}
