/*
 * json_read.c: JSON text -> cv_message (for `mapidav mime build`): a small
 * strict RFC 8259 parser into a tree, then the tree into bags, each value
 * typed by its key's tag (json.h has the shape and the rules).
 *
 * Invariant: every error names the byte offset where it was found; the
 * tree never nests deeper than CV_JSON_MAX_DEPTH and no allocation exceeds
 * a small multiple of the input. Never: trust the input, recurse without a
 * depth check, accept what RFC 8259 does not (no comments, no trailing
 * commas, no leading zeros, no raw control characters in strings).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "convert/json.h"
#include "convert/mime_int.h"
#include "convert/utf8.h"
#include "storage/error.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"

enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jnode jnode;
struct jnode {
    int kind;           /* J_* */
    size_t off;         /* byte offset of the value in the text */
    char *s;            /* J_STR: decoded UTF-8 (NUL-terminated); J_NUM: the text */
    size_t len;         /* bytes of s */
    jnode *kids;        /* J_ARR, J_OBJ: n values */
    char **keys;        /* J_OBJ: n keys (decoded) */
    size_t *key_offs;   /* J_OBJ: offsets of the keys */
    size_t n;
};

typedef struct jparser {
    const char *t;      /* the text */
    size_t len;
    size_t i;           /* next byte */
    int rc;             /* 0, CV_EPARSE, CV_ELIMIT or -1 */
} jparser;

static int fail(jparser *p, int rc, size_t off, const char *what)
{
    if (!p->rc) {
        p->rc = rc;
        if (rc == -1)
            st_error_set("json: out of memory");
        else
            st_error_set("at byte %zu: %s", off, what);
    }
    return p->rc;
}

static void node_clear(jnode *n)
{
    free(n->s);
    for (size_t i = 0; i < n->n; i++) {
        node_clear(&n->kids[i]);
        if (n->keys)
            free(n->keys[i]);
    }
    free(n->kids);
    free(n->keys);
    free(n->key_offs);
    memset(n, 0, sizeof *n);
}

static void ws(jparser *p)
{
    while (p->i < p->len && (p->t[p->i] == ' ' || p->t[p->i] == '\t' || p->t[p->i] == '\n' ||
                             p->t[p->i] == '\r'))
        p->i++;
}

static int hex4(const char *s, uint32_t *out)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        int d = st_hex_digit(s[k]);
        if (d < 0)
            return -1;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t k;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < k)
        return 0;
    for (size_t j = 1; j < k; j++) {
        if ((s[j] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[j] & 0x3F);
    }
    if ((k == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return k;
}

/* A string at p->i (the opening quote): decoded into *out, *out_len. */
static int parse_string(jparser *p, char **out, size_t *out_len)
{
    size_t start = p->i++;
    size_t cap = 0;
    /* the decoded form is never longer than the source */
    size_t end = p->i;
    while (end < p->len && p->t[end] != '"') {
        if (p->t[end] == '\\')
            end++;
        end++;
    }
    if (end >= p->len)
        return fail(p, CV_EPARSE, start, "unterminated string");
    cap = end - p->i + 1;
    char *o = malloc(cap);
    size_t n = 0;
    if (!o)
        return fail(p, -1, start, "");
    while (p->i < end) {
        unsigned char c = (unsigned char)p->t[p->i];
        if (c < 0x20) {
            free(o);
            return fail(p, CV_EPARSE, p->i, "control character in a string");
        }
        if (c != '\\') {
            size_t k = utf8_valid((const unsigned char *)p->t + p->i, end - p->i);
            if (!k) {
                free(o);
                return fail(p, CV_EPARSE, p->i, "invalid UTF-8 in a string");
            }
            memcpy(o + n, p->t + p->i, k);
            n += k;
            p->i += k;
            continue;
        }
        size_t esc = p->i;
        char e = p->t[p->i + 1];
        p->i += 2;
        switch (e) {
        case '"': o[n++] = '"'; break;
        case '\\': o[n++] = '\\'; break;
        case '/': o[n++] = '/'; break;
        case 'b': o[n++] = '\b'; break;
        case 'f': o[n++] = '\f'; break;
        case 'n': o[n++] = '\n'; break;
        case 'r': o[n++] = '\r'; break;
        case 't': o[n++] = '\t'; break;
        case 'u': {
            uint32_t cp, lo;
            if (end - p->i < 4 || hex4(p->t + p->i, &cp)) {
                free(o);
                return fail(p, CV_EPARSE, esc, "bad \\u escape");
            }
            p->i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (end - p->i < 6 || p->t[p->i] != '\\' || p->t[p->i + 1] != 'u' ||
                    hex4(p->t + p->i + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                    free(o);
                    return fail(p, CV_EPARSE, esc, "unpaired surrogate in \\u escape");
                }
                p->i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                free(o);
                return fail(p, CV_EPARSE, esc, "unpaired surrogate in \\u escape");
            }
            n += cv_utf8__put(o + n, cp);   /* at most 4 bytes for 6 or 12 source bytes */
            break;
        }
        default:
            free(o);
            return fail(p, CV_EPARSE, esc, "bad escape in a string");
        }
    }
    p->i = end + 1;
    o[n] = '\0';
    *out = o;
    *out_len = n;
    return 0;
}

static int parse_value(jparser *p, jnode *v, int depth);

static int push(jparser *p, jnode *v, size_t *cap, int obj)
{
    if (v->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        jnode *k = realloc(v->kids, nc * sizeof *k);
        if (!k)
            return fail(p, -1, 0, "");
        v->kids = k;
        if (obj) {
            char **ks = realloc(v->keys, nc * sizeof *ks);
            if (!ks)
                return fail(p, -1, 0, "");
            v->keys = ks;
            size_t *ko = realloc(v->key_offs, nc * sizeof *ko);
            if (!ko)
                return fail(p, -1, 0, "");
            v->key_offs = ko;
        }
        *cap = nc;
    }
    memset(&v->kids[v->n], 0, sizeof v->kids[0]);
    return 0;
}

static int parse_value(jparser *p, jnode *v, int depth)
{
    ws(p);
    v->off = p->i;
    if (p->i >= p->len)
        return fail(p, CV_EPARSE, p->i, "unexpected end of the text");
    char c = p->t[p->i];
    if (c == '{' || c == '[') {
        int obj = c == '{';
        size_t cap = 0;
        if (depth >= CV_JSON_MAX_DEPTH)
            return fail(p, CV_ELIMIT, p->i, "nested too deep");
        v->kind = obj ? J_OBJ : J_ARR;
        p->i++;
        ws(p);
        if (p->i < p->len && p->t[p->i] == (obj ? '}' : ']')) {
            p->i++;
            return 0;
        }
        for (;;) {
            if (push(p, v, &cap, obj))
                return p->rc;
            if (obj) {
                ws(p);
                if (p->i >= p->len || p->t[p->i] != '"')
                    return fail(p, CV_EPARSE, p->i, "expected a string key");
                v->key_offs[v->n] = p->i;
                size_t kl;
                if (parse_string(p, &v->keys[v->n], &kl))
                    return p->rc;
                for (size_t j = 0; j < v->n; j++)
                    if (!strcmp(v->keys[j], v->keys[v->n])) {
                        free(v->keys[v->n]);
                        return fail(p, CV_EPARSE, v->key_offs[v->n], "duplicate key");
                    }
                ws(p);
                if (p->i >= p->len || p->t[p->i] != ':') {
                    free(v->keys[v->n]);
                    return fail(p, CV_EPARSE, p->i, "expected ':'");
                }
                p->i++;
            }
            v->n++;   /* counted first so that a failure frees it */
            if (parse_value(p, &v->kids[v->n - 1], depth + 1))
                return p->rc;
            ws(p);
            if (p->i < p->len && p->t[p->i] == ',') {
                p->i++;
                continue;
            }
            if (p->i < p->len && p->t[p->i] == (obj ? '}' : ']')) {
                p->i++;
                return 0;
            }
            return fail(p, CV_EPARSE, p->i, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    if (c == '"') {
        v->kind = J_STR;
        return parse_string(p, &v->s, &v->len);
    }
    if (c == 't' && p->len - p->i >= 4 && !memcmp(p->t + p->i, "true", 4)) {
        v->kind = J_TRUE;
        p->i += 4;
        return 0;
    }
    if (c == 'f' && p->len - p->i >= 5 && !memcmp(p->t + p->i, "false", 5)) {
        v->kind = J_FALSE;
        p->i += 5;
        return 0;
    }
    if (c == 'n' && p->len - p->i >= 4 && !memcmp(p->t + p->i, "null", 4)) {
        v->kind = J_NULL;
        p->i += 4;
        return 0;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        size_t s = p->i;
        if (p->t[p->i] == '-')
            p->i++;
        if (p->i >= p->len || p->t[p->i] < '0' || p->t[p->i] > '9')
            return fail(p, CV_EPARSE, s, "bad number");
        if (p->t[p->i] == '0' && p->i + 1 < p->len && p->t[p->i + 1] >= '0' &&
            p->t[p->i + 1] <= '9')
            return fail(p, CV_EPARSE, s, "leading zero in a number");
        while (p->i < p->len && p->t[p->i] >= '0' && p->t[p->i] <= '9')
            p->i++;
        if (p->i < p->len && p->t[p->i] == '.') {
            p->i++;
            if (p->i >= p->len || p->t[p->i] < '0' || p->t[p->i] > '9')
                return fail(p, CV_EPARSE, s, "bad number");
            while (p->i < p->len && p->t[p->i] >= '0' && p->t[p->i] <= '9')
                p->i++;
        }
        if (p->i < p->len && (p->t[p->i] == 'e' || p->t[p->i] == 'E')) {
            p->i++;
            if (p->i < p->len && (p->t[p->i] == '+' || p->t[p->i] == '-'))
                p->i++;
            if (p->i >= p->len || p->t[p->i] < '0' || p->t[p->i] > '9')
                return fail(p, CV_EPARSE, s, "bad number");
            while (p->i < p->len && p->t[p->i] >= '0' && p->t[p->i] <= '9')
                p->i++;
        }
        if (p->i - s > 64)
            return fail(p, CV_EPARSE, s, "number too long");
        v->kind = J_NUM;
        v->len = p->i - s;
        v->s = malloc(v->len + 1);
        if (!v->s)
            return fail(p, -1, s, "");
        memcpy(v->s, p->t + s, v->len);
        v->s[v->len] = '\0';
        return 0;
    }
    return fail(p, CV_EPARSE, p->i, "unexpected character");
}

/* ---- tree -> message ---- */

static int want(jparser *p, const jnode *v, int kind, const char *what)
{
    if (v->kind != kind)
        return fail(p, CV_EPARSE, v->off, what);
    return 0;
}

static int get_int(jparser *p, const jnode *v, int64_t lo, int64_t hi, int64_t *out)
{
    if (v->kind != J_NUM)
        return fail(p, CV_EPARSE, v->off, "expected an integer");
    if (strpbrk(v->s, ".eE"))
        return fail(p, CV_EPARSE, v->off, "expected an integer, not a fraction");
    errno = 0;
    long long x = strtoll(v->s, NULL, 10);
    if (errno || x < lo || x > hi)
        return fail(p, CV_EPARSE, v->off, "integer out of range for the property type");
    *out = x;
    return 0;
}

static int get_double(jparser *p, const jnode *v, double *out)
{
    if (v->kind != J_NUM)
        return fail(p, CV_EPARSE, v->off, "expected a number");
    *out = strtod(v->s, NULL);
    return 0;
}

/* {"base64": "..."} -> bytes; *skip = 1 for {"size": N}. */
static int get_bin(jparser *p, const jnode *v, st_bin *out, int *skip)
{
    *skip = 0;
    if (want(p, v, J_OBJ, "expected {\"base64\": ...} for a binary"))
        return p->rc;
    if (v->n == 1 && !strcmp(v->keys[0], "size") && v->kids[0].kind == J_NUM) {
        *skip = 1;
        return 0;
    }
    if (v->n != 1 || strcmp(v->keys[0], "base64") || v->kids[0].kind != J_STR)
        return fail(p, CV_EPARSE, v->off, "expected {\"base64\": \"...\"} for a binary");
    const jnode *s = &v->kids[0];
    size_t pad = 0;
    for (size_t i = 0; i < s->len; i++) {
        char c = s->s[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '+' || c == '/';
        if (c == '=' && i + 2 >= s->len)
            pad++;
        else if (!ok || pad)
            return fail(p, CV_EPARSE, s->off, "invalid base64");
    }
    if (s->len % 4 != 0)
        return fail(p, CV_EPARSE, s->off, "invalid base64 (length not a multiple of 4)");
    uint8_t *d = NULL;
    size_t dl = 0;
    if (cv_mime__b64_decode_all(&d, &dl, s->s, s->len) != 0)
        return fail(p, -1, 0, "");
    if (dl > UINT32_MAX) {
        free(d);
        return fail(p, CV_ELIMIT, s->off, "binary too large");
    }
    out->data = d;
    out->len = (uint32_t)dl;
    return 0;
}

static int get_guid(jparser *p, const jnode *v, st_guid *out)
{
    if (want(p, v, J_STR, "expected a \"{GUID}\" string") || st_guid_from_string(out, v->s))
        return fail(p, CV_EPARSE, v->off, "expected a \"{GUID}\" string");
    return 0;
}

/* One value of base type t into slot (single value union or MV element). */
static int get_one(jparser *p, const jnode *v, uint32_t t, st_value *sv, int mv, uint32_t i,
                   int *skip)
{
    int64_t x = 0;
    double d = 0;
    *skip = 0;
    switch (t) {
    case PT_I2:
        if (get_int(p, v, INT16_MIN, INT16_MAX, &x))
            return p->rc;
        if (mv) sv->v.mv.i[i] = (int16_t)x; else sv->v.i = (int16_t)x;
        return 0;
    case PT_LONG:
        if (get_int(p, v, INT32_MIN, (int64_t)UINT32_MAX, &x))
            return p->rc;
        if (mv) sv->v.mv.l[i] = (int32_t)(uint32_t)x; else sv->v.l = (int32_t)(uint32_t)x;
        return 0;
    case PT_I8:
    case PT_CURRENCY:
        if (get_int(p, v, INT64_MIN, INT64_MAX, &x))
            return p->rc;
        if (mv) sv->v.mv.li[i] = x; else sv->v.li = x;
        return 0;
    case PT_R4:
        if (get_double(p, v, &d))
            return p->rc;
        if (mv) sv->v.mv.flt[i] = (float)d; else sv->v.flt = (float)d;
        return 0;
    case PT_DOUBLE:
    case PT_APPTIME:
        if (get_double(p, v, &d))
            return p->rc;
        if (mv) sv->v.mv.dbl[i] = d; else sv->v.dbl = d;
        return 0;
    case PT_BOOLEAN:
        if (v->kind != J_TRUE && v->kind != J_FALSE)
            return fail(p, CV_EPARSE, v->off, "expected true or false");
        sv->v.b = v->kind == J_TRUE;
        return 0;
    case PT_ERROR: {
        if (want(p, v, J_OBJ, "expected {\"error\": \"0x...\"}") || v->n != 1 ||
            strcmp(v->keys[0], "error") || v->kids[0].kind != J_STR)
            return fail(p, CV_EPARSE, v->off, "expected {\"error\": \"0x...\"}");
        char *end;
        unsigned long e = strtoul(v->kids[0].s, &end, 16);
        if (*end || e > UINT32_MAX)
            return fail(p, CV_EPARSE, v->kids[0].off, "bad error code");
        sv->v.err = (int32_t)(uint32_t)e;
        return 0;
    }
    case PT_SYSTIME: {
        uint64_t ft;
        if (want(p, v, J_STR, "expected a time string") || cv_json_parse_time(&ft, v->s, v->len))
            return fail(p, CV_EPARSE, v->off, "expected a time \"YYYY-MM-DDTHH:MM:SS[.fffffff]Z\"");
        if (mv) sv->v.mv.ft[i] = ft; else sv->v.ft = ft;
        return 0;
    }
    case PT_STRING8:
    case PT_UNICODE: {
        if (want(p, v, J_STR, "expected a string"))
            return p->rc;
        char *s = strdup(v->s);
        if (!s)
            return fail(p, -1, 0, "");
        if (mv) sv->v.mv.str[i] = s; else sv->v.str = s;
        return 0;
    }
    case PT_CLSID: {
        st_guid g;
        if (get_guid(p, v, &g))
            return p->rc;
        if (mv) {
            sv->v.mv.guid[i] = g;
        } else {
            sv->v.guid = malloc(sizeof g);
            if (!sv->v.guid)
                return fail(p, -1, 0, "");
            *sv->v.guid = g;
        }
        return 0;
    }
    case PT_BINARY:
    case PT_SVREID:
    case PT_SRESTRICT:
    case PT_ACTIONS:
        return get_bin(p, v, mv ? &sv->v.mv.bin[i] : &sv->v.bin, skip);
    default:
        return fail(p, CV_EPARSE, v->off, "property type not supported in JSON input");
    }
}

/* Frees what get_value built into a value that never reached a bag. */
static void value_free(st_value *sv)
{
    st_value_clear(sv);
}

static int get_value(jparser *p, st_bag *bag, uint32_t tag, const jnode *v)
{
    uint32_t t = PROP_TYPE(tag);
    st_value sv;
    int skip = 0;
    memset(&sv, 0, sizeof sv);
    sv.tag = tag;
    if (t == PT_NULL || t == PT_OBJECT || t == PT_UNSPECIFIED || !st_proptype_valid(t) ||
        (t & MV_INSTANCE))
        return want(p, v, J_NULL, "this property type takes no value here: expected null");
    if (t & MV_FLAG) {
        uint32_t bt = t & ~(uint32_t)MV_FLAG;
        size_t es = st_proptype_elem_size(bt);
        if (want(p, v, J_ARR, "expected an array for a multi-valued property"))
            return p->rc;
        if (!es)
            return fail(p, CV_EPARSE, v->off, "property type not supported in JSON input");
        if (v->n > UINT32_MAX)
            return fail(p, CV_ELIMIT, v->off, "array too long");
        if (v->n) {
            sv.v.mv.any = calloc(v->n, es);
            if (!sv.v.mv.any)
                return fail(p, -1, 0, "");
        }
        for (size_t i = 0; i < v->n; i++) {
            sv.v.mv.n = (uint32_t)i;  /* what is filled, for value_free */
            if (get_one(p, &v->kids[i], bt, &sv, 1, (uint32_t)i, &skip) || skip) {
                if (skip)
                    fail(p, CV_EPARSE, v->kids[i].off, "binary without data in a list");
                value_free(&sv);
                return p->rc;
            }
        }
        sv.v.mv.n = (uint32_t)v->n;
    } else if (get_one(p, v, t, &sv, 0, 0, &skip)) {
        value_free(&sv);
        return p->rc;
    }
    if (skip)
        return 0;
    int rc = st_bag_set(bag, &sv);
    value_free(&sv);
    if (rc)
        return fail(p, CV_EPARSE, v->off, "property refused by the bag");
    return 0;
}

static int is_named_key(const char *k)
{
    return !strncmp(k, "PidLid", 6) || !strncmp(k, "PidName", 7) || k[0] == '{' ||
           !strncmp(k, "PSETID_", 7) || !strncmp(k, "PS_", 3);
}

static int get_bag(jparser *p, st_bag *bag, const jnode *v)
{
    if (want(p, v, J_OBJ, "expected an object of properties"))
        return p->rc;
    for (size_t i = 0; i < v->n; i++) {
        uint32_t tag;
        if (is_named_key(v->keys[i]))
            continue;   /* named properties need a store's map: skipped (json.h) */
        if (st_prop_tag_from_name(&tag, v->keys[i]) != 0) {
            st_error_clear();
            return fail(p, CV_EPARSE, v->key_offs[i], "unknown property name");
        }
        if (PROP_ID(tag) == PROP_ID_NULL || PROP_ID(tag) == PROP_ID_INVALID)
            return fail(p, CV_EPARSE, v->key_offs[i], "invalid property id");
        if (get_value(p, bag, tag, &v->kids[i]))
            return p->rc;
    }
    return 0;
}

static int get_message(jparser *p, cv_message *msg, const jnode *v, int depth)
{
    if (want(p, v, J_OBJ, "expected a message object"))
        return p->rc;
    for (size_t i = 0; i < v->n; i++) {
        const char *k = v->keys[i];
        const jnode *kid = &v->kids[i];
        if (!strcmp(k, "properties")) {
            if (get_bag(p, msg->props, kid))
                return p->rc;
        } else if (!strcmp(k, "recipients")) {
            if (want(p, kid, J_ARR, "expected an array of recipients"))
                return p->rc;
            for (size_t r = 0; r < kid->n; r++) {
                st_bag *row;
                if (cv_message_add_recipient(msg, &row))
                    return fail(p, -1, 0, "");
                if (get_bag(p, row, &kid->kids[r]))
                    return p->rc;
            }
        } else if (!strcmp(k, "attachments")) {
            if (want(p, kid, J_ARR, "expected an array of attachments"))
                return p->rc;
            for (size_t a = 0; a < kid->n; a++) {
                const jnode *an = &kid->kids[a];
                cv_attachment *att;
                if (want(p, an, J_OBJ, "expected an attachment object"))
                    return p->rc;
                if (cv_message_add_attachment(msg, &att))
                    return fail(p, -1, 0, "");
                for (size_t j = 0; j < an->n; j++) {
                    const char *ak = an->keys[j];
                    if (!strcmp(ak, "properties")) {
                        if (get_bag(p, att->props, &an->kids[j]))
                            return p->rc;
                    } else if (!strcmp(ak, "size")) {
                        if (want(p, &an->kids[j], J_NUM, "expected a number"))
                            return p->rc;
                    } else if (!strcmp(ak, "embedded")) {
                        if (depth >= CV_JSON_MAX_DEPTH / 2)
                            return fail(p, CV_ELIMIT, an->kids[j].off, "messages nested too deep");
                        att->embedded = cv_message_new();
                        if (!att->embedded)
                            return fail(p, -1, 0, "");
                        if (get_message(p, att->embedded, &an->kids[j], depth + 1))
                            return p->rc;
                    } else {
                        return fail(p, CV_EPARSE, an->key_offs[j], "unknown key in an attachment");
                    }
                }
                const st_value *bin = st_bag_get(att->props, PR_ATTACH_DATA_BIN);
                if (bin)
                    att->data_size = bin->v.bin.len;
            }
        } else {
            return fail(p, CV_EPARSE, v->key_offs[i], "unknown key in a message");
        }
    }
    return 0;
}

int cv_json_read_message(cv_message **out, const void *text, size_t len)
{
    jparser p = { .t = text, .len = len };
    jnode root;
    cv_message *msg = NULL;

    *out = NULL;
    memset(&root, 0, sizeof root);
    if (len > CV_JSON_MAX_TEXT) {
        st_error_set("at byte 0: JSON text larger than %zu bytes", (size_t)CV_JSON_MAX_TEXT);
        return CV_ELIMIT;
    }
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        p.i = 3;   /* a BOM is tolerated (RFC 8259 8.1 allows ignoring it) */
    if (parse_value(&p, &root, 0))
        goto cleanup;
    ws(&p);
    if (p.i != p.len) {
        fail(&p, CV_EPARSE, p.i, "text after the JSON value");
        goto cleanup;
    }
    msg = cv_message_new();
    if (!msg) {
        fail(&p, -1, 0, "");
        goto cleanup;
    }
    if (get_message(&p, msg, &root, 0))
        goto cleanup;
    *out = msg;
    msg = NULL;
cleanup:
    cv_message_free(msg);
    node_clear(&root);
    return p.rc;
}
