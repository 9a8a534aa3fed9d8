/*
 * schema.c: the tables of catalog.sqlite and <store>.sqlite, versioned by
 * PRAGMA user_version, and their forward migrations.
 *
 * A new file gets the v1 schema and then every migration step, so a file
 * made today and a file made by v1 and migrated end in the same schema.
 * To add v2: write `static int store_1_to_2(st_db *d)`, append it to
 * store_steps[], bump ST_STORE_VERSION in storage.h. test_storage_schema
 * creates a file at every earlier version and migrates it.
 *
 * Invariants: migration runs in one BEGIN IMMEDIATE transaction with the
 * version re-read inside it (two processes opening an old file at once
 * migrate it once); a file newer than this code is refused by st_db__open
 * before anything is written. Never: change a CREATE statement of a
 * released version (files in the field were made with it); migrate.
 */
#include <stdio.h>
#include <string.h>

#include "storage/storage_int.h"

/* ---- catalog v1 ---- */
static const char catalog_v1[] =
    "CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE stores(guid BLOB PRIMARY KEY, kind INTEGER NOT NULL,"
    "  display_name TEXT NOT NULL, url TEXT);"
    /* Named properties: (set, kind, lid, name) -> id. lid is 0 for string
     * names and name '' for numeric ones, so the UNIQUE sees no NULLs. Ids
     * are never deleted, hence never reused. */
    "CREATE TABLE named_props(id INTEGER PRIMARY KEY CHECK (id BETWEEN 32768 AND 65534),"
    "  guid BLOB NOT NULL, kind INTEGER NOT NULL, lid INTEGER NOT NULL,"
    "  name TEXT NOT NULL, UNIQUE(guid, kind, lid, name));";

/* ---- store v1 ----
 * messages: one row per message with the hot columns Outlook's views sort
 * and filter on (authoritative: those properties are not also in props),
 * the rest of the properties in one codec blob (propblob.c). Strings use
 * ST_NOCASE, the Unicode case-insensitive collation. Embedded messages are
 * rows with folder_id NULL and embedded_in set. */
static const char *const store_v1[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE folders(id INTEGER PRIMARY KEY,"
    "  parent_id INTEGER REFERENCES folders(id),"
    "  name TEXT NOT NULL COLLATE ST_NOCASE,"
    "  container_class TEXT,"
    "  content_count INTEGER NOT NULL DEFAULT 0,"
    "  unread_count INTEGER NOT NULL DEFAULT 0,"
    "  assoc_count INTEGER NOT NULL DEFAULT 0,"
    "  child_count INTEGER NOT NULL DEFAULT 0,"
    "  change_num INTEGER NOT NULL,"
    "  url TEXT, sync_token TEXT, ctag TEXT,"
    "  props BLOB);"
    "CREATE UNIQUE INDEX folders_name ON folders(ifnull(parent_id, 0), name);"
    "CREATE INDEX folders_url ON folders(url) WHERE url IS NOT NULL;"
    "CREATE TABLE receive_folders(msg_class TEXT PRIMARY KEY COLLATE ST_NOCASE,"
    "  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE);"
    "CREATE INDEX receive_folders_folder ON receive_folders(folder_id);"
    "CREATE TABLE messages(id INTEGER PRIMARY KEY,"
    "  folder_id INTEGER REFERENCES folders(id),"
    "  embedded_in INTEGER REFERENCES attachments(id) ON DELETE CASCADE,"
    "  assoc INTEGER NOT NULL DEFAULT 0,"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  msg_class TEXT COLLATE ST_NOCASE,"
    "  subject TEXT COLLATE ST_NOCASE,"
    "  norm_subject TEXT COLLATE ST_NOCASE,"
    "  sender_name TEXT COLLATE ST_NOCASE,"
    "  display_to TEXT COLLATE ST_NOCASE,"
    "  conv_topic TEXT COLLATE ST_NOCASE,"
    "  delivery_time INTEGER, submit_time INTEGER, mod_time INTEGER,"
    "  importance INTEGER, flag_status INTEGER, icon_index INTEGER,"
    "  size INTEGER NOT NULL DEFAULT 0,"
    "  has_attach INTEGER NOT NULL DEFAULT 0,"
    "  search_key BLOB,"
    "  change_num INTEGER NOT NULL,"
    "  href TEXT, etag TEXT,"
    "  next_attach INTEGER NOT NULL DEFAULT 0,"
    "  props BLOB);"
    "CREATE INDEX messages_delivery ON messages(folder_id, assoc, delivery_time);"
    "CREATE INDEX messages_href ON messages(href) WHERE href IS NOT NULL;"
    "CREATE INDEX messages_embedded ON messages(embedded_in) WHERE embedded_in IS NOT NULL;",
    "CREATE TABLE recipients(message_id INTEGER NOT NULL"
    "    REFERENCES messages(id) ON DELETE CASCADE,"
    "  row INTEGER NOT NULL, props BLOB NOT NULL, PRIMARY KEY(message_id, row));"
    "CREATE TABLE attachments(id INTEGER PRIMARY KEY,"
    "  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
    "  num INTEGER NOT NULL, method INTEGER, size INTEGER NOT NULL DEFAULT 0,"
    "  props BLOB, UNIQUE(message_id, num));",
    /* Large values in 64 KB chunks (stream.c says why not blob I/O). state
     * 0: being written (not visible), 1: live, 2: being swapped in (only
     * inside st_stream_commit's transaction, never committed). */
    "CREATE TABLE streams(id INTEGER PRIMARY KEY,"
    "  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
    "  attach_id INTEGER REFERENCES attachments(id) ON DELETE CASCADE,"
    "  tag INTEGER NOT NULL, size INTEGER NOT NULL DEFAULT 0,"
    "  state INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX streams_owner ON streams(message_id, ifnull(attach_id, 0), tag)"
    "  WHERE state = 1;"
    "CREATE INDEX streams_message ON streams(message_id);"
    "CREATE INDEX streams_attach ON streams(attach_id) WHERE attach_id IS NOT NULL;"
    "CREATE TABLE stream_chunks(id INTEGER PRIMARY KEY,"
    "  stream_id INTEGER NOT NULL REFERENCES streams(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL, data BLOB NOT NULL);"
    "CREATE UNIQUE INDEX stream_chunks_seq ON stream_chunks(stream_id, seq);",
    /* The journal of local changes (journal.c). Not linked to the objects:
     * a DELETE outlives its object. */
    "CREATE TABLE journal(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  op INTEGER NOT NULL, kind INTEGER NOT NULL, obj_id INTEGER NOT NULL,"
    "  folder_id INTEGER, old_folder_id INTEGER, href TEXT, base_etag TEXT,"
    "  state INTEGER NOT NULL DEFAULT 0, reason TEXT, created INTEGER NOT NULL);"
    "CREATE INDEX journal_obj ON journal(kind, obj_id);"
    "CREATE INDEX journal_state ON journal(state, seq);",
    /* RES_CONTENT substring search: trigram indexes (rowid = message id) of
     * top-level messages (folder_id set; embedded ones never get one).
     * message_fts: subject and sender as external content (the messages
     * columns themselves). message_fts_body: bodies (their own copy).
     * fts_queue: messages whose body (head = 0) or also subject and sender
     * (head = 1) await st_store_index_pending. Written in the transaction of
     * the change, so index + queue always describe every message exactly;
     * a search consults the index and scans the queued rows. Local changes
     * index subject/sender at once; bulk imports and all bodies go through
     * the queue: trigram-indexing costs ~30 us per subject+sender and ~140 us
     * per 2 KB body, which inline would cap imports far below 20,000/s
     * (bench-storage). The triggers keep message_fts right on update and
     * delete (cascades included), touching only rows that are in it. */
    "CREATE TABLE fts_queue(id INTEGER PRIMARY KEY, head INTEGER NOT NULL DEFAULT 0);",
    "CREATE VIRTUAL TABLE message_fts USING fts5(subject, sender_name,"
    "  content = 'messages', content_rowid = 'id',"
    "  tokenize = 'trigram', detail = 'none', columnsize = 0);"
    "CREATE TRIGGER messages_fts_update AFTER UPDATE OF subject, sender_name ON messages"
    "  WHEN old.folder_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fts_queue q"
    "    WHERE q.id = old.id AND q.head = 1) BEGIN"
    "  INSERT INTO message_fts(message_fts, rowid, subject, sender_name)"
    "    VALUES ('delete', old.id, old.subject, old.sender_name);"
    "  INSERT INTO message_fts(rowid, subject, sender_name)"
    "    VALUES (new.id, new.subject, new.sender_name); END;"
    "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages"
    "  WHEN old.folder_id IS NOT NULL BEGIN"
    "  INSERT INTO message_fts(message_fts, rowid, subject, sender_name)"
    "    SELECT 'delete', old.id, old.subject, old.sender_name WHERE NOT EXISTS"
    "    (SELECT 1 FROM fts_queue q WHERE q.id = old.id AND q.head = 1);"
    "  DELETE FROM message_fts_body WHERE rowid = old.id;"
    "  DELETE FROM fts_queue WHERE id = old.id; END;",
    "CREATE VIRTUAL TABLE message_fts_body USING fts5(body,"
    "  tokenize = 'trigram', detail = 'none', columnsize = 0);",
    "INSERT INTO meta(key, value) VALUES ('next_id', 1), ('next_cn', 1);",
    NULL
};

/* ---- store v2 (tables, storage/table*.c) ----
 * One index for the second most common view sort after delivery time:
 * "From" (sender, then newest first). With it a contents table re-sorted by
 * sender reads its first screen from the index instead of sorting the
 * folder (1M messages: ~1 s -> a few ms, bench-storage); `flags` makes it
 * cover a category header's count and unread count (GROUP BY sender reads
 * the index only: 1M, first screen collapsed ~500 ms -> see bench-storage).
 * Other sorts use
 * the delivery index or a full sort; add indexes here only when a
 * measurement asks for them: each one costs every import. */
static int store_1_to_2(st_db *d)
{
    return st_db__exec(d, "CREATE INDEX messages_sender ON messages(folder_id, assoc,"
        " sender_name, delivery_time, flags);");
}

/* ---- store v3 (search folders, storage/search.c) ----
 * searches: one row per search folder (the folder itself stays a plain
 * folders row with no messages): its criteria as [MS-OXCDATA] 2.12 bytes
 * (NULL until SetSearchCriteria), ST_SEARCH_* flags, and the counts of its
 * results (content, unread), which the triggers keep. search_scope: the
 * folders searched (cascade: deleting a folder drops it from every scope).
 * search_results: the materialised results, (search folder, message) with
 * the message's unread bit copied so that the count triggers never need the
 * message row (gone when a cascade runs). All of it changes in the
 * transaction of the message change (search.c), never out of step. */
static int store_2_to_3(st_db *d)
{
    return st_db__exec(d,
        "CREATE TABLE searches(folder_id INTEGER PRIMARY KEY"
        "    REFERENCES folders(id) ON DELETE CASCADE,"
        "  flags INTEGER NOT NULL DEFAULT 0, criteria BLOB,"
        "  content INTEGER NOT NULL DEFAULT 0, unread INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE search_scope(search_id INTEGER NOT NULL"
        "    REFERENCES searches(folder_id) ON DELETE CASCADE,"
        "  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,"
        "  PRIMARY KEY(search_id, folder_id)) WITHOUT ROWID;"
        "CREATE INDEX search_scope_folder ON search_scope(folder_id);"
        "CREATE TABLE search_results(search_id INTEGER NOT NULL"
        "    REFERENCES searches(folder_id) ON DELETE CASCADE,"
        "  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
        "  unread INTEGER NOT NULL,"
        "  PRIMARY KEY(search_id, message_id)) WITHOUT ROWID;"
        "CREATE INDEX search_results_message ON search_results(message_id);"
        "CREATE TRIGGER search_results_add AFTER INSERT ON search_results BEGIN"
        "  UPDATE searches SET content = content + 1, unread = unread + new.unread"
        "    WHERE folder_id = new.search_id; END;"
        "CREATE TRIGGER search_results_drop AFTER DELETE ON search_results BEGIN"
        "  UPDATE searches SET content = content - 1, unread = unread - old.unread"
        "    WHERE folder_id = old.search_id; END;"
        "CREATE TRIGGER search_results_unread AFTER UPDATE OF unread ON search_results"
        "  WHEN old.unread <> new.unread BEGIN"
        "  UPDATE searches SET unread = unread + new.unread - old.unread"
        "    WHERE folder_id = new.search_id; END;"
        "CREATE TRIGGER messages_search_read AFTER UPDATE OF flags ON messages"
        "  WHEN (old.flags & 1) <> (new.flags & 1) BEGIN"
        "  UPDATE search_results SET unread = (new.flags & 1) = 0"
        "    WHERE message_id = new.id; END;");
}

/* ---- store v4 (categorized tables, storage/table_categ.c) ----
 * The per-sender counts of each folder (normal and associated apart), kept
 * by triggers in the same transaction as every message change, so the
 * first screen of a view grouped by "From" (headers with their counts and
 * unread counts) and its row count read a few hundred rows however big the
 * folder is (1M: a GROUP BY over the sender index read ~100,000 entries per
 * screen). The key compares sender_name with ST_NOCASE, so a row is a
 * category exactly as GROUP BY sender_name makes it; a missing sender is
 * has = 0 with name '' (one category, before every name). One upsert per
 * new message (an import pays about that); rows reaching n = 0 are
 * dropped. Embedded messages (no folder) are not counted. st_store_check
 * compares the table with a recount. */
static int store_3_to_4(st_db *d)
{
    return st_db__exec(d,
        /* has = 0: the messages without a sender (name ''), one category */
        "CREATE TABLE sender_counts(folder_id INTEGER NOT NULL, assoc INTEGER NOT NULL,"
        "  has INTEGER NOT NULL, sender_name TEXT NOT NULL COLLATE ST_NOCASE,"
        "  n INTEGER NOT NULL, unread INTEGER NOT NULL,"
        "  PRIMARY KEY(folder_id, assoc, has, sender_name)) WITHOUT ROWID;"
        "INSERT INTO sender_counts SELECT folder_id, assoc, sender_name IS NOT NULL,"
        "  ifnull(sender_name, ''), count(*), sum((flags & 1) = 0) FROM messages"
        "  WHERE folder_id IS NOT NULL GROUP BY folder_id, assoc, sender_name;"
        "CREATE TRIGGER sender_counts_ins AFTER INSERT ON messages"
        "  WHEN new.folder_id IS NOT NULL BEGIN"
        "  INSERT INTO sender_counts VALUES (new.folder_id, new.assoc,"
        "    new.sender_name IS NOT NULL, ifnull(new.sender_name, ''), 1, (new.flags & 1) = 0)"
        "    ON CONFLICT DO UPDATE SET n = n + 1, unread = unread + excluded.unread; END;"
        "CREATE TRIGGER sender_counts_del AFTER DELETE ON messages"
        "  WHEN old.folder_id IS NOT NULL BEGIN"
        "  UPDATE sender_counts SET n = n - 1, unread = unread - ((old.flags & 1) = 0)"
        "    WHERE folder_id = old.folder_id AND assoc = old.assoc"
        "    AND has = (old.sender_name IS NOT NULL) AND sender_name = ifnull(old.sender_name, '');"
        "  DELETE FROM sender_counts WHERE folder_id = old.folder_id AND assoc = old.assoc"
        "    AND has = (old.sender_name IS NOT NULL) AND sender_name = ifnull(old.sender_name, '')"
        "    AND n <= 0; END;"
        /* an update is the old row out and the new one in, when it matters */
        "CREATE TRIGGER sender_counts_upd AFTER UPDATE OF folder_id, assoc, sender_name, flags"
        "  ON messages WHEN (old.folder_id IS NOT new.folder_id OR old.assoc IS NOT new.assoc"
        "  OR old.sender_name IS NOT new.sender_name COLLATE BINARY"
        "  OR ((old.flags & 1) = 0) IS NOT ((new.flags & 1) = 0)) BEGIN"
        "  UPDATE sender_counts SET n = n - 1, unread = unread - ((old.flags & 1) = 0)"
        "    WHERE old.folder_id IS NOT NULL AND folder_id = old.folder_id"
        "    AND assoc = old.assoc AND has = (old.sender_name IS NOT NULL)"
        "    AND sender_name = ifnull(old.sender_name, '');"
        "  DELETE FROM sender_counts WHERE old.folder_id IS NOT NULL"
        "    AND folder_id = old.folder_id AND assoc = old.assoc"
        "    AND has = (old.sender_name IS NOT NULL) AND sender_name = ifnull(old.sender_name, '')"
        "    AND n <= 0;"
        "  INSERT INTO sender_counts SELECT new.folder_id, new.assoc,"
        "    new.sender_name IS NOT NULL, ifnull(new.sender_name, ''), 1, (new.flags & 1) = 0"
        "    WHERE new.folder_id IS NOT NULL"
        "    ON CONFLICT DO UPDATE SET n = n + 1, unread = unread + excluded.unread; END;");
}

/* v5: a new message's sender count is written by message.c
 * (sender_count_added) instead of an AFTER INSERT trigger: with the trigger,
 * every INSERT INTO messages kept a statement journal (a trigger and a
 * constraint that may abort make SQLite journal each page the statement
 * touches), about a sixth of the sync's import. Same rows, same
 * st_store_check recount; the delete and update triggers stay. */
static int store_4_to_5(st_db *d)
{
    return st_db__exec(d, "DROP TRIGGER sender_counts_ins");
}

/* Migration steps: steps[N-1] takes a file from version N to N+1. */
static const st_schema_step catalog_steps[] = { NULL };
static const st_schema_step store_steps[] = { store_1_to_2, store_2_to_3, store_3_to_4,
    store_4_to_5, NULL };

static int set_version(st_db *d, int v)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
    return st_db__exec(d, sql);
}

static int create_v1(st_db *d, int kind)
{
    int code = 0;
    if (kind == ST_SCHEMA_CATALOG)
        code = st_db__exec(d, catalog_v1);
    for (size_t i = 0; kind != ST_SCHEMA_CATALOG && !code && store_v1[i]; i++)
        code = st_db__exec(d, store_v1[i]);
    if (!code)
        code = set_version(d, 1);
    return code;
}

int st_schema__create_version(st_db *d, int kind, int version)
{
    const st_schema_step *steps = kind == ST_SCHEMA_CATALOG ? catalog_steps : store_steps;
    int code = st_db__begin(d);
    if (code)
        return code;
    code = create_v1(d, kind);
    for (int v = 1; !code && v < version; v++) {
        code = steps[v - 1](d);
        if (!code)
            code = set_version(d, v + 1);
    }
    if (code) {
        st_db__rollback(d);
        return code;
    }
    return st_db__commit(d);
}

int st_schema__migrate(st_db *d, int kind, int target, const st_schema_step *steps)
{
    int64_t v = 0;
    int code = st_db__int(d, &v, "PRAGMA user_version");
    if (code)
        return code;
    if (v == target)
        return 0;  /* the common case: no write lock taken */
    if (v > target) {
        st_error_set("%s: written by a newer version of mapidav (schema %lld, this one "
            "knows up to %d); not opened, not changed", d->path, (long long)v, target);
        return ST_ENEWER;
    }
    if (d->readonly) {
        st_error_set("%s: schema %lld needs an upgrade to %d, but the file is opened "
            "read-only", d->path, (long long)v, target);
        return ST_EREADONLY;
    }
    code = st_db__begin(d);
    if (code)
        return code;
    code = st_db__int(d, &v, "PRAGMA user_version");   /* again, under the lock */
    if (!code && v == 0) {
        int64_t n = 0;
        code = st_db__int(d, &n, "SELECT count(*) FROM sqlite_schema");
        if (!code && n > 0) {
            st_error_set("%s: has tables but no mapidav schema version: not a mapidav "
                "file", d->path);
            code = ST_ECORRUPT;
        }
        if (!code)
            code = create_v1(d, kind);
        v = 1;
    }
    for (; !code && v < target; v++) {
        code = steps[v - 1](d);
        if (!code)
            code = set_version(d, (int)v + 1);
        if (code)
            st_error_set("%s: migrating from schema %lld to %lld: %s", d->path,
                (long long)v, (long long)v + 1, st_error_last());
    }
    if (code) {
        st_db__rollback(d);
        return code;
    }
    return st_db__commit(d);
}

int st_schema__prepare(st_db *d, int kind)
{
    if (kind == ST_SCHEMA_CATALOG)
        return st_schema__migrate(d, kind, ST_CATALOG_VERSION, catalog_steps);
    return st_schema__migrate(d, kind, ST_STORE_VERSION, store_steps);
}
