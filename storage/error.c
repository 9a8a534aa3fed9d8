/*
 * error.c: the thread-local error message.
 *
 * Invariant: each thread's buffer always holds a NUL-terminated string that
 * ends on a whole UTF-8 character. Must never allocate (it reports
 * out-of-memory too) and never log (log.c calls into this module's users).
 */
#include <stdio.h>
#include <string.h>

#include "storage/error.h"

static _Thread_local char error_msg[ST_ERROR_MAX]; /* "" until first set */

/* Cuts buf (holding a string that did not fit) so that it ends in "..."
 * after a whole UTF-8 character. */
static void cut_with_ellipsis(char *buf, size_t size)
{
    size_t end = size - 4; /* room for "..." and NUL */

    /* buf[end] is the first byte dropped: if it continues a character,
     * drop that character's earlier bytes too. */
    while (end > 0 && ((unsigned char)buf[end] & 0xC0) == 0x80)
        end--;
    memcpy(buf + end, "...", 4);
}

void st_error_vset(const char *fmt, va_list ap)
{
    /* Format into a copy first: an argument may be error_msg itself. */
    char tmp[ST_ERROR_MAX];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);

    if (n < 0) {
        memcpy(error_msg, "(bad error format)", sizeof "(bad error format)");
        return;
    }
    if ((size_t)n >= sizeof tmp)
        cut_with_ellipsis(tmp, sizeof tmp);
    memcpy(error_msg, tmp, strlen(tmp) + 1);
}

void st_error_set(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st_error_vset(fmt, ap);
    va_end(ap);
}

const char *st_error_last(void)
{
    return error_msg;
}

void st_error_clear(void)
{
    error_msg[0] = '\0';
}
