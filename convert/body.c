/*
 * body.c: the best-body rules: which of PR_BODY, PR_HTML and
 * PR_RTF_COMPRESSED is the message's own body, and the others made from it.
 *
 * Which body is the source ("native"), in order:
 *  N1. PR_NATIVE_BODY_INFO 1, 2 or 3 naming a body that is in the bag.
 *  N2. PR_RTF_COMPRESSED when PR_RTF_IN_SYNC is true, or PR_RTF_IN_SYNC is
 *      missing and there is no HTML (old writers, TNEF), or it is the only
 *      body ([MS-OXBBODY] step 2). Its RTF decides ([MS-OXBBODY] step 3):
 *      \fromhtml1 means HTML, \fromtext plain text, else RTF.
 *  N3. PR_HTML / PR_BODY_HTML.
 *  N4. PR_BODY.
 *  N5. PR_RTF_COMPRESSED out of sync but alone: as N2.
 *  Corrupt compressed RTF counts as absent.
 * With `changed`, the body just written is the source, whatever the above.
 *
 * What is made from the source (only what is missing, unless `changed`):
 *  R1. RTF encapsulating HTML: PR_HTML de-encapsulated from it, PR_BODY its
 *      text; native HTML.
 *  R2. RTF from text (\fromtext): PR_BODY its text; native plain text;
 *      PR_HTML only with CV_BODY_HTML_FROM_TEXT (from that text).
 *  R3. Plain RTF: PR_BODY its text; native RTF; no PR_HTML (a stale one
 *      goes): Outlook renders RTF itself.
 *  H.  HTML: PR_BODY its text, PR_RTF_COMPRESSED the HTML encapsulated in RTF
 *      (\fromhtml1, so RTF readers see text and de-encapsulating readers the
 *      exact HTML); native HTML.
 *  T.  Plain text: PR_RTF_COMPRESSED as Outlook writes it for plain text
 *      (\fromtext); PR_HTML only with CV_BODY_HTML_FROM_TEXT (escaped text,
 *      <br> per line), a stale one goes; native plain text.
 *  PR_RTF_IN_SYNC: TRUE when the RTF and PR_BODY now come from the same
 *  source (one made from the other, or both from the HTML); FALSE when the
 *  RTF was made from HTML but PR_BODY is the sender's own text
 *  (multipart/alternative), so RTF readers do not take them for equal;
 *  untouched when neither was written.
 *  HTML we make is UTF-8: PR_HTML with PR_INTERNET_CPID 65001 (and any
 *  <meta> charset in it says utf-8).
 *
 * Invariant: a body the caller wrote is replaced only when `changed` names
 * another one. Never: guess a source when the bag has no body (nothing is
 * changed then), or keep HTML that no longer matches a changed body.
 */
#include <stdlib.h>
#include <string.h>

#include "convert/body.h"
#include "convert/charset.h"
#include "convert/rtf.h"
#include "convert/utf8.h"
#include "storage/error.h"
#include "storage/props_tags.h"

#define TAG_HTML_ANY PROP_TAG(PT_UNSPECIFIED, PROP_ID(PR_HTML))
#define SNIFF 1024  /* bytes of RTF read to find \fromhtml1 in its first 10 tokens */

enum { SRC_NONE, SRC_TEXT, SRC_RTF, SRC_HTML };

static const st_value *get_body(const st_bag *bag)
{
    const st_value *v = st_bag_get(bag, PR_BODY_W);
    return v ? v : st_bag_get(bag, PR_BODY_A);
}

static const st_value *get_html(const st_bag *bag)
{
    const st_value *v = st_bag_get(bag, PR_HTML);
    if (v)
        return v;
    v = st_bag_get(bag, PR_BODY_HTML_W);
    return v ? v : st_bag_get(bag, PR_BODY_HTML_A);
}

static const st_value *get_rtf(const st_bag *bag)
{
    return st_bag_get(bag, PR_RTF_COMPRESSED);
}

/* What the compressed RTF carries: CV_RTF_*, or -1 if it is no RTF. */
static int rtf_kind(const st_value *rtf)
{
    char head[SNIFF];
    size_t n = cv_rtf__decompress_prefix(head, sizeof head, rtf->v.bin.data, rtf->v.bin.len);

    if (n == 0)
        return -1;
    /* The whole header is not there: cv_rtf_encapsulation stops at the end
     * of what it is given, which is fine for the first 10 tokens. */
    int k = cv_rtf_encapsulation(head, n);
    return k < 0 ? -1 : k;
}

static uint32_t native_of_rtf_kind(int kind)
{
    return kind == CV_RTF_FROMHTML ? ST_NATIVE_BODY_HTML
         : kind == CV_RTF_FROMTEXT ? ST_NATIVE_BODY_PLAINTEXT : ST_NATIVE_BODY_RTF;
}

uint32_t cv_body_native(const st_bag *bag)
{
    const st_value *b = get_body(bag), *h = get_html(bag), *r = get_rtf(bag);
    const st_value *info = st_bag_get(bag, PR_NATIVE_BODY_INFO);
    const st_value *sync = st_bag_get(bag, PR_RTF_IN_SYNC);
    int kind = r ? rtf_kind(r) : -1;

    if (info) {                                                   /* N1 */
        if (info->v.l == (int32_t)ST_NATIVE_BODY_PLAINTEXT && b)
            return ST_NATIVE_BODY_PLAINTEXT;
        if (info->v.l == (int32_t)ST_NATIVE_BODY_RTF && r && kind >= 0)
            return ST_NATIVE_BODY_RTF;
        if (info->v.l == (int32_t)ST_NATIVE_BODY_HTML && h)
            return ST_NATIVE_BODY_HTML;
    }
    if (kind >= 0 && ((sync && sync->v.b) || (!sync && !h) || (!b && !h)))
        return native_of_rtf_kind(kind);                          /* N2 */
    if (h)
        return ST_NATIVE_BODY_HTML;                               /* N3 */
    if (b)
        return ST_NATIVE_BODY_PLAINTEXT;                          /* N4 */
    if (kind >= 0)
        return native_of_rtf_kind(kind);                          /* N5 */
    return ST_NATIVE_BODY_UNDEFINED;
}

/* The charset of the bag's HTML (data: all of it, or its head): NULL for
 * UTF-8, else a label (meta holds it when it came from a <meta>). */
static const char *html_label(const st_bag *bag, const char *data, size_t len, char meta[64])
{
    const st_value *cpid = st_bag_get(bag, PR_INTERNET_CPID);
    const char *label = NULL;

    if (cpid && cpid->v.l > 0)
        label = cv_charset_from_codepage((unsigned)cpid->v.l);
    if (!label && data && cv_rtf__html_meta_charset(data, len, meta, 64))
        label = meta;
    if (!label)
        label = cv_charset_guess(data, len);
    if (label && (cv_charset_codepage(label) == 65001 || strcmp(label, "utf-8") == 0 ||
                  strcmp(label, "UTF-8") == 0))
        label = NULL;  /* UTF-8: only validated */
    return label;
}

/* The HTML of the bag as UTF-8 (caller frees). */
static int html_utf8(const st_bag *bag, const st_value *h, char **out, size_t *out_len)
{
    *out = NULL;
    if (PROP_TYPE(h->tag) != PT_BINARY) {
        /* PR_BODY_HTML: a string, UTF-8 already. */
        size_t n = strlen(h->v.str);
        char *s = malloc(n + 1);
        if (!s) {
            st_error_set("bodies: out of memory");
            return -1;
        }
        memcpy(s, h->v.str, n + 1);
        *out = s;
        *out_len = n;
        return 0;
    }
    const char *data = (const char *)h->v.bin.data;
    size_t len = h->v.bin.len;
    char meta[64];
    const char *label = html_label(bag, data, len, meta);

    if (label) {
        int rc = cv_charset_decode(out, out_len, label, data ? data : "", len);
        if (rc == 0)
            return 0;
        if (rc == -1)
            return -1;
        /* An unknown charset: take the bytes as UTF-8, invalid ones as U+FFFD. */
    }
    cv_rtf__buf b;
    cv_rtf__buf_init(&b, 0);
    cv_rtf__put_utf8(&b, data ? data : "", len);
    return cv_rtf__buf_finish(&b, out, out_len, "bodies");
}

/* ---- HTML bytes to UTF-8 in chunks (cv_body_html_push) ---- */

typedef struct hdec {
    cv_push base;          /* first: the push's operations */
    const char *label;     /* NULL: UTF-8 (validated), else a single-byte charset */
    char meta[64];         /* label's storage when it came from a <meta> */
    char carry[4];         /* the start of a UTF-8 sequence the next chunk ends */
    size_t ncarry;
    cv_rtf__buf tmp;       /* a chunk converted */
    cv_rtf__buf join;      /* the carry and the next chunk */
    cv_sink_fn sink;
    void *sink_ctx;
} hdec;

/* Code pages whose every byte is one character: decoded chunk by chunk
 * exactly as whole. */
static int single_byte(unsigned cp)
{
    return cp == 437 || cp == 850 || cp == 852 || cp == 866 || cp == 874 ||
           (cp >= 1250 && cp <= 1258) || cp == 20127 || cp == 20866 || cp == 21866 ||
           (cp >= 28591 && cp <= 28606);
}

static int hdec_chunk(hdec *d, const char *data, size_t len, int final)
{
    if (d->label) {
        char *u = NULL;
        size_t ul = 0;
        int rc = cv_charset_decode(&u, &ul, d->label, data, len);
        if (rc)
            return rc;
        rc = d->sink(d->sink_ctx, u, ul);
        free(u);
        return rc;
    }
    /* UTF-8: whole sequences now, the start of a cut one with the next. */
    const char *s = data;
    size_t n = len;
    if (d->ncarry) {
        d->join.len = 0;
        cv_rtf__put(&d->join, d->carry, d->ncarry);
        cv_rtf__put(&d->join, data, len);
        d->ncarry = 0;
        if (d->join.err) {
            st_error_set("bodies: out of memory");
            return d->join.err;
        }
        s = d->join.data;
        n = d->join.len;
    }
    /* a lead byte near the end whose sequence is not complete waits */
    size_t end = final ? n : cv_utf8__whole(s, n);
    d->tmp.len = 0;
    if (end)
        cv_rtf__put_utf8(&d->tmp, s, end);
    memcpy(d->carry, s + end, n - end);
    d->ncarry = n - end;
    if (d->tmp.err) {
        st_error_set("bodies: out of memory");
        return d->tmp.err;
    }
    return d->tmp.len ? d->sink(d->sink_ctx, d->tmp.data, d->tmp.len) : 0;
}

static int hdec_feed(cv_push *p, const char *data, size_t len)
{
    return hdec_chunk((hdec *)p, data, len, 0);
}

static int hdec_end(cv_push *p)
{
    return hdec_chunk((hdec *)p, "", 0, 1);
}

static void hdec_free(cv_push *p)
{
    hdec *d = (hdec *)p;
    cv_rtf__buf_free(&d->tmp);
    cv_rtf__buf_free(&d->join);
    free(d);
}

int cv_body_html_push(cv_push **out, const st_bag *bag, const void *head, size_t head_len,
                      cv_sink_fn sink, void *ctx)
{
    hdec *d = calloc(1, sizeof *d);
    *out = NULL;
    if (!d) {
        st_error_set("bodies: out of memory");
        return -1;
    }
    d->label = bag ? html_label(bag, head, head_len, d->meta) : NULL;
    if (d->label && !single_byte(cv_charset_codepage(d->label))) {
        st_error_set("bodies: HTML in %s is not converted in pieces", d->label);
        free(d);
        return CV_EPARSE;
    }
    cv_rtf__buf_init(&d->tmp, 0);
    cv_rtf__buf_init(&d->join, 0);
    cv_rtf__push_init(&d->base, hdec_feed, hdec_end, hdec_free);
    d->sink = sink;
    d->sink_ctx = ctx;
    *out = &d->base;
    return 0;
}

/* Plain text to simple HTML: escaped, a <br> per line, runs of spaces kept. */
static int text_to_html(const char *text, char **out, size_t *out_len)
{
    cv_rtf__buf b;
    size_t n = strlen(text);

    cv_rtf__buf_init(&b, 0);
    cv_rtf__puts(&b, "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; "
                     "charset=utf-8\">\r\n</head>\r\n<body>\r\n<div>");
    int plain_space = 0;  /* the last thing written was a plain space */

    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        switch (c) {
        case '&': cv_rtf__puts(&b, "&amp;"); break;
        case '<': cv_rtf__puts(&b, "&lt;"); break;
        case '>': cv_rtf__puts(&b, "&gt;"); break;
        case '"': cv_rtf__puts(&b, "&quot;"); break;
        case '\r':
            if (i + 1 < n && text[i + 1] == '\n')
                i++;
            /* fall through */
        case '\n':
            cv_rtf__puts(&b, "<br>\r\n");
            break;
        case ' ':
            /* A space at a line start or after a plain space would collapse:
             * those go as &nbsp;, so runs alternate "&nbsp; &nbsp;". */
            if (plain_space || i == 0 || text[i - 1] == '\n' || text[i - 1] == '\r') {
                cv_rtf__puts(&b, "&nbsp;");
                plain_space = 0;
            } else {
                cv_rtf__putc(&b, ' ');
                plain_space = 1;
            }
            continue;
        case '\t':
            cv_rtf__puts(&b, "&nbsp;&nbsp;&nbsp;&nbsp;");
            break;
        default:
            cv_rtf__putc(&b, c);
        }
        plain_space = 0;
    }
    cv_rtf__puts(&b, "</div>\r\n</body>\r\n</html>\r\n");
    return cv_rtf__buf_finish(&b, out, out_len, "text to HTML");
}

/* What cv_body_sync computes before it touches the bag. */
typedef struct plan {
    char *body;            /* new PR_BODY, or NULL */
    char *html;            /* new PR_HTML (UTF-8), or NULL */
    size_t html_len;       /* its length */
    uint8_t *rtf;          /* new PR_RTF_COMPRESSED, or NULL */
    size_t rtf_len;        /* its length */
    int drop_html;         /* remove the HTML that is there */
    int in_sync;           /* -1 leave PR_RTF_IN_SYNC, else its new value */
    uint32_t native;       /* PR_NATIVE_BODY_INFO */
} plan;

static void plan_free(plan *p)
{
    free(p->body);
    free(p->html);
    free(p->rtf);
}

static int make_rtf(plan *p, const char *rtf, size_t len, unsigned flags)
{
    return cv_rtf_compress(&p->rtf, &p->rtf_len, rtf, len,
                           (flags & CV_BODY_UNCOMPRESSED_RTF) ? CV_RTF_STORE_UNCOMPRESSED : 0);
}

/* R1-R3. rtf_val: the compressed RTF. */
static int from_rtf(plan *p, const st_value *rtf_val, int regen, int has_b, int has_h, unsigned flags)
{
    uint8_t *rtf = NULL;
    size_t len = 0;
    int rc = cv_rtf_decompress(&rtf, &len, rtf_val->v.bin.data, rtf_val->v.bin.len, 0, 0);

    if (rc)
        return rc;
    int kind = cv_rtf_encapsulation((const char *)rtf, len);
    if (kind < 0) {
        free(rtf);
        return kind;
    }
    if (regen || !has_b) {
        rc = cv_rtf_to_text(&p->body, NULL, (const char *)rtf, len, 0);
        if (rc)
            goto cleanup;
    }
    if (kind == CV_RTF_FROMHTML) {
        if (regen || !has_h) {
            rc = cv_rtf_to_html(&p->html, &p->html_len, (const char *)rtf, len);
            if (rc)
                goto cleanup;
        }
    } else if (regen || !has_h) {
        /* No HTML in this RTF: a stale one goes; plain text may make one. */
        p->drop_html = regen && has_h;
        if (kind == CV_RTF_FROMTEXT && (flags & CV_BODY_HTML_FROM_TEXT) && p->body) {
            rc = text_to_html(p->body, &p->html, &p->html_len);
            if (rc)
                goto cleanup;
            p->drop_html = 0;
        }
    }
    p->native = native_of_rtf_kind(kind);
    if (p->body)
        p->in_sync = 1;  /* PR_BODY is the RTF's text now */
cleanup:
    free(rtf);
    return rc;
}

/* H. */
static int from_html(plan *p, const st_bag *bag, const st_value *h, int regen, int has_b,
                     int has_r, unsigned flags)
{
    char *html = NULL, *rtf = NULL;
    size_t len = 0, rtf_len = 0;
    int rc = html_utf8(bag, h, &html, &len);

    if (rc)
        return rc;
    if (regen || !has_b) {
        rc = cv_html_to_text(&p->body, NULL, html, len, 0);
        if (rc)
            goto cleanup;
    }
    if ((regen || !has_r) && !(flags & CV_BODY_NO_RTF)) {
        rc = cv_html_to_rtf(&rtf, &rtf_len, html, len);
        if (rc)
            goto cleanup;
        rc = make_rtf(p, rtf, rtf_len, flags);
        if (rc)
            goto cleanup;
        p->in_sync = p->body != NULL;
    }
    p->native = ST_NATIVE_BODY_HTML;
cleanup:
    free(html);
    free(rtf);
    return rc;
}

/* T. */
static int from_text(plan *p, const st_value *b, int regen, int has_h, int has_r, unsigned flags)
{
    const char *text = b->v.str ? b->v.str : "";
    int rc = 0;

    if ((regen || !has_r) && !(flags & CV_BODY_NO_RTF)) {
        char *rtf = NULL;
        size_t rtf_len = 0;
        rc = cv_text_to_rtf(&rtf, &rtf_len, text, strlen(text));
        if (rc)
            return rc;
        rc = make_rtf(p, rtf, rtf_len, flags);
        free(rtf);
        if (rc)
            return rc;
        p->in_sync = 1;
    }
    if (regen || !has_h) {
        p->drop_html = regen && has_h;
        if (flags & CV_BODY_HTML_FROM_TEXT) {
            rc = text_to_html(text, &p->html, &p->html_len);
            if (rc)
                return rc;
            p->drop_html = 0;
        }
    }
    p->native = ST_NATIVE_BODY_PLAINTEXT;
    return 0;
}

static int source_of_tag(uint32_t tag)
{
    if (PROP_ID(tag) == PROP_ID(PR_BODY))
        return SRC_TEXT;
    if (PROP_ID(tag) == PROP_ID(PR_HTML))
        return SRC_HTML;
    if (PROP_ID(tag) == PROP_ID(PR_RTF_COMPRESSED))
        return SRC_RTF;
    return SRC_NONE;
}

int cv_body_sync(st_bag *bag, uint32_t changed, unsigned flags)
{
    const st_value *b = get_body(bag), *h = get_html(bag), *r = get_rtf(bag);
    plan p = { .in_sync = -1 };
    int regen = changed != 0, src, rc = 0;

    if (changed) {
        src = source_of_tag(changed);
        if (src == SRC_NONE || (src == SRC_TEXT && !b) || (src == SRC_HTML && !h) ||
            (src == SRC_RTF && !r)) {
            st_error_set("bodies: the changed body 0x%08x is not a body of the message",
                         (unsigned)changed);
            return -1;
        }
    } else {
        /* The native body's own property is the source; the RTF when it is
         * the only carrier of that kind (N2, N5). */
        switch (cv_body_native(bag)) {
        case ST_NATIVE_BODY_RTF:
            src = SRC_RTF;
            break;
        case ST_NATIVE_BODY_HTML:
            src = h ? SRC_HTML : SRC_RTF;
            break;
        case ST_NATIVE_BODY_PLAINTEXT:
            src = b ? SRC_TEXT : SRC_RTF;
            break;
        default:
            return 0;
        }
    }
    switch (src) {
    case SRC_RTF:
        rc = from_rtf(&p, r, regen, b != NULL, h != NULL, flags);
        if (rc && !changed && (rc == CV_EPARSE)) {
            /* Corrupt RTF in a bag we only fill in: the other bodies rule. */
            plan_free(&p);
            p = (plan){ .in_sync = -1 };
            rc = 0;
            /* ... and the corrupt RTF is made again from them. */
            if (h)
                rc = from_html(&p, bag, h, 0, b != NULL, 0, flags);
            else if (b)
                rc = from_text(&p, b, 0, 0, 0, flags);
            else
                rc = CV_EPARSE;  /* the only body is unreadable */
        }
        break;
    case SRC_HTML:
        rc = from_html(&p, bag, h, regen, b != NULL, r != NULL, flags);
        break;
    default:
        rc = from_text(&p, b, regen, h != NULL, r != NULL, flags);
        break;
    }
    if (rc) {
        plan_free(&p);
        return rc;
    }

    /* Everything is made: now the bag. */
    if (p.body && st_bag_set_str(bag, PR_BODY_W, p.body) != 0)
        goto nomem;
    if (p.drop_html)
        (void)st_bag_delete(bag, TAG_HTML_ANY);
    if (p.html) {
        if (p.html_len > UINT32_MAX || st_bag_set_bin(bag, PR_HTML, p.html, (uint32_t)p.html_len) != 0 ||
            st_bag_set_long(bag, PR_INTERNET_CPID, 65001) != 0)
            goto nomem;
    }
    if (p.rtf && (p.rtf_len > UINT32_MAX ||
                  st_bag_set_bin(bag, PR_RTF_COMPRESSED, p.rtf, (uint32_t)p.rtf_len) != 0))
        goto nomem;
    if (p.in_sync >= 0 && st_bag_set_bool(bag, PR_RTF_IN_SYNC, p.in_sync) != 0)
        goto nomem;
    if (st_bag_set_long(bag, PR_NATIVE_BODY_INFO, (int32_t)p.native) != 0)
        goto nomem;
    plan_free(&p);
    return 0;
nomem:
    plan_free(&p);
    st_error_set("bodies: out of memory");
    return -1;
}
