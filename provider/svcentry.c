/*
 * svcentry.c: the message service entry (svcentry.h has the contract):
 * settings from lpProps over those already in the store provider's profile
 * section, checked, the store file made (or found) so its GUID is fixed,
 * then everything written to the section in one SetProps.
 *
 * Which store provider: the rows of IProviderAdmin::GetProviderTable with
 * PR_RESOURCE_TYPE MAPI_STORE_PROVIDER; the first is the account's own
 * mailbox. Memory MAPI hands us (rows, property arrays) is freed with the
 * support object's allocators (IMAPISupport::GetMemAllocRoutines).
 * Never: show UI; write a section before every value is checked; delete a
 * store file (nothing lost: removing the service leaves the files).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider/entryid.h"
#include "provider/mapiprop.h"
#include "provider/propconv.h"
#include "provider/store.h"
#include "provider/svcentry.h"
#include "storage/error.h"
#include "storage/os.h"
#include "storage/props_guids.h"
#include "storage/strutil.h"

/* IProviderAdmin::CreateProvider as Outlook's headers declare it: ulUIParam
 * is ULONG_PTR (mingw-w64 says ULONG; MAPI-NOTES.md). */
typedef HRESULT (STDMETHODCALLTYPE *create_provider_fn)(IProviderAdmin *self,
    LPTSTR name, ULONG n, LPSPropValue props, ULONG_PTR ui_param, ULONG flags, MAPIUID *uid);

typedef struct svc {
    LPMAPISUP sup;
    LPPROVIDERADMIN admin;
    md_alloc alloc;             /* the support object's allocators */
    ULONG flags;                /* MSGServiceEntry's ulFlags */
    LPMAPIERROR *error_out;     /* may be NULL */
} svc;

typedef struct svc_cfg {
    char *path, *name, *url, *user;  /* UTF-8, malloc'd, or NULL (not set) */
    st_guid guid;                    /* the store file's, when has_guid */
    int has_guid;
} svc_cfg;

static void cfg_clear(svc_cfg *c)
{
    free(c->path);
    free(c->name);
    free(c->url);
    free(c->user);
    memset(c, 0, sizeof *c);
}

/* Fails with hr: the message (printf-style) becomes this thread's storage
 * error and, through md_prop_last_error, the caller's MAPIERROR (none when
 * out of memory). */
static HRESULT fail(svc *s, HRESULT hr, const char *fmt, ...) ST_PRINTF(3, 4);
static HRESULT fail(svc *s, HRESULT hr, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    st_error_set("%s", msg);
    if (s->error_out && s->alloc.buffer)
        md_prop_last_error(&s->alloc, hr, s->flags & MAPI_UNICODE, s->error_out);
    return hr;
}

static void uid_hex(char out[33], const MAPIUID *uid)
{
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", uid->ab[i]);
}

/* ---- The service's store providers */

static void free_rows(svc *s, LPSRowSet rows)
{
    if (!rows)
        return;
    for (ULONG i = 0; i < rows->cRows; i++)
        s->alloc.free(rows->aRow[i].lpProps);
    s->alloc.free(rows);
}

static const SPropValue *row_prop(const SRow *r, ULONG tag)
{
    for (ULONG i = 0; i < r->cValues; i++)
        if (r->lpProps[i].ulPropTag == tag)
            return &r->lpProps[i];
    return NULL;
}

/* The store providers' UIDs in table order: *n of them into uids (room
 * for max). */
static HRESULT store_providers(svc *s, MAPIUID *uids, ULONG max, ULONG *n)
{
    LPMAPITABLE table = NULL;
    SizedSPropTagArray(2, cols) = { 2, { PR_PROVIDER_UID, PR_RESOURCE_TYPE } };

    *n = 0;
    HRESULT hr = s->admin->lpVtbl->GetProviderTable(s->admin, 0, &table);
    if (hr != S_OK || !table)
        return fail(s, hr != S_OK ? hr : MAPI_E_CALL_FAILED,
            "IProviderAdmin::GetProviderTable failed (%#lx)", (unsigned long)hr);
    hr = table->lpVtbl->SetColumns(table, (LPSPropTagArray)&cols, 0);
    while (hr == S_OK) {
        LPSRowSet rows = NULL;
        hr = table->lpVtbl->QueryRows(table, 64, 0, &rows);
        if (hr != S_OK || !rows || rows->cRows == 0) {
            free_rows(s, rows);
            break;
        }
        for (ULONG i = 0; i < rows->cRows; i++) {
            const SPropValue *uid = row_prop(&rows->aRow[i], PR_PROVIDER_UID);
            const SPropValue *type = row_prop(&rows->aRow[i], PR_RESOURCE_TYPE);
            if (uid && type && type->Value.l == MAPI_STORE_PROVIDER
                && uid->Value.bin.cb == sizeof(MAPIUID) && uid->Value.bin.lpb && *n < max)
                memcpy(&uids[(*n)++], uid->Value.bin.lpb, sizeof(MAPIUID));
        }
        free_rows(s, rows);
    }
    table->lpVtbl->Release(table);
    if (hr != S_OK)
        return fail(s, hr, "reading the provider table failed (%#lx)", (unsigned long)hr);
    return S_OK;
}

/* ---- Settings */

static int text_ok(const char *t, size_t max)
{
    size_t n = strlen(t);
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
            return 0;
    return 1;
}

static int path_ok(const char *p)
{
    size_t n = strlen(p);
    int drive = ((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':'
        && (p[2] == '\\' || p[2] == '/');
    return text_ok(p, 1000) && drive && n > 3 && p[n - 1] != '\\' && p[n - 1] != '/';
}

static int url_ok(const char *u)
{
    if (!text_ok(u, 2048) || strchr(u, ' '))
        return 0;
    return (!_strnicmp(u, "http://", 7) && u[7]) || (!_strnicmp(u, "https://", 8) && u[8]);
}

/* One value of lpProps into c (or *target for PR_PROVIDER_UID); other
 * tags are not ours and are left alone. */
static HRESULT apply_one(svc *s, svc_cfg *c, const SPropValue *p, MAPIUID *target,
    int *has_target)
{
    static const struct {
        ULONG id;
        const char *tag;
        size_t off;
    } ours[] = {
        { 0x6770, "PR_MAPIDAV_STORE_PATH", offsetof(svc_cfg, path) },
        { PROP_ID(PR_DISPLAY_NAME_W), "PR_DISPLAY_NAME", offsetof(svc_cfg, name) },
        { 0x6771, "PR_MAPIDAV_SERVER_URL", offsetof(svc_cfg, url) },
        { 0x6772, "PR_MAPIDAV_USER", offsetof(svc_cfg, user) },
    };
    ULONG type = PROP_TYPE(p->ulPropTag);

    if (p->ulPropTag == PR_PROVIDER_UID) {
        if (p->Value.bin.cb != sizeof(MAPIUID) || !p->Value.bin.lpb)
            return fail(s, MAPI_E_INVALID_PARAMETER, "PR_PROVIDER_UID is not 16 bytes");
        memcpy(target, p->Value.bin.lpb, sizeof(MAPIUID));
        *has_target = 1;
        return S_OK;
    }
    for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++) {
        if (PROP_ID(p->ulPropTag) != ours[i].id || type == PT_ERROR)
            continue;
        if (type != PT_UNICODE && type != PT_STRING8)
            return fail(s, MAPI_E_INVALID_PARAMETER, "%s: type %#lx, not a string",
                ours[i].tag, (unsigned long)type);
        st_value v;
        HRESULT hr = md_value_from_mapi(&v, p);
        if (hr != S_OK)
            return fail(s, hr, "%s: not a readable string", ours[i].tag);
        int good = ours[i].id == 0x6770 ? path_ok(v.v.str)
            : ours[i].id == 0x6771 ? url_ok(v.v.str) : text_ok(v.v.str, 256);
        if (!good) {
            hr = fail(s, MAPI_E_INVALID_PARAMETER, "%s: \"%.200s\" refused (%s)", ours[i].tag,
                v.v.str, ours[i].id == 0x6770 ? "a full path on a local drive, as C:\\...\\x.sqlite"
                : ours[i].id == 0x6771 ? "an http:// or https:// URL"
                : "1 to 256 characters, no control characters");
            st_value_clear(&v);
            return hr;
        }
        char **slot = (char **)((char *)c + ours[i].off);
        free(*slot);
        *slot = v.v.str;   /* taken over from v */
        return S_OK;
    }
    return S_OK;
}

/* What the section holds now. */
static HRESULT read_section(svc *s, LPPROFSECT sect, svc_cfg *c)
{
    SizedSPropTagArray(5, tags) = { 5, { PR_MAPIDAV_STORE_PATH_W, PR_DISPLAY_NAME_W,
        PR_MAPIDAV_SERVER_URL_W, PR_MAPIDAV_USER_W, PR_RECORD_KEY } };
    char **slots[4] = { &c->path, &c->name, &c->url, &c->user };
    ULONG n = 0;
    LPSPropValue v = NULL;

    HRESULT hr = sect->lpVtbl->GetProps(sect, (LPSPropTagArray)&tags, MAPI_UNICODE, &n, &v);
    if (FAILED(hr) || !v || n != 5) {
        s->alloc.free(v);
        return fail(s, FAILED(hr) ? hr : MAPI_E_CALL_FAILED,
            "reading the profile section failed (%#lx)", (unsigned long)hr);
    }
    hr = S_OK;
    for (int i = 0; i < 4 && hr == S_OK; i++)
        if (v[i].ulPropTag == tags.aulPropTag[i] && v[i].Value.lpszW && v[i].Value.lpszW[0]
            && !(*slots[i] = md_utf8_from_wide(v[i].Value.lpszW)))
            hr = fail(s, MAPI_E_NOT_ENOUGH_MEMORY, "out of memory");
    if (v[4].ulPropTag == PR_RECORD_KEY && v[4].Value.bin.cb == 16 && v[4].Value.bin.lpb) {
        st_guid_from_bytes(&c->guid, v[4].Value.bin.lpb);
        c->has_guid = 1;
    }
    s->alloc.free(v);
    return hr;
}

/* GUID, name and path the settings lack. */
static HRESULT fill_defaults(svc *s, svc_cfg *c, const MAPIUID *uid)
{
    char hex[33], g[ST_GUID_STRING_SIZE], *base = NULL;

    uid_hex(hex, uid);
    if (!c->has_guid) {
        st_guid_new(&c->guid, hex);
        c->has_guid = 1;
    }
    if (!c->name && !(c->name = st_strdup("mapidav")))
        return fail(s, MAPI_E_NOT_ENOUGH_MEMORY, "out of memory");
    if (c->path)
        return S_OK;
    if (st_os_getenv(&base, "LOCALAPPDATA") != 0 || !base || !base[0]) {
        free(base);
        return fail(s, MAPI_E_UNCONFIGURED, "%%LOCALAPPDATA%% is not set: give the store's "
            "path in PR_MAPIDAV_STORE_PATH_W");
    }
    size_t len = strlen(base) + 64 + sizeof hex + sizeof g;
    c->path = malloc(len);
    if (c->path)
        snprintf(c->path, len, "%s\\mapidav\\%s\\%s.sqlite", base, hex,
                 st_guid_to_string(g, &c->guid));
    free(base);
    return c->path ? S_OK : fail(s, MAPI_E_NOT_ENOUGH_MEMORY, "out of memory");
}

/* Makes the store file (with c's GUID) or, when it exists, takes its GUID. */
static HRESULT prepare_store(svc *s, svc_cfg *c)
{
    st_store *st = NULL;
    uint64_t size;
    int code;

    if (st_os_path_size(&size, c->path) == 0) {
        code = st_store_open(&st, c->path, NULL, 0);
        if (code == 0)
            st_store_guid(st, &c->guid);
    } else {
        char *dir = st_strdup(c->path);
        char *sep = dir ? strrchr(dir, '\\') : NULL;
        char *sep2 = dir ? strrchr(dir, '/') : NULL;
        if (sep2 > sep)
            sep = sep2;
        if (sep)
            *sep = 0;
        code = !dir ? ST_ERROR : sep ? st_os_mkdir_p(dir) : 0;
        free(dir);
        if (code == 0)
            code = st_store_open(&st, c->path, &c->guid, ST_OPEN_CREATE);
    }
    st_store_close(st);
    if (code)
        return fail(s, md_hr_from_st(code), "the store %s: %s", c->path, st_error_last());
    return S_OK;
}

/* c into the section in one SetProps. */
static HRESULT write_section(svc *s, LPPROFSECT sect, const svc_cfg *c)
{
    SPropValue *v = NULL;
    BYTE key[16];
    ULONG n = 0, cb_eid = 0, cb_wrapped = 0;
    LPENTRYID eid = NULL, wrapped = NULL;
    const char *texts[4] = { c->path, c->name, c->url, c->user };
    const ULONG tags[4] = { PR_MAPIDAV_STORE_PATH_W, PR_DISPLAY_NAME_W,
        PR_MAPIDAV_SERVER_URL_W, PR_MAPIDAV_USER_W };

    md_eid e = { .store = c->guid, .kind = MD_EID_STORE, .id = 0 };
    HRESULT hr = md_eid_alloc(&cb_eid, &eid, &e, s->alloc.buffer);
    if (hr == S_OK)
        hr = s->sup->lpVtbl->WrapStoreEntryID(s->sup, cb_eid, eid, &cb_wrapped, &wrapped);
    s->alloc.free(eid);
    if (hr != S_OK || !wrapped)
        return fail(s, hr != S_OK ? hr : MAPI_E_CALL_FAILED,
            "IMAPISupport::WrapStoreEntryID failed (%#lx)", (unsigned long)hr);
    if (s->alloc.buffer(sizeof *v * 7, (void **)&v) != S_OK || !v) {
        s->alloc.free(wrapped);
        return fail(s, MAPI_E_NOT_ENOUGH_MEMORY, "out of memory");
    }
    memset(v, 0, sizeof *v * 7);
    for (int i = 0; i < 4 && hr == S_OK; i++) {
        if (!texts[i])
            continue;
        v[n].ulPropTag = tags[i];
        hr = md_string_to_mapi((void **)&v[n++].Value.lpszW, texts[i], PT_UNICODE, v, &s->alloc);
    }
    st_guid_to_bytes(key, &c->guid);
    v[n].ulPropTag = PR_RECORD_KEY;
    v[n].Value.bin.cb = 16;
    v[n++].Value.bin.lpb = key;
    v[n].ulPropTag = PR_MDB_PROVIDER;
    v[n].Value.bin.cb = sizeof(MAPIUID);
    v[n++].Value.bin.lpb = (LPBYTE)MD_PROVIDER_UID.ab;
    v[n].ulPropTag = PR_ENTRYID;
    v[n].Value.bin.cb = cb_wrapped;
    v[n++].Value.bin.lpb = (LPBYTE)wrapped;
    if (hr == S_OK)
        hr = sect->lpVtbl->SetProps(sect, n, v, NULL);
    if (hr == S_OK) {
        HRESULT saved = sect->lpVtbl->SaveChanges(sect, KEEP_OPEN_READWRITE);
        if (FAILED(saved) && saved != MAPI_E_NO_SUPPORT)
            hr = saved;   /* profile sections save as they go; some say so */
    }
    s->alloc.free(v);
    s->alloc.free(wrapped);
    if (hr != S_OK)
        return fail(s, hr, "writing the profile section failed (%#lx)", (unsigned long)hr);
    return S_OK;
}

/* Settings for the store provider uid: the section's, lpProps over them,
 * defaults; need_server: the server URL and user must be there. */
static HRESULT configure(svc *s, const MAPIUID *uid, ULONG n, const SPropValue *props,
    int need_server)
{
    LPPROFSECT sect = NULL;
    svc_cfg c = { 0 };
    MAPIUID ignored;
    int has_target = 0;

    HRESULT hr = s->admin->lpVtbl->OpenProfileSection(s->admin, (LPMAPIUID)uid, NULL,
        MAPI_MODIFY, &sect);
    if (hr != S_OK || !sect)
        return fail(s, hr != S_OK ? hr : MAPI_E_CALL_FAILED,
            "opening the store provider's profile section failed (%#lx)", (unsigned long)hr);
    hr = read_section(s, sect, &c);
    for (ULONG i = 0; i < n && hr == S_OK; i++)
        hr = apply_one(s, &c, &props[i], &ignored, &has_target);
    if (hr == S_OK && need_server && (!c.url || !c.user))
        hr = fail(s, MAPI_E_UNCONFIGURED, "the account lacks its %s (PR_MAPIDAV_%s_W)%s",
            !c.url ? "server URL" : "user name", !c.url ? "SERVER_URL" : "USER",
            s->flags & SERVICE_UI_ALLOWED ? "; mapidav has no settings dialog yet" : "");
    if (hr == S_OK)
        hr = fill_defaults(s, &c, uid);
    if (hr == S_OK && !(s->flags & MSG_SERVICE_UI_READ_ONLY))
        hr = prepare_store(s, &c);
    if (hr == S_OK && !(s->flags & MSG_SERVICE_UI_READ_ONLY))
        hr = write_section(s, sect, &c);
    cfg_clear(&c);
    sect->lpVtbl->Release(sect);
    return hr;
}

/* PR_PROVIDER_UID of lpProps, if there. */
static HRESULT props_target(svc *s, ULONG n, const SPropValue *props, MAPIUID *target,
    int *has_target)
{
    svc_cfg scratch = { 0 };
    HRESULT hr = S_OK;
    *has_target = 0;
    for (ULONG i = 0; i < n && hr == S_OK; i++)
        if (props[i].ulPropTag == PR_PROVIDER_UID)
            hr = apply_one(s, &scratch, &props[i], target, has_target);
    cfg_clear(&scratch);
    return hr;
}

#define MAX_STORES 64

HRESULT md_service_entry(HINSTANCE instance, LPMAPISUP support, ULONG_PTR ui_param,
    ULONG flags, ULONG context, ULONG n_props, LPSPropValue props,
    LPPROVIDERADMIN admin, LPMAPIERROR *error_out)
{
    const ULONG known = MAPI_UNICODE | MSG_SERVICE_UI_READ_ONLY | SERVICE_UI_ALLOWED
        | SERVICE_UI_ALWAYS | UI_CURRENT_PROVIDER_FIRST | SERVICE_LOGON_FAILED;
    svc s = { .sup = support, .admin = admin, .flags = flags, .error_out = error_out };
    MAPIUID stores[MAX_STORES], target;
    ULONG n_stores = 0;
    int has_target = 0;
    HRESULT hr;

    (void)instance; (void)ui_param;
    if (error_out)
        *error_out = NULL;
    if (flags & ~known)
        return MAPI_E_UNKNOWN_FLAGS;
    switch (context) {
    case MSG_SERVICE_INSTALL:
    case MSG_SERVICE_UNINSTALL:
    case MSG_SERVICE_DELETE:
        return S_OK;   /* nothing to undo in the profile; store files are kept */
    case MSG_SERVICE_CREATE:
    case MSG_SERVICE_CONFIGURE:
    case MSG_SERVICE_PROVIDER_CREATE:
    case MSG_SERVICE_PROVIDER_DELETE:
        break;
    default:
        return MAPI_E_NO_SUPPORT;
    }
    if (!support || !admin || (n_props && !props))
        return MAPI_E_INVALID_PARAMETER;
    hr = support->lpVtbl->GetMemAllocRoutines(support, &s.alloc.buffer, &s.alloc.more,
        &s.alloc.free);
    if (hr != S_OK || !s.alloc.buffer || !s.alloc.more || !s.alloc.free) {
        s.alloc.buffer = NULL;
        return hr != S_OK ? hr : MAPI_E_INVALID_PARAMETER;
    }
    if (flags & SERVICE_UI_ALWAYS)
        return fail(&s, MAPI_E_NO_SUPPORT, "mapidav has no settings dialog yet: configure it "
            "with properties (IMsgServiceAdmin::ConfigureMsgService without "
            "SERVICE_UI_ALWAYS)");
    hr = props_target(&s, n_props, props, &target, &has_target);
    if (hr == S_OK)
        hr = store_providers(&s, stores, MAX_STORES, &n_stores);
    if (hr != S_OK)
        return hr;
    ULONG which = 0;
    if (has_target) {
        while (which < n_stores && memcmp(&stores[which], &target, sizeof target))
            which++;
        if (which == n_stores)
            return fail(&s, MAPI_E_NOT_FOUND, "PR_PROVIDER_UID is not a store of this service");
    }

    switch (context) {
    case MSG_SERVICE_CREATE:
    case MSG_SERVICE_CONFIGURE:
        if (n_stores == 0)
            return fail(&s, MAPI_E_NOT_FOUND, "the service has no store provider (is "
                "MAPISVC.INF's [" MD_STORE_PROVIDER_SECTION "] section there?)");
        return configure(&s, &stores[which], n_props, props, context == MSG_SERVICE_CONFIGURE);
    case MSG_SERVICE_PROVIDER_CREATE: {
        MAPIUID uid;
        create_provider_fn create = (create_provider_fn)(void (*)(void))
            admin->lpVtbl->CreateProvider;
        hr = create(admin, (LPTSTR)MD_STORE_PROVIDER_SECTION, 0, NULL, 0, 0, &uid);
        if (hr != S_OK)
            return fail(&s, hr, "IProviderAdmin::CreateProvider(" MD_STORE_PROVIDER_SECTION
                ") failed (%#lx)", (unsigned long)hr);
        hr = configure(&s, &uid, n_props, props, 0);
        if (hr != S_OK)
            admin->lpVtbl->DeleteProvider(admin, &uid);   /* all or nothing */
        return hr;
    }
    default: /* MSG_SERVICE_PROVIDER_DELETE */
        if (!has_target)
            return fail(&s, MAPI_E_INVALID_PARAMETER, "PR_PROVIDER_UID names no store "
                "provider to delete");
        if (which == 0)
            return fail(&s, MAPI_E_NO_SUPPORT, "the account's own store is deleted with the "
                "service, not alone");
        hr = admin->lpVtbl->DeleteProvider(admin, &target);
        return hr == S_OK ? S_OK : fail(&s, hr, "IProviderAdmin::DeleteProvider failed (%#lx)",
            (unsigned long)hr);
    }
}
