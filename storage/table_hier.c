/*
 * table_hier.c: hierarchy tables: the subfolders of a folder, or with
 * ST_CONVENIENT_DEPTH the whole subtree depth first (PR_DEPTH 0 for the
 * direct children), each subfolder after its parent and siblings by
 * display name, as IMAPIContainer::GetHierarchyTable gives them.
 *
 * A mailbox has tens to a few thousand folders, not millions: the list is
 * rebuilt from the folders table on each call (so it is always current),
 * filtered with st_res_eval and, when a sort is set, sorted with
 * st_bag_compare_sorted (the tree order breaking ties). Positions are
 * indexes into that list (pos.id), kept in range when folders go.
 * Never: use this path for messages (contents tables go through SQL).
 */
#include <stdlib.h>
#include <string.h>

#include "storage/props_tags.h"
#include "storage/table_int.h"

typedef struct hrow {
    st_id id;             /* folder */
    int depth;            /* 0: a direct child of the table's folder */
    size_t order;         /* tree order (tie-break of a sort) */
    st_bag *bag;          /* its properties (owned) */
} hrow;

static void hrows_free(hrow *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++)
        st_bag_free(r[i].bag);
    free(r);
}

typedef struct hlist {
    hrow *r;              /* rows */
    size_t n, cap;        /* used / allocated */
} hlist;

static int walk(st_table *t, hlist *l, st_id parent, int depth)
{
    st_id *kids = NULL;
    size_t n = 0;
    int code = st_folder_children(t->s, &kids, &n, parent);
    for (size_t i = 0; !code && i < n; i++) {
        st_bag *bag = NULL;
        code = st_folder_get(t->s, &bag, kids[i]);
        if (code)
            break;
        int keep = !t->res || st_res_eval(t->res, bag, NULL) > 0;
        if (keep) {
            if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 32;
                hrow *p = realloc(l->r, cap * sizeof *p);
                if (!p) {
                    st_bag_free(bag);
                    code = ST_ERROR;
                    break;
                }
                l->r = p;
                l->cap = cap;
            }
            l->r[l->n] = (hrow){ kids[i], depth, l->n, bag };
            l->n++;
        } else
            st_bag_free(bag);
        /* A folder the restriction drops still has its subfolders listed. */
        if (t->hier_flags & ST_CONVENIENT_DEPTH)
            code = walk(t, l, kids[i], depth + 1);
    }
    free(kids);
    return code;
}

static const st_sortset *h_sort;
static int h_cmp(const void *a, const void *b)
{
    const hrow *x = a, *y = b;
    int c = st_bag_compare_sorted(x->bag, y->bag, h_sort);
    return c ? c : (x->order < y->order ? -1 : x->order > y->order);
}

static int h_list(st_table *t, hlist *l)
{
    memset(l, 0, sizeof *l);
    int code = walk(t, l, t->fid, 0);
    if (code) {
        hrows_free(l->r, l->n);
        memset(l, 0, sizeof *l);
        return code == ST_ERROR ? (st_error_set("table: out of memory"), code) : code;
    }
    if (t->sort && t->sort->n && l->n > 1) {
        h_sort = t->sort;   /* qsort has no context argument in C11 */
        qsort(l->r, l->n, sizeof *l->r, h_cmp);
    }
    return 0;
}

static size_t h_index(const st_tpos *p, size_t n)
{
    if (p->mode == POS_BEGIN)
        return 0;
    if (p->mode == POS_END)
        return n;
    return (size_t)p->id < n ? (size_t)p->id : n;
}

static void h_set(st_tpos *p, size_t idx, size_t n)
{
    st_tpos__clear(p);
    p->mode = idx >= n ? POS_END : POS_KEY;
    p->id = (int64_t)idx;
}

static int h_row(st_table *t, st_row *out, const hrow *h)
{
    memset(out, 0, sizeof *out);
    out->vals = calloc(t->n_cols ? t->n_cols : 1, sizeof *out->vals);
    if (!out->vals)
        return ST_ERROR;
    out->n = t->n_cols;
    for (size_t i = 0; i < t->n_cols; i++) {
        uint32_t tag = t->cols[i];
        st_value *v = &out->vals[i];
        if (tag == PR_DEPTH)
            *v = st_view_long(tag, h->depth);
        else if (tag == PR_ROW_TYPE)
            *v = st_view_long(tag, TBL_LEAF_ROW);
        else if (tag == PR_INSTANCE_NUM)
            *v = st_view_long(tag, 0);
        else {
            const st_value *src = st_bag_get(h->bag, tag);
            if (!src || PROP_TYPE(src->tag) == PT_ERROR)
                st_table__not_found(v, tag);
            else if (st_value_copy(v, src))
                return ST_ERROR;
            else if (PROP_TYPE(tag) != PT_UNSPECIFIED)
                v->tag = tag;
        }
    }
    return 0;
}

int st_table__h_query(st_table *t, st_row **out, size_t *n, long count, unsigned flags)
{
    *out = NULL;
    *n = 0;
    hlist l;
    int code = h_list(t, &l);
    if (code)
        return code;
    size_t at = h_index(&t->cur, l.n), from, to;
    if (count >= 0) {
        from = at;
        to = at + (size_t)count < l.n ? at + (size_t)count : l.n;
    } else {
        to = at;
        from = (size_t)-count < at ? at - (size_t)-count : 0;
    }
    st_row *rows = calloc(to > from ? to - from : 1, sizeof *rows);
    size_t made = 0;
    if (!rows)
        code = ST_ERROR;
    for (size_t i = from; !code && i < to; i++, made++)
        code = h_row(t, &rows[made], &l.r[i]);
    hrows_free(l.r, l.n);
    if (code) {
        st_rows_free(rows, made);
        st_error_set("table: out of memory");
        return code;
    }
    if (!(flags & TBL_NOADVANCE))
        h_set(&t->cur, count >= 0 ? to : from, l.n);
    *out = rows;
    *n = made;
    return 0;
}

int st_table__h_count(st_table *t, uint32_t *out)
{
    hlist l;
    int code = h_list(t, &l);
    if (!code)
        *out = (uint32_t)l.n;
    hrows_free(l.r, l.n);
    return code;
}

int st_table__h_seek(st_table *t, const st_tpos *from, long rows, long *sought)
{
    hlist l;
    int code = h_list(t, &l);
    if (code)
        return code;
    long at = (long)h_index(from, l.n), to = at + rows;
    if (to < 0)
        to = 0;
    if (to > (long)l.n)
        to = (long)l.n;
    if (sought)
        *sought = to - at;
    h_set(&t->cur, (size_t)to, l.n);
    hrows_free(l.r, l.n);
    return 0;
}

int st_table__h_approx(st_table *t, uint32_t num, uint32_t den)
{
    hlist l;
    int code = h_list(t, &l);
    if (!code)
        h_set(&t->cur, (size_t)((uint64_t)l.n * num / den), l.n);
    hrows_free(l.r, l.n);
    return code;
}

int st_table__h_index(st_table *t, uint32_t *out, const st_tpos *pos)
{
    hlist l;
    int code = h_list(t, &l);
    if (!code)
        *out = (uint32_t)h_index(pos, l.n);
    hrows_free(l.r, l.n);
    return code;
}

int st_table__h_find(st_table *t, const st_restriction *r, const st_tpos *from, int back)
{
    hlist l;
    int code = h_list(t, &l);
    if (code)
        return code;
    size_t at = h_index(from, l.n);
    code = ST_ENOTFOUND;
    if (!back) {
        for (size_t i = at; code == ST_ENOTFOUND && i < l.n; i++)
            if (st_res_eval(r, l.r[i].bag, NULL) > 0) {
                h_set(&t->cur, i, l.n);
                code = 0;
            }
    } else {
        for (size_t i = at; code == ST_ENOTFOUND && i-- > 0;)
            if (st_res_eval(r, l.r[i].bag, NULL) > 0) {
                h_set(&t->cur, i, l.n);
                code = 0;
            }
    }
    hrows_free(l.r, l.n);
    if (code == ST_ENOTFOUND)
        st_error_set("table: no row matches");
    return code;
}
