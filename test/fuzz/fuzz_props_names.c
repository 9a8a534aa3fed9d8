/*
 * fuzz_props_names.c: the text forms of the property model that come from
 * users and files: GUID strings ("{00062004-0000-0000-C000-000000000046}") and
 * property tag names ("PR_SUBJECT_W", "0x0037001F"). A parse that succeeds must
 * print back to something that parses to the same value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/props_guids.h"
#include "storage/props_tags.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    st_guid guid, again;
    uint32_t tag, tag2;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    if (st_guid_from_string(&guid, text) == 0) {
        char printed[39];
        st_guid_to_string(printed, &guid);
        if (st_guid_from_string(&again, printed) != 0 || !st_guid_equal(&guid, &again))
            abort();
    }
    if (st_prop_tag_from_name(&tag, text) == 0) {
        const char *name = st_prop_tag_name(tag);
        if (name && (st_prop_tag_from_name(&tag2, name) != 0 || PROP_ID(tag2) != PROP_ID(tag)))
            abort();
    }
    free(text);
    return 0;
}
