/*
 * error.h: the thread-local error message (STYLE.md "Errors"), floor 0.
 *
 * A function that fails returns an int code (ST_ERROR, or a named code of
 * its module) and, where the error begins, calls st_error_set() with a
 * message for a human. Callers up the stack either pass the code on, or add
 * context with st_error_set("opening %s: %s", path, st_error_last()) (the
 * old message may be an argument of the new one). provider/ hands the text
 * to Outlook through GetLastError; the CLI prints it.
 *
 * Invariant: st_error_last() always returns a NUL-terminated string of at
 * most ST_ERROR_MAX - 1 bytes, cut at a UTF-8 character boundary, owned by
 * the calling thread. Never put a password or a token into a message: it is
 * shown to users and written to logs.
 */
#ifndef MAPIDAV_STORAGE_ERROR_H
#define MAPIDAV_STORAGE_ERROR_H

#include <stdarg.h>

/* printf format checking. mingw's gcc reads "printf" as the Microsoft
 * runtime's dialect; we build with __USE_MINGW_ANSI_STDIO, so C99. */
#if defined(__MINGW32__) && !defined(__clang__)
#define ST_PRINTF(fmt_idx, first) __attribute__((format(gnu_printf, fmt_idx, first)))
#elif defined(__GNUC__)
#define ST_PRINTF(fmt_idx, first) __attribute__((format(printf, fmt_idx, first)))
#else
#define ST_PRINTF(fmt_idx, first)
#endif

/* Return codes every module shares. A module's named expected failures
 * (DS_ENOTFOUND, CV_EPARSE ...) are other negative values of its own. */
enum {
    ST_OK = 0,     /* success */
    ST_ERROR = -1  /* failure; st_error_last() says why */
};

/* Size of the per-thread buffer, terminating NUL included. A longer message
 * is cut and ends in "...". */
#define ST_ERROR_MAX 1024

/* Sets this thread's message. Arguments may include st_error_last(). */
void st_error_set(const char *fmt, ...) ST_PRINTF(1, 2);
void st_error_vset(const char *fmt, va_list ap) ST_PRINTF(1, 0);

/* This thread's last message; "" if none. Borrowed: valid until the next
 * st_error_set/st_error_clear on this thread. Never NULL. */
const char *st_error_last(void);

void st_error_clear(void);

#endif /* MAPIDAV_STORAGE_ERROR_H */
