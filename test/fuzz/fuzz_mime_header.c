/*
 * fuzz_mime_header.c: the header readers on arbitrary text: RFC 2047
 * words, Content-Type parameters (RFC 2231), address lists, dates and
 * header blocks. Each must return valid UTF-8 and never crash, hang or
 * read past the input (the input is not NUL-terminated here).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/mime_int.h"
#include "storage/props.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void need_utf8(const char *s)
{
    if (!s || !st_utf8_valid(s, strlen(s)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size copy, so ASan sees any read past the end */
    char *in = malloc(size ? size : 1);
    if (!in)
        return 0;
    memcpy(in, data, size);

    char *text = NULL;
    if (cv_mime__decode_text(&text, in, size) == 0) {
        /* the text may contain a NUL from the input: check up to it */
        need_utf8(text);
        free(text);
    }
    cv_mime_ctype ct;
    if (cv_mime__ctype_parse(&ct, in, size) == 0) {
        for (size_t i = 0; i < ct.n; i++)
            if (strcmp(ct.p[i].name, "boundary") != 0)
                need_utf8(ct.p[i].value);
        cv_mime__ctype_clear(&ct);
    }
    cv_mime_addr *a = NULL;
    size_t n = 0;
    if (cv_mime__addr_parse(&a, &n, in, size) == 0) {
        for (size_t i = 0; i < n; i++)
            need_utf8(a[i].name);
        cv_mime__addr_free(a, n);
    }
    uint64_t ft = 0;
    if (cv_mime__date_parse(&ft, in, size) == 0 && ft > 9000000000000000000ULL)
        abort();
    cv_mime_header h;
    if (cv_mime__header_parse(&h, in, size) == 0)
        cv_mime__header_clear(&h);
    free(in);
    return 0;
}
