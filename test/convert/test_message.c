/*
 * test_message.c: the cv_message container: rows and attachments numbered
 * in order, embedded messages freed with their parent.
 */
#include "convert/message.h"
#include "storage/props_tags.h"
#include "testutil.h"

int main(void)
{
    cv_message *msg = cv_message_new();
    st_bag *row = NULL;
    cv_attachment *att = NULL;

    ok(msg != NULL, "cv_message_new failed\n");
    if (!msg)
        return test_done();
    for (int i = 0; i < 10; i++) {
        ok(cv_message_add_recipient(msg, &row) == 0 && row, "recipient %d\n", i);
        ok(cv_message_add_attachment(msg, &att) == 0 && att, "attachment %d\n", i);
    }
    ok(msg->n_recipients == 10, "got %u recipients\n", (unsigned)msg->n_recipients);
    ok(msg->n_attachments == 10, "got %u attachments\n", (unsigned)msg->n_attachments);
    for (size_t i = 0; i < msg->n_attachments; i++) {
        const st_value *num = st_bag_get(msg->attachments[i].props, PR_ATTACH_NUM);
        ok(num && num->v.l == (int32_t)i, "attachment %u numbered %d\n", (unsigned)i,
           num ? num->v.l : -1);
        const st_value *rowid = st_bag_get(msg->recipients[i], PR_ROWID);
        ok(rowid && rowid->v.l == (int32_t)i, "recipient %u numbered %d\n", (unsigned)i,
           rowid ? rowid->v.l : -1);
    }
    /* An embedded message inside an embedded message: freed with the top. */
    msg->attachments[3].embedded = cv_message_new();
    ok(msg->attachments[3].embedded != NULL, "embedded message\n");
    if (msg->attachments[3].embedded) {
        ok(cv_message_add_attachment(msg->attachments[3].embedded, &att) == 0, "nested attachment\n");
        if (att)
            att->embedded = cv_message_new();
    }
    ok(st_bag_set_str(msg->props, PR_SUBJECT, "Grüße") == 0, "set subject\n");
    cv_message_free(msg);
    cv_message_free(NULL);
    return test_done();
}
