/*
 * journal.c: the journal of local changes, written in the transaction of
 * the change itself, replayed in order by the sync side.
 *
 * Coalescing applies to PENDING entries of the same object only (entries
 * handed out by st_journal_take are in flight and never rewritten):
 *   create + modify/read/rename     = create
 *   modify + modify/read            = modify;   read + modify = modify
 *   read + read                     = read
 *   create + move                   = create (in the new folder)
 *   move/rename + move/rename       = one move (from the first origin; a
 *                                     folder rename is a MOVE of its URL)
 *   create + ... + delete/purge     = nothing (the server never saw it)
 *   anything else + delete/purge    = delete/purge (with the href and base ETag
 *                                     of the first dropped entry: where the
 *                                     server still has the object)
 * A refused entry (st_journal_refuse) stays with its reason; it blocks
 * nothing and is never dropped by coalescing (its state is not pending).
 *
 * Invariant: a pending CREATE/MODIFY/READ/MOVE/RENAME entry names an object
 * that exists (st_store_check verifies). Never: journal a change made with
 * ST_FROM_SERVER.
 */
#include <stdlib.h>
#include <string.h>

#include "storage/os.h"
#include "storage/storage_int.h"

typedef struct pend {
    int64_t seq;          /* entry */
    int op;               /* ST_JOP_* */
    int64_t folder;       /* folder_id */
    int64_t old_folder;   /* old_folder_id */
    char *href;           /* owned */
    char *etag;           /* owned */
} pend;

static void pend_free(pend *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].href);
        free(p[i].etag);
    }
    free(p);
}

static int load_pending(st_store *s, pend **out, size_t *n, int kind, st_id obj)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT seq, op, ifnull(folder_id, 0), ifnull(old_folder_id, 0), href, base_etag"
        " FROM journal WHERE kind = ? AND obj_id = ? AND state = 0 ORDER BY seq");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)obj);
    pend *p = NULL;
    size_t cnt = 0, cap = 0;
    int rc, code = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        pend *q = st_grow(p, &cap, cnt, sizeof *p, 4);
        if (!q) {
            code = ST_ERROR;
            break;
        }
        p = q;
        pend *e = &p[cnt++];
        e->seq = sqlite3_column_int64(st, 0);
        e->op = sqlite3_column_int(st, 1);
        e->folder = sqlite3_column_int64(st, 2);
        e->old_folder = sqlite3_column_int64(st, 3);
        e->href = st_db__col_strdup(st, 4);
        e->etag = st_db__col_strdup(st, 5);
    }
    st_db__done(st);
    if (!code && rc != SQLITE_DONE)
        code = st_db__err(&s->d, rc, "reading the journal");
    if (code) {
        pend_free(p, cnt);
        return code;
    }
    *out = p;
    *n = cnt;
    return 0;
}

/* The object's server identity now: href and ETag (messages), URL (folders). */
static int server_identity(st_store *s, int kind, st_id obj, char **href, char **etag)
{
    *etag = NULL;
    char **const outs[] = { href, kind == ST_JKIND_MESSAGE ? etag : NULL };
    int code = st_db__texts(&s->d, outs, 2, kind == ST_JKIND_MESSAGE
        ? "SELECT href, etag FROM messages WHERE id = ?"
        : "SELECT url, ctag FROM folders WHERE id = ?", (int64_t)obj, "reading the journal");
    return code == ST_ENOTFOUND ? 0 : code;
}

static int insert_entry(st_store *s, int op, int kind, st_id obj, st_id folder,
    st_id old_folder, const char *href, const char *etag)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "INSERT INTO journal(op, kind, obj_id, folder_id, old_folder_id, href, base_etag,"
        " created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int(st, 1, op);
    sqlite3_bind_int(st, 2, kind);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)obj);
    if (folder)
        sqlite3_bind_int64(st, 4, (sqlite3_int64)folder);
    if (old_folder)
        sqlite3_bind_int64(st, 5, (sqlite3_int64)old_folder);
    st_db__bind_text(st, 6, href);
    st_db__bind_text(st, 7, etag);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)st_os_time_filetime());
    return st_db__step_done(&s->d, st, "writing the journal");
}

static int exec_seq(st_store *s, const char *sql, int64_t seq, int64_t arg)
{
    sqlite3_stmt *st = st_db__prep(&s->d, sql);
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, arg);
    return st_db__step_done(&s->d, st, "writing the journal");
}

int st_journal__record(st_store *s, int op, int kind, st_id obj, st_id folder,
    st_id old_folder, unsigned flags)
{
    if (flags & ST_FROM_SERVER)
        return 0;
    pend *p = NULL;
    size_t n = 0;
    char *href = NULL, *etag = NULL;
    int code = load_pending(s, &p, &n, kind, obj);
    if (code)
        return code;
    pend *last = n ? &p[n - 1] : NULL;
    switch (op) {
    case ST_JOP_CREATE:
        break;   /* an object is created once */
    case ST_JOP_MODIFY:
        if (last && (last->op == ST_JOP_CREATE || last->op == ST_JOP_MODIFY))
            goto done;
        if (last && last->op == ST_JOP_READ) {
            code = exec_seq(s, "UPDATE journal SET op = 2 WHERE seq = ?1 AND ?2 = ?2",
                last->seq, 0);
            goto done;
        }
        break;
    case ST_JOP_READ:
        if (last && (last->op == ST_JOP_CREATE || last->op == ST_JOP_MODIFY ||
                last->op == ST_JOP_READ))
            goto done;
        break;
    case ST_JOP_RENAME:
        if (last && (last->op == ST_JOP_CREATE || last->op == ST_JOP_RENAME ||
                last->op == ST_JOP_MOVE))
            goto done;   /* the replay takes the current name */
        break;
    case ST_JOP_MOVE:
        if (last && (last->op == ST_JOP_CREATE || last->op == ST_JOP_MOVE ||
                last->op == ST_JOP_RENAME)) {
            /* A rename is a move within the parent: rename + move = move. */
            code = exec_seq(s, "UPDATE journal SET folder_id = ?2,"
                " op = CASE op WHEN 6 THEN 4 ELSE op END WHERE seq = ?1", last->seq,
                (int64_t)folder);
            goto done;
        }
        break;
    case ST_JOP_DELETE:
    case ST_JOP_PURGE: {
        int created = 0;
        for (size_t i = 0; i < n; i++)
            created |= p[i].op == ST_JOP_CREATE;
        if (n) {
            sqlite3_stmt *st = st_db__prep(&s->d,
                "DELETE FROM journal WHERE kind = ? AND obj_id = ? AND state = 0");
            if (!st) {
                code = ST_ERROR;
                goto done;
            }
            sqlite3_bind_int(st, 1, kind);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)obj);
            code = st_db__step_done(&s->d, st, "writing the journal");
            if (code || created)
                goto done;   /* create + ... + delete = nothing */
            /* Where the server still has it: before the first pending move. */
            for (size_t i = 0; i < n; i++)
                if (p[i].op == ST_JOP_MOVE) {
                    folder = (st_id)p[i].old_folder;
                    break;
                }
            code = insert_entry(s, op, kind, obj, folder, 0, p[0].href, p[0].etag);
            goto done;
        }
        break;
    }
    default:
        st_error_set("unknown journal operation %d", op);
        code = ST_ERROR;
        goto done;
    }
    code = server_identity(s, kind, obj, &href, &etag);
    if (!code)
        code = insert_entry(s, op, kind, obj, folder, old_folder, href, etag);
done:
    free(href);
    free(etag);
    pend_free(p, n);
    return code;
}

int st_journal__forget(st_store *s, int kind, st_id obj)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "DELETE FROM journal WHERE kind = ? AND obj_id = ? AND state = 0");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int(st, 1, kind);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)obj);
    return st_db__step_done(&s->d, st, "updating the journal");
}

static int read_entries(st_store *s, st_journal_entry **out, size_t *n, sqlite3_stmt *st)
{
    st_journal_entry *e = NULL;
    size_t cnt = 0, cap = 0;
    int rc, code = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        st_journal_entry *q = st_grow(e, &cap, cnt, sizeof *e, 16);
        if (!q) {
            code = ST_ERROR;
            break;
        }
        e = q;
        st_journal_entry *x = &e[cnt++];
        x->seq = sqlite3_column_int64(st, 0);
        x->op = sqlite3_column_int(st, 1);
        x->kind = sqlite3_column_int(st, 2);
        x->obj = (st_id)sqlite3_column_int64(st, 3);
        x->folder = (st_id)sqlite3_column_int64(st, 4);
        x->old_folder = (st_id)sqlite3_column_int64(st, 5);
        x->href = st_db__col_strdup(st, 6);
        x->base_etag = st_db__col_strdup(st, 7);
        x->state = sqlite3_column_int(st, 8);
        x->reason = st_db__col_strdup(st, 9);
    }
    st_db__done(st);
    if (!code && rc != SQLITE_DONE)
        code = st_db__err(&s->d, rc, "reading the journal");
    if (code) {
        st_journal_entries_free(e, cnt);
        return code;
    }
    *out = e;
    *n = cnt;
    return 0;
}

#define ENTRY_COLS "seq, op, kind, obj_id, ifnull(folder_id, 0), ifnull(old_folder_id, 0)," \
    " href, base_etag, state, reason"

int st_journal_take(st_store *s, st_journal_entry **out, size_t *n, size_t max)
{
    *out = NULL;
    *n = 0;
    int code = st_store__begin(s);
    if (code)
        return code;
    sqlite3_stmt *st = st_db__prep(&s->d, "SELECT " ENTRY_COLS " FROM journal"
        " WHERE state = 0 ORDER BY seq LIMIT ?");
    if (!st)
        code = ST_ERROR;
    else {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)(max ? max : 1000));
        code = read_entries(s, out, n, st);
    }
    for (size_t i = 0; !code && i < *n; i++) {
        code = exec_seq(s, "UPDATE journal SET state = 1 WHERE seq = ?1 AND ?2 = ?2",
            (*out)[i].seq, 0);
        (*out)[i].state = ST_JSTATE_TAKEN;
    }
    if (!code)
        code = st_store__commit(s);
    else
        st_store__rollback(s);
    if (code) {
        st_journal_entries_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return code;
}

int st_journal_ack(st_store *s, int64_t seq, const char *href, const char *etag)
{
    int code = st_store__begin(s);
    if (code)
        return code;
    sqlite3_stmt *st = st_db__prep(&s->d, "SELECT op, kind, obj_id FROM journal WHERE seq = ?");
    int op = 0, kind = 0;
    st_id obj = 0;
    if (!st)
        code = ST_ERROR;
    else {
        sqlite3_bind_int64(st, 1, seq);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            op = sqlite3_column_int(st, 0);
            kind = sqlite3_column_int(st, 1);
            obj = (st_id)sqlite3_column_int64(st, 2);
        }
        st_db__done(st);
        if (rc == SQLITE_DONE) {
            st_error_set("%s: no journal entry %lld", s->d.path, (long long)seq);
            code = ST_ENOTFOUND;
        } else if (rc != SQLITE_ROW) {
            code = st_db__err(&s->d, rc, "reading the journal");
        }
    }
    if (!code)
        code = exec_seq(s, "DELETE FROM journal WHERE seq = ?1 AND ?2 = ?2", seq, 0);
    if (!code && op != ST_JOP_DELETE && op != ST_JOP_PURGE && (href || etag)) {
        st = st_db__prep(&s->d, kind == ST_JKIND_MESSAGE
            ? "UPDATE messages SET href = ifnull(?1, href), etag = ifnull(?2, etag) WHERE id = ?3"
            : "UPDATE folders SET url = ifnull(?1, url) WHERE id = ?3 AND ?2 IS ?2");
        if (!st)
            code = ST_ERROR;
        else {
            st_db__bind_text(st, 1, href);
            st_db__bind_text(st, 2, etag);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)obj);
            code = st_db__step_done(&s->d, st, "recording the server identity");
        }
        /* Later pending changes of the object now apply to this version
         * (and, after a CREATE, to this href, also when it was deleted). */
        if (!code) {
            st = st_db__prep(&s->d,
                "UPDATE journal SET href = ifnull(?1, href), base_etag = ifnull(?2, base_etag)"
                " WHERE kind = ?3 AND obj_id = ?4 AND state = 0");
            if (!st)
                code = ST_ERROR;
            else {
                st_db__bind_text(st, 1, href);
                st_db__bind_text(st, 2, etag);
                sqlite3_bind_int(st, 3, kind);
                sqlite3_bind_int64(st, 4, (sqlite3_int64)obj);
                code = st_db__step_done(&s->d, st, "updating the journal");
            }
        }
    }
    return st_store__end(s, code);
}

int st_journal_refuse(st_store *s, int64_t seq, const char *reason)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "UPDATE journal SET state = 2, reason = ? WHERE seq = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_text(st, 1, reason ? reason : "refused", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, seq);
    int code = st_db__step_done(&s->d, st, "refusing a journal entry");
    if (!code && sqlite3_changes(s->d.db) == 0) {
        st_error_set("%s: no journal entry %lld", s->d.path, (long long)seq);
        code = ST_ENOTFOUND;
    }
    return code;
}

int st_journal_release(st_store *s)
{
    sqlite3_stmt *st = st_db__prep(&s->d, "UPDATE journal SET state = 0 WHERE state = 1");
    if (!st)
        return ST_ERROR;
    return st_db__step_done(&s->d, st, "releasing journal entries");
}

int st_journal_list(st_store *s, st_journal_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = st_db__prep(&s->d, "SELECT " ENTRY_COLS " FROM journal ORDER BY seq");
    if (!st)
        return ST_ERROR;
    return read_entries(s, out, n, st);
}

int st_journal_count(st_store *s, size_t *out, int state)
{
    *out = 0;
    sqlite3_stmt *st = st_db__prep(&s->d, "SELECT count(*) FROM journal WHERE state = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int(st, 1, state);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (size_t)sqlite3_column_int64(st, 0);
    st_db__done(st);
    return rc == SQLITE_ROW ? 0 : st_db__err(&s->d, rc, "counting the journal");
}

int st_journal_by_folder(st_store *s, st_journal_folder_count **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT ifnull(j.folder_id, 0), sum(j.state <> 2), sum(j.state = 2),"
        " sum(CASE WHEN j.state <> 2 AND j.kind = 0 AND j.op IN (1, 2)"
        " THEN ifnull(m.size, 0) ELSE 0 END)"
        " FROM journal j LEFT JOIN messages m ON j.kind = 0 AND m.id = j.obj_id"
        " GROUP BY 1 ORDER BY 1");
    if (!st)
        return ST_ERROR;
    st_journal_folder_count *c = NULL;
    size_t cnt = 0, cap = 0;
    int rc, code = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        st_journal_folder_count *q = st_grow(c, &cap, cnt, sizeof *c, 16);
        if (!q) {
            code = ST_ERROR;
            break;
        }
        c = q;
        c[cnt++] = (st_journal_folder_count){
            .folder = (st_id)sqlite3_column_int64(st, 0),
            .pending = (uint64_t)sqlite3_column_int64(st, 1),
            .refused = (uint64_t)sqlite3_column_int64(st, 2),
            .bytes = (uint64_t)sqlite3_column_int64(st, 3),
        };
    }
    st_db__done(st);
    if (!code && rc != SQLITE_DONE)
        code = st_db__err(&s->d, rc, "counting the journal");
    if (code) {
        free(c);
        return code;
    }
    *out = c;
    *n = cnt;
    return 0;
}

void st_journal_entries_free(st_journal_entry *e, size_t n)
{
    if (!e)
        return;
    for (size_t i = 0; i < n; i++) {
        free(e[i].href);
        free(e[i].base_etag);
        free(e[i].reason);
    }
    free(e);
}
