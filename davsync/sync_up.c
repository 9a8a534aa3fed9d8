/*
 * sync_up.c: the journal of local changes replayed to the server.
 * (Placeholder: being written; returns DS_EPROTO until then.)
 */
#include "davsync/sync_int.h"
#include "storage/error.h"

int ds_sync_up(ds_sync *s, ds_sync_counts *c)
{
    (void)s;
    (void)c;
    st_error_set("ds_sync_up: not implemented yet");
    return ST_ERROR;
}
