/*
 * fuzz_log.c: the two places logging reads text it did not write: the level
 * spec (MAPIDAV_LOG, account settings) and the redactor, which sees every
 * server response that is traced. Neither may crash, hang or read past the
 * input; the redactor must always return a string.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    char *redacted = NULL;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    st_log_configure(text);
    if (st_log_redact(&redacted, text) == 0 && !redacted)
        abort();
    free(redacted);
    free(text);
    return 0;
}
