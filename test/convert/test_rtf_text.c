/*
 * test_rtf_text.c: RTF to plain text and plain text to RTF, table-driven:
 * groups and destinations, \uN with \ucN fallbacks and surrogates, \'hh in
 * the font's or the document's code page, paragraphs, tabs and tables,
 * hidden text, HYPERLINK fields, \bin, hostile nesting; then text -> RTF ->
 * text round trips. Corpus oracles are test_rtf_corpus's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "storage/error.h"
#include "testutil.h"

typedef struct rtf_case {
    const char *rtf;       /* input */
    const char *text;      /* expected text, lines ending in "\n" (CV_TEXT_LF) */
} rtf_case;

static const rtf_case cases[] = {
    /* Paragraphs and the document group. */
    { "{\\rtf1 Hello\\par World}", "Hello\nWorld" },
    { "{\\rtf1\\ansi Hello\\par\r\nWorld\\par\r\n}", "Hello\nWorld\n" },
    { "{\\rtf1 a\\line b\\sect c\\page d}", "a\nb\nc\nd" },
    { "{\\rtf1 a\\\nb\\\r\nc}", "a\nb\nc" },
    { "{\\rtf1 line\r\nbreaks\nin the source}", "linebreaksin the source" },
    { "{\\rtf1 done}after the end", "done" },
    { "  {\\rtf1 leading space}", "leading space" },
    { "{\\rtf1 never {closed", "never closed" },
    { "{\\rtf1 a}}}}", "a" },
    /* Control symbols and words for characters. */
    { "{\\rtf1 \\\\ \\{ \\}}", "\\ { }" },
    { "{\\rtf1 a\\~b\\_c\\-d\\|e\\:f}", "a b\xe2\x80\x91" "cdef" },
    { "{\\rtf1\\ansi \\'a0\\u160?\\'c2}", "  \xc3\x82" },
    { "{\\rtf1 \\emdash\\endash\\bullet\\lquote\\rquote\\ldblquote\\rdblquote}",
      "\xe2\x80\x94\xe2\x80\x93\xe2\x80\xa2\xe2\x80\x98\xe2\x80\x99\xe2\x80\x9c\xe2\x80\x9d" },
    { "{\\rtf1 a\\tab b\tc}", "a\tb\tc" },
    { "{\\rtf1 word\\unknownword42 next\\x y}", "wordnexty" },
    { "{\\rtf1 a\\'zz b}", "azz b" },
    /* \'hh in code pages. */
    { "{\\rtf1\\ansi caf\\'e9 \\'80}", "caf\xc3\xa9 \xe2\x82\xac" },
    { "{\\rtf1\\ansi\\ansicpg1251 \\'cf\\'f0\\'e8}", "\xd0\x9f\xd1\x80\xd0\xb8" },
    { "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fcharset0 Arial;}{\\f1\\fcharset204 Arial CYR;}}"
      "\\f0 \\'e9{\\f1 \\'e9}\\'e9}", "\xc3\xa9\xd0\xb9\xc3\xa9" },
    { "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 A;}{\\f5\\cpg1253 G;}}\\f5 \\'e1}", "\xce\xb1" },
    { "{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0\\fnil MS Gothic;}}\\'82\\'a0\\'82\\'a2}",
      "\xe3\x81\x82\xe3\x81\x84" },
    { "{\\rtf1\\ansi\\deff1{\\fonttbl{\\f0 A;}{\\f1\\fcharset128 B;}}\\'82\\'a0}", "\xe3\x81\x82" },
    { "{\\rtf1{\\fonttbl{\\f1\\fnil\\fcharset2 Symbol;}}{\\f1\\'b7}\\tab item}", "\xe2\x80\xa2\titem" },
    { "{\\rtf1{\\fonttbl\\f0\\fswiss Arial;\\f1\\fcharset204 X;}\\f1\\'c0}", "\xd0\x90" },
    { "{\\rtf1\\ansi\\ansicpg65001 \\'c3\\'a9}", "\xc3\xa9" },
    /* \uN and fallbacks. */
    { "{\\rtf1 a\\u8364?b}", "a\xe2\x82\xac" "b" },
    { "{\\rtf1\\uc2 \\u8364??x}", "\xe2\x82\xacx" },
    { "{\\rtf1\\uc1 \\u233\\'e9x}", "\xc3\xa9x" },
    { "{\\rtf1\\uc0 \\u233 x}", "\xc3\xa9x" },
    { "{\\rtf1 {\\uc3\\u233}x}", "\xc3\xa9x" },
    { "{\\rtf1 \\u-10179?\\u-8704?}", "\xf0\x9f\x98\x80" },
    { "{\\rtf1 \\u-10179?x}", "\xef\xbf\xbdx" },
    { "{\\rtf1 \\u-8704?}", "\xef\xbf\xbd" },
    { "{\\rtf1 \\u65?\\u0?z}", "Az" },
    { "{\\rtf1\\uc1 \\u12354\\par x}", "\xe3\x81\x82x" },
    { "{\\rtf1\\uc99999 \\u233 abc}", "\xc3\xa9" },
    /* Destinations. */
    { "{\\rtf1{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red255\\green0\\blue0;}"
      "{\\stylesheet{\\s0 Normal;}}{\\info{\\title T}{\\author A}}text}", "text" },
    { "{\\rtf1 a{\\*\\generator Riched20}{\\*\\whatever {nested} x}b}", "ab" },
    { "{\\rtf1 a{\\pict\\pngblip 89504e47\\}}b}", "ab" },
    { "{\\rtf1 a{\\pict\\bin4 }{}{b}c}", "ac" },
    { "{\\rtf1 a{\\pict\\bin99999 abc}", "a" },
    { "{\\rtf1 x{\\header head}{\\footer foot}{\\footnote note}y}", "xy" },
    { "{\\rtf1 {\\*\\htmltag64 <p>}shown{\\*\\mhtmltag <img>}}", "shown" },
    { "{\\rtf1 \\htmlrtf a\\htmlrtf0 b}", "ab" },
    { "{\\rtf1 {\\pntext 1.\\tab}item}", "1.\titem" },
    { "{\\rtf1 {\\*\\pn\\pnlvlblt{\\pntxtb x}}item}", "item" },
    { "{\\rtf1 \\pict not a group}", "not a group" },
    /* Hidden text. */
    { "{\\rtf1 a{\\v hidden}b}", "ab" },
    { "{\\rtf1 a\\v hidden\\v0 b}", "ab" },
    { "{\\rtf1 \\v x\\plain y}", "y" },
    /* Tables. */
    { "{\\rtf1 \\trowd a\\cell b\\cell\\row c\\cell\\cell d\\cell\\row}", "a\tb\nc\t\td\n" },
    { "{\\rtf1 \\trowd x\\nestcell y\\nestcell\\nestrow}", "x\ty\n" },
    /* Fields. */
    { "{\\rtf1 {\\field{\\*\\fldinst HYPERLINK \"http://x.org/\"}{\\fldrslt click}}}",
      "click <http://x.org/>" },
    { "{\\rtf1 {\\field{\\*\\fldinst{HYPERLINK \"http://x.org/\"}}{\\fldrslt{http://x.org/}}}}",
      "http://x.org/" },
    { "{\\rtf1 {\\field{\\*\\fldinst HYPERLINK \"mailto:a@b.c\"}{\\fldrslt a@b.c}}}", "a@b.c" },
    { "{\\rtf1 {\\field{\\*\\fldinst HYPERLINK \\\\l \"_Toc1\"}{\\fldrslt Chapter}}}", "Chapter" },
    { "{\\rtf1 {\\field{\\*\\fldinst PAGE}{\\fldrslt 3}} of}", "3 of" },
    { "{\\rtf1 {\\field{\\*\\fldinst HYPERLINK \"http://x.org/\" \\\\o \"tip\"}{\\fldrslt x}}}",
      "x <http://x.org/>" },
    /* Malformed destinations at the top: not allowed to swallow the text. */
    { "{\\rtf1 \\colortbl ;x}", ";x" },
};

static void show(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            fputs("\\n", stderr);
        else if (c == '\r')
            fputs("\\r", stderr);
        else if (c == '\t')
            fputs("\\t", stderr);
        else
            fputc(c, stderr);
    }
}

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        size_t n = 0;
        int rc = cv_rtf_to_text(&out, &n, cases[i].rtf, strlen(cases[i].rtf), CV_TEXT_LF);
        int good = rc == 0 && out && n == strlen(cases[i].text) && memcmp(out, cases[i].text, n) == 0 &&
                   out[n] == '\0';
        ok(good, "case %u: %s: rc %d\n", (unsigned)i, cases[i].rtf, rc);
        if (!good && out) {
            fputs("  got [", stderr);
            show(out, n);
            fputs("]\n", stderr);
        }
        free(out);
    }
}

static void test_line_ends(void)
{
    char *out = NULL;
    size_t n = 0;

    ok(cv_rtf_to_text(&out, &n, "{\\rtf1 a\\par b\\line c\\row}", 26, 0) == 0 &&
       strcmp(out, "a\r\nb\r\nc\r\n") == 0, "CRLF by default\n");
    free(out);
}

static void test_not_rtf(void)
{
    char *out = (char *)"x";
    size_t n = 7;

    ok(cv_rtf_to_text(&out, &n, "hello", 5, 0) == CV_EPARSE && !out && n == 0, "plain text is no RTF\n");
    ok(cv_rtf_to_text(&out, &n, "{\\rtf", 4, 0) == CV_EPARSE, "cut header\n");
    ok(cv_rtf_to_text(&out, &n, NULL, 0, 0) == CV_EPARSE, "nothing\n");
    ok(cv_rtf_to_text(&out, &n, "{\\rtf1", 6, 0) == 0 && out && n == 0, "empty document\n");
    free(out);
}

static void test_hostile(void)
{
    size_t depth = 100000, len = 6 + depth * 2 + 1;
    char *rtf = malloc(len + 1), *out = NULL;
    size_t n = 0;

    if (!rtf)
        return;
    /* 100000 nested groups around one letter: dropped beyond the limit,
     * no stack, no quadratic work. */
    memcpy(rtf, "{\\rtf1", 6);
    memset(rtf + 6, '{', depth);
    rtf[6 + depth] = 'x';
    memset(rtf + 7 + depth, '}', depth);
    ok(cv_rtf_to_text(&out, &n, rtf, len, 0) == 0 && n == 0, "deep nesting: %zu bytes\n", n);
    free(out);
    /* 200 levels are fine. */
    memset(rtf + 6, '{', 200);
    rtf[206] = 'x';
    memset(rtf + 207, '}', 200);
    ok(cv_rtf_to_text(&out, &n, rtf, 407, 0) == 0 && n == 1 && out[0] == 'x', "200 levels\n");
    free(out);
    /* A million \u without fallbacks and \'-escapes: linear. */
    size_t big = 1 << 20;
    char *b = realloc(rtf, 6 + big * 6 + 2);
    if (!b) {
        free(rtf);
        return;
    }
    rtf = b;
    memcpy(rtf, "{\\rtf1", 6);
    for (size_t i = 0; i < big; i++)
        memcpy(rtf + 6 + i * 6, (i & 1) ? "\\'e9zz" : "\\u233?", 6);
    ok(cv_rtf_to_text(&out, &n, rtf, 6 + big * 6, 0) == 0 && n > big, "a megabyte of escapes: %zu\n", n);
    free(out);
    /* An output limit is honoured through the buffer. */
    free(rtf);
}

/* Text -> RTF -> text gives the text back (line ends as CRLF). */
static void test_text_rtf(void)
{
    static const char *const texts[] = {
        "",
        "body\r\n",
        "one line",
        "Tabs\tand {braces} and \\backslashes\\\r\nsecond line\r\n\r\n",
        "Gr\xc3\xbc\xc3\x9f" "e \xe2\x82\xac 100 \xe3\x81\x82\xe3\x81\x84 \xf0\x9f\x98\x80 \xce\xb1\r\n",
        "\r\n\r\nleading blank lines",
        "control\x01" "char",
    };
    static const char *const lf_texts[][2] = {
        { "a\nb\rc\r\nd", "a\r\nb\r\nc\r\nd" },
        { "bad \xff utf-8", "bad \xef\xbf\xbd utf-8" },
    };

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *rtf = NULL, *back = NULL;
        size_t rn = 0, bn = 0;
        ok(cv_text_to_rtf(&rtf, &rn, texts[i], strlen(texts[i])) == 0, "text %u to RTF\n", (unsigned)i);
        ok(rtf && cv_rtf_encapsulation(rtf, rn) == CV_RTF_FROMTEXT, "text %u: \\fromtext\n", (unsigned)i);
        for (size_t k = 0; rtf && k < rn; k++)
            if ((unsigned char)rtf[k] >= 0x80) {
                ok(0, "text %u: 8-bit byte in the RTF\n", (unsigned)i);
                break;
            }
        ok(rtf && cv_rtf_to_text(&back, &bn, rtf, rn, 0) == 0 && bn == strlen(texts[i]) &&
           memcmp(back, texts[i], bn) == 0, "text %u comes back: [%s]\n", (unsigned)i, back ? back : "");
        free(rtf);
        free(back);
    }
    for (size_t i = 0; i < sizeof lf_texts / sizeof lf_texts[0]; i++) {
        char *rtf = NULL, *back = NULL;
        size_t rn = 0;
        ok(cv_text_to_rtf(&rtf, &rn, lf_texts[i][0], strlen(lf_texts[i][0])) == 0 &&
           cv_rtf_to_text(&back, NULL, rtf, rn, 0) == 0 && strcmp(back, lf_texts[i][1]) == 0,
           "line ends %u: [%s]\n", (unsigned)i, back ? back : "");
        free(rtf);
        free(back);
    }
    /* The exact form: as Outlook writes "body\r\n". */
    {
        static const char expect[] =
            "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\fbidis \\deff0{\\fonttbl\r\n"
            "{\\f0\\fswiss Arial;}\r\n{\\f1\\fmodern Courier New;}\r\n"
            "{\\f2\\fnil\\fcharset2 Symbol;}\r\n{\\f3\\fmodern\\fcharset0 Courier New;}}\r\n"
            "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n"
            "\\uc1\\pard\\plain\\deftab360 \\f0\\fs20 Gr\\u252\\'fc\\u8364\\'80 \\u12354?\\par\r\n}";
        char *rtf = NULL;
        ok(cv_text_to_rtf(&rtf, NULL, "Gr\xc3\xbc\xe2\x82\xac \xe3\x81\x82\n",
                      strlen("Gr\xc3\xbc\xe2\x82\xac \xe3\x81\x82\n")) == 0 &&
           strcmp(rtf, expect) == 0, "the RTF of a short body: [%s]\n", rtf ? rtf : "");
        free(rtf);
    }
}

int main(void)
{
    test_cases();
    test_line_ends();
    test_not_rtf();
    test_hostile();
    test_text_rtf();
    return test_done();
}
