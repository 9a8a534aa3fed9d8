/*
 * utf8.h: the one UTF-8 encoder of convert/ (defined in charset_names.c,
 * which owns UTF-8 for the charset converter), for the other convert/ files
 * that write code points (json_read.c), and where a chunk of UTF-8 may be
 * cut (the streaming converters). Private to convert/.
 *
 * Invariant: always writes well-formed UTF-8. Never: more than 4 bytes.
 */
#ifndef MAPIDAV_CONVERT_UTF8_H
#define MAPIDAV_CONVERT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes cp as UTF-8 at o (room for 4 bytes); a surrogate or a value above
 * U+10FFFF is written as U+FFFD. Returns the bytes written (1 to 4). */
size_t cv_utf8__put(char *o, uint32_t cp);

/* The length of s[0..n) without a multi-byte sequence cut at its end (one
 * whose lead byte says it needs bytes beyond n): what a converter fed in
 * chunks handles now, the rest waiting for the next chunk. */
size_t cv_utf8__whole(const char *s, size_t n);

#endif /* MAPIDAV_CONVERT_UTF8_H */
