/*
 * test_html_text.c: HTML to plain text, table-driven: paragraphs and blocks,
 * <br>, lists (nested, numbered, start=), tables, links ("text <url>" only
 * when the text is not the URL), <pre>, character references (named, legacy
 * without ';', numeric with the windows-1252 remap), what is never shown
 * (head, script, style, comments, template), Word's MsoNormal paragraphs,
 * whitespace collapsing, broken markup; the tokenizer helpers; and inputs
 * built to be slow or deep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "storage/error.h"
#include "testutil.h"

typedef struct html_case {
    const char *html;   /* input */
    const char *text;   /* expected (CV_TEXT_LF) */
} html_case;

static const html_case cases[] = {
    /* Blocks, paragraphs, line breaks. */
    { "<p>Hello <b>world</b></p><p>Second para</p>", "Hello world\n\nSecond para" },
    { "<div>one</div><div>two</div>three", "one\ntwo\nthree" },
    { "a<br>b<br/><br />c", "a\nb\n\nc" },
    { "<h1>Title</h1>body<h2>Sub</h2>more", "Title\n\nbody\n\nSub\n\nmore" },
    { "<p class=MsoNormal>a<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>"
      "<p class=\"MsoNormal\">b</p>", "a\n\nb" },
    { "<p>a</p><br><p>b</p>", "a\n\n\nb" },  /* the <br> line between the margins */
    { "<blockquote>quoted</blockquote>after", "quoted\n\nafter" },
    { "before<hr>after", "before\n________________________________\nafter" },
    { "<br><br>x", "\n\nx" },
    /* Whitespace. */
    { "   lots   of    \n\n  space  ", "lots of space" },
    { "<p>  a  </p>  <p>  b</p>", "a\n\nb" },
    { "a&nbsp;&nbsp;b", "a  b" },
    { "<span>a</span> <span>b</span>", "a b" },
    { "x\t\r\ny", "x y" },
    { "soft&shy;hyphen zero&#8203;width", "softhyphen zerowidth" },
    /* <pre>. */
    { "<pre>\n  line1\n    line2\r\n\ttab\n</pre>after", "  line1\n    line2\n\ttab\n\nafter" },
    { "<pre>a</pre><pre>\n\nb</pre>", "a\n\n\nb" },
    { "<xmp><b>raw</b></xmp>", "<b>raw</b>" },
    { "<textarea>a  &amp;\nb</textarea>", "a  &\nb" },
    /* Lists. */
    { "<ul><li>one</li><li>two</li></ul>after", "- one\n- two\n\nafter" },
    { "<ol><li>one<li>two</ol>", "1. one\n2. two" },
    { "<ol start=\"9\"><li>nine<li>ten</ol>", "9. nine\n10. ten" },
    { "<ul><li>a<ol><li>x</li><li>y</li></ol></li><li>b</li></ul>", "- a\n  1. x\n  2. y\n- b" },
    { "<ul><li><p>para in item</p></li><li></li><li>last</li></ul>", "- para in item\n-\n- last" },
    { "<li>stray item", "- stray item" },
    /* Tables. */
    { "<table><tr><td>a</td><td>b</td></tr><tr><td></td><td>d</td></tr></table>end", "a\tb\n\td\nend" },
    { "<table><tr><th>H1<th>H2<tr><td>1<td>2</table>", "H1\tH2\n1\t2" },
    /* Links. */
    { "<a href=\"http://x.com/\">x.com</a>", "x.com" },
    { "<a href=\"http://x.com/\">http://x.com/</a>", "http://x.com/" },
    { "<a href='http://y.com/a?b=1&amp;c=2'>Y</a> z", "Y <http://y.com/a?b=1&c=2> z" },
    { "<a href=\"mailto:a@b.c\">a@b.c</a>", "a@b.c" },
    { "<a href=\"mailto:a@b.c\">Alice</a>", "Alice <mailto:a@b.c>" },
    { "<a href=\"#top\">Top</a>", "Top" },
    { "<a href=\"javascript:void(0)\">J</a>", "J" },
    { "<a href=\"http://x/\"><img src=logo.png></a>", "" },
    { "<a href=\"http://u/?a=1&copy=2\">c</a>", "c <http://u/?a=1&copy=2>" },
    { "<a href=\"http://1/\">one<a href=\"http://2/\">two</a>", "one <http://1/>two <http://2/>" },
    { "<a name=\"anchor\">no href</a>", "no href" },
    /* Character references. */
    { "&lt;&amp;&gt;&quot;&apos;", "<&>\"'" },
    { "&copy 2024 &AMP; &ampx &notin; &notit;", "\xc2\xa9 2024 & &x \xe2\x88\x89 \xc2\xacit;" },
    { "&euro;&#8364;&#x20AC;&#X20ac;&#128;", "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac" },
    { "&#0;&#xD800;&#x110000;&#99999999999;", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
    { "&#65&#x42 &#;&#x;", "AB &#;&#x;" },
    { "&unknown; & &; &&amp;", "&unknown; & &; &&" },
    { "&hellip;&mdash;&ndash;&lsquo;&rsquo;&ldquo;&rdquo;&bull;&trade;&rarr;",
      "\xe2\x80\xa6\xe2\x80\x94\xe2\x80\x93\xe2\x80\x98\xe2\x80\x99\xe2\x80\x9c\xe2\x80\x9d\xe2\x80\xa2"
      "\xe2\x84\xa2\xe2\x86\x92" },
    { "&Auml;&ouml;&szlig;&eacute;&ccedil;&Omega;&alpha;&check;&starf;&lang;",
      "\xc3\x84\xc3\xb6\xc3\x9f\xc3\xa9\xc3\xa7\xce\xa9\xce\xb1\xe2\x9c\x93\xe2\x98\x85\xe2\x9f\xa8" },
    /* Never shown. */
    { "<html><head><title>T</title><style>p{}</style><meta charset=utf-8></head><body>Hi</body></html>", "Hi" },
    { "<script>alert('<p>x</p>')</script>ok<!-- comment <p>hidden</p> -->!", "ok!" },
    { "<template><p>t</p></template><svg><text>s</text></svg><svg/>v", "v" },
    { "<select><option>o</select>w", "w" },
    { "<head><title>x</title>text without body", "text without body" },
    { "<head><meta charset=x><p>starts the body", "starts the body" },
    { "<!--[if gte mso 9]><xml>x</xml><![endif]-->y<![if !supportLists]>1.<![endif]>z", "y1.z" },
    { "<!DOCTYPE html><?xml version=\"1.0\"?>doc", "doc" },
    { "<style>a</style", "" },
    /* Broken markup. */
    { "text <unterminated", "text" },
    { "a < b and c>d", "a < b and c>d" },
    { "x<!-- never closed", "x" },
    { "<p title='>'>q</p>", "q" },
    { "</>x</ p>", "</>x</ p>" },
    { "<P CLASS=x>Upper</P><BR>Case", "Upper\n\n\nCase" },
    /* Invalid UTF-8 becomes U+FFFD; valid passes. */
    { "\xff ok \xc3\xa9 \xe2\x82", "\xef\xbf\xbd ok \xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd" },
};

static void show(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            fputs("\\n", stderr);
        else if (*s == '\t')
            fputs("\\t", stderr);
        else
            fputc(*s, stderr);
    }
}

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        size_t n = 0;
        int rc = cv_html_to_text(&out, &n, cases[i].html, strlen(cases[i].html), CV_TEXT_LF);
        int good = rc == 0 && out && n == strlen(cases[i].text) && strcmp(out, cases[i].text) == 0;
        ok(good, "case %u: %s\n", (unsigned)i, cases[i].html);
        if (!good && out) {
            fputs("  got  [", stderr);
            show(out);
            fputs("]\n  want [", stderr);
            show(cases[i].text);
            fputs("]\n", stderr);
        }
        free(out);
    }
}

static void test_crlf(void)
{
    char *out = NULL;

    ok(cv_html_to_text(&out, NULL, "<p>a</p><p>b<br>c</p>", 21, 0) == 0 && strcmp(out, "a\r\n\r\nb\r\nc") == 0,
       "CRLF by default\n");
    free(out);
    ok(cv_html_to_text(&out, NULL, NULL, 0, 0) == 0 && out && out[0] == '\0', "no HTML\n");
    free(out);
}

static void test_entities(void)
{
    uint32_t cp = 0;

    ok(cv_rtf__html_entity("&amp;", 5, 0, &cp) == 5 && cp == '&', "&amp;\n");
    ok(cv_rtf__html_entity("&ampere", 7, 0, &cp) == 4 && cp == '&', "&ampere in text\n");
    ok(cv_rtf__html_entity("&ampere", 7, 1, &cp) == 0, "&ampere in an attribute\n");
    ok(cv_rtf__html_entity("&amp=", 5, 1, &cp) == 0, "&amp= in an attribute\n");
    ok(cv_rtf__html_entity("&amp;=", 6, 1, &cp) == 5, "&amp;= in an attribute\n");
    ok(cv_rtf__html_entity("&nbsp", 5, 0, &cp) == 5 && cp == 0xA0, "&nbsp at the end\n");
    ok(cv_rtf__html_entity("&hellip", 7, 0, &cp) == 0, "&hellip without ';' is no reference\n");
    ok(cv_rtf__html_entity("&#x9F;", 6, 0, &cp) == 6 && cp == 0x178, "&#x9F; is windows-1252's\n");
    ok(cv_rtf__html_entity("&", 1, 0, &cp) == 0, "a lone &\n");
    ok(cv_rtf__html_entity("&#", 2, 0, &cp) == 0, "&#\n");
    /* Every name of the table is found again. */
    {
        static const char *const names[] = { "AElig", "zwnj", "Tab", "NewLine", "nbsp", "yuml", "lang" };
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            char buf[32];
            snprintf(buf, sizeof buf, "&%s;", names[i]);
            ok(cv_rtf__html_entity(buf, strlen(buf), 0, &cp) == strlen(buf), "&%s;\n", names[i]);
        }
    }
}

static void test_tokens(void)
{
    const char *s = "<a href=\"x>y\" TITLE=T class = 'c d' checked>t</A><!--c-->";
    cv_rtf__htok t;
    const char *v;
    size_t vl, i;

    i = cv_rtf__html_next(s, strlen(s), 0, &t);
    ok(t.kind == CV_RTF__H_START && strcmp(t.name, "a") == 0 && s[i - 1] == '>' && s[i] == 't', "start tag\n");
    ok(cv_rtf__html_attr(s, &t, "href", &v, &vl) && vl == 3 && memcmp(v, "x>y", 3) == 0, "quoted '>'\n");
    ok(cv_rtf__html_attr(s, &t, "title", &v, &vl) && vl == 1 && *v == 'T', "unquoted, any case\n");
    ok(cv_rtf__html_attr(s, &t, "class", &v, &vl) && vl == 3 && memcmp(v, "c d", 3) == 0, "spaces around =\n");
    ok(cv_rtf__html_attr(s, &t, "checked", &v, &vl) && vl == 0, "no value\n");
    ok(!cv_rtf__html_attr(s, &t, "hre", &v, &vl), "no such attribute\n");
    i = cv_rtf__html_next(s, strlen(s), i, &t);
    ok(t.kind == CV_RTF__H_TEXT && t.end - t.start == 1, "text\n");
    i = cv_rtf__html_next(s, strlen(s), i, &t);
    ok(t.kind == CV_RTF__H_END && strcmp(t.name, "a") == 0, "end tag\n");
    i = cv_rtf__html_next(s, strlen(s), i, &t);
    ok(t.kind == CV_RTF__H_COMMENT && i == strlen(s), "comment\n");
    ok(cv_rtf__html_raw_end("x</scriptx></SCRIPT >", 21, 0, "script") == 11, "raw text end\n");
    ok(cv_rtf__html_raw_end("x</scrip", 8, 0, "script") == 8, "raw text to the end\n");
}

static void test_hostile(void)
{
    size_t n = 1 << 20;
    char *h = malloc(n * 4 + 16), *out = NULL;
    size_t on = 0;

    if (!h)
        return;
    /* Half a million list levels: indentation and numbering stay bounded. */
    for (size_t i = 0; i < n / 4; i++)
        memcpy(h + i * 8, "<ol><li>", 8);
    ok(cv_html_to_text(&out, &on, h, n * 2, 0) == 0 && on < n * 8, "deep lists: %zu bytes\n", on);
    free(out);
    /* A million '<' that start nothing, and unterminated tags: linear. */
    memset(h, '<', n);
    ok(cv_html_to_text(&out, &on, h, n, 0) == 0 && on == n, "a million '<'\n");
    free(out);
    for (size_t i = 0; i < n / 2; i++)
        memcpy(h + i * 2, "<a", 2);
    ok(cv_html_to_text(&out, &on, h, n, 0) == 0 && on == 0, "<a<a<a...\n");
    free(out);
    for (size_t i = 0; i < n / 4; i++)
        memcpy(h + i * 4, "&#x1", 4);
    ok(cv_html_to_text(&out, &on, h, n, 0) == 0, "references without end\n");
    free(out);
    for (size_t i = 0; i < n / 4; i++)
        memcpy(h + i * 4, "<!--", 4);
    ok(cv_html_to_text(&out, &on, h, n, 0) == 0 && on == 0, "comments without end\n");
    free(out);
    for (size_t i = 0; i < n / 8; i++)
        memcpy(h + i * 8, "<a href=", 8);
    ok(cv_html_to_text(&out, &on, h, n, 0) == 0, "attributes without end\n");
    free(out);
    free(h);
}

int main(void)
{
    test_cases();
    test_crlf();
    test_entities();
    test_tokens();
    test_hostile();
    return test_done();
}
