/*
 * maint.c: integrity check, compaction and statistics of a store.
 *
 * st_store_check runs SQLite's own checks (integrity_check,
 * foreign_key_check, FTS5 integrity-check) and then ours: folder counts and per-sender
 * counts equal the rows, pending
 * journal entries name existing objects, live streams have all their
 * chunks, embedded messages hang off an existing attachment, draft holders
 * (stream.c) hold nothing but unsaved streams, and every property blob
 * decodes. It only reads. st_store_compact frees pages with
 * incremental_vacuum (auto_vacuum=INCREMENTAL is set when a file is made)
 * in one short write transaction per call, so call it with a page budget.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/storage_int.h"

typedef struct report {
    st_buf b;             /* text so far */
    int problems;         /* findings */
} report;

static void add(report *r, const char *fmt, ...) ST_PRINTF(2, 3);
static void add(report *r, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    r->problems++;
    if (r->problems <= 100) {
        (void)st_buf_append(&r->b, line, strlen(line));
        (void)st_buf_append(&r->b, "\n", 1);
    }
}

/* Runs sql; each row's columns are formatted into fmt (up to 3 int64 or
 * text columns, printed as text). */
static int findings(st_store *s, report *r, const char *sql, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->d.db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return st_db__err(&s->d, rc, "checking");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = sqlite3_column_count(st) > 1 ? (const char *)sqlite3_column_text(st, 1) : "";
        const char *c = sqlite3_column_count(st) > 2 ? (const char *)sqlite3_column_text(st, 2) : "";
        add(r, "%s: %s %s %s", what, a ? a : "NULL", b ? b : "NULL", c ? c : "NULL");
    }
    int code = rc == SQLITE_DONE ? 0 : st_db__err(&s->d, sqlite3_extended_errcode(s->d.db), "checking");
    sqlite3_finalize(st);
    return code;
}

static int check_blobs(st_store *s, report *r, const char *sql, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->d.db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return st_db__err(&s->d, rc, "checking");
    st_bag *bag = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 1) == SQLITE_NULL)
            continue;
        st_bag_free(bag);
        bag = st_bag_new();
        if (!bag)
            break;
        if (st_propblob__decode(bag, sqlite3_column_blob(st, 1),
                (size_t)sqlite3_column_bytes(st, 1)) != 0)
            add(r, "%s %lld: %s", what, (long long)sqlite3_column_int64(st, 0), st_error_last());
    }
    st_bag_free(bag);
    int code = rc == SQLITE_DONE ? 0 : st_db__err(&s->d, sqlite3_extended_errcode(s->d.db), "checking");
    sqlite3_finalize(st);
    return code;
}

int st_store_check(st_store *s, char **out)
{
    if (out)
        *out = NULL;
    report r = { { 0 }, 0 };
    /* One read transaction: every query sees the same snapshot. */
    int code = st_db__exec(&s->d, "BEGIN");
    if (code)
        return code;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->d.db, "PRAGMA integrity_check(100)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            if (t && strcmp(t, "ok") != 0)
                add(&r, "sqlite: %s", t);
        }
        sqlite3_finalize(st);
    }
    if (rc != SQLITE_DONE)
        code = st_db__err(&s->d, sqlite3_extended_errcode(s->d.db), "integrity_check");
    if (!code)
        code = findings(s, &r, "PRAGMA foreign_key_check", "foreign key");
    if (!code)
        code = findings(s, &r,
            "SELECT f.id, f.content_count || '/' || f.unread_count || '/' || f.assoc_count"
            " || '/' || f.child_count, "
            " (SELECT count(*) FROM messages m WHERE m.folder_id = f.id AND m.assoc = 0) || '/' ||"
            " (SELECT count(*) FROM messages m WHERE m.folder_id = f.id AND m.assoc = 0"
            "   AND (m.flags & 1) = 0) || '/' ||"
            " (SELECT count(*) FROM messages m WHERE m.folder_id = f.id AND m.assoc = 1) || '/' ||"
            " (SELECT count(*) FROM folders c WHERE c.parent_id = f.id) AS real"
            " FROM folders f WHERE f.content_count || '/' || f.unread_count || '/' ||"
            " f.assoc_count || '/' || f.child_count <> real",
            "folder counts (folder, stored, actual)");
    if (!code)   /* per-sender counts (schema.c, v4): each row exact, none missing */
        code = findings(s, &r,
            "SELECT c.folder_id, c.has || ':' || c.sender_name || ' ' || c.n || '/' || c.unread,"
            " (SELECT count(*) || '/' || ifnull(sum((m.flags & 1) = 0), 0) FROM messages m"
            "  WHERE m.folder_id = c.folder_id AND m.assoc = c.assoc AND CASE WHEN c.has"
            "  THEN m.sender_name = c.sender_name ELSE m.sender_name IS NULL END) AS real"
            " FROM sender_counts c WHERE c.n || '/' || c.unread <> real"
            " UNION ALL SELECT m.folder_id, ifnull(m.sender_name, 'NULL'), 'not counted'"
            " FROM messages m WHERE m.folder_id IS NOT NULL AND NOT EXISTS (SELECT 1"
            "  FROM sender_counts c WHERE c.folder_id = m.folder_id AND c.assoc = m.assoc"
            "  AND c.has = (m.sender_name IS NOT NULL) AND c.sender_name = ifnull(m.sender_name,"
            "  '')) GROUP BY m.folder_id, m.assoc, m.sender_name",
            "sender counts (folder, stored, actual)");
    if (!code)
        code = findings(s, &r,
            "SELECT j.seq, j.op, j.obj_id FROM journal j WHERE j.state = 0 AND j.op NOT IN (5, 7) AND"
            " CASE j.kind WHEN 0 THEN NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = j.obj_id"
            "   AND m.folder_id IS NOT NULL)"
            " ELSE NOT EXISTS (SELECT 1 FROM folders f WHERE f.id = j.obj_id) END",
            "journal entry of a missing object (seq, op, object)");
    if (!code)
        code = findings(s, &r,
            "SELECT j.seq, j.kind, j.obj_id FROM journal j WHERE j.op NOT BETWEEN 1 AND 7"
            " OR j.state NOT BETWEEN 0 AND 2 OR j.kind NOT IN (0, 1)",
            "journal entry malformed (seq, kind, object)");
    if (!code)
        code = findings(s, &r,
            "SELECT s.id, s.size, (SELECT ifnull(sum(length(data)), 0) || ' in ' || count(*)"
            "  FROM stream_chunks c WHERE c.stream_id = s.id) AS got"
            " FROM streams s WHERE s.state = 1 AND (s.size <> (SELECT ifnull(sum(length(data)), 0)"
            "  FROM stream_chunks c WHERE c.stream_id = s.id) OR (SELECT count(*) FROM"
            "  stream_chunks c WHERE c.stream_id = s.id) <> (SELECT ifnull(max(seq) + 1, 0) FROM"
            "  stream_chunks c WHERE c.stream_id = s.id))",
            "stream incomplete (stream, size, chunks)");
    if (!code)
        code = findings(s, &r,
            "SELECT id, ifnull(folder_id, 'NULL'), ifnull(embedded_in, 'NULL') FROM messages"
            " WHERE (folder_id IS NULL) = (embedded_in IS NULL) AND NOT (id < 0"
            " AND folder_id IS NULL)",
            "message neither in a folder nor embedded (id, folder, attachment)");
    /* Draft holders (stream.c): negative ids owning only unsaved streams. */
    if (!code)
        code = findings(s, &r,
            "SELECT m.id, ifnull(m.folder_id, 'NULL'), ifnull(m.embedded_in, 'NULL')"
            " FROM messages m WHERE m.id < 0 AND (m.folder_id IS NOT NULL"
            " OR m.embedded_in IS NOT NULL OR EXISTS (SELECT 1 FROM streams t"
            " WHERE t.message_id = m.id AND t.state <> 0) OR EXISTS (SELECT 1 FROM"
            " attachments a WHERE a.message_id = m.id) OR EXISTS (SELECT 1 FROM recipients c"
            " WHERE c.message_id = m.id))",
            "draft holder holding more than unsaved streams (id, folder, attachment)");
    if (!code)
        code = findings(s, &r,
            "SELECT count(*), 'folders without parent', '' FROM folders WHERE parent_id IS NULL"
            " HAVING count(*) > 1", "more than one root");
    /* Search folders (search.c): counts, copied unread bits, no messages of
     * their own. */
    if (!code)
        code = findings(s, &r,
            "SELECT s.folder_id, s.content || '/' || s.unread, (SELECT count(*) || '/' ||"
            "  ifnull(sum(r.unread), 0) FROM search_results r WHERE r.search_id = s.folder_id)"
            "  AS real FROM searches s WHERE s.content || '/' || s.unread <> real",
            "search folder counts (folder, stored, actual)");
    if (!code)
        code = findings(s, &r,
            "SELECT r.search_id, r.message_id, m.flags FROM search_results r JOIN messages m"
            " ON m.id = r.message_id WHERE r.unread <> ((m.flags & 1) = 0)",
            "search result unread bit (folder, message, flags)");
    if (!code)
        code = findings(s, &r,
            "SELECT m.folder_id, m.id, '' FROM messages m JOIN searches s"
            " ON s.folder_id = m.folder_id", "message in a search folder (folder, message)");
    if (!code)
        code = check_blobs(s, &r, "SELECT id, props FROM messages", "message blob");
    if (!code)
        code = check_blobs(s, &r, "SELECT id, props FROM folders", "folder blob");
    if (!code)
        code = check_blobs(s, &r, "SELECT id, props FROM attachments", "attachment blob");
    if (!code)
        code = check_blobs(s, &r, "SELECT message_id, props FROM recipients", "recipient blob");
    sqlite3_exec(s->d.db, "COMMIT", NULL, NULL, NULL);
    /* FTS5's own check of both search indexes (their structure; the body
     * index also against its content). Not rank = 1 for message_fts: that
     * compares with every messages row, and embedded or still queued ones
     * are deliberately not indexed. It is an INSERT command, so it runs
     * outside the read snapshot (and may wait for the write lock). */
    static const char *const fts_checks[] = {
        "INSERT INTO message_fts(message_fts) VALUES ('integrity-check')",
        "INSERT INTO message_fts_body(message_fts_body) VALUES ('integrity-check')",
    };
    for (int i = 0; !code && !s->d.readonly && i < 2; i++) {
        int rc = sqlite3_exec(s->d.db, fts_checks[i], NULL, NULL, NULL);
        if ((rc & 0xff) == SQLITE_CORRUPT)
            add(&r, "search index: %s", sqlite3_errmsg(s->d.db));
        else if (rc != SQLITE_OK)
            code = st_db__err(&s->d, sqlite3_extended_errcode(s->d.db), "checking the search index");
    }
    if (code) {
        st_buf_free(&r.b);
        return code;
    }
    if (r.problems) {
        (void)st_buf_append(&r.b, "", 1);
        st_error_set("%s: %d problem(s) found", s->d.path, r.problems);
        if (out && r.b.data) {
            *out = (char *)r.b.data;
            r.b.data = NULL;
        }
        st_buf_free(&r.b);
        return ST_ECORRUPT;
    }
    st_buf_free(&r.b);
    return 0;
}

int st_store_compact(st_store *s, uint32_t max_pages)
{
    int code = st_stream__drop_orphans(s);
    if (code)
        return code;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA incremental_vacuum(%u)", (unsigned)max_pages);
    /* incremental_vacuum returns rows while it works: step it to the end. */
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->d.db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_OK)
        return st_db__err(&s->d, sqlite3_extended_errcode(s->d.db), "compacting");
    /* Give the freed space back: fold the WAL into the file. Passive, so a
     * reader never waits on it; the next checkpoint finishes the job. */
    rc = sqlite3_wal_checkpoint_v2(s->d.db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        return st_db__err(&s->d, rc, "checkpointing");
    return 0;
}

static int count(st_store *s, uint64_t *out, const char *sql)
{
    int64_t v = 0;
    int code = st_db__int(&s->d, &v, sql);
    *out = (uint64_t)v;
    return code;
}

int st_store_stats_get(st_store *s, st_store_stats *o)
{
    memset(o, 0, sizeof *o);
    int code = st_db__exec(&s->d, "BEGIN");
    if (code)
        return code;
    code = count(s, &o->folders, "SELECT count(*) FROM folders");
    if (!code)
        code = count(s, &o->messages, "SELECT count(*) FROM messages WHERE folder_id IS NOT NULL"
            " AND assoc = 0");
    if (!code)
        code = count(s, &o->assoc_messages, "SELECT count(*) FROM messages WHERE assoc = 1");
    if (!code)
        code = count(s, &o->embedded_messages,
            "SELECT count(*) FROM messages WHERE embedded_in IS NOT NULL");
    if (!code)
        code = count(s, &o->recipients, "SELECT count(*) FROM recipients");
    if (!code)
        code = count(s, &o->attachments, "SELECT count(*) FROM attachments");
    if (!code)
        code = count(s, &o->streams, "SELECT count(*) FROM streams WHERE state = 1");
    if (!code)
        code = count(s, &o->stream_bytes, "SELECT ifnull(sum(size), 0) FROM streams WHERE state = 1");
    if (!code)
        code = count(s, &o->journal_pending, "SELECT count(*) FROM journal WHERE state = 0");
    if (!code)
        code = count(s, &o->journal_taken, "SELECT count(*) FROM journal WHERE state = 1");
    if (!code)
        code = count(s, &o->journal_refused, "SELECT count(*) FROM journal WHERE state = 2");
    if (!code)
        code = count(s, &o->page_size, "PRAGMA page_size");
    if (!code)
        code = count(s, &o->page_count, "PRAGMA page_count");
    if (!code)
        code = count(s, &o->free_pages, "PRAGMA freelist_count");
    sqlite3_exec(s->d.db, "COMMIT", NULL, NULL, NULL);
    return code;
}

int st_folder_stats_get(st_store *s, st_folder_stats *out, st_id fid)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT count(*), ifnull(sum(size), 0) FROM messages WHERE folder_id = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)fid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->messages = (uint64_t)sqlite3_column_int64(st, 0);
        out->bytes = (uint64_t)sqlite3_column_int64(st, 1);
    }
    st_db__done(st);
    return rc == SQLITE_ROW ? 0 : st_db__err(&s->d, rc, "folder statistics");
}
