/*
 * host_props.h: small reads the Windows test programs share beside
 * host_session.h (loading, logon, logoff): one property of an object, an
 * object's entry ID, and the checks that close a program (references on
 * the support object, MAPI buffers, Subscribe/Unsubscribe balance).
 * Header-only: include it after host_support.h.
 * Never: keep a MAPI buffer past the call that reads it.
 */
#ifndef MAPIDAV_HOST_PROPS_H
#define MAPIDAV_HOST_PROPS_H

/* One property of obj (an IMAPIProp), or NULL when it has none (free the
 * value with host_FreeBuffer). */
static LPSPropValue host_get_one(void *obj, ULONG tag)
{
    IMAPIProp *p = obj;
    SizedSPropTagArray(1, t) = { 1, { tag } };
    ULONG n = 0;
    LPSPropValue v = NULL;
    HRESULT hr = p->lpVtbl->GetProps(p, (LPSPropTagArray)&t, MAPI_UNICODE, &n, &v);
    if (FAILED(hr) || n != 1 || !v || PROP_TYPE(v->ulPropTag) == PT_ERROR) {
        host_FreeBuffer(v);
        return NULL;
    }
    return v;
}

/* obj's PR_ENTRYID copied into out (64 bytes at most): its size, 0 if none. */
static ULONG host_eid_of(void *obj, BYTE out[64])
{
    LPSPropValue v = host_get_one(obj, PR_ENTRYID);
    ULONG cb = 0;
    if (v && v->Value.bin.cb <= 64) {
        cb = v->Value.bin.cb;
        memcpy(out, v->Value.bin.lpb, cb);
    }
    host_FreeBuffer(v);
    return cb;
}

/* What must be back where it started when everything is released. */
static void host_end_checks(void)
{
    ok(sup_refs == 1, "support object references left: %ld\n", (long)sup_refs - 1);
    ok(buffers_live == 0, "MAPI buffers not freed: %ld\n", (long)buffers_live);
    ok(subscribes == unsubscribes, "Subscribe %d, Unsubscribe %d\n", subscribes, unsubscribes);
}

#endif
