/*
 * storage_int.h: what storage's own files share (never included outside
 * storage/). The connection wrapper (st_db: one sqlite3 handle, its
 * statement cache, transaction depth and pending events), the store and
 * catalog structs, the property-blob codec and helpers of each concern.
 *
 * Invariant: an st_db and every sqlite3_stmt in its cache are used by one
 * thread only (the one that opened it); nothing here crosses threads except
 * through the bus in notify.c, which has its own mutex.
 */
#ifndef MAPIDAV_STORAGE_INT_H
#define MAPIDAV_STORAGE_INT_H

#include <sqlite3.h>
#include <stdatomic.h>

#include "storage/storage.h"
#include "storage/strutil.h"

/* ---- db.c: the connection ---- */

#define ST_DB__CACHE 128

typedef struct st_db__stmt {
    const char *sql;      /* key: the SQL text (static strings; compared by pointer, then text) */
    sqlite3_stmt *stmt;   /* prepared once, reset after each use */
} st_db__stmt;

typedef struct st_db {
    sqlite3 *db;          /* the connection (this thread only) */
    char *path;           /* file path as opened, UTF-8 */
    int readonly;         /* opened ST_OPEN_READONLY */
    int depth;            /* nesting of st_db__begin; 0: no transaction */
    int failed;           /* an inner level failed: the outermost commit rolls back */
    int flat;             /* > 0: levels begun at this depth or deeper take no
                           * savepoint (an import item that only creates: its
                           * failure rolls the batch back, message.c) */
    uint64_t txn_start_ms;/* monotonic time of the outermost BEGIN */
    int busy_timeout_ms;  /* how long the busy handler waits for the write lock */
    uint64_t busy_since_ms; /* monotonic time the current wait began */
    int busy_counted;     /* this connection is counted in *waiters */
    _Atomic int *waiters; /* process-wide count of connections to this file waiting for
                           * the write lock (a shared slot keyed by the path's hash) */
    st_db__stmt cache[ST_DB__CACHE]; /* prepared statements */
    int n_cache;          /* entries used in cache */
} st_db;

/* Opens path with WAL, busy timeout, foreign keys and the ST_NOCASE
 * collation. create: make the file if missing. A file whose user_version
 * is above max_version is refused (ST_ENEWER) before anything is written. */
int st_db__open(st_db *d, const char *path, int create, int readonly, int max_version);
void st_db__close(st_db *d);
/* Maps a SQLite result to our code and sets the message "<path>: what: errmsg". */
int st_db__err(st_db *d, int rc, const char *what);
/* Runs SQL without results (may hold several statements). */
int st_db__exec(st_db *d, const char *sql);
/* The cached, reset statement for sql (a string literal). NULL on error
 * (message set). The caller resets it with st_db__done. */
sqlite3_stmt *st_db__prep(st_db *d, const char *sql);
void st_db__done(sqlite3_stmt *st);
/* Steps a statement expected to finish (SQLITE_DONE): 0 or an error code. */
int st_db__step_done(st_db *d, sqlite3_stmt *st, const char *what);
/* Steps a query expecting one row. 0: st is on the row (the caller reads
 * it, then st_db__done); ST_ENOTFOUND (no message: the caller names what
 * is missing) or an error code (message "what"): st is reset. */
int st_db__step_row(st_db *d, sqlite3_stmt *st, const char *what);
/* st_db__step_row on sql (a string literal) with ?1 bound to arg; *out the
 * statement when it is on the row (else NULL). */
int st_db__row_int(st_db *d, sqlite3_stmt **out, const char *sql, int64_t arg,
    const char *what);
/* st_db__step_row for column 0 of that row: *out gets it (0 when there is
 * no row); out may be NULL. st is reset. */
int st_db__one(st_db *d, int64_t *out, sqlite3_stmt *st, const char *what);
/* st_db__one on sql (a string literal) with ?1 bound to arg. */
int st_db__one_int(st_db *d, int64_t *out, const char *sql, int64_t arg, const char *what);
int st_db__one_text(st_db *d, int64_t *out, const char *sql, const char *arg,
    const char *what);
/* The one row of sql (a string literal) with ?1 bound to arg: *outs[i]
 * gets a copy of its text column i (NULL for NULL), for the n outs that are
 * not NULL; all are set NULL first. As st_db__one otherwise. */
int st_db__texts(st_db *d, char **const *outs, int n, const char *sql, int64_t arg,
    const char *what);
/* Column 0 of every row of st, as a malloc'd array (NULL when there are
 * none), *n of them; st is reset. */
int st_db__ids(st_db *d, st_id **out, size_t *n, sqlite3_stmt *st, const char *what);
/* Runs sql (a string literal returning no rows) with ?1 bound to arg. */
int st_db__run_int(st_db *d, const char *sql, int64_t arg, const char *what);
/* How long a statement waits for another connection's write lock before
 * ST_EBUSY (polling every 1 ms; 0: not at all). Replaces
 * sqlite3_busy_timeout, which would drop our handler. */
void st_db__set_busy_timeout(st_db *d, int ms);
/* How many other connections of this process to d's file are waiting for
 * the write lock right now (approximate: files whose paths share a hash
 * slot are counted together; a differently spelled path is not). A bulk
 * writer yields between batches while it is above 0. */
int st_db__writers_waiting(const st_db *d);
/* BEGIN IMMEDIATE at depth 0, else just depth+1. */
int st_db__begin(st_db *d);
/* COMMIT at the outermost level (ROLLBACK if an inner level failed). */
int st_db__commit(st_db *d);
/* Marks failure; ROLLBACK at the outermost level. */
void st_db__rollback(st_db *d);
/* One integer from a query with no parameters (e.g. a PRAGMA). */
int st_db__int(st_db *d, int64_t *out, const char *sql);
/* Binds text or NULL. */
int st_db__bind_text(sqlite3_stmt *st, int i, const char *s);
/* A copy of text column i (NULL for NULL, or NULL with a message). */
char *st_db__col_strdup(sqlite3_stmt *st, int i);

/* ---- schema.c ---- */
/* Brings the file to the current version (creating the schema when empty),
 * or refuses a newer one (ST_ENEWER, untouched). kind: 0 catalog, 1 store. */
#define ST_SCHEMA_CATALOG 0
#define ST_SCHEMA_STORE 1
int st_schema__prepare(st_db *d, int kind);
/* For tests: creates the schema of an old version (1..current) in an
 * empty file without migrating it. */
int st_schema__create_version(st_db *d, int kind, int version);
/* One migration step: brings a file from version N to N+1 inside the open
 * transaction. steps[N-1] migrates N -> N+1. */
typedef int (*st_schema_step)(st_db *d);
/* The mechanism behind st_schema__prepare, with the steps given (tests use
 * it to run a made-up v2). */
int st_schema__migrate(st_db *d, int kind, int target, const st_schema_step *steps);

/* ---- propblob.c: st_bag <-> bytes ----
 * Format v1: "SB" 0x01 flags(1) count(varint) then per value: tag (4 bytes
 * LE) and the value by type; then a CRC-32 (4 bytes LE) of everything
 * before it. Every length is checked against the end: a damaged blob gives
 * ST_ECORRUPT, never a read past the buffer. */
typedef struct st_buf {
    uint8_t *data;        /* owned */
    size_t len;           /* bytes used */
    size_t cap;           /* bytes allocated */
} st_buf;
void st_buf_free(st_buf *b);
int st_buf_append(st_buf *b, const void *p, size_t len);
/* Encodes the values of bag for which keep(tag) is 1 (keep NULL: all). */
int st_propblob__encode(st_buf *out, const st_bag *bag, int (*keep)(uint32_t tag, void *ctx),
    void *ctx);
/* Adds the values of the blob to bag (replacing same ids). */
int st_propblob__decode(st_bag *bag, const void *data, size_t len);
/* The encoded value answering tag (st_bag_get rules) in a blob, without
 * decoding the others: 1 with *found = its tag and [*val, *val_end) its
 * bytes as above (for strings and binaries the bytes after the length),
 * 0 when absent, ST_ECORRUPT. Bounds are checked as in
 * decoding, the CRC is not (this serves sort keys and filters, row by
 * row; reading an object checks it). */
int st_propblob__find(const void *data, size_t len, uint32_t tag, uint32_t *found,
    const uint8_t **val, const uint8_t **val_end);
/* crc32.c: CRC-32 as zlib's crc32 (folded by PCLMULQDQ where the CPU has
 * it); st_crc32__zlib is zlib's alone, for the test. */
uint32_t st_crc32(uint32_t crc, const void *data, size_t len);
uint32_t st_crc32__zlib(uint32_t crc, const void *data, size_t len);

/* ---- notify.c: the in-process bus ---- */
typedef struct st_bus st_bus;
/* The bus of a file (key: its canonical path); reference counted. */
st_bus *st_bus__get(const char *path);
void st_bus__put(st_bus *bus);
void st_bus__publish(st_bus *bus, const st_event *ev, size_t n, int64_t last_cn);
int st_bus__listen(st_bus *bus, uint64_t *out_token, st_listener_fn fn, void *ctx);
void st_bus__unlisten(st_bus *bus, uint64_t token);
/* Highest change number a process-local commit published; raises it. */
int64_t st_bus__seen_cn(st_bus *bus, int64_t cn);

/* ---- the store ---- */
struct st_store {
    st_db d;              /* the connection */
    st_guid guid;         /* the store's GUID (meta 'guid') */
    uint8_t guid_bytes[16]; /* guid as wire bytes, prefix of the keys */
    st_bus *bus;          /* shared with the process's other connections to the file */
    st_event *ev;         /* events of the open transaction */
    size_t n_ev, cap_ev;  /* used / allocated in ev */
    int ev_oom;           /* an event could not be queued: publish EXTERNAL instead */
    size_t ev_mark[16];   /* n_ev at each nesting level's begin (savepoints) */
    int64_t last_cn;      /* highest change number allocated in this transaction */
    int64_t data_version; /* last PRAGMA data_version seen by st_store_poll */
    int fts_defer;        /* bulk import: new messages go to fts_queue whole */
    int ctr_loaded;       /* next_id/next_cn below are valid (this transaction) */
    int64_t next_id;      /* meta 'next_id', kept in memory during a transaction */
    int64_t next_cn;      /* meta 'next_cn', likewise */
    int search_fns;       /* search.c: the table SQL functions are registered here */
    int search_bulk;      /* search.c: a refill set ev_oom on purpose (too many rows) */
};

struct st_catalog {
    st_db d;              /* the connection */
    char *dir;            /* the folder holding catalog.sqlite, for store paths */
};

/* store.c helpers shared by folder.c, message.c, journal.c, stream.c */
int st_store__begin(st_store *s);
int st_store__commit(st_store *s);
void st_store__rollback(st_store *s);
/* Ends what st_store__begin began: the commit when code is 0, else the
 * rollback and code. */
int st_store__end(st_store *s, int code);
/* Queue an event for after the commit. */
void st_store__event(st_store *s, int type, int kind, st_id id, st_id folder,
    st_id old_folder, int assoc, unsigned flags);
/* Next object id / change number (meta counters). */
int st_store__alloc_id(st_store *s, st_id *out);
int st_store__alloc_cn(st_store *s, int64_t *out);
/* 22-byte source/change key: store GUID + 48-bit counter (little-endian). */
void st_store__xid(const st_store *s, uint8_t out[22], uint64_t counter);
/* SetProps/DeleteProps on a loaded bag: the values of set (NULL: none),
 * then the n_del tags in del removed. 0 or ST_ERROR. */
int st_store__bag_apply(st_bag *cur, const st_bag *set, const uint32_t *del, size_t n_del);
/* ST_ENOTFOUND with the message "<path>: no <what> <id>". */
int st_store__notfound(st_store *s, const char *what, uint64_t id);

/* journal.c: record a local change (called inside the change's transaction;
 * nothing when flags has ST_FROM_SERVER). */
int st_journal__record(st_store *s, int op, int kind, st_id obj, st_id folder,
    st_id old_folder, unsigned flags);

/* Drops the pending entries of an object the server deleted. */
int st_journal__forget(st_store *s, int kind, st_id obj);

/* message.c: the top-level message of mid (itself, or the message holding
 * the attachment that embeds it, recursively) and its folder. */
int st_message__top(st_store *s, st_id *top, st_id *fid, st_id mid);
/* A local change to mid's content (journal + event + change key). */
int st_message__touch(st_store *s, st_id mid, unsigned flags);
/* Deletes a message row and what hangs off it (cascade), adjusting counts. */
int st_message__delete_rows(st_store *s, st_id mid);
/* Recomputes the sizes of attachment attach_id (0: none), mid and up. */
int st_message__refresh_sizes(st_store *s, st_id mid, int64_t attach_id);
int st_folder__adjust(st_store *s, st_id fid, int d_content, int d_unread, int d_assoc,
    int d_children);
/* 0 if folder fid exists, else ST_ENOTFOUND (message) or an error. */
int st_folder__exists(st_store *s, st_id fid);
/* The attachment row of (mid, num): 0, ST_ENOTFOUND (message) or an error. */
int st_message__attach_id(st_store *s, int64_t *out, st_id mid, uint32_t num);

/* search.c: search folders. */
/* 1 when fid is a search folder, 0 when not, or an error. */
int st_search__is(st_store *s, st_id fid);
/* ST_ERROR with a message when fid is a search folder (no messages of its
 * own), else 0. */
int st_search__refuse(st_store *s, st_id fid);
/* A new search folder (st_folder_create with ST_FOLDER_SEARCH). */
int st_search__created(st_store *s, st_id fid);
/* Before message mid's row goes: DELETED events for the results holding it
 * (the rows themselves go by cascade). */
int st_search__on_delete(st_store *s, st_id mid);
/* Before the outermost COMMIT: brings the results of every search folder
 * up to date with the messages this transaction's events name. */
int st_search__precommit(st_store *s);

/* stream.c */
int st_stream__drop_orphans(st_store *s);
/* Drops the live stream of property id PROP_ID(tag) of (mid, attach_id). */
int st_stream__drop_live(st_store *s, st_id mid, int64_t attach_id, uint32_t tag,
    const char *what);
/* Writes len bytes at data as the live stream of tag of (mid, attach_id)
 * (0: the message's own); the caller has dropped the old one. */
int st_stream__put(st_store *s, st_id mid, int64_t attach_id, uint32_t tag, const void *data,
    size_t len);
/* Copies the streams of (mid, attach) to (new_mid, new_attach). */
int st_stream__copy(st_store *s, st_id mid, int64_t attach_id, st_id new_mid,
    int64_t new_attach_id);

#define ST_MSGFLAG_READ 0x1
#define ST_MSGFLAG_HASATTACH 0x10
#define ST_MSGFLAG_ASSOCIATED 0x40

#endif /* MAPIDAV_STORAGE_INT_H */
