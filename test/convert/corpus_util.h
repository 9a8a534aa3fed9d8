/*
 * corpus_util.h: what the convert tests that read the shared corpus
 * ($MAPIDAV_CORPUS) share: reading one of its files whole.
 *
 * Header-only, like testutil.h: each test program is one file plus these.
 * Never writes to the corpus.
 */
#ifndef MAPIDAV_TEST_CORPUS_UTIL_H
#define MAPIDAV_TEST_CORPUS_UTIL_H

#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

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

/* Calls fn(ctx, path) for every regular file below dir (names starting
 * with '.' skipped, at most depth levels down). */
static inline void corpus_walk(const char *dir, int depth, void (*fn)(void *ctx, const char *path),
                               void *ctx)
{
    DIR *d = depth >= 0 ? opendir(dir) : NULL;
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n < 0 || (size_t)n >= sizeof path || stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            corpus_walk(path, depth - 1, fn, ctx);
        else if (S_ISREG(st.st_mode))
            fn(ctx, path);
    }
    closedir(d);
}

#endif /* MAPIDAV_TEST_CORPUS_UTIL_H */
