/*
 * sinklist.c: the advise-sink list and the synchronous-table method bodies
 * of sinklist.h.
 */
#include <stdlib.h>
#include <string.h>

#include "provider/sinklist.h"
#include "storage/strutil.h"

HRESULT md_sinks_add(md_sinklist *l, IMAPIAdviseSink *sink, ULONG *conn)
{
    *conn = 0;
    md_sink *p = st_grow(l->v, &l->cap, l->n, sizeof *p, 4);
    if (!p)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    l->v = p;
    if (++l->next_conn == 0)
        l->next_conn = 1;
    sink->lpVtbl->AddRef(sink);
    l->v[l->n].conn = *conn = l->next_conn;
    l->v[l->n].sink = sink;
    l->n++;
    return S_OK;
}

IMAPIAdviseSink *md_sinks_remove(md_sinklist *l, ULONG conn)
{
    for (size_t i = 0; conn && i < l->n; i++) {
        if (l->v[i].conn != conn)
            continue;
        IMAPIAdviseSink *sink = l->v[i].sink;
        memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
        l->n--;
        return sink;
    }
    return NULL;
}

void md_sinks_clear(md_sinklist *l)
{
    for (size_t i = 0; i < l->n; i++)
        l->v[i].sink->lpVtbl->Release(l->v[i].sink);
    free(l->v);
    memset(l, 0, sizeof *l);
}

HRESULT md_table_advise_check(ULONG mask, LPMAPIADVISESINK sink, ULONG *conn)
{
    if (!sink || !conn)
        return MAPI_E_INVALID_PARAMETER;
    *conn = 0;
    if (!(mask & fnevTableModified) || (mask & ~(ULONG)fnevTableModified))
        return MAPI_E_INVALID_PARAMETER;
    return S_OK;
}

HRESULT md_table_status(ULONG *status, ULONG *type)
{
    if (!status || !type)
        return MAPI_E_INVALID_PARAMETER;
    *status = TBLSTAT_COMPLETE;
    *type = TBLTYPE_DYNAMIC;
    return S_OK;
}

HRESULT md_table_wait(ULONG flags, ULONG *status)
{
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    if (status)
        *status = TBLSTAT_COMPLETE;
    return S_OK;
}
