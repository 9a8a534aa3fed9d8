/*
 * fuzz_json.c: the JSON reader on arbitrary bytes; when it accepts them,
 * the writer on the result and the reader again, which must accept that and
 * give back text identical to the first written (write is a fixed point of
 * read . write), also with binaries cut to their size.
 * Never: keep state between inputs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cv_message *m = NULL, *again = NULL;
    char *j1 = NULL, *j2 = NULL, *small = NULL;
    size_t l1 = 0, l2 = 0;

    if (cv_json_read_message(&m, data, size) != 0) {
        if (m)
            abort();   /* *out is NULL on failure */
        return 0;
    }
    if (cv_json_write_message(&j1, &l1, m, NULL) != 0)
        goto cleanup;   /* out of memory only */
    if (cv_json_read_message(&again, j1, l1) != 0)
        abort();        /* what we write we must read */
    if (cv_json_write_message(&j2, &l2, again, NULL) != 0)
        goto cleanup;
    if (l1 != l2 || memcmp(j1, j2, l1) != 0)
        abort();
    cv_json_options o = { .max_binary = 4, .flags = CV_JSON_COMPACT };
    if (cv_json_write_message(&small, NULL, m, &o) == 0) {
        cv_message *s = NULL;
        if (cv_json_read_message(&s, small, strlen(small)) != 0)
            abort();
        cv_message_free(s);
    }
cleanup:
    free(small);
    free(j1);
    free(j2);
    cv_message_free(m);
    cv_message_free(again);
    return 0;
}
