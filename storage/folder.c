/*
 * folder.c: the folder hierarchy: create, read, change, move/rename, delete
 * (recursive), the counts kept incrementally, per-folder sync state and the
 * receive-folder map.
 *
 * Invariant: content_count/unread_count/assoc_count/child_count equal what
 * the rows say after every committed transaction: every change to a
 * message's folder, associated flag or read flag goes through
 * st_folder__adjust in the same transaction (st_store_check verifies).
 * Never: delete a folder row while it has rows under it (foreign keys).
 */
#include <stdlib.h>
#include <string.h>

#include "storage/props_tags.h"
#include "storage/storage_int.h"

/* Properties the store owns or keeps in columns; never in the blob. */
static int folder_keep(uint32_t tag, void *ctx)
{
    (void)ctx;
    switch (PROP_ID(tag)) {
    case PROP_ID(PR_DISPLAY_NAME_W): case PROP_ID(PR_CONTAINER_CLASS_W):
    case PROP_ID(PR_RECORD_KEY): case PROP_ID(PR_INSTANCE_KEY):
    case PROP_ID(PR_SOURCE_KEY): case PROP_ID(PR_PARENT_SOURCE_KEY):
    case PROP_ID(PR_CHANGE_KEY): case PROP_ID(PR_CONTENT_COUNT):
    case PROP_ID(PR_CONTENT_UNREAD): case PROP_ID(PR_ASSOC_CONTENT_COUNT):
    case PROP_ID(PR_FOLDER_CHILD_COUNT): case PROP_ID(PR_SUBFOLDERS):
    case PROP_ID(PR_ENTRYID): case PROP_ID(PR_PARENT_ENTRYID):
        return 0;
    default:
        return 1;
    }
}

static const char *bag_str(const st_bag *b, uint32_t tag)
{
    const st_value *v = b ? st_bag_get(b, tag) : NULL;
    return v ? v->v.str : NULL;
}

int st_folder__adjust(st_store *s, st_id fid, int d_content, int d_unread, int d_assoc,
    int d_children)
{
    if (!fid || (!d_content && !d_unread && !d_assoc && !d_children))
        return 0;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "UPDATE folders SET content_count = content_count + ?1,"
        " unread_count = unread_count + ?2, assoc_count = assoc_count + ?3,"
        " child_count = child_count + ?4 WHERE id = ?5");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int(st, 1, d_content);
    sqlite3_bind_int(st, 2, d_unread);
    sqlite3_bind_int(st, 3, d_assoc);
    sqlite3_bind_int(st, 4, d_children);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)fid);
    return st_db__step_done(&s->d, st, "updating folder counts");
}

/* code, with the message "no folder fid" when it is ST_ENOTFOUND. */
static int no_folder(st_store *s, int code, st_id fid)
{
    return code == ST_ENOTFOUND ? st_store__notfound(s, "folder", fid) : code;
}

int st_folder__exists(st_store *s, st_id fid)
{
    return no_folder(s, st_db__one_int(&s->d, NULL, "SELECT 1 FROM folders WHERE id = ?",
        (int64_t)fid, "looking up a folder"), fid);
}

/* A search folder is ours alone (no collection on the server): its changes
 * are never journaled (the journal skips ST_FROM_SERVER changes). */
static unsigned journal_flags(st_store *s, st_id fid, unsigned flags)
{
    return st_search__is(s, fid) == 1 ? flags | ST_FROM_SERVER : flags;
}

int st_folder_create(st_store *s, st_id *out, st_id parent, const st_bag *props, unsigned flags)
{
    *out = 0;
    const char *name = bag_str(props, PR_DISPLAY_NAME_W);
    if (!name || !*name) {
        st_error_set("a folder needs a display name");
        return ST_ERROR;
    }
    st_buf blob = { 0 };
    if (st_propblob__encode(&blob, props, folder_keep, NULL))
        return ST_ERROR;
    int code = st_store__begin(s);
    if (code)
        goto done;
    if (parent) {
        code = st_folder__exists(s, parent);
    } else {
        st_id root;
        code = st_folder_root(s, &root);
        if (code == 0) {
            st_error_set("%s: the store has a root folder already", s->d.path);
            code = ST_EEXISTS;
        } else if (code == ST_ENOTFOUND) {
            code = 0;
        }
    }
    st_id id = 0;
    int64_t cn = 0;
    if (!code)
        code = st_store__alloc_id(s, &id);
    if (!code)
        code = st_store__alloc_cn(s, &cn);
    if (!code) {
        sqlite3_stmt *st = st_db__prep(&s->d,
            "INSERT INTO folders(id, parent_id, name, container_class, change_num, props)"
            " VALUES (?, ?, ?, ?, ?, ?)");
        if (!st) {
            code = ST_ERROR;
        } else {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
            if (parent)
                sqlite3_bind_int64(st, 2, (sqlite3_int64)parent);
            sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
            st_db__bind_text(st, 4, bag_str(props, PR_CONTAINER_CLASS_W));
            sqlite3_bind_int64(st, 5, cn);
            sqlite3_bind_blob(st, 6, blob.data, (int)blob.len, SQLITE_TRANSIENT);
            code = st_db__step_done(&s->d, st, "creating a folder");
            if (code == ST_EEXISTS)
                st_error_set("%s: a folder named \"%s\" exists there already", s->d.path, name);
        }
    }
    if (!code && (flags & ST_FOLDER_SEARCH))
        code = st_search__created(s, id);
    if (!code)
        code = st_folder__adjust(s, parent, 0, 0, 0, 1);
    if (!code && parent && !(flags & ST_FOLDER_SEARCH))
        code = st_journal__record(s, ST_JOP_CREATE, ST_JKIND_FOLDER, id, parent, 0, flags);
    if (!code)
        st_store__event(s, ST_EV_CREATED, ST_JKIND_FOLDER, id, parent, 0, 0, flags);
    code = st_store__end(s, code);
    if (!code)
        *out = id;
done:
    st_buf_free(&blob);
    return code;
}

int st_folder_get(st_store *s, st_bag **out, st_id fid)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    int code = st_db__row_int(&s->d, &st,
        "SELECT name, container_class,"
        " ifnull((SELECT content FROM searches WHERE folder_id = id), content_count),"
        " ifnull((SELECT unread FROM searches WHERE folder_id = id), unread_count), assoc_count,"
        " child_count, change_num, ifnull(parent_id, 0), props,"
        " EXISTS (SELECT 1 FROM searches WHERE folder_id = id) FROM folders WHERE id = ?",
        (int64_t)fid, "reading a folder");
    if (code)
        return no_folder(s, code, fid);
    st_bag *bag = st_bag_new();
    code = bag ? 0 : ST_ERROR;
    if (!code && sqlite3_column_type(st, 8) != SQLITE_NULL)
        code = st_propblob__decode(bag, sqlite3_column_blob(st, 8),
            (size_t)sqlite3_column_bytes(st, 8));
    if (code == ST_ECORRUPT)
        st_error_set("%s: folder %llu: %s", s->d.path, (unsigned long long)fid,
            st_error_last());
    if (!code) {
        uint8_t key[22], pkey[22], ck[22], ik[8];
        st_store__xid(s, key, fid);
        st_store__xid(s, ck, (uint64_t)sqlite3_column_int64(st, 6));
        st_id parent = (st_id)sqlite3_column_int64(st, 7);
        st_store__xid(s, pkey, parent);
        for (int i = 0; i < 8; i++)
            ik[i] = (uint8_t)(fid >> (8 * i));
        int r = st_bag_set_str(bag, PR_DISPLAY_NAME_W, (const char *)sqlite3_column_text(st, 0));
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            r |= st_bag_set_str(bag, PR_CONTAINER_CLASS_W,
                (const char *)sqlite3_column_text(st, 1));
        r |= st_bag_set_long(bag, PR_CONTENT_COUNT, sqlite3_column_int(st, 2));
        r |= st_bag_set_long(bag, PR_CONTENT_UNREAD, sqlite3_column_int(st, 3));
        r |= st_bag_set_long(bag, PR_ASSOC_CONTENT_COUNT, sqlite3_column_int(st, 4));
        r |= st_bag_set_long(bag, PR_FOLDER_CHILD_COUNT, sqlite3_column_int(st, 5));
        r |= st_bag_set_bool(bag, PR_SUBFOLDERS, sqlite3_column_int(st, 5) > 0);
        r |= st_bag_set_bin(bag, PR_RECORD_KEY, key, 22);
        r |= st_bag_set_bin(bag, PR_SOURCE_KEY, key, 22);
        r |= st_bag_set_bin(bag, PR_CHANGE_KEY, ck, 22);
        r |= st_bag_set_bin(bag, PR_INSTANCE_KEY, ik, 8);
        if (sqlite3_column_int(st, 9))
            r |= st_bag_set_long(bag, PR_FOLDER_TYPE, FOLDER_SEARCH);
        if (parent)
            r |= st_bag_set_bin(bag, PR_PARENT_SOURCE_KEY, pkey, 22);
        if (r)
            code = ST_ERROR;
    }
    st_db__done(st);
    if (code) {
        st_bag_free(bag);
        return code;
    }
    *out = bag;
    return 0;
}

int st_folder_set_props(st_store *s, st_id fid, const st_bag *set, const uint32_t *del,
    size_t n_del, unsigned flags)
{
    st_bag *cur = NULL;
    st_buf blob = { 0 };
    int code = st_store__begin(s);
    if (code)
        return code;
    code = st_folder_get(s, &cur, fid);
    if (!code)
        code = st_store__bag_apply(cur, set, del, n_del);
    const char *name = code ? NULL : bag_str(cur, PR_DISPLAY_NAME_W);
    if (!code && (!name || !*name)) {
        st_error_set("a folder needs a display name");
        code = ST_ERROR;
    }
    if (!code)
        code = st_propblob__encode(&blob, cur, folder_keep, NULL);
    int64_t cn = 0;
    if (!code)
        code = st_store__alloc_cn(s, &cn);
    st_id parent = 0;
    if (!code)
        code = st_folder_parent(s, &parent, fid);
    if (!code) {
        sqlite3_stmt *st = st_db__prep(&s->d,
            "UPDATE folders SET name = ?, container_class = ?, change_num = ?, props = ?"
            " WHERE id = ?");
        if (!st) {
            code = ST_ERROR;
        } else {
            sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
            st_db__bind_text(st, 2, bag_str(cur, PR_CONTAINER_CLASS_W));
            sqlite3_bind_int64(st, 3, cn);
            sqlite3_bind_blob(st, 4, blob.data, (int)blob.len, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 5, (sqlite3_int64)fid);
            code = st_db__step_done(&s->d, st, "changing a folder");
        }
    }
    if (!code && parent)
        code = st_journal__record(s, ST_JOP_MODIFY, ST_JKIND_FOLDER, fid, parent, 0,
            journal_flags(s, fid, flags));
    st_bag_free(cur);
    st_buf_free(&blob);
    if (!code)
        st_store__event(s, ST_EV_MODIFIED, ST_JKIND_FOLDER, fid, parent, 0, 0, flags);
    return st_store__end(s, code);
}

int st_folder_parent(st_store *s, st_id *out, st_id fid)
{
    int64_t parent = 0;
    int code = st_db__one_int(&s->d, &parent,
        "SELECT ifnull(parent_id, 0) FROM folders WHERE id = ?", (int64_t)fid,
        "reading a folder");
    *out = (st_id)parent;
    return no_folder(s, code, fid);
}

int st_folder_root(st_store *s, st_id *out)
{
    *out = 0;
    sqlite3_stmt *st = st_db__prep(&s->d, "SELECT id FROM folders WHERE parent_id IS NULL");
    if (!st)
        return ST_ERROR;
    int64_t root = 0;
    int code = st_db__one(&s->d, &root, st, "reading the root folder");
    *out = (st_id)root;
    if (code == ST_ENOTFOUND)
        st_error_set("%s: no root folder yet", s->d.path);
    return code;
}

static int id_list(st_store *s, st_id **out, size_t *n, const char *sql, st_id arg, int arg2)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = st_db__prep(&s->d, sql);
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)arg);
    if (arg2 >= 0)
        sqlite3_bind_int(st, 2, arg2);
    return st_db__ids(&s->d, out, n, st, "listing");
}

int st_folder_children(st_store *s, st_id **out, size_t *n, st_id parent)
{
    return id_list(s, out, n, "SELECT id FROM folders WHERE parent_id = ? ORDER BY name",
        parent, -1);
}

int st_message_list(st_store *s, st_id **out, size_t *n, st_id fid, int associated)
{
    return id_list(s, out, n,
        "SELECT id FROM messages WHERE folder_id = ? AND assoc = ? ORDER BY id",
        fid, associated ? 1 : 0);
}

int st_message_list_submitted(st_store *s, st_id **out, size_t *n)
{
    /* A scan of the messages table (no index on flags): the spooler asks
     * once per outgoing-queue table, then follows changes. */
    return id_list(s, out, n,
        "SELECT id FROM messages WHERE folder_id IS NOT NULL AND assoc = 0"
        " AND (flags & ?) != 0 ORDER BY submit_time, id", MSGFLAG_SUBMIT, -1);
}

int st_folder_find_by_name(st_store *s, st_id *out, st_id parent, const char *name)
{
    *out = 0;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT id FROM folders WHERE ifnull(parent_id, 0) = ? AND name = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)parent);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    int64_t id = 0;
    int code = st_db__one(&s->d, &id, st, "finding a folder");
    *out = (st_id)id;
    return code;
}

int st_folder_counts_get(st_store *s, st_folder_counts *out, st_id fid)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    int code = st_db__row_int(&s->d, &st,
        "SELECT ifnull((SELECT content FROM searches WHERE folder_id = id), content_count),"
        " ifnull((SELECT unread FROM searches WHERE folder_id = id), unread_count),"
        " assoc_count, child_count FROM folders WHERE id = ?", (int64_t)fid,
        "reading folder counts");
    if (code)
        return no_folder(s, code, fid);
    out->content = (uint32_t)sqlite3_column_int64(st, 0);
    out->unread = (uint32_t)sqlite3_column_int64(st, 1);
    out->assoc = (uint32_t)sqlite3_column_int64(st, 2);
    out->children = (uint32_t)sqlite3_column_int64(st, 3);
    st_db__done(st);
    return 0;
}

int st_folder_within(st_store *s, int *out, st_id node, st_id fid)
{
    *out = 0;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "WITH RECURSIVE up(id) AS (SELECT ?1 UNION ALL"
        " SELECT f.parent_id FROM folders f JOIN up ON f.id = up.id"
        " WHERE f.parent_id IS NOT NULL)"
        " SELECT count(*) FROM up WHERE id = ?2");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)node);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)fid);
    int rc = sqlite3_step(st);
    int64_t hits = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    st_db__done(st);
    if (hits < 0)
        return st_db__err(&s->d, rc, "checking where a folder is");
    *out = hits > 0;
    return 0;
}

/* ST_ERROR ("a folder cannot <what> into itself or its subfolder") when
 * node is fid or below it; 0 when not. */
static int refuse_cycle(st_store *s, st_id fid, st_id node, const char *what)
{
    int inside = 0;
    int code = st_folder_within(s, &inside, node, fid);
    if (!code && inside) {
        st_error_set("%s: a folder cannot %s into itself or its subfolder", s->d.path, what);
        code = ST_ERROR;
    }
    return code;
}

int st_folder_move(st_store *s, st_id fid, st_id new_parent, const char *new_name,
    unsigned flags)
{
    st_id old_parent = 0;
    int code = st_store__begin(s);
    if (code)
        return code;
    code = st_folder_parent(s, &old_parent, fid);
    if (!code && !old_parent) {
        st_error_set("%s: the root folder cannot move", s->d.path);
        code = ST_ERROR;
    }
    if (!code)
        code = st_folder__exists(s, new_parent);
    if (!code)
        code = refuse_cycle(s, fid, new_parent, "move");
    int64_t cn = 0;
    if (!code)
        code = st_store__alloc_cn(s, &cn);
    if (!code) {
        sqlite3_stmt *st = st_db__prep(&s->d,
            "UPDATE folders SET parent_id = ?, name = ifnull(?, name), change_num = ?"
            " WHERE id = ?");
        if (!st) {
            code = ST_ERROR;
        } else {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)new_parent);
            st_db__bind_text(st, 2, new_name);
            sqlite3_bind_int64(st, 3, cn);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)fid);
            code = st_db__step_done(&s->d, st, "moving a folder");
        }
    }
    int moved = old_parent != new_parent;
    if (!code && moved)
        code = st_folder__adjust(s, old_parent, 0, 0, 0, -1);
    if (!code && moved)
        code = st_folder__adjust(s, new_parent, 0, 0, 0, 1);
    if (!code)
        code = st_journal__record(s, moved ? ST_JOP_MOVE : ST_JOP_RENAME, ST_JKIND_FOLDER,
            fid, new_parent, old_parent, journal_flags(s, fid, flags));
    if (!code)
        st_store__event(s, moved ? ST_EV_MOVED : ST_EV_MODIFIED, ST_JKIND_FOLDER, fid,
            new_parent, old_parent, 0, flags);
    return st_store__end(s, code);
}

/* Deletes fid and everything below it; the journal gets one entry for fid
 * (the server deletes a collection with its members); pending entries of
 * what was inside are dropped. */
static int delete_tree(st_store *s, st_id fid)
{
    st_id *kids = NULL, *msgs = NULL;
    size_t nk = 0, nm = 0;
    int code = st_folder_children(s, &kids, &nk, fid);
    for (size_t i = 0; !code && i < nk; i++)
        code = delete_tree(s, kids[i]);
    free(kids);
    if (code)
        return code;
    code = id_list(s, &msgs, &nm, "SELECT id FROM messages WHERE folder_id = ?", fid, -1);
    for (size_t i = 0; !code && i < nm; i++) {
        code = st_db__run_int(&s->d,
            "DELETE FROM journal WHERE kind = 0 AND obj_id = ? AND state = 0",
            (int64_t)msgs[i], "dropping journal entries");
        if (!code)
            code = st_message__delete_rows(s, msgs[i]);
    }
    free(msgs);
    if (code)
        return code;
    return st_db__run_int(&s->d, "DELETE FROM folders WHERE id = ?",
        (int64_t)fid, "deleting a folder");
}

int st_folder_delete(st_store *s, st_id fid, unsigned flags)
{
    st_id parent = 0;
    st_folder_counts c;
    int code = st_store__begin(s);
    if (code)
        return code;
    code = st_folder_parent(s, &parent, fid);
    if (!code)
        code = st_folder_counts_get(s, &c, fid);
    int search = code ? 0 : st_search__is(s, fid) == 1;
    if (search)
        c.content = 0;   /* a search folder's results are not its own messages */
    if (!code && !(flags & ST_RECURSIVE) && (c.content || c.assoc || c.children)) {
        st_error_set("%s: folder %llu is not empty", s->d.path, (unsigned long long)fid);
        code = ST_ENOTEMPTY;
    }
    if (!code && !parent) {
        st_error_set("%s: the root folder cannot be deleted", s->d.path);
        code = ST_ERROR;
    }
    if (!code) {
        /* Drop pending entries of subfolders: their collections go with fid. */
        code = st_db__run_int(&s->d,
            "WITH RECURSIVE sub(id) AS (SELECT id FROM folders WHERE parent_id = ?1"
            " UNION ALL SELECT f.id FROM folders f JOIN sub ON f.parent_id = sub.id)"
            " DELETE FROM journal WHERE kind = 1 AND state = 0 AND obj_id IN sub",
            (int64_t)fid, "dropping journal entries");
    }
    /* The journal reads the folder's URL from its row: record before
     * deleting (as st_message_delete does). */
    if (!code)
        code = (flags & ST_FROM_SERVER) || search ? st_journal__forget(s, ST_JKIND_FOLDER, fid)
            : st_journal__record(s, ST_JOP_DELETE, ST_JKIND_FOLDER, fid, parent, 0, flags);
    if (!code)
        code = delete_tree(s, fid);
    if (!code)
        code = st_folder__adjust(s, parent, 0, 0, 0, -1);
    if (!code)
        st_store__event(s, ST_EV_DELETED, ST_JKIND_FOLDER, fid, parent, 0, 0, flags);
    return st_store__end(s, code);
}

int st_folder_sync_set(st_store *s, st_id fid, const char *url, const char *token,
    const char *ctag)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "UPDATE folders SET url = CASE WHEN ?1 IS NULL THEN url ELSE nullif(?1, '') END,"
        " sync_token = CASE WHEN ?2 IS NULL THEN sync_token ELSE nullif(?2, '') END,"
        " ctag = CASE WHEN ?3 IS NULL THEN ctag ELSE nullif(?3, '') END WHERE id = ?4");
    if (!st)
        return ST_ERROR;
    st_db__bind_text(st, 1, url);
    st_db__bind_text(st, 2, token);
    st_db__bind_text(st, 3, ctag);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)fid);
    int code = st_db__step_done(&s->d, st, "saving folder sync state");
    if (!code && sqlite3_changes(s->d.db) == 0)
        code = st_store__notfound(s, "folder", fid);
    return code;
}

int st_folder_sync_get(st_store *s, st_id fid, char **url, char **token, char **ctag)
{
    char **const outs[] = { url, token, ctag };
    return no_folder(s, st_db__texts(&s->d, outs, 3,
        "SELECT url, sync_token, ctag FROM folders WHERE id = ?", (int64_t)fid,
        "reading folder sync state"), fid);
}

int st_folder_sync_rebase(st_store *s, const char *old_prefix, const char *new_prefix)
{
    static const char *const sql[] = {
        "UPDATE folders SET url = ?2 || substr(url, length(?1) + 1)"
        " WHERE substr(url, 1, length(?1)) = ?1",
        "UPDATE messages SET href = ?2 || substr(href, length(?1) + 1)"
        " WHERE substr(href, 1, length(?1)) = ?1",
        "UPDATE journal SET href = ?2 || substr(href, length(?1) + 1)"
        " WHERE state <> 2 AND substr(href, 1, length(?1)) = ?1",
    };
    if (!old_prefix || !*old_prefix || !new_prefix || !*new_prefix) {
        st_error_set("%s: rebasing URLs needs two prefixes", s->d.path);
        return ST_ERROR;
    }
    int code = st_store__begin(s);
    for (size_t i = 0; !code && i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *st = st_db__prep(&s->d, sql[i]);
        if (!st) {
            code = ST_ERROR;
            break;
        }
        st_db__bind_text(st, 1, old_prefix);
        st_db__bind_text(st, 2, new_prefix);
        code = st_db__step_done(&s->d, st, "rebasing server URLs");
    }
    return st_store__end(s, code);
}

int st_folder_find_by_url(st_store *s, st_id *out, const char *url)
{
    int64_t id = 0;
    int code = st_db__one_text(&s->d, &id, "SELECT id FROM folders WHERE url = ?", url,
        "finding a folder by URL");
    *out = (st_id)id;
    return code;
}

int st_receive_folder_set(st_store *s, const char *msg_class, st_id fid)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "INSERT OR REPLACE INTO receive_folders(msg_class, folder_id) VALUES (?, ?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_text(st, 1, msg_class ? msg_class : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)fid);
    return st_db__step_done(&s->d, st, "setting a receive folder");
}

int st_receive_folder_find(st_store *s, st_id *out, char **matched, const char *msg_class)
{
    *out = 0;
    if (matched)
        *matched = NULL;
    /* Longest prefix on '.' boundaries, case-insensitively ("" matches all). */
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT folder_id, msg_class FROM receive_folders WHERE msg_class = ''"
        " OR ?1 = msg_class"
        " OR substr(?1, 1, length(msg_class) + 1) = msg_class || '.' COLLATE ST_NOCASE"
        " ORDER BY length(msg_class) DESC LIMIT 1");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_text(st, 1, msg_class ? msg_class : "", -1, SQLITE_TRANSIENT);
    int code = st_db__step_row(&s->d, st, "reading receive folders");
    if (code)
        return code;
    *out = (st_id)sqlite3_column_int64(st, 0);
    if (matched) {
        *matched = st_db__col_strdup(st, 1);   /* NOT NULL column: NULL is no memory */
        if (!*matched) {
            *out = 0;
            st_error_set("reading receive folders: out of memory");
            code = ST_ERROR;
        }
    }
    st_db__done(st);
    return code;
}

int st_receive_folder_get(st_store *s, st_id *out, const char *msg_class)
{
    return st_receive_folder_find(s, out, NULL, msg_class);
}

int st_receive_folder_list(st_store *s, st_receive_folder **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT msg_class, folder_id FROM receive_folders ORDER BY msg_class");
    if (!st)
        return ST_ERROR;
    st_receive_folder *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc, code = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        st_receive_folder *p = st_grow(v, &cap, cnt, sizeof *v, 8);
        if (!p) {
            code = ST_ERROR;
            break;
        }
        v = p;
        st_receive_folder *e = &v[cnt++];
        e->fid = (st_id)sqlite3_column_int64(st, 1);
        e->msg_class = st_db__col_strdup(st, 0);   /* NOT NULL column: NULL is no memory */
        if (!e->msg_class) {
            code = ST_ERROR;
            break;
        }
    }
    st_db__done(st);
    if (!code && rc != SQLITE_DONE)
        code = st_db__err(&s->d, rc, "listing receive folders");
    if (code) {
        st_receive_folders_free(v, cnt);
        return code;
    }
    *out = v;
    *n = cnt;
    return 0;
}

void st_receive_folders_free(st_receive_folder *rf, size_t n)
{
    if (!rf)
        return;
    for (size_t i = 0; i < n; i++)
        free(rf[i].msg_class);
    free(rf);
}

/* The copy of fid under dest (see st_folder_copy); children are listed
 * before the copy is made, so a copy into fid itself does not copy itself. */
static int copy_tree(st_store *s, st_id *out, st_id fid, st_id dest, const char *name,
    unsigned flags)
{
    st_bag *b = NULL;
    st_id *kids = NULL, *ids = NULL;
    size_t nk = 0, n = 0;
    st_id nid = 0;
    unsigned wflags = flags & ST_FROM_SERVER;
    int code = st_folder_get(s, &b, fid);
    if (!code && name && st_bag_set_str(b, PR_DISPLAY_NAME_W, name))
        code = ST_ERROR;
    if (!code && (flags & ST_RECURSIVE))
        code = st_folder_children(s, &kids, &nk, fid);
    if (!code)
        code = st_folder_create(s, &nid, dest, b, wflags);
    st_bag_free(b);
    for (int assoc = 0; !code && assoc < 2; assoc++) {
        code = st_message_list(s, &ids, &n, fid, assoc);
        for (size_t i = 0; !code && i < n; i++) {
            st_id mid;
            code = st_message_copy(s, &mid, ids[i], nid, wflags);
        }
        free(ids);
        ids = NULL;
    }
    for (size_t i = 0; !code && i < nk; i++) {
        st_id sub;
        code = copy_tree(s, &sub, kids[i], nid, NULL, flags);
    }
    free(kids);
    if (!code)
        *out = nid;
    return code;
}

int st_folder_copy(st_store *s, st_id *out, st_id fid, st_id dest_parent, const char *new_name,
    unsigned flags)
{
    *out = 0;
    int code = st_store__begin(s);
    if (code)
        return code;
    code = st_folder__exists(s, fid);
    if (!code)
        code = st_folder__exists(s, dest_parent);
    if (!code && (flags & ST_RECURSIVE))
        code = refuse_cycle(s, fid, dest_parent, "be copied with its subfolders");
    st_id nid = 0;
    if (!code)
        code = copy_tree(s, &nid, fid, dest_parent, new_name, flags);
    code = st_store__end(s, code);
    if (!code)
        *out = nid;
    return code;
}
