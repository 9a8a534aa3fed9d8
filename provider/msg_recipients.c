/*
 * msg_recipients.c: IMessage's recipients: storage's rows loaded once,
 * then changed in memory by ModifyRecipients (row by row, each with a
 * PR_ROWID of its own; 0: all replaced) until the message's SaveChanges
 * writes them; GetRecipientTable gives a view of msg_tables.c's live table,
 * which follows every change.
 * Never: write to storage; take a value MAPI does not let a client write
 * (md_prop_tag_writable).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "provider/mapiprop.h"
#include "provider/memtable.h"
#include "provider/message_int.h"
#include "provider/shutdown.h"

/* ---- IMessage: recipients */

void md_msg__rcp_free(md_message *m)
{
    for (size_t i = 0; i < m->n_rcp; i++)
        st_bag_free(m->rcp[i]);
    free(m->rcp);
    m->rcp = NULL;
    m->n_rcp = 0;
    m->rcp_loaded = m->rcp_dirty = 0;
}

HRESULT STDMETHODCALLTYPE md_msg__GetRecipientTable(IMessage *iface, ULONG flags,
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
    return md_msg__sub_table(m, table, flags, cols, sizeof cols / sizeof *cols, 0);
}

HRESULT md_msg__rcp_load(md_message *m)
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

HRESULT STDMETHODCALLTYPE md_msg__ModifyRecipients(IMessage *iface, ULONG flags,
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
    HRESULT hr = md_msg__rcp_load(m);
    if (hr == S_OK && !op)
        md_msg__rcp_free(m), m->rcp_loaded = 1;
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
    md_msg__table_update(m, 0, !op, SIZE_MAX, &held);   /* behind on failure: see there */
    LeaveCriticalSection(&m->store->lock);
    if (held)
        md_memtable_deliver(held);
    return hr;
}
