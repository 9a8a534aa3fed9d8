/*
 * mime_report.c: the machine-readable part of report messages -> MAPI
 * report properties, after [MS-OXCMAIL] 2.2.3.7 (the message class itself
 * is chosen in mime_parse.c, report_class()).
 *
 * Delivery status notifications (RFC 3464), [MS-OXCMAIL] 2.2.3.7.1:
 *   - one recipient row (MAPI_TO) per per-recipient block whose Action has
 *     the highest severity found (the spec's SHOULD: a bounce that also
 *     lists delivered recipients shows the failed ones only);
 *   - the address is Final-Recipient, else Original-Recipient ("rfc822;"
 *     or no type: SMTP, with entry ids and search key; another type is kept
 *     as the address type); PR_DISPLAY_NAME is X-Display-Name, else the
 *     address;
 *   - Remote-MTA (its mta-name) -> PR_DSN_REMOTE_MTA; X-Supplementary-Info,
 *     else "<mta #status diagnostic>" (2.2.3.7.1.2) -> PR_SUPPLEMENTARY_INFO;
 *   - Status -> PR_NDR_STATUS_CODE (kind*100 + subject*10 + detail),
 *     PR_NDR_DIAG_CODE and PR_NDR_REASON_CODE (2.2.3.7.1.3). Only the rows
 *     of the 2.2.3.7.1.3 table we could verify are mapped (subject 1, and
 *     subject 2 details 1-4); any other status keeps the spec's initial
 *     values (diag -1, reason 0);
 *   - PR_REPORT_TIME (and PR_DELIVER_TIME unless the action is "failed")
 *     is the report's sent time (Date), else Last-Attempt-Date, else the
 *     per-message Arrival-Date.
 * Disposition notifications (RFC 8098): PR_REPORT_TIME and PR_PARENT_KEY
 * (X-MSExch-Correlation-Key) only; the class is mime_parse.c's.
 * The returned message (message/rfc822, or text/rfc822-headers) gives
 * PR_ORIGINAL_SUBJECT, _SUBMIT_TIME, _DISPLAY_TO/CC/BCC, _SENDER_* and
 * _SENT_REPRESENTING_*.
 *
 * Untrusted input: at most CV_MIME_REPORT_MAX_ROWS rows, field values cut
 * to CV_MIME_REPORT_MAX_FIELD bytes, blocks without a recipient or an
 * Action skipped; all counted in cv_mime_report_stats for the warnings.
 * Never: fail for anything but memory, read past len.
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

/* ---- blocks and fields ---- */

static int blank_line(const char *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
            return 0;
    return 1;
}

/* The next block of field lines (blank lines between blocks) from *pos:
 * 1 with *g, *glen set, 0 at the end. */
static int next_block(const char *s, size_t len, size_t *pos, const char **g, size_t *glen)
{
    size_t i = *pos, start = len;

    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - s) : len;
        int blank = blank_line(s + i, e - i);
        if (start == len) {
            if (!blank)
                start = i;
        } else if (blank) {
            break;
        }
        i = nl ? e + 1 : len;
    }
    *pos = i;
    if (start == len)
        return 0;
    *g = s + start;
    *glen = i - start;
    return 1;
}

/* A field's value, cut to the bound and made UTF-8 (RFC 2047 words
 * decoded), trimmed; *out NULL when the field is absent. 0 or -1. */
static int fval(char **out, const cv_mime_header *h, const char *name, cv_mime_report_stats *st)
{
    const cv_mime_field *f = cv_mime__header_get(h, name);
    size_t n;

    *out = NULL;
    if (!f)
        return 0;
    n = f->value_len;
    if (n > CV_MIME_REPORT_MAX_FIELD) {
        n = CV_MIME_REPORT_MAX_FIELD;
        st->cut++;
    }
    if (cv_mime__decode_text(out, f->value, n) != 0)
        return -1;
    char *v = *out;
    size_t l = strlen(v);
    while (l > 0 && isspace((unsigned char)v[l - 1]))
        v[--l] = 0;
    return 0;
}

/* "type; value" -> the value (trimmed, <> dropped) in place; *type (lower
 * case, "" when none) points into the same buffer. */
static char *typed_value(char *v, const char **type)
{
    char *semi = strchr(v, ';');
    char *val = v;

    *type = "";
    if (semi) {
        *semi = 0;
        char *t = v;
        while (isspace((unsigned char)*t))
            t++;
        size_t tl = strlen(t);
        while (tl > 0 && isspace((unsigned char)t[tl - 1]))
            t[--tl] = 0;
        for (char *c = t; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        *type = t;
        val = semi + 1;
    }
    while (isspace((unsigned char)*val))
        val++;
    size_t l = strlen(val);
    while (l > 0 && isspace((unsigned char)val[l - 1]))
        val[--l] = 0;
    if (l >= 2 && val[0] == '<' && val[l - 1] == '>') {
        val[l - 1] = 0;
        val++;
    }
    return val;
}

int cv_mime__dsn_severity(const char *v, size_t len)
{
    static const char *const sev[] = { "delivered", "expanded", "relayed", "delayed", "failed" };

    while (len > 0 && isspace((unsigned char)*v)) {
        v++;
        len--;
    }
    for (int k = 0; k < (int)(sizeof sev / sizeof sev[0]); k++) {
        size_t sl = strlen(sev[k]);
        if (len >= sl && strncasecmp(v, sev[k], sl) == 0
            && (len == sl || !isalnum((unsigned char)v[sl])))
            return k;
    }
    return -1;
}

/* ---- Status -> codes ([MS-OXCMAIL] 2.2.3.7.1.3) ---- */

typedef struct status_code {
    int ok;          /* a status-code was found */
    int kind, subject, detail;
    char text[16];   /* the status-code as written ("5.1.1") */
} status_code;

static int digits(const char *s, size_t *i, int *out)
{
    int v = 0, n = 0;
    while (isdigit((unsigned char)s[*i]) && n < 3) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    *out = v;
    return n > 0 && !isdigit((unsigned char)s[*i]);
}

static void parse_status(status_code *sc, const char *v)
{
    size_t i = 0;

    memset(sc, 0, sizeof *sc);
    while (isspace((unsigned char)v[i]))
        i++;
    size_t start = i;
    if (!digits(v, &i, &sc->kind) || v[i++] != '.' || !digits(v, &i, &sc->subject)
        || v[i++] != '.' || !digits(v, &i, &sc->detail))
        return;
    snprintf(sc->text, sizeof sc->text, "%.*s", (int)(i - start), v + start);
    if (sc->subject > 9)
        sc->subject = 0;
    if (sc->detail > 9)
        sc->detail = 0;
    sc->ok = 1;
}

/* DiagnosticCode and ReasonCode from subject and detail. Only the rows of
 * the spec's table we have verified; the rest keep the initial values. */
static void diag_reason(const status_code *sc, int32_t *diag, int32_t *reason)
{
    *diag = -1;
    *reason = 0;
    if (sc->subject == 1) {
        switch (sc->detail) {
        case 1: *diag = 35; *reason = 1; break;
        case 2: *diag = 48; break;
        case 3: *diag = 32; break;
        case 4: *diag = 1; break;
        case 6: *diag = 40; break;
        default: *diag = 0; break;
        }
    } else if (sc->subject == 2) {
        switch (sc->detail) {
        case 1: *diag = 38; break;
        case 2:
        case 3: *diag = 13; break;
        case 4: *diag = 30; break;
        default: break; /* not verified: initial values */
        }
    }
}

/* ---- DSN ---- */

typedef struct jstr {
    char *p;
    size_t n, cap;
} jstr;

static int jcat(jstr *b, const char *s)
{
    size_t l = strlen(s);
    if (st_reserve(&b->p, &b->cap, b->n + l + 1, 64) < 0)
        return -1;
    memcpy(b->p + b->n, s, l + 1);
    b->n += l;
    return 0;
}

static int has_recipient_fields(const cv_mime_header *h)
{
    return cv_mime__header_get(h, "Final-Recipient") || cv_mime__header_get(h, "Original-Recipient")
           || cv_mime__header_get(h, "Action");
}

/* One per-recipient block -> one row, when its Action is best. */
static int dsn_row(cv_message *msg, const cv_mime_header *h, int best, const uint64_t *sent,
                   uint64_t arrival, int have_arrival, cv_mime_report_stats *st)
{
    char *fr = NULL, *orr = NULL, *action = NULL, *name = NULL, *mta = NULL, *status = NULL;
    char *diagc = NULL, *supp = NULL, *last = NULL;
    jstr sb = { 0 };
    int rc = -1;

    if (fval(&fr, h, "Final-Recipient", st) != 0 || fval(&orr, h, "Original-Recipient", st) != 0
        || fval(&action, h, "Action", st) != 0)
        goto done;
    const char *type = "", *addr = "";
    if (fr)
        addr = typed_value(fr, &type);
    if (!*addr && orr)
        addr = typed_value(orr, &type);
    int sev = action ? cv_mime__dsn_severity(action, strlen(action)) : -1;
    if (!*addr || sev < 0) {
        st->malformed++;
        rc = 0;
        goto done;
    }
    if (sev != best) {
        rc = 0;
        goto done;
    }
    if (st->rows >= CV_MIME_REPORT_MAX_ROWS) {
        st->dropped++;
        rc = 0;
        goto done;
    }

    char addrtype[33];
    if (!*type || strcmp(type, "rfc822") == 0) {
        snprintf(addrtype, sizeof addrtype, "SMTP");
    } else {
        snprintf(addrtype, sizeof addrtype, "%s", type);
        for (char *c = addrtype; *c; c++)
            *c = (char)toupper((unsigned char)*c);
    }
    if (fval(&name, h, "X-Display-Name", st) != 0 || fval(&mta, h, "Remote-MTA", st) != 0
        || fval(&status, h, "Status", st) != 0 || fval(&diagc, h, "Diagnostic-Code", st) != 0
        || fval(&supp, h, "X-Supplementary-Info", st) != 0
        || fval(&last, h, "Last-Attempt-Date", st) != 0)
        goto done;

    st_bag *row = NULL;
    if (cv_message_add_recipient(msg, &row) != 0
        || cv_mime__fill_recipient(row, MAPI_TO, name && *name ? name : addr, addrtype, addr) != 0)
        goto done;
    st->rows++;

    const char *mta_name = "";
    if (mta) {
        const char *mt;
        mta_name = typed_value(mta, &mt);
        if (*mta_name && st_bag_set_str(row, PR_DSN_REMOTE_MTA, mta_name) != 0)
            goto done;
    }
    status_code sc;
    parse_status(&sc, status ? status : "");
    if (sc.ok) {
        int32_t diag, reason;
        diag_reason(&sc, &diag, &reason);
        if (st_bag_set_long(row, PR_NDR_STATUS_CODE,
                            (int32_t)(sc.kind * 100 + sc.subject * 10 + sc.detail)) != 0
            || st_bag_set_long(row, PR_NDR_DIAG_CODE, diag) != 0
            || st_bag_set_long(row, PR_NDR_REASON_CODE, reason) != 0)
            goto done;
    }
    if (supp && *supp) {
        if (st_bag_set_str(row, PR_SUPPLEMENTARY_INFO, supp) != 0)
            goto done;
    } else if (jcat(&sb, "<") != 0 || jcat(&sb, mta_name) != 0 || jcat(&sb, " #") != 0
               || jcat(&sb, sc.text) != 0
               || (diagc && *diagc && (jcat(&sb, " ") != 0 || jcat(&sb, diagc) != 0))
               || jcat(&sb, ">") != 0 || st_bag_set_str(row, PR_SUPPLEMENTARY_INFO, sb.p) != 0) {
        goto done;
    }

    uint64_t t = 0;
    int have_t = 0;
    if (sent) {
        t = *sent;
        have_t = 1;
    } else if (last && cv_mime__date_parse(&t, last, strlen(last)) == 0) {
        have_t = 1;
    } else if (have_arrival) {
        t = arrival;
        have_t = 1;
    }
    if (have_t && (st_bag_set_systime(row, PR_REPORT_TIME, t) != 0
                   || (sev != 4 && st_bag_set_systime(row, PR_DELIVER_TIME, t) != 0)))
        goto done;
    rc = 0;
done:
    free(fr);
    free(orr);
    free(action);
    free(name);
    free(mta);
    free(status);
    free(diagc);
    free(supp);
    free(last);
    free(sb.p);
    return rc;
}

/* The report's rows replace the first n0 rows (from To/Cc/Bcc). */
static int replace_header_rows(cv_message *msg, size_t n0)
{
    jstr disp = { 0 };
    int rc = -1;

    for (size_t i = 0; i < n0; i++)
        st_bag_free(msg->recipients[i]);
    memmove(msg->recipients, msg->recipients + n0,
            (msg->n_recipients - n0) * sizeof *msg->recipients);
    msg->n_recipients -= n0;
    if (jcat(&disp, "") != 0)
        goto done;
    for (size_t i = 0; i < msg->n_recipients; i++) {
        const st_value *v = st_bag_get(msg->recipients[i], PR_DISPLAY_NAME);
        if ((i > 0 && jcat(&disp, "; ") != 0) || jcat(&disp, v ? v->v.str : "") != 0)
            goto done;
    }
    if (st_bag_set_str(msg->props, PR_DISPLAY_TO, disp.p) != 0
        || st_bag_set_str(msg->props, PR_DISPLAY_CC, "") != 0
        || st_bag_set_str(msg->props, PR_DISPLAY_BCC, "") != 0)
        goto done;
    rc = 0;
done:
    free(disp.p);
    return rc;
}

static int sent_time(const cv_message *msg, uint64_t *out)
{
    const st_value *v = st_bag_get(msg->props, PR_CLIENT_SUBMIT_TIME);
    if (!v)
        return 0;
    *out = v->v.ft;
    return 1;
}

int cv_mime__map_dsn(cv_message *msg, const char *status, size_t len, cv_mime_report_stats *st)
{
    size_t pos = 0, glen = 0, n0 = msg->n_recipients;
    const char *g = NULL;
    int best = -1, have_arrival = 0, rc = -1;
    uint64_t arrival = 0, sent = 0;
    int have_sent = sent_time(msg, &sent);

    /* pass 1: the highest severity, and the per-message Arrival-Date */
    while (next_block(status, len, &pos, &g, &glen)) {
        cv_mime_header h = { 0 };
        if (cv_mime__header_parse(&h, g, glen) != 0)
            return -1;
        const cv_mime_field *a = cv_mime__header_get(&h, "Action");
        if (a) {
            int s = cv_mime__dsn_severity(a->value, a->value_len);
            if (s > best)
                best = s;
        } else if (!has_recipient_fields(&h) && !have_arrival) {
            const cv_mime_field *d = cv_mime__header_get(&h, "Arrival-Date");
            if (d && cv_mime__date_parse(&arrival, d->value,
                                         d->value_len > CV_MIME_REPORT_MAX_FIELD
                                             ? CV_MIME_REPORT_MAX_FIELD : d->value_len) == 0)
                have_arrival = 1;
        }
        cv_mime__header_clear(&h);
    }
    if (have_sent && st_bag_set_systime(msg->props, PR_REPORT_TIME, sent) != 0)
        return -1;

    /* pass 2: the rows */
    pos = 0;
    while (next_block(status, len, &pos, &g, &glen)) {
        cv_mime_header h = { 0 };
        if (cv_mime__header_parse(&h, g, glen) != 0)
            return -1;
        int r = has_recipient_fields(&h)
                    ? dsn_row(msg, &h, best, have_sent ? &sent : NULL, arrival, have_arrival, st)
                    : 0;
        cv_mime__header_clear(&h);
        if (r != 0)
            return -1;
    }
    if (msg->n_recipients > n0 && replace_header_rows(msg, n0) != 0)
        goto done;
    rc = 0;
done:
    return rc;
}

/* ---- MDN ---- */

int cv_mime__map_mdn(cv_message *msg, const char *status, size_t len, cv_mime_report_stats *st)
{
    size_t pos = 0, glen = 0;
    const char *g = NULL;
    uint64_t sent = 0;
    int done_key = 0;

    if (sent_time(msg, &sent) && st_bag_set_systime(msg->props, PR_REPORT_TIME, sent) != 0)
        return -1;
    while (!done_key && next_block(status, len, &pos, &g, &glen)) {
        cv_mime_header h = { 0 };
        char *key = NULL;
        if (cv_mime__header_parse(&h, g, glen) != 0)
            return -1;
        int r = fval(&key, &h, "X-MSExch-Correlation-Key", st);
        cv_mime__header_clear(&h);
        if (r != 0)
            return -1;
        if (key) {
            uint8_t *bin = NULL;
            size_t bl = 0;
            done_key = 1;
            r = cv_mime__b64_decode_all(&bin, &bl, key, strlen(key));
            if (r == 0 && bl > 0)
                r = st_bag_set_bin(msg->props, PR_PARENT_KEY, bin, (uint32_t)bl);
            free(bin);
            free(key);
            if (r != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- the returned message ---- */

int cv_mime__map_original(st_bag *report, const st_bag *orig)
{
    static const uint32_t map[][2] = {
        { PR_SUBJECT, PR_ORIGINAL_SUBJECT },
        { PR_CLIENT_SUBMIT_TIME, PR_ORIGINAL_SUBMIT_TIME },
        { PR_DISPLAY_TO, PR_ORIGINAL_DISPLAY_TO },
        { PR_DISPLAY_CC, PR_ORIGINAL_DISPLAY_CC },
        { PR_DISPLAY_BCC, PR_ORIGINAL_DISPLAY_BCC },
        { PR_SENDER_NAME, PR_ORIGINAL_SENDER_NAME },
        { PR_SENDER_ADDRTYPE, PR_ORIGINAL_SENDER_ADDRTYPE },
        { PR_SENDER_EMAIL_ADDRESS, PR_ORIGINAL_SENDER_EMAIL_ADDRESS },
        { PR_SENDER_ENTRYID, PR_ORIGINAL_SENDER_ENTRYID },
        { PR_SENDER_SEARCH_KEY, PR_ORIGINAL_SENDER_SEARCH_KEY },
        { PR_SENT_REPRESENTING_NAME, PR_ORIGINAL_SENT_REPRESENTING_NAME },
        { PR_SENT_REPRESENTING_ADDRTYPE, PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE },
        { PR_SENT_REPRESENTING_EMAIL_ADDRESS, PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS },
        { PR_SENT_REPRESENTING_ENTRYID, PR_ORIGINAL_SENT_REPRESENTING_ENTRYID },
        { PR_SENT_REPRESENTING_SEARCH_KEY, PR_ORIGINAL_SENT_REPRESENTING_SEARCH_KEY },
    };

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        const st_value *v = st_bag_get(orig, map[i][0]);
        if (!v)
            continue;
        st_value c = *v;
        c.tag = PROP_TAG(PROP_TYPE(v->tag), PROP_ID(map[i][1]));
        if (st_bag_set(report, &c) != 0)
            return -1;
    }
    return 0;
}

int cv_mime__map_original_headers(st_bag *report, const char *raw, size_t len)
{
    cv_mime_header h = { 0 };
    cv_message *t = NULL;
    int rc = -1;

    if (cv_mime__header_parse(&h, raw, len) != 0)
        return -1;
    t = cv_message_new();
    if (!t) {
        st_error_set("out of memory");
        goto done;
    }
    if (cv_mime__map_headers(t, &h, NULL, 0, CV_MIME_NO_TRANSPORT_HEADERS) != 0
        || cv_mime__map_original(report, t->props) != 0)
        goto done;
    rc = 0;
done:
    cv_message_free(t);
    cv_mime__header_clear(&h);
    return rc;
}
