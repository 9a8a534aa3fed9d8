/*
 * test_provider_service.c: a stand-in for MAPI's profile administration
 * driving mapidav32.dll's MSGServiceEntry under Wine (Wine has no MAPI
 * subsystem: MAPI-NOTES.md), then logging on to the store it configured.
 *
 * The stand-in profile: the service's own section and one section per
 * provider, each an IProfSect holding any properties; the store provider's
 * section starts with what MAPI copies from MAPISVC.INF (PR_DISPLAY_NAME,
 * PR_RESOURCE_TYPE, PR_MDB_PROVIDER: the entries `mapidav register`
 * writes). An IProviderAdmin over it (OpenProfileSection, GetProviderTable,
 * CreateProvider, DeleteProvider), a provider table (SetColumns,
 * QueryRows), and host_support.h's IMAPISupport (allocators,
 * WrapStoreEntryID); each behaviour is commented with the MAPI reference
 * page it follows.
 *
 * Drives: bad arguments and flags; INSTALL/UNINSTALL/DELETE; SERVICE_UI_ALWAYS
 * refused (no dialog yet) with a MAPIERROR; CREATE with the defaults (store
 * under %LOCALAPPDATA%\mapidav\<section UID>\{GUID}.sqlite, made, its GUID
 * in PR_RECORD_KEY, PR_MDB_PROVIDER, the wrapped PR_ENTRYID); CONFIGURE
 * incomplete (MAPI_E_UNCONFIGURED), refused values (nothing written),
 * complete (8-bit and Unicode strings), again (same GUID), read-only (shown,
 * not changed), a file that is not a store (MAPI_E_CORRUPT_STORE), an
 * existing store's GUID taken over; a logon through
 * MSProviderInit on the section it wrote (the store's record key and entry
 * ID equal the section's); PROVIDER_CREATE / PROVIDER_DELETE of a second
 * store; at the end every section, table, buffer and provider object
 * released.
 *
 * usage: test_provider_service PATH-TO-mapidav32.dll
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMAPITable
#define USES_IID_IMsgStore
#include <windows.h>
#include <initguid.h>
#include <mapiguid.h>
#include <mapispi.h>
#include <mapicode.h>
#include <mapitags.h>

#include "testutil.h"
#include "host_alloc.h"
#include "host_support.h"
#include "dll_path.h"
#include "provider/object.h"
#include "provider/svcentry.h"
#include "storage/os.h"

/* MSGServiceEntry and IProviderAdmin::CreateProvider as Outlook's headers
 * declare them (ulUIParam ULONG_PTR; mingw-w64 says ULONG). */
typedef HRESULT (WINAPI *service_entry_fn)(HINSTANCE, LPMALLOC, LPMAPISUP, ULONG_PTR, ULONG,
    ULONG, ULONG, LPSPropValue, LPPROVIDERADMIN, LPMAPIERROR *);

static const MAPIUID service_uid = { { 's', 'e', 'r', 'v', 'i', 'c', 'e', 0, 1, 2, 3, 4, 5, 6,
    7, 8 } };
static const BYTE provider_uid_bytes[16] = {   /* MD_PROVIDER_UID, as MAPISVC.INF gives it */
    0x69, 0x70, 0x61, 0x6d, 0x61, 0x64, 0x00, 0x76,
    0x80, 0x00, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x21 };

/* ---- Profile sections (IProfSect: IMAPIProp). GetProps, SetProps,
 * SaveChanges as IMAPIProp's pages describe them; MAPI_MODIFY needed to
 * write ("IProviderAdmin::OpenProfileSection": read-only by default). */
#define MAX_SECT 8
#define MAX_VALS 32
typedef struct section {
    IProfSect iface;          /* first */
    LONG refs;                /* references others hold (0: closed) */
    int used;                 /* exists in the profile */
    int store;                /* a store provider's section (provider table) */
    int writable;             /* opened with MAPI_MODIFY */
    MAPIUID uid;
    SPropValue *vals[MAX_VALS];   /* each its own MAPIAllocateBuffer chain */
    ULONG n;
} section;
static section sects[MAX_SECT];
static int next_uid = 2;

static section *sect_of(IProfSect *iface)
{
    return (section *)iface;
}

/* dst = src, data hanging off parent. */
static void copy_value(SPropValue *dst, const SPropValue *src, void *parent)
{
    *dst = *src;
    switch (PROP_TYPE(src->ulPropTag)) {
    case PT_UNICODE: {
        size_t len = (wcslen(src->Value.lpszW) + 1) * sizeof(WCHAR);
        host_AllocateMore((ULONG)len, parent, (void **)&dst->Value.lpszW);
        memcpy(dst->Value.lpszW, src->Value.lpszW, len);
        break;
    }
    case PT_STRING8: {
        size_t len = strlen(src->Value.lpszA) + 1;
        host_AllocateMore((ULONG)len, parent, (void **)&dst->Value.lpszA);
        memcpy(dst->Value.lpszA, src->Value.lpszA, len);
        break;
    }
    case PT_BINARY:
        host_AllocateMore(src->Value.bin.cb + 1, parent, (void **)&dst->Value.bin.lpb);
        memcpy(dst->Value.bin.lpb, src->Value.bin.lpb, src->Value.bin.cb);
        break;
    default:
        break;
    }
}

static SPropValue *find_val(section *s, ULONG tag)
{
    for (ULONG i = 0; i < s->n; i++)
        if (PROP_ID(s->vals[i]->ulPropTag) == PROP_ID(tag)
            && (PROP_TYPE(tag) == PT_UNSPECIFIED || s->vals[i]->ulPropTag == tag))
            return s->vals[i];
    return NULL;
}

static void put_val(section *s, const SPropValue *v)
{
    for (ULONG i = 0; i < s->n; i++)
        if (PROP_ID(s->vals[i]->ulPropTag) == PROP_ID(v->ulPropTag)) {
            host_FreeBuffer(s->vals[i]);
            s->vals[i] = s->vals[--s->n];
            break;
        }
    if (s->n == MAX_VALS)
        return;
    SPropValue *c = NULL;
    host_AllocateBuffer(sizeof *c, (void **)&c);
    copy_value(c, v, c);
    s->vals[s->n++] = c;
}

static void clear_section(section *s)
{
    for (ULONG i = 0; i < s->n; i++)
        host_FreeBuffer(s->vals[i]);
    s->n = 0;
    s->used = 0;
}

static HRESULT STDMETHODCALLTYPE sect_QueryInterface(IProfSect *self, REFIID riid, void **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPIProp))
        return E_NOINTERFACE;
    InterlockedIncrement(&sect_of(self)->refs);
    *out = self;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE sect_AddRef(IProfSect *self)
{
    return (ULONG)InterlockedIncrement(&sect_of(self)->refs);
}

static ULONG STDMETHODCALLTYPE sect_Release(IProfSect *self)
{
    section *s = sect_of(self);
    LONG n = InterlockedDecrement(&s->refs);
    ok(n >= 0, "profile section released once too often\n");
    if (n == 0)
        s->writable = 0;
    return (ULONG)n;
}

/* IMAPIProp::GetProps: one value per tag, PT_ERROR MAPI_E_NOT_FOUND and
 * MAPI_W_ERRORS_RETURNED for what is missing. */
static HRESULT STDMETHODCALLTYPE sect_GetProps(IProfSect *self, LPSPropTagArray tags,
    ULONG flags, ULONG *count, LPSPropValue *out)
{
    section *s = sect_of(self);
    if (!tags || !count || !out)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)MAPI_UNICODE)
        return MAPI_E_UNKNOWN_FLAGS;
    SPropValue *v = NULL;
    host_AllocateBuffer(sizeof *v * (tags->cValues + 1), (void **)&v);
    HRESULT hr = S_OK;
    for (ULONG i = 0; i < tags->cValues; i++) {
        SPropValue *have = find_val(s, tags->aulPropTag[i]);
        if (have) {
            copy_value(&v[i], have, v);
        } else {
            v[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(tags->aulPropTag[i]));
            v[i].Value.err = MAPI_E_NOT_FOUND;
            hr = MAPI_W_ERRORS_RETURNED;
        }
    }
    *count = tags->cValues;
    *out = v;
    return hr;
}

/* IMAPIProp::SetProps: MAPI_E_NO_ACCESS unless opened with MAPI_MODIFY. */
static HRESULT STDMETHODCALLTYPE sect_SetProps(IProfSect *self, ULONG n, LPSPropValue vals,
    LPSPropProblemArray *problems)
{
    section *s = sect_of(self);
    if (problems)
        *problems = NULL;
    if (!vals)
        return MAPI_E_INVALID_PARAMETER;
    if (!s->writable)
        return MAPI_E_NO_ACCESS;
    for (ULONG i = 0; i < n; i++)
        put_val(s, &vals[i]);
    return S_OK;
}

static int saves;
static HRESULT STDMETHODCALLTYPE sect_SaveChanges(IProfSect *self, ULONG flags)
{
    (void)self; (void)flags;
    saves++;
    return S_OK;
}

static IProfSectVtbl sect_vtbl;

static section *new_section(int store)
{
    for (int i = 0; i < MAX_SECT; i++) {
        section *s = &sects[i];
        if (s->used || s->refs)
            continue;
        memset(s, 0, sizeof *s);
        s->iface.lpVtbl = &sect_vtbl;
        s->used = 1;
        s->store = store;
        memset(s->uid.ab, 0, 16);
        s->uid.ab[0] = 'p';
        s->uid.ab[15] = (BYTE)next_uid++;
        return s;
    }
    return NULL;
}

static section *section_by_uid(const MAPIUID *uid)
{
    for (int i = 0; i < MAX_SECT; i++)
        if (sects[i].used && !memcmp(&sects[i].uid, uid, sizeof *uid))
            return &sects[i];
    return NULL;
}

/* What MAPI copies from MAPISVC.INF's [mapidav_store] into a new store
 * provider's section ("MapiSvc.inf Service Provider Sections"). */
static section *new_store_section(void)
{
    section *s = new_section(1);
    if (!s)
        return NULL;
    SPropValue v[3];
    v[0].ulPropTag = PR_DISPLAY_NAME_W;
    v[0].Value.lpszW = (WCHAR *)L"mapidav";
    v[1].ulPropTag = PR_RESOURCE_TYPE;
    v[1].Value.l = MAPI_STORE_PROVIDER;
    v[2].ulPropTag = PR_MDB_PROVIDER;
    v[2].Value.bin.cb = 16;
    v[2].Value.bin.lpb = (LPBYTE)provider_uid_bytes;
    for (int i = 0; i < 3; i++)
        put_val(s, &v[i]);
    return s;
}

/* ---- The provider table ("Provider Tables"; IProviderAdmin::
 * GetProviderTable: a static snapshot, one row per provider with
 * PR_PROVIDER_UID and PR_RESOURCE_TYPE among its columns). */
typedef struct ptable {
    IMAPITable iface;         /* first */
    LONG refs;
    ULONG pos, n;
    MAPIUID uids[MAX_SECT];
    ULONG types[MAX_SECT];
} ptable;
static LONG tables_live;

static HRESULT STDMETHODCALLTYPE tab_QueryInterface(IMAPITable *self, REFIID riid, void **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = NULL;
    if (!IsEqualIID(riid, &IID_IUnknown) && !IsEqualIID(riid, &IID_IMAPITable))
        return E_NOINTERFACE;
    self->lpVtbl->AddRef(self);
    *out = self;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE tab_AddRef(IMAPITable *self)
{
    return (ULONG)InterlockedIncrement(&((ptable *)self)->refs);
}

static ULONG STDMETHODCALLTYPE tab_Release(IMAPITable *self)
{
    LONG n = InterlockedDecrement(&((ptable *)self)->refs);
    if (n == 0) {
        free(self);
        InterlockedDecrement(&tables_live);
    }
    return (ULONG)n;
}

/* IMAPITable::SetColumns: our rows always carry both columns asked for. */
static HRESULT STDMETHODCALLTYPE tab_SetColumns(IMAPITable *self, LPSPropTagArray cols,
    ULONG flags)
{
    (void)self; (void)flags;
    return cols && cols->cValues ? S_OK : MAPI_E_INVALID_PARAMETER;
}

/* IMAPITable::QueryRows: up to count rows from the cursor, each row's
 * lpProps its own MAPIAllocateBuffer (freed by the caller, FreeProws). */
static HRESULT STDMETHODCALLTYPE tab_QueryRows(IMAPITable *self, LONG count, ULONG flags,
    LPSRowSet *out)
{
    ptable *t = (ptable *)self;
    if (!out || count <= 0 || flags)
        return MAPI_E_INVALID_PARAMETER;
    ULONG n = t->n - t->pos < (ULONG)count ? t->n - t->pos : (ULONG)count;
    SRowSet *rows = NULL;
    host_AllocateBuffer(sizeof(SRowSet) + sizeof(SRow) * (n + 1), (void **)&rows);
    rows->cRows = n;
    for (ULONG i = 0; i < n; i++, t->pos++) {
        SPropValue *v = NULL;
        host_AllocateBuffer(sizeof *v * 3, (void **)&v);
        v[0].ulPropTag = t->types[t->pos] ? PR_RESOURCE_TYPE
                                          : PROP_TAG(PT_ERROR, PROP_ID(PR_RESOURCE_TYPE));
        v[0].Value.l = t->types[t->pos] ? (LONG)t->types[t->pos] : (LONG)MAPI_E_NOT_FOUND;
        v[1].ulPropTag = PR_PROVIDER_UID;
        v[1].Value.bin.cb = 16;
        host_AllocateMore(16, v, (void **)&v[1].Value.bin.lpb);
        memcpy(v[1].Value.bin.lpb, &t->uids[t->pos], 16);
        v[2].ulPropTag = PR_SERVICE_UID;
        v[2].Value.bin.cb = 16;
        host_AllocateMore(16, v, (void **)&v[2].Value.bin.lpb);
        memcpy(v[2].Value.bin.lpb, &service_uid, 16);
        rows->aRow[i].cValues = 3;
        rows->aRow[i].lpProps = v;
    }
    *out = rows;
    return S_OK;
}

static IMAPITableVtbl tab_vtbl;

/* ---- IProviderAdmin */
static int admin_opens, creates, deletes;

static HRESULT STDMETHODCALLTYPE adm_QueryInterface(IProviderAdmin *self, REFIID riid,
    void **out)
{
    (void)self; (void)riid;
    if (out)
        *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE adm_AddRef(IProviderAdmin *self)
{
    (void)self;
    return 2;
}

static ULONG STDMETHODCALLTYPE adm_Release(IProviderAdmin *self)
{
    (void)self;
    return 1;
}

static HRESULT STDMETHODCALLTYPE adm_GetProviderTable(IProviderAdmin *self, ULONG flags,
    LPMAPITABLE *out)
{
    (void)self;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    ok(flags == 0 || flags == MAPI_UNICODE, "GetProviderTable flags %#lx\n",
       (unsigned long)flags);
    ptable *t = calloc(1, sizeof *t);
    t->iface.lpVtbl = &tab_vtbl;
    t->refs = 1;
    /* The service section first (an extra row, no PR_RESOURCE_TYPE of a
     * provider), then the providers. */
    t->uids[t->n] = service_uid;
    t->types[t->n++] = 0;
    for (int i = 0; i < MAX_SECT; i++)
        if (sects[i].used && sects[i].store) {
            t->uids[t->n] = sects[i].uid;
            t->types[t->n++] = MAPI_STORE_PROVIDER;
        }
    InterlockedIncrement(&tables_live);
    *out = &t->iface;
    return S_OK;
}

/* IProviderAdmin::CreateProvider: the name is a section of MAPISVC.INF
 * (MAPI_E_NOT_FOUND otherwise); ulUIParam is ULONG_PTR. */
static HRESULT STDMETHODCALLTYPE adm_CreateProvider(IProviderAdmin *self, LPTSTR name,
    ULONG n, LPSPropValue props, ULONG_PTR ui, ULONG flags, MAPIUID *uid)
{
    (void)self; (void)n; (void)props; (void)ui;
    if (!name || !uid)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & MAPI_UNICODE ? wcscmp((WCHAR *)name, L"mapidav_store")
                             : strcmp((char *)name, "mapidav_store"))
        return MAPI_E_NOT_FOUND;
    section *s = new_store_section();
    if (!s)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    creates++;
    *uid = s->uid;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE adm_DeleteProvider(IProviderAdmin *self, LPMAPIUID uid)
{
    (void)self;
    section *s = uid ? section_by_uid(uid) : NULL;
    if (!s || !s->store)
        return MAPI_E_NOT_FOUND;
    ok(s->refs == 0, "DeleteProvider of a section still open\n");
    clear_section(s);
    deletes++;
    return S_OK;
}

/* IProviderAdmin::OpenProfileSection: NULL from a service entry is the
 * service's own section; an unknown UID with MAPI_MODIFY creates it, read
 * only it is MAPI_E_NOT_FOUND; a section open for writing cannot be opened
 * again. */
static HRESULT STDMETHODCALLTYPE adm_OpenProfileSection(IProviderAdmin *self, LPMAPIUID uid,
    LPCIID iid, ULONG flags, LPPROFSECT *out)
{
    (void)self;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (iid && !IsEqualIID(iid, &IID_IMAPIProp) && !IsEqualIID(iid, &IID_IUnknown))
        return MAPI_E_INTERFACE_NOT_SUPPORTED;
    section *s = uid ? section_by_uid(uid) : &sects[0];
    if (!s) {
        if (!(flags & MAPI_MODIFY))
            return MAPI_E_NOT_FOUND;
        s = new_section(0);
        s->uid = *uid;
    }
    if (s->writable || (s->refs && (flags & MAPI_MODIFY)))
        return MAPI_E_NO_ACCESS;
    s->writable = !!(flags & MAPI_MODIFY);
    InterlockedIncrement(&s->refs);
    admin_opens++;
    *out = &s->iface;
    return S_OK;
}

static IProviderAdminVtbl adm_vtbl;
static IProviderAdmin admin = { &adm_vtbl };

/* IMAPISupport::OpenProfileSection(NULL) at logon: the provider's own
 * section (the one the service entry wrote). */
static section *logon_section;
static HRESULT STDMETHODCALLTYPE logon_OpenProfileSection(IMAPISupport *self, LPMAPIUID uid,
    ULONG flags, LPPROFSECT *out)
{
    (void)self; (void)flags;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (uid || !logon_section)
        return MAPI_E_NOT_FOUND;
    InterlockedIncrement(&logon_section->refs);
    *out = &logon_section->iface;
    return S_OK;
}

static void setup_profile(void)
{
    host_support_setup();
    sup_vtbl.OpenProfileSection = logon_OpenProfileSection;

    sect_vtbl.QueryInterface = sect_QueryInterface;
    sect_vtbl.AddRef = sect_AddRef;
    sect_vtbl.Release = sect_Release;
    sect_vtbl.GetProps = sect_GetProps;
    sect_vtbl.SetProps = sect_SetProps;
    sect_vtbl.SaveChanges = sect_SaveChanges;
    fill_vtbl(&sect_vtbl, sizeof sect_vtbl);

    tab_vtbl.QueryInterface = tab_QueryInterface;
    tab_vtbl.AddRef = tab_AddRef;
    tab_vtbl.Release = tab_Release;
    tab_vtbl.SetColumns = tab_SetColumns;
    tab_vtbl.QueryRows = tab_QueryRows;
    fill_vtbl(&tab_vtbl, sizeof tab_vtbl);

    adm_vtbl.QueryInterface = adm_QueryInterface;
    adm_vtbl.AddRef = adm_AddRef;
    adm_vtbl.Release = adm_Release;
    adm_vtbl.GetProviderTable = adm_GetProviderTable;
    adm_vtbl.CreateProvider = (__typeof__(adm_vtbl.CreateProvider))(void (*)(void))
        adm_CreateProvider;   /* ulUIParam ULONG_PTR, as MAPI has it */
    adm_vtbl.DeleteProvider = adm_DeleteProvider;
    adm_vtbl.OpenProfileSection = adm_OpenProfileSection;
    fill_vtbl(&adm_vtbl, sizeof adm_vtbl);

    /* A profile as MAPI makes it from MAPISVC.INF: the service's section,
     * then the store provider's. */
    section *svc = new_section(0);
    svc->uid = service_uid;
    new_store_section();
}

/* ---- Driving MSGServiceEntry */
static service_entry_fn entry;
static HMODULE dll;
static WCHAR root[MAX_PATH];   /* this run's temporary folder */

static HRESULT call(ULONG flags, ULONG context, ULONG n, LPSPropValue props, LPMAPIERROR *err)
{
    return entry(dll, NULL, &support, 0, flags, context, n, props, &admin, err);
}

static const WCHAR *sect_str(section *s, ULONG tag)
{
    SPropValue *v = find_val(s, tag);
    return v ? v->Value.lpszW : NULL;
}

static const SBinary *sect_bin(section *s, ULONG tag)
{
    SPropValue *v = find_val(s, tag);
    return v ? &v->Value.bin : NULL;
}

static int file_exists(const WCHAR *p)
{
    return p && GetFileAttributesW(p) != INVALID_FILE_ATTRIBUTES;
}

/* The MAPIERROR names what it should, and is one MAPI buffer. */
static void check_error(LPMAPIERROR err, const WCHAR *want, int line)
{
    ok(err && err->lpszError && wcsstr((WCHAR *)err->lpszError, want)
       && err->lpszComponent && err->ulVersion == MAPI_ERROR_VERSION,
       "line %d: MAPIERROR %ls lacks \"%ls\"\n", line,
       err && err->lpszError ? (WCHAR *)err->lpszError : L"(none)", want);
    host_FreeBuffer(err);
}

static void test_bad_input(void)
{
    LPMAPIERROR err = (LPMAPIERROR)(ULONG_PTR)1;
    HRESULT hr = call(0x40000000, MSG_SERVICE_CONFIGURE, 0, NULL, &err);
    ok(hr == MAPI_E_UNKNOWN_FLAGS && err == NULL, "unknown flag: %#lx\n", (unsigned long)hr);
    hr = call(0, 99, 0, NULL, &err);
    ok(hr == MAPI_E_NO_SUPPORT, "unknown context: %#lx\n", (unsigned long)hr);
    hr = entry(dll, NULL, &support, 0, 0, MSG_SERVICE_CONFIGURE, 0, NULL, NULL, &err);
    ok(hr == MAPI_E_INVALID_PARAMETER, "no IProviderAdmin: %#lx\n", (unsigned long)hr);
    hr = entry(dll, NULL, NULL, 0, 0, MSG_SERVICE_CREATE, 0, NULL, &admin, &err);
    ok(hr == MAPI_E_INVALID_PARAMETER, "no support object: %#lx\n", (unsigned long)hr);
    hr = call(0, MSG_SERVICE_CONFIGURE, 2, NULL, &err);
    ok(hr == MAPI_E_INVALID_PARAMETER, "2 values at NULL: %#lx\n", (unsigned long)hr);
    /* INSTALL, UNINSTALL, DELETE: S_OK ("MSGSERVICEENTRY"), nothing opened. */
    int opens = admin_opens;
    ok(call(0, MSG_SERVICE_INSTALL, 0, NULL, NULL) == S_OK
       && call(0, MSG_SERVICE_UNINSTALL, 0, NULL, NULL) == S_OK
       && call(0, MSG_SERVICE_DELETE, 0, NULL, NULL) == S_OK && admin_opens == opens,
       "INSTALL/UNINSTALL/DELETE\n");
    /* SERVICE_UI_ALWAYS requires a dialog: there is none yet. */
    hr = call(SERVICE_UI_ALWAYS | MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 0, NULL, &err);
    ok(hr == MAPI_E_NO_SUPPORT, "SERVICE_UI_ALWAYS: %#lx\n", (unsigned long)hr);
    check_error(err, L"no settings dialog", __LINE__);
    ok(admin_opens == opens, "a section opened before the flags were refused\n");
}

static void test_create(section *st)
{
    LPMAPIERROR err = NULL;
    HRESULT hr = call(MAPI_UNICODE, MSG_SERVICE_CREATE, 0, NULL, &err);
    ok(hr == S_OK && !err, "CREATE: %#lx %ls\n", (unsigned long)hr,
       err ? (WCHAR *)err->lpszError : L"");
    host_FreeBuffer(err);
    const WCHAR *path = sect_str(st, PR_MAPIDAV_STORE_PATH_W);
    const SBinary *key = sect_bin(st, PR_RECORD_KEY);
    const SBinary *mdb = sect_bin(st, PR_MDB_PROVIDER);
    const SBinary *eid = sect_bin(st, PR_ENTRYID);
    WCHAR want[MAX_PATH];
    swprintf(want, MAX_PATH, L"%ls\\local\\mapidav\\70", root);
    ok(path && wcsncmp(path, want, wcslen(want)) == 0 && wcsstr(path, L".sqlite"),
       "default store path: %ls\n", path ? path : L"(none)");
    ok(file_exists(path), "store file not made: %ls\n", path ? path : L"(none)");
    ok(key && key->cb == 16, "PR_RECORD_KEY: %lu bytes\n", key ? (unsigned long)key->cb : 0ul);
    ok(mdb && mdb->cb == 16 && !memcmp(mdb->lpb, provider_uid_bytes, 16), "PR_MDB_PROVIDER\n");
    ok(eid && eid->cb == WRAP_HEAD + 48 && !memcmp(eid->lpb + 4, muid_store_wrap, 16)
       && key && !memcmp(eid->lpb + WRAP_HEAD + 20, key->lpb, 16),
       "PR_ENTRYID is not the wrapped store entry ID of the record key\n");
    ok(sect_str(st, PR_DISPLAY_NAME_W) && !wcscmp(sect_str(st, PR_DISPLAY_NAME_W), L"mapidav"),
       "display name changed\n");
    ok(!sect_str(st, PR_MAPIDAV_SERVER_URL_W), "a server URL out of nowhere\n");
    ok(st->refs == 0 && sects[0].refs == 0, "profile sections left open\n");
}

static void test_configure(section *st)
{
    LPMAPIERROR err = NULL;
    BYTE key[16];
    const SBinary *k = sect_bin(st, PR_RECORD_KEY);
    if (!k) {
        ok(0, "no record key to start from\n");
        return;
    }
    memcpy(key, k->lpb, 16);

    /* Nothing given and no server: unconfigured (with SERVICE_UI_ALLOWED
     * the dialog would show: there is none yet). */
    HRESULT hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 0, NULL, &err);
    ok(hr == MAPI_E_UNCONFIGURED, "CONFIGURE without a server: %#lx\n", (unsigned long)hr);
    check_error(err, L"server URL", __LINE__);
    hr = call(MAPI_UNICODE | SERVICE_UI_ALLOWED, MSG_SERVICE_CONFIGURE, 0, NULL, &err);
    ok(hr == MAPI_E_UNCONFIGURED, "CONFIGURE, UI allowed: %#lx\n", (unsigned long)hr);
    check_error(err, L"dialog", __LINE__);

    /* Refused values: nothing written. */
    WCHAR good_path[MAX_PATH];
    swprintf(good_path, MAX_PATH, L"%ls\\other\\mine.sqlite", root);
    SPropValue v[5];
    v[0].ulPropTag = PR_MAPIDAV_SERVER_URL_W;
    v[0].Value.lpszW = (WCHAR *)L"ftp://example.org/";
    v[1].ulPropTag = PR_MAPIDAV_USER_W;
    v[1].Value.lpszW = (WCHAR *)L"jo";
    int writes = saves;
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 2, v, &err);
    ok(hr == MAPI_E_INVALID_PARAMETER, "ftp URL: %#lx\n", (unsigned long)hr);
    check_error(err, L"PR_MAPIDAV_SERVER_URL", __LINE__);
    v[0].Value.lpszW = (WCHAR *)L"https://dav.example.org/mail/jo/";
    v[2].ulPropTag = PR_MAPIDAV_STORE_PATH_W;
    v[2].Value.lpszW = (WCHAR *)L"relative\\store.sqlite";
    hr = call(0, MSG_SERVICE_CONFIGURE, 3, v, &err);
    ok(hr == MAPI_E_INVALID_PARAMETER, "relative path: %#lx\n", (unsigned long)hr);
    ok(err && err->lpszError && strstr((char *)err->lpszError, "PR_MAPIDAV_STORE_PATH"),
       "8-bit MAPIERROR without MAPI_UNICODE: %s\n",
       err && err->lpszError ? (char *)err->lpszError : "(none)");
    host_FreeBuffer(err);
    err = NULL;
    v[2].ulPropTag = PROP_TAG(PT_LONG, 0x6770);
    v[2].Value.l = 5;
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 3, v, &err);
    ok(hr == MAPI_E_INVALID_PARAMETER, "path as PT_LONG: %#lx\n", (unsigned long)hr);
    check_error(err, L"not a string", __LINE__);
    v[2].ulPropTag = PR_DISPLAY_NAME_W;
    v[2].Value.lpszW = (WCHAR *)L"bad\nname";
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 3, v, &err);
    ok(hr == MAPI_E_INVALID_PARAMETER, "control character in the name: %#lx\n",
       (unsigned long)hr);
    check_error(err, L"PR_DISPLAY_NAME", __LINE__);
    ok(saves == writes && !sect_str(st, PR_MAPIDAV_SERVER_URL_W),
       "refused settings were written\n");

    /* Complete: the URL as PT_STRING8, the rest Unicode, a new path, and a
     * value that is not ours (left alone). */
    v[0].ulPropTag = PROP_TAG(PT_STRING8, 0x6771);
    v[0].Value.lpszA = (char *)"https://dav.example.org/mail/jo/";
    v[2].ulPropTag = PR_DISPLAY_NAME_W;
    v[2].Value.lpszW = (WCHAR *)L"J\u00f6rg's mail";
    v[3].ulPropTag = PR_MAPIDAV_STORE_PATH_W;
    v[3].Value.lpszW = good_path;
    v[4].ulPropTag = PR_COMMENT_W;
    v[4].Value.lpszW = (WCHAR *)L"not ours";
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 5, v, &err);
    ok(hr == S_OK && !err, "CONFIGURE: %#lx %ls\n", (unsigned long)hr,
       err ? (WCHAR *)err->lpszError : L"");
    host_FreeBuffer(err);
    err = NULL;
    ok(sect_str(st, PR_MAPIDAV_SERVER_URL_W)
       && !wcscmp(sect_str(st, PR_MAPIDAV_SERVER_URL_W), L"https://dav.example.org/mail/jo/")
       && sect_str(st, PR_MAPIDAV_USER_W) && !wcscmp(sect_str(st, PR_MAPIDAV_USER_W), L"jo")
       && !wcscmp(sect_str(st, PR_DISPLAY_NAME_W), L"J\u00f6rg's mail")
       && !wcscmp(sect_str(st, PR_MAPIDAV_STORE_PATH_W), good_path)
       && !find_val(st, PR_COMMENT_W), "settings not as given\n");
    ok(file_exists(good_path), "store not made at the new path\n");
    k = sect_bin(st, PR_RECORD_KEY);
    ok(k && k->cb == 16 && !memcmp(k->lpb, key, 16), "the store GUID changed\n");

    /* Again, nothing given: still configured, same GUID. */
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 0, NULL, &err);
    ok(hr == S_OK, "CONFIGURE again: %#lx\n", (unsigned long)hr);
    host_FreeBuffer(err);
    k = sect_bin(st, PR_RECORD_KEY);
    ok(k && !memcmp(k->lpb, key, 16), "the store GUID changed on the second CONFIGURE\n");

    /* MSG_SERVICE_UI_READ_ONLY: the configuration is shown, never changed. */
    writes = saves;
    v[0].ulPropTag = PR_DISPLAY_NAME_W;
    v[0].Value.lpszW = (WCHAR *)L"not written";
    hr = call(MAPI_UNICODE | MSG_SERVICE_UI_READ_ONLY, MSG_SERVICE_CONFIGURE, 1, v, NULL);
    ok(hr == S_OK && saves == writes
       && !wcscmp(sect_str(st, PR_DISPLAY_NAME_W), L"J\u00f6rg's mail"),
       "read-only CONFIGURE: %#lx\n", (unsigned long)hr);

    /* A file at the path that is not a store: MAPI_E_CORRUPT_STORE naming
     * it, the profile as it was. */
    WCHAR junk[MAX_PATH];
    swprintf(junk, MAX_PATH, L"%ls\\junk.sqlite", root);
    HANDLE h = CreateFileW(junk, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD put = 0;
    char bytes[4096];
    memset(bytes, 'x', sizeof bytes);
    WriteFile(h, bytes, sizeof bytes, &put, NULL);
    CloseHandle(h);
    v[0].ulPropTag = PR_MAPIDAV_STORE_PATH_W;
    v[0].Value.lpszW = junk;
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 1, v, &err);
    ok(hr == MAPI_E_CORRUPT_STORE, "a file that is not a store: %#lx\n", (unsigned long)hr);
    check_error(err, L"junk.sqlite", __LINE__);
    ok(saves == writes && !wcscmp(sect_str(st, PR_MAPIDAV_STORE_PATH_W), good_path),
       "the profile changed after a refused store\n");
    ok(st->refs == 0, "profile section left open\n");
}

/* MSProviderInit + Logon on the section the service entry wrote. */
static void test_logon(section *st)
{
    MSPROVIDERINIT *init = (MSPROVIDERINIT *)(void (*)(void))GetProcAddress(dll,
        "MSProviderInit");
    LPMSPROVIDER provider = NULL;
    ULONG version = 0, cb_spool = 0, flags = 0, n = 0;
    LPBYTE spool = NULL;
    LPMSLOGON logon = NULL;
    LPMDB mdb = NULL;
    LPSPropValue v = NULL;

    HRESULT hr = init ? init(dll, NULL, host_AllocateBuffer, host_AllocateMore,
        host_FreeBuffer, 0, CURRENT_SPI_VERSION, &version, &provider) : E_FAIL;
    ok(hr == S_OK && provider, "MSProviderInit: %#lx\n", (unsigned long)hr);
    if (hr != S_OK)
        return;
    logon_section = st;
    hr = provider->lpVtbl->Logon(provider, &support, 0, NULL, 0, NULL, MAPI_UNICODE, NULL,
        &cb_spool, &spool, NULL, &logon, &mdb);
    ok(hr == S_OK && mdb, "Logon on the configured store: %#lx\n", (unsigned long)hr);
    if (mdb) {
        SizedSPropTagArray(3, tags) = { 3, { PR_RECORD_KEY, PR_ENTRYID, PR_MDB_PROVIDER } };
        hr = mdb->lpVtbl->GetProps(mdb, (LPSPropTagArray)&tags, 0, &n, &v);
        const SBinary *key = sect_bin(st, PR_RECORD_KEY), *eid = sect_bin(st, PR_ENTRYID);
        ok(hr == S_OK && n == 3 && key && v[0].Value.bin.cb == 16
           && !memcmp(v[0].Value.bin.lpb, key->lpb, 16),
           "the store's PR_RECORD_KEY is not the profile's\n");
        ok(hr == S_OK && eid && v[1].Value.bin.cb == eid->cb
           && !memcmp(v[1].Value.bin.lpb, eid->lpb, eid->cb),
           "the store's PR_ENTRYID is not the profile's\n");
        ok(hr == S_OK && v[2].Value.bin.cb == 16
           && !memcmp(v[2].Value.bin.lpb, provider_uid_bytes, 16),
           "the store's PR_MDB_PROVIDER is not MAPISVC.INF's\n");
        host_FreeBuffer(v);
    }
    if (logon) {
        logon->lpVtbl->Logoff(logon, &flags);
        logon->lpVtbl->Release(logon);
    }
    if (mdb)
        mdb->lpVtbl->Release(mdb);
    logon_section = NULL;
    ok(st->refs == 0, "the store left its profile section open\n");
    IMapidavDebug *debug = NULL;
    provider->lpVtbl->QueryInterface(provider, &IID_IMapidavDebug, (void **)&debug);
    ok(provider->lpVtbl->Release(provider) == 0, "IMSProvider still referenced\n");
    ok(debug && debug->lpVtbl->LiveObjects(debug) == 0, "provider objects alive: %ld\n",
       debug ? (long)debug->lpVtbl->LiveObjects(debug) : -1L);
}

static void test_more_stores(section *first)
{
    LPMAPIERROR err = NULL;
    WCHAR path[MAX_PATH];
    swprintf(path, MAX_PATH, L"%ls\\shared\\boss.sqlite", root);
    SPropValue v[2];
    v[0].ulPropTag = PR_MAPIDAV_STORE_PATH_W;
    v[0].Value.lpszW = path;
    v[1].ulPropTag = PR_DISPLAY_NAME_W;
    v[1].Value.lpszW = (WCHAR *)L"Boss";
    HRESULT hr = call(MAPI_UNICODE, MSG_SERVICE_PROVIDER_CREATE, 2, v, &err);
    ok(hr == S_OK && creates == 1, "PROVIDER_CREATE: %#lx %ls\n", (unsigned long)hr,
       err ? (WCHAR *)err->lpszError : L"");
    host_FreeBuffer(err);
    err = NULL;
    section *second = NULL;
    for (int i = 0; i < MAX_SECT; i++)
        if (sects[i].used && sects[i].store && &sects[i] != first)
            second = &sects[i];
    ok(second && file_exists(path) && sect_bin(second, PR_RECORD_KEY)
       && sect_bin(first, PR_RECORD_KEY)
       && memcmp(sect_bin(second, PR_RECORD_KEY)->lpb, sect_bin(first, PR_RECORD_KEY)->lpb, 16),
       "second store not configured with a GUID of its own\n");
    if (!second)
        return;

    /* A refused value rolls the new provider back. */
    v[0].Value.lpszW = (WCHAR *)L"\\\\server\\share\\x.sqlite";
    hr = call(MAPI_UNICODE, MSG_SERVICE_PROVIDER_CREATE, 1, v, &err);
    ok(hr == MAPI_E_INVALID_PARAMETER && creates == 2 && deletes == 1,
       "PROVIDER_CREATE on a share: %#lx\n", (unsigned long)hr);
    check_error(err, L"local drive", __LINE__);

    /* CONFIGURE of the second by PR_PROVIDER_UID; an unknown UID. */
    SPropValue t[2];
    t[0].ulPropTag = PR_PROVIDER_UID;
    t[0].Value.bin.cb = 16;
    t[0].Value.bin.lpb = second->uid.ab;
    t[1].ulPropTag = PR_DISPLAY_NAME_W;
    t[1].Value.lpszW = (WCHAR *)L"Boss's mailbox";
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 2, t, &err);
    ok(hr == MAPI_E_UNCONFIGURED, "CONFIGURE of a store without a server: %#lx\n",
       (unsigned long)hr);
    host_FreeBuffer(err);
    err = NULL;
    BYTE nobody[16] = { 'x' };
    t[0].Value.bin.lpb = nobody;
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 1, t, &err);
    ok(hr == MAPI_E_NOT_FOUND, "CONFIGURE of an unknown provider: %#lx\n", (unsigned long)hr);
    host_FreeBuffer(err);
    err = NULL;

    /* PROVIDER_DELETE: needs the UID; never the first; the second goes, its
     * file stays (nothing lost). */
    hr = call(MAPI_UNICODE, MSG_SERVICE_PROVIDER_DELETE, 0, NULL, &err);
    ok(hr == MAPI_E_INVALID_PARAMETER, "PROVIDER_DELETE without a UID: %#lx\n",
       (unsigned long)hr);
    host_FreeBuffer(err);
    err = NULL;
    t[0].Value.bin.lpb = first->uid.ab;
    hr = call(MAPI_UNICODE, MSG_SERVICE_PROVIDER_DELETE, 1, t, &err);
    ok(hr == MAPI_E_NO_SUPPORT && first->used, "PROVIDER_DELETE of the first: %#lx\n",
       (unsigned long)hr);
    check_error(err, L"own store", __LINE__);
    t[0].Value.bin.lpb = second->uid.ab;
    hr = call(MAPI_UNICODE, MSG_SERVICE_PROVIDER_DELETE, 1, t, NULL);
    ok(hr == S_OK && !second->used && deletes == 2, "PROVIDER_DELETE: %#lx\n",
       (unsigned long)hr);
    ok(file_exists(path), "PROVIDER_DELETE removed the store file\n");

    /* The first store pointed at that file: the file's GUID wins (it is
     * what the store will say), then back to its own. */
    BYTE key[16], boss[16] = { 0 };
    const WCHAR *own = sect_str(first, PR_MAPIDAV_STORE_PATH_W);
    WCHAR own_path[MAX_PATH];
    memcpy(key, sect_bin(first, PR_RECORD_KEY)->lpb, 16);
    wcscpy(own_path, own ? own : L"");
    v[0].Value.lpszW = path;
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 1, v, NULL);
    const SBinary *k = sect_bin(first, PR_RECORD_KEY);
    if (k)
        memcpy(boss, k->lpb, 16);
    ok(hr == S_OK && memcmp(boss, key, 16) != 0, "an existing store's GUID not taken: %#lx\n",
       (unsigned long)hr);
    v[0].Value.lpszW = own_path;
    hr = call(MAPI_UNICODE, MSG_SERVICE_CONFIGURE, 1, v, NULL);
    k = sect_bin(first, PR_RECORD_KEY);
    ok(hr == S_OK && k && !memcmp(k->lpb, key, 16), "back to the own store: %#lx\n",
       (unsigned long)hr);
}

int main(int argc, char **argv)
{
    char path[MAX_PATH];
    WCHAR local[MAX_PATH];

    if (argc < 2)
        test_fatal("usage: test_provider_service PATH-TO-mapidav32.dll\n");
    to_windows_path(path, sizeof path, argv[1]);
    setup_profile();
    host_store_path(L"mapidav-svc");   /* %TEMP%\mapidav-svc-<pid>\store.sqlite */
    wcscpy(root, store_path);
    *wcsrchr(root, L'\\') = 0;
    swprintf(local, MAX_PATH, L"%ls\\local", root);
    SetEnvironmentVariableW(L"LOCALAPPDATA", local);

    dll = LoadLibraryA(path);
    if (!dll)
        test_fatal("LoadLibrary(%s) failed: error %lu\n", path, GetLastError());
    entry = (service_entry_fn)(void (*)(void))GetProcAddress(dll, "MSGServiceEntry");
    if (!entry)
        test_fatal("MSGServiceEntry not exported\n");
    section *store = &sects[1];

    test_bad_input();
    test_create(store);
    test_configure(store);
    test_logon(store);
    test_more_stores(store);

    /* Everything released: sections, tables, buffers, provider objects. */
    for (int i = 0; i < MAX_SECT; i++)
        ok(sects[i].refs == 0, "section %d still open (%ld)\n", i, (long)sects[i].refs);
    ok(tables_live == 0, "provider tables not released: %ld\n", (long)tables_live);
    ok(sup_refs == 1, "support object references left: %ld\n", (long)sup_refs - 1);
    for (int i = 0; i < MAX_SECT; i++)
        clear_section(&sects[i]);
    ok(buffers_live == 0, "MAPI buffers not freed: %ld\n", (long)buffers_live);

    ok(FreeLibrary(dll), "FreeLibrary failed: error %lu\n", GetLastError());
    char *root8 = NULL;
    int n = WideCharToMultiByte(CP_UTF8, 0, root, -1, NULL, 0, NULL, NULL);
    root8 = malloc((size_t)n);
    WideCharToMultiByte(CP_UTF8, 0, root, -1, root8, n, NULL, NULL);
    st_os_remove_tree(root8);
    free(root8);
    host_remove_store();
    return test_done();
}
