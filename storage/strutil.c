/*
 * strutil.c: string copies, growing arrays and hex digits (strutil.h),
 * floor 0.
 *
 * Invariant: every copy ends in a NUL and a failed allocation leaves the
 * message "out of memory". Must never log (log.c uses these).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/error.h"
#include "storage/strutil.h"

char *st_memdup(const void *p, size_t len)
{
    char *r = malloc(len + 1);
    if (!r) {
        st_error_set("out of memory");
        return NULL;
    }
    if (len)
        memcpy(r, p, len);
    r[len] = '\0';
    return r;
}

char *st_strdup(const char *s)
{
    return s ? st_memdup(s, strlen(s)) : NULL;
}

void *st_grow(void *p, size_t *cap, size_t n, size_t elem, size_t first)
{
    if (n < *cap)
        return p;
    size_t ncap = *cap ? *cap * 2 : first;
    void *q = ncap > *cap && ncap <= SIZE_MAX / elem ? realloc(p, ncap * elem) : NULL;
    if (!q) {
        st_error_set("out of memory");
        return NULL;
    }
    *cap = ncap;
    return q;
}

int st_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int st_reserve(char **p, size_t *cap, size_t need, size_t first)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : (first ? first : 64);
    while (nc < need) {
        if (nc > SIZE_MAX / 2) {
            st_error_set("out of memory");
            return -1;
        }
        nc *= 2;
    }
    char *np = realloc(*p, nc);
    if (!np) {
        st_error_set("out of memory");
        return -1;
    }
    *p = np;
    *cap = nc;
    return 0;
}

int st_append(char **p, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (n > SIZE_MAX - *len - 1 || st_reserve(p, cap, *len + n + 1, 0) != 0) {
        st_error_set("out of memory");
        return -1;
    }
    memcpy(*p + *len, s, n);
    *len += n;
    (*p)[*len] = '\0';
    return 0;
}
