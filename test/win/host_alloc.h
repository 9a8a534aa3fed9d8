/*
 * host_alloc.h: MAPI's three allocators as a test program brings them
 * (Wine has no MAPI subsystem), for the Windows tests. Header-only, like
 * testutil.h (include that first): each test program is one file plus these.
 *
 * They count the blocks given out (buffers_live), so a test sees that the
 * provider freed every buffer it was given or gave away.
 */
#ifndef MAPIDAV_HOST_ALLOC_H
#define MAPIDAV_HOST_ALLOC_H

#include <stdlib.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>

/* ---- Allocators, as the MAPI reference describes them: MAPIAllocateBuffer
 * gives a block; MAPIAllocateMore gives a block linked to a parent block so
 * that MAPIFreeBuffer on the parent frees both; MAPIFreeBuffer(NULL) is a
 * no-op. Counted, so the test can see that every buffer was freed. */
typedef struct buf_hdr {
    struct buf_hdr *more;     /* blocks linked to this one (parent only) */
    ULONG magic;
    ULONG is_more;
} buf_hdr;
#define BUF_MAGIC 0x4d415049u
static LONG buffers_live;

static SCODE STDMETHODCALLTYPE host_AllocateBuffer(ULONG size, LPVOID *out)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    buf_hdr *h = calloc(1, sizeof *h + size + 16);
    *out = NULL;
    if (!h)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    h->magic = BUF_MAGIC;
    InterlockedIncrement(&buffers_live);
    *out = (BYTE *)h + sizeof *h;
    return S_OK;
}

static buf_hdr *hdr_of(void *p)
{
    buf_hdr *h = (buf_hdr *)((BYTE *)p - sizeof(buf_hdr));
    return h->magic == BUF_MAGIC ? h : NULL;
}

static SCODE STDMETHODCALLTYPE host_AllocateMore(ULONG size, LPVOID parent, LPVOID *out)
{
    buf_hdr *p = parent ? hdr_of(parent) : NULL;
    if (!out || !p || p->is_more)
        return MAPI_E_INVALID_PARAMETER;
    buf_hdr *h = calloc(1, sizeof *h + size + 16);
    *out = NULL;
    if (!h)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    h->magic = BUF_MAGIC;
    h->is_more = 1;
    h->more = p->more;
    p->more = h;
    *out = (BYTE *)h + sizeof *h;
    return S_OK;
}

static ULONG STDMETHODCALLTYPE host_FreeBuffer(LPVOID p)
{
    if (!p)
        return 0;
    buf_hdr *h = hdr_of(p);
    if (!h || h->is_more) {
        ok(0, "FreeBuffer of %p: not a buffer of MAPIAllocateBuffer\n", p);
        return 0;
    }
    for (buf_hdr *m = h->more, *next; m; m = next) {
        next = m->more;
        m->magic = 0;
        free(m);
    }
    h->magic = 0;
    free(h);
    InterlockedDecrement(&buffers_live);
    return 0;
}

#endif
