/*
 * props_rescodec.h: restrictions <-> bytes (floor 0), in the wire format of
 * [MS-OXCDATA] 2.12 (standard ROP context: RestrictType 1 byte, counts of
 * AND/OR, binary lengths and multi-valued counts 2 bytes, little-endian;
 * property values per 2.11.2; PT_UNICODE as NUL-terminated UTF-16LE; our
 * PT_STRING8 strings, UTF-8 in memory, as their NUL-terminated bytes).
 * Storage keeps search criteria this way; the provider may use it for
 * PT_SRESTRICT values.
 *
 * Never trusted on decode: every length is checked against the end, nesting
 * is bounded by ST_RES_MAX_DEPTH, and bytes that are not a restriction give
 * -1 with a message, never a read past the buffer.
 */
#ifndef MAPIDAV_PROPS_RESCODEC_H
#define MAPIDAV_PROPS_RESCODEC_H

#include <stddef.h>
#include <stdint.h>

#include "storage/props.h"

/* *out (malloc'd, free()) gets the bytes of r, *len their count. -1 (message
 * set) when r holds what the format cannot carry: more than 65535 children
 * or values, a binary longer than 65535 bytes, more than 255 comment values,
 * a value of type PT_SRESTRICT or PT_ACTIONS. */
int st_res_encode(uint8_t **out, size_t *len, const st_restriction *r);
/* *out (st_res_free) gets the restriction in data[0..len), which must hold
 * exactly one. -1 (message set) on anything else, including
 * RES_COUNT (0x0B), which our model does not have. */
int st_res_decode(st_restriction **out, const uint8_t *data, size_t len);

/* One TaggedPropertyValue ([MS-OXCDATA] 2.11.4, the value form above) for
 * the codecs of other structures that hold some (props_actcodec.h).
 * put appends v to the st_reserve'd buffer *buf (*len used, *cap
 * allocated; on failure they still describe a buffer the caller frees);
 * -1 (message set) for what the format cannot carry. get reads one at *p
 * (before end) into *v (cleared with st_value_clear; zeroed on failure)
 * and moves *p past it; -1 (message set) on bad or short bytes. */
int st_tagged_value_put(char **buf, size_t *len, size_t *cap, const st_value *v);
int st_tagged_value_get(const uint8_t **p, const uint8_t *end, st_value *v);

#endif /* MAPIDAV_PROPS_RESCODEC_H */
