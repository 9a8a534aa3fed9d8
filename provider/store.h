/*
 * store.h: the objects of one logon, shared by the provider's files: the
 * IMsgStore (md_store, which owns the storage handle), the IMSLogon over it,
 * the folders it opens, and the default folders made at the first logon.
 *
 * Private property tag, in the profile section of our store provider (what
 * the service entry writes; MAPI gives it to Logon through
 * IMAPISupport::OpenProfileSection(NULL)):
 *   PR_MAPIDAV_STORE_PATH_W  PT_UNICODE 0x6770  full path of the store file
 * 0x6600-0x67FF is the provider-defined, non-transmittable range of
 * [MS-OXPROPS] 1.3.1; 0x6770 is not used by Outlook as far as its headers
 * (MFCMAPI's extraPropTags.h) tell.
 *
 * Threads: every storage call of a store, from whichever thread MAPI calls
 * us on, is made with md_store.lock held, through the store's one handle
 * (md_store.st); background threads (notifier, outgoing queue) open their
 * own. Chosen over a read handle per calling thread, and why it is safe:
 * - What ties a handle to a thread (storage.h) is, in storage's code:
 *   SQLite opened SQLITE_OPEN_NOMUTEX (multi-thread mode: a connection may
 *   move between threads but must never be used by two at once), the
 *   per-thread st_error_last (error.c, _Thread_local: set and read by the
 *   same thread within one locked call, so still right), and listeners
 *   called on the committing thread (notify.h, table.c take no lock of ours
 *   there). Nothing else (log.c's thread state is SMTP's). The lock gives
 *   exactly "never two at once": the handle is safe to share.
 * - Objects opened from the handle (st_table, streams, bags of messages)
 *   live as long as MAPI objects that different threads call: per-thread
 *   handles would need every such object tied to one handle, not to the
 *   calling thread, so the lock would stay for them anyway.
 * - Measured (test_provider_threads "# BENCH" lines, under Wine on the
 *   shared 2-core machine at load 7; a "read" is a QueryRows of 50 rows or
 *   an OpenEntry + GetProps of a message, 1 QueryRows to 5 opens; four
 *   to eight runs): 1 thread, 360 reads: 50-280 ms CPU (process), 130-1330
 *   ms wall; 4 threads, 1440 reads: 300-570 ms CPU, 720-3760 ms wall; 4
 *   readers and a writer saving 50-90 messages meanwhile: 140-460 ms CPU,
 *   360-1300 ms wall, every call succeeding. CPU per read is 0.2-0.4 ms
 *   with four threads queued on the lock against 0.15-0.8 ms alone (no
 *   cost of contention shows); wall time follows what the other builds on
 *   the machine leave us. A call holds the lock about a millisecond at
 *   most, so Outlook's UI thread waits about one call; parallel WAL readers
 *   would gain at most the second core, for a handle per thread and per
 *   object.
 * Lock order: md_store.lock, then a table's sink_lock, then storage's bus
 * mutex; the registries of shutdown.h are leaves. Never hold md_store.lock
 * while waiting for a thread (shutdown.h, md_store_stop) or calling MAPI.
 * Never: hand storage's memory to MAPI (convert through propconv.h) or keep
 * a MAPI buffer beyond the call that gave it.
 */
#ifndef MAPIDAV_PROVIDER_STORE_H
#define MAPIDAV_PROVIDER_STORE_H

#include <windows.h>
#include <mapidefs.h>
#include <mapispi.h>
#include <mapicode.h>

#include "storage/storage.h"
#include "storage/props_tags.h"
#include "provider/propconv.h"

#define PR_MAPIDAV_STORE_PATH_W PROP_TAG(PT_UNICODE, 0x6770)

/* PR_STORE_SUPPORT_MASK and PR_STORE_UNICODE_MASK of the store and its
 * folders: the contract the finished store keeps (MAPI-NOTES.md, as
 * Kopano's private store); Outlook reads it once, at logon. */
#define MD_STORE_MASK (STORE_ENTRYID_UNIQUE | STORE_SEARCH_OK | STORE_MODIFY_OK \
    | STORE_CREATE_OK | STORE_ATTACH_OK | STORE_OLE_OK | STORE_SUBMIT_OK \
    | STORE_NOTIFY_OK | STORE_MV_PROPS_OK | STORE_CATEGORIZE_OK | STORE_RTF_OK \
    | STORE_RESTRICTION_OK | STORE_SORT_OK | STORE_HTML_OK | STORE_UNICODE_OK)


/* The default folders (defaults.c). */
enum {
    MD_DF_ROOT,
    MD_DF_IPM_SUBTREE,
    MD_DF_INBOX,
    MD_DF_OUTBOX,
    MD_DF_SENT,
    MD_DF_DELETED,
    MD_DF_DRAFTS,
    MD_DF_JUNK,
    MD_DF_CALENDAR,
    MD_DF_CONTACTS,
    MD_DF_TASKS,
    MD_DF_NOTES,
    MD_DF_JOURNAL,
    MD_DF_SYNC_ISSUES,
    MD_DF_CONFLICTS,
    MD_DF_LOCAL_FAILURES,
    MD_DF_SERVER_FAILURES,
    MD_DF_VIEWS,
    MD_DF_COMMON_VIEWS,
    MD_DF_FINDER,
    MD_DF_COUNT
};

typedef struct md_store {
    IMsgStore iface;           /* first: an IMsgStore * is an md_store * */
    LONG refs;
    CRITICAL_SECTION lock;     /* around every storage call */
    st_store *st;              /* owned */
    st_guid guid;              /* the store file's GUID */
    LPMAPISUP sup;             /* AddRef'd */
    md_alloc alloc;
    ULONG logon_flags;
    LONG ready_to_send;        /* SpoolerNotify(NOTIFY_READYTOSEND) done (spooler.h) */
    int logged_off;            /* StoreLogoff / IMSLogon::Logoff done (md_store_stop) */
    LONG stopping;             /* md_store_stop under way: storage work (a TBL_ASYNC
                                  sort) is cancelled; read without the lock */
    char *display_name;        /* UTF-8, owned: PR_DISPLAY_NAME_W of the profile
                                  section, or NULL ("mapidav") */
    st_id fid[MD_DF_COUNT];
    struct md_notifier *notify;   /* notify.h: listener and notification thread, owned;
                                     NULL after md_store_stop (under lock) */
} md_store;

/* Finds or makes the default folders, their container classes and the
 * receive folders (defaults.c). 0 or a storage code. */
int md_defaults_ensure(st_store *st, st_id fid[MD_DF_COUNT]);

/* Sets tag to the entry ID of object id of kind (MD_EID_*) in s: 0 or -1
 * (out of memory). */
int md_bag_set_eid(st_bag *b, ULONG tag, const md_store *s, unsigned kind, st_id id);

/* The default-folder entry IDs the root and the Inbox carry
 * (PR_IPM_*_ENTRYID, PR_ADDITIONAL_REN_ENTRYIDS), and those the store
 * carries (PR_VIEWS, PR_COMMON_VIEWS, PR_FINDER _ENTRYID), set in b:
 * 0 or -1 (out of memory). defaults.c. */
int md_defaults_folder_eids(st_bag *b, const md_store *s);
int md_defaults_store_eids(st_bag *b, const md_store *s);

/* A storage code -> the MAPI error it means. */
HRESULT md_hr_from_st(int code);

/* Opens the store file at path (UTF-8): md_store with one reference, the
 * default folders made. sup is AddRef'd. */
HRESULT md_store_create(md_store **out, const char *path, LPMAPISUP sup,
    const md_alloc *alloc, ULONG flags);

/* The unwrapped store entry ID, and the same wrapped by
 * IMAPISupport::WrapStoreEntryID (buffers from alloc.buffer). */
HRESULT md_store_entryid(md_store *s, int wrapped, ULONG *cb, LPENTRYID *eid);

/* Object-open shared by IMsgStore and IMSLogon: NULL opens the root. */
HRESULT md_store_open_entry(md_store *s, ULONG cb, LPENTRYID eid, LPCIID iface,
    ULONG flags, ULONG *obj_type, LPUNKNOWN *out);

/* CompareEntryIDs shared by the store and the logon. */
HRESULT md_store_compare_entryids(md_store *s, ULONG cb1, LPENTRYID eid1, ULONG cb2,
    LPENTRYID eid2, ULONG flags, ULONG *result);

/* A new folder object for fid (md_store AddRef'd): MAPI_E_NOT_FOUND when
 * fid is not a folder of the store. */
HRESULT md_folder_open(md_store *s, st_id fid, IMAPIFolder **out);

/* The IMSLogon over s (AddRef'd). */
HRESULT md_logon_create(md_store *s, IMSLogon **out);

/* The IMSProvider made by MSProviderInit. */
HRESULT md_provider_create(const md_alloc *alloc, IMSProvider **out);

#endif
