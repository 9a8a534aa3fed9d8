/*
 * test_provider_message.c: messages, attachments, streams and named
 * properties of mapidav32.dll's store, driven the way MAPI and Outlook
 * drive them, under Wine (the stand-in MAPI of host_support.h).
 *
 * Covers: the shared IMAPIProp methods on store, folder, message and
 * attachment (SetProps with its problem array, DeleteProps, CopyTo and
 * CopyProps with exclusions and flags, GetLastError), named properties
 * round trip over the catalog, IMAPIFolder::CreateMessage (also
 * associated), a message created, saved (KEEP_OPEN_READWRITE twice),
 * reopened read-only and read-write, its recipients (ModifyRecipients),
 * attachments (create, open, delete), live recipient and attachment tables
 * (rows and notifications after each change, sorted and restricted views,
 * a table outliving its message), an embedded message, bodies kept in
 * step (compressed RTF made when read), SetReadFlag with its read reports
 * (IMAPISupport::ReadReceipt, also through IMAPIFolder::SetReadFlags),
 * SubmitMessage (no recipients refused), MAPI_DIALOG progress (CopyTo,
 * CopyProps, DeleteAttach, SetReadFlags: the caller's progress object or
 * MAPI's), a
 * message deleted under an open object (MAPI_E_OBJECT_DELETED), a 50 MB
 * attachment stream written and read back in bounded memory, a new
 * message's attachment streams (nested ones too) written once straight
 * into storage (no temporary file, store grows once, flat memory, nothing
 * left when released unsaved, repeated KEEP_OPEN_READWRITE saves), bad
 * arguments everywhere, and at the end the live-object counter back at
 * zero.
 *
 * usage: test_provider_message PATH-TO-mapidav32.dll
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define USES_IID_IUnknown
#define USES_IID_IMAPIProp
#define USES_IID_IMAPIFolder
#define USES_IID_IMsgStore
#define USES_IID_IMSProvider
#define USES_IID_IMSLogon
#define USES_IID_IMessage
#define USES_IID_IAttachment
#define USES_IID_IMAPITable
#define USES_PS_PUBLIC_STRINGS
#define USES_PS_MAPI
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
#include "table_sink.h"
#include "test/davsync/rss_util.h"
#include "convert/rtf.h"
#include "provider/object.h"
#include "provider/store.h"
#include "storage/storage.h"

#define PR_HTML_BIN PROP_TAG(PT_BINARY, 0x1013)
#define PR_RTF_COMP PROP_TAG(PT_BINARY, 0x1009)
#define BIG_STREAM (50u << 20)

static IMsgStore *store;
static IMAPIFolder *inbox;
static SBinary inbox_eid;

#define hrx(hr) ((unsigned long)(hr))

/* ---- helpers */

static LPSPropValue get_one(IMAPIProp *obj, ULONG tag)
{
    SizedSPropTagArray(1, t) = { 1, { tag } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = obj->lpVtbl->GetProps(obj, (LPSPropTagArray)&t, MAPI_UNICODE, &n, &v);
    if (FAILED(hr) || n != 1 || !v)
        return NULL;
    if (PROP_TYPE(v->ulPropTag) == PT_ERROR) {
        host_FreeBuffer(v);
        return NULL;
    }
    return v;
}

static LONG get_long(IMAPIProp *obj, ULONG tag, LONG dflt)
{
    LPSPropValue v = get_one(obj, tag);
    LONG l = v ? v->Value.l : dflt;
    host_FreeBuffer(v);
    return l;
}

/* 1 when obj has the string tag equal to want. */
static int has_str(IMAPIProp *obj, ULONG tag, const WCHAR *want)
{
    LPSPropValue v = get_one(obj, tag);
    int same = v && wcscmp(v->Value.lpszW, want) == 0;
    if (v && !same)
        fprintf(stderr, "  tag %#lx is \"%ls\"\n", (unsigned long)tag, v->Value.lpszW);
    host_FreeBuffer(v);
    return same;
}

static HRESULT set_str(IMAPIProp *obj, ULONG tag, const WCHAR *s)
{
    SPropValue v;
    v.ulPropTag = tag;
    v.Value.lpszW = (WCHAR *)s;
    return obj->lpVtbl->SetProps(obj, 1, &v, NULL);
}

static HRESULT set_long(IMAPIProp *obj, ULONG tag, LONG l)
{
    SPropValue v;
    v.ulPropTag = tag;
    v.Value.l = l;
    return obj->lpVtbl->SetProps(obj, 1, &v, NULL);
}

/* The message's entry ID (a copy the caller frees with host_FreeBuffer). */
static LPSPropValue entryid_of(IMessage *m)
{
    return get_one((IMAPIProp *)m, PR_ENTRYID);
}

static IMessage *open_msg(const SBinary *eid, ULONG flags)
{
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = store->lpVtbl->OpenEntry(store, eid->cb, (LPENTRYID)eid->lpb, NULL, flags,
        &type, &unk);
    ok(hr == S_OK && type == MAPI_MESSAGE && unk, "OpenEntry(message, %#lx): %#lx type %lu\n",
       (unsigned long)flags, hrx(hr), (unsigned long)type);
    return (IMessage *)unk;
}

static IMessage *new_msg(const WCHAR *subject)
{
    IMessage *m = NULL;
    HRESULT hr = inbox->lpVtbl->CreateMessage(inbox, NULL, 0, &m);
    ok(hr == S_OK && m, "CreateMessage: %#lx\n", hrx(hr));
    if (m && subject)
        ok(set_str((IMAPIProp *)m, PR_SUBJECT_W, subject) == S_OK, "SetProps(subject)\n");
    return m;
}

static void fill_pattern(BYTE *buf, size_t len, size_t offset)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (BYTE)((offset + i) * 7 + ((offset + i) >> 12));
}

/* ---- CreateMessage, SetProps, SaveChanges, reopen */

static void check_create_and_save(void)
{
    IMessage *m = (IMessage *)(ULONG_PTR)1;
    HRESULT hr = inbox->lpVtbl->CreateMessage(inbox, NULL, 0, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CreateMessage(NULL out): %#lx\n", hrx(hr));
    hr = inbox->lpVtbl->CreateMessage(inbox, NULL, 0x80000000, &m);
    ok(hr == MAPI_E_UNKNOWN_FLAGS && m == NULL, "CreateMessage(bad flag): %#lx\n", hrx(hr));
    hr = inbox->lpVtbl->CreateMessage(inbox, &IID_IMAPIFolder, 0, &m);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED && m == NULL, "CreateMessage(IMAPIFolder): %#lx\n",
       hrx(hr));

    m = new_msg(NULL);
    if (!m)
        return;
    IMAPIProp *p = (IMAPIProp *)m;
    LONG flags = get_long(p, PR_MESSAGE_FLAGS, -1);
    ok(flags != -1 && (flags & MSGFLAG_UNSENT) && (flags & MSGFLAG_READ),
       "new message flags %#lx\n", (unsigned long)flags);
    ok(get_long(p, PR_OBJECT_TYPE, 0) == MAPI_MESSAGE, "PR_OBJECT_TYPE\n");
    ok(get_long(p, PR_ACCESS_LEVEL, -1) == MAPI_MODIFY, "PR_ACCESS_LEVEL of a new message\n");
    LPSPropValue v = entryid_of(m);
    ok(v == NULL, "a new message has an entry ID already\n");
    host_FreeBuffer(v);

    /* SetProps: two good values, one computed, one of a type that cannot
     * be set, one error value (ignored). */
    SPropValue in[5];
    memset(in, 0, sizeof in);
    in[0].ulPropTag = PR_SUBJECT_W;
    in[0].Value.lpszW = L"Hello \x00e9t\x00e9";
    in[1].ulPropTag = PR_ENTRYID;
    in[1].Value.bin.cb = 4;
    in[1].Value.bin.lpb = (BYTE *)"abcd";
    in[2].ulPropTag = PR_MESSAGE_CLASS_A;
    in[2].Value.lpszA = "IPM.Note";
    in[3].ulPropTag = PROP_TAG(PT_OBJECT, 0x6701);
    in[4].ulPropTag = PROP_TAG(PT_ERROR, 0x6702);
    in[4].Value.err = MAPI_E_NOT_FOUND;
    LPSPropProblemArray probs = NULL;
    hr = m->lpVtbl->SetProps(m, 5, in, &probs);
    ok(hr == S_OK && probs && probs->cProblem == 2, "SetProps with bad values: %#lx, %lu problems\n",
       hrx(hr), probs ? (unsigned long)probs->cProblem : 0ul);
    if (probs && probs->cProblem == 2) {
        ok(probs->aProblem[0].ulIndex == 1 && probs->aProblem[0].scode == MAPI_E_COMPUTED,
           "PR_ENTRYID refused with %#lx\n", hrx(probs->aProblem[0].scode));
        ok(probs->aProblem[1].ulIndex == 3 && probs->aProblem[1].scode == MAPI_E_INVALID_TYPE,
           "PT_OBJECT refused with %#lx\n", hrx(probs->aProblem[1].scode));
    }
    host_FreeBuffer(probs);
    hr = m->lpVtbl->SetProps(m, 0, NULL, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "SetProps(NULL): %#lx\n", hrx(hr));
    ok(has_str(p, PR_SUBJECT_W, L"Hello \x00e9t\x00e9"), "subject before saving\n");
    ok(has_str(p, PR_MESSAGE_CLASS_W, L"IPM.Note"), "8-bit class read as Unicode\n");

    /* Body: plain text; compressed RTF is made when read. */
    ok(set_str(p, PR_BODY_W, L"The body\r\nsecond line") == S_OK, "SetProps(PR_BODY)\n");

    hr = m->lpVtbl->SaveChanges(m, 0x80000000);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "SaveChanges(bad flag): %#lx\n", hrx(hr));
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "SaveChanges(KEEP_OPEN_READWRITE): %#lx\n", hrx(hr));
    v = entryid_of(m);
    ok(v && v->Value.bin.cb == 48 && v->Value.bin.lpb[36] == 3,
       "entry ID after saving: %lu bytes\n", v ? (unsigned long)v->Value.bin.cb : 0ul);
    /* KEEP_OPEN_READWRITE again, twice, as Outlook does */
    ok(set_str(p, PR_SUBJECT_W, L"second") == S_OK, "SetProps after the first save\n");
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "second SaveChanges(KEEP_OPEN_READWRITE): %#lx\n", hrx(hr));
    ok(set_str(p, PR_SUBJECT_W, L"third") == S_OK, "SetProps after the second save\n");
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE | FORCE_SAVE);
    ok(hr == S_OK, "third SaveChanges(KEEP_OPEN_READWRITE | FORCE_SAVE): %#lx\n", hrx(hr));
    LPSPropValue v2 = entryid_of(m);
    ok(v && v2 && v2->Value.bin.cb == 48 && memcmp(v->Value.bin.lpb, v2->Value.bin.lpb, 48) == 0,
       "entry ID changed by a later save\n");
    host_FreeBuffer(v2);
    /* KEEP_OPEN_READONLY: no more changes */
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READONLY);
    ok(hr == S_OK, "SaveChanges(KEEP_OPEN_READONLY): %#lx\n", hrx(hr));
    hr = set_str(p, PR_SUBJECT_W, L"fourth");
    ok(hr == MAPI_E_NO_ACCESS, "SetProps after KEEP_OPEN_READONLY: %#lx\n", hrx(hr));
    ok(m->lpVtbl->Release(m) == 0, "message still referenced\n");

    if (!v)
        return;
    /* Reopen read-only: values, computed ones, refused writes. */
    m = open_msg(&v->Value.bin, 0);
    if (m) {
        p = (IMAPIProp *)m;
        ok(has_str(p, PR_SUBJECT_W, L"third"), "subject after reopening\n");
        ok(has_str(p, PR_BODY_W, L"The body\r\nsecond line"), "body after reopening\n");
        ok(get_long(p, PR_ACCESS_LEVEL, -1) == 0, "PR_ACCESS_LEVEL of a read-only open\n");
        hr = set_str(p, PR_SUBJECT_W, L"nope");
        ok(hr == MAPI_E_NO_ACCESS, "SetProps on a read-only message: %#lx\n", hrx(hr));
        hr = m->lpVtbl->SaveChanges(m, 0);
        ok(hr == MAPI_E_NO_ACCESS, "SaveChanges on a read-only message: %#lx\n", hrx(hr));
        SizedSPropTagArray(9, t) = { 9, { PR_RECORD_KEY, PR_INSTANCE_KEY, PR_SEARCH_KEY,
            PR_PARENT_ENTRYID, PR_STORE_ENTRYID, PR_STORE_RECORD_KEY, PR_MESSAGE_SIZE,
            PR_STORE_SUPPORT_MASK, PR_RTF_COMP } };
        ULONG n = 0;
        LPSPropValue all = NULL;
        hr = m->lpVtbl->GetProps(m, (LPSPropTagArray)&t, MAPI_UNICODE, &n, &all);
        ok(hr == S_OK && n == 9, "computed values: %#lx\n", hrx(hr));
        for (ULONG i = 0; all && i < n; i++)
            ok(all[i].ulPropTag == t.aulPropTag[i], "computed value %lu missing: %#lx\n",
               (unsigned long)i, (unsigned long)all[i].ulPropTag);
        if (all && n == 9) {
            ok(all[3].Value.bin.cb == inbox_eid.cb
               && memcmp(all[3].Value.bin.lpb, inbox_eid.lpb, inbox_eid.cb) == 0,
               "PR_PARENT_ENTRYID is not the Inbox\n");
            ok(all[6].Value.l > 0, "PR_MESSAGE_SIZE %ld\n", (long)all[6].Value.l);
            ok(all[8].Value.bin.cb > 16, "PR_RTF_COMPRESSED made on demand: %lu bytes\n",
               (unsigned long)all[8].Value.bin.cb);
        }
        host_FreeBuffer(all);
        /* the list names the RTF too */
        LPSPropTagArray list = NULL;
        hr = m->lpVtbl->GetPropList(m, MAPI_UNICODE, &list);
        int rtf = 0;
        for (ULONG i = 0; list && i < list->cValues; i++)
            rtf |= list->aulPropTag[i] == PR_RTF_COMP;
        ok(hr == S_OK && rtf, "GetPropList: %#lx, RTF listed %d\n", hrx(hr), rtf);
        host_FreeBuffer(list);
        /* the RTF as a stream */
        IStream *st = NULL;
        hr = m->lpVtbl->OpenProperty(m, PR_RTF_COMP, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);
        ok(hr == S_OK && st, "OpenProperty(PR_RTF_COMPRESSED): %#lx\n", hrx(hr));
        if (st) {
            STATSTG stat;
            ok(st->lpVtbl->Stat(st, &stat, STATFLAG_NONAME) == S_OK && stat.cbSize.QuadPart > 16,
               "RTF stream size\n");
            st->lpVtbl->Release(st);
        }
        /* a read-only message refuses a writable stream */
        st = (IStream *)(ULONG_PTR)1;
        hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, 0, MAPI_MODIFY,
            (LPUNKNOWN *)&st);
        ok(hr == MAPI_E_NO_ACCESS && st == NULL, "writable stream on a read-only message: %#lx\n",
           hrx(hr));
        m->lpVtbl->Release(m);
    }
    /* Reopen read-write: the body as a Unicode stream, rewritten; the
     * other bodies follow at SaveChanges. */
    m = open_msg(&v->Value.bin, MAPI_MODIFY);
    if (m) {
        IStream *st = NULL;
        hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);
        ok(hr == S_OK && st, "OpenProperty(PR_BODY_W) read: %#lx\n", hrx(hr));
        if (st) {
            WCHAR buf[64] = { 0 };
            ULONG got = 0;
            st->lpVtbl->Read(st, buf, sizeof buf - 2, &got);
            ok(got == 21 * sizeof(WCHAR) && wcscmp(buf, L"The body\r\nsecond line") == 0,
               "body stream: %lu bytes \"%ls\"\n", (unsigned long)got, buf);
            hr = st->lpVtbl->Write(st, L"x", 2, NULL);
            ok(hr == STG_E_ACCESSDENIED, "Write on a read stream: %#lx\n", hrx(hr));
            st->lpVtbl->Release(st);
        }
        hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, STGM_READWRITE,
            MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&st);
        ok(hr == S_OK && st, "OpenProperty(PR_BODY_W, MAPI_CREATE): %#lx\n", hrx(hr));
        if (st) {
            static const WCHAR text[] = L"Rewritten through a stream";
            ULONG put = 0;
            hr = st->lpVtbl->Write(st, text, sizeof text - sizeof(WCHAR), &put);
            ok(hr == S_OK && put == sizeof text - sizeof(WCHAR), "stream Write: %#lx\n", hrx(hr));
            ok(st->lpVtbl->Commit(st, 0) == S_OK, "stream Commit\n");
            st->lpVtbl->Release(st);
        }
        ok(has_str((IMAPIProp *)m, PR_BODY_W, L"Rewritten through a stream"),
           "body from the stream before saving\n");
        hr = m->lpVtbl->SaveChanges(m, 0);
        ok(hr == S_OK, "SaveChanges of the streamed body: %#lx\n", hrx(hr));
        m->lpVtbl->Release(m);
        m = open_msg(&v->Value.bin, 0);
        if (m) {
            ok(has_str((IMAPIProp *)m, PR_BODY_W, L"Rewritten through a stream"),
               "streamed body after reopening\n");
            LPSPropValue r = get_one((IMAPIProp *)m, PR_RTF_COMP);
            ok(r && r->Value.bin.cb > 16, "RTF made from the new body\n");
            host_FreeBuffer(r);
            m->lpVtbl->Release(m);
        }
    }
    host_FreeBuffer(v);

    /* HTML written: the text follows at SaveChanges. */
    m = new_msg(L"html");
    if (m) {
        static const char html[] = "<html><body><p>Hello <b>HTML</b></p></body></html>";
        SPropValue h;
        h.ulPropTag = PR_HTML_BIN;
        h.Value.bin.cb = sizeof html - 1;
        h.Value.bin.lpb = (BYTE *)html;
        ok(m->lpVtbl->SetProps(m, 1, &h, NULL) == S_OK, "SetProps(PR_HTML)\n");
        ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges(html)\n");
        LPSPropValue b = get_one((IMAPIProp *)m, PR_BODY_W);
        ok(b && wcsstr(b->Value.lpszW, L"Hello") && wcsstr(b->Value.lpszW, L"HTML"),
           "PR_BODY made from PR_HTML: %ls\n", b ? b->Value.lpszW : L"(none)");
        host_FreeBuffer(b);
        m->lpVtbl->Release(m);
    }

    /* Compressed RTF written by the client: the text follows from it. */
    m = new_msg(L"rtf source");
    IMessage *m2 = new_msg(L"rtf written");
    if (m && m2) {
        set_str((IMAPIProp *)m, PR_BODY_W, L"Text that went through RTF");
        LPSPropValue r = get_one((IMAPIProp *)m, PR_RTF_COMP);
        ok(r != NULL, "RTF of a new message, made on demand\n");
        if (r) {
            set_str((IMAPIProp *)m2, PR_BODY_W, L"stale text");
            ok(m2->lpVtbl->SetProps(m2, 1, r, NULL) == S_OK, "SetProps(PR_RTF_COMPRESSED)\n");
            ok(m2->lpVtbl->SaveChanges(m2, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges(rtf)\n");
            LPSPropValue b = get_one((IMAPIProp *)m2, PR_BODY_W);
            ok(b && wcsstr(b->Value.lpszW, L"Text that went through RTF"),
               "PR_BODY made from the written RTF: %ls\n", b ? b->Value.lpszW : L"(none)");
            host_FreeBuffer(b);
            /* the body as 8-bit text, through a stream */
            IStream *st = NULL;
            hr = m2->lpVtbl->OpenProperty(m2, PR_BODY_A, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);
            ok(hr == S_OK && st, "OpenProperty(PR_BODY_A): %#lx\n", hrx(hr));
            if (st) {
                char buf[128] = { 0 };
                ULONG got = 0;
                st->lpVtbl->Read(st, buf, sizeof buf - 1, &got);
                ok(strstr(buf, "Text that went through RTF") != NULL, "8-bit body stream: %s\n",
                   buf);
                st->lpVtbl->Release(st);
            }
            /* a body asked as bytes */
            st = (IStream *)(ULONG_PTR)1;
            hr = m2->lpVtbl->OpenProperty(m2, PROP_TAG(PT_LONG, 0x1000), &IID_IStream, 0, 0,
                (LPUNKNOWN *)&st);
            ok(hr == MAPI_E_INVALID_TYPE && st == NULL, "OpenProperty(PT_LONG): %#lx\n",
               hrx(hr));
        }
        host_FreeBuffer(r);
        /* a value asked with the wrong type */
        SizedSPropTagArray(1, wrong) = { 1, { PROP_TAG(PT_LONG, 0x0037) } };
        ULONG n = 0;
        LPSPropValue w = NULL;
        hr = m2->lpVtbl->GetProps(m2, (LPSPropTagArray)&wrong, 0, &n, &w);
        ok(hr == MAPI_W_ERRORS_RETURNED && w && PROP_TYPE(w->ulPropTag) == PT_ERROR,
           "subject asked as PT_LONG: %#lx\n", hrx(hr));
        host_FreeBuffer(w);
    }
    if (m)
        m->lpVtbl->Release(m);
    if (m2)
        m2->lpVtbl->Release(m2);

    /* Associated contents. */
    hr = inbox->lpVtbl->CreateMessage(inbox, &IID_IMessage, MAPI_ASSOCIATED, &m);
    ok(hr == S_OK && m, "CreateMessage(MAPI_ASSOCIATED): %#lx\n", hrx(hr));
    if (m) {
        set_str((IMAPIProp *)m, PR_MESSAGE_CLASS_W, L"IPM.Configuration.Test");
        ok(m->lpVtbl->SaveChanges(m, 0) == S_OK, "SaveChanges(associated)\n");
        m->lpVtbl->Release(m);
        ok(get_long((IMAPIProp *)inbox, PR_ASSOC_CONTENT_COUNT, 0) == 1,
           "PR_ASSOC_CONTENT_COUNT %ld\n", (long)get_long((IMAPIProp *)inbox,
           PR_ASSOC_CONTENT_COUNT, 0));
    }
}

/* The recipient (recipients 1) or attachment table of m: n rows, one of
 * them with name (PR_DISPLAY_NAME_W / PR_ATTACH_LONG_FILENAME_W) when
 * name is given. */
static void check_table(IMessage *m, int recipients, ULONG n, const WCHAR *name)
{
    LPMAPITABLE t = NULL;
    HRESULT hr = recipients ? m->lpVtbl->GetRecipientTable(m, MAPI_UNICODE, &t)
                            : m->lpVtbl->GetAttachmentTable(m, MAPI_UNICODE, &t);
    ok(hr == S_OK && t, "%s table: %#lx\n", recipients ? "recipient" : "attachment", hrx(hr));
    if (!t)
        return;
    ULONG count = 99;
    hr = t->lpVtbl->GetRowCount(t, 0, &count);
    ok(hr == S_OK && count == n, "%s table: %lu rows, expected %lu\n",
       recipients ? "recipient" : "attachment", (unsigned long)count, (unsigned long)n);
    ULONG key = recipients ? PR_ROWID : PR_ATTACH_NUM;
    ULONG col = recipients ? PR_DISPLAY_NAME_W : PR_ATTACH_LONG_FILENAME_W;
    SizedSPropTagArray(2, cols) = { 2, { key, col } };
    ok(t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0) == S_OK, "SetColumns\n");
    LPSRowSet rows = NULL;
    hr = t->lpVtbl->QueryRows(t, 50, 0, &rows);
    int found = !name;
    for (ULONG i = 0; rows && i < rows->cRows; i++) {
        SPropValue *v = rows->aRow[i].lpProps;
        ok(rows->aRow[i].cValues == 2 && v[0].ulPropTag == key, "row %lu columns\n",
           (unsigned long)i);
        if (name && v[1].ulPropTag == col && wcscmp(v[1].Value.lpszW, name) == 0)
            found = 1;
    }
    ok(hr == S_OK && rows && rows->cRows == n && found, "QueryRows: %#lx, %s found %d\n",
       hrx(hr), recipients ? "recipient" : "attachment", found);
    host_free_rows(rows);
    t->lpVtbl->Release(t);
}

/* ---- recipients */

static void check_recipients(void)
{
    IMessage *m = new_msg(L"recipients");
    if (!m)
        return;
    BYTE buf[sizeof(ADRLIST) + 2 * sizeof(ADRENTRY)];
    ADRLIST *al = (ADRLIST *)buf;
    SPropValue r1[3], r2[3];
    r1[0].ulPropTag = PR_DISPLAY_NAME_W;
    r1[0].Value.lpszW = L"Ann";
    r1[1].ulPropTag = PR_EMAIL_ADDRESS_W;
    r1[1].Value.lpszW = L"ann@example.org";
    r1[2].ulPropTag = PR_RECIPIENT_TYPE;
    r1[2].Value.l = MAPI_TO;
    memcpy(r2, r1, sizeof r1);
    r2[0].Value.lpszW = L"Bob";
    r2[1].Value.lpszW = L"bob@example.org";
    r2[2].Value.l = MAPI_CC;
    al->cEntries = 2;
    al->aEntries[0].cValues = 3;
    al->aEntries[0].rgPropVals = r1;
    al->aEntries[1].cValues = 3;
    al->aEntries[1].rgPropVals = r2;
    HRESULT hr = m->lpVtbl->ModifyRecipients(m, MODRECIP_ADD, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "ModifyRecipients(NULL): %#lx\n", hrx(hr));
    hr = m->lpVtbl->ModifyRecipients(m, MODRECIP_ADD | MODRECIP_REMOVE, al);
    ok(hr == MAPI_E_INVALID_PARAMETER, "ModifyRecipients(ADD|REMOVE): %#lx\n", hrx(hr));
    hr = m->lpVtbl->ModifyRecipients(m, 0x100, al);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "ModifyRecipients(bad flag): %#lx\n", hrx(hr));
    hr = m->lpVtbl->ModifyRecipients(m, MODRECIP_ADD, al);
    ok(hr == S_OK, "ModifyRecipients(ADD): %#lx\n", hrx(hr));
    /* modify row 1 (Bob) by PR_ROWID; remove a row that is not there */
    SPropValue mod[2];
    mod[0].ulPropTag = PR_ROWID;
    mod[0].Value.l = 1;
    mod[1].ulPropTag = PR_DISPLAY_NAME_W;
    mod[1].Value.lpszW = L"Robert";
    al->cEntries = 1;
    al->aEntries[0].cValues = 2;
    al->aEntries[0].rgPropVals = mod;
    hr = m->lpVtbl->ModifyRecipients(m, MODRECIP_MODIFY, al);
    ok(hr == S_OK, "ModifyRecipients(MODIFY): %#lx\n", hrx(hr));
    mod[0].Value.l = 7;
    al->aEntries[0].cValues = 1;
    hr = m->lpVtbl->ModifyRecipients(m, MODRECIP_REMOVE, al);
    ok(hr == MAPI_E_NOT_FOUND, "ModifyRecipients(REMOVE unknown row): %#lx\n", hrx(hr));
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "SaveChanges with recipients: %#lx\n", hrx(hr));
    mod[0].Value.l = 0;
    hr = m->lpVtbl->ModifyRecipients(m, MODRECIP_REMOVE, al);
    ok(hr == S_OK, "ModifyRecipients(REMOVE row 0) after saving: %#lx\n", hrx(hr));
    hr = m->lpVtbl->SaveChanges(m, 0);
    ok(hr == S_OK, "SaveChanges after removing: %#lx\n", hrx(hr));

    check_table(m, 1, 1, L"Robert");
    LPMAPITABLE table = (LPMAPITABLE)(ULONG_PTR)1;
    hr = m->lpVtbl->GetRecipientTable(m, 0x1000, &table);
    ok(hr == MAPI_E_UNKNOWN_FLAGS && table == NULL, "GetRecipientTable(bad flag): %#lx\n",
       hrx(hr));
    hr = m->lpVtbl->GetRecipientTable(m, 0, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "GetRecipientTable(NULL): %#lx\n", hrx(hr));
    /* the same table through OpenProperty, MAPI_UNICODE in the interface options */
    hr = m->lpVtbl->OpenProperty(m, PR_MESSAGE_RECIPIENTS, &IID_IMAPITable, MAPI_UNICODE, 0,
        (LPUNKNOWN *)&table);
    ok(hr == S_OK && table, "OpenProperty(PR_MESSAGE_RECIPIENTS, IMAPITable): %#lx\n", hrx(hr));
    if (hr == S_OK) {
        ULONG rows = 0;
        ok(table->lpVtbl->GetRowCount(table, 0, &rows) == S_OK && rows == 1, "rows: %lu\n",
           (unsigned long)rows);
        table->lpVtbl->Release(table);
    }
    hr = m->lpVtbl->OpenProperty(m, PR_MESSAGE_RECIPIENTS, &IID_IStream, 0, 0,
        (LPUNKNOWN *)&table);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "PR_MESSAGE_RECIPIENTS as IStream: %#lx\n",
       hrx(hr));
    m->lpVtbl->Release(m);
}

/* ---- live recipient and attachment tables (issue 6) */

/* The rows of t from the beginning: the first column's PT_LONG and the
 * second's string into ids / names (up to max); the number of rows. */
static ULONG live_rows(LPMAPITABLE t, LONG *ids, WCHAR names[][16], ULONG max)
{
    LPSRowSet rows = NULL;
    ULONG n = 0;
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL);
    if (t->lpVtbl->QueryRows(t, 50, 0, &rows) != S_OK || !rows)
        return 0;
    for (ULONG i = 0; i < rows->cRows && i < max; i++, n++) {
        SPropValue *v = rows->aRow[i].lpProps;
        ids[i] = PROP_TYPE(v[0].ulPropTag) == PT_LONG ? v[0].Value.l : -1;
        names[i][0] = 0;
        if (rows->aRow[i].cValues > 1 && v[1].ulPropTag == PROP_TAG(PT_UNICODE,
            PROP_ID(v[1].ulPropTag)))
            wcsncpy(names[i], v[1].Value.lpszW, 15), names[i][15] = 0;
    }
    host_free_rows(rows);
    return n;
}

static HRESULT live_modify(IMessage *m, ULONG flags, const WCHAR *name, LONG rowid, LONG type)
{
    BYTE buf[sizeof(ADRLIST) + sizeof(ADRENTRY)];
    ADRLIST *al = (ADRLIST *)buf;
    SPropValue v[4];
    ULONG n = 0;
    if (rowid >= 0) {
        v[n].ulPropTag = PR_ROWID;
        v[n++].Value.l = rowid;
    }
    if (name) {
        v[n].ulPropTag = PR_DISPLAY_NAME_W;
        v[n++].Value.lpszW = (WCHAR *)name;
        v[n].ulPropTag = PR_EMAIL_ADDRESS_W;
        v[n++].Value.lpszW = (WCHAR *)L"x@example.org";
        v[n].ulPropTag = PR_RECIPIENT_TYPE;
        v[n++].Value.l = type;
    }
    al->cEntries = 1;
    al->aEntries[0].ulReserved1 = 0;
    al->aEntries[0].cValues = n;
    al->aEntries[0].rgPropVals = v;
    return m->lpVtbl->ModifyRecipients(m, flags, al);
}

static void check_live_recipients(void)
{
    IMessage *m = new_msg(L"live recipients");
    if (!m)
        return;
    LPMAPITABLE t = NULL, bynm = NULL, cc = NULL;
    test_sink s1, s2, s3;
    ULONG c1 = 0, c2 = 0, c3 = 0, n = 0;
    LONG ids[8];
    WCHAR names[8][16];
    sink_init(&s1);
    sink_init(&s2);
    sink_init(&s3);
    HRESULT hr = m->lpVtbl->GetRecipientTable(m, MAPI_UNICODE, &t);
    ok(hr == S_OK && t, "GetRecipientTable: %#lx\n", hrx(hr));
    m->lpVtbl->GetRecipientTable(m, MAPI_UNICODE, &bynm);
    m->lpVtbl->GetRecipientTable(m, MAPI_UNICODE, &cc);
    if (!t || !bynm || !cc)
        goto done;
    SizedSPropTagArray(3, cols) = { 3, { PR_ROWID, PR_DISPLAY_NAME_W, PR_RECIPIENT_TYPE } };
    t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0);
    bynm->lpVtbl->SetColumns(bynm, (LPSPropTagArray)&cols, 0);
    cc->lpVtbl->SetColumns(cc, (LPSPropTagArray)&cols, 0);
    SizedSSortOrderSet(1, desc) = { 1, 0, 0, { { PR_DISPLAY_NAME_W, TABLE_SORT_DESCEND } } };
    ok(bynm->lpVtbl->SortTable(bynm, (LPSSortOrderSet)&desc, 0) == S_OK, "SortTable\n");
    SPropValue ccv = { PR_RECIPIENT_TYPE, 0, { .l = MAPI_CC } };
    SRestriction res = { RES_PROPERTY, { .resProperty = { RELOP_EQ, PR_RECIPIENT_TYPE, &ccv } } };
    ok(cc->lpVtbl->Restrict(cc, &res, 0) == S_OK, "Restrict\n");
    t->lpVtbl->Advise(t, fnevTableModified, &s1.iface, &c1);
    bynm->lpVtbl->Advise(bynm, fnevTableModified, &s2.iface, &c2);
    cc->lpVtbl->Advise(cc, fnevTableModified, &s3.iface, &c3);

    /* MODRECIP_ADD: rows added */
    ok(live_modify(m, MODRECIP_ADD, L"Ann", -1, MAPI_TO) == S_OK
       && live_modify(m, MODRECIP_ADD, L"Bob", -1, MAPI_CC) == S_OK, "ModifyRecipients(ADD)\n");
    ok(s1.n == 2 && s1.last_event == TABLE_ROW_ADDED && s1.last_rowid == 1,
       "ADD: %ld notifications, last %lu row %ld\n", (long)s1.n, (unsigned long)s1.last_event,
       (long)s1.last_rowid);
    ok(s3.n == 1, "restricted view told of %ld\n", (long)s3.n);
    ok(live_rows(t, ids, names, 8) == 2 && ids[0] == 0 && wcscmp(names[1], L"Bob") == 0,
       "rows after ADD\n");
    ok(live_rows(bynm, ids, names, 8) == 2 && wcscmp(names[0], L"Bob") == 0,
       "sorted rows after ADD: %ls first\n", names[0]);

    /* MODRECIP_MODIFY: the row modified; the sorted view reorders */
    s1.n = s2.n = s3.n = 0;
    ok(live_modify(m, MODRECIP_MODIFY, L"Aaron", 1, MAPI_CC) == S_OK, "ModifyRecipients(MODIFY)\n");
    ok(s1.n == 1 && s1.last_event == TABLE_ROW_MODIFIED && s1.last_rowid == 1,
       "MODIFY: %ld, last %lu\n", (long)s1.n, (unsigned long)s1.last_event);
    ok(s2.n == 1 && s2.last_event == TABLE_ROW_MODIFIED, "sorted MODIFY: %ld\n", (long)s2.n);
    ok(live_rows(bynm, ids, names, 8) == 2 && wcscmp(names[0], L"Ann") == 0
       && wcscmp(names[1], L"Aaron") == 0, "sorted view order after MODIFY: %ls %ls\n",
       names[0], names[1]);
    ok(live_rows(cc, ids, names, 8) == 1 && ids[0] == 1, "restricted view after MODIFY\n");

    /* MODRECIP_REMOVE: the row deleted; the cursor on it goes to the next */
    s1.n = 0;
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL);
    ok(live_modify(m, MODRECIP_REMOVE, NULL, 0, 0) == S_OK, "ModifyRecipients(REMOVE)\n");
    ok(s1.n == 1 && s1.last_event == TABLE_ROW_DELETED, "REMOVE: %ld, last %lu\n",
       (long)s1.n, (unsigned long)s1.last_event);
    ULONG row = 9, num = 0, den = 0;
    ok(t->lpVtbl->QueryPosition(t, &row, &num, &den) == S_OK && row == 0 && den == 1,
       "position after REMOVE: %lu of %lu\n", (unsigned long)row, (unsigned long)den);

    /* 0: every recipient replaced, TABLE_CHANGED */
    s1.n = s2.n = s3.n = 0;
    ok(live_modify(m, 0, L"Carl", -1, MAPI_TO) == S_OK
       && live_modify(m, MODRECIP_ADD, L"Dora", -1, MAPI_CC) == S_OK, "ModifyRecipients(0)\n");
    ok(s1.n == 2 && s2.n == 2 && s3.n == 2 && s3.last_event == TABLE_ROW_ADDED,
       "replace: %ld %ld %ld\n", (long)s1.n, (long)s2.n, (long)s3.n);
    ok(live_rows(t, ids, names, 8) == 2 && wcscmp(names[0], L"Carl") == 0, "rows after replace\n");
    BYTE dora[4];
    memcpy(dora, s1.last_key, 4);

    /* SaveChanges: nothing the user would not see changes */
    s1.n = s2.n = s3.n = 0;
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges\n");
    ok(s1.n == 0 && s2.n == 0 && s3.n == 0, "SaveChanges notified %ld %ld %ld\n", (long)s1.n,
       (long)s2.n, (long)s3.n);
    ok(live_rows(t, ids, names, 8) == 2 && ids[0] == 0 && ids[1] == 1
       && wcscmp(names[1], L"Dora") == 0, "rows after SaveChanges\n");
    /* a gap closed by storage at the next save: Dora is row 0 then */
    live_modify(m, MODRECIP_REMOVE, NULL, 0, 0);
    s1.n = 0;
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges 2\n");
    ok(s1.n == 1 && s1.last_event == TABLE_ROW_MODIFIED && s1.last_rowid == 0
       && memcmp(s1.last_key, dora, 4) == 0, "renumbered by the save: %ld, last %lu row %ld\n",
       (long)s1.n, (unsigned long)s1.last_event, (long)s1.last_rowid);
    ok(live_rows(t, ids, names, 8) == 1 && ids[0] == 0 && wcscmp(names[0], L"Dora") == 0,
       "rows after a renumbering save: %ld %ls\n", (long)ids[0], names[0]);
    ok(live_modify(m, MODRECIP_MODIFY, L"Dorothy", ids[0], MAPI_CC) == S_OK
       && live_rows(cc, ids, names, 8) == 1 && wcscmp(names[0], L"Dorothy") == 0,
       "MODIFY by the row ID the table shows\n");

    /* A table released after the message: it keeps the rows it had. */
    m->lpVtbl->Release(m);
    m = NULL;
    ok(t->lpVtbl->GetRowCount(t, 0, &n) == S_OK && n == 1, "rows after the message went: %lu\n",
       (unsigned long)n);
    ok(live_rows(bynm, ids, names, 8) == 1 && wcscmp(names[0], L"Dorothy") == 0,
       "row after the message went\n");
done:
    if (m)
        m->lpVtbl->Release(m);
    if (cc)
        cc->lpVtbl->Release(cc);
    if (bynm)
        bynm->lpVtbl->Release(bynm);
    if (t)
        t->lpVtbl->Release(t);
    ok(s1.refs == 1 && s2.refs == 1 && s3.refs == 1, "sinks not released\n");
}

static IAttach *live_attach(IMessage *m, const WCHAR *file, ULONG *num)
{
    IAttach *a = NULL;
    HRESULT hr = m->lpVtbl->CreateAttach(m, NULL, 0, num, &a);
    ok(hr == S_OK && a, "CreateAttach: %#lx\n", hrx(hr));
    if (a) {
        set_long((IMAPIProp *)a, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
        set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, file);
    }
    return a;
}

static void check_live_attachments(void)
{
    IMessage *m = new_msg(L"live attachments");
    if (!m)
        return;
    LPMAPITABLE t = NULL;
    test_sink s1;
    ULONG c1 = 0, n1 = 0, n2 = 0, n = 9;
    LONG ids[8];
    WCHAR names[8][16];
    BYTE key[4] = { 0 };
    sink_init(&s1);
    HRESULT hr = m->lpVtbl->GetAttachmentTable(m, MAPI_UNICODE, &t);
    ok(hr == S_OK && t, "GetAttachmentTable: %#lx\n", hrx(hr));
    if (!t) {
        m->lpVtbl->Release(m);
        return;
    }
    SizedSPropTagArray(4, cols) = { 4, { PR_ATTACH_NUM, PR_ATTACH_LONG_FILENAME_W,
        PR_ATTACH_METHOD, PR_ATTACH_SIZE } };
    t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0);
    t->lpVtbl->Advise(t, fnevTableModified, &s1.iface, &c1);

    /* CreateAttach and unsaved changes do not show; IAttach::SaveChanges does */
    IAttach *a = live_attach(m, L"one.txt", &n1);
    ok(s1.n == 0 && t->lpVtbl->GetRowCount(t, 0, &n) == S_OK && n == 0,
       "an unsaved attachment shows: %ld, %lu rows\n", (long)s1.n, (unsigned long)n);
    if (a) {
        ok(a->lpVtbl->SaveChanges(a, KEEP_OPEN_READWRITE) == S_OK, "IAttach::SaveChanges\n");
        ok(s1.n == 1 && s1.last_event == TABLE_ROW_ADDED && s1.last_rowid == (LONG)n1
           && s1.last_cvalues == 4, "attachment saved: %ld, last %lu row %ld\n", (long)s1.n,
           (unsigned long)s1.last_event, (long)s1.last_rowid);
        memcpy(key, s1.last_key, 4);
        ok(live_rows(t, ids, names, 8) == 1 && wcscmp(names[0], L"one.txt") == 0,
           "row of the saved attachment\n");
        /* a property change shows once saved */
        set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"uno.txt");
        ok(s1.n == 1, "an unsaved change notified\n");
        ok(a->lpVtbl->SaveChanges(a, KEEP_OPEN_READWRITE) == S_OK, "IAttach::SaveChanges 2\n");
        ok(s1.n == 2 && s1.last_event == TABLE_ROW_MODIFIED && memcmp(s1.last_key, key, 4) == 0,
           "attachment change: %ld, last %lu\n", (long)s1.n, (unsigned long)s1.last_event);
        ok(live_rows(t, ids, names, 8) == 1 && wcscmp(names[0], L"uno.txt") == 0,
           "row after the change: %ls\n", names[0]);
        a->lpVtbl->Release(a);
    }
    IAttach *b = live_attach(m, L"two.txt", &n2);
    if (b) {
        b->lpVtbl->SaveChanges(b, 0);
        b->lpVtbl->Release(b);
    }
    ok(s1.n == 3 && s1.last_event == TABLE_ROW_ADDED, "second attachment: %ld\n", (long)s1.n);
    /* DeleteAttach: the row deleted */
    ok(m->lpVtbl->DeleteAttach(m, n1, 0, NULL, 0) == S_OK, "DeleteAttach\n");
    ok(s1.n == 4 && s1.last_event == TABLE_ROW_DELETED && memcmp(s1.last_key, key, 4) == 0,
       "DeleteAttach: %ld, last %lu\n", (long)s1.n, (unsigned long)s1.last_event);
    ok(live_rows(t, ids, names, 8) == 1 && ids[0] == (LONG)n2, "rows after DeleteAttach\n");
    BYTE key2[4];
    memcpy(key2, s1.last_prior, 4);   /* unused when it was first */
    t->lpVtbl->SeekRow(t, BOOKMARK_BEGINNING, 0, NULL);
    LPSRowSet rows = NULL;
    SizedSPropTagArray(2, kc) = { 2, { PR_ATTACH_NUM, PR_INSTANCE_KEY } };
    t->lpVtbl->SetColumns(t, (LPSPropTagArray)&kc, 0);
    if (t->lpVtbl->QueryRows(t, 1, TBL_NOADVANCE, &rows) == S_OK && rows->cRows == 1)
        memcpy(key2, rows->aRow[0].lpProps[1].Value.bin.lpb, 4);
    host_free_rows(rows);
    t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0);

    /* IMessage::SaveChanges: storage numbers the attachment; the row stays */
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges\n");
    ok(live_rows(t, ids, names, 8) == 1 && wcscmp(names[0], L"two.txt") == 0,
       "rows after SaveChanges\n");
    ok(s1.n == 4 || (s1.n == 5 && s1.last_event == TABLE_ROW_MODIFIED
       && memcmp(s1.last_key, key2, 4) == 0), "SaveChanges: %ld, last %lu\n", (long)s1.n,
       (unsigned long)s1.last_event);
    printf("live attachment table: number %lu saved as %ld, %ld notifications at SaveChanges\n",
        (unsigned long)n2, (long)ids[0], (long)s1.n - 4);
    IAttach *x = NULL;
    ok(m->lpVtbl->OpenAttach(m, (ULONG)ids[0], NULL, 0, &x) == S_OK && x
       && has_str((IMAPIProp *)x, PR_ATTACH_LONG_FILENAME_W, L"two.txt"),
       "OpenAttach by the number the table shows (%ld)\n", (long)ids[0]);
    if (x)
        x->lpVtbl->Release(x);
    /* a saved attachment changed, then deleted */
    s1.n = 0;
    x = NULL;
    ok(m->lpVtbl->OpenAttach(m, (ULONG)ids[0], NULL, MAPI_MODIFY, &x) == S_OK && x,
       "OpenAttach(MAPI_MODIFY)\n");
    if (x) {
        set_str((IMAPIProp *)x, PR_ATTACH_LONG_FILENAME_W, L"dos.txt");
        ok(x->lpVtbl->SaveChanges(x, 0) == S_OK, "IAttach::SaveChanges of a saved one\n");
        x->lpVtbl->Release(x);
    }
    ok(s1.n == 1 && s1.last_event == TABLE_ROW_MODIFIED && live_rows(t, ids, names, 8) == 1
       && wcscmp(names[0], L"dos.txt") == 0, "saved attachment changed: %ld, %ls\n",
       (long)s1.n, names[0]);
    ok(m->lpVtbl->DeleteAttach(m, (ULONG)ids[0], 0, NULL, 0) == S_OK && s1.n == 2
       && s1.last_event == TABLE_ROW_DELETED, "saved attachment deleted: %ld\n", (long)s1.n);
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK && s1.n == 2
       && t->lpVtbl->GetRowCount(t, 0, &n) == S_OK && n == 0,
       "SaveChanges after the deletion: %ld, %lu rows\n", (long)s1.n, (unsigned long)n);
    /* the table released after the message */
    b = live_attach(m, L"three.txt", &n2);
    if (b) {
        b->lpVtbl->SaveChanges(b, 0);
        b->lpVtbl->Release(b);
    }
    m->lpVtbl->Release(m);
    ok(t->lpVtbl->GetRowCount(t, 0, &n) == S_OK && n == 1, "rows after the message went\n");
    ok(live_rows(t, ids, names, 8) == 1 && wcscmp(names[0], L"three.txt") == 0,
       "row after the message went\n");
    t->lpVtbl->Release(t);
    ok(s1.refs == 1, "sink not released\n");
}

/* ---- attachments, a stream, an embedded message */

/* Attachments created across saves of one message object (KEEP_OPEN):
 * each open attachment object stays the attachment it was made as, though
 * storage numbers them anew at every save. */
static void check_attach_numbers_across_saves(void)
{
    IMessage *m = new_msg(L"numbers across saves");
    if (!m)
        return;
    ULONG na = 0, nb = 0;
    IAttach *a = live_attach(m, L"first.txt", &na);
    ok(a && a->lpVtbl->SaveChanges(a, KEEP_OPEN_READWRITE) == S_OK, "first attachment saved\n");
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "first save\n");
    /* a is not called between the saves: it learns its number late */
    IAttach *b = live_attach(m, L"second.txt", &nb);
    ok(b && b->lpVtbl->SaveChanges(b, KEEP_OPEN_READWRITE) == S_OK, "second attachment saved\n");
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "second save\n");
    ok(b && has_str((IMAPIProp *)b, PR_ATTACH_LONG_FILENAME_W, L"second.txt"),
       "the second attachment object still shows the second attachment\n");
    ok(a && has_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"first.txt"),
       "the first attachment object still shows the first attachment\n");
    LONG an = a ? get_long((IMAPIProp *)a, PR_ATTACH_NUM, -1) : -1;
    LONG bn = b ? get_long((IMAPIProp *)b, PR_ATTACH_NUM, -1) : -1;
    ok(an >= 0 && bn >= 0 && an != bn, "two numbers: %ld and %ld\n", (long)an, (long)bn);
    if (a)
        a->lpVtbl->Release(a);
    if (b)
        b->lpVtbl->Release(b);
    m->lpVtbl->Release(m);
}

static void write_stream(IStream *st, size_t total, size_t piece)
{
    BYTE *buf = malloc(piece);
    size_t done = 0;
    HRESULT hr = S_OK;
    while (buf && hr == S_OK && done < total) {
        size_t n = total - done < piece ? total - done : piece;
        fill_pattern(buf, n, done);
        ULONG put = 0;
        hr = st->lpVtbl->Write(st, buf, (ULONG)n, &put);
        done += put;
    }
    ok(hr == S_OK && done == total, "stream Write: %#lx after %lu bytes\n", hrx(hr),
       (unsigned long)done);
    free(buf);
}

static int read_back(IStream *st, size_t total, size_t piece)
{
    BYTE *buf = malloc(piece), *want = malloc(piece);
    size_t done = 0;
    int same = buf && want;
    while (same && done < total) {
        ULONG got = 0;
        if (st->lpVtbl->Read(st, buf, (ULONG)piece, &got) != S_OK || !got)
            break;
        fill_pattern(want, got, done);
        same = memcmp(buf, want, got) == 0;
        done += got;
    }
    free(buf);
    free(want);
    return same && done == total;
}

static void check_attachments(void)
{
    IMessage *m = new_msg(L"attachments");
    if (!m)
        return;
    ULONG num = 99;
    IAttach *a = NULL;
    HRESULT hr = m->lpVtbl->CreateAttach(m, NULL, 0, NULL, &a);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CreateAttach(NULL num): %#lx\n", hrx(hr));
    hr = m->lpVtbl->CreateAttach(m, &IID_IMessage, 0, &num, &a);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CreateAttach(IMessage): %#lx\n", hrx(hr));
    hr = m->lpVtbl->CreateAttach(m, NULL, 0, &num, &a);
    ok(hr == S_OK && a, "CreateAttach: %#lx\n", hrx(hr));
    if (!a) {
        m->lpVtbl->Release(m);
        return;
    }
    set_long((IMAPIProp *)a, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"data.bin");
    ok(get_long((IMAPIProp *)a, PR_ATTACH_NUM, -1) == (LONG)num, "PR_ATTACH_NUM\n");
    ok(get_long((IMAPIProp *)a, PR_OBJECT_TYPE, 0) == MAPI_ATTACH, "attachment PR_OBJECT_TYPE\n");
    IStream *st = (IStream *)(ULONG_PTR)1;
    hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IMessage, 0, MAPI_CREATE,
        (LPUNKNOWN *)&st);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED && st == NULL, "OpenProperty(IMessage on binary): %#lx\n",
       hrx(hr));
    hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_LONG_FILENAME_W & ~0xFFFFu, &IID_IStream, 0,
        MAPI_CREATE, (LPUNKNOWN *)&st);
    ok(hr == MAPI_E_INVALID_TYPE, "OpenProperty(PT_UNSPECIFIED): %#lx\n", hrx(hr));
    hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);
    ok(hr == MAPI_E_NOT_FOUND, "OpenProperty of a missing value: %#lx\n", hrx(hr));
    hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, STGM_CREATE | STGM_WRITE,
        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&st);
    ok(hr == S_OK && st, "OpenProperty(PR_ATTACH_DATA_BIN, MAPI_CREATE): %#lx\n", hrx(hr));
    if (st) {
        write_stream(st, 100000, 4096);
        ULARGE_INTEGER size;
        LARGE_INTEGER zero = { { 0, 0 } };
        size.QuadPart = 0;
        ok(st->lpVtbl->Seek(st, zero, STREAM_SEEK_END, &size) == S_OK && size.QuadPart == 100000,
           "Seek(END): %lu\n", (unsigned long)size.QuadPart);
        ok(st->lpVtbl->Seek(st, zero, 7, NULL) == STG_E_INVALIDFUNCTION, "Seek(bad origin)\n");
        IStream *clone = (IStream *)(ULONG_PTR)1;
        ok(st->lpVtbl->Clone(st, &clone) == STG_E_INVALIDFUNCTION && clone == NULL,
           "Clone refused\n");
        ok(st->lpVtbl->Read(st, NULL, 4, NULL) == STG_E_INVALIDPOINTER, "Read(NULL)\n");
        ok(st->lpVtbl->Commit(st, 0) == S_OK, "Commit\n");
        st->lpVtbl->Release(st);
    }
    LONG size = get_long((IMAPIProp *)a, PR_ATTACH_SIZE, 0);
    ok(size >= 100000, "PR_ATTACH_SIZE %ld\n", (long)size);
    hr = a->lpVtbl->SaveChanges(a, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "IAttach::SaveChanges: %#lx\n", hrx(hr));
    /* no embedded message on a data attachment yet, and none made without
     * MAPI_CREATE */
    IMessage *emb = (IMessage *)(ULONG_PTR)1;
    hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0, (LPUNKNOWN *)&emb);
    ok(hr == MAPI_E_NOT_FOUND && emb == NULL, "embedded message not there: %#lx\n", hrx(hr));
    hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IStorage, 0, 0, (LPUNKNOWN *)&emb);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "PR_ATTACH_DATA_OBJ as IStorage: %#lx\n", hrx(hr));
    a->lpVtbl->Release(a);
    ok(get_long((IMAPIProp *)m, PR_HASATTACH, 0) != 0, "PR_HASATTACH before saving\n");

    /* an embedded-message attachment */
    ULONG enr = 0;
    hr = m->lpVtbl->CreateAttach(m, NULL, 0, &enr, &a);
    ok(hr == S_OK && a && enr != num, "second CreateAttach: %#lx (%lu)\n", hrx(hr),
       (unsigned long)enr);
    if (a) {
        set_long((IMAPIProp *)a, PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG);
        /* Outlook's way: the embedded message made before anything is saved */
        emb = NULL;
        hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
            MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&emb);
        ok(hr == S_OK && emb, "embedded message of a new attachment: %#lx\n", hrx(hr));
        if (emb) {
            set_str((IMAPIProp *)emb, PR_SUBJECT_W, L"inner pending");
            ULONG inner = 0;
            IAttach *ia = NULL;
            emb->lpVtbl->CreateAttach(emb, NULL, 0, &inner, &ia);
            if (ia) {
                SPropValue bin;
                bin.ulPropTag = PR_ATTACH_DATA_BIN;
                bin.Value.bin.cb = 5;
                bin.Value.bin.lpb = (BYTE *)"hello";
                ok(ia->lpVtbl->SetProps(ia, 1, &bin, NULL) == S_OK, "nested attachment data\n");
                ok(ia->lpVtbl->SaveChanges(ia, 0) == S_OK, "nested IAttach::SaveChanges\n");
                ia->lpVtbl->Release(ia);
            }
            ok(emb->lpVtbl->SaveChanges(emb, KEEP_OPEN_READWRITE) == S_OK,
               "pending embedded SaveChanges\n");
            ok(has_str((IMAPIProp *)emb, PR_SUBJECT_W, L"inner pending"),
               "pending embedded still shows its values\n");
            emb->lpVtbl->Release(emb);
        }
        ok(a->lpVtbl->SaveChanges(a, 0) == S_OK, "SaveChanges of the embedded attachment\n");
        a->lpVtbl->Release(a);
    }
    check_table(m, 0, 2, L"data.bin");
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "SaveChanges with attachments: %#lx\n", hrx(hr));
    check_table(m, 0, 2, L"data.bin");
    LONG mf = get_long((IMAPIProp *)m, PR_MESSAGE_FLAGS, 0);
    ok(get_long((IMAPIProp *)m, PR_HASATTACH, 0) && (mf & MSGFLAG_HASATTACH),
       "PR_HASATTACH / MSGFLAG_HASATTACH after saving: %#lx\n", (unsigned long)mf);

    /* the numbers storage gave them, then the data read back */
    LPSPropValue eid = entryid_of(m);
    m->lpVtbl->Release(m);
    if (!eid)
        return;
    m = open_msg(&eid->Value.bin, MAPI_BEST_ACCESS);
    if (!m) {
        host_FreeBuffer(eid);
        return;
    }
    ULONG data_num = ~0u, emb_num = ~0u;
    for (ULONG k = 0; k < 8; k++) {
        IAttach *x = NULL;
        if (m->lpVtbl->OpenAttach(m, k, NULL, 0, &x) != S_OK)
            continue;
        LONG method = get_long((IMAPIProp *)x, PR_ATTACH_METHOD, 0);
        if (method == ATTACH_BY_VALUE)
            data_num = k;
        else if (method == ATTACH_EMBEDDED_MSG)
            emb_num = k;
        x->lpVtbl->Release(x);
    }
    ok(data_num != ~0u && emb_num != ~0u, "attachments after saving: %lu %lu\n",
       (unsigned long)data_num, (unsigned long)emb_num);
    a = (IAttach *)(ULONG_PTR)1;
    hr = m->lpVtbl->OpenAttach(m, 4000, NULL, 0, &a);
    ok(hr == MAPI_E_NOT_FOUND && a == NULL, "OpenAttach(unknown): %#lx\n", hrx(hr));
    hr = m->lpVtbl->OpenAttach(m, data_num, &IID_IMessage, 0, &a);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "OpenAttach(IMessage): %#lx\n", hrx(hr));
    hr = m->lpVtbl->OpenAttach(m, data_num, &IID_IAttachment, 0, &a);
    ok(hr == S_OK && a, "OpenAttach: %#lx\n", hrx(hr));
    if (a) {
        ok(has_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"data.bin"), "file name\n");
        hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
            (LPUNKNOWN *)&st);
        ok(hr == S_OK && st, "OpenProperty(PR_ATTACH_DATA_BIN) read: %#lx\n", hrx(hr));
        if (st) {
            STATSTG stat;
            ok(st->lpVtbl->Stat(st, &stat, STATFLAG_NONAME) == S_OK
               && stat.cbSize.QuadPart == 100000, "Stat size %lu\n",
               (unsigned long)stat.cbSize.QuadPart);
            ok(read_back(st, 100000, 3000), "attachment data read back differs\n");
            st->lpVtbl->Release(st);
        }
        hr = set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"x");
        ok(hr == MAPI_E_NO_ACCESS, "SetProps on a read-only attachment: %#lx\n", hrx(hr));
        a->lpVtbl->Release(a);
    }
    /* the embedded message, made now that its attachment is saved */
    hr = m->lpVtbl->OpenAttach(m, emb_num, NULL, MAPI_MODIFY, &a);
    ok(hr == S_OK && a, "OpenAttach(embedded, MAPI_MODIFY): %#lx\n", hrx(hr));
    if (a) {
        hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
            MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&emb);
        ok(hr == S_OK && emb, "OpenProperty(PR_ATTACH_DATA_OBJ, IMessage): %#lx\n", hrx(hr));
        if (emb) {
            ok(has_str((IMAPIProp *)emb, PR_SUBJECT_W, L"inner pending"),
               "embedded message written with its top message\n");
            check_table(emb, 0, 1, NULL);
            IAttach *ia = NULL;
            LPSPropValue d = NULL;
            for (ULONG k = 0; k < 4 && !ia; k++)
                emb->lpVtbl->OpenAttach(emb, k, NULL, 0, &ia);
            if (ia)
                d = get_one((IMAPIProp *)ia, PR_ATTACH_DATA_BIN);
            ok(d && d->Value.bin.cb == 5 && memcmp(d->Value.bin.lpb, "hello", 5) == 0,
               "nested attachment of the embedded message\n");
            host_FreeBuffer(d);
            if (ia)
                ia->lpVtbl->Release(ia);
            ok(set_str((IMAPIProp *)emb, PR_SUBJECT_W, L"inner") == S_OK, "embedded SetProps\n");
            ok(emb->lpVtbl->SaveChanges(emb, 0) == S_OK, "embedded SaveChanges\n");
            LPSPropValue e2 = entryid_of(emb);
            ok(e2 == NULL, "an embedded message has an entry ID\n");
            host_FreeBuffer(e2);
            emb->lpVtbl->Release(emb);
        }
        a->lpVtbl->Release(a);
    }
    hr = m->lpVtbl->OpenAttach(m, emb_num, NULL, 0, &a);
    if (hr == S_OK && a) {
        emb = NULL;
        hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
            (LPUNKNOWN *)&emb);
        ok(hr == S_OK && emb && has_str((IMAPIProp *)emb, PR_SUBJECT_W, L"inner"),
           "embedded message read back: %#lx\n", hrx(hr));
        if (emb) {
            hr = set_str((IMAPIProp *)emb, PR_SUBJECT_W, L"no");
            ok(hr == MAPI_E_NO_ACCESS, "read-only embedded SetProps: %#lx\n", hrx(hr));
            emb->lpVtbl->Release(emb);
        }
        a->lpVtbl->Release(a);
    }
    /* CopyTo a new message takes the embedded message along */
    IMessage *cp = new_msg(NULL);
    if (cp) {
        hr = m->lpVtbl->CopyTo(m, 0, NULL, NULL, 0, NULL, &IID_IMessage, cp, 0, NULL);
        ok(hr == S_OK, "CopyTo with an embedded message: %#lx\n", hrx(hr));
        ok(cp->lpVtbl->SaveChanges(cp, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges of the copy\n");
        int seen = 0;
        for (ULONG k = 0; k < 8; k++) {
            IAttach *x = NULL;
            if (cp->lpVtbl->OpenAttach(cp, k, NULL, 0, &x) != S_OK)
                continue;
            IMessage *inner = NULL;
            if (get_long((IMAPIProp *)x, PR_ATTACH_METHOD, 0) == ATTACH_EMBEDDED_MSG
                && x->lpVtbl->OpenProperty(x, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
                    (LPUNKNOWN *)&inner) == S_OK) {
                seen = has_str((IMAPIProp *)inner, PR_SUBJECT_W, L"inner");
                inner->lpVtbl->Release(inner);
            }
            x->lpVtbl->Release(x);
        }
        ok(seen, "the copy's embedded message\n");
        cp->lpVtbl->Release(cp);
    }

    /* DeleteAttach */
    hr = m->lpVtbl->DeleteAttach(m, 4000, 0, NULL, 0);
    ok(hr == MAPI_E_NOT_FOUND, "DeleteAttach(unknown): %#lx\n", hrx(hr));
    hr = m->lpVtbl->DeleteAttach(m, data_num, 0, NULL, 0);
    ok(hr == S_OK, "DeleteAttach: %#lx\n", hrx(hr));
    hr = m->lpVtbl->OpenAttach(m, data_num, NULL, 0, &a);
    ok(hr == MAPI_E_NOT_FOUND, "OpenAttach of a deleted attachment: %#lx\n", hrx(hr));
    hr = m->lpVtbl->DeleteAttach(m, emb_num, 0, NULL, 0);
    ok(hr == S_OK, "DeleteAttach(embedded): %#lx\n", hrx(hr));
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges after DeleteAttach\n");
    ok(get_long((IMAPIProp *)m, PR_HASATTACH, 1) == 0, "PR_HASATTACH after deleting both\n");
    check_table(m, 0, 0, NULL);
    m->lpVtbl->Release(m);
    host_FreeBuffer(eid);

    /* An attachment kept open across its message's SaveChanges, after one
     * created and dropped: it goes on as the one storage numbered. */
    m = new_msg(L"open across a save");
    if (!m)
        return;
    ULONG dropped = 0, kept = 0;
    IAttach *x = NULL;
    m->lpVtbl->CreateAttach(m, NULL, 0, &dropped, &x);
    if (x)
        x->lpVtbl->Release(x);   /* never saved */
    a = NULL;
    m->lpVtbl->CreateAttach(m, NULL, 0, &kept, &a);
    if (a) {
        set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"first.txt");
        ok(a->lpVtbl->SaveChanges(a, KEEP_OPEN_READWRITE) == S_OK, "attachment saved\n");
        ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "message saved\n");
        set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"second.txt");
        ok(a->lpVtbl->SaveChanges(a, KEEP_OPEN_READWRITE) == S_OK, "attachment saved again\n");
        ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "message saved again\n");
        ok(has_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"second.txt"),
           "the open attachment after both saves\n");
        a->lpVtbl->Release(a);
    }
    check_table(m, 0, 1, L"second.txt");
    m->lpVtbl->Release(m);
}

/* A read-only PT_UNICODE stream over a saved body (converted from UTF-8 as
 * it is read, stream.c): sizes, odd pieces, seeks back and forth across
 * its windows, characters of 1 to 4 UTF-8 bytes (a surrogate pair). */
static void check_text_stream(void)
{
    enum { N = 12000 };
    static WCHAR body[N + 1];
    static const WCHAR pieces[] = L"plain words \x00e9" L"t\x00e9 \x20ac" L"5 \xd83d\xde00" L" end\r\n";
    size_t np = wcslen(pieces);
    for (size_t i = 0; i < N; i++)
        body[i] = pieces[i % np];
    if (body[N - 1] >= 0xD800 && body[N - 1] <= 0xDBFF)
        body[N - 1] = L'.';   /* no half pair at the end */
    IMessage *m = new_msg(L"text stream");
    if (!m)
        return;
    /* a stream written and not saved yet reads back (over its spool) */
    IStream *w = NULL, *r = NULL;
    m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, STGM_READWRITE,
        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&w);
    if (w) {
        w->lpVtbl->Write(w, L"pending", 14, NULL);
        w->lpVtbl->Commit(w, 0);
        w->lpVtbl->Release(w);
    }
    HRESULT hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, 0, 0, (LPUNKNOWN *)&r);
    if (r) {
        WCHAR buf[16] = { 0 };
        ULONG n = 0;
        r->lpVtbl->Read(r, buf, sizeof buf - 2, &n);
        ok(n == 14 && wcscmp(buf, L"pending") == 0, "pending stream read: %lu \"%ls\"\n",
           (unsigned long)n, buf);
        r->lpVtbl->Release(r);
    }
    ok(hr == S_OK && r, "OpenProperty(pending body): %#lx\n", hrx(hr));
    ok(set_str((IMAPIProp *)m, PR_BODY_W, body) == S_OK, "SetProps(long body)\n");
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges(long body)\n");
    LPSPropValue eid = entryid_of(m);
    m->lpVtbl->Release(m);
    m = eid ? open_msg(&eid->Value.bin, 0) : NULL;
    IStream *st = NULL;
    hr = m ? m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, 0, 0,
        (LPUNKNOWN *)&st) : E_FAIL;
    ok(hr == S_OK && st, "OpenProperty(long body): %#lx\n", hrx(hr));
    if (st) {
        static BYTE got[(N + 8) * 2];
        const BYTE *want = (const BYTE *)body;
        STATSTG stat;
        ok(st->lpVtbl->Stat(st, &stat, STATFLAG_NONAME) == S_OK
           && stat.cbSize.QuadPart == N * 2, "text stream size %lu\n",
           (unsigned long)stat.cbSize.QuadPart);
        ULONG total = 0, n = 0;
        while (st->lpVtbl->Read(st, got + total, 333, &n) == S_OK && n)
            total += n;   /* odd pieces: halves of units and of pairs */
        ok(total == N * 2 && memcmp(got, want, total) == 0, "text read in pieces: %lu bytes\n",
           (unsigned long)total);
        static const ULONG at[] = { 9001, 3, 20001, 8192, 0, N * 2 - 5 };
        for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
            LARGE_INTEGER li;
            ULARGE_INTEGER np2;
            li.QuadPart = at[i];
            st->lpVtbl->Seek(st, li, STREAM_SEEK_SET, &np2);
            n = 0;
            st->lpVtbl->Read(st, got, 1001, &n);
            ULONG expect = N * 2 - at[i] < 1001 ? N * 2 - at[i] : 1001;
            ok(n == expect && memcmp(got, want + at[i], n) == 0, "text read at %lu: %lu bytes\n",
               (unsigned long)at[i], (unsigned long)n);
        }
        LARGE_INTEGER zero;
        zero.QuadPart = 0;
        st->lpVtbl->Seek(st, zero, STREAM_SEEK_END, NULL);
        n = 1;
        ok(st->lpVtbl->Read(st, got, 10, &n) == S_OK && n == 0, "text read at the end: %lu\n",
           (unsigned long)n);
        st->lpVtbl->Release(st);
    }
    if (m)
        m->lpVtbl->Release(m);
    host_FreeBuffer(eid);
}

/* A 50 MB attachment written through IStream, saved, read back; the
 * process's peak memory must not grow by anything near 50 MB. */
static void check_big_stream(void)
{
    IMessage *m = new_msg(L"big");
    if (!m)
        return;
    long peak0 = peak_rss_kb();
    ULONG num = 0;
    IAttach *a = NULL;
    IStream *st = NULL;
    m->lpVtbl->CreateAttach(m, NULL, 0, &num, &a);
    if (!a) {
        ok(0, "CreateAttach for the big stream\n");
        m->lpVtbl->Release(m);
        return;
    }
    set_long((IMAPIProp *)a, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    DWORD t0 = GetTickCount();
    HRESULT hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&st);
    ok(hr == S_OK && st, "OpenProperty for 50 MB: %#lx\n", hrx(hr));
    if (st) {
        write_stream(st, BIG_STREAM, 65536);
        st->lpVtbl->Commit(st, 0);
        st->lpVtbl->Release(st);
    }
    ok(a->lpVtbl->SaveChanges(a, 0) == S_OK, "SaveChanges of the big attachment\n");
    a->lpVtbl->Release(a);
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "SaveChanges with 50 MB: %#lx\n", hrx(hr));
    DWORD t1 = GetTickCount();
    LPSPropValue eid = entryid_of(m);
    m->lpVtbl->Release(m);
    if (eid) {
        m = open_msg(&eid->Value.bin, 0);
        a = NULL;
        if (m && m->lpVtbl->OpenAttach(m, 1, NULL, 0, &a) != S_OK) {
            for (ULONG k = 0; k < 4 && !a; k++)
                m->lpVtbl->OpenAttach(m, k, NULL, 0, &a);
        }
        ok(a != NULL, "the big attachment after saving\n");
        if (a) {
            ok(get_long((IMAPIProp *)a, PR_ATTACH_SIZE, 0) >= (LONG)BIG_STREAM,
               "PR_ATTACH_SIZE of the big attachment: %ld\n",
               (long)get_long((IMAPIProp *)a, PR_ATTACH_SIZE, 0));
            st = NULL;
            hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                (LPUNKNOWN *)&st);
            ok(hr == S_OK && st, "OpenProperty(50 MB) read: %#lx\n", hrx(hr));
            if (st) {
                ok(read_back(st, BIG_STREAM, 65536), "50 MB read back differs\n");
                st->lpVtbl->Release(st);
            }
            a->lpVtbl->Release(a);
        }
        if (m)
            m->lpVtbl->Release(m);
        host_FreeBuffer(eid);
    }
    DWORD t2 = GetTickCount();
    long grew = peak_rss_kb() - peak0;
    printf("50 MB stream: write+save %lu ms, read %lu ms, peak memory grew %ld KB\n",
           (unsigned long)(t1 - t0), (unsigned long)(t2 - t1), grew);
    ok(peak0 == 0 || grew < 24 * 1024, "peak memory grew by %ld KB for a 50 MB stream\n", grew);
}

static void store_path_utf8(char *out, size_t size);

/* Bytes of the store's pages in use (a connection of the test's own: the
 * provider's flushed stream chunks are committed). */
static ULONGLONG store_bytes(void)
{
    char path[MAX_PATH * 3];
    st_store *st = NULL;
    st_store_stats stats;
    ULONGLONG used = 0;
    store_path_utf8(path, sizeof path);
    if (st_store_open(&st, path, NULL, 0) == 0 && st_store_stats_get(st, &stats) == 0)
        used = (stats.page_count - stats.free_pages) * stats.page_size;
    st_store_close(st);
    return used;
}

/* The saved attachment of a reopened message (read-write), or NULL. */
static IAttach *reopen_attach(const SBinary *eid, IMessage **m)
{
    IAttach *a = NULL;
    *m = open_msg(eid, MAPI_MODIFY);
    for (ULONG k = 0; *m && k < 4 && !a; k++)
        (*m)->lpVtbl->OpenAttach(*m, k, NULL, MAPI_MODIFY, &a);
    return a;
}

/* A stream created on an attachment already in storage goes straight into
 * storage (stream.h: written once): the store file grows while it is
 * written, before any SaveChanges; it reads back before and after the
 * save; a write that is not at the end moves it to a temporary file,
 * nothing lost. */
static void check_direct_stream(void)
{
    enum { SIZE = 3 << 20 };
    IMessage *m = new_msg(L"direct");
    IAttach *a = NULL;
    ULONG num = 0;
    if (m)
        m->lpVtbl->CreateAttach(m, NULL, 0, &num, &a);
    if (!a) {
        ok(0, "CreateAttach for the direct stream\n");
        if (m)
            m->lpVtbl->Release(m);
        return;
    }
    set_long((IMAPIProp *)a, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"direct.bin");
    a->lpVtbl->SaveChanges(a, 0);
    a->lpVtbl->Release(a);
    ok(m->lpVtbl->SaveChanges(m, 0) == S_OK, "SaveChanges(direct)\n");
    LPSPropValue eid = entryid_of(m);
    m->lpVtbl->Release(m);
    if (!eid)
        return;
    for (int round = 0; round < 2; round++) {
        a = reopen_attach(&eid->Value.bin, &m);
        ok(a != NULL, "the attachment reopened (round %d)\n", round);
        if (!a) {
            if (m)
                m->lpVtbl->Release(m);
            break;
        }
        IStream *st = NULL, *rd = NULL;
        ULONGLONG before = store_bytes();
        HRESULT hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream,
            STGM_READWRITE, MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&st);
        ok(hr == S_OK && st, "OpenProperty(direct): %#lx\n", hrx(hr));
        if (st) {
            write_stream(st, SIZE, 65536);
            if (round == 0) {
                ULONGLONG grew = store_bytes() - before;
                ok(grew >= 2u << 20, "store grew by %lu bytes while written\n",
                   (unsigned long)grew);
            } else {   /* not at the end: into a temporary file */
                LARGE_INTEGER at10;
                at10.QuadPart = 10;
                BYTE x[4] = { 1, 2, 3, 4 };
                st->lpVtbl->Seek(st, at10, STREAM_SEEK_SET, NULL);
                ok(st->lpVtbl->Write(st, x, 4, NULL) == S_OK, "Write at 10\n");
            }
            st->lpVtbl->Commit(st, 0);
            st->lpVtbl->Release(st);
        }
        hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
            (LPUNKNOWN *)&rd);
        if (rd && round == 0) {
            ok(read_back(rd, SIZE, 50000), "direct stream read back before saving\n");
        }
        if (rd)
            rd->lpVtbl->Release(rd);
        ok(a->lpVtbl->SaveChanges(a, 0) == S_OK, "SaveChanges of the direct attachment\n");
        a->lpVtbl->Release(a);
        ok(m->lpVtbl->SaveChanges(m, 0) == S_OK, "SaveChanges with the direct stream\n");
        m->lpVtbl->Release(m);
        a = reopen_attach(&eid->Value.bin, &m);
        rd = NULL;
        if (a)
            a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                (LPUNKNOWN *)&rd);
        ok(rd != NULL, "direct stream reopened (round %d)\n", round);
        if (rd && round == 0) {
            ok(read_back(rd, SIZE, 65536), "direct stream read back after saving\n");
        } else if (rd) {
            BYTE got[16], want[16];
            ULONG n = 0;
            STATSTG stat;
            fill_pattern(want, 16, 0);
            want[10] = 1, want[11] = 2, want[12] = 3, want[13] = 4;
            rd->lpVtbl->Read(rd, got, 16, &n);
            ok(n == 16 && memcmp(got, want, 16) == 0, "moved stream's bytes\n");
            ok(rd->lpVtbl->Stat(rd, &stat, STATFLAG_NONAME) == S_OK
               && stat.cbSize.QuadPart == SIZE, "moved stream's size %lu\n",
               (unsigned long)stat.cbSize.QuadPart);
        }
        if (rd)
            rd->lpVtbl->Release(rd);
        if (a)
            a->lpVtbl->Release(a);
        if (m)
            m->lpVtbl->Release(m);
    }
    /* a new attachment of the saved message: written on the message, moved
     * to the attachment storage numbers at SaveChanges */
    m = open_msg(&eid->Value.bin, MAPI_MODIFY);
    a = NULL;
    if (m)
        m->lpVtbl->CreateAttach(m, NULL, 0, &num, &a);
    ok(a != NULL, "CreateAttach on the saved message\n");
    if (a) {
        IStream *st = NULL;
        set_long((IMAPIProp *)a, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
        set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"new.bin");
        ULONGLONG before = store_bytes();
        a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
            MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&st);
        ok(st != NULL, "OpenProperty on the new attachment\n");
        if (st) {
            write_stream(st, SIZE, 65536);
            ULONGLONG grew = store_bytes() - before;
            ok(grew >= 2u << 20, "store grew by %lu bytes while the new one was written\n",
               (unsigned long)grew);
            st->lpVtbl->Release(st);
        }
        ok(a->lpVtbl->SaveChanges(a, 0) == S_OK, "SaveChanges of the new attachment\n");
        a->lpVtbl->Release(a);
        ok(m->lpVtbl->SaveChanges(m, 0) == S_OK, "SaveChanges with the new attachment\n");
    }
    if (m)
        m->lpVtbl->Release(m);
    m = open_msg(&eid->Value.bin, 0);
    int found = 0;
    for (ULONG k = 0; m && k < 8 && !found; k++) {
        a = NULL;
        if (m->lpVtbl->OpenAttach(m, k, NULL, 0, &a) != S_OK || !a)
            continue;
        if (has_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"new.bin")) {
            IStream *rd = NULL;
            found = 1;
            a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                (LPUNKNOWN *)&rd);
            ok(rd && read_back(rd, SIZE, 65536), "the new attachment's stream read back\n");
            if (rd)
                rd->lpVtbl->Release(rd);
        }
        a->lpVtbl->Release(a);
    }
    ok(found, "the new attachment after saving\n");
    if (m)
        m->lpVtbl->Release(m);
    host_FreeBuffer(eid);
}

/* ---- named properties */

static void check_named(void)
{
    WCHAR kw[] = L"Keywords-test";
    MAPINAMEID n0, n1, n2, n3;
    n0.lpguid = (LPGUID)&PS_PUBLIC_STRINGS;
    n0.ulKind = MNID_STRING;
    n0.Kind.lpwstrName = kw;
    n1.lpguid = (LPGUID)&PS_PUBLIC_STRINGS;
    n1.ulKind = MNID_ID;
    n1.Kind.lID = 0x8580;
    n2.lpguid = (LPGUID)&PS_MAPI;
    n2.ulKind = MNID_ID;
    n2.Kind.lID = 0x0037;
    n3.lpguid = NULL;
    n3.ulKind = MNID_ID;
    n3.Kind.lID = 1;
    LPMAPINAMEID names[4] = { &n0, &n1, &n2, &n3 };
    LPSPropTagArray tags = (LPSPropTagArray)(ULONG_PTR)1;

    HRESULT hr = store->lpVtbl->GetIDsFromNames(store, 2, names, 0x80, &tags);
    ok(hr == MAPI_E_UNKNOWN_FLAGS && tags == NULL, "GetIDsFromNames(bad flag): %#lx\n", hrx(hr));
    hr = store->lpVtbl->GetIDsFromNames(store, 2, names, 0, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "GetIDsFromNames(NULL out): %#lx\n", hrx(hr));
    /* without MAPI_CREATE, unknown names are errors */
    hr = store->lpVtbl->GetIDsFromNames(store, 2, names, 0, &tags);
    ok(hr == MAPI_W_ERRORS_RETURNED && tags && tags->cValues == 2
       && tags->aulPropTag[0] == PROP_TAG(PT_ERROR, 0), "GetIDsFromNames(unknown): %#lx\n",
       hrx(hr));
    host_FreeBuffer(tags);
    hr = store->lpVtbl->GetIDsFromNames(store, 4, names, MAPI_CREATE, &tags);
    ok(hr == MAPI_W_ERRORS_RETURNED && tags && tags->cValues == 4,
       "GetIDsFromNames(MAPI_CREATE): %#lx\n", hrx(hr));
    if (!tags || tags->cValues != 4)
        return;
    ULONG id0 = PROP_ID(tags->aulPropTag[0]), id1 = PROP_ID(tags->aulPropTag[1]);
    ok(id0 >= 0x8000 && id0 <= 0xFFFE && id1 >= 0x8000 && id1 <= 0xFFFE && id0 != id1,
       "named ids %#lx %#lx\n", (unsigned long)id0, (unsigned long)id1);
    ok(tags->aulPropTag[2] == PROP_TAG(PT_UNSPECIFIED, 0x0037), "PS_MAPI name: %#lx\n",
       (unsigned long)tags->aulPropTag[2]);
    ok(tags->aulPropTag[3] == PROP_TAG(PT_ERROR, 0), "name without GUID: %#lx\n",
       (unsigned long)tags->aulPropTag[3]);
    /* the same ids again, through a folder and a message */
    LPSPropTagArray again = NULL;
    hr = inbox->lpVtbl->GetIDsFromNames(inbox, 2, names, 0, &again);
    ok(hr == S_OK && again && PROP_ID(again->aulPropTag[0]) == id0
       && PROP_ID(again->aulPropTag[1]) == id1, "folder GetIDsFromNames: %#lx\n", hrx(hr));
    host_FreeBuffer(again);

    /* back to names */
    SizedSPropTagArray(3, ask) = { 3, { PROP_TAG(PT_LONG, id0), PROP_TAG(PT_LONG, id1),
        PR_SUBJECT_W } };
    LPSPropTagArray askp = (LPSPropTagArray)&ask;
    ULONG count = 0;
    LPMAPINAMEID *out = NULL;
    hr = store->lpVtbl->GetNamesFromIDs(store, &askp, NULL, 0, &count, &out);
    ok(hr == S_OK && count == 3 && out, "GetNamesFromIDs: %#lx\n", hrx(hr));
    if (out && count == 3) {
        ok(out[0] && out[0]->ulKind == MNID_STRING && wcscmp(out[0]->Kind.lpwstrName, kw) == 0
           && IsEqualGUID(out[0]->lpguid, &PS_PUBLIC_STRINGS), "name of id0\n");
        ok(out[1] && out[1]->ulKind == MNID_ID && out[1]->Kind.lID == 0x8580, "name of id1\n");
        ok(out[2] && out[2]->ulKind == MNID_ID && out[2]->Kind.lID == 0x0037
           && IsEqualGUID(out[2]->lpguid, &PS_MAPI), "PS_MAPI name of PR_SUBJECT\n");
    }
    host_FreeBuffer(out);
    /* only string names asked */
    hr = store->lpVtbl->GetNamesFromIDs(store, &askp, NULL, MAPI_NO_IDS, &count, &out);
    ok(hr == MAPI_W_ERRORS_RETURNED && out && out[0] && !out[1], "MAPI_NO_IDS: %#lx\n", hrx(hr));
    host_FreeBuffer(out);
    hr = store->lpVtbl->GetNamesFromIDs(store, NULL, NULL, 0, &count, &out);
    ok(hr == MAPI_E_INVALID_PARAMETER, "GetNamesFromIDs(NULL): %#lx\n", hrx(hr));

    /* what a lookup costs (Outlook asks for names on every item it opens) */
    DWORD t0 = GetTickCount();
    for (int i = 0; i < 200; i++) {
        LPSPropTagArray t = NULL;
        store->lpVtbl->GetIDsFromNames(store, 2, names, 0, &t);
        host_FreeBuffer(t);
    }
    printf("GetIDsFromNames: %.2f ms a call\n", (GetTickCount() - t0) / 200.0);

    /* a named value on a message, saved and read back */
    IMessage *m = new_msg(L"named");
    if (m) {
        ULONG tag = PROP_TAG(PT_LONG, id1);
        ok(set_long((IMAPIProp *)m, tag, 4242) == S_OK, "SetProps(named)\n");
        ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges(named)\n");
        LPSPropValue e = entryid_of(m);
        m->lpVtbl->Release(m);
        if (e) {
            m = open_msg(&e->Value.bin, 0);
            if (m) {
                ok(get_long((IMAPIProp *)m, tag, 0) == 4242, "named value read back\n");
                m->lpVtbl->Release(m);
            }
        }
        host_FreeBuffer(e);
    }
    host_FreeBuffer(tags);
}

/* ---- read flag, submit, deleted meanwhile */

static void store_path_utf8(char *out, size_t size)
{
    WideCharToMultiByte(CP_UTF8, 0, store_path, -1, out, (int)size, NULL, NULL);
}

static void check_flags_and_deleted(void)
{
    IMessage *m = new_msg(L"flags");
    if (!m)
        return;
    HRESULT hr = m->lpVtbl->SetReadFlag(m, 0x1000);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "SetReadFlag(bad flag): %#lx\n", hrx(hr));
    hr = m->lpVtbl->SetReadFlag(m, CLEAR_READ_FLAG | SUPPRESS_RECEIPT);
    ok(hr == MAPI_E_INVALID_PARAMETER, "SetReadFlag(CLEAR|SUPPRESS): %#lx\n", hrx(hr));
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges(flags)\n");
    hr = m->lpVtbl->SetReadFlag(m, CLEAR_READ_FLAG);
    ok(hr == S_OK && !(get_long((IMAPIProp *)m, PR_MESSAGE_FLAGS, 0) & MSGFLAG_READ),
       "SetReadFlag(CLEAR_READ_FLAG): %#lx\n", hrx(hr));
    ok(get_long((IMAPIProp *)inbox, PR_CONTENT_UNREAD, 0) >= 1, "unread count\n");
    hr = m->lpVtbl->SetReadFlag(m, SUPPRESS_RECEIPT);
    ok(hr == S_OK && (get_long((IMAPIProp *)m, PR_MESSAGE_FLAGS, 0) & MSGFLAG_READ),
       "SetReadFlag(SUPPRESS_RECEIPT): %#lx\n", hrx(hr));
    hr = m->lpVtbl->SubmitMessage(m, 0x100);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "SubmitMessage(bad flag): %#lx\n", hrx(hr));
    hr = m->lpVtbl->SubmitMessage(m, 0);
    ok(hr == MAPI_E_NO_RECIPIENTS && !(get_long((IMAPIProp *)m, PR_MESSAGE_FLAGS, 0)
       & MSGFLAG_SUBMIT), "SubmitMessage without recipients: %#lx\n", hrx(hr));
    ok(host_add_recipient(m, MODRECIP_ADD, L"Bob", L"bob@example.org") == S_OK,
       "ModifyRecipients\n");
    hr = m->lpVtbl->SubmitMessage(m, 0);
    ok(hr == S_OK && (get_long((IMAPIProp *)m, PR_MESSAGE_FLAGS, 0) & MSGFLAG_SUBMIT),
       "SubmitMessage: %#lx\n", hrx(hr));

    /* deleted under the open object by another connection to the file */
    LPSPropValue e = entryid_of(m);
    ULONGLONG mid = 0;
    for (int i = 7; e && i >= 0; i--)
        mid = (mid << 8) | e->Value.bin.lpb[40 + i];
    host_FreeBuffer(e);
    char path[MAX_PATH * 3];
    store_path_utf8(path, sizeof path);
    st_store *st = NULL;
    int code = st_store_open(&st, path, NULL, 0);
    ok(code == 0 && mid, "second connection: %d\n", code);
    if (st) {
        code = st_message_delete(st, (st_id)mid, ST_HARD_DELETE);
        ok(code == 0, "st_message_delete: %d (%s)\n", code, st_error_last());
        st_store_close(st);
    }
    ok(set_str((IMAPIProp *)m, PR_SUBJECT_W, L"too late") == S_OK, "SetProps kept in memory\n");
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == MAPI_E_OBJECT_DELETED, "SaveChanges of a deleted message: %#lx\n", hrx(hr));
    LPMAPIERROR err = NULL;
    hr = m->lpVtbl->GetLastError(m, MAPI_E_OBJECT_DELETED, 0, &err);
    ok(hr == S_OK && err && err->lpszError && *(char *)err->lpszError
       && strcmp((char *)err->lpszComponent, "mapidav") == 0, "GetLastError (8-bit): %s\n",
       err && err->lpszError ? (char *)err->lpszError : "-");
    host_FreeBuffer(err);
    ok(m->lpVtbl->GetLastError(m, S_OK, 0x4, &err) == MAPI_E_UNKNOWN_FLAGS,
       "GetLastError(bad flag)\n");
    m->lpVtbl->Release(m);
}

/* ---- the shared IMAPIProp on folder and store, CopyTo / CopyProps */

static void check_folder_store_props(void)
{
    IMAPIProp *f = (IMAPIProp *)inbox;
    ok(set_str(f, PR_COMMENT_W, L"folder comment") == S_OK, "folder SetProps\n");
    ok(has_str(f, PR_COMMENT_W, L"folder comment"), "folder value written at once\n");
    LPSPropProblemArray probs = NULL;
    SPropValue v;
    v.ulPropTag = PR_CONTENT_COUNT;
    v.Value.l = 5;
    HRESULT hr = f->lpVtbl->SetProps(f, 1, &v, &probs);
    ok(hr == S_OK && probs && probs->cProblem == 1 && probs->aProblem[0].scode == MAPI_E_COMPUTED,
       "folder SetProps(PR_CONTENT_COUNT): %#lx\n", hrx(hr));
    host_FreeBuffer(probs);
    SizedSPropTagArray(2, del) = { 2, { PR_COMMENT_W, PROP_TAG(PT_LONG, 0x6790) } };
    hr = f->lpVtbl->DeleteProps(f, (LPSPropTagArray)&del, &probs);
    ok(hr == S_OK && probs && probs->cProblem == 1 && probs->aProblem[0].ulIndex == 1
       && probs->aProblem[0].scode == MAPI_E_NOT_FOUND, "folder DeleteProps: %#lx\n", hrx(hr));
    host_FreeBuffer(probs);
    ok(!has_str(f, PR_COMMENT_W, L"folder comment"), "folder value deleted\n");
    hr = f->lpVtbl->DeleteProps(f, NULL, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "DeleteProps(NULL): %#lx\n", hrx(hr));

    /* store: every value is computed */
    IMAPIProp *s = (IMAPIProp *)store;
    v.ulPropTag = PR_DISPLAY_NAME_W;
    v.Value.lpszW = L"renamed";
    hr = s->lpVtbl->SetProps(s, 1, &v, &probs);
    ok(hr == S_OK && probs && probs->cProblem == 1 && probs->aProblem[0].scode == MAPI_E_COMPUTED,
       "store SetProps(PR_DISPLAY_NAME): %#lx\n", hrx(hr));
    host_FreeBuffer(probs);

    /* CopyTo a message into a new one, without the subject; CopyProps of
     * the subject alone; NOREPLACE; refused flags and interfaces */
    IMessage *src = new_msg(L"copy source");
    IMessage *dst = new_msg(NULL);
    if (!src || !dst)
        goto done;
    set_str((IMAPIProp *)src, PR_BODY_W, L"copied body");
    SizedSPropTagArray(1, ex) = { 1, { PR_SUBJECT_W } };
    hr = src->lpVtbl->CopyTo(src, 0, NULL, (LPSPropTagArray)&ex, 0, NULL, &IID_IMessage, dst, 0,
        &probs);
    ok(hr == S_OK, "CopyTo: %#lx\n", hrx(hr));
    host_FreeBuffer(probs);
    ok(has_str((IMAPIProp *)dst, PR_BODY_W, L"copied body"), "CopyTo copied the body\n");
    LPSPropValue sub = get_one((IMAPIProp *)dst, PR_SUBJECT_W);
    ok(sub == NULL, "CopyTo copied an excluded value\n");
    host_FreeBuffer(sub);
    hr = src->lpVtbl->CopyProps(src, (LPSPropTagArray)&ex, 0, NULL, &IID_IMessage, dst, 0,
        &probs);
    ok(hr == S_OK && has_str((IMAPIProp *)dst, PR_SUBJECT_W, L"copy source"),
       "CopyProps(subject): %#lx\n", hrx(hr));
    host_FreeBuffer(probs);
    set_str((IMAPIProp *)dst, PR_SUBJECT_W, L"kept");
    hr = src->lpVtbl->CopyProps(src, (LPSPropTagArray)&ex, 0, NULL, &IID_IMessage, dst,
        MAPI_NOREPLACE, NULL);
    ok(hr == S_OK && has_str((IMAPIProp *)dst, PR_SUBJECT_W, L"kept"),
       "CopyProps(MAPI_NOREPLACE): %#lx\n", hrx(hr));
    hr = src->lpVtbl->CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMessage, dst, MAPI_DIALOG, NULL);
    ok(hr == S_OK, "CopyTo(MAPI_DIALOG): %#lx\n", hrx(hr));
    hr = src->lpVtbl->CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMSLogon, dst, 0, NULL);
    ok(hr == MAPI_E_INTERFACE_NOT_SUPPORTED, "CopyTo(IMSLogon): %#lx\n", hrx(hr));
    hr = src->lpVtbl->CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMessage, NULL, 0, NULL);
    ok(hr == MAPI_E_INVALID_PARAMETER, "CopyTo(NULL dest): %#lx\n", hrx(hr));
    hr = src->lpVtbl->CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMessage, dst, 0x1000, NULL);
    ok(hr == MAPI_E_UNKNOWN_FLAGS, "CopyTo(bad flag): %#lx\n", hrx(hr));
    /* MAPI_MOVE takes the values away from the source */
    hr = src->lpVtbl->CopyProps(src, (LPSPropTagArray)&ex, 0, NULL, &IID_IMessage, dst,
        MAPI_MOVE, NULL);
    sub = get_one((IMAPIProp *)src, PR_SUBJECT_W);
    ok(hr == S_OK && sub == NULL && has_str((IMAPIProp *)dst, PR_SUBJECT_W, L"copy source"),
       "CopyProps(MAPI_MOVE): %#lx\n", hrx(hr));
    host_FreeBuffer(sub);
    /* message -> folder through IMAPIProp */
    SizedSPropTagArray(1, bodyonly) = { 1, { PR_BODY_W } };
    hr = src->lpVtbl->CopyProps(src, (LPSPropTagArray)&bodyonly, 0, NULL, &IID_IMAPIProp, inbox,
        0, NULL);
    ok(hr == S_OK && has_str(f, PR_BODY_W, L"copied body"), "CopyProps to a folder: %#lx\n",
       hrx(hr));
done:
    if (src)
        src->lpVtbl->Release(src);
    if (dst)
        dst->lpVtbl->Release(dst);
    LPMAPIERROR err = NULL;
    hr = store->lpVtbl->GetLastError(store, MAPI_E_NO_SUPPORT, MAPI_UNICODE, &err);
    ok(hr == S_OK && err && err->lpszComponent
       && wcscmp((WCHAR *)err->lpszComponent, L"mapidav") == 0, "store GetLastError: %#lx\n",
       hrx(hr));
    host_FreeBuffer(err);
}

/* ---- big values: a 100,000-character body, and a deep CopyTo */

static void check_big_body_and_deep_copy(void)
{
    enum { CHARS = 100000 };
    WCHAR *text = malloc((CHARS + 1) * sizeof *text);
    if (!text)
        return;
    for (int i = 0; i < CHARS; i++)
        text[i] = i % 61 == 60 ? L'\n' : (WCHAR)(i % 3 == 0 ? 0x00e9 : L'a' + i % 26);
    text[CHARS] = 0;

    IMessage *m = new_msg(L"big body");
    if (!m) {
        free(text);
        return;
    }
    IStream *st = NULL;
    HRESULT hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, STGM_WRITE,
        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&st);
    ok(hr == S_OK && st, "OpenProperty(PR_BODY_W) for a big body: %#lx\n", hrx(hr));
    if (st) {
        ULONG put = 0;
        st->lpVtbl->Write(st, text, CHARS * sizeof(WCHAR), &put);
        ok(put == CHARS * sizeof(WCHAR), "big body written: %lu\n", (unsigned long)put);
        st->lpVtbl->Release(st);   /* no Commit: the last Release hands it over */
    }
    /* recipients and an attachment kept as a stream, for the copy below */
    BYTE buf[sizeof(ADRLIST) + sizeof(ADRENTRY)];
    ADRLIST *al = (ADRLIST *)buf;
    SPropValue r[2];
    r[0].ulPropTag = PR_DISPLAY_NAME_W;
    r[0].Value.lpszW = L"Carol";
    r[1].ulPropTag = PR_RECIPIENT_TYPE;
    r[1].Value.l = MAPI_TO;
    al->cEntries = 1;
    al->aEntries[0].cValues = 2;
    al->aEntries[0].rgPropVals = r;
    ok(m->lpVtbl->ModifyRecipients(m, 0, al) == S_OK, "ModifyRecipients(0)\n");
    ULONG num = 0;
    IAttach *a = NULL;
    m->lpVtbl->CreateAttach(m, NULL, 0, &num, &a);
    if (a) {
        set_long((IMAPIProp *)a, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
        set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, L"copied.bin");
        a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, MAPI_CREATE | MAPI_MODIFY,
            (LPUNKNOWN *)&st);
        if (st) {
            write_stream(st, 70000, 8192);
            st->lpVtbl->Commit(st, 0);
            st->lpVtbl->Release(st);
        }
        a->lpVtbl->SaveChanges(a, 0);
        a->lpVtbl->Release(a);
    }
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "SaveChanges of the big body: %#lx\n", hrx(hr));
    LPSPropValue eid = entryid_of(m);
    m->lpVtbl->Release(m);
    if (!eid) {
        free(text);
        return;
    }
    m = open_msg(&eid->Value.bin, MAPI_MODIFY);
    if (m) {
        SizedSPropTagArray(1, t) = { 1, { PR_BODY_W } };
        ULONG n = 0;
        LPSPropValue v = NULL;
        hr = m->lpVtbl->GetProps(m, (LPSPropTagArray)&t, MAPI_UNICODE, &n, &v);
        ok(hr == MAPI_W_ERRORS_RETURNED && v && v->ulPropTag == PROP_TAG(PT_ERROR, 0x1000)
           && v->Value.err == MAPI_E_NOT_ENOUGH_MEMORY,
           "GetProps of a big body: %#lx (OpenProperty is the way)\n", hrx(hr));
        host_FreeBuffer(v);
        st = NULL;
        hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);
        ok(hr == S_OK && st, "OpenProperty(big body) read: %#lx\n", hrx(hr));
        if (st) {
            WCHAR *back = calloc(CHARS + 8, sizeof *back);
            ULONG got = 0, total = 0;
            while (back && st->lpVtbl->Read(st, (BYTE *)back + total, 8192, &got) == S_OK && got)
                total += got;
            ok(back && total == CHARS * sizeof(WCHAR) && memcmp(back, text, total) == 0,
               "big body read back: %lu bytes\n", (unsigned long)total);
            free(back);
            st->lpVtbl->Release(st);
        }
        LPSPropValue rtf = get_one((IMAPIProp *)m, PR_RTF_COMP);
        ok(rtf && rtf->Value.bin.cb > 1000, "RTF made from a big body\n");
        host_FreeBuffer(rtf);
        st = NULL;
        hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);

        /* CopyTo a new message: values, the big body, recipients, the
         * attachment and its data */
        IMessage *d = new_msg(NULL);
        if (st)
            st->lpVtbl->Release(st);
        if (d) {
            LPSPropProblemArray probs = NULL;
            hr = m->lpVtbl->CopyTo(m, 0, NULL, NULL, 0, NULL, &IID_IMessage, d, 0, &probs);
            ok(hr == S_OK && !probs, "deep CopyTo: %#lx, %lu problems\n", hrx(hr),
               probs ? (unsigned long)probs->cProblem : 0ul);
            host_FreeBuffer(probs);
            ok(d->lpVtbl->SaveChanges(d, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges of the copy\n");
            ok(has_str((IMAPIProp *)d, PR_SUBJECT_W, L"big body"), "copied subject\n");
            check_table(d, 1, 1, L"Carol");
            check_table(d, 0, 1, L"copied.bin");
            IStream *cs = NULL;
            hr = d->lpVtbl->OpenProperty(d, PR_BODY_W, &IID_IStream, 0, 0, (LPUNKNOWN *)&cs);
            if (cs) {
                STATSTG stat;
                cs->lpVtbl->Stat(cs, &stat, STATFLAG_NONAME);
                ok(stat.cbSize.QuadPart == CHARS * sizeof(WCHAR), "copied body: %lu bytes\n",
                   (unsigned long)stat.cbSize.QuadPart);
                cs->lpVtbl->Release(cs);
            } else {
                ok(0, "copied body: %#lx\n", hrx(hr));
            }
            /* the copied attachment's data */
            LPMAPITABLE t2 = NULL;
            d->lpVtbl->GetAttachmentTable(d, 0, &t2);
            LPSRowSet rows = NULL;
            SizedSPropTagArray(1, c) = { 1, { PR_ATTACH_NUM } };
            if (t2 && t2->lpVtbl->SetColumns(t2, (LPSPropTagArray)&c, 0) == S_OK
                && t2->lpVtbl->QueryRows(t2, 1, 0, &rows) == S_OK && rows && rows->cRows == 1) {
                IAttach *ca = NULL;
                d->lpVtbl->OpenAttach(d, (ULONG)rows->aRow[0].lpProps[0].Value.l, NULL, 0, &ca);
                cs = NULL;
                if (ca)
                    ca->lpVtbl->OpenProperty(ca, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                        (LPUNKNOWN *)&cs);
                ok(cs && read_back(cs, 70000, 5000), "copied attachment data\n");
                if (cs)
                    cs->lpVtbl->Release(cs);
                if (ca)
                    ca->lpVtbl->Release(ca);
            } else {
                ok(0, "copied attachment table\n");
            }
            host_free_rows(rows);
            if (t2)
                t2->lpVtbl->Release(t2);
            d->lpVtbl->Release(d);
        }
        m->lpVtbl->Release(m);
    }
    host_FreeBuffer(eid);
    free(text);
}

/* ---- two threads at once, as Outlook's UI and spooler threads */

static LONG thread_failures;

static DWORD WINAPI writer_thread(void *arg)
{
    int id = (int)(ULONG_PTR)arg;
    for (int i = 0; i < 25; i++) {
        IMessage *m = NULL;
        if (inbox->lpVtbl->CreateMessage(inbox, NULL, 0, &m) != S_OK || !m) {
            InterlockedIncrement(&thread_failures);
            continue;
        }
        WCHAR subj[64];
        swprintf(subj, 64, L"thread %d message %d", id, i);
        HRESULT hr = set_str((IMAPIProp *)m, PR_SUBJECT_W, subj);
        ULONG num = 0;
        IAttach *a = NULL;
        if (hr == S_OK)
            hr = m->lpVtbl->CreateAttach(m, NULL, 0, &num, &a);
        if (a) {
            set_long((IMAPIProp *)a, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
            a->lpVtbl->SaveChanges(a, 0);
            a->lpVtbl->Release(a);
        }
        if (hr == S_OK)
            hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
        if (hr == S_OK && !has_str((IMAPIProp *)m, PR_SUBJECT_W, subj))
            hr = E_FAIL;
        if (hr != S_OK)
            InterlockedIncrement(&thread_failures);
        m->lpVtbl->Release(m);
    }
    return 0;
}

static void check_threads(void)
{
    LONG before = get_long((IMAPIProp *)inbox, PR_CONTENT_COUNT, -1);
    HANDLE t[2];
    for (int i = 0; i < 2; i++)
        t[i] = CreateThread(NULL, 0, writer_thread, (void *)(ULONG_PTR)i, 0, NULL);
    WaitForMultipleObjects(2, t, TRUE, 120000);
    for (int i = 0; i < 2; i++)
        CloseHandle(t[i]);
    LONG after = get_long((IMAPIProp *)inbox, PR_CONTENT_COUNT, -1);
    ok(thread_failures == 0 && after == before + 50, "two writer threads: %ld failures, "
       "%ld -> %ld messages\n", (long)thread_failures, (long)before, (long)after);
}

/* ---- a new message's streams written once (stream.h: direct, drafts) */

/* %TEMP% of this process only while the checks below run (other test
 * programs share the Wine prefix's): spools are made there
 * (GetTempPathW reads TMP first). */
static WCHAR temp_dir[MAX_PATH + 1];

static void private_temp(int on)
{
    if (on) {
        swprintf(temp_dir, MAX_PATH, L"%ls.tmp\\", store_path);
        CreateDirectoryW(temp_dir, NULL);
    }
    SetEnvironmentVariableW(L"TMP", on ? temp_dir : NULL);
    if (!on)
        RemoveDirectoryW(temp_dir);
}

/* Temporary files of ours (spools: "mdv*.tmp" in %TEMP%) that exist now. */
static int temp_spools(void)
{
    WCHAR dir[MAX_PATH + 1], pat[MAX_PATH + 16];
    WIN32_FIND_DATAW fd;
    int n = 0;
    if (!GetTempPathW(MAX_PATH, dir))
        return -1;
    swprintf(pat, MAX_PATH + 16, L"%lsmdv*.tmp", dir);
    HANDLE h = FindFirstFileW(pat, &fd);
    if (h == INVALID_HANDLE_VALUE)
        return 0;
    do
        n++;
    while (FindNextFileW(h, &fd));
    FindClose(h);
    return n;
}

/* The process's private bytes now, in KB. */
static long private_kb(void)
{
    PROCESS_MEMORY_COUNTERS pmc;
    if (K32GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc))
        return (long)(pmc.PagefileUsage / 1024);
    return 0;
}

/* write_stream, noting the highest private bytes seen. */
static void write_stream_peak(IStream *st, size_t total, long *peak)
{
    enum { PIECE = 1u << 20 };
    size_t done = 0;
    while (done < total) {
        size_t n = total - done < PIECE ? total - done : PIECE;
        write_stream(st, n, 65536 < n ? 65536 : n);   /* the pattern restarts per piece */
        done += n;
        long now = private_kb();
        if (now > *peak)
            *peak = now;
    }
}

/* Pieces of write_stream_peak each restart the pattern at 0: the reader
 * checks the same way. */
static int read_back_pieces(IStream *st, size_t total)
{
    enum { PIECE = 1u << 20 };
    int same = 1;
    for (size_t done = 0; same && done < total; done += PIECE)
        same = read_back(st, total - done < PIECE ? total - done : PIECE, 65536);
    return same;
}

/* Store file: used bytes after an own connection's compaction, and its
 * check. */
static ULONGLONG store_compacted_bytes(int *check)
{
    char path[MAX_PATH * 3];
    st_store *st = NULL;
    st_store_stats stats;
    ULONGLONG used = 0;
    char *report = NULL;
    store_path_utf8(path, sizeof path);
    *check = -1;
    if (st_store_open(&st, path, NULL, 0) == 0) {
        st_store_compact(st, 1u << 20);
        if (st_store_stats_get(st, &stats) == 0)
            used = (stats.page_count - stats.free_pages) * stats.page_size;
        *check = st_store_check(st, &report);
        if (*check)
            printf("st_store_check: %s\n", report ? report : st_error_last());
        free(report);
    }
    st_store_close(st);
    return used;
}

/* The attachment of eid named name, read back as total bytes of
 * write_stream_peak's pattern. */
static int attach_reads_back(const SBinary *eid, const WCHAR *name, size_t total)
{
    IMessage *m = open_msg(eid, 0);
    int same = 0, found = 0;
    for (ULONG k = 0; m && k < 8 && !found; k++) {
        IAttach *a = NULL;
        if (m->lpVtbl->OpenAttach(m, k, NULL, 0, &a) != S_OK || !a)
            continue;
        if (has_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, name)) {
            IStream *rd = NULL;
            found = 1;
            a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
                (LPUNKNOWN *)&rd);
            same = rd && read_back_pieces(rd, total);
            if (rd)
                rd->lpVtbl->Release(rd);
        }
        a->lpVtbl->Release(a);
    }
    if (m)
        m->lpVtbl->Release(m);
    return same;
}

/* A new attachment named name on m with size bytes written through a
 * stream made with MAPI_CREATE; *tmp_during the spool files counted while
 * the stream is open, written and not saved. */
static void new_attach_stream(IMessage *m, const WCHAR *name, size_t size, long *peak,
    int *tmp_during)
{
    ULONG num = 0;
    IAttach *a = NULL;
    IStream *st = NULL;
    m->lpVtbl->CreateAttach(m, NULL, 0, &num, &a);
    ok(a != NULL, "CreateAttach(%ls)\n", name);
    if (!a)
        return;
    set_long((IMAPIProp *)a, PR_ATTACH_METHOD, ATTACH_BY_VALUE);
    set_str((IMAPIProp *)a, PR_ATTACH_LONG_FILENAME_W, name);
    HRESULT hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0,
        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&st);
    ok(hr == S_OK && st, "OpenProperty(%ls): %#lx\n", name, hrx(hr));
    if (st) {
        write_stream_peak(st, size, peak);
        *tmp_during = temp_spools();
        st->lpVtbl->Commit(st, 0);   /* what Commit hands over, a reader sees */
        IStream *rd = NULL;
        hr = a->lpVtbl->OpenProperty(a, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0, (LPUNKNOWN *)&rd);
        ok(rd && read_back_pieces(rd, size), "%ls read back before saving: %#lx\n", name, hrx(hr));
        if (rd)
            rd->lpVtbl->Release(rd);
        st->lpVtbl->Release(st);
    }
    ok(a->lpVtbl->SaveChanges(a, 0) == S_OK, "SaveChanges of %ls\n", name);
    a->lpVtbl->Release(a);
}

/* A new message's attachment stream goes straight into storage: no
 * temporary file, the store grows once by its size, memory stays flat;
 * saved twice more with KEEP_OPEN_READWRITE (a second attachment then goes
 * the saved message's way); read back. MAPIDAV_TEST_NEW_MB sets the size
 * (default 32; 200 for the figures of the issue). */
static void check_new_message_stream(void)
{
    size_t size = 32u << 20;
    const char *mb = getenv("MAPIDAV_TEST_NEW_MB");
    if (mb && atoi(mb) > 0)
        size = (size_t)atoi(mb) << 20;
    int check = 0;
    ULONGLONG used0 = store_compacted_bytes(&check);
    int tmp0 = temp_spools(), tmp_during = -1, tmp_second = -1;
    long mem0 = private_kb(), peak = mem0;
    DWORD t0 = GetTickCount();
    IMessage *m = new_msg(L"new with a big attachment");
    if (!m)
        return;
    new_attach_stream(m, L"new-big.bin", size, &peak, &tmp_during);
    ULONGLONG grew = store_bytes() - used0;
    ok(grew >= size - size / 8, "store grew by %lu KB while written (%lu KB)\n",
       (unsigned long)(grew >> 10), (unsigned long)(size >> 10));
    DWORD t_save = GetTickCount();
    HRESULT hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    ok(hr == S_OK, "SaveChanges(new, big): %#lx\n", hrx(hr));
    DWORD t1 = GetTickCount();
    t_save = t1 - t_save;
    ok(tmp_during == tmp0, "spool files while written: %d, before %d\n", tmp_during, tmp0);
    ULONGLONG after = store_compacted_bytes(&check);
    ok(check == 0, "store checks after the save\n");
    ok(after - used0 < size + size / 8, "store grew once: %lu KB for %lu KB\n",
       (unsigned long)((after - used0) >> 10), (unsigned long)(size >> 10));
    long grew_kb = peak - mem0;
    printf("new message, %lu MB attachment: write+save %lu ms (SaveChanges %lu ms), store +%lu KB,"
        " private bytes peak +%ld KB, spool files %d\n", (unsigned long)(size >> 20),
        (unsigned long)(t1 - t0), (unsigned long)t_save, (unsigned long)((after - used0) >> 10),
        grew_kb, tmp_during - tmp0);
    ok(grew_kb < 8 * 1024, "private bytes grew by %ld KB for a %lu MB stream\n", grew_kb,
       (unsigned long)(size >> 20));
    /* saved again, a property changed; then a second attachment */
    ok(set_str((IMAPIProp *)m, PR_SUBJECT_W, L"saved twice") == S_OK, "SetProps again\n");
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges again\n");
    new_attach_stream(m, L"new-second.bin", 3u << 20, &peak, &tmp_second);
    ok(tmp_second == tmp0, "no spool file for the second one: %d\n", tmp_second);
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges a third time\n");
    ok(m->lpVtbl->SaveChanges(m, 0) == S_OK, "SaveChanges a fourth time (nothing new)\n");
    after = store_compacted_bytes(&check);
    ok(check == 0 && after - used0 < size + (3u << 20) + size / 8,
       "store after four saves: +%lu KB\n", (unsigned long)((after - used0) >> 10));
    LPSPropValue eid = entryid_of(m);
    m->lpVtbl->Release(m);
    if (!eid)
        return;
    ok(attach_reads_back(&eid->Value.bin, L"new-big.bin", size), "big one read back\n");
    ok(attach_reads_back(&eid->Value.bin, L"new-second.bin", 3u << 20),
       "second one read back\n");
    host_FreeBuffer(eid);
}

/* Released without saving: nothing stays in the store file (pages back
 * after compaction, the store checks clean); an embedded message's new
 * attachment also goes straight in and is adopted with its message. */
static void check_new_message_stream_dropped(void)
{
    enum { SIZE = 6u << 20 };
    int check = 0, tmp_during = -1;
    long peak = 0;
    ULONGLONG used0 = store_compacted_bytes(&check);
    IMessage *m = new_msg(L"never saved");
    if (!m)
        return;
    new_attach_stream(m, L"dropped.bin", SIZE, &peak, &tmp_during);
    ok(store_bytes() - used0 >= SIZE - SIZE / 8, "written straight in\n");
    m->lpVtbl->Release(m);   /* never saved */
    ULONGLONG after = store_compacted_bytes(&check);
    ok(check == 0, "store checks after the release\n");
    ok(after <= used0 + 64 * 1024, "pages back after the release: %lu -> %lu KB\n",
       (unsigned long)(used0 >> 10), (unsigned long)(after >> 10));

    /* nested: new message > new embedded message > new attachment */
    int tmp0 = temp_spools();
    m = new_msg(L"nested new");
    IAttach *outer = NULL;
    IMessage *e = NULL;
    ULONG num = 0;
    if (m)
        m->lpVtbl->CreateAttach(m, NULL, 0, &num, &outer);
    if (outer) {
        set_long((IMAPIProp *)outer, PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG);
        outer->lpVtbl->OpenProperty(outer, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0,
            MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&e);
    }
    ok(e != NULL, "embedded message made\n");
    if (e) {
        set_str((IMAPIProp *)e, PR_SUBJECT_W, L"inner");
        new_attach_stream(e, L"inner.bin", 2u << 20, &peak, &tmp_during);
        ok(tmp_during == tmp0, "no spool file for the inner one: %d, before %d\n", tmp_during,
           tmp0);
        ok(e->lpVtbl->SaveChanges(e, 0) == S_OK, "SaveChanges(embedded)\n");
        e->lpVtbl->Release(e);
    }
    if (outer) {
        ok(outer->lpVtbl->SaveChanges(outer, 0) == S_OK, "SaveChanges(outer attachment)\n");
        outer->lpVtbl->Release(outer);
    }
    LPSPropValue eid = NULL;
    if (m) {
        ok(m->lpVtbl->SaveChanges(m, 0) == S_OK, "SaveChanges(nested)\n");
        eid = entryid_of(m);
        m->lpVtbl->Release(m);
    }
    m = eid ? open_msg(&eid->Value.bin, 0) : NULL;
    outer = NULL;
    e = NULL;
    if (m)
        m->lpVtbl->OpenAttach(m, 0, NULL, 0, &outer);
    if (outer)
        outer->lpVtbl->OpenProperty(outer, PR_ATTACH_DATA_OBJ, &IID_IMessage, 0, 0,
            (LPUNKNOWN *)&e);
    IAttach *inner = NULL;
    IStream *rd = NULL;
    if (e)
        e->lpVtbl->OpenAttach(e, 0, NULL, 0, &inner);
    if (inner)
        inner->lpVtbl->OpenProperty(inner, PR_ATTACH_DATA_BIN, &IID_IStream, 0, 0,
            (LPUNKNOWN *)&rd);
    ok(rd && read_back_pieces(rd, 2u << 20), "the inner attachment read back\n");
    if (rd)
        rd->lpVtbl->Release(rd);
    if (inner)
        inner->lpVtbl->Release(inner);
    if (e)
        e->lpVtbl->Release(e);
    if (outer)
        outer->lpVtbl->Release(outer);
    if (m)
        m->lpVtbl->Release(m);
    host_FreeBuffer(eid);
    store_compacted_bytes(&check);
    ok(check == 0, "store checks after the nested one\n");
}

/* ---- read reports (SetReadFlag, SetReadFlags) and MAPI_DIALOG */

/* A message as it arrives with a read report requested (the sender asked
 * Disposition-Notification-To): unread, MSGFLAG_RN_PENDING and
 * MSGFLAG_NRN_PENDING, PR_READ_RECEIPT_REQUESTED; saved, kept open. */
static IMessage *receipt_msg(const WCHAR *subject)
{
    IMessage *m = new_msg(subject);
    if (!m)
        return NULL;
    SPropValue v[2];
    v[0].ulPropTag = PR_READ_RECEIPT_REQUESTED;
    v[0].Value.b = TRUE;
    v[1].ulPropTag = PR_MESSAGE_FLAGS;
    v[1].Value.l = MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING;
    ok(m->lpVtbl->SetProps(m, 2, v, NULL) == S_OK, "SetProps(receipt requested)\n");
    ok(m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE) == S_OK, "SaveChanges(%ls)\n", subject);
    return m;
}

static int outbox_reports_of(const WCHAR *cls);

/* Read reports waiting in the Outbox: REPORT.IPM.Note.IPNRN, submitted,
 * PR_DELETE_AFTER_SUBMIT. */
static int outbox_reports(void)
{
    return outbox_reports_of(L"REPORT.IPM.Note.IPNRN");
}

/* Reports of class cls waiting in the Outbox (submitted,
 * PR_DELETE_AFTER_SUBMIT). */
static int outbox_reports_of(const WCHAR *cls)
{
    LPSPropValue e = get_one((IMAPIProp *)store, PR_IPM_OUTBOX_ENTRYID);
    IMAPIFolder *f = NULL;
    LPMAPITABLE t = NULL;
    ULONG type = 0;
    int n = 0;
    if (e && store->lpVtbl->OpenEntry(store, e->Value.bin.cb, (LPENTRYID)e->Value.bin.lpb, NULL,
            0, &type, (LPUNKNOWN *)&f) == S_OK
        && f->lpVtbl->GetContentsTable(f, MAPI_UNICODE, &t) == S_OK) {
        SizedSPropTagArray(3, cols) = { 3, { PR_MESSAGE_CLASS_W, PR_MESSAGE_FLAGS,
            PR_DELETE_AFTER_SUBMIT } };
        t->lpVtbl->SetColumns(t, (LPSPropTagArray)&cols, 0);
        LPSRowSet rows = NULL;
        while (t->lpVtbl->QueryRows(t, 50, 0, &rows) == S_OK && rows && rows->cRows) {
            for (ULONG i = 0; i < rows->cRows; i++) {
                LPSPropValue p = rows->aRow[i].lpProps;
                if (p[0].ulPropTag == PR_MESSAGE_CLASS_W
                    && wcscmp(p[0].Value.lpszW, cls) == 0
                    && p[1].ulPropTag == PR_MESSAGE_FLAGS && (p[1].Value.l & MSGFLAG_SUBMIT)
                    && p[2].ulPropTag == PR_DELETE_AFTER_SUBMIT && p[2].Value.b)
                    n++;
            }
            host_free_rows(rows);
            rows = NULL;
        }
        host_free_rows(rows);
    }
    if (t)
        t->lpVtbl->Release(t);
    if (f)
        f->lpVtbl->Release(f);
    host_FreeBuffer(e);
    return n;
}

static LONG flags_of(IMessage *m)
{
    return get_long((IMAPIProp *)m, PR_MESSAGE_FLAGS, 0);
}

/* PR_MESSAGE_FLAGS as storage has it (a fresh object on the message). */
static LONG stored_flags(IMessage *m)
{
    LPSPropValue e = entryid_of(m);
    IMessage *o = e ? open_msg(&e->Value.bin, 0) : NULL;
    LONG f = o ? flags_of(o) : -1;
    if (o)
        o->lpVtbl->Release(o);
    host_FreeBuffer(e);
    return f;
}

/* The pending report bits are this mailbox's own state: clearing them
 * writes no journal entry, so the message is not sent to the server again
 * (only the read flag goes, as a PROPPATCH). */
static void check_receipt_no_upload(void)
{
    IMessage *m = receipt_msg(L"receipt local");
    if (!m)
        return;
    char path[MAX_PATH * 3];
    store_path_utf8(path, sizeof path);
    st_store *st = NULL;
    st_journal_entry *e = NULL;
    size_t n = 0;
    ok(st_store_open(&st, path, NULL, 0) == 0, "store opened beside the provider\n");
    /* as if the sync had sent every change so far */
    while (st && st_journal_take(st, &e, &n, 256) == 0 && n) {
        for (size_t i = 0; i < n; i++)
            st_journal_ack(st, e[i].seq, NULL, NULL);
        st_journal_entries_free(e, n);
    }
    HRESULT hr = m->lpVtbl->SetReadFlag(m, SUPPRESS_RECEIPT);
    int modify = 0, read = 0;
    if (st && st_journal_list(st, &e, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            modify += e[i].op == ST_JOP_MODIFY;
            read += e[i].op == ST_JOP_READ;
        }
        st_journal_entries_free(e, n);
    }
    ok(hr == S_OK && read == 1 && modify == 0,
       "SetReadFlag(SUPPRESS_RECEIPT): %#lx, journal: %d read, %d modify\n", hrx(hr), read,
       modify);
    if (st)
        st_store_close(st);
    m->lpVtbl->Release(m);
}

static void check_read_receipts(void)
{
    const LONG pend = MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING;
    int reports = outbox_reports();

    /* Marked read: the report made by IMAPISupport::ReadReceipt on an empty
     * message of ours, then submitted; both pending bits go. */
    IMessage *a = receipt_msg(L"receipt a");
    if (!a)
        return;
    ok((flags_of(a) & pend) == pend && !(flags_of(a) & MSGFLAG_READ), "arrived flags %#lx\n",
       (unsigned long)flags_of(a));
    host_calls_reset();
    HRESULT hr = a->lpVtbl->SetReadFlag(a, 0);
    const host_call *rr = host_call_find("ReadReceipt");
    ok(hr == S_OK && rr && rr->flags == 0 && rr->obj == a && rr->obj2 && rr->obj2 != a,
       "SetReadFlag(0): %#lx, calls %s\n", hrx(hr), host_calls_str());
    ok(strstr(host_calls_str(), "ReadReceipt,") == host_calls_str()
       && host_call_find("ExpandRecips"), "report not submitted after ReadReceipt: %s\n",
       host_calls_str());
    ok((flags_of(a) & (MSGFLAG_READ | pend)) == MSGFLAG_READ
       && (stored_flags(a) & (MSGFLAG_READ | pend)) == MSGFLAG_READ,
       "flags after the report %#lx (stored %#lx)\n", (unsigned long)flags_of(a),
       (unsigned long)stored_flags(a));
    ok(outbox_reports() == reports + 1, "report in the Outbox: %d, before %d\n",
       outbox_reports(), reports);
    /* Once only. */
    host_calls_reset();
    ok(a->lpVtbl->SetReadFlag(a, CLEAR_READ_FLAG) == S_OK && !(flags_of(a) & MSGFLAG_READ),
       "CLEAR_READ_FLAG\n");
    ok(a->lpVtbl->SetReadFlag(a, 0) == S_OK && !host_call_find("ReadReceipt"),
       "a second report: %s\n", host_calls_str());
    a->lpVtbl->Release(a);

    /* SUPPRESS_RECEIPT: read, the report cancelled. */
    IMessage *b = receipt_msg(L"receipt b");
    host_calls_reset();
    hr = b ? b->lpVtbl->SetReadFlag(b, SUPPRESS_RECEIPT) : E_FAIL;
    ok(hr == S_OK && !host_call_find("ReadReceipt")
       && (stored_flags(b) & (MSGFLAG_READ | pend)) == MSGFLAG_READ,
       "SUPPRESS_RECEIPT: %#lx, calls %s, flags %#lx\n", hrx(hr), host_calls_str(),
       b ? (unsigned long)stored_flags(b) : 0ul);
    if (b)
        b->lpVtbl->Release(b);

    /* ReadReceipt failing: nothing changes, the report stays owed; then
     * GENERATE_RECEIPT_ONLY sends it and leaves the message unread. */
    IMessage *c = receipt_msg(L"receipt c");
    host_sup.receipt_hr = MAPI_E_CALL_FAILED;
    hr = c ? c->lpVtbl->SetReadFlag(c, 0) : E_FAIL;
    host_sup.receipt_hr = S_OK;
    ok(hr == MAPI_E_CALL_FAILED && c && (stored_flags(c) & (MSGFLAG_READ | pend)) == pend,
       "SetReadFlag with ReadReceipt failing: %#lx, flags %#lx\n", hrx(hr),
       c ? (unsigned long)stored_flags(c) : 0ul);
    host_calls_reset();
    hr = c ? c->lpVtbl->SetReadFlag(c, GENERATE_RECEIPT_ONLY) : E_FAIL;
    ok(hr == S_OK && host_call_find("ReadReceipt") && c
       && (stored_flags(c) & (MSGFLAG_READ | MSGFLAG_RN_PENDING)) == 0,
       "GENERATE_RECEIPT_ONLY: %#lx, calls %s, flags %#lx\n", hrx(hr), host_calls_str(),
       c ? (unsigned long)stored_flags(c) : 0ul);
    if (c)
        c->lpVtbl->Release(c);

    /* GENERATE_RECEIPT_ONLY | SUPPRESS_RECEIPT: PR_READ_RECEIPT_REQUESTED
     * cleared, no report; CLEAR_NRN_PENDING: that bit only. */
    IMessage *d = receipt_msg(L"receipt d");
    host_calls_reset();
    hr = d ? d->lpVtbl->SetReadFlag(d, GENERATE_RECEIPT_ONLY | SUPPRESS_RECEIPT) : E_FAIL;
    LPSPropValue req = d ? get_one((IMAPIProp *)d, PR_READ_RECEIPT_REQUESTED) : NULL;
    ok(hr == S_OK && !host_call_find("ReadReceipt") && (!req || !req->Value.b)
       && !(flags_of(d) & MSGFLAG_READ), "GENERATE_RECEIPT_ONLY | SUPPRESS_RECEIPT: %#lx\n",
       hrx(hr));
    host_FreeBuffer(req);
    hr = d ? d->lpVtbl->SetReadFlag(d, CLEAR_NRN_PENDING) : E_FAIL;
    ok(hr == S_OK && d && (stored_flags(d) & (MSGFLAG_READ | MSGFLAG_NRN_PENDING)) == 0,
       "CLEAR_NRN_PENDING: %#lx, flags %#lx\n", hrx(hr),
       d ? (unsigned long)stored_flags(d) : 0ul);
    ok(d && d->lpVtbl->SetReadFlag(d, CLEAR_READ_FLAG | GENERATE_RECEIPT_ONLY)
       == MAPI_E_INVALID_PARAMETER, "CLEAR_READ_FLAG | GENERATE_RECEIPT_ONLY\n");
    if (d)
        d->lpVtbl->Release(d);

    /* IMAPIFolder::SetReadFlags: the same per message, reports sent after
     * the batch, one per message. */
    IMessage *e1 = receipt_msg(L"receipt e1"), *e2 = receipt_msg(L"receipt e2");
    LPSPropValue id1 = e1 ? entryid_of(e1) : NULL, id2 = e2 ? entryid_of(e2) : NULL;
    if (id1 && id2) {
        SBinary bins[2] = { id1->Value.bin, id2->Value.bin };
        ENTRYLIST list = { 2, bins };
        reports = outbox_reports();
        host_calls_reset();
        hr = inbox->lpVtbl->SetReadFlags(inbox, &list, 0, NULL, 0);
        int receipts = 0;
        for (LONG i = 0; i < host_n_calls; i++)
            receipts += strcmp(host_calls[i].name, "ReadReceipt") == 0;
        ok(hr == S_OK && receipts == 2 && outbox_reports() == reports + 2,
           "SetReadFlags: %#lx, %d reports (%s)\n", hrx(hr), receipts, host_calls_str());
        ok((stored_flags(e1) & (MSGFLAG_READ | pend)) == MSGFLAG_READ
           && (stored_flags(e2) & (MSGFLAG_READ | pend)) == MSGFLAG_READ,
           "flags after SetReadFlags %#lx %#lx\n", (unsigned long)stored_flags(e1),
           (unsigned long)stored_flags(e2));
        host_calls_reset();
        hr = inbox->lpVtbl->SetReadFlags(inbox, &list, 0, NULL, 0);
        ok(hr == S_OK && !host_call_find("ReadReceipt"), "SetReadFlags again: %s\n",
           host_calls_str());
        hr = inbox->lpVtbl->SetReadFlags(inbox, &list, 0, NULL,
            GENERATE_RECEIPT_ONLY | SUPPRESS_RECEIPT);
        ok(hr == S_OK, "SetReadFlags(GENERATE_RECEIPT_ONLY | SUPPRESS_RECEIPT): %#lx\n",
           hrx(hr));
    }
    host_FreeBuffer(id1);
    host_FreeBuffer(id2);
    if (e1)
        e1->lpVtbl->Release(e1);
    if (e2)
        e2->lpVtbl->Release(e2);
}

/* ---- nonread reports when a message is deleted unread */

/* The saved message of folder f with subject, PR_MESSAGE_FLAGS mf and,
 * with requested, PR_READ_RECEIPT_REQUESTED: its entry ID (host_FreeBuffer),
 * the message released. */
static LPSPropValue nonread_msg(IMAPIFolder *f, const WCHAR *subject, LONG mf, int requested)
{
    IMessage *m = NULL;
    LPSPropValue eid = NULL;
    HRESULT hr = f->lpVtbl->CreateMessage(f, NULL, 0, &m);
    SPropValue v[3];
    v[0].ulPropTag = PR_SUBJECT_W;
    v[0].Value.lpszW = (WCHAR *)subject;
    v[1].ulPropTag = PR_MESSAGE_FLAGS;
    v[1].Value.l = mf;
    v[2].ulPropTag = PR_READ_RECEIPT_REQUESTED;
    v[2].Value.b = TRUE;
    if (hr == S_OK)
        hr = m->lpVtbl->SetProps(m, requested ? 3 : 2, v, NULL);
    if (hr == S_OK)
        hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    if (hr == S_OK)
        eid = entryid_of(m);
    ok(eid && (flags_of(m) & (MSGFLAG_READ | MSGFLAG_NRN_PENDING))
       == (mf & (MSGFLAG_READ | MSGFLAG_NRN_PENDING)), "message %ls: %#lx, flags %#lx\n",
       subject, hrx(hr), m ? (unsigned long)flags_of(m) : 0ul);
    if (m)
        m->lpVtbl->Release(m);
    return eid;
}

/* OpenEntry's answer for eid (MAPI_E_NOT_FOUND once it is deleted). */
static HRESULT open_hr(const SBinary *eid)
{
    ULONG type = 0;
    LPUNKNOWN unk = NULL;
    HRESULT hr = store->lpVtbl->OpenEntry(store, eid->cb, (LPENTRYID)eid->lpb, NULL, 0, &type,
        &unk);
    if (unk)
        unk->lpVtbl->Release(unk);
    return hr;
}

/* What the provider hands IMAPISupport::ReadReceipt: a wrapper around the
 * host's stand-in (host_support.h) keeps the subjects of the messages
 * reported on, and proves each was still there and the store not locked:
 * another thread opens it meanwhile (it would wait on md_store.lock). */
static WCHAR nonread_subjects[256];
static int nonread_calls, nonread_there;

static DWORD WINAPI nonread_opener(void *arg)
{
    return open_hr(arg) == S_OK;
}

static HRESULT STDMETHODCALLTYPE nonread_ReadReceipt(IMAPISupport *self, ULONG flags,
    LPMESSAGE read, LPMESSAGE *empty)
{
    LPSPropValue subj = read ? get_one((IMAPIProp *)read, PR_SUBJECT_W) : NULL;
    LPSPropValue eid = read ? get_one((IMAPIProp *)read, PR_ENTRYID) : NULL;
    size_t len = wcslen(nonread_subjects);
    swprintf(nonread_subjects + len, 256 - len, L"%ls%ls", len ? L"," : L"",
             subj ? subj->Value.lpszW : L"?");
    nonread_calls++;
    HANDLE th = eid ? CreateThread(NULL, 0, nonread_opener, &eid->Value.bin, 0, NULL) : NULL;
    DWORD done = th ? WaitForSingleObject(th, 10000) : WAIT_FAILED, there = 0;
    if (done == WAIT_OBJECT_0 && GetExitCodeThread(th, &there) && there)
        nonread_there++;
    ok(done == WAIT_OBJECT_0, "ReadReceipt called with the store locked (%lu)\n",
       (unsigned long)done);
    if (th)
        CloseHandle(th);
    host_FreeBuffer(subj);
    if (done == WAIT_OBJECT_0)
        host_FreeBuffer(eid);   /* else the stuck thread still reads it */
    return hsup_ReadReceipt(self, flags, read, empty);
}

static void nonread_reset(void)
{
    nonread_subjects[0] = 0;
    nonread_calls = nonread_there = 0;
    host_calls_reset();
}

/* Every ReadReceipt call recorded asked MAPI_NON_READ. */
static int all_non_read(void)
{
    int all = 1;
    for (LONG i = 0; i < host_n_calls; i++)
        if (strcmp(host_calls[i].name, "ReadReceipt") == 0)
            all &= host_calls[i].flags == MAPI_NON_READ;
    return all;
}

/* IMAPIFolder::DeleteMessages: the unread message with MSGFLAG_NRN_PENDING
 * and PR_READ_RECEIPT_REQUESTED has its nonread report sent before it goes
 * (one ReadReceipt(MAPI_NON_READ) on it, the report submitted from the
 * Outbox), once even when listed twice; a read one, one without the
 * request and one without the bit send none; all deleted. */
static void check_nonread_delete_messages(void)
{
    const WCHAR *nrn = L"REPORT.IPM.Note.IPNNRN";
    const LONG pend = MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING;
    LPSPropValue e[4] = {
        nonread_msg(inbox, L"nonread owed", pend, 1),
        nonread_msg(inbox, L"nonread read", pend | MSGFLAG_READ, 1),
        nonread_msg(inbox, L"nonread not asked", pend, 0),
        nonread_msg(inbox, L"nonread no bit", MSGFLAG_RN_PENDING, 1),
    };
    if (!e[0] || !e[1] || !e[2] || !e[3])
        goto out;
    SBinary bins[5] = { e[0]->Value.bin, e[1]->Value.bin, e[2]->Value.bin, e[3]->Value.bin,
                        e[0]->Value.bin };
    ENTRYLIST list = { 5, bins };
    int before = outbox_reports_of(nrn);
    nonread_reset();
    HRESULT hr = inbox->lpVtbl->DeleteMessages(inbox, &list, 0, NULL, 0);
    ok(hr == MAPI_W_PARTIAL_COMPLETION, "DeleteMessages (one listed twice): %#lx\n", hrx(hr));
    ok(nonread_calls == 1 && all_non_read() && wcscmp(nonread_subjects, L"nonread owed") == 0
       && nonread_there == 1, "nonread reports: %d (%ls), %d still there; calls %s\n",
       nonread_calls, nonread_subjects, nonread_there, host_calls_str());
    ok(outbox_reports_of(nrn) == before + 1, "nonread report in the Outbox: %d, before %d\n",
       outbox_reports_of(nrn), before);
    for (int i = 0; i < 4; i++)
        ok(open_hr(&e[i]->Value.bin) == MAPI_E_NOT_FOUND, "message %d not deleted\n", i);

    /* ReadReceipt failing: deleted anyway, no report. */
    host_FreeBuffer(e[0]);
    e[0] = nonread_msg(inbox, L"nonread failing", pend, 1);
    if (!e[0])
        goto out;
    list.cValues = 1;
    bins[0] = e[0]->Value.bin;
    before = outbox_reports_of(nrn);
    nonread_reset();
    host_sup.receipt_hr = MAPI_E_CALL_FAILED;
    hr = inbox->lpVtbl->DeleteMessages(inbox, &list, 0, NULL, 0);
    host_sup.receipt_hr = S_OK;
    ok(hr == S_OK && nonread_calls == 1 && open_hr(&e[0]->Value.bin) == MAPI_E_NOT_FOUND
       && outbox_reports_of(nrn) == before, "DeleteMessages with ReadReceipt failing: %#lx,"
       " %d calls, %d reports (before %d)\n", hrx(hr), nonread_calls, outbox_reports_of(nrn),
       before);
out:
    for (int i = 0; i < 4; i++)
        host_FreeBuffer(e[i]);
}

/* A subfolder of the Inbox named name with, in it and in a folder below
 * it, a message owing its nonread report and one read: *sub is the
 * subfolder (released by the caller), eids[0..4) the messages. */
static int nonread_tree(const WCHAR *name, IMAPIFolder **sub, LPSPropValue eids[4])
{
    const LONG pend = MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING;
    IMAPIFolder *below = NULL;
    *sub = NULL;
    HRESULT hr = inbox->lpVtbl->CreateFolder(inbox, FOLDER_GENERIC, (LPTSTR)name, NULL, NULL,
        MAPI_UNICODE, sub);
    if (hr == S_OK)
        hr = (*sub)->lpVtbl->CreateFolder(*sub, FOLDER_GENERIC, (LPTSTR)L"below", NULL, NULL,
            MAPI_UNICODE, &below);
    ok(hr == S_OK, "CreateFolder(%ls): %#lx\n", name, hrx(hr));
    if (hr != S_OK) {
        if (*sub)
            (*sub)->lpVtbl->Release(*sub);
        *sub = NULL;
        return 0;
    }
    eids[0] = nonread_msg(*sub, L"tree owed", pend, 1);
    eids[1] = nonread_msg(*sub, L"tree read", pend | MSGFLAG_READ, 1);
    eids[2] = nonread_msg(below, L"below owed", pend, 1);
    eids[3] = nonread_msg(below, L"below read", pend | MSGFLAG_READ, 1);
    below->lpVtbl->Release(below);
    return eids[0] && eids[1] && eids[2] && eids[3];
}

/* EmptyFolder (its messages and those of its subfolders) and
 * DeleteFolder(DEL_MESSAGES | DEL_FOLDERS) (the subtree's): one nonread
 * report per owing message, none for the read ones, all deleted. */
static void check_nonread_folders(void)
{
    const WCHAR *nrn = L"REPORT.IPM.Note.IPNNRN";
    for (int del = 0; del < 2; del++) {
        IMAPIFolder *sub = NULL;
        LPSPropValue e[4] = { NULL };
        if (!nonread_tree(del ? L"nonread deleted" : L"nonread emptied", &sub, e))
            goto next;
        int before = outbox_reports_of(nrn);
        nonread_reset();
        HRESULT hr;
        if (del) {
            LPSPropValue fe = get_one((IMAPIProp *)sub, PR_ENTRYID);
            sub->lpVtbl->Release(sub);
            sub = NULL;
            hr = fe ? inbox->lpVtbl->DeleteFolder(inbox, fe->Value.bin.cb,
                (LPENTRYID)fe->Value.bin.lpb, 0, NULL, DEL_MESSAGES | DEL_FOLDERS) : E_FAIL;
            host_FreeBuffer(fe);
        } else {
            hr = sub->lpVtbl->EmptyFolder(sub, 0, NULL, 0);
        }
        ok(hr == S_OK, "%s: %#lx\n", del ? "DeleteFolder" : "EmptyFolder", hrx(hr));
        ok(nonread_calls == 2 && all_non_read() && nonread_there == 2
           && (wcscmp(nonread_subjects, L"tree owed,below owed") == 0
               || wcscmp(nonread_subjects, L"below owed,tree owed") == 0),
           "%s: nonread reports %d (%ls), %d still there\n",
           del ? "DeleteFolder" : "EmptyFolder", nonread_calls, nonread_subjects,
           nonread_there);
        ok(outbox_reports_of(nrn) == before + 2, "%s: %d reports in the Outbox, before %d\n",
           del ? "DeleteFolder" : "EmptyFolder", outbox_reports_of(nrn), before);
        for (int i = 0; i < 4; i++)
            ok(open_hr(&e[i]->Value.bin) == MAPI_E_NOT_FOUND, "%s: message %d not deleted\n",
               del ? "DeleteFolder" : "EmptyFolder", i);
    next:
        if (sub)
            sub->lpVtbl->Release(sub);
        for (int i = 0; i < 4; i++)
            host_FreeBuffer(e[i]);
    }
    /* Refused (MAPI_E_HAS_MESSAGES): no report, nothing deleted. */
    IMAPIFolder *sub = NULL;
    LPSPropValue e[4] = { NULL };
    if (nonread_tree(L"nonread kept", &sub, e)) {
        LPSPropValue fe = get_one((IMAPIProp *)sub, PR_ENTRYID);
        nonread_reset();
        HRESULT hr = fe ? inbox->lpVtbl->DeleteFolder(inbox, fe->Value.bin.cb,
            (LPENTRYID)fe->Value.bin.lpb, 0, NULL, DEL_FOLDERS) : E_FAIL;
        ok(hr == MAPI_E_HAS_MESSAGES && nonread_calls == 0
           && open_hr(&e[0]->Value.bin) == S_OK, "DeleteFolder(DEL_FOLDERS) of a folder"
           " with messages: %#lx, %d reports\n", hrx(hr), nonread_calls);
        hr = fe ? inbox->lpVtbl->DeleteFolder(inbox, fe->Value.bin.cb,
            (LPENTRYID)fe->Value.bin.lpb, 0, NULL, DEL_MESSAGES | DEL_FOLDERS) : E_FAIL;
        ok(hr == S_OK && nonread_calls == 2, "then with DEL_MESSAGES: %#lx, %d reports\n",
           hrx(hr), nonread_calls);
        host_FreeBuffer(fe);
    }
    if (sub)
        sub->lpVtbl->Release(sub);
    for (int i = 0; i < 4; i++)
        host_FreeBuffer(e[i]);
}

/* A store opened with MDB_NO_MAIL ("should not be used for sending or
 * receiving mail") sends no nonread report: the message is deleted. */
static void check_nonread_no_mail(LPMSPROVIDER provider)
{
    LPMSLOGON lo = NULL;
    LPMDB mdb = NULL;
    ULONG cb_spool = 0, cb = 0, type = 0, flags = 0;
    LPBYTE spool = NULL;
    LPENTRYID feid = NULL;
    IMAPIFolder *f = NULL;
    HRESULT hr = provider->lpVtbl->Logon(provider, &support, 0, NULL, 0, NULL,
        MDB_NO_MAIL | MAPI_UNICODE, NULL, &cb_spool, &spool, NULL, &lo, &mdb);
    if (hr == S_OK)
        hr = mdb->lpVtbl->GetReceiveFolder(mdb, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cb, &feid,
            NULL);
    if (hr == S_OK)
        hr = mdb->lpVtbl->OpenEntry(mdb, cb, feid, &IID_IMAPIFolder, MAPI_BEST_ACCESS, &type,
            (LPUNKNOWN *)&f);
    ok(hr == S_OK && f, "MDB_NO_MAIL logon and Inbox: %#lx\n", hrx(hr));
    LPSPropValue e = f ? nonread_msg(inbox, L"nonread no mail",
        MSGFLAG_RN_PENDING | MSGFLAG_NRN_PENDING, 1) : NULL;
    if (e) {
        ENTRYLIST list = { 1, &e->Value.bin };
        nonread_reset();
        hr = f->lpVtbl->DeleteMessages(f, &list, 0, NULL, 0);
        ok(hr == S_OK && nonread_calls == 0 && !host_call_find("ReadReceipt")
           && open_hr(&e->Value.bin) == MAPI_E_NOT_FOUND,
           "DeleteMessages on an MDB_NO_MAIL store: %#lx, calls %s\n", hrx(hr),
           host_calls_str());
    }
    host_FreeBuffer(e);
    host_FreeBuffer(feid);
    if (f)
        f->lpVtbl->Release(f);
    if (lo) {
        lo->lpVtbl->Logoff(lo, &flags);
        ok(lo->lpVtbl->Release(lo) == 0, "MDB_NO_MAIL IMSLogon still referenced\n");
    }
    if (mdb)
        ok(mdb->lpVtbl->Release(mdb) == 0, "MDB_NO_MAIL IMsgStore still referenced\n");
}

/* The three, with ReadReceipt wrapped (then the host's own again). */
static void check_nonread_reports(LPMSPROVIDER provider)
{
    sup_vtbl.ReadReceipt = nonread_ReadReceipt;
    check_nonread_delete_messages();
    check_nonread_folders();
    check_nonread_no_mail(provider);
    sup_vtbl.ReadReceipt = hsup_ReadReceipt;
}

/* MAPI_DIALOG: progress through the caller's object, else MAPI's
 * (IMAPISupport::DoProgressDialog). */
static void check_progress(void)
{
    IMessage *src = new_msg(L"progress source"), *dst = new_msg(NULL);
    if (!src || !dst)
        return;
    host_calls_reset();
    HRESULT hr = src->lpVtbl->CopyTo(src, 0, NULL, NULL, 0, NULL, &IID_IMessage, dst,
        MAPI_DIALOG, NULL);
    ok(hr == S_OK && host_call_find("DoProgressDialog")
       && host_call_find("DoProgressDialog")->flags == MAPI_TOP_LEVEL,
       "CopyTo(MAPI_DIALOG) without a progress object: %#lx (%s)\n", hrx(hr),
       host_calls_str());
    ok(host_progress_calls == 2 && host_progress_value == 1000 && host_progress_count == 2
       && host_progress_total == 2, "MAPI's progress: %lu calls, last %lu (%lu of %lu)\n",
       (unsigned long)host_progress_calls, (unsigned long)host_progress_value,
       (unsigned long)host_progress_count, (unsigned long)host_progress_total);
    ok(has_str((IMAPIProp *)dst, PR_SUBJECT_W, L"progress source"), "CopyTo copied\n");
    ok(host_progress_refs == 0, "progress object references left: %ld\n",
       (long)host_progress_refs);
    /* The caller's own (a subobject level: within its GetMin..GetMax). */
    host_calls_reset();
    host_progress_flags = 0;
    host_progress_calls = host_progress_value = 0;
    InterlockedIncrement(&host_progress_refs);   /* the caller's reference */
    SizedSPropTagArray(1, subj) = { 1, { PR_SUBJECT_W } };
    hr = src->lpVtbl->CopyProps(src, (LPSPropTagArray)&subj, 0, &host_progress, &IID_IMessage,
        dst, MAPI_DIALOG, NULL);
    ok(hr == S_OK && !host_call_find("DoProgressDialog") && host_progress_calls == 2
       && host_progress_value == 1000 && host_progress_count == 0,
       "CopyProps(MAPI_DIALOG) with the caller's progress: %#lx, %lu calls, last %lu\n",
       hrx(hr), (unsigned long)host_progress_calls, (unsigned long)host_progress_value);
    InterlockedDecrement(&host_progress_refs);
    ok(host_progress_refs == 0, "caller's progress object references left: %ld\n",
       (long)host_progress_refs);
    /* DeleteAttach with MAPI_DIALOG: one item. */
    IAttach *at = NULL;
    ULONG num = 0;
    hr = src->lpVtbl->CreateAttach(src, NULL, 0, &num, &at);
    if (at) {
        at->lpVtbl->SaveChanges(at, 0);
        at->lpVtbl->Release(at);
    }
    host_calls_reset();
    hr = hr == S_OK ? src->lpVtbl->DeleteAttach(src, num, 0, NULL, MAPI_DIALOG) : hr;
    ok(hr == S_OK && host_call_find("DoProgressDialog") && host_progress_value == 1000
       && host_progress_refs == 0, "DeleteAttach(MAPI_DIALOG): %#lx (%s)\n", hrx(hr),
       host_calls_str());
    /* IMAPIFolder::SetReadFlags with MESSAGE_DIALOG and no progress object. */
    src->lpVtbl->SaveChanges(src, KEEP_OPEN_READWRITE);
    LPSPropValue id = entryid_of(src);
    if (id) {
        ENTRYLIST one = { 1, &id->Value.bin };
        host_calls_reset();
        hr = inbox->lpVtbl->SetReadFlags(inbox, &one, 0, NULL, MESSAGE_DIALOG);
        ok(hr == S_OK && host_call_find("DoProgressDialog") && host_progress_calls == 1
           && host_progress_refs == 0, "SetReadFlags(MESSAGE_DIALOG): %#lx (%s)\n", hrx(hr),
           host_calls_str());
    }
    host_FreeBuffer(id);
    src->lpVtbl->Release(src);
    dst->lpVtbl->Release(dst);
}

/* ---- bodies of any size kept in step (helper hbody) */

#define BIG_HTML (50u << 20)
static const char big_html_head[] =
    "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
    "<style>p { margin: 0 }</style></head><body>\r\n";
static const char big_html_tail[] = "</body></html>\r\n";

/* Paragraph i of the big newsletter, and its text as PR_BODY shows it. */
static int big_para(char *buf, size_t size, unsigned i)
{
    return snprintf(buf, size, "<p>Item %07u: caf\xc3\xa9 &amp; more <a href=\"https://example."
        "com/%u\">link</a></p>\r\n", i, i);
}

static int big_para_text(WCHAR *buf, size_t size, unsigned i)
{
    return swprintf(buf, size, L"%lsItem %07u: caf\x00e9 & more link <https://example.com/%u>",
        i ? L"\r\n\r\n" : L"", i, i);
}

/* A sink writing to an IStream. */
static int istream_sink(void *ctx, const void *data, size_t len)
{
    IStream *st = ctx;
    ULONG put = 0;
    HRESULT hr = st->lpVtbl->Write(st, data, (ULONG)len, &put);
    return hr == S_OK && put == len ? 0 : -1;
}

/* The big HTML, 64 KB at a time, to sink; the number of paragraphs. */
static unsigned big_html_gen(cv_sink_fn sink, void *ctx)
{
    char *buf = malloc(65536 + 256);
    size_t n = 0, total = 0;
    unsigned paras = 0;
    int rc = 0;
    if (!buf)
        return 0;
    memcpy(buf, big_html_head, sizeof big_html_head - 1);
    n = sizeof big_html_head - 1;
    for (;;) {
        int last = total + n >= BIG_HTML;
        if (!last)
            n += (size_t)big_para(buf + n, 256, paras++);
        if (last)
            n += (size_t)snprintf(buf + n, 256, "%s", big_html_tail);
        if (n >= 65536 || last) {
            if ((rc = sink(ctx, buf, n)) != 0)
                break;
            total += n;
            n = 0;
        }
        if (last)
            break;
    }
    free(buf);
    ok(rc == 0 && total >= BIG_HTML, "big HTML made: %d, %lu bytes\n", rc,
       (unsigned long)total);
    return paras;
}

/* The big HTML in memory (for the checks at the end). */
static char *big_html_mem(size_t *len)
{
    cv_rtf__buf b;
    char *out = NULL;
    cv_rtf__buf_init(&b, 0);
    big_html_gen(cv_rtf__buf_sink, &b);
    *len = b.len;
    if (cv_rtf__buf_finish(&b, &out, len, "test") != 0)
        *len = 0;
    return out;
}

/* A stream created on property tag of m, or NULL (m released then). */
static IStream *create_stream(IMessage *m, ULONG tag)
{
    IStream *st = NULL;
    HRESULT hr = m->lpVtbl->OpenProperty(m, tag, &IID_IStream, STGM_WRITE,
        MAPI_CREATE | MAPI_MODIFY, (LPUNKNOWN *)&st);
    ok(hr == S_OK && st, "OpenProperty(%#lx) to write a big body: %#lx\n",
       (unsigned long)tag, hrx(hr));
    if (!st)
        m->lpVtbl->Release(m);
    return st;
}

/* Reads PR_BODY_W of m as a stream and compares it with the text of
 * paras paragraphs, a chunk at a time. */
static void big_text_check(IMessage *m, unsigned paras)
{
    IStream *st = NULL;
    HRESULT hr = m->lpVtbl->OpenProperty(m, PR_BODY_W, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);
    ok(hr == S_OK && st, "OpenProperty(PR_BODY_W) of the big HTML message: %#lx\n", hrx(hr));
    if (!st)
        return;
    WCHAR *got = malloc(32768 * sizeof *got), want[160];
    unsigned para = 0;
    int wn = big_para_text(want, 160, 0), wi = 0, same = got != NULL;
    size_t chars = 0;
    while (same) {
        ULONG n = 0;
        if (st->lpVtbl->Read(st, got, 32768 * sizeof *got, &n) != S_OK || n == 0)
            break;
        for (ULONG k = 0; same && k < n / sizeof *got; k++, chars++) {
            if (wi == wn) {
                if (++para >= paras) {
                    same = 0;
                    break;
                }
                wn = big_para_text(want, 160, para);
                wi = 0;
            }
            same = got[k] == want[wi++];
        }
    }
    ok(same && para == paras - 1 && wi == wn, "PR_BODY of the big HTML: differs at char %lu "
       "(paragraph %u of %u)\n", (unsigned long)chars, para, paras);
    free(got);
    st->lpVtbl->Release(st);
}

static SBinary big_html_eid;   /* the message, for the RTF check at the end */
static unsigned big_html_paras;

/* A 50 MB HTML body written through IStream and saved: PR_BODY made from
 * it in chunks (memory growth bounded), read back exact; its compressed
 * RTF made on demand as a stream. */
static void check_big_html_body(void)
{
    IMessage *m = new_msg(L"big HTML");
    if (!m)
        return;
    long peak0 = peak_rss_kb();
    DWORD t0 = GetTickCount();
    IStream *st = create_stream(m, PR_HTML_BIN);
    if (!st)
        return;
    HRESULT hr;
    big_html_paras = big_html_gen(istream_sink, st);
    st->lpVtbl->Commit(st, 0);
    st->lpVtbl->Release(st);
    DWORD t1 = GetTickCount();
    long peak1 = peak_rss_kb();
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    DWORD t2 = GetTickCount();
    long peak2 = peak_rss_kb();
    ok(hr == S_OK, "SaveChanges of the 50 MB HTML body: %#lx\n", hrx(hr));
    printf("50 MB HTML body: written %lu ms, SaveChanges %lu ms (PR_BODY made in chunks), "
           "peak memory grew %ld KB in SaveChanges, %ld KB in all\n", (unsigned long)(t1 - t0),
           (unsigned long)(t2 - t1), peak2 - peak1, peak2 - peak0);
    ok(peak0 == 0 || peak2 - peak0 < 32 * 1024, "peak memory grew by %ld KB for a 50 MB HTML "
       "body\n", peak2 - peak0);
    ok(get_long((IMAPIProp *)m, PR_NATIVE_BODY_INFO, 0) == 3, "PR_NATIVE_BODY_INFO: %ld\n",
       (long)get_long((IMAPIProp *)m, PR_NATIVE_BODY_INFO, 0));
    LPSPropValue eid = entryid_of(m);
    m->lpVtbl->Release(m);
    if (!eid)
        return;
    m = open_msg(&eid->Value.bin, MAPI_MODIFY);
    if (m) {
        big_text_check(m, big_html_paras);
        /* GetProps says the RTF is there but too big: OpenProperty it */
        SizedSPropTagArray(1, t) = { 1, { PR_RTF_COMP } };
        ULONG n = 0;
        LPSPropValue v = NULL;
        hr = m->lpVtbl->GetProps(m, (LPSPropTagArray)&t, 0, &n, &v);
        ok(v && v->ulPropTag == PROP_TAG(PT_ERROR, 0x1009) &&
           v->Value.err == MAPI_E_NOT_ENOUGH_MEMORY, "GetProps(PR_RTF_COMPRESSED) of a big "
           "body: %#lx %#lx\n", v ? (unsigned long)v->ulPropTag : 0ul,
           v ? (unsigned long)v->Value.err : 0ul);
        host_FreeBuffer(v);
        peak1 = peak_rss_kb();
        DWORD t3 = GetTickCount();
        st = NULL;
        hr = m->lpVtbl->OpenProperty(m, PR_RTF_COMP, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);
        DWORD t4 = GetTickCount();
        ok(hr == S_OK && st, "OpenProperty(PR_RTF_COMPRESSED) of the big HTML: %#lx\n",
           hrx(hr));
        STATSTG stat;
        if (st && st->lpVtbl->Stat(st, &stat, STATFLAG_NONAME) == S_OK)
            printf("50 MB HTML body: compressed RTF made on demand in %lu ms, %lu bytes, "
                   "peak memory grew %ld KB\n", (unsigned long)(t4 - t3),
                   (unsigned long)stat.cbSize.QuadPart, peak_rss_kb() - peak1);
        ok(peak1 == 0 || peak_rss_kb() - peak1 < 32 * 1024, "peak memory grew by %ld KB for "
           "the RTF of a 50 MB body\n", peak_rss_kb() - peak1);
        if (st)
            st->lpVtbl->Release(st);
        m->lpVtbl->Release(m);
    }
    big_html_eid.cb = eid->Value.bin.cb;
    big_html_eid.lpb = malloc(eid->Value.bin.cb);
    if (big_html_eid.lpb)
        memcpy(big_html_eid.lpb, eid->Value.bin.lpb, eid->Value.bin.cb);
    host_FreeBuffer(eid);
}

static SBinary big_rtf_eid;    /* the RTF-only message, for the check at the end */

/* A big RTF-only body (the 50 MB HTML encapsulated and compressed, written
 * through IStream): SaveChanges makes PR_BODY and PR_HTML from it in
 * chunks, with memory growth bounded. */
static void check_big_rtf_body(void)
{
    IMessage *m = new_msg(L"big RTF");
    if (!m)
        return;
    IStream *st = create_stream(m, PR_RTF_COMP);
    if (!st)
        return;
    HRESULT hr;
    /* HTML -> RTF -> compressed RTF -> the stream, in chunks */
    cv_push *rtf = NULL, *z = NULL;
    int rc = cv_rtf_compress_push(&z, 0, istream_sink, st);
    if (!rc)
        rc = cv_html_to_rtf_push(&rtf, cv_push_sink, z);
    if (!rc)
        big_html_gen(cv_push_sink, rtf);
    if (rtf && rtf->err)
        rc = rtf->err;
    if (!rc)
        rc = cv_push_end(rtf);
    if (!rc)
        rc = cv_push_end(z);
    uint8_t header[16];
    if (!rc)
        rc = cv_rtf_compress_header(z, header);
    if (!rc) {
        LARGE_INTEGER zero = { .QuadPart = 0 };
        ULONG put = 0;
        st->lpVtbl->Seek(st, zero, STREAM_SEEK_SET, NULL);
        hr = st->lpVtbl->Write(st, header, 16, &put);
        rc = hr == S_OK && put == 16 ? 0 : -1;
    }
    ok(rc == 0, "big RTF written in chunks: %d\n", rc);
    cv_push_free(rtf);
    cv_push_free(z);
    st->lpVtbl->Commit(st, 0);
    st->lpVtbl->Release(st);
    long peak0 = peak_rss_kb();
    DWORD t0 = GetTickCount();
    hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
    DWORD t1 = GetTickCount();
    long grew = peak_rss_kb() - peak0;
    ok(hr == S_OK, "SaveChanges of the big RTF body: %#lx\n", hrx(hr));
    printf("big RTF body (50 MB HTML encapsulated): SaveChanges %lu ms (PR_BODY and PR_HTML "
           "made in chunks), peak memory grew %ld KB\n", (unsigned long)(t1 - t0), grew);
    ok(peak0 == 0 || grew < 32 * 1024, "peak memory grew by %ld KB for a big RTF body\n", grew);
    ok(get_long((IMAPIProp *)m, PR_NATIVE_BODY_INFO, 0) == 3, "PR_NATIVE_BODY_INFO of the "
       "big RTF: %ld\n", (long)get_long((IMAPIProp *)m, PR_NATIVE_BODY_INFO, 0));
    LPSPropValue eid = entryid_of(m);
    if (eid) {
        big_rtf_eid.cb = eid->Value.bin.cb;
        big_rtf_eid.lpb = malloc(eid->Value.bin.cb);
        if (big_rtf_eid.lpb)
            memcpy(big_rtf_eid.lpb, eid->Value.bin.lpb, eid->Value.bin.cb);
        host_FreeBuffer(eid);
    }
    m->lpVtbl->Release(m);
}

/* All of stream tag of m, in memory (NUL after it). */
static char *read_all(IMessage *m, ULONG tag, size_t *len)
{
    IStream *st = NULL;
    char *all = NULL;
    *len = 0;
    if (m->lpVtbl->OpenProperty(m, tag, &IID_IStream, 0, 0, (LPUNKNOWN *)&st) != S_OK || !st)
        return NULL;
    for (;;) {
        char *p = realloc(all, *len + (1u << 20) + 2);
        if (!p)
            break;
        all = p;
        ULONG got = 0;
        if (st->lpVtbl->Read(st, all + *len, 1u << 20, &got) != S_OK || !got)
            break;
        *len += got;
    }
    if (all)
        all[*len] = all[*len + 1] = 0;
    st->lpVtbl->Release(st);
    return all;
}

/* Last: the big RTF-only message's PR_HTML is the HTML encapsulated, and its
 * PR_BODY the text of that RTF (as cv_rtf_to_text gives it whole). */
static void check_big_rtf_verify(void)
{
    if (!big_rtf_eid.lpb)
        return;
    IMessage *m = open_msg(&big_rtf_eid, 0);
    free(big_rtf_eid.lpb);
    if (!m)
        return;
    size_t hl = 0, bl = 0, want_len = 0, rtf_len = 0, text_len = 0;
    char *got_html = read_all(m, PR_HTML_BIN, &hl), *got_body = read_all(m, PR_BODY_W, &bl);
    char *want = NULL, *rtf = NULL, *text = NULL;
    want = big_html_mem(&want_len);
    ok(got_html && hl == want_len && memcmp(got_html, want, hl) == 0,
       "PR_HTML of the big RTF is the HTML: %lu / %lu bytes\n", (unsigned long)hl,
       (unsigned long)want_len);
    int rc = cv_html_to_rtf(&rtf, &rtf_len, want, want_len);
    if (!rc)
        rc = cv_rtf_to_text(&text, &text_len, rtf, rtf_len, 0);
    int n8 = got_body ? WideCharToMultiByte(CP_UTF8, 0, (const WCHAR *)got_body,
        (int)(bl / 2), NULL, 0, NULL, NULL) : 0;
    char *body8 = n8 > 0 ? malloc((size_t)n8) : NULL;
    if (body8)
        WideCharToMultiByte(CP_UTF8, 0, (const WCHAR *)got_body, (int)(bl / 2), body8, n8,
            NULL, NULL);
    ok(rc == 0 && body8 && (size_t)n8 == text_len && memcmp(body8, text, text_len) == 0,
       "PR_BODY of the big RTF is its text: %d, %d / %lu bytes\n", rc, n8,
       (unsigned long)text_len);
    free(body8);
    free(got_html);
    free(got_body);
    free(want);
    free(rtf);
    free(text);
    m->lpVtbl->Release(m);
}

/* Last (it holds the bodies in memory to compare them): the compressed RTF
 * of the big HTML message decompresses to RTF that gives the HTML back. */
static void check_big_html_rtf(void)
{
    if (!big_html_eid.lpb)
        return;
    IMessage *m = open_msg(&big_html_eid, 0);
    IStream *st = NULL;
    if (m)
        m->lpVtbl->OpenProperty(m, PR_RTF_COMP, &IID_IStream, 0, 0, (LPUNKNOWN *)&st);
    ok(st != NULL, "OpenProperty(PR_RTF_COMPRESSED) of the big HTML again\n");
    char *comp = NULL, *html = NULL;
    size_t comp_len = 0, html_len = 0;
    for (;;) {
        if (!st)
            break;
        char *p = realloc(comp, comp_len + (1u << 20));
        if (!p)
            break;
        comp = p;
        ULONG got = 0;
        if (st->lpVtbl->Read(st, comp + comp_len, 1u << 20, &got) != S_OK || !got)
            break;
        comp_len += got;
    }
    uint8_t *rtf = NULL;
    size_t rtf_len = 0;
    char *back = NULL;
    size_t back_len = 0;
    int rc = comp ? cv_rtf_decompress(&rtf, &rtf_len, comp, comp_len, 0, 0) : -1;
    ok(rc == 0, "the big RTF decompresses: %d (%lu bytes)\n", rc, (unsigned long)comp_len);
    if (rc == 0)
        rc = cv_rtf_to_html(&back, &back_len, (const char *)rtf, rtf_len);
    html = big_html_mem(&html_len);
    ok(rc == 0 && html && back_len == html_len && memcmp(back, html, html_len) == 0,
       "the big RTF gives the HTML back: %d, %lu / %lu bytes\n", rc, (unsigned long)back_len,
       (unsigned long)html_len);
    free(comp);
    free(rtf);
    free(back);
    free(html);
    if (st)
        st->lpVtbl->Release(st);
    if (m)
        m->lpVtbl->Release(m);
    free(big_html_eid.lpb);
}

/* Last: a 9 MB plain-text body (beyond what is converted in memory): its
 * compressed RTF made on demand in chunks, from the pending stream before
 * SaveChanges and from storage after it, reads back as the text. */
static void check_big_text_rtf(void)
{
    enum { LINES = 150000 };   /* 64 characters a line: about 9.6 MB */
    IMessage *m = new_msg(L"big text");
    if (!m)
        return;
    IStream *st = create_stream(m, PR_BODY_W);
    if (!st)
        return;
    cv_rtf__buf want;
    cv_rtf__buf_init(&want, 0);
    WCHAR line[80];
    char line8[160];
    for (unsigned i = 0; i < LINES; i++) {
        int n = swprintf(line, 80, L"line %07u \x00e9t\x00e9 {brace} \\back\\ tab\there %25s\r\n",
            i, "x");
        ULONG put = 0;
        st->lpVtbl->Write(st, line, (ULONG)n * sizeof(WCHAR), &put);
        int n8 = WideCharToMultiByte(CP_UTF8, 0, line, n, line8, sizeof line8, NULL, NULL);
        cv_rtf__put(&want, line8, (size_t)n8);
    }
    st->lpVtbl->Commit(st, 0);
    st->lpVtbl->Release(st);
    for (int saved = 0; saved < 2; saved++) {
        if (saved) {
            HRESULT hr = m->lpVtbl->SaveChanges(m, KEEP_OPEN_READWRITE);
            ok(hr == S_OK, "SaveChanges of the big text: %#lx\n", hrx(hr));
        }
        size_t zl = 0, rl = 0, tl = 0;
        char *z = read_all(m, PR_RTF_COMP, &zl), *text = NULL;
        uint8_t *rtf = NULL;
        int rc = z ? cv_rtf_decompress(&rtf, &rl, z, zl, 0, 0) : -1;
        if (!rc)
            rc = cv_rtf_to_text(&text, &tl, (const char *)rtf, rl, 0);
        /* the text's last line end is a \par like the others */
        ok(rc == 0 && tl == want.len && memcmp(text, want.data, tl) == 0,
           "RTF of the big text (%s): %d, %lu compressed, %lu / %lu bytes of text\n",
           saved ? "saved" : "pending", rc, (unsigned long)zl, (unsigned long)tl,
           (unsigned long)want.len);
        free(z);
        free(rtf);
        free(text);
    }
    cv_rtf__buf_free(&want);
    m->lpVtbl->Release(m);
}

/* ---- logon and main */

static void open_inbox(void)
{
    ULONG cb = 0;
    LPENTRYID eid = NULL;
    HRESULT hr = store->lpVtbl->GetReceiveFolder(store, (LPTSTR)L"IPM.Note", MAPI_UNICODE, &cb,
        &eid, NULL);
    ok(hr == S_OK && eid, "GetReceiveFolder: %#lx\n", hrx(hr));
    if (!eid)
        test_fatal("no Inbox\n");
    ULONG type = 0;
    hr = store->lpVtbl->OpenEntry(store, cb, eid, &IID_IMAPIFolder, MAPI_BEST_ACCESS, &type,
        (LPUNKNOWN *)&inbox);
    if (hr != S_OK || !inbox)
        test_fatal("OpenEntry(Inbox): %#lx\n", hrx(hr));
    inbox_eid.cb = cb;
    inbox_eid.lpb = (BYTE *)eid;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        test_fatal("usage: test_provider_message PATH-TO-mapidav32.dll\n");
    host_support_setup();
    host_store_path(L"mapidav-message");
    HMODULE dll = NULL;
    LPMSPROVIDER provider = host_load_provider(argv[1], &dll);
    IMapidavDebug *debug = NULL;
    provider->lpVtbl->QueryInterface(provider, &IID_IMapidavDebug, (void **)&debug);

    host_session session;
    if (!host_logon(provider, &session))
        test_fatal("no logon\n");
    store = session.store;
    open_inbox();

    check_create_and_save();
    check_recipients();
    check_attachments();
    check_live_recipients();
    check_live_attachments();
    check_attach_numbers_across_saves();
    check_named();
    check_flags_and_deleted();
    check_read_receipts();
    check_receipt_no_upload();
    check_nonread_reports(provider);
    check_progress();
    check_folder_store_props();
    check_big_body_and_deep_copy();
    check_threads();
    check_text_stream();
    check_big_html_body();
    check_big_rtf_body();
    check_big_stream();
    check_direct_stream();
    private_temp(1);
    check_new_message_stream();
    check_new_message_stream_dropped();
    private_temp(0);
    check_big_html_rtf();
    check_big_rtf_verify();
    check_big_text_rtf();

    inbox->lpVtbl->Release(inbox);
    host_FreeBuffer(inbox_eid.lpb);
    host_logoff(&session);
    if (debug)
        ok(debug->lpVtbl->LiveObjects(debug) == 1, "live objects after logoff: %ld\n",
           (long)debug->lpVtbl->LiveObjects(debug));
    host_unload_provider(provider, debug, dll);
    return test_done();
}
