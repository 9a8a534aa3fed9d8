/*
 * storage.h: the offline store's public interface (floor 1). Other modules
 * include this; storage_int.h holds what only storage's own files share.
 * Nothing here includes windows.h, a MAPI header or anything of provider/.
 *
 * Two kinds of file (ARCHITECTURE.md "Storage"):
 *   catalog.sqlite       per account: settings, the list of stores, the
 *                        named-property map shared by all of them (st_catalog);
 *   <store guid>.sqlite  per mailbox: folders, messages, recipients,
 *                        attachments, streams, journal, sync state (st_store).
 *
 * Threads: a handle (st_catalog, st_store, and everything opened from them)
 * belongs to the thread that opened it; open one per thread. Handles on the
 * same file in one process share a change-listener bus (st_store_listen).
 *
 * Errors: 0 (ST_OK) or a negative code below, with st_error_last() naming the
 * file and what failed. Values read come back as property bags the caller
 * frees with st_bag_free.
 *
 * Local vs. server changes: every write takes `flags`. Without
 * ST_FROM_SERVER a change is a local one (Outlook's) and is journaled in the
 * same transaction; with ST_FROM_SERVER it is the sync side applying the
 * server's state and is never journaled.
 */
#ifndef MAPIDAV_STORAGE_H
#define MAPIDAV_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "storage/error.h"
#include "storage/props.h"

/* The linked SQLite library's version, e.g. "3.40.1". Borrowed, static. */
const char *st_sqlite_version(void);

/* ---- Return codes (ST_OK, ST_ERROR in error.h; ST_ENOTFOUND = -2 in props.h) */
#define ST_ENEWER     (-3)  /* file written by a newer mapidav: refused, untouched */
#define ST_EFULL      (-4)  /* disk full (SQLITE_FULL); nothing was changed */
#define ST_EREADONLY  (-5)  /* file or medium read-only */
#define ST_EBUSY      (-6)  /* the write lock was not obtained within the timeout */
#define ST_ECORRUPT   (-7)  /* not a database, damaged file, or a corrupt value */
#define ST_EEXISTS    (-8)  /* name or key already taken */
#define ST_ENOTEMPTY  (-9)  /* folder has messages or subfolders */
#define ST_ELIMIT     (-10) /* out of named-property ids (0x8000-0xFFFE) */

/* Current schema versions (PRAGMA user_version). */
#define ST_CATALOG_VERSION 1
#define ST_STORE_VERSION 5

/* Object ids: 64-bit, allocated from one per-store counter shared by
 * folders, messages, attachments and embedded messages; never reused. */
typedef uint64_t st_id;

/* ======================================================================
 * Catalog
 * ==================================================================== */
typedef struct st_catalog st_catalog;

/* Opens (creating it when missing, with ST_OPEN_CREATE) catalog.sqlite at
 * path; migrates an older schema; refuses a newer one (ST_ENEWER). */
#define ST_OPEN_CREATE   0x1u  /* create the file if it does not exist */
#define ST_OPEN_READONLY 0x2u  /* no writes; works on read-only media */
int st_catalog_open(st_catalog **out, const char *path, unsigned flags);
void st_catalog_close(st_catalog *c);   /* NULL-safe */

/* Account settings, key -> UTF-8 value. set with value NULL removes. get:
 * *out malloc'd (free()), or ST_ENOTFOUND. */
int st_catalog_setting_set(st_catalog *c, const char *key, const char *value);
int st_catalog_setting_get(st_catalog *c, char **out, const char *key);

/* The account's stores. */
#define ST_STORE_KIND_PRIVATE 0   /* the user's own mailbox */
#define ST_STORE_KIND_PUBLIC  1   /* public folders */
#define ST_STORE_KIND_SHARED  2   /* someone else's mailbox */
typedef struct st_store_info {
    st_guid guid;         /* names the file: <guid>.sqlite */
    int kind;             /* ST_STORE_KIND_* */
    char *display_name;   /* UTF-8, owned */
    char *url;            /* server root URL or NULL, owned */
} st_store_info;
int st_catalog_store_add(st_catalog *c, const st_store_info *info);   /* ST_EEXISTS */
int st_catalog_store_remove(st_catalog *c, const st_guid *guid);      /* ST_ENOTFOUND */
int st_catalog_store_list(st_catalog *c, st_store_info **out, size_t *n);
void st_store_info_free(st_store_info *infos, size_t n);              /* NULL-safe */
/* "<catalog folder>/{GUID}.sqlite" for a store; *out malloc'd. */
int st_catalog_store_path(st_catalog *c, char **out, const st_guid *guid);

/* Named-property map (GetIDsFromNames / GetNamesFromIDs). ids[i] gets the id
 * (0x8000..0xFFFE) of names[i]; with create, unknown names get a new id
 * (assigned once, never reused; unique across threads and processes),
 * without it unknown names get 0 and the call still returns 0. */
int st_catalog_names_to_ids(st_catalog *c, uint16_t *ids, const st_propname *names,
    size_t n, int create);
/* out[i] gets the name of ids[i] (caller clears with st_propname_clear), or
 * a zeroed name with kind -1 when the id is unknown. */
int st_catalog_ids_to_names(st_catalog *c, st_propname *out, const uint16_t *ids, size_t n);
/* Every name of the map (only those of property set guid unless it is
 * NULL), by id: *ids and *names (n each, malloc'd; the caller clears each
 * name with st_propname_clear and frees both). Nothing found: 0, n 0. */
int st_catalog_names_list(st_catalog *c, const st_guid *guid, uint16_t **ids,
    st_propname **names, size_t *n);

/* ======================================================================
 * Store
 * ==================================================================== */
typedef struct st_store st_store;

/* Opens a <store guid>.sqlite file (ST_OPEN_CREATE: create; guid is the
 * store's GUID, recorded at creation and checked afterwards; NULL accepts
 * whatever the file says). WAL, busy timeout, foreign keys, collation
 * "ST_NOCASE" (st_utf8_collate FL_IGNORECASE) registered. */
int st_store_open(st_store **out, const char *path, const st_guid *guid, unsigned flags);
void st_store_close(st_store *s);       /* NULL-safe */
const char *st_store_path(const st_store *s);   /* borrowed */
void st_store_guid(const st_store *s, st_guid *out);
/* Busy timeout for this handle in ms (default 5000). */
void st_store_set_busy_timeout(st_store *s, int ms);

/* The store object's own properties (IMsgStore::SetProps of values the
 * provider does not compute), kept in the store file (store_props.c).
 * get: *out a new bag (empty when none were set; st_bag_free). set: the
 * values of set (NULL: none) then the n_del tags of del removed, in one
 * transaction. Not synchronised, not journalled. */
int st_store_props_get(st_store *s, st_bag **out);
int st_store_props_set(st_store *s, const st_bag *set, const uint32_t *del, size_t n_del);

/* Flags of the write calls. */
#define ST_FROM_SERVER   0x100u  /* sync side applying server state: not journaled */
#define ST_ASSOCIATED    0x200u  /* message: associated (hidden) contents */
#define ST_RECURSIVE     0x400u  /* folder delete: subfolders and contents too */
#define ST_HARD_DELETE   0x800u  /* message delete: for good on the server too, not into
                                    its Deleted Items (IMAPIFolder::DeleteMessages; a
                                    plain delete is a move to Deleted Items there) */

/* ---- Folders ----
 * Properties are kept as given, except these, which the store computes and
 * returns from st_folder_get: PR_ENTRYID-free keys PR_RECORD_KEY,
 * PR_INSTANCE_KEY, PR_SOURCE_KEY, PR_PARENT_SOURCE_KEY, PR_CHANGE_KEY,
 * PR_CONTENT_COUNT, PR_CONTENT_UNREAD, PR_ASSOC_CONTENT_COUNT,
 * PR_FOLDER_CHILD_COUNT, PR_SUBFOLDERS. PR_DISPLAY_NAME_W is required and
 * unique among siblings (ST_EEXISTS). */
typedef struct st_folder_counts {
    uint32_t content;     /* normal messages */
    uint32_t unread;      /* normal messages without MSGFLAG_READ */
    uint32_t assoc;       /* associated messages */
    uint32_t children;    /* direct subfolders */
} st_folder_counts;

/* parent 0 creates the root (only one). */
int st_folder_create(st_store *s, st_id *out, st_id parent, const st_bag *props, unsigned flags);
int st_folder_get(st_store *s, st_bag **out, st_id fid);
/* Sets the values of set and removes the tags of del (either may be empty). */
int st_folder_set_props(st_store *s, st_id fid, const st_bag *set, const uint32_t *del,
    size_t n_del, unsigned flags);
/* Moves fid under new_parent; new_name (may be NULL) renames it too. */
int st_folder_move(st_store *s, st_id fid, st_id new_parent, const char *new_name,
    unsigned flags);
/* ST_ENOTEMPTY unless empty or ST_RECURSIVE. */
int st_folder_delete(st_store *s, st_id fid, unsigned flags);
/* Deep copy of fid under dest_parent, in one transaction: its properties
 * (new_name, may be NULL, renames the copy), its messages normal and
 * associated (st_message_copy), and with ST_RECURSIVE its subfolders the
 * same way; journaled and announced as creations. ST_EEXISTS when the name
 * is taken in dest_parent; ST_ERROR for a recursive copy into fid itself or
 * below it. *out gets the new folder's id. */
int st_folder_copy(st_store *s, st_id *out, st_id fid, st_id dest_parent, const char *new_name,
    unsigned flags);
int st_folder_counts_get(st_store *s, st_folder_counts *out, st_id fid);
int st_folder_root(st_store *s, st_id *out);   /* ST_ENOTFOUND before creation */
int st_folder_parent(st_store *s, st_id *out, st_id fid);
/* *out 1 when folder node is fid or below it, else 0 (a move or recursive
 * copy of fid to node would make a cycle). */
int st_folder_within(st_store *s, int *out, st_id node, st_id fid);
/* Direct subfolders, by display name. *out malloc'd (free()). */
int st_folder_children(st_store *s, st_id **out, size_t *n, st_id parent);
int st_folder_find_by_name(st_store *s, st_id *out, st_id parent, const char *name);

/* Server state of a folder: collection URL, RFC 6578 sync token, ctag. A NULL
 * argument leaves that field; "" clears it. get: each out malloc'd or NULL;
 * any out may be NULL. */
int st_folder_sync_set(st_store *s, st_id fid, const char *url, const char *token,
    const char *ctag);
int st_folder_sync_get(st_store *s, st_id fid, char **url, char **token, char **ctag);
int st_folder_find_by_url(st_store *s, st_id *out, const char *url);
/* After a collection moved on the server: every folder URL, message href
 * and journal href (refused entries excepted: they keep what was refused)
 * starting with old_prefix gets new_prefix instead, in one transaction. */
int st_folder_sync_rebase(st_store *s, const char *old_prefix, const char *new_prefix);

/* Receive folders: message class prefix -> folder (longest prefix wins in
 * st_receive_folder_get; "" is the default). Messages created in a receive
 * folder raise ST_EV_NEWMAIL. */
int st_receive_folder_set(st_store *s, const char *msg_class, st_id fid);
int st_receive_folder_get(st_store *s, st_id *out, const char *msg_class);
/* The same, and the registered class that matched in *matched (malloc'd,
 * as stored; "" for the default) unless matched is NULL. */
int st_receive_folder_find(st_store *s, st_id *out, char **matched, const char *msg_class);
/* Every receive-folder entry, by message class ("" first). *out malloc'd:
 * free with st_receive_folders_free. */
typedef struct st_receive_folder {
    char *msg_class;      /* UTF-8, owned; "" is the default */
    st_id fid;
} st_receive_folder;
int st_receive_folder_list(st_store *s, st_receive_folder **out, size_t *n);
void st_receive_folders_free(st_receive_folder *rf, size_t n);   /* NULL-safe */

/* ---- Search folders (search.c) ----
 * A folder made with ST_FOLDER_SEARCH holds no messages of its own: its
 * contents are the results of its criteria (a restriction over the normal
 * messages of its scope folders), kept exact in the transaction of every
 * message change. st_table_open(ST_TABLE_CONTENTS) on it gives the results
 * with every table feature; its counts are those of the results; creating,
 * moving or copying a message into it is refused (ST_ERROR). Deleting a
 * message removes it from every result; deleting a scope folder drops it
 * from the scope. A change of results raises ST_EV_CREATED / DELETED /
 * MODIFIED with folder = the search folder. st_folder_get gives it
 * PR_FOLDER_TYPE FOLDER_SEARCH. It is local only: never journaled, and
 * st_store_rebuild does not keep it (Outlook makes its own again). */
#define ST_FOLDER_SEARCH 0x1000u    /* st_folder_create flag: a search folder */
#define ST_SEARCH_RECURSIVE 0x1u    /* scope folders include their subfolders */
#define ST_SEARCH_STOPPED   0x2u    /* criteria kept, results frozen (MAPI STOP_SEARCH) */
/* SetSearchCriteria: r (copied; NULL keeps the current criteria) over the n
 * folders of scope (n 0 keeps the current scope); flags replace the stored
 * ones (MAPI's "neither RECURSIVE_SEARCH nor SHALLOW_SEARCH" keeps the
 * previous depth: read it with st_search_get first); refills the results
 * unless flags has ST_SEARCH_STOPPED, in this call's transaction (the
 * search is complete when it returns: fnevSearchComplete). ST_ERROR when
 * fid is not a search folder, a scope folder is one, no criteria were ever
 * given, or r is refused by st_res_check (MAPI_E_TOO_COMPLEX). */
int st_search_set(st_store *s, st_id fid, const st_restriction *r, const st_id *scope,
    size_t n, unsigned flags);
/* GetSearchCriteria: *r (st_res_free; NULL when never set), *scope
 * (malloc'd, free()) and *n, *flags; any out may be NULL. ST_ENOTFOUND
 * when fid is not a search folder. */
int st_search_get(st_store *s, st_id fid, st_restriction **r, st_id **scope, size_t *n,
    unsigned *flags);

/* ---- Messages ----
 * st_message_get returns every property, with those the store computes:
 * PR_RECORD_KEY, PR_INSTANCE_KEY, PR_SOURCE_KEY, PR_PARENT_SOURCE_KEY,
 * PR_CHANGE_KEY, PR_SEARCH_KEY (generated at creation unless given, kept by
 * copies), PR_MESSAGE_SIZE, PR_HASATTACH, PR_LAST_MODIFICATION_TIME (set on
 * each local save unless given). A property kept as a stream (bigger than
 * ST_STREAM_INLINE_MAX) comes back as PT_ERROR MAPI_E_NOT_ENOUGH_MEMORY:
 * read it with st_stream_open_read. */
#define ST_STREAM_INLINE_MAX 32768u
#define ST_E_NOT_ENOUGH_MEMORY ((int32_t)0x8007000E)

int st_message_create(st_store *s, st_id *out, st_id fid, const st_bag *props, unsigned flags);
int st_message_get(st_store *s, st_bag **out, st_id mid);
int st_message_set_props(st_store *s, st_id mid, const st_bag *set, const uint32_t *del,
    size_t n_del, unsigned flags);
int st_message_delete(st_store *s, st_id mid, unsigned flags);
/* Keeps the id. */
int st_message_move(st_store *s, st_id mid, st_id dest_fid, unsigned flags);
/* Deep copy (recipients, attachments, embedded messages, streams). */
int st_message_copy(st_store *s, st_id *out, st_id mid, st_id dest_fid, unsigned flags);
/* Sets or clears MSGFLAG_READ; journaled as a read-flag change. */
int st_message_set_read(st_store *s, st_id mid, int read, unsigned flags);
/* The folder holding mid (0 for an embedded message). */
int st_message_folder(st_store *s, st_id *out, st_id mid);
/* PR_MESSAGE_FLAGS of mid as stored (without MSGFLAG_HASATTACH) and the
 * folder holding it (0 for an embedded message; fid may be NULL): one row
 * read, no property decoded (a cheap test of MSGFLAG_READ or the pending
 * report bits over many messages). */
int st_message_flags(st_store *s, int32_t *flags, st_id *fid, st_id mid);
int st_message_list(st_store *s, st_id **out, size_t *n, st_id fid, int associated);
/* The outgoing queue: normal top-level messages of any folder whose
 * PR_MESSAGE_FLAGS has MSGFLAG_SUBMIT, by PR_CLIENT_SUBMIT_TIME (missing
 * first), then id. */
int st_message_list_submitted(st_store *s, st_id **out, size_t *n);

/* Server identity of an item: href (relative or absolute, as davsync keeps
 * it) and ETag. A NULL argument leaves the field. get: malloc'd or NULL. */
int st_message_server_set(st_store *s, st_id mid, const char *href, const char *etag);
int st_message_server_get(st_store *s, st_id mid, char **href, char **etag);
int st_message_find_by_href(st_store *s, st_id *out, const char *href);
/* The normal messages of a folder with their server identity and the state
 * the sync compares (one indexed query, no property decoding): what a
 * down-sync diffs the server's listing against. */
typedef struct st_server_item {
    st_id mid;
    char *href, *etag;        /* malloc'd, or NULL */
    int32_t flags;            /* PR_MESSAGE_FLAGS as stored (without MSGFLAG_HASATTACH) */
    int has_flag_status;      /* PR_FLAG_STATUS is set */
    int32_t flag_status;
} st_server_item;
int st_message_server_list(st_store *s, st_server_item **out, size_t *n, st_id fid);
void st_server_items_free(st_server_item *items, size_t n);   /* NULL-safe */

/* Recipients: the whole table is replaced (ModifyRecipients is the
 * provider's). Each row is a bag; PR_ROWID is assigned 0..n-1 in order. */
int st_recipients_set(st_store *s, st_id mid, st_bag *const *rows, size_t n, unsigned flags);
/* *out: n bags (free each with st_bag_free, then free()). */
int st_recipients_get(st_store *s, st_bag ***out, size_t *n, st_id mid);

/* Attachments: numbered per message (PR_ATTACH_NUM), never reused on it. */
int st_attach_create(st_store *s, uint32_t *out_num, st_id mid, const st_bag *props,
    unsigned flags);
int st_attach_get(st_store *s, st_bag **out, st_id mid, uint32_t num);
int st_attach_set_props(st_store *s, st_id mid, uint32_t num, const st_bag *set,
    const uint32_t *del, size_t n_del, unsigned flags);
int st_attach_delete(st_store *s, st_id mid, uint32_t num, unsigned flags);
int st_attach_list(st_store *s, uint32_t **out, size_t *n, st_id mid);
/* The embedded message of an ATTACH_EMBEDDED_MSG attachment, a full message
 * (st_message_*, st_recipients_*, st_attach_* apply to it), with create: made
 * when missing. Changes to it journal as a modification of the top message. */
int st_attach_embedded(st_store *s, st_id *out, st_id mid, uint32_t num, int create);

/* ---- Streams: large properties in chunks ----
 * Owner: a message (attach_num ST_NO_ATTACH) or an attachment of it. A
 * writer fills a new stream outside the object, each chunk in its own short
 * transaction (no lock held while the caller produces data), and
 * st_stream_commit swaps it in atomically (with the journal entry);
 * st_stream_close aborts it; a crash leaves an orphan that an open or
 * st_store_compact drops a day after the writer's last 1 MB flush (a
 * writer may wait that long for its message's SaveChanges). Big streams
 * let go of the connection's page cache as they pass. */
#define ST_NO_ATTACH UINT32_MAX
#define ST_STREAM_CHUNK 65536u
typedef struct st_stream st_stream;
int st_stream_open_write(st_stream **out, st_store *s, st_id mid, uint32_t attach_num,
    uint32_t tag);
int st_stream_write(st_stream *w, const void *buf, size_t len);
int st_stream_commit(st_stream *w, unsigned flags);  /* frees w whatever it returns */
/* st_stream_commit of a writer opened on its message (ST_NO_ATTACH) as the
 * property of the message's attachment attach_num instead (one made after
 * the writer began). Frees w whatever it returns. */
int st_stream_commit_to(st_stream *w, uint32_t attach_num, unsigned flags);
/* A writer for a message or attachment not in storage yet (a new
 * message's, a new attachment's of one): owned by a draft, invisible to
 * everything, written like any writer (each 1 MB flushed in its own short
 * transaction). st_stream_adopt gives it its owner; st_stream_close (or
 * st_stream_commit, which refuses) drops it; a crash's leftover goes by
 * the orphan rule above. */
int st_stream_open_draft(st_stream **out, st_store *s, uint32_t tag);
/* Inside the caller's transaction (st_store_begin; the message and the
 * attachment just made in it): w's bytes, written so far, become property
 * w's tag of (mid, attach_num), without a copy (the stream changes owner),
 * as st_stream_commit does. w may be a draft or a writer opened on mid
 * (then attach_num may name an attachment made after it began). w stays
 * open: after the caller's commit st_stream_close only frees it (the
 * property stays); after its rollback w is as before the call (write on,
 * adopt again, or close to drop). On failure nothing of the call stays. */
int st_stream_adopt(st_stream *w, st_id mid, uint32_t attach_num, unsigned flags);
/* Writes w's buffered whole chunks now, in a short transaction of their
 * own (the rest, under ST_STREAM_CHUNK, stays buffered): so that a later
 * st_stream_commit or st_stream_adopt has little left to write inside its
 * transaction. */
int st_stream_flush(st_stream *w);
/* What writer w has written so far, at pos (the writer goes on): up to
 * len bytes, *got 0 at its end. */
int st_stream_read_pending(st_stream *w, uint64_t pos, void *buf, size_t len, size_t *got);
/* ST_ENOTFOUND when the property is not a stream and not stored inline;
 * an inline value is read as a stream too. */
int st_stream_open_read(st_stream **out, st_store *s, st_id mid, uint32_t attach_num,
    uint32_t tag);
/* Reads up to len bytes; *got 0 at the end. */
int st_stream_read(st_stream *r, void *buf, size_t len, size_t *got);
int st_stream_seek(st_stream *r, uint64_t pos);
uint64_t st_stream_size(const st_stream *r);
/* The property's tag with its stored type (a reader opened with any type
 * under the same id). */
uint32_t st_stream_tag(const st_stream *st);
void st_stream_close(st_stream *st);   /* abort a writer / close a reader; NULL-safe */

/* ---- Transactions ----
 * Optional: group several calls into one BEGIN IMMEDIATE transaction (the
 * calls nest inside it). Events reach listeners after the commit. */
int st_store_begin(st_store *s);
int st_store_commit(st_store *s);
void st_store_rollback(st_store *s);

/* ---- Bulk import (the sync thread) ----
 * Items go in through the same code as st_message_*, with ST_FROM_SERVER,
 * in transactions committed whenever budget_ms has passed since their
 * BEGIN, so another writer never waits longer than about that. */
typedef struct st_import st_import;
int st_import_begin(st_import **out, st_store *s, unsigned budget_ms);
/* Upserts by href: updates the message with that href, else creates one
 * in fid. Sets href and etag. *out (may be NULL) gets the id. Outside an
 * item, a bad message fails alone; but a new one with no value for a
 * stream takes no savepoint, and should the store fail under it after its
 * first write (I/O, a full disk, no memory) the open batch is rolled back
 * with it (the error says so). */
int st_import_message(st_import *imp, st_id *out, st_id fid, const st_bag *props,
    st_bag *const *recips, size_t n_recips, const char *href, const char *etag);
int st_import_delete(st_import *imp, st_id mid);
/* One item written by several calls (st_import_message, then st_attach_*,
 * st_stream_* ... on the same store) as one savepoint of the batch: begin
 * opens the batch if need be; st_import_message inside takes no savepoint
 * of its own and never commits; end releases the item (code 0) or rolls
 * it back alone (code != 0: returned as it is), then commits the batch
 * when its budget is spent. */
int st_import_item_begin(st_import *imp);
/* The same for an item that only creates (a new message and what is under
 * it), without the savepoint, and the calls inside take none either (their
 * journals of every page touched cost more than the item): should a call
 * inside fail after something was written, or fail inside, st_import_item_end
 * rolls the open batch back with it, as st_import_message does for a light
 * message (the error says so). */
int st_import_item_begin_new(st_import *imp);
int st_import_item_end(st_import *imp, int code);
/* Commits what is left and frees imp; on error rolls back the open batch
 * (earlier batches stay committed). */
int st_import_end(st_import *imp);
void st_import_abort(st_import *imp);   /* rolls back the open batch; NULL-safe */

/* ---- Journal of local changes ---- */
enum st_journal_op {
    ST_JOP_CREATE = 1,    /* new item / folder: PUT If-None-Match / MKCOL */
    ST_JOP_MODIFY = 2,    /* content changed: PUT If-Match */
    ST_JOP_READ = 3,      /* read flag only: PROPPATCH */
    ST_JOP_MOVE = 4,      /* moved: MOVE (folder_id = destination) */
    ST_JOP_DELETE = 5,    /* deleted: MOVE to Deleted Items, or DELETE If-Match there */
    ST_JOP_RENAME = 6,    /* folder renamed: MOVE of the collection */
    ST_JOP_PURGE = 7      /* message deleted for good (ST_HARD_DELETE): DELETE If-Match */
};
#define ST_JKIND_MESSAGE 0
#define ST_JKIND_FOLDER 1
enum st_journal_state {
    ST_JSTATE_PENDING = 0,  /* waiting for the sync side */
    ST_JSTATE_TAKEN = 1,    /* handed out by st_journal_take */
    ST_JSTATE_REFUSED = 2   /* the server refused it; kept with the reason */
};
typedef struct st_journal_entry {
    int64_t seq;          /* order of the change; the key for ack/refuse */
    int op;               /* ST_JOP_* */
    int kind;             /* ST_JKIND_* */
    st_id obj;            /* the item or folder */
    st_id folder;         /* its folder (destination for MOVE; parent for folders) */
    st_id old_folder;     /* MOVE: where it was on the server; else 0 */
    char *href;           /* server href when the change was made, or NULL */
    char *base_etag;      /* ETag the change was made against, or NULL */
    int state;            /* ST_JSTATE_* */
    char *reason;         /* REFUSED: why; else NULL */
} st_journal_entry;
/* Hands out up to max pending entries in order and marks them taken. */
int st_journal_take(st_store *s, st_journal_entry **out, size_t *n, size_t max);
/* Done: drops the entry; href/etag (NULL: unchanged) become the object's
 * server identity (for a DELETE the object is gone: ignored). */
int st_journal_ack(st_store *s, int64_t seq, const char *href, const char *etag);
/* Refused: kept as ST_JSTATE_REFUSED with reason; never dropped. */
int st_journal_refuse(st_store *s, int64_t seq, const char *reason);
/* Taken entries back to pending (after a failed connection or at start-up). */
int st_journal_release(st_store *s);
/* Every entry in order, whatever its state. */
int st_journal_list(st_store *s, st_journal_entry **out, size_t *n);
int st_journal_count(st_store *s, size_t *out, int state);
void st_journal_entries_free(st_journal_entry *e, size_t n);   /* NULL-safe */
/* What is left to upload, per folder (the entry's folder: a message's
 * folder or move destination, a folder's parent), for status displays:
 * one cheap grouped query. *out malloc'd (free()), by folder id. */
typedef struct st_journal_folder_count {
    st_id folder;         /* 0: entries without a folder */
    uint64_t pending;     /* entries pending or taken */
    uint64_t refused;     /* entries refused by the server (kept) */
    uint64_t bytes;       /* PR_MESSAGE_SIZE of messages to PUT (new or changed) */
} st_journal_folder_count;
int st_journal_by_folder(st_store *s, st_journal_folder_count **out, size_t *n);

/* ---- Change listeners ----
 * Called after a commit, on the committing thread, with no lock of ours held
 * and no transaction open on s; a listener may read through its own handle
 * but must not block long. Events of every connection of this process to the
 * same file reach every listener registered on any of them. Other processes'
 * commits are seen by st_store_poll (PRAGMA data_version), which raises one
 * ST_EV_EXTERNAL ("reload what you show"). */
enum st_event_type {
    ST_EV_CREATED = 1, ST_EV_MODIFIED, ST_EV_DELETED, ST_EV_MOVED, ST_EV_NEWMAIL,
    ST_EV_EXTERNAL
};
typedef struct st_event {
    int type;             /* ST_EV_* */
    int kind;             /* ST_JKIND_MESSAGE or ST_JKIND_FOLDER */
    st_id id;             /* object (0 for ST_EV_EXTERNAL) */
    st_id folder;         /* its folder / parent folder */
    st_id old_folder;     /* ST_EV_MOVED: the folder it left */
    int associated;       /* message in associated contents */
    int from_server;      /* made with ST_FROM_SERVER */
} st_event;
typedef void (*st_listener_fn)(void *ctx, const st_event *events, size_t n);
int st_store_listen(st_store *s, uint64_t *out_token, st_listener_fn fn, void *ctx);
void st_store_unlisten(st_store *s, uint64_t token);
/* Checks for commits of other processes; 1 if one was seen (listeners got
 * ST_EV_EXTERNAL), 0 if not, <0 on error. Cheap: call it on a timer. */
int st_store_poll(st_store *s);

/* ---- Search index ----
 * Trigram (FTS5) indexes for RES_CONTENT. A local change indexes subject
 * and sender at once and queues the body; a bulk import (st_import_*)
 * queues whole messages. The queue is written in the change's transaction,
 * so index + queue are always exact. This indexes queued messages in
 * transactions of about budget_ms each until the queue is empty or
 * budget_ms has passed in all; call it when idle (the sync thread after a
 * sync). *left (may be NULL): messages still queued. */
int st_store_index_pending(st_store *s, unsigned budget_ms, size_t *left);

/* ---- Maintenance ---- */
/* PRAGMA integrity_check plus our invariants (folder counts, journal and
 * stream references, embedded links, decodable property blobs). 0 when
 * sound; ST_ECORRUPT with the findings in *report (malloc'd, may be NULL). */
int st_store_check(st_store *s, char **report);
/* A damaged store replaced without losing unsent work (rebuild.c): the
 * changes the journal holds (and the messages they name, whole) are copied
 * to "<path>.recovered-<time>.sqlite", the damaged file is renamed to
 * "<path>.damaged-<time>" (never deleted), and a fresh empty store with the
 * same GUID and the damaged one's store properties takes its place, to be
 * filled by the next sync; then st_store_restore makes those changes
 * again, as local changes, and puts the folders' local properties (kept in
 * the recovered file too) back on the folders found by URL or name path. Without
 * ST_REBUILD_FORCE a journal that cannot be read stops it (nothing
 * changed); with it the file is set aside anyway (report.journal_lost). */
#define ST_REBUILD_FORCE 0x1u
typedef struct st_rebuild_report {
    uint64_t entries;     /* journal entries kept */
    uint64_t messages;    /* messages copied whole */
    uint64_t unreadable;  /* messages or folders that could not be read (logged) */
    int journal_lost;     /* forced past an unreadable journal */
    int store_props;      /* 1: the store's own properties are on the fresh store */
    uint64_t folders_kept; /* folders whose local properties (ids 0x6600-0x67FF, the
                            * saved contents sort ...) the recovered file keeps */
    char *export_path;    /* the recovered file, or NULL when there was nothing */
    char *damaged_path;   /* where the damaged file went */
} st_rebuild_report;
int st_store_rebuild(const char *path, const st_guid *guid, unsigned flags,
    st_rebuild_report *out);
void st_rebuild_report_clear(st_rebuild_report *r);   /* NULL-safe */
typedef struct st_restore_report {
    uint64_t restored;    /* changes made again, folders' local properties put back */
    uint64_t skipped;     /* messages that were unreadable at the rebuild, folders
                           * with local properties not found again */
    uint64_t failed;      /* changes that could not be made (logged) */
} st_restore_report;
/* The catalog setting naming the recovered file of a rebuild until its
 * changes are put back (the tool sets it; the sync clears it). */
#define ST_SETTING_RESTORE_FROM "store.restore_from"
/* Makes the changes kept by st_store_rebuild again in s (after s has been
 * synced down), in their order, journaled as local changes. */
int st_store_restore(st_store *s, const char *export_path, st_restore_report *out);
/* st_store_restore of the file the catalog names (ST_SETTING_RESTORE_FROM),
 * then the setting is cleared; *out (may be NULL) gets the report and
 * *path (may be NULL) the file (malloc'd). 0 when nothing was pending
 * (*out zeroed), 0 when done, or the error (the setting stays). */
int st_store_restore_pending(st_store *s, st_catalog *c, st_restore_report *out, char **path);

/* Frees up to max_pages (0: all) free pages (incremental vacuum) and drops
 * orphan streams. */
int st_store_compact(st_store *s, uint32_t max_pages);
typedef struct st_store_stats {
    uint64_t folders, messages, assoc_messages, embedded_messages;
    uint64_t recipients, attachments, streams, stream_bytes;
    uint64_t journal_pending, journal_taken, journal_refused;
    uint64_t page_size, page_count, free_pages;   /* file = page_size * page_count */
} st_store_stats;
int st_store_stats_get(st_store *s, st_store_stats *out);
typedef struct st_folder_stats {
    uint64_t messages;    /* normal and associated */
    uint64_t bytes;       /* sum of PR_MESSAGE_SIZE */
} st_folder_stats;
int st_folder_stats_get(st_store *s, st_folder_stats *out, st_id fid);

#endif /* MAPIDAV_STORAGE_H */
