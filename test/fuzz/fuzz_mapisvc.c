/*
 * fuzz_mapisvc.c: mapidav's MAPISVC.INF merge (tools/mapisvc.h) on arbitrary
 * bytes. Invariants checked: merge and remove succeed; after a merge the
 * file is registered, after a remove it is not; merge and remove are
 * idempotent; and for a file holding nothing of ours (remove changes
 * nothing), ending a line and having [Services], remove(merge(x)) == x
 * byte for byte. Never: file access.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tools/mapisvc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count(const char *s, size_t n, const char *needle)
{
    size_t k = 0, m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (!memcmp(s + i, needle, m))
            k++;
    return k;
}

static int same(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && !memcmp(a, b, an);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    char *m = NULL, *m2 = NULL, *r = NULL, *r2 = NULL, *plain = NULL;
    size_t ml = 0, m2l = 0, rl = 0, r2l = 0, pl = 0;
    const char *dll = "C:\\Program Files\\mapidav\\mapidav.dll";

    if (mapisvc_merge(&m, &ml, in, size, dll) != 0 || mapisvc_merge(&m2, &m2l, m, ml, dll) != 0
        || mapisvc_remove(&r, &rl, m, ml) != 0 || mapisvc_remove(&r2, &r2l, r, rl) != 0
        || mapisvc_remove(&plain, &pl, in, size) != 0)
        abort();   /* only out of memory may fail */
    if (!mapisvc_is_registered(m, ml) || mapisvc_is_registered(r, rl))
        abort();
    if (!same(m, ml, m2, m2l) || !same(r, rl, r2, r2l))
        abort();
    if (same(plain, pl, in, size) && size && in[size - 1] == '\n'
        && count(m, ml, "[Services]") == count(in, size, "[Services]")
        && !same(r, rl, in, size))
        abort();
    free(m);
    free(m2);
    free(r);
    free(r2);
    free(plain);
    return 0;
}
