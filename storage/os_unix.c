/*
 * os_unix.c: the platform layer on Linux and other POSIX systems (os.h).
 *
 * Invariant: every failing call that os.h says can fail leaves a message
 * naming the path or the operation (st_error_set) and returns ST_ERROR.
 * Must never log (log.c is built on this file) and never touch anything of
 * a higher floor.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

#include "storage/error.h"
#include "storage/os.h"
#include "storage/strutil.h"

/* strerror() is not guaranteed to be thread-safe; strerror_r() comes in a
 * GNU and an XSI flavour. */
static const char *errno_text(int err, char *buf, size_t size)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    return strerror_r(err, buf, size);
#else
    if (strerror_r(err, buf, size) != 0)
        snprintf(buf, size, "error %d", err);
    return buf;
#endif
}

#define ERRNO_TEXT() errno_text(errno, (char[128]){ 0 }, 128)

/* ---- Mutex and once ---------------------------------------------------- */

void st_mutex_init(st_mutex *m)
{
    if (pthread_mutex_init(&m->m, NULL) != 0)
        abort(); /* only without memory at startup; nothing sane to do */
}

void st_mutex_lock(st_mutex *m)
{
    if (pthread_mutex_lock(&m->m) != 0)
        abort(); /* EINVAL/EDEADLK: a bug in the caller */
}

void st_mutex_unlock(st_mutex *m)
{
    if (pthread_mutex_unlock(&m->m) != 0)
        abort();
}

void st_mutex_destroy(st_mutex *m)
{
    pthread_mutex_destroy(&m->m);
}

void st_once_call(st_once *once, void (*fn)(void))
{
    if (pthread_once(&once->o, fn) != 0)
        abort();
}

/* ---- Condition variable ------------------------------------------------ */

/* macOS has no pthread_condattr_setclock: it waits on a relative time. */
#if defined(__APPLE__)
#define COND_RELATIVE 1
#endif

void st_cond_init(st_cond *c)
{
    pthread_condattr_t a;
    if (pthread_condattr_init(&a) != 0)
        abort(); /* only without memory at startup; nothing sane to do */
#if !defined(COND_RELATIVE)
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
#endif
    if (pthread_cond_init(&c->c, &a) != 0)
        abort();
    pthread_condattr_destroy(&a);
}

int st_cond_wait(st_cond *c, st_mutex *m, unsigned timeout_ms)
{
    if (timeout_ms == ST_WAIT_FOREVER) {
        if (pthread_cond_wait(&c->c, &m->m) != 0)
            abort(); /* EINVAL/EPERM: a bug in the caller */
        return 0;
    }
    struct timespec ts = { (time_t)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000000L };
#if defined(COND_RELATIVE)
    int rc = pthread_cond_timedwait_relative_np(&c->c, &m->m, &ts);
#else
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ts.tv_sec += now.tv_sec;
    ts.tv_nsec += now.tv_nsec;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    int rc = pthread_cond_timedwait(&c->c, &m->m, &ts);
#endif
    if (rc == ETIMEDOUT)
        return 1;
    if (rc != 0)
        abort();
    return 0;
}

void st_cond_signal(st_cond *c)
{
    pthread_cond_signal(&c->c);
}

void st_cond_broadcast(st_cond *c)
{
    pthread_cond_broadcast(&c->c);
}

void st_cond_destroy(st_cond *c)
{
    pthread_cond_destroy(&c->c);
}

/* ---- Threads ----------------------------------------------------------- */

struct st_thread {
    pthread_t tid;                /* joinable thread */
    void (*fn)(void *arg);        /* what it runs */
    void *arg;
};

static void *thread_main(void *p)
{
    st_thread *t = p;
    t->fn(t->arg);
    return NULL;
}

int st_thread_start(st_thread **out, void (*fn)(void *arg), void *arg)
{
    *out = NULL;
    st_thread *t = malloc(sizeof *t);
    if (!t) {
        st_error_set("out of memory starting a thread");
        return ST_ERROR;
    }
    t->fn = fn;
    t->arg = arg;
    int rc = pthread_create(&t->tid, NULL, thread_main, t);
    if (rc != 0) {
        st_error_set("cannot start a thread: %s", errno_text(rc, (char[128]){ 0 }, 128));
        free(t);
        return ST_ERROR;
    }
    *out = t;
    return ST_OK;
}

void st_thread_join(st_thread *t)
{
    if (!t)
        return;
    pthread_join(t->tid, NULL);
    free(t);
}

uint64_t st_os_thread_id(void)
{
#if defined(__linux__)
    return (uint64_t)syscall(SYS_gettid);
#else
    return (uint64_t)(uintptr_t)pthread_self();
#endif
}

uint64_t st_os_pid(void)
{
    return (uint64_t)getpid();
}

void st_os_sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ---- Clocks ------------------------------------------------------------ */

uint64_t st_os_time_filetime(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ST_FILETIME_UNIX_EPOCH + (uint64_t)ts.tv_sec * 10000000u
        + (uint64_t)ts.tv_nsec / 100u;
}

uint64_t st_os_time_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- Files ------------------------------------------------------------- */

struct st_file {
    int fd;                       /* opened O_WRONLY | O_APPEND */
};

int st_os_file_open_append(st_file **out, const char *path)
{
    *out = NULL;
    st_file *f = malloc(sizeof *f);
    if (!f) {
        st_error_set("out of memory opening '%s'", path);
        return ST_ERROR;
    }
    f->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (f->fd < 0) {
        st_error_set("cannot open '%s': %s", path, ERRNO_TEXT());
        free(f);
        return ST_ERROR;
    }
    *out = f;
    return ST_OK;
}

int st_os_file_write(st_file *f, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(f->fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            st_error_set("cannot write: %s", ERRNO_TEXT());
            return ST_ERROR;
        }
        p += n;
        len -= (size_t)n;
    }
    return ST_OK;
}

void st_os_file_close(st_file *f)
{
    if (!f)
        return;
    close(f->fd);
    free(f);
}

int st_os_path_size(uint64_t *out, const char *path)
{
    struct stat st;
    *out = 0;
    if (stat(path, &st) != 0) {
        st_error_set("cannot stat '%s': %s", path, ERRNO_TEXT());
        return ST_ERROR;
    }
    *out = (uint64_t)st.st_size;
    return ST_OK;
}

int st_os_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

typedef struct read_ctx {
    int fd;               /* the open file */
    const char *path;     /* for messages */
} read_ctx;

static int read_some(void *ctx, char *buf, size_t size, size_t *got)
{
    read_ctx *r = ctx;
    for (;;) {
        ssize_t n = read(r->fd, buf, size);
        if (n >= 0) {
            *got = (size_t)n;
            return ST_OK;
        }
        if (errno != EINTR) {
            st_error_set("cannot read '%s': %s", r->path, ERRNO_TEXT());
            return ST_ERROR;
        }
    }
}

int st_os_read_file(char **out, size_t *out_len, const char *path)
{
    *out = NULL;
    *out_len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        st_error_set("cannot open '%s': %s", path, ERRNO_TEXT());
        return ST_ERROR;
    }
    read_ctx r = { fd, path };
    int rc = st_os__read_all(out, out_len, path, read_some, &r);
    close(fd);
    return rc;
}

int st_os_rename(const char *from, const char *to)
{
    if (rename(from, to) != 0) {
        st_error_set("cannot rename '%s' to '%s': %s", from, to, ERRNO_TEXT());
        return ST_ERROR;
    }
    return ST_OK;
}

int st_os_remove(const char *path)
{
    if (unlink(path) != 0) {
        st_error_set("cannot remove '%s': %s", path, ERRNO_TEXT());
        return ST_ERROR;
    }
    return ST_OK;
}

int st_os_mkdir_p(const char *path)
{
    size_t len = strlen(path);
    char *p = st_strdup(path);
    if (!p) {
        st_error_set("out of memory creating '%s'", path);
        return ST_ERROR;
    }

    /* Create each parent; a failure there shows up as the last mkdir's. */
    for (size_t i = 1; i < len; i++) {
        if (p[i] != '/' || p[i - 1] == '/')
            continue;
        p[i] = '\0';
        (void)mkdir(p, 0700);
        p[i] = '/';
    }
    int rc = ST_OK;
    if (mkdir(p, 0700) != 0) {
        int err = errno;
        if (!(err == EEXIST && st_os_is_dir(p))) {
            st_error_set("cannot create directory '%s': %s", path,
                errno_text(err, (char[128]){ 0 }, 128));
            rc = ST_ERROR;
        }
    }
    free(p);
    return rc;
}

static char *path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + 1 + b + 1);
    if (p) {
        memcpy(p, dir, a);
        p[a] = '/';
        memcpy(p + a + 1, name, b + 1);
    }
    return p;
}

int st_os_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        st_error_set("cannot remove '%s': %s", path, ERRNO_TEXT());
        return ST_ERROR;
    }
    if (!S_ISDIR(st.st_mode))
        return st_os_remove(path);

    DIR *d = opendir(path);
    if (!d) {
        st_error_set("cannot open directory '%s': %s", path, ERRNO_TEXT());
        return ST_ERROR;
    }
    int rc = ST_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *child = path_join(path, e->d_name);
        if (!child) {
            st_error_set("out of memory removing '%s'", path);
            rc = ST_ERROR;
            break;
        }
        if (st_os_remove_tree(child) != ST_OK)
            rc = ST_ERROR;
        free(child);
    }
    closedir(d);
    if (rc == ST_OK && rmdir(path) != 0) {
        st_error_set("cannot remove directory '%s': %s", path, ERRNO_TEXT());
        rc = ST_ERROR;
    }
    return rc;
}

int st_os_tempdir_create(char **out, const char *prefix)
{
    *out = NULL;
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t blen = strlen(base), plen = strlen(prefix);
    char *p = malloc(blen + 1 + plen + 6 + 1);
    if (!p) {
        st_error_set("out of memory creating a temporary directory");
        return ST_ERROR;
    }
    memcpy(p, base, blen);
    p[blen] = '/';
    memcpy(p + blen + 1, prefix, plen);
    memcpy(p + blen + 1 + plen, "XXXXXX", 7);
    if (!mkdtemp(p)) {
        st_error_set("cannot create a temporary directory in '%s': %s", base, ERRNO_TEXT());
        free(p);
        return ST_ERROR;
    }
    *out = p;
    return ST_OK;
}

/* ---- Environment ------------------------------------------------------- */

int st_os_getenv(char **out, const char *name)
{
    *out = NULL;
    const char *v = getenv(name);
    if (!v)
        return ST_OK;
    char *copy = st_strdup(v);
    if (!copy) {
        st_error_set("out of memory reading %s", name);
        return ST_ERROR;
    }
    *out = copy;
    return ST_OK;
}

int st_os_setenv(const char *name, const char *value)
{
    int r = value ? setenv(name, value, 1) : unsetenv(name);
    if (r != 0) {
        st_error_set("cannot set %s: %s", name, ERRNO_TEXT());
        return ST_ERROR;
    }
    return ST_OK;
}
