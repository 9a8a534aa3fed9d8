/*
 * msgload.c: a stored message read back into a cv_message (msgload.h).
 * (Placeholder: being written.)
 */
#include <stdlib.h>

#include "davsync/msgload.h"
#include "storage/error.h"

int ds_msgload_open(ds_msgload **out, st_store *s, st_id mid)
{
    (void)s;
    (void)mid;
    *out = NULL;
    st_error_set("ds_msgload_open: not implemented yet");
    return ST_ERROR;
}

const cv_message *ds_msgload_message(const ds_msgload *l)
{
    (void)l;
    return NULL;
}

const cv_source *ds_msgload_source(const ds_msgload *l)
{
    (void)l;
    return NULL;
}

void ds_msgload_free(ds_msgload *l)
{
    (void)l;
}
