/*
 * attach.c: IAttach. An attachment object keeps its changes (values,
 * deletions, spooled streams such as PR_ATTACH_DATA_BIN) until its
 * SaveChanges hands them to its message (md_message_attach_put); the
 * message writes them to storage at its own SaveChanges, as MAPI defines
 * it. Computed: PR_ATTACH_NUM, PR_OBJECT_TYPE, PR_ACCESS_LEVEL,
 * PR_ATTACH_SIZE of an attachment storage has not sized yet.
 *
 * PR_ATTACH_DATA_OBJ opens the embedded message (IID_IMessage): straight
 * over storage for an attachment in storage; for one not saved yet, an
 * object whose SaveChanges hands a copy of its state to the attachment
 * (md_attach_put_embedded), written with the top message.
 * IID_IStorage, for an ATTACH_OLE attachment only (others answer
 * MAPI_E_INTERFACE_NOT_SUPPORTED): ole32's compound file over an
 * ILockBytes of ours (olestg.h) over the attachment's data stream, kept as
 * PR_ATTACH_DATA_BIN; MAPI_CREATE makes a new one, MAPI_MODIFY opens it
 * read-write. Its Commit (or last Release) hands the bytes to the
 * attachment like a stream's; bytes that are no compound file are
 * MAPI_E_CORRUPT_DATA.
 * Never: write to storage; outlive its message (it holds a reference).
 */
#include <stdlib.h>
#include <string.h>

#include "provider/mapiprop.h"
#include "provider/message.h"
#include "provider/names.h"
#include "provider/object.h"
#include "provider/olestg.h"
#include "provider/shutdown.h"

typedef struct md_attach {
    IAttach iface;
    LONG refs;
    md_message *msg;       /* its message, AddRef'd */
    uint32_t num;          /* PR_ATTACH_NUM */
    int is_new;            /* not in storage */
    int modify;            /* read-write */
    md_att_change ch;      /* pending: set, del, spool (ch.num = num) */
} md_attach;

static md_attach *impl(IAttach *iface)
{
    return (md_attach *)iface;
}

static md_store *store_of(md_attach *a)
{
    return md_message_store(a->msg);
}

/* A new attachment whose message was saved since it was opened: from now
 * on it is the one in storage, under the number storage gave it. */
static void refresh(md_attach *a)
{
    uint32_t num = a->num;
    if (a->is_new && md_message_renumber(a->msg, &num)) {
        a->num = a->ch.num = num;
        a->is_new = 0;
    }
}

static st_bag *attach_props(void *obj, HRESULT *hr)
{
    md_attach *a = obj;
    st_bag *b = NULL;
    int exists = 0;

    refresh(a);
    *hr = md_message_attach_base(a->msg, a->num, &b, &exists);
    if (*hr == MAPI_E_NOT_FOUND && a->is_new)
        *hr = S_OK;   /* created, never saved */
    if (*hr != S_OK)
        return NULL;
    if (!b && !(b = st_bag_new())) {
        *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    md_store *s = store_of(a);
    EnterCriticalSection(&s->lock);
    int code = md_pending_apply(b, a->ch.del, a->ch.n_del, a->ch.set, a->ch.spool,
        a->ch.n_spool);
    uint64_t spooled = 0;   /* the big ones: the bag has only their markers */
    for (size_t i = 0; i < a->ch.n_spool; i++)
        if (a->ch.spool[i]->size > ST_STREAM_INLINE_MAX)
            spooled += a->ch.spool[i]->size;
    LeaveCriticalSection(&s->lock);
    code |= st_bag_set_long(b, PR_ATTACH_NUM, (int32_t)a->num);
    code |= st_bag_set_long(b, PR_OBJECT_TYPE, MAPI_ATTACH);
    code |= st_bag_set_long(b, PR_ACCESS_LEVEL, a->modify ? MAPI_MODIFY : 0);
    if (!st_bag_get(b, PR_ATTACH_SIZE) || a->ch.n_spool || st_bag_count(a->ch.set))
        code |= st_bag_set_long(b, PR_ATTACH_SIZE, md_bag_size(b, spooled));
    if (code) {
        st_bag_free(b);
        *hr = MAPI_E_NOT_ENOUGH_MEMORY;
        return NULL;
    }
    return b;
}

static int attach_computed(void *obj, uint32_t tag)
{
    (void)obj;
    switch (PROP_ID(tag)) {
    case PROP_ID(PR_ATTACH_NUM): case PROP_ID(PR_OBJECT_TYPE): case PROP_ID(PR_ACCESS_LEVEL):
    case PROP_ID(PR_ATTACH_SIZE): case PROP_ID(PR_RECORD_KEY): case PROP_ID(PR_INSTANCE_KEY):
    case PROP_ID(PR_ENTRYID):
        return 1;
    default:
        return 0;
    }
}

static HRESULT attach_can_write(void *obj)
{
    return ((md_attach *)obj)->modify ? S_OK : MAPI_E_NO_ACCESS;
}

static HRESULT attach_write(void *obj, const st_bag *set, const uint32_t *del, size_t n_del)
{
    md_attach *a = obj;
    refresh(a);
    md_store *s = store_of(a);
    HRESULT hr = S_OK;
    EnterCriticalSection(&s->lock);
    for (size_t i = 0; hr == S_OK && i < n_del; i++) {
        st_bag_delete(a->ch.set, del[i]);
        md_spools_drop(a->ch.spool, &a->ch.n_spool, del[i]);
        size_t cap = a->ch.n_del;   /* ch moves to the message at SaveChanges */
        if (md_tags_add(&a->ch.del, &a->ch.n_del, &cap, del[i]))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    for (size_t i = 0; hr == S_OK && set && i < st_bag_count(set); i++) {
        const st_value *v = st_bag_at(set, i);
        md_spools_drop(a->ch.spool, &a->ch.n_spool, v->tag);
        md_tags_remove(a->ch.del, &a->ch.n_del, v->tag);
        st_bag_delete(a->ch.set, CHANGE_PROP_TYPE(v->tag, PT_UNSPECIFIED));
        if (st_bag_set(a->ch.set, v))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
    }
    LeaveCriticalSection(&s->lock);
    return hr;
}

static void attach_put_spool(void *obj, md_spool *sp)
{
    md_attach *a = obj;
    md_store *s = store_of(a);
    EnterCriticalSection(&s->lock);
    st_bag_delete(a->ch.set, CHANGE_PROP_TYPE(sp->tag, PT_UNSPECIFIED));
    md_tags_remove(a->ch.del, &a->ch.n_del, sp->tag);
    md_spools_put(&a->ch.spool, &a->ch.n_spool, sp);
    LeaveCriticalSection(&s->lock);
}

static HRESULT attach_copy_sub(void *obj, IMAPIProp *dest, const SPropTagArray *list,
    int include_mode, ULONG flags);

static const md_prop_ops attach_ops = {
    attach_props, attach_write, attach_computed, attach_can_write, attach_copy_sub,
};

#define ATT_STORE(i) store_of(impl(i))
MD_PROP_FORWARDERS(att, IAttach, impl, ATT_STORE, attach_ops)

/* ---- IUnknown */

static HRESULT STDMETHODCALLTYPE att_QueryInterface(IAttach *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_IAttachment, &IID_IMAPIProp };
    return md_query_interface(iface, riid, out, iids, 2);
}

static ULONG STDMETHODCALLTYPE att_AddRef(IAttach *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE att_Release(IAttach *iface)
{
    md_attach *a = impl(iface);
    ULONG n = md_ref_release(&a->refs);
    if (n == 0) {
        md_att_change_clear(&a->ch);
        IMessage *m = md_message_iface(a->msg);
        m->lpVtbl->Release(m);
        free(a);
        md_object_destroyed();
    }
    return n;
}

/* ---- IMAPIProp */

static HRESULT STDMETHODCALLTYPE att_SaveChanges(IAttach *iface, ULONG flags)
{
    MD_SHUT_GATE();
    md_attach *a = impl(iface);
    if (flags & ~(ULONG)(KEEP_OPEN_READONLY | KEEP_OPEN_READWRITE | FORCE_SAVE
        | MAPI_DEFERRED_ERRORS))
        return MAPI_E_UNKNOWN_FLAGS;
    if (!a->modify)
        return MAPI_E_NO_ACCESS;
    refresh(a);
    md_store *s = store_of(a);
    EnterCriticalSection(&s->lock);
    md_att_change c = a->ch;
    memset(&a->ch, 0, sizeof a->ch);
    c.num = a->num;
    c.is_new = a->is_new;
    if (!c.set)
        c.set = st_bag_new();
    if (!(a->ch.set = st_bag_new()) || !c.set) {
        st_bag_free(a->ch.set);
        a->ch = c;   /* nothing lost: try again later */
        LeaveCriticalSection(&s->lock);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    LeaveCriticalSection(&s->lock);
    HRESULT hr = md_message_attach_put(a->msg, &c);
    md_att_change_clear(&c);
    if (hr == S_OK && !(flags & KEEP_OPEN_READWRITE))
        a->modify = 0;
    return hr;
}

static HRESULT STDMETHODCALLTYPE att_GetProps(IAttach *iface, LPSPropTagArray tags, ULONG flags,
    ULONG *count, LPSPropValue *props)
{
    MD_SHUT_GATE();
    return md_prop_get_props(attach_props, impl(iface), &store_of(impl(iface))->alloc, tags,
        flags, count, props);
}

static HRESULT STDMETHODCALLTYPE att_GetPropList(IAttach *iface, ULONG flags,
    LPSPropTagArray *list)
{
    MD_SHUT_GATE();
    return md_prop_get_prop_list(attach_props, impl(iface), &store_of(impl(iface))->alloc,
        flags, list);
}

static HRESULT open_embedded(md_attach *a, ULONG flags, LPUNKNOWN *out)
{
    st_id mid = md_message_mid(a->msg);
    int modify = (flags & (MAPI_MODIFY | MAPI_CREATE)) != 0;
    if (modify && !a->modify)
        return MAPI_E_NO_ACCESS;
    if (mid && !a->is_new && !a->ch.emb)
        return md_message_open_embedded(store_of(a), mid, a->num, (flags & MAPI_CREATE) != 0,
            modify, (IMessage **)out);
    /* not in storage yet: kept with the attachment until its message is saved */
    md_store *s = store_of(a);
    EnterCriticalSection(&s->lock);
    IMessage *saved = a->ch.emb;
    if (saved)
        saved->lpVtbl->AddRef(saved);
    LeaveCriticalSection(&s->lock);
    if (!saved)
        saved = md_message_attach_emb(a->msg, a->num);
    if (!saved && !(flags & MAPI_CREATE))
        return MAPI_E_NOT_FOUND;
    HRESULT hr = md_message_open_pending_embedded(s, saved, &a->iface, modify,
        (IMessage **)out);
    if (saved)
        saved->lpVtbl->Release(saved);
    return hr;
}

void md_attach_put_embedded(IAttach *iface, IMessage *emb)
{
    md_attach *a = impl(iface);
    md_store *s = store_of(a);
    EnterCriticalSection(&s->lock);
    if (a->ch.emb)
        a->ch.emb->lpVtbl->Release(a->ch.emb);
    a->ch.emb = emb;
    LeaveCriticalSection(&s->lock);
}

static HRESULT STDMETHODCALLTYPE att_OpenProperty(IAttach *iface, ULONG tag, LPCIID iid,
    ULONG options, ULONG flags, LPUNKNOWN *out);

/* OpenProperty(PR_ATTACH_DATA_OBJ, IID_IStorage): see the top comment. */
static HRESULT open_storage(md_attach *a, ULONG flags, LPUNKNOWN *out)
{
    HRESULT hr;
    st_bag *cur = attach_props(a, &hr);
    if (!cur)
        return hr;
    const st_value *m = st_bag_get(cur, PR_ATTACH_METHOD);
    int ole = m && m->v.l == ATTACH_OLE;
    st_bag_free(cur);
    if (!ole)
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    int create = (flags & MAPI_CREATE) != 0;
    int modify = create || (flags & MAPI_MODIFY) || (flags & MAPI_BEST_ACCESS && a->modify);
    if (modify && !a->modify)
        return MAPI_E_NO_ACCESS;
    IStream *st = NULL;
    hr = att_OpenProperty(&a->iface, PR_ATTACH_DATA_BIN, &IID_IStream,
        modify ? STGM_READWRITE : STGM_READ, create ? MAPI_CREATE | MAPI_MODIFY
        : modify ? MAPI_MODIFY : 0, (LPUNKNOWN *)&st);
    if (hr != S_OK)
        return hr;
    ILockBytes *lb = NULL;
    hr = md_lockbytes_new(st, &lb);
    st->lpVtbl->Release(st);
    if (hr != S_OK)
        return hr;
    IStorage *stg = NULL;
    DWORD mode = (modify ? STGM_READWRITE : STGM_READ) | STGM_SHARE_EXCLUSIVE;
    hr = create ? StgCreateDocfileOnILockBytes(lb, mode | STGM_CREATE, 0, &stg)
                : StgOpenStorageOnILockBytes(lb, NULL, mode, NULL, 0, &stg);
    lb->lpVtbl->Release(lb);
    if (hr == E_OUTOFMEMORY || hr == STG_E_INSUFFICIENTMEMORY)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (FAILED(hr) || !stg) {
        st_error_set("attachment %u: its data is no OLE compound file (ole32: %#lx)",
            (unsigned)a->num, (unsigned long)hr);
        return MAPI_E_CORRUPT_DATA;
    }
    *out = (LPUNKNOWN)stg;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE att_OpenProperty(IAttach *iface, ULONG tag, LPCIID iid,
    ULONG options, ULONG flags, LPUNKNOWN *out)
{
    MD_SHUT_GATE();
    md_attach *a = impl(iface);
    int writable = 0, create = 0;
    HRESULT hr;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!iid)
        return MAPI_E_INVALID_PARAMETER;
    refresh(a);
    if (tag == PR_ATTACH_DATA_OBJ) {
        if (flags & ~(ULONG)(MAPI_CREATE | MAPI_MODIFY | MAPI_DEFERRED_ERRORS
            | MAPI_BEST_ACCESS))
            return MAPI_E_UNKNOWN_FLAGS;
        if (IsEqualIID(iid, &IID_IMessage))
            return open_embedded(a, flags, out);
        if (IsEqualIID(iid, &IID_IStorage))
            return open_storage(a, flags, out);
        if (!IsEqualIID(iid, &IID_IStream))
            return MAPI_E_INTERFACE_NOT_SUPPORTED;
        tag = PR_ATTACH_DATA_BIN;
    }
    hr = md_stream_check_open(tag, iid, options, flags, &writable, &create);
    if (hr != S_OK)
        return hr;
    if (writable && !a->modify)
        return MAPI_E_NO_ACCESS;
    st_bag *cur = attach_props(a, &hr);
    if (!cur)
        return hr;
    md_store *s = store_of(a);
    EnterCriticalSection(&s->lock);
    md_spool *pending = md_spools_find(a->ch.spool, a->ch.n_spool, tag);
    if (pending)
        md_spool_addref(pending);
    LeaveCriticalSection(&s->lock);
    if (!pending)
        pending = md_message_attach_spool(a->msg, a->num, tag);
    md_stream_owner owner = { a, (IUnknown *)&a->iface, attach_put_spool };
    st_id mid = md_message_mid(a->msg);   /* a new one of a saved message: stream.h */
    uint32_t num = !a->is_new ? a->num : mid ? MD_ATTACH_NEW : a->num;
    hr = md_stream_open_prop((IStream **)out, s, mid, num, cur, pending, tag, writable,
        create, &owner);
    md_spool_release(pending);
    st_bag_free(cur);
    return hr;
}

/* CopyTo / CopyProps: the embedded message of an ATTACH_EMBEDDED_MSG
 * attachment, into a new embedded message of dest (an attachment). */
static HRESULT attach_copy_sub(void *obj, IMAPIProp *dest, const SPropTagArray *list,
    int include_mode, ULONG flags)
{
    md_attach *a = obj;
    IAttach *d = NULL;
    IMessage *in = NULL, *out = NULL;
    (void)flags;
    if (!md_prop_wanted(list, include_mode, PR_ATTACH_DATA_OBJ))
        return S_OK;
    HRESULT hr;
    st_bag *b = attach_props(a, &hr);
    const st_value *method = b ? st_bag_get(b, PR_ATTACH_METHOD) : NULL;
    int embedded = method && method->v.l == ATTACH_EMBEDDED_MSG, read = b != NULL;
    st_bag_free(b);
    if (!embedded)
        return read ? S_OK : hr;
    if (FAILED(dest->lpVtbl->QueryInterface(dest, &IID_IAttachment, (void **)&d)) || !d)
        return S_OK;   /* not an attachment: only values go */
    hr = att_OpenProperty(&a->iface, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (LPUNKNOWN *)&in);
    if (hr == MAPI_E_NOT_FOUND) {
        d->lpVtbl->Release(d);
        return S_OK;   /* no message made in it yet */
    }
    if (hr == S_OK)
        hr = d->lpVtbl->OpenProperty(d, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
            MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&out);
    if (hr == S_OK)
        hr = in->lpVtbl->CopyTo(in, 0, NULL, NULL, 0, NULL, &IID_IMessage, out, 0, NULL);
    if (hr == S_OK)
        hr = out->lpVtbl->SaveChanges(out, 0);
    if (out)
        out->lpVtbl->Release(out);
    if (in)
        in->lpVtbl->Release(in);
    d->lpVtbl->Release(d);
    return hr;
}

static const IAttachVtbl attach_vtbl = {
    att_QueryInterface, att_AddRef, att_Release,
    att_GetLastError, att_SaveChanges, att_GetProps, att_GetPropList, att_OpenProperty,
    att_SetProps, att_DeleteProps, att_CopyTo, att_CopyProps, att_GetNamesFromIDs,
    att_GetIDsFromNames,
};

HRESULT md_attach_open(md_message *msg, uint32_t num, int is_new, int modify, IAttach **out)
{
    *out = NULL;
    md_attach *a = calloc(1, sizeof *a);
    if (!a || !(a->ch.set = st_bag_new())) {
        free(a);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    a->iface.lpVtbl = (IAttachVtbl *)&attach_vtbl;   /* mapidefs.h: not const */
    a->refs = 1;
    a->msg = msg;
    IMessage *m = md_message_iface(msg);
    m->lpVtbl->AddRef(m);
    a->num = num;
    a->ch.num = num;
    a->is_new = is_new;
    a->modify = modify;
    md_object_created();
    *out = &a->iface;
    return S_OK;
}
