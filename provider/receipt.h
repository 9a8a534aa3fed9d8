/*
 * receipt.h: read and nonread reports, as IMessage::SetReadFlag and
 * IMAPIFolder::SetReadFlags manage them (MAPI reference: IMessage::
 * SetReadFlag, IMAPISupport::ReadReceipt; [MS-OXCMSG] 2.2.1.6 for the
 * PR_MESSAGE_FLAGS bits, 2.2.3.10.1 for the read flags).
 *
 * A report is owed when PR_READ_RECEIPT_REQUESTED is set and
 * MSGFLAG_RN_PENDING (read report) is in PR_MESSAGE_FLAGS; it is sent once:
 * the bit goes when the report went (IMAPISupport::ReadReceipt on an empty
 * message of ours, which is then submitted), or when the client cancels it
 * (SUPPRESS_RECEIPT, CLEAR_RN_PENDING). MSGFLAG_NRN_PENDING (a nonread
 * report owed if the message goes unread) is cleared when the message is
 * read or by CLEAR_NRN_PENDING; SetReadFlag never sends a nonread report
 * (MAPI defines none there: CLEAR_READ_FLAG "no read report should be
 * sent"). A message deleted unread with MSGFLAG_NRN_PENDING and
 * PR_READ_RECEIPT_REQUESTED owes one ([MS-OXCMSG] 2.2.1.6 mfNotifyUnread):
 * IMAPIFolder::DeleteMessages, EmptyFolder and DeleteFolder(DEL_MESSAGES)
 * send it before the message goes (md_receipt_send_nonread); if it fails
 * the message is deleted anyway (a warning logged). MDB_NO_MAIL: none.
 * Never: call IMAPISupport or a message method with md_store.lock held.
 */
#ifndef MAPIDAV_PROVIDER_RECEIPT_H
#define MAPIDAV_PROVIDER_RECEIPT_H

#include "provider/store.h"

/* The flags SetReadFlag(s) know (MESSAGE_DIALOG aside). */
#define MD_READ_FLAGS (SUPPRESS_RECEIPT | CLEAR_READ_FLAG | MAPI_DEFERRED_ERRORS \
    | GENERATE_RECEIPT_ONLY | CLEAR_RN_PENDING | CLEAR_NRN_PENDING)

/* What SetReadFlag(flags) does to one message. */
typedef struct md_read_plan {
    int set_read;          /* 1 set MSGFLAG_READ, 0 clear it, -1 leave it */
    int send;              /* 1: a read report is owed: md_receipt_send */
    int32_t clear_bits;    /* MSGFLAG_RN_PENDING / MSGFLAG_NRN_PENDING to clear now
                              (those of a report to send: only once it went) */
    int clear_requested;   /* PR_READ_RECEIPT_REQUESTED to FALSE */
} md_read_plan;

/* S_OK, MAPI_E_UNKNOWN_FLAGS, or MAPI_E_INVALID_PARAMETER for the
 * combinations the reference refuses (SUPPRESS_RECEIPT | CLEAR_READ_FLAG,
 * CLEAR_READ_FLAG | GENERATE_RECEIPT_ONLY). */
HRESULT md_read_flags_check(ULONG flags);

/* The plan for a message of store s whose PR_MESSAGE_FLAGS is mf and
 * PR_READ_RECEIPT_REQUESTED requested (flags checked). A store opened with
 * MDB_NO_MAIL ("should not be used for sending or receiving mail", e.g.
 * the search indexer's) sends no report: it stays owed.
 *  - 0 (or SUPPRESS_RECEIPT): set read; a pending read report is sent
 *    (cancelled with SUPPRESS_RECEIPT); the nonread report is no longer due;
 *  - CLEAR_READ_FLAG: clear read, no report;
 *  - GENERATE_RECEIPT_ONLY: the pending read report is sent, read unchanged;
 *    with SUPPRESS_RECEIPT: PR_READ_RECEIPT_REQUESTED cleared, no report;
 *  - CLEAR_RN_PENDING / CLEAR_NRN_PENDING: the bit cleared, no report, the
 *    read state unchanged ([MS-OXCMSG] rfClearNotifyRead/Unread) unless
 *    SUPPRESS_RECEIPT also asks to set it. */
void md_read_plan_make(md_read_plan *p, const md_store *s, ULONG flags, int32_t mf,
    int requested);

/* Sends the report on msg (read, or nonread with MAPI_NON_READ): an empty
 * message of the store's Outbox, PR_DELETE_AFTER_SUBMIT set, handed to
 * IMAPISupport::ReadReceipt, then submitted; on failure it is released
 * unsaved and the error returned (the report stays owed). No lock held. */
HRESULT md_receipt_send(md_store *s, IMessage *msg, ULONG report_flags);

/* Applies plan p (set_read, clear_bits, clear_requested; extra_bits also
 * cleared) to saved message mid in storage, under s->lock, the caller's
 * transaction or its own: 0 or a storage code. */
int md_read_plan_apply(md_store *s, st_id mid, const md_read_plan *p, int32_t extra_bits);

/* md_receipt_send on saved message mid (opened read-only for the
 * report, then released). No lock held. */
HRESULT md_receipt_send_id(md_store *s, st_id mid, ULONG report_flags);

/* Deleting message mid (its stored flags mf, as st_message_flags gives
 * them) owes a nonread report: MSGFLAG_NRN_PENDING set, MSGFLAG_READ not,
 * a normal message, and PR_READ_RECEIPT_REQUESTED (its properties are read
 * only when the bits say so). Under s->lock; 1 or 0 (0 too when it cannot
 * be read). The store's MDB_NO_MAIL is the caller's to test. */
int md_receipt_nonread_owed(md_store *s, st_id mid, int32_t mf);

/* The nonread reports of messages ids[0..n) about to be deleted (those
 * md_receipt_nonread_owed chose, asked again here), before they go: each sent with
 * MAPI_NON_READ, then its pending bits (MSGFLAG_RN_PENDING,
 * MSGFLAG_NRN_PENDING) cleared, so it goes once even if the deletion then
 * fails. A report that fails does not stop the deletion (the user asked
 * for it): a warning in the log names the message and the reason. No lock
 * held; takes s->lock for each clearing only. */
void md_receipt_send_nonread(md_store *s, const st_id *ids, size_t n);

#endif
