/*
 * engine.c: the sync thread and its state machine (engine.h).
 *
 * One thread per engine. It owns the ds_sync (its store handle), a catalog
 * handle of its own and drives the HTTP client the engine made; other
 * threads only post requests (under e->lock, then signal e->wake) or
 * ds_http_abort that client. A store listener posts a request for every
 * local change committed by another thread: it runs on the committing
 * thread with the store's bus mutex held, so it only takes e->lock for a
 * moment and signals.
 *
 * Invariants: lock order is the bus mutex, then e->lock; the engine thread
 * never holds e->lock while it calls storage or the network, and nobody
 * holds it for more than a copy. A pass is never killed: stop and offline
 * abort the HTTP client, and the pass unwinds through storage calls whose
 * transactions are atomic. Whatever the engine thread alone touches lives
 * in `runner` (on its stack), not in ds_engine.
 * Never: block a caller on the network; write the catalog under the lock;
 * retry after an authentication or certificate refusal without being asked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/engine.h"
#include "davsync/http_error.h"
#include "davsync/sync_int.h"
#include "storage/error.h"
#include "storage/log.h"
#include "storage/os.h"
#include "storage/strutil.h"

#define POLL_MS 2000u           /* idle: look for other processes' commits this often */
#define INDEX_SLICE_MS 100u     /* idle: search-index work per slice */

struct ds_engine {
    /* set by ds_engine_start, read-only afterwards */
    ds_sync_config scfg;        /* copied strings below; http = e->http */
    char *mail_url, *user, *password, *ca_file, *store_path, *catalog_path;
    ds_sync_progress_fn user_progress;  /* the caller's callback, or NULL */
    void *user_progress_arg;
    uint64_t interval_ms;       /* timer */
    unsigned backoff_min_ms, backoff_max_ms;
    ds_http *http;              /* owned; driven by the engine thread only */
    st_thread *thread;
    uint64_t tid;               /* the engine thread's id, set before its listener */

    st_mutex lock;              /* guards everything below */
    st_cond wake;               /* the engine thread waits here */
    st_cond passed;             /* ds_engine_wait_pass waits here */
    /* requests */
    int stop;                   /* ds_engine_stop was called */
    int online;                 /* 0: offline by choice */
    int force;                  /* sync now / back online: no backoff, refusals forgiven */
    int external;               /* another process committed: look at the journal */
    uint64_t req_seq;           /* wake requests posted (ds_engine_start posts one) */
    uint64_t taken_req;         /* req_seq when the running or last pass began */
    uint64_t ended_req;         /* taken_req of the last pass that ended */
    uint64_t ended;             /* passes ended, whatever their outcome (tries) */
    st_id priority;             /* folder first in the next down pass, 0: none */
    /* status */
    ds_state state;
    char *current;              /* folder being synced, or NULL */
    ds_folder_status *folders;  /* n_folders; list order of the last pass */
    size_t n_folders;
    uint64_t last_success;      /* FILETIME */
    int last_code;
    char *last_error;
    uint64_t next_try_at;       /* DISCONNECTED: st_os_time_ms() of the next try; 0: none */
    uint64_t passes;            /* complete passes */
    ds_sync_counts totals;      /* copy of runner.totals */
};

/* What only the engine thread touches. */
typedef struct runner {
    ds_engine *e;
    ds_sync *s;                 /* opened on the first pass */
    st_catalog *cat;            /* or NULL */
    uint64_t token;             /* store listener, 0: none */
    st_id cur_fid;              /* folder being synced (progress) */
    int blocked;                /* credentials or certificate refused */
    unsigned backoff_ms;        /* last backoff, 0 after a success */
    uint64_t next_timer;        /* st_os_time_ms() of the next timer pass */
    uint64_t rng;               /* jitter */
    int index_left;             /* search-index work may be queued */
    int open_failed;            /* the store did not open outside a pass; retried by one */
    uint64_t counted_req;       /* req_seq when up_items were last counted */
    ds_sync_counts totals;      /* summed since start; handed to every ds_sync call */
    /* what the catalog holds */
    int saved_state;            /* -1: nothing written yet */
    uint64_t saved_success;
    char *saved_error;
} runner;

const char *ds_state_name(ds_state st)
{
    static const char *const names[] = {
        "starting", "idle", "syncing", "offline", "disconnected", "auth-failed", "stopped"
    };
    return (unsigned)st < sizeof names / sizeof names[0] ? names[st] : "?";
}

static void folders_free(ds_folder_status *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].name);
    free(f);
}

void ds_status_clear(ds_status *st)
{
    if (!st)
        return;
    free(st->current_folder);
    free(st->last_error);
    folders_free(st->folders, st->n_folders);
    memset(st, 0, sizeof *st);
}

/* ---- requests (any thread) ------------------------------------------------ */

/* Under e->lock. */
static void post_locked(ds_engine *e)
{
    e->req_seq++;
    st_cond_signal(&e->wake);
}

void ds_engine_wake(ds_engine *e)
{
    st_mutex_lock(&e->lock);
    post_locked(e);
    st_mutex_unlock(&e->lock);
}

void ds_engine_sync_now(ds_engine *e)
{
    st_mutex_lock(&e->lock);
    e->force = 1;
    post_locked(e);
    st_mutex_unlock(&e->lock);
}

void ds_engine_set_online(ds_engine *e, int online)
{
    int abort_now = 0;
    st_mutex_lock(&e->lock);
    if (online && (!e->online || e->state == DS_STATE_AUTH_FAILED
            || e->state == DS_STATE_DISCONNECTED)) {
        /* Going online, or "online" said again while refused or retrying:
         * a pass at once. */
        e->online = 1;
        e->force = 1;
        post_locked(e);
    } else if (!online && e->online) {
        e->online = 0;
        if (e->state != DS_STATE_STOPPED)
            e->state = DS_STATE_OFFLINE;
        e->next_try_at = 0;
        st_cond_signal(&e->wake);
        abort_now = 1;
    }
    st_mutex_unlock(&e->lock);
    /* A stale abort (no pass running) is drained at the next pass start. */
    if (abort_now)
        ds_http_abort(e->http);
}

void ds_engine_set_priority(ds_engine *e, st_id fid)
{
    st_mutex_lock(&e->lock);
    e->priority = fid;
    st_mutex_unlock(&e->lock);
}

/* The store listener: runs on the committing thread with the bus mutex
 * held. Only signals. The engine's own writes are the server's state (or
 * the up-sync's bookkeeping) and never wake it. */
static void on_events(void *ctx, const st_event *ev, size_t n)
{
    ds_engine *e = ctx;
    int local = 0, external = 0;
    int own = st_os_thread_id() == e->tid;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].type == ST_EV_EXTERNAL)
            external = 1;
        else if (!ev[i].from_server && !own)
            local = 1;
    }
    if (!local && !external)
        return;
    st_mutex_lock(&e->lock);
    if (external)
        e->external = 1;
    if (local)
        e->req_seq++;
    st_cond_signal(&e->wake);
    st_mutex_unlock(&e->lock);
}

/* ---- status -------------------------------------------------------------- */

static int dup_or_null(char **out, const char *s)
{
    *out = NULL;
    if (s && !(*out = st_strdup(s))) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    return 0;
}

int ds_engine_status(ds_engine *e, ds_status *out)
{
    memset(out, 0, sizeof *out);
    uint64_t now = st_os_time_ms();
    int code = 0;
    st_mutex_lock(&e->lock);
    out->state = e->state;
    out->last_success = e->last_success;
    out->last_code = e->last_code;
    out->next_try_ms = e->next_try_at > now ? e->next_try_at - now : 0;
    out->passes = e->passes;
    out->tries = e->ended;
    out->totals = e->totals;
    code = dup_or_null(&out->current_folder, e->current);
    if (!code)
        code = dup_or_null(&out->last_error, e->last_error);
    if (!code && e->n_folders) {
        out->folders = calloc(e->n_folders, sizeof *out->folders);
        if (!out->folders) {
            st_error_set("out of memory");
            code = ST_ERROR;
        }
    }
    for (size_t i = 0; !code && i < e->n_folders; i++) {
        const ds_folder_status *f = &e->folders[i];
        out->folders[i] = *f;
        out->folders[i].name = NULL;
        out->n_folders = i + 1;
        code = dup_or_null(&out->folders[i].name, f->name);
        out->down_items += f->down_items;
        out->down_bytes += f->down_bytes;
        out->up_items += f->up_items;
    }
    st_mutex_unlock(&e->lock);
    if (code)
        ds_status_clear(out);
    return code;
}

int ds_engine_wait_pass(ds_engine *e, unsigned timeout_ms)
{
    uint64_t end = timeout_ms ? st_os_time_ms() + timeout_ms : 0;
    int code = 0;
    st_mutex_lock(&e->lock);
    /* Covered: the last pass that ended took every request up to req. */
    uint64_t req = e->req_seq;
    while (e->ended_req < req) {
        if (e->stop) {
            code = DS_ECANCELLED;
            break;
        }
        unsigned wait = ST_WAIT_FOREVER;
        if (end) {
            uint64_t now = st_os_time_ms();
            if (now >= end) {
                code = DS_ETIMEOUT;
                break;
            }
            wait = (unsigned)(end - now);
        }
        st_cond_wait(&e->passed, &e->lock, wait);
    }
    st_mutex_unlock(&e->lock);
    return code;
}

/* ---- the engine thread: bookkeeping ---------------------------------------- */

/* Writes state, last success and last error to the catalog when they
 * changed since the last write. Outside the lock. */
static void persist(runner *r)
{
    ds_engine *e = r->e;
    if (!r->cat)
        return;
    st_mutex_lock(&e->lock);
    int state = (int)e->state;
    uint64_t success = e->last_success;
    int err_changed = (e->last_error == NULL) != (r->saved_error == NULL)
        || (e->last_error && strcmp(e->last_error, r->saved_error) != 0);
    char *err = NULL;
    int oom = err_changed && dup_or_null(&err, e->last_error) != 0;
    st_mutex_unlock(&e->lock);
    if (oom)
        return;
    /* What was tried counts as written: a catalog that refuses is logged,
     * not retried in a loop. */
    int code = 0;
    if (state != r->saved_state) {
        code = st_catalog_setting_set(r->cat, "sync.state", ds_state_name((ds_state)state));
        r->saved_state = state;
    }
    if (!code && success != r->saved_success) {
        char buf[32];
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)success);
        code = st_catalog_setting_set(r->cat, "sync.last_success", buf);
        r->saved_success = success;
    }
    if (!code && err_changed) {
        code = st_catalog_setting_set(r->cat, "sync.last_error", err);
        free(r->saved_error);
        r->saved_error = err;
        err = NULL;
    }
    free(err);
    if (code)
        ST_LOG_WARN(ST_LOG_DAVSYNC, "engine: cannot record the sync state in the catalog: %s",
            st_error_last());
}

/* Journal entries still to go up, per folder (the message's folder or move
 * destination, a folder's parent; st_journal_by_folder). Adds rows for
 * folders not in f. */
static int count_up(runner *r, ds_folder_status **f, size_t *n)
{
    st_journal_folder_count *jc = NULL;
    size_t nj = 0;
    int code = st_journal_by_folder(ds_sync_store(r->s), &jc, &nj);
    size_t cap = *n;
    for (size_t i = 0; !code && i < nj; i++) {
        if (!jc[i].pending)
            continue;
        st_id fid = jc[i].folder;
        size_t k = 0;
        while (k < *n && (*f)[k].fid != fid)
            k++;
        if (k == *n) {
            ds_folder_status *p = st_grow(*f, &cap, *n, sizeof **f, 8);
            if (!p) {
                code = ST_ERROR;
                break;
            }
            *f = p;
            memset(&p[k], 0, sizeof p[k]);
            p[k].fid = fid;
            (*n)++;
            code = ds_sync__folder_name(r->s, &p[k].name, fid);
            if (code == ST_ENOTFOUND)   /* deleted locally: the entry says so */
                code = dup_or_null(&p[k].name, "");
        }
        if (!code)
            (*f)[k].up_items += jc[i].pending;
    }
    free(jc);
    return code;
}

/* Rebuilds the folder rows (the list order of ds_sync_folder_list, then
 * folders only the journal names) and publishes them. *fids gets that list
 * (malloc'd) when fids is not NULL. */
static int refresh_folders(runner *r, st_id **fids, size_t *nfids)
{
    st_id *ids = NULL;
    size_t nids = 0, n = 0;
    ds_folder_status *f = NULL;
    int code = ds_sync_folder_list(r->s, &ids, &nids);
    if (!code && nids && !(f = calloc(nids, sizeof *f))) {
        st_error_set("out of memory");
        code = ST_ERROR;
    }
    for (size_t i = 0; !code && i < nids; i++) {
        f[i].fid = ids[i];
        n = i + 1;
        code = ds_sync__folder_name(r->s, &f[i].name, ids[i]);
    }
    if (!code)
        code = count_up(r, &f, &n);
    if (code) {
        folders_free(f, n);
        free(ids);
        return code;
    }
    ds_engine *e = r->e;
    st_mutex_lock(&e->lock);
    ds_folder_status *old = e->folders;
    size_t nold = e->n_folders;
    e->folders = f;
    e->n_folders = n;
    st_mutex_unlock(&e->lock);
    folders_free(old, nold);
    if (fids) {
        *fids = ids;
        *nfids = nids;
    } else {
        free(ids);
    }
    return 0;
}

/* Progress from ds_sync, on the engine thread. */
static void on_progress(void *arg, const ds_sync_progress *p)
{
    runner *r = arg;
    ds_engine *e = r->e;
    st_mutex_lock(&e->lock);
    if (strcmp(p->phase, "fetch") == 0)
        for (size_t i = 0; i < e->n_folders; i++)
            if (e->folders[i].fid == r->cur_fid) {
                e->folders[i].down_items = p->total > p->done ? p->total - p->done : 0;
                e->folders[i].down_bytes = p->bytes_left;
            }
    if (p->counts)
        e->totals = *p->counts;
    st_mutex_unlock(&e->lock);
    if (e->user_progress)
        e->user_progress(e->user_progress_arg, p);
}

static void set_current(runner *r, st_id fid)
{
    ds_engine *e = r->e;
    r->cur_fid = fid;
    st_mutex_lock(&e->lock);
    free(e->current);
    e->current = NULL;
    for (size_t i = 0; fid && i < e->n_folders; i++)
        if (e->folders[i].fid == fid)
            e->current = st_strdup(e->folders[i].name);   /* NULL when out of memory: fine */
    if (!fid)
        for (size_t i = 0; i < e->n_folders; i++)
            e->folders[i].down_items = e->folders[i].down_bytes = 0;
    st_mutex_unlock(&e->lock);
}

/* 1 when the pass should stop now (stop, or offline by choice). */
static int interrupted(ds_engine *e)
{
    st_mutex_lock(&e->lock);
    int r = e->stop || !e->online;
    st_mutex_unlock(&e->lock);
    return r;
}

static int is_connection(int code)
{
    return code == DS_ENETWORK || code == DS_ETIMEOUT;
}

static int is_refusal(int code)
{
    return code == DS_EAUTH || code == DS_ETLS;
}

/* Ends the pass at once (after the folder list, or between folders). */
static int is_final(int code)
{
    return code == DS_ECANCELLED || is_connection(code) || is_refusal(code);
}

/* The first failure of a pass: its code and message. */
typedef struct failure {
    int code;
    char *msg;                  /* malloc'd, or NULL */
} failure;

static void note_failure(failure *f, int code, const char *what)
{
    if (!code || (f->code && !is_final(code)))
        return;
    if (f->code && is_final(f->code))
        return;
    free(f->msg);
    f->code = code;
    const char *why = st_error_last();
    const char *lead = code == DS_EAUTH ? "the server refused the user name or password"
        : code == DS_ETLS ? "the server's certificate was refused (check the CA and the"
            " server name)"
        : is_connection(code) ? "cannot reach the server" : what;
    size_t len = strlen(lead) + strlen(why) + 8;
    f->msg = malloc(len);
    if (f->msg)
        snprintf(f->msg, len, "%s: %s", lead, why);
}

static unsigned next_backoff(runner *r)
{
    ds_engine *e = r->e;
    if (!r->backoff_ms)
        r->backoff_ms = e->backoff_min_ms;
    else
        r->backoff_ms = r->backoff_ms > e->backoff_max_ms / 2 ? e->backoff_max_ms
            : r->backoff_ms * 2;
    /* xorshift64: 75 % to 100 % of the step, so waits still grow. */
    r->rng ^= r->rng << 13;
    r->rng ^= r->rng >> 7;
    r->rng ^= r->rng << 17;
    return r->backoff_ms - (unsigned)(r->rng % (r->backoff_ms / 4 + 1));
}

/* ---- the engine thread: a pass ----------------------------------------------- */

static int open_sync(runner *r)
{
    ds_engine *e = r->e;
    int code = ds_sync_open(&r->s, &e->scfg);
    if (!code)
        code = st_store_listen(ds_sync_store(r->s), &r->token, on_events, e);
    if (code) {   /* tried again at the next pass, listener included */
        ds_sync_close(r->s);
        r->s = NULL;
        return code;
    }
    if (e->catalog_path && !r->cat) {
        int c = st_catalog_open(&r->cat, e->catalog_path, ST_OPEN_CREATE);
        if (c)
            ST_LOG_WARN(ST_LOG_DAVSYNC, "engine: catalog %s: %s", e->catalog_path,
                st_error_last());
    }
    return 0;
}

/* Up, folders, then every folder down: the priority folder first, then the
 * Inbox, then the rest. */
static int run_steps(runner *r, failure *fail)
{
    ds_engine *e = r->e;
    int code = 0;
    if (!r->s) {
        code = open_sync(r);
        if (code) {
            note_failure(fail, code, "cannot open the store");
            return code;
        }
    }
    if (refresh_folders(r, NULL, NULL))
        ST_LOG_WARN(ST_LOG_DAVSYNC, "engine: folder status: %s", st_error_last());

    code = ds_sync_up(r->s, &r->totals);
    note_failure(fail, code, "sending local changes failed");
    if (is_final(code) || interrupted(e))
        return code;

    code = ds_sync_folders(r->s, &r->totals);
    note_failure(fail, code, "listing the folders failed");
    if (is_final(code) || interrupted(e))
        return code;

    st_id *fids = NULL;
    size_t nf = 0;
    code = refresh_folders(r, &fids, &nf);
    if (code) {
        note_failure(fail, code, "reading the folder list failed");
        return code;
    }
    char *done = calloc(nf ? nf : 1, 1);
    if (!done) {
        free(fids);
        st_error_set("out of memory");
        note_failure(fail, ST_ERROR, "out of memory");
        return ST_ERROR;
    }
    for (size_t left = nf; left && !interrupted(e); left--) {
        st_mutex_lock(&e->lock);
        st_id prio = e->priority;
        st_mutex_unlock(&e->lock);
        size_t k = nf;
        for (size_t i = 0; prio && i < nf; i++)
            if (fids[i] == prio && !done[i])
                k = i;
        if (k == nf)
            for (k = 0; done[k]; k++)
                ;
        done[k] = 1;
        set_current(r, fids[k]);
        int rc = ds_sync_folder_down(r->s, fids[k], &r->totals);
        if (rc == DS_ENOTFOUND) {   /* gone, kept for local changes: not an error */
            ST_LOG_INFO(ST_LOG_DAVSYNC, "folder %llu: its collection is gone",
                (unsigned long long)fids[k]);
            rc = 0;
        }
        note_failure(fail, rc, "a folder failed");
        if (is_final(rc)) {
            code = rc;
            break;
        }
        if (rc && !code)
            code = rc;
        /* This folder is done: nothing left to fetch in it. */
        st_mutex_lock(&e->lock);
        for (size_t i = 0; i < e->n_folders; i++)
            if (e->folders[i].fid == fids[k])
                e->folders[i].down_items = e->folders[i].down_bytes = 0;
        st_mutex_unlock(&e->lock);
    }
    free(done);
    free(fids);
    /* After a rebuild (st_store_rebuild): the unsent changes saved then go
     * back in once the fresh store has been filled, and up at once. */
    if (!code && !interrupted(e) && r->cat) {
        st_restore_report rr;
        char *from = NULL;
        int rc = st_store_restore_pending(ds_sync_store(r->s), r->cat, &rr, &from);
        note_failure(fail, rc, "putting back the changes saved by a rebuild failed");
        if (!rc && from) {
            ST_LOG_INFO(ST_LOG_DAVSYNC, "engine: %llu changes put back from %s (%llu failed)",
                (unsigned long long)rr.restored, from, (unsigned long long)rr.failed);
            code = ds_sync_up(r->s, &r->totals);
            note_failure(fail, code, "sending local changes failed");
        }
        free(from);
    }
    return code;
}

static void run_pass(runner *r)
{
    ds_engine *e = r->e;
    st_mutex_lock(&e->lock);
    if (e->stop || !e->online) {   /* changed since the decision */
        st_mutex_unlock(&e->lock);
        return;
    }
    e->force = 0;
    r->blocked = 0;
    r->open_failed = 0;
    e->taken_req = e->req_seq;
    r->counted_req = e->req_seq;   /* the pass counts them */
    e->state = DS_STATE_SYNCING;
    e->next_try_at = 0;
    st_mutex_unlock(&e->lock);
    persist(r);
    /* An abort posted while no pass ran (going offline when idle) is
     * latched in the client: drain it, then look at the flags again (a
     * stop sets its flag before it aborts). */
    if (!ds_http_pending(e->http))
        ds_http_run(e->http, 0);
    ST_LOG_INFO(ST_LOG_DAVSYNC, "engine: pass begins");
    uint64_t t0 = st_os_time_ms();

    failure fail = { 0 };
    int code = interrupted(e) ? DS_ECANCELLED : run_steps(r, &fail);
    if (fail.code)   /* the first failure, or the one that ended the pass */
        code = fail.code;
    set_current(r, 0);
    if (r->s)
        r->index_left = 1;

    uint64_t now = st_os_time_ms();
    st_mutex_lock(&e->lock);
    int cancelled = code == DS_ECANCELLED || e->stop || !e->online;
    e->totals = r->totals;
    if (cancelled) {
        e->state = e->stop ? DS_STATE_STOPPED : !e->online ? DS_STATE_OFFLINE : DS_STATE_IDLE;
    } else if (is_connection(code)) {
        e->state = DS_STATE_DISCONNECTED;
        e->next_try_at = now + next_backoff(r);
    } else if (is_refusal(code)) {
        e->state = DS_STATE_AUTH_FAILED;
        r->blocked = 1;
        r->backoff_ms = 0;
    } else {
        e->state = DS_STATE_IDLE;
        if (r->s)   /* else the store could not be opened: no pass ran */
            e->passes++;
        r->backoff_ms = 0;
        if (!code)
            e->last_success = st_os_time_filetime();
    }
    if (!cancelled) {
        e->last_code = code;
        free(e->last_error);
        e->last_error = NULL;
        if (code)
            e->last_error = fail.msg ? fail.msg : st_strdup(st_error_last());
        else
            free(fail.msg);
        fail.msg = NULL;
    }
    free(fail.msg);
    uint64_t next_try = e->next_try_at ? e->next_try_at - now : 0;
    ds_state state = e->state;
    st_mutex_unlock(&e->lock);
    /* The catalog says how the pass ended before anyone hears it ended. */
    persist(r);
    st_mutex_lock(&e->lock);
    e->ended++;
    e->ended_req = e->taken_req;
    st_cond_broadcast(&e->passed);
    st_mutex_unlock(&e->lock);
    r->next_timer = now + e->interval_ms;
    if (next_try)
        ST_LOG_INFO(ST_LOG_DAVSYNC, "engine: pass ends in %llu ms: %s, %s, next try in %llu ms",
            (unsigned long long)(now - t0), ds_error_name(code), ds_state_name(state),
            (unsigned long long)next_try);
    else
        ST_LOG_INFO(ST_LOG_DAVSYNC, "engine: pass ends in %llu ms: %s, %s",
            (unsigned long long)(now - t0), ds_error_name(code), ds_state_name(state));
}

/* Another process committed: a pass if its changes left journal entries. */
static void check_external(runner *r)
{
    size_t n = 0;
    if (!r->s || st_journal_count(ds_sync_store(r->s), &n, ST_JSTATE_PENDING) != 0 || !n)
        return;
    ds_engine_wake(r->e);
}

/* Under e->lock: state, last success or last error differ from what the
 * catalog holds. */
static int need_persist(const runner *r)
{
    const ds_engine *e = r->e;
    if (!r->cat)
        return 0;
    return (int)e->state != r->saved_state || e->last_success != r->saved_success
        || (e->last_error == NULL) != (r->saved_error == NULL)
        || (e->last_error && strcmp(e->last_error, r->saved_error) != 0);
}

static void engine_main(void *arg)
{
    ds_engine *e = arg;
    runner r = { .e = e, .saved_state = -1 };
    r.rng = st_os_time_ms() * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&r;
    if (!r.rng)
        r.rng = 1;
    e->scfg.progress = on_progress;   /* scfg is this thread's from here on */
    e->scfg.progress_arg = &r;
    e->tid = st_os_thread_id();       /* before the listener exists */
    r.next_timer = st_os_time_ms() + e->interval_ms;

    /* Every decision and the wait that follows it are made under one hold
     * of the lock, so no request is lost in between. */
    st_mutex_lock(&e->lock);
    while (!e->stop) {
        uint64_t now = st_os_time_ms();
        uint64_t wait = UINT64_MAX;       /* ms; UINT64_MAX: until woken */
        int run = 0;
        if (!e->online) {
            e->state = DS_STATE_OFFLINE;
        } else if (e->force) {
            run = 1;
        } else if (r.blocked) {
            /* AUTH_FAILED: waits for "sync now" or going online */
        } else if (e->next_try_at) {
            if (now >= e->next_try_at)
                run = 1;
            else
                wait = e->next_try_at - now;
        } else if (e->req_seq > e->taken_req || now >= r.next_timer) {
            run = 1;
        } else {
            wait = r.next_timer - now;
        }
        if (run) {
            st_mutex_unlock(&e->lock);
            run_pass(&r);
        } else if (e->external) {
            e->external = 0;
            st_mutex_unlock(&e->lock);
            check_external(&r);
        } else if (!r.s && !r.open_failed) {
            /* Started offline: the store is opened anyway, so the listener
             * and the upload counts work before the first pass. */
            st_mutex_unlock(&e->lock);
            if (open_sync(&r) != 0) {
                r.open_failed = 1;
                ST_LOG_WARN(ST_LOG_DAVSYNC, "engine: %s", st_error_last());
            } else if (refresh_folders(&r, NULL, NULL)) {
                ST_LOG_WARN(ST_LOG_DAVSYNC, "engine: folder status: %s", st_error_last());
            }
        } else if (r.s && e->req_seq != r.counted_req) {
            /* A local change that no pass takes now (offline, refused,
             * waiting to retry): the upload counts still follow it. */
            r.counted_req = e->req_seq;
            st_mutex_unlock(&e->lock);
            if (refresh_folders(&r, NULL, NULL))
                ST_LOG_WARN(ST_LOG_DAVSYNC, "engine: folder status: %s", st_error_last());
        } else if (need_persist(&r)) {
            st_mutex_unlock(&e->lock);
            persist(&r);
        } else if (r.index_left) {   /* idle: the search index in short slices */
            st_mutex_unlock(&e->lock);
            size_t left = 0;
            if (st_store_index_pending(ds_sync_store(r.s), INDEX_SLICE_MS, &left) != 0) {
                ST_LOG_WARN(ST_LOG_DAVSYNC, "engine: search index: %s", st_error_last());
                left = 0;
            }
            r.index_left = left != 0;
        } else {
            unsigned w = wait > POLL_MS ? POLL_MS : (unsigned)wait;
            if (st_cond_wait(&e->wake, &e->lock, w) == 0 || !r.s)
                continue;
            /* Quiet: another process (the CLI, Windows Search) may have
             * written the store; the listener hears it as ST_EV_EXTERNAL. */
            st_mutex_unlock(&e->lock);
            if (st_store_poll(ds_sync_store(r.s)) < 0)
                ST_LOG_WARN(ST_LOG_DAVSYNC, "engine: store poll: %s", st_error_last());
        }
        st_mutex_lock(&e->lock);
    }
    e->state = DS_STATE_STOPPED;
    free(e->current);
    e->current = NULL;
    st_cond_broadcast(&e->passed);
    st_mutex_unlock(&e->lock);

    persist(&r);
    if (r.token)
        st_store_unlisten(ds_sync_store(r.s), r.token);
    ds_sync_close(r.s);
    st_catalog_close(r.cat);
    free(r.saved_error);
}

/* ---- start and stop -------------------------------------------------------- */

static void engine_free(ds_engine *e)
{
    if (!e)
        return;
    ds_http_free(e->http);
    free(e->mail_url);
    free(e->user);
    if (e->password) {
        memset(e->password, 0, strlen(e->password));
        free(e->password);
    }
    free(e->ca_file);
    free(e->store_path);
    free(e->catalog_path);
    free(e->current);
    free(e->last_error);
    folders_free(e->folders, e->n_folders);
    st_cond_destroy(&e->wake);
    st_cond_destroy(&e->passed);
    st_mutex_destroy(&e->lock);
    free(e);
}

int ds_engine_start(ds_engine **out, const ds_engine_config *cfg)
{
    *out = NULL;
    const ds_sync_config *sc = &cfg->sync;
    if (!sc->mail_url || !sc->store_path) {
        st_error_set("engine: mail_url and store_path are required");
        return ST_ERROR;
    }
    if (sc->http) {
        st_error_set("engine: sync.http must be NULL (the engine owns its HTTP client)");
        return ST_ERROR;
    }
    ds_engine *e = calloc(1, sizeof *e);
    if (!e) {
        st_error_set("out of memory");
        return ST_ERROR;
    }
    st_mutex_init(&e->lock);
    st_cond_init(&e->wake);
    st_cond_init(&e->passed);
    int code = dup_or_null(&e->mail_url, sc->mail_url);
    if (!code)
        code = dup_or_null(&e->user, sc->user);
    if (!code)
        code = dup_or_null(&e->password, sc->password);
    if (!code)
        code = dup_or_null(&e->ca_file, sc->ca_file);
    if (!code)
        code = dup_or_null(&e->store_path, sc->store_path);
    if (!code)
        code = dup_or_null(&e->catalog_path, sc->catalog_path);
    if (!code) {
        ds_http_config hc = {
            .user = e->user, .password = e->password, .ca_file = e->ca_file,
            .insecure_tls = sc->insecure_tls, .max_connections = sc->max_connections,
        };
        code = ds_http_new(&e->http, &hc);
    }
    if (code) {
        engine_free(e);
        return code;
    }
    e->scfg = *sc;
    e->scfg.mail_url = e->mail_url;
    e->scfg.user = e->user;
    e->scfg.password = e->password;
    e->scfg.ca_file = e->ca_file;
    e->scfg.store_path = e->store_path;
    e->scfg.catalog_path = e->catalog_path;
    e->scfg.http = e->http;
    e->user_progress = sc->progress;
    e->user_progress_arg = sc->progress_arg;
    e->interval_ms = (uint64_t)(cfg->interval_s ? cfg->interval_s : 60) * 1000u;
    e->backoff_min_ms = cfg->backoff_min_ms ? cfg->backoff_min_ms : 2000;
    e->backoff_max_ms = cfg->backoff_max_ms ? cfg->backoff_max_ms : 300000;
    if (e->backoff_max_ms < e->backoff_min_ms)
        e->backoff_max_ms = e->backoff_min_ms;
    e->online = !cfg->start_offline;
    e->state = cfg->start_offline ? DS_STATE_OFFLINE : DS_STATE_STARTING;
    e->req_seq = 1;   /* the first pass */
    code = st_thread_start(&e->thread, engine_main, e);
    if (code) {
        engine_free(e);
        return code;
    }
    *out = e;
    return 0;
}

void ds_engine_stop(ds_engine *e)
{
    if (!e)
        return;
    st_mutex_lock(&e->lock);
    e->stop = 1;
    st_cond_signal(&e->wake);
    st_cond_broadcast(&e->passed);
    st_mutex_unlock(&e->lock);
    ds_http_abort(e->http);
    st_thread_join(e->thread);
    engine_free(e);
}
