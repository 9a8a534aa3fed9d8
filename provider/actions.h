/*
 * actions.h: PT_ACTIONS values (rule actions: PR_RULE_ACTIONS of a rule
 * message, Outlook's rules) between MAPI's in-memory ACTIONS (a pointer in
 * SPropValue.Value.lpszA, as MAPI keeps it) and the bytes storage keeps
 * (storage/props_actcodec.h, [MS-OXORULE] 2.2.5), through the floor-0
 * model st_actions. propconv.c calls these for PT_ACTIONS.
 *
 * mingw-w64 has no edkmdb.h: ACTTYPE, ACTION and ACTIONS are declared in mapi_extra.h
 * as edkmdb.h declares them (same layout, same member names), unless the
 * including file already has them (EDK_RULES_VERSION defined).
 *
 * Checked from MAPI: ulVersion EDK_RULES_VERSION (else MAPI_E_VERSION);
 * counts within the codec's bounds (else MAPI_E_TOO_COMPLEX); NULL where
 * data is needed, an unknown action type, or lpRes / lpPropTagArray set
 * (reserved) give MAPI_E_INVALID_PARAMETER; a recipient or tag value of
 * type PT_ACTIONS or PT_SRESTRICT gives MAPI_E_INVALID_TYPE (no nesting).
 * Never: read MAPI memory past the counts it gives; recurse.
 */
#ifndef MAPIDAV_PROVIDER_ACTIONS_H
#define MAPIDAV_PROVIDER_ACTIONS_H

#include "provider/mapi_extra.h"
#include "provider/propconv.h"

/* The ACTIONS at acts -> storage's bytes in *out (malloc'd, free()), *len. */
HRESULT md_actions_from_mapi(uint8_t **out, size_t *len, const ACTIONS *acts);

/* Storage's bytes -> a new ACTIONS in *out, all memory off parent
 * (allocate_more). MAPI_E_CORRUPT_DATA when the bytes are no actions. */
HRESULT md_actions_to_mapi(ACTIONS **out, const uint8_t *data, size_t len, void *parent,
    const md_alloc *a);

#endif
