/*
 * actions.c: PT_ACTIONS, MAPI's ACTIONS <-> storage's bytes (contract in
 * actions.h).
 */
#include <stdlib.h>
#include <string.h>

#include <mapicode.h>

#include "provider/actions.h"
#include "storage/props_actcodec.h"

/* ---- from MAPI */

static HRESULT bin_from(st_bin *out, ULONG cb, const void *p)
{
    if (!cb)
        return S_OK;
    if (!p)
        return MAPI_E_INVALID_PARAMETER;
    if (!(out->data = malloc(cb)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(out->data, p, cb);
    out->len = cb;
    return S_OK;
}

/* One value of a recipient or of OP_TAG: no nested PT_ACTIONS /
 * PT_SRESTRICT (the pointers could loop). */
static HRESULT value_from(st_value *out, const SPropValue *in)
{
    ULONG t = PROP_TYPE(in->ulPropTag);
    if (t == PT_ACTIONS || t == PT_SRESTRICT)
        return MAPI_E_INVALID_TYPE;
    return md_value_from_mapi(out, in);
}

static HRESULT recips_from(st_action *out, const ADRLIST *l)
{
    if (!l)
        return MAPI_E_INVALID_PARAMETER;
    if (l->cEntries > ST_ACT_MAX_RECIPS)
        return MAPI_E_TOO_COMPLEX;
    if (l->cEntries && !(out->recips = calloc(l->cEntries, sizeof *out->recips)))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    out->n_recips = l->cEntries;
    for (ULONG i = 0; i < l->cEntries; i++) {
        const ADRENTRY *e = &l->aEntries[i];
        if (e->cValues > ST_ACT_MAX_PROPS)
            return MAPI_E_TOO_COMPLEX;
        if (e->cValues && !e->rgPropVals)
            return MAPI_E_INVALID_PARAMETER;
        if (e->cValues && !(out->recips[i].props = calloc(e->cValues, sizeof(st_value))))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        for (ULONG k = 0; k < e->cValues; k++) {
            HRESULT hr = value_from(&out->recips[i].props[k], &e->rgPropVals[k]);
            if (hr != S_OK)
                return hr;
            out->recips[i].n = k + 1;
        }
    }
    return S_OK;
}

static HRESULT action_from(st_action *out, const ACTION *in)
{
    if (in->lpRes || in->lpPropTagArray)
        return MAPI_E_INVALID_PARAMETER;
    out->type = (uint32_t)in->acttype;
    out->flavor = in->ulActionFlavor;
    out->flags = in->ulFlags;
    HRESULT hr;
    switch (in->acttype) {
    case OP_MOVE: case OP_COPY:
        hr = bin_from(&out->eid1, in->actMoveCopy.cbStoreEntryId, in->actMoveCopy.lpStoreEntryId);
        return hr != S_OK ? hr
            : bin_from(&out->eid2, in->actMoveCopy.cbFldEntryId, in->actMoveCopy.lpFldEntryId);
    case OP_REPLY: case OP_OOF_REPLY:
        st_guid_from_bytes(&out->guid, (const uint8_t *)&in->actReply.guidReplyTemplate);
        return bin_from(&out->eid1, in->actReply.cbEntryId, in->actReply.lpEntryId);
    case OP_DEFER_ACTION:
        return bin_from(&out->eid1, in->actDeferAction.cbData, in->actDeferAction.pbData);
    case OP_BOUNCE:
        out->bounce = (int32_t)in->scBounceCode;
        return S_OK;
    case OP_FORWARD: case OP_DELEGATE:
        return recips_from(out, in->lpadrlist);
    case OP_TAG:
        return value_from(&out->tag, &in->propTag);
    case OP_DELETE: case OP_MARK_AS_READ:
        return S_OK;
    default:
        return MAPI_E_INVALID_PARAMETER;
    }
}

HRESULT md_actions_from_mapi(uint8_t **out, size_t *len, const ACTIONS *acts)
{
    *out = NULL;
    *len = 0;
    if (!acts || (acts->cActions && !acts->lpAction))
        return MAPI_E_INVALID_PARAMETER;
    if (acts->ulVersion != EDK_RULES_VERSION)
        return MAPI_E_VERSION;
    if (acts->cActions > ST_ACT_MAX_ACTIONS)
        return MAPI_E_TOO_COMPLEX;
    st_actions *m = st_actions_new(acts->cActions);
    if (!m)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    HRESULT hr = S_OK;
    for (UINT i = 0; hr == S_OK && i < acts->cActions; i++)
        hr = action_from(&m->a[i], &acts->lpAction[i]);
    if (hr == S_OK && st_actions_encode(out, len, m))
        hr = MAPI_E_TOO_COMPLEX;   /* more than the format carries (message set) */
    st_actions_free(m);
    return hr;
}

/* ---- to MAPI */

static HRESULT bin_to(ULONG *cb, void **p, const st_bin *in, void *parent, const md_alloc *a)
{
    *cb = 0;
    *p = NULL;
    if (!in->len)
        return S_OK;
    HRESULT hr = md_alloc_more(a, parent, in->len, p);
    if (hr == S_OK) {
        memcpy(*p, in->data, in->len);
        *cb = in->len;
    }
    return hr;
}

static HRESULT recips_to(LPADRLIST *out, const st_action *in, void *parent, const md_alloc *a)
{
    ADRLIST *l = NULL;
    HRESULT hr = md_alloc_more(a, parent, CbNewADRLIST(in->n_recips), (void **)&l);
    if (hr != S_OK)
        return hr;
    memset(l, 0, CbNewADRLIST(in->n_recips));
    l->cEntries = in->n_recips;
    for (uint32_t i = 0; hr == S_OK && i < in->n_recips; i++) {
        const st_act_recip *r = &in->recips[i];
        SPropValue *v = NULL;
        hr = md_alloc_more(a, parent, (size_t)r->n * sizeof *v, (void **)&v);
        for (uint32_t k = 0; hr == S_OK && k < r->n; k++)
            hr = md_value_to_mapi(&v[k], r->props[k].tag, &r->props[k], 0, parent, a);
        l->aEntries[i].rgPropVals = v;
        l->aEntries[i].cValues = r->n;
    }
    *out = l;
    return hr;
}

static HRESULT action_to(ACTION *out, const st_action *in, void *parent, const md_alloc *a)
{
    memset(out, 0, sizeof *out);
    out->acttype = (ACTTYPE)in->type;
    out->ulActionFlavor = in->flavor;
    out->ulFlags = in->flags;
    HRESULT hr;
    switch (in->type) {
    case ST_OP_MOVE: case ST_OP_COPY:
        hr = bin_to(&out->actMoveCopy.cbStoreEntryId, (void **)&out->actMoveCopy.lpStoreEntryId,
            &in->eid1, parent, a);
        return hr != S_OK ? hr : bin_to(&out->actMoveCopy.cbFldEntryId,
            (void **)&out->actMoveCopy.lpFldEntryId, &in->eid2, parent, a);
    case ST_OP_REPLY: case ST_OP_OOF_REPLY:
        st_guid_to_bytes((uint8_t *)&out->actReply.guidReplyTemplate, &in->guid);
        return bin_to(&out->actReply.cbEntryId, (void **)&out->actReply.lpEntryId, &in->eid1,
            parent, a);
    case ST_OP_DEFER_ACTION:
        return bin_to(&out->actDeferAction.cbData, (void **)&out->actDeferAction.pbData,
            &in->eid1, parent, a);
    case ST_OP_BOUNCE:
        out->scBounceCode = in->bounce;
        return S_OK;
    case ST_OP_FORWARD: case ST_OP_DELEGATE:
        return recips_to(&out->lpadrlist, in, parent, a);
    case ST_OP_TAG:
        return md_value_to_mapi(&out->propTag, in->tag.tag, &in->tag, 0, parent, a);
    default:   /* DELETE, MARK_AS_READ (the decoder admits no other) */
        return S_OK;
    }
}

HRESULT md_actions_to_mapi(ACTIONS **out, const uint8_t *data, size_t len, void *parent,
    const md_alloc *a)
{
    *out = NULL;
    st_actions *m = NULL;
    if (st_actions_decode(&m, data, len))
        return MAPI_E_CORRUPT_DATA;
    ACTIONS *acts = NULL;
    HRESULT hr = md_alloc_more(a, parent, sizeof *acts, (void **)&acts);
    if (hr == S_OK) {
        acts->ulVersion = EDK_RULES_VERSION;
        acts->cActions = m->n;
        acts->lpAction = NULL;
        if (m->n)
            hr = md_alloc_more(a, parent, (size_t)m->n * sizeof *acts->lpAction,
                (void **)&acts->lpAction);
    }
    for (uint32_t i = 0; hr == S_OK && i < m->n; i++)
        hr = action_to(&acts->lpAction[i], &m->a[i], parent, a);
    st_actions_free(m);
    if (hr == S_OK)
        *out = acts;
    return hr;
}
