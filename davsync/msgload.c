/*
 * msgload.c: a stored message read back into a cv_message (msgload.h):
 * properties, recipient rows, attachments and embedded messages (nested up
 * to MAX_DEPTH), so convert/ can build it as MIME.
 *
 * Streams: a property the store keeps as a stream comes back from
 * st_message_get / st_attach_get as PT_ERROR MAPI_E_NOT_ENOUGH_MEMORY.
 * Attachment data (PR_ATTACH_DATA_BIN) stays in the store: the attachment
 * gets a data_id naming (message, attachment number) and the cv_source
 * reads it in the slices the builder asks for, through one open reader
 * (re-opened or sought only when the builder jumps). Other streamed
 * properties (big bodies, transport headers) are read whole into the bag,
 * up to MAX_PROP bytes each (the MIME parser keeps bodies to the same
 * bound), with the type the stream was stored with (st_stream_tag; the
 * marker says PT_ERROR).
 *
 * Invariant: a data_id is an index into l->refs (+1), never a stream id of
 * the store. Never: read an attachment's data whole, follow more than
 * MAX_DEPTH embedded levels, write to the store.
 */
#include <stdlib.h>
#include <string.h>

#include "convert/mail.h"
#include "davsync/msgload.h"
#include "storage/log.h"
#include "storage/props_tags.h"

#define MAX_DEPTH 16
#define MAX_PROP ((uint64_t)64 << 20)

typedef struct src_ref {
    st_id mid;          /* message (or embedded message) owning the attachment */
    uint32_t num;       /* its PR_ATTACH_NUM */
} src_ref;

struct ds_msgload {
    st_store *s;        /* borrowed */
    cv_message *msg;    /* the result */
    src_ref *refs;      /* data_id i + 1 is refs[i] */
    size_t n, cap;
    cv_source source;   /* reads refs */
    st_stream *cur;     /* the open reader, or NULL */
    uint64_t cur_id;    /* its data_id */
    uint64_t cur_pos;   /* its position */
    int prepared;       /* cv_mail_prepare_build done */
};

/* Replaces the stream markers of bag (other than attachment data, when
 * skip_data) with the values, read whole. */
static int inline_streams(st_store *s, st_bag *bag, st_id mid, uint32_t num, int skip_data)
{
    int code = 0;
    for (size_t i = 0; !code && i < st_bag_count(bag); i++) {
        const st_value *v = st_bag_at(bag, i);
        if (PROP_TYPE(v->tag) != PT_ERROR || v->v.err != ST_E_NOT_ENOUGH_MEMORY)
            continue;
        uint32_t id = PROP_ID(v->tag);
        if (skip_data && id == PROP_ID(PR_ATTACH_DATA_BIN))
            continue;
        st_stream *r = NULL;
        code = st_stream_open_read(&r, s, mid, num, PROP_TAG(PT_BINARY, id));
        if (code)
            break;
        /* The marker says PT_ERROR; the stream knows the stored type. */
        uint32_t type = PROP_TYPE(st_stream_tag(r));
        if (type != PT_UNICODE && type != PT_STRING8 && type != PT_BINARY) {
            ST_LOG_WARN(ST_LOG_DAVSYNC, "message %llu: streamed property 0x%04X of type 0x%X"
                " left out", (unsigned long long)mid, (unsigned)id, (unsigned)type);
            st_stream_close(r);
            continue;
        }
        uint64_t size = st_stream_size(r);
        if (size > MAX_PROP) {
            st_stream_close(r);
            st_error_set("message %llu: property 0x%04X is %llu bytes, more than %llu",
                (unsigned long long)mid, (unsigned)id, (unsigned long long)size,
                (unsigned long long)MAX_PROP);
            return ST_ERROR;
        }
        char *buf = malloc((size_t)size + 1);
        size_t have = 0, got = 0;
        code = buf ? 0 : ST_ERROR;
        while (!code && have < size) {
            code = st_stream_read(r, buf + have, (size_t)size - have, &got);
            if (!code && !got)
                break;
            have += got;
        }
        st_stream_close(r);
        if (!code) {
            buf[have] = 0;
            /* Text is UTF-8 inside the store, whatever its MAPI type. */
            int rc = type != PT_BINARY ? st_bag_set_strn(bag, PROP_TAG(PT_UNICODE, id), buf, have)
                                       : st_bag_set_bin(bag, PROP_TAG(type, id), buf,
                                             (uint32_t)have);
            if (rc < 0)
                code = ST_ERROR;
        }
        free(buf);
        /* The marker was replaced in place (same id): the index still holds. */
    }
    if (code == ST_ERROR && !*st_error_last())
        st_error_set("out of memory");
    return code;
}

static int add_ref(ds_msgload *l, uint64_t *id, st_id mid, uint32_t num)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        src_ref *p = realloc(l->refs, nc * sizeof *p);
        if (!p) {
            st_error_set("out of memory");
            return ST_ERROR;
        }
        l->refs = p;
        l->cap = nc;
    }
    l->refs[l->n] = (src_ref){ mid, num };
    *id = ++l->n;
    return 0;
}

static int load(ds_msgload *l, cv_message *m, st_id mid, int depth);

static int load_attachment(ds_msgload *l, cv_message *m, st_id mid, uint32_t num, int depth)
{
    st_bag *b = NULL;
    int code = st_attach_get(l->s, &b, mid, num);
    if (code)
        return code;
    cv_attachment *a = NULL;
    code = cv_message_add_attachment(m, &a) < 0 ? ST_ERROR : 0;
    if (!code) {
        st_bag_free(a->props);
        a->props = b;
        b = NULL;
        code = inline_streams(l->s, a->props, mid, num, 1);
    }
    const st_value *d = code ? NULL : st_bag_get(a->props, PROP_TAG(PT_ERROR,
        PROP_ID(PR_ATTACH_DATA_BIN)));
    if (d && d->v.err == ST_E_NOT_ENOUGH_MEMORY) {
        st_stream *r = NULL;
        code = st_stream_open_read(&r, l->s, mid, num, PR_ATTACH_DATA_BIN);
        if (!code) {
            a->data_size = st_stream_size(r);
            st_stream_close(r);
            code = add_ref(l, &a->data_id, mid, num);
        }
        if (!code && st_bag_delete(a->props, d->tag) < 0)
            code = ST_ERROR;
    } else if (!code) {
        const st_value *bin = st_bag_get(a->props, PR_ATTACH_DATA_BIN);
        a->data_size = bin ? bin->v.bin.len : 0;
    }
    const st_value *meth = code ? NULL : st_bag_get(a->props, PR_ATTACH_METHOD);
    if (meth && PROP_TYPE(meth->tag) == PT_LONG && (uint32_t)meth->v.l == ATTACH_EMBEDDED_MSG) {
        st_id eid = 0;
        code = st_attach_embedded(l->s, &eid, mid, num, 0);
        if (code == ST_ENOTFOUND) {   /* an empty embedded attachment */
            code = 0;
        } else if (!code && depth >= MAX_DEPTH) {
            st_error_set("message %llu: embedded messages nested deeper than %d",
                (unsigned long long)mid, MAX_DEPTH);
            code = ST_ERROR;
        } else if (!code) {
            a->embedded = cv_message_new();
            code = a->embedded ? load(l, a->embedded, eid, depth + 1) : ST_ERROR;
        }
    }
    st_bag_free(b);
    if (code == ST_ERROR && !*st_error_last())
        st_error_set("out of memory");
    return code;
}

static int load(ds_msgload *l, cv_message *m, st_id mid, int depth)
{
    st_bag **rows = NULL;
    size_t nr = 0;
    uint32_t *nums = NULL;
    size_t na = 0;
    st_bag_free(m->props);
    m->props = NULL;
    int code = st_message_get(l->s, &m->props, mid);
    if (!code)
        code = inline_streams(l->s, m->props, mid, ST_NO_ATTACH, 0);
    if (!code)
        code = st_recipients_get(l->s, &rows, &nr, mid);
    for (size_t i = 0; !code && i < nr; i++) {
        st_bag *r = NULL;
        code = cv_message_add_recipient(m, &r) < 0 ? ST_ERROR : 0;
        if (!code) {   /* the row replaces the empty one */
            st_bag_free(m->recipients[m->n_recipients - 1]);
            m->recipients[m->n_recipients - 1] = rows[i];
            rows[i] = NULL;
        }
    }
    for (size_t i = 0; i < nr; i++)
        st_bag_free(rows[i]);
    free(rows);
    if (!code)
        code = st_attach_list(l->s, &nums, &na, mid);
    for (size_t i = 0; !code && i < na; i++)
        code = load_attachment(l, m, mid, nums[i], depth);
    free(nums);
    if (code == ST_ERROR && !*st_error_last())
        st_error_set("out of memory");
    return code;
}

static int src_read(void *ctx, uint64_t id, uint64_t offset, void *buf, size_t len, size_t *got)
{
    ds_msgload *l = ctx;
    *got = 0;
    if (!id || id > l->n) {
        st_error_set("message source: no stream %llu", (unsigned long long)id);
        return -1;
    }
    if (!l->cur || l->cur_id != id) {
        st_stream_close(l->cur);
        l->cur = NULL;
        const src_ref *r = &l->refs[id - 1];
        if (st_stream_open_read(&l->cur, l->s, r->mid, r->num, PR_ATTACH_DATA_BIN) != 0)
            return -1;
        l->cur_id = id;
        l->cur_pos = 0;
    }
    if (l->cur_pos != offset) {
        if (st_stream_seek(l->cur, offset) != 0)
            return -1;
        l->cur_pos = offset;
    }
    /* Fill as much as asked: a short read is not the end to every caller. */
    size_t have = 0;
    while (have < len) {
        size_t n = 0;
        if (st_stream_read(l->cur, (char *)buf + have, len - have, &n) != 0)
            return -1;
        if (!n)
            break;
        have += n;
    }
    l->cur_pos += have;
    *got = have;
    return 0;
}

int ds_msgload_open(ds_msgload **out, st_store *s, st_id mid)
{
    *out = NULL;
    ds_msgload *l = calloc(1, sizeof *l);
    if (!l || !(l->msg = cv_message_new())) {
        free(l);
        st_error_set("out of memory");
        return ST_ERROR;
    }
    l->s = s;
    l->source = (cv_source){ src_read, l };
    int code = load(l, l->msg, mid, 0);
    if (code) {
        ds_msgload_free(l);
        return code;
    }
    *out = l;
    return 0;
}

const cv_message *ds_msgload_message(const ds_msgload *l)
{
    return l->msg;
}

const cv_source *ds_msgload_source(const ds_msgload *l)
{
    return &l->source;
}

/* 1 if m and its embedded messages have a text body, and HTML or no RTF. */
static int bodies_ready(const cv_message *m, int depth)
{
    const st_bag *p = m->props;
    if (depth > MAX_DEPTH || !st_bag_get(p, PR_BODY_W) ||
        (!st_bag_get(p, PR_HTML) && st_bag_get(p, PR_RTF_COMPRESSED)))
        return 0;
    for (size_t i = 0; i < m->n_attachments; i++)
        if (m->attachments[i].embedded && !bodies_ready(m->attachments[i].embedded, depth + 1))
            return 0;
    return 1;
}

int ds_msgload_build(ds_msgload *l, const cv_mime_build_options *opts,
    const cv_mime_writer *writer)
{
    /* Bodies in step: needed when there is no text body, or only an RTF
     * one beside it (Outlook may have edited that). A message with text
     * (and HTML, or no RTF) builds as it is: making its RTF, which MIME
     * does not carry, cost half the time of an upload. */
    if (!l->prepared && !bodies_ready(l->msg, 0)) {
        if (cv_mail_prepare_build(l->msg) != 0)
            return ST_ERROR;
        l->prepared = 1;
    }
    cv_mime_build_options o = { 0 };
    if (opts)
        o = *opts;
    o.source = &l->source;
    return cv_mime_build(l->msg, &o, writer) == 0 ? 0 : ST_ERROR;
}

void ds_msgload_free(ds_msgload *l)
{
    if (!l)
        return;
    st_stream_close(l->cur);
    cv_message_free(l->msg);
    free(l->refs);
    free(l);
}
