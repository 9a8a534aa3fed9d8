/*
 * mail.h: the steps around the MIME converter that make a parsed message
 * what Outlook expects, and a message ready to build (floor 1):
 *
 * - cv_mail_from_mime, after cv_mime_parse: an application/ms-tnef
 *   attachment (winmail.dat) is read with the TNEF reader and merged as
 *   Exchange does ([MS-OXCMAIL] 2.4, [MS-OXTNEF] 2.1.3): its message
 *   properties (the RTF body, the message class, Outlook's own properties)
 *   win over the ones MIME gave, except the transport ones MIME knows
 *   better (size, transport headers, Internet message id, flags); its
 *   recipient rows are used only when MIME gave none; its attachments
 *   replace winmail.dat, in its place. Embedded messages get the same.
 *   Then cv_body_sync fills in the missing bodies (HTML only -> PR_BODY;
 *   RTF only -> PR_BODY, and PR_HTML when the RTF encapsulates HTML).
 * - cv_mail_prepare_build, before cv_mime_build: cv_body_sync, so an
 *   HTML-only (or RTF-only) message also gets its text/plain alternative.
 *
 * Named properties of a TNEF have per-parse ids (tnef.h); with tnef_out the
 * caller gets the names to map them, without it they are dropped.
 * Never: drop winmail.dat when it cannot be read (it stays an attachment,
 * with a warning), include a Windows header.
 */
#ifndef MAPIDAV_CONVERT_MAIL_H
#define MAPIDAV_CONVERT_MAIL_H

#include "convert/message.h"
#include "convert/tnef.h"

typedef struct cv_mail_options {
    const cv_source *source;  /* data of attachments with a data_id (winmail.dat); NULL: in props */
    const cv_sink *sink;      /* where the TNEF's attachment data goes; NULL: PR_ATTACH_DATA_BIN */
    unsigned codepage;        /* TNEF 8-bit text default; 0: 1252 */
    unsigned body_flags;      /* cv_body_sync flags for the bodies filled in, e.g.
                                 CV_BODY_NO_RTF (the sync: RTF made on demand) */
} cv_mail_options;

/*
 * Merges winmail.dat and syncs bodies in msg, in place. opt may be NULL.
 * tnef_out (may be NULL): the TNEF result of the top message without its
 * message (its names, key and warnings), or NULL when it had none; the
 * caller frees it with cv_tnef_free. Returns 0; 1 when a winmail.dat could
 * not be read (kept as it is, st_error_last() says why); -1 out of memory
 * or a source/sink failure.
 */
int cv_mail_from_mime(cv_message *msg, const cv_mail_options *opt, cv_tnef **tnef_out);

/* cv_body_sync of msg and its embedded messages before building: 0, or -1
 * (out of memory). A corrupt RTF body is left as it is (0). */
int cv_mail_prepare_build(cv_message *msg);

#endif /* MAPIDAV_CONVERT_MAIL_H */
