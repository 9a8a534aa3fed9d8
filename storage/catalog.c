/*
 * catalog.c: catalog.sqlite, one per account: settings, the account's
 * stores, and the named-property map all its stores share.
 *
 * Named ids: an unknown name gets max(id) + 1 inside a BEGIN IMMEDIATE
 * transaction, which holds SQLite's write lock across processes, so two
 * threads or processes asking for the same or different names at once get
 * distinct ids, and the UNIQUE(guid, kind, lid, name) constraint makes a
 * second assignment of one name impossible. Rows are never deleted, so an
 * id is never reused. A lookup of names already known takes no write lock.
 *
 * Never: hand out an id outside 0x8000-0xFFFE (ST_ELIMIT when full).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/props_guids.h"
#include "storage/storage_int.h"

int st_catalog_open(st_catalog **out, const char *path, unsigned flags)
{
    *out = NULL;
    st_catalog *c = calloc(1, sizeof *c);
    if (!c) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    int code = st_db__open(&c->d, path, (flags & ST_OPEN_CREATE) != 0,
        (flags & ST_OPEN_READONLY) != 0, ST_CATALOG_VERSION);
    if (code) {
        free(c);
        return code;
    }
    code = st_schema__prepare(&c->d, ST_SCHEMA_CATALOG);
    if (!code) {
        c->dir = st_strdup(path);
        if (!c->dir)
            code = ST_ERROR;
        else {
            char *slash = strrchr(c->dir, '/');
#ifdef _WIN32
            char *bs = strrchr(c->dir, '\\');
            if (bs && (!slash || bs > slash))
                slash = bs;
#endif
            if (slash)
                slash[1] = 0;
            else
                c->dir[0] = 0;
        }
    }
    if (code) {
        st_catalog_close(c);
        return code;
    }
    *out = c;
    return 0;
}

void st_catalog_close(st_catalog *c)
{
    if (!c)
        return;
    st_db__close(&c->d);
    free(c->dir);
    free(c);
}

int st_catalog_setting_set(st_catalog *c, const char *key, const char *value)
{
    sqlite3_stmt *st = st_db__prep(&c->d, value
        ? "INSERT OR REPLACE INTO settings(key, value) VALUES (?1, ?2)"
        : "DELETE FROM settings WHERE key = ?1");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    if (value)
        sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    return st_db__step_done(&c->d, st, "saving a setting");
}

int st_catalog_setting_get(st_catalog *c, char **out, const char *key)
{
    *out = NULL;
    sqlite3_stmt *st = st_db__prep(&c->d, "SELECT value FROM settings WHERE key = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int code = 0;
    if (rc == SQLITE_ROW) {
        if (!(*out = st_db__col_strdup(st, 0)))
            code = ST_ERROR;
    } else if (rc == SQLITE_DONE) {
        code = ST_ENOTFOUND;
    } else {
        code = st_db__err(&c->d, rc, "reading a setting");
    }
    st_db__done(st);
    return code;
}

int st_catalog_store_add(st_catalog *c, const st_store_info *info)
{
    uint8_t g[16];
    st_guid_to_bytes(g, &info->guid);
    sqlite3_stmt *st = st_db__prep(&c->d,
        "INSERT INTO stores(guid, kind, display_name, url) VALUES (?, ?, ?, ?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_blob(st, 1, g, 16, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, info->kind);
    sqlite3_bind_text(st, 3, info->display_name ? info->display_name : "", -1, SQLITE_TRANSIENT);
    st_db__bind_text(st, 4, info->url);
    return st_db__step_done(&c->d, st, "adding a store");
}

int st_catalog_store_remove(st_catalog *c, const st_guid *guid)
{
    uint8_t g[16];
    st_guid_to_bytes(g, guid);
    sqlite3_stmt *st = st_db__prep(&c->d, "DELETE FROM stores WHERE guid = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_blob(st, 1, g, 16, SQLITE_TRANSIENT);
    int code = st_db__step_done(&c->d, st, "removing a store");
    if (!code && sqlite3_changes(c->d.db) == 0)
        code = ST_ENOTFOUND;
    return code;
}

void st_store_info_free(st_store_info *infos, size_t n)
{
    if (!infos)
        return;
    for (size_t i = 0; i < n; i++) {
        free(infos[i].display_name);
        free(infos[i].url);
    }
    free(infos);
}

int st_catalog_store_list(st_catalog *c, st_store_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = st_db__prep(&c->d,
        "SELECT guid, kind, display_name, url FROM stores ORDER BY kind, display_name");
    if (!st)
        return ST_ERROR;
    st_store_info *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc, code = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        st_store_info *p = st_grow(v, &cap, cnt, sizeof *v, 4);
        if (!p) {
            code = ST_ERROR;
            break;
        }
        v = p;
        st_store_info *e = &v[cnt++];
        memset(e, 0, sizeof *e);
        if (sqlite3_column_bytes(st, 0) == 16)
            st_guid_from_bytes(&e->guid, sqlite3_column_blob(st, 0));
        e->kind = sqlite3_column_int(st, 1);
        e->display_name = st_db__col_strdup(st, 2);
        e->url = st_db__col_strdup(st, 3);
    }
    st_db__done(st);
    if (!code && rc != SQLITE_DONE)
        code = st_db__err(&c->d, rc, "listing stores");
    if (code) {
        st_store_info_free(v, cnt);
        return code;
    }
    *out = v;
    *n = cnt;
    return 0;
}

int st_catalog_store_path(st_catalog *c, char **out, const st_guid *guid)
{
    char g[ST_GUID_STRING_SIZE];
    st_guid_to_string(g, guid);
    size_t n = strlen(c->dir) + strlen(g) + sizeof ".sqlite";
    *out = malloc(n);
    if (!*out) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    snprintf(*out, n, "%s%s.sqlite", c->dir, g);
    return 0;
}

/* id of one name, or 0. */
static int lookup(st_catalog *c, uint16_t *id, const st_propname *pn)
{
    *id = 0;
    uint8_t g[16];
    st_guid_to_bytes(g, &pn->guid);
    sqlite3_stmt *st = st_db__prep(&c->d,
        "SELECT id FROM named_props WHERE guid = ? AND kind = ? AND lid = ? AND name = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_blob(st, 1, g, 16, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, pn->kind);
    sqlite3_bind_int64(st, 3, pn->kind == ST_MNID_ID ? pn->lid : 0);
    sqlite3_bind_text(st, 4, pn->kind == ST_MNID_STRING && pn->name ? pn->name : "", -1,
        SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = (uint16_t)sqlite3_column_int(st, 0);
    st_db__done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : st_db__err(&c->d, rc, "reading named properties");
}

static int assign(st_catalog *c, uint16_t *id, const st_propname *pn)
{
    int64_t next = 0;
    int code = st_db__int(&c->d, &next, "SELECT ifnull(max(id), 32767) + 1 FROM named_props");
    if (code)
        return code;
    if (next > 0xFFFE) {
        st_error_set("%s: no named-property id left (0x8000-0xFFFE all used)", c->d.path);
        return ST_ELIMIT;
    }
    uint8_t g[16];
    st_guid_to_bytes(g, &pn->guid);
    sqlite3_stmt *st = st_db__prep(&c->d,
        "INSERT INTO named_props(id, guid, kind, lid, name) VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, next);
    sqlite3_bind_blob(st, 2, g, 16, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, pn->kind);
    sqlite3_bind_int64(st, 4, pn->kind == ST_MNID_ID ? pn->lid : 0);
    sqlite3_bind_text(st, 5, pn->kind == ST_MNID_STRING && pn->name ? pn->name : "", -1,
        SQLITE_TRANSIENT);
    code = st_db__step_done(&c->d, st, "assigning a named property");
    if (!code)
        *id = (uint16_t)next;
    return code;
}

int st_catalog_names_to_ids(st_catalog *c, uint16_t *ids, const st_propname *names, size_t n,
    int create)
{
    int missing = 0, code = 0;
    for (size_t i = 0; i < n; i++) {
        if (names[i].kind != ST_MNID_ID && names[i].kind != ST_MNID_STRING) {
            st_error_set("named property %zu: unknown kind %d", i, names[i].kind);
            return ST_ERROR;
        }
        code = lookup(c, &ids[i], &names[i]);
        if (code)
            return code;
        missing |= ids[i] == 0;
    }
    if (!missing || !create)
        return 0;
    code = st_db__begin(&c->d);
    if (code)
        return code;
    /* Under the write lock: another thread or process may have added some. */
    for (size_t i = 0; !code && i < n; i++) {
        if (ids[i])
            continue;
        code = lookup(c, &ids[i], &names[i]);
        if (!code && !ids[i])
            code = assign(c, &ids[i], &names[i]);
    }
    if (code) {
        st_db__rollback(&c->d);
        return code;
    }
    return st_db__commit(&c->d);
}

/* The name in columns at.. at+3 (guid, kind, lid, name) of a named_props
 * row into *e (zeroed first): 1 read, 0 not a row assign() makes (left
 * with kind -1), -1 out of memory. */
static int row_name(sqlite3_stmt *st, int at, st_propname *e)
{
    memset(e, 0, sizeof *e);
    e->kind = -1;
    int kind = sqlite3_column_int(st, at + 1);
    if (sqlite3_column_bytes(st, at) != 16 || (kind != ST_MNID_ID && kind != ST_MNID_STRING))
        return 0;
    st_guid_from_bytes(&e->guid, sqlite3_column_blob(st, at));
    if (kind == ST_MNID_ID)
        e->lid = (uint32_t)sqlite3_column_int64(st, at + 2);
    else if (!(e->name = st_db__col_strdup(st, at + 3)))
        return -1;
    e->kind = kind;
    return 1;
}

int st_catalog_ids_to_names(st_catalog *c, st_propname *out, const uint16_t *ids, size_t n)
{
    memset(out, 0, n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        out[i].kind = -1;
        sqlite3_stmt *st = st_db__prep(&c->d,
            "SELECT guid, kind, lid, name FROM named_props WHERE id = ?");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int(st, 1, ids[i]);
        int rc = sqlite3_step(st);
        int code = 0;
        if (rc == SQLITE_ROW) {
            if (row_name(st, 0, &out[i]) < 0)
                code = ST_ERROR;
        } else if (rc != SQLITE_DONE) {
            code = st_db__err(&c->d, rc, "reading named properties");
        }
        st_db__done(st);
        if (code) {
            for (size_t k = 0; k <= i; k++)
                st_propname_clear(&out[k]);
            return code;
        }
    }
    return 0;
}

int st_catalog_names_list(st_catalog *c, const st_guid *guid, uint16_t **ids,
    st_propname **names, size_t *n)
{
    *ids = NULL;
    *names = NULL;
    *n = 0;
    uint8_t g[16];
    if (guid)
        st_guid_to_bytes(g, guid);
    sqlite3_stmt *st = st_db__prep(&c->d, guid
        ? "SELECT id, guid, kind, lid, name FROM named_props WHERE guid = ? ORDER BY id"
        : "SELECT id, guid, kind, lid, name FROM named_props ORDER BY id");
    if (!st)
        return ST_ERROR;
    if (guid)
        sqlite3_bind_blob(st, 1, g, 16, SQLITE_TRANSIENT);
    uint16_t *vi = NULL;
    st_propname *vn = NULL;
    size_t cnt = 0, cap_i = 0, cap_n = 0;
    int rc, code = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id < 0x8000 || id > 0xFFFE)
            continue;   /* not a row assign() makes: never handed out */
        uint16_t *pi = st_grow(vi, &cap_i, cnt, sizeof *vi, 64);
        if (pi)
            vi = pi;
        st_propname *pn = st_grow(vn, &cap_n, cnt, sizeof *vn, 64);
        if (pn)
            vn = pn;
        if (!pi || !pn) {
            code = ST_ERROR;
            break;
        }
        int r = row_name(st, 1, &vn[cnt]);
        if (r < 0) {
            code = ST_ERROR;
            break;
        }
        if (r > 0)
            vi[cnt++] = (uint16_t)id;
    }
    st_db__done(st);
    if (!code && rc != SQLITE_DONE && rc != SQLITE_ROW)
        code = st_db__err(&c->d, rc, "listing named properties");
    if (code) {
        for (size_t i = 0; i < cnt; i++)
            st_propname_clear(&vn[i]);
        free(vi);
        free(vn);
        return code;
    }
    *ids = vi;
    *names = vn;
    *n = cnt;
    return 0;
}
