/*
 * tnef.c: the TNEF reader ([MS-OXTNEF]): the attribute stream (read in
 * pieces of any size by a small state machine, or a whole buffer in place),
 * the legacy attributes and the MAPI properties they map to, encapsulated
 * property lists (attMsgProps, attAttachment, attRecipTable rows), named
 * properties, attachment data to the sink, attached messages as nested
 * streams.
 *
 * Invariant: input bytes are read only within the piece given (stream_feed)
 * or through the bounds-checked cursor (rd_*), and the extent of every
 * property value is measured (skip_value) before it is decoded; every loop
 * consumes input or stops; buffers grow with bytes received, never with a
 * length or count the stream announces.
 * Never: trust a length or count from the stream, hold attAttachData when a
 * sink is given, nest deeper than CV_TNEF_MAX_DEPTH, assert on input.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "convert/charset.h"
#include "convert/tnef.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/props_tags.h"

/* ---- Attribute ids: type in the high word, id in the low ([MS-OXTNEF] 2.1.3.3) ---- */

#define ATT(type, id) ((((uint32_t)(type)) << 16) | (uint32_t)(id))
enum { ATP_TRIPLES = 0, ATP_STRING = 1, ATP_TEXT = 2, ATP_DATE = 3, ATP_SHORT = 4,
       ATP_LONG = 5, ATP_BYTE = 6, ATP_WORD = 7, ATP_DWORD = 8 };

#define ATT_OWNER ATT(ATP_BYTE, 0x0000)
#define ATT_SENT_FOR ATT(ATP_BYTE, 0x0001)
#define ATT_DELEGATE ATT(ATP_BYTE, 0x0002)
#define ATT_ORIGINAL_MESSAGE_CLASS ATT(ATP_WORD, 0x0006)
#define ATT_DATE_START ATT(ATP_DATE, 0x0006)
#define ATT_DATE_END ATT(ATP_DATE, 0x0007)
#define ATT_AID_OWNER ATT(ATP_LONG, 0x0008)
#define ATT_REQUEST_RES ATT(ATP_SHORT, 0x0009)
#define ATT_FROM ATT(ATP_TRIPLES, 0x8000)
#define ATT_SUBJECT ATT(ATP_STRING, 0x8004)
#define ATT_DATE_SENT ATT(ATP_DATE, 0x8005)
#define ATT_DATE_RECD ATT(ATP_DATE, 0x8006)
#define ATT_MESSAGE_STATUS ATT(ATP_BYTE, 0x8007)
#define ATT_MESSAGE_CLASS ATT(ATP_WORD, 0x8008)
#define ATT_MESSAGE_ID ATT(ATP_STRING, 0x8009)
#define ATT_PARENT_ID ATT(ATP_STRING, 0x800A)
#define ATT_CONVERSATION_ID ATT(ATP_STRING, 0x800B)
#define ATT_BODY ATT(ATP_TEXT, 0x800C)
#define ATT_PRIORITY ATT(ATP_SHORT, 0x800D)
#define ATT_ATTACH_DATA ATT(ATP_BYTE, 0x800F)
#define ATT_ATTACH_TITLE ATT(ATP_STRING, 0x8010)
#define ATT_ATTACH_META_FILE ATT(ATP_BYTE, 0x8011)
#define ATT_ATTACH_CREATE_DATE ATT(ATP_DATE, 0x8012)
#define ATT_ATTACH_MODIFY_DATE ATT(ATP_DATE, 0x8013)
#define ATT_DATE_MODIFIED ATT(ATP_DATE, 0x8020)
#define ATT_ATTACH_TRANSPORT_FILENAME ATT(ATP_BYTE, 0x9001)
#define ATT_ATTACH_REND_DATA ATT(ATP_BYTE, 0x9002)
#define ATT_MAPI_PROPS ATT(ATP_BYTE, 0x9003)
#define ATT_RECIP_TABLE ATT(ATP_BYTE, 0x9004)
#define ATT_ATTACHMENT ATT(ATP_BYTE, 0x9005)
#define ATT_TNEF_VERSION ATT(ATP_DWORD, 0x9006)
#define ATT_OEM_CODEPAGE ATT(ATP_BYTE, 0x9007)

#define LVL_MESSAGE 1
#define LVL_ATTACHMENT 2

/* attMessageStatus bits (tnef.h's fms*) */
#define FMS_MODIFIED 0x01
#define FMS_LOCAL 0x02
#define FMS_SUBMITTED 0x04
#define FMS_READ 0x20
#define FMS_HAS_ATTACH 0x80

/* RENDDATA.atyp */
#define ATYP_OLE 2

/* IID_IMessage {00020307-0000-0000-C000-000000000046} as wire bytes. */
static const uint8_t iid_imessage[16] = { 0x07, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                          0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };

/* ---- Parse state ---- */

typedef struct ctx {
    cv_tnef *res;             /* the result being filled */
    const cv_sink *sink;      /* attachment data, or NULL */
    unsigned default_cp;      /* code page when a stream names none */
    unsigned n_logged;        /* warnings logged so far (the first few only) */
    int warning_rank;         /* rank of res->warning's kind, see warn() */
    uint32_t *slots;          /* hash of res->named: index + 1, 0 empty */
    size_t n_slots;           /* power of two, or 0 */
    int fatal;                /* 1 once memory or the sink failed: stop everything */
} ctx;

enum { T_MESSAGE, T_RECIPIENT, T_ATTACHMENT };

/* Where the attribute reader of a stream is ([MS-OXTNEF] 2.1.3.1). */
enum { R_SIG, R_HEAD, R_DATA, R_SUM, R_ZEROS, R_DONE };

/* How the data of the current attribute is taken. */
enum { D_BUFFER, D_SINK, D_DROP };

typedef struct stream {
    ctx *c;                   /* shared by the nested streams of one parse */
    cv_message *msg;          /* message this stream fills */
    cv_attachment *att;       /* attachment being read, or NULL */
    int att_dropped;          /* 1: past CV_TNEF_MAX_ATTACHMENTS, drop attachment attributes */
    unsigned cp;              /* code page of 8-bit text */
    int cp_fixed;             /* 1: cp came from prescan(), attOemCodepage cannot change it */
    const char *charset;      /* its charset name, once looked up */
    int depth;                /* 0 for the top message */
    int cut;                  /* 1 while reading an attribute cut by the end of the stream */
    /* The attribute reader: bytes may come in pieces of any size. */
    int state;                /* R_* */
    uint8_t hold[9];          /* signature + key, attribute header or checksum so far */
    size_t n_hold;            /* bytes in hold */
    uint16_t key;             /* the stream's legacy key */
    unsigned level;           /* current attribute: level, */
    uint32_t id;              /* id, */
    uint32_t len;             /* length of its data, */
    uint32_t got;             /* data bytes seen, */
    uint16_t sum;             /* their checksum, */
    int mode;                 /* D_*: where its data goes, */
    uint64_t sink_id;         /* the sink's stream for it (D_SINK), */
    uint8_t *data;            /* its data so far (D_BUFFER), */
    size_t cap;               /* allocated for data */
} stream;

/* A value decoded from the stream, not yet in its bag. Strings, GUIDs and
 * arrays are owned; binary data points into the input (borrowed). */
typedef struct pend {
    st_value v;
    size_t seq;               /* order in the stream: the later value of an id wins */
} pend;

typedef struct pendvec {
    pend *a;
    size_t n, cap;
} pendvec;

/* ---- Little-endian cursor ---- */

typedef struct rd {
    const uint8_t *p;         /* bytes */
    size_t n;                 /* their number */
    size_t off;               /* next byte to read, <= n */
} rd;

static size_t rd_left(const rd *r) { return r->n - r->off; }

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | ((uint64_t)le32(p + 4) << 32); }

static int rd_bytes(rd *r, size_t len, const uint8_t **out)
{
    if (len > rd_left(r))
        return -1;
    *out = r->p + r->off;
    r->off += len;
    return 0;
}

static int rd_u32(rd *r, uint32_t *v)
{
    const uint8_t *p;
    if (rd_bytes(r, 4, &p) != 0)
        return -1;
    *v = le32(p);
    return 0;
}

/* Skips the padding after len bytes to a 4-byte boundary; a stream that ends
 * before the padding is forgiven (writers differ on the last value). */
static void rd_pad(rd *r, size_t len)
{
    size_t pad = (4 - (len & 3)) & 3;
    r->off += pad < rd_left(r) ? pad : rd_left(r);
}

/* ---- Warnings and failures ---- */

/* Records a warning. res->warning keeps the first one of the gravest kind
 * (damage and truncation, then limits, then checksums and code pages), so
 * it explains the return code; only the first few are logged, so a stream
 * of garbage cannot flood the log. */
ST_PRINTF(3, 4)
static void warn(ctx *c, unsigned w, const char *fmt, ...)
{
    char text[sizeof c->res->warning];
    int rank = (w & (CV_TNEF_W_TRUNCATED | CV_TNEF_W_DAMAGED)) ? 3 : (w & CV_TNEF_W_LIMIT) ? 2 : 1;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    c->res->warnings |= w;
    if (rank > c->warning_rank) {
        memcpy(c->res->warning, text, sizeof text);
        c->warning_rank = rank;
    }
    if (c->n_logged < 8) {
        c->n_logged++;
        ST_LOG_WARN(ST_LOG_CONVERT, "tnef: %s", text);
    }
}

/* A value or list that does not fit its attribute: cut by the end of the
 * stream (truncated) or by a wrong length inside (damaged). Returns -2. */
static int short_data(stream *s, const char *what)
{
    if (s->cut)
        warn(s->c, CV_TNEF_W_TRUNCATED, "stream ends inside %s", what);
    else
        warn(s->c, CV_TNEF_W_DAMAGED, "%s runs past its attribute", what);
    return -2;
}

static int fail(ctx *c, const char *what)
{
    if (!c->fatal)
        st_error_set("TNEF: %s", what);
    c->fatal = 1;
    return -1;
}

/* ---- Text ---- */

/* UTF-16LE (n bytes, up to the first NUL) to UTF-8; unpaired surrogates
 * become U+FFFD. 0, or -1 when out of memory. */
static int utf16_to_utf8(char **out, const uint8_t *p, size_t n)
{
    size_t units = n / 2, o = 0;
    char *s = malloc(units * 3 + 1);

    *out = NULL;
    if (!s)
        return -1;
    for (size_t i = 0; i < units; i++) {
        uint32_t cp = le16(p + 2 * i);
        if (cp == 0)
            break;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < units) {
            uint32_t lo = le16(p + 2 * i + 2);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        if (cp < 0x80) {
            s[o++] = (char)cp;
        } else if (cp < 0x800) {
            s[o++] = (char)(0xC0 | (cp >> 6));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s[o++] = (char)(0xE0 | (cp >> 12));
            s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        } else {   /* a pair: 4 bytes for 2 units, within the 6 allowed */
            s[o++] = (char)(0xF0 | (cp >> 18));
            s[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
            s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[o++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    s[o] = '\0';
    *out = s;
    return 0;
}

/* 8-bit text (n bytes, up to the first NUL) in the stream's code page to
 * UTF-8. Unknown code pages read as Windows-1252 (with a warning), and if
 * even that is missing, as ISO-8859-1. 0, or -1 (fatal). */
static int str8_to_utf8(stream *s, char **out, const uint8_t *p, size_t n)
{
    const uint8_t *nul = memchr(p, 0, n);
    size_t i;
    int rc;

    *out = NULL;
    if (nul)
        n = (size_t)(nul - p);
    for (i = 0; i < n && p[i] < 0x80; i++)
        ;
    if (i == n) {                       /* ASCII: the same in every code page we read */
        char *a = malloc(n + 1);
        if (!a)
            return fail(s->c, "out of memory");
        memcpy(a, p, n);
        a[n] = '\0';
        *out = a;
        return 0;
    }
    if (!s->charset) {
        s->charset = cv_charset_from_codepage(s->cp);
        if (!s->charset) {
            warn(s->c, CV_TNEF_W_CHARSET, "code page %u unknown; read as windows-1252", s->cp);
            s->charset = "windows-1252";
        }
    }
    rc = cv_charset_decode(out, NULL, s->charset, p, n);
    if (rc == CV_ENOCHARSET && strcmp(s->charset, "windows-1252") != 0) {
        warn(s->c, CV_TNEF_W_CHARSET, "charset %s unknown here; read as windows-1252", s->charset);
        s->charset = "windows-1252";
        rc = cv_charset_decode(out, NULL, s->charset, p, n);
    }
    if (rc == CV_ENOCHARSET) {          /* last resort: ISO-8859-1 by hand */
        char *a = malloc(2 * n + 1);
        size_t o = 0;
        if (!a)
            return fail(s->c, "out of memory");
        for (i = 0; i < n; i++) {
            if (p[i] < 0x80) {
                a[o++] = (char)p[i];
            } else {
                a[o++] = (char)(0xC0 | (p[i] >> 6));
                a[o++] = (char)(0x80 | (p[i] & 0x3F));
            }
        }
        a[o] = '\0';
        *out = a;
        return 0;
    }
    if (rc != 0 || !*out) {
        free(*out);
        *out = NULL;
        return fail(s->c, "out of memory decoding text");
    }
    return 0;
}

/* ---- Pending values ---- */

/* Frees what a pending value owns (binary data is borrowed from the input). */
static void pend_clear(st_value *v)
{
    uint32_t type = PROP_TYPE(v->tag);

    switch (type) {
    case PT_STRING8:
    case PT_UNICODE:
        free(v->v.str);
        break;
    case PT_CLSID:
        free(v->v.guid);
        break;
    case PT_MV_STRING8:
    case PT_MV_UNICODE:
        if (v->v.mv.str)
            for (uint32_t i = 0; i < v->v.mv.n; i++)
                free(v->v.mv.str[i]);
        free(v->v.mv.any);
        break;
    default:
        if (type & MV_FLAG)
            free(v->v.mv.any);   /* MV_BINARY: the st_bin array; data borrowed */
        break;
    }
    memset(v, 0, sizeof *v);
}

static void pendvec_free(pendvec *pv)
{
    for (size_t i = 0; i < pv->n; i++)
        pend_clear(&pv->a[i].v);
    free(pv->a);
    memset(pv, 0, sizeof *pv);
}

/* Takes v (its owned parts) into pv. 0, or -1 (fatal; v cleared). */
static int pendvec_push(ctx *c, pendvec *pv, st_value *v)
{
    if (pv->n == pv->cap) {
        size_t ncap = pv->cap ? pv->cap * 2 : 32;
        pend *a = realloc(pv->a, ncap * sizeof *a);
        if (!a) {
            pend_clear(v);
            return fail(c, "out of memory");
        }
        pv->a = a;
        pv->cap = ncap;
    }
    pv->a[pv->n].v = *v;
    pv->a[pv->n].seq = pv->n;
    pv->n++;
    memset(v, 0, sizeof *v);
    return 0;
}

static int pend_cmp(const void *a, const void *b)
{
    const pend *x = a, *y = b;
    uint32_t ix = PROP_ID(x->v.tag), iy = PROP_ID(y->v.tag);

    if (ix != iy)
        return ix < iy ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Moves the pending values into bag, in ascending id (so each insertion
 * appends), the stream's last value of an id winning. Empties pv. */
static int pendvec_flush(ctx *c, pendvec *pv, st_bag *bag)
{
    int rc = 0;

    if (pv->n > 1)
        qsort(pv->a, pv->n, sizeof *pv->a, pend_cmp);
    for (size_t i = 0; i < pv->n && rc == 0; i++) {
        if (i + 1 < pv->n && PROP_ID(pv->a[i + 1].v.tag) == PROP_ID(pv->a[i].v.tag))
            continue;
        if (st_bag_set(bag, &pv->a[i].v) != 0)
            rc = fail(c, "out of memory storing a property");
    }
    pendvec_free(pv);
    return rc;
}

/* A legacy attribute's value: set unless the bag already has the id (an
 * encapsulated property, which wins). Borrows v. */
static int legacy_set(ctx *c, st_bag *bag, const st_value *v)
{
    if (st_bag_get(bag, CHANGE_PROP_TYPE(v->tag, PT_UNSPECIFIED)))
        return 0;
    if (st_bag_set(bag, v) != 0)
        return fail(c, "out of memory storing a property");
    return 0;
}

static int legacy_str8(stream *s, st_bag *bag, uint32_t tag, const uint8_t *p, size_t n)
{
    char *str;
    st_value v;
    int rc;

    if (st_bag_get(bag, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED)))
        return 0;
    if (str8_to_utf8(s, &str, p, n) != 0)
        return -1;
    v = st_view_str(tag, str);
    rc = legacy_set(s->c, bag, &v);
    free(str);
    return rc;
}

/* ---- Named properties ---- */

static uint32_t fnv(uint32_t h, const void *data, size_t n)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static uint32_t name_hash(const st_propname *pn)
{
    uint8_t g[16];
    uint32_t h = 2166136261u;

    st_guid_to_bytes(g, &pn->guid);
    h = fnv(h, g, 16);
    h = fnv(h, &pn->kind, sizeof pn->kind);
    if (pn->kind == ST_MNID_ID)
        return fnv(h, &pn->lid, sizeof pn->lid);
    return fnv(h, pn->name, strlen(pn->name));
}

static int slots_grow(ctx *c)
{
    size_t n = c->n_slots ? c->n_slots * 2 : 64;
    uint32_t *slots = calloc(n, sizeof *slots);

    if (!slots)
        return fail(c, "out of memory");
    for (size_t i = 0; i < c->res->n_named; i++) {
        size_t j = name_hash(&c->res->named[i].name) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = (uint32_t)i + 1;
    }
    free(c->slots);
    c->slots = slots;
    c->n_slots = n;
    return 0;
}

/* The temporary id of pn (taken over when new: pn is emptied), or 0 when the
 * result already holds CV_TNEF_MAX_NAMED names. -1 fatal. */
static int name_id(ctx *c, st_propname *pn, uint16_t *id)
{
    cv_tnef *res = c->res;
    size_t j;

    *id = 0;
    if (c->n_slots) {
        for (j = name_hash(pn) & (c->n_slots - 1); c->slots[j]; j = (j + 1) & (c->n_slots - 1)) {
            cv_tnef_named *e = &res->named[c->slots[j] - 1];
            if (st_propname_compare(&e->name, pn) == 0) {
                *id = e->id;
                return 0;
            }
        }
    }
    if (res->n_named >= CV_TNEF_MAX_NAMED) {
        warn(c, CV_TNEF_W_LIMIT, "more than %d named properties", CV_TNEF_MAX_NAMED);
        return 0;
    }
    if ((res->n_named + 1) * 2 > c->n_slots && slots_grow(c) != 0)
        return -1;
    if (res->n_named == res->cap_named_) {
        size_t ncap = res->cap_named_ ? res->cap_named_ * 2 : 16;
        cv_tnef_named *a = realloc(res->named, ncap * sizeof *a);
        if (!a)
            return fail(c, "out of memory");
        res->named = a;
        res->cap_named_ = ncap;
    }
    res->named[res->n_named].name = *pn;
    res->named[res->n_named].id = (uint16_t)(0x8000 + res->n_named);
    memset(pn, 0, sizeof *pn);
    for (j = name_hash(&res->named[res->n_named].name) & (c->n_slots - 1); c->slots[j];
         j = (j + 1) & (c->n_slots - 1))
        ;
    c->slots[j] = (uint32_t)res->n_named + 1;
    *id = res->named[res->n_named].id;
    res->n_named++;
    return 0;
}

/* Reads a property name (GUID, kind, LID or UTF-16 string + padding) and
 * gives its temporary id (0: not kept). 0, -2 short data, -1 fatal. */
static int read_name(stream *s, rd *r, uint16_t *id)
{
    const uint8_t *g, *str;
    uint32_t kind, v;
    st_propname pn;
    int rc;

    *id = 0;
    memset(&pn, 0, sizeof pn);
    if (rd_bytes(r, 16, &g) != 0 || rd_u32(r, &kind) != 0 || rd_u32(r, &v) != 0)
        return short_data(s, "a property name");
    st_guid_from_bytes(&pn.guid, g);
    if (kind == 0) {
        pn.kind = ST_MNID_ID;
        pn.lid = v;
    } else if (kind == 1) {
        if (rd_bytes(r, v, &str) != 0)
            return short_data(s, "a property name");
        rd_pad(r, v);
        pn.kind = ST_MNID_STRING;
        if (utf16_to_utf8(&pn.name, str, v) != 0)
            return fail(s->c, "out of memory");
    } else {
        warn(s->c, CV_TNEF_W_DAMAGED, "property name of kind %u", (unsigned)kind);
        return -2;
    }
    rc = name_id(s->c, &pn, id);
    st_propname_clear(&pn);
    return rc;
}

/* ---- Property values ---- */

/* Bytes one fixed-size value takes in the stream (with its padding), or 0
 * for a variable-size or unknown type. */
static size_t fixed_size(uint32_t type)
{
    switch (type) {
    case PT_NULL:
    case PT_I2:
    case PT_LONG:
    case PT_R4:
    case PT_ERROR:
    case PT_BOOLEAN:
        return 4;
    case PT_DOUBLE:
    case PT_CURRENCY:
    case PT_APPTIME:
    case PT_I8:
    case PT_SYSTIME:
        return 8;
    case PT_CLSID:
        return 16;
    default:
        return 0;
    }
}

static int var_type(uint32_t type)
{
    return type == PT_STRING8 || type == PT_UNICODE || type == PT_BINARY || type == PT_OBJECT
        || type == PT_SVREID;
}

/* Moves r past the values of a property of type (MV_FLAG or not): 0, -1
 * when they do not fit, -3 for a type whose layout is unknown. */
static int skip_value(rd *r, uint32_t type)
{
    uint32_t base = type & ~(uint32_t)MVI_FLAG, count = 1, len;
    size_t fs = fixed_size(base);
    const uint8_t *p;

    if (!fs && !var_type(base))
        return -3;
    if ((type & MV_FLAG) || !fs) {
        if (rd_u32(r, &count) != 0)
            return -1;
    }
    if (fs)
        return count > rd_left(r) / fs ? -1 : rd_bytes(r, (size_t)count * fs, &p);
    if (count > rd_left(r) / 4)
        return -1;
    for (uint32_t i = 0; i < count; i++) {
        if (rd_u32(r, &len) != 0 || rd_bytes(r, len, &p) != 0)
            return -1;
        rd_pad(r, len);
    }
    return 0;
}

/* One fixed-size value at p into v (type given); 0, or -1 fatal. */
static int fixed_value(ctx *c, st_value *v, uint32_t type, const uint8_t *p)
{
    uint32_t u;
    uint64_t q;

    switch (type) {
    case PT_I2:
        v->v.i = (int16_t)le16(p);
        break;
    case PT_LONG:
    case PT_ERROR:
        v->v.l = (int32_t)le32(p);
        break;
    case PT_R4:
        u = le32(p);
        memcpy(&v->v.flt, &u, 4);
        break;
    case PT_BOOLEAN:
        v->v.b = le16(p) != 0;
        break;
    case PT_DOUBLE:
    case PT_APPTIME:
        q = le64(p);
        memcpy(&v->v.dbl, &q, 8);
        break;
    case PT_CURRENCY:
    case PT_I8:
        v->v.li = (int64_t)le64(p);
        break;
    case PT_SYSTIME:
        v->v.ft = le64(p);
        break;
    case PT_CLSID:
        v->v.guid = malloc(sizeof *v->v.guid);
        if (!v->v.guid)
            return fail(c, "out of memory");
        st_guid_from_bytes(v->v.guid, p);
        break;
    default:
        break;
    }
    return 0;
}

/* Stores one element of a multi-valued fixed-size property. */
static int mv_fixed_elem(ctx *c, st_value *v, uint32_t base, uint32_t i, const uint8_t *p)
{
    st_value one = { .tag = base };

    if (fixed_value(c, &one, base, p) != 0)
        return -1;
    switch (base) {
    case PT_I2: v->v.mv.i[i] = one.v.i; break;
    case PT_LONG: v->v.mv.l[i] = one.v.l; break;
    case PT_R4: v->v.mv.flt[i] = one.v.flt; break;
    case PT_DOUBLE: v->v.mv.dbl[i] = one.v.dbl; break;
    case PT_APPTIME: v->v.mv.at[i] = one.v.at; break;
    case PT_CURRENCY: v->v.mv.cur[i] = one.v.cur; break;
    case PT_I8: v->v.mv.li[i] = one.v.li; break;
    case PT_SYSTIME: v->v.mv.ft[i] = one.v.ft; break;
    case PT_CLSID:
        v->v.mv.guid[i] = *one.v.guid;
        free(one.v.guid);
        break;
    default: break;
    }
    return 0;
}

static size_t mv_elem_size(uint32_t base)
{
    switch (base) {
    case PT_I2: return sizeof(int16_t);
    case PT_LONG: return sizeof(int32_t);
    case PT_R4: return sizeof(float);
    case PT_DOUBLE: case PT_APPTIME: return sizeof(double);
    case PT_CURRENCY: case PT_I8: case PT_SYSTIME: return sizeof(int64_t);
    case PT_CLSID: return sizeof(st_guid);
    case PT_STRING8: case PT_UNICODE: return sizeof(char *);
    case PT_BINARY: return sizeof(st_bin);
    default: return 0;
    }
}

/* Decodes one string value (type PT_STRING8 or PT_UNICODE) to UTF-8. */
static int str_value(stream *s, char **out, uint32_t type, const uint8_t *p, size_t n)
{
    if (type == PT_UNICODE)
        return utf16_to_utf8(out, p, n) == 0 ? 0 : fail(s->c, "out of memory");
    return str8_to_utf8(s, out, p, n);
}

/* ---- Attachment data ---- */

static int has_data(const cv_attachment *att)
{
    return att->data_id != 0 || st_bag_get(att->props, PR_ATTACH_DATA_BIN) != NULL;
}

/* Gives len bytes at p to the attachment: through the sink in chunks, or
 * into PR_ATTACH_DATA_BIN. An attachment that has data keeps it. */
static int attach_data(stream *s, cv_attachment *att, const uint8_t *p, size_t len)
{
    ctx *c = s->c;
    const cv_sink *k = c->sink;
    uint64_t id = 0;

    if (has_data(att)) {
        ST_LOG_TRACE(ST_LOG_CONVERT, "tnef: second copy of attachment data ignored");
        return 0;
    }
    if (!k) {
        if (st_bag_set_bin(att->props, PR_ATTACH_DATA_BIN, p, (uint32_t)len) != 0)
            return fail(c, "out of memory");
        att->data_size = len;
        return 0;
    }
    if (k->begin(k->ctx, &id) != 0 || id == 0)
        return fail(c, "attachment sink refused a stream");
    for (size_t off = 0; off < len;) {
        size_t n = len - off < CV_TNEF_CHUNK ? len - off : CV_TNEF_CHUNK;
        if (k->write(k->ctx, id, p + off, n) != 0) {
            k->end(k->ctx, id, 0);
            return fail(c, "attachment sink write failed");
        }
        off += n;
    }
    if (k->end(k->ctx, id, 1) != 0)
        return fail(c, "attachment sink failed to close a stream");
    att->data_id = id;
    att->data_size = len;
    return 0;
}

static int parse_stream(ctx *c, cv_message *msg, const uint8_t *p, size_t n, int depth,
                        unsigned inherit_cp, uint16_t *key, unsigned *cp_used);

/* PR_ATTACH_DATA_OBJ: an attached message (IID_IMessage + TNEF stream), or
 * an OLE object whose bytes (after the IID) become the attachment's data. */
static int attach_object(stream *s, cv_attachment *att, const uint8_t *p, size_t len)
{
    ctx *c = s->c;
    cv_message *m;
    int rc;

    if (len < 16) {
        warn(c, CV_TNEF_W_DAMAGED, "attachment object of %u bytes", (unsigned)len);
        return 0;
    }
    if (memcmp(p, iid_imessage, 16) != 0)
        return attach_data(s, att, p + 16, len - 16);
    if (att->embedded) {
        ST_LOG_TRACE(ST_LOG_CONVERT, "tnef: second attached message ignored");
        return 0;
    }
    if (s->depth + 1 > CV_TNEF_MAX_DEPTH) {
        warn(c, CV_TNEF_W_LIMIT, "attached messages nest deeper than %d", CV_TNEF_MAX_DEPTH);
        return 0;
    }
    m = cv_message_new();
    if (!m)
        return fail(c, "out of memory");
    rc = parse_stream(c, m, p + 16, len - 16, s->depth + 1, s->cp, NULL, NULL);
    if (rc == -1) {
        cv_message_free(m);
        return -1;
    }
    if (rc == CV_EPARSE) {
        warn(c, CV_TNEF_W_DAMAGED, "attached message is not a TNEF stream");
        cv_message_free(m);
        return 0;
    }
    att->embedded = m;
    /* attAttachRendData said "file"; the attached message says otherwise. */
    if (st_bag_set_long(att->props, PR_ATTACH_METHOD, (int32_t)ATTACH_EMBEDDED_MSG) != 0)
        return fail(c, "out of memory");
    return 0;
}

/* ---- One encapsulated property ---- */

/* Reads one property at r (tag, name, values) and queues what is kept in pv.
 * 0, -2 (short data or unknown layout: the rest of the list is lost), -1. */
static int read_prop(stream *s, rd *r, int target, cv_attachment *att, pendvec *pv)
{
    ctx *c = s->c;
    uint32_t tag, type, base, count = 1, len;
    uint16_t id, named = 0;
    const uint8_t *p;
    st_value v;
    rd end;
    int rc, keep;

    if (rd_u32(r, &tag) != 0)
        return short_data(s, "a property tag");
    type = PROP_TYPE(tag) & ~(uint32_t)MV_INSTANCE;
    base = type & ~(uint32_t)MV_FLAG;
    id = (uint16_t)PROP_ID(tag);
    if (id >= 0x8000) {
        rc = read_name(s, r, &named);
        if (rc != 0)
            return rc;
    }
    end = *r;
    rc = skip_value(&end, type);
    if (rc == -3) {
        warn(c, CV_TNEF_W_DAMAGED, "property 0x%08X of unknown type", (unsigned)tag);
        return -2;
    }
    if (rc != 0)
        return short_data(s, "a property value");
    /* From here on the values are known to lie within [r->off, end.off). */
    keep = id != PROP_ID_NULL && id != PROP_ID_INVALID && (id < 0x8000 || named)
        && st_proptype_valid(type) && base != PT_NULL && base != PT_OBJECT
        && !(target == T_ATTACHMENT && id == PROP_ID(PR_ATTACH_NUM))
        && !(target == T_RECIPIENT && id == PROP_ID(PR_ROWID));
    if (named)
        id = named;
    memset(&v, 0, sizeof v);
    v.tag = PROP_TAG(type, id);

    if (target == T_ATTACHMENT && att && (tag == PR_ATTACH_DATA_BIN || tag == PR_ATTACH_DATA_OBJ)) {
        if (rd_u32(r, &count) == 0 && count >= 1 && rd_u32(r, &len) == 0
            && rd_bytes(r, len, &p) == 0) {
            rc = tag == PR_ATTACH_DATA_BIN ? attach_data(s, att, p, len)
                                           : attach_object(s, att, p, len);
            if (rc == -1)
                return -1;
        }
        *r = end;
        return 0;
    }
    if (!keep) {
        ST_LOG_TRACE(ST_LOG_CONVERT, "tnef: property 0x%08X not kept", (unsigned)tag);
        *r = end;
        return 0;
    }

    /* skip_value measured these reads; the checks only keep that visible. */
    if (!(type & MV_FLAG) && fixed_size(type)) {
        if (rd_bytes(r, fixed_size(type), &p) != 0)
            return short_data(s, "a property value");
        if (fixed_value(c, &v, type, p) != 0)
            return -1;
    } else if (!(type & MV_FLAG)) {
        if (rd_u32(r, &count) != 0)   /* normally 1; only the first value is kept */
            return short_data(s, "a property value");
        if (count == 0) {
            *r = end;
            return 0;                 /* no value at all: nothing to keep */
        }
        if (rd_u32(r, &len) != 0 || rd_bytes(r, len, &p) != 0)
            return short_data(s, "a property value");
        if (base == PT_STRING8 || base == PT_UNICODE) {
            if (str_value(s, &v.v.str, base, p, len) != 0)
                return -1;
        } else {
            v.v.bin.len = len;
            v.v.bin.data = (uint8_t *)(uintptr_t)p;   /* borrowed */
        }
    } else {
        size_t fs = fixed_size(base), es = mv_elem_size(base);
        if (rd_u32(r, &count) != 0)
            return short_data(s, "a property value");
        v.v.mv.n = count;
        if (count) {
            v.v.mv.any = calloc(count, es);
            if (!v.v.mv.any)
                return fail(c, "out of memory");
        }
        for (uint32_t i = 0; i < count; i++) {
            if (fs) {
                if (rd_bytes(r, fs, &p) != 0)
                    rc = -2;
                else
                    rc = mv_fixed_elem(c, &v, base, i, p);
            } else if (rd_u32(r, &len) != 0 || rd_bytes(r, len, &p) != 0) {
                rc = -2;
            } else {
                rd_pad(r, len);
                if (base == PT_BINARY) {
                    v.v.mv.bin[i].len = len;
                    v.v.mv.bin[i].data = (uint8_t *)(uintptr_t)p;
                    rc = 0;
                } else {
                    rc = str_value(s, &v.v.mv.str[i], base, p, len);
                }
            }
            if (rc != 0) {
                pend_clear(&v);
                return rc == -2 ? short_data(s, "a property value") : -1;
            }
        }
    }
    *r = end;
    return pendvec_push(c, pv, &v);
}

/* A counted property list (attMsgProps, attAttachment, one recipient row)
 * into bag. 0, -2 (the list was cut short; what came before is kept), -1. */
static int read_props(stream *s, rd *r, st_bag *bag, int target, cv_attachment *att)
{
    pendvec pv = { 0 };
    uint32_t count;
    int rc = 0;

    if (rd_u32(r, &count) != 0)
        return short_data(s, "a property count");
    for (uint32_t i = 0; i < count && rc == 0; i++) {
        if (i == CV_TNEF_MAX_PROPS) {
            warn(s->c, CV_TNEF_W_LIMIT, "more than %d properties in a list", CV_TNEF_MAX_PROPS);
            rc = -2;
            break;
        }
        rc = read_prop(s, r, target, att, &pv);
    }
    if (rc == -1) {
        pendvec_free(&pv);
        return -1;
    }
    if (pendvec_flush(s->c, &pv, bag) != 0)
        return -1;
    return rc;
}

static int read_recipients(stream *s, rd *r)
{
    uint32_t rows;
    st_bag *row;
    int rc = 0;

    if (rd_u32(r, &rows) != 0) {
        short_data(s, "a recipient count");
        return 0;
    }
    for (uint32_t i = 0; i < rows && rc == 0; i++) {
        if (i == CV_TNEF_MAX_RECIPIENTS) {
            warn(s->c, CV_TNEF_W_LIMIT, "more than %d recipients", CV_TNEF_MAX_RECIPIENTS);
            break;
        }
        if (rd_left(r) < 4) {
            short_data(s, "the recipient table");
            break;
        }
        if (cv_message_add_recipient(s->msg, &row) != 0)
            return fail(s->c, "out of memory");
        rc = read_props(s, r, row, T_RECIPIENT, NULL);
    }
    return rc == -1 ? -1 : 0;
}

/* ---- Legacy attributes ---- */

/* DTR (year, month, day, hour, minute, second, weekday; read as UTC) to
 * FILETIME ticks. 0, or -1 when the date is not one. */
static int dtr_to_filetime(uint64_t *out, const uint8_t *p, size_t n)
{
    unsigned y, m, d, hh, mm, ss;
    int64_t days;

    if (n < 12)
        return -1;
    y = le16(p); m = le16(p + 2); d = le16(p + 4);
    hh = le16(p + 6); mm = le16(p + 8); ss = le16(p + 10);
    if (y < 1601 || y > 30827 || m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
        return -1;
    /* Days since 1601-01-01 in the proleptic Gregorian calendar (the civil
     * day count from 0000-03-01, less the 584694 days up to 1601-01-01). */
    {
        int64_t yy = (int64_t)y - (m <= 2);
        int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;
        int64_t era = yy / 400;
        int64_t yoe = yy - era * 400;
        int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
        int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        days = era * 146097 + doe - 584694;
    }
    *out = ((uint64_t)days * 86400u + hh * 3600u + mm * 60u + ss) * 10000000u;
    return 0;
}

static int legacy_date(stream *s, st_bag *bag, uint32_t tag, const uint8_t *p, size_t n)
{
    uint64_t ft;
    st_value v;

    if (dtr_to_filetime(&ft, p, n) != 0) {
        ST_LOG_TRACE(ST_LOG_CONVERT, "tnef: invalid date attribute for 0x%08X", (unsigned)tag);
        return 0;
    }
    v = st_view_systime(tag, ft);
    return legacy_set(s->c, bag, &v);
}

/* attMessageID and friends: a hex string of the binary key. */
static int legacy_hexkey(stream *s, st_bag *bag, uint32_t tag, const uint8_t *p, size_t n)
{
    const uint8_t *nul = memchr(p, 0, n);
    uint8_t *bin;
    size_t len, i;
    st_value v;
    int rc;

    if (nul)
        n = (size_t)(nul - p);
    len = n / 2;
    bin = malloc(len + 1);
    if (!bin)
        return fail(s->c, "out of memory");
    for (i = 0; i < len; i++) {
        int hi = p[2 * i], lo = p[2 * i + 1], h, l;
        h = hi >= '0' && hi <= '9' ? hi - '0' : hi >= 'A' && hi <= 'F' ? hi - 'A' + 10
            : hi >= 'a' && hi <= 'f' ? hi - 'a' + 10 : -1;
        l = lo >= '0' && lo <= '9' ? lo - '0' : lo >= 'A' && lo <= 'F' ? lo - 'A' + 10
            : lo >= 'a' && lo <= 'f' ? lo - 'a' + 10 : -1;
        if (h < 0 || l < 0)
            break;
        bin[i] = (uint8_t)(h << 4 | l);
    }
    if (i < len || (n & 1))
        v = st_view_bin(tag, p, (uint32_t)n);      /* not hex: keep the bytes */
    else
        v = st_view_bin(tag, bin, (uint32_t)len);
    rc = legacy_set(s->c, bag, &v);
    free(bin);
    return rc;
}

/* Legacy message classes of MS Mail and Schedule+ ([MS-OXTNEF] 2.1.3.3.5). */
static const char *map_class(const char *cls)
{
    static const char *const map[][2] = {
        { "IPM.Microsoft Mail.Note", "IPM.Note" },
        { "IPM.Microsoft Mail.Read Receipt", "Report.IPM.Note.IPNRN" },
        { "IPM.Microsoft Mail.Non-Delivery", "Report.IPM.Note.NDR" },
        { "IPM.Microsoft Schedule.MtgRespP", "IPM.Schedule.Meeting.Resp.Pos" },
        { "IPM.Microsoft Schedule.MtgRespN", "IPM.Schedule.Meeting.Resp.Neg" },
        { "IPM.Microsoft Schedule.MtgRespA", "IPM.Schedule.Meeting.Resp.Tent" },
        { "IPM.Microsoft Schedule.MtgReq", "IPM.Schedule.Meeting.Request" },
        { "IPM.Microsoft Schedule.MtgCncl", "IPM.Schedule.Meeting.Canceled" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(cls, map[i][0]) == 0)
            return map[i][1];
    return cls;
}

static int legacy_class(stream *s, st_bag *bag, uint32_t tag, const uint8_t *p, size_t n)
{
    char *str;
    st_value v;
    int rc;

    if (st_bag_get(bag, CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED)))
        return 0;
    if (str8_to_utf8(s, &str, p, n) != 0)
        return -1;
    v = st_view_str(tag, map_class(str));
    rc = legacy_set(s->c, bag, &v);
    free(str);
    return rc;
}

/* attFrom: TRP (trpid, cbgrtrp, cch, cb), display name (cch bytes), then
 * "ADDRTYPE:address" (cb bytes). */
static int legacy_from(stream *s, const uint8_t *p, size_t n)
{
    st_bag *bag = s->msg->props;
    size_t cch, cb;
    const uint8_t *addr, *colon;

    if (n < 8)
        return 0;
    cch = le16(p + 4);
    cb = le16(p + 6);
    if (cch > n - 8 || cb > n - 8 - cch) {
        warn(s->c, CV_TNEF_W_DAMAGED, "attFrom lengths do not fit");
        return 0;
    }
    if (legacy_str8(s, bag, PR_SENDER_NAME_A, p + 8, cch) != 0)
        return -1;
    addr = p + 8 + cch;
    colon = memchr(addr, ':', cb);
    if (colon) {
        if (legacy_str8(s, bag, PR_SENDER_ADDRTYPE_A, addr, (size_t)(colon - addr)) != 0)
            return -1;
        cb -= (size_t)(colon + 1 - addr);
        addr = colon + 1;
    }
    return legacy_str8(s, bag, PR_SENDER_EMAIL_ADDRESS_A, addr, cb);
}

/* Makes sure s->att is an attachment to fill (attachment attributes before
 * any attAttachRendData start one). 0, 1 when attachments are dropped. */
static int need_attachment(stream *s, int start)
{
    if (!start && s->att)
        return 0;
    if (!start && s->att_dropped)
        return 1;
    if (s->msg->n_attachments >= CV_TNEF_MAX_ATTACHMENTS) {
        if (!s->att_dropped)
            warn(s->c, CV_TNEF_W_LIMIT, "more than %d attachments", CV_TNEF_MAX_ATTACHMENTS);
        s->att_dropped = 1;
        s->att = NULL;
        return 1;
    }
    if (cv_message_add_attachment(s->msg, &s->att) != 0)
        return fail(s->c, "out of memory");
    s->att_dropped = 0;
    return 0;
}

static int attribute(stream *s, uint32_t id, const uint8_t *p, size_t n)
{
    ctx *c = s->c;
    st_bag *mp = s->msg->props;
    st_value v;
    rd r = { p, n, 0 };
    int rc;

    /* Only the property lists are useful when cut short. */
    if (s->cut && id != ATT_MAPI_PROPS && id != ATT_ATTACHMENT && id != ATT_RECIP_TABLE)
        return 0;

    switch (id) {
    case ATT_TNEF_VERSION:
        return 0;
    case ATT_OEM_CODEPAGE:
        if (!s->cp_fixed && n >= 4 && le32(p)) {
            s->cp = le32(p);
            s->charset = NULL;
        }
        return 0;
    case ATT_MAPI_PROPS:
        return read_props(s, &r, mp, T_MESSAGE, NULL) == -1 ? -1 : 0;
    case ATT_RECIP_TABLE:
        return read_recipients(s, &r);
    case ATT_MESSAGE_CLASS:
        return legacy_class(s, mp, PR_MESSAGE_CLASS_A, p, n);
    case ATT_ORIGINAL_MESSAGE_CLASS:
        return legacy_class(s, mp, PR_ORIG_MESSAGE_CLASS_A, p, n);
    case ATT_SUBJECT:
        return legacy_str8(s, mp, PR_SUBJECT_A, p, n);
    case ATT_BODY:
        return legacy_str8(s, mp, PR_BODY_A, p, n);
    case ATT_FROM:
        return legacy_from(s, p, n);
    case ATT_DATE_SENT:
        return legacy_date(s, mp, PR_CLIENT_SUBMIT_TIME, p, n);
    case ATT_DATE_RECD:
        return legacy_date(s, mp, PR_MESSAGE_DELIVERY_TIME, p, n);
    case ATT_DATE_MODIFIED:
        return legacy_date(s, mp, PR_LAST_MODIFICATION_TIME, p, n);
    case ATT_DATE_START:
        return legacy_date(s, mp, PR_START_DATE, p, n);
    case ATT_DATE_END:
        return legacy_date(s, mp, PR_END_DATE, p, n);
    case ATT_MESSAGE_ID:
        return legacy_hexkey(s, mp, PR_SEARCH_KEY, p, n);
    case ATT_PARENT_ID:
        return legacy_hexkey(s, mp, PR_PARENT_KEY, p, n);
    case ATT_CONVERSATION_ID:
        return legacy_hexkey(s, mp, PR_CONVERSATION_KEY, p, n);
    case ATT_PRIORITY:
        if (n >= 2) {
            unsigned prio = le16(p);   /* 1 high, 2 normal, 3 low */
            v = st_view_long(PR_IMPORTANCE, prio == 1 ? 2 : prio == 3 ? 0 : 1);
            return legacy_set(c, mp, &v);
        }
        return 0;
    case ATT_MESSAGE_STATUS:
        if (n >= 1) {
            int32_t f = 0;
            f |= (p[0] & FMS_READ) ? (int32_t)MSGFLAG_READ : 0;
            f |= (p[0] & FMS_MODIFIED) ? 0 : (int32_t)MSGFLAG_UNMODIFIED;
            f |= (p[0] & FMS_SUBMITTED) ? (int32_t)MSGFLAG_SUBMIT : 0;
            f |= (p[0] & FMS_LOCAL) ? (int32_t)MSGFLAG_UNSENT : 0;
            f |= (p[0] & FMS_HAS_ATTACH) ? (int32_t)MSGFLAG_HASATTACH : 0;
            v = st_view_long(PR_MESSAGE_FLAGS, f);
            return legacy_set(c, mp, &v);
        }
        return 0;
    case ATT_AID_OWNER:
        if (n >= 4) {
            v = st_view_long(PR_OWNER_APPT_ID, (int32_t)le32(p));
            return legacy_set(c, mp, &v);
        }
        return 0;
    case ATT_REQUEST_RES:
        if (n >= 2) {
            v = st_view_bool(PR_RESPONSE_REQUESTED, le16(p) != 0);
            return legacy_set(c, mp, &v);
        }
        return 0;
    case ATT_OWNER:
    case ATT_SENT_FOR:
    case ATT_DELEGATE:
        /* Schedule+ owner/delegate blobs: Outlook also writes the
         * PidTagSentRepresenting* and PidTagReceivedRepresenting*
         * properties they map to in attMsgProps, which we read. */
        return 0;

    case ATT_ATTACH_REND_DATA:
        rc = need_attachment(s, 1);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
        if (n >= 14) {
            v = st_view_long(PR_ATTACH_METHOD,
                             (int32_t)(le16(p) == ATYP_OLE ? ATTACH_OLE : ATTACH_BY_VALUE));
            if (legacy_set(c, s->att->props, &v) != 0)
                return -1;
            v = st_view_long(PR_RENDERING_POSITION, (int32_t)le32(p + 2));
            return legacy_set(c, s->att->props, &v);
        }
        return 0;
    case ATT_ATTACH_DATA:
    case ATT_ATTACH_TITLE:
    case ATT_ATTACH_META_FILE:
    case ATT_ATTACH_CREATE_DATE:
    case ATT_ATTACH_MODIFY_DATE:
    case ATT_ATTACH_TRANSPORT_FILENAME:
    case ATT_ATTACHMENT:
        rc = need_attachment(s, 0);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
        switch (id) {
        case ATT_ATTACH_DATA:
            return attach_data(s, s->att, p, n);
        case ATT_ATTACH_TITLE:
            return legacy_str8(s, s->att->props, PR_ATTACH_FILENAME_A, p, n);
        case ATT_ATTACH_TRANSPORT_FILENAME:
            return legacy_str8(s, s->att->props, PR_ATTACH_TRANSPORT_NAME_A, p, n);
        case ATT_ATTACH_META_FILE:
            v = st_view_bin(PR_ATTACH_RENDERING, p, (uint32_t)n);
            return legacy_set(c, s->att->props, &v);
        case ATT_ATTACH_CREATE_DATE:
            return legacy_date(s, s->att->props, PR_CREATION_TIME, p, n);
        case ATT_ATTACH_MODIFY_DATE:
            return legacy_date(s, s->att->props, PR_LAST_MODIFICATION_TIME, p, n);
        default:   /* ATT_ATTACHMENT */
            return read_props(s, &r, s->att->props, T_ATTACHMENT, s->att) == -1 ? -1 : 0;
        }
    default:
        ST_LOG_TRACE(ST_LOG_CONVERT, "tnef: attribute 0x%08X ignored", (unsigned)id);
        return 0;
    }
}

/* ---- The stream ---- */

/* The code page of 8-bit text: attOemCodepage, else PR_INTERNET_CPID, else
 * PR_MESSAGE_CODEPAGE from attMsgProps; 0 when none. Reads headers only. */
static unsigned prescan(const uint8_t *p, size_t n)
{
    rd r = { p, n, 6 };
    unsigned cpid = 0, mcp = 0;
    const uint8_t *h, *d;

    if (n < 6)
        return 0;
    while (rd_bytes(&r, 9, &h) == 0) {
        uint32_t id = le32(h + 1), len = le32(h + 5);
        if (rd_bytes(&r, len, &d) != 0)
            break;
        r.off += rd_left(&r) < 2 ? rd_left(&r) : 2;
        if (id == ATT_OEM_CODEPAGE && len >= 4 && le32(d))
            return le32(d);
        if (id == ATT_MAPI_PROPS) {
            rd q = { d, len, 0 };
            uint32_t count, tag, kind, v;
            const uint8_t *x;
            if (rd_u32(&q, &count) != 0)
                continue;
            for (uint32_t i = 0; i < count; i++) {
                if (rd_u32(&q, &tag) != 0)
                    break;
                if (PROP_ID(tag) >= 0x8000) {
                    if (rd_bytes(&q, 16, &x) != 0 || rd_u32(&q, &kind) != 0 || rd_u32(&q, &v) != 0)
                        break;
                    if (kind == 1) {
                        if (rd_bytes(&q, v, &x) != 0)
                            break;
                        rd_pad(&q, v);
                    }
                }
                if (tag == PR_INTERNET_CPID && rd_left(&q) >= 4)
                    cpid = le32(q.p + q.off);
                if (tag == PR_MESSAGE_CODEPAGE && rd_left(&q) >= 4)
                    mcp = le32(q.p + q.off);
                if (skip_value(&q, PROP_TYPE(tag) & ~(uint32_t)MV_INSTANCE) != 0)
                    break;
            }
        }
    }
    return cpid ? cpid : mcp;
}

/* Hands the data of the current attribute (complete unless s->cut) to
 * where it belongs. p/n: the data when it was buffered or read in place. */
static int attribute_done(stream *s, const uint8_t *p, size_t n)
{
    static const uint8_t empty[1];
    ctx *c = s->c;
    const cv_sink *k = c->sink;
    int rc = 0;

    if (!p)
        p = empty;      /* nothing buffered: the decoders never see NULL */

    if (s->mode == D_SINK) {
        if (s->cut) {
            k->end(k->ctx, s->sink_id, 0);   /* the caller was told: truncated */
        } else if (k->end(k->ctx, s->sink_id, 1) != 0) {
            rc = fail(c, "attachment sink failed to close a stream");
        } else {
            s->att->data_id = s->sink_id;
            s->att->data_size = s->len;
        }
        s->sink_id = 0;
    } else if (s->mode == D_BUFFER) {
        rc = attribute(s, s->id, p, n);
    }
    s->cut = 0;
    s->mode = D_BUFFER;
    if (s->cap > ((size_t)1 << 20)) {   /* keep a small buffer for the next one only */
        free(s->data);
        s->data = NULL;
        s->cap = 0;
    }
    return rc == -1 || c->fatal ? -1 : 0;
}

/* An attribute header has been read: decide where its data goes. */
static int attribute_begin(stream *s, const uint8_t *h)
{
    ctx *c = s->c;
    const cv_sink *k = c->sink;
    int rc;

    s->level = h[0];
    s->id = le32(h + 1);
    s->len = le32(h + 5);
    s->got = 0;
    s->sum = 0;
    s->n_hold = 0;
    s->mode = D_BUFFER;
    if (s->level == 0 && s->id == 0 && s->len == 0) {
        s->state = R_ZEROS;             /* some writers pad the stream with zeros */
        return 0;
    }
    s->state = s->len ? R_DATA : R_SUM;
    if (s->level != LVL_MESSAGE && s->level != LVL_ATTACHMENT) {
        s->mode = D_DROP;
        warn(c, CV_TNEF_W_DAMAGED, "attribute 0x%08X at level %u", (unsigned)s->id, s->level);
    } else if (s->id == ATT_ATTACH_DATA && k) {
        /* Attachment data goes to the sink as it comes, never buffered. */
        rc = need_attachment(s, 0);
        if (rc < 0)
            return -1;
        if (rc > 0 || has_data(s->att)) {
            s->mode = D_DROP;
        } else {
            if (k->begin(k->ctx, &s->sink_id) != 0 || s->sink_id == 0)
                return fail(c, "attachment sink refused a stream");
            s->mode = D_SINK;
        }
    }
    return 0;
}

/* Takes n bytes of the current attribute's data. */
static int attribute_data(stream *s, const uint8_t *p, size_t n)
{
    ctx *c = s->c;
    const cv_sink *k = c->sink;

    for (size_t i = 0; i < n; i++)
        s->sum = (uint16_t)(s->sum + p[i]);
    s->got += (uint32_t)n;
    if (s->mode == D_SINK) {
        for (size_t off = 0; off < n;) {
            size_t m = n - off < CV_TNEF_CHUNK ? n - off : CV_TNEF_CHUNK;
            if (k->write(k->ctx, s->sink_id, p + off, m) != 0) {
                k->end(k->ctx, s->sink_id, 0);
                s->sink_id = 0;
                s->mode = D_DROP;
                return fail(c, "attachment sink write failed");
            }
            off += m;
        }
    } else if (s->mode == D_BUFFER && n) {
        /* Grows with the bytes that came, never with the length announced. */
        if (s->got > s->cap) {
            size_t ncap = s->cap ? s->cap : 4096;
            uint8_t *d;
            while (ncap < s->got)
                ncap *= 2;
            d = realloc(s->data, ncap);
            if (!d)
                return fail(c, "out of memory");
            s->data = d;
            s->cap = ncap;
        }
        memcpy(s->data + s->got - n, p, n);
    }
    return 0;
}

static void attribute_checksum(stream *s, uint16_t sum)
{
    if (sum != s->sum)
        warn(s->c, CV_TNEF_W_CHECKSUM, "checksum of attribute 0x%08X is 0x%04X, not 0x%04X",
             (unsigned)s->id, (unsigned)sum, (unsigned)s->sum);
}

/* Reads n more bytes of the stream. 0, CV_EPARSE (no signature), -1. */
static int stream_feed(stream *s, const uint8_t *p, size_t n)
{
    ctx *c = s->c;
    size_t k;

    while (n > 0 && !c->fatal) {
        switch (s->state) {
        case R_SIG:
            k = 6 - s->n_hold < n ? 6 - s->n_hold : n;
            memcpy(s->hold + s->n_hold, p, k);
            s->n_hold += k;
            p += k;
            n -= k;
            if (s->n_hold >= 4 && le32(s->hold) != CV_TNEF_SIGNATURE) {
                s->state = R_DONE;
                return CV_EPARSE;
            }
            if (s->n_hold == 6) {
                s->key = le16(s->hold + 4);
                s->n_hold = 0;
                s->state = R_HEAD;
            }
            break;
        case R_HEAD:
            if (s->n_hold == 0 && n >= 9) {
                if (attribute_begin(s, p) != 0)
                    return -1;
                p += 9;
                n -= 9;
                /* The whole attribute is here: read it in place, no copy. */
                if (s->state == R_DATA && s->mode == D_BUFFER && n >= 2 && s->len <= n - 2) {
                    for (size_t i = 0; i < s->len; i++)
                        s->sum = (uint16_t)(s->sum + p[i]);
                    attribute_checksum(s, le16(p + s->len));
                    if (attribute_done(s, p, s->len) != 0)
                        return -1;
                    p += s->len + 2;
                    n -= s->len + 2;
                    s->state = R_HEAD;
                }
                break;
            }
            k = 9 - s->n_hold < n ? 9 - s->n_hold : n;
            memcpy(s->hold + s->n_hold, p, k);
            s->n_hold += k;
            p += k;
            n -= k;
            if (s->n_hold == 9 && attribute_begin(s, s->hold) != 0)
                return -1;
            break;
        case R_DATA:
            k = s->len - s->got < n ? s->len - s->got : n;
            if (attribute_data(s, p, k) != 0)
                return -1;
            p += k;
            n -= k;
            if (s->got == s->len) {
                s->state = R_SUM;
                s->n_hold = 0;
            }
            break;
        case R_SUM:
            k = 2 - s->n_hold < n ? 2 - s->n_hold : n;
            memcpy(s->hold + s->n_hold, p, k);
            s->n_hold += k;
            p += k;
            n -= k;
            if (s->n_hold == 2) {
                attribute_checksum(s, le16(s->hold));
                s->n_hold = 0;
                s->state = R_HEAD;
                if (attribute_done(s, s->data, s->got) != 0)
                    return -1;
            }
            break;
        case R_ZEROS:
            for (k = 0; k < n && p[k] == 0; k++)
                ;
            if (k < n) {
                warn(c, CV_TNEF_W_DAMAGED, "data after the zero padding");
                s->state = R_DONE;
            }
            n = 0;
            break;
        default:      /* R_DONE */
            n = 0;
            break;
        }
    }
    return c->fatal ? -1 : 0;
}

/* The end of the stream: what was cut is said, and read as far as it goes.
 * 0, CV_EPARSE (not even a signature), -1. */
static int stream_finish(stream *s)
{
    ctx *c = s->c;
    int rc = 0;

    switch (s->state) {
    case R_SIG:
        if (s->n_hold < 4)
            rc = CV_EPARSE;
        else
            warn(c, CV_TNEF_W_TRUNCATED, "stream ends inside its header");
        break;
    case R_HEAD: {
        int zeros = 1;
        for (size_t i = 0; i < s->n_hold; i++)
            zeros &= s->hold[i] == 0;
        if (!zeros)
            warn(c, CV_TNEF_W_TRUNCATED, "stream ends inside an attribute header");
        break;
    }
    case R_DATA:
        warn(c, CV_TNEF_W_TRUNCATED, "stream ends inside attribute 0x%08X (%u of %u bytes)",
             (unsigned)s->id, (unsigned)s->got, (unsigned)s->len);
        s->cut = 1;
        rc = attribute_done(s, s->data, s->got);
        break;
    case R_SUM:
        warn(c, CV_TNEF_W_TRUNCATED, "stream ends before the checksum of 0x%08X", (unsigned)s->id);
        rc = attribute_done(s, s->data, s->got);
        break;
    default:
        break;
    }
    s->state = R_DONE;
    return rc;
}

static void stream_init(stream *s, ctx *c, cv_message *msg, int depth, unsigned cp)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    s->msg = msg;
    s->depth = depth;
    s->cp = cp;
    s->state = R_SIG;
}

/* Frees the reader's buffer; a sink stream still open is given up. */
static void stream_clear(stream *s)
{
    if (s->mode == D_SINK && s->sink_id) {
        s->c->sink->end(s->c->sink->ctx, s->sink_id, 0);
        s->sink_id = 0;
    }
    free(s->data);
    s->data = NULL;
    s->cap = 0;
}

/* Reads one whole TNEF stream (the top message's or an attached one's)
 * into msg. 0 (warnings say what went wrong), CV_EPARSE (no signature:
 * nothing read), -1 fatal. */
static int parse_stream(ctx *c, cv_message *msg, const uint8_t *p, size_t n, int depth,
                        unsigned inherit_cp, uint16_t *key, unsigned *cp_used)
{
    stream s;
    unsigned cp = n >= 6 && le32(p) == CV_TNEF_SIGNATURE ? prescan(p, n) : 0;
    int rc;

    stream_init(&s, c, msg, depth, cp ? cp : inherit_cp ? inherit_cp : c->default_cp);
    s.cp_fixed = cp != 0;
    rc = stream_feed(&s, p, n);
    if (rc == 0)
        rc = stream_finish(&s);
    if (key)
        *key = s.key;
    if (cp_used)
        *cp_used = s.cp;
    stream_clear(&s);
    return rc;
}

/* ---- Public ---- */

struct cv_tnef_reader {
    ctx c;                    /* parse state; c.res is the result being built */
    stream s;                 /* the top message's stream */
    int rc;                   /* 0, or the first CV_EPARSE / -1 met: feeding stopped */
};

int cv_tnef_detect(const void *data, size_t len)
{
    return data && len >= 4 && le32(data) == CV_TNEF_SIGNATURE;
}

int cv_tnef_reader_new(cv_tnef_reader **out, const cv_tnef_options *opt)
{
    cv_tnef_reader *r = calloc(1, sizeof *r);

    *out = NULL;
    if (!r || !(r->c.res = calloc(1, sizeof *r->c.res)) || !(r->c.res->msg = cv_message_new())) {
        if (r)
            free(r->c.res);
        free(r);
        st_error_set("out of memory");
        return -1;
    }
    r->c.sink = opt ? opt->sink : NULL;
    r->c.default_cp = opt && opt->codepage ? opt->codepage : 1252;
    stream_init(&r->s, &r->c, r->c.res->msg, 0, r->c.default_cp);
    *out = r;
    return 0;
}

int cv_tnef_reader_feed(cv_tnef_reader *r, const void *data, size_t len)
{
    if (r->rc == 0 && len)
        r->rc = stream_feed(&r->s, data, len);
    if (r->rc == CV_EPARSE)
        st_error_set("not a TNEF stream (no signature)");
    return r->rc;
}

int cv_tnef_reader_finish(cv_tnef_reader *r, cv_tnef **out)
{
    cv_tnef *res = r->c.res;
    int rc = r->rc;

    *out = NULL;
    if (rc == 0)
        rc = stream_finish(&r->s);
    stream_clear(&r->s);
    if (rc == CV_EPARSE || rc == -1 || r->c.fatal) {
        if (rc == CV_EPARSE)
            st_error_set("not a TNEF stream (no signature)");
        r->rc = rc == CV_EPARSE ? CV_EPARSE : -1;
        return r->rc;
    }
    res->key = r->s.key;
    res->codepage = r->s.cp;
    r->c.res = NULL;           /* the caller's now */
    r->rc = -1;                /* a reader is finished once */
    st_error_clear();
    *out = res;
    if (res->warnings & (CV_TNEF_W_TRUNCATED | CV_TNEF_W_DAMAGED)) {
        st_error_set("TNEF stream damaged: %s", res->warning);
        return CV_EPARSE;
    }
    if (res->warnings & CV_TNEF_W_LIMIT) {
        st_error_set("TNEF stream over a limit: %s", res->warning);
        return CV_ELIMIT;
    }
    return 0;
}

void cv_tnef_reader_free(cv_tnef_reader *r)
{
    if (!r)
        return;
    stream_clear(&r->s);
    free(r->c.slots);
    cv_tnef_free(r->c.res);
    free(r);
}

int cv_tnef_parse(cv_tnef **out, const void *data, size_t len, const cv_tnef_options *opt)
{
    cv_tnef_reader *r;
    int rc;

    *out = NULL;
    if (!cv_tnef_detect(data, len)) {
        st_error_set("not a TNEF stream (no signature)");
        return CV_EPARSE;
    }
    if (cv_tnef_reader_new(&r, opt) != 0)
        return -1;
    /* With the whole stream at hand the code page can be looked up first
     * (PR_INTERNET_CPID comes after the attributes it would decode). */
    r->s.cp = prescan(data, len);
    r->s.cp_fixed = r->s.cp != 0;
    if (!r->s.cp)
        r->s.cp = r->c.default_cp;
    rc = cv_tnef_reader_feed(r, data, len);
    if (rc == 0 || rc == CV_EPARSE)
        rc = cv_tnef_reader_finish(r, out);
    cv_tnef_reader_free(r);
    return rc;
}

void cv_tnef_free(cv_tnef *t)
{
    if (!t)
        return;
    cv_message_free(t->msg);
    for (size_t i = 0; i < t->n_named; i++)
        st_propname_clear(&t->named[i].name);
    free(t->named);
    free(t);
}

const st_propname *cv_tnef_name_of(const cv_tnef *t, uint32_t tag)
{
    uint32_t id = PROP_ID(tag);

    if (!t || id < 0x8000 || id - 0x8000 >= t->n_named)
        return NULL;
    return &t->named[id - 0x8000].name;
}
