/*
 * engine.c: the sync thread and its state machine (engine.h).
 * (Placeholder: being written.)
 */
#include <stdlib.h>

#include "davsync/engine.h"
#include "davsync/http_error.h"
#include "storage/error.h"

const char *ds_state_name(ds_state st)
{
    (void)st;
    return "stopped";
}

void ds_status_clear(ds_status *st)
{
    (void)st;
}

int ds_engine_start(ds_engine **out, const ds_engine_config *cfg)
{
    (void)cfg;
    *out = NULL;
    st_error_set("ds_engine_start: not implemented yet");
    return ST_ERROR;
}

void ds_engine_stop(ds_engine *e) { (void)e; }
void ds_engine_wake(ds_engine *e) { (void)e; }
void ds_engine_sync_now(ds_engine *e) { (void)e; }
void ds_engine_set_online(ds_engine *e, int online) { (void)e; (void)online; }
void ds_engine_set_priority(ds_engine *e, st_id fid) { (void)e; (void)fid; }

int ds_engine_status(ds_engine *e, ds_status *out)
{
    (void)e;
    (void)out;
    return ST_ERROR;
}

int ds_engine_wait_pass(ds_engine *e, unsigned timeout_ms)
{
    (void)e;
    (void)timeout_ms;
    return DS_ETIMEOUT;
}
