/*
 * rebuild.c: a damaged store replaced by a fresh one without losing the
 * user's unsent work (st_store_rebuild), and that work put back once the
 * fresh store has been filled from the server again (st_store_restore).
 *
 * Rebuild, in this order, each step only after the one before succeeded:
 *   1. every journal entry of the damaged store is read (the journal is the
 *      list of what the server does not have yet; if it cannot be read the
 *      file is left alone, unless forced);
 *   2. each message an entry names is copied whole (properties, streams,
 *      recipients, attachments, embedded messages) into an export store,
 *      "<store>.recovered-<time>.sqlite", beside a table `recovered` that
 *      keeps, per entry, what it was (ops, href, base ETag, the folder's
 *      URL and name path); a message that cannot be read is counted and
 *      logged, the others still go;
 *   3. the damaged file (and its -wal, -shm) is renamed to
 *      "<store>.damaged-<time>" (never deleted: an expert may want it);
 *   4. a fresh, empty store with the same GUID takes its place, with the
 *      store's own properties (st_store_props_get / _set: local, the server
 *      never has them) of the damaged one when they can be read.
 * Beside the journal entries, the export store keeps each folder's local
 * properties (table `folder_props`: ids 0x6600-0x67FF, the provider-defined
 * non-transmittable range ([MS-OXPROPS] 1.3.1) the sync never brings back,
 * such as the provider's saved contents sort) with the folder's URL and
 * name path: the fresh store has no folders yet at rebuild time.
 * Restore, after the fresh store has synced down: per recovered entry, in
 * journal order, the change is made again as a local change (so it is
 * journaled and goes up): a message the server has (by href) gets the
 * exported content (modify), read state, and folder (move); one it does not
 * have is created in the folder with the same URL, else the same name path,
 * else "Recovered Items" under the root; a deleted message is deleted
 * again; a folder made locally is made again by its path, a renamed or
 * moved one renamed or moved by its URL, a deleted one deleted. Then the
 * folders' local properties go back on the folder with the same URL, else
 * the same name path, not journaled (one that is in neither place is
 * counted as skipped).
 * Never: delete a file, drop an entry silently (what cannot be restored is
 * counted and logged), write to the damaged file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/log.h"
#include "storage/os.h"
#include "storage/props_guids.h"
#include "storage/props_tags.h"
#include "storage/storage_int.h"

#define MAX_DEPTH 8   /* embedded messages followed this deep */

/* ---- a message copied whole from one store to another ---- */

static int copy_streams(st_store *src, st_id smid, uint32_t snum, st_store *dst, st_id dmid,
    uint32_t dnum, const uint32_t *tags, size_t n, unsigned flags)
{
    char buf[ST_STREAM_CHUNK];
    int code = 0;
    for (size_t i = 0; !code && i < n; i++) {
        st_stream *r = NULL, *w = NULL;
        code = st_stream_open_read(&r, src, smid, snum, tags[i]);
        if (!code)
            code = st_stream_open_write(&w, dst, dmid, dnum, st_stream_tag(r));
        size_t got = 0;
        while (!code && (code = st_stream_read(r, buf, sizeof buf, &got)) == 0 && got)
            code = st_stream_write(w, buf, got);
        if (!code) {
            code = st_stream_commit(w, flags);
            w = NULL;
        }
        st_stream_close(w);
        st_stream_close(r);
    }
    return code;
}

/* Splits bag into what can be set and the tags kept as streams (PT_ERROR
 * MAPI_E_NOT_ENOUGH_MEMORY); *tags malloc'd. */
static int split_streams(st_bag *bag, uint32_t **tags, size_t *n)
{
    *tags = NULL;
    *n = 0;
    size_t cnt = st_bag_count(bag);
    uint32_t *t = malloc((cnt ? cnt : 1) * sizeof *t);
    if (!t)
        return ST_ERROR;
    for (size_t i = 0; i < st_bag_count(bag);) {
        const st_value *v = st_bag_at(bag, i);
        if (PROP_TYPE(v->tag) == PT_ERROR && v->v.err == ST_E_NOT_ENOUGH_MEMORY) {
            /* a stream: read by id, its stored type comes with it */
            t[(*n)++] = PROP_TAG(PT_BINARY, PROP_ID(v->tag));
            st_bag_delete(bag, v->tag);
        } else {
            i++;
        }
    }
    *tags = t;
    return 0;
}

static int copy_content(st_store *src, st_id smid, st_store *dst, st_id dmid, unsigned flags,
    int depth);

static int copy_attachments(st_store *src, st_id smid, st_store *dst, st_id dmid,
    unsigned flags, int depth)
{
    uint32_t *nums = NULL;
    size_t n = 0;
    int code = st_attach_list(src, &nums, &n, smid);
    for (size_t i = 0; !code && i < n; i++) {
        st_bag *a = NULL;
        uint32_t *stags = NULL, dnum = 0;
        size_t ns = 0;
        code = st_attach_get(src, &a, smid, nums[i]);
        if (!code)
            code = split_streams(a, &stags, &ns);
        if (!code) {
            st_bag_delete(a, PR_ATTACH_NUM);
            code = st_attach_create(dst, &dnum, dmid, a, flags);
        }
        if (!code)
            code = copy_streams(src, smid, nums[i], dst, dmid, dnum, stags, ns, flags);
        const st_value *m = a ? st_bag_get(a, PR_ATTACH_METHOD) : NULL;
        if (!code && m && m->v.l == ATTACH_EMBEDDED_MSG && depth < MAX_DEPTH) {
            st_id se = 0, de = 0;
            code = st_attach_embedded(src, &se, smid, nums[i], 0);
            if (!code)
                code = st_attach_embedded(dst, &de, dmid, dnum, 1);
            if (!code)
                code = copy_content(src, se, dst, de, flags, depth + 1);
            if (code == ST_ENOTFOUND)
                code = 0;   /* an embedded attachment without its message */
        }
        free(stags);
        st_bag_free(a);
    }
    free(nums);
    return code;
}

/* Properties (set on dmid), streams, recipients and attachments. */
static int copy_content(st_store *src, st_id smid, st_store *dst, st_id dmid, unsigned flags,
    int depth)
{
    st_bag *props = NULL, **rows = NULL;
    uint32_t *stags = NULL;
    size_t ns = 0, nr = 0;
    int code = st_message_get(src, &props, smid);
    if (!code)
        code = split_streams(props, &stags, &ns);
    if (!code)
        code = st_message_set_props(dst, dmid, props, NULL, 0, flags);
    if (!code)
        code = copy_streams(src, smid, ST_NO_ATTACH, dst, dmid, ST_NO_ATTACH, stags, ns, flags);
    if (!code)
        code = st_recipients_get(src, &rows, &nr, smid);
    if (!code && nr)
        code = st_recipients_set(dst, dmid, rows, nr, flags);
    if (!code)
        code = copy_attachments(src, smid, dst, dmid, flags, depth);
    for (size_t i = 0; i < nr; i++)
        st_bag_free(rows[i]);
    free(rows);
    free(stags);
    st_bag_free(props);
    return code;
}

/* A new message in dfid with smid's content; one transaction. */
static int copy_message(st_store *src, st_id smid, st_store *dst, st_id dfid, unsigned flags,
    st_id *out)
{
    st_bag *empty = st_bag_new();
    if (!empty)
        return ST_ERROR;
    int code = st_store_begin(dst);
    if (!code) {
        code = st_message_create(dst, out, dfid, empty, flags);
        if (!code)
            code = copy_content(src, smid, dst, *out, flags, 0);
        if (code)
            st_store_rollback(dst);
        else
            code = st_store_commit(dst);
    }
    st_bag_free(empty);
    return code;
}

/* Replaces dmid's content with smid's, as one local change. */
static int replace_message(st_store *src, st_id smid, st_store *dst, st_id dmid)
{
    int code = st_store_begin(dst);
    if (code)
        return code;
    uint32_t *nums = NULL;
    size_t n = 0;
    code = st_attach_list(dst, &nums, &n, dmid);
    for (size_t i = 0; !code && i < n; i++)
        code = st_attach_delete(dst, dmid, nums[i], 0);
    free(nums);
    if (!code)
        code = copy_content(src, smid, dst, dmid, 0, 0);
    if (code) {
        st_store_rollback(dst);
        return code;
    }
    return st_store_commit(dst);
}

/* ---- folder paths: display names from below the root, '/'-joined
 * ('/' inside a name written as "%2F", '%' as "%25") ---- */

static int append_name(char **path, size_t *len, size_t *cap, const char *name)
{
    size_t need = *len + strlen(name) * 3 + 2;
    if (st_reserve(path, cap, need, 64))
        return ST_ERROR;
    char *o = *path + *len;
    if (*len)
        *o++ = '/';
    for (const char *p = name; *p; p++) {
        if (*p == '/' || *p == '%')
            o += sprintf(o, "%%%02X", (unsigned)(unsigned char)*p);
        else
            *o++ = *p;
    }
    *o = 0;
    *len = (size_t)(o - *path);
    return 0;
}

static int folder_name(st_store *s, st_id fid, char **out)
{
    st_bag *b = NULL;
    int code = st_folder_get(s, &b, fid);
    if (code)
        return code;
    const st_value *v = st_bag_get(b, PR_DISPLAY_NAME_W);
    *out = st_strdup(v ? v->v.str : "");
    st_bag_free(b);
    return *out ? 0 : ST_ERROR;
}

static int folder_path(st_store *s, st_id fid, char **out)
{
    st_id chain[64];
    size_t n = 0;
    st_id root = 0;
    *out = NULL;
    int code = st_folder_root(s, &root);
    while (!code && fid && fid != root && n < 64) {
        chain[n++] = fid;
        code = st_folder_parent(s, &fid, fid);
    }
    if (code)
        return code;
    char *path = NULL;
    size_t len = 0, cap = 0;
    if (st_reserve(&path, &cap, 1, 64))
        return ST_ERROR;
    path[0] = 0;
    while (!code && n--) {
        char *name = NULL;
        code = folder_name(s, chain[n], &name);
        if (!code)
            code = append_name(&path, &len, &cap, name);
        free(name);
    }
    if (code)
        free(path);
    else
        *out = path;
    return code;
}

/* The folder at path under the root; with create, missing ones are made
 * (local changes, journaled). */
static int folder_by_path(st_store *s, const char *path, int create, st_id *out)
{
    st_id fid = 0;
    int code = st_folder_root(s, &fid);
    const char *p = path;
    while (!code && *p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *name = malloc(n + 1), *o = name;
        if (!name)
            return ST_ERROR;
        for (size_t i = 0; i < n; i++) {
            int hi, lo;
            if (p[i] == '%' && i + 2 < n && (hi = st_hex_digit(p[i + 1])) >= 0 &&
                (lo = st_hex_digit(p[i + 2])) >= 0) {
                *o++ = (char)(hi * 16 + lo);
                i += 2;
            } else {
                *o++ = p[i];
            }
        }
        *o = 0;
        st_id child = 0;
        code = st_folder_find_by_name(s, &child, fid, name);
        if (code == ST_ENOTFOUND && create) {
            st_bag *b = st_bag_new();
            code = b && st_bag_set_str(b, PR_DISPLAY_NAME_W, name) == 0 &&
                st_bag_set_str(b, PR_CONTAINER_CLASS_W, "IPF.Note") == 0
                ? st_folder_create(s, &child, fid, b, 0) : ST_ERROR;
            st_bag_free(b);
        }
        free(name);
        fid = child;
        p += n;
        if (*p == '/')
            p++;
    }
    if (!code)
        *out = fid;
    return code;
}

/* ---- rebuild ---- */

static const char recovered_schema[] =
    "CREATE TABLE recovered(seq INTEGER PRIMARY KEY, op INTEGER NOT NULL, "
    "kind INTEGER NOT NULL, state INTEGER NOT NULL, reason TEXT, href TEXT, base_etag TEXT, "
    "folder_url TEXT, folder_path TEXT, name TEXT, message INTEGER)";

static int record(st_store *ex, const st_journal_entry *e, const char *folder_url,
    const char *folder_path, const char *name, st_id copied)
{
    sqlite3_stmt *st = st_db__prep(&ex->d, "INSERT INTO recovered(seq, op, kind, state, "
        "reason, href, base_etag, folder_url, folder_path, name, message) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, e->seq);
    sqlite3_bind_int(st, 2, e->op);
    sqlite3_bind_int(st, 3, e->kind);
    sqlite3_bind_int(st, 4, e->state);
    sqlite3_bind_text(st, 5, e->reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->href, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->base_etag, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, folder_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, folder_path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, name, -1, SQLITE_STATIC);
    if (copied)
        sqlite3_bind_int64(st, 11, (sqlite3_int64)copied);
    int rc = sqlite3_step(st);
    st_db__done(st);
    return rc == SQLITE_DONE ? 0 : st_db__err(&ex->d, rc, "recording a recovered change");
}

/* One journal entry of the damaged store into the export store. */
static int export_entry(st_store *old, st_store *ex, st_id ex_folder, const st_journal_entry *e,
    st_rebuild_report *r)
{
    char *url = NULL, *path = NULL, *name = NULL;
    st_id copied = 0;
    int code = 0;
    st_id where = e->kind == ST_JKIND_FOLDER ? e->obj : e->folder;
    if (e->kind == ST_JKIND_FOLDER && e->op != ST_JOP_DELETE) {
        if (folder_path(old, e->obj, &path) == 0 && folder_name(old, e->obj, &name) == 0)
            st_folder_sync_get(old, e->obj, &url, NULL, NULL);
        else
            r->unreadable++;
    } else if (e->kind == ST_JKIND_MESSAGE) {
        if (where && folder_path(old, where, &path) == 0)
            st_folder_sync_get(old, where, &url, NULL, NULL);
        if (e->op != ST_JOP_DELETE && e->op != ST_JOP_PURGE) {
            code = copy_message(old, e->obj, ex, ex_folder, ST_FROM_SERVER, &copied);
            if (code == ST_ERROR) {
                free(url);
                free(path);
                return code;   /* memory, or the export file: stop */
            }
            if (code) {
                ST_LOG_WARN(ST_LOG_STORAGE, "rebuild: message %llu of change %lld unreadable: %s",
                    (unsigned long long)e->obj, (long long)e->seq, st_error_last());
                r->unreadable++;
                copied = 0;
                code = 0;
            } else {
                r->messages++;
            }
        }
    }
    code = record(ex, e, url, path, name, copied);
    if (!code)
        r->entries++;
    free(url);
    free(path);
    free(name);
    return code;
}

/* ---- folders' local properties ---- */

static const char folder_props_schema[] =
    "CREATE TABLE folder_props(id INTEGER PRIMARY KEY, folder_url TEXT, folder_path TEXT, "
    "props BLOB NOT NULL)";

/* Local: in the provider-defined, non-transmittable range, and not one the
 * store computes. */
static int local_prop(uint32_t tag, void *ctx)
{
    (void)ctx;
    uint32_t id = PROP_ID(tag);
    return id >= 0x6600 && id <= 0x67FF && id != PROP_ID(PR_FOLDER_CHILD_COUNT);
}

/* fid's local properties as a property blob in *out (len 0: none). */
static int local_props(st_store *s, st_id fid, st_buf *out)
{
    st_bag *b = NULL;
    int code = st_folder_get(s, &b, fid);
    size_t n = 0;
    for (size_t i = 0; !code && i < st_bag_count(b); i++)
        n += (size_t)local_prop(st_bag_at(b, i)->tag, NULL);
    if (!code && n)
        code = st_propblob__encode(out, b, local_prop, NULL);
    st_bag_free(b);
    return code;
}

typedef struct fprops {
    char *url, *path;   /* url may be NULL (a folder made locally) */
    st_buf blob;
} fprops;

typedef struct fprops_list {
    fprops *v;
    size_t n, cap;
} fprops_list;

static void fprops_free(fprops_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].url);
        free(l->v[i].path);
        st_buf_free(&l->v[i].blob);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The local properties of every folder below fid (depth-first) into l. A
 * folder that cannot be read is counted in r->unreadable and logged. */
static int collect_folder_props(st_store *old, st_id fid, int depth, fprops_list *l,
    st_rebuild_report *r)
{
    st_id *kids = NULL;
    size_t n = 0;
    int code = depth < 64 ? st_folder_children(old, &kids, &n, fid) : 0;
    for (size_t i = 0; !code && i < n; i++) {
        fprops f = { 0 };
        if (local_props(old, kids[i], &f.blob) || folder_path(old, kids[i], &f.path)) {
            ST_LOG_WARN(ST_LOG_STORAGE, "rebuild: folder %llu unreadable: %s",
                (unsigned long long)kids[i], st_error_last());
            r->unreadable++;
        } else if (f.blob.len) {
            st_folder_sync_get(old, kids[i], &f.url, NULL, NULL);
            fprops *p = st_grow(l->v, &l->cap, l->n, sizeof *l->v, 8);
            if (!p) {
                code = ST_ERROR;
            } else {
                l->v = p;
                l->v[l->n++] = f;
                memset(&f, 0, sizeof f);
            }
        }
        free(f.url);
        free(f.path);
        st_buf_free(&f.blob);
        if (!code)
            code = collect_folder_props(old, kids[i], depth + 1, l, r);
    }
    free(kids);
    return code;
}

static int export_folder_props(st_store *ex, const fprops_list *l)
{
    int code = l->n ? st_db__exec(&ex->d, folder_props_schema) : 0;
    for (size_t i = 0; !code && i < l->n; i++) {
        sqlite3_stmt *st = st_db__prep(&ex->d,
            "INSERT INTO folder_props(folder_url, folder_path, props) VALUES (?,?,?)");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_text(st, 1, l->v[i].url, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, l->v[i].path, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, l->v[i].blob.data, (int)l->v[i].blob.len, SQLITE_STATIC);
        code = st_db__step_done(&ex->d, st, "keeping a folder's local properties");
    }
    return code;
}

static void stamp(char *out, size_t size)
{
    uint64_t ft = st_os_time_filetime();
    snprintf(out, size, "%llu", (unsigned long long)((ft - 116444736000000000ULL) / 10000000ULL));
}

/* Renames path and its -wal / -shm to dest (+ the same suffixes). */
static int move_aside(const char *path, const char *dest)
{
    static const char *const sfx[] = { "-wal", "-shm" };
    int code = st_os_rename(path, dest);
    for (size_t i = 0; !code && i < 2; i++) {
        char a[4096], b[4096];
        uint64_t size;
        snprintf(a, sizeof a, "%s%s", path, sfx[i]);
        snprintf(b, sizeof b, "%s%s", dest, sfx[i]);
        if (st_os_path_size(&size, a) == 0)
            code = st_os_rename(a, b);
    }
    return code;
}

void st_rebuild_report_clear(st_rebuild_report *r)
{
    if (!r)
        return;
    free(r->export_path);
    free(r->damaged_path);
    memset(r, 0, sizeof *r);
}

int st_store_rebuild(const char *path, const st_guid *guid, unsigned flags,
    st_rebuild_report *out)
{
    st_rebuild_report r = { 0 };
    char ts[32], buf[4096];
    stamp(ts, sizeof ts);
    st_store *old = NULL, *ex = NULL;
    st_journal_entry *e = NULL;
    size_t n = 0;
    int code = st_store_open(&old, path, guid, 0);
    if (!code)
        code = st_journal_list(old, &e, &n);
    if (code && code != ST_ERROR && !(flags & ST_REBUILD_FORCE)) {
        st_error_set("%s: the unsent changes cannot be read (%s); the file is left as it is "
            "(force the rebuild to set it aside without them)", path, st_error_last());
        st_store_close(old);
        return code;
    }
    if (code == ST_ERROR) {
        st_store_close(old);
        return code;
    }
    r.journal_lost = code != 0;
    code = 0;
    /* what the server never has: the store's own properties, the folders'
     * local ones (a damaged part is logged and left, the rest still goes) */
    st_bag *sprops = NULL;
    if (old && st_store_props_get(old, &sprops)) {
        ST_LOG_WARN(ST_LOG_STORAGE, "rebuild: the store's properties are unreadable: %s",
            st_error_last());
        r.unreadable++;
    }
    fprops_list fl = { 0 };
    st_id old_root = 0;
    if (old && (st_folder_root(old, &old_root)
            || collect_folder_props(old, old_root, 0, &fl, &r))) {
        ST_LOG_WARN(ST_LOG_STORAGE, "rebuild: the folders' local properties are unreadable: "
            "%s", st_error_last());
        r.unreadable++;
    }
    r.folders_kept = fl.n;
    if (n || fl.n) {
        snprintf(buf, sizeof buf, "%s.recovered-%s.sqlite", path, ts);
        st_guid g;
        st_guid_new(&g, buf);
        st_id root = 0, folder = 0;
        code = st_store_open(&ex, buf, &g, ST_OPEN_CREATE);
        if (!code)
            code = st_db__exec(&ex->d, recovered_schema);
        if (!code) {
            st_bag *b = st_bag_new();
            code = b && st_bag_set_str(b, PR_DISPLAY_NAME_W, "Recovered") == 0 ? 0 : ST_ERROR;
            if (!code)
                code = st_folder_create(ex, &root, 0, b, ST_FROM_SERVER);
            if (!code)
                code = st_folder_create(ex, &folder, root, b, ST_FROM_SERVER);
            st_bag_free(b);
        }
        for (size_t i = 0; !code && i < n; i++)
            code = export_entry(old, ex, folder, &e[i], &r);
        if (!code)
            code = export_folder_props(ex, &fl);
        st_store_close(ex);
        if (!code && !(r.export_path = st_strdup(buf)))
            code = ST_ERROR;
        if (code) {
            st_error_set("%s: exporting the unsent changes to %s failed (%s); nothing was "
                "changed", path, buf, st_error_last());
        }
    }
    st_journal_entries_free(e, n);
    fprops_free(&fl);
    st_store_close(old);
    if (!code) {
        snprintf(buf, sizeof buf, "%s.damaged-%s", path, ts);
        code = move_aside(path, buf);
        if (!code && !(r.damaged_path = st_strdup(buf)))
            code = ST_ERROR;
    }
    if (!code) {
        st_store *fresh = NULL;
        code = st_store_open(&fresh, path, guid, ST_OPEN_CREATE);
        if (!code && sprops && st_bag_count(sprops)) {
            if (st_store_props_set(fresh, sprops, NULL, 0) == 0) {
                r.store_props = 1;
            } else {
                ST_LOG_WARN(ST_LOG_STORAGE, "rebuild: the store's properties were not put on "
                    "the fresh store: %s", st_error_last());
                r.unreadable++;
            }
        }
        st_store_close(fresh);
    }
    st_bag_free(sprops);
    if (!code)
        ST_LOG_INFO(ST_LOG_STORAGE, "rebuild: %s set aside as %s; %llu changes (%llu messages) "
            "kept in %s", path, r.damaged_path, (unsigned long long)r.entries,
            (unsigned long long)r.messages, r.export_path ? r.export_path : "(none)");
    if (out && !code)
        *out = r;
    else
        st_rebuild_report_clear(&r);
    return code;
}

/* ---- restore ---- */

typedef struct rrow {
    int op, kind;
    char *href, *folder_url, *folder_path, *name;
    st_id message;
} rrow;

/* The target folder of a message: by URL, by path, else Recovered Items. */
static int target_folder(st_store *s, const rrow *x, st_id *out)
{
    if (x->folder_url && st_folder_find_by_url(s, out, x->folder_url) == 0)
        return 0;
    if (x->folder_path && *x->folder_path && folder_by_path(s, x->folder_path, 0, out) == 0)
        return 0;
    return folder_by_path(s, "Recovered Items", 1, out);
}

static int restore_message(st_store *ex, st_store *s, const rrow *x, st_restore_report *r)
{
    st_id mid = 0;
    int have = x->href && st_message_find_by_href(s, &mid, x->href) == 0;
    int code = 0;
    if (x->op == ST_JOP_DELETE || x->op == ST_JOP_PURGE) {
        if (have)
            code = st_message_delete(s, mid, x->op == ST_JOP_PURGE ? ST_HARD_DELETE : 0);
        if (!code)
            r->restored++;
        return code;
    }
    if (!x->message) {
        r->skipped++;   /* it could not be read when the store was rebuilt */
        return 0;
    }
    st_id fid = 0;
    code = target_folder(s, x, &fid);
    if (code)
        return code;
    if (!have) {
        st_id made = 0;
        code = copy_message(ex, x->message, s, fid, 0, &made);
    } else {
        if (x->op == ST_JOP_READ) {
            st_bag *b = NULL;
            code = st_message_get(ex, &b, x->message);
            const st_value *f = b ? st_bag_get(b, PR_MESSAGE_FLAGS) : NULL;
            if (!code)
                code = st_message_set_read(s, mid, f && (f->v.l & MSGFLAG_READ), 0);
            st_bag_free(b);
        } else if (x->op != ST_JOP_MOVE) {
            code = replace_message(ex, x->message, s, mid);
        }
        st_id cur = 0;
        if (!code)
            code = st_message_folder(s, &cur, mid);
        if (!code && cur != fid)
            code = st_message_move(s, mid, fid, 0);
    }
    if (!code)
        r->restored++;
    return code;
}

static int restore_folder(st_store *s, const rrow *x, st_restore_report *r)
{
    st_id fid = 0;
    int code = 0;
    int have = x->folder_url && st_folder_find_by_url(s, &fid, x->folder_url) == 0;
    if (x->op == ST_JOP_DELETE) {
        /* the folder entry's href is its URL */
        if (x->href && st_folder_find_by_url(s, &fid, x->href) == 0)
            code = st_folder_delete(s, fid, ST_RECURSIVE);
    } else if (!have || x->op == ST_JOP_CREATE) {
        if (x->folder_path)
            code = folder_by_path(s, x->folder_path, 1, &fid);
    } else if (x->folder_path) {
        /* rename / move: the parent path and the name it had */
        char *parent = st_strdup(x->folder_path);
        char *slash = parent ? strrchr(parent, '/') : NULL;
        st_id pid = 0;
        if (!parent)
            return ST_ERROR;
        if (slash)
            *slash = 0;
        code = slash ? folder_by_path(s, parent, 1, &pid) : st_folder_root(s, &pid);
        if (!code)
            code = st_folder_move(s, fid, pid, x->name, 0);
        free(parent);
    }
    if (!code)
        r->restored++;
    return code;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? st_strdup((const char *)t) : NULL;
}

/* The folders' local properties back on the folders found by URL, else by
 * name path; not journaled (ST_FROM_SERVER): the server never has them,
 * there is nothing to send. A file of before folder_props, or one without
 * any, has no such table: nothing to do. */
static int restore_folder_props(st_store *ex, st_store *s, st_restore_report *r)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ex->d.db, "SELECT folder_url, folder_path, props FROM folder_props "
            "ORDER BY id", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return 0;
    }
    int code = 0, rc;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *url = (const char *)sqlite3_column_text(st, 0);
        const char *path = (const char *)sqlite3_column_text(st, 1);
        st_id fid = 0;
        int found = (url && st_folder_find_by_url(s, &fid, url) == 0)
            || (path && *path && folder_by_path(s, path, 0, &fid) == 0);
        if (!found) {
            r->skipped++;
            continue;
        }
        st_bag *b = st_bag_new();
        int nomem = !b;
        int c = b ? st_propblob__decode(b, sqlite3_column_blob(st, 2),
                        (size_t)sqlite3_column_bytes(st, 2)) : ST_ERROR;
        if (!c)
            c = st_folder_set_props(s, fid, b, NULL, 0, ST_FROM_SERVER);
        st_bag_free(b);
        if (nomem) {
            code = c;
        } else if (c) {
            ST_LOG_WARN(ST_LOG_STORAGE, "restore: a folder's local properties could not be put "
                "back: %s", st_error_last());
            r->failed++;
        } else {
            r->restored++;
        }
    }
    sqlite3_finalize(st);
    return code;
}

int st_store_restore(st_store *s, const char *export_path, st_restore_report *out)
{
    st_restore_report r = { 0 };
    st_store *ex = NULL;
    int code = st_store_open(&ex, export_path, NULL, 0);
    if (code)
        return code;
    sqlite3_stmt *st = st_db__prep(&ex->d, "SELECT op, kind, href, folder_url, folder_path, "
        "name, message FROM recovered ORDER BY seq");
    if (!st) {
        st_store_close(ex);
        return ST_ECORRUPT;
    }
    int rc;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rrow x = { sqlite3_column_int(st, 0), sqlite3_column_int(st, 1), col_dup(st, 2),
            col_dup(st, 3), col_dup(st, 4), col_dup(st, 5),
            (st_id)sqlite3_column_int64(st, 6) };
        int c = x.kind == ST_JKIND_FOLDER ? restore_folder(s, &x, &r)
                                          : restore_message(ex, s, &x, &r);
        if (c == ST_ERROR) {
            code = c;
        } else if (c) {
            ST_LOG_WARN(ST_LOG_STORAGE, "restore: a change (op %d) could not be made again: %s",
                x.op, st_error_last());
            r.failed++;
        }
        free(x.href);
        free(x.folder_url);
        free(x.folder_path);
        free(x.name);
    }
    st_db__done(st);
    if (!code)
        code = restore_folder_props(ex, s, &r);
    st_store_close(ex);
    if (out)
        *out = r;
    return code;
}

int st_store_restore_pending(st_store *s, st_catalog *c, st_restore_report *out, char **path)
{
    st_restore_report r = { 0 };
    char *file = NULL;
    if (path)
        *path = NULL;
    int code = st_catalog_setting_get(c, &file, ST_SETTING_RESTORE_FROM);
    if (code == ST_ENOTFOUND || (!code && !file))
        code = 0;
    else if (!code)
        code = st_store_restore(s, file, &r);
    if (!code && file)
        code = st_catalog_setting_set(c, ST_SETTING_RESTORE_FROM, NULL);
    if (out)
        *out = r;
    if (path && !code)
        *path = file;
    else
        free(file);
    return code;
}
