/*
 * notify.h: MAPI notifications of a store (IMsgStore::Advise, IMSLogon::Advise)
 * through IMAPISupport::Subscribe / Unsubscribe / Notify, fed by storage's
 * change listener (st_store_listen), so changes committed by any thread of
 * the process (Outlook's calls, the sync thread with its own st_store
 * handle) reach Outlook's advise sinks.
 *
 * Notification keys (NOTIFKEY.ab): the 48-byte entry ID of the object as
 * entryid.h writes it; Advise with a NULL entry ID ("the entire message
 * store", IMsgStore::Advise) uses the store's own (unwrapped) entry ID.
 * Each storage event is notified under the object's key, its folder's key
 * (and the folder it left, for a move) and the store's key; a message event
 * also raises fnevObjectModified for its folder (its counts changed), once
 * per folder and batch.
 *
 * Events -> MAPI: ST_EV_CREATED fnevObjectCreated (fnevObjectCopied when the
 * provider marked the new object as a copy, md_notify_copied),
 * ST_EV_MODIFIED fnevObjectModified, ST_EV_DELETED fnevObjectDeleted,
 * ST_EV_MOVED fnevObjectMoved (the same entry ID, old parent given),
 * ST_EV_NEWMAIL fnevNewMail (PR_MESSAGE_CLASS as Unicode, PR_MESSAGE_FLAGS),
 * ST_EV_EXTERNAL (another process wrote the file) fnevObjectModified on the
 * store.
 *
 * Threads and locks: storage calls listeners on the committing thread with
 * its bus mutex held, often while that thread holds md_store.lock. A sink
 * may call back into the provider, so Notify is never called there: the
 * listener only copies the events into a queue (a leaf lock, held for a copy)
 * and wakes the store's notification thread, which calls Notify holding no
 * lock of ours. That thread has its own st_store handle (storage.h: a handle
 * per thread) to read what fnevNewMail carries, and polls it every
 * MD_NOTIFY_POLL_MS with st_store_poll, so commits of other processes
 * (Windows Search's host, the CLI) arrive within that time (a timer, not
 * "the next call": Outlook may make no call for minutes). Delivery is
 * asynchronous, as MAPI's own notifications are.
 * Never: call Notify, or anything that may call back into MAPI, from the
 * listener; hold md_store.lock while calling Notify.
 */
#ifndef MAPIDAV_PROVIDER_NOTIFY_H
#define MAPIDAV_PROVIDER_NOTIFY_H

#include <windows.h>
#include <mapidefs.h>
#include <mapispi.h>

#include "storage/storage.h"

#define MD_NOTIFY_POLL_MS 1000u

typedef struct md_notifier md_notifier;
struct md_store;

/* Starts the notifier of the store file at path (UTF-8, the same string the
 * store was opened with: storage's listener bus is keyed by it): its thread,
 * its storage handle and its listener, all ready when this returns. sup is
 * AddRef'd. S_OK, or a MAPI error (nothing left running). */
HRESULT md_notify_start(md_notifier **out, const char *path, const st_guid *guid,
    LPMAPISUP sup);

/* Stops the thread (events not yet delivered are dropped), removes the
 * listener, closes its handle, releases sup. NULL-safe. From the
 * notification thread itself (a sink releasing the last reference) it does
 * not wait: the thread ends and frees the notifier on its way out. */
void md_notify_stop(md_notifier *n);

/* IMsgStore::Advise / IMSLogon::Advise: eid NULL (cb 0) is the whole store.
 * S_OK with *conn from IMAPISupport::Subscribe; MAPI_E_INVALID_PARAMETER
 * (no sink, no conn, an empty mask), MAPI_E_INVALID_ENTRYID (not one of
 * this store's entry IDs). */
HRESULT md_notify_advise(struct md_store *s, ULONG cb, LPENTRYID eid, ULONG mask,
    LPMAPIADVISESINK sink, ULONG *conn);

/* IMsgStore::Unadvise / IMSLogon::Unadvise: IMAPISupport::Unsubscribe. */
HRESULT md_notify_unadvise(struct md_store *s, ULONG conn);

/* The object new_id (ST_JKIND_*), about to be committed, is a copy of
 * old_id, which is in old_folder: its ST_EV_CREATED is announced as
 * fnevObjectCopied. Call it inside the transaction that makes the copy
 * (ids are never reused, so the mark of a transaction that failed is
 * harmless; at most MD_NOTIFY_MAX_COPIES are kept, the oldest dropped).
 * 0, or -1 when out of memory (then it is announced as created). n may be
 * NULL (nothing done). */
#define MD_NOTIFY_MAX_COPIES 4096u
int md_notify_copied(md_notifier *n, int kind, st_id new_id, st_id old_id, st_id old_folder);

#endif
