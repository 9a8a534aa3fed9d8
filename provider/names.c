/*
 * names.c: named properties over the account's catalog (contract in
 * names.h). Names from MAPI are checked (kind, GUID pointer, string) before
 * anything is looked up; a name that cannot be mapped gets
 * PROP_TAG(PT_ERROR, 0) and the call MAPI_W_ERRORS_RETURNED, as the MAPI
 * reference gives it. What the catalog answered is cached process-wide
 * (one cache per catalog path, never dropped: a few hundred KB each).
 * Never: cache a name the catalog does not know (another process may add
 * it); hold the cache lock while the catalog is read.
 */
#include <stdlib.h>
#include <string.h>

#include "provider/names.h"
#include "storage/props_guids.h"

#define NAMES_FLAGS (MAPI_NO_STRINGS | MAPI_NO_IDS)

/* The path of catalog.sqlite beside the store file (malloc'd). */
static char *catalog_path(md_store *s)
{
    const char *path = st_store_path(s->st);
    const char *slash = NULL;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            slash = p;
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    char *cat = malloc(dir + sizeof "catalog.sqlite");
    if (cat) {
        memcpy(cat, path, dir);
        memcpy(cat + dir, "catalog.sqlite", sizeof "catalog.sqlite");
    }
    return cat;
}

/* ---- The cache: a catalog's map never changes once an id is given
 * (storage.h: assigned once, never reused), so every answer the catalog
 * gave is kept for the life of the process and later calls need no file.
 * Names the catalog does not know are not kept (another process may add
 * them). One cache per catalog path, behind one lock. */
#define ID_COUNT 0x7FFF          /* ids 0x8000 .. 0xFFFE */
#define SLOTS 0x10000u           /* open addressing, at most half full */

typedef struct name_cache {
    char *path;                  /* the catalog's path (owned) */
    st_propname **by_id;         /* ID_COUNT: id - 0x8000 -> name (owned), or NULL */
    uint16_t *slots;             /* SLOTS: ids by name hash, 0 = empty */
    struct name_cache *next;
} name_cache;

static SRWLOCK cache_lock = SRWLOCK_INIT;
static name_cache *caches;

static uint32_t name_hash(const st_propname *n)
{
    uint8_t g[16];
    uint32_t h = 2166136261u;
    st_guid_to_bytes(g, &n->guid);
    for (int i = 0; i < 16; i++)
        h = (h ^ g[i]) * 16777619u;
    h = (h ^ (uint32_t)n->kind) * 16777619u;
    if (n->kind == ST_MNID_ID) {
        for (int i = 0; i < 4; i++)
            h = (h ^ ((n->lid >> (8 * i)) & 0xFF)) * 16777619u;
    } else {
        for (const unsigned char *p = (const unsigned char *)n->name; p && *p; p++)
            h = (h ^ *p) * 16777619u;
    }
    return h;
}

/* The cache of path, made when missing (under the exclusive lock). */
static name_cache *cache_of(const char *path)
{
    for (name_cache *c = caches; c; c = c->next)
        if (strcmp(c->path, path) == 0)
            return c;
    name_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->path = _strdup(path);
    c->by_id = calloc(ID_COUNT, sizeof *c->by_id);
    c->slots = calloc(SLOTS, sizeof *c->slots);
    if (!c->path || !c->by_id || !c->slots) {
        free(c->path);
        free(c->by_id);
        free(c->slots);
        free(c);
        return NULL;
    }
    c->next = caches;
    caches = c;
    return c;
}

/* The id of name n in c, 0 when not cached (under either lock). */
static uint16_t cache_id(const name_cache *c, const st_propname *n)
{
    for (uint32_t i = name_hash(n) % SLOTS;; i = (i + 1) % SLOTS) {
        uint16_t id = c->slots[i];
        if (!id)
            return 0;
        if (st_propname_compare(c->by_id[id - 0x8000], n) == 0)
            return id;
    }
}

/* Keeps id <-> n in c (under the exclusive lock); out of memory just
 * leaves it uncached. */
static void cache_put(name_cache *c, uint16_t id, const st_propname *n)
{
    if (id < 0x8000 || id > 0xFFFE || c->by_id[id - 0x8000])
        return;
    st_propname *copy = malloc(sizeof *copy);
    if (!copy || st_propname_copy(copy, n)) {
        free(copy);
        return;
    }
    c->by_id[id - 0x8000] = copy;
    uint32_t i = name_hash(n) % SLOTS;
    while (c->slots[i])
        i = (i + 1) % SLOTS;
    c->slots[i] = id;
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

/* Every name of the catalog (of property set guid unless NULL), by id,
 * cached as it goes: as st_catalog_names_list, HRESULT. */
static HRESULT list_all(md_store *s, LPGUID guid, uint16_t **ids, st_propname **pn, size_t *n)
{
    *ids = NULL;
    *pn = NULL;
    *n = 0;
    char *path = catalog_path(s);
    if (!path)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    st_guid g;
    if (guid)
        st_guid_from_bytes(&g, (const uint8_t *)guid);
    st_catalog *cat = NULL;
    int code = st_catalog_open(&cat, path, ST_OPEN_CREATE);
    if (!code)
        code = st_catalog_names_list(cat, guid ? &g : NULL, ids, pn, n);
    st_catalog_close(cat);
    if (!code) {
        AcquireSRWLockExclusive(&cache_lock);
        name_cache *cache = cache_of(path);
        for (size_t i = 0; cache && i < *n; i++)
            cache_put(cache, (*ids)[i], &(*pn)[i]);
        ReleaseSRWLockExclusive(&cache_lock);
    }
    free(path);
    return md_hr_from_st(code);
}

static void free_list(uint16_t *ids, st_propname *pn, size_t n)
{
    for (size_t i = 0; pn && i < n; i++)
        st_propname_clear(&pn[i]);
    free(pn);
    free(ids);
}

/* The tag array of ids[0..n) (PT_UNSPECIFIED) from the allocator of s. */
static HRESULT tags_of(md_store *s, const uint16_t *ids, size_t n, LPSPropTagArray *out)
{
    *out = NULL;
    if (s->alloc.buffer(CbNewSPropTagArray(n), (void **)out) != S_OK || !*out)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    (*out)->cValues = (ULONG)n;
    for (size_t i = 0; i < n; i++)
        (*out)->aulPropTag[i] = PROP_TAG(PT_UNSPECIFIED, ids[i]);
    return S_OK;
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
    if (!n && !names) {   /* the ids of every name the store knows */
        uint16_t *all = NULL;
        st_propname *pn = NULL;
        size_t cnt = 0;
        HRESULT hr = list_all(s, NULL, &all, &pn, &cnt);
        if (hr == S_OK)
            hr = tags_of(s, all, cnt, tags);
        free_list(all, pn, cnt);
        return hr;
    }
    if (!n || !names || n > 0x10000)
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
    /* answered by the cache where it can, the rest by the catalog */
    char *path = catalog_path(s);
    if (!path) {
        free(q);
        free(qi);
        goto cleanup;
    }
    AcquireSRWLockExclusive(&cache_lock);
    name_cache *cache = cache_of(path);
    size_t nm = 0;
    for (size_t j = 0; j < nq; j++) {
        ids[qi[j]] = cache ? cache_id(cache, &q[j]) : 0;
        if (!ids[qi[j]]) {
            q[nm] = q[j];
            qi[nm++] = qi[j];
        }
    }
    ReleaseSRWLockExclusive(&cache_lock);
    hr = S_OK;
    if (nm) {
        int code = st_catalog_open(&cat, path, ST_OPEN_CREATE);
        uint16_t *qids = calloc(nm, sizeof *qids);
        if (!code)
            code = qids ? st_catalog_names_to_ids(cat, qids, q, nm, (flags & MAPI_CREATE) != 0)
                        : ST_ERROR;
        AcquireSRWLockExclusive(&cache_lock);
        for (size_t j = 0; !code && j < nm; j++) {
            ids[qi[j]] = qids[j];
            if (cache && qids[j])
                cache_put(cache, qids[j], &q[j]);
        }
        ReleaseSRWLockExclusive(&cache_lock);
        free(qids);
        hr = md_hr_from_st(code);
    }
    free(path);
    free(q);
    free(qi);
    if (hr != S_OK)
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

/* GetNamesFromIDs with *tags NULL: every name of the catalog (of guid
 * unless NULL; no string names with MAPI_NO_STRINGS, no numeric ones with
 * MAPI_NO_IDS), *tags set to their tags, both arrays the caller's. */
static HRESULT all_names(md_store *s, LPSPropTagArray *tags, LPGUID guid, ULONG flags,
    ULONG *count, LPMAPINAMEID **names)
{
    uint16_t *ids = NULL;
    st_propname *pn = NULL;
    size_t n = 0, k = 0;
    HRESULT hr = list_all(s, guid, &ids, &pn, &n);
    if (hr != S_OK)
        return hr;
    for (size_t i = 0; i < n; i++) {
        if ((flags & MAPI_NO_STRINGS && pn[i].kind == ST_MNID_STRING)
            || (flags & MAPI_NO_IDS && pn[i].kind == ST_MNID_ID)) {
            st_propname_clear(&pn[i]);
            continue;
        }
        ids[k] = ids[i];
        pn[k++] = pn[i];
    }
    LPSPropTagArray t = NULL;
    MAPINAMEID **out = NULL;
    hr = tags_of(s, ids, k, &t);
    if (hr == S_OK && (s->alloc.buffer((k ? k : 1) * sizeof *out, (void **)&out) != S_OK || !out))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; hr == S_OK && i < k; i++)
        hr = name_to_mapi(&out[i], &pn[i], out, &s->alloc);
    if (hr == S_OK) {
        *tags = t;
        *names = out;
        *count = (ULONG)k;
    } else {
        s->alloc.free(t);
        s->alloc.free(out);
    }
    free_list(ids, pn, k);
    return hr;
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
        return all_names(s, tags, guid, flags, count, names);
    ULONG n = (*tags)->cValues;
    if (!n || n > 0x10000)
        return MAPI_E_INVALID_PARAMETER;

    st_propname *pn = calloc(n, sizeof *pn);
    uint16_t *ids = calloc(n, sizeof *ids);       /* ids asked of the catalog */
    ULONG *at = calloc(n, sizeof *at);            /* where each of them goes */
    char *path = catalog_path(s);
    st_catalog *cat = NULL;
    MAPINAMEID **out = NULL;
    HRESULT hr = MAPI_E_NOT_ENOUGH_MEMORY;
    int bad = 0;
    size_t nm = 0;

    if (!pn || !ids || !at || !path)
        goto cleanup;
    hr = S_OK;
    AcquireSRWLockExclusive(&cache_lock);
    name_cache *cache = cache_of(path);
    for (ULONG i = 0; i < n; i++) {
        uint32_t id = PROP_ID((*tags)->aulPropTag[i]);
        pn[i].kind = -1;
        if (id < 0x8000 || id > 0xFFFE)
            continue;
        const st_propname *known = cache ? cache->by_id[id - 0x8000] : NULL;
        if (!known) {
            ids[nm] = (uint16_t)id;
            at[nm++] = i;
        } else if (st_propname_copy(&pn[i], known)) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        }
    }
    ReleaseSRWLockExclusive(&cache_lock);
    if (hr == S_OK && nm) {
        st_propname *got = calloc(nm, sizeof *got);
        int code = got ? st_catalog_open(&cat, path, ST_OPEN_CREATE) : ST_ERROR;
        if (!code)
            code = st_catalog_ids_to_names(cat, got, ids, nm);
        AcquireSRWLockExclusive(&cache_lock);
        for (size_t j = 0; !code && j < nm; j++) {
            pn[at[j]] = got[j];   /* moved */
            if (cache && got[j].kind != -1)
                cache_put(cache, ids[j], &got[j]);
        }
        ReleaseSRWLockExclusive(&cache_lock);
        free(got);
        hr = md_hr_from_st(code);
    }
    if (hr != S_OK)
        goto cleanup;
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
    free(at);
    free(path);
    return hr;
}
