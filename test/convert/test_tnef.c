/*
 * test_tnef.c: the TNEF reader. Streams built here (every attribute and
 * property type, named properties, nested messages, code pages, the sink)
 * and broken on purpose (truncation at every byte, flipped bytes, forged
 * lengths and counts, bad signatures, deep nesting, a failing sink); then
 * the shared corpus against its oracles (.list attachment names, expected
 * files byte for byte, bodies, Unicode and multi-valued properties).
 *
 * The built streams always run; the corpus part needs MAPIDAV_CORPUS and
 * skips (exit 77) when it is absent, after the built cases passed.
 * `test_tnef --write-seeds DIR` writes the built streams as fuzz seeds.
 * Never: copy a corpus file anywhere.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "convert/tnef.h"
#include "storage/error.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"
#include "testutil.h"

/* ---- A byte buffer and the TNEF writer used to build test streams ---- */

typedef struct buf {
    uint8_t *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *data, size_t len)
{
    if (b->n + len > b->cap) {
        size_t ncap = b->cap ? b->cap : 256;
        while (ncap < b->n + len)
            ncap *= 2;
        b->p = realloc(b->p, ncap);
        if (!b->p)
            test_fatal("out of memory\n");
        b->cap = ncap;
    }
    if (len)
        memcpy(b->p + b->n, data, len);
    b->n += len;
}

static void put8(buf *b, unsigned v) { uint8_t x = (uint8_t)v; put(b, &x, 1); }
static void put16(buf *b, unsigned v) { put8(b, v & 0xFF); put8(b, (v >> 8) & 0xFF); }
static void put32(buf *b, uint32_t v) { put16(b, v & 0xFFFF); put16(b, v >> 16); }
static void put64(buf *b, uint64_t v) { put32(b, (uint32_t)v); put32(b, (uint32_t)(v >> 32)); }
static void pad4(buf *b, size_t len) { while (len++ & 3) put8(b, 0); }
static void set32(buf *b, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->p[off + i] = (uint8_t)(v >> (8 * i));
}

/* Attribute boundaries of the last stream built (for the truncation test). */
static size_t bounds[256];
static size_t n_bounds;

/* Frees the parsed result and empties the buffer for the next case. */
static void reset(cv_tnef **t, buf *b)
{
    cv_tnef_free(*t);
    *t = NULL;
    free(b->p);
    memset(b, 0, sizeof *b);
}

static void tnef_begin(buf *b, unsigned key)
{
    put32(b, CV_TNEF_SIGNATURE);
    put16(b, key);
}

/* Starts an attribute; returns the offset of its length field. */
static size_t att_begin(buf *b, unsigned level, uint32_t id)
{
    put8(b, level);
    put32(b, id);
    put32(b, 0);
    return b->n - 4;
}

static void att_end(buf *b, size_t len_off)
{
    size_t start = len_off + 4, len = b->n - start;
    uint16_t sum = 0;

    for (size_t i = start; i < b->n; i++)
        sum = (uint16_t)(sum + b->p[i]);
    set32(b, len_off, (uint32_t)len);
    put16(b, sum);
    if (n_bounds < sizeof bounds / sizeof bounds[0])
        bounds[n_bounds++] = b->n;
}

static void att_bytes(buf *b, unsigned level, uint32_t id, const void *data, size_t len)
{
    size_t o = att_begin(b, level, id);
    put(b, data, len);
    att_end(b, o);
}

static void att_str(buf *b, unsigned level, uint32_t id, const char *s)
{
    att_bytes(b, level, id, s, strlen(s) + 1);
}

/* Attribute ids ([MS-OXTNEF] 2.1.3.3), as the reader knows them. */
#define A_FROM 0x00008000u
#define A_SUBJECT 0x00018004u
#define A_DATE_SENT 0x00038005u
#define A_MESSAGE_STATUS 0x00068007u
#define A_MESSAGE_CLASS 0x00078008u
#define A_MESSAGE_ID 0x00018009u
#define A_BODY 0x0002800Cu
#define A_PRIORITY 0x0004800Du
#define A_ATTACH_DATA 0x0006800Fu
#define A_ATTACH_TITLE 0x00018010u
#define A_ATTACH_MODIFY_DATE 0x00038013u
#define A_REND_DATA 0x00069002u
#define A_MAPI_PROPS 0x00069003u
#define A_RECIP_TABLE 0x00069004u
#define A_ATTACHMENT 0x00069005u
#define A_TNEF_VERSION 0x00089006u
#define A_OEM_CODEPAGE 0x00069007u

static void att_version_cp(buf *b, uint32_t cp)
{
    size_t o = att_begin(b, 1, A_TNEF_VERSION);
    put32(b, 0x00010000);
    att_end(b, o);
    if (cp) {
        o = att_begin(b, 1, A_OEM_CODEPAGE);
        put32(b, cp);
        put32(b, 0);
        att_end(b, o);
    }
}

static void att_date(buf *b, unsigned level, uint32_t id, unsigned y, unsigned mo, unsigned d,
                     unsigned h, unsigned mi, unsigned s)
{
    size_t o = att_begin(b, level, id);
    put16(b, y); put16(b, mo); put16(b, d); put16(b, h); put16(b, mi); put16(b, s); put16(b, 2);
    att_end(b, o);
}

static void att_renddata(buf *b, unsigned atyp)
{
    size_t o = att_begin(b, 2, A_REND_DATA);
    put16(b, atyp);
    put32(b, 0xFFFFFFFF);
    put16(b, 0);
    put16(b, 0);
    put32(b, 0);
    att_end(b, o);
}

/* UTF-8 to UTF-16LE with the terminating NUL. */
static void put_utf16z(buf *b, const char *s, size_t *len_out)
{
    size_t start = b->n;
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        uint32_t cp;
        if (*p < 0x80) cp = *p++;
        else if (*p < 0xE0) { cp = (uint32_t)(*p & 0x1F) << 6 | (p[1] & 0x3F); p += 2; }
        else if (*p < 0xF0) { cp = (uint32_t)(*p & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F); p += 3; }
        else { cp = (uint32_t)(*p & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 | (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F); p += 4; }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put16(b, 0xD800 + (cp >> 10));
            put16(b, 0xDC00 + (cp & 0x3FF));
        } else {
            put16(b, cp);
        }
    }
    put16(b, 0);
    *len_out = b->n - start;
}

/* Property writers ([MS-OXTNEF] 2.1.3.4). */
static void p_long(buf *b, uint32_t tag, uint32_t v) { put32(b, tag); put32(b, v); }
static void p_var(buf *b, uint32_t tag, const void *data, size_t len)
{
    put32(b, tag);
    put32(b, 1);
    put32(b, (uint32_t)len);
    put(b, data, len);
    pad4(b, len);
}
static void p_str8(buf *b, uint32_t tag, const char *s) { p_var(b, tag, s, strlen(s) + 1); }
static void p_unicode(buf *b, uint32_t tag, const char *utf8)
{
    size_t len_off, len;
    put32(b, tag);
    put32(b, 1);
    len_off = b->n;
    put32(b, 0);
    put_utf16z(b, utf8, &len);
    set32(b, len_off, (uint32_t)len);
    pad4(b, len);
}
/* A named property's tag (stream id sid) and name. */
static void p_named_lid(buf *b, uint32_t type, uint16_t sid, const st_guid *g, uint32_t lid)
{
    uint8_t gb[16];
    put32(b, PROP_TAG(type, sid));
    st_guid_to_bytes(gb, g);
    put(b, gb, 16);
    put32(b, 0);
    put32(b, lid);
}
static void p_named_str(buf *b, uint32_t type, uint16_t sid, const st_guid *g, const char *name)
{
    uint8_t gb[16];
    size_t len_off, len;
    put32(b, PROP_TAG(type, sid));
    st_guid_to_bytes(gb, g);
    put(b, gb, 16);
    put32(b, 1);
    len_off = b->n;
    put32(b, 0);
    put_utf16z(b, name, &len);
    set32(b, len_off, (uint32_t)len);
    pad4(b, len);
}

static const uint8_t iid_imessage[16] = { 0x07, 0x03, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46 };
static const uint8_t iid_istorage[16] = { 0x0B, 0, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46 };

/* "Привет" in Windows-1251 and in UTF-8. */
static const char hello_1251[] = "\xCF\xF0\xE8\xE2\xE5\xF2";
static const char hello_utf8[] = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82";

/* The inner message of the sample: a stream of its own, nesting `depth`
 * more levels of attached messages below it. */
static void build_inner(buf *b, int depth)
{
    size_t o, nb = n_bounds;   /* the inner stream's boundaries are not the outer's */

    tnef_begin(b, 0x4242);
    att_version_cp(b, 0);
    att_str(b, 1, A_SUBJECT, "inner subject");
    o = att_begin(b, 1, A_MAPI_PROPS);
    put32(b, 2);
    p_named_str(b, PT_MV_UNICODE, 0x9001, &ST_PS_PUBLIC_STRINGS, "Keywords");
    put32(b, 1);
    { size_t lo = b->n, len; put32(b, 0); put_utf16z(b, "inner", &len); set32(b, lo, (uint32_t)len); pad4(b, len); }
    p_long(b, PR_IMPORTANCE, 2);
    att_end(b, o);
    att_renddata(b, 1);
    o = att_begin(b, 2, A_ATTACHMENT);
    if (depth > 0) {
        buf inner = { 0 };
        put32(b, 2);
        p_long(b, PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG);
        build_inner(&inner, depth - 1);
        put32(b, PR_ATTACH_DATA_OBJ);
        put32(b, 1);
        put32(b, (uint32_t)(16 + inner.n));
        put(b, iid_imessage, 16);
        put(b, inner.p, inner.n);
        pad4(b, 16 + inner.n);
        free(inner.p);
    } else {
        put32(b, 2);
        p_str8(b, PR_ATTACH_LONG_FILENAME_A, "hello.txt");
        p_var(b, PR_ATTACH_DATA_BIN, "hello", 5);
    }
    att_end(b, o);
    n_bounds = nb;
}

/* The sample stream: every attribute the reader maps, every property type,
 * named properties, recipients, a file attachment of big_len bytes, an
 * attached message and an OLE object. */
static void build_sample(buf *b, size_t big_len, uint32_t oem_cp)
{
    size_t o, lo, len;
    buf inner = { 0 };

    n_bounds = 0;
    tnef_begin(b, 0x1234);
    bounds[n_bounds++] = b->n;
    att_version_cp(b, oem_cp);
    att_str(b, 1, A_MESSAGE_CLASS, "IPM.Microsoft Mail.Note");
    att_str(b, 1, A_SUBJECT, "legacy subject");
    o = att_begin(b, 1, A_FROM);
    put16(b, 4);                          /* trpidOneOff */
    put16(b, 16 + 6 + 22);
    put16(b, 6);                          /* "Ivan\0\0" */
    put16(b, 22);                         /* "SMTP:ivan@example.org\0" */
    put(b, "Ivan\0\0", 6);
    put(b, "SMTP:ivan@example.org", 22);
    put(b, "\0\0\0\0\0\0\0\0", 8);        /* trpidNull */
    att_end(b, o);
    att_date(b, 1, A_DATE_SENT, 2004, 2, 17, 11, 25, 35);
    o = att_begin(b, 1, A_PRIORITY);
    put16(b, 1);
    att_end(b, o);
    o = att_begin(b, 1, A_MESSAGE_STATUS);
    put8(b, 0x20);
    att_end(b, o);
    att_str(b, 1, A_MESSAGE_ID, "0A0B0C0D");
    att_str(b, 1, A_BODY, hello_1251);

    o = att_begin(b, 1, A_MAPI_PROPS);
    put32(b, 25);
    p_unicode(b, PR_SUBJECT_W, "Unicode \xC3\xBC \xF0\x9F\x98\x80 subject");
    p_unicode(b, PR_MESSAGE_CLASS_W, "IPM.Note.Custom");
    p_var(b, PR_RTF_COMPRESSED, "\x10\0\0\0\0\0\0\0LZFu\0\0\0\0\x01\x02\x03", 19);
    p_long(b, PR_INTERNET_CPID, 1251);
    p_named_lid(b, PT_BOOLEAN, 0x8010, &ST_PSETID_Common, ST_LID_REMINDER_SET);
    put32(b, 1);
    p_named_str(b, PT_MV_UNICODE, 0x8011, &ST_PS_PUBLIC_STRINGS, "Keywords");
    put32(b, 3);
    lo = b->n; put32(b, 0); put_utf16z(b, "a", &len); set32(b, lo, (uint32_t)len); pad4(b, len);
    lo = b->n; put32(b, 0); put_utf16z(b, "bb", &len); set32(b, lo, (uint32_t)len); pad4(b, len);
    lo = b->n; put32(b, 0); put_utf16z(b, "\xC3\x9C", &len); set32(b, lo, (uint32_t)len); pad4(b, len);
    put32(b, PROP_TAG(PT_MV_LONG, 0x6701)); put32(b, 3); put32(b, 1); put32(b, 2); put32(b, 0xFFFFFFFF);
    put32(b, PROP_TAG(PT_MV_I2, 0x6702)); put32(b, 2); put32(b, 60); put32(b, 0xFFFF);
    put32(b, PROP_TAG(PT_MV_BINARY, 0x6703)); put32(b, 2);
    put32(b, 3); put(b, "\1\2\3", 3); pad4(b, 3);
    put32(b, 0);
    put32(b, PROP_TAG(PT_MV_STRING8, 0x6704)); put32(b, 2);
    put32(b, 7); put(b, hello_1251, 7); pad4(b, 7);
    put32(b, 3); put(b, "ok", 3); pad4(b, 3);
    put32(b, PROP_TAG(PT_I2, 0x6705)); put16(b, 0xFFFE); put16(b, 0);
    put32(b, PROP_TAG(PT_DOUBLE, 0x6706)); { double d = 2.5; uint64_t u; memcpy(&u, &d, 8); put64(b, u); }
    put32(b, PROP_TAG(PT_SYSTIME, 0x6707)); put64(b, 132539327990000000ull);
    put32(b, PROP_TAG(PT_CLSID, 0x6708)); put(b, iid_imessage, 16);
    put32(b, PROP_TAG(PT_I8, 0x6709)); put64(b, 0x8000000000000001ull);
    put32(b, PROP_TAG(PT_BOOLEAN, 0x670A)); put32(b, 1);
    put32(b, PROP_TAG(PT_R4, 0x670B)); { float f = 0.5f; uint32_t u; memcpy(&u, &f, 4); put32(b, u); }
    put32(b, PROP_TAG(PT_CURRENCY, 0x670C)); put64(b, 123456);
    put32(b, PROP_TAG(PT_ERROR, 0x670D)); put32(b, 0x8004010F);
    put32(b, PROP_TAG(PT_OBJECT, 0x670E)); put32(b, 1); put32(b, 16); put(b, iid_istorage, 16);
    put32(b, PROP_TAG(PT_NULL, 0x670F)); put32(b, 0);
    /* The same names again under other stream ids: the same temporary ids. */
    p_named_lid(b, PT_LONG, 0x8020, &ST_PSETID_Common, ST_LID_REMINDER_SET);
    put32(b, 5);
    p_named_str(b, PT_UNICODE, 0x8021, &ST_PSETID_Appointment, "A name");
    put32(b, 1); lo = b->n; put32(b, 0); put_utf16z(b, "x", &len); set32(b, lo, (uint32_t)len); pad4(b, len);
    p_long(b, PR_IMPORTANCE, 0);   /* overrides attPriority's 2 */
    p_long(b, PR_ROWID, 99);       /* kept: only recipients drop PR_ROWID */
    att_end(b, o);

    o = att_begin(b, 1, A_RECIP_TABLE);
    put32(b, 2);
    put32(b, 4);
    p_long(b, PR_RECIPIENT_TYPE, 1);
    p_unicode(b, PR_DISPLAY_NAME_W, "Anna \xC3\x85" "berg");
    p_str8(b, PR_EMAIL_ADDRESS_A, "anna@example.org");
    p_long(b, PR_ROWID, 7);        /* ours wins: rows are numbered in order */
    put32(b, 2);
    p_long(b, PR_RECIPIENT_TYPE, 2);
    p_str8(b, PR_DISPLAY_NAME_A, hello_1251);
    att_end(b, o);

    /* Attachment 0: a file by legacy attributes plus attAttachment. */
    att_renddata(b, 1);
    att_str(b, 2, A_ATTACH_TITLE, "FILE.TXT");
    att_date(b, 2, A_ATTACH_MODIFY_DATE, 2020, 12, 31, 23, 59, 59);
    o = att_begin(b, 2, A_ATTACH_DATA);
    for (size_t i = 0; i < big_len; i++)
        put8(b, (unsigned)(i * 7 + i / 251));
    att_end(b, o);
    o = att_begin(b, 2, A_ATTACHMENT);
    put32(b, 4);
    p_unicode(b, PR_ATTACH_LONG_FILENAME_W, "long file name.txt");
    p_str8(b, PR_ATTACH_MIME_TAG_A, "text/plain");
    p_long(b, PR_ATTACH_NUM, 42);  /* ours wins */
    p_var(b, PR_ATTACH_DATA_BIN, "second copy", 11);   /* the first copy stays */
    att_end(b, o);

    /* Attachment 1: an attached message. */
    att_renddata(b, 1);
    o = att_begin(b, 2, A_ATTACHMENT);
    put32(b, 3);
    p_long(b, PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG);
    p_str8(b, PR_DISPLAY_NAME_A, "inner");
    build_inner(&inner, 0);
    put32(b, PR_ATTACH_DATA_OBJ);
    put32(b, 1);
    put32(b, (uint32_t)(16 + inner.n));
    put(b, iid_imessage, 16);
    put(b, inner.p, inner.n);
    pad4(b, 16 + inner.n);
    free(inner.p);
    att_end(b, o);

    /* Attachment 2: an OLE object. */
    att_renddata(b, 2);
    o = att_begin(b, 2, A_ATTACHMENT);
    put32(b, 2);
    p_long(b, PR_ATTACH_METHOD, ATTACH_OLE);
    put32(b, PR_ATTACH_DATA_OBJ);
    put32(b, 1);
    put32(b, 16 + 7);
    put(b, iid_istorage, 16);
    put(b, "OLEDATA", 7);
    pad4(b, 23);
    att_end(b, o);
}

/* ---- A sink that keeps streams in memory ---- */

typedef struct mem_stream {
    uint64_t id;
    buf data;
    int ended;      /* 0 open, 1 ended ok, 2 ended given up */
} mem_stream;

typedef struct mem_sink {
    mem_stream s[64];
    size_t n;
    size_t writes, max_write;
    int fail_write;   /* fail the n-th write (1-based); 0 never */
    int protocol_errors;
} mem_sink;

static int ms_begin(void *ctx, uint64_t *id)
{
    mem_sink *m = ctx;
    if (m->n == sizeof m->s / sizeof m->s[0])
        return -1;
    memset(&m->s[m->n], 0, sizeof m->s[m->n]);
    m->s[m->n].id = 1000 + m->n;
    *id = m->s[m->n].id;
    m->n++;
    return 0;
}

static mem_stream *ms_find(mem_sink *m, uint64_t id)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->s[i].id == id)
            return &m->s[i];
    return NULL;
}

static int ms_write(void *ctx, uint64_t id, const void *data, size_t len)
{
    mem_sink *m = ctx;
    mem_stream *s = ms_find(m, id);
    m->writes++;
    if (len > m->max_write)
        m->max_write = len;
    if (!s || s->ended || len == 0)
        m->protocol_errors++;
    if (m->fail_write && (int)m->writes == m->fail_write)
        return -1;
    if (s)
        put(&s->data, data, len);
    return 0;
}

static int ms_end(void *ctx, uint64_t id, int okay)
{
    mem_sink *m = ctx;
    mem_stream *s = ms_find(m, id);
    if (!s || s->ended)
        m->protocol_errors++;
    else
        s->ended = okay ? 1 : 2;
    return 0;
}

static void ms_reset(mem_sink *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->s[i].data.p);
    memset(m, 0, sizeof *m);
}

static int ms_all_ended(const mem_sink *m)
{
    for (size_t i = 0; i < m->n; i++)
        if (!m->s[i].ended)
            return 0;
    return 1;
}

/* ---- Helpers ---- */

static const char *str_of(const st_bag *bag, uint32_t tag)
{
    const st_value *v = bag ? st_bag_get(bag, tag) : NULL;
    return v && (PROP_TYPE(v->tag) == PT_UNICODE || PROP_TYPE(v->tag) == PT_STRING8) ? v->v.str : NULL;
}

static int long_of(const st_bag *bag, uint32_t tag, int32_t dflt)
{
    const st_value *v = bag ? st_bag_get(bag, tag) : NULL;
    return v ? v->v.l : dflt;
}

/* The temporary id of a name in t, or 0. */
static uint16_t named_id(const cv_tnef *t, const st_guid *g, int kind, uint32_t lid, const char *name)
{
    for (size_t i = 0; i < t->n_named; i++) {
        const st_propname *pn = &t->named[i].name;
        if (st_guid_equal(&pn->guid, g) && pn->kind == kind
            && (kind == ST_MNID_ID ? pn->lid == lid : strcmp(pn->name, name) == 0))
            return t->named[i].id;
    }
    return 0;
}

static const cv_tnef_options *opts_sink(cv_tnef_options *o, mem_sink *m)
{
    static cv_sink sink;
    sink.begin = ms_begin;
    sink.write = ms_write;
    sink.end = ms_end;
    sink.ctx = m;
    memset(o, 0, sizeof *o);
    o->sink = &sink;
    return o;
}

/* The printed form of a result ("" for none): two results print the same
 * iff they hold the same message, names and warnings. Caller frees. */
static char *dump(const cv_tnef *t)
{
    FILE *f = tmpfile();
    char *text;
    long size;

    if (!f)
        test_fatal("tmpfile failed\n");
    if (t)
        cv_tnef_print(f, t);
    size = ftell(f);
    rewind(f);
    text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, f) != (size_t)size)
        test_fatal("reading back the dump failed\n");
    text[size] = '\0';
    fclose(f);
    return text;
}

/* cv_tnef_parse through the reader, fed piece bytes at a time. */
static int parse_pieces(cv_tnef **out, const uint8_t *p, size_t n, size_t piece,
                        const cv_tnef_options *o)
{
    cv_tnef_reader *r;
    int rc = 0;

    *out = NULL;
    if (cv_tnef_reader_new(&r, o) != 0)
        return -1;
    for (size_t off = 0; off < n && rc == 0; off += piece)
        rc = cv_tnef_reader_feed(r, p + off, n - off < piece ? n - off : piece);
    rc = cv_tnef_reader_finish(r, out);
    cv_tnef_reader_free(r);
    return rc;
}

/* ---- Built streams ---- */

static void test_sample(void)
{
    buf b = { 0 };
    cv_tnef *t = NULL;
    cv_message *m;
    const st_value *v;
    uint16_t id_rem, id_kw, id_name;
    int rc;

    build_sample(&b, 3000, 1251);
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == 0, "sample: rc %d (%s)\n", rc, t ? t->warning : "");
    if (!t)
        goto done;
    m = t->msg;
    ok(t->warnings == 0, "sample: warnings %#x: %s\n", t->warnings, t->warning);
    ok(t->key == 0x1234, "key %#x\n", t->key);
    ok(t->codepage == 1251, "code page %u\n", t->codepage);
    ok(str_of(m->props, PR_MESSAGE_CLASS) && strcmp(str_of(m->props, PR_MESSAGE_CLASS), "IPM.Note.Custom") == 0,
       "encapsulated class wins: %s\n", str_of(m->props, PR_MESSAGE_CLASS));
    v = st_bag_get(m->props, PR_SUBJECT);
    ok(v && PROP_TYPE(v->tag) == PT_UNICODE
       && strcmp(v->v.str, "Unicode \xC3\xBC \xF0\x9F\x98\x80 subject") == 0,
       "unicode subject with a surrogate pair: %s\n", v ? v->v.str : "(none)");
    ok(str_of(m->props, PR_BODY) && strcmp(str_of(m->props, PR_BODY), hello_utf8) == 0,
       "attBody in 1251: %s\n", str_of(m->props, PR_BODY));
    ok(str_of(m->props, PR_SENDER_NAME) && strcmp(str_of(m->props, PR_SENDER_NAME), "Ivan") == 0,
       "attFrom name %s\n", str_of(m->props, PR_SENDER_NAME));
    ok(str_of(m->props, PR_SENDER_ADDRTYPE) && strcmp(str_of(m->props, PR_SENDER_ADDRTYPE), "SMTP") == 0,
       "attFrom type %s\n", str_of(m->props, PR_SENDER_ADDRTYPE));
    ok(str_of(m->props, PR_SENDER_EMAIL_ADDRESS)
       && strcmp(str_of(m->props, PR_SENDER_EMAIL_ADDRESS), "ivan@example.org") == 0,
       "attFrom address %s\n", str_of(m->props, PR_SENDER_EMAIL_ADDRESS));
    v = st_bag_get(m->props, PR_CLIENT_SUBMIT_TIME);
    ok(v && v->v.ft == 127214907350000000ull, "attDateSent %llu\n", v ? (unsigned long long)v->v.ft : 0ull);
    ok(long_of(m->props, PR_IMPORTANCE, -1) == 0, "PR_IMPORTANCE from props %d\n",
       long_of(m->props, PR_IMPORTANCE, -1));
    ok(long_of(m->props, PR_MESSAGE_FLAGS, -1) == (int32_t)(MSGFLAG_READ | MSGFLAG_UNMODIFIED),
       "attMessageStatus %#x\n", long_of(m->props, PR_MESSAGE_FLAGS, -1));
    v = st_bag_get(m->props, PR_SEARCH_KEY);
    ok(v && v->v.bin.len == 4 && memcmp(v->v.bin.data, "\x0A\x0B\x0C\x0D", 4) == 0, "attMessageID\n");
    v = st_bag_get(m->props, PR_RTF_COMPRESSED);
    ok(v && v->v.bin.len == 19 && memcmp(v->v.bin.data + 8, "LZFu", 4) == 0, "RTF kept compressed\n");
    ok(long_of(m->props, PR_ROWID, -1) == 99, "message PR_ROWID kept\n");
    ok(!st_bag_get(m->props, PROP_TAG(PT_UNSPECIFIED, 0x670E)), "PT_OBJECT property dropped\n");
    ok(!st_bag_get(m->props, PROP_TAG(PT_UNSPECIFIED, 0x670F)), "PT_NULL property dropped\n");

    /* Fixed types. */
    v = st_bag_get(m->props, PROP_TAG(PT_I2, 0x6705));
    ok(v && v->v.i == -2, "PT_I2 %d\n", v ? v->v.i : 0);
    v = st_bag_get(m->props, PROP_TAG(PT_DOUBLE, 0x6706));
    ok(v && v->v.dbl == 2.5, "PT_DOUBLE\n");
    v = st_bag_get(m->props, PROP_TAG(PT_SYSTIME, 0x6707));
    ok(v && v->v.ft == 132539327990000000ull, "PT_SYSTIME\n");
    v = st_bag_get(m->props, PROP_TAG(PT_CLSID, 0x6708));
    ok(v && v->v.guid->data1 == 0x00020307 && v->v.guid->data4[7] == 0x46, "PT_CLSID\n");
    v = st_bag_get(m->props, PROP_TAG(PT_I8, 0x6709));
    ok(v && (uint64_t)v->v.li == 0x8000000000000001ull, "PT_I8\n");
    v = st_bag_get(m->props, PROP_TAG(PT_BOOLEAN, 0x670A));
    ok(v && v->v.b == 1, "PT_BOOLEAN\n");
    v = st_bag_get(m->props, PROP_TAG(PT_R4, 0x670B));
    ok(v && v->v.flt == 0.5f, "PT_R4\n");
    v = st_bag_get(m->props, PROP_TAG(PT_CURRENCY, 0x670C));
    ok(v && v->v.cur == 123456, "PT_CURRENCY\n");
    v = st_bag_get(m->props, PROP_TAG(PT_ERROR, 0x670D));
    ok(v && (uint32_t)v->v.err == 0x8004010F, "PT_ERROR\n");

    /* Multi-valued. */
    v = st_bag_get(m->props, PROP_TAG(PT_MV_LONG, 0x6701));
    ok(v && v->v.mv.n == 3 && v->v.mv.l[0] == 1 && v->v.mv.l[2] == -1, "PT_MV_LONG\n");
    v = st_bag_get(m->props, PROP_TAG(PT_MV_I2, 0x6702));
    ok(v && v->v.mv.n == 2 && v->v.mv.i[0] == 60 && v->v.mv.i[1] == -1, "PT_MV_I2 padded to 4\n");
    v = st_bag_get(m->props, PROP_TAG(PT_MV_BINARY, 0x6703));
    ok(v && v->v.mv.n == 2 && v->v.mv.bin[0].len == 3 && v->v.mv.bin[1].len == 0, "PT_MV_BINARY\n");
    v = st_bag_get(m->props, PROP_TAG(PT_MV_STRING8, 0x6704));
    ok(v && v->v.mv.n == 2 && strcmp(v->v.mv.str[0], hello_utf8) == 0 && strcmp(v->v.mv.str[1], "ok") == 0,
       "PT_MV_STRING8 in the code page\n");

    /* Named properties: three distinct names, the same name twice gets
     * one id, nested messages share the list. */
    ok(t->n_named == 3, "%u named\n", (unsigned)t->n_named);
    id_rem = named_id(t, &ST_PSETID_Common, ST_MNID_ID, ST_LID_REMINDER_SET, NULL);
    id_kw = named_id(t, &ST_PS_PUBLIC_STRINGS, ST_MNID_STRING, 0, "Keywords");
    id_name = named_id(t, &ST_PSETID_Appointment, ST_MNID_STRING, 0, "A name");
    ok(id_rem == 0x8000 && id_kw == 0x8001 && id_name == 0x8002, "ids %#x %#x %#x\n", id_rem, id_kw, id_name);
    v = st_bag_get(m->props, PROP_TAG(PT_UNSPECIFIED, id_rem));
    ok(v && PROP_TYPE(v->tag) == PT_LONG && v->v.l == 5, "later value of a name wins\n");
    v = st_bag_get(m->props, PROP_TAG(PT_MV_UNICODE, id_kw));
    ok(v && v->v.mv.n == 3 && strcmp(v->v.mv.str[2], "\xC3\x9C") == 0, "Keywords\n");
    ok(cv_tnef_name_of(t, PROP_TAG(PT_LONG, id_rem)) == &t->named[0].name, "cv_tnef_name_of\n");
    ok(cv_tnef_name_of(t, PR_SUBJECT) == NULL, "no name for a plain tag\n");
    ok(cv_tnef_name_of(t, PROP_TAG(PT_LONG, 0x8003)) == NULL, "no name past the list\n");

    /* Recipients. */
    ok(m->n_recipients == 2, "%u recipients\n", (unsigned)m->n_recipients);
    if (m->n_recipients == 2) {
        ok(long_of(m->recipients[0], PR_ROWID, -1) == 0, "row 0 numbered\n");
        ok(long_of(m->recipients[0], PR_RECIPIENT_TYPE, -1) == 1, "row 0 type\n");
        ok(str_of(m->recipients[0], PR_DISPLAY_NAME)
           && strcmp(str_of(m->recipients[0], PR_DISPLAY_NAME), "Anna \xC3\x85" "berg") == 0, "row 0 name\n");
        ok(str_of(m->recipients[1], PR_DISPLAY_NAME)
           && strcmp(str_of(m->recipients[1], PR_DISPLAY_NAME), hello_utf8) == 0, "row 1 name in 1251\n");
        ok(long_of(m->recipients[1], PR_ROWID, -1) == 1, "row 1 numbered\n");
    }

    /* Attachments. */
    ok(m->n_attachments == 3, "%u attachments\n", (unsigned)m->n_attachments);
    if (m->n_attachments == 3) {
        cv_attachment *a = &m->attachments[0];
        v = st_bag_get(a->props, PR_ATTACH_DATA_BIN);
        ok(v && v->v.bin.len == 3000 && a->data_size == 3000 && a->data_id == 0, "file data\n");
        ok(v && v->v.bin.data[2999] == (uint8_t)(2999 * 7 + 2999 / 251), "file data bytes\n");
        ok(long_of(a->props, PR_ATTACH_NUM, -1) == 0, "PR_ATTACH_NUM stays the index\n");
        ok(long_of(a->props, PR_ATTACH_METHOD, -1) == ATTACH_BY_VALUE, "method by value\n");
        ok(str_of(a->props, PR_ATTACH_FILENAME) && strcmp(str_of(a->props, PR_ATTACH_FILENAME), "FILE.TXT") == 0,
           "attAttachTitle\n");
        ok(str_of(a->props, PR_ATTACH_LONG_FILENAME)
           && strcmp(str_of(a->props, PR_ATTACH_LONG_FILENAME), "long file name.txt") == 0, "long name\n");
        v = st_bag_get(a->props, PR_LAST_MODIFICATION_TIME);
        ok(v && v->v.ft == 132539327990000000ull, "attAttachModifyDate\n");

        a = &m->attachments[1];
        ok(a->embedded != NULL, "attached message\n");
        ok(long_of(a->props, PR_ATTACH_METHOD, -1) == ATTACH_EMBEDDED_MSG, "method embedded\n");
        if (a->embedded) {
            cv_message *in = a->embedded;
            ok(str_of(in->props, PR_SUBJECT) && strcmp(str_of(in->props, PR_SUBJECT), "inner subject") == 0,
               "inner subject\n");
            v = st_bag_get(in->props, PROP_TAG(PT_MV_UNICODE, id_kw));
            ok(v && v->v.mv.n == 1 && strcmp(v->v.mv.str[0], "inner") == 0, "inner named shares the id\n");
            ok(in->n_attachments == 1 && in->attachments[0].data_size == 5, "inner attachment\n");
        }
        a = &m->attachments[2];
        v = st_bag_get(a->props, PR_ATTACH_DATA_BIN);
        ok(long_of(a->props, PR_ATTACH_METHOD, -1) == ATTACH_OLE, "method OLE\n");
        ok(v && v->v.bin.len == 7 && memcmp(v->v.bin.data, "OLEDATA", 7) == 0, "OLE data without its IID\n");
    }

    /* The printer runs and names things. */
    {
        FILE *f = tmpfile();
        char text[65536];
        size_t got;
        ok(f != NULL, "tmpfile\n");
        if (f) {
            ok(cv_tnef_print(f, t) == 0, "print\n");
            rewind(f);
            got = fread(text, 1, sizeof text - 1, f);
            text[got] = '\0';
            ok(strstr(text, "PR_SUBJECT_W PT_UNICODE = \"Unicode") != NULL, "print subject\n");
            ok(strstr(text, "PS_PUBLIC_STRINGS/\"Keywords\" PidNameKeywords") != NULL, "print named\n");
            ok(strstr(text, "embedded message:") != NULL, "print embedded\n");
            fclose(f);
        }
    }
done:
    cv_tnef_free(t);
    free(b.p);
}

/* Attachment data through the sink: chunks of at most CV_TNEF_CHUNK. */
static void test_sink(void)
{
    buf b = { 0 };
    cv_tnef *t = NULL;
    cv_tnef_options o;
    mem_sink m = { 0 };
    int rc;
    size_t big = 3 * CV_TNEF_CHUNK + 17;

    build_sample(&b, big, 1251);
    rc = cv_tnef_parse(&t, b.p, b.n, opts_sink(&o, &m));
    ok(rc == 0, "sink: rc %d\n", rc);
    ok(m.n == 3, "sink: %u streams\n", (unsigned)m.n);
    ok(m.max_write <= CV_TNEF_CHUNK && m.writes >= 4 + 1 + 1, "sink: %u writes, largest %u\n",
       (unsigned)m.writes, (unsigned)m.max_write);
    ok(ms_all_ended(&m) && m.protocol_errors == 0, "sink: protocol\n");
    if (t && t->msg->n_attachments == 3 && m.n == 3) {
        cv_attachment *a = &t->msg->attachments[0];
        mem_stream *s = ms_find(&m, a->data_id);
        ok(a->data_id && a->data_size == big && !st_bag_get(a->props, PR_ATTACH_DATA_BIN), "sink: ids\n");
        ok(s && s->data.n == big && s->ended == 1, "sink: data\n");
        if (s && s->data.n == big) {
            size_t i;
            for (i = 0; i < big && s->data.p[i] == (uint8_t)(i * 7 + i / 251); i++)
                ;
            ok(i == big, "sink: bytes differ at %u\n", (unsigned)i);
        }
        s = ms_find(&m, t->msg->attachments[2].data_id);
        ok(s && s->data.n == 7 && memcmp(s->data.p, "OLEDATA", 7) == 0, "sink: OLE\n");
        ok(t->msg->attachments[1].embedded && t->msg->attachments[1].embedded->n_attachments == 1
           && t->msg->attachments[1].embedded->attachments[0].data_id != 0, "sink: nested\n");
    }
    cv_tnef_free(t);

    /* A failing sink stops the parse: -1, nothing returned, streams closed. */
    for (int k = 1; k <= 3; k++) {
        ms_reset(&m);
        m.fail_write = k;
        t = NULL;
        rc = cv_tnef_parse(&t, b.p, b.n, opts_sink(&o, &m));
        ok(rc == -1 && t == NULL, "failing sink %d: rc %d\n", k, rc);
        ok(ms_all_ended(&m) && m.protocol_errors == 0, "failing sink %d: streams ended\n", k);
        cv_tnef_free(t);
    }
    ms_reset(&m);
    free(b.p);
}

/* The reader fed in pieces gives what the whole buffer gives; attachment
 * data reaches the sink before its attribute is complete. */
static void test_reader(void)
{
    static const size_t pieces[] = { 1, 2, 5, 9, 4096, 65537 };
    buf b = { 0 };
    cv_tnef *whole = NULL, *t = NULL;
    cv_tnef_options o;
    mem_sink m = { 0 }, mw = { 0 };
    cv_tnef_reader *r = NULL;
    char *want, *got;
    size_t big = 2 * CV_TNEF_CHUNK + 5, data_at;
    int rc;

    build_sample(&b, big, 1251);
    rc = cv_tnef_parse(&whole, b.p, b.n, opts_sink(&o, &mw));
    ok(rc == 0, "reader: whole rc %d\n", rc);
    want = dump(whole);
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        ms_reset(&m);
        rc = parse_pieces(&t, b.p, b.n, pieces[i], opts_sink(&o, &m));
        got = dump(t);
        ok(rc == 0 && strcmp(got, want) == 0, "reader, pieces of %u: rc %d, same result\n",
           (unsigned)pieces[i], rc);
        ok(m.n == mw.n && ms_all_ended(&m) && m.protocol_errors == 0 && m.max_write <= CV_TNEF_CHUNK,
           "reader, pieces of %u: sink\n", (unsigned)pieces[i]);
        for (size_t k = 0; k < m.n && k < mw.n; k++)
            ok(m.s[k].data.n == mw.s[k].data.n && memcmp(m.s[k].data.p, mw.s[k].data.p, m.s[k].data.n) == 0,
               "reader, pieces of %u: stream %u\n", (unsigned)pieces[i], (unsigned)k);
        free(got);
        cv_tnef_free(t);
        t = NULL;
    }

    /* Stop in the middle of attAttachData: the sink has bytes already and
     * the stream is open; finishing there gives it up. */
    for (data_at = 0; data_at + 9 < b.n; data_at++)
        if (b.p[data_at] == 2 && b.p[data_at + 1] == 0x0F && b.p[data_at + 2] == 0x80
            && b.p[data_at + 3] == 0x06 && b.p[data_at + 4] == 0)
            break;
    ms_reset(&m);
    ok(cv_tnef_reader_new(&r, opts_sink(&o, &m)) == 0, "reader_new\n");
    if (r) {
        rc = cv_tnef_reader_feed(r, b.p, data_at + 9 + CV_TNEF_CHUNK + 100);
        ok(rc == 0 && m.n == 1 && m.s[0].data.n == CV_TNEF_CHUNK + 100 && !m.s[0].ended,
           "reader: data streamed as it came (%u bytes)\n", m.n ? (unsigned)m.s[0].data.n : 0);
        rc = cv_tnef_reader_finish(r, &t);
        ok(rc == CV_EPARSE && t && (t->warnings & CV_TNEF_W_TRUNCATED), "reader: cut finish rc %d\n", rc);
        ok(m.n == 1 && m.s[0].ended == 2, "reader: cut stream given up\n");
        ok(t && t->msg->n_attachments == 1 && t->msg->attachments[0].data_id == 0
           && t->msg->attachments[0].data_size == 0, "reader: cut attachment has no data\n");
        cv_tnef_free(t);
        t = NULL;
        ok(cv_tnef_reader_feed(r, "x", 1) == -1, "reader: fed after finish\n");
        cv_tnef_reader_free(r);
        r = NULL;
    }

    /* Freed while a sink stream is open. */
    ms_reset(&m);
    if (cv_tnef_reader_new(&r, opts_sink(&o, &m)) == 0) {
        cv_tnef_reader_feed(r, b.p, data_at + 9 + 10);
        cv_tnef_reader_free(r);
        ok(m.n == 1 && m.s[0].ended == 2 && m.protocol_errors == 0, "reader: freed with a stream open\n");
    }

    /* Not TNEF: told at the fourth byte, whatever comes after. */
    ok(cv_tnef_reader_new(&r, NULL) == 0, "reader_new\n");
    if (r) {
        ok(cv_tnef_reader_feed(r, "\x78\x9F", 2) == 0, "reader: 2 bytes\n");
        ok(cv_tnef_reader_feed(r, "\x3E\x00\x01", 3) == CV_EPARSE, "reader: bad signature\n");
        ok(cv_tnef_reader_feed(r, "\x01", 1) == CV_EPARSE, "reader: stays failed\n");
        ok(cv_tnef_reader_finish(r, &t) == CV_EPARSE && !t, "reader: finish bad signature\n");
        cv_tnef_reader_free(r);
    }
    cv_tnef_reader_free(NULL);

    free(want);
    cv_tnef_free(whole);
    ms_reset(&m);
    ms_reset(&mw);
    free(b.p);
}

/* Cut the sample at every byte; flip every byte. Nothing may crash, leak
 * or hang; a cut inside an attribute says so. */
static void test_truncation(void)
{
    buf b = { 0 };
    size_t bad = 0, flip_bad = 0;
    size_t nb;
    size_t saved[256];

    build_sample(&b, 40, 1251);
    nb = n_bounds;
    memcpy(saved, bounds, sizeof saved);
    for (size_t cut = 0; cut <= b.n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);    /* exact size: ASan sees overreads */
        cv_tnef *t = NULL;
        cv_tnef_options o;
        mem_sink m = { 0 };
        int boundary = 0, rc;

        memcpy(copy, b.p, cut);
        for (size_t i = 0; i < nb; i++)
            boundary |= saved[i] == cut;
        rc = cv_tnef_parse(&t, copy, cut, (cut & 1) ? opts_sink(&o, &m) : NULL);
        if (cut < 4) {
            if (rc != CV_EPARSE || t)
                bad++;
        } else if (!t || (rc == 0) != (boundary || cut == b.n) || (rc != 0 && rc != CV_EPARSE)) {
            if (bad++ < 5)
                fprintf(stderr, "cut %u: rc %d (%s), t %p, boundary %d\n", (unsigned)cut, rc,
                        st_error_last(), (void *)t, boundary);
        }
        if (!ms_all_ended(&m) || m.protocol_errors)
            bad++;
        if (cut % 3 == 0) {
            cv_tnef *tp = NULL;
            cv_tnef_options op;
            mem_sink mp = { 0 };
            char *a = dump(t), *p;
            int rcp = parse_pieces(&tp, copy, cut, 1 + cut % 7, (cut & 1) ? opts_sink(&op, &mp) : NULL);
            p = dump(tp);
            if (!ms_all_ended(&mp) || mp.protocol_errors || mp.n != m.n)
                bad++;
            ms_reset(&mp);
            if (rcp != rc || strcmp(a, p) != 0) {
                if (bad++ < 5)
                    fprintf(stderr, "cut %u: pieces give rc %d, whole %d\n%s\n---\n%s\n", (unsigned)cut,
                            rcp, rc, a, p);
            }
            free(a);
            free(p);
            cv_tnef_free(tp);
        }
        cv_tnef_free(t);
        ms_reset(&m);
        free(copy);
    }
    ok(bad == 0, "truncation: %u bad cuts of %u\n", (unsigned)bad, (unsigned)b.n);

    for (size_t i = 0; i < b.n; i++) {
        static const uint8_t masks[] = { 0xFF, 0x80, 0x01 };
        for (size_t k = 0; k < sizeof masks; k++) {
            uint8_t *copy = malloc(b.n);
            cv_tnef *t = NULL;
            int rc;
            memcpy(copy, b.p, b.n);
            copy[i] ^= masks[k];
            rc = cv_tnef_parse(&t, copy, b.n, NULL);
            if (i < 4 ? (rc != CV_EPARSE || t) : (!t || (rc != 0 && rc != CV_EPARSE && rc != CV_ELIMIT)))
                flip_bad++;
            cv_tnef_free(t);
            free(copy);
        }
    }
    ok(flip_bad == 0, "flipped bytes: %u bad\n", (unsigned)flip_bad);
    free(b.p);
}

/* Streams forged to mislead. */
static void test_malformed(void)
{
    buf b = { 0 };
    cv_tnef *t = NULL;
    size_t o;
    int rc;

    rc = cv_tnef_parse(&t, "\x78\x9F\x3E\x23\x01\x00", 6, NULL);
    ok(rc == CV_EPARSE && !t, "bad signature: rc %d\n", rc);
    rc = cv_tnef_parse(&t, "", 0, NULL);
    ok(rc == CV_EPARSE && !t, "empty: rc %d\n", rc);
    rc = cv_tnef_parse(&t, NULL, 0, NULL);
    ok(rc == CV_EPARSE && !t, "NULL: rc %d\n", rc);
    ok(cv_tnef_detect("\x78\x9F\x3E\x22", 4) == 1 && cv_tnef_detect("\x78\x9F\x3E", 3) == 0, "detect\n");

    tnef_begin(&b, 1);
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == 0 && t && t->msg->n_attachments == 0, "header only: rc %d\n", rc);
    cv_tnef_free(t);
    t = NULL;

    /* Huge attribute length. */
    put8(&b, 1); put32(&b, A_SUBJECT); put32(&b, 0xFFFFFFFF); put(&b, "abc", 3);
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == CV_EPARSE && t && (t->warnings & CV_TNEF_W_TRUNCATED), "huge attribute: rc %d\n", rc);
    reset(&t, &b);

    /* Huge counts inside a whole attribute: property count, MV count,
     * value count, string length, name length, recipient rows. */
    {
        static const uint32_t forged[][3] = {
            { 0xFFFFFFFF, 0, 0 }, { 2, PROP_TAG(PT_MV_LONG, 0x6701), 0xFFFFFFFF },
            { 2, PROP_TAG(PT_MV_BINARY, 0x6701), 0x40000000 }, { 2, PROP_TAG(PT_BINARY, 0x6701), 0xFFFFFFFF },
            { 2, PROP_TAG(PT_MV_CLSID, 0x6701), 0x10000000 },
        };
        for (size_t i = 0; i < sizeof forged / sizeof forged[0]; i++) {
            tnef_begin(&b, 1);
            o = att_begin(&b, 1, A_MAPI_PROPS);
            put32(&b, forged[i][0]);
            p_str8(&b, PR_SUBJECT_A, "kept");
            if (forged[i][1]) {
                put32(&b, forged[i][1]);
                put32(&b, forged[i][2]);
                put32(&b, forged[i][2]);
                put32(&b, 0);
            }
            att_end(&b, o);
            att_str(&b, 1, A_BODY, "after");
            rc = cv_tnef_parse(&t, b.p, b.n, NULL);
            ok(rc == CV_EPARSE && t && (t->warnings & CV_TNEF_W_DAMAGED), "forged %u: rc %d\n", (unsigned)i, rc);
            ok(t && str_of(t->msg->props, PR_SUBJECT) && str_of(t->msg->props, PR_BODY),
               "forged %u: what came before and after is kept\n", (unsigned)i);
            reset(&t, &b);
        }
    }
    {
        uint8_t gb[16];
        tnef_begin(&b, 1);
        o = att_begin(&b, 1, A_MAPI_PROPS);
        put32(&b, 1);
        put32(&b, PROP_TAG(PT_LONG, 0x8001));
        st_guid_to_bytes(gb, &ST_PS_MAPI);
        put(&b, gb, 16);
        put32(&b, 1);
        put32(&b, 0xFFFFFFF0);
        att_end(&b, o);
        o = att_begin(&b, 1, A_RECIP_TABLE);
        put32(&b, 0xFFFFFFFF);
        put32(&b, 0);
        att_end(&b, o);
        o = att_begin(&b, 1, A_MAPI_PROPS);   /* a property type we cannot size */
        put32(&b, 2);
        p_long(&b, PR_IMPORTANCE, 2);
        put32(&b, PROP_TAG(0x0099, 0x6701));
        put32(&b, 0);
        att_end(&b, o);
        rc = cv_tnef_parse(&t, b.p, b.n, NULL);
        ok(rc == CV_EPARSE && t && (t->warnings & CV_TNEF_W_DAMAGED), "forged name/rows/type: rc %d\n", rc);
        ok(t && t->n_named == 0 && t->msg->n_recipients == 1, "forged rows: one empty row\n");
        ok(t && long_of(t->msg->props, PR_IMPORTANCE, -1) == 2, "props before an unknown type kept\n");
        reset(&t, &b);
    }

    /* Empty attributes, whole and fed in pieces (nothing buffered: the
     * decoders must still get a valid pointer). */
    tnef_begin(&b, 1);
    att_bytes(&b, 1, A_SUBJECT, "", 0);
    att_bytes(&b, 1, A_MAPI_PROPS, "", 0);
    att_bytes(&b, 1, A_MESSAGE_ID, "", 0);
    att_bytes(&b, 2, A_ATTACH_TITLE, "", 0);
    att_bytes(&b, 2, A_ATTACH_DATA, "", 0);
    for (size_t piece = 1; piece <= b.n; piece += b.n - 1) {
        rc = parse_pieces(&t, b.p, b.n, piece, NULL);
        ok(rc == CV_EPARSE && t && t->msg->n_attachments == 1 && str_of(t->msg->props, PR_SUBJECT)
           && !*str_of(t->msg->props, PR_SUBJECT), "empty attributes, pieces of %u: rc %d\n", (unsigned)piece, rc);
        ok(t && t->msg->n_attachments == 1 && t->msg->attachments[0].data_size == 0
           && st_bag_get(t->msg->attachments[0].props, PR_ATTACH_DATA_BIN), "empty attachment data\n");
        cv_tnef_free(t);
        t = NULL;
    }
    free(b.p);
    memset(&b, 0, sizeof b);

    /* A checksum mismatch is a warning; the data is used. */
    tnef_begin(&b, 1);
    att_str(&b, 1, A_SUBJECT, "checked");
    b.p[b.n - 1] ^= 0x55;
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == 0 && t && t->warnings == CV_TNEF_W_CHECKSUM, "checksum: rc %d\n", rc);
    ok(t && str_of(t->msg->props, PR_SUBJECT) && strcmp(str_of(t->msg->props, PR_SUBJECT), "checked") == 0,
       "checksum: data used\n");
    cv_tnef_free(t);
    t = NULL;
    b.p[b.n - 1] ^= 0x55;

    /* Trailing zero padding is fine; an unknown level is damage. */
    put(&b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == 0 && t && t->warnings == 0, "zero padding: rc %d\n", rc);
    cv_tnef_free(t);
    t = NULL;
    b.n -= 16;
    att_bytes(&b, 7, A_BODY, "x", 2);
    att_str(&b, 1, A_BODY, "after");
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == CV_EPARSE && t && str_of(t->msg->props, PR_BODY), "level 7: rc %d, later attribute read\n", rc);
    reset(&t, &b);

    /* An attached message that is not TNEF. */
    tnef_begin(&b, 1);
    att_renddata(&b, 1);
    o = att_begin(&b, 2, A_ATTACHMENT);
    put32(&b, 1);
    put32(&b, PR_ATTACH_DATA_OBJ); put32(&b, 1); put32(&b, 20); put(&b, iid_imessage, 16); put32(&b, 0x12345678);
    att_end(&b, o);
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == CV_EPARSE && t && t->msg->n_attachments == 1 && !t->msg->attachments[0].embedded,
       "attached non-TNEF: rc %d\n", rc);
    reset(&t, &b);
}

/* Attached messages nest at most CV_TNEF_MAX_DEPTH deep. */
static void test_depth(void)
{
    for (int depth = CV_TNEF_MAX_DEPTH - 1; depth <= CV_TNEF_MAX_DEPTH + 2; depth++) {
        buf b = { 0 };
        cv_tnef *t = NULL;
        int rc, levels = 0;
        cv_message *m;

        build_inner(&b, depth);
        rc = cv_tnef_parse(&t, b.p, b.n, NULL);
        for (m = t ? t->msg : NULL; m && m->n_attachments; m = m->attachments[0].embedded)
            levels++;
        if (depth <= CV_TNEF_MAX_DEPTH) {
            ok(rc == 0 && levels == depth + 1, "depth %d: rc %d, %d levels\n", depth, rc, levels);
        } else {
            ok(rc == CV_ELIMIT && t && (t->warnings & CV_TNEF_W_LIMIT), "depth %d: rc %d\n", depth, rc);
            ok(levels == CV_TNEF_MAX_DEPTH + 1, "depth %d: %d levels kept\n", depth, levels);
        }
        ok(t && t->n_named == 1, "depth %d: one name for all levels\n", depth);
        cv_tnef_free(t);
        free(b.p);
    }
}

/* Code pages: attOemCodepage, else PR_INTERNET_CPID, else the default;
 * encapsulated properties win whatever their order. */
static void test_codepages(void)
{
    buf b = { 0 };
    cv_tnef *t = NULL;
    cv_tnef_options o = { 0 };
    size_t a;
    int rc;

    /* No attOemCodepage; PR_INTERNET_CPID after the legacy body. */
    tnef_begin(&b, 1);
    att_version_cp(&b, 0);
    att_str(&b, 1, A_BODY, hello_1251);
    a = att_begin(&b, 1, A_MAPI_PROPS);
    put32(&b, 1);
    p_long(&b, PR_INTERNET_CPID, 1251);
    att_end(&b, a);
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == 0 && t && t->codepage == 1251 && str_of(t->msg->props, PR_BODY)
       && strcmp(str_of(t->msg->props, PR_BODY), hello_utf8) == 0, "PR_INTERNET_CPID: rc %d\n", rc);
    reset(&t, &b);

    /* Nothing named: the caller's default, then Windows-1252. */
    tnef_begin(&b, 1);
    att_str(&b, 1, A_SUBJECT, "\xE9t\xE9");
    o.codepage = 1251;
    rc = cv_tnef_parse(&t, b.p, b.n, &o);
    ok(rc == 0 && t && t->codepage == 1251 && str_of(t->msg->props, PR_SUBJECT)
       && strcmp(str_of(t->msg->props, PR_SUBJECT), "\xD0\xB9t\xD0\xB9") == 0, "caller's default\n");
    cv_tnef_free(t);
    t = NULL;
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == 0 && t && t->codepage == 1252 && str_of(t->msg->props, PR_SUBJECT)
       && strcmp(str_of(t->msg->props, PR_SUBJECT), "\xC3\xA9t\xC3\xA9") == 0, "1252 default\n");
    reset(&t, &b);

    /* An unknown code page: a warning, read as Windows-1252. */
    tnef_begin(&b, 1);
    att_version_cp(&b, 99999);
    att_str(&b, 1, A_SUBJECT, "\xE9t\xE9");
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == 0 && t && (t->warnings & CV_TNEF_W_CHARSET) && str_of(t->msg->props, PR_SUBJECT)
       && strcmp(str_of(t->msg->props, PR_SUBJECT), "\xC3\xA9t\xC3\xA9") == 0, "unknown code page: rc %d\n", rc);
    reset(&t, &b);

    /* attMsgProps before the legacy attributes: it still wins; the legacy
     * class maps to its MAPI name when nothing else gives one. */
    tnef_begin(&b, 1);
    a = att_begin(&b, 1, A_MAPI_PROPS);
    put32(&b, 1);
    p_unicode(&b, PR_SUBJECT_W, "from props");
    att_end(&b, a);
    att_str(&b, 1, A_SUBJECT, "legacy");
    att_str(&b, 1, A_MESSAGE_CLASS, "IPM.Microsoft Schedule.MtgReq");
    rc = cv_tnef_parse(&t, b.p, b.n, NULL);
    ok(rc == 0 && t && str_of(t->msg->props, PR_SUBJECT)
       && strcmp(str_of(t->msg->props, PR_SUBJECT), "from props") == 0, "props win when first\n");
    ok(t && str_of(t->msg->props, PR_MESSAGE_CLASS)
       && strcmp(str_of(t->msg->props, PR_MESSAGE_CLASS), "IPM.Schedule.Meeting.Request") == 0, "class mapped\n");
    cv_tnef_free(t);
    free(b.p);
}

/* ---- The corpus ---- */

static int read_file(const char *path, buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t got;

    memset(out, 0, sizeof *out);
    if (!f)
        return -1;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        put(out, chunk, got);
    fclose(f);
    return 0;
}

/* a and b equal once every CR is dropped (the oracles have LF line ends). */
static int equal_no_cr(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < an && a[i] == '\r') i++;
        while (j < bn && b[j] == '\r') j++;
        if (i == an || j == bn)
            return i == an && j == bn;
        if (a[i++] != b[j++])
            return 0;
    }
}

static uint32_t crc32_rtf(const uint8_t *p, size_t n)
{
    uint32_t c = 0;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ ((c & 1) ? 0xEDB88320u : 0);
    }
    return c;
}

static const char *att_name(const cv_attachment *a)
{
    const char *n = str_of(a->props, PR_ATTACH_LONG_FILENAME);
    return n ? n : str_of(a->props, PR_ATTACH_FILENAME);
}

/* The data of an attachment, from the sink run or the bag run. */
static int att_data(const cv_attachment *a, mem_sink *m, const uint8_t **p, size_t *n)
{
    const st_value *v = st_bag_get(a->props, PR_ATTACH_DATA_BIN);
    if (v) {
        *p = v->v.bin.data;
        *n = v->v.bin.len;
        return 0;
    }
    if (m && a->data_id) {
        mem_stream *s = ms_find(m, a->data_id);
        if (s) {
            *p = s->data.p;
            *n = s->data.n;
            return 0;
        }
    }
    return -1;
}

/* Checks one corpus stream: parse with and without a sink; attachment
 * names against `names` (n of them), contents against dir/<name>[.k],
 * bodies against dir/message.{html,txt,rtf}. */
static void check_corpus_file(const char *root, const char *file, const char *dir,
                              char **names, size_t n_names, cv_tnef **keep)
{
    char path[4096];
    buf in, exp;
    cv_tnef *t = NULL, *ts = NULL;
    cv_tnef_options o;
    mem_sink m = { 0 };
    int rc;

    snprintf(path, sizeof path, "%s/tnef/%s", root, file);
    if (read_file(path, &in) != 0) {
        ok(0, "%s: cannot read\n", path);
        return;
    }
    rc = cv_tnef_parse(&t, in.p, in.n, NULL);
    ok(rc == 0 && t && t->warnings == 0, "%s: rc %d, warnings %#x %s\n", file, rc, t ? t->warnings : 0,
       t ? t->warning : "");
    rc = cv_tnef_parse(&ts, in.p, in.n, opts_sink(&o, &m));
    ok(rc == 0 && ts, "%s with sink: rc %d\n", file, rc);
    ok(ms_all_ended(&m) && m.protocol_errors == 0, "%s: sink protocol\n", file);
    if (!t || !ts)
        goto done;
    {
        char *want = dump(ts);
        static const size_t pieces[] = { 1, 13, 4096 };
        for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
            mem_sink mp = { 0 };
            cv_tnef *tp = NULL;
            char *got;
            rc = parse_pieces(&tp, in.p, in.n, pieces[i], opts_sink(&o, &mp));
            got = dump(tp);
            ok(rc == 0 && strcmp(got, want) == 0, "%s: fed %u bytes at a time: rc %d, same result\n", file,
               (unsigned)pieces[i], rc);
            ok(mp.n == m.n && ms_all_ended(&mp), "%s: fed in pieces: sink\n", file);
            for (size_t k = 0; k < mp.n && k < m.n; k++)
                ok(mp.s[k].data.n == m.s[k].data.n && memcmp(mp.s[k].data.p, m.s[k].data.p, mp.s[k].data.n) == 0,
                   "%s: fed in pieces: stream %u\n", file, (unsigned)k);
            free(got);
            cv_tnef_free(tp);
            ms_reset(&mp);
        }
        free(want);
    }
    ok(t->msg->n_attachments == n_names, "%s: %u attachments, oracle %u\n", file,
       (unsigned)t->msg->n_attachments, (unsigned)n_names);
    for (size_t i = 0; i < t->msg->n_attachments && i < n_names; i++) {
        const cv_attachment *a = &t->msg->attachments[i], *as = &ts->msg->attachments[i];
        const char *name = att_name(a);
        const uint8_t *d, *ds;
        size_t dn, dsn, dup = 0;

        ok(name && strcmp(name, names[i]) == 0, "%s: attachment %u named %s, oracle %s\n", file,
           (unsigned)i, name ? name : "(none)", names[i]);
        if (att_data(a, NULL, &d, &dn) != 0 || att_data(as, &m, &ds, &dsn) != 0) {
            ok(0, "%s: attachment %u has no data\n", file, (unsigned)i);
            continue;
        }
        ok(dn == dsn && dn == a->data_size && memcmp(d, ds, dn) == 0, "%s: sink and bag agree on %u\n",
           file, (unsigned)i);
        /* The tnef tool names repeated names name.1, name.2 ... */
        for (size_t j = 0; j < n_names; j++)
            dup += strcmp(names[j], names[i]) == 0;
        if (dup > 1) {
            size_t k = 0;
            for (size_t j = 0; j <= i; j++)
                k += strcmp(names[j], names[i]) == 0;
            snprintf(path, sizeof path, "%s/tnef/%s/%s.%u", root, dir, names[i], (unsigned)k);
        } else {
            snprintf(path, sizeof path, "%s/tnef/%s/%s", root, dir, names[i]);
        }
        if (read_file(path, &exp) != 0)
            continue;          /* not every attachment has an expected file */
        if (long_of(a->props, PR_ATTACH_METHOD, 0) == ATTACH_OLE) {
            /* The oracle keeps the object's IID in front; we give the
             * IStorage bytes only. */
            ok(exp.n == dn + 16 && memcmp(exp.p, iid_istorage, 16) == 0 && memcmp(exp.p + 16, d, dn) == 0,
               "%s: OLE %s differs (%u vs %u bytes)\n", file, path, (unsigned)dn, (unsigned)exp.n);
        } else {
            ok(exp.n == dn && memcmp(exp.p, d, dn) == 0, "%s: %s differs (%u vs %u bytes)\n", file, path,
               (unsigned)dn, (unsigned)exp.n);
        }
        free(exp.p);
    }
    snprintf(path, sizeof path, "%s/tnef/%s/message.html", root, dir);
    if (read_file(path, &exp) == 0) {
        const st_value *v = st_bag_get(t->msg->props, PR_HTML);
        ok(v && equal_no_cr(v->v.bin.data, v->v.bin.len, exp.p, exp.n), "%s: HTML body\n", file);
        free(exp.p);
    }
    snprintf(path, sizeof path, "%s/tnef/%s/message.txt", root, dir);
    if (read_file(path, &exp) == 0) {
        const char *body = str_of(t->msg->props, PR_BODY);
        ok(body && equal_no_cr((const uint8_t *)body, strlen(body), exp.p, exp.n), "%s: text body\n", file);
        free(exp.p);
    }
    snprintf(path, sizeof path, "%s/tnef/%s/message.rtf", root, dir);
    if (read_file(path, &exp) == 0) {
        /* Decompressing is [MS-OXRTFCP]'s module; here: the compressed
         * bytes are whole (header sizes and CRC) and promise at least the
         * oracle's length. */
        const st_value *v = st_bag_get(t->msg->props, PR_RTF_COMPRESSED);
        const uint8_t *r = v ? v->v.bin.data : NULL;
        uint32_t len = v ? v->v.bin.len : 0;
        ok(r && len >= 16 && memcmp(r + 8, "LZFu", 4) == 0, "%s: compressed RTF present\n", file);
        if (r && len >= 16) {
            uint32_t comp = r[0] | r[1] << 8 | r[2] << 16 | (uint32_t)r[3] << 24;
            uint32_t raw = r[4] | r[5] << 8 | r[6] << 16 | (uint32_t)r[7] << 24;
            uint32_t crc = r[12] | r[13] << 8 | r[14] << 16 | (uint32_t)r[15] << 24;
            ok(comp == len - 4, "%s: RTF size %u of %u\n", file, comp, len);
            ok(crc == crc32_rtf(r + 16, len - 16), "%s: RTF CRC\n", file);
            ok(raw >= exp.n && raw < exp.n + 64, "%s: RTF raw size %u, oracle %u\n", file, raw, (unsigned)exp.n);
        }
        /* And, through the [MS-OXRTFCP] module, the oracle's RTF (its line
         * ends normalised to LF). */
        if (r) {
            uint8_t *rtf = NULL;
            size_t rtf_len = 0;
            rc = cv_rtf_decompress(&rtf, &rtf_len, r, len, 0, 0);
            ok(rc == 0 && equal_no_cr(rtf, rtf_len, exp.p, exp.n), "%s: RTF decompresses to the oracle (rc %d, %u bytes)\n",
               file, rc, (unsigned)rtf_len);
            free(rtf);
        }
        free(exp.p);
    }
    /* Cut the file at many places: no crash, a partial result. */
    {
        size_t step = in.n / 400 + 1, bad = 0;
        for (size_t cut = 4; cut < in.n; cut += step) {
            uint8_t *copy = malloc(cut);
            cv_tnef *tc = NULL;
            memcpy(copy, in.p, cut);
            rc = cv_tnef_parse(&tc, copy, cut, NULL);
            if (!tc || (rc != 0 && rc != CV_EPARSE))
                bad++;
            cv_tnef_free(tc);
            free(copy);
        }
        ok(bad == 0, "%s: %u bad cuts\n", file, (unsigned)bad);
    }
done:
    if (keep && t) {
        *keep = t;
        t = NULL;
    }
    cv_tnef_free(t);
    cv_tnef_free(ts);
    ms_reset(&m);
    free(in.p);
}

/* mimekit's X.tnef with X.list: the attachment names (the tool's saved
 * bodies, body.*, are not attachments) and X/ with the expected files. */
static void check_mimekit(const char *root, const char *base, cv_tnef **keep)
{
    char path[4096], file[256], dir[256];
    buf list;
    char *names[32];
    size_t n = 0;
    int saw_rtf = 0, saw_html = 0;

    snprintf(path, sizeof path, "%s/tnef/mimekit/%s.list", root, base);
    if (read_file(path, &list) != 0) {
        ok(0, "%s: cannot read\n", path);
        return;
    }
    put(&list, "", 1);
    for (char *line = (char *)list.p, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (*line && line[strlen(line) - 1] == '\r')
            line[strlen(line) - 1] = '\0';
        if (strcmp(line, "body.rtf") == 0)
            saw_rtf = 1;
        else if (strcmp(line, "body.html") == 0)
            saw_html = 1;
        else if (*line && n < 32)
            names[n++] = line;
    }
    snprintf(file, sizeof file, "mimekit/%s.tnef", base);
    snprintf(dir, sizeof dir, "mimekit/%s", base);
    check_corpus_file(root, file, dir, names, n, keep);
    if (keep && *keep) {
        ok(!saw_rtf || st_bag_get((*keep)->msg->props, PR_RTF_COMPRESSED), "%s: body.rtf listed\n", base);
        ok(!saw_html || st_bag_get((*keep)->msg->props, PR_HTML), "%s: body.html listed\n", base);
    }
    free(list.p);
}

static void test_corpus(const char *root)
{
    static const char *const bases[] = { "body", "multi-value-attribute", "rtf", "triples",
                                         "two-files", "unicode-mapi-attr", "winmail" };
    cv_tnef *t[sizeof bases / sizeof bases[0]] = { 0 };
    char *poi_names[] = { "quick.doc", "quick.html", "quick.pdf", "quick.txt", "quick.xml" };
    cv_tnef *poi = NULL;
    const st_value *v;

    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        check_mimekit(root, bases[i], &t[i]);
    check_corpus_file(root, "apache-poi/quick-winmail.dat", "apache-poi/quick-contents", poi_names, 5, &poi);

    if (t[0]) {   /* body */
        ok(strcmp(str_of(t[0]->msg->props, PR_SUBJECT) ? str_of(t[0]->msg->props, PR_SUBJECT) : "",
                  "Bill of Rights") == 0, "body: subject\n");
        ok(t[0]->msg->n_recipients == 1 && str_of(t[0]->msg->recipients[0], PR_SMTP_ADDRESS)
           && strcmp(str_of(t[0]->msg->recipients[0], PR_SMTP_ADDRESS), "3kuser2@brexchange.dolphinsearch.com") == 0,
           "body: recipient\n");
    }
    if (t[1]) {   /* multi-value-attribute */
        v = st_bag_get(t[1]->msg->props, PROP_TAG(PT_MV_I2, 0x1205));
        ok(v && v->v.mv.n == 1 && v->v.mv.i[0] == 60, "multi-value: PT_MV_I2 0x1205\n");
        ok(str_of(t[1]->msg->props, PR_MESSAGE_CLASS)
           && strcmp(str_of(t[1]->msg->props, PR_MESSAGE_CLASS), "IPM.Note.Microsoft.Voicemail.UM.CA") == 0,
           "multi-value: class\n");
        ok(t[1]->msg->n_attachments == 1 && str_of(t[1]->msg->attachments[0].props, PR_ATTACH_MIME_TAG)
           && strcmp(str_of(t[1]->msg->attachments[0].props, PR_ATTACH_MIME_TAG), "audio/mp3") == 0,
           "multi-value: MIME tag\n");
    }
    if (t[3]) {   /* triples */
        uint16_t loc = named_id(t[3], &ST_PSETID_Appointment, ST_MNID_ID, ST_LID_LOCATION, NULL);
        ok(t[3]->codepage == 1251, "triples: code page %u\n", t[3]->codepage);
        ok(str_of(t[3]->msg->props, PR_MESSAGE_CLASS)
           && strcmp(str_of(t[3]->msg->props, PR_MESSAGE_CLASS), "IPM.Appointment") == 0, "triples: class\n");
        ok(str_of(t[3]->msg->props, PR_SUBJECT) && strcmp(str_of(t[3]->msg->props, PR_SUBJECT), "Sample Summary") == 0,
           "triples: subject\n");
        ok(loc && str_of(t[3]->msg->props, PROP_TAG(PT_STRING8, loc))
           && strcmp(str_of(t[3]->msg->props, PROP_TAG(PT_STRING8, loc)), "Sample Location") == 0,
           "triples: PidLidLocation\n");
    }
    if (t[4])     /* two-files */
        ok(str_of(t[4]->msg->props, PR_SUBJECT) && strcmp(str_of(t[4]->msg->props, PR_SUBJECT), "two files") == 0,
           "two-files: subject\n");
    if (t[5]) {   /* unicode-mapi-attr */
        v = st_bag_get(t[5]->msg->props, PR_PREVIEW);
        ok(v && PROP_TYPE(v->tag) == PT_UNICODE && strcmp(v->v.str, "\xE2\x80\x8Bhello world") == 0,
           "unicode: PR_PREVIEW_W with U+200B\n");
        v = st_bag_get(t[5]->msg->props, PR_SUBJECT);
        ok(v && PROP_TYPE(v->tag) == PT_UNICODE && strcmp(v->v.str, "example") == 0, "unicode: subject\n");
        v = t[5]->msg->n_attachments ? st_bag_get(t[5]->msg->attachments[0].props, PR_ATTACH_LONG_FILENAME) : NULL;
        ok(v && PROP_TYPE(v->tag) == PT_UNICODE && strcmp(v->v.str, "example.dat") == 0, "unicode: file name\n");
        ok(named_id(t[5], &ST_PS_INTERNET_HEADERS, ST_MNID_STRING, 0, "x-originating-ip") != 0,
           "unicode: named string property\n");
    }
    if (t[6]) {   /* winmail */
        ok(t[6]->codepage == 936, "winmail: code page %u\n", t[6]->codepage);
        ok(t[6]->msg->n_attachments == 2 && long_of(t[6]->msg->attachments[1].props, PR_ATTACH_METHOD, 0) == ATTACH_OLE,
           "winmail: OLE attachments\n");
    }
    if (poi)
        ok(str_of(poi->msg->props, PR_MESSAGE_CLASS) && strcmp(str_of(poi->msg->props, PR_MESSAGE_CLASS), "IPM.Note") == 0,
           "quick-winmail: class\n");
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
        cv_tnef_free(t[i]);
    cv_tnef_free(poi);
}

/* ---- Seeds for fuzz_tnef ---- */

static int write_seed(const char *dir, const char *name, const buf *b)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(b->p, 1, b->n, f) != b->n) {
        if (f)
            fclose(f);
        return -1;
    }
    return fclose(f);
}

static int write_seeds(const char *dir)
{
    buf b = { 0 };
    int rc = 0;

    build_sample(&b, 100, 1251);
    rc |= write_seed(dir, "sample", &b);
    b.n = 0;
    build_inner(&b, 3);
    rc |= write_seed(dir, "nested", &b);
    b.n = 0;
    tnef_begin(&b, 7);
    att_version_cp(&b, 65001);
    att_str(&b, 1, A_MESSAGE_CLASS, "IPM.Microsoft Mail.Read Receipt");
    att_str(&b, 1, A_SUBJECT, "\xC3\xA9t\xC3\xA9");
    att_renddata(&b, 2);
    att_bytes(&b, 2, A_ATTACH_DATA, "data", 4);
    rc |= write_seed(dir, "legacy", &b);
    free(b.p);
    return rc;
}

int main(int argc, char **argv)
{
    const char *root = getenv("MAPIDAV_CORPUS");
    char probe[4096];
    FILE *f;

    if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0)
        return write_seeds(argv[2]) == 0 ? 0 : 1;

    test_sample();
    test_sink();
    test_reader();
    test_truncation();
    test_malformed();
    test_depth();
    test_codepages();

    if ((!root || !*root) && test_failed_)
        return test_done();
    if (!root || !*root)
        test_skip("MAPIDAV_CORPUS unset; the built streams passed\n");
    snprintf(probe, sizeof probe, "%s/tnef/SOURCES.md", root);
    f = fopen(probe, "rb");
    if (!f) {
        if (test_failed_)
            return test_done();
        test_skip("no TNEF corpus at %s; the built streams passed\n", root);
    }
    fclose(f);
    test_corpus(root);
    return test_done();
}
