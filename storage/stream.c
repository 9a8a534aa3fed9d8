/*
 * stream.c: large property values (bodies, attachment data) as streams of
 * 64 KB chunks in stream_chunks, so a 200 MB attachment is never in memory
 * at once: a writer holds at most ST_STREAM_CHUNK * FLUSH_CHUNKS bytes, a
 * reader one chunk.
 *
 * Why a chunk table and not incremental blob I/O (sqlite3_blob_*): blob
 * I/O can only overwrite a blob whose size was fixed beforehand with
 * zeroblob(), but IStream writes arrive with no size known; any write to the
 * row (another column, another connection) invalidates an open blob handle;
 * and one 200 MB value would have to be written in one transaction, holding
 * the write lock for seconds. With chunks, each group is its own short
 * transaction, a reader fetches only the chunk it needs, and seeking is an
 * index lookup (stream_id, seq).
 *
 * Atomicity: a writer fills a new stream row in state 0 (invisible to
 * readers and to st_message_get), one short transaction per flushed group,
 * refreshing its `created` time as a heartbeat; st_stream_commit then, in
 * one transaction, drops the old value (inline or stream), sets the new
 * stream live, updates sizes and writes the journal entry. A crash or an
 * abort leaves a state-0 row: st_store_open and st_store_compact drop those
 * whose heartbeat is older than ORPHAN_MS. A reader whose stream is replaced
 * while it reads gets an error at its next chunk, never mixed content.
 *
 * Drafts (st_stream_open_draft): the stream of a message or attachment
 * that is not in storage yet (a new message's attachment), written once,
 * straight in, like any other. Its owner is a holder: a messages row of
 * its own with a negative id (-id of an id st_store__alloc_id handed out,
 * so never another object's and never reused), in no folder and not
 * embedded: no table, count, search folder, FTS index or journal looks at
 * such a row (they all go by folder_id or embedded_in, or are written by
 * message.c, never by this file). st_stream_adopt, inside the caller's
 * SaveChanges transaction, moves the stream to its real owner with one
 * UPDATE of its owner columns (no byte copied) and deletes the holder.
 * Closing a draft not adopted deletes the holder (the stream and its
 * chunks cascade); a crash leaves the holder and its state-0 stream: the
 * orphan rule drops the stream, then the holder with no stream left.
 * Why a holder row and not a schema v5 (a streams row owned by no
 * message): streams.message_id is NOT NULL REFERENCES messages(id), and
 * SQLite cannot relax that without rebuilding the table, which with
 * foreign keys on (they cannot be turned off inside the migration's
 * transaction) would cascade-delete every chunk. Why not the message's
 * own row made early: every reader of messages (tables, counts, search,
 * sync) would have to learn to skip an unsaved row; the holder needs no
 * one to learn anything.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/os.h"
#include "storage/props_tags.h"
#include "storage/storage_int.h"

#define FLUSH_CHUNKS 16                       /* 1 MB per write transaction */
/* An abandoned writer after a day without a flush: the provider's writer
 * of an attachment waits for its message's SaveChanges, which may come
 * long after the last write (a draft left open); a crash's leftover just
 * waits that long for the next open or compaction. */
#define ORPHAN_MS (24u * 60u * 60u * 1000u)

struct st_stream {
    st_store *s;          /* owner handle */
    int writer;           /* 1 writer, 0 reader */
    st_id mid;            /* message */
    int64_t attach_id;    /* attachment row or 0 */
    uint32_t tag;         /* property */
    int64_t sid;          /* stream row (0: reader of an inline value) */
    uint64_t size;        /* writer: bytes so far; reader: total */
    uint64_t pos;         /* reader: position */
    uint8_t *buf;         /* writer: pending bytes; reader: current chunk or inline value */
    size_t len;           /* bytes in buf */
    int64_t buf_seq;      /* reader: chunk in buf (-1 none) */
    int64_t next_seq;     /* writer: next chunk number */
    int failed;           /* writer: a flush failed */
    int64_t holder;       /* a draft's holder row (negative), or 0 */
};

/* A new stream row; *sid its id. */
static int insert_row(st_store *s, int64_t *sid, st_id mid, int64_t attach_id, uint32_t tag,
    uint64_t size, int state, const char *what)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "INSERT INTO streams(message_id, attach_id, tag, size, state, created)"
        " VALUES (?, ?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    if (attach_id)
        sqlite3_bind_int64(st, 2, attach_id);
    sqlite3_bind_int64(st, 3, tag);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)size);
    sqlite3_bind_int(st, 5, state);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)st_os_time_ms());
    int code = st_db__step_done(&s->d, st, what);
    if (!code)
        *sid = sqlite3_last_insert_rowid(s->d.db);
    return code;
}

/* len bytes at data as chunks seq, seq + 1, ... of stream sid. */
static int put_chunks(st_store *s, int64_t sid, int64_t seq, const uint8_t *data, size_t len)
{
    for (size_t off = 0; off < len; off += ST_STREAM_CHUNK, seq++) {
        size_t n = len - off < ST_STREAM_CHUNK ? len - off : ST_STREAM_CHUNK;
        sqlite3_stmt *st = st_db__prep(&s->d,
            "INSERT INTO stream_chunks(stream_id, seq, data) VALUES (?, ?, ?)");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int64(st, 1, sid);
        sqlite3_bind_int64(st, 2, seq);
        sqlite3_bind_blob(st, 3, data + off, (int)n, SQLITE_STATIC);
        int code = st_db__step_done(&s->d, st, "writing a stream");
        if (code)
            return code;
    }
    return 0;
}

int st_stream__put(st_store *s, st_id mid, int64_t attach_id, uint32_t tag, const void *data,
    size_t len)
{
    int64_t sid = 0;
    int code = insert_row(s, &sid, mid, attach_id, tag, len, 1, "writing a stream");
    return code ? code : put_chunks(s, sid, 0, data, len);
}

static int resolve_attach(st_store *s, int64_t *aid, st_id mid, uint32_t num)
{
    *aid = 0;
    if (num != ST_NO_ATTACH)
        return st_message__attach_id(s, aid, mid, num);
    int code = st_db__one_int(&s->d, NULL, "SELECT 1 FROM messages WHERE id = ?",
        (int64_t)mid, "reading a message");
    return code == ST_ENOTFOUND ? st_store__notfound(s, "message", mid) : code;
}

/* A writer of tag with its buffer, owned by nothing yet; NULL when out of
 * memory or tag cannot be a stream (the error set). */
static st_stream *writer_new(st_store *s, uint32_t tag)
{
    uint32_t t = PROP_TYPE(tag);
    if (t != PT_BINARY && t != PT_UNICODE && t != PT_STRING8) {
        st_error_set("streams hold binary or string properties only (0x%08X)", (unsigned)tag);
        return NULL;
    }
    st_stream *w = calloc(1, sizeof *w);
    uint8_t *buf = malloc((size_t)ST_STREAM_CHUNK * FLUSH_CHUNKS);
    if (!w || !buf) {
        free(w);
        free(buf);
        st_error_set("out of memory");
        return NULL;
    }
    w->s = s;
    w->writer = 1;
    w->tag = tag;
    w->buf = buf;
    return w;
}

int st_stream_open_write(st_stream **out, st_store *s, st_id mid, uint32_t attach_num,
    uint32_t tag)
{
    *out = NULL;
    st_stream *w = writer_new(s, tag);
    if (!w)
        return ST_ERROR;
    w->mid = mid;
    int code = resolve_attach(s, &w->attach_id, mid, attach_num);
    if (!code)
        code = insert_row(s, &w->sid, mid, w->attach_id, tag, 0, 0, "starting a stream");
    if (code) {
        free(w->buf);
        free(w);
        return code;
    }
    *out = w;
    return 0;
}

int st_stream_open_draft(st_stream **out, st_store *s, uint32_t tag)
{
    *out = NULL;
    st_stream *w = writer_new(s, tag);
    if (!w)
        return ST_ERROR;
    st_id id = 0;
    int code = st_store__begin(s);
    if (!code) {
        code = st_store__alloc_id(s, &id);
        w->holder = -(int64_t)id;
        sqlite3_stmt *st = code ? NULL : st_db__prep(&s->d,
            "INSERT INTO messages(id, change_num) VALUES (?, 0)");
        if (!code && !st)
            code = ST_ERROR;
        if (st) {
            sqlite3_bind_int64(st, 1, w->holder);
            code = st_db__step_done(&s->d, st, "starting a draft stream");
        }
        if (!code)
            code = insert_row(s, &w->sid, (st_id)w->holder, 0, tag, 0, 0,
                "starting a draft stream");
        code = st_store__end(s, code);
    }
    if (code) {
        free(w->buf);
        free(w);
        return code;
    }
    *out = w;
    return 0;
}
/* A big stream passes through the connection's page cache (db.c: 16 MB)
 * and would fill it with pages used once (the 50 MB test saw its peak
 * memory grow by 16 MB): they are let go after each group of FLUSH_CHUNKS
 * chunks written or read, so a stream costs its own buffers only. */
static void let_go_pages(st_store *s)
{
    sqlite3_db_release_memory(s->d.db);
}

/* Writes the buffered bytes as chunks, in one short transaction. */
static int flush(st_stream *w, int in_txn)
{
    st_store *s = w->s;
    if (!w->len)
        return 0;
    int code = in_txn ? 0 : st_db__begin(&s->d);
    if (code)
        return code;
    code = put_chunks(s, w->sid, w->next_seq, w->buf, w->len);
    if (!code) {
        w->next_seq += (int64_t)((w->len + ST_STREAM_CHUNK - 1) / ST_STREAM_CHUNK);
        sqlite3_stmt *st = st_db__prep(&s->d,
            "UPDATE streams SET size = size + ?, created = ? WHERE id = ? AND state = 0");
        if (!st)
            code = ST_ERROR;
        else {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)w->len);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)st_os_time_ms());
            sqlite3_bind_int64(st, 3, w->sid);
            code = st_db__step_done(&s->d, st, "writing a stream");
            if (!code && sqlite3_changes(s->d.db) != 1) {
                st_error_set("%s: the stream was dropped while being written", s->d.path);
                code = ST_ERROR;
            }
        }
    }
    if (!in_txn) {
        if (code)
            st_db__rollback(&s->d);
        else
            code = st_db__commit(&s->d);
        if (!code)
            let_go_pages(s);
    }
    if (code) {
        w->failed = 1;   /* the group's chunks went with the rollback */
        return code;
    }
    w->len = 0;
    return 0;
}

int st_stream_write(st_stream *w, const void *buf, size_t len)
{
    if (!w->writer || w->failed) {
        st_error_set("stream not writable");
        return ST_ERROR;
    }
    const uint8_t *p = buf;
    size_t cap = (size_t)ST_STREAM_CHUNK * FLUSH_CHUNKS;
    while (len) {
        size_t n = cap - w->len < len ? cap - w->len : len;
        memcpy(w->buf + w->len, p, n);
        w->len += n;
        w->size += n;
        p += n;
        len -= n;
        if (w->len == cap) {
            int code = flush(w, 0);
            if (code)
                return code;
        }
    }
    return 0;
}

int st_stream_flush(st_stream *w)
{
    if (!w->writer || w->failed) {
        st_error_set("stream not writable");
        return ST_ERROR;
    }
    /* whole chunks only: a short one may only be the last */
    size_t whole = w->len - w->len % ST_STREAM_CHUNK, rest = w->len - whole;
    if (!whole)
        return 0;
    w->len = whole;
    int code = flush(w, 0);
    if (code)
        return code;
    memmove(w->buf, w->buf + whole, rest);
    w->len = rest;
    return 0;
}

int st_stream_read_pending(st_stream *w, uint64_t pos, void *buf, size_t len, size_t *got)
{
    *got = 0;
    if (!w->writer || w->failed) {
        st_error_set("not a stream being written");
        return ST_ERROR;
    }
    uint64_t flushed = w->size - w->len;   /* whole chunks in the file */
    uint8_t *p = buf;
    int code = 0;
    if (pos < flushed && len) {
        st_stream r = { .s = w->s, .mid = w->mid, .attach_id = w->attach_id, .tag = w->tag,
            .sid = w->sid, .size = flushed, .pos = pos, .buf_seq = -1 };
        size_t n = 0;
        code = st_stream_read(&r, p, len, &n);
        free(r.buf);
        p += n;
        len -= n;
        pos += n;
        *got += n;
    }
    if (!code && len && pos >= flushed && pos < w->size) {
        size_t n = w->size - pos < len ? (size_t)(w->size - pos) : len;
        memcpy(p, w->buf + (pos - flushed), n);
        *got += n;
    }
    return code;
}

/* Sets the state of stream row sid. */
static int set_state(st_store *s, int64_t sid, int state)
{
    sqlite3_stmt *st = st_db__prep(&s->d, "UPDATE streams SET state = ?2 WHERE id = ?1");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, sid);
    sqlite3_bind_int(st, 2, state);
    return st_db__step_done(&s->d, st, "committing a stream");
}

/* Makes w's bytes, its buffer's too, the live property w->tag of (mid,
 * aid) inside the caller's transaction: the stream row moves to that owner
 * (a draft's holder goes), the old value is dropped, sizes and journal
 * follow. w itself is not changed, so when the transaction rolls back w
 * is exactly as it was (its buffer still holds what the rollback undid). */
static int swap_in(st_stream *w, st_id mid, int64_t aid, unsigned flags)
{
    st_store *s = w->s;
    int code = put_chunks(s, w->sid, w->next_seq, w->buf, w->len);
    if (!code) {
        sqlite3_stmt *st = st_db__prep(&s->d,
            "UPDATE streams SET size = size + ?2, message_id = ?3, attach_id = ?4"
            " WHERE id = ?1 AND state = 0");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int64(st, 1, w->sid);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)w->len);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)mid);
        if (aid)
            sqlite3_bind_int64(st, 4, aid);
        code = st_db__step_done(&s->d, st, "committing a stream");
        if (!code && sqlite3_changes(s->d.db) != 1) {
            st_error_set("%s: the stream was dropped while being written (an unsaved one "
                "is dropped a day after its last write)", s->d.path);
            code = ST_ERROR;
        }
    }
    if (!code && w->holder)   /* its stream has moved out: nothing cascades */
        code = st_db__run_int(&s->d, "DELETE FROM messages WHERE id = ? AND id < 0",
            w->holder, "committing a draft stream");
    /* The old value: a live stream or an inline property of the same id. */
    if (!code)
        code = st_stream__drop_live(s, mid, aid, w->tag, "replacing a stream");
    if (!code)
        code = set_state(s, w->sid, 1);
    if (!code) {
        /* Remove an inline copy, update sizes, journal: through the
         * ordinary property path, deleting the tag (the stream stays). */
        uint32_t del = w->tag;
        int64_t num = 0;
        if (aid) {
            code = st_db__one_int(&s->d, &num, "SELECT num FROM attachments WHERE id = ?",
                aid, "committing a stream");
            if (code == ST_ENOTFOUND)
                code = 0;   /* st_attach_set_props says so */
        }
        /* Mark the stream as not ours to drop: state 1 rows of this id
         * would be dropped by the set_props' del, so take it out of state 1
         * during the call. */
        if (!code)
            code = set_state(s, w->sid, 2);
        if (!code)
            code = aid ? st_attach_set_props(s, mid, (uint32_t)num, NULL, &del, 1, flags)
                       : st_message_set_props(s, mid, NULL, &del, 1, flags);
        if (!code)
            code = set_state(s, w->sid, 1);
    }
    if (!code)   /* sizes again, now that the stream is live */
        code = st_message__refresh_sizes(s, mid, aid);
    return code;
}

/* st_stream_commit as the property of (mid, aid): swap_in in a transaction
 * of its own, then w freed. */
static int commit_as(st_stream *w, st_id mid, int64_t aid, unsigned flags)
{
    st_store *s = w->s;
    int code = w->failed ? ST_ERROR : 0;
    if (code)
        st_error_set("%s: the stream failed earlier; nothing was changed", s->d.path);
    if (!code)
        code = st_store__begin(s);
    if (!code)
        code = st_store__end(s, swap_in(w, mid, aid, flags));
    if (!code) {
        w->sid = 0;   /* live now: close must not drop it */
        w->holder = 0;
    }
    if (!code && w->next_seq > FLUSH_CHUNKS)
        let_go_pages(s);
    st_stream_close(w);
    return code;
}

int st_stream_commit(st_stream *w, unsigned flags)
{
    if (w->holder) {
        st_error_set("%s: a draft stream has no owner yet: st_stream_adopt gives it one",
            w->s->d.path);
        st_stream_close(w);
        return ST_ERROR;
    }
    return commit_as(w, w->mid, w->attach_id, flags);
}

int st_stream_commit_to(st_stream *w, uint32_t attach_num, unsigned flags)
{
    int64_t aid = w->attach_id;
    if (attach_num != ST_NO_ATTACH && !w->attach_id && w->writer && !w->holder) {
        int code = resolve_attach(w->s, &aid, w->mid, attach_num);
        if (code) {
            st_stream_close(w);
            return code;
        }
    }
    return w->holder ? st_stream_commit(w, flags) : commit_as(w, w->mid, aid, flags);
}

int st_stream_adopt(st_stream *w, st_id mid, uint32_t attach_num, unsigned flags)
{
    st_store *s = w->s;
    if (!w->writer || w->failed || !w->sid) {
        st_error_set("%s: not a stream being written", s->d.path);
        return ST_ERROR;
    }
    if (s->d.depth == 0) {
        st_error_set("%s: st_stream_adopt outside a transaction", s->d.path);
        return ST_ERROR;
    }
    int64_t aid = 0;
    int code = resolve_attach(s, &aid, mid, attach_num);
    if (!code && !w->holder && (mid != w->mid || (w->attach_id && aid != w->attach_id))) {
        st_error_set("%s: a stream of message %llu cannot become message %llu's", s->d.path,
            (unsigned long long)w->mid, (unsigned long long)mid);
        code = ST_ERROR;
    }
    if (code)
        return code;
    code = st_store__begin(s);   /* a savepoint: a failure undoes only this */
    return code ? code : st_store__end(s, swap_in(w, mid, aid, flags));
}

int st_stream_open_read(st_stream **out, st_store *s, st_id mid, uint32_t attach_num,
    uint32_t tag)
{
    *out = NULL;
    int64_t aid = 0;
    int code = resolve_attach(s, &aid, mid, attach_num);
    if (code)
        return code;
    st_stream *r = calloc(1, sizeof *r);
    if (!r) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    r->s = s;
    r->mid = mid;
    r->attach_id = aid;
    r->tag = tag;
    r->buf_seq = -1;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT id, size, tag FROM streams WHERE message_id = ? AND ifnull(attach_id, 0) = ?"
        " AND (tag >> 16) = ? AND state = 1");
    if (!st) {
        free(r);
        return ST_ERROR;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    sqlite3_bind_int64(st, 2, aid);
    sqlite3_bind_int64(st, 3, PROP_ID(tag));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        r->sid = sqlite3_column_int64(st, 0);
        r->size = (uint64_t)sqlite3_column_int64(st, 1);
        r->tag = (uint32_t)sqlite3_column_int64(st, 2);   /* with its real type */
    }
    st_db__done(st);
    if (rc == SQLITE_ROW) {
        *out = r;
        return 0;
    }
    /* Not a stream: an inline value is read the same way. */
    st_bag *bag = NULL;
    code = attach_num == ST_NO_ATTACH ? st_message_get(s, &bag, mid)
                                      : st_attach_get(s, &bag, mid, attach_num);
    const st_value *v = code ? NULL : st_bag_get(bag, tag);
    if (v)
        r->tag = v->tag;
    if (!code && !v) {
        st_error_set("%s: message %llu has no property 0x%08X", s->d.path,
            (unsigned long long)mid, (unsigned)tag);
        code = ST_ENOTFOUND;
    }
    if (!code) {
        const void *data = PROP_TYPE(v->tag) == PT_BINARY ? (const void *)v->v.bin.data
                                                          : (const void *)v->v.str;
        size_t len = PROP_TYPE(v->tag) == PT_BINARY ? v->v.bin.len : strlen(v->v.str);
        r->buf = malloc(len ? len : 1);
        if (!r->buf) {
            st_error_set("out of memory");
            code = ST_ERROR;
        } else {
            if (len)
                memcpy(r->buf, data, len);
            r->len = len;
            r->size = len;
        }
    }
    st_bag_free(bag);
    if (code) {
        free(r->buf);
        free(r);
        return code;
    }
    *out = r;
    return 0;
}

static int load_chunk(st_stream *r, int64_t seq)
{
    st_store *s = r->s;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT data FROM stream_chunks WHERE stream_id = ? AND seq = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, r->sid);
    sqlite3_bind_int64(st, 2, seq);
    int rc = sqlite3_step(st);
    int code = 0, let_go = 0;
    if (rc == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (n > ST_STREAM_CHUNK) {
            st_error_set("%s: damaged stream chunk", s->d.path);
            code = ST_ECORRUPT;
        } else {
            if (!r->buf && !(r->buf = malloc(ST_STREAM_CHUNK))) {
                st_error_set("out of memory");
                code = ST_ERROR;
            } else {
                if (n)
                    memcpy(r->buf, sqlite3_column_blob(st, 0), n);
                r->len = n;
                r->buf_seq = seq;
                let_go = seq % FLUSH_CHUNKS == FLUSH_CHUNKS - 1;
            }
        }
    } else if (rc == SQLITE_DONE) {
        st_error_set("%s: the stream changed or was deleted while being read", s->d.path);
        code = ST_ENOTFOUND;
    } else {
        code = st_db__err(&s->d, rc, "reading a stream");
    }
    st_db__done(st);
    if (let_go)   /* a group read: its pages go */
        let_go_pages(s);
    return code;
}

int st_stream_read(st_stream *r, void *buf, size_t len, size_t *got)
{
    *got = 0;
    if (r->writer) {
        st_error_set("stream not readable");
        return ST_ERROR;
    }
    uint8_t *p = buf;
    while (len && r->pos < r->size) {
        size_t off;
        if (!r->sid) {
            off = (size_t)r->pos;
        } else {
            int64_t seq = (int64_t)(r->pos / ST_STREAM_CHUNK);
            if (seq != r->buf_seq) {
                int code = load_chunk(r, seq);
                if (code)
                    return code;
            }
            off = (size_t)(r->pos % ST_STREAM_CHUNK);
        }
        if (off >= r->len) {
            st_error_set("%s: damaged stream (short chunk)", r->s->d.path);
            return ST_ECORRUPT;
        }
        size_t n = r->len - off < len ? r->len - off : len;
        memcpy(p, r->buf + off, n);
        p += n;
        len -= n;
        r->pos += n;
        *got += n;
    }
    return 0;
}

int st_stream_seek(st_stream *r, uint64_t pos)
{
    if (r->writer) {
        st_error_set("a stream being written cannot seek");
        return ST_ERROR;
    }
    r->pos = pos > r->size ? r->size : pos;
    return 0;
}

uint32_t st_stream_tag(const st_stream *st)
{
    return st->tag;
}

uint64_t st_stream_size(const st_stream *r)
{
    return r->size;
}

void st_stream_close(st_stream *w)
{
    if (!w)
        return;
    if (w->writer && w->holder) {
        /* A draft: its holder goes, and with it the stream and its chunks
         * unless adopted (then the holder is gone already). */
        (void)st_db__run_int(&w->s->d, "DELETE FROM messages WHERE id = ? AND id < 0",
            w->holder, "dropping an unsaved stream");
    } else if (w->writer && w->sid) {
        /* Abort: drop the unfinished stream (its chunks cascade). */
        (void)st_db__run_int(&w->s->d, "DELETE FROM streams WHERE id = ? AND state = 0", w->sid,
            "dropping an unfinished stream");
    }
    free(w->buf);
    free(w);
}

int st_stream__drop_live(st_store *s, st_id mid, int64_t attach_id, uint32_t tag,
    const char *what)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "DELETE FROM streams WHERE message_id = ?1 AND ifnull(attach_id, 0) = ?2"
        " AND (tag >> 16) = ?3 AND state = 1");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    sqlite3_bind_int64(st, 2, attach_id);
    sqlite3_bind_int64(st, 3, PROP_ID(tag));
    return st_db__step_done(&s->d, st, what);
}

int st_stream__drop_orphans(st_store *s)
{
    int64_t now = (int64_t)st_os_time_ms();
    int code = st_db__run_int(&s->d, "DELETE FROM streams WHERE state = 0 AND created < ?",
        now - (int64_t)ORPHAN_MS, "dropping unfinished streams");
    /* Draft holders whose stream went (a crash's leftovers): a live draft
     * always has its stream, made in the holder's transaction. */
    if (!code)
        code = st_db__run_int(&s->d, "DELETE FROM messages WHERE id < ? AND folder_id IS NULL"
            " AND embedded_in IS NULL AND NOT EXISTS (SELECT 1 FROM streams t"
            " WHERE t.message_id = messages.id)", 0, "dropping unsaved streams");
    return code;
}

int st_stream__copy(st_store *s, st_id mid, int64_t attach_id, st_id new_mid,
    int64_t new_attach_id)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT id, tag, size FROM streams WHERE message_id = ? AND ifnull(attach_id, 0) = ?"
        " AND state = 1");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    sqlite3_bind_int64(st, 2, attach_id);
    int64_t rows[64][3];
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 64) {
        rows[n][0] = sqlite3_column_int64(st, 0);
        rows[n][1] = sqlite3_column_int64(st, 1);
        rows[n][2] = sqlite3_column_int64(st, 2);
        n++;
    }
    st_db__done(st);
    int code = 0;
    for (int i = 0; !code && i < n; i++) {
        int64_t sid = 0;
        code = insert_row(s, &sid, new_mid, new_attach_id, (uint32_t)rows[i][1],
            (uint64_t)rows[i][2], 1, "copying a stream");
        if (code)
            break;
        st = st_db__prep(&s->d, "INSERT INTO stream_chunks(stream_id, seq, data)"
            " SELECT ?, seq, data FROM stream_chunks WHERE stream_id = ? ORDER BY seq");
        if (!st)
            return ST_ERROR;
        sqlite3_bind_int64(st, 1, sid);
        sqlite3_bind_int64(st, 2, rows[i][0]);
        code = st_db__step_done(&s->d, st, "copying a stream");
    }
    return code;
}
