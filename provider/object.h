/*
 * object.h: what every COM object of the provider shares: a reference count
 * changed with InterlockedIncrement/Decrement, a process-wide counter of live
 * objects (a debugging aid: it must be back at zero when MAPI has released
 * everything), and a QueryInterface helper over a list of IIDs.
 *
 * The live counter reaches tests without a DLL export (mapidav32.dll exports
 * MAPI's three entry points only): QueryInterface(IID_IMapidavDebug) on the
 * IMSProvider answers a static object, not reference counted and not counted
 * itself, whose LiveObjects method reads the counter. It stays usable after
 * the provider is released, for as long as the DLL is loaded.
 *
 * Never: free an object anywhere but in its own Release at count zero; make
 * an object without md_object_created (or forget md_object_destroyed).
 */
#ifndef MAPIDAV_PROVIDER_OBJECT_H
#define MAPIDAV_PROVIDER_OBJECT_H

#include <windows.h>
#include <mapidefs.h>

/* {6d617069-6461-7600-8000-646562756721}: private, tests only. */
DEFINE_GUID(IID_IMapidavDebug, 0x6d617069, 0x6461, 0x7600,
    0x80, 0x00, 0x64, 0x65, 0x62, 0x75, 0x67, 0x21);

typedef struct IMapidavDebug IMapidavDebug;
typedef struct IMapidavDebugVtbl {
    HRESULT (STDMETHODCALLTYPE *QueryInterface)(IMapidavDebug *self, REFIID riid, void **out);
    ULONG (STDMETHODCALLTYPE *AddRef)(IMapidavDebug *self);
    ULONG (STDMETHODCALLTYPE *Release)(IMapidavDebug *self);
    /* Objects of the provider alive now (provider, logons, stores, folders ...). */
    LONG (STDMETHODCALLTYPE *LiveObjects)(IMapidavDebug *self);
} IMapidavDebugVtbl;
struct IMapidavDebug {
    const IMapidavDebugVtbl *lpVtbl;
};

/* The static debug object (see above). */
IMapidavDebug *md_debug_object(void);

/* Count an object made / freed. */
void md_object_created(void);
void md_object_destroyed(void);
LONG md_live_objects(void);

/* AddRef / Release on a counter: the new count. */
static inline ULONG md_ref_add(LONG *refs)
{
    return (ULONG)InterlockedIncrement(refs);
}
static inline ULONG md_ref_release(LONG *refs)
{
    return (ULONG)InterlockedDecrement(refs);
}

/* QueryInterface: IID_IUnknown or one of the n iids gives self, AddRef'd
 * through its own vtable (every interface starts with IUnknown's three
 * methods); else *out = NULL and E_NOINTERFACE. Bad pointers: E_INVALIDARG. */
HRESULT md_query_interface(void *self, REFIID riid, void **out, const IID *const *iids,
    size_t n);

#endif
