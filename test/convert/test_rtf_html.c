/*
 * test_rtf_html.c: HTML encapsulated in RTF ([MS-OXRTFEX]): recognising
 * \fromhtml1 and \fromtext in the first 10 tokens, de-encapsulating the spec's
 * worked example and constructed cases (code pages, \uN, \htmlrtf scopes,
 * \mhtmltag, <meta> charsets), and HTML -> RTF -> HTML round trips that must
 * give every byte back, while the RTF alone still reads as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "storage/error.h"
#include "testutil.h"

static void test_recognition(void)
{
    static const struct {
        const char *rtf;
        int kind;
    } cases[] = {
        { "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl}}", CV_RTF_FROMHTML },
        { "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\fbidis \\deff0}", CV_RTF_FROMTEXT },
        { "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}hello}", CV_RTF_NATIVE },
        { "{\\rtf1\\fromhtml}", CV_RTF_FROMHTML },
        { "{\\rtf1\\fromhtml0}", CV_RTF_NATIVE },
        { "\r\n {\\rtf1{\\*\\x}\\fromhtml1}", CV_RTF_FROMHTML },
        /* The 11th token is too late, the 10th is not. */
        { "{\\rtf1\\a\\b\\c\\d\\e\\f\\g\\h\\fromhtml1}", CV_RTF_NATIVE },
        { "{\\rtf1\\a\\b\\c\\d\\e\\f\\g\\fromhtml1}", CV_RTF_FROMHTML },
        { "{\\rtf1 some text \\fromtext}", CV_RTF_FROMTEXT },
        { "<html>", CV_EPARSE },
        { "", CV_EPARSE },
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int k = cv_rtf_encapsulation(cases[i].rtf, strlen(cases[i].rtf));
        ok(k == cases[i].kind, "recognition %u: got %d, want %d\n", (unsigned)i, k, cases[i].kind);
    }
}

/* [MS-OXRTFEX] 3.1, its example RTF (with the spec's "a bold text" typo
 * put right, so RTF and HTML agree) and the HTML it holds. */
static const char spec_rtf[] =
    "{\\rtf1\\ANSI\\ansicpg1251\\fromhtml1 \\deff0\n"
    "{\\fonttbl {\\f0\\fmodern Courier New;}{\\f1\\fswiss Arial;}{\\f2\\fswiss\\fcharset0 Arial;}}\n"
    "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\n"
    "{\\*\\htmltag64}\n"
    "\\uc1\\pard\\plain\\deftab360 \\f0\\fs24\n"
    "{\\*\\htmltag <HTML><head>\\par\n"
    "<style>\\par\n"
    "<!--\\par\n"
    "  /* Style Definitions */\\par\n"
    "  p.MsoNormal, li.MsoNormal \\{font-family:Arial;\\}\\par\n"
    "-->\\par\n"
    "</style>\\par\n"
    "\\tab <!-- This is a HTML comment.\\par\n"
    "There is a horizontal tab (%x09) character before the comment, \\par\n"
    "and some new lines inside the comment. -->\\par\n"
    "</head>\\par\n"
    "<body>\\par\n"
    "<p\\par\n"
    "class=\"MsoNormal\">}\n"
    "{\\htmlrtf \\f1 \\htmlrtf0 Note the line break inside a P tag. {\\*\\htmltag <b>}{\\htmlrtf \\b \\htmlrtf0 This is bold text{\\*\\htmltag </b>}} \\htmlrtf\\par\\htmlrtf0}\n"
    "\\htmlrtf \\par \\htmlrtf0\n"
    "{\\*\\htmltag </p>\\par\n"
    "<p class=\"MsoNormal\">\\par}\n"
    "{\\htmlrtf \\f1 \\htmlrtf0 This is a normal text with a character references:\n"
    "{\\*\\htmltag &nbsp;}\\htmlrtf \\'a0\\htmlrtf0  {\\*\\htmltag &lt;}\\htmlrtf <\\htmlrtf0  {\\*\\htmltag &uml;}\\htmlrtf {\\f2\\'a8}\\htmlrtf0{\\*\\htmltag <br>\\par}\\htmlrtf\\line\\htmlrtf0\n"
    "characters that have special meaning in RTF: \\{\\}\\\\{\\*\\htmltag <br>\\par}\\htmlrtf\\line\\htmlrtf0\\htmlrtf\\par\\htmlrtf0}\n"
    "{\\*\\htmltag </p>\\par\n"
    "<ol>\\par\n"
    "<li class=\"MsoNormal\">}{\\htmlrtf {{\\*\\pn\\pnlvlbody\\pndec\\pnstart1\\pnindent360{\\pntxta.}}\\li360\\fi-360{\\pntext 1.\\tab} \\f1 \\htmlrtf0 This is a list item}\\htmlrtf\\par\\htmlrtf0}\n"
    "{\\*\\htmltag \\par\n"
    "</ol>\\par\n"
    "</body>\\par\n"
    "</HTML>\\par }}\n";

static const char spec_html[] =
    "<HTML><head>\r\n<style>\r\n<!--\r\n  /* Style Definitions */\r\n"
    "  p.MsoNormal, li.MsoNormal {font-family:Arial;}\r\n-->\r\n</style>\r\n"
    "\t<!-- This is a HTML comment.\r\n"
    "There is a horizontal tab (%x09) character before the comment, \r\n"
    "and some new lines inside the comment. -->\r\n</head>\r\n<body>\r\n<p\r\n"
    "class=\"MsoNormal\">Note the line break inside a P tag. <b>This is bold text</b> </p>\r\n"
    "<p class=\"MsoNormal\">\r\n"
    "This is a normal text with a character references:&nbsp; &lt; &uml;<br>\r\n"
    "characters that have special meaning in RTF: {}\\<br>\r\n</p>\r\n<ol>\r\n"
    "<li class=\"MsoNormal\">This is a list item\r\n</ol>\r\n</body>\r\n</HTML>\r\n";

static void test_spec_example(void)
{
    char *html = NULL, *text = NULL;
    size_t n = 0;
    int rc = cv_rtf_to_html(&html, &n, spec_rtf, strlen(spec_rtf));

    ok(rc == 0, "spec example: rc %d %s\n", rc, st_error_last());
    ok(rc == 0 && n == strlen(spec_html) && memcmp(html, spec_html, n) == 0, "spec example HTML:\n%s\n",
       html ? html : "");
    free(html);
    /* The same RTF read as RTF: the text and the RTF-only list number. */
    rc = cv_rtf_to_text(&text, &n, spec_rtf, strlen(spec_rtf), CV_TEXT_LF);
    ok(rc == 0 && strstr(text, "Note the line break inside a P tag. This is bold text") &&
       strstr(text, "references:  < \xc2\xa8\n") && strstr(text, "RTF: {}\\\n") &&
       strstr(text, "1.\t This is a list item") && !strstr(text, "<b>"),
       "spec example as text: [%s]\n", text ? text : "");
    free(text);
}

typedef struct html_case {
    const char *rtf;
    const char *html;
} html_case;

static const html_case cases[] = {
    /* \'hh inside HTMLTAG: the document's code page, not the font's. */
    { "{\\rtf1\\ansi\\ansicpg1251\\fromhtml1{\\fonttbl{\\f0\\fcharset0 A;}}\\f0{\\*\\htmltag <p title=\"\\'cf\">}}",
      "<p title=\"\xd0\x9f\">" },
    /* Outside: the font's. */
    { "{\\rtf1\\ansi\\ansicpg1251\\fromhtml1{\\fonttbl{\\f0\\fcharset0 A;}}\\f0 \\'e9}", "\xc3\xa9" },
    { "{\\rtf1\\ansi\\ansicpg1251\\fromhtml1{\\fonttbl{\\f0 A;}}\\f0 \\'e9}", "\xd0\xb9" },
    { "{\\rtf1\\ansi\\ansicpg932\\fromhtml1{\\*\\htmltag <p>}\\'82\\'a0{\\*\\htmltag \\'82\\'a2}}",
      "<p>\xe3\x81\x82\xe3\x81\x84" },
    /* \uN with its fallback, in and out of HTMLTAG. */
    { "{\\rtf1\\fromhtml1\\uc1{\\*\\htmltag <a title=\"\\u8364?\">}\\u8364\\'80}",
      "<a title=\"\xe2\x82\xac\">\xe2\x82\xac" },
    /* \htmlrtf: suppressed, scoped by groups, HTMLTAG content kept anyway. */
    { "{\\rtf1\\fromhtml1 a\\htmlrtf b\\htmlrtf0 c}", "ac" },
    { "{\\rtf1\\fromhtml1 a\\htmlrtf {b\\htmlrtf0 c}d\\htmlrtf0 e}", "ace" },
    { "{\\rtf1\\fromhtml1 \\htmlrtf1 x{\\*\\htmltag <br>}y\\htmlrtf0 z}", "<br>z" },
    { "{\\rtf1\\fromhtml1 a\\par b\\tab c\\htmlrtf\\par\\htmlrtf0 d}", "a\r\nb\tcd" },
    { "{\\rtf1\\fromhtml1 {\\*\\htmltag <pre>\\par x\\tab y\\line}}", "<pre>\r\nx\ty\r\n" },
    /* Escaped specials and whitespace. */
    { "{\\rtf1\\fromhtml1{\\*\\htmltag <style>p \\{a:b\\}</style>}\\\\\\{}", "<style>p {a:b}</style>\\{" },
    { "{\\rtf1\\fromhtml1{\\*\\htmltag84 &nbsp;}{\\*\\htmltag  x}}", "&nbsp; x" },
    /* \mhtmltag: dropped, its HTMLTAG twin stays. */
    { "{\\rtf1\\fromhtml1{\\*\\mhtmltag84 <img src=\"a.png\">}{\\*\\htmltag84 <img src=\"cid:a\">}}",
      "<img src=\"cid:a\">" },
    /* RTF destinations are not HTML. */
    { "{\\rtf1\\fromhtml1{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red1\\green2\\blue3;}{\\*\\generator G;}x}", "x" },
    /* The <meta> charset follows the UTF-8 result. */
    { "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1{\\*\\htmltag <meta http-equiv=\"Content-Type\" "
      "content=\"text/html; charset=iso-8859-1\">}\\'e9}",
      "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\xc3\xa9" },
    { "{\\rtf1\\fromhtml1{\\*\\htmltag <META charset='windows-1252'><meta charset=UTF-8>}}",
      "<META charset='utf-8'><meta charset=UTF-8>" },
    { "{\\rtf1\\fromhtml1{\\*\\htmltag <p>charset=x</p>}}", "<p>charset=x</p>" },
};

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *html = NULL;
        size_t n = 0;
        int rc = cv_rtf_to_html(&html, &n, cases[i].rtf, strlen(cases[i].rtf));
        ok(rc == 0 && n == strlen(cases[i].html) && memcmp(html, cases[i].html, n) == 0,
           "case %u: rc %d, got [%s]\n", (unsigned)i, rc, html ? html : "");
        free(html);
    }
    {
        char *html = (char *)"x";
        ok(cv_rtf_to_html(&html, NULL, "{\\rtf1\\fromtext hi}", 19) == CV_EPARSE && !html, "\\fromtext\n");
        ok(cv_rtf_to_html(&html, NULL, "{\\rtf1 hi}", 10) == CV_EPARSE, "plain RTF\n");
        ok(cv_rtf_to_html(&html, NULL, "<p>", 3) == CV_EPARSE, "no RTF\n");
    }
}

static const char *const documents[] = {
    "",
    "plain text, no markup",
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>T {x}</title>\n"
    "<style>p { color: red; }\r\n</style></head>\n<body>\n<p class=\"a\">Hello &amp; w\xc3\xb6rld "
    "{curly} \\back\\ \xe2\x82\xac \xf0\x9f\x98\x80 &nbsp;x</p>\r\n<ul><li>one<li>two</ul>"
    "<table><tr><td>a<td>b</table>tab\there<br>line\n</body></html>\n",
    "<p>lone CR\rhere, LF\nthere, CRLF\r\nthen\n\n\nmany</p>",
    "<script>if (a < b && c > d) { x = \"\\\\\"; }</script><!-- <b> { } -->text",
    "<div title='a > b' data-x=\"}{\">x &#x1F600; &#233; &eacute; &bogus; & < 3</div>",
    "ctrl \x01\x02\x7f chars",
    "cut at the end <a href=\"x",
    "<p>\xe3\x81\x82\xe3\x81\x84\xe3\x81\x86 \xd0\x9f\xd1\x80\xd0\xb8 \xce\xb1\xce\xb2</p>",
    "  <p>  spaces   kept  </p>  ",
};

static void test_round_trips(void)
{
    for (size_t i = 0; i < sizeof documents / sizeof documents[0]; i++) {
        const char *h = documents[i];
        char *rtf = NULL, *back = NULL, *text = NULL;
        size_t rn = 0, bn = 0;
        int rc = cv_html_to_rtf(&rtf, &rn, h, strlen(h));
        ok(rc == 0, "document %u: encapsulate rc %d\n", (unsigned)i, rc);
        if (rc)
            continue;
        ok(cv_rtf_encapsulation(rtf, rn) == CV_RTF_FROMHTML, "document %u: \\fromhtml1\n", (unsigned)i);
        for (size_t k = 0; k < rn; k++)
            if ((unsigned char)rtf[k] >= 0x80) {
                ok(0, "document %u: 8-bit byte in the RTF\n", (unsigned)i);
                break;
            }
        rc = cv_rtf_to_html(&back, &bn, rtf, rn);
        ok(rc == 0 && bn == strlen(h) && memcmp(back, h, bn) == 0, "document %u comes back: [%s]\n",
           (unsigned)i, back ? back : "");
        ok(cv_rtf_to_text(&text, NULL, rtf, rn, CV_TEXT_LF) == 0, "document %u as text\n", (unsigned)i);
        free(rtf);
        free(back);
        free(text);
    }
    /* The RTF shows the visible text and the layout, not the markup. */
    {
        char *rtf = NULL, *text = NULL;
        size_t rn = 0;
        const char *h = documents[2];
        ok(cv_html_to_rtf(&rtf, &rn, h, strlen(h)) == 0 &&
           cv_rtf_to_text(&text, NULL, rtf, rn, CV_TEXT_LF) == 0, "document 2 as text\n");
        ok(text && strstr(text, "Hello & w\xc3\xb6rld {curly} \\back\\ \xe2\x82\xac \xf0\x9f\x98\x80 ") &&
           strstr(text, "\n\xe2\x80\xa2\tone\n\xe2\x80\xa2\ttwo\n") && strstr(text, "a\tb\n") &&
           strstr(text, "tab\there\nline") && !strstr(text, "color") && !strstr(text, "<p"),
           "RTF text of document 2: [%s]\n", text ? text : "");
        free(rtf);
        free(text);
    }
    /* Invalid UTF-8 comes back as U+FFFD. */
    {
        char *rtf = NULL, *back = NULL;
        size_t rn = 0;
        ok(cv_html_to_rtf(&rtf, &rn, "<p>\xff</p>\xc3", 9) == 0 && cv_rtf_to_html(&back, NULL, rtf, rn) == 0 &&
           strcmp(back, "<p>\xef\xbf\xbd</p>\xef\xbf\xbd") == 0, "invalid UTF-8: [%s]\n", back ? back : "");
        free(rtf);
        free(back);
    }
}

static void test_meta_charset(void)
{
    char buf[32];
    const char *h = "<html><head><meta http-equiv=Content-Type content=\"text/html; charset=ISO-2022-JP\">";

    ok(cv_rtf__html_meta_charset(h, strlen(h), buf, sizeof buf) == 1 && strcmp(buf, "ISO-2022-JP") == 0,
       "meta http-equiv: %s\n", buf);
    h = "<meta charset=\"koi8-r\" />";
    ok(cv_rtf__html_meta_charset(h, strlen(h), buf, sizeof buf) == 1 && strcmp(buf, "koi8-r") == 0,
       "meta charset: %s\n", buf);
    h = "<p>charset=x</p><body><meta charset=late>";
    ok(cv_rtf__html_meta_charset(h, strlen(h), buf, sizeof buf) == 0, "no meta in head\n");
    h = "<meta charset=abcdefghijklmnopqrstuvwxyz0123456789>";
    ok(cv_rtf__html_meta_charset(h, strlen(h), buf, 8) == 1 && strcmp(buf, "abcdefg") == 0, "cut label\n");
}

int main(void)
{
    test_recognition();
    test_spec_example();
    test_cases();
    test_round_trips();
    test_meta_charset();
    return test_done();
}
