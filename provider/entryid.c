/*
 * entryid.c: writing and validating the provider's entry IDs (layout in
 * entryid.h). Pure byte work: no store access, no state.
 */
#include <string.h>

#include "provider/entryid.h"

const MAPIUID MD_PROVIDER_UID = { {
    0x69, 0x70, 0x61, 0x6d, 0x61, 0x64, 0x00, 0x76,
    0x80, 0x00, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x21 } };

static void put_le(BYTE *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (BYTE)(v >> (8 * i));
}

static uint64_t get_le(const BYTE *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

void md_eid_write(BYTE out[MD_EID_SIZE], const md_eid *e)
{
    memset(out, 0, 4);
    memcpy(out + 4, MD_PROVIDER_UID.ab, 16);
    st_guid_to_bytes(out + 20, &e->store);
    put_le(out + 36, e->kind, 4);
    put_le(out + 40, e->id, 8);
}

HRESULT md_eid_parse(md_eid *out, ULONG cb, const ENTRYID *eid)
{
    const BYTE *p = (const BYTE *)eid;

    memset(out, 0, sizeof *out);
    if (!eid || cb != MD_EID_SIZE)
        return MAPI_E_INVALID_ENTRYID;
    if (p[0] | p[1] | p[2] | p[3])
        return MAPI_E_INVALID_ENTRYID;
    if (memcmp(p + 4, MD_PROVIDER_UID.ab, 16) != 0)
        return MAPI_E_INVALID_ENTRYID;
    unsigned kind = (unsigned)get_le(p + 36, 4);
    st_id id = get_le(p + 40, 8);
    if (kind == MD_EID_STORE ? id != 0 : (kind != MD_EID_FOLDER && kind != MD_EID_MESSAGE) || id == 0)
        return MAPI_E_INVALID_ENTRYID;
    st_guid_from_bytes(&out->store, p + 20);
    out->kind = kind;
    out->id = id;
    return S_OK;
}

HRESULT md_eid_own_id(const st_guid *store, ULONG cb, const ENTRYID *eid, unsigned kind,
    st_id *out)
{
    md_eid e;
    *out = 0;
    HRESULT hr = md_eid_parse(&e, cb, eid);
    if (hr != S_OK)
        return hr;
    if (e.kind != kind || st_guid_compare(&e.store, store) != 0)
        return MAPI_E_INVALID_ENTRYID;
    *out = e.id;
    return S_OK;
}

HRESULT md_eid_alloc(ULONG *cb_out, LPENTRYID *eid_out, const md_eid *e,
    LPALLOCATEBUFFER allocate)
{
    void *buf = NULL;

    *cb_out = 0;
    *eid_out = NULL;
    if (allocate(MD_EID_SIZE, &buf) != S_OK || !buf)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    md_eid_write(buf, e);
    *cb_out = MD_EID_SIZE;
    *eid_out = buf;
    return S_OK;
}
