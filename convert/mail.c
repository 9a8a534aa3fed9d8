/*
 * mail.c: the steps around the MIME converter (mail.h): winmail.dat merged
 * into the parsed message, bodies filled in; bodies made ready to build.
 *
 * Invariant: PR_ATTACH_NUM of every attachment is its index after a merge,
 * and PR_HASATTACH / MSGFLAG_HASATTACH count the visible ones.
 * Never: lose winmail.dat when its TNEF cannot be read; recurse past
 * CV_TNEF_MAX_DEPTH embedded messages.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert/body.h"
#include "convert/mail.h"
#include "storage/error.h"
#include "storage/props_tags.h"

/* Properties MIME knows better than the TNEF inside it. */
static const uint32_t keep_from_mime[] = {
    PROP_TAG(PT_LONG, 0x0E08),      /* PR_MESSAGE_SIZE */
    PROP_TAG(PT_LONG, 0x0E07),      /* PR_MESSAGE_FLAGS */
    PROP_TAG(PT_UNICODE, 0x007D),   /* PR_TRANSPORT_MESSAGE_HEADERS */
    PROP_TAG(PT_UNICODE, 0x1035),   /* PR_INTERNET_MESSAGE_ID */
    PROP_TAG(PT_BOOLEAN, 0x0E1B),   /* PR_HASATTACH (recomputed) */
};

static int kept(uint32_t tag)
{
    for (size_t i = 0; i < sizeof keep_from_mime / sizeof keep_from_mime[0]; i++)
        if (PROP_ID(keep_from_mime[i]) == PROP_ID(tag))
            return 1;
    return 0;
}

static int is_tnef(const cv_attachment *a)
{
    const st_value *v = st_bag_get(a->props, PR_ATTACH_MIME_TAG);
    return v && v->v.str && (!strcasecmp(v->v.str, "application/ms-tnef") ||
                             !strcasecmp(v->v.str, "application/vnd.ms-tnef"));
}

/* The bytes of attachment a: borrowed from its props, or read from the
 * source into *owned. 0, 1 (no data), -1. */
static int attach_data(const cv_attachment *a, const cv_mail_options *opt, const uint8_t **data,
                       size_t *len, uint8_t **owned)
{
    const st_value *v = st_bag_get(a->props, PR_ATTACH_DATA_BIN);
    *owned = NULL;
    if (v) {
        *data = v->v.bin.data;
        *len = v->v.bin.len;
        return 0;
    }
    if (!a->data_id || !opt || !opt->source)
        return 1;
    size_t cap = a->data_size ? (size_t)a->data_size : 65536, n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        st_error_set("out of memory");
        return -1;
    }
    for (;;) {
        size_t got = 0;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                st_error_set("out of memory");
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
        if (opt->source->read(opt->source->ctx, a->data_id, n, buf + n, cap - n, &got) != 0) {
            free(buf);
            return -1;
        }
        if (got == 0)
            break;
        n += got;
    }
    *owned = buf;
    *data = buf;
    *len = n;
    return 0;
}

static int set_hasattach(cv_message *msg)
{
    int visible = 0;
    for (size_t i = 0; i < msg->n_attachments; i++) {
        const st_value *h = st_bag_get(msg->attachments[i].props, PR_ATTACHMENT_HIDDEN);
        if (!h || !h->v.b)
            visible++;
        if (st_bag_set_long(msg->attachments[i].props, PR_ATTACH_NUM, (int32_t)i) != 0)
            return -1;
    }
    const st_value *f = st_bag_get(msg->props, PR_MESSAGE_FLAGS);
    int32_t flags = f ? f->v.l : 0;
    flags = visible ? (flags | (int32_t)MSGFLAG_HASATTACH) : (flags & ~(int32_t)MSGFLAG_HASATTACH);
    if (st_bag_set_bool(msg->props, PR_HASATTACH, visible != 0) != 0 ||
        st_bag_set_long(msg->props, PR_MESSAGE_FLAGS, flags) != 0)
        return -1;
    return 0;
}

static int strip_named_bag(st_bag *bag)
{
    for (size_t j = st_bag_count(bag); j-- > 0;) {
        const st_value *v = st_bag_at(bag, j);
        if (PROP_ID(v->tag) >= 0x8000 && st_bag_delete(bag, v->tag) != 0)
            return -1;
    }
    return 0;
}

/* Drops the per-parse named ids from a message taken from a TNEF. */
static int strip_named(cv_message *m, int depth)
{
    if (strip_named_bag(m->props) != 0)
        return -1;
    for (size_t i = 0; i < m->n_recipients; i++)
        if (strip_named_bag(m->recipients[i]) != 0)
            return -1;
    for (size_t i = 0; i < m->n_attachments; i++) {
        if (strip_named_bag(m->attachments[i].props) != 0)
            return -1;
        if (m->attachments[i].embedded && depth < CV_TNEF_MAX_DEPTH + 1 &&
            strip_named(m->attachments[i].embedded, depth + 1) != 0)
            return -1;
    }
    return 0;
}

/* Moves t's message into msg in place of attachment k. */
static int merge(cv_message *msg, size_t k, cv_tnef *t, int keep_named)
{
    cv_message *tm = t->msg;

    for (size_t i = 0; i < st_bag_count(tm->props); i++) {
        const st_value *v = st_bag_at(tm->props, i);
        if (kept(v->tag) || (PROP_ID(v->tag) >= 0x8000 && !keep_named))
            continue;
        if (st_bag_set(msg->props, v) != 0)
            return -1;
    }
    if (!keep_named)
        for (size_t i = 0; i < tm->n_recipients; i++)
            if (strip_named_bag(tm->recipients[i]) != 0)
                return -1;
    if (msg->n_recipients == 0 && tm->n_recipients) {
        st_bag **tmp = msg->recipients;
        msg->recipients = tm->recipients;
        msg->n_recipients = tm->n_recipients;
        msg->cap_recipients_ = tm->cap_recipients_;
        tm->recipients = tmp;
        tm->n_recipients = 0;
        tm->cap_recipients_ = 0;
        free(tmp);
        tm->recipients = NULL;
    }
    size_t n = msg->n_attachments - 1 + tm->n_attachments;
    cv_attachment *na = calloc(n ? n : 1, sizeof *na);
    if (!na) {
        st_error_set("out of memory");
        return -1;
    }
    if (k)
        memcpy(na, msg->attachments, k * sizeof *na);
    if (tm->n_attachments)
        memcpy(na + k, tm->attachments, tm->n_attachments * sizeof *na);
    if (msg->n_attachments - k - 1)
        memcpy(na + k + tm->n_attachments, msg->attachments + k + 1,
               (msg->n_attachments - k - 1) * sizeof *na);
    st_bag_free(msg->attachments[k].props);
    cv_message_free(msg->attachments[k].embedded);
    free(msg->attachments);
    msg->attachments = na;
    msg->n_attachments = n;
    msg->cap_attachments_ = n ? n : 1;
    size_t moved = tm->n_attachments;
    tm->n_attachments = 0;
    if (!keep_named) {
        /* named ids of this parse mean nothing outside it: drop them */
        for (size_t i = k; i < k + moved; i++)
            if (strip_named_bag(na[i].props) != 0 ||
                (na[i].embedded && strip_named(na[i].embedded, 0) != 0))
                return -1;
    }
    return set_hasattach(msg);
}

static int from_mime(cv_message *msg, const cv_mail_options *opt, cv_tnef **tnef_out, int depth)
{
    int rc = 0;

    for (size_t i = 0; i < msg->n_attachments && depth < CV_TNEF_MAX_DEPTH; i++)
        if (msg->attachments[i].embedded) {
            int r = from_mime(msg->attachments[i].embedded, opt, NULL, depth + 1);
            if (r == -1)
                return -1;
            rc |= r;
        }
    for (size_t k = 0; k < msg->n_attachments; k++) {
        const uint8_t *data;
        size_t len;
        uint8_t *owned;
        cv_tnef *t = NULL;
        if (!is_tnef(&msg->attachments[k]))
            continue;
        int r = attach_data(&msg->attachments[k], opt, &data, &len, &owned);
        if (r == -1)
            return -1;
        if (r == 1)
            break;
        cv_tnef_options to = { .sink = opt ? opt->sink : NULL, .codepage = opt ? opt->codepage : 0 };
        r = cv_tnef_parse(&t, data, len, &to);
        free(owned);
        if (r == -1)
            return -1;
        if (!t) {
            st_error_set("winmail.dat is not TNEF; kept as an attachment");
            rc = 1;
            break;
        }
        if (merge(msg, k, t, tnef_out != NULL) != 0) {
            cv_tnef_free(t);
            return -1;
        }
        cv_message_free(t->msg);
        t->msg = NULL;
        if (tnef_out)
            *tnef_out = t;
        else
            cv_tnef_free(t);
        break;   /* one winmail.dat per message, as Exchange reads it */
    }
    int b = cv_body_sync(msg->props, 0, opt ? opt->body_flags : 0);
    if (b == -1)
        return -1;
    return rc;
}

int cv_mail_from_mime(cv_message *msg, const cv_mail_options *opt, cv_tnef **tnef_out)
{
    if (tnef_out)
        *tnef_out = NULL;
    return from_mime(msg, opt, tnef_out, 0);
}

static int prepare(cv_message *msg, int depth)
{
    if (cv_body_sync(msg->props, 0, 0) == -1)
        return -1;
    for (size_t i = 0; i < msg->n_attachments && depth < CV_TNEF_MAX_DEPTH; i++)
        if (msg->attachments[i].embedded && prepare(msg->attachments[i].embedded, depth + 1) != 0)
            return -1;
    return 0;
}

int cv_mail_prepare_build(cv_message *msg)
{
    return prepare(msg, 0);
}
