/*
 * rss_util.h: the process's peak resident set size and CPU time, for the
 * davsync tests that check a parser or a transfer runs in bounded memory
 * (test_xml.c, test_http_apache.c) and the benchmarks (test/bench/).
 *
 * Header-only, like testutil.h. It brings windows.h on Windows: a file that
 * also needs curl/curl.h includes that first (winsock2.h before windows.h).
 * Never: a bound checked under AddressSanitizer (see RSS_CHECKED).
 */
#ifndef MAPIDAV_TEST_RSS_UTIL_H
#define MAPIDAV_TEST_RSS_UTIL_H

#ifdef _WIN32
#include <windows.h>
#include <psapi.h>
#else
#include <sys/resource.h>
#endif

/* AddressSanitizer keeps freed memory in quarantine, so peak RSS says nothing
 * about what a parser holds there: the bound is checked without it. */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_CHECKED 0
#else
#define RSS_CHECKED 1
#endif

/* The process's peak resident set so far, in KB (0 if unknown). */
static inline long peak_rss_kb(void)
{
#ifdef _WIN32
    PROCESS_MEMORY_COUNTERS pmc;
    if (K32GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc)))
        return (long)(pmc.PeakWorkingSetSize / 1024);
    return 0;
#else
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
#endif
}

/* The process's CPU time so far (user + system), in seconds (0 if unknown). */
static inline double cpu_seconds(void)
{
#ifdef _WIN32
    FILETIME c, x, k, u;
    if (!GetProcessTimes(GetCurrentProcess(), &c, &x, &k, &u))
        return 0;
    return ((double)(((unsigned long long)k.dwHighDateTime << 32) | k.dwLowDateTime) +
            (double)(((unsigned long long)u.dwHighDateTime << 32) | u.dwLowDateTime)) / 1e7;
#else
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
        ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
#endif
}

#endif /* MAPIDAV_TEST_RSS_UTIL_H */
