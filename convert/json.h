/*
 * json.h: a cv_message (or one property bag) as JSON text and back (floor 1),
 * for the command-line tool (`mapidav mime show`, `tnef show`, `mime build`)
 * and for tests.
 *
 * The shape:
 *   {"properties": {"PR_SUBJECT_W": "...", ...},
 *    "recipients": [{"PR_RECIPIENT_TYPE": 1, ...}, ...],
 *    "attachments": [{"properties": {...}, "size": N, "embedded": {...}}, ...]}
 * Keys are canonical tag names (st_prop_tag_name) when the name parses back
 * to exactly that tag, else "0xTTTTtttt". Named properties (ids 0x8000 and
 * up) are named from the map given (TNEF's cv_tnef_named): "PidLid..." /
 * "PidName..." when the name is a known one, else "{GUID}:0xLID" or
 * "{GUID}:name"; without a map they are plain hex tags. Values by type:
 * integers and doubles as numbers (PT_CURRENCY in its 10^-4 units), booleans
 * true/false, PT_SYSTIME "YYYY-MM-DDTHH:MM:SS[.fffffff]Z" (UTC; the 100 ns
 * digits only when not zero), strings UTF-8 with control characters as
 * \u00XX, binaries {"base64": "..."} (or {"size": N} past max_binary),
 * PT_CLSID "{GUID}", PT_ERROR {"error": "0x8004010F"}, PT_NULL/PT_OBJECT
 * null, multi-valued types arrays of these.
 *
 * Reading (cv_json_read_message) is strict RFC 8259 with limits (depth 64,
 * 256 MiB of text): a key's tag gives its value's type; a value of the wrong
 * JSON kind is an error naming the byte offset. Binaries written as size
 * only and named-property keys are skipped (they have no value / no id
 * without a store). "size" of an attachment is informative and ignored.
 *
 * Never: trust the input (no assert on it), include a Windows header.
 */
#ifndef MAPIDAV_CONVERT_JSON_H
#define MAPIDAV_CONVERT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "convert/message.h"
#include "convert/tnef.h"
#include "storage/props.h"

#define CV_JSON_MAX_DEPTH 64
#define CV_JSON_MAX_TEXT ((size_t)256 << 20)

#define CV_JSON_COMPACT 0x1u   /* one line, no indentation */

typedef struct cv_json_options {
    const cv_tnef_named *named; /* names of ids 0x8000 + i; NULL: hex tags */
    size_t n_named;
    size_t max_binary;          /* binaries longer than this as {"size": N}; 0: all in full */
    unsigned flags;             /* CV_JSON_* */
} cv_json_options;

/* msg as JSON text (NUL-terminated, *out_len without the NUL; out_len may
 * be NULL). opt may be NULL (pretty, binaries in full). 0 or -1 (memory). */
int cv_json_write_message(char **out, size_t *out_len, const cv_message *msg,
                          const cv_json_options *opt);
/* One bag as a JSON object of properties. */
int cv_json_write_bag(char **out, size_t *out_len, const st_bag *bag, const cv_json_options *opt);

/* FILETIME ticks as "YYYY-MM-DDTHH:MM:SS[.fffffff]Z" into buf (at least 32
 * bytes); returns buf. And back: 0, or -1 when s is not that form. */
char *cv_json_format_time(char buf[32], uint64_t ft);
int cv_json_parse_time(uint64_t *out, const char *s, size_t len);

/* JSON text -> *out (caller frees with cv_message_free). 0; CV_EPARSE with
 * st_error_last() "at byte N: ..." (*out NULL); CV_ELIMIT past a limit; -1
 * out of memory. */
int cv_json_read_message(cv_message **out, const void *text, size_t len);

#endif /* MAPIDAV_CONVERT_JSON_H */
