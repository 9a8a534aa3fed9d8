/*
 * msg_copy.c: CopyTo / CopyProps of a message's subobjects (md_prop_ops'
 * copy_sub): the recipients through the destination's ModifyRecipients
 * (replacing its own), each attachment to a new one of the destination
 * through IAttach::CopyTo (values, streams, embedded messages). A
 * destination that is not a message gets the values only.
 * Never: call the destination with the store's lock held.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "provider/mapiprop.h"
#include "provider/message_int.h"

/* ---- CopyTo / CopyProps of the subobjects */

/* The recipients to dest (a message: ModifyRecipients replacing its own). */
static HRESULT copy_recipients(md_message *m, IMessage *d)
{
    const md_alloc *a = &m->store->alloc;
    ADRLIST *al = NULL;
    EnterCriticalSection(&m->store->lock);
    HRESULT hr = md_msg__rcp_load(m);
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
    HRESULT hr = md_msg__attach_numbers(m, &nums, &n);
    for (size_t i = 0; hr == S_OK && i < n; i++) {
        int is_new = 0;
        if (md_msg__attach_state(m, nums[i], &is_new) != S_OK)
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

HRESULT md_msg__message_copy_sub(void *obj, IMAPIProp *dest, const SPropTagArray *list,
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
