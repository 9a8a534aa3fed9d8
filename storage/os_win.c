/*
 * os_win.c: the platform layer on Windows (os.h), Win32 only.
 *
 * Invariant: UTF-8 at the interface, UTF-16 (the W functions) towards
 * Windows; every failing call that os.h says can fail leaves a message
 * (st_error_set) and returns ST_ERROR. The only file below provider/ that
 * includes windows.h. Must never use pthreads or anything that makes the
 * DLL import libwinpthread, never log (log.c is built on this file), and
 * never use an API newer than Windows 7 without a run-time fallback.
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <errno.h>
#include <process.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "storage/error.h"
#include "storage/os.h"

_Static_assert(sizeof(SRWLOCK) == sizeof(st_mutex), "st_mutex holds an SRWLOCK");
_Static_assert(sizeof(INIT_ONCE) == sizeof(st_once), "st_once holds an INIT_ONCE");
_Static_assert(sizeof(CONDITION_VARIABLE) == sizeof(st_cond),
    "st_cond holds a CONDITION_VARIABLE");

#define SRW(m) ((PSRWLOCK)(void *)&(m)->opaque_)
#define ONCE(o) ((PINIT_ONCE)(void *)&(o)->opaque_)
#define COND(c) ((PCONDITION_VARIABLE)(void *)&(c)->opaque_)

/* ---- Text helpers ------------------------------------------------------ */

/* "Access is denied. (5)" for a Win32 error code, into buf. */
static const char *win_error_text(DWORD err, char *buf, size_t size)
{
    wchar_t w[256];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        NULL, err, 0, w, (DWORD)(sizeof w / sizeof w[0]), NULL);
    while (n > 0 && (w[n - 1] == L'\r' || w[n - 1] == L'\n' || w[n - 1] == L' '))
        n--;
    int len = n ? WideCharToMultiByte(CP_UTF8, 0, w, (int)n, buf, (int)size - 16, NULL, NULL) : 0;
    if (len <= 0)
        snprintf(buf, size, "error %lu", (unsigned long)err);
    else
        snprintf(buf + len, size - (size_t)len, " (%lu)", (unsigned long)err);
    return buf;
}

#define ERR_TEXT(err) win_error_text((err), (char[256]){ 0 }, 256)
#define LAST_ERR_TEXT() ERR_TEXT(GetLastError())

/* UTF-8 to a malloc'd UTF-16 string; NULL with a message on failure. */
static wchar_t *to_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
    if (n <= 0) {
        st_error_set("invalid UTF-8 in '%s'", s);
        return NULL;
    }
    wchar_t *w = malloc((size_t)n * sizeof *w);
    if (!w) {
        st_error_set("out of memory converting '%s'", s);
        return NULL;
    }
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n);
    return w;
}

/* UTF-16 to a malloc'd UTF-8 string; NULL with a message on failure. */
static char *to_utf8(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = n > 0 ? malloc((size_t)n) : NULL;
    if (!s) {
        st_error_set("cannot convert a UTF-16 string to UTF-8");
        return NULL;
    }
    WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
    return s;
}

/* ---- Mutex and once ---------------------------------------------------- */

void st_mutex_init(st_mutex *m)
{
    InitializeSRWLock(SRW(m));
}

void st_mutex_lock(st_mutex *m)
{
    AcquireSRWLockExclusive(SRW(m));
}

void st_mutex_unlock(st_mutex *m)
{
    ReleaseSRWLockExclusive(SRW(m));
}

void st_mutex_destroy(st_mutex *m)
{
    (void)m; /* an SRWLOCK holds no resources */
}

struct once_call {
    void (*fn)(void);             /* the caller's function */
};

static BOOL CALLBACK once_trampoline(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
    (void)once;
    (void)ctx;
    ((struct once_call *)param)->fn();
    return TRUE;
}

void st_once_call(st_once *once, void (*fn)(void))
{
    struct once_call c = { fn };
    if (!InitOnceExecuteOnce(ONCE(once), once_trampoline, &c, NULL))
        abort(); /* the trampoline never fails */
}

/* ---- Condition variable ------------------------------------------------ */

void st_cond_init(st_cond *c)
{
    InitializeConditionVariable(COND(c));
}

int st_cond_wait(st_cond *c, st_mutex *m, unsigned timeout_ms)
{
    DWORD ms = timeout_ms == ST_WAIT_FOREVER ? INFINITE : (DWORD)timeout_ms;
    if (SleepConditionVariableSRW(COND(c), SRW(m), ms, 0))
        return 0;
    if (GetLastError() == ERROR_TIMEOUT)
        return 1;
    abort(); /* no other failure is documented */
}

void st_cond_signal(st_cond *c)
{
    WakeConditionVariable(COND(c));
}

void st_cond_broadcast(st_cond *c)
{
    WakeAllConditionVariable(COND(c));
}

void st_cond_destroy(st_cond *c)
{
    (void)c; /* a CONDITION_VARIABLE holds no resources */
}

/* ---- Threads ----------------------------------------------------------- */

struct st_thread {
    HANDLE h;                     /* from _beginthreadex, so the CRT is set up */
    void (*fn)(void *arg);        /* what it runs */
    void *arg;
};

static unsigned __stdcall thread_main(void *p)
{
    st_thread *t = p;
    t->fn(t->arg);
    return 0;
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
    uintptr_t h = _beginthreadex(NULL, 0, thread_main, t, 0, NULL);
    if (h == 0) {
        st_error_set("cannot start a thread: %s", strerror(errno));
        free(t);
        return ST_ERROR;
    }
    t->h = (HANDLE)h;
    *out = t;
    return ST_OK;
}

void st_thread_join(st_thread *t)
{
    if (!t)
        return;
    WaitForSingleObject(t->h, INFINITE);
    CloseHandle(t->h);
    free(t);
}

uint64_t st_os_thread_id(void)
{
    return GetCurrentThreadId();
}

uint64_t st_os_pid(void)
{
    return GetCurrentProcessId();
}

void st_os_sleep_ms(unsigned ms)
{
    Sleep(ms);
}

/* ---- Clocks ------------------------------------------------------------ */

/* GetSystemTimePreciseAsFileTime is Windows 8+; Windows 7 gets the coarse
 * (10-16 ms) clock. */
typedef VOID(WINAPI *filetime_fn)(LPFILETIME ft);
static filetime_fn get_filetime;  /* set once by time_init */
static uint64_t qpc_freq;         /* performance counter ticks per second */
static st_once time_once = ST_ONCE_INIT;

static void time_init(void)
{
    HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
    FARPROC p = k32 ? GetProcAddress(k32, "GetSystemTimePreciseAsFileTime") : NULL;
    get_filetime = p ? (filetime_fn)(void (*)(void))p : GetSystemTimeAsFileTime;
    LARGE_INTEGER f;
    QueryPerformanceFrequency(&f); /* never fails since Windows XP */
    qpc_freq = f.QuadPart > 0 ? (uint64_t)f.QuadPart : 1;
}

uint64_t st_os_time_filetime(void)
{
    FILETIME ft;
    st_once_call(&time_once, time_init);
    get_filetime(&ft);
    return ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
}

/* The performance counter, not GetTickCount64: that one moves in steps of
 * 10-16 ms. */
uint64_t st_os_time_ms(void)
{
    LARGE_INTEGER c;
    st_once_call(&time_once, time_init);
    QueryPerformanceCounter(&c);
    uint64_t t = (uint64_t)c.QuadPart;
    return t / qpc_freq * 1000u + t % qpc_freq * 1000u / qpc_freq;
}

/* ---- Files ------------------------------------------------------------- */

struct st_file {
    HANDLE h;                     /* FILE_APPEND_DATA only: writes go to the end */
};

#define SHARE_ALL (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

int st_os_file_open_append(st_file **out, const char *path)
{
    *out = NULL;
    wchar_t *w = to_wide(path);
    if (!w)
        return ST_ERROR;
    HANDLE h = CreateFileW(w, FILE_APPEND_DATA, SHARE_ALL, NULL, OPEN_ALWAYS,
        FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        st_error_set("cannot open '%s': %s", path, LAST_ERR_TEXT());
        return ST_ERROR;
    }
    st_file *f = malloc(sizeof *f);
    if (!f) {
        CloseHandle(h);
        st_error_set("out of memory opening '%s'", path);
        return ST_ERROR;
    }
    f->h = h;
    *out = f;
    return ST_OK;
}

int st_os_file_write(st_file *f, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        DWORD chunk = len > 0x40000000u ? 0x40000000u : (DWORD)len;
        DWORD done = 0;
        if (!WriteFile(f->h, p, chunk, &done, NULL)) {
            st_error_set("cannot write: %s", LAST_ERR_TEXT());
            return ST_ERROR;
        }
        p += done;
        len -= done;
    }
    return ST_OK;
}

void st_os_file_close(st_file *f)
{
    if (!f)
        return;
    CloseHandle(f->h);
    free(f);
}

int st_os_path_size(uint64_t *out, const char *path)
{
    *out = 0;
    wchar_t *w = to_wide(path);
    if (!w)
        return ST_ERROR;
    WIN32_FILE_ATTRIBUTE_DATA a;
    BOOL got = GetFileAttributesExW(w, GetFileExInfoStandard, &a);
    free(w);
    if (!got) {
        st_error_set("cannot stat '%s': %s", path, LAST_ERR_TEXT());
        return ST_ERROR;
    }
    *out = ((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow;
    return ST_OK;
}

int st_os_is_dir(const char *path)
{
    wchar_t *w = to_wide(path);
    if (!w)
        return 0;
    DWORD attr = GetFileAttributesW(w);
    free(w);
    return attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY);
}

typedef struct read_ctx {
    HANDLE h;             /* the open file */
    const char *path;     /* for messages */
} read_ctx;

static int read_some(void *ctx, char *buf, size_t size, size_t *got)
{
    read_ctx *r = ctx;
    DWORD want = size > 0x40000000u ? 0x40000000u : (DWORD)size;
    DWORD n = 0;
    if (!ReadFile(r->h, buf, want, &n, NULL)) {
        st_error_set("cannot read '%s': %s", r->path, LAST_ERR_TEXT());
        return ST_ERROR;
    }
    *got = n;
    return ST_OK;
}

int st_os_read_file(char **out, size_t *out_len, const char *path)
{
    *out = NULL;
    *out_len = 0;
    wchar_t *w = to_wide(path);
    if (!w)
        return ST_ERROR;
    HANDLE h = CreateFileW(w, GENERIC_READ, SHARE_ALL, NULL, OPEN_EXISTING,
        FILE_ATTRIBUTE_NORMAL, NULL);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        st_error_set("cannot open '%s': %s", path, LAST_ERR_TEXT());
        return ST_ERROR;
    }
    read_ctx r = { h, path };
    int rc = st_os__read_all(out, out_len, path, read_some, &r);
    CloseHandle(h);
    return rc;
}

int st_os_rename(const char *from, const char *to)
{
    int rc = ST_ERROR;
    wchar_t *wf = to_wide(from), *wt = wf ? to_wide(to) : NULL;
    if (!wt)
        goto cleanup;
    if (!MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING)) {
        st_error_set("cannot rename '%s' to '%s': %s", from, to, LAST_ERR_TEXT());
        goto cleanup;
    }
    rc = ST_OK;
cleanup:
    free(wf);
    free(wt);
    return rc;
}

int st_os_remove(const char *path)
{
    wchar_t *w = to_wide(path);
    if (!w)
        return ST_ERROR;
    BOOL done = DeleteFileW(w);
    free(w);
    if (!done) {
        st_error_set("cannot remove '%s': %s", path, LAST_ERR_TEXT());
        return ST_ERROR;
    }
    return ST_OK;
}

static int is_sep(wchar_t c)
{
    return c == L'\\' || c == L'/';
}

int st_os_mkdir_p(const char *path)
{
    wchar_t *w = to_wide(path);
    if (!w)
        return ST_ERROR;

    /* Create each parent; the drive ("C:") and UNC prefix ("\\srv\share")
     * simply fail here, and a real failure shows up as the last one's. */
    for (size_t i = 1; w[i]; i++) {
        if (!is_sep(w[i]) || is_sep(w[i - 1]))
            continue;
        wchar_t c = w[i];
        w[i] = L'\0';
        (void)CreateDirectoryW(w, NULL);
        w[i] = c;
    }
    int rc = ST_OK;
    if (!CreateDirectoryW(w, NULL)) {
        DWORD err = GetLastError();
        DWORD attr = GetFileAttributesW(w);
        if (err != ERROR_ALREADY_EXISTS || attr == INVALID_FILE_ATTRIBUTES
            || !(attr & FILE_ATTRIBUTE_DIRECTORY)) {
            st_error_set("cannot create directory '%s': %s", path, ERR_TEXT(err));
            rc = ST_ERROR;
        }
    }
    free(w);
    return rc;
}

static wchar_t *wpath_join(const wchar_t *dir, const wchar_t *name)
{
    size_t a = wcslen(dir), b = wcslen(name);
    wchar_t *p = malloc((a + 1 + b + 1) * sizeof *p);
    if (p) {
        memcpy(p, dir, a * sizeof *p);
        p[a] = L'\\';
        memcpy(p + a + 1, name, (b + 1) * sizeof *p);
    }
    return p;
}

/* Sets a message naming the UTF-16 path w. */
static void set_path_error(const char *what, const wchar_t *w, DWORD err)
{
    char *u = to_utf8(w);
    st_error_set("cannot %s '%s': %s", what, u ? u : "?", ERR_TEXT(err));
    free(u);
}

static int remove_tree_w(const wchar_t *w)
{
    DWORD attr = GetFileAttributesW(w);
    if (attr == INVALID_FILE_ATTRIBUTES) {
        set_path_error("remove", w, GetLastError());
        return ST_ERROR;
    }
    if (!(attr & FILE_ATTRIBUTE_DIRECTORY)) {
        if (attr & FILE_ATTRIBUTE_READONLY)
            SetFileAttributesW(w, attr & ~(DWORD)FILE_ATTRIBUTE_READONLY);
        if (!DeleteFileW(w)) {
            set_path_error("remove", w, GetLastError());
            return ST_ERROR;
        }
        return ST_OK;
    }

    int rc = ST_OK;
    if (!(attr & FILE_ATTRIBUTE_REPARSE_POINT)) {
        /* A real directory: empty it first. A junction or directory
         * symlink is removed below without entering it. */
        wchar_t *pattern = wpath_join(w, L"*");
        if (!pattern) {
            st_error_set("out of memory removing a directory");
            return ST_ERROR;
        }
        WIN32_FIND_DATAW fd;
        HANDLE fh = FindFirstFileW(pattern, &fd);
        free(pattern);
        if (fh == INVALID_HANDLE_VALUE) {
            set_path_error("list", w, GetLastError());
            return ST_ERROR;
        }
        do {
            if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
                continue;
            wchar_t *child = wpath_join(w, fd.cFileName);
            if (!child) {
                st_error_set("out of memory removing a directory");
                rc = ST_ERROR;
                break;
            }
            if (remove_tree_w(child) != ST_OK)
                rc = ST_ERROR;
            free(child);
        } while (FindNextFileW(fh, &fd));
        FindClose(fh);
    }
    if (rc == ST_OK && !RemoveDirectoryW(w)) {
        set_path_error("remove directory", w, GetLastError());
        rc = ST_ERROR;
    }
    return rc;
}

int st_os_remove_tree(const char *path)
{
    wchar_t *w = to_wide(path);
    if (!w)
        return ST_ERROR;
    int rc = remove_tree_w(w);
    free(w);
    return rc;
}

int st_os_tempdir_create(char **out, const char *prefix)
{
    static volatile LONG counter;  /* tells apart directories of one process */
    wchar_t base[MAX_PATH + 1];
    int rc = ST_ERROR;
    char *ubase = NULL, *p = NULL;
    wchar_t *w = NULL;

    *out = NULL;
    DWORD n = GetTempPathW(MAX_PATH + 1, base);
    if (n == 0 || n > MAX_PATH) {
        st_error_set("cannot find the temporary folder: %s", LAST_ERR_TEXT());
        return ST_ERROR;
    }
    ubase = to_utf8(base); /* ends with a backslash */
    if (!ubase)
        return ST_ERROR;
    size_t size = strlen(ubase) + strlen(prefix) + 40;
    p = malloc(size);
    if (!p) {
        st_error_set("out of memory creating a temporary directory");
        goto cleanup;
    }
    for (int tries = 0; tries < 100; tries++) {
        snprintf(p, size, "%s%s%lx-%lx-%lx", ubase, prefix,
            (unsigned long)GetCurrentProcessId(), (unsigned long)InterlockedIncrement(&counter),
            (unsigned long)(GetTickCount64() & 0xffffff));
        free(w);
        w = to_wide(p);
        if (!w)
            goto cleanup;
        if (CreateDirectoryW(w, NULL)) {
            *out = p;
            p = NULL;
            rc = ST_OK;
            goto cleanup;
        }
        if (GetLastError() != ERROR_ALREADY_EXISTS)
            break;
    }
    st_error_set("cannot create a temporary directory in '%s': %s", ubase, LAST_ERR_TEXT());
cleanup:
    free(w);
    free(p);
    free(ubase);
    return rc;
}

/* ---- Environment ------------------------------------------------------- */
/* The Win32 process environment (what GetEnvironmentVariableW sees), not
 * the C runtime's copy that getenv() reads. */

int st_os_getenv(char **out, const char *name)
{
    int rc = ST_ERROR;
    wchar_t *val = NULL;

    *out = NULL;
    wchar_t *wname = to_wide(name);
    if (!wname)
        return ST_ERROR;
    DWORD need = GetEnvironmentVariableW(wname, NULL, 0);
    for (;;) {
        if (need == 0) {
            if (GetLastError() == ERROR_ENVVAR_NOT_FOUND)
                rc = ST_OK; /* not set */
            else
                st_error_set("cannot read %s: %s", name, LAST_ERR_TEXT());
            goto cleanup;
        }
        free(val);
        val = malloc(need * sizeof *val);
        if (!val) {
            st_error_set("out of memory reading %s", name);
            goto cleanup;
        }
        SetLastError(ERROR_SUCCESS);
        DWORD got = GetEnvironmentVariableW(wname, val, need);
        if (got == 0 && GetLastError() == ERROR_ENVVAR_NOT_FOUND) {
            rc = ST_OK; /* removed in between */
            goto cleanup;
        }
        if (got < need)
            break; /* got the value (0 for an empty one) */
        need = got; /* it grew in between: again */
    }
    *out = to_utf8(val);
    rc = *out ? ST_OK : ST_ERROR;
cleanup:
    free(val);
    free(wname);
    return rc;
}

int st_os_setenv(const char *name, const char *value)
{
    int rc = ST_ERROR;
    wchar_t *wname = to_wide(name), *wval = NULL;
    if (!wname)
        goto cleanup;
    if (value && !(wval = to_wide(value)))
        goto cleanup;
    if (!SetEnvironmentVariableW(wname, wval)) {
        st_error_set("cannot set %s: %s", name, LAST_ERR_TEXT());
        goto cleanup;
    }
    rc = ST_OK;
cleanup:
    free(wval);
    free(wname);
    return rc;
}
