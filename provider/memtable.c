/*
 * memtable.c: the in-memory IMAPITable of memtable.h (contract there).
 *
 * Layout: the table keeps its rows sorted by key (binary search for
 * set_row / delete_row); each view keeps the rows it shows sorted by its
 * order (sort keys, then insertion order), so a row's place in a view is a
 * binary search too. The cursor is mark 0 of a view and bookmarks the
 * others: each a position plus the row there, shifted when rows come and
 * go. Changes reserve every array first, so a change either fails before
 * touching anything or completes; sync and replace_all plan the whole new
 * content (mt_plan: which old row each given row continues, the copies,
 * the next key-sorted array) before applying it. Notifications go to
 * t->queue in the order of the changes; flush() hands them to the sinks
 * from one thread at a time (t->delivering), with no lock held, unless a
 * hold is on.
 * Invariant: view->rows holds exactly the rows whose bag matches the
 * view's restriction, in view order; mark.row == rows[mark.pos] (NULL at
 * the end).
 * Never: call a sink or Release one with t->lock held; evaluate a
 * restriction or sort with anything but storage's evaluator.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>
#include <mapidefs.h>
#include <mapicode.h>
#include <mapiguid.h>

#include "provider/mapiprop.h"
#include "provider/memtable.h"
#include "provider/object.h"
#include "provider/shutdown.h"
#include "provider/sinklist.h"
#include "storage/props_tags.h"
#include "storage/strutil.h"

#include "provider/restrict.h"

#define MT_BOOKMARK_BASE 2   /* BOOKMARK b (>= 3) is mark b - 2; mark 0 is the cursor */
#define MT_MAX_MARKS 65536u  /* bookmarks of one view */

typedef struct mt_row {
    st_bag *bag;            /* owned: the row as given, plus PR_INSTANCE_KEY */
    uint64_t seq;           /* first insertion order, ties of every view order */
    uint8_t inst[4];        /* PR_INSTANCE_KEY, little-endian counter */
} mt_row;

typedef struct mt_mark {
    int used;               /* bookmark slot taken (mark 0 always) */
    size_t pos;             /* index in the view; view->n is the end */
    mt_row *row;            /* the row at pos, NULL at the end */
    int moved;              /* its row went away since last used */
    int follow;             /* during a row move: goes with the row */
} mt_mark;

typedef struct mt_view {
    IMAPITable iface;       /* first */
    LONG refs;
    md_memtable *t;         /* a reference of the table */
    struct mt_view *next;   /* in t->views */
    uint32_t *cols;         /* columns (SetColumns) */
    size_t ncols;
    st_sortset *sort;       /* NULL: insertion order */
    st_restriction *res;    /* NULL: every row */
    mt_row **rows;          /* shown rows, in view order */
    size_t n, cap;
    mt_mark *marks;         /* [0] cursor, then bookmarks */
    size_t nmarks;
    md_sinklist sinks;      /* under t->lock */
    size_t tmp_pos;         /* set_row: the row's old place (SIZE_MAX: not shown) */
} mt_view;

/* A notification waiting for the lock to be released. */
typedef struct mt_pending {
    IMAPIAdviseSink *sink;  /* AddRef'd */
    NOTIFICATION *notif;    /* one buffer chain of t->alloc */
} mt_pending;

typedef struct mt_queue {
    mt_pending *p;
    size_t n, cap;
} mt_queue;

struct md_memtable {
    LONG refs;              /* owner (until md_memtable_free) + one per view */
    CRITICAL_SECTION lock;  /* everything below, and every view's state */
    md_alloc alloc;
    uint32_t *cols;         /* default columns of a new view */
    size_t ncols;
    uint32_t key_tag;
    mt_row **rows;          /* sorted by key */
    size_t n, cap;
    uint64_t next_seq;
    uint32_t next_inst;
    mt_view *views;
    size_t nviews;          /* views alive */
    void (*on_last_view)(void *); /* md_memtable_on_last_view */
    void *on_last_view_ctx;
    mt_queue queue;         /* notifications not delivered yet, in order */
    unsigned holds;         /* md_memtable_hold not yet delivered */
    int delivering;         /* a thread is calling sinks from queue */
};

static const IMAPITableVtbl view_vtbl;
static void queue_free(mt_queue *q, const md_alloc *a);

/* ---- Helpers */

/* Room for need elements in *arr (storage's st_grow, which doubles once
 * per call): 0 or -1. */
static int reserve(void **arr, size_t *cap, size_t need, size_t elem)
{
    while (*cap < need) {
        void *p = st_grow(*arr, cap, *cap, elem, 8);
        if (!p)
            return -1;
        *arr = p;
    }
    return 0;
}

static void table_unref(md_memtable *t)
{
    if (md_ref_release(&t->refs))
        return;
    for (size_t i = 0; i < t->n; i++) {
        st_bag_free(t->rows[i]->bag);
        free(t->rows[i]);
    }
    free(t->rows);
    free(t->cols);
    queue_free(&t->queue, &t->alloc);
    DeleteCriticalSection(&t->lock);
    free(t);
}

static const st_value *row_key(const md_memtable *t, const mt_row *r)
{
    return st_bag_get(r->bag, t->key_tag);
}

/* First index of rows (n, sorted by key) whose key is >= key; *found
 * when equal. */
static size_t key_lower(const md_memtable *t, mt_row *const *rows, size_t n,
    const st_value *key, int *found)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (st_value_compare(row_key(t, rows[mid]), key, 0) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < n && st_value_compare(row_key(t, rows[lo]), key, 0) == 0;
    return lo;
}

/* ---- Views: order, membership, marks */

static int view_cmp(const mt_view *v, const mt_row *a, const mt_row *b)
{
    if (v->sort) {
        int c = st_bag_compare_sorted(a->bag, b->bag, v->sort);
        if (c)
            return c;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int view_matches(const mt_view *v, const mt_row *r)
{
    return !v->res || st_res_eval(v->res, r->bag, NULL) == 1;
}

/* First index whose row does not sort before r. */
static size_t view_lower(const mt_view *v, const mt_row *r)
{
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (view_cmp(v, v->rows[mid], r) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* r's index in v (by its current bag), SIZE_MAX when not shown. */
static size_t view_find(const mt_view *v, const mt_row *r)
{
    size_t i = view_lower(v, r);
    return i < v->n && v->rows[i] == r ? i : SIZE_MAX;
}

static void mark_set(mt_view *v, mt_mark *m, size_t pos)
{
    m->pos = pos < v->n ? pos : v->n;
    m->row = m->pos < v->n ? v->rows[m->pos] : NULL;
    m->moved = 0;
}

/* Removes rows[p]; marks on it go to the next row (moved), or with follow
 * wait for view_insert to place them with the row again. */
static void view_remove(mt_view *v, size_t p, int follow)
{
    memmove(v->rows + p, v->rows + p + 1, (v->n - p - 1) * sizeof *v->rows);
    v->n--;
    for (size_t i = 0; i < v->nmarks; i++) {
        mt_mark *m = &v->marks[i];
        if (!m->used)
            continue;
        if (m->pos > p) {
            m->pos--;
        } else if (m->pos == p) {
            m->row = p < v->n ? v->rows[p] : NULL;
            if (follow)
                m->follow = 1;
            else if (i > 0)
                m->moved = 1;
        }
    }
}

/* Inserts r at its place (capacity reserved by the caller): its index. */
static size_t view_insert(mt_view *v, mt_row *r)
{
    size_t p = view_lower(v, r);
    memmove(v->rows + p + 1, v->rows + p, (v->n - p) * sizeof *v->rows);
    v->rows[p] = r;
    v->n++;
    for (size_t i = 0; i < v->nmarks; i++) {
        mt_mark *m = &v->marks[i];
        if (!m->used)
            continue;
        if (m->follow) {
            m->pos = p;
            m->row = r;
            m->follow = 0;
        } else if (m->pos >= p) {
            m->pos++;
        }
    }
    return p;
}

/* Merge sort of rows by v's order (stable and with a context, which qsort
 * lacks portably). tmp has n slots. */
static void sort_rows(const mt_view *v, mt_row **rows, mt_row **tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_rows(v, rows, tmp, h);
    sort_rows(v, rows + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = view_cmp(v, rows[j], rows[i]) < 0 ? rows[j++] : rows[i++];
    while (i < h)
        tmp[k++] = rows[i++];
    while (j < n)
        tmp[k++] = rows[j++];
    memcpy(rows, tmp, n * sizeof *rows);
}

/* Fills v->rows from the table by the view's restriction and order; the
 * cursor goes to the beginning, bookmarks to their row (or, when it is no
 * longer shown, to the beginning, moved). */
static HRESULT view_rebuild(mt_view *v)
{
    md_memtable *t = v->t;
    mt_row **rows = malloc((t->n ? t->n : 1) * sizeof *rows);
    mt_row **tmp = malloc((t->n ? t->n : 1) * sizeof *tmp);
    if (!rows || !tmp) {
        free(rows);
        free(tmp);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        if (view_matches(v, t->rows[i]))
            rows[n++] = t->rows[i];
    sort_rows(v, rows, tmp, n);
    free(tmp);
    free(v->rows);
    v->rows = rows;
    v->n = n;
    v->cap = t->n ? t->n : 1;
    mark_set(v, &v->marks[0], 0);
    for (size_t i = 1; i < v->nmarks; i++) {
        mt_mark *m = &v->marks[i];
        if (!m->used)
            continue;
        size_t p = m->row ? view_find(v, m->row) : v->n;
        int moved = m->moved || p == SIZE_MAX;
        mark_set(v, m, p == SIZE_MAX ? 0 : p);
        m->moved = moved;
    }
    return S_OK;
}

/* BOOKMARK -> mark; BOOKMARK_BEGINNING and _END give a temporary in *tmp.
 * NULL when the bookmark is unknown. */
static mt_mark *mark_of(mt_view *v, BOOKMARK b, mt_mark *tmp)
{
    if (b == BOOKMARK_BEGINNING || b == BOOKMARK_END) {
        memset(tmp, 0, sizeof *tmp);
        tmp->used = 1;
        mark_set(v, tmp, b == BOOKMARK_END ? v->n : 0);
        return tmp;
    }
    if (b == BOOKMARK_CURRENT)
        return &v->marks[0];
    size_t i = (size_t)b - MT_BOOKMARK_BASE;
    return i < v->nmarks && v->marks[i].used ? &v->marks[i] : NULL;
}

/* ---- Rows towards MAPI */

/* The values of r in cols into props (ncols of them), every pointer off
 * parent. A column r lacks is PT_ERROR MAPI_E_NOT_FOUND; a value that cannot
 * be given is PT_ERROR with the reason. */
static HRESULT fill_props(SPropValue *props, const uint32_t *cols, size_t ncols,
    const mt_row *r, void *parent, const md_alloc *a)
{
    for (size_t i = 0; i < ncols; i++) {
        const st_value *val = st_bag_get(r->bag, cols[i]);
        HRESULT hr = val ? md_value_to_mapi(&props[i], cols[i], val, MAPI_UNICODE, parent, a)
                         : MAPI_E_NOT_FOUND;
        if (hr == MAPI_E_NOT_ENOUGH_MEMORY)
            return hr;
        if (hr != S_OK) {
            props[i].ulPropTag = PROP_TAG(PT_ERROR, PROP_ID(cols[i]));
            props[i].dwAlignPad = 0;
            props[i].Value.err = hr;
        }
    }
    return S_OK;
}

static void free_rowset(SRowSet *set, const md_alloc *a)
{
    if (!set)
        return;
    for (ULONG i = 0; i < set->cRows; i++)
        a->free(set->aRow[i].lpProps);
    a->free(set);
}

/* rows[start, start + k) of v as an SRowSet: each row's values one buffer
 * chain, the set another (what FreeProws frees). */
static HRESULT make_rowset(mt_view *v, size_t start, size_t k, SRowSet **out)
{
    const md_alloc *a = &v->t->alloc;
    SRowSet *set = NULL;

    *out = NULL;
    if (k > (ULONG_MAX - sizeof(SRowSet)) / sizeof(SRow)
        || v->ncols > ULONG_MAX / sizeof(SPropValue))
        return MAPI_E_NOT_ENOUGH_MEMORY;
    if (a->buffer((ULONG)CbNewSRowSet(k ? k : 1), (void **)&set) != S_OK)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    set->cRows = 0;
    for (size_t i = 0; i < k; i++) {
        SPropValue *props = NULL;
        if (a->buffer((ULONG)(v->ncols * sizeof *props), (void **)&props) != S_OK) {
            free_rowset(set, a);
            return MAPI_E_NOT_ENOUGH_MEMORY;
        }
        memset(props, 0, v->ncols * sizeof *props);
        set->aRow[i].ulAdrEntryPad = 0;
        set->aRow[i].cValues = (ULONG)v->ncols;
        set->aRow[i].lpProps = props;
        set->cRows++;
        HRESULT hr = fill_props(props, v->cols, v->ncols, v->rows[start + i], props, a);
        if (hr != S_OK) {
            free_rowset(set, a);
            return hr;
        }
    }
    *out = set;
    return S_OK;
}

/* ---- Notifications */

static void set_inst(SPropValue *p, const mt_row *r, void *parent, const md_alloc *a,
    HRESULT *hr)
{
    st_value v = st_view_bin(PR_INSTANCE_KEY, r->inst, sizeof r->inst);
    if (*hr == S_OK)
        *hr = md_value_to_mapi(p, PR_INSTANCE_KEY, &v, 0, parent, a);
}

/* A TABLE_* notification of v about r (prior: the row before it, or NULL)
 * queued for every sink of v; TABLE_CHANGED names no row (r NULL).
 * Out of memory: the notification is dropped (a client that misses one
 * reloads on the next). */
static void notify_view(mt_view *v, mt_queue *q, ULONG event, const mt_row *r,
    const mt_row *prior)
{
    const md_alloc *a = &v->t->alloc;

    for (size_t s = 0; s < v->sinks.n; s++) {
        NOTIFICATION *n = NULL;
        HRESULT hr = S_OK;
        if (reserve((void **)&q->p, &q->cap, q->n + 1, sizeof *q->p)
            || a->buffer(sizeof *n, (void **)&n) != S_OK)
            return;
        memset(n, 0, sizeof *n);
        n->ulEventType = fnevTableModified;
        n->info.tab.ulTableEvent = event;
        n->info.tab.hResult = S_OK;
        n->info.tab.propIndex.ulPropTag = PR_NULL;
        if (r)
            set_inst(&n->info.tab.propIndex, r, n, a, &hr);
        if (prior)
            set_inst(&n->info.tab.propPrior, prior, n, a, &hr);
        else
            n->info.tab.propPrior.ulPropTag = PR_NULL;
        if (hr == S_OK && r && event != TABLE_ROW_DELETED) {
            SPropValue *props = NULL;
            hr = a->more((ULONG)(v->ncols * sizeof *props), n, (void **)&props);
            if (hr == S_OK) {
                memset(props, 0, v->ncols * sizeof *props);
                n->info.tab.row.cValues = (ULONG)v->ncols;
                n->info.tab.row.lpProps = props;
                hr = fill_props(props, v->cols, v->ncols, r, n, a);
            }
        }
        if (hr != S_OK) {
            a->free(n);
            return;
        }
        v->sinks.v[s].sink->lpVtbl->AddRef(v->sinks.v[s].sink);
        q->p[q->n].sink = v->sinks.v[s].sink;
        q->p[q->n].notif = n;
        q->n++;
    }
}

/* Frees what notify_view queued, undelivered. */
static void queue_free(mt_queue *q, const md_alloc *a)
{
    for (size_t i = 0; i < q->n; i++) {
        q->p[i].sink->lpVtbl->Release(q->p[i].sink);
        a->free(q->p[i].notif);
    }
    free(q->p);
    memset(q, 0, sizeof *q);
}

/* Delivers t->queue in order, with no lock held, unless a hold is on or
 * another thread (or this one, further up: a sink that changed the table)
 * is delivering: that one takes what was queued here too. The caller holds
 * a reference of t and not t->lock. */
static void flush(md_memtable *t)
{
    EnterCriticalSection(&t->lock);
    if (t->holds || t->delivering) {
        LeaveCriticalSection(&t->lock);
        return;
    }
    t->delivering = 1;
    while (t->queue.n && !t->holds) {
        mt_queue q = t->queue;
        memset(&t->queue, 0, sizeof t->queue);
        LeaveCriticalSection(&t->lock);
        for (size_t i = 0; i < q.n; i++) {
            IMAPIAdviseSink *sink = q.p[i].sink;
            sink->lpVtbl->OnNotify(sink, 1, q.p[i].notif);
            sink->lpVtbl->Release(sink);
            t->alloc.free(q.p[i].notif);
        }
        free(q.p);
        EnterCriticalSection(&t->lock);
    }
    t->delivering = 0;
    LeaveCriticalSection(&t->lock);
}

/* ---- The table */

HRESULT md_memtable_new(md_memtable **out, const md_alloc *a, const uint32_t *cols,
    size_t ncols, uint32_t key_tag)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!a || !cols || !ncols || ncols > ULONG_MAX / sizeof(SPropValue)
        || PROP_TYPE(key_tag) == PT_UNSPECIFIED || (PROP_TYPE(key_tag) & MV_FLAG))
        return MAPI_E_INVALID_PARAMETER;
    md_memtable *t = calloc(1, sizeof *t);
    if (!t || !(t->cols = malloc(ncols * sizeof *cols))) {
        free(t);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    memcpy(t->cols, cols, ncols * sizeof *cols);
    t->ncols = ncols;
    t->refs = 1;
    t->alloc = *a;
    t->key_tag = key_tag;
    InitializeCriticalSection(&t->lock);
    *out = t;
    return S_OK;
}

void md_memtable_free(md_memtable *t)
{
    if (t)
        table_unref(t);
}

size_t md_memtable_count(md_memtable *t)
{
    EnterCriticalSection(&t->lock);
    size_t n = t->n;
    LeaveCriticalSection(&t->lock);
    return n;
}

HRESULT md_memtable_keys(md_memtable *t, st_value **out, size_t *n)
{
    HRESULT hr = S_OK;
    *out = NULL;
    *n = 0;
    EnterCriticalSection(&t->lock);
    st_value *k = calloc(t->n ? t->n : 1, sizeof *k);
    size_t got = 0;
    if (!k)
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    while (hr == S_OK && got < t->n) {
        if (st_value_copy(&k[got], row_key(t, t->rows[got])))
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
        else
            got++;
    }
    LeaveCriticalSection(&t->lock);
    if (hr != S_OK) {
        for (size_t i = 0; k && i < got; i++)
            st_value_clear(&k[i]);
        free(k);
        return hr;
    }
    *out = k;
    *n = got;
    return S_OK;
}

/* Room for k more rows in every view. */
static int reserve_views(md_memtable *t, size_t k)
{
    for (mt_view *v = t->views; v; v = v->next)
        if (reserve((void **)&v->rows, &v->cap, v->n + k, sizeof *v->rows))
            return -1;
    return 0;
}

/* Same tags, same values (strings compared exactly). */
static int bags_equal(const st_bag *a, const st_bag *b)
{
    size_t n = st_bag_count(a);
    if (n != st_bag_count(b))
        return 0;
    for (size_t i = 0; i < n; i++) {
        const st_value *x = st_bag_at(a, i), *y = st_bag_at(b, i);
        if (x->tag != y->tag || st_value_compare(x, y, 0) != 0)
            return 0;
    }
    return 1;
}

/* a and b look the same in v's columns (a string the same in 8-bit and
 * Unicode is the same). */
static int shown_equal(const mt_view *v, const st_bag *a, const st_bag *b)
{
    for (size_t i = 0; i < v->ncols; i++) {
        const st_value *x = st_bag_get(a, v->cols[i]), *y = st_bag_get(b, v->cols[i]);
        if (!x != !y || (x && st_value_compare(x, y, 0) != 0))
            return 0;
    }
    return 1;
}

/* A changed row r (new bag in place, old the one before it, old place per
 * view in tmp_pos): moved, added or removed in every view, with the
 * notifications; a view where r keeps its place and looks the same is not
 * told. */
static void views_update(md_memtable *t, mt_row *r, const st_bag *old, mt_queue *q)
{
    for (mt_view *v = t->views; v; v = v->next) {
        size_t p = v->tmp_pos;
        int now = view_matches(v, r);
        if (p != SIZE_MAX && now) {
            view_remove(v, p, 1);
            size_t k = view_insert(v, r);
            if (k != p || !shown_equal(v, old, r->bag))
                notify_view(v, q, TABLE_ROW_MODIFIED, r, k ? v->rows[k - 1] : NULL);
        } else if (p != SIZE_MAX) {
            view_remove(v, p, 0);
            notify_view(v, q, TABLE_ROW_DELETED, r, p ? v->rows[p - 1] : NULL);
        } else if (now) {
            size_t k = view_insert(v, r);
            notify_view(v, q, TABLE_ROW_ADDED, r, k ? v->rows[k - 1] : NULL);
        }
    }
}

/* A new row without a bag: its insertion order and instance key (under
 * the lock). NULL when out of memory. */
static mt_row *row_new(md_memtable *t)
{
    mt_row *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->seq = t->next_seq++;
    uint32_t inst = ++t->next_inst;
    for (int i = 0; i < 4; i++)
        r->inst[i] = (uint8_t)(inst >> (8 * i));
    return r;
}

static void row_free(mt_row *r)
{
    st_bag_free(r->bag);
    free(r);
}

/* bag with r's PR_INSTANCE_KEY: 0 or -1. */
static int stamp(st_bag *bag, const mt_row *r)
{
    return st_bag_set_bin(bag, PR_INSTANCE_KEY, r->inst, sizeof r->inst);
}

/* Row r takes bag (stamped, taken): a new row (r->bag NULL) appears, a
 * changed one is updated in every view, notifications queued on t; an
 * equal bag changes nothing. Room in the views reserved by the caller. */
static void row_change(md_memtable *t, mt_row *r, st_bag *bag)
{
    if (r->bag && bags_equal(r->bag, bag)) {
        st_bag_free(bag);
        return;   /* nothing changed: no notification */
    }
    for (mt_view *v = t->views; v; v = v->next)
        v->tmp_pos = r->bag ? view_find(v, r) : SIZE_MAX;
    st_bag *old = r->bag;
    r->bag = bag;
    views_update(t, r, old, &t->queue);
    st_bag_free(old);
}

/* Row r leaves every view (notified); the caller takes it out of t->rows
 * and frees it. */
static void row_unshow(md_memtable *t, mt_row *r)
{
    for (mt_view *v = t->views; v; v = v->next) {
        size_t p = view_find(v, r);
        if (p == SIZE_MAX)
            continue;
        view_remove(v, p, 0);
        notify_view(v, &t->queue, TABLE_ROW_DELETED, r, p ? v->rows[p - 1] : NULL);
    }
}

HRESULT md_memtable_set_row(md_memtable *t, const st_bag *row)
{
    HRESULT hr = S_OK;
    int found = 0;

    if (!t || !row)
        return MAPI_E_INVALID_PARAMETER;
    if (!st_bag_get(row, t->key_tag))
        return MAPI_E_INVALID_PARAMETER;
    st_bag *bag = st_bag_dup(row);
    if (!bag)
        return MAPI_E_NOT_ENOUGH_MEMORY;

    md_ref_add(&t->refs);   /* a sink may release the last view while it is told */
    EnterCriticalSection(&t->lock);
    size_t at = key_lower(t, t->rows, t->n, st_bag_get(bag, t->key_tag), &found);
    mt_row *r = found ? t->rows[at] : NULL;
    if (reserve((void **)&t->rows, &t->cap, t->n + 1, sizeof *t->rows) || reserve_views(t, 1)
        || (!r && !(r = row_new(t))) || stamp(bag, r)) {
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
        if (!found)
            free(r);
    } else {
        if (!found) {
            memmove(t->rows + at + 1, t->rows + at, (t->n - at) * sizeof *t->rows);
            t->rows[at] = r;
            t->n++;
        }
        row_change(t, r, bag);
        bag = NULL;
    }
    LeaveCriticalSection(&t->lock);
    st_bag_free(bag);
    flush(t);
    table_unref(t);
    return hr;
}

HRESULT md_memtable_delete_row(md_memtable *t, const st_value *key)
{
    int found = 0;

    if (!t || !key)
        return MAPI_E_INVALID_PARAMETER;
    md_ref_add(&t->refs);   /* as in set_row */
    EnterCriticalSection(&t->lock);
    size_t at = key_lower(t, t->rows, t->n, key, &found);
    mt_row *r = found ? t->rows[at] : NULL;
    if (r) {
        row_unshow(t, r);
        memmove(t->rows + at, t->rows + at + 1, (t->n - at - 1) * sizeof *t->rows);
        t->n--;
    }
    LeaveCriticalSection(&t->lock);
    if (r)
        row_free(r);
    flush(t);
    table_unref(t);
    return r ? S_OK : MAPI_E_NOT_FOUND;
}

/* The n rows' bags copied and stamped for rows[i]: into bags (n slots),
 * with ord (n slots) their indexes in key order. MAPI_E_INVALID_PARAMETER
 * for a row without the key or two with one key. Under the lock. */
static HRESULT prepare_bags(md_memtable *t, st_bag *const *rows, mt_row *const *claim,
    size_t n, st_bag **bags, size_t *ord)
{
    for (size_t i = 0; i < n; i++) {
        const st_value *key = rows[i] ? st_bag_get(rows[i], t->key_tag) : NULL;
        if (!key)
            return MAPI_E_INVALID_PARAMETER;
        size_t lo = 0, hi = i;   /* ord[0, i) sorted by key */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = st_value_compare(st_bag_get(rows[ord[mid]], t->key_tag), key, 0);
            if (!c)
                return MAPI_E_INVALID_PARAMETER;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        memmove(ord + lo + 1, ord + lo, (i - lo) * sizeof *ord);
        ord[lo] = i;
        if (!(bags[i] = st_bag_dup(rows[i])) || stamp(bags[i], claim[i]))
            return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    return S_OK;
}

/* What replace_all and sync prepare before changing anything. */
typedef struct mt_plan {
    mt_row **claim;         /* the row each given row becomes */
    int *fresh;             /* claim[i] is a new row */
    st_bag **bags;          /* the stamped copies, taken by row_change */
    size_t *ord;            /* given rows in key order */
    mt_row **rows;          /* the table's next t->rows */
    char *kept;             /* per current row: claimed */
} mt_plan;

static void plan_free(mt_plan *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p->bags)
            st_bag_free(p->bags[i]);
        if (p->fresh && p->fresh[i])
            free(p->claim[i]);
    }
    free(p->claim);
    free(p->fresh);
    free(p->bags);
    free(p->ord);
    free(p->rows);
    free(p->kept);
}

/* Plans rows as the table's content (under the lock): each given row
 * takes the current row of key prev[i] (or its own key when prev or
 * prev[i] is NULL) unless another took it before (claim: 0, every row
 * new); room reserved in the views. */
static HRESULT plan_make(md_memtable *t, mt_plan *p, st_bag *const *rows,
    const st_value *const *prev, size_t n, int claim)
{
    size_t m = n ? n : 1;
    memset(p, 0, sizeof *p);
    p->claim = calloc(m, sizeof *p->claim);
    p->fresh = calloc(m, sizeof *p->fresh);
    p->bags = calloc(m, sizeof *p->bags);
    p->ord = calloc(m, sizeof *p->ord);
    p->rows = calloc(m, sizeof *p->rows);
    p->kept = calloc(t->n ? t->n : 1, 1);
    if (!p->claim || !p->fresh || !p->bags || !p->ord || !p->rows || !p->kept)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        const st_value *key = rows[i] ? st_bag_get(rows[i], t->key_tag) : NULL;
        if (!key)
            return MAPI_E_INVALID_PARAMETER;
        if (claim) {
            size_t at = key_lower(t, t->rows, t->n, prev && prev[i] ? prev[i] : key, &found);
            if (found && !p->kept[at]) {
                p->kept[at] = 1;
                p->claim[i] = t->rows[at];
                continue;
            }
        }
        if (!(p->claim[i] = row_new(t)))
            return MAPI_E_NOT_ENOUGH_MEMORY;
        p->fresh[i] = 1;
    }
    HRESULT hr = prepare_bags(t, rows, p->claim, n, p->bags, p->ord);
    if (hr == S_OK && reserve_views(t, n))
        hr = MAPI_E_NOT_ENOUGH_MEMORY;
    for (size_t i = 0; i < n; i++)
        p->rows[i] = p->claim[p->ord[i]];
    return hr;
}

/* The table's rows become p->rows (n); the others are freed. */
static void plan_finish(md_memtable *t, mt_plan *p, size_t n)
{
    for (size_t i = 0; i < t->n; i++)
        if (!p->kept[i])
            row_free(t->rows[i]);
    free(t->rows);
    t->rows = p->rows;
    t->n = n;
    t->cap = n ? n : 1;
    p->rows = NULL;
    memset(p->fresh, 0, (n ? n : 1) * sizeof *p->fresh);   /* rows of the table now */
}

/* sync (whole 0) or replace_all (whole 1). */
static HRESULT reset(md_memtable *t, st_bag *const *rows, const st_value *const *prev,
    size_t n, int whole)
{
    mt_plan p;

    if (!t || (n && !rows))
        return MAPI_E_INVALID_PARAMETER;
    md_ref_add(&t->refs);   /* as in set_row */
    EnterCriticalSection(&t->lock);
    HRESULT hr = plan_make(t, &p, rows, prev, n, !whole);
    if (hr == S_OK && whole) {
        for (size_t i = 0; i < n; i++) {
            p.claim[i]->bag = p.bags[i];
            p.bags[i] = NULL;
        }
        for (mt_view *v = t->views; v; v = v->next) {
            v->n = 0;
            for (size_t i = 0; i < n; i++)
                if (view_matches(v, p.rows[i]))
                    view_insert(v, p.rows[i]);
            /* every row went: the cursor to the beginning, bookmarks too */
            mark_set(v, &v->marks[0], 0);
            for (size_t i = 1; i < v->nmarks; i++)
                if (v->marks[i].used) {
                    mark_set(v, &v->marks[i], 0);
                    v->marks[i].moved = 1;
                }
            notify_view(v, &t->queue, TABLE_CHANGED, NULL, NULL);
        }
    } else if (hr == S_OK) {
        for (size_t i = 0; i < t->n; i++)
            if (!p.kept[i])
                row_unshow(t, t->rows[i]);
        for (size_t i = 0; i < n; i++) {
            row_change(t, p.claim[i], p.bags[i]);
            p.bags[i] = NULL;
        }
    }
    if (hr == S_OK)
        plan_finish(t, &p, n);
    plan_free(&p, n);
    LeaveCriticalSection(&t->lock);
    flush(t);
    table_unref(t);
    return hr;
}

HRESULT md_memtable_replace_all(md_memtable *t, st_bag *const *rows, size_t n)
{
    return reset(t, rows, NULL, n, 1);
}

HRESULT md_memtable_sync(md_memtable *t, st_bag *const *rows, const st_value *const *prev,
    size_t n)
{
    return reset(t, rows, prev, n, 0);
}

void md_memtable_hold(md_memtable *t)
{
    md_ref_add(&t->refs);
    EnterCriticalSection(&t->lock);
    t->holds++;
    LeaveCriticalSection(&t->lock);
}

void md_memtable_deliver(md_memtable *t)
{
    EnterCriticalSection(&t->lock);
    if (t->holds)
        t->holds--;
    LeaveCriticalSection(&t->lock);
    flush(t);
    table_unref(t);
}

void md_memtable_on_last_view(md_memtable *t, void (*fn)(void *ctx), void *ctx)
{
    EnterCriticalSection(&t->lock);
    t->on_last_view = fn;
    t->on_last_view_ctx = ctx;
    LeaveCriticalSection(&t->lock);
}

HRESULT md_memtable_view(md_memtable *t, IMAPITable **out)
{
    return md_memtable_view_cols(t, NULL, 0, out);
}

HRESULT md_memtable_view_cols(md_memtable *t, const uint32_t *cols, size_t ncols,
    IMAPITable **out)
{
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (!t || (cols && (!ncols || ncols > ULONG_MAX / sizeof(SPropValue))))
        return MAPI_E_INVALID_PARAMETER;
    if (!cols) {
        cols = t->cols;   /* not changed after md_memtable_new */
        ncols = t->ncols;
    }
    mt_view *v = calloc(1, sizeof *v);
    if (!v)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    v->iface.lpVtbl = (IMAPITableVtbl *)&view_vtbl;   /* mapidefs.h: not const */
    v->refs = 1;
    v->t = t;
    v->marks = calloc(1, sizeof *v->marks);
    v->nmarks = 1;
    EnterCriticalSection(&t->lock);
    v->cols = malloc(ncols * sizeof *v->cols);
    HRESULT hr = v->marks && v->cols ? S_OK : MAPI_E_NOT_ENOUGH_MEMORY;
    if (hr == S_OK) {
        memcpy(v->cols, cols, ncols * sizeof *v->cols);
        v->ncols = ncols;
        v->marks[0].used = 1;
        hr = view_rebuild(v);
    }
    if (hr == S_OK) {
        md_ref_add(&t->refs);
        v->next = t->views;
        t->views = v;
        t->nviews++;
    }
    LeaveCriticalSection(&t->lock);
    if (hr != S_OK) {
        free(v->rows);
        free(v->cols);
        free(v->marks);
        free(v);
        return hr;
    }
    md_object_created();
    *out = &v->iface;
    return S_OK;
}

/* ---- IMAPITable */

static mt_view *impl(IMAPITable *iface)
{
    return (mt_view *)iface;
}

static HRESULT STDMETHODCALLTYPE view_QueryInterface(IMAPITable *iface, REFIID riid,
    void **out)
{
    static const IID *const iids[] = { &IID_IMAPITable };
    return md_query_interface(iface, riid, out, iids, 1);
}

static ULONG STDMETHODCALLTYPE view_AddRef(IMAPITable *iface)
{
    return md_ref_add(&impl(iface)->refs);
}

static ULONG STDMETHODCALLTYPE view_Release(IMAPITable *iface)
{
    mt_view *v = impl(iface);
    ULONG n = md_ref_release(&v->refs);
    if (n)
        return n;
    md_memtable *t = v->t;
    void (*last)(void *) = NULL;
    EnterCriticalSection(&t->lock);
    for (mt_view **p = &t->views; *p; p = &(*p)->next)
        if (*p == v) {
            *p = v->next;
            break;
        }
    if (--t->nviews == 0)
        last = t->on_last_view;
    void *last_ctx = t->on_last_view_ctx;
    LeaveCriticalSection(&t->lock);
    if (last)
        last(last_ctx);
    md_sinks_clear(&v->sinks);
    free(v->rows);
    free(v->marks);
    free(v->cols);
    st_sortset_free(v->sort);
    st_res_free(v->res);
    free(v);
    table_unref(t);
    md_object_destroyed();
    return 0;
}

static HRESULT STDMETHODCALLTYPE view_GetLastError(IMAPITable *iface, HRESULT hr, ULONG flags,
    LPMAPIERROR *error)
{
    MD_SHUT_GATE();
    return md_prop_last_error(&impl(iface)->t->alloc, hr, flags, error);
}

static HRESULT STDMETHODCALLTYPE view_Advise(IMAPITable *iface, ULONG mask,
    LPMAPIADVISESINK sink, ULONG *conn)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    HRESULT hr = md_table_advise_check(mask, sink, conn);

    if (hr != S_OK)
        return hr;
    EnterCriticalSection(&v->t->lock);
    hr = md_sinks_add(&v->sinks, sink, conn);
    LeaveCriticalSection(&v->t->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE view_Unadvise(IMAPITable *iface, ULONG conn)
{
    mt_view *v = impl(iface);

    EnterCriticalSection(&v->t->lock);
    IMAPIAdviseSink *sink = md_sinks_remove(&v->sinks, conn);
    LeaveCriticalSection(&v->t->lock);
    if (!sink)
        return MAPI_E_NOT_FOUND;
    sink->lpVtbl->Release(sink);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE view_GetStatus(IMAPITable *iface, ULONG *status, ULONG *type)
{
    MD_SHUT_GATE();
    (void)iface;
    return md_table_status(status, type);
}

static HRESULT STDMETHODCALLTYPE view_SetColumns(IMAPITable *iface, LPSPropTagArray cols,
    ULONG flags)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);

    if (!cols || !cols->cValues || cols->cValues > ULONG_MAX / sizeof(SPropValue))
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)(TBL_ASYNC | TBL_BATCH))
        return MAPI_E_UNKNOWN_FLAGS;
    for (ULONG i = 0; i < cols->cValues; i++)
        if (cols->aulPropTag[i] & MV_INSTANCE) {
            st_error_set("memtable: no MV_INSTANCE column (%#lx) in an in-memory table",
                (unsigned long)cols->aulPropTag[i]);
            return MAPI_E_TOO_COMPLEX;   /* no rows expanded per value here */
        }
    uint32_t *c = malloc(cols->cValues * sizeof *c);
    if (!c)
        return MAPI_E_NOT_ENOUGH_MEMORY;
    for (ULONG i = 0; i < cols->cValues; i++)
        c[i] = cols->aulPropTag[i];
    EnterCriticalSection(&v->t->lock);
    free(v->cols);
    v->cols = c;
    v->ncols = cols->cValues;
    LeaveCriticalSection(&v->t->lock);
    return S_OK;
}

/* Adds tag to the list unless a tag with its id is there. */
static int add_col(uint32_t **list, size_t *n, size_t *cap, uint32_t tag)
{
    for (size_t i = 0; i < *n; i++)
        if (PROP_ID((*list)[i]) == PROP_ID(tag))
            return 0;
    if (reserve((void **)list, cap, *n + 1, sizeof **list))
        return -1;
    (*list)[(*n)++] = tag;
    return 0;
}

static HRESULT STDMETHODCALLTYPE view_QueryColumns(IMAPITable *iface, ULONG flags,
    LPSPropTagArray *out)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    md_memtable *t = v->t;
    uint32_t *list = NULL;
    size_t n = 0, cap = 0;
    int bad = 0;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(ULONG)TBL_ALL_COLUMNS)
        return MAPI_E_UNKNOWN_FLAGS;
    EnterCriticalSection(&t->lock);
    if (flags & TBL_ALL_COLUMNS) {
        /* The table's columns, then every property some row has. */
        for (size_t i = 0; i < t->ncols && !bad; i++)
            bad = add_col(&list, &n, &cap, t->cols[i]);
        for (size_t r = 0; r < t->n && !bad; r++)
            for (size_t i = 0; i < st_bag_count(t->rows[r]->bag) && !bad; i++)
                bad = add_col(&list, &n, &cap, st_bag_at(t->rows[r]->bag, i)->tag);
    } else {
        bad = reserve((void **)&list, &cap, v->ncols, sizeof *list);
        for (size_t i = 0; i < v->ncols && !bad; i++)
            list[n++] = v->cols[i];
    }
    LeaveCriticalSection(&t->lock);
    SPropTagArray *arr = NULL;
    if (bad || n > ULONG_MAX / sizeof(ULONG) - 1
        || t->alloc.buffer((ULONG)CbNewSPropTagArray(n), (void **)&arr) != S_OK) {
        free(list);
        return MAPI_E_NOT_ENOUGH_MEMORY;
    }
    arr->cValues = (ULONG)n;
    for (size_t i = 0; i < n; i++)
        arr->aulPropTag[i] = list[i];
    free(list);
    *out = arr;
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE view_GetRowCount(IMAPITable *iface, ULONG flags, ULONG *count)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    if (!count)
        return MAPI_E_INVALID_PARAMETER;
    *count = 0;
    if (flags)
        return MAPI_E_UNKNOWN_FLAGS;
    EnterCriticalSection(&v->t->lock);
    *count = (ULONG)v->n;
    LeaveCriticalSection(&v->t->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE view_SeekRow(IMAPITable *iface, BOOKMARK origin, LONG rows,
    LONG *sought)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    mt_mark tmp;
    HRESULT hr = S_OK;

    if (sought)
        *sought = 0;
    EnterCriticalSection(&v->t->lock);
    mt_mark *m = mark_of(v, origin, &tmp);
    if (!m) {
        hr = MAPI_E_INVALID_BOOKMARK;
    } else {
        long long from = (long long)m->pos, to = from + rows;
        if (to < 0)
            to = 0;
        if (to > (long long)v->n)
            to = (long long)v->n;
        if (m->moved)
            hr = MAPI_W_POSITION_CHANGED;
        m->moved = 0;
        mark_set(v, &v->marks[0], (size_t)to);
        if (sought)
            *sought = (LONG)(to - from);
    }
    LeaveCriticalSection(&v->t->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE view_SeekRowApprox(IMAPITable *iface, ULONG num, ULONG den)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    if (!den)
        return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&v->t->lock);
    size_t pos = num >= den ? v->n : (size_t)((unsigned long long)v->n * num / den);
    mark_set(v, &v->marks[0], pos);
    LeaveCriticalSection(&v->t->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE view_QueryPosition(IMAPITable *iface, ULONG *row, ULONG *num,
    ULONG *den)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    if (!row || !num || !den)
        return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&v->t->lock);
    *row = *num = (ULONG)v->marks[0].pos;
    *den = (ULONG)v->n;
    LeaveCriticalSection(&v->t->lock);
    return S_OK;
}

static HRESULT STDMETHODCALLTYPE view_FindRow(IMAPITable *iface, LPSRestriction res,
    BOOKMARK origin, ULONG flags)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    st_restriction *r = NULL;
    mt_mark tmp;

    if (!res)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)DIR_BACKWARD)
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = md_res_from_mapi(&r, res);
    if (hr != S_OK)
        return hr;
    EnterCriticalSection(&v->t->lock);
    mt_mark *m = mark_of(v, origin, &tmp);
    if (!m) {
        hr = MAPI_E_INVALID_BOOKMARK;
        goto cleanup;
    }
    /* Forward from the bookmark's row; backward the rows before it,
     * nearest first (as storage's tables do). */
    size_t pos = m->pos, found = SIZE_MAX;
    if (flags & DIR_BACKWARD) {
        for (size_t i = pos; i-- > 0; )
            if (st_res_eval(r, v->rows[i]->bag, NULL) == 1) {
                found = i;
                break;
            }
    } else {
        for (size_t i = pos; i < v->n; i++)
            if (st_res_eval(r, v->rows[i]->bag, NULL) == 1) {
                found = i;
                break;
            }
    }
    if (found == SIZE_MAX) {
        hr = MAPI_E_NOT_FOUND;
        goto cleanup;
    }
    hr = m->moved ? MAPI_W_POSITION_CHANGED : S_OK;
    m->moved = 0;
    mark_set(v, &v->marks[0], found);

cleanup:
    LeaveCriticalSection(&v->t->lock);
    st_res_free(r);
    return hr;
}

/* Restrict / SortTable: *res or *sort (whichever is not NULL) becomes the
 * view's and the view is rebuilt; *res / *sort then holds what the caller
 * frees: the old one, or on failure the new one (the view unchanged). */
static HRESULT view_reorder(mt_view *v, st_restriction **res, st_sortset **sort)
{
    EnterCriticalSection(&v->t->lock);
    st_restriction *old_res = v->res;
    st_sortset *old_sort = v->sort;
    if (res)
        v->res = *res;
    if (sort)
        v->sort = *sort;
    HRESULT hr = view_rebuild(v);
    if (hr != S_OK) {
        v->res = old_res;
        v->sort = old_sort;
    } else {
        if (res)
            *res = old_res;
        if (sort)
            *sort = old_sort;
    }
    LeaveCriticalSection(&v->t->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE view_Restrict(IMAPITable *iface, LPSRestriction res,
    ULONG flags)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    st_restriction *r = NULL;

    if (flags & ~(ULONG)(TBL_ASYNC | TBL_BATCH))
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = md_res_from_mapi(&r, res);
    if (hr != S_OK)
        return hr;
    hr = view_reorder(v, &r, NULL);
    st_res_free(r);
    return hr;
}

static HRESULT STDMETHODCALLTYPE view_CreateBookmark(IMAPITable *iface, BOOKMARK *out)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    HRESULT hr = S_OK;

    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = 0;
    EnterCriticalSection(&v->t->lock);
    size_t i = 1;
    while (i < v->nmarks && v->marks[i].used)
        i++;
    if (i == v->nmarks) {
        size_t cap = v->nmarks;
        if (i >= MT_MAX_MARKS
            || reserve((void **)&v->marks, &cap, v->nmarks + 1, sizeof *v->marks)) {
            hr = MAPI_E_NOT_ENOUGH_MEMORY;
            goto cleanup;
        }
        v->nmarks++;
    }
    memset(&v->marks[i], 0, sizeof v->marks[i]);
    v->marks[i].used = 1;
    mark_set(v, &v->marks[i], v->marks[0].pos);
    *out = (BOOKMARK)(i + MT_BOOKMARK_BASE);

cleanup:
    LeaveCriticalSection(&v->t->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE view_FreeBookmark(IMAPITable *iface, BOOKMARK b)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    HRESULT hr = S_OK;

    if (b == BOOKMARK_BEGINNING || b == BOOKMARK_CURRENT || b == BOOKMARK_END)
        return S_OK;   /* predefined: nothing to free */
    EnterCriticalSection(&v->t->lock);
    size_t i = (size_t)b - MT_BOOKMARK_BASE;
    if (i < v->nmarks && v->marks[i].used)
        memset(&v->marks[i], 0, sizeof v->marks[i]);
    else
        hr = MAPI_E_INVALID_BOOKMARK;
    LeaveCriticalSection(&v->t->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE view_SortTable(IMAPITable *iface, LPSSortOrderSet sort,
    ULONG flags)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    st_sortset *s = NULL;

    if (!sort)
        return MAPI_E_INVALID_PARAMETER;
    if (flags & ~(ULONG)(TBL_ASYNC | TBL_BATCH))
        return MAPI_E_UNKNOWN_FLAGS;
    HRESULT hr = md_sort_from_mapi(&s, sort);
    if (hr != S_OK)
        return hr;
    if (s && s->n_categories) {
        st_sortset_free(s);
        st_error_set("memtable: no categories in an in-memory table");
        return MAPI_E_TOO_COMPLEX;
    }
    for (uint32_t i = 0; s && i < s->n; i++)
        if (s->orders[i].tag & MV_INSTANCE) {
            st_error_set("memtable: no MV_INSTANCE sort key (%#lx) in an in-memory table",
                (unsigned long)s->orders[i].tag);
            st_sortset_free(s);
            return MAPI_E_TOO_COMPLEX;   /* no rows expanded per value either */
        }
    if (s && !s->n) {
        st_sortset_free(s);
        s = NULL;   /* no keys: insertion order */
    }
    hr = view_reorder(v, NULL, &s);
    st_sortset_free(s);
    return hr;
}

static HRESULT STDMETHODCALLTYPE view_QuerySortOrder(IMAPITable *iface, LPSSortOrderSet *out)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    EnterCriticalSection(&v->t->lock);
    HRESULT hr = md_sort_to_mapi(out, v->sort, &v->t->alloc);
    LeaveCriticalSection(&v->t->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE view_QueryRows(IMAPITable *iface, LONG count, ULONG flags,
    LPSRowSet *out)
{
    MD_SHUT_GATE();
    mt_view *v = impl(iface);
    if (!out)
        return MAPI_E_INVALID_PARAMETER;
    *out = NULL;
    if (flags & ~(ULONG)TBL_NOADVANCE)
        return MAPI_E_UNKNOWN_FLAGS;
    if (!count)
        return MAPI_E_INVALID_PARAMETER;
    EnterCriticalSection(&v->t->lock);
    size_t cur = v->marks[0].pos, start, k;
    if (count > 0) {
        start = cur;
        k = v->n - cur < (size_t)count ? v->n - cur : (size_t)count;
    } else {
        unsigned long long want = (unsigned long long)(-(long long)count);
        k = cur < want ? cur : (size_t)want;
        start = cur - k;
    }
    HRESULT hr = make_rowset(v, start, k, out);
    if (hr == S_OK && !(flags & TBL_NOADVANCE))
        mark_set(v, &v->marks[0], count > 0 ? start + k : start);
    LeaveCriticalSection(&v->t->lock);
    return hr;
}

static HRESULT STDMETHODCALLTYPE view_Abort(IMAPITable *iface)
{
    MD_SHUT_GATE();
    (void)iface;
    return S_OK;   /* nothing runs in the background */
}

static HRESULT STDMETHODCALLTYPE view_ExpandRow(IMAPITable *iface, ULONG cb, LPBYTE key,
    ULONG count, ULONG flags, LPSRowSet *rows, ULONG *more)
{
    MD_SHUT_GATE();
    (void)iface; (void)cb; (void)key; (void)count; (void)flags;
    if (rows)
        *rows = NULL;
    if (more)
        *more = 0;
    return MAPI_E_NO_SUPPORT;   /* not a categorized table */
}

static HRESULT STDMETHODCALLTYPE view_CollapseRow(IMAPITable *iface, ULONG cb, LPBYTE key,
    ULONG flags, ULONG *count)
{
    MD_SHUT_GATE();
    (void)iface; (void)cb; (void)key; (void)flags;
    if (count)
        *count = 0;
    return MAPI_E_NO_SUPPORT;   /* not a categorized table */
}

static HRESULT STDMETHODCALLTYPE view_WaitForCompletion(IMAPITable *iface, ULONG flags,
    ULONG timeout, ULONG *status)
{
    MD_SHUT_GATE();
    (void)iface; (void)timeout;
    return md_table_wait(flags, status);
}

static HRESULT STDMETHODCALLTYPE view_GetCollapseState(IMAPITable *iface, ULONG flags,
    ULONG cb, LPBYTE key, ULONG *cb_state, LPBYTE *state)
{
    MD_SHUT_GATE();
    (void)iface; (void)flags; (void)cb; (void)key;
    if (cb_state)
        *cb_state = 0;
    if (state)
        *state = NULL;
    return MAPI_E_NO_SUPPORT;   /* not a categorized table */
}

static HRESULT STDMETHODCALLTYPE view_SetCollapseState(IMAPITable *iface, ULONG flags,
    ULONG cb, LPBYTE state, BOOKMARK *location)
{
    MD_SHUT_GATE();
    (void)iface; (void)flags; (void)cb; (void)state;
    if (location)
        *location = BOOKMARK_BEGINNING;
    return MAPI_E_NO_SUPPORT;   /* not a categorized table */
}

static const IMAPITableVtbl view_vtbl = {
    view_QueryInterface, view_AddRef, view_Release,
    view_GetLastError, view_Advise, view_Unadvise, view_GetStatus, view_SetColumns,
    view_QueryColumns, view_GetRowCount, view_SeekRow, view_SeekRowApprox,
    view_QueryPosition, view_FindRow, view_Restrict, view_CreateBookmark,
    view_FreeBookmark, view_SortTable, view_QuerySortOrder, view_QueryRows, view_Abort,
    view_ExpandRow, view_CollapseRow, view_WaitForCompletion, view_GetCollapseState,
    view_SetCollapseState,
};
