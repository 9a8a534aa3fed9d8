/*
 * message.c: the cv_message container: creation, growth, freeing.
 * Invariant: attachments[i].props holds PR_ATTACH_NUM == i.
 */
#include <stdlib.h>
#include <string.h>

#include "convert/message.h"
#include "storage/error.h"
#include "storage/props_tags.h"

cv_message *cv_message_new(void)
{
    cv_message *msg = calloc(1, sizeof *msg);

    if (!msg)
        return NULL;
    msg->props = st_bag_new();
    if (!msg->props) {
        free(msg);
        return NULL;
    }
    return msg;
}

void cv_message_free(cv_message *msg)
{
    if (!msg)
        return;
    st_bag_free(msg->props);
    for (size_t i = 0; i < msg->n_recipients; i++)
        st_bag_free(msg->recipients[i]);
    free(msg->recipients);
    for (size_t i = 0; i < msg->n_attachments; i++) {
        st_bag_free(msg->attachments[i].props);
        cv_message_free(msg->attachments[i].embedded);
    }
    free(msg->attachments);
    free(msg);
}

/* Makes room for one more element of size elem in *array. */
static int grow(void **array, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 4;
    void *p = realloc(*array, ncap * elem);
    if (!p) {
        st_error_set("out of memory");
        return -1;
    }
    *array = p;
    *cap = ncap;
    return 0;
}

int cv_message_add_recipient(cv_message *msg, st_bag **out)
{
    st_bag *row;

    *out = NULL;
    if (grow((void **)&msg->recipients, &msg->cap_recipients_, msg->n_recipients,
             sizeof *msg->recipients) != 0)
        return -1;
    row = st_bag_new();
    if (!row || st_bag_set_long(row, PR_ROWID, (int32_t)msg->n_recipients) != 0) {
        st_bag_free(row);
        st_error_set("out of memory");
        return -1;
    }
    msg->recipients[msg->n_recipients++] = row;
    *out = row;
    return 0;
}

int cv_message_add_attachment(cv_message *msg, cv_attachment **out)
{
    cv_attachment *a;

    *out = NULL;
    if (grow((void **)&msg->attachments, &msg->cap_attachments_, msg->n_attachments,
             sizeof *msg->attachments) != 0)
        return -1;
    a = &msg->attachments[msg->n_attachments];
    memset(a, 0, sizeof *a);
    a->props = st_bag_new();
    if (!a->props || st_bag_set_long(a->props, PR_ATTACH_NUM, (int32_t)msg->n_attachments) != 0) {
        st_bag_free(a->props);
        a->props = NULL;
        st_error_set("out of memory");
        return -1;
    }
    msg->n_attachments++;
    *out = a;
    return 0;
}
