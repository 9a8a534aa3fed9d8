/*
 * shutdown.h: the provider's lifecycle registry: the background threads of
 * the provider (a store's notification thread, notify.c; a table's delivery
 * thread, table.c; an outgoing queue's worker, spooler.c) and the open
 * stores, so that StoreLogoff / IMSLogon::Logoff, IMSProvider::Shutdown and
 * fast shutdown (IMAPIProviderShutdown, Outlook 2010 and later) can stop
 * them, and so that a thread that frees its own object (a sink released the
 * last reference from inside a notification) is still joined, not left
 * running, before the DLL may be unloaded.
 *
 * A background thread, by protocol:
 *  - its starter calls md_bg_add(owner, thread, tid, wake) once it exists
 *    (owner: the md_store it works for, a key only, never dereferenced);
 *  - its loop also ends when md_bg_stopping() says so (then it leaves its
 *    object as its own stop would find it: the owner still joins and frees);
 *  - as the last thing that touches its wake event (before it frees its
 *    object, when it does), it calls md_bg_leave();
 *  - the owner that joins it calls md_bg_remove(tid) after the join; a
 *    thread that freed its own object is joined by md_bg_reap(), which
 *    IMSProvider::Shutdown, the provider's last Release and DoFastShutdown
 *    call.
 * A thread the registry could not hold (out of memory) still stops with its
 * owner, only not at Logoff or fast shutdown.
 *
 * Fast shutdown (md_fast_shutdown, IMAPIProviderShutdown::DoFastShutdown):
 * every registered thread is told to stop and waited for (MD_BG_STOP_MS in
 * all), every open store is stopped (md_store_stop) and passed through its
 * lock, so no storage call is in flight when it returns; storage writes are
 * SQLite transactions, atomic and durable at commit, so the files are
 * consistent whenever the process ends after that. The store, logon and
 * provider then answer MAPI_E_CALL_FAILED (md_shutdown_done), and so does
 * every method but QueryInterface, AddRef and Release of the folders,
 * messages, attachments, streams and lock-bytes opened before
 * (MD_SHUT_GATE at each method's door: no storage call); they keep their
 * storage handles until released. Tables (table.c, memtable.c) too, but
 * for Unadvise (a client may still let go of its sinks).
 *
 * Locks: the registry's own SRW lock is a leaf (held to copy, never while
 * waiting for a thread or calling storage or MAPI).
 * Never: wait for the calling thread itself; touch a wake event after its
 * thread called md_bg_leave.
 */
#ifndef MAPIDAV_PROVIDER_SHUTDOWN_H
#define MAPIDAV_PROVIDER_SHUTDOWN_H

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>

#include "provider/mapi_extra.h"

struct md_store;

/* How long Logoff and fast shutdown wait for background threads, in all. */
#define MD_BG_STOP_MS 1000u

/* ---- Background threads */

/* Registers thread (its handle is duplicated: the caller keeps its own),
 * id tid, woken by wake (an event its loop waits on), working for owner. */
void md_bg_add(const void *owner, HANDLE thread, DWORD tid, HANDLE wake);

/* The calling thread's loop should end: fast shutdown began, or its owner
 * was stopped (md_bg_stop). */
int md_bg_stopping(void);

/* The calling thread will not touch its wake event again. */
void md_bg_leave(void);

/* The owner joined thread tid: forget it. */
void md_bg_remove(DWORD tid);

/* Tells the threads of owner (NULL: all) to stop, wakes them, and waits
 * for them, except the calling thread, up to timeout_ms in all. The number
 * still running afterwards. */
size_t md_bg_stop(const void *owner, DWORD timeout_ms);

/* Joins the threads that left after freeing their own object (except the
 * calling thread). */
void md_bg_reap(void);

/* ---- Stores and fast shutdown */

/* An open store (msgstore.c: at create / at its last Release). */
void md_lifecycle_store_add(struct md_store *s);
void md_lifecycle_store_remove(struct md_store *s);

/* StoreLogoff, IMSLogon::Logoff and fast shutdown: the store's notifier
 * stopped and joined, its tables' and queues' threads stopped
 * (md_bg_stop), s->logged_off set. Any thread; no lock of ours held. The
 * store stays usable for calls that need no background work. msgstore.c. */
void md_store_stop(struct md_store *s);

/* IMAPIProviderShutdown::DoFastShutdown (see the top comment). */
void md_fast_shutdown(void);

/* 1 once md_fast_shutdown began. */
int md_shutdown_done(void);

/* The first statement of a method that must not run after fast shutdown:
 * returns MAPI_E_CALL_FAILED from it then. */
#define MD_SHUT_GATE() do { \
        if (md_shutdown_done()) \
            return MAPI_E_CALL_FAILED; \
    } while (0)

#endif
