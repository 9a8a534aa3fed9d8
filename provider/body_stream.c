/*
 * body_stream.c: bodies too big for memory kept in step in chunks
 * (body_stream.h): a reader over the written body (its pending spool, or
 * its storage stream read a chunk at a time under the store's lock), the
 * streaming converters of convert/rtf.h chained behind it, and sinks that
 * append to new spools (text converted to the spool's UTF-16, RTF with its
 * header written last over the placeholder the compressor left).
 *
 * Invariants: at most one chunk of the body (CHUNK bytes, and what the
 * converters hold back: one token) is in memory at a time; text given to
 * a string spool is whole UTF-8 characters (the converters' output is).
 * Never: hold the store's lock across more than one storage read.
 */
#include <stdlib.h>
#include <string.h>

#include "convert/body.h"
#include "convert/rtf.h"
#include "provider/body_stream.h"
#include "storage/props_tags.h"

#define CHUNK 65536u       /* bytes read from the body at a time */
#define SINK_FAILED (-100) /* a sink's error: its HRESULT is in the sink */

/* ---- the body, a chunk at a time, as UTF-8 (strings) or bytes */

typedef struct reader {
    const md_body_src *src;
    st_stream *rd;         /* storage's reader, or NULL: the pending spool */
    uint64_t pos;          /* next byte of the spool */
    uint32_t tag;          /* the property's tag as kept (its type says the form) */
    BYTE raw[CHUNK];       /* a chunk as read */
    char out[CHUNK * 3 + 8]; /* it in UTF-8 (UTF-16 units give at most 3 bytes each) */
} reader;

static HRESULT reader_open(reader *r, const md_body_src *src)
{
    r->src = src;
    r->rd = NULL;
    r->pos = 0;
    if (src->pending) {
        r->tag = src->pending->tag;
        return S_OK;
    }
    if (!src->mid)
        return MAPI_E_NOT_FOUND;
    EnterCriticalSection(&src->store->lock);
    int code = st_stream_open_read(&r->rd, src->store->st, src->mid, ST_NO_ATTACH,
        PROP_TAG(PT_UNSPECIFIED, src->id));
    if (!code)
        r->tag = st_stream_tag(r->rd);
    LeaveCriticalSection(&src->store->lock);
    return code ? (code == ST_ENOTFOUND ? MAPI_E_NOT_FOUND : md_hr_from_st(code)) : S_OK;
}

static void reader_close(reader *r)
{
    if (r->rd) {
        EnterCriticalSection(&r->src->store->lock);
        st_stream_close(r->rd);
        LeaveCriticalSection(&r->src->store->lock);
        r->rd = NULL;
    }
}

/* The next chunk: *data, *len (0 at the end). */
static HRESULT reader_next(reader *r, const char **data, size_t *len)
{
    *len = 0;
    *data = r->out;
    if (r->rd) {
        /* storage keeps strings in UTF-8: chunks as they are */
        size_t got = 0;
        EnterCriticalSection(&r->src->store->lock);
        int code = st_stream_read(r->rd, r->out, CHUNK, &got);
        LeaveCriticalSection(&r->src->store->lock);
        *len = got;
        return code ? md_hr_from_st(code) : S_OK;
    }
    ULONG got = 0;
    HRESULT hr = md_spool_read(r->src->pending, r->pos, r->raw, CHUNK, &got);
    if (hr != S_OK || got == 0)
        return hr;
    uint32_t type = PROP_TYPE(r->tag);
    if (type == PT_UNICODE) {
        /* UTF-16LE: whole units, a high surrogate waits for its pair */
        ULONG units = got / 2;
        const WCHAR *w = (const WCHAR *)r->raw;
        if (units > 1 && got == CHUNK && w[units - 1] >= 0xD800 && w[units - 1] <= 0xDBFF)
            units--;
        if (units == 0) {
            r->pos += got;   /* an odd last byte: no character */
            return S_OK;
        }
        r->pos += (uint64_t)units * 2;
        int n = WideCharToMultiByte(CP_UTF8, 0, w, (int)units, r->out, (int)sizeof r->out,
            NULL, NULL);
        *len = n > 0 ? (size_t)n : 0;
        return n > 0 ? S_OK : MAPI_E_CALL_FAILED;
    }
    if (type == PT_STRING8) {
        /* the ANSI code page: a lead byte at the end waits for its trail */
        ULONG n8 = got;
        if (n8 > 1 && got == CHUNK && IsDBCSLeadByte(r->raw[n8 - 1]))
            n8--;
        r->pos += n8;
        WCHAR *w = malloc(n8 * sizeof *w);
        if (!w)
            return MAPI_E_NOT_ENOUGH_MEMORY;
        int nw = MultiByteToWideChar(CP_ACP, 0, (const char *)r->raw, (int)n8, w, (int)n8);
        int n = nw > 0 ? WideCharToMultiByte(CP_UTF8, 0, w, nw, r->out, (int)sizeof r->out,
            NULL, NULL) : 0;
        free(w);
        *len = n > 0 ? (size_t)n : 0;
        return n > 0 ? S_OK : MAPI_E_CALL_FAILED;
    }
    r->pos += got;
    memcpy(r->out, r->raw, got);
    *len = got;
    return S_OK;
}

/* ---- sinks: appending to a spool */

typedef struct spool_sink {
    md_spool *sp;
    HRESULT hr;            /* the first failure */
    char *tmp;             /* a text chunk NUL-terminated */
    size_t cap;
} spool_sink;

static int text_sink(void *ctx, const void *data, size_t len)
{
    spool_sink *k = ctx;
    if (len + 1 > k->cap) {
        char *n = realloc(k->tmp, len + 1);
        if (!n) {
            k->hr = MAPI_E_NOT_ENOUGH_MEMORY;
            return SINK_FAILED;
        }
        k->tmp = n;
        k->cap = len + 1;
    }
    memcpy(k->tmp, data, len);
    k->tmp[len] = '\0';
    st_value v = { .tag = k->sp->tag };
    v.v.str = k->tmp;
    k->hr = md_spool_put_value(k->sp, &v);
    return k->hr == S_OK ? 0 : SINK_FAILED;
}

static int bin_sink(void *ctx, const void *data, size_t len)
{
    spool_sink *k = ctx;
    if (len > 0x7FFFFFFF) {
        k->hr = MAPI_E_TOO_BIG;
        return SINK_FAILED;
    }
    k->hr = md_spool_write(k->sp, k->sp->size, data, (ULONG)len);
    return k->hr == S_OK ? 0 : SINK_FAILED;
}

static HRESULT hr_of(int rc, const spool_sink *k)
{
    if (rc == SINK_FAILED)
        return k->hr != S_OK ? k->hr : MAPI_E_CALL_FAILED;
    return rc == 0 ? S_OK : rc == -1 ? MAPI_E_NOT_ENOUGH_MEMORY
         : rc == CV_ELIMIT ? MAPI_E_TOO_BIG : MAPI_E_CORRUPT_DATA;
}

/* ---- the pumps */

/* Feeds the body at r into first (after the head already read: data, len)
 * and ends the chain: first, then each of rest in order. */
static int pump(reader *r, const char *data, size_t len, cv_push *first, cv_push *const *rest,
    size_t n_rest, HRESULT *hr)
{
    int rc = 0;
    while (!rc && len) {
        rc = cv_push_feed(first, data, len);
        if (!rc && (*hr = reader_next(r, &data, &len)) != S_OK)
            return 0;
    }
    if (!rc)
        rc = cv_push_end(first);
    for (size_t i = 0; !rc && i < n_rest; i++)
        rc = cv_push_end(rest[i]);
    return rc;
}

/* The HTML decoder over the head of the body (read now). */
static HRESULT html_start(reader *r, const st_bag *bag, cv_push **dec, cv_sink_fn sink,
    void *ctx, const char **head, size_t *head_len)
{
    HRESULT hr = reader_next(r, head, head_len);
    if (hr != S_OK)
        return hr;
    /* PR_BODY_HTML, a string, is UTF-8 already: no charset to read */
    uint32_t type = PROP_TYPE(r->tag);
    int rc = cv_body_html_push(dec, type == PT_BINARY ? bag : NULL, *head, *head_len, sink,
        ctx);
    return rc == CV_EPARSE ? MAPI_E_NO_SUPPORT : rc ? MAPI_E_NOT_ENOUGH_MEMORY : S_OK;
}

HRESULT md_body_text_of_html(md_spool **out, const md_body_src *src, const st_bag *bag)
{
    *out = NULL;
    reader *r = malloc(sizeof *r);
    if (!r)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    spool_sink k = { 0 };
    cv_push *dec = NULL, *text = NULL;
    HRESULT hr = reader_open(r, src);
    if (hr == S_OK)
        hr = md_spool_new(&k.sp, PR_BODY_W);
    if (hr == S_OK && cv_html_to_text_push(&text, 0, text_sink, &k))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    const char *data = NULL;
    size_t len = 0;
    if (hr == S_OK)
        hr = html_start(r, bag, &dec, cv_push_sink, text, &data, &len);
    if (hr == S_OK) {
        HRESULT rhr = S_OK;
        int rc = pump(r, data, len, dec, &text, 1, &rhr);
        hr = rhr != S_OK ? rhr : hr_of(rc, &k);
    }
    reader_close(r);
    cv_push_free(dec);
    cv_push_free(text);
    free(k.tmp);
    free(r);
    if (hr == S_OK)
        *out = k.sp;
    else
        md_spool_release(k.sp);
    return hr;
}

HRESULT md_body_rtf_of(md_spool **out, const md_body_src *src, const st_bag *bag)
{
    *out = NULL;
    reader *r = malloc(sizeof *r);
    if (!r)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    spool_sink k = { 0 };
    cv_push *dec = NULL, *rtf = NULL, *z = NULL;
    int html = src->id == PROP_ID(PR_HTML);
    HRESULT hr = reader_open(r, src);
    if (hr == S_OK)
        hr = md_spool_new(&k.sp, PR_RTF_COMPRESSED);
    if (hr == S_OK && (cv_rtf_compress_push(&z, 0, bin_sink, &k) ||
        (html ? cv_html_to_rtf_push(&rtf, cv_push_sink, z)
              : cv_text_to_rtf_push(&rtf, cv_push_sink, z))))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    const char *data = NULL;
    size_t len = 0;
    if (hr == S_OK) {
        if (html)
            hr = html_start(r, bag, &dec, cv_push_sink, rtf, &data, &len);
        else
            hr = reader_next(r, &data, &len);
    }
    if (hr == S_OK) {
        HRESULT rhr = S_OK;
        cv_push *rest[2] = { rtf, z };
        int rc = html ? pump(r, data, len, dec, rest, 2, &rhr)
                      : pump(r, data, len, rtf, rest + 1, 1, &rhr);
        hr = rhr != S_OK ? rhr : hr_of(rc, &k);
    }
    BYTE header[16];
    if (hr == S_OK)
        hr = cv_rtf_compress_header(z, header) ? MAPI_E_TOO_BIG
            : md_spool_write(k.sp, 0, header, sizeof header);
    reader_close(r);
    cv_push_free(dec);
    cv_push_free(rtf);
    cv_push_free(z);
    free(r);
    if (hr == S_OK)
        *out = k.sp;
    else
        md_spool_release(k.sp);
    return hr;
}

/* ---- compressed RTF to text and HTML: the decompressed RTF goes to both */

typedef struct rtf_tee {
    cv_rtf__buf head;      /* the RTF until its kind is known */
    int kind;              /* -1 until known */
    cv_push *text, *html;  /* the readers, html only for \fromhtml1 */
    spool_sink tk, hk;     /* their spools */
} rtf_tee;

#define SNIFF 1024u        /* bytes of RTF that show its first 10 tokens */

static int tee_both(rtf_tee *t, const void *data, size_t len)
{
    int rc = cv_push_feed(t->text, data, len);
    if (!rc && t->html)
        rc = cv_push_feed(t->html, data, len);
    return rc;
}

/* Decides the kind from the head (at the end: whatever there is) and
 * starts the readers with it. */
static int tee_start(rtf_tee *t)
{
    int k = cv_rtf_encapsulation(t->head.data ? t->head.data : "", t->head.len);
    if (k < 0)
        return k;
    t->kind = k;
    if (cv_rtf_to_text_push(&t->text, 0, text_sink, &t->tk))
        return -1;
    if (k == CV_RTF_FROMHTML) {
        if (md_spool_new(&t->hk.sp, PR_HTML) != S_OK) {
            t->hk.hr = MAPI_E_DISK_ERROR;
            return SINK_FAILED;
        }
        if (cv_rtf_to_html_push(&t->html, bin_sink, &t->hk))
            return -1;
    }
    int rc = t->head.len ? tee_both(t, t->head.data, t->head.len) : 0;
    cv_rtf__buf_free(&t->head);
    return rc;
}

static int tee_sink(void *ctx, const void *data, size_t len)
{
    rtf_tee *t = ctx;
    if (t->kind >= 0)
        return tee_both(t, data, len);
    cv_rtf__put(&t->head, data, len);
    if (t->head.err)
        return t->head.err;
    return t->head.len >= SNIFF ? tee_start(t) : 0;
}

HRESULT md_body_of_rtf(md_spool **text, md_spool **html, uint32_t *native,
    const md_body_src *src)
{
    *text = *html = NULL;
    *native = ST_NATIVE_BODY_RTF;
    reader *r = malloc(sizeof *r);
    if (!r)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    rtf_tee t = { .kind = -1 };
    cv_rtf__buf_init(&t.head, 0);
    cv_push *dec = NULL;
    HRESULT hr = reader_open(r, src);
    if (hr == S_OK)
        hr = md_spool_new(&t.tk.sp, PR_BODY_W);
    if (hr == S_OK && cv_rtf_decompress_push(&dec, 0, 0, tee_sink, &t))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    const char *data = NULL;
    size_t len = 0;
    if (hr == S_OK)
        hr = reader_next(r, &data, &len);
    int rc = 0;
    while (hr == S_OK && !rc && len) {
        rc = cv_push_feed(dec, data, len);
        if (!rc)
            hr = reader_next(r, &data, &len);
    }
    if (hr == S_OK && !rc)
        rc = cv_push_end(dec);
    if (hr == S_OK && !rc && t.kind < 0)
        rc = tee_start(&t);
    if (hr == S_OK && !rc)
        rc = cv_push_end(t.text);
    if (hr == S_OK && !rc && t.html)
        rc = cv_push_end(t.html);
    if (hr == S_OK && rc) {
        const spool_sink *k = t.hk.hr != S_OK ? &t.hk : &t.tk;
        hr = rc == CV_EPARSE ? MAPI_E_CORRUPT_DATA : hr_of(rc, k);
    }
    reader_close(r);
    free(r);
    cv_push_free(dec);
    cv_push_free(t.text);
    cv_push_free(t.html);
    cv_rtf__buf_free(&t.head);
    free(t.tk.tmp);
    if (hr == S_OK) {
        *text = t.tk.sp;
        *html = t.hk.sp;
        *native = t.kind == CV_RTF_FROMHTML ? ST_NATIVE_BODY_HTML
            : t.kind == CV_RTF_FROMTEXT ? ST_NATIVE_BODY_PLAINTEXT : ST_NATIVE_BODY_RTF;
    } else {
        md_spool_release(t.tk.sp);
        md_spool_release(t.hk.sp);
    }
    return hr;
}
