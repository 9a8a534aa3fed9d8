/*
 * fuzz_href.c: href resolution and normalisation (davsync/href.h) on
 * arbitrary bytes: "BASE\nREF" (without a newline the base is fixed).
 * Invariants checked: a resolved href is a fixpoint of ds_href_normalize,
 * starts with http:// or https://, has no control byte and no space, and the
 * inside test agrees with itself. Never: network or file access.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "davsync/href.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), *base, *ref, *out = NULL, *again = NULL;
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    ref = strchr(s, '\n');
    if (ref) {
        *ref++ = '\0';
        base = s;
    } else {
        base = "http://localhost:8080/dav/Inbox/";
        ref = s;
    }
    if (ds_href_resolve(&out, base, ref) == 0) {
        if (strncmp(out, "http://", 7) && strncmp(out, "https://", 8))
            abort();
        for (const char *c = out; *c; c++)
            if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
                abort();
        if (ds_href_normalize(&again, out) != 0 || strcmp(again, out))
            abort();
        if (!ds_href_is_inside(out, out))
            abort();
        if (ds_href_add_slash(&again) == 0 && !ds_href_is_inside(out, again))
            abort();
        (void)ds_href_is_inside(out, base);
    }
    free(out);
    free(again);
    free(s);
    return 0;
}
