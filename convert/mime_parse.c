/*
 * mime_parse.c: the streaming MIME state machine. Bytes come in chunks of
 * any size; they are cut into lines (a line longer than max_line is cut
 * into pieces at fixed offsets, so the result never depends on the chunk
 * sizes), and each line goes to the innermost open entity: its header
 * block, a multipart's preamble/epilogue, or a leaf's decoder, whose output
 * goes to the body text, an attachment (the sink, in 64 KiB writes) or the
 * parser of an embedded message (message/rfc822, parsed by a nested parser
 * that shares the limits and warnings).
 *
 * Invariants: a line starting with "--" is compared with the boundaries of
 * the open multiparts, innermost first (at most max_depth comparisons of
 * the boundary's length), so time is linear in the input. Memory held:
 * the open frames (max_depth + 1 at most, all message levels together),
 * one header block per message level being read (<= max_header_size),
 * one partial line per level (<= max_line), PR_BODY and PR_HTML
 * (<= max_body each, per message), the preamble of a multipart that has no
 * part yet (<= max_body, the fallback body of broken messages), a report's
 * status text and returned headers (<= STATUS_MAX each), and, with a sink,
 * 64 KiB per open attachment.
 * Never: assert on input, lose the structure because one part is bad, call
 * the sink after it failed.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert/charset.h"
#include "convert/mime_int.h"
#include "convert/mime_report.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"

#define SINK_CHUNK ((size_t)64 << 10) /* bytes buffered before a sink write */
#define STATUS_MAX ((size_t)64 << 10) /* delivery-status text kept to read Action: */

typedef struct buf {
    char *p;     /* bytes, NUL-terminated when not empty */
    size_t n;    /* used */
    size_t cap;  /* allocated */
} buf;

/* First allocation of a buffer: a usual header block or body fits, so it
 * is not grown (and copied) five times on its way there. */
#define BUF_FIRST ((size_t)4096)

static int buf_add(buf *b, const void *data, size_t len)
{
    if (b->n + len + 1 > b->cap && st_reserve(&b->p, &b->cap, b->n + len + 1, BUF_FIRST) < 0)
        return -1;
    if (len)
        memcpy(b->p + b->n, data, len);
    b->n += len;
    b->p[b->n] = 0;
    return 0;
}

static void buf_free(buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* What every parser of one top-level message shares. */
typedef struct shared {
    cv_mime_options opt;     /* limits resolved (no zeros) */
    size_t parts;            /* entities started */
    cv_mime_warnings warn;   /* collected warnings */
    const char *trunc;       /* first limit hit, or NULL */
    int failed;              /* a sink or memory error: stop */
    int line_warned;         /* the long-line warning was given */
} shared;

enum phase { PH_HEADERS, PH_MULTI, PH_LEAF };
enum role { R_SKIP, R_TEXT, R_HTML, R_ATTACH, R_EMBED };
enum cte { CTE_NONE, CTE_B64, CTE_QP, CTE_UU };
enum mp { MP_PREAMBLE, MP_PARTS, MP_EPILOGUE };
enum mclass { MC_NOTE, MC_SIGNED, MC_SMIME, MC_REPORT };

/* Attachment data on its way to the sink or to PR_ATTACH_DATA_BIN. */
typedef struct adata {
    int active;      /* begun and not ended */
    size_t att;      /* index in msg->attachments */
    uint64_t id;     /* sink stream id */
    uint64_t size;   /* bytes written */
    buf mem;         /* sink: pending bytes (< SINK_CHUNK); else all the data */
} adata;

typedef struct frame {
    int phase;               /* enum phase */
    /* from the parent, set when pushed */
    int body_ok;             /* may hold the message body */
    int alt_group;           /* id of the multipart/alternative it belongs to, 0: none */
    int no_attach;           /* inside a top-level multipart/signed: no attachments */
    int parent_kind;         /* 0 none, 'm' mixed/other, 'a' alternative, 'r' related,
                                's' signed, 'p' report, 'd' digest */
    int index;               /* position among its siblings */
    const char *rel_start;   /* the related parent's start cid, borrowed */
    /* header block */
    buf hdr;                 /* raw header lines */
    int hdr_lines;           /* header lines seen */
    int hdr_cut;             /* the block hit max_header_size */
    /* multipart */
    char *boundary;          /* owned */
    size_t blen;             /* its length */
    char sub;                /* 'm' 'a' 'r' 's' 'p' 'd' */
    char *start;             /* related start (cid, no <>), owned */
    int mp_state;            /* enum mp */
    int children;            /* parts opened */
    int group_id;            /* for alternative: its id */
    buf pre;                 /* preamble while no part was seen (fallback body) */
    /* leaf */
    int role;                /* enum role */
    int cte;                 /* enum cte */
    int uu_in;               /* x-uuencode: inside begin/end */
    cv_b64_state b64;        /* base64 state */
    cv_qp_state qp;          /* quoted-printable state */
    char charset[64];        /* text charset, "" none */
    buf body;                /* R_TEXT / R_HTML bytes (<= max_body) */
    int body_cut;            /* body hit max_body */
    adata data;              /* R_ATTACH data */
    size_t emb_att;          /* R_EMBED: attachment index */
    cv_mime_parser *emb;     /* R_EMBED: the nested parser */
    int status;              /* collect text: 1 report status, 2 returned headers */
    int pending_eol;         /* a line end waits for the next line */
    char eol[2];             /* its bytes */
    size_t eol_len;          /* 1 or 2 */
} frame;

struct cv_mime_parser {
    shared *sh;              /* shared state */
    int own_sh;              /* this parser allocated sh (top level) */
    unsigned base_depth;     /* nesting depth of this message */
    cv_message *msg;         /* being built */
    frame *fr;               /* open entities, outermost first */
    size_t nfr;              /* open frames */
    size_t capfr;            /* allocated frames */
    buf carry;               /* the current line's bytes not processed yet */
    int cont;                /* next piece continues a line cut by max_line */
    uint64_t total;          /* bytes fed */
    int finished;            /* finish() was called */
    /* body */
    char *text;              /* PR_BODY, UTF-8, owned */
    char *html;              /* PR_HTML, UTF-8, owned */
    size_t html_len;         /* its length */
    int text_taken;          /* a part was chosen for PR_BODY */
    int html_taken;          /* a part was chosen for PR_HTML */
    int body_group;          /* -1: no body yet; >0: the alternative that has it; -2: closed */
    int next_group;          /* alternative ids */
    unsigned att_seq;        /* ATT00001 ... */
    /* class */
    int mclass;              /* enum mclass */
    char report_type[40];    /* multipart/report's report-type */
    buf status;              /* delivery-status / MDN text */
    buf orig_hdrs;           /* the report's text/rfc822-headers part (<= STATUS_MAX) */
    size_t orig_att;         /* the report's returned message/rfc822: index + 1, 0 none */
    adata cap;               /* multipart/signed: the raw entity */
};

/* ---- warnings and limits ---- */

ST_PRINTF(2, 3)
static void warn(shared *sh, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    ST_LOG_INFO(ST_LOG_CONVERT, "mime: %s", tmp);
    for (size_t i = 0; i < sh->warn.n; i++)
        if (strcmp(sh->warn.msg[i], tmp) == 0)
            return;
    if (sh->warn.n >= CV_MIME_MAX_WARNINGS) {
        sh->warn.dropped++;
        return;
    }
    char **nm = realloc(sh->warn.msg, (sh->warn.n + 1) * sizeof *nm);
    if (!nm)
        return;
    sh->warn.msg = nm;
    nm[sh->warn.n] = strdup(tmp);
    if (nm[sh->warn.n])
        sh->warn.n++;
}

static void limit(shared *sh, const char *what)
{
    if (!sh->trunc)
        sh->trunc = what;
    warn(sh, "limit: %s", what);
}

void cv_mime_warnings_clear(cv_mime_warnings *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++)
        free(w->msg[i]);
    free(w->msg);
    memset(w, 0, sizeof *w);
}

static int fail(cv_mime_parser *p)
{
    p->sh->failed = 1;
    return -1;
}

/* ---- attachment data ---- */

static int ad_begin(cv_mime_parser *p, adata *d, size_t att)
{
    memset(d, 0, sizeof *d);
    d->att = att;
    d->active = 1;
    const cv_sink *s = p->sh->opt.sink;
    if (s && s->begin && s->begin(s->ctx, &d->id) != 0) {
        d->active = 0;
        st_error_set("mime: the attachment sink refused a stream");
        return fail(p);
    }
    return 0;
}

static int ad_flush(cv_mime_parser *p, adata *d)
{
    const cv_sink *s = p->sh->opt.sink;
    if (!s || d->mem.n == 0)
        return 0;
    if (s->write && s->write(s->ctx, d->id, d->mem.p, d->mem.n) != 0) {
        st_error_set("mime: the attachment sink failed");
        return fail(p);
    }
    d->mem.n = 0;
    return 0;
}

static int ad_write(cv_mime_parser *p, adata *d, const void *data, size_t len)
{
    if (!d->active || len == 0)
        return 0;
    if (!p->sh->opt.sink && d->size + len > UINT32_MAX - 1) {
        limit(p->sh, "attachment larger than 4 GiB without a sink");
        return 0;
    }
    if (buf_add(&d->mem, data, len) != 0)
        return fail(p);
    d->size += len;
    if (p->sh->opt.sink && d->mem.n >= SINK_CHUNK)
        return ad_flush(p, d);
    return 0;
}

static int ad_end(cv_mime_parser *p, adata *d, int ok)
{
    int rc = 0;
    if (!d->active)
        return 0;
    d->active = 0;
    cv_attachment *a = &p->msg->attachments[d->att];
    const cv_sink *s = p->sh->opt.sink;
    if (s) {
        if (!p->sh->failed)
            rc = ad_flush(p, d);
        if (s->end && s->end(s->ctx, d->id, ok && rc == 0 && !p->sh->failed) != 0 && rc == 0) {
            st_error_set("mime: the attachment sink failed to close a stream");
            rc = fail(p);
        }
        a->data_id = d->id;
    } else if (st_bag_set_bin(a->props, PR_ATTACH_DATA_BIN, d->mem.p, (uint32_t)d->size) != 0) {
        rc = fail(p);
    }
    a->data_size = d->size;
    if (st_bag_set_long(a->props, PR_ATTACH_SIZE,
                        d->size > INT32_MAX ? INT32_MAX : (int32_t)d->size) != 0)
        rc = fail(p);
    buf_free(&d->mem);
    return rc;
}

/* ---- frames ---- */

static void frame_free(frame *f)
{
    buf_free(&f->hdr);
    buf_free(&f->pre);
    buf_free(&f->body);
    buf_free(&f->data.mem);
    free(f->boundary);
    free(f->start);
    cv_mime_parser_free(f->emb);
    memset(f, 0, sizeof *f);
}

static frame *push(cv_mime_parser *p)
{
    if (p->nfr == p->capfr) {
        size_t nc = p->capfr ? p->capfr * 2 : 8;
        frame *nf = realloc(p->fr, nc * sizeof *nf);
        if (!nf) {
            st_error_set("out of memory");
            return NULL;
        }
        p->fr = nf;
        p->capfr = nc;
    }
    frame *f = &p->fr[p->nfr++];
    memset(f, 0, sizeof *f);
    f->phase = PH_HEADERS;
    return f;
}

static int parser_init(cv_mime_parser *p, shared *sh, unsigned depth)
{
    p->sh = sh;
    p->base_depth = depth;
    p->body_group = -1;
    p->msg = cv_message_new();
    if (!p->msg) {
        st_error_set("out of memory");
        return -1;
    }
    frame *f = push(p);
    if (!f)
        return -1;
    f->body_ok = 1;
    sh->parts++;
    return 0;
}

static int new_attachment(cv_mime_parser *p, size_t *idx, uint32_t method, const char *mime,
                          const char *filename)
{
    cv_attachment *a = NULL;
    if (cv_message_add_attachment(p->msg, &a) != 0)
        return fail(p);
    *idx = p->msg->n_attachments - 1;
    if (st_bag_set_long(a->props, PR_ATTACH_METHOD, (int32_t)method) != 0
        || (mime && *mime && st_bag_set_str(a->props, PR_ATTACH_MIME_TAG, mime) != 0)
        || cv_mime__map_attach_name(a->props, filename, mime, ++p->att_seq) != 0
        || st_bag_set_long(a->props, PR_RENDERING_POSITION, -1) != 0)
        return fail(p);
    return 0;
}

static void strip_angles(char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n && (isspace((unsigned char)s[i]) || s[i] == '<'))
        i++;
    while (n > i && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '>'))
        n--;
    memmove(s, s + i, n - i);
    s[n - i] = 0;
}

/* The decoded, trimmed value of a simple field, or NULL. */
static char *field_text(const cv_mime_header *h, const char *name)
{
    const cv_mime_field *f = cv_mime__header_get(h, name);
    char *v = NULL;
    if (!f || cv_mime__decode_text(&v, f->value, f->value_len) != 0)
        return NULL;
    return v;
}

/* Writes the Content-* fields of the top entity and a blank line to the
 * signed capture: the attachment holds the whole multipart/signed entity. */
static int capture_headers(cv_mime_parser *p, const cv_mime_header *h)
{
    for (size_t i = 0; i < h->n; i++) {
        if (strncasecmp(h->f[i].name, "Content-", 8) != 0)
            continue;
        if (ad_write(p, &p->cap, h->f[i].name, strlen(h->f[i].name)) != 0
            || ad_write(p, &p->cap, ": ", 2) != 0
            || ad_write(p, &p->cap, h->f[i].value, h->f[i].value_len) != 0
            || ad_write(p, &p->cap, "\r\n", 2) != 0)
            return -1;
    }
    return ad_write(p, &p->cap, "\r\n", 2);
}

static int can_be_body(cv_mime_parser *p, const frame *f, int html)
{
    if (!f->body_ok || (html ? p->html_taken : p->text_taken))
        return 0;
    return p->body_group == -1 || (f->alt_group != 0 && f->alt_group == p->body_group);
}

static void take_body(cv_mime_parser *p, frame *f, int html)
{
    if (html)
        p->html_taken = 1;
    else
        p->text_taken = 1;
    p->body_group = f->alt_group ? f->alt_group : -2;
}

/* The header block of the top frame ended: decide what the entity is. */
static int end_headers(cv_mime_parser *p)
{
    size_t k = p->nfr - 1;
    frame *f = &p->fr[k];
    cv_mime_header h;
    cv_mime_ctype ct, cd;
    int rc = -1;
    unsigned depth = p->base_depth + (unsigned)k;
    char *cid = NULL, *loc = NULL;

    memset(&ct, 0, sizeof ct);
    memset(&cd, 0, sizeof cd);
    if (cv_mime__header_parse(&h, f->hdr.p ? f->hdr.p : "", f->hdr.n) != 0)
        return fail(p);
    if (k == 0 && cv_mime__map_headers(p->msg, &h, f->hdr.p, f->hdr.n, p->sh->opt.flags) != 0)
        goto oom;

    const cv_mime_field *fct = cv_mime__header_get(&h, "Content-Type");
    if (fct && cv_mime__ctype_parse(&ct, fct->value, fct->value_len) != 0)
        goto oom;
    const char *type = ct.type && strchr(ct.type, '/') ? ct.type : NULL;
    if (!type) {
        if (fct && ct.type && *ct.type)
            warn(p->sh, "bad Content-Type \"%.60s\" read as text/plain", ct.type);
        type = f->parent_kind == 'd' ? "message/rfc822" : "text/plain";
    }
    const cv_mime_field *fcd = cv_mime__header_get(&h, "Content-Disposition");
    if (fcd && cv_mime__ctype_parse(&cd, fcd->value, fcd->value_len) != 0)
        goto oom;
    int disp_attach = cd.type && strcmp(cd.type, "attachment") == 0;
    const char *filename = cv_mime__ctype_param(&cd, "filename");
    if (!filename || !*filename)
        filename = cv_mime__ctype_param(&ct, "name");
    if (filename && !*filename)
        filename = NULL;
    cid = field_text(&h, "Content-ID");
    loc = field_text(&h, "Content-Location");
    if (cid)
        strip_angles(cid);
    if (loc) {
        size_t n = 0;
        for (char *c = loc; *c; c++)
            if (!isspace((unsigned char)*c))
                loc[n++] = *c;
        loc[n] = 0;
    }
    const cv_mime_field *fte = cv_mime__header_get(&h, "Content-Transfer-Encoding");
    int cte = CTE_NONE;
    if (fte) {
        char te[32];
        size_t n = 0;
        for (size_t i = 0; i < fte->value_len && n < sizeof te - 1; i++)
            if (!isspace((unsigned char)fte->value[i]) && fte->value[i] != '"')
                te[n++] = (char)tolower((unsigned char)fte->value[i]);
        te[n] = 0;
        if (strcmp(te, "base64") == 0)
            cte = CTE_B64;
        else if (strcmp(te, "quoted-printable") == 0)
            cte = CTE_QP;
        else if (strcmp(te, "x-uuencode") == 0 || strcmp(te, "uuencode") == 0
                 || strcmp(te, "x-uue") == 0)
            cte = CTE_UU;
        else if (strcmp(te, "7bit") != 0 && strcmp(te, "8bit") != 0 && strcmp(te, "binary") != 0
                 && n > 0)
            warn(p->sh, "unknown Content-Transfer-Encoding \"%s\" read as 8bit", te);
    }

    /* Related: is this the root? */
    int related_root = 0;
    if (f->parent_kind == 'r') {
        if (f->rel_start && *f->rel_start)
            related_root = cid && strcmp(cid, f->rel_start) == 0;
        else
            related_root = f->index == 0;
        if (!related_root)
            f->body_ok = 0;
    }

    if (strncmp(type, "multipart/", 10) == 0) {
        const char *b = cv_mime__ctype_param(&ct, "boundary");
        if (b && *b && depth + 1 <= p->sh->opt.max_depth) {
            const char *st = type + 10;
            f->phase = PH_MULTI;
            f->mp_state = MP_PREAMBLE;
            f->boundary = strdup(b);
            if (!f->boundary)
                goto oom;
            f->blen = strlen(b);
            f->sub = strcmp(st, "alternative") == 0 ? 'a'
                     : strcmp(st, "related") == 0 ? 'r'
                     : strcmp(st, "signed") == 0 ? 's'
                     : strcmp(st, "report") == 0 ? 'p'
                     : strcmp(st, "digest") == 0 ? 'd' : 'm';
            if (f->sub == 'a')
                f->group_id = ++p->next_group;
            if (f->sub == 'r') {
                const char *s = cv_mime__ctype_param(&ct, "start");
                if (s) {
                    f->start = strdup(s);
                    if (!f->start)
                        goto oom;
                    strip_angles(f->start);
                }
            }
            if (k == 0 && f->sub == 's') {
                size_t idx;
                p->mclass = MC_SIGNED;
                if (new_attachment(p, &idx, ATTACH_BY_VALUE, "multipart/signed", "smime.p7m") != 0
                    || ad_begin(p, &p->cap, idx) != 0 || capture_headers(p, &h) != 0)
                    goto fail;
                f->no_attach = 1;
            }
            if (k == 0 && f->sub == 'p') {
                const char *rt = cv_mime__ctype_param(&ct, "report-type");
                p->mclass = MC_REPORT;
                snprintf(p->report_type, sizeof p->report_type, "%s", rt ? rt : "");
                for (char *c = p->report_type; *c; c++)
                    *c = (char)tolower((unsigned char)*c);
            }
            rc = 0;
            goto done;
        }
        if (!b || !*b) {
            warn(p->sh, "%s without a boundary read as text/plain", type);
            type = "text/plain";
        } else {
            limit(p->sh, "nesting too deep");
            cte = CTE_NONE; /* kept as it is, as one attachment */
        }
    }

    f->phase = PH_LEAF;
    f->cte = cte;
    const char *cs = cv_mime__ctype_param(&ct, "charset");
    if (cs && strncasecmp(cs, "charset=", 8) == 0) /* seen in the wild */
        cs += 8;
    size_t csl = cs ? strlen(cs) : 0;   /* cut to fit, like snprintf (which cost 500) */
    if (csl >= sizeof f->charset)
        csl = sizeof f->charset - 1;
    memcpy(f->charset, cs ? cs : "", csl);
    f->charset[csl] = 0;
    int is_text = strcmp(type, "text/plain") == 0, is_html = strcmp(type, "text/html") == 0;
    int is_msg = strcmp(type, "message/rfc822") == 0 || strcmp(type, "message/global") == 0;
    int in_alt = f->parent_kind == 'a';

    if (f->no_attach && !(is_text || is_html)) {
        f->role = R_SKIP;
    } else if ((is_text || is_html) && !disp_attach && (!filename || in_alt || related_root)
               && can_be_body(p, f, is_html)) {
        f->role = is_html ? R_HTML : R_TEXT;
        take_body(p, f, is_html);
    } else if (f->no_attach) {
        f->role = R_SKIP;
    } else if (in_alt && strncmp(type, "text/", 5) == 0 && strcmp(type, "text/calendar") != 0) {
        f->role = R_SKIP; /* another rendering of a body we have (or chose) */
    } else if (is_msg && depth + 1 <= p->sh->opt.max_depth && cte != CTE_UU) {
        size_t idx;
        if (new_attachment(p, &idx, ATTACH_EMBEDDED_MSG, "message/rfc822", filename) != 0)
            goto fail;
        cv_mime_parser *sub = calloc(1, sizeof *sub);
        if (!sub) {
            st_error_set("out of memory");
            goto fail;
        }
        f->emb = sub;
        if (parser_init(sub, p->sh, depth + 1) != 0)
            goto fail;
        f->role = R_EMBED;
        f->emb_att = idx;
        if (k == 1 && f->parent_kind == 'p' && p->mclass == MC_REPORT && !p->orig_att)
            p->orig_att = idx + 1;
    } else {
        const char *mime = type;
        size_t idx;
        int pkcs7 = strcmp(type, "application/pkcs7-mime") == 0
                    || strcmp(type, "application/x-pkcs7-mime") == 0;
        if (strcmp(type, "application/vnd.ms-tnef") == 0 || strcmp(type, "application/ms-tnef") == 0) {
            mime = "application/ms-tnef";
            if (!filename)
                filename = "winmail.dat";
        }
        if (is_msg)
            limit(p->sh, "nesting too deep");
        if (k == 0 && pkcs7) {
            p->mclass = MC_SMIME;
            mime = "application/pkcs7-mime";
            filename = "smime.p7m";
        }
        if (new_attachment(p, &idx, ATTACH_BY_VALUE, mime, filename) != 0)
            goto fail;
        st_bag *ap = p->msg->attachments[idx].props;
        if ((cid && *cid && st_bag_set_str(ap, PR_ATTACH_CONTENT_ID, cid) != 0)
            || (loc && *loc && st_bag_set_str(ap, PR_ATTACH_CONTENT_LOCATION, loc) != 0))
            goto oom;
        if (f->parent_kind == 'r' && !related_root && ((cid && *cid) || (loc && *loc))) {
            if (st_bag_set_bool(ap, PR_ATTACHMENT_HIDDEN, 1) != 0
                || st_bag_set_long(ap, PR_ATTACH_FLAGS, (int32_t)ATT_MHTML_REF) != 0)
                goto oom;
        }
        if (ad_begin(p, &f->data, idx) != 0)
            goto fail;
        f->role = R_ATTACH;
        if (strcmp(type, "message/delivery-status") == 0
            || strcmp(type, "message/disposition-notification") == 0)
            f->status = 1;
        else if (k == 1 && f->parent_kind == 'p' && p->mclass == MC_REPORT
                 && strcmp(type, "text/rfc822-headers") == 0 && p->orig_hdrs.n == 0)
            f->status = 2;
    }
    rc = 0;
    goto done;
oom:
    fail(p);
fail:
    rc = -1;
done:
    free(cid);
    free(loc);
    cv_mime__ctype_clear(&ct);
    cv_mime__ctype_clear(&cd);
    cv_mime__header_clear(&h);
    buf_free(&p->fr[k].hdr);
    return rc;
}

/* ---- leaf data ---- */

static int output_any(cv_mime_parser *p, frame *f, const void *data, size_t len);

/* A leaf's decoded bytes to where its role sends them. Inline: the fast
 * path, taken by almost every line of a text body (no report text to
 * collect, room in the buffer and under max_body), makes the same bytes as
 * output_any's buf_add. */
static inline int output(cv_mime_parser *p, frame *f, const void *data, size_t len)
{
    if ((f->role == R_TEXT || f->role == R_HTML) && f->status == 0
        && f->body.n + len < f->body.cap && f->body.n + len <= p->sh->opt.max_body) {
        memcpy(f->body.p + f->body.n, data, len);
        f->body.n += len;
        f->body.p[f->body.n] = 0;
        return 0;
    }
    return output_any(p, f, data, len);
}

static int output_any(cv_mime_parser *p, frame *f, const void *data, size_t len)
{
    if (len == 0)
        return 0;
    buf *sb = f->status == 1 ? &p->status : f->status == 2 ? &p->orig_hdrs : NULL;
    if (sb && sb->n < STATUS_MAX) {
        size_t take = STATUS_MAX - sb->n < len ? STATUS_MAX - sb->n : len;
        if (buf_add(sb, data, take) != 0)
            return fail(p);
    }
    switch (f->role) {
    case R_TEXT:
    case R_HTML:
        if (f->body.n + len > p->sh->opt.max_body) {
            if (!f->body_cut)
                limit(p->sh, "body larger than max_body");
            f->body_cut = 1;
            len = p->sh->opt.max_body - f->body.n;
        }
        if (len && buf_add(&f->body, data, len) != 0)
            return fail(p);
        return 0;
    case R_ATTACH:
        return ad_write(p, &f->data, data, len);
    case R_EMBED:
        return cv_mime_parser_feed(f->emb, data, len) == 0 ? 0 : fail(p);
    default:
        return 0;
    }
}

/* One line of x-uuencode ("begin 644 name" ... "end"). */
static int uu_line(cv_mime_parser *p, frame *f, const char *s, size_t n)
{
    uint8_t out[64];
    size_t o = 0;

    if (!f->uu_in) {
        if (n >= 6 && strncmp(s, "begin ", 6) == 0)
            f->uu_in = 1;
        return 0;
    }
    if (n >= 3 && strncmp(s, "end", 3) == 0 && (n == 3 || isspace((unsigned char)s[3]))) {
        f->uu_in = 0;
        return 0;
    }
    if (n == 0)
        return 0;
    size_t want = (size_t)(((unsigned char)s[0] - 32) & 63);
    for (size_t i = 1; o < want && i < n; i += 4) {
        unsigned c[4];
        for (int k = 0; k < 4; k++)
            c[k] = i + (size_t)k < n ? (((unsigned char)s[i + (size_t)k] - 32) & 63) : 0;
        uint8_t b[3] = { (uint8_t)(c[0] << 2 | c[1] >> 4), (uint8_t)(c[1] << 4 | c[2] >> 2),
                         (uint8_t)(c[2] << 6 | c[3]) };
        for (int k = 0; k < 3 && o < want && o < sizeof out; k++)
            out[o++] = b[k];
    }
    return output(p, f, out, o);
}

static int leaf_piece(cv_mime_parser *p, frame *f, const char *s, size_t n, int at_eol)
{
    uint8_t tmp[4096 + 8];

    switch (f->cte) {
    case CTE_B64:
        while (n > 0) {
            size_t take = n > 4096 ? 4096 : n;
            size_t o = cv_mime__b64_decode(&f->b64, tmp, s, take);
            if (output(p, f, tmp, o) != 0)
                return -1;
            s += take;
            n -= take;
        }
        return 0;
    case CTE_QP:
        if (at_eol)
            while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                n--;
        do {
            size_t take = n > 4096 ? 4096 : n;
            size_t o = cv_mime__qp_decode(&f->qp, tmp, s, take, at_eol && take == n);
            if (output(p, f, tmp, o) != 0)
                return -1;
            s += take;
            n -= take;
        } while (n > 0);
        return 0;
    case CTE_UU:
        return uu_line(p, f, s, n);
    default:
        return output(p, f, s, n);
    }
}

static int leaf_eol(cv_mime_parser *p, frame *f)
{
    uint8_t tmp[4];

    switch (f->cte) {
    case CTE_QP: {
        size_t o = cv_mime__qp_eol(&f->qp, tmp);
        return output(p, f, tmp, o);
    }
    case CTE_NONE:
        return output(p, f, f->eol, f->eol_len);
    default:
        return 0;
    }
}

static int leaf_line(cv_mime_parser *p, frame *f, const char *s, size_t n, const char *eol,
                     size_t eol_len)
{
    if (f->role == R_SKIP)
        return 0;
    if (f->pending_eol) {
        f->pending_eol = 0;
        if (leaf_eol(p, f) != 0)
            return -1;
    }
    if (leaf_piece(p, f, s, n, eol_len > 0) != 0)
        return -1;
    if (eol_len) {
        f->pending_eol = 1;
        f->eol_len = eol_len > 2 ? 2 : eol_len;
        memcpy(f->eol, eol, f->eol_len);
    }
    return 0;
}

/* Bare LF -> CRLF, as MAPI bodies have it. Lines are found with memchr
 * and copied whole (bodies are most of the bytes of a message). */
static char *crlf(const char *s)
{
    size_t n = strlen(s), lf = 0;
    for (const char *q = memchr(s, '\n', n); q; q = memchr(q + 1, '\n', n - (size_t)(q + 1 - s)))
        lf += q == s || q[-1] != '\r';
    char *o = malloc(n + lf + 1);
    if (!o) {
        st_error_set("out of memory");
        return NULL;
    }
    if (!lf) {
        memcpy(o, s, n + 1);
        return o;
    }
    size_t j = 0, i = 0;
    for (const char *q = memchr(s, '\n', n); q; q = memchr(s + i, '\n', n - i)) {
        size_t k = (size_t)(q - s);
        memcpy(o + j, s + i, k - i);
        j += k - i;
        if (k == 0 || s[k - 1] != '\r')
            o[j++] = '\r';
        o[j++] = '\n';
        i = k + 1;
    }
    memcpy(o + j, s + i, n - i);
    o[j + n - i] = 0;
    return o;
}

/* crlf of *s, taking *s over (set to NULL) when it has no bare LF. */
static char *crlf_take(char **s)
{
    const char *lf = strchr(*s, '\n');
    while (lf && lf > *s && lf[-1] == '\r')
        lf = strchr(lf + 1, '\n');
    if (lf)
        return crlf(*s);
    char *t = *s;
    *s = NULL;
    return t;
}

static int finish_msg(cv_mime_parser *p, cv_message **out);

static int end_leaf(cv_mime_parser *p, frame *f)
{
    uint8_t tmp[4];

    if (f->cte == CTE_B64) {
        size_t o = cv_mime__b64_flush(&f->b64, tmp);
        if (output(p, f, tmp, o) != 0)
            return -1;
    } else if (f->cte == CTE_QP && f->qp.nhold > 0) {
        /* "=X" at the very end is kept as text; a lone "=" is a soft break */
        tmp[0] = '=';
        tmp[1] = (uint8_t)f->qp.hold[1];
        if (f->qp.nhold == 2 && output(p, f, tmp, 2) != 0)
            return -1;
        f->qp.nhold = 0;
    }
    if (f->role == R_TEXT || f->role == R_HTML) {
        char *u = NULL;
        size_t ul = 0;
        int unknown = 0;
        if (f->body.p && cv_mime__charset_is_utf8(f->charset)
            && st_utf8_valid(f->body.p, f->body.n)) {
            u = f->body.p;   /* already what cv_mime__to_utf8 would copy: taken over */
            ul = f->body.n;
            f->body.p = NULL;
            f->body.n = f->body.cap = 0;
        } else if (cv_mime__to_utf8(&u, &ul, f->charset, f->body.p ? f->body.p : "", f->body.n,
                                    &unknown) != 0) {
            return fail(p);
        }
        if (unknown)
            warn(p->sh, "unknown charset \"%.40s\" read as windows-1252", f->charset);
        if (f->role == R_TEXT) {
            free(p->text);
            p->text = u;
        } else {
            free(p->html);
            p->html = u;
            p->html_len = ul;
        }
        return 0;
    }
    if (f->role == R_ATTACH)
        return ad_end(p, &f->data, 1);
    if (f->role == R_EMBED && f->emb) {
        cv_message *m = NULL;
        uint64_t size = f->emb->total;
        int rc = finish_msg(f->emb, &m);
        cv_mime_parser_free(f->emb);
        f->emb = NULL;
        if (rc != 0)
            return fail(p);
        cv_attachment *a = &p->msg->attachments[f->emb_att];
        a->embedded = m;
        const st_value *subj = st_bag_get(m->props, PR_SUBJECT);
        if ((subj && *subj->v.str && st_bag_set_str(a->props, PR_DISPLAY_NAME, subj->v.str) != 0)
            || st_bag_set_long(a->props, PR_ATTACH_SIZE,
                               size > INT32_MAX ? INT32_MAX : (int32_t)size) != 0)
            return fail(p);
    }
    return 0;
}

/* Closes the innermost frame. */
static int end_frame(cv_mime_parser *p)
{
    int rc = 0;
    size_t k = p->nfr - 1;

    if (p->fr[k].phase == PH_HEADERS)
        rc = end_headers(p);
    frame *f = &p->fr[k];
    if (rc == 0 && f->phase == PH_LEAF)
        rc = end_leaf(p, f);
    if (rc == 0 && f->phase == PH_MULTI) {
        if (f->children == 0) {
            warn(p->sh, "a multipart without any part (its boundary never came)");
            if (f->pre.n > 0 && can_be_body(p, f, 0)) {
                char *u = NULL;
                if (cv_mime__to_utf8(&u, NULL, NULL, f->pre.p, f->pre.n, NULL) != 0) {
                    rc = fail(p);
                } else {
                    take_body(p, f, 0);
                    free(p->text);
                    p->text = u;
                }
            }
        } else if (f->mp_state != MP_EPILOGUE) {
            warn(p->sh, "missing closing boundary");
        }
    }
    if (f->data.active)
        ad_end(p, &f->data, 0);
    frame_free(f);
    p->nfr--;
    return rc;
}

static int push_child(cv_mime_parser *p, size_t k)
{
    int skip = 0;

    if (p->sh->parts >= p->sh->opt.max_parts) {
        limit(p->sh, "too many parts");
        skip = 1;
    } else {
        p->sh->parts++;
    }
    frame *c = push(p);
    if (!c)
        return fail(p);
    frame *f = &p->fr[k];
    buf_free(&f->pre); /* a part came: the preamble is not the body */
    c->parent_kind = f->sub;
    c->index = f->children++;
    c->no_attach = f->no_attach;
    c->rel_start = f->start;
    c->body_ok = f->body_ok && f->sub != 'd' && !((f->sub == 's' || f->sub == 'p') && c->index > 0);
    c->alt_group = f->sub == 'a' ? f->group_id : f->sub == 'd' ? 0 : f->alt_group;
    if (skip) {
        c->phase = PH_LEAF;
        c->role = R_SKIP;
    }
    return 0;
}

static int is_field_start(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ':') {
        unsigned char c = (unsigned char)s[i];
        if (c <= 32 || c >= 127)
            break;
        i++;
    }
    size_t name = i;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return name > 0 && i < n && s[i] == ':';
}

static int dispatch(cv_mime_parser *p, const char *s, size_t n, const char *eol, size_t eol_len,
                    int cont);

static int header_line(cv_mime_parser *p, const char *s, size_t n, const char *eol,
                       size_t eol_len, int cont)
{
    frame *t = &p->fr[p->nfr - 1];

    if (!cont && n == 0)
        return end_headers(p);
    if (!cont) {
        int wsp = s[0] == ' ' || s[0] == '\t';
        if (t->hdr_lines == 0) {
            if (p->nfr == 1 && n >= 5 && memcmp(s, "From ", 5) == 0)
                return 0; /* mbox separator */
            if (!is_field_start(s, n) && !wsp) {
                /* no header block: the entity starts with its body */
                if (end_headers(p) != 0)
                    return -1;
                return dispatch(p, s, n, eol, eol_len, cont);
            }
        } else if (!wsp && !is_field_start(s, n)) {
            /* a folded line that lost its white space: keep it folded */
            if (!t->hdr_cut && t->hdr.n + 1 < p->sh->opt.max_header_size
                && buf_add(&t->hdr, " ", 1) != 0)
                return fail(p);
        }
    }
    if (t->hdr_cut)
        return 0;
    if (t->hdr.n + n + eol_len + 1 > p->sh->opt.max_header_size) {
        t->hdr_cut = 1;
        limit(p->sh, "header block larger than max_header_size");
        return 0;
    }
    if (buf_add(&t->hdr, s, n) != 0 || buf_add(&t->hdr, eol_len ? eol : "\r\n", eol_len ? eol_len : 0) != 0)
        return fail(p);
    t->hdr_lines++;
    return 0;
}

static int dispatch(cv_mime_parser *p, const char *s, size_t n, const char *eol, size_t eol_len,
                    int cont)
{
    frame *t = &p->fr[p->nfr - 1];

    switch (t->phase) {
    case PH_HEADERS:
        return header_line(p, s, n, eol, eol_len, cont);
    case PH_MULTI:
        if (t->children == 0 && t->mp_state == MP_PREAMBLE
            && t->pre.n + n + eol_len <= p->sh->opt.max_body
            && (buf_add(&t->pre, s, n) != 0 || buf_add(&t->pre, eol, eol_len) != 0))
            return fail(p);
        return 0;
    default:
        return leaf_line(p, t, s, n, eol, eol_len);
    }
}

/* Is s (a line without its end) "--" boundary ["--"] [white space]? 1 a
 * part starts, 2 the closing one, 0 no. */
static int boundary_match(const frame *f, const char *s, size_t n)
{
    if (n < 2 + f->blen || memcmp(s + 2, f->boundary, f->blen) != 0)
        return 0;
    size_t i = 2 + f->blen;
    int closing = 0;
    if (i + 1 < n + 0 && s[i] == '-' && s[i + 1] == '-') {
        closing = 1;
        i += 2;
    }
    for (; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return closing ? 2 : 1;
}

static int process_line(cv_mime_parser *p, const char *s, size_t n, const char *eol,
                        size_t eol_len, int cont)
{
    if (p->sh->failed)
        return -1;
    if (!cont && n >= 2 && s[0] == '-' && s[1] == '-') {
        for (size_t k = p->nfr; k-- > 0;) {
            frame *f = &p->fr[k];
            if (f->phase != PH_MULTI)
                continue;
            int m = boundary_match(f, s, n);
            if (!m)
                continue;
            if (p->cap.active
                && (ad_write(p, &p->cap, s, n) != 0 || ad_write(p, &p->cap, eol, eol_len) != 0))
                return -1;
            while (p->nfr - 1 > k)
                if (end_frame(p) != 0)
                    return -1;
            f = &p->fr[k];
            if (m == 2) {
                f->mp_state = MP_EPILOGUE;
                return 0;
            }
            f->mp_state = MP_PARTS;
            return push_child(p, k);
        }
    }
    if (p->cap.active && !(p->nfr == 1 && p->fr[0].phase == PH_HEADERS)
        && (ad_write(p, &p->cap, s, n) != 0 || ad_write(p, &p->cap, eol, eol_len) != 0))
        return -1;
    return dispatch(p, s, n, eol, eol_len, cont);
}

/* A complete line in s[0..n) including its '\n' (or a piece without one). */
static int line_or_piece(cv_mime_parser *p, const char *s, size_t n, int has_nl)
{
    int cont = p->cont;
    if (has_nl) {
        size_t eol = n >= 2 && s[n - 2] == '\r' ? 2 : 1;
        p->cont = 0;
        return process_line(p, s, n - eol, s + n - eol, eol, cont);
    }
    if (!p->sh->line_warned) {
        /* nothing is lost (the pieces follow each other), so not a limit */
        p->sh->line_warned = 1;
        warn(p->sh, "a line longer than max_line was read in pieces");
    }
    p->cont = 1;
    return process_line(p, s, n, "", 0, cont);
}

/* ---- the public face ---- */

static void resolve(cv_mime_options *o, const cv_mime_options *in)
{
    memset(o, 0, sizeof *o);
    if (in)
        *o = *in;
    if (!o->max_depth)
        o->max_depth = CV_MIME_DEFAULT_MAX_DEPTH;
    if (!o->max_header_size)
        o->max_header_size = CV_MIME_DEFAULT_MAX_HEADER;
    if (!o->max_parts)
        o->max_parts = CV_MIME_DEFAULT_MAX_PARTS;
    if (!o->max_line)
        o->max_line = CV_MIME_DEFAULT_MAX_LINE;
    if (o->max_line < 80)
        o->max_line = 80; /* a boundary line must fit */
    if (!o->max_body)
        o->max_body = CV_MIME_DEFAULT_MAX_BODY;
}

int cv_mime_parser_new(cv_mime_parser **out, const cv_mime_options *opts)
{
    cv_mime_parser *p = calloc(1, sizeof *p);
    shared *sh = calloc(1, sizeof *sh);

    *out = NULL;
    if (!p || !sh) {
        free(p);
        free(sh);
        st_error_set("out of memory");
        return -1;
    }
    resolve(&sh->opt, opts);
    p->own_sh = 1;
    if (parser_init(p, sh, 0) != 0) {
        cv_mime_parser_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

/* Fast path for the lines of a text body (most lines of most messages):
 * while the innermost entity is a text part without transfer encoding,
 * complete lines (at most max_line with their end, not starting with
 * "--", not continuing a cut line) go straight to the body with exactly
 * the calls leaf_line makes for them, skipping line_or_piece,
 * process_line and dispatch. Any other line is left to those: *used is
 * the bytes taken. -1 when output failed. */
static int text_lines(cv_mime_parser *p, const char *d, size_t len, size_t *used)
{
    frame *f = &p->fr[p->nfr - 1];
    size_t max = p->sh->opt.max_line, u = 0;

    *used = 0;
    if (p->cont || p->cap.active || f->phase != PH_LEAF || f->cte != CTE_NONE
        || (f->role != R_TEXT && f->role != R_HTML) || f->status != 0)
        return 0;
    while (u < len) {
        size_t rest = len - u, lim = rest < max ? rest : max;
        const char *s = d + u, *nl = memchr(s, '\n', lim);
        if (!nl || (s[0] == '-' && nl - s >= 2 && s[1] == '-'))
            break;
        size_t ll = (size_t)(nl - s) + 1, eol = ll >= 2 && s[ll - 2] == '\r' ? 2 : 1;
        if ((f->pending_eol && output(p, f, f->eol, f->eol_len) != 0)
            || output(p, f, s, ll - eol) != 0)
            return -1;
        f->pending_eol = 1;
        f->eol_len = eol;
        memcpy(f->eol, s + ll - eol, eol);
        u += ll;
    }
    *used = u;
    return 0;
}

int cv_mime_parser_feed(cv_mime_parser *p, const void *data, size_t len)
{
    const char *d = data;
    size_t max = p->sh->opt.max_line;

    if (p->sh->failed || p->finished)
        return -1;
    p->total += len;
    while (len > 0) {
        if (p->carry.n == 0) {
            size_t used;
            if (text_lines(p, d, len, &used) != 0)
                return -1;
            d += used;
            len -= used;
            if (len == 0)
                break;
            size_t lim = len < max ? len : max;
            const char *nl = memchr(d, '\n', lim);
            if (nl) {
                size_t ll = (size_t)(nl - d) + 1;
                if (line_or_piece(p, d, ll, 1) != 0)
                    return -1;
                d += ll;
                len -= ll;
            } else if (len >= max) {
                if (line_or_piece(p, d, max, 0) != 0)
                    return -1;
                d += max;
                len -= max;
            } else {
                if (buf_add(&p->carry, d, len) != 0)
                    return fail(p);
                break;
            }
        } else {
            size_t room = max - p->carry.n;
            size_t lim = len < room ? len : room;
            const char *nl = memchr(d, '\n', lim);
            size_t take = nl ? (size_t)(nl - d) + 1 : lim;
            if (buf_add(&p->carry, d, take) != 0)
                return fail(p);
            d += take;
            len -= take;
            if (nl || p->carry.n >= max) {
                int rc = line_or_piece(p, p->carry.p, p->carry.n, nl != NULL);
                p->carry.n = 0;
                if (rc != 0)
                    return -1;
            }
        }
    }
    return 0;
}

/* The class of a report, [MS-OXCMAIL] 2.2.3.7.1.1 as we read it: the most
 * severe Action wins (2.2.3.7.1.1: failed > delayed > relayed > expanded >
 * delivered);
 * a report whose actions we cannot read stays IPM.Note. MDNs: "displayed"
 * is a read receipt, anything else a non-read one. */
static const char *report_class(cv_mime_parser *p)
{
    static const struct {
        const char *action;
        const char *cls;
    } sev[] = {
        { "failed", "REPORT.IPM.Note.NDR" },          { "delayed", "REPORT.IPM.Note.Delayed.DR" },
        { "relayed", "REPORT.IPM.Note.Relayed.DR" },  { "expanded", "REPORT.IPM.Note.Expanded.DR" },
        { "delivered", "REPORT.IPM.Note.DR" },
    };
    const char *s = p->status.p ? p->status.p : "";
    int best = -1, displayed = 0, any_disp = 0;

    for (const char *l = s; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        if (n > 7 && strncasecmp(l, "Action:", 7) == 0) {
            size_t i = 7;
            while (i < n && isspace((unsigned char)l[i]))
                i++;
            for (int k = 0; k < (int)(sizeof sev / sizeof sev[0]); k++)
                if (n - i >= strlen(sev[k].action)
                    && strncasecmp(l + i, sev[k].action, strlen(sev[k].action)) == 0
                    && (best < 0 || k < best))
                    best = k;
        }
        if (n > 12 && strncasecmp(l, "Disposition:", 12) == 0) {
            any_disp = 1;
            for (size_t i = 12; i + 9 <= n; i++)
                if (strncasecmp(l + i, "displayed", 9) == 0)
                    displayed = 1;
        }
        l = e ? e + 1 : l + n;
    }
    if (strcmp(p->report_type, "delivery-status") == 0)
        return best >= 0 ? sev[best].cls : "IPM.Note";
    if (strcmp(p->report_type, "disposition-notification") == 0 && any_disp)
        return displayed ? "REPORT.IPM.Note.IPNRN" : "REPORT.IPM.Note.IPNNRN";
    return "IPM.Note";
}

/* The report properties of a REPORT.* message (mime_report.c): rows and
 * codes from the status part, PR_ORIGINAL_* from the returned message (or
 * its headers), PR_REPORT_TEXT from the human-readable part (PR_BODY). */
static int map_report(cv_mime_parser *p)
{
    cv_mime_report_stats st = { 0 };
    int dsn = strcmp(p->report_type, "delivery-status") == 0;
    const char *s = p->status.p ? p->status.p : "";

    if ((dsn ? cv_mime__map_dsn(p->msg, s, p->status.n, &st)
             : cv_mime__map_mdn(p->msg, s, p->status.n, &st)) != 0)
        return -1;
    if (st.malformed)
        warn(p->sh, "report: %zu per-recipient block(s) without recipient or action skipped",
             st.malformed);
    if (st.dropped)
        warn(p->sh, "report: %zu recipient block(s) past %u dropped", st.dropped,
             CV_MIME_REPORT_MAX_ROWS);
    if (st.cut)
        warn(p->sh, "report: %zu field value(s) cut to %u bytes", st.cut,
             CV_MIME_REPORT_MAX_FIELD);
    const cv_message *orig = p->orig_att && p->orig_att <= p->msg->n_attachments
                                 ? p->msg->attachments[p->orig_att - 1].embedded : NULL;
    if (orig ? cv_mime__map_original(p->msg->props, orig->props) != 0
             : p->orig_hdrs.n > 0
                   && cv_mime__map_original_headers(p->msg->props, p->orig_hdrs.p,
                                                    p->orig_hdrs.n) != 0)
        return -1;
    if (p->text) {
        char *t = crlf(p->text);
        if (!t)
            return -1;
        int r = st_bag_set_str(p->msg->props, PR_REPORT_TEXT, t);
        free(t);
        if (r != 0)
            return -1;
    }
    return 0;
}

/* Ends the input of p and builds its message. */
static int finish_msg(cv_mime_parser *p, cv_message **out)
{
    int rc = 0;

    *out = NULL;
    if (p->finished)
        return -1;
    if (!p->sh->failed && p->carry.n > 0) {
        /* the last line, without its end */
        rc = process_line(p, p->carry.p, p->carry.n, "", 0, p->cont);
        p->carry.n = 0;
    }
    p->finished = 1;
    while (p->nfr > 0)
        if (end_frame(p) != 0)
            rc = -1;
    if (p->cap.active && ad_end(p, &p->cap, 1) != 0)
        rc = -1;
    if (rc != 0 || p->sh->failed)
        return -1;

    st_bag *bag = p->msg->props;
    const char *cls = p->mclass == MC_SIGNED ? "IPM.Note.SMIME.MultipartSigned"
                      : p->mclass == MC_SMIME ? "IPM.Note.SMIME"
                      : p->mclass == MC_REPORT ? report_class(p) : "IPM.Note";
    if (st_bag_set_str(bag, PR_MESSAGE_CLASS, cls) != 0)
        return fail(p);
    if (strncmp(cls, "REPORT.", 7) == 0 && map_report(p) != 0)
        return fail(p);
    int had_text = p->text != NULL;
    if (p->text || (p->own_sh && p->sh->trunc)) {
        /* the text body goes into the bag without a copy when it can */
        char *t = p->text ? crlf_take(&p->text) : crlf("");
        if (!t)
            return fail(p);
        if (p->own_sh && p->sh->trunc) {
            size_t tl = strlen(t);
            size_t nl = tl + strlen(p->sh->trunc) + 64;
            char *nt = realloc(t, nl);
            if (!nt) {
                free(t);
                return fail(p);
            }
            t = nt;
            snprintf(t + tl, nl - tl, "%s[X-mapidav-truncated: %s]\r\n",
                     tl && t[tl - 1] != '\n' ? "\r\n" : "", p->sh->trunc);
        }
        if (st_bag_take_strn(bag, PR_BODY, t, strlen(t)) != 0)
            return fail(p);
    }
    if (p->html && st_bag_set_bin(bag, PR_HTML, p->html, (uint32_t)p->html_len) != 0)
        return fail(p);
    if ((had_text || p->html) && st_bag_set_long(bag, PR_INTERNET_CPID, 65001) != 0)
        return fail(p);
    int visible = 0;
    for (size_t i = 0; i < p->msg->n_attachments; i++) {
        const st_value *h = st_bag_get(p->msg->attachments[i].props, PR_ATTACHMENT_HIDDEN);
        if (!h || !h->v.b)
            visible = 1;
    }
    if (st_bag_set_bool(bag, PR_HASATTACH, visible) != 0
        || st_bag_set_long(bag, PR_MESSAGE_FLAGS, visible ? (int32_t)MSGFLAG_HASATTACH : 0) != 0
        || st_bag_set_long(bag, PR_MESSAGE_SIZE,
                           p->total > INT32_MAX ? INT32_MAX : (int32_t)p->total) != 0)
        return fail(p);
    *out = p->msg;
    p->msg = NULL;
    return 0;
}

int cv_mime_parser_finish(cv_mime_parser *p, cv_message **out, cv_mime_warnings *warnings)
{
    int rc = finish_msg(p, out);

    if (warnings) {
        *warnings = p->sh->warn;
        memset(&p->sh->warn, 0, sizeof p->sh->warn);
    }
    if (rc != 0)
        return -1;
    return p->sh->trunc ? CV_ELIMIT : 0;
}

void cv_mime_parser_free(cv_mime_parser *p)
{
    if (!p)
        return;
    const cv_sink *s = p->sh ? p->sh->opt.sink : NULL;
    for (size_t k = 0; k < p->nfr; k++) {
        if (p->fr[k].data.active && s && s->end)
            s->end(s->ctx, p->fr[k].data.id, 0);
        frame_free(&p->fr[k]);
    }
    if (p->cap.active && s && s->end)
        s->end(s->ctx, p->cap.id, 0);
    buf_free(&p->cap.mem);
    free(p->fr);
    buf_free(&p->carry);
    buf_free(&p->status);
    buf_free(&p->orig_hdrs);
    free(p->text);
    free(p->html);
    cv_message_free(p->msg);
    if (p->own_sh && p->sh) {
        cv_mime_warnings_clear(&p->sh->warn);
        free(p->sh);
    }
    free(p);
}

int cv_mime_parse(cv_message **out, const void *data, size_t len, const cv_mime_options *opts,
                  cv_mime_warnings *warnings)
{
    cv_mime_parser *p = NULL;
    int rc;

    *out = NULL;
    if (warnings)
        memset(warnings, 0, sizeof *warnings);
    if (cv_mime_parser_new(&p, opts) != 0)
        return -1;
    if (cv_mime_parser_feed(p, data, len) != 0) {
        cv_mime_parser_finish(p, out, warnings);
        cv_message_free(*out);
        *out = NULL;
        cv_mime_parser_free(p);
        return -1;
    }
    rc = cv_mime_parser_finish(p, out, warnings);
    cv_mime_parser_free(p);
    return rc;
}
