/*
 * msgload.h: a stored message read back into the converters' shape, to be
 * built as MIME (up-sync, the SMTP transport, `mapidav show`) (floor 2:
 * it joins storage and convert, which may not know each other).
 *
 *   ds_msgload *l;
 *   ds_msgload_open(&l, store, mid);
 *   ds_msgload_build(l, NULL, &writer);   // prepare + cv_mime_build
 *   ds_msgload_free(l);
 *
 * (or cv_mime_build(ds_msgload_message(l), &(cv_mime_build_options){
 *  .source = ds_msgload_source(l) }, &writer) for the message as stored).
 *
 * Invariant: attachment data kept as a storage stream is never read whole
 * into memory: the attachment gets a data_id and the source reads it from
 * the store in chunks while the message is built. The handle reads through
 * the store handle it was given (same thread).
 */
#ifndef MAPIDAV_DAVSYNC_MSGLOAD_H
#define MAPIDAV_DAVSYNC_MSGLOAD_H

#include "convert/message.h"
#include "convert/mime.h"
#include "storage/storage.h"

typedef struct ds_msgload ds_msgload;

/* Reads message mid: properties, recipients, attachments, embedded messages
 * (any depth, bounded). 0, or the store's error (ST_ENOTFOUND, ...). */
int ds_msgload_open(ds_msgload **out, st_store *s, st_id mid);
/* The message (borrowed from l). */
const cv_message *ds_msgload_message(const ds_msgload *l);
/* Reads the data_id streams of the message (borrowed from l). */
const cv_source *ds_msgload_source(const ds_msgload *l);
/* cv_mail_prepare_build (once, and only when a message or an embedded one
 * lacks a text body or has an RTF one without HTML: bodies kept in step, so
 * an HTML-only message gets its text/plain part) then cv_mime_build with
 * opts (may be NULL; its source is replaced by l's). 0, or ST_ERROR (the writer or the store
 * failed, or out of memory; st_error_last() says which). */
int ds_msgload_build(ds_msgload *l, const cv_mime_build_options *opts,
    const cv_mime_writer *writer);
void ds_msgload_free(ds_msgload *l);   /* NULL-safe */

#endif /* MAPIDAV_DAVSYNC_MSGLOAD_H */
