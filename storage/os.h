/*
 * os.h: the small platform layer (floor 0), in the manner of SQLite's
 * os_unix.c / os_win.c. meson builds exactly one of os_unix.c, os_win.c,
 * and os.c (their shared, portable part) on every platform.
 *
 * Everything above this file is platform-free: paths and environment
 * strings are UTF-8 here and converted to UTF-16 inside os_win.c, which is
 * the only file of the project below provider/ that includes windows.h.
 * On Windows only Win32 primitives are used (no pthreads: mapidav32.dll must
 * not import libwinpthread).
 *
 * Functions that can fail return 0 or ST_ERROR with st_error_set().
 * Strings returned through **out are malloc'd; the caller frees them with
 * free().
 */
#ifndef MAPIDAV_STORAGE_OS_H
#define MAPIDAV_STORAGE_OS_H

#include <stddef.h>
#include <stdint.h>

#if !defined(_WIN32)
#include <pthread.h>
#endif

/* ---- Mutex and once ------------------------------------------------------
 * A non-recursive mutex (pthread_mutex_t; SRWLOCK on Windows). Statically
 * initialisable: `static st_mutex m = ST_MUTEX_INIT;` needs no init call.
 * init cannot fail; destroy only a mutex that is not locked. */
#if defined(_WIN32)
typedef struct st_mutex {
    void *opaque_;           /* an SRWLOCK, which is one pointer */
} st_mutex;
#define ST_MUTEX_INIT { 0 }
typedef struct st_once {
    void *opaque_;           /* an INIT_ONCE, which is one pointer */
} st_once;
#define ST_ONCE_INIT { 0 }
#else
typedef struct st_mutex {
    pthread_mutex_t m;       /* default (non-recursive) attributes */
} st_mutex;
#define ST_MUTEX_INIT { PTHREAD_MUTEX_INITIALIZER }
typedef struct st_once {
    pthread_once_t o;
} st_once;
#define ST_ONCE_INIT { PTHREAD_ONCE_INIT }
#endif

void st_mutex_init(st_mutex *m);
void st_mutex_lock(st_mutex *m);
void st_mutex_unlock(st_mutex *m);
void st_mutex_destroy(st_mutex *m);

/* Runs fn exactly once per `once`, however many threads call this; every
 * caller returns after fn has finished. */
void st_once_call(st_once *once, void (*fn)(void));

/* ---- Condition variable ------------------------------------------------
 * Waits for a signal under an st_mutex: pthread_cond_t on the monotonic clock
 * (a wall-clock jump never shortens or stretches a wait), CONDITION_VARIABLE
 * with the st_mutex's SRWLOCK on Windows. Wake-ups may be spurious: callers
 * wait in a loop over their own predicate. init cannot fail; destroy only a
 * condition nobody waits on. Not statically initialisable. */
#if defined(_WIN32)
typedef struct st_cond {
    void *opaque_;           /* a CONDITION_VARIABLE, which is one pointer */
} st_cond;
#else
typedef struct st_cond {
    pthread_cond_t c;        /* with CLOCK_MONOTONIC where the system has it */
} st_cond;
#endif

#define ST_WAIT_FOREVER 0xFFFFFFFFu

void st_cond_init(st_cond *c);
/* m must be locked by the caller; it is released during the wait and locked
 * again before this returns. 0 when woken (or spuriously), 1 when timeout_ms
 * (ST_WAIT_FOREVER: never) passed. */
int st_cond_wait(st_cond *c, st_mutex *m, unsigned timeout_ms);
void st_cond_signal(st_cond *c);      /* wakes one waiter */
void st_cond_broadcast(st_cond *c);   /* wakes every waiter */
void st_cond_destroy(st_cond *c);

/* ---- Threads ---------------------------------------------------------- */
typedef struct st_thread st_thread;

/* Starts fn(arg) on a new thread. */
int st_thread_start(st_thread **out, void (*fn)(void *arg), void *arg);

/* Waits for the thread to finish and frees t. NULL-safe. */
void st_thread_join(st_thread *t);

/* The calling thread's id as the OS shows it (gettid / GetCurrentThreadId). */
uint64_t st_os_thread_id(void);

uint64_t st_os_pid(void);

void st_os_sleep_ms(unsigned ms);

/* ---- Clocks ------------------------------------------------------------ */

/* Wall clock, UTC, as a FILETIME: 100 ns ticks since 1601-01-01. */
uint64_t st_os_time_filetime(void);

/* A monotonic clock in milliseconds from an unspecified start. */
uint64_t st_os_time_ms(void);

/* Ticks between 1601-01-01 and 1970-01-01. */
#define ST_FILETIME_UNIX_EPOCH UINT64_C(116444736000000000)

/* ---- Files (paths are UTF-8; '/' works as a separator on Windows too) ---- */
typedef struct st_file st_file;

/* Opens (creating it if needed) a file for appending: every write goes to
 * the end, also when other processes append to the same file. On Windows the
 * file is shared for read, write and delete, so another process may rotate
 * (rename) it while it is open. */
int st_os_file_open_append(st_file **out, const char *path);

/* Writes all len bytes. */
int st_os_file_write(st_file *f, const void *buf, size_t len);

/* NULL-safe. */
void st_os_file_close(st_file *f);

/* Size of the file at path. */
int st_os_path_size(uint64_t *out, const char *path);

/* 1 if path names a directory, else 0. */
int st_os_is_dir(const char *path);

/* Reads a whole file. *out gets a NUL after the data (not counted in len). */
int st_os_read_file(char **out, size_t *out_len, const char *path);

/* For os_unix.c / os_win.c only (os.c): the growing buffer behind
 * st_os_read_file. read_fn reads at most size bytes into buf: ST_OK with
 * *got = 0 at the end, or ST_ERROR with a message naming the path. */
typedef int (*st_os__read_fn)(void *ctx, char *buf, size_t size, size_t *got);
int st_os__read_all(char **out, size_t *out_len, const char *path, st_os__read_fn read_fn,
    void *ctx);

/* Renames from to to, replacing to if it exists (atomically on Unix;
 * MoveFileExW with MOVEFILE_REPLACE_EXISTING on Windows). */
int st_os_rename(const char *from, const char *to);

/* Removes a file. */
int st_os_remove(const char *path);

/* Creates a directory and its missing parents; 0 if it exists already. */
int st_os_mkdir_p(const char *path);

/* Removes a directory and everything under it. Does not follow symbolic
 * links or junctions (it removes the link, not what it points to). */
int st_os_remove_tree(const char *path);

/* Creates a new, empty, uniquely named directory under the system's
 * temporary folder, e.g. /tmp/<prefix>XXXXXX; *out is its path. */
int st_os_tempdir_create(char **out, const char *prefix);

/* ---- Environment (UTF-8) ------------------------------------------------ */

/* *out = a copy of the variable's value, or NULL if it is not set. */
int st_os_getenv(char **out, const char *name);

/* Sets the variable; value NULL removes it. */
int st_os_setenv(const char *name, const char *value);

#endif /* MAPIDAV_STORAGE_OS_H */
