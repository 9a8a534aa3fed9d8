/*
 * mime_int.h: what the convert/mime_*.c files share (private to convert/).
 *
 * mime_codec.c   base64 / quoted-printable, incremental decoders, encoders,
 *                cv_mime__reserve (the growable buffers of the mime files)
 * mime_header.c  header blocks, RFC 2047 words, RFC 2231 parameters, charsets
 * mime_addr.c    address lists
 * mime_date.c    dates -> FILETIME ticks
 * mime_map.c     header fields -> MAPI properties, attachment names
 * mime_parse.c   the streaming state machine
 * mime_build.c   cv_message -> MIME (uses the codecs and encoders here)
 *
 * Invariant: every string these functions return is NUL-terminated valid
 * UTF-8 (bad bytes become U+FFFD or go through the charset guess), owned by
 * the caller (free()). Never: read past len, even on garbage.
 */
#ifndef MAPIDAV_CONVERT_MIME_INT_H
#define MAPIDAV_CONVERT_MIME_INT_H

#include <stddef.h>
#include <stdint.h>

#include "convert/mime.h"

/* ---- mime_codec.c ---- */

typedef struct cv_b64_state {
    uint32_t acc;       /* bits not yet written */
    unsigned bits;      /* how many bits in acc (0, 6, 12, 18) */
} cv_b64_state;

/* Decodes base64, skipping every byte outside the alphabet; a '=' ends the
 * current quantum (its partial bits are dropped) and decoding goes on, so
 * concatenated blobs decode too. out needs room for len / 4 * 3 + 3 bytes.
 * (A '=' writes the whole bytes of the quantum it ends.)
 * Returns the bytes written. */
size_t cv_mime__b64_decode(cv_b64_state *st, uint8_t *out, const char *in, size_t len);
/* At the end of the data: the whole bytes of an unpadded last quantum (at
 * most 2 written to out). */
size_t cv_mime__b64_flush(cv_b64_state *st, uint8_t *out);

typedef struct cv_qp_state {
    char hold[2];       /* "=" or "=X" cut off by the end of a segment */
    unsigned nhold;     /* bytes in hold */
    int soft;           /* the last line ended in a soft break: drop its EOL */
} cv_qp_state;

/* Decodes one segment of quoted-printable. at_eol: the segment ends a line
 * (trailing white space is dropped, a final '=' is a soft break). out needs
 * room for len + 2 bytes. Returns the bytes written. */
size_t cv_mime__qp_decode(cv_qp_state *st, uint8_t *out, const char *in, size_t len, int at_eol);
/* The line break before the next line: writes "\r\n" unless the line ended
 * in a soft break. Returns 0 or 2. */
size_t cv_mime__qp_eol(cv_qp_state *st, uint8_t *out);

/* Whole-buffer forms (for header words and small values). *out is
 * NUL-terminated; out_len excludes the NUL. 0 or -1 (memory). */
int cv_mime__b64_decode_all(uint8_t **out, size_t *out_len, const char *in, size_t len);
/* RFC 2047 Q: like quoted-printable, and '_' is a space. */
int cv_mime__q_decode_all(uint8_t **out, size_t *out_len, const char *in, size_t len);

/* Encoders, for the MIME builder. line_len 0: one line; else CRLF every
 * line_len output characters (76 for bodies). */
int cv_mime__b64_encode(char **out, size_t *out_len, const void *data, size_t len,
                        unsigned line_len);
/* Quoted-printable with CRLF line ends and soft breaks at 76; a bare LF or
 * CRLF in the input is a line break. */
int cv_mime__qp_encode(char **out, size_t *out_len, const void *data, size_t len);
/* An unstructured header value from UTF-8: as is when it is printable
 * ASCII of at most 900 bytes, else RFC 2047 "=?UTF-8?B?...?=" words of at
 * most 75 characters (never splitting a character), separated by CRLF SP. */
int cv_mime__header_encode(char **out, const char *utf8, size_t len);

/* ---- mime_header.c ---- */

typedef struct cv_mime_field {
    const char *name;   /* into the header's buffer, NUL-terminated, as written */
    size_t name_len;    /* bytes of name */
    const char *value;  /* unfolded (CRLF/LF removed), leading white space dropped */
    size_t value_len;   /* bytes of value */
} cv_mime_field;

typedef struct cv_mime_header {
    char *buf;          /* owned copy holding every name and value */
    cv_mime_field *f;   /* n fields in order */
    size_t n;
} cv_mime_header;

/* Splits a raw header block (lines, any EOL) into fields. Lines that are
 * neither a field nor a continuation are skipped. 0 or -1. */
int cv_mime__header_parse(cv_mime_header *out, const char *block, size_t len);
void cv_mime__header_clear(cv_mime_header *h);
/* The first (nth: 0-based) field named name (ASCII case-insensitive), or NULL. */
const cv_mime_field *cv_mime__header_get(const cv_mime_header *h, const char *name);
const cv_mime_field *cv_mime__header_get_nth(const cv_mime_header *h, const char *name,
                                             size_t nth);

/* 1 when bytes in charset (NULL, "", ASCII or UTF-8) are UTF-8 as they
 * are once valid (cv_mime__to_utf8 copies them then). */
int cv_mime__charset_is_utf8(const char *charset);

/* Bytes in charset -> UTF-8. charset NULL or "": as is when the bytes are
 * UTF-8, else cv_charset_guess. An unknown charset is read as windows-1252
 * (*unknown set to 1 if not NULL). 0 or -1. */
int cv_mime__to_utf8(char **out, size_t *out_len, const char *charset, const void *in,
                     size_t len, int *unknown);

/* Unstructured text (Subject, Thread-Topic, display names) -> UTF-8, with
 * RFC 2047 encoded words decoded the lenient way: words found anywhere (in
 * quotes, without spaces around), white space between adjacent words
 * dropped, adjacent words of one charset joined before conversion (so a
 * character split across words survives), unknown charsets read as
 * windows-1252, undeclared 8-bit text guessed. 0 or -1. */
int cv_mime__decode_text(char **out, const char *in, size_t len);

typedef struct cv_mime_param {
    char *name;         /* lower case */
    char *value;        /* UTF-8: RFC 2231 and (leniently) RFC 2047 decoded */
} cv_mime_param;

typedef struct cv_mime_ctype {
    char *type;         /* "text/plain", "attachment" ...: lower case, "" if none */
    cv_mime_param *p;   /* n parameters; on duplicates the first wins */
    size_t n;
} cv_mime_ctype;

/* Content-Type / Content-Disposition value: type and parameters, RFC 2231
 * continuations (name*0, name*1*, ...) joined in order and charset-decoded.
 * Never fails on bad syntax (it takes what it can); -1 only for memory. */
int cv_mime__ctype_parse(cv_mime_ctype *out, const char *in, size_t len);
/* The parameter's value (borrowed) or NULL. */
const char *cv_mime__ctype_param(const cv_mime_ctype *ct, const char *name);
void cv_mime__ctype_clear(cv_mime_ctype *ct);

/* ---- mime_addr.c ---- */

typedef struct cv_mime_addr {
    char *name;         /* display name, UTF-8, "" if none */
    char *addr;         /* addr-spec (local@domain, route dropped), "" if none */
} cv_mime_addr;

/* An address list (From, To, Cc, Reply-To ...), lenient: groups give their
 * members, comments become the name when there is no phrase, "Doe, John
 * <j@x>" stays one address, missing angle brackets and stray ones are
 * repaired, UTF-8 (RFC 6532) kept. Words without '@' and without angle
 * brackets are a name with no address ("From: Moderator-Address").
 * Entries with neither name nor address are dropped. *out is NULL when *n is 0. 0 or -1. */
int cv_mime__addr_parse(cv_mime_addr **out, size_t *n, const char *in, size_t len);
void cv_mime__addr_free(cv_mime_addr *a, size_t n);

/* ---- mime_date.c ---- */

/* An RFC 5322 date (obsolete forms, 2-digit years, named zones, asctime,
 * ISO 8601 and common broken ones) -> FILETIME ticks (UTC). 0, or
 * CV_EPARSE when no date can be read. */
int cv_mime__date_parse(uint64_t *out, const char *in, size_t len);

/* Days and seconds -> FILETIME ticks; -1 when out of range. */
int cv_mime__filetime(uint64_t *out, int year, int month, int day, int hour, int min, int sec,
                      int zone_minutes);

/* ---- mime_map.c ---- */

/* Sets the envelope properties of msg from a message's header block
 * (addresses, subject, dates, ids, importance ...) and, unless flags has
 * CV_MIME_NO_TRANSPORT_HEADERS, PR_TRANSPORT_MESSAGE_HEADERS from raw.
 * 0 or -1. */
int cv_mime__map_headers(cv_message *msg, const cv_mime_header *h, const char *raw,
                         size_t raw_len, unsigned flags);

/* Subject -> PR_SUBJECT, PR_SUBJECT_PREFIX, PR_NORMALIZED_SUBJECT. */
int cv_mime__map_subject(st_bag *bag, const char *subject);

/* Names an attachment: PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME (8.3),
 * PR_ATTACH_EXTENSION, PR_DISPLAY_NAME. filename NULL or "": "ATT%05u"
 * and an extension from the MIME type. */
int cv_mime__map_attach_name(st_bag *att, const char *filename, const char *mime_type,
                             unsigned seq);

/* A one-off entry id ([MS-OXCDATA] 2.2.5.1) for an SMTP address, Unicode:
 * *out malloc'd, *len bytes. 0 or -1. */
int cv_mime__oneoff_entryid(uint8_t **out, size_t *len, const char *name, const char *addr);

/* Splits a subject prefix ("RE: ", "AW: ", "Fwd: "): its length in bytes,
 * 0 when none. */
size_t cv_mime__subject_prefix_len(const char *subject);


#endif /* MAPIDAV_CONVERT_MIME_INT_H */
