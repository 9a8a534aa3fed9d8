/*
 * restrict.h: MAPI restrictions (SRestriction) and sort orders
 * (SSortOrderSet) to and from storage's st_restriction / st_sortset, for
 * IMAPITable::Restrict/FindRow/SortTable/QuerySortOrder and
 * IMAPIFolder::SetSearchCriteria/GetSearchCriteria.
 *
 * From MAPI: every type of storage/props.h (AND, OR, NOT, CONTENT,
 * PROPERTY, COMPAREPROPS, BITMASK, SIZE, EXIST, SUBRESTRICTION, COMMENT;
 * RES_ANNOTATION, which has the comment's layout, becomes a COMMENT). The
 * tree is bounded: at most ST_RES_MAX_DEPTH deep and MD_RES_MAX_NODES nodes
 * in all; a sort at most MD_SORT_MAX_KEYS keys. Counts MAPI gives are the
 * only bounds read: a NULL array with a non-zero count is refused. A value
 * of type PT_SRESTRICT or PT_ACTIONS inside a restriction is refused
 * (MAPI_E_TOO_COMPLEX): no restriction nests through its values.
 * Errors: a NULL pointer where data is needed, an unknown restriction type
 * or a bad value -> MAPI_E_INVALID_PARAMETER (or propconv's
 * MAPI_E_INVALID_TYPE); a tree too deep or too big, RES_COUNT, or what
 * st_res_check refuses (RELOP_RE, mismatched operand types ...) ->
 * MAPI_E_TOO_COMPLEX; a sort with inconsistent counts or orders ->
 * MAPI_E_INVALID_PARAMETER, too many keys -> MAPI_E_TOO_COMPLEX.
 *
 * Towards MAPI, one allocate-buffer chain: every pointer hangs off the root
 * (or off the caller's parent), so one MAPIFreeBuffer frees it all.
 * Never: read MAPI memory past the counts it gives; return a half-built
 * tree with S_OK.
 */
#ifndef MAPIDAV_PROVIDER_RESTRICT_H
#define MAPIDAV_PROVIDER_RESTRICT_H

#include <windows.h>
#include <mapidefs.h>

#include "provider/propconv.h"
#include "storage/storage.h"

#define MD_RES_MAX_NODES 100000u   /* nodes of one restriction tree */
#define MD_SORT_MAX_KEYS 64u       /* keys of one sort order set */

/* in -> *out (free with st_res_free). A NULL in gives *out = NULL and S_OK
 * (no restriction). The result has passed st_res_check. */
HRESULT md_res_from_mapi(st_restriction **out, const SRestriction *in);

/* The same without st_res_check: a restriction kept as data, not evaluated
 * here (a PT_SRESTRICT value such as PR_RULE_CONDITION). */
HRESULT md_res_from_mapi_data(st_restriction **out, const SRestriction *in);

/* in -> *out. parent NULL: *out is a new allocate-buffer chain (free with
 * a->free); else *out and everything under it are allocate_more off parent.
 * A NULL in gives *out = NULL and S_OK. Values keep their tag's type
 * (PT_UNICODE strings as UTF-16, PT_STRING8 in the ANSI code page). */
HRESULT md_res_to_mapi(LPSRestriction *out, const st_restriction *in, void *parent,
    const md_alloc *a);

/* in -> *out (free with st_sortset_free). A NULL in gives *out = NULL and
 * S_OK (the default order). The result has passed st_sortset_check. */
HRESULT md_sort_from_mapi(st_sortset **out, const SSortOrderSet *in);

/* in -> *out, one buffer from a->buffer. A NULL in gives an empty set. */
HRESULT md_sort_to_mapi(LPSSortOrderSet *out, const st_sortset *in, const md_alloc *a);

#endif
