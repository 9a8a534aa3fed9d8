/*
 * testutil.h: the checks every mapidav test program uses, in Wine's style.
 *
 *   ok(hr == S_OK, "got %#lx\n", hr);
 *
 * A failed check prints file:line and the message and is counted; the program
 * goes on, so one run shows every failure. test_done() prints the plain closing
 * line ("N passed, N failed") and returns the exit code for main(). A test that
 * cannot run here (for example the shared corpus is absent) calls test_skip(),
 * which exits with 77, meson's code for "skipped".
 *
 * Header-only on purpose: each test program is one file plus this.
 */
#ifndef MAPIDAV_TESTUTIL_H
#define MAPIDAV_TESTUTIL_H

#include <stdarg.h>
#ifdef _WIN32
#include <windows.h>
#else
#include <time.h>
#endif
#include <stdio.h>
#include <stdlib.h>

/* mingw's printf attribute means Microsoft's rules; we build with C99 stdio. */
#if defined(__MINGW32__)
#define TEST_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define TEST_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TEST_PRINTF(f, a)
#endif

static int test_passed_;
static int test_failed_;

TEST_PRINTF(4, 5)
static inline int test_check_(int cond, const char *file, int line, const char *fmt, ...)
{
    if (cond) {
        test_passed_++;
        return 1;
    }
    test_failed_++;
    fprintf(stderr, "%s:%d: Test failed: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    return 0;
}

#ifdef _WIN32
/* Every Windows test: an unhandled fault (in any thread, also one left
 * running in a freed DLL) fails the program with status 3; under Wine it
 * could otherwise end with status 0 and pass. Installed before main. */
static LONG WINAPI test_on_crash_(EXCEPTION_POINTERS *e)
{
    fprintf(stderr, "crash: exception %#lx at %p\n",
        (unsigned long)e->ExceptionRecord->ExceptionCode, e->ExceptionRecord->ExceptionAddress);
    fflush(stderr);
    fflush(stdout);
    TerminateProcess(GetCurrentProcess(), 3);
    return EXCEPTION_EXECUTE_HANDLER;
}

__attribute__((constructor)) static void test_crash_filter_(void)
{
    SetUnhandledExceptionFilter(test_on_crash_);
}
#endif

/* ok(condition, printf-format, ...): the message should end with "\n". */
#define ok(cond, ...) test_check_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Stop the whole program now: for a failure that makes the rest meaningless. */
#define test_fatal(...) \
    do { \
        test_check_(0, __FILE__, __LINE__, __VA_ARGS__); \
        exit(test_done()); \
    } while (0)

TEST_PRINTF(1, 2)
#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static inline void test_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("SKIP: ", stdout);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
    exit(77);
}

static inline int test_done(void)
{
    printf("%d passed, %d failed\n", test_passed_, test_failed_);
    fflush(stdout);
    return test_failed_ ? 1 : 0;
}

/* An environment variable a fixture must have set. Its absence is a failure,
 * not a skip: meson always runs these tests through test/fixtures/serve.py. */
static inline const char *test_env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "%s is not set: run this test through test/fixtures/serve.py\n", name);
        exit(1);
    }
    return v;
}

/* Sleeps for ms milliseconds (Win32 Sleep, not nanosleep: that would pull
 * libwinpthread into a Windows test). */
static inline void test_sleep_ms(unsigned ms)
{
#ifdef _WIN32
    Sleep(ms);
#else
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
#endif
}

#endif /* MAPIDAV_TESTUTIL_H */
