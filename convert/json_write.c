/*
 * json_write.c: cv_message / st_bag -> JSON text (the shape is in json.h).
 *
 * Invariant: the output is valid JSON and valid UTF-8 whatever the bag holds
 * (bag strings are valid UTF-8 by the props.h invariant; non-finite doubles
 * become null). Never: print a key twice in one object, lose a value
 * silently (a binary cut to its size says so as {"size": N}).
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/json.h"
#include "convert/mime_int.h"
#include "storage/error.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"

typedef struct jbuf {
    char *p;          /* text, NUL-terminated while err is 0 */
    size_t len;       /* bytes in p */
    size_t cap;       /* allocated bytes */
    int err;          /* out of memory: nothing more is written */
    int depth;        /* indentation level */
    const cv_json_options *opt;
} jbuf;

static void put(jbuf *b, const char *s, size_t n)
{
    if (b->err)
        return;
    if (b->cap - b->len < n + 1) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n + 1) {
            if (cap > SIZE_MAX / 2) {
                b->err = 1;
                return;
            }
            cap *= 2;
        }
        char *np = realloc(b->p, cap);
        if (!np) {
            b->err = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(jbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void newline(jbuf *b)
{
    if (b->opt->flags & CV_JSON_COMPACT)
        return;
    put(b, "\n", 1);
    for (int i = 0; i < b->depth; i++)
        put(b, "  ", 2);
}

static void put_str(jbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s;

    put(b, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *esc = NULL;
        char u[7];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c == '\n')
            esc = "\\n";
        else if (c == '\r')
            esc = "\\r";
        else if (c == '\t')
            esc = "\\t";
        else if (c < 0x20 || c == 0x7F) {
            memcpy(u, "\\u00", 4);
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        }
        if (esc) {
            put(b, run, (size_t)(s - run));
            puts_(b, esc);
            run = s + 1;
        }
    }
    put(b, run, (size_t)(s - run));
    put(b, "\"", 1);
}

static void putf(jbuf *b, const char *fmt, ...) ST_PRINTF(2, 3);
static void putf(jbuf *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        b->err = 1;
        return;
    }
    put(b, tmp, (size_t)n);
}

/* Days since 1601-01-01 -> civil date (proleptic Gregorian). */
static void civil(int64_t days, int *y, int *m, int *d)
{
    /* shift to days since 0000-03-01 (Howard Hinnant's algorithm, written
     * from its description) */
    int64_t z = days + 584694;         /* 1601-01-01 is day 584694 after 0000-03-01 */
    int64_t era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

char *cv_json_format_time(char buf[32], uint64_t ft)
{
    uint64_t secs = ft / 10000000u;
    unsigned frac = (unsigned)(ft % 10000000u);
    int y, m, d;
    civil((int64_t)(secs / 86400u), &y, &m, &d);
    unsigned sod = (unsigned)(secs % 86400u);
    char tmp[80];   /* what the compiler cannot prove fits; the result is < 32 */
    if (frac)
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02u:%02u:%02u.%07uZ", y, m, d, sod / 3600,
                 sod / 60 % 60, sod % 60, frac);
    else
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02u:%02u:%02uZ", y, m, d, sod / 3600, sod / 60 % 60,
                 sod % 60);
    memcpy(buf, tmp, 32);
    buf[31] = '\0';
    return buf;
}

static int digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return 0;
}

int cv_json_parse_time(uint64_t *out, const char *s, size_t len)
{
    unsigned y, mo, d, h, mi, se, frac = 0;
    if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        s[len - 1] != 'Z')
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
        return -1;
    if (len > 20) {
        size_t nf = len - 21;
        if (s[19] != '.' || nf == 0 || nf > 7 || digits(s + 20, nf, &frac))
            return -1;
        for (size_t i = nf; i < 7; i++)
            frac *= 10;
    }
    if (y < 1601 || y > 30827 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 60)
        return -1;
    static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] + (mo == 2 && leap))
        return -1;
    /* days from civil (inverse of civil() above) */
    int64_t yy = (int64_t)y - (mo <= 2);
    int64_t era = yy / 400;
    int64_t yoe = yy - era * 400;
    int64_t mp = mo > 2 ? mo - 3 : mo + 9;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * 146097 + doe - 584694;
    if (days < 0)
        return -1;
    *out = ((uint64_t)days * 86400u + h * 3600u + mi * 60u + se) * 10000000u + frac;
    return 0;
}

static void put_bin(jbuf *b, const uint8_t *data, uint32_t len)
{
    if (b->opt->max_binary && len > b->opt->max_binary) {
        putf(b, "{\"size\": %" PRIu32 "}", len);
        return;
    }
    char *e = NULL;
    size_t el = 0;
    if (cv_mime__b64_encode(&e, &el, data, len, 0) != 0) {
        b->err = 1;
        return;
    }
    puts_(b, "{\"base64\": \"");
    put(b, e, el);
    puts_(b, "\"}");
    free(e);
}

static void put_double(jbuf *b, double d, int prec)
{
    if (!isfinite(d))
        puts_(b, "null");
    else
        putf(b, "%.*g", prec, d);
}

static void put_guid(jbuf *b, const st_guid *g)
{
    char s[ST_GUID_STRING_SIZE];
    put_str(b, st_guid_to_string(s, g));
}

/* One value of base type t (no MV flag) at index i of an MV array, or the
 * single value when mv is 0. */
static void put_one(jbuf *b, const st_value *v, uint32_t t, int mv, uint32_t i)
{
    char tb[32];
    switch (t) {
    case PT_I2: putf(b, "%d", mv ? v->v.mv.i[i] : v->v.i); break;
    case PT_LONG: putf(b, "%" PRId32, mv ? v->v.mv.l[i] : v->v.l); break;
    case PT_R4: put_double(b, mv ? v->v.mv.flt[i] : v->v.flt, 9); break;
    case PT_DOUBLE: put_double(b, mv ? v->v.mv.dbl[i] : v->v.dbl, 17); break;
    case PT_APPTIME: put_double(b, mv ? v->v.mv.at[i] : v->v.at, 17); break;
    case PT_CURRENCY: putf(b, "%" PRId64, mv ? v->v.mv.cur[i] : v->v.cur); break;
    case PT_I8: putf(b, "%" PRId64, mv ? v->v.mv.li[i] : v->v.li); break;
    case PT_BOOLEAN: puts_(b, v->v.b ? "true" : "false"); break;
    case PT_ERROR: putf(b, "{\"error\": \"0x%08" PRIX32 "\"}", (uint32_t)v->v.err); break;
    case PT_SYSTIME:
        put_str(b, cv_json_format_time(tb, mv ? v->v.mv.ft[i] : v->v.ft));
        break;
    case PT_STRING8:
    case PT_UNICODE: put_str(b, (mv ? v->v.mv.str[i] : v->v.str) ? (mv ? v->v.mv.str[i] : v->v.str) : ""); break;
    case PT_CLSID: put_guid(b, mv ? &v->v.mv.guid[i] : v->v.guid); break;
    case PT_BINARY:
    case PT_SVREID:
    case PT_SRESTRICT:
    case PT_ACTIONS:
        if (mv)
            put_bin(b, v->v.mv.bin[i].data, v->v.mv.bin[i].len);
        else
            put_bin(b, v->v.bin.data, v->v.bin.len);
        break;
    default: puts_(b, "null"); break;
    }
}

static void put_value(jbuf *b, const st_value *v)
{
    uint32_t t = PROP_TYPE(v->tag) & ~(uint32_t)MVI_FLAG;
    if (PROP_TYPE(v->tag) & MV_FLAG) {
        put(b, "[", 1);
        for (uint32_t i = 0; i < v->v.mv.n; i++) {
            if (i)
                put(b, ", ", 2);
            put_one(b, v, t, 1, i);
        }
        put(b, "]", 1);
    } else {
        put_one(b, v, t, 0, 0);
    }
}

static void put_key(jbuf *b, uint32_t tag)
{
    const cv_json_options *o = b->opt;
    uint32_t back;
    char tmp[160];

    if (PROP_ID(tag) >= 0x8000 && o->named && PROP_ID(tag) - 0x8000u < o->n_named) {
        const st_propname *pn = &o->named[PROP_ID(tag) - 0x8000u].name;
        const st_named_prop_info *info = pn->kind == ST_MNID_ID
                                             ? st_named_prop_by_lid(&pn->guid, pn->lid)
                                             : st_named_prop_by_name(&pn->guid, pn->name);
        if (info && info->canonical) {
            put_str(b, info->canonical);
        } else {
            char gs[ST_GUID_STRING_SIZE];
            const char *set = st_guid_set_name(&pn->guid);
            if (!set)
                set = st_guid_to_string(gs, &pn->guid);
            if (pn->kind == ST_MNID_ID) {
                snprintf(tmp, sizeof tmp, "%s:0x%04" PRIX32, set, pn->lid);
                put_str(b, tmp);
            } else {
                /* the name may be long: build it in the buffer */
                size_t sl = strlen(set), nl = pn->name ? strlen(pn->name) : 0;
                char *k = malloc(sl + nl + 2);
                if (!k) {
                    b->err = 1;
                    return;
                }
                memcpy(k, set, sl);
                k[sl] = ':';
                memcpy(k + sl + 1, pn->name ? pn->name : "", nl + 1);
                put_str(b, k);
                free(k);
            }
        }
        return;
    }
    const char *name = st_prop_tag_name(tag);
    if (name && st_prop_tag_from_name(&back, name) == 0 && back == tag) {
        put_str(b, name);
    } else {
        snprintf(tmp, sizeof tmp, "0x%08" PRIX32, tag);
        put_str(b, tmp);
    }
}

static void put_bag(jbuf *b, const st_bag *bag)
{
    size_t n = bag ? st_bag_count(bag) : 0;
    put(b, "{", 1);
    b->depth++;
    for (size_t i = 0; i < n; i++) {
        const st_value *v = st_bag_at(bag, i);
        if (i)
            put(b, ",", 1);
        newline(b);
        put_key(b, v->tag);
        put(b, ": ", 2);
        put_value(b, v);
    }
    b->depth--;
    if (n)
        newline(b);
    put(b, "}", 1);
}

static void put_message(jbuf *b, const cv_message *msg, int depth)
{
    put(b, "{", 1);
    b->depth++;
    newline(b);
    puts_(b, "\"properties\": ");
    put_bag(b, msg->props);
    put(b, ",", 1);
    newline(b);
    puts_(b, "\"recipients\": [");
    b->depth++;
    for (size_t i = 0; i < msg->n_recipients; i++) {
        if (i)
            put(b, ",", 1);
        newline(b);
        put_bag(b, msg->recipients[i]);
    }
    b->depth--;
    if (msg->n_recipients)
        newline(b);
    puts_(b, "],");
    newline(b);
    puts_(b, "\"attachments\": [");
    b->depth++;
    for (size_t i = 0; i < msg->n_attachments; i++) {
        const cv_attachment *a = &msg->attachments[i];
        if (i)
            put(b, ",", 1);
        newline(b);
        put(b, "{", 1);
        b->depth++;
        newline(b);
        puts_(b, "\"properties\": ");
        put_bag(b, a->props);
        put(b, ",", 1);
        newline(b);
        putf(b, "\"size\": %" PRIu64, a->data_size);
        if (a->embedded && depth < CV_JSON_MAX_DEPTH / 2) {
            put(b, ",", 1);
            newline(b);
            puts_(b, "\"embedded\": ");
            put_message(b, a->embedded, depth + 1);
        }
        b->depth--;
        newline(b);
        put(b, "}", 1);
    }
    b->depth--;
    if (msg->n_attachments)
        newline(b);
    put(b, "]", 1);
    b->depth--;
    newline(b);
    put(b, "}", 1);
}

static int finish(jbuf *b, char **out, size_t *out_len)
{
    if (!b->err)
        put(b, "\n", 1);
    if (b->err) {
        free(b->p);
        st_error_set("json: out of memory");
        return -1;
    }
    *out = b->p;
    if (out_len)
        *out_len = b->len;
    return 0;
}

int cv_json_write_message(char **out, size_t *out_len, const cv_message *msg,
                          const cv_json_options *opt)
{
    static const cv_json_options defaults = { 0 };
    jbuf b = { .opt = opt ? opt : &defaults };
    *out = NULL;
    put_message(&b, msg, 0);
    return finish(&b, out, out_len);
}

int cv_json_write_bag(char **out, size_t *out_len, const st_bag *bag, const cv_json_options *opt)
{
    static const cv_json_options defaults = { 0 };
    jbuf b = { .opt = opt ? opt : &defaults };
    *out = NULL;
    put_bag(&b, bag);
    return finish(&b, out, out_len);
}
