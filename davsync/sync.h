/*
 * sync.h: the mail sync engine: down-sync of a WebDAV mail tree into the
 * offline store (RFC 6578 sync-collection where a collection offers it,
 * else PROPFIND Depth 1 diffed against the stored map; folders whose
 * CS:getctag is unchanged since their last complete sync are skipped), and
 * the up-sync of the journal, driven from one thread (the sync thread).
 *
 *   ds_sync_counts c;
 *   ds_sync_once(&c, &(ds_sync_config){ .mail_url = ..., .store_path = ... });
 *
 * or, step by step: ds_sync_open, ds_sync_folders, ds_sync_folder_down for
 * each folder (ds_sync_folder_list gives them Inbox first), ds_sync_close.
 *
 * Invariants: server data goes in with ST_FROM_SERVER only (never
 * journaled); an item is stored with its ETag last, in one transaction with
 * its attachments, so an interrupted sync resumes by construction (what is
 * stored with the server's ETag is skipped, what is not is fetched again
 * and upserted by href, never duplicated); a message or folder with a
 * pending local change is never overwritten or deleted here (kept, logged;
 * conflicts are the up-sync slice's business).
 * Never: hold a whole large message in memory (bodies stream through the
 * MIME parser; attachment bytes are spooled, see sync_down.c), follow an
 * href outside the mail root, call COM.
 */
#ifndef MAPIDAV_DAVSYNC_SYNC_H
#define MAPIDAV_DAVSYNC_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "davsync/http.h"
#include "storage/storage.h"

/* Special folders found by well-known names among the mail root's children. */
typedef enum ds_folder_role {
    DS_ROLE_NONE = 0,
    DS_ROLE_INBOX,          /* "Inbox" */
    DS_ROLE_SENT,           /* "Sent Items", "Sent", "Sent Messages" */
    DS_ROLE_DRAFTS,         /* "Drafts" */
    DS_ROLE_DELETED,        /* "Deleted Items", "Trash", "Deleted Messages" */
    DS_ROLE_JUNK,           /* "Junk", "Junk E-Mail", "Junk Email", "Spam" */
    DS_ROLE_COUNT
} ds_folder_role;

/* "inbox", "sent", "drafts", "deleted", "junk"; "" for DS_ROLE_NONE. */
const char *ds_folder_role_name(ds_folder_role role);

typedef struct ds_sync_counts {
    uint64_t folders;           /* server collections seen (the root excluded) */
    uint64_t folders_created;   /* local folders made for new collections */
    uint64_t folders_deleted;   /* local folders removed (gone on the server) */
    uint64_t folders_kept;      /* gone on the server, kept for pending local changes */
    uint64_t folders_skipped;   /* not listed: getctag unchanged since the last sync */
    uint64_t items;             /* server messages listed (a sync-collection delta
                                   lists only those changed) */
    uint64_t new_items;         /* fetched and created */
    uint64_t changed;           /* fetched again (ETag changed) and replaced */
    uint64_t flags;             /* read / flag state changed without a new ETag */
    uint64_t deleted;           /* removed locally (gone on the server) */
    uint64_t kept;              /* left alone: pending local change */
    uint64_t failed;            /* fetch or store failed (fetched again next time) */
    uint64_t gets;              /* GET requests sent */
    uint64_t bytes;             /* bytes of message bodies received */
    /* up (ds_sync_up) */
    uint64_t up_done;           /* journal entries carried out and acknowledged */
    uint64_t up_conflicts;      /* 412: server won, local copy in Sync Issues/Conflicts */
    uint64_t up_refused;        /* 403/404/507/...: item in Sync Issues/Local Failures */
    uint64_t up_bytes;          /* bytes of message bodies sent */
} ds_sync_counts;

typedef struct ds_sync_progress {
    const char *phase;          /* "folders", "list", "fetch", "done"; "up" for
                                   ds_sync_up (folder NULL, done/total: journal
                                   entries settled / pending at its start) */
    const char *folder;         /* folder's display name, or NULL */
    uint64_t done;              /* items fetched in this folder so far */
    uint64_t total;             /* items to fetch in this folder */
    const ds_sync_counts *counts; /* running totals */
    uint64_t bytes_left;        /* "fetch": bytes still to come in this folder, as the
                                   listing gave their sizes (0 where it gave none) */
} ds_sync_progress;

/* Called on the syncing thread; keep it short. */
typedef void (*ds_sync_progress_fn)(void *arg, const ds_sync_progress *p);

typedef struct ds_sync_config {
    const char *mail_url;       /* the account's mail root collection (required) */
    const char *user;           /* NULL: no credentials */
    const char *password;
    const char *ca_file;        /* PEM bundle, or NULL: the system's */
    int insecure_tls;           /* the account's explicit exception */
    int max_connections;        /* parallel GETs; 0: 6 */
    const char *store_path;     /* <guid>.sqlite; created when missing (required) */
    const char *catalog_path;   /* catalog.sqlite or NULL; when given, special
                                   folders are recorded there as settings
                                   "store.{GUID}.folder.ROLE" = folder id (decimal).
                                   Inbox is always the store's receive folder. */
    unsigned budget_ms;         /* import batch length; 0: 50 */
    ds_http *http;              /* a client to use (borrowed; the caller may
                                   ds_http_abort it from another thread), or NULL:
                                   one is made from the fields above */
    ds_sync_progress_fn progress;
    void *progress_arg;
} ds_sync_config;

typedef struct ds_sync ds_sync;

/* Opens the store (creating it and its root / IPM subtree when missing) and
 * the HTTP client. cfg's strings are copied. */
int ds_sync_open(ds_sync **out, const ds_sync_config *cfg);
void ds_sync_close(ds_sync *s);   /* NULL-safe */

/* The server's collection tree -> the folder tree under the IPM subtree. */
int ds_sync_folders(ds_sync *s, ds_sync_counts *c);

/* Folders with a collection URL, Inbox first, then the tree in order.
 * *out malloc'd (free()). */
int ds_sync_folder_list(ds_sync *s, st_id **out, size_t *n);

/* One folder: list, diff, fetch, store, delete. DS_ECANCELLED after
 * ds_http_abort; what was stored before stays. Skipped (0, no request)
 * when the last ds_sync_folders listed a ctag equal to the one stored at
 * the folder's last complete down-sync. The sync token and the ctag are
 * stored only when the folder completed (nothing failed, nothing kept). */
int ds_sync_folder_down(ds_sync *s, st_id fid, ds_sync_counts *c);

/* Replays the store's journal to the server, in order (sync_up.c): new
 * message -> PUT If-None-Match: *, changed -> PUT If-Match, read/flags ->
 * PROPPATCH, delete -> MOVE to Deleted Items (ST_HARD_DELETE: DELETE),
 * move -> MOVE Overwrite: F, folders -> MKCOL / MOVE / DELETE; new items,
 * changes and read flags of distinct messages in parallel. A 412 is a
 * conflict (the server version wins in place, the local one is kept in
 * Sync Issues/Conflicts with a note in Sync Issues); a refusal puts a copy
 * in Sync Issues/Local Failures with a note and leaves the entry refused
 * (st_journal_refuse; not retried, never dropped). Sync Issues and Outbox
 * stay local. Adds to c's up_* counts. Call it before ds_sync_folders and
 * the down-sync of a pass (then a folder deleted here is gone there before
 * the listing); without ds_sync_folders in this session the special
 * folders are found in the local tree. 0; DS_ECANCELLED after
 * ds_http_abort; DS_ENETWORK / DS_ETIMEOUT / DS_EHTTP (5xx) / DS_EAUTH /
 * store errors stop it: what was done is acknowledged, the rest stays
 * pending. Keep the ds_sync open from pass to pass: an entry that meets a
 * server error in three runs in a row is then refused instead of holding
 * back the journal. What is left per folder: st_journal_by_folder. */
int ds_sync_up(ds_sync *s, ds_sync_counts *c);

/* Sync Issues under the IPM subtree and its Conflicts, Local Failures and
 * Server Failures, made when missing (ST_FROM_SERVER: local, never
 * uploaded; what PR_ADDITIONAL_REN_ENTRYIDS names): out[0..3] in that
 * order. ds_sync_up makes them when it first needs them; call this to
 * have them from the start. */
int ds_sync_issue_folders(ds_sync *s, st_id out[4]);

/* The folder holding role, 0 if none was found. */
st_id ds_sync_role_folder(const ds_sync *s, ds_folder_role role);
/* The IPM subtree ("Top of Information Store"). */
st_id ds_sync_ipm_subtree(const ds_sync *s);
/* The store handle (borrowed; the syncing thread's). */
st_store *ds_sync_store(ds_sync *s);

/* open + folders + every folder down (Inbox first) + close. *out (may be
 * NULL) gets the counts, also on failure. Returns 0, or the first error
 * (a failed folder does not stop the others, except DS_ECANCELLED and
 * DS_EAUTH, which stop everything). */
int ds_sync_once(ds_sync_counts *out, const ds_sync_config *cfg);

#endif /* MAPIDAV_DAVSYNC_SYNC_H */
