/*
 * msg_attachments.c: IMessage's attachments: the changes IAttach::SaveChanges
 * and DeleteAttach hand the message (md_att_change, kept until its
 * SaveChanges), their numbers, OpenAttach, CreateAttach, DeleteAttach and
 * GetAttachmentTable (a view of msg_tables.c's live table).
 * A new attachment gets a number of ours, never given twice in the
 * object's life; after a save the numbers storage gave are remembered for
 * the attachment objects still open (md_message_renumber). DeleteAttach
 * with MAPI_DIALOG reports progress (mapiprop.h).
 * Never: write to storage (the message's SaveChanges does); call storage
 * outside the store's lock.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "provider/mapiprop.h"
#include "provider/memtable.h"
#include "provider/message_int.h"
#include "provider/shutdown.h"

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
        md_message *e = md_msg__snapshot((md_message *)c->emb);
        if (!e) {
            md_att_change_clear(out);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        out->emb = &e->iface;
    }
    return S_OK;
}

/* After a commit: the numbers storage gave new attachments, for attachment
 * objects still open under ours (md_message_renumber). Out of memory
 * leaves some unmapped: such an object then finds nothing. Our numbers are
 * never given twice in an object's life (next_num only grows, past
 * storage's too), so each maps one way. */
void md_msg__remember_numbers(md_message *m)
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

/* The numbers of the attachments the message has now: storage's (deleted
 * ones still listed: md_message_attach_base tells) and the new ones.
 * *out malloc'd. */
HRESULT md_msg__attach_numbers(md_message *m, uint32_t **out, size_t *n)
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

/* ---- IMessage: attachments */

HRESULT STDMETHODCALLTYPE md_msg__GetAttachmentTable(IMessage *iface, ULONG flags,
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
    return md_msg__sub_table(m, table, flags, cols, sizeof cols / sizeof *cols, 1);
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
        md_msg__att_table_put(m, num, &held);   /* behind on failure until the next call */
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
HRESULT md_msg__attach_state(md_message *m, uint32_t num, int *is_new)
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

HRESULT STDMETHODCALLTYPE md_msg__OpenAttach(IMessage *iface, ULONG num, LPCIID iid,
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
    HRESULT hr = md_msg__attach_state(m, num, &is_new);
    if (hr != S_OK)
        return hr;
    int modify = m->modify && (flags & (MAPI_MODIFY | MAPI_BEST_ACCESS));
    if ((flags & MAPI_MODIFY) && !m->modify)
        return MAPI_E_NO_ACCESS;
    return md_attach_open(m, num, is_new, modify, out);
}

HRESULT STDMETHODCALLTYPE md_msg__CreateAttach(IMessage *iface, LPCIID iid, ULONG flags,
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

HRESULT STDMETHODCALLTYPE md_msg__DeleteAttach(IMessage *iface, ULONG num, ULONG ui,
    LPMAPIPROGRESS progress, ULONG flags)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    if (flags & ~(ULONG)MAPI_DIALOG)
        return MAPI_E_UNKNOWN_FLAGS;
    if (!m->modify)
        return MAPI_E_NO_ACCESS;
    int is_new = 0;
    HRESULT hr = md_msg__attach_state(m, num, &is_new);
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
