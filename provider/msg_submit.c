/*
 * msg_submit.c: IMessage::SubmitMessage and IMessage::SetReadFlag.
 * SubmitMessage does the store's part of sending ("Sending Messages:
 * Message Store Provider Tasks"): recipients required, SpoolerNotify
 * (NOTIFY_READYTOSEND) once, PrepareSubmit for a resend, ExpandRecips,
 * MSGFLAG_SUBMIT, PR_CLIENT_SUBMIT_TIME, PR_RESPONSIBILITY, PR_SUBMIT_FLAGS
 * (SUBMITFLAG_PREPROCESS when asked), saved into the outgoing queue
 * (spooler.h). SetReadFlag manages read reports through
 * IMAPISupport::ReadReceipt (receipt.h). Not done: SubmitMessage on an
 * embedded message (MAPI_E_NO_SUPPORT: only top-level messages are sent).
 * Never: write to storage but in SetReadFlag of a saved message, as MAPI
 * defines it (SubmitMessage goes through SaveChanges); call MAPI
 * (IMAPISupport) with the store's lock held.
 */
#include <stdint.h>

#include "provider/memtable.h"
#include "provider/message_int.h"
#include "provider/receipt.h"
#include "provider/shutdown.h"
#include "provider/spooler.h"

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
HRESULT STDMETHODCALLTYPE md_msg__SubmitMessage(IMessage *iface, ULONG flags)
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
    st_bag *b = md_msg__message_props(m, &hr);
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
            ? MAPI_E_NOT_ENOUGH_MEMORY : md_msg__message_write(m, set, NULL, 0);
        st_bag_free(set);
        return hr == S_OK ? md_msg__SaveChanges(iface, KEEP_OPEN_READWRITE) : hr;
    }
    EnterCriticalSection(&s->lock);
    hr = md_msg__rcp_load(m);
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
        hr = md_msg__message_write(m, set, NULL, 0);
    if (hr == S_OK)
        hr = s->sup->lpVtbl->ExpandRecips(s->sup, iface, &expand);
    if (hr == S_OK) {
        EnterCriticalSection(&s->lock);
        hr = md_msg__rcp_load(m);
        for (size_t i = 0; hr == S_OK && i < m->n_rcp; i++)
            if (st_bag_set_bool(m->rcp[i], PR_RESPONSIBILITY, 0))
                hr = MAPI_E_NOT_ENOUGH_MEMORY;
        m->rcp_dirty = 1;
        md_memtable *held = NULL;
        md_msg__table_update(m, 0, 0, SIZE_MAX, &held);   /* the live recipient table follows */
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
        hr = md_msg__message_write(m, set, NULL, 0);
    st_bag_free(set);
    if (hr == S_OK)
        hr = md_msg__SaveChanges(iface, KEEP_OPEN_READWRITE);
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
HRESULT STDMETHODCALLTYPE md_msg__SetReadFlag(IMessage *iface, ULONG flags)
{
    MD_SHUT_GATE();
    md_message *m = impl(iface);
    md_store *s = m->store;
    HRESULT hr = md_read_flags_check(flags);
    if (hr != S_OK)
        return hr;
    st_bag *b = md_msg__message_props(m, &hr);
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
