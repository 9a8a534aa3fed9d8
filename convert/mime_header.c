/*
 * mime_header.c: header blocks into fields (unfolding), text into UTF-8
 * (RFC 2047 encoded words, undeclared 8-bit guessed), and Content-Type /
 * Content-Disposition parameters (RFC 2045, RFC 2231 continuations and
 * charsets).
 *
 * Invariant: every output string is NUL-terminated valid UTF-8 (the bag
 * would replace bad bytes anyway; we try the charsets first). Time is
 * linear in the input. Never: fail on syntax, only on memory.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert/charset.h"
#include "convert/mime_int.h"
#include "storage/error.h"
#include "storage/props.h"

/* ---- a small growable byte buffer ---- */

typedef struct buf {
    char *p;      /* bytes, NUL-terminated when finished */
    size_t n;     /* bytes used */
    size_t cap;   /* bytes allocated */
} buf;

static int buf_add(buf *b, const void *data, size_t len)
{
    if (b->n + len + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->n + len + 1)
            ncap *= 2;
        char *np = realloc(b->p, ncap);
        if (!np) {
            st_error_set("out of memory");
            return -1;
        }
        b->p = np;
        b->cap = ncap;
    }
    if (len)
        memcpy(b->p + b->n, data, len);
    b->n += len;
    b->p[b->n] = 0;
    return 0;
}

static char *buf_take(buf *b)
{
    if (!b->p && buf_add(b, "", 0) != 0)
        return NULL;
    char *p = b->p;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

static int is_wsp(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ---- header blocks ---- */

int cv_mime__header_parse(cv_mime_header *out, const char *block, size_t len)
{
    size_t lines = 1;
    char *b;
    size_t n = 0, nf = 0;
    int in_field = 0;

    memset(out, 0, sizeof *out);
    for (const char *q = len ? memchr(block, '\n', len) : NULL; q;
         q = memchr(q + 1, '\n', len - (size_t)(q + 1 - block)))
        lines++;   /* memchr: a byte-wise count cost 4 instructions a byte */
    b = malloc(len + 2 * lines + 2);
    out->f = malloc(lines * sizeof *out->f);
    if (!b || !out->f) {
        free(b);
        free(out->f);
        out->f = NULL;
        st_error_set("out of memory");
        return -1;
    }
    out->buf = b;
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(block + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - block) : len;
        size_t next = nl ? end + 1 : len;
        size_t le = end;
        while (le > i && (block[le - 1] == '\r'))
            le--;
        const char *line = block + i;
        size_t ll = le - i;
        i = next;
        if (ll == 0)
            continue;
        if (line[0] == ' ' || line[0] == '\t') {
            if (in_field) {
                memcpy(b + n, line, ll);
                n += ll;
                out->f[nf - 1].value_len += ll;
            }
            continue;
        }
        const char *colon = memchr(line, ':', ll);
        size_t nl_len = colon ? (size_t)(colon - line) : 0;
        while (nl_len > 0 && (line[nl_len - 1] == ' ' || line[nl_len - 1] == '\t'))
            nl_len--; /* obsolete "Subject :" */
        int ok = colon && nl_len > 0;
        for (size_t k = 0; ok && k < nl_len; k++)
            if ((unsigned char)line[k] <= 32 || (unsigned char)line[k] >= 127)
                ok = 0;
        if (!ok) {
            /* Neither field nor continuation: not ours to keep. A field
             * before it keeps what it had. */
            if (in_field) {
                b[n++] = 0;
                in_field = 0;
            }
            continue;
        }
        if (in_field)
            b[n++] = 0;
        memcpy(b + n, line, nl_len);
        out->f[nf].name = b + n;
        out->f[nf].name_len = nl_len;
        n += nl_len;
        b[n++] = 0;
        size_t v = (size_t)(colon - line) + 1;
        while (v < ll && (line[v] == ' ' || line[v] == '\t'))
            v++;
        out->f[nf].value = b + n;
        out->f[nf].value_len = ll - v;
        memcpy(b + n, line + v, ll - v);
        n += ll - v;
        nf++;
        in_field = 1;
    }
    if (in_field)
        b[n++] = 0;
    b[n] = 0;
    out->n = nf;
    /* Trim trailing white space of each value. */
    for (size_t k = 0; k < nf; k++) {
        char *v = (char *)out->f[k].value;
        size_t vl = out->f[k].value_len;
        while (vl > 0 && is_wsp((unsigned char)v[vl - 1]))
            vl--;
        v[vl] = 0;
        out->f[k].value_len = vl;
    }
    return 0;
}

void cv_mime__header_clear(cv_mime_header *h)
{
    if (!h)
        return;
    free(h->buf);
    free(h->f);
    memset(h, 0, sizeof *h);
}

const cv_mime_field *cv_mime__header_get_nth(const cv_mime_header *h, const char *name,
                                             size_t nth)
{
    /* Lengths and first letters (ASCII case folded) first: most fields
     * differ there. */
    size_t len = strlen(name);
    unsigned char c0 = (unsigned char)name[0] | 0x20;
    for (size_t i = 0; h && i < h->n; i++)
        if (h->f[i].name_len == len && ((unsigned char)h->f[i].name[0] | 0x20) == c0
            && strcasecmp(h->f[i].name, name) == 0 && nth-- == 0)
            return &h->f[i];
    return NULL;
}

const cv_mime_field *cv_mime__header_get(const cv_mime_header *h, const char *name)
{
    return cv_mime__header_get_nth(h, name, 0);
}

/* ---- charsets ---- */

/* Latin-1 -> UTF-8, the last resort when no charset back end knows
 * windows-1252. */
static int latin1(char **out, size_t *out_len, const unsigned char *in, size_t len)
{
    char *o = malloc(len * 2 + 1);
    size_t n = 0;

    if (!o) {
        st_error_set("out of memory");
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        if (in[i] < 0x80) {
            o[n++] = (char)in[i];
        } else {
            o[n++] = (char)(0xC0 | in[i] >> 6);
            o[n++] = (char)(0x80 | (in[i] & 0x3F));
        }
    }
    o[n] = 0;
    *out = o;
    if (out_len)
        *out_len = n;
    return 0;
}

static int copy_out(char **out, size_t *out_len, const void *in, size_t len)
{
    char *o = malloc(len + 1);
    if (!o) {
        st_error_set("out of memory");
        return -1;
    }
    if (len)
        memcpy(o, in, len);
    o[len] = 0;
    *out = o;
    if (out_len)
        *out_len = len;
    return 0;
}

int cv_mime__charset_is_utf8(const char *charset)
{
    return !charset || !*charset || strcasecmp(charset, "us-ascii") == 0
        || strcasecmp(charset, "ascii") == 0 || strcasecmp(charset, "utf-8") == 0
        || strcasecmp(charset, "utf8") == 0;
}

int cv_mime__to_utf8(char **out, size_t *out_len, const char *charset, const void *in,
                     size_t len, int *unknown)
{
    *out = NULL;
    if (cv_mime__charset_is_utf8(charset)) {
        if (st_utf8_valid(in, len))
            return copy_out(out, out_len, in, len);
        if (!charset || !*charset || strncasecmp(charset, "utf", 3) != 0)
            charset = cv_charset_guess(in, len);
        if (!charset)
            charset = "UTF-8";
        /* declared or guessed UTF-8 with bad bytes: the decoder makes them
         * U+FFFD (see below for an unknown charset) */
    }
    int rc = cv_charset_decode(out, out_len, charset, in, len);
    if (rc == CV_ENOCHARSET) {
        if (unknown)
            *unknown = 1;
        if (st_utf8_valid(in, len))
            return copy_out(out, out_len, in, len);
        rc = cv_charset_decode(out, out_len, "windows-1252", in, len);
        if (rc == CV_ENOCHARSET)
            return latin1(out, out_len, in, len);
    }
    return rc == 0 ? 0 : -1;
}

/* ---- RFC 2047 ---- */

typedef struct word {
    char charset[64];   /* without the RFC 2231 language */
    char enc;           /* 'B' or 'Q' */
    const char *text;   /* encoded text */
    size_t text_len;
    size_t end;         /* offset just past "?=" */
} word;

/* An encoded word starting at in[i] ("=?"): 1, 0 when not one, -1 when no
 * "?=" follows at all (then no later word can end either: stop looking, so
 * that a long run of "=?" stays linear). */
static int parse_word(word *w, const char *in, size_t len, size_t i)
{
    size_t p = i + 2, cs = p;

    while (p < len && in[p] != '?' && p - cs < sizeof w->charset - 1) {
        unsigned char c = (unsigned char)in[p];
        if (!(isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '*'))
            return 0;
        p++;
    }
    if (p >= len || in[p] != '?' || p == cs)
        return 0;
    size_t cl = p - cs;
    memcpy(w->charset, in + cs, cl);
    w->charset[cl] = 0;
    char *star = strchr(w->charset, '*');
    if (star)
        *star = 0;
    p++;
    if (p + 1 >= len || in[p + 1] != '?')
        return 0;
    w->enc = (char)toupper((unsigned char)in[p]);
    if (w->enc != 'B' && w->enc != 'Q')
        return 0;
    p += 2;
    size_t t = p;
    /* The text ends at the first "?=". Some mailers leave spaces in Q text;
     * we accept them. */
    while (p + 1 < len && !(in[p] == '?' && in[p + 1] == '='))
        p++;
    if (p + 1 >= len)
        return -1;
    w->text = in + t;
    w->text_len = p - t;
    w->end = p + 2;
    return 1;
}

typedef struct run {
    buf bytes;          /* decoded bytes of adjacent words in one charset */
    char charset[64];   /* their charset; "" when empty */
} run;

static int run_flush(run *r, buf *out)
{
    char *u = NULL;
    size_t ul = 0;

    if (r->bytes.n == 0) {
        r->charset[0] = 0;
        return 0;
    }
    if (cv_mime__to_utf8(&u, &ul, r->charset, r->bytes.p, r->bytes.n, NULL) != 0)
        return -1;
    int rc = buf_add(out, u, ul);
    free(u);
    r->bytes.n = 0;
    r->charset[0] = 0;
    return rc;
}

static int add_raw(buf *out, const char *s, size_t len)
{
    int pure = 1;

    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            pure = 0;
    if (pure)
        return buf_add(out, s, len);
    char *u = NULL;
    size_t ul = 0;
    if (cv_mime__to_utf8(&u, &ul, NULL, s, len, NULL) != 0)
        return -1;
    int rc = buf_add(out, u, ul);
    free(u);
    return rc;
}

int cv_mime__decode_text(char **out, const char *in, size_t len)
{
    buf o = { 0 };
    run r = { { 0 }, { 0 } };
    size_t i = 0, text_start = 0;
    int prev_word = 0;

    *out = NULL;
    while (i + 1 < len) {
        const char *p = memchr(in + i, '=', len - 1 - i);
        if (!p)
            break;
        size_t at = (size_t)(p - in);
        word w;
        int pw = in[at + 1] == '?' ? parse_word(&w, in, len, at) : 0;
        if (pw < 0)
            break;
        if (pw == 0) {
            i = at + 1;
            continue;
        }
        int only_ws = 1;
        for (size_t k = text_start; k < at; k++)
            if (!is_wsp((unsigned char)in[k]))
                only_ws = 0;
        if (!(prev_word && only_ws)) {
            if (run_flush(&r, &o) != 0 || add_raw(&o, in + text_start, at - text_start) != 0)
                goto oom;
        }
        uint8_t *dec = NULL;
        size_t dl = 0;
        if ((w.enc == 'B' ? cv_mime__b64_decode_all(&dec, &dl, w.text, w.text_len)
                          : cv_mime__q_decode_all(&dec, &dl, w.text, w.text_len)) != 0)
            goto oom;
        if (r.bytes.n > 0 && strcasecmp(r.charset, w.charset) != 0 && run_flush(&r, &o) != 0) {
            free(dec);
            goto oom;
        }
        memcpy(r.charset, w.charset, sizeof r.charset);
        if (buf_add(&r.bytes, dec, dl) != 0) {
            free(dec);
            goto oom;
        }
        free(dec);
        prev_word = 1;
        text_start = i = w.end;
    }
    if (run_flush(&r, &o) != 0 || add_raw(&o, in + text_start, len - text_start) != 0)
        goto oom;
    free(r.bytes.p);
    *out = buf_take(&o);
    return *out ? 0 : -1;
oom:
    free(r.bytes.p);
    free(o.p);
    return -1;
}

/* ---- Content-Type, Content-Disposition ---- */

#define MAX_PARAMS 256 /* parameters read from one field; the rest are ignored */

typedef struct rawparam {
    char *name;        /* base name, lower case */
    int section;       /* RFC 2231 section; -1: not a continuation */
    int extended;      /* value is charset'lang'%XX (first) or %XX */
    int star;          /* the name had a '*' (RFC 2231 form) */
    char *value;       /* raw value, unquoted */
    size_t value_len;
} rawparam;

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) {
        st_error_set("out of memory");
        return NULL;
    }
    if (n)
        memcpy(d, s, n);
    d[n] = 0;
    return d;
}

static int add_param(cv_mime_ctype *ct, size_t *cap, char *name, char *value)
{
    for (size_t i = 0; i < ct->n; i++)
        if (strcmp(ct->p[i].name, name) == 0) { /* first wins */
            free(name);
            free(value);
            return 0;
        }
    if (ct->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        cv_mime_param *np = realloc(ct->p, nc * sizeof *np);
        if (!np) {
            free(name);
            free(value);
            st_error_set("out of memory");
            return -1;
        }
        ct->p = np;
        *cap = nc;
    }
    ct->p[ct->n].name = name;
    ct->p[ct->n].value = value;
    ct->n++;
    return 0;
}

static int pct_decode(buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1])
            && isxdigit((unsigned char)s[i + 2])) {
            char h[3] = { s[i + 1], s[i + 2], 0 };
            c = (char)strtol(h, NULL, 16);
            i += 2;
        }
        if (buf_add(b, &c, 1) != 0)
            return -1;
    }
    return 0;
}

static int cmp_section(const void *a, const void *b)
{
    const rawparam *x = *(const rawparam *const *)a, *y = *(const rawparam *const *)b;
    return (x->section > y->section) - (x->section < y->section);
}

/* Joins the RFC 2231 pieces of one name into a UTF-8 value. */
static int join_2231(char **out, rawparam **pieces, size_t n)
{
    buf b = { 0 };
    char charset[64] = "";

    qsort(pieces, n, sizeof *pieces, cmp_section);
    for (size_t i = 0; i < n; i++) {
        const char *v = pieces[i]->value;
        size_t vl = pieces[i]->value_len;
        if (pieces[i]->extended) {
            if (i == 0) {
                const char *q1 = memchr(v, '\'', vl);
                const char *q2 = q1 ? memchr(q1 + 1, '\'', vl - (size_t)(q1 + 1 - v)) : NULL;
                if (q1 && q2) {
                    size_t cl = (size_t)(q1 - v);
                    if (cl >= sizeof charset)
                        cl = sizeof charset - 1;
                    memcpy(charset, v, cl);
                    charset[cl] = 0;
                    vl -= (size_t)(q2 + 1 - v);
                    v = q2 + 1;
                }
            }
            if (pct_decode(&b, v, vl) != 0)
                goto oom;
        } else if (buf_add(&b, v, vl) != 0) {
            goto oom;
        }
    }
    if (cv_mime__to_utf8(out, NULL, charset, b.p ? b.p : "", b.n, NULL) != 0)
        goto oom;
    free(b.p);
    return 0;
oom:
    free(b.p);
    return -1;
}

int cv_mime__ctype_parse(cv_mime_ctype *out, const char *in, size_t len)
{
    rawparam *raw = NULL;
    size_t nraw = 0, capraw = 0, cap = 0;
    size_t i = 0;
    int rc = -1;

    memset(out, 0, sizeof *out);
    while (i < len && is_wsp((unsigned char)in[i]))
        i++;
    size_t ts = i;
    while (i < len && in[i] != ';')
        i++;
    size_t te = i;
    while (te > ts && is_wsp((unsigned char)in[te - 1]))
        te--;
    out->type = dupn(in + ts, te - ts);
    if (!out->type)
        goto done;
    /* drop a comment or junk after the type: "text/plain (foo)" */
    for (char *c = out->type; *c; c++) {
        if (*c == ' ' || *c == '\t' || *c == '(' || *c == '"') {
            *c = 0;
            break;
        }
        *c = (char)tolower((unsigned char)*c);
    }
    while (i < len) {
        while (i < len && (in[i] == ';' || is_wsp((unsigned char)in[i])))
            i++;
        size_t ns = i;
        while (i < len && in[i] != '=' && in[i] != ';')
            i++;
        size_t ne = i;
        while (ne > ns && is_wsp((unsigned char)in[ne - 1]))
            ne--;
        if (i >= len || in[i] != '=' || ne == ns) {
            /* no name or no value: skip to the next ';' (always moving on) */
            while (i < len && in[i] != ';')
                i++;
            continue;
        }
        i++;
        while (i < len && is_wsp((unsigned char)in[i]))
            i++;
        buf v = { 0 };
        if (i < len && in[i] == '"') {
            i++;
            while (i < len && in[i] != '"') {
                size_t r = i;   /* a run without escapes in one copy */
                while (r < len && in[r] != '"' && in[r] != '\\')
                    r++;
                if (r > i) {
                    if (buf_add(&v, in + i, r - i) != 0)
                        goto done;
                    i = r;
                    continue;
                }
                if (in[i] == '\\' && i + 1 < len)
                    i++;
                if (buf_add(&v, in + i, 1) != 0)
                    goto done;
                i++;
            }
            if (i < len)
                i++;
            /* junk after the closing quote runs to the next ';' */
            while (i < len && in[i] != ';')
                i++;
        } else {
            size_t vs = i;
            while (i < len && in[i] != ';')
                i++;
            size_t ve = i;
            while (ve > vs && is_wsp((unsigned char)in[ve - 1]))
                ve--;
            if (buf_add(&v, in + vs, ve - vs) != 0)
                goto done;
        }
        if (nraw >= MAX_PARAMS) {
            free(v.p); /* more is abuse, and joining continuations is quadratic */
            continue;
        }
        if (nraw == capraw) {
            size_t nc = capraw ? capraw * 2 : 8;
            rawparam *np = realloc(raw, nc * sizeof *np);
            if (!np) {
                free(v.p);
                st_error_set("out of memory");
                goto done;
            }
            raw = np;
            capraw = nc;
        }
        rawparam *rp = &raw[nraw];
        memset(rp, 0, sizeof *rp);
        rp->section = -1;
        rp->name = dupn(in + ns, ne - ns);
        rp->value = v.p ? v.p : dupn("", 0);
        rp->value_len = v.n;
        if (!rp->name || !rp->value) {
            free(rp->name);
            free(rp->value);
            goto done;
        }
        nraw++;
        for (char *c = rp->name; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        char *star = strchr(rp->name, '*');
        if (star) {
            rp->star = 1;
            size_t nl = strlen(rp->name);
            if (rp->name[nl - 1] == '*') {
                rp->extended = 1;
                rp->name[--nl] = 0;
            }
            if (star < rp->name + nl) { /* name*N or name*N* */
                char *end = NULL;
                long sec = strtol(star + 1, &end, 10);
                if (end && *end == 0 && sec >= 0 && sec < 10000)
                    rp->section = (int)sec;
                else
                    rp->section = 0;
            } else {
                rp->section = 0;
            }
            *star = 0;
        }
    }
    /* RFC 2231 names first (they win), then the plain ones. */
    for (size_t k = 0; k < nraw; k++) {
        if (!raw[k].star || !raw[k].name)
            continue;
        rawparam **pieces = malloc(nraw * sizeof *pieces);
        size_t np = 0;
        if (!pieces) {
            st_error_set("out of memory");
            goto done;
        }
        for (size_t j = k; j < nraw; j++) {
            if (raw[j].star && raw[j].name && strcmp(raw[j].name, raw[k].name) == 0) {
                int dup = 0;
                for (size_t q = 0; q < np; q++)
                    dup |= pieces[q]->section == raw[j].section;
                if (!dup)
                    pieces[np++] = &raw[j];
            }
        }
        char *value = NULL, *name = dupn(raw[k].name, strlen(raw[k].name));
        if (!name || join_2231(&value, pieces, np) != 0) {
            free(name);
            free(pieces);
            goto done;
        }
        /* mark the pieces done */
        for (size_t q = 1; q < np; q++) {
            free(pieces[q]->name);
            pieces[q]->name = NULL;
        }
        free(pieces);
        if (add_param(out, &cap, name, value) != 0)
            goto done;
    }
    for (size_t k = 0; k < nraw; k++) {
        if (raw[k].star || !raw[k].name)
            continue;
        char *value = NULL;
        if (strcmp(raw[k].name, "boundary") == 0) {
            value = raw[k].value;   /* taken over: kept as written */
            raw[k].value = NULL;
        } else if (cv_mime__decode_text(&value, raw[k].value, raw[k].value_len) != 0) {
            goto done;
        }
        char *name = raw[k].name;   /* taken over (done with it here) */
        raw[k].name = NULL;
        if (add_param(out, &cap, name, value) != 0)
            goto done;
    }
    rc = 0;
done:
    for (size_t k = 0; k < nraw; k++) {
        free(raw[k].name);
        free(raw[k].value);
    }
    free(raw);
    if (rc != 0)
        cv_mime__ctype_clear(out);
    return rc;
}

const char *cv_mime__ctype_param(const cv_mime_ctype *ct, const char *name)
{
    for (size_t i = 0; ct && i < ct->n; i++)
        if (strcmp(ct->p[i].name, name) == 0)
            return ct->p[i].value;
    return NULL;
}

void cv_mime__ctype_clear(cv_mime_ctype *ct)
{
    if (!ct)
        return;
    for (size_t i = 0; i < ct->n; i++) {
        free(ct->p[i].name);
        free(ct->p[i].value);
    }
    free(ct->p);
    free(ct->type);
    memset(ct, 0, sizeof *ct);
}
