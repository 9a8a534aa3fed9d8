/*
 * receipt.c: read and nonread reports (contract in receipt.h): the plan of
 * a SetReadFlag call, its storage writes, the report handed to
 * IMAPISupport::ReadReceipt, and the nonread reports of messages about to
 * be deleted unread.
 * Invariant: a report is sent at most once (MSGFLAG_RN_PENDING /
 * MSGFLAG_NRN_PENDING is asked right before and cleared only after it
 * went, and nothing sends without it).
 * Never: call IMAPISupport or a message method with md_store.lock held.
 */
#include "provider/message.h"
#include "provider/receipt.h"
#include "storage/error.h"
#include "storage/log.h"

HRESULT md_read_flags_check(ULONG flags)
{
    if (flags & ~(ULONG)MD_READ_FLAGS)
        return MAPI_E_UNKNOWN_FLAGS;
    if ((flags & CLEAR_READ_FLAG) && (flags & (SUPPRESS_RECEIPT | GENERATE_RECEIPT_ONLY)))
        return MAPI_E_INVALID_PARAMETER;
    return S_OK;
}

void md_read_plan_make(md_read_plan *p, const md_store *s, ULONG flags, int32_t mf,
    int requested)
{
    int pending = requested && (mf & MSGFLAG_RN_PENDING);
    int can_send = !(s->logon_flags & MDB_NO_MAIL);
    p->set_read = -1;
    p->send = 0;
    p->clear_bits = 0;
    p->clear_requested = 0;
    if (flags & CLEAR_RN_PENDING)
        p->clear_bits |= MSGFLAG_RN_PENDING;
    if (flags & CLEAR_NRN_PENDING)
        p->clear_bits |= MSGFLAG_NRN_PENDING;
    if (flags & GENERATE_RECEIPT_ONLY) {
        if (flags & SUPPRESS_RECEIPT) {
            /* "set PR_READ_RECEIPT_REQUESTED to FALSE ... do not send" */
            p->clear_requested = requested;
            p->clear_bits |= MSGFLAG_RN_PENDING;
        } else if (pending && !(flags & CLEAR_RN_PENDING)) {
            p->send = can_send;
        }
        return;
    }
    if (flags & CLEAR_READ_FLAG) {
        p->set_read = 0;   /* "no read report should be sent" */
        return;
    }
    if ((flags & (CLEAR_RN_PENDING | CLEAR_NRN_PENDING)) && !(flags & SUPPRESS_RECEIPT))
        return;   /* only the bits ([MS-OXCMSG] rfClearNotifyRead / rfClearNotifyUnread) */
    p->set_read = 1;
    p->clear_bits |= MSGFLAG_NRN_PENDING;   /* read now: no nonread report is due */
    if (flags & SUPPRESS_RECEIPT)
        p->clear_bits |= MSGFLAG_RN_PENDING;   /* the pending report cancelled */
    else if (pending && !(flags & CLEAR_RN_PENDING))
        p->send = can_send;   /* else still owed: RN_PENDING stays */
}

int md_read_plan_apply(md_store *s, st_id mid, const md_read_plan *p, int32_t extra_bits)
{
    int32_t bits = p->clear_bits | extra_bits;
    int code = p->set_read >= 0 ? st_message_set_read(s->st, mid, p->set_read, 0) : 0;
    if (code || (!bits && !p->clear_requested))
        return code;
    st_bag *b = NULL;
    code = st_message_get(s->st, &b, mid);
    if (code)
        return code;
    const st_value *fl = st_bag_get(b, PR_MESSAGE_FLAGS);
    const st_value *rq = st_bag_get(b, PR_READ_RECEIPT_REQUESTED);
    int32_t mf = fl ? fl->v.l : 0;
    int requested = rq && rq->v.b;
    st_bag_free(b);
    st_bag *set = st_bag_new();
    int bad = !set;
    if (!bad && (mf & bits))
        bad = st_bag_set_long(set, PR_MESSAGE_FLAGS, mf & ~bits) != 0;
    if (!bad && p->clear_requested && requested)
        bad = st_bag_set_bool(set, PR_READ_RECEIPT_REQUESTED, 0) != 0;
    if (bad)
        code = ST_ERROR;
    else if (st_bag_count(set))   /* this mailbox's own state: no journal entry, so
                                     the message is not sent to the server again */
        code = st_message_set_props(s->st, mid, set, NULL, 0, ST_FROM_SERVER);
    st_bag_free(set);
    return code;
}

HRESULT md_receipt_send(md_store *s, IMessage *msg, ULONG report_flags)
{
    IMessage *rep = NULL;
    HRESULT hr = md_message_create(s, s->fid[MD_DF_OUTBOX], 0, &rep);
    if (hr != S_OK)
        return hr;
    /* A report is not filed in Sent Items (FinishedMsg deletes it); MAPI
     * may set its own values over this. */
    SPropValue v;
    v.ulPropTag = PR_DELETE_AFTER_SUBMIT;
    v.Value.b = TRUE;
    hr = rep->lpVtbl->SetProps(rep, 1, &v, NULL);
    /* "On input, lppEmptyMessage points to a pointer to an empty message.
     * On output, ... to the report message": the one we submit and
     * release ("If ReadReceipt fails, the message should be released
     * without being submitted"). */
    IMessage *got = rep;
    if (hr == S_OK)
        hr = s->sup->lpVtbl->ReadReceipt(s->sup, report_flags, msg, &got);
    if (hr == S_OK && got)
        hr = got->lpVtbl->SubmitMessage(got, 0);
    else if (hr != S_OK)
        st_error_set("IMAPISupport::ReadReceipt failed (%#lx): the report stays pending",
            (unsigned long)hr);
    if (got && got != rep)
        got->lpVtbl->Release(got);
    rep->lpVtbl->Release(rep);
    return hr;
}

HRESULT md_receipt_send_id(md_store *s, st_id mid, ULONG report_flags)
{
    IMessage *msg = NULL;
    HRESULT hr = md_message_open(s, mid, 0, &msg);
    if (hr == S_OK)
        hr = md_receipt_send(s, msg, report_flags);
    if (msg)
        msg->lpVtbl->Release(msg);
    return hr;
}

int md_receipt_nonread_owed(md_store *s, st_id mid, int32_t mf)
{
    if ((mf & (MSGFLAG_NRN_PENDING | MSGFLAG_READ | MSGFLAG_ASSOCIATED)) != MSGFLAG_NRN_PENDING)
        return 0;
    st_bag *b = NULL;
    if (st_message_get(s->st, &b, mid))
        return 0;
    const st_value *rq = st_bag_get(b, PR_READ_RECEIPT_REQUESTED);
    int owed = rq && rq->v.b;
    st_bag_free(b);
    return owed;
}

void md_receipt_send_nonread(md_store *s, const st_id *ids, size_t n)
{
    const md_read_plan none = { .set_read = -1 };
    for (size_t i = 0; i < n; i++) {
        /* Still owed? (listed twice, or read or sent meanwhile: not again) */
        int32_t mf = 0;
        EnterCriticalSection(&s->lock);
        int owed = !st_message_flags(s->st, &mf, NULL, ids[i])
            && md_receipt_nonread_owed(s, ids[i], mf);
        LeaveCriticalSection(&s->lock);
        if (!owed)
            continue;
        HRESULT hr = md_receipt_send_id(s, ids[i], MAPI_NON_READ);
        if (hr != S_OK) {
            /* The user asked for the message to go: it goes, the report
             * with it (MAPI has no later point to send it). */
            ST_LOG_WARN(ST_LOG_PROVIDER, "message %llu deleted without its nonread report"
                " (%#lx): %s", (unsigned long long)ids[i], (unsigned long)hr,
                st_error_last());
            continue;
        }
        /* Sent: no report is owed any more, even if the deletion fails. */
        EnterCriticalSection(&s->lock);
        int code = md_read_plan_apply(s, ids[i], &none,
            MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING);
        LeaveCriticalSection(&s->lock);
        if (code)
            ST_LOG_WARN(ST_LOG_PROVIDER, "message %llu: nonread report sent, its pending bit"
                " not cleared: %s", (unsigned long long)ids[i], st_error_last());
    }
}
