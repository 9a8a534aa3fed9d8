/*
 * sync_int.h: what the sync engine's files share (sync.c, sync_folders.c,
 * sync_down.c, sync_up.c, sync_issues.c): the ds_sync struct, the
 * per-folder sync state's marker, the listed ctags. Not for other modules.
 *
 * Invariant: a ds_sync, its store handle and its HTTP client belong to the
 * thread that opened it. Never: expose these structs outside davsync/.
 */
#ifndef MAPIDAV_DAVSYNC_SYNC_INT_H
#define MAPIDAV_DAVSYNC_SYNC_INT_H

#include "davsync/sync.h"
#include "davsync/xml.h"

/* The token field of a folder's sync state holds this instead of an RFC
 * 6578 token once its collection refused sync-collection (501, 405, 403 or
 * 400 to a REPORT without a token, as Apache does): from then on the folder
 * is listed with PROPFIND and the server is not asked again. Not a token
 * any server would hand out (tokens are the server's URIs; this scheme is
 * ours). Cleared with the ctag when the folder listing attaches a folder
 * to a collection (sync_folders.c); a folder whose URL changes otherwise
 * keeps it (a token that became invalid is refused and the folder listed
 * in full, see sync_down.c). */
#define DS_SYNC_NO_REPORT "mapidav:no-sync-collection"

/* A folder's members as a Depth 1 listing (PROPFIND of ds_sync__list_props)
 * gave them, ready for its down-sync (sync_down.c). The tree walk keeps its
 * listing of a collection so that the down-sync need not ask the server
 * the same again (sync_folders.c). */
typedef struct ds_sync__members ds_sync__members;
/* For the collection coll_url (copied); NULL when out of memory. */
ds_sync__members *ds_sync__members_new(const char *coll_url);
/* Takes one response of the listing (what is not a direct member is left
 * out, as in the down-sync's own listing): 0, or ST_ERROR (out of memory). */
int ds_sync__members_add(ds_sync__members *m, const ds_ms_response *r);
size_t ds_sync__members_count(const ds_sync__members *m);
void ds_sync__members_free(ds_sync__members *m);   /* NULL-safe */

/* An empty folder's members fetched and stored while the tree walk's
 * listing of its collection still comes in (sync_folders.c starts one for
 * the Inbox, so that a first download begins during the walk instead of
 * after it). Fetched and stored as the down-sync would (same GETs, same
 * storing, counted in c), except a member whose message was moved away
 * locally and not sent yet; the folder's down-sync then finds them stored
 * and does the rest (what the stream did not reach, the ctag). */
typedef struct ds_sync__stream ds_sync__stream;
/* *out = NULL (and 0) when the folder holds messages: its down-sync needs
 * its whole view first (changes, deletions, pending local changes). */
int ds_sync__stream_open(ds_sync *s, ds_sync__stream **out, st_id fid, ds_sync_counts *c);
/* Submits GETs for the members of m not looked at yet, up to the window
 * (2 x connections in flight); call again after each ds_http_run. m NULL:
 * nothing. 0, or the error that stopped it (out of memory). */
int ds_sync__stream_feed(ds_sync__stream *st, const ds_sync__members *m);
/* Waits for the GETs in flight, ends the import and frees st (NULL-safe):
 * 0, DS_ECANCELLED, DS_EAUTH, or the store's error. */
int ds_sync__stream_close(ds_sync__stream *st);

/* A collection's CS:getctag as the last ds_sync_folders listed it, and its
 * members when the walk kept them. */
typedef struct ds_ctag {
    st_id fid;                  /* the folder */
    char *ctag;                 /* as the server sent it */
    ds_sync__members *members;  /* its Depth 1 listing, or NULL */
} ds_ctag;

struct ds_sync {
    char *mail_url;             /* normalised, ends in '/' */
    char *catalog_path;         /* or NULL */
    unsigned budget_ms;         /* import batch length */
    int max_connections;        /* parallel GETs */
    ds_http *http;              /* the client (owned unless http_borrowed) */
    int http_borrowed;          /* cfg->http was given */
    st_store *store;            /* this thread's handle */
    st_id root;                 /* the store's root folder */
    st_id ipm;                  /* IPM subtree = the mail root collection */
    st_id roles[DS_ROLE_COUNT]; /* special folders, 0: not found */
    ds_sync_progress_fn progress;
    void *progress_arg;
    uint64_t bytes_left;        /* the fetch phase: bytes still to come (progress) */
    ds_ctag *ctags;             /* listed ctags, sorted by fid (ds_sync_folders) */
    size_t nctags, ctags_cap;
    int64_t up_stuck_seq;       /* journal entry the last up-sync stopped on (5xx) */
    int up_stuck_runs;          /* runs in a row it did */
};

/* Reports progress (no-op without a callback). */
void ds_sync__progress(ds_sync *s, const char *phase, const char *folder, uint64_t done,
    uint64_t total, const ds_sync_counts *c);

/* Every id the journal names (object, folder, old folder; entries in any
 * state), sorted: what has pending local changes. folders_only: only the
 * entries about folders (a rename or move of the folder itself).
 * *out malloc'd. */
int ds_sync__journal_objects(ds_sync *s, st_id **out, size_t *n, int folders_only);
/* 1 if id is in the sorted array. */
int ds_sync__has_id(const st_id *ids, size_t n, st_id id);

/* The role a folder of this name has ("Inbox", "Trash" ...), case-insensitively. */
ds_folder_role ds_sync__role_of(const char *name);

/* 1 if ETags a and b name the same version: equal, or equal but for a weak
 * marker (Apache's W/"x" turns into "x" a second after a write). */
int ds_sync__same_etag(const char *a, const char *b);

/* Keeps the local version of message mid (0: none, or gone) in Sync
 * Issues/Conflicts (conflict) or Local Failures, and writes a note saying
 * what (the change) and why (reason) into Sync Issues (sync_issues.c). */
int ds_sync__keep_local(ds_sync *s, st_id mid, int conflict, const char *what,
    const char *reason);

/* *out = the display name of folder fid ("" when it has none), malloc'd.
 * 0, or the store's error, or ST_ERROR (out of memory). */
int ds_sync__folder_name(ds_sync *s, char **out, st_id fid);

/* The ctag the last folder listing gave fid, taken out of s (malloc'd; a
 * second call gives NULL, so a folder synced again without a new listing
 * is never skipped on an old ctag), or NULL (none listed, no listing yet,
 * or the server offers none). */
char *ds_sync__take_ctag(ds_sync *s, st_id fid);
/* The members the last folder listing kept for fid, taken out of s (free
 * with ds_sync__members_free), or NULL. */
ds_sync__members *ds_sync__take_members(ds_sync *s, st_id fid);
/* Forgets the listed ctags (NULL-safe contents). */
void ds_sync__ctags_clear(ds_sync *s);

/* What a folder listing asks of each member (sync_down.c): resourcetype,
 * getetag, getcontentlength, getlastmodified and the two flag properties;
 * the tree walk asks the same to fingerprint folders without a ctag. */
#define DS_SYNC_NLIST_PROPS 6
extern const ds_xml_name ds_sync__list_props[DS_SYNC_NLIST_PROPS];

#endif /* MAPIDAV_DAVSYNC_SYNC_INT_H */
