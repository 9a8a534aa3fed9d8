/*
 * search.c: search folders (not done yet: the API is fixed, the
 * implementation follows on this branch).
 */
#include "storage/storage_int.h"

int st_search_set(st_store *s, st_id fid, const st_restriction *r, const st_id *scope,
    size_t n, unsigned flags)
{
    (void)s; (void)fid; (void)r; (void)scope; (void)n; (void)flags;
    st_error_set("search folders: not done yet");
    return ST_ERROR;
}

int st_search_get(st_store *s, st_id fid, st_restriction **r, st_id **scope, size_t *n,
    unsigned *flags)
{
    (void)s; (void)fid; (void)r; (void)scope; (void)n; (void)flags;
    st_error_set("search folders: not done yet");
    return ST_ERROR;
}
