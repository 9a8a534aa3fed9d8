/*
 * test_props_util.h: what the test_props_*.c programs share: comparing two
 * bags value by value. Header-only, like testutil.h.
 */
#ifndef MAPIDAV_TEST_PROPS_UTIL_H
#define MAPIDAV_TEST_PROPS_UTIL_H

#include "storage/props.h"

/* 1 if a and b hold the same tags in the same order with equal values. */
static inline int tpu_bags_equal(const st_bag *a, const st_bag *b)
{
    size_t i;
    if (st_bag_count(a) != st_bag_count(b))
        return 0;
    for (i = 0; i < st_bag_count(a); i++) {
        const st_value *x = st_bag_at(a, i), *y = st_bag_at(b, i);
        if (x->tag != y->tag || st_value_compare(x, y, 0) != 0)
            return 0;
    }
    return 1;
}

#endif
