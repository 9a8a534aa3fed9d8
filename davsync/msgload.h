/*
 * msgload.h: a stored message read back into the converters' shape, to be
 * built as MIME (up-sync, the SMTP transport, `mapidav show`) (floor 2:
 * it joins storage and convert, which may not know each other).
 *
 *   ds_msgload *l;
 *   ds_msgload_open(&l, store, mid);
 *   cv_mime_build(ds_msgload_message(l), &(cv_mime_build_options){
 *       .source = ds_msgload_source(l) }, &writer);
 *   ds_msgload_free(l);
 *
 * Invariant: attachment data kept as a storage stream is never read whole
 * into memory: the attachment gets a data_id and the source reads it from
 * the store in chunks while the message is built. The handle reads through
 * the store handle it was given (same thread).
 */
#ifndef MAPIDAV_DAVSYNC_MSGLOAD_H
#define MAPIDAV_DAVSYNC_MSGLOAD_H

#include "convert/message.h"
#include "storage/storage.h"

typedef struct ds_msgload ds_msgload;

/* Reads message mid: properties, recipients, attachments, embedded messages
 * (any depth, bounded). 0, or the store's error (ST_ENOTFOUND, ...). */
int ds_msgload_open(ds_msgload **out, st_store *s, st_id mid);
/* The message (borrowed from l). */
const cv_message *ds_msgload_message(const ds_msgload *l);
/* Reads the data_id streams of the message (borrowed from l). */
const cv_source *ds_msgload_source(const ds_msgload *l);
void ds_msgload_free(ds_msgload *l);   /* NULL-safe */

#endif /* MAPIDAV_DAVSYNC_MSGLOAD_H */
