/*
 * db.c: one SQLite connection as storage uses it: open with the pragmas
 * (WAL, synchronous=FULL, foreign keys, busy timeout, auto_vacuum on new
 * files), the ST_NOCASE collation, a per-connection statement cache,
 * nested transactions (BEGIN IMMEDIATE outside, SAVEPOINTs inside) and the
 * mapping of SQLite errors to ours with a message naming the file.
 *
 * Busy waits: our own handler polls every 1 ms up to the timeout (SQLite's
 * default backs off to 100 ms sleeps, so a writer could miss many short
 * gaps between another thread's batches) and counts, per file, the
 * connections waiting, so that a bulk importer can step aside between
 * batches (st_db__writers_waiting).
 *
 * Invariant: the connection and its statements are used by the thread that
 * opened them only. Never: leave a transaction open after an error at depth
 * 0 (SQLite may or may not have rolled back by itself after SQLITE_FULL or
 * SQLITE_IOERR; we check sqlite3_get_autocommit and finish the job).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/log.h"
#include "storage/os.h"
#include "storage/storage_int.h"
#include "storage/strutil.h"

#define BUSY_TIMEOUT_MS 5000

/* ---- busy waits ---- */

/* Connections waiting for a write lock, by hash of the file path. A slot
 * shared by two files only makes an importer yield when it need not. */
#define WAITER_SLOTS 64
static _Atomic int waiters_by_file[WAITER_SLOTS];

static _Atomic int *waiter_slot(const char *path)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        h = (h ^ *p) * 16777619u;
    return &waiters_by_file[h % WAITER_SLOTS];
}

/* The wait is over (the lock was taken, or the statement gave up or never
 * waited): stop counting this connection. Called after every statement
 * that takes the write lock; a wait in any other statement is settled by
 * the next of them on this connection. */
static void busy_settle(st_db *d)
{
    if (d->busy_counted) {
        atomic_fetch_sub_explicit(d->waiters, 1, memory_order_relaxed);
        d->busy_counted = 0;
    }
}

static int busy_wait(void *ctx, int count)
{
    st_db *d = ctx;
    uint64_t now = st_os_time_ms();
    if (count == 0) {
        d->busy_since_ms = now;
        if (!d->busy_counted) {
            atomic_fetch_add_explicit(d->waiters, 1, memory_order_relaxed);
            d->busy_counted = 1;
        }
    }
    if (now - d->busy_since_ms >= (uint64_t)d->busy_timeout_ms) {
        busy_settle(d);
        return 0;   /* SQLITE_BUSY to the caller */
    }
    st_os_sleep_ms(1);
    return 1;
}

void st_db__set_busy_timeout(st_db *d, int ms)
{
    d->busy_timeout_ms = ms > 0 ? ms : 0;
    sqlite3_busy_handler(d->db, busy_wait, d);
}

int st_db__writers_waiting(const st_db *d)
{
    int n = atomic_load_explicit(d->waiters, memory_order_relaxed) - d->busy_counted;
    return n > 0 ? n : 0;
}

static int collate_nocase(void *ctx, int alen, const void *a, int blen, const void *b)
{
    (void)ctx;
    return st_utf8_collate(a, (size_t)alen, b, (size_t)blen, FL_IGNORECASE);
}

static int trace_sql(unsigned type, void *ctx, void *p, void *x)
{
    (void)ctx;
    (void)x;
    if (type == SQLITE_TRACE_STMT) {
        char *sql = sqlite3_expanded_sql((sqlite3_stmt *)p);
        if (sql) {
            ST_LOG_TRACE(ST_LOG_SQL, "%s", sql);
            sqlite3_free(sql);
        }
    }
    return 0;
}

char *st_db__col_strdup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return st_strdup((const char *)t);
}

int st_db__bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

int st_db__err(st_db *d, int rc, const char *what)
{
    const char *path = d->path ? d->path : "?";
    const char *msg = d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc);
    int code = ST_ERROR;
    switch (rc & 0xff) {
    case SQLITE_FULL:
        code = ST_EFULL;
        st_error_set("%s: %s: the disk is full (nothing was changed)", path, what);
        break;
    case SQLITE_READONLY:
        code = ST_EREADONLY;
        st_error_set("%s: %s: the file or its folder is read-only", path, what);
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = ST_EBUSY;
        st_error_set("%s: %s: the database stayed locked by another writer", path, what);
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        code = ST_ECORRUPT;
        st_error_set("%s: %s: the file is damaged or not a mapidav database (%s)", path,
            what, msg);
        break;
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
            code = ST_EEXISTS;
            st_error_set("%s: %s: already exists", path, what);
            break;
        }
        st_error_set("%s: %s: %s", path, what, msg);
        break;
    case SQLITE_NOMEM:
        st_error_set("%s: %s: out of memory", path, what);
        break;
    default:
        st_error_set("%s: %s: %s (%d)", path, what, msg, rc);
        break;
    }
    ST_LOG_WARN(ST_LOG_STORAGE, "%s", st_error_last());
    return code;
}

int st_db__exec(st_db *d, const char *sql)
{
    int rc = sqlite3_exec(d->db, sql, NULL, NULL, NULL);
    busy_settle(d);
    if (rc != SQLITE_OK)
        return st_db__err(d, sqlite3_extended_errcode(d->db), "executing SQL");
    return 0;
}

int st_db__int(st_db *d, int64_t *out, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return st_db__err(d, rc, "preparing a query");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return 0;
    }
    if (rc == SQLITE_DONE) {
        *out = 0;
        sqlite3_finalize(st);
        return 0;
    }
    rc = sqlite3_extended_errcode(d->db);
    sqlite3_finalize(st);
    return st_db__err(d, rc, "reading a value");
}

sqlite3_stmt *st_db__prep(st_db *d, const char *sql)
{
    for (int i = 0; i < d->n_cache; i++)
        if (d->cache[i].sql == sql)
            return d->cache[i].stmt;
    for (int i = 0; i < d->n_cache; i++)
        if (strcmp(d->cache[i].sql, sql) == 0)
            return d->cache[i].stmt;
    if (d->n_cache == ST_DB__CACHE) {
        st_error_set("%s: statement cache full", d->path);
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        st_db__err(d, sqlite3_extended_errcode(d->db), "preparing a statement");
        return NULL;
    }
    d->cache[d->n_cache].sql = sql;
    d->cache[d->n_cache].stmt = st;
    d->n_cache++;
    return st;
}

void st_db__done(sqlite3_stmt *st)
{
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
}

int st_db__step_done(st_db *d, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
        st_db__done(st);
        return 0;
    }
    rc = sqlite3_extended_errcode(d->db);
    st_db__done(st);
    return st_db__err(d, rc, what);
}

int st_db__run_int(st_db *d, const char *sql, int64_t arg, const char *what)
{
    sqlite3_stmt *st = st_db__prep(d, sql);
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, arg);
    return st_db__step_done(d, st, what);
}

int st_db__step_row(st_db *d, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return 0;
    st_db__done(st);
    return rc == SQLITE_DONE ? ST_ENOTFOUND : st_db__err(d, rc, what);
}

int st_db__one(st_db *d, int64_t *out, sqlite3_stmt *st, const char *what)
{
    int code = st_db__step_row(d, st, what);
    int64_t v = code ? 0 : sqlite3_column_int64(st, 0);
    if (!code)
        st_db__done(st);
    if (out)
        *out = v;
    return code;
}

int st_db__row_int(st_db *d, sqlite3_stmt **out, const char *sql, int64_t arg,
    const char *what)
{
    *out = NULL;
    sqlite3_stmt *st = st_db__prep(d, sql);
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, arg);
    int code = st_db__step_row(d, st, what);
    if (!code)
        *out = st;
    return code;
}

int st_db__one_int(st_db *d, int64_t *out, const char *sql, int64_t arg, const char *what)
{
    sqlite3_stmt *st = st_db__prep(d, sql);
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, arg);
    return st_db__one(d, out, st, what);
}

int st_db__one_text(st_db *d, int64_t *out, const char *sql, const char *arg,
    const char *what)
{
    sqlite3_stmt *st = st_db__prep(d, sql);
    if (!st)
        return ST_ERROR;
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    return st_db__one(d, out, st, what);
}

int st_db__texts(st_db *d, char **const *outs, int n, const char *sql, int64_t arg,
    const char *what)
{
    for (int i = 0; i < n; i++)
        if (outs[i])
            *outs[i] = NULL;
    sqlite3_stmt *st = NULL;
    int code = st_db__row_int(d, &st, sql, arg, what);
    if (code)
        return code;
    for (int i = 0; i < n; i++)
        if (outs[i])
            *outs[i] = st_db__col_strdup(st, i);
    st_db__done(st);
    return 0;
}

int st_db__ids(st_db *d, st_id **out, size_t *n, sqlite3_stmt *st, const char *what)
{
    *out = NULL;
    *n = 0;
    st_id *ids = NULL;
    size_t cap = 0, cnt = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        st_id *p = st_grow(ids, &cap, cnt, sizeof *ids, 16);
        if (!p) {
            free(ids);
            st_db__done(st);
            return ST_ERROR;
        }
        ids = p;
        ids[cnt++] = (st_id)sqlite3_column_int64(st, 0);
    }
    st_db__done(st);
    if (rc != SQLITE_DONE) {
        free(ids);
        return st_db__err(d, rc, what);
    }
    *out = ids;
    *n = cnt;
    return 0;
}

int st_db__begin(st_db *d)
{
    if (d->readonly) {
        st_error_set("%s: opened read-only", d->path);
        return ST_EREADONLY;
    }
    if (d->depth == 0) {
        int rc = sqlite3_exec(d->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        busy_settle(d);
        if (rc != SQLITE_OK)
            return st_db__err(d, sqlite3_extended_errcode(d->db), "starting a write");
        d->failed = 0;
        d->txn_start_ms = st_os_time_ms();
    } else if (d->flat && d->depth >= d->flat) {
        /* no savepoint: a failure of this level fails the transaction */
    } else {
        sqlite3_stmt *st = st_db__prep(d, "SAVEPOINT st_nested");
        if (!st)
            return ST_ERROR;
        int code = st_db__step_done(d, st, "starting a savepoint");
        if (code)
            return code;
    }
    d->depth++;
    return 0;
}

static void rollback_outer(st_db *d)
{
    if (!sqlite3_get_autocommit(d->db))
        sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
}

int st_db__commit(st_db *d)
{
    if (d->depth <= 0) {
        st_error_set("%s: commit without a transaction", d->path);
        return ST_ERROR;
    }
    d->depth--;
    if (d->depth > 0 && d->flat && d->depth >= d->flat)
        return 0;   /* a level without a savepoint */
    if (d->depth > 0) {
        sqlite3_stmt *st = st_db__prep(d, "RELEASE st_nested");
        int code = st ? st_db__step_done(d, st, "releasing a savepoint") : ST_ERROR;
        if (code)
            d->failed = 1;
        return code;
    }
    if (d->failed) {
        rollback_outer(d);
        st_error_set("%s: the transaction was rolled back after an error", d->path);
        return ST_ERROR;
    }
    int rc = sqlite3_exec(d->db, "COMMIT", NULL, NULL, NULL);
    busy_settle(d);
    if (rc != SQLITE_OK) {
        int code = st_db__err(d, sqlite3_extended_errcode(d->db), "committing");
        rollback_outer(d);
        return code;
    }
    return 0;
}

void st_db__rollback(st_db *d)
{
    if (d->depth <= 0)
        return;
    d->depth--;
    if (d->depth > 0 && d->flat && d->depth >= d->flat) {
        d->failed = 1;   /* a level without a savepoint cannot be undone alone */
        return;
    }
    if (d->depth > 0) {
        /* Undo this level only; the outer transaction goes on. */
        if (sqlite3_exec(d->db, "ROLLBACK TO st_nested; RELEASE st_nested", NULL, NULL,
                NULL) != SQLITE_OK)
            d->failed = 1;
        if (sqlite3_get_autocommit(d->db))
            d->failed = 1;  /* SQLite rolled everything back itself */
        return;
    }
    rollback_outer(d);
}

/* "file:PATH?immutable=1" with PATH percent-encoded (Windows: '/' for '\\'
 * and a '/' before the drive), for sqlite3_open_v2 with SQLITE_OPEN_URI.
 * malloc'd, NULL when out of memory. */
static char *immutable_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *u = malloc(n * 3 + 32), *o = u;
    if (!u)
        return NULL;
    o += sprintf(o, "file:");
#ifdef _WIN32
    if (n >= 2 && path[1] == ':')
        *o++ = '/';
#endif
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
#ifdef _WIN32
        if (c == '\\')
            c = '/';
#endif
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            strchr("-._~/:", c)) {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        }
    }
    strcpy(o, "?immutable=1");
    return u;
}

/* A read-only open of a WAL file whose -shm cannot be created (read-only
 * media) fails on the first read with SQLITE_CANTOPEN. Without a -wal file
 * everything committed is in the main file, and nothing can write to it, so
 * it is opened as immutable instead (no -shm, no locks). With a -wal file
 * SQLite reads it through the existing -shm, or the open fails clearly. */
static int reopen_immutable_if_needed(st_db *d, const char *path, int oflags)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(d->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if ((rc & 0xff) != SQLITE_CANTOPEN)
        return 0;
    char wal[4096];
    uint64_t size = 0;
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (st_os_path_size(&size, wal) == 0)
        return 0;   /* a WAL to read: leave the error to the caller's first read */
    char *uri = immutable_uri(path);
    if (!uri)
        return ST_ERROR;
    sqlite3_close_v2(d->db);
    d->db = NULL;
    rc = sqlite3_open_v2(uri, &d->db, oflags | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return st_db__err(d, rc, "opening on read-only media");
    ST_LOG_INFO(ST_LOG_STORAGE, "%s: on read-only media, opened as immutable", path);
    return 0;
}

/* SQLite's memory statistics off before its first use: they take a global
 * mutex around every malloc and free (5-6 % of an initial sync's
 * instructions), and nothing of ours reads them (sqlite3_memory_used and
 * _highwater then say 0; test_storage_stream counts with its own
 * allocator). sqlite3_config fails harmlessly (SQLITE_MISUSE) when the
 * process had already started SQLite itself; then they stay on. */
static st_once sqlite_once = ST_ONCE_INIT;

static void sqlite_setup(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int st_db__open(st_db *d, const char *path, int create, int readonly, int max_version)
{
    st_once_call(&sqlite_once, sqlite_setup);
    memset(d, 0, sizeof *d);
    d->path = st_strdup(path);
    if (!d->path)
        return ST_ERROR;
    d->readonly = readonly;
    d->waiters = waiter_slot(path);
    int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (readonly)
        oflags |= SQLITE_OPEN_READONLY;
    else
        oflags |= SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &d->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        int code;
        if ((rc & 0xff) == SQLITE_CANTOPEN && !create) {
            st_error_set("%s: no such store file", path);
            code = ST_ENOTFOUND;
        } else {
            code = st_db__err(d, rc, "opening");
        }
        st_db__close(d);
        return code;
    }
    if (readonly) {
        int code = reopen_immutable_if_needed(d, path, oflags);
        if (code) {
            st_db__close(d);
            return code;
        }
    }
    if (!readonly && sqlite3_db_readonly(d->db, "main") == 1) {
        st_error_set("%s: the file is read-only (or on read-only media); open it read-only",
            path);
        st_db__close(d);
        return ST_EREADONLY;
    }
    st_db__set_busy_timeout(d, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(d->db, 1);
    rc = sqlite3_create_collation_v2(d->db, "ST_NOCASE", SQLITE_UTF8, NULL, collate_nocase,
        NULL);
    if (rc != SQLITE_OK) {
        int code = st_db__err(d, rc, "registering the collation");
        st_db__close(d);
        return code;
    }
    if (st_log_enabled(ST_LOG_SQL, ST_LOG_LEVEL_TRACE))
        sqlite3_trace_v2(d->db, SQLITE_TRACE_STMT, trace_sql, NULL);

    /* A file from a newer mapidav is refused before anything is written to
     * it (switching to WAL would already change its header). */
    int64_t version = 0;
    int code = st_db__int(d, &version, "PRAGMA user_version");
    if (code)
        goto fail;
    if (version > max_version) {
        st_error_set("%s: written by a newer version of mapidav (schema %lld, this one "
            "knows up to %d); not opened, not changed", path, (long long)version, max_version);
        code = ST_ENEWER;
        goto fail;
    }
    int64_t pages = 0;
    code = st_db__int(d, &pages, "PRAGMA page_count");
    if (code)
        goto fail;
    if (pages == 0 && !readonly) {
        /* A new file: auto_vacuum must be chosen before the first table. */
        code = st_db__exec(d, "PRAGMA page_size=8192; PRAGMA auto_vacuum=INCREMENTAL");
        if (code)
            goto fail;
    }
    if (!readonly) {
        /* WAL: readers never block the writer and a kill loses nothing
         * committed. synchronous=FULL: a commit survives a power cut too
         * (journal entries are the user's work); batches of 20 ms make the
         * fsync per commit affordable. */
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(d->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st);
        const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        int wal = mode && strcmp(mode, "wal") == 0;
        sqlite3_finalize(st);
        if (!wal) {
            code = st_db__err(d, sqlite3_extended_errcode(d->db), "switching to WAL");
            if (code == ST_ERROR) {
                st_error_set("%s: cannot use WAL journal mode (network share or read-only "
                    "folder?)", path);
            }
            goto fail;
        }
        code = st_db__exec(d, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;"
            "PRAGMA wal_autocheckpoint=2000");
        if (code)
            goto fail;
    } else {
        code = st_db__exec(d, "PRAGMA foreign_keys=ON; PRAGMA query_only=1");
        if (code)
            goto fail;
    }
    return 0;
fail:
    st_db__close(d);
    return code;
}

void st_db__close(st_db *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n_cache; i++)
        sqlite3_finalize(d->cache[i].stmt);
    d->n_cache = 0;
    if (d->db) {
        if (d->depth > 0 && !sqlite3_get_autocommit(d->db))
            sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(d->db);
    }
    if (d->waiters)
        busy_settle(d);
    d->db = NULL;
    free(d->path);
    d->path = NULL;
}
