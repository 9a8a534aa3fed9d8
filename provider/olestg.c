/*
 * olestg.c: ILockBytes over an IStream (contract in olestg.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include <mapicode.h>

#include "provider/object.h"
#include "provider/olestg.h"
#include "provider/shutdown.h"

typedef struct md_lockbytes {
    ILockBytes iface;
    LONG refs;
    IStream *st;           /* AddRef'd */
    CRITICAL_SECTION lock; /* a Seek and its Read / Write together */
} md_lockbytes;

static md_lockbytes *impl(ILockBytes *iface)
{
    return (md_lockbytes *)iface;
}

static HRESULT STDMETHODCALLTYPE lb_QueryInterface(ILockBytes *iface, REFIID riid, void **out)
{
    static const IID *const iids[] = { &IID_ILockBytes };
    return md_query_interface(iface, riid, out, iids, 1);
}

static ULONG STDMETHODCALLTYPE lb_AddRef(ILockBytes *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE lb_Release(ILockBytes *iface)
{
    md_lockbytes *lb = impl(iface);
    ULONG n = md_ref_release(&lb->refs);
    if (n == 0) {
        lb->st->lpVtbl->Release(lb->st);
        DeleteCriticalSection(&lb->lock);
        free(lb);
        md_object_destroyed();
    }
    return n;
}

/* Seeks to off: S_OK or the stream's error. Under lb->lock. */
static HRESULT seek_to(md_lockbytes *lb, ULARGE_INTEGER off)
{
    LARGE_INTEGER to;
    if (off.QuadPart > (ULONGLONG)INT64_MAX)
        return STG_E_INVALIDPARAMETER;
    to.QuadPart = (LONGLONG)off.QuadPart;
    return lb->st->lpVtbl->Seek(lb->st, to, STREAM_SEEK_SET, NULL);
}

static HRESULT STDMETHODCALLTYPE lb_ReadAt(ILockBytes *iface, ULARGE_INTEGER off, void *buf,
    ULONG cb, ULONG *got)
{
    MD_SHUT_GATE();
    md_lockbytes *lb = impl(iface);
    ULONG n = 0;
    if (got)
        *got = 0;
    if (!buf && cb)
        return STG_E_INVALIDPOINTER;
    EnterCriticalSection(&lb->lock);
    HRESULT hr = seek_to(lb, off);
    if (hr == S_OK)
        hr = lb->st->lpVtbl->Read(lb->st, buf, cb, &n);
    LeaveCriticalSection(&lb->lock);
    if (got)
        *got = n;
    return hr;
}

static HRESULT STDMETHODCALLTYPE lb_WriteAt(ILockBytes *iface, ULARGE_INTEGER off,
    const void *buf, ULONG cb, ULONG *put)
{
    MD_SHUT_GATE();
    md_lockbytes *lb = impl(iface);
    ULONG n = 0;
    if (put)
        *put = 0;
    if (!buf && cb)
        return STG_E_INVALIDPOINTER;
    EnterCriticalSection(&lb->lock);
    HRESULT hr = seek_to(lb, off);
    if (hr == S_OK)
        hr = lb->st->lpVtbl->Write(lb->st, buf, cb, &n);
    LeaveCriticalSection(&lb->lock);
    if (put)
        *put = n;
    return hr;
}

static HRESULT STDMETHODCALLTYPE lb_Flush(ILockBytes *iface)
{
    MD_SHUT_GATE();
    md_lockbytes *lb = impl(iface);
    return lb->st->lpVtbl->Commit(lb->st, STGC_DEFAULT);
}

static HRESULT STDMETHODCALLTYPE lb_SetSize(ILockBytes *iface, ULARGE_INTEGER size)
{
    MD_SHUT_GATE();
    md_lockbytes *lb = impl(iface);
    EnterCriticalSection(&lb->lock);
    HRESULT hr = lb->st->lpVtbl->SetSize(lb->st, size);
    LeaveCriticalSection(&lb->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE lb_LockRegion(ILockBytes *iface, ULARGE_INTEGER off,
    ULARGE_INTEGER cb, DWORD type)
{
    MD_SHUT_GATE();
    (void)iface; (void)off; (void)cb; (void)type;
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE lb_UnlockRegion(ILockBytes *iface, ULARGE_INTEGER off,
    ULARGE_INTEGER cb, DWORD type)
{
    MD_SHUT_GATE();
    (void)iface; (void)off; (void)cb; (void)type;
    return STG_E_INVALIDFUNCTION;
}

static HRESULT STDMETHODCALLTYPE lb_Stat(ILockBytes *iface, STATSTG *out, DWORD flag)
{
    MD_SHUT_GATE();
    md_lockbytes *lb = impl(iface);
    (void)flag;
    if (!out)
        return STG_E_INVALIDPOINTER;
    HRESULT hr = lb->st->lpVtbl->Stat(lb->st, out, STATFLAG_NONAME);
    if (hr == S_OK) {
        out->pwcsName = NULL;   /* nameless: ole32 asks for none it can free */
        out->type = STGTY_LOCKBYTES;
        out->grfLocksSupported = 0;
    }
    return hr;
}

static const ILockBytesVtbl lb_vtbl = {
    lb_QueryInterface, lb_AddRef, lb_Release, lb_ReadAt, lb_WriteAt, lb_Flush, lb_SetSize,
    lb_LockRegion, lb_UnlockRegion, lb_Stat,
};

HRESULT md_lockbytes_new(IStream *st, ILockBytes **out)
{
    *out = NULL;
    md_lockbytes *lb = calloc(1, sizeof *lb);
    if (!lb)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    lb->iface.lpVtbl = (ILockBytesVtbl *)&lb_vtbl;
    lb->refs = 1;
    lb->st = st;
    st->lpVtbl->AddRef(st);
    InitializeCriticalSection(&lb->lock);
    md_object_created();
    *out = &lb->iface;
    return S_OK;
}
