/*
 * corpus_util.h: what the convert tests that read the shared corpus
 * ($MAPIDAV_CORPUS) share: reading one of its files whole.
 *
 * Header-only, like testutil.h: each test program is one file plus these.
 * Never writes to the corpus.
 */
#ifndef MAPIDAV_TEST_CORPUS_UTIL_H
#define MAPIDAV_TEST_CORPUS_UTIL_H

#include <stddef.h>

#include "storage/error.h"
#include "storage/os.h"

/* The bytes of the file at path with a NUL after them (not counted in
 * *len), malloc'd; NULL when it cannot be read. */
static inline char *corpus_read_file(const char *path, size_t *len)
{
    char *data = NULL;
    if (st_os_read_file(&data, len, path) != ST_OK)
        return NULL;
    return data;
}

#endif /* MAPIDAV_TEST_CORPUS_UTIL_H */
