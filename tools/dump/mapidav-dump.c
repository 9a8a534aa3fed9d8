/*
 * mapidav-dump.c: mapidav-dump.exe, a Windows console program for users and
 * support (like MrMAPI): it logs on to a store file through mapidav32.dll
 * exactly as MAPI does (LoadLibrary, MSProviderInit, IMSProvider::Logon with
 * its own allocators, support object and profile section) and prints what
 * Outlook would see: the store's properties, the folder tree with item and
 * unread counts, and with --items the items of one folder.
 *
 *   mapidav-dump [--dll PATH] [--items FOLDER] STORE.sqlite
 *
 * The folder tree comes from the root's hierarchy table (CONVENIENT_DEPTH),
 * the items from the folder's contents table; a DLL without them (an old
 * build) gets a failure saying which.
 * Exit: 0 done, 1 failure (one line "mapidav-dump: ..." on stderr), 2 usage.
 *
 * Invariants: the store file must exist (a logon would make a new one);
 * every MAPI buffer comes from this program's allocators and is freed.
 * The logon may add default folders a store lacks, as Outlook's would.
 * Never: write anything but the store's own logon work; print a secret
 * (the store holds none).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIFolder
#define USES_IID_IMsgStore
#include <windows.h>
#include <initguid.h>
#include <mapiguid.h>
#include <mapispi.h>
#include <mapicode.h>

#include "convert/json.h"
#include "provider/propconv.h"
#include "provider/store.h"
#include "storage/props_tags.h"

/* ---- Allocators with MAPIAllocateBuffer's rules: a block, blocks linked
 * to it by AllocateMore, all freed by one FreeBuffer of the first. */
typedef union blk {
    struct {
        union blk *more;       /* next block linked to the same parent */
        int is_more;
    } h;
    max_align_t align;
} blk;

static SCODE STDMETHODCALLTYPE dump_alloc(ULONG size, LPVOID *out)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    blk *b = calloc(1, sizeof *b + size);
    *out = b ? b + 1 : NULL;
    return b ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
}

static SCODE STDMETHODCALLTYPE dump_alloc_more(ULONG size, LPVOID parent, LPVOID *out)
{
    if (!out || !parent || ((blk *)parent - 1)->h.is_more)
        return MAPI_E_INVALID_PARAMETER;
    blk *p = (blk *)parent - 1, *b = calloc(1, sizeof *b + size);
    *out = NULL;
    if (!b)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    b->h.is_more = 1;
    b->h.more = p->h.more;
    p->h.more = b;
    *out = b + 1;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE dump_free(LPVOID p)
{
    if (!p)
        return 0;
    blk *b = (blk *)p - 1;
    for (blk *m = b->h.more, *next; m; m = next) {
        next = m->h.more;
        free(m);
    }
    free(b);
    return 0;
}

/* ---- The profile section MAPI would give the store provider: the store
 * path only (IMAPIProp::GetProps rules for what is missing). Objects are
 * static: references are not counted. */
static WCHAR store_path[MAX_PATH];

static HRESULT STDMETHODCALLTYPE no_support(void)
{
    return MAPI_E_NO_SUPPORT;
}

/* Slots left NULL answer MAPI_E_NO_SUPPORT (x64: the caller cleans up the
 * arguments, so a function taking none can stand for any method). */
static void fill(void *vtbl, size_t size)
{
    void (**slot)(void) = vtbl;
    for (size_t i = 0; i < size / sizeof *slot; i++)
        if (!slot[i])
            slot[i] = (void (*)(void))no_support;
}

static HRESULT STDMETHODCALLTYPE static_QueryInterface(IUnknown *self, REFIID riid, void **out)
{
    if (!out)
        return E_INVALIDARG;
    *out = IsEqualIID(riid, &IID_IUnknown) ? self : NULL;
    return *out ? S_OK : E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE static_AddRef(IUnknown *self)
{
    (void)self;
    return 2;
}

static ULONG STDMETHODCALLTYPE static_Release(IUnknown *self)
{
    (void)self;
    return 1;
}

static HRESULT STDMETHODCALLTYPE ps_GetProps(IProfSect *self, LPSPropTagArray tags, ULONG flags,
    ULONG *count, LPSPropValue *out)
{
    (void)self; (void)flags;
    if (!tags || !count || !out)
        return MAPI_E_INVALID_PARAMETER;
    SPropValue *v = NULL;
    HRESULT hr = S_OK;
    if (dump_alloc(sizeof *v * tags->cValues, (void **)&v) != S_OK)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (ULONG i = 0; i < tags->cValues; i++) {
        size_t len = (wcslen(store_path) + 1) * sizeof(WCHAR);
        if (tags->aulPropTag[i] == PR_MAPIDAV_STORE_PATH_W
            && dump_alloc_more((ULONG)len, v, (void **)&v[i].Value.lpszW) == S_OK) {
            v[i].ulPropTag = PR_MAPIDAV_STORE_PATH_W;
            memcpy(v[i].Value.lpszW, store_path, len);
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

static IProfSectVtbl profsect_vtbl;
static IProfSect profsect = { &profsect_vtbl };

/* ---- The support object: allocators, our profile section, provider UID
 * taken, store entry IDs given back unwrapped (no MAPI to wrap them for),
 * notifications accepted and dropped (nothing listens). */
static HRESULT STDMETHODCALLTYPE sup_GetMemAllocRoutines(IMAPISupport *self,
    LPALLOCATEBUFFER *ab, LPALLOCATEMORE *am, LPFREEBUFFER *fb)
{
    (void)self;
    *ab = dump_alloc;
    *am = dump_alloc_more;
    *fb = dump_free;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sup_OpenProfileSection(IMAPISupport *self, LPMAPIUID uid,
    ULONG flags, LPPROFSECT *out)
{
    (void)self; (void)flags;
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = uid ? NULL : &profsect;
    return uid ? MAPI_E_NOT_FOUND : S_OK;
}

static HRESULT STDMETHODCALLTYPE sup_SetProviderUID(IMAPISupport *self, LPMAPIUID uid,
    ULONG flags)
{
    (void)self; (void)flags;
    return uid ? S_OK : MAPI_E_INVALID_PARAMETER;
}

static HRESULT STDMETHODCALLTYPE sup_WrapStoreEntryID(IMAPISupport *self, ULONG cb,
    LPENTRYID eid, ULONG *cb_out, LPENTRYID *out)
{
    (void)self;
    if (!eid || !cb_out || !out || dump_alloc(cb, (void **)out) != S_OK)
        return MAPI_E_INVALID_PARAMETER;
    memcpy(*out, eid, cb);
    *cb_out = cb;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sup_Subscribe(IMAPISupport *self, LPNOTIFKEY key, ULONG mask,
    ULONG flags, LPMAPIADVISESINK sink, ULONG *conn)
{
    (void)self; (void)key; (void)mask; (void)flags; (void)sink;
    if (conn)
        *conn = 1;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sup_ok(IMAPISupport *self)
{
    (void)self;
    return S_OK;
}

static IMAPISupportVtbl sup_vtbl;
static IMAPISupport support = { &sup_vtbl };

/* A vtable slot set to fn, whose prototype differs only in what MAPI's
 * headers declare more precisely. */
#define SLOT(slot, fn) ((slot) = (__typeof__(slot))(void (*)(void))(fn))

static void setup_objects(void)
{
    SLOT(profsect_vtbl.QueryInterface, static_QueryInterface);
    SLOT(profsect_vtbl.AddRef, static_AddRef);
    SLOT(profsect_vtbl.Release, static_Release);
    profsect_vtbl.GetProps = ps_GetProps;
    fill(&profsect_vtbl, sizeof profsect_vtbl);
    SLOT(sup_vtbl.QueryInterface, static_QueryInterface);
    SLOT(sup_vtbl.AddRef, static_AddRef);
    SLOT(sup_vtbl.Release, static_Release);
    sup_vtbl.GetMemAllocRoutines = sup_GetMemAllocRoutines;
    sup_vtbl.OpenProfileSection = sup_OpenProfileSection;
    sup_vtbl.SetProviderUID = sup_SetProviderUID;
    sup_vtbl.WrapStoreEntryID = sup_WrapStoreEntryID;
    sup_vtbl.Subscribe = sup_Subscribe;
    SLOT(sup_vtbl.Unsubscribe, sup_ok);   /* x64: extra arguments are harmless */
    SLOT(sup_vtbl.Notify, sup_ok);
    fill(&sup_vtbl, sizeof sup_vtbl);
}

/* ---- Printing */

static int fail(const char *fmt, ...)
{
    va_list ap;
    fputs("mapidav-dump: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static char *utf8(const WCHAR *w)
{
    return w ? md_utf8_from_wide(w) : NULL;
}

/* Properties as a JSON object (convert/json.h), binaries past 64 bytes as
 * their size. Values that do not convert are left out. */
static void print_props(const SPropValue *v, ULONG n, const char *indent)
{
    st_bag *bag = st_bag_new();
    char *json = NULL;
    cv_json_options opt = { .max_binary = 64 };
    for (ULONG i = 0; bag && i < n; i++) {
        st_value sv;
        if (md_value_from_mapi(&sv, &v[i]) == S_OK) {
            st_bag_set(bag, &sv);
            st_value_clear(&sv);
        }
    }
    if (bag && cv_json_write_bag(&json, NULL, bag, &opt) == 0) {
        for (char *line = strtok(json, "\n"); line; line = strtok(NULL, "\n"))
            printf("%s%s\n", indent, line);
    }
    free(json);
    st_bag_free(bag);
}

static const SPropValue *find(const SPropValue *v, ULONG n, ULONG tag)
{
    for (ULONG i = 0; v && i < n; i++)
        if (v[i].ulPropTag == tag)
            return &v[i];
    return NULL;
}

/* ---- Folders */

typedef struct folder {
    char *name;        /* UTF-8 */
    SBinary eid;       /* malloc'd copy */
} folder;

typedef struct folders {
    folder *f;
    size_t n, cap;
} folders;

static void remember(folders *fs, const char *name, const SBinary *eid)
{
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 32;
        folder *f = realloc(fs->f, cap * sizeof *f);
        if (!f)
            return;
        fs->f = f;
        fs->cap = cap;
    }
    folder *f = &fs->f[fs->n];
    f->name = _strdup(name ? name : "");
    f->eid.lpb = malloc(eid->cb ? eid->cb : 1);
    if (!f->name || !f->eid.lpb) {
        free(f->name);
        free(f->eid.lpb);
        return;
    }
    f->eid.cb = eid->cb;
    memcpy(f->eid.lpb, eid->lpb, eid->cb);
    fs->n++;
}

/* One line of the tree: name, counts, container class. */
static void print_folder_line(const SPropValue *v, ULONG n, int depth)
{
    const SPropValue *name = find(v, n, PR_DISPLAY_NAME_W);
    const SPropValue *count = find(v, n, PR_CONTENT_COUNT);
    const SPropValue *unread = find(v, n, PR_CONTENT_UNREAD);
    const SPropValue *cls = find(v, n, PR_CONTAINER_CLASS_W);
    char *n8 = utf8(name ? name->Value.lpszW : L"(no name)");
    char *c8 = cls ? utf8(cls->Value.lpszW) : NULL;
    printf("%*s%s  (%ld items, %ld unread)%s%s\n", 2 + 2 * depth, "", n8 ? n8 : "?",
           count ? (long)count->Value.l : 0L, unread ? (long)unread->Value.l : 0L,
           c8 ? "  " : "", c8 ? c8 : "");
    free(n8);
    free(c8);
}

static SizedSPropTagArray(6, folder_cols) = { 6, { PR_DISPLAY_NAME_W, PR_CONTENT_COUNT,
    PR_CONTENT_UNREAD, PR_CONTAINER_CLASS_W, PR_ENTRYID, PR_DEPTH } };

/* Every row of table with columns cols, to fn (the row is freed after):
 * S_OK or the table's error. The table is released. */
static HRESULT each_row(LPMAPITABLE table, const SPropTagArray *cols,
    void (*fn)(void *ctx, const SRow *r), void *ctx)
{
    HRESULT hr = table->lpVtbl->SetColumns(table, (LPSPropTagArray)cols, 0);
    while (hr == S_OK) {
        LPSRowSet rows = NULL;
        hr = table->lpVtbl->QueryRows(table, 100, 0, &rows);
        for (ULONG i = 0; hr == S_OK && rows && i < rows->cRows; i++) {
            fn(ctx, &rows->aRow[i]);
            dump_free(rows->aRow[i].lpProps);
        }
        int done = !rows || !rows->cRows;
        dump_free(rows);
        if (done)
            break;
    }
    table->lpVtbl->Release(table);
    return hr;
}

static void tree_row(void *ctx, const SRow *r)
{
    const SPropValue *depth = find(r->lpProps, r->cValues, PR_DEPTH);
    const SPropValue *eid = find(r->lpProps, r->cValues, PR_ENTRYID);
    const SPropValue *name = find(r->lpProps, r->cValues, PR_DISPLAY_NAME_W);
    /* PR_DEPTH 0: a child of the root, which is printed at depth 0 */
    print_folder_line(r->lpProps, r->cValues, depth ? (int)depth->Value.l + 1 : 1);
    if (eid) {
        char *n8 = name ? utf8(name->Value.lpszW) : NULL;
        remember(ctx, n8, &eid->Value.bin);
        free(n8);
    }
}

/* The tree from the root's hierarchy table: S_OK, or its error. */
static HRESULT tree_from_table(IMAPIFolder *root, folders *fs)
{
    LPMAPITABLE table = NULL;
    HRESULT hr = root->lpVtbl->GetHierarchyTable(root, CONVENIENT_DEPTH | MAPI_UNICODE, &table);
    if (hr != S_OK || !table)
        return hr != S_OK ? hr : MAPI_E_CALL_FAILED;
    return each_row(table, (const SPropTagArray *)&folder_cols, tree_row, fs);
}

/* ---- Items */

/* One item: delivery time, read or not, size, class, sender, subject. */
static void item_row(void *ctx, const SRow *r)
{
    const SPropValue *when = find(r->lpProps, r->cValues, PR_MESSAGE_DELIVERY_TIME);
    const SPropValue *flags = find(r->lpProps, r->cValues, PR_MESSAGE_FLAGS);
    const SPropValue *size = find(r->lpProps, r->cValues, PR_MESSAGE_SIZE);
    const SPropValue *cls = find(r->lpProps, r->cValues, PR_MESSAGE_CLASS_W);
    const SPropValue *from = find(r->lpProps, r->cValues, PR_SENDER_NAME_W);
    const SPropValue *subj = find(r->lpProps, r->cValues, PR_SUBJECT_W);
    char t[32] = "-";
    if (when)
        cv_json_format_time(t, ((uint64_t)when->Value.ft.dwHighDateTime << 32)
                               | when->Value.ft.dwLowDateTime);
    char *c8 = cls ? utf8(cls->Value.lpszW) : NULL;
    char *f8 = from ? utf8(from->Value.lpszW) : NULL;
    char *s8 = subj ? utf8(subj->Value.lpszW) : NULL;
    printf("  %s  %s  %8ld  %-12s  %-20s  %s\n", t,
           flags && (flags->Value.l & MSGFLAG_READ) ? "read  " : "unread",
           size ? (long)size->Value.l : 0L, c8 ? c8 : "", f8 ? f8 : "", s8 ? s8 : "");
    free(c8);
    free(f8);
    free(s8);
    (*(size_t *)ctx)++;
}

static int print_items(IMsgStore *store, const folders *fs, const char *want)
{
    const folder *f = NULL;
    for (size_t i = 0; i < fs->n && !f; i++)
        if (!_stricmp(fs->f[i].name, want))
            f = &fs->f[i];
    if (!f)
        return fail("no folder named \"%s\" in the tree above", want);
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = store->lpVtbl->OpenEntry(store, f->eid.cb, (LPENTRYID)f->eid.lpb, NULL, 0,
        &type, &unk);
    if (hr != S_OK || !unk)
        return fail("%s: cannot be opened (%#lx)", want, (unsigned long)hr);
    IMAPIFolder *folder = (IMAPIFolder *)unk;
    LPMAPITABLE table = NULL;
    hr = folder->lpVtbl->GetContentsTable(folder, MAPI_UNICODE, &table);
    if (hr != S_OK || !table) {
        unk->lpVtbl->Release(unk);
        return fail("%s: GetContentsTable failed (%#lx)", want, (unsigned long)hr);
    }
    SizedSPropTagArray(6, cols) = { 6, { PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS,
        PR_MESSAGE_SIZE, PR_MESSAGE_CLASS_W, PR_SENDER_NAME_W, PR_SUBJECT_W } };
    size_t total = 0;
    printf("items of %s:\n", want);
    hr = each_row(table, (const SPropTagArray *)&cols, item_row, &total);
    unk->lpVtbl->Release(unk);
    if (hr != S_OK)
        return fail("%s: reading the contents table failed (%#lx)", want, (unsigned long)hr);
    printf("  (%zu items)\n", total);
    return 0;
}

/* ---- Main */

static int usage(void)
{
    fputs("usage: mapidav-dump [--dll PATH] [--items FOLDER] STORE.sqlite\n"
          "  logs on to STORE.sqlite through mapidav32.dll as Outlook does and prints the\n"
          "  store's properties, the folder tree with counts, and with --items the items\n"
          "  of FOLDER (a folder's name as the tree shows it)\n", stderr);
    return 2;
}

/* mapidav32.dll beside this program. */
static int default_dll(WCHAR *out, size_t size)
{
    DWORD n = GetModuleFileNameW(NULL, out, (DWORD)size);
    WCHAR *slash = n && n < size ? wcsrchr(out, L'\\') : NULL;
    if (!slash || (size_t)(slash - out) + 16 > size)
        return -1;
    wcscpy(slash + 1, L"mapidav32.dll");
    return 0;
}

static int to_wide(WCHAR *out, size_t size, const char *s)
{
    return MultiByteToWideChar(CP_ACP, 0, s, -1, out, (int)size) > 0 ? 0 : -1;
}

static int dump(HMODULE dll, const char *items)
{
    MSPROVIDERINIT *init = (MSPROVIDERINIT *)(void (*)(void))GetProcAddress(dll,
        "MSProviderInit");
    LPMSPROVIDER provider = NULL;
    LPMSLOGON logon = NULL;
    LPMDB store = NULL;
    LPMAPIERROR err = NULL;
    ULONG version = 0, cb_spool = 0, n = 0, type = 0, flags = 0;
    LPBYTE spool = NULL;
    LPSPropValue v = NULL;
    LPUNKNOWN unk = NULL;
    folders fs = { 0 };
    int rc = 1;

    if (!init)
        return fail("the DLL has no MSProviderInit: not mapidav32.dll?");
    HRESULT hr = init(dll, NULL, dump_alloc, dump_alloc_more, dump_free, 0,
        CURRENT_SPI_VERSION, &version, &provider);
    if (hr != S_OK)
        return fail("MSProviderInit failed (%#lx)", (unsigned long)hr);
    hr = provider->lpVtbl->Logon(provider, &support, 0, NULL, 0, NULL,
        MDB_NO_DIALOG | MAPI_UNICODE, NULL, &cb_spool, &spool, &err, &logon, &store);
    if (hr != S_OK) {
        char *why = err && err->lpszError ? utf8((WCHAR *)err->lpszError) : NULL;
        fail("logon failed (%#lx)%s%s", (unsigned long)hr, why ? ": " : "", why ? why : "");
        free(why);
        dump_free(err);
        goto cleanup;
    }

    char *path8 = utf8(store_path);
    printf("store %s\n", path8 ? path8 : "?");
    free(path8);
    if (SUCCEEDED(store->lpVtbl->GetProps(store, NULL, MAPI_UNICODE, &n, &v)))
        print_props(v, n, "  ");
    dump_free(v);
    v = NULL;

    printf("folders:\n");
    hr = store->lpVtbl->OpenEntry(store, 0, NULL, NULL, 0, &type, &unk);
    if (hr != S_OK || !unk) {
        fail("the root folder cannot be opened (%#lx)", (unsigned long)hr);
        goto cleanup;
    }
    IMAPIFolder *root = (IMAPIFolder *)unk;
    if (SUCCEEDED(root->lpVtbl->GetProps(root, (LPSPropTagArray)&folder_cols, MAPI_UNICODE, &n,
            &v)))
        print_folder_line(v, n, 0);
    dump_free(v);
    v = NULL;
    hr = tree_from_table(root, &fs);
    unk->lpVtbl->Release(unk);
    if (hr != S_OK) {
        fail("reading the folder tree (the root's hierarchy table) failed (%#lx)",
             (unsigned long)hr);
        goto cleanup;
    }
    rc = items ? print_items(store, &fs, items) : 0;
cleanup:
    for (size_t i = 0; i < fs.n; i++) {
        free(fs.f[i].name);
        free(fs.f[i].eid.lpb);
    }
    free(fs.f);
    if (logon) {
        logon->lpVtbl->Logoff(logon, &flags);
        logon->lpVtbl->Release(logon);
    }
    if (store)
        store->lpVtbl->Release(store);
    provider->lpVtbl->Shutdown(provider, &flags);
    provider->lpVtbl->Release(provider);
    return rc;
}

int main(int argc, char **argv)
{
    const char *dll_arg = NULL, *items = NULL, *path = NULL;
    WCHAR dll_path[MAX_PATH], given[MAX_PATH];

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dll") && i + 1 < argc)
            dll_arg = argv[++i];
        else if (!strcmp(argv[i], "--items") && i + 1 < argc)
            items = argv[++i];
        else if (argv[i][0] == '-' || path)
            return usage();
        else
            path = argv[i];
    }
    if (!path)
        return usage();
    SetConsoleOutputCP(CP_UTF8);
    setup_objects();
    if (to_wide(given, MAX_PATH, path) != 0
        || !GetFullPathNameW(given, MAX_PATH, store_path, NULL))
        return fail("%s: not a usable path", path);
    DWORD attr = GetFileAttributesW(store_path);
    if (attr == INVALID_FILE_ATTRIBUTES || (attr & FILE_ATTRIBUTE_DIRECTORY))
        return fail("%s: no such store file", path);
    if (dll_arg ? to_wide(dll_path, MAX_PATH, dll_arg) : default_dll(dll_path, MAX_PATH))
        return fail("cannot tell where mapidav32.dll is: give --dll PATH");
    HMODULE dll = LoadLibraryW(dll_path);
    if (!dll)
        return fail("cannot load mapidav32.dll (error %lu): give --dll PATH",
                    (unsigned long)GetLastError());
    int rc = dump(dll, items);
    FreeLibrary(dll);
    return rc;
}
