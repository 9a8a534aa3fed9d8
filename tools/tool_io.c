/*
 * tool_io.c: whole-file reading and writing for the `mapidav` commands, with
 * "-" for standard input / output (binary mode on Windows, so CRLF and
 * 0x1A bytes pass unchanged).
 *
 * Invariant: an error is one line on standard error and exit code 1.
 * Never: leave a half-written output unreported.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "tools/tool.h"

int tool_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("mapidav: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static void binary_mode(FILE *f)
{
#ifdef _WIN32
    _setmode(_fileno(f), _O_BINARY);
#else
    (void)f;
#endif
}

int tool_read_file(uint8_t **out, size_t *out_len, const char *path)
{
    int is_std = !strcmp(path, "-");
    FILE *f = is_std ? stdin : fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = 1;

    *out = NULL;
    if (!f)
        return tool_fail("%s: %s", path, strerror(errno));
    if (is_std)
        binary_mode(f);
    for (;;) {
        if (cap - len < 65536 + 1) {
            size_t nc = cap ? cap * 2 : 65536 * 2;
            uint8_t *nb = realloc(buf, nc);
            if (!nb) {
                tool_fail("%s: out of memory", path);
                goto cleanup;
            }
            buf = nb;
            cap = nc;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        tool_fail("%s: read error", path);
        goto cleanup;
    }
    buf[len] = 0;
    *out = buf;
    *out_len = len;
    buf = NULL;
    rc = 0;
cleanup:
    free(buf);
    if (!is_std)
        fclose(f);
    return rc;
}

int tool_write_file(const char *path, const void *data, size_t len)
{
    int is_std = !path || !strcmp(path, "-");
    FILE *f = is_std ? stdout : fopen(path, "wb");
    const char *name = is_std ? "standard output" : path;

    if (!f)
        return tool_fail("%s: %s", name, strerror(errno));
    if (is_std)
        binary_mode(f);
    size_t put = len ? fwrite(data, 1, len, f) : 0;
    int bad = put != len;
    if (is_std)
        bad |= fflush(f) != 0;
    else
        bad |= fclose(f) != 0;
    if (bad)
        return tool_fail("%s: write error", name);
    return 0;
}

char *tool_path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p) {
        st_error_set("out of memory");
        return NULL;
    }
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}
