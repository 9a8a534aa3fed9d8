/*
 * tnef.h: reads TNEF ([MS-OXTNEF]: application/ms-tnef, winmail.dat) into a
 * cv_message (floor 1): the message's properties (legacy attributes mapped to
 * their MAPI properties, encapsulated attMsgProps as they are), its recipient
 * rows (attRecipTable), its attachments with their data, and attached
 * messages (PT_OBJECT with IID_IMessage) as embedded cv_messages, recursively.
 *
 * What comes out:
 * - Strings are UTF-8 in the bags, under the type the stream gave them:
 *   PT_UNICODE values were UTF-16LE, PT_STRING8 values and the legacy
 *   attributes (attSubject, attBody, attAttachTitle ...) were 8-bit text in
 *   the stream's code page: attOemCodepage, else PR_INTERNET_CPID, else
 *   PR_MESSAGE_CODEPAGE, else the caller's default (Windows-1252), decoded by
 *   cv_charset_decode (convert/charset.h).
 * - PR_RTF_COMPRESSED stays the compressed bytes ([MS-OXRTFCP] is another
 *   module's job); every other binary is kept as it came.
 * - Encapsulated properties win over the legacy attributes that map to the
 *   same property, whatever their order in the stream ([MS-OXTNEF] 2.1.3).
 * - Named properties (ids 0x8000 and up in the stream) are per-store: the
 *   stream's ids mean nothing here. Each distinct name met anywhere in one
 *   parse (embedded messages included) gets a temporary id, 0x8000, 0x8001 ...
 *   in order of first appearance, and the bags carry PROP_TAG(type, that id).
 *   cv_tnef.named lists the names with their temporary ids; storage maps each
 *   name to its store's id and rewrites the tags before saving.
 * - Attachment data (attAttachData, PR_ATTACH_DATA_BIN, and non-message
 *   PR_ATTACH_DATA_OBJ such as OLE IStorage, without its IID) goes to the
 *   cv_sink in chunks of at most CV_TNEF_CHUNK bytes when one is given
 *   (cv_attachment.data_id/data_size), else into PR_ATTACH_DATA_BIN. When an
 *   attachment carries its data twice (attAttachData and PR_ATTACH_DATA_BIN),
 *   the first copy is kept, so no stream is left without an owner.
 *
 * Input: cv_tnef_parse reads one whole buffer in place, copying nothing
 * (attachment data goes from it to the sink). cv_tnef_reader takes the
 * stream in pieces of any size (a MIME decoder's output): attAttachData
 * then goes to the sink as it arrives and is never held; every other
 * attribute is held until it is complete (attAttachment with its
 * PR_ATTACH_DATA_BIN or attached message included), so memory is bounded
 * by the largest such attribute, and grows with the bytes that came, never
 * with a length the stream announces. Both give the same result, except
 * that only the whole buffer lets PR_INTERNET_CPID (which comes late)
 * decide the code page when attOemCodepage is missing.
 *
 * Untrusted input: every length is checked against the bytes that remain,
 * counts are bounded by those bytes and by the limits below, embedded
 * messages nest at most CV_TNEF_MAX_DEPTH deep. Checksums are verified; a
 * mismatch is a warning and the data is used. Never: a crash, a hang, an
 * allocation larger than a small multiple of the input, a Windows header.
 */
#ifndef MAPIDAV_CONVERT_TNEF_H
#define MAPIDAV_CONVERT_TNEF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "convert/message.h"
#include "storage/props.h"

#define CV_TNEF_SIGNATURE 0x223E9F78u

/* Limits. A stream past one of them gives CV_ELIMIT and what fitted. */
#define CV_TNEF_MAX_DEPTH 8             /* embedded messages inside the top one */
#define CV_TNEF_MAX_PROPS 16384         /* properties in one attribute or recipient row */
#define CV_TNEF_MAX_RECIPIENTS 32768    /* rows of one attRecipTable */
#define CV_TNEF_MAX_ATTACHMENTS 16384   /* attachments of one message */
#define CV_TNEF_MAX_NAMED 0x7FFF        /* distinct named properties (0x8000..0xFFFE) */
#define CV_TNEF_CHUNK 65536             /* most bytes passed to one cv_sink write */

/* Warnings, OR-ed into cv_tnef.warnings (embedded messages included). */
#define CV_TNEF_W_CHECKSUM 0x01u  /* an attribute's checksum did not match; its data was used */
#define CV_TNEF_W_TRUNCATED 0x02u /* the stream ended inside an attribute or value */
#define CV_TNEF_W_DAMAGED 0x04u   /* something could not be decoded and was skipped */
#define CV_TNEF_W_LIMIT 0x08u     /* a limit above was hit; what was past it was dropped */
#define CV_TNEF_W_CHARSET 0x10u   /* code page unknown here; 8-bit text read as Windows-1252 */

/* One named property of the result: the name, and the temporary id that
 * stands for it in every bag of this result. */
typedef struct cv_tnef_named {
    st_propname name;   /* property set and LID or string; owned */
    uint16_t id;        /* 0x8000 + index in cv_tnef.named */
} cv_tnef_named;

typedef struct cv_tnef {
    cv_message *msg;          /* the message read; owned */
    cv_tnef_named *named;     /* n_named names; named[i].id == 0x8000 + i */
    size_t n_named;
    size_t cap_named_;        /* private: allocated slots */
    uint16_t key;             /* the stream's legacy attachment key */
    unsigned codepage;        /* code page the top message's 8-bit text was read in */
    unsigned warnings;        /* CV_TNEF_W_* */
    char warning[200];        /* the gravest warning, for a human; "" if none */
} cv_tnef;

typedef struct cv_tnef_options {
    const cv_sink *sink;      /* attachment data goes here; NULL: PR_ATTACH_DATA_BIN */
    unsigned codepage;        /* 8-bit text when the stream names no code page; 0: 1252 */
} cv_tnef_options;

/* 1 when data starts with the TNEF signature, else 0. */
int cv_tnef_detect(const void *data, size_t len);

/*
 * Reads a TNEF stream. opt may be NULL (no sink, Windows-1252 default).
 * Returns:
 *   0           the whole stream was read; (*out)->warnings may still hold
 *               CV_TNEF_W_CHECKSUM or CV_TNEF_W_CHARSET;
 *   CV_ELIMIT   a limit was hit: *out holds what fitted (CV_TNEF_W_LIMIT);
 *   CV_EPARSE   *out NULL: not TNEF (no signature). *out set: the stream is
 *               truncated or damaged, *out holds what was recovered before
 *               and around the damage (CV_TNEF_W_TRUNCATED / _DAMAGED);
 *   -1          out of memory or the sink failed: *out NULL (message in
 *               st_error_last()); the stream being written got end(ok = 0),
 *               streams finished before are the caller's to drop.
 * Whenever *out is set, free it with cv_tnef_free. Data of an attachment cut
 * by the end of the stream is dropped (with a sink: its stream gets
 * end(ok = 0)); the attachment itself and its other properties are kept. (*out)->warning
 * says, for a human, the first problem of the gravest kind met.
 */
int cv_tnef_parse(cv_tnef **out, const void *data, size_t len, const cv_tnef_options *opt);

void cv_tnef_free(cv_tnef *t);   /* NULL-safe; frees the message and the names */

/*
 * The same, fed in pieces:
 *
 *   cv_tnef_reader *r;
 *   if (cv_tnef_reader_new(&r, &opt) != 0) ...
 *   while (more bytes)
 *       if (cv_tnef_reader_feed(r, piece, n) != 0) break;   (stop feeding)
 *   rc = cv_tnef_reader_finish(r, &t);   (as cv_tnef_parse)
 *   cv_tnef_reader_free(r);
 *
 * feed returns 0, CV_EPARSE (not TNEF) or -1 (out of memory or the sink
 * failed); after a non-zero return, later feeds return it again and finish
 * returns it with *out NULL. finish says where the stream was cut (the
 * attribute being read is used as far as it goes, as cv_tnef_parse does).
 * free is NULL-safe and gives up a sink stream still open (end(ok = 0)).
 */
typedef struct cv_tnef_reader cv_tnef_reader;

int cv_tnef_reader_new(cv_tnef_reader **out, const cv_tnef_options *opt);
int cv_tnef_reader_feed(cv_tnef_reader *r, const void *data, size_t len);
int cv_tnef_reader_finish(cv_tnef_reader *r, cv_tnef **out);
void cv_tnef_reader_free(cv_tnef_reader *r);

/* The name behind a tag of this result (its id among the temporary ids), or
 * NULL for an ordinary property. Borrowed from t. */
const st_propname *cv_tnef_name_of(const cv_tnef *t, uint32_t tag);

/*
 * Writes msg readably to f, for people and for the command-line tool (one
 * property per line: tag name or named property, type, value; strings
 * quoted and escaped, binaries as hex, at most 64 bytes shown; recipients,
 * attachments and embedded messages indented below). named/n_named resolve
 * temporary named-property ids (NULL, 0: shown as plain ids). Returns 0, or
 * -1 when writing failed.
 */
int cv_tnef_print_message(FILE *f, const cv_message *msg, const cv_tnef_named *named,
                          size_t n_named);

/* cv_tnef_print_message for a result, after a header line with the key,
 * code page, warnings and the list of named properties. */
int cv_tnef_print(FILE *f, const cv_tnef *t);

#endif /* MAPIDAV_CONVERT_TNEF_H */
