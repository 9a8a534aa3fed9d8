/*
 * entryid.h: the provider's entry IDs ([MS-OXCDATA] 2.2.4.1 layout: 4 flag
 * bytes, then the 16-byte provider UID MAPI routes by, then our own data):
 *
 *   offset  0  abFlags[4]        0 (long-term, permanent IDs)
 *           4  provider UID[16]  MD_PROVIDER_UID, registered with SetProviderUID
 *          20  store GUID[16]    st_store_guid of the store file (wire bytes)
 *          36  kind[4]           MD_EID_STORE / MD_EID_FOLDER / MD_EID_MESSAGE, LE
 *          40  object id[8]      st_id, little-endian (0 for the store)
 *          48  end: exactly 48 bytes
 *
 * Parsing checks everything (length, flags, UID, kind, id not 0 for folders
 * and messages) and answers MAPI_E_INVALID_ENTRYID for anything else; it never
 * reads past cb. Our IDs are never reused (storage never reuses an st_id).
 *
 * Never: accept an entry ID of another provider, or trust a length or a kind
 * before checking it.
 */
#ifndef MAPIDAV_PROVIDER_ENTRYID_H
#define MAPIDAV_PROVIDER_ENTRYID_H

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>

#include "storage/storage.h"

/* mapidav's provider UID: {6d617069-6461-7600-8000-73746f726521}. */
extern const MAPIUID MD_PROVIDER_UID;

#define MD_EID_SIZE    48
#define MD_EID_STORE   1u
#define MD_EID_FOLDER  2u
#define MD_EID_MESSAGE 3u

typedef struct md_eid {
    st_guid store;     /* the store the object is in */
    unsigned kind;     /* MD_EID_* */
    st_id id;          /* 0 for MD_EID_STORE */
} md_eid;

/* Writes the 48 bytes of e into out. */
void md_eid_write(BYTE out[MD_EID_SIZE], const md_eid *e);

/* S_OK with *out filled, or MAPI_E_INVALID_ENTRYID. */
HRESULT md_eid_parse(md_eid *out, ULONG cb, const ENTRYID *eid);

/* The id of an object of kind in the store of GUID store from its entry
 * ID: S_OK with *out, or MAPI_E_INVALID_ENTRYID (NULL, garbage, another
 * provider's or store's, another kind; *out 0). */
HRESULT md_eid_own_id(const st_guid *store, ULONG cb, const ENTRYID *eid, unsigned kind,
    st_id *out);

/* A new entry ID for e in a buffer from allocate (MAPIAllocateBuffer):
 * *cb_out and *eid_out, or MAPI_E_NOT_ENOUGH_MEMORY. */
HRESULT md_eid_alloc(ULONG *cb_out, LPENTRYID *eid_out, const md_eid *e,
    LPALLOCATEBUFFER allocate);

#endif
