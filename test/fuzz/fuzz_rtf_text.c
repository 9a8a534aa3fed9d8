/*
 * fuzz_rtf_text.c: RTF from outside through the shared reader: to text (both
 * line-end flavours), to HTML when it claims \fromhtml1, its encapsulation;
 * and the same bytes taken as plain text: text -> RTF -> text must give them
 * back (line ends as CRLF, invalid UTF-8 as U+FFFD, NULs dropped), or abort.
 * The streaming readers (to text, to HTML, text to RTF) fed in chunks must
 * give the same results (fuzz_chunked.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/rtf.h"
#include "fuzz_chunked.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What text -> RTF -> text should give for s. */
static int expected(cv_rtf__buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n') {
            i += (c == '\r' && i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
            cv_rtf__put(b, "\r\n", 2);
        } else if (c == 0) {
            i++;
        } else if (c < 0x80) {
            cv_rtf__putc(b, (char)c);
            i++;
        } else {
            size_t used;
            uint32_t cp = cv_rtf__utf8_next(s + i, n - i, &used);
            cv_rtf__put_ucs(b, cp == 0xA0 ? ' ' : cp);
            i += used;
        }
    }
    return b->err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char *out = NULL, *rtf = NULL;
    size_t n = 0, rn = 0;

    size_t chunk = fuzz_chunk(data, size);
    cv_push *p;
    cv_rtf__buf b;
    int rc;

    (void)cv_rtf_encapsulation(s, size);
    rc = cv_rtf_to_text(&out, &n, s, size, 0);
    if (rc == 0 && strlen(out) != n)
        abort();  /* a NUL inside the text */
    cv_rtf__buf_init(&b, 0);
    if (cv_rtf_to_text_push(&p, 0, cv_rtf__buf_sink, &b) == 0)
        fuzz_same_chunked(p, &b, s, size, chunk, rc, out, n);
    free(out);
    out = NULL;
    if (cv_rtf_to_text(&out, &n, s, size, CV_TEXT_LF) == 0)
        free(out);
    out = NULL;
    rc = cv_rtf_to_html(&out, &n, s, size);
    /* the push sniffs the first 1024 bytes only: compared when they are all */
    cv_rtf__buf_init(&b, 0);
    if (size < 1024 && cv_rtf_to_html_push(&p, cv_rtf__buf_sink, &b) == 0)
        fuzz_same_chunked(p, &b, s, size, chunk, rc, out, n);
    cv_rtf__buf_free(&b);
    free(out);
    out = NULL;

    rc = cv_text_to_rtf(&rtf, &rn, s, size);
    cv_rtf__buf_init(&b, 0);
    if (cv_text_to_rtf_push(&p, cv_rtf__buf_sink, &b) == 0)
        fuzz_same_chunked(p, &b, s, size, chunk, rc, rtf, rn);
    if (rc == 0) {
        cv_rtf__buf want;
        cv_rtf__buf_init(&want, 0);
        if (cv_rtf_encapsulation(rtf, rn) != CV_RTF_FROMTEXT || cv_rtf_to_text(&out, &n, rtf, rn, 0) != 0)
            abort();
        if (expected(&want, s, size) == 0 && (n != want.len || (n && memcmp(out, want.data, n) != 0)))
            abort();
        cv_rtf__buf_free(&want);
        free(out);
        free(rtf);
    }
    return 0;
}
