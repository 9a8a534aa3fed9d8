/*
 * mime_codec.c: base64 and quoted-printable, decoders that resume across
 * chunk boundaries and forgive what real mailers send (line noise, bad
 * padding, lowercase hex, stray '='), and the encoders the builder needs.
 *
 * Invariant: a decoder never writes more than its documented bound and
 * never reads past len. Never: fail on bad input (only on memory).
 */
#include <stdlib.h>
#include <string.h>

#include "convert/mime_int.h"
#include "storage/error.h"
#include "storage/strutil.h"

static const signed char b64_val[256] = {
#define X -1
    X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X, X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,
    X,X,X,X,X,X,X,X,X,X,X,62,X,62,X,63, 52,53,54,55,56,57,58,59,60,61,X,X,X,X,X,X,
    X,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14, 15,16,17,18,19,20,21,22,23,24,25,X,X,X,X,63,
    X,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40, 41,42,43,44,45,46,47,48,49,50,51,X,X,X,X,X,
    X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X, X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,
    X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X, X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,
    X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X, X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,
    X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X, X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,X,
#undef X
};

/* '-' and '_' (URL-safe alphabet) are accepted as 62/63: some generators
 * use it, and they never appear as noise in a real base64 body. */

size_t cv_mime__b64_decode(cv_b64_state *st, uint8_t *out, const char *in, size_t len)
{
    uint32_t acc = st->acc;
    unsigned bits = st->bits;
    uint8_t *o = out;

    for (size_t i = 0; i < len; i++) {
        /* Fast path: whole quanta of four alphabet characters at a quantum
         * boundary (almost all of a body) give their three bytes at once;
         * anything else goes through the character-wise loop below. */
        while (bits == 0 && len - i >= 4) {
            const unsigned char *q = (const unsigned char *)in + i;
            int a = b64_val[q[0]], b = b64_val[q[1]], c = b64_val[q[2]], d = b64_val[q[3]];
            if ((a | b | c | d) < 0)
                break;
            uint32_t w = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
            o[0] = (uint8_t)(w >> 16);
            o[1] = (uint8_t)(w >> 8);
            o[2] = (uint8_t)w;
            o += 3;
            i += 4;
        }
        if (i == len)
            break;
        int v = b64_val[(unsigned char)in[i]];
        if (v < 0) {
            if (in[i] == '=' && bits > 0) {
                /* padding: the whole bytes of a short quantum */
                if (bits >= 12)
                    *o++ = (uint8_t)(acc >> (bits - 8));
                if (bits >= 18)
                    *o++ = (uint8_t)(acc >> (bits - 16));
                acc = 0;
                bits = 0;
            }
            continue;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits == 24) {
            *o++ = (uint8_t)(acc >> 16);
            *o++ = (uint8_t)(acc >> 8);
            *o++ = (uint8_t)acc;
            acc = 0;
            bits = 0;
        }
    }
    st->acc = acc;
    st->bits = bits;
    return (size_t)(o - out);
}

size_t cv_mime__b64_flush(cv_b64_state *st, uint8_t *out)
{
    size_t n = 0;

    if (st->bits >= 12)
        out[n++] = (uint8_t)(st->acc >> (st->bits - 8));
    if (st->bits >= 18)
        out[n++] = (uint8_t)(st->acc >> (st->bits - 16));
    st->acc = 0;
    st->bits = 0;
    return n;
}

size_t cv_mime__qp_decode(cv_qp_state *st, uint8_t *out, const char *in, size_t len, int at_eol)
{
    uint8_t *o = out;
    size_t i = 0;

    st->soft = 0;
    if (at_eol) /* transports add trailing white space; RFC 2045 6.7 (3) */
        while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
            len--;
    /* An escape cut off by the previous segment: hold is "=" or "=H" (hex). */
    if (st->nhold == 1) {
        if (len == 0) {
            if (at_eol) {
                st->soft = 1;
                st->nhold = 0;
            }
            return 0;
        }
        int h1 = st_hex_digit((unsigned char)in[0]);
        if (h1 < 0) {
            *o++ = '=';
        } else if (len == 1) {
            if (at_eol) {
                *o++ = '=';
                *o++ = (uint8_t)in[0];
                st->nhold = 0;
            } else {
                st->hold[1] = in[0];
                st->nhold = 2;
            }
            return (size_t)(o - out);
        } else if (st_hex_digit((unsigned char)in[1]) >= 0) {
            *o++ = (uint8_t)(h1 << 4 | st_hex_digit((unsigned char)in[1]));
            i = 2;
        } else {
            *o++ = '=';
        }
        st->nhold = 0;
    } else if (st->nhold == 2) {
        if (len == 0) {
            if (at_eol) {
                *o++ = '=';
                *o++ = (uint8_t)st->hold[1];
                st->nhold = 0;
            }
            return (size_t)(o - out);
        }
        int h2 = st_hex_digit((unsigned char)in[0]);
        if (h2 >= 0) {
            *o++ = (uint8_t)(st_hex_digit((unsigned char)st->hold[1]) << 4 | h2);
            i = 1;
        } else {
            *o++ = '=';
            *o++ = (uint8_t)st->hold[1];
        }
        st->nhold = 0;
    }
    while (i < len) {
        const char *eq = memchr(in + i, '=', len - i);
        size_t run = eq ? (size_t)(eq - (in + i)) : len - i;
        memcpy(o, in + i, run);
        o += run;
        i += run;
        if (!eq)
            break;
        i++; /* the '=' */
        if (i == len) {
            if (at_eol) {
                st->soft = 1;
            } else {
                st->hold[0] = '=';
                st->nhold = 1;
            }
            break;
        }
        int h1 = st_hex_digit((unsigned char)in[i]);
        if (h1 < 0) {
            *o++ = '='; /* not an escape: keep it, the next byte follows */
            continue;
        }
        if (i + 1 == len) {
            if (at_eol) {
                *o++ = '=';
                *o++ = (uint8_t)in[i];
            } else {
                st->hold[0] = '=';
                st->hold[1] = in[i];
                st->nhold = 2;
            }
            i++;
            break;
        }
        int h2 = st_hex_digit((unsigned char)in[i + 1]);
        if (h2 < 0) {
            *o++ = '=';
            continue;
        }
        *o++ = (uint8_t)(h1 << 4 | h2);
        i += 2;
    }
    return (size_t)(o - out);
}

size_t cv_mime__qp_eol(cv_qp_state *st, uint8_t *out)
{
    if (st->nhold > 0) { /* cannot happen after an at_eol segment; be safe */
        st->nhold = 0;
    }
    if (st->soft) {
        st->soft = 0;
        return 0;
    }
    out[0] = '\r';
    out[1] = '\n';
    return 2;
}

int cv_mime__b64_decode_all(uint8_t **out, size_t *out_len, const char *in, size_t len)
{
    cv_b64_state st = { 0, 0 };
    uint8_t *buf = malloc(len / 4 * 3 + 6);

    *out = NULL;
    if (!buf) {
        st_error_set("out of memory");
        return -1;
    }
    size_t n = cv_mime__b64_decode(&st, buf, in, len);
    n += cv_mime__b64_flush(&st, buf + n);
    buf[n] = 0;
    *out = buf;
    if (out_len)
        *out_len = n;
    return 0;
}

int cv_mime__q_decode_all(uint8_t **out, size_t *out_len, const char *in, size_t len)
{
    uint8_t *buf = malloc(len + 1);
    size_t n = 0;

    *out = NULL;
    if (!buf) {
        st_error_set("out of memory");
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        if (in[i] == '_') {
            buf[n++] = ' ';
        } else if (in[i] == '=' && i + 2 < len
                   && st_hex_digit((unsigned char)in[i + 1]) >= 0
                   && st_hex_digit((unsigned char)in[i + 2]) >= 0) {
            buf[n++] = (uint8_t)(st_hex_digit((unsigned char)in[i + 1]) << 4
                                 | st_hex_digit((unsigned char)in[i + 2]));
            i += 2;
        } else {
            buf[n++] = (uint8_t)in[i];
        }
    }
    buf[n] = 0;
    *out = buf;
    if (out_len)
        *out_len = n;
    return 0;
}

static const char b64_alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int cv_mime__b64_encode(char **out, size_t *out_len, const void *data, size_t len,
                        unsigned line_len)
{
    const uint8_t *s = data;
    size_t chars = (len + 2) / 3 * 4;
    size_t lines = line_len ? chars / line_len + 1 : 0;
    char *buf = malloc(chars + lines * 2 + 1);
    size_t n = 0, col = 0;

    *out = NULL;
    if (!buf) {
        st_error_set("out of memory");
        return -1;
    }
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < len)
            v |= s[i + 2];
        char q[4] = { b64_alpha[v >> 18 & 63], b64_alpha[v >> 12 & 63],
                      i + 1 < len ? b64_alpha[v >> 6 & 63] : '=',
                      i + 2 < len ? b64_alpha[v & 63] : '=' };
        for (int k = 0; k < 4; k++) {
            if (line_len && col == line_len) {
                buf[n++] = '\r';
                buf[n++] = '\n';
                col = 0;
            }
            buf[n++] = q[k];
            col++;
        }
    }
    buf[n] = 0;
    *out = buf;
    if (out_len)
        *out_len = n;
    return 0;
}

int cv_mime__qp_encode(char **out, size_t *out_len, const void *data, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    const uint8_t *s = data;
    /* worst case: every byte "=XX", plus a soft break every 73 chars */
    size_t cap = len * 3 + (len * 3 / 73 + 2) * 3 + 1;
    char *buf = malloc(cap);
    size_t n = 0, col = 0;

    *out = NULL;
    if (!buf) {
        st_error_set("out of memory");
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t c = s[i];
        if (c == '\n' || (c == '\r' && i + 1 < len && s[i + 1] == '\n')) {
            if (c == '\r')
                i++;
            buf[n++] = '\r';
            buf[n++] = '\n';
            col = 0;
            continue;
        }
        int at_line_end = i + 1 == len || s[i + 1] == '\n'
                          || (s[i + 1] == '\r' && i + 2 < len && s[i + 2] == '\n');
        int literal = (c >= 33 && c <= 126 && c != '=')
                      || ((c == ' ' || c == '\t') && !at_line_end);
        size_t w = literal ? 1 : 3;
        if (col + w > 75) {
            buf[n++] = '=';
            buf[n++] = '\r';
            buf[n++] = '\n';
            col = 0;
        }
        if (literal) {
            buf[n++] = (char)c;
        } else {
            buf[n++] = '=';
            buf[n++] = hex[c >> 4];
            buf[n++] = hex[c & 15];
        }
        col += w;
    }
    buf[n] = 0;
    *out = buf;
    if (out_len)
        *out_len = n;
    return 0;
}

int cv_mime__header_encode(char **out, const char *utf8, size_t len)
{
    int plain = 1;
    char *buf;
    size_t n = 0;

    *out = NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)utf8[i];
        if (c < 32 || c > 126)
            plain = 0;
        if (c == '=' && i + 1 < len && utf8[i + 1] == '?')
            plain = 0; /* would read as an encoded word */
    }
    if (plain && len > 900)
        plain = 0; /* a field must stay under 998 bytes a line: fold as words */
    if (plain) {
        buf = malloc(len + 1);
        if (!buf)
            goto oom;
        memcpy(buf, utf8, len);
        buf[len] = 0;
        *out = buf;
        return 0;
    }
    /* "=?UTF-8?B?" + 4*ceil(k/3) + "?=" <= 75 -> k <= 45 bytes a word. */
    buf = malloc(len / 45 * 80 + 80 + len * 2);
    if (!buf)
        goto oom;
    size_t i = 0;
    while (i < len) {
        size_t k = len - i > 45 ? 45 : len - i;
        /* never split a UTF-8 sequence */
        while (k > 0 && i + k < len && ((unsigned char)utf8[i + k] & 0xC0) == 0x80)
            k--;
        if (k == 0)
            k = len - i > 45 ? 45 : len - i;
        if (n > 0) {
            memcpy(buf + n, "\r\n ", 3);
            n += 3;
        }
        memcpy(buf + n, "=?UTF-8?B?", 10);
        n += 10;
        for (size_t j = 0; j < k; j += 3) {
            const uint8_t *s = (const uint8_t *)utf8 + i;
            uint32_t v = (uint32_t)s[j] << 16;
            if (j + 1 < k)
                v |= (uint32_t)s[j + 1] << 8;
            if (j + 2 < k)
                v |= s[j + 2];
            buf[n++] = b64_alpha[v >> 18 & 63];
            buf[n++] = b64_alpha[v >> 12 & 63];
            buf[n++] = j + 1 < k ? b64_alpha[v >> 6 & 63] : '=';
            buf[n++] = j + 2 < k ? b64_alpha[v & 63] : '=';
        }
        buf[n++] = '?';
        buf[n++] = '=';
        i += k;
    }
    buf[n] = 0;
    *out = buf;
    return 0;
oom:
    st_error_set("out of memory");
    return -1;
}
