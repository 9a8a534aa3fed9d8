/*
 * shutdown.c: the lifecycle registry of shutdown.h: background threads
 * (owner, duplicated handle, wake event, stop and left marks), open stores,
 * and fast shutdown over both.
 *
 * Invariants: bg_lock and store_lock are leaves (SRW, not recursive): held
 * to read or copy the lists, never while waiting, calling storage, MAPI or
 * a store's lock. A wake event is set only under bg_lock and only while its
 * entry is not `left`, so never after md_bg_leave. A store is used only
 * after a reference was taken on it while its count was still above zero.
 * Never: wait for the calling thread; free a store here (Release does).
 */
#include <stdlib.h>

#include "provider/shutdown.h"
#include "provider/store.h"
#include "storage/strutil.h"

typedef struct bg_entry {
    DWORD tid;
    HANDLE thread;          /* our duplicate */
    HANDLE wake;            /* borrowed; NULL once the thread left */
    const void *owner;
    int stop;               /* md_bg_stop asked it to end */
    int left;               /* md_bg_leave called */
} bg_entry;

static SRWLOCK bg_lock = SRWLOCK_INIT;
static bg_entry *bg;
static size_t n_bg, cap_bg;

static SRWLOCK store_lock = SRWLOCK_INIT;
static md_store **stores;
static size_t n_stores, cap_stores;

static volatile LONG shutdown_done;

/* Room for one more in *arr (elements of size): 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
    void *p = st_grow(*arr, cap, n, size, 16);
    if (!p)
        return -1;
    *arr = p;
    return 0;
}

/* Under bg_lock. */
static bg_entry *find(DWORD tid)
{
    for (size_t i = 0; i < n_bg; i++)
        if (bg[i].tid == tid)
            return &bg[i];
    return NULL;
}

/* Under bg_lock: drops entry e (closing our handle); the array goes with
 * its last entry, so nothing of ours stays allocated once all is done. */
static void drop(bg_entry *e)
{
    if (e->thread)
        CloseHandle(e->thread);
    *e = bg[--n_bg];
    if (!n_bg) {
        free(bg);
        bg = NULL;
        cap_bg = 0;
    }
}

/* A handle of our own on thread h, for waiting outside bg_lock. */
static HANDLE dup_handle(HANDLE h)
{
    HANDLE out = NULL;
    if (!h || !DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &out, SYNCHRONIZE,
            FALSE, 0))
        return NULL;
    return out;
}

void md_bg_add(const void *owner, HANDLE thread, DWORD tid, HANDLE wake)
{
    HANDLE dup = dup_handle(thread);
    if (!dup)
        return;   /* not registered: it stops with its owner only */
    AcquireSRWLockExclusive(&bg_lock);
    if (!find(tid) && !grow((void **)&bg, &cap_bg, n_bg, sizeof *bg))
        bg[n_bg++] = (bg_entry){ tid, dup, wake, owner, 0, 0 };
    else
        CloseHandle(dup);
    ReleaseSRWLockExclusive(&bg_lock);
}

int md_bg_stopping(void)
{
    if (md_shutdown_done())
        return 1;
    AcquireSRWLockShared(&bg_lock);
    bg_entry *e = find(GetCurrentThreadId());
    int stop = e && e->stop;
    ReleaseSRWLockShared(&bg_lock);
    return stop;
}

void md_bg_leave(void)
{
    /* Not found: it ends before its starter added it, so its owner joins
     * it (a thread frees its own object only after a sink ran on it, which
     * is after the add) and the entry, added late, is removed then. */
    AcquireSRWLockExclusive(&bg_lock);
    bg_entry *e = find(GetCurrentThreadId());
    if (e) {
        e->wake = NULL;
        e->left = 1;
    }
    ReleaseSRWLockExclusive(&bg_lock);
}

void md_bg_remove(DWORD tid)
{
    AcquireSRWLockExclusive(&bg_lock);
    bg_entry *e = find(tid);
    if (e)
        drop(e);
    ReleaseSRWLockExclusive(&bg_lock);
}

/* Handles (our own duplicates) of the entries match() selects, except the
 * calling thread's; *n of them, malloc'd (NULL when none or out of memory).
 * Under bg_lock, exclusive (mark may change entries). */
typedef int (*bg_match)(bg_entry *e, const void *owner);
static HANDLE *collect(bg_match match, const void *owner, size_t *n)
{
    DWORD self = GetCurrentThreadId();
    HANDLE *hs = n_bg ? malloc(n_bg * sizeof *hs) : NULL;
    *n = 0;
    for (size_t i = 0; i < n_bg; i++) {
        if (!match(&bg[i], owner) || bg[i].tid == self || !hs)
            continue;
        HANDLE h = dup_handle(bg[i].thread);
        if (h)
            hs[(*n)++] = h;
    }
    return hs;
}

static int match_stop(bg_entry *e, const void *owner)
{
    if (owner && e->owner != owner)
        return 0;
    e->stop = 1;
    if (!e->left && e->wake)
        SetEvent(e->wake);
    return 1;
}

size_t md_bg_stop(const void *owner, DWORD timeout_ms)
{
    size_t n = 0, running = 0;
    AcquireSRWLockExclusive(&bg_lock);
    HANDLE *hs = collect(match_stop, owner, &n);
    ReleaseSRWLockExclusive(&bg_lock);
    DWORD start = GetTickCount();
    for (size_t i = 0; i < n; i++) {
        DWORD spent = GetTickCount() - start;
        DWORD left = spent < timeout_ms ? timeout_ms - spent : 0;
        if (WaitForSingleObject(hs[i], left) != WAIT_OBJECT_0)
            running++;
        CloseHandle(hs[i]);
    }
    free(hs);
    return running;
}

static int match_left(bg_entry *e, const void *owner)
{
    (void)owner;
    return e->left;
}

void md_bg_reap(void)
{
    size_t n = 0;
    DWORD self = GetCurrentThreadId();
    AcquireSRWLockExclusive(&bg_lock);
    HANDLE *hs = collect(match_left, NULL, &n);
    if (hs || !n_bg)
        for (size_t i = n_bg; i-- > 0; )
            if (bg[i].left && bg[i].tid != self)
                drop(&bg[i]);
    ReleaseSRWLockExclusive(&bg_lock);
    /* They are past md_bg_leave, on their way out: the wait is short. */
    for (size_t i = 0; i < n; i++) {
        WaitForSingleObject(hs[i], INFINITE);
        CloseHandle(hs[i]);
    }
    free(hs);
}

/* ---- Stores */

void md_lifecycle_store_add(md_store *s)
{
    AcquireSRWLockExclusive(&store_lock);
    if (!grow((void **)&stores, &cap_stores, n_stores, sizeof *stores))
        stores[n_stores++] = s;   /* else: only its own Logoff stops it */
    ReleaseSRWLockExclusive(&store_lock);
}

void md_lifecycle_store_remove(md_store *s)
{
    AcquireSRWLockExclusive(&store_lock);
    for (size_t i = 0; i < n_stores; i++)
        if (stores[i] == s) {
            stores[i] = stores[--n_stores];
            break;
        }
    if (!n_stores) {
        free(stores);
        stores = NULL;
        cap_stores = 0;
    }
    ReleaseSRWLockExclusive(&store_lock);
}

/* A reference on s unless its count already reached zero (its Release is
 * under way and will remove it from the list). */
static int try_add_ref(md_store *s)
{
    LONG r = InterlockedCompareExchange(&s->refs, 0, 0);
    while (r > 0) {
        LONG prev = InterlockedCompareExchange(&s->refs, r + 1, r);
        if (prev == r)
            return 1;
        r = prev;
    }
    return 0;
}

void md_fast_shutdown(void)
{
    InterlockedExchange(&shutdown_done, 1);
    md_bg_stop(NULL, MD_BG_STOP_MS);

    AcquireSRWLockShared(&store_lock);
    size_t n = 0;
    md_store **list = n_stores ? malloc(n_stores * sizeof *list) : NULL;
    for (size_t i = 0; list && i < n_stores; i++)
        if (try_add_ref(stores[i]))
            list[n++] = stores[i];
    ReleaseSRWLockShared(&store_lock);
    for (size_t i = 0; i < n; i++) {
        md_store *s = list[i];
        md_store_stop(s);
        /* A barrier: the call that held the lock has finished; the next
         * one sees md_shutdown_done at the store's door. */
        EnterCriticalSection(&s->lock);
        LeaveCriticalSection(&s->lock);
        s->iface.lpVtbl->Release(&s->iface);
    }
    free(list);
    md_bg_reap();
}

int md_shutdown_done(void)
{
    return InterlockedCompareExchange(&shutdown_done, 0, 0) != 0;
}
