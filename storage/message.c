/*
 * message.c: messages (normal, associated, embedded), recipients and
 * attachments, through the property model, and the bulk import the sync
 * thread uses.
 *
 * A message is one row: hot columns for what views sort and filter on (the
 * column is the only copy of that property), the other properties in one
 * codec blob (propblob.c), values above ST_STREAM_INLINE_MAX in streams
 * (stream.c). Embedded messages are rows with folder_id NULL and
 * embedded_in = their attachment; foreign keys cascade a delete down the
 * whole tree (recipients, attachments, embedded messages, streams) and a
 * trigger keeps the FTS index in step.
 *
 * The import writes in batches (transactions of about budget_ms), one
 * savepoint per item, except a light one (a new message that, once its
 * blobs are encoded, can fail after its first write only when the store
 * cannot write: that failure rolls the batch back); within a batch it
 * looks the receive folder up once and writes the folder counts of what
 * it created once, before the commit.
 *
 * Invariants: every write is one transaction (or a savepoint inside the
 * caller's), with its folder counts, FTS rows and journal entry; a local
 * change to an embedded message is a change of its top-level message.
 * Never: trust a blob (decode checks it), or journal a ST_FROM_SERVER
 * change.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/storage_int.h"

/* Longest body text put in the FTS index, in bytes (a body search must
 * scan the rest of longer bodies: the table code's job). */
#define FTS_BODY_MAX 65536

/* ---- hot columns ---- */
enum { HOT_STR, HOT_LONG, HOT_TIME, HOT_BIN };
typedef struct hot_col {
    uint32_t tag;         /* the property (its type decides what fits) */
    const char *col;      /* column name */
    int kind;             /* HOT_* */
} hot_col;

/* Order = the column order of ROW_COLS below (after the fixed ones). */
static const hot_col hot[] = {
    { PR_MESSAGE_CLASS_W, "msg_class", HOT_STR },
    { PR_SUBJECT_W, "subject", HOT_STR },
    { PR_NORMALIZED_SUBJECT_W, "norm_subject", HOT_STR },
    { PR_SENDER_NAME_W, "sender_name", HOT_STR },
    { PR_DISPLAY_TO_W, "display_to", HOT_STR },
    { PR_CONVERSATION_TOPIC_W, "conv_topic", HOT_STR },
    { PR_MESSAGE_DELIVERY_TIME, "delivery_time", HOT_TIME },
    { PR_CLIENT_SUBMIT_TIME, "submit_time", HOT_TIME },
    { PR_LAST_MODIFICATION_TIME, "mod_time", HOT_TIME },
    { PR_IMPORTANCE, "importance", HOT_LONG },
    { PR_FLAG_STATUS, "flag_status", HOT_LONG },
    { PR_ICON_INDEX, "icon_index", HOT_LONG },
    { PR_SEARCH_KEY, "search_key", HOT_BIN },
};
#define N_HOT (sizeof hot / sizeof hot[0])
#define HOT_SEARCH_KEY 12

/* SELECT list for a message row; indexes below. */
#define ROW_COLS "folder_id, embedded_in, assoc, flags, change_num, size, has_attach," \
    " href, etag, props, msg_class, subject, norm_subject, sender_name, display_to," \
    " conv_topic, delivery_time, submit_time, mod_time, importance, flag_status," \
    " icon_index, search_key"
enum { C_FOLDER, C_EMBEDDED, C_ASSOC, C_FLAGS, C_CN, C_SIZE, C_HASATT, C_HREF, C_ETAG,
    C_PROPS, C_HOT0 };

static int type_fits(uint32_t tag, int kind)
{
    uint32_t t = PROP_TYPE(tag);
    switch (kind) {
    case HOT_STR: return t == PT_UNICODE || t == PT_STRING8;
    case HOT_LONG: return t == PT_LONG;
    case HOT_TIME: return t == PT_SYSTIME;
    default: return t == PT_BINARY;
    }
}

/* Store-computed properties: neither in the blob nor in a column. */
static int computed(uint32_t id)
{
    switch (id) {
    case PROP_ID(PR_RECORD_KEY): case PROP_ID(PR_INSTANCE_KEY):
    case PROP_ID(PR_SOURCE_KEY): case PROP_ID(PR_PARENT_SOURCE_KEY):
    case PROP_ID(PR_CHANGE_KEY): case PROP_ID(PR_MESSAGE_SIZE):
    case PROP_ID(PR_HASATTACH): case PROP_ID(PR_ENTRYID):
    case PROP_ID(PR_PARENT_ENTRYID): case PROP_ID(PR_MESSAGE_RECIPIENTS):
    case PROP_ID(PR_MESSAGE_ATTACHMENTS): case PROP_ID(PR_MESSAGE_FLAGS):
        return 1;
    default:
        return 0;
    }
}

static int is_hot(uint32_t tag)
{
    for (size_t i = 0; i < N_HOT; i++)
        if (PROP_ID(hot[i].tag) == PROP_ID(tag))
            return type_fits(tag, hot[i].kind);
    return 0;
}

static int too_big(const st_value *v)
{
    uint32_t t = PROP_TYPE(v->tag);
    if (t == PT_BINARY)
        return v->v.bin.len > ST_STREAM_INLINE_MAX;
    if (t == PT_UNICODE || t == PT_STRING8)
        return strlen(v->v.str) > ST_STREAM_INLINE_MAX;
    return 0;
}

typedef struct keep_ctx {
    const st_bag *bag;    /* to look values up by tag */
    int attachment;       /* attachment blob: only computed keys are dropped */
} keep_ctx;

static int msg_keep(uint32_t tag, void *ctx)
{
    keep_ctx *k = ctx;
    const st_value *v = st_bag_get(k->bag, tag);
    if (v && too_big(v))
        return 0;
    if (k->attachment)
        return PROP_ID(tag) != PROP_ID(PR_ATTACH_NUM) && PROP_ID(tag) != PROP_ID(PR_INSTANCE_KEY)
            && PROP_ID(tag) != PROP_ID(PR_RECORD_KEY);
    return !computed(PROP_ID(tag)) && !is_hot(tag);
}

/* code, with the message "no message mid" when it is ST_ENOTFOUND. */
static int no_message(st_store *s, int code, st_id mid)
{
    return code == ST_ENOTFOUND ? st_store__notfound(s, "message", mid) : code;
}

/* ---- row state ---- */
typedef struct msg_row {
    st_id folder;         /* 0 for embedded */
    int64_t embedded_in;  /* attachment id, or 0 */
    int assoc;            /* associated */
    int32_t flags;        /* PR_MESSAGE_FLAGS */
} msg_row;

static int row_get(st_store *s, msg_row *r, st_id mid)
{
    sqlite3_stmt *st = NULL;
    memset(r, 0, sizeof *r);   /* also on failure: callers' -O3 cannot tell it is unread */
    int code = st_db__row_int(&s->d, &st,
        "SELECT ifnull(folder_id, 0), ifnull(embedded_in, 0), assoc, flags FROM messages"
        " WHERE id = ?", (int64_t)mid, "reading a message");
    if (code)
        return no_message(s, code, mid);
    r->folder = (st_id)sqlite3_column_int64(st, 0);
    r->embedded_in = sqlite3_column_int64(st, 1);
    r->assoc = sqlite3_column_int(st, 2);
    r->flags = sqlite3_column_int(st, 3);
    st_db__done(st);
    return 0;
}

static int unread(const msg_row *r)
{
    return r->folder && !r->assoc && !(r->flags & ST_MSGFLAG_READ);
}

static int counts_add(st_store *s, const msg_row *r, int sign)
{
    if (!r->folder)
        return 0;
    if (sign > 0) {   /* every way in (create, import, copy, move) comes here */
        int code = st_search__refuse(s, r->folder);
        if (code)
            return code;
    }
    return st_folder__adjust(s, r->folder, r->assoc ? 0 : sign, unread(r) ? sign : 0,
        r->assoc ? sign : 0, 0);
}

/* The sender category count (sender_counts, schema.c) of a message added
 * to folder fid, as the sender_counts_ins trigger did until schema v5: one
 * upsert with the values bound, so the INSERT INTO messages fires no
 * trigger and needs no statement journal (which cost a sixth of an
 * import). Every INSERT INTO messages of a folder's message calls this or
 * sender_count_copied. */
static int sender_count_added(st_store *s, st_id fid, int assoc, const char *sender,
    int32_t flags)
{
    if (!fid)
        return 0;
    sqlite3_stmt *st = st_db__prep(&s->d, "INSERT INTO sender_counts VALUES (?, ?, ?, ?, 1, ?)"
        " ON CONFLICT DO UPDATE SET n = n + 1, unread = unread + excluded.unread");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)fid);
    sqlite3_bind_int(st, 2, assoc);
    sqlite3_bind_int(st, 3, sender != NULL);
    sqlite3_bind_text(st, 4, sender ? sender : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, (flags & ST_MSGFLAG_READ) == 0);
    return st_db__step_done(&s->d, st, "counting a sender");
}

/* sender_count_added for message mid as its row stands (a copy). */
static int sender_count_copied(st_store *s, st_id mid)
{
    return st_db__run_int(&s->d, "INSERT INTO sender_counts SELECT folder_id, assoc,"
        " sender_name IS NOT NULL, ifnull(sender_name, ''), 1, (flags & 1) = 0 FROM messages"
        " WHERE id = ? AND folder_id IS NOT NULL"
        " ON CONFLICT DO UPDATE SET n = n + 1, unread = unread + excluded.unread",
        (int64_t)mid, "counting a sender");
}

int st_message_folder(st_store *s, st_id *out, st_id mid)
{
    msg_row r;
    int code = row_get(s, &r, mid);
    *out = code ? 0 : r.folder;
    return code;
}

int st_message_flags(st_store *s, int32_t *flags, st_id *fid, st_id mid)
{
    msg_row r;
    int code = row_get(s, &r, mid);
    *flags = code ? 0 : r.flags;
    if (fid)
        *fid = code ? 0 : r.folder;
    return code;
}

/* The message holding attachment aid. */
static int attach_owner(st_store *s, st_id *out, int64_t aid)
{
    int64_t mid = 0;
    int code = st_db__one_int(&s->d, &mid, "SELECT message_id FROM attachments WHERE id = ?",
        aid, "reading an attachment");
    if (code == ST_ENOTFOUND)
        return st_store__notfound(s, "attachment", (uint64_t)aid);
    if (!code)
        *out = (st_id)mid;
    return code;
}

int st_message__top(st_store *s, st_id *top, st_id *fid, st_id mid)
{
    for (int depth = 0; depth < 64; depth++) {
        msg_row r;
        int code = row_get(s, &r, mid);
        if (code)
            return code;
        if (!r.embedded_in) {
            *top = mid;
            *fid = r.folder;
            return 0;
        }
        code = attach_owner(s, &mid, r.embedded_in);
        if (code)
            return code;
    }
    st_error_set("%s: embedded messages nested too deep", s->d.path);
    return ST_ECORRUPT;
}

/* ---- FTS ---- */
static int load_bag(st_store *s, st_bag **out, st_id mid, sqlite3_stmt **keep_row);

/* Puts subject and sender of row mid into message_fts. */
static int fts_head_insert(st_store *s, st_id mid)
{
    return st_db__run_int(&s->d,
        "INSERT INTO message_fts(rowid, subject, sender_name)"
        " SELECT id, subject, sender_name FROM messages WHERE id = ?",
        (int64_t)mid, "updating the search index");
}

/* After a top-level row was written: new rows get subject/sender indexed
 * (or, head_pending, queued whole); an existing body index row is dropped
 * (replace) and the body queued. Updates of indexed subject/sender are the
 * trigger's. */
static int fts_put(st_store *s, st_id mid, const st_bag *bag, int replace, int is_new)
{
    sqlite3_stmt *st;
    int code = 0;
    int head_pending = is_new && s->fts_defer;
    if (replace) {
        code = st_db__run_int(&s->d, "DELETE FROM message_fts_body WHERE rowid = ?",
            (int64_t)mid, "updating the search index");
        if (code)
            return code;
    }
    if (is_new && !head_pending) {
        code = fts_head_insert(s, mid);
        if (code)
            return code;
    }
    if (!head_pending && !st_bag_get(bag, PR_BODY_W))
        return 0;
    st = st_db__prep(&s->d, "INSERT INTO fts_queue(id, head) VALUES (?1, ?2)"
        " ON CONFLICT(id) DO UPDATE SET head = max(head, excluded.head)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    sqlite3_bind_int(st, 2, head_pending);
    return st_db__step_done(&s->d, st, "queueing for the search index");
}

int st_store_index_pending(st_store *s, unsigned budget_ms, size_t *left)
{
    if (left)
        *left = 0;
    uint64_t t0 = st_os_time_ms();
    int code = 0;
    while (!code) {
        code = st_store__begin(s);
        if (code)
            return code;
        int done = 0, empty = 0;
        while (!code && !empty && done < 256) {
            sqlite3_stmt *st = st_db__prep(&s->d,
                "SELECT id, head FROM fts_queue ORDER BY id LIMIT 1");
            if (!st) {
                code = ST_ERROR;
                break;
            }
            int rc = sqlite3_step(st);
            st_id mid = rc == SQLITE_ROW ? (st_id)sqlite3_column_int64(st, 0) : 0;
            int head = rc == SQLITE_ROW ? sqlite3_column_int(st, 1) : 0;
            st_db__done(st);
            if (rc == SQLITE_ROW && head)
                code = fts_head_insert(s, mid);
            if (code)
                break;
            if (rc != SQLITE_ROW) {
                empty = 1;
                if (rc != SQLITE_DONE)
                    code = st_db__err(&s->d, rc, "reading the index queue");
                break;
            }
            st_bag *bag = NULL;
            code = load_bag(s, &bag, mid, NULL);
            const st_value *body = code ? NULL : st_bag_get(bag, PR_BODY_W);
            if (code == ST_ECORRUPT || code == ST_ENOTFOUND)
                code = 0;   /* nothing to index; st_store_check reports damage */
            if (!code && body) {
                size_t len = strlen(body->v.str);
                if (len > FTS_BODY_MAX) {
                    len = FTS_BODY_MAX;
                    while (len > 0 && ((unsigned char)body->v.str[len] & 0xC0) == 0x80)
                        len--;   /* cut at a character boundary */
                }
                st = st_db__prep(&s->d, "INSERT INTO message_fts_body(rowid, body) VALUES (?, ?)");
                if (!st)
                    code = ST_ERROR;
                else {
                    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
                    sqlite3_bind_text(st, 2, body->v.str, (int)len, SQLITE_STATIC);
                    code = st_db__step_done(&s->d, st, "indexing a body");
                }
            }
            st_bag_free(bag);
            if (!code)
                code = st_db__run_int(&s->d, "DELETE FROM fts_queue WHERE id = ?",
                    (int64_t)mid, "indexing a body");
            done++;
            if (st_os_time_ms() - t0 >= budget_ms)
                break;
        }
        if (code) {
            st_store__rollback(s);
            return code;
        }
        code = st_store__commit(s);
        if (code || empty || st_os_time_ms() - t0 >= budget_ms)
            break;
    }
    if (!code && left) {
        int64_t n = 0;
        code = st_db__int(&s->d, &n, "SELECT count(*) FROM fts_queue");
        *left = (size_t)n;
    }
    return code;
}

/* ---- streams for big values given in a bag ---- */
static int write_big(st_store *s, st_id mid, int64_t attach_id, const st_bag *bag)
{
    for (size_t i = 0; i < st_bag_count(bag); i++) {
        const st_value *v = st_bag_at(bag, i);
        if (!too_big(v))
            continue;
        const void *data;
        size_t len;
        if (PROP_TYPE(v->tag) == PT_BINARY) {
            data = v->v.bin.data;
            len = v->v.bin.len;
        } else {
            data = v->v.str;
            len = strlen(v->v.str);
        }
        int code = st_stream__drop_live(s, mid, attach_id, v->tag, "replacing a stream");
        if (code)
            return code;
        code = st_stream__put(s, mid, attach_id, v->tag, data, len);
        if (code)
            return code;
    }
    return 0;
}

/* Drops live streams of (mid, attach) whose id is set inline in bag or in del. */
static int drop_streams_for(st_store *s, st_id mid, int64_t attach_id, const st_bag *set,
    const uint32_t *del, size_t n_del)
{
    size_t n = set ? st_bag_count(set) : 0;
    for (size_t i = 0; i < n + n_del; i++) {
        uint32_t tag;
        if (i < n) {
            const st_value *v = st_bag_at(set, i);
            if (too_big(v))
                continue;   /* write_big replaces it */
            tag = v->tag;
        } else {
            tag = del[i - n];
        }
        int code = st_stream__drop_live(s, mid, attach_id, tag, "dropping a stream");
        if (code)
            return code;
    }
    return 0;
}

/* ---- size bookkeeping ---- */
static int refresh_size(st_store *s, st_id mid)
{
    return st_db__run_int(&s->d,
        "UPDATE messages SET size = ifnull(length(props), 0)"
        " + ifnull(length(CAST(subject AS BLOB)), 0) + ifnull(length(CAST(sender_name AS BLOB)), 0)"
        " + ifnull(length(CAST(display_to AS BLOB)), 0) + 64"
        " + (SELECT ifnull(sum(size), 0) FROM attachments WHERE message_id = ?1)"
        " + (SELECT ifnull(sum(size), 0) FROM streams WHERE message_id = ?1"
        "    AND attach_id IS NULL AND state = 1),"
        " has_attach = EXISTS (SELECT 1 FROM attachments WHERE message_id = ?1)"
        " WHERE id = ?1",
        (int64_t)mid, "updating a message size");
}

static int refresh_attach_size(st_store *s, int64_t aid)
{
    return st_db__run_int(&s->d,
        "UPDATE attachments SET size = ifnull(length(props), 0)"
        " + (SELECT ifnull(sum(size), 0) FROM streams WHERE attach_id = ?1 AND state = 1)"
        " + (SELECT ifnull(sum(size), 0) FROM messages WHERE embedded_in = ?1)"
        " WHERE id = ?1",
        aid, "updating an attachment size");
}

/* Sizes of mid and, up the embedding chain, of its attachments and parents. */
static int refresh_sizes_up(st_store *s, st_id mid)
{
    for (int depth = 0; depth < 64; depth++) {
        int code = refresh_size(s, mid);
        if (code)
            return code;
        msg_row r;
        code = row_get(s, &r, mid);
        if (code || !r.embedded_in)
            return code;
        code = refresh_attach_size(s, r.embedded_in);
        if (!code)
            code = attach_owner(s, &mid, r.embedded_in);
        if (code)
            return code;
    }
    return 0;
}

int st_message__refresh_sizes(st_store *s, st_id mid, int64_t attach_id)
{
    int code = attach_id ? refresh_attach_size(s, attach_id) : 0;
    return code ? code : refresh_sizes_up(s, mid);
}

/* ---- writing a row ---- */
static void bind_hot(sqlite3_stmt *st, int first, const st_bag *bag, const uint8_t *skey)
{
    for (size_t i = 0; i < N_HOT; i++) {
        int idx = first + (int)i;
        const st_value *v = st_bag_get(bag, hot[i].tag);
        if (i == HOT_SEARCH_KEY && skey) {
            sqlite3_bind_blob(st, idx, skey, 16, SQLITE_TRANSIENT);
            continue;
        }
        if (!v || !type_fits(v->tag, hot[i].kind)) {
            sqlite3_bind_null(st, idx);
            continue;
        }
        switch (hot[i].kind) {
        case HOT_STR: sqlite3_bind_text(st, idx, v->v.str, -1, SQLITE_STATIC); break;
        case HOT_LONG: sqlite3_bind_int(st, idx, v->v.l); break;
        case HOT_TIME: sqlite3_bind_int64(st, idx, (sqlite3_int64)v->v.ft); break;
        default: sqlite3_bind_blob(st, idx, v->v.bin.data, (int)v->v.bin.len, SQLITE_STATIC);
        }
    }
}

/* The string create_in put in a hot column for tag, or NULL. */
static const char *hot_str(const st_bag *bag, uint32_t tag)
{
    const st_value *v = st_bag_get(bag, tag);
    return v && type_fits(v->tag, HOT_STR) ? v->v.str : NULL;
}

static size_t hot_text_len(const st_bag *bag)
{
    size_t n = 64;
    static const uint32_t tags[] = { PR_SUBJECT_W, PR_SENDER_NAME_W, PR_DISPLAY_TO_W };
    for (size_t i = 0; i < 3; i++) {
        const st_value *v = st_bag_get(bag, tags[i]);
        if (v)
            n += strlen(v->v.str);
    }
    return n;
}

static int32_t bag_flags(const st_bag *bag)
{
    const st_value *v = st_bag_get(bag, PR_MESSAGE_FLAGS);
    return v ? v->v.l : 0;
}

static int import_receive_folder(st_import *imp, st_id *out, const char *msg_class);
static int import_count(st_import *imp, const msg_row *r);

/* Creates a message row (folder fid, or embedded in attachment emb). imp:
 * called by the import, inside its savepoint for the item (so no savepoint
 * of its own), with its receive folder cache; NULL otherwise. */
static int create_in(st_store *s, st_id *out, st_id fid, int64_t emb, const st_bag *props,
    unsigned flags, const char *href, const char *etag, st_import *imp)
{
    st_bag *own = NULL;
    st_buf blob = { 0 };
    int assoc = (flags & ST_ASSOCIATED) != 0;
    int code = 0;
    if (!(flags & ST_FROM_SERVER) && !st_bag_get(props, PR_LAST_MODIFICATION_TIME)) {
        own = st_bag_dup(props);
        if (!own || st_bag_set_systime(own, PR_LAST_MODIFICATION_TIME,
                st_os_time_filetime()) < 0) {
            st_bag_free(own);
            return ST_ERROR;
        }
        props = own;
    }
    keep_ctx kc = { props, 0 };
    if (st_propblob__encode(&blob, props, msg_keep, &kc)) {
        st_bag_free(own);
        return ST_ERROR;
    }
    code = imp ? 0 : st_store__begin(s);
    if (code)
        goto out;
    st_id id = 0;
    int64_t cn = 0;
    code = st_store__alloc_id(s, &id);
    if (!code)
        code = st_store__alloc_cn(s, &cn);
    uint8_t skey[16];
    const st_value *sk = st_bag_get(props, PR_SEARCH_KEY);
    if (!sk)
        sqlite3_randomness(16, skey);
    int32_t mflags = bag_flags(props) & ~(ST_MSGFLAG_HASATTACH | ST_MSGFLAG_ASSOCIATED);
    if (assoc)
        mflags |= ST_MSGFLAG_ASSOCIATED;
    if (!code) {
        sqlite3_stmt *st = st_db__prep(&s->d,
            "INSERT INTO messages(id, folder_id, embedded_in, assoc, flags, change_num, size,"
            " href, etag, props, msg_class, subject, norm_subject, sender_name, display_to,"
            " conv_topic, delivery_time, submit_time, mod_time, importance, flag_status,"
            " icon_index, search_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!st) {
            code = ST_ERROR;
        } else {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
            if (fid)
                sqlite3_bind_int64(st, 2, (sqlite3_int64)fid);
            if (emb)
                sqlite3_bind_int64(st, 3, emb);
            sqlite3_bind_int(st, 4, assoc);
            sqlite3_bind_int(st, 5, mflags);
            sqlite3_bind_int64(st, 6, cn);
            sqlite3_bind_int64(st, 7, (sqlite3_int64)(blob.len + hot_text_len(props)));
            st_db__bind_text(st, 8, href);
            st_db__bind_text(st, 9, etag);
            sqlite3_bind_blob(st, 10, blob.data, (int)blob.len, SQLITE_STATIC);
            bind_hot(st, 11, props, sk ? NULL : skey);
            code = st_db__step_done(&s->d, st, "creating a message");
        }
    }
    if (!code)
        code = sender_count_added(s, fid, assoc, hot_str(props, PR_SENDER_NAME_W), mflags);
    int big = 0;
    for (size_t i = 0; !code && i < st_bag_count(props); i++)
        big |= too_big(st_bag_at(props, i));
    if (!code && big) {
        code = write_big(s, id, 0, props);
        if (!code)
            code = refresh_size(s, id);
    }
    if (!code && fid)
        code = fts_put(s, id, props, 0, 1);
    msg_row r = { fid, emb, assoc, mflags };
    if (!code)
        code = imp ? import_count(imp, &r) : counts_add(s, &r, 1);
    if (!code && fid)
        code = st_journal__record(s, ST_JOP_CREATE, ST_JKIND_MESSAGE, id, fid, 0, flags);
    if (!code && fid) {
        st_store__event(s, ST_EV_CREATED, ST_JKIND_MESSAGE, id, fid, 0, assoc, flags);
        if (!assoc) {
            const st_value *cls = st_bag_get(props, PR_MESSAGE_CLASS_W);
            const char *mc = cls ? cls->v.str : "";
            st_id rf = 0;
            if ((imp ? import_receive_folder(imp, &rf, mc) : st_receive_folder_get(s, &rf, mc))
                    == 0 && rf == fid)
                st_store__event(s, ST_EV_NEWMAIL, ST_JKIND_MESSAGE, id, fid, 0, 0, flags);
        }
    }
    if (!imp)
        code = st_store__end(s, code);
    if (!code)
        *out = id;
out:
    st_buf_free(&blob);
    st_bag_free(own);
    return code;
}

int st_message_create(st_store *s, st_id *out, st_id fid, const st_bag *props, unsigned flags)
{
    *out = 0;
    st_bag *empty = NULL;
    if (!props && !(props = empty = st_bag_new()))
        return ST_ERROR;
    int code = st_folder__exists(s, fid);
    if (!code)
        code = create_in(s, out, fid, 0, props, flags, NULL, NULL, NULL);
    st_bag_free(empty);
    return code;
}

/* The message's stored properties: blob + hot columns (no computed ones). */
static int load_bag(st_store *s, st_bag **out, st_id mid, sqlite3_stmt **keep_row)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    int code = st_db__row_int(&s->d, &st, "SELECT " ROW_COLS " FROM messages WHERE id = ?",
        (int64_t)mid, "reading a message");
    if (code)
        return no_message(s, code, mid);
    st_bag *bag = st_bag_new();
    code = bag ? 0 : ST_ERROR;
    if (!code && sqlite3_column_type(st, C_PROPS) != SQLITE_NULL) {
        code = st_propblob__decode(bag, sqlite3_column_blob(st, C_PROPS),
            (size_t)sqlite3_column_bytes(st, C_PROPS));
        if (code == ST_ECORRUPT)
            st_error_set("%s: message %llu: %s", s->d.path, (unsigned long long)mid,
                st_error_last());
    }
    for (size_t i = 0; !code && i < N_HOT; i++) {
        int c = C_HOT0 + (int)i;
        if (sqlite3_column_type(st, c) == SQLITE_NULL)
            continue;
        int r = 0;
        switch (hot[i].kind) {
        case HOT_STR: r = st_bag_set_str(bag, hot[i].tag, (const char *)sqlite3_column_text(st, c)); break;
        case HOT_LONG: r = st_bag_set_long(bag, hot[i].tag, sqlite3_column_int(st, c)); break;
        case HOT_TIME:
            r = st_bag_set_systime(bag, hot[i].tag, (uint64_t)sqlite3_column_int64(st, c));
            break;
        default:
            r = st_bag_set_bin(bag, hot[i].tag, sqlite3_column_blob(st, c),
                (uint32_t)sqlite3_column_bytes(st, c));
        }
        if (r < 0)
            code = ST_ERROR;
    }
    if (!code && st_bag_set_long(bag, PR_MESSAGE_FLAGS, sqlite3_column_int(st, C_FLAGS)
            | (sqlite3_column_int(st, C_HASATT) ? ST_MSGFLAG_HASATTACH : 0)) < 0)
        code = ST_ERROR;
    if (code || !keep_row)
        st_db__done(st);
    else
        *keep_row = st;
    if (code) {
        st_bag_free(bag);
        return code;
    }
    *out = bag;
    return 0;
}

static int add_stream_markers(st_store *s, st_bag *bag, st_id mid, int64_t attach_id)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT tag FROM streams WHERE message_id = ? AND ifnull(attach_id, 0) = ?"
        " AND state = 1");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    sqlite3_bind_int64(st, 2, attach_id);
    int rc, code = 0;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint32_t tag = (uint32_t)sqlite3_column_int64(st, 0);
        st_value v = { .tag = PROP_TAG(PT_ERROR, PROP_ID(tag)) };
        v.v.err = ST_E_NOT_ENOUGH_MEMORY;
        if (st_bag_set(bag, &v) < 0)
            code = ST_ERROR;
    }
    st_db__done(st);
    return code;
}

int st_message_get(st_store *s, st_bag **out, st_id mid)
{
    sqlite3_stmt *row = NULL;
    st_bag *bag = NULL;
    int code = load_bag(s, &bag, mid, &row);
    if (code)
        return code;
    uint8_t key[22], ck[22], pk[22], ik[8];
    st_store__xid(s, key, mid);
    st_store__xid(s, ck, (uint64_t)sqlite3_column_int64(row, C_CN));
    st_id fid = (st_id)sqlite3_column_int64(row, C_FOLDER);
    st_store__xid(s, pk, fid);
    for (int i = 0; i < 8; i++)
        ik[i] = (uint8_t)(mid >> (8 * i));
    int64_t size = sqlite3_column_int64(row, C_SIZE);
    int r = st_bag_set_bin(bag, PR_RECORD_KEY, key, 22);
    r |= st_bag_set_bin(bag, PR_SOURCE_KEY, key, 22);
    r |= st_bag_set_bin(bag, PR_CHANGE_KEY, ck, 22);
    r |= st_bag_set_bin(bag, PR_INSTANCE_KEY, ik, 8);
    if (fid)
        r |= st_bag_set_bin(bag, PR_PARENT_SOURCE_KEY, pk, 22);
    r |= st_bag_set_long(bag, PR_MESSAGE_SIZE, size > INT32_MAX ? INT32_MAX : (int32_t)size);
    r |= st_bag_set_bool(bag, PR_HASATTACH, sqlite3_column_int(row, C_HASATT));
    st_db__done(row);
    code = r ? ST_ERROR : add_stream_markers(s, bag, mid, 0);
    if (code) {
        st_bag_free(bag);
        return code;
    }
    *out = bag;
    return 0;
}

/* Writes bag (the whole stored state) back to row mid. */
static int save_bag(st_store *s, st_id mid, const st_bag *bag, int32_t mflags, int64_t cn)
{
    st_buf blob = { 0 };
    keep_ctx kc = { bag, 0 };
    if (st_propblob__encode(&blob, bag, msg_keep, &kc))
        return ST_ERROR;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "UPDATE messages SET flags = ?, change_num = ?, props = ?, msg_class = ?, subject = ?,"
        " norm_subject = ?, sender_name = ?, display_to = ?, conv_topic = ?,"
        " delivery_time = ?, submit_time = ?, mod_time = ?, importance = ?, flag_status = ?,"
        " icon_index = ?, search_key = ifnull(?, search_key) WHERE id = ?");
    int code = ST_ERROR;
    if (st) {
        sqlite3_bind_int(st, 1, mflags);
        sqlite3_bind_int64(st, 2, cn);
        sqlite3_bind_blob(st, 3, blob.data, (int)blob.len, SQLITE_STATIC);
        bind_hot(st, 4, bag, NULL);
        sqlite3_bind_int64(st, 4 + (int)N_HOT, (sqlite3_int64)mid);
        code = st_db__step_done(&s->d, st, "saving a message");
    }
    st_buf_free(&blob);
    return code;
}

int st_message__touch(st_store *s, st_id mid, unsigned flags)
{
    st_id top = 0, fid = 0;
    int code = st_message__top(s, &top, &fid, mid);
    if (code)
        return code;
    if (top != mid) {
        int64_t cn;
        code = st_store__alloc_cn(s, &cn);
        sqlite3_stmt *st = code ? NULL : st_db__prep(&s->d,
            "UPDATE messages SET change_num = ? WHERE id = ?");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int64(st, 1, cn);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)top);
        code = st_db__step_done(&s->d, st, "updating a message");
        if (code)
            return code;
    }
    if (fid) {
        code = st_journal__record(s, ST_JOP_MODIFY, ST_JKIND_MESSAGE, top, fid, 0, flags);
        msg_row r;
        if (!code)
            code = row_get(s, &r, top);
        if (!code)
            st_store__event(s, ST_EV_MODIFIED, ST_JKIND_MESSAGE, top, fid, 0, r.assoc, flags);
    }
    return code;
}

/* set/del applied; replace: the whole stored state becomes `set`. */
static int modify(st_store *s, st_id mid, const st_bag *set, const uint32_t *del, size_t n_del,
    unsigned flags, int replace)
{
    st_bag *cur = NULL;
    msg_row before;
    int code = st_store__begin(s);
    if (code)
        return code;
    code = row_get(s, &before, mid);
    if (!code && replace)
        code = (cur = st_bag_new()) ? 0 : ST_ERROR;
    else if (!code)
        code = load_bag(s, &cur, mid, NULL);
    if (!code)
        code = st_store__bag_apply(cur, set, del, n_del);
    if (!code && !(flags & ST_FROM_SERVER) &&
        !(set && st_bag_get(set, PR_LAST_MODIFICATION_TIME)))
        code = st_bag_set_systime(cur, PR_LAST_MODIFICATION_TIME, st_os_time_filetime()) < 0
            ? ST_ERROR : 0;
    int32_t mflags = before.flags;
    if (!code && (replace || (set && st_bag_get(set, PR_MESSAGE_FLAGS))))
        mflags = (bag_flags(cur) & ~(ST_MSGFLAG_HASATTACH | ST_MSGFLAG_ASSOCIATED)) |
            (before.assoc ? ST_MSGFLAG_ASSOCIATED : 0);
    int64_t cn = 0;
    if (!code)
        code = st_store__alloc_cn(s, &cn);
    if (!code && replace) {
        code = st_db__run_int(&s->d,
            "DELETE FROM streams WHERE message_id = ? AND attach_id IS NULL AND state = 1",
            (int64_t)mid, "dropping streams");
    } else if (!code) {
        code = drop_streams_for(s, mid, 0, set, del, n_del);
    }
    if (!code)
        code = write_big(s, mid, 0, cur);
    if (!code)
        code = save_bag(s, mid, cur, mflags, cn);
    if (!code)
        code = refresh_sizes_up(s, mid);
    if (!code && before.folder)
        code = fts_put(s, mid, cur, 1, 0);
    msg_row after = before;
    after.flags = mflags;
    if (!code && unread(&after) != unread(&before))
        code = st_folder__adjust(s, before.folder, 0, unread(&after) - unread(&before), 0, 0);
    if (!code)
        code = st_message__touch(s, mid, flags);
    st_bag_free(cur);
    return st_store__end(s, code);
}

int st_message_set_props(st_store *s, st_id mid, const st_bag *set, const uint32_t *del,
    size_t n_del, unsigned flags)
{
    return modify(s, mid, set, del, n_del, flags, 0);
}

int st_message_set_read(st_store *s, st_id mid, int read, unsigned flags)
{
    msg_row r;
    int code = st_store__begin(s);
    if (code)
        return code;
    code = row_get(s, &r, mid);
    int32_t nf = read ? (r.flags | ST_MSGFLAG_READ) : (r.flags & ~ST_MSGFLAG_READ);
    if (!code && nf != r.flags) {
        int64_t cn = 0;
        code = st_store__alloc_cn(s, &cn);
        sqlite3_stmt *st = code ? NULL : st_db__prep(&s->d,
            "UPDATE messages SET flags = ?, change_num = ? WHERE id = ?");
        if (!code && !st)
            code = ST_ERROR;
        if (!code) {
            sqlite3_bind_int(st, 1, nf);
            sqlite3_bind_int64(st, 2, cn);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)mid);
            code = st_db__step_done(&s->d, st, "setting the read flag");
        }
        msg_row a = r;
        a.flags = nf;
        if (!code)
            code = st_folder__adjust(s, r.folder, 0, unread(&a) - unread(&r), 0, 0);
        if (!code && r.folder)
            code = st_journal__record(s, ST_JOP_READ, ST_JKIND_MESSAGE, mid, r.folder, 0, flags);
        if (!code && r.folder)
            st_store__event(s, ST_EV_MODIFIED, ST_JKIND_MESSAGE, mid, r.folder, 0, r.assoc,
                flags);
    }
    return st_store__end(s, code);
}

int st_message__delete_rows(st_store *s, st_id mid)
{
    msg_row r;
    int code = row_get(s, &r, mid);
    if (!code)
        code = st_search__on_delete(s, mid);
    if (code)
        return code;
    code = st_db__run_int(&s->d, "DELETE FROM messages WHERE id = ?", (int64_t)mid,
        "deleting a message");
    if (!code)
        code = counts_add(s, &r, -1);
    return code;
}

int st_message_delete(st_store *s, st_id mid, unsigned flags)
{
    msg_row r;
    int code = st_store__begin(s);
    if (code)
        return code;
    code = row_get(s, &r, mid);
    if (!code && r.embedded_in) {
        st_error_set("%s: message %llu is embedded: delete its attachment", s->d.path,
            (unsigned long long)mid);
        code = ST_ERROR;
    }
    /* The journal reads href/ETag from the row: record before deleting.
     * Deleted on the server: its pending local changes are moot (taken ones
     * stay for the sync side to settle). */
    if (!code)
        code = (flags & ST_FROM_SERVER)
            ? st_journal__forget(s, ST_JKIND_MESSAGE, mid)
            : st_journal__record(s, (flags & ST_HARD_DELETE) ? ST_JOP_PURGE : ST_JOP_DELETE,
                ST_JKIND_MESSAGE, mid, r.folder, 0, flags);
    if (!code)
        code = st_message__delete_rows(s, mid);
    if (!code)
        st_store__event(s, ST_EV_DELETED, ST_JKIND_MESSAGE, mid, r.folder, 0, r.assoc, flags);
    return st_store__end(s, code);
}

/* st_store__begin for a change of message mid, which must not be
 * embedded; *r its row. Nonzero: nothing begun. */
static int begin_top_level(st_store *s, msg_row *r, st_id mid)
{
    int code = st_store__begin(s);
    if (code)
        return code;
    code = row_get(s, r, mid);
    if (!code && !r->folder) {
        st_error_set("%s: message %llu is embedded", s->d.path, (unsigned long long)mid);
        code = ST_ERROR;
    }
    if (code)
        st_store__rollback(s);
    return code;
}

int st_message_move(st_store *s, st_id mid, st_id dest_fid, unsigned flags)
{
    msg_row r;
    int code = begin_top_level(s, &r, mid);
    if (code)
        return code;
    if (r.folder == dest_fid) {
        st_store__rollback(s);
        return 0;
    }
    int64_t cn = 0;
    code = st_store__alloc_cn(s, &cn);
    if (!code) {
        sqlite3_stmt *st = st_db__prep(&s->d,
            "UPDATE messages SET folder_id = ?, change_num = ? WHERE id = ?");
        if (!st)
            code = ST_ERROR;
        else {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)dest_fid);
            sqlite3_bind_int64(st, 2, cn);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)mid);
            code = st_db__step_done(&s->d, st, "moving a message");
            if (code == ST_ERROR)
                code = st_store__notfound(s, "folder", dest_fid);
        }
    }
    msg_row to = r;
    to.folder = dest_fid;
    if (!code)
        code = counts_add(s, &r, -1);
    if (!code)
        code = counts_add(s, &to, 1);
    if (!code)
        code = st_journal__record(s, ST_JOP_MOVE, ST_JKIND_MESSAGE, mid, dest_fid, r.folder,
            flags);
    if (!code)
        st_store__event(s, ST_EV_MOVED, ST_JKIND_MESSAGE, mid, dest_fid, r.folder, r.assoc, flags);
    return st_store__end(s, code);
}

/* The message embedded in attachment aid, or 0 when there is none. */
static int embedded_msg(st_store *s, st_id *out, int64_t aid)
{
    int64_t id = 0;
    int code = st_db__one_int(&s->d, &id, "SELECT id FROM messages WHERE embedded_in = ?", aid,
        "reading an embedded message");
    *out = (st_id)id;
    return code == ST_ENOTFOUND ? 0 : code;
}

/* Copies message src (with everything under it) into folder fid or
 * attachment emb; *out the copy. */
static int copy_tree(st_store *s, st_id *out, st_id src, st_id fid, int64_t emb)
{
    st_id id = 0;
    int64_t cn = 0;
    int code = st_store__alloc_id(s, &id);
    if (!code)
        code = st_store__alloc_cn(s, &cn);
    if (code)
        return code;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "INSERT INTO messages(id, folder_id, embedded_in, assoc, flags, change_num, size,"
        " has_attach, props, msg_class, subject, norm_subject, sender_name, display_to,"
        " conv_topic, delivery_time, submit_time, mod_time, importance, flag_status,"
        " icon_index, search_key, next_attach) SELECT ?1, ?2, ?3, assoc, flags, ?4, size,"
        " has_attach, props, msg_class, subject, norm_subject, sender_name, display_to,"
        " conv_topic, delivery_time, submit_time, mod_time, importance, flag_status,"
        " icon_index, search_key, next_attach FROM messages WHERE id = ?5");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    if (fid)
        sqlite3_bind_int64(st, 2, (sqlite3_int64)fid);
    if (emb)
        sqlite3_bind_int64(st, 3, emb);
    sqlite3_bind_int64(st, 4, cn);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)src);
    code = st_db__step_done(&s->d, st, "copying a message");
    if (!code && fid)
        code = sender_count_copied(s, id);
    if (code)
        return code;
    st = st_db__prep(&s->d, "INSERT INTO recipients(message_id, row, props)"
        " SELECT ?, row, props FROM recipients WHERE message_id = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)src);
    code = st_db__step_done(&s->d, st, "copying recipients");
    if (!code)
        code = st_stream__copy(s, src, 0, id, 0);
    if (code)
        return code;
    /* Attachments, one by one (each may embed a message). */
    st_id *aids = NULL;
    size_t n = 0;
    st = st_db__prep(&s->d, "SELECT id FROM attachments WHERE message_id = ? ORDER BY num");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)src);
    code = st_db__ids(&s->d, &aids, &n, st, "copying attachments");
    for (size_t i = 0; !code && i < n; i++) {
        st_id naid = 0;
        code = st_store__alloc_id(s, &naid);
        if (code)
            break;
        st = st_db__prep(&s->d, "INSERT INTO attachments(id, message_id, num, method, size, props)"
            " SELECT ?, ?, num, method, size, props FROM attachments WHERE id = ?");
        if (!st) {
            code = ST_ERROR;
            break;
        }
        sqlite3_bind_int64(st, 1, (sqlite3_int64)naid);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)id);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)aids[i]);
        code = st_db__step_done(&s->d, st, "copying an attachment");
        if (!code)
            code = st_stream__copy(s, src, (int64_t)aids[i], id, (int64_t)naid);
        if (code)
            break;
        st_id emb_src = 0;
        code = embedded_msg(s, &emb_src, (int64_t)aids[i]);
        if (!code && emb_src) {
            st_id dummy;
            code = copy_tree(s, &dummy, emb_src, 0, (int64_t)naid);
        }
    }
    free(aids);
    if (code)
        return code;
    if (fid) {
        /* Subject/sender at once; the body queued (the indexer finds none
         * if there is none). */
        code = fts_head_insert(s, id);
        if (!code)
            code = st_db__run_int(&s->d, "INSERT OR IGNORE INTO fts_queue(id) VALUES (?)",
                (int64_t)id, "indexing a copy");
    }
    if (!code)
        *out = id;
    return code;
}

int st_message_copy(st_store *s, st_id *out, st_id mid, st_id dest_fid, unsigned flags)
{
    *out = 0;
    msg_row r;
    int code = begin_top_level(s, &r, mid);
    if (code)
        return code;
    st_id id = 0;
    code = copy_tree(s, &id, mid, dest_fid, 0);
    msg_row to = r;
    to.folder = dest_fid;
    if (!code)
        code = counts_add(s, &to, 1);
    if (!code)
        code = st_journal__record(s, ST_JOP_CREATE, ST_JKIND_MESSAGE, id, dest_fid, 0, flags);
    if (!code)
        st_store__event(s, ST_EV_CREATED, ST_JKIND_MESSAGE, id, dest_fid, 0, r.assoc, flags);
    code = st_store__end(s, code);
    if (!code)
        *out = id;
    return code;
}

/* ---- server identity ---- */
int st_message_server_set(st_store *s, st_id mid, const char *href, const char *etag)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "UPDATE messages SET href = ifnull(?1, href), etag = ifnull(?2, etag) WHERE id = ?3");
    if (!st)
        return ST_ERROR;
    st_db__bind_text(st, 1, href);
    st_db__bind_text(st, 2, etag);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)mid);
    int code = st_db__step_done(&s->d, st, "saving a server identity");
    if (!code && sqlite3_changes(s->d.db) == 0)
        code = st_store__notfound(s, "message", mid);
    return code;
}

int st_message_server_get(st_store *s, st_id mid, char **href, char **etag)
{
    char **const outs[] = { href, etag };
    return no_message(s, st_db__texts(&s->d, outs, 2,
        "SELECT href, etag FROM messages WHERE id = ?", (int64_t)mid,
        "reading a server identity"), mid);
}

int st_message_find_by_href(st_store *s, st_id *out, const char *href)
{
    int64_t id = 0;
    int code = st_db__one_text(&s->d, &id, "SELECT id FROM messages WHERE href = ?", href,
        "finding by href");
    *out = (st_id)id;
    return code;
}

void st_server_items_free(st_server_item *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++) {
        free(items[i].href);
        free(items[i].etag);
    }
    free(items);
}

int st_message_server_list(st_store *s, st_server_item **out, size_t *n, st_id fid)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = st_db__prep(&s->d, "SELECT id, href, etag, flags, flag_status "
        "FROM messages WHERE folder_id = ? AND assoc = 0");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)fid);
    st_server_item *items = NULL;
    size_t cnt = 0, cap = 0;
    int rc, code = 0;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        st_server_item *g = st_grow(items, &cap, cnt, sizeof *items, 256);
        if (!g) {
            code = ST_ERROR;
            break;
        }
        items = g;
        st_server_item *it = &items[cnt];
        memset(it, 0, sizeof *it);
        it->mid = (st_id)sqlite3_column_int64(st, 0);
        const char *h = (const char *)sqlite3_column_text(st, 1);
        const char *e = (const char *)sqlite3_column_text(st, 2);
        it->flags = (int32_t)sqlite3_column_int64(st, 3);
        if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
            it->has_flag_status = 1;
            it->flag_status = (int32_t)sqlite3_column_int64(st, 4);
        }
        cnt++;
        if ((h && !(it->href = st_strdup(h))) || (e && !(it->etag = st_strdup(e))))
            code = ST_ERROR;
    }
    if (!code && rc != SQLITE_DONE)
        code = st_db__err(&s->d, rc, "listing a folder's server identities");
    st_db__done(st);
    if (code) {
        st_server_items_free(items, cnt);
        return code;
    }
    *out = items;
    *n = cnt;
    return 0;
}

/* ---- recipients ---- */
/* known_to: the display_to the row already has (a fresh row's, from its
 * bag), so an equal one needs no UPDATE; NULL when not known. */
/* Recipient rows encoded before anything is written: an encoding error
 * then leaves no row behind (and the import's light items rely on it). */
typedef struct rcp_enc {
    st_buf blobs;         /* the rows' blobs, one after the other */
    size_t *end;          /* row i is blobs[end[i - 1] (0 for i = 0) .. end[i]] */
    size_t n;             /* rows */
    st_buf to;            /* PR_DISPLAY_TO: the MAPI_TO names joined by "; " */
} rcp_enc;

static void rcp_enc_free(rcp_enc *e)
{
    st_buf_free(&e->blobs);
    st_buf_free(&e->to);
    free(e->end);
    memset(e, 0, sizeof *e);
}

static int rcp_encode(rcp_enc *e, st_bag *const *rows, size_t n)
{
    memset(e, 0, sizeof *e);
    if (n && !(e->end = malloc(n * sizeof *e->end))) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    st_buf one = { 0 };
    int code = 0;
    for (size_t i = 0; !code && i < n; i++) {
        code = st_propblob__encode(&one, rows[i], NULL, NULL);
        if (!code && st_buf_append(&e->blobs, one.data, one.len))
            code = ST_ERROR;
        if (code)
            break;
        e->end[i] = e->blobs.len;
        e->n = i + 1;
        const st_value *type = st_bag_get(rows[i], PR_RECIPIENT_TYPE);
        const st_value *name = st_bag_get(rows[i], PR_DISPLAY_NAME_W);
        if (name && (!type || (type->v.l & 0xF) == 1 /* MAPI_TO */)) {
            if (e->to.len && st_buf_append(&e->to, "; ", 2))
                code = ST_ERROR;
            if (!code && st_buf_append(&e->to, name->v.str, strlen(name->v.str)))
                code = ST_ERROR;
        }
    }
    st_buf_free(&one);
    if (code)
        rcp_enc_free(e);
    return code;
}

/* Writes the encoded rows of message mid (fresh: it has none yet) and
 * brings PR_DISPLAY_TO in step unless known_to already says it. */
static int rcp_insert(st_store *s, st_id mid, const rcp_enc *e, int fresh, const char *known_to)
{
    sqlite3_stmt *st;
    int code = 0;
    if (!fresh)
        code = st_db__run_int(&s->d, "DELETE FROM recipients WHERE message_id = ?",
            (int64_t)mid, "replacing recipients");
    for (size_t i = 0; !code && i < e->n; i++) {
        size_t start = i ? e->end[i - 1] : 0;
        st = st_db__prep(&s->d,
            "INSERT INTO recipients(message_id, row, props) VALUES (?, ?, ?)");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_blob(st, 3, e->blobs.data + start, (int)(e->end[i] - start), SQLITE_STATIC);
        code = st_db__step_done(&s->d, st, "writing a recipient");
    }
    /* PR_DISPLAY_TO follows the recipient table, as in every MAPI store. */
    const st_buf *to = &e->to;
    if (!code && known_to && to->len && strlen(known_to) == to->len &&
        memcmp(known_to, to->data, to->len) == 0) {
        /* already right */
    } else if (!code) {
        st = st_db__prep(&s->d, "UPDATE messages SET display_to = ?1 WHERE id = ?2"
            " AND display_to IS NOT ?1");   /* no row rewrite when unchanged */
        if (!st)
            code = ST_ERROR;
        else {
            if (to->len)
                sqlite3_bind_text(st, 1, (const char *)to->data, (int)to->len, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)mid);
            code = st_db__step_done(&s->d, st, "updating PR_DISPLAY_TO");
        }
    }
    return code;
}

static int recipients_write(st_store *s, st_id mid, st_bag *const *rows, size_t n, int fresh,
    const char *known_to)
{
    rcp_enc e;
    int code = rcp_encode(&e, rows, n);
    if (!code)
        code = rcp_insert(s, mid, &e, fresh, known_to);
    rcp_enc_free(&e);
    return code;
}

int st_recipients_set(st_store *s, st_id mid, st_bag *const *rows, size_t n, unsigned flags)
{
    msg_row r;
    int code = st_store__begin(s);
    if (code)
        return code;
    code = row_get(s, &r, mid);
    if (!code)
        code = recipients_write(s, mid, rows, n, 0, NULL);
    if (!code)
        code = refresh_sizes_up(s, mid);
    if (!code)
        code = st_message__touch(s, mid, flags);
    return st_store__end(s, code);
}

int st_recipients_get(st_store *s, st_bag ***out, size_t *n, st_id mid)
{
    *out = NULL;
    *n = 0;
    msg_row r;
    int code = row_get(s, &r, mid);
    if (code)
        return code;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT row, props FROM recipients WHERE message_id = ? ORDER BY row");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    st_bag **rows = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while (!code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        st_bag **p = st_grow(rows, &cap, cnt, sizeof *rows, 8);
        if (!p) {
            code = ST_ERROR;
            break;
        }
        rows = p;
        st_bag *b = st_bag_new();
        if (!b) {
            code = ST_ERROR;
            break;
        }
        rows[cnt++] = b;
        code = st_propblob__decode(b, sqlite3_column_blob(st, 1),
            (size_t)sqlite3_column_bytes(st, 1));
        if (!code && st_bag_set_long(b, PR_ROWID, sqlite3_column_int(st, 0)) < 0)
            code = ST_ERROR;
    }
    st_db__done(st);
    if (code) {
        for (size_t i = 0; i < cnt; i++)
            st_bag_free(rows[i]);
        free(rows);
        return code;
    }
    *out = rows;
    *n = cnt;
    return 0;
}

/* ---- attachments ---- */
int st_message__attach_id(st_store *s, int64_t *out, st_id mid, uint32_t num)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT id FROM attachments WHERE message_id = ? AND num = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    sqlite3_bind_int64(st, 2, num);
    int64_t aid = 0;
    int code = st_db__one(&s->d, &aid, st, "reading an attachment");
    if (code == ST_ENOTFOUND)
        st_error_set("%s: message %llu has no attachment %u", s->d.path,
            (unsigned long long)mid, (unsigned)num);
    if (!code)
        *out = aid;
    return code;
}

static int attach_write(st_store *s, int64_t aid, st_id mid, const st_bag *props, int insert,
    uint32_t num)
{
    st_buf blob = { 0 };
    keep_ctx kc = { props, 1 };
    if (st_propblob__encode(&blob, props, msg_keep, &kc))
        return ST_ERROR;
    const st_value *method = st_bag_get(props, PR_ATTACH_METHOD);
    sqlite3_stmt *st = st_db__prep(&s->d, insert
        ? "INSERT INTO attachments(id, message_id, num, method, props) VALUES (?1, ?2, ?3, ?4, ?5)"
        : "UPDATE attachments SET method = ?4, props = ?5 WHERE id = ?1");
    int code = ST_ERROR;
    if (st) {
        sqlite3_bind_int64(st, 1, aid);
        if (insert) {
            sqlite3_bind_int64(st, 2, (sqlite3_int64)mid);
            sqlite3_bind_int64(st, 3, num);
        }
        if (method)
            sqlite3_bind_int(st, 4, method->v.l);
        sqlite3_bind_blob(st, 5, blob.data, (int)blob.len, SQLITE_STATIC);
        code = st_db__step_done(&s->d, st, "writing an attachment");
    }
    st_buf_free(&blob);
    if (!code)
        code = write_big(s, mid, aid, props);
    if (!code)
        code = refresh_attach_size(s, aid);
    if (!code)
        code = refresh_sizes_up(s, mid);
    return code;
}

int st_attach_create(st_store *s, uint32_t *out_num, st_id mid, const st_bag *props,
    unsigned flags)
{
    *out_num = 0;
    msg_row r;
    st_bag *empty = NULL;
    if (!props && !(props = empty = st_bag_new()))
        return ST_ERROR;
    int code = st_store__begin(s);
    if (code) {
        st_bag_free(empty);
        return code;
    }
    code = row_get(s, &r, mid);
    uint32_t num = 0;
    if (!code) {
        sqlite3_stmt *st = st_db__prep(&s->d,
            "UPDATE messages SET next_attach = next_attach + 1 WHERE id = ?"
            " RETURNING next_attach - 1");
        if (!st)
            code = ST_ERROR;
        else {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
            int rc = sqlite3_step(st);
            if (rc == SQLITE_ROW)
                num = (uint32_t)sqlite3_column_int64(st, 0);
            else
                code = st_db__err(&s->d, sqlite3_extended_errcode(s->d.db), "numbering an attachment");
            st_db__done(st);
        }
    }
    st_id aid = 0;
    if (!code)
        code = st_store__alloc_id(s, &aid);
    if (!code)
        code = attach_write(s, (int64_t)aid, mid, props, 1, num);
    if (!code)
        code = st_message__touch(s, mid, flags);
    st_bag_free(empty);
    code = st_store__end(s, code);
    if (!code)
        *out_num = num;
    return code;
}

static int attach_load(st_store *s, st_bag **out, int64_t aid)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    int code = st_db__row_int(&s->d, &st, "SELECT props, num, size FROM attachments WHERE id = ?",
        aid, "reading an attachment");
    if (code == ST_ENOTFOUND)
        return st_store__notfound(s, "attachment", (uint64_t)aid);
    if (code)
        return code;
    st_bag *bag = st_bag_new();
    code = bag ? 0 : ST_ERROR;
    if (!code && sqlite3_column_type(st, 0) != SQLITE_NULL)
        code = st_propblob__decode(bag, sqlite3_column_blob(st, 0),
            (size_t)sqlite3_column_bytes(st, 0));
    if (!code) {
        uint8_t ik[8];
        for (int i = 0; i < 8; i++)
            ik[i] = (uint8_t)((uint64_t)aid >> (8 * i));
        int r = st_bag_set_long(bag, PR_ATTACH_NUM, sqlite3_column_int(st, 1));
        r |= st_bag_set_bin(bag, PR_INSTANCE_KEY, ik, 8);
        r |= st_bag_set_bin(bag, PR_RECORD_KEY, ik, 8);
        int64_t size = sqlite3_column_int64(st, 2);
        r |= st_bag_set_long(bag, PR_ATTACH_SIZE, size > INT32_MAX ? INT32_MAX : (int32_t)size);
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

int st_attach_get(st_store *s, st_bag **out, st_id mid, uint32_t num)
{
    *out = NULL;
    int64_t aid = 0;
    int code = st_message__attach_id(s, &aid, mid, num);
    st_bag *bag = NULL;
    if (!code)
        code = attach_load(s, &bag, aid);
    if (!code)
        code = add_stream_markers(s, bag, mid, aid);
    if (code) {
        st_bag_free(bag);
        return code;
    }
    *out = bag;
    return 0;
}

int st_attach_set_props(st_store *s, st_id mid, uint32_t num, const st_bag *set,
    const uint32_t *del, size_t n_del, unsigned flags)
{
    int64_t aid = 0;
    st_bag *cur = NULL;
    int code = st_store__begin(s);
    if (code)
        return code;
    code = st_message__attach_id(s, &aid, mid, num);
    if (!code)
        code = attach_load(s, &cur, aid);
    if (!code)
        code = st_store__bag_apply(cur, set, del, n_del);
    if (!code)
        (void)st_bag_delete(cur, PR_ATTACH_SIZE);
    if (!code)
        code = drop_streams_for(s, mid, aid, set, del, n_del);
    if (!code)
        code = attach_write(s, aid, mid, cur, 0, num);
    if (!code)
        code = st_message__touch(s, mid, flags);
    st_bag_free(cur);
    return st_store__end(s, code);
}

int st_attach_delete(st_store *s, st_id mid, uint32_t num, unsigned flags)
{
    int64_t aid = 0;
    int code = st_store__begin(s);
    if (code)
        return code;
    code = st_message__attach_id(s, &aid, mid, num);
    if (!code)
        code = st_db__run_int(&s->d, "DELETE FROM attachments WHERE id = ?", aid,
            "deleting an attachment");
    if (!code)
        code = refresh_sizes_up(s, mid);
    if (!code)
        code = st_message__touch(s, mid, flags);
    return st_store__end(s, code);
}

int st_attach_list(st_store *s, uint32_t **out, size_t *n, st_id mid)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT num FROM attachments WHERE message_id = ? ORDER BY num");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    st_id *ids = NULL;
    size_t cnt = 0;
    int code = st_db__ids(&s->d, &ids, &cnt, st, "listing attachments");
    uint32_t *nums = cnt ? malloc(cnt * sizeof *nums) : NULL;
    if (!code && cnt && !nums) {
        st_error_set("out of memory");
        code = ST_ERROR;
    }
    for (size_t i = 0; !code && i < cnt; i++)
        nums[i] = (uint32_t)ids[i];
    free(ids);
    if (code) {
        free(nums);
        return code;
    }
    *out = nums;
    *n = cnt;
    return 0;
}

int st_attach_embedded(st_store *s, st_id *out, st_id mid, uint32_t num, int create)
{
    *out = 0;
    int64_t aid = 0;
    int code = st_message__attach_id(s, &aid, mid, num);
    if (code)
        return code;
    st_id id = 0;
    code = embedded_msg(s, &id, aid);
    if (code)
        return code;
    if (id) {
        *out = id;
        return 0;
    }
    if (!create) {
        st_error_set("%s: attachment %u of message %llu embeds no message", s->d.path,
            (unsigned)num, (unsigned long long)mid);
        return ST_ENOTFOUND;
    }
    st_bag *empty = st_bag_new();
    if (!empty)
        return ST_ERROR;
    code = st_store__begin(s);
    if (!code)
        code = create_in(s, &id, 0, aid, empty, 0, NULL, NULL, NULL);
    if (!code)
        code = refresh_sizes_up(s, id);
    if (!code)
        code = st_message__touch(s, mid, 0);
    st_bag_free(empty);
    code = st_store__end(s, code);
    if (!code)
        *out = id;
    return code;
}

/* ---- bulk import ---- */
#define RF_CLASS_MAX 64

struct st_import {
    st_store *s;          /* the store (this thread's handle) */
    unsigned budget_ms;   /* commit when a batch is this old */
    int open;             /* a batch transaction is open */
    int in_item;          /* between st_import_item_begin and _end */
    /* The receive folder of the last message class, valid while the batch
     * is open: we hold the write lock, so no other connection changes
     * receive_folders, and this thread sets none while importing. "None"
     * (ST_ENOTFOUND: a store without receive folders) is kept too. */
    int rf_valid;
    int rf_code;          /* 0 or ST_ENOTFOUND */
    st_id rf;
    char rf_class[RF_CLASS_MAX];
    /* Folder counts of the messages created in folder cnt_fid (the first
     * of the batch; others are counted at once), written once per batch:
     * one UPDATE of the folder row instead of one per message. The item's
     * (dropped when it rolls back) and the batch's. */
    st_id cnt_fid;
    int item_content, item_unread;
    int batch_content, batch_unread;
    int item_new;         /* the open item is st_import_item_begin_new's */
    int64_t item_changes; /* sqlite3_total_changes at its begin */
};

/* Whether a unit without a savepoint (a light message, a new item) that
 * began at total changes `before` wrote anything or had a level fail. */
static int wrote_since(const st_import *imp, int64_t before)
{
    return imp->s->d.failed || sqlite3_total_changes64(imp->s->d.db) != before;
}

/* Counts of a message created in the open item (or st_import_message). */
static int import_count(st_import *imp, const msg_row *r)
{
    if (!r->folder || r->assoc || (imp->cnt_fid && r->folder != imp->cnt_fid))
        return counts_add(imp->s, r, 1);   /* at once, inside the item's savepoint */
    imp->cnt_fid = r->folder;
    imp->item_content++;
    imp->item_unread += unread(r);
    return 0;
}

/* The item's counts join the batch's (it is stored) or go (rolled back). */
static void item_counts_end(st_import *imp, int stored)
{
    if (stored) {
        imp->batch_content += imp->item_content;
        imp->batch_unread += imp->item_unread;
    }
    imp->item_content = imp->item_unread = 0;
}

/* Writes the batch's counts: outside an item, before every commit of the
 * batch. */
static int batch_counts_flush(st_import *imp)
{
    int code = 0;
    if (imp->batch_content || imp->batch_unread)
        code = st_folder__adjust(imp->s, imp->cnt_fid, imp->batch_content, imp->batch_unread,
            0, 0);
    if (!code) {
        imp->batch_content = imp->batch_unread = 0;
        imp->cnt_fid = 0;
    }
    return code;
}

/* st_receive_folder_get, asked once per batch and message class. */
static int import_receive_folder(st_import *imp, st_id *out, const char *msg_class)
{
    if (imp->rf_valid && strcmp(imp->rf_class, msg_class) == 0) {
        *out = imp->rf;
        return imp->rf_code;
    }
    int code = st_receive_folder_get(imp->s, out, msg_class);
    size_t n = strlen(msg_class);
    imp->rf_valid = (!code || code == ST_ENOTFOUND) && n < RF_CLASS_MAX;
    if (imp->rf_valid) {
        memcpy(imp->rf_class, msg_class, n + 1);
        imp->rf = *out;
        imp->rf_code = code;
    }
    return code;
}

int st_import_begin(st_import **out, st_store *s, unsigned budget_ms)
{
    *out = NULL;
    st_import *imp = calloc(1, sizeof *imp);
    if (!imp) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    imp->s = s;
    imp->budget_ms = budget_ms ? budget_ms : 20;
    /* Server data: a batch need not survive a power cut (WAL keeps the file
     * consistent, a kill loses nothing committed, and the sync fetches again
     * what a power cut took), so no fsync per batch. Local changes keep
     * synchronous=FULL. */
    if (s->d.depth == 0 && st_db__exec(&s->d, "PRAGMA synchronous=NORMAL") != 0) {
        free(imp);
        return ST_ERROR;
    }
    s->fts_defer = 1;   /* index subject/sender later too (schema.c says why) */
    *out = imp;
    return 0;
}

static int batch_open(st_import *imp)
{
    if (imp->open)
        return 0;
    int code = st_store__begin(imp->s);
    if (!code)
        imp->open = 1;
    imp->rf_valid = 0;
    return code;
}

/* The longest an importer steps aside after a batch for other writers. */
#define YIELD_MAX_MS 10

static int batch_maybe_commit(st_import *imp)
{
    if (!imp->open || imp->in_item || st_os_time_ms() - imp->s->d.txn_start_ms < imp->budget_ms)
        return 0;
    int code = batch_counts_flush(imp);
    if (code)
        return code;   /* the batch stays open: ended or aborted by the caller */
    imp->open = 0;
    code = st_store__commit(imp->s);
    /* Another connection is waiting for the write lock: let it take it
     * before our next BEGIN IMMEDIATE (its busy handler polls every 1 ms;
     * without this the importer, never sleeping, nearly always wins the
     * race and a single save waits many batches). Bounded, in case a
     * count outlives its wait (db.c, busy_settle). */
    if (st_db__writers_waiting(&imp->s->d) > 0) {
        uint64_t t0 = st_os_time_ms();
        do
            st_os_sleep_ms(1);
        while (st_db__writers_waiting(&imp->s->d) > 0 && st_os_time_ms() - t0 < YIELD_MAX_MS);
    }
    return code;
}

/* A new message is light when, once its blobs are encoded, nothing can
 * fail after its first write but the store itself (I/O, a full disk, no
 * memory): no value goes to a stream, the recipients are encoded first.
 * It takes no savepoint (the statement journal of one costs about a fifth
 * of an import), and a failure that is not the first write's own (SQLite
 * undoes a failed statement) rolls the whole batch back, as SQLite itself
 * may do on those errors. */
static int import_light(const st_bag *props)
{
    for (size_t i = 0; i < st_bag_count(props); i++)
        if (too_big(st_bag_at(props, i)))
            return 0;
    return 1;
}

/* An item without a savepoint was written in part: the batch goes with it
 * (its items are fetched again: their ETags go too). */
static void batch_rollback(st_import *imp)
{
    st_error_set("%s; the import batch was rolled back", st_error_last());
    st_store__rollback(imp->s);
    imp->open = 0;
    imp->cnt_fid = 0;
    imp->batch_content = imp->batch_unread = 0;
}

static int import_light_create(st_import *imp, st_id *out, st_id fid, const st_bag *props,
    st_bag *const *recips, size_t n_recips, const char *href, const char *etag)
{
    st_store *s = imp->s;
    rcp_enc e;
    int code = rcp_encode(&e, recips, n_recips);
    if (code)
        return code;
    int64_t before = sqlite3_total_changes64(s->d.db);
    st_id id = 0;
    code = create_in(s, &id, fid, 0, props, ST_FROM_SERVER, href, etag, imp);
    if (!code && n_recips)
        code = rcp_insert(s, id, &e, 1, hot_str(props, PR_DISPLAY_TO_W));
    rcp_enc_free(&e);
    if (code && wrote_since(imp, before))
        batch_rollback(imp);
    item_counts_end(imp, !code);
    if (code)
        return code;
    if (out)
        *out = id;
    return batch_maybe_commit(imp);
}

int st_import_message(st_import *imp, st_id *out, st_id fid, const st_bag *props,
    st_bag *const *recips, size_t n_recips, const char *href, const char *etag)
{
    if (out)
        *out = 0;
    st_store *s = imp->s;
    int code = batch_open(imp);
    if (code)
        return code;
    st_id id = 0;
    if (href) {
        code = st_message_find_by_href(s, &id, href);
        if (code == ST_ENOTFOUND)
            code = 0;
        if (code)
            return code;
    }
    if (!imp->in_item && !id && import_light(props))
        return import_light_create(imp, out, fid, props, recips, n_recips, href, etag);
    /* A savepoint: a bad item does not spoil the batch (inside an item,
     * the item's). */
    code = imp->in_item ? 0 : st_store__begin(s);
    if (code)
        return code;
    if (id) {
        code = modify(s, id, props, NULL, 0, ST_FROM_SERVER, 1);
        if (!code)
            code = st_message_server_set(s, id, NULL, etag);
        if (!code)
            code = recipients_write(s, id, recips, n_recips, 0, NULL);
    } else if (!code) {
        code = create_in(s, &id, fid, 0, props, ST_FROM_SERVER, href, etag, imp);
        if (!code && n_recips)
            code = recipients_write(s, id, recips, n_recips, 1, hot_str(props, PR_DISPLAY_TO_W));
    }
    if (!imp->in_item) {
        code = st_store__end(s, code);
        item_counts_end(imp, !code);
    }
    if (!code && out)
        *out = id;
    if (!code)
        code = batch_maybe_commit(imp);
    return code;
}

int st_import_item_begin(st_import *imp)
{
    if (imp->in_item) {
        st_error_set("%s: an import item is already open", imp->s->d.path);
        return ST_ERROR;
    }
    int code = batch_open(imp);
    if (!code)
        code = st_store__begin(imp->s);
    if (!code)
        imp->in_item = 1;
    return code;
}

int st_import_item_begin_new(st_import *imp)
{
    if (imp->in_item) {
        st_error_set("%s: an import item is already open", imp->s->d.path);
        return ST_ERROR;
    }
    int code = batch_open(imp);
    if (!code) {
        imp->in_item = imp->item_new = 1;
        imp->item_changes = sqlite3_total_changes64(imp->s->d.db);
        imp->s->d.flat = imp->s->d.depth;   /* the calls inside take none either */
    }
    return code;
}

int st_import_item_end(st_import *imp, int code)
{
    if (!imp->in_item) {
        st_error_set("%s: no import item is open", imp->s->d.path);
        return code ? code : ST_ERROR;
    }
    imp->in_item = 0;
    if (imp->item_new) {
        imp->item_new = 0;
        imp->s->d.flat = 0;
        if (code && wrote_since(imp, imp->item_changes))
            batch_rollback(imp);
    } else {
        code = st_store__end(imp->s, code);
    }
    item_counts_end(imp, !code);
    if (!code)
        code = batch_maybe_commit(imp);
    return code;
}

int st_import_delete(st_import *imp, st_id mid)
{
    int code = batch_open(imp);
    if (!code)
        code = st_message_delete(imp->s, mid, ST_FROM_SERVER);
    if (!code)
        code = batch_maybe_commit(imp);
    return code;
}

static void import_free(st_import *imp)
{
    imp->s->fts_defer = 0;
    if (imp->s->d.depth == 0)
        (void)st_db__exec(&imp->s->d, "PRAGMA synchronous=FULL");
    free(imp);
}

int st_import_end(st_import *imp)
{
    int code = 0;
    if (imp->in_item && imp->item_new) {   /* a caller's bug: the item is not whole */
        imp->in_item = imp->item_new = 0;
        imp->s->d.flat = 0;
        st_error_set("%s: an import item was left open", imp->s->d.path);
        batch_rollback(imp);
        item_counts_end(imp, 0);
        code = ST_ERROR;
    } else if (imp->in_item) {
        imp->in_item = 0;
        st_store__rollback(imp->s);
        item_counts_end(imp, 0);
    }
    if (imp->open)
        code = batch_counts_flush(imp);
    if (imp->open && code)
        st_store__rollback(imp->s);
    else if (imp->open)
        code = st_store__commit(imp->s);
    import_free(imp);
    return code;
}

void st_import_abort(st_import *imp)
{
    if (!imp)
        return;
    imp->s->d.flat = 0;
    if (imp->in_item && !imp->item_new)
        st_store__rollback(imp->s);
    if (imp->open)
        st_store__rollback(imp->s);
    import_free(imp);
}
