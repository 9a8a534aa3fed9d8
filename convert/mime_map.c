/*
 * mime_map.c: header fields -> MAPI properties, after [MS-OXCMAIL] 2.2.3
 * (Internet to MAPI), and the names an attachment gets.
 *
 * Choices made here (where the spec leaves room or we kept it simple):
 *   - From -> PR_SENT_REPRESENTING_*; Sender -> PR_SENDER_* (From when
 *     there is no Sender, Sender for both when there is no From). Address
 *     type "SMTP", PR_*_SMTP_ADDRESS the same address. Entry ids and search
 *     keys are the store's business (later).
 *   - Reply-To -> PR_REPLY_RECIPIENT_NAMES ("; "-joined) and
 *     PR_REPLY_RECIPIENT_ENTRIES (a FLATENTRYLIST of one-off entry ids).
 *   - Every address with an SMTP address gets a one-off entry id
 *     ([MS-OXCDATA] 2.2.5.1: Unicode, no rich info, as Outlook writes them)
 *     and a search key "SMTP:ADDRESS" (upper case, NUL-terminated): on
 *     recipient rows PR_ENTRYID, PR_RECIPIENT_ENTRYID, PR_SEARCH_KEY; on the
 *     message PR_SENDER_* and PR_SENT_REPRESENTING_* ENTRYID / SEARCH_KEY.
 *   - To/Cc/Bcc (every such field, in order) -> recipient rows;
 *     PR_DISPLAY_TO/CC/BCC are the "; "-joined display names (the address
 *     when there is no name), always set ("" when none).
 *   - Subject prefix: 1 to 3 characters, none a digit or white space, then
 *     ":" and a space ("RE: ", "AW: ", "Fwd: "): [MS-OXCMSG] 2.2.1.9.
 *     PR_CONVERSATION_TOPIC is Thread-Topic, else the normalized subject.
 *   - Date -> PR_CLIENT_SUBMIT_TIME; the date of the first (topmost)
 *     Received field -> PR_MESSAGE_DELIVERY_TIME, else Date.
 *   - Importance: "Importance" wins over "X-Priority" (1,2 high; 4,5 low),
 *     "X-MSMail-Priority" and "Priority" (urgent / non-urgent); set only
 *     when one of them is present.
 *   - Disposition-Notification-To -> PR_READ_RECEIPT_REQUESTED;
 *     Return-Receipt-To -> PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED.
 *   - PR_TRANSPORT_MESSAGE_HEADERS is the raw header block as UTF-8 (8-bit
 *     bytes through the charset guess), line ends as received.
 *
 * Invariant: only the bag is written; a header that cannot be read is
 * skipped, never an error. Never: fail for anything but memory.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert/mime_int.h"
#include "convert/mime_report.h"
#include "storage/error.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"

typedef struct jbuf {
    char *p;    /* NUL-terminated */
    size_t n;   /* used */
    size_t cap; /* allocated */
} jbuf;

static int jadd(jbuf *b, const char *s)
{
    size_t len = strlen(s);
    if (st_reserve(&b->p, &b->cap, b->n + len + 1, 64) < 0)
        return -1;
    memcpy(b->p + b->n, s, len + 1);
    b->n += len;
    return 0;
}

/* The fields cv_mime__map_headers reads, found in one pass over the block
 * (a lookup per name cost a pass each, ~25 passes per message). */
enum fid {
    F_NONE, F_TO, F_CC, F_BCC, F_FROM, F_DATE, F_SENDER, F_SUBJECT, F_REPLY_TO, F_RECEIVED,
    F_PRIORITY, F_LIST_HELP, F_MESSAGE_ID, F_REFERENCES, F_IMPORTANCE, F_X_PRIORITY,
    F_IN_REPLY_TO, F_SENSITIVITY, F_THREAD_TOPIC, F_THREAD_INDEX, F_LIST_SUBSCRIBE,
    F_LIST_UNSUBSCRIBE, F_X_MSMAIL_PRIORITY, F_RETURN_RECEIPT_TO, F_DISP_NOTIFICATION_TO,
    F_COUNT
};

/* By enum fid; the enum is in order of length, which hindex_make relies on. */
#define FN(s) { s, sizeof s - 1 }
static const struct {
    const char *name;
    size_t len;
} fid_name[F_COUNT] = {
    FN(""), FN("To"), FN("Cc"), FN("Bcc"), FN("From"), FN("Date"), FN("Sender"),
    FN("Subject"), FN("Reply-To"), FN("Received"), FN("Priority"), FN("List-Help"),
    FN("Message-ID"), FN("References"), FN("Importance"), FN("X-Priority"), FN("In-Reply-To"),
    FN("Sensitivity"), FN("Thread-Topic"), FN("Thread-Index"), FN("List-Subscribe"),
    FN("List-Unsubscribe"), FN("X-MSMail-Priority"), FN("Return-Receipt-To"),
    FN("Disposition-Notification-To"),
};
#undef FN

#define FID_MAX_LEN 27   /* strlen("Disposition-Notification-To") */

typedef struct hindex {
    const cv_mime_header *h;
    unsigned char *id;          /* enum fid of each field of h */
    unsigned char id_small[64]; /* id when h has at most 64 fields */
    size_t first[F_COUNT];      /* index of the first field of each fid, h->n: none */
} hindex;

static void hindex_free(hindex *x)
{
    if (x->id != x->id_small)
        free(x->id);
}

static int hindex_make(hindex *x, const cv_mime_header *h)
{
    unsigned char from_len[FID_MAX_LEN + 2]; /* first fid of each name length */

    x->h = h;
    x->id = h->n <= sizeof x->id_small ? x->id_small : malloc(h->n);
    if (!x->id) {
        st_error_set("out of memory");
        return -1;
    }
    for (size_t j = 0; j < F_COUNT; j++)
        x->first[j] = h->n;
    for (size_t l = 0, j = 1; l <= FID_MAX_LEN + 1; l++) {
        while (j < F_COUNT && fid_name[j].len < l)
            j++;
        from_len[l] = (unsigned char)j;
    }
    for (size_t k = 0; k < h->n; k++) {
        const cv_mime_field *f = &h->f[k];
        unsigned char id = F_NONE;
        if (f->name_len <= FID_MAX_LEN) {
            unsigned c0 = (unsigned char)f->name[0] | 0x20;
            for (size_t j = from_len[f->name_len]; j < F_COUNT && fid_name[j].len == f->name_len;
                 j++)
                if (((unsigned char)fid_name[j].name[0] | 0x20) == c0
                    && strcasecmp(f->name, fid_name[j].name) == 0) {
                    id = (unsigned char)j;
                    break;
                }
        }
        x->id[k] = id;
        if (id != F_NONE && x->first[id] == h->n)
            x->first[id] = k;
    }
    return 0;
}

/* The first field of that id, or NULL. */
static const cv_mime_field *fget(const hindex *x, enum fid id)
{
    return x->first[id] < x->h->n ? &x->h->f[x->first[id]] : NULL;
}

static const char *field(const hindex *x, enum fid id, size_t *len)
{
    const cv_mime_field *f = fget(x, id);
    if (!f)
        return NULL;
    if (len)
        *len = f->value_len;
    return f->value;
}

static int set_text(st_bag *bag, uint32_t tag, const char *v, size_t len)
{
    char *d = NULL;
    if (cv_mime__decode_text(&d, v, len) != 0)
        return -1;
    return st_bag_take_strn(bag, tag, d, strlen(d));   /* the bag takes d: no copy */
}

/* A structured value (ids, URLs) kept as written, white space collapsed. */
static int set_collapsed(st_bag *bag, uint32_t tag, const char *v, size_t len)
{
    char *d = malloc(len + 1);
    size_t n = 0;
    if (!d) {
        st_error_set("out of memory");
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        int sp = v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n';
        if (sp) {
            if (n > 0 && d[n - 1] != ' ')
                d[n++] = ' ';
        } else {
            d[n++] = v[i];
        }
    }
    while (n > 0 && d[n - 1] == ' ')
        n--;
    d[n] = 0;
    return st_bag_take_strn(bag, tag, d, n);   /* the bag takes d: no copy */
}

size_t cv_mime__subject_prefix_len(const char *s)
{
    size_t i = 0;
    int chars = 0;

    while (s[i] && s[i] != ':' && chars < 4) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c) || isspace(c))
            return 0;
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    if (chars < 1 || chars > 3 || s[i] != ':' || s[i + 1] != ' ')
        return 0;
    i += 2;
    while (s[i] == ' ')
        i++;
    return i;
}

int cv_mime__map_subject(st_bag *bag, const char *subject)
{
    size_t pl = cv_mime__subject_prefix_len(subject);

    if (st_bag_set_str(bag, PR_SUBJECT, subject) != 0
        || st_bag_set_strn(bag, PR_SUBJECT_PREFIX, subject, pl) != 0
        || st_bag_set_str(bag, PR_NORMALIZED_SUBJECT, subject + pl) != 0)
        return -1;
    return 0;
}

/* UTF-8 (valid) -> UTF-16LE with a terminating NUL, appended at *o. */
static size_t utf16le(uint8_t *o, const char *s)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        if (*p < 0x80) {
            cp = *p++;
        } else if ((*p & 0xE0) == 0xC0 && p[1]) {
            cp = (uint32_t)(*p & 0x1F) << 6 | (p[1] & 0x3F);
            p += 2;
        } else if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) {
            cp = (uint32_t)(*p & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            p += 3;
        } else if ((*p & 0xF8) == 0xF0 && p[1] && p[2] && p[3]) {
            cp = (uint32_t)(*p & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12
                 | (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
            p += 4;
        } else {
            cp = 0xFFFD;
            p++;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            uint32_t hi = 0xD800 | cp >> 10, lo = 0xDC00 | (cp & 0x3FF);
            o[n++] = (uint8_t)hi;
            o[n++] = (uint8_t)(hi >> 8);
            o[n++] = (uint8_t)lo;
            o[n++] = (uint8_t)(lo >> 8);
        } else {
            o[n++] = (uint8_t)cp;
            o[n++] = (uint8_t)(cp >> 8);
        }
    }
    o[n++] = 0;
    o[n++] = 0;
    return n;
}

int cv_mime__oneoff_entryid(uint8_t **out, size_t *len, const char *name, const char *addr)
{
    static const uint8_t uid[16] = { 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                     0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02 };
    size_t cap = 24 + (strlen(name) + strlen(addr) + 8) * 4;
    uint8_t *e = calloc(1, cap);
    if (!e) {
        st_error_set("out of memory");
        return -1;
    }
    memcpy(e + 4, uid, 16);           /* flags 0 (long term), MAPI_ONE_OFF_UID */
    e[20] = 0;                        /* version 0 */
    e[21] = 0;
    e[22] = 0x01;                     /* flags 0x9001 (Intel order): MAPI_ONE_OFF_UNICODE, */
    e[23] = 0x90;                     /* NO_RICH_INFO and the format bits Outlook writes */
    size_t n = 24;
    n += utf16le(e + n, name);
    n += utf16le(e + n, "SMTP");
    n += utf16le(e + n, addr);
    *out = e;
    *len = n;
    return 0;
}

/* "SMTP:ADDRESS" + NUL, the search key of an SMTP address, and the
 * one-off entry id of name and addr, set as tags[0..n) (each computed once
 * however many tags share it). */
static int set_search_key(st_bag *bag, const uint32_t *tags, size_t n, const char *addr)
{
    size_t l = strlen(addr);
    char small[256];   /* the usual address: no allocation */
    char *k = l + 6 <= sizeof small ? small : malloc(l + 6);
    int rc = 0;
    if (!k) {
        st_error_set("out of memory");
        return -1;
    }
    memcpy(k, "SMTP:", 5);
    for (size_t i = 0; i <= l; i++) {
        char c = addr[i];   /* toupper of the C locale the program runs in */
        k[5 + i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = st_bag_set_bin(bag, tags[i], k, (uint32_t)(l + 6));
    if (k != small)
        free(k);
    return rc;
}

static int set_entryid(st_bag *bag, const uint32_t *tags, size_t n, const char *name,
                       const char *addr)
{
    uint8_t *e = NULL;
    size_t el = 0;
    int rc = 0;
    if (cv_mime__oneoff_entryid(&e, &el, name, addr) != 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = st_bag_set_bin(bag, tags[i], e, (uint32_t)el);
    free(e);
    return rc;
}

typedef struct who {
    uint32_t name, email, addrtype, smtp, entryid, search_key;
} who;

static const who sent_repr = { PR_SENT_REPRESENTING_NAME, PR_SENT_REPRESENTING_EMAIL_ADDRESS,
                               PR_SENT_REPRESENTING_ADDRTYPE, PR_SENT_REPRESENTING_SMTP_ADDRESS,
                               PR_SENT_REPRESENTING_ENTRYID, PR_SENT_REPRESENTING_SEARCH_KEY };
static const who sender = { PR_SENDER_NAME, PR_SENDER_EMAIL_ADDRESS, PR_SENDER_ADDRTYPE,
                            PR_SENDER_SMTP_ADDRESS, PR_SENDER_ENTRYID, PR_SENDER_SEARCH_KEY };

/* Sets the properties of w (and of w2 too when not NULL: one person as
 * both sender and sent-representing) from a. */
static int set_who(st_bag *bag, const who *w, const who *w2, const cv_mime_addr *a)
{
    const who *ws[2] = { w, w2 };
    size_t n = w2 ? 2 : 1;
    const char *name = *a->name ? a->name : a->addr;
    for (size_t i = 0; i < n; i++) {
        if (st_bag_set_str(bag, ws[i]->name, name) != 0)
            return -1;
        if (*a->addr
            && (st_bag_set_str(bag, ws[i]->email, a->addr) != 0
                || st_bag_set_str(bag, ws[i]->addrtype, "SMTP") != 0
                || st_bag_set_str(bag, ws[i]->smtp, a->addr) != 0))
            return -1;
    }
    if (*a->addr) {
        uint32_t eid[2] = { w->entryid, w2 ? w2->entryid : 0 };
        uint32_t key[2] = { w->search_key, w2 ? w2->search_key : 0 };
        if (set_entryid(bag, eid, n, name, a->addr) != 0
            || set_search_key(bag, key, n, a->addr) != 0)
            return -1;
    }
    return 0;
}

/* PR_REPLY_RECIPIENT_ENTRIES: FLATENTRYLIST ([MS-OXCDATA] 2.3.3), each
 * FLATENTRY padded to 4 bytes. */
static int set_reply_entries(st_bag *bag, const cv_mime_addr *a, size_t n)
{
    size_t cap = 8, used = 8, count = 0;
    for (size_t i = 0; i < n; i++)
        cap += 4 + 24 + (strlen(a[i].name) + strlen(a[i].addr) + 8) * 4 + 4;
    uint8_t *l = calloc(1, cap);
    if (!l) {
        st_error_set("out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = NULL;
        size_t el = 0;
        if (!*a[i].addr)
            continue;
        if (cv_mime__oneoff_entryid(&e, &el, *a[i].name ? a[i].name : a[i].addr, a[i].addr) != 0) {
            free(l);
            return -1;
        }
        l[used] = (uint8_t)el;
        l[used + 1] = (uint8_t)(el >> 8);
        l[used + 2] = (uint8_t)(el >> 16);
        l[used + 3] = (uint8_t)(el >> 24);
        memcpy(l + used + 4, e, el);
        free(e);
        used += (4 + el + 3) & ~(size_t)3;
        count++;
    }
    int rc = 0;
    if (count > 0) {
        size_t cb = used - 8;
        l[0] = (uint8_t)count;
        l[1] = (uint8_t)(count >> 8);
        l[4] = (uint8_t)cb;
        l[5] = (uint8_t)(cb >> 8);
        l[6] = (uint8_t)(cb >> 16);
        l[7] = (uint8_t)(cb >> 24);
        rc = st_bag_set_bin(bag, PR_REPLY_RECIPIENT_ENTRIES, l, (uint32_t)used);
    }
    free(l);
    return rc;
}

/* Every field named name, parsed and appended to *all (one pass over the
 * fields: a block of many To fields stays linear). */
static int addr_fields(cv_mime_addr **all, size_t *n, const hindex *x, enum fid id)
{
    size_t cap = 0;
    const cv_mime_header *h = x->h;

    *all = NULL;
    *n = 0;
    for (size_t k = x->first[id]; k < h->n; k++) {
        const cv_mime_field *f = &h->f[k];
        cv_mime_addr *a = NULL;
        size_t na = 0;
        if (x->id[k] != id)
            continue;
        if (cv_mime__addr_parse(&a, &na, f->value, f->value_len) != 0)
            goto fail;
        if (na == 0)
            continue;
        if (*n + na > cap) {
            size_t nc = cap ? cap * 2 : 8;
            while (nc < *n + na)
                nc *= 2;
            cv_mime_addr *m = realloc(*all, nc * sizeof *m);
            if (!m) {
                cv_mime__addr_free(a, na);
                st_error_set("out of memory");
                goto fail;
            }
            *all = m;
            cap = nc;
        }
        memcpy(*all + *n, a, na * sizeof *a);
        free(a);
        *n += na;
    }
    return 0;
fail:
    cv_mime__addr_free(*all, *n);
    *all = NULL;
    *n = 0;
    return -1;
}

int cv_mime__fill_recipient(st_bag *row, uint32_t type, const char *name, const char *addrtype,
                            const char *addr)
{
    if (st_bag_set_long(row, PR_RECIPIENT_TYPE, (int32_t)type) != 0
        || st_bag_set_str(row, PR_DISPLAY_NAME, name) != 0
        || st_bag_set_str(row, PR_RECIPIENT_DISPLAY_NAME, name) != 0
        || st_bag_set_long(row, PR_OBJECT_TYPE, (int32_t)MAPI_MAILUSER) != 0
        || st_bag_set_long(row, PR_DISPLAY_TYPE, (int32_t)DT_MAILUSER) != 0)
        return -1;
    if (!*addr)
        return 0;
    if (st_bag_set_str(row, PR_EMAIL_ADDRESS, addr) != 0
        || st_bag_set_str(row, PR_ADDRTYPE, addrtype) != 0)
        return -1;
    if (strcmp(addrtype, "SMTP") != 0)
        return 0;
    static const uint32_t eid[2] = { PR_ENTRYID, PR_RECIPIENT_ENTRYID };
    static const uint32_t key[1] = { PR_SEARCH_KEY };
    if (st_bag_set_str(row, PR_SMTP_ADDRESS, addr) != 0 || set_entryid(row, eid, 2, name, addr) != 0
        || set_search_key(row, key, 1, addr) != 0)
        return -1;
    return 0;
}

static int map_recipients(cv_message *msg, const hindex *x, enum fid id, uint32_t type,
                          uint32_t display_tag)
{
    cv_mime_addr *a = NULL;
    size_t n = 0;
    jbuf disp = { 0 };
    int rc = -1;

    if (addr_fields(&a, &n, x, id) != 0)
        return -1;
    if (jadd(&disp, "") != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        st_bag *row = NULL;
        const char *dn = *a[i].name ? a[i].name : a[i].addr;
        if (cv_message_add_recipient(msg, &row) != 0
            || cv_mime__fill_recipient(row, type, dn, "SMTP", a[i].addr) != 0)
            goto done;
        if ((i > 0 && jadd(&disp, "; ") != 0) || jadd(&disp, dn) != 0)
            goto done;
    }
    rc = st_bag_take_strn(msg->props, display_tag, disp.p, disp.n);   /* takes disp.p */
    disp.p = NULL;
done:
    free(disp.p);
    cv_mime__addr_free(a, n);
    return rc;
}

static int received_date(uint64_t *ft, const hindex *x)
{
    const cv_mime_field *f = fget(x, F_RECEIVED);
    if (!f)
        return -1;
    const char *semi = NULL;
    for (size_t i = f->value_len; i > 0; i--)
        if (f->value[i - 1] == ';') {
            semi = f->value + i;
            break;
        }
    if (!semi)
        return -1;
    return cv_mime__date_parse(ft, semi, f->value_len - (size_t)(semi - f->value)) == 0 ? 0 : -1;
}

static int word_is(const char *v, size_t len, const char *w)
{
    size_t wl = strlen(w);
    while (len > 0 && isspace((unsigned char)*v)) {
        v++;
        len--;
    }
    return len >= wl && strncasecmp(v, w, wl) == 0;
}

static int map_importance(st_bag *bag, const hindex *h)
{
    size_t len = 0;
    const char *v;
    int imp = -1;

    if ((v = field(h, F_IMPORTANCE, &len)) != NULL) {
        if (word_is(v, len, "high"))
            imp = IMPORTANCE_HIGH;
        else if (word_is(v, len, "low"))
            imp = IMPORTANCE_LOW;
        else
            imp = IMPORTANCE_NORMAL;
    } else if ((v = field(h, F_X_PRIORITY, &len)) != NULL) {
        size_t i = 0;
        while (i < len && isspace((unsigned char)v[i]))
            i++;
        int d = i < len && isdigit((unsigned char)v[i]) ? v[i] - '0' : 3;
        imp = d <= 2 ? IMPORTANCE_HIGH : d >= 4 ? IMPORTANCE_LOW : IMPORTANCE_NORMAL;
    } else if ((v = field(h, F_X_MSMAIL_PRIORITY, &len)) != NULL) {
        imp = word_is(v, len, "high") ? IMPORTANCE_HIGH
              : word_is(v, len, "low") ? IMPORTANCE_LOW : IMPORTANCE_NORMAL;
    } else if ((v = field(h, F_PRIORITY, &len)) != NULL) {
        imp = word_is(v, len, "urgent") ? IMPORTANCE_HIGH
              : word_is(v, len, "non-urgent") ? IMPORTANCE_LOW : IMPORTANCE_NORMAL;
    }
    if (imp < 0)
        return 0;
    return st_bag_set_long(bag, PR_IMPORTANCE, imp);
}

static int map_sensitivity(st_bag *bag, const hindex *h)
{
    size_t len = 0;
    const char *v = field(h, F_SENSITIVITY, &len);
    int32_t s;

    if (!v)
        return 0;
    if (word_is(v, len, "personal"))
        s = (int32_t)SENSITIVITY_PERSONAL;
    else if (word_is(v, len, "private"))
        s = (int32_t)SENSITIVITY_PRIVATE;
    else if (word_is(v, len, "company-confidential"))
        s = (int32_t)SENSITIVITY_COMPANY_CONFIDENTIAL;
    else
        s = (int32_t)SENSITIVITY_NONE;
    return st_bag_set_long(bag, PR_SENSITIVITY, s);
}

int cv_mime__map_headers(cv_message *msg, const cv_mime_header *h, const char *raw,
                         size_t raw_len, unsigned flags)
{
    st_bag *bag = msg->props;
    cv_mime_addr *from = NULL, *snd = NULL, *rt = NULL;
    size_t nfrom = 0, nsnd = 0, nrt = 0;
    const char *v;
    size_t len = 0;
    uint64_t ft = 0;
    int rc = -1;
    char *subject = NULL;
    hindex x;

    if (hindex_make(&x, h) != 0)
        return -1;

    /* originator */
    if (addr_fields(&from, &nfrom, &x, F_FROM) != 0 || addr_fields(&snd, &nsnd, &x, F_SENDER) != 0
        || addr_fields(&rt, &nrt, &x, F_REPLY_TO) != 0)
        goto done;
    /* From for both without Sender, Sender for both without From */
    if (nfrom > 0 && set_who(bag, &sent_repr, nsnd > 0 ? NULL : &sender, &from[0]) != 0)
        goto done;
    if (nsnd > 0 && set_who(bag, &sender, nfrom > 0 ? NULL : &sent_repr, &snd[0]) != 0)
        goto done;
    if (nrt > 0) {
        jbuf names = { 0 };
        for (size_t i = 0; i < nrt; i++)
            if ((i > 0 && jadd(&names, "; ") != 0)
                || jadd(&names, *rt[i].name ? rt[i].name : rt[i].addr) != 0) {
                free(names.p);
                goto done;
            }
        int r = st_bag_take_strn(bag, PR_REPLY_RECIPIENT_NAMES, names.p, names.n); /* takes it */
        if (r != 0 || set_reply_entries(bag, rt, nrt) != 0)
            goto done;
    }
    if (map_recipients(msg, &x, F_TO, MAPI_TO, PR_DISPLAY_TO) != 0
        || map_recipients(msg, &x, F_CC, MAPI_CC, PR_DISPLAY_CC) != 0
        || map_recipients(msg, &x, F_BCC, MAPI_BCC, PR_DISPLAY_BCC) != 0)
        goto done;

    /* subject and conversation */
    if ((v = field(&x, F_SUBJECT, &len)) != NULL) {
        if (cv_mime__decode_text(&subject, v, len) != 0 || cv_mime__map_subject(bag, subject) != 0)
            goto done;
    }
    if ((v = field(&x, F_THREAD_TOPIC, &len)) != NULL) {
        if (set_text(bag, PR_CONVERSATION_TOPIC, v, len) != 0)
            goto done;
    } else if (subject) {
        if (st_bag_set_str(bag, PR_CONVERSATION_TOPIC,
                           subject + cv_mime__subject_prefix_len(subject)) != 0)
            goto done;
    }
    if ((v = field(&x, F_THREAD_INDEX, &len)) != NULL) {
        uint8_t *bin = NULL;
        size_t bl = 0;
        if (cv_mime__b64_decode_all(&bin, &bl, v, len) != 0)
            goto done;
        int r = bl > 0 ? st_bag_set_bin(bag, PR_CONVERSATION_INDEX, bin, (uint32_t)bl) : 0;
        free(bin);
        if (r != 0)
            goto done;
    }

    /* dates */
    int have_date = 0;
    if ((v = field(&x, F_DATE, &len)) != NULL && cv_mime__date_parse(&ft, v, len) == 0) {
        have_date = 1;
        if (st_bag_set_systime(bag, PR_CLIENT_SUBMIT_TIME, ft) != 0)
            goto done;
    }
    if (received_date(&ft, &x) == 0 || have_date) {
        if (st_bag_set_systime(bag, PR_MESSAGE_DELIVERY_TIME, ft) != 0)
            goto done;
    }

    /* ids */
    if ((v = field(&x, F_MESSAGE_ID, &len)) != NULL
        && set_collapsed(bag, PR_INTERNET_MESSAGE_ID, v, len) != 0)
        goto done;
    if ((v = field(&x, F_IN_REPLY_TO, &len)) != NULL
        && set_collapsed(bag, PR_IN_REPLY_TO_ID, v, len) != 0)
        goto done;
    if ((v = field(&x, F_REFERENCES, &len)) != NULL
        && set_collapsed(bag, PR_INTERNET_REFERENCES, v, len) != 0)
        goto done;

    /* flags */
    if (map_importance(bag, &x) != 0 || map_sensitivity(bag, &x) != 0)
        goto done;
    if (field(&x, F_DISP_NOTIFICATION_TO, NULL)
        && st_bag_set_bool(bag, PR_READ_RECEIPT_REQUESTED, 1) != 0)
        goto done;
    if (field(&x, F_RETURN_RECEIPT_TO, NULL)
        && st_bag_set_bool(bag, PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED, 1) != 0)
        goto done;

    /* lists (RFC 2369) */
    if ((v = field(&x, F_LIST_HELP, &len)) != NULL && set_collapsed(bag, PR_LIST_HELP, v, len) != 0)
        goto done;
    if ((v = field(&x, F_LIST_SUBSCRIBE, &len)) != NULL
        && set_collapsed(bag, PR_LIST_SUBSCRIBE, v, len) != 0)
        goto done;
    if ((v = field(&x, F_LIST_UNSUBSCRIBE, &len)) != NULL
        && set_collapsed(bag, PR_LIST_UNSUBSCRIBE, v, len) != 0)
        goto done;

    if (!(flags & CV_MIME_NO_TRANSPORT_HEADERS) && raw_len > 0) {
        char *u = NULL;
        size_t ul = 0;
        if (cv_mime__to_utf8(&u, &ul, NULL, raw, raw_len, NULL) != 0)
            goto done;
        if (st_bag_take_strn(bag, PR_TRANSPORT_MESSAGE_HEADERS, u, ul) != 0)   /* takes u */
            goto done;
    }
    rc = 0;
done:
    free(subject);
    cv_mime__addr_free(from, nfrom);
    cv_mime__addr_free(snd, nsnd);
    cv_mime__addr_free(rt, nrt);
    hindex_free(&x);
    return rc;
}

static const struct {
    const char *type;
    const char *ext;
} exts[] = {
    { "text/plain", ".txt" },        { "text/html", ".htm" },
    { "text/calendar", ".ics" },     { "text/vcard", ".vcf" },
    { "text/x-vcard", ".vcf" },      { "text/directory", ".vcf" },
    { "text/rfc822-headers", ".txt" }, { "message/rfc822", ".eml" },
    { "message/delivery-status", ".txt" }, { "message/disposition-notification", ".txt" },
    { "image/jpeg", ".jpg" },        { "image/png", ".png" },
    { "image/gif", ".gif" },         { "application/pdf", ".pdf" },
    { "application/ms-tnef", ".dat" }, { "application/pkcs7-mime", ".p7m" },
    { "application/pkcs7-signature", ".p7s" }, { "application/pgp-signature", ".asc" },
    { "application/zip", ".zip" },
};

/* The 8.3 form: base up to 8 and extension up to 3 characters of
 * [A-Z0-9_-], upper case; "~1" marks a shortened base. */
static void short_name(char out[13], const char *name)
{
    const char *dot = strrchr(name, '.');
    size_t bl = dot ? (size_t)(dot - name) : strlen(name);
    char base[9], ext[4];
    size_t nb = 0, ne = 0, valid = 0;

    for (size_t i = 0; i < bl; i++) {
        unsigned char c = (unsigned char)name[i];
        if (isalnum(c) || c == '_' || c == '-') {
            valid++;
            if (nb < 8)
                base[nb++] = (char)toupper(c);
        }
    }
    if (valid > 8 || valid != bl) {
        if (nb > 6)
            nb = 6;
        base[nb++] = '~';
        base[nb++] = '1';
    }
    base[nb] = 0;
    for (const char *e = dot ? dot + 1 : ""; *e && ne < 3; e++)
        if (isalnum((unsigned char)*e))
            ext[ne++] = (char)toupper((unsigned char)*e);
    ext[ne] = 0;
    snprintf(out, 13, "%s%s%s", base, ne ? "." : "", ext);
}

int cv_mime__map_attach_name(st_bag *att, const char *filename, const char *mime_type,
                             unsigned seq)
{
    char gen[32];
    const char *name = filename;

    if (!name || !*name) {
        const char *ext = ".dat";
        for (size_t i = 0; mime_type && i < sizeof exts / sizeof exts[0]; i++)
            if (strcmp(mime_type, exts[i].type) == 0)
                ext = exts[i].ext;
        snprintf(gen, sizeof gen, "ATT%05u%s", seq % 100000u, ext);
        name = gen;
    }
    /* never a path: Windows and Unix separators out */
    const char *slash = name;
    for (const char *c = name; *c; c++)
        if ((*c == '/' || *c == '\\') && c[1])
            slash = c + 1;
    name = slash;
    char sn[13];
    short_name(sn, name);
    const char *dot = strrchr(name, '.');
    if (st_bag_set_str(att, PR_ATTACH_LONG_FILENAME, name) != 0
        || st_bag_set_str(att, PR_ATTACH_FILENAME, sn) != 0
        || st_bag_set_str(att, PR_DISPLAY_NAME, name) != 0
        || (dot && dot[1] && st_bag_set_str(att, PR_ATTACH_EXTENSION, dot) != 0))
        return -1;
    return 0;
}
