/*
 * propconv.h: MAPI property values (SPropValue: UTF-16 PT_UNICODE, 8-bit
 * PT_STRING8 in the ANSI code page, memory from MAPIAllocateBuffer/More
 * chains) to and from storage's values (st_value, st_bag: UTF-8), for every
 * property type.
 *
 * Strings: storage keeps UTF-8 whatever the tag says. Towards MAPI a string
 * is given as the type the caller asked for: PT_UNICODE, PT_STRING8, or for
 * PT_UNSPECIFIED (and for listings) PT_UNICODE with MAPI_UNICODE and
 * PT_STRING8 without. From MAPI, PT_STRING8 is read in the ANSI code page.
 * PT_SRESTRICT and PT_ACTIONS are in-memory structures in MAPI (a pointer in
 * Value.lpszA) and [MS-OXCDATA] bytes in storage: PT_SRESTRICT goes through
 * restrict.h and storage/props_rescodec.h, PT_ACTIONS through actions.h
 * and storage/props_actcodec.h.
 *
 * Allocation: every pointer of a value towards MAPI hangs off `parent` with
 * allocate_more, so one MAPIFreeBuffer on the array frees everything.
 * Never: return a half-filled value with S_OK; read MAPI memory past the
 * counts it gives.
 */
#ifndef MAPIDAV_PROVIDER_PROPCONV_H
#define MAPIDAV_PROVIDER_PROPCONV_H

#include <windows.h>
#include <mapidefs.h>

#include "storage/storage.h"

/* The MAPI allocators a provider is given (MSProviderInit). */
typedef struct md_alloc {
    LPALLOCATEBUFFER buffer;
    LPALLOCATEMORE more;
    LPFREEBUFFER free;
} md_alloc;

/* in -> *out, out->ulPropTag = `tag` (whose type decides strings: see
 * above; PT_UNSPECIFIED takes the value's type). in's type must fit tag's
 * type (strings fit each other). S_OK; MAPI_E_NOT_ENOUGH_MEMORY;
 * MAPI_E_CORRUPT_DATA (PT_SRESTRICT or PT_ACTIONS bytes that are no
 * restriction / actions); MAPI_E_INVALID_TYPE. */
HRESULT md_value_to_mapi(SPropValue *out, ULONG tag, const st_value *in, ULONG flags,
    void *parent, const md_alloc *a);

/* in -> *out (malloc'd, clear with st_value_clear). S_OK;
 * MAPI_E_NOT_ENOUGH_MEMORY; MAPI_E_INVALID_PARAMETER (NULL pointer where
 * data is needed, bad string); MAPI_E_NO_SUPPORT; MAPI_E_INVALID_TYPE. */
HRESULT md_value_from_mapi(st_value *out, const SPropValue *in);

/* IMAPIProp::GetProps over a bag: tags NULL gives every value (strings by
 * MAPI_UNICODE), else one value per tag, a missing one as PT_ERROR
 * MAPI_E_NOT_FOUND (then MAPI_W_ERRORS_RETURNED). *out is one
 * allocate-buffer chain. */
HRESULT md_bag_get_props(const st_bag *bag, const SPropTagArray *tags, ULONG flags,
    const md_alloc *a, ULONG *count, LPSPropValue *out);

/* IMAPIProp::GetPropList over a bag (strings by MAPI_UNICODE). */
HRESULT md_bag_prop_list(const st_bag *bag, ULONG flags, const md_alloc *a,
    LPSPropTagArray *out);

/* n bytes (at least 1) off parent with a->more: S_OK or
 * MAPI_E_NOT_ENOUGH_MEMORY (*out NULL). */
HRESULT md_alloc_more(const md_alloc *a, void *parent, size_t n, void **out);

/* UTF-8 s (NULL is "") as type PT_UNICODE (WCHAR *) or PT_STRING8 (ANSI
 * code page) in *out, memory off parent (allocate_more), or in a buffer of
 * its own (allocate_buffer: the caller frees it) when parent is NULL. */
HRESULT md_string_to_mapi(void **out, const char *s, ULONG type, void *parent,
    const md_alloc *a);

/* UTF-16 -> malloc'd UTF-8 (NULL when out of memory or invalid). */
char *md_utf8_from_wide(const WCHAR *w);

/* A string argument (LPTSTR: UTF-16 when flags has MAPI_UNICODE, else the
 * ANSI code page) -> malloc'd UTF-8; NULL for NULL, out of memory or
 * invalid. */
char *md_utf8_from_tstr(const void *str, ULONG flags);

#endif
