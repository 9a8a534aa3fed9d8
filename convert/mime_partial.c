/*
 * mime_partial.c: message/partial fragments joined back into the message
 * they were split from (RFC 2046 5.2.2, cv_mime_partial_join in mime.h).
 *
 * The rule of RFC 2046 5.2.2.1: the result's header is the outer header of
 * fragment 1, except that its Content-*, Subject, Message-ID, Encrypted and
 * MIME-Version fields are dropped and those of the header enclosed in
 * fragment 1 are put in their place (each where its outer namesake stood,
 * the others after the outer fields), the enclosed header's other fields
 * being ignored; the body is the enclosed
 * body of fragment 1 followed by the bodies of fragments 2..total, byte
 * for byte. Header lines keep their folding and line ends.
 *
 * Never: guess a missing fragment or a total (refused with CV_EPARSE and a
 * message naming what is wrong); trust number or total beyond the count
 * of fragments given.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert/mime.h"
#include "convert/mime_int.h"
#include "storage/error.h"
#include "storage/strutil.h"

/* One raw header field: its bytes with folding and line ends, and its name. */
typedef struct rawfield {
    const char *p;
    size_t len;
    size_t name_len;
} rawfield;

typedef struct frag {
    const char *data;
    size_t len;
    size_t body;          /* offset of the body (after the blank line) */
    long number, total;   /* total 0: not given */
    char *id;
} frag;

/* Length of the line at p (with its line end). */
static size_t line_len(const char *p, const char *end)
{
    const char *q = memchr(p, '\n', (size_t)(end - p));
    return q ? (size_t)(q - p) + 1 : (size_t)(end - p);
}

static int blank_line(const char *p, size_t n)
{
    return n == 0 || (n == 1 && *p == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n');
}

/* Splits the header block at data into raw fields (*out malloc'd) and gives
 * the body's offset. 0 or -1. */
static int raw_fields(rawfield **out, size_t *n, size_t *body, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    rawfield *f = NULL;
    size_t nf = 0, cap = 0;
    *out = NULL;
    *n = 0;
    while (p < end) {
        size_t l = line_len(p, end);
        if (blank_line(p, l)) {
            p += l;
            break;
        }
        if ((*p == ' ' || *p == '\t') && nf) {
            f[nf - 1].len += l;
        } else {
            const char *colon = memchr(p, ':', l);
            if (colon) {
                rawfield *g = st_grow(f, &cap, nf, sizeof *f, 16);
                if (!g) {
                    free(f);
                    return -1;
                }
                f = g;
                size_t nl = (size_t)(colon - p);
                while (nl && (p[nl - 1] == ' ' || p[nl - 1] == '\t'))
                    nl--;
                f[nf++] = (rawfield){ p, l, nl };
            }
        }
        p += l;
    }
    *out = f;
    *n = nf;
    *body = (size_t)(p - data);
    return 0;
}

static int name_is(const rawfield *f, const char *name)
{
    size_t n = strlen(name);
    return f->name_len == n && strncasecmp(f->p, name, n) == 0;
}

/* Fields of the enclosed header that replace the outer ones (5.2.2.1). */
static int is_enclosed_field(const rawfield *f)
{
    return (f->name_len >= 8 && strncasecmp(f->p, "Content-", 8) == 0) ||
           name_is(f, "Subject") || name_is(f, "Message-ID") || name_is(f, "Encrypted") ||
           name_is(f, "MIME-Version");
}

static long param_number(const cv_mime_ctype *ct, const char *name)
{
    const char *v = cv_mime__ctype_param(ct, name);
    if (!v || !*v || strlen(v) > 6 || strspn(v, "0123456789") != strlen(v))
        return v ? -1 : 0;
    return strtol(v, NULL, 10);
}

/* The message/partial parameters of one fragment. 0, CV_EPARSE or -1. */
static int read_frag(frag *fr, size_t index)
{
    cv_mime_header h = { 0 };
    rawfield *rf = NULL;
    size_t nrf = 0;
    if (raw_fields(&rf, &nrf, &fr->body, fr->data, fr->len) != 0)
        return -1;
    free(rf);
    if (cv_mime__header_parse(&h, fr->data, fr->body) != 0)
        return -1;
    const cv_mime_field *ctf = cv_mime__header_get(&h, "Content-Type");
    cv_mime_ctype ct = { 0 };
    int code = 0;
    if (!ctf) {
        st_error_set("message/partial: input %zu has no Content-Type", index + 1);
        code = CV_EPARSE;
    } else if (cv_mime__ctype_parse(&ct, ctf->value, ctf->value_len) != 0) {
        code = -1;
    } else if (strcmp(ct.type, "message/partial") != 0) {
        st_error_set("message/partial: input %zu is %s, not message/partial", index + 1,
                     *ct.type ? ct.type : "untyped");
        code = CV_EPARSE;
    } else {
        const char *id = cv_mime__ctype_param(&ct, "id");
        fr->number = param_number(&ct, "number");
        fr->total = param_number(&ct, "total");
        if (!id || !*id || fr->number <= 0 || fr->total < 0) {
            st_error_set("message/partial: input %zu lacks a valid id or number", index + 1);
            code = CV_EPARSE;
        } else if (!(fr->id = st_strdup(id))) {
            code = -1;
        }
    }
    cv_mime__ctype_clear(&ct);
    cv_mime__header_clear(&h);
    return code;
}

static int cmp_frag(const void *a, const void *b)
{
    const frag *x = a, *y = b;
    return (x->number > y->number) - (x->number < y->number);
}

static int append(char **buf, size_t *len, size_t *cap, const char *p, size_t n)
{
    if (st_reserve(buf, cap, *len + n + 1, 4096) != 0)
        return -1;
    memcpy(*buf + *len, p, n);
    *len += n;
    (*buf)[*len] = 0;
    return 0;
}

/* Writes the joined message of the sorted, checked fragments. */
static int join(char **out, size_t *out_len, const frag *fr, size_t n)
{
    rawfield *outer = NULL, *inner = NULL;
    size_t nouter = 0, ninner = 0, obody = 0, ibody = 0;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int code = raw_fields(&outer, &nouter, &obody, fr[0].data, fr[0].len);
    const char *enc = fr[0].data + obody;
    size_t enc_len = fr[0].len - obody;
    if (!code)
        code = raw_fields(&inner, &ninner, &ibody, enc, enc_len);
    /* outer fields in order; an enclosed-kind one gives way to the enclosed
     * fields of its name; enclosed fields without an outer namesake last */
    char *used = ninner ? calloc(ninner, 1) : NULL;
    if (!code && ninner && !used)
        code = -1;
    for (size_t i = 0; !code && i < nouter; i++) {
        if (!is_enclosed_field(&outer[i])) {
            code = append(&buf, &len, &cap, outer[i].p, outer[i].len);
            continue;
        }
        for (size_t k = 0; !code && k < ninner; k++)
            if (!used[k] && inner[k].name_len == outer[i].name_len &&
                strncasecmp(inner[k].p, outer[i].p, inner[k].name_len) == 0) {
                used[k] = 1;
                code = append(&buf, &len, &cap, inner[k].p, inner[k].len);
            }
    }
    for (size_t k = 0; !code && k < ninner; k++)
        if (!used[k] && is_enclosed_field(&inner[k]))
            code = append(&buf, &len, &cap, inner[k].p, inner[k].len);
    free(used);
    /* the blank line as the enclosed header wrote it */
    const char *blank = "\r\n";
    if (ibody >= 1 && enc[ibody - 1] == '\n' && (ibody < 2 || enc[ibody - 2] != '\r'))
        blank = "\n";
    if (!code)
        code = append(&buf, &len, &cap, blank, strlen(blank));
    if (!code)
        code = append(&buf, &len, &cap, enc + ibody, enc_len - ibody);
    for (size_t i = 1; !code && i < n; i++)
        code = append(&buf, &len, &cap, fr[i].data + fr[i].body, fr[i].len - fr[i].body);
    free(outer);
    free(inner);
    if (code) {
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

int cv_mime_partial_join(char **out, size_t *out_len, const cv_mime_fragment *frags, size_t n)
{
    *out = NULL;
    *out_len = 0;
    if (n == 0 || n > CV_MIME_PARTIAL_MAX) {
        st_error_set("message/partial: %zu fragments (1 to %d can be joined)", n,
                     CV_MIME_PARTIAL_MAX);
        return CV_EPARSE;
    }
    frag *fr = calloc(n, sizeof *fr);
    if (!fr)
        return -1;
    int code = 0;
    long total = 0;
    for (size_t i = 0; !code && i < n; i++) {
        fr[i].data = frags[i].data;
        fr[i].len = frags[i].len;
        code = read_frag(&fr[i], i);
        if (!code && fr[i].total) {
            if (total && total != fr[i].total) {
                st_error_set("message/partial: fragments disagree on the total (%ld, %ld)",
                             total, fr[i].total);
                code = CV_EPARSE;
            }
            total = fr[i].total;
        }
        if (!code && i && strcmp(fr[i].id, fr[0].id) != 0) {
            st_error_set("message/partial: input %zu belongs to another message (id \"%s\", "
                         "not \"%s\")", i + 1, fr[i].id, fr[0].id);
            code = CV_EPARSE;
        }
    }
    if (!code && (size_t)total != n) {
        if (total)
            st_error_set("message/partial: %ld fragments make the message, %zu given", total, n);
        else
            st_error_set("message/partial: no fragment gives the total (the last one must)");
        code = CV_EPARSE;
    }
    if (!code) {
        qsort(fr, n, sizeof *fr, cmp_frag);
        for (size_t i = 0; !code && i < n; i++)
            if (fr[i].number != (long)i + 1) {
                st_error_set("message/partial: fragment %zu is %s", i + 1,
                             fr[i].number < (long)i + 1 ? "given twice" : "missing");
                code = CV_EPARSE;
            }
    }
    if (!code)
        code = join(out, out_len, fr, n);
    for (size_t i = 0; i < n; i++)
        free(fr[i].id);
    free(fr);
    return code;
}
