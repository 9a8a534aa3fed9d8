/*
 * sinklist.h: what the provider's two IMAPITable implementations (table.c
 * over storage, memtable.c in memory) share: the list of advise sinks of a
 * table, and the bodies of the methods that are the same for both because
 * every table operation is synchronous (GetStatus, WaitForCompletion,
 * Abort) or checks the same arguments (Advise).
 *
 * The list is not locked by itself: its owner's lock guards every call.
 * A sink is AddRef'd when added; md_sinks_remove hands its reference back
 * so that the caller releases it after leaving its lock (the release may be
 * the application's last, and the sink may call back into the table).
 * Never: release a sink, or call OnNotify, with the owner's lock held.
 */
#ifndef MAPIDAV_PROVIDER_SINKLIST_H
#define MAPIDAV_PROVIDER_SINKLIST_H

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>

typedef struct md_sink {
    ULONG conn;                /* Advise's connection number, never 0 */
    IMAPIAdviseSink *sink;     /* one reference */
} md_sink;

typedef struct md_sinklist {
    md_sink *v;
    size_t n, cap;
    ULONG next_conn;
} md_sinklist;

/* Adds sink (AddRef'd) under a new connection number in *conn: S_OK or
 * MAPI_E_NOT_ENOUGH_MEMORY (*conn 0). */
HRESULT md_sinks_add(md_sinklist *l, IMAPIAdviseSink *sink, ULONG *conn);

/* Takes the sink of conn out of the list and gives its reference to the
 * caller; NULL when there is none (MAPI_E_NOT_FOUND for Unadvise). */
IMAPIAdviseSink *md_sinks_remove(md_sinklist *l, ULONG conn);

/* Releases every sink and frees the list (the owner is going away). */
void md_sinks_clear(md_sinklist *l);

/* IMAPITable::Advise's argument checks: a sink, a place for the
 * connection (set to 0), and an event mask asking for table events only
 * (a table raises nothing else). S_OK or MAPI_E_INVALID_PARAMETER. */
HRESULT md_table_advise_check(ULONG mask, LPMAPIADVISESINK sink, ULONG *conn);

/* GetStatus, WaitForCompletion and Abort of a table whose operations all
 * complete before they return. */
HRESULT md_table_status(ULONG *status, ULONG *type);
HRESULT md_table_wait(ULONG flags, ULONG *status);

#endif
