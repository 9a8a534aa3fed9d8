/*
 * push.c: the plumbing the streaming body converters share (rtf.h,
 * "Streaming"): the cv_push calls, the input held back between chunks, the
 * output handed to a sink, and where HTML text may be cut.
 *
 * Invariants: a converter sees the input it held back followed by the new
 * chunk, as one buffer; it is tried again only when that buffer has grown
 * by half or 4096 bytes, so time stays linear whatever the chunk size.
 * After an error a converter does nothing more (p->err is sticky).
 * Never: lose or reorder a byte of input or output.
 */
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "storage/error.h"

#define RETRY_MIN 4096u   /* bytes of new input before a held token is tried again */

int cv_push_feed(cv_push *p, const void *data, size_t len)
{
    if (p->err)
        return p->err;
    if (len == 0)
        return 0;
    p->err = p->feed(p, data, len);
    return p->err;
}

int cv_push_end(cv_push *p)
{
    if (p->err)
        return p->err;
    p->err = p->end(p);
    return p->err;
}

void cv_push_free(cv_push *p)
{
    if (p)
        p->free(p);
}

void cv_rtf__push_init(cv_push *p, int (*feed)(cv_push *, const char *, size_t),
                       int (*end)(cv_push *), void (*free_fn)(cv_push *))
{
    p->feed = feed;
    p->end = end;
    p->free = free_fn;
    p->err = 0;
}

int cv_push_sink(void *ctx, const void *data, size_t len)
{
    return cv_push_feed(ctx, data, len);
}

int cv_rtf__in_add(cv_rtf__in *in, const char *data, size_t len, const char *what)
{
    if (in->cap - in->len < len) {
        size_t ncap = in->cap ? in->cap : 8192;
        while (ncap - in->len < len) {
            if (ncap > SIZE_MAX / 2) {
                ncap = 0;
                break;
            }
            ncap *= 2;
        }
        char *n = ncap ? realloc(in->data, ncap) : NULL;
        if (!n) {
            st_error_set("%s: out of memory", what);
            return -1;
        }
        in->data = n;
        in->cap = ncap;
    }
    memcpy(in->data + in->len, data, len);
    in->len += len;
    return 0;
}

void cv_rtf__in_drop(cv_rtf__in *in, size_t used)
{
    if (used > in->len)
        used = in->len;
    if (used < in->len)
        memmove(in->data, in->data + used, in->len - used);
    in->len -= used;
    size_t grow = in->len / 2 > RETRY_MIN ? in->len / 2 : RETRY_MIN;
    in->want = in->len + grow;
}

int cv_rtf__in_feed(cv_rtf__in *in, const char *data, size_t len, const char *what,
                    size_t (*run)(void *ctx, const char *s, size_t n), void *ctx)
{
    if (in->len == 0) {
        size_t used = run(ctx, data, len);
        if (used < len) {
            if (cv_rtf__in_add(in, data + used, len - used, what))
                return -1;
            cv_rtf__in_drop(in, 0);
        }
        return 0;
    }
    if (cv_rtf__in_add(in, data, len, what))
        return -1;
    if (in->len >= in->want)
        cv_rtf__in_drop(in, run(ctx, in->data, in->len));
    return 0;
}

void cv_rtf__in_free(cv_rtf__in *in)
{
    free(in->data);
    memset(in, 0, sizeof *in);
}

int cv_rtf__buf_drain(cv_rtf__buf *b, size_t upto, cv_sink_fn sink, void *ctx)
{
    if (b->err)
        return b->err;
    if (upto > b->len)
        upto = b->len;
    if (upto == 0)
        return 0;
    cv_rtf__buf *to = ctx;
    if (sink == cv_rtf__buf_sink && upto == b->len && to->len == 0 && !to->err &&
        b->len <= to->limit) {
        /* all of it into an empty buffer: handed over, not copied */
        size_t limit = to->limit;
        cv_rtf__buf_free(to);
        *to = *b;
        to->limit = limit;
        cv_rtf__buf_init(b, b->limit);
        return 0;
    }
    int rc = sink(ctx, b->data, upto);
    if (rc)
        return rc;
    memmove(b->data, b->data + upto, b->len - upto);
    b->len -= upto;
    return 0;
}

int cv_rtf__buf_sink(void *ctx, const void *data, size_t len)
{
    cv_rtf__buf *b = ctx;
    cv_rtf__put(b, data, len);
    return b->err;
}

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

/* A byte a cut may come before: it ends any UTF-8 sequence, character
 * reference and whitespace run before it, and starts none that the bytes
 * before it continue. */
static int cut_before(unsigned char c)
{
    if (c >= 0x80)
        return c >= 0xC0;   /* a lead byte, not a continuation */
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return 0;           /* could continue a reference's name or number */
    return c != ';' && c != '#' && c != '&' && c != '<' && !is_ws(c) && c >= 0x20;
}

size_t cv_rtf__html_text_cut(const char *s, size_t from, size_t n)
{
    /* A little short of the end, so the search starts in settled text. */
    if (n - from < 128)
        return from;
    size_t c = n - 64, stop = c - from > 4096 ? c - 4096 : from;
    for (; c > stop; c--) {
        if (cut_before((unsigned char)s[c]) && !is_ws((unsigned char)s[c - 1]) &&
            (unsigned char)s[c - 1] >= 0x20)
            return c;
    }
    return from;
}

int cv_rtf__buf_error(const cv_rtf__buf *b, const char *what)
{
    if (b->err == CV_ELIMIT)
        st_error_set("%s: the result is larger than the limit of %zu bytes", what, b->limit);
    else if (b->err)
        st_error_set("%s: out of memory", what);
    return b->err;
}

int cv_rtf__push_whole(cv_push *p, cv_rtf__buf *b, const void *in, size_t len, char **out,
                       size_t *out_len, const char *what)
{
    int rc = in ? cv_push_feed(p, in, len) : 0;
    if (!rc)
        rc = cv_push_end(p);
    cv_push_free(p);
    if (rc && !b->err) {
        cv_rtf__buf_free(b);
        return rc;
    }
    return cv_rtf__buf_finish(b, out, out_len, what);
}
