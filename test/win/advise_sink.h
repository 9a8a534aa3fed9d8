/*
 * advise_sink.h: the IMAPIAdviseSink base of the Windows tests' sinks: the
 * interface, its reference count and its methods table, the three IUnknown
 * methods once (sink_QueryInterface, sink_AddRef, sink_Release), and
 * advise_sink_init, which fills them in with the sink's own OnNotify.
 * A test sink starts with ADVISE_SINK_BASE: `s.iface` (what Advise is
 * given) and `s.refs` read as plain members, `s.base` is the advise_sink
 * (the two views share their first members: a union's common initial
 * sequence, C11 6.5.2.3).
 * Invariants: iface is the first member, so the IMAPIAdviseSink * that
 * MAPI hands back is the sink; refs counts with Interlocked* (a provider
 * thread may AddRef/Release while the test reads it); QueryInterface
 * answers E_NOINTERFACE (no caller asks for another interface).
 * Header-only; a sink whose Release must do more sets its own in
 * base.vtbl after advise_sink_init.
 * Never: free a sink on its last Release (they are static or stack
 * objects the test checks after the provider let them go).
 */
#ifndef MAPIDAV_ADVISE_SINK_H
#define MAPIDAV_ADVISE_SINK_H

#include <windows.h>
#include <mapidefs.h>

typedef struct advise_sink {
    IMAPIAdviseSink iface;      /* first: lpVtbl points at vtbl */
    LONG refs;
    IMAPIAdviseSinkVtbl vtbl;
} advise_sink;

/* The first member of every test sink. */
#define ADVISE_SINK_BASE                                        \
    union {                                                     \
        advise_sink base;                                       \
        struct { IMAPIAdviseSink iface; LONG refs; };           \
    }

typedef ULONG (STDMETHODCALLTYPE *advise_sink_notify_fn)(IMAPIAdviseSink *self, ULONG n,
    LPNOTIFICATION notifs);

static inline HRESULT STDMETHODCALLTYPE sink_QueryInterface(IMAPIAdviseSink *self,
    REFIID riid, void **out)
{
    (void)self; (void)riid;
    *out = NULL;
    return E_NOINTERFACE;
}

static inline ULONG STDMETHODCALLTYPE sink_AddRef(IMAPIAdviseSink *self)
{
    return (ULONG)InterlockedIncrement(&((advise_sink *)self)->refs);
}

static inline ULONG STDMETHODCALLTYPE sink_Release(IMAPIAdviseSink *self)
{
    return (ULONG)InterlockedDecrement(&((advise_sink *)self)->refs);
}

/* Makes b a sink with one reference whose OnNotify is on_notify. The rest
 * of the test's sink is the caller's to set (zero it first). */
static inline void advise_sink_init(advise_sink *b, advise_sink_notify_fn on_notify)
{
    b->vtbl.QueryInterface = sink_QueryInterface;
    b->vtbl.AddRef = sink_AddRef;
    b->vtbl.Release = sink_Release;
    b->vtbl.OnNotify = on_notify;
    b->iface.lpVtbl = &b->vtbl;
    b->refs = 1;
}

#endif
