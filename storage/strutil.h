/*
 * strutil.h: small string and memory helpers every floor may use (floor 0):
 * copies and a growing array that report out-of-memory the house way, and
 * hex digits.
 *
 * Invariant: a copy is malloc'd (the caller frees it with free()) and
 * NUL-terminated. Must never log and never include anything above error.h.
 */
#ifndef MAPIDAV_STORAGE_STRUTIL_H
#define MAPIDAV_STORAGE_STRUTIL_H

#include <stddef.h>

/* A copy of s; NULL for NULL s (no message), or NULL with "out of memory"
 * set. A caller with a more telling message sets it after. */
char *st_strdup(const char *s);

/* The len bytes at p and a NUL after them; NULL with "out of memory". */
char *st_memdup(const void *p, size_t len);

/* Room for element n of the malloc'd array p (NULL: none yet) holding
 * *cap elements of elem bytes: p itself while n < *cap, else p grown to
 * twice *cap (first when 0) with *cap updated; NULL with "out of memory"
 * when that fails (p is then unchanged and still the caller's to free). */
void *st_grow(void *p, size_t *cap, size_t n, size_t elem, size_t first);

/* Grows the malloc'd buffer *p of *cap bytes (NULL and 0 at first) to hold
 * at least need bytes: first bytes at first, then doubling. 0, or -1 with
 * "out of memory" set; on failure *p and *cap are unchanged. */
int st_reserve(char **p, size_t *cap, size_t need, size_t first);

/* Appends the n bytes at s to the NUL-terminated string *p of *len bytes
 * in a buffer of *cap (NULL, 0, 0 at first; grown by st_reserve) and keeps
 * a NUL after them. 0, or -1 with "out of memory" (nothing changed). */
int st_append(char **p, size_t *len, size_t *cap, const char *s, size_t n);

/* The value of an ASCII hex digit ('0'-'9', 'a'-'f', 'A'-'F'), or -1. */
int st_hex_digit(int c);

#endif /* MAPIDAV_STORAGE_STRUTIL_H */
