/*
 * fuzz_mime_partial.c: message/partial joining on arbitrary fragments: the
 * input is split at each line "--8<--" into at most 8 fragments, joined
 * (cv_mime_partial_join), and a joined message is parsed again. Never a
 * crash, a hang or a read past a fragment (each is an exact-size copy).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/message.h"
#include "convert/mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP "\n--8<--\n"
#define MAX_FRAGS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cv_mime_fragment f[MAX_FRAGS];
    size_t n = 0, at = 0, seplen = strlen(SEP);
    while (n < MAX_FRAGS && at <= size) {
        size_t end = at;
        while (end + seplen <= size && memcmp(data + end, SEP, seplen) != 0)
            end++;
        if (end + seplen > size || n == MAX_FRAGS - 1)
            end = size;
        char *copy = malloc(end - at ? end - at : 1);
        if (!copy)
            break;
        memcpy(copy, data + at, end - at);
        f[n++] = (cv_mime_fragment){ copy, end - at };
        at = end + seplen;
    }
    char *out = NULL;
    size_t len = 0;
    if (cv_mime_partial_join(&out, &len, f, n) == 0) {
        cv_message *m = NULL;
        if (cv_mime_parse(&m, out, len, NULL, NULL) == 0)
            cv_message_free(m);
        free(out);
    }
    for (size_t i = 0; i < n; i++)
        free((void *)f[i].data);
    return 0;
}
