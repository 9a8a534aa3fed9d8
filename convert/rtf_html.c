/*
 * rtf_html.c: HTML encapsulated in RTF ([MS-OXRTFEX]): recognising what an
 * RTF body carries (\fromhtml1, \fromtext), getting the HTML out of it, and
 * putting HTML into RTF the way Outlook reads it back.
 *
 * De-encapsulation rides on the shared reader (rtf_text.c) in HTML mode: the
 * content of \*\htmltag groups, and text not under \htmlrtf, is the HTML.
 * Encapsulation is the reverse and keeps the HTML exact: every byte of markup,
 * every character reference and every line end goes into an HTMLTAG group,
 * the visible text is shared, and what only RTF needs (paragraph marks,
 * bullets, cell tabs) stands under \htmlrtf.
 *
 * Both ways also go in chunks (cv_html_to_rtf_push, cv_rtf_to_html_push:
 * the whole-buffer functions wrap them): encapsulation holds back a token
 * that may go on, as html_text.c does; de-encapsulation sniffs \fromhtml1
 * in the first 1024 bytes and rewrites <meta> charsets token by token.
 *
 * Invariants: de-encapsulating what cv_html_to_rtf wrote gives the HTML back
 * byte for byte (as valid UTF-8); output sizes are linear in the input.
 * Never: trust the HTMLTAG parameter (it is ignored), or emit RTF whose
 * braces do not balance.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "storage/error.h"

/* ==== Recognition ([MS-OXRTFEX] 2.2.3.1) ==== */

int cv_rtf_encapsulation(const char *rtf, size_t len)
{
    const char *p = rtf, *end = rtf + len;
    int tokens = 0;

    while (p < end && (*p == ' ' || *p == '\r' || *p == '\n' || *p == '\t'))
        p++;
    if (!rtf || end - p < 5 || memcmp(p, "{\\rtf", 5) != 0) {
        st_error_set("RTF: the text does not start with {\\rtf");
        return CV_EPARSE;
    }
    /* "The reader inspects no more than the first 10 RTF tokens (begin
     * group marks and control words)." */
    while (p < end && tokens < 10) {
        if (*p == '{') {
            tokens++;
            p++;
        } else if (*p == '\\' && end - p > 1) {
            char name[16];
            size_t n = 0;
            int has = 0;
            long param = 0;
            p++;
            tokens++;
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
                p++;  /* a control symbol */
                continue;
            }
            while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
                if (n < sizeof name - 1)
                    name[n] = *p;
                n++;
                p++;
            }
            name[n < sizeof name ? n : sizeof name - 1] = '\0';
            if (p < end && *p == '-')
                p++;
            while (p < end && *p >= '0' && *p <= '9') {
                has = 1;
                if (param < 100000)
                    param = param * 10 + (*p - '0');
                p++;
            }
            if (strcmp(name, "fromhtml") == 0 && (!has || param == 1))
                return CV_RTF_FROMHTML;
            if (strcmp(name, "fromtext") == 0)
                return CV_RTF_FROMTEXT;
        } else {
            p++;  /* text, '}', spaces: not counted */
        }
    }
    return CV_RTF_NATIVE;
}

/* ==== <meta> charset ==== */

/* In the tag s[t->start..t->end): where the value after "charset=" starts
 * and its length, or 0. */
static int meta_charset_at(const char *s, const cv_rtf__htok *t, size_t *at, size_t *vlen)
{
    size_t i = t->start, end = t->end;

    while (end - i >= 7) {
        const char *q = memchr(s + i, 'c', end - i);
        const char *Q = memchr(s + i, 'C', end - i);
        if (!q || (Q && Q < q))
            q = Q;
        if (!q || (size_t)(s + end - q) < 7)
            return 0;
        i = (size_t)(q - s);
        size_t k = 0;
        static const char word[] = "charset";
        while (k < 7 && (s[i + k] | 0x20) == word[k])
            k++;
        if (k < 7) {
            i++;
            continue;
        }
        size_t j = i + 7;
        while (j < end && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j >= end || s[j] != '=') {
            i++;
            continue;
        }
        j++;
        while (j < end && (s[j] == ' ' || s[j] == '\t' || s[j] == '"' || s[j] == '\''))
            j++;
        size_t v = j;
        while (j < end && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                           (s[j] >= '0' && s[j] <= '9') || s[j] == '-' || s[j] == '_' ||
                           s[j] == '.' || s[j] == ':'))
            j++;
        if (j == v)
            return 0;
        *at = v;
        *vlen = j - v;
        return 1;
    }
    return 0;
}

int cv_rtf__html_meta_charset(const char *html, size_t len, char *buf, size_t size)
{
    size_t i = 0;

    while (i < len) {
        cv_rtf__htok t;
        size_t at, vl;
        i = cv_rtf__html_next(html, len, i, &t);
        if (t.kind == CV_RTF__H_START && strcmp(t.name, "meta") == 0 &&
            meta_charset_at(html, &t, &at, &vl)) {
            if (size) {
                size_t n = vl < size - 1 ? vl : size - 1;
                memcpy(buf, html + at, n);
                buf[n] = '\0';
            }
            return 1;
        }
        if (t.kind == CV_RTF__H_START && strcmp(t.name, "body") == 0)
            break;  /* declarations live in <head> */
    }
    return 0;
}

/* Copies the complete tokens of html[0..len) (all when final) to o with
 * every <meta> charset rewritten to utf-8: the bytes used. A token that may
 * go on after len waits (text does not: only markup is rewritten). */
static size_t meta_rewrite(const char *html, size_t len, int final, cv_rtf__buf *o)
{
    size_t i = 0, copied = 0;

    while (i < len) {
        cv_rtf__htok t;
        size_t at, vl;
        size_t start = i;
        i = cv_rtf__html_next(html, len, i, &t);
        if (!final && t.end == len && (t.unterminated ||
                                       (t.kind == CV_RTF__H_TEXT && html[start] == '<'))) {
            i = start;
            break;
        }
        if (t.kind != CV_RTF__H_START || strcmp(t.name, "meta") != 0 ||
            !meta_charset_at(html, &t, &at, &vl))
            continue;
        if (vl == 5 && ((html[at] | 0x20) == 'u') && ((html[at + 1] | 0x20) == 't') &&
            ((html[at + 2] | 0x20) == 'f') && html[at + 3] == '-' && html[at + 4] == '8')
            continue;
        cv_rtf__put(o, html + copied, at - copied);
        cv_rtf__puts(o, "utf-8");
        copied = at + vl;
    }
    cv_rtf__put(o, html + copied, i - copied);
    return i;
}

/* ==== De-encapsulation ([MS-OXRTFEX] 2.2.3.2) ==== */

static int html_event(void *ctx, int ev, const char *s, size_t n, unsigned where)
{
    cv_rtf__buf *b = ctx;

    if (!(where & CV_RTF__IN_HTMLTAG) && (where & CV_RTF__HTMLRTF))
        return 0;  /* RTF-only content */
    switch (ev) {
    case CV_RTF__TEXT:
        cv_rtf__put(b, s, n);
        break;
    case CV_RTF__PAR:
    case CV_RTF__LINE:
        cv_rtf__put(b, "\r\n", 2);
        break;
    case CV_RTF__TAB:
        cv_rtf__putc(b, '\t');
        break;
    default:
        break;
    }
    return b->err;
}

/* cv_rtf_to_html_push: the head sniffed for \fromhtml1, the reader's HTML
 * gathered in html, its <meta> charsets rewritten into out, out drained. */
typedef struct html_push {
    cv_push base;          /* first: the push's operations */
    cv_push *rd;           /* the reader (HTML mode), its events to html */
    cv_rtf__buf head;      /* the input until it is known to be \fromhtml1 */
    int sniffed;
    cv_rtf__buf html;      /* de-encapsulated HTML not rewritten yet */
    cv_rtf__buf out;       /* rewritten, not handed to the sink yet */
    cv_sink_fn sink;
    void *sink_ctx;
} html_push;

#define SNIFF 1024u        /* bytes of RTF that show its first 10 tokens */

static int hp_rewrite(html_push *h, int final)
{
    size_t used = meta_rewrite(h->html.data ? h->html.data : "", h->html.len, final, &h->out);
    if (used < h->html.len)
        memmove(h->html.data, h->html.data + used, h->html.len - used);
    h->html.len -= used;
    if (h->out.err || h->html.err)
        return cv_rtf__buf_error(h->out.err ? &h->out : &h->html, "RTF to HTML");
    return h->out.len >= 65536 || final
        ? cv_rtf__buf_drain(&h->out, h->out.len, h->sink, h->sink_ctx) : 0;
}

/* The reader gets data once the head said \fromhtml1. */
static int hp_read(html_push *h, const char *data, size_t len, int final)
{
    if (!h->sniffed) {
        /* a first chunk that shows the head is read in place */
        int in_place = h->head.len == 0 && len >= SNIFF;
        if (!in_place) {
            cv_rtf__put(&h->head, data, len);
            if (h->head.err)
                return h->head.err;
            if (h->head.len < SNIFF && !final)
                return 0;
        }
        int rc = in_place ? cv_rtf_encapsulation(data, len)
                          : cv_rtf_encapsulation(h->head.data ? h->head.data : "", h->head.len);
        if (rc < 0)
            return rc;
        if (rc != CV_RTF_FROMHTML) {
            st_error_set("RTF: no HTML is encapsulated in it (no \\fromhtml1)");
            return CV_EPARSE;
        }
        h->sniffed = 1;
        if (!in_place) {
            data = h->head.data;
            len = h->head.len;
        }
    }
    int rc = len ? cv_push_feed(h->rd, data, len) : 0;
    if (!rc && final)
        rc = cv_push_end(h->rd);
    if (h->head.data && h->sniffed)
        cv_rtf__buf_free(&h->head);
    return rc ? rc : hp_rewrite(h, final);
}

static int hp_feed(cv_push *p, const char *data, size_t len)
{
    return hp_read((html_push *)p, data, len, 0);
}

static int hp_end(cv_push *p)
{
    return hp_read((html_push *)p, "", 0, 1);
}

static void hp_free(cv_push *p)
{
    html_push *h = (html_push *)p;
    cv_push_free(h->rd);
    cv_rtf__buf_free(&h->head);
    cv_rtf__buf_free(&h->html);
    cv_rtf__buf_free(&h->out);
    free(h);
}

int cv_rtf_to_html_push(cv_push **out, cv_sink_fn sink, void *ctx)
{
    html_push *h = calloc(1, sizeof *h);

    *out = NULL;
    if (!h || cv_rtf__read_push(&h->rd, CV_RTF__MODE_HTML, html_event, &h->html)) {
        free(h);
        st_error_set("RTF to HTML: out of memory");
        return -1;
    }
    cv_rtf__buf_init(&h->head, 0);
    cv_rtf__buf_init(&h->html, 0);
    cv_rtf__buf_init(&h->out, 0);
    cv_rtf__push_init(&h->base, hp_feed, hp_end, hp_free);
    h->sink = sink;
    h->sink_ctx = ctx;
    *out = &h->base;
    return 0;
}

int cv_rtf_to_html(char **out, size_t *out_len, const char *rtf, size_t len)
{
    cv_push *p;
    cv_rtf__buf b;
    int rc;

    *out = NULL;
    if (out_len)
        *out_len = 0;
    rc = cv_rtf_encapsulation(rtf, len);
    if (rc < 0)
        return rc;
    if (rc != CV_RTF_FROMHTML) {
        st_error_set("RTF: no HTML is encapsulated in it (no \\fromhtml1)");
        return CV_EPARSE;
    }
    cv_rtf__buf_init(&b, 0);
    if (cv_rtf_to_html_push(&p, cv_rtf__buf_sink, &b))
        return -1;
    return cv_rtf__push_whole(p, &b, rtf, len, out, out_len, "RTF to HTML");
}

/* ==== Encapsulation ([MS-OXRTFEX] 2.1.3.2) ==== */

typedef struct enc {
    cv_rtf__buf out;     /* the RTF */
    int line_text;       /* visible text on the current RTF line */
    int last_space;      /* the last visible character was a space */
    int in_head;         /* inside <head>: nothing is visible */
    int cells;           /* cells in the current table row */
    /* Streaming (cv_html_to_rtf_push): */
    cv_push base;        /* first: the push's operations */
    cv_sink_fn sink;     /* where the RTF goes */
    void *sink_ctx;
    cv_rtf__in in;       /* input held back */
} enc;

/* Appends \uN and its Windows-1252 (or '?') fallback. */
static void put_u(cv_rtf__buf *o, uint32_t cp)
{
    char tmp[24];
    int n;

    if (cp > 0xFFFF) {
        cp -= 0x10000;
        put_u(o, 0xD800 + (cp >> 10));
        put_u(o, 0xDC00 + (cp & 0x3FF));
        return;
    }
    uint8_t fb = cv_rtf__ucs_to_cp1252(cp);
    n = sprintf(tmp, "\\u%d", cp > 32767 ? (int)cp - 65536 : (int)cp);
    cv_rtf__put(o, tmp, (size_t)n);
    if (fb >= 0x80) {
        static const char hex[] = "0123456789abcdef";
        char e[4] = { '\\', '\'', hex[fb >> 4], hex[fb & 15] };
        cv_rtf__put(o, e, 4);
    } else {
        cv_rtf__putc(o, '?');
    }
}

static void put_hex_escape(cv_rtf__buf *o, uint8_t c)
{
    static const char hex[] = "0123456789abcdef";
    char e[4] = { '\\', '\'', hex[c >> 4], hex[c & 15] };

    cv_rtf__put(o, e, 4);
}

/* One HTMLTAG group holding s exactly. */
static void htmltag(enc *e, const char *s, size_t n)
{
    cv_rtf__buf *o = &e->out;
    size_t i = 0;

    if (n == 0)
        return;
    cv_rtf__puts(o, "\r\n{\\*\\htmltag ");
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80 && c != '\\' && c != '{' && c != '}') {
            size_t j = i + 1;
            while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x80 &&
                   s[j] != '\\' && s[j] != '{' && s[j] != '}')
                j++;
            cv_rtf__put(o, s + i, j - i);
            i = j;
            continue;
        }
        if (c == '\\' || c == '{' || c == '}') {
            cv_rtf__putc(o, '\\');
            cv_rtf__putc(o, (char)c);
            i++;
        } else if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
            cv_rtf__puts(o, "\\par ");
            i += 2;
        } else if (c == '\t') {
            cv_rtf__puts(o, "\\tab ");
            i++;
        } else if (c < 0x20) {
            put_hex_escape(o, c);
            i++;
        } else {
            size_t used;
            uint32_t cp = cv_rtf__utf8_next(s + i, n - i, &used);
            put_u(o, cp);
            i += used;
        }
    }
    cv_rtf__putc(o, '}');
}

/* RTF-only content (s is RTF). */
static void rtf_only(enc *e, const char *s)
{
    cv_rtf__puts(&e->out, "\\htmlrtf ");
    cv_rtf__puts(&e->out, s);
    cv_rtf__puts(&e->out, "\\htmlrtf0 ");
}

static void rtf_break(enc *e)
{
    if (e->line_text) {
        rtf_only(e, "\\par");
        e->line_text = 0;
        e->last_space = 0;
    }
}

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* Text the RTF shows too. */
static void visible(enc *e, const char *s, size_t n)
{
    cv_rtf__buf *o = &e->out;
    size_t i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (is_ws(c)) {
            size_t j = i;
            int nl = 0;
            while (j < n && is_ws((unsigned char)s[j])) {
                if (s[j] == '\r' || s[j] == '\n' || s[j] == '\f')
                    nl = 1;
                j++;
            }
            if (nl) {
                /* A line end in HTML source is a space to the reader: the
                 * bytes go to HTML, one space to RTF. */
                htmltag(e, s + i, j - i);
                if (e->line_text && !e->last_space) {
                    rtf_only(e, " ");
                    e->last_space = 1;
                }
            } else {
                for (size_t k = i; k < j; k++)
                    cv_rtf__puts(o, s[k] == '\t' ? "\\tab " : " ");
                e->last_space = 1;
            }
            i = j;
            continue;
        }
        if (c == '&') {
            uint32_t cp;
            size_t used = cv_rtf__html_entity(s + i, n - i, 0, &cp);
            if (used) {
                htmltag(e, s + i, used);
                cv_rtf__puts(o, "\\htmlrtf ");
                if (cp == 0xA0)
                    cv_rtf__puts(o, "\\~");
                else if (cp == '\\' || cp == '{' || cp == '}')
                    cv_rtf__putc(o, '\\'), cv_rtf__putc(o, (char)cp);
                else if (cp >= 0x20 && cp < 0x80)
                    cv_rtf__putc(o, (char)cp);
                else if (cp >= 0x80)
                    put_u(o, cp);
                cv_rtf__puts(o, "\\htmlrtf0 ");
                e->line_text = 1;
                e->last_space = cp == ' ' || cp == 0xA0;
                i += used;
                continue;
            }
        }
        e->line_text = 1;
        e->last_space = 0;
        if (c >= 0x20 && c < 0x80) {
            if (c == '\\' || c == '{' || c == '}')
                cv_rtf__putc(o, '\\');
            cv_rtf__putc(o, (char)c);
            i++;
        } else if (c < 0x20) {
            htmltag(e, s + i, 1);  /* a control character: HTML only */
            i++;
        } else {
            size_t used;
            uint32_t cp = cv_rtf__utf8_next(s + i, n - i, &used);
            put_u(o, cp);
            i += used;
        }
    }
}

static int name_in(const char *name, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(name, list[k]) == 0)
            return 1;
    return 0;
}

/* What RTF shows for a tag: line breaks at blocks, a bullet per list item,
 * a TAB between cells. */
static void tag_layout(enc *e, const cv_rtf__htok *t)
{
    static const char *const blocks[] = {
        "address", "article", "aside", "blockquote", "caption", "center", "dd", "div", "dl",
        "dt", "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
    };
    int start = t->kind == CV_RTF__H_START;

    if (start && strcmp(t->name, "head") == 0)
        e->in_head = 1;
    else if ((!start && strcmp(t->name, "head") == 0) || (start && strcmp(t->name, "body") == 0))
        e->in_head = 0;
    if (e->in_head)
        return;
    if (strcmp(t->name, "br") == 0) {
        rtf_only(e, "\\line");
        e->line_text = 0;
        e->last_space = 0;
    } else if (name_in(t->name, blocks, sizeof blocks / sizeof blocks[0])) {
        rtf_break(e);
        if (start && strcmp(t->name, "li") == 0) {
            rtf_only(e, "\\bullet\\tab");
            e->line_text = 1;
            e->last_space = 1;
        }
        if (strcmp(t->name, "tr") == 0)
            e->cells = 0;
    } else if (start && (strcmp(t->name, "td") == 0 || strcmp(t->name, "th") == 0)) {
        if (e->cells++ > 0) {
            rtf_only(e, "\\tab");
            e->last_space = 1;
        }
    }
}

static const char rtf_header[] =
    "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\fbidis \\deff0{\\fonttbl\r\n"
    "{\\f0\\fswiss\\fcharset0 Arial;}\r\n"
    "{\\f1\\fmodern Courier New;}\r\n"
    "{\\f2\\fnil\\fcharset2 Symbol;}\r\n"
    "{\\f3\\fmodern\\fcharset0 Courier New;}}\r\n"
    "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n"
    "{\\*\\htmltag64}\r\n"
    "\\uc1\\pard\\plain\\deftab360 \\f0\\fs24 ";

static int name_raw(const char *name)
{
    static const char *const raw[] = { "script", "style", "title", "textarea", "xmp", "iframe",
                                       "noembed", "noframes" };
    return name_in(name, raw, sizeof raw / sizeof raw[0]);
}

/* Encapsulates the tokens of html that are complete (all when final): the
 * bytes used. */
static size_t enc_run(enc *e, const char *html, size_t len, int final)
{
    size_t i = 0;

    while (i < len && !e->out.err) {
        cv_rtf__htok t;
        size_t start = i;
        i = cv_rtf__html_next(html, len, i, &t);
        if (!final && (t.unterminated || (t.kind == CV_RTF__H_TEXT && t.end == len))) {
            /* It may go on in the next chunk: long visible text is cut where
             * that is safe, anything else waits. */
            if (t.kind != CV_RTF__H_TEXT || e->in_head)
                return start;
            size_t cut = cv_rtf__html_text_cut(html, start, len);
            if (cut > start)
                visible(e, html + start, cut - start);
            return cut;
        }
        if (!final && t.kind == CV_RTF__H_START && !t.unterminated && name_raw(t.name)) {
            size_t stop = cv_rtf__html_raw_end(html, len, i, t.name);
            if (stop + strlen(t.name) + 2 >= len)
                return start;  /* its end tag is not there yet */
        }
        if (t.kind == CV_RTF__H_TEXT) {
            int ws = 1;
            for (size_t k = start; k < i && ws; k++)
                ws = is_ws((unsigned char)html[k]);
            if (e->in_head || (ws && !e->line_text))
                htmltag(e, html + start, i - start);  /* nothing to show */
            else
                visible(e, html + start, i - start);
            continue;
        }
        htmltag(e, html + start, i - start);
        if ((t.kind != CV_RTF__H_START && t.kind != CV_RTF__H_END) || t.unterminated)
            continue;
        tag_layout(e, &t);
        if (t.kind == CV_RTF__H_START && name_raw(t.name)) {
            size_t stop = cv_rtf__html_raw_end(html, len, i, t.name);
            htmltag(e, html + i, stop - i);
            i = stop;
        }
    }
    return len;
}

#define DRAIN_AT 65536u   /* bytes of RTF gathered before they go to the sink */

static size_t enc_chunk(void *e, const char *s, size_t n)
{
    return enc_run(e, s, n, 0);
}

static int enc_feed(cv_push *p, const char *data, size_t len)
{
    enc *e = (enc *)((char *)p - offsetof(enc, base));
    if (cv_rtf__in_feed(&e->in, data, len, "HTML to RTF", enc_chunk, e))
        return -1;
    if (e->out.err)
        return cv_rtf__buf_error(&e->out, "HTML to RTF");
    return e->out.len >= DRAIN_AT ? cv_rtf__buf_drain(&e->out, e->out.len, e->sink, e->sink_ctx)
                                  : 0;
}

static int enc_end(cv_push *p)
{
    enc *e = (enc *)((char *)p - offsetof(enc, base));
    enc_run(e, e->in.data, e->in.len, 1);
    cv_rtf__in_drop(&e->in, e->in.len);
    cv_rtf__putc(&e->out, '}');
    if (e->out.err)
        return cv_rtf__buf_error(&e->out, "HTML to RTF");
    return cv_rtf__buf_drain(&e->out, e->out.len, e->sink, e->sink_ctx);
}

static void enc_free(cv_push *p)
{
    enc *e = (enc *)((char *)p - offsetof(enc, base));
    cv_rtf__buf_free(&e->out);
    cv_rtf__in_free(&e->in);
    free(e);
}

int cv_html_to_rtf_push(cv_push **out, cv_sink_fn sink, void *ctx)
{
    enc *e = calloc(1, sizeof *e);

    *out = NULL;
    if (!e) {
        st_error_set("HTML to RTF: out of memory");
        return -1;
    }
    cv_rtf__buf_init(&e->out, 0);
    cv_rtf__puts(&e->out, rtf_header);
    cv_rtf__push_init(&e->base, enc_feed, enc_end, enc_free);
    e->sink = sink;
    e->sink_ctx = ctx;
    *out = &e->base;
    return 0;
}

int cv_html_to_rtf(char **out, size_t *out_len, const char *html, size_t len)
{
    cv_push *p;
    cv_rtf__buf b;

    *out = NULL;
    if (out_len)
        *out_len = 0;
    cv_rtf__buf_init(&b, 0);
    if (cv_html_to_rtf_push(&p, cv_rtf__buf_sink, &b))
        return -1;
    return cv_rtf__push_whole(p, &b, html, len, out, out_len, "HTML to RTF");
}
