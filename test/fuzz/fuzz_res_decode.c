/*
 * fuzz_res_decode.c: restrictions from bytes ([MS-OXCDATA] 2.12, the form
 * search criteria are stored in, storage/props_rescodec.c). Any input
 * decodes or is refused without a crash or leak; what decodes encodes, and
 * that encoding is a fixed point (decode + encode gives it back byte for
 * byte).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/props_rescodec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    st_restriction *r = NULL, *again = NULL;
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t l1 = 0, l2 = 0;

    if (st_res_decode(&r, data, size) != 0)
        return 0;
    if (st_res_encode(&b1, &l1, r) != 0)
        abort();   /* whatever decodes must encode */
    if (st_res_decode(&again, b1, l1) != 0 || st_res_encode(&b2, &l2, again) != 0 ||
            l1 != l2 || memcmp(b1, b2, l1) != 0)
        abort();
    free(b1);
    free(b2);
    st_res_free(r);
    st_res_free(again);
    return 0;
}
