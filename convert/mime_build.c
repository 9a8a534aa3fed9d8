/*
 * mime_build.c: cv_message -> Internet mail (RFC 5322 + MIME), the reverse
 * of mime_parse.c after [MS-OXCMAIL] 2.1 (MAPI to Internet), first cut.
 *
 * Shape: multipart/mixed( body, attachments... ) when there are visible
 * attachments; the body is multipart/alternative(text/plain, text/html) or
 * one of them, and the HTML is wrapped in multipart/related with the
 * hidden attachments that have a Content-ID or Content-Location. Text is
 * UTF-8 and quoted-printable (so "=_" of our boundaries never appears in
 * it), attachment data base64 (PR_ATTACH_DATA_BIN or read through the
 * cv_source in 57 KiB slices), embedded messages message/rfc822, built the
 * same way. IPM.Note.SMIME.MultipartSigned writes its smime.p7m attachment
 * (the whole signed entity) as the body, IPM.Note.SMIME an
 * application/pkcs7-mime body.
 *
 * Header lines are folded within FOLD (78) bytes wherever the syntax has
 * room (unstructured text at white space or as encoded words, one address
 * a line, parameters one a line, long or non-ASCII names as RFC 2231
 * sections); what cannot be folded and would pass HARD (998) is left out
 * (ids, addresses over MAX_ID: none are real). Output depends only on msg
 * and opts when opts give a boundary seed and the message has a date or
 * opts a date.
 *
 * Invariant: output lines end in CRLF and never pass 998 bytes; header
 * values outside printable ASCII are RFC 2047 / RFC 2231 encoded. Never:
 * hold more than one 57 KiB slice of attachment data read from a source.
 */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "convert/charset.h"
#include "convert/mime_int.h"
#include "storage/error.h"
#include "storage/props_tags.h"

#define OUTBUF 16384
#define SLICE (57 * 1024) /* base64 line multiple: 76 chars encode 57 bytes */

typedef struct out {
    const cv_mime_writer *w;       /* where bytes go */
    const cv_mime_build_options *opt; /* source, boundary seed */
    char buf[OUTBUF];              /* pending bytes */
    size_t n;                      /* bytes in buf */
    unsigned seq;                  /* boundary counter */
    unsigned depth;                /* messages being written; 1: the outermost */
    size_t col;                    /* bytes since the last LF written */
    int failed;                    /* the writer or memory failed */
} out;

#define FOLD 78      /* a header line longer than this is folded where it can be */
#define HARD 998     /* RFC 5322 2.1.1: no line is ever longer */
#define MAX_ID 900   /* longer ids (no place to fold) are left out */
#define MAX_SEGS 200 /* RFC 2231 sections of one parameter (readers cap them: ours at 256) */

static int flush(out *o)
{
    if (o->n && !o->failed && o->w->write(o->w->ctx, o->buf, o->n) != 0) {
        st_error_set("mime build: the writer failed");
        o->failed = 1;
    }
    o->n = 0;
    return o->failed ? -1 : 0;
}

static int put(out *o, const void *data, size_t len)
{
    const char *d = data;
    while (len > 0 && !o->failed) {
        if (o->n == OUTBUF && flush(o) != 0)
            return -1;
        size_t take = OUTBUF - o->n < len ? OUTBUF - o->n : len;
        memcpy(o->buf + o->n, d, take);
        o->n += take;
        const char *lf = memchr(d, '\n', take);
        if (lf) {
            const char *q;
            while ((q = memchr(lf + 1, '\n', take - (size_t)(lf + 1 - d))) != NULL)
                lf = q;
            o->col = take - (size_t)(lf + 1 - d);
        } else {
            o->col += take;
        }
        d += take;
        len -= take;
    }
    return o->failed ? -1 : 0;
}

static int puts_(out *o, const char *s)
{
    return put(o, s, strlen(s));
}

static int printf_(out *o, const char *fmt, ...) ST_PRINTF(2, 3);
static int printf_(out *o, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    return put(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static const char *get_str(const st_bag *b, uint32_t tag)
{
    const st_value *v = st_bag_get(b, tag);
    return v && v->v.str && *v->v.str ? v->v.str : NULL;
}

static int32_t get_long(const st_bag *b, uint32_t tag, int32_t dflt)
{
    const st_value *v = st_bag_get(b, tag);
    return v ? v->v.l : dflt;
}

static int is_plain(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 32 || (unsigned char)*s > 126)
            return 0;
    return 1;
}

static const char b64_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* len bytes of UTF-8 as RFC 2047 "B" words from the current column, each
 * line within FOLD, a UTF-8 sequence never cut between words (a reader
 * joins adjacent words, so the text comes back exactly). */
static int encoded_words(out *o, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* "=?UTF-8?B?" + 4 per 3 bytes + "?=" */
        size_t room = o->col + 12 + 4 < FOLD ? (FOLD - o->col - 12) / 4 * 3 : 0;
        if (room < 6) { /* too little for a word (a 4-byte sequence): next line */
            if (puts_(o, "\r\n ") != 0)
                return -1;
            continue;
        }
        size_t k = len - i > room ? room : len - i;
        while (k > 0 && i + k < len && ((unsigned char)s[i + k] & 0xC0) == 0x80)
            k--;
        if (k == 0) /* not UTF-8: cut anywhere */
            k = len - i > room ? room : len - i;
        char w[FOLD + 4];
        size_t n = 0;
        memcpy(w, "=?UTF-8?B?", 10);
        n = 10;
        const unsigned char *b = (const unsigned char *)s + i;
        for (size_t j = 0; j < k; j += 3) {
            uint32_t v = (uint32_t)b[j] << 16 | (j + 1 < k ? (uint32_t)b[j + 1] << 8 : 0)
                         | (j + 2 < k ? b[j + 2] : 0);
            w[n++] = b64_chars[v >> 18 & 63];
            w[n++] = b64_chars[v >> 12 & 63];
            w[n++] = j + 1 < k ? b64_chars[v >> 6 & 63] : '=';
            w[n++] = j + 2 < k ? b64_chars[v & 63] : '=';
        }
        w[n++] = '?';
        w[n++] = '=';
        if (put(o, w, n) != 0)
            return -1;
        i += k;
        if (i < len && puts_(o, "\r\n ") != 0)
            return -1;
    }
    return 0;
}

/* An unstructured header (RFC 5322 2.2.1): printable ASCII is folded
 * before white space so lines stay within FOLD; anything else (non-ASCII,
 * "=?" that would read as an encoded word, a word too long to fold) is
 * written as encoded words, as is a value with white space at an end.
 * Unfolding gives the value back exactly. */
static int header_text(out *o, const char *name, const char *value)
{
    size_t len = strlen(value);
    /* white space at either end would be lost by readers that trim */
    int plain = is_plain(value) && !strstr(value, "=?") && value[0] != ' ' && value[len - 1] != ' ';
    for (size_t i = 0, run = 0; plain && i < len; i++) {
        /* run: the unit (spaces, then a word) that will start a line */
        run = value[i] == ' ' && i > 0 && value[i - 1] != ' ' ? 1 : run + 1;
        if (run + strlen(name) + 3 > HARD)
            plain = 0;
    }
    if (printf_(o, "%s: ", name) != 0)
        return -1;
    if (!plain)
        return encoded_words(o, value, len) == 0 && puts_(o, "\r\n") == 0 ? 0 : -1;
    const char *p = value;
    while (*p) {
        /* one unit: white space, then a word */
        const char *e = p;
        while (*e == ' ')
            e++;
        int word = *e != 0;
        while (*e && *e != ' ')
            e++;
        if (word && *p == ' ' && o->col + (size_t)(e - p) > FOLD && o->col > strlen(name) + 2
            && puts_(o, "\r\n") != 0)
            return -1;
        if (put(o, p, (size_t)(e - p)) != 0)
            return -1;
        p = e;
    }
    return puts_(o, "\r\n");
}

/* A display name as a phrase: as is (atoms), quoted, or encoded words
 * (not printable ASCII, or too long for the line). */
static int phrase(out *o, const char *name)
{
    size_t q = 2;
    for (const char *c = name; *c; c++)
        q += 1 + (*c == '"' || *c == '\\');
    if (!is_plain(name) || strstr(name, "=?") || o->col + q > FOLD)
        return encoded_words(o, name, strlen(name));
    int atom = *name != 0;
    for (const char *c = name; *c; c++)
        if (!(isalnum((unsigned char)*c) || strchr("!#$%&'*+-/=?^_`{|}~ ", *c)))
            atom = 0;
    if (atom)
        return puts_(o, name);
    if (puts_(o, "\"") != 0)
        return -1;
    for (const char *c = name; *c; c++) {
        if ((*c == '"' || *c == '\\') && put(o, "\\", 1) != 0)
            return -1;
        if (put(o, c, 1) != 0)
            return -1;
    }
    return puts_(o, "\"");
}

/* An address as written, minus what could end the header or the
 * address (controls, white space, angle brackets, commas): no injection. */
static int put_addr(out *o, const char *addr)
{
    for (const unsigned char *c = (const unsigned char *)addr; *c; c++)
        if (*c > 32 && *c != 127 && *c != '<' && *c != '>' && *c != ',' && put(o, c, 1) != 0)
            return -1;
    return 0;
}

/* An address longer than MAX_ID cannot be folded and is no address
 * (RFC 5321 4.5.3.1: 254 at most): it is left out. */
static const char *usable_addr(const char *addr)
{
    return addr && strlen(addr) <= MAX_ID ? addr : NULL;
}

static int mailbox(out *o, const char *name, const char *addr)
{
    addr = usable_addr(addr);
    if (name && addr && strcmp(name, addr) != 0) {
        if (phrase(o, name) != 0
            || (o->col + strlen(addr) + 3 > FOLD && o->col > 1 && puts_(o, "\r\n") != 0)
            || puts_(o, " <") != 0 || put_addr(o, addr) != 0)
            return -1;
        return puts_(o, ">");
    }
    if (addr)
        return put_addr(o, addr);
    if (name) /* a name without an address: an empty group keeps it legal */
        return phrase(o, name) == 0 && puts_(o, ":;") == 0 ? 0 : -1;
    return 0;
}

static const char *smtp_of(const st_bag *b, uint32_t smtp, uint32_t email, uint32_t type)
{
    const char *a = get_str(b, smtp);
    if (a)
        return a;
    const char *t = get_str(b, type);
    if (!t || strcasecmp(t, "SMTP") == 0)
        return get_str(b, email);
    return NULL;
}

static int date_header(out *o, const char *name, uint64_t ft)
{
    static const char *const days[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
    static const char *const mons[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    long long secs = (long long)(ft / 10000000ULL) - 11644473600LL;
    long long days_ = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    long long rem = secs - days_ * 86400;
    /* civil_from_days (H. Hinnant) */
    long long z = days_ + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = (long long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    int wd = (int)(((days_ % 7) + 7) % 7);
    return printf_(o, "%s: %s, %u %s %lld %02d:%02d:%02d +0000\r\n", name, days[wd], d, mons[m - 1], y,
                   (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

static int recipients(out *o, const cv_message *m, uint32_t type, const char *name)
{
    int first = 1;
    for (size_t i = 0; i < m->n_recipients; i++) {
        const st_bag *r = m->recipients[i];
        if ((uint32_t)get_long(r, PR_RECIPIENT_TYPE, -1) != type)
            continue;
        const char *dn = get_str(r, PR_DISPLAY_NAME);
        const char *addr = smtp_of(r, PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS, PR_ADDRTYPE);
        if (!dn && !addr)
            continue;
        if (puts_(o, first ? name : ",\r\n ") != 0 || (first && puts_(o, ": ") != 0)
            || mailbox(o, dn, addr) != 0)
            return -1;
        first = 0;
    }
    return first ? 0 : puts_(o, "\r\n");
}

/* One UTF-16LE string at *p (NUL-terminated, within end) -> UTF-8 in
 * out (size bytes); advances *p past the NUL. 0, or -1 when malformed. */
static int utf16_str(const uint8_t **p, const uint8_t *end, char *out, size_t size)
{
    size_t n = 0;
    const uint8_t *q = *p;
    for (;;) {
        if (end - q < 2)
            return -1;
        uint32_t c = (uint32_t)q[0] | (uint32_t)q[1] << 8;
        q += 2;
        if (c == 0)
            break;
        if (c >= 0xD800 && c < 0xDC00 && end - q >= 2) {
            uint32_t lo = (uint32_t)q[0] | (uint32_t)q[1] << 8;
            if (lo >= 0xDC00 && lo < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                q += 2;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c < 0xE000) {
            c = 0xFFFD;
        }
        char tmp[4];
        size_t k = c < 0x80 ? (tmp[0] = (char)c, 1)
                 : c < 0x800 ? (tmp[0] = (char)(0xC0 | c >> 6), tmp[1] = (char)(0x80 | (c & 0x3F)), 2)
                 : c < 0x10000 ? (tmp[0] = (char)(0xE0 | c >> 12), tmp[1] = (char)(0x80 | (c >> 6 & 0x3F)),
                                  tmp[2] = (char)(0x80 | (c & 0x3F)), 3)
                 : (tmp[0] = (char)(0xF0 | c >> 18), tmp[1] = (char)(0x80 | (c >> 12 & 0x3F)),
                    tmp[2] = (char)(0x80 | (c >> 6 & 0x3F)), tmp[3] = (char)(0x80 | (c & 0x3F)), 4);
        if (n + k < size) {
            memcpy(out + n, tmp, k);
            n += k;
        }
    }
    out[n] = 0;
    *p = q;
    return 0;
}

/* Reply-To from PR_REPLY_RECIPIENT_ENTRIES: the Unicode SMTP one-off
 * entry ids of its FLATENTRYLIST; other entries are skipped. */
static int reply_to(out *o, const st_bag *b)
{
    static const uint8_t uid[16] = { 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                     0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02 };
    const st_value *v = st_bag_get(b, PR_REPLY_RECIPIENT_ENTRIES);
    if (!v || v->v.bin.len < 8)
        return 0;
    const uint8_t *p = v->v.bin.data, *end = p + v->v.bin.len;
    uint32_t count = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    int first = 1;
    p += 8;
    for (uint32_t i = 0; i < count && end - p >= 4; i++) {
        uint32_t cb = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        const uint8_t *e = p + 4;
        if (cb > (size_t)(end - e))
            break;
        const uint8_t *eend = e + cb;
        p = e + ((cb + 3) & ~(uint32_t)3) <= end ? e + ((cb + 3) & ~(uint32_t)3) : end;
        if (cb < 24 || memcmp(e + 4, uid, 16) != 0 || !(e[23] & 0x80))
            continue; /* not a Unicode one-off */
        const uint8_t *q = e + 24;
        char name[512], type[32], addr[512];
        if (utf16_str(&q, eend, name, sizeof name) != 0 || utf16_str(&q, eend, type, sizeof type) != 0
            || utf16_str(&q, eend, addr, sizeof addr) != 0 || strcasecmp(type, "SMTP") != 0 || !*addr)
            continue;
        if (puts_(o, first ? "Reply-To: " : ",\r\n ") != 0 || mailbox(o, *name ? name : NULL, addr) != 0)
            return -1;
        first = 0;
    }
    return first ? 0 : puts_(o, "\r\n");
}

static int envelope(out *o, const cv_message *m)
{
    const st_bag *b = m->props;
    const st_value *v;
    const char *s;

    /* RFC 5322 3.6 wants a Date: the outermost message gets one from the
     * options (tests, reproducible output) or the clock when it has none;
     * an embedded message is written as it is. */
    if ((v = st_bag_get(b, PR_CLIENT_SUBMIT_TIME)) != NULL) {
        if (date_header(o, "Date", v->v.ft) != 0)
            return -1;
    } else if (o->depth == 1) {
        uint64_t now = o->opt && o->opt->date ? o->opt->date
                                              : ((uint64_t)time(NULL) + 11644473600ULL) * 10000000ULL;
        if (date_header(o, "Date", now) != 0)
            return -1;
    }
    const char *fn = get_str(b, PR_SENT_REPRESENTING_NAME);
    const char *fa = smtp_of(b, PR_SENT_REPRESENTING_SMTP_ADDRESS, PR_SENT_REPRESENTING_EMAIL_ADDRESS,
                             PR_SENT_REPRESENTING_ADDRTYPE);
    fa = usable_addr(fa);
    const char *sn = get_str(b, PR_SENDER_NAME);
    const char *sa = usable_addr(smtp_of(b, PR_SENDER_SMTP_ADDRESS, PR_SENDER_EMAIL_ADDRESS, PR_SENDER_ADDRTYPE));
    if (!fn && !fa) {
        fn = sn;
        fa = sa;
    }
    if ((fn || fa) && (puts_(o, "From: ") != 0 || mailbox(o, fn, fa) != 0 || puts_(o, "\r\n") != 0))
        return -1;
    if (sa && fa && strcasecmp(sa, fa) != 0
        && (puts_(o, "Sender: ") != 0 || mailbox(o, sn, sa) != 0 || puts_(o, "\r\n") != 0))
        return -1;
    if (reply_to(o, b) != 0)
        return -1;
    if (recipients(o, m, MAPI_TO, "To") != 0 || recipients(o, m, MAPI_CC, "Cc") != 0
        || (!(o->opt && (o->opt->flags & CV_MIME_BUILD_OMIT_BCC))
            && recipients(o, m, MAPI_BCC, "Bcc") != 0))
        return -1;
    if ((s = get_str(b, PR_SUBJECT)) != NULL && header_text(o, "Subject", s) != 0)
        return -1;
    if ((s = get_str(b, PR_INTERNET_MESSAGE_ID)) != NULL && is_plain(s) && strlen(s) <= MAX_ID
        && printf_(o, "Message-ID: %s\r\n", s) != 0)
        return -1;
    if ((s = get_str(b, PR_IN_REPLY_TO_ID)) != NULL && is_plain(s) && strlen(s) <= MAX_ID
        && printf_(o, "In-Reply-To: %s\r\n", s) != 0)
        return -1;
    if ((s = get_str(b, PR_INTERNET_REFERENCES)) != NULL && is_plain(s)) {
        /* one id a line keeps long chains under the line limit */
        if (puts_(o, "References:") != 0)
            return -1;
        const char *p = s;
        while (*p) {
            while (*p == ' ')
                p++;
            const char *e = strchr(p, ' ');
            size_t l = e ? (size_t)(e - p) : strlen(p);
            if (l && l <= MAX_ID && (puts_(o, o->col > 12 ? "\r\n " : " ") != 0 || put(o, p, l) != 0))
                return -1;
            p += l;
        }
        if (puts_(o, "\r\n") != 0)
            return -1;
    }
    if ((s = get_str(b, PR_CONVERSATION_TOPIC)) != NULL && header_text(o, "Thread-Topic", s) != 0)
        return -1;
    if ((v = st_bag_get(b, PR_CONVERSATION_INDEX)) != NULL && v->v.bin.len > 0) {
        char *e = NULL;
        if (cv_mime__b64_encode(&e, NULL, v->v.bin.data, v->v.bin.len, 0) != 0) {
            o->failed = 1;
            return -1;
        }
        int rc = strlen(e) > MAX_ID ? 0 : printf_(o, "Thread-Index: %s\r\n", e);
        free(e);
        if (rc != 0)
            return -1;
    }
    int32_t imp = get_long(b, PR_IMPORTANCE, IMPORTANCE_NORMAL);
    if (imp == IMPORTANCE_HIGH && puts_(o, "Importance: high\r\nX-Priority: 1\r\n") != 0)
        return -1;
    if (imp == IMPORTANCE_LOW && puts_(o, "Importance: low\r\nX-Priority: 5\r\n") != 0)
        return -1;
    int32_t sens = get_long(b, PR_SENSITIVITY, 0);
    static const char *const sens_names[] = { NULL, "Personal", "Private", "Company-Confidential" };
    if (sens > 0 && sens <= 3 && printf_(o, "Sensitivity: %s\r\n", sens_names[sens]) != 0)
        return -1;
    v = st_bag_get(b, PR_READ_RECEIPT_REQUESTED);
    if (v && v->v.b && fa
        && (puts_(o, "Disposition-Notification-To: ") != 0 || put_addr(o, fa) != 0
            || puts_(o, "\r\n") != 0))
        return -1;
    v = st_bag_get(b, PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED);
    if (v && v->v.b && fa
        && (puts_(o, "Return-Receipt-To: ") != 0 || put_addr(o, fa) != 0 || puts_(o, "\r\n") != 0))
        return -1;
    return puts_(o, "MIME-Version: 1.0\r\n");
}

static void new_boundary(out *o, char *b, size_t size)
{
    const char *seed = o->opt && o->opt->boundary_seed ? o->opt->boundary_seed : NULL;
    if (seed)
        snprintf(b, size, "=_%s_%u", seed, ++o->seq);
    else
        snprintf(b, size, "=_mapidav_%08lx%04x_%u", (unsigned long)time(NULL),
                 (unsigned)((uintptr_t)o >> 4 & 0xFFFF), ++o->seq);
}

/* A text body as quoted-printable; charset NULL: UTF-8. */
static int text_part_cs(out *o, const char *type, const void *data, size_t len, const char *charset)
{
    char *qp = NULL;
    size_t ql = 0;
    if (cv_mime__qp_encode(&qp, &ql, data, len) != 0) {
        o->failed = 1;
        return -1;
    }
    int rc = printf_(o, "Content-Type: %s; charset=%s\r\n"
                        "Content-Transfer-Encoding: quoted-printable\r\n\r\n", type,
                     charset ? charset : "utf-8");
    rc |= put(o, qp, ql);
    rc |= puts_(o, "\r\n");
    free(qp);
    return rc ? -1 : 0;
}

static int text_part(out *o, const char *type, const void *data, size_t len)
{
    return text_part_cs(o, type, data, len, NULL);
}

/* PR_HTML is bytes in PR_INTERNET_CPID (the parser stores UTF-8 and
 * 65001; Outlook may store another code page). */
static const char *html_charset(const cv_message *m)
{
    int32_t cpid = get_long(m->props, PR_INTERNET_CPID, 65001);
    const char *cs = cpid != 65001 ? cv_charset_from_codepage((unsigned)cpid) : NULL;
    return cs && is_plain(cs) && !strpbrk(cs, " ;\"") ? cs : NULL;
}

/* RFC 2231 7: attribute-char, what an extended value may hold unencoded. */
static int attr_char(unsigned char c)
{
    return isalnum(c) || strchr("!#$&+-.^_`|~", c) != NULL;
}

/* A parameter (RFC 2045 5.1 / RFC 2183 2 / RFC 2231). Printable ASCII
 * that fits on its line is a quoted string. Anything else is an RFC 2231
 * extended value, UTF-8 with percent-encoding: name*=UTF-8''... when it
 * fits on one line, else the sections name*0*=UTF-8''...; name*1*=...,
 * each line within FOLD, cut between characters (never inside a %XX or a
 * UTF-8 sequence). Past MAX_SEGS sections the lines grow (up to HARD)
 * rather than the count, as readers cap the parameters of a field. Then
 * name="..." follows as a fallback for readers without RFC 2231: the
 * value in printable ASCII, other characters '_', shortened to fit and
 * keeping the extension. Outlook puts an RFC 2047 word in the quotes of
 * Content-Type's name; we do not (RFC 2047 5 forbids it, and a long name
 * cannot be folded inside quotes). Python's email reads the RFC 2231
 * value when it comes first, so it does. */
static int param(out *o, const char *name, const char *value)
{
    size_t len = strlen(value), nl = strlen(name), q = 2;
    for (const char *c = value; *c; c++)
        q += 1 + (*c == '"' || *c == '\\');
    if (is_plain(value) && 1 + nl + 1 + q + 1 <= FOLD) {
        if (printf_(o, ";\r\n\t%s=\"", name) != 0)
            return -1;
        for (const char *c = value; *c; c++)
            if (((*c == '"' || *c == '\\') && put(o, "\\", 1) != 0) || put(o, c, 1) != 0)
                return -1;
        return puts_(o, "\"");
    }
    /* the encoded length, and whether it fits on one line */
    size_t enc = 0;
    for (size_t i = 0; i < len; i++)
        enc += attr_char((unsigned char)value[i]) ? 1 : 3;
    /* "\t" name "*=" "UTF-8''" value ";" */
    int one = 1 + nl + 2 + 7 + enc + 1 <= FOLD;
    /* per line: "\t" name "*" digits "*=" ... ";"; digits <= 4 */
    size_t fixed = 1 + nl + 1 + 4 + 2 + 1;
    if (fixed + 7 + 12 > HARD) /* assert-worthy: names are ours */
        return -1;
    size_t width = FOLD > fixed + 7 + 12 ? FOLD - fixed - 7 : 12;
    if ((enc + width - 1) / width > MAX_SEGS)
        width = (enc + MAX_SEGS - 1) / MAX_SEGS;
    if (width > HARD - fixed - 7)
        width = HARD - fixed - 7; /* more than MAX_SEGS lines of HARD: cut there */
    size_t i = 0;
    for (unsigned sec = 0; i < len && sec < MAX_SEGS + (one ? 1 : 0); sec++) {
        if ((one ? printf_(o, ";\r\n\t%s*=UTF-8''", name)
                 : printf_(o, ";\r\n\t%s*%u*=%s", name, sec, sec ? "" : "UTF-8''")) != 0)
            return -1;
        size_t w = 0;
        while (i < len) {
            /* one character: a UTF-8 sequence (or a stray byte) */
            size_t k = 1;
            while (i + k < len && ((unsigned char)value[i + k] & 0xC0) == 0x80 && k < 4)
                k++;
            size_t cw = 0;
            for (size_t j = 0; j < k; j++)
                cw += attr_char((unsigned char)value[i + j]) ? 1 : 3;
            if (!one && w > 0 && w + cw > width)
                break;
            for (size_t j = 0; j < k; j++) {
                unsigned char c = (unsigned char)value[i + j];
                if ((attr_char(c) ? put(o, &c, 1) : printf_(o, "%%%02X", c)) != 0)
                    return -1;
            }
            w += cw;
            i += k;
        }
        if (one)
            break;
    }
    /* the fallback, ASCII, keeping the extension when shortened */
    char fb[FOLD];
    size_t room = FOLD - 1 - nl - 1 - 2 - 1, n = 0;
    const char *dot = strrchr(value, '.');
    size_t ext = dot && strlen(dot) < 16 ? strlen(dot) : 0;
    if (room > sizeof fb - 1)
        room = sizeof fb - 1;
    for (size_t k = 0; k < len && n < room; k++) {
        unsigned char c = (unsigned char)value[k];
        if (ext && n + ext >= room && value + k < dot)
            k = (size_t)(dot - value), c = '.';
        if ((c & 0xC0) == 0x80)
            continue; /* one '_' a character */
        fb[n++] = c >= 32 && c < 127 && c != '"' && c != '\\' ? (char)c : '_';
    }
    fb[n] = 0;
    return printf_(o, ";\r\n\t%s=\"%s\"", name, fb);
}

static int b64_data(out *o, const void *data, size_t len)
{
    char *e = NULL;
    size_t el = 0;
    if (cv_mime__b64_encode(&e, &el, data, len, 76) != 0) {
        o->failed = 1;
        return -1;
    }
    int rc = put(o, e, el);
    if (el)
        rc |= puts_(o, "\r\n");
    free(e);
    return rc ? -1 : 0;
}

/* Bytes of a MIME entity as they are, but with bare LF made CRLF (the
 * canonical form signatures are computed over, RFC 5751 3.1.1). *last is
 * the byte before data. */
static int put_crlf(out *o, const void *data, size_t len, char *last)
{
    const char *d = data;
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        char prev = i > 0 ? d[i - 1] : *last;
        if (d[i] == '\n' && prev != '\r') {
            if (put(o, d + start, i - start) != 0 || put(o, "\r", 1) != 0)
                return -1;
            start = i;
        }
    }
    if (len)
        *last = d[len - 1];
    return put(o, d + start, len - start);
}

/* The attachment's bytes, base64 (raw 0) or as an entity (raw 1). */
static int emit_data(out *o, const cv_attachment *a, int raw)
{
    const st_value *d = st_bag_get(a->props, PR_ATTACH_DATA_BIN);
    char last = 0;
    if (d)
        return raw ? put_crlf(o, d->v.bin.data, d->v.bin.len, &last)
                   : b64_data(o, d->v.bin.data, d->v.bin.len);
    const cv_source *src = o->opt ? o->opt->source : NULL;
    if (!a->data_id || !src || !src->read)
        return 0;
    char *slice = malloc(SLICE);
    uint64_t off = 0;
    if (!slice) {
        st_error_set("out of memory");
        o->failed = 1;
        return -1;
    }
    for (;;) {
        size_t have = 0;
        /* fill a whole slice so lines stay 76 characters */
        while (have < SLICE) {
            size_t got = 0;
            if (src->read(src->ctx, a->data_id, off, slice + have, SLICE - have, &got) != 0) {
                st_error_set("mime build: the attachment source failed");
                o->failed = 1;
                free(slice);
                return -1;
            }
            if (got == 0)
                break;
            have += got;
            off += got;
        }
        if (have == 0 || (raw ? put_crlf(o, slice, have, &last) : b64_data(o, slice, have)) != 0
            || have < SLICE)
            break;
    }
    free(slice);
    return o->failed ? -1 : 0;
}

static int attachment_data(out *o, const cv_attachment *a)
{
    return emit_data(o, a, 0);
}

static int build_entity(out *o, const cv_message *m, int top);

static int attachment_part(out *o, const cv_attachment *a, int inline_)
{
    const st_bag *b = a->props;
    const char *name = get_str(b, PR_ATTACH_LONG_FILENAME);
    if (!name)
        name = get_str(b, PR_ATTACH_FILENAME);
    if (!name)
        name = get_str(b, PR_DISPLAY_NAME);
    const char *cid = get_str(b, PR_ATTACH_CONTENT_ID);
    const char *loc = get_str(b, PR_ATTACH_CONTENT_LOCATION);

    if (a->embedded) {
        if (puts_(o, "Content-Type: message/rfc822\r\nContent-Disposition: attachment") != 0
            || (name && param(o, "filename", name) != 0) || puts_(o, "\r\n\r\n") != 0)
            return -1;
        return build_entity(o, a->embedded, 1);
    }
    const char *mime = get_str(b, PR_ATTACH_MIME_TAG);
    if (!mime || !strchr(mime, '/') || !is_plain(mime) || strpbrk(mime, "; \"") || strlen(mime) > 100)
        mime = "application/octet-stream";
    if (printf_(o, "Content-Type: %s", mime) != 0 || (name && param(o, "name", name) != 0)
        || puts_(o, "\r\nContent-Transfer-Encoding: base64\r\n") != 0
        || puts_(o, inline_ ? "Content-Disposition: inline" : "Content-Disposition: attachment") != 0
        || (name && param(o, "filename", name) != 0) || puts_(o, "\r\n") != 0)
        return -1;
    if (cid && is_plain(cid) && strlen(cid) <= MAX_ID && printf_(o, "Content-ID: <%s>\r\n", cid) != 0)
        return -1;
    if (loc && is_plain(loc) && strlen(loc) <= MAX_ID && printf_(o, "Content-Location: %s\r\n", loc) != 0)
        return -1;
    if (puts_(o, "\r\n") != 0)
        return -1;
    return attachment_data(o, a);
}

static int is_related(const cv_attachment *a)
{
    const st_value *h = st_bag_get(a->props, PR_ATTACHMENT_HIDDEN);
    const st_value *f = st_bag_get(a->props, PR_ATTACH_FLAGS);
    int hidden = (h && h->v.b) || (f && ((uint32_t)f->v.l & ATT_MHTML_REF));
    return hidden && !a->embedded
           && (get_str(a->props, PR_ATTACH_CONTENT_ID) || get_str(a->props, PR_ATTACH_CONTENT_LOCATION));
}

/* The HTML, and the related parts with it when there are any. */
static int html_part(out *o, const cv_message *m, const st_value *html)
{
    size_t nrel = 0;
    for (size_t i = 0; i < m->n_attachments; i++)
        nrel += is_related(&m->attachments[i]);
    if (nrel == 0)
        return text_part_cs(o, "text/html", html->v.bin.data, html->v.bin.len, html_charset(m));
    char bd[80];
    new_boundary(o, bd, sizeof bd);
    if (printf_(o, "Content-Type: multipart/related; type=\"text/html\";\r\n\tboundary=\"%s\"\r\n\r\n", bd) != 0
        || printf_(o, "--%s\r\n", bd) != 0
        || text_part_cs(o, "text/html", html->v.bin.data, html->v.bin.len, html_charset(m)) != 0)
        return -1;
    for (size_t i = 0; i < m->n_attachments; i++)
        if (is_related(&m->attachments[i])
            && (printf_(o, "--%s\r\n", bd) != 0 || attachment_part(o, &m->attachments[i], 1) != 0))
            return -1;
    return printf_(o, "--%s--\r\n", bd);
}

static int body(out *o, const cv_message *m)
{
    const char *text = get_str(m->props, PR_BODY);
    const st_value *html = st_bag_get(m->props, PR_HTML);
    if (html && html->v.bin.len == 0)
        html = NULL;
    if (text && html) {
        char bd[80];
        new_boundary(o, bd, sizeof bd);
        if (printf_(o, "Content-Type: multipart/alternative;\r\n\tboundary=\"%s\"\r\n\r\n", bd) != 0
            || printf_(o, "--%s\r\n", bd) != 0 || text_part(o, "text/plain", text, strlen(text)) != 0
            || printf_(o, "--%s\r\n", bd) != 0 || html_part(o, m, html) != 0)
            return -1;
        return printf_(o, "--%s--\r\n", bd);
    }
    if (html)
        return html_part(o, m, html);
    return text_part(o, "text/plain", text ? text : "", text ? strlen(text) : 0);
}

static int build_body_of(out *o, const cv_message *m);
static int build_entity_body(out *o, const cv_message *m);

/* Headers and body of one message; top: with its envelope. */
static int build_entity(out *o, const cv_message *m, int top)
{

    if (top) {
        o->depth++;
        int rc = build_body_of(o, m);
        o->depth--;
        return rc;
    }
    return build_entity_body(o, m);
}

static int build_body_of(out *o, const cv_message *m)
{
    return envelope(o, m) == 0 ? build_entity_body(o, m) : -1;
}

/* The MIME headers and content of m, no envelope. */
static int build_entity_body(out *o, const cv_message *m)
{
    const char *cls = get_str(m->props, PR_MESSAGE_CLASS);
    const st_value *html = st_bag_get(m->props, PR_HTML);
    int has_html = html && html->v.bin.len > 0;

    if (cls && strcasecmp(cls, "IPM.Note.SMIME.MultipartSigned") == 0 && m->n_attachments == 1) {
        /* the attachment is the signed entity, its own headers first */
        return emit_data(o, &m->attachments[0], 1);
    }
    if (cls && strcasecmp(cls, "IPM.Note.SMIME") == 0 && m->n_attachments == 1) {
        if (puts_(o, "Content-Type: application/pkcs7-mime; smime-type=enveloped-data;\r\n"
                     "\tname=\"smime.p7m\"\r\nContent-Transfer-Encoding: base64\r\n"
                     "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n") != 0)
            return -1;
        return attachment_data(o, &m->attachments[0]);
    }
    size_t nmixed = 0;
    for (size_t i = 0; i < m->n_attachments; i++)
        nmixed += !(has_html && is_related(&m->attachments[i]));
    if (nmixed == 0)
        return body(o, m);
    char bd[80];
    new_boundary(o, bd, sizeof bd);
    if (printf_(o, "Content-Type: multipart/mixed;\r\n\tboundary=\"%s\"\r\n\r\n", bd) != 0
        || printf_(o, "--%s\r\n", bd) != 0 || body(o, m) != 0)
        return -1;
    for (size_t i = 0; i < m->n_attachments; i++) {
        if (has_html && is_related(&m->attachments[i]))
            continue;
        if (printf_(o, "--%s\r\n", bd) != 0 || attachment_part(o, &m->attachments[i], 0) != 0)
            return -1;
    }
    return printf_(o, "--%s--\r\n", bd);
}

int cv_mime_build(const cv_message *msg, const cv_mime_build_options *opts,
                  const cv_mime_writer *writer)
{
    out *o = calloc(1, sizeof *o);
    if (!o) {
        st_error_set("out of memory");
        return -1;
    }
    o->w = writer;
    o->opt = opts;
    int rc = build_entity(o, msg, 1);
    assert(o->depth == 0);
    if (flush(o) != 0)
        rc = -1;
    if (o->failed)
        rc = -1;
    free(o);
    return rc;
}
