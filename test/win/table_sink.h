/*
 * table_sink.h: an IMAPIAdviseSink for the Windows table tests: it keeps
 * what the last table notification said (event, instance keys of the row
 * and of the prior row, the row's first column as a PT_LONG when it is
 * one, the row's PR_ENTRYID) and counts them, checking the shape MAPI gives
 * (fnevTableModified, a 4-byte PR_INSTANCE_KEY index, PR_NULL for
 * TABLE_CHANGED / TABLE_RELOAD, a PR_INSTANCE_KEY or PR_NULL prior). Its
 * base and IUnknown methods are advise_sink.h's.
 * Header-only: include testutil.h and host_alloc.h first. Counters are read by the test's
 * thread while a provider thread may write them: reads go through
 * sink_count().
 * Also free_rows, FreeProws as MAPI does it.
 * Never: call back into the table from OnNotify.
 */
#ifndef MAPIDAV_TABLE_SINK_H
#define MAPIDAV_TABLE_SINK_H

#include <string.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapitags.h>

#include "advise_sink.h"

typedef struct test_sink {
    ADVISE_SINK_BASE;
    LONG n;                  /* notifications received */
    ULONG last_event;        /* TABLE_* of the last */
    BYTE last_key[4], last_prior[4];
    int last_has_prior;      /* propPrior was an instance key (not PR_NULL) */
    LONG last_rowid;         /* first column when PT_LONG, else -1 */
    ULONG last_cvalues;      /* columns of the row given */
    BYTE last_eid[64];       /* PR_ENTRYID of the row, when given */
    ULONG last_eid_cb;
} test_sink;

static ULONG STDMETHODCALLTYPE sink_OnNotify(IMAPIAdviseSink *iface, ULONG n,
    LPNOTIFICATION notifs)
{
    test_sink *s = (test_sink *)iface;
    for (ULONG i = 0; i < n; i++) {
        TABLE_NOTIFICATION *t = &notifs[i].info.tab;
        ok(notifs[i].ulEventType == fnevTableModified, "event type %#lx\n",
           (unsigned long)notifs[i].ulEventType);
        s->last_event = t->ulTableEvent;
        int whole = t->ulTableEvent == TABLE_CHANGED || t->ulTableEvent == TABLE_RELOAD;
        ok(whole ? t->propIndex.ulPropTag == PR_NULL   /* no row named */
                 : t->propIndex.ulPropTag == PR_INSTANCE_KEY && t->propIndex.Value.bin.cb == 4,
           "propIndex %#lx\n", (unsigned long)t->propIndex.ulPropTag);
        if (!whole && t->propIndex.Value.bin.cb == 4)
            memcpy(s->last_key, t->propIndex.Value.bin.lpb, 4);
        s->last_has_prior = t->propPrior.ulPropTag == PR_INSTANCE_KEY;
        ok(s->last_has_prior || t->propPrior.ulPropTag == PR_NULL, "propPrior %#lx\n",
           (unsigned long)t->propPrior.ulPropTag);
        if (s->last_has_prior)
            memcpy(s->last_prior, t->propPrior.Value.bin.lpb, 4);
        s->last_cvalues = t->row.cValues;
        s->last_rowid = t->row.cValues && PROP_TYPE(t->row.lpProps[0].ulPropTag) == PT_LONG
            ? t->row.lpProps[0].Value.l : -1;
        s->last_eid_cb = 0;
        for (ULONG c = 0; c < t->row.cValues; c++)
            if (t->row.lpProps[c].ulPropTag == PR_ENTRYID
                && t->row.lpProps[c].Value.bin.cb <= sizeof s->last_eid) {
                s->last_eid_cb = t->row.lpProps[c].Value.bin.cb;
                memcpy(s->last_eid, t->row.lpProps[c].Value.bin.lpb, s->last_eid_cb);
            }
        InterlockedIncrement(&s->n);
    }
    return 0;
}

static inline void sink_init(test_sink *s)
{
    memset(s, 0, sizeof *s);
    advise_sink_init(&s->base, sink_OnNotify);
}

static inline LONG sink_count(test_sink *s)
{
    return InterlockedCompareExchange(&s->n, 0, 0);
}

/* Waits up to ms for the sink to have more than `before` notifications. */
static inline int sink_wait(test_sink *s, LONG before, DWORD ms)
{
    for (DWORD waited = 0; sink_count(s) <= before && waited < ms; waited += 10)
        Sleep(10);
    return sink_count(s) > before;
}

/* FreeProws, as MAPI does it: each row's values, then the set (the
 * allocators of host_alloc.h). */
static inline void free_rows(SRowSet *set)
{
    if (!set)
        return;
    for (ULONG i = 0; i < set->cRows; i++)
        host_FreeBuffer(set->aRow[i].lpProps);
    host_FreeBuffer(set);
}

#endif
