/*
 * mime_test_util.h: what the MIME tests (test_mime_parse.c,
 * test_mime_build.c, test_mime_report.c) share: a growable string for
 * dumps and built output, and property checks that report the caller's
 * file and line.
 *
 * Header-only, like testutil.h (include it after testutil.h). Never: hide
 * a failure; running out of memory in a test aborts it.
 */
#ifndef MAPIDAV_TEST_MIME_TEST_UTIL_H
#define MAPIDAV_TEST_MIME_TEST_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/props.h"

typedef struct sb {
    char *p;        /* NUL-terminated once written to */
    size_t n, cap;
    int fail_after; /* as a cv_mime write callback: >0, the write number that fails */
    int writes;     /* writes so far */
} sb;

/* Appends len bytes of s; aborts when out of memory. */
static inline void sb_add(sb *b, const char *s, size_t len)
{
    if (b->n + len + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 1024;
        while (nc < b->n + len + 1)
            nc *= 2;
        b->p = realloc(b->p, nc);
        if (!b->p)
            abort();
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = 0;
}

/* The string property tag of bag, or NULL. */
static inline const char *str(const st_bag *bag, uint32_t tag)
{
    const st_value *v = st_bag_get(bag, tag);
    return v ? v->v.str : NULL;
}

#define check_str(bag, tag, want) check_str_(__FILE__, __LINE__, bag, tag, #tag, want)
static inline void check_str_(const char *file, int line, const st_bag *bag, uint32_t tag,
                              const char *name, const char *want)
{
    const char *got = str(bag, tag);
    test_check_(got && strcmp(got, want) == 0, file, line, "%s: got \"%s\", want \"%s\"\n",
                name, got ? got : "(none)", want);
}

#endif /* MAPIDAV_TEST_MIME_TEST_UTIL_H */
