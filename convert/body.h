/*
 * body.h: a message's bodies kept in step (floor 1): PR_BODY, PR_HTML (or
 * PR_BODY_HTML) and PR_RTF_COMPRESSED, with PR_NATIVE_BODY_INFO and
 * PR_RTF_IN_SYNC, the way Outlook expects a store that says STORE_RTF_OK and
 * STORE_HTML_OK to keep them ([MS-OXBBODY], [MS-OXCMSG] 2.2.1.56-58). The
 * rules are listed at the top of body.c.
 *
 * Invariant: after cv_body_sync, every body a rule derives is present, made
 * from the one source body, and PR_NATIVE_BODY_INFO names that source.
 * Never: a database or a Windows header; never drop a body the caller wrote
 * unless it is stale (a newer one was written: the `changed` argument).
 */
#ifndef MAPIDAV_CONVERT_BODY_H
#define MAPIDAV_CONVERT_BODY_H

#include <stddef.h>
#include <stdint.h>

#include "storage/props.h"

struct cv_push;   /* convert/rtf.h */

/* Flags of cv_body_sync. */
#define CV_BODY_HTML_FROM_TEXT 0x1u   /* also make PR_HTML for a plain-text body */
#define CV_BODY_UNCOMPRESSED_RTF 0x2u /* write PR_RTF_COMPRESSED uncompressed (MELA) */
#define CV_BODY_NO_RTF 0x4u           /* make no PR_RTF_COMPRESSED from HTML or text
                                         (rules H and T): whoever needs it makes it on
                                         demand (the sync stores mail without it) */

/*
 * The native body of the message in bag: ST_NATIVE_BODY_PLAINTEXT, _RTF,
 * _HTML or _UNDEFINED, by PR_NATIVE_BODY_INFO when it names a body that is
 * there, else by the best body algorithm of [MS-OXBBODY] 2.1.3.1 (RTF in sync
 * first, then HTML, then plain text; RTF that encapsulates HTML or text counts
 * as that). Reads the head of the compressed RTF only. Never fails.
 */
uint32_t cv_body_native(const st_bag *bag);

/*
 * Brings the bodies of bag into step. changed: 0 to fill in only what is
 * missing, or the tag of the body just written (PR_BODY, PR_HTML or
 * PR_BODY_HTML, PR_RTF_COMPRESSED): that one is the source and the other two
 * are made again from it (one that cannot be made from it, such as HTML from
 * plain RTF, is removed as stale). Sets PR_NATIVE_BODY_INFO, and
 * PR_RTF_IN_SYNC when it wrote the RTF or a body from it. New HTML is stored
 * as PR_HTML in UTF-8 with PR_INTERNET_CPID 65001.
 * Corrupt compressed RTF that is not `changed` counts as absent.
 * Returns 0 (also for a bag without bodies), CV_EPARSE (the source body
 * cannot be read: corrupt compressed RTF), CV_ELIMIT, or -1 (out of memory,
 * or changed names a body the bag lacks; on out of memory the bag may hold
 * part of the new values).
 */
int cv_body_sync(st_bag *bag, uint32_t changed, unsigned flags);

/*
 * Bodies too big to hold in memory: the caller streams them through the
 * converters of rtf.h ("Streaming"); this gives the first step, the HTML
 * property's bytes to UTF-8 as cv_body_sync reads them. Its charset comes
 * from bag (PR_INTERNET_CPID) or from the head of the HTML (its first
 * bytes: a <meta>, else a guess); bag NULL: UTF-8 already (PR_BODY_HTML,
 * a string), only validated. Returns 0 and a converter feeding UTF-8
 * to sink, or CV_EPARSE when the charset is one that cannot be converted
 * in pieces (a multi-byte one other than UTF-8), or -1.
 */
int cv_body_html_push(struct cv_push **out, const st_bag *bag, const void *head,
                      size_t head_len, int (*sink)(void *ctx, const void *data, size_t len),
                      void *ctx);

#endif /* MAPIDAV_CONVERT_BODY_H */
