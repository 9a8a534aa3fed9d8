/*
 * fuzz_actions_decode.c: rule actions from bytes ([MS-OXORULE] 2.2.5, the
 * form PT_ACTIONS values are stored in, storage/props_actcodec.c). Any
 * input decodes or is refused without a crash or leak; what decodes
 * encodes, and that encoding is a fixed point (decode + encode gives it
 * back byte for byte).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/props_actcodec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    st_actions *a = NULL, *again = NULL;
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t l1 = 0, l2 = 0;

    if (st_actions_decode(&a, data, size) != 0)
        return 0;
    if (st_actions_encode(&b1, &l1, a) != 0)
        abort();   /* whatever decodes must encode */
    if (st_actions_decode(&again, b1, l1) != 0 || st_actions_encode(&b2, &l2, again) != 0 ||
            l1 != l2 || memcmp(b1, b2, l1) != 0)
        abort();
    free(b1);
    free(b2);
    st_actions_free(a);
    st_actions_free(again);
    return 0;
}
