/*
 * os.c: the portable half of the platform layer (os.h), built on every
 * platform next to os_unix.c or os_win.c: what both would otherwise repeat
 * around their own system calls.
 *
 * Invariant: like the platform files, every failure leaves a message
 * naming the path and returns ST_ERROR. Must never log (log.c is built on
 * this file) and never include a platform header.
 */
#include <stdlib.h>

#include "storage/error.h"
#include "storage/os.h"

int st_os__read_all(char **out, size_t *out_len, const char *path, st_os__read_fn read_fn,
    void *ctx)
{
    int rc = ST_ERROR;
    char *data = NULL;
    size_t len = 0, cap = 0;

    *out = NULL;
    *out_len = 0;
    for (;;) {
        if (cap - len < 4096 + 1) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *n = realloc(data, ncap);
            if (!n) {
                st_error_set("out of memory reading '%s'", path);
                goto cleanup;
            }
            data = n;
            cap = ncap;
        }
        size_t got = 0;
        if (read_fn(ctx, data + len, cap - len - 1, &got) != ST_OK)
            goto cleanup;
        if (got == 0)
            break;
        len += got;
    }
    data[len] = '\0';
    *out = data;
    *out_len = len;
    data = NULL;
    rc = ST_OK;
cleanup:
    free(data);
    return rc;
}
