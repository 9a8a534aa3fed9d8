/*
 * search.c: search folders. A search folder is a folders row with a
 * searches row (criteria as [MS-OXCDATA] 2.12 bytes, ST_SEARCH_* flags,
 * result counts), its scope (search_scope) and its materialised results
 * (search_results: (search folder, message), as Exchange keeps them).
 *
 * Keeping results exact: every change of a message queues an event in its
 * transaction (store.c); just before the outermost COMMIT,
 * st_search__precommit re-evaluates the messages those events name, for the
 * search folders whose scope holds the message's folder (directly, or
 * through an ancestor for a recursive search) and for those that hold it
 * now, and adds, drops or touches result rows, raising ST_EV_CREATED /
 * DELETED / MODIFIED with folder = the search folder. A deleted message
 * leaves every result by cascade (st_search__on_delete raises the events
 * first); the counts follow from triggers (schema.c, v3). A moved folder
 * changes what recursive scopes hold: their results are recomputed for the
 * messages below it only. Lost events (ev_oom) refill every active search.
 * The criteria are turned into SQL by the table code (st_table__res_sql:
 * what SQL cannot decide is st_res_eval'd per row).
 *
 * Invariant: results, counts and criteria change only inside the
 * transaction of the change that moves them: a killed process leaves them
 * as exact as the messages (kill safety is the transaction's).
 * Never: let a search folder hold messages of its own, or evaluate criteria
 * for a search folder whose scope does not hold the message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/log.h"
#include "storage/props_rescodec.h"
#include "storage/table_int.h"

/* Row events one refill queues at most; above, listeners get one
 * ST_EV_EXTERNAL ("reload") instead (a table queue reloads well before). */
#define FILL_EVENTS_MAX 10000

/* ---- small queries ---- */

int st_search__is(st_store *s, st_id fid)
{
    int64_t v = 0;
    int code = st_db__one_int(&s->d, &v, "SELECT 1 FROM searches WHERE folder_id = ?",
        (int64_t)fid, "reading a search folder");
    if (code == ST_ENOTFOUND)
        return 0;
    return code ? code : 1;
}

int st_search__refuse(st_store *s, st_id fid)
{
    int code = st_search__is(s, fid);
    if (code == 1) {
        st_error_set("%s: folder %llu is a search folder: it holds no messages of its own",
            s->d.path, (unsigned long long)fid);
        return ST_ERROR;
    }
    return code;
}

int st_search__created(st_store *s, st_id fid)
{
    return st_db__run_int(&s->d, "INSERT INTO searches(folder_id) VALUES (?)", (int64_t)fid,
        "making a search folder");
}

static int fns_ready(st_store *s)
{
    if (s->search_fns)
        return 0;
    int code = st_table__register(s);
    if (!code)
        s->search_fns = 1;
    return code;
}

/* Queues one event per id for search folder sid. */
static void events(st_store *s, int type, st_id sid, const st_id *ids, size_t n, unsigned flags)
{
    for (size_t i = 0; i < n; i++)
        st_store__event(s, type, ST_JKIND_MESSAGE, ids[i], sid, 0, 0, flags);
}

int st_search__on_delete(st_store *s, st_id mid)
{
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT search_id FROM search_results WHERE message_id = ?");
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
    st_id *sids = NULL;
    size_t n = 0;
    int code = st_db__ids(&s->d, &sids, &n, st, "reading search results");
    for (size_t i = 0; !code && i < n; i++)
        st_store__event(s, ST_EV_DELETED, ST_JKIND_MESSAGE, mid, sids[i], 0, 0, 0);
    free(sids);
    return code;
}

/* ---- compiled criteria ---- */

typedef struct srch {
    st_id sid;            /* the search folder */
    unsigned flags;       /* ST_SEARCH_* */
    st_restriction *r;    /* decoded criteria (owned); q.eval borrows it */
    st_tsql q;            /* the criteria as SQL (q.where) + evaluator slots */
    sqlite3_stmt *one;    /* "does message ?1 match" (owned), or NULL */
} srch;

static void srch_free(srch *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->one);
    st_tsql__clear(&c->q);
    st_res_free(c->r);
    free(c);
}

/* Loads search sid: *out NULL (and 0) when it has no criteria yet.
 * fts_cap as st_tsql's: 0 lets the trigram index drive a fill, 1 keeps a
 * one-message test from consulting it. */
static int srch_load(st_store *s, srch **out, st_id sid, uint32_t fts_cap)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    int code = st_db__row_int(&s->d, &st,
        "SELECT flags, criteria FROM searches WHERE folder_id = ?", (int64_t)sid,
        "reading search criteria");
    if (code == ST_ENOTFOUND)
        return st_store__notfound(s, "search folder", sid);
    if (code)
        return code;
    srch *c = calloc(1, sizeof *c);
    if (!c) {
        st_db__done(st);
        st_error_set("search: out of memory");
        return ST_ERROR;
    }
    c->sid = sid;
    c->flags = (unsigned)sqlite3_column_int(st, 0);
    if (sqlite3_column_type(st, 1) == SQLITE_BLOB &&
            st_res_decode(&c->r, sqlite3_column_blob(st, 1),
                (size_t)sqlite3_column_bytes(st, 1))) {
        st_error_set("%s: search folder %llu: criteria: %s", s->d.path,
            (unsigned long long)sid, st_error_last());
        code = ST_ECORRUPT;
    }
    st_db__done(st);
    if (!code && !c->r) {
        srch_free(c);
        return 0;
    }
    if (!code)
        code = fns_ready(s);
    if (!code) {
        c->q.fts_cap = fts_cap;
        c->q.where = st_table__res_sql(&c->q, s, c->r);
        if (!c->q.where) {
            st_error_set("search: criteria too large or out of memory");
            code = ST_ERROR;
        }
    }
    if (code) {
        srch_free(c);
        return code;
    }
    *out = c;
    return 0;
}

/* srch_load for keeping results up to date: a search whose criteria cannot
 * be read any more (a damaged file) is logged and left as it is (*out
 * NULL), so that it never blocks the change being committed. */
static int srch_load_kept(st_store *s, srch **out, st_id sid, uint32_t fts_cap)
{
    int code = srch_load(s, out, sid, fts_cap);
    if (code == ST_ECORRUPT) {
        ST_LOG_WARN(ST_LOG_STORAGE, "%s (its results are no longer kept up to date)",
            st_error_last());
        *out = NULL;
        code = 0;
    }
    return code;
}

/* 1 when message mid matches c, 0 when not, or an error. */
static int srch_match(st_store *s, srch *c, st_id mid)
{
    if (!c->one) {
        st_tstr b = { 0 };
        st_tstr__add(&b, "SELECT 1 FROM messages WHERE id = ?1 AND (%s)", c->q.where);
        int rc = b.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(s->d.db, b.p, -1, &c->one, NULL);
        free(b.p);
        if (rc != SQLITE_OK)
            return st_db__err(&s->d, rc, "preparing search criteria");
        st_tsql__bind_eval(&c->q, c->one);
    }
    sqlite3_bind_int64(c->one, 1, (sqlite3_int64)mid);
    int rc = sqlite3_step(c->one);
    sqlite3_reset(c->one);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return st_db__err(&s->d, rc, "evaluating search criteria");
}

/* ---- refill: the results computed afresh, the differences applied ---- */

/* Runs a cached statement with ?1 = sid, ?2 = mid, ?3 = v. */
static int pair_run(st_store *s, const char *sql, st_id sid, st_id mid, int v)
{
    sqlite3_stmt *st = st_db__prep(&s->d, sql);
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)sid);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)mid);
    if (sqlite3_bind_parameter_count(st) >= 3)
        sqlite3_bind_int(st, 3, v);
    return st_db__step_done(&s->d, st, "updating search results");
}


/* Runs dynamic SQL with ?1 = sid and c's evaluator slots. */
static int run_sql(st_store *s, const srch *c, const char *sql, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->d.db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)c->sid);
        st_tsql__bind_eval(&c->q, st);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : st_db__err(&s->d, rc, what);
}

/* Ids of a cached query with ?1 = sid. */
static int sid_ids(st_store *s, st_id **out, size_t *n, const char *sql, st_id sid)
{
    sqlite3_stmt *st = st_db__prep(&s->d, sql);
    if (!st)
        return ST_ERROR;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)sid);
    return st_db__ids(&s->d, out, n, st, "reading search results");
}

/* Recomputes the results of c (sub_root 0: all of them; else only those in
 * the folder sub_root and below, after it moved) and applies the
 * differences with their events. */
static int refill(st_store *s, srch *c, st_id sub_root)
{
    int code = st_db__exec(&s->d, "CREATE TEMP TABLE IF NOT EXISTS st_search_new("
        "id INTEGER PRIMARY KEY); DELETE FROM temp.st_search_new;"
        "CREATE TEMP TABLE IF NOT EXISTS st_search_sub(id INTEGER PRIMARY KEY);"
        "DELETE FROM temp.st_search_sub;");
    if (!code && sub_root)
        code = st_db__run_int(&s->d, "INSERT INTO temp.st_search_sub(id) WITH RECURSIVE"
            " sub(id) AS (SELECT ?1 UNION SELECT f.id FROM folders f JOIN sub"
            " ON f.parent_id = sub.id) SELECT id FROM sub", (int64_t)sub_root,
            "listing a moved folder's subtree");
    if (code)
        return code;
    st_tstr b = { 0 };
    st_tstr__add(&b, "INSERT INTO temp.st_search_new(id) WITH RECURSIVE sc(id) AS ("
        "SELECT folder_id FROM search_scope WHERE search_id = ?1");
    if (c->flags & ST_SEARCH_RECURSIVE)
        st_tstr__add(&b, " UNION SELECT f.id FROM folders f JOIN sc ON f.parent_id = sc.id");
    st_tstr__add(&b, ") SELECT id FROM messages WHERE folder_id IN sc%s AND assoc = 0 AND (%s)",
        sub_root ? " AND folder_id IN temp.st_search_sub" : "", c->q.where);
    if (b.oom) {
        free(b.p);
        st_error_set("search: out of memory");
        return ST_ERROR;
    }
    code = run_sql(s, c, b.p, "filling a search folder");
    free(b.p);
    st_id *gone = NULL, *added = NULL;
    size_t n_gone = 0, n_added = 0;
    if (!code && sub_root)
        code = sid_ids(s, &gone, &n_gone, "SELECT r.message_id FROM search_results r"
            " JOIN messages m ON m.id = r.message_id WHERE r.search_id = ?1"
            " AND m.folder_id IN temp.st_search_sub"
            " AND r.message_id NOT IN temp.st_search_new", c->sid);
    else if (!code)
        code = sid_ids(s, &gone, &n_gone, "SELECT message_id FROM search_results"
            " WHERE search_id = ?1 AND message_id NOT IN temp.st_search_new", c->sid);
    if (!code)
        code = sid_ids(s, &added, &n_added, "SELECT id FROM temp.st_search_new WHERE id NOT IN"
            " (SELECT message_id FROM search_results WHERE search_id = ?1)", c->sid);
    for (size_t i = 0; !code && i < n_gone; i++)
        code = pair_run(s, "DELETE FROM search_results WHERE search_id = ?1"
            " AND message_id = ?2", c->sid, gone[i], 0);
    if (!code)
        code = st_db__run_int(&s->d, "INSERT OR IGNORE INTO search_results(search_id,"
            " message_id, unread) SELECT ?1, m.id, (m.flags & 1) = 0 FROM temp.st_search_new n"
            " JOIN messages m ON m.id = n.id", (int64_t)c->sid, "updating search results");
    if (!code && n_gone + n_added > FILL_EVENTS_MAX) {
        s->ev_oom = 1;   /* published as one ST_EV_EXTERNAL: reload */
        s->search_bulk = 1;
    } else if (!code) {
        events(s, ST_EV_DELETED, c->sid, gone, n_gone, 0);
        events(s, ST_EV_CREATED, c->sid, added, n_added, 0);
    }
    free(gone);
    free(added);
    if (!code)
        code = st_db__exec(&s->d, "DELETE FROM temp.st_search_new;"
            " DELETE FROM temp.st_search_sub;");
    return code;
}

/* Refills every active search; with sub_root, only the recursive ones and
 * only below sub_root (a folder moved: what their scopes hold changed). */
static int refill_all(st_store *s, st_id sub_root)
{
    st_id *sids = NULL;
    size_t n = 0;
    int code = sid_ids(s, &sids, &n, "SELECT folder_id FROM searches WHERE criteria IS NOT NULL"
        " AND (flags & 2) = 0 AND (flags & ?1) = ?1", sub_root ? ST_SEARCH_RECURSIVE : 0);
    for (size_t i = 0; !code && i < n; i++) {
        srch *c = NULL;
        code = srch_load_kept(s, &c, sids[i], 0);
        if (!code && c)
            code = refill(s, c, sub_root);
        srch_free(c);
    }
    free(sids);
    return code;
}

/* ---- the API ---- */

static int check_scope(st_store *s, const st_id *scope, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int code = st_folder__exists(s, scope[i]);
        if (!code && st_search__is(s, scope[i]) == 1) {
            st_error_set("%s: folder %llu is a search folder: it cannot be searched",
                s->d.path, (unsigned long long)scope[i]);
            code = ST_ERROR;
        }
        if (code)
            return code;
    }
    return 0;
}

static int not_search(st_store *s, st_id fid)
{
    int code = st_folder__exists(s, fid);
    if (code)
        return code;
    st_error_set("%s: folder %llu is not a search folder", s->d.path, (unsigned long long)fid);
    return ST_ERROR;
}

int st_search_set(st_store *s, st_id fid, const st_restriction *r, const st_id *scope,
    size_t n, unsigned flags)
{
    uint8_t *blob = NULL;
    size_t len = 0;
    if (r && st_res_check(r)) {
        st_error_set("search criteria: a restriction that cannot be evaluated (too complex)");
        return ST_ERROR;
    }
    if (r && st_res_encode(&blob, &len, r))
        return ST_ERROR;
    if (n && !scope) {
        free(blob);
        st_error_set("search criteria: no scope folders given");
        return ST_ERROR;
    }
    int code = st_store__begin(s);
    if (code) {
        free(blob);
        return code;
    }
    code = st_search__is(s, fid);
    if (code == 0)
        code = not_search(s, fid);
    else if (code == 1)
        code = check_scope(s, scope, n);
    if (!code) {
        sqlite3_stmt *st = st_db__prep(&s->d, "UPDATE searches SET flags = ?2,"
            " criteria = ifnull(?3, criteria) WHERE folder_id = ?1");
        if (!st)
            code = ST_ERROR;
        else {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)fid);
            sqlite3_bind_int(st, 2, (int)(flags & (ST_SEARCH_RECURSIVE | ST_SEARCH_STOPPED)));
            if (blob)
                sqlite3_bind_blob(st, 3, blob, (int)len, SQLITE_TRANSIENT);
            code = st_db__step_done(&s->d, st, "setting search criteria");
        }
    }
    if (!code && n)
        code = st_db__run_int(&s->d, "DELETE FROM search_scope WHERE search_id = ?",
            (int64_t)fid, "setting the search scope");
    for (size_t i = 0; !code && i < n; i++) {
        sqlite3_stmt *st = st_db__prep(&s->d,
            "INSERT OR IGNORE INTO search_scope(search_id, folder_id) VALUES (?, ?)");
        if (!st) {
            code = ST_ERROR;
            break;
        }
        sqlite3_bind_int64(st, 1, (sqlite3_int64)fid);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)scope[i]);
        code = st_db__step_done(&s->d, st, "setting the search scope");
    }
    srch *c = NULL;
    if (!code)
        code = srch_load(s, &c, fid, 0);
    if (!code && !c) {
        st_error_set("%s: search folder %llu: no criteria given yet", s->d.path,
            (unsigned long long)fid);
        code = ST_ERROR;
    }
    if (!code && !(flags & ST_SEARCH_STOPPED))
        code = refill(s, c, 0);
    srch_free(c);
    if (!code) {
        st_id parent = 0;
        code = st_folder_parent(s, &parent, fid);
        if (!code)
            st_store__event(s, ST_EV_MODIFIED, ST_JKIND_FOLDER, fid, parent, 0, 0, 0);
    }
    free(blob);
    return st_store__end(s, code);
}

int st_search_get(st_store *s, st_id fid, st_restriction **r, st_id **scope, size_t *n,
    unsigned *flags)
{
    if (r)
        *r = NULL;
    if (scope)
        *scope = NULL;
    if (n)
        *n = 0;
    if (flags)
        *flags = 0;
    sqlite3_stmt *st = NULL;
    int code = st_db__row_int(&s->d, &st,
        "SELECT flags, criteria FROM searches WHERE folder_id = ?", (int64_t)fid,
        "reading search criteria");
    if (code == ST_ENOTFOUND) {
        code = not_search(s, fid);
        if (code == ST_ERROR)
            code = ST_ENOTFOUND;
        return code;
    }
    if (code)
        return code;
    st_restriction *res = NULL;
    unsigned fl = (unsigned)sqlite3_column_int(st, 0);
    if (r && sqlite3_column_type(st, 1) == SQLITE_BLOB &&
            st_res_decode(&res, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1))) {
        st_error_set("%s: search folder %llu: criteria: %s", s->d.path,
            (unsigned long long)fid, st_error_last());
        code = ST_ECORRUPT;
    }
    st_db__done(st);
    st_id *ids = NULL;
    size_t k = 0;
    if (!code && (scope || n))
        code = sid_ids(s, &ids, &k, "SELECT folder_id FROM search_scope WHERE search_id = ?1"
            " ORDER BY folder_id", fid);
    if (code) {
        st_res_free(res);
        return code;
    }
    if (r)
        *r = res;
    if (scope)
        *scope = ids;
    else
        free(ids);
    if (n)
        *n = k;
    if (flags)
        *flags = fl;
    return 0;
}

/* ---- keeping results exact: the pre-commit pass ---- */

/* The active searches whose scope holds folder fid (cached per folder for
 * one pass). */
typedef struct fscope {
    st_id fid;            /* a message folder */
    st_id *sids;          /* active searches covering it (malloc'd) */
    size_t n;             /* in sids */
} fscope;

typedef struct pass {
    st_store *s;
    fscope *fs;           /* folders looked up so far */
    size_t n_fs, cap_fs;  /* used / allocated */
    srch **cs;            /* searches compiled so far */
    size_t n_cs, cap_cs;  /* used / allocated */
} pass;

static void pass_free(pass *p)
{
    for (size_t i = 0; i < p->n_fs; i++)
        free(p->fs[i].sids);
    free(p->fs);
    for (size_t i = 0; i < p->n_cs; i++)
        srch_free(p->cs[i]);
    free(p->cs);
}

static int covering(pass *p, const fscope **out, st_id fid)
{
    for (size_t i = 0; i < p->n_fs; i++)
        if (p->fs[i].fid == fid) {
            *out = &p->fs[i];
            return 0;
        }
    fscope *fs = st_grow(p->fs, &p->cap_fs, p->n_fs, sizeof *fs, 8);
    if (!fs)
        return ST_ERROR;
    p->fs = fs;
    fscope *f = &fs[p->n_fs];
    memset(f, 0, sizeof *f);
    f->fid = fid;
    /* The folder and its ancestors (depth-bounded: a loop in a damaged file
     * cannot spin), joined to the scopes naming them. */
    int code = sid_ids(p->s, &f->sids, &f->n,
        "WITH RECURSIVE anc(id, d) AS (SELECT ?1, 0 UNION ALL SELECT f.parent_id, anc.d + 1"
        " FROM folders f JOIN anc ON f.id = anc.id WHERE f.parent_id IS NOT NULL"
        " AND anc.d < 256)"
        " SELECT DISTINCT sc.search_id FROM anc JOIN search_scope sc ON sc.folder_id = anc.id"
        " JOIN searches s ON s.folder_id = sc.search_id WHERE s.criteria IS NOT NULL"
        " AND (s.flags & 2) = 0 AND (anc.d = 0 OR (s.flags & 1) <> 0)", fid);
    if (code)
        return code;
    p->n_fs++;
    *out = f;
    return 0;
}

static int compiled(pass *p, srch **out, st_id sid)
{
    for (size_t i = 0; i < p->n_cs; i++)
        if (p->cs[i]->sid == sid) {
            *out = p->cs[i];
            return 0;
        }
    srch **cs = st_grow(p->cs, &p->cap_cs, p->n_cs, sizeof *cs, 4);
    if (!cs)
        return ST_ERROR;
    p->cs = cs;
    int code = srch_load_kept(p->s, out, sid, 1);
    if (!code && *out)
        cs[p->n_cs++] = *out;
    return code;
}

static int has(const st_id *ids, size_t n, st_id id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* Re-evaluates message mid for the searches covering its folder and those
 * holding it; flags: the change's (ST_FROM_SERVER or not). fresh: the
 * message was created in this transaction and not changed since (a bulk
 * import's common case): no result can hold it unless a refill of this
 * transaction added it, and then it matched, so the lookup of what holds it
 * is skipped and an insert that finds the row there already is a MODIFIED. */
static int update_one(pass *p, st_id mid, unsigned flags, int fresh)
{
    st_store *s = p->s;
    sqlite3_stmt *st = NULL;
    int code = st_db__row_int(&s->d, &st, "SELECT folder_id, assoc, (flags & 1) = 0"
        " FROM messages WHERE id = ?", (int64_t)mid, "reading a message");
    if (code == ST_ENOTFOUND)
        return 0;   /* gone since: st_search__on_delete raised its events */
    if (code)
        return code;
    int top = sqlite3_column_type(st, 0) != SQLITE_NULL && !sqlite3_column_int(st, 1);
    st_id fid = (st_id)sqlite3_column_int64(st, 0);
    int unread = sqlite3_column_int(st, 2);
    st_db__done(st);
    if (!top)
        return 0;
    const fscope *f = NULL;
    st_id *held = NULL;
    size_t n_held = 0;
    code = covering(p, &f, fid);
    if (!code && !fresh) {
        st = st_db__prep(&s->d, "SELECT search_id FROM search_results WHERE message_id = ?");
        if (!st)
            code = ST_ERROR;
        else {
            sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
            code = st_db__ids(&s->d, &held, &n_held, st, "reading search results");
        }
    }
    /* The searches covering the folder: evaluate. */
    for (size_t i = 0; !code && i < f->n; i++) {
        st_id sid = f->sids[i];
        srch *c = NULL;
        code = compiled(p, &c, sid);
        int m = code || !c ? 0 : srch_match(s, c, mid);
        if (m < 0)
            code = m;
        if (code)
            break;
        int h = has(held, n_held, sid);
        if (m && !h)
            code = pair_run(s, "INSERT OR IGNORE INTO search_results(search_id, message_id,"
                " unread) VALUES (?1, ?2, ?3)", sid, mid, unread);
        if (m && !h && !code && fresh && sqlite3_changes(s->d.db) == 0)
            h = 1;   /* a refill of this transaction found it first */
        else if (!m && h)
            code = pair_run(s, "DELETE FROM search_results WHERE search_id = ?1"
                " AND message_id = ?2", sid, mid, 0);
        if (!code && (m || h))
            st_store__event(s, m && h ? ST_EV_MODIFIED : m ? ST_EV_CREATED : ST_EV_DELETED,
                ST_JKIND_MESSAGE, mid, sid, 0, 0, flags);
    }
    /* Searches holding it that do not cover its folder (any more): a
     * stopped one keeps it (frozen), an active one lets it go. */
    for (size_t i = 0; !code && f && i < n_held; i++) {
        st_id sid = held[i];
        if (has(f->sids, f->n, sid))
            continue;
        int64_t fl = 0;
        code = st_db__one_int(&s->d, &fl, "SELECT flags FROM searches WHERE folder_id = ?",
            (int64_t)sid, "reading a search folder");
        if (code)
            break;
        if (!(fl & ST_SEARCH_STOPPED))
            code = pair_run(s, "DELETE FROM search_results WHERE search_id = ?1"
                " AND message_id = ?2", sid, mid, 0);
        if (!code)
            st_store__event(s, (fl & ST_SEARCH_STOPPED) ? ST_EV_MODIFIED : ST_EV_DELETED,
                ST_JKIND_MESSAGE, mid, sid, 0, 0, flags);
    }
    free(held);
    return code;
}

typedef struct touched {
    st_id id;             /* a message an event named */
    unsigned flags;       /* ST_FROM_SERVER when that change was the server's */
    int created;          /* the event was ST_EV_CREATED */
} touched;

static int cmp_touched(const void *a, const void *b)
{
    st_id x = ((const touched *)a)->id, y = ((const touched *)b)->id;
    return x < y ? -1 : x > y;
}

int st_search__precommit(st_store *s)
{
    int bulk = s->search_bulk;
    s->search_bulk = 0;
    if (!s->n_ev && !s->ev_oom)
        return 0;
    int64_t any = 0;
    sqlite3_stmt *st = st_db__prep(&s->d,
        "SELECT EXISTS (SELECT 1 FROM searches WHERE criteria IS NOT NULL)");
    if (!st)
        return ST_ERROR;
    int code = st_db__one(&s->d, &any, st, "reading search folders");
    if (code || !any)
        return code;
    /* What changed: messages (created, modified, moved, read) and folder
     * moves (which change what a recursive scope holds). Our own events are
     * appended after n. */
    st_id *sfs = NULL;
    size_t n_sfs = 0;
    code = sid_ids(s, &sfs, &n_sfs, "SELECT folder_id FROM searches", 0);
    if (code)
        return code;
    size_t n = s->n_ev, k = 0, n_moved = 0;
    touched *ts = n ? malloc(n * sizeof *ts) : NULL;
    if (n && !ts) {
        free(sfs);
        st_error_set("search: out of memory");
        return ST_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        const st_event *e = &s->ev[i];
        if (e->kind == ST_JKIND_FOLDER && e->type == ST_EV_MOVED && !has(sfs, n_sfs, e->id))
            n_moved++;
        if (e->kind == ST_JKIND_MESSAGE && !e->associated && (e->type == ST_EV_CREATED ||
                e->type == ST_EV_MODIFIED || e->type == ST_EV_MOVED) &&
                !has(sfs, n_sfs, e->folder)) {   /* not a result event of ours */
            ts[k].id = e->id;
            ts[k].created = e->type == ST_EV_CREATED;
            ts[k++].flags = e->from_server ? ST_FROM_SERVER : 0;
        }
    }
    if (k > 1)
        qsort(ts, k, sizeof *ts, cmp_touched);
    if (s->ev_oom && !bulk)
        code = refill_all(s, 0);   /* events were lost: recompute everything */
    for (size_t i = 0; !code && n_moved && !(s->ev_oom && !bulk) && i < n; i++) {
        st_event e = s->ev[i];   /* a copy: refills queue events (s->ev may move) */
        if (e.kind == ST_JKIND_FOLDER && e.type == ST_EV_MOVED && !has(sfs, n_sfs, e.id))
            code = refill_all(s, e.id);
    }
    pass p = { .s = s };
    for (size_t i = 0; !code && i < k;) {
        size_t j = i;
        int fresh = 1;
        for (; j < k && ts[j].id == ts[i].id; j++)
            fresh &= ts[j].created;
        code = update_one(&p, ts[i].id, ts[i].flags, fresh);
        i = j;
    }
    pass_free(&p);
    free(ts);
    free(sfs);
    return code;
}
