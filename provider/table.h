/*
 * table.h: IMAPITable over storage's tables (storage/table.h): the contents
 * (normal or associated) and hierarchy tables a folder hands out through
 * GetContentsTable / GetHierarchyTable. table.c holds the object; its top
 * comment gives the threading design (store lock, notification thread).
 * Never: hand storage's memory to MAPI (rows go through propconv.h).
 */
#ifndef MAPIDAV_PROVIDER_TABLE_H
#define MAPIDAV_PROVIDER_TABLE_H

#include "provider/mapi_extra.h"
#include "provider/store.h"

/* A new table over folder fid of s (s AddRef'd): kind ST_TABLE_CONTENTS,
 * ST_TABLE_ASSOCIATED or ST_TABLE_HIERARCHY; flags MAPI_UNICODE (strings of
 * PT_UNSPECIFIED columns and of QueryColumns) and, for hierarchy tables,
 * CONVENIENT_DEPTH. A contents table starts in the sort SaveContentsSort
 * saved on the folder (none, or a damaged one: the default order).
 * MAPI_E_NOT_FOUND when fid is no folder of s. */
HRESULT md_table_open(md_store *s, st_id fid, int kind, ULONG flags, IMAPITable **out);

#endif
