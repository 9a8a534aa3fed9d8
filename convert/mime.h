/*
 * mime.h: Internet mail (RFC 5322 + MIME) -> cv_message, streaming, and
 * back (cv_mime_build, first cut, at the end of this file) (floor 1).
 *
 *   cv_mime_parser *p;
 *   cv_mime_options opts = { .sink = &sink };   (zeros: the defaults)
 *   cv_mime_parser_new(&p, &opts);
 *   while (...) cv_mime_parser_feed(p, chunk, n);  (chunks of any size)
 *   cv_mime_parser_finish(p, &msg, &warnings);
 *   cv_mime_parser_free(p);
 *
 * The mapping follows [MS-OXCMAIL] (what Exchange does when it turns
 * Internet mail into MAPI properties); the choices where we had to pick are
 * listed in docs at the top of convert/mime_map.c. In short:
 *   - text/plain body -> PR_BODY (UTF-8), text/html body -> PR_HTML, its
 *     bytes converted to UTF-8 and PR_INTERNET_CPID = 65001 (a <meta
 *     charset> inside the HTML is left as it was); a message with HTML only
 *     gets no PR_BODY here (the body converters derive it);
 *   - further inline text parts become attachments named ATT00001.txt ...,
 *     as Exchange does (no concatenation);
 *   - multipart/related parts other than the root become attachments; those
 *     with a Content-ID or Content-Location are hidden (PR_ATTACHMENT_HIDDEN,
 *     PR_ATTACH_FLAGS ATT_MHTML_REF);
 *   - message/rfc822 -> ATTACH_EMBEDDED_MSG with cv_attachment.embedded;
 *   - top-level multipart/signed -> IPM.Note.SMIME.MultipartSigned with one
 *     attachment "smime.p7m" (mime tag multipart/signed) holding the whole
 *     signed entity, body props extracted from the signed content;
 *     top-level application/pkcs7-mime -> IPM.Note.SMIME + "smime.p7m";
 *   - multipart/report -> REPORT.IPM.Note.NDR / .Delayed.DR / .DR /
 *     .Relayed.DR / .Expanded.DR (the most severe Action: field wins) or
 *     .IPNRN / .IPNNRN (MDNs), the report part kept as an attachment;
 *   - markers for the other converters: a text/calendar part is an
 *     attachment with PR_ATTACH_MIME_TAG exactly "text/calendar" (the
 *     message class stays IPM.Note: the calendar converter turns it into a
 *     meeting item); a TNEF part (application/ms-tnef or vnd.ms-tnef) one
 *     with exactly "application/ms-tnef" (named winmail.dat if unnamed);
 *   - unnamed attachments are named "ATT%05u" + an extension from the
 *     type; PR_ATTACH_FILENAME is an 8.3 form of the long name;
 *   - MSGFLAG_HASATTACH / PR_HASATTACH count visible attachments only;
 *     PR_MESSAGE_SIZE is the input size; read state is not MIME's business.
 *
 * Limits (cv_mime_options, 0 = default): past one, the message still
 * converts, truncated, with a warning and "[X-mapidav-truncated: ...]"
 * appended to PR_BODY; finish() then returns CV_ELIMIT. Time is linear in
 * the input (each line is looked at a bounded number of times); memory is
 * bounded by the limits, except attachment data when no sink is given (then
 * it is in PR_ATTACH_DATA_BIN, as asked).
 *
 * Never: trust the input (no assert on it), hold a whole attachment in
 * memory when a sink is given, include a Windows header.
 */
#ifndef MAPIDAV_CONVERT_MIME_H
#define MAPIDAV_CONVERT_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "convert/message.h"

#define CV_MIME_DEFAULT_MAX_DEPTH 32u
#define CV_MIME_DEFAULT_MAX_HEADER ((size_t)1 << 20)
#define CV_MIME_DEFAULT_MAX_PARTS ((size_t)10000)
#define CV_MIME_DEFAULT_MAX_LINE ((size_t)1 << 20)
#define CV_MIME_DEFAULT_MAX_BODY ((size_t)64 << 20)
#define CV_MIME_MAX_WARNINGS 64

/* flags */
#define CV_MIME_NO_TRANSPORT_HEADERS 0x1u /* leave PR_TRANSPORT_MESSAGE_HEADERS out */

typedef struct cv_mime_options {
    const cv_sink *sink;     /* attachment bytes go here; NULL: PR_ATTACH_DATA_BIN */
    unsigned max_depth;      /* nested multiparts + messages; 0: 32 */
    size_t max_header_size;  /* bytes of one header block; 0: 1 MiB */
    size_t max_parts;        /* MIME entities in all; 0: 10000 */
    size_t max_line;         /* bytes of a line held at once; a longer one is read in
                                pieces (nothing lost, a warning); 0: 1 MiB */
    size_t max_body;         /* bytes of PR_BODY / PR_HTML kept; 0: 64 MiB */
    unsigned flags;          /* CV_MIME_* */
} cv_mime_options;

/* What the parser had to repair or cut, for logs and the CLI. */
typedef struct cv_mime_warnings {
    char **msg;              /* n messages (ASCII/UTF-8), owned */
    size_t n;                /* at most CV_MIME_MAX_WARNINGS */
    size_t dropped;          /* further warnings not kept */
} cv_mime_warnings;

void cv_mime_warnings_clear(cv_mime_warnings *w); /* frees and zeroes; NULL-safe */

typedef struct cv_mime_parser cv_mime_parser;

/* opts may be NULL (defaults, no sink); it is copied, the sink it points
 * to must live until finish(). 0, or -1 when out of memory. */
int cv_mime_parser_new(cv_mime_parser **out, const cv_mime_options *opts);

/* Feeds the next len bytes. 0, or -1 after a sink error or out of memory
 * (the parser then refuses further input; finish() returns the error). */
int cv_mime_parser_feed(cv_mime_parser *p, const void *data, size_t len);

/* Ends the input and hands over the message (*out, caller frees with
 * cv_message_free) and, if warnings is not NULL, the warnings (caller
 * clears). Returns 0, CV_ELIMIT (a limit was hit: *out is truncated and
 * marked), or -1 (*out NULL). Call once; then only cv_mime_parser_free. */
int cv_mime_parser_finish(cv_mime_parser *p, cv_message **out, cv_mime_warnings *warnings);

void cv_mime_parser_free(cv_mime_parser *p); /* NULL-safe */

/* new + one feed + finish + free. Same results. */
int cv_mime_parse(cv_message **out, const void *data, size_t len, const cv_mime_options *opts,
                  cv_mime_warnings *warnings);

/* ---- building (mime_build.c): cv_message -> Internet mail ---- */

/* Where built bytes go, in order. write() returns 0, or -1 to stop. */
typedef struct cv_mime_writer {
    int (*write)(void *ctx, const void *data, size_t len);
    void *ctx;
} cv_mime_writer;

#define CV_MIME_BUILD_OMIT_BCC 0x1u /* no Bcc field (what goes to SMTP); kept by default
                                      (what is filed in Sent Items) */

typedef struct cv_mime_build_options {
    const cv_source *source;   /* data of attachments with a data_id; NULL: PR_ATTACH_DATA_BIN only */
    const char *boundary_seed; /* fixed boundaries (tests); NULL: from the time */
    uint64_t date;             /* FILETIME for the Date of a message without
                                  PR_CLIENT_SUBMIT_TIME; 0: the clock. With a
                                  boundary seed, output is then byte-identical */
    unsigned flags;            /* CV_MIME_BUILD_* */
} cv_mime_build_options;

/*
 * Writes msg as RFC 5322 + MIME (first cut, see convert/mime_build.c):
 * envelope from the properties and recipient rows, body as
 * alternative/related/mixed, attachments base64, embedded messages
 * message/rfc822, S/MIME messages from their smime.p7m. opts may be NULL.
 * Header lines are folded within 78 bytes where the syntax lets them, and
 * no line is ever over 998; long or non-ASCII file names are RFC 2231
 * sections with a plain ASCII fallback. No Message-ID is made up.
 * 0, or -1 when the writer or the source failed or memory ran out.
 */
int cv_mime_build(const cv_message *msg, const cv_mime_build_options *opts,
                  const cv_mime_writer *writer);

/* ---- message/partial (mime_partial.c) ---- */

typedef struct cv_mime_fragment {
    const char *data;   /* one whole message/partial message */
    size_t len;
} cv_mime_fragment;

#define CV_MIME_PARTIAL_MAX 1000   /* fragments joined at most */

/*
 * Joins the n message/partial fragments of one message (any order) into
 * the message they were split from, as RFC 2046 5.2.2.1 says (*out
 * malloc'd, NUL after *out_len bytes). CV_EPARSE when they are not all the
 * fragments of one message (st_error_last() says what is missing, doubled
 * or foreign), -1 out of memory.
 */
int cv_mime_partial_join(char **out, size_t *out_len, const cv_mime_fragment *frags, size_t n);

#endif /* MAPIDAV_CONVERT_MIME_H */
