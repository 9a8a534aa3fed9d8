/*
 * store_props.c: the properties a client keeps on the store object itself
 * (IMsgStore::SetProps of what the provider does not compute: Outlook's
 * PR_IPM_... additions, its named properties on the store). They are one
 * property blob (propblob.c) in the store file's meta table, key
 * 'store_props', rewritten whole in one transaction: a kill leaves the old
 * set or the new one, never a mix.
 *
 * Invariant: the blob is read back through st_propblob__decode (CRC and
 * every length checked): a damaged one is ST_ECORRUPT, never a bad read.
 * Never: hold values the provider computes (the caller filters them), keep
 * streams or subobjects, or journal the change (store properties are local
 * and never synchronised).
 */
#include <stdlib.h>

#include "storage/storage_int.h"

int st_store_props_get(st_store *s, st_bag **out)
{
    *out = st_bag_new();
    if (!*out) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    sqlite3_stmt *st = st_db__prep(&s->d, "SELECT value FROM meta WHERE key = 'store_props'");
    if (!st) {
        st_bag_free(*out);
        *out = NULL;
        return ST_ERROR;
    }
    int rc = sqlite3_step(st);
    int code = 0;
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) != SQLITE_BLOB) {
            st_error_set("%s: the store's properties are not a property blob", s->d.path);
            code = ST_ECORRUPT;
        } else {
            code = st_propblob__decode(*out, sqlite3_column_blob(st, 0),
                (size_t)sqlite3_column_bytes(st, 0));
        }
    } else if (rc != SQLITE_DONE) {
        code = st_db__err(&s->d, rc, "reading the store's properties");
    }
    st_db__done(st);
    if (code) {
        st_bag_free(*out);
        *out = NULL;
    }
    return code;
}

int st_store_props_set(st_store *s, const st_bag *set, const uint32_t *del, size_t n_del)
{
    st_bag *cur = NULL;
    st_buf blob = { 0 };
    int code = st_store__begin(s);
    if (code)
        return code;
    code = st_store_props_get(s, &cur);
    if (!code)
        code = st_store__bag_apply(cur, set, del, n_del);
    if (!code)
        code = st_propblob__encode(&blob, cur, NULL, NULL);
    if (!code) {
        sqlite3_stmt *st = st_db__prep(&s->d,
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('store_props', ?)");
        if (!st) {
            code = ST_ERROR;
        } else {
            sqlite3_bind_blob(st, 1, blob.data, (int)blob.len, SQLITE_TRANSIENT);
            code = st_db__step_done(&s->d, st, "saving the store's properties");
        }
    }
    st_bag_free(cur);
    st_buf_free(&blob);
    return st_store__end(s, code);
}
