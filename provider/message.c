/*
 * message.c: IMessage. Every change (values, deletions, recipients,
 * attachment changes handed over by IAttach::SaveChanges, spooled streams)
 * stays in the object until SaveChanges writes it: values, recipients and
 * attachments (with embedded messages) in one storage transaction, which
 * also adopts the streams already written straight into storage (binary
 * ones made with MAPI_CREATE, of new objects too: stream.h, no copy); then
 * the spooled ones in chunks without the store's lock held throughout.
 * GetProps shows storage's values with the pending changes on
 * top, plus what the provider computes (entry IDs, keys of the store,
 * PR_OBJECT_TYPE, PR_ACCESS, PR_ACCESS_LEVEL, PR_STORE_SUPPORT_MASK,
 * PR_HASATTACH and MSGFLAG_HASATTACH, PR_MESSAGE_SIZE for a new message);
 * storage gives PR_RECORD_KEY, PR_INSTANCE_KEY, PR_SEARCH_KEY and
 * PR_MESSAGE_SIZE of a saved one.
 *
 * Bodies: when the client writes one body (PR_BODY, PR_HTML/PR_BODY_HTML or
 * PR_RTF_COMPRESSED), SaveChanges makes the others from it
 * (convert/body.h); text and HTML are kept without compressed RTF, which is
 * made on demand when a client reads it (GetProps, OpenProperty), as for
 * the mail the sync stores. A body bigger than BODY_SYNC_MAX is kept in
 * step in chunks (body_stream.h: HTML gives PR_BODY at SaveChanges, HTML or
 * text the RTF at OpenProperty), never whole in memory; one that cannot be
 * (compressed RTF written, HTML in a multi-byte charset other than UTF-8)
 * is not kept in step: the others are removed instead, so none is stale.
 *
 * GetRecipientTable and GetAttachmentTable give views of a live table
 * (memtable.h) the message makes at the first call and keeps: it shows the
 * rows as they are now, pending changes included, and follows the object
 * with table notifications: ModifyRecipients (row by row; 0, replace all:
 * one TABLE_CHANGED), IAttach::SaveChanges and DeleteAttach (a row added,
 * modified, deleted), SaveChanges (storage's rows: recipients renumbered
 * 0..n-1 by storage and new attachments renumbered by it keep their rows,
 * with the new PR_ROWID / PR_ATTACH_NUM; rows that look the same notify
 * nothing). An attachment shows once IAttach::SaveChanges handed it over,
 * as MAPI defines it: CreateAttach alone and unsaved IAttach changes do
 * not show. The tables are updated under the store's lock and their sinks
 * called after it is released (md_memtable_hold). A table outlives the
 * message: its views keep the rows they had at the message's last Release.
 * SubmitMessage does the store's part of sending ("Sending Messages:
 * Message Store Provider Tasks"): recipients required, SpoolerNotify
 * (NOTIFY_READYTOSEND) once, PrepareSubmit for a resend, ExpandRecips,
 * MSGFLAG_SUBMIT, PR_CLIENT_SUBMIT_TIME, PR_RESPONSIBILITY, PR_SUBMIT_FLAGS
 * (SUBMITFLAG_PREPROCESS when asked), saved into the outgoing queue
 * (spooler.h). SetReadFlag manages read reports through
 * IMAPISupport::ReadReceipt (receipt.h). DeleteAttach with MAPI_DIALOG
 * reports progress (mapiprop.h). Not done: SubmitMessage on an embedded
 * message (MAPI_E_NO_SUPPORT: only top-level messages are sent).
 * Never: write to storage outside SaveChanges (SetReadFlag on a saved
 * message excepted, as MAPI defines it); call storage outside the store's
 * lock.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "convert/body.h"
#include "provider/body_stream.h"
#include "provider/entryid.h"
#include "provider/mapiprop.h"
#include "provider/memtable.h"
#include "provider/message.h"
#include "provider/names.h"
#include "provider/object.h"
#include "provider/receipt.h"
#include "provider/shutdown.h"
#include "provider/spooler.h"

#define BODY_SYNC_MAX (8u << 20)   /* bytes of a body kept in step in memory */
#define ID_BODY 0x1000u
#define ID_HTML 0x1013u
#define ID_RTF 0x1009u

struct md_message {
    IMessage iface;
    LONG refs;
    md_store *store;       /* AddRef'd */
    st_id mid;             /* 0 until the first SaveChanges of a new message */
    st_id fid;             /* its folder; 0 for an embedded message */
    unsigned st_flags;     /* ST_ASSOCIATED for associated contents */
    int modify;            /* opened read-write */
    int embedded;          /* the message of an attachment */
    int is_saved;          /* in storage (mid is its id) */
    st_bag *set;           /* pending values */
    uint32_t *del;         /* pending deletions (PT_UNSPECIFIED tags) */
    size_t n_del, cap_del;
    uint32_t body_changed; /* id of the body written last, or 0 */
    st_bag **rcp;          /* recipient rows, once loaded */
    size_t n_rcp;
    int rcp_loaded, rcp_dirty;
    md_att_change *att;    /* pending attachment changes */
    size_t n_att;
    uint32_t next_num;     /* next number for a new attachment; 0: not known yet */
    md_spool **spool;      /* pending streams of the message */
    size_t n_spool;
    IAttach *parent;       /* embedded in an attachment not in storage yet:
                              SaveChanges hands a snapshot to it (AddRef'd) */
    uint32_t (*renum)[2];  /* new attachments saved: [our number, storage's] */
    size_t n_renum;
    md_memtable *rcp_table; /* live recipient table once asked for (owned) */
    md_memtable *att_table; /* live attachment table once asked for (owned) */
};

static md_message *impl(IMessage *iface)
{
    return (md_message *)iface;
}

md_store *md_message_store(md_message *m) { return m->store; }
IMessage *md_message_iface(md_message *m) { return &m->iface; }
st_id md_message_mid(md_message *m) { return m->mid; }

static md_message *snapshot(md_message *m);
static void tables_saved(md_message *m, size_t renum_from);

void md_att_change_clear(md_att_change *c)
{
    st_bag_free(c->set);
    free(c->del);
    for (size_t i = 0; i < c->n_spool; i++)
        md_spool_release(c->spool[i]);
    free(c->spool);
    if (c->emb)
        c->emb->lpVtbl->Release(c->emb);
    memset(c, 0, sizeof *c);
}

HRESULT md_att_change_dup(md_att_change *out, const md_att_change *c)
{
    *out = *c;
    out->set = c->set ? st_bag_dup(c->set) : NULL;
    out->del = c->n_del ? malloc(c->n_del * sizeof *out->del) : NULL;
    out->spool = c->n_spool ? malloc(c->n_spool * sizeof *out->spool) : NULL;
    out->emb = NULL;
    if ((c->set && !out->set) || (c->n_del && !out->del) || (c->n_spool && !out->spool)) {
        out->n_spool = 0;
        md_att_change_clear(out);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (c->n_del)
        memcpy(out->del, c->del, c->n_del * sizeof *out->del);
    for (size_t i = 0; i < c->n_spool; i++) {
        out->spool[i] = c->spool[i];
        md_spool_addref(out->spool[i]);
    }
    if (c->emb) {
        md_message *e = snapshot((md_message *)c->emb);
        if (!e) {
            md_att_change_clear(out);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        out->emb = &e->iface;
    }
    return S_OK;
}

static int is_body_id(uint32_t id)
{
    return id == ID_BODY || id == ID_HTML || id == ID_RTF;
}

/* ---- pending changes (under the store's lock) */

int md_tags_add(uint32_t **list, size_t *n, size_t *cap, uint32_t tag)
{
    tag = CHANGE_PROP_TYPE(tag, PT_UNSPECIFIED);
    for (size_t i = 0; i < *n; i++)
        if ((*list)[i] == tag)
            return 0;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        uint32_t *p = realloc(*list, c * sizeof *p);
        if (!p)
            return -1;
        *list = p;
        *cap = c;
    }
    (*list)[(*n)++] = tag;
    return 0;
}

void md_tags_remove(uint32_t *list, size_t *n, uint32_t tag)
{
    for (size_t i = 0; i < *n; i++)
        if (PROP_ID(list[i]) == PROP_ID(tag)) {
            list[i] = list[--*n];
            return;
        }
}

/* Drops the spool for tag's id from an array of them. */
void md_spools_drop(md_spool **sp, size_t *n, uint32_t tag)
{
    for (size_t i = 0; i < *n; i++)
        if (PROP_ID(sp[i]->tag) == PROP_ID(tag)) {
            md_spool_release(sp[i]);
            sp[i] = sp[--*n];
            return;
        }
}

/* Puts sp (a reference taken) in place of the spool of its id. */
int md_spools_put(md_spool ***sp, size_t *n, md_spool *s)
{
    md_spools_drop(*sp, n, s->tag);
    md_spool **p = realloc(*sp, (*n + 1) * sizeof *p);
    if (!p)
        return -1;
    *sp = p;
    md_spool_addref(s);
    p[(*n)++] = s;
    return 0;
}

md_spool *md_spools_find(md_spool *const *sp, size_t n, uint32_t tag)
{
    for (size_t i = 0; i < n; i++)
        if (PROP_ID(sp[i]->tag) == PROP_ID(tag))
            return sp[i];
    return NULL;
}

static HRESULT pend_set(md_message *m, const st_bag *set)
{
    for (size_t i = 0; i < st_bag_count(set); i++) {
        const st_value *v = st_bag_at(set, i);
        md_tags_remove(m->del, &m->n_del, v->tag);
        md_spools_drop(m->spool, &m->n_spool, v->tag);
        st_bag_delete(m->set, CHANGE_PROP_TYPE(v->tag, PT_UNSPECIFIED));
        if (st_bag_set(m->set, v))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        if (v->tag == PR_MESSAGE_FLAGS)   /* computed: not stored */
            st_bag_set_long(m->set, PR_MESSAGE_FLAGS, v->v.l & ~MSGFLAG_HASATTACH);
        if (is_body_id(PROP_ID(v->tag)))
            m->body_changed = PROP_ID(v->tag);
    }
    return S_OK;
}

static HRESULT pend_del(md_message *m, const uint32_t *del, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        st_bag_delete(m->set, CHANGE_PROP_TYPE(del[i], PT_UNSPECIFIED));
        md_spools_drop(m->spool, &m->n_spool, del[i]);
        if (m->mid && md_tags_add(&m->del, &m->n_del, &m->cap_del, del[i]))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        if (m->body_changed == PROP_ID(del[i]))
            m->body_changed = 0;
    }
    return S_OK;
}

static void msg_put_spool(void *obj, md_spool *sp)
{
    md_message *m = obj;
    EnterCriticalSection(&m->store->lock);
    st_bag_delete(m->set, CHANGE_PROP_TYPE(sp->tag, PT_UNSPECIFIED));
    md_tags_remove(m->del, &m->n_del, sp->tag);
    if (md_spools_put(&m->spool, &m->n_spool, sp) == 0 && is_body_id(PROP_ID(sp->tag)))
        m->body_changed = PROP_ID(sp->tag);
    LeaveCriticalSection(&m->store->lock);
}

/* ---- values */

int32_t md_bag_size(const st_bag *b, uint64_t extra)
{
    uint64_t size = extra;
    for (size_t i = 0; i < st_bag_count(b); i++)
        if (PROP_TYPE(st_bag_at(b, i)->tag) != PT_ERROR)
            size += st_value_size(st_bag_at(b, i));
    return size > INT32_MAX ? INT32_MAX : (int32_t)size;
}

int md_pending_apply(st_bag *b, const uint32_t *del, size_t n_del, const st_bag *set,
    md_spool *const *spool, size_t n_spool)
{
    for (size_t i = 0; i < n_del; i++)
        st_bag_delete(b, del[i]);
    int code = set ? st_bag_copy_to(b, set, NULL, 0, 0) : 0;
    for (size_t i = 0; !code && i < n_spool; i++) {
        st_value v;
        st_bag_delete(b, CHANGE_PROP_TYPE(spool[i]->tag, PT_UNSPECIFIED));
        if (md_spool_to_value(spool[i], &v, ST_STREAM_INLINE_MAX) == S_OK) {
            code = st_bag_set(b, &v);
            st_value_clear(&v);
        } else {
            st_value mk = { .tag = PROP_TAG(PT_ERROR, PROP_ID(spool[i]->tag)) };
            mk.v.err = ST_E_NOT_ENOUGH_MEMORY;
            code = st_bag_set(b, &mk);
        }
    }
    return code ? -1 : 0;
}


/* Reads a big value (kept as a stream) into b when at most max bytes. */
static void load_big(md_message *m, st_bag *b, uint32_t id, uint32_t attach_num, st_id mid,
    md_spool *pending, size_t max)
{
    st_value v;
    if (pending) {
        if (md_spool_to_value(pending, &v, max) == S_OK) {
            st_bag_set(b, &v);
            st_value_clear(&v);
        }
        return;
    }
    const st_value *mk = st_bag_get(b, PROP_TAG(PT_ERROR, id));
    if (!mk || !mid)
        return;
    st_stream *rd = NULL;
    EnterCriticalSection(&m->store->lock);
    if (st_stream_open_read(&rd, m->store->st, mid, attach_num, PROP_TAG(PT_UNSPECIFIED, id)) == 0
        && st_stream_size(rd) <= max) {
        size_t len = (size_t)st_stream_size(rd), got = 0;
        char *buf = malloc(len + 1);
        if (buf && st_stream_read(rd, buf, len, &got) == 0 && got == len) {
            uint32_t tag = st_stream_tag(rd);
            if (PROP_TYPE(tag) == PT_BINARY)
                st_bag_set_bin(b, tag, buf, (uint32_t)len);
            else
                st_bag_set_strn(b, tag, buf, len);
        }
        free(buf);
    }
    st_stream_close(rd);
    LeaveCriticalSection(&m->store->lock);
}

/* The body a compressed RTF made on demand would come from when that body
 * is too big to convert in memory (kept as a stream, load_big left it
 * out): its id, or 0 (none, or a body in memory: cv_body_sync makes it). */
static uint32_t big_rtf_source(const st_bag *b)
{
    const st_value *h = st_bag_get(b, PROP_TAG(PT_UNSPECIFIED, ID_HTML));
    const st_value *t = st_bag_get(b, PROP_TAG(PT_UNSPECIFIED, ID_BODY));
    const st_value *html_str = st_bag_get(b, PR_BODY_HTML_W);
    if (h && PROP_TYPE(h->tag) == PT_ERROR && !html_str)
        return ID_HTML;
    if (!h && !html_str && t && PROP_TYPE(t->tag) == PT_ERROR)
        return ID_BODY;
    return 0;
}

/* The source of a body kept as a stream: its pending spool (a reference,
 * released by the caller) or storage. Under the store's lock. */
static md_body_src body_src(md_message *m, uint32_t id)
{
    md_body_src src = { m->store, m->mid, NULL, id };
    src.pending = md_spools_find(m->spool, m->n_spool, PROP_TAG(PT_UNSPECIFIED, id));
    if (src.pending)
        md_spool_addref(src.pending);
    return src;
}

/* sp (a reference taken) becomes the pending value of property id: b
 * shows it as kept as a stream, so sync_bodies leaves it as it is. */
static HRESULT put_big(md_message *m, st_bag *b, uint32_t id, md_spool *sp)
{
    uint32_t t = PROP_TAG(PT_UNSPECIFIED, id);
    st_value mk = { .tag = PROP_TAG(PT_ERROR, id) };
    mk.v.err = ST_E_NOT_ENOUGH_MEMORY;
    st_bag_delete(b, t);
    if (st_bag_set(b, &mk))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    md_spools_drop(m->spool, &m->n_spool, t);
    st_bag_delete(m->set, t);
    md_tags_remove(m->del, &m->n_del, t);
    return md_spools_put(&m->spool, &m->n_spool, sp) ? MAPI_E_NOT_ENOUGH_MEMORY : S_OK;
}

/* The bodies made from big body id in chunks (body_stream.h), into b and
 * the pending changes as sync_bodies leaves them (cv_body_sync's rules of
 * body.c): S_OK, or an error (then the caller removes the others as
 * stale; what was put pending is replaced by that). */
static HRESULT sync_big(md_message *m, st_bag *b, uint32_t id)
{
    if (id == ID_BODY) {
        /* rule T without RTF: nothing to convert */
        st_bag_delete(b, PROP_TAG(PT_UNSPECIFIED, ID_HTML));
        return st_bag_set_long(b, PR_NATIVE_BODY_INFO, ST_NATIVE_BODY_PLAINTEXT) ?
            MAPI_E_NOT_ENOUGH_MEMORY : S_OK;
    }
    md_body_src src = body_src(m, id);
    md_spool *text = NULL, *html = NULL;
    uint32_t native = ST_NATIVE_BODY_RTF;
    HRESULT hr = id == ID_HTML ? md_body_text_of_html(&text, &src, b)
        : md_body_of_rtf(&text, &html, &native, &src);
    md_spool_release(src.pending);
    if (hr == S_OK)
        hr = put_big(m, b, ID_BODY, text);
    if (hr == S_OK && id == ID_HTML) {
        /* rule H without RTF: PR_BODY its text, native HTML */
        hr = st_bag_set_long(b, PR_NATIVE_BODY_INFO, ST_NATIVE_BODY_HTML) ?
            MAPI_E_NOT_ENOUGH_MEMORY : S_OK;
    } else if (hr == S_OK) {
        /* rules R1-R3: PR_BODY its text, PR_HTML when it carries HTML (a
         * stale one goes otherwise), in sync */
        if (html)
            hr = put_big(m, b, ID_HTML, html);
        else
            st_bag_delete(b, PROP_TAG(PT_UNSPECIFIED, ID_HTML));
        if (hr == S_OK && (st_bag_set_long(b, PR_NATIVE_BODY_INFO, (int32_t)native) ||
            st_bag_set_bool(b, PR_RTF_IN_SYNC, 1) ||
            (html && st_bag_set_long(b, PR_INTERNET_CPID, 65001))))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    md_spool_release(text);
    md_spool_release(html);
    return hr;
}

/* Storage's values with the pending changes on top (no computed ones):
 * NULL with *hr. */
static st_bag *message_values(md_message *m, HRESULT *hr)
{
    st_bag *b = NULL;
    int code = 0;

    if (m->mid) {
        code = st_message_get(m->store->st, &b, m->mid);
        if (code) {
            *hr = code == ST_ENOTFOUND ? MAPI_E_OBJECT_DELETED : md_hr_from_st(code);
            return NULL;
        }
    } else if (!(b = st_bag_new())) {
        *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    code = md_pending_apply(b, m->del, m->n_del, m->set, m->spool, m->n_spool);
    if (code) {
        st_bag_free(b);
        *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    *hr = S_OK;
    return b;
}

/* Attachments the message has once saved (storage's, changed by the
 * pending ones). */
static size_t attach_count(md_message *m)
{
    uint32_t *nums = NULL;
    size_t n = 0, count = 0;
    if (m->mid && st_attach_list(m->store->st, &nums, &n, m->mid) == 0)
        count = n;
    free(nums);
    for (size_t i = 0; i < m->n_att; i++) {
        if (m->att[i].is_new && !m->att[i].deleted)
            count++;
        else if (!m->att[i].is_new && m->att[i].deleted && count)
            count--;
    }
    return count;
}

/* Every value of the message, computed ones included; with rtf, the
 * compressed RTF made when missing. */
static st_bag *build(md_message *m, int rtf, HRESULT *hr)
{
    md_store *s = m->store;
    BYTE key[16];
    ULONG cb = 0;
    LPENTRYID store_eid = NULL;

    EnterCriticalSection(&s->lock);
    st_bag *b = message_values(m, hr);
    size_t natt = b ? attach_count(m) : 0;
    int want_rtf = b && rtf && !st_bag_get(b, PROP_TAG(PT_UNSPECIFIED, ID_RTF));
    if (want_rtf) {
        load_big(m, b, ID_BODY, ST_NO_ATTACH, m->mid, md_spools_find(m->spool, m->n_spool,
            PR_BODY_W), BODY_SYNC_MAX);
        load_big(m, b, ID_HTML, ST_NO_ATTACH, m->mid, md_spools_find(m->spool, m->n_spool,
            PR_HTML), BODY_SYNC_MAX);
    }
    LeaveCriticalSection(&s->lock);
    if (!b)
        return NULL;
    if (want_rtf && big_rtf_source(b)) {
        /* too big for memory: OpenProperty makes it in chunks */
        st_value mk = { .tag = PROP_TAG(PT_ERROR, ID_RTF) };
        mk.v.err = ST_E_NOT_ENOUGH_MEMORY;
        st_bag_set(b, &mk);
    } else if (want_rtf) {
        cv_body_sync(b, 0, 0);   /* a body that cannot be converted just has no RTF */
    }
    *hr = md_store_entryid(s, 1, &cb, &store_eid);
    if (*hr != S_OK) {
        st_bag_free(b);
        return NULL;
    }
    int code = 0;
    st_guid_to_bytes(key, &s->guid);
    if (m->mid && !m->embedded)
        code |= md_bag_set_eid(b, PR_ENTRYID, s, MD_EID_MESSAGE, m->mid);
    if (m->fid)
        code |= md_bag_set_eid(b, PR_PARENT_ENTRYID, s, MD_EID_FOLDER, m->fid);
    code |= st_bag_set_bin(b, PR_STORE_ENTRYID, store_eid, cb);
    s->alloc.free(store_eid);
    code |= st_bag_set_bin(b, PR_STORE_RECORD_KEY, key, 16);
    code |= st_bag_set_long(b, PR_OBJECT_TYPE, MAPI_MESSAGE);
    code |= st_bag_set_long(b, PR_ACCESS, (int32_t)(MAPI_ACCESS_READ | MAPI_ACCESS_MODIFY
        | MAPI_ACCESS_DELETE));
    code |= st_bag_set_long(b, PR_ACCESS_LEVEL, m->modify ? MAPI_MODIFY : 0);
    code |= st_bag_set_long(b, PR_STORE_SUPPORT_MASK, (int32_t)MD_STORE_MASK);
    code |= st_bag_set_long(b, PR_STORE_UNICODE_MASK, (int32_t)MD_STORE_MASK);
    code |= st_bag_set_bool(b, PR_HASATTACH, natt > 0);
    const st_value *fl = st_bag_get(b, PR_MESSAGE_FLAGS);
    int32_t flags = fl ? fl->v.l : 0;
    flags = natt ? flags | MSGFLAG_HASATTACH : flags & ~MSGFLAG_HASATTACH;
    code |= st_bag_set_long(b, PR_MESSAGE_FLAGS, flags);
    if (!st_bag_get(b, PR_MESSAGE_SIZE))
        code |= st_bag_set_long(b, PR_MESSAGE_SIZE, md_bag_size(b, 0));
    if (code) {
        st_bag_free(b);
        *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    return b;
}

static st_bag *message_props(void *obj, HRESULT *hr)
{
    return build(obj, 0, hr);
}

static st_bag *message_props_rtf(void *obj, HRESULT *hr)
{
    return build(obj, 1, hr);
}

static int message_computed(void *obj, uint32_t tag)
{
    (void)obj;
    switch (PROP_ID(tag)) {
    case PROP_ID(PR_ENTRYID): case PROP_ID(PR_PARENT_ENTRYID):
    case PROP_ID(PR_STORE_ENTRYID): case PROP_ID(PR_STORE_RECORD_KEY):
    case PROP_ID(PR_OBJECT_TYPE): case PROP_ID(PR_ACCESS): case PROP_ID(PR_ACCESS_LEVEL):
    case PROP_ID(PR_STORE_SUPPORT_MASK): case PROP_ID(PR_STORE_UNICODE_MASK):
    case PROP_ID(PR_MESSAGE_SIZE): case PROP_ID(PR_HASATTACH): case PROP_ID(PR_RECORD_KEY):
    case PROP_ID(PR_INSTANCE_KEY): case PROP_ID(PR_SOURCE_KEY):
    case PROP_ID(PR_PARENT_SOURCE_KEY): case PROP_ID(PR_CHANGE_KEY):
    case PROP_ID(PR_MESSAGE_RECIPIENTS):
    case PROP_ID(PR_MESSAGE_ATTACHMENTS):
        return 1;
    default:
        return 0;
    }
}

static HRESULT message_can_write(void *obj)
{
    return ((md_message *)obj)->modify ? S_OK : MAPI_E_NO_ACCESS;
}

static HRESULT message_write(void *obj, const st_bag *set, const uint32_t *del, size_t n_del)
{
    md_message *m = obj;
    EnterCriticalSection(&m->store->lock);
    HRESULT hr = pend_del(m, del, n_del);
    if (hr == S_OK && set)
        hr = pend_set(m, set);
    LeaveCriticalSection(&m->store->lock);
    return hr;
}

static HRESULT message_copy_sub(void *obj, IMAPIProp *dest, const SPropTagArray *list,
    int include_mode, ULONG flags);

static const md_prop_ops message_ops = {
    message_props, message_write, message_computed, message_can_write, message_copy_sub,
};

#define MSG_STORE(i) (impl(i)->store)
MD_PROP_FORWARDERS(msg, IMessage, impl, MSG_STORE, message_ops)

/* ---- IUnknown */

static HRESULT STDMETHODCALLTYPE msg_QueryInterface(IMessage *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IMessage, &IID_IMAPIProp };
    return md_query_interface(iface, riid, out, iids, 2);
}

static ULONG STDMETHODCALLTYPE msg_AddRef(IMessage *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static void rcp_free(md_message *m)
{
    for (size_t i = 0; i < m->n_rcp; i++)
        st_bag_free(m->rcp[i]);
    free(m->rcp);
    m->rcp = NULL;
    m->n_rcp = 0;
    m->rcp_loaded = m->rcp_dirty = 0;
}

static void pending_clear(md_message *m)
{
    st_bag_free(m->set);
    m->set = st_bag_new();
    m->n_del = 0;
    m->body_changed = 0;
    rcp_free(m);
    for (size_t i = 0; i < m->n_att; i++)
        md_att_change_clear(&m->att[i]);
    free(m->att);
    m->att = NULL;
    m->n_att = 0;
    for (size_t i = 0; i < m->n_spool; i++)
        md_spool_release(m->spool[i]);
    free(m->spool);
    m->spool = NULL;
    m->n_spool = 0;
}

static ULONG STDMETHODCALLTYPE msg_Release(IMessage *iface)
{
    md_message *m = impl(iface);
    ULONG n = md_ref_release(&m->refs);
    if (n == 0) {
        pending_clear(m);
        st_bag_free(m->set);
        free(m->del);
        if (m->parent)
            m->parent->lpVtbl->Release(m->parent);
        free(m->renum);
        md_memtable_free(m->rcp_table);   /* open views keep their rows */
        md_memtable_free(m->att_table);
        m->store->iface.lpVtbl->Release(&m->store->iface);
        free(m);
        md_object_destroyed();
    }
    return n;
}

/* ---- IMAPIProp */

/* The bodies made again from the one written last (see the top comment),
 * into the pending changes. */
static HRESULT sync_bodies(md_message *m)
{
    HRESULT hr;
    uint32_t id = m->body_changed;
    st_bag *b = message_values(m, &hr);
    if (!b)
        return hr;
    load_big(m, b, id, ST_NO_ATTACH, m->mid, md_spools_find(m->spool, m->n_spool,
        PROP_TAG(PT_UNSPECIFIED, id)), BODY_SYNC_MAX);
    const st_value *src = st_bag_get(b, PROP_TAG(PT_UNSPECIFIED, id));
    static const uint32_t ids[] = { ID_BODY, ID_HTML, ID_RTF, PROP_ID(PR_NATIVE_BODY_INFO),
        PROP_ID(PR_RTF_IN_SYNC), PROP_ID(PR_INTERNET_CPID) };
    int code = 0;
    if (src && PROP_TYPE(src->tag) != PT_ERROR) {
        if (id != ID_RTF)
            st_bag_delete(b, PR_RTF_COMPRESSED);   /* stale: made again on demand */
        code = cv_body_sync(b, src->tag, id == ID_RTF ? 0 : CV_BODY_NO_RTF);
    } else if (src && sync_big(m, b, id) == S_OK) {
        if (id != ID_RTF)
            st_bag_delete(b, PROP_TAG(PT_UNSPECIFIED, ID_RTF));   /* made again on demand */
    } else {
        for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
            if (ids[i] != id)
                st_bag_delete(b, PROP_TAG(PT_UNSPECIFIED, ids[i]));   /* none left stale */
    }
    hr = code < 0 ? MAPI_E_NOT_ENOUGH_MEMORY : code ? MAPI_E_CORRUPT_DATA : S_OK;
    for (size_t i = 0; hr == S_OK && i < sizeof ids / sizeof *ids; i++) {
        uint32_t t = PROP_TAG(PT_UNSPECIFIED, ids[i]);
        const st_value *v = st_bag_get(b, t);
        if (v && PROP_TYPE(v->tag) == PT_ERROR)
            continue;   /* a big body left as it is */
        md_spools_drop(m->spool, &m->n_spool, t);
        st_bag_delete(m->set, t);
        md_tags_remove(m->del, &m->n_del, t);
        if (v ? st_bag_set(m->set, v) != 0
              : m->mid && md_tags_add(&m->del, &m->n_del, &m->cap_del, t) != 0)
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    st_bag_free(b);
    return hr;
}

/* Writes m's pending values, recipients and attachment changes under *mid
 * (0: creates the message in m->fid), embedded messages of new attachments
 * too, inside the caller's transaction. Each change's saved_num gets the
 * number storage gave it. */
static int save_db(md_message *m, st_id *mid)
{
    st_store *st = m->store->st;
    int code = !*mid ? st_message_create(st, mid, m->fid, m->set, m->st_flags)
                     : st_message_set_props(st, *mid, m->set, m->del, m->n_del, 0);
    if (!code && m->rcp_dirty)
        code = st_recipients_set(st, *mid, m->rcp, m->n_rcp, 0);
    for (size_t i = 0; !code && i < m->n_att; i++) {
        md_att_change *c = &m->att[i];
        c->saved_num = c->num;
        if (c->deleted)
            code = c->is_new ? 0 : st_attach_delete(st, *mid, c->num, 0);
        else if (c->is_new)
            code = st_attach_create(st, &c->saved_num, *mid, c->set, 0);
        else
            code = st_attach_set_props(st, *mid, c->num, c->set, c->del, c->n_del, 0);
        if (!code && c->emb && !c->deleted) {
            md_message *e = (md_message *)c->emb;
            e->mid = 0;
            code = st_attach_embedded(st, &e->mid, *mid, c->saved_num, 1);
            if (!code)
                code = save_db(e, &e->mid);
        }
    }
    return code;
}

/* A spooled stream of the save, and where it goes. */
typedef struct later_stream {
    md_spool *sp;          /* a reference */
    st_id mid;
    uint32_t num;          /* ST_NO_ATTACH for the message's own */
    int adopted;           /* taken in the save's transaction (md_spool_adopt) */
} later_stream;

/* Collects (with references) the spooled streams of m (saved by save_db
 * as mid), its attachments and their embedded messages: 0 or -1. */
static int collect_streams(md_message *m, st_id mid, later_stream **list, size_t *n,
    size_t *cap)
{
    for (size_t i = 0; i < m->n_spool + m->n_att; i++) {
        md_att_change *c = i < m->n_spool ? NULL : &m->att[i - m->n_spool];
        if (c && c->deleted)
            continue;
        md_message *e = c && c->emb ? (md_message *)c->emb : NULL;
        if (e && collect_streams(e, e->mid, list, n, cap))
            return -1;
        size_t k_end = c ? c->n_spool : 1;
        for (size_t k = 0; k < k_end; k++) {
            if (*n == *cap) {
                size_t nc = *cap ? *cap * 2 : 8;
                later_stream *p = realloc(*list, nc * sizeof *p);
                if (!p)
                    return -1;
                *list = p;
                *cap = nc;
            }
            later_stream *l = &(*list)[(*n)++];
            l->sp = c ? c->spool[k] : m->spool[i];
            l->mid = mid;
            l->num = c ? c->saved_num : ST_NO_ATTACH;
            l->adopted = 0;
            md_spool_addref(l->sp);
        }
    }
    return 0;
}

/* Inside the save's transaction (the lock held): the streams written
 * straight into storage become their owners' properties, no byte copied
 * (md_spool_adopt), so they appear with the message. 0 or the error (the
 * transaction then rolls back; adopt_streams_end says so to each). */
static int adopt_streams(md_message *m, later_stream *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        HRESULT hr = md_spool_adopt(list[i].sp, m->store, list[i].mid, list[i].num, 0);
        if (hr != S_OK && hr != S_FALSE)
            return ST_ERROR;   /* storage's message is set */
        list[i].adopted = hr == S_OK;
    }
    return 0;
}

static void adopt_streams_end(later_stream *list, size_t n, int committed)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].adopted)
            md_spool_adopt_end(list[i].sp, committed, list[i].mid, list[i].num);
}

/* Writes the streams collected and not adopted, without the store's lock
 * held for long (md_spool_store takes it per chunk). One that fails is
 * kept as a pending change of m when it is m's or one of its attachments'
 * (a later SaveChanges writes it); the first error is returned. Frees
 * list. */
static HRESULT write_streams(md_message *m, later_stream *list, size_t n)
{
    HRESULT first = S_OK;
    for (size_t i = 0; i < n; i++) {
        HRESULT hr = list[i].adopted ? S_OK
            : md_spool_store(list[i].sp, m->store, list[i].mid, list[i].num, 0);
        if (hr != S_OK && list[i].mid == m->mid) {
            EnterCriticalSection(&m->store->lock);
            if (list[i].num == ST_NO_ATTACH) {
                md_spools_put(&m->spool, &m->n_spool, list[i].sp);
            } else {
                md_att_change c = { .num = list[i].num, .set = st_bag_new() };
                md_spool **one = malloc(sizeof *one);
                if (c.set && one) {
                    md_spool_addref(list[i].sp);
                    one[0] = list[i].sp;
                    c.spool = one;
                    c.n_spool = 1;
                    md_message_attach_put(m, &c);
                } else {
                    free(one);
                }
                md_att_change_clear(&c);
            }
            LeaveCriticalSection(&m->store->lock);
        }
        if (hr != S_OK && first == S_OK)
            first = hr;
        md_spool_release(list[i].sp);
    }
    free(list);
    return first;
}

static md_message *message_new(md_store *s);

/* A copy of m's pending state in a new object (for an embedded message
 * not in storage yet: its SaveChanges hands the copy to its attachment).
 * NULL when out of memory. */
static md_message *snapshot(md_message *m)
{
    md_message *c = message_new(m->store);
    int bad = !c;
    if (c) {
        c->embedded = 1;
        c->modify = 1;
        st_bag_free(c->set);
        c->set = st_bag_dup(m->set);
        c->del = m->n_del ? malloc(m->n_del * sizeof *c->del) : NULL;
        c->rcp = m->n_rcp ? calloc(m->n_rcp, sizeof *c->rcp) : NULL;
        c->att = m->n_att ? calloc(m->n_att, sizeof *c->att) : NULL;
        c->spool = m->n_spool ? malloc(m->n_spool * sizeof *c->spool) : NULL;
        bad = !c->set || (m->n_del && !c->del) || (m->n_rcp && !c->rcp)
            || (m->n_att && !c->att) || (m->n_spool && !c->spool);
    }
    if (bad) {
        if (c)
            c->iface.lpVtbl->Release(&c->iface);
        return NULL;
    }
    memcpy(c->del, m->del, m->n_del * sizeof *c->del);
    c->n_del = c->cap_del = m->n_del;
    for (; c->n_rcp < m->n_rcp && !bad; c->n_rcp++)
        bad = !(c->rcp[c->n_rcp] = st_bag_dup(m->rcp[c->n_rcp]));
    c->rcp_loaded = 1;
    c->rcp_dirty = m->rcp_dirty || m->n_rcp;
    for (; c->n_spool < m->n_spool; c->n_spool++) {
        c->spool[c->n_spool] = m->spool[c->n_spool];
        md_spool_addref(c->spool[c->n_spool]);
    }
    for (; c->n_att < m->n_att && !bad; c->n_att++)
        bad = md_att_change_dup(&c->att[c->n_att], &m->att[c->n_att]) != S_OK;
    if (bad) {
        c->iface.lpVtbl->Release(&c->iface);
        return NULL;
    }
    return c;
}

/* After a commit: the numbers storage gave new attachments, for attachment
 * objects still open under ours (md_message_renumber). Out of memory
 * leaves some unmapped: such an object then finds nothing. Our numbers are
 * never given twice in an object's life (next_num only grows, past
 * storage's too), so each maps one way. */
static void remember_numbers(md_message *m)
{
    for (size_t i = 0; i < m->n_att; i++) {
        md_att_change *c = &m->att[i];
        if (!c->is_new || c->deleted)
            continue;
        uint32_t (*r)[2] = realloc(m->renum, (m->n_renum + 1) * sizeof *r);
        if (!r)
            return;
        m->renum = r;
        r[m->n_renum][0] = c->num;
        r[m->n_renum++][1] = c->saved_num;
        if (c->saved_num + 1 > m->next_num)
            m->next_num = c->saved_num + 1;
    }
}

int md_message_renumber(md_message *m, uint32_t *num)
{
    int found = 0;
    EnterCriticalSection(&m->store->lock);
    for (size_t i = 0; !found && i < m->n_renum; i++)
        if (m->renum[i][0] == *num) {
            *num = m->renum[i][1];
            found = 1;
        }
    LeaveCriticalSection(&m->store->lock);
    return found;
}

static HRESULT STDMETHODCALLTYPE msg_SaveChanges(IMessage *iface, ULONG flags)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    md_store *s = m->store;
    HRESULT hr = S_OK;

    if (flags & ~(ULONG)(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE
        | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    if ((flags & KEEP_OPEN_READONLY) && (flags & KEEP_OPEN_READWRITE))
        return MAPI_E_INVALID_PARAMETER;
    if (!m->modify)
        return MAPI_E_NO_ACCESS;
    EnterCriticalSection(&s->lock);
    if (m->body_changed)
        hr = sync_bodies(m);
    if (hr == S_OK && m->parent) {
        /* an embedded message of an attachment not in storage: its state
         * goes to the attachment, and from there with its message */
        md_message *c = snapshot(m);
        hr = c ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
        if (c)
            md_attach_put_embedded(m->parent, &c->iface);
        LeaveCriticalSection(&s->lock);
        if (hr == S_OK && !(flags & KEEP_OPEN_READWRITE))
            m->modify = 0;
        return hr;
    }
    int code = 0;
    st_id mid = m->mid;
    size_t renum_from = SIZE_MAX;   /* committed: the renumberings it made */
    /* The streams: those written straight into storage are adopted in the
     * values' transaction (no copy: they appear with the message); the
     * spooled ones follow it, each in its own transactions, without the
     * lock held meanwhile. */
    later_stream *later = NULL;
    size_t n_later = 0, cap = 0;
    int short_of_memory = 0;
    if (hr == S_OK && collect_streams(m, 0, &later, &n_later, &cap) == 0)
        for (size_t i = 0; i < n_later; i++)
            md_spool_flush(later[i].sp);   /* before: the transaction stays short */
    for (size_t i = 0; i < n_later; i++)
        md_spool_release(later[i].sp);
    n_later = 0;
    if (hr == S_OK) {
        code = st_store_begin(s->st);
        if (!code)
            code = save_db(m, &mid);
        if (!code && collect_streams(m, mid, &later, &n_later, &cap) != 0) {
            short_of_memory = 1;
            code = ST_ERROR;
        }
        if (!code)
            code = adopt_streams(m, later, n_later);
        if (!code)
            code = st_store_commit(s->st);
        else
            st_store_rollback(s->st);
        adopt_streams_end(later, n_later, !code);
        if (code) {
            hr = short_of_memory ? MAPI_E_NOT_ENOUGH_MEMORY
                : code == ST_ENOTFOUND ? MAPI_E_OBJECT_DELETED : md_hr_from_st(code);
            for (size_t i = 0; i < n_later; i++)
                md_spool_release(later[i].sp);
            free(later);
            later = NULL;
            n_later = 0;
        } else {
            m->mid = mid;
            m->is_saved = 1;
            renum_from = m->n_renum;
            remember_numbers(m);
        }
    }
    if (hr == S_OK) {
        pending_clear(m);
        if (!(flags & KEEP_OPEN_READWRITE))
            m->modify = 0;   /* KEEP_OPEN_READONLY, or closed for changes */
    }
    LeaveCriticalSection(&s->lock);
    if (hr == S_OK)
        hr = write_streams(m, later, n_later);
    if (renum_from != SIZE_MAX)
        tables_saved(m, renum_from);
    return hr;
}

static HRESULT STDMETHODCALLTYPE msg_GetProps(IMessage *iface, LPSPropTagArray tags, ULONG flags,
    ULONG *count, LPSPropValue *props)
{
    MD_SHUT_GATE();
    int rtf = !tags;
    for (ULONG i = 0; tags && i < tags->cValues; i++)
        rtf |= PROP_ID(tags->aulPropTag[i]) == ID_RTF;
    return md_prop_get_props(rtf ? message_props_rtf : message_props, impl(iface),
        &impl(iface)->store->alloc, tags, flags, count, props);
}

static HRESULT STDMETHODCALLTYPE msg_GetPropList(IMessage *iface, ULONG flags,
    LPSPropTagArray *list)
{
    MD_SHUT_GATE();
    return md_prop_get_prop_list(message_props_rtf, impl(iface), &impl(iface)->store->alloc,
        flags, list);
}

static HRESULT STDMETHODCALLTYPE msg_GetRecipientTable(IMessage *iface, ULONG flags,
    LPMAPITABLE *table);
static HRESULT STDMETHODCALLTYPE msg_GetAttachmentTable(IMessage *iface, ULONG flags,
    LPMAPITABLE *table);

/* OpenProperty of the compressed RTF of a body too big for memory (build
 * left a PT_ERROR in cur for it, and none is kept): made in chunks into a
 * spool the stream reads. S_FALSE when it is not that case. */
static HRESULT rtf_big_open(md_message *m, const st_bag *cur, int writable,
    const md_stream_owner *owner, IStream **out)
{
    const st_value *mk = st_bag_get(cur, PROP_TAG(PT_UNSPECIFIED, ID_RTF));
    uint32_t id = mk && PROP_TYPE(mk->tag) == PT_ERROR ? big_rtf_source(cur) : 0;
    if (!id)
        return S_FALSE;
    HRESULT hr;
    EnterCriticalSection(&m->store->lock);
    st_bag *kept = message_values(m, &hr);
    int have = !kept || st_bag_get(kept, PROP_TAG(PT_UNSPECIFIED, ID_RTF)) != NULL;
    md_body_src src = body_src(m, id);
    LeaveCriticalSection(&m->store->lock);
    st_bag_free(kept);
    if (have) {
        md_spool_release(src.pending);
        return S_FALSE;   /* a stored RTF: read as it is */
    }
    md_spool *sp = NULL;
    hr = md_body_rtf_of(&sp, &src, cur);
    md_spool_release(src.pending);
    if (hr == S_OK) {
        hr = md_stream_spool(out, m->store, sp, writable, owner);
        md_spool_release(sp);
    }
    return hr;
}

static HRESULT STDMETHODCALLTYPE msg_OpenProperty(IMessage *iface, ULONG tag, LPCIID iid,
    ULONG options, ULONG flags, LPUNKNOWN *out)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    int writable = 0, create = 0;
    HRESULT hr;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!iid)
        return MAPI_E_INVALID_PARAMETER;
    if (tag == PR_MESSAGE_RECIPIENTS || tag == PR_MESSAGE_ATTACHMENTS) {
        if (!IsEqualIID(iid, &IID_IMAPITable))
            return MAPI_E_INTERFACE_NOT_SUPPORTED;
        return tag == PR_MESSAGE_RECIPIENTS
            ? msg_GetRecipientTable(iface, (options | flags) & MAPI_UNICODE, (LPMAPITABLE *)out)
            : msg_GetAttachmentTable(iface, (options | flags) & MAPI_UNICODE,
                (LPMAPITABLE *)out);
    }
    hr = md_stream_check_open(tag, iid, options, flags, &writable, &create);
    if (hr != S_OK)
        return hr;
    if (writable && !m->modify)
        return MAPI_E_NO_ACCESS;
    st_bag *cur;
    if (PROP_ID(tag) == ID_RTF && !create) {
        cur = build(m, 1, &hr);   /* made on demand */
    } else {
        EnterCriticalSection(&m->store->lock);
        cur = message_values(m, &hr);   /* no computed value is a stream */
        LeaveCriticalSection(&m->store->lock);
    }
    if (!cur)
        return hr;
    md_stream_owner owner = { m, (IUnknown *)&m->iface, msg_put_spool };
    if (PROP_ID(tag) == ID_RTF && !create && PROP_TYPE(tag) == PT_BINARY) {
        hr = rtf_big_open(m, cur, writable, &owner, (IStream **)out);
        if (hr != S_FALSE) {
            st_bag_free(cur);
            return hr;
        }
    }
    EnterCriticalSection(&m->store->lock);
    md_spool *pending = md_spools_find(m->spool, m->n_spool, tag);
    if (pending)
        md_spool_addref(pending);
    LeaveCriticalSection(&m->store->lock);
    hr = md_stream_open_prop((IStream **)out, m->store, m->mid, ST_NO_ATTACH, cur, pending,
        tag, writable, create, &owner);
    md_spool_release(pending);
    st_bag_free(cur);
    return hr;
}

/* The numbers of the attachments the message has now: storage's (deleted
 * ones still listed: md_message_attach_base tells) and the new ones.
 * *out malloc'd. */
static HRESULT attach_numbers(md_message *m, uint32_t **out, size_t *n)
{
    uint32_t *nums = NULL;
    HRESULT hr = S_OK;
    *out = NULL;
    *n = 0;
    EnterCriticalSection(&m->store->lock);
    if (m->mid) {
        int code = st_attach_list(m->store->st, &nums, n, m->mid);
        hr = code == ST_ENOTFOUND ? MAPI_E_OBJECT_DELETED : md_hr_from_st(code);
    }
    uint32_t *all = hr == S_OK ? realloc(nums, (*n + m->n_att + 1) * sizeof *all) : NULL;
    if (all) {
        nums = all;
        for (size_t i = 0; i < m->n_att; i++)
            if (m->att[i].is_new && !m->att[i].deleted)
                nums[(*n)++] = m->att[i].num;
    } else if (hr == S_OK) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    LeaveCriticalSection(&m->store->lock);
    if (hr != S_OK) {
        free(nums);
        *n = 0;
        return hr;
    }
    *out = nums;
    return S_OK;
}

static HRESULT rcp_load(md_message *m);

/* Attachment num's row of the attachment table as it is now: storage's
 * values with the pending changes, big data (PT_ERROR markers) left out,
 * PR_ATTACH_NUM set. *out NULL and S_OK when it is deleted. */
static HRESULT att_row(md_message *m, uint32_t num, st_bag **out)
{
    st_bag *b = NULL;
    int exists = 0;
    *out = NULL;
    HRESULT hr = md_message_attach_base(m, num, &b, &exists);
    if (hr == MAPI_E_NOT_FOUND)
        return S_OK;   /* deleted, not saved yet */
    if (hr == S_OK && !b && !(b = st_bag_new()))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (size_t j = st_bag_count(b); hr == S_OK && j-- > 0;)
        if (PROP_TYPE(st_bag_at(b, j)->tag) == PT_ERROR)
            st_bag_delete(b, st_bag_at(b, j)->tag);   /* big data: not a column */
    if (hr == S_OK && st_bag_set_long(b, PR_ATTACH_NUM, (int32_t)num))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr != S_OK) {
        st_bag_free(b);
        return hr;
    }
    *out = b;
    return S_OK;
}

/* The attachment table's rows as they are now (att_row of each; each bag
 * and the array freed by the caller). */
static HRESULT att_rows(md_message *m, st_bag ***out, size_t *n)
{
    uint32_t *nums = NULL;
    size_t k = 0, got = 0;
    *out = NULL;
    *n = 0;
    HRESULT hr = attach_numbers(m, &nums, &k);
    st_bag **rows = hr == S_OK ? calloc(k ? k : 1, sizeof *rows) : NULL;
    if (hr == S_OK && !rows)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; hr == S_OK && i < k; i++) {
        hr = att_row(m, nums[i], &rows[got]);
        if (hr == S_OK && rows[got])
            got++;
    }
    free(nums);
    if (hr != S_OK) {
        for (size_t i = 0; i < got; i++)
            st_bag_free(rows[i]);
        free(rows);
        return hr;
    }
    *out = rows;
    *n = got;
    return S_OK;
}

/* After attachment num changed (IAttach::SaveChanges, DeleteAttach): its
 * row of the live attachment table, when there is one, under the store's
 * lock; *held as table_update's. */
static HRESULT att_table_put(md_message *m, uint32_t num, md_memtable **held)
{
    st_bag *b = NULL;
    *held = NULL;
    EnterCriticalSection(&m->store->lock);
    md_memtable *t = m->att_table;
    HRESULT hr = t ? att_row(m, num, &b) : S_OK;
    if (t && hr == S_OK) {
        st_value key = st_view_long(PR_ATTACH_NUM, (int32_t)num);
        md_memtable_hold(t);
        *held = t;
        hr = b ? md_memtable_set_row(t, b) : md_memtable_delete_row(t, &key);
        if (hr == MAPI_E_NOT_FOUND)
            hr = S_OK;   /* deleted before it was shown */
    }
    LeaveCriticalSection(&m->store->lock);
    st_bag_free(b);
    return hr;
}

/* Brings the live recipient (att 0) or attachment table, when there is
 * one, in step with the message: row by row, or with replace as new rows
 * at once (one TABLE_CHANGED). renum_from (SIZE_MAX: none) follows a
 * save: attachments it numbered anew (m->renum[renum_from...]) keep their
 * rows, and so do recipients, which storage numbers 0..n-1 in the order of
 * their row IDs (the order of m->rcp): row i continues the table's i-th
 * key when the counts agree.
 * *held: the table with its notifications held, for md_memtable_deliver
 * once the store's lock is released; NULL when there is no table. A
 * failure leaves the table behind until the next change or call. */
static HRESULT table_update(md_message *m, int att, int replace, size_t renum_from,
    md_memtable **held)
{
    md_memtable *t = NULL;
    st_bag **rows = NULL;
    size_t n = 0;
    const st_value **prev = NULL;
    st_value *pv = NULL;

    *held = NULL;
    EnterCriticalSection(&m->store->lock);
    t = att ? m->att_table : m->rcp_table;
    HRESULT hr = !t ? S_OK : att ? att_rows(m, &rows, &n) : rcp_load(m);
    st_value *keys = NULL;
    size_t n_keys = 0;
    if (t && hr == S_OK && !att && renum_from != SIZE_MAX
        && md_memtable_keys(t, &keys, &n_keys) == S_OK && n_keys == m->n_rcp && n_keys) {
        prev = calloc(n_keys, sizeof *prev);
        for (size_t i = 0; prev && i < n_keys; i++)
            prev[i] = &keys[i];   /* out of memory: by key, still right */
    }
    if (t && hr == S_OK && att && renum_from < m->n_renum) {
        prev = calloc(n ? n : 1, sizeof *prev);
        pv = calloc(n ? n : 1, sizeof *pv);
        if (!prev || !pv)
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        for (size_t i = 0; hr == S_OK && i < n; i++) {
            uint32_t num = (uint32_t)st_bag_get(rows[i], PR_ATTACH_NUM)->v.l;
            for (size_t j = renum_from; j < m->n_renum; j++)
                if (m->renum[j][1] == num) {
                    pv[i] = st_view_long(PR_ATTACH_NUM, (int32_t)m->renum[j][0]);
                    prev[i] = &pv[i];
                }
        }
    }
    if (t && hr == S_OK) {
        st_bag *const *r = att ? rows : m->rcp;
        size_t k = att ? n : m->n_rcp;
        md_memtable_hold(t);
        *held = t;
        hr = replace ? md_memtable_replace_all(t, r, k) : md_memtable_sync(t, r, prev, k);
    }
    LeaveCriticalSection(&m->store->lock);
    for (size_t i = 0; i < n; i++)
        st_bag_free(rows[i]);
    free(rows);
    free(prev);
    free(pv);
    for (size_t i = 0; i < n_keys; i++)
        st_value_clear(&keys[i]);
    free(keys);
    return hr;
}

/* After a commit (m->renum[renum_from...] its renumberings): the tables
 * show storage's rows. */
static void tables_saved(md_message *m, size_t renum_from)
{
    md_memtable *held[2];
    table_update(m, 0, 0, renum_from, &held[0]);
    table_update(m, 1, 0, renum_from, &held[1]);
    for (int i = 0; i < 2; i++)
        if (held[i])
            md_memtable_deliver(held[i]);
}

/* A view of the live recipient (att 0) or attachment table, made at the
 * first call, in cols with strings 8-bit unless MAPI_UNICODE. */
static HRESULT sub_table(md_message *m, LPMAPITABLE *out, ULONG flags, const uint32_t *cols,
    size_t ncols, int att)
{
    uint32_t c[16];
    md_memtable *held = NULL;
    HRESULT hr = S_OK;
    for (size_t i = 0; i < ncols; i++)
        c[i] = PROP_TYPE(cols[i]) == PT_UNICODE && !(flags & MAPI_UNICODE)
            ? CHANGE_PROP_TYPE(cols[i], PT_STRING8) : cols[i];
    EnterCriticalSection(&m->store->lock);
    md_memtable **slot = att ? &m->att_table : &m->rcp_table;
    if (!*slot)
        hr = md_memtable_new(slot, &m->store->alloc, cols, ncols,
            att ? PR_ATTACH_NUM : PR_ROWID);
    if (hr == S_OK)
        hr = table_update(m, att, 0, SIZE_MAX, &held);   /* healed if behind */
    if (hr == S_OK)
        hr = md_memtable_view_cols(*slot, c, ncols, out);
    LeaveCriticalSection(&m->store->lock);
    if (held)
        md_memtable_deliver(held);
    return hr;
}

/* ---- IMessage: attachments */

static HRESULT STDMETHODCALLTYPE msg_GetAttachmentTable(IMessage *iface, ULONG flags,
    LPMAPITABLE *table)
{
    MD_SHUT_GATE();
    static const uint32_t cols[] = { PR_ATTACH_NUM, PR_INSTANCE_KEY, PR_RECORD_KEY,
        PR_RENDERING_POSITION, PR_ATTACH_METHOD, PR_ATTACH_SIZE, PR_DISPLAY_NAME_W,
        PR_ATTACH_FILENAME_W, PR_ATTACH_LONG_FILENAME_W, PR_ATTACH_EXTENSION_W,
        PR_ATTACH_MIME_TAG_W, PR_ATTACH_CONTENT_ID_W, PR_ATTACH_FLAGS, PR_ATTACHMENT_HIDDEN };
    md_message *m = impl(iface);
    if (!table)
        return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (flags & ~(ULONG)(MAPI_UNICODE | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    return sub_table(m, table, flags, cols, sizeof cols / sizeof *cols, 1);
}

static md_att_change *att_find(md_message *m, uint32_t num)
{
    for (size_t i = 0; i < m->n_att; i++)
        if (m->att[i].num == num)
            return &m->att[i];
    return NULL;
}

/* The next number for a new attachment (under the lock). */
static uint32_t next_num(md_message *m)
{
    if (!m->next_num) {
        uint32_t *nums = NULL;
        size_t n = 0;
        m->next_num = 1;
        if (m->mid && st_attach_list(m->store->st, &nums, &n, m->mid) == 0)
            for (size_t i = 0; i < n; i++)
                if (nums[i] + 1 > m->next_num)
                    m->next_num = nums[i] + 1;
        free(nums);
        for (size_t i = 0; i < m->n_att; i++)
            if (m->att[i].num + 1 > m->next_num)
                m->next_num = m->att[i].num + 1;
    }
    return m->next_num++;
}

HRESULT md_message_attach_base(md_message *m, uint32_t num, st_bag **out, int *exists)
{
    st_bag *b = NULL;
    *out = NULL;
    *exists = 0;
    EnterCriticalSection(&m->store->lock);
    md_att_change *c = att_find(m, num);
    int code = 0;
    if (c && c->deleted) {
        code = ST_ENOTFOUND;
    } else if (!c || !c->is_new) {
        code = m->mid ? st_attach_get(m->store->st, &b, m->mid, num) : ST_ENOTFOUND;
    } else {
        b = st_bag_new();
        code = b ? 0 : ST_ERROR;
    }
    if (!code && c)
        code = md_pending_apply(b, c->del, c->n_del, c->set, NULL, 0);
    LeaveCriticalSection(&m->store->lock);
    if (code) {
        st_bag_free(b);
        return code == ST_ENOTFOUND ? MAPI_E_NOT_FOUND : md_hr_from_st(code);
    }
    *exists = 1;
    *out = b;
    return S_OK;
}

HRESULT md_message_attach_put(md_message *m, md_att_change *c)
{
    HRESULT hr = S_OK;
    uint32_t num = c->num;   /* c is emptied below */
    EnterCriticalSection(&m->store->lock);
    md_att_change *p = att_find(m, c->num);
    if (!p) {
        md_att_change *a = realloc(m->att, (m->n_att + 1) * sizeof *a);
        if (!a) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        } else {
            m->att = a;
            m->att[m->n_att++] = *c;
            memset(c, 0, sizeof *c);
        }
    } else if (c->deleted) {
        int was_new = p->is_new;
        md_att_change_clear(p);
        p->num = c->num;
        p->deleted = 1;
        p->is_new = was_new;
        md_att_change_clear(c);
    } else {
        size_t cap = p->n_del;
        for (size_t i = 0; i < c->n_del; i++) {
            st_bag_delete(p->set, c->del[i]);
            md_spools_drop(p->spool, &p->n_spool, c->del[i]);
            if (!p->is_new && md_tags_add(&p->del, &p->n_del, &cap, c->del[i]))
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
        }
        for (size_t i = 0; c->set && i < st_bag_count(c->set); i++) {
            const st_value *v = st_bag_at(c->set, i);
            md_tags_remove(p->del, &p->n_del, v->tag);
            md_spools_drop(p->spool, &p->n_spool, v->tag);
        }
        if (hr == S_OK && c->set && st_bag_copy_to(p->set, c->set, NULL, 0, 0))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        for (size_t i = 0; hr == S_OK && i < c->n_spool; i++) {
            st_bag_delete(p->set, CHANGE_PROP_TYPE(c->spool[i]->tag, PT_UNSPECIFIED));
            md_tags_remove(p->del, &p->n_del, c->spool[i]->tag);
            if (md_spools_put(&p->spool, &p->n_spool, c->spool[i]))
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
        }
        if (hr == S_OK && c->emb) {
            if (p->emb)
                p->emb->lpVtbl->Release(p->emb);
            p->emb = c->emb;   /* taken */
            c->emb = NULL;
        }
        md_att_change_clear(c);
    }
    md_memtable *held = NULL;
    if (hr == S_OK)
        att_table_put(m, num, &held);   /* behind on failure until the next call */
    LeaveCriticalSection(&m->store->lock);
    if (held)
        md_memtable_deliver(held);
    return hr;
}

IMessage *md_message_attach_emb(md_message *m, uint32_t num)
{
    EnterCriticalSection(&m->store->lock);
    md_att_change *c = att_find(m, num);
    IMessage *e = c && !c->deleted ? c->emb : NULL;
    if (e)
        e->lpVtbl->AddRef(e);
    LeaveCriticalSection(&m->store->lock);
    return e;
}

md_spool *md_message_attach_spool(md_message *m, uint32_t num, uint32_t tag)
{
    EnterCriticalSection(&m->store->lock);
    md_att_change *c = att_find(m, num);
    md_spool *sp = c ? md_spools_find(c->spool, c->n_spool, tag) : NULL;
    if (sp)
        md_spool_addref(sp);
    LeaveCriticalSection(&m->store->lock);
    return sp;
}

/* S_OK when attachment num exists (saved or pending), *is_new when it is
 * not in storage yet; MAPI_E_NOT_FOUND when it does not (or is deleted). */
static HRESULT attach_state(md_message *m, uint32_t num, int *is_new)
{
    st_bag *b = NULL;
    int exists = 0;
    HRESULT hr = md_message_attach_base(m, num, &b, &exists);
    st_bag_free(b);
    if (hr != S_OK)
        return hr;
    EnterCriticalSection(&m->store->lock);
    md_att_change *c = att_find(m, num);
    *is_new = c && c->is_new;
    LeaveCriticalSection(&m->store->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE msg_OpenAttach(IMessage *iface, ULONG num, LPCIID iid,
    ULONG flags, LPATTACH *out)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(ULONG)(MAPI_MODIFY | MAPI_BEST_ACCESS | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    if (iid && !IsEqualIID(iid, &IID_IAttachment) && !IsEqualIID(iid, &IID_IMAPIProp)
        && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    int is_new = 0;
    HRESULT hr = attach_state(m, num, &is_new);
    if (hr != S_OK)
        return hr;
    int modify = m->modify && (flags & (MAPI_MODIFY | MAPI_BEST_ACCESS));
    if ((flags & MAPI_MODIFY) && !m->modify)
        return MAPI_E_NO_ACCESS;
    return md_attach_open(m, num, is_new, modify, out);
}

static HRESULT STDMETHODCALLTYPE msg_CreateAttach(IMessage *iface, LPCIID iid, ULONG flags,
    ULONG *num, LPATTACH *out)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    if (!out || !num)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    *num = 0;
    if (flags & ~(ULONG)MAPI_DEFERRED_ERRORS)
        return MAPI_E_UNKNOWN_FLAGS;
    if (iid && !IsEqualIID(iid, &IID_IAttachment) && !IsEqualIID(iid, &IID_IMAPIProp)
        && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    if (!m->modify)
        return MAPI_E_NO_ACCESS;
    EnterCriticalSection(&m->store->lock);
    uint32_t n = next_num(m);
    LeaveCriticalSection(&m->store->lock);
    HRESULT hr = md_attach_open(m, n, 1, 1, out);
    if (hr == S_OK)
        *num = n;
    return hr;
}

static HRESULT STDMETHODCALLTYPE msg_DeleteAttach(IMessage *iface, ULONG num, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    if (flags & ~(ULONG)MAPI_DIALOG)
        return MAPI_E_UNKNOWN_FLAGS;
    if (!m->modify)
        return MAPI_E_NO_ACCESS;
    int is_new = 0;
    HRESULT hr = attach_state(m, num, &is_new);
    if (hr != S_OK)
        return hr;
    /* MAPI_DIALOG: one item, reported through the caller's progress object
     * or MAPI's (mapiprop.h md_progress_*). */
    LPMAPIPROGRESS prog = md_progress_open(m->store->sup, ui, progress,
        (flags & MAPI_DIALOG) != 0);
    md_att_change c = { .num = num, .deleted = 1, .is_new = is_new };
    hr = md_message_attach_put(m, &c);
    if (hr == S_OK)
        md_progress_step(prog, 1, 1);
    md_progress_close(prog);
    return hr;
}

/* ---- IMessage: recipients */

static HRESULT STDMETHODCALLTYPE msg_GetRecipientTable(IMessage *iface, ULONG flags,
    LPMAPITABLE *table)
{
    MD_SHUT_GATE();
    static const uint32_t cols[] = { PR_ROWID, PR_INSTANCE_KEY, PR_DISPLAY_NAME_W,
        PR_EMAIL_ADDRESS_W, PR_ADDRTYPE_W, PR_RECIPIENT_TYPE, PR_ENTRYID, PR_SEARCH_KEY,
        PR_RECIPIENT_FLAGS, PR_SMTP_ADDRESS_W };
    md_message *m = impl(iface);
    if (!table)
        return MAPI_E_INVALID_PARAMETER;
    *table = NULL;
    if (flags & ~(ULONG)(MAPI_UNICODE | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    return sub_table(m, table, flags, cols, sizeof cols / sizeof *cols, 0);
}

static HRESULT rcp_load(md_message *m)
{
    if (m->rcp_loaded)
        return S_OK;
    if (m->mid) {
        int code = st_recipients_get(m->store->st, &m->rcp, &m->n_rcp, m->mid);
        if (code)
            return code == ST_ENOTFOUND ? MAPI_E_OBJECT_DELETED : md_hr_from_st(code);
    }
    m->rcp_loaded = 1;
    return S_OK;
}

/* An ADRENTRY as a bag (PT_ERROR and PT_NULL values skipped). */
static HRESULT rcp_row(st_bag **out, const ADRENTRY *e)
{
    *out = NULL;
    if (!e->rgPropVals && e->cValues)
        return MAPI_E_INVALID_PARAMETER;
    st_bag *b = st_bag_new();
    if (!b)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (ULONG i = 0; i < e->cValues; i++) {
        ULONG t = PROP_TYPE(e->rgPropVals[i].ulPropTag);
        if (t == PT_ERROR || t == PT_NULL)
            continue;
        if (!md_prop_tag_writable(e->rgPropVals[i].ulPropTag)) {
            st_bag_free(b);
            return MAPI_E_INVALID_TYPE;
        }
        st_value v;
        HRESULT hr = md_value_from_mapi(&v, &e->rgPropVals[i]);
        if (hr == S_OK && st_bag_set(b, &v))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        st_value_clear(&v);
        if (hr != S_OK) {
            st_bag_free(b);
            return hr;
        }
    }
    *out = b;
    return S_OK;
}

static ptrdiff_t rcp_find(md_message *m, int32_t rowid)
{
    for (size_t i = 0; i < m->n_rcp; i++) {
        const st_value *v = st_bag_get(m->rcp[i], PR_ROWID);
        if (v && v->v.l == rowid)
            return (ptrdiff_t)i;
    }
    return -1;
}

static HRESULT STDMETHODCALLTYPE msg_ModifyRecipients(IMessage *iface, ULONG flags,
    LPADRLIST mods)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    if (!mods)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)(MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE))
        return MAPI_E_UNKNOWN_FLAGS;
    ULONG op = flags & (MODRECIP_ADD | MODRECIP_MODIFY | MODRECIP_REMOVE);
    if (op & (op - 1))
        return MAPI_E_INVALID_PARAMETER;   /* one operation at a time */
    if (!m->modify)
        return MAPI_E_NO_ACCESS;
    EnterCriticalSection(&m->store->lock);
    HRESULT hr = rcp_load(m);
    if (hr == S_OK && !op)
        rcp_free(m), m->rcp_loaded = 1;
    int32_t next = 0;
    for (size_t i = 0; i < m->n_rcp; i++) {
        const st_value *v = st_bag_get(m->rcp[i], PR_ROWID);
        if (v && v->v.l >= next)
            next = v->v.l + 1;
    }
    for (ULONG i = 0; hr == S_OK && i < mods->cEntries; i++) {
        const ADRENTRY *e = &mods->aEntries[i];
        if (op == MODRECIP_MODIFY || op == MODRECIP_REMOVE) {
            const SPropValue *id = NULL;
            for (ULONG k = 0; e->rgPropVals && k < e->cValues; k++)
                if (e->rgPropVals[k].ulPropTag == PR_ROWID)
                    id = &e->rgPropVals[k];
            ptrdiff_t at = id ? rcp_find(m, id->Value.l) : -1;
            if (at < 0) {
                hr = id ? MAPI_E_NOT_FOUND : MAPI_E_INVALID_PARAMETER;
                break;
            }
            if (op == MODRECIP_REMOVE) {
                st_bag_free(m->rcp[at]);
                memmove(&m->rcp[at], &m->rcp[at + 1], (m->n_rcp - (size_t)at - 1)
                    * sizeof *m->rcp);
                m->n_rcp--;
                continue;
            }
            st_bag *row = NULL;
            hr = rcp_row(&row, e);
            if (hr == S_OK) {
                st_bag_free(m->rcp[at]);
                m->rcp[at] = row;
            }
            continue;
        }
        st_bag *row = NULL;
        hr = rcp_row(&row, e);
        if (hr == S_OK && st_bag_set_long(row, PR_ROWID, next++))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        st_bag **rows = hr == S_OK ? realloc(m->rcp, (m->n_rcp + 1) * sizeof *rows) : NULL;
        if (!rows) {
            st_bag_free(row);
            if (hr == S_OK)
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        m->rcp = rows;
        m->rcp[m->n_rcp++] = row;
    }
    m->rcp_dirty = 1;
    md_memtable *held = NULL;
    table_update(m, 0, !op, SIZE_MAX, &held);   /* behind on failure: see there */
    LeaveCriticalSection(&m->store->lock);
    if (held)
        md_memtable_deliver(held);
    return hr;
}

/* ---- IMessage: submit, read flag */

/* IMessage::SubmitMessage as "Sending Messages: Message Store Provider
 * Tasks" orders it: no recipients -> MAPI_E_NO_RECIPIENTS;
 * SpoolerNotify(NOTIFY_READYTOSEND) once per store (spooler.h);
 * PrepareSubmit for a MSGFLAG_RESEND message (its failure returned, the
 * message unchanged); MSGFLAG_SUBMIT (and UNSENT) and PR_CLIENT_SUBMIT_TIME;
 * ExpandRecips; PR_RESPONSIBILITY FALSE on every recipient (after
 * ExpandRecips, so those it adds get it too); PR_SUBMIT_FLAGS
 * SUBMITFLAG_PREPROCESS when PrepareSubmit or ExpandRecips answered
 * NEEDS_PREPROCESSING, else 0; SaveChanges. The saved MSGFLAG_SUBMIT puts
 * it in the outgoing queue, whose table tells the spooler (table
 * notification). We are not coupled to a transport: NEEDS_SPOOLER changes
 * nothing, the spooler always sends. On a failure after PrepareSubmit the
 * pending values are put back as they were (recipients keep
 * PR_RESPONSIBILITY FALSE). The spooler's own call after preprocessing
 * (its store, SUBMITFLAG_PREPROCESS set) clears that flag and saves. */
static HRESULT STDMETHODCALLTYPE msg_SubmitMessage(IMessage *iface, ULONG flags)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    md_store *s = m->store;
    if (flags & ~(ULONG)FORCE_SUBMIT)   /* FORCE_SUBMIT: "not currently in use" */
        return MAPI_E_UNKNOWN_FLAGS;
    if (!m->modify)
        return MAPI_E_NO_ACCESS;
    if (m->embedded)
        return MAPI_E_NO_SUPPORT;   /* only top-level messages are sent */
    HRESULT hr;
    st_bag *b = message_props(m, &hr);
    if (!b)
        return hr;
    int32_t mf = md_bag_long(b, PR_MESSAGE_FLAGS) & ~MSGFLAG_HASATTACH;
    int32_t sf = md_bag_long(b, PR_SUBMIT_FLAGS);
    st_bag_free(b);
    st_bag *set = st_bag_new();
    if (!set)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (md_spooler_is_spooler(s) && (mf & MSGFLAG_SUBMIT) && (sf & SUBMITFLAG_PREPROCESS)) {
        hr = st_bag_set_long(set, PR_SUBMIT_FLAGS, sf & ~(int32_t)SUBMITFLAG_PREPROCESS)
            ? MAPI_E_NOT_ENOUGH_MEMORY : message_write(m, set, NULL, 0);
        st_bag_free(set);
        return hr == S_OK ? msg_SaveChanges(iface, KEEP_OPEN_READWRITE) : hr;
    }
    EnterCriticalSection(&s->lock);
    hr = rcp_load(m);
    size_t n_rcp = m->n_rcp;
    LeaveCriticalSection(&s->lock);
    if (hr == S_OK && !n_rcp) {
        st_error_set("the message has no recipients");
        hr = MAPI_E_NO_RECIPIENTS;
    }
    if (hr == S_OK)
        hr = md_spooler_ready_to_send(s);
    ULONG prep = 0, expand = 0;
    if (hr == S_OK && (mf & MSGFLAG_RESEND))
        hr = s->sup->lpVtbl->PrepareSubmit(s->sup, iface, &prep);
    if (hr != S_OK) {
        st_bag_free(set);
        return hr;   /* nothing changed */
    }
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    EnterCriticalSection(&s->lock);
    st_bag *before = st_bag_dup(m->set);
    LeaveCriticalSection(&s->lock);
    if (!before || st_bag_set_long(set, PR_MESSAGE_FLAGS, mf | MSGFLAG_SUBMIT | MSGFLAG_UNSENT)
        || st_bag_set_systime(set, PR_CLIENT_SUBMIT_TIME,
            (uint64_t)now.dwHighDateTime << 32 | now.dwLowDateTime))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr == S_OK)
        hr = message_write(m, set, NULL, 0);
    if (hr == S_OK)
        hr = s->sup->lpVtbl->ExpandRecips(s->sup, iface, &expand);
    if (hr == S_OK) {
        EnterCriticalSection(&s->lock);
        hr = rcp_load(m);
        for (size_t i = 0; hr == S_OK && i < m->n_rcp; i++)
            if (st_bag_set_bool(m->rcp[i], PR_RESPONSIBILITY, 0))
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
        m->rcp_dirty = 1;
        md_memtable *held = NULL;
        table_update(m, 0, 0, SIZE_MAX, &held);   /* the live recipient table follows */
        LeaveCriticalSection(&s->lock);
        if (held)
            md_memtable_deliver(held);
    }
    st_bag_free(set);
    set = st_bag_new();
    if (hr == S_OK && (!set || st_bag_set_long(set, PR_SUBMIT_FLAGS,
            (prep | expand) & NEEDS_PREPROCESSING ? (int32_t)SUBMITFLAG_PREPROCESS : 0)))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr == S_OK)
        hr = message_write(m, set, NULL, 0);
    st_bag_free(set);
    if (hr == S_OK)
        hr = msg_SaveChanges(iface, KEEP_OPEN_READWRITE);
    if (hr != S_OK && before) {
        EnterCriticalSection(&s->lock);
        st_bag_free(m->set);
        m->set = before;
        LeaveCriticalSection(&s->lock);
        before = NULL;
    }
    st_bag_free(before);
    return hr;
}

/* IMessage::SetReadFlag with its read reports (receipt.h gives the rules).
 * A saved message in a folder is written at once, as MAPI defines it, and
 * a pending PR_MESSAGE_FLAGS follows so SaveChanges does not undo it. A
 * report is made only for a message in a folder (not a new or embedded
 * one); when IMAPISupport::ReadReceipt fails nothing changes (the report
 * stays owed) and its error is returned. */
static HRESULT STDMETHODCALLTYPE msg_SetReadFlag(IMessage *iface, ULONG flags)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    md_store *s = m->store;
    HRESULT hr = md_read_flags_check(flags);
    if (hr != S_OK)
        return hr;
    st_bag *b = message_props(m, &hr);
    if (!b)
        return hr;
    const st_value *rq = st_bag_get(b, PR_READ_RECEIPT_REQUESTED);
    md_read_plan p;
    md_read_plan_make(&p, s, flags, md_bag_long(b, PR_MESSAGE_FLAGS), rq && rq->v.b);
    st_bag_free(b);
    int saved = m->mid && !m->embedded;
    int32_t sent = 0;
    if (p.send && saved) {
        hr = md_receipt_send(s, iface, 0);
        if (hr != S_OK)
            return hr;
        sent = MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING;
    }
    EnterCriticalSection(&s->lock);
    if (saved) {
        int code = st_store_begin(s->st);
        if (!code)
            code = md_read_plan_apply(s, m->mid, &p, sent);
        if (code)
            st_store_rollback(s->st);
        else
            code = st_store_commit(s->st);
        hr = code == ST_ENOTFOUND ? MAPI_E_OBJECT_DELETED : md_hr_from_st(code);
    }
    const st_value *fl = st_bag_get(m->set, PR_MESSAGE_FLAGS);
    if (hr == S_OK && (fl || !m->mid)) {
        int32_t mf = fl ? fl->v.l : 0;
        if (p.set_read >= 0)
            mf = p.set_read ? mf | MSGFLAG_READ : mf & ~MSGFLAG_READ;
        if (st_bag_set_long(m->set, PR_MESSAGE_FLAGS, mf & ~(p.clear_bits | sent)))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    if (hr == S_OK && p.clear_requested
        && (st_bag_get(m->set, PR_READ_RECEIPT_REQUESTED) || !m->mid)
        && st_bag_set_bool(m->set, PR_READ_RECEIPT_REQUESTED, 0))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    LeaveCriticalSection(&s->lock);
    return hr;
}

/* ---- CopyTo / CopyProps of the subobjects */

/* The recipients to dest (a message: ModifyRecipients replacing its own). */
static HRESULT copy_recipients(md_message *m, IMessage *d)
{
    const md_alloc *a = &m->store->alloc;
    ADRLIST *al = NULL;
    EnterCriticalSection(&m->store->lock);
    HRESULT hr = rcp_load(m);
    size_t n = m->n_rcp;
    if (hr == S_OK && a->buffer(CbNewADRLIST(n ? n : 1), (void **)&al) != S_OK)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (al)
        memset(al, 0, CbNewADRLIST(n ? n : 1));
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        st_bag *row = st_bag_dup(m->rcp[i]);
        if (!row) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            break;
        }
        st_bag_delete(row, PR_ROWID);   /* the destination numbers its own */
        hr = md_bag_get_props(row, NULL, MAPI_UNICODE, a, &al->aEntries[i].cValues,
            &al->aEntries[i].rgPropVals);
        st_bag_free(row);
        al->cEntries = (ULONG)i + 1;
    }
    LeaveCriticalSection(&m->store->lock);
    if (hr == S_OK)
        hr = d->lpVtbl->ModifyRecipients(d, 0, al);
    for (ULONG i = 0; al && i < al->cEntries; i++)
        a->free(al->aEntries[i].rgPropVals);
    a->free(al);
    return hr;
}

/* Each attachment to a new attachment of dest, values, streams and
 * embedded messages through IAttach::CopyTo. */
static HRESULT copy_attachments(md_message *m, IMessage *d)
{
    uint32_t *nums = NULL;
    size_t n = 0;
    HRESULT hr = attach_numbers(m, &nums, &n);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        int is_new = 0;
        if (attach_state(m, nums[i], &is_new) != S_OK)
            continue;   /* deleted, not saved yet */
        IAttach *src = NULL, *dst = NULL;
        ULONG dnum = 0;
        hr = md_attach_open(m, nums[i], is_new, 0, &src);
        if (hr == S_OK)
            hr = d->lpVtbl->CreateAttach(d, NULL, 0, &dnum, &dst);
        if (hr == S_OK)
            hr = src->lpVtbl->CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IAttachment, dst, 0,
                NULL);
        if (hr == S_OK)
            hr = dst->lpVtbl->SaveChanges(dst, 0);
        if (dst)
            dst->lpVtbl->Release(dst);
        if (src)
            src->lpVtbl->Release(src);
    }
    free(nums);
    return hr;
}

static HRESULT message_copy_sub(void *obj, IMAPIProp *dest, const SPropTagArray *list,
    int include_mode, ULONG flags)
{
    md_message *m = obj;
    IMessage *d = NULL;
    (void)flags;   /* MAPI_MOVE and MAPI_NOREPLACE concern values; subobjects are copied */
    int rcp = md_prop_wanted(list, include_mode, PR_MESSAGE_RECIPIENTS);
    int att = md_prop_wanted(list, include_mode, PR_MESSAGE_ATTACHMENTS);
    if (!rcp && !att)
        return S_OK;
    if (FAILED(dest->lpVtbl->QueryInterface(dest, &IID_IMessage, (void **)&d)) || !d)
        return S_OK;   /* not a message: only values go */
    HRESULT hr = rcp ? copy_recipients(m, d) : S_OK;
    if (hr == S_OK && att)
        hr = copy_attachments(m, d);
    d->lpVtbl->Release(d);
    return hr;
}

static const IMessageVtbl message_vtbl = {
    msg_QueryInterface, msg_AddRef, msg_Release,
    msg_GetLastError, msg_SaveChanges, msg_GetProps, msg_GetPropList, msg_OpenProperty,
    msg_SetProps, msg_DeleteProps, msg_CopyTo, msg_CopyProps, msg_GetNamesFromIDs,
    msg_GetIDsFromNames,
    msg_GetAttachmentTable, msg_OpenAttach, msg_CreateAttach, msg_DeleteAttach,
    msg_GetRecipientTable, msg_ModifyRecipients, msg_SubmitMessage, msg_SetReadFlag,
};

static md_message *message_new(md_store *s)
{
    md_message *m = calloc(1, sizeof *m);
    if (!m || !(m->set = st_bag_new())) {
        free(m);
        return NULL;
    }
    m->iface.lpVtbl = (IMessageVtbl *)&message_vtbl;   /* mapidefs.h: not const */
    m->refs = 1;
    m->store = s;
    s->iface.lpVtbl->AddRef(&s->iface);
    md_object_created();
    return m;
}

HRESULT md_message_create(md_store *s, st_id fid, ULONG flags, IMessage **out)
{
    *out = NULL;
    md_message *m = message_new(s);
    if (!m)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    m->fid = fid;
    m->modify = 1;
    m->st_flags = flags & MAPI_ASSOCIATED ? ST_ASSOCIATED : 0;
    /* [MS-OXCMSG] 3.2.5.2: a new message is unsent and read */
    if (st_bag_set_long(m->set, PR_MESSAGE_FLAGS, MSGFLAG_UNSENT | MSGFLAG_READ)) {
        msg_Release(&m->iface);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    *out = &m->iface;
    return S_OK;
}

HRESULT md_message_open(md_store *s, st_id mid, ULONG flags, IMessage **out)
{
    st_id fid = 0;
    *out = NULL;
    EnterCriticalSection(&s->lock);
    int code = st_message_folder(s->st, &fid, mid);
    LeaveCriticalSection(&s->lock);
    if (code)
        return code == ST_ENOTFOUND ? MAPI_E_NOT_FOUND : md_hr_from_st(code);
    if (!fid)
        return MAPI_E_NOT_FOUND;   /* an embedded message has no entry ID of its own */
    md_message *m = message_new(s);
    if (!m)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    m->mid = mid;
    m->is_saved = 1;
    m->fid = fid;
    m->modify = (flags & (MAPI_MODIFY | MAPI_BEST_ACCESS)) != 0;
    *out = &m->iface;
    return S_OK;
}

HRESULT md_message_open_pending_embedded(md_store *s, IMessage *saved, IAttach *parent,
    int modify, IMessage **out)
{
    *out = NULL;
    EnterCriticalSection(&s->lock);
    md_message *m = saved ? snapshot((md_message *)saved) : message_new(s);
    LeaveCriticalSection(&s->lock);
    if (!m)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    m->embedded = 1;
    m->modify = modify;
    m->parent = parent;
    parent->lpVtbl->AddRef(parent);
    *out = &m->iface;
    return S_OK;
}

HRESULT md_message_open_embedded(md_store *s, st_id mid, uint32_t num, int create,
    int modify, IMessage **out)
{
    st_id emid = 0;
    *out = NULL;
    EnterCriticalSection(&s->lock);
    int code = st_attach_embedded(s->st, &emid, mid, num, create);
    LeaveCriticalSection(&s->lock);
    if (code)
        return code == ST_ENOTFOUND ? MAPI_E_NOT_FOUND : md_hr_from_st(code);
    md_message *m = message_new(s);
    if (!m)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    m->mid = emid;
    m->is_saved = 1;
    m->embedded = 1;
    m->modify = modify;
    *out = &m->iface;
    return S_OK;
}
