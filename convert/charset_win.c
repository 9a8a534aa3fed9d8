/*
 * charset_win.c: the Windows back end of the charset converter: the
 * double-byte tables of charset_int.h looked up with MultiByteToWideChar
 * and WideCharToMultiByte, then UTF-16 <-> UTF-8 with charset_names.c's
 * own converter. The only file of convert/ that includes windows.h.
 *
 * Code pages: 932, 936, 949, 950 and 20932 (JIS X 0212 triples). Code
 * pages 54936 (GB18030), 50220 (ISO-2022-JP) and 51949 are not used: Wine
 * has none of them, and charset_names.c does GB18030's four-byte form,
 * ISO-2022-JP and EUC-JP itself on top of 936 and 932.
 *
 * Invariant: a run converts whole or not at all (*done is 0 or len):
 * MB_ERR_INVALID_CHARS and lpUsedDefaultChar say that something did not
 * map, not where. The API is thread-safe and the converter holds no state
 * beyond its code page. Never: best-fit mappings (WC_NO_BEST_FIT_CHARS),
 * the system's ANSI code page, or output for a run that failed.
 */
#include <windows.h>

#include <limits.h>
#include <stdlib.h>

#include "convert/charset_int.h"
#include "convert/message.h"
#include "storage/error.h"

struct cv_cs__conv {
    UINT codepage; /* Windows code page of the table */
    int encode;    /* 1: UTF-8 -> code page */
    int table;     /* enum cv_cs__table */
};

static const UINT codepages[CV_CS__N_TABLES] = {
    [CV_CS__CP932] = 932,
    [CV_CS__GB] = 936,
    [CV_CS__CP949] = 949,
    [CV_CS__CP950] = 950,
    [CV_CS__JIS0212] = 20932,
};

int cv_cs__conv_open(cv_cs__conv **out, int table, int encode)
{
    *out = NULL;
    if (table < 0 || table >= CV_CS__N_TABLES || !IsValidCodePage(codepages[table]))
        return CV_ENOCHARSET;
    cv_cs__conv *c = malloc(sizeof *c);
    if (!c) {
        st_error_set("charset conversion: out of memory");
        return -1;
    }
    c->codepage = codepages[table];
    c->encode = encode;
    c->table = table;
    *out = c;
    return 0;
}

void cv_cs__conv_close(cv_cs__conv *c)
{
    free(c);
}

static int run_decode(cv_cs__conv *c, cv_cs__buf *b, const unsigned char *in, size_t len,
                      size_t *done)
{
    if (len > INT_MAX / 2)
        return 0; /* the caller's runs are far smaller; report "unmapped" */
    WCHAR stackbuf[512];
    WCHAR *w = len < 512 ? stackbuf : malloc(len * sizeof(WCHAR));
    if (!w) {
        b->failed = 1;
        return -1;
    }
    /* At most one UTF-16 unit per byte for these code pages. */
    int n = MultiByteToWideChar(c->codepage, MB_ERR_INVALID_CHARS, (LPCCH)in, (int)len, w,
                                (int)(len < 512 ? 512 : len));
    /* Code page 20932 must give one character for a JIS X 0212 triple;
     * Wine reads 0x8F as a character of its own. */
    if (n > 0 && c->table == CV_CS__JIS0212 && (n != 1 || w[0] < 0x80))
        n = 0;
    if (n > 0) {
        size_t before = b->len;
        cv_cs__buf_put_utf16(b, (const uint16_t *)w, (size_t)n);
        if (!b->failed)
            *done = len;
        else
            b->len = before;
    }
    if (w != stackbuf)
        free(w);
    return b->failed ? -1 : 0;
}

static int run_encode(cv_cs__conv *c, cv_cs__buf *b, const unsigned char *in, size_t len,
                      size_t *done)
{
    if (len > INT_MAX / 4)
        return 0;
    WCHAR stackbuf[512];
    WCHAR *w = len < 512 ? stackbuf : malloc(len * sizeof(WCHAR));
    if (!w) {
        b->failed = 1;
        return -1;
    }
    /* UTF-8 -> UTF-16: no more units than bytes. */
    size_t nw = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += cv_cs__utf8_next(in + i, len - i, &cp, NULL);
        if (cp >= 0x10000) {
            w[nw++] = (WCHAR)(0xD800 + ((cp - 0x10000) >> 10));
            w[nw++] = (WCHAR)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            w[nw++] = (WCHAR)cp;
        }
    }
    /* Two bytes per unit at most. */
    if (cv_cs__buf_grow(b, nw * 2) != 0) {
        if (w != stackbuf)
            free(w);
        return -1;
    }
    BOOL used_default = FALSE;
    int n = WideCharToMultiByte(c->codepage, WC_NO_BEST_FIT_CHARS, w, (int)nw,
                                b->data + b->len, (int)(b->cap - b->len - 1), "?",
                                &used_default);
    if (n > 0 && !used_default) {
        b->len += (size_t)n;
        *done = len;
    }
    b->data[b->len] = '\0';
    if (w != stackbuf)
        free(w);
    return 0;
}

int cv_cs__conv_run(cv_cs__conv *c, cv_cs__buf *b, const unsigned char *in, size_t len,
                    size_t *done)
{
    *done = 0;
    if (len == 0)
        return 0;
    return c->encode ? run_encode(c, b, in, len, done) : run_decode(c, b, in, len, done);
}
