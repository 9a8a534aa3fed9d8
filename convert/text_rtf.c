/*
 * text_rtf.c: plain text to RTF the way Outlook writes the RTF of a
 * plain-text message: a \fromtext document, Arial 10pt, every line ending in
 * \par and a CRLF, the rest of the text as is.
 *
 * Invariant: cv_rtf_to_text of the result gives the text back with its line
 * ends as CRLF (invalid UTF-8 as U+FFFD); "body\r\n" becomes exactly the RTF
 * Outlook stores for that body.
 * In chunks (cv_text_to_rtf_push): a CR or a UTF-8 sequence cut by the
 * chunk's end waits for the next.
 * Never: emit an unescaped brace or backslash, or a byte above 0x7F (all
 * non-ASCII goes as \uN with a Windows-1252 or '?' fallback).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "convert/utf8.h"
#include "storage/error.h"

static const char header[] =
    "{\\rtf1\\ansi\\ansicpg1252\\fromtext \\fbidis \\deff0{\\fonttbl\r\n"
    "{\\f0\\fswiss Arial;}\r\n"
    "{\\f1\\fmodern Courier New;}\r\n"
    "{\\f2\\fnil\\fcharset2 Symbol;}\r\n"
    "{\\f3\\fmodern\\fcharset0 Courier New;}}\r\n"
    "{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n"
    "\\uc1\\pard\\plain\\deftab360 \\f0\\fs20 ";

static void put_hex(cv_rtf__buf *o, uint8_t c)
{
    static const char hex[] = "0123456789abcdef";
    char e[4] = { '\\', '\'', hex[c >> 4], hex[c & 15] };

    cv_rtf__put(o, e, 4);
}

static void put_unicode(cv_rtf__buf *o, uint32_t cp)
{
    char tmp[16];

    if (cp > 0xFFFF) {
        cp -= 0x10000;
        put_unicode(o, 0xD800 + (cp >> 10));
        put_unicode(o, 0xDC00 + (cp & 0x3FF));
        return;
    }
    int n = snprintf(tmp, sizeof tmp, "\\u%d", cp > 32767 ? (int)cp - 65536 : (int)cp);
    cv_rtf__put(o, tmp, (size_t)n);
    uint8_t fb = cv_rtf__ucs_to_cp1252(cp);
    if (fb >= 0x80)
        put_hex(o, fb);
    else
        cv_rtf__putc(o, '?');
}

/* Converts text[0..len): all of it when final, else up to where a line
 * end or a UTF-8 sequence could go on in the next chunk. The bytes used. */
static size_t convert(cv_rtf__buf *o, const char *text, size_t len, int final)
{
    size_t i = 0;

    if (!final) {
        size_t keep = len;
        if (keep && text[keep - 1] == '\r')
            keep--;
        len = cv_utf8__whole(text, keep);   /* a sequence the next chunk completes */
    }
    while (i < len && !o->err) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c < 0x80 && c != '\\' && c != '{' && c != '}') {
            size_t j = i + 1;
            while (j < len && (unsigned char)text[j] >= 0x20 && (unsigned char)text[j] < 0x80 &&
                   text[j] != '\\' && text[j] != '{' && text[j] != '}')
                j++;
            cv_rtf__put(o, text + i, j - i);
            i = j;
        } else if (c == '\\' || c == '{' || c == '}') {
            cv_rtf__putc(o, '\\');
            cv_rtf__putc(o, (char)c);
            i++;
        } else if (c == '\r' || c == '\n') {
            i += (c == '\r' && i + 1 < len && text[i + 1] == '\n') ? 2 : 1;
            cv_rtf__puts(o, "\\par\r\n");
        } else if (c == '\t') {
            cv_rtf__puts(o, "\\tab ");
            i++;
        } else if (c < 0x20) {
            put_hex(o, c);
            i++;
        } else {
            size_t used;
            uint32_t cp = cv_rtf__utf8_next(text + i, len - i, &used);
            put_unicode(o, cp);
            i += used;
        }
    }
    return len;
}

static size_t convert_chunk(void *out, const char *s, size_t n)
{
    return convert(out, s, n, 0);
}

typedef struct tpush {
    cv_push base;        /* first: the push's operations */
    cv_rtf__buf out;     /* RTF not handed to the sink yet */
    cv_rtf__in in;       /* input held back */
    cv_sink_fn sink;
    void *sink_ctx;
} tpush;

#define DRAIN_AT 65536u   /* bytes of RTF gathered before they go to the sink */

static int tp_feed(cv_push *p, const char *data, size_t len)
{
    tpush *t = (tpush *)p;
    if (cv_rtf__in_feed(&t->in, data, len, "text to RTF", convert_chunk, &t->out))
        return -1;
    t->in.want = 0;   /* at most 3 bytes held: always try again */
    if (t->out.err)
        return cv_rtf__buf_error(&t->out, "text to RTF");
    return t->out.len >= DRAIN_AT ? cv_rtf__buf_drain(&t->out, t->out.len, t->sink, t->sink_ctx)
                                  : 0;
}

static int tp_end(cv_push *p)
{
    tpush *t = (tpush *)p;
    convert(&t->out, t->in.data, t->in.len, 1);
    cv_rtf__in_drop(&t->in, t->in.len);
    cv_rtf__putc(&t->out, '}');
    if (t->out.err)
        return cv_rtf__buf_error(&t->out, "text to RTF");
    return cv_rtf__buf_drain(&t->out, t->out.len, t->sink, t->sink_ctx);
}

static void tp_free(cv_push *p)
{
    tpush *t = (tpush *)p;
    cv_rtf__buf_free(&t->out);
    cv_rtf__in_free(&t->in);
    free(t);
}

int cv_text_to_rtf_push(cv_push **out, cv_sink_fn sink, void *ctx)
{
    tpush *t = calloc(1, sizeof *t);

    *out = NULL;
    if (!t) {
        st_error_set("text to RTF: out of memory");
        return -1;
    }
    cv_rtf__buf_init(&t->out, 0);
    cv_rtf__puts(&t->out, header);
    cv_rtf__push_init(&t->base, tp_feed, tp_end, tp_free);
    t->sink = sink;
    t->sink_ctx = ctx;
    *out = &t->base;
    return 0;
}

int cv_text_to_rtf(char **out, size_t *out_len, const char *text, size_t len)
{
    cv_rtf__buf o;

    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!text)
        len = 0;
    /* One buffer, no sink: the whole text at once is the same conversion. */
    cv_rtf__buf_init(&o, 0);
    cv_rtf__puts(&o, header);
    convert(&o, text, len, 1);
    cv_rtf__putc(&o, '}');
    return cv_rtf__buf_finish(&o, out, out_len, "text to RTF");
}
