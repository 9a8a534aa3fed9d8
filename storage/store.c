/*
 * store.c: opening a <store guid>.sqlite file, its transactions with the
 * events they queue, and the per-store counters (object ids, change
 * numbers) behind stable ids and source/change keys.
 *
 * Invariant: events are published only after the outermost COMMIT
 * succeeded; a rolled-back level drops the events it queued. Ids and change
 * numbers come from meta counters updated in the same transaction as the
 * object, so a rollback gives them back and a commit never reuses one.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_guids.h"
#include "storage/storage_int.h"

static int store_guid(st_store *s, const st_guid *want, int created)
{
    sqlite3_stmt *st = st_db__prep(&s->d, "SELECT value FROM meta WHERE key = 'guid'");
    if (!st)
        return ST_ERROR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 16) {
        memcpy(s->guid_bytes, sqlite3_column_blob(st, 0), 16);
        st_db__done(st);
        st_guid_from_bytes(&s->guid, s->guid_bytes);
        if (want && st_guid_compare(want, &s->guid) != 0) {
            st_error_set("%s: belongs to another store (GUID differs)", s->d.path);
            return ST_ECORRUPT;
        }
        return 0;
    }
    st_db__done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return st_db__err(&s->d, sqlite3_extended_errcode(s->d.db), "reading the store GUID");
    if (!want || s->d.readonly || !created) {
        st_error_set("%s: the store has no GUID", s->d.path);
        return ST_ECORRUPT;
    }
    s->guid = *want;
    st_guid_to_bytes(s->guid_bytes, want);
    st = st_db__prep(&s->d, "INSERT OR IGNORE INTO meta(key, value) VALUES ('guid', ?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_blob(st, 1, s->guid_bytes, 16, SQLITE_TRANSIENT);
    int code = st_db__step_done(&s->d, st, "recording the store GUID");
    if (code)
        return code;
    return store_guid(s, want, 0);
}

int st_store_open(st_store **out, const char *path, const st_guid *guid, unsigned flags)
{
    *out = NULL;
    st_store *s = calloc(1, sizeof *s);
    if (!s) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    int code = st_db__open(&s->d, path, (flags & ST_OPEN_CREATE) != 0,
        (flags & ST_OPEN_READONLY) != 0, ST_STORE_VERSION);
    if (code) {
        free(s);
        return code;
    }
    int64_t before = 0;
    code = st_db__int(&s->d, &before, "PRAGMA user_version");
    if (!code)
        code = st_schema__prepare(&s->d, ST_SCHEMA_STORE);
    if (!code)
        code = store_guid(s, guid, before == 0);
    if (!code && !(s->bus = st_bus__get(path)))
        code = ST_ERROR;
    if (!code)
        code = st_db__int(&s->d, &s->data_version, "PRAGMA data_version");
    if (!code && !s->d.readonly)
        (void)st_stream__drop_orphans(s);   /* best effort: a busy file can wait */
    if (code) {
        st_store_close(s);
        return code;
    }
    ST_LOG_INFO(ST_LOG_STORAGE, "opened store %s", path);
    *out = s;
    return 0;
}

void st_store_close(st_store *s)
{
    if (!s)
        return;
    st_db__close(&s->d);
    st_bus__put(s->bus);
    free(s->ev);
    free(s);
}

const char *st_store_path(const st_store *s)
{
    return s->d.path;
}

void st_store_guid(const st_store *s, st_guid *out)
{
    *out = s->guid;
}

void st_store_set_busy_timeout(st_store *s, int ms)
{
    st_db__set_busy_timeout(&s->d, ms);
}

static int save_counters(st_store *s);

int st_store__begin(st_store *s)
{
    int depth = s->d.depth;
    int code = st_db__begin(&s->d);
    if (code)
        return code;
    if (depth == 0) {
        s->n_ev = 0;
        s->ev_oom = 0;
        s->last_cn = 0;
    }
    if (depth < 16)
        s->ev_mark[depth] = s->n_ev;
    return 0;
}

static void publish(st_store *s)
{
    if (s->ev_oom) {
        st_event ev = { .type = ST_EV_EXTERNAL };
        st_bus__publish(s->bus, &ev, 1, s->last_cn);
    } else {
        st_bus__publish(s->bus, s->ev, s->n_ev, s->last_cn);
    }
    s->n_ev = 0;
    s->ev_oom = 0;
}

int st_store__commit(st_store *s)
{
    if (s->d.depth == 1 && !s->d.failed) {
        int code = st_search__precommit(s);   /* search results move with the change */
        if (!code)
            code = save_counters(s);
        if (code) {
            st_store__rollback(s);
            return code;
        }
    }
    if (s->d.depth == 1)
        s->ctr_loaded = 0;
    int code = st_db__commit(&s->d);
    if (s->d.depth > 0)
        return code;
    if (code) {
        s->n_ev = 0;
        return code;
    }
    /* Our own commit moved data_version for the others, not for us. */
    publish(s);
    return 0;
}

void st_store__rollback(st_store *s)
{
    int depth = s->d.depth;
    st_db__rollback(&s->d);
    if (depth >= 1 && depth - 1 < 16)
        s->n_ev = s->ev_mark[depth - 1];
    if (s->d.depth == 0) {
        s->n_ev = 0;
        s->ctr_loaded = 0;
    }
}

int st_store_begin(st_store *s)
{
    return st_store__begin(s);
}

int st_store_commit(st_store *s)
{
    return st_store__commit(s);
}

void st_store_rollback(st_store *s)
{
    st_store__rollback(s);
}

int st_store__end(st_store *s, int code)
{
    if (code) {
        st_store__rollback(s);
        return code;
    }
    return st_store__commit(s);
}

void st_store__event(st_store *s, int type, int kind, st_id id, st_id folder,
    st_id old_folder, int assoc, unsigned flags)
{
    st_event *ev = st_grow(s->ev, &s->cap_ev, s->n_ev, sizeof *ev, 16);
    if (!ev) {
        s->ev_oom = 1;
        return;
    }
    s->ev = ev;
    s->ev[s->n_ev++] = (st_event){ type, kind, id, folder, old_folder, assoc,
        (flags & ST_FROM_SERVER) != 0 };
}

/* The counters are read once per transaction (we hold the write lock, so
 * nobody else moves them), counted up in memory and written back just
 * before the COMMIT: two UPDATEs per transaction instead of two per object.
 * Values handed out in a rolled-back savepoint are skipped, never reused. */
static int load_counters(st_store *s)
{
    if (s->ctr_loaded)
        return 0;
    if (s->d.depth == 0) {
        st_error_set("%s: allocating an id outside a transaction", s->d.path);
        return ST_ERROR;
    }
    int code = st_db__int(&s->d, &s->next_id, "SELECT value FROM meta WHERE key = 'next_id'");
    if (!code)
        code = st_db__int(&s->d, &s->next_cn, "SELECT value FROM meta WHERE key = 'next_cn'");
    if (!code && (s->next_id < 1 || s->next_cn < 1)) {
        st_error_set("%s: damaged id counters", s->d.path);
        code = ST_ECORRUPT;
    }
    if (!code)
        s->ctr_loaded = 1;
    return code;
}

static int save_counters(st_store *s)
{
    if (!s->ctr_loaded)
        return 0;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "UPDATE meta SET value = CASE key WHEN 'next_id' THEN ?1 ELSE ?2 END"
        " WHERE key IN ('next_id', 'next_cn')");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, s->next_id);
    sqlite3_bind_int64(st, 2, s->next_cn);
    return st_db__step_done(&s->d, st, "saving the id counters");
}

int st_store__alloc_id(st_store *s, st_id *out)
{
    int code = load_counters(s);
    *out = code ? 0 : (st_id)s->next_id++;
    return code;
}

int st_store__alloc_cn(st_store *s, int64_t *out)
{
    int code = load_counters(s);
    *out = code ? 0 : s->next_cn++;
    if (!code && *out > s->last_cn)
        s->last_cn = *out;
    return code;
}

void st_store__xid(const st_store *s, uint8_t out[22], uint64_t counter)
{
    memcpy(out, s->guid_bytes, 16);
    for (int i = 0; i < 6; i++)
        out[16 + i] = (uint8_t)(counter >> (8 * i));
}

int st_store__notfound(st_store *s, const char *what, uint64_t id)
{
    st_error_set("%s: no %s %llu", s->d.path, what, (unsigned long long)id);
    return ST_ENOTFOUND;
}

int st_store__bag_apply(st_bag *cur, const st_bag *set, const uint32_t *del, size_t n_del)
{
    for (size_t i = 0; set && i < st_bag_count(set); i++)
        if (st_bag_set(cur, st_bag_at(set, i)) < 0)
            return ST_ERROR;
    for (size_t i = 0; i < n_del; i++)
        (void)st_bag_delete(cur, del[i]);
    return 0;
}
