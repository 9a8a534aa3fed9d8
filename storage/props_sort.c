/*
 * props_sort.c: sort orders (SSortOrderSet) as data, and the row comparison
 * that in-memory tables sort by. Storage pushes the same order into SQL
 * (missing values as NULL, strings through st_utf8_collate), so the two must
 * agree: see st_bag_compare_sorted in props.h.
 *
 * Invariant: a st_sortset has n_expanded <= n_categories <= n once checked.
 * Never: treat a missing property as an error; it is a value that sorts first.
 */
#include <string.h>

#include "storage/props_int.h"

#define ORDER_BITS (TABLE_SORT_DESCEND | TABLE_SORT_COMBINE | TABLE_SORT_CATEG_MAX | \
    TABLE_SORT_CATEG_MIN)

st_sortset *st_sortset_new(uint32_t n)
{
    st_sortset *s;
    if ((uint64_t)n * sizeof s->orders[0] > SIZE_MAX - sizeof *s)
        return NULL;
    s = st__calloc(1, sizeof *s + (size_t)n * sizeof s->orders[0]);
    if (s)
        s->n = n;
    return s;
}

void st_sortset_free(st_sortset *s)
{
    st__free(s);
}

st_sortset *st_sortset_copy(const st_sortset *src)
{
    st_sortset *s = st_sortset_new(src->n);
    if (s)
        memcpy(s, src, sizeof *s + (size_t)src->n * sizeof s->orders[0]);
    return s;
}

int st_sortset_check(const st_sortset *s)
{
    uint32_t i;
    if (s->n_categories > s->n || s->n_expanded > s->n_categories)
        return st__fail("sort order: category counts out of range");
    for (i = 0; i < s->n; i++) {
        uint32_t type = PROP_TYPE(s->orders[i].tag);
        uint32_t order = s->orders[i].order;
        if (order & ~(uint32_t)ORDER_BITS)
            return st__fail("sort order: unknown order");
        if ((order & TABLE_SORT_CATEG_MAX) && (order & TABLE_SORT_CATEG_MIN))
            return st__fail("sort order: both CATEG_MAX and CATEG_MIN");
        if (type == PT_UNSPECIFIED || !st_proptype_valid(type & ~(uint32_t)MV_INSTANCE))
            return st__fail("sort order: invalid column type");
        if (((type & MV_FLAG) != 0) != ((type & MV_INSTANCE) != 0))
            return st__fail("sort order: MV_FLAG and MV_INSTANCE must go together");
    }
    return 0;
}

int st_bag_compare_sorted(const st_bag *a, const st_bag *b, const st_sortset *s)
{
    uint32_t i;
    for (i = 0; i < s->n; i++) {
        const st_value *x = st_bag_get(a, s->orders[i].tag);
        const st_value *y = st_bag_get(b, s->orders[i].tag);
        int c;
        if (!x && !y)
            continue;
        if (!x || !y)
            c = x ? 1 : -1;             /* missing sorts first */
        else
            c = st_value_compare(x, y, FL_IGNORECASE);
        if (c)
            return (s->orders[i].order & TABLE_SORT_DESCEND) ? -c : c;
    }
    return 0;
}
