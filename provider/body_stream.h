/*
 * body_stream.h: a message's bodies too big to convert in memory (beyond
 * message.c's BODY_SYNC_MAX) kept in step in chunks: the written body is
 * read from its spool or its storage stream a chunk at a time, through the
 * streaming converters of convert/rtf.h, into new spools (stream.h) that
 * the message saves like any stream. Memory stays bounded whatever the
 * body's size.
 *
 * Never: read the whole body into memory; hold the store's lock longer
 * than one chunk's read from storage (the caller may hold it throughout).
 */
#ifndef MAPIDAV_PROVIDER_BODY_STREAM_H
#define MAPIDAV_PROVIDER_BODY_STREAM_H

#include "provider/stream.h"

/* Where a body is: its pending spool (AddRef'd by the caller, or NULL) or
 * property id of message mid in storage. */
typedef struct md_body_src {
    md_store *store;
    st_id mid;             /* 0: a message not in storage yet */
    md_spool *pending;     /* its spool, or NULL */
    uint32_t id;           /* the property id (PR_BODY's, PR_HTML's, PR_RTF_COMPRESSED's) */
} md_body_src;

/* PR_BODY (a PT_UNICODE spool) made from the HTML at src; bag: the
 * message's values (PR_INTERNET_CPID says the HTML's charset). S_OK,
 * MAPI_E_NOT_FOUND (no such body), MAPI_E_NO_SUPPORT (a charset that is not
 * converted in chunks), MAPI_E_NOT_ENOUGH_MEMORY, MAPI_E_DISK_ERROR. */
HRESULT md_body_text_of_html(md_spool **out, const md_body_src *src, const st_bag *bag);

/* PR_RTF_COMPRESSED (a PT_BINARY spool, LZFu) made from the body at src:
 * HTML (id of PR_HTML) encapsulated, or plain text (id of PR_BODY) as
 * Outlook writes it. Errors as md_body_text_of_html. */
HRESULT md_body_rtf_of(md_spool **out, const md_body_src *src, const st_bag *bag);

/* PR_BODY (PT_UNICODE spool) and, when the RTF encapsulates HTML
 * (\fromhtml1), PR_HTML (PT_BINARY spool, UTF-8) made from the compressed
 * RTF at src; *native: the PR_NATIVE_BODY_INFO that RTF means
 * (ST_NATIVE_BODY_HTML, _PLAINTEXT for \fromtext, else _RTF). *html is NULL when there is no HTML in it. Errors as md_body_text_of_html,
 * MAPI_E_CORRUPT_DATA for RTF that cannot be read. */
HRESULT md_body_of_rtf(md_spool **text, md_spool **html, uint32_t *native,
    const md_body_src *src);

#endif
