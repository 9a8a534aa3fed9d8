/*
 * props_int.h: what the props_*.c files share and nobody else uses (tests
 * excepted): the allocation hooks with their fault injection, the UTF-8
 * decoder and the per-code-point Unicode functions.
 *
 * Invariant: every allocation of the props module goes through st__malloc /
 * st__realloc and is released with st__free, so a test can fail any one of
 * them. Never include this header outside storage/props*.c and test/unit.
 */
#ifndef MAPIDAV_PROPS_INT_H
#define MAPIDAV_PROPS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "storage/props.h"

/* ---- Allocation (props.c) ---- */

void *st__malloc(size_t size);
void *st__calloc(size_t n, size_t size);  /* NULL also when n * size overflows */
void *st__realloc(void *p, size_t size);
void st__free(void *p);

/* Fault injection, for single-threaded tests only: when st__alloc_fail_countdown
 * is set to k > 0, the k-th allocation from then on fails (with the "out of
 * memory" message) and the countdown stops at 0, disarmed. */
extern long st__alloc_fail_countdown;

/* Where a props function fails for a reason other than memory: sets the
 * thread's error message (storage/error.h) to what; returns -1. The
 * allocation hooks set "out of memory" themselves. */
int st__fail(const char *what);

/* ---- UTF-8 (props_unicode.c) ---- */

/* Decodes the code point at *p (p < end) and advances *p by at least one
 * byte; an invalid or truncated sequence reads as U+FFFD and advances past
 * its maximal invalid subpart. */
uint32_t st__utf8_next(const unsigned char **p, const unsigned char *end);

/* Encodes cp (<= 0x10FFFF, not a surrogate) into out; returns 1..4. */
size_t st__utf8_put(unsigned char out[4], uint32_t cp);

/* A fresh NUL-terminated copy of s[0..len), cut at the first NUL, invalid
 * sequences replaced by U+FFFD. NULL when out of memory. */
char *st__utf8_dup(const char *s, size_t len);

/* Number of UTF-16 code units of s (NUL-terminated, as st__utf8_next reads it). */
uint64_t st__utf16_units(const char *s);

/* ---- Unicode per code point (props_unicode.c, tables in props_casefold.h) ---- */

uint32_t st__ucs_fold_simple(uint32_t cp);          /* simple case folding */
size_t st__ucs_fold_full(uint32_t cp, uint32_t out[3]); /* full case folding, 1..3 */
int st__ucs_is_nonspacing(uint32_t cp);             /* General_Category Mn */
uint32_t st__ucs_base(uint32_t cp);                 /* é -> e; else cp */
const char *st__unicode_version(void);              /* "14.0.0" */

/* ---- Values (props_value.c), for the bag and the evaluator ---- */

/* 1 when a value of type have can answer a request for type want (the
 * st_bag_get rules). */
int st__type_compatible(uint32_t want, uint32_t have);

/* The class of a type for comparisons: PT_STRING8 counts as PT_UNICODE
 * (also multi-valued); MV_INSTANCE is dropped. */
uint32_t st__type_class(uint32_t type);

/* A single-valued view (borrowed, never cleared) of element i < mv->v.mv.n
 * of the multi-valued value mv; its tag has the base type. */
st_value st__mv_elem_view(const st_value *mv, uint32_t i);

#endif /* MAPIDAV_PROPS_INT_H */
