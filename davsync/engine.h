/*
 * engine.h: one account's sync thread and its state machine (floor 2).
 * Other threads never call the sync functions themselves: they start an
 * engine, poke it (wake, sync now, online/offline, priority folder) and read
 * a snapshot of its status; everything else happens on its thread.
 *
 *   ds_engine *e;
 *   ds_engine_start(&e, &(ds_engine_config){ .sync = { .mail_url = ...,
 *       .store_path = ... }, .interval_s = 60 });
 *   ...
 *   ds_status st;
 *   ds_engine_status(e, &st);  ...  ds_status_clear(&st);
 *   ds_engine_stop(e);         // back within a second, files consistent
 *
 * States: online (idle or syncing), offline by choice, disconnected (the
 * server could not be reached, DS_ENETWORK / DS_ETIMEOUT: retried with
 * exponential backoff and jitter, reset by a success), authentication
 * failed (DS_EAUTH, and also DS_ETLS, a refused certificate: neither heals
 * by itself, so no more tries until "sync now", going online again, or a
 * new engine with other settings). A pass = up (journal) then down
 * (folders, the priority folder first, then the Inbox, then the rest); a
 * folder that fails does not stop the others (the pass still counts, with
 * last_error set and last_success unchanged).
 * Wakes on: a local change committed to the store by another thread (a
 * listener; the engine's own writes never wake it) or by another process
 * (seen by polling the store every 2 s when idle, a pass if the journal has
 * entries), ds_engine_wake, ds_engine_sync_now, going online, the timer
 * (interval_s; a no-change pass sends one PROPFIND per folder and no GET),
 * and ds_engine_stop. When idle it also indexes queued messages for search
 * in slices of 100 ms.
 * The last state, success time and error are also written to the catalog
 * (when cfg.sync.catalog_path is set) as settings "sync.state",
 * "sync.last_success" (FILETIME, decimal) and "sync.last_error", so another
 * process (`mapidav status`) can show them.
 * Threads: every function may be called from any thread, except that
 * ds_engine_stop must be the last call (none may run during or after it)
 * and must not be called from the progress callback.
 * Never: block a caller on the network; hold the status lock during I/O.
 */
#ifndef MAPIDAV_DAVSYNC_ENGINE_H
#define MAPIDAV_DAVSYNC_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "davsync/sync.h"

typedef enum ds_state {
    DS_STATE_STARTING = 0,      /* thread started, first pass not begun */
    DS_STATE_IDLE,              /* online, nothing to do until the next wake */
    DS_STATE_SYNCING,           /* online, a pass is running */
    DS_STATE_OFFLINE,           /* work offline, by choice */
    DS_STATE_DISCONNECTED,      /* server unreachable; retrying with backoff */
    DS_STATE_AUTH_FAILED,       /* credentials or certificate refused (last_code
                                   DS_EAUTH / DS_ETLS); waiting for the user */
    DS_STATE_STOPPED            /* ds_engine_stop was called */
} ds_state;

/* "starting", "idle", "syncing", "offline", "disconnected", "auth-failed",
 * "stopped". */
const char *ds_state_name(ds_state st);

typedef struct ds_folder_status {
    st_id fid;
    char *name;                 /* display name, malloc'd */
    uint64_t down_items;        /* left to download in the current pass */
    uint64_t down_bytes;        /* their size, as the folder listing gave it
                                   (getcontentlength; 0 where it gave none) */
    uint64_t up_items;          /* journal entries pending for this folder
                                   (refused ones not counted); recounted at a
                                   pass start, after up, and on a local change
                                   no pass takes (offline, refused, retrying) */
} ds_folder_status;

typedef struct ds_status {
    ds_state state;
    char *current_folder;       /* being synced, or NULL; malloc'd */
    uint64_t down_items, down_bytes, up_items;   /* totals of the folders */
    uint64_t last_success;      /* FILETIME of the last pass without error, 0: never */
    int last_code;              /* 0, or the DS_E* / ST_E* code of the last pass's
                                   first failure (cleared by a pass without one;
                                   a cancelled pass leaves it as it was) */
    char *last_error;           /* its message for a human, or NULL; malloc'd */
    uint64_t next_try_ms;       /* DISCONNECTED: ms until the next try */
    uint64_t passes;            /* passes that ran to the end since start (not
                                   cancelled, disconnected or refused) */
    uint64_t tries;             /* passes ended since start, whatever their
                                   outcome */
    ds_sync_counts totals;      /* summed over the passes since start; but
                                   folders: as of the last listing */
    ds_folder_status *folders;  /* n_folders, malloc'd */
    size_t n_folders;
} ds_status;

void ds_status_clear(ds_status *st);   /* frees what it holds; NULL-safe */

typedef struct ds_engine_config {
    ds_sync_config sync;        /* as for ds_sync_open; http must be NULL (the
                                   engine owns its client); progress is called
                                   on the engine thread */
    unsigned interval_s;        /* timer; 0: 60 */
    int start_offline;          /* begin in DS_STATE_OFFLINE */
    unsigned backoff_min_ms;    /* first retry when disconnected; 0: 2000 */
    unsigned backoff_max_ms;    /* cap; 0: 300000 */
} ds_engine_config;

typedef struct ds_engine ds_engine;

/* Copies cfg, makes the HTTP client and starts the thread (the store is
 * opened there, by the first pass, or at once when starting offline).
 * ST_ERROR if sync.http is set or a required field is missing. */
int ds_engine_start(ds_engine **out, const ds_engine_config *cfg);
/* Stops the thread (an HTTP transfer in flight is aborted; a storage
 * transaction is never left half-done) and frees e. NULL-safe. */
void ds_engine_stop(ds_engine *e);

void ds_engine_wake(ds_engine *e);          /* something changed locally */
void ds_engine_sync_now(ds_engine *e);      /* a pass now (also after auth failure) */
/* Offline: the pass running is aborted, nothing is sent until online again.
 * Online: a pass at once (also when already online but refused or
 * retrying). */
void ds_engine_set_online(ds_engine *e, int online);
/* Folder to take first in the next down pass (the one the user has open);
 * 0: none. */
void ds_engine_set_priority(ds_engine *e, st_id fid);

/* A consistent copy of the status; the caller clears it. 0 or ST_ERROR. */
int ds_engine_status(ds_engine *e, ds_status *out);
/* Blocks until every wake-up request made before this call (the start,
 * ds_engine_wake, sync now, going online, a local change committed) is
 * covered by a pass that began after it and has ended, whatever its outcome
 * (look at the status). So `ds_engine_sync_now(e); ds_engine_wait_pass(e,
 * 0);` waits for that pass even when it ends before the second call, and
 * returns at once when nothing is outstanding: to wait for a timer pass,
 * watch ds_status.tries. 0 when covered, DS_ETIMEOUT after timeout_ms (0:
 * forever; offline, or after a refusal, no pass runs), DS_ECANCELLED when
 * the engine stops. For tools and tests. */
int ds_engine_wait_pass(ds_engine *e, unsigned timeout_ms);

#endif /* MAPIDAV_DAVSYNC_ENGINE_H */
