/*
 * charset_iconv.c: the Linux back end of the charset converter: the
 * double-byte tables of charset_int.h looked up with glibc's iconv.
 *
 * One iconv_t per cv_cs__conv, opened for each cv_charset_decode or
 * cv_charset_encode call and closed at its end: glibc loads a gconv module
 * once per process, after which iconv_open + iconv_close cost about 0.3 us
 * (measured for CP932, GB18030, CP949, CP950, EUC-JP), so a cache and its
 * mutex would buy nothing. A converter is used by one thread only; that
 * is the whole of the thread safety.
 *
 * Invariant: a run converts whole or not at all (*done is 0 or len, and
 * nothing is appended for a run that failed): where iconv says it stopped
 * is not always where the unmapped sequence starts (see conv_run). Never: transliteration (//TRANSLIT) or a guess of our own:
 * what iconv cannot map, charset_names.c replaces.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>

#include "convert/charset_int.h"
#include "convert/message.h"
#include "storage/error.h"

struct cv_cs__conv {
    iconv_t cd;  /* table <-> UTF-8 */
};

/* glibc's names for the tables; each agrees with the Windows code page on
 * every cell both map (the rest charset_names.c handles). */
static const char *const iconv_names[CV_CS__N_TABLES] = {
    [CV_CS__CP932] = "CP932",
    [CV_CS__GB] = "GB18030",
    [CV_CS__CP949] = "CP949",
    [CV_CS__CP950] = "CP950",
    [CV_CS__JIS0212] = "EUC-JP",
};

int cv_cs__conv_open(cv_cs__conv **out, int table, int encode)
{
    *out = NULL;
    if (table < 0 || table >= CV_CS__N_TABLES)
        return CV_ENOCHARSET;
    cv_cs__conv *c = malloc(sizeof *c);
    if (!c) {
        st_error_set("charset conversion: out of memory");
        return -1;
    }
    c->cd = encode ? iconv_open(iconv_names[table], "UTF-8")
                   : iconv_open("UTF-8", iconv_names[table]);
    if (c->cd == (iconv_t)-1) {
        int err = errno;
        free(c);
        if (err == ENOMEM) {
            st_error_set("charset conversion: out of memory");
            return -1;
        }
        return CV_ENOCHARSET;
    }
    *out = c;
    return 0;
}

void cv_cs__conv_close(cv_cs__conv *c)
{
    if (!c)
        return;
    iconv_close(c->cd);
    free(c);
}

int cv_cs__conv_run(cv_cs__conv *c, cv_cs__buf *b, const unsigned char *in, size_t len,
                    size_t *done)
{
    char *ip = (char *)in; /* iconv's prototype is not const-correct */
    size_t left = len, mark = b->len;

    *done = 0;
    iconv(c->cd, NULL, NULL, NULL, NULL);
    while (left > 0) {
        /* Two output bytes per input byte and some: a pair is at most two
         * characters (six UTF-8 bytes); E2BIG just asks for more. */
        size_t want = left < 256 ? 1024 : left * 2;
        if (cv_cs__buf_grow(b, want) != 0)
            return -1;
        char *op = b->data + b->len;
        size_t room = b->cap - b->len - 1;
        size_t r = iconv(c->cd, &ip, &left, &op, &room);
        b->len = (size_t)(op - b->data);
        b->data[b->len] = '\0';
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        /* EILSEQ or EINVAL. iconv's position is not trusted: glibc's CP949
         * consumes the unmapped pair 0xA2 0xE8 and only then reports
         * EILSEQ. So the whole run counts as failed and the caller narrows
         * it down as for MultiByteToWideChar. */
        iconv(c->cd, NULL, NULL, NULL, NULL);
        b->len = mark;
        b->data[mark] = '\0';
        return 0;
    }
    *done = len - left;
    return 0;
}
