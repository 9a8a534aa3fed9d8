/*
 * spooler.h: the message-flow side of IMsgStore: where mail arrives (the
 * receive-folder table) and how it leaves (the outgoing queue and the
 * methods only the MAPI spooler calls: SetLockState, FinishedMsg,
 * NotifyNewMail; and AbortSubmit, which clients call too).
 *
 * Who may call: the MAPI reference says GetOutgoingQueue, SetLockState,
 * FinishedMsg and NotifyNewMail are "called only by the MAPI spooler", and
 * FinishedMsg answers MAPI_E_NO_SUPPORT "if the caller is not the MAPI
 * spooler". The spooler reaches the store through IMSProvider::SpoolerLogon,
 * which marks its md_store with MD_LOGON_SPOOLER; a store opened with
 * MDB_NO_MAIL ("should not be used for sending or receiving mail") sends
 * nothing. Elsewhere these methods answer MAPI_E_NO_SUPPORT (AbortSubmit
 * too on an MDB_NO_MAIL store: it has no queue).
 *
 * Submitted: a normal top-level message whose PR_MESSAGE_FLAGS has
 * MSGFLAG_SUBMIT (IMessage::SubmitMessage sets it with PR_SUBMIT_FLAGS 0,
 * or SUBMITFLAG_PREPROCESS when MAPI asked for preprocessing: the spooler's
 * own SubmitMessage clears that); locked: PR_SUBMIT_FLAGS has
 * SUBMITFLAG_LOCKED.
 *
 * Never: hold md_store.lock while calling a sink or IMAPISupport::Notify.
 */
#ifndef MAPIDAV_PROVIDER_SPOOLER_H
#define MAPIDAV_PROVIDER_SPOOLER_H

#include "provider/store.h"

/* Private bit of md_store.logon_flags: the store of a SpoolerLogon. No
 * MAPI logon flag uses it (mapidefs.h: MDB_* and MAPI_* logon flags). */
#define MD_LOGON_SPOOLER 0x10000000u

/* How often an outgoing-queue table looks for commits of other processes
 * (st_store_poll); changes made in this process arrive at once. */
#define MD_QUEUE_POLL_MS 1000u

/* IMsgStore::GetReceiveFolderTable: a snapshot, one row per receive-folder
 * entry: PR_MESSAGE_CLASS (PT_UNICODE with MAPI_UNICODE, else PT_STRING8),
 * PR_ENTRYID and PR_RECORD_KEY of the folder (the required columns of the
 * MAPI reference, "Receive Folder Tables"). Flags: MAPI_DEFERRED_ERRORS,
 * MAPI_UNICODE. */
HRESULT md_receive_folder_table(md_store *s, ULONG flags, LPMAPITABLE *out);

/* IMsgStore::GetOutgoingQueue: the submitted messages of the store, sorted
 * by PR_CLIENT_SUBMIT_TIME ascending (SortTable may change it), with the
 * required columns of "Outgoing Queue Tables" (PR_CLIENT_SUBMIT_TIME,
 * PR_DISPLAY_BCC/CC/TO, PR_ENTRYID, PR_MESSAGE_FLAGS, PR_MESSAGE_SIZE,
 * PR_PRIORITY, PR_SENDER_NAME, PR_SUBJECT, PR_SUBMIT_FLAGS; strings
 * PT_UNICODE). Live: a thread of the table's own, with its own storage
 * handle, follows the store's change events and polls for other processes'
 * commits, and the table notifies TABLE_ROW_ADDED/MODIFIED/DELETED; it
 * ends when the last view of the table is released. */
HRESULT md_spooler_outgoing_queue(md_store *s, ULONG flags, LPMAPITABLE *out);

/* IMsgStore::SetLockState: the message's pending changes saved
 * (SaveChanges KEEP_OPEN_READWRITE, as the reference asks), then
 * SUBMITFLAG_LOCKED set or cleared. MAPI_E_NOT_IN_QUEUE when the message
 * is not submitted. */
HRESULT md_spooler_set_lock_state(md_store *s, LPMESSAGE msg, ULONG state);

/* IMsgStore::FinishedMsg: MSGFLAG_SUBMIT, MSGFLAG_UNSENT and
 * PR_SUBMIT_FLAGS cleared, then PR_DELETE_AFTER_SUBMIT deletes the message
 * (for good), else PR_SENTMAIL_ENTRYID (a folder of this store) moves it
 * there, else it stays; one transaction. A PR_SENTMAIL_ENTRYID of another
 * store (or provider): the flags are cleared first, then the folder is
 * opened through IMAPISupport::OpenEntry and the message moved there with
 * IMAPISupport::CopyMessages(MESSAGE_MOVE), as a cross-store
 * IMAPIFolder::CopyMessages does; if that fails its error is returned and
 * the message stays where it was, no longer submitted (nothing lost).
 * IMAPISupport::DoSentMail is not called: it would do the same processing
 * again. */
HRESULT md_spooler_finished_msg(md_store *s, ULONG flags, ULONG cb, LPENTRYID eid);

/* IMsgStore::AbortSubmit: MAPI_E_NOT_IN_QUEUE (gone or not submitted),
 * MAPI_E_UNABLE_TO_ABORT (locked by the spooler), else MSGFLAG_SUBMIT and
 * PR_SUBMIT_FLAGS cleared (MSGFLAG_UNSENT stays: a draft again). */
HRESULT md_spooler_abort_submit(md_store *s, ULONG cb, LPENTRYID eid, ULONG flags);

/* IMsgStore::NotifyNewMail: n (an fnevNewMail notification, not changed)
 * to the clients advised on the whole store, through IMAPISupport::Notify
 * under the store's notification key (its unwrapped entry ID, as
 * IMsgStore::Advise with a NULL entry ID subscribes). */
HRESULT md_spooler_notify_new_mail(md_store *s, LPNOTIFICATION n);

/* 1 when s is the MAPI spooler's store (SpoolerLogon, mail allowed). */
int md_spooler_is_spooler(const md_store *s);

/* IMessage::SubmitMessage's first step on a client's store: "Call
 * SpoolerNotify, passing NOTIFY_READYTOSEND, before your first call to
 * PrepareSubmit ... only once per session" (IMAPISupport::SpoolerNotify,
 * notes to message store providers; NOTIFY_NEWMAIL is the transports'
 * "download new mail" request, not this). Once per store object (a failed
 * call is tried again next time); nothing on the spooler's own store.
 * S_OK or SpoolerNotify's error. No lock held. */
HRESULT md_spooler_ready_to_send(md_store *s);

/* PT_LONG tag of b, 0 when absent. */
int32_t md_bag_long(const st_bag *b, uint32_t tag);

#endif
