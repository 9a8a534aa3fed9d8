/*
 * fuzz_charset.c: convert/charset.h on any bytes. The first byte picks the
 * charset (from the list below, or a label made of the input itself); the
 * rest is decoded, the result encoded back, and the raw bytes encoded as
 * if they were UTF-8; the guess and the name lookups see them too.
 *
 * Decoding must always succeed with NUL-terminated, well-formed UTF-8 and
 * encoding must always succeed: anything else aborts. Neither may crash,
 * hang (every loop advances) or read past the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/charset.h"
#include "../convert/utf8_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const labels[] = {
    "UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE", "US-ASCII", "ISO-8859-1", "ISO-8859-2",
    "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "windows-874", "windows-1250", "windows-1251",
    "windows-1252", "windows-1255", "windows-1258", "KOI8-R", "KOI8-U", "IBM866", "macintosh",
    "x-mac-cyrillic", "Shift_JIS", "EUC-JP", "ISO-2022-JP", "GB2312", "GBK", "GB18030", "Big5",
    "EUC-KR", "ks_c_5601-1987",
};
#define N_LABELS (sizeof labels / sizeof *labels)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char label[33];
    const char *cs;
    char *out = NULL, *back = NULL;
    size_t len = 0, blen = 0;

    if (size == 0)
        return 0;
    if (data[0] < 0xF0) {
        cs = labels[data[0] % N_LABELS];
    } else { /* a label from the input itself: exercises the name lookup */
        size_t n = size - 1 < sizeof label - 1 ? size - 1 : sizeof label - 1;
        memcpy(label, data + 1, n);
        label[n] = '\0';
        cs = label;
        (void)cv_charset_canonical(label);
        (void)cv_charset_codepage(label);
    }
    data++;
    size--;

    int rc = cv_charset_decode(&out, &len, cs, data, size);
    if (rc == 0) {
        if (!out || !utf8_ok(out, len))
            abort();
        if (cv_charset_encode(&back, &blen, cs, out, len) != 0 || !back || back[blen] != '\0')
            abort();
        free(back);
        back = NULL;
        if (cv_charset_encode(&back, &blen, cs, (const char *)data, size) != 0 || !back)
            abort();
        free(back);
    } else if (out) {
        abort(); /* a failure leaves *out NULL */
    }
    free(out);

    const char *g = cv_charset_guess(data, size);
    if (!g || !cv_charset_canonical(g))
        abort();
    (void)cv_charset_from_codepage((unsigned)size);
    return 0;
}
