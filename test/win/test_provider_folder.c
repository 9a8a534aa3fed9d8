/*
 * test_provider_folder.c: IMAPIFolder's folder operations of mapidav32.dll,
 * driven through the DLL with the stand-in MAPI of host_support.h, under
 * Wine: CreateFolder (generic, ANSI and Unicode names, comment,
 * OPEN_IF_EXISTS, MAPI_E_COLLISION), CopyMessages (copy, MESSAGE_MOVE,
 * progress, partial completion, another store's folder through
 * IMAPISupport::CopyMessages and MAPI_DECLINE_OK), DeleteMessages (soft and
 * DELETE_HARD_DELETE), SetReadFlags (list, NULL = all, CLEAR_READ_FLAG,
 * contradictory flags), Get/SetMessageStatus, SaveContentsSort, CopyFolder
 * (copy with COPY_SUBFOLDERS and rename, FOLDER_MOVE, cycles, default
 * folders, another store's folder), DeleteFolder (DEL_MESSAGES,
 * DEL_FOLDERS, MAPI_E_HAS_FOLDERS / HAS_MESSAGES, default folders refused),
 * EmptyFolder (DEL_ASSOCIATED, default subfolders kept), and Outlook's
 * Reminders search folder in Finder (SetSearchCriteria recursive over the
 * IPM subtree on PidLidReminderSet, GetSearchCriteria, a message with a
 * reminder in a subfolder among the results of its contents table, its
 * status set and the message deleted through the search folder, the
 * search stopped). Each with bad arguments; at
 * the end the live-object counter, MAPI buffers and references at zero.
 *
 * usage: test_provider_folder PATH-TO-mapidav32.dll
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIFolder
#define USES_IID_IMAPIContainer
#define USES_IID_IMsgStore
#define USES_IID_IMSProvider
#define USES_IID_IMSLogon
#define USES_IID_IMessage
#define USES_IID_IMAPITable
#include <windows.h>
#include <initguid.h>
#include <mapiguid.h>
#include <mapispi.h>
#include <mapicode.h>
#include <mapitags.h>

#include "testutil.h"
#include "host_alloc.h"
#include "dll_path.h"
#include "host_support.h"
#include "host_session.h"
#include "host_props.h"
#include "provider/folderops.h"
#include "provider/object.h"
#include "provider/store.h"

#define hrx(hr) ((unsigned long)(hr))

static IMsgStore *store;

#define get_one host_get_one
#define eid_of host_eid_of

static LONG get_long(void *obj, ULONG tag)
{
    LPSPropValue v = get_one(obj, tag);
    LONG l = v ? v->Value.l : -1;
    host_FreeBuffer(v);
    return l;
}

/* Counts of a folder: content/unread/assoc/children, checked at once. */
static void counts_(IMAPIFolder *f, LONG content, LONG unread, LONG assoc, LONG children,
    int line)
{
    LONG c = get_long(f, PR_CONTENT_COUNT), u = get_long(f, PR_CONTENT_UNREAD);
    LONG a = get_long(f, PR_ASSOC_CONTENT_COUNT), k = get_long(f, PR_FOLDER_CHILD_COUNT);
    test_check_(c == content && u == unread && a == assoc && k == children, __FILE__, line,
        "counts %ld/%ld/%ld/%ld, expected %ld/%ld/%ld/%ld\n", c, u, a, k, content, unread,
        assoc, children);
}
#define COUNTS(f, c, u, a, k) counts_(f, c, u, a, k, __LINE__)

static IMAPIFolder *open_folder(ULONG cb, const BYTE *eid)
{
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = store->lpVtbl->OpenEntry(store, cb, (LPENTRYID)eid, &IID_IMAPIFolder,
        MAPI_MODIFY, &type, &unk);
    ok(hr == S_OK && type == MAPI_FOLDER, "OpenEntry(folder): %#lx\n", hrx(hr));
    return (IMAPIFolder *)unk;
}

static IMAPIFolder *open_store_folder(ULONG tag)
{
    LPSPropValue v = get_one(store, tag);
    IMAPIFolder *f = v ? open_folder(v->Value.bin.cb, v->Value.bin.lpb) : NULL;
    ok(f != NULL, "store folder %#lx\n", (unsigned long)tag);
    host_FreeBuffer(v);
    return f;
}

static IMAPIFolder *create_folder(IMAPIFolder *parent, const WCHAR *name)
{
    IMAPIFolder *f = NULL;
    HRESULT hr = parent->lpVtbl->CreateFolder(parent, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
        MAPI_UNICODE, &f);
    ok(hr == S_OK && f, "CreateFolder(%ls): %#lx\n", name, hrx(hr));
    return f;
}

/* A saved message in f (associated with MAPI_ASSOCIATED); its entry ID in eid. */
static void make_msg(IMAPIFolder *f, ULONG flags, const WCHAR *subject, int read, SBinary *eid,
    BYTE buf[64])
{
    IMessage *m = NULL;
    HRESULT hr = f->lpVtbl->CreateMessage(f, NULL, flags, &m);
    ok(hr == S_OK && m, "CreateMessage: %#lx\n", hrx(hr));
    eid->cb = 0;
    eid->lpb = buf;
    if (!m)
        return;
    SPropValue v[3];
    v[0].ulPropTag = PR_SUBJECT_W;
    v[0].Value.lpszW = (WCHAR *)subject;
    v[1].ulPropTag = PR_MESSAGE_CLASS_W;
    v[1].Value.lpszW = (WCHAR *)L"IPM.Note";
    v[2].ulPropTag = PR_MESSAGE_FLAGS;
    v[2].Value.l = read ? MSGFLAG_READ : 0;
    hr = m->lpVtbl->SetProps(m, 3, v, NULL);
    ok(hr == S_OK, "SetProps: %#lx\n", hrx(hr));
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "SaveChanges: %#lx\n", hrx(hr));
    eid->cb = eid_of(m, buf);
    m->lpVtbl->Release(m);
}

static IMessage *open_msg(const SBinary *eid)
{
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = store->lpVtbl->OpenEntry(store, eid->cb, (LPENTRYID)eid->lpb, NULL, 0, &type,
        &unk);
    return hr == S_OK ? (IMessage *)unk : NULL;
}

/* The message is (still) there: 1, or gone: 0. */
static int msg_exists(const SBinary *eid)
{
    IMessage *m = open_msg(eid);
    if (m)
        m->lpVtbl->Release(m);
    return m != NULL;
}

static LONG msg_flags(const SBinary *eid)
{
    IMessage *m = open_msg(eid);
    LONG l = m ? get_long(m, PR_MESSAGE_FLAGS) : -1;
    if (m)
        m->lpVtbl->Release(m);
    return l;
}

/* ---- A progress object (IMAPIProgress) counting its calls. */
static int progress_calls;
static ULONG progress_last_count, progress_last_total;

static HRESULT STDMETHODCALLTYPE pg_QueryInterface(IMAPIProgress *self, REFIID riid, void **out)
{
    (void)self; (void)riid;
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE pg_AddRef(IMAPIProgress *self)
{
    (void)self;
    return 2;
}

static ULONG STDMETHODCALLTYPE pg_Release(IMAPIProgress *self)
{
    (void)self;
    return 1;
}

static HRESULT STDMETHODCALLTYPE pg_Progress(IMAPIProgress *self, ULONG value, ULONG count,
    ULONG total)
{
    (void)self;
    ok(value >= 1 && value <= 1000, "progress value %lu\n", (unsigned long)value);
    progress_calls++;
    progress_last_count = count;
    progress_last_total = total;
    return S_OK;
}

/* A client's progress object starts at the top level (MAPI_TOP_LEVEL,
 * 1..1000), as IMAPIProgress's reference describes. */
static HRESULT STDMETHODCALLTYPE pg_GetFlags(IMAPIProgress *self, ULONG *flags)
{
    (void)self;
    *flags = MAPI_TOP_LEVEL;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE pg_GetMin(IMAPIProgress *self, ULONG *v)
{
    (void)self;
    *v = 1;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE pg_GetMax(IMAPIProgress *self, ULONG *v)
{
    (void)self;
    *v = 1000;
    return S_OK;
}

static IMAPIProgressVtbl pg_vtbl;
static IMAPIProgress progress = { &pg_vtbl };

/* ---- A folder of another provider: its PR_ENTRYID is not ours. */
static HRESULT STDMETHODCALLTYPE ff_QueryInterface(IMAPIFolder *self, REFIID riid, void **out)
{
    (void)self; (void)riid;
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE ff_AddRef(IMAPIFolder *self)
{
    (void)self;
    return 2;
}

static ULONG STDMETHODCALLTYPE ff_Release(IMAPIFolder *self)
{
    (void)self;
    return 1;
}

static HRESULT STDMETHODCALLTYPE ff_GetProps(IMAPIFolder *self, LPSPropTagArray tags,
    ULONG flags, ULONG *count, LPSPropValue *out)
{
    (void)self; (void)flags;
    static BYTE foreign[24] = { 0, 0, 0, 0, 0xaa, 0xbb, 0xcc };
    SPropValue *v = NULL;
    host_AllocateBuffer(sizeof *v, (void **)&v);
    v->ulPropTag = PR_ENTRYID;
    v->Value.bin.cb = sizeof foreign;
    v->Value.bin.lpb = foreign;
    ok(tags && tags->cValues == 1 && tags->aulPropTag[0] == PR_ENTRYID,
       "foreign folder: asked for something else than PR_ENTRYID\n");
    *count = 1;
    *out = v;
    return S_OK;
}

static IMAPIFolderVtbl ff_vtbl;
static IMAPIFolder foreign_folder = { &ff_vtbl };

/* IMAPISupport::CopyMessages / CopyFolder: what MAPI does between stores
 * (it copies through the generic interfaces); recorded here. */
static int sup_copy_messages, sup_copy_folder;
static void *sup_copy_src, *sup_copy_dest;

static HRESULT STDMETHODCALLTYPE sup_CopyMessages(IMAPISupport *self, LPCIID src_iid,
    LPVOID src, LPENTRYLIST list, LPCIID dest_iid, LPVOID dest, ULONG ui,
    LPMAPIPROGRESS prog, ULONG flags)
{
    (void)self; (void)list; (void)dest_iid; (void)ui; (void)prog; (void)flags;
    ok(src_iid && IsEqualIID(src_iid, &IID_IMAPIFolder), "CopyMessages: source iid\n");
    sup_copy_messages++;
    sup_copy_src = src;
    sup_copy_dest = dest;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE sup_CopyFolder(IMAPISupport *self, LPCIID src_iid,
    LPVOID src, ULONG cb, LPENTRYID eid, LPCIID dest_iid, LPVOID dest, LPTSTR name, ULONG ui,
    LPMAPIPROGRESS prog, ULONG flags)
{
    (void)self; (void)cb; (void)eid; (void)dest_iid; (void)name; (void)ui; (void)prog;
    (void)flags;
    ok(src_iid && IsEqualIID(src_iid, &IID_IMAPIFolder), "CopyFolder: source iid\n");
    sup_copy_folder++;
    sup_copy_src = src;
    sup_copy_dest = dest;
    return S_OK;
}

/* ---- the checks */

static IMAPIFolder *ipm, *projects, *archive, *sub;

static void check_create_folder(void)
{
    IMAPIFolder *f = NULL;
    HRESULT hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)L"Projects \u00c4rger",
        (LPTSTR)L"work in progress", NULL, MAPI_UNICODE, &projects);
    ok(hr == S_OK && projects, "CreateFolder(Unicode, comment): %#lx\n", hrx(hr));
    if (!projects)
        test_fatal("no folder\n");
    LPSPropValue v = get_one(projects, PR_DISPLAY_NAME_W);
    ok(v && wcscmp(v->Value.lpszW, L"Projects \u00c4rger") == 0, "name\n");
    host_FreeBuffer(v);
    v = get_one(projects, PR_COMMENT_W);
    ok(v && wcscmp(v->Value.lpszW, L"work in progress") == 0, "PR_COMMENT\n");
    host_FreeBuffer(v);
    ok(get_long(projects, PR_FOLDER_TYPE) == FOLDER_GENERIC, "PR_FOLDER_TYPE\n");

    /* 8-bit name and comment. */
    hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)"Archive", (LPTSTR)"old", NULL,
        0, &archive);
    ok(hr == S_OK && archive, "CreateFolder(8-bit): %#lx\n", hrx(hr));
    if (!archive)
        test_fatal("no folder\n");

    /* Taken name: MAPI_E_COLLISION, or the folder itself with OPEN_IF_EXISTS. */
    hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)L"archive", NULL, NULL,
        MAPI_UNICODE, &f);
    ok(hr == MAPI_E_COLLISION && f == NULL, "CreateFolder of a taken name: %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)L"Archive", NULL,
        &IID_IMAPIFolder, MAPI_UNICODE | OPEN_IF_EXISTS, &f);
    ok(hr == S_OK && f, "CreateFolder(OPEN_IF_EXISTS): %#lx\n", hrx(hr));
    if (f) {
        BYTE a[64], b[64];
        ULONG ca = eid_of(f, a), cb = eid_of(archive, b);
        ok(ca == cb && ca && memcmp(a, b, ca) == 0, "OPEN_IF_EXISTS opened another folder\n");
        f->lpVtbl->Release(f);
    }

    /* Bad arguments. */
    hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)L"x", NULL, NULL, MAPI_UNICODE,
        NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CreateFolder without out: %#lx\n", hrx(hr));
    f = (IMAPIFolder *)(ULONG_PTR)1;
    hr = ipm->lpVtbl->CreateFolder(ipm, 7, (LPTSTR)L"x", NULL, NULL, MAPI_UNICODE, &f);
    ok(hr == MAPI_E_INVALID_PARAMETER && f == NULL, "CreateFolder of type 7: %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, NULL, NULL, NULL, MAPI_UNICODE, &f);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CreateFolder without a name: %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)L"", NULL, NULL, MAPI_UNICODE,
        &f);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CreateFolder with an empty name: %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)L"x", NULL, NULL, 0x10000000,
        &f);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "CreateFolder with a bad flag: %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->CreateFolder(ipm, FOLDER_GENERIC, (LPTSTR)L"x", NULL, &IID_IMsgStore,
        MAPI_UNICODE, &f);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CreateFolder with a wrong iid: %#lx\n", hrx(hr));

    sub = create_folder(projects, L"Sub");
    if (!sub)
        test_fatal("no folder\n");
    COUNTS(projects, 0, 0, 0, 1);
}

static SBinary m[4], assoc;
static BYTE mbuf[4][64], abuf[64];

static void check_copy_messages(void)
{
    make_msg(projects, 0, L"one", 0, &m[0], mbuf[0]);
    make_msg(projects, 0, L"two", 1, &m[1], mbuf[1]);
    make_msg(projects, 0, L"three", 0, &m[2], mbuf[2]);
    make_msg(projects, MAPI_ASSOCIATED, L"view", 0, &assoc, abuf);
    COUNTS(projects, 3, 2, 1, 1);

    ENTRYLIST one = { 1, &m[0] };
    HRESULT hr = projects->lpVtbl->CopyMessages(projects, &one, NULL, archive, 0, NULL, 0);
    ok(hr == S_OK, "CopyMessages: %#lx\n", hrx(hr));
    COUNTS(projects, 3, 2, 1, 1);
    COUNTS(archive, 1, 1, 0, 0);

    /* Move with a progress object. */
    ENTRYLIST two = { 1, &m[1] };
    progress_calls = 0;
    hr = projects->lpVtbl->CopyMessages(projects, &two, &IID_IMAPIFolder, archive, 0,
        &progress, MESSAGE_MOVE | MESSAGE_DIALOG);
    ok(hr == S_OK, "CopyMessages(MESSAGE_MOVE): %#lx\n", hrx(hr));
    ok(progress_calls == 1 && progress_last_count == 1 && progress_last_total == 1,
       "progress: %d calls, %lu of %lu\n", progress_calls, (unsigned long)progress_last_count,
       (unsigned long)progress_last_total);
    COUNTS(projects, 2, 2, 1, 1);
    COUNTS(archive, 2, 1, 0, 0);
    ok(msg_exists(&m[1]), "moved message keeps its entry ID\n");

    /* Partial: garbage, a message of another folder, one good. */
    BYTE junk[48];
    memset(junk, 0x5a, sizeof junk);
    SBinary mixed[3] = { { sizeof junk, junk }, m[1], m[2] };
    ENTRYLIST l3 = { 3, mixed };
    hr = projects->lpVtbl->CopyMessages(projects, &l3, NULL, archive, 0, NULL, 0);
    ok(hr == MAPI_W_PARTIAL_COMPLETION, "CopyMessages with bad entries: %#lx\n", hrx(hr));
    COUNTS(archive, 3, 2, 0, 0);

    /* Bad arguments. */
    hr = projects->lpVtbl->CopyMessages(projects, NULL, NULL, archive, 0, NULL, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CopyMessages(NULL list): %#lx\n", hrx(hr));
    ENTRYLIST broken = { 2, NULL };
    hr = projects->lpVtbl->CopyMessages(projects, &broken, NULL, archive, 0, NULL, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CopyMessages(count without array): %#lx\n", hrx(hr));
    hr = projects->lpVtbl->CopyMessages(projects, &one, NULL, NULL, 0, NULL, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CopyMessages(NULL destination): %#lx\n", hrx(hr));
    hr = projects->lpVtbl->CopyMessages(projects, &one, &IID_IMsgStore, archive, 0, NULL, 0);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyMessages(wrong iid): %#lx\n", hrx(hr));
    hr = projects->lpVtbl->CopyMessages(projects, &one, NULL, archive, 0, NULL, 0x100);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "CopyMessages(bad flag): %#lx\n", hrx(hr));

    /* Another store's folder: IMAPISupport::CopyMessages, or declined. */
    hr = projects->lpVtbl->CopyMessages(projects, &one, NULL, &foreign_folder, 0, NULL,
        MESSAGE_MOVE);
    ok(hr == S_OK && sup_copy_messages == 1 && sup_copy_src == (void *)projects
       && sup_copy_dest == (void *)&foreign_folder,
       "CopyMessages to another store: %#lx, support called %d times\n", hrx(hr),
       sup_copy_messages);
    hr = projects->lpVtbl->CopyMessages(projects, &one, NULL, &foreign_folder, 0, NULL,
        MAPI_DECLINE_OK);
    ok(hr == MAPI_E_DECLINE_COPY && sup_copy_messages == 1,
       "CopyMessages(MAPI_DECLINE_OK) to another store: %#lx\n", hrx(hr));
    COUNTS(projects, 2, 2, 1, 1);
}

static void check_delete_messages(void)
{
    make_msg(projects, 0, L"four", 0, &m[3], mbuf[3]);
    ENTRYLIST one = { 1, &m[2] };
    HRESULT hr = projects->lpVtbl->DeleteMessages(projects, &one, 0, NULL, 0);
    ok(hr == S_OK && !msg_exists(&m[2]), "DeleteMessages: %#lx\n", hrx(hr));
    BYTE junk[10] = { 0 };
    SBinary two[2] = { m[3], { sizeof junk, junk } };
    ENTRYLIST l2 = { 2, two };
    hr = projects->lpVtbl->DeleteMessages(projects, &l2, 0, &progress,
        DELETE_HARD_DELETE | MESSAGE_DIALOG);
    ok(hr == MAPI_W_PARTIAL_COMPLETION && !msg_exists(&m[3]),
       "DeleteMessages(hard, one bad): %#lx\n", hrx(hr));
    /* MESSAGE_DIALOG without a progress object: MAPI's, from
     * IMAPISupport::DoProgressDialog, hears the end and is let go */
    SBinary five;
    BYTE fbuf[64];
    make_msg(projects, 0, L"five", 0, &five, fbuf);
    ENTRYLIST l5 = { 1, &five };
    host_progress_flags = MAPI_TOP_LEVEL;
    host_progress_calls = host_progress_value = 0;
    hr = projects->lpVtbl->DeleteMessages(projects, &l5, 0, NULL, MESSAGE_DIALOG);
    ok(hr == S_OK && !msg_exists(&five) && host_progress_calls == 1
       && host_progress_value == 1000 && host_progress_count == 1 && host_progress_total == 1,
       "DeleteMessages(MESSAGE_DIALOG, no progress object): %#lx, MAPI's progress %lu calls,"
       " %lu of %lu\n", hrx(hr), (unsigned long)host_progress_calls,
       (unsigned long)host_progress_count, (unsigned long)host_progress_total);
    ok(host_progress_refs == 0, "MAPI's progress object kept: %ld\n", (long)host_progress_refs);
    host_progress_flags = 0;
    ENTRYLIST other = { 1, &m[1] };   /* in Archive */
    hr = projects->lpVtbl->DeleteMessages(projects, &other, 0, NULL, 0);
    ok(hr == MAPI_W_PARTIAL_COMPLETION && msg_exists(&m[1]),
       "DeleteMessages of another folder's message: %#lx\n", hrx(hr));
    hr = projects->lpVtbl->DeleteMessages(projects, NULL, 0, NULL, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "DeleteMessages(NULL): %#lx\n", hrx(hr));
    hr = projects->lpVtbl->DeleteMessages(projects, &one, 0, NULL, 0x4000);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "DeleteMessages(bad flag): %#lx\n", hrx(hr));
    COUNTS(projects, 1, 1, 1, 1);
}

static void check_read_flags(void)
{
    ENTRYLIST one = { 1, &m[0] };
    HRESULT hr = projects->lpVtbl->SetReadFlags(projects, &one, 0, NULL, 0);
    ok(hr == S_OK && (msg_flags(&m[0]) & MSGFLAG_READ), "SetReadFlags: %#lx\n", hrx(hr));
    COUNTS(projects, 1, 0, 1, 1);
    hr = projects->lpVtbl->SetReadFlags(projects, &one, 0, NULL, CLEAR_READ_FLAG);
    ok(hr == S_OK && !(msg_flags(&m[0]) & MSGFLAG_READ), "CLEAR_READ_FLAG: %#lx\n", hrx(hr));
    /* NULL: every message of the folder (Archive: 3, 1 read). */
    COUNTS(archive, 3, 2, 0, 0);
    hr = archive->lpVtbl->SetReadFlags(archive, NULL, 0, NULL, SUPPRESS_RECEIPT);
    ok(hr == S_OK, "SetReadFlags(NULL): %#lx\n", hrx(hr));
    COUNTS(archive, 3, 0, 0, 0);
    hr = archive->lpVtbl->SetReadFlags(archive, NULL, 0, NULL, CLEAR_READ_FLAG);
    ok(hr == S_OK, "SetReadFlags(NULL, CLEAR_READ_FLAG): %#lx\n", hrx(hr));
    COUNTS(archive, 3, 3, 0, 0);
    hr = archive->lpVtbl->SetReadFlags(archive, NULL, 0, NULL, GENERATE_RECEIPT_ONLY);
    ok(hr == S_OK, "GENERATE_RECEIPT_ONLY: %#lx\n", hrx(hr));
    COUNTS(archive, 3, 3, 0, 0);
    hr = archive->lpVtbl->SetReadFlags(archive, NULL, 0, NULL,
        CLEAR_READ_FLAG | SUPPRESS_RECEIPT);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CLEAR_READ_FLAG | SUPPRESS_RECEIPT: %#lx\n", hrx(hr));
    hr = archive->lpVtbl->SetReadFlags(archive, NULL, 0, NULL, 0x8000);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "SetReadFlags(bad flag): %#lx\n", hrx(hr));
    hr = projects->lpVtbl->SetReadFlags(projects, &(ENTRYLIST){ 1, &m[1] }, 0, NULL, 0);
    ok(hr == MAPI_W_PARTIAL_COMPLETION, "SetReadFlags on another folder's message: %#lx\n",
       hrx(hr));
}

static void check_message_status(void)
{
    ULONG st = 99, old = 99;
    HRESULT hr = projects->lpVtbl->GetMessageStatus(projects, m[0].cb, (LPENTRYID)m[0].lpb, 0,
        &st);
    ok(hr == S_OK && st == 0, "GetMessageStatus: %#lx %#lx\n", hrx(hr), (unsigned long)st);
    hr = projects->lpVtbl->SetMessageStatus(projects, m[0].cb, (LPENTRYID)m[0].lpb,
        MSGSTATUS_TAGGED | MSGSTATUS_HIDDEN, MSGSTATUS_TAGGED, &old);
    ok(hr == S_OK && old == 0, "SetMessageStatus: %#lx old %#lx\n", hrx(hr), (unsigned long)old);
    hr = projects->lpVtbl->SetMessageStatus(projects, m[0].cb, (LPENTRYID)m[0].lpb,
        MSGSTATUS_DELMARKED, MSGSTATUS_DELMARKED, NULL);
    ok(hr == S_OK, "SetMessageStatus without old: %#lx\n", hrx(hr));
    hr = projects->lpVtbl->GetMessageStatus(projects, m[0].cb, (LPENTRYID)m[0].lpb, 0, &st);
    ok(hr == S_OK && st == (MSGSTATUS_TAGGED | MSGSTATUS_DELMARKED),
       "status under the masks: %#lx\n", (unsigned long)st);
    IMessage *msg = open_msg(&m[0]);
    ok(msg && get_long(msg, PR_MSG_STATUS) == (LONG)st, "PR_MSG_STATUS on the message\n");
    if (msg)
        msg->lpVtbl->Release(msg);

    hr = projects->lpVtbl->GetMessageStatus(projects, m[0].cb, (LPENTRYID)m[0].lpb, 0, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "GetMessageStatus(NULL): %#lx\n", hrx(hr));
    hr = projects->lpVtbl->GetMessageStatus(projects, m[0].cb, (LPENTRYID)m[0].lpb, 1, &st);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "GetMessageStatus(flags): %#lx\n", hrx(hr));
    BYTE junk[48] = { 1 };
    hr = projects->lpVtbl->GetMessageStatus(projects, sizeof junk, (LPENTRYID)junk, 0, &st);
    ok(hr == MAPI_E_INVALID_ENTRYID, "GetMessageStatus(garbage): %#lx\n", hrx(hr));
    hr = projects->lpVtbl->GetMessageStatus(projects, m[1].cb, (LPENTRYID)m[1].lpb, 0, &st);
    ok(hr == MAPI_E_NOT_FOUND, "GetMessageStatus of another folder's message: %#lx\n",
       hrx(hr));
    hr = projects->lpVtbl->SetMessageStatus(projects, 3, (LPENTRYID)junk, 1, 1, &old);
    ok(hr == MAPI_E_INVALID_ENTRYID, "SetMessageStatus(garbage): %#lx\n", hrx(hr));
}

static void check_contents_sort(void)
{
    SizedSSortOrderSet(2, sort) = { 2, 1, 1, {
        { PR_SENDER_NAME_W, TABLE_SORT_ASCEND },
        { PR_MESSAGE_DELIVERY_TIME, TABLE_SORT_DESCEND } } };
    HRESULT hr = projects->lpVtbl->SaveContentsSort(projects, (LPSSortOrderSet)&sort,
        RECURSIVE_SORT);
    ok(hr == S_OK, "SaveContentsSort: %#lx\n", hrx(hr));
    LPSPropValue v = get_one(sub, PR_MAPIDAV_CONTENTS_SORT);
    ok(v && v->Value.bin.cb == 12 + 2 * 8 && v->Value.bin.lpb[0] == 2
       && v->Value.bin.lpb[4] == 1, "the sort saved on the subfolder (RECURSIVE_SORT)\n");
    host_FreeBuffer(v);
    hr = projects->lpVtbl->SaveContentsSort(projects, NULL, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "SaveContentsSort(NULL): %#lx\n", hrx(hr));
    hr = projects->lpVtbl->SaveContentsSort(projects, (LPSSortOrderSet)&sort, 0x100);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "SaveContentsSort(bad flag): %#lx\n", hrx(hr));
    sort.cCategories = 3;
    hr = projects->lpVtbl->SaveContentsSort(projects, (LPSSortOrderSet)&sort, 0);
    ok(hr == MAPI_E_INVALID_PARAMETER, "SaveContentsSort(3 categories of 2 keys): %#lx\n",
       hrx(hr));
}

static void check_copy_folder(void)
{
    BYTE pe[64], se[64], ie[64];
    ULONG cbp = eid_of(projects, pe), cbs = eid_of(sub, se);
    LPSPropValue inbox_v = NULL;
    ULONG cbi = 0;
    LPENTRYID inbox_eid = NULL;
    store->lpVtbl->GetReceiveFolder(store, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cbi, &inbox_eid,
        NULL);
    if (inbox_eid && cbi <= 64)
        memcpy(ie, inbox_eid, cbi);
    host_FreeBuffer(inbox_eid);
    (void)inbox_v;

    /* Copy with subfolders and a new name. */
    HRESULT hr = ipm->lpVtbl->CopyFolder(ipm, cbp, (LPENTRYID)pe, NULL, archive,
        (LPTSTR)L"Projects copy", 0, &progress, COPY_SUBFOLDERS | FOLDER_DIALOG | MAPI_UNICODE);
    ok(hr == S_OK, "CopyFolder(COPY_SUBFOLDERS, rename): %#lx\n", hrx(hr));
    COUNTS(archive, 3, 3, 0, 1);
    IMAPIFolder *copy = NULL;
    hr = archive->lpVtbl->CreateFolder(archive, FOLDER_GENERIC, (LPTSTR)L"Projects copy", NULL,
        NULL, MAPI_UNICODE | OPEN_IF_EXISTS, &copy);
    if (copy) {
        COUNTS(copy, 1, 1, 1, 1);
        copy->lpVtbl->Release(copy);
    }
    hr = ipm->lpVtbl->CopyFolder(ipm, cbp, (LPENTRYID)pe, NULL, archive,
        (LPTSTR)"Projects copy", 0, NULL, 0);
    ok(hr == MAPI_E_COLLISION, "CopyFolder onto a taken name: %#lx\n", hrx(hr));
    /* Without subfolders, into itself: allowed; with them: a cycle. */
    hr = ipm->lpVtbl->CopyFolder(ipm, cbp, (LPENTRYID)pe, NULL, projects, (LPTSTR)L"Flat",
        0, NULL, MAPI_UNICODE);
    ok(hr == S_OK, "CopyFolder into itself without subfolders: %#lx\n", hrx(hr));
    COUNTS(projects, 1, 1, 1, 2);
    hr = ipm->lpVtbl->CopyFolder(ipm, cbp, (LPENTRYID)pe, NULL, sub, NULL, 0, NULL,
        COPY_SUBFOLDERS);
    ok(hr == MAPI_E_FOLDER_CYCLE, "CopyFolder(COPY_SUBFOLDERS) into its subfolder: %#lx\n",
       hrx(hr));
    /* Move: Sub to Archive and back; Projects into Sub is a cycle. */
    hr = projects->lpVtbl->CopyFolder(projects, cbs, (LPENTRYID)se, NULL, archive, NULL, 0,
        NULL, FOLDER_MOVE);
    ok(hr == S_OK, "CopyFolder(FOLDER_MOVE): %#lx\n", hrx(hr));
    COUNTS(projects, 1, 1, 1, 1);
    COUNTS(archive, 3, 3, 0, 2);
    hr = archive->lpVtbl->CopyFolder(archive, cbs, (LPENTRYID)se, NULL, projects, NULL, 0,
        NULL, FOLDER_MOVE);
    ok(hr == S_OK, "CopyFolder(FOLDER_MOVE) back: %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->CopyFolder(ipm, cbp, (LPENTRYID)pe, NULL, sub, NULL, 0, NULL,
        FOLDER_MOVE);
    ok(hr == MAPI_E_FOLDER_CYCLE, "move into its own subfolder: %#lx\n", hrx(hr));
    /* Default folders do not move (but may be copied). */
    hr = ipm->lpVtbl->CopyFolder(ipm, cbi, (LPENTRYID)ie, NULL, archive, NULL, 0, NULL,
        FOLDER_MOVE);
    ok(hr == MAPI_E_NO_ACCESS, "moving the Inbox: %#lx\n", hrx(hr));
    /* Not a subfolder of this folder; garbage; bad flags; another store. */
    hr = archive->lpVtbl->CopyFolder(archive, cbp, (LPENTRYID)pe, NULL, sub, NULL, 0, NULL, 0);
    ok(hr == MAPI_E_NOT_FOUND, "CopyFolder of another folder's subfolder: %#lx\n", hrx(hr));
    BYTE junk[48] = { 0 };
    hr = ipm->lpVtbl->CopyFolder(ipm, sizeof junk, (LPENTRYID)junk, NULL, archive, NULL, 0,
        NULL, 0);
    ok(hr == MAPI_E_INVALID_ENTRYID, "CopyFolder(garbage): %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->CopyFolder(ipm, cbp, (LPENTRYID)pe, NULL, archive, NULL, 0, NULL, 0x800);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "CopyFolder(bad flag): %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->CopyFolder(ipm, cbp, (LPENTRYID)pe, NULL, &foreign_folder, NULL, 0, NULL,
        0);
    ok(hr == S_OK && sup_copy_folder == 1 && sup_copy_src == (void *)ipm,
       "CopyFolder to another store: %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->CopyFolder(ipm, cbp, (LPENTRYID)pe, NULL, &foreign_folder, NULL, 0, NULL,
        MAPI_DECLINE_OK);
    ok(hr == MAPI_E_DECLINE_COPY, "CopyFolder(MAPI_DECLINE_OK) to another store: %#lx\n",
       hrx(hr));
}

static void check_delete_folder(void)
{
    IMAPIFolder *gone = create_folder(archive, L"Doomed");
    if (!gone)
        return;
    IMAPIFolder *kid = create_folder(gone, L"Kid");
    SBinary e;
    BYTE buf[64], ge[64];
    make_msg(gone, 0, L"in doomed", 0, &e, buf);
    ULONG cbg = eid_of(gone, ge);
    HRESULT hr = archive->lpVtbl->DeleteFolder(archive, cbg, (LPENTRYID)ge, 0, NULL, 0);
    ok(hr == MAPI_E_HAS_FOLDERS, "DeleteFolder with subfolders: %#lx\n", hrx(hr));
    hr = archive->lpVtbl->DeleteFolder(archive, cbg, (LPENTRYID)ge, 0, NULL, DEL_FOLDERS);
    ok(hr == MAPI_E_HAS_MESSAGES, "DeleteFolder with messages: %#lx\n", hrx(hr));
    hr = ipm->lpVtbl->DeleteFolder(ipm, cbg, (LPENTRYID)ge, 0, NULL, DEL_FOLDERS | DEL_MESSAGES);
    ok(hr == MAPI_E_NOT_FOUND, "DeleteFolder of another folder's subfolder: %#lx\n", hrx(hr));
    hr = archive->lpVtbl->DeleteFolder(archive, cbg, (LPENTRYID)ge, 0, NULL, 0x1000);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "DeleteFolder(bad flag): %#lx\n", hrx(hr));
    hr = archive->lpVtbl->DeleteFolder(archive, cbg, (LPENTRYID)ge, 0, &progress,
        DEL_FOLDERS | DEL_MESSAGES | FOLDER_DIALOG);
    ok(hr == S_OK, "DeleteFolder(DEL_FOLDERS | DEL_MESSAGES): %#lx\n", hrx(hr));
    ok(!msg_exists(&e), "its message is gone\n");
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    hr = store->lpVtbl->OpenEntry(store, cbg, (LPENTRYID)ge, NULL, 0, &type, &unk);
    ok(hr == MAPI_E_NOT_FOUND, "deleted folder opened: %#lx\n", hrx(hr));
    if (unk)
        unk->lpVtbl->Release(unk);
    gone->lpVtbl->Release(gone);
    if (kid)
        kid->lpVtbl->Release(kid);

    /* Default folders stay; garbage refused. */
    ULONG cbi = 0;
    LPENTRYID inbox = NULL;
    store->lpVtbl->GetReceiveFolder(store, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cbi, &inbox,
        NULL);
    hr = ipm->lpVtbl->DeleteFolder(ipm, cbi, inbox, 0, NULL, DEL_FOLDERS | DEL_MESSAGES);
    ok(hr == MAPI_E_NO_ACCESS, "DeleteFolder(Inbox): %#lx\n", hrx(hr));
    host_FreeBuffer(inbox);
    BYTE junk[30] = { 0 };
    hr = ipm->lpVtbl->DeleteFolder(ipm, sizeof junk, (LPENTRYID)junk, 0, NULL, 0);
    ok(hr == MAPI_E_INVALID_ENTRYID, "DeleteFolder(garbage): %#lx\n", hrx(hr));
}

static void check_empty_folder(void)
{
    /* Archive: 3 messages, subfolder "Projects copy" (with a message, an
     * associated one, a subfolder), "Flat" is in Projects. */
    SBinary e;
    BYTE buf[64];
    make_msg(archive, MAPI_ASSOCIATED, L"archive view", 0, &e, buf);
    COUNTS(archive, 3, 3, 1, 1);
    HRESULT hr = archive->lpVtbl->EmptyFolder(archive, 0, NULL, 0);
    ok(hr == S_OK, "EmptyFolder: %#lx\n", hrx(hr));
    COUNTS(archive, 0, 0, 1, 0);
    hr = archive->lpVtbl->EmptyFolder(archive, 0, &progress, DEL_ASSOCIATED | FOLDER_DIALOG
        | DELETE_HARD_DELETE);
    ok(hr == S_OK, "EmptyFolder(DEL_ASSOCIATED): %#lx\n", hrx(hr));
    COUNTS(archive, 0, 0, 0, 0);
    hr = archive->lpVtbl->EmptyFolder(archive, 0, NULL, 0x100);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "EmptyFolder(bad flag): %#lx\n", hrx(hr));
    /* The IPM subtree's default folders stay: partial completion. */
    LONG kids = get_long(ipm, PR_FOLDER_CHILD_COUNT);
    IMAPIFolder *extra = create_folder(ipm, L"Extra");
    if (extra)
        extra->lpVtbl->Release(extra);
    hr = ipm->lpVtbl->EmptyFolder(ipm, 0, NULL, 0);
    ok(hr == MAPI_W_PARTIAL_COMPLETION, "EmptyFolder of the IPM subtree: %#lx\n", hrx(hr));
    ok(get_long(ipm, PR_FOLDER_CHILD_COUNT) == kids - 2,
       "EmptyFolder removed %ld folders of the IPM subtree (Archive, Projects, Extra go)\n",
       kids + 1 - get_long(ipm, PR_FOLDER_CHILD_COUNT));
}

/* Outlook's Reminders search folder ([MS-OXOSFLD] 2.2.5): in Finder, over
 * the IPM subtree with subfolders, messages whose PidLidReminderSet is
 * true. */
static void check_search_folder(void)
{
    IMAPIFolder *finder = open_store_folder(PR_FINDER_ENTRYID);
    if (!finder)
        return;
    IMAPIFolder *rem = NULL;
    HRESULT hr = finder->lpVtbl->CreateFolder(finder, FOLDER_SEARCH, (LPTSTR)L"Reminders",
        (LPTSTR)L"Reminders queue", NULL, MAPI_UNICODE | OPEN_IF_EXISTS, &rem);
    ok(hr == S_OK && rem, "CreateFolder(FOLDER_SEARCH): %#lx\n", hrx(hr));
    if (!rem) {
        finder->lpVtbl->Release(finder);
        return;
    }
    static const GUID common = { 0x00062008, 0, 0, { 0xC0, 0, 0, 0, 0, 0, 0, 0x46 } };
    MAPINAMEID name = { (LPGUID)&common, MNID_ID, { .lID = 0x8503 } }, *names[1] = { &name };
    LPSPropTagArray tags = NULL;
    hr = store->lpVtbl->GetIDsFromNames(store, 1, names, MAPI_CREATE, &tags);
    ok(hr == S_OK && tags && PROP_ID(tags->aulPropTag[0]) >= 0x8000,
       "GetIDsFromNames(PidLidReminderSet): %#lx\n", hrx(hr));
    ULONG rset = tags ? PROP_TAG(PT_BOOLEAN, PROP_ID(tags->aulPropTag[0])) : 0;
    host_FreeBuffer(tags);

    SPropValue yes = { .ulPropTag = rset, .Value.b = TRUE };
    SRestriction kids[2];
    kids[0].rt = RES_EXIST;
    kids[0].res.resExist.ulPropTag = rset;
    kids[1].rt = RES_PROPERTY;
    kids[1].res.resProperty.relop = RELOP_EQ;
    kids[1].res.resProperty.ulPropTag = rset;
    kids[1].res.resProperty.lpProp = &yes;
    SRestriction res = { .rt = RES_AND, .res.resAnd = { 2, kids } };
    BYTE ie[64];
    SBinary scope = { eid_of(ipm, ie), ie };
    ENTRYLIST list = { 1, &scope };

    ULONG state = 99;
    LPSRestriction got = NULL;
    LPENTRYLIST got_list = NULL;
    hr = rem->lpVtbl->GetSearchCriteria(rem, 0, &got, &got_list, &state);
    ok(hr == MAPI_E_NOT_INITIALIZED, "GetSearchCriteria before any: %#lx\n", hrx(hr));
    hr = rem->lpVtbl->SetSearchCriteria(rem, NULL, &list, RECURSIVE_SEARCH);
    ok(hr == MAPI_E_INVALID_PARAMETER, "a first SetSearchCriteria without a restriction: %#lx\n",
       hrx(hr));
    hr = archive->lpVtbl->SetSearchCriteria(archive, &res, &list, 0);
    ok(hr == MAPI_E_NO_SUPPORT, "SetSearchCriteria on a generic folder: %#lx\n", hrx(hr));
    BYTE junk[48] = { 3 };
    SBinary bad = { sizeof junk, junk };
    hr = rem->lpVtbl->SetSearchCriteria(rem, &res, &(ENTRYLIST){ 1, &bad }, 0);
    ok(hr == MAPI_E_INVALID_ENTRYID, "SetSearchCriteria over garbage: %#lx\n", hrx(hr));
    hr = rem->lpVtbl->SetSearchCriteria(rem, &res, &list, RECURSIVE_SEARCH | FOREGROUND_SEARCH);
    ok(hr == S_OK, "SetSearchCriteria: %#lx\n", hrx(hr));
    {
        hr = rem->lpVtbl->GetSearchCriteria(rem, MAPI_UNICODE, &got, &got_list, &state);
        ok(hr == S_OK && got && got->rt == RES_AND && got_list && got_list->cValues == 1
           && got_list->lpbin[0].cb == scope.cb
           && memcmp(got_list->lpbin[0].lpb, scope.lpb, scope.cb) == 0,
           "GetSearchCriteria: %#lx\n", hrx(hr));
        ok(state == (SEARCH_RUNNING | SEARCH_RECURSIVE), "search state %#lx\n",
           (unsigned long)state);
        host_FreeBuffer(got);
        host_FreeBuffer(got_list);
        ok(get_long(rem, PR_FOLDER_TYPE) == FOLDER_SEARCH, "PR_FOLDER_TYPE of a search folder\n");

        /* A task with a reminder in a subfolder of the IPM subtree. */
        IMessage *t = NULL;
        BYTE task_buf[64];
        SBinary task = { 0, task_buf };
        sub->lpVtbl->CreateMessage(sub, NULL, 0, &t);
        if (t) {
            SPropValue v[3] = { { .ulPropTag = PR_MESSAGE_CLASS_W },
                { .ulPropTag = PR_SUBJECT_W }, { .ulPropTag = rset } };
            v[0].Value.lpszW = (WCHAR *)L"IPM.Task";
            v[1].Value.lpszW = (WCHAR *)L"call back";
            v[2].Value.b = TRUE;
            t->lpVtbl->SetProps(t, 3, v, NULL);
            ok(t->lpVtbl->SaveChanges(t, KEEP_OPEN_READWRITE) == S_OK, "task saved\n");
            task.cb = eid_of(t, task_buf);
            t->lpVtbl->Release(t);
        }
        make_msg(sub, 0, L"no reminder", 0, &(SBinary){ 0 }, (BYTE[64]){ 0 });
        ok(get_long(rem, PR_CONTENT_COUNT) == 1, "Reminders holds %ld messages, expected 1\n",
           get_long(rem, PR_CONTENT_COUNT));
        LPMAPITABLE table = NULL;
        hr = rem->lpVtbl->GetContentsTable(rem, 0, &table);
        ok(hr == S_OK && table, "Reminders' GetContentsTable: %#lx\n", hrx(hr));
        if (table) {
            SizedSPropTagArray(1, cols) = { 1, { PR_SUBJECT_W } };
            LPSRowSet rows = NULL;
            hr = table->lpVtbl->SetColumns(table, (LPSPropTagArray)&cols, 0);
            if (hr == S_OK)
                hr = table->lpVtbl->QueryRows(table, 10, 0, &rows);
            ok(hr == S_OK && rows && rows->cRows == 1 && rows->aRow[0].lpProps
               && rows->aRow[0].lpProps[0].ulPropTag == PR_SUBJECT_W
               && wcscmp(rows->aRow[0].lpProps[0].Value.lpszW, L"call back") == 0,
               "Reminders' contents: %#lx, %lu rows\n", hrx(hr),
               rows ? (unsigned long)rows->cRows : 0ul);
            host_free_rows(rows);
            table->lpVtbl->Release(table);
        }
        /* What is done to a result is done to the message itself. */
        ULONG st = 0;
        hr = rem->lpVtbl->SetMessageStatus(rem, task.cb, (LPENTRYID)task.lpb, MSGSTATUS_TAGGED,
            MSGSTATUS_TAGGED, NULL);
        ok(hr == S_OK, "SetMessageStatus through the search folder: %#lx\n", hrx(hr));
        hr = sub->lpVtbl->GetMessageStatus(sub, task.cb, (LPENTRYID)task.lpb, 0, &st);
        ok(hr == S_OK && st == MSGSTATUS_TAGGED, "status in its own folder: %#lx\n",
           (unsigned long)st);
        hr = rem->lpVtbl->DeleteMessages(rem, &(ENTRYLIST){ 1, &task }, 0, NULL, 0);
        ok(hr == S_OK && get_long(rem, PR_CONTENT_COUNT) == 0,
           "DeleteMessages through the search folder: %#lx\n", hrx(hr));
        hr = rem->lpVtbl->SetSearchCriteria(rem, NULL, NULL, STOP_SEARCH);
        ok(hr == S_OK, "SetSearchCriteria(STOP_SEARCH): %#lx\n", hrx(hr));
        rem->lpVtbl->GetSearchCriteria(rem, 0, NULL, NULL, &state);
        ok(state == SEARCH_RECURSIVE, "stopped search state %#lx\n", (unsigned long)state);
    }
    /* Bad arguments (checked before storage is asked). */
    hr = rem->lpVtbl->SetSearchCriteria(rem, &res, &list, STOP_SEARCH | RESTART_SEARCH);
    ok(hr == MAPI_E_INVALID_PARAMETER, "STOP_SEARCH | RESTART_SEARCH: %#lx\n", hrx(hr));
    hr = rem->lpVtbl->SetSearchCriteria(rem, &res, &list, RECURSIVE_SEARCH | SHALLOW_SEARCH);
    ok(hr == MAPI_E_INVALID_PARAMETER, "RECURSIVE_SEARCH | SHALLOW_SEARCH: %#lx\n", hrx(hr));
    hr = rem->lpVtbl->SetSearchCriteria(rem, &res, &list, 0x80000000);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "SetSearchCriteria(bad flag): %#lx\n", hrx(hr));
    hr = rem->lpVtbl->GetSearchCriteria(rem, 0x4, NULL, NULL, &state);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "GetSearchCriteria(bad flag): %#lx\n", hrx(hr));
    hr = archive->lpVtbl->GetSearchCriteria(archive, 0, NULL, NULL, &state);
    ok(hr == MAPI_E_NO_SUPPORT, "GetSearchCriteria of a generic folder: %#lx\n", hrx(hr));
    rem->lpVtbl->Release(rem);
    finder->lpVtbl->Release(finder);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        test_fatal("usage: test_provider_folder PATH-TO-mapidav32.dll\n");
    sup_vtbl.CopyMessages = sup_CopyMessages;
    sup_vtbl.CopyFolder = sup_CopyFolder;
    host_support_setup();
    host_store_path(L"mapidav-folder");
    pg_vtbl.QueryInterface = pg_QueryInterface;
    pg_vtbl.AddRef = pg_AddRef;
    pg_vtbl.Release = pg_Release;
    pg_vtbl.Progress = pg_Progress;
    pg_vtbl.GetFlags = pg_GetFlags;
    pg_vtbl.GetMin = pg_GetMin;
    pg_vtbl.GetMax = pg_GetMax;
    fill_vtbl(&pg_vtbl, sizeof pg_vtbl);
    ff_vtbl.QueryInterface = ff_QueryInterface;
    ff_vtbl.AddRef = ff_AddRef;
    ff_vtbl.Release = ff_Release;
    ff_vtbl.GetProps = ff_GetProps;
    fill_vtbl(&ff_vtbl, sizeof ff_vtbl);

    HMODULE dll = NULL;
    IMSProvider *provider = host_load_provider(argv[1], &dll);
    IMapidavDebug *debug = NULL;
    provider->lpVtbl->QueryInterface(provider, &IID_IMapidavDebug, (void **)&debug);
    host_session session;
    if (!host_logon(provider, &session))
        test_fatal("no logon\n");
    store = session.store;

    ipm = open_store_folder(PR_IPM_SUBTREE_ENTRYID);
    if (!ipm)
        test_fatal("no IPM subtree\n");
    check_create_folder();
    check_copy_messages();
    check_delete_messages();
    check_read_flags();
    check_message_status();
    check_contents_sort();
    check_copy_folder();
    check_delete_folder();
    check_search_folder();
    check_empty_folder();

    sub->lpVtbl->Release(sub);
    archive->lpVtbl->Release(archive);
    projects->lpVtbl->Release(projects);
    ipm->lpVtbl->Release(ipm);
    host_logoff(&session);
    host_unload_provider(provider, debug, dll);
    return test_done();
}
