/*
 * names.h: named properties (IMAPIProp::GetIDsFromNames / GetNamesFromIDs)
 * over the account's catalog (catalog.sqlite in the folder of the store
 * file: st_catalog_store_path names stores "<catalog folder>/{GUID}.sqlite").
 * PS_MAPI names are the tags themselves (MNID_ID lid -> PROP_TAG(
 * PT_UNSPECIFIED, lid) below 0x8000), as MAPI defines them; every other name
 * maps to an id 0x8000-0xFFFE shared by all stores of the account.
 *
 * The catalog is opened only for what the process has not seen yet (a
 * handle belongs to its thread: storage.h): every name <-> id the catalog
 * gave is cached for the life of the process (names.c), since an id once
 * given never changes. No lock of the store is taken.
 * Never: give an id outside 0x8000-0xFFFE for a name that is not PS_MAPI's.
 */
#ifndef MAPIDAV_PROVIDER_NAMES_H
#define MAPIDAV_PROVIDER_NAMES_H

#include "provider/store.h"

/* IMAPIProp::GetIDsFromNames for objects of s (flags: MAPI_CREATE). No
 * names (n 0, names NULL): the ids of every name the catalog knows. */
HRESULT md_names_to_ids(md_store *s, ULONG n, LPMAPINAMEID *names, ULONG flags,
    LPSPropTagArray *tags);

/* IMAPIProp::GetNamesFromIDs for objects of s. *tags NULL: every name of
 * the catalog (those of guid when given, MAPI_NO_STRINGS / MAPI_NO_IDS
 * leave kinds out), *tags set to a new array of their tags (the caller's,
 * freed with MAPIFreeBuffer). PS_MAPI names are not in that list. */
HRESULT md_ids_to_names(md_store *s, LPSPropTagArray *tags, LPGUID guid, ULONG flags,
    ULONG *count, LPMAPINAMEID **names);

#endif
