/*
 * mime_report.h: report messages (multipart/report) -> MAPI report
 * properties, shared by mime_parse.c, mime_map.c and mime_report.c only
 * (private to convert/; kept apart from mime_int.h so the report mapping is
 * one concern with one header).
 *
 * Invariant: the functions only add to msg; bytes that cannot be read are
 * skipped (counted for a warning), never an error. Never: fail for anything
 * but memory.
 */
#ifndef MAPIDAV_CONVERT_MIME_REPORT_H
#define MAPIDAV_CONVERT_MIME_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "convert/message.h"

#define CV_MIME_REPORT_MAX_ROWS 1000u  /* per-recipient blocks mapped to rows */
#define CV_MIME_REPORT_MAX_FIELD 1024u /* bytes kept of one report field value */

/* What the report mapping could not use, for the parser's warnings. */
typedef struct cv_mime_report_stats {
    size_t rows;       /* recipient rows added */
    size_t malformed;  /* per-recipient blocks without a recipient or an Action */
    size_t dropped;    /* blocks past CV_MIME_REPORT_MAX_ROWS */
    size_t cut;        /* field values cut to CV_MIME_REPORT_MAX_FIELD */
} cv_mime_report_stats;

/* mime_map.c: one recipient row (type, names, address). addrtype "SMTP"
 * also gives PR_SMTP_ADDRESS, the one-off entry ids and the search key;
 * addr "" gives names only. 0 or -1. */
int cv_mime__fill_recipient(st_bag *row, uint32_t type, const char *name, const char *addrtype,
                            const char *addr);

/* The severity of a DSN Action value ([MS-OXCMAIL] 2.2.3.7.1.1: delivered
 * 0, expanded 1, relayed 2, delayed 3, failed 4), -1 when unknown. */
int cv_mime__dsn_severity(const char *v, size_t len);

/* A message/delivery-status text (status, len bytes: the per-message block
 * and the per-recipient blocks) -> recipient rows and their report
 * properties ([MS-OXCMAIL] 2.2.3.7.1). When rows are made they replace the
 * rows from the To/Cc/Bcc fields (those name the receiver of the report,
 * not the recipients it is about) and PR_DISPLAY_TO/CC/BCC follow them.
 * PR_REPORT_TIME on the message and the rows is the report's sent time. */
int cv_mime__map_dsn(cv_message *msg, const char *status, size_t len, cv_mime_report_stats *st);

/* A message/disposition-notification text -> PR_REPORT_TIME (the report's
 * sent time) and PR_PARENT_KEY (X-MSExch-Correlation-Key, base64; the
 * reverse of [MS-OXCMAIL] 2.1.3.6.2 step 3). The recipient rows stay those
 * of the To/Cc fields: the reader is the report's From. */
int cv_mime__map_mdn(cv_message *msg, const char *status, size_t len, cv_mime_report_stats *st);

/* PR_ORIGINAL_* on report from the properties of the returned message. */
int cv_mime__map_original(st_bag *report, const st_bag *orig);

/* The same from a text/rfc822-headers part (raw header block). */
int cv_mime__map_original_headers(st_bag *report, const char *raw, size_t len);

#endif /* MAPIDAV_CONVERT_MIME_REPORT_H */
