/*
 * message.h: the shape every converter produces and consumes (floor 1).
 *
 * A cv_message is what storage saves as one message object: its properties,
 * its recipient rows and its attachments, each a property bag of the model in
 * storage/props.h. An attachment holding a message (message/rfc822, TNEF's
 * attached messages) carries it whole in `embedded`.
 *
 * Large attachment data never has to be in memory: a converter given a sink
 * streams each attachment's bytes into it in chunks and records the stream's
 * id in the attachment (data_id); with no sink, the bytes are kept in
 * PR_ATTACH_DATA_BIN. The reverse (MIME building) reads them back through a
 * cv_source.
 *
 * Never: a database, a socket or a Windows header here.
 */
#ifndef MAPIDAV_CONVERT_MESSAGE_H
#define MAPIDAV_CONVERT_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "storage/props.h"

/* Named result codes of the converters, beside 0 (ok) and -1 (other error,
 * with st_error_set). */
#define CV_EPARSE (-10)     /* input is not what it claims to be; nothing usable */
#define CV_ENOCHARSET (-11) /* charset unknown to this platform */
#define CV_ELIMIT (-12)     /* a limit was hit; the output is truncated and marked */

typedef struct cv_message cv_message;

typedef struct cv_attachment {
    st_bag *props;        /* PR_ATTACH_NUM, METHOD, FILENAME, MIME_TAG, CONTENT_ID, ... */
    cv_message *embedded; /* ATTACH_EMBEDDED_MSG: the message, owned; else NULL */
    uint64_t data_id;     /* stream id given by the sink; 0: none (data in props or empty) */
    uint64_t data_size;   /* bytes streamed to the sink (or in PR_ATTACH_DATA_BIN) */
} cv_attachment;

struct cv_message {
    st_bag *props;              /* the message's own properties */
    st_bag **recipients;        /* n_recipients rows: PR_RECIPIENT_TYPE, names, addresses */
    size_t n_recipients;
    cv_attachment *attachments; /* n_attachments, in order; PR_ATTACH_NUM is the index */
    size_t n_attachments;
    size_t cap_recipients_;     /* private: allocated slots */
    size_t cap_attachments_;    /* private: allocated slots */
};

cv_message *cv_message_new(void);        /* NULL when out of memory */
void cv_message_free(cv_message *msg);   /* NULL-safe; frees embedded messages too */

/* Appends an empty recipient row; *out is borrowed from msg. */
int cv_message_add_recipient(cv_message *msg, st_bag **out);
/* Appends an empty attachment with PR_ATTACH_NUM set; *out is borrowed. */
int cv_message_add_attachment(cv_message *msg, cv_attachment **out);

/*
 * Where attachment data goes while a message is parsed. begin() opens a new
 * stream and gives its id (never 0); write() appends; end() closes it, ok = 0
 * when the converter gave up on it (the sink may then drop the bytes).
 * Each returns 0, or -1 to make the converter stop with that error.
 */
typedef struct cv_sink {
    int (*begin)(void *ctx, uint64_t *id_out);
    int (*write)(void *ctx, uint64_t id, const void *data, size_t len);
    int (*end)(void *ctx, uint64_t id, int ok);
    void *ctx;
} cv_sink;

/*
 * Where attachment data comes from while a message is built: read() fills
 * up to len bytes of stream id from offset and sets *got (0 at the end).
 */
typedef struct cv_source {
    int (*read)(void *ctx, uint64_t id, uint64_t offset, void *buf, size_t len, size_t *got);
    void *ctx;
} cv_source;

#endif /* MAPIDAV_CONVERT_MESSAGE_H */
