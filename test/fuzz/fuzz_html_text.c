/*
 * fuzz_html_text.c: HTML from outside: to text (both line-end flavours), its
 * <meta> charset, and HTML -> RTF -> HTML, which must give the bytes back
 * (invalid UTF-8 as U+FFFD, NULs dropped; inputs that declare a charset are
 * exempt, since the copy says utf-8) and RTF that reads as text, or abort.
 * The streaming converters (to text, to RTF) fed in chunks must give the
 * same results (fuzz_chunked.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "fuzz_chunked.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int mentions_charset(const char *s, size_t n)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        size_t k = 0;
        while (k < 7 && (s[i + k] | 0x20) == "charset"[k])
            k++;
        if (k == 7)
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char *out = NULL, *rtf = NULL, meta[32];
    size_t n = 0, rn = 0;

    size_t chunk = fuzz_chunk(data, size);
    cv_push *p;
    cv_rtf__buf b;
    int rc = cv_html_to_text(&out, &n, s, size, 0);
    cv_rtf__buf_init(&b, 0);
    if (cv_html_to_text_push(&p, 0, cv_rtf__buf_sink, &b) == 0)
        fuzz_same_chunked(p, &b, s, size, chunk, rc, out, n);
    free(out);
    out = NULL;
    if (cv_html_to_text(&out, &n, s, size, CV_TEXT_LF) == 0)
        free(out);
    out = NULL;
    (void)cv_rtf__html_meta_charset(s, size, meta, sizeof meta);

    rc = cv_html_to_rtf(&rtf, &rn, s, size);
    cv_rtf__buf_init(&b, 0);
    if (cv_html_to_rtf_push(&p, cv_rtf__buf_sink, &b) == 0)
        fuzz_same_chunked(p, &b, s, size, chunk, rc, rtf, rn);
    if (rc == 0) {
        if (cv_rtf_to_html(&out, &n, rtf, rn) != 0)
            abort();
        cv_rtf__buf want;
        cv_rtf__buf_init(&want, 0);
        for (size_t i = 0; i < size;) {
            size_t used;
            uint32_t cp = cv_rtf__utf8_next(s + i, size - i, &used);
            if (cp != 0)
                cv_rtf__put_ucs(&want, cp);
            i += used;
        }
        if (!want.err && !mentions_charset(want.data ? want.data : "", want.len) &&
            (n != want.len || (n && memcmp(out, want.data, n) != 0)))
            abort();
        cv_rtf__buf_free(&want);
        free(out);
        out = NULL;
        if (cv_rtf_to_text(&out, &n, rtf, rn, 0) != 0)
            abort();
        free(out);
        free(rtf);
    }
    return 0;
}
