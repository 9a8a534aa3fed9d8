/*
 * mapi_extra.h: the MAPI definitions Outlook's SDK headers have and
 * mingw-w64's lack, written from the MAPI reference and the [MS-OX*]
 * documents named at each (ARCHITECTURE.md: one header of our own for
 * them). Each is guarded, so a header that gains it wins.
 * Never: put a definition of ours (a private tag, a provider flag) here.
 */
#ifndef MAPIDAV_PROVIDER_MAPI_EXTRA_H
#define MAPIDAV_PROVIDER_MAPI_EXTRA_H

#include <windows.h>
#include <mapidefs.h>

/* DeleteMessages / EmptyFolder and SetSearchCriteria flags (MAPI reference;
 * [MS-OXCFOLD] 2.2.1.11 and [MS-OXOSRCH] 2.2.1.1). */
#ifndef DELETE_HARD_DELETE
#define DELETE_HARD_DELETE ((ULONG)0x00000010)
#endif
#ifndef CONTENT_INDEXED_SEARCH
#define CONTENT_INDEXED_SEARCH ((ULONG)0x00010000)
#endif
#ifndef NON_CONTENT_INDEXED_SEARCH
#define NON_CONTENT_INDEXED_SEARCH ((ULONG)0x00020000)
#endif
#ifndef STATIC_SEARCH
#define STATIC_SEARCH ((ULONG)0x00040000)
#endif

/* GetContentsTable / GetHierarchyTable flag of the MAPI reference that
 * mingw-w64's headers lack (Outlook's mapidefs.h: 0x00000002). */
#ifndef SHOW_SOFT_DELETES
#define SHOW_SOFT_DELETES ((ULONG) 0x00000002)
#endif

/* IMAPIProviderShutdown (Outlook's mapidefs.h):
 * {00020398-0000-0000-C000-000000000046}; defined where initguid.h is
 * included first (guids.c, and test programs of their own). */
DEFINE_GUID(IID_IMAPIProviderShutdown, 0x00020398, 0x0000, 0x0000,
    0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46);
typedef struct IMAPIProviderShutdown IMAPIProviderShutdown;
typedef struct IMAPIProviderShutdownVtbl {
    HRESULT (STDMETHODCALLTYPE *QueryInterface)(IMAPIProviderShutdown *self, REFIID riid,
        void **out);
    ULONG (STDMETHODCALLTYPE *AddRef)(IMAPIProviderShutdown *self);
    ULONG (STDMETHODCALLTYPE *Release)(IMAPIProviderShutdown *self);
    HRESULT (STDMETHODCALLTYPE *QueryFastShutdown)(IMAPIProviderShutdown *self);
    HRESULT (STDMETHODCALLTYPE *NotifyProcessShutdown)(IMAPIProviderShutdown *self);
    HRESULT (STDMETHODCALLTYPE *DoFastShutdown)(IMAPIProviderShutdown *self);
} IMAPIProviderShutdownVtbl;
struct IMAPIProviderShutdown {
    const IMAPIProviderShutdownVtbl *lpVtbl;
};

/* Rule actions (Exchange SDK edkmdb.h; [MS-OXORULE] 2.2.5): PT_ACTIONS. */
#ifndef EDK_RULES_VERSION
#define EDK_RULES_VERSION 1

typedef enum {
    OP_MOVE = 1, OP_COPY, OP_REPLY, OP_OOF_REPLY, OP_DEFER_ACTION, OP_BOUNCE, OP_FORWARD,
    OP_DELEGATE, OP_TAG, OP_DELETE, OP_MARK_AS_READ
} ACTTYPE;

typedef struct _action {
    ACTTYPE acttype;
    ULONG ulActionFlavor;
    LPSRestriction lpRes;            /* reserved: NULL */
    LPSPropTagArray lpPropTagArray;  /* reserved: NULL */
    ULONG ulFlags;
    ULONG dwAlignPad;
    union {
        struct {
            ULONG cbStoreEntryId;
            LPENTRYID lpStoreEntryId;
            ULONG cbFldEntryId;
            LPENTRYID lpFldEntryId;
        } actMoveCopy;
        struct {
            ULONG cbEntryId;
            LPENTRYID lpEntryId;
            GUID guidReplyTemplate;
        } actReply;
        struct {
            ULONG cbData;
            BYTE *pbData;
        } actDeferAction;
        SCODE scBounceCode;
        LPADRLIST lpadrlist;
        SPropValue propTag;
    };
} ACTION, *LPACTION;

typedef struct _actions {
    ULONG ulVersion;       /* EDK_RULES_VERSION */
    UINT cActions;
    LPACTION lpAction;
} ACTIONS;
#endif

#endif
