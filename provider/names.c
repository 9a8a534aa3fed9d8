/*
 * names.c: named properties over the account's catalog (contract in
 * names.h). Names from MAPI are checked (kind, GUID pointer, string) before
 * anything is looked up; a name that cannot be mapped gets
 * PROP_TAG(PT_ERROR, 0) and the call MAPI_W_ERRORS_RETURNED, as the MAPI
 * reference gives it.
 */
#include <stdlib.h>
#include <string.h>

#include "provider/names.h"
#include "storage/props_guids.h"

#define NAMES_FLAGS (MAPI_NO_STRINGS | MAPI_NO_IDS)

/* Opens catalog.sqlite beside the store file (created when missing). */
static HRESULT catalog_open(md_store *s, st_catalog **out)
{
    *out = NULL;
    const char *path = st_store_path(s->st);
    const char *slash = NULL;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            slash = p;
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    char *cat = malloc(dir + sizeof "catalog.sqlite");
    if (!cat)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    memcpy(cat, path, dir);
    memcpy(cat + dir, "catalog.sqlite", sizeof "catalog.sqlite");
    int code = st_catalog_open(out, cat, ST_OPEN_CREATE);
    free(cat);
    return md_hr_from_st(code);
}

static int is_ps_mapi(const st_guid *g)
{
    return st_guid_compare(g, &ST_PS_MAPI) == 0;
}

/* A MAPINAMEID -> st_propname: 0, 1 when it is not a name we can map, -1
 * out of memory. */
static int name_from_mapi(st_propname *out, const MAPINAMEID *n)
{
    memset(out, 0, sizeof *out);
    out->kind = -1;
    if (!n || !n->lpguid)
        return 1;
    st_guid_from_bytes(&out->guid, (const uint8_t *)n->lpguid);
    if (n->ulKind == MNID_ID) {
        out->kind = ST_MNID_ID;
        out->lid = (uint32_t)n->Kind.lID;
        return 0;
    }
    if (n->ulKind != MNID_STRING || !n->Kind.lpwstrName)
        return 1;
    out->name = md_utf8_from_wide(n->Kind.lpwstrName);
    if (!out->name)
        return -1;
    out->kind = ST_MNID_STRING;
    return 0;
}

HRESULT md_names_to_ids(md_store *s, ULONG n, LPMAPINAMEID *names, ULONG flags,
    LPSPropTagArray *tags)
{
    HRESULT hr;

    if (!tags)
        return MAPI_E_INVALID_PARAMETER;
    *tags = NULL;
    if (flags & ~(ULONG)MAPI_CREATE)
        return MAPI_E_UNKNOWN_FLAGS;
    if (!n || !names)
        return MAPI_E_NO_SUPPORT;   /* every name of the store: not done */
    if (n > 0x10000)
        return MAPI_E_INVALID_PARAMETER;
    st_propname *pn = calloc(n, sizeof *pn);
    uint16_t *ids = calloc(n, sizeof *ids);
    size_t *slot = calloc(n, sizeof *slot);   /* pn index of names[i], or SIZE_MAX */
    LPSPropTagArray out = NULL;
    st_catalog *cat = NULL;
    size_t k = 0;
    int bad = 0;

    hr = MAPI_E_NOT_ENOUGH_MEMORY;
    if (!pn || !ids || !slot)
        goto cleanup;
    for (ULONG i = 0; i < n; i++) {
        slot[i] = SIZE_MAX;
        int r = name_from_mapi(&pn[k], names[i]);
        if (r < 0)
            goto cleanup;
        if (r > 0 || (is_ps_mapi(&pn[k].guid)
            && (pn[k].kind != ST_MNID_ID || pn[k].lid == 0 || pn[k].lid >= 0x8000))) {
            st_propname_clear(&pn[k]);
            bad = 1;
            continue;
        }
        slot[i] = k++;
    }
    /* PS_MAPI names are not looked up: move them out of the catalog's way */
    size_t nq = 0;
    st_propname *q = calloc(k ? k : 1, sizeof *q);
    size_t *qi = calloc(k ? k : 1, sizeof *qi);
    if (!q || !qi) {
        free(q);
        free(qi);
        goto cleanup;
    }
    for (size_t j = 0; j < k; j++)
        if (!is_ps_mapi(&pn[j].guid)) {
            q[nq] = pn[j];
            qi[nq++] = j;
        }
    int code = 0;
    if (nq) {
        hr = catalog_open(s, &cat);
        if (hr == S_OK) {
            uint16_t *qids = calloc(nq, sizeof *qids);
            code = qids ? st_catalog_names_to_ids(cat, qids, q, nq, (flags & MAPI_CREATE) != 0)
                        : ST_ERROR;
            for (size_t j = 0; !code && j < nq; j++)
                ids[qi[j]] = qids[j];
            free(qids);
            hr = md_hr_from_st(code);
        }
    }
    free(q);
    free(qi);
    if (hr != S_OK && nq)
        goto cleanup;
    hr = s->alloc.buffer(CbNewSPropTagArray(n), (void **)&out);
    if (hr != S_OK || !out) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto cleanup;
    }
    out->cValues = n;
    for (ULONG i = 0; i < n; i++) {
        ULONG tag = PROP_TAG(PT_ERROR, 0);
        if (slot[i] != SIZE_MAX) {
            const st_propname *p = &pn[slot[i]];
            uint32_t id = is_ps_mapi(&p->guid) ? p->lid : ids[slot[i]];
            if (id)
                tag = PROP_TAG(PT_UNSPECIFIED, id);
        }
        bad |= tag == PROP_TAG(PT_ERROR, 0);
        out->aulPropTag[i] = tag;
    }
    *tags = out;
    hr = bad ? MAPI_W_ERRORS_RETURNED : S_OK;

cleanup:
    st_catalog_close(cat);
    for (size_t j = 0; pn && j < k; j++)
        st_propname_clear(&pn[j]);
    free(pn);
    free(ids);
    free(slot);
    return hr;
}

/* One MAPINAMEID off parent for name p: S_OK or out of memory. */
static HRESULT name_to_mapi(MAPINAMEID **out, const st_propname *p, void *parent,
    const md_alloc *a)
{
    MAPINAMEID *m = NULL;
    if (a->more(sizeof *m + sizeof(GUID), parent, (void **)&m) != S_OK || !m)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    m->lpguid = (LPGUID)(m + 1);
    st_guid_to_bytes((uint8_t *)m->lpguid, &p->guid);
    if (p->kind == ST_MNID_ID) {
        m->ulKind = MNID_ID;
        m->Kind.lID = (LONG)p->lid;
    } else {
        m->ulKind = MNID_STRING;
        void *w = NULL;
        HRESULT hr = md_string_to_mapi(&w, p->name, PT_UNICODE, parent, a);
        if (hr != S_OK)
            return hr;
        m->Kind.lpwstrName = w;
    }
    *out = m;
    return S_OK;
}

HRESULT md_ids_to_names(md_store *s, LPSPropTagArray *tags, LPGUID guid, ULONG flags,
    ULONG *count, LPMAPINAMEID **names)
{
    if (!count || !names)
        return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    *names = NULL;
    if (!tags)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)NAMES_FLAGS)
        return MAPI_E_UNKNOWN_FLAGS;
    if (!*tags)
        return MAPI_E_NO_SUPPORT;   /* every name of the store: not done */
    ULONG n = (*tags)->cValues;
    if (!n || n > 0x10000)
        return MAPI_E_INVALID_PARAMETER;

    st_propname *pn = calloc(n, sizeof *pn);
    uint16_t *ids = calloc(n, sizeof *ids);
    st_catalog *cat = NULL;
    MAPINAMEID **out = NULL;
    HRESULT hr = MAPI_E_NOT_ENOUGH_MEMORY;
    int bad = 0, need_catalog = 0;

    if (!pn || !ids)
        goto cleanup;
    for (ULONG i = 0; i < n; i++) {
        uint32_t id = PROP_ID((*tags)->aulPropTag[i]);
        if (id >= 0x8000 && id <= 0xFFFE) {
            ids[i] = (uint16_t)id;
            need_catalog = 1;
        }
    }
    if (need_catalog) {
        hr = catalog_open(s, &cat);
        if (hr != S_OK)
            goto cleanup;
        hr = md_hr_from_st(st_catalog_ids_to_names(cat, pn, ids, n));
        if (hr != S_OK)
            goto cleanup;
    } else {
        for (ULONG i = 0; i < n; i++)
            pn[i].kind = -1;
    }
    if (s->alloc.buffer(n * sizeof *out, (void **)&out) != S_OK || !out) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        goto cleanup;
    }
    memset(out, 0, n * sizeof *out);
    hr = S_OK;
    for (ULONG i = 0; hr == S_OK && i < n; i++) {
        uint32_t id = PROP_ID((*tags)->aulPropTag[i]);
        if (id && id < 0x8000 && pn[i].kind == -1) {
            pn[i].guid = ST_PS_MAPI;
            pn[i].kind = ST_MNID_ID;
            pn[i].lid = id;
        }
        int skip = pn[i].kind == -1
            || (flags & MAPI_NO_STRINGS && pn[i].kind == ST_MNID_STRING)
            || (flags & MAPI_NO_IDS && pn[i].kind == ST_MNID_ID);
        if (!skip && guid) {
            st_guid g;
            st_guid_from_bytes(&g, (const uint8_t *)guid);
            skip = st_guid_compare(&g, &pn[i].guid) != 0;
        }
        if (skip) {
            bad = 1;
            continue;
        }
        hr = name_to_mapi(&out[i], &pn[i], out, &s->alloc);
    }
    if (hr != S_OK) {
        s->alloc.free(out);
        out = NULL;
        goto cleanup;
    }
    *count = n;
    *names = out;
    hr = bad ? MAPI_W_ERRORS_RETURNED : S_OK;

cleanup:
    st_catalog_close(cat);
    for (ULONG i = 0; pn && i < n; i++)
        st_propname_clear(&pn[i]);
    free(pn);
    free(ids);
    return hr;
}
